"""The review's own words: every claim, trial finding and Table 1 cell carries a quote that the
source text holds exactly, where its locator says; `ketcli validate` fails on one that it does not."""

import re
import tomllib

import pytest

from ketcli.data import quotes
from ketcli.data.dataset import bundled_path


@pytest.fixture(scope="module")
def raw():
    return tomllib.loads(bundled_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def source(source_text):
    return quotes.Source(source_text)


def test_every_claim_trial_and_table_cell_carries_a_quote_found_where_its_locator_says(raw, source):
    records = list(quotes.quoted(raw))
    assert sum(1 for c, _, _ in records if c == "claims") == 207
    assert sum(1 for c, _, _ in records if c == "trials") == 16
    assert sum(1 for c, _, _ in records if c == "table1") == 20
    missing = [label for _, label, r in records if not r.get("quote")]
    assert missing == []
    assert quotes.problems(raw, source) == []


def test_a_quote_is_the_review_s_own_words_with_its_reference_numbers(raw, source):
    """The brackets printed on a claim's quoted sentences are the claim's refs (a quote that
    ends where a page break cuts the sentence carries them on its next span)."""
    wrong = []
    for claim in raw["claims"] + raw["trials"]:
        printed = {int(n) for span in claim["quote"]
                   for group in re.findall(r"\[(\d+(?:,\s*\d+)*)\]", span) for n in re.split(r",\s*", group)}
        if printed != set(claim.get("refs", [])):
            wrong.append((claim["id"], sorted(printed), claim.get("refs", [])))
    assert wrong == []


def test_table_cells_are_quoted_from_their_own_row(raw, source):
    for cell in raw["table1"]:
        (loc,) = cell["locator"]
        row = source.raw[source.raw.rfind("\n", 0, loc["start"]) + 1:source.raw.find("\n", loc["start"])]
        label = {"ketamine": "Ketamine", "ssris": "SSRIs", "tcas": "TCAs", "ect": "ECT"}[cell["treatment"]]
        assert row.startswith(label + "\t"), cell
        assert source.raw[loc["start"]:loc["end"]] == cell["text"].replace("$", "\\$")


def test_normalisation_undoes_the_documented_artifacts_and_nothing_else(source):
    assert "upwards of $1000 per session" in source.text
    assert "p < 0.001 for the noninferiority" in source.text
    assert "5-HT2A and D₂ receptors" in source.text
    assert "\n" not in source.text and "\t" not in source.text
    (loc,) = [source.locate("p < 0.001 for the noninferiority")]
    assert source.raw[loc["start"]:loc["end"]] == "$p < 0.001$ for the noninferiority"


def test_locator_counts_sections_and_paragraphs_as_documented(source):
    loc = source.locate("There are also concerns regarding ketamine-induced urinary tract dysfunction")
    assert (loc["section"], loc["paragraph"]) == ("Ketamine: side effects", 3)
    # a sentence cut by a page break goes on in the same paragraph
    loc = source.locate("experiencing suicidality; in contrast")
    assert (loc["section"], loc["paragraph"]) == ("SSRIs: Delayed Onset of Action", 1)
    # the second "Side Effects" heading is the comparison's
    loc = source.locate("SSRIs commonly cause sexual dysfunction, insomnia, and nausea [2].")
    assert loc["section"] == "Comparison: Side Effects"


def test_one_altered_quote_fails_validate_with_its_file_line_and_id(run, tmp_path):
    text = bundled_path().read_text(encoding="utf-8")
    old = '"Ketamine has emerged as a mechanistically novel, effective, and rapidly acting antidepressant."]'
    assert text.count(old) == 1
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, old.replace("novel", "new")), encoding="utf-8")
    line = next(i for i, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("quote = ") and "mechanistically new" in text)
    r = run("validate", str(bad))
    assert r.code == 3
    assert f"{bad}:{line}: claim abstract-ketamine-novel-rapid: quote not found in the source" in " ".join(r.out.split())
    doc = run("validate", str(bad), "--json").json()
    assert doc["problems"] == [f"{bad}:{line}: claim abstract-ketamine-novel-rapid: quote not found in the source"]


def test_a_locator_that_points_elsewhere_fails_validate(run, tmp_path):
    text = bundled_path().read_text(encoding="utf-8")
    start = text.index('locator = [{ section = "Abstract", paragraph = 1, start = ')
    number = re.match(r'locator = \[\{ section = "Abstract", paragraph = 1, start = (\d+)', text[start:]).group(1)
    bad = tmp_path / "moved.toml"
    bad.write_text(text[:start] + text[start:].replace(f"start = {number}", f"start = {int(number) + 1}", 1), encoding="utf-8")
    doc = run("validate", str(bad), "--json").json()
    assert doc["ok"] is False
    assert len(doc["problems"]) == 1 and "does not point at the quote" in doc["problems"][0]


def test_the_bundled_dataset_validates(run):
    r = run("validate", "--json")
    assert r.code == 0 and r.json()["ok"] is True, r.out


def test_a_normal_query_does_not_read_the_source(run, monkeypatch):
    def refuse(path):
        raise AssertionError("the source text was read by a normal query")

    monkeypatch.setattr(quotes, "load", refuse)
    assert run("mechanism", "nmdar", "--json").code == 0
    assert run("treatment", "ketamine", "--claims", "--json").code == 0
    assert run("search", "dissociation", "--json").code == 0
    assert run("compare", "--json").code == 0
