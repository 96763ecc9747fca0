"""`ketcli validate` and `ketcli schema` of every command."""

import pytest

# The commands `ketcli schema` describes (its error message lists them: see test_snap_errors.py).
SCHEMA_COMMANDS = ["compare", "mechanism", "cite", "treatment", "side-effects", "timeline", "search", "about",
                   "validate", "sof"]


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "markdown"])
def test_validate(shoot, fmt):
    shoot("--data", "data/treatments.toml", "validate", "--format", fmt)


@pytest.mark.parametrize("command", SCHEMA_COMMANDS)
def test_schema(shoot, command):
    shoot("schema", command, machine=True)
