"""`ketcli mechanism`: the evidence for and against each theory."""

from ketcli.query import results


def test_list_gives_each_mechanism_with_counts(run):
    doc = run("mechanism", "--json").json()
    rows = {m["id"]: m for m in doc["mechanisms"]}
    assert {"nmdar", "monoamine", "opioid", "anti-inflammatory"} <= set(rows)
    assert rows["opioid"]["counts"]["supports"] >= 1
    assert rows["opioid"]["counts"]["contradicts"] >= 1
    assert rows["nmdar"]["scope"] == "ketamine theory"
    results.check("mechanism", doc)


def test_opioid_has_a_supporting_claim_citing_22_and_a_contradicting_one_citing_21(run):
    doc = run("mechanism", "opioid", "--json").json()
    assert doc["mechanism"]["id"] == "opioid"
    stances = {(c["stance"], n) for c in doc["claims"] for n in c["refs"]}
    assert ("supports", 22) in stances
    assert ("contradicts", 21) in stances
    refs = {r["number"]: r for r in doc["references"]}
    assert refs[21]["title"] == "Lack of opioid system in the antidepressant actions of ketamine"
    assert refs[22]["doi"] == "10.1073/pnas.1916570117"
    results.check("mechanism", doc)


def test_nmdar_has_status_pathway_and_evidence(run):
    doc = run("mechanism", "nmdar", "--json").json()
    m = doc["mechanism"]
    assert "heavily supported" in m["status"].lower()
    labels = " ".join(s["label"] for s in m["pathway"]).lower()
    for step in ("gabaergic", "glutamate", "ampar", "bdnf", "mtorc1", "eef2"):
        assert step in labels
    ampar = [c for c in doc["claims"] if 16 in c["refs"]]
    assert ampar and ampar[0]["stance"] == "supports" and ampar[0]["evidence"] == "animal"


def test_aliases_select_the_same_mechanism(run):
    ids = {run("mechanism", name, "--json").json()["mechanism"]["id"] for name in ("nmda", "NMDAR", "nmdar theory")}
    assert ids == {"nmdar"}
    assert run("mechanism", "inflammation", "--json").json()["mechanism"]["id"] == "anti-inflammatory"


def test_table_lists_claims_with_stance_and_references(run):
    r = run("mechanism", "opioid")
    assert r.code == 0, r.err
    assert "contradicts" in r.out and "supports" in r.out
    assert "[1,4,21]" in r.out and "[1,4,22]" in r.out
    assert "Zhang K, Hashimoto K" in r.out


def test_unknown_mechanism_exits_1_with_a_suggestion(run):
    r = run("mechanism", "opiod")
    assert r.code == 1
    assert "did you mean opioid?" in r.err
    assert r.out == ""


def test_a_name_that_is_only_an_alias_while_another_mechanism_starts_with_it_lists_the_choices(run):
    r = run("mechanism", "glutamate")
    assert r.code == 1
    assert "NMDAR theory (nmdar)" in r.err and "Glutamatergic and GABAergic dysfunction (glutamate-gaba-dysfunction)" in r.err
    assert run("mechanism", "nmda", "--json").json()["mechanism"]["id"] == "nmdar"
    assert run("mechanism", "monoamine", "--json").json()["mechanism"]["id"] == "monoamine"


def test_pathway_on_a_record_without_one_lists_those_with_one(run):
    r = run("mechanism", "bdnf", "--pathway")
    assert r.code == 1
    assert "the review draws no pathway for BDNF" in r.err
    assert "it draws one for: nmdar, monoamine, opioid" in r.err and "…" not in r.err
