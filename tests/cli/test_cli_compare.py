"""`ketcli compare`: Table 1 as a user and a script meet it."""

from ketcli.query import results


def cell(doc, dimension, treatment):
    row = next(r for r in doc["rows"] if r["dimension"] == dimension)
    return next(c for c in row["cells"] if c["treatment"] == treatment)


def test_ketamine_response_rate_cell_reads_as_printed(run):
    doc = run("compare", "ketamine", "ect", "--json").json()
    c = cell(doc, "response_rate", "ketamine")
    assert c["text"] == "50%–70%"
    assert c["value"] == {"low": 50.0, "high": 70.0, "unit": "%", "bound": "range"}
    assert c["source"] == "Table 1"
    assert set(c["refs"]) >= {1, 5, 15}
    assert any("50-70%" in s["text"] or "50–70%" in s["text"] or "50%" in s["text"] for s in c["support"])


def test_no_argument_gives_all_four_treatments_of_table_1(run):
    doc = run("compare", "--json").json()
    assert [t["id"] for t in doc["treatments"]] == ["ketamine", "ssris", "tcas", "ect"]
    assert [r["dimension"] for r in doc["rows"]] == [
        "onset", "response_rate", "duration", "tolerability", "accessibility"]
    assert cell(doc, "onset", "ketamine")["text"] == "Hours"
    assert cell(doc, "onset", "ect")["text"] == "After several treatment sessions"
    assert cell(doc, "accessibility", "ketamine")["text"] == "Upwards of $1000 per treatment for IV"
    assert cell(doc, "tolerability", "ssris")["text"] == "Sexual dysfunction, weight gain, insomnia, nausea"


def test_head_to_head_trials_appear_with_their_numbers(run):
    doc = run("compare", "ketamine", "ect", "--json").json()
    trials = {t["refs"][0]: t for t in doc["trials"]}
    assert {3, 11} <= set(trials)
    values = {(q["label"], q["arm"]): q for q in trials[11]["results"]}
    numbers = sorted(q["value"] for q in trials[11]["results"] if q["value"] is not None)
    assert 55.4 in numbers and 41.2 in numbers and 14.2 in numbers
    diff = next(q for q in values.values() if q["value"] == 14.2)
    assert (diff["ci_low"], diff["ci_high"], diff["ci_level"]) == (3.9, 24.2, 95.0)
    assert diff["p"] == "< 0.001"
    assert trials[11]["n"] is None  # the review does not print the trial's size
    assert "inferior" in trials[3]["finding"].lower()


def test_trials_are_only_shown_for_treatments_they_compare(run):
    doc = run("compare", "ssri", "tca", "--json").json()
    # the relapse meta-analysis compares them: "TCAs demonstrating moderate superiority over SSRIs" [31]
    assert [t["id"] for t in doc["trials"]] == ["kato2021-relapse-meta-analysis"]
    assert [t["id"] for t in run("compare", "ssri", "ect", "--json").json()["trials"]] == []


def test_json_is_self_contained_with_the_references_it_cites(run):
    doc = run("compare", "ketamine", "ect", "--json").json()
    cited = {n for row in doc["rows"] for c in row["cells"] for n in c["refs"]}
    cited |= {n for t in doc["trials"] for n in t["refs"]}
    assert {r["number"] for r in doc["references"]} == cited
    anand = next(r for r in doc["references"] if r["number"] == 11)
    assert anand["doi"] == "10.1056/NEJMoa2302399"
    assert doc["schema_version"] == 2
    assert doc["source"]["doi"] == "10.7759/cureus.83244"
    results.check("compare", doc)


def test_aliases_and_case_are_accepted(run):
    a = run("compare", "KETAMINE", "Electroconvulsive therapy", "--json").json()
    b = run("compare", "ketamine", "ect", "--json").json()
    assert a == b
    assert [t["id"] for t in run("compare", "ssri", "tricyclic", "--json").json()["treatments"]] == ["ssris", "tcas"]


def test_a_treatment_outside_table_1_says_not_reported(run):
    doc = run("compare", "ketamine", "bupropion", "--json").json()
    assert cell(doc, "onset", "bupropion")["text"] == "not reported in the source"
    assert cell(doc, "onset", "bupropion")["source"] is None


def test_table_shows_cells_with_citation_markers(run):
    r = run("compare", "ketamine", "ect")
    assert r.code == 0, r.err
    assert "50%–70%" in r.out and "Onset of action" in r.out
    onset = next(line for line in r.out.splitlines() if "Onset of action" in line)
    assert "Hours [1,3,15]" in onset and "After several treatment sessions [3]" in onset
    assert "55.4" in r.out and "41.2" in r.out
    assert r.err == ""


def test_unknown_treatment_exits_1_with_a_suggestion(run):
    r = run("compare", "ketamin", "nosuchdrug")
    assert r.code == 1
    assert r.out == ""
    assert "nosuchdrug" in r.err and ("did you mean" in r.err or "known treatment names" in r.err)
    r = run("compare", "ketamne")
    assert r.code == 1 and "did you mean ketamine?" in r.err


def test_upwards_of_is_an_open_bound_not_an_exact_cost(run):
    doc = run("compare", "ketamine", "ect", "--json").json()
    value = cell(doc, "accessibility", "ketamine")["value"]
    assert value == {"low": 1000.0, "high": None, "unit": "USD", "bound": "at least"}
    csv_out = run("compare", "ketamine", "--format", "csv").out
    assert "value.bound" in csv_out.splitlines()[0] and ",1000,,USD,at least" in csv_out


def test_cells_with_notes_are_marked_and_their_notes_shown(run):
    doc = run("compare", "--json").json()
    noted = [(row["label"], c) for row in doc["rows"] for c in row["cells"] if c["notes"]]
    table = run("compare").out
    flat = " ".join(table.split())
    assert '"weight gain" is not mentioned anywhere in the text' in flat
    assert "the lower bound of 40% appears nowhere in the text" in flat
    assert "the ECT arm's response was 41.2%, below this range" in flat
    assert "that say the same" not in flat and "† marks a cell" in flat
    assert table.count("† ") >= len([n for _, c in noted for n in c["notes"]])
    for _, c in noted:
        for note in c["notes"]:
            assert " ".join(note.split()) in flat


def test_chart_marks_noted_cells_and_lists_their_notes(run):
    out = run("compare", "ketamine", "ssri", "--chart").out
    assert "[1,5,15]†" in out and "Notes on the cells (†)" in out
    assert "the lower bound of 40% appears nowhere" in " ".join(out.split())


def test_csv_carries_the_notes_and_markdown_is_side_by_side(run):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run("compare", "ssri", "--format", "csv").out)))
    tol = next(r for r in rows if r["dimension"] == "tolerability")
    assert '"weight gain" is not mentioned anywhere in the text' in tol["notes"]
    md = run("compare", "ketamine", "ect", "--format", "markdown").out
    lines = md.splitlines()
    assert lines[0] == "| | Ketamine | ECT |"
    assert lines[3].startswith("| Response rate | 50%–70% [1,5,15]† | 50%–70% [1,5,15]† |")
    assert "**Notes on the cells**" in md and "**References**" in md
    assert "11. Anand A, Mathew SJ, Sanacora G, et al." in md
    assert "41.2%" in md
