"""`ketcli brief`: a short, self-contained HTML brief of the treatments asked, for a clinician.

It opens with the review's bottom line (its Conclusions, quoted), then Table 1 with the
dataset's notes as footnotes, then the trials, the summary of findings, the side effects, the
mechanisms and the references. Curators' notes on the text extraction stay out of it.
Built from the same query results as the commands (compare, sof, side-effects, mechanism, about) with
a Jinja2 template, autoescaping on: every text from a dataset is escaped, in elements and
in attributes. No script, no stylesheet or font from the network; the only links made
from data are `https://doi.org/` + a DOI that looks like one (10.NNNN/…), and `#ref-N`
to the page's own reference list. The pathway is Graphviz's SVG when `dot` is on PATH
(cleaned to an allowlist of SVG elements and attributes) and a nested list when it is not.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ketcli.errors import NotFound

if TYPE_CHECKING:
    from jinja2 import Environment

    from ketcli.query.results import Result
    from ketcli.data.dataset import Data

TEMPLATES = Path(__file__).resolve().parent / "templates"
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
LICENSE_URLS = {"CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/"}
SVG_NS = "http://www.w3.org/2000/svg"
# What Graphviz's SVG uses for boxes, arrows and text; anything else (links, scripts,
# foreign objects, event handlers) is dropped before the SVG goes into the page.
SVG_ELEMENTS = {"svg", "g", "title", "polygon", "polyline", "path", "ellipse", "text", "tspan", "rect", "line"}
SVG_ATTRIBUTES = {
    "width", "height", "viewBox", "id", "class", "transform", "fill", "stroke", "stroke-width", "points", "d",
    "cx", "cy", "rx", "ry", "x", "y", "x1", "y1", "x2", "y2", "text-anchor", "font-family", "font-size",
    "font-weight", "font-style", "stroke-dasharray", "opacity", "fill-opacity", "stroke-opacity",
}


# What an HTML page may not hold (html5lib: "invalid-codepoint") and a terminal would
# obey: C0 controls but tab and newline, DEL, C1 controls, and the noncharacters. Each is
# shown as its visible escape ("\\x1b"), as the terminal views show it.
_NOT_IN_A_PAGE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def page_text(value: object) -> object:
    """Every value the template prints (jinja's `finalize`, before escaping): text from
    the dataset without the characters a page may not hold. Markup (the SVG, the list's
    tags) is the page's own and passes."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return _NOT_IN_A_PAGE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), value)
    return value


def _page_values(value):
    """`value` (a query's result) with page_text applied to every string in it."""
    if isinstance(value, dict):
        return {k: _page_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_page_values(v) for v in value]
    return page_text(value)


def doi_url(doi: str | None) -> str | None:
    """https://doi.org/… for a printed DOI, or None (nothing else becomes a link)."""
    from ketcli.render.wording import doi_url as address

    return address(doi) if doi and DOI.match(doi) else None


def _tree(steps: Sequence[Mapping[str, Any]]) -> list[dict]:
    """The pathway as rows of a nested list, in reading order: {step, repeat, before},
    `before` the markup that opens or closes the lists up to the row, with a last row
    {step: None, before: …} that closes them all. A step under each step it follows, its
    own steps only under the first (elsewhere it says "continues above", as the terminal
    tree does: a copy per path would grow as 2^n with n steps of two parents). Built
    with a stack, not recursion: a chain of thousands of steps is one more depth each."""
    from markupsafe import Markup

    by_id = {s["id"]: s for s in steps}
    children: dict[str, list[Mapping[str, Any]]] = {s["id"]: [] for s in steps}
    roots: list[Mapping[str, Any]] = []
    for step in steps:
        parents = [p for p in step["after"] if p in by_id]
        if not parents:
            roots.append(step)
        for p in parents:
            children[p].append(step)
    rows: list[dict] = []
    shown: set[str] = set()
    depth = 0  # the depth of the previous row; 0: no list open yet
    stack: list[tuple[dict, int]] = [(r, 1) for r in reversed(roots)]
    while stack:
        step, level = stack.pop()
        repeat = step["id"] in shown
        if level > depth:
            before = '<ul class="pathway">'
        else:
            before = "</li>" + "</ul></li>" * (depth - level)
        rows.append({"step": step, "repeat": repeat, "before": Markup(before)})
        depth = level
        if not repeat:
            shown.add(step["id"])
            stack.extend((c, level + 1) for c in reversed(children[step["id"]]))
    if rows:
        rows.append({"step": None, "repeat": False, "before": Markup("</li>" + "</ul></li>" * (depth - 1) + "</ul>")})
    return rows


def clean_svg(svg: str) -> str:
    """Graphviz's SVG with only the elements and attributes a drawing needs."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)

    def local(name: str) -> str:
        return name.rsplit("}", 1)[-1]

    def keep(element) -> None:
        for child in list(element):
            if not isinstance(child.tag, str) or local(child.tag) not in SVG_ELEMENTS:
                element.remove(child)
            else:
                keep(child)
        for name in list(element.attrib):
            if local(name) not in SVG_ATTRIBUTES or "{" in name:
                del element.attrib[name]

    keep(root)
    for element in root.iter():
        element.tag = local(element.tag)
    root.set("xmlns", SVG_NS)
    root.set("role", "img")
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def pathway_svg(result: Result) -> str | None:
    """The mechanism's pathway drawn by Graphviz, or None where `dot` is not installed."""
    import shutil
    import subprocess

    from ketcli.render.diagrams import to_dot

    dot = shutil.which("dot")
    if dot is None:
        return None
    try:
        done = subprocess.run([dot, "-Tsvg"], input=to_dot(_page_values(result)).encode("utf-8"), capture_output=True,
                              timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return clean_svg(done.stdout.decode("utf-8"))


def conclusions(data: Data) -> list[dict]:
    """The Conclusions' sentences as printed, in their order, each once, with their references."""
    spans: dict[int, dict] = {}
    for claim in data["claims"]:
        if claim["section"] != "Conclusions":
            continue
        for words, where in zip(claim["quote"], claim["locator"]):
            span = spans.setdefault(where["start"], {"quote": words, "refs": []})
            span["refs"] = sorted(set(span["refs"]) | set(claim["refs"]))
    return [spans[start] for start in sorted(spans)]


def footnotes(table: Result) -> tuple[dict, list[dict]]:
    """Table 1's notes as numbered footnotes: {(dimension, treatment): [numbers]} and the notes."""
    names = {t["id"]: t["name"] for t in table["treatments"]}
    marks: dict[tuple[str, str], list[int]] = {}
    notes: list[dict] = []
    for row in table["rows"]:
        for cell in row["cells"]:
            for note in cell["notes"]:
                notes.append({"number": len(notes) + 1, "text": note, "where": f"{names[cell['treatment']]}, {row['label']}"})
                marks.setdefault((row["dimension"], cell["treatment"]), []).append(len(notes))
    return marks, notes


def side_effect_groups(data: Data, ids: list[str]) -> list[list[Mapping[str, Any]]]:
    """The side effects of the treatments asked, grouped by source (as `ketcli side-effects`)."""
    from ketcli.query import profiles
    from ketcli.render.side_effect_groups import by_source

    effects = [s for s in profiles.side_effects(data, None)["side_effects"] if s["treatment"] in ids]
    effects.sort(key=lambda s: ids.index(s["treatment"]))
    return by_source(effects)


def context(data: Data, names: list[str], pathway: str | None) -> dict:
    """Everything the template shows, from the queries' results."""
    from ketcli.export import zotero
    from ketcli.query import envelope, profiles, queries
    from ketcli.query.quantities import amount_text
    from ketcli.query.sof import sof
    from ketcli.query.trialtext import follow_up_text, outcome_text, setting_text
    from ketcli.render.citations import format_vancouver
    from ketcli.render.wording import NOT_REPORTED, TABLE1_CITES_NOTHING

    table = queries.compare(data, names)
    ids = [t["id"] for t in table["treatments"]]
    try:
        summary = sof(data, ids) if len(ids) > 1 else None
    except NotFound:
        summary = None
    mechanisms = [m for m in queries.mechanism_list(data)["mechanisms"] if m["treatment"] in ids]
    if pathway is None and "ketamine" in ids and "nmdar" in data.mechanisms:
        pathway = "nmdar"  # ketamine's pathway: the NMDAR theory of Figure 1
    drawn = None
    if pathway is not None:
        result = queries.mechanism(data, pathway)
        if result["kind"] != "mechanism":
            raise NotFound(f"{pathway!r} is an entity, not a mechanism with a pathway")
        mechanism = result["mechanism"]
        if mechanism is not None and mechanism["pathway"]:
            svg = pathway_svg(result)
            drawn = {"mechanism": mechanism, "svg": svg, "tree": _tree(mechanism["pathway"]) if svg is None else []}
    bottom_line = conclusions(data)
    marks, table_notes = footnotes(table)
    effects = side_effect_groups(data, ids)
    cited = [r["number"] for r in table["references"]]
    cited += [n for c in bottom_line for n in c["refs"]]
    cited += [n for group in effects for s in group for n in s["refs"]]
    cited += [n for t in (summary["trials"] if summary else []) for n in t["refs"]]
    if drawn and mechanism is not None:
        cited += [n for s in mechanism["pathway"] for n in s["refs"]]
    about = profiles.about(data)
    references = [{**r, "doi_url": doi_url(r["doi"])} for r in envelope._references(data, cited)]
    names_shown = [t["name"] for t in table["treatments"]]
    review = data.source
    return {
        "title": " compared with ".join([names_shown[0], ", ".join(names_shown[1:])]) if len(names_shown) > 1
        else names_shown[0],
        "review": review,
        "review_url": doi_url(review["doi"]),
        "license_url": LICENSE_URLS.get(review["license"]),
        "conclusions": bottom_line,
        "table": table,
        "marks": marks,
        "footnotes": table_notes,
        "side_effects": effects,
        "names": {t["id"]: t["name"] for t in table["treatments"]},
        "study_names": {t["id"]: t["name"] for t in data["trials"]},
        "sof": summary,
        "mechanisms": mechanisms,
        "pathway": drawn,
        "references": references,
        "cited": {r["number"] for r in references},
        "about": about,
        "quantity": amount_text,
        "outcome_text": outcome_text,
        "setting_text": setting_text,
        "follow_up_text": follow_up_text,
        "vancouver": format_vancouver,
        "table1_footnote": f"{TABLE1_CITES_NOTHING}; a superscript leads to ketcli’s note on how they differ.",
        "not_reported": NOT_REPORTED,
        "coins": zotero.coins,
        "highwire": zotero.highwire(review),
    }


@cache
def _environment() -> Environment:
    """One Jinja2 environment per process: it keeps the compiled template (≈ 40 ms to compile),
    so the Python API's `Dataset.brief` compiles it once however many briefs it makes."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=page_text)


def build(data: Data, names: list[str], pathway: str | None = None) -> str:
    """The brief's HTML text."""
    return _environment().get_template("brief.html.j2").render(**context(data, names, pathway))
