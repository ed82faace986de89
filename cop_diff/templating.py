"""The Jinja2 environment: templates from ``templates/``, HTML autoescaped.

Compiled templates may be kept in the cache folder (``templates/``), as Python keeps its
``__pycache__``: compiling the report's templates took a tenth of a warm compare. Jinja
checks each entry against the template's source, and a folder that cannot be written
only costs the compile time. Unlike the caches of drafts and analyses (JSON: data),
these entries are code, so they are only used from a folder that is the user's own and
that no one else may write to.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import stat
from pathlib import Path

import jinja2

from cop_diff.cache import cache_dir
from cop_diff.labels import draft_caption, draft_title, file_name, human_date


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, which never fails a render."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError):
            bucket.reset()  # a damaged entry: compile the template again

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):  # a read-only or full disk
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    folder = cache_dir() / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.lstat()
    except OSError:
        return None
    private = stat.S_ISDIR(status.st_mode) and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if not private or status.st_uid != os.getuid():
        return None
    return _QuietBytecodeCache(str(folder))


def templates_dir() -> Path:
    """``cop_diff/templates`` inside a wheel; the top-level ``templates/`` in a checkout."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "templates"


def environment(*, keep_compiled: bool = False) -> jinja2.Environment:
    """The templates' environment; ``keep_compiled`` reads and fills the cache folder's
    compiled templates (off with ``--no-cache``)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change while cop-diff runs: no stat() for each include.
        auto_reload=False,
        bytecode_cache=_bytecode_cache() if keep_compiled else None,
    )
    # How every output names a draft: by title and date, never by a local path.
    env.filters["caption"] = draft_caption
    env.filters["draft_title"] = draft_title
    env.filters["file_name"] = file_name
    env.filters["human_date"] = human_date
    return env
