"""`--fields a,b,c` narrows the records of jsonl, csv and markdown to those columns."""

import csv
import io
import json

import pytest


def test_csv_prints_the_chosen_columns_in_their_order(run):
    r = run("compare", "ketamine", "ect", "--format", "csv", "--fields", "treatment,label,value.low")
    assert r.code == 0, r.err
    rows = list(csv.reader(io.StringIO(r.out)))
    assert rows[0] == ["treatment", "label", "value.low"]
    assert ["ketamine", "Response rate", "50"] in rows
    assert len(rows) == 1 + 10


def test_jsonl_prints_records_with_just_those_keys(run):
    r = run("cite", "11", "1-2", "--format", "jsonl", "--fields", "number, doi")
    assert r.code == 0, r.err
    lines = [json.loads(line) for line in r.out.splitlines()]
    assert [list(line) for line in lines] == [["number", "doi"]] * 3
    assert lines[0] == {"number": 11, "doi": "10.1056/NEJMoa2302399"}
    assert [line["number"] for line in lines] == [11, 1, 2]


def test_a_nested_field_is_one_flat_key_in_jsonl(run):
    r = run("side-effects", "ketamine", "--format", "jsonl", "--fields", "id,quantity.value")
    assert r.code == 0, r.err
    first = json.loads(r.out.splitlines()[0])
    assert list(first) == ["id", "quantity.value"]


def test_a_record_key_outside_the_csv_columns_can_be_chosen(run):
    r = run("compare", "ketamine", "--format", "csv", "--fields", "label,support")
    assert r.code == 0, r.err
    header, first = list(csv.reader(io.StringIO(r.out)))[:2]
    assert header == ["label", "support"] and first[0] == "Onset of action" and '"claim"' in first[1]


def test_markdown_takes_fields_too(run):
    r = run("timeline", "--format", "markdown", "--fields", "year,label")
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == "| year | label |"


def test_an_unknown_field_exits_2_and_lists_the_available_ones(run):
    r = run("compare", "--format", "csv", "--fields", "treatment,nosuch")
    assert r.code == 2
    assert r.out == ""
    assert "unknown field 'nosuch'" in r.err and "available fields: dimension, treatment, text" in r.err
    assert len(r.err.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [["--json"], ["--format", "table"], []])
def test_fields_with_a_format_without_records_is_a_usage_error(run, args):
    r = run("timeline", *args, "--fields", "year")
    assert r.code == 2 and "--fields" in r.err


def test_empty_field_names_are_a_usage_error(run):
    r = run("timeline", "--format", "csv", "--fields", "year,,label")
    assert r.code == 2 and "comma" in r.err
