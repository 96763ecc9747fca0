"""Drawing a result on the terminal: which renderer draws which view, at what width.

Each view of render/views.py carries its `Drawing`: plain drawings (plain_views.py) are
laid out by layout.py without rich's console (compare, about: the cheap start-up path);
the others (rich_views.py, pictures.py) are rich renderables. When to fall back is decided
here: below RICH_NARROW columns for a rich view's tables, where its grid does not fit for a
plain view's. How is one rendering, layout.stack: every table becomes blocks of
"Header: cell" lines, the labels and all content kept, the same for every command.
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
    if drawing.plain:  # a grid that does not fit is stacked: labels and content stay
        items = drawing.parts(result)
        lines = None if stacked else layout.render(items, term)
        if lines is None:
            lines = layout.render(layout.stacked(items), term)
        assert lines is not None  # stacked items hold no grid
        layout.write(lines, term, out)
        return
    console = streams.console(out, width=term.width, colour=None if stream is None else term.colour)
    parts = drawing.parts(result)  # rich loads only here
    if stacked or term.width < RICH_NARROW:  # tables become "Header: cell" blocks (narrow.py → layout.stack)
        from ketcli.render.terminal.narrow import unfold

        parts = [unfold(p) for p in parts]
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
