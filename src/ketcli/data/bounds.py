"""Bounds on what reaches the TOML parser, checked before it runs.

The standard library's TOML parser spends memory and time on some shapes far beyond
their size: a key of N dotted parts costs it O(N²) memory (8,000 parts, 16 KB of
text: 258 MB and 1 s; 31,000 parts, 62 KB: ≈ 4 GB), nesting recurses, and an integer
of more than 4,300 digits raises a ValueError. `check(text)` refuses such a file
before parsing, with one line saying what and where; it is one regular-expression
scan over the text (linear: strings, comments and short words are skipped in C),
run only when the file is parsed (a cache miss), never on a cache hit.

The limits are far above anything a dataset needs (the bundled file: keys of at most
2 parts, nesting 2, bare words of at most 10 characters, 0.2 MB) and far below
where the parser's cost grows: a dataset of 100 copies of the bundled one is 19 MB.
"""

from __future__ import annotations

import re

from ketcli.errors import DatasetError

MAX_BYTES = 32 * 1024 * 1024  # the file
MAX_KEY_PARTS = 16  # a.b.c = … and [a.b.c]
MAX_KEY_CHARS = 256  # one part of a key, bare or quoted
MAX_NESTING = 32  # arrays and inline tables inside each other
MAX_BARE_CHARS = 256  # a bare word outside quotes: a key, a number, a date

# Unrolled loops ("[^x]*(?:y[^x]*)*"): an alternation repeated per character makes the
# regex engine keep state per character (a 20 MB string: 2.7 GB). The loops are
# possessive ("*+"): without, the engine keeps a backtracking point per escape (15 M
# escapes "\\n" in one string: 3.1 GB); a string never needs to give characters back.
_TOKENS = re.compile(
    r'''(?P<s>"""[^\\"]*+(?:(?:\\[\s\S]|"(?!""))[^\\"]*+)*+"{3,5}'''  # multi-line basic string
    r"""|'''[^']*+(?:'(?!'')[^']*+)*+'{3,5}"""  # multi-line literal string
    r'''|"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'''  # basic string
    r"""|'[^'\n]*+')"""  # literal string
    r"|(?P<c>#[^\n]*+)"  # comment
    r"|(?P<w>(?<![A-Za-z0-9_+\-:])[A-Za-z0-9_+\-:]{%d,})" % (MAX_BARE_CHARS + 1)  # a too long bare word
    + r"|(?P<p>[\[\]{}=,.\n])"
)


def check_size(size: int, shown: str) -> None:
    if size > MAX_BYTES:
        raise DatasetError(
            f"{shown}: the file is {size / 1048576:.1f} MiB; a dataset may be at most "
            f"{MAX_BYTES // 1048576} MiB"
        )


def check(text: str, shown: str) -> None:
    """Raise a DatasetError (exit 3) naming the line when `text` exceeds a bound."""
    check_size(len(text), shown)  # characters ≤ bytes: a cheap second guard
    stack: list[str] = []  # "a" array, "i" inline table
    expect_key = True  # at a line's start, after "{" or "," in an inline table
    parts = 0
    line = 1

    def refuse(what: str) -> None:
        raise DatasetError(f"{shown}:{line}: {what}; the file is refused before it is parsed")

    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        token = match.group()
        if kind == "s":
            if expect_key and len(token) - 2 > MAX_KEY_CHARS:
                refuse(f"a key of {len(token) - 2:,} characters (at most {MAX_KEY_CHARS})")
            line += token.count("\n")
        elif kind == "w":
            refuse(f"a bare word of {len(token):,} characters outside quotes (at most {MAX_BARE_CHARS})")
        elif kind == "p":
            if token == "\n":
                line += 1
                if not stack:
                    expect_key, parts = True, 0
            elif token == ".":
                if expect_key:
                    parts += 1
                    if parts >= MAX_KEY_PARTS:
                        refuse(f"a key of more than {MAX_KEY_PARTS} dotted parts")
            elif token == "=":
                expect_key, parts = False, 0
            elif token == "[":
                if not (expect_key and not stack):  # a table header's "[" is not nesting
                    stack.append("a")
            elif token == "{":
                stack.append("i")
                expect_key, parts = True, 0
            elif token in "]}":
                if stack and stack[-1] == ("a" if token == "]" else "i"):
                    stack.pop()
                expect_key = False if stack or token == "}" else expect_key
            elif token == "," and stack and stack[-1] == "i":
                expect_key, parts = True, 0
            if len(stack) > MAX_NESTING:
                refuse(f"arrays or inline tables nested more than {MAX_NESTING} deep")
