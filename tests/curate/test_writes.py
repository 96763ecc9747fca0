"""writes.py: appended TOML, validation before writing, and faults that must leave the file as it was."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import tomllib
from pathlib import Path

import pytest

from ketcli.curate import writes
from ketcli.cli.curate import STARTER
from ketcli.data.dataset import Data
from ketcli.errors import DatasetError, WriteError

PYTHON = sys.executable


def own_file(tmp_path: Path, text: str = STARTER, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def claim(ident: str, **extra) -> dict:
    return {"id": ident, "text": f"Claim {ident}.", "section": "own dataset", "refs": [11],
            "topic": "efficacy", **extra}


def temp_files(directory: Path) -> list[str]:
    return sorted(n for n in os.listdir(directory) if ".ketcli-" in n)


def subprocess_env(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "KETCLI_DATA"}
    env.update(KETCLI_CACHE_DIR=str(tmp_path / "cache"), PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1", **extra)
    return env


def ketcli(*args: str) -> list[str]:
    return [PYTHON, "-m", "ketcli", *args]


# --- rendering ----------------------------------------------------------------------

def test_render_writes_arrays_of_tables_with_nested_tables_under_their_parent():
    records = {"claims": [
        {"id": "a", "text": "A", "trial": None, "refs": [1, 2],
         "quantities": [{"label": "q1", "value": 1.5, "arm": None}, {"label": "q2", "n": 3}]},
        {"id": "b", "text": "B"},
    ], "table1": [{"treatment": "x", "dimension": "onset", "text": "t", "value": {"low": 1, "high": 2, "unit": "%"}}]}
    text = writes.render(records)
    assert "[[claims]]" in text and "[[claims.quantities]]" in text and "[table1.value]" in text
    assert "table1 = " not in text and "claims = " not in text  # never an inline array at the top
    assert "refs = [1, 2]" in text
    assert "trial" not in text and "arm" not in text  # None is left out: TOML has no null
    parsed = tomllib.loads(text)
    assert parsed["claims"][0]["quantities"] == [{"label": "q1", "value": 1.5}, {"label": "q2", "n": 3}]
    assert parsed["claims"][1] == {"id": "b", "text": "B"}
    assert parsed["table1"][0]["value"] == {"low": 1, "high": 2, "unit": "%"}


def test_render_escapes_control_characters_and_quotes():
    hostile = 'a"b\\c\x1b[31m\x07\u202e\nend'
    text = writes.render({"claims": [{"id": "x", "text": hostile}]})
    assert "\x1b" not in text and "\x07" not in text
    assert tomllib.loads(text)["claims"][0]["text"] == hostile


def test_render_after_existing_tables_keeps_the_new_records_separate():
    old = '[[claims]]\nid = "old"\n[[claims.quantities]]\nlabel = "x"\n[claims.extra]\nk = 1'.encode()
    new = writes.joined(old, writes.render({"claims": [{"id": "new", "quantities": [{"label": "y"}]}]}))
    parsed = tomllib.loads(new.decode())
    assert [c["id"] for c in parsed["claims"]] == ["old", "new"]
    assert parsed["claims"][0]["quantities"] == [{"label": "x"}]
    assert parsed["claims"][1]["quantities"] == [{"label": "y"}]


@pytest.mark.parametrize("old, start", [
    (b"", b"[[claims]]"),
    (b"a = 1", b"a = 1\n\n[[claims]]"),
    (b"a = 1\n", b"a = 1\n\n[[claims]]"),
    (b"a = 1\n\n", b"a = 1\n\n[[claims]]"),
    (b"a = 1 # no newline at the end", b"a = 1 # no newline at the end\n\n[[claims]]"),
    (b"a = 1\r\nb = 2\r\n", b"a = 1\r\nb = 2\r\n\r\n[[claims]]\r\n"),
])
def test_joined_keeps_the_old_bytes_and_the_line_endings(old, start):
    new = writes.joined(old, writes.render({"claims": [{"id": "x", "refs": [1]}]}))
    assert new.startswith(old) and new.startswith(start)
    if b"\r\n" in old:
        assert b"\n" not in new.replace(b"\r\n", b"")
    assert tomllib.loads(new.decode())["claims"] == [{"id": "x", "refs": [1]}]


# --- append -----------------------------------------------------------------------------

def test_append_adds_records_checked_against_the_combined_dataset(tmp_path):
    path = own_file(tmp_path)
    old = path.read_bytes()
    seen = {}

    def make(data: Data):
        seen["refs"] = len(data["references"])
        return {"claims": [claim("own-a")]}

    added = writes.append(str(path), make)
    assert added == {"claims": [claim("own-a")]}
    assert seen["refs"] == 34  # make saw the bundled references too
    new = path.read_bytes()
    assert new.startswith(old)
    assert tomllib.loads(new.decode())["claims"] == [claim("own-a")]
    assert temp_files(tmp_path) == []


def test_append_with_nothing_to_add_writes_nothing(tmp_path):
    path = own_file(tmp_path)
    before = path.stat()
    assert writes.append(str(path), lambda data: {"claims": []}) == {}
    after = path.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


@pytest.mark.parametrize("record, problem", [
    (claim("bad-ref", refs=[999]), "cites reference 999"),
    (claim("bad-treatment", treatments=["no-such-treatment"]), "no treatment with id 'no-such-treatment'"),
    (claim("abstract-nmdar-primary"), "is already used by the bundled dataset"),  # a bundled claim's id
    (claim("bad-stance", stance="maybe"), "stance"),
    (claim("bad-field", colour="red"), "colour"),
    ({**claim("empty-text"), "text": ""}, "text"),
])
def test_a_record_that_would_make_the_dataset_invalid_is_refused(tmp_path, record, problem):
    path = own_file(tmp_path)
    old = path.read_bytes()
    with pytest.raises(WriteError) as caught:
        writes.append(str(path), lambda data: {"claims": [record]})
    assert caught.value.code == 4
    assert "refused" in caught.value.message and "unchanged" in caught.value.message
    assert problem in caught.value.message + "\n".join(caught.value.problems)
    assert path.read_bytes() == old
    assert temp_files(tmp_path) == []


def test_an_inline_array_in_the_file_is_refused_with_a_hint(tmp_path):
    path = own_file(tmp_path, STARTER + "claims = []\n")
    old = path.read_bytes()
    with pytest.raises(WriteError) as caught:
        writes.append(str(path), lambda data: {"claims": [claim("own-a")]})
    assert "claims = [...]" in caught.value.message
    assert path.read_bytes() == old


def test_an_invalid_file_is_a_dataset_error_and_stays_as_it_was(tmp_path):
    path = own_file(tmp_path, STARTER + "\n[[claims]]\nid = 'x'\n")
    old = path.read_bytes()
    called = []
    with pytest.raises(DatasetError):
        writes.append(str(path), lambda data: called.append(1) or {})
    assert called == [] and path.read_bytes() == old


def test_a_file_that_is_not_regular_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    with pytest.raises(DatasetError, match="not a regular file"):
        writes.append(str(fifo), lambda data: {})
    with pytest.raises(DatasetError, match="is a directory"):
        writes.append(str(tmp_path), lambda data: {})
    with pytest.raises(DatasetError, match="no such dataset file"):
        writes.append(str(tmp_path / "missing.toml"), lambda data: {})


def test_the_bundled_dataset_is_never_written(tmp_path):
    from ketcli.data.dataset import bundled_path

    old = bundled_path().read_bytes()
    with pytest.raises(WriteError, match="bundled dataset"):
        writes.append(str(bundled_path()), lambda data: {"claims": [claim("x")]})
    assert bundled_path().read_bytes() == old


def test_a_read_only_file_is_not_replaced(tmp_path):
    path = own_file(tmp_path)
    path.chmod(0o444)
    old = path.read_bytes()
    with pytest.raises(WriteError, match="read-only"):
        writes.append(str(path), lambda data: {"claims": [claim("x")]})
    assert path.read_bytes() == old and (path.stat().st_mode & 0o777) == 0o444


def test_mode_and_symlink_are_kept(tmp_path):
    real = own_file(tmp_path, name="real.toml")
    real.chmod(0o640)
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    writes.append(str(link), lambda data: {"claims": [claim("via-link")]})
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (real.stat().st_mode & 0o777) == 0o640
    assert "via-link" in real.read_text()


# --- faults --------------------------------------------------------------------------

def _fail_after(monkeypatch, name: str, exc: OSError, partial: bool = False):
    real = getattr(os, name)
    calls = []

    def failing(fd, *args):
        calls.append(fd)
        if partial and name == "write":
            data = args[0]
            real(fd, data[: max(1, len(data) // 2)])  # half of it lands in the temp file first
        raise exc

    monkeypatch.setattr(writes.os, name, failing)
    return calls


@pytest.mark.parametrize("name, err, words", [
    ("write", errno.ENOSPC, "no space left"),
    ("write", errno.EDQUOT, "quota"),
    ("write", errno.EFBIG, "file too large"),
    ("fsync", errno.EIO, "input/output error"),
    ("replace", errno.EACCES, "permission denied"),
])
def test_a_failing_write_leaves_the_file_and_no_temporary_file(tmp_path, monkeypatch, name, err, words):
    path = own_file(tmp_path)
    old = path.read_bytes()
    _fail_after(monkeypatch, name, OSError(err, os.strerror(err)), partial=True)
    with pytest.raises(WriteError) as caught:
        writes.append(str(path), lambda data: {"claims": [claim("own-a")]})
    monkeypatch.undo()
    assert caught.value.code == 4 and words in caught.value.message and "unchanged" in caught.value.message
    assert path.read_bytes() == old
    assert temp_files(tmp_path) == []


def test_enospc_mid_write_through_the_command_exits_4(run, tmp_path, monkeypatch):
    path = own_file(tmp_path)
    old = path.read_bytes()
    _fail_after(monkeypatch, "write", OSError(errno.ENOSPC, "No space left on device"), partial=True)
    r = run("data", "add", "claim", str(path), "--text", "Lands nowhere.", "--ref", "11")
    monkeypatch.undo()
    assert r.code == 4, r.err
    assert "no space left" in r.err and "Traceback" not in r.err and r.out == ""
    assert len(r.err.strip().splitlines()) == 1
    assert path.read_bytes() == old and temp_files(tmp_path) == []


def test_a_file_size_limit_mid_write_exits_4_and_leaves_the_file(tmp_path):
    path = own_file(tmp_path)
    old = path.read_bytes()
    blocks = len(old) // 1024 + 1  # room for the old file, not for the new one
    command = ketcli("data", "add", "claim", str(path), "--text", "Long claim " + "x" * 3000, "--ref", "11")
    r = subprocess.run(["bash", "-c", f'ulimit -f {blocks}; exec "$@"', "bash", *command],
                       env=subprocess_env(tmp_path, KETCLI_CACHE="0"), capture_output=True, text=True, timeout=60)
    assert r.returncode == 4, (r.returncode, r.stderr)
    assert "file too large" in r.stderr and "Traceback" not in r.stderr
    assert path.read_bytes() == old
    assert temp_files(tmp_path) == []


def _can_mount_tmpfs() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=16k tmpfs /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs root and unshare to mount a small tmpfs")
def test_a_really_full_disk_exits_4_and_leaves_the_file(tmp_path):
    """A 64 KiB tmpfs in a private mount namespace (gone when the command ends), filled
    up to one free page, so the new file runs out of space half way through."""
    mount = tmp_path / "small"
    mount.mkdir()
    script = textwrap.dedent("""
        set -u
        mount -t tmpfs -o size=64k tmpfs "$DIR"
        printf '%s' "$STARTER" > "$DIR/mine.toml"
        cp "$DIR/mine.toml" "$DIR/before"
        dd if=/dev/zero of="$DIR/fill" bs=1024 2>/dev/null
        truncate -s -4096 "$DIR/fill"
        "$@"
        echo "rc=$?"
        cmp -s "$DIR/mine.toml" "$DIR/before" && echo same
        ls -a "$DIR"
    """)
    command = ketcli("data", "add", "claim", str(mount / "mine.toml"), "--text", "Claim " + "y" * 6000, "--ref", "11")
    env = subprocess_env(tmp_path, KETCLI_CACHE="0", DIR=str(mount), STARTER=STARTER)
    r = subprocess.run(["unshare", "-m", "bash", "-c", script, "bash", *command],
                       env=env, capture_output=True, text=True, timeout=60)
    assert "rc=4" in r.stdout, (r.stdout, r.stderr)
    assert "no space left" in r.stderr and "Traceback" not in r.stderr
    assert "same" in r.stdout.splitlines()
    assert ".ketcli-" not in r.stdout


KILL_WRAPPER = """
import os, sys, time
real_fsync = os.fsync
def slow_fsync(fd):
    real_fsync(fd)
    sys.stderr.write("IN-FSYNC\\n"); sys.stderr.flush()
    time.sleep(60)
os.fsync = slow_fsync
sys.argv = ["ketcli", *sys.argv[1:]]
from ketcli.cli.entry import main
main()
"""


@pytest.mark.slow
def test_a_writer_killed_mid_write_leaves_the_file_and_the_next_write_lands(tmp_path):
    path = own_file(tmp_path)
    old = path.read_bytes()
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(KILL_WRAPPER)
    env = subprocess_env(tmp_path)
    proc = subprocess.Popen([PYTHON, str(wrapper), "data", "add", "claim", str(path), "--text", "Killed claim.",
                             "--ref", "11"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr.readline().strip() == "IN-FSYNC"  # the new file is written, not yet renamed
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
        proc.stderr.close()
    assert path.read_bytes() == old
    leftovers = temp_files(tmp_path)
    assert len(leftovers) == 1 and b"Killed claim." in (tmp_path / leftovers[0]).read_bytes()
    r = subprocess.run(ketcli("data", "add", "claim", str(path), "--text", "Next claim.", "--ref", "11"),
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    text = path.read_text()
    assert text.startswith(old.decode()) and "Next claim." in text and "Killed claim." not in text
    assert temp_files(tmp_path) == []  # the dead writer's temporary file is cleaned up under the lock


@pytest.mark.slow
def test_parallel_writers_all_land(tmp_path):
    path = own_file(tmp_path)
    env = subprocess_env(tmp_path)
    procs = [subprocess.Popen(ketcli("data", "add", "claim", str(path), "--text", f"Parallel claim number {i}.",
                                     "--ref", "11", "--id", f"parallel-{i}"),
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(8)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _ in results] == [0] * 8, results
    claims = tomllib.loads(path.read_text())["claims"]
    assert sorted(c["id"] for c in claims) == sorted(f"parallel-{i}" for i in range(8))
    assert path.read_text().startswith(STARTER)
    writes.build(path, path.read_bytes())  # still a valid dataset
    assert temp_files(tmp_path) == []


@pytest.mark.slow
def test_parallel_writers_choosing_ids_get_distinct_ones(tmp_path):
    """The id is made from the text under the lock, so the same text with other references
    gets another id (the same claim again is found and not added twice: test_hostile_endings)."""
    path = own_file(tmp_path)
    env = subprocess_env(tmp_path)
    procs = [subprocess.Popen(ketcli("data", "add", "claim", str(path), "--text", "Same text.", "--ref", str(ref)),
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for ref in (11, 12, 13, 14)]
    codes = [p.wait(timeout=120) for p in procs]
    for p in procs:
        p.stderr.close()
    assert codes == [0] * 4
    ids = sorted(c["id"] for c in tomllib.loads(path.read_text())["claims"])
    assert ids == ["same-text", "same-text-2", "same-text-3", "same-text-4"]


def test_a_held_lock_makes_the_writer_wait_then_give_up(tmp_path):
    path = own_file(tmp_path)
    old = path.read_bytes()
    with open(path, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        started = time.monotonic()
        with pytest.raises(WriteError, match="locked"):
            writes.append(str(path), lambda data: {"claims": [claim("x")]}, timeout=0.3)
        assert time.monotonic() - started >= 0.3
    assert path.read_bytes() == old


def test_a_writer_waits_for_the_lock_and_then_lands(tmp_path):
    path = own_file(tmp_path)
    held = open(path, "rb")
    fcntl.flock(held, fcntl.LOCK_EX)
    threading.Timer(0.3, held.close).start()
    started = time.monotonic()
    writes.append(str(path), lambda data: {"claims": [claim("after-wait")]}, timeout=10)
    assert time.monotonic() - started >= 0.25
    assert "after-wait" in path.read_text()


def test_sigxfsz_is_restored_after_a_write(tmp_path):
    before = signal.getsignal(signal.SIGXFSZ)
    writes.append(str(own_file(tmp_path)), lambda data: {"claims": [claim("x")]})
    assert signal.getsignal(signal.SIGXFSZ) == before


# --- create ----------------------------------------------------------------------------

def test_create_never_replaces_anything(tmp_path):
    existing = tmp_path / "a.toml"
    existing.write_bytes(b"mine")
    dangling = tmp_path / "dangling.toml"
    dangling.symlink_to(tmp_path / "elsewhere.toml")
    for target in (existing, dangling, tmp_path):
        with pytest.raises(WriteError, match="already exists"):
            writes.create(str(target), b"new")
    assert existing.read_bytes() == b"mine"
    assert not (tmp_path / "elsewhere.toml").exists()
    with pytest.raises(WriteError, match="no such directory"):
        writes.create(str(tmp_path / "no" / "dir.toml"), b"x")
    assert temp_files(tmp_path) == []


def test_create_without_hard_links_still_never_replaces(tmp_path, monkeypatch):
    def no_link(*args):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(writes.os, "link", no_link)
    writes.create(str(tmp_path / "new.toml"), b"fresh")
    assert (tmp_path / "new.toml").read_bytes() == b"fresh"
    with pytest.raises(WriteError, match="already exists"):
        writes.create(str(tmp_path / "new.toml"), b"other")
    assert (tmp_path / "new.toml").read_bytes() == b"fresh"
    assert temp_files(tmp_path) == []


def test_create_fails_cleanly_on_a_full_disk(tmp_path, monkeypatch):
    _fail_after(monkeypatch, "write", OSError(errno.ENOSPC, "No space left on device"), partial=True)
    with pytest.raises(WriteError, match="no space left"):
        writes.create(str(tmp_path / "new.toml"), b"x" * 10_000)
    monkeypatch.undo()
    assert not (tmp_path / "new.toml").exists() and temp_files(tmp_path) == []


@pytest.mark.slow
def test_racing_inits_make_one_file(tmp_path):
    path = tmp_path / "race.toml"
    env = subprocess_env(tmp_path)
    procs = [subprocess.Popen(ketcli("data", "init", str(path)), env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(4)]
    codes = sorted(p.wait(timeout=120) for p in procs)
    assert codes == [0] + [4] * 3
    assert path.read_text() == STARTER
    assert temp_files(tmp_path) == []
