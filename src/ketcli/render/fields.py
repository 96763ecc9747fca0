"""`--fields a,b,c`: the record columns jsonl, csv and markdown print.

A field is one of the view's flat columns ("value.low" reads a nested value) or a
top-level key of the records. jsonl then prints each record with just those keys (a
dotted field as one flat key); csv and markdown print those columns in that order.
An unknown field is a usage error that lists the available ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketcli.errors import UsageError
from ketcli.render.views import View

if TYPE_CHECKING:
    from ketcli.query.results import Result

FORMATS = ("jsonl", "csv", "markdown")


def parse(text: str, fmt: str) -> list[str]:
    """--fields 'a, b,c' for format `fmt` → ['a', 'b', 'c'] (no empty names, no repeats)."""
    _check_format(fmt)
    names = [name.strip() for name in text.split(",")]
    if not any(names) or not all(names):
        raise UsageError(f"--fields {text!r}: give field names separated by commas (e.g. id,text,refs)")
    return list(dict.fromkeys(names))


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"--fields selects record columns of {', '.join(FORMATS)}, not of {fmt}")


def available(view: View, result: Result) -> list[str]:
    """The view's columns, then every other top-level key of its records."""
    names = dict.fromkeys(view.columns)
    for record in view.records(result):
        names.update(dict.fromkeys(record))
    return list(names)


def select(view: View, result: Result, fields: list[str], fmt: str) -> View:
    """The view narrowed to `fields`, checked against what the result's records hold."""
    _check_format(fmt)
    known = available(view, result)
    unknown = [name for name in fields if name not in known]
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r}", hint="available fields: " + ", ".join(known))
    if fmt != "jsonl":
        return view._replace(columns=tuple(fields))
    from ketcli.render.text_formats import field

    def records(result: Result) -> list[dict]:
        return [{name: field(record, name) for name in fields} for record in view.records(result)]

    return view._replace(records=records)
