"""A printed quantity as text: its number or range, unit, qualifier, CI, p and n, as the
review gives them. Shared by the summary of findings (query/sof.py) and the terminal views."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ketcli.data.vocab import NOT_REPORTED


def number(value: float) -> str:
    return f"{value:g}"


def amount_text(q: Mapping[str, Any]) -> str:
    """'55.4% (95% CI 3.9 to 24.2; p < 0.001; n = 403)'; NOT_REPORTED where no number is printed."""
    if q["value"] is not None:
        amount = number(q["value"])
    elif q["low"] is not None and q["high"] is not None:
        amount = f"{number(q['low'])}–{number(q['high'])}"
    elif q["high"] is not None or q["low"] is not None:  # an open bound ("under 50%")
        amount = number(q["high"] if q["high"] is not None else q["low"])
    else:
        amount = NOT_REPORTED
    unit = q["unit"]
    if amount != NOT_REPORTED:
        amount += unit if unit == "%" else (f" {unit}" if unit else "")
        if q.get("qualifier"):
            amount = f"{q['qualifier']} {amount}"
    extras = []
    if q["ci_low"] is not None and q["ci_high"] is not None:
        level = f"{number(q['ci_level'])}% " if q["ci_level"] is not None else ""
        extras.append(f"{level}CI {number(q['ci_low'])} to {number(q['ci_high'])}")
    if q["p"]:
        extras.append(f"p {q['p']}")
    if q["n"] is not None:
        extras.append(f"n = {q['n']}")
    return amount + (f" ({'; '.join(extras)})" if extras else "")
