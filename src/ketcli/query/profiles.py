"""Queries over whole treatments and the review itself: treatment profiles, side
effects, the timeline, what the dataset holds, and validation. Pure, like queries.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ketcli.errors import NotFound
from ketcli.data.names import resolve
from ketcli.query.compare import compare, treatment_summary
from ketcli.query.envelope import _envelope, _references
from ketcli.query.queries import claims_of_mechanism, _counts, references_of_treatment

if TYPE_CHECKING:
    from ketcli.query.results import AboutResult, SideEffectsResult, TimelineResult, TreatmentListResult, TreatmentResult
    from ketcli.data.dataset import Data
    from ketcli.data.records import Treatment

TOPIC_ORDER = (
    "classification", "history", "mechanism", "efficacy", "onset", "duration", "side effects",
    "tolerability", "abuse", "withdrawal", "dosing", "accessibility", "cost", "conclusion",
)


def treatment_list(data: Data) -> TreatmentListResult:
    rows = [
        {**treatment_summary(t), "parent": t["parent"], "in_table1": t["in_table1"], "aliases": t["aliases"],
         "summary": t["summary"]}
        for t in data["treatments"]
    ]
    return cast("TreatmentListResult", {**_envelope(data, "treatment"), "treatments": rows})


def treatment(data: Data, name: str, topic: str | None = None) -> TreatmentResult:
    """A treatment's profile; `topic` keeps only its claims on that topic."""
    from ketcli.data.vocab import TOPICS
    from ketcli.errors import UsageError

    if topic is not None and topic not in TOPICS:
        raise UsageError(f"no topic {topic!r}", hint="topics: " + ", ".join(TOPICS))
    t = resolve(data["treatments"], name, "treatment")
    tid = t["id"]
    table = compare(data, [tid])
    cells: list[dict[str, Any]] = [{"dimension": row["dimension"], "label": row["label"], **row["cells"][0]} for row in table["rows"]]
    for cell in cells:
        cell["nearest"] = [] if cell["source"] else nearest(data, t, cell["dimension"])
    mechanisms = [
        {"id": m["id"], "name": m["name"], "status": m["status"], "counts": _counts(claims_of_mechanism(data, m["id"]))}
        for m in data["mechanisms"] if m["treatment"] == tid
    ]
    claims = [c for c in data["claims"] if tid in c["treatments"] and topic in (None, c["topic"])]
    claims.sort(key=lambda c: TOPIC_ORDER.index(c["topic"]) if c["topic"] in TOPIC_ORDER else len(TOPIC_ORDER))
    return cast("TreatmentResult", {
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
        "references": _references(data, references_of_treatment(data, tid)
                                  + [n for c in cells for near in c["nearest"] for n in near["refs"]]),
    })


# Table 1's dimensions and the claim topics that speak to them.
DIMENSION_TOPICS = {
    "onset": ("onset",), "response_rate": ("efficacy",), "duration": ("duration",),
    "tolerability": ("side effects", "tolerability"), "accessibility": ("accessibility", "cost"),
}


def nearest(data: Data, t: Treatment, dimension: str) -> list[dict[str, Any]]:
    """What the review says nearest to a Table 1 dimension it gives `t` no cell for: the
    treatment's own claims on that topic; else its parent's claims on it that name the
    treatment's route ("intranasal" for a nasal spray), and the parent's Table 1 cell."""
    topics = DIMENSION_TOPICS[dimension]
    own = [c for c in data["claims"] if t["id"] in c["treatments"] and c["topic"] in topics]
    if own:
        return [{"about": t["id"], "text": c["text"], "source": c["section"], "refs": c["refs"]} for c in own]
    parent = data.treatments.get(t["parent"]) if t["parent"] else None
    if parent is None:
        return []
    route = {w for a in t["attributes"] if a["name"] == "route" for w in a["value"].lower().split() if len(w) >= 4}
    out = [{"about": parent["id"], "text": c["text"], "source": c["section"], "refs": c["refs"]}
           for c in data["claims"] if parent["id"] in c["treatments"] and c["topic"] in topics
           and route and any(w in c["text"].lower() for w in route)]
    cell = compare(data, [parent["id"]])["rows"]
    parent_cell = next(r["cells"][0] for r in cell if r["dimension"] == dimension)
    if parent_cell["source"]:
        out.append({"about": parent["id"], "text": parent_cell["text"], "source": "Table 1", "refs": parent_cell["refs"]})
    return out


def side_effects(data: Data, names: list[str] | str | None) -> SideEffectsResult:
    """Side effects of the named treatments (all when none), in the order named."""
    if isinstance(names, str):
        names = [names]
    chosen = list({t["id"]: t for t in (resolve(data["treatments"], n, "treatment") for n in names or [])}.values())
    if chosen:
        effects = []
        for t in chosen:
            own = [s for s in data["side_effects"] if s["treatment"] == t["id"]]
            if not own and len(chosen) == 1:
                raise NotFound(f"the review reports no side effects for {t['name']}",
                               hint=f"what it says about {t['name']}: ketcli treatment {t['id']}")
            effects += own
    else:
        effects = list(data["side_effects"])
    shown = dict.fromkeys(s["treatment"] for s in effects)
    studies = {s["study"] for s in effects if s["study"]}
    return cast("SideEffectsResult", {
        **_envelope(data, "side-effects"),
        "treatments": [treatment_summary(data.treatments[tid]) for tid in shown if tid in data.treatments],
        "side_effects": effects,
        "studies": [t for t in data["trials"] if t["id"] in studies],
        "references": _references(data, [n for s in effects for n in s["refs"]]),
    })


def timeline(data: Data) -> TimelineResult:
    events = sorted(data["events"], key=lambda e: (e["year"], e["end_year"] or e["year"]))
    return cast("TimelineResult", {**_envelope(data, "timeline"), "events": events,
            "references": _references(data, [n for e in events for n in e["refs"]])})


def quote_counts(data: Data) -> dict[str, Any]:
    """How many claims carry a quote, and how many of those the review's text holds exactly
    where their locator says (the one query that reads the source text, besides --quotes)."""
    from ketcli.data import quotes

    return quotes.counts(data.raw, quotes.shipped())


def about(data: Data) -> AboutResult:
    from ketcli import __version__
    from ketcli.data.dataset import COLLECTIONS
    from ketcli.query.search import describe

    return cast("AboutResult", {
        **_envelope(data, "about"),
        "review": data.source,
        "dataset": {
            "path": str(data.path),
            "dataset_version": data.raw["dataset_version"],
            "extends": data.raw.get("extends"),
            "sha256": data.sha256,
            "counts": {name: len(data[name]) for name in COLLECTIONS},
            "quotes": quote_counts(data),
        },
        "ketcli_version": __version__,
        "search": describe(data),
    })
