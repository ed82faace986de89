"""Extraction: turn a draft file (PDF, HTML, plain text or Markdown) into a ``Document``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cop_diff.errors import ExtractionError, InputError, OptionLimitError, about
from cop_diff.extract.inflation import MAX_STREAM_BYTES, MAX_TOTAL_BYTES, MIB
from cop_diff.extract.pdfengine import DEFAULT_PDF_ENGINE, PdfEngineName
from cop_diff.model import Document, SourceFormat

if TYPE_CHECKING:
    from cop_diff.extract.pdfengine import PdfPages

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


DEFAULT_MAX_PAGES = 2000
"""Pages beyond which a PDF is refused unless ``--max-pages`` says otherwise: the real
drafts have 36 to 76; 3,040 pages took nearly 5 minutes and 1.25 GB to read."""

DEFAULT_MAX_INPUT_MB = 10
"""Files larger than this are refused unless ``--max-input-mb`` says otherwise: the real
drafts are 0.3 to 0.9 MB. HTML takes the most memory to read (about 35 bytes for each
byte of tag soup, in lxml's tree), and ``compare`` reads both drafts at once, in two
processes: two files of tag soup just under 10 MB took 0.83 GB together."""

DEFAULT_MAX_PROVISIONS = 5000
"""Provisions beyond which a draft is refused unless ``--max-provisions`` says otherwise:
the real drafts have 274 to 679. Alignment scores every pair of provisions, a matrix of
25 million pairs at this limit (200 MB)."""

SENTENCES_PER_PROVISION = 2
"""Nor may a draft have more sentences than this many for each provision allowed (the
real drafts: 1.7 to 1.9 a provision). The detectors compare every pair of sentences:
10,000 a side at the default limit, 400 MB."""

BLOCKS_PER_PROVISION = 10
"""Extraction stops at this many paragraphs (blocks, and text dropped as the page's own)
for each provision allowed (the real drafts: 1.5 a provision): a file of millions of
one-word lines would take minutes and gigabytes before its provisions could be counted."""


@dataclass(frozen=True)
class ExtractSettings:
    """How to open a draft: which engine reads a PDF, its password, and how many pages,
    bytes or provisions are too many."""

    pdf_engine: PdfEngineName = DEFAULT_PDF_ENGINE
    password: str | None = None
    max_pages: int | None = DEFAULT_MAX_PAGES
    max_bytes: int | None = DEFAULT_MAX_INPUT_MB * MIB
    """Files larger than this are refused before they are read (``--max-input-mb``)."""
    max_provisions: int | None = DEFAULT_MAX_PROVISIONS
    """Drafts with more provisions than this are refused once segmented, and drafts with
    more than ``SENTENCES_PER_PROVISION`` times as many sentences; their extraction
    stops at ``BLOCKS_PER_PROVISION`` times as many blocks (``--max-provisions``)."""
    keep_going: bool = False
    """Read a PDF with pages that cannot be fully decoded, with a warning, instead of
    refusing it (``--keep-going``)."""
    max_inflated_stream_bytes: int = MAX_STREAM_BYTES
    """A PDF stream that decodes to more than this is refused as a decompression bomb.

    The largest stream of the real drafts decodes to 0.12 MB; fonts run to tens of MB.
    """
    max_inflated_total_bytes: int = MAX_TOTAL_BYTES
    """Nor may a PDF's streams decode to more than this in all (the real drafts: 3 MB).

    Both engines keep the decoded streams until the draft is read, so this bounds memory.
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


def read_input(path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes; an ``OptionLimitError`` if there are more than ``max_bytes``, of which
    no more than that are read (a file of gigabytes, a device that never ends)."""
    with about(path):
        if not path.exists():
            raise InputError("no such file", path=str(path))
        if path.is_dir():
            raise InputError("is a directory, not a draft file", path=str(path))
        try:
            with path.open("rb") as stream:
                data = stream.read(-1 if max_bytes is None else max_bytes + 1)
        except PermissionError as error:
            raise InputError(
                "permission denied; check the file's permissions", path=str(path)
            ) from error
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror}", path=str(path)) from error
    if max_bytes is not None and len(data) > max_bytes:
        size = path.stat().st_size if path.is_file() else 0
        found = f"{size / MIB:.1f} MB, more" if size > max_bytes else "larger"
        raise OptionLimitError(
            f"{found} than --max-input-mb {max_bytes / MIB:g} allows; raise the limit if it "
            "is the right file",
            path=str(path),
        )
    if not data.strip():
        raise InputError("the file is empty", path=str(path))
    return data


def refuse_damaged(document: Document, settings: ExtractSettings) -> Document:
    """The document, unless pages of it could not be fully decoded and ``keep_going`` is
    off: whatever comes from it would be wrong without a word."""
    if document.damaged_pages and not settings.keep_going:
        raise damaged_pages_error(document.source, document.damaged_pages, rest=True)
    return document


def damaged_pages_error(source: str, pages: tuple[int, ...], *, rest: bool) -> ExtractionError:
    """The error of a PDF with damaged pages; ``rest``: whether there is a rest to read
    with ``--keep-going``."""
    listed = _pages(pages)
    advice = ", or read the rest with --keep-going" if rest else ""
    return ExtractionError(
        f"{listed} cannot be fully decoded (a damaged compressed stream); get an undamaged "
        f"copy of the file{advice}",
        path=source,
    )


def damage_warning(document: Document) -> str | None:
    """The warning about a document read with ``--keep-going`` despite damaged pages."""
    if not document.damaged_pages:
        return None
    were = "was" if len(document.damaged_pages) == 1 else "were"
    return (
        f"{document.source}: {_pages(document.damaged_pages)} could not be fully decoded "
        f"(a damaged compressed stream) and {were} read with --keep-going: text may be "
        "missing there"
    )


def _pages(pages: tuple[int, ...]) -> str:
    """Pages as a message names them: page 3; pages 3 and 7; pages 3, 7 and 9."""
    if len(pages) == 1:
        return f"page {pages[0]}"
    return f"pages {', '.join(map(str, pages[:-1]))} and {pages[-1]}"


def block_limit(settings: ExtractSettings) -> int | None:
    """How many blocks an extractor may make before it stops (``BLOCKS_PER_PROVISION``)."""
    if settings.max_provisions is None:
        return None
    return settings.max_provisions * BLOCKS_PER_PROVISION


@dataclass
class BlockBudget:
    """How many blocks (and dropped texts) one extraction may make: ``block_limit``."""

    source: str
    limit: int | None
    spent: int = 0
    """Blocks made by the parts of the draft read so far (a text's boxes are read apart)."""

    def check(self, made: int) -> None:
        """An ``OptionLimitError`` once ``made`` more blocks pass the limit."""
        if self.limit is not None and self.spent + made > self.limit:
            raise OptionLimitError(
                f"more than {self.limit:,} paragraphs, too many for --max-provisions "
                f"{self.limit // BLOCKS_PER_PROVISION} ({BLOCKS_PER_PROVISION} a provision at "
                "most); raise the limit if it is the right file",
                path=self.source,
            )


def extract(path: Path, settings: ExtractSettings | None = None) -> Document:
    """Read a draft and return its blocks in reading order."""
    settings = settings or ExtractSettings()
    data = read_input(path, settings.max_bytes)
    source_format = sniff_format(path, data[:4096])
    digest = hashlib.sha256(data).hexdigest()
    with about(path):
        if source_format == "pdf":
            from cop_diff.extract.pdf import extract_pdf

            return extract_pdf(
                data,
                source=str(path),
                sha256=digest,
                engine=settings.pdf_engine,
                password=settings.password or "",
                max_pages=settings.max_pages,
                max_inflated_stream_bytes=settings.max_inflated_stream_bytes,
                max_inflated_total_bytes=settings.max_inflated_total_bytes,
            )
        if source_format == "html":
            from cop_diff.extract.html import extract_html

            return extract_html(
                data, source=str(path), sha256=digest, max_blocks=block_limit(settings)
            )
        from cop_diff.extract.text import extract_text

        return extract_text(data, source=str(path), sha256=digest, max_blocks=block_limit(settings))


# A long PDF read in parts, by several processes (``pipeline.extract_documents``)

MIN_PAGES_TO_SPLIT = 8
"""Shorter PDFs are read whole: opening the file again in each process costs more."""
SPLIT_ENGINES = frozenset({"pdfminer"})
"""Engines slow enough for a draft to be worth reading in parts. pdfium reads the largest
draft in under a second: a part costs it the file's vetting again (a tenth of a second),
and two drafts keep both processes busy anyway."""


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
    a PDF, read by a fast engine, short, over ``max_pages``, or unreadable: ``extract``
    then says what is wrong).

    Each range is read with the inflation limits of ``settings``: a bomb is bounded in
    each process that reads part of it."""
    if parts < 2 or settings.pdf_engine not in SPLIT_ENGINES:
        return None
    data = read_input(path, settings.max_bytes)
    if sniff_format(path, data[:4096]) != "pdf":
        return None
    from cop_diff.extract.inflation import InflationBudget, bounded_inflation
    from cop_diff.extract.pdfminer_engine import page_count

    budget = InflationBudget(
        str(path), settings.max_inflated_stream_bytes, settings.max_inflated_total_bytes
    )
    with bounded_inflation(budget):  # an object stream may be a bomb too
        count = page_count(data, settings.password or "")
    too_long = settings.max_pages is not None and (count or 0) > settings.max_pages
    if count is None or count < MIN_PAGES_TO_SPLIT or too_long:
        return None
    digest = hashlib.sha256(data).hexdigest()
    bounds = [count * part // parts for part in range(parts + 1)]
    return [
        PageRange(path, data, digest, range(bounds[part], bounds[part + 1]), settings)
        for part in range(parts)
    ]


def read_page_range(part: PageRange) -> PdfPages:
    """The pages of one range, and the file's metadata (in a worker process)."""
    from cop_diff.extract.pdf import read_pdf_pages

    with about(part.path):
        return read_pdf_pages(
            part.data,
            source=str(part.path),
            engine=part.settings.pdf_engine,
            password=part.settings.password or "",
            max_pages=part.settings.max_pages,
            pages=part.pages,
            max_inflated_stream_bytes=part.settings.max_inflated_stream_bytes,
            max_inflated_total_bytes=part.settings.max_inflated_total_bytes,
        )


def assemble_ranges(parts: list[PageRange], read: list[PdfPages]) -> Document:
    """The document from its ranges' pages: the same as ``extract`` of the whole file."""
    from cop_diff.extract.pdf import assemble_pdf

    first = parts[0]
    with about(first.path):
        return assemble_pdf(
            [page for part in read for page in part.pages],
            source=str(first.path),
            sha256=first.sha256,
            info=read[0].info,
        )
