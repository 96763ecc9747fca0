"""The compare view is drawn without rich's console (layout.py): it must fit the width,
lose no word, choose width and colour as rich's Console does, and stay rich-free."""

import io
import os
import subprocess
import sys
import tomllib

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from ketcli.render.terminal import layout
from ketcli.data.dataset import bundled_path
from ketcli.render.terminal.layout import Facts, Grid, Para, Terminal
from ketcli.render.terminal.streams import console


def plain(lines):
    return ["".join(text for text, _ in line) for line in lines]


def words(text: str) -> list[str]:
    return text.split()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab cdé字\n—[]"), max_size=120), st.integers(2, 40))
def test_wrap_fits_the_width_and_keeps_every_character(text, width):
    lines = plain(layout.wrap([(text, "bold")], width))
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(words("".join(lines))) == "".join(words(text))


def test_wrap_breaks_between_words_and_only_cuts_a_word_longer_than_the_line():
    assert plain(layout.wrap([("Transient dissociation and hypertension", "")], 26)) == [
        "Transient dissociation and", "hypertension"]
    assert plain(layout.wrap([("Quick-Inventory-of-Depressive", "")], 10)) == ["Quick-Inve", "ntory-of-D", "epressive"]
    # A wide character takes two cells and is never split.
    assert plain(layout.wrap([("抗抑郁药物", "")], 4)) == ["抗抑", "郁药", "物"]


def test_styles_survive_wrapping_and_spaces_inside_a_style_keep_it():
    lines = layout.wrap([("Hours", ""), (" [1,3,15]", "cyan")], 8)
    assert lines == [[("Hours", "")], [("[1,3,15]", "cyan")]]
    assert layout.wrap([("Head-to-head trials", "bold underline")], 40) == [
        [("Head-to-head", "bold underline"), (" ", "bold underline"), ("trials", "bold underline")]]


def grid_of(result_rows: list[list[str]], header: list[str]) -> Grid:
    return Grid("Title", header, [[[(cell, "")] for cell in row] for row in result_rows])


@pytest.mark.parametrize("width", [60, 61, 73, 80, 100, 137, 200])
def test_grid_lines_fill_at_most_the_width_and_columns_line_up(width):
    grid = grid_of([["Onset of action", "Hours [1,3,15]", "After several treatment sessions [3]"],
                    ["Tolerability", "Transient dissociation and hypertension [24,25]",
                     "Potentially permanent cognitive side effects [3,11,14]"]],
                   ["", "Ketamine", "ECT"])
    lines = plain(layout.render([grid], Terminal(width, False, "utf-8")))
    assert all(cell_len(line) <= width for line in lines)
    assert lines[3] == " " + "━" * (width - 2)
    header = lines[2]
    ect_column = header.index("ECT")
    body = [line for line in lines[4:] if line.strip()]
    assert body[0].index("After") == ect_column  # every row's second column starts under its header
    cells = " ".join(text for row in grid.rows for cell in row for text, _ in cell)
    assert sorted(words(" ".join(lines[4:]))) == sorted(words(cells))  # nothing lost, nothing added


def test_a_grid_too_narrow_for_its_columns_is_not_drawn():
    grid = grid_of([["Onset of action", *["several weeks"] * 6]], ["", *"ABCDEF"])
    assert layout.render([grid], Terminal(60, False, "utf-8")) is None
    assert layout.render([grid], Terminal(140, False, "utf-8")) is not None


def test_wide_characters_count_as_two_cells_in_a_grid():
    grid = grid_of([["起效", "数小时内起效，疗效可持续数天至数周", "数周"]], ["", "氯胺酮", "选择性血清素再摄取抑制剂"])
    lines = plain(layout.render([grid, Facts([("结果", [("五十五点四", "")])])], Terminal(60, False, "utf-8")))
    assert all(cell_len(line) <= 60 for line in lines)


def test_a_stream_that_cannot_encode_gets_ascii_before_measuring():
    items = [Para([("TrkB–mTORC1 μ-opioid " * 5, "")])]
    lines = plain(layout.render(items, Terminal(30, False, "ascii")))
    assert all(len(line) <= 30 and line.isascii() for line in lines)
    assert "mu-opioid" in " ".join(lines)


# Width and colour: the same choice as rich's Console, made as output.console makes it.
ENVIRONMENTS = [
    {},
    {"COLUMNS": "100"},
    {"COLUMNS": "100", "LINES": "30"},
    {"COLUMNS": "x"},
    {"FORCE_COLOR": "1"},
    {"FORCE_COLOR": ""},
    {"FORCE_COLOR": "1", "TERM": "dumb", "COLUMNS": "120"},
    {"FORCE_COLOR": "1", "TERM": "dumb", "COLUMNS": "120", "LINES": "40"},
    {"NO_COLOR": "1", "FORCE_COLOR": "1"},
    {"CLICOLOR_FORCE": "1"},
    {"CLICOLOR_FORCE": "1", "TERM": "unknown"},
    {"TTY_COMPATIBLE": "1"},
    {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    {"TERM": "dumb"},
]


@pytest.mark.parametrize("tty", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("env", ENVIRONMENTS, ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()) or "empty")
def test_width_and_colour_are_rich_consoles(env, tty, monkeypatch):
    for name in ("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "CLICOLOR_FORCE", "TERM", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if tty:
        main, other = os.openpty()
        stream = open(other, "w", encoding="utf-8")
    else:
        main, stream = None, io.StringIO()
    try:
        rich_console = console(stream)
        ours = layout.terminal(stream)
        assert ours.width == rich_console.width
        assert ours.colour == (rich_console.color_system is not None)
    finally:
        stream.close()
        if main is not None:
            os.close(main)


def test_colour_on_a_forced_terminal_is_sgr_codes_and_none_otherwise(run):
    forced = run("compare", "ketamine", "ect", env={"FORCE_COLOR": "1", "NO_COLOR": ""}).out
    assert "\x1b[3mComparison (the review's Table 1)\x1b[0m" in forced
    assert "Hours \x1b[36m[1,3,15]\x1b[0m" in forced
    plain_out = run("compare", "ketamine", "ect", env={"NO_COLOR": ""}).out
    assert "\x1b" not in plain_out


def test_no_line_ends_in_spaces_or_passes_the_width(run):
    for columns in ("60", "80", "100", "133"):
        out = run("compare", "ketamine", "ssri", "tca", "ect", env={"COLUMNS": columns}).out
        lines = out.splitlines()
        assert all(cell_len(line) <= int(columns) for line in lines), columns
        assert not any(line != line.rstrip() for line in lines)


def test_too_many_columns_for_the_width_become_labelled_blocks(run):
    out = run("compare", "ketamine", "ssri", "tca", "ect", "mst", "esketamine", env={"COLUMNS": "70"}).out
    assert "━━━" not in out  # no grid
    assert "dimension: onset" not in out and "text: Hours" not in out  # no raw field dump
    assert "Onset of action\nKetamine: Hours [1,3,15]" in out  # the one narrow shape (layout.stack)
    assert "Head-to-head trials" in out and "41.2%" in out and "Notes on the cells" in out
    wide = run("compare", "ketamine", "ssri", "tca", "ect", "mst", "esketamine", env={"COLUMNS": "160"}).out
    assert "Comparison (the review's Table 1)" in wide


def test_a_user_dataset_with_wide_characters_fits_the_terminal(run, tmp_path):
    raw = tomllib.loads(bundled_path().read_text(encoding="utf-8"))
    for cell in raw["table1"]:
        if cell["treatment"] == "ketamine":
            cell["text"] = "数小时内起效，疗效可持续数天至数周" + cell["text"]
    path = tmp_path / "wide.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    r = run("--data", str(path), "compare", "ketamine", "ect", env={"COLUMNS": "80"})
    assert r.code == 0, r.err
    assert all(cell_len(line) <= 80 for line in r.out.splitlines())
    assert "数小时内" in r.out


def test_the_compare_table_does_not_import_richs_console():
    code = ("import sys\n"
            "from ketcli.cli.app import app\n"
            "try:\n    app(['compare', 'ketamine', 'ect'], prog_name='ketcli')\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rich.console', 'rich.table', 'rich.text') if m in sys.modules), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "100"})
    assert "Hours [1,3,15]" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("columns", ["80", "90", "120"])
def test_the_four_treatments_fit_80_columns_without_cutting_a_word(run, columns):
    doc = run("compare", "--json").json()
    out = run("compare", env={"COLUMNS": columns}).out
    shown = out.split()
    for row in doc["rows"]:
        for word in row["label"].split() + [w for cell in row["cells"] for w in cell["text"].split()]:
            assert word in shown, (word, columns)


def test_labels_wrap_only_when_the_cells_would_otherwise_be_cut():
    cells = ["Antimuscarinic cardiotoxicity", "dissociation hypertension", "Potentially permanent"]
    grid = grid_of([["Duration of effects", *cells]], ["", "A", "B", "C"])
    wide = plain(layout.render([grid], Terminal(120, False, "utf-8")))
    assert any(line.startswith("  Duration of effects") for line in wide)
    narrow = plain(layout.render([grid], Terminal(64, False, "utf-8")))
    assert [line[2:10].strip() for line in narrow[4:7]] == ["Duration", "of", "effects"]
    assert all(cell_len(line) <= 64 for line in narrow)
    assert sorted(words(" ".join(narrow[4:]))) == sorted(words(" ".join(["Duration of effects", *cells])))


def test_a_word_that_must_be_cut_takes_no_width_from_the_other_columns():
    # 6 treatments at 100 columns: the longest words fit (12+12+15+11+8+8 cells), so none is cut.
    long_token = "x" * 74
    grid = grid_of([["Tolerability", long_token + " [1]", "Sexual dysfunction, weight gain", "Antimuscarinic side "
                     "effects, cardiotoxicity, plus typical SSRI side effects"]], ["", "A", "B", "C"])
    lines = plain(layout.render([grid], Terminal(82, False, "utf-8")))
    shown = " ".join(lines).split()
    assert "cardiotoxicity," in shown and "Antimuscarinic" in shown and "dysfunction," in shown
    assert any(line.startswith("  Tolerability ") for line in lines)  # the label keeps its line


def test_no_word_of_six_treatments_is_cut_when_all_fit(run):
    doc = run("compare", "ketamine", "ssri", "tca", "ect", "esketamine", "mst", "--json").json()
    # Their longest words and the labels' take 81 cells, the gaps between the 7 columns 20.
    out = run("compare", "ketamine", "ssri", "tca", "ect", "esketamine", "mst", env={"COLUMNS": "101"}).out
    shown = out.split()
    for row in doc["rows"]:
        for word in [w for cell in row["cells"] for w in cell["text"].split()]:
            assert word in shown, word


def test_about_on_a_narrow_terminal_keeps_every_fact(run):
    out = run("about", env={"COLUMNS": "40"}).out
    assert all(cell_len(line) <= 40 for line in out.splitlines())
    for fact in ("review", "author", "journal", "DOI", "license", "sha256", "limitation"):
        assert any(line.startswith(fact + " ") for line in out.splitlines()), fact
    assert "10.7759/cureus.83244" in out


def test_the_stacked_lines_count_wide_characters_as_two_cells(run, tmp_path):
    raw = tomllib.loads(bundled_path().read_text(encoding="utf-8"))
    for cell in raw["table1"]:
        if cell["treatment"] == "ketamine":
            cell["text"] = "数小时内起效，随后数天内效果持续增强，部分患者在第一次输注后即感到明显缓解"
    path = tmp_path / "wide.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    out = run("--data", str(path), "compare", "ketamine", "ect", env={"COLUMNS": "40"}).out
    assert "数小时内起效" in out
    assert all(cell_len(line) <= 40 for line in out.splitlines())


def test_one_blank_line_before_the_references_and_no_heading_without_any(run):
    out = run("compare", "ketamine", "ect").out
    assert "\n\n\nReferences" not in out and "\n\nReferences\n[1] " in out
    empty = run("compare", "bupropion", "mst")
    assert empty.code == 0 and "References" not in empty.out
    assert empty.out.startswith("Bupropion is not in the review's Table 1: see ketcli treatment bupropion\n"
                                "MST is not in the review's Table 1: see ketcli treatment mst\n")


def test_columns_0_is_taken_as_unset_by_every_view(run):
    for args in (["compare", "ketamine", "ect"], ["side-effects", "ketamine"]):
        out = run(*args, env={"COLUMNS": "0"}).out
        assert len(out.splitlines()) > 5, args
        assert max(cell_len(line) for line in out.splitlines()) <= 80


def test_a_full_disk_behind_stdout_is_a_failed_write_not_a_bug():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    for args in (["compare", "ketamine", "ect"], ["compare", "--json"], ["side-effects", "ketamine"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run([sys.executable, "-m", "ketcli", *args], stdout=full, stderr=subprocess.PIPE,
                                  text=True)
        assert done.returncode == 4, (args, done.stderr)
        assert done.stderr.strip() == "ketcli: error: cannot write the output: No space left on device", args


@pytest.mark.parametrize("view, ask", [
    ("compare", lambda d: d.compare()), ("compare", lambda d: d.compare("ketamine", "esketamine", "ssri", "tca", "ect")),
    ("about", lambda d: d.about()), ("sof", lambda d: d.sof()), ("sof_gaps", lambda d: d.sof("ketamine", "ect")),
])
def test_every_plain_view_draws_at_any_width(view, ask):
    """A plain view whose grid cannot fit has a narrow twin: no width leaves it undrawn."""
    from io import StringIO

    import ketcli
    from ketcli.render.terminal import layout
    from ketcli.render.terminal.draw import draw

    result = ask(ketcli.open())
    for width in (12, 40, 59, 80, 200):
        out = StringIO()
        draw(result, view, out, layout.Terminal(width, False, "utf-8"))
        assert out.getvalue().strip()
