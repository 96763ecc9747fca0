"""Queries over whole treatments and the review itself: treatment profiles, side
effects, the timeline, what the dataset holds, and validation. Pure, like queries.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketcli.errors import NotFound
from ketcli.data.names import resolve
from ketcli.query.queries import (
    _envelope, _references, claims_of_mechanism, _counts, compare, references_of_treatment,
    treatment_summary,
)

if TYPE_CHECKING:
    from ketcli.data.dataset import Data

TOPIC_ORDER = (
    "classification", "history", "mechanism", "efficacy", "onset", "duration", "side effects",
    "tolerability", "abuse", "withdrawal", "dosing", "accessibility", "cost", "conclusion",
)


def treatment_list(data: Data) -> dict:
    rows = [
        {**treatment_summary(t), "parent": t["parent"], "in_table1": t["in_table1"], "aliases": t["aliases"],
         "summary": t["summary"]}
        for t in data["treatments"]
    ]
    return {**_envelope(data, "treatment"), "treatments": rows}


def treatment(data: Data, name: str) -> dict:
    t = resolve(data["treatments"], name, "treatment")
    tid = t["id"]
    table = compare(data, [tid])
    cells = [{"dimension": row["dimension"], "label": row["label"], **row["cells"][0]} for row in table["rows"]]
    mechanisms = [
        {"id": m["id"], "name": m["name"], "status": m["status"], "counts": _counts(claims_of_mechanism(data, m["id"]))}
        for m in data["mechanisms"] if m["treatment"] == tid
    ]
    claims = [c for c in data["claims"] if tid in c["treatments"]]
    claims.sort(key=lambda c: TOPIC_ORDER.index(c["topic"]) if c["topic"] in TOPIC_ORDER else len(TOPIC_ORDER))
    return {
        **_envelope(data, "treatment"),
        "treatment": t,
        "parent": treatment_summary(data.treatments[t["parent"]]) if t["parent"] else None,
        "members": [treatment_summary(o) for o in data["treatments"] if o["parent"] == tid],
        "table1": cells,
        "mechanisms": mechanisms,
        "side_effects": [s for s in data["side_effects"] if s["treatment"] == tid],
        "trials": [tr for tr in data["trials"] if tid in tr["treatments"]],
        "events": [e for e in data["events"] if tid in e["treatments"]],
        "claims": claims,
        "references": _references(data, references_of_treatment(data, tid)),
    }


def side_effects(data: Data, name: str | None) -> dict:
    if name:
        tid = resolve(data["treatments"], name, "treatment")["id"]
        effects = [s for s in data["side_effects"] if s["treatment"] == tid]
        if not effects:
            raise NotFound(f"the review reports no side effects for {data.treatments[tid]['name']}")
    else:
        effects = list(data["side_effects"])
    studies = {s["study"] for s in effects if s["study"]}
    return {
        **_envelope(data, "side-effects"),
        "side_effects": effects,
        "studies": [t for t in data["trials"] if t["id"] in studies],
        "references": _references(data, [n for s in effects for n in s["refs"]]),
    }


def timeline(data: Data) -> dict:
    events = sorted(data["events"], key=lambda e: (e["year"], e["end_year"] or e["year"]))
    return {**_envelope(data, "timeline"), "events": events,
            "references": _references(data, [n for e in events for n in e["refs"]])}


def quote_counts(data: Data) -> dict:
    """How many claims carry a quote, and how many of those the review's text holds exactly
    where their locator says (the one query that reads the source text, besides --quotes)."""
    from ketcli.data import quotes

    return quotes.counts(data.raw, quotes.shipped())


def about(data: Data) -> dict:
    import hashlib

    from ketcli import __version__
    from ketcli.data.dataset import COLLECTIONS

    return {
        **_envelope(data, "about"),
        "review": data.source,
        "dataset": {
            "path": str(data.path),
            "dataset_version": data.raw["dataset_version"],
            "extends": data.raw.get("extends"),
            "sha256": hashlib.sha256(data.path.read_bytes()).hexdigest(),
            "counts": {name: len(data[name]) for name in COLLECTIONS},
            "quotes": quote_counts(data),
        },
        "ketcli_version": __version__,
    }
