"""Hostile input, third pass (issue 24): the views, the brief, the writers, the cache and
the command line's edges, each with the reproduction that found it."""

from __future__ import annotations

import fcntl
import marshal
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import tomli_w

from ketcli.cli.curate import STARTER

HEAD = 'extends = "bundled"\nschema_version = 1\ndataset_version = "1"\n'
ESCAPES = "\x1b]52;c;RVZJTA==\x07\x1b]0;EVIL\x07"
# Characters a terminal obeys or a page may not hold, raw (what ketcli itself sends, SGR, is allowed)
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def env_for(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("KETCLI_DATA", "CLICOLOR_FORCE", "COLUMNS")}
    env.update(KETCLI_CACHE_DIR=str(tmp_path / "cache"), NO_COLOR="1", **extra)
    return env


def on_a_terminal(tmp_path: Path, *args: str, **extra: str) -> str:
    """stdout of `ketcli ARGS` when stdout is a terminal (a pseudo-terminal)."""
    master, slave = pty.openpty()
    with (tmp_path / "stderr").open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "ketcli", *args], stdout=slave, stderr=err,
                                stdin=subprocess.DEVNULL, env=env_for(tmp_path, **extra))
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the terminal's other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0, (tmp_path / "stderr").read_text()
    return b"".join(chunks).decode("utf-8")


# --- 4: a mechanism's name in the group titles of `mechanism ENTITY` ----------------------

@pytest.fixture
def evil_mechanism(tmp_path) -> Path:
    own = {
        "mechanisms": [{"id": "evilm", "name": f"M {ESCAPES} [bold]x[/]", "scope": "ketamine theory",
                        "treatment": "ketamine", "status": "s", "section": "s", "summary": "s",
                        "pathway": [{"id": "p1", "label": f"Step {ESCAPES} \x9b31m \x00nul \x08", "source": "x"}]}],
        "claims": [{"id": "evc", "text": "An own claim.", "section": "s", "refs": [11], "topic": "mechanism",
                    "stance": "supports", "mechanisms": ["evilm"], "entities": ["bdnf"]}],
    }
    path = tmp_path / "evil.toml"
    path.write_text(HEAD + tomli_w.dumps(own))
    return path


@pytest.mark.parametrize("colour", [{"NO_COLOR": "1"}, {"NO_COLOR": "", "CLICOLOR_FORCE": "1"}])
def test_mechanism_names_in_an_entitys_group_titles_are_inert(run, evil_mechanism, colour):
    r = run("--data", str(evil_mechanism), "mechanism", "bdnf", env=colour)
    assert r.code == 0, r.err
    title = next(line for line in r.out.splitlines() if "Mechanism: M " in line)
    assert "\\x1b]52;c;RVZJTA==\\x07" in title and "[bold]x[/]" in title  # shown, never obeyed
    assert "\x1b]" not in r.out and "\x07" not in r.out


# --- 5: the brief's page and `-o -` on a terminal -----------------------------------------

@pytest.mark.parametrize("graphviz", [True, False])
def test_a_brief_of_data_with_control_characters_parses_and_shows_them(run, evil_mechanism, tmp_path,
                                                                      monkeypatch, graphviz):
    import shutil

    import html5lib

    if graphviz and shutil.which("dot") is None:
        pytest.skip("Graphviz (dot) is not installed")
    if not graphviz:
        monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    page = tmp_path / "b.html"
    r = run("--data", str(evil_mechanism), "brief", "ketamine", "--pathway", "evilm", "-o", str(page))
    assert r.code == 0, r.err
    text = page.read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(text)  # an invalid code point is a parse error
    assert not RAW.search(text.replace("\n", "").replace("\t", ""))
    assert "\\x1b]52;c;RVZJTA==\\x07" in text  # the data's text, shown as its escape


def test_a_brief_to_stdout_on_a_terminal_is_inert(tmp_path, evil_mechanism):
    out = on_a_terminal(tmp_path, "--data", str(evil_mechanism), "brief", "ketamine", "--pathway", "evilm",
                        "-o", "-", PATH=str(tmp_path / "no-tools"))
    assert "<!DOCTYPE html>" in out or "<html" in out
    assert not RAW.search(out.replace("\r", "").replace("\n", "").replace("\t", ""))
    assert "\\x1b]52;c;RVZJTA==\\x07" in out


# --- 6: a cache entry with sound checksums and the wrong shape ----------------------------

def _craft(cache_dir: Path, change) -> None:
    """Rewrite every dataset entry in place (its alias shares the inode) with `change(data)`."""
    from ketcli.data import cache
    from ketcli.data.dataset import load

    full = dict(load(use_cache=False).raw)
    for entry in cache_dir.glob("*.bin"):
        if "+search-" in entry.name:
            continue
        blob = entry.read_bytes()
        size = int.from_bytes(blob[len(cache.MAGIC): len(cache.MAGIC) + 4], "little")
        source = marshal.loads(blob[cache.HEADER: cache.HEADER + size])[3]
        bad = change(dict(full))
        with entry.open("r+b") as handle:
            handle.truncate(0)
            handle.write(cache._payload(bad, source))


def _no_names(data: dict) -> dict:
    data["treatments"] = [{k: v for k, v in t.items() if k != "name"} for t in data["treatments"]]
    data["claims"] = [{**c, "refs": 11} for c in data["claims"]]
    return data


def _missing(data: dict) -> dict:
    del data["events"], data["claims"], data["references"]
    return data


@pytest.mark.parametrize("change", [_no_names, _missing])
@pytest.mark.parametrize("args", [["compare", "ketamine", "ect"], ["timeline"], ["mechanism", "opioid"],
                                  ["cite", "11"], ["search", "ketamine"], ["treatment", "ketamine"]])
def test_a_cache_entry_of_the_wrong_shape_is_rebuilt(run, tmp_path, monkeypatch, change, args):
    from ketcli.data import cache

    monkeypatch.setattr(cache, "RACY_NS", 0)  # the stat-key alias is made and read too
    want = run(*args)
    _craft(tmp_path / "cache", change)
    got = run(*args)
    assert (got.code, got.out) == (want.code, want.out), got.err
    assert run(*args).out == want.out  # the entry was replaced by a sound one


# --- 9: an output that is an input or the other output ------------------------------------

@pytest.fixture
def own(tmp_path) -> Path:
    path = tmp_path / "own.toml"
    path.write_text(STARTER)
    return path


@pytest.mark.parametrize("args", [
    ["--data", "{own}", "export", "sqlite", "{own}"],
    ["--data", "{own}", "brief", "ketamine", "-o", "{own}"],
    ["--data", "{own}", "cite", "11", "--output", "{own}", "--format", "bibtex"],
    ["--data", "{own}", "cite", "11", "--output", "{link}", "--format", "bibtex"],
    ["--data", "{own}", "brief", "ketamine", "-o", "{dotted}"],
    ["cite", "11", "--output", "{bundled}", "--format", "bibtex"],
])
def test_an_output_that_is_an_input_is_refused(run, own, tmp_path, args):
    from ketcli.data.dataset import bundled_path

    (tmp_path / "sub").mkdir()
    os.link(own, tmp_path / "hard.toml")
    values = {"own": own, "link": tmp_path / "hard.toml", "dotted": tmp_path / "sub" / ".." / "own.toml",
              "bundled": bundled_path()}
    before = {p: p.read_bytes() for p in (own, bundled_path())}
    try:
        r = run(*[a.format(**values) for a in args])
    finally:
        after = {p: p.read_bytes() for p in before}
        for path, content in before.items():  # a ketcli that replaced them (the bug) must not harm the checkout
            if after[path] != content:
                path.write_bytes(content)
    assert r.code == 4 and r.out == "", r.err
    assert "is the dataset being read" in r.err and r.err.count("\n") == 1
    assert after == before


def test_the_metadata_cannot_be_the_database(run, tmp_path):
    db = tmp_path / "x.db"
    r = run("export", "sqlite", str(db), "--metadata", str(tmp_path / "." / "x.db"))
    assert r.code == 4 and "is also the other output" in r.err
    assert not db.exists()
    assert run("export", "sqlite", str(db), "--metadata", str(tmp_path / "x.json")).code == 0


def test_the_dataset_named_by_the_environment_is_an_input_too(run, own):
    r = run("cite", "11", "--output", str(own), "--format", "bibtex", env={"KETCLI_DATA": str(own)})
    assert r.code == 4 and own.read_text() == STARTER


# --- 11: temporary files of killed writers ----------------------------------------------

def test_stale_temporary_files_of_the_same_target_are_removed_on_the_next_write(run, tmp_path):
    stale = [tmp_path / ".refs.bib.0123456789ab.tmp", tmp_path / ".refs.bib.abcdefabcdef.tmp"]
    others = [tmp_path / ".other.bib.0123456789ab.tmp", tmp_path / ".refs.bib.notours.tmp"]
    for path in stale + others:
        path.write_text("half a file")
    live = tmp_path / ".refs.bib.fedcba987654.tmp"  # a writer still at work holds its lock
    holder = subprocess.Popen([sys.executable, "-c", "import fcntl, os, sys, time\n"
                               f"fd = os.open({str(live)!r}, os.O_RDWR | os.O_CREAT)\n"
                               "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(60)\n"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        r = run("cite", "11", "--output", str(tmp_path / "refs.bib"))
        assert r.code == 0, r.err
        assert not any(p.exists() for p in stale)
        assert all(p.exists() for p in others) and live.exists()
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_writer_leaves_a_file_the_next_write_removes(tmp_path):
    """The writer itself killed between creating and renaming its temporary file."""
    script = ("import os, signal\nfrom pathlib import Path\nfrom ketcli.data import files\n"
              "real = os.replace\n"
              "def die(*a):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
              "files.os.replace = die\n"
              f"files.replace(Path({str(tmp_path / 'out.txt')!r}), b'new')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == -9
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".out.txt.")]
    assert len(left) == 1
    from ketcli.data import files

    files.replace(tmp_path / "out.txt", b"again")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    assert fcntl  # the lock the writers hold is flock(2)


# --- 12, 14, 15, 17: the command line's edges ---------------------------------------------

@pytest.mark.parametrize("columns", ["999999999999999999999", "²", "99999999"])
def test_any_columns_value_gives_an_answer(run, columns):
    r = run("compare", "ketamine", "ect", env={"COLUMNS": columns})
    assert r.code == 0, r.err
    assert "Ketamine" in r.out and max(len(line) for line in r.out.splitlines()) <= 1000


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["-h"], ["data", "--help"], ["compare", "--help"]])
def test_help_and_version_into_a_pipe_closed_early_exit_0(tmp_path, args):
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-m", "ketcli", *args], stdout=write, stderr=subprocess.PIPE,
                              env=env_for(tmp_path), timeout=60)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, b"")


def test_a_float_schema_version_is_refused(run, tmp_path):
    path = tmp_path / "float.toml"
    path.write_text(HEAD.replace("schema_version = 1", "schema_version = 1.0"))
    r = run("validate", str(path))
    assert r.code == 3
    assert "schema_version: Value error, should be the integer 1, not the float 1.0" in r.out


@pytest.mark.parametrize("command", ["compare", "side-effects", "sof"])
@pytest.mark.parametrize("names", [[""], ["ketamine", " "]])
def test_an_empty_treatment_name_is_a_usage_error(run, command, names):
    r = run(command, *names)
    assert r.code == 2 and r.out == ""
    assert "a treatment name cannot be empty" in r.err


# --- 13: a long BibTeX field --------------------------------------------------------------

def test_a_long_bibtex_field_is_refused_before_its_latex_is_decoded(run, own, tmp_path):
    bib = tmp_path / "long.bib"
    bib.write_text("@article{k, author={Doe, J}, title={" + "x {\\\"u} " * 200_000 + "}, year={2025}}\n")
    started = time.monotonic()
    r = run("data", "import", str(own), str(bib))
    elapsed = time.monotonic() - started
    assert r.code == 4 and "title: String should have at most 20000 characters" in r.err
    assert own.read_text() == STARTER
    assert elapsed < 20, elapsed  # was minutes: pylatexenc decoded the 1.6 MB first
