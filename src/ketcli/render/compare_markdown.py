"""`compare --format markdown`: Table 1 side by side, as a person pastes it into notes.

One row per dimension, one column per treatment, each cell with its [n] markers and a †
where the dataset has a note on it; the notes, the head-to-head trials and the full
references follow the table. (csv stays flat: one row per cell.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ketcli.render.text_formats import _md

from ketcli.render.wording import NOTE_MARK as MARK
from ketcli.render.wording import markers, table1_footnote

if TYPE_CHECKING:
    from ketcli.query.results import Result


def _cell(cell: dict) -> str:
    text = cell["text"] if cell["source"] else f"*{cell['text']}*"
    if cell["refs"]:
        text += " " + markers(cell["refs"])
    return _md(text) + (MARK if cell["notes"] else "")


def to_markdown(result: Result) -> str:
    from ketcli.render.citations import format_vancouver

    names = [tr["name"] for tr in result["treatments"]]
    lines = ["| | " + " | ".join(_md(n) for n in names) + " |", "|---|" + "---|" * len(names)]
    lines += ["| " + _md(row["label"]) + " | " + " | ".join(_cell(c) for c in row["cells"]) + " |"
              for row in result["rows"]]
    lines += ["", table1_footnote(MARK, notes_below=False)]
    by_id = dict(zip((tr["id"] for tr in result["treatments"]), names))
    notes = [(f"{by_id.get(c['treatment'], c['treatment'])} · {row['label']}", n)
             for row in result["rows"] for c in row["cells"] for n in c["notes"]]
    if notes:
        lines += ["", "**Notes on the cells**", ""]
        lines += [f"- {MARK} **{_md(where)}**: {_md(note)}" for where, note in notes]
    if result["trials"]:
        lines += ["", "**Head-to-head trials**", ""]
        for t in result["trials"]:
            numbers = "; ".join(_quantity(q) for q in t["results"])
            lines.append(f"- **{_md(t['name'])}** ({_md(t['design'])}) {markers(t['refs'])}: "
                         f"{_md(t['finding'])}" + (f" Results: {_md(numbers)}." if numbers else ""))
    if result["references"]:
        lines += ["", "**References**", ""]
        lines += [f"{r['number']}. {_md(format_vancouver(r))}" for r in result["references"]]
    return "\n".join(lines) + "\n"


def _quantity(q: dict) -> str:
    from ketcli.render.terminal.plain_views import quantity

    return quantity(q)
