"""FHIR R5 Citation resources: the review and each of its references, as printed.

Authors go in `citedArtifact.contributorship` (a Reference with the printed name as its
display, `complete` false where the list ends in "et al.") and as the printed author
string; journal, volume, pages and year in `publicationForm`; the DOI as an identifier
and, where it looks like a DOI, a doi.org web location. Nothing the source does not print
is filled in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import re

from ketcli.render.fhir.values import Leftovers, markdown

DOI = re.compile(r"^10\.\d{4,9}/\S+$")

DOI_SYSTEM = "https://doi.org"
TITLE_TYPE = "http://hl7.org/fhir/title-type"
PUBLISHED_IN_TYPE = "http://hl7.org/fhir/published-in-type"
URL_CLASSIFIER = "http://hl7.org/fhir/artifact-url-classifier"
SUMMARY_TYPE = "http://hl7.org/fhir/contributor-summary-type"
PART_TYPE = "http://hl7.org/fhir/cited-artifact-part-type"


def coding(system: str, code: str, display: str) -> dict:
    return {"coding": [{"system": system, "code": code, "display": display}]}


def doi_link(doi: str | None) -> str | None:
    """https://doi.org/… for a value that looks like a DOI (10.NNNN/…); nothing else becomes a URL."""
    from ketcli.render.citations import doi_url

    return doi_url(doi) if doi and DOI.match(doi) else None


def _contributors(authors: list[str], et_al: bool, left: Leftovers) -> dict:
    names = [n for n in (left.text(a, f"author {i + 1}") for i, a in enumerate(authors)) if n]
    if not names:
        return {}
    printed = ", ".join(names) + (", et al." if et_al else "")
    return {
        "complete": not et_al,
        "entry": [{"contributor": {"display": name}, "rankingOrder": i + 1} for i, name in enumerate(names)],
        "summary": [{"type": coding(SUMMARY_TYPE, "author-string", "Author string"), "value": markdown(printed)}],
    }


def cited_artifact(record: Mapping[str, Any], left: Leftovers, *, pages: str | None, date: str | None,
                   issue: str | None = None) -> dict:
    """`citedArtifact` for a record with title, authors, journal, year, volume and DOI."""
    doi = left.text(record.get("doi"), "DOI")
    url = doi_link(doi)
    title = left.markdown(record.get("title"), "title")
    journal = left.text(record.get("journal"), "journal")
    return {
        "identifier": [{"system": DOI_SYSTEM, "value": doi}] if doi else [],
        "title": [{"type": [coding(TITLE_TYPE, "primary", "Primary title")], "text": title}] if title else [],
        "publicationForm": [{
            "publishedIn": {"type": coding(PUBLISHED_IN_TYPE, "D020492", "Periodical"), "title": journal}
            if journal else {},
            "volume": left.text(record.get("volume"), "volume"),
            "issue": left.text(issue, "issue"),
            "articleDate": date,
            "pageString": left.text(pages, "pages"),
        }],
        "webLocation": [{"classifier": [coding(URL_CLASSIFIER, "doi-based", "DOI Based")], "url": url}] if url else [],
        "contributorship": _contributors(record.get("authors") or [], bool(record.get("et_al")), left),
    }
