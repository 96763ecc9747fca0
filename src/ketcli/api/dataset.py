"""`open()` a dataset and ask it what the CLI asks: each method returns the dict that
the command's `--json` prints, and raises the error (with the exit code) it exits with."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ketcli.errors import UsageError

if TYPE_CHECKING:
    from ketcli.data.dataset import Data
    from ketcli.query.results import (
        AboutResult, CiteResult, CiteUsageResult, CompareResult, EvidenceMapResult, MechanismListResult,
        MechanismResult, SearchResult, SideEffectsResult, SofResult, TimelineResult, TreatmentListResult, TreatmentResult,
        ValidateResult,
    )

PathLike = str | os.PathLike
_RESULT_TYPES = ("AboutResult", "CiteResult", "CiteUsageResult", "CompareResult", "EvidenceMapResult",
                 "MechanismListResult", "MechanismResult", "SearchResult", "SideEffectsResult", "SofResult",
                 "TimelineResult", "TreatmentListResult", "TreatmentResult", "ValidateResult")


def bind_types() -> None:
    """Bind the names this module's annotations use, so `typing.get_type_hints` resolves them.

    Done on the API's first use (`ketcli.open`, `ketcli.Dataset`, `validate`, `schema`),
    not at import: the CLI imports this module for every command, and the result types
    (query/results.py, typing_extensions) would cost its start-up ≈ 10 ms."""
    if "CompareResult" in globals():
        return
    from ketcli.data.dataset import Data
    from ketcli.query import results

    globals().update({name: getattr(results, name) for name in _RESULT_TYPES}, Data=Data)


def open(path: PathLike | None = None, *, cache: bool = True) -> Dataset:  # noqa: A001 - like gzip.open
    """Open a dataset: `path`, else the file `KETCLI_DATA` names, else the bundled review.

    `path` may be a complete dataset or an own file that starts with `extends = "bundled"`
    (read together with the bundled review), as `ketcli --data PATH` takes. `cache=False`
    skips the validated-data cache (see docs/internals.md).

    Raises DatasetError (exit code 3) when the file is missing, unreadable or invalid.
    """
    from ketcli.data.dataset import load

    bind_types()
    return Dataset(load(_path(path, "open"), use_cache=cache))


def validate(path: PathLike | None = None) -> ValidateResult:
    """Every integrity check of a dataset file, as `ketcli validate [FILE] --json`.

    Never raises for a bad file: `result["ok"]` is False and `result["problems"]` has one
    line per problem (where the CLI exits 3).
    """
    from ketcli.query.validation import validate_file

    bind_types()
    return validate_file(_path(path, "validate"))


def schema(command: str) -> dict:
    """The JSON Schema (draft 2020-12) of a command's result, as `ketcli schema COMMAND`.

    Raises NotFound (exit code 1) for a command without JSON output.
    """
    from ketcli.query.results import schema as make_schema

    bind_types()
    return make_schema(command)


class Dataset:
    """An opened dataset. Each method answers like the command of the same name."""

    def __init__(self, data: Data) -> None:
        self._data = data

    @property
    def path(self) -> Path:
        """The dataset file (an own file, not the bundled one it extends)."""
        return self._data.path

    @property
    def sha256(self) -> str:
        """SHA-256 of the dataset file: the `dataset_sha256` of every answer."""
        return self._data.sha256

    def __repr__(self) -> str:
        return f"<ketcli.Dataset {str(self.path)!r} sha256={self.sha256[:12]}…>"

    def compare(self, *treatments: str) -> CompareResult:
        """Treatments side by side (`ketcli compare`): Table 1 cell by cell, cited, and the
        head-to-head trials. No treatment: the four of Table 1. NotFound for an unknown name."""
        from ketcli.query.compare import compare

        return compare(self._data, _flat(treatments, "treatment"))

    def mechanism(self, name: str | None = None, *, evidence_map: bool = False, pathway: bool = False,
                  quotes: bool = False) -> MechanismResult | MechanismListResult | EvidenceMapResult:
        """A mechanism or an entity with its claims (`ketcli mechanism NAME`); no name: every
        mechanism; `evidence_map=True`: mechanisms × kinds of evidence (`--map`).
        `pathway=True`: NotFound unless the review draws the mechanism's pathway (`--pathway`);
        `quotes=True`: every claim's quote checked against the review's text first
        (DatasetError, exit code 3, when one is not where its locator says; `--quotes`)."""
        from ketcli.query import queries

        _text(name, "mechanism", optional=True)
        if name is None:
            if pathway:
                raise UsageError("--pathway needs a mechanism NAME (e.g. nmdar)")
            if quotes:
                raise UsageError("--quotes shows one mechanism's claims: give NAME (e.g. nmdar)")
            return queries.evidence_map(self._data) if evidence_map else queries.mechanism_list(self._data)
        if evidence_map:
            raise UsageError("--map shows every mechanism: leave out NAME")
        result = queries.mechanism(self._data, name)
        record = result["mechanism"] or result["entity"]
        if pathway and not (result["mechanism"] is not None and result["mechanism"]["pathway"]):
            raise _no_pathway(self._data, record["name"] if record is not None else name)
        if quotes and pathway:
            raise UsageError("--quotes lists claims; --pathway draws steps: choose one")
        if quotes:
            check_quotes(result["claims"])
        return result

    def cite(self, *refs: str | int, treatment: str | None = None, mechanism: str | None = None,
             search: str | None = None, usage: bool = False) -> CiteResult | CiteUsageResult:
        """References (`ketcli cite`): by number (11), range ("1-5") or key ("anand2023"), or
        those behind a treatment, a mechanism or a search; none: all. `usage=True`: what the
        review cites each one for (`--usage`), of the numbers given or of a search's hits."""
        from ketcli.query import queries

        tokens = [_ref(r) for r in _flat(refs, "reference", numbers=True)]
        for value, what in ((treatment, "treatment"), (mechanism, "mechanism"), (search, "search")):
            _text(value, what, optional=True)
        if usage:
            if treatment or mechanism:
                raise UsageError("--usage takes reference numbers, keys or --search, not --treatment/--mechanism")
            return queries.usage(self._data, tokens, search)
        return queries.cite(self._data, tokens, treatment=treatment, mechanism_name=mechanism, search_query=search)

    def cite_text(self, *refs: str | int, format: str = "bibtex", treatment: str | None = None,  # noqa: A002
                  mechanism: str | None = None, search: str | None = None, with_notes: bool = False) -> str:
        """The selected references as text, as `ketcli cite … --format FORMAT` prints them:
        bibtex, ris, csl-json, vancouver, apa (or json, jsonl, csv, markdown). Exports carry
        the dataset's notes on each reference only with `with_notes=True`, like the CLI."""
        from ketcli.render.dispatch import render

        fmt = _cite_format(format)
        return render(self._export(refs, fmt, treatment, mechanism, search, with_notes), fmt, "cite") or ""

    def cite_file(self, path: PathLike, *refs: str | int, format: str | None = None,  # noqa: A002
                  treatment: str | None = None, mechanism: str | None = None, search: str | None = None,
                  with_notes: bool = False) -> Path:
        """Write the selected references to `path` whole or not at all (`ketcli cite --output`);
        the format comes from the extension (.bib, .ris, .json) unless `format` says.
        Raises WriteError (exit code 4) when it cannot; the file is then unchanged."""
        from ketcli.render.citefile import format_for, write_citations

        from ketcli.data.dataset import bundled_path
        from ketcli.data.files import same_file
        from ketcli.errors import WriteError

        output = _path(path, "cite_file") or ""
        fmt = format_for(Path(output), format) if output.strip() else format
        if fmt is not None and fmt != "table":  # no file name, or a table: write_citations says why not
            fmt = _cite_format(fmt)
        if output.strip() and (same_file(output, self.path) or same_file(output, bundled_path())):
            raise WriteError(f"{output}: is a dataset file this Dataset reads; not replaced (write to another file)")
        write_citations(self._export(refs, fmt, treatment, mechanism, search, with_notes), output, fmt)
        return Path(output)

    def _export(self, refs, fmt, treatment, mechanism, search, with_notes) -> CiteResult:
        result = self.cite(*refs, treatment=treatment, mechanism=mechanism, search=search)
        return exported(result, fmt, with_notes)  # type: ignore[arg-type]  # without usage: a CiteResult

    def treatment(self, name: str | None = None, *, topic: str | None = None, quotes: bool = False
                  ) -> TreatmentResult | TreatmentListResult:
        """A treatment's profile (`ketcli treatment NAME`): class, route, history, Table 1,
        mechanisms, side effects, trials, events and claims; no name: every treatment.
        `topic`: only the claims on that topic (`--claims --topic`); `quotes=True`: the
        claims' quotes checked against the review's text first (`--claims --quotes`)."""
        from ketcli.query import profiles

        _text(name, "treatment", optional=True)
        _text(topic, "topic", optional=True)
        if name is None:
            if topic is not None:
                raise UsageError("--topic selects claims: add --claims")
            if quotes:
                raise UsageError("--claims needs a treatment NAME (e.g. ketamine)")
            return profiles.treatment_list(self._data)
        result = profiles.treatment(self._data, name, topic)
        if quotes:
            check_quotes(result["claims"])
        return result

    def side_effects(self, *treatments: str) -> SideEffectsResult:
        """Side effects with their frequencies and studies (`ketcli side-effects [TREATMENT]...`);
        no treatment: all of them."""
        from ketcli.query import profiles

        return profiles.side_effects(self._data, _flat(treatments, "treatment"))

    def sof(self, *treatments: str) -> SofResult:
        """A summary of findings of the trials that study the named treatments (`ketcli sof`):
        only the numbers the review prints, certainty "not assessed in the source (narrative
        review)", derived arithmetic labelled with its formula, and the gaps; none: every trial."""
        from ketcli.query.sof import sof

        return sof(self._data, _flat(treatments, "treatment"))

    def timeline(self) -> TimelineResult:
        """The dated events in order (`ketcli timeline`)."""
        from ketcli.query import profiles

        return profiles.timeline(self._data)

    def search(self, query: str = "", *, limit: int | None = 20, topic: str | None = None,
               exact: bool = False, quotes: bool = False, empty_ok: bool = False) -> SearchResult:
        """Ranked search (`ketcli search QUERY --limit N --topic T --exact`): records matching any
        word, lay phrases also searched in the review's words (`also_searched`) unless `exact`, the
        query's words no record holds in `words_not_found`; `limit=None`: every hit. NotFound (exit code 1) when nothing matches, or with `empty_ok`
        the result with no hits. `quotes=True`: the hits' quotes checked against the review's
        text first (`--quotes`)."""
        from ketcli.query import queries

        _text(query, "search query")
        _text(topic, "topic", optional=True)
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)):
            raise UsageError(f"limit is a number of hits or None, not {_kind(limit)}")
        result = queries.search(self._data, query, limit, topic, exact, empty_ok=empty_ok)
        if quotes:
            check_quotes(result["hits"])
        return result

    def about(self) -> AboutResult:
        """The source, the dataset's version, path, SHA-256 and counts (`ketcli about`)."""
        from ketcli.query import profiles

        return profiles.about(self._data)

    def export_fhir(self) -> dict:
        """The dataset as one HL7 FHIR R5 Bundle of EBM-on-FHIR resources (`ketcli export fhir`),
        as the dict whose JSON the command writes: Citations for the review and its references,
        an Evidence for each printed result of each trial (docs/fhir.md)."""
        from ketcli.render import fhir

        return fhir.bundle(self._data)

    def validate(self) -> ValidateResult:
        """Every integrity check of this dataset's file (`ketcli --data PATH validate`)."""
        return validate(self.path)

    def brief(self, *treatments: str, pathway: str | None = None) -> str:
        """The one-page, self-contained HTML brief (`ketcli brief [TREATMENT]... -o -`): Table 1,
        the head-to-head trials, the summary of findings, the mechanisms, `pathway`'s pathway
        (default with ketamine: nmdar) and the references. No treatment: the four of Table 1."""
        from ketcli.export.brief import build

        _text(pathway, "mechanism", optional=True)
        return build(self._data, _flat(treatments, "treatment"), pathway)

    def export_sqlite(self, path: PathLike, *, metadata: PathLike | None = None) -> Path:
        """Write the dataset as a SQLite database to `path` (`ketcli export sqlite FILE`), the same
        bytes for the same dataset, whole or not at all; `metadata`: also Datasette's metadata
        (title, license, facets) as JSON. WriteError (exit code 4) when it cannot."""
        import json

        from ketcli.export import sqlite
        from ketcli.query.profiles import about
        from ketcli.render.citefile import write_file

        output = _path(path, "export_sqlite") or ""
        if not output.strip() or output == "-":
            raise UsageError("export sqlite needs a file name (a database cannot go to stdout)")
        meta_path = _path(metadata, "export_sqlite")
        if meta_path is not None and (not meta_path.strip() or meta_path == "-"):
            raise UsageError("--metadata needs a file name")
        content = sqlite.build(self._data, self._data.sha256, about(self._data)["ketcli_version"])
        meta = None
        if meta_path is not None:
            document = sqlite.metadata(self._data, Path(output).stem)
            meta = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        write_file(output, content)
        if meta is not None and meta_path is not None:
            write_file(meta_path, meta)
        return Path(output)


def exported(result: CiteResult, fmt: str | None, with_notes: bool) -> CiteResult:
    """The references as an export in `fmt` carries them: a reference manager attaches every
    note to the item, so by default (no `with_notes`) a citation format carries the reference
    and its gaps ("DOI not reported in the source") only."""
    from ketcli.render.format_names import CITATION_FORMATS

    if fmt in CITATION_FORMATS and not with_notes:
        return {**result, "references": [{**r, "notes": []} for r in result["references"]]}
    return result


def check_quotes(records: list) -> None:
    """Every quote about to be shown is in the review's text where its locator says (exit 3 if not)."""
    from ketcli.data import quotes
    from ketcli.errors import DatasetError

    source = quotes.shipped()
    for record in records:
        if record.get("quote"):
            problem = source.check(record["quote"], record.get("locator") or [])
            if problem:
                ident = record.get("id") or record.get("claim") or record.get("kind")
                raise DatasetError(f"{ident}: {problem} (ketcli validate lists every such problem)")


def _no_pathway(data: Data, name: str) -> Exception:
    from ketcli.errors import NotFound

    drawn = [m for m in data["mechanisms"] if m["pathway"]]
    return NotFound(f"the review draws no pathway for {name}",
                    hint="it draws one for: " + ", ".join(m["id"] for m in drawn) if drawn else None)


def _healing(method):
    """`method`, run once more on the dataset rebuilt from its file when it fails as a bug
    would (KeyError, TypeError …) on data read from a cache entry (Data.rebuilt)."""
    import functools

    @functools.wraps(method)
    def run(self: Dataset, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (KeyError, TypeError, AttributeError, IndexError, ValueError):
            fresh = self._data.rebuilt()
            if fresh is None:
                raise
            self._data = fresh
            return method(self, *args, **kwargs)

    return run


for _name in ("compare", "mechanism", "cite", "cite_text", "cite_file", "treatment", "side_effects", "sof",
              "timeline", "search", "about", "brief", "export_sqlite"):
    setattr(Dataset, _name, _healing(getattr(Dataset, _name)))


def _cite_format(fmt: str) -> str:
    from ketcli.render.format_names import CiteFormat

    choices = [f.value for f in CiteFormat if f.value != "table"]
    if not isinstance(fmt, str) or fmt not in choices:
        raise UsageError(f"unknown citation format {fmt!r}", hint="formats: " + ", ".join(choices))
    return fmt


def _flat(names: tuple, what: str, numbers: bool = False) -> list:
    """`compare("ketamine", "ect")` and `compare(["ketamine", "ect"])` mean the same. Each
    name is text (a reference: text or an int), never empty: else a UsageError, as the CLI."""
    flat: list = []
    for name in names:
        flat.extend(name) if isinstance(name, (list, tuple)) else flat.append(name)
    for name in flat:
        if not (numbers and isinstance(name, int) and not isinstance(name, bool)):
            _text(name, what)
            if not numbers and not name.strip():  # as the CLI: never read as "no name, so all"
                raise UsageError(f"a {what} name cannot be empty")
    return flat


def _text(value: object, what: str, optional: bool = False) -> None:
    """A UsageError unless `value` is text (or None, when `optional`)."""
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise UsageError(f"a {what} is text{' or None' if optional else ''}, not {_kind(value)}")


def _ref(value: str | int) -> str:
    try:
        return str(value)
    except ValueError:  # an int of more than 4,300 digits
        bits = value.bit_length() if isinstance(value, int) else 0
        raise UsageError(f"a reference number of {bits:,} bits: no such reference") from None


def _path(path: object, what: str) -> str | None:
    """`path` as the text of a file name, or a UsageError (a NUL cannot be in a file name)."""
    if path is None:
        return None
    if not isinstance(path, (str, os.PathLike)):
        raise UsageError(f"{what}: a path is a str or os.PathLike, not {_kind(path)}")
    text = os.fspath(path)
    if not isinstance(text, str):
        raise UsageError(f"{what}: a path is text, not {_kind(text)}")
    if "\0" in text:
        raise UsageError(f"{what}: a file name cannot hold a NUL character")
    return text


def _kind(value: object) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int of more than 4,300 digits
        return type(value).__name__
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:40] + '…'}"
