"""Drawing a result on the terminal: which renderer draws which view, at what width.

Each view of render/views.py carries its `Drawing`: plain drawings (plain_views.py) are
laid out by layout.py without rich's console (compare, about: the cheap start-up path);
the others (rich_views.py, pictures.py) are rich renderables. Below RICH_NARROW columns a
rich view's tables become "Header: cell" blocks (narrow.py), and a plain view whose grid
does not fit is drawn by its narrow twin: the labels and all content stay.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, IO

from ketcli.render.terminal import layout, streams
from ketcli.render.text_formats import flat_rows
from ketcli.render.views import VIEWS, View
from ketcli.render.wording import markers

if TYPE_CHECKING:
    from ketcli.query.results import Result


RICH_NARROW = 80
"""Below this many columns a rich view's tables are drawn as blocks: their narrow columns
would otherwise fold words (and references) mid-word."""


def draw(result: Mapping[str, Any], view_name: str, stream: IO[str] | None = None, term: layout.Terminal | None = None,
         stacked: bool = False) -> None:
    """Print `result` as its view's table on `stream` (stdout), for `term` (the stream's own);
    `stacked`: as on a narrow terminal, every table as blocks of "Header: cell" lines."""
    view = VIEWS[view_name]
    out = stream if stream is not None else sys.stdout
    term = term or layout.terminal(out)
    drawing = view.drawing
    lines = None  # None: "column: value" lines, for a terminal too narrow for the table
    if drawing.plain:
        if not (stacked and drawing.narrow is not None):
            lines = layout.render(drawing.parts(result), term)
        if lines is None and drawing.narrow is not None:  # too narrow for its grid: the same content, stacked
            lines = layout.render(drawing.narrow(result), term)
    else:
        console = streams.console(out, width=term.width, colour=None if stream is None else term.colour)
        parts = drawing.parts(result)  # rich loads only here
        if stacked or term.width < RICH_NARROW:  # tables become "Header: cell" blocks (narrow.py)
            from ketcli.render.terminal.narrow import unfold

            parts = [unfold(p, term.width) for p in parts]
        for part in parts:
            console.print(part)
        out.flush()
        return
    if lines is None:
        streams.write(to_stacked(view, result, term.width), out)
    else:
        layout.write(lines, term, out)


def to_text(result: Mapping[str, Any], view_name: str, width: int = 100) -> str:
    """The result as the terminal draws it, stacked and without colour: plain text with the
    same labels, numbers, notes, [n] and references (what the MCP server's text carries)."""
    from io import StringIO

    buffer = StringIO()
    draw(result, view_name, buffer, layout.Terminal(width, False, "utf-8"), stacked=True)
    return buffer.getvalue()


def to_stacked(view: View, result: Result, width: int) -> str:
    """The records as "column: value" lines, for terminals too narrow for a table."""
    wrap_plain, safe = layout.wrap_plain, streams.safe
    width = max(width, 12)
    blocks = []
    if view.heading is not None:
        blocks.append("\n".join(wrap_plain(safe(view.heading(result)), width)))
    for row in flat_rows(view, result):
        lines = []
        for column, value in zip(view.columns, row):
            if value:
                lines += wrap_plain(safe(f"{column}: {value}"), width, "  ")
        blocks.append("\n".join(lines))
    # What a table would show beside the records: the trials and the references.
    for trial in result.get("trials") or []:
        text = f"trial: {trial['name']} {markers(trial['refs'])}: {trial['finding']}"
        blocks.append("\n".join(wrap_plain(safe(text), width, "  ")))
    if result.get("references"):
        from ketcli.render.citations import format_vancouver

        refs = [f"[{r['number']}] {format_vancouver(r)}" for r in result["references"]]
        blocks.append("\n".join(line for ref in refs for line in wrap_plain(safe(ref), width, "  ")))
    return "\n\n".join(blocks) + "\n"


