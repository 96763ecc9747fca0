"""Ranked full-text search over every record of the dataset.

Each record becomes a document of three fields: its own text (trial results, outcome
measures, labels and Table 1 cells included), the title of its section, and its notes.
Words are folded before they are compared: NFKC (D₂ → d2), lower case, Greek letters
to their names both ways (μ and mu are one word). A query word matches a word of a
document when the two have the same Snowball stem (addictive, addiction → addict) or,
for a query word of four letters or more, when it starts that word ("dissociat"); a
shorter word matches only itself, so `mu` never finds "muscarinic". A hyphenated or
parenthesised term ("(S)-ketamine", 5-HT2A) and a "quoted phrase" match only as a
phrase. Common words (how, does, with, or …) are dropped unless the query has nothing
else. Documents rank by BM25 (own text 1, section title and notes ½), with a bonus when
the query's words stand side by side in that order. When no document has every word,
those with most of them come first and `matched_all` is false.

The index (sorted vocabulary, stems, postings with positions, document lengths) is
plain lists and numbers, kept in the cache beside the dataset (keyed by the files'
stat fingerprints) so a query reads only the postings of its own words.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import math
import re
import unicodedata
from bisect import bisect_left

from ketcli.data.vocab import NOT_REPORTED

if TYPE_CHECKING:
    from ketcli.data.dataset import Data

INDEX_VERSION = "search-2"
WORD = re.compile(r"\w+(?:\.\d+)?")
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
_GREEK_TABLE = str.maketrans(GREEK)
# Words that carry no meaning in a question ("how fast does ketamine work compared with SSRIs").
STOP_WORDS = frozenset("""
a about after all also am an and any are as at be been being but by can could did do does doing
for from had has have having he her his how i if in into is it its me my no nor not of on or our
she should so than that the their them then there these they this those to too was we were what
when where which while who whom why will with would you your
""".split())
PREFIX_MIN = 4  # shorter query words match whole words only
K1, B = 1.2, 0.75  # BM25's usual constants: term saturation and length normalisation
WEIGHTS = (1.0, 0.5, 0.5)  # own text, section title, notes
PHRASE_BONUS = 1.5  # the query's words in order, side by side
CHUNK = 256  # documents per stored chunk of display records


def words(text: str) -> list[str]:
    """Folded words: NFKC (D₂, 5-HT₂A → d2, 5-ht2a), lower case, Greek letters by name."""
    return WORD.findall(unicodedata.normalize("NFKC", text).lower().translate(_GREEK_TABLE))


_stemmer = None


def stem(word: str) -> str:
    """The word's English Snowball stem (the library is imported on first use only)."""
    global _stemmer
    if _stemmer is None:
        from snowballstemmer import stemmer

        _stemmer = stemmer("english")
    stemmed: str = _stemmer.stemWord(word)
    return stemmed


# --- the records as documents ---------------------------------------------------------------


def _quantities(quantities: Iterable[dict[str, Any]] | None) -> str:
    return " ".join(" ".join(filter(None, [q["label"], q.get("arm") or ""])) for q in quantities or [])


def documents(data: Data) -> Iterator[tuple[dict[str, Any], str, str | None]]:
    """(display record, own text, topic) for every searchable record."""
    treatments = {t["id"]: t for t in data["treatments"]}

    def name(tid: str) -> str:
        return str(treatments[tid]["name"]) if tid in treatments else tid

    for c in data["claims"]:
        main = c["text"] + " " + _quantities(c["quantities"])
        yield _display("claim", c["id"], c["text"], c["section"], c["refs"], c["notes"]), main, c["topic"]
    for t in data["trials"]:
        main = " ".join(filter(None, [t["name"], t["design"], t["population"], t["outcome_measure"], t["finding"],
                                      _quantities(t["results"])]))
        yield _display("trial", t["id"], t["name"] + ": " + t["finding"], t["section"], t["refs"], t["notes"]), main, None
    for s in data["side_effects"]:
        main = " ".join(filter(None, [name(s["treatment"]), s["effect"], s["frequency"], s["time_course"],
                                      _quantities([s["quantity"]] if s["quantity"] else [])]))
        text = s["effect"] + (f" ({s['frequency']})" if s["frequency"] else "")
        yield _display("side effect", s["id"], f"{name(s['treatment'])}: {text}", s["section"], s["refs"],
                       s["notes"]), main, None
    for r in data["references"]:
        main = " ".join(filter(None, [" ".join(r["authors"]), r["title"], r["journal"], str(r["year"] or "")]))
        title = f"{', '.join(r['authors'][:1])}{' et al.' if len(r['authors']) > 1 or r['et_al'] else ''} " \
                f"{r['year'] or ''}: {r['title'] or NOT_REPORTED}"
        yield _display("reference", r["key"], title, "References", [r["number"]], r["notes"]), main, None
    for t in data["treatments"]:
        main = " ".join([t["name"], t["full_name"] or "", t["summary"], *(a["value"] for a in t["attributes"])])
        refs = sorted({n for a in t["attributes"] for n in a["refs"]})
        yield _display("treatment", t["id"], f"{t['name']}: {t['summary']}", "Treatments", refs, t["notes"]), main, None
    for m in data["mechanisms"]:
        main = " ".join([m["name"], m["summary"], m["status"], *(s["label"] for s in m["pathway"])])
        refs = sorted({n for s in m["pathway"] for n in s["refs"]})
        yield _display("mechanism", m["id"], f"{m['name']}: {m['summary']}", m["section"], refs, m["notes"]), main, None
    for e in data["events"]:
        yield _display("event", e["id"], f"{e['when']}: {e['label']}", e["section"], e["refs"], []), \
            f"{e['when']} {e['label']}", None
    claims = {c["id"]: c for c in data["claims"]}
    from ketcli.data.vocab import DIMENSIONS

    for c in data["table1"]:
        label = DIMENSIONS.get(c["dimension"], c["dimension"])
        refs = sorted({n for i in c["supported_by"] if i in claims for n in claims[i]["refs"]})
        main = f"{name(c['treatment'])} {label} {c['text']}"
        yield _display("table cell", f"{c['treatment']}.{c['dimension']}", f"{name(c['treatment'])} / {label}: {c['text']}",
                       "Table 1", refs, c["notes"]), main, None


def _display(kind: str, ident: str, text: str, section: str, refs: Iterable[int],
             notes: Iterable[str]) -> dict[str, Any]:
    return {"kind": kind, "id": ident, "text": text, "section": section, "refs": list(refs), "notes": list(notes)}


# --- the index ------------------------------------------------------------------------------


def build_index(data: Data) -> dict[str, Any]:
    """Vocabulary (sorted, with stems); per word its frequencies ("f:WORD": doc, weighted
    count × 2, …: own text 2, section title and notes 1 per occurrence) and its positions
    ("p:WORD": doc, code, … where code = position × 3 + field); document lengths, topics,
    display chunks."""
    postings: dict[str, list[int]] = {}
    frequencies: dict[str, list[int]] = {}
    lengths, topics, display = [], [], []
    for doc, (record, main, topic) in enumerate(documents(data)):
        fields = (words(main), words(record["section"]), words(" ".join(record["notes"])))
        position = 0
        counts: dict[str, int] = {}
        for field, tokens in enumerate(fields):
            for token in tokens:
                postings.setdefault(token, []).extend((doc, position * 3 + field))
                counts[token] = counts.get(token, 0) + (2 if field == 0 else 1)
                position += 1
            position += 1  # a phrase never spans two fields
        for token, count in counts.items():
            frequencies.setdefault(token, []).extend((doc, count))
        lengths.append(sum(w * len(f) for w, f in zip(WEIGHTS, fields)))
        topics.append(topic)
        display.append(record)
    vocab = tuple(sorted(postings))
    index = {
        "version": INDEX_VERSION, "vocab": vocab, "stems": tuple(stem(w) for w in vocab),
        "lengths": tuple(lengths), "topics": tuple(topics), "count": len(lengths),
        "average": (sum(lengths) / len(lengths) if lengths else 0.0) or 1.0,
    }
    for w, p in postings.items():
        index["p:" + w] = p
        index["f:" + w] = frequencies[w]
    for start in range(0, len(display), CHUNK):
        index[f"d:{start // CHUNK}"] = display[start : start + CHUNK]
    return index


def load_index(data: Data) -> dict[str, Any]:
    """The search index of `data`: from the cache when the files are unchanged, else built
    (and stored)."""
    from ketcli import __version__
    from ketcli.data import cache
    from ketcli.data.dataset import bundled_path

    path = getattr(data, "path", None)
    key = cache.stat_key(f"{__version__}+{INDEX_VERSION}", (path, bundled_path())) if path else None
    if key is not None:
        found = cache.load(key, ".bin", lambda: build_index(data))
        if found is not None and found.get("version") == INDEX_VERSION:
            return found
    index = build_index(data)
    if key is not None:
        # its own owner label, so pruning keeps a few indexes without evicting dataset entries
        cache.store(key, index, f"{path}#search-index")
    return index


# --- the query ------------------------------------------------------------------------------

QUOTED = re.compile(r'"([^"]*)"')


def parse(query: str) -> tuple[list[tuple[str, ...]], list[str]]:
    """Terms (one word, or a phrase of several) and the stop-words left out."""
    terms: list[tuple[str, ...]] = []
    loose: list[str] = []
    for phrase in QUOTED.findall(query):
        if words(phrase):
            terms.append(tuple(words(phrase)))
    for chunk in QUOTED.sub(" ", query).split():
        found = words(chunk)
        if len(found) > 1:
            terms.append(tuple(found))
        elif found:
            loose.append(found[0])
    kept = [w for w in loose if w not in STOP_WORDS]
    dropped = [w for w in loose if w in STOP_WORDS]
    if not kept and not terms:
        kept, dropped = loose, []
    terms += [(w,) for w in kept]
    return list(dict.fromkeys(terms)), list(dict.fromkeys(dropped))


class Searcher:
    def __init__(self, index: dict[str, Any]) -> None:
        self.index = index
        self.vocab = index["vocab"]
        self._by_stem: dict[str, list[str]] | None = None

    def matching_words(self, word: str) -> list[str]:
        """Vocabulary words `word` matches: same stem, or (4+ letters) a prefix of them."""
        vocab, found = self.vocab, []
        i = bisect_left(vocab, word)
        if len(word) >= PREFIX_MIN:
            while i < len(vocab) and vocab[i].startswith(word):
                found.append(vocab[i])
                i += 1
        elif i < len(vocab) and vocab[i] == word:
            found.append(word)
        if self._by_stem is None:
            by_stem: dict[str, list[str]] = {}
            for w, s in zip(vocab, self.index["stems"]):
                by_stem.setdefault(s, []).append(w)
            self._by_stem = by_stem
        j = bisect_left(vocab, word)
        if j < len(vocab) and vocab[j] == word:
            own = self.index["stems"][j]
        elif found:  # a word's start that the text continues ("dissociat"): no stemmer needed
            return found
        else:
            own = stem(word)
        found += self._by_stem.get(own, [])
        return list(dict.fromkeys(found))

    def positions(self, word: str) -> dict[int, list[int]]:
        """doc → codes (position × 3 + field) of every word `word` matches."""
        out: dict[int, list[int]] = {}
        for w in self.matching_words(word):
            p = self.index["p:" + w]
            for k in range(0, len(p), 2):
                out.setdefault(p[k], []).append(p[k + 1])
        return out

    def frequencies(self, term: tuple[str, ...]) -> dict[int, float]:
        """doc → weighted count of `term` (own text 1, section title and notes ½)."""
        if len(term) > 1:
            return {doc: sum(WEIGHTS[c % 3] for c in codes) for doc, codes in self.term(term).items()}
        out: dict[int, float] = {}
        for w in self.matching_words(term[0]):
            f = self.index["f:" + w]
            for doc, count in zip(f[::2], f[1::2]):
                out[doc] = out.get(doc, 0) + count / 2
        return out

    def term(self, term: tuple[str, ...]) -> dict[int, list[int]]:
        """doc → codes where `term` (a word, or a phrase: its first word) occurs."""
        first = self.positions(term[0])
        if len(term) == 1:
            return first
        rest = [self.positions(w) for w in term[1:]]
        out = {}
        for doc, codes in first.items():
            if not all(doc in r for r in rest):
                continue
            later = [set(r[doc]) for r in rest]
            good = [c for c in codes if all(c + 3 * (k + 1) in later[k] for k in range(len(later)))]
            if good:
                out[doc] = good
        return out

    def display(self, doc: int) -> dict[str, Any]:
        record: dict[str, Any] = self.index[f"d:{doc // CHUNK}"][doc % CHUNK]
        return record


def rank(data: Data, query: str, topic: str | None = None, limit: int | None = None) -> dict[str, Any]:
    """{"terms", "dropped", "matched_all", "total", "hits"}: the best `limit` hits first, each
    a display record with its score (only those are read from the index)."""
    terms, dropped = parse(query)
    index = load_index(data)
    searcher = Searcher(index)
    topics = index["topics"]
    if not terms:  # --topic alone: its claims, in the dataset's order (no topic: nothing to find)
        docs = [d for d in range(index["count"]) if topics[d] == topic] if topic else []
        hits = [{**searcher.display(d), "score": 0.0} for d in docs[:limit]]
        return {"terms": [], "dropped": dropped, "matched_all": True, "total": len(docs), "hits": hits}
    found = [searcher.frequencies(t) for t in terms]
    count, lengths, average = index["count"], index["lengths"], index["average"]
    scores: dict[int, float] = {}
    matched: dict[int, int] = {}
    for _term, occurrences in zip(terms, found):
        if topic:
            occurrences = {d: w for d, w in occurrences.items() if topics[d] == topic}
        df = len(occurrences)
        idf = math.log(1 + (count - df + 0.5) / (df + 0.5))
        for doc, weighted in occurrences.items():
            norm = K1 * (1 - B + B * lengths[doc] / average)
            scores[doc] = scores.get(doc, 0.0) + idf * weighted * (K1 + 1) / (weighted + norm)
            matched[doc] = matched.get(doc, 0) + 1
    if not scores:
        return {"terms": [" ".join(t) for t in terms], "dropped": dropped, "matched_all": False, "total": 0, "hits": [],
                "suggestions": _suggestions(searcher, terms)}
    most = max(matched.values())
    if most == len(terms):
        scores = {d: v for d, v in scores.items() if matched[d] == most}
        if len(terms) > 1:  # a bonus for the words side by side, in order, in the record's own text
            places = [searcher.term(t) for t in terms]
            for doc in scores:
                if _side_by_side(places, doc):
                    scores[doc] *= PHRASE_BONUS
    def key(d: int) -> tuple[float, float, int]:
        return (-matched[d], -scores[d], d)

    if limit is not None and limit < len(scores):
        import heapq

        ranked = heapq.nsmallest(limit, scores, key=key)
    else:
        ranked = sorted(scores, key=key)
    hits = [{**searcher.display(d), "score": round(scores[d], 3)} for d in ranked[:limit]]
    return {"terms": [" ".join(t) for t in terms], "dropped": dropped, "matched_all": most == len(terms),
            "total": len(scores), "hits": hits}


def _side_by_side(found: list[dict[int, list[int]]], doc: int) -> bool:
    """The terms' occurrences follow each other in the record's own text, in order."""
    starts = {c for c in found[0][doc] if c % 3 == 0}
    for occurrences in found[1:]:
        codes = set(occurrences[doc])
        starts = {c for c in starts if any(c + 3 * k in codes for k in range(1, 4))}
        if not starts:
            return False
        starts = {c2 for c2 in codes if c2 % 3 == 0 and any(c2 - 3 * k in starts for k in range(1, 4))}
    return bool(starts)


def _suggestions(searcher: Searcher, terms: list[tuple[str, ...]]) -> list[str]:
    import difflib

    out = []
    for t in terms:
        for w in t:
            if not searcher.matching_words(w):
                out += difflib.get_close_matches(w, searcher.vocab, n=2, cutoff=0.75)
    return list(dict.fromkeys(out))[:4]
