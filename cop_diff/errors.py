"""One place that maps every failure a user can cause to a message and an exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes, as in diff(1): 0 same, 1 different, 2 trouble."""

    OK = 0
    CHANGES = 1
    TROUBLE = 2


class CopDiffError(Exception):
    """A failure the user can act on: printed as one line, never as a traceback."""

    exit_code: ExitCode = ExitCode.TROUBLE

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class InputError(CopDiffError):
    """The input file is missing, unreadable or not a draft cop-diff can read."""


class ExtractionError(CopDiffError):
    """The file could be read but its text could not be extracted."""
