"""`ketcli search`: questions in plain words find the records that answer them."""

import pytest

from ketcli.query.search import parse, words


def ids(doc):
    return [h["id"] for h in doc["hits"]]


def test_a_question_in_plain_words_ranks_by_the_words_that_match(run):
    r = run("search", "how", "fast", "does", "ketamine", "work", "compared", "with", "SSRIs", "--json")
    assert r.code == 0, r.err
    assert "no record has all words; showing those with most" in r.err
    doc = r.json()
    assert doc["matched_all"] is False
    assert {"how", "does", "with"} <= set(doc["ignored"])
    assert "how" not in doc["words"] and "ketamine" in doc["words"]
    assert "abstract-faster-onset" in ids(doc)[:3]


@pytest.mark.parametrize("query, expected", [
    (["bladder", "problems"], "abstract-further-research"),
    (["addiction", "or", "bladder"], "abstract-further-research"),
    (["maintenance", "dosing"], None),
])
def test_queries_that_once_found_nothing_now_answer(run, query, expected):
    r = run("search", *query, "--json")
    assert r.code == 0, r.err
    if expected:
        assert expected in ids(r.json())


def test_every_word_matching_keeps_the_old_strict_answer_and_says_nothing(run):
    r = run("search", "addiction", "bladder", "--json")
    assert r.code == 0 and r.err == ""
    doc = r.json()
    assert doc["matched_all"] is True and ids(doc) == ["abstract-further-research"]


def test_nothing_found_gives_a_hint(run):
    r = run("search", "xyzzyq")
    assert r.code == 1
    assert "nothing in the review matches 'xyzzyq'" in r.err and "try" in r.err
    r = run("search", "naltrexome")
    assert r.code == 1 and "did you mean naltrexone?" in r.err


def test_section_titles_are_searched_but_weigh_less_than_the_text(run):
    doc = run("search", "onset", "--limit", "100", "--json").json()
    assert "onset-ketamine-hours" in ids(doc)  # "within hours", under "Comparison: Speed of Onset"
    hours = ids(doc).index("onset-ketamine-hours")
    faster = ids(doc).index("abstract-faster-onset")  # "onset" in its own text
    assert faster < hours


def test_word_forms_share_a_stem(run):
    addictive = set(ids(run("search", "addictive", "--limit", "100", "--json").json()))
    addiction = set(ids(run("search", "addiction", "--limit", "100", "--json").json()))
    assert addictive == addiction and len(addiction) >= 6


def test_a_words_start_still_matches(run):
    assert run("search", "dissociat", "--json").json()["total"] >= 3


def test_greek_letters_fold_both_ways_and_short_words_match_whole_words(run):
    mu = run("search", "mu", "receptor", "--limit", "100", "--json").json()
    greek = run("search", "μ", "receptor", "--limit", "100", "--json").json()
    assert ids(mu) == ids(greek) and "opioid-morphine-not-sufficient" in ids(mu)
    assert not any("muscarinic" in h["text"].lower() for h in mu["hits"])
    assert words("β-endorphin TNF-α") == ["beta", "endorphin", "tnf", "alpha"]


def test_hyphenated_and_parenthesised_terms_are_phrases(run):
    doc = run("search", "(S)-ketamine", "--limit", "500", "--json").json()
    assert doc["total"] < 10, doc["total"]  # not 163: "s" is no prefix of everything
    assert "esketamine-nasal-spray-approved" in ids(doc)
    assert parse("(S)-ketamine") == ([("s", "ketamine")], [])
    assert parse('"blood pressure" of ketamine') == ([("blood", "pressure"), ("ketamine",)], ["of"])


def test_trial_results_and_table_cells_are_searchable_with_their_references(run):
    doc = run("search", "QIDS", "--json").json()
    assert "anand2023-ketamine-vs-ect" in ids(doc)
    cells = run("search", "weight", "gain", "--json").json()
    cell = next(h for h in cells["hits"] if h["kind"] == "table cell")
    assert cell["id"] == "ssris.tolerability" and cell["refs"] != []
    assert set(cell["refs"]) <= {r["number"] for r in cells["references"]}


def test_topic_filters_to_claims_of_that_topic(run):
    doc = run("search", "ketamine", "--topic", "abuse", "--limit", "200", "--json").json()
    assert doc["topic"] == "abuse" and doc["hits"]
    assert {h["kind"] for h in doc["hits"]} == {"claim"}
    alone = run("search", "--topic", "dosing", "--limit", "200", "--json").json()
    assert alone["total"] == len(alone["hits"]) > 0
    bad = run("search", "ketamine", "--topic", "price")
    assert bad.code == 2 and "topics: methods" in bad.err


@pytest.mark.own_cache  # the first search builds the index, the second reads it
def test_the_index_is_cached_and_answers_the_same(run):
    first = run("search", "naltrexone", "--json").json()
    second = run("search", "naltrexone", "--json").json()
    assert first["hits"] == second["hits"]


def test_treatment_claims_take_a_topic(run):
    every = run("treatment", "ketamine", "--claims", "--json").json()["claims"]
    dosing = run("treatment", "ketamine", "--claims", "--topic", "dosing", "--json").json()["claims"]
    assert dosing and {c["topic"] for c in dosing} == {"dosing"}
    assert [c["id"] for c in dosing] == [c["id"] for c in every if c["topic"] == "dosing"]
    lone = run("treatment", "ketamine", "--topic", "dosing")
    assert lone.code == 2 and "add --claims" in lone.err


@pytest.mark.own_cache  # the entry damaged is this test's own
def test_a_damaged_index_entry_is_rebuilt_and_answers_the_same(run, tmp_path):
    first = run("search", "naltrexone", "--json").json()
    [index] = [e for e in (tmp_path / "cache").glob("*.bin") if "+search-" in e.name]
    assert index.stat().st_size > 0
    blob = bytearray(index.read_bytes())
    for at in range(len(blob) // 2, len(blob), 997):  # the postings and display records, not the header
        blob[at] ^= 0xFF
    index.write_bytes(bytes(blob))
    again = run("search", "naltrexone", "--json")
    assert again.code == 0, again.err
    assert again.json()["hits"] == first["hits"]
