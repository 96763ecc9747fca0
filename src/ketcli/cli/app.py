"""The Typer app: global options, the command registry, and errors → exit codes.

Each command family is a module of its own (evidence, cite, profiles, checks, curate),
plain Typer; `COMMANDS` (read from ketcli.commands, the one registry) says which module holds which command, so a run imports and
builds only the one it invokes (startup.LazyCommands). Every KetcliError becomes one
line on stderr and its exit code here, in `KetcliGroup.invoke`, and nowhere else.
"""

import sys
from importlib import import_module
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from ketcli import __version__
from ketcli.cli import startup
from ketcli.cli.context import state
from ketcli.commands import top_level
from ketcli.errors import INTERNAL, KetcliError

# Command name → module of ketcli.cli that registers it, in the order --help lists them,
# and the groups of sub-commands → the Typer app of their module: read from ketcli.commands.
COMMANDS = {name: command.module for name, command in top_level().items()}
GROUPS = {name: command.group for name, command in top_level().items() if command.group}


class KetcliGroup(TyperGroup):
    """Turns every KetcliError into one line on stderr and its exit code; builds each
    sub-command when first asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.commands = startup.LazyCommands(lambda: list(COMMANDS), build_command, self.commands)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """click's main, its every ending one line and an exit code (cli/guard.py)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        from ketcli.cli import guard
        from ketcli.cli.context import cache_run

        cache_run.update(read=False, refresh=False)  # (CliRunner runs many in one process)

        def once():
            return super(KetcliGroup, self).main(args, prog_name, complete_var, standalone_mode=False, **extra)

        code = guard.run(once)
        if cache_run["refresh"] and code == INTERNAL:  # see invoke: once more, the data rebuilt
            code = guard.run(once)
        sys.exit(code)

    def make_context(self, info_name, args, parent=None, **extra):
        """click's, but a reader gone while `--help` or `--version` prints (`| true`) ends
        quietly with 0, as for a command's own help (click itself would exit 1)."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:
            startup.silence_stdout()
            raise typer.Exit(0) from None

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        return self.commands.get(name)

    def invoke(self, ctx):
        from ketcli.render.terminal import streams

        try:
            return super().invoke(ctx)
        except KetcliError as exc:
            streams.error(exc.message, exc.hint)
            for problem in getattr(exc, "problems", [])[:50]:
                streams.write(f"  {streams.safe(problem)}", sys.stderr)
            raise typer.Exit(exc.code) from None
        except BrokenPipeError:
            startup.silence_stdout()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except OSError as exc:  # e.g. a --help that stdout cannot take: cli/guard.py says so
            if not isinstance(exc, (FileNotFoundError, PermissionError)) and exc.errno in guard_errors():
                raise
            streams.error(f"internal error: {exc.__class__.__name__}: {exc}",
                          "this is a bug in ketcli; please report it")
            raise typer.Exit(INTERNAL) from None
        except Exception as exc:  # a bug: one line, not a traceback
            if exc.__class__.__module__.startswith(("click", "typer")):
                raise
            from ketcli.cli.context import cache_run

            if cache_run["read"] and not cache_run["refresh"] and ctx.invoked_subcommand != "data":
                # maybe a cache entry of another shape (`data` writes: never run twice)
                cache_run["refresh"] = True
                raise typer.Exit(INTERNAL) from None  # said nothing yet: main runs it again
            streams.error(f"internal error: {exc.__class__.__name__}: {exc}",
                          "this is a bug in ketcli; please report it")
            raise typer.Exit(INTERNAL) from None


def guard_errors() -> set[int]:
    from ketcli.cli.guard import _OUTPUT_ERRORS

    return _OUTPUT_ERRORS


def command_name(info) -> str:
    return info.name or info.callback.__name__.lower().replace("_", "-")


def build_command(name: str):
    """The click command `name`, built from its module's Typer registrations."""
    import typer.main

    module_name = COMMANDS.get(name)
    if module_name is None:
        return None
    module = import_module(f"ketcli.cli.{module_name}")
    if name in GROUPS:
        group = typer.main.get_command(getattr(module, GROUPS[name]))
        group.name = name
        return group
    for info in module.commands.registered_commands:
        if command_name(info) == name:
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
