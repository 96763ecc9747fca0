"""Text from a dataset cannot restructure the formats that other tools read: Mermaid
(checked by Mermaid's own parser where it is installed), CSV (formulas), Markdown (HTML)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketcli.render.diagrams import to_mermaid
from ketcli.render.text_formats import to_csv, to_markdown
from ketcli.render.views import VIEWS, View

ROOT = Path(__file__).resolve().parents[2]
PARSER = Path(__file__).with_name("mermaid_parse.mjs")
NODE_MODULES = Path(os.environ.get("KETCLI_MERMAID_MODULES", ROOT / ".ci" / "node" / "node_modules"))

HOSTILE = [
    "name\rs7[\"evil\"]", "a\ns8[x]\ns0 --> s8", '%%{init: {"theme": "dark", "themeCSS": "@import url(//x)"}}%%',
    '"]; s9[x', "#quot; #35; &amp;", "`**md**`", "<img src=x onerror=alert(1)>", "a --> b", "x\u2028click s0 call y()",
    "\x1b]52;c;SGVsbG8=\x07", "}%%", "%% comment",
]


def result(name: str, labels: list[str]) -> dict:
    steps = [{"id": f"step-{i}", "label": label, "refs": [1] if i % 2 else [], "after": [f"step-{i - 1}"] if i else []}
             for i, label in enumerate(labels)]
    return {"mechanism": {"id": "m", "name": name, "pathway": steps}}


LABEL_LINE = re.compile(r'^  s\d+\["[^"\r\n\u2028\u2029]*"\]$')


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(name=st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30)),
       labels=st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30)), min_size=1, max_size=4))
def test_mermaid_by_the_grammars_rules(name, labels):
    """Mermaid's lexer ends a statement at a line break, opens a directive at "%%{", ends a
    quoted label at '"' and reads "#…;" as an entity: none of them can come from data."""
    text = to_mermaid(result(name, labels))
    lines = text.split("\n")
    assert lines[0] == "flowchart TD" and lines[-1] == ""
    assert len(lines) == 2 + len(labels) + (len(labels) - 1) + 1
    assert lines[1].startswith("  %% ") and "%" not in lines[1][5:] and "\r" not in lines[1]
    assert all(LABEL_LINE.match(line) for line in lines[2:2 + len(labels)])
    assert lines[2 + len(labels):-1] == [f"  s{i - 1} --> s{i}" for i in range(1, len(labels))]
    assert "%%{" not in text and "\r" not in text
    assert all("#" not in re.sub(r"#\d+;", "", line) for line in lines[2:2 + len(labels)])


def mermaid_parser_ready() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (NODE_MODULES / "mermaid").is_dir() or not (NODE_MODULES / "jsdom").is_dir():
        return f"npm packages mermaid and jsdom are not in {NODE_MODULES} (.ci/run installs them)"
    return None


@pytest.mark.skipif(mermaid_parser_ready() is not None, reason=str(mermaid_parser_ready()))
def test_mermaid_by_mermaids_own_parser():
    labels = HOSTILE[1:]
    text = to_mermaid(result(HOSTILE[0], labels))
    done = subprocess.run(["node", str(PARSER), str(NODE_MODULES)], input=text, capture_output=True, text=True,
                          timeout=120)
    parsed = json.loads(done.stdout)
    assert parsed["ok"], parsed
    assert parsed["config"] == {}  # no directive took effect
    assert parsed["nodes"] == [f"s{i}" for i in range(len(labels))]
    assert parsed["edges"] == [[f"s{i - 1}", f"s{i}"] for i in range(1, len(labels))]
    breaks = str.maketrans({c: " " for c in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)})
    expected = [(label.translate(breaks) + (" [1]" if i % 2 else "")).strip() for i, label in enumerate(labels)]
    assert parsed["labels"] == expected  # each label shown as written (Mermaid trims its ends)


VIEW = View(VIEWS["search"].drawing, lambda r: r["rows"], ("text", "n"))


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\r=x", "'\r=x"),
    ("-5", "-5"), ("+1.5e3", "+1.5e3"), ("50%–70%", "50%–70%"), ("a=b", "a=b"),
])
def test_csv_cells_that_a_spreadsheet_would_run_are_prefixed(cell, written):
    text = to_csv(VIEW, {"rows": [{"text": cell, "n": 1}]})
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["text", "n"], [written, "1"]]


def test_csv_quotes_a_bare_carriage_return():
    text = to_csv(VIEW, {"rows": [{"text": "a\rb", "n": 2}]})
    assert text == 'text,n\n"a\rb","2"\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["text", "n"], ["a\rb", "2"]]


def test_markdown_escapes_raw_html():
    text = to_markdown(VIEW, {"rows": [{"text": "<script>alert(1)</script> & <img src=x onerror=y> | a", "n": 1}]})
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=y&gt; \\| a" in text
