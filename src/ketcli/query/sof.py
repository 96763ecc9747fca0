"""`ketcli sof`: the layout of a summary of findings, filled only with what the review prints.

One row per outcome a trial reports numbers for (its arms side by side), or one row with
the finding in the review's words where it prints none. Certainty is never rated: the
review is narrative and assessed none. Arithmetic on printed numbers (one arm minus the
other) is labelled "derived", gives its formula, and sits in the comments beside the
printed numbers, which it never replaces. A trial's outcome, setting and follow-up come from
the words of its quote before anything says NOT_REPORTED, and numbers that describe a study
(a dose, the trials a meta-analysis pools) stand apart from its outcomes; `gaps` lists what a
full summary of findings needs and the review does not print. Pure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ketcli.data.names import resolve
from ketcli.errors import NotFound
from ketcli.data.vocab import NOT_REPORTED
from ketcli.query.quantities import amount_text, number
from ketcli.query.trialtext import SETTING_UNSAID, follow_up_text, outcome_text, setting_text
from ketcli.query.envelope import _envelope, _references

if TYPE_CHECKING:
    from ketcli.query.results import SofResult
    from ketcli.data.dataset import Data
    from ketcli.data.records import Quantity, Trial

CERTAINTY = "not assessed in the source (narrative review)"


def _decimals(value: float) -> int:
    text = number(value)
    return len(text.split(".")[1]) if "." in text else 0


def _derived(arms: list[Quantity], printed: list[Quantity]) -> list[dict[str, Any]]:
    """One arm minus the other, for two arms of one outcome in %, checked against a
    printed difference in percentage points where the trial prints one."""
    if len(arms) != 2 or any(q["unit"] != "%" for q in arms):
        return []
    a, b = arms
    av, bv = a["value"], b["value"]
    if av is None or bv is None:
        return []
    places = max(_decimals(av), _decimals(bv))
    value = round(av - bv, places)
    formula = f"{number(av)} − {number(bv)} = {number(value)}"
    check = None
    for q in printed:
        if q["unit"] == "percentage points" and q["value"] is not None:
            agrees = round(q["value"], places) == value
            check = f"{'agrees with' if agrees else 'differs from'} the printed {number(q['value'])} {q['unit']}"
    text = (f"derived, not printed: {a['arm']} minus {b['arm']}, {formula} percentage points"
            + (f"; {check}" if check else ""))
    return [{"formula": formula, "value": value, "unit": "percentage points", "text": text, "checks": check}]


def _rows(trial: Trial) -> list[dict[str, Any]]:
    participants = f"{trial['n']}" if trial["n"] is not None else NOT_REPORTED
    studies = f"{trial['design']} [{','.join(map(str, trial['refs']))}]"
    common = {"participants": participants, "studies": studies, "certainty": CERTAINTY}
    if not trial["results"]:
        return [{
            "outcome": outcome_text(trial),
            "result": f"no numbers printed; the review's finding: {trial['finding']}",
            "quantities": [], "derived": [], **common, "comments": list(trial["notes"]),
        }]
    by_label: dict[str, list[Quantity]] = {}
    for q in trial["results"]:
        by_label.setdefault(q["label"], []).append(q)
    others = [q for q in trial["results"] if q["arm"] is None]
    rows = []
    for label, quantities in by_label.items():
        if all(q["arm"] for q in quantities):
            result = "; ".join(f"{q['arm']}: {amount_text(q)}" for q in quantities)
            derived = _derived(quantities, others)
        else:
            result = "; ".join(amount_text(q) for q in quantities)
            derived = []
        ns = {q["n"] for q in quantities}
        n = f"{ns.pop()}" if len(ns) == 1 and None not in ns else participants
        comments = [d["text"] for d in derived] + list(trial["notes"])
        rows.append({"outcome": label, "result": result, "quantities": quantities, "derived": derived,
                     **common, "participants": n, "comments": comments})
    return rows


def _gaps(trial: Trial, rows: list[dict[str, Any]]) -> list[str]:
    gaps = []
    if trial["n"] is None and all(r["participants"] == NOT_REPORTED for r in rows):
        gaps.append("number of participants")
    if trial["population"] is None:
        gaps.append("population")
    if trial["outcome_measure"] is None:
        gaps.append(f"outcome measure (the scale or instrument; the review names the outcome only: {trial['outcome']})"
                    if trial["outcome"] else "outcome measure")
    if not trial["results"]:
        gaps.append("any number for an outcome (rates, effect sizes, confidence intervals)")
    else:
        for row in rows:
            qs = row["quantities"]
            if len(qs) > 1 and all(q["arm"] for q in qs):
                gaps.append(f"{row['outcome']}: relative effect (risk ratio or odds ratio) with its confidence interval")
            if all(q["ci_low"] is None for q in qs):
                gaps.append(f"{row['outcome']}: confidence interval")
    gaps.append(f"setting beyond \"{trial['setting']}\" ({SETTING_UNSAID})" if trial["setting"]
                else "setting (country, inpatient or outpatient)")
    if not trial["follow_up"]:
        gaps.append("follow-up (when outcomes were measured)")
    gaps.append("certainty of the evidence and risk of bias")
    return gaps


def sof(data: Data, names: list[str]) -> SofResult:
    treatments = [resolve(data["treatments"], n, "treatment") for n in names]
    ids = list(dict.fromkeys(t["id"] for t in treatments))
    trials = [t for t in data["trials"] if all(i in t["treatments"] for i in ids)]
    if not trials:
        shown = " and ".join(data.treatments[i]["name"] for i in ids)
        raise NotFound(f"the review reports no trial or study of {shown}")
    entries, refs = [], []
    for trial in trials:
        rows = _rows(trial)
        refs += trial["refs"]
        entries.append({
            "id": trial["id"], "name": trial["name"], "design": trial["design"],
            "design_basis": trial["design_basis"], "refs": trial["refs"], "section": trial["section"],
            "treatments": trial["treatments"], "population": trial["population"] or NOT_REPORTED,
            "outcome_measure": trial["outcome_measure"] or NOT_REPORTED, "outcome": outcome_text(trial),
            "setting": setting_text(trial), "follow_up": follow_up_text(trial),
            "characteristics": [{"label": q["label"], "text": amount_text(q), "quantity": q}
                                for q in trial["characteristics"]], "rows": rows,
            "gaps": _gaps(trial, rows),
        })
    named = [data.treatments[i]["name"] for i in ids]
    review_methods = data.source.get("methods")
    methods = review_methods["bias_assessment"] if review_methods else None
    return cast("SofResult", {
        **_envelope(data, "sof"),
        "header": {
            "title": (f"{named[0]} compared with {', '.join(named[1:])}" if len(named) > 1
                      else named[0] if named else "every trial and study of the review"),
            "population": [f"{e['name']}: {e['population']}" for e in entries],
            "setting": [f"{e['name']}: {e['setting']}" for e in entries],
            "intervention": named[0] if named else "the treatments each trial studies",
            "comparison": ", ".join(named[1:]) if len(named) > 1 else "what each trial compares, as its design says",
            "certainty": CERTAINTY,
            "risk_of_bias": methods or NOT_REPORTED,
        },
        "trials": entries,
        "gaps": [{"trial": e["id"], "missing": g} for e in entries for g in e["gaps"]],
        "references": _references(data, refs),
    })
