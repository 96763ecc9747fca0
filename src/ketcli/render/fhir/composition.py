"""A FHIR R5 Composition per compared pair, laid out as the EBM-on-FHIR SummaryOfFindings
profile lays out a summary of findings: column headers, then one entry per outcome whose
sub-sections point at the Evidence of each arm and of the printed effect.

Only what the review prints fills a cell: the sample size is "not reported in the source"
where it prints none, certainty is "not assessed in the source (narrative review)", and a
trial that prints no number has its finding, in the review's words, as its assertion. The
section codes are the SummaryOfFindings profile's (the EBM IG's code system on fevir.net).
"""

from __future__ import annotations

from html import escape

from ketcli.render.fhir.citations import coding
from ketcli.render.fhir.values import Leftovers

SECTION_CODES = "https://fevir.net/resources/CodeSystem/179423"
SECTIONS = {
    "column-headers": "Column Headers",
    "summary-of-findings": "Summary of Findings",
    "summary-of-findings-entry-for-a-single-outcome": "Summary of findings entry for a single outcome",
    "outcome-measure": "Outcome Measure",
    "sample-size": "Sample Size",
    "result-with-comparator-alone": "Result with comparator alone",
    "result-with-intervention-alone": "Result with intervention alone",
    "result-with-intervention-vs-comparator": "Result with intervention vs. comparator",
    "certainty-of-evidence": "Certainty of Evidence",
    "assertion": "Assertion",
}
HEADERS = ("outcome-measure", "sample-size", "result-with-comparator-alone", "result-with-intervention-alone",
           "result-with-intervention-vs-comparator", "certainty-of-evidence", "assertion")


def narrative(text: str) -> dict:
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{escape(text)}</div>'}


def section(code: str, *, text: str | None = None, entry: list[dict] | None = None,
            focus: dict | None = None, sections: list[dict] | None = None) -> dict:
    return {
        "title": SECTIONS[code],
        "code": coding(SECTION_CODES, code, SECTIONS[code]),
        "focus": focus or {},
        "text": narrative(text) if text else {},
        "entry": entry or [],
        "section": sections or [],
    }


def ref(item: dict) -> dict:
    return {"reference": item["fullUrl"], "display": item["title"]}


def outcome_entry(row: dict, certainty: str, left: Leftovers) -> dict:
    """One outcome: its variable, the sample size, each arm's Evidence, the effect's, certainty."""
    outcome = [ref(row["outcome"])] if row["outcome"] else []
    parts = [section("outcome-measure", text=left.text(row["outcome_text"], "outcome"), entry=outcome),
             section("sample-size", text=row["participants"])]
    for code, key in (("result-with-comparator-alone", "comparator"),
                      ("result-with-intervention-alone", "intervention"),
                      ("result-with-intervention-vs-comparator", "effect")):
        if row.get(key):
            parts.append(section(code, text=left.text(row[key]["text"], SECTIONS[code]), entry=[ref(row[key])]))
    parts.append(section("certainty-of-evidence", text=certainty))
    assertion = left.text(row.get("assertion"), "assertion")
    if assertion:
        parts.append(section("assertion", text=assertion))
    return section("summary-of-findings-entry-for-a-single-outcome", focus=ref(row["outcome"]) if row["outcome"]
                   else None, text=left.text(row["trial_name"], "trial name"), sections=parts)


def composition(*, id: str, title: str, date: str | None, rows: list[dict], review: dict,  # noqa: A002
                certainty: str, notes: list[dict], left: Leftovers) -> dict:
    headers = [section(code, text=SECTIONS[code]) for code in HEADERS]
    entries = [outcome_entry(r, certainty, left) for r in rows]
    return {
        "resourceType": "Composition",
        "id": id,
        "status": "final",
        "type": {"coding": [{"system": SECTION_CODES, "code": "SummaryOfFindings", "display": "SummaryOfFindings"}],
                 "text": "Summary of Findings"},
        "date": date,
        "author": [{"display": "ketcli, from its dataset of the review"}],
        "title": title,
        "note": notes + left.annotations(),
        "relatesTo": [{"type": "derived-from", "display": review["display"],
                       "document": {"url": review["url"]} if review["url"] else {},
                       "resourceReference": {"reference": review["fullUrl"], "display": review["display"]}}],
        "section": [section("column-headers", sections=headers),
                    section("summary-of-findings", sections=entries)],
    }

