"""What is better seen than read: the pathway tree, Table 1's ranges, the evidence map."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ketcli.render.terminal.streams import safe
from ketcli.render.terminal.plain_views import NOT_REPORTED, markers, number
from ketcli.render.terminal.rich_views import cited, references_block, t

BAR = 40


def pathway(result: dict) -> list:
    m = result["mechanism"]
    steps = m["pathway"]
    children: dict[str | None, list[dict]] = {}
    for step in steps:
        for before in step["after"] or [None]:
            children.setdefault(before, []).append(step)
    tree = Tree(Text(safe(m["name"]), style="bold"), guide_style="dim")
    shown: set[str] = set()

    def grow(node: Tree, step: dict) -> None:
        label = cited(step["label"], step["refs"])
        if not step["refs"]:
            label.append(f" ({safe(step['source'])})", style="dim")
        if step["id"] in shown:
            label.append("  ↑ continues above", style="dim italic")
            node.add(label)
            return
        shown.add(step["id"])
        branch = node.add(label)
        for child in children.get(step["id"], []):
            grow(branch, child)

    for root in children.get(None, []):
        grow(tree, root)
    step_refs = {n for step in steps for n in step["refs"]}
    return [tree, Text("[n]: references the review cites for the step; figures cite none.", style="dim"),
            references_block([r for r in result["references"] if r["number"] in step_refs])]


def _bar(low: float | None, high: float | None, bound: str, top: float) -> str:
    start = round((low or 0) / top * BAR)
    end = BAR if bound == "at least" else max(start + 1, round(high / top * BAR))
    tip = "▶" if bound == "at least" else ""
    return " " * start + "█" * (end - start - len(tip)) + tip + " " * (BAR - end)


def compare_chart(result: dict) -> list:
    parts: list = []
    names = {tr["id"]: tr["name"] for tr in result["treatments"]}
    for row in result["rows"]:
        valued = [c for c in row["cells"] if c["value"]]
        if not valued:
            continue
        unit = valued[0]["value"]["unit"]
        top = 100.0 if unit == "%" else max(c["value"]["high"] or c["value"]["low"] for c in valued) * 1.5
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
            table.add_row(t(names[cell["treatment"]]), Text(_bar(v["low"], v["high"], v["bound"], top), style="cyan"),
                          cited(f"{span}  ({cell['text']})", cell["refs"]))
        scale = f"0{' ' * (BAR - len(number(top)) - 1)}{number(top)}"
        table.add_row(t(""), t(scale, "dim"), t(""))
        parts.append(table)
    if not parts:
        parts.append(t("None of these cells holds a number the review prints.", "dim"))
    parts.append(Text("Bars span the ranges Table 1 prints; ▶ marks an open bound (\"upwards of\").", style="dim"))
    return parts


def evidence_map(result: dict) -> list:
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
        table.add_row(t(f"{row['name']} ({row['mechanism']})"), *rendered)
    return [table, Text("n+ supporting, n- contradicting, n± mixed, n· context claims.", style="dim")]


__all__ = ["pathway", "compare_chart", "evidence_map", "markers"]
