"""Every shell example in the README and the docs runs and prints what it shows.

An example is a `$ …` line in a ```console block, followed by the lines it shows. A page's
examples run in order in one scratch folder (`data init mine.toml` comes before `data add claim
mine.toml`), through docs/cogs.py, the code that wrote their output. The shown lines must appear in
what the command prints, in order and unchanged; a page may leave lines out (`…`), never change one.
A pipeline (`ketcli … | jq …`) that shows output is run by the shell; one that shows none runs its
`ketcli` part. A line of another program (`sqlite3 …`) runs when it shows output and the program is
installed.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "docs"))
import cogs  # noqa: E402  (docs/cogs.py: what writes the examples' output)

PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").rglob("*.md") if "_build" not in p.parts)]
SHELL = re.compile(r"[|>;&]")


def examples(text: str) -> list[tuple[str, list[str]]]:
    """(line, shown lines) of every `$ ` line in the page's ```console blocks, in order."""
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"^```console\n(.*?)^```", text, flags=re.M | re.S):
        for raw in block.splitlines():
            if raw.startswith("$ "):
                found.append((raw[2:], []))
            elif found:
                found[-1][1].append(raw.rstrip())
    return found


def in_order(shown: list[str], actual: list[str]) -> str | None:
    """The first shown line that is not among the actual lines in the same order, or None."""
    rest = iter(cogs.same_path(line.rstrip()) for line in actual)
    for text in shown:
        if text and text.strip() != "…" and text not in rest:  # "…": lines left out
            return text
    return None


def programs(line: str) -> list[str]:
    """The programs a shell line runs (the first word of each part)."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    tokens = list(lexer)
    return [word for before, word in zip(["|", *tokens], tokens) if before in ("|", "||", "&&", ";")]


def check(line: str, shown: list[str], page: str) -> str | None:
    """What is wrong with one example, None when nothing; raises Skipped for a missing tool."""
    shows = any(text.strip() for text in shown)
    if SHELL.search(line) or not line.startswith("ketcli "):
        if not shows:  # `> file`, `&& datasette …`: the ketcli part alone
            if not line.startswith("ketcli "):
                return None
            code, out, err = cogs.run(SHELL.split(line, 1)[0], page)
            return None if code == 0 else f"exit {code}: {err.strip()}"
        missing = [p for p in programs(line) if p not in ("ketcli", "echo") and shutil.which(p) is None]
        if missing:
            raise pytest.skip.Exception(f"`{line}` needs {', '.join(missing)}, not installed here")
        code, out, err = cogs.run_shell(line, page)
    else:
        code, out, err = cogs.run(line, page)
    if code != 0:
        return f"exit {code}: {err.strip()}"
    missing_line = in_order(shown, (out + err).splitlines())
    return None if missing_line is None else f"shows a line it does not print: {missing_line!r}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_runs_and_prints_what_it_shows(page, tmp_path):
    found = examples(page.read_text(encoding="utf-8"))
    problems, skipped = [], []
    for line, shown in found:
        try:
            problem = check(line, shown, page=str(tmp_path))
        except pytest.skip.Exception as reason:
            skipped.append(str(reason))
            continue
        if problem:
            problems.append(f"`$ {line}`: {problem}")
    assert not problems, f"{page.name} (regenerate with `python docs/cogs.py`):\n" + "\n".join(problems)
    if skipped:
        pytest.skip(f"{len(found) - len(skipped)} of {len(found)} examples ran; " + "; ".join(skipped))


def test_the_readme_shows_every_kind_of_example():
    """The README keeps one example per surface, each a real command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for line, _ in examples(readme)]
    for wanted in ("ketcli compare", "--format jsonl", "ketcli mcp --config", "ketcli brief", "ketcli export sqlite"):
        assert any(wanted in line for line in lines), f"the README has no `$ {wanted} …` example"
    assert all(shlex.split(line)[0] == "ketcli" for line in lines)
