"""What is better seen than read: the pathway tree, Table 1's ranges, the evidence map."""

from __future__ import annotations

from typing import TYPE_CHECKING

import math

from rich import box
from rich.text import Text
from rich.tree import Tree

from ketcli.render.terminal.streams import safe
from ketcli.render.terminal.plain_views import NOT_REPORTED, markers, note_mark, number
from ketcli.render.terminal.rich_views import Table, cited, references_block, t

if TYPE_CHECKING:
    from ketcli.query.results import Result

BAR = 40
MAX_DEPTH = 8  # levels of the pathway tree; deeper steps are drawn beside, marked ↳


def pathway(result: Result) -> list:
    m = result["mechanism"]
    steps = m["pathway"]
    children: dict[str | None, list[dict]] = {}
    for step in steps:
        for before in step["after"] or [None]:
            children.setdefault(before, []).append(step)
    tree = Tree(Text(safe(m["name"]), style="bold"), guide_style="dim")
    shown: set[str] = set()
    # A stack, not recursion: a chain of a thousand steps is a thousand levels deep. Past
    # MAX_DEPTH levels a step is drawn beside the step it follows, marked "↳" (rich would
    # leave out the levels that its guides leave no width for).
    stack: list[tuple[Tree, dict, int]] = [(tree, root, 1) for root in reversed(children.get(None, []))]
    while stack:
        node, step, depth = stack.pop()
        label = cited(step["label"], step["refs"])
        if depth > MAX_DEPTH:
            label = Text("↳ ", style="dim") + label
        if not step["refs"]:
            label.append(f" ({safe(step['source'])})", style="dim")
        if step["id"] in shown:
            label.append("  ↑ continues above", style="dim italic")
            node.add(label)
            continue
        shown.add(step["id"])
        branch = node.add(label)
        below, level = (node, depth + 1) if depth >= MAX_DEPTH else (branch, depth + 1)
        stack.extend((below, child, level) for child in reversed(children.get(step["id"], [])))
    step_refs = {n for step in steps for n in step["refs"]}
    return [tree, Text("[n]: references the review cites for the step; figures cite none.", style="dim"),
            references_block([r for r in result["references"] if r["number"] in step_refs])]


def _position(value: float | None, top: float) -> int:
    """`value`'s place on a BAR-wide axis from 0 to `top`, clamped to it."""
    if value is None or not math.isfinite(value):
        return 0
    return min(max(round(value / top * BAR), 0), BAR)


def _top(valued: list[dict], unit: str) -> float:
    """The axis' end: 100 for %, else half again the highest finite value (1 if none is above 0)."""
    if unit == "%":
        return 100.0
    values = [c["value"]["high"] if c["value"]["high"] is not None else c["value"]["low"] for c in valued]
    finite = [v for v in values if v is not None and math.isfinite(v) and v > 0]
    if not finite:
        return 1.0
    top = max(finite) * 1.5
    return top if math.isfinite(top) else max(finite)


def _bar(low: float | None, high: float | None, bound: str, top: float) -> str:
    if any(v is not None and not math.isfinite(v) for v in (low, high)):
        return " " * BAR  # nan or infinity: no place on the axis; the printed text says it
    start = min(_position(low, top), BAR - 1)
    end = BAR if bound == "at least" or high is None else max(start + 1, _position(high, top))
    tip = "▶" if bound == "at least" else ""
    return " " * start + "█" * (end - start - len(tip)) + tip + " " * (BAR - end)


def compare_chart(result: Result) -> list:
    parts: list = []
    mark, noted = note_mark(), []
    names = {tr["id"]: tr["name"] for tr in result["treatments"]}
    for row in result["rows"]:
        valued = [c for c in row["cells"] if c["value"]]
        if not valued:
            continue
        unit = valued[0]["value"]["unit"]
        top = _top(valued, unit)
        table = Table(box=box.SIMPLE, title=safe(f"{row['label']} ({unit})"), title_justify="left", show_header=False)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(no_wrap=True)
        table.add_column(overflow="fold")
        for cell in row["cells"]:
            if not cell["value"]:
                table.add_row(t(names[cell["treatment"]]), t(" " * BAR), t(NOT_REPORTED, "dim italic"))
                continue
            v = cell["value"]
            span = {"at least": lambda v=v: f"≥ {number(v['low'])}", "at most": lambda v=v: f"≤ {number(v['high'])}",
                    "range": lambda v=v: f"{number(v['low'])}–{number(v['high'])}"}[v["bound"]]()
            span += unit if unit == "%" else f" {unit}"
            shown = cited(f"{span}  ({cell['text']})", cell["refs"])
            if cell["notes"]:
                shown.append(mark, style="yellow")
                noted += [(f"{names[cell['treatment']]} · {row['label']}", n) for n in cell["notes"]]
            table.add_row(t(names[cell["treatment"]]), Text(_bar(v["low"], v["high"], v["bound"], top), style="cyan"),
                          shown)
        scale = f"0{' ' * (BAR - len(number(top)) - 1)}{number(top)}"
        table.add_row(t(""), t(scale, "dim"), t(""))
        parts.append(table)
    if not parts:
        parts.append(t("None of these cells holds a number the review prints.", "dim"))
    parts.append(Text("Bars span the ranges Table 1 prints; ▶ marks an open bound (\"upwards of\")"
                      + (f"; {mark} a cell the dataset has a note on (below)." if noted else "."), style="dim"))
    if noted:
        parts.append(Text(f"\nNotes on the cells ({mark})", style="bold"))
        for where, note in noted:
            line = Text(f"{mark} {safe(where)}: ", style="bold")
            line.append(safe(note), style="italic")
            parts.append(line)
    shown_refs = {n for row in result["rows"] for c in row["cells"] if c["value"] for n in c["refs"]}
    if shown_refs:
        parts += [Text(""), references_block([r for r in result["references"] if r["number"] in shown_refs])]
    return parts


def evidence_map(result: Result) -> list:
    kinds = [k for k in result["evidence_kinds"]
             if any(c["claims"] for row in result["rows"] for c in row["cells"] if c["evidence"] == k)]
    table = Table(box=box.SIMPLE_HEAVY, title="Evidence map: claims by mechanism and kind of evidence")
    table.add_column("Mechanism", overflow="fold")
    for kind in kinds:
        table.add_column(kind, justify="center", overflow="fold")
    for row in result["rows"]:
        cells = {c["evidence"]: c for c in row["cells"]}
        rendered = []
        for kind in kinds:
            c = cells[kind]
            text = Text()
            if c["supports"]:
                text.append(f"{c['supports']}+", style="green")
            if c["contradicts"]:
                text.append((" " if text else "") + f"{c['contradicts']}-", style="red")
            if c["mixed"]:
                text.append((" " if text else "") + f"{c['mixed']}±", style="yellow")
            if c["context"]:
                text.append((" " if text else "") + f"{c['context']}·", style="dim")
            rendered.append(text if text else Text("", style="dim"))
        table.add_row(t(row["name"]), *rendered)
    return [table, Text("n+ supporting, n- contradicting, n± mixed, n· context claims.", style="dim")]


__all__ = ["pathway", "compare_chart", "evidence_map", "markers"]
