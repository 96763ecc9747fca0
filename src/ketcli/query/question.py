"""The question as typed: folded words, the common words left out, its units in order.

A hyphenated, parenthesised or quoted unit ("(S)-ketamine", "blood pressure") is a phrase.
Possessives and contractions lose their apostrophe (ketamine's → ketamine, I've → I, don't → dont).
A question of more than MAX_WORDS words or MAX_CHARS characters is refused before it is
folded (QueryError; the command's usage error).
"""

from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+(?:\.\d+)?")
GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
_GREEK_TABLE = str.maketrans(GREEK)
# Words that carry no meaning in a question ("how fast does ketamine work compared with SSRIs"),
# among them the asking verbs help, need and use ("can I use the spray at home"): the review's
# "use" and "help" are everywhere and name nothing a question looks for; contractions typed
# without their apostrophe (whats, youre), chat fillers (honestly, kinda) and "vs" (a comparison
# is asked by naming both sides).
STOP_WORDS = frozenset("""
a about after again all also am an and any are as at be because been being both but by can could did do
does doing each for from get gets got had has have having he her his how i if in into is it its just let
lot made make makes many me more most much my no nor not of on once only or other our quite really she
should so some someone something such than that the their them then there these they thing things this
those to too very was way we were what when where which while who whom why will with would you your
actually anyone please dont doesnt didnt isnt arent cant wont im ive
whats hows whos whens wheres thats theres heres youre theyre shes hes lets wouldnt shouldnt couldnt
hasnt havent wasnt werent aint youve weve theyve youd gonna wanna gotta u ur ya pls plz
honestly basically literally kinda sorta okay ok hi hello thanks thank anyway vs versus
help helps need needs use uses used using work works worked working
""".split())


def words(text: str) -> list[str]:
    """Folded words: NFKC (D₂, 5-HT₂A → d2, 5-ht2a), lower case, Greek letters by name."""
    return WORD.findall(unicodedata.normalize("NFKC", text).lower().translate(_GREEK_TABLE))


QUOTED = re.compile(r'"([^"]*)"')
# ketamine's → ketamine; I've, you're, we'll, I'd, I'm → I, you, we; don't → dont
APOSTROPHE = re.compile(r"(?<=\w)['’](?:(?:s|ve|re|ll|d|m)\b|(?=t\b))", re.IGNORECASE)
MAX_WORDS = 120  # a question longer than this is not a question (a worried relative writes 60–80): usage error
MAX_CHARS = 1_000


class QueryError(ValueError):
    """A query that cannot be searched (only common words, or far too long)."""


def clean(query: str) -> str:
    """The query without possessives and contractions' apostrophes; a QueryError, before any
    folding, for a text far longer than a question."""
    count = len(query.split())
    if count > MAX_WORDS:
        raise QueryError(f"the question has {count:,} words; ask in at most {MAX_WORDS}")
    if len(query) > MAX_CHARS:
        raise QueryError(f"the question has {len(query):,} characters; ask in at most {MAX_CHARS:,}")
    return APOSTROPHE.sub("", query)


def parse(query: str) -> tuple[list[tuple[str, ...]], list[str]]:
    """Terms (one word, or a phrase of several) and the stop-words left out."""
    found, dropped = units(clean(query))
    return [u for u, _ in found if u], dropped


def units(query: str) -> tuple[list[tuple[tuple[str, ...], list[str]]], list[str]]:
    """The query as units in order: (term, its words), where a stop-word's term is () and
    a hyphenated, parenthesised or quoted unit is a phrase; and the stop-words left out."""
    out: list[tuple[tuple[str, ...], list[str]]] = []
    dropped: list[str] = []
    for phrase in QUOTED.findall(query):
        if words(phrase):
            out.append((tuple(words(phrase)), words(phrase)))
    for chunk in QUOTED.sub(" ", query).split():
        found = words(chunk)
        if len(found) > 1:
            out.append((tuple(found), found))
        elif found and found[0] in STOP_WORDS:
            out.append(((), found))
            dropped.append(found[0])
        elif found:
            out.append(((found[0],), found))
    count = sum(len(w) for _, w in out)
    if count > MAX_WORDS:
        raise QueryError(f"the question has {count:,} words; ask in at most {MAX_WORDS}")
    return out, list(dict.fromkeys(dropped))
