"""Every value in the bundled dataset can be found in the review's text."""

import re
import tomllib

import pytest

from ketcli.data.dataset import bundled_path


@pytest.fixture(scope="module")
def raw():
    return tomllib.loads(bundled_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def text(source_text):
    # Undo the extraction's artifacts the source README lists, so "$1000" matches "\$1000".
    return source_text.replace("\\$", "$")


def printed_numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)}


def quantities(raw):
    for collection in ("claims", "trials"):
        for record in raw[collection]:
            for q in record.get("quantities", []) + record.get("results", []):
                yield record["id"], q
    for effect in raw["side_effects"]:
        if effect.get("quantity"):
            yield effect["id"], effect["quantity"]


def test_every_number_in_quantities_trials_and_side_effects_is_printed(raw, text):
    printed = printed_numbers(text)
    missing = []
    for rid, q in quantities(raw):
        for field in ("value", "low", "high", "ci_low", "ci_high", "n"):
            if q.get(field) is not None and float(q[field]) not in printed:
                missing.append(f"{rid}.{field}={q[field]}")
    for trial in raw["trials"]:
        if trial.get("n") is not None and float(trial["n"]) not in printed:
            missing.append(f"{trial['id']}.n={trial['n']}")
    for cell in raw["table1"]:
        for field in ("low", "high"):
            if cell.get("value") and cell["value"].get(field) is not None and float(cell["value"][field]) not in printed:
                missing.append(f"table1 {cell['treatment']}/{cell['dimension']}.{field}")
    for event in raw["events"]:
        for field in ("year", "end_year"):
            if event.get(field) is not None and str(event[field]) not in text:
                missing.append(f"{event['id']}.{field}={event[field]}")
    assert missing == []


def test_table_1_cells_are_verbatim(raw, text):
    table = text[text.index("Treatment\tOnset of action"):text.index("TABLE 1:")]
    for cell in raw["table1"]:
        assert cell["text"] in table, cell


def test_references_are_as_printed(raw, text):
    listing = text[text.rindex("References"):]
    flat = " ".join(listing.replace("*", "").split())
    for ref in raw["references"]:
        if ref.get("doi"):
            assert f"[{ref['doi']}](https://doi.org/{ref['doi']})" in listing, ref["number"]
        assert ref["title"] in flat, ref["number"]
        for author in ref["authors"]:
            assert author in flat, (ref["number"], author)
        for field in ("journal", "volume", "pages"):
            if ref.get(field):
                assert ref[field] in flat, (ref["number"], field)
        assert f"{ref['year']}, {ref['volume']}:{ref['pages']}" in flat, ref["number"]


def test_every_cited_bracket_in_the_text_is_a_reference_of_the_dataset(raw, text):
    cited = {int(n) for group in re.findall(r"\[(\d+(?:,\s*\d+)*)\]", text) for n in re.split(r",\s*", group)}
    assert cited == {r["number"] for r in raw["references"]}


EXAMPLE_MARKERS = ("such as", "like", "including", "e.g.", "for example", "among them")


def test_a_list_the_review_gives_as_examples_stays_examples(raw):
    """"neurotransmitters like serotonin, dopamine, and norepinephrine" names examples; a claim or a
    finding that repeats the members must not close the list ("the enzyme that breaks down …")."""
    closed = []
    records = [(c["id"], c["text"], c["quote"]) for c in raw["claims"]]
    records += [(t["id"], t["finding"], t["quote"]) for t in raw["trials"]]
    for rid, text, quote in records:
        words = " ".join(quote)
        for marker, first in re.findall(r"\b(such as|like|including) (?:the )?([A-Za-z][\w-]+)", words):
            if first.lower() in {"they", "a", "an", "this", "that", "those"}:
                continue
            if re.search(rf"\b{re.escape(first)}\b", text) and not any(
                re.search(rf"\b{re.escape(m)}\b", text) for m in EXAMPLE_MARKERS
            ):
                closed.append((rid, marker, first))
    assert closed == []


def test_a_claim_keeps_the_review_s_hedge_and_its_scope(raw):
    claims = {c["id"]: c for c in raw["claims"]}
    trials = {t["id"]: t for t in raw["trials"]}
    # "These findings", not "the drawbacks of SSRIs, TCAs and ECT"
    assert claims["intro-search-for-alternatives"]["text"].startswith("These findings have driven")
    # the review's inference, not the meta-analysis' finding
    assert claims["duration-ssri-tca-months"]["text"].startswith("This indicates that")
    # the transience sentence covers the whole section, not the 188-participant study alone
    finding = trials["side-effect-study-188-participants"]["finding"]
    assert "the side effects were largely transient" not in finding
    assert "side effects covered in its section" in finding
