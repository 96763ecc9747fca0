"""`--quotes` views show the review's exact words with their locator; JSON always carries them."""

from ketcli.query import results


def flat(text: str) -> str:
    return " ".join(text.split())


def ok(r):
    assert r.code == 0, (r.code, r.err)
    return r


def test_mechanism_quotes_shows_exact_words_and_locator(run):
    out = flat(ok(run("mechanism", "opioid", "--quotes", env={"COLUMNS": "400"})).out)
    assert ("“Morphine, a μ receptor agonist, did not show similar antidepressant effects to ketamine, indicating "
            "that while opioid receptor agonism may be necessary for ketamine's antidepressant effects, ketamine's "
            "antidepressant action cannot be fully explained by μ receptor agonism [1].” — Opioid Receptor Theory, "
            "paragraph 1, characters") in out
    plain = flat(ok(run("mechanism", "opioid", env={"COLUMNS": "400"})).out)
    assert "“Morphine" not in plain


def test_treatment_claims_quotes(run):
    out = flat(ok(run("treatment", "ect", "--claims", "--quotes", env={"COLUMNS": "400"})).out)
    assert "“ECT is a non-pharmacological antidepressant treatment that has been used for nearly a century [3].” — ECT, paragraph 1" in out
    r = run("treatment", "ect", "--quotes")
    assert r.code == 2 and "--claims" in r.err


def test_search_quotes_shows_the_finding_of_a_trial(run):
    out = flat(ok(run("search", "noninferiority", "--quotes", env={"COLUMNS": "400"})).out)
    assert "occurred in 55.4% of patients receiving ketamine versus 41.2% receiving ECT" in out
    assert "Comparison: Response Rates, paragraph 1, characters" in out


def test_json_always_carries_quote_and_locator(run):
    doc = ok(run("search", "dissociation", "--json")).json()
    results.check("search", doc)
    assert doc["schema_version"] == 2
    claims = [h for h in doc["hits"] if h["kind"] == "claim"]
    assert claims and all(h["quote"] and len(h["locator"]) == len(h["quote"]) for h in claims)
    others = [h for h in doc["hits"] if h["kind"] in ("side effect", "reference")]
    assert all(h["quote"] == [] for h in others)
    mech = ok(run("mechanism", "nmdar", "--json")).json()
    assert all(c["quote"] and c["locator"] for c in mech["claims"])
    compare = ok(run("compare", "--json")).json()
    cell = next(c for row in compare["rows"] for c in row["cells"] if c["treatment"] == "ketamine" and row["dimension"] == "onset")
    assert cell["quote"] == ["Hours"] and cell["locator"][0]["section"] == "Table 1"
    assert cell["support"][0]["quote"][0].startswith("Compared to SSRIs and TCAs, which take several weeks")


def test_csv_of_a_quotes_view_has_quote_and_locator_columns(run):
    out = ok(run("mechanism", "monoamine", "--quotes", "--format", "csv")).out
    assert out.splitlines()[0].endswith(",quote,locator")
    assert "However, the effects on monoaminergic signaling alone cannot fully explain" in out


def test_about_counts_checked_quotes(run):
    doc = ok(run("about", "--json")).json()
    assert doc["dataset"]["quotes"] == {"claims": 207, "with_quote": 207, "checked": 207}
    assert "207 of 207 claims carry a quote found in the review's text" in flat(ok(run("about")).out)


def test_a_quotes_view_refuses_to_show_a_quote_the_review_does_not_hold(run, tmp_path):
    from ketcli.data.dataset import bundled_path

    text = bundled_path().read_text(encoding="utf-8")
    old = "opioid receptor agonism may be necessary for ketamine's antidepressant effects, ketamine's"
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace(old, old.replace("may be", "is")), encoding="utf-8")
    r = run("--data", str(bad), "mechanism", "opioid", "--quotes")
    assert r.code == 3 and "quote not found in the source" in r.err
