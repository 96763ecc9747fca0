"""`ketcli search`: a few queries in every format, with and without quotes."""

import pytest

FORMATS = ["table", "json", "jsonl", "csv", "markdown"]
QUERIES = [
    ["naltrexone", "--limit", "3"],
    ["how", "fast", "does", "ketamine", "work", "compared", "with", "SSRIs", "--limit", "3"],
    ["--topic", "abuse", "--limit", "5"],
    ["bladder", "problems"],
    ["ketamine", "zebra", "--limit", "2"],  # a word found nowhere: ranked by the others, no note any more
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args", QUERIES, ids=lambda a: "-".join(a))
def test_search(shoot, args, fmt):
    shoot("search", *args, "--format", fmt)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_search_quotes(shoot, fmt):
    shoot("search", "naltrexone", "--quotes", "--limit", "1", "--format", fmt)
