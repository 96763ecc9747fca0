"""The Python API answers what the CLI answers: the same dicts, texts, files and errors."""

import json
import subprocess
import sys

import pytest

import ketcli
from ketcli import api

# (CLI arguments, the API call that must give the same result)
SAME = [
    (["compare"], lambda d: d.compare()),
    (["compare", "ketamine", "ect"], lambda d: d.compare("ketamine", "ect")),
    (["compare", "esketamine", "ssri", "tca"], lambda d: d.compare("esketamine", "ssri", "tca")),
    (["mechanism"], lambda d: d.mechanism()),
    (["mechanism", "opioid"], lambda d: d.mechanism("opioid")),
    (["mechanism", "bdnf"], lambda d: d.mechanism("bdnf")),
    (["mechanism", "--map"], lambda d: d.mechanism(evidence_map=True)),
    (["cite"], lambda d: d.cite()),
    (["cite", "11", "1-3", "anand2023"], lambda d: d.cite(11, "1-3", "anand2023")),
    (["cite", "--treatment", "ect"], lambda d: d.cite(treatment="ect")),
    (["cite", "--mechanism", "opioid"], lambda d: d.cite(mechanism="opioid")),
    (["cite", "--search", "naltrexone"], lambda d: d.cite(search="naltrexone")),
    (["cite", "33", "--usage"], lambda d: d.cite(33, usage=True)),
    # the README's question "which studies support the blood-pressure claims?": the API raised a usage error
    (["cite", "--search", "blood pressure", "--usage"], lambda d: d.cite(search="blood pressure", usage=True)),
    (["treatment"], lambda d: d.treatment()),
    (["treatment", "ketamine"], lambda d: d.treatment("ketamine")),
    (["side-effects"], lambda d: d.side_effects()),
    (["side-effects", "ketamine"], lambda d: d.side_effects("ketamine")),
    (["sof"], lambda d: d.sof()),
    (["sof", "ketamine", "vs", "ect"], lambda d: d.sof("ketamine", "ect")),
    (["side-effects", "ketamine", "vs", "ect"], lambda d: d.side_effects("ketamine", "ect")),
    (["search", "bladder", "problems"], lambda d: d.search("bladder problems")),
    (["search", "--topic", "dosing"], lambda d: d.search(topic="dosing")),
    (["treatment", "ketamine", "--claims", "--topic", "abuse"], lambda d: d.treatment("ketamine", topic="abuse")),
    (["timeline"], lambda d: d.timeline()),
    (["search", "dissociation"], lambda d: d.search("dissociation")),
    (["search", "ketamine", "--limit", "3"], lambda d: d.search("ketamine", limit=3)),
    (["search", "how", "quickly", "does", "ketamine", "start", "working"],
     lambda d: d.search("how quickly does ketamine start working")),
    (["search", "shock", "therapy", "--exact", "-n", "5"], lambda d: d.search("shock therapy", exact=True, limit=5)),
    (["about"], lambda d: d.about()),
    (["validate"], lambda d: d.validate()),
]


@pytest.mark.parametrize("args, call", SAME, ids=[" ".join(a) for a, _ in SAME])
def test_the_api_returns_what_json_prints(run, args, call):
    r = run(*args, "--json")
    assert r.code == 0, r.err
    assert call(ketcli.open()) == r.json()


def test_every_command_with_json_output_is_covered():
    from ketcli.query.results import RESULTS

    assert {args[0] for args, _ in SAME} == set(RESULTS)


def test_module_functions_match_validate_and_schema(run, tmp_path):
    assert api.validate() == run("validate", "--json").json()
    assert api.schema("compare") == run("schema", "compare").json()
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "bundled"\nschema_version = 1\ndataset_version = "x"\nreferences = "all"\n')
    cli = run("validate", str(bad), "--json")
    assert cli.code == 3
    assert api.validate(bad) == cli.json() and cli.json()["ok"] is False


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json", "vancouver", "apa", "csv", "json"])
def test_cite_text_is_what_cite_prints(run, fmt):
    r = run("cite", "--mechanism", "opioid", "--format", fmt)
    assert r.code == 0, r.err
    text = ketcli.open().cite_text(mechanism="opioid", format=fmt)
    # RIS lines end in CR LF, which the test runner's captured stdout reads as LF
    assert text.replace("\r\n", "\n").rstrip("\n") == r.out.rstrip("\n")


def test_cite_file_writes_what_cite_output_writes(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("cite", "1-5", "--output", "cli.bib").code == 0
    written = ketcli.open().cite_file(tmp_path / "api.bib", "1-5")
    assert written.read_text(encoding="utf-8") == (tmp_path / "cli.bib").read_text(encoding="utf-8")
    assert "@" in written.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, call, code", [
    (["compare", "ketamin", "electroshock"], lambda d: d.compare("ketamin", "electroshock"), 1),
    (["mechanism", "nosuch"], lambda d: d.mechanism("nosuch"), 1),
    (["cite", "99"], lambda d: d.cite(99), 1),
    (["cite", "5-1"], lambda d: d.cite("5-1"), 2),
    (["cite", "11", "--treatment", "ect"], lambda d: d.cite(11, treatment="ect"), 2),
    (["search", "zzzzqqq"], lambda d: d.search("zzzzqqq"), 1),
    (["mechanism", "opioid", "--map"], lambda d: d.mechanism("opioid", evidence_map=True), 2),
])
def test_errors_are_the_clis_with_its_exit_code(run, args, call, code):
    r = run(*args, "--json")
    assert r.code == code
    with pytest.raises(ketcli.KetcliError) as caught:
        call(ketcli.open())
    assert caught.value.code == code
    assert caught.value.message in r.err


def test_brief_is_the_page_brief_prints(run):
    r = run("brief", "ketamine", "ect", "--output", "-")
    assert r.code == 0, r.err
    page = ketcli.open().brief("ketamine", "ect")
    assert page == r.out and "<!DOCTYPE html>" in page


def test_export_sqlite_writes_the_bytes_export_sqlite_writes(run, tmp_path):
    import sqlite3

    (tmp_path / "cli").mkdir()
    cli = tmp_path / "cli" / "review.db"
    assert run("export", "sqlite", str(cli), "--metadata", str(tmp_path / "cli.json")).code == 0
    written = ketcli.open().export_sqlite(tmp_path / "review.db", metadata=tmp_path / "api.json")
    assert written == tmp_path / "review.db"
    assert written.read_bytes() == cli.read_bytes()
    assert json.loads((tmp_path / "api.json").read_text()) == json.loads((tmp_path / "cli.json").read_text())
    with sqlite3.connect(written) as db:
        assert db.execute("select count(*) from \"references\"").fetchone()[0] == 34
    with pytest.raises(ketcli.UsageError):
        ketcli.open().export_sqlite("-")


def test_open_takes_an_own_file_that_extends_the_bundled_one(run, tmp_path):
    own = tmp_path / "mine.toml"
    assert run("data", "init", str(own)).code == 0
    assert run("data", "add", "claim", str(own), "--text", "A newer finding, in my words.", "--ref", "11",
               "--treatment", "ketamine", "--stance", "context", "--evidence", "human").code == 0
    mine = ketcli.open(own)
    assert mine.path == own
    assert mine.search("newer finding") == run("--data", str(own), "search", "newer", "finding", "--json").json()
    assert mine.sha256 == mine.about()["dataset"]["sha256"]


def test_names_may_come_as_one_list_or_as_arguments():
    data = ketcli.open()
    assert data.compare(["ketamine", "ect"]) == data.compare("ketamine", "ect")
    assert data.cite([11, "1-2"]) == data.cite(11, "1-2")


def test_a_missing_file_is_a_dataset_error(tmp_path):
    with pytest.raises(ketcli.DatasetError) as caught:
        ketcli.open(tmp_path / "nope.toml")
    assert caught.value.code == 3


def test_the_public_names_are_documented():
    assert set(api.__all__) <= set(dir(ketcli))
    for name in api.__all__:
        thing = getattr(api, name)
        if callable(thing):
            assert (thing.__doc__ or "").strip(), f"ketcli.api.{name} has no docstring"
    for name in dir(api.Dataset):
        if not name.startswith("_"):
            assert (getattr(api.Dataset, name).__doc__ or "").strip(), f"Dataset.{name} has no docstring"
    assert api.API_VERSION == ketcli.open().timeline()["schema_version"]


def test_importing_the_api_pulls_in_no_typer_and_no_rich():
    probe = ("import sys, ketcli\n"
             "d = ketcli.open()\n"
             "d.compare('ketamine', 'ect'); d.cite_text(11, format='bibtex'); d.cite_text(11, format='json')\n"
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'click', 'rich', 'mcp'}))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.replace("'", '"')) == []


def test_the_notebooks_example_writes_the_ris_file_it_says(tmp_path, monkeypatch, capsys):
    """docs/notebooks.md's example (its printed lines: tests/docs/test_readme.py) writes opioid.ris."""
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "notebooks.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", page, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "docs/notebooks.md", "exec"), {})
    assert (tmp_path / "opioid.ris").read_text(encoding="utf-8").startswith("TY  - ")


def test_get_type_hints_works_on_every_public_api_call():
    """Before: typing.get_type_hints(ketcli.Dataset.compare) raised NameError (the result types
    were imported for type checkers only)."""
    probe = ("import inspect, typing, ketcli\n"
             "calls = [f for n, f in inspect.getmembers(ketcli.Dataset, inspect.isfunction) if not n.startswith('_')]\n"
             "calls += [p.fget for n, p in inspect.getmembers(ketcli.Dataset, lambda m: isinstance(m, property))]\n"
             "calls += [ketcli.open, ketcli.validate, ketcli.schema]\n"
             "hints = {f.__qualname__: typing.get_type_hints(f) for f in calls}\n"
             "print(len(hints), hints['Dataset.compare']['return'].__name__, hints['Dataset.cite']['return'])\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    count, compare, cite = done.stdout.split(" ", 2)
    assert int(count) >= 18 and compare == "CompareResult"
    assert "CiteResult" in cite and "CiteUsageResult" in cite


def test_the_package_says_it_is_typed():
    from pathlib import Path

    assert (Path(ketcli.__file__).parent / "py.typed").is_file()
