"""The README is short, answers its questions in one command each, and its Python runs."""

import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
QUESTIONS = README.split("## Questions → commands", 1)[1].split("\n## ", 1)[0]
ASKED = re.findall(r"`(ketcli [^`]+)`", QUESTIONS)


def test_the_readme_is_read_in_five_minutes():
    size = len(README.encode("utf-8"))
    assert size <= 12 * 1024, f"README.md is {size} bytes; the rest belongs in docs/"


def test_the_readme_links_every_guide_and_reference_page():
    for page in sorted((ROOT / "docs").rglob("*.md")):
        name = page.relative_to(ROOT).as_posix()
        if "_build" in page.parts or name == "docs/index.md" or "```{include}" in page.read_text(encoding="utf-8"):
            continue  # the index, and a page that only includes another for Sphinx
        assert f"]({name})" in README, f"the README does not link {name}"


@pytest.mark.parametrize("line", ASKED)
def test_every_question_in_the_readme_is_answered_in_one_command(run, line, tmp_path, monkeypatch):
    assert len(ASKED) >= 8
    monkeypatch.chdir(tmp_path)  # `--output opioid.ris` writes here
    r = run(*shlex.split(line)[1:])
    assert r.code == 0, (line, r.err)
    assert r.out.strip() or list(tmp_path.iterdir())


@pytest.mark.parametrize("page", ["README.md", "docs/notebooks.md"])
def test_the_python_examples_run_and_print_what_their_comments_say(page, tmp_path, monkeypatch, capsys):
    """Each ```python block runs; a `print(…)  # text` line prints `text`."""
    text = (ROOT / page).read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.M | re.S)
    assert blocks, f"{page} has no Python example"
    monkeypatch.chdir(tmp_path)
    for code in blocks:
        exec(compile(code, page, "exec"), {})
        printed = capsys.readouterr().out.splitlines()
        shown = [line.split("# ", 1)[1] for line in code.splitlines() if line.lstrip().startswith("print(")]
        assert printed == shown
