"""Drawing a result on the terminal: which renderer draws which view, at what width.

Each view of render/views.py names its renderer: `plain_views.*` are laid out by
layout.py without rich's console (compare, about: the cheap start-up path);
`rich_views.*` and `pictures.*` are rich renderables. Below RICH_NARROW columns a
rich view's tables become "Header: cell" blocks (narrow.py), and a plain view whose grid
does not fit is drawn by its `*_narrow` twin: the labels and all content stay.
"""

from __future__ import annotations

import sys
from importlib import import_module

from ketcli.render.terminal import layout, streams
from ketcli.render.text_formats import flat_rows
from ketcli.render.views import VIEWS, View


RICH_NARROW = 80
"""Below this many columns a rich view's tables are drawn as blocks: their narrow columns
would otherwise fold words (and references) mid-word."""


def draw(result: dict, view_name: str) -> None:
    """Print `result` as its view's table on stdout."""
    view = VIEWS[view_name]
    term = layout.terminal(sys.stdout)
    module, function = view.table.split(".")
    lines = None  # None: "column: value" lines, for a terminal too narrow for the table
    if module == "plain_views":
        lines = layout.render(_renderer(module, function)(result), term)
        narrow = getattr(import_module("ketcli.render.terminal.plain_views"), function + "_narrow", None)
        if lines is None and narrow is not None:  # too narrow for its grid: the same content, stacked
            lines = layout.render(narrow(result), term)
    else:
        console = streams.console(width=term.width)
        parts = _renderer(module, function)(result)  # rich loads only here
        if term.width < RICH_NARROW:  # tables become "Header: cell" blocks (narrow.py)
            from ketcli.render.terminal.narrow import unfold

            parts = [unfold(p, term.width) for p in parts]
        for part in parts:
            console.print(part)
        sys.stdout.flush()
        return
    if lines is None:
        streams.write(to_stacked(view, result, term.width))
    else:
        layout.write(lines, term, sys.stdout)


def _renderer(module: str, function: str):
    return getattr(import_module(f"ketcli.render.terminal.{module}"), function)


def to_stacked(view: View, result: dict, width: int) -> str:
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
        text = f"trial: {trial['name']} [{','.join(map(str, trial['refs']))}]: {trial['finding']}"
        blocks.append("\n".join(wrap_plain(safe(text), width, "  ")))
    if result.get("references"):
        from ketcli.render.citations import format_vancouver

        refs = [f"[{r['number']}] {format_vancouver(r)}" for r in result["references"]]
        blocks.append("\n".join(line for ref in refs for line in wrap_plain(safe(ref), width, "  ")))
    return "\n\n".join(blocks) + "\n"


