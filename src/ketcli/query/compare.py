"""`ketcli compare`: the review's Table 1 for the chosen treatments, each cell with the
sentences that support it, and the head-to-head trials. Its own module, apart from
queries.py: the command people run most imports only this and envelope.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from ketcli.data.names import resolve
from ketcli.data.vocab import DIMENSIONS, NOT_REPORTED
from ketcli.query.envelope import _envelope, _references

if TYPE_CHECKING:
    from ketcli.data.dataset import Data
    from ketcli.data.records import TableCell, Treatment
    from ketcli.query.results import CompareResult, Support, TreatmentSummary


def _support(data: Data, claim_ids: list[str]) -> list[Support]:
    claims = [data.claims[i] for i in claim_ids]
    return [{"claim": c["id"], "text": c["text"], "section": c["section"], "refs": c["refs"],
             "quote": c["quote"], "locator": c["locator"]} for c in claims]


def treatment_summary(t: Mapping[str, Any]) -> TreatmentSummary:
    return {"id": t["id"], "name": t["name"], "full_name": t["full_name"], "kind": t["kind"]}


def compare(data: Data, names: list[str]) -> CompareResult:
    chosen: list[Treatment]
    if names:
        chosen = [resolve(data["treatments"], n, "treatment") for n in names]
        chosen = list({t["id"]: t for t in chosen}.values())
    else:
        chosen = [t for t in data["treatments"] if t["in_table1"]]
    ids = [t["id"] for t in chosen]
    cells: dict[tuple[str, str], TableCell] = {(c["treatment"], c["dimension"]): c for c in data["table1"]}
    rows, cited = [], []
    for dimension, label in DIMENSIONS.items():
        row: list[dict[str, Any]] = []
        for tid in ids:
            cell = cells.get((tid, dimension))
            if cell is None:
                row.append({"treatment": tid, "text": NOT_REPORTED, "value": None, "source": None,
                            "refs": [], "support": [], "notes": [], "curation_notes": [], "quote": [], "locator": []})
                continue
            support = _support(data, cell["supported_by"])
            refs = sorted({n for s in support for n in s["refs"]})
            cited += refs
            row.append({"treatment": tid, "text": cell["text"], "value": cell["value"], "source": "Table 1",
                        "refs": refs, "support": support, "notes": cell["notes"], "curation_notes": cell["curation_notes"],
                        "quote": cell["quote"], "locator": cell["locator"]})
        rows.append({"dimension": dimension, "label": label, "cells": row})
    trials = [
        t for t in data["trials"]
        if t["head_to_head"] and len(set(t["treatments"]) & set(ids)) >= 2
    ] if len(ids) > 1 else []
    for t in trials:
        cited += t["refs"]
    return cast("CompareResult", {
        **_envelope(data, "compare"),
        "treatments": [treatment_summary(t) for t in chosen],
        "rows": rows,
        "trials": trials,
        "references": _references(data, cited),
    })
