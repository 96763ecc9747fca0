"""`ketcli compare`: every format, the chart, at widths 40/80/120."""

import pytest

FORMATS = ["table", "json", "jsonl", "csv", "markdown"]
ARGS = [
    ["ketamine", "ect"],
    [],
    ["ketamine", "vs", "ssri"],
    ["ketamine", "esketamine"],
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", ARGS, ids=lambda a: "-".join(a) or "all")
def test_compare(shoot, args, fmt):
    shoot("compare", *args, "--format", fmt)


@pytest.mark.parametrize("args", ARGS[:2], ids=lambda a: "-".join(a) or "all")
def test_compare_chart(shoot, args):
    shoot("compare", *args, "--chart")


def test_compare_json_flag_and_fields(shoot):
    shoot("compare", "ketamine", "ect", "--json")
    shoot("compare", "ketamine", "ect", "--format", "csv", "--fields", "treatment,label,text,value.low")
