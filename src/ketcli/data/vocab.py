"""The dataset's closed vocabularies, defined once.

Plain `typing.Literal`s, so the command line (`data add claim --stance …`), the queries
(the evidence map's columns) and the pydantic models share them without importing
pydantic on every start.
"""

from typing import Literal, get_args

Stance = Literal["supports", "contradicts", "mixed", "context"]
Evidence = Literal[
    "animal", "human", "meta-analysis", "review", "case reports", "regulatory", "not stated"
]
Topic = Literal[
    "methods", "limitations", "epidemiology", "symptoms", "risk", "neurobiology",
    "classification", "history", "mechanism", "efficacy", "onset", "duration",
    "side effects", "tolerability", "abuse", "withdrawal", "dosing", "accessibility",
    "cost", "conclusion",
]

Collection = Literal["references", "treatments", "table1", "mechanisms", "entities",
                     "claims", "trials", "side_effects", "events"]
"""A list of records in the dataset; `Data[name]` is typed by it (records.py's TypedDicts)."""
COLLECTIONS: tuple[Collection, ...] = get_args(Collection)

NOT_REPORTED = "not reported in the source"
"""What every surface says where the review is silent (DESIGN.md's faithfulness rule)."""

STANCES: tuple[str, ...] = get_args(Stance)
EVIDENCE_KINDS: tuple[str, ...] = get_args(Evidence)
TOPICS: tuple[str, ...] = get_args(Topic)
# Table 1's dimensions and the labels the review gives them, in its order.
DIMENSIONS = {
    "onset": "Onset of action",
    "response_rate": "Response rate",
    "duration": "Duration of effects",
    "tolerability": "Tolerability",
    "accessibility": "Accessibility",
}

# The evidence rule (data/treatments.toml's claims header and docs/researcher.md say the same):
# a claim's `evidence` is the kind the review's own words give it; else, when every reference the
# claim cites has a recorded design and each design is one of these (secondary literature, which
# can stand behind any statement it is cited for), that kind; else "not stated". A primary
# study's design (a trial, an animal study) is never a fallback: the review cites such studies for
# statements outside what they studied.
SECONDARY_DESIGNS: dict[str, str] = {
    "review": "review",
    "systematic review and meta-analysis": "meta-analysis",
    "updated systematic review and meta-analysis": "meta-analysis",
}


def evidence_fallback(designs: list[str | None]) -> str | None:
    """The evidence kind a claim takes from the designs of the references it cites, or None."""
    kinds = {SECONDARY_DESIGNS.get(d) if d else None for d in designs}
    if not designs or None in kinds or len(kinds) != 1:
        return None
    return kinds.pop()
