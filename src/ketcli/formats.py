"""Output formats, once for every query command.

A command's result is one JSON document; `View` says how the same result becomes a
list of records (jsonl: one object per line) and a flat table (csv, markdown: the same
columns on every row), and which rich renderer in tables.py draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple



from .format_names import CiteFormat, Format, PathwayFormat, choose  # noqa: F401  (re-exported)


class View(NamedTuple):
    table: str
    """The renderer, "module.function" in this package: rich renderables (tables, pictures)
    or, lighter, layout items (blocks)."""
    records: Callable[[dict], list[dict]]
    """The result's list of records (one per jsonl line, csv row, markdown row)."""
    columns: tuple[str, ...]
    """Flat columns for csv and markdown; "a.b" reads a nested field."""
    heading: Callable[[dict], str] | None = None
    """What the result is about, for the stacked layout of narrow terminals."""


def _field(record: dict, path: str):
    value = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def cell_text(value) -> str:
    import json

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "; ".join(cell_text(v) if not isinstance(v, dict) else json.dumps(v, ensure_ascii=False) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def flat_rows(view: View, result: dict) -> list[list[str]]:
    return [[cell_text(_field(r, c)) for c in view.columns] for r in view.records(result)]


def to_jsonl(view: View, result: dict) -> str:
    import json

    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in view.records(result))


def to_csv(view: View, result: dict) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(view.columns)
    writer.writerows(flat_rows(view, result))
    return out.getvalue()


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def to_markdown(view: View, result: dict) -> str:
    lines = ["| " + " | ".join(view.columns) + " |", "|" + "---|" * len(view.columns)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in flat_rows(view, result)]
    return "\n".join(lines) + "\n"


def to_stacked(view: View, result: dict, width: int) -> str:
    """The records as "column: value" lines, for terminals too narrow for a table."""
    from .layout import wrap_plain
    from .output import safe

    width = max(width, 12)
    blocks = []
    if view.heading is not None:
        blocks.append("\n".join(wrap_plain(safe(view.heading(result)), width)))
    for row in flat_rows(view, result):
        lines = []
        for column, value in zip(view.columns, row):
            if value:
                lines += wrap_plain(safe(f"{column}: {value}"), width, "  ")
        blocks.append("\n".join(lines))
    # What a table would show beside the records: the trials and the references.
    for trial in result.get("trials") or []:
        text = f"trial: {trial['name']} [{','.join(map(str, trial['refs']))}]: {trial['finding']}"
        blocks.append("\n".join(wrap_plain(safe(text), width, "  ")))
    if result.get("references"):
        from .citations import format_vancouver

        refs = [f"[{r['number']}] {format_vancouver(r)}" for r in result["references"]]
        blocks.append("\n".join(line for ref in refs for line in wrap_plain(safe(ref), width, "  ")))
    return "\n\n".join(blocks) + "\n"


TEXT_FORMATS = {"jsonl": to_jsonl, "csv": to_csv, "markdown": to_markdown}


# --- the views of each command -------------------------------------------------


def _compare_records(result: dict) -> list[dict]:
    return [
        {"dimension": row["dimension"], "label": row["label"], **cell}
        for row in result["rows"]
        for cell in row["cells"]
    ]


def _cells_of_profile(result: dict) -> list[dict]:
    return result["claims"]


VIEWS: dict[str, View] = {
    "compare": View(
        "blocks.compare", _compare_records,
        ("dimension", "treatment", "text", "refs", "source", "value.low", "value.high", "value.unit", "value.bound"),
    ),
    "compare_chart": View(
        "pictures.compare_chart", _compare_records,
        ("dimension", "treatment", "text", "refs", "source", "value.low", "value.high", "value.unit", "value.bound"),
    ),
    "mechanism_list": View(
        "tables.mechanism_list", lambda r: r["mechanisms"],
        ("id", "name", "scope", "treatment", "status", "evidence_basis", "counts.claims",
         "counts.supports", "counts.contradicts", "counts.mixed", "counts.context"),
    ),
    "evidence_map": View(
        "pictures.evidence_map",
        lambda r: [{"mechanism": row["mechanism"], **cell} for row in r["rows"] for cell in row["cells"]],
        ("mechanism", "evidence", "claims", "supports", "contradicts", "mixed", "context"),
    ),
    "mechanism": View(
        "tables.mechanism", lambda r: r["claims"],
        ("id", "text", "stance", "evidence", "refs", "section", "topic", "mechanisms", "treatments", "entities"),
        heading=lambda r: (r["mechanism"] or r["entity"])["name"],
    ),
    "pathway": View(
        "pictures.pathway", lambda r: r["mechanism"]["pathway"],
        ("id", "label", "after", "refs", "source"),
        heading=lambda r: r["mechanism"]["name"],
    ),
    "cite": View(
        "tables.cite", lambda r: r["references"],
        ("number", "key", "authors", "et_al", "title", "journal", "year", "volume", "pages", "doi"),
    ),
    "usage": View(
        "tables.usage",
        lambda r: [{"reference": u["reference"]["number"], **use} for u in r["usage"] for use in u["uses"]],
        ("reference", "kind", "id", "text", "section", "refs"),
    ),
    "treatment_list": View(
        "tables.treatment_list", lambda r: r["treatments"],
        ("id", "name", "full_name", "kind", "parent", "in_table1", "aliases", "summary"),
    ),
    "treatment": View(
        "tables.treatment", _cells_of_profile,
        ("id", "text", "topic", "stance", "evidence", "refs", "section"),
        heading=lambda r: r["treatment"]["name"],
    ),
    "treatment_claims": View(
        "tables.treatment_claims", _cells_of_profile,
        ("id", "text", "topic", "stance", "evidence", "refs", "section"),
        heading=lambda r: r["treatment"]["name"],
    ),
    "side_effects": View(
        "tables.side_effects", lambda r: r["side_effects"],
        ("id", "treatment", "effect", "frequency", "quantity.value", "quantity.unit", "quantity.n",
         "time_course", "study", "refs", "section"),
    ),
    "timeline": View(
        "tables.timeline", lambda r: r["events"],
        ("id", "year", "end_year", "when", "label", "treatments", "refs", "section"),
    ),
    "search": View(
        "tables.search", lambda r: r["hits"],
        ("kind", "id", "text", "section", "refs", "score"),
    ),
    "about": View(
        "blocks.about",
        lambda r: [{"collection": k, "count": v} for k, v in r["dataset"]["counts"].items()],
        ("collection", "count"),
    ),
    "validate": View(
        "tables.validate", lambda r: [{"problem": p} for p in r["problems"]],
        ("problem",),
    ),
}
