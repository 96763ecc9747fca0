"""What cog writes into README.md and docs/: every command's --help, every command's JSON
fields from `ketcli schema`, and the real output of the shell examples.

    python docs/cogs.py            # regenerate every generated region (one command)
    python docs/cogs.py --check    # exit 1 if one is out of date (tests/docs/ checks the same)

Each generated region sits between `[[[cog … ]]]` and `[[[end]]]` markers, in Markdown
HTML comments (`<!-- … -->`), which GitHub, PyPI and Sphinx leave unseen.
The commands run in this process through click's test runner, as tests/conftest.py runs
them: no colour, the bundled dataset, a private cache, 100 columns, in a scratch folder of
the page's own (so `data init mine.toml` and then `data add claim mine.toml` work in order).
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # where this environment's `ketcli` script is
WIDTH = "100"
_WORKDIRS: dict[str, Path] = {}
_CACHE: list[Path] = []  # one private cache for the process, made when first needed


def _workdir(page: str) -> Path:
    """The page's scratch folder: `page` itself when it is a folder (a test's tmp_path)."""
    if page and Path(page).is_dir():
        return Path(page)
    return _WORKDIRS.setdefault(page, Path(tempfile.mkdtemp(prefix="ketcli-cog-")))


def _app():
    from ketcli.cli.app import app

    return app


def commands() -> list[tuple[str, object]]:
    """Every command path (`compare`, `data add claim` …) with its click command, in --help's order."""
    import click
    from typer.main import get_command

    def walk(prefix: str, group) -> list[tuple[str, object]]:
        found = []
        ctx = click.Context(group, info_name=prefix)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            path = f"{prefix} {name}".strip()
            found.append((path, command))
            if isinstance(command, click.Group):
                found += walk(path, command)
        return found

    return walk("", get_command(_app()))


def _environment() -> dict[str, str | None]:
    if not _CACHE:
        _CACHE.append(Path(tempfile.mkdtemp(prefix="ketcli-cog-cache-")))
    return {"COLUMNS": WIDTH, "NO_COLOR": "1", "KETCLI_CACHE_DIR": str(_CACHE[0]), "KETCLI_DATA": None,
            "CLICOLOR_FORCE": None}


def run(line: str, page: str = "") -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `line` (`ketcli …`), run in the page's scratch folder."""
    from typer.testing import CliRunner

    workdir = _workdir(page)
    args = shlex.split(line)[1:]
    previous, argv0 = Path.cwd(), sys.argv[0]
    os.chdir(workdir)
    # `mcp --config` names the running script: here, this environment's installed `ketcli`
    sys.argv[0] = str(BIN / "ketcli")
    try:
        result = CliRunner().invoke(_app(), args, env=_environment(), prog_name="ketcli")
    finally:
        os.chdir(previous)
        sys.argv[0] = argv0
    return result.exit_code, result.stdout, result.stderr


def run_shell(line: str, page: str = "") -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of a pipeline (`ketcli … | jq …`), run by the shell with this
    environment's `ketcli` first on PATH, in the page's scratch folder."""
    import subprocess

    workdir = _workdir(page)
    env = {**os.environ, **{k: v for k, v in _environment().items() if v is not None},
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    for name, value in _environment().items():
        if value is None:
            env.pop(name, None)
    done = subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=workdir, env=env, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def same_path(text: str) -> str:
    """The bundled dataset's and ketcli's paths as the docs show them, whatever this machine's."""
    return text.replace(str(BIN) + os.sep, "/home/you/.venv/bin/").replace(str(ROOT) + os.sep, "/home/you/ketcli/")


def shown(line: str, page: str = "", lines: int | None = None, shell: bool = False,
          then: tuple[str, int] | None = None) -> str:
    """`$ line` and what it prints (stdout, then stderr: a write's report goes there), cut
    after `lines` lines with `…`, and with then=(start, n) again n lines from the first line
    that starts with `start`; a command that fails stops cog."""
    code, out, err = run_shell(line, page) if shell else run(line, page)
    if code != 0:
        raise SystemExit(f"`{line}` exited {code}: {err.strip()}")
    printed = [text.rstrip() for text in same_path(out + err).splitlines()]
    if lines is not None and len(printed) > lines:
        rest = printed[lines:]
        printed = printed[:lines] + ["…"]
        if then is not None:
            start = next(i for i, text in enumerate(rest) if text.startswith(then[0]))
            printed += rest[start:start + then[1]] + (["…"] if start + then[1] < len(rest) else [])
    return "\n".join([f"$ {line}", *printed])


def console(*lines: str, cut: int | None = None, shell: bool = False, then: tuple[str, int] | None = None) -> None:
    """Write (with cog) a ```console block of the given command lines, each with its output
    (a pipeline or a redirection: the line alone, or, with shell=True, run by the shell)."""
    import cog

    body = "\n".join(shown(line, cog.inFile, cut, shell=True, then=then) if shell else
                     f"$ {line}" if _is_pipeline(line) else shown(line, cog.inFile, cut, then=then) for line in lines)
    cog.out(f"```console\n{body}\n```\n")


def _is_pipeline(line: str) -> bool:
    return any(token in line for token in ("|", ">", "&&"))


def dataset_paragraph() -> None:
    """The README's paragraph on what the dataset holds, its counts from `ketcli about --json`."""
    import cog

    code, out, err = run("ketcli about --json")
    if code != 0:
        raise SystemExit(f"`ketcli about --json` exited {code}: {err.strip()}")
    n = json.loads(out)["dataset"]["counts"]
    cog.out(f"The dataset holds what the review says and nothing more: Table 1 cell by cell, {n['mechanisms']} mechanisms\n"
            f"with their pathways and {n['claims']} claims, {n['trials']} studies with their numbers, {n['side_effects']} side effects,\n"
            f"dated events and all {n['references']} references as printed, each claim with the review's exact words\n"
            "and where they stand. Where the review is silent, ketcli says \"not reported in the source\".\n")


def help_text(path: str) -> str:
    code, out, err = run(f"ketcli {path} --help".replace("  ", " "))
    if code != 0:
        raise SystemExit(f"`ketcli {path} --help` exited {code}: {err.strip()}")
    return "\n".join(text.rstrip() for text in out.splitlines())


def typer_version() -> str:
    from importlib.metadata import version

    return version("typer")


def cli_reference() -> str:
    """A section per command: its --help, as printed."""
    parts = [f"Generated from `ketcli COMMAND --help` with typer {typer_version()}, {WIDTH} columns wide.\n"]
    parts.append("## ketcli\n\n```text\n" + help_text("") + "\n```\n")
    for path, _ in commands():
        parts.append(f"## ketcli {path}\n\n```text\n{help_text(path)}\n```\n")
    return "\n".join(parts)


def json_reference() -> str:
    """A section per command with --json: its top-level fields, their types and whether
    every answer carries them, from `ketcli schema COMMAND` (a table per shape when the
    answer has several, as `mechanism` with and without a name)."""
    parts = []
    for path, _ in commands():
        code, out, _ = run(f"ketcli schema {path}")
        if code != 0:
            continue
        schema = json.loads(out)
        defs = schema.get("$defs", {})
        shapes = [(None, schema)] if "properties" in schema else [
            (ref["$ref"].rsplit("/", 1)[-1], defs[ref["$ref"].rsplit("/", 1)[-1]]) for ref in schema.get("anyOf", [])]
        parts.append(f"### `{path}`\n\n`ketcli schema {path}`: {schema.get('title', '')}, "
                     f"{len(defs)} record types.\n")
        for name, shape in shapes:
            required = set(shape.get("required", []))
            rows = ["| field | type | always |", "| --- | --- | --- |"]
            for field, spec in shape.get("properties", {}).items():
                rows.append(f"| `{field}` | {_type(spec)} | {'yes' if field in required else 'no'} |")
            parts.append((f"One shape, {name}:\n\n" if name else "") + "\n".join(rows) + "\n")
    return "\n".join(parts)


def _type(spec: dict) -> str:
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in spec:
        return " or ".join(_type(s) for s in spec["anyOf"])
    if "const" in spec:
        return f"`{json.dumps(spec['const'])}`"
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type(spec.get('items', {}))}"
    return kind if isinstance(kind, str) else " or ".join(kind)


FILES = ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.md") if "_build" not in p.parts)]


def main(argv: list[str]) -> int:
    """cog over README.md and docs/**/*.md, with this module's helpers in scope."""
    from cogapp import Cog

    os.chdir(ROOT)
    options = ["--check"] if "--check" in argv else ["-r"]
    return Cog().main(["cog", *options, "-I", str(Path(__file__).parent), "-p", "from cogs import *",
                       *FILES])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
