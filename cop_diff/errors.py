"""One place that maps every failure a user can cause to a message and an exit code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes, as in diff(1): 0 same, 1 different, 2 trouble; 3 a bug in cop-diff."""

    OK = 0
    CHANGES = 1
    TROUBLE = 2
    INTERNAL = 3
    BUSY = 75
    """Another ``watch`` run holds the lock (EX_TEMPFAIL: try again later)."""


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


class LimitError(CopDiffError):
    """The input is beyond what cop-diff processes: too many pages, too deep, too big."""


class OptionLimitError(LimitError):
    """Beyond a limit an option sets (``--max-pages``, ``--max-input-mb``,
    ``--max-provisions``): the same file is read once the option is raised, so ``watch``
    tries it again rather than setting it aside for good."""


def user_error(error: BaseException, path: str | None = None) -> CopDiffError | None:
    """The message for a failure the user caused (a file, its permissions, its content).

    ``None`` for anything else: that is a bug in cop-diff, not the user's doing.
    """
    if isinstance(error, CopDiffError):
        return error
    if isinstance(error, OSError):
        where = error.filename if isinstance(error.filename, str) else path
        reason = error.strerror or type(error).__name__
        if isinstance(error, PermissionError):
            return InputError("permission denied; check the file's permissions", path=where)
        if isinstance(error, FileNotFoundError):
            return InputError("no such file", path=where)
        if isinstance(error, IsADirectoryError):
            return InputError("is a directory, not a draft file", path=where)
        return InputError(f"cannot read: {reason}", path=where)
    if isinstance(error, UnicodeError):
        return InputError("text in an unknown encoding; re-save it as UTF-8", path=path)
    if isinstance(error, RecursionError):
        return LimitError(
            "nested too deeply to read (thousands of levels); is it a real draft?", path=path
        )
    if isinstance(error, MemoryError):
        return LimitError("too large to read in the memory available", path=path)
    return None


@contextmanager
def about(path: object) -> Iterator[None]:
    """Name ``path`` in the message of any failure the user caused inside the block."""
    try:
        yield
    except CopDiffError:
        raise
    except (OSError, UnicodeError, RecursionError, MemoryError) as error:
        mapped = user_error(error, str(path))
        assert mapped is not None
        raise mapped from error


# Control characters, and the Unicode marks that reorder or hide text on a terminal.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def printable(text: str) -> str:
    """Text for one line of a terminal or log: what a server or a file name may carry that
    moves the cursor, rings, recolours or reorders the line is shown escaped ("\\x1b")."""
    return _UNPRINTABLE.sub(lambda found: ascii(found.group(0))[1:-1], text)
