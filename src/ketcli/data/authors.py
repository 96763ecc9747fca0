"""Author names as the dataset stores them (Vancouver: "Mathew SJ"), read in one place by
the citation writers (render/citations.py) and the importers (curate/importers.py)."""


def is_initials(token: str) -> bool:
    """ "SJ", "J-P": up to four capital letters, hyphens allowed — a name's initials part."""
    letters = token.replace("-", "")
    return 0 < len(letters) <= 4 and letters.isalpha() and letters.isupper()
