"""The Python API's arguments (issue 24, item 7): a value of the wrong type, an empty name,
a file name with a NUL or a reference number too long to print is a UsageError (exit code
2), never an AttributeError, TypeError or ValueError from inside ketcli."""

from __future__ import annotations

import pytest

import ketcli

CALLS = {
    "compare(5)": lambda d: d.compare(5),
    "compare(None)": lambda d: d.compare(None),
    'compare("")': lambda d: d.compare(""),
    'compare(b"ketamine")': lambda d: d.compare(b"ketamine"),
    "compare(10**5000)": lambda d: d.compare(10**5000),
    "search(5)": lambda d: d.search(5),
    'search("x", limit="x")': lambda d: d.search("ketamine", limit="x"),
    "mechanism(5)": lambda d: d.mechanism(5),
    "treatment(5)": lambda d: d.treatment(5),
    'treatment("ketamine", topic=5)': lambda d: d.treatment("ketamine", topic=5),
    "side_effects(5)": lambda d: d.side_effects(5),
    "sof(5)": lambda d: d.sof(5),
    "cite(10**5000)": lambda d: d.cite(10**5000),
    "cite(treatment=5)": lambda d: d.cite(treatment=5),
    "cite_text(format=5)": lambda d: d.cite_text(format=5),
    "cite_file(5)": lambda d: d.cite_file(5),
    'cite_file("a\\0b.bib")': lambda d: d.cite_file("a\0b.bib"),
    'open("a\\0b.toml")': lambda d: ketcli.open("a\0b.toml"),
    "open(5)": lambda d: ketcli.open(5),
    'validate("a\\0b")': lambda d: ketcli.validate("a\0b"),
}


@pytest.fixture(scope="module")
def review():
    return ketcli.open()


@pytest.mark.parametrize("call", list(CALLS))
def test_a_wrong_argument_is_a_usage_error(review, call):
    with pytest.raises(ketcli.UsageError) as caught:
        CALLS[call](review)
    assert caught.value.code == 2 and len(caught.value.message) < 200


def test_right_arguments_still_answer(review):
    assert review.compare(["ketamine", "ect"]) == review.compare("ketamine", "ect")
    assert [r["number"] for r in review.cite(11, "1-2")["references"]] == [11, 1, 2]


def test_the_dataset_file_cannot_be_the_citation_file(tmp_path):
    from ketcli.cli.curate import STARTER

    own = tmp_path / "own.toml"
    own.write_text(STARTER)
    with pytest.raises(ketcli.WriteError):
        ketcli.open(own).cite_file(own, 11, format="bibtex")
    assert own.read_text() == STARTER


def test_a_cache_entry_of_the_wrong_shape_is_rebuilt_under_the_api(tmp_path, monkeypatch):
    """Item 6: a raw KeyError reached the caller."""
    import marshal

    from ketcli.data import cache
    from ketcli.data.dataset import load

    monkeypatch.setattr(cache, "RACY_NS", 0)
    want = ketcli.open().compare("ketamine", "ect")
    full = dict(load(use_cache=False).raw)
    for entry in (tmp_path / "cache").glob("*.bin"):
        blob = entry.read_bytes()
        size = int.from_bytes(blob[len(cache.MAGIC): len(cache.MAGIC) + 4], "little")
        source = marshal.loads(blob[cache.HEADER: cache.HEADER + size])[3]
        bad = {**full, "treatments": [{k: v for k, v in t.items() if k != "name"} for t in full["treatments"]]}
        del bad["trials"]
        with entry.open("r+b") as handle:
            handle.truncate(0)
            handle.write(cache._payload(bad, source))
    assert ketcli.open().compare("ketamine", "ect") == want
