"""Errors a user can meet, each with the exit code of the command-line contract."""

from __future__ import annotations

# Exit codes (documented in docs/reference/exit-codes.md; a test holds the two equal).
OK = 0
NOT_FOUND = 1
USAGE = 2
DATASET = 3
WRITE = 4
INTERNAL = 70


class KetcliError(Exception):
    """An error meant for the user: one line on stderr and an exit code."""

    code = INTERNAL

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class NotFound(KetcliError):
    """An unknown name or reference, or a query with no result."""

    code = NOT_FOUND


class UsageError(KetcliError):
    """Arguments that cannot be right, whatever the data say."""

    code = USAGE


class DatasetError(KetcliError):
    """The dataset file is missing, unreadable or invalid."""

    code = DATASET

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class WriteError(KetcliError):
    """A write was refused or failed; the file is unchanged."""

    code = WRITE
