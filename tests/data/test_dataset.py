"""The bundled dataset's integrity and the loader's errors (exit 3, with where)."""

import tomllib

import pytest
import tomli_w

from ketcli.data.dataset import bundled_path, load
from ketcli.errors import DatasetError
from ketcli.data.integrity import check


@pytest.fixture(scope="module")
def raw():
    return tomllib.loads(bundled_path().read_text(encoding="utf-8"))


def test_bundled_dataset_passes_every_integrity_check():
    data = load(use_cache=False)
    assert check(data.raw) == []


def test_bundled_dataset_holds_the_review(raw):
    source = raw["source"]
    assert source["doi"] == "10.7759/cureus.83244"
    assert source["license"] == "CC BY 4.0"
    assert source["journal"] == "Cureus" and source["article_number"] == "e83244"
    assert len(raw["references"]) == 34
    cells = {(c["treatment"], c["dimension"]) for c in raw["table1"]}
    assert len(cells) == 20
    ids = {m["id"] for m in raw["mechanisms"]}
    assert {"nmdar", "monoamine", "opioid", "anti-inflammatory"} <= ids


def write(tmp_path, doc, name="data.toml"):
    path = tmp_path / name
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def test_missing_file_exits_3_and_names_it(run, tmp_path):
    r = run("--data", str(tmp_path / "nope.toml"), "compare")
    assert r.code == 3
    assert "nope.toml" in r.err and "no such dataset file" in r.err
    assert "Traceback" not in r.err and r.out == ""


def test_invalid_toml_exits_3_with_the_line(run, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('schema_version = 1\ndataset_version = "x"\n[source\n', encoding="utf-8")
    r = run("--data", str(path), "compare")
    assert r.code == 3
    assert "not valid TOML" in r.err and "line 3" in r.err


def test_invalid_record_is_reported_with_file_line_and_id(run, tmp_path, raw):
    doc = dict(raw)
    doc["claims"] = [dict(c) for c in raw["claims"]]
    doc["claims"][5]["stance"] = "maybe"
    path = write(tmp_path, doc)
    r = run("--data", str(path), "mechanism")
    assert r.code == 3
    claim_id = raw["claims"][5]["id"]
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if text.startswith(f'id = "{claim_id}"'))
    assert f"{path}:{line}: claims[5] ('{claim_id}').stance" in r.err


def test_unknown_reference_and_duplicate_id_are_integrity_errors(tmp_path, raw):
    doc = dict(raw)
    doc["claims"] = [dict(c) for c in raw["claims"]]
    doc["claims"][0]["refs"] = [99]
    doc["claims"][2]["id"] = doc["claims"][1]["id"]
    with pytest.raises(DatasetError) as caught:
        load(str(write(tmp_path, doc)), use_cache=False)
    text = "\n".join(caught.value.problems)
    assert "cites reference 99, which is not in the reference list" in text
    assert f"id {doc['claims'][1]['id']!r} is used 2 times" in text


def test_an_ambiguous_alias_is_an_integrity_error(tmp_path, raw):
    doc = dict(raw)
    doc["treatments"] = [dict(t) for t in raw["treatments"]]
    doc["treatments"][1]["aliases"] = [*doc["treatments"][1]["aliases"], "ketamine"]
    with pytest.raises(DatasetError) as caught:
        load(str(write(tmp_path, doc)), use_cache=False)
    assert any("name 'ketamine' is ambiguous" in p for p in caught.value.problems)


def test_ketcli_data_variable_and_data_option_choose_the_file(run, tmp_path, raw):
    doc = dict(raw)
    doc["table1"] = [dict(c) for c in raw["table1"]]
    for c in doc["table1"]:
        if c["treatment"] == "ketamine" and c["dimension"] == "onset":
            c["text"] = "Minutes (edited copy)"
    path = write(tmp_path, doc)
    via_env = run("compare", "ketamine", "--json", env={"KETCLI_DATA": str(path)}).json()
    via_opt = run("--data", str(path), "compare", "ketamine", "--json").json()
    for doc_ in (via_env, via_opt):
        assert doc_["rows"][0]["cells"][0]["text"] == "Minutes (edited copy)"


def test_a_directory_is_not_a_dataset(run, tmp_path):
    r = run("--data", str(tmp_path), "cite")
    assert r.code == 3 and "is a directory" in r.err


def test_an_own_file_is_built_against_the_bundled_files_bytes_of_the_moment(tmp_path):
    """The bundled file's validation is done once per process and reused (building.validated_bundled):
    a change of its bytes (a long-running `ketcli mcp` while a curator edits data/) is seen by
    the next build, and what one build's caller changes in its records reaches no other build."""
    from ketcli.cli.curate import STARTER
    from ketcli.data.dataset import build

    bundled = tmp_path / "bundled.toml"
    text = bundled_path().read_text(encoding="utf-8")
    bundled.write_text(text, encoding="utf-8")
    own = tmp_path / "mine.toml"
    own.write_text(STARTER, encoding="utf-8")

    def ketamine(data):
        return next(t for t in data["treatments"] if t["id"] == "ketamine")

    first = build(own, own.read_bytes(), bundled)
    name = ketamine(first)["name"]
    ketamine(first)["name"] = "changed by a caller"
    first["references"].clear()
    again = build(own, own.read_bytes(), bundled)
    assert ketamine(again)["name"] == name and len(again["references"]) == 34
    assert text.count(f'name = "{name}"') == 1
    bundled.write_text(text.replace(f'name = "{name}"', 'name = "Ketamine (edited)"'), encoding="utf-8")
    assert ketamine(build(own, own.read_bytes(), bundled))["name"] == "Ketamine (edited)"
