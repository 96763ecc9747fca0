"""ketcli's JSON text is json.dumps(…, indent=2)'s, byte for byte, without importing json."""

import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketcli.render.jsontext import dumps

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True)
           | st.text())
keys = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5)
                         | st.dictionaries(keys, inner, max_size=5), max_leaves=40)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(documents, st.booleans())
def test_the_text_is_json_dumps_indent_2(document, ensure_ascii):
    assert dumps(document, ensure_ascii=ensure_ascii) == json.dumps(document, indent=2, ensure_ascii=ensure_ascii)


def test_escapes_and_non_ascii_as_json_writes_them():
    document = {"text": 'μ–"\\\n\t\x00\u2028\U0001f600\ud800', "empty": {}, "none": [], "n": [1, 2.5, -0.0, 1e300]}
    for ensure_ascii in (True, False):
        assert dumps(document, ensure_ascii) == json.dumps(document, indent=2, ensure_ascii=ensure_ascii)


def test_what_json_cannot_write_is_refused_as_json_refuses_it():
    with pytest.raises(TypeError):
        dumps({"a": object()})


@pytest.mark.parametrize("args", [["compare", "ketamine", "ect"], ["mechanism", "nmdar"], ["cite", "1-3"], ["about"]])
def test_commands_print_json_dumps_text(run, args):
    out = run(*args, "--json").out
    assert out == json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"


def test_a_json_run_does_not_import_json():
    code = ("import sys\n"
            "from ketcli.cli.app import app\n"
            "try:\n    app(['compare', 'ketamine', 'ect', '--json'], prog_name='ketcli')\n"
            "except SystemExit:\n    pass\n"
            "print('json' in sys.modules, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ)
    assert json.loads(done.stdout)["rows"][0]["label"] == "Onset of action"
    assert done.stderr.strip().splitlines()[-1] == "False"
