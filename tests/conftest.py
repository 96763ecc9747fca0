import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ketcli.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source" / "ketamine-review-cureus-2025.txt"  # the review, CC BY 4.0


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    """Every test gets its own cache directory and no inherited dataset choice."""
    monkeypatch.setenv("KETCLI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KETCLI_DATA", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


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
