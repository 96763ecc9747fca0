"""`ketcli export sqlite`: the dataset as a normalised SQLite database, for sqlite3 and Datasette.

One table per collection of the dataset (references, treatments, table1, mechanisms,
entities, claims, trials, side_effects, events: one row per record, so the counts are
`about`'s), child tables for the nested lists (pathway_steps, results, quantities,
treatment_attributes, notes) and link tables for every list of ids or reference numbers
(claim_references, claim_treatments …), all with foreign keys. A list column is also
kept as JSON text on its record, which is what Datasette's array facets read. Each claim,
trial and Table 1 cell carries the review's own words (`quote`) and where they stand
(`locator`), and the `quotes` table holds every span with its place. FTS5 indexes claims
(with their quotes), trials, quotes, notes and references (external content, so Datasette
finds them);
views join claims to their references and Table 1 to its supporting claims.

The database is built in memory in the dataset's order and serialised: the same
dataset gives the same bytes. Nothing here writes a file (the CLI does, atomically).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ketcli.render.wording import doi_url

if TYPE_CHECKING:
    from ketcli.data.dataset import Data

LICENSE_URLS = {"CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/"}

SCHEMA = """
PRAGMA foreign_keys = ON;
CREATE TABLE review (
    doi TEXT PRIMARY KEY, title TEXT NOT NULL, authors TEXT NOT NULL, journal TEXT NOT NULL,
    volume TEXT, issue TEXT, article_number TEXT, year INTEGER, published TEXT,
    license TEXT NOT NULL, license_url TEXT, dataset_version TEXT, dataset_sha256 TEXT NOT NULL,
    ketcli_version TEXT NOT NULL
);
CREATE TABLE "references" (
    number INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, authors TEXT NOT NULL, et_al INTEGER NOT NULL,
    title TEXT, journal TEXT, year INTEGER, volume TEXT, pages TEXT, doi TEXT, doi_url TEXT,
    design TEXT, design_basis TEXT, notes TEXT NOT NULL
);
CREATE TABLE treatments (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, full_name TEXT, aliases TEXT NOT NULL, kind TEXT NOT NULL,
    parent TEXT REFERENCES treatments(id), in_table1 INTEGER NOT NULL, summary TEXT NOT NULL,
    notes TEXT NOT NULL
);
CREATE TABLE treatment_attributes (
    treatment TEXT NOT NULL REFERENCES treatments(id), position INTEGER NOT NULL, name TEXT NOT NULL,
    value TEXT NOT NULL, refs TEXT NOT NULL, section TEXT NOT NULL, PRIMARY KEY (treatment, position)
);
CREATE TABLE table1 (
    id TEXT PRIMARY KEY, treatment TEXT NOT NULL REFERENCES treatments(id), dimension TEXT NOT NULL,
    text TEXT NOT NULL, value_low REAL, value_high REAL, value_unit TEXT, value_bound TEXT,
    supported_by TEXT NOT NULL, notes TEXT NOT NULL, quote TEXT NOT NULL, locator TEXT NOT NULL
);
CREATE TABLE mechanisms (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, aliases TEXT NOT NULL, scope TEXT NOT NULL,
    treatment TEXT REFERENCES treatments(id), status TEXT NOT NULL, status_section TEXT,
    evidence_basis TEXT, section TEXT NOT NULL, summary TEXT NOT NULL, notes TEXT NOT NULL
);
CREATE TABLE pathway_steps (
    mechanism TEXT NOT NULL REFERENCES mechanisms(id), id TEXT NOT NULL, position INTEGER NOT NULL,
    label TEXT NOT NULL, after TEXT NOT NULL, refs TEXT NOT NULL, source TEXT NOT NULL,
    PRIMARY KEY (mechanism, id)
);
CREATE TABLE entities (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, aliases TEXT NOT NULL, kind TEXT NOT NULL
);
CREATE TABLE trials (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, design TEXT NOT NULL, design_basis TEXT NOT NULL,
    refs TEXT NOT NULL, section TEXT NOT NULL, treatments TEXT NOT NULL, population TEXT, n INTEGER,
    outcome_measure TEXT, outcome TEXT, setting TEXT, follow_up TEXT, finding TEXT NOT NULL,
    head_to_head INTEGER NOT NULL, notes TEXT NOT NULL, quote TEXT NOT NULL, locator TEXT NOT NULL
);
CREATE TABLE claims (
    id TEXT PRIMARY KEY, text TEXT NOT NULL, section TEXT NOT NULL, refs TEXT NOT NULL,
    topic TEXT NOT NULL, stance TEXT NOT NULL, evidence TEXT NOT NULL, treatments TEXT NOT NULL,
    mechanisms TEXT NOT NULL, entities TEXT NOT NULL, trial TEXT REFERENCES trials(id),
    notes TEXT NOT NULL, quote TEXT NOT NULL, locator TEXT NOT NULL
);
CREATE TABLE side_effects (
    id TEXT PRIMARY KEY, treatment TEXT NOT NULL REFERENCES treatments(id), effect TEXT NOT NULL,
    frequency TEXT, quantity_label TEXT, quantity_value REAL, quantity_low REAL, quantity_high REAL,
    quantity_unit TEXT, quantity_n INTEGER, time_course TEXT, refs TEXT NOT NULL, section TEXT NOT NULL,
    study TEXT REFERENCES trials(id), notes TEXT NOT NULL
);
CREATE TABLE events (
    id TEXT PRIMARY KEY, year INTEGER NOT NULL, end_year INTEGER, "when" TEXT NOT NULL,
    label TEXT NOT NULL, treatments TEXT NOT NULL, refs TEXT NOT NULL, section TEXT NOT NULL
);
CREATE TABLE results (
    trial TEXT NOT NULL REFERENCES trials(id), position INTEGER NOT NULL, label TEXT NOT NULL,
    value REAL, low REAL, high REAL, unit TEXT NOT NULL, ci_low REAL, ci_high REAL, ci_level REAL,
    p TEXT, n INTEGER, arm TEXT, PRIMARY KEY (trial, position)
);
CREATE TABLE characteristics (
    trial TEXT NOT NULL REFERENCES trials(id), position INTEGER NOT NULL, label TEXT NOT NULL,
    value REAL, low REAL, high REAL, unit TEXT NOT NULL, ci_low REAL, ci_high REAL, ci_level REAL,
    p TEXT, n INTEGER, arm TEXT, PRIMARY KEY (trial, position)
);
CREATE TABLE quotes (
    id INTEGER PRIMARY KEY, collection TEXT NOT NULL, record TEXT NOT NULL, position INTEGER NOT NULL,
    text TEXT NOT NULL, section TEXT NOT NULL, paragraph INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE TABLE quantities (
    claim TEXT NOT NULL REFERENCES claims(id), position INTEGER NOT NULL, label TEXT NOT NULL,
    value REAL, low REAL, high REAL, unit TEXT NOT NULL, ci_low REAL, ci_high REAL, ci_level REAL,
    p TEXT, n INTEGER, arm TEXT, PRIMARY KEY (claim, position)
);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY, collection TEXT NOT NULL, record TEXT NOT NULL, position INTEGER NOT NULL,
    text TEXT NOT NULL, kind TEXT NOT NULL
);
CREATE TABLE table1_support (
    cell TEXT NOT NULL REFERENCES table1(id), claim TEXT NOT NULL REFERENCES claims(id),
    PRIMARY KEY (cell, claim)
);
"""

# (table, owner column, its table, target column, its type and table): one row per (record, item).
LINKS = (
    ("claim_references", "claim", "claims", "reference", 'INTEGER NOT NULL REFERENCES "references"(number)'),
    ("claim_treatments", "claim", "claims", "treatment", "TEXT NOT NULL REFERENCES treatments(id)"),
    ("claim_mechanisms", "claim", "claims", "mechanism", "TEXT NOT NULL REFERENCES mechanisms(id)"),
    ("claim_entities", "claim", "claims", "entity", "TEXT NOT NULL REFERENCES entities(id)"),
    ("trial_references", "trial", "trials", "reference", 'INTEGER NOT NULL REFERENCES "references"(number)'),
    ("trial_treatments", "trial", "trials", "treatment", "TEXT NOT NULL REFERENCES treatments(id)"),
    ("side_effect_references", "side_effect", "side_effects", "reference",
     'INTEGER NOT NULL REFERENCES "references"(number)'),
    ("event_references", "event", "events", "reference", 'INTEGER NOT NULL REFERENCES "references"(number)'),
    ("event_treatments", "event", "events", "treatment", "TEXT NOT NULL REFERENCES treatments(id)"),
    ("pathway_references", "mechanism", "mechanisms", "reference",
     'INTEGER NOT NULL REFERENCES "references"(number)'),
)
LINK_TABLES = "".join(
    f"CREATE TABLE {name} ({owner} TEXT NOT NULL REFERENCES {table}(id), {target} {target_type}, "
    f"PRIMARY KEY ({owner}, {target}));\n"
    for name, owner, table, target, target_type in LINKS
)

FTS_AND_VIEWS = """
CREATE VIRTUAL TABLE claims_fts USING fts5(text, quote, section, content="claims");
INSERT INTO claims_fts(rowid, text, quote, section) SELECT rowid, text, quote, section FROM claims;
CREATE VIRTUAL TABLE trials_fts USING fts5(name, finding, quote, content="trials");
INSERT INTO trials_fts(rowid, name, finding, quote) SELECT rowid, name, finding, quote FROM trials;
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, section, content="quotes", content_rowid="id");
INSERT INTO quotes_fts(rowid, text, section) SELECT id, text, section FROM quotes;
CREATE VIRTUAL TABLE notes_fts USING fts5(text, content="notes", content_rowid="id");
INSERT INTO notes_fts(rowid, text) SELECT id, text FROM notes;
CREATE VIRTUAL TABLE references_fts USING fts5(title, authors, journal, content="references", content_rowid="number");
INSERT INTO references_fts(rowid, title, authors, journal) SELECT number, title, authors, journal FROM "references";
CREATE VIEW claims_with_references AS
    SELECT claims.id AS claim, claims.text, claims.section, claims.stance, claims.evidence, claims.topic,
           claims.treatments, claims.mechanisms, r.number AS reference, r.key, r.title AS reference_title,
           r.journal, r.year, r.doi
    FROM claims JOIN claim_references cr ON cr.claim = claims.id JOIN "references" r ON r.number = cr.reference;
CREATE VIEW table1_with_support AS
    SELECT t.id AS cell, t.treatment, t.dimension, t.text AS cell_text, c.id AS claim, c.text AS claim_text,
           c.section, c.refs
    FROM table1 t LEFT JOIN table1_support s ON s.cell = t.id LEFT JOIN claims c ON c.id = s.claim;
"""

DESCRIPTIONS = {
    "review": "The review this database encodes, its license, and the dataset's SHA-256 and ketcli version.",
    "references": "The review's references, as printed; doi_url is made only from a printed DOI.",
    "treatments": "The treatments the review names; in_table1 marks the four of its Table 1.",
    "treatment_attributes": "Cited facts about each treatment (class, route, approval, cost …).",
    "table1": "The review's Table 1, cell by cell, verbatim (Table 1 cites nothing; see table1_support).",
    "table1_support": "The claims of the review's text that say the same as a Table 1 cell.",
    "mechanisms": "Mechanisms: ketamine's theories, how other treatments act, depression's biology.",
    "pathway_steps": "Steps of each mechanism's pathway (Figures 1-2 and the text); after = steps it follows.",
    "entities": "Receptors, molecules, brain regions and other entities the claims name.",
    "claims": "One statement of the review each, with its references, section, stance and kind of evidence.",
    "trials": "Trials and studies the review reports, with design and numbers as printed.",
    "results": "The numbers the review prints for each trial.",
    "quantities": "The numbers each claim gives.",
    "side_effects": "Side effects per treatment with the frequencies the review reports.",
    "events": "Dated events (syntheses, approvals, eras), the date as printed in \"when\".",
    "notes": "The dataset's notes on records: repetitions, contradictions, references that do not fit "
             "(kind = note), and curators' notes on the text extraction (kind = curation).",
    "quotes": "The review's own words for each claim, trial, Table 1 cell and caption: each span exactly as "
              "printed, with where it stands (section, paragraph, character offsets in the source text).",
    "characteristics": "Numbers that describe a trial rather than its outcomes (a dose, an infusion time, "
                       "the trials a meta-analysis pools).",
}
COLUMNS = {
    "claims": {
        "stance": "Toward its mechanisms: supports, contradicts, mixed or context.",
        "evidence": "Kind of evidence behind it, as the review's sentence describes it.",
        "section": "Section of the review it comes from.",
        "refs": "Reference numbers the review cites for it (JSON list).",
        "treatments": "Treatments it is about (JSON list of ids).",
        "mechanisms": "Mechanisms it is about (JSON list of ids).",
        "entities": "Entities it names (JSON list of ids).",
        "topic": "What aspect of the evidence it is about.",
    },
    "table1": {
        "text": "The cell verbatim.",
        "value_low": "Lower end of the numbers the cell prints.",
        "value_high": "Upper end; empty for an open bound (\"upwards of\").",
        "value_bound": "range, at least or at most.",
        "supported_by": "Claims saying the same (JSON list of ids).",
    },
    "trials": {
        "n": "Participants as printed; empty where the review prints none (not reported in the source).",
        "design_basis": "Where the design comes from: the reference's title or the review's text.",
        "head_to_head": "1 where it compares treatments of the dataset directly.",
    },
    "references": {"doi": "DOI as printed; empty where the review prints none.",
                   "pages": "Page range exactly as printed (reference 3's \"359-49\" too: never an invented range)."},
    "quotes": {"text": "One span of the review's text, exactly as printed.",
               "start": "Character offset of the span in the source text (end: one past its last character)."},
}
for _table in ("claims", "trials", "table1"):
    COLUMNS.setdefault(_table, {}).update({
        "quote": "The review's own words for it, exactly as printed (its spans joined by a space; see quotes).",
        "locator": "Where each span stands in the source text (JSON list: section, paragraph, start, end).",
    })
FACETS = {
    "claims": ["stance", "evidence", "section", {"array": "treatments"}],
    "trials": ["section", {"array": "treatments"}],
    "side_effects": ["treatment", "section"],
    "table1": ["treatment", "dimension"],
    "mechanisms": ["scope", "treatment"],
}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _quantity_rows(owner: str, quantities: Sequence[Mapping[str, Any]]) -> list[tuple]:
    return [
        (owner, i, q["label"], q["value"], q["low"], q["high"], q["unit"], q["ci_low"], q["ci_high"],
         q["ci_level"], q["p"], q["n"], q["arm"])
        for i, q in enumerate(quantities)
    ]


def build(data: Data, sha256: str, version: str) -> bytes:
    """The database's bytes (same dataset and version, same bytes)."""
    import sqlite3

    db = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db.executescript(SCHEMA + LINK_TABLES)
        db.execute("BEGIN")
        _fill(db, data, sha256, version)
        db.execute("COMMIT")
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # integrity.py has checked every link: this would be a bug here
            raise RuntimeError(f"export broke a foreign key: {problems[:3]}")
        db.executescript(FTS_AND_VIEWS)
        db.execute("VACUUM")
        return db.serialize()
    finally:
        db.close()


def _fill(db, data: Data, sha256: str, version: str) -> None:
    s = data.source
    db.execute(
        "INSERT INTO review VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (s["doi"], s["title"], _json(s["authors"]), s["journal"], s["volume"], s["issue"], s["article_number"],
         s["year"], s["published"], s["license"], LICENSE_URLS.get(s["license"]), data.raw.get("dataset_version"),
         sha256, version),
    )
    notes: list[tuple] = []
    links: dict[str, list[tuple]] = {name: [] for name, *_ in LINKS}

    quotes: list[tuple] = []

    def noted(collection: str, key, record: Mapping[str, Any]) -> str:
        notes.extend((collection, str(key), i, text, "note") for i, text in enumerate(record.get("notes", [])))
        notes.extend((collection, str(key), i, text, "curation")
                     for i, text in enumerate(record.get("curation_notes", [])))
        return _json(record.get("notes", []))

    def quoted(collection: str, key, record: Mapping[str, Any]) -> tuple[str, str]:
        quotes.extend((collection, str(key), i, words, where["section"], where["paragraph"], where["start"],
                       where["end"]) for i, (words, where) in enumerate(zip(record["quote"], record["locator"])))
        return " ".join(record["quote"]), _json(record["locator"])

    def link(name: str, owner, items) -> None:
        links[name].extend((owner, item) for item in dict.fromkeys(items))

    db.executemany('INSERT INTO "references" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)', [
        (r["number"], r["key"], _json(r["authors"]), int(r["et_al"]), r["title"], r["journal"], r["year"],
         r["volume"], r["pages"], r["doi"], doi_url(r["doi"]) if r["doi"] else None,
         r["design"], r["design_basis"], noted("references", r["number"], r))
        for r in data["references"]
    ])
    db.executemany("INSERT INTO treatments VALUES (?,?,?,?,?,?,?,?,?)", [
        (t["id"], t["name"], t["full_name"], _json(t["aliases"]), t["kind"], None, int(t["in_table1"]),
         t["summary"], noted("treatments", t["id"], t))
        for t in data["treatments"]
    ])
    db.executemany("UPDATE treatments SET parent = ? WHERE id = ?",
                   [(t["parent"], t["id"]) for t in data["treatments"] if t["parent"]])
    db.executemany("INSERT INTO treatment_attributes VALUES (?,?,?,?,?,?)", [
        (t["id"], i, a["name"], a["value"], _json(a["refs"]), a["section"])
        for t in data["treatments"] for i, a in enumerate(t["attributes"])
    ])
    db.executemany("INSERT INTO entities VALUES (?,?,?,?)",
                   [(e["id"], e["name"], _json(e["aliases"]), e["kind"]) for e in data["entities"]])
    db.executemany("INSERT INTO mechanisms VALUES (?,?,?,?,?,?,?,?,?,?,?)", [
        (m["id"], m["name"], _json(m["aliases"]), m["scope"], m["treatment"], m["status"], m["status_section"],
         m["evidence_basis"], m["section"], m["summary"], noted("mechanisms", m["id"], m))
        for m in data["mechanisms"]
    ])
    db.executemany("INSERT INTO pathway_steps VALUES (?,?,?,?,?,?,?)", [
        (m["id"], step["id"], i, step["label"], _json(step["after"]), _json(step["refs"]), step["source"])
        for m in data["mechanisms"] for i, step in enumerate(m["pathway"])
    ])
    for m in data["mechanisms"]:
        link("pathway_references", m["id"], [n for step in m["pathway"] for n in step["refs"]])
    db.executemany("INSERT INTO trials VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
        (t["id"], t["name"], t["design"], t["design_basis"], _json(t["refs"]), t["section"], _json(t["treatments"]),
         t["population"], t["n"], t["outcome_measure"], t["outcome"], t["setting"], t["follow_up"], t["finding"],
         int(t["head_to_head"]), noted("trials", t["id"], t), *quoted("trials", t["id"], t))
        for t in data["trials"]
    ])
    db.executemany("INSERT INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   [row for t in data["trials"] for row in _quantity_rows(t["id"], t["results"])])
    db.executemany("INSERT INTO characteristics VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   [row for t in data["trials"] for row in _quantity_rows(t["id"], t["characteristics"])])
    for t in data["trials"]:
        link("trial_references", t["id"], t["refs"])
        link("trial_treatments", t["id"], t["treatments"])
    db.executemany("INSERT INTO claims VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
        (c["id"], c["text"], c["section"], _json(c["refs"]), c["topic"], c["stance"], c["evidence"],
         _json(c["treatments"]), _json(c["mechanisms"]), _json(c["entities"]), c["trial"],
         noted("claims", c["id"], c), *quoted("claims", c["id"], c))
        for c in data["claims"]
    ])
    db.executemany("INSERT INTO quantities VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                   [row for c in data["claims"] for row in _quantity_rows(c["id"], c["quantities"])])
    for c in data["claims"]:
        link("claim_references", c["id"], c["refs"])
        link("claim_treatments", c["id"], c["treatments"])
        link("claim_mechanisms", c["id"], c["mechanisms"])
        link("claim_entities", c["id"], c["entities"])
    cells = [(f"{c['treatment']}:{c['dimension']}", c) for c in data["table1"]]
    db.executemany("INSERT INTO table1 VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", [
        (key, c["treatment"], c["dimension"], c["text"], *_range(c["value"]), _json(c["supported_by"]),
         noted("table1", key, c), *quoted("table1", key, c))
        for key, c in cells
    ])
    db.executemany("INSERT INTO table1_support VALUES (?,?)",
                   [(key, claim) for key, c in cells for claim in dict.fromkeys(c["supported_by"])])
    db.executemany("INSERT INTO side_effects VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
        (e["id"], e["treatment"], e["effect"], e["frequency"], *_quantity(e["quantity"]), e["time_course"],
         _json(e["refs"]), e["section"], e["study"], noted("side_effects", e["id"], e))
        for e in data["side_effects"]
    ])
    for e in data["side_effects"]:
        link("side_effect_references", e["id"], e["refs"])
    db.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?)", [
        (e["id"], e["year"], e["end_year"], e["when"], e["label"], _json(e["treatments"]), _json(e["refs"]),
         e["section"])
        for e in data["events"]
    ])
    for event in data["events"]:
        link("event_references", event["id"], event["refs"])
        link("event_treatments", event["id"], event["treatments"])
    for caption in data.source.get("captions") or []:
        quoted("captions", caption["label"], caption)
    db.executemany("INSERT INTO notes (collection, record, position, text, kind) VALUES (?,?,?,?,?)", notes)
    db.executemany('INSERT INTO quotes (collection, record, position, text, section, paragraph, start, "end") '
                   "VALUES (?,?,?,?,?,?,?,?)", quotes)
    for name, rows in links.items():
        db.executemany(f"INSERT INTO {name} VALUES (?,?)", rows)


def _range(value: Mapping[str, Any] | None) -> tuple:
    if value is None:
        return (None, None, None, None)
    return (value["low"], value["high"], value["unit"], value["bound"])


def _quantity(q: Mapping[str, Any] | None) -> tuple:
    if q is None:
        return (None,) * 6
    return (q["label"], q["value"], q["low"], q["high"], q["unit"], q["n"])


def metadata(data: Data, database: str) -> dict:
    """Datasette's metadata for the database file whose name (without .db) is `database`."""
    s = data.source
    source = f"{', '.join(s['authors'])}. {s['title']}. {s['journal']} {s['year']}"
    tables = {}
    for table, description in DESCRIPTIONS.items():
        entry: dict = {"description": description}
        if table in COLUMNS:
            entry["columns"] = COLUMNS[table]
        if table in FACETS:
            entry["facets"] = FACETS[table]
        tables[table] = entry
    tables["claims"]["fts_table"] = "claims_fts"
    tables["notes"]["fts_table"] = "notes_fts"
    tables["quotes"]["fts_table"] = "quotes_fts"
    tables["references"]["fts_table"] = "references_fts"
    tables["references"]["fts_pk"] = "number"
    return {
        "title": "ketcli: ketamine for major depressive disorder, from one review",
        "description": "The dataset of ketcli: what the review says, record by record, every claim cited.",
        "source": source,
        "source_url": doi_url(s["doi"]),
        "license": s["license"],
        "license_url": LICENSE_URLS.get(s["license"]),
        "databases": {database: {"source": source, "source_url": doi_url(s["doi"]),
                                 "license": s["license"], "license_url": LICENSE_URLS.get(s["license"]),
                                 "tables": tables}},
    }
