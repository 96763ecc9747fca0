"""One reading of a name's initials for the citation writers and the importers."""

import pytest

from ketcli.curate import importers
from ketcli.data.authors import is_initials
from ketcli.render import citations


@pytest.mark.parametrize("token, expected", [
    ("SJ", True), ("J-P", True), ("ABCD", True), ("ABCDE", False), ("Sj", False), ("S.", False), ("", False),
    ("Mathew", False), ("-", False),
])
def test_initials_are_read_the_same_by_citations_and_importers(token, expected):
    assert is_initials(token) is expected
    assert citations._is_initials(token) is expected
    assert importers._looks_like_initials(token) is expected
    assert citations._is_initials is importers._looks_like_initials is is_initials
