"""Writing results: stdout gets the result, stderr everything else.

Terminal text is made inert: control characters, escape sequences and bidirectional
overrides from a dataset are shown as visible escapes, never interpreted. On a
terminal that cannot encode a character, a readable ASCII stand-in is written.
"""

from __future__ import annotations

import codecs
import os
import sys
from typing import IO, Any

# Control and bidirectional-override characters → their visible escape ("\\x1b"), as
# Python's unicode_escape codec writes it (spelled out: importing the codec costs memory on
# every start). A translate table, not a regex: a character class beyond U+00FF makes re
# build a 64 K charmap, ≈ 200 KB of memory and 0.6 ms on every start.
_UNSAFE = {
    c: "\\r" if c == 0x0D else f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F,
              *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}
# The same characters for text on its way to a terminal: C0 controls other than tab and
# newline as "\\xNN" (never raw in JSON, which escapes them itself), the rest as
# "\\uNNNN", which inside a JSON string is JSON's own escape of the same character, so a
# JSON document stays valid and equal. Only bidi controls: other formatting characters
# (zero-width joiners in names) are left alone.
_TERMINAL = {
    c: (f"\\x{c:02x}" if c < 0x20 else f"\\u{c:04x}")
    for c in _UNSAFE
}
_ASCII = {
    "–": "-", "—": "-", "‑": "-", "−": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...",
    "μ": "mu", "κ": "kappa", "δ": "delta", "β": "beta", "α": "alpha", "×": "x", "≥": ">=",
    "≤": "<=", "→": "->", "·": "*", "¹": "1", "₂": "2", "é": "e", "ö": "o", "ü": "u",
    "│": "|", "─": "-", "┃": "|", "━": "-",
}


def safe(text: str) -> str:
    """Text with every control or bidi character replaced by a visible escape."""
    return text.translate(_UNSAFE)


def _ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_ASCII.get(ch, "?") for ch in bad), error.end


codecs.register_error("ketcli-ascii", _ascii_fallback)


def prepare_streams() -> None:
    """Let stdout and stderr write any text, with ASCII stand-ins where needed."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and "utf" not in (stream.encoding or "").lower():
            try:
                stream.reconfigure(errors="ketcli-ascii")
            except (ValueError, OSError):
                pass


def terminal_safe(text: str) -> str:
    """`text` with no character a terminal would obey: every format (csv, markdown, the
    citation formats, dot, mermaid, jsonl, json) passes through here once, in `write`,
    when its stream is a terminal."""
    return text.translate(_TERMINAL)


def is_terminal(stream) -> bool:
    """Whether `stream` is a terminal (text written there is made inert first)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def write(text: str, stream: IO[str] | None = None, styled: bool = False) -> None:
    """Write `text` (and a final newline). On a terminal it is made inert first, unless
    `styled`: layout.py's own SGR codes around text it already passed through `safe`."""
    out = stream or sys.stdout
    if text and not styled and is_terminal(out):
        text = terminal_safe(text)
    if text:  # an empty list in jsonl is no line at all
        out.write(text)  # then the newline on its own: `text + "\n"` would copy a whole document
        if not text.endswith("\n"):
            out.write("\n")
    out.flush()


def write_json(document: Any, stream: IO[str] | None = None) -> None:
    """`document` as `dumps_json`'s text, written a chunk at a time as it is made (and a
    final newline): the whole text of a large result is never held (peak memory)."""
    from ketcli.render.jsontext import dump

    out = stream or sys.stdout
    inert = is_terminal(out)
    utf8 = "utf" in (getattr(out, "encoding", "") or "").lower()
    dump(document, lambda chunk: out.write(terminal_safe(chunk) if inert else chunk), ensure_ascii=not utf8)
    out.write("\n")
    out.flush()


def dumps_json(document: Any) -> str:
    from ketcli.render.jsontext import dumps  # json.dumps(…, indent=2), without importing json

    utf8 = "utf" in (getattr(sys.stdout, "encoding", "") or "").lower()
    return dumps(document, ensure_ascii=not utf8)


def shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def error(message: str, hint: str | None = None) -> None:
    line = f"ketcli: error: {safe(shorten(message))}"
    if hint:
        line += f" ({safe(shorten(hint))})"
    write(line, sys.stderr)


def colour_wanted(stream: IO[str]) -> bool | None:
    """None lets rich decide (terminal or not, NO_COLOR, TERM=dumb); CLICOLOR_FORCE forces."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    return None


def console(stream: IO[str] | None = None, width: int | None = None, colour: bool | None = None):
    """rich's Console for `stream`; `width` None lets rich choose (as layout.terminal does);
    `colour` False: none, whatever the environment says."""
    from rich.console import Console

    class QuietConsole(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit 1 ("nothing found" here); let the CLI end quietly with 0.
            self.quiet = True
            raise BrokenPipeError

    out = stream or sys.stdout
    force = False if colour is False else colour_wanted(out)
    return QuietConsole(
        file=out,
        force_terminal=force,
        no_color=force is False,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        width=width,
    )
