"""What Zotero's browser connector reads from a page: a COinS span per reference and
Highwire `citation_*` meta tags for the page's own article (here: the review).

COinS (an OpenURL ContextObject in a span's title, KEV format, Z39.88-2004) is made from
the reference's CSL-JSON item (render/citations.py), so a reference manager gets exactly
what `ketcli cite --format csl-json` gives, as far as COinS has fields for it: authors
("Family, Given", the way Zotero splits a name with a comma), title, journal, year,
volume, pages, DOI. "et al." has no COinS field and is left out. The Highwire tags carry
the review as printed: title, authors, journal, date, volume, issue, article number
(as the first page, Cureus prints no pages), DOI and keywords.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from urllib.parse import quote

JOURNAL = "info:ofi/fmt:kev:mtx:journal"
DOCUMENT = "info:ofi/fmt:kev:mtx:dc"


def _author(name: dict) -> str | None:
    if "literal" in name:
        return None if name["literal"] == "others" else name["literal"]
    return f"{name['family']}, {name['given']}" + (f", {name['suffix']}" if name.get("suffix") else "")


def coins_pairs(ref: dict) -> list[tuple[str, str]]:
    """The ContextObject's keys and values for one reference, from its CSL-JSON item."""
    from ketcli.render.citations import to_csl_json

    item = to_csl_json([ref])[0]
    journal = item["type"] == "article-journal"
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", JOURNAL if journal else DOCUMENT)]
    if item.get("DOI"):
        pairs.append(("rft_id", f"info:doi/{item['DOI']}"))
    if journal:
        pairs.append(("rft.genre", "article"))
    if item.get("title"):
        pairs.append(("rft.atitle" if journal else "rft.title", item["title"]))
    if item.get("container-title"):
        pairs.append(("rft.jtitle", item["container-title"]))
    if item.get("issued"):
        pairs.append(("rft.date", str(item["issued"]["date-parts"][0][0])))
    for key, csl in (("rft.volume", "volume"), ("rft.pages", "page")):
        if item.get(csl):
            pairs.append((key, item[csl]))
    for name in item.get("author", []):
        author = _author(name)
        if author:
            pairs.append(("rft.au" if journal else "rft.creator", author))
    return pairs


def coins(ref: dict) -> str:
    """The KEV string for a COinS span's title (URL-encoded; the template escapes the &)."""
    return "&".join(f"{key}={quote(value, safe='')}" for key, value in coins_pairs(ref))


def highwire(review: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(name, content) of the Highwire `citation_*` meta tags for the review."""
    from ketcli.render.citations import to_csl_json

    item = to_csl_json([{"key": "review", "authors": review["authors"], "title": review["title"],
                         "journal": review["journal"], "year": review["year"]}])[0]
    tags = [("citation_title", review["title"])]
    tags += [("citation_author", a) for a in (_author(n) for n in item.get("author", [])) if a]
    tags.append(("citation_journal_title", review["journal"]))
    if review.get("published"):
        tags.append(("citation_publication_date", review["published"].replace("-", "/")))
    else:
        tags.append(("citation_publication_date", str(review["year"])))
    for name, field in (("citation_volume", "volume"), ("citation_issue", "issue"),
                        ("citation_firstpage", "article_number"), ("citation_doi", "doi")):
        if review.get(field):
            tags.append((name, review[field]))
    tags += [("citation_keywords", k) for k in review.get("keywords", [])]
    return tags
