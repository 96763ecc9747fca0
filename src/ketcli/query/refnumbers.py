"""Reference tokens as users type them, read in one place: `cite 11 1-5 anand2023`
and `data add claim --ref 11 --ref anand2023` both call `parse_token`."""

from __future__ import annotations

import re

MAX_DIGITS = 7
"""A reference number longer than this is no reference (and never reaches int())."""

_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)", re.ASCII)
_KEY = re.compile(r"[a-z][a-z0-9._-]*", re.ASCII)


def parse_token(token: str) -> int | tuple[int, int] | str:
    """11 → 11, "1-5" → (1, 5), "Anand2023" → "anand2023" (a key, lower-cased).
    ASCII digits only ("²" and "١١" are no numbers). Raises ValueError with the reason."""
    text = token.strip()
    if text.isascii() and text.isdigit():
        if len(text.lstrip("0")) > MAX_DIGITS:
            raise ValueError("reference numbers have at most 7 digits")
        return int(text)
    match = _RANGE.fullmatch(text)
    if match:
        if max(len(g.lstrip("0")) for g in match.groups()) > MAX_DIGITS:
            raise ValueError("reference numbers have at most 7 digits")
        return int(match.group(1)), int(match.group(2))
    key = text.lower()
    if _KEY.fullmatch(key) and len(key) <= 80:
        return key
    raise ValueError("not a reference number, range (1-5) or key (anand2023)")
