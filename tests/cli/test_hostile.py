"""Hostile input: whatever the arguments and the dataset file hold, ketcli answers with a documented
exit code and no traceback, and text from a dataset cannot drive the terminal."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ketcli.cli.app import app
from ketcli.cli.curate import STARTER
from ketcli.data.dataset import bundled_path

RUNNER = CliRunner()
DOCUMENTED = {0, 1, 2, 3, 4}
HYPOTHESIS = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def invoke(args: list[str], **kwargs):
    result = RUNNER.invoke(app, args, **kwargs)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, (args, output[-2000:])
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    return result


@pytest.fixture(scope="module")
def bundled_tree() -> dict:
    return tomllib.loads(bundled_path().read_text(encoding="utf-8"))


# --- arguments ------------------------------------------------------------------------

NAMES = ["ketamine", "ect", "ssri", "tca", "esketamine", "opioid", "nmdar", "bdnf", "anand2023", "KETAMINE", "ket"]
weird_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3000), max_size=20),
    st.sampled_from(NAMES + ["", " ", "-", "--", "-1", "0", "1-", "-5", "5-1", "1-99999", "1-34", "34-1", "11,12",
                             "1e3", "NaN", "١١", "\x1b[31m", "\u202eetamine", "[bold]x[/]", "ö", "x" * 300_000]),
    st.integers(min_value=-10**30, max_value=10**30).map(str),
    st.from_regex(r"-?\d{1,25}-\d{1,25}", fullmatch=True),
)
options = st.sampled_from(["--json", "--format", "--data", "--help", "--bogus", "-h"])


@HYPOTHESIS
@given(command=st.sampled_from(["compare", "mechanism", "cite", "schema", "validate", "nope"]),
       args=st.lists(st.one_of(weird_text, options), max_size=4))
def test_any_arguments_give_a_documented_exit_code(command, args):
    result = invoke([command, *args])
    assert result.exit_code in DOCUMENTED, (command, args, result.exit_code, result.stderr[-500:])
    if result.exit_code and command != "validate":  # validate reports its findings as its result
        assert result.stdout == "" or "Usage" in result.stdout or "--help" in args or "-h" in args


@pytest.fixture
def starter(tmp_path) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(STARTER)
    return path


@HYPOTHESIS
@given(text=weird_text, refs=st.lists(weird_text, max_size=3), names=st.lists(
    st.tuples(st.sampled_from(["--treatment", "--mechanism", "--entity", "--stance", "--evidence", "--topic",
                               "--section", "--id", "--note"]), weird_text), max_size=3))
def test_any_claim_arguments_give_a_documented_exit_code_and_never_a_partial_write(starter, text, refs, names):
    starter.write_text(STARTER)
    args = ["data", "add", "claim", str(starter), "--text", text]
    for ref in refs:
        args += ["--ref", ref]
    for option, value in names:
        args += [option, value]
    result = invoke(args)
    assert result.exit_code in DOCUMENTED, (args, result.stderr[-500:])
    new = starter.read_text()
    if result.exit_code == 0:
        assert new.startswith(STARTER) and new.count("[[claims]]") == STARTER.count("[[claims]]") + 1
        assert "Traceback" not in result.stderr
    else:
        assert new == STARTER and result.stdout == ""


@pytest.mark.slow
@settings(HYPOTHESIS, max_examples=20)
@given(name=st.text(max_size=30).filter(lambda s: "/" not in s and s not in (".", "..")))
def test_any_init_name_gives_a_documented_exit_code(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    existed = os.path.lexists(name) if name and "\x00" not in name else False
    result = invoke(["data", "init", name])
    assert result.exit_code in ({4} if existed else {0, 2, 4}), (name, result.stderr)


@HYPOTHESIS
@given(content=st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(["TY  - JOUR", "ER  - ", "AU  - Doe, J.", "TI  - x", "DO  - 10.1/x", "PY  - 99999",
                              "@article{k,", "author = {Doe, J. and}", "title = {{x}", "doi = {10.1/y}}", "}", "%",
                              "@string{a = \"b\"}", "junk", "SP  - 1", "EP  - ", "  continued"]), max_size=12
             ).map("\n".join)),
       fmt=st.sampled_from([None, "bibtex", "ris"]))
def test_any_import_source_gives_a_documented_exit_code(starter, content, fmt):
    starter.write_text(STARTER)
    source = starter.parent / "source.txt"
    source.write_text(content)
    result = invoke(["data", "import", str(starter), str(source), *(["--format", fmt] if fmt else [])])
    assert result.exit_code in {0, 1, 2, 4}, (content, result.stderr)
    if result.exit_code != 0 or "0 imported" in result.stderr:
        assert starter.read_text() == STARTER


def test_a_huge_name_is_answered_quickly(run):
    import time

    started = time.process_time()  # CPU time: the same on a machine busy with other work
    for command in ("compare", "mechanism", "cite"):
        r = run(command, "x" * 1_000_000)
        assert r.code in (1, 2)
    assert time.process_time() - started < 10


def test_a_huge_name_gives_a_short_error(run):
    r = run("mechanism", "x" * 1_000_000)
    assert r.code == 1 and len(r.err) < 1000


# --- dataset files -----------------------------------------------------------------------

def run_on(path: Path, *command: str):
    return invoke(["--data", str(path), *command])


@pytest.mark.parametrize("name, content", [
    ("empty", b""),
    ("blank", b"   \n\n"),
    ("binary", bytes(range(256)) * 4),
    ("latin-1", "schema_version = 1\ndataset_version = \"é\"\n".encode("latin-1")),
    ("nul", b"schema_version = 1\x00\n"),
    ("not toml", b"<html><body>not a dataset</body></html>"),
    ("json", json.dumps({"schema_version": 1}).encode()),
    ("wrong type", b'extends = "bundled"\nschema_version = 1\ndataset_version = "x"\nreferences = "all of them"\n'),
    ("wrong version", b'extends = "bundled"\nschema_version = 2\ndataset_version = "x"\n'),
    ("version as text", b'extends = "bundled"\nschema_version = "1"\ndataset_version = "x"\n'),
    ("extends other", b'extends = "elsewhere"\nschema_version = 1\ndataset_version = "x"\n'),
    ("no source", b'schema_version = 1\ndataset_version = "x"\n'),
    ("number 0", STARTER.encode() + b'[[references]]\nnumber = 0\nkey = "z"\n'),
    ("number too big", STARTER.encode() + b'[[references]]\nnumber = 100001\nkey = "z"\n'),
    ("number huge", STARTER.encode() + b'[[references]]\nnumber = 9223372036854775807\nkey = "z"\n'),
    ("number float", STARTER.encode() + b'[[references]]\nnumber = 35.5\nkey = "z"\n'),
    ("huge string", STARTER.encode() + b'[[references]]\nnumber = 35\nkey = "z"\ntitle = "' + b"x" * 30_000 + b'"\n'),
    ("bad key", STARTER.encode() + b'[[references]]\nnumber = 35\nkey = "Not A Key"\n'),
    ("duplicate ids", STARTER.encode() + b'[[entities]]\nid = "e1"\nname = "A"\nkind = "drug"\n'
                                         b'[[entities]]\nid = "e1"\nname = "B"\nkind = "drug"\n'),
    ("unknown field", STARTER.encode() + b'[[entities]]\nid = "e1"\nname = "A"\nkind = "drug"\ncolour = 1\n'),
    ("unknown collection", STARTER.encode() + b'[[studies]]\nid = "s"\n'),
    ("deep array", b"x = " + b"[" * 100_000 + b"]" * 100_000 + b"\n"),
    ("deep table", b"x = " + b"{a = " * 50_000 + b"1" + b"}" * 50_000 + b"\n"),
    ("deep header", b"[" + b".".join([b"a"] * 3_000) + b"]\n"),  # tomllib is quadratic in the depth
    ("deep valid nesting", STARTER.encode() + b"[[claims]]\nid = \"c\"\ntext = \"t\"\nsection = \"s\"\ntopic = \"efficacy\"\n"
                                              b"notes = " + b"[" * 500 + b"]" * 500 + b"\n"),
    ("duplicate key", b'schema_version = 1\nschema_version = 1\n'),
])
def test_a_bad_dataset_file_exits_3_with_one_clean_error(tmp_path, name, content):
    path = tmp_path / "data.toml"
    path.write_bytes(content)
    for command in (["compare"], ["cite"], ["mechanism", "opioid"]):
        result = run_on(path, *command)
        assert result.exit_code == 3, (name, command, result.exit_code, result.stderr[:500])
        assert result.stdout == ""
        first = result.stderr.splitlines()[0]
        assert first.startswith("ketcli: error: ") and str(path) in first and len(first) < 600


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "missing.toml", "no such dataset file"),
    (lambda d: d, "is a directory"),
    (lambda d: d / "file.toml" / "below", "cannot read"),
])
def test_a_path_that_is_not_a_dataset_exits_3(tmp_path, make, words):
    (tmp_path / "file.toml").write_text("x = 1\n")
    result = run_on(make(tmp_path), "cite")
    assert result.exit_code == 3 and words in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_dataset_exits_3(tmp_path):
    path = tmp_path / "secret.toml"
    path.write_text(STARTER)
    path.chmod(0)
    result = run_on(path, "cite")
    assert result.exit_code == 3 and "permission denied" in result.stderr


def test_a_fifo_as_dataset_does_not_hang(tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    try:
        r = subprocess.run([sys.executable, "-m", "ketcli", "--data", str(fifo), "cite"], capture_output=True,
                           text=True, timeout=1.5, env={**os.environ, "KETCLI_CACHE": "0"})
    except subprocess.TimeoutExpired:
        pytest.fail("ketcli hung reading a FIFO")
    assert r.returncode == 3


@pytest.mark.slow
@HYPOTHESIS
@given(data=st.data())
def test_mutated_bytes_of_an_own_file_give_0_or_3(tmp_path, data):
    original = (STARTER + '\n[[references]]\nnumber = 35\nkey = "doe2025"\nauthors = ["Doe J"]\ntitle = "T"\n'
                '\n[[claims]]\nid = "own"\ntext = "Own claim."\nsection = "own dataset"\nrefs = [35, 11]\n'
                'topic = "mechanism"\nstance = "supports"\nmechanisms = ["opioid"]\n').encode()
    content = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        at = data.draw(st.integers(0, max(0, len(content) - 1)))
        if kind == "flip" and content:
            content[at] ^= 1 << data.draw(st.integers(0, 7))
        elif kind == "truncate":
            del content[at:]
        elif kind == "insert":
            content[at:at] = data.draw(st.binary(min_size=1, max_size=8))
        elif content:
            del content[at:at + data.draw(st.integers(1, 40))]
    path = tmp_path / "mutated.toml"
    path.write_bytes(bytes(content))
    result = run_on(path, "cite", "--json")
    assert result.exit_code in {0, 3}, (bytes(content)[-300:], result.stderr[:500])
    if result.exit_code == 0:
        json.loads(result.stdout)


def _paths(tree, prefix=()):
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


toml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-2**63, max_value=2**63 - 1),
              st.floats(allow_nan=True), st.text(max_size=30), st.just("x" * 25_000), st.dates(),
              st.sampled_from(["ketamine", "opioid", "nmdar", "", "supports", "bundled"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=3)),
    max_leaves=6,
)


@pytest.mark.slow
@settings(HYPOTHESIS, max_examples=20)
@given(data=st.data())
def test_type_changes_in_a_valid_tree_give_0_or_3(tmp_path, bundled_tree, data):
    tree = copy.deepcopy(bundled_tree)
    paths = list(_paths(tree))
    for _ in range(data.draw(st.integers(1, 3))):
        path = paths[data.draw(st.integers(0, len(paths) - 1))]
        node = tree
        try:
            for step in path[:-1]:
                node = node[step]
            value = data.draw(toml_values)
            if value is None:
                del node[path[-1]]
            else:
                node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    try:
        content = tomli_w.dumps(tree).encode()
    except (TypeError, ValueError):
        return
    file = tmp_path / "changed.toml"
    file.write_bytes(content)
    command = data.draw(st.sampled_from([["compare", "--json"], ["mechanism"], ["cite"]]))
    result = run_on(file, *command)
    assert result.exit_code in {0, 3}, (command, result.stderr[:800])


@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blob=st.binary(max_size=2000))
def test_random_bytes_give_3(tmp_path, blob):
    path = tmp_path / "random.toml"
    path.write_bytes(blob)
    assert run_on(path, "compare").exit_code == 3


# --- text from a dataset is inert ----------------------------------------------------------

HOSTILE = ("[bold red]Loud[/] \x1b[2J\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07click\x1b]8;;\x07 "
           "\x1b]0;title\x07 bell\x07 \x9b31m csi \u202eesrever\u202c \u2066iso\u2069 back\x08space nul\x00 end")


@pytest.fixture
def hostile_file(tmp_path, hostile_records) -> Path:
    own = hostile_records(HOSTILE)
    path = tmp_path / "hostile.toml"
    path.write_text(STARTER + "\n" + tomli_w.dumps(own))
    return path


# rich's own hyperlinks (DOIs when colour is forced): OSC 8 with an id, ended by ST, the URL percent-encoded
RICH_LINK = re.compile(r"\x1b\]8;id=\d+;[^\x00-\x20\x7f-\x9f]*\x1b\\|\x1b\]8;;\x1b\\")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def assert_inert(text: str, shown: bool = True) -> None:
    """No escape, control or bidi character from the data reaches the output raw."""
    if shown:
        assert "[bold red]Loud[/]" in text  # markup shown literally
        assert "\\x1b]8;;https://evil.example\\x07" in text  # the escape shown as text
    rest = SGR.sub("", RICH_LINK.sub("", text))  # what ketcli itself may send, colour and DOI links
    assert "\x1b" not in rest and "\x07" not in rest and "\x9b" not in rest
    assert "\x08" not in rest and "\x00" not in rest
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", rest)


@pytest.mark.parametrize("command", [
    ["mechanism", "opioid"], ["compare", "ketamine", "evil"], ["cite", "35"], ["cite"], ["mechanism"],
])
@pytest.mark.parametrize("colour", ["never", "forced"])
def test_dataset_text_cannot_drive_the_terminal(hostile_file, command, colour):
    env = {"NO_COLOR": "1"} if colour == "never" else {"NO_COLOR": "", "CLICOLOR_FORCE": "1"}
    result = invoke(["--data", str(hostile_file), *command], env=env)
    assert result.exit_code == 0, result.stderr
    assert_inert(result.stdout, shown=command != ["mechanism"])
    if colour == "never":
        assert "\x1b" not in result.stdout
    else:
        assert SGR.search(result.stdout)  # colour is on, and still nothing from the data is live


@pytest.mark.parametrize("command, field", [
    (["mechanism", "opioid", "--json"], lambda d: next(c["text"] for c in d["claims"] if c["id"] == "evil-claim")),
    (["cite", "35", "--json"], lambda d: d["references"][0]["title"]),
    (["compare", "ketamine", "evil", "--json"], lambda d: d["rows"][0]["cells"][1]["text"]),
])
def test_json_keeps_dataset_text_exactly(hostile_file, command, field):
    result = invoke(["--data", str(hostile_file), *command])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout  # escaped as JSON does
    value = field(json.loads(result.stdout))
    assert value.endswith(HOSTILE)


def test_hostile_names_in_errors_are_inert(run, starter):
    for args in (["mechanism", HOSTILE], ["compare", HOSTILE], ["cite", HOSTILE],
                 ["data", "add", "claim", str(starter), "--text", "x", "--ref", "11", "--mechanism", HOSTILE],
                 ["data", "add", "claim", str(starter), "--text", "x", "--ref", "11", "--id", HOSTILE],
                 ["data", "import", str(starter), HOSTILE]):
        r = run(*args)
        assert r.code in (1, 2), (args, r.code)
        assert not UNSAFE.search(r.err.replace("\n", "")), (args, r.err)


def test_hostile_text_in_an_import_report_is_inert(run, starter, tmp_path):
    source = tmp_path / "evil.ris"
    source.write_text(f"TY  - JOUR\nAU  - Evil, E\nTI  - {HOSTILE.replace(chr(0), '')}\nPY  - 2025\nER  - \n")
    r = run("data", "import", str(starter), str(source))
    assert r.code == 0, r.err
    assert not UNSAFE.search(r.err.replace("\n", ""))
    assert "\\x1b]8;;https://evil.example" in r.err


# --- terminals --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def ketcli(cache: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("KETCLI_DATA", "CLICOLOR_FORCE", "NO_COLOR", "COLUMNS")}
    base.update(KETCLI_CACHE_DIR=str(cache), **env)
    return subprocess.run([sys.executable, "-m", "ketcli", *args], env=base, capture_output=True, timeout=60)


@pytest.mark.slow
@pytest.mark.parametrize("env", [
    {"TERM": "dumb"},
    {"PYTHONIOENCODING": "ascii", "LC_ALL": "C", "LANG": "C"},
    {"COLUMNS": "20"},
], ids=["dumb", "ascii", "narrow"])
@pytest.mark.parametrize("command", [["mechanism", "opioid"], ["cite", "11"], ["mechanism"]])
def test_odd_terminals_still_get_readable_output(shared_cache, env, command):
    r = ketcli(shared_cache, *command, **env)
    assert r.returncode == 0, r.stderr
    assert r.stderr == b""
    out = r.stdout.decode("ascii" if env.get("PYTHONIOENCODING") == "ascii" else "utf-8")
    assert "\x1b" not in out
    flat = " ".join(out.split())
    assert {"mechanism": "Opioid", "cite": "Anand"}[command[0]] in flat
    if command == ["mechanism", "opioid"]:
        assert "Lack of opioid" in flat or "opioid" in flat
    if env.get("COLUMNS") == "20":
        assert max(len(line) for line in out.splitlines()) <= 20


def test_a_narrow_terminal_still_shows_the_comparison(shared_cache):
    r = ketcli(shared_cache, "compare", "ketamine", "ect", COLUMNS="20")
    assert r.returncode == 0
    assert "Hours" in r.stdout.decode()


def test_ascii_terminals_get_a_fallback_for_data_commands_too(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(STARTER)
    source = tmp_path / "u.bib"
    source.write_text("@article{m, author = {M{\\\"u}ller, J{\\\"o}rg}, title = {\u03bc-opioid \u2013 ketamine}, year = 2025}\n")
    r = ketcli(tmp_path / "cache", "data", "import", str(path), str(source), PYTHONIOENCODING="ascii", LC_ALL="C")
    assert r.returncode == 0, r.stderr
    r.stderr.decode("ascii")
    assert b"mu-opioid - ketamine" in r.stderr


def _closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """stdout is a pipe whose reader has gone, like `ketcli … | head` after head exits."""
    read, write = os.pipe()
    os.close(read)
    try:
        env = {k: v for k, v in os.environ.items() if k != "KETCLI_DATA"}  # the session's warm cache
        return subprocess.run([sys.executable, "-m", "ketcli", *args], stdout=write, stderr=subprocess.PIPE,
                              env=env, timeout=60)
    finally:
        os.close(write)


@pytest.mark.slow
@pytest.mark.parametrize("command", [["mechanism", "opioid"], ["compare"], ["compare", "--json"]])
def test_a_closed_pipe_ends_quietly(command):
    r = _closed_pipe(*command)
    assert r.stderr == b""
    assert r.returncode in (0, 1)


@pytest.mark.slow
def test_a_closed_pipe_exits_0_for_tables():
    assert _closed_pipe("mechanism", "opioid").returncode == 0


@pytest.mark.slow
def test_a_closed_pipe_exits_0_for_json_and_data_commands(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(STARTER)
    source = tmp_path / "r.ris"
    source.write_text("TY  - JOUR\nAU  - Doe, J\nTI  - T\nPY  - 2025\nER  - \n")
    assert _closed_pipe("cite", "--json").returncode == 0
    r = _closed_pipe("data", "import", str(path), str(source), "--json")
    assert r.returncode == 0 and r.stderr.startswith(b"imported [35]")
    assert "doe2025" in path.read_text()


def test_a_narrow_terminal_keeps_the_trials_and_references(run):
    out = run("compare", "ketamine", "ect", env={"COLUMNS": "40"}).out
    assert "Anand" in out and "55.4%" in out
    assert "[11] Anand A" in out
    assert max(len(line) for line in out.splitlines()) <= 40
