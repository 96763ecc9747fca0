"""`ketcli export fhir`: one FHIR R5 Bundle, read back with the `fhir.resources` R5 models,
FHIR's JSON rules, and R5's value sets for every code it uses."""

import errno
import json
import math
import re

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

import ketcli
from ketcli.data.dataset import load
from ketcli.render.fhir.values import markdown, unmarkdown

pytest.importorskip("fhir.resources", reason="the FHIR R5 models (fhir.resources) are a test dependency")

REVIEW_DOI_URL = "https://doi.org/10.7759/cureus.83244"
QUOTATION = "http://hl7.org/fhir/uv/ebm/StructureDefinition/relates-to-with-quotation"
FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
NOT_IN_FHIR_STRING = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# The codes FHIR R5 (5.0.0) allows for each coded element the export uses, written down from
# the R5 value sets (hl7.fhir.r5.core 5.0.0, and hl7.terminology.r5 for the code systems at
# terminology.hl7.org); fhir.resources checks types and cardinality, not these.
BUNDLE_TYPE = {"document", "message", "transaction", "transaction-response", "batch", "batch-response", "history",
               "searchset", "collection", "subscription-notification"}                    # ValueSet/bundle-type
PUBLICATION_STATUS = {"draft", "active", "retired", "unknown"}                             # ValueSet/publication-status
RELATED_ARTIFACT_TYPE = {                                                                  # ValueSet/related-artifact-type
    "documentation", "justification", "citation", "predecessor", "successor", "derived-from", "depends-on",
    "composed-of", "part-of", "amends", "amended-with", "appends", "appended-with", "cites", "cited-by",
    "comments-on", "comment-in", "contains", "contained-in", "corrects", "correction-in", "replaces",
    "replaced-with", "retracts", "retracted-by", "signs", "similar-to", "supports", "supported-with",
    "transforms", "transformed-into", "transformed-with", "documents", "specification-of", "created-with",
    "cite-as"}
QUANTITY_COMPARATOR = {"<", "<=", ">=", ">", "ad"}                                         # ValueSet/quantity-comparator
COMPOSITION_STATUS = {"registered", "partial", "preliminary", "final", "amended", "corrected", "appended",
                      "cancelled", "entered-in-error", "deprecated", "unknown"}            # ValueSet/composition-status
NARRATIVE_STATUS = {"generated", "extensions", "additional", "empty"}                      # ValueSet/narrative-status
CODINGS = {  # system → {code: display}, for the CodeableConcepts
    "http://terminology.hl7.org/CodeSystem/variable-role": {                              # ValueSet/variable-role
        "population": "population", "subpopulation": "subpopulation", "exposure": "exposure",
        "referenceExposure": "reference exposure", "measuredVariable": "measured variable",
        "confounder": "confounder", "measuredVariableA": "measured variable A",
        "measuredVariableB": "measured variable B", "measuredVariableAB": "measured variable A to B"},
    "http://terminology.hl7.org/CodeSystem/statistic-type": {                             # ValueSet/statistic-type
        "absolute-MedianDiff": "Absolute Median Difference", "C25463": "Count", "0000301": "Covariance",
        "predictedRisk": "Predicted Risk", "descriptive": "Descriptive", "C93150": "Hazard Ratio",
        "C16726": "Incidence", "rate-ratio": "Incidence Rate Ratio", "C25564": "Maximum", "C53319": "Mean",
        "0000457": "Mean Difference", "C28007": "Median", "C25570": "Minimum", "C16932": "Odds Ratio",
        "C65172": "Pearson Correlation Coefficient", "C17010": "Prevalence", "C44256": "Proportion",
        "0000565": "Regression Coefficient", "C93152": "Relative Risk", "0000424": "Risk Difference",
        "C65171": "Spearman Rank-Order Correlation", "0000100": "Standardized Mean Difference"},
    "http://terminology.hl7.org/CodeSystem/attribute-estimate-type": {                    # ValueSet/attribute-estimate-type
        "0000419": "Cochran's Q statistic", "C53324": "Confidence interval", "0000455": "Credible interval",
        "0000420": "I-squared", "C53245": "Interquartile range", "C44185": "P-value", "C38013": "Range",
        "C53322": "Standard deviation", "0000037": "Standard error of the mean", "0000421": "Tau squared",
        "C48918": "Variance"},
    "http://hl7.org/fhir/title-type": {                                                   # ValueSet/title-type
        "primary": "Primary title", "official": "Official title", "scientific": "Scientific title",
        "plain-language": "Plain language title", "subtitle": "Subtitle", "short-title": "Short title",
        "acronym": "Acronym", "earlier-title": "Different text in an earlier version", "language": "Different language",
        "autotranslated": "Different language derived from autotranslation", "human-use": "Human use",
        "machine-use": "Machine use", "duplicate-uid": "Different text for the same object with a different identifier"},
    "http://hl7.org/fhir/published-in-type": {                                            # ValueSet/published-in-type
        "D020492": "Periodical", "D019991": "Database", "D001877": "Book", "D064886": "Dataset"},
    "http://hl7.org/fhir/artifact-url-classifier": {                                      # ValueSet/artifact-url-classifier
        "abstract": "Abstract", "full-text": "Full-Text", "supplement": "Supplement", "webpage": "Webpage",
        "file-directory": "File directory", "code-repository": "Code repository", "restricted": "Restricted",
        "compressed-file": "Compressed file", "doi-based": "DOI Based", "pdf": "PDF", "json": "JSON", "xml": "XML",
        "version-specific": "Version Specific", "computable-resource": "Computable resource",
        "not-specified": "Not Specified"},
    "http://hl7.org/fhir/contributor-summary-type": {                                     # ValueSet/contributor-summary-type
        "author-string": "Author string", "contributorship-list": "Contributorship list",
        "contributorship-statement": "Contributorship statement", "acknowledgement-list": "Acknowledgment list",
        "acknowledgment-statement": "Acknowledgment statement", "funding-statement": "Funding statement",
        "competing-interests-statement": "Competing interests statement"},
    # Not an R5 value set: the section codes of the EBM-on-FHIR IG's SummaryOfFindings profile
    # (input/fsh/composition/p-summary-of-findings.fsh), where Composition.type and section.code
    # bind only preferred or example value sets.
    "https://fevir.net/resources/CodeSystem/179423": {
        "SummaryOfFindings": "SummaryOfFindings", "column-headers": "Column Headers",
        "summary-of-findings": "Summary of Findings",
        "summary-of-findings-entry-for-a-single-outcome": "Summary of findings entry for a single outcome",
        "outcome-measure": "Outcome Measure", "sample-size": "Sample Size",
        "result-with-comparator-alone": "Result with comparator alone",
        "result-with-intervention-alone": "Result with intervention alone",
        "result-with-intervention-alone-calculated": "Result with intervention alone (calculated)",
        "result-with-intervention-vs-comparator": "Result with intervention vs. comparator",
        "certainty-of-evidence": "Certainty of Evidence", "assertion": "Assertion", "groups": "Groups",
        "variables": "Variables"},
}


@pytest.fixture(scope="module")
def bundle():
    return ketcli.open().export_fhir()


def resources(bundle, kind=None):
    return [e["resource"] for e in bundle["entry"] if kind is None or e["resource"]["resourceType"] == kind]


def walk(value, path=""):
    """(path, value) for every element, leaves and containers alike."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from walk(item, path)


def validate_all(bundle):
    from fhir.resources import get_fhir_model_class
    from fhir.resources.bundle import Bundle

    for resource in resources(bundle):
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)  # raises on any error
    Bundle.model_validate(bundle)


def assert_fhir_json(bundle):
    """FHIR's JSON rules: resourceType first, valid and unique ids, no empty element, no
    control character in a string, every reference resolving inside the Bundle."""
    assert list(bundle)[0] == "resourceType" and bundle["type"] in BUNDLE_TYPE and bundle["type"] == "collection"
    ids = [(r["resourceType"], r["id"]) for r in resources(bundle)]
    assert len(ids) == len(set(ids)) and all(FHIR_ID.match(i) for _, i in ids)
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(urls) == len(set(urls)) and all(u.startswith("urn:uuid:") for u in urls)
    for resource in resources(bundle):
        assert list(resource)[0] == "resourceType"
    for path, value in walk(bundle):
        assert value not in (None, "", [], {}), path
        if isinstance(value, str):
            assert not NOT_IN_FHIR_STRING.search(value), path
        if isinstance(value, float):
            assert math.isfinite(value), path
        if path.endswith(".reference"):
            assert value in urls, path


def assert_codes_in_r5_value_sets(bundle):
    used = set()
    for resource in resources(bundle):
        statuses = COMPOSITION_STATUS if resource["resourceType"] == "Composition" else PUBLICATION_STATUS
        assert resource["status"] in statuses
        for path, value in walk(resource):
            if isinstance(value, dict) and "system" in value and "code" in value and path.endswith("coding"):
                assert value["system"] in CODINGS, value
                assert CODINGS[value["system"]].get(value["code"]) == value["display"], value
                used.add((value["system"], value["code"]))
            if path.endswith(("relatedArtifact.type", "relatesTo.type")):
                assert value in RELATED_ARTIFACT_TYPE, path
                used.add(("related-artifact-type", value))
            if path.endswith(".comparator"):
                assert value in QUANTITY_COMPARATOR, path
            if path.endswith("text.status"):
                assert value in NARRATIVE_STATUS, path
    return used


def test_every_resource_validates_with_the_fhir_r5_models(bundle):
    validate_all(bundle)
    kinds = {r["resourceType"] for r in resources(bundle)}
    assert kinds == {"Citation", "Evidence", "EvidenceVariable", "Composition"}


def test_the_bundle_keeps_fhirs_json_rules(bundle):
    assert_fhir_json(bundle)


def test_every_code_is_one_r5_allows(bundle):
    used = assert_codes_in_r5_value_sets(bundle)
    roles = {code for system, code in used if system.endswith("variable-role")}
    assert roles == {"population", "exposure", "referenceExposure", "measuredVariable"}
    assert ("related-artifact-type", "derived-from") in used


def test_anand_2023s_difference_with_its_ci_p_and_the_reviews_words(bundle):
    trial = load(None).trials["anand2023-ketamine-vs-ect"]
    found = [r for r in resources(bundle, "Evidence")
             if r["statistic"][0].get("quantity", {}).get("value") == 14.2 and "calculated" not in r["title"]]
    assert len(found) == 1
    evidence = found[0]
    stat = evidence["statistic"][0]
    assert stat["quantity"] == {"value": 14.2, "unit": "percentage points"}
    assert stat["statisticType"]["coding"][0]["display"] == "Risk Difference"
    ci, p = stat["attributeEstimate"]
    assert ci["type"]["coding"][0]["code"] == "C53324" and ci["level"] == 0.95
    assert ci["range"] == {"low": {"value": 3.9, "unit": "percentage points"},
                           "high": {"value": 24.2, "unit": "percentage points"}}
    assert p["type"]["coding"][0]["code"] == "C44185" and p["quantity"] == {"comparator": "<", "value": 0.001}
    quoted = [a for a in evidence["relatedArtifact"] if a["type"] == "derived-from"]
    assert len(quoted) == 1 and quoted[0]["document"]["url"] == REVIEW_DOI_URL
    (extension,) = quoted[0]["extension"]
    assert extension["url"] == QUOTATION
    words = unmarkdown(extension["valueMarkdown"])
    assert words == trial["quote"][0]
    assert "difference, 14.2 percentage points; 95% confidence interval, 3.9 to 24.2; p < 0.001" in words
    assert evidence["certainty"] == [{"description": "not assessed in the source (narrative review)"}]
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    roles = {v["variableRole"]["coding"][0]["code"]: by_url[v["observed"]["reference"]]
             for v in evidence["variableDefinition"]}
    treatments = load(None).treatments
    assert roles["exposure"]["title"] == treatments["ketamine"]["name"]
    assert roles["referenceExposure"]["title"] == treatments["ect"]["name"]
    assert unmarkdown(roles["population"]["description"]) == trial["population"]
    assert roles["measuredVariable"]["title"] == trial["results"][2]["label"]
    cites = [a for a in evidence["relatedArtifact"] if a["type"] == "citation"]
    assert [a["label"] for a in cites] == ["[11]"]


def test_a_calculated_difference_is_marked_and_derived_from_the_printed_arms(bundle):
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    calculated = [r for r in resources(bundle, "Evidence") if "calculated" in r["title"]]
    assert len(calculated) == 1
    (evidence,) = calculated
    stat = evidence["statistic"][0]
    assert stat["quantity"]["value"] == 14.2 and "attributeEstimate" not in stat
    assert "not printed" in evidence["title"] and "55.4 − 41.2 = 14.2" in unmarkdown(evidence["description"])
    arms = [by_url[a["resourceReference"]["reference"]] for a in evidence["relatedArtifact"]
            if a.get("label") == "calculated from"]
    assert sorted(a["statistic"][0]["quantity"]["value"] for a in arms) == [41.2, 55.4]
    printed = [r for r in resources(bundle, "Evidence") if "calculated" not in r["title"]]
    assert all("calculated" not in unmarkdown(r["statistic"][0]["description"]) for r in printed)


def test_a_summary_of_findings_per_compared_pair_points_at_the_printed_evidence(bundle):
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    data = load(None)
    pairs = {tuple(t["treatments"]) for t in data["trials"] if t["head_to_head"] and len(t["treatments"]) == 2}
    summaries = {c["title"]: c for c in resources(bundle, "Composition")}
    assert sorted(summaries) == sorted(f"{data.treatments[a]['name']} compared with {data.treatments[b]['name']}"
                                       for a, b in pairs)
    summary = summaries["Ketamine compared with ECT"]
    headers, findings = summary["section"]
    assert [s["code"]["coding"][0]["code"] for s in headers["section"]] == [
        "outcome-measure", "sample-size", "result-with-comparator-alone", "result-with-intervention-alone",
        "result-with-intervention-vs-comparator", "certainty-of-evidence", "assertion"]
    rows = {r["text"]["div"]: {c["code"]["coding"][0]["code"]: c for c in r["section"]} for r in findings["section"]}
    anand = next(cells for div, cells in rows.items() if "Anand 2023" in div)

    def value(code):
        (entry,) = anand[code]["entry"]
        return by_url[entry["reference"]]["statistic"][0]["quantity"]["value"]

    assert (value("result-with-intervention-alone"), value("result-with-comparator-alone"),
            value("result-with-intervention-vs-comparator")) == (55.4, 41.2, 14.2)
    assert "not reported in the source" in anand["sample-size"]["text"]["div"]  # the review gives no arm sizes
    assert "not assessed in the source" in anand["certainty-of-evidence"]["text"]["div"]
    ketect = next(cells for div, cells in rows.items() if "KetECT" in div)
    assert "inferior to ECT" in ketect["assertion"]["text"]["div"] and "result-with-intervention-alone" not in ketect
    assert "GRADEpro" in summary["note"][0]["text"]


def test_one_evidence_per_printed_result_and_certainty_never_rated(bundle):
    data = load(None)
    printed = [r for r in resources(bundle, "Evidence") if "calculated" not in r["title"]]
    assert len(printed) == sum(len(t["results"]) for t in data["trials"])
    for r in resources(bundle, "Evidence"):
        assert all("rating" not in c for c in r["certainty"])


def test_a_studys_setting_follow_up_and_characteristics_stand_in_a_note(bundle):
    from ketcli.query.quantities import amount_text

    data = load(None)
    described = [t for t in data["trials"] if t["results"] and (t["characteristics"] or t["follow_up"] or t["setting"])]
    assert described
    for trial in described:
        for evidence in [r for r in resources(bundle, "Evidence") if r["title"].startswith(trial["name"])]:
            notes = " ".join(unmarkdown(n["text"]) for n in evidence["note"])
            for q in trial["characteristics"]:
                assert f"{q['label']}: {amount_text(q)}" in notes
            for key in ("setting", "follow_up"):
                assert trial[key] is None or trial[key] in notes


def test_citations_carry_the_references_as_printed(bundle):
    data = load(None)
    citations = resources(bundle, "Citation")
    assert len(citations) == len(data["references"]) + 1
    review = citations[0]["citedArtifact"]
    assert review["identifier"] == [{"system": "https://doi.org", "value": data.source["doi"]}]
    assert [x["label"] for x in review["relatesTo"]] == [f"[{r['number']}]" for r in data["references"]]
    for ref, citation in zip(data["references"], citations[1:]):
        artifact = citation["citedArtifact"]
        form = artifact["publicationForm"][0]
        assert artifact["title"][0]["text"] == ref["title"] or unmarkdown(artifact["title"][0]["text"]) == ref["title"]
        assert [e["contributor"]["display"] for e in artifact["contributorship"]["entry"]] == ref["authors"]
        assert artifact["contributorship"]["complete"] is (not ref["et_al"])
        summary = unmarkdown(artifact["contributorship"]["summary"][0]["value"])
        assert summary == ", ".join(ref["authors"]) + (", et al." if ref["et_al"] else "")
        assert summary.endswith(", et al.") is ref["et_al"]
        assert form["publishedIn"]["title"] == ref["journal"]
        assert form.get("volume") == ref["volume"] and form.get("pageString") == ref["pages"]
        assert form["articleDate"] == str(ref["year"])
        doi = [i["value"] for i in artifact.get("identifier", [])]
        assert doi == ([ref["doi"]] if ref["doi"] else [])


def test_same_bytes_twice_stdout_too_and_the_api_gives_the_same_dict(run, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert run("export", "fhir", str(first)).code == 0
    r = run("export", "fhir", str(second))
    assert r.code == 0 and r.out == "" and r.err == ""
    assert first.read_bytes() == second.read_bytes()
    out = run("export", "fhir", "-")
    assert out.code == 0 and out.out.encode("utf-8") == first.read_bytes()
    assert json.loads(first.read_bytes()) == ketcli.open().export_fhir()


def test_a_failed_write_exits_4_and_leaves_the_old_file(run, tmp_path, monkeypatch):
    from ketcli.data import files

    target = tmp_path / "evidence.json"
    target.write_text("old")

    def disk_full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "write_all", disk_full)
    r = run("export", "fhir", str(target))
    assert r.code == 4 and "unchanged" in r.err and r.out == ""
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["evidence.json"]
    monkeypatch.undo()
    assert run("export", "fhir", str(tmp_path)).code == 4  # a directory
    assert run("export", "fhir", str(tmp_path / "missing" / "e.json")).code == 4
    assert run("export", "fhir", " ").code == 2


STARTER = 'schema_version = 1\ndataset_version = "odd"\nextends = "bundled"\n'


def test_values_fhir_cannot_carry_are_left_out_with_a_note(run, tmp_path, hostile_records):
    own = hostile_records("bell\x07 nul\x00 esc\x1b[2J")
    own["trials"][0]["results"] = [
        {"label": "infinite", "value": float("inf"), "unit": "%", "arm": "ketamine"},
        {"label": "huge n", "value": 1.0, "unit": "", "n": 3_000_000_000},
        {"label": "odd p", "value": 2.0, "unit": "mmHg", "p": "not significant"},
        {"label": "sham response", "value": 3.0, "unit": "%", "arm": "sham"},
        {"label": "sham dropouts", "value": 4.0, "unit": "%", "arm": "sham"},
    ]
    own["trials"][0]["n"] = -1
    path = tmp_path / "odd.toml"
    path.write_text(STARTER + tomli_w.dumps(own))
    r = run("--data", str(path), "export", "fhir", "-")
    assert r.code == 0, r.err
    bundle = json.loads(r.out)
    validate_all(bundle)
    assert_fhir_json(bundle)
    assert_codes_in_r5_value_sets(bundle)
    odd = [x for x in resources(bundle, "Evidence") if x["id"].startswith("evil-trial")]
    assert len(odd) == 5
    sham = [v for v in resources(bundle, "EvidenceVariable") if v["title"] == "sham"]
    assert len(sham) == 1  # an arm naming no treatment: one variable, however many results it has
    odd = odd[:3]
    notes = [" ".join(unmarkdown(n["text"]) for n in x["note"]) for x in odd]
    assert all("title left out" in n and "control characters" in n for n in notes)
    assert "value left out: inf" in notes[0] and "quantity" not in odd[0]["statistic"][0]
    assert "n left out: 3000000000" in notes[1]
    assert "number of participants left out: -1" in notes[0]
    assert "p-value printed as 'not significant'" in notes[2]
    assert "not significant" in unmarkdown(odd[2]["statistic"][0]["description"])
    evil = [c for c in resources(bundle, "Citation") if c["id"].startswith("reference-35")][0]
    assert "title left out" in " ".join(n["text"] for n in evil["note"])


def test_the_hostile_dataset_exports_and_keeps_its_text_as_data(run, hostile_dataset, tmp_path):
    target = tmp_path / "hostile.json"
    r = run("--data", str(hostile_dataset), "export", "fhir", str(target))
    assert r.code == 0, r.err
    bundle = json.loads(target.read_bytes())
    validate_all(bundle)
    assert_fhir_json(bundle)
    evil = [c for c in resources(bundle, "Citation") if c["id"].startswith("reference-35")][0]["citedArtifact"]
    assert unmarkdown(evil["title"][0]["text"]) == "\"><img src=x onerror=alert('title')>"
    assert "webLocation" not in evil  # "javascript:alert('doi')" is no DOI: no URL is made of it
    assert evil["identifier"] == [{"system": "https://doi.org", "value": "javascript:alert('doi')"}]


@given(st.text(alphabet=st.sampled_from("ab1 .)-#+=*_`[]<>&~|\\!\n"), max_size=30))
def test_markdown_escaping_reads_back_as_the_same_text(text):
    assert unmarkdown(markdown(text)) == text


def test_a_number_at_the_start_of_a_statistic_stays_a_number():
    assert markdown("14.2 percentage points") == "14.2 percentage points"
    assert markdown("1. a list?") == "1\\. a list?"
