"""`ketcli brief`: a self-contained HTML page, valid, escaped, linked within itself."""

import re
import shutil

import pytest


SECTIONS = ["conclusions", "table1", "trials", "sof", "side-effects", "mechanisms", "pathway", "references"]


SVG = "{http://www.w3.org/2000/svg}"


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def links(doc) -> list[str]:
    return [a.get("href") for a in doc.iter("a")]


def test_the_brief_holds_every_part_and_is_valid_html(run, brief):
    path, text, doc = brief("ketamine", "ect")
    assert [s.get("id") for s in doc.iter("section")] == SECTIONS
    assert "Evidence brief: Ketamine compared with ECT" in text
    assert "CC BY 4.0" in text and 'href="https://creativecommons.org/licenses/by/4.0/"' in text
    assert "55.4%" in text and "14.2 percentage points (95% CI 3.9 to 24.2; p &lt; 0.001)" in text
    assert "not assessed in the source (narrative review)" in text
    assert "derived, not printed: ketamine minus ECT, 55.4 − 41.2 = 14.2" in text
    about = run("about", "--json").json()
    assert about["dataset"]["sha256"] in text and f"ketcli {about['ketcli_version']}" in text
    # cell notes are visible; each cell's references link to the list
    assert "in the head-to-head trial [11] the ketamine arm" in text
    assert '<a href="#ref-15">15</a>' in text


def test_every_internal_link_has_a_target_and_doi_links_only_go_to_doi_org(brief):
    _, _, doc = brief()
    ids = {e.get("id") for e in doc.iter() if e.get("id")}
    hrefs = links(doc)
    internal = [h[1:] for h in hrefs if h.startswith("#")]
    assert internal and set(internal) <= ids
    external = {h for h in hrefs if not h.startswith("#")}
    assert "https://doi.org/10.1056/NEJMoa2302399" in external
    assert all(h.startswith("https://doi.org/10.") for h in external - {"https://creativecommons.org/licenses/by/4.0/"})


def test_it_is_self_contained(brief):
    _, text, doc = brief("ketamine", "ect")
    assert not list(doc.iter("script")) and not list(doc.iter("link")) and not list(doc.iter("img"))
    assert "@import" not in text and "url(" not in text
    assert not [e for e in doc.iter() if e.get("src")]


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed: the SVG pathway is not drawn")
def test_ketamines_pathway_is_inline_svg_with_graphviz(brief):
    _, _, doc = brief("ketamine", "ect")
    [svg] = list(doc.iter(SVG + "svg"))
    texts = " ".join(t.text or "" for t in svg.iter(SVG + "text"))
    assert "NMDARs" in texts


def test_without_graphviz_the_pathway_is_a_nested_list(brief, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    _, text, doc = brief("ketamine")
    assert not list(doc.iter(SVG + "svg"))
    lists = [u for u in doc.iter("ul") if u.get("class") == "pathway"]
    assert lists and "Ketamine antagonizes (inhibits) NMDARs" in text
    assert len(lists) > 1  # nested: a step under the step it follows


def test_dash_writes_the_page_to_stdout(run, brief):
    _, text, _ = brief("ketamine", "ect")
    r = run("brief", "ketamine", "ect", "--output", "-")
    assert r.code == 0 and r.out == text


def test_the_file_is_replaced_whole_and_a_failed_write_exits_4(run, tmp_path):
    target = tmp_path / "brief.html"
    target.write_text("old")
    assert run("brief", "--output", str(target)).code == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["brief.html"]  # no temporary file left
    r = run("brief", "--output", str(tmp_path / "missing" / "brief.html"))
    assert r.code == 4 and r.out == ""


def test_unknown_names_exit_1_and_a_missing_output_exits_2(run):
    assert run("brief", "ketamin3", "-o", "-").code == 1
    assert run("brief", "ketamine", "--pathway", "nosuch", "-o", "-").code == 1
    assert run("brief", "ketamine").code == 2


HOSTILE_ARGS = ("evil", "ketamine", "--pathway", "evil-mech")


@pytest.mark.parametrize("graphviz", [True, False])
def test_a_hostile_dataset_injects_nothing(brief, hostile_dataset, monkeypatch, tmp_path, graphviz):
    if graphviz and shutil.which("dot") is None:
        pytest.skip("Graphviz (dot) is not installed")
    if not graphviz:
        monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    _, text, doc = brief(*HOSTILE_ARGS, data=hostile_dataset)
    assert "&lt;script&gt;alert" in text  # shown as text …
    assert not list(doc.iter("script")) and not list(doc.iter("style"))[1:]  # … never as markup
    assert len(list(doc.iter("h1"))) == 1  # the page's own title only
    for tag in ("img", "iframe", "b", "i"):
        assert not list(doc.iter(tag)), tag
    for element in doc.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            assert "javascript:" not in value.lower(), (element.tag, name, value)
    hrefs = links(doc)
    assert all(h.startswith(("#", "https://doi.org/10.", "https://creativecommons.org/")) for h in hrefs)
    assert "https://doi.org/10.1234/x%22onmouseover%3D%22alert(1)" in hrefs  # quoted, inside its attribute
    assert not any("alert('doi')" in h for h in hrefs)  # a javascript: "DOI" is no link
    if graphviz:
        [svg] = list(doc.iter(SVG + "svg"))
        assert {local(e.tag) for e in svg.iter()} <= {"svg", "g", "title", "polygon", "polyline", "path", "ellipse",
                                                 "text", "tspan", "rect", "line"}
        assert "</text><script>alert('step')" in " ".join(t.text or "" for t in svg.iter(SVG + "text"))


def test_briefs_of_other_selections_are_valid_html(run, html_parser):
    for pair in (["ssri", "tca"], ["ect"], ["ketamine", "ssri", "tca", "ect"], ["esketamine"]):
        r = run("brief", *pair, "-o", "-")
        assert r.code == 0, (pair, r.err)
        html_parser(r.out)


def test_the_brief_opens_with_the_review_s_conclusions_quoted(brief, source_text):
    _, _, doc = brief("ketamine", "ect")
    first = next(doc.iter("section"))
    assert first.get("id") == "conclusions"
    quoted = [" ".join("".join(q.itertext()).split()) for q in first.iter("blockquote")]
    conclusions = source_text[source_text.rindex("\nConclusions\n"):source_text.index("Additional Information")]
    assert len(quoted) == 4
    for q in quoted:
        assert q.startswith("“") and q.endswith("”") and q[1:-1] in conclusions
    assert "cite no references" in "".join(first.itertext())


def test_table_1_notes_are_footnotes_and_the_counts_are_labelled_as_ketcli_s(brief):
    _, text, doc = brief("ketamine", "ect")
    table1 = next(s for s in doc.iter("section") if s.get("id") == "table1")
    notes = [li for ol in table1.iter("ol") if ol.get("class") == "footnotes" for li in ol.iter("li")]
    marks = [a.get("href") for sup in table1.iter("sup") for a in sup.iter("a")]
    assert len(notes) == 7 and marks == [f"#note-{n}" for n in range(1, 8)]
    assert not [u for u in table1.iter("ul") if u.get("class") == "notes"]  # not under the cells
    assert "Every value below is as the review prints it" not in text
    mechanisms = "".join(next(s for s in doc.iter("section") if s.get("id") == "mechanisms").itertext())
    assert "The counts are ketcli’s, not the review’s" in mechanisms


def test_the_brief_has_the_side_effects_of_the_treatments_asked(brief):
    _, _, doc = brief("ketamine", "ect")
    section = "".join(next(s for s in doc.iter("section") if s.get("id") == "side-effects").itertext())
    for number in ("78% (n = 188)", "53% (n = 188)", "19.6 mmHg (n = 84)", "3.2 mmHg (n = 66)"):
        assert number in section
    assert "headaches" in section and "ECT" in section
    assert section.count("largely transient, subsiding several hours after administration") == 1


def test_the_brief_shows_no_extraction_note(brief):
    _, text, _ = brief("ketamine", "ect")
    assert "Upwards of $1000" in text and not re.search(r"in the extraction|page break", text, re.I)
