"""`ketcli schema COMMAND`: the JSON shapes, pinned so a change is deliberate.

After an intended change of a JSON shape, regenerate the pins with
KETCLI_UPDATE_SCHEMAS=1 pytest tests/test_schema.py and say so in the commit.
"""

import json
import os
from pathlib import Path

import pytest

from ketcli.query.results import RESULTS

PINS = Path(__file__).parent / "schemas"


@pytest.mark.parametrize("command", sorted(RESULTS))
def test_schema_is_pinned(run, command):
    r = run("schema", command)
    assert r.code == 0, r.err
    current = json.loads(r.out)
    assert current["$schema"].endswith("2020-12/schema")
    pin = PINS / f"{command}.json"
    if os.environ.get("KETCLI_UPDATE_SCHEMAS"):
        PINS.mkdir(exist_ok=True)
        pin.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert pin.exists(), f"no pinned schema for {command}: run with KETCLI_UPDATE_SCHEMAS=1"
    assert current == json.loads(pin.read_text(encoding="utf-8"))


def test_unknown_command_has_no_schema(run):
    r = run("schema", "nosuch")
    assert r.code == 1 and "compare" in r.err


def test_every_command_with_json_output_has_a_schema(run):
    from ketcli.cli.app import app
    from typer.main import get_command

    group = get_command(app)
    with_json = {name for name, cmd in group.commands.items() if any(p.name == "as_json" for p in cmd.params)}
    assert with_json == set(RESULTS)


@pytest.mark.parametrize("command", sorted(RESULTS))
def test_every_always_present_key_is_required_and_described(run, command):
    """Every key of a result and of its records is always there (records are dumped whole):
    the schema says so. Before: `schema cite` required 2 of a Reference's 13 keys."""
    document = run("schema", command).json()
    objects = [d for d in [document, *document.get("$defs", {}).values()] if "properties" in d]
    assert objects
    for shape in objects:
        assert set(shape.get("required", [])) == set(shape["properties"]), shape["title"]
    if command == "cite":
        from ketcli.data.models import Reference

        reference = document["$defs"]["Reference"]
        assert set(reference["required"]) == set(Reference.model_fields)  # all of them (13 when this was written)
        assert reference["properties"]["doi"]["description"]
        assert all(p.get("description") for p in reference["properties"].values())
