"""`ketcli data …`: a curator's own dataset file, written safely.

Every write goes through `writes`: the whole resulting dataset is validated first, new
records are appended (existing bytes never rewritten), and the file is replaced
atomically under a lock. Reports go to stderr; stdout gets nothing, or one JSON document
with --json. Heavy modules (pydantic, tomli-w, bibtexparser) are imported inside the
commands: this module is imported on every start of ketcli.
"""

import sys
from typing import Annotated, Literal, Optional

import typer

from ketcli.data.vocab import Evidence, Stance, Topic

app = typer.Typer(
    name="data",
    help="Keep your own studies in a TOML file beside the bundled dataset.",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,  # built on its own when asked for (cli.KetcliGroup)
)
add_app = typer.Typer(
    name="add",
    help="Add one record to your own dataset file.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(add_app, name="add")

SCHEMA_VERSION = 2
DEFAULT_SECTION = "own dataset"

FileArg = Annotated[str, typer.Argument(metavar="FILE", help="Your dataset file (TOML).", show_default=False)]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document of what was done.")]


def _say(line: str) -> None:
    from ketcli.render.terminal import streams

    streams.prepare_streams()
    streams.write(streams.safe(line), sys.stderr)


def _print_json(document: dict) -> None:
    from ketcli.render.terminal import streams

    streams.prepare_streams()
    streams.write(streams.dumps_json(document))


def _shell(path: str) -> str:
    import shlex

    return shlex.quote(path)


# --- init ------------------------------------------------------------------------------

STARTER = '''\
# Own dataset for ketcli: newer studies, read together with the bundled dataset (the review:
# Papadopoulos Z, Cureus 2025;17(4):e83244, DOI 10.7759/cureus.83244, CC BY 4.0).
#
#   query:   ketcli --data FILE compare ketamine ect        (or: export KETCLI_DATA=FILE)
#   import:  ketcli data import FILE refs.bib               (BibTeX or RIS from a reference manager)
#   add:     ketcli data add claim FILE --text "..." --ref 35 --mechanism opioid --stance supports
#
# Records here may cite the bundled references (1-34) and name the bundled treatments, mechanisms,
# entities and trials by id (ketcli compare --json and ketcli mechanism --json list them).
# Ids, reference numbers and keys of your records must be new. ketcli only ever appends to this
# file, after checking the whole dataset: your comments and layout stay as you write them.

extends = "bundled"
schema_version = 1
dataset_version = "0.1.0"

# -------------------------------------------------------------------------------------------------
# Examples, one of each record type. To use one, remove the "# " in front of its lines and put
# in your values. Each record begins with its [[...]] line; text goes in "double quotes".
# -------------------------------------------------------------------------------------------------

# A reference (ketcli data import writes these for you).
# [[references]]
# number = 35                               # not used yet (the bundled list ends at 34)
# key = "surname2025"                       # lowercase letters, digits, . _ -
# authors = ["Surname AB", "Other C"]       # as printed, "Surname Initials"
# et_al = false                             # true where the printed list ends in "et al."
# title = "Title of the article as printed"
# journal = "J Abbrev"
# year = 2025
# volume = "12"
# pages = "100-9"
# doi = "10.1234/example.2025.1"
# design = "randomized controlled trial"    # only where the title or your text says so
# design_basis = "title"                    # title | text: where the design label comes from

# A claim: one statement with the references it rests on (ketcli data add claim writes these).
# [[claims]]
# id = "surname2025-response"
# text = "Response at 24 hours was 50% with ketamine."
# section = "own dataset"                   # where it comes from
# refs = [35]
# topic = "efficacy"                        # methods | limitations | epidemiology | symptoms | risk | neurobiology | classification | history | mechanism | efficacy | onset | duration | side effects | tolerability | abuse | withdrawal | dosing | accessibility | cost | conclusion
# stance = "supports"                       # toward its mechanisms: supports | contradicts | mixed | context
# evidence = "human"                        # animal | human | meta-analysis | review | case reports | regulatory | not stated
# treatments = ["ketamine"]                 # ids
# mechanisms = ["nmdar"]
# entities = ["nmda-receptor"]
# trial = "example-trial"                   # the study record it reports (below)
# notes = ["What a reader should know about the source."]
# [[claims.quantities]]                     # a number the claim gives; repeat the block for more
# label = "response rate"
# value = 50
# unit = "%"
# n = 40
# arm = "ketamine"

# A trial or study.
# [[trials]]
# id = "example-trial"
# name = "Surname 2025"
# design = "randomized controlled trial"
# design_basis = "title"
# refs = [35]
# section = "own dataset"
# treatments = ["ketamine"]
# population = "adults with treatment-resistant depression"
# n = 80
# outcome_measure = "MADRS response"
# finding = "What it found, in its own terms."
# head_to_head = false                      # true where it compares treatments of the dataset
# [[trials.results]]
# label = "response rate"
# value = 50
# unit = "%"
# arm = "ketamine"

# A side effect.
# [[side_effects]]
# id = "example-ketamine-nausea"
# treatment = "ketamine"
# effect = "nausea"
# frequency = "common"                      # in the source's words
# refs = [35]
# section = "own dataset"
# study = "example-trial"

# A dated event.
# [[events]]
# id = "example-event"
# year = 2025
# when = "2025"                             # as printed: "2025", "in the 1980s", "since 2000"
# label = "What happened."
# treatments = ["ketamine"]
# refs = [35]
# section = "own dataset"

# A treatment.
# [[treatments]]
# id = "example-drug"
# name = "Example drug"
# aliases = ["exdrug"]                      # other names a user may type
# kind = "drug"                             # drug | drug class | procedure | formulation
# summary = "One or two sentences on it."
# [[treatments.attributes]]
# name = "route"
# value = "intravenous"
# refs = [35]
# section = "own dataset"

# A cell of the comparison table, for a treatment of your own.
# [[table1]]
# treatment = "example-drug"
# dimension = "onset"                       # onset | response_rate | duration | tolerability | accessibility
# text = "Hours"
# [table1.value]
# low = 2
# high = 4
# unit = "hours"

# A receptor, molecule, brain region ...
# [[entities]]
# id = "example-receptor"
# name = "Example receptor"
# kind = "receptor"                         # receptor | molecule | neurotransmitter | enzyme | transporter | pathway | brain region | cell type | drug

# A mechanism.
# [[mechanisms]]
# id = "example-theory"
# name = "Example theory"
# scope = "ketamine theory"                 # ketamine theory | treatment | disease
# treatment = "ketamine"
# status = "proposed"                       # its standing, in the source's words
# section = "own dataset"
# summary = "What the mechanism proposes."
# [[mechanisms.pathway]]
# id = "step-1"
# label = "What happens first."
# refs = [35]
# source = "own dataset"
'''


@app.command()
def init(file: FileArg) -> None:
    """Write a starter FILE that extends the bundled dataset.

    The file holds a commented example of each record type. An existing FILE is never
    overwritten (exit 4)."""
    from pathlib import Path

    from ketcli.curate import writes

    writes.check_path(file)
    content = STARTER.encode("utf-8")
    writes.build(Path(file), content)  # the starter must be valid, whatever the bundled file holds
    writes.create(file, content)
    _say(f"wrote {file}: it extends the bundled dataset. Try: ketcli --data {_shell(file)} compare ketamine ect")


# --- import --------------------------------------------------------------------------------

@app.command("import")
def import_(
    file: FileArg,
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="BibTeX (.bib) or RIS (.ris) file; - reads standard input.",
                                          show_default=False)],
    fmt: Annotated[Optional[Literal["bibtex", "ris"]], typer.Option("--format", help="Format of SOURCE (default: from its name or content).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Add the references of a BibTeX or RIS export to FILE. Each gets the next free number and a
    key like anand2023; entries whose DOI is already in the dataset (or earlier in SOURCE) are skipped
    and reported."""
    from ketcli.curate import importers
    from ketcli.curate import writes

    writes.check_path(file)
    read_as, entries = importers.read_source(source, fmt)
    outcome: dict = {"new": [], "skipped": []}

    def make(data) -> dict:
        pairs, skipped = importers.plan(entries, data["references"])
        for entry, record in pairs:
            _validate_record("Reference", record, where=entry.label, file=file)
        outcome["new"], outcome["skipped"] = pairs, skipped
        return {"references": [record for _, record in pairs]}

    writes.append(file, make)
    new, skipped = outcome["new"], outcome["skipped"]
    for _entry, record in new:
        _say(f"imported [{record['number']}] {record['key']}: {_short(record.get('title') or '(no title)')}")
    for s in skipped:
        _say(f"skipped {s.entry.label}: {s.reason}")
    _say(f"{len(new)} imported, {len(skipped)} skipped" + (f", into {file}" if new else f"; {file} is unchanged"))
    if as_json:  # after the report: a closed stdout must not hide what was written
        _report_after_write({
            "schema_version": SCHEMA_VERSION,
            "command": "data import",
            "file": file,
            "source": source,
            "format": read_as,
            "imported": [record for _, record in new],
            "skipped": [{"entry": s.entry.label, "line": s.entry.line, "doi": s.entry.fields.get("doi"),
                         "title": s.entry.fields.get("title"), "reason": s.reason} for s in skipped],
        }, f"imported {len(new)} reference(s) into {file}" if new else f"{file} is unchanged")


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _validate_record(model: str, record: dict, *, where: str, file: str) -> None:
    """Check one record with its pydantic model; a problem refuses the write (exit 4)."""
    from pydantic import ValidationError

    from ketcli.data import models

    from ketcli.curate import writes

    try:
        getattr(models, model).model_validate(record)
    except ValidationError as exc:
        lines = [f"{where}: {'.'.join(map(str, e['loc'])) or 'record'}: {e['msg']}" for e in exc.errors()]
        raise writes.refused(f"write refused, {file} is unchanged: {lines[0]}", lines[1:]) from None


# --- add claim ------------------------------------------------------------------------------

_OPTION_OF = {"text": "--text", "section": "--section", "id": "--id", "notes": "--note", "refs": "--ref",
              "topic": "--topic", "stance": "--stance", "evidence": "--evidence"}


@add_app.command("claim")
def add_claim(
    file: FileArg,
    text: Annotated[str, typer.Option("--text", metavar="TEXT", help="The statement, in your words but faithful to the source.",
                                      show_default=False)],
    refs: Annotated[list[str], typer.Option("--ref", metavar="N", help="Reference number or key it rests on (repeat for more).",
                                            show_default=False)],
    treatments: Annotated[Optional[list[str]], typer.Option("--treatment", metavar="NAME", help="Treatment it is about (repeatable).")] = None,
    mechanisms: Annotated[Optional[list[str]], typer.Option("--mechanism", metavar="NAME", help="Mechanism it is about (repeatable).")] = None,
    entities: Annotated[Optional[list[str]], typer.Option("--entity", metavar="NAME", help="Receptor, molecule or brain region it names (repeatable).")] = None,
    stance: Annotated[Optional[Stance], typer.Option("--stance", help="Toward its mechanisms (default: context).")] = None,
    evidence: Annotated[Optional[Evidence], typer.Option("--evidence", help="Kind of evidence (default: not stated).")] = None,
    topic: Annotated[Optional[Topic], typer.Option("--topic", help="What it is about (default: mechanism with --mechanism, else efficacy).")] = None,
    section: Annotated[str, typer.Option("--section", metavar="TEXT", help="Where it comes from.")] = DEFAULT_SECTION,
    claim_id: Annotated[Optional[str], typer.Option("--id", metavar="ID", help="Identifier (default: made from the text).")] = None,
    notes: Annotated[Optional[list[str]], typer.Option("--note", metavar="TEXT", help="A note on the source (repeatable).")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Add one claim to FILE, checked against the combined dataset (its references exist, its
    names resolve) before anything is written."""
    from ketcli.curate import writes

    writes.check_path(file)
    text = _nonblank("--text", text)
    section = _nonblank("--section", section)
    notes = [_nonblank("--note", n) for n in notes or []]
    if claim_id is not None:
        claim_id = _check_id(claim_id)
    tokens = _ref_tokens(refs)

    def make(data) -> dict:
        from ketcli.data.names import resolve

        record: dict = {"id": claim_id or _unique_slug(text, data.claims), "text": text, "section": section,
                        "refs": _resolve_refs(data, tokens, file)}
        record["topic"] = topic or ("mechanism" if mechanisms else "efficacy")
        if stance:
            record["stance"] = stance
        if evidence:
            record["evidence"] = evidence
        for field, names, collection, what in (
            ("treatments", treatments, data["treatments"], "treatment"),
            ("mechanisms", mechanisms, data["mechanisms"], "mechanism"),
            ("entities", entities, data["entities"], "entity"),
        ):
            if names:
                record[field] = list(dict.fromkeys(resolve(collection, n, what)["id"] for n in names))
        if notes:
            record["notes"] = notes
        _check_claim(record)
        same = _same_claim(data.claims, record, claim_id)
        if same is not None:  # a retry of a run whose report was lost: nothing to add
            outcome["existing"] = same
            return {}
        if claim_id is not None and claim_id in data.claims:
            raise writes.refused(f"write refused, {file} is unchanged: a claim with id {claim_id!r} already exists "
                                 "in the dataset (choose another --id)")
        return {"claims": [record]}

    outcome: dict = {}
    added = writes.append(file, make)
    written = bool(added)
    record = added["claims"][0] if written else outcome["existing"]
    if written:
        _say(f"added claim {record['id']!r} to {file}")
    else:
        _say(f"claim {record['id']!r} is already in the dataset with this text and these references; "
             f"{file} is unchanged")
    if as_json:
        _report_after_write(
            {"schema_version": SCHEMA_VERSION, "command": "data add claim", "file": file, "written": written,
             "claim": record},
            f"added claim {record['id']!r} to {file}" if written else f"{file} is unchanged",
        )


def _same_claim(claims: dict[str, dict], record: dict, claim_id: str | None) -> dict | None:
    """The claim already in the data that `record` repeats: same fields as given (the id
    too, where --id gave one), so running the same command twice adds it once."""
    fields = {k: v for k, v in record.items() if k != "id" or claim_id is not None}
    candidates = [claims[claim_id]] if claim_id is not None and claim_id in claims else claims.values()
    for claim in candidates:
        if all(claim.get(k) == v for k, v in fields.items()):
            return claim
    return None


def _report_after_write(document: dict, done: str) -> None:
    """Print the JSON report of a write that has happened; when stdout cannot take it,
    say on stderr that the write happened (a retry finds the record and adds nothing)."""
    from ketcli.errors import WriteError

    try:
        _print_json(document)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise WriteError(f"{done}, but its JSON report could not be written: {exc.strerror or exc} "
                         "(the same command again reports it without adding it twice)") from None


def _nonblank(option: str, value: str) -> str:
    from ketcli.errors import UsageError

    value = value.strip()
    if not value:
        raise UsageError(f"{option} is empty")
    return value


def _check_id(value: str) -> str:
    import re

    from ketcli.errors import UsageError

    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", value) or len(value) > 80:
        raise UsageError(f"--id {value[:100]!r} is not an id: use up to 80 lowercase letters, digits, '.', '_' or '-'")
    return value


def _ref_tokens(tokens: list[str]) -> list[int | str]:
    from ketcli.errors import UsageError

    if not tokens:
        raise UsageError("a claim needs at least one --ref (a reference number or key)")
    from ketcli.query.refnumbers import parse_token

    out: list[int | str] = []
    for token in tokens:
        parsed: int | tuple[int, int] | str | None
        try:
            parsed = parse_token(token)
        except ValueError:
            parsed = 0 if token.strip().isascii() and token.strip().isdigit() else None
        if isinstance(parsed, int):
            if not 1 <= parsed <= 100_000:
                raise UsageError(f"--ref {token[:40]!r}: reference numbers run from 1 to 100000")
            out.append(parsed)
        elif isinstance(parsed, tuple):
            raise UsageError(f"--ref {token[:40]!r}: one reference per --ref (repeat --ref for more)")
        elif isinstance(parsed, str):
            out.append(parsed)
        else:
            raise UsageError(f"--ref {token[:40]!r} is not a reference number (11) or key (anand2023)")
    return list(dict.fromkeys(out))


def _resolve_refs(data, tokens: list[int | str], file: str) -> list[int]:
    from ketcli.curate import writes

    numbers = []
    known = data.references
    span = f"{min(known)}-{max(known)}" if known else "none"
    for token in tokens:
        if isinstance(token, int):
            if token not in known:
                raise writes.refused(f"write refused, {file} is unchanged: reference {token} is not in the "
                                     f"dataset (its references: {span}; add it first with ketcli data import)")
            numbers.append(token)
        else:
            ref = data.references_by_key.get(token)
            if ref is None:
                import difflib

                close = difflib.get_close_matches(token, list(data.references_by_key), n=3, cutoff=0.6)
                hint = f" (did you mean {' or '.join(close)}?)" if close else ""
                raise writes.refused(f"write refused, {file} is unchanged: no reference with key {token!r} "
                                     f"in the dataset{hint}")
            numbers.append(ref["number"])
    return list(dict.fromkeys(numbers))


def _unique_slug(text: str, taken) -> str:
    import re
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", folded)
    base = "-".join(words[:8])[:60].strip("-") or "claim"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _check_claim(record: dict) -> None:
    from pydantic import ValidationError

    from ketcli.errors import UsageError
    from ketcli.data.models import Claim

    try:
        Claim.model_validate(record)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = error.get("loc") or ("claim",)
        option = _OPTION_OF.get(str(loc[0]), str(loc[0]))
        raise UsageError(f"{option}: {error.get('msg', 'invalid')}") from None
