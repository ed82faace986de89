"""Build small, deterministic PDFs with fpdf2 for the extractor's tests.

A page is a list of items laid out top to bottom from ``TOP``: each ``Text`` is one printed
line at an explicit left edge (so line breaks, hyphens and indents are exactly as written),
``Gap`` adds vertical space, ``Box`` draws a shaded, framed or ruled (table) rectangle around
its lines, ``Table`` a table ruled between its rows and columns, as Word and Chromium print
a table with borders, ``Rect`` is a lone filled rectangle at a fixed place. Units are points
on A4 (595 x 842); y grows downwards, as in fpdf2. A line with a Dingbats glyph (the
check mark), which DejaVu Serif lacks, is printed in DejaVu Sans.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pytest
from fpdf import FPDF

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf"}
FALLBACK_FONT = "DejaVuSans.ttf"
CREATION_DATE = datetime(2025, 1, 1, tzinfo=UTC)

LEFT = 72.0
"""Left edge of body text."""
TOP = 110.0
"""Top of the first body line: below the 12 % band where headers live (842 * 0.12 = 101)."""
BODY_SIZE = 11.0
LEADING = 1.3
"""Line height as a multiple of the font size."""
BOX_PAD = 6.0
BOX_WIDTH = 451.0
RULE = 0.75
"""Thickness of a frame's border rectangles."""
GREY = 200
SHADE = 225


@dataclass(frozen=True)
class Text:
    """One printed line; a ``marker`` sits at ``x`` and the text ``indent`` to its right."""

    text: str
    x: float = LEFT
    size: float = BODY_SIZE
    bold: bool = False
    marker: str | None = None
    indent: float = 18.0
    y: float | None = None
    """Top of the line at a fixed place instead of below the previous item."""


@dataclass(frozen=True)
class Gap:
    """Vertical space between paragraphs."""

    height: float = 10.0


@dataclass(frozen=True)
class Box:
    """Lines inside a rectangle: ``shaded`` (Word), ``framed`` (Chromium: four thin filled
    rectangles) or ``table`` (a frame with a vertical rule between two columns; a line's
    cells are split on " | ")."""

    lines: Sequence[Text]
    style: Literal["shaded", "framed", "table"] = "shaded"
    y: float | None = None
    """Top of the box at a fixed place instead of below the previous item."""


@dataclass(frozen=True)
class Rect:
    """A lone grey filled rectangle."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Table:
    """A table with a rule around it, between its columns and between its rows; each cell
    is a list of lines (wrapped as written). With ``header``, the first row is bold."""

    rows: Sequence[Sequence[Sequence[str]]]
    widths: Sequence[float]
    header: bool = True
    y: float | None = None
    """Top of the table at a fixed place instead of below the previous item."""


Item = Text | Gap | Box | Rect | Table


def font_paths() -> dict[str, Path]:
    """The DejaVu Serif files; skip the test where they are missing, but fail in CI."""
    paths = {style: FONT_DIR / name for style, name in FONT_FILES.items()}
    paths["fallback"] = FONT_DIR / FALLBACK_FONT
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        message = f"font missing: {', '.join(missing)} (install Debian's fonts-dejavu-core)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return paths


def make_pdf(
    path: Path,
    pages: Sequence[Sequence[Item]],
    header: str | None = None,
    footer: str | None = None,
    first_page: int = 1,
    made_by: tuple[str, str] | None = None,
) -> Path:
    """Write ``pages`` to ``path``; ``header``/``footer`` are printed on every page.

    ``footer`` may use ``{page}`` and ``{pages}``: "{page} / {pages}"; pages are numbered
    from ``first_page``. ``made_by``: the /Creator and /Producer to write (fpdf2's own
    otherwise).
    """
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_creation_date(CREATION_DATE)
    if made_by is not None:
        pdf.set_creator(made_by[0])
        pdf.set_producer(made_by[1])
    pdf.set_auto_page_break(False)
    fonts = font_paths()
    pdf.add_font("DejaVuSans", "", str(fonts.pop("fallback")))
    for style, font in fonts.items():
        pdf.add_font("DejaVuSerif", style, str(font))
    for number, items in enumerate(pages, 1):
        pdf.add_page()
        if header is not None:
            _print(pdf, Text(header, size=9), 40.0)
        if footer is not None:
            label = footer.format(page=first_page + number - 1, pages=len(pages))
            _print(pdf, Text(label, x=280, size=9), 800.0)
        y = TOP
        for item in items:
            y = _place(pdf, item, y)
    pdf.output(str(path))
    return path


def _line_height(line: Text) -> float:
    return line.size * LEADING


def _print(pdf: FPDF, line: Text, top: float) -> None:
    """Print ``line`` with the top of its font box at ``top``."""
    if any("\u2700" <= char <= "\u27bf" for char in line.text):  # Dingbats: ✓ ✗
        pdf.set_font("DejaVuSans", "", line.size)
    else:
        pdf.set_font("DejaVuSerif", "B" if line.bold else "", line.size)
    baseline = top + line.size * 0.9
    if line.marker is None:
        pdf.text(line.x, baseline, line.text)
    else:
        pdf.text(line.x, baseline, line.marker)
        pdf.text(line.x + line.indent, baseline, line.text)


def _place(pdf: FPDF, item: Item, y: float) -> float:
    """Draw one item whose top is at ``y``; return the top of the next one."""
    if isinstance(item, Gap):
        return y + item.height
    if isinstance(item, Rect):
        _fill(pdf, item.x, item.y, item.w, item.h, GREY)
        return y
    if isinstance(item, Text):
        top = item.y if item.y is not None else y
        _print(pdf, item, top)
        return top + _line_height(item)
    if isinstance(item, Table):
        return _place_table(pdf, item, y)
    return _place_box(pdf, item, y)


def _place_table(pdf: FPDF, table: Table, y: float) -> float:
    top = table.y if table.y is not None else y
    line_height = BODY_SIZE * LEADING
    heights = [max(len(cell) for cell in row) * line_height + 2 * BOX_PAD for row in table.rows]
    width, height = sum(table.widths), sum(heights)
    _frame(pdf, LEFT, top, width, height)
    x = LEFT
    for column_width in table.widths[:-1]:
        x += column_width
        _fill(pdf, x, top, RULE, height, GREY)
    row_top = top
    for index, (row, row_height) in enumerate(zip(table.rows, heights, strict=True)):
        if index:
            _fill(pdf, LEFT, row_top, width, RULE, GREY)
        x = LEFT
        for cell, column_width in zip(row, table.widths, strict=True):
            for number, text in enumerate(cell):
                bold = table.header and index == 0
                line = Text(text, x=x + BOX_PAD, bold=bold)
                _print(pdf, line, row_top + BOX_PAD + number * line_height)
            x += column_width
        row_top += row_height
    return top + height + BOX_PAD


def _place_box(pdf: FPDF, box: Box, y: float) -> float:
    x0, top = LEFT - BOX_PAD, box.y if box.y is not None else y
    height = sum(_line_height(line) for line in box.lines) + 2 * BOX_PAD
    if box.style == "shaded":
        _fill(pdf, x0, top, BOX_WIDTH, height, SHADE)
    else:
        _frame(pdf, x0, top, BOX_WIDTH, height)
    if box.style == "table":
        _fill(pdf, x0 + BOX_WIDTH / 2, top, RULE, height, GREY)
    line_y = top + BOX_PAD
    for line in box.lines:
        if box.style == "table":
            left, right = line.text.split(" | ")
            _print(pdf, Text(left, x=LEFT, size=line.size, bold=line.bold), line_y)
            _print(pdf, Text(right, x=x0 + BOX_WIDTH / 2 + BOX_PAD, size=line.size), line_y)
        else:
            _print(pdf, line, line_y)
        line_y += _line_height(line)
    return top + height + BOX_PAD


def _frame(pdf: FPDF, x: float, y: float, w: float, h: float) -> None:
    """Four thin filled rectangles, as Chromium prints a CSS border."""
    _fill(pdf, x, y, w, RULE, GREY)
    _fill(pdf, x, y + h - RULE, w, RULE, GREY)
    _fill(pdf, x, y, RULE, h, GREY)
    _fill(pdf, x + w - RULE, y, RULE, h, GREY)


def _fill(pdf: FPDF, x: float, y: float, w: float, h: float, grey: int) -> None:
    pdf.set_fill_color(grey)
    pdf.rect(x, y, w, h, style="F")


def one_page_pdf(stream: bytes) -> bytes:
    """A PDF of one page whose content is ``stream``, stored as FlateDecode (Helvetica as
    ``/F1``): for content fpdf2 would never write, such as a damaged or endless stream."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    size = len(objects) + 1
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, table)
    return bytes(pdf)


def damaged_copy(pdf: Path, folder: Path) -> Path:
    """``pdf`` (printed by fpdf2) with 300 random bytes inside the third compressed stream,
    one page's content: pdfminer would read that page as empty."""
    data = bytearray(pdf.read_bytes())
    starts = [match.end() for match in re.finditer(rb"stream\r?\n", data)]
    noise = random.Random(7)
    for at in range(starts[2] + 50, starts[2] + 350):
        data[at] = noise.randrange(256)
    damaged = folder / "damaged.pdf"
    damaged.write_bytes(bytes(data))
    return damaged
