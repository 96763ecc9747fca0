"""Sphinx configuration: the docs are Markdown (MyST), built with warnings as errors in CI.

    pip install -e '.[docs]' && sphinx-build -W -n -b html docs docs/_build/html
"""

from importlib.metadata import version as _version

project = "ketcli"
author = "ketcli founders"
copyright = "ketcli founders; the dataset encodes Papadopoulos, Cureus 2025 (CC BY 4.0)"
release = _version("ketcli")
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
# docs/search.md is built as search-in-your-own-words (it includes it): Sphinx writes its own
# search page as search.html, which would silently replace a page named "search".
exclude_patterns = ["_build", ".venv*", "search.md"]
# `#anchor` links to headings (up to ###) resolve, and a broken one is a warning (an error in CI).
myst_heading_anchors = 3
html_theme = "furo"
html_title = f"ketcli {release}"
pygments_style = "friendly"


def _relink(app, docname, source):
    """Links to search.md (right on GitHub) point at the page that includes it."""
    source[0] = source[0].replace("](search.md", "](search-in-your-own-words.md")


def setup(app):
    app.connect("source-read", _relink)
