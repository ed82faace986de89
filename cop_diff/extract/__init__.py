"""Extraction: turn a draft file (PDF, HTML, plain text or Markdown) into a ``Document``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cop_diff.errors import InputError, about
from cop_diff.extract.inflation import MAX_STREAM_BYTES, MAX_TOTAL_BYTES
from cop_diff.model import Document, SourceFormat

if TYPE_CHECKING:
    from cop_diff.extract.pdf import PageLines

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


DEFAULT_MAX_PAGES = 2000
"""Pages beyond which a PDF is refused unless ``--max-pages`` says otherwise: the real
drafts have 36 to 76; 3,040 pages took nearly 5 minutes and 1.25 GB to read."""


@dataclass(frozen=True)
class ExtractSettings:
    """How to open a draft: a PDF's password, and how many pages or bytes are too many."""

    password: str | None = None
    max_pages: int | None = DEFAULT_MAX_PAGES
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


# A long PDF read in parts, by several processes (``pipeline.extract_documents``)

MIN_PAGES_TO_SPLIT = 8
"""Shorter PDFs are read whole: opening the file again in each process costs more."""


@dataclass(frozen=True)
class PageRange:
    """Some pages of one PDF, to be read in a process of their own."""

    path: Path
    data: bytes
    sha256: str
    pages: range
    settings: ExtractSettings


def page_ranges(path: Path, settings: ExtractSettings, parts: int) -> list[PageRange] | None:
    """A PDF's pages in ``parts`` consecutive ranges; ``None`` for a file to read whole (not
    a PDF, short, over ``max_pages``, or unreadable: ``extract`` then says what is wrong).

    Each range is read with the inflation limits of ``settings``: a bomb is bounded in
    each process that reads part of it."""
    data = read_input(path)
    if parts < 2 or sniff_format(path, data[:4096]) != "pdf":
        return None
    from cop_diff.extract.pdf import pdf_page_count

    count = pdf_page_count(data, settings.password or "")
    too_long = settings.max_pages is not None and (count or 0) > settings.max_pages
    if count is None or count < MIN_PAGES_TO_SPLIT or too_long:
        return None
    digest = hashlib.sha256(data).hexdigest()
    bounds = [count * part // parts for part in range(parts + 1)]
    return [
        PageRange(path, data, digest, range(bounds[part], bounds[part + 1]), settings)
        for part in range(parts)
    ]


def read_page_range(part: PageRange) -> list[PageLines]:
    """The pages of one range (in a worker process)."""
    from cop_diff.extract.pdf import read_pdf_pages

    with about(part.path):
        return read_pdf_pages(
            part.data,
            source=str(part.path),
            password=part.settings.password or "",
            max_pages=part.settings.max_pages,
            pages=part.pages,
            max_inflated_stream_bytes=part.settings.max_inflated_stream_bytes,
            max_inflated_total_bytes=part.settings.max_inflated_total_bytes,
        )


def assemble_ranges(parts: list[PageRange], pages: list[list[PageLines]]) -> Document:
    """The document from its ranges' pages: the same as ``extract`` of the whole file."""
    from cop_diff.extract.pdf import assemble_pdf, pdf_info

    first = parts[0]
    with about(first.path):
        return assemble_pdf(
            [page for part in pages for page in part],
            source=str(first.path),
            sha256=first.sha256,
            info=pdf_info(first.data, first.settings.password or ""),
        )
