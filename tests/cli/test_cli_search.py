"""`ketcli search`: questions in plain words find the records that answer them."""

import pytest

from ketcli.query.search import parse, words


def ids(doc):
    return [h["id"] for h in doc["hits"]]


def test_a_question_in_plain_words_ranks_by_the_words_that_match(run):
    r = run("search", "how", "fast", "does", "ketamine", "work", "compared", "with", "SSRIs", "--json")
    assert r.code == 0, r.err
    doc = r.json()
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


def test_any_word_counts_and_or_is_no_term(run):
    """Before: "addiction or bladder" printed one abstract sentence (every word required)."""
    doc = run("search", "addiction", "or", "bladder", "--json").json()
    assert "or" in doc["ignored"] and doc["words"] == ["addiction", "bladder"]
    assert ids(doc)[0] == "abstract-further-research"  # holds both words: first
    first = ids(doc)[:10]
    assert "ketamine-tolerance-addiction" in first  # addiction alone
    assert any(i.startswith("ketamine-urinary") for i in first)  # the bladder's urinary tract claims
    assert doc["matched_all"] is True


@pytest.mark.parametrize("question, answers", [
    ("how quickly does ketamine start working", {"onset-ketamine-hours", "abstract-faster-onset", "ketamine.onset",
                                                 "onset-ketamine-superior"}),
    ("memory problems after ECT", {"intro-ect-cognitive-limits", "ect-cognitive-debate", "ect.tolerability",
                                   "ect-cognitive-transient-vs-concern", "cmp-ect-side-effects", "ect-cognitive"}),
    ("who should get ketamine?", {"conclusion-trd-suicidality"}),
    ("is ketamine addictive for patients", {"ketamine-tolerance-addiction", "ketamine-abuse-concern"}),
])
def test_the_issues_questions_find_their_answer_in_the_top_three(run, question, answers):
    """Before: the onset claim ranked 142 of 206, ECT's cognitive claims 12th, the Conclusions'
    TRD answer never, and 'is ketamine addictive for patients' printed one study."""
    doc = run("search", *question.split(), "--json").json()
    assert answers & set(ids(doc)[:3]), ids(doc)[:5]
    assert doc["total"] > 3


def test_the_lay_vocabulary_is_said_and_labelled_and_exact_turns_it_off(run):
    r = run("search", "how", "quickly", "does", "ketamine", "start", "working", "--limit", "3")
    assert r.code == 0 and r.err == ""
    assert "also searched: onset — for 'how quickly', 'start working'" in " ".join(r.out.split())
    assert "ketcli's lay vocabulary, not the review's words" in " ".join(r.out.split())
    doc = run("search", "how", "quickly", "does", "ketamine", "start", "working", "--json").json()
    assert {"for": "start working", "terms": ["onset"], "by": "vocabulary"} in doc["also_searched"] and doc["exact"] is False
    assert all("also_searched" not in h for h in doc["hits"])  # outside the hits
    exact = run("search", "how", "quickly", "does", "ketamine", "start", "working", "--exact", "--json").json()
    assert exact["also_searched"] == [] and exact["exact"] is True
    assert "onset-ketamine-hours" not in ids(exact)[:3]
    plain = run("search", "shock", "therapy", "--exact").out
    assert "also searched" not in plain


def test_trd_and_treatment_resistant_depression_find_each_other(run):
    trd = run("search", "treatment-resistant", "depression", "--limit", "100", "--json").json()
    assert "conclusion-trd-suicidality" in ids(trd)[:5]  # says "TRD" only
    assert {"for": "treatment-resistant depression", "terms": ["TRD", "treatment-resistant"], "by": "vocabulary"} in trd["also_searched"]
    back = run("search", "TRD", "--limit", "100", "--json").json()
    assert "intro-review-scope" in ids(back)  # says "treatment-resistant depression" only


def test_no_kind_fills_the_first_screen(run):
    doc = run("search", "ketamine", "side", "effects", "--limit", "10", "--json").json()
    kinds = [h["kind"] for h in doc["hits"]]
    assert kinds.count("side effect") <= 3 and kinds.count("claim") >= 5, kinds
    assert doc["total"] > 10  # the side-effect rows are still found, after the first screen


def test_answers_come_before_the_details_on_the_terminal(run):
    out = run("search", "nausea", "--limit", "8").out
    assert "Answers" in out and "Also found" in out
    assert out.index("Answers") < out.index("Also found")


def test_topic_alone_is_titled_by_its_topic(run):
    out = run("search", "--topic", "dosing").out
    assert "claim(s) on topic 'dosing'" in out and "match(es) for ''" not in out


def test_json_with_no_hit_is_still_a_document(run):
    r = run("search", "xyzzyq", "--json")
    assert r.code == 1
    doc = r.json()
    assert doc["hits"] == [] and doc["total"] == 0 and doc["command"] == "search"
    assert "nothing in the review matches 'xyzzyq'" in r.err and len(r.err.strip().splitlines()) == 1
    assert run("search", "xyzzyq").out == ""  # the table view prints nothing


@pytest.mark.parametrize("query, message", [
    (["how", "is", "it", "or", "and"], "holds only common words"),
    (["depression"] * 10_000, "the question has 10,000 words"),
    (["x" * 100_000], "characters"),
])
def test_a_question_that_cannot_be_searched_is_a_usage_error(run, query, message):
    r = run("search", *query, "--json")
    assert r.code == 2 and r.out == ""
    assert message in r.err and len(r.err.strip().splitlines()) == 1


def test_nothing_found_gives_a_hint(run):
    r = run("search", "xyzzyq")
    assert r.code == 1
    assert "nothing in the review matches 'xyzzyq'" in r.err and "try" in r.err
    r = run("search", "naltrexome", "--exact")
    assert r.code == 1 and "did you mean naltrexone?" in r.err


def test_a_misspelt_word_is_searched_as_the_review_spells_it_and_says_so(run):
    doc = run("search", "naltrexome", "--json").json()
    assert {"for": "naltrexome", "terms": ["naltrexone"], "by": "spelling"} in doc["also_searched"]
    assert ids(doc)[0] in {"opioid-naltrexone-no-attenuation", "zhang2019-naltrexone"}
    r = run("search", "antidepresants take so long")
    assert r.code == 0 and "antidepressants — for 'antidepresants'" in r.out
    # a real word is not respelt into a nearby one of the review ("worse" is not "words")
    doc = run("search", "anxiety got worse", "--json").json()
    assert all(a["for"] != "worse" for a in doc["also_searched"])


def test_a_long_worried_question_is_searched(run):
    """A relative writes 60–80 words; up to 120 are searched, beyond that one line and exit 2."""
    question = ("My 19 year old son has been on sertraline for two months and then citalopram and neither "
                "helped, and now the psychiatrist is talking about ketamine infusions at a private clinic. I am "
                "scared it is a party drug, that he will get hooked, that it will damage his bladder or his "
                "memory, and I want to know how fast it works, how long it lasts and whether it is better than "
                "ECT which they also mentioned. What does the evidence say?")
    assert len(question.split()) == 82
    r = run("search", question, "--json")
    assert r.code == 0 and r.json()["hits"]
    r = run("search", " ".join(["ketamine"] * 121))
    assert r.code == 2 and "ask in at most 120" in r.err


def test_also_searched_says_what_added_each_word(run):
    """The lay vocabulary is ketcli's curation; the dataset's names are the review's own; a
    misspelling is ketcli's reading: the terminal line and --json say which, never all alike."""
    doc = run("search", "bladder", "electroconvulsive", "therapy", "naltrexome", "--json").json()
    by = {a["for"]: a["by"] for a in doc["also_searched"]}
    assert by == {"bladder": "vocabulary", "electroconvulsive therapy": "names", "naltrexome": "spelling"}
    out = " ".join(run("search", "bladder", "electroconvulsive", "therapy", "naltrexome", env={"COLUMNS": "300"}).out.split())
    assert "urinary — for 'bladder' (ketcli's lay vocabulary, not the review's words)" in out
    assert "ECT — for 'electroconvulsive therapy' (the review's names for one thing)" in out
    assert "naltrexone — for 'naltrexome' (read as a misspelling)" in out


def test_an_expansion_to_words_already_typed_is_not_shown(run):
    doc = run("search", "side", "effects", "of", "ECT", "electroconvulsive", "therapy", "--json").json()
    assert doc["also_searched"] == []


def test_section_titles_are_searched_but_weigh_less_than_the_text(run):
    doc = run("search", "onset", "--limit", "100", "--json").json()
    assert "onset-ketamine-hours" in ids(doc)  # "within hours", under "Comparison: Speed of Onset"
    hours = ids(doc).index("onset-ketamine-hours")
    faster = ids(doc).index("abstract-faster-onset")  # "onset" in its own text
    assert faster < hours


def test_word_forms_share_a_stem(run):
    addictive = set(ids(run("search", "addictive", "--exact", "--limit", "100", "--json").json()))
    addiction = set(ids(run("search", "addiction", "--exact", "--limit", "100", "--json").json()))
    assert addictive == addiction and len(addiction) >= 6


def test_a_word_the_text_lacks_meets_its_forms_without_the_stemmer(run):
    addicting = set(ids(run("search", "addicting", "--exact", "--limit", "100", "--json").json()))
    addiction = set(ids(run("search", "addiction", "--exact", "--limit", "100", "--json").json()))
    assert addicting == addiction


def test_a_words_start_still_matches(run):
    assert run("search", "dissociat", "--json").json()["total"] >= 3


def test_greek_letters_fold_both_ways_and_short_words_match_whole_words(run):
    mu = run("search", "mu", "receptor", "--limit", "100", "--json").json()
    greek = run("search", "μ", "receptor", "--limit", "100", "--json").json()
    assert ids(mu) == ids(greek) and "opioid-morphine-not-sufficient" in ids(mu)
    alone = run("search", "mu", "--limit", "100", "--json").json()
    assert alone["hits"] and not any("muscarinic" in h["text"].lower() for h in alone["hits"])
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


def test_cite_search_cites_the_records_holding_the_whole_question(run):
    """A search ranks records matching any word; `cite --search` cites only those holding the most
    of the question, not every record that says "ketamine"."""
    search = run("search", "ketamine", "naltrexone", "--limit", "500", "--json").json()
    assert search["total"] > 100  # any word: every ketamine record is a hit
    cited = run("cite", "--search", "ketamine naltrexone", "--json").json()
    assert [r["number"] for r in cited["references"]] == [1, 4, 21]


def test_a_word_no_record_holds_is_said_so_beside_the_hits(run):
    """The review says nothing of pregnancy: the hits match the other words, and the answer says
    which word found nothing, on the terminal and in --json."""
    r = run("search", "is it safe to take ketamine while pregnant", "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["words_not_found"] == ["pregnant"]
    assert doc["hits"]
    shown = run("search", "is it safe to take ketamine while pregnant")
    assert "no record of the review holds 'pregnant' (the hits match the question's other words)" in \
        " ".join(shown.out.split())


def test_a_lay_word_the_vocabulary_searches_for_is_not_reported_missing(run):
    found = run("search", "ketamine peeing", "--json").json()
    assert found["words_not_found"] == []
    assert any(a["for"] == "peeing" for a in found["also_searched"])
    exact = run("search", "ketamine peeing", "--exact", "--json").json()
    assert exact["words_not_found"] == ["peeing"]
    assert "no record of the review holds" not in run("search", "ketamine peeing").out


def test_the_api_reports_the_same_words_not_found():
    import ketcli

    assert ketcli.open().search("ketamine while pregnant")["words_not_found"] == ["pregnant"]
