"""`ketcli sof`: a summary of findings holding only what the review prints."""

import json
import re

import pytest

from ketcli.query.results import check

CERTAINTY = "not assessed in the source (narrative review)"
# Words of a certainty rating the review never gives (nor its "may/probably" phrasing).
RATING = re.compile(r"\bGRADE\b|\b(high|moderate|low|very low)[- ]certainty\b|\bprobably\b|⊕|\bcertainty (is )?(high|"
                    r"moderate|low)\b", re.I)


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "markdown"])
@pytest.mark.parametrize("args", [["ketamine", "ect"], ["ketamine"], [], ["ketamine", "ect", "--gaps"]])
def test_every_format_runs_and_never_rates_certainty(run, fmt, args):
    r = run("sof", *args, "--format", fmt)
    assert r.code == 0, r.err
    assert r.out.strip()
    assert not RATING.search(r.out), RATING.search(r.out).group(0)
    if fmt == "json":
        check("sof", r.json())
    if fmt == "jsonl":
        assert all(json.loads(line) for line in r.out.splitlines())


def test_certainty_is_never_assessed_and_empty_cells_say_so(run):
    doc = run("sof", "--json").json()
    rows = [row for t in doc["trials"] for row in t["rows"]]
    assert rows and all(row["certainty"] == CERTAINTY for row in rows)
    assert doc["header"]["certainty"] == CERTAINTY
    settings = [line.rpartition(": ")[2] for line in doc["header"]["setting"]]
    assert len(settings) == len(doc["trials"]) and "not reported in the source" in settings
    for line in run("sof", "--format", "csv").out.splitlines()[1:]:
        assert ",," not in line and not line.endswith(",")  # no empty cell
    anand = next(t for t in doc["trials"] if t["id"] == "anand2023-ketamine-vs-ect")
    assert anand["rows"][0]["participants"] == "not reported in the source"


def test_printed_numbers_are_shown_as_printed_and_never_replaced(run, source_text):
    from ketcli.data.dataset import load

    trials = {t["id"]: t for t in load(None)["trials"]}
    doc = run("sof", "--json").json()
    for t in doc["trials"]:
        printed = trials[t["id"]]["results"]
        shown = [q for row in t["rows"] for q in row["quantities"]]
        assert shown == printed  # every number of the dataset, unchanged, in its order
        for row in t["rows"]:
            for token in re.findall(r"\d+(?:\.\d+)?", row["result"]):
                assert re.search(rf"(?<![\d.]){re.escape(token)}(?![\d])", source_text), (t["id"], token)
    table = run("sof", "ketamine", "ect").out
    assert "ketamine: 55.4%; ECT: 41.2%" in table
    assert "14.2 percentage points (95% CI 3.9 to 24.2; p < 0.001)" in table


def test_derived_arithmetic_is_labelled_with_its_formula_beside_the_printed_number(run):
    doc = run("sof", "ketamine", "ect", "--json").json()
    rows = doc["trials"][0]["rows"]
    response = rows[0]
    assert response["result"] == "ketamine: 55.4%; ECT: 41.2%"  # the printed numbers stay
    [derived] = response["derived"]
    assert derived["formula"] == "55.4 − 41.2 = 14.2" and derived["value"] == 14.2
    assert derived["checks"] == "agrees with the printed 14.2 percentage points"
    assert response["comments"][0].startswith("derived, not printed: ketamine minus ECT, 55.4 − 41.2 = 14.2")
    assert rows[1]["derived"] == []  # the printed difference is not recomputed


def test_the_two_head_to_head_trials_disagree_and_the_comment_gives_the_reviews_explanation(run):
    doc = run("sof", "ketamine", "ect", "--json").json()
    assert [t["id"] for t in doc["trials"]] == ["anand2023-ketamine-vs-ect", "ketect-european-rct"]
    ketect = doc["trials"][1]["rows"][0]
    assert "inferior to ECT" in ketect["result"] and ketect["quantities"] == []
    assert any("psychotic depression" in c for c in ketect["comments"])


def test_gaps_list_what_the_review_does_not_print(run):
    r = run("sof", "ketamine", "ect", "--gaps", "--format", "csv")
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0] == "trial,missing"
    assert "anand2023-ketamine-vs-ect,number of participants" in lines
    assert any(line.startswith('ketect-european-rct,"any number for an outcome') for line in lines)
    assert "What a full summary of findings needs" in run("sof", "ketamine", "ect", "--gaps").out


def test_unknown_treatment_and_no_trial_exit_1(run):
    r = run("sof", "ketamin3")
    assert r.code == 1 and "ketamine" in r.err
    r = run("sof", "ssri", "ect")
    assert r.code == 1 and "no trial" in r.err and r.out == ""


def test_tcas_and_ssris_show_the_meta_analysis_finding_not_its_trial_count(run):
    doc = run("sof", "tcas", "ssris", "--json").json()
    (kato,) = doc["trials"]
    (row,) = kato["rows"]
    assert "TCAs demonstrating moderate superiority over SSRIs" in row["result"]
    assert "40" not in row["result"] and row["quantities"] == []
    assert [d["text"] for d in kato["characteristics"]] == ["40"]
    assert not any("confidence interval" in g and "trials in the meta-analysis" in g for g in kato["gaps"])
    assert "moderate superiority over SSRIs" in run("sof", "tcas", "ssris").out


def test_a_study_s_dose_and_infusion_time_are_details_not_outcomes(run):
    doc = run("sof", "ketamine", "--json").json()
    study = next(t for t in doc["trials"] if t["id"] == "bp-study-66-patients")
    outcomes = [row["outcome"] for row in study["rows"]]
    assert "ketamine dose (intravenous infusion)" not in outcomes and "infusion duration" not in outcomes
    assert {d["label"]: d["text"] for d in study["characteristics"]} == {
        "ketamine dose (intravenous infusion)": "0.5 mg/kg", "infusion duration": "40 minutes"}
    assert not any(g.startswith(("ketamine dose", "infusion duration")) for g in study["gaps"])
    text = run("sof", "ketamine").out
    assert "study detail ketamine dose (intravenous infusion): 0.5 mg/kg" in " ".join(text.split())
