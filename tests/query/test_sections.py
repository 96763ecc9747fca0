"""Tests that a user sees, through the CLI, a spread of facts from every section (at least three per section).

One test per section of the review. Each fact is reached the way a user would reach it
(`search`, `treatment`, `side-effects`, `timeline`, `mechanism`, `about`, `compare`) and is
checked against the numbers and reference numbers as the review prints them. Most checks
read `--json`; a few read the table people see. Where a phrase is quoted, it is also
checked against the review's text (source/ of the repository), so the expected values
below are the review's, not the dataset's.
"""

from pathlib import Path

import re
import pytest

SOURCE = Path(__file__).resolve().parents[2] / "source" / "ketamine-review-cureus-2025.txt"
WIDE = {"COLUMNS": "400"}  # tables on one line per row, so a row's cells can be checked together


def flat(text: str) -> str:
    """Whitespace collapsed, extraction artifacts undone ("\\$" is "$", LaTeX subscripts)."""
    text = text.replace("\\$", "$").replace("5-HT_{2A}", "5-HT2A").replace("GABA_A", "GABAA")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def review():
    """The review's text, flattened."""
    return flat(SOURCE.read_text(encoding="utf-8"))


def ok(r):
    assert r.code == 0, (r.code, r.err)
    return r


def quoted(review, *phrases):
    """Each phrase is printed in the review."""
    for phrase in phrases:
        assert flat(phrase) in review, f"not in the review: {phrase!r}"


def hits(run, query, limit=50):
    return ok(run("search", query, "--json", "-n", str(limit))).json()["hits"]


def fact(run, review, query, phrase, refs, section, kind="claim", verbatim=True):
    """`ketcli search QUERY` shows one `kind` hit quoting `phrase`, cited `refs`, in `section`."""
    found = [h for h in hits(run, query) if h["kind"] == kind and phrase in h["text"]]
    assert len(found) == 1, f"search {query!r}: {len(found)} {kind} hit(s) with {phrase!r}"
    (hit,) = found
    assert hit["refs"] == refs, (phrase, hit["refs"])
    assert hit["section"] == section, (phrase, hit["section"])
    if verbatim:
        quoted(review, phrase)
    return hit


def row(table: str, *needles: str) -> str:
    """The one line of a table that holds every needle."""
    lines = [line for line in table.splitlines() if all(n in line for n in needles)]
    assert len(lines) == 1, f"{len(lines)} table line(s) with {needles!r}"
    return lines[0]


def entity_claims(run, name):
    doc = ok(run("mechanism", name, "--json")).json()
    return doc, {c["id"]: c for c in doc["claims"]}


def mechanism(run, name):
    doc = ok(run("mechanism", name, "--json")).json()
    assert doc["kind"] == "mechanism"
    return doc, {c["id"]: c for c in doc["claims"]}


def claim_with(claims: dict, phrase: str) -> dict:
    found = [c for c in claims.values() if phrase in c["text"]]
    assert len(found) == 1, f"{len(found)} claim(s) with {phrase!r}"
    return found[0]


def events(run):
    return {e["when"]: e for e in ok(run("timeline", "--json")).json()["events"]}


def treatment(run, name):
    return ok(run("treatment", name, "--json")).json()


def attribute(profile, name, phrase):
    found = [a for a in profile["treatment"]["attributes"] if a["name"] == name and phrase in a["value"]]
    assert len(found) == 1, f"{len(found)} {name!r} attribute(s) with {phrase!r}"
    return found[0]


def side_effects(run, name=None):
    args = ["side-effects"] + ([name] if name else []) + ["--json"]
    return {s["id"]: s for s in ok(run(*args)).json()["side_effects"]}


def effect(effects: dict, phrase: str) -> dict:
    found = [s for s in effects.values() if s["effect"] == phrase]
    assert len(found) == 1, f"{len(found)} side effect(s) named {phrase!r}"
    return found[0]


def about(run):
    return ok(run("about", "--json")).json()


def compare_cells(run, *names):
    doc = ok(run("compare", *names, "--json")).json()
    return doc, {(c["treatment"], r["dimension"]): c for r in doc["rows"] for c in r["cells"]}


# --- Front matter and Abstract ------------------------------------------------------

def test_abstract(run, review):
    fact(run, review, "head-to-head",
         "ketamine showed similar efficacy in non-psychotic depression while providing clinically significant "
         "relief more rapidly", [], "Abstract")
    fact(run, review, "bladder toxicity",
         "better understand potential drawbacks such as bladder toxicity and addiction potential", [], "Abstract")
    fact(run, review, "tolerable", "generally more tolerable side effects", [], "Abstract")

    # The abstract's evidence labels: monoaminergic (preclinical), opioid (preclinical), neuroinflammation (clinical).
    quoted(review, "monoaminergic signaling (preclinical evidence)", "opioid receptor agonism (preclinical evidence)",
           "neuroinflammation (clinical evidence)")
    basis = {m["id"]: m["evidence_basis"] for m in ok(run("mechanism", "--json")).json()["mechanisms"]}
    assert basis["monoamine"] == "preclinical evidence"
    assert basis["opioid"] == "preclinical evidence"
    assert basis["anti-inflammatory"] == "clinical evidence"
    assert basis["nmdar"] is None  # the abstract gives NMDAR antagonism no evidence label
    table = ok(run("mechanism", env=WIDE)).out
    assert "clinical evidence" in row(table, "Anti-inflammatory theory")
    assert "not reported in the source" in row(table, "NMDAR theory")

    review_meta = about(run)["review"]
    assert review_meta["keywords"] == [
        "bdnf-trkb signaling", "electroconvulsive therapy", "glutamatergic neurotransmission", "ketamine",
        "major depressive disorder", "neuropharmacology", "nmda receptor antagonist", "rapid-acting antidepressants",
        "synaptic plasticity", "treatment-resistant depression",
    ]
    assert review_meta["categories"] == ["Neurology", "Psychiatry", "Pharmacology"]
    assert (review_meta["doi"], review_meta["published"], review_meta["volume"], review_meta["issue"],
            review_meta["article_number"]) == ("10.7759/cureus.83244", "2025-04-30", "17", "4", "e83244")


def test_introduction(run, review):
    section = "Introduction And Background"
    fact(run, review, "50 years",
         "one of the most significant breakthroughs in depression treatment over the past 50 years", [1], section)
    fact(run, review, "half-life",
         "safer alternative to phencyclidine, with fewer side effects and a shorter half-life", [4], section)
    fact(run, review, "fatigue hopelessness",
         "sadness, fatigue, lack of interest in activities, hopelessness, and anhedonia", [2], section)
    fact(run, review, "modern techniques", "modern techniques have sought to reduce these adverse effects", [3], section)

    since_2000 = events(run)["Since 2000"]
    assert since_2000["year"] == 2000 and since_2000["refs"] == []  # no reference printed
    assert since_2000["section"] == section and since_2000["treatments"] == ["ketamine"]
    quoted(review, "Since 2000, growing interest has emerged in ketamine's potential as a novel antidepressant")

    anesthetic = attribute(treatment(run, "ketamine"), "class", "anesthetic drug")
    assert anesthetic["refs"] == [4] and anesthetic["section"] == section


def test_methods(run, review):
    methods = about(run)["review"]["methods"]
    assert methods["databases"] == ["PubMed", "Google Scholar"]
    assert (methods["years_from"], methods["years_to"]) == (2005, 2024)
    assert methods["search_date"] == "2025-01-13"
    assert methods["terms"] == ["ketamine for depression", "major depressive disorder", "ketamine BDNF",
                                "electroconvulsive therapy"]
    assert methods["operators"] == ["AND", "OR"]
    assert methods["inclusion"] == ["primary research", "meta-analyses", "review papers"]
    assert "non-English publications" in methods["exclusion"]
    assert "abstracts without full text available" in methods["exclusion"]
    assert methods["bias_assessment"].startswith("Given the narrative nature of this review, no formal risk of bias")
    quoted(review, "PubMed and Google Scholar published between 2005 and 2024",
           "The search was performed on January 13, 2025", "no formal risk of bias assessment was performed")

    search_run = events(run)["January 13, 2025"]
    assert search_run["year"] == 2025 and search_run["section"] == "Methods" and search_run["refs"] == []

    table = ok(run("about", env=WIDE)).out
    assert "PubMed, Google Scholar, 2005–2024, run 2025-01-13" in row(table, "literature search")


# --- Depression ---------------------------------------------------------------------

def test_depression_overview(run, review):
    section = "Depression: overview"
    fact(run, review, "300 million", "over 300 million people worldwide suffer from depression", [2, 5], section,
         verbatim=False)
    quoted(review, "over 300 million people worldwide suffer from depression [2, 5]")
    fact(run, review, "genetics", "genetics is responsible for between 30% and 40% of the risk of developing depression",
         [2], section)
    fact(run, review, "60% 70%", "The remaining 60% to 70% of the risk of developing depression is attributed to "
         "environmental factors, such as stress, trauma, and gene-environment interactions", [2], section)
    fact(run, review, "DSM-5", "persistent depressive disorder, disruptive mood dysregulation disorder, and "
         "premenstrual dysphoric disorder", [2], section)
    fact(run, review, "disability", "leading cause of disability worldwide", [2], section)

    table = ok(run("search", "300 million", env=WIDE)).out
    assert "[2,5]" in row(table, "over 300 million people worldwide suffer from depression")


def test_depression_neurobiology(run, review):
    section = "Depression: neurobiology"
    doc, claims = entity_claims(run, "lateral habenula")
    assert doc["kind"] == "entity" and doc["entity"]["name"] == "Lateral habenula"
    for phrase, refs in [
        ("modulates reward and affective states", [1, 7]),
        ("gateway between the limbic forebrain and the monoaminergic brainstem nuclei", [8]),
        ("suppresses the activity of the dopaminergic ventral tegmental area and the serotonergic raphe nuclei",
         [8, 9]),
        ("is associated with reduced monoaminergic activity", [1, 8]),
    ]:
        c = claim_with(claims, phrase)
        assert (c["refs"], c["section"]) == (refs, section), phrase
        quoted(review, phrase)

    _, trkb = entity_claims(run, "trkb")
    c = claim_with(trkb, "the receptor for BDNF, and allosterically potentiating BDNF binding")
    assert c["refs"] == [9] and c["section"] == section
    quoted(review, "essentially all antidepressant drugs induce neuroplasticity")

    _, bdnf = entity_claims(run, "bdnf")
    c = claim_with(bdnf, "hippocampal atrophy")
    assert c["refs"] == [2] and c["section"] == section
    c = claim_with(bdnf, "prefrontal cortex (PFC) and hippocampus")
    assert c["refs"] == [2]

    # The three observations behind the monoamine hypothesis.
    fact(run, review, "iproniazid", "tuberculosis patients", [2], section, verbatim=False)
    fact(run, review, "imipramine antipsychotic", "originally developed as a potential antipsychotic", [2, 6], section)
    fact(run, review, "reserpine", "exacerbate depressive symptoms and cause drowsiness", [2], section)


def test_depression_treatments(run, review):
    section = "Depression: treatments"
    fact(run, review, "bupropion", "and bupropion, a norepinephrine and dopamine reuptake inhibitor", [3], section)
    fact(run, review, "first-generation", "which inhibit the metabolism of synaptic monoamines, and TCAs, which "
         "inhibit the reuptake of both serotonin and norepinephrine", [2], section)

    listed = {t["id"]: t for t in ok(run("treatment", "--json")).json()["treatments"]}
    assert {"maois", "snris", "bupropion", "ssris", "tcas", "ect", "ketamine"} <= set(listed)
    snri = attribute(treatment(run, "snris"), "generation", "second-generation")
    assert snri["refs"] == [3] and snri["section"] == section
    maoi = attribute(treatment(run, "maois"), "target", "inhibit the metabolism of synaptic monoamines")
    assert maoi["refs"] == [2] and maoi["section"] == section
    assert treatment(run, "maois")["treatment"]["full_name"] == "monoamine oxidase inhibitors"


def test_tcas(run, review):
    section = "TCAs"
    imipramine = events(run)["in 1959"]
    assert imipramine["year"] == 1959 and imipramine["refs"] == [5, 6] and imipramine["section"] == section
    assert "next 30 years" in imipramine["label"] and "imipramine" in imipramine["treatments"]
    quoted(review, "The FDA approved imipramine, a TCA, in 1959", "for the next 30 years [5,6]")

    effects = side_effects(run, "tcas")
    for name in ("dry eyes and mouth", "urinary retention", "memory impairments", "dizziness", "confusion"):
        e = effect(effects, name)
        assert e["refs"] == [6, 10] and e["section"] == section, name
    quoted(review, "dry eyes and mouth, urinary retention, memory impairments, dizziness, and confusion [6,10]")

    fact(run, review, "therapeutic index",
         "narrow therapeutic index, meaning even moderate overdoses may result in fatal cardiac arrhythmias", [6], section)
    fact(run, review, "titration", "dose titration at the start of TCA treatment is essential", [3], section)
    fact(run, review, "food drug interactions", "potentially dangerous food and drug interactions", [5, 6], section)

    table = ok(run("timeline", env=WIDE)).out
    assert "[5,6]" in row(table, "1959", "imipramine")


def test_ssris(run, review):
    section = "SSRIs"
    eighties = events(run)["in the 1980s"]
    assert eighties["year"] == 1980 and eighties["refs"] == [3] and eighties["section"] == section
    quoted(review, "In the 1980s, pharmaceutical companies sought antidepressants")

    fact(run, review, "minimal affinity", "minimal affinity for adrenergic, histaminergic, or muscarinic receptors",
         [6], section)
    # The SSRI mechanism sentence prints no reference.
    fact(run, review, "SERT neurotransmission", "by inhibiting the SERT and thereby increasing synaptic levels of "
         "serotonin, potentiating serotonin neurotransmission", [], section)
    fact(run, review, "safer overdose", "much safer in overdose than TCAs", [1, 3], section)

    role = attribute(treatment(run, "ssri"), "role", "first-line")
    assert role["section"] == "Introduction And Background"


def test_ssris_side_effects(run, review):
    section = "SSRIs: Side Effects"
    fact(run, review, "anorgasmia", "around half of those who take SSRIs will experience some degree of sexual "
         "dysfunction, such as anorgasmia", [3], section)
    fact(run, review, "emotional blunting", "increase in anxiety upon initiation of treatment, which is associated "
         "with exacerbation of suicidal ideation", [3], section)
    fact(run, review, "unpleasant", "sexual dysfunction, insomnia, and nausea", [2], section)

    effects = side_effects(run, "ssris")
    for name, refs in [("insomnia", [2]), ("nausea", [2]), ("emotional blunting", [3])]:
        e = effect(effects, name)
        assert e["refs"] == refs and e["section"] == section, name
    assert effect(effects, "sexual dysfunction (e.g. anorgasmia)")["frequency"].startswith("around half")


def test_ssris_delayed_onset_of_action(run, review):
    section = "SSRIs: Delayed Onset of Action"
    fact(run, review, "weeks to months", "several weeks to months to show clinically relevant effects", [1, 5], section)
    fact(run, review, "suicidality transformative",
         "rapid onset has been considered transformative for the management of acute suicidality", [1, 5], section)
    fact(run, review, "emotional biases", "ameliorate negative emotional biases characteristic of depression",
         [5], section)
    fact(run, review, "hallmark", "SSRIs can be given at therapeutically effective doses immediately upon "
         "initiation of treatment", [5], section)

    onset = attribute(treatment(run, "ssris"), "onset", "several weeks to months")
    assert onset["refs"] == [1, 5] and onset["section"] == section


def test_ssris_limited_efficacy(run, review):
    section = "SSRIs: Limited Efficacy"
    fact(run, review, "not responding",
         "around half of patients prescribed SSRIs not responding adequately to treatment", [5], section)
    fact(run, review, "anhedonic", "quite ineffective at reducing anhedonic symptoms", [5], section)
    fact(run, review, "glutamate synaptic levels", "norepinephrine, dopamine, or glutamate", [5], section)
    assert len([h for h in hits(run, "SSRIs", limit=10_000) if h["section"] == section]) == 3


def test_ect(run, review):
    section = "ECT"
    fact(run, review, "century", "non-pharmacological antidepressant treatment that has been used for nearly a century",
         [3], section)
    fact(run, review, "two or more", "inadequate response to two or more antidepressant medications", [3, 11], section)
    fact(run, review, "electrode", "inducing controlled epileptic seizures by passing current through an electrode "
         "attached to the skull", [3], section)
    fact(run, review, "clinicians concern", "clinicians often express far greater concern", [11, 14], section)

    _, bdnf = entity_claims(run, "bdnf")
    c = claim_with(bdnf, "upregulation of BDNF signaling, although results are mixed")
    assert (c["refs"], c["section"], c["stance"]) == ([12], section, "mixed")
    quoted(review, "upregulation of BDNF signaling, although results are mixed [12]")

    d2_doc, d2 = entity_claims(run, "d2")
    assert d2_doc["entity"]["name"] == "D₂ receptor"
    c = claim_with(d2, "downregulation of 5-HT2A and D₂ receptors")
    assert (c["refs"], c["section"]) == ([13], section)
    quoted(review, "downregulation of 5-HT2A and D₂ receptors [13]")

    profile = treatment(run, "ect")
    assert profile["treatment"]["full_name"] == "electroconvulsive therapy"
    assert attribute(profile, "history", "nearly a century")["refs"] == [3]


def test_ect_search_finds_d2_receptors_typed_with_a_plain_2(run):
    r = run("search", "D2 receptors", "--json")
    assert r.code == 0, r.err
    assert "ect-5ht2a-d2-downregulation" in [h["id"] for h in r.json()["hits"]]


# --- Ketamine -----------------------------------------------------------------------

def test_ketamine_overview(run, review):
    section = "Ketamine: overview"
    dated = events(run)
    expected = {1956: ("Phencyclidine (PCP)", [4]), 1962: ("Ketamine synthesized", [1, 7]),
                1970: ("approved by the FDA for use in anesthesia", [1, 7])}
    for year, (phrase, refs) in expected.items():
        in_year = [e for e in dated.values() if e["year"] == year]
        assert len(in_year) == 1, f"timeline: {len(in_year)} event(s) in {year}"
        (event,) = in_year
        assert phrase in event["label"] and event["refs"] == refs and event["section"] == section, year
    quoted(review, "first synthesized in 1956 [4]", "Ketamine was synthesized in 1962",
           "approved by the FDA for use in anesthesia in 1970 [1,7]")

    esketamine = treatment(run, "esketamine")
    assert esketamine["treatment"]["full_name"] == "(S)-ketamine" and esketamine["treatment"]["parent"] == "ketamine"
    approval = attribute(esketamine, "approval", "nasal spray antidepressant in the United States and several "
                         "European countries")
    assert approval["refs"] == [1, 15] and approval["section"] == section

    fact(run, review, "dissociative anesthetic", "analgesia, floating, and dissociation from their bodies", [4], section)
    fact(run, review, "arylcyclohexylamine", "As a chiral arylcyclohexylamine", [1, 15], section)
    fact(run, review, "salivation", "salivation, hallucinations, prolonged emergence delirium following anesthesia, "
         "and dangerous increases in blood pressure", [1, 7], section)

    table = ok(run("timeline", env=WIDE)).out
    assert "[4]" in row(table, "1956", "Phencyclidine")
    assert "[1,7]" in row(table, "1962", "Ketamine synthesized")
    assert "[1,7]" in row(table, "1970", "FDA")


def test_ketamine_neuropharmacology(run, review):
    section = "Ketamine: neuropharmacology"
    fact(run, review, "dirty", "a \"dirty\" drug, meaning it affects many different receptor types in the brain",
         [4], section)
    fact(run, review, "four theories", "the NMDA receptor theory, the monoamine theory, the opioid receptor theory, "
         "and the anti-inflammatory theory", [4], section)
    fact(run, review, "multifaceted", "with no one mechanism solely responsible", [], section)

    profile = treatment(run, "ketamine")
    target = attribute(profile, "target", "noncompetitive antagonism of N-methyl-D-aspartate receptors (NMDARs)")
    assert target["refs"] == [4] and target["section"] == section
    others = attribute(profile, "target", "GABA, opioid, serotonin, acetylcholine, and dopamine receptors")
    assert others["refs"] == [1, 6] and others["section"] == section
    quoted(review, "noncompetitive antagonism of N-methyl-D-aspartate receptors (NMDARs) [4]",
           "GABA, opioid, serotonin, acetylcholine, and dopamine receptors")
    fact(run, review, "GABAA agonists", "primarily act as GABAA agonists", [4], section)


def test_nmdar_theory(run, review):
    section = "NMDAR Theory"
    doc, claims = mechanism(run, "nmdar")
    assert doc["mechanism"]["status"] == "heavily supported" and doc["mechanism"]["section"] == section
    quoted(review, "The NMDAR theory is heavily supported")
    for phrase, refs in [
        ("presynaptic GABAergic interneurons that ordinarily inhibit glutamate release", [1]),
        ("loss of those effects after administration of AMPAR antagonists", [1, 16]),
        ("both the mTORC1 and ERK pathways are activated", [1, 17]),
        ("relieving suppression of BDNF translation and enhancing neuroplasticity", [1, 4]),
        ("upregulation of the BDNF and mTORC1 signaling pathways is necessary", [1, 4, 17]),
    ]:
        c = claim_with(claims, phrase)
        assert (c["refs"], c["section"], c["stance"]) == (refs, section, "supports"), phrase
    quoted(review, "upregulation of the BDNF and mTORC1 signaling pathways is necessary",
           "relieving suppression of BDNF translation and enhancing neuroplasticity [1,4]")

    steps = {s["id"]: s for s in doc["mechanism"]["pathway"]}
    assert steps["mtorc1-activation"]["refs"] == [1, 17] and steps["erk-activation"]["refs"] == [1, 17]
    assert steps["ampar-activation"]["refs"] == [1, 16]
    assert [r["number"] for r in doc["references"]] == [1, 2, 4, 16, 17]

    table = ok(run("mechanism", "nmdar", "--pathway", env=WIDE)).out
    assert "mTORC1 pathway activated [1,17]" in table and "ERK pathway activated [1,17]" in table


def test_monoamine_theory(run, review):
    section = "Monoamine Theory"
    doc, claims = mechanism(run, "monoamine")
    assert doc["mechanism"]["evidence_basis"] == "preclinical evidence"
    for phrase, refs, stance in [
        ("ketamine inhibits SERT function", [1, 4, 18], "supports"),
        ("AMPAR activation in the dorsal raphe nucleus", [1, 19], "supports"),
        ("one study in mice", [1, 20], "mixed"),  # "remains unclear; however, one study in mice found"
        ("Blocking these dopamine receptors blocked ketamine's antidepressant effects", [20], "supports"),
        ("SSRIs and TCAs also modulate monoaminergic signaling but produce effects much more slowly", [4],
         "mixed"),
    ]:
        c = claim_with(claims, phrase)
        assert (c["refs"], c["section"], c["stance"]) == (refs, section, stance), phrase
    quoted(review, "ketamine inhibits SERT function", "one study in mice", "[1,4,18]", "[1,19]", "[1,20]",
           "also modulate monoaminergic signaling but produce effects much more slowly [4]")

    _, serotonin = entity_claims(run, "serotonin")
    assert claim_with(serotonin, "depletion of serotonin inhibits ketamine's antidepressant effects")["refs"] == [1, 4, 18]
    assert [r["number"] for r in doc["references"]] == [1, 4, 6, 18, 19, 20]


def test_opioid_receptor_theory(run, review):
    section = "Opioid Receptor Theory"
    doc, claims = mechanism(run, "opioid")
    assert doc["mechanism"]["status"].startswith("not as well established as that of the NMDA receptor or monoamine "
                                                 "theories, with many studies coming to conflicting conclusions")
    for phrase, refs, stance in [
        ("primarily μ, κ, and, to a lesser extent, δ", [1], "supports"),
        ("naltrexone, a μ receptor antagonist", [1, 4, 21], "contradicts"),
        ("abolished ketamine's ability to reduce overactivity in the lateral habenula", [1, 4, 22], "supports"),
        ("Morphine, a μ receptor agonist", [1], "mixed"),
        ("at anesthetic doses ketamine interacts with μ and κ receptors but as an antagonist", [4], "contradicts"),
    ]:
        c = claim_with(claims, phrase)
        assert (c["refs"], c["section"], c["stance"]) == (refs, section, stance), phrase
    quoted(review, "primarily μ , κ , and, to a lesser extent, δ", "naltrexone, a μ receptor antagonist [1,4,21]",
           "thereby abolishing its antidepressant effects [1,4,22]")
    assert doc["counts"] == {"claims": 11, "supports": 4, "contradicts": 2, "mixed": 2, "context": 3}

    naltrexone_doc, naltrexone = entity_claims(run, "naltrexone")
    assert naltrexone_doc["kind"] == "entity" and [c["refs"] for c in naltrexone.values()] == [[1, 4, 21]]

    table = ok(run("mechanism", "opioid", env=WIDE)).out
    assert "Claims: 11 — 4 support, 2 contradict, 2 mixed, 3 context" in table
    assert "[1,4,21]" in row(table, "naltrexone")


def test_anti_inflammatory_theory(run, review):
    section = "Anti-inflammatory Theory"
    doc, claims = mechanism(run, "inflammation")
    assert doc["mechanism"]["id"] == "anti-inflammatory"
    assert doc["mechanism"]["status"] == ("less researched than the other mechanisms explored in this paper, "
                                          "but is nevertheless important to mention")
    assert doc["mechanism"]["evidence_basis"] == "clinical evidence"
    quoted(review, doc["mechanism"]["status"])
    c = claim_with(claims, "decreased postoperative delirium after cardiac surgery")
    assert (c["refs"], c["section"], c["evidence"]) == ([4, 23], section, "human")
    c = claim_with(claims, "both systemically and within the nervous system")
    assert (c["refs"], c["section"]) == ([4], section)
    c = claim_with(claims, "reduction in neuroinflammation may contribute")
    assert c["refs"] == []  # "Therefore, it is plausible ..." prints no reference

    trial = fact(run, review, "postoperative delirium", "decreased postoperative delirium after cardiac surgery",
                 [4, 23], section, kind="trial")
    assert trial["id"] == "hudetz2009-postoperative-delirium"
    assert [r["number"] for r in doc["references"]] == [4, 23]


def test_ketamine_drawbacks(run, review):
    hit = fact(run, review, "noteworthy drawbacks",
               "side effects, abuse potential, and transience of the antidepressant effects", [1], "Ketamine: drawbacks")
    assert "rapidly acting antidepressant" in hit["text"]
    # Each drawback has its own section a user reaches through the CLI.
    effects = side_effects(run, "ketamine")
    assert effect(effects, "tolerance and addiction")["section"] == "Ketamine: abuse potential"
    assert effect(effects, "dissociation")["section"] == "Ketamine: side effects"
    transient = fact(run, review, "dissipating week", "often dissipating within a week or two after treatment", [1],
                     "Ketamine: transience of antidepressant effects")
    assert "limiting its clinical utility" in transient["text"]


def test_ketamine_side_effects(run, review):
    section = "Ketamine: side effects"
    effects = side_effects(run, "ketamine")

    bp84 = {e["quantity"]["label"]: e for e in effects.values() if e["study"] == "bp-study-84-participants"}
    assert {label: (e["quantity"]["value"], e["quantity"]["unit"], e["quantity"]["n"], e["refs"])
            for label, e in bp84.items()} == {
        "mean systolic blood pressure increase": (19.6, "mmHg", 84, [25]),
        "mean diastolic blood pressure increase": (13.4, "mmHg", 84, [25]),
        "participants requiring antihypertensive medication": (12.0, "%", 84, [25]),
    }
    quoted(review, "84 participants", "19.6 mmHg systolic and 13.4 mmHg diastolic",
           "12% of participants requiring antihypertensive medication [25]")

    bp66 = effects["ketamine-bp-66"]
    assert (bp66["quantity"]["value"], bp66["quantity"]["unit"], bp66["quantity"]["n"]) == (3.2, "mmHg", 66)
    assert bp66["frequency"] == "clinically insignificant" and bp66["refs"] == [25]

    survey = {e["quantity"]["label"]: e["quantity"]["value"] for e in effects.values()
              if e["study"] == "side-effect-study-188-participants"}
    assert survey == {
        'felt "strange, weird, or bizarre"': 78.0, "felt spacey": 74.0, "felt woozy/loopy": 72.0,
        "experienced dissociation": 62.0, "reported visual distortions": 57.0,
        "felt like they were floating": 55.0, "reported numbness": 53.0,
    }
    assert all(e["quantity"]["n"] == 188 and 24 in e["refs"] and e["section"] == section
               for e in effects.values() if e["study"] == "side-effect-study-188-participants")
    quoted(review, "A study of 188 participants", "78% described feeling \"strange, weird, or bizarre\"",
           "74% felt spacey; 72% felt woozy/loopy; 62% experienced dissociation; 57% reported visual distortions; "
           "55% felt like they were floating; and 53% reported numbness [24]")

    studies = {s["id"]: s for s in ok(run("side-effects", "--json")).json()["studies"]}
    results = {r["label"]: r["value"] for r in studies["bp-study-66-patients"]["results"]}
    details = {r["label"]: r["value"] for r in studies["bp-study-66-patients"]["characteristics"]}
    assert details["ketamine dose (intravenous infusion)"] == 0.5  # how it was given, not an outcome
    assert details["infusion duration"] == 40.0
    assert "infusion duration" not in results
    assert results["time from start of administration until blood pressure increases faded"] == 70.0
    quoted(review, "66 patients and 0.5 mg/kg ketamine intravenous infusions administered over 40 minutes",
           "3.2 mmHg systolic and diastolic [25]", "faded 70 minutes after the beginning of ketamine administration [25]")

    fact(run, review, "case reports", "small but growing number of case reports", [26], section)
    fact(run, review, "intracranial", "increased blood and intracranial pressure", [1, 4, 24], section)

    table = ok(run("side-effects", "ketamine", env=WIDE)).out
    table = table.split("\nStudies\n")[0]  # the table's rows; the studies follow with their numbers
    blocks = [b for b in re.split(r"\n\s*\n", table) if "Ketamine" in b]

    def block(needle):
        (found,) = [b for b in blocks if needle in b]
        return found
    # the rows of one study are one group, its references once beside it, every number kept
    assert block("19.6 mmHg (n = 84)") == block("13.4 mmHg (n = 84)") == block("12% (n = 84)")
    assert "[25]" in block("19.6 mmHg (n = 84)")
    assert "[24]" in block("78% (n = 188)")
    survey = block("78% (n = 188)")
    assert all(f"{v}% (n = 188)" in survey for v in (78, 74, 72, 62, 57, 55, 53))
    assert survey.count("several hours after") == 1  # the shared time course said once


def test_ketamine_abuse_potential(run, review):
    section = "Ketamine: abuse potential"
    fact(run, review, "297", "study of 297 participants who received ketamine for depression found no evidence of "
         "a ketamine-induced withdrawal syndrome", [28], section)
    trial = fact(run, review, "297", "No evidence of a ketamine-induced withdrawal syndrome", [28], section,
                 kind="trial", verbatim=False)
    assert trial["id"] == "daly2019-297-participants"
    fact(run, review, "palpitations", "palpitations, anxiety, shaking, and sweating", [1], section)
    fact(run, review, "snort", "snort ketamine in powdered form", [1], section)
    fact(run, review, "orbitofrontal", "orbitofrontal cortex, medial substantia nigra, ventral tegmental area (VTA), "
         "and nucleus accumbens (NAcc)", [27], section)
    fact(run, review, "amygdala insula", "such as the amygdala and insula, in response to negative stimuli", [27],
         section)


def test_ketamine_transience(run, review):
    section = "Ketamine: transience of antidepressant effects"
    fact(run, review, "twice-weekly", "twice-weekly infusions were just as effective as thrice-weekly infusions",
         [30], section)
    fact(run, review, "marginally prolong", "marginally prolong its antidepressant effects, even after treatment is "
         "stopped", [29], section)
    fact(run, review, "maintenance", "The optimal frequency of ketamine infusions remains unclear", [], section)
    trial = fact(run, review, "thrice-weekly", "Twice- vs thrice-weekly IV ketamine (Singh 2016)", [30], section,
                 kind="trial", verbatim=False)
    assert trial["id"] == "singh2016-dose-frequency"


# --- Comparison ---------------------------------------------------------------------

def test_comparison_response_rates(run, review):
    section = "Comparison: Response Rates"
    doc, _ = compare_cells(run, "ketamine", "ect")
    (anand,) = [t for t in doc["trials"] if t["refs"] == [11]]
    assert anand["section"] == section and anand["head_to_head"] is True
    assert anand["outcome_measure"] == "Quick Inventory of Depressive Symptomatology-Self-Report 16"
    by_arm = {r["arm"]: r for r in anand["results"]}
    assert (by_arm["ketamine"]["value"], by_arm["ketamine"]["unit"]) == (55.4, "%")
    assert (by_arm["ECT"]["value"], by_arm["ECT"]["unit"]) == (41.2, "%")
    diff = by_arm[None]
    assert (diff["value"], diff["unit"], diff["ci_low"], diff["ci_high"], diff["ci_level"], diff["p"]) == (
        14.2, "percentage points", 3.9, 24.2, 95.0, "< 0.001")
    quoted(review, "55.4% of patients receiving ketamine versus 41.2% receiving ECT",
           "difference, 14.2 percentage points; 95% confidence interval, 3.9 to 24.2")
    (ketect,) = [t for t in doc["trials"] if t["refs"] == [3]]
    assert "including those with psychotic symptoms" in ketect["population"]
    assert "inferior to ECT" in ketect["finding"]

    fact(run, review, "under 50%", "SSRIs and TCAs often show response rates of under 50%", [1, 5, 15], section)
    fact(run, review, "50-70% efficacy", "50-70% efficacy rates for ketamine", [1, 5, 15], section)
    fact(run, review, "nearly 80 years", "most effective antidepressant treatment for nearly 80 years", [], section)

    table = ok(run("compare", "ketamine", "ect", env=WIDE)).out
    assert "55.4%" in row(table, "(ketamine)") and "41.2%" in row(table, "(ECT)")
    assert "14.2 percentage points (95% CI 3.9 to 24.2; p < 0.001)" in table


def test_comparison_speed_of_onset(run, review):
    section = "Comparison: Speed of Onset"
    fact(run, review, "within hours", "within hours that increase over the following days", [1, 3, 15], section)
    fact(run, review, "multiple sessions", "requires multiple sessions before clinically significant antidepressant "
         "effects are achieved", [3], section)
    fact(run, review, "speed of onset suicidality", "especially important in cases of suicidality", [], section)
    _, cells = compare_cells(run)
    assert [cells[(t, "onset")]["text"] for t in ("ketamine", "ssris", "tcas", "ect")] == [
        "Hours", "Several weeks", "Several weeks", "After several treatment sessions"]
    assert cells[("ketamine", "onset")]["refs"] == [1, 3, 15]


def test_comparison_duration_of_effects(run, review):
    section = "Comparison: Duration of Effects"
    fact(run, review, "40 randomized", "meta-analysis of 40 randomized controlled trials", [31], section)
    trial = fact(run, review, "six months relapse", "meta-analysis of 40 RCTs (Kato 2021)", [31], section, kind="trial",
                 verbatim=False)
    assert "six months after remission" in trial["text"]
    fact(run, review, "final dose", "typically dissipate within a week or two after the final dose", [1], section)
    fact(run, review, "shortest duration", "ketamine and ECT exhibit the shortest duration of efficacy", [4, 11],
         section)
    fact(run, review, "similar times to relapse", "similar times to relapse", [], section)
    _, cells = compare_cells(run)
    assert [cells[(t, "duration")]["text"] for t in ("ketamine", "ssris", "tcas", "ect")] == [
        "Days to weeks", "Months", "Months", "Similar to ketamine"]
    assert cells[("ssris", "duration")]["refs"] == [31]


def test_comparison_side_effects(run, review):
    section = "Comparison: Side Effects"
    fact(run, review, "orthostatic", "cardiac toxicity, orthostatic hypotension, cognitive deficits, and cholinergic "
         "side effects", [3], section)
    fact(run, review, "few hours", "these side effects typically fade within a few hours after treatment", [24],
         section, verbatim=False)
    quoted(review, "these side effects typically fade within a few hours after treatment [24]")
    fact(run, review, "headaches cognitive", "headaches and cognitive side effects are highly prevalent", [3], section)
    fact(run, review, "well tolerated", "well tolerated relative to other treatments, especially TCAs", [], section)

    tcas = side_effects(run, "tcas")
    for name in ("cardiac toxicity", "orthostatic hypotension", "cognitive deficits", "cholinergic side effects"):
        e = effect(tcas, name)
        assert (e["refs"], e["section"]) == ([3], section), name
    assert effect(side_effects(run, "ect"), "headaches")["section"] == section


def test_comparison_accessibility(run, review):
    section = "Comparison: Accessibility"
    fact(run, review, "10,000", "ECT typically costs upwards of $1000 per session and $10,000 per year", [34], section)
    quoted(review, "ECT typically costs upwards of \\$1000 per session and \\$10,000 per year [34]")
    fact(run, review, "intranasal expensive", "upwards of $1000 per session, while the intranasal formulation is even "
         "more expensive", [34], section)
    fact(run, review, "few hundred dollars", "a few hundred dollars per year", [5, 32], section)
    fact(run, review, "healthcare professional", "without the aid of a healthcare professional", [1, 33], section)
    fact(run, review, "general anesthesia", "need for general anesthesia and a facility to perform the procedure",
         [11], section)
    cost = attribute(treatment(run, "ect"), "cost", "$10,000 per year")
    assert cost["refs"] == [34] and cost["section"] == section


def test_table_1(run, review):
    doc, cells = compare_cells(run)
    assert [t["id"] for t in doc["treatments"]] == ["ketamine", "ssris", "tcas", "ect"]  # Table 1's row order
    table_1 = {
        "ketamine": ("Hours", "50%–70%", "Days to weeks", "Transient dissociation and hypertension",
                     "Upwards of $1000 per treatment for IV"),
        "ssris": ("Several weeks", "40%–50%", "Months", "Sexual dysfunction, weight gain, insomnia, nausea",
                  "Widespread and affordable"),
        "tcas": ("Several weeks", "40%–50%", "Months",
                 "Antimuscarinic side effects, cardiotoxicity, plus typical SSRI side effects",
                 "Widespread (but prescribed less today) and affordable"),
        "ect": ("After several treatment sessions", "50%–70%", "Similar to ketamine",
                "Potentially permanent cognitive side effects", "Upwards of $1000 per session"),
    }
    dimensions = ("onset", "response_rate", "duration", "tolerability", "accessibility")
    assert len(cells) == 20
    for tid, texts in table_1.items():
        assert tuple(cells[(tid, d)]["text"] for d in dimensions) == texts, tid
        assert all(cells[(tid, d)]["source"] == "Table 1" for d in dimensions)
        quoted(review, " ".join(texts))  # each row of Table 1 as printed (tab-separated in the text)
    assert cells[("ketamine", "response_rate")]["value"] == {"low": 50.0, "high": 70.0, "unit": "%", "bound": "range"}
    assert cells[("ssris", "response_rate")]["value"] == {"low": 40.0, "high": 50.0, "unit": "%", "bound": "range"}
    quoted(review, "TABLE 1: Comparison of ketamine, SSRIs, TCAs, and ECT in the treatment of major depressive disorder")

    weight_gain = effect(side_effects(run, "ssris"), "weight gain")  # only Table 1 names it
    assert weight_gain["section"] == "Table 1" and weight_gain["refs"] == []

    table = ok(run("compare", env=WIDE)).out
    assert "Comparison (the review's Table 1)" in table
    accessibility = row(table, "  Accessibility ")
    assert "Upwards of $1000 per treatment for IV [34]" in accessibility
    assert "Widespread (but prescribed less today) and affordable [5,32]" in accessibility
    assert "50%–70% [1,5,15]" in row(table, "  Response rate ")


def test_limitations(run, review):
    limitations = about(run)["review"]["limitations"]
    assert len(limitations) == 5
    assert "introduces potential selection and publication bias" in limitations[0]
    assert limitations[1].startswith("No meta-analysis was performed")
    assert "heterogeneous and evolving, making systematic methodologies impractical" in limitations[3]
    quoted(review, "introduces potential selection and publication bias", "No meta-analysis was performed",
           "heterogeneous and evolving, making systematic methodologies impractical")

    fact(run, review, "narrative heterogeneous", "heterogeneous and evolving, making systematic methodologies "
         "impractical", [], "Limitations")
    fact(run, review, "selection bias", "potential selection and publication bias", [], "Limitations")
    fact(run, review, "appropriate caution", "interpreted with appropriate caution", [], "Limitations")

    table = ok(run("about", env=WIDE)).out
    assert len([line for line in table.splitlines() if line.startswith("limitation ")]) == 5


def test_conclusions(run, review):
    section = "Conclusions"
    fact(run, review, "major breakthrough", "offering a rapid onset of action, high response rates, and a novel "
         "mechanism of action", [], section)
    fact(run, review, "fewer permanent cognitive", "similar efficacy in non-psychotic depression compared to ECT with "
         "fewer permanent cognitive side effects", [], section)
    fact(run, review, "TRD suicidality", "ketamine should be considered in patients with TRD, particularly those with "
         "suicidality", [], section)
    fact(run, review, "long-term safety subtypes", "optimal use across different depression subtypes", [], section)
    assert len([h for h in hits(run, "ketamine", limit=10_000) if h["section"] == section]) == 5


def test_search_puts_the_sentence_with_the_phrase_first(run):
    hits = run("search", "two", "or", "more", "antidepressant", "--json").json()["hits"]
    assert hits[0]["kind"] == "claim" and hits[0]["refs"] == [3, 11]
    assert "two or more antidepressant medications" in hits[0]["text"]


def test_a_profile_counts_its_claims_and_lists_them_on_request(run):
    short = run("treatment", "ketamine", env={"COLUMNS": "120"}).out
    full = run("treatment", "ketamine", "--claims", env={"COLUMNS": "120"}).out
    count = len(run("treatment", "ketamine", "--json").json()["claims"])
    assert f"{count} claims of the review are about Ketamine" in " ".join(short.split())
    assert "What the review says about it" in full and "What the review says about it" not in short
