"""ketcli's lay vocabulary applied to a question: its lay phrases found ("start working",
"shock therapy") and the question turned into concepts, each a word or a lay phrase with the
review's words for it as alternatives (data/vocabulary.toml; ketcli's curation).

A phrase matches the question's words in its order, GAP other words allowed between them,
word endings ignored (`fold`); phrases as typed are matched before those with words between,
each pass reading the question from its start and taking at each word the longest phrase that
starts there; each unit of the question belongs to one phrase at most.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ketcli.query.question import clean, words

LAY_WEIGHT = 1.5  # a vocabulary term: what the question is about, above its other words
GAPPED_WEIGHT = 0.5  # a phrase found with other words between its own ("what does it … have to do"): less sure
PART_WEIGHT = 0.5  # a word of a multi-word lay phrase, on its own


def light(word: str) -> str:
    """A word without its common English endings, for matching the lay vocabulary's phrases
    (no stemmer: it costs an import)."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3 and not word.endswith("ss"):
            return word[: -len(ending)]
    return word


def fold(word: str) -> str:
    """A word as the lay vocabulary's phrases are matched: without its common ending and a final
    e, so that "taking" meets "take", "prices" "price" and "caused" "cause"; a final -ies is
    -y ("families" meets "family")."""
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    lighter = light(word)
    return lighter[:-1] if lighter.endswith("e") and len(lighter) >= 4 else lighter


GAP = 3  # other words allowed between two words of a lay phrase


def expand(units: Sequence[tuple[Any, Sequence[str]]], lay: list[Any]) -> list[dict[str, Any]]:
    """The lay phrases found in the query: [{"for": phrase, "terms": [...], "units": {i, …},
    "gapped": bool}], each unit claimed once: phrases as typed before those with words between;
    among those, read from the question's start, the longest phrase starting at a word first
    ("start working for depression": "start working", not "working for depression"). A phrase
    with words between that holds whole phrases found as typed, and more, takes their place
    ("how long … take to work" is "how long to work", onset, not "how long", duration) and
    counts as typed."""
    flat = [(i, fold(w)) for i, (_, ws) in enumerate(units) for w in ws]
    claimed: set[int] = set()
    found: list[dict[str, Any]] = []
    for gap in (0, GAP):
        candidates = []
        for order, (phrase_words, terms, shown, by) in enumerate(lay):
            for start, at in _places(flat, phrase_words, gap):
                candidates.append((start, -len(phrase_words), order, at, terms, shown, by))
        for _start, _length, _order, at, terms, shown, by in sorted(candidates, key=lambda c: c[:3]):
            held = [m for m in found if m["units"] <= at] if gap and at & claimed else []
            rest = claimed.difference(*(m["units"] for m in held))
            if held and not at & rest and len(at) > max(len(m["units"]) for m in held):
                found = [m for m in found if m not in held]
                claimed = rest
            if not at & claimed:
                claimed |= at
                found.append({"for": shown, "terms": list(terms), "units": at, "gapped": gap > 0 and not held,
                              "by": by})
    return sorted(found, key=lambda m: min(m["units"]))  # in the question's order


def _places(flat: list[tuple[int, str]], phrase_words: Sequence[str], gap: int) -> Iterator[tuple[int, set[int]]]:
    """(start, units) of each place the phrase's words follow each other in the question."""
    for start, (unit, word) in enumerate(flat):
        if word != phrase_words[0]:
            continue
        units, last = {unit}, start
        for want in phrase_words[1:]:
            nxt = next((j for j in range(last + 1, min(len(flat), last + 2 + gap)) if flat[j][1] == want), None)
            if nxt is None:
                break
            units.add(flat[nxt][0])
            last = nxt
        else:
            yield start, units


def compile_lay(entries: Iterable[dict[str, Any]]) -> list[tuple[list[str], list[str], str, str]]:
    """Vocabulary entries as (phrase words, terms, phrase as written, where the entry comes from:
    "vocabulary" — ketcli's or an own dataset's — or "names", the dataset's own), longest phrase first."""
    out = []
    for entry in entries:
        for phrase in entry["phrases"]:
            folded = [fold(w) for w in words(clean(phrase))]
            if folded:
                out.append((folded, list(entry["terms"]), phrase, entry.get("by", "vocabulary")))
    out.sort(key=lambda item: -len(item[0]))
    return out


def concepts(units: Sequence[tuple[Any, Sequence[str]]], found_lay: Iterable[dict[str, Any]]
             ) -> list[list[tuple[tuple[str, ...], float]]]:
    """What the question asks, as concepts: each a list of (term, weight) alternatives."""
    out = []
    claimed = {}
    merged: list[dict[str, Any]] = []
    for match in found_lay:  # two phrases searching the same words ask one thing ("how long … last")
        same = next((m for m in merged if set(m["terms"]) & set(match["terms"])), None)
        if same is None:
            merged.append({"terms": list(match["terms"]), "units": set(match["units"]),
                           "gapped": match.get("gapped", False)})
        else:
            same["terms"] += [t for t in match["terms"] if t not in same["terms"]]
            same["units"] |= match["units"]
            same["gapped"] = same["gapped"] and match.get("gapped", False)
    for match in merged:
        for u in match["units"]:
            claimed[u] = match
    done = set()
    for i, (term, _ws) in enumerate(units):
        unit_match = claimed.get(i)
        if unit_match is None:
            if term:
                out.append([(term, 1.0)])
            continue
        if id(unit_match) in done:
            continue
        done.add(id(unit_match))
        weight = GAPPED_WEIGHT if unit_match["gapped"] else LAY_WEIGHT
        alternatives = [(tuple(words(t)), weight) for t in unit_match["terms"] if words(t)]
        own = [units[u][0] for u in sorted(unit_match["units"]) if units[u][0]]
        alternatives += [(t, 1.0 if len(own) == 1 else PART_WEIGHT) for t in own]
        out.append(alternatives)
    return out
