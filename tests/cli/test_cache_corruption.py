"""A damaged cache entry costs speed, never an answer: each part of an entry corrupted in
turn, every command and every `data` subcommand answers as it does with a sound cache.

The parts: the header, the table of contents, each collection stored whole, each
indexed collection's record table, and its first record. Bytes are changed in place,
so the stat-key alias (a hard link to the same entry) is damaged too."""

from __future__ import annotations

import marshal
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketcli.cli.app import app
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


NAMES = [" ".join(a for a in args if a != "--data" and not a.startswith("/")) or "?"
         for args in commands(Path("/mine.toml"), Path("/tmp"))]


def parts(blob: bytes) -> dict[str, int]:
    """An offset inside each part of the entry file whose bytes are `blob`."""
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


@dataclass
class Sound:
    folder: Path  # holds mine.toml, refs.bib and cache/
    dataset: Path
    original: str
    expected: dict[tuple[str, ...], tuple[int, str]]  # exit code and stdout with a sound cache
    entries: dict[Path, bytes]  # the bundled file's entry and the own file's, sound


def answer(runner: CliRunner, args: list[str]) -> tuple[int, str, str]:
    result = runner.invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def sound(tmp_path_factory) -> Sound:
    """The answers with a sound cache (from a cold one), then the cache filled again as a
    user's queries would: one per xdist worker, for every command's test on it."""
    folder = tmp_path_factory.mktemp("corruption")
    dataset = folder / "mine.toml"
    dataset.write_text(STARTER)
    (folder / "refs.bib").write_text(BIB)
    original = dataset.read_text()
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as env:
        env.setattr(cache, "RACY_NS", 0)  # files count as settled: the stat-key aliases are made too
        env.setenv("KETCLI_CACHE_DIR", str(folder / "cache"))
        env.delenv("KETCLI_DATA", raising=False)
        env.setenv("NO_COLOR", "1")
        env.setenv("COLUMNS", "200")
        expected = {}
        for args in commands(dataset, folder):
            code, out, _ = answer(runner, args)
            expected[tuple(args)] = (code, out)
            dataset.write_text(original)
            (folder / "fresh.toml").unlink(missing_ok=True)
        for stale in (folder / "cache").iterdir():
            stale.unlink()
        for args in commands(dataset, folder)[:14]:
            answer(runner, args)  # fill the cache for both files again, as a user's queries would
    # the search index's entry (named "+search-") has a test of its own in tests/cli/test_cli_search.py
    entries = sorted(e for e in (folder / "cache").glob("*.bin") if "+search-" not in e.name)
    return Sound(folder, dataset, original, expected, {e: e.read_bytes() for e in entries})


def test_the_cache_holds_both_entries_and_every_kind_of_part(sound):
    assert len(sound.entries) == 2  # the bundled file's entry and the own file's
    checked = {part for blob in sound.entries.values() for part in parts(blob)}
    assert {"header", "table of contents", "claims record table", "first of claims", "references record table",
            "first of references", "mechanisms"} <= checked


@pytest.mark.parametrize("which", range(len(NAMES)), ids=NAMES)
def test_every_part_of_an_entry_corrupted_in_turn_changes_no_answer(sound, which, monkeypatch):
    monkeypatch.setattr(cache, "RACY_NS", 0)
    monkeypatch.setenv("KETCLI_CACHE_DIR", str(sound.folder / "cache"))
    runner = CliRunner()
    args = commands(sound.dataset, sound.folder)[which]
    want = sound.expected[tuple(args)]
    for entry, blob in sound.entries.items():
        own = cache._source_of(entry) == str(sound.dataset.resolve())
        if not own and str(sound.dataset) in args:
            continue  # the bundled file's entry is read only by commands without --data (and `data init`'s check)
        for part, offset in parts(blob).items():
            for e, sound_bytes in sound.entries.items():
                e.write_bytes(sound_bytes)  # same inode: its alias sees the sound bytes again
            with open(entry, "r+b") as handle:  # in place: the alias shares these bytes
                handle.seek(offset)
                byte = handle.read(1)
                handle.seek(offset)
                handle.write(bytes([byte[0] ^ 0xFF]))
            code, out, err = answer(runner, args)
            assert code == want[0] != 70, (part, args, err)
            assert out == want[1], (part, args)
            if sound.dataset.read_text() != sound.original:  # a write: the entry of the new content is not ours
                sound.dataset.write_text(sound.original)
            (sound.folder / "fresh.toml").unlink(missing_ok=True)
