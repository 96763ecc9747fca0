"""`ketcli brief` (the HTML page), `ketcli export sqlite` (its tables, views and metadata) and
`ketcli export fhir` (the Bundle's JSON)."""

import json
import sqlite3

import pytest

from shots import invoke, normalise


@pytest.mark.parametrize("args", [["ketamine", "ect"], [], ["ketamine", "--pathway", "opioid"], ["esketamine", "ssri"]],
                         ids=lambda a: "-".join(a) or "all")
def test_brief_html(snapshot, args):
    shot = invoke("brief", *args, "--output", "-")
    assert shot.code == 0 and shot.err == ""
    assert normalise(shot.out) == snapshot


def test_brief_to_a_file_prints_nothing_and_writes_the_same_page(tmp_path):
    page = tmp_path / "brief.html"
    shot = invoke("brief", "ketamine", "ect", "-o", str(page))
    assert (shot.code, shot.out, shot.err) == (0, "", "")
    assert page.read_text(encoding="utf-8") == invoke("brief", "ketamine", "ect", "-o", "-").out


def test_export_sqlite(snapshot, tmp_path):
    db, meta = tmp_path / "ket.db", tmp_path / "metadata.json"
    shot = invoke("export", "sqlite", str(db), "--metadata", str(meta))
    assert (shot.code, shot.out, shot.err) == (0, "", "")
    with sqlite3.connect(db) as connection:
        schema = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").fetchall()
        counts = {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                  for kind, name, _ in schema if kind in ("table", "view")}
    connection.close()
    shown = ["-- schema", *(f"{kind} {name}:\n{sql}" for kind, name, sql in schema),
             "-- rows", *(f"{name}: {n}" for name, n in counts.items()),
             "-- metadata.json", json.dumps(json.loads(meta.read_text(encoding="utf-8")), indent=2, ensure_ascii=False)]
    assert normalise("\n".join(shown)) == snapshot


def test_export_fhir(snapshot, tmp_path):
    shot = invoke("export", "fhir", "-")
    assert shot.code == 0 and shot.err == ""
    assert normalise(shot.out) == snapshot
    target = tmp_path / "evidence.json"
    written = invoke("export", "fhir", str(target))
    assert (written.code, written.out, written.err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == shot.out
