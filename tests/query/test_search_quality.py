"""The check half of the search question set (bench/questions/check.toml, never tuned on) is
answered at least as well as when the ranking and the vocabulary were last tuned: a quality
floor, not a timing. bench/search_quality.py prints the figures per method."""

import tomllib
from pathlib import Path

import ketcli

CHECK = Path(__file__).resolve().parents[2] / "bench" / "questions" / "check.toml"
# Reached on 2026-12-07 (lexical + vocabulary), first pass: recall@3 45/49 = 91.8%, MRR 0.863;
# second pass (tuned on tune.toml and tune2.toml only): recall@3 46/49 = 93.9%, MRR 0.890.
RECALL_AT_3 = 46 / 49
MRR = 0.88


def first_answer(dataset, item) -> int | None:
    from ketcli.errors import KetcliError

    try:
        hits = dataset.search(item["question"], limit=20)["hits"]
    except KetcliError:
        return None
    return next((i for i, h in enumerate(hits, 1) if h["id"] in set(item["answers"])), None)


def test_the_check_half_is_answered_in_the_top_three():
    items = tomllib.loads(CHECK.read_text("utf-8"))["questions"]
    assert len(items) >= 40
    dataset = ketcli.open()
    ranks = [first_answer(dataset, item) for item in items]
    recall = sum(1 for r in ranks if r is not None and r <= 3) / len(items)
    mrr = sum(1 / r for r in ranks if r is not None) / len(items)
    assert recall >= RECALL_AT_3, f"recall@3 {recall:.1%}"
    assert mrr >= MRR, f"MRR {mrr:.3f}"


def test_without_the_vocabulary_the_floor_is_not_reached():
    """The floor measures the vocabulary too: the words as typed alone stay far below it."""
    items = tomllib.loads(CHECK.read_text("utf-8"))["questions"]
    dataset = ketcli.open()
    exact = 0
    for item in items:
        hits = dataset.search(item["question"], limit=3, exact=True)["hits"]
        exact += any(h["id"] in set(item["answers"]) for h in hits)
    assert exact / len(items) < RECALL_AT_3
