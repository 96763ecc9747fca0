"""`ketcli mechanism`: the list, the evidence map, one mechanism or entity, its pathway and quotes."""

import pytest

FORMATS = ["table", "json", "jsonl", "csv", "markdown"]
ARGS = [[], ["--map"], ["nmdar"], ["opioid"], ["monoamine"], ["inflammation"], ["bdnf"]]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", ARGS, ids=lambda a: "-".join(a) or "list")
def test_mechanism(shoot, args, fmt):
    shoot("mechanism", *args, "--format", fmt)


@pytest.mark.parametrize("fmt", ["dot", "mermaid"])
@pytest.mark.parametrize("name", ["nmdar", "opioid", "monoamine", "inflammation"])
def test_mechanism_diagram(shoot, name, fmt):
    shoot("mechanism", name, "--format", fmt)


@pytest.mark.parametrize("name", ["nmdar", "opioid", "monoamine", "inflammation"])
def test_mechanism_pathway(shoot, name):
    shoot("mechanism", name, "--pathway")


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_mechanism_quotes(shoot, fmt):
    shoot("mechanism", "opioid", "--quotes", "--format", fmt)
