import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketcli.cli.app import app

# The semantic extra off for the whole session (module fixtures and subprocesses included), so
# outputs are the same with it installed or not; tests marked `semantic` switch it on.
os.environ["KETCLI_SEMANTIC"] = "0"

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "ketamine-review-cureus-2025.txt"  # the review, CC BY 4.0


@pytest.fixture(scope="session", autouse=True)
def one_click_command_per_app():
    """CliRunner turns the Typer app into its click command on every invoke (typer.testing); the
    console script does it once per process. The tests' thousand runs share one build, as runs
    of the real program each have theirs: commands hold no state between invocations."""
    import typer.testing

    build = getattr(typer.testing, "_get_command", None)
    if build is None:  # another typer layout: every invoke builds, as before
        yield
        return
    built: dict[int, tuple[object, object]] = {}  # the app is kept too: its id is never reused

    def once(typer_app):
        key = id(typer_app)
        if key not in built:
            built[key] = (typer_app, build(typer_app))
        return built[key][1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", once)
        yield


@pytest.fixture(scope="session")
def warm_cache(tmp_path_factory) -> Path:
    """One cache directory for the session (for each xdist worker), filled once with the bundled
    dataset and its search index: a test that does not test the cache does not rebuild them."""
    path = tmp_path_factory.mktemp("warm-cache")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KETCLI_CACHE_DIR", str(path))
        env.delenv("KETCLI_CACHE", raising=False)
        env.delenv("KETCLI_DATA", raising=False)
        from ketcli.data.dataset import load
        from ketcli.query import queries

        queries.search(load(), "ketamine", 1)  # the dataset's entry, then the index's
    return path


@pytest.fixture(autouse=True)
def isolated_cache(request, monkeypatch):
    """No inherited dataset choice, no colour, a wide terminal; the session's warm cache, or
    with @pytest.mark.own_cache (a test of the cache itself) an empty one in tmp_path/cache
    (tmp_path only then: a folder per test is a cost the other tests need not pay)."""
    own = request.node.get_closest_marker("own_cache") is not None
    cache = request.getfixturevalue("tmp_path") / "cache" if own else request.getfixturevalue("warm_cache")
    monkeypatch.setenv("KETCLI_CACHE_DIR", str(cache))
    monkeypatch.delenv("KETCLI_DATA", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    if request.node.get_closest_marker("semantic") is not None:
        monkeypatch.setenv("KETCLI_SEMANTIC", "1")


class Run:
    def __init__(self, result):
        self.code = result.exit_code
        self.out = result.stdout
        self.err = result.stderr
        self.exception = result.exception

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str, env: dict | None = None) -> Run:
        return Run(runner.invoke(app, list(args), env=env))

    return invoke


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def hostile_records():
    """`make(text)`: an own dataset's records (a reference, a treatment, a Table 1 cell, a claim
    with a quantity, a head-to-head trial) whose every text field carries `text`."""

    def make(text: str) -> dict:
        return {
            "references": [{"number": 35, "key": "evil2025", "authors": [f"Evil {text}"], "title": f"Title {text}",
                            "journal": f"J {text}", "year": 2025, "doi": f"10.1/x{text}"}],
            "treatments": [{"id": "evil", "name": f"Evil {text}", "kind": "drug", "summary": text}],
            "table1": [{"treatment": "evil", "dimension": "onset", "text": f"Cell {text}"}],
            "claims": [{"id": "evil-claim", "text": f"Claim {text}", "section": text, "refs": [35, 21],
                        "topic": "mechanism", "stance": "supports", "mechanisms": ["opioid"], "notes": [text],
                        "quantities": [{"label": text, "value": 1.0, "unit": text, "p": text}]}],
            "trials": [{"id": "evil-trial", "name": f"Trial {text}", "design": text, "design_basis": "text",
                        "refs": [35], "section": "s", "treatments": ["ketamine", "evil"], "finding": text,
                        "head_to_head": True}],
        }

    return make
