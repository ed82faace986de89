"""Writing results: all or nothing, never a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cop_diff.errors import CopDiffError

TEMPORARY = ".cop-diff.tmp"
"""How the temporary files of a write end: a run killed while writing leaves only these,
and only these are cleaned up after it."""


class OutputError(CopDiffError):
    """The output cannot be written where the user asked."""


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    write_all_atomic([(path, content)])


def write_all_atomic(outputs: Sequence[tuple[Path, str | bytes]]) -> None:
    """Write several files, all or none: each to a temporary file beside it first, and
    only once every one is written are they renamed into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in outputs:
            staged.append((_stage(path, content), path))
        for temporary, path in staged:
            try:
                os.replace(temporary, path)
            except OSError as error:
                raise OutputError(f"cannot write: {error.strerror}", path=str(path)) from error
    finally:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)


def _stage(path: Path, content: str | bytes) -> str:
    """The content written and flushed to a temporary file beside ``path``: its name."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError("the output folder does not exist", path=str(folder))
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY, dir=folder)
    except OSError as error:
        raise OutputError(f"cannot write here: {error.strerror}", path=str(folder)) from error
    try:
        # mkstemp creates the file private (0600); a report is as shareable as any file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {error.strerror}", path=str(path)) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def refuse_inputs_as_outputs(inputs: Sequence[Path], outputs: Sequence[Path]) -> None:
    """An output that is one of the inputs (any spelling of its path, a link to it) would
    overwrite a draft: refused before any work. So is one output given twice."""
    seen: list[Path] = []
    for output in outputs:
        for other in (*inputs, *seen):
            if same_file(output, other):
                what = "one of the drafts being compared" if other in inputs else "given twice"
                raise OutputError(f"the output is {what}; give another -o path", path=str(output))
        seen.append(output)


def same_file(one: Path, other: Path) -> bool:
    """The same path however spelt, or one file under two names (a link)."""
    try:
        if one.resolve() == other.resolve():
            return True
        return os.path.samefile(one, other)
    except (OSError, RuntimeError):  # either does not exist yet; or a link loop
        return False
