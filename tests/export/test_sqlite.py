"""`ketcli export sqlite`: a real SQLite database, read back with sqlite3 and Datasette."""

import json
import sqlite3
from collections import Counter

import pytest

from ketcli.data.dataset import COLLECTIONS, load


@pytest.fixture
def exported(run, tmp_path):
    db, meta = tmp_path / "ket.db", tmp_path / "metadata.json"
    r = run("export", "sqlite", str(db), "--metadata", str(meta))
    assert r.code == 0, r.err
    assert r.out == ""  # prints nothing
    return db, meta


def test_every_collection_has_as_many_rows_as_about_counts(run, exported):
    counts = run("about", "--json").json()["dataset"]["counts"]
    with sqlite3.connect(exported[0]) as db:
        for name in COLLECTIONS:
            assert db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == counts[name], name


def test_foreign_keys_hold_and_link_tables_match_the_lists(exported):
    data = load(None)
    with sqlite3.connect(exported[0]) as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("PRAGMA foreign_key_list(claim_references)").fetchall()
        pairs = db.execute("SELECT claim, reference FROM claim_references").fetchall()
        assert len(pairs) == sum(len(set(c["refs"])) for c in data["claims"])
        refs = json.loads(db.execute("SELECT refs FROM claims WHERE id = 'rr-ketamine-50-70'").fetchone()[0])
        assert refs == [1, 5, 15]


def test_a_facet_and_an_fts_query_answer_as_the_dataset_does(exported):
    data = load(None)
    with sqlite3.connect(exported[0]) as db:
        facet = dict(db.execute("SELECT stance, count(*) FROM claims GROUP BY stance").fetchall())
        assert facet == dict(Counter(c["stance"] for c in data["claims"]))
        # an array facet over a JSON list column, as Datasette's _facet_array does
        ketamine = db.execute(
            "SELECT count(*) FROM claims, json_each(claims.treatments) WHERE json_each.value = 'ketamine'").fetchone()[0]
        assert ketamine == sum("ketamine" in c["treatments"] for c in data["claims"])
        hits = db.execute("SELECT claims.id FROM claims_fts JOIN claims ON claims.rowid = claims_fts.rowid "
                          "WHERE claims_fts MATCH 'naltrexone'").fetchall()
        assert hits and all("naltrexone" in data.claims[h[0]]["text"].lower() for h in hits)
        notes = db.execute("SELECT n.record FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid "
                           "WHERE notes_fts MATCH '\"359-49\"'").fetchall()
        assert ("3",) in notes  # reference 3's page range, printed "359-49"
        anand = db.execute("SELECT rowid FROM references_fts WHERE references_fts MATCH 'title:ECT AND authors:Anand'"
                           ).fetchall()
        assert anand == [(11,)]


def test_the_views_join_claims_to_references_and_table1_to_its_support(exported):
    with sqlite3.connect(exported[0]) as db:
        rows = db.execute("SELECT reference, doi FROM claims_with_references WHERE claim = 'rr-ketamine-50-70' "
                          "ORDER BY reference").fetchall()
        assert [r[0] for r in rows] == [1, 5, 15]
        cell = db.execute("SELECT cell_text, claim FROM table1_with_support WHERE cell = 'ketamine:response_rate'"
                          ).fetchall()
        assert cell == [("50%–70%", "rr-ketamine-50-70")]


def test_the_same_dataset_gives_the_same_bytes(run, exported, tmp_path):
    again = tmp_path / "again.db"
    assert run("export", "sqlite", str(again)).code == 0
    assert again.read_bytes() == exported[0].read_bytes()


def test_the_review_table_carries_the_license_and_the_dataset_hash(run, exported):
    sha = run("about", "--json").json()["dataset"]["sha256"]
    with sqlite3.connect(exported[0]) as db:
        row = db.execute("SELECT doi, license, license_url, dataset_sha256 FROM review").fetchone()
    assert row == ("10.7759/cureus.83244", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/", sha)


def test_metadata_names_the_source_license_and_default_facets(exported):
    meta = json.loads(exported[1].read_text(encoding="utf-8"))
    assert meta["license"] == "CC BY 4.0" and meta["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["source_url"] == "https://doi.org/10.7759/cureus.83244"
    claims = meta["databases"]["ket"]["tables"]["claims"]
    assert claims["facets"] == ["stance", "evidence", "section", {"array": "treatments"}]
    assert claims["columns"]["stance"]


def test_the_file_is_replaced_whole_and_a_failed_write_exits_4(run, tmp_path):
    target = tmp_path / "ket.db"
    target.write_bytes(b"old")
    assert run("export", "sqlite", str(target)).code == 0
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
    assert [p.name for p in tmp_path.iterdir()] == ["ket.db"]  # no temporary file left
    r = run("export", "sqlite", str(tmp_path / "missing" / "ket.db"))
    assert r.code == 4 and "not written" in r.err and not (tmp_path / "missing").exists()
    r = run("export", "sqlite", str(tmp_path))
    assert r.code == 4 and "is a directory" in r.err


def test_stdout_is_refused_as_a_usage_error(run):
    r = run("export", "sqlite", "-")
    assert r.code == 2 and "file name" in r.err and r.out == ""


def test_datasette_serves_the_file_with_facets(exported):
    datasette_app = pytest.importorskip("datasette.app", reason="datasette is not installed (pip install -e '.[test]')")
    import asyncio

    data = load(None)
    db, meta = exported
    ds = datasette_app.Datasette([str(db)], metadata=json.loads(meta.read_text(encoding="utf-8")))

    async def fetch():
        default = await ds.client.get("/ket/claims.json?_shape=objects&_size=0")
        search = await ds.client.get("/ket/claims.json?_search=naltrexone&_shape=objects")
        return default, search

    default, search = asyncio.run(fetch())
    assert default.status_code == 200, default.text
    facets = default.json()["facet_results"]
    stance = {r["value"]: r["count"] for r in facets["stance"]["results"]}
    assert stance == dict(Counter(c["stance"] for c in data["claims"]))
    treatments = {r["value"]: r["count"] for r in facets["treatments"]["results"]}
    assert treatments["ketamine"] == sum("ketamine" in c["treatments"] for c in data["claims"])
    assert {"evidence", "section"} <= set(facets)
    assert search.status_code == 200
    rows = search.json()["rows"]
    assert rows and all("naltrexone" in r["text"].lower() for r in rows)


def test_every_record_carries_its_quote_and_locator_and_the_quotes_are_searchable(exported, source_text):
    data = load(None)
    with sqlite3.connect(exported[0]) as db:
        for table, records, key in (("claims", data["claims"], lambda r: r["id"]),
                                    ("trials", data["trials"], lambda r: r["id"]),
                                    ("table1", data["table1"], lambda r: f"{r['treatment']}:{r['dimension']}")):
            stored = dict(db.execute(f"SELECT id, quote FROM {table}").fetchall())
            locators = dict(db.execute(f"SELECT id, locator FROM {table}").fetchall())
            for r in records:
                assert stored[key(r)] == " ".join(r["quote"]) and json.loads(locators[key(r)]) == r["locator"]
        spans = db.execute('SELECT text, start, "end" FROM quotes').fetchall()
        assert len(spans) == 264  # every span of every claim, trial, Table 1 cell and caption
        from ketcli.data.quotes import Source, normalise
        source = Source(source_text)  # offsets are into the raw file; quotes are its normalised text
        assert all((start, end) in source.find_all(text) or normalise(source_text[start:end]) == text
                   for text, start, end in spans)
        # words only the review's sentence has, not the claim's own wording
        hits = db.execute("SELECT c.id FROM claims_fts f JOIN claims c ON c.rowid = f.rowid "
                          "WHERE claims_fts MATCH 'quote:\"Interestingly enough\"'").fetchall()
        assert hits == [("ketamine-twice-vs-thrice-weekly",)]
        records = db.execute("SELECT q.record FROM quotes_fts JOIN quotes q ON q.id = quotes_fts.rowid "
                             "WHERE quotes_fts MATCH '\"rates of remission\"'").fetchall()
        assert ("ketect-european-rct",) in records
        assert db.execute("SELECT pages FROM \"references\" WHERE number = 3").fetchone() == ("359-49",)
        kinds = dict(db.execute("SELECT kind, count(*) FROM notes GROUP BY kind").fetchall())
        assert kinds["curation"] == 7
