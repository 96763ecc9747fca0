"""FHIR R5 Evidence and EvidenceVariable resources: one Evidence per printed result of a trial.

An arm's value, or a difference with its CI and p, each as the review prints it: the
number in `statistic.quantity`, the CI and p in `attributeEstimate`, the printed text in
the statistic's description; the population, the exposure (an arm, or the first of two
treatments compared) and the comparator (`referenceExposure`) as EvidenceVariables where
the review names them, and the outcome (`measuredVariable`). Each span of the review's
words is a `relatedArtifact` of type derived-from pointing at the review (its DOI), the span
in the EBM-on-FHIR quotation extension. Certainty: "not assessed in the source (narrative
review)", never rated. A number ketcli calculates (one arm minus the other, query/sof.py)
is an Evidence of its own, titled and described as calculated, derived from the two arm
Evidences, never put in place of a printed one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ketcli.render.fhir.citations import coding
from ketcli.render.fhir.values import Leftovers, markdown

QUOTATION = "http://hl7.org/fhir/uv/ebm/StructureDefinition/relates-to-with-quotation"
VARIABLE_ROLE = "http://terminology.hl7.org/CodeSystem/variable-role"
STATISTIC_TYPE = "http://terminology.hl7.org/CodeSystem/statistic-type"
ATTRIBUTE_ESTIMATE = "http://terminology.hl7.org/CodeSystem/attribute-estimate-type"
ROLES = {"population": "population", "exposure": "exposure", "referenceExposure": "reference exposure",
         "measuredVariable": "measured variable"}
CI = coding(ATTRIBUTE_ESTIMATE, "C53324", "Confidence interval")
P_VALUE = coding(ATTRIBUTE_ESTIMATE, "C44185", "P-value")
PROPORTION = coding(STATISTIC_TYPE, "C44256", "Proportion")
RISK_DIFFERENCE = coding(STATISTIC_TYPE, "0000424", "Risk Difference")
MEAN = coding(STATISTIC_TYPE, "C53319", "Mean")
COUNT = coding(STATISTIC_TYPE, "C25463", "Count")
P_TEXT = re.compile(r"^\s*(<=|>=|≤|≥|<|>|=)?\s*(\d+(?:\.\d+)?(?:[eE]-?\d+)?)\s*$")
COMPARATORS = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "≤": "<=", "≥": ">=", "=": None, None: None}
BOUND_COMPARATORS = {"at least": ">=", "at most": "<="}
STRICT_WORDS = {"over": ">", "more than": ">", "above": ">", "under": "<", "less than": "<", "below": "<"}
CERTAINTY = "not assessed in the source (narrative review)"
DATASET_NOTE = "ketcli dataset (curator's note, not the review's words)"


def statistic_type(q: Mapping[str, Any]) -> dict | None:
    """The R5 statistic type a printed number plainly is; None where the label does not say."""
    if q["unit"] == "percentage points":
        return RISK_DIFFERENCE
    if q["unit"] == "%":
        return PROPORTION
    if q["label"].lower().startswith("mean "):
        return MEAN
    if q["unit"] == "" and q["value"] is not None and float(q["value"]).is_integer():
        return COUNT
    return None


def _comparator(q: Mapping[str, Any]) -> str | None:
    qualifier = (q.get("qualifier") or "").lower().strip()
    return STRICT_WORDS.get(qualifier) or BOUND_COMPARATORS.get(q.get("bound") or "exact")


def _quantity(value, unit: str, left: Leftovers, where: str, comparator: str | None = None) -> dict:
    value = left.decimal(value, where)
    if value is None:
        return {}
    return {"value": value, "comparator": comparator, "unit": left.text(unit, "unit")}


def _p_value(p: str | None, left: Leftovers) -> dict:
    text = left.text(p, "p-value")
    if text is None:
        return {}
    found = P_TEXT.match(text)
    if not found:
        left.notes.append(f"p-value printed as {text[:40]!r}: no number a FHIR Quantity can carry; "
                          "it stands as printed in the statistic's description")
        return {}
    return {"type": P_VALUE, "quantity": _quantity(float(found.group(2)), "", left, "p-value",
                                                   COMPARATORS.get(found.group(1)))}


def statistic(q: Mapping[str, Any], printed: str, left: Leftovers) -> dict:
    estimates = []
    if q["ci_low"] is not None or q["ci_high"] is not None:
        level = left.decimal(q["ci_level"], "confidence level")
        estimates.append({
            "type": CI,
            "level": round(level / 100, 6) if level is not None else None,
            "range": {"low": _quantity(q["ci_low"], q["unit"], left, "CI low"),
                      "high": _quantity(q["ci_high"], q["unit"], left, "CI high")},
        })
    estimates.append(_p_value(q["p"], left))
    if q["value"] is None and (q["low"] is not None or q["high"] is not None):
        left.notes.append("the printed range or bound stands in the statistic's description: "
                          "a FHIR statistic's quantity holds one number")
    n = left.count(q["n"], "n")
    return {
        "description": markdown(printed),
        "statisticType": statistic_type(q),
        "quantity": _quantity(q["value"], q["unit"], left, "value", _comparator(q)),
        "sampleSize": {"description": markdown(f"n = {n} as printed")} if n is not None else {},
        "attributeEstimate": estimates,
    }


def variable(role: str, ev: dict) -> dict:
    return {"variableRole": coding(VARIABLE_ROLE, role, ROLES[role]),
            "observed": {"reference": ev["fullUrl"], "display": ev["title"]}}


def quoted(quote: list[str], review: Mapping[str, Any], left: Leftovers) -> list[dict]:
    """One derived-from relatedArtifact per span of the review's words, the span in the
    quotation extension."""
    out = []
    for i, span in enumerate(quote):
        text = left.text(span, f"quote span {i + 1}")
        if text is None:
            continue
        out.append({
            "extension": [{"url": QUOTATION, "valueMarkdown": markdown(text)}],
            "type": "derived-from",
            "display": review["display"],
            "document": {"url": review["url"]} if review["url"] else {},
            "resourceReference": {"reference": review["fullUrl"], "display": review["display"]},
        })
    return out


def cites(numbers: list[int], references: Mapping[int, Mapping[str, Any]]) -> list[dict]:
    return [{"type": "citation", "label": f"[{n}]",
             "resourceReference": {"reference": references[n]["fullUrl"], "display": references[n]["display"]}}
            for n in dict.fromkeys(numbers) if n in references]


def evidence(*, id: str, title: str, description: str, trial: Mapping[str, Any], variables: list[dict], stat: dict,  # noqa: A002
             related: list[dict], notes: list[dict], left: Leftovers) -> dict:
    n = left.count(trial["n"], "number of participants")
    if n is not None:
        stat["sampleSize"] = {**stat.get("sampleSize", {}), "numberOfParticipants": n}
    design = left.text(trial["design"], "study design")
    return {
        "resourceType": "Evidence",
        "id": id,
        "title": title,
        "status": "active",
        "relatedArtifact": related,
        "description": description,
        "note": notes + left.annotations(),
        "variableDefinition": variables,
        "studyDesign": [{"text": design}] if design else [],
        "statistic": [stat],
        "certainty": [{"description": CERTAINTY}],
    }
