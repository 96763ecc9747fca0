"""`ketcli cite`: the review's references as printed."""

from ketcli.query import results


def test_cite_11_is_anand_2023_with_its_doi(run):
    doc = run("cite", "11", "--json").json()
    (ref,) = doc["references"]
    assert ref["authors"][0] == "Anand A" and ref["et_al"] is True
    assert ref["year"] == 2023
    assert ref["doi"] == "10.1056/NEJMoa2302399"
    assert ref["journal"] == "N Engl J Med"
    assert ref["pages"] == "2315-25"
    results.check("cite", doc)


def test_all_34_references_without_argument(run):
    refs = run("cite", "--json").json()["references"]
    assert [r["number"] for r in refs] == list(range(1, 35))
    assert refs[1]["doi"] is None  # reference 2 prints no DOI
    assert refs[2]["pages"] == "359-49"  # kept as printed
    assert refs[33]["key"] == "dadiomov2020" and refs[33]["doi"] == "10.18553/jmcp.2020.26.1.20"


def test_ranges_and_keys(run):
    assert [r["number"] for r in run("cite", "1-3", "anand2023", "--json").json()["references"]] == [1, 2, 3, 11]


def test_table_shows_number_authors_title_and_doi(run):
    r = run("cite", "11")
    assert r.code == 0
    assert "Anand A" in r.out and "2023" in r.out and "10.1056/NEJMoa2302399" in r.out


def test_missing_reference_exits_1(run):
    r = run("cite", "999")
    assert r.code == 1 and "999" in r.err and r.out == ""


def test_malformed_reference_exits_2(run):
    for bad in ("5-1", "1-", "#3"):
        r = run("cite", bad)
        assert r.code == 2, bad
        assert "Traceback" not in r.err


def test_an_unquoted_multi_word_search_says_to_quote_it(run):
    r = run("cite", "--search", "blood", "pressure")
    assert r.code == 2
    assert "'pressure' is not a reference; quote a multi-word query" in r.err
    assert "not both" not in r.err
    both = run("cite", "11", "--search", "ketamine")
    assert both.code == 2 and "not both" in both.err


def test_cite_search_usage_says_why_each_reference_is_listed(run):
    doc = run("cite", "--search", "blood pressure", "--usage", "--json").json()
    assert doc["search"] == "blood pressure"
    usage = {u["reference"]["number"]: u["uses"] for u in doc["usage"]}
    assert 7 in usage  # listed only for PCP's blood pressure
    assert all("blood pressure" in use["text"].lower() for use in usage[7])
    assert [r["number"] for r in doc["references"]] == sorted(usage)
    table = run("cite", "--search", "blood pressure", "--usage").out
    assert "among the records matching 'blood pressure'" in table


def test_cite_usage_json_has_top_level_references(run):
    doc = run("cite", "33", "--usage", "--json").json()
    assert [r["number"] for r in doc["references"]] == [33]
    assert doc["references"][0]["key"] == doc["usage"][0]["reference"]["key"]


def complete(words: str, env_extra: dict | None = None) -> list[str]:
    import os
    import subprocess
    import sys

    env = {**os.environ, "_KETCLI_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    done = subprocess.run([sys.executable, "-m", "ketcli", *[]], env=env, capture_output=True, text=True)
    return done.stdout.split()


def test_citation_keys_and_numbers_complete():
    assert complete("ketcli cite anan") == ["anand2023"]
    assert complete("ketcli cite 3") == ["3", "30", "31", "32", "33", "34"]
    assert "opioid" in complete("ketcli cite --mechanism op")
    assert "dosing" in complete("ketcli search --topic dos")
