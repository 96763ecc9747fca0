"""The common questions answered in one command, in the words people type."""

import pytest


@pytest.mark.parametrize("sep", ["vs", "versus", "and", "VS"])
def test_compare_takes_vs_versus_and_between_names(run, sep):
    doc = run("compare", "ketamine", sep, "ect", "--json").json()
    assert [t["id"] for t in doc["treatments"]] == ["ketamine", "ect"]


def test_side_effects_take_several_treatments(run):
    doc = run("side-effects", "ketamine", "vs", "ect", "--json").json()
    assert [t["id"] for t in doc["treatments"]] == ["ketamine", "ect"]
    assert {s["treatment"] for s in doc["side_effects"]} == {"ketamine", "ect"}
    one = run("side-effects", "ect", "--json").json()
    assert [s["id"] for s in doc["side_effects"] if s["treatment"] == "ect"] == [s["id"] for s in one["side_effects"]]


def test_side_effects_show_names_and_study_names_not_ids(run):
    out = run("side-effects", "ketamine").out
    assert "Ketamine " in out and "  ketamine  " not in out
    assert "side-effect-study-188-participants" not in out
    doc = run("side-effects", "ketamine", "--json").json()
    study = next(t for t in doc["studies"] if t["id"] == "side-effect-study-188-participants")
    assert study["name"].split()[0] in out


def test_the_esketamine_profile_answers_its_cost_in_one_try(run):
    doc = run("treatment", "esketamine", "--json").json()
    cell = next(c for c in doc["table1"] if c["dimension"] == "accessibility")
    assert cell["text"] == "not reported in the source"
    intranasal = [n for n in cell["nearest"] if "intranasal formulation is even more expensive" in n["text"]]
    assert intranasal and intranasal[0]["refs"] == [34] and intranasal[0]["about"] == "ketamine"
    assert 34 in {r["number"] for r in doc["references"]}
    assert all(c["nearest"] or c["source"] for c in doc["table1"])  # every dimension answered
    out = " ".join(run("treatment", "esketamine").out.split())
    assert "said of Ketamine, not of Esketamine by name): The intravenous ketamine formulation can cost upwards" \
           " of $1000 per session, while the intranasal formulation is even more expensive. [34]" in out
    assert "Table 1 gives it for Ketamine, not for Esketamine" in out


def test_a_profile_in_table_1_has_no_nearest_and_shows_its_cell_notes(run):
    doc = run("treatment", "ssri", "--json").json()
    assert all(c["nearest"] == [] for c in doc["table1"])
    out = " ".join(run("treatment", "ssri").out.split())
    assert '"weight gain" is not mentioned anywhere in the text' in out


def test_compare_of_a_treatment_not_in_table_1_says_so_first(run):
    r = run("compare", "esketamine")
    assert r.code == 0
    assert r.out.startswith("Esketamine is not in the review's Table 1: see ketcli treatment esketamine\n")


def test_human_views_show_names_not_ids(run):
    entity = run("mechanism", "bdnf").out
    assert "Mechanism: NMDAR theory" in entity and "Mechanism: nmdar" not in entity
    opioid = run("mechanism", "opioid").out
    assert "(after step 1)" in opioid and "(after beta-endorphin-release)" not in opioid
    listing = run("mechanism").out
    assert "monoamine-hypothesis" not in listing and "Monoamine hypothesis" in listing
    profile = run("treatment", "ketamine").out
    assert "(nmdar)" not in profile


def test_narrow_terminals_keep_the_labels_and_all_content(run):
    env = {"COLUMNS": "40"}
    compare = run("compare", "ketamine", "ect", env=env).out
    assert "dimension: onset" not in compare and "Onset of action" in compare
    assert "41.2%" in compare and "Notes on the cells" in compare
    effects = run("side-effects", "ketamine", env=env).out
    assert "Frequency (study):" in effects and "62% (n = 188)" in " ".join(effects.split())
    assert "effect: " not in effects  # not a raw field dump
    assert len(run("mechanism", "--map", env=env).out.splitlines()) < 150
    pathway = run("mechanism", "opioid", env=env).out
    assert "after: " not in pathway
