"""ketcli: the evidence on ketamine for depression, from one peer-reviewed review.

The packages are the steps of the flow, file → models → query → result → renderer → out:
`data` (the file, its models, checks and cache), `query` (result dicts), `render`
(text and terminal views), `curate` (writes to an own dataset file) and the surfaces
that call them (`api`, `cli`, `mcp`). Imports only go down that list (tests/test_architecture.py).

`import ketcli` gives the Python API (`ketcli.open()`, `ketcli.Dataset`, the errors:
see `ketcli.api`), imported on first use (PEP 562), so the console script, which
imports this package too, does not pay for it.
"""

__version__ = "0.1.0"

# The names of ketcli.api re-exported here; the rule of tests/test_architecture.py allows
# this one upward import because it happens inside __getattr__, on first use only.
_API = ("API_VERSION", "Dataset", "DatasetError", "KetcliError", "NotFound", "UsageError", "WriteError",
        "open", "schema", "validate")
__all__ = ["__version__", "api", *_API]


def __getattr__(name: str):
    if name == "api" or name in _API:
        import ketcli.api as api

        return api if name == "api" else getattr(api, name)
    raise AttributeError(f"module 'ketcli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
