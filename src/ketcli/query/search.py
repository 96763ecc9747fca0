"""Ranked full-text search over every record of the dataset.

Each record becomes a document with its main text and its notes. A query matches a
document when every query word starts a word of it ("dissociat" finds "dissociation");
documents rank by BM25 (so a short claim is not buried under a long profile), main
text counting twice as much as notes, with a bonus when the query's words stand side by
side in that order. Small and predictable: no stemming, no synonyms.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator

from ketcli.data.vocab import NOT_REPORTED

WORD = re.compile(r"\w+(?:\.\d+)?")


def words(text: str) -> list[str]:
    """Lower-case words; NFKC folds what the review prints (D₂, 5-HT₂A) into what users type (d2)."""
    return WORD.findall(unicodedata.normalize("NFKC", text).lower())


def documents(data) -> Iterator[dict]:
    """(kind, id, text, section, refs, notes) for every searchable record."""
    for c in data["claims"]:
        yield _doc("claim", c["id"], c["text"], c["section"], c["refs"], c["notes"])
    for t in data["trials"]:
        main = " ".join(filter(None, [t["name"], t["design"], t["population"], t["outcome_measure"], t["finding"]]))
        yield _doc("trial", t["id"], main, t["section"], t["refs"], t["notes"], title=t["name"] + ": " + t["finding"])
    for s in data["side_effects"]:
        main = " ".join(filter(None, [s["effect"], s["frequency"], s["time_course"]]))
        text = s["effect"] + (f" ({s['frequency']})" if s["frequency"] else "")
        yield _doc("side effect", s["id"], main, s["section"], s["refs"], s["notes"], title=f"{s['treatment']}: {text}")
    for r in data["references"]:
        main = " ".join(filter(None, [" ".join(r["authors"]), r["title"], r["journal"], str(r["year"] or "")]))
        title = f"{', '.join(r['authors'][:1])}{' et al.' if len(r['authors']) > 1 or r['et_al'] else ''} " \
                f"{r['year'] or ''}: {r['title'] or NOT_REPORTED}"
        yield _doc("reference", r["key"], main, "References", [r["number"]], r["notes"], title=title)
    for t in data["treatments"]:
        main = " ".join([t["name"], t["full_name"] or "", t["summary"], *(a["value"] for a in t["attributes"])])
        refs = sorted({n for a in t["attributes"] for n in a["refs"]})
        yield _doc("treatment", t["id"], main, "Treatments", refs, t["notes"], title=f"{t['name']}: {t['summary']}")
    for m in data["mechanisms"]:
        main = " ".join([m["name"], m["summary"], m["status"], *(s["label"] for s in m["pathway"])])
        refs = sorted({n for s in m["pathway"] for n in s["refs"]})
        yield _doc("mechanism", m["id"], main, m["section"], refs, m["notes"], title=f"{m['name']}: {m['summary']}")
    for e in data["events"]:
        yield _doc("event", e["id"], f"{e['when']} {e['label']}", e["section"], e["refs"], [], title=f"{e['when']}: {e['label']}")
    for c in data["table1"]:
        yield _doc("table cell", f"{c['treatment']}.{c['dimension']}", f"{c['treatment']} {c['dimension']} {c['text']}",
                   "Table 1", [], c["notes"], title=f"{c['treatment']} / {c['dimension']}: {c['text']}")


def _doc(kind, ident, main, section, refs, notes, title=None) -> dict:
    return {"kind": kind, "id": ident, "text": title or main, "section": section, "refs": list(refs),
            "notes": list(notes), "_main": words(main), "_notes": words(" ".join(notes))}


def _tf(sorted_words: list[str], term: str) -> int:
    """How many words start with `term` (sorted_words is sorted)."""
    start = bisect_left(sorted_words, term)
    end = start
    while end < len(sorted_words) and sorted_words[end].startswith(term):
        end += 1
    return end - start


K1, B = 1.2, 0.75  # BM25's usual constants: term saturation and length normalisation
PHRASE_BONUS = 1.5  # the query's words in order, side by side


def rank(data, query: str) -> list[dict]:
    terms = list(dict.fromkeys(words(query)))
    if not terms:
        return []
    phrase = " ".join(words(query))
    docs = list(documents(data))
    for d in docs:
        d["_phrase"] = len(terms) > 1 and phrase in " ".join(d["_main"])
        d["_length"] = len(d["_main"]) + len(d["_notes"]) / 2
        d["_main"].sort()
        d["_notes"].sort()
    average = sum(d["_length"] for d in docs) / len(docs) or 1.0
    counts = []
    df = dict.fromkeys(terms, 0)
    for d in docs:
        tf = {t: (_tf(d["_main"], t), _tf(d["_notes"], t)) for t in terms}
        counts.append(tf)
        for t in terms:
            if sum(tf[t]):
                df[t] += 1
    hits = []
    for d, tf in zip(docs, counts):
        if not all(sum(tf[t]) for t in terms):
            continue
        norm = K1 * (1 - B + B * d["_length"] / average)
        score = 0.0
        for t in terms:
            idf = math.log(1 + (len(docs) - df[t] + 0.5) / (df[t] + 0.5))
            weighted = tf[t][0] + tf[t][1] / 2  # main text counts twice as much as notes
            score += idf * weighted * (K1 + 1) / (weighted + norm)
        if d["_phrase"]:
            score *= PHRASE_BONUS
        hit = {k: v for k, v in d.items() if not k.startswith("_")}
        hit["score"] = round(score, 3)
        hits.append(hit)
    hits.sort(key=lambda h: -h["score"])
    return hits
