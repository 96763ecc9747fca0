"""Citation formats, checked by the parsers that reference managers and toolchains use.

Fixtures are references 1, 2, 3, 11, 15 and 24 of the review verbatim (as the dataset
records them, through ``Reference.model_dump()``), plus one that the source does not
print at all, like reference 34.
"""

import json
import subprocess
import sys

import bibtexparser  # test dependency, v2: parse_string and failed_blocks
import pytest
import rispy  # test dependency
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

from ketcli.render.citations import (
    EXTENSIONS,
    FORMATS,
    format_apa,
    format_vancouver,
    to_bibtex,
    to_csl_json,
    to_ris,
)
from ketcli.data.models import Reference


def ref(**fields) -> dict:
    return Reference(**fields).model_dump()


REF1 = ref(number=1, key="jelen2021", authors=["Jelen LA", "Stone JM"],
           title="Ketamine for depression", journal="Int Rev Psychiatry", year=2021,
           volume="33", pages="207-28", doi="10.1080/09540261.2020.1854194")
REF2 = ref(number=2, key="fouad2024", authors=["Fouad MA", "Tadros MG", "Michel HE"],
           title="A comprehensive review of the pathophysiology of depression",
           journal="Arch Pharm Sci Ain Shams Univ", year=2024, volume="8", pages="122-32")
REF3 = ref(number=3, key="ekstrand2022", authors=["Ekstrand J", "Fattah C", "Persson M"],
           et_al=True,
           title="Racemic ketamine as an alternative to electroconvulsive therapy for unipolar "
                 "depression: a randomized, open-label, non-inferiority trial (KetECT)",
           journal="Int J Neuropsychopharmacol", year=2022, volume="25", pages="359-49",
           doi="10.1093/ijnp/pyab088", design="RCT", design_basis="title",
           notes=["Page range printed as 359-49 (end before start)."])
REF11 = ref(number=11, key="anand2023", authors=["Anand A", "Mathew SJ", "Sanacora G"],
            et_al=True,
            title="Ketamine versus ECT for nonpsychotic treatment-resistant major depression",
            journal="N Engl J Med", year=2023, volume="388", pages="2315-25",
            doi="10.1056/NEJMoa2302399")
REF15 = ref(number=15, key="krystal2023",
            authors=["Krystal JH", "Kaye AP", "Jefferson S", "Girgenti MJ", "Wilkinson ST",
                     "Sanacora G", "Esterlis I"],
            title="Ketamine and the neurobiology of depression: toward next-generation "
                  "rapid-acting antidepressant treatments",
            journal="Proc Natl Acad Sci U S A", year=2023, volume="120", pages="e2305772120",
            doi="10.1073/pnas.2305772120")
REF24 = ref(number=24, key="acevedodiaz2020",
            authors=["Acevedo-Diaz EE", "Cavanaugh GW", "Greenstein D", "Kraus C",
                     "Kadriu B", "Zarate CA", "Park LT"],
            title="Comprehensive assessment of side effects associated with a single dose of "
                  "ketamine in treatment-resistant depression",
            journal="J Affect Disord", year=2020, volume="263", pages="568-75",
            doi="10.1016/j.jad.2019.11.028")
REF34 = ref(number=34, key="ref34",
            notes=["Cited in the text; the extracted reference list ends at 33."])
# Not from the review: special characters that must survive every format.
SPECIAL = ref(number=90, key="schroeder2020", authors=["Schröder G", "Rivas-Grajales AM"],
              title="Effects of 5 μg ketamine & 10% saline on BDNF in {x} #1 rats at $5 a_b",
              journal="J Neurochem & Res", year=2020, volume="7", pages="1-9",
              doi="10.1007/7854_2023_447")
REFS = [REF1, REF2, REF3, REF11, REF15, REF24, REF34]


def by_key(library) -> dict:
    return {entry.key: entry for entry in library.entries}


def parse_bib(text: str, *middleware):
    library = bibtexparser.parse_string(text, append_middleware=list(middleware))
    assert library.failed_blocks == []
    return by_key(library)


def family_names(ref: dict) -> list[str]:
    return [a.rsplit(" ", 1)[0] for a in ref["authors"]]


# --- BibTeX -----------------------------------------------------------------------

def test_bibtex_round_trips_through_bibtexparser():
    entries = parse_bib(to_bibtex(REFS), LatexDecodingMiddleware())
    assert list(entries) == [r["key"] for r in REFS]
    for r in REFS[:-1]:
        fields = entries[r["key"]].fields_dict
        assert entries[r["key"]].entry_type == "article"
        assert fields["title"].value == r["title"]
        assert fields["journal"].value == r["journal"]
        assert fields["year"].value == str(r["year"])
        assert fields["volume"].value == r["volume"]
        assert ("doi" in fields) == (r["doi"] is not None)
        if r["doi"]:
            assert fields["doi"].value == r["doi"]


def test_bibtex_authors_split_as_bibtex_splits_them():
    entries = parse_bib(to_bibtex(REFS + [SPECIAL]), SeparateCoAuthors(), SplitNameParts())
    for r in REFS[:-1]:
        names = entries[r["key"]].fields_dict["author"].value
        printed = [n for n in names if n.last != ["others"]]
        assert [" ".join(n.last) for n in printed] == family_names(r)
        assert all(n.von == [] and n.jr == [] for n in printed)
        assert (names[-1].last == ["others"]) == r["et_al"]
    mathew = entries["anand2023"].fields_dict["author"].value[1]
    assert (mathew.first, mathew.last) == (["S.", "J."], ["Mathew"])
    hyphenated = entries["acevedodiaz2020"].fields_dict["author"].value[0]
    assert (hyphenated.first, hyphenated.last) == (["E.", "E."], ["Acevedo-Diaz"])
    rivas = entries["schroeder2020"].fields_dict["author"].value[1]
    assert (rivas.first, rivas.last) == (["A.", "M."], ["Rivas-Grajales"])


@pytest.mark.parametrize(("printed", "first", "von", "last", "jr"), [
    ("van der Berg JH", ["J.", "H."], ["van", "der"], ["Berg"], []),
    ("Zarate CA Jr", ["C.", "A."], [], ["Zarate"], ["Jr"]),
    ("World Health Organization", [], [], ["{World Health Organization}"], []),
])
def test_bibtex_name_forms(printed, first, von, last, jr):
    r = dict(REF1, authors=[printed])
    name = parse_bib(to_bibtex([r]), SeparateCoAuthors(), SplitNameParts())[
        "jelen2021"].fields_dict["author"].value[0]
    assert (name.first, name.von, name.last, name.jr) == (first, von, last, jr)


def test_bibtex_special_characters_survive():
    text = to_bibtex([SPECIAL])
    assert text.isascii()
    assert r"Schr{\"o}der" in text and r"{\ensuremath{\mu}}g" in text and r"\&" in text
    fields = parse_bib(text, LatexDecodingMiddleware())["schroeder2020"].fields_dict
    assert fields["title"].value == SPECIAL["title"]
    assert fields["journal"].value == SPECIAL["journal"]
    assert fields["author"].value == "Schröder, G. and Rivas-Grajales, A. M."
    raw = parse_bib(text)["schroeder2020"].fields_dict
    assert raw["doi"].value == "10.1007/7854_2023_447"  # verbatim: biblatex reads doi so


def test_bibtex_unbalanced_brace_stays_parseable():
    r = dict(SPECIAL, title="A } stray {{ brace")
    fields = parse_bib(to_bibtex([r]))["schroeder2020"].fields_dict
    assert r"{\textbraceright}" in fields["title"].value


def test_bibtex_protects_capitals_and_keeps_printed_pages():
    raw = parse_bib(to_bibtex(REFS))
    assert raw["anand2023"].fields_dict["title"].value == (
        "Ketamine versus {ECT} for nonpsychotic treatment-resistant major depression")
    assert raw["ekstrand2022"].fields_dict["title"].value.endswith("trial {(KetECT)}")
    assert raw["ekstrand2022"].fields_dict["pages"].value == "359--49"
    assert raw["krystal2023"].fields_dict["pages"].value == "e2305772120"


def test_bibtex_notes_say_what_the_source_does_not_report():
    entries = parse_bib(to_bibtex(REFS), LatexDecodingMiddleware())
    empty = entries["ref34"]
    assert empty.entry_type == "misc"
    assert set(empty.fields_dict) == {"note", "annote"}
    assert empty.fields_dict["note"].value == (
        "Authors, title, journal and year not reported in the source.")
    assert empty.fields_dict["annote"].value.startswith(
        "Authors, title, journal, year, volume, pages and DOI not reported in the source.")
    assert "Cited in the text" in empty.fields_dict["annote"].value
    assert "note" not in entries["fouad2024"].fields_dict
    assert entries["fouad2024"].fields_dict["annote"].value == "DOI not reported in the source."
    assert "et al." in entries["anand2023"].fields_dict["annote"].value


# --- RIS --------------------------------------------------------------------------

def test_ris_round_trips_through_rispy():
    text = to_ris(REFS)
    for records in (rispy.loads(text), rispy.loads(text.replace("\r\n", "\n"))):
        assert [r["id"] for r in records] == [r["key"] for r in REFS]
        for rec, r in zip(records[:-1], REFS[:-1]):
            assert rec["type_of_reference"] == "JOUR"
            assert rec["authors"] == [
                f"{f}, {'. '.join(a.rsplit(' ', 1)[1])}." for f, a in
                zip(family_names(r), r["authors"])] + (["others"] if r.get("et_al") else [])
            assert rec["title"] == r["title"]
            assert rec["journal_name"] == rec["secondary_title"] == r["journal"]
            assert rec["year"] == str(r["year"])
            assert rec["volume"] == r["volume"]
            assert rec.get("doi") == r["doi"]
    by_id = {rec["id"]: rec for rec in rispy.loads(text)}
    assert by_id["anand2023"]["authors"][1] == "Mathew, S. J."
    assert (by_id["anand2023"]["start_page"], by_id["anand2023"]["end_page"]) == ("2315", "25")
    # printed "359-49" ends before it starts: one field as printed, no end page to build a range from
    assert by_id["ekstrand2022"]["start_page"] == "359-49" and "end_page" not in by_id["ekstrand2022"]
    assert by_id["krystal2023"]["start_page"] == "e2305772120"
    assert "end_page" not in by_id["krystal2023"]
    assert by_id["ekstrand2022"]["notes"][-1] == REF3["notes"][0]
    assert by_id["fouad2024"]["notes"] == ["DOI not reported in the source."]
    assert by_id["ref34"] == {
        "type_of_reference": "GEN", "id": "ref34",
        "notes": ["Authors, title, journal, year, volume, pages and DOI not reported in the "
                  "source.", REF34["notes"][0]]}


def test_ris_lines_follow_the_spec():
    text = to_ris(REFS + [SPECIAL])
    assert text.endswith("ER  - \r\n")
    lines = text.split("\r\n")[:-1]
    assert all(len(line) >= 6 and line[2:6] == "  - " and line[:2].isalnum() for line in lines)
    assert "\n" not in text.replace("\r\n", "")
    assert "TI  - " + SPECIAL["title"] + "\r\n" in text
    assert "AU  - Schröder, G.\r\n" in text


# --- CSL-JSON ---------------------------------------------------------------------

def test_csl_json_items():
    items = to_csl_json(REFS)
    assert json.loads(FORMATS["csl-json"](REFS)) == items
    for item, r in zip(items[:-1], REFS[:-1]):
        assert item["id"] == r["key"] and item["type"] == "article-journal"
        named = [a for a in item["author"] if a != {"literal": "others"}]
        assert [a["family"] for a in named] == family_names(r)
        # a list the source cut short ends in pandoc's "et al." author, and only then
        assert (item["author"][-1] == {"literal": "others"}) == bool(r.get("et_al"))
        assert item["citation-key"] == r["key"]
        assert item.get("URL") == (f"https://doi.org/{r['doi']}" if r.get("doi") else None)
        assert item["title"] == r["title"]
        assert item["container-title"] == item["container-title-short"] == r["journal"]
        assert item["issued"] == {"date-parts": [[r["year"]]]}
        # an irregular printed range keeps citeproc from expanding it: "359\\-49" renders "359-49"
        assert item["volume"] == r["volume"] and item["page"].replace("\\-", "-") == r["pages"]
        assert ("\\" in item["page"]) == (r["pages"] == "359-49")
        assert item.get("DOI") == r["doi"]
    assert items[3]["author"][1] == {"family": "Mathew", "given": "S. J."}
    assert items[-1] == {"id": "ref34", "type": "document", "citation-key": "ref34", "note":
                         "Authors, title, journal, year, volume, pages and DOI not reported "
                         "in the source.\n" + REF34["notes"][0]}


@pytest.mark.filterwarnings("ignore:The following arguments for Reference are unsupported")  # CSL 1.0.2 variable citeproc-py predates
def test_csl_json_reads_in_citeproc():
    source = pytest.importorskip("citeproc.source.json")  # optional: citeproc-py
    items = source.CiteProcJSON(to_csl_json(REFS + [SPECIAL]))
    anand = items["anand2023"]
    assert [(n.get("family"), n.get("given")) for n in anand.author] == [
        ("Anand", "A."), ("Mathew", "S. J."), ("Sanacora", "G."), (None, None)]
    assert anand.author[-1]["literal"] == "others"
    assert str(anand.title) == REF11["title"]
    assert anand.issued.year == 2023
    assert str(anand.DOI) == REF11["doi"]
    assert str(items["schroeder2020"].title) == SPECIAL["title"]


# --- Plain-text styles --------------------------------------------------------------

@pytest.mark.parametrize(("r", "expected"), [
    (REF11, "Anand A, Mathew SJ, Sanacora G, et al. Ketamine versus ECT for nonpsychotic "
            "treatment-resistant major depression. N Engl J Med. 2023;388:2315-25. "
            "doi:10.1056/NEJMoa2302399"),
    (REF2, "Fouad MA, Tadros MG, Michel HE. A comprehensive review of the pathophysiology of "
           "depression. Arch Pharm Sci Ain Shams Univ. 2024;8:122-32."),
    (REF15, "Krystal JH, Kaye AP, Jefferson S, Girgenti MJ, Wilkinson ST, Sanacora G, Esterlis I. "
            "Ketamine and the neurobiology of depression: toward next-generation rapid-acting "
            "antidepressant treatments. Proc Natl Acad Sci U S A. 2023;120:e2305772120. "
            "doi:10.1073/pnas.2305772120"),
    (REF34, "[Authors, title, journal and year not reported in the source]"),
])
def test_vancouver(r, expected):
    assert format_vancouver(r) == expected


@pytest.mark.parametrize(("r", "expected"), [
    (REF11, "Anand, A., Mathew, S. J., Sanacora, G., et al. (2023). Ketamine versus ECT for "
            "nonpsychotic treatment-resistant major depression. N Engl J Med, 388, 2315-25. "
            "https://doi.org/10.1056/NEJMoa2302399"),
    (REF2, "Fouad, M. A., Tadros, M. G., & Michel, H. E. (2024). A comprehensive review of the "
           "pathophysiology of depression. Arch Pharm Sci Ain Shams Univ, 8, 122-32."),
    (REF1, "Jelen, L. A., & Stone, J. M. (2021). Ketamine for depression. Int Rev Psychiatry, "
           "33, 207-28. https://doi.org/10.1080/09540261.2020.1854194"),
    (REF34, "[Authors, title, journal and year not reported in the source]"),
])
def test_apa(r, expected):
    assert format_apa(r) == expected


def test_partly_known_references_say_what_is_missing():
    no_year = dict(REF1, year=None)
    assert format_apa(no_year).startswith("Jelen, L. A., & Stone, J. M. (n.d.). Ketamine")
    assert format_apa(no_year).endswith("[Year not reported in the source]")
    assert format_vancouver(no_year) == (
        "Jelen LA, Stone JM. Ketamine for depression. Int Rev Psychiatry. 33:207-28. "
        "doi:10.1080/09540261.2020.1854194 [Year not reported in the source]")
    no_authors = dict(REF1, authors=[])
    assert format_apa(no_authors).startswith("Ketamine for depression. (2021). Int Rev")


# --- Registry -----------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_exports_every_reference(name):
    text = FORMATS[name](REFS + [SPECIAL])
    assert isinstance(text, str)
    assert "None" not in text and "null" not in text
    if name == "doi":  # identifiers only: one per reference that has one
        assert text.splitlines() == [r["doi"] for r in REFS + [SPECIAL] if r.get("doi")]
        return
    for r in REFS[:-1]:
        assert r["title"] in text or name == "bibtex"
    assert "not reported in the source" in text


def test_extensions_name_formats():
    assert EXTENSIONS == {".bib": "bibtex", ".ris": "ris", ".json": "csl-json"}
    assert set(EXTENSIONS.values()) <= set(FORMATS)
    assert set(FORMATS) == {"bibtex", "ris", "csl-json", "vancouver", "apa", "doi"}


def test_import_stays_light():
    code = ("import sys, ketcli.render.citations as c; c.to_ris([]); c.format_apa({'number': 1}); "
            "print(sorted(m for m in ('pylatexenc', 'bibtexparser', 'citeproc', 'pydantic') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_the_command_line_offers_exactly_the_formats_the_module_writes():
    from ketcli.render.citations import FORMATS
    from ketcli.render.format_names import CITATION_FORMATS, CiteFormat

    assert set(FORMATS) == set(CITATION_FORMATS)
    assert set(CITATION_FORMATS) <= {f.value for f in CiteFormat}
