"""A reference list the review cut short ("et al.") stays cut short in every export, the way each
format's readers understand it: rendered by the real pandoc from .bib and from CSL-JSON, read by
bibtexparser and rispy. Also: CSL-JSON's citation-key and URL, and `cite --format doi`."""

import json
import shutil
import subprocess

import bibtexparser
import pytest
import rispy


def ok(r):
    assert r.code == 0, (r.code, r.err)
    return r


@pytest.fixture(scope="module")
def references():
    from ketcli.data.dataset import load

    return load(use_cache=False)["references"]


def pandoc_bibliography(tmp_path, name: str, text: str) -> list[str]:
    """The bibliography pandoc's citeproc renders from one file (default Chicago author-date style)."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        pytest.skip("pandoc is not installed (apt-get install pandoc; .ci/run installs it)")
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "doc.md").write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    out = subprocess.run([pandoc, "doc.md", "--citeproc", "--bibliography", name, "-t", "plain", "--wrap=none"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120, check=True).stdout
    return [entry for entry in out.split("\n\n") if entry.strip()]


def entry_of(entries: list[str], ref: dict) -> str:
    needle = f"https://doi.org/{ref['doi']}" if ref.get("doi") else ref["authors"][0].split()[0] + ","
    (found,) = [e for e in entries if needle in e]
    return found


@pytest.mark.parametrize("fmt,name", [("bibtex", "refs.bib"), ("csl-json", "refs.json")])
def test_pandoc_renders_et_al_for_every_reference_the_review_cut_short(run, tmp_path, references, fmt, name):
    entries = pandoc_bibliography(tmp_path, name, ok(run("cite", "--format", fmt)).out)
    assert len(entries) == 34
    cut = [r for r in references if r["et_al"]]
    assert len(cut) == 13
    for ref in references:
        entry = entry_of(entries, ref)
        assert ("et al." in entry) == ref["et_al"], (fmt, ref["number"], entry)
        assert "others" not in entry
    anand = entry_of(entries, next(r for r in references if r["number"] == 11))
    assert anand.startswith("Anand, A., S. J. Mathew, G. Sanacora, et al. 2023.")


def test_bibtex_says_and_others_which_bibtexparser_reads_as_the_last_name(run, references):
    library = bibtexparser.parse_string(ok(run("cite", "--format", "bibtex")).out)
    by_key = {e.key: e for e in library.entries}
    for ref in references:
        names = by_key[ref["key"]]["author"].split(" and ") if ref["authors"] else []
        assert (names[-1:] == ["others"]) == ref["et_al"], ref["number"]
        assert len(names) == len(ref["authors"]) + ref["et_al"]


def test_ris_lists_the_printed_authors_then_others_and_says_et_al_in_a_note(run, references):
    entries = {e["id"]: e for e in rispy.loads(ok(run("cite", "--format", "ris")).out)}
    for ref in references:
        entry = entries[ref["key"]]
        authors = entry.get("authors", [])
        # BibTeX's "and others", which pandoc's RIS reader (its BibTeX name parser) renders "et al."
        assert authors[len(ref["authors"]):] == (["others"] if ref["et_al"] and ref["authors"] else [])
        said = any('"et al."' in note for note in entry.get("notes", []))
        assert said == ref["et_al"], ref["number"]


def test_csl_json_carries_citation_key_and_url_from_the_doi(run, references):
    items = {i["id"]: i for i in json.loads(ok(run("cite", "--format", "csl-json")).out)}
    for ref in references:
        item = items[ref["key"]]
        assert item["citation-key"] == ref["key"]
        if ref["doi"]:
            assert item["URL"] == f"https://doi.org/{ref['doi']}"
        else:
            assert "URL" not in item  # reference 2: no DOI printed, so no URL invented
    assert items["cowen2024"]["URL"] == "https://doi.org/10.1007/7854_2023_447"


def test_cite_format_doi_prints_one_doi_per_line(run, references):
    r = ok(run("cite", "--format", "doi"))
    assert r.out.splitlines() == [ref["doi"] for ref in references if ref["doi"]]
    assert len(r.out.splitlines()) == 33
    assert "reference 2 (fouad2024) has no DOI in the source; left out" in r.err
    r = ok(run("cite", "11", "3", "--format", "doi"))
    assert r.out == "10.1056/NEJMoa2302399\n10.1093/ijnp/pyab088\n" and r.err == ""  # in the order asked


def test_an_irregular_printed_page_range_is_never_expanded(run, tmp_path):
    """Reference 3 prints "359-49": an expanding style (APA's "expanded" page ranges) would make
    it "359–349", a range the source never printed. Pandoc renders the escaped hyphen as printed."""
    entries = pandoc_bibliography(tmp_path, "refs.json", ok(run("cite", "3", "--format", "csl-json")).out)
    (entry,) = entries
    assert "359-49" in entry and "359–49" not in entry and "349" not in entry
    ris = ok(run("cite", "3", "--format", "ris")).out
    assert "SP  - 359-49" in ris.splitlines() and "EP  -" not in ris
