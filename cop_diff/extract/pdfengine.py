"""What a PDF engine hands to the layout code, and the engines to choose from (#15).

An engine reads each page into ``PageLines``: the runs of text it printed (one ``Line``
per run of characters on one baseline with no wide gap inside, in any order) and the
filled or stroked shapes that may frame a box or rule a table. Everything after that
(rows, boxes, tables, running headers, the table of contents, blocks) is ``pdf.py``'s,
the same whichever engine read the page.

``pdfium`` (pypdfium2) is the default: Chromium's PDF library, in C, about five times
faster. ``pdfminer`` (pdfminer.six) is the reference: the fidelity tests hold the
pdfium engine to its outlines and reports.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Literal, Protocol

from cop_diff.errors import CopDiffError, ExtractionError, LimitError, OptionLimitError
from cop_diff.extract.docinfo import clean_title, pdf_document_date
from cop_diff.extract.textclean import normalize_text
from cop_diff.model import Line
from cop_diff.versions import canonical, installed_versions

PdfEngineName = Literal["pdfium", "pdfminer"]
PDF_ENGINES: tuple[PdfEngineName, ...] = ("pdfium", "pdfminer")
DEFAULT_PDF_ENGINE: PdfEngineName = "pdfium"

_DISTRIBUTIONS: dict[PdfEngineName, str] = {"pdfium": "pypdfium2", "pdfminer": "pdfminer.six"}
"""The package that carries each engine; pypdfium2's version pins the pdfium build it ships."""

CHAR_MARGIN = 2.0
"""Characters further apart than this many character widths are two runs (pdfminer's
``char_margin``): the cells of a table row, a label and its text."""
WORD_MARGIN = 0.1
"""A gap wider than this share of a character's size is a space (pdfminer's ``word_margin``)."""
LINE_OVERLAP = 0.5
"""Characters of one run overlap vertically by at least this share of the smaller one."""
RULE_THICKNESS = 3.0
"""A rule is a shape thinner than this."""
MIN_RULE_LENGTH = 8.0
"""A vertical rule longer than this may part the columns of a table."""


@dataclass(frozen=True)
class Rect:
    """A rectangle on a page, in points from its top-left corner."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def contains(self, x: float, y: float) -> bool:
        return self.x0 - 1 <= x <= self.x1 + 1 and self.top - 1 <= y <= self.bottom + 1

    def near(self, other: Rect, tolerance: float) -> bool:
        return not (
            other.x0 > self.x1 + tolerance
            or other.x1 < self.x0 - tolerance
            or other.top > self.bottom + tolerance
            or other.bottom < self.top - tolerance
        )

    def union(self, other: Rect) -> Rect:
        return Rect(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )


class ColumnRules:
    """A page's vertical rules: a run of text never crosses one (in a table with narrow
    padding, the cells of a row are closer than ``CHAR_MARGIN`` apart)."""

    def __init__(self, shapes: Iterable[Rect]) -> None:
        self._rules = sorted(
            (r for r in shapes if r.width < RULE_THICKNESS and r.height > MIN_RULE_LENGTH),
            key=lambda r: r.x0 + r.x1,
        )
        self._centres = [(r.x0 + r.x1) / 2 for r in self._rules]

    def __bool__(self) -> bool:
        return bool(self._rules)

    def between(self, left: float, right: float, top: float, bottom: float) -> bool:
        """Whether a rule runs between ``left`` and ``right`` beside the middle of the
        span from ``top`` to ``bottom`` (points from the top of the page)."""
        middle = (top + bottom) / 2
        index = bisect.bisect_right(self._centres, left)
        while index < len(self._centres) and self._centres[index] < right:
            rule = self._rules[index]
            if rule.top <= middle <= rule.bottom:
                return True
            index += 1
        return False


@dataclass(frozen=True)
class PageLines:
    """One page as an engine read it."""

    number: int
    """1-based."""
    height: float
    lines: tuple[Line, ...]
    """Runs of text, in the engine's order."""
    rects: tuple[Rect, ...]
    """Bounds of the shapes drawn in a visible colour: shading, frames, rules."""
    damaged: bool = False
    """A compressed stream the page uses is damaged: it is read as far as it goes and may
    lack text (refused unless ``--keep-going``)."""


PDF_INFO_KEYS = ("Title", "CreationDate", "Creator", "Producer")
"""The entries of a PDF's document information dictionary that ``PdfInfo`` reads."""


@dataclass(frozen=True)
class PdfInfo:
    """What a PDF's document information dictionary says of it, cleaned (``docinfo``)."""

    title: str | None = None
    date: str | None = None
    """The creation date, ISO ("2024-12-19"); none for a web page a browser printed."""

    @classmethod
    def of(cls, raw: Mapping[str, str | None]) -> PdfInfo:
        """From the raw entries: /Title, /CreationDate ("D:20241219083631+01'00'"),
        /Creator and /Producer."""
        date = pdf_document_date(raw.get("CreationDate"), raw.get("Creator"), raw.get("Producer"))
        return cls(clean_title(raw.get("Title")), date)


@dataclass(frozen=True)
class PdfPages:
    """What an engine read of a PDF: some or all of its pages, and its metadata."""

    pages: list[PageLines]
    info: PdfInfo


class PdfEngine(Protocol):
    """A module that reads PDFs: ``pdfium_engine`` or ``pdfminer_engine``."""

    def read_pages(
        self,
        data: bytes,
        *,
        source: str,
        password: str,
        max_pages: int | None,
        pages: range | None,
    ) -> PdfPages:
        """The pages (all, or those in ``pages``, 0-based) in order, and the metadata;
        ``CopDiffError`` for a file that cannot be read, is encrypted, too long, or has a
        page that cannot be fully decoded. Runs inside ``inflation.bounded_inflation``."""
        ...


def pdf_engine(name: PdfEngineName) -> PdfEngine:
    """The engine module called ``name`` (imported on first use: each is a large import)."""
    if name not in PDF_ENGINES:
        raise ValueError(f"unknown PDF engine {name!r}")
    module: PdfEngine = import_module(f"cop_diff.extract.{name}_engine")
    return module


def engine_version(name: PdfEngineName) -> str:
    """``name`` and the version of the package that carries it ("pdfium/pypdfium2-5.15.2"),
    for the extraction cache's key (without importing the engine: that takes a warm run
    tens of milliseconds)."""
    distribution = _DISTRIBUTIONS[name]
    version = installed_versions().get(canonical(distribution), "unknown")
    return f"{name}/{distribution}-{version}"


# --- what every engine does alike ------------------------------------------------------------


def make_line(
    text: str,
    glyphs: Iterable[tuple[float, str, int]],
    bbox: tuple[float, float, float, float],
    page: int,
    height: float,
) -> Line | None:
    """A run of text as a ``Line``; ``None`` if it prints nothing.

    ``glyphs``: how many characters that print (not spaces) are set in each size and font
    name; ``bbox``: (x0, y0, x1, y1) in PDF space (y upwards). The size is that of most
    characters; bold or italic means nine characters in ten are set in a font so named.
    """
    clean = normalize_text(text)
    if not clean:
        return None
    sizes: Counter[float] = Counter()
    bold = italic = letters = 0
    for size, font, count in glyphs:
        letters += count
        sizes[round(size, 1)] += count
        font_bold, font_italic = font_style(font)
        bold += font_bold * count
        italic += font_italic * count
    x0, y0, x1, y1 = bbox
    return Line(
        text=clean,
        page=page,
        x0=round(float(x0), 1),
        top=round(height - float(y1), 1),
        x1=round(float(x1), 1),
        bottom=round(height - float(y0), 1),
        size=sizes.most_common(1)[0][0] if sizes else 0.0,
        bold=letters > 0 and bold >= 0.9 * letters,
        italic=letters > 0 and italic >= 0.9 * letters,
    )


@cache
def font_style(name: str) -> tuple[bool, bool]:
    """Whether a font's name says bold, and italic ("ABCDEF+Calibri-BoldItalic")."""
    lowered = name.lower()
    bold = any(weight in lowered for weight in ("bold", "black", "heavy", "semibold", "demi"))
    return bold, "italic" in lowered or "oblique" in lowered


# --- the errors every engine raises alike ----------------------------------------------------


def too_long(source: str, count: int | None, max_pages: int) -> LimitError:
    pages = f"{count} pages" if count is not None else f"more than {max_pages} pages"
    return OptionLimitError(
        f"the PDF has {pages}, more than --max-pages {max_pages}; raise the limit if it "
        "is the right file",
        path=source,
    )


def encrypted(source: str, password: str) -> ExtractionError:
    message = (
        "the PDF is encrypted and the password is wrong; check --password"
        if password
        else "the PDF is encrypted; give its password with --password"
    )
    return ExtractionError(message, path=source)


def unreadable(source: str, error: BaseException) -> CopDiffError:
    """A file the engine could not parse (whatever it raised is the file's fault)."""
    if isinstance(error, (RecursionError, MemoryError)):
        return LimitError(
            f"the PDF is too complex to read ({type(error).__name__}); is it damaged?",
            path=source,
        )
    return ExtractionError(
        f"not a readable PDF ({type(error).__name__}); is the file complete?", path=source
    )
