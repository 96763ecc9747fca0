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

NOT_REPORTED = "not reported in the source"
"""What every surface says where the review is silent (DESIGN.md's faithfulness rule)."""

STANCES: tuple[str, ...] = get_args(Stance)
EVIDENCE_KINDS: tuple[str, ...] = get_args(Evidence)
