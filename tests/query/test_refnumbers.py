"""One reader of reference tokens for `cite` and `data add claim --ref`."""

import pytest

from ketcli.cli.curate import STARTER
from ketcli.query.refnumbers import parse_token


@pytest.mark.parametrize("token, parsed", [
    ("11", 11), (" 011 ", 11), ("1-5", (1, 5)), ("1 - 5", (1, 5)), ("Anand2023", "anand2023"), ("a.b_c-d", "a.b_c-d"),
])
def test_tokens_are_read_the_same_everywhere(token, parsed):
    assert parse_token(token) == parsed


@pytest.mark.parametrize("token", ["²", "١١", "1" * 5000, "1-" + "9" * 5000, "", "-5", "x y", "ö"])
def test_what_is_no_reference_token_raises_value_error(token):
    with pytest.raises(ValueError):
        parse_token(token)


@pytest.mark.parametrize("token", ["²", "١١", "1" * 5000])
def test_cite_and_add_claim_give_a_usage_error_for_the_same_odd_tokens(run, tmp_path, token):
    r = run("cite", token)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1, (r.code, r.err)
    path = tmp_path / "mine.toml"
    path.write_text(STARTER)
    r = run("data", "add", "claim", str(path), "--text", "A claim.", "--ref", token)
    assert r.code == 2 and r.err.count("\n") == 1, (r.code, r.err)
    assert path.read_text() == STARTER
