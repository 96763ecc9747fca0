"""Text from a dataset cannot drive the terminal; colour follows the environment."""

import tomllib

import tomli_w

from ketcli.data.dataset import bundled_path
from ketcli.render.terminal.streams import safe


def test_control_and_bidi_characters_become_visible_escapes():
    assert safe("a\x1b[31mred\x07\u202eb") == "a\\x1b[31mred\\x07\\u202eb"
    assert safe("line\nnext\ttab μ–") == "line\nnext\ttab μ–"


def test_markup_and_escapes_in_the_data_are_printed_literally(run, tmp_path):
    raw = tomllib.loads(bundled_path().read_text(encoding="utf-8"))
    for cell in raw["table1"]:
        if cell["treatment"] == "ketamine" and cell["dimension"] == "onset":
            cell["text"] = "[bold red]Hours[/] \x1b]8;;http://x\x07link\x1b]8;;\x07"
    path = tmp_path / "hostile.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    r = run("--data", str(path), "compare", "ketamine", env={"CLICOLOR_FORCE": "1", "NO_COLOR": ""})
    assert r.code == 0, r.err
    assert "[bold red]Hours[/]" in r.out
    assert "\x1b]8;;http" not in r.out and "\x07" not in r.out
    assert "\\x1b]8;;http://x\\x07link" in r.out
    doc = run("--data", str(path), "compare", "ketamine", "--json").json()
    assert doc["rows"][0]["cells"][0]["text"].startswith("[bold red]Hours[/] \x1b]8;;")


def test_no_colour_when_not_a_terminal_and_colour_when_forced(run):
    plain = run("mechanism", "opioid")
    assert "\x1b[" not in plain.out
    forced = run("mechanism", "opioid", env={"CLICOLOR_FORCE": "1", "NO_COLOR": ""})
    assert "\x1b[" in forced.out
