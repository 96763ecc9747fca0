"""The validated-dataset cache never answers from a stale or broken entry."""

import marshal
import tomllib
import zlib

import tomli_w

import pytest

from ketcli.data import cache
from ketcli.data.dataset import bundled_path, load

pytestmark = pytest.mark.own_cache  # every test here starts from an empty cache (tmp_path/cache)


def copy_of_bundled(tmp_path):
    raw = tomllib.loads(bundled_path().read_text(encoding="utf-8"))
    path = tmp_path / "copy.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    return path, raw


def entries(tmp_path):
    return sorted((tmp_path / "cache").glob("*.bin"))


def test_second_load_comes_from_the_cache(tmp_path, monkeypatch):
    from ketcli.data import dataset

    first = load()
    assert len(entries(tmp_path)) == 1

    def no_build(*args):
        raise AssertionError("a warm load parsed the file again")

    monkeypatch.setattr(dataset, "build", no_build)
    second = load()
    assert isinstance(second.raw, cache.Entry)
    assert second.raw == first.raw


def test_an_edited_file_is_never_answered_from_the_old_entry(tmp_path):
    path, raw = copy_of_bundled(tmp_path)
    assert load(str(path)).raw["source"]["title"] == raw["source"]["title"]
    raw["source"]["title"] = "Edited title"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    assert load(str(path)).raw["source"]["title"] == "Edited title"


def test_a_corrupted_or_truncated_entry_is_ignored(tmp_path):
    expected = load().raw
    (entry,) = entries(tmp_path)
    blob = entry.read_bytes()
    entry.write_bytes(blob[: len(blob) // 2])
    assert load().raw == expected
    entry.write_bytes(blob[:-10] + b"\x00" * 10)
    assert load().raw == expected
    entry.write_bytes(b"garbage")
    assert load().raw == expected


def test_a_foreign_entry_with_a_valid_checksum_that_is_not_a_dataset_is_ignored(tmp_path):
    key = "k" * 40
    cache.store(key, {"a": 1, "claims": []})
    assert dict(cache.load(key, ".bin", dict)) == {"a": 1, "claims": []}
    shapes = [
        ([1, 2], {}, {}, ""),  # small part not a dict
        ({}, [], {}, ""),  # spans not a dict
        ({}, {}, {"claims": 5}, ""),  # an index that is no (keys, table)
        ({}, {}, {"other": ([], (0, 0, 0))}, ""),  # an index of a collection never indexed
        ({}, {}, {}),  # the old format's three parts
    ]
    for toc_value in shapes:
        toc = marshal.dumps(toc_value)
        blob = cache.MAGIC + len(toc).to_bytes(4, "little") + zlib.crc32(toc).to_bytes(4, "little") + toc
        (tmp_path / "cache" / f"{key}.bin").write_bytes(blob)
        assert cache.load(key, ".bin", dict) is None, toc_value


def test_a_span_that_is_no_start_end_crc_is_a_corrupted_part(tmp_path):
    """Spans are checked as their parts are read (an index entry holds thousands): a bad one
    rebuilds the dataset, as a part failing its checksum does."""
    key = "k" * 40
    cache.store(key, {"a": 1, "claims": []})
    toc = marshal.dumps(({"a": 1}, {"claims": "x"}, {}, ""))
    blob = cache.MAGIC + len(toc).to_bytes(4, "little") + zlib.crc32(toc).to_bytes(4, "little") + toc
    (tmp_path / "cache" / f"{key}.bin").write_bytes(blob)
    entry = cache.load(key, ".bin", lambda: {"a": 1, "claims": [{"id": "rebuilt"}]})
    assert entry is not None
    assert entry["claims"] == [{"id": "rebuilt"}]


def test_a_part_with_a_valid_checksum_but_the_wrong_shape_is_rebuilt(tmp_path):
    expected = load().raw
    (entry,) = entries(tmp_path)
    key = entry.stem
    # An entry whose checksums all hold, whose records are not records.
    wrong = {**expected, "mechanisms": ["not a record"]}
    entry.unlink()
    cache.store(key, wrong)
    loaded = cache.load(key, ".bin", lambda: expected)
    assert loaded["mechanisms"] == expected["mechanisms"]
    assert loaded == expected


def test_a_part_corrupted_after_opening_is_rebuilt_from_the_file(tmp_path):
    expected = load().raw["claims"]
    (entry,) = entries(tmp_path)
    blob = bytearray(entry.read_bytes())
    blob[-100] ^= 0xFF  # inside the last record's bytes: the table of contents still checks out
    entry.write_bytes(bytes(blob))
    assert load().raw["claims"] == expected


def test_an_unchanged_file_is_found_by_its_stat_fingerprint_and_an_edit_is_not(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "RACY_NS", 0)  # treat every file as settled, as after 3 s
    path, raw = copy_of_bundled(tmp_path)
    load(str(path))
    assert list((tmp_path / "cache").glob("*.alias")), "the entry answers to the file's stat key"
    assert load(str(path)).raw["source"]["title"] == raw["source"]["title"]
    raw["source"]["title"] = "Edited, same second"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    assert load(str(path)).raw["source"]["title"] == "Edited, same second"


def test_entries_are_pruned_to_the_newest_few_per_dataset_path(tmp_path):
    path, raw = copy_of_bundled(tmp_path)
    load()  # the bundled file's entry: another path, never pruned by edits of this one
    for n in range(cache.KEEP + 3):
        raw["source"]["title"] = f"Edit {n}"
        path.write_text(tomli_w.dumps(raw), encoding="utf-8")
        assert load(str(path)).raw["source"]["title"] == f"Edit {n}"
    sources = sorted(cache._source_of(e) for e in entries(tmp_path))
    assert sources.count(str(path.resolve())) == cache.KEEP
    assert str(bundled_path().resolve()) in sources
    assert len(sources) == cache.KEEP + 1
    assert all(a.stat().st_nlink > 1 for a in (tmp_path / "cache").glob("*.alias"))


def test_an_unwritable_cache_directory_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("KETCLI_CACHE_DIR", str(blocker / "sub"))
    assert load().raw["source"]["doi"] == "10.7759/cureus.83244"
