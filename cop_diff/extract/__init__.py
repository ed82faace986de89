"""Extraction: turn a draft file (PDF, HTML, plain text or Markdown) into a ``Document``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from cop_diff.errors import InputError, about
from cop_diff.extract.inflation import MAX_STREAM_BYTES, MAX_TOTAL_BYTES
from cop_diff.model import Document, SourceFormat

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


@dataclass(frozen=True)
class ExtractSettings:
    """How to open a draft: a PDF's password, and how many pages or bytes are too many."""

    password: str | None = None
    max_pages: int | None = None
    max_inflated_stream_bytes: int = MAX_STREAM_BYTES
    """A PDF stream that decodes to more than this is refused as a decompression bomb.

    The largest stream of the real drafts decodes to 0.12 MB; fonts run to tens of MB.
    """
    max_inflated_total_bytes: int = MAX_TOTAL_BYTES
    """Nor may a PDF's streams decode to more than this in all (the real drafts: 3 MB).

    pdfminer keeps every decoded stream until the draft is read, so this bounds memory.
    """


def sniff_format(path: Path, head: bytes) -> SourceFormat:
    """Decide the format from the first bytes, falling back to the file name."""
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if path.suffix.lower() == ".pdf":
        # Often an HTML error page saved under the draft's name.
        raise InputError("not a PDF file (no %PDF header); is it the right file?", path=str(path))
    lowered = head[:2048].lower().lstrip(b"\xef\xbb\xbf \t\r\n")
    if path.suffix.lower() in HTML_SUFFIXES or lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def read_input(path: Path) -> bytes:
    with about(path):
        if not path.exists():
            raise InputError("no such file", path=str(path))
        if path.is_dir():
            raise InputError("is a directory, not a draft file", path=str(path))
        try:
            data = path.read_bytes()
        except PermissionError as error:
            raise InputError(
                "permission denied; check the file's permissions", path=str(path)
            ) from error
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror}", path=str(path)) from error
    if not data.strip():
        raise InputError("the file is empty", path=str(path))
    return data


def extract(path: Path, settings: ExtractSettings | None = None) -> Document:
    """Read a draft and return its blocks in reading order."""
    settings = settings or ExtractSettings()
    data = read_input(path)
    source_format = sniff_format(path, data[:4096])
    digest = hashlib.sha256(data).hexdigest()
    with about(path):
        if source_format == "pdf":
            from cop_diff.extract.pdf import extract_pdf

            return extract_pdf(
                data,
                source=str(path),
                sha256=digest,
                password=settings.password or "",
                max_pages=settings.max_pages,
                max_inflated_stream_bytes=settings.max_inflated_stream_bytes,
                max_inflated_total_bytes=settings.max_inflated_total_bytes,
            )
        if source_format == "html":
            from cop_diff.extract.html import extract_html

            return extract_html(data, source=str(path), sha256=digest)
        from cop_diff.extract.text import extract_text

        return extract_text(data, source=str(path), sha256=digest)
