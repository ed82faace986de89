"""What a draft says about itself: its title and date, from the file's metadata.

A report names each draft by title and date, so that a reader who gets it forwarded
knows which drafts were compared without the file names (or the sender's folders).
The readers of each format call these with the raw values they find.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cop_diff.extract.textclean import normalize_text
from cop_diff.model import Block

_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")

_MADE_BY_A_PROGRAM = re.compile(
    r"^(?:microsoft (?:word|powerpoint) - |untitled\b|document\d*$)|\.(?:docx?|odt|pdf|rtf|tex)$",
    re.IGNORECASE,
)
"""Titles a word processor writes for the author ("Microsoft Word - draft3.docx"):
a file name, not the document's title."""

MAX_TITLE = 200
"""A "title" longer than this is a paragraph mis-read as one."""


def pdf_date(value: str | None) -> str | None:
    """A PDF date ("D:20241114115550+01'00'") as an ISO date ("2024-11-14")."""
    match = _PDF_DATE.match((value or "").strip())
    if match is None:
        return None
    year, month, day = match.group(1), match.group(2) or "", match.group(3) or ""
    return _valid(year, month, day)


_PRINTED_BY_A_BROWSER = re.compile(r"^(?:mozilla/|skia/pdf)|chrome/|wkhtmltopdf", re.IGNORECASE)
"""A PDF's Creator or Producer when a browser printed a web page to it (Chromium:
"Mozilla/5.0 ... HeadlessChrome/156..." and "Skia/PDF m156"; wkhtmltopdf): its
creation date is when the page was printed, which says nothing of the draft."""


def pdf_document_date(created: str | None, creator: str | None, producer: str | None) -> str | None:
    """The draft's date from a PDF's /CreationDate, unless a browser printed it."""
    if any(_PRINTED_BY_A_BROWSER.search(value or "") for value in (creator, producer)):
        return None
    return pdf_date(created)


def iso_date(value: str | None) -> str | None:
    """The date part of an ISO date or timestamp ("2025-03-11T09:00:00Z" -> "2025-03-11")."""
    match = _ISO_DATE.match((value or "").strip())
    return _valid(*match.groups()) if match else None


def _valid(year: str, month: str, day: str) -> str | None:
    if not month:
        return year if 1900 < int(year) < 2200 else None
    if not 1 <= int(month) <= 12:
        return None
    if not day:
        return f"{year}-{month}"
    return f"{year}-{month}-{day}" if 1 <= int(day) <= 31 else None


def clean_title(value: str | None) -> str | None:
    """A metadata title worth showing, or ``None`` (empty, a file name, a paragraph)."""
    title = normalize_text(value or "")
    if not title or len(title) > MAX_TITLE or _MADE_BY_A_PROGRAM.search(title):
        return None
    return title


def title_from_blocks(blocks: Sequence[Block]) -> str | None:
    """The first top-level heading on the first page, else the first top-level heading."""
    headings = [b for b in blocks if b.kind == "heading" and b.level == 1 and b.box is None]
    first_page = [b for b in headings if b.page in (None, 1)]
    for block in first_page or headings:
        title = clean_title(block.text)
        if title:
            return title
    return None
