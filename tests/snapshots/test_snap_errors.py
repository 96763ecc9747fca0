"""The errors a user meets: one line on stderr (with its hint) and the documented exit code
(1 nothing found / unknown name, 2 usage, 3 dataset unreadable or invalid, 4 a write refused)."""

from pathlib import Path

import pytest

from shots import TYPER_LINES, invoke, on_typer_line

ERRORS = [
    # 1: nothing found, an unknown or ambiguous name
    ["compare", "ketamne"],
    ["compare", "ketamine", "s"],
    ["mechanism", "opiod"],
    ["mechanism", "bdnf", "--pathway"],
    ["mechanism", "bdnf", "--format", "dot"],
    ["treatment", "zzz"],
    ["side-effects", "nosuch"],
    ["sof", "nosuch"],
    ["cite", "99"],
    ["cite", "nosuchkey2020"],
    ["search", "zzzzqqq"],
    ["search", "--topic", "nosuchtopic"],
    ["schema", "nosuch"],
    # 2: usage
    ["nosuchcommand"],
    ["compare", "ketamine", "--json", "--format", "csv"],
    ["compare", "--fields", "nosuch", "--format", "csv"],
    ["timeline", "--fields", "year,nosuch", "--format", "jsonl"],
    ["mechanism", "--format", "dot"],
    ["mechanism", "--pathway"],
    ["mechanism", "--quotes"],
    ["mechanism", "nmdar", "--map"],
    ["mechanism", "nmdar", "--pathway", "--quotes"],
    ["treatment", "--claims"],
    ["treatment", "ketamine", "--topic", "abuse"],
    ["treatment", "ketamine", "--quotes"],
    ["cite", "11", "--treatment", "ect"],
    ["cite", "--mechanism", "opioid", "--usage"],
    ["cite", "33", "--usage", "--format", "bibtex"],
    ["brief"],
    ["brief", "--output", " "],
    ["export", "sqlite", "-"],
    ["export", "sqlite", "x.db", "--metadata", "-"],
    # 3: dataset unreadable
    ["--data", "nosuch/treatments.toml", "compare"],
    ["--data", "README.md", "about"],
]
# Usage errors worded by typer itself (a value outside a choice or a range): per typer line.
FRAMEWORK_WORDED = [
    ["compare", "--format", "xml"],
    ["search", "--limit", "0", "ketamine"],
    ["mcp", "--config", "nosuch"],
]


@pytest.mark.parametrize("args", ERRORS, ids=lambda a: "-".join(a).replace(" ", "_") or "none")
def test_error(snapshot, args):
    shot = invoke(*args)
    assert shot.code != 0
    assert shot.text() == snapshot


@pytest.mark.parametrize("args", FRAMEWORK_WORDED, ids=lambda a: "-".join(a))
@pytest.mark.parametrize("line", TYPER_LINES, ids=lambda line: f"typer-{line}")
def test_error_worded_by_typer(snapshot, args, line):
    on_typer_line(line)
    shot = invoke(*args)
    assert shot.code == 2
    assert shot.text() == snapshot


def test_an_invalid_dataset_lists_its_problems(snapshot, tmp_path, monkeypatch):
    from shots import ROOT

    text = (ROOT / "data" / "treatments.toml").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # named relative to the working directory: the same path on every machine
    Path("mistyped.toml").write_text(text.replace("year = 2025", 'year = "soon"', 1), encoding="utf-8")
    Path("miscited.toml").write_text(text.replace("refs = [11]", "refs = [99]", 1), encoding="utf-8")
    for name in ("mistyped.toml", "miscited.toml"):
        for args in (["validate", name], ["--data", name, "compare"], ["validate", name, "--json"]):
            shot = invoke(*args)
            assert shot.code == 3
            assert shot.text() == snapshot
