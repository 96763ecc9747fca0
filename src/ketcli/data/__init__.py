"""The dataset: models, finding and loading the file, integrity checks, the cache,
the vocabularies and name resolution.

Owns: data/treatments.toml (bundled inside the wheel as ketcli/data/treatments.toml)
and the review's text (ketcli/data/source/), and everything that reads or checks them.
May import: the standard library, pydantic, and `ketcli.errors`. Never rich, typer, or
any other ketcli package: everything else builds on this one.
"""
