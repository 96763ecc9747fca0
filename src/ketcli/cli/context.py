"""The global options' state (--data) and what every command reads through it."""

from __future__ import annotations

from ketcli.errors import KetcliError

state: dict[str, str | None] = {"data": None}


def load():
    """The dataset the global options chose (--data, KETCLI_DATA or the bundled one)."""
    from ketcli.data.dataset import load as load_dataset

    return load_dataset(state["data"])


def complete(collection: str, incomplete: str) -> list[str]:
    """Shell completion: names and aliases of `collection` that start with `incomplete`."""
    try:
        data = load()
    except KetcliError:
        return []
    from ketcli.data.integrity import names_of

    records = data[collection] + (data["entities"] if collection == "mechanisms" else [])
    wanted = incomplete.lower()
    names = [n for r in records for n in names_of(r) if n.startswith(wanted) and " " not in n]
    return list(dict.fromkeys(names))


def complete_topic(incomplete: str) -> list[str]:
    """Shell completion: the claim topics (dosing, abuse …) that start with `incomplete`."""
    from ketcli.data.vocab import TOPICS

    return [t for t in TOPICS if t.startswith(incomplete.lower())]
