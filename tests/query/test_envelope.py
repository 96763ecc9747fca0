"""Every JSON answer names the dataset it came from by the file's SHA-256, cheaply."""

import hashlib

import pytest

from ketcli.data import dataset
from ketcli.data.dataset import bundled_path, load

BUNDLED_SHA = hashlib.sha256(bundled_path().read_bytes()).hexdigest()

COMMANDS = [
    ["compare", "ketamine", "ect"], ["mechanism"], ["mechanism", "opioid"], ["mechanism", "--map"],
    ["cite", "11"], ["cite", "33", "--usage"], ["treatment"], ["treatment", "ketamine"],
    ["side-effects"], ["timeline"], ["search", "naltrexone"], ["about"], ["validate"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_envelope_carries_the_datasets_sha256(run, args):
    doc = run(*args, "--json").json()
    assert doc["schema_version"] == 2
    assert doc["dataset_sha256"] == BUNDLED_SHA


def test_about_and_the_envelope_agree(run):
    doc = run("about", "--json").json()
    assert doc["dataset"]["sha256"] == doc["dataset_sha256"] == BUNDLED_SHA


def test_an_own_file_is_named_by_its_own_hash(run, tmp_path):
    own = tmp_path / "mine.toml"
    assert run("data", "init", str(own)).code == 0
    doc = run("--data", str(own), "timeline", "--json").json()
    assert doc["dataset_sha256"] == hashlib.sha256(own.read_bytes()).hexdigest() != BUNDLED_SHA


@pytest.mark.own_cache  # the first load fills an empty cache
def test_a_warm_load_reads_the_hash_from_the_cache(monkeypatch):
    assert load().sha256 == BUNDLED_SHA  # fills the cache
    monkeypatch.setattr(dataset, "sha256_of", lambda content: pytest.fail("hashed again on a warm load"))
    monkeypatch.setattr(dataset, "read_bytes", lambda path: pytest.fail("read the file on a warm load"))
    assert load().sha256 == BUNDLED_SHA


def test_an_unreadable_file_validates_with_no_hash(run, tmp_path):
    doc = run("validate", str(tmp_path / "missing.toml"), "--json").json()
    assert doc["ok"] is False and doc["dataset_sha256"] is None
