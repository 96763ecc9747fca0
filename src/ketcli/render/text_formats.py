"""The record formats every command shares: jsonl, csv and markdown, from a result's view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketcli.render.views import View

if TYPE_CHECKING:
    from ketcli.query.results import Result


def field(record: dict, path: str):
    value: object = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def cell_text(value) -> str:
    import json

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "; ".join(cell_text(v) if not isinstance(v, dict) else json.dumps(v, ensure_ascii=False) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def flat_rows(view: View, result: Result) -> list[list[str]]:
    return [[cell_text(field(r, c)) for c in view.columns] for r in view.records(result)]


def to_jsonl(view: View, result: Result) -> str:
    import json

    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in view.records(result))


# CSV formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that starts
# with = + - @, a tab or a carriage return as a formula. Such a cell gets a leading "'",
# which spreadsheets hide and treat as "text"; a number (-5, +1.5e3) stays as it is.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lstrip("+-")[:1].isdigit()


def to_csv(view: View, result: Result) -> str:
    import csv
    import io

    out = io.StringIO()
    # The csv module quotes a field for the line terminator's characters ("\n" here) but
    # not for a bare "\r", which readers take as a row's end: such a row is fully quoted.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(view.columns)
    for row in flat_rows(view, result):
        cells = [csv_cell(c) for c in row]
        if any("\r" in c for c in cells):  # a bare CR must be quoted, as RFC 4180 asks
            csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerow(cells)
        else:
            writer.writerow(cells)
    return out.getvalue()


# Markdown renderers pass raw HTML through (CommonMark, GitHub): "<" and "&" are written
# as entities, so a "<script>" or "<img onerror=…>" in the data is shown, not run.
def _md(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def to_markdown(view: View, result: Result) -> str:
    lines = ["| " + " | ".join(view.columns) + " |", "|" + "---|" * len(view.columns)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in flat_rows(view, result)]
    return "\n".join(lines) + "\n"


TEXT_FORMATS = {"jsonl": to_jsonl, "csv": to_csv, "markdown": to_markdown}
