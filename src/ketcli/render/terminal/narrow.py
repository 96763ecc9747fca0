"""Views on a terminal narrower than layout.NARROW: each table row becomes a block of
"Column header" lines with the cell below, so the labels people read and every line of
every cell (notes, numbers, references) stay, and nothing is cut. What is not a table
(headings, trees, reference lists) is drawn as it is, at the terminal's width.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text


def _plain(renderable) -> str:
    return renderable.plain if isinstance(renderable, Text) else str(renderable)


def unfold(part, width: int):
    """A rich Table as stacked row blocks; any other renderable unchanged."""
    if not isinstance(part, Table):
        return part
    out: list = []
    if part.title:
        out.append(Text(_plain(part.title), style="bold"))
    headers = [_plain(c.header) for c in part.columns]
    for i in range(part.row_count):
        block: list = []
        for header, column in zip(headers, part.columns):
            cell = column._cells[i]
            text = (cell if isinstance(cell, Text) else Text(str(cell))).copy()
            if not text.plain.strip():
                continue
            text.overflow, text.no_wrap = "fold", False  # wrap, never cut
            label = Text(f"{header}: " if header else "", style="bold")
            if cell_len(label.plain + text.plain) <= width and "\n" not in text.plain:
                block.append(Text.assemble(label, text))
            else:
                block += [label, Padding(text, (0, 0, 0, 2))] if header else [text]
        out += [Group(*block), Text("")]
    if part.caption:
        out.append(Text(_plain(part.caption), style="dim"))
    return Group(*out)
