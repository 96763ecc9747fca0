"""The README stays true: every command it shows runs, and every command is documented."""

import re
import shlex
from pathlib import Path

import pytest
from typer.main import get_command

from ketcli.cli.app import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
# A line runs up to a pipe, a redirection or `&&` (what follows is another program).
SHOWN = list(dict.fromkeys(re.findall(r"^\$ (ketcli [^|>&\n]*)", README, flags=re.M)))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """One folder for the README's commands, run in its order (init comes before add)."""
    return tmp_path_factory.mktemp("readme")


def shown_output(line: str) -> list[str]:
    """The lines the README shows under `$ line` (up to the next `$` line or the block's end)."""
    match = re.search(rf"^\$ {re.escape(line)}\n(.*?)(?=^\$ |^```)", README, flags=re.M | re.S)
    return [text.rstrip() for text in match.group(1).splitlines()] if match else []


def _same_path(text: str) -> str:
    """The bundled dataset's path as the README shows it and as this checkout has it."""
    return re.sub(r"\S*/data/treatments\.toml", "treatments.toml", text)


def in_order(shown: list[str], actual: list[str]) -> str | None:
    """The first shown line that is not among the actual lines in the same order, or None.
    A README may leave lines out (it shows the start of a long answer), never change one."""
    rest = iter(_same_path(line.rstrip()) for line in actual)
    for text in map(_same_path, shown):
        if text and text.strip() != "…" and text not in rest:  # "…": lines left out
            return text
    return None


@pytest.mark.parametrize("line", SHOWN)
def test_every_command_in_the_readme_runs_and_shows_what_it_prints(run, line, workdir, monkeypatch):
    monkeypatch.chdir(workdir)  # `--output refs.bib`, `data init mine.toml` and friends write here
    args = shlex.split(line)[1:]
    r = run(*args, env={"COLUMNS": "100"})  # the README's tables are drawn 100 columns wide
    assert r.code == 0, (line, r.err)
    if re.search(rf"^\$ {re.escape(line)}\n", README, flags=re.M) and not re.search(r"[|>]", line):
        # a write's report goes to stderr (stdout only the result), the README shows both
        missing = in_order(shown_output(line), (r.out + r.err).splitlines())
        assert missing is None, f"the README shows a line `{line}` does not print: {missing!r}"


def test_every_command_is_documented_with_help():
    group = get_command(app)
    for name, command in group.commands.items():
        assert command.help, f"{name} has no help text"
        assert f"ketcli {name}" in README, f"the README does not show ketcli {name}"
        if hasattr(command, "commands"):
            for sub in command.commands:
                assert f"ketcli {name} {sub}" in README, f"the README does not show ketcli {name} {sub}"


QUESTIONS = README.split("## Questions → commands", 1)[1].split("\n## ", 1)[0]
ASKED = re.findall(r"`(ketcli [^`]+)`", QUESTIONS)


@pytest.mark.parametrize("line", ASKED)
def test_every_question_in_the_readme_is_answered_in_one_command(run, line):
    assert len(ASKED) >= 8
    r = run(*shlex.split(line)[1:])
    assert r.code == 0, (line, r.err)
    assert r.out.strip()
