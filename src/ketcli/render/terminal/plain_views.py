"""Views made of layout items (layout.py), drawn without importing rich's console.

`compare` is drawn from here; the trial and reference blocks are shared with the rich
views in rich_views.py. Everything from the dataset goes through `streams.safe`, so data
cannot style or drive the terminal.
"""

from __future__ import annotations

from ketcli.data.vocab import NOT_REPORTED
from ketcli.render.terminal.layout import Facts, Grid, Item, Line, Para
from ketcli.render.terminal.streams import safe


def markers(refs: list[int]) -> str:
    return f"[{','.join(map(str, refs))}]" if refs else ""


def cited(text: str, refs: list[int], style: str = "") -> Line:
    spans = [(safe(text), style)]
    if refs:
        spans.append((" " + markers(refs), "cyan"))
    return spans


def number(value: float) -> str:
    return f"{value:g}"


def quantity(q: dict) -> str:
    if q["value"] is not None:
        amount = number(q["value"])
    elif q["low"] is not None and q["high"] is not None:
        amount = f"{number(q['low'])}–{number(q['high'])}"
    else:
        amount = NOT_REPORTED
    unit = q["unit"]
    amount += unit if unit == "%" else (f" {unit}" if unit else "")
    extras = []
    if q["ci_low"] is not None and q["ci_high"] is not None:
        level = f"{number(q['ci_level'])}% " if q["ci_level"] is not None else ""
        extras.append(f"{level}CI {number(q['ci_low'])} to {number(q['ci_high'])}")
    if q["p"]:
        extras.append(f"p {q['p']}")
    if q["n"] is not None:
        extras.append(f"n = {q['n']}")
    label = q["label"] + (f" ({q['arm']})" if q["arm"] else "")
    return f"{label}: {amount}" + (f" ({'; '.join(extras)})" if extras else "")


def reference_line(ref: dict) -> str:
    from ketcli.render.citations import format_vancouver

    return f"[{ref['number']}] {format_vancouver(ref)}"


def references(refs: list[dict]) -> list[Item]:
    if not refs:
        return []
    return [Para([("References", "bold")]), *(Para([(safe(reference_line(r)), "")]) for r in refs)]


def facts(rows: list[tuple[str, object, str]], indent: int = 0) -> Facts:
    """Facts from (label, value, style) rows."""
    return Facts([(safe(label), [(safe(str(value)), style)]) for label, value, style in rows], indent)


def trial(trial: dict) -> list[Item]:
    head = cited(trial["name"], trial["refs"], "bold")
    head.insert(1, (f" — {safe(trial['design'])}", ""))
    rows = [
        ("population", trial["population"] or NOT_REPORTED, ""),
        ("participants", trial["n"] if trial["n"] is not None else NOT_REPORTED, ""),
        ("outcome", trial["outcome_measure"] or NOT_REPORTED, ""),
    ]
    rows += [("result", quantity(q), "") for q in trial["results"]]
    rows.append(("finding", trial["finding"], ""))
    rows += [("note", n, "italic") for n in trial["notes"]]
    return [Para(head), facts(rows, indent=2), Para([])]


def compare(result: dict) -> list[Item]:
    rows = []
    for row in result["rows"]:
        cells = [cited(c["text"], c["refs"]) if c["source"] else [(safe(c["text"]), "dim italic")] for c in row["cells"]]
        rows.append([[(safe(row["label"]), "")], *cells])
    items: list[Item] = [
        Grid("Comparison (the review's Table 1)", ["", *(safe(tr["name"]) for tr in result["treatments"])], rows),
        Para([("Cells are Table 1 verbatim; Table 1 cites nothing, so [n] are the references of the "
               "review's sentences that say the same.", "dim")]),
    ]
    for tr in result["treatments"]:
        if all(not c["source"] for row in result["rows"] for c in row["cells"] if c["treatment"] == tr["id"]):
            items.append(Para([(safe(f"{tr['name']} is not in the review's Table 1: see ketcli treatment {tr['id']}"),
                                "yellow")]))
    if result["trials"]:
        items += [Para([]), Para([("Head-to-head trials", "bold underline")])]
        for tr in result["trials"]:
            items += trial(tr)  # each ends with a blank line
    elif result["references"]:
        items.append(Para([]))
    return [*items, *references(result["references"])]


def about(result: dict) -> list[Item]:
    review, ds = result["review"], result["dataset"]
    rows = [
        ("review", review["title"]),
        ("author", ", ".join(review["authors"])),
        ("journal", f"{review['journal']} {review['volume']}({review['issue']}): {review['article_number']}, "
                    f"published {review['published']}"),
        ("DOI", review["doi"]),
        ("license", review["license"] + " — reuse with credit to the author and source"),
        ("dataset", f"{ds['path']} (version {ds['dataset_version']})"),
        ("sha256", ds["sha256"]),
        ("ketcli", result["ketcli_version"]),
    ]
    rows += list(ds["counts"].items())
    if review.get("methods"):
        m = review["methods"]
        rows.append(("search", f"{', '.join(m['databases'])}, {m['years_from']}–{m['years_to']}, run {m['search_date']}"))
    rows += [("limitation", item) for item in review.get("limitations", [])]
    return [facts([(label, value, "") for label, value in rows])]
