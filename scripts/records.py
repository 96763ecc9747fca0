"""Write src/ketcli/data/records.py: each model of data/models.py as the TypedDict of the plain
dict a query works on (what `Dataset.model_dump()` gives: every field present).

    .venv/bin/python scripts/records.py          # rewrite the file
    .venv/bin/python scripts/records.py --check  # exit 1 if it is not what the models give

tests/data/test_records.py runs the check, so a model changed without its record fails.
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path

from pydantic import BaseModel

from ketcli.data import models

TARGET = Path(__file__).resolve().parents[1] / "src" / "ketcli" / "data" / "records.py"
HEAD = '''"""The records of a dataset as the plain dicts queries work on: one TypedDict per model of
models.py, with every field (a validated record is `model_dump()`ed whole) and the
model's field docs. Written by scripts/records.py from the models; do not edit by hand
(tests/data/test_records.py checks it is what the models give).

Cheap to import (no pydantic), so results, queries and the API annotate with these.
"""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict
'''


def spell(annotation: object) -> str:
    """The annotation as source text, a model as its record's name."""
    if annotation is type(None):
        return "None"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    if isinstance(annotation, type):
        return annotation.__name__
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return spell(args[0])
    if origin is typing.Literal:
        return "Literal[" + ", ".join(repr(a) for a in args) + "]"
    if origin in (typing.Union, types.UnionType):
        return " | ".join(spell(a) for a in args)
    if origin is list:
        return f"list[{spell(args[0])}]"
    raise TypeError(f"cannot spell {annotation!r}")


def records() -> list[type[BaseModel]]:
    found = [m for m in vars(models).values()
             if isinstance(m, type) and issubclass(m, models.Record) and m is not models.Record]
    return found


def generate() -> str:
    parts = [HEAD]
    for model in records():
        model.model_rebuild()
        doc = (model.__doc__ or "").strip()
        body = [f'    """{doc}"""', ""] if doc and model.__doc__ is not BaseModel.__doc__ else []
        for name, field in model.model_fields.items():
            body.append(f"    {name}: {spell(field.annotation)}")
            if field.description:
                text = field.description.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
                body.append(f'    """{text}"""')
        parts.append(f"\n\nclass {model.__name__}(TypedDict):\n" + "\n".join(body) + "\n")
    names = ", ".join(m.__name__ for m in records())
    parts.append(f"\n\nRECORDS = ({names})\n"
                 "# pydantic reads this for `ketcli schema`: no other key, and each field's doc as its description.\n"
                 "for _record in RECORDS:\n"
                 "    setattr(_record, \"__pydantic_config__\", {\"extra\": \"forbid\", \"use_attribute_docstrings\": True})  # noqa: B010\n")
    return "".join(parts).rstrip("\n") + "\n"


if __name__ == "__main__":
    text = generate()
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.read_text(encoding="utf-8") == text else "data/records.py is out of date: "
                 "run scripts/records.py")
    TARGET.write_text(text, encoding="utf-8")
