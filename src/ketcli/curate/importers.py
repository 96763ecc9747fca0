"""BibTeX and RIS (what reference managers export) → reference records of the dataset.

Reading is all or nothing: a SOURCE that cannot be read, or an entry that cannot be
parsed, is a UsageError naming the line, and nothing is imported (a partial import would
import entries without a DOI twice on the next try).

Fields become the dataset's shape (`models.Reference`):

* authors in the Vancouver style of the dataset, "Surname Initials" ("Mathew SJ",
  "van der Berg J-P", "Smith J Jr"); a name without given names (a group author such as
  "{World Health Organization}") is kept whole; BibTeX "and others" and a last RIS author
  "others" (as ketcli writes RIS) set `et_al`.
* LaTeX in BibTeX fields is decoded with pylatexenc ("M{\\"u}ller" → "Müller", "{ECT}" →
  "ECT", "\\%" → "%"); a bare "%" or "&" is kept as text (not a LaTeX comment or
  alignment).
* pages "2315--2325" or RIS SP/EP → "2315-2325", digits as given (never expanded).
* DOI without "https://doi.org/" or "doi:".
* year: the first four-digit year of `year`/`date` (BibTeX) or PY/Y1/DA (RIS).
* journal: an abbreviation where the export has one (BibTeX `shortjournal`, RIS J2/JA),
  else the journal name.

`plan()` gives each new reference the next free number after the dataset's highest and
a stable key: surname + year in lowercase ASCII ("anand2023"), with a, b, … added where
the key is taken. Entries whose DOI (case-insensitive) is already in the dataset or
earlier in SOURCE are skipped, and so are entries without a DOI whose title and year
match a reference already there.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ketcli.errors import UsageError

FORMATS = ("bibtex", "ris")
ORDER = ("authors", "et_al", "title", "journal", "year", "volume", "pages", "doi")
MAX_SOURCE_BYTES = 50 * 1024 * 1024
_SUFFIXES = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris"}
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")


@dataclass
class Entry:
    """One entry of SOURCE: where it is, and the reference fields it gives."""

    line: int
    label: str
    fields: dict = field(default_factory=dict)


@dataclass
class Skipped:
    entry: Entry
    reason: str


# --- reading SOURCE -------------------------------------------------------------------

def read_source(source: str, fmt: str | None) -> tuple[str, list[Entry]]:
    """(format, entries) of a file, or of standard input for "-"."""
    if not source or "\x00" in source:
        raise UsageError("SOURCE must name a BibTeX or RIS file (or - for standard input)")
    content = _read(source)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{source}: not UTF-8 text (byte {exc.start}); export it as UTF-8") from None
    if "\x00" in text:
        raise UsageError(f"{source}: holds NUL characters: a binary file, not BibTeX or RIS")
    fmt = fmt or _guess(source, text)
    entries = parse_bibtex(text, source) if fmt == "bibtex" else parse_ris(text, source)
    if not entries:
        raise UsageError(f"{source}: no {'BibTeX entries' if fmt == 'bibtex' else 'RIS records'} found")
    return fmt, entries


def _read(source: str) -> bytes:
    if source == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:  # started with standard input closed (<&-)
            raise UsageError("-: standard input is closed; give SOURCE as a file")
        try:
            data = stdin.read(MAX_SOURCE_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"-: cannot read standard input: {exc.strerror or exc}") from None
    else:
        path = Path(source)
        try:
            if path.is_dir():
                raise UsageError(f"{source}: is a directory, not a BibTeX or RIS file")
            with path.open("rb") as handle:
                data = handle.read(MAX_SOURCE_BYTES + 1)
        except FileNotFoundError:
            raise UsageError(f"{source}: no such file") from None
        except PermissionError:
            raise UsageError(f"{source}: permission denied") from None
        except OSError as exc:
            raise UsageError(f"{source}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise UsageError(f"{source}: larger than {MAX_SOURCE_BYTES // 2**20} MB; split it")
    return data


def _guess(source: str, text: str) -> str:
    by_suffix = _SUFFIXES.get(Path(source).suffix.lower())
    if by_suffix:
        return by_suffix
    if re.search(r"^TY {1,2}-", text, re.MULTILINE):
        return "ris"
    if re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", text, re.MULTILINE):
        return "bibtex"
    raise UsageError(f"{source}: cannot tell whether it is BibTeX or RIS; say which with --format bibtex or --format ris")


# --- BibTeX ------------------------------------------------------------------------

def parse_bibtex(text: str, source: str = "SOURCE") -> list[Entry]:
    import logging

    try:
        import bibtexparser
        from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
        from bibtexparser.model import DuplicateBlockKeyBlock, Entry as BibEntry
    except ImportError:  # pragma: no cover - a packaging error
        raise UsageError("reading BibTeX needs the bibtexparser package (pip install 'bibtexparser>=2.0.0b7')") from None

    log = logging.getLogger("bibtexparser")
    saved = (log.propagate, log.disabled)
    log.propagate, log.disabled = False, True  # its warnings would reach stderr unasked
    # Its modules log to child loggers ("bibtexparser.splitter"), which `disabled` does not
    # reach; with no handler on the way, logging's last resort prints them on stderr.
    silent = logging.NullHandler()
    log.addHandler(silent)
    try:
        library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    except RecursionError:
        raise UsageError(f"{source}: braces nested too deeply") from None
    except Exception as exc:  # the parser's own errors: a malformed file, not a bug of ours
        raise UsageError(f"{source}: not readable as BibTeX: {exc}") from None
    finally:
        log.propagate, log.disabled = saved
        log.removeHandler(silent)
    entries: list[Entry] = []
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, BibEntry):
            continue  # a repeated citation key: the entry itself is fine (read below)
        line = (block.start_line or 0) + 1
        detail = " ".join(str(getattr(block, "error", "") or "").split())[:200]
        raise UsageError(f"{source}:{line}: cannot parse this BibTeX entry" + (f" ({detail})" if detail else ""))
    blocks = list(library.entries) + [
        b.ignore_error_block for b in library.failed_blocks if isinstance(b, DuplicateBlockKeyBlock)
    ]
    blocks.sort(key=lambda b: (b.start_line or 0) if b is not None else 0)
    for entry in blocks:
        entries.append(_bibtex_entry(entry, source))
    return entries


def _latex(value: str) -> str:
    from pylatexenc.latex2text import LatexNodes2Text

    from ketcli.data.models import MAX_TEXT

    if len(value) > MAX_TEXT:  # refused at validation whatever it decodes to: not decoded (2 MB: 88 s)
        return value

    value = re.sub(r"(?<!\\)([%&])", r"\\\1", value)  # a bare % or & is text in a field
    try:
        decoded = LatexNodes2Text(strict_latex_spaces=True).latex_to_text(value)
    except Exception:  # pylatexenc gave up: keep the text without its braces
        decoded = value.replace("{", "").replace("}", "")
    return " ".join(decoded.split())


def _bib_field(fields: dict, *names: str) -> str | None:
    for name in names:
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _bibtex_entry(entry, source: str) -> Entry:
    fields = {f.key.lower(): f.value for f in entry.fields}
    out: dict = {}
    names = fields.get("author")
    if isinstance(names, list):
        authors = []
        for parts in names:
            if [p.lower() for p in parts.last] == ["others"] and not parts.first:
                out["et_al"] = True
                continue
            name = _vancouver(
                last=_latex(" ".join(parts.von + parts.last)),
                given=[_latex(p) for p in parts.first],
                suffix=_latex(" ".join(parts.jr)),
            )
            if name:
                authors.append(name)
        if authors:
            out["authors"] = authors
    for key, names_ in (("title", ("title",)), ("journal", ("shortjournal", "journal", "journaltitle", "booktitle"))):
        value = _bib_field(fields, *names_)
        if value:
            out[key] = _latex(value) or None
    year = _year(_bib_field(fields, "year", "date"))
    if year:
        out["year"] = year
    volume = _bib_field(fields, "volume")
    if volume:
        out["volume"] = _latex(volume)
    pages = _bib_field(fields, "pages")
    if pages:
        out["pages"] = _pages(_latex(pages))
    doi = _bib_field(fields, "doi")
    if doi:
        out["doi"] = _doi(doi.replace("\\_", "_").replace("\\%", "%").replace("{", "").replace("}", ""))
    return Entry(line=(entry.start_line or 0) + 1, label=f"{source}:{(entry.start_line or 0) + 1} ({entry.key})",
                 fields={k: v for k, v in out.items() if v not in (None, "", [])})


# --- RIS -----------------------------------------------------------------------------

def parse_ris(text: str, source: str = "SOURCE") -> list[Entry]:
    """RIS records ("TY  - " to "ER  - "); untagged lines continue the field above."""
    records: list[tuple[int, list[tuple[str, str]]]] = []
    current: list[tuple[str, str]] | None = None
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        match = _RIS_LINE.match(line)
        if match is None and line.strip() == "":
            continue
        if match is None:
            if current and current[-1][0] not in ("TY",):
                tag, value = current[-1]
                current[-1] = (tag, f"{value} {line.strip()}".strip())
                continue
            raise UsageError(f"{source}:{number}: not an RIS line (expected 'XX  - value')")
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if current is not None:
                raise UsageError(f"{source}:{number}: a new record starts before the one at line {start} ends (ER)")
            current, start = [("TY", value)], number
        elif current is None:
            raise UsageError(f"{source}:{number}: {tag} outside a record (records start with 'TY  - ')")
        elif tag == "ER":
            records.append((start, current))
            current = None
        else:
            current.append((tag, value))
    if current is not None:
        raise UsageError(f"{source}:{start}: the record that starts here has no end (ER  - )")
    return [_ris_entry(start, tags, source) for start, tags in records]


def _ris_entry(start: int, tags: list[tuple[str, str]], source: str) -> Entry:
    values: dict[str, list[str]] = {}
    for tag, value in tags:
        if value:
            values.setdefault(tag, []).append(" ".join(value.split()))

    def first(*names: str) -> str | None:
        for name in names:
            if values.get(name):
                return values[name][0]
        return None

    out: dict = {}
    authors = [_ris_author(a) for a in values.get("AU") or values.get("A1") or []]
    if authors and authors[-1].lower() == "others":  # ketcli's RIS (BibTeX's "and others"): "et al."
        authors.pop()
        out["et_al"] = True
    if authors:
        out["authors"] = [a for a in authors if a]
    out["title"] = first("TI", "T1", "CT", "BT")
    out["journal"] = first("J2", "JA", "J1", "JO", "JF", "T2")
    year = _year(first("PY", "Y1", "DA"))
    if year:
        out["year"] = year
    out["volume"] = first("VL")
    first_page, last_page = first("SP"), first("EP")
    if first_page:
        out["pages"] = _pages(f"{first_page}-{last_page}" if last_page and last_page != first_page else first_page)
    doi = first("DO")
    if doi:
        out["doi"] = _doi(doi)
    ident = first("ID")
    label = f"{source}:{start}" + (f" ({ident})" if ident else "")
    return Entry(line=start, label=label, fields={k: v for k, v in out.items() if v not in (None, "", [])})


def _ris_author(name: str) -> str:
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 1:
        return parts[0]  # "Mathew SJ" (already Vancouver) or a group author: as printed
    last, given = parts[0], re.split(r"\s+|(?<=\.)(?=[^\s-])", parts[1])
    suffix = " ".join(parts[2:])
    return _vancouver(last=last, given=given, suffix=suffix)


# --- fields -----------------------------------------------------------------------------

def _initials(given: list[str]) -> str:
    out = []
    for token in given:
        token = token.strip()
        if not token:
            continue
        letters = token.replace(".", "").replace("-", "")
        if 1 < len(letters) <= 3 and letters.isalpha() and letters.isupper() and "." not in token:
            out.append(token)  # already initials ("SJ", "J-P")
            continue
        pieces = [p for p in re.split(r"-", token) if p.strip(". ")]
        initials = [next((c for c in p if c.isalpha()), "") for p in pieces]
        initials = [c.upper() for c in initials if c]
        if initials:
            out.append("-".join(initials))
    return "".join(out)


def _vancouver(last: str, given: list[str], suffix: str = "") -> str:
    last = " ".join(last.split())
    if not last:
        return " ".join(" ".join(given).split())
    initials = _initials(given)
    name = f"{last} {initials}" if initials else last
    suffix = suffix.replace(".", "").strip()
    return f"{name} {suffix}" if suffix else name


def _year(value: str | None) -> int | None:
    if not value:
        return None
    match = _YEAR.search(value)
    return int(match.group(1)) if match else None


def _pages(value: str) -> str:
    value = " ".join(value.split())
    return re.sub(r"\s*(?:--|–|—|-)\s*", "-", value)


def _doi(value: str) -> str:
    value = "".join(value.split())
    return _DOI_PREFIX.sub("", value)


# --- planning the import -------------------------------------------------------------------

def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _title_key(title: str | None) -> str:
    return re.sub(r"\W+", "", (title or "").casefold())


def base_key(fields: dict) -> str:
    authors = fields.get("authors") or []
    stem = ""
    if authors:
        first = authors[0]
        tokens = first.split()
        # "van der Berg J-P" → "vanderberg": the name without its trailing initials/suffix
        while len(tokens) > 1 and (_looks_like_initials(tokens[-1]) or tokens[-1] in ("Jr", "Sr", "II", "III", "IV")):
            tokens.pop()
        stem = _ascii("".join(tokens))
    if not stem:
        words = [_ascii(w) for w in (fields.get("title") or "").split()]
        stem = next((w for w in words if len(w) >= 4), "") or "ref"
    stem = stem[:40]
    year = fields.get("year")
    return f"{stem}{year}" if year else f"{stem}nd"


from ketcli.data.authors import is_initials as _looks_like_initials  # noqa: E402 - shared with citations.py


def _unique_key(stem: str, taken: set[str]) -> str:
    if stem not in taken:
        return stem
    letters = "abcdefghijklmnopqrstuvwxyz"
    for first in ("", *letters):
        for second in letters:
            candidate = f"{stem}{first}{second}"
            if candidate not in taken:
                return candidate
    raise UsageError(f"too many references with the key {stem!r}")  # pragma: no cover


def plan(entries: list[Entry], references: list[dict]) -> tuple[list[tuple[Entry, dict]], list[Skipped]]:
    """(entry, new reference record) pairs, numbered and keyed, and the entries skipped, with why."""
    by_doi = {r["doi"].casefold(): r for r in references if r.get("doi")}
    by_title = {(_title_key(r.get("title")), r.get("year")): r for r in references if r.get("title")}
    keys = {r["key"] for r in references}
    number = max((r["number"] for r in references), default=0)
    seen_doi: dict[str, Entry] = {}
    new: list[tuple[Entry, dict]] = []
    skipped: list[Skipped] = []
    for entry in entries:
        fields = entry.fields
        doi = (fields.get("doi") or "").casefold()
        if not (fields.get("title") or fields.get("authors") or doi):
            skipped.append(Skipped(entry, "no authors, title or DOI to import"))
            continue
        if doi and doi in by_doi:
            ref = by_doi[doi]
            skipped.append(Skipped(entry, f"DOI {fields['doi']} is already reference {ref['number']} ({ref['key']})"))
            continue
        if doi and doi in seen_doi:
            skipped.append(Skipped(entry, f"DOI {fields['doi']} is also in {seen_doi[doi].label}, imported once"))
            continue
        title_key = (_title_key(fields.get("title")), fields.get("year"))
        if not doi and title_key[0] and title_key in by_title:
            ref = by_title[title_key]
            skipped.append(Skipped(entry, f"no DOI, and the same title and year as reference {ref['number']} ({ref['key']})"))
            continue
        number += 1
        key = _unique_key(base_key(fields), keys)
        keys.add(key)
        record = {"number": number, "key": key}
        record.update((name, fields[name]) for name in ORDER if name in fields)
        new.append((entry, record))
        if doi:
            seen_doi[doi] = entry
        if title_key[0]:
            by_title.setdefault(title_key, record)
    return new, skipped
