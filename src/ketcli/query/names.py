"""The dataset's own names for one thing, as search vocabulary: a treatment's or an entity's
name, full name and aliases (ECT, electroconvulsive therapy), the abbreviations of the
captions' lists and those the review defines in its text ("treatment-resistant depression
(TRD)"). A question naming a thing one way also searches the record that names it another
way; like the lay vocabulary, this is ketcli's doing and shown as "also searched".

An abbreviation defined in the text is found as Schwartz and Hearst find it (2003): its
letters, in order, in the words before the parenthesis, the first at a word's start; here
also every word of the long form holds one of its letters (so "predecessor was
phencyclidine (PCP)" is no definition).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ketcli.query.lay_phrases import fold
from ketcli.query.question import words

DEFINED = re.compile(r"((?:[^\s()]+\s+){1,12})\(([A-Za-z][A-Za-z0-9-]{1,9})\)")
MIN_LETTERS = 3  # a one- or two-letter name ("da", "mu", "d2") is too ambiguous to expand


def entries(data: Any) -> list[dict[str, Any]]:
    """Vocabulary entries ({"phrases": [form], "terms": [other forms]}) from the dataset's names:
    each form searches the forms of the same thing that share none of its words."""
    found: dict[tuple[str, ...], dict[str, Any]] = {}
    for group in _groups(data):
        forms = [f for f in _distinct(group) if _expandable(f)]
        for form in forms:
            own = {fold(w) for w in words(form)}
            others = [f for f in forms if not own & {fold(w) for w in words(f)}]
            if others:
                entry = found.setdefault(_key(form), {"phrases": [form], "terms": []})
                entry["terms"] = _distinct([*entry["terms"], *others])
    return list(found.values())


def _key(form: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in words(form))


def _groups(data: Any) -> Iterator[list[str]]:
    raw = getattr(data, "raw", data)  # a Data, or a plain dict of records
    for t in raw.get("treatments") or []:
        yield [t["name"], t.get("full_name") or "", *(t.get("aliases") or [])]
    for e in raw.get("entities") or []:
        yield [e["name"], *(e.get("aliases") or [])]
    for caption in (raw.get("source") or {}).get("captions") or []:
        for pair in (caption.get("abbreviations") or "").split(";"):
            short, _, long = pair.partition(":")
            yield [short.strip(), long.strip()]
    for text in _texts(raw):
        for match in DEFINED.finditer(text):
            short = match.group(2)
            if sum(c.isupper() for c in short) >= 2:
                long = long_form(short, match.group(1))
                if long:
                    yield [short, long]


def _texts(raw: Any) -> Iterator[str]:
    for c in raw.get("claims") or []:
        yield c["text"]
    for t in raw.get("trials") or []:
        yield " ".join(filter(None, [t.get("population"), t.get("outcome_measure"), t.get("finding")]))


def long_form(short: str, before: str) -> str | None:
    """The words of `before` that `short` abbreviates, or None (see the module's doc)."""
    letters = [c for c in short.lower() if c.isalnum()]
    tail = before.split()[-min(len(letters) + 5, 2 * len(letters)):]
    text = " ".join(tail)
    at = len(text) - 1
    taken = []
    for k in range(len(letters) - 1, -1, -1):
        while at >= 0 and (text[at].lower() != letters[k] or (k == 0 and at > 0 and text[at - 1].isalnum())):
            at -= 1
        if at < 0:
            return None
        taken.append(at)
        at -= 1
    start = text.rfind(" ", 0, taken[-1]) + 1
    long = text[start:].strip(" ,;:")
    # every word of the long form holds a letter of the abbreviation
    bounds, position = [], start
    for piece in re.split(r"([\s-]+)", text[start:]):
        if piece and not piece.isspace() and piece != "-":
            bounds.append((position, position + len(piece)))
        position += len(piece)
    if not all(any(lo <= t < hi for t in taken) for lo, hi in bounds):
        return None
    return long if words(long) and words(long) != words(short) else None


def _distinct(forms: Iterable[str]) -> list[str]:
    """The forms without blanks and repeats (ssri and SSRIs are one form)."""
    out, seen = [], set()
    for form in forms:
        key = _key(form)
        if key and key not in seen:
            seen.add(key)
            out.append(form)
    return out


def _expandable(form: str) -> bool:
    return len("".join(words(form))) >= MIN_LETTERS
