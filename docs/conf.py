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
exclude_patterns = ["_build", ".venv*"]
# `#anchor` links to headings (up to ###) resolve, and a broken one is a warning (an error in CI).
myst_heading_anchors = 3
html_theme = "furo"
html_title = f"ketcli {release}"
pygments_style = "friendly"
