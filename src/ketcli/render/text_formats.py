"""The record formats every command shares: jsonl, csv and markdown, from a result's view."""

from __future__ import annotations

from ketcli.render.views import View


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


def flat_rows(view: View, result: dict) -> list[list[str]]:
    return [[cell_text(field(r, c)) for c in view.columns] for r in view.records(result)]


def to_jsonl(view: View, result: dict) -> str:
    import json

    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in view.records(result))


def to_csv(view: View, result: dict) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(view.columns)
    writer.writerows(flat_rows(view, result))
    return out.getvalue()


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def to_markdown(view: View, result: dict) -> str:
    lines = ["| " + " | ".join(view.columns) + " |", "|" + "---|" * len(view.columns)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in flat_rows(view, result)]
    return "\n".join(lines) + "\n"


TEXT_FORMATS = {"jsonl": to_jsonl, "csv": to_csv, "markdown": to_markdown}
