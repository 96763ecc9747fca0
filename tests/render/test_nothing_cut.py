"""Every view at 40, 60, 80 and 120 columns: no reference list or id is cut, no line passes
the width, and every note the JSON carries about what the view shows is on the screen."""

import re

import pytest
from rich.cells import cell_len

from ketcli.render.terminal.plain_views import markers

WIDTHS = ("40", "60", "80", "120")
VIEWS = [
    ("compare",), ("compare", "ketamine", "ect"), ("compare", "ketamine", "ssri", "--chart"),
    ("mechanism",), ("mechanism", "--map"), ("mechanism", "nmdar"), ("mechanism", "opioid"),
    ("mechanism", "bdnf"), ("mechanism", "nmdar", "--pathway"),
    ("cite",), ("cite", "33", "--usage"), ("cite", "11"),
    ("treatment",), ("treatment", "ketamine"), ("treatment", "ketamine", "--claims"), ("treatment", "esketamine"),
    ("side-effects",), ("side-effects", "ketamine"), ("timeline",),
    ("search", "ketamine", "-n", "40"), ("search", "naltrexone"), ("about",),
]
MARKER = re.compile(r"\[\d+(?:,\d+)*\]")
# Where a view's JSON carries notes it does not draw, and why.
NOT_DRAWN = {
    "--pathway": "a picture of the steps; `mechanism NAME` shows the notes",
    "--map": "counts only",
}


def words(text: str) -> list[str]:
    return text.split()


def in_order(needle: list[str], haystack: list[str]) -> bool:
    """The needle's words appear in the haystack in order (a table interleaves its columns)."""
    it = iter(haystack)
    return all(any(word == h for h in it) for word in needle)


def notes_of(result: dict, args: tuple) -> list[str]:
    """The notes of the records the view is about."""
    found: list[str] = []

    def walk(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "references" and args[0] != "cite":
                    continue  # the reference list below a view is not its subject
                if k == "claims" and args[0] == "treatment" and "--claims" not in args:
                    continue  # counted, with the command that lists them
                walk(v, k)
        elif isinstance(value, list):
            if key == "notes":
                found.extend(v for v in value if isinstance(v, str))
            else:
                for v in value:
                    walk(v, key)

    walk({k: v for k, v in result.items() if k not in ("source",)})
    if args[0] == "compare" and "--chart" in args:  # the chart draws the numeric rows only
        found = [n for row in result["rows"] for c in row["cells"] if c["value"] for n in c["notes"]]
    if args[0] == "about":
        found = list(result["review"]["notes"])
    return found


@pytest.mark.parametrize("args", VIEWS, ids=[" ".join(a) for a in VIEWS])
def test_every_view_at_every_width_cuts_nothing(run, args):
    result = run(*args, "--json").json()
    wide = run(*args, env={"COLUMNS": "200"}).out
    wide_markers = set(MARKER.findall(wide))
    ids = {v for v in re.findall(r'"id": "([^"]+)"', run(*args, "--json").out) if "-" in v and v in wide}
    notes = [] if any(flag in args for flag in NOT_DRAWN) else notes_of(result, args)
    for width in WIDTHS:
        r = run(*args, env={"COLUMNS": width})
        assert r.code == 0, (width, r.err)
        out = r.out
        assert "…" not in out, (width, [line for line in out.splitlines() if "…" in line][:3])
        too_wide = [line for line in out.splitlines() if cell_len(line) > int(width)]
        assert not too_wide, (width, too_wide[:3])
        missing = sorted(m for m in wide_markers if m not in out)
        assert not missing, (width, "reference lists cut or lost", missing[:5])
        lost_ids = sorted(i for i in ids if i not in out)
        assert not lost_ids, (width, "ids cut or lost", lost_ids[:5])
        tokens = words(out)
        lost = [n for n in notes if not in_order(words(n), tokens)]
        assert not lost, (width, f"{len(lost)} of {len(notes)} notes missing", lost[:2])


def test_the_markers_the_json_cites_are_drawn(run):
    doc = run("side-effects", "ketamine", "--json").json()
    for width in WIDTHS:
        out = run("side-effects", "ketamine", env={"COLUMNS": width}).out
        for s in doc["side_effects"]:
            if s["refs"]:
                assert markers(s["refs"]) in out, (width, s["id"])
