"""The command-line interface: parse, call one query, render, print.

Errors become exit codes in one place, `KetcliGroup.invoke`; output options and
rendering live in one place, `output_options`. Imports of queries, pydantic and rich
happen inside the commands, so each command pays only for what it uses.
"""

import functools
import inspect
import sys
from enum import Enum
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from . import __version__
from .errors import INTERNAL, KetcliError
from .format_names import CITATION_FORMATS, CiteFormat, Format, PathwayFormat


class KetcliGroup(TyperGroup):
    """Turns every KetcliError into one line on stderr and its exit code.

    Sub-commands are built when first asked for: a run builds only the click command
    it invokes (typer inspects each command's signature to build it, ≈ 0.5 ms per
    command, ≈ 5 ms for `data`); --help and completion of command names build all.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(self.commands)

    def list_commands(self, ctx):
        return _names()

    def get_command(self, ctx, name):
        return self.commands.get(name)

    def invoke(self, ctx):
        from . import output

        try:
            return super().invoke(ctx)
        except KetcliError as exc:
            output.error(exc.message, exc.hint)
            for problem in getattr(exc, "problems", [])[:50]:
                output.write(f"  {output.safe(problem)}", sys.stderr)
            raise typer.Exit(exc.code) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:  # a bug: one line, not a traceback
            if exc.__class__.__module__.startswith(("click", "typer")):
                raise
            output.error(f"internal error: {exc.__class__.__name__}: {exc}",
                         "this is a bug in ketcli; please report it")
            raise typer.Exit(INTERNAL) from None


def _names() -> list[str]:
    return [_command_name(info) for info in commands.registered_commands] + ["data"]


class _LazyCommands(dict):
    """name → click command, each built on first use; whole-dict views build them all."""

    def get(self, name, default=None):
        if not dict.__contains__(self, name):
            built = _build_command(name)
            if built is None:
                return default
            self[name] = built
        return dict.get(self, name, default)

    def _all(self) -> None:
        for name in _names():
            self.get(name)

    def __iter__(self):
        self._all()
        return dict.__iter__(self)

    def __len__(self):
        self._all()
        return dict.__len__(self)

    def keys(self):
        self._all()
        return dict.keys(self)

    def values(self):
        self._all()
        return dict.values(self)

    def items(self):
        self._all()
        return dict.items(self)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# Commands register on `commands`; KetcliGroup builds each one on demand.
commands = typer.Typer()


def _command_name(info) -> str:
    return info.name or info.callback.__name__.lower().replace("_", "-")


def _build_command(name: str):
    import typer.main

    if name == "data":
        from .cli_data import app as data_app

        group = typer.main.get_command(data_app)
        group.name = "data"
        return group
    for info in commands.registered_commands:
        if _command_name(info) == name:
            formats = getattr(info.callback, "_output_formats", None)
            if formats is not None:
                info.callback = _with_output_options(info.callback, formats)
            single = typer.Typer(rich_markup_mode=None, add_completion=False)
            single.registered_commands.append(info)
            command = typer.main.get_command(single)
            command.name = name
            return command
    return None


app = typer.Typer(
    cls=KetcliGroup,
    name="ketcli",
    help="The evidence on ketamine for major depressive disorder, compared with SSRIs, TCAs and ECT, "
    "from one peer-reviewed review (Papadopoulos, Cureus 2025, CC BY 4.0), every answer cited.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

state: dict[str, Optional[str]] = {"data": None}


def _version(value: bool) -> None:
    if value:
        print(f"ketcli {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    data: Annotated[
        Optional[str],
        typer.Option("--data", metavar="PATH", envvar="KETCLI_DATA",
                     help="Dataset file to use instead of the bundled one (also KETCLI_DATA)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    state["data"] = data


def load():
    from .dataset import load as load_dataset

    return load_dataset(state["data"])


def output_options(formats: type[Enum] = Format):
    """Give a command --format/-f and --json, and print what it returns.

    The command returns (result, view[, exit code]): the result dict and the name of its
    view in formats.VIEWS. Every command prints through here, in every format. The
    wrapping happens when the command is built (_build_command), not at import.
    """

    def decorate(command):
        command._output_formats = formats
        return command

    return decorate


def _with_output_options(command, formats: type[Enum]):
    """The command with --format/-f and --json added, printing what it returns."""
    signature = inspect.signature(command)
    extra = [
        inspect.Parameter(
            "fmt", inspect.Parameter.KEYWORD_ONLY, default=None,
            annotation=Annotated[Optional[formats], typer.Option(
                "--format", "-f", case_sensitive=False, help="Output format (default: table).")],
        ),
        inspect.Parameter(
            "as_json", inspect.Parameter.KEYWORD_ONLY, default=False,
            annotation=Annotated[bool, typer.Option("--json", help="Short for --format json.")],
        ),
    ]

    @functools.wraps(command)
    def run(*args, fmt=None, as_json=False, **kwargs):
        from .format_names import choose

        chosen = choose(fmt, as_json)
        asked = chosen if (fmt is not None or as_json) else None
        result, view, *code = command(*args, **kwargs, **({"fmt": asked} if "fmt" in signature.parameters else {}))
        if result is not None:
            emit(result, chosen, view)
        if code and code[0]:
            raise typer.Exit(code[0])

    params = [p for p in signature.parameters.values() if p.name != "fmt"] + extra
    run.__signature__ = signature.replace(parameters=params, return_annotation=inspect.Signature.empty)
    run.__annotations__ = {p.name: p.annotation for p in params}
    run._output_formats = None  # wrapped once, however often the command is built
    return run


def render(result: dict, fmt: str, view_name: str) -> str | None:
    """The text of `result` in `fmt`, or None for the rich table (drawn by emit)."""
    from . import output

    if fmt == "json":
        return output.dumps_json(result)
    from .formats import TEXT_FORMATS, VIEWS

    if fmt in TEXT_FORMATS:
        return TEXT_FORMATS[fmt](VIEWS[view_name], result)
    if fmt in ("dot", "mermaid"):
        from . import diagrams

        return getattr(diagrams, f"to_{fmt}")(result)
    if fmt in CITATION_FORMATS:
        from .citations import FORMATS

        return FORMATS[fmt](result["references"])
    return None


def emit(result: dict, fmt: str, view_name: str) -> None:
    from . import output

    output.prepare_streams()
    try:
        text = render(result, fmt, view_name)
        if text is not None:
            output.write(text)
            return
        # Drawing a table (importing rich, laying out cells) makes many short-lived objects
        # that the cyclic collector's passes would only spend time on.
        import gc

        collecting = gc.isenabled()
        gc.disable()
        try:
            draw(result, view_name)
        finally:
            if collecting:
                gc.enable()
    except BrokenPipeError:
        raise
    except OSError as exc:  # a full disk or a failing device behind stdout: not a bug
        from .errors import WriteError

        raise WriteError(f"cannot write the output: {exc.strerror or exc}") from None


def draw(result: dict, view_name: str) -> None:
    from importlib import import_module

    from . import layout, output
    from .formats import VIEWS, to_stacked

    view = VIEWS[view_name]
    term = layout.terminal(sys.stdout)
    module, function = view.table.split(".")
    lines = None  # None: "column: value" lines, for a terminal too narrow for the table
    if module == "blocks":
        lines = layout.render(getattr(import_module("ketcli.blocks"), function)(result), term)
    elif term.width >= layout.NARROW:
        renderer = getattr(import_module(f"ketcli.{module}"), function)  # rich loads only here
        console = output.console(width=term.width)
        for part in renderer(result):
            console.print(part)
        sys.stdout.flush()
        return
    if lines is None:
        output.write(to_stacked(view, result, term.width))
    else:
        layout.write(lines, term, sys.stdout)


def _complete(collection: str, incomplete: str) -> list[str]:
    try:
        data = load()
    except KetcliError:
        return []
    from .integrity import names_of

    records = data[collection] + (data["entities"] if collection == "mechanisms" else [])
    wanted = incomplete.lower()
    names = [n for r in records for n in names_of(r) if n.startswith(wanted) and " " not in n]
    return list(dict.fromkeys(names))


@commands.command()
@output_options()
def compare(
    treatments: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="[TREATMENT]...", help="Treatments by name or alias (ketamine, ssri, tca, ect …). None: all of Table 1.",
                       autocompletion=lambda incomplete: _complete("treatments", incomplete)),
    ] = None,
    chart: Annotated[bool, typer.Option("--chart", help="Draw the numeric dimensions as ranges.")] = False,
):
    """Treatments side by side: the review's Table 1, every cell cited, and the trials that compare them."""
    from . import queries

    return queries.compare(load(), treatments or []), "compare_chart" if chart else "compare"


@commands.command()
@output_options(PathwayFormat)
def mechanism(
    name: Annotated[
        Optional[str],
        typer.Argument(metavar="[NAME]", help="Mechanism or entity (nmdar, opioid, monoamine, inflammation, bdnf, trkb …). None: list all.",
                       autocompletion=lambda incomplete: _complete("mechanisms", incomplete)),
    ] = None,
    pathway: Annotated[bool, typer.Option("--pathway", help="Draw the mechanism's pathway as a tree.")] = False,
    evidence_map: Annotated[bool, typer.Option("--map", help="Without NAME: mechanisms × kinds of evidence.")] = False,
    fmt: Optional[str] = None,
):
    """The evidence for a mechanism: what supports it, what contradicts it, how strong."""
    from . import queries
    from .errors import UsageError

    data = load()
    if fmt in ("dot", "mermaid") and name is None:
        raise UsageError(f"--format {fmt} draws one mechanism's pathway: give NAME (e.g. nmdar)")
    if name is None:
        if pathway:
            raise UsageError("--pathway needs a mechanism NAME (e.g. nmdar)")
        if evidence_map:
            return queries.evidence_map(data), "evidence_map"
        return queries.mechanism_list(data), "mechanism_list"
    if evidence_map:
        raise UsageError("--map shows every mechanism: leave out NAME")
    result = queries.mechanism(data, name)
    if (pathway or fmt in ("dot", "mermaid")) and not (result["mechanism"] or {}).get("pathway"):
        raise _no_pathway(name)
    return result, "pathway" if pathway else "mechanism"


def _no_pathway(name: str):
    from .errors import NotFound

    return NotFound(f"the review draws no pathway for {name!r}", hint="pathways: ketcli mechanism (those with steps)")


@commands.command()
@output_options(CiteFormat)
def cite(
    refs: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="[REF]...", help="Reference numbers (11), ranges (1-5) or keys (anand2023). None: all."),
    ] = None,
    treatment: Annotated[Optional[str], typer.Option("--treatment", help="References behind a treatment's evidence.")] = None,
    mechanism_name: Annotated[Optional[str], typer.Option("--mechanism", help="References behind a mechanism's evidence.")] = None,
    search_query: Annotated[Optional[str], typer.Option("--search", help="References cited by the records a search finds.")] = None,
    usage: Annotated[bool, typer.Option("--usage", help="What the review cites each reference for.")] = False,
    with_notes: Annotated[bool, typer.Option(
        "--with-notes", help="Put the dataset's notes on each reference into BibTeX/RIS/CSL-JSON exports.")] = False,
    output_file: Annotated[Optional[str], typer.Option("--output", "-o", metavar="FILE",
                                                       help="Write to FILE (format from .bib/.ris/.json unless --format).")] = None,
    fmt: Optional[str] = None,
):
    """The review's references as printed, with DOIs, in the formats reference managers take."""
    from . import queries
    from .errors import UsageError

    data = load()
    if usage:
        if treatment or mechanism_name or search_query:
            raise UsageError("--usage takes reference numbers or keys, not --treatment/--mechanism/--search")
        if output_file is not None or fmt in CITATION_FORMATS:
            raise UsageError("--usage lists what references are cited for; export them without --usage")
        return queries.usage(data, refs or []), "usage"
    result = queries.cite(data, refs or [], treatment=treatment, mechanism_name=mechanism_name,
                          search_query=search_query)
    if not with_notes:
        # A reference manager attaches every note to the item: by default an export
        # carries the reference and its gaps ("DOI not reported in the source") only.
        from pathlib import Path

        from .citefile import format_for

        exported = format_for(Path(output_file), fmt) if output_file else fmt
        if exported in CITATION_FORMATS:
            result = {**result, "references": [{**r, "notes": []} for r in result["references"]]}
    if output_file is not None:
        from .citefile import write_citations

        write_citations(result, output_file, fmt)
        return None, None
    return result, "cite"


@commands.command()
@output_options()
def treatment(
    name: Annotated[Optional[str], typer.Argument(metavar="[NAME]", help="Treatment (ketamine, ssri, esketamine …). None: list all.",
                                                   autocompletion=lambda incomplete: _complete("treatments", incomplete))] = None,
    claims: Annotated[bool, typer.Option("--claims", help="Also list every claim of the review about it.")] = False,
):
    """A treatment's profile: class, route, history, how it acts, Table 1, side effects, trials — every line cited."""
    from . import profiles

    data = load()
    if name is None:
        return profiles.treatment_list(data), "treatment_list"
    return profiles.treatment(data, name), "treatment_claims" if claims else "treatment"


@commands.command("side-effects")
@output_options()
def side_effects(
    name: Annotated[Optional[str], typer.Argument(metavar="[TREATMENT]", help="Only this treatment's side effects.",
                                                   autocompletion=lambda incomplete: _complete("treatments", incomplete))] = None,
):
    """Side effects with the frequencies the review reports and the studies they come from."""
    from . import profiles

    return profiles.side_effects(load(), name), "side_effects"


@commands.command()
@output_options()
def timeline():
    """The dated events in order: syntheses, approvals, the eras of each drug class."""
    from . import profiles

    return profiles.timeline(load()), "timeline"


@commands.command()
@output_options()
def search(
    query: Annotated[list[str], typer.Argument(metavar="QUERY...", help="Words to find (all must match; prefixes count: 'dissociat').")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10_000, help="Most hits to show.")] = 20,
):
    """Ranked full-text search over claims, trials, side effects, references and notes."""
    from . import queries

    return queries.search(load(), " ".join(query), limit), "search"


@commands.command()
@output_options()
def about():
    """The source, the dataset's version, counts of each record type, and a content hash."""
    from . import profiles

    return profiles.about(load()), "about"


@commands.command()
@output_options()
def validate(
    file: Annotated[Optional[str], typer.Argument(metavar="[FILE]", help="Dataset file to check. None: --data, KETCLI_DATA or the bundled one.")] = None,
):
    """Run every integrity check; each problem on one line; exit 3 when any."""
    from .validation import validate_file

    result = validate_file(file or state["data"])
    return result, "validate", 0 if result["ok"] else 3


@commands.command()
def schema(
    command: Annotated[str, typer.Argument(metavar="COMMAND", help="Command whose --json output to describe.")],
):
    """Print the JSON Schema of a command's JSON output."""
    from . import output
    from .results import schema as make_schema

    output.write(output.dumps_json(make_schema(command)))


def main() -> None:
    import signal

    if hasattr(signal, "SIGXFSZ"):
        # Under a file-size limit an over-long write must fail (EFBIG), not kill ketcli.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        app(prog_name="ketcli")
        code = 0
    except SystemExit as exc:
        code = exc.code
    _exit(code)


def _exit(code) -> None:
    """Exit without the interpreter's teardown: flush, then os._exit.

    Freeing every module and object at exit costs ≈ 0.8× a bare interpreter's start
    with typer loaded, and ≈ 100 ms with a 10 MB dataset in memory. Nothing of ketcli
    needs atexit handlers; writes are complete (os.replace) before this point.
    """
    import os

    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: end quietly
            _silence_stdout()
    os._exit(code)
