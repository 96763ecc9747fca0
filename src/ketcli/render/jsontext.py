"""JSON text exactly as `json.dumps(document, indent=2, ensure_ascii=…)` writes it.

Importing the json package compiles its regular expressions: ≈ 2.5 ms, a fifth of the
bare interpreter's start, on every `--json` run, where ketcli only ever writes JSON.
Strings are escaped by the C functions json itself uses (`_json`), so the text is
json's; tests/test_jsontext.py checks it byte for byte against json.dumps.
"""

from __future__ import annotations

try:
    from _json import encode_basestring, encode_basestring_ascii
except ImportError:  # an interpreter without json's C accelerator
    from json.encoder import py_encode_basestring as encode_basestring  # type: ignore[assignment]
    from json.encoder import py_encode_basestring_ascii as encode_basestring_ascii  # type: ignore[assignment]

INDENT = "  "


def dumps(document, ensure_ascii: bool = True) -> str:
    quote = encode_basestring_ascii if ensure_ascii else encode_basestring
    parts: list[str] = []

    def scalar(value) -> str:
        if isinstance(value, str):
            return quote(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            if value != value:
                return "NaN"
            if value in (float("inf"), float("-inf")):
                return "Infinity" if value > 0 else "-Infinity"
            return float.__repr__(value)
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    def key(k) -> str:
        return quote(k) if isinstance(k, str) else '"' + scalar(k).strip('"') + '"'

    def write(value, indent: str) -> None:
        if isinstance(value, dict):
            if not value:
                parts.append("{}")
                return
            inner = indent + INDENT
            separator = "{\n"
            for k, v in value.items():
                parts.append(separator + inner + key(k) + ": ")
                write(v, inner)
                separator = ",\n"
            parts.append("\n" + indent + "}")
        elif isinstance(value, (list, tuple)):
            if not value:
                parts.append("[]")
                return
            inner = indent + INDENT
            separator = "[\n"
            for item in value:
                parts.append(separator + inner)
                write(item, inner)
                separator = ",\n"
            parts.append("\n" + indent + "]")
        else:
            parts.append(scalar(value))

    write(document, "")
    return "".join(parts)
