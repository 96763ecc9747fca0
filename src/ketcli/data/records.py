"""The records of a dataset as the plain dicts queries work on: one TypedDict per model of
models.py, with every field (a validated record is `model_dump()`ed whole) and the
model's field docs. Written by scripts/records.py from the models; do not edit by hand
(tests/data/test_records.py checks it is what the models give).

Cheap to import (no pydantic), so results, queries and the API annotate with these.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict


class Quantity(TypedDict):
    label: str
    """What is measured, e.g. "response rate" or "systolic blood pressure increase"."""
    value: float | None
    """A single value as printed (55.4 for 55.4%)."""
    low: float | None
    """Lower end of a printed range (50 for 50%–70%)."""
    high: float | None
    """Upper end of a printed range."""
    unit: str
    """Unit as printed: "%", "mmHg", "percentage points", "USD", "years" …; empty for counts."""
    ci_low: float | None
    """Lower bound of the confidence interval."""
    ci_high: float | None
    """Upper bound of the confidence interval."""
    ci_level: float | None
    """Confidence level in percent, e.g. 95."""
    p: str | None
    """p-value as printed, e.g. "< 0.001"."""
    n: int | None
    """Number of participants, trials or infusions the value rests on."""
    arm: str | None
    """Which arm or group of a study the value belongs to."""
    bound: Literal['exact', 'at least', 'at most', 'about']
    """How to read the number, from the review's words: "at least" ("over", "upwards of"), "at most"
("under"), "about" ("nearly", "around"), or "exact" where the number stands unqualified."""
    qualifier: str | None
    """The qualifying words as printed ("over", "under", "nearly", "upwards of"); none for "exact"."""


class Methods(TypedDict):
    databases: list[str]
    """Databases searched."""
    years_from: int
    """First publication year searched."""
    years_to: int
    """Last publication year searched."""
    search_date: str
    """Day the search was run (ISO 8601)."""
    terms: list[str]
    """Search terms as printed."""
    operators: list[str]
    """Boolean operators used to combine terms."""
    language: str
    """Languages considered."""
    inclusion: list[str]
    """Inclusion criteria."""
    exclusion: list[str]
    """Exclusion criteria."""
    selection: str
    """How articles were selected."""
    bias_assessment: str
    """What the review says about risk-of-bias assessment."""
    synthesis: str
    """How data were synthesised."""


class Locator(TypedDict):
    section: str
    """Section of the review the span stands in (as the dataset names sections)."""
    paragraph: int
    """Paragraph number within that section, from 1 (ketcli.data.quotes says how they are counted)."""
    start: int
    """Offset of the span's first character in the source file (characters, not bytes)."""
    end: int
    """Offset just past the span's last character."""


class Caption(TypedDict):
    label: Literal['Table 1', 'Figure 1', 'Figure 2']
    """Which table or figure."""
    title: str
    """The caption's title as printed, after "TABLE 1: " or "FIGURE 1: "."""
    legend: str | None
    """The figure's legend as printed; none where there is none (Table 1)."""
    credit: str | None
    """The credit line as printed ("This figure was created by the author.")."""
    abbreviations: str | None
    """The abbreviation list as printed under it."""
    quote: list[str]
    """The caption's printed lines, exactly (ketcli validate checks them against the source)."""
    locator: list[Locator]
    """Where each line stands in the source file."""


class Source(TypedDict):
    title: str
    """Title of the review."""
    authors: list[str]
    """Authors as printed."""
    affiliation: str | None
    """Author affiliation as printed."""
    journal: str
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
    review_began: str | None
    """Start of peer review (ISO 8601)."""
    review_ended: str | None
    """End of peer review (ISO 8601)."""
    doi: str
    """DOI of the review."""
    license: str
    """License of the review's text."""
    keywords: list[str]
    """Keywords as printed."""
    categories: list[str]
    """Journal categories as printed."""
    methods: Methods | None
    """The review's stated search method."""
    limitations: list[str]
    """The review's stated limitations, one per item."""
    captions: list[Caption]
    """The captions of Table 1 and Figures 1–2 (the figures are images; only their captions are text)."""
    notes: list[str]
    """Notes on the source as a whole (extraction artifacts, repetitions)."""


class Reference(TypedDict):
    number: int
    """Number in the review's reference list."""
    key: str
    """Stable citation key, e.g. "anand2023"."""
    authors: list[str]
    """Authors as printed ("Anand A"); empty when the source prints none."""
    et_al: bool
    """True where the printed author list ends in "et al."."""
    title: str | None
    """Title as printed."""
    journal: str | None
    """Journal abbreviation as printed."""
    year: int | None
    """Year as printed."""
    volume: str | None
    """Volume as printed."""
    pages: str | None
    """Page range or article number as printed (kept even where it looks wrong)."""
    doi: str | None
    """DOI as printed; absent where the source prints none."""
    design: str | None
    """Study design label (RCT, meta-analysis, animal study, review …)."""
    design_basis: Literal['title', 'text'] | None
    """Where the design label comes from: the reference's title or the review's text."""
    notes: list[str]
    """Notes: mismatches between the reference and what it is cited for, printing errors."""
    curation_notes: list[str]
    """Notes for curators on the text extraction (page breaks, markup, "\\$" for "$"): kept in the
data and in --json, not shown in the reading views (compare, treatment, the brief)."""


class Attribute(TypedDict):
    name: str
    """What the attribute is: "class", "route", "generation", "approval" …"""
    value: str
    """The value in the review's words."""
    refs: list[int]
    """Reference numbers the review cites for it."""
    section: str
    """Section of the review it comes from."""


class Treatment(TypedDict):
    id: str
    """Identifier used in commands and JSON."""
    name: str
    """Display name."""
    full_name: str | None
    """Name written out, e.g. "selective serotonin reuptake inhibitors"."""
    aliases: list[str]
    """Other names a user may type (case-insensitive)."""
    kind: Literal['drug', 'drug class', 'procedure', 'formulation']
    """What sort of treatment it is."""
    parent: str | None
    """Treatment this is a member or formulation of (esketamine → ketamine)."""
    in_table1: bool
    """True for the four treatments of the review's Table 1."""
    summary: str
    """One or two sentences on the treatment, from the review."""
    attributes: list[Attribute]
    """Cited facts: class, route, generation, approval, cost …"""
    notes: list[str]
    """Notes on the source about this treatment."""


class Range(TypedDict):
    low: float | None
    """Lower end; none for an "at most" bound."""
    high: float | None
    """Upper end; none for an "at least" bound ("upwards of $1000" has no upper end)."""
    unit: str
    """Unit as printed."""
    bound: Literal['range', 'at least', 'at most']
    """How to read the numbers: a range, or an open bound ("upwards of $1000")."""


class TableCell(TypedDict):
    treatment: str
    """Treatment (column of the review's Table 1)."""
    dimension: Literal['onset', 'response_rate', 'duration', 'tolerability', 'accessibility']
    """Row of the comparison."""
    text: str
    """The cell verbatim."""
    value: Range | None
    """Structured value where the cell holds numbers."""
    supported_by: list[str]
    """Claims in the review's text that say the same, with their references."""
    quote: list[str]
    """The cell as printed in the review's Table 1 (ketcli validate checks it)."""
    locator: list[Locator]
    """Where the cell stands in the source file."""
    notes: list[str]
    """Notes: where the cell and the text differ."""
    curation_notes: list[str]
    """Notes for curators on the text extraction (page breaks, markup, "\\$" for "$"): kept in the
data and in --json, not shown in the reading views (compare, treatment, the brief)."""


class PathwayStep(TypedDict):
    id: str
    """Identifier, unique within the mechanism."""
    label: str
    """What happens at this step."""
    after: list[str]
    """Steps this one follows (empty for the first)."""
    refs: list[int]
    """Reference numbers the review cites for the step."""
    source: str
    """Where the step is described: "Figure 1", "NMDAR Theory" …"""


class Mechanism(TypedDict):
    id: str
    """Identifier used in commands and JSON."""
    name: str
    """Display name."""
    aliases: list[str]
    """Other names a user may type (case-insensitive)."""
    scope: Literal['ketamine theory', 'treatment', 'disease']
    """A theory of ketamine's action, how another treatment acts, or depression's own biology."""
    treatment: str | None
    """Treatment whose action it explains; none for disease mechanisms."""
    status: str
    """Standing the review gives it, in its words ("heavily supported")."""
    status_section: str | None
    """Section where the review states the status."""
    evidence_basis: str | None
    """Evidence basis the abstract gives it ("preclinical evidence")."""
    section: str
    """Section of the review that covers it."""
    summary: str
    """What the mechanism proposes."""
    pathway: list[PathwayStep]
    """Steps of the pathway (Figures 1–2 and the text)."""
    notes: list[str]
    """Notes on the source."""


class Entity(TypedDict):
    id: str
    """Identifier used in commands and JSON."""
    name: str
    """Display name."""
    aliases: list[str]
    """Other names and abbreviations (case-insensitive)."""
    kind: Literal['receptor', 'molecule', 'neurotransmitter', 'enzyme', 'transporter', 'pathway', 'brain region', 'cell type', 'drug']
    """What sort of thing it is."""


class Claim(TypedDict):
    id: str
    """Identifier."""
    text: str
    """The statement, concise and faithful (key terms and numbers as printed)."""
    quote: list[str]
    """The review's own words: one or more exact spans of the source text that say it, with
its reference numbers (after the normalisation of ketcli.data.quotes; ketcli validate checks each)."""
    locator: list[Locator]
    """Where each quote span stands: section, paragraph, character offsets into the source file."""
    section: str
    """Section of the review it comes from."""
    refs: list[int]
    """Reference numbers the review cites for it; empty where it cites none."""
    topic: Literal['methods', 'limitations', 'epidemiology', 'symptoms', 'risk', 'neurobiology', 'classification', 'history', 'mechanism', 'efficacy', 'onset', 'duration', 'side effects', 'tolerability', 'abuse', 'withdrawal', 'dosing', 'accessibility', 'cost', 'conclusion']
    """What aspect of the evidence it is about."""
    stance: Literal['supports', 'contradicts', 'mixed', 'context']
    """Toward its mechanisms: supports, contradicts, mixed, or context."""
    evidence: Literal['animal', 'human', 'meta-analysis', 'review', 'case reports', 'regulatory', 'not stated']
    """Kind of evidence behind it."""
    treatments: list[str]
    """Treatments it is about."""
    mechanisms: list[str]
    """Mechanisms it is about."""
    entities: list[str]
    """Receptors, molecules and brain regions it names."""
    trial: str | None
    """The study record it reports, if any."""
    quantities: list[Quantity]
    """Numbers it gives."""
    notes: list[str]
    """Notes on the source: repetitions, contradictions, references that do not fit."""
    curation_notes: list[str]
    """Notes for curators on the text extraction (page breaks, markup, "\\$" for "$"): kept in the
data and in --json, not shown in the reading views (compare, treatment, the brief)."""


class Trial(TypedDict):
    id: str
    """Identifier."""
    name: str
    """Short name."""
    design: str
    """Study design ("randomized controlled trial", "meta-analysis of 40 RCTs" …)."""
    design_basis: Literal['title', 'text']
    """Where the design comes from: the reference's title or the review's text."""
    refs: list[int]
    """Reference numbers the review cites for it."""
    section: str
    """Section of the review that reports it."""
    treatments: list[str]
    """Treatments it studies."""
    population: str | None
    """Who took part, as the review describes them."""
    n: int | None
    """Number of participants as printed; none where the review gives none."""
    outcome_measure: str | None
    """Primary outcome measure (a scale or a measured quantity) as the review names it."""
    outcome: str | None
    """What it measured, in the words of its quote (a verbatim span of it): "reduction of depressive
symptoms and the rates of remission"; the summary of findings reads it before falling back."""
    setting: str | None
    """Where it took place, in the words of its quote (a verbatim span): "Europe"."""
    follow_up: str | None
    """When outcomes stood or were measured, in the words of its quote (a verbatim span)."""
    results: list[Quantity]
    """Numbers the review reports for its outcomes."""
    characteristics: list[Quantity]
    """Numbers that describe the study rather than an outcome: a dose, an infusion time, the number
of trials a meta-analysis pools."""
    finding: str
    """What it found, in the review's terms."""
    quote: list[str]
    """The review's own words for the finding: exact spans of the source text (ketcli validate checks each)."""
    locator: list[Locator]
    """Where each quote span stands in the source file."""
    head_to_head: bool
    """True where it compares treatments of the dataset directly."""
    notes: list[str]
    """Notes: explanations of discrepancies, mismatches."""


class SideEffect(TypedDict):
    id: str
    """Identifier."""
    treatment: str
    """Treatment that causes it."""
    effect: str
    """The effect, as the review names it."""
    frequency: str | None
    """Frequency in the review's words ("around half", "common"); none if not given."""
    quantity: Quantity | None
    """The number where the review gives one."""
    time_course: str | None
    """How long it lasts, where the review says."""
    refs: list[int]
    """Reference numbers the review cites for it."""
    section: str
    """Section of the review it comes from."""
    study: str | None
    """Study record the frequency comes from."""
    notes: list[str]
    """Notes on the source."""


class Event(TypedDict):
    id: str
    """Identifier."""
    year: int
    """Year (first year of an era)."""
    end_year: int | None
    """Last year of an era, where the review gives its length."""
    when: str
    """The date as the review prints it ("1962", "in the 1980s", "since 2000")."""
    label: str
    """What happened."""
    treatments: list[str]
    """Treatments concerned."""
    refs: list[int]
    """Reference numbers the review cites for it."""
    section: str
    """Section of the review it comes from."""


class VocabularyEntry(TypedDict):
    """Lay phrases (or abbreviations) and the review's words a search for them also looks for:
    ketcli's curation (or an own dataset's curator's), never the review's words."""

    phrases: list[str]
    """What people type ("start working", "shock therapy", "TRD"); a phrase matches the question's
words in this order, a few other words allowed between them."""
    terms: list[str]
    """The review's words also searched for (a word, or a phrase of several)."""
    note: str | None
    """Why the curator maps these (shown nowhere; for the next curator)."""


class Vocabulary(TypedDict):
    """data/vocabulary.toml: the lay vocabulary search expands questions with."""

    schema_version: Literal[1]
    """Version of this file format."""
    entries: list[VocabularyEntry]


class Dataset(TypedDict):
    schema_version: Literal[1]
    """Version of this file format."""
    dataset_version: str
    """Version of the data."""
    extends: Literal['bundled'] | None
    """Set to "bundled" to add records to the bundled dataset."""
    source: Source | None
    """The review this dataset encodes (required unless extends is set)."""
    references: list[Reference]
    treatments: list[Treatment]
    table1: list[TableCell]
    mechanisms: list[Mechanism]
    entities: list[Entity]
    claims: list[Claim]
    trials: list[Trial]
    side_effects: list[SideEffect]
    events: list[Event]
    vocabulary: list[VocabularyEntry]
    """Lay phrases this file adds to ketcli's search vocabulary (its curator's, not the review's words)."""


RECORDS = (Quantity, Methods, Locator, Caption, Source, Reference, Attribute, Treatment, Range, TableCell, PathwayStep, Mechanism, Entity, Claim, Trial, SideEffect, Event, VocabularyEntry, Vocabulary, Dataset)
# pydantic reads this for `ketcli schema`: no other key, and each field's doc as its description.
for _record in RECORDS:
    setattr(_record, "__pydantic_config__", {"extra": "forbid", "use_attribute_docstrings": True})  # noqa: B010
