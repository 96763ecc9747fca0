"""Curation helper: propose the review's own words for every claim, trial finding and Table 1 cell.

    python scripts/propose_quotes.py propose   # add `quote` + `locator` to records that have none
    python scripts/propose_quotes.py locate    # recompute every `locator` from its (hand-checked) quote
    python scripts/propose_quotes.py review    # print record text beside its quote, for reading

`propose` ranks the review's sentences for each record with rapidfuzz (token-set similarity
to the record's text, plus a bonus for the record's section and for the reference numbers
printed on the sentence) and writes the best sentence as the record's quote; every
proposal is kept in scripts/quote_proposals.json so the hand fixes can be counted
(`review --fixes`). rapidfuzz is needed here only, at curation time: `ketcli validate`
checks each quote by exact match (ketcli.data.quotes), with no fuzzy matching.
The TOML file is edited line by line, so its comments and layout stay as they are.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "treatments.toml"
PROPOSALS = ROOT / "scripts" / "quote_proposals.json"
sys.path.insert(0, str(ROOT / "src"))

from ketcli.data.quotes import Source  # noqa: E402

SOURCE = Source((ROOT / "source" / "ketamine-review-cureus-2025.txt").read_text(encoding="utf-8"))
BODY_END = SOURCE.text.index("Additional Information")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z“\"(])")


def sentences() -> list[tuple[str, str]]:
    """(sentence, section) of the review's body, in the normalised text."""
    out = []
    for start, end, section, _ in SOURCE._paragraphs:
        if section in ("References", "Additional Information"):
            continue
        para = _flat_line(SOURCE.raw[start:end])
        for s in SENTENCE_END.split(para):
            if s.strip():
                out.append((s.strip(), section))
    return out


def _flat_line(raw: str) -> str:
    from ketcli.data.quotes import flat

    return flat(raw)


def cited(sentence: str) -> set[int]:
    return {int(n) for g in re.findall(r"\[(\d+(?:,\s*\d+)*)\]", sentence) for n in re.split(r",\s*", g)}


def best(text: str, section: str, refs: list[int], pool) -> str:
    from rapidfuzz import fuzz

    def score(item):
        sentence, where = item
        s = fuzz.token_set_ratio(text, sentence)
        s += 15 if where == section or section.endswith(where) or where.endswith(section) else 0
        s += 10 if refs and cited(sentence) == set(refs) else (-10 if refs and not set(refs) <= cited(sentence) else 0)
        return s

    return max(pool, key=score)[0]


def row_start(treatment: str) -> int:
    """Raw offset of a treatment's row in Table 1."""
    label = {"ketamine": "Ketamine", "ssris": "SSRIs", "tcas": "TCAs", "ect": "ECT"}[treatment]
    return SOURCE.raw.index("\n" + label + "\t", SOURCE.raw.index("Treatment\tOnset of action"))


def records(raw: dict):
    """(collection, key, text to match, section, refs) of every record that takes a quote."""
    for c in raw["claims"]:
        yield "claims", c["id"], c["text"], c["section"], c.get("refs", [])
    for t in raw["trials"]:
        yield "trials", t["id"], t["finding"], t["section"], t.get("refs", [])
    for c in raw["table1"]:
        yield "table1", f"{c['treatment']}.{c['dimension']}", c["text"], "Table 1", []


def _locators(quote: list[str], near: int | None = None) -> list[dict]:
    out = []
    for span in quote:
        loc = SOURCE.locate(span, near)
        if loc is None:
            raise SystemExit(f"not in the source: {span!r}")
        out.append(loc)
        near = loc["end"]
    return out


def _toml_lines(quote: list[str], locator: list[dict]) -> list[str]:
    q = "quote = [" + ", ".join(json.dumps(s, ensure_ascii=False) for s in quote) + "]"
    locs = ", ".join(
        f'{{ section = {json.dumps(l["section"])}, paragraph = {l["paragraph"]}, start = {l["start"]}, end = {l["end"]} }}'
        for l in locator
    )
    return [q, f"locator = [{locs}]"]


def _blocks(lines: list[str]):
    """(collection, key, first line, last line + 1) of each [[claims]], [[trials]], [[table1]] block."""
    heads = [i for i, line in enumerate(lines) if line.startswith("[[") or line.startswith("[") or line.startswith("# ---")]
    for n, i in enumerate(heads):
        name = lines[i].strip("[] \n")
        if name not in ("claims", "trials", "table1"):
            continue
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        block = tomllib.loads("".join(lines[i + 1:end]))
        key = block.get("id") or f"{block.get('treatment')}.{block.get('dimension')}"
        yield name, key, i, end, block


def rewrite(make) -> None:
    """Rewrite each block's quote/locator lines with make(collection, key, block) -> (quote, locator) or None."""
    lines = DATA.read_text(encoding="utf-8").splitlines(keepends=True)
    out: list[str] = []
    at = 0
    for name, key, start, end, block in _blocks(lines):
        out.extend(lines[at:start])
        body = [l for l in lines[start:end] if not l.startswith(("quote = ", "locator = "))]
        made = make(name, key, block)
        if made:
            anchor = "finding = " if name == "trials" else "text = "
            i = next(k for k, l in enumerate(body) if l.startswith(anchor))
            body[i + 1:i + 1] = [l + "\n" for l in _toml_lines(*made)]
        out.extend(body)
        at = end
    out.extend(lines[at:])
    DATA.write_text("".join(out), encoding="utf-8")


def propose() -> None:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    pool = [p for p in sentences() if p[1] != "Table 1"]
    wanted = {(c, k): (t, s, r) for c, k, t, s, r in records(raw)}
    proposals = json.loads(PROPOSALS.read_text()) if PROPOSALS.exists() else {}

    def make(name, key, block):
        if block.get("quote"):
            return block["quote"], _locators(block["quote"])
        text, section, refs = wanted[(name, key)]
        if name == "table1":  # the cell as printed, in its treatment's row
            quote = [text]
            proposals[f"{name}:{key}"] = quote
            return quote, _locators(quote, row_start(block["treatment"]))
        quote = [best(text, section, refs, pool)]
        proposals[f"{name}:{key}"] = quote
        return quote, _locators(quote)

    rewrite(make)
    PROPOSALS.write_text(json.dumps(proposals, indent=1, ensure_ascii=False) + "\n")


def locate() -> None:
    def make(name, key, block):
        if not block.get("quote"):
            return None
        near = block["locator"][0]["start"] if block.get("locator") else None
        if name == "table1":
            near = row_start(block["treatment"])
        return block["quote"], _locators(block["quote"], near)

    rewrite(make)


def review(fixes_only: bool) -> None:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    proposals = json.loads(PROPOSALS.read_text()) if PROPOSALS.exists() else {}
    by = {(c, k): r for c in ("claims", "trials", "table1") for r in raw[c]
          for k in [r.get("id") or f"{r['treatment']}.{r['dimension']}"]}
    fixed = 0
    for (c, k), r in by.items():
        changed = proposals.get(f"{c}:{k}") not in (None, r.get("quote"))
        fixed += changed
        if fixes_only and not changed:
            continue
        print(f"== {c}:{k} {r.get('refs', '')} [{r.get('section', 'Table 1')}]")
        print("   text : " + (r.get("text") or r.get("finding")))
        for span in r.get("quote", []):
            print("   quote: " + span)
    print(f"{fixed} of {len(by)} records' quotes differ from the proposal (hand fixes)", file=sys.stderr)


if __name__ == "__main__":
    verb = sys.argv[1] if len(sys.argv) > 1 else "review"
    {"propose": propose, "locate": locate}.get(verb, lambda: review("--fixes" in sys.argv))()
