"""Pure functions from the dataset to result dicts (shapes: results.py).

They never print or exit; a name that matches nothing raises NotFound.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

from ketcli.errors import NotFound, UsageError
from ketcli.data.names import resolve
from ketcli.data.vocab import EVIDENCE_KINDS, NOT_REPORTED as NOT_REPORTED, STANCES  # NOT_REPORTED: importers use it from here
# compare and the envelope live in modules of their own, so `ketcli compare` (the command
# people run most) imports only what it uses; re-exported here, where the other queries are.
from ketcli.query.compare import compare as compare, treatment_summary as treatment_summary
from ketcli.query.envelope import SCHEMA_VERSION as SCHEMA_VERSION, _envelope, _references

if TYPE_CHECKING:
    from ketcli.data.dataset import Data
    from ketcli.query.results import (
        CiteResult, CiteUsageResult, EvidenceMapResult, MechanismListResult, MechanismResult, SearchResult,
    )
    from ketcli.data.records import Claim, Entity, Mechanism

def _counts(claims: list[Claim]) -> dict[str, Any]:
    counts = {stance: 0 for stance in STANCES}
    for claim in claims:
        counts[claim["stance"]] += 1
    return {"claims": len(claims), **counts}


def claims_of_mechanism(data: Data, mechanism_id: str) -> list[Claim]:
    return [c for c in data["claims"] if mechanism_id in c["mechanisms"]]


def mechanism_list(data: Data) -> MechanismListResult:
    rows = []
    for m in data["mechanisms"]:
        rows.append({
            "id": m["id"], "name": m["name"], "scope": m["scope"], "treatment": m["treatment"],
            "treatment_name": data.treatments[m["treatment"]]["name"] if m["treatment"] in data.treatments else None,
            "status": m["status"], "evidence_basis": m["evidence_basis"],
            "counts": _counts(claims_of_mechanism(data, m["id"])),
        })
    return cast("MechanismListResult", {**_envelope(data, "mechanism"), "mechanisms": rows})


def _alias_shadows(records: list[Mechanism | Entity], query: str, mechanisms: list[Mechanism]) -> None:
    """A name that is only an alias of one record, while other records' names start with
    it ("glutamate": an alias of the NMDAR theory, and the glutamatergic dysfunction
    mechanism's id), is ambiguous: raise with the choices."""
    from ketcli.data.names import names_of
    from ketcli.data.names import normalise

    wanted = normalise(query)
    exact = [r for r in records if wanted in (normalise(n) for n in names_of(r))]
    if len(exact) != 1 or wanted in (exact[0]["id"].lower(), normalise(exact[0].get("name") or "")):
        return
    others = [r for r in mechanisms if r is not exact[0] and any(normalise(n).startswith(wanted) for n in names_of(r))]
    if others:
        choices = "; ".join(f"{r['name']} ({r['id']})" for r in [exact[0], *others])
        raise NotFound(f"{query!r} could mean: {choices}", hint=f"e.g. ketcli mechanism {exact[0]['id']}")


def mechanism(data: Data, name: str) -> MechanismResult:
    named: list[Mechanism | Entity] = [*data["mechanisms"], *data["entities"]]
    _alias_shadows(named, name, data["mechanisms"])
    record = resolve(named, name, "mechanism or entity")
    found = data.mechanisms.get(record["id"])
    if found is not None and record is found:
        claims = claims_of_mechanism(data, found["id"])
        cited = [n for c in claims for n in c["refs"]] + [n for s in found["pathway"] for n in s["refs"]]
        return cast("MechanismResult", {
            **_envelope(data, "mechanism"),
            "kind": "mechanism",
            "mechanism": found,
            "entity": None,
            "counts": _counts(claims),
            "claims": claims,
            "mechanism_names": _mechanism_names(data, claims),
            "references": _references(data, cited),
        })
    claims = [c for c in data["claims"] if record["id"] in c["entities"]]
    if not claims:
        raise NotFound(f"no claim in the dataset involves {record['name']}")
    cited = [n for c in claims for n in c["refs"]]
    return cast("MechanismResult", {
        **_envelope(data, "mechanism"),
        "kind": "entity",
        "mechanism": None,
        "entity": record,
        "counts": _counts(claims),
        "claims": claims,
        "mechanism_names": _mechanism_names(data, claims),
        "references": _references(data, cited),
    })


def _mechanism_names(data: Data, claims: list[Claim]) -> dict[str, str]:
    """id → name of every mechanism the claims name, so a view can show names, not ids."""
    ids = dict.fromkeys(i for c in claims for i in c["mechanisms"])
    return {i: data.mechanisms[i]["name"] for i in ids if i in data.mechanisms}


def parse_ref_selection(data: Data, tokens: list[str]) -> list[int]:
    """Reference numbers for '11', '1-5' and 'anand2023'; unknown ones raise."""
    known = data.references
    numbers: list[int] = []
    from ketcli.query.refnumbers import parse_token

    for token in tokens:
        text = token.strip()
        try:
            parsed = parse_token(text)
        except ValueError as exc:
            raise UsageError(f"{token[:40]!r} is {exc}" if str(exc).startswith("not") else
                             f"{token[:40]!r}: {exc}") from None
        if not isinstance(parsed, str):
            first, last = parsed if isinstance(parsed, tuple) else (parsed, parsed)
            if first > last:
                raise UsageError(f"reference range {text!r} runs backwards")
            if last - first > 10_000:
                raise UsageError(f"reference range {text!r} is too long")
            missing = [n for n in range(first, last + 1) if n not in known]
            if missing:
                span = f"{min(known)}–{max(known)}" if known else "none"
                raise NotFound(f"no reference {missing[0]} in the review (it has {span})")
            numbers += range(first, last + 1)
        else:
            by_key = data.references_by_key
            key = parsed
            if key not in by_key:
                import difflib

                close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.6)
                hint = ("did you mean " + " or ".join(close) + "?") if close else "keys look like anand2023; see ketcli cite"
                raise NotFound(f"no reference with key {text!r}", hint=hint)
            numbers.append(by_key[key]["number"])
    return list(dict.fromkeys(numbers))


def search(data: Data, query: str, limit: int | None = 20, topic: str | None = None, exact: bool = False, *,
           empty_ok: bool = False, complete: bool = False) -> SearchResult:
    """Ranked search for the records that answer `query` (any word; lay phrases also search
    the review's words unless `exact`). No hit: NotFound, or with `empty_ok` the result with
    no hits. `complete`: only the records that hold the most of the question (what cite --search
    cites), not every record matching one of its words."""
    from ketcli.data.vocab import TOPICS
    from ketcli.query.search import QueryError, rank

    if topic is not None and topic not in TOPICS:
        raise UsageError(f"no topic {topic!r}", hint="topics: " + ", ".join(TOPICS))
    if not query.strip() and topic is None:
        raise UsageError("the search query is empty")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be 1 or more")
    try:
        found = rank(data, query, topic, limit, exact, complete)
    except QueryError as exc:
        raise UsageError(str(exc)) from None
    hits = [_quoted_hit(data, h) for h in found["hits"]]
    cited = [n for h in hits for n in h["refs"]]
    result = {**_envelope(data, "search"), "query": query, "topic": topic, "exact": exact, "words": found["terms"],
              "ignored": found["dropped"], "also_searched": found["also_searched"],
              "words_not_found": found["unmatched"],
              "matched_all": found["matched_all"], "semantic": found["semantic"], "total": found["total"], "hits": hits,
              "references": _references(data, cited)}
    if not hits and not empty_ok:
        within = f" among the claims on {topic}" if topic else ""
        close = found.get("suggestions")
        hint = ("did you mean " + " or ".join(close) + "?") if close else \
            "try fewer or other words, a word's start (dissociat), or ketcli search --help"
        raise NotFound(f"nothing in the review matches {query!r}{within}", hint=hint)
    return cast("SearchResult", result)


def _quoted_hit(data: Data, hit: dict[str, Any]) -> dict[str, Any]:
    """The hit with the review's exact words of its record (claims, trials, Table 1 cells; else none)."""
    record: Mapping[str, Any] | None = None
    if hit["kind"] == "claim":
        record = data.claims.get(hit["id"])
    elif hit["kind"] == "trial":
        record = data.trials.get(hit["id"])
    elif hit["kind"] == "table cell":
        record = next((c for c in data["table1"] if f"{c['treatment']}.{c['dimension']}" == hit["id"]), None)
    record = record or {}
    return {**hit, "quote": record.get("quote") or [], "locator": record.get("locator") or []}


def references_of_treatment(data: Data, treatment_id: str) -> list[int]:
    t = data.treatments[treatment_id]
    numbers = [n for a in t["attributes"] for n in a["refs"]]
    for collection in ("claims", "trials", "events"):
        numbers += [n for r in data[collection] if treatment_id in r["treatments"] for n in r["refs"]]
    numbers += [n for r in data["side_effects"] if r["treatment"] == treatment_id for n in r["refs"]]
    numbers += [n for m in data["mechanisms"] if m["treatment"] == treatment_id
                for c in claims_of_mechanism(data, m["id"]) for n in c["refs"]]
    return numbers


def cite(data: Data, tokens: list[str], *, treatment: str | None = None, mechanism_name: str | None = None,
         search_query: str | None = None) -> CiteResult:
    """References by number, range or key, or those behind a treatment, mechanism or search."""
    selectors = [s for s in (treatment, mechanism_name, search_query) if s is not None]
    if tokens and search_query is not None and not _all_refs(data, tokens):
        word = next(t for t in tokens if not _all_refs(data, [t]))
        raise UsageError(f"{word!r} is not a reference; quote a multi-word query: "
                         f"--search \"{' '.join([search_query, *tokens])}\"")
    if tokens and selectors:
        raise UsageError("give references or one of --treatment, --mechanism, --search, not both")
    if len(selectors) > 1:
        raise UsageError("give one of --treatment, --mechanism, --search")
    if treatment is not None:
        numbers = sorted(set(references_of_treatment(data, resolve(data["treatments"], treatment, "treatment")["id"])))
    elif mechanism_name is not None:
        numbers = [r["number"] for r in mechanism(data, mechanism_name)["references"]]
    elif search_query is not None:
        hits = search(data, search_query, limit=None, complete=True)["hits"]
        numbers = sorted({n for h in hits for n in h["refs"]})
    elif tokens:
        numbers = parse_ref_selection(data, tokens)
    else:
        numbers = sorted(data.references)
    if not numbers:
        raise NotFound("the selection cites no reference")
    return cast("CiteResult", {**_envelope(data, "cite"), "references": [data.references[n] for n in numbers]})


def _all_refs(data: Data, tokens: list[str]) -> bool:
    try:
        parse_ref_selection(data, tokens)
        return True
    except (NotFound, UsageError):
        return False


def usage(data: Data, tokens: list[str], search_query: str | None = None) -> CiteUsageResult:
    """Every record of the review that cites each reference: the reverse index. With
    `search_query`: the references of the search's hits, each with the hits that cite it."""
    if search_query is not None:
        if tokens:
            cite(data, tokens, search_query=search_query)  # raises the right usage error
        hits = search(data, search_query, limit=None, complete=True)["hits"]
        numbers = sorted({n for h in hits for n in h["refs"]})
        if not numbers:
            raise NotFound(f"the records matching {search_query!r} cite no reference")
        out = [{"reference": data.references[n],
                "uses": [{k: h[k] for k in ("kind", "id", "text", "section", "refs")} for h in hits if n in h["refs"]]}
               for n in numbers]
    else:
        if not tokens:
            raise UsageError("--usage needs one or more references (e.g. ketcli cite 33 --usage) or --search")
        out = []
        for n in parse_ref_selection(data, tokens):
            uses = [use for use in _uses(data) if n in use["refs"]]
            out.append({"reference": data.references[n], "uses": uses})
    return cast("CiteUsageResult", {**_envelope(data, "cite"), "search": search_query, "usage": out,
            "references": [entry["reference"] for entry in out]})


def _uses(data: Data) -> Iterator[dict[str, Any]]:
    for c in data["claims"]:
        yield {"kind": "claim", "id": c["id"], "text": c["text"], "section": c["section"], "refs": c["refs"]}
    for tr in data["trials"]:
        yield {"kind": "trial", "id": tr["id"], "text": tr["finding"], "section": tr["section"], "refs": tr["refs"]}
    for se in data["side_effects"]:
        yield {"kind": "side effect", "id": se["id"], "text": se["effect"], "section": se["section"], "refs": se["refs"]}
    for e in data["events"]:
        yield {"kind": "event", "id": e["id"], "text": e["label"], "section": e["section"], "refs": e["refs"]}
    for t in data["treatments"]:
        for a in t["attributes"]:
            yield {"kind": "treatment attribute", "id": f"{t['id']}.{a['name']}",
                   "text": f"{t['name']} {a['name']}: {a['value']}", "section": a["section"], "refs": a["refs"]}
    for m in data["mechanisms"]:
        for step in m["pathway"]:
            yield {"kind": "pathway step", "id": f"{m['id']}.{step['id']}", "text": step["label"],
                   "section": step["source"], "refs": step["refs"]}




def evidence_map(data: Data) -> EvidenceMapResult:
    """Mechanisms × kinds of evidence, with claim counts by stance in each cell."""
    rows = []
    for m in data["mechanisms"]:
        claims = claims_of_mechanism(data, m["id"])
        cells = [{"evidence": kind, **_counts([c for c in claims if c["evidence"] == kind])} for kind in EVIDENCE_KINDS]
        rows.append({"mechanism": m["id"], "name": m["name"], "scope": m["scope"], "cells": cells})
    return cast("EvidenceMapResult", {**_envelope(data, "mechanism"), "evidence_kinds": list(EVIDENCE_KINDS), "rows": rows})
