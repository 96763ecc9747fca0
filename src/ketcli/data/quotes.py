"""The review's own words: quotes of the source text and where they stand in it.

A record's `quote` is one or more exact spans of the review's text after `normalise()`:
every run of whitespace (newlines, tabs) is one space, and the extraction artifacts that
source/README.md lists are undone (`\\$` is `$`, `$p < 0.001$` is `p < 0.001`, `5-HT_{2A}`
is `5-HT2A`, `GABA_A` is `GABAA`, `AMPA_Rs` is `AMPARs`). Nothing else is changed: a
quote matches character for character. Its `locator` (one per span) gives the section,
the paragraph within it and the character offsets [start, end) into the source file
(Python string indices of the UTF-8 text, not bytes).

Sections and paragraphs: a section starts at a heading of the review (sub-headings are
named as the dataset names them: "SSRIs: Side Effects", "Comparison: Response Rates");
Figures 1–2 and Table 1 are sections of their own. Each non-empty line of the source is
a paragraph, except that a line continuing a sentence cut by a page break (it starts in
lower case) belongs to the paragraph before it, and the "How to cite this article"
footer counts for nothing.

Only `ketcli validate`, `about` and the `--quotes` views load the source text; a normal
query never does. Light imports only (re).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

ARTEFACTS = {
    "\\$": "$",
    "$p < 0.001$": "p < 0.001",
    "5-HT_{2A}": "5-HT2A",
    "GABA_A": "GABAA",
    "AMPA_Rs": "AMPARs",
}
# whitespace other than a single space: a single space is already normal, so it need not match
_PATTERN = re.compile("|".join(re.escape(a) for a in ARTEFACTS) + r"|\s*[^\S ]\s*| {2,}")

# The review's headings in the order they are printed, with the name the dataset gives
# the section they start. (heading line as printed, section name)
HEADINGS = (
    ("Neuropharmacology of Ketamine and Its Use in the Treatment of Major Depressive Disorder: A Review", "Front matter"),
    ("Abstract", "Abstract"),
    ("Categories: Neurology, Psychiatry, Pharmacology", "Front matter"),
    ("Introduction And Background", "Introduction And Background"),
    ("Review", "Review"),
    ("Methods", "Methods"),
    ("Depression: overview", "Depression: overview"),
    ("Depression: neurobiology", "Depression: neurobiology"),
    ("Depression: treatments", "Depression: treatments"),
    ("TCAs", "TCAs"),
    ("SSRIs", "SSRIs"),
    ("Side Effects", "SSRIs: Side Effects"),
    ("Delayed Onset of Action", "SSRIs: Delayed Onset of Action"),
    ("Limited Efficacy", "SSRIs: Limited Efficacy"),
    ("ECT", "ECT"),
    ("Ketamine: overview", "Ketamine: overview"),
    ("Ketamine: neuropharmacology", "Ketamine: neuropharmacology"),
    ("NMDAR Theory", "NMDAR Theory"),
    ("FIGURE 1: Proposed mechanism for ketamine's antidepressant effects", "Figure 1"),
    ("FIGURE 2: Proposed mechanism for ketamine's antidepressant effects.", "Figure 2"),
    ("Monoamine Theory", "Monoamine Theory"),
    ("Opioid Receptor Theory", "Opioid Receptor Theory"),
    ("Anti-inflammatory Theory", "Anti-inflammatory Theory"),
    ("Ketamine: drawbacks", "Ketamine: drawbacks"),
    ("Ketamine: side effects", "Ketamine: side effects"),
    ("Ketamine: abuse potential", "Ketamine: abuse potential"),
    ("Ketamine: transience of antidepressant effects", "Ketamine: transience of antidepressant effects"),
    ("Ketamine: comparison to other treatments", "Ketamine: comparison to other treatments"),
    ("Response Rates", "Comparison: Response Rates"),
    ("Speed of Onset", "Comparison: Speed of Onset"),
    ("Duration of Effects", "Comparison: Duration of Effects"),
    ("Side Effects", "Comparison: Side Effects"),
    ("Accessibility", "Comparison: Accessibility"),
    ("Treatment\tOnset of action", "Table 1"),
    ("Limitations", "Limitations"),
    ("Conclusions", "Conclusions"),
    ("Additional Information", "Additional Information"),
    ("References", "References"),
)
FIRST_PARAGRAPH_IS_HEADING = {"Figure 1", "Figure 2", "Table 1", "Front matter"}
FOOTER = ("How to cite this article", "Papadopoulos Z (April 30, 2025)")


def _replacement(match: re.Match[str]) -> str:
    found = match.group()
    return " " if found.isspace() else ARTEFACTS[found]


def normalise(raw: str) -> str:
    """The text as quotes are checked against: whitespace runs one space, artifacts undone."""
    return _PATTERN.sub(_replacement, raw)


def flat(text: str) -> str:
    """A string normalised as the source is (for comparing a quote with a span)."""
    return normalise(text).strip()


class _Offsets:
    """Normalised index → raw index: the text between replacements is copied unchanged, so
    each replacement (start in the normalised text, its length, the raw span it replaced)
    is all that needs keeping."""

    def __init__(self, raw: str) -> None:
        self.starts: list[int] = []  # normalised start of each replacement
        self.lengths: list[int] = []
        self.raw_spans: list[tuple[int, int]] = []
        shift = 0  # raw index minus normalised index, after the replacements so far
        for match in _PATTERN.finditer(raw):
            length = len(_replacement(match))
            self.starts.append(match.start() - shift)
            self.lengths.append(length)
            self.raw_spans.append(match.span())
            shift += (match.end() - match.start()) - length

    def _find(self, i: int) -> tuple[int, bool]:
        k = bisect_right(self.starts, i) - 1
        return k, k >= 0 and i < self.starts[k] + self.lengths[k]

    def start(self, i: int) -> int:
        """Raw index where the normalised character i begins."""
        k, inside = self._find(i)
        if inside:
            return self.raw_spans[k][0]
        if k < 0:
            return i
        return self.raw_spans[k][1] + (i - self.starts[k] - self.lengths[k])

    def end(self, j: int) -> int:
        """Raw index just past the normalised character j - 1."""
        k, inside = self._find(j - 1)
        if inside:
            return self.raw_spans[k][1]
        return self.start(j - 1) + 1


class Source:
    """The review's text with its normalised form and its section/paragraph map."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = normalise(raw)
        self._offsets = _Offsets(raw)
        self._paragraphs = list(_paragraphs(raw))  # (start, end, section, number)
        self._starts = [p[0] for p in self._paragraphs]

    def find_all(self, quote: str) -> list[tuple[int, int]]:
        """Raw [start, end) of every place the quote stands in the source."""
        places = []
        at = self.text.find(quote) if quote else -1
        while at >= 0:
            places.append((self._offsets.start(at), self._offsets.end(at + len(quote))))
            at = self.text.find(quote, at + 1)
        return places

    def where(self, start: int) -> tuple[str, int]:
        """(section, paragraph number) of the raw offset `start`."""
        i = bisect_right(self._starts, start) - 1
        if i < 0:
            return "Front matter", 0
        return self._paragraphs[i][2], self._paragraphs[i][3]

    def locate(self, quote: str, near: int | None = None) -> dict[str, Any] | None:
        """The locator of a quote: where it first stands at or after raw offset `near`
        (a quote printed twice, a Table 1 cell in its row), else where it first stands."""
        places = self.find_all(quote)
        if not places:
            return None
        after = [p for p in places if near is not None and p[0] >= near]
        start, end = after[0] if after else places[0]
        section, paragraph = self.where(start)
        return {"section": section, "paragraph": paragraph, "start": start, "end": end}

    def check(self, quote: list[str], locator: list[dict[str, Any]]) -> str | None:
        """None when every span is in the source where its locator says; else the problem."""
        for span in quote:
            if not span or span not in self.text:
                return "quote not found in the source"
        if len(locator) != len(quote):
            return f"{len(quote)} quote span(s) but {len(locator)} locator(s)"
        for span, loc in zip(quote, locator):
            start, end = loc["start"], loc["end"]
            if not (0 <= start < end <= len(self.raw)) or flat(self.raw[start:end]) != span:
                return f"locator {start}-{end} does not point at the quote"
            section, paragraph = self.where(start)
            if (loc["section"], loc["paragraph"]) != (section, paragraph):
                return (f"locator says {loc['section']!r} paragraph {loc['paragraph']}, "
                        f"the quote stands in {section!r} paragraph {paragraph}")
        return None



def _paragraphs(raw: str) -> Iterator[tuple[int, int, str, int]]:
    """(start, end, section, number) of each paragraph, in order."""
    headings = iter(HEADINGS)
    heading: str | None
    name: str
    heading, name = next(headings)
    section, number = "Front matter", 0
    in_footer = False
    at = 0
    for line in raw.split("\n"):
        start, end = at, at + len(line)
        at = end + 1
        text = line.strip()
        if not text:
            continue
        if heading is not None and (text == heading or (heading.startswith("Treatment\t") and line.startswith(heading))):
            section, number = name, 0
            heading, name = next(headings, (None, name))  # past the last heading: no more
            if section not in FIRST_PARAGRAPH_IS_HEADING:
                continue
        if text.startswith(FOOTER):
            in_footer = True
            continue
        if in_footer or (text[0].islower() and number):
            in_footer = False
            if text[0].islower() and number:  # a sentence cut by a page break goes on
                yield start, end, section, number
                continue
        number += 1
        yield start, end, section, number


@lru_cache(maxsize=2)
def load(path: str) -> Source:
    return Source(Path(path).read_text(encoding="utf-8"))


def shipped() -> Source:
    """The review's text shipped with ketcli."""
    from ketcli.data.dataset import source_path

    return load(str(source_path()))


def quoted(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(collection, label, record) of every record that can carry a quote."""
    for c in data.get("claims") or []:
        yield "claims", f"claim {c['id']}", c
    for t in data.get("trials") or []:
        yield "trials", f"trial {t['id']}", t
    for c in data.get("table1") or []:
        yield "table1", f"table1 {c['treatment']}/{c['dimension']}", c
    for c in (data.get("source") or {}).get("captions") or []:
        yield "captions", f"caption {c['label']}", c


def problems(data: dict[str, Any], source: Source) -> list[tuple[dict[str, Any], str, str]]:
    """(record, label, problem) for every quote that is not in the source where it says."""
    out = []
    for _, label, record in quoted(data):
        if record.get("quote"):
            problem = source.check(record["quote"], record.get("locator") or [])
            if problem:
                out.append((record, label, problem))
    return out


def counts(data: dict[str, Any], source: Source) -> dict[str, int]:
    """How many claims there are, how many carry a quote, and how many of those check out."""
    claims = data.get("claims") or []
    with_quote = [c for c in claims if c.get("quote")]
    checked = [c for c in with_quote if source.check(c["quote"], c.get("locator") or []) is None]
    return {"claims": len(claims), "with_quote": len(with_quote), "checked": len(checked)}
