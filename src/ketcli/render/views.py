"""The views of each command: how a result becomes records and flat columns.

A command's result is one JSON document; its `View` says how the same result becomes a
list of records (jsonl: one object per line) and a flat table (csv, markdown: the same
columns on every row), and which terminal renderer draws it (render/terminal/draw.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ketcli.query.results import Result


class Drawing(NamedTuple):
    """How a terminal draws a view. Its functions import their renderers when called, so a
    view costs nothing until it is drawn."""

    parts: Callable[[Result], list]
    """The result as layout items (plain: render/terminal/layout.py, no rich console: the
    cheap start-up path) or as rich renderables (rich)."""
    plain: bool
    """True: layout items; False: rich renderables. Either way a table that is too wide is
    drawn as blocks by layout.stack (render/terminal/draw.py decides when)."""


def _plain_views():  # the module, imported when a view is drawn
    from ketcli.render.terminal import plain_views

    return plain_views


def _rich_views():
    from ketcli.render.terminal import rich_views  # rich loads only here

    return rich_views


def _pictures():
    from ketcli.render.terminal import pictures

    return pictures


class View(NamedTuple):
    drawing: Drawing
    """How the terminal draws it (render/terminal/draw.py)."""
    records: Callable[[Result], list[dict]]
    """The result's list of records (one per jsonl line, csv row, markdown row)."""
    columns: tuple[str, ...]
    """Flat columns for csv and markdown; "a.b" reads a nested field."""


def _compare_records(result: Result) -> list[dict]:
    return [
        {"dimension": row["dimension"], "label": row["label"], **cell}
        for row in result["rows"]
        for cell in row["cells"]
    ]


def _cells_of_profile(result: Result) -> list[dict]:
    return result["claims"]


def _with_quotes(view: View, drawing: Drawing) -> View:
    """The same records, drawn with each record's exact words (`--quotes`)."""
    return view._replace(drawing=drawing, columns=(*view.columns, "quote", "locator"))


def _sof_records(result: Result) -> list[dict]:
    return [{"trial": t["id"], "trial_name": t["name"], "refs": t["refs"], **row}
            for t in result["trials"] for row in t["rows"]]


VIEWS: dict[str, View] = {
    "compare": View(
        Drawing(lambda r: _plain_views().compare(r), True), _compare_records,
        ("dimension", "treatment", "text", "refs", "source", "value.low", "value.high", "value.unit", "value.bound",
         "notes"),
    ),
    "compare_chart": View(
        Drawing(lambda r: _pictures().compare_chart(r), False), _compare_records,
        ("dimension", "treatment", "text", "refs", "source", "value.low", "value.high", "value.unit", "value.bound",
         "notes"),
    ),
    "mechanism_list": View(
        Drawing(lambda r: _rich_views().mechanism_list(r), False), lambda r: r["mechanisms"],
        ("id", "name", "scope", "treatment", "status", "evidence_basis", "counts.claims",
         "counts.supports", "counts.contradicts", "counts.mixed", "counts.context"),
    ),
    "evidence_map": View(
        Drawing(lambda r: _pictures().evidence_map(r), False),
        lambda r: [{"mechanism": row["mechanism"], **cell} for row in r["rows"] for cell in row["cells"]],
        ("mechanism", "evidence", "claims", "supports", "contradicts", "mixed", "context"),
    ),
    "mechanism": View(
        Drawing(lambda r: _rich_views().mechanism(r), False), lambda r: r["claims"],
        ("id", "text", "stance", "evidence", "refs", "section", "topic", "mechanisms", "treatments", "entities")
    ),
    "pathway": View(
        Drawing(lambda r: _pictures().pathway(r), False), lambda r: r["mechanism"]["pathway"],
        ("id", "label", "after", "refs", "source")
    ),
    "cite": View(
        Drawing(lambda r: _rich_views().cite(r), False), lambda r: r["references"],
        ("number", "key", "authors", "et_al", "title", "journal", "year", "volume", "pages", "doi"),
    ),
    "usage": View(
        Drawing(lambda r: _rich_views().usage(r), False),
        lambda r: [{"reference": u["reference"]["number"], **use} for u in r["usage"] for use in u["uses"]],
        ("reference", "kind", "id", "text", "section", "refs"),
    ),
    "treatment_list": View(
        Drawing(lambda r: _rich_views().treatment_list(r), False), lambda r: r["treatments"],
        ("id", "name", "full_name", "kind", "parent", "in_table1", "aliases", "summary"),
    ),
    "treatment": View(
        Drawing(lambda r: _rich_views().treatment(r), False), _cells_of_profile,
        ("id", "text", "topic", "stance", "evidence", "refs", "section")
    ),
    "treatment_claims": View(
        Drawing(lambda r: _rich_views().treatment_claims(r), False), _cells_of_profile,
        ("id", "text", "topic", "stance", "evidence", "refs", "section")
    ),
    "side_effects": View(
        Drawing(lambda r: _rich_views().side_effects(r), False), lambda r: r["side_effects"],
        ("id", "treatment", "effect", "frequency", "quantity.value", "quantity.unit", "quantity.n",
         "time_course", "study", "refs", "section", "notes"),
    ),
    "timeline": View(
        Drawing(lambda r: _rich_views().timeline(r), False), lambda r: r["events"],
        ("id", "year", "end_year", "when", "label", "treatments", "refs", "section"),
    ),
    "search": View(
        Drawing(lambda r: _rich_views().search(r), False), lambda r: r["hits"],
        ("kind", "id", "text", "section", "refs", "notes", "score"),
    ),
    "about": View(
        Drawing(lambda r: _plain_views().about(r), True),
        lambda r: [{"collection": k, "count": v} for k, v in r["dataset"]["counts"].items()],
        ("collection", "count"),
    ),
    "validate": View(
        Drawing(lambda r: _rich_views().validate(r), False), lambda r: [{"problem": p} for p in r["problems"]],
        ("problem",),
    ),
    "sof": View(
        Drawing(lambda r: _plain_views().sof(r), True), _sof_records,
        ("trial", "trial_name", "outcome", "result", "participants", "studies", "certainty", "comments", "refs"),
    ),
    "sof_gaps": View(
        Drawing(lambda r: _plain_views().sof_gaps(r), True), lambda r: r["gaps"], ("trial", "missing"),
    ),
}
VIEWS["mechanism_quotes"] = _with_quotes(VIEWS["mechanism"], Drawing(lambda r: _rich_views().mechanism_quotes(r), False))
VIEWS["treatment_claims_quotes"] = _with_quotes(VIEWS["treatment_claims"], Drawing(lambda r: _rich_views().treatment_claims_quotes(r), False))
VIEWS["search_quotes"] = _with_quotes(VIEWS["search"], Drawing(lambda r: _rich_views().search_quotes(r), False))
