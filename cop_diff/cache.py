"""A cache of extracted drafts, so that re-running a comparison skips the PDF parser.

An entry is keyed by the SHA-256 of the file's bytes, the extractor version (bump
``EXTRACTOR_VERSION`` whenever extraction changes what it returns), the package version,
the file's format and any option that changes extraction. It is the ``Document`` as
versioned JSON (never pickle: a cache file is data, not code), under
``$COP_DIFF_CACHE_DIR``, else ``$XDG_CACHE_HOME/cop-diff``, else ``~/.cache/cop-diff``.

Entries are written to a temporary file and renamed into place, so concurrent runs
never see half an entry; an entry that cannot be read or does not parse is ignored and
rebuilt. A cache that cannot be written (read-only home, full disk) is silently skipped.
A folder that grows beyond ``MAX_FOLDER_BYTES`` loses its least recently used entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from cop_diff import __version__
from cop_diff.model import Block, Document, Dropped, Line

EXTRACTOR_VERSION = 5
"""Bump when any extractor's output changes: old entries are then never read again."""

SCHEMA = "cop-diff/extracted/2"

MAX_FOLDER_BYTES = 256 * 1024 * 1024
"""A cache folder (extractions; analyses) holding more than this is trimmed, least
recently used entries first: a draft's extraction is ~0.7 MB, an analysis ~0.5 MB."""


def cache_dir() -> Path:
    """Where entries live: $COP_DIFF_CACHE_DIR, else the XDG cache dir's cop-diff/."""
    explicit = os.environ.get("COP_DIFF_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cop-diff"


def cache_key(data: bytes, source_format: str, variant: str = "") -> str:
    """The entry name for a file's bytes read as ``source_format`` with options ``variant``."""
    content = hashlib.sha256(data).hexdigest()
    salt = f"{SCHEMA}|{EXTRACTOR_VERSION}|{__version__}|{source_format}|{variant}"
    return hashlib.sha256(f"{content}|{salt}".encode()).hexdigest()


# --- serialisation ----------------------------------------------------------------------------

_LINE_FIELDS = ("text", "page", "x0", "top", "x1", "bottom", "size", "bold", "italic")


def _line_to_list(line: Line) -> list[Any]:
    return [getattr(line, name) for name in _LINE_FIELDS]


def _block_to_dict(block: Block) -> dict[str, Any]:
    return {
        "text": block.text,
        "kind": block.kind,
        "page": block.page,
        "level": block.level,
        "marker": block.marker,
        "box": block.box,
        "box_id": block.box_id,
        "size": block.size,
        "bold": block.bold,
        "italic": block.italic,
        "lines": [_line_to_list(line) for line in block.lines],
        "table_id": block.table_id,
    }


def document_to_json(document: Document) -> str:
    return json.dumps(
        {
            "schema": SCHEMA,
            "source": document.source,
            "format": document.format,
            "sha256": document.sha256,
            "pages": document.pages,
            "title": document.title,
            "date": document.date,
            "blocks": [_block_to_dict(block) for block in document.blocks],
            "dropped": [[d.text, d.reason, d.page] for d in document.dropped],
            "damaged_pages": list(document.damaged_pages),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def document_from_json(text: str) -> Document:
    """The ``Document`` of an entry; ``ValueError`` (or a ``KeyError``/``TypeError``) if bad."""
    raw = json.loads(text)
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        raise ValueError("not a cop-diff extraction cache entry")
    blocks = tuple(
        Block(
            text=b["text"],
            kind=b["kind"],
            page=b["page"],
            level=b["level"],
            marker=b["marker"],
            box=b["box"],
            box_id=b["box_id"],
            size=b["size"],
            bold=b["bold"],
            italic=b["italic"],
            lines=tuple(Line(*values) for values in b["lines"]),
            table_id=b["table_id"],
        )
        for b in raw["blocks"]
    )
    dropped = tuple(Dropped(text, reason, page) for text, reason, page in raw["dropped"])
    return Document(
        source=raw["source"],
        format=raw["format"],
        sha256=raw["sha256"],
        pages=raw["pages"],
        blocks=blocks,
        dropped=dropped,
        title=raw["title"],
        date=raw["date"],
        damaged_pages=tuple(int(page) for page in raw["damaged_pages"]),
    )


# --- entries ----------------------------------------------------------------------------------


def _entry_path(key: str, folder: Path | None = None) -> Path:
    return (folder or cache_dir()) / f"{key}.json"


def read_entry(path: Path) -> str | None:
    """The text of an entry; ``None`` if it is absent or unreadable. An entry read is
    marked as used (its modification time), so that trimming keeps it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)
    return text


def write_entry(path: Path, text: str) -> bool:
    """Write an entry atomically; ``False`` (and nothing written) if the cache is unusable."""
    temporary: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{path.stem[:16]}."
        handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    trim(path.parent, keep=path)
    return True


def trim(folder: Path, max_bytes: int | None = None, keep: Path | None = None) -> None:
    """Delete the least recently used entries of ``folder`` while it holds more than
    ``max_bytes`` (default ``MAX_FOLDER_BYTES``), down to three quarters of it; never
    ``keep`` (the entry just written, whatever the clock's resolution)."""
    limit = MAX_FOLDER_BYTES if max_bytes is None else max_bytes
    try:
        entries = [
            (entry.stat().st_mtime, entry.stat().st_size, entry.path)
            for entry in os.scandir(folder)
            if entry.name.endswith(".json") and entry.is_file()
        ]
    except OSError:
        return
    total = sum(size for _, size, _ in entries)
    if total <= limit:
        return
    for _, size, name in sorted(entries):
        if total <= limit * 3 // 4:
            break
        if keep is not None and name == str(keep):
            continue
        with contextlib.suppress(OSError):
            os.unlink(name)
            total -= size


def load(key: str, folder: Path | None = None) -> Document | None:
    """The cached ``Document`` for ``key``; ``None`` if absent, unreadable or corrupt."""
    text = read_entry(_entry_path(key, folder))
    if text is None:
        return None
    try:
        return document_from_json(text)
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def store(key: str, document: Document, folder: Path | None = None) -> bool:
    """Write an entry atomically; ``False`` (and nothing written) if the cache is unusable."""
    return write_entry(_entry_path(key, folder), document_to_json(document))


def extract_cached(
    path: Path,
    extractor: Callable[[Path], Document],
    *,
    enabled: bool = True,
    variant: str = "",
    max_bytes: int | None = None,
) -> Document:
    """``extractor(path)``, or its cached result for the same bytes.

    The file is read and checked first (so a missing or empty file gets the usual error);
    the cached document names ``path`` as its source, wherever the same bytes were seen.
    A file larger than ``max_bytes`` is refused before it is read whole (``read_input``).
    """
    if not enabled:
        return extractor(path)
    from cop_diff.extract import read_input, sniff_format

    data = read_input(path, max_bytes)
    key = cache_key(data, sniff_format(path, data[:4096]), variant)
    cached = load(key)
    if cached is not None:
        return replace(cached, source=str(path))
    document = extractor(path)
    store(key, document)
    return document


def is_cached(path: Path, variant: str = "", *, max_bytes: int | None = None) -> bool:
    """Whether an entry exists for ``path``'s bytes (without checking that it parses)."""
    from cop_diff.extract import read_input, sniff_format

    try:
        data = read_input(path, max_bytes)
        key = cache_key(data, sniff_format(path, data[:4096]), variant)
    except Exception:
        return False
    return _entry_path(key).is_file()
