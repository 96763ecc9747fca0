"""The review's own words, as the `--quotes` views show them: each span in quotation marks,
then where it stands (section, paragraph, characters of the source file)."""

from __future__ import annotations


def locator_text(loc: dict) -> str:
    """'NMDAR Theory, paragraph 1, characters 20512–20700 of the source'."""
    return f"{loc['section']}, paragraph {loc['paragraph']}, characters {loc['start']}–{loc['end']} of the source"


def quote_lines(record: dict) -> list[str]:
    """One line per span: “words” — where; or a plain statement when the record has none."""
    spans = record.get("quote") or []
    if not spans:
        return ["(no quote recorded for this record)"]
    return [f"“{span}” — {locator_text(loc)}" for span, loc in zip(spans, record.get("locator") or [])]

