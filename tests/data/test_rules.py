"""The dataset's coding rules, each written once (data/treatments.toml's header, docs/researcher.md, "How the dataset encodes the review")
and held here against every record: evidence kinds, stances, quantity bounds, captions, notes."""

import re
import tomllib

import pytest

from ketcli.data import quotes
from ketcli.data.dataset import bundled_path
from ketcli.data.rules import evidence_kind, stance
from ketcli.data.vocab import SECONDARY_DESIGNS, evidence_fallback

# The review's qualifying words before a number, and the bound they give it.
QUALIFIERS = {"over": "at least", "upwards of": "at least", "more than": "at least",
              "under": "at most", "less than": "at most",
              "nearly": "about", "around": "about", "approximately": "about"}


@pytest.fixture(scope="module")
def raw():
    return tomllib.loads(bundled_path().read_text(encoding="utf-8"))


def designs(raw, refs):
    by_number = {r["number"]: r for r in raw["references"]}
    return [by_number[n].get("design") for n in refs]


def test_every_claim_follows_the_evidence_rule(raw):
    """The evidence kind is decided by the review's words (ketcli.data.rules), never by a title."""
    trials = {t["id"]: t for t in raw["trials"]}
    broken = []
    for c in raw["claims"]:
        decided = evidence_kind(c["quote"], c["text"], trials.get(c.get("trial"), {}).get("quote", []),
                                designs(raw, c.get("refs", [])))
        if c.get("evidence", "not stated") != decided:
            broken.append((c["id"], c.get("evidence", "not stated"), decided))
    assert broken == []


def test_every_claim_follows_the_stance_rule(raw):
    broken = [(c["id"], c.get("stance", "context"), stance(c["quote"], c.get("mechanisms", [])))
              for c in raw["claims"]
              if c.get("stance", "context") != stance(c["quote"], c.get("mechanisms", []))]
    assert broken == []


def test_the_named_claims_of_issue_23_are_coded_by_their_words(raw):
    claims = {c["id"]: c for c in raw["claims"]}
    # "one study" names no participants, like the repeated-infusions sentence: not "human" by a title
    for ident in ("ketamine-twice-vs-thrice-weekly", "ketamine-reward-areas-activity", "ketamine-repeated-infusions"):
        assert claims[ident].get("evidence", "not stated") == "not stated", ident
    # claims that only name a proposed mechanism are context, as the SSRI hypothesis is
    for ident in ("neuro-decreased-synthesis", "neuro-mao-overactivity", "neuro-postsynaptic-changes",
                  "neuro-nmda-upregulation-death", "neuro-glutamate-reuptake-gaba-deficit",
                  "neuro-glutamate-plasticity", "ssri-emotional-bias-hypothesis"):
        assert claims[ident].get("stance", "context") == "context", ident
    assert claims["neuro-transporter-efficiency"]["stance"] == "supports"  # "as it leads to": a reason
    assert claims["monoamine-dopamine-mice"]["stance"] == "mixed"  # "remains unclear; however"


def test_the_rules_read_words_not_titles_or_negations():
    assert evidence_kind(["One study found that twice-weekly infusions were just as effective."], "x", [], [None]) == "not stated"
    assert evidence_kind(["No meta-analysis was performed."], "x", [], []) == "not stated"
    assert evidence_kind(["one study in mice found"], "x", [], []) == "animal"
    shared = ["signaling (preclinical evidence), and neuroinflammation (clinical evidence)"]
    assert evidence_kind(shared, "neuroinflammation (clinical evidence)", [], []) == "human"
    assert evidence_kind(shared, "primary effects", [], []) == "not stated"
    assert stance(["One such hypothesis implicates decreased synthesis [2]."], ["m"]) == "context"
    assert stance(["It has also been proposed, as it leads to more rapid removal."], ["m"]) == "supports"
    assert stance(["The role remains unclear; however, one study in mice found"], ["m"]) == "mixed"
    assert stance(["Casting doubt on the hypothesis is an animal study"], ["m"]) == "contradicts"
    assert stance(["Anything at all."], []) == "context"


def test_the_fallback_takes_secondary_literature_only():
    assert evidence_fallback(["review"]) == "review"
    assert evidence_fallback(["systematic review and meta-analysis", "updated systematic review and meta-analysis"]) == "meta-analysis"
    assert evidence_fallback(["randomized, open-label, non-inferiority trial"]) is None  # reference 3
    assert evidence_fallback(["review", None]) is None  # a cited reference with no recorded design
    assert evidence_fallback(["review", "systematic review and meta-analysis"]) is None  # two kinds
    assert evidence_fallback([]) is None
    assert set(SECONDARY_DESIGNS.values()) <= {"review", "meta-analysis"}


def test_every_secondary_design_is_a_design_of_the_reference_list(raw):
    recorded = {r.get("design") for r in raw["references"]}
    assert set(SECONDARY_DESIGNS) <= recorded


def test_parallel_observations_are_coded_alike(raw):
    claims = {c["id"]: c for c in raw["claims"]}
    observations = ("neuro-iproniazid", "neuro-imipramine", "neuro-reserpine")
    assert {claims[i].get("evidence", "not stated") for i in observations} == {"human"}
    assert {claims[i]["stance"] for i in observations} == {"supports"}
    not_sufficient = ("monoamine-not-sufficient", "opioid-morphine-not-sufficient")
    assert {claims[i]["stance"] for i in not_sufficient} == {"mixed"}


def test_quantities_keep_the_review_s_qualifiers_as_bounds(raw):
    wrong = []
    for c in raw["claims"]:
        text = " ".join(c["quote"])
        for q in c.get("quantities", []):
            number = q["value"] if q.get("value") is not None else (q.get("high") if q.get("high") is not None else q.get("low"))
            if number is None:
                continue
            printed = f"{number:g}"
            # "administered over 40 minutes" is a duration, not a bound
            words = re.findall(r"(upwards of|more than|less than|approximately|(?<!administered )over|under|nearly|around) \$?"
                               + re.escape(printed) + r"(?![\d.])", text)
            expected = QUALIFIERS[words[0]] if words else "exact"
            if q.get("bound", "exact") != expected or (words and q.get("qualifier") != words[0]):
                wrong.append((c["id"], q["label"], q.get("bound"), expected))
    assert wrong == []
    bounded = [(c["id"], q["qualifier"]) for c in raw["claims"] for q in c.get("quantities", []) if q.get("bound", "exact") != "exact"]
    assert len(bounded) == 5, bounded


def test_captions_of_table_1_and_both_figures_are_data(raw, source_text):
    source = quotes.Source(source_text)
    captions = {c["label"]: c for c in raw["source"]["captions"]}
    assert set(captions) == {"Table 1", "Figure 1", "Figure 2"}
    for label, c in captions.items():
        assert source.check(c["quote"], c["locator"]) is None, label
        assert c["quote"][0] == f"{label.upper()}: {c['title']}"
        assert c["abbreviations"] in c["quote"]
    assert captions["Figure 1"]["legend"] == captions["Figure 2"]["legend"]
    assert captions["Figure 1"]["credit"] == "This figure was created by the author."
    assert "EFK2: eukaryotic elongation factor-2 kinase" in captions["Figure 2"]["abbreviations"]
    assert "EFK2" not in captions["Figure 1"]["abbreviations"]


def test_every_reference_whose_doi_year_differs_from_its_printed_year_says_so(raw):
    silent = []
    for r in raw["references"]:
        years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", r.get("doi") or ""))
        if years and str(r["year"]) not in years:
            if not any(f'contains "{y}"' in n for n in r.get("notes", []) for y in years):
                silent.append(r["number"])
    assert silent == []


def test_the_introductions_view_of_ect_is_noted_against_the_head_to_head_trial(raw):
    claims = {c["id"]: c for c in raw["claims"]}
    for ident in ("intro-ect-most-effective", "ect-most-effective-trd", "rr-anand-noninferiority"):
        assert any("[11]" in n or "this same trial" in n for n in claims[ident].get("notes", [])), ident
