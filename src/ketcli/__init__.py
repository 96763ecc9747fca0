"""ketcli: the evidence on ketamine for depression, from one peer-reviewed review.

The packages are the steps of the flow, file → models → query → result → renderer → out:
`data` (the file, its models, checks and cache), `query` (result dicts), `render`
(text and terminal views), `curate` (writes to an own dataset file) and the surfaces
that call them (`cli`). Imports only go down that list (tests/test_architecture.py).
"""

__version__ = "0.1.0"
