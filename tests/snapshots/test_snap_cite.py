"""`ketcli cite`: references, their usage, and every citation format."""

import pytest

FORMATS = ["table", "json", "jsonl", "csv", "markdown"]
CITATION = ["bibtex", "ris", "csl-json", "vancouver", "apa", "doi"]


@pytest.mark.parametrize("fmt", FORMATS + CITATION)
@pytest.mark.parametrize("args", [["--mechanism", "opioid"], ["11"], ["--treatment", "ect"]],
                         ids=lambda a: "-".join(a))
def test_cite(shoot, args, fmt):
    shoot("cite", *args, "--format", fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", [["7"], ["33"], ["--search", "blood pressure"]], ids=lambda a: "-".join(a))
def test_cite_usage(shoot, args, fmt):
    shoot("cite", *args, "--usage", "--format", fmt)


def test_cite_everything(shoot):
    shoot("cite")
    shoot("cite", "--format", "doi")  # stderr names the references without a DOI
    shoot("cite", "--format", "bibtex")


def test_cite_variants(shoot):
    shoot("cite", "11", "3", "--format", "doi")
    shoot("cite", "1-5", "anand2023")
    shoot("cite", "33", "--format", "ris", "--with-notes")
    shoot("cite", "11", "--format", "jsonl", "--fields", "number,doi")
