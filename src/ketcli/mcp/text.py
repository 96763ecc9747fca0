"""The short readable text of a tool's answer: the answer with its [n], then the references.

An assistant reads this text; a program reads the structured content (the `--json`
dict). Lists are cut at MAX_ITEMS lines, saying how many more the structured content
holds; the references are written as Vancouver, as `ketcli cite --format vancouver`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

MAX_ITEMS = 25


def refs(numbers) -> str:
    return f" [{','.join(str(n) for n in numbers)}]" if numbers else ""


def _items(lines: Iterable[str], what: str = "items") -> list[str]:
    lines = list(lines)
    if len(lines) <= MAX_ITEMS:
        return lines
    return lines[:MAX_ITEMS] + [f"… {len(lines) - MAX_ITEMS} more {what} in the structured content"]


def _compare(r: dict) -> list[str]:
    names = {t["id"]: t["name"] for t in r["treatments"]}
    out = ["Comparison (the review's Table 1; Table 1 cites nothing, so [n] are the references of the "
           "review's sentences that say the same): " + " vs ".join(names.values())]
    for row in r["rows"]:
        cells = "; ".join(f"{names[c['treatment']]}: {c['text']}{refs(c['refs'])}" for c in row["cells"])
        out.append(f"- {row['label']}: {cells}")
    if r["trials"]:
        out.append("Head-to-head trials:")
        for t in r["trials"]:
            out.append(f"- {t['name']} ({t['design']}){refs(t['refs'])}: {t['finding']}")
    return out


def _claims(claims: list[dict]) -> list[str]:
    return _items((f"- ({c['stance']}, {c['evidence']}) {c['text']}{refs(c['refs'])}" for c in claims), "claims")


def _mechanism(r: dict) -> list[str]:
    if "mechanisms" in r:
        return [f"- {m['name']} ({m['id']}): {m['status']} — {m['counts']['claims']} claims "
                f"({m['counts']['supports']} support, {m['counts']['contradicts']} contradict)" for m in r["mechanisms"]]
    if "rows" in r:
        return [f"- {row['name']}: " + ", ".join(f"{c['evidence']} {c['claims']}" for c in row["cells"] if c["claims"])
                for row in r["rows"]]
    record = r["mechanism"] or r["entity"]
    out = [record["name"]]
    if r["mechanism"]:
        out += [f"Status in the review: {record['status']}",
                f"Evidence basis (abstract): {record['evidence_basis'] or 'not reported in the source'}",
                record["summary"]]
    c = r["counts"]
    out.append(f"Claims: {c['claims']} — {c['supports']} support, {c['contradicts']} contradict, "
               f"{c['mixed']} mixed, {c['context']} context")
    return out + _claims(r["claims"])


def _cite(r: dict) -> list[str]:
    if "usage" in r:
        out = []
        for u in r["usage"]:
            out.append(f"[{u['reference']['number']}] is cited for:")
            out += _items((f"- {use['kind']} {use['id']}: {use['text']}" for use in u["uses"]), "uses")
        return out
    return [f"{len(r['references'])} reference(s):"]


def _treatment(r: dict) -> list[str]:
    if "treatments" in r:
        return [f"- {t['name']} ({t['id']}, {t['kind']}): {t['summary']}" for t in r["treatments"]]
    t = r["treatment"]
    out = [f"{t['name']}{' (' + t['full_name'] + ')' if t['full_name'] else ''}: {t['summary']}"]
    out += [f"- {a['name']}: {a['value']}{refs(a['refs'])}" for a in t["attributes"]]
    out += [f"- Table 1, {c['label']}: {c['text']}{refs(c['refs'])}" for c in r["table1"] if c["source"]]
    out += _items((f"- side effect: {s['effect']}{' (' + s['frequency'] + ')' if s['frequency'] else ''}{refs(s['refs'])}"
                   for s in r["side_effects"]), "side effects")
    out.append(f"Claims about it: {len(r['claims'])} (in the structured content)")
    return out


def _side_effects(r: dict) -> list[str]:
    return _items((f"- {s['treatment']}: {s['effect']}{' (' + s['frequency'] + ')' if s['frequency'] else ''}"
                   f"{refs(s['refs'])}" for s in r["side_effects"]), "side effects")


def _timeline(r: dict) -> list[str]:
    return _items((f"- {e['when']}: {e['label']}{refs(e['refs'])}" for e in r["events"]), "events")


def _search(r: dict) -> list[str]:
    out = [f"{r['total']} hit(s) for {r['query']!r}" + (f", the first {len(r['hits'])}:" if r["total"] > len(r["hits"]) else ":")]
    return out + _items((f"- {h['kind']} {h['id']} ({h['section']}): {h['text']}{refs(h['refs'])}" for h in r["hits"]), "hits")


def _about(r: dict) -> list[str]:
    s, d = r["review"], r["dataset"]
    counts = ", ".join(f"{n} {name}" for name, n in d["counts"].items())
    return [f"{s['title']} — {', '.join(s['authors'])}, {s['journal']} {s['year']}, doi:{s['doi']} ({s['license']})",
            f"Dataset {d['dataset_version']} (sha256 {d['sha256']}): {counts}"]


def _sof(r: dict) -> list[str]:
    lines = [f"Summary of findings; certainty: {r['header']['certainty']}."]
    for trial in r["trials"]:
        lines.append(f"{trial['name']} [{','.join(map(str, trial['refs']))}]:")
        lines += [f"- {row['outcome']}: {row['result']} (participants: {row['participants']})" for row in trial["rows"]]
    return lines


def _validate(r: dict) -> list[str]:
    if r["ok"]:
        return [f"{r['file']}: valid (" + ", ".join(f"{v} {k}" for k, v in r["counts"].items()) + ")"]
    return [*r["problems"], f"{len(r['problems'])} problem(s)"]


SUMMARIES: dict[str, Callable[[dict], list[str]]] = {
    "compare": _compare, "mechanism": _mechanism, "cite": _cite, "treatment": _treatment,
    "side-effects": _side_effects, "timeline": _timeline, "search": _search, "about": _about,
    "sof": _sof, "validate": _validate,
}


def summary(result: dict) -> str:
    """The answer in a few lines with its [n], then its references in Vancouver style."""
    from ketcli.render.citations import FORMATS

    lines = SUMMARIES[result["command"]](result)
    references = result.get("references") or [u["reference"] for u in result.get("usage", [])]
    if references:
        lines += ["", "References:", FORMATS["vancouver"](references).rstrip("\n")]
    src = result.get("source")
    if src is None:  # validate: the file, not the review
        return "\n".join([*lines, "", f"dataset sha256 {(result['dataset_sha256'] or 'unreadable')[:16]}…"])
    lines += ["", f"Source: {src['authors'][0]}, {src['title']}, {src['journal']} {src['year']}, doi:{src['doi']} "
              f"({src['license']}); dataset sha256 {result['dataset_sha256'][:16]}…"]
    return "\n".join(lines)
