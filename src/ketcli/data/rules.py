"""The coding rules for a claim's evidence kind and stance, decidable from the review's words.

Both read only the words of the claim's quote (and, for evidence, the claim's own text and the
quote of the study its `trial` names), never a reference's title: a title is not the review's
words. Each cue is a whole word or phrase, matched case-insensitively. tests/data/test_rules.py
holds every claim of the bundled dataset to both rules; data/treatments.toml's claims header and
docs/researcher.md ("How the dataset encodes the review") describe them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ketcli.data.vocab import evidence_fallback

# Words of the review that name a kind of evidence. "study", "trial", "research" name no kind:
# the review says "one study found" of human and animal work alike.
EVIDENCE_CUES: dict[str, tuple[str, ...]] = {
    "meta-analysis": ("meta-analysis",),
    "review": ("review", "reviews"),
    "case reports": ("case reports",),
    "regulatory": ("fda", "approved"),
    "animal": ("animal", "animals", "mice", "rats", "rodent", "rodents", "preclinical"),
    # people observed; a drug's observed effect on depressive symptoms (the monoamine hypothesis'
    # observations); a study "after cardiac surgery" (its patients). "clinical" alone names none
    # ("clinical utility", "clinically relevant").
    "human": ("patients", "participants", "individuals", "people", "clinicians", "users",
              "clinical evidence", "clinical trial", "clinical trials", "cardiac surgery",
              "alleviated depressive symptoms", "exacerbate depressive symptoms"),
}
# Where words of several kinds stand in one quote, the first kind of this order wins; a claim's
# own text (which repeats its part of a shared quote) narrows the kinds first.
EVIDENCE_ORDER = tuple(EVIDENCE_CUES)

# Stance cues. A claim about no mechanism is "context". Otherwise, in this order:
MIXED_CUES = (  # the review limits or splits the evidence
    "cannot fully explain", "cannot be fully explained", "results are mixed", "conflicting conclusions",
    "remains unclear", "remain unclear", "are not known", "remains uncertain", "considered incomplete",
)
CONTRADICTS_CUES = (  # evidence or reasoning that the mechanism plays no part
    "casting doubt", "failed to show", "but as an antagonist",
)
PROPOSAL_CUES = (  # the claim names a proposed mechanism, a hypothesis or theories, and no more
    "hypothesis implicates", "proposed mechanism implicates", "have also been suggested",
    "researchers hypothesize", "if true", "may in part be due", "several theories",
    "very relevant to the potential mechanisms", "fail to address", "with far weaker affinity",
    "serves as a gateway", "(1)", "(2)", "(3)",
    # or situates a mechanism in history, research or the whole
    "have historically sought", "less researched", "likely multifaceted",
)
REASONING_CUES = (  # a proposal that gives a reason or evidence for itself supports it
    "as it leads to", "found", "shown", "showed", "evidence",
)


def _has(words: str, cue: str) -> bool:
    """A cue as a whole word or phrase, not negated ("No meta-analysis was performed")."""
    if not cue[0].isalnum():
        return cue in words
    pattern = r"(?<![\w-])(?<!no )(?<!not )" + re.escape(cue) + r"(?![\w-])"
    return re.search(pattern, words) is not None


def cue_kinds(words: str) -> list[str]:
    """The evidence kinds whose cue words stand in `words`, in EVIDENCE_ORDER."""
    low = words.lower()
    return [kind for kind in EVIDENCE_ORDER if any(_has(low, c) for c in EVIDENCE_CUES[kind])]


def evidence_kind(quote: Iterable[str], text: str, trial_quote: Iterable[str],
                  designs: list[str | None]) -> str:
    """(1) the kind the claim's quote names (narrowed by the claim's text where the quote names
    several; the study record's quote where the claim's quote names none); else (2) the kind of
    the cited references' recorded secondary designs; else "not stated"."""
    kinds = cue_kinds(" ".join(quote))
    if len(kinds) > 1:
        kinds = [k for k in kinds if k in cue_kinds(text)]
        if not kinds:  # the quote names several kinds and the claim's text none of them
            return evidence_fallback(designs) or "not stated"
    if not kinds:
        kinds = cue_kinds(" ".join(trial_quote))
    if kinds:
        return kinds[0]
    return evidence_fallback(designs) or "not stated"


def stance(quote: Iterable[str], mechanisms: list[str]) -> str:
    """The stance toward the claim's mechanisms that its quote's words give."""
    if not mechanisms:
        return "context"
    low = " ".join(quote).lower()
    if any(_has(low, c) for c in MIXED_CUES):
        return "mixed"
    if any(_has(low, c) for c in CONTRADICTS_CUES):
        return "contradicts"
    if any(_has(low, c) for c in PROPOSAL_CUES) and not any(_has(low, c) for c in REASONING_CUES):
        return "context"
    return "supports"
