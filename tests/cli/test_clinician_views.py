"""What a clinician reads first: the curators' notes on the text extraction stay in the data and
in --json, out of the reading views (compare, treatment, the brief)."""

import re

CURATION = re.compile(r"in the extraction|page break", re.I)


def test_compare_shows_no_extraction_note_and_its_json_keeps_it(run):
    r = run("compare", "ketamine", "ect", env={"COLUMNS": "200"})
    assert r.code == 0 and "Upwards of $1000" in r.out
    assert not CURATION.search(r.out)
    cells = [c for row in run("compare", "ketamine", "ect", "--json").json()["rows"] for c in row["cells"]]
    kept = [n for c in cells for n in c["curation_notes"]]
    assert kept == ['Printed "\\$1000" in the extraction.'] * 2
    assert not any(CURATION.search(n) for c in cells for n in c["notes"])


def test_the_treatment_view_shows_no_page_break_note_and_its_json_keeps_them(run):
    r = run("treatment", "ketamine", env={"COLUMNS": "200"})
    assert r.code == 0 and not CURATION.search(r.out)
    doc = run("treatment", "ketamine", "--json").json()
    assert "page break" in str(doc)  # the claims' curation_notes, for curators and scripts



def test_csv_of_side_effects_and_search_carries_the_notes_by_default(run):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("side-effects", "ketamine", "--format", "csv").out)))
    by_id = {r["id"]: r for r in rows}
    assert by_id["ketamine-dissociation"]["notes"] == 'Table 1: "Transient dissociation".'
    hits = list(csv.DictReader(io.StringIO(run("search", "dissociation", "--format", "csv").out)))
    assert "notes" in hits[0] and any(h["notes"] for h in hits)
