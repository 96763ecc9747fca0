"""Result dicts to rich renderables. Everything from the dataset goes in as plain
`Text` (never markup), through `output.safe`, so data cannot style or drive the terminal."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from .output import safe

NOT_REPORTED = "not reported in the source"


def t(value: object, style: str = "") -> Text:
    return Text(safe(str(value)), style=style)


def doi_url(doi: str) -> str:
    from urllib.parse import quote

    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def markers(refs: list[int]) -> str:
    return f"[{','.join(map(str, refs))}]" if refs else ""


def cited(text: str, refs: list[int]) -> Text:
    out = t(text)
    if refs:
        out.append(" " + markers(refs), style="cyan")
    return out


def number(value: float) -> str:
    return f"{value:g}"


def quantity(q: dict) -> str:
    if q["value"] is not None:
        amount = number(q["value"])
    elif q["low"] is not None and q["high"] is not None:
        amount = f"{number(q['low'])}–{number(q['high'])}"
    else:
        amount = NOT_REPORTED
    unit = q["unit"]
    amount += unit if unit == "%" else (f" {unit}" if unit else "")
    extras = []
    if q["ci_low"] is not None and q["ci_high"] is not None:
        level = f"{number(q['ci_level'])}% " if q["ci_level"] is not None else ""
        extras.append(f"{level}CI {number(q['ci_low'])} to {number(q['ci_high'])}")
    if q["p"]:
        extras.append(f"p {q['p']}")
    if q["n"] is not None:
        extras.append(f"n = {q['n']}")
    label = q["label"] + (f" ({q['arm']})" if q["arm"] else "")
    return f"{label}: {amount}" + (f" ({'; '.join(extras)})" if extras else "")


def reference_line(ref: dict) -> str:
    from .citations import format_vancouver

    return f"[{ref['number']}] {format_vancouver(ref)}"


def references_block(refs: list[dict]) -> Group:
    lines = [Text("References", style="bold")]
    lines += [t(reference_line(r)) for r in refs]
    return Group(*lines)


def facts_grid(rows: list[tuple[str, Text]]) -> Table:
    """Label: value lines with wrapped values kept under their value."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(t(label), value)
    return grid


def trial_block(trial: dict) -> Group:
    head = Text()
    head.append(safe(trial["name"]), style="bold")
    head.append(f" — {safe(trial['design'])}")
    if trial["refs"]:
        head.append(" " + markers(trial["refs"]), style="cyan")
    rows = [
        ("population", t(trial["population"] or NOT_REPORTED)),
        ("participants", t(trial["n"] if trial["n"] is not None else NOT_REPORTED)),
        ("outcome", t(trial["outcome_measure"] or NOT_REPORTED)),
    ]
    rows += [("result", t(quantity(q))) for q in trial["results"]]
    rows.append(("finding", t(trial["finding"])))
    rows += [("note", t(n, "italic")) for n in trial["notes"]]
    return Group(head, Padding(facts_grid(rows), (0, 0, 1, 2)))


def compare(result: dict) -> list:
    table = Table(box=box.SIMPLE_HEAVY, show_lines=True, title="Comparison (the review's Table 1)")
    table.add_column("", style="bold", no_wrap=True)
    for tr in result["treatments"]:
        table.add_column(safe(tr["name"]), overflow="fold")
    for row in result["rows"]:
        cells = []
        for cell in row["cells"]:
            cells.append(cited(cell["text"], cell["refs"]) if cell["source"] else t(cell["text"], "dim italic"))
        table.add_row(t(row["label"]), *cells)
    parts: list = [
        table,
        Text("Cells are Table 1 verbatim; Table 1 cites nothing, so [n] are the references of the "
             "review's sentences that say the same.", style="dim"),
    ]
    if result["trials"]:
        parts.append(Text("\nHead-to-head trials", style="bold underline"))
        parts += [trial_block(tr) for tr in result["trials"]]
    parts += [Text(""), references_block(result["references"])]
    return parts


def _counts(counts: dict) -> str:
    return f"{counts['supports']} / {counts['contradicts']} / {counts['mixed']} / {counts['context']}"


def mechanism_list(result: dict) -> list:
    table = Table(box=box.SIMPLE_HEAVY, title="Mechanisms in the review")
    table.add_column("Mechanism", overflow="fold", ratio=2)
    table.add_column("Status in the review", overflow="fold", ratio=3)
    table.add_column("Abstract's basis", overflow="fold", ratio=2)
    for name in ("+", "-", "±", "ctx"):
        table.add_column(name, justify="right", no_wrap=True)
    scope = None
    for m in result["mechanisms"]:
        if m["scope"] != scope and scope is not None:
            table.add_section()
        scope = m["scope"]
        name = t(m["name"], "bold")
        name.append("\n" + safe(m["id"]), style="cyan")
        name.append(f" · {safe(m['treatment'] or m['scope'])}", style="dim")
        c = m["counts"]
        table.add_row(
            name, t(m["status"]), t(m["evidence_basis"] or NOT_REPORTED),
            t(c["supports"]), t(c["contradicts"]), t(c["mixed"]), t(c["context"]),
        )
    return [table, Text("Claims by stance toward the mechanism: + supports, - contradicts, ± mixed, "
                        "ctx context. Details: ketcli mechanism ID", style="dim")]


STANCE_STYLE = {"supports": "green", "contradicts": "red", "mixed": "yellow", "context": "dim"}


def claims_table(claims: list[dict], title: str) -> Table:
    table = Table(box=box.SIMPLE_HEAVY, title=title, show_lines=True)
    table.add_column("Claim", overflow="fold", ratio=5)
    table.add_column("Stance", no_wrap=True)
    table.add_column("Evidence", overflow="fold")
    table.add_column("Refs", overflow="fold")
    table.add_column("Section", overflow="fold", ratio=1)
    for c in claims:
        text = t(c["text"])
        for q in c["quantities"]:
            text.append("\n  " + safe(quantity(q)), style="dim")
        for n in c["notes"]:
            text.append("\n  note: " + safe(n), style="italic")
        table.add_row(text, t(c["stance"], STANCE_STYLE[c["stance"]]), t(c["evidence"]),
                      t(markers(c["refs"]) or "none (section cites none)"), t(c["section"]))
    return table


def pathway_lines(steps: list[dict]) -> list[Text]:
    lines = [Text("Pathway", style="bold")]
    for i, step in enumerate(steps, 1):
        after = f" (after {', '.join(step['after'])})" if step["after"] else ""
        line = t(f"  {i}. {step['label']}{after}")
        line.append(" " + (markers(step["refs"]) or f"({safe(step['source'])})"), style="cyan")
        lines.append(line)
    return lines


def mechanism(result: dict) -> list:
    c = result["counts"]
    if result["kind"] == "entity":
        e = result["entity"]
        head = [t(f"{e['name']} ({e['kind']})", "bold"),
                t(f"{c['claims']} claims in the review involve it; grouped by mechanism below.")]
        groups: dict[str, list[dict]] = {}
        for claim in result["claims"]:
            for key in claim["mechanisms"] or ["(no mechanism)"]:
                groups.setdefault(key, []).append(claim)
        tables = [claims_table(cl, f"{key}") for key, cl in groups.items()]
        return [*head, *tables, references_block(result["references"])]
    m = result["mechanism"]
    head = [
        t(m["name"], "bold"),
        t(f"Status: {m['status']}" + (f" ({m['status_section']})" if m["status_section"] else "")),
        t(f"Evidence basis (abstract): {m['evidence_basis'] or NOT_REPORTED}"),
        t(f"Section: {m['section']}"),
        t(m["summary"]),
        t(f"Claims: {c['claims']} — {c['supports']} support, {c['contradicts']} contradict, "
          f"{c['mixed']} mixed, {c['context']} context"),
    ]
    head += [t(f"Note: {n}", "italic") for n in m["notes"]]
    parts = [*head]
    if m["pathway"]:
        parts += [Text(""), *pathway_lines(m["pathway"])]
    parts.append(claims_table(result["claims"], "Evidence"))
    parts.append(references_block(result["references"]))
    return parts


def cite(result: dict) -> list:
    table = Table(box=box.SIMPLE_HEAVY, title="References of the review", show_lines=False)
    for name, kwargs in (("#", {"justify": "right"}), ("Authors", {}), ("Year", {}), ("Title", {"ratio": 3}),
                         ("Journal", {}), ("DOI", {"no_wrap": True})):
        table.add_column(name, overflow="fold", **kwargs)
    for r in result["references"]:
        authors = ", ".join(r["authors"]) + (", et al." if r["et_al"] else "")
        doi = Text(safe(r["doi"]), style=Style(link=doi_url(r["doi"]))) if r["doi"] else t("no DOI printed", "dim")
        table.add_row(
            t(r["number"]), t(authors or NOT_REPORTED), t(r["year"] or NOT_REPORTED),
            t(r["title"] or NOT_REPORTED), t(r["journal"] or NOT_REPORTED), doi,
        )
    return [table]
