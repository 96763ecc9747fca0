"""The reference says what the commands say: every command's --help as printed, every
command in it, and every generated region of the docs up to date (`python docs/cogs.py`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs"))
import cogs  # noqa: E402

CLI = ROOT / "docs" / "reference" / "cli.md"
REGENERATE = "regenerate it with `python docs/cogs.py`"


def sections() -> dict[str, str]:
    """`ketcli PATH` → the help text the reference shows under `## ketcli PATH`."""
    text = CLI.read_text(encoding="utf-8")
    return {name.strip(): body for name, body in
            re.findall(r"^## (ketcli[^\n]*)\n\n```text\n(.*?)\n```", text, flags=re.M | re.S)}


def generated_with() -> str | None:
    match = re.search(r"with typer (\S+?),", CLI.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def test_every_command_and_sub_command_has_its_reference_entry():
    documented = sections()
    for path, command in cogs.commands():
        assert command.help, f"ketcli {path} has no help text"
        assert f"ketcli {path}" in documented, f"docs/reference/cli.md has no entry for ketcli {path}: {REGENERATE}"
    assert set(documented) == {"ketcli"} | {f"ketcli {path}" for path, _ in cogs.commands()}, \
        "docs/reference/cli.md documents a command that does not exist"


def line(version: str | None) -> str | None:
    """A typer version's release line (0.29 of 0.29.3): help is laid out alike within a line, as
    the snapshots assume (tests/snapshots/shots.py); an exact match would skip on each patch release."""
    return ".".join(version.split(".")[:2]) if version else None


@pytest.mark.parametrize("path", [""] + [path for path, _ in cogs.commands()])
def test_the_reference_shows_what_help_prints(path):
    if line(generated_with()) != line(cogs.typer_version()):
        pytest.skip(f"the reference was generated with typer {generated_with()}, this is typer "
                    f"{cogs.typer_version()}, whose help is laid out differently")
    name = f"ketcli {path}".strip()
    assert sections().get(name) == cogs.help_text(path), f"`{name} --help` differs from docs/reference/cli.md: {REGENERATE}"


GENERATED = [p for p in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
             if "[[[cog" in p.read_text(encoding="utf-8") and p != CLI and "_build" not in p.parts]


@pytest.mark.parametrize("page", GENERATED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_generated_region_is_up_to_date(page, monkeypatch):
    from cogapp import Cog

    monkeypatch.chdir(ROOT)
    cog = Cog()
    code = cog.main(["cog", "--check", "-I", str(ROOT / "docs"), "-p", "from cogs import *", str(page.relative_to(ROOT))])
    assert code == 0, f"{page.relative_to(ROOT)} is out of date: {REGENERATE}"


def test_the_exit_code_table_is_the_code_of_ketcli_errors():
    from ketcli import errors

    text = (ROOT / "docs" / "reference" / "exit-codes.md").read_text(encoding="utf-8")
    rows = [[cell.strip(" `") for cell in line.split("|")[1:3]] for line in text.splitlines() if re.match(r"\| \d+ \|", line)]
    table = {int(code): name for code, name in rows}
    constants = {value: name for name, value in vars(errors).items() if name.isupper() and isinstance(value, int)}
    assert {code: name for code, name in table.items() if name} == constants
    assert 130 in table  # interrupted: the shell's code for SIGINT, set in cli/guard.py


def test_every_command_has_a_guide_that_shows_it():
    """Beyond its reference entry, each command is shown in a guide (docs/*.md, not the reference)."""
    guides = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    for path, _ in cogs.commands():
        assert f"ketcli {path}" in guides, f"no page of docs/ shows `ketcli {path}`"
