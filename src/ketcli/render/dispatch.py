"""A result dict in an output format: the one function every surface calls for text.

`render(result, fmt, view)` returns the text of json, jsonl, csv, markdown, the diagram
formats (dot, mermaid) and the citation formats, or None for "table", which only a
terminal can draw (render/terminal/draw.py). Writers are imported only when used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ketcli.render.format_names import CITATION_FORMATS


def render(result: Mapping[str, Any], fmt: str, view_name: str, fields: list[str] | None = None) -> str | None:
    """The text of `result` in `fmt`, or None for the terminal table; `fields` narrows
    the records of jsonl, csv and markdown to those columns (render/fields.py)."""
    if fields is not None:
        from ketcli.render import fields as chosen_fields
        from ketcli.render.text_formats import TEXT_FORMATS
        from ketcli.render.views import VIEWS

        view = chosen_fields.select(VIEWS[view_name], result, fields, fmt)
        return TEXT_FORMATS[fmt](view, result)
    if fmt == "json":
        from ketcli.render.terminal.streams import dumps_json

        return dumps_json(result)
    if fmt == "markdown" and view_name in ("compare", "compare_chart"):
        from ketcli.render.compare_markdown import to_markdown

        return to_markdown(result)
    from ketcli.render.text_formats import TEXT_FORMATS

    if fmt in TEXT_FORMATS:
        from ketcli.render.views import VIEWS

        return TEXT_FORMATS[fmt](VIEWS[view_name], result)
    if fmt in ("dot", "mermaid"):
        from ketcli.render import diagrams

        return getattr(diagrams, f"to_{fmt}")(result)
    if fmt in CITATION_FORMATS:
        from ketcli.render.citations import FORMATS

        return FORMATS[fmt](result["references"])
    return None
