"""The views of each command: how a result becomes records and flat columns.

A command's result is one JSON document; its `View` says how the same result becomes a
list of records (jsonl: one object per line) and a flat table (csv, markdown: the same
columns on every row), and which terminal renderer draws it (render/terminal/draw.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class View(NamedTuple):
    table: str
    """The terminal renderer, "module.function" in ketcli.render.terminal: rich renderables
    (rich_views, pictures) or, lighter, layout items (plain_views)."""
    records: Callable[[dict], list[dict]]
    """The result's list of records (one per jsonl line, csv row, markdown row)."""
    columns: tuple[str, ...]
    """Flat columns for csv and markdown; "a.b" reads a nested field."""
    heading: Callable[[dict], str] | None = None
    """What the result is about, for the stacked layout of narrow terminals."""


def _compare_records(result: dict) -> list[dict]:
    return [
        {"dimension": row["dimension"], "label": row["label"], **cell}
        for row in result["rows"]
        for cell in row["cells"]
    ]


def _cells_of_profile(result: dict) -> list[dict]:
    return result["claims"]


def _with_quotes(view: View, table: str) -> View:
    """The same records, drawn with each record's exact words (`--quotes`)."""
    return view._replace(table=table, columns=(*view.columns, "quote", "locator"))


def _sof_records(result: dict) -> list[dict]:
    return [{"trial": t["id"], "trial_name": t["name"], "refs": t["refs"], **row}
            for t in result["trials"] for row in t["rows"]]


VIEWS: dict[str, View] = {
    "compare": View(
        "plain_views.compare", _compare_records,
        ("dimension", "treatment", "text", "refs", "source", "value.low", "value.high", "value.unit", "value.bound",
         "notes"),
    ),
    "compare_chart": View(
        "pictures.compare_chart", _compare_records,
        ("dimension", "treatment", "text", "refs", "source", "value.low", "value.high", "value.unit", "value.bound",
         "notes"),
    ),
    "mechanism_list": View(
        "rich_views.mechanism_list", lambda r: r["mechanisms"],
        ("id", "name", "scope", "treatment", "status", "evidence_basis", "counts.claims",
         "counts.supports", "counts.contradicts", "counts.mixed", "counts.context"),
    ),
    "evidence_map": View(
        "pictures.evidence_map",
        lambda r: [{"mechanism": row["mechanism"], **cell} for row in r["rows"] for cell in row["cells"]],
        ("mechanism", "evidence", "claims", "supports", "contradicts", "mixed", "context"),
    ),
    "mechanism": View(
        "rich_views.mechanism", lambda r: r["claims"],
        ("id", "text", "stance", "evidence", "refs", "section", "topic", "mechanisms", "treatments", "entities"),
        heading=lambda r: (r["mechanism"] or r["entity"])["name"],
    ),
    "pathway": View(
        "pictures.pathway", lambda r: r["mechanism"]["pathway"],
        ("id", "label", "after", "refs", "source"),
        heading=lambda r: r["mechanism"]["name"],
    ),
    "cite": View(
        "rich_views.cite", lambda r: r["references"],
        ("number", "key", "authors", "et_al", "title", "journal", "year", "volume", "pages", "doi"),
    ),
    "usage": View(
        "rich_views.usage",
        lambda r: [{"reference": u["reference"]["number"], **use} for u in r["usage"] for use in u["uses"]],
        ("reference", "kind", "id", "text", "section", "refs"),
    ),
    "treatment_list": View(
        "rich_views.treatment_list", lambda r: r["treatments"],
        ("id", "name", "full_name", "kind", "parent", "in_table1", "aliases", "summary"),
    ),
    "treatment": View(
        "rich_views.treatment", _cells_of_profile,
        ("id", "text", "topic", "stance", "evidence", "refs", "section"),
        heading=lambda r: r["treatment"]["name"],
    ),
    "treatment_claims": View(
        "rich_views.treatment_claims", _cells_of_profile,
        ("id", "text", "topic", "stance", "evidence", "refs", "section"),
        heading=lambda r: r["treatment"]["name"],
    ),
    "side_effects": View(
        "rich_views.side_effects", lambda r: r["side_effects"],
        ("id", "treatment", "effect", "frequency", "quantity.value", "quantity.unit", "quantity.n",
         "time_course", "study", "refs", "section", "notes"),
    ),
    "timeline": View(
        "rich_views.timeline", lambda r: r["events"],
        ("id", "year", "end_year", "when", "label", "treatments", "refs", "section"),
    ),
    "search": View(
        "rich_views.search", lambda r: r["hits"],
        ("kind", "id", "text", "section", "refs", "notes", "score"),
    ),
    "about": View(
        "plain_views.about",
        lambda r: [{"collection": k, "count": v} for k, v in r["dataset"]["counts"].items()],
        ("collection", "count"),
    ),
    "validate": View(
        "rich_views.validate", lambda r: [{"problem": p} for p in r["problems"]],
        ("problem",),
    ),
    "sof": View(
        "plain_views.sof", _sof_records,
        ("trial", "trial_name", "outcome", "result", "participants", "studies", "certainty", "comments", "refs"),
    ),
    "sof_gaps": View(
        "plain_views.sof_gaps", lambda r: r["gaps"], ("trial", "missing"),
    ),
}
VIEWS["mechanism_quotes"] = _with_quotes(VIEWS["mechanism"], "rich_views.mechanism_quotes")
VIEWS["treatment_claims_quotes"] = _with_quotes(VIEWS["treatment_claims"], "rich_views.treatment_claims_quotes")
VIEWS["search_quotes"] = _with_quotes(VIEWS["search"], "rich_views.search_quotes")
