"""Writing results: all or nothing, never a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cop_diff.errors import CopDiffError


class OutputError(CopDiffError):
    """The output cannot be written where the user asked."""


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it into place."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError("the output folder does not exist", path=str(folder))
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
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
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write: {error.strerror}", path=str(path)) from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
