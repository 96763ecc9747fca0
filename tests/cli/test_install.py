"""The installed entry point, as a user runs it: another folder, pipes, terminals."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def ketcli(*args, cwd, env=None, **kwargs):
    exe = BIN / "ketcli"
    if not exe.exists():
        pytest.skip("the ketcli entry point is not installed in this environment")
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("KETCLI_DATA", None)
    return subprocess.run([str(exe), *args], cwd=cwd, env=full_env, capture_output=True, text=True, **kwargs)


def test_entry_point_works_from_another_folder(tmp_path):
    r = ketcli("compare", "ketamine", "ect", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [t["id"] for t in doc["treatments"]] == ["ketamine", "ect"]
    assert r.stderr == ""


def test_python_dash_m_works(tmp_path):
    r = subprocess.run([sys.executable, "-m", "ketcli", "cite", "11", "--json"], cwd=tmp_path,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["references"][0]["doi"] == "10.1056/NEJMoa2302399"


def test_errors_are_one_line_on_stderr_with_exit_codes(tmp_path):
    cases = {
        ("compare", "ketamine", "nosuchdrug"): 1,
        ("cite", "999"): 1,
        ("--data", "/nonexistent.toml", "compare", "ketamine", "ect"): 3,
        ("compare", "--no-such-option"): 2,
    }
    for args, code in cases.items():
        r = ketcli(*args, cwd=tmp_path)
        assert r.returncode == code, (args, r.stderr)
        assert r.stdout == ""
        assert "Traceback" not in r.stderr


def test_piped_into_head_ends_quietly(tmp_path):
    exe = BIN / "ketcli"
    r = subprocess.run(f"'{exe}' cite | head -n 1", shell=True, cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0
    assert r.stderr == ""
    assert len(r.stdout.splitlines()) == 1


def test_an_ascii_only_terminal_gets_readable_text(tmp_path):
    r = ketcli("compare", "ketamine", "ssri", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
    assert r.returncode == 0, r.stderr
    assert "50%-70%" in r.stdout
    r = ketcli("compare", "ketamine", "--json", cwd=tmp_path, env={"PYTHONIOENCODING": "ascii"})
    assert json.loads(r.stdout)["rows"][1]["cells"][0]["text"] == "50%–70%"


@pytest.mark.slow
def test_the_wheel_ships_the_dataset_and_works_without_the_checkout(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = wheels.glob("ketcli-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        shipped = zf.read("ketcli/data/treatments.toml")
        vocabulary = zf.read("ketcli/data/vocabulary.toml")
    assert shipped == (ROOT / "data" / "treatments.toml").read_bytes()
    assert vocabulary == (ROOT / "data" / "vocabulary.toml").read_bytes()

    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import sys, ketcli; assert ketcli.__file__.startswith(sys.argv[1]), ketcli.__file__; "
        "sys.argv = ['ketcli', 'cite', '11', '--json']; from ketcli.cli.entry import main; main()"
    )
    r = subprocess.run([sys.executable, "-c", code, str(target)], cwd=elsewhere, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(target), "KETCLI_CACHE": "0"})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["references"][0]["key"] == "anand2023"
    search = code.replace("'cite', '11', '--json'", "'search', 'shock', 'therapy', '--json'")
    r = subprocess.run([sys.executable, "-c", search, str(target)], cwd=elsewhere, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(target), "KETCLI_CACHE": "0"})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["also_searched"][0]["terms"] == ["ECT"]  # the vocabulary from the wheel
