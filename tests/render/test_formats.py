"""One output contract: every query command answers in every format, and each parses."""

import csv
import io
import json
import os
import shutil
import subprocess

import pytest

from ketcli.query import results

# (arguments, command whose JSON shape it has)
QUERIES = [
    (("compare",), "compare"),
    (("compare", "ketamine", "ect"), "compare"),
    (("compare", "ketamine", "ssri", "--chart"), "compare"),
    (("mechanism",), "mechanism"),
    (("mechanism", "--map"), "mechanism"),
    (("mechanism", "nmdar"), "mechanism"),
    (("mechanism", "nmdar", "--pathway"), "mechanism"),
    (("mechanism", "bdnf"), "mechanism"),
    (("cite",), "cite"),
    (("cite", "11"), "cite"),
    (("cite", "33", "--usage"), "cite"),
    (("treatment",), "treatment"),
    (("treatment", "ketamine"), "treatment"),
    (("treatment", "ketamine", "--claims"), "treatment"),
    (("side-effects",), "side-effects"),
    (("side-effects", "ketamine"), "side-effects"),
    (("timeline",), "timeline"),
    (("search", "blood pressure"), "search"),
    (("about",), "about"),
    (("validate",), "validate"),
]
FORMATS = ["table", "json", "jsonl", "csv", "markdown"]


def parse(fmt: str, text: str):
    if fmt == "json":
        return json.loads(text)
    if fmt == "jsonl":
        rows = [json.loads(line) for line in text.splitlines()]
        assert all(isinstance(r, dict) for r in rows)
        return rows
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert len({len(r) for r in rows}) == 1, "every row has the header's columns"
        return rows
    if fmt == "markdown":
        lines = text.split("\n\n")[0].splitlines()  # the table; compare puts notes and references below it
        assert lines[1].startswith("|---")
        widths = {line.replace("\\|", "").count("|") for line in lines}
        assert len(widths) == 1, "every markdown row has the same number of cells"
        return lines
    assert text.strip()
    return text


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("args,command", QUERIES, ids=[" ".join(a) for a, _ in QUERIES])
def test_every_command_answers_in_every_format(run, args, command, fmt):
    r = run(*args, "--format", fmt)
    assert r.code == 0, r.err
    assert r.err == ""
    parsed = parse(fmt, r.out)
    if fmt == "json":
        assert parsed["schema_version"] == 2
        results.check(command, parsed)
    if fmt in ("jsonl", "csv", "markdown") and command != "validate":
        assert len(parsed) >= 1


def test_json_flag_is_short_for_format_json(run):
    assert run("compare", "ketamine", "--json").out == run("compare", "ketamine", "--format", "json").out


def test_conflicting_format_options_are_a_usage_error(run):
    r = run("compare", "--json", "--format", "csv")
    assert r.code == 2 and "different formats" in r.err


def test_an_unknown_format_is_a_usage_error(run):
    r = run("compare", "--format", "xml")
    assert r.code == 2 and "xml" in r.err


def test_csv_has_one_row_per_cell_with_its_references(run):
    rows = list(csv.DictReader(io.StringIO(run("compare", "ketamine", "ect", "--format", "csv").out)))
    assert len(rows) == 10
    cell = next(r for r in rows if r["treatment"] == "ketamine" and r["dimension"] == "response_rate")
    assert cell["text"] == "50%–70%" and cell["value.low"] == "50" and cell["value.high"] == "70"
    assert "1" in cell["refs"].split("; ") and "15" in cell["refs"].split("; ")


def test_jsonl_gives_one_claim_per_line(run):
    lines = run("mechanism", "opioid", "--format", "jsonl").out.splitlines()
    doc = run("mechanism", "opioid", "--json").json()
    assert [json.loads(line)["id"] for line in lines] == [c["id"] for c in doc["claims"]]


def test_markdown_escapes_pipes_in_cells(run, tmp_path):
    import tomli_w

    from ketcli.cli.curate import STARTER

    own = {"references": [{"number": 35, "key": "pipe2025", "authors": ["Pipe A|B"], "title": "Left | right \\| done",
                           "journal": "J", "year": 2025}]}
    path = tmp_path / "pipes.toml"
    path.write_text(STARTER + "\n" + tomli_w.dumps(own))
    out = run("--data", str(path), "cite", "--format", "markdown").out
    lines = out.splitlines()
    assert lines[0].startswith("| number | key | authors")
    assert len(lines) == 37  # header, rule, 34 bundled references and the own one
    row = next(line for line in lines if "pipe2025" in line)
    assert "Left \\| right \\\\\\| done" in row and "Pipe A\\|B" in row
    # every row has as many cell separators as the header: no pipe from the data splits a cell
    cells = {line.replace("\\\\", "").replace("\\|", "").count("|") for line in lines}
    assert len(cells) == 1, cells


def test_tables_explain_stance_and_evidence_labels(run):
    out = " ".join(run("mechanism", "opioid").out.split())
    assert "Stance toward the mechanism" in out and "animal (preclinical)" in out


def test_pathway_tree_shows_the_steps_with_references(run):
    out = run("mechanism", "nmdar", "--pathway").out
    for step in ("GABAergic interneurons", "AMPAR", "BDNF-TrkB", "mTORC1", "ERK", "eEF2"):
        assert step in out
    assert "[1,16]" in out and "[1,17]" in out
    assert "└──" in out or "+--" in out


@pytest.mark.parametrize("name", ["nmdar", "monoamine", "opioid"])
def test_dot_and_mermaid_describe_the_same_graph(run, name):
    doc = run("mechanism", name, "--json").json()["mechanism"]
    edges = sum(len(s["after"]) for s in doc["pathway"])
    dot = run("mechanism", name, "--format", "dot").out
    mermaid = run("mechanism", name, "--format", "mermaid").out
    assert dot.startswith("digraph") and dot.count(" -> ") == edges
    assert mermaid.startswith("flowchart TD") and mermaid.count(" --> ") == edges


def test_dot_renders_with_graphviz(run, tmp_path):
    if shutil.which("dot") is None:
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot must be installed in CI (.ci/run installs it)")
        pytest.skip("Graphviz is not installed here")
    source = tmp_path / "nmdar.dot"
    source.write_text(run("mechanism", "nmdar", "--format", "dot").out, encoding="utf-8")
    done = subprocess.run(["dot", "-Tsvg", str(source)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "<svg" in done.stdout and "mTORC1" in done.stdout


def test_pathway_formats_need_a_mechanism_with_a_pathway(run):
    assert run("mechanism", "--format", "dot").code == 2
    assert run("mechanism", "--pathway").code == 2
    r = run("mechanism", "bdnf", "--pathway")
    assert r.code == 1 and "pathway" in r.err


def test_chart_draws_ranges_for_each_treatment(run):
    out = run("compare", "ketamine", "ssri", "tca", "ect", "--chart").out
    assert "Response rate (%)" in out
    assert "50–70%" in out and "40–50%" in out
    assert "█" in out or "#" in out


def test_evidence_map_counts_claims_by_kind(run):
    doc = run("mechanism", "--map", "--json").json()
    opioid = next(r for r in doc["rows"] if r["mechanism"] == "opioid")
    animal = next(c for c in opioid["cells"] if c["evidence"] == "animal")
    claims = run("mechanism", "opioid", "--json").json()["claims"]
    assert animal["supports"] == sum(1 for c in claims if c["evidence"] == "animal" and c["stance"] == "supports")
    assert animal["contradicts"] == sum(1 for c in claims if c["evidence"] == "animal" and c["stance"] == "contradicts")
    assert animal["contradicts"] >= 1
    assert "Evidence map" in run("mechanism", "--map").out
