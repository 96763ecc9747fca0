"""A mechanism's pathway as Graphviz DOT or Mermaid, for papers, wikis and GitHub."""

from __future__ import annotations

from typing import TYPE_CHECKING

import json
import textwrap

from ketcli.render.wording import markers

if TYPE_CHECKING:
    from ketcli.query.results import Result


def _label(step: dict) -> str:
    refs = " " + markers(step["refs"]) if step["refs"] else ""
    return step["label"] + refs


def _steps(result: Result) -> tuple[dict, list[dict]]:
    mechanism = result["mechanism"]
    return mechanism, mechanism["pathway"]


def to_dot(result: Result) -> str:
    mechanism, steps = _steps(result)

    def quote(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)  # a DOT string takes JSON's escapes for " and \\

    lines = [
        f"digraph {quote(mechanism['id'])} {{",
        f"  label={quote(mechanism['name'] + ' — Papadopoulos, Cureus 2025 (CC BY 4.0)')};",
        "  labelloc=t; rankdir=TB;",
        '  node [shape=box, style="rounded", fontname="Helvetica"];',
    ]
    for step in steps:
        label = "\n".join(textwrap.wrap(_label(step), 34))
        lines.append(f"  {quote(step['id'])} [label={quote(label)}];")
    for step in steps:
        for before in step["after"]:
            lines.append(f"  {quote(before)} -> {quote(step['id'])};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# Mermaid: a label is a quoted string on one line. A line break would end the statement
# (and start a node or a directive of the data's); "%%{…}%%" anywhere is a directive
# (theme, CSS); '"' would end the string; "#…;" is an entity; "<", ">", "&" are HTML
# (htmlLabels); a backtick opens a Markdown string. Each is written as Mermaid's own
# entity code "#NN;", which renders as the character and cannot mean anything else.
_MERMAID_CODED = {ord(c): f"#{ord(c)};" for c in '#"%<>&`'}
_MERMAID_BREAKS = {c: " " for c in (*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)}
_MERMAID = {**_MERMAID_BREAKS, **_MERMAID_CODED}


def mermaid_text(label: str) -> str:
    """`label` as the inside of a Mermaid quoted label or comment: shown, never obeyed."""
    return label.translate(_MERMAID)


def to_mermaid(result: Result) -> str:
    mechanism, steps = _steps(result)
    ids = {step["id"]: f"s{i}" for i, step in enumerate(steps)}
    text = mermaid_text

    lines = ["flowchart TD", f"  %% {text(mechanism['name'])}: Papadopoulos, Cureus 2025 (CC BY 4.0)"]
    for step in steps:
        lines.append(f'  {ids[step["id"]]}["{text(_label(step))}"]')
    for step in steps:
        for before in step["after"]:
            lines.append(f"  {ids[before]} --> {ids[step['id']]}")
    return "\n".join(lines) + "\n"
