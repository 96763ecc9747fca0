"""What a FHIR JSON value may hold, and one resource's record of what it had to leave out.

FHIR's `string` and `markdown` hold no control character but tab, CR and LF; a `decimal`
is finite; an `unsignedInt` is at most 2,147,483,647; a `date` is YYYY, YYYY-MM or
YYYY-MM-DD with a year from 0001; an `id` is 1–64 of [A-Za-z0-9.-]; and no element is
empty. A dataset value that breaks one of these is left out of its resource, and the
resource says so in a note (`Leftovers`), so an export never fails on one odd value.
"""

from __future__ import annotations

import hashlib
import math
import re

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FHIR_DATE = re.compile(r"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$")
NOT_ID = re.compile(r"[^A-Za-z0-9.-]+")
MAX_UNSIGNED = 2_147_483_647
# CommonMark turns these into markup anywhere in a line; a backslash keeps each literal.
MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>&~|])")
MARKDOWN_LINE_START = re.compile(r"(?m)^(\s*)([#+=-])")  # a heading, list item or setext line
MARKDOWN_ORDERED = re.compile(r"(?m)^(\s*\d{1,9})([.)])(?=\s|$)")  # "1. " starts a list: escape the full stop
MARKDOWN_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
KETCLI = "ketcli"


class Leftovers:
    """The notes of one resource on the values it could not carry."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def text(self, value: str | None, where: str) -> str | None:
        """`value` if FHIR's string can hold it; None (and a note) if not; None for empty."""
        if value is None or not value.strip():
            return None
        if CONTROL.search(value):
            self.notes.append(f"{where} left out: it holds control characters, which a FHIR string cannot carry")
            return None
        return value

    def markdown(self, value: str | None, where: str) -> str | None:
        text = self.text(value, where)
        return markdown(text) if text is not None else None

    def decimal(self, value: float | int | None, where: str) -> float | int | None:
        if value is None:
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.notes.append(f"{where} left out: {value!r} is not a number a FHIR decimal can carry")
            return None
        return value

    def count(self, value: int | None, where: str) -> int | None:
        if value is None:
            return None
        if not 0 <= value <= MAX_UNSIGNED:
            self.notes.append(f"{where} left out: {value} is outside a FHIR unsignedInt (0 to {MAX_UNSIGNED:,})")
            return None
        return value

    def date(self, value: str | int | None, where: str) -> str | None:
        if value is None:
            return None
        text = f"{value:04d}" if isinstance(value, int) and value >= 0 else str(value)
        if not FHIR_DATE.match(text):
            self.notes.append(f"{where} left out: {str(value)[:40]!r} is not a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)")
            return None
        return text

    def annotations(self) -> list[dict]:
        return [{"authorString": f"{KETCLI} export", "text": markdown(note)} for note in self.notes]


def markdown(text: str) -> str:
    """Plain text as FHIR markdown that renders as the same text (CommonMark escapes)."""
    text = MARKDOWN_INLINE.sub(r"\\\1", text)
    text = MARKDOWN_LINE_START.sub(r"\1\\\2", text)
    return MARKDOWN_ORDERED.sub(r"\1\\\2", text)


def unmarkdown(text: str) -> str:
    """The plain text of `markdown(text)` (what a CommonMark renderer shows)."""
    return MARKDOWN_UNESCAPE.sub(r"\1", text)


def fhir_id(*parts: object) -> str:
    """A FHIR id from readable parts: [A-Za-z0-9.-] only, at most 64 characters (a long one
    ends in a hash of the whole). The bundle makes ids unique (Ids)."""
    raw = "-".join(str(p) for p in parts)
    clean = NOT_ID.sub("-", raw).strip("-.") or "x"
    if len(clean) > 64:
        clean = clean[:53].rstrip("-.") + "-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:10]
    return clean


class Ids:
    """Unique ids within one Bundle: a second `a-b` (from `a_b`, say) becomes `a-b-2`."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def new(self, *parts: object) -> str:
        base = fhir_id(*parts)
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            suffix = f"-{n}"
            candidate = base[: 64 - len(suffix)] + suffix
        self.used.add(candidate)
        return candidate


def pruned(value):
    """`value` without empty elements (None, "", [], {}), recursively, order kept: FHIR
    JSON has no empty element."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = pruned(item)
            if item is not None and item != "" and item != [] and item != {}:
                out[key] = item
        return out
    if isinstance(value, list):
        return [p for p in (pruned(v) for v in value) if p is not None and p != "" and p != [] and p != {}]
    return value
