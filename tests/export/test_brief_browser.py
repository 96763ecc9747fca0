"""The brief in a real browser: Debian's headless Chromium, driven by Playwright.

Playwright (a test extra) talks to the browser over the DevTools protocol and gives
console messages, page errors, print-media emulation and screenshots in a few lines;
it is pointed at the system's chromium (`executable_path`) and never downloads a
browser of its own. Skips, saying why, where either is missing (.ci/run installs both).
"""

import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a headless browser


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# A4's printable width with the page's 15 mm margins (Letter's is wider), in CSS pixels.
PRINTED_WIDTH = round((210 - 2 * 15) / 25.4 * 96)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install chromium): the brief is not opened in a browser")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True, chromium_sandbox=False)
        yield browser
        browser.close()


def open_page(browser, path: Path, shot: Path):
    """Open the file; return (console errors and page errors, the page) after a screenshot."""
    context = browser.new_context(viewport={"width": PRINTED_WIDTH, "height": 1000}, java_script_enabled=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: problems.append(f"request: {r.url}") if not r.url.startswith("file:") else None)
    page.goto(path.as_uri())
    page.emulate_media(media="print")
    page.screenshot(path=str(shot), full_page=True)
    return problems, page


def check_page(page) -> None:
    missing = page.evaluate("""() => [...document.querySelectorAll('a[href^="#"]')]
        .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
    assert missing == []
    assert page.evaluate("document.querySelectorAll('a[href^=\"#\"]').length") > 10
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PRINTED_WIDTH, f"the page is {width}px wide, wider than a printed page's {PRINTED_WIDTH}px"
    assert page.evaluate("document.scripts.length") == 0


def test_the_brief_opens_without_errors_links_resolve_and_it_fits_a_printed_page(browser, brief, tmp_path):
    path, _, _ = brief("ketamine", "ect")
    shot = tmp_path / "brief.png"
    problems, page = open_page(browser, path, shot)
    assert problems == []
    check_page(page)
    assert page.evaluate("document.querySelectorAll('#pathway svg text').length") > 0 or shutil.which("dot") is None
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
    pdf = page.pdf(format="A4")  # prints: Chromium lays it out on A4 pages
    assert pdf.startswith(b"%PDF")


def test_a_hostile_dataset_runs_nothing_in_the_browser(browser, brief, hostile_dataset, tmp_path):
    path, _, _ = brief("evil", "ketamine", "--pathway", "evil-mech", data=hostile_dataset)
    problems, page = open_page(browser, path, tmp_path / "hostile.png")
    assert problems == []  # no alert(), no error, no request anywhere
    check_page(page)
    assert "<script>alert(\"treatment\")</script>" in page.inner_text("#table1")


# A4's printable height with the page's 15 mm margins, in CSS pixels.
PRINTED_HEIGHT = round((297 - 2 * 15) / 25.4 * 96)


def test_the_first_printed_page_holds_the_bottom_line_and_table_1(browser, brief, tmp_path):
    """What docs/web.md promises of the printed brief for two treatments: the Conclusions and
    Table 1 with its footnotes on the first A4 page, the evidence from the next page on."""
    path, _, _ = brief("ketamine", "ect")
    problems, page = open_page(browser, path, tmp_path / "first.png")
    assert problems == []
    bottom = page.evaluate("document.querySelector('#table1').getBoundingClientRect().bottom + window.scrollY")
    assert bottom <= PRINTED_HEIGHT, f"Table 1 ends at {bottom}px, below the first page's {PRINTED_HEIGHT}px"
    assert page.evaluate("getComputedStyle(document.querySelector('#trials')).breakBefore") == "page"
    pdf = page.pdf(format="A4")
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    print(f"printed pages (A4): {pages}")
    assert pages <= 10  # docs/web.md: "about nine A4 pages in all for ketamine and ECT"
