"""The words every output shares, written once: the [n] markers, the DOI address, the
Table 1 footnote and "not reported in the source". The terminal views, Markdown, the
citation formats, the MCP text, the HTML brief and the SQLite export take them from here.

Standard library only, and cheap: the terminal's start-up path imports it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ketcli.data.vocab import NOT_REPORTED

__all__ = ["NOTE_MARK", "NOT_REPORTED", "TABLE1_CITES_NOTHING", "doi_url", "markers", "table1_footnote"]

NOTE_MARK = "†"
"""Marks a Table 1 cell on which the dataset notes how the text and the table differ."""


def markers(refs: Iterable[int]) -> str:
    """The review's reference numbers as it prints them, "[1,5,15]"; "" for none."""
    numbers = ",".join(map(str, refs))
    return f"[{numbers}]" if numbers else ""


def doi_url(doi: str) -> str:
    """The DOI's resolver address, https://doi.org/… (characters a URL cannot hold escaped)."""
    from urllib.parse import quote

    return "https://doi.org/" + quote(" ".join(doi.split()), safe="/:;()._-")


TABLE1_CITES_NOTHING = ("Cells are Table 1 verbatim. Table 1 cites nothing: [n] are the references of the "
                        "review's sentences linked to each cell, which may say less than the cell or something else")
"""What every rendering of Table 1 says under it (then how it shows the dataset's notes)."""


def table1_footnote(mark: str = NOTE_MARK, notes_below: bool = True) -> str:
    """The Table 1 footnote of a rendering that marks noted cells with `mark`."""
    return (f"{TABLE1_CITES_NOTHING}; {mark} marks a cell where the dataset notes how the text and the table "
            "differ" + (" (notes below)." if notes_below else "."))
