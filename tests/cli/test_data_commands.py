"""`ketcli data init | import | add claim`: a curator's own file, queried with the bundled evidence."""

from __future__ import annotations

import re
import tomllib
import typing
from pathlib import Path

import pytest
import tomli_w

from ketcli.curate import importers
from ketcli.data import models
from ketcli.render import citations
from ketcli.cli.curate import STARTER
from ketcli.data.dataset import COLLECTIONS, build, bundled_path, load

BIB = r"""
% exported by a reference manager
@string{jad = "J Affect Disord"}

@article{Smith2024,
  author    = {Smith, John A. and M{\"u}ller, J{\"o}rg and van der Berg, Jean-Paul and others},
  title     = {Esketamine versus {ECT} for treatment-resistant depression: a 50% response
               at 24 hours},
  journal   = jad,
  year      = {2024},
  volume    = {350},
  pages     = {100--108},
  doi       = {https://doi.org/10.1016/J.JAD.2024.01.001},
}

@article{anand_repeat,
  author  = {Anand, Amit and Mathew, Sanjay J. and Sanacora, Gerard},
  title   = {Ketamine versus {ECT} for nonpsychotic treatment-resistant major depression},
  journal = {N Engl J Med},
  year    = {2023},
  doi     = {10.1056/nejmoa2302399},
}

@inproceedings{garcia2025,
  author    = {Garc{\'\i}a-L{\'o}pez, Mar{\'\i}a},
  title     = {Opioid blockade and ketamine's antidepressant effect},
  booktitle = {Proc Biol Psychiatry},
  date      = {2025-05-01},
  pages     = {e12},
}
"""

RIS = """TY  - JOUR
AU  - Doe, Jane
AU  - Roe, R. S.
TI  - Naltrexone pretreatment and the antidepressant effect of ketamine:
      a replication
T2  - American Journal of Psychiatry
J2  - Am J Psychiatry
PY  - 2025/03/01/
VL  - 182
IS  - 3
SP  - 210
EP  - 218
DO  - 10.1176/appi.ajp.2025.001
ER  - 
TY  - JOUR
AU  - Smith, John A.
TI  - Esketamine versus ECT for treatment-resistant depression
JO  - J Affect Disord
PY  - 2024
DO  - 10.1016/j.jad.2024.01.001
ER  - 
TY  - JOUR
AU  - Doe, Jane
TI  - Naltrexone pretreatment, the same paper exported twice
PY  - 2025
DO  - 10.1176/APPI.AJP.2025.001
ER  - 
"""


def put(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def init(run, tmp_path: Path, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    r = run("data", "init", str(path))
    assert r.code == 0, r.err
    return path


# --- init ----------------------------------------------------------------------------

def test_init_writes_a_starter_that_every_command_reads_with_the_bundled_data(run, tmp_path):
    path = tmp_path / "mine.toml"
    r = run("data", "init", str(path))
    assert r.code == 0 and r.out == ""
    assert "extends the bundled dataset" in r.err and "compare ketamine ect" in r.err
    assert path.read_text() == STARTER
    assert re.search(r'^extends = "bundled"$', STARTER, re.MULTILINE)
    own = run("--data", str(path), "compare", "ketamine", "ect", "--json")
    bundled = run("compare", "ketamine", "ect", "--json")
    assert own.code == 0, own.err
    assert own.json()["rows"] == bundled.json()["rows"]
    assert run("--data", str(path), "mechanism", "opioid").code == 0
    via_env = run("cite", "--json", env={"KETCLI_DATA": str(path)})
    assert via_env.code == 0 and len(via_env.json()["references"]) == 34


@pytest.mark.parametrize("kind", ["file", "empty file", "directory", "dangling link"])
def test_init_never_overwrites(run, tmp_path, kind):
    path = tmp_path / "taken.toml"
    if kind == "file":
        path.write_bytes(b"# my work\nschema_version = 1\n")
    elif kind == "empty file":
        path.write_bytes(b"")
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to(tmp_path / "target.toml")
    before = path.read_bytes() if path.is_file() else None
    r = run("data", "init", str(path))
    assert r.code == 4 and "already exists" in r.err and r.out == ""
    if before is not None:
        assert path.read_bytes() == before
    assert not (tmp_path / "target.toml").exists()


def test_init_in_a_missing_directory_exits_4(run, tmp_path):
    r = run("data", "init", str(tmp_path / "nope" / "mine.toml"))
    assert r.code == 4 and "no such directory" in r.err
    assert "Traceback" not in r.err


def test_every_example_of_the_starter_is_valid_when_uncommented(tmp_path):
    lines = []
    for line in STARTER.splitlines():
        if re.match(r"^# (\[|[a-z_0-9]+ = )", line):
            line = line[2:]
        lines.append(line)
    text = "\n".join(lines) + "\n"
    raw = build(tmp_path / "examples.toml", text.encode(), bundled_path())
    own = tomllib.loads(text)
    assert {name for name in COLLECTIONS if own.get(name)} == set(COLLECTIONS)  # one of each record type
    assert any(c["id"] == "surname2025-response" for c in raw["claims"])
    assert len(raw["references"]) == 35


def test_the_choices_in_the_starter_are_the_models_choices():
    for literal in (models.Topic, models.Evidence, models.Stance):
        assert " | ".join(typing.get_args(literal)) in STARTER


# --- import ------------------------------------------------------------------------

def test_import_bibtex_adds_new_references_and_skips_a_duplicate_doi(run, tmp_path):
    path = init(run, tmp_path)
    source = tmp_path / "refs.bib"
    source.write_text(BIB)
    old = path.read_bytes()
    r = run("data", "import", str(path), str(source))
    assert r.code == 0, r.err
    assert r.out == ""
    assert "imported [35] smith2024" in r.err and "imported [36] garcialopez2025" in r.err
    assert re.search(r"skipped .*refs\.bib:\d+ \(anand_repeat\): DOI 10\.1056/nejmoa2302399 is already reference 11 \(anand2023\)", r.err)
    assert "2 imported, 1 skipped" in r.err
    assert path.read_bytes().startswith(old)
    refs = {ref["number"]: ref for ref in run("--data", str(path), "cite", "35", "36", "--json").json()["references"]}
    assert refs[35] == {**refs[35], "key": "smith2024", "authors": ["Smith JA", "Müller J", "van der Berg J-P"],
                             "et_al": True, "journal": "J Affect Disord", "year": 2024, "volume": "350",
                             "pages": "100-108", "doi": "10.1016/J.JAD.2024.01.001",
                             "title": "Esketamine versus ECT for treatment-resistant depression: a 50% response at 24 hours"}
    assert refs[36]["authors"] == ["García-López M"] and refs[36]["year"] == 2025
    assert refs[36]["journal"] == "Proc Biol Psychiatry" and refs[36]["pages"] == "e12" and refs[36]["doi"] is None


def test_import_ris_after_bibtex_skips_what_is_there_and_continues_the_numbers(run, tmp_path):
    path = init(run, tmp_path)
    (tmp_path / "refs.bib").write_text(BIB)
    (tmp_path / "refs.ris").write_text(RIS)
    assert run("data", "import", str(path), str(tmp_path / "refs.bib")).code == 0
    r = run("data", "import", str(path), str(tmp_path / "refs.ris"), "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["command"] == "data import" and doc["format"] == "ris" and doc["schema_version"] == 2
    assert [(ref["number"], ref["key"]) for ref in doc["imported"]] == [(37, "doe2025")]
    new = doc["imported"][0]
    assert new["authors"] == ["Doe J", "Roe RS"] and new["journal"] == "Am J Psychiatry"
    assert new["title"] == "Naltrexone pretreatment and the antidepressant effect of ketamine: a replication"
    assert (new["year"], new["volume"], new["pages"], new["doi"]) == (2025, "182", "210-218", "10.1176/appi.ajp.2025.001")
    reasons = [s["reason"] for s in doc["skipped"]]
    assert reasons[0] == "DOI 10.1016/j.jad.2024.01.001 is already reference 35 (smith2024)"
    assert reasons[1].startswith("DOI 10.1176/APPI.AJP.2025.001 is also in ") and "refs.ris:1" in reasons[1]
    raw = tomllib.loads(path.read_text())
    assert [ref["number"] for ref in raw["references"]] == [35, 36, 37]


def test_importing_the_same_file_twice_changes_nothing(run, tmp_path):
    path = init(run, tmp_path)
    (tmp_path / "refs.bib").write_text(BIB)
    assert run("data", "import", str(path), str(tmp_path / "refs.bib")).code == 0
    once = path.read_bytes()
    r = run("data", "import", str(path), str(tmp_path / "refs.bib"))
    assert r.code == 0 and "0 imported, 3 skipped" in r.err and "unchanged" in r.err
    assert "same title and year as reference 36" in r.err  # no DOI: matched by title and year
    assert path.read_bytes() == once


def test_import_keys_are_stable_and_never_collide(run, tmp_path):
    path = init(run, tmp_path)
    source = tmp_path / "more.bib"
    source.write_text("""
@article{a, author = {Anand, A.}, title = {Another Anand paper}, year = 2023, doi = {10.1/one}}
@article{b, author = {Anand, B.}, title = {Yet another}, year = 2023, doi = {10.1/two}}
@article{c, title = {The title gives the key}, doi = {10.1/three}}
""")
    doc = run("data", "import", str(path), str(source), "--json").json()
    assert [r["key"] for r in doc["imported"]] == ["anand2023a", "anand2023b", "titlend"]


def test_bundled_references_survive_an_export_and_import_round_trip():
    """citations.py writes BibTeX and RIS; reading them back gives the printed fields."""
    refs = load(use_cache=False)["references"]
    fields = ("authors", "title", "journal", "year", "volume", "pages", "doi")
    for fmt, text in (("bibtex", citations.to_bibtex(refs)), ("ris", citations.to_ris(refs))):
        entries = importers.parse_bibtex(text) if fmt == "bibtex" else importers.parse_ris(text)
        assert len(entries) == len(refs)
        for ref, entry in zip(refs, entries):
            got = {f: entry.fields.get(f) for f in fields}
            want = {f: ref[f] or None for f in fields}
            assert got == want, (fmt, ref["number"])
            assert entry.fields.get("et_al", False) == ref["et_al"]  # RIS: a last author "others"


def test_bibtex_text_is_decoded_from_latex_but_bare_specials_stay():
    [entry] = importers.parse_bibtex(r"@article{k, title = {Cost & effect: 50% of {ECT} in M{\"u}nchen, \mu{}-opioid}}")
    assert entry.fields["title"] == "Cost & effect: 50% of ECT in München, μ-opioid"


@pytest.mark.parametrize("content, fmt, words", [
    ("", None, "cannot tell whether"),
    ("just some words\n", None, "cannot tell whether"),
    ("@article{x, title = {unterminated\n@article{y, title={ok}}\n", "bibtex", "cannot parse this BibTeX entry"),
    ("% only a comment\n", "bibtex", "no BibTeX entries"),
    ("TY  - JOUR\nTI  - no end\n", None, "has no end"),
    ("AU  - Doe, J\nER  - \n", "ris", "outside a record"),
    ("TY  - JOUR\nTY  - JOUR\nER  - \n", "ris", "before the one at line 1 ends"),
])
def test_a_source_that_cannot_be_read_is_a_usage_error_and_nothing_changes(run, tmp_path, content, fmt, words):
    path = init(run, tmp_path)
    old = path.read_bytes()
    source = tmp_path / "in.txt"
    source.write_text(content)
    args = ["data", "import", str(path), str(source)] + (["--format", fmt] if fmt else [])
    r = run(*args)
    assert r.code == 2, (r.code, r.err)
    assert words in r.err and "Traceback" not in r.err
    assert path.read_bytes() == old


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "missing.bib", "no such file"),
    (lambda d: d, "is a directory"),
    (lambda d: put(d / "bin.bib", b"\xff\xfe\x00\x01" * 50), "not UTF-8"),
    (lambda d: put(d / "nul.bib", b"@article{x,\x00}"), "NUL"),
])
def test_a_missing_or_binary_source_is_a_usage_error(run, tmp_path, make, words):
    path = init(run, tmp_path)
    source = make(tmp_path)
    r = run("data", "import", str(path), str(source))
    assert r.code == 2 and words in r.err


def test_unknown_import_format_is_a_usage_error(run, tmp_path):
    path = init(run, tmp_path)
    r = run("data", "import", str(path), str(tmp_path / "x.bib"), "--format", "endnote")
    assert r.code == 2 and "Traceback" not in r.err


def test_import_from_standard_input(tmp_path):
    from typer.testing import CliRunner

    from ketcli.cli.app import app

    path = tmp_path / "mine.toml"
    path.write_text(STARTER)
    result = CliRunner().invoke(app, ["data", "import", str(path), "-"], input=RIS)
    assert result.exit_code == 0, result.stderr
    assert "2 imported, 1 skipped" in result.stderr


def test_an_entry_with_a_field_too_long_refuses_the_import(run, tmp_path):
    path = init(run, tmp_path)
    old = path.read_bytes()
    source = tmp_path / "long.bib"
    source.write_text("@article{long, title = {" + "word " * 5000 + "}, doi = {10.1/long}}\n")
    r = run("data", "import", str(path), str(source))
    assert r.code == 4 and "long.bib:1 (long): title" in r.err
    assert path.read_bytes() == old


# --- add claim ----------------------------------------------------------------------

def test_a_claim_citing_an_imported_and_a_bundled_reference_shows_up_in_queries(run, tmp_path):
    path = init(run, tmp_path)
    (tmp_path / "refs.ris").write_text(RIS)
    assert run("data", "import", str(path), str(tmp_path / "refs.ris")).code == 0
    r = run("data", "add", "claim", str(path), "--text", "Naltrexone did not block ketamine's antidepressant effect.",
            "--ref", "doe2025", "--ref", "21", "--mechanism", "Opioid", "--treatment", "ketamine",
            "--stance", "contradicts", "--evidence", "human", "--json")
    assert r.code == 0, r.err
    record = r.json()["claim"]
    assert record == {"id": "naltrexone-did-not-block-ketamine-s-antidepressant-effect", "text":
                      "Naltrexone did not block ketamine's antidepressant effect.", "section": "own dataset",
                      "refs": [35, 21], "topic": "mechanism", "stance": "contradicts", "evidence": "human",
                      "treatments": ["ketamine"], "mechanisms": ["opioid"]}
    doc = run("--data", str(path), "mechanism", "opioid", "--json").json()
    mine = [c for c in doc["claims"] if c["id"] == record["id"]]
    assert len(mine) == 1 and mine[0]["stance"] == "contradicts" and mine[0]["refs"] == [35, 21]
    cited = {ref["number"]: ref for ref in doc["references"]}
    assert cited[35]["key"] == "doe2025" and cited[21]["key"] == "zhang2019"
    bundled = run("mechanism", "opioid", "--json").json()
    assert doc["counts"]["contradicts"] == bundled["counts"]["contradicts"] + 1
    table = run("--data", str(path), "mechanism", "opioid")
    assert "Naltrexone did not block" in table.out


def test_cite_and_compare_see_the_combined_dataset(run, tmp_path):
    path = init(run, tmp_path)
    (tmp_path / "refs.bib").write_text(BIB)
    run("data", "import", str(path), str(tmp_path / "refs.bib"))
    r = run("--data", str(path), "cite", "smith2024")
    assert r.code == 0 and "Smith JA" in r.out
    assert run("cite", "smith2024").code == 1  # not in the bundled dataset alone


@pytest.mark.parametrize("args, code, words", [
    (["--text", "x", "--ref", "99"], 4, "reference 99 is not in the dataset"),
    (["--text", "x", "--ref", "anand2024"], 4, "did you mean anand2023"),
    (["--text", "x", "--ref", "11", "--id", "abstract-nmdar-primary"], 4, "already exists"),
    (["--text", "x", "--ref", "11", "--mechanism", "opiod"], 1, "did you mean opioid"),
    (["--text", "x", "--ref", "11", "--treatment", "aspirin"], 1, "unknown treatment 'aspirin'"),
    (["--text", "x", "--ref", "11", "--entity", "zzz"], 1, "unknown entity"),
    (["--text", "   ", "--ref", "11"], 2, "--text is empty"),
    (["--text", "x" * 20_001, "--ref", "11"], 2, "--text: String should have at most 20000 characters"),
    (["--text", "x", "--ref", "0"], 2, "run from 1 to 100000"),
    (["--text", "x", "--ref", "100001"], 2, "run from 1 to 100000"),
    (["--text", "x", "--ref", "99999999999999999999999"], 2, "run from 1 to 100000"),
    (["--text", "x", "--ref", "1-5"], 2, "one reference per --ref"),
    (["--text", "x", "--ref", "1x"], 2, "not a reference number"),
    (["--text", "x", "--ref", "-3"], 2, "not a reference number"),
    (["--text", "x", "--ref", "٣"], 2, "not a reference number"),
    (["--text", "x", "--ref", "11", "--id", "Bad Id"], 2, "is not an id"),
    (["--text", "x", "--ref", "11", "--stance", "maybe"], 2, "stance"),
    (["--text", "x", "--ref", "11", "--section", ""], 2, "--section is empty"),
    (["--text", "x"], 2, "--ref"),
    (["--ref", "11"], 2, "--text"),
])
def test_a_bad_claim_is_refused_and_the_file_is_byte_for_byte_unchanged(run, tmp_path, args, code, words):
    path = init(run, tmp_path)
    old = path.read_bytes()
    r = run("data", "add", "claim", str(path), *args)
    assert r.code == code, (r.code, r.err)
    assert words in r.err
    assert r.out == "" and "Traceback" not in r.err
    assert path.read_bytes() == old


def test_comments_and_layout_of_the_users_file_survive_an_append(run, tmp_path):
    mine = (
        "# My newer studies -- DO NOT LOSE\n"
        'extends = "bundled"   # the review\n'
        "schema_version = 1\n"
        'dataset_version = "2025.1"\n\n'
        "[[references]]  # read it twice\n"
        "number = 35\n"
        "key    = 'doe2025'\n"
        "authors = [ 'Doe J' ,\n   'Roe RS' ]  # aligned my way\n"
        'title = """Naltrexone and ketamine"""\n'
        "year = 2025\n"
        "# trailing note without a newline"
    )
    path = tmp_path / "mine.toml"
    path.write_text(mine)
    for i in range(3):
        r = run("data", "add", "claim", str(path), "--text", f"Claim {i}.", "--ref", "doe2025")
        assert r.code == 0, r.err
    text = path.read_text()
    assert text.startswith(mine + "\n")
    assert [c["id"] for c in tomllib.loads(text)["claims"]] == ["claim-0", "claim-1", "claim-2"]


def test_a_crlf_file_gets_crlf_lines(run, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_bytes(STARTER.replace("\n", "\r\n").encode())
    assert run("data", "add", "claim", str(path), "--text", "Windows.", "--ref", "11").code == 0
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"") and b'text = "Windows."\r\n' in data


def test_a_complete_dataset_of_its_own_takes_claims_too(run, tmp_path):
    raw = tomllib.loads(bundled_path().read_text())
    path = tmp_path / "complete.toml"
    path.write_text(tomli_w.dumps(raw))
    r = run("data", "add", "claim", str(path), "--text", "Own complete claim.", "--ref", "11")
    assert r.code == 0, r.err
    doc = run("--data", str(path), "mechanism", "--json")
    assert doc.code == 0
    assert len(tomllib.loads(path.read_text())["claims"]) == len(raw["claims"]) + 1


@pytest.mark.parametrize("make, code, words", [
    (lambda d: d / "missing.toml", 3, "no such dataset file"),
    (lambda d: d, 3, "is a directory"),
    (lambda d: put(d / "bin.toml", b"\x00\xff" * 100), 3, "not UTF-8"),
    (lambda d: put(d / "bad.toml", "extends = 'bundled'\n[[claims]\n"), 3, "not valid TOML"),
    (lambda d: put(d / "e.toml", ""), 3, "schema_version"),
])
def test_adding_to_an_unreadable_or_invalid_file_exits_3_and_changes_nothing(run, tmp_path, make, code, words):
    path = make(tmp_path)
    before = path.read_bytes() if path.is_file() else None
    r = run("data", "add", "claim", str(path), "--text", "x", "--ref", "11")
    assert r.code == code and words in r.err, r.err
    if before is not None:
        assert path.read_bytes() == before


def test_an_empty_file_name_is_a_usage_error(run):
    for args in (["data", "init", ""], ["data", "add", "claim", "", "--text", "x", "--ref", "1"],
                 ["data", "import", "", "x.bib"]):
        r = run(*args)
        assert r.code == 2 and "empty" in r.err, args


# --- own ids that collide with the bundled ones -----------------------------------------

@pytest.mark.parametrize("record, words", [
    ("[[claims]]\nid = \"abstract-nmdar-primary\"\ntext = \"x\"\nsection = \"s\"\ntopic = \"efficacy\"\n",
     "id 'abstract-nmdar-primary' is already used by the bundled dataset"),
    ("[[references]]\nnumber = 11\nkey = \"mine2025\"\n", "number 11 is already used by the bundled dataset"),
    ("[[references]]\nnumber = 40\nkey = \"anand2023\"\n", "key 'anand2023' is already used by the bundled dataset"),
    ("[[treatments]]\nid = \"mine\"\nname = \"Mine\"\naliases = [\"ECT\"]\nkind = \"drug\"\nsummary = \"s\"\n",
     "name 'ect' is ambiguous"),
])
def test_an_own_id_that_collides_with_a_bundled_one_is_a_clear_error(run, tmp_path, record, words):
    path = tmp_path / "mine.toml"
    path.write_text(STARTER + "\n" + record)
    r = run("--data", str(path), "compare", "ketamine")
    assert r.code == 3 and r.out == ""
    assert words in r.err and str(path) in r.err


def test_a_collision_names_the_bundled_dataset(run, tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(STARTER + '\n[[claims]]\nid = "abstract-nmdar-primary"\ntext = "x"\nsection = "s"\ntopic = "efficacy"\n')
    r = run("--data", str(path), "compare", "ketamine")
    assert "bundled" in r.err
