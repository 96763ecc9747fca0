"""Drawing a result on the terminal: which renderer draws which view, at what width.

Each view of render/views.py carries its `Drawing`: plain drawings (plain_views.py) are
laid out by layout.py without rich's console (compare, about: the cheap start-up path);
the others (rich_views.py, pictures.py) are rich renderables. Below RICH_NARROW columns a
rich view's tables become "Header: cell" blocks (narrow.py), and a plain view whose grid
does not fit is drawn by its narrow twin: the labels and all content stay. These two are the
terminal's only narrow fallbacks, and both are decided here.
"""

from __future__ import annotations

import sys
from typing import IO, TYPE_CHECKING

from ketcli.render.terminal import layout, streams
from ketcli.render.views import VIEWS

if TYPE_CHECKING:
    from ketcli.query.results import Result


RICH_NARROW = 80
"""Below this many columns a rich view's tables are drawn as blocks: their narrow columns
would otherwise fold words (and references) mid-word."""


def draw(result: Result, view_name: str, stream: IO[str] | None = None, term: layout.Terminal | None = None,
         stacked: bool = False) -> None:
    """Print `result` as its view's table on `stream` (stdout), for `term` (the stream's own);
    `stacked`: as on a narrow terminal, every table as blocks of "Header: cell" lines."""
    view = VIEWS[view_name]
    out = stream if stream is not None else sys.stdout
    term = term or layout.terminal(out)
    drawing = view.drawing
    if drawing.plain:  # a grid that does not fit is drawn by the view's narrow twin: labels and content stay
        lines = None if stacked and drawing.narrow else layout.render(drawing.parts(result), term)
        if lines is None and drawing.narrow is not None:
            lines = layout.render(drawing.narrow(result), term)
        if lines is None:  # a bug, not a terminal: tests/render/test_layout.py draws every plain view at 12 columns
            raise ValueError(f"view {view_name}: a grid wider than {term.width} columns and no narrow twin")
        layout.write(lines, term, out)
        return
    console = streams.console(out, width=term.width, colour=None if stream is None else term.colour)
    parts = drawing.parts(result)  # rich loads only here
    if stacked or term.width < RICH_NARROW:  # tables become "Header: cell" blocks (narrow.py)
        from ketcli.render.terminal.narrow import unfold

        parts = [unfold(p, term.width) for p in parts]
    for part in parts:
        console.print(part)
    out.flush()


def to_text(result: Result, view_name: str, width: int = 100) -> str:
    """The result as the terminal draws it, stacked and without colour: plain text with the
    same labels, numbers, notes, [n] and references (what the MCP server's text carries)."""
    from io import StringIO

    buffer = StringIO()
    draw(result, view_name, buffer, layout.Terminal(width, False, "utf-8"), stacked=True)
    return buffer.getvalue()
