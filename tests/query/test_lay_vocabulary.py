"""The lay vocabulary (data/vocabulary.toml): ketcli's curation, checked by `validate`, shipped,
extended by an own dataset, and never the cause of a traceback."""

import tomllib

import pytest

from ketcli.data import lay_vocabulary
from ketcli.data.dataset import load
from ketcli.query.search import Searcher, build_index, words
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BROKEN = """schema_version = 1

[[entries]]
phrases = []
terms = ["onset"]

[[entries]]
phrases = ["kick in"]
terms = ["onset"]
colour = "blue"
"""


@pytest.fixture
def broken(tmp_path, monkeypatch):
    path = tmp_path / "vocabulary.toml"
    path.write_text(BROKEN, "utf-8")
    monkeypatch.setattr(lay_vocabulary, "vocabulary_path", lambda: path)
    return path


def test_every_term_is_a_word_or_phrase_the_review_uses():
    """A term the dataset never uses expands nothing: a curation typo ('urinay')."""
    data = load(None, use_cache=False)
    searcher = Searcher(build_index(data))
    entries = tomllib.loads((ROOT / "data" / "vocabulary.toml").read_text("utf-8"))["entries"]
    unused = [t for e in entries for t in e["terms"] if not searcher.frequencies(tuple(words(t)))]
    assert unused == []


def test_validate_lists_each_problem_of_a_broken_vocabulary(run, broken):
    r = run("validate")
    assert r.code == 3
    lines = [line for line in r.out.splitlines() if str(broken) in line]
    assert len(lines) == 2, r.out
    assert "entries[0].phrases" in lines[0] and "entries[1].colour" in lines[1]


def test_a_search_with_a_broken_vocabulary_exits_3_with_one_line(run, broken):
    r = run("search", "how", "fast", "--json")
    assert r.code == 3 and r.out == ""
    assert len(r.err.strip().splitlines()) == 1
    assert str(broken) in r.err and "vocabulary" in r.err and "ketcli validate" in r.err
    assert run("compare", "ketamine", "ect", "--json").code == 0  # only search reads it


def test_a_missing_vocabulary_is_a_dataset_error_not_a_traceback(run, tmp_path, monkeypatch):
    monkeypatch.setattr(lay_vocabulary, "vocabulary_path", lambda: tmp_path / "gone.toml")
    r = run("search", "ketamine")
    assert r.code == 3 and "gone.toml: no such vocabulary file" in r.err and "Traceback" not in r.err


def test_an_own_dataset_adds_entries(run, tmp_path):
    own = tmp_path / "mine.toml"
    own.write_text('schema_version = 1\ndataset_version = "1"\nextends = "bundled"\n\n'
                   '[[vocabulary]]\nphrases = ["glorped out"]\nterms = ["dissociation"]\n', "utf-8")
    doc = run("--data", str(own), "search", "feeling", "glorped", "out", "--json").json()
    assert {"for": "glorped out", "terms": ["dissociation"], "by": "vocabulary"} in doc["also_searched"]
    assert any("dissociation" in h["text"].lower() for h in doc["hits"][:3])
    assert run("search", "feeling", "glorped", "out", "--json").json()["also_searched"] == []  # the bundled one: not
    assert run("validate", str(own)).code == 0


def test_an_own_datasets_broken_entry_is_listed_by_validate(run, tmp_path):
    own = tmp_path / "mine.toml"
    own.write_text('schema_version = 1\ndataset_version = "1"\nextends = "bundled"\n\n'
                   '[[vocabulary]]\nphrases = ["--"]\nterms = ["dissociation"]\n', "utf-8")
    r = run("validate", str(own))
    assert r.code == 3 and "vocabulary[0]" in r.out and "holds no word" in r.out
    s = run("--data", str(own), "search", "ketamine")
    assert s.code == 3 and "vocabulary[0]" in s.err and s.out == ""


def test_no_phrase_is_a_single_common_word():
    """A one-word phrase that is a common word ('im', as in "I'm worried") would fire on any question."""
    from ketcli.query.question import STOP_WORDS, clean

    entries = tomllib.loads((ROOT / "data" / "vocabulary.toml").read_text("utf-8"))["entries"]
    single = [p for e in entries for p in e["phrases"] if len(words(clean(p))) == 1 and words(clean(p))[0] in STOP_WORDS]
    assert single == []
