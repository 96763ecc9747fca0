"""A table too wide for the terminal has one narrow form (layout.stack), whether the view is
drawn by layout.py (compare) or by rich (every other table): "Header: cell" blocks."""

from collections import Counter
from io import StringIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ketcli.render.terminal import layout
from ketcli.render.terminal.layout import Grid, Terminal
from ketcli.render.terminal.narrow import unfold


def _stacked(grid: Grid, width: int) -> str:
    lines = layout.render(layout.stack(grid), Terminal(width, False, "utf-8"))
    assert lines is not None
    out = StringIO()
    layout.write(lines, Terminal(width, False, "utf-8"), out)
    return out.getvalue()


def _unfolded(table: Table, width: int) -> str:
    out = StringIO()
    Console(file=out, width=width, color_system=None).print(unfold(table))
    return out.getvalue()


CELLS = [["Onset of action", "Hours [1,3,15]", "After several treatment sessions [3]"],
         ["Tolerability", "Transient dissociation and hypertension [24,25]†",
          "Potentially permanent cognitive side effects [3,11,14]†\nnote: debated"]]


@pytest.mark.parametrize("width", [12, 40, 59])
def test_a_plain_grid_and_a_rich_table_stack_the_same(width):
    grid = Grid("Comparison", ["", "Ketamine", "ECT"], [[[(c, "")] for c in row] for row in CELLS])
    table = Table(box=box.SIMPLE_HEAVY, title="Comparison")
    for header in ("", "Ketamine", "ECT"):
        table.add_column(header)
    for row in CELLS:
        table.add_row(*(Text(c) for c in row))
    assert _stacked(grid, width).rstrip("\n") == _unfolded(table, width).rstrip("\n")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab cdé字\n[]"), max_size=60), min_size=3, max_size=3),
       st.integers(4, 60))
def test_a_stacked_table_fits_the_width_and_keeps_every_word(cells, width):
    grid = Grid("T", ["", "Header one", "Long header number two"], [[[(c, "")] for c in cells]])
    text = _stacked(grid, width)
    assert all(cell_len(line) <= width for line in text.splitlines())
    assert all(line == line.rstrip() for line in text.splitlines())
    # the wrap may cut a word longer than the line: count the characters, not the words
    assert not Counter("".join(" ".join(cells).split())) - Counter("".join(text.split()))


def test_every_command_with_a_table_has_the_same_narrow_shape(run):
    env = {"COLUMNS": "40"}
    compare = run("compare", "ketamine", "ect", env=env).out
    assert "Onset of action\nKetamine: Hours [1,3,15]\n" in compare
    assert "Ketamine: Upwards of $1000 per\n  treatment for IV [34]†\n" in compare
    timeline = run("timeline", env=env).out
    assert "Year: 1956\nAs printed: 1956\nEvent: Phencyclidine (PCP), ketamine's\n  predecessor, first synthesized\n" \
        "Refs: [4]\n" in timeline
    effects = run("side-effects", "ketamine", env=env).out
    assert "Treatment: Ketamine\nEffect: dissociation:" in effects
    for out in (compare, timeline, effects):
        table = out.split("\n\nReferences")[0].split("\n\nStudies")[0]
        assert all(line == line.rstrip() for line in table.splitlines())


@pytest.mark.parametrize("width", [8, 20, 40])
def test_no_stacked_line_ends_in_spaces_even_through_rich(width):
    """A cell with a blank line, a kept (no_wrap) cell longer than the line: drawn through
    rich's console (where layout.write's stripping does not run), no line ends in spaces."""
    table = Table(title="T")
    table.add_column("Label")
    table.add_column("A rather long header", no_wrap=True)
    table.add_row(Text("first\n\n  indented under it"), Text("[1,2,3,4,5,6,7,8,9,10,11,12,13,14]"))
    text = _unfolded(table, width)
    assert "".join(text.split()) == "TLabel:firstindentedunderitAratherlongheader:[1,2,3,4,5,6,7,8,9,10,11,12,13,14]"
    assert all(line == line.rstrip() for line in text.splitlines())
