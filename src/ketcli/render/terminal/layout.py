"""Styled lines without rich's Console: a grid, "label value" facts and paragraphs.

`ketcli compare`, the command people run most, is drawn here: importing rich's console
and table costs about twice the bare interpreter's start (bench/startup.py), more than
the whole query. Cell widths come from rich.cells (a wide character takes two cells),
and the terminal rules — width, and whether to colour — are those of rich's Console
(tests/test_layout.py holds them side by side), so the output looks and behaves like
the other commands' rich tables.
"""

from __future__ import annotations

import os
from itertools import groupby
from operator import itemgetter
from typing import IO, NamedTuple

from rich.cells import cell_len, chop_cells

from ketcli.render.terminal.streams import colour_wanted
from ketcli.render.terminal.streams import write as write_text

Span = tuple[str, str]
"""Text and its style: space-separated names of SGR["bold dim …"], or "" for none."""
Line = list[Span]

SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4",
       "red": "31", "green": "32", "yellow": "33", "cyan": "36"}
MIN_COLUMN = 10
"""A grid whose columns would cut words into pieces narrower than this is not drawn (render → None)."""
NARROW = 60
"""Nor is a grid on a terminal narrower than this: "column: value" lines read better there."""


class Para(NamedTuple):
    """Styled text, word-wrapped to the width; no spans is a blank line."""
    spans: Line


class Facts(NamedTuple):
    """Aligned "label value" rows, each value wrapped under itself."""
    rows: list[tuple[str, Line]]
    indent: int = 0


class Grid(NamedTuple):
    """A table in the look of rich's SIMPLE_HEAVY box with a blank line between rows.
    The first column keeps a line per label unless that would cut more words in the
    others; they share the rest of the width, none narrower than its longest word
    while the width allows. Where it cannot fit, `stack` draws it as blocks."""
    title: str
    header: list[str]
    rows: list[list[Line]]
    kept: tuple[bool, ...] = ()
    """Per column: its cells' lines are kept as they are, spaces and all (a bar of a chart)."""
    caption: str = ""


class Field(NamedTuple):
    """One cell of a stacked table: "label: value", wrapped, later lines indented by INDENT;
    `kept`: the value's own lines as they are (folded only where wider than the terminal)."""
    label: str
    value: Line
    kept: bool = False


Item = Para | Facts | Grid | Field

INDENT = 2
"""How far a stacked cell's continuation lines are indented under its label."""


def stack(grid: Grid) -> list[Item]:
    """The terminal's one narrow fallback, for every table of every view: the title, then
    a block per row of "Header: cell" fields (a header-less cell stands alone), blocks
    apart by a blank line, then the caption. Every cell keeps every line (values, notes,
    [n] markers) and its style; nothing is cut."""
    items: list[Item] = [Para([(grid.title, "bold")])] if grid.title else []
    for row in grid.rows:
        for i, (header, cell) in enumerate(zip(grid.header, row)):
            if _plain(cell).strip():
                items.append(Field(header, cell, i < len(grid.kept) and grid.kept[i]))
        items.append(Para([]))
    if grid.caption:
        items.append(Para([(grid.caption, "dim")]))
    return items


def stacked(items: list[Item]) -> list[Item]:
    """The items with every Grid stacked (`stack`)."""
    return [part for item in items for part in (stack(item) if isinstance(item, Grid) else [item])]


class Terminal(NamedTuple):
    width: int
    colour: bool
    encoding: str


def terminal(stream: IO[str]) -> Terminal:
    """The width and colour rich's Console, as streams.console makes it, would use
    (but COLUMNS=0 means unset: rich would draw into no columns, printing nothing)."""
    env = os.environ
    forced = colour_wanted(stream)
    is_terminal = forced if forced is not None else _is_terminal(stream, env)
    dumb = is_terminal and env.get("TERM", "").lower() in ("dumb", "unknown")
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
    return Terminal(_width(env, dumb), is_terminal and not dumb, encoding)


def _is_terminal(stream: IO[str], env) -> bool:
    compatible = env.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    force = env.get("FORCE_COLOR")
    if force is not None:
        return force != ""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


MAX_WIDTH = 1_000  # COLUMNS=999999999999999999999 is no index; a line that long, no page


def _width(env, dumb: bool) -> int:
    columns, lines = env.get("COLUMNS", ""), env.get("LINES", "")
    if columns == "0" * len(columns):  # rich would draw into 0 columns, i.e. print nothing
        columns = ""
    if columns.isdecimal() and lines.isdecimal():
        return min(int(columns), MAX_WIDTH)
    if dumb:
        return 80
    width = None
    for fd in (0, 1, 2):  # like rich: any standard stream that is a terminal gives its size
        try:
            width = os.get_terminal_size(fd).columns
            break
        except (OSError, ValueError):
            pass
    if columns.isdecimal():
        width = int(columns)
    return min(width or 80, MAX_WIDTH)


def render(items: list[Item], term: Terminal) -> list[Line] | None:
    """The items as lines of at most term.width cells; None if a grid cannot fit."""
    if "utf" not in term.encoding:
        items = _transliterated(items, term.encoding)
    lines: list[Line] = []
    for item in items:
        if isinstance(item, Grid):
            drawn = _grid(item, term.width)
            if drawn is None:
                return None
            lines += drawn
        elif isinstance(item, Facts):
            lines += _facts(item, term.width)
        elif isinstance(item, Field):
            lines += _field(item, term.width)
        else:
            lines += wrap(item.spans, term.width)
    return lines


def write(lines: list[Line], term: Terminal, stream: IO[str]) -> None:
    text = []
    for line in lines:
        line = list(line)
        while line and not line[-1][0].strip():
            line.pop()
        if line:
            line[-1] = (line[-1][0].rstrip(), line[-1][1])
        if term.colour:
            text.append("".join(_sgr("".join(t for t, _ in run), s) for s, run in groupby(line, key=itemgetter(1))))
        else:
            text.append("".join(t for t, _ in line))
    write_text("\n".join(text), stream, styled=True)


def _sgr(text: str, style: str) -> str:
    codes = ";".join(SGR[name] for name in style.split() if name in SGR)
    return f"\x1b[{codes}m{text}\x1b[0m" if codes and text else text


def wrap(spans: Line, width: int) -> list[Line]:
    """Greedy word wrap of styled text; a word wider than the line is cut."""
    width = max(width, 1)
    lines: list[Line] = [[]]
    used = 0
    gap = False  # whitespace before the next word

    def place(word: str, style: str) -> None:
        nonlocal used
        size = cell_len(word)
        if used and used + gap + size <= width:
            if gap:  # styled like the words around it, so an underline runs on
                lines[-1].append((" ", style if lines[-1][-1][1] == style else ""))
                used += 1
        elif used:
            lines.append([])
            used = 0
        if size > width:  # cut once: cutting piece by piece is quadratic in the word's length
            pieces = [piece for piece in chop_cells(word, width) if piece]  # "" before a wide character on a 1-cell line
            for piece in pieces[:-1]:
                lines[-1].append((piece, style))
                lines.append([])
            word = pieces[-1] if pieces else ""
            size = cell_len(word)
            if size > width:  # a wide character on a 1-cell line stands alone
                lines[-1].append((word, style))
                lines.append([])
                word, size = "", 0
        if word:
            lines[-1].append((word, style))
            used += size

    for text, style in spans:
        for n, part in enumerate(text.split("\n")):
            if n:
                lines.append([])
                used, gap = 0, False
            words = part.split()
            gap = gap or part[:1].isspace()
            for word in words:
                place(word, style)
                gap = True
            gap = part[-1:].isspace() if words else gap or bool(part)
    return lines


def wrap_plain(text: str, width: int, indent: str = "") -> list[str]:
    """Unstyled text wrapped to `width` cells, the lines after the first indented."""
    lines = wrap([(text, "")], max(width - cell_len(indent), 1))
    return [("" if i == 0 else indent) + _plain(line) for i, line in enumerate(lines)]


def _pad(text: str, width: int) -> str:
    return text + " " * (width - cell_len(text))


def _facts(facts: Facts, width: int) -> list[Line]:
    label_width = max((cell_len(label) for label, _ in facts.rows), default=0)
    room = max(width - facts.indent - label_width - 1, MIN_COLUMN)
    lines = []
    for label, value in facts.rows:
        for i, line in enumerate(wrap(value, room)):
            shown = label if i == 0 else ""
            lines.append([(" " * facts.indent, ""), (_pad(shown, label_width) + " ", "dim" if shown else ""), *line])
    return lines


def _field(field: Field, width: int) -> list[Line]:
    lead: Line = [(f"{field.label}: ", "bold")] if field.label else []
    if field.kept:
        lines = _split_lines(field.value)
        head: list[Line] = []
        if lead and cell_len(_plain(lead) + _plain(lines[0])) > width:
            head = wrap([(field.label + ":", "bold")], width)  # the label on lines of its own
        else:
            lines[0] = lead + lines[0]
        return head + [piece for line in lines for piece in _fold(line, width)]
    indent = min(INDENT, max(width - 1, 0))
    own = _split_lines(field.value)
    lead_size = cell_len(_plain(lead))
    if lead and lead_size > width // 3 and lead_size + cell_len(_plain(own[0])) > width - indent:
        out: list[Line] = wrap([(field.label + ":", "bold")], width)  # a long label on its own line, its value under it
    else:
        first = wrap(lead + own.pop(0), width - indent)
        out = [first[0], *(_indented(indent, line) for line in first[1:])]
    for line in own:  # the cell's own further lines, each under the label, its own indent kept
        text = _plain(line)
        pad = min(indent + len(text) - len(text.lstrip(" ")), max(width // 2, indent))
        out += [_indented(pad, piece) for piece in wrap(line, width - pad)]
    return out


def _indented(pad: int, line: Line) -> Line:
    return [(" " * pad, ""), *line] if line else []  # a blank line stays blank: no trailing spaces


def _split_lines(spans: Line) -> list[Line]:
    lines: list[Line] = [[]]
    for text, style in spans:
        for n, part in enumerate(text.split("\n")):
            if n:
                lines.append([])
            if part:
                lines[-1].append((part, style))
    return lines


def _fold(line: Line, width: int) -> list[Line]:
    """A kept line cut into pieces of at most `width` cells (rich's fold), spaces kept."""
    out: list[Line] = [[]]
    used = 0
    for text, style in line:
        for char in text:
            size = cell_len(char)
            if used and used + size > width:
                out.append([])
                used = 0
            out[-1].append((char, style))
            used += size
    return [[(text, style) for style, run in groupby(piece, key=itemgetter(1)) for text in ["".join(c for c, _ in run)]]
            for piece in out]


def _plain(cell: Line) -> str:
    return "".join(text for text, _ in cell)


def _grid(grid: Grid, width: int) -> list[Line] | None:
    if width < NARROW:
        return None
    columns = [[grid.header[i]] + [_plain(row[i]) for row in grid.rows] for i in range(len(grid.header))]
    natural = [max(cell_len(line) for text in column for line in text.split("\n")) for column in columns]
    longest = [max((cell_len(word) for text in column for word in text.split()), default=0) for column in columns]
    # Two spaces before the first column, three between columns; trailing spaces are not written.
    room = width - 2 - 3 * (len(columns) - 1)
    # The labels keep one line each unless that would cut more words in the other columns.
    first = natural[0]
    if _cuts(longest[1:], room - natural[0]) > _cuts(longest[1:], room - longest[0]):
        first = longest[0]
    rest = room - first
    widths = [first, *_fit(natural[1:], _floors(longest[1:], rest), rest)]
    if any(w < min(MIN_COLUMN, word) for w, word in zip(widths, longest)):  # cut into slivers
        return None
    lines: list[Line] = [[(" " * max((width - cell_len(grid.title)) // 2, 0), ""), (grid.title, "italic")], []]
    lines += _row([wrap([(h, "bold")], w) for h, w in zip(grid.header, widths)], widths)
    lines.append([(" " + "━" * (width - 2), "")])
    for row in grid.rows:
        cells = [wrap([(_plain(row[0]), "bold")], widths[0])] + [wrap(cell, w) for cell, w in zip(row[1:], widths[1:])]
        lines += _row(cells, widths)
        lines.append([])
    return lines


def _floors(longest: list[int], room: int) -> list[int]:
    """Each column's longest word, the longest of them capped so that all fit in `room`:
    a word that must be cut anyway takes no width from the other columns' words."""
    cap = max(longest, default=0)
    while cap > 0 and sum(min(w, cap) for w in longest) > room:
        cap -= 1
    return [min(w, cap) for w in longest]


def _cuts(longest: list[int], room: int) -> int:
    return sum(f < w for f, w in zip(_floors(longest, room), longest))


def _row(cells: list[list[Line]], widths: list[int]) -> list[Line]:
    out = []
    for i in range(max(len(c) for c in cells)):
        line: Line = [("  ", "")]
        for j, (cell, w) in enumerate(zip(cells, widths)):
            part = cell[i] if i < len(cell) else []
            line += [("   " if j else "", ""), *part, (" " * (w - cell_len(_plain(part))), "")]
        out.append(line)
    return out


def _fit(natural: list[int], floors: list[int], room: int) -> list[int]:
    """Column widths that fill `room`. Extra space is shared in proportion to the natural
    widths; when there is too little, the widest columns are narrowed first (as rich
    does), none below its floor."""
    if not natural:
        return []
    total = sum(natural)
    if total <= room:
        widths = [w + (room - total) * w // max(total, 1) for w in natural]
    else:
        level = max(natural)
        while level > 0 and sum(max(f, min(n, level)) for f, n in zip(floors, natural)) > room:
            level -= 1
        widths = [max(f, min(n, level)) for f, n in zip(floors, natural)]
    growing = sorted((i for i in range(len(natural)) if widths[i] < natural[i] or total <= room),
                     key=lambda i: -natural[i]) or [0]
    for i in range(room - sum(widths)):  # the rounding's leftover cells, widest columns first
        widths[growing[i % len(growing)]] += 1
    return widths


def _transliterated(items: list[Item], encoding: str) -> list[Item]:
    """Text the stream can encode, before measuring (μ → "mu" is two cells, not one)."""
    def fix(text: str) -> str:
        return text.encode(encoding, "ketcli-ascii").decode(encoding, "replace")

    def spans(line: Line) -> Line:
        return [(fix(t), s) for t, s in line]

    out: list[Item] = []
    for item in items:
        if isinstance(item, Grid):
            out.append(Grid(fix(item.title), [fix(h) for h in item.header],
                            [[spans(cell) for cell in row] for row in item.rows], item.kept, fix(item.caption)))
        elif isinstance(item, Field):
            out.append(Field(fix(item.label), spans(item.value), item.kept))
        elif isinstance(item, Facts):
            out.append(Facts([(fix(label), spans(value)) for label, value in item.rows], item.indent))
        else:
            out.append(Para(spans(item.spans)))
    return out
