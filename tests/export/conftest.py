from pathlib import Path

import pytest

HOSTILE = Path(__file__).with_name("hostile.toml")


@pytest.fixture
def hostile_dataset() -> Path:
    """An own dataset whose every text tries to inject markup, script or links."""
    return HOSTILE


@pytest.fixture
def html_parser():
    """parse_html, for tests that parse a page they did not write with `brief`."""
    return parse_html


def parse_html(text: str):
    """The page parsed by html5lib (the WHATWG algorithm) in strict mode: any parse error fails."""
    import html5lib

    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)


@pytest.fixture
def brief(run, tmp_path):
    """Write a brief with `args` and return (path, its text, the parsed document)."""

    def make(*args: str, data: Path | None = None):
        path = tmp_path / "brief.html"
        r = run(*(["--data", str(data)] if data else []), "brief", *args, "--output", str(path))
        assert r.code == 0, r.err
        assert r.out == ""
        text = path.read_text(encoding="utf-8")
        return path, text, parse_html(text)

    return make
