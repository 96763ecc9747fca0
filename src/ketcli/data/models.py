"""Pydantic models of the dataset file (data/treatments.toml).

Only `ketcli validate` and a cache miss import this module: once a file has been
validated, queries work on the plain dicts that `Dataset.model_dump()` gives.
Field docs are attribute docstrings (`use_attribute_docstrings`), so they reach the
JSON Schema and error messages without a second copy.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from ketcli.data.vocab import Evidence, Stance, Topic

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Short = Annotated[str, StringConstraints(max_length=200)]
RefNumber = Annotated[int, Field(ge=1, le=100_000)]

Dimension = Literal["onset", "response_rate", "duration", "tolerability", "accessibility"]
DesignBasis = Literal["title", "text"]


# Every string of the file has a length limit (Text's, unless a field has its own), every
# list one too (MAX_ITEMS in a record, MAX_RECORDS in a collection), and types are strict:
# `schema_version = true` or `refs = ["11"]` is an error, not a guess.
MAX_TEXT = 20_000
MAX_ITEMS = 10_000  # a list inside a record: notes, refs, authors … (the bundled file: at most 60)
MAX_RECORDS = 50_000  # records of one collection (the bundled file: at most 207)


class Record(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, use_attribute_docstrings=True, defer_build=True,
        strict=True,
    )

    @model_validator(mode="before")
    @classmethod
    def _bounded_strings(cls, data: object) -> object:
        """No string of a record is longer than MAX_TEXT (fields without a limit of their
        own included) and no list longer than MAX_ITEMS (a collection of the dataset:
        MAX_RECORDS), checked before anything else, so a huge value costs one len()."""
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, list):
                    most = MAX_RECORDS if cls.__name__ == "Dataset" else MAX_ITEMS
                    if len(value) > most:
                        raise ValueError(f"{str(key)[:40]}: {len(value):,} items; at most {most:,}")
                if key in _limited(cls):
                    continue  # a field with a limit of its own says it in its own words
                for item in value if isinstance(value, list) else (value,):
                    if isinstance(item, str) and len(item) > MAX_TEXT:
                        raise ValueError(f"{str(key)[:40]}: {len(item):,} characters; at most {MAX_TEXT:,}")
        return data


class Quantity(Record):
    label: Text
    """What is measured, e.g. "response rate" or "systolic blood pressure increase"."""
    value: float | None = None
    """A single value as printed (55.4 for 55.4%)."""
    low: float | None = None
    """Lower end of a printed range (50 for 50%–70%)."""
    high: float | None = None
    """Upper end of a printed range."""
    unit: str = ""
    """Unit as printed: "%", "mmHg", "percentage points", "USD", "years" …; empty for counts."""
    ci_low: float | None = None
    """Lower bound of the confidence interval."""
    ci_high: float | None = None
    """Upper bound of the confidence interval."""
    ci_level: float | None = None
    """Confidence level in percent, e.g. 95."""
    p: str | None = None
    """p-value as printed, e.g. "< 0.001"."""
    n: int | None = None
    """Number of participants, trials or infusions the value rests on."""
    arm: str | None = None
    """Which arm or group of a study the value belongs to."""
    bound: Literal["exact", "at least", "at most", "about"] = "exact"
    """How to read the number, from the review's words: "at least" ("over", "upwards of"), "at most"
    ("under"), "about" ("nearly", "around"), or "exact" where the number stands unqualified."""
    qualifier: str | None = None
    """The qualifying words as printed ("over", "under", "nearly", "upwards of"); none for "exact"."""

    @model_validator(mode="after")
    def _qualified_bound(self) -> "Quantity":
        if (self.bound == "exact") != (self.qualifier is None):
            raise ValueError('a qualifier ("over", "under" …) goes with a bound other than "exact", and only then')
        return self


class Methods(Record):
    databases: list[Text]
    """Databases searched."""
    years_from: int
    """First publication year searched."""
    years_to: int
    """Last publication year searched."""
    search_date: str
    """Day the search was run (ISO 8601)."""
    terms: list[Text]
    """Search terms as printed."""
    operators: list[Text]
    """Boolean operators used to combine terms."""
    language: Text
    """Languages considered."""
    inclusion: list[Text]
    """Inclusion criteria."""
    exclusion: list[Text]
    """Exclusion criteria."""
    selection: Text
    """How articles were selected."""
    bias_assessment: Text
    """What the review says about risk-of-bias assessment."""
    synthesis: Text
    """How data were synthesised."""


class Locator(Record):
    section: Text
    """Section of the review the span stands in (as the dataset names sections)."""
    paragraph: int = Field(ge=1)
    """Paragraph number within that section, from 1 (ketcli.data.quotes says how they are counted)."""
    start: int = Field(ge=0)
    """Offset of the span's first character in the source file (characters, not bytes)."""
    end: int = Field(ge=1)
    """Offset just past the span's last character."""


Quote = list[Text]


def _spans_located(record: Any) -> Any:
    if len(record.locator) != len(record.quote):
        raise ValueError(f"{len(record.quote)} quote span(s) need {len(record.quote)} locator(s), not {len(record.locator)}")
    return record


class Caption(Record):
    label: Literal["Table 1", "Figure 1", "Figure 2"]
    """Which table or figure."""
    title: Text
    """The caption's title as printed, after "TABLE 1: " or "FIGURE 1: "."""
    legend: Text | None = None
    """The figure's legend as printed; none where there is none (Table 1)."""
    credit: Text | None = None
    """The credit line as printed ("This figure was created by the author.")."""
    abbreviations: Text | None = None
    """The abbreviation list as printed under it."""
    quote: list[Text] = []
    """The caption's printed lines, exactly (ketcli validate checks them against the source)."""
    locator: list[Locator] = []
    """Where each line stands in the source file."""

    _located = model_validator(mode="after")(_spans_located)


class Source(Record):
    title: Text
    """Title of the review."""
    authors: list[Text]
    """Authors as printed."""
    affiliation: Text | None = None
    """Author affiliation as printed."""
    journal: Text
    """Journal name."""
    volume: str
    """Journal volume."""
    issue: str
    """Journal issue."""
    article_number: str
    """Article number (Cureus uses eNNNNN instead of pages)."""
    year: int
    """Publication year."""
    published: str
    """Publication date (ISO 8601)."""
    review_began: str | None = None
    """Start of peer review (ISO 8601)."""
    review_ended: str | None = None
    """End of peer review (ISO 8601)."""
    doi: Text
    """DOI of the review."""
    license: Text
    """License of the review's text."""
    keywords: list[Text] = []
    """Keywords as printed."""
    categories: list[Text] = []
    """Journal categories as printed."""
    methods: Methods | None = None
    """The review's stated search method."""
    limitations: list[Text] = []
    """The review's stated limitations, one per item."""
    captions: list[Caption] = []
    """The captions of Table 1 and Figures 1–2 (the figures are images; only their captions are text)."""
    notes: list[Text] = []
    """Notes on the source as a whole (extraction artifacts, repetitions)."""


class Reference(Record):
    number: RefNumber
    """Number in the review's reference list."""
    key: Id
    """Stable citation key, e.g. "anand2023"."""
    authors: list[Text] = []
    """Authors as printed ("Anand A"); empty when the source prints none."""
    et_al: bool = False
    """True where the printed author list ends in "et al."."""
    title: Text | None = None
    """Title as printed."""
    journal: Text | None = None
    """Journal abbreviation as printed."""
    year: int | None = None
    """Year as printed."""
    volume: str | None = None
    """Volume as printed."""
    pages: str | None = None
    """Page range or article number as printed (kept even where it looks wrong)."""
    doi: str | None = None
    """DOI as printed; absent where the source prints none."""
    design: str | None = None
    """Study design label (RCT, meta-analysis, animal study, review …)."""
    design_basis: DesignBasis | None = None
    """Where the design label comes from: the reference's title or the review's text."""
    notes: list[Text] = []
    """Notes: mismatches between the reference and what it is cited for, printing errors."""
    curation_notes: list[Text] = []
    """Notes for curators on the text extraction (page breaks, markup, "\\$" for "$"): kept in the
    data and in --json, not shown in the reading views (compare, treatment, the brief)."""


class Attribute(Record):
    name: Text
    """What the attribute is: "class", "route", "generation", "approval" …"""
    value: Text
    """The value in the review's words."""
    refs: list[RefNumber] = []
    """Reference numbers the review cites for it."""
    section: Text
    """Section of the review it comes from."""


class Treatment(Record):
    id: Id
    """Identifier used in commands and JSON."""
    name: Text
    """Display name."""
    full_name: Text | None = None
    """Name written out, e.g. "selective serotonin reuptake inhibitors"."""
    aliases: list[Text] = []
    """Other names a user may type (case-insensitive)."""
    kind: Literal["drug", "drug class", "procedure", "formulation"]
    """What sort of treatment it is."""
    parent: Id | None = None
    """Treatment this is a member or formulation of (esketamine → ketamine)."""
    in_table1: bool = False
    """True for the four treatments of the review's Table 1."""
    summary: Text
    """One or two sentences on the treatment, from the review."""
    attributes: list[Attribute] = []
    """Cited facts: class, route, generation, approval, cost …"""
    notes: list[Text] = []
    """Notes on the source about this treatment."""


class Range(Record):
    low: float | None = None
    """Lower end; none for an "at most" bound."""
    high: float | None = None
    """Upper end; none for an "at least" bound ("upwards of $1000" has no upper end)."""
    unit: str
    """Unit as printed."""
    bound: Literal["range", "at least", "at most"] = "range"
    """How to read the numbers: a range, or an open bound ("upwards of $1000")."""

    @model_validator(mode="after")
    def _ends_fit_the_bound(self) -> "Range":
        wanted = {"range": (True, True), "at least": (True, False), "at most": (False, True)}[self.bound]
        if ((self.low is not None), (self.high is not None)) != wanted:
            ends = {(True, True): "low and high", (True, False): "low only", (False, True): "high only"}[wanted]
            raise ValueError(f"a {self.bound!r} value takes {ends}")
        return self


class TableCell(Record):
    treatment: Id
    """Treatment (column of the review's Table 1)."""
    dimension: Dimension
    """Row of the comparison."""
    text: Text
    """The cell verbatim."""
    value: Range | None = None
    """Structured value where the cell holds numbers."""
    supported_by: list[Id] = []
    """Claims in the review's text that say the same, with their references."""
    quote: Quote = []
    """The cell as printed in the review's Table 1 (ketcli validate checks it)."""
    locator: list[Locator] = []
    """Where the cell stands in the source file."""
    notes: list[Text] = []
    """Notes: where the cell and the text differ."""
    curation_notes: list[Text] = []
    """Notes for curators on the text extraction (page breaks, markup, "\\$" for "$"): kept in the
    data and in --json, not shown in the reading views (compare, treatment, the brief)."""

    _located = model_validator(mode="after")(_spans_located)


class PathwayStep(Record):
    id: Id
    """Identifier, unique within the mechanism."""
    label: Text
    """What happens at this step."""
    after: list[Id] = []
    """Steps this one follows (empty for the first)."""
    refs: list[RefNumber] = []
    """Reference numbers the review cites for the step."""
    source: Text
    """Where the step is described: "Figure 1", "NMDAR Theory" …"""


class Mechanism(Record):
    id: Id
    """Identifier used in commands and JSON."""
    name: Text
    """Display name."""
    aliases: list[Text] = []
    """Other names a user may type (case-insensitive)."""
    scope: Literal["ketamine theory", "treatment", "disease"]
    """A theory of ketamine's action, how another treatment acts, or depression's own biology."""
    treatment: Id | None = None
    """Treatment whose action it explains; none for disease mechanisms."""
    status: Text
    """Standing the review gives it, in its words ("heavily supported")."""
    status_section: Text | None = None
    """Section where the review states the status."""
    evidence_basis: Text | None = None
    """Evidence basis the abstract gives it ("preclinical evidence")."""
    section: Text
    """Section of the review that covers it."""
    summary: Text
    """What the mechanism proposes."""
    pathway: list[PathwayStep] = []
    """Steps of the pathway (Figures 1–2 and the text)."""
    notes: list[Text] = []
    """Notes on the source."""


class Entity(Record):
    id: Id
    """Identifier used in commands and JSON."""
    name: Text
    """Display name."""
    aliases: list[Text] = []
    """Other names and abbreviations (case-insensitive)."""
    kind: Literal[
        "receptor", "molecule", "neurotransmitter", "enzyme", "transporter", "pathway",
        "brain region", "cell type", "drug",
    ]
    """What sort of thing it is."""


class Claim(Record):
    id: Id
    """Identifier."""
    text: Text
    """The statement, concise and faithful (key terms and numbers as printed)."""
    quote: Quote = []
    """The review's own words: one or more exact spans of the source text that say it, with
    its reference numbers (after the normalisation of ketcli.data.quotes; ketcli validate checks each)."""
    locator: list[Locator] = []
    """Where each quote span stands: section, paragraph, character offsets into the source file."""
    section: Text
    """Section of the review it comes from."""
    refs: list[RefNumber] = []
    """Reference numbers the review cites for it; empty where it cites none."""
    topic: Topic
    """What aspect of the evidence it is about."""
    stance: Stance = "context"
    """Toward its mechanisms: supports, contradicts, mixed, or context."""
    evidence: Evidence = "not stated"
    """Kind of evidence behind it."""
    treatments: list[Id] = []
    """Treatments it is about."""
    mechanisms: list[Id] = []
    """Mechanisms it is about."""
    entities: list[Id] = []
    """Receptors, molecules and brain regions it names."""
    trial: Id | None = None
    """The study record it reports, if any."""
    quantities: list[Quantity] = []
    """Numbers it gives."""
    notes: list[Text] = []
    """Notes on the source: repetitions, contradictions, references that do not fit."""
    curation_notes: list[Text] = []
    """Notes for curators on the text extraction (page breaks, markup, "\\$" for "$"): kept in the
    data and in --json, not shown in the reading views (compare, treatment, the brief)."""

    _located = model_validator(mode="after")(_spans_located)


class Trial(Record):
    id: Id
    """Identifier."""
    name: Text
    """Short name."""
    design: Text
    """Study design ("randomized controlled trial", "meta-analysis of 40 RCTs" …)."""
    design_basis: DesignBasis
    """Where the design comes from: the reference's title or the review's text."""
    refs: list[RefNumber]
    """Reference numbers the review cites for it."""
    section: Text
    """Section of the review that reports it."""
    treatments: list[Id] = []
    """Treatments it studies."""
    population: str | None = None
    """Who took part, as the review describes them."""
    n: int | None = None
    """Number of participants as printed; none where the review gives none."""
    outcome_measure: str | None = None
    """Primary outcome measure (a scale or a measured quantity) as the review names it."""
    outcome: str | None = None
    """What it measured, in the words of its quote (a verbatim span of it): "reduction of depressive
    symptoms and the rates of remission"; the summary of findings reads it before falling back."""
    setting: str | None = None
    """Where it took place, in the words of its quote (a verbatim span): "Europe"."""
    follow_up: str | None = None
    """When outcomes stood or were measured, in the words of its quote (a verbatim span)."""
    results: list[Quantity] = []
    """Numbers the review reports for its outcomes."""
    characteristics: list[Quantity] = []
    """Numbers that describe the study rather than an outcome: a dose, an infusion time, the number
    of trials a meta-analysis pools."""
    finding: Text
    """What it found, in the review's terms."""
    quote: Quote = []
    """The review's own words for the finding: exact spans of the source text (ketcli validate checks each)."""
    locator: list[Locator] = []
    """Where each quote span stands in the source file."""
    head_to_head: bool = False
    """True where it compares treatments of the dataset directly."""
    notes: list[Text] = []
    """Notes: explanations of discrepancies, mismatches."""

    _located = model_validator(mode="after")(_spans_located)

    @model_validator(mode="after")
    def _words_of_its_quote(self) -> "Trial":
        words = " ".join(self.quote)
        for field in ("outcome", "setting", "follow_up"):
            value = getattr(self, field)
            if value is not None and value not in words:
                raise ValueError(f"{field}: {value!r} is not in the trial's quote")
        return self


class SideEffect(Record):
    id: Id
    """Identifier."""
    treatment: Id
    """Treatment that causes it."""
    effect: Text
    """The effect, as the review names it."""
    frequency: str | None = None
    """Frequency in the review's words ("around half", "common"); none if not given."""
    quantity: Quantity | None = None
    """The number where the review gives one."""
    time_course: str | None = None
    """How long it lasts, where the review says."""
    refs: list[RefNumber] = []
    """Reference numbers the review cites for it."""
    section: Text
    """Section of the review it comes from."""
    study: Id | None = None
    """Study record the frequency comes from."""
    notes: list[Text] = []
    """Notes on the source."""


class Event(Record):
    id: Id
    """Identifier."""
    year: int
    """Year (first year of an era)."""
    end_year: int | None = None
    """Last year of an era, where the review gives its length."""
    when: Text
    """The date as the review prints it ("1962", "in the 1980s", "since 2000")."""
    label: Text
    """What happened."""
    treatments: list[Id] = []
    """Treatments concerned."""
    refs: list[RefNumber] = []
    """Reference numbers the review cites for it."""
    section: Text
    """Section of the review it comes from."""


_LIMITED: dict[type, frozenset[str]] = {}


def _limited(cls: type[BaseModel]) -> frozenset[str]:
    """The fields of `cls` whose type carries a max_length (Text, Id, Short …)."""
    if cls not in _LIMITED:
        _LIMITED[cls] = frozenset(
            name for name, field in cls.model_fields.items()
            if "max_length" in repr(field.annotation) or any(getattr(m, "max_length", None) for m in field.metadata)
        )
    return _LIMITED[cls]


def _not_bool(value: object) -> object:
    if isinstance(value, bool):  # True == 1 in Python, so Literal[1] alone takes `true`
        raise ValueError("should be the integer 1, not a boolean")
    if isinstance(value, float):  # 1.0 == 1 too, and strict mode lets a Literal take it
        raise ValueError(f"should be the integer 1, not the float {value!r}")
    return value


class VocabularyEntry(Record):
    """Lay phrases (or abbreviations) and the review's words a search for them also looks for:
    ketcli's curation (or an own dataset's curator's), never the review's words."""

    phrases: Annotated[list[Short], Field(min_length=1, max_length=100)]
    """What people type ("start working", "shock therapy", "TRD"); a phrase matches the question's
    words in this order, a few other words allowed between them."""
    terms: Annotated[list[Short], Field(min_length=1, max_length=20)]
    """The review's words also searched for (a word, or a phrase of several)."""
    note: Short | None = None
    """Why the curator maps these (shown nowhere; for the next curator)."""

    @model_validator(mode="after")
    def _words(self) -> "VocabularyEntry":
        import re

        empty = [p for p in (*self.phrases, *self.terms) if not re.search(r"\w", p)]
        if empty:
            raise ValueError(f"{empty[0]!r} holds no word")
        return self


class Vocabulary(Record):
    """data/vocabulary.toml: the lay vocabulary search expands questions with."""

    schema_version: Annotated[Literal[1], BeforeValidator(_not_bool)]
    """Version of this file format."""
    entries: list[VocabularyEntry] = []


class Dataset(Record):
    schema_version: Annotated[Literal[1], BeforeValidator(_not_bool)]
    """Version of this file format."""
    dataset_version: Short
    """Version of the data."""
    extends: Literal["bundled"] | None = None
    """Set to "bundled" to add records to the bundled dataset."""
    source: Source | None = None
    """The review this dataset encodes (required unless extends is set)."""
    references: list[Reference] = []
    treatments: list[Treatment] = []
    table1: list[TableCell] = []
    mechanisms: list[Mechanism] = []
    entities: list[Entity] = []
    claims: list[Claim] = []
    trials: list[Trial] = []
    side_effects: list[SideEffect] = []
    events: list[Event] = []
    vocabulary: list[VocabularyEntry] = []
    """Lay phrases this file adds to ketcli's search vocabulary (its curator's, not the review's words)."""
