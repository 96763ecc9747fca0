"""The JSON shapes of every command's result, as typed dicts.

Queries build plain dicts of these shapes (importing this module only for type
checking, so a query does not pay for pydantic); `ketcli schema COMMAND` turns them
into JSON Schema, and the tests validate each command's real output against them.
Records of the dataset appear as they are in the file, so their shapes are the
models of models.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, TypeAdapter, with_config
from typing_extensions import TypedDict

from .models import Claim, Entity, Mechanism, Range, Reference, Trial

SchemaVersion = Literal[1]
strict = with_config(ConfigDict(extra="forbid"))


@strict
class SourceInfo(TypedDict):
    title: str
    authors: list[str]
    journal: str
    year: int
    doi: str
    license: str


@strict
class TreatmentSummary(TypedDict):
    id: str
    name: str
    full_name: str | None
    kind: str


@strict
class Support(TypedDict):
    claim: str
    text: str
    section: str
    refs: list[int]


@strict
class Cell(TypedDict):
    treatment: str
    text: str
    """The Table 1 cell verbatim, or "not reported in the source"."""
    value: Range | None
    source: Literal["Table 1"] | None
    refs: list[int]
    """References of the review's sentences that support the cell (Table 1 cites none)."""
    support: list[Support]
    notes: list[str]


@strict
class Row(TypedDict):
    dimension: str
    label: str
    cells: list[Cell]


@strict
class CompareResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["compare"]
    source: SourceInfo
    treatments: list[TreatmentSummary]
    rows: list[Row]
    trials: list[Trial]
    references: list[Reference]


@strict
class StanceCounts(TypedDict):
    claims: int
    supports: int
    contradicts: int
    mixed: int
    context: int


@strict
class MechanismRow(TypedDict):
    id: str
    name: str
    scope: str
    treatment: str | None
    status: str
    evidence_basis: str | None
    counts: StanceCounts


@strict
class MechanismListResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["mechanism"]
    source: SourceInfo
    mechanisms: list[MechanismRow]


@strict
class MechanismResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["mechanism"]
    source: SourceInfo
    kind: Literal["mechanism", "entity"]
    mechanism: Mechanism | None
    entity: Entity | None
    counts: StanceCounts
    claims: list[Claim]
    references: list[Reference]


@strict
class CiteResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["cite"]
    source: SourceInfo
    references: list[Reference]


RESULTS = {
    "compare": CompareResult,
    "mechanism": MechanismResult | MechanismListResult,
    "cite": CiteResult,
}

def schema(command: str) -> dict:
    return TypeAdapter(RESULTS[command]).json_schema()


def check(command: str, document: dict) -> None:
    """Raise pydantic.ValidationError unless `document` has the command's shape."""
    TypeAdapter(RESULTS[command]).validate_python(document, strict=False)
