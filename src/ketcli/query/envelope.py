"""What every result starts with: the schema version, the command, the review it answers
from and the dataset's SHA-256 (`_envelope`), and the references a result cites, whole."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ketcli.data.dataset import Data
    from ketcli.data.records import Reference
    from ketcli.query.results import C, Envelope

SCHEMA_VERSION: Literal[2] = 2  # 2: every envelope carries dataset_sha256


def _envelope(data: Data, command: C) -> Envelope[C]:
    s = data.source
    return {
        "schema_version": SCHEMA_VERSION,
        "command": command,
        "source": {
            "title": s["title"], "authors": s["authors"], "journal": s["journal"],
            "year": s["year"], "doi": s["doi"], "license": s["license"],
        },
        "dataset_sha256": data.sha256,
    }


def _references(data: Data, numbers: Iterable[int]) -> list[Reference]:
    return [data.references[n] for n in sorted(set(numbers)) if n in data.references]
