"""A rich view's tables on a narrow terminal: each rich Table becomes a layout Grid and is
drawn by layout.stack, the one narrow fallback the plain views (compare) use too, so a
reader gets the same "Header: cell" blocks from every command. What is not a table
(headings, trees, reference lists) is drawn as it is, at the terminal's width.
"""

from __future__ import annotations

from rich.errors import StyleSyntaxError
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ketcli.render.terminal.layout import SGR, Grid, Line, stack
from ketcli.render.terminal.rich_views import Drawn


def unfold(part):
    """A rich Table as stacked row blocks; any other renderable unchanged."""
    if not isinstance(part, Table):
        return part
    headers = [_text(c.header).plain if part.show_header else "" for c in part.columns]
    rows = [[_line(column._cells[i]) for column in part.columns] for i in range(part.row_count)]
    kept = tuple(bool(c.no_wrap) for c in part.columns)
    grid = Grid(_text(part.title).plain if part.title else "", headers, rows, kept,
                _text(part.caption).plain if part.caption else "")
    return Drawn(stack(grid))


def _text(renderable) -> Text:
    return renderable if isinstance(renderable, Text) else Text(str(renderable))


def _line(cell) -> Line:
    """A cell's Text as styled spans (layout's style names: what SGR can show)."""
    text = _text(cell)
    plain = text.plain
    cuts = sorted({0, len(plain), *(s.start for s in text.spans), *(s.end for s in text.spans)})
    line: Line = []
    for start, end in zip(cuts, cuts[1:]):
        if start >= len(plain):
            break
        styles = [text.style] + [s.style for s in text.spans if s.start <= start and s.end >= end]
        line.append((plain[start:end], _names(styles)))
    return line


def _names(styles) -> str:
    names: list[str] = []
    for style in styles:
        if isinstance(style, str):
            try:
                style = Style.parse(style) if style else None
            except StyleSyntaxError:  # a theme's name ("table.title"): no style of its own here
                style = None
        if style is None:
            continue
        names += [name for name in ("bold", "dim", "italic", "underline") if getattr(style, name)]
        if style.color is not None and style.color.name in SGR:
            names.append(style.color.name)
    return " ".join(dict.fromkeys(names))
