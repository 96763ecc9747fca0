"""`ketcli cite` end to end: the issue's "Done when" for citations.

Every check goes through the CLI (CliRunner, via the `run` fixture) and reads the output
with the library a user's reference manager or script would use: bibtexparser v2 for
BibTeX, rispy for RIS, json + citeproc-py for CSL-JSON.
"""

import json
import re

import bibtexparser
import pytest
import rispy
from bibtexparser import middlewares as bib_mw

ANAND_DOI = "10.1056/NEJMoa2302399"
ALL_KEYS_IN_ORDER = [
    "jelen2021", "fouad2024", "ekstrand2022", "hirota2022", "cowen2024", "hillhouse2015", "rivasgrajales2021",
    "cui2019", "moliner2023", "liu2014", "anand2023", "pelosof2023", "subramanian2022", "deng2024", "krystal2023",
    "koike2014", "li2010", "fukumoto2016", "fukumoto2018", "hare2019", "zhang2019", "klein2020", "hudetz2009",
    "acevedodiaz2020", "rivaposse2018", "lai2012", "sterpenich2019", "daly2019", "murrough2013", "singh2016",
    "kato2021", "ross2018", "cai2024", "dadiomov2020",
]


def ok(r):
    assert r.code == 0, (r.code, r.err)
    return r


def numbers(run, *args):
    return [ref["number"] for ref in ok(run("cite", *args, "--json")).json()["references"]]


def cite_json(run, *args):
    return {ref["key"]: ref for ref in ok(run("cite", *args, "--json")).json()["references"]}


def bib_name(name) -> str:
    """A bibtexparser NameParts back to the review's printing: "Mathew, S. J." -> "Mathew SJ"."""
    last = " ".join(name.last)
    initials = "".join(part.replace(".", "").replace(" ", "") for part in name.first)
    return f"{last} {initials}".strip()


# --- BibTeX -------------------------------------------------------------------------

def test_bibtex_all_34_entries_parse_with_no_failed_blocks(run):
    text = ok(run("cite", "--format", "bibtex")).out
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    assert len(library.entries) == 34
    keys = [e.key for e in library.entries]
    assert len(set(keys)) == 34, "BibTeX keys must be unique"
    assert keys == ALL_KEYS_IN_ORDER
    assert keys == list(cite_json(run))  # the same keys, in the review's order, as cite --json
    assert {e.entry_type for e in library.entries} == {"article"}  # all 34 are journal articles


@pytest.mark.parametrize("number", ["1", "2", "3", "11", "15", "25"])
def test_bibtex_round_trips_authors_title_year_doi(run, number):
    (ref,) = cite_json(run, number).values()
    text = ok(run("cite", number, "--format", "bibtex")).out
    library = bibtexparser.parse_string(
        text,
        append_middleware=[bib_mw.LatexDecodingMiddleware(), bib_mw.SeparateCoAuthors(), bib_mw.SplitNameParts()],
    )
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.key == ref["key"]
    names = [bib_name(n) for n in entry["author"]]
    assert names == ref["authors"] + (["others"] if ref["et_al"] else [])
    # Capitalised words are braced for sentence-case styles; the words themselves survive.
    assert entry["title"].replace("{", "").replace("}", "") == ref["title"]
    assert entry["year"] == str(ref["year"])
    assert entry["journal"] == ref["journal"]
    if ref["doi"] is None:
        assert "doi" not in entry.fields_dict
    else:
        assert entry["doi"] == ref["doi"]


def test_bibtex_values_as_printed_in_the_review(run):
    library = bibtexparser.parse_string(ok(run("cite", "3", "11", "2", "--format", "bibtex")).out)
    entries = {e.key: e for e in library.entries}
    anand = entries["anand2023"]
    assert anand["author"] == "Anand, A. and Mathew, S. J. and Sanacora, G. and others"
    assert anand["title"] == "Ketamine versus {ECT} for nonpsychotic treatment-resistant major depression"
    assert anand["journal"] == "N Engl J Med"
    assert (anand["volume"], anand["pages"], anand["doi"]) == ("388", "2315--25", ANAND_DOI)
    assert entries["ekstrand2022"]["pages"] == "359--49"  # printed "359-49": kept, not "fixed"
    assert "doi" not in entries["fouad2024"].fields_dict
    assert "DOI not reported in the source" in entries["fouad2024"]["annote"]


# --- RIS ----------------------------------------------------------------------------

def test_ris_for_opioid_mechanism_matches_its_evidence(run):
    evidence = ok(run("mechanism", "opioid", "--json")).json()
    expected = [(r["number"], r["key"]) for r in evidence["references"]]
    # The opioid receptor theory section cites [1], [4], [21], [22]; [6] comes from
    # "Ketamine also targets GABA, opioid, serotonin ... receptors [1,6]".
    assert [n for n, _ in expected] == [1, 4, 6, 21, 22]

    r = ok(run("cite", "--mechanism", "opioid", "--format", "ris"))
    entries = rispy.loads(r.out)
    assert [e["id"] for e in entries] == [key for _, key in expected]
    assert all(e["type_of_reference"] == "JOUR" for e in entries)

    by_id = {e["id"]: e for e in entries}
    zhang = by_id["zhang2019"]  # the naltrexone study [21]
    assert zhang["authors"] == ["Zhang, K.", "Hashimoto, K."]
    assert zhang["title"] == "Lack of opioid system in the antidepressant actions of ketamine"
    assert zhang["year"] == "2019"
    assert (zhang["volume"], zhang["start_page"], zhang["end_page"]) == ("85", "e25", "7")
    assert zhang["doi"] == "10.1016/j.biopsych.2018.11.006"
    klein = by_id["klein2020"]  # the lateral habenula study [22]
    assert klein["authors"] == ["Klein, M. E.", "Chandra, J.", "Sheriff, S.", "Malinow, R."]
    assert klein["doi"] == "10.1073/pnas.1916570117"
    assert (klein["start_page"], klein["end_page"]) == ("2656", "62")
    assert by_id["hirota2022"]["start_page"] == "109171" and "end_page" not in by_id["hirota2022"]


# --- CSL-JSON -----------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:The following arguments for Reference are unsupported")  # CSL 1.0.2 variable citeproc-py predates
def test_csl_json_parses_has_34_items_and_citeproc_reads_it(run):
    items = json.loads(ok(run("cite", "--format", "csl-json")).out)
    assert isinstance(items, list) and len(items) == 34
    assert [i["id"] for i in items] == ALL_KEYS_IN_ORDER
    anand = items[10]
    assert anand["type"] == "article-journal"
    assert anand["author"][:2] == [{"family": "Anand", "given": "A."}, {"family": "Mathew", "given": "S. J."}]
    assert anand["issued"] == {"date-parts": [[2023]]}
    assert anand["DOI"] == ANAND_DOI and anand["page"] == "2315-25" and anand["volume"] == "388"
    assert "DOI" not in items[1] and "DOI not reported in the source." in items[1]["note"]

    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON(items)
    assert len(source) == 34
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)  # bundled with citeproc-py
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for key in ("anand2023", "fouad2024"):
        bibliography.register(Citation([CitationItem(key)]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 2
    anand_text = next(t for t in rendered if t.startswith("Anand"))
    assert "(2023)" in anand_text
    assert "Ketamine versus ECT for nonpsychotic treatment-resistant major depression" in anand_text
    assert "N Engl J Med" in anand_text and "https://doi.org/" + ANAND_DOI in anand_text
    fouad_text = next(t for t in rendered if t.startswith("Fouad"))
    assert "(2024)" in fouad_text and "doi.org" not in fouad_text


# --- Plain-text styles --------------------------------------------------------------

def test_vancouver_reference_11_exact(run):
    # ICMJE/NLM: authors as printed, "et al.", abbreviated journal, year;volume:pages, doi.
    assert ok(run("cite", "11", "--format", "vancouver")).out == (
        "11. Anand A, Mathew SJ, Sanacora G, et al. Ketamine versus ECT for nonpsychotic "
        "treatment-resistant major depression. N Engl J Med. 2023;388:2315-25. doi:10.1056/NEJMoa2302399\n"
    )


def test_apa_reference_11_exact(run):
    # APA 7 layout: Surname, I. I., (year). Title. Journal, volume, pages. https://doi.org/...
    assert ok(run("cite", "11", "--format", "apa")).out == (
        "Anand, A., Mathew, S. J., Sanacora, G., et al. (2023). Ketamine versus ECT for nonpsychotic "
        "treatment-resistant major depression. N Engl J Med, 388, 2315-25. https://doi.org/10.1056/NEJMoa2302399\n"
    )


# --- --usage ------------------------------------------------------------------------

def test_usage_of_reference_33_is_the_intranasal_formulation(run):
    r = ok(run("cite", "33", "--usage", env={"COLUMNS": "400"}))
    assert "What the review cites reference 33 for" in r.out
    assert "intranasal formulation is more convenient as it can be administered at home" in r.out
    assert "Comparison: Accessibility" in r.out
    assert "[1,33]" in r.out


def test_usage_json_shape(run):
    doc = ok(run("cite", "33", "--usage", "--json")).json()
    assert doc["command"] == "cite" and doc["schema_version"] == 2
    assert doc["source"]["doi"] == "10.7759/cureus.83244"
    (entry,) = doc["usage"]
    assert set(entry) == {"reference", "uses"}
    assert entry["reference"]["number"] == 33 and entry["reference"]["key"] == "cai2024"
    uses = entry["uses"]
    assert [u["kind"] for u in uses] == ["claim", "treatment attribute"]
    for use in uses:
        assert set(use) == {"kind", "id", "text", "section", "refs"}
        assert use["refs"] == [1, 33]  # printed "[1,33]"
        assert use["section"] == "Comparison: Accessibility"
        assert "intranasal" in use["text"] and "at home" in use["text"]
    assert uses[0]["id"] == "access-ketamine-formulations"


def test_usage_of_several_references_keeps_their_order(run):
    doc = ok(run("cite", "34", "anand2023", "--usage", "--json")).json()
    assert [u["reference"]["number"] for u in doc["usage"]] == [34, 11]
    sections_34 = {u["section"] for u in doc["usage"][0]["uses"]}
    assert sections_34 == {"Comparison: Accessibility"}  # [34] is cited only for costs


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json", "vancouver", "apa"])
def test_usage_with_a_citation_format_is_refused_as_a_usage_error(run, fmt):
    r = run("cite", "33", "--usage", "--format", fmt)
    assert r.code == 2, (r.code, r.err)
    assert "export them without --usage" in r.err and r.out == ""


def test_usage_with_output_is_refused_and_writes_nothing(run, tmp_path):
    target = tmp_path / "usage.bib"
    r = run("cite", "33", "--usage", "--output", str(target))
    assert (r.code, r.out, target.exists()) == (2, "", False)


# --- A reference without a DOI ------------------------------------------------------

@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "markdown", "bibtex", "ris", "csl-json",
                                 "vancouver", "apa"])
def test_reference_2_without_doi_exports_in_every_format(run, fmt):
    r = ok(run("cite", "2", "--format", fmt))
    out = r.out
    assert "Fouad" in out and "comprehensive review of the pathophysiology of depression" in out
    assert "2024" in out
    checks = {
        "table": lambda: "no DOI printed" in out,
        "json": lambda: json.loads(out)["references"][0]["doi"] is None,
        "jsonl": lambda: json.loads(out.splitlines()[0])["doi"] is None,
        "csv": lambda: out.splitlines()[1].endswith(",122-32,"),
        "markdown": lambda: out.splitlines()[2].rstrip().endswith("| 122-32 |  |"),
        "bibtex": lambda: (len(bibtexparser.parse_string(out).entries) == 1 and "doi =" not in out),
        "ris": lambda: (len(rispy.loads(out)) == 1 and "DO  -" not in out),
        "csl-json": lambda: "DOI" not in json.loads(out)[0],
        "vancouver": lambda: out == ("2. Fouad MA, Tadros MG, Michel HE. A comprehensive review of the pathophysiology "
                                     "of depression. Arch Pharm Sci Ain Shams Univ. 2024;8:122-32.\n"),
        "apa": lambda: out == ("Fouad, M. A., Tadros, M. G., & Michel, H. E. (2024). A comprehensive review of the "
                               "pathophysiology of depression. Arch Pharm Sci Ain Shams Univ, 8, 122-32.\n"),
    }
    assert checks[fmt](), out


# --- Selections ---------------------------------------------------------------------

def test_selection_by_range_key_treatment_and_search(run):
    assert numbers(run, "1-5") == [1, 2, 3, 4, 5]
    assert numbers(run, "anand2023") == [11]
    assert numbers(run, "ANAND2023") == [11]
    assert numbers(run, "1-3", "2", "anand2023") == [1, 2, 3, 11]  # duplicates once, order kept
    # ECT in the review: [3] (Intro, ECT, Speed, Side Effects), [11] trial + TRD + anesthesia,
    # [12] BDNF, [13] 5-HT2A/D2, [14] cognition, [34] cost, [1,5,15] "similar to ECT" response,
    # [4,11] duration ranking, [2] "conventional treatments ... as well as ECT".
    assert numbers(run, "--treatment", "ect") == [1, 2, 3, 4, 5, 11, 12, 13, 14, 15, 34]
    # naltrexone: "Casting doubt ... naltrexone, a μ receptor antagonist [1,4,21]".
    assert numbers(run, "--search", "naltrexone") == [1, 4, 21]
    found = ok(run("search", "naltrexone", "--json")).json()
    assert sorted({n for h in found["hits"] for n in h["refs"]}) == [1, 4, 21]


def test_bad_selections_and_their_exit_codes(run):
    backwards = run("cite", "5-1")
    assert backwards.code == 2 and backwards.out == ""
    assert "5-1" in backwards.err and "backwards" in backwards.err

    unknown = run("cite", "nosuchkey")
    assert unknown.code == 1 and unknown.out == ""
    assert "no reference with key 'nosuchkey'" in unknown.err
    assert "anand2023" in unknown.err  # the hint shows what a key looks like

    close = run("cite", "anand")
    assert close.code == 1 and "did you mean anand2023?" in close.err

    both = run("cite", "11", "--treatment", "ect")
    assert both.code == 2 and both.out == ""
    assert "not both" in both.err
    for r in (backwards, unknown, close, both):
        assert "Traceback" not in r.err and "internal error" not in r.err


# --- --output -----------------------------------------------------------------------

@pytest.mark.parametrize(("name", "fmt"), [("refs.bib", "bibtex"), ("refs.ris", "ris"), ("refs.json", "csl-json"),
                                           ("REFS.BIB", "bibtex")])
def test_output_infers_format_from_extension_and_prints_nothing(run, tmp_path, name, fmt):
    target = tmp_path / name
    r = ok(run("cite", "--output", str(target)))
    assert r.out == ""
    assert target.exists()
    written = target.read_bytes().decode("utf-8")
    # CliRunner's .out turns CRLF into LF; the file keeps the bytes ketcli wrote.
    assert written.replace("\r\n", "\n") == ok(run("cite", "--format", fmt)).out
    if fmt == "bibtex":
        assert len(bibtexparser.parse_string(written).entries) == 34
    elif fmt == "ris":
        lines = written.split("\n")
        assert lines[-1] == "" and all(line.endswith("\r") for line in lines[:-1]), "RIS lines end in CRLF"
        assert written.startswith("TY  - JOUR\r\nID  - jelen2021\r\n")
        assert len(rispy.loads(written)) == 34
    else:
        assert len(json.loads(written)) == 34


def test_output_with_explicit_format_and_short_option(run, tmp_path):
    target = tmp_path / "refs.txt"
    r = ok(run("cite", "11", "-o", str(target), "--format", "vancouver"))
    assert r.out == ""
    assert target.read_text(encoding="utf-8").startswith("11. Anand A, Mathew SJ, Sanacora G, et al.")


def test_output_unknown_extension_without_format_exits_2(run, tmp_path):
    target = tmp_path / "refs.txt"
    r = run("cite", "--output", str(target))
    assert r.code == 2 and r.out == ""
    assert ".bib" in r.err and "--format" in r.err
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == []


def test_output_replaces_an_existing_file_whole(run, tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("% old content\n" + "x" * 100_000 + "\n", encoding="utf-8")
    ok(run("cite", "11", "--output", str(target)))
    written = target.read_text(encoding="utf-8")
    assert written == ok(run("cite", "11", "--format", "bibtex")).out
    assert "old content" not in written and "xxxx" not in written
    (entry,) = bibtexparser.parse_string(written).entries
    assert entry.key == "anand2023"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".refs.bib")] == []  # no temp file left


def test_output_into_a_missing_directory_exits_4_and_creates_nothing(run, tmp_path):
    target = tmp_path / "missing" / "refs.bib"
    r = run("cite", "11", "--output", str(target))
    assert r.code == 4, (r.code, r.err)
    assert r.out == ""
    assert str(target) in r.err
    assert not (tmp_path / "missing").exists()


def test_output_through_a_link_replaces_the_file_it_names_and_keeps_the_link(run, tmp_path):
    real = tmp_path / "real.bib"
    real.write_text("% old\n")
    real.chmod(0o640)
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    ok(run("cite", "11", "--output", str(link)))
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text() == ok(run("cite", "11", "--format", "bibtex")).out
    assert real.stat().st_mode & 0o777 == 0o640  # the mode of the file it replaced


@pytest.mark.parametrize("make", ["fifo", "device", "directory"])
def test_output_to_a_fifo_device_or_directory_is_refused_with_4_and_left_alone(run, tmp_path, make):
    import os
    import stat

    if make == "fifo":
        target = tmp_path / "refs.bib"
        os.mkfifo(target)
    elif make == "device":
        target = tmp_path / "null.bib"
        target.symlink_to("/dev/null")  # a link to a device: as root, /dev/stdout is one
    else:
        target = tmp_path / "refs.bib"
        target.mkdir()
    before = os.stat(target)
    r = run("cite", "11", "--output", str(target))
    assert r.code == 4, (r.code, r.err)
    assert r.out == "" and "not a regular file" in r.err and r.err.count("\n") == 1
    after = os.stat(target)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# --- DOIs in the table: OSC 8 hyperlinks ---------------------------------------------

OSC8_ANAND = re.compile(
    r"\x1b\]8;[^;\x1b]*;https://doi\.org/10\.1056/NEJMoa2302399\x1b\\10\.1056/NEJMoa2302399\x1b\]8;;\x1b\\"
)


def test_table_doi_is_an_osc8_hyperlink_when_colour_is_forced(run):
    r = ok(run("cite", "11", env={"CLICOLOR_FORCE": "1", "NO_COLOR": "", "COLUMNS": "200"}))
    assert OSC8_ANAND.search(r.out), repr(r.out[-400:])


def test_table_doi_is_plain_text_without_colour(run):
    r = ok(run("cite", "11", env={"COLUMNS": "200"}))  # NO_COLOR=1 from conftest
    assert "\x1b" not in r.out
    assert "https://doi.org" not in r.out
    assert "N Engl J Med, 2023" in r.out
    assert re.search(r"\s10\.1056/NEJMoa2302399\s", r.out)
    forced_off = ok(run("cite", "11", env={"CLICOLOR_FORCE": "1", "NO_COLOR": "1", "COLUMNS": "200"}))
    assert "\x1b" not in forced_off.out and "10.1056/NEJMoa2302399" in forced_off.out


def test_exports_carry_the_dataset_notes_only_when_asked(run):
    plain = ok(run("cite", "3", "--format", "ris")).out
    noted = ok(run("cite", "3", "--format", "ris", "--with-notes")).out
    assert not any("page range" in line.lower() for line in plain.splitlines() if line.startswith("N1"))
    assert any(line.startswith("N1") for line in noted.splitlines())
    assert len(noted) > len(plain)
    assert ok(run("cite", "3", "--json")).json()["references"][0]["notes"], "JSON keeps the notes"
