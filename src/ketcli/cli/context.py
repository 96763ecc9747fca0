"""The global options' state (--data) and what every command reads through it."""

from __future__ import annotations

from ketcli.errors import KetcliError

state: dict[str, str | None] = {"data": None}


# Whether this run read a dataset from a cache entry, and whether to build it afresh: a
# command that fails as a bug would (KeyError, TypeError …) on data from the cache is
# run once more with the dataset rebuilt from its file (app.KetcliGroup).
cache_run = {"read": False, "refresh": False}


def load():
    """The dataset the global options chose (--data, KETCLI_DATA or the bundled one)."""
    from ketcli.data.dataset import load as load_dataset

    data = load_dataset(state["data"], refresh=cache_run["refresh"])
    cache_run["read"] = cache_run["read"] or data.from_cache
    return data


def refuse_inputs_as_outputs(*outputs: str | None) -> None:
    """A WriteError (exit 4, nothing written) when an output names a file this run reads
    (the dataset, the bundled one it extends) or another output of the same command."""
    from ketcli.data.dataset import bundled_path, chosen_path
    from ketcli.data.files import same_file
    from ketcli.errors import WriteError

    given = [o for o in outputs if o is not None]
    inputs = [("the dataset being read", chosen_path(state["data"])), ("the bundled dataset", bundled_path())]
    for i, output in enumerate(given):
        for what, path in inputs:
            if same_file(output, path):
                raise WriteError(f"{output}: is {what}; not replaced (write to another file)")
        if any(same_file(output, other) for other in given[:i]):
            raise WriteError(f"{output}: is also the other output of this command; give two different files")


def dataset():
    """The chosen dataset as the Python API's `Dataset`: every command asks it (the one
    place that turns options into a query and checks their combinations)."""
    from ketcli.api.dataset import Dataset

    return Dataset(load())


def complete(collection: str, incomplete: str) -> list[str]:
    """Shell completion: names and aliases of `collection` that start with `incomplete`."""
    try:
        data = load()
    except KetcliError:
        return []
    from ketcli.data.names import names_of

    records = data[collection] + (data["entities"] if collection == "mechanisms" else [])
    wanted = incomplete.lower()
    names = [n for r in records for n in names_of(r) if n.startswith(wanted) and " " not in n]
    return list(dict.fromkeys(names))


def complete_topic(incomplete: str) -> list[str]:
    """Shell completion: the claim topics (dosing, abuse …) that start with `incomplete`."""
    from ketcli.data.vocab import TOPICS

    return [t for t in TOPICS if t.startswith(incomplete.lower())]


SEPARATORS = ("vs", "vs.", "versus", "and", "or", "with", "against", ",", "&")


def split_names(names: list[str] | None) -> list[str]:
    """Treatment names as typed: `ketamine vs ect`, `ketamine, ect`, `ketamine and ect` → two
    names; a separator word is never a name of its own."""
    out = []
    for name in names or []:
        if not name.strip():  # never read as "no name given", which means all of them
            from ketcli.errors import UsageError

            raise UsageError("a treatment name cannot be empty")
        for part in name.replace(",", " , ").split() if "," in name else [name]:
            if part.strip().lower() not in SEPARATORS:
                out.append(part.strip())
    return [n for n in out if n]


def complete_refs(incomplete: str) -> list[str]:
    """Shell completion for `cite`: citation keys (anand2023) and reference numbers that
    start with `incomplete`."""
    try:
        data = load()
    except KetcliError:
        return []
    wanted = incomplete.lower()
    if wanted.isdigit() or not wanted:
        numbers = [str(r["number"]) for r in data["references"] if str(r["number"]).startswith(wanted)]
        if wanted:
            return numbers
    keys = [r["key"] for r in data["references"] if r["key"].startswith(wanted)]
    return keys if wanted else numbers + keys
