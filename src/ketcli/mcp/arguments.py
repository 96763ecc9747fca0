"""A tool's arguments get the CLI's treatment: checked against the tool's signature before
the SDK sees them, so a wrong type or an unknown name is a tool error in the tool's own
words ("search: limit is a whole number from 1 to 10000, not 'many'"), never pydantic's
text, and what a person would pass is taken: a number where a reference or a name is
asked (`refs: [11]`), one name where a list is asked (`treatments: "ketamine"`), a number
written as text where a number is asked.
"""

from __future__ import annotations

import inspect
import types
from typing import Annotated, Any, Union, get_args, get_origin

from ketcli.errors import UsageError

_NONE = type(None)


def check(tool: str, signature: inspect.Signature, arguments: dict[str, Any]) -> dict[str, Any]:
    """`arguments` as the tool's parameters take them, or UsageError (exit code 2) saying what is wrong."""
    params = signature.parameters
    unknown = [name for name in arguments if name not in params]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], list(params), n=1)
        raise UsageError(f"{tool}: no argument {unknown[0]!r}" + (f" (did you mean {close[0]}?)" if close else ""),
                         hint="arguments: " + ", ".join(params))
    return {name: _value(tool, name, params[name].annotation, value) for name, value in arguments.items()}


def _parts(annotation: Any) -> tuple[Any, dict, bool]:
    """(the type, its Field's constraints, whether null is allowed) of `Annotated[T | None, Field(...)]`."""
    limits: dict = {}
    if get_origin(annotation) is Annotated:
        annotation, *extras = get_args(annotation)
        for extra in extras:
            for item in getattr(extra, "metadata", []):
                limits.update({k: getattr(item, k) for k in ("ge", "le") if getattr(item, k, None) is not None})
    optional = False
    if get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not _NONE]
        optional = len(members) < len(get_args(annotation))
        annotation = members[0]
    return annotation, limits, optional


def _value(tool: str, name: str, annotation: Any, value: Any) -> Any:
    kind, limits, optional = _parts(annotation)
    where = f"{tool}: {name}"
    if value is None:
        if optional:
            return None
        raise UsageError(f"{where} cannot be null" + _leave_out())
    if get_origin(kind) is list:
        items = value if isinstance(value, list) else [value]
        return [_text(where, item, "a list of names or numbers") for item in items]
    if kind is str:
        return _text(where, value, "text")
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise UsageError(f"{where} is true or false, not {_shown(value)}")
    if kind is int:
        number = value if isinstance(value, int) and not isinstance(value, bool) else _whole(value)
        low, high = limits.get("ge"), limits.get("le")
        if number is None or (low is not None and number < low) or (high is not None and number > high):
            span = f" from {low} to {high}" if low is not None and high is not None else ""
            raise UsageError(f"{where} is a whole number{span}, not {_shown(value)}")
        return number
    return value


def _text(where: str, value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise UsageError(f"{where} takes {what}, not {_shown(value)}")


def _whole(value: Any) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _shown(value: Any) -> str:
    """The value as JSON spells it, short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:39] + "…")
    if isinstance(value, (int, float)):
        return str(value)
    names: dict[type, str] = {list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _leave_out() -> str:
    return "; leave it out instead"
