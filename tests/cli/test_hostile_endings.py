"""Hostile runs of the installed command: every ending a documented code and one line on
stderr, never a traceback; writes that cannot report still tell the truth."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ketcli.cli.curate import STARTER

KETCLI = shutil.which("ketcli", path=str(Path(sys.executable).parent)) or "ketcli"


def ketcli(*args: str, stdin=subprocess.DEVNULL, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}  # the session's warm cache (tests/conftest.py)
    env.pop("KETCLI_DATA", None)
    return subprocess.run([KETCLI, *args], capture_output=True, text=True, env=env, stdin=stdin, timeout=60, **kwargs)


def one_line(err: str) -> bool:
    return "Traceback" not in err and len(err.strip().splitlines()) == 1 and err.startswith("ketcli: error: ")


def mine(tmp_path: Path, bom: bool = False) -> Path:
    path = tmp_path / "mine.toml"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + STARTER.encode())
    return path


@pytest.mark.slow
@pytest.mark.parametrize("args", [["--help"], ["compare", "--help"], ["schema", "compare"], ["--version"],
                                  ["compare", "ketamine", "--json"], ["data", "add", "claim", "--help"]])
def test_output_to_a_full_disk_is_exit_4(args):
    with open("/dev/full", "w") as full:
        env = dict(os.environ)  # the session's warm cache (tests/conftest.py)
        done = subprocess.run([KETCLI, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=60)
    assert done.returncode == 4, done.stderr
    assert one_line(done.stderr) and "cannot write the output" in done.stderr


def test_stdout_closed_is_exit_4_and_nothing_is_done(tmp_path):
    path = mine(tmp_path)
    before = path.read_bytes()
    env = dict(os.environ)  # the session's warm cache (tests/conftest.py)
    done = subprocess.run(f'"{KETCLI}" data add claim "{path}" --text "A claim." --ref 11 >&-', shell=True,
                          stderr=subprocess.PIPE, text=True, env=env, timeout=60)
    assert done.returncode == 4 and one_line(done.stderr) and "standard output is closed" in done.stderr
    assert path.read_bytes() == before


def test_import_from_a_closed_stdin_is_a_usage_error(tmp_path):
    path = mine(tmp_path)
    env = dict(os.environ)  # the session's warm cache (tests/conftest.py)
    done = subprocess.run(f'"{KETCLI}" data import "{path}" - <&-', shell=True, capture_output=True, text=True,
                          env=env, timeout=60)
    assert done.returncode == 2 and one_line(done.stderr) and "standard input is closed" in done.stderr


def interrupted(delay: float, env: dict) -> tuple[int | None, str]:
    """`ketcli compare ketamine` sent SIGINT `delay` s after ketcli's own code began: after its
    entry module is imported, the first import of click, typer or ketcli that follows (seen by
    Python's -X importtime lines on stderr) is main() loading the app, its handler set. A
    fixed delay from the start would, on a loaded machine, land in the interpreter's own
    start, which is before ketcli and not its to handle.

    stderr is read with os.read, not through a file object: communicate() reads the pipe's
    descriptor, so text a file object had buffered past the line that ended the wait would
    be lost (CI once saw an import-time line cut in two that way)."""
    proc = subprocess.Popen([KETCLI, "compare", "ketamine"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**env, "PYTHONPROFILEIMPORTTIME": "1"})
    assert proc.stderr is not None
    seen = b""
    while not ketcli_loads_its_app(seen.split(b"\n")[:-1]):
        chunk = os.read(proc.stderr.fileno(), 65536)
        if not chunk:
            break
        seen += chunk
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=60)
    lines = (seen + rest).decode().splitlines(True)
    return proc.returncode, "".join(x for x in lines if not x.startswith("import time:"))


def ketcli_loads_its_app(lines: list[bytes]) -> bool:
    entered = False
    for line in lines:
        module = line.decode().rsplit("|", 1)[-1].strip()
        if entered and module.split(".")[0] in ("click", "typer", "ketcli"):
            return True
        entered = entered or module == "ketcli.cli.entry"
    return False


@pytest.mark.slow
def test_ctrl_c_once_ketcli_runs_is_one_line_and_130():
    env = dict(os.environ)  # the session's warm cache (tests/conftest.py)
    endings = [interrupted(delay, env) for delay in (0, 0.02, 0.04, 0.06)]  # typer's import on, then the command
    for code, err in endings:
        assert "Traceback" not in err
        assert code == 0 or (code == 130 and err == "ketcli: error: interrupted\n"), (code, err)
    print("endings:", [code for code, _ in endings])


@pytest.mark.parametrize("args", [["compare", "--bogus"], ["cite", "--format", "nope"], ["nope"],
                                  ["search"], ["compare", "--json", "--format", "csv"]])
def test_usage_errors_are_one_line(args):
    done = ketcli(*args)
    assert done.returncode == 2 and one_line(done.stderr), done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("ref", ["²", "1" * 5000, "1-" + "9" * 5000])
def test_odd_reference_numbers_are_not_found_or_usage(run, ref):
    r = run("cite", ref)
    assert r.code in (1, 2) and "internal error" not in r.err and len(r.err) < 300


def test_a_symlink_loop_as_data_is_exit_3(run, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    r = run("--data", str(tmp_path / "a"), "compare", "ketamine")
    assert r.code == 3 and "internal error" not in r.err


@pytest.mark.parametrize("command", [["data", "add", "claim", "{f}", "--text", "A claim.", "--ref", "11"],
                                     ["data", "import", "{f}", "{bib}"]])
def test_writes_to_a_file_with_a_byte_order_mark(run, tmp_path, command):
    path = mine(tmp_path, bom=True)
    bib = tmp_path / "r.bib"
    bib.write_text("@article{x, title={T}, author={Doe, J}, year={2025}}\n")
    r = run(*[a.format(f=path, bib=bib) for a in command])
    assert r.code == 0, r.err
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert run("validate", str(path)).code == 0


def test_a_lost_json_report_is_said_truthfully_and_a_retry_adds_nothing(tmp_path):
    path = mine(tmp_path)
    args = ["data", "add", "claim", str(path), "--text", "A retried claim.", "--ref", "11", "--json"]
    env = dict(os.environ)  # the session's warm cache (tests/conftest.py)
    with open("/dev/full", "w") as full:
        first = subprocess.run([KETCLI, *args], stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=60)
    assert first.returncode == 4
    assert "added claim 'a-retried-claim'" in first.stderr and "could not be written" in first.stderr
    again = ketcli(*args)
    assert again.returncode == 0, again.stderr
    import json

    report = json.loads(again.stdout)
    assert report["written"] is False and report["claim"]["id"] == "a-retried-claim"
    assert path.read_text().splitlines().count("[[claims]]") == 1


def test_validate_prints_one_line_per_problem_at_any_width_with_the_files_own_index(run, tmp_path):
    path = mine(tmp_path)
    with path.open("a") as handle:
        for i, ref in enumerate((11, 99, 98)):
            handle.write(f'\n[[claims]]\nid = "c{i}"\ntext = "A long enough claim text for a narrow terminal {i}."\n'
                         f'section = "s"\ntopic = "efficacy"\nrefs = [{ref}]\n')
    for columns in ("30", "59", "200"):
        r = run("validate", str(path), env={"COLUMNS": columns})
        assert r.code == 3
        lines = r.out.splitlines()
        assert lines[-1] == "2 problem(s)"
        assert [line.split(": ", 1)[1] for line in lines[:-1]] == [
            "claims[1] ('c1'): cites reference 99, which is not in the reference list",
            "claims[2] ('c2'): cites reference 98, which is not in the reference list",
        ]
        assert all(line.startswith(f"{path}:") for line in lines[:-1])


@pytest.mark.parametrize("values", ["low = 0\nhigh = 0", "low = nan\nhigh = nan", "low = inf\nhigh = inf",
                                    "low = 1e15\nhigh = 1e15", "low = -inf\nhigh = 5", "low = 1e308\nhigh = 1.7e308"])
def test_compare_chart_on_any_value_that_passes_validation(run, tmp_path, values):
    path = tmp_path / "chart.toml"
    path.write_text('extends = "bundled"\nschema_version = 1\ndataset_version = "1"\n[[treatments]]\nid = "xd"\n'
                    'name = "Xd"\nkind = "drug"\nsummary = "s"\n[[table1]]\ntreatment = "xd"\n'
                    f'dimension = "accessibility"\ntext = "T"\n[table1.value]\n{values}\nunit = "USD"\n')
    for names in (["xd"], ["xd", "ketamine"]):
        r = run("--data", str(path), "compare", *names, "--chart")
        assert r.code == 0, r.err
        assert "Accessibility (USD)" in r.out


def test_the_bibtex_parsers_own_messages_do_not_reach_stderr(tmp_path):
    path = mine(tmp_path)
    bib = tmp_path / "bad.bib"
    bib.write_text('@article{x, title={T}, author={Doe, J}, year={2025}\n@article{y, title = "open, year=2020}\n')
    done = ketcli("data", "import", str(path), str(bib))
    assert done.returncode == 2 and one_line(done.stderr), done.stderr
    assert "Parsing of" not in done.stderr
