"""The brief as Zotero's connector reads it: one COinS span per reference it lists, read back
equal to `ketcli cite --format csl-json`, and Highwire `citation_*` meta tags for the review."""

import json
from urllib.parse import parse_qsl

import pytest

from ketcli.data.dataset import load


def coins_of(document) -> dict[int, list[tuple[str, str]]]:
    """Reference number → the ContextObject's pairs, one span per listed reference."""
    found = {}
    for li in document.iter("li"):
        if not (li.get("id") or "").startswith("ref-"):
            continue
        spans = [s for s in li.iter("span") if s.get("class") == "Z3988"]
        assert len(spans) == 1, li.get("id")
        assert spans[0].text is None and len(spans[0]) == 0  # empty: Zotero reads the title only
        found[int(li.get("id")[4:])] = parse_qsl(spans[0].get("title"), keep_blank_values=True, strict_parsing=True)
    return found


def as_csl(pairs: list[tuple[str, str]]) -> dict:
    """A COinS ContextObject read back into the CSL-JSON fields it carries."""
    one = dict(pairs)
    assert one["ctx_ver"] == "Z39.88-2004" and one["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:journal"
    assert one["rft.genre"] == "article"
    item = {"title": one.get("rft.atitle"), "container-title": one.get("rft.jtitle"),
            "issued": {"date-parts": [[int(one["rft.date"])]]} if "rft.date" in one else None,
            "volume": one.get("rft.volume"), "page": one.get("rft.pages"),
            "DOI": one["rft_id"].removeprefix("info:doi/") if "rft_id" in one else None}
    authors = []
    for key, value in pairs:
        if key == "rft.au":
            family, _, given = value.partition(", ")
            authors.append({"family": family, "given": given} if given else {"literal": value})
    item["author"] = authors
    return {k: v for k, v in item.items() if v not in (None, [])}


CARRIED = ("title", "container-title", "issued", "volume", "page", "DOI")


@pytest.mark.parametrize("names", [("ketamine", "ect"), ()])
def test_every_listed_reference_has_coins_equal_to_cite_csl_json(brief, run, names):
    _, _, document = brief(*names)
    spans = coins_of(document)
    listed = [int(li.get("value")) for li in document.iter("li") if (li.get("id") or "").startswith("ref-")]
    assert listed and sorted(spans) == sorted(listed)
    r = run("cite", *map(str, listed), "--format", "csl-json")
    assert r.code == 0, r.err
    by_key = {item["id"]: item for item in json.loads(r.out)}
    references = load(None).references
    for number, pairs in spans.items():
        expected = by_key[references[number]["key"]]
        got = as_csl(pairs)
        for field in CARRIED:
            assert got.get(field) == expected.get(field), (number, field)
        # every author but CSL's "others" (the printed "et al."), which COinS has no field for
        assert got["author"] == [a for a in expected["author"] if a != {"literal": "others"}], number


def test_highwire_meta_tags_carry_the_review_as_printed(brief):
    _, _, document = brief("ketamine")
    head = document.find("head")
    tags = [(m.get("name"), m.get("content")) for m in head.iter("meta") if (m.get("name") or "").startswith("citation_")]
    source = load(None).source
    one = dict(tags)
    assert one["citation_title"] == source["title"]
    assert one["citation_journal_title"] == source["journal"]
    assert one["citation_publication_date"] == source["published"].replace("-", "/")
    assert one["citation_volume"] == source["volume"] and one["citation_issue"] == source["issue"]
    assert one["citation_firstpage"] == source["article_number"] and one["citation_doi"] == source["doi"]
    authors = [v for k, v in tags if k == "citation_author"]
    assert [a.split(", ")[0] for a in authors] == [a.split()[0] for a in source["authors"]]
    assert [v for k, v in tags if k == "citation_keywords"] == source["keywords"]
    assert {k for k, _ in tags} == {"citation_title", "citation_author", "citation_journal_title",
                                    "citation_publication_date", "citation_volume", "citation_issue",
                                    "citation_firstpage", "citation_doi", "citation_keywords"}


def test_a_hostile_reference_stays_inside_its_coins_title(brief, hostile_dataset):
    _, text, document = brief("evil", "ketamine", "--pathway", "evil-mech", data=hostile_dataset)
    spans = coins_of(document)
    pairs = dict(spans[35])
    assert pairs["rft.atitle"] == "\"><img src=x onerror=alert('title')>"
    assert pairs["rft.jtitle"] == "<iframe src=javascript:alert(1)>"
    assert "<img src=x" not in text and "<iframe" not in text
