"""ketcli: the evidence on ketamine for depression, from one peer-reviewed review."""

__version__ = "0.1.0"
