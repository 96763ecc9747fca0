"""The readable text of a tool's answer: the terminal's view of the same result, as plain text.

An assistant reads this text; a program reads the structured content (the `--json`
dict). The text is drawn by the terminal's own views (render/terminal/draw.py) with
their tables stacked as "Header: cell" blocks, no colour and no trailing padding, so it
carries the same labels, numbers, notes (the † of compare), footers, [n] and references
as `ketcli COMMAND` on a terminal; the data's control characters are shown as escapes
there, as here. Then the source and the dataset's SHA-256.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

WIDTH = 100
"""Lines are wrapped here, as on a terminal of this width."""


def summary(result: Mapping[str, Any], view: str) -> str:
    """`result` as the terminal draws its `view`, then the source it comes from."""
    from ketcli.render.terminal.draw import to_text

    drawn = "\n".join(line.rstrip() for line in to_text(result, view, WIDTH).splitlines()).strip("\n")
    src = result.get("source")
    if src is None:  # validate: a file's checks, not the review's words
        return f"{drawn}\n\ndataset sha256 {(result['dataset_sha256'] or 'unreadable')[:16]}…"
    return (f"{drawn}\n\nSource: {src['authors'][0]}, {src['title']}, {src['journal']} {src['year']}, "
            f"doi:{src['doi']} ({src['license']}); dataset sha256 {result['dataset_sha256'][:16]}…")
