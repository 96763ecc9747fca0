"""JSON text exactly as `json.dumps(document, indent=2, ensure_ascii=…)` writes it.

Importing the json package compiles its regular expressions: ≈ 2.5 ms, a fifth of the
bare interpreter's start, on every `--json` run, where ketcli only ever writes JSON. Its
C accelerator (`_json`) is a shared library of its own: loading it costs ≈ 50 KB of the
run's peak memory (bench/startup.py), more than escaping in Python costs time, since
most strings need no escape and are checked by C string methods. tests/test_jsontext.py
checks the text byte for byte against json.dumps.
"""

from __future__ import annotations

from collections.abc import Callable

# The C0 controls as json escapes them, the common ones by their short escapes ('"' and
# backslash are replaced first, by str.replace: most strings need nothing, or only that).
_CONTROLS = {c: f"\\u{c:04x}" for c in range(0x20)}
_CONTROLS.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", ord("\b"): "\\b", ord("\f"): "\\f"})


def _escaped(text: str) -> str:
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if '"' in text:
        text = text.replace('"', '\\"')
    if not text.isprintable():  # C0 controls are not printable (nor are a few others, left as they are)
        text = text.translate(_CONTROLS)
    return text


def encode_basestring(text: str) -> str:
    """`text` as a JSON string, non-ASCII characters as they are (ensure_ascii=False)."""
    return '"' + _escaped(text) + '"'


def encode_basestring_ascii(text: str) -> str:
    """`text` as a JSON string of printable ASCII only: every other character (DEL too) as
    \\uXXXX, one beyond U+FFFF as its UTF-16 surrogate pair (ensure_ascii=True)."""
    text = _escaped(text)
    if text.isascii() and "\x7f" not in text:
        return '"' + text + '"'
    return '"' + "".join(_ascii(c) for c in text) + '"'


def _ascii(char: str) -> str:
    code = ord(char)
    if code < 0x7F:
        return char
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 | code >> 10:04x}\\u{0xDC00 | code & 0x3FF:04x}"
    return f"\\u{code:04x}"


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
