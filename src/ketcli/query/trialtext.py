"""A trial's outcome, setting and follow-up as text: the review's words first, then what of it
is not printed, and "not reported in the source" only where the trial's quote is silent (the
fields are verbatim spans of the quote: data/models.py checks them). Shared by the summary of
findings and the terminal views."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ketcli.data.vocab import NOT_REPORTED

SETTING_UNSAID = "the country and whether inpatient or outpatient are not printed"


def outcome_text(trial: Mapping[str, Any]) -> str:
    """The measure the review names; else the outcome in the words of the trial's quote; else
    NOT_REPORTED (checked against the quote: tests/query/test_sof_not_reported.py)."""
    if trial["outcome_measure"]:
        return str(trial["outcome_measure"])
    if trial["outcome"]:
        return f"{trial['outcome']} (the review's words; no scale or instrument is named)"
    return NOT_REPORTED


def setting_text(trial: Mapping[str, Any]) -> str:
    if trial["setting"]:
        return f"{trial['setting']} (as printed; {SETTING_UNSAID})"
    return NOT_REPORTED


def follow_up_text(trial: Mapping[str, Any]) -> str:
    return f"{trial['follow_up']} (as printed)" if trial["follow_up"] else NOT_REPORTED
