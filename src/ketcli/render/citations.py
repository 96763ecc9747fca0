"""Reference records → citation formats: BibTeX, RIS, CSL-JSON, Vancouver and APA text.

Every function takes references as plain dicts (``Reference.model_dump()``) and returns
a value; nothing here prints. The project rule is to reproduce the review's printing, so:

* Names are kept as printed ("Mathew SJ") in Vancouver; the machine formats and APA need
  surname and initials apart, so "Mathew SJ" becomes family "Mathew", given "S. J."
  (one initial per token, so BibTeX and citeproc abbreviate it right). Multi-word and
  hyphenated surnames ("Rivas-Grajales AM", "van der Berg J") stay whole; "Jr"/"Sr"/"II"…
  after the initials become a suffix. A name with no trailing initials is kept whole as a
  corporate author (BibTeX ``{…}``, CSL ``literal``).
* Page ranges keep their printed digits, even where they look wrong ("359-49"): BibTeX
  gets "2315--25", RIS gets SP 2315 / EP 25, CSL-JSON, Vancouver and APA get "2315-25".
  Expanding "2315-25" to "2315-2325" is what APA and RIS readers would like, but for
  "359-49" it would invent a number, so nothing is expanded. A range whose end, read as
  printed, falls before its start (reference 3's "359-49": "359-349") goes out as printed in
  one field: RIS SP alone, and CSL-JSON with the hyphen escaped ("359\\-49", citeproc's
  escape), so no style expands it into a range the source never printed.
* Journal names are the printed abbreviations ("N Engl J Med"), in APA too.
* Missing data is never invented: a field the source does not give is left out and a
  note says "… not reported in the source". The plain-text styles and BibTeX ``note``
  (which styles print) name only the gaps a reader would miss: authors, title, journal,
  year. RIS ``N1``, CSL ``note`` and BibTeX ``annote`` (not printed by standard styles,
  imported by Zotero and JabRef) carry all gaps, an "et al." remark where needed, and
  the dataset's own notes.
* BibTeX is ASCII wherever LaTeX has a name for a character. The ten LaTeX specials are
  escaped by hand (literal braces as ``\\{ \\}`` where they pair up, else
  ``\\textbraceleft``/``\\textbraceright``, since BibTeX counts braces even after a
  backslash); other characters are turned into LaTeX by pylatexenc (imported inside
  ``_tex``, so only BibTeX output pays for it): "ö" → ``{\\"o}``, "μ" →
  ``{\\ensuremath{\\mu}}``; characters with no LaTeX form stay UTF-8. DOIs are written
  verbatim (biblatex reads ``doi`` as a verbatim field, so "7854_2023_447" keeps its
  underscores). Title words with capitals after the first letter of the title are braced,
  so sentence-case styles keep them: ``{ECT}``, ``{mTOR-dependent}``.
* RIS lines end in CRLF, as the RIS specification and Zotero's own export do; Zotero and
  rispy read CRLF and LF alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ESSENTIAL = ("authors", "title", "journal", "year")
FIELDS = ESSENTIAL + ("volume", "pages", "doi")
_LABELS = {"doi": "DOI"}
_SUFFIXES = {"Jr", "Sr", "II", "III", "IV", "2nd", "3rd"}
_RANGE = re.compile(r"^([^\s\-–]+)\s*[-–]{1,2}\s*([^\s\-–]+)$")
_TEX = {
    "\\": r"{\textbackslash}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "~": r"{\textasciitilde}", "^": r"{\textasciicircum}",
}
_TEX_BALANCED = str.maketrans(_TEX | {"{": r"\{", "}": r"\}"})
_TEX_UNBALANCED = str.maketrans(_TEX | {"{": r"{\textbraceleft}", "}": r"{\textbraceright}"})


# --- shared helpers ---------------------------------------------------------------

def _clean(value: object) -> str:
    """Text on one line: no line breaks can leak into a tagged format."""
    return " ".join(str(value).split()) if value is not None else ""


from ketcli.render.wording import NOT_REPORTED, doi_url  # noqa: E402 - the one spelling of each
from ketcli.data.authors import is_initials as _is_initials  # noqa: E402 - shared with the importers


def _split_name(name: str) -> tuple[str, str, str] | None:
    """Vancouver "Mathew SJ" → ("Mathew", "S. J.", ""); None for a corporate name."""
    tokens = name.split()
    suffix = ""
    if len(tokens) >= 3 and tokens[-1] in _SUFFIXES and _is_initials(tokens[-2]):
        suffix = tokens.pop()
    if len(tokens) < 2 or not _is_initials(tokens[-1]):
        return None
    given = "-".join(" ".join(c + "." for c in part) for part in tokens[-1].split("-"))
    return " ".join(tokens[:-1]), given, suffix


def _inverted(name: str) -> str:
    """Surname first, as RIS and APA want it: "Mathew SJ" → "Mathew, S. J."."""
    parts = _split_name(name)
    if parts is None:
        return _clean(name)
    family, given, suffix = parts
    return f"{family}, {given}, {suffix}" if suffix else f"{family}, {given}"


def _not_reported(ref: dict, fields: tuple[str, ...]) -> str:
    """A phrase like "Title and DOI not reported in the source"; "" if nothing is missing."""
    missing = [_LABELS.get(f, f) for f in fields if not ref.get(f)]
    if not missing:
        return ""
    listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
    return f"{listed[0].upper()}{listed[1:]} {NOT_REPORTED}"


def _notes(ref: dict) -> list[str]:
    """Everything a reference manager should keep as a note."""
    notes = []
    if gap := _not_reported(ref, FIELDS):
        notes.append(gap + ".")
    if ref.get("et_al") and ref.get("authors"):
        notes.append('The source prints the first authors, then "et al."; '
                     f"further authors {NOT_REPORTED}.")
    notes.extend(_clean(n) for n in ref.get("notes") or [])
    return notes


def _page_range(pages: str) -> tuple[str, str] | None:
    match = _RANGE.match(pages.strip())
    return (match.group(1), match.group(2)) if match else None


def irregular_pages(pages: str) -> bool:
    """True where the printed range ends before it starts once its end is read the usual way
    (its dropped leading digits taken from the start): "359-49" is 359 to 349."""
    span = _page_range(pages)
    if span is None or not (span[0].isdigit() and span[1].isdigit()):
        return False
    start, end = span
    full = start[: max(len(start) - len(end), 0)] + end
    return int(full) < int(start)


def _sentence(text: str) -> str:
    text = _clean(text)
    return text if text.endswith((".", "?", "!")) else text + "."


# --- BibTeX -------------------------------------------------------------------------

def _balanced(text: str) -> bool:
    """Braces balanced as BibTeX counts them (a backslash does not escape a brace)."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _tex(text: str, balanced: bool | None = None) -> str:
    """LaTeX-escaped text; literal braces paired as ``\\{ \\}`` where the value allows."""
    from pylatexenc.latexencode import unicode_to_latex

    text = _clean(text)
    if balanced is None:
        balanced = _balanced(text)
    table = _TEX_BALANCED if balanced else _TEX_UNBALANCED
    return unicode_to_latex(
        text.translate(table), non_ascii_only=True,
        replacement_latex_protection="braces-all", unknown_char_warning=False,
    )


def _tex_title(title: str) -> str:
    """Escape, and brace words whose capitals a sentence-case style would lower."""
    title = _clean(title)
    balanced, words = _balanced(title), []
    for i, word in enumerate(title.split(" ")):
        caps = [c.isupper() for c in word if c.isalpha()]
        text = _tex(word, balanced)
        protect = (any(caps[1:]) or (i > 0 and any(caps))) and _balanced(text)
        words.append("{" + text + "}" if protect else text)
    return " ".join(words)


def _tex_name(name: str) -> str:
    parts = _split_name(name)
    if parts is None:
        return "{" + _tex(name) + "}"
    family, given, suffix = (_tex(p) for p in parts)
    return f"{family}, {suffix}, {given}" if suffix else f"{family}, {given}"


def _bibtex_entry(ref: dict) -> str:
    fields: list[tuple[str, str]] = []
    if ref.get("authors"):
        names = [_tex_name(a) for a in ref["authors"]] + (["others"] if ref.get("et_al") else [])
        fields.append(("author", " and ".join(names)))
    if ref.get("title"):
        fields.append(("title", _tex_title(ref["title"])))
    if ref.get("journal"):
        fields.append(("journal", _tex(ref["journal"])))
    if ref.get("year") is not None:
        fields.append(("year", str(ref["year"])))
    if ref.get("volume"):
        fields.append(("volume", _tex(ref["volume"])))
    if ref.get("pages"):
        span = _page_range(ref["pages"])
        fields.append(("pages", _tex(f"{span[0]}--{span[1]}" if span else ref["pages"])))
    if ref.get("doi"):
        doi = _clean(ref["doi"])
        fields.append(("doi", doi if _balanced(doi) else _tex(doi, balanced=False)))
    if gap := _not_reported(ref, ESSENTIAL):
        fields.append(("note", _tex(gap + ".")))
    if notes := _notes(ref):
        fields.append(("annote", _tex(" ".join(notes))))
    kind = "article" if ref.get("journal") else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{ref['key']},\n{body}\n}}\n"  # never empty: a gap always adds a note


def to_bibtex(refs: list[dict]) -> str:
    """One ``@article`` (``@misc`` without a journal) per reference, LaTeX-escaped."""
    return "\n".join(_bibtex_entry(ref) for ref in refs)


# --- RIS ----------------------------------------------------------------------------

def _ris_record(ref: dict) -> list[tuple[str, str]]:
    tags = [("TY", "JOUR" if ref.get("journal") else "GEN"), ("ID", ref["key"])]
    tags += [("AU", _inverted(a)) for a in ref.get("authors") or []]
    if ref.get("et_al") and ref.get("authors"):
        tags.append(("AU", "others"))  # BibTeX's "and others": pandoc reads it as "et al."
    if ref.get("title"):
        tags.append(("TI", ref["title"]))
    if ref.get("journal"):
        tags += [("T2", ref["journal"]), ("JO", ref["journal"])]
    if ref.get("year") is not None:
        tags.append(("PY", str(ref["year"])))
    if ref.get("volume"):
        tags.append(("VL", ref["volume"]))
    if ref.get("pages"):
        span = None if irregular_pages(ref["pages"]) else _page_range(ref["pages"])
        tags += [("SP", span[0]), ("EP", span[1])] if span else [("SP", ref["pages"])]
    if ref.get("doi"):
        tags.append(("DO", ref["doi"]))
    tags += [("N1", note) for note in _notes(ref)]
    return tags


def to_ris(refs: list[dict]) -> str:
    """RIS records (``TAG  - value``, CRLF line ends) as Zotero, EndNote and rispy read them."""
    lines = []
    for ref in refs:
        lines += [f"{tag}  - {_clean(value)}" for tag, value in _ris_record(ref)]
        lines.append("ER  - ")
    return "".join(line + "\r\n" for line in lines)


# --- CSL-JSON -----------------------------------------------------------------------

def _csl_name(name: str) -> dict:
    parts = _split_name(name)
    if parts is None:
        return {"literal": _clean(name)}
    family, given, suffix = parts
    return {"family": family, "given": given} | ({"suffix": suffix} if suffix else {})


def to_csl_json(refs: list[dict]) -> list[dict]:
    """CSL-JSON items as Pandoc, Zotero and citeproc processors take them."""
    items = []
    for ref in refs:
        item: dict = {"id": ref["key"],
                      "type": "article-journal" if ref.get("journal") else "document"}
        if ref.get("authors"):
            item["author"] = [_csl_name(a) for a in ref["authors"]]
        if ref.get("title"):
            item["title"] = _clean(ref["title"])
        if ref.get("journal"):
            item["container-title"] = item["container-title-short"] = _clean(ref["journal"])
        if ref.get("year") is not None:
            item["issued"] = {"date-parts": [[ref["year"]]]}
        for field, csl in (("volume", "volume"), ("pages", "page"), ("doi", "DOI")):
            if ref.get(field):
                item[csl] = _clean(ref[field])
        if ref.get("pages") and irregular_pages(ref["pages"]):
            item["page"] = _clean(ref["pages"]).replace("-", "\\-")  # citeproc: a hyphen, not a range
        if notes := _notes(ref):
            item["note"] = "\n".join(notes)
        items.append(_csl_additions(ref, item))
    return items


ET_AL_CSL = {"literal": "others"}
"""The last "author" of a list the source cut short: pandoc's own reading of BibTeX's
``and others``, which pandoc and citeproc render as "et al."."""




def _csl_additions(ref: dict, item: dict) -> dict:
    """What CSL-JSON readers need beyond the printed fields: "et al." as pandoc reads it,
    the citation key (Zotero stores `citation-key` natively) and a URL from the DOI."""
    if ref.get("et_al") and item.get("author"):
        item["author"] = [*item["author"], dict(ET_AL_CSL)]
    item["citation-key"] = ref["key"]
    if ref.get("doi"):
        item["URL"] = doi_url(ref["doi"])
    return item


def to_doi_lines(refs: list[dict]) -> str:
    """One DOI per line, for "add by identifier" in reference managers; references the
    source prints no DOI for are left out (ketcli cite says which on stderr)."""
    return "".join(_clean(ref["doi"]) + "\n" for ref in refs if ref.get("doi"))


# --- Plain-text styles --------------------------------------------------------------

def _gap_note(ref: dict) -> list[str]:
    gap = _not_reported(ref, ESSENTIAL)
    return [f"[{gap}]"] if gap else []


def format_vancouver(ref: dict) -> str:
    """ICMJE/NLM style as medical journals print it; names and pages as printed.

    Every author the review prints is kept: ICMJE would cut seven authors to six and
    "et al.", but the project keeps the review's printing of names (refs 15 and 24).
    """
    parts = []
    authors = [_clean(a) for a in ref.get("authors") or []]
    if authors:
        parts.append(", ".join(authors) + (", et al." if ref.get("et_al") else "."))
    if ref.get("title"):
        parts.append(_sentence(ref["title"]))
    if ref.get("journal"):
        parts.append(_sentence(ref["journal"]))
    where = str(ref["year"]) if ref.get("year") is not None else ""
    if ref.get("volume"):
        where += (";" if where else "") + _clean(ref["volume"])
    if ref.get("pages"):
        where += (":" if where else "") + _clean(ref["pages"])
    if where:
        parts.append(where + ".")
    if ref.get("doi"):
        parts.append("doi:" + _clean(ref["doi"]))
    return " ".join(parts + _gap_note(ref))


def _apa_authors(authors: list[str], et_al: bool) -> str:
    names = [_inverted(a) for a in authors]
    if et_al:
        text = ", ".join(names) + ", et al."
    elif len(names) == 1:
        text = names[0]
    elif len(names) <= 20:
        text = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        text = ", ".join(names[:19]) + ", . . . " + names[-1]
    return text if text.endswith(".") else text + "."


def format_apa(ref: dict) -> str:
    """APA 7 layout, keeping the printed journal abbreviation and page range.

    APA would spell the journal out, expand "2315-25" to "2315–2325" and list every
    author; the source gives none of that, so it is kept as printed (with "et al.").
    """
    parts = []
    authors = ref.get("authors") or []
    title = _sentence(ref["title"]) if ref.get("title") else ""
    lead = _apa_authors(authors, bool(ref.get("et_al"))) if authors else title
    if lead:
        parts.append(lead)
    if lead or ref.get("year") is not None:
        parts.append(f"({ref['year']})." if ref.get("year") is not None else "(n.d.).")
    if authors and title:
        parts.append(title)
    source = [_clean(ref[f]) for f in ("journal", "volume", "pages") if ref.get(f)]
    if source:
        parts.append(", ".join(source) + ".")
    if ref.get("doi"):
        parts.append(doi_url(ref["doi"]))
    return " ".join(parts + _gap_note(ref))


# --- Registry -----------------------------------------------------------------------

def _csl_json_text(refs: list[dict]) -> str:
    import json

    return json.dumps(to_csl_json(refs), indent=2, ensure_ascii=False)


FORMATS: dict[str, Callable[[list[dict]], str]] = {
    "bibtex": to_bibtex,
    "ris": to_ris,
    "csl-json": _csl_json_text,
    "vancouver": lambda refs: "".join(
        f"{ref['number']}. {format_vancouver(ref)}\n" for ref in refs),
    "apa": lambda refs: "".join(f"{format_apa(ref)}\n" for ref in refs),
    "doi": to_doi_lines,
}
EXTENSIONS = {".bib": "bibtex", ".ris": "ris", ".json": "csl-json"}
