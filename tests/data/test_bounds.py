"""Hostile dataset files: bounded before the TOML parser, strict and length-limited at
validation, located in linear time; the worst shapes run under a memory limit."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketcli.data import bounds
from ketcli.data.dataset import bundled_path
from ketcli.errors import DatasetError

HEAD = 'extends = "bundled"\nschema_version = 1\ndataset_version = "1"\n'
CLAIM = ('[[claims]]\nid = "c{i}"\ntext = 5\nsection = 1\nrefs = ["x"]\ntopic = 3\nstance = 4\nevidence = 5\n\n')

# name → text of a file the standard TOML parser or the validation spent far too much on
WORST = {
    "dotted key, 31,000 parts (62 KB; was ≈ 4 GB)": HEAD + ".".join(["a"] * 31_000) + " = 1\n",
    "table header, 31,000 parts": HEAD + "[" + ".".join(["a"] * 31_000) + "]\n",
    "nested arrays, 50,000 deep": HEAD + "x = " + "[" * 50_000 + "]" * 50_000 + "\n",
    "nested inline tables, 50,000 deep": HEAD + "x = " + "{a=" * 50_000 + "1" + "}" * 50_000 + "\n",
    "a 20 MB quoted key": HEAD + '"' + "k" * 20_000_000 + '" = 1\n',
    "a 5 MB version string": 'extends = "bundled"\nschema_version = 1\ndataset_version = "' + "v" * 5_000_000 + '"\n',
    "an integer of 5,000 digits": HEAD + "[[references]]\nnumber = " + "1" * 5000 + "\n",
    "3,000 badly typed claims (18,000 errors; was 94 s)": HEAD + "".join(CLAIM.format(i=i) for i in range(3000)),
}


def check(text: str) -> None:
    bounds.check(text, "f.toml")


@pytest.mark.parametrize("name", [n for n in WORST if "typed" not in n and "version" not in n])
def test_the_shapes_that_cost_the_parser_most_are_refused_before_parsing(name):
    with pytest.raises(DatasetError) as caught:
        check(WORST[name])
    assert "refused before it is parsed" in caught.value.message
    assert len(caught.value.message) < 200


def test_the_bundled_dataset_and_a_big_one_pass_the_bounds():
    text = bundled_path().read_text(encoding="utf-8")
    check(text)
    started = time.process_time()  # CPU time: the same on a machine busy with other work
    check(text * 20)  # ≈ 4 MB of real shapes
    assert time.process_time() - started < 2


def test_a_file_over_the_size_limit_is_refused_by_its_size(tmp_path, run):
    path = tmp_path / "big.toml"
    with path.open("wb") as handle:
        handle.truncate(bounds.MAX_BYTES + 1)  # sparse: no disk used
    r = run("--data", str(path), "about")
    assert r.code == 3 and "at most 32 MiB" in r.err and "Traceback" not in r.err


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.dictionaries(st.from_regex(r"[a-z_]{1,10}", fullmatch=True),
                       st.one_of(st.text(max_size=50), st.integers(), st.floats(allow_nan=False),
                                 st.lists(st.text(max_size=10), max_size=4), st.booleans()), max_size=6))
def test_whatever_tomli_w_writes_within_the_bounds_passes_them(record):
    import tomli_w

    check(tomli_w.dumps({"claims": [record], "x": {"y": record}}))


def test_strict_types_and_string_limits(tmp_path, run):
    path = tmp_path / "strict.toml"
    path.write_text('extends = "bundled"\nschema_version = true\ndataset_version = "1"\n'
                    '[[claims]]\nid = "c1"\ntext = "x"\nsection = "s"\nrefs = ["11"]\n'
                    f'[[events]]\nid = "e"\nyear = 2000\nwhen = "2000"\nlabel = "{"L" * 30_000}"\nsection = "s"\n')
    r = run("validate", str(path))
    assert r.code == 3
    assert "schema_version: Value error, should be the integer 1, not a boolean" in r.out
    assert "claims[0] ('c1').refs[0]: Input should be a valid integer" in r.out
    assert "at most 20000 characters" in r.out
    assert "LLLLLLLLLL" not in r.out  # the message never quotes the value


def test_messages_quote_a_short_excerpt_of_a_long_key(tmp_path, run):
    path = tmp_path / "key.toml"
    path.write_text(HEAD + '[[claims]]\nid = "c1"\ntext = "x"\nsection = "s"\nrefs = [11]\n'
                    + '"' + "k" * 200 + '" = 1\n')
    r = run("validate", str(path))
    assert r.code == 3 and "kkkkkkkk… (200 characters)" in r.out and "k" * 100 not in r.out


WORST_RUN = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
sys.argv = ["ketcli", "--data", sys.argv[1], "about"]
from ketcli.cli.entry import main
main()
"""


def cpu_of_children() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.mark.slow
@pytest.mark.parametrize("name", list(WORST))
def test_every_worst_shape_ends_in_seconds_under_a_memory_limit(tmp_path, name):
    path = tmp_path / "worst.toml"
    path.write_text(WORST[name], encoding="utf-8")
    limit = 600 * 1024 * 1024  # address space, the interpreter included
    env = {**os.environ, "KETCLI_CACHE_DIR": str(tmp_path / "cache")}
    started = cpu_of_children()  # CPU time: the same on a machine busy with other work
    done = subprocess.run([sys.executable, "-c", WORST_RUN.format(limit=limit), str(path)],
                          capture_output=True, text=True, timeout=60, env=env)
    elapsed = cpu_of_children() - started
    assert done.returncode == 3, done.stderr[-500:]
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert elapsed < 10, elapsed
    assert len(done.stderr) < 20_000


def test_cutting_a_long_word_is_linear():
    from ketcli.render.terminal.layout import wrap

    started = time.process_time()
    lines = wrap([("x" * 2_000_000, "")], 80)
    assert time.process_time() - started < 2
    assert len(lines) == 25_000 and all(len(line[0][0]) == 80 for line in lines)
    assert wrap([("ab宽c", "")], 1) == [[("a", "")], [("b", "")], [("宽", "")], [("c", "")]]
