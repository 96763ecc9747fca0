"""JSON text exactly as `json.dumps(document, indent=2, ensure_ascii=…)` writes it.

Importing the json package compiles its regular expressions: ≈ 2.5 ms, a fifth of the
bare interpreter's start, on every `--json` run, where ketcli only ever writes JSON.
Strings are escaped by the C functions json itself uses (`_json`), so the text is
json's; tests/render/test_jsontext.py checks it byte for byte against json.dumps.
"""

from __future__ import annotations

from collections.abc import Callable

try:
    from _json import encode_basestring, encode_basestring_ascii
except ImportError:  # an interpreter without json's C accelerator
    from json.encoder import py_encode_basestring as encode_basestring  # type: ignore[assignment]
    from json.encoder import py_encode_basestring_ascii as encode_basestring_ascii  # type: ignore[assignment]


INDENT = "  "
CHUNK = 512
"""Pieces handed on as one string as they come (`dump`): thousands of small strings held to
the end would add their overhead to the run's peak memory (bench/startup.py measures it)."""


def dumps(document, ensure_ascii: bool = True) -> str:
    chunks: list[str] = []
    dump(document, chunks.append, ensure_ascii)
    return "".join(chunks)


def dump(document, emit: Callable[[str], object], ensure_ascii: bool = True) -> None:
    """The text of `dumps`, handed to `emit` a chunk at a time (streams.write_json writes
    each one: a large result's text is never held whole)."""
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

    quoted: dict[str, str] = {}  # the same few keys come back in every record

    def key(k) -> str:
        if type(k) is str:
            text = quoted.get(k)
            if text is None:
                text = quoted[k] = quote(k)
            return text
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
                if len(parts) >= CHUNK:
                    emit("".join(parts))
                    parts.clear()
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
    emit("".join(parts))
    # `write` refers to itself: the closure is a reference cycle, freed only by the cyclic
    # collector, so what it holds is let go here.
    parts.clear()
    quoted.clear()
