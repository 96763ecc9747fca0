"""Views made of layout items (layout.py), drawn without importing rich's console.

`compare` is drawn from here; the trial and reference blocks are shared with the rich
views in rich_views.py. Everything from the dataset goes through `streams.safe`, so data
cannot style or drive the terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketcli.data.vocab import NOT_REPORTED
from ketcli.query.quantities import amount_text, number  # noqa: F401  (number: pictures.py takes it from here)
from ketcli.query.trialtext import follow_up_text, outcome_text, setting_text
from ketcli.render.terminal.layout import Facts, Grid, Item, Line, Para
from ketcli.render.terminal.streams import safe
from ketcli.render.wording import NOTE_MARK, markers, table1_footnote  # markers: rich_views takes it from here

if TYPE_CHECKING:
    from ketcli.query.results import Result




def cited(text: str, refs: list[int], style: str = "") -> Line:
    spans = [(safe(text), style)]
    if refs:
        spans.append((" " + markers(refs), "cyan"))
    return spans


def quantity(q: dict) -> str:
    label = q["label"] + (f" ({q['arm']})" if q["arm"] else "")
    return f"{label}: {amount_text(q)}"


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
        ("setting", setting_text(trial), ""),
        ("outcome", outcome_text(trial), ""),
        ("follow-up", follow_up_text(trial), ""),
    ]
    rows += [("study detail", f"{q['label']}: {amount_text(q)}", "") for q in trial["characteristics"]]
    rows += [("result", quantity(q), "") for q in trial["results"]]
    rows.append(("finding", trial["finding"], ""))
    rows += [("note", n, "italic") for n in trial["notes"]]
    return [Para(head), facts(rows, indent=2), Para([])]




def note_mark() -> str:
    """† where stdout can show it, else +."""
    import sys

    try:
        NOTE_MARK.encode(getattr(sys.stdout, "encoding", None) or "utf-8")
        return NOTE_MARK
    except (UnicodeEncodeError, LookupError):
        return "+"


def cell_notes(result: Result) -> list[tuple[str, str]]:
    """(treatment name · dimension label, note) for every note on a cell, in table order."""
    names = {tr["id"]: tr["name"] for tr in result["treatments"]}
    return [(f"{names.get(c['treatment'], c['treatment'])} · {row['label']}", note)
            for row in result["rows"] for c in row["cells"] for note in c["notes"]]


def notes_block(result: Result, mark: str) -> list[Item]:
    notes = cell_notes(result)
    if not notes:
        return []
    items: list[Item] = [Para([]), Para([(f"Notes on the cells ({mark})", "bold")])]
    items += [Para([(safe(f"{mark} {where}: "), "bold"), (safe(note), "italic")]) for where, note in notes]
    return items


def compare(result: Result) -> list[Item]:
    mark = note_mark()
    rows = []
    for row in result["rows"]:
        cells = []
        for c in row["cells"]:
            cell = cited(c["text"], c["refs"]) if c["source"] else [(safe(c["text"]), "dim italic")]
            if c["notes"]:
                cell.append((mark, "yellow"))
            cells.append(cell)
        rows.append([[(safe(row["label"]), "bold underline")], *cells])
    items: list[Item] = [
        Grid("Comparison (the review's Table 1)", ["", *(safe(tr["name"]) for tr in result["treatments"])], rows),
        Para([(table1_footnote(mark), "dim")]),
        *notes_block(result, mark),
    ]
    for tr in reversed(result["treatments"]):  # said first, before the grid
        if all(not c["source"] for row in result["rows"] for c in row["cells"] if c["treatment"] == tr["id"]):
            items.insert(0, Para([(safe(f"{tr['name']} is not in the review's Table 1: see ketcli treatment {tr['id']}"),
                                   "yellow")]))
    if result["trials"]:
        items += [Para([]), Para([("Head-to-head trials", "bold underline")])]
        for tr in result["trials"]:
            items += trial(tr)  # each ends with a blank line
    elif result["references"]:
        items.append(Para([]))
    return [*items, *references(result["references"])]


def about(result: Result) -> list[Item]:
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
    q = ds["quotes"]
    rows.append(("quotes", f"{q['checked']} of {q['claims']} claims carry a quote found in the review's text "
                           f"({q['with_quote']} carry one)"))
    if review.get("methods"):
        m = review["methods"]
        rows.append(("literature search",
                     f"{', '.join(m['databases'])}, {m['years_from']}–{m['years_to']}, run {m['search_date']} (the review's)"))
    if result.get("search"):
        rows.append(("ketcli search", _search_line(result["search"])))
    rows += [("limitation", item) for item in review.get("limitations", [])]
    rows += [("note", item) for item in review.get("notes", [])]
    rows += [("caption", f"{c['label']}: {c['title']}") for c in review.get("captions", [])]
    return [facts([(label, value, "") for label, value in rows])]


def _search_line(info: Result) -> str:
    entries = info["vocabulary_entries"]
    vocabulary = (f"ketcli's lay vocabulary ({entries} entries" if entries is not None
                  else "ketcli's lay vocabulary (broken: ketcli validate lists why")
    if info["own_vocabulary_entries"]:
        vocabulary += f", {info['own_vocabulary_entries']} of this dataset's"
    if info["semantic"]:
        semantic = f"semantic extra: {info['semantic_model']}"
    elif info["semantic_problem"]:
        semantic = f"semantic extra {info['semantic_problem']}"
    else:
        semantic = "semantic extra not installed (pip install 'ketcli[semantic]')"
    return (f"{info['ranking']} + {vocabulary}) + the dataset's names ({info['name_entries']} expansions); "
            f"{semantic}")


def _sof_head(result: Result) -> list[Item]:
    h = result["header"]
    title = f"Summary of findings: {h['title']}"
    rows = [("population", p, "") for p in h["population"]]
    rows += [("setting", p, "") for p in h["setting"]]
    rows += [("intervention", h["intervention"], ""),
             ("comparison", h["comparison"], ""), ("certainty", h["certainty"], ""),
             ("risk of bias", h["risk_of_bias"], "")]
    return [Para([(safe(title), "bold")]), facts(rows), Para([])]


def sof(result: Result) -> list[Item]:
    items = _sof_head(result)
    for tr in result["trials"]:
        head = cited(tr["name"], tr["refs"], "bold")
        head.insert(1, (f" — {safe(tr['design'])}", ""))
        items.append(Para(head))
        about = [("setting", tr["setting"], ""), ("follow-up", tr["follow_up"], "")]
        about += [("study detail", f"{d['label']}: {d['text']}", "") for d in tr["characteristics"]]
        for i, row in enumerate(tr["rows"]):
            rows = [] if i else list(about)  # the study's own facts once, above its first outcome
            rows += [("outcome", row["outcome"], "bold"), ("result", row["result"], ""),
                    ("participants", row["participants"], ""), ("studies", row["studies"], ""),
                    ("certainty", row["certainty"], "")]
            rows += [("comment", c, "italic") for c in row["comments"]]
            items += [facts(rows, indent=2), Para([])]
    items.append(Para([("Numbers are as the review prints them; a derived number is labelled, with its formula. "
                        "--gaps lists what a full summary of findings needs that the review does not print.",
                        "dim")]))
    return [*items, *references(result["references"])]


def sof_gaps(result: Result) -> list[Item]:
    items = _sof_head(result)
    items.append(Para([("What a full summary of findings needs that the review does not print", "bold underline")]))
    for tr in result["trials"]:
        items.append(Para(cited(tr["name"], tr["refs"], "bold")))
        items.append(facts([("missing", g, "") for g in tr["gaps"]], indent=2))
        items.append(Para([]))
    return items
