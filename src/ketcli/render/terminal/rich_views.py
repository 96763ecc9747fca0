"""Result dicts to rich renderables. Everything from the dataset goes in as plain
`Text` (never markup), through `streams.safe`, so data cannot style or drive the terminal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich import box
from rich.padding import Padding
from rich.style import Style
from rich.table import Table as _Table
from rich.text import Text

from ketcli.render.terminal import plain_views

from ketcli.render.terminal import layout
from ketcli.render.terminal.plain_views import NOT_REPORTED, amount_text, markers, quantity, reference_line
from ketcli.render.side_effect_groups import by_source
from ketcli.render.terminal.streams import safe
from ketcli.render.wording import doi_url

if TYPE_CHECKING:
    from ketcli.query.results import Result


class Table(_Table):
    """rich's Table, but a word too long for its column wraps (fold) instead of being cut
    with "…": references, ids and DOIs are never truncated."""

    def add_column(self, *args, **kwargs) -> None:
        kwargs.setdefault("overflow", "fold")
        super().add_column(*args, **kwargs)


def refs_width(ref_lists) -> int:
    """A refs column as wide as its longest [n,…] marker (so it is never cut), at least 4."""
    return max([4, *(len(markers(refs)) for refs in ref_lists)])


def t(value: object, style: str = "") -> Text:
    return Text(safe(str(value)), style=style)




def cited(text: str, refs: list[int]) -> Text:
    return Text.assemble(*plain_views.cited(text, refs))


class Drawn:
    """Layout items (layout.py) as a rich renderable, for views that mix them with rich's."""

    def __init__(self, items: list) -> None:
        self.items = items

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        term = layout.Terminal(options.max_width, False, options.encoding)
        for line in layout.render(self.items, term) or []:
            for text, style in line:
                yield Segment(text, Style.parse(style) if style else None)
            yield Segment.line()


def references_block(refs: list[dict]) -> Drawn:
    return Drawn(plain_views.references(refs))


def trial_block(trial: dict) -> Drawn:
    return Drawn(plain_views.trial(trial))


def _counts(counts: dict) -> str:
    return f"{counts['supports']} / {counts['contradicts']} / {counts['mixed']} / {counts['context']}"


def mechanism_list(result: Result) -> list:
    table = Table(box=box.SIMPLE_HEAVY, expand=True, title="Mechanisms in the review")
    table.add_column("Mechanism", ratio=3)
    table.add_column("Status in the review", ratio=4)
    table.add_column("Abstract's basis", ratio=2, min_width=10)
    for name in ("+", "-", "±", "ctx"):
        table.add_column(name, justify="right", no_wrap=True)
    scope = None
    for m in result["mechanisms"]:
        if m["scope"] != scope and scope is not None:
            table.add_section()
        scope = m["scope"]
        label = t(m["name"], "bold")
        label.append("\n" + safe(m.get("treatment_name") or m["scope"]), style="dim")
        c = m["counts"]
        table.add_row(
            label, t(m["status"]), t(m["evidence_basis"] or NOT_REPORTED),
            t(c["supports"]), t(c["contradicts"]), t(c["mixed"]), t(c["context"]),
        )
    return [table, Text("Claims by stance toward the mechanism: + supports, - contradicts, ± mixed, "
                        "ctx context. Details: ketcli mechanism NAME, e.g. nmdar, monoamine, opioid or inflammation", style="dim")]


STANCE_STYLE = {"supports": "green", "contradicts": "red", "mixed": "yellow", "context": "dim"}


LEGEND = ("Refs: the references the review prints on the sentence (none: it prints none). "
          "Stance toward the mechanism: supports, contradicts, mixed, or context (background, no stance). "
          "Evidence: animal (preclinical), human (clinical studies), meta-analysis, review, case reports, "
          "regulatory (FDA), not stated (the review does not say).")


def claims_table(claims: list[dict], title: str, legend: bool = True, quotes: bool = False) -> Table:
    # The title as Text: rich reads a str title as markup, and a mechanism's name is data.
    table = Table(box=box.SIMPLE_HEAVY, expand=True, title=t(title, "table.title"), show_lines=True,
                  caption=LEGEND if legend else None, caption_justify="left")
    table.add_column("Claim (section)", ratio=1)
    table.add_column("Stance · evidence", max_width=14)
    table.add_column("Refs", min_width=refs_width(c["refs"] for c in claims), no_wrap=True)
    for c in claims:
        text = t(c["text"])
        text.append(f"\n({safe(c['section'])})", style="dim")
        for q in c["quantities"]:
            text.append("\n  " + safe(quantity(q)), style="dim")
        if quotes:
            from ketcli.render.quotes import quote_lines

            for line in quote_lines(c):
                text.append("\n" + safe(line), style="green")
        for n in c["notes"]:
            text.append("\nnote: " + safe(n), style="italic")
        stance = t(c["stance"], STANCE_STYLE[c["stance"]])
        stance.append("\n" + safe(c["evidence"]), style="dim")
        table.add_row(text, stance, t(markers(c["refs"]) or "none"))
    return table


def pathway_lines(steps: list[dict]) -> list[Text]:
    lines = [Text("Pathway", style="bold")]
    number = {step["id"]: i for i, step in enumerate(steps, 1)}
    for i, step in enumerate(steps, 1):
        before = [f"step {number[a]}" if a in number else a for a in step["after"]]
        after = f" (after {', '.join(before)})" if step["after"] else ""
        line = t(f"  {i}. {step['label']}{after}")
        line.append(" " + (markers(step["refs"]) or f"({safe(step['source'])})"), style="cyan")
        lines.append(line)
    return lines


def mechanism_quotes(result: Result) -> list:
    """The mechanism view with each claim's exact words and where they stand."""
    return mechanism(result, quotes=True)


def mechanism(result: Result, quotes: bool = False) -> list:
    c = result["counts"]
    if result["kind"] == "entity":
        e = result["entity"]
        head = [t(f"{e['name']} ({e['kind']})", "bold"),
                t(f"{c['claims']} claims in the review involve it; grouped by mechanism below.")]
        groups: dict[str, list[dict]] = {}
        for claim in result["claims"]:
            for key in claim["mechanisms"] or ["(no mechanism)"]:
                groups.setdefault(key, []).append(claim)
        last = len(groups) - 1
        names = result.get("mechanism_names") or {}
        tables = [claims_table(cl, f"Mechanism: {names.get(key, key)}", legend=i == last, quotes=quotes)
                  for i, (key, cl) in enumerate(groups.items())]
        return [*head, *tables, references_block(result["references"])]
    m = result["mechanism"]
    head = [
        t(m["name"], "bold"),
        t(f"Status: {m['status']}" + (f" ({m['status_section']})" if m["status_section"] else "")),
        t(f"Evidence basis (abstract): {m['evidence_basis'] or NOT_REPORTED}"),
        t(f"Section: {m['section']}"),
        t(m["summary"]),
        t(f"Claims: {c['claims']} — {c['supports']} support, {c['contradicts']} contradict, "
          f"{c['mixed']} mixed, {c['context']} context"),
    ]
    head += [t(f"Note: {n}", "italic") for n in m["notes"]]
    parts: list = [*head]
    if m["pathway"]:
        parts += [Text(""), *pathway_lines(m["pathway"])]
    parts.append(claims_table(result["claims"], "Evidence", quotes=quotes))
    parts.append(references_block(result["references"]))
    return parts


def cite(result: Result) -> list:
    table = Table(box=box.SIMPLE_HEAVY, expand=True, title="References of the review", show_lines=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Authors · Title · Journal, year", ratio=1)
    table.add_column("DOI", no_wrap=True)
    for r in result["references"]:
        authors = ", ".join(r["authors"]) + (", et al." if r["et_al"] else "")
        cell = t(authors or f"authors {NOT_REPORTED}")
        cell.append("\n" + safe(r["title"] or f"title {NOT_REPORTED}"), style="bold")
        where = ", ".join(str(x) for x in (r["journal"], r["year"]) if x) or f"journal {NOT_REPORTED}"
        cell.append("\n" + safe(where), style="dim")
        for n in r["notes"]:
            cell.append("\nnote: " + safe(n), style="italic")
        doi = Text(safe(r["doi"]), style=Style(link=doi_url(r["doi"]))) if r["doi"] else t("no DOI printed", "dim")
        table.add_row(t(r["number"]), cell, doi)
    return [table]


def usage(result: Result) -> list:
    parts = []
    for entry in result["usage"]:
        ref = entry["reference"]
        table = Table(box=box.SIMPLE_HEAVY, expand=True, show_lines=True,
                      title=f"What the review cites reference {ref['number']} for"
                      + (f", among the records matching {safe(result['search'])!r}" if result.get("search") else ""))
        table.add_column("Cited for", ratio=1)
        table.add_column("Kind", max_width=12)
        table.add_column("Section", max_width=26)
        for use in entry["uses"]:
            table.add_row(cited(use["text"], use["refs"]), t(use["kind"]), t(use["section"]))
        parts += [t(reference_line(ref), "bold"), table]
        parts += [t(f"Note: {n}", "italic") for n in ref["notes"]]
        if not entry["uses"]:
            parts.append(t("No record of the dataset cites it.", "dim"))
    return parts


def treatment_list(result: Result) -> list:
    table = Table(box=box.SIMPLE_HEAVY, expand=True, title="Treatments in the review")
    table.add_column("Treatment", max_width=24)
    table.add_column("Summary", ratio=1)
    names = {tr["id"]: tr["name"] for tr in result["treatments"]}
    for tr in result["treatments"]:
        name = t(tr["name"], "bold")
        details = [tr["kind"]] + ([f"part of {names.get(tr['parent'], tr['parent'])}"] if tr["parent"] else [])
        details += ["in Table 1"] if tr["in_table1"] else []
        name.append("\n" + safe(" · ".join(details)), style="dim")
        table.add_row(name, t(tr["summary"]))
    return [table, Text("Profile: ketcli treatment NAME, e.g. ketamine, ssri or esketamine", style="dim")]


def _cited_lines(title: str, items: list[tuple[str, list[int]]]) -> list:
    if not items:
        return []
    lines: list = [Text(title, style="bold underline")]
    lines += [Padding(cited(text, refs), (0, 0, 0, 2)) for text, refs in items]
    return lines


def treatment(result: Result) -> list:
    tr = result["treatment"]
    parts: list = [t(tr["name"] + (f" ({tr['full_name']})" if tr["full_name"] else ""), "bold"), t(tr["summary"])]
    if result["parent"]:
        parts.append(t(f"Part of: {result['parent']['name']}"))
    if result["members"]:
        parts.append(t("Includes: " + ", ".join(m["name"] for m in result["members"])))
    parts += [t(f"Note: {n}", "italic") for n in tr["notes"]]
    parts += _cited_lines("\nProfile", [(f"{a['name']}: {a['value']}", a["refs"]) for a in tr["attributes"]])
    parts += _table1_lines(result["table1"], tr, result["parent"])
    parts += _cited_lines("\nHow it acts", [
        (f"{m['name']}: {m['status']} — {m['counts']['supports']} supporting, "
         f"{m['counts']['contradicts']} contradicting claims", []) for m in result["mechanisms"]])
    parts += _cited_lines("\nSide effects", [(_effect_text(s), s["refs"]) for s in result["side_effects"]])
    parts += [Padding(t(f"note ({s['effect']}): {n}", "italic"), (0, 0, 0, 4))
              for s in result["side_effects"] for n in s["notes"]]
    if result["trials"]:
        parts.append(Text("\nStudies", style="bold underline"))
        parts += [Padding(trial_block(tr_), (0, 0, 0, 2)) for tr_ in result["trials"]]
    parts += _cited_lines("\nHistory", [(f"{e['when']}: {e['label']}", e["refs"]) for e in result["events"]])
    if result["claims"]:
        parts.append(t(f"\n{len(result['claims'])} claims of the review are about {tr['name']}: "
                       f"ketcli treatment {tr['id']} --claims lists them.", "dim"))
    parts.append(references_block(result["references"]))
    return parts


def _table1_lines(cells: list[dict], tr: dict, parent: dict | None) -> list:
    """Table 1's dimensions for one treatment, each with its notes; a dimension Table 1 has
    no cell for says so, with what the review says nearest to it (the cell's `nearest`)."""
    if not cells:
        return []
    mark = plain_views.note_mark()
    lines: list = [Text("\nTable 1", style="bold underline")]
    for c in cells:
        if c["source"]:
            line = cited(f"{c['label']}: {c['text']}", c["refs"])
            if c["notes"]:
                line.append(mark, style="yellow")
        else:
            line = t(f"{c['label']}: {c['text']}", "dim italic")
        lines.append(Padding(line, (0, 0, 0, 2)))
        lines += [Padding(t(f"{mark} {n}", "italic"), (0, 0, 0, 4)) for n in c["notes"]]
        for near in c.get("nearest") or []:
            other = parent["name"] if parent and near["about"] != tr["id"] else None
            if near["source"] == "Table 1":
                where = f"Table 1 gives it for {other}, not for {tr['name']}"
            else:
                where = near["source"] + (f"; said of {other}, not of {tr['name']} by name" if other else "")
            lines.append(Padding(cited(f"nearest in the review ({where}): {near['text']}", near["refs"]),
                                 (0, 0, 0, 4)))
    return lines


def treatment_claims(result: Result, quotes: bool = False) -> list:
    """The profile, then every claim about the treatment."""
    parts = treatment(result)
    parts[-2:-1] = [claims_table(result["claims"], "What the review says about it", quotes=quotes)] if result["claims"] else []
    return parts


def treatment_claims_quotes(result: Result) -> list:
    """The profile, then every claim about the treatment with its exact words."""
    return treatment_claims(result, quotes=True)


def _effect_text(s: dict) -> str:
    text = s["effect"]
    details = [d for d in (s["frequency"], quantity(s["quantity"]) if s["quantity"] else None, s["time_course"]) if d]
    return text + (f" — {'; '.join(details)}" if details else "")


def _side_effect_row(group: Sequence[Mapping[str, Any]], names: dict, studies: dict) -> tuple[Text, Text, Text, Text]:
    first = group[0]
    if len(group) == 1:
        freq = t(", ".join(d for d in (first["frequency"], quantity(first["quantity"]) if first["quantity"] else None,
                                       first["time_course"]) if d) or NOT_REPORTED)
        effect = t(first["effect"])
        for n in first["notes"]:
            effect.append("\nnote: " + safe(n), style="italic")
        refs = first["refs"]
    else:  # one study's rows: each effect with its own number, the shared time course once
        shared = {(s["frequency"], s["time_course"]) if not s["study"] else s["time_course"] for s in group}
        alike = len(shared) == 1
        common = shared.pop() if alike else None
        if isinstance(common, tuple):  # the same words for every effect: say them once
            common = ", ".join(d for d in common if d) or NOT_REPORTED
        refs = sorted({n for s in group for n in s["refs"]})
        effect = Text()
        for i, s in enumerate(group):
            own = [d for d in (None if alike and not s["study"] else s["frequency"],
                               amount_text(s["quantity"]) if s["quantity"] else None,
                               None if alike else s["time_course"]) if d]
            effect.append(("\n" if i else "") + safe(s["effect"]), style="bold")
            if own:
                effect.append(": " + safe(", ".join(own)))
            if s["refs"] != refs:
                effect.append(" " + markers(s["refs"]), style="cyan")
            for n in s["notes"]:
                effect.append("\n  note: " + safe(n), style="italic")
        freq = t((common or NOT_REPORTED) if alike else "see each effect")
    if first["study"]:
        freq.append(f"\n({safe(studies.get(first['study'], first['study']))})", style="dim")
    return t(names.get(first["treatment"], first["treatment"])), effect, freq, t(markers(refs))


def side_effects(result: Result) -> list:
    names = {tr["id"]: tr["name"] for tr in result.get("treatments", [])}
    studies = {st["id"]: st["name"] for st in result["studies"]}
    table = Table(box=box.SIMPLE_HEAVY, expand=True, show_lines=True, title="Side effects reported in the review")
    table.add_column("Treatment", max_width=16)
    table.add_column("Effect", ratio=2)
    table.add_column("Frequency (study)", ratio=1)
    table.add_column("Refs", min_width=refs_width(s["refs"] for s in result["side_effects"]), no_wrap=True)
    for group in by_source(result["side_effects"]):
        table.add_row(*_side_effect_row(group, names, studies))
    studies_shown = [Text("Studies", style="bold underline"), *(trial_block(st) for st in result["studies"])]
    return [table, *(studies_shown if result["studies"] else []), references_block(result["references"])]


def timeline(result: Result) -> list:
    table = Table(box=box.SIMPLE_HEAVY, expand=True, title="Timeline")
    table.add_column("Year", no_wrap=True)
    table.add_column("As printed", max_width=16)
    table.add_column("Event", ratio=1)
    table.add_column("Refs", min_width=refs_width(e["refs"] for e in result["events"]), no_wrap=True)
    for e in result["events"]:
        year = f"{e['year']}–{e['end_year']}" if e["end_year"] else str(e["year"])
        table.add_row(t(year), t(e["when"]), t(e["label"]), t(markers(e["refs"]) or "none printed"))
    return [table, references_block(result["references"])]


def search_quotes(result: Result) -> list:
    """Search hits with the exact words of the review under each claim, trial and Table 1 cell."""
    return search(result, quotes=True)


ANSWER_KINDS = ("claim", "trial", "table cell")  # records that state an answer, read first


def search(result: Result, quotes: bool = False) -> list:
    """The hits in two groups, each in rank order: the records that state an answer (claims,
    trial findings, Table 1 cells), then the rest (side effects, profiles, references …)."""
    if result["query"].strip() or not result["topic"]:
        title = f"{result['total']} match(es) for {safe(result['query'])!r}"
    else:
        title = f"{result['total']} claim(s) on topic {safe(result['topic'])!r}"
    if result["total"] > len(result["hits"]):
        title += f", best {len(result['hits'])}"
    out: list = [Text(title, style="bold", justify="center")]
    if result.get("semantic"):
        out.append(Text("ranked by the words and by meaning (the semantic extra's model; --exact: the words alone)",
                        style="italic"))
    also = search_expansion(result)
    if also:
        out.append(Text(also, style="italic"))
    absent = result.get("words_not_found") or []
    if absent and result["hits"]:
        out.append(Text("no record of the review holds " + ", ".join(repr(safe(w)) for w in absent)
                        + " (the hits match the question's other words)", style="italic"))
    ranked = list(enumerate(result["hits"], 1))
    answers = [(i, h) for i, h in ranked if h["kind"] in ANSWER_KINDS]
    rest = [(i, h) for i, h in ranked if h["kind"] not in ANSWER_KINDS]
    for heading, group in (("Answers", answers), ("Also found", rest)):
        if group:
            out.append(_hits_table(heading if answers and rest else None, group, quotes))
    return [*out, references_block(result["references"])]


EXPANDED_BY = {
    "vocabulary": "ketcli's lay vocabulary, not the review's words",
    "names": "the review's names for one thing",
    "spelling": "read as a misspelling",
}


def search_expansion(result: Result) -> str:
    """'also searched: onset — for 'start working' (ketcli's lay vocabulary, …); …', each group
    labelled by what added it; --exact searches only the words as typed."""
    also = result.get("also_searched") or []
    if not also:
        return ""
    groups: dict[str, dict[tuple, list[str]]] = {}  # by → terms → the phrases that searched them
    for a in also:
        by = a.get("by", "vocabulary")
        groups.setdefault(by, {}).setdefault(tuple(a["terms"]), []).append(repr(safe(a["for"])))
    parts = []
    for by, phrases in groups.items():
        said = "; ".join(f"{', '.join(safe(t) for t in terms)} — for {', '.join(s)}" for terms, s in phrases.items())
        parts.append(f"{said} ({EXPANDED_BY.get(by, by)})")
    return "also searched: " + "; ".join(parts) + "; --exact searches only your words"


def _hits_table(heading: str | None, hits: list, quotes: bool) -> _Table:
    table = Table(box=box.SIMPLE_HEAVY, expand=True, show_lines=True, title=heading, title_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Found", ratio=1)
    table.add_column("Where in the review", max_width=20, overflow="fold")
    for i, hit in hits:
        where = t(hit["section"])
        where.append(f"\n{safe(hit['kind'])}", style="dim")
        found = cited(hit["text"], hit["refs"])
        for n in hit["notes"]:
            found.append("\nnote: " + safe(n), style="italic")
        if quotes and hit.get("quote"):
            from ketcli.render.quotes import quote_lines

            for line in quote_lines(hit):
                found.append("\n" + safe(line), style="green")
        table.add_row(t(i), found, where)
    return table


def validate(result: Result) -> list:
    if result["ok"]:
        counts = ", ".join(f"{v} {k}" for k, v in result["counts"].items())
        return [t(f"{result['file']}: valid ({counts})")]
    # One problem per line, never wrapped, so `grep` and editors' "file:line:" jumps work.
    lines = [Text(safe(p), no_wrap=True, overflow="ignore") for p in result["problems"]]
    return lines + [t(f"{len(result['problems'])} problem(s)", "bold red")]
