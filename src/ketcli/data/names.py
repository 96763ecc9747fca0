"""Turn what a user typed into one record: ids, names and aliases, case-insensitive.

An exact name wins; otherwise a unique prefix ("ket" → ketamine). No match is a
NotFound with the nearest names; several prefix matches list the choices.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from ketcli.errors import NotFound


def names_of(record: Mapping[str, Any]) -> list[str]:
    """Every name that may select a record, lower-cased, without repeats (integrity.py
    checks that each means one record; it lives here so a query's import skips the checks)."""
    names = [record["id"], record.get("name") or "", record.get("full_name") or "", *record.get("aliases", [])]
    return list(dict.fromkeys(n.strip().lower() for n in names if n and n.strip()))


def normalise(text: str) -> str:
    return " ".join(text.strip().lower().split())


Named = TypeVar("Named", bound=Mapping[str, Any])
"""A record with an id (and maybe name, full_name, aliases): a Treatment, a Mechanism …"""


def resolve(records: Sequence[Named], query: str, what: str) -> Named:
    """The one record of `records` (of whichever type) that `query` names."""
    wanted = normalise(query)
    if not wanted:
        raise NotFound(f"empty {what} name")
    by_name: dict[str, Named] = {}
    for record in records:
        for name in names_of(record):
            by_name.setdefault(normalise(name), record)
    if wanted in by_name:
        return by_name[wanted]
    prefixed = {id(r): r for name, r in by_name.items() if name.startswith(wanted)}
    if len(prefixed) == 1:
        return next(iter(prefixed.values()))
    if prefixed:
        choices = ", ".join(sorted(r["id"] for r in prefixed.values()))
        raise NotFound(f"{what} {query!r} is ambiguous: it could be {choices}")
    raise NotFound(f"unknown {what} {query!r}", hint=_suggest(wanted, by_name, records, what))


def _suggest(wanted: str, by_name: Mapping[str, Mapping[str, Any]], records: Sequence[Mapping[str, Any]],
             what: str) -> str:
    import difflib

    close = difflib.get_close_matches(wanted, list(by_name), n=1, cutoff=0.6)
    if close:
        return f"did you mean {by_name[close[0]]['id']}?"
    known = ", ".join(r["id"] for r in records[:12])
    more = " …" if len(records) > 12 else ""
    return f"known {what} names: {known}{more}"
