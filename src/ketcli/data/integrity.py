"""Integrity checks that pydantic's per-record validation cannot make.

Every id is unique in its collection, every reference number and id that a record
points to exists, and every name a user may type (id, name, alias) means one thing.
Each problem is (record or None, where, what).
"""

from __future__ import annotations

from typing import Any

from collections import Counter
from collections.abc import Iterator

from ketcli.data.names import names_of

Problem = tuple[dict[str, Any] | None, str, str]

ID_COLLECTIONS = ("treatments", "mechanisms", "entities", "claims", "trials", "side_effects", "events")


def check(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    problems += _unique(data)
    problems += _references_exist(data)
    problems += _ids_exist(data)
    problems += _pathways(data)
    problems += _names_unambiguous(data, ("treatments",))
    problems += _names_unambiguous(data, ("mechanisms", "entities"))
    return problems


def _where(collection: str, index: int, record: dict[str, Any]) -> str:
    ident = record.get("id") or record.get("key") or record.get("number")
    return f"{collection}[{index}] ({ident!r})" if ident is not None else f"{collection}[{index}]"


def _records(data: dict[str, Any], collection: str) -> Iterator[tuple[int, dict[str, Any]]]:
    return enumerate(data.get(collection) or [])


def _unique(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for collection in ID_COLLECTIONS:
        counts = Counter(r["id"] for r in data.get(collection) or [])
        for i, record in _records(data, collection):
            if counts[record["id"]] > 1:
                problems.append((record, _where(collection, i, record), f"id {record['id']!r} is used {counts[record['id']]} times"))
                counts[record["id"]] = 1  # report each duplicate once
    for field in ("number", "key"):
        counts = Counter(r[field] for r in data.get("references") or [])
        for i, record in _records(data, "references"):
            if counts[record[field]] > 1:
                problems.append((record, _where("references", i, record), f"reference {field} {record[field]!r} is used {counts[record[field]]} times"))
                counts[record[field]] = 1
    cells = Counter((c["treatment"], c["dimension"]) for c in data.get("table1") or [])
    for i, cell in _records(data, "table1"):
        if cells[(cell["treatment"], cell["dimension"])] > 1:
            problems.append((cell, f"table1[{i}]", f"two cells for {cell['treatment']} / {cell['dimension']}"))
            cells[(cell["treatment"], cell["dimension"])] = 1
    return problems


def _cited(data: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str, list[int]]]:
    for collection in ("claims", "trials", "side_effects", "events"):
        for i, record in _records(data, collection):
            yield record, _where(collection, i, record), record.get("refs") or []
    for i, record in _records(data, "treatments"):
        for attribute in record.get("attributes") or []:
            yield record, _where("treatments", i, record) + f".attributes[{attribute['name']}]", attribute["refs"]
    for i, record in _records(data, "mechanisms"):
        for step in record.get("pathway") or []:
            yield record, _where("mechanisms", i, record) + f".pathway[{step['id']}]", step["refs"]


def _references_exist(data: dict[str, Any]) -> list[Problem]:
    numbers = {r["number"] for r in data.get("references") or []}
    return [
        (record, where, f"cites reference {n}, which is not in the reference list")
        for record, where, refs in _cited(data)
        for n in refs
        if n not in numbers
    ]


# (collection, field, target collection, field holds a list)
LINKS = (
    ("treatments", "parent", "treatments", False),
    ("table1", "treatment", "treatments", False),
    ("table1", "supported_by", "claims", True),
    ("mechanisms", "treatment", "treatments", False),
    ("claims", "treatments", "treatments", True),
    ("claims", "mechanisms", "mechanisms", True),
    ("claims", "entities", "entities", True),
    ("claims", "trial", "trials", False),
    ("trials", "treatments", "treatments", True),
    ("side_effects", "treatment", "treatments", False),
    ("side_effects", "study", "trials", False),
    ("events", "treatments", "treatments", True),
)


def _ids_exist(data: dict[str, Any]) -> list[Problem]:
    known = {c: {r["id"] for r in data.get(c) or []} for c in ID_COLLECTIONS}
    problems: list[Problem] = []
    for collection, field, target, many in LINKS:
        for i, record in _records(data, collection):
            value = record.get(field)
            for ident in (value or []) if many else ([value] if value else []):
                if ident not in known[target]:
                    what = target.rstrip("s").replace("_", " ") if target != "entities" else "entity"
                    problems.append((record, _where(collection, i, record), f"{field}: no {what} with id {ident!r}"))
    return problems


def _pathways(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for i, mechanism in _records(data, "mechanisms"):
        steps = mechanism.get("pathway") or []
        counts = Counter(s["id"] for s in steps)
        where = _where("mechanisms", i, mechanism)
        for step in steps:
            if counts[step["id"]] > 1:
                problems.append((mechanism, where, f"pathway step id {step['id']!r} is used twice"))
            for before in step.get("after") or []:
                if before not in counts:
                    problems.append((mechanism, where, f"pathway step {step['id']!r} follows unknown step {before!r}"))
    return problems


def _names_unambiguous(data: dict[str, Any], collections: tuple[str, ...]) -> list[Problem]:
    owners: dict[str, list[tuple[str, int, dict[str, Any]]]] = {}
    for collection in collections:
        for i, record in _records(data, collection):
            for name in names_of(record):
                owners.setdefault(name, []).append((collection, i, record))
    problems: list[Problem] = []
    for name, holders in owners.items():
        if len(holders) > 1:
            listed = ", ".join(f"{c[:-1] if c != 'entities' else 'entity'} {r['id']!r}" for c, _, r in holders)
            collection, i, record = holders[1]
            problems.append((record, _where(collection, i, record), f"name {name!r} is ambiguous: {listed}"))
    return problems
