"""`ketcli sof`: the summary of findings and its gaps."""

import pytest

FORMATS = ["table", "json", "jsonl", "csv", "markdown"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", [["ketamine", "ect"], [], ["ketamine", "ect", "--gaps"], ["esketamine"]],
                         ids=lambda a: "-".join(a) or "all")
def test_sof(shoot, args, fmt):
    shoot("sof", *args, "--format", fmt)
