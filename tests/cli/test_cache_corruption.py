"""A damaged cache entry costs speed, never an answer: each part of an entry corrupted in
turn, every command and every `data` subcommand answers as it does with a sound cache.

The parts: the header, the table of contents, each collection stored whole, each
indexed collection's record table, and its first record. Bytes are changed in place,
so the stat-key alias (a hard link to the same entry) is damaged too."""

from __future__ import annotations

import marshal

import pytest

from ketcli.cli.curate import STARTER
from ketcli.data import cache

pytestmark = [pytest.mark.own_cache, pytest.mark.slow]  # the entries corrupted are this test's own (tmp_path/cache)

BIB = "@article{doe2025,\n  author = {Doe, Jane},\n  title = {An own study},\n  journal = {J},\n  year = {2025}\n}\n"


def commands(path, tmp_path):
    own = ["--data", str(path)]
    return [
        [*own, "compare"], [*own, "compare", "--chart"], [*own, "mechanism"], [*own, "mechanism", "nmdar"],
        [*own, "cite"], [*own, "cite", "11", "--format", "bibtex"], [*own, "treatment", "ketamine"],
        [*own, "side-effects"], [*own, "timeline"], [*own, "search", "ketamine"], [*own, "about"],
        [*own, "validate"], ["compare", "--json"], ["schema", "compare"],
        ["data", "add", "claim", str(path), "--text", "An own claim.", "--ref", "11"],
        ["data", "import", str(path), str(tmp_path / "refs.bib")],
        ["data", "init", str(tmp_path / "fresh.toml")],
    ]


def parts(entry) -> dict[str, int]:
    """An offset inside each part of the entry file."""
    blob = entry.read_bytes()
    size = int.from_bytes(blob[len(cache.MAGIC) : len(cache.MAGIC) + 4], "little")
    small, spans, indexed, *_ = marshal.loads(blob[cache.HEADER : cache.HEADER + size])
    base = cache.HEADER + size
    found = {"header": 0, "table of contents": cache.HEADER + size // 2}
    for name, (start, end, _) in spans.items():
        if end > start:
            found[name] = base + (start + end) // 2
    for name, (keys, (start, end, _)) in indexed.items():
        found[f"{name} record table"] = base + (start + end) // 2
        if keys:
            found[f"first of {name}"] = base + 2  # the first record's bytes start the body
    return found


@pytest.fixture
def dataset(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "RACY_NS", 0)  # files count as settled: the stat-key aliases are made too
    path = tmp_path / "mine.toml"
    path.write_text(STARTER)
    (tmp_path / "refs.bib").write_text(BIB)
    return path


def test_every_part_of_an_entry_corrupted_in_turn_changes_no_answer(run, dataset, tmp_path):
    original = dataset.read_text()
    expected = {}
    for args in commands(dataset, tmp_path):  # the answers with a sound cache, from a cold one
        expected[tuple(args)] = run(*args)
        dataset.write_text(original)
        (tmp_path / "fresh.toml").unlink(missing_ok=True)
    for stale in (tmp_path / "cache").iterdir():
        stale.unlink()
    for args in commands(dataset, tmp_path)[:14]:
        run(*args)  # fill the cache for both files again, as a user's queries would
    # the search index's entry (named "+search-") has a test of its own in tests/cli/test_cli_search.py
    entries = sorted(e for e in (tmp_path / "cache").glob("*.bin") if "+search-" not in e.name)
    assert len(entries) == 2  # the bundled file's entry and the own file's
    sound = {e: e.read_bytes() for e in entries}
    checked = set()
    for entry in entries:
        own = cache._source_of(entry) == str(dataset.resolve())
        # the bundled file's entry is read only by commands without --data (and `data init`'s check)
        cases = [a for a in commands(dataset, tmp_path) if own or (str(dataset) not in a)]
        for part, offset in parts(entry).items():
            checked.add(part)
            for args in cases:
                for e, blob in sound.items():
                    e.write_bytes(blob)  # same inode: its alias sees the sound bytes again
                with open(entry, "r+b") as handle:  # in place: the alias shares these bytes
                    handle.seek(offset)
                    byte = handle.read(1)
                    handle.seek(offset)
                    handle.write(bytes([byte[0] ^ 0xFF]))
                got = run(*args)
                want = expected[tuple(args)]
                assert got.code == want.code != 70, (part, args, got.err)
                assert got.out == want.out, (part, args)
                if dataset.read_text() != original:  # a write: the entry of the new content is not ours
                    dataset.write_text(original)
                (tmp_path / "fresh.toml").unlink(missing_ok=True)
    assert {"header", "table of contents", "claims record table", "first of claims", "references record table",
            "first of references", "mechanisms"} <= checked
