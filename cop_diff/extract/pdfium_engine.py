"""The pdfium engine (pypdfium2): each page's characters and shapes, read by a C library.

pdfium's text page gives every character with its box, font and matrix; the runs of text
are then formed here exactly as pdfminer forms its text lines (``CHAR_MARGIN``,
``WORD_MARGIN``, ``LINE_OVERLAP``), so that the layout code gets the same records from
either engine. Quirks of pdfium's text page handled here:

- the characters it makes up (spaces, line breaks) are left out: a run's spaces come from
  the gaps between its characters, as in pdfminer;
- a hyphen it takes for a line-end hyphen comes as U+FFFE (and 0x02 from
  ``FPDFText_GetUnicode``): it is a hyphen, and whether to keep it is the layout's call;
- a character outside the Basic Multilingual Plane (the check mark U+1F5F8) is two
  characters, its UTF-16 surrogates, with one box;
- ``FPDFText_GetFontSize`` ignores the page's scaling (Chromium prints at 0.75): the size
  is taken through the character's matrix.

One difference is left: text and shapes inside a form XObject (a figure) are read, where
the pdfminer engine leaves figures out. In the drafts, the one figure (a decision tree in
D2) prints no text pdfium reads, and its frame holds no line.

Before pdfium opens a file, every stream it could decode is decoded once within the
inflation budget by ``pdfminer_engine.vet_streams``: pdfium inflates a stream up to 1 GiB
and cannot be stopped sooner, so a decompression bomb is refused before it starts.
"""

from __future__ import annotations

import ctypes
import math
import threading
from dataclasses import replace
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from cop_diff.extract import inflation
from cop_diff.extract.pdfengine import (
    CHAR_MARGIN,
    LINE_OVERLAP,
    WORD_MARGIN,
    ColumnRules,
    PageLines,
    PdfInfo,
    PdfPages,
    Rect,
    encrypted,
    make_line,
    too_long,
    unreadable,
)
from cop_diff.extract.pdfminer_engine import vet_streams
from cop_diff.model import Line

_PDFIUM_LOCK = threading.Lock()
"""pdfium is not thread-safe: one document at a time in a process (``compare`` reads
drafts in worker processes, each with its own pdfium)."""

_HYPHEN_MARKS = (0xFFFE, 0x02)
_HIGH_SURROGATES = range(0xD800, 0xDC00)
_BLANKS = frozenset(unit for unit in range(0x3001) if chr(unit).isspace())
"""Code units of characters that print nothing (all of Unicode's are below U+3001)."""
_WHITE = 250
"""A colour channel at or above this (of 255) is white: no ink (0.98, as for pdfminer)."""


def _cheap(function: Any, restype: Any, *argtypes: Any) -> Any:
    """pdfium's ``function`` taking and returning plain addresses and numbers: called once
    per character, pypdfium2's typed wrappers (a pointer object per call) cost as much as
    the rest of the work. A new prototype at the same address: pypdfium2's stays as it is."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    if address is None:
        raise ImportError(f"pdfium has no {function.__name__}")
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_text_object = _cheap(
    pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int
)
_loose_box = _cheap(
    pdfium_c.FPDFText_GetLooseCharBox,
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_int,
    ctypes.c_void_p,
)


def read_pages(
    data: bytes,
    *,
    source: str,
    password: str,
    max_pages: int | None,
    pages: range | None,
) -> PdfPages:
    damaged = vet_streams(data, source=source, password=password)
    with _PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data, password=password or None)
        except pdfium.PdfiumError as error:
            if getattr(error, "err_code", None) in (
                pdfium_c.FPDF_ERR_PASSWORD,
                pdfium_c.FPDF_ERR_SECURITY,
            ):
                raise encrypted(source, password) from error
            raise unreadable(source, error) from error
        try:
            count = len(document)
            if max_pages is not None and count > max_pages:
                raise too_long(source, count, max_pages)
            wanted = range(count) if pages is None else range(pages.start, min(pages.stop, count))
            result = []
            for index in wanted:
                try:
                    page = _read_page(document, index, source)
                    result.append(replace(page, damaged=index + 1 in damaged))
                except pdfium.PdfiumError as error:  # a page pdfium cannot load
                    raise unreadable(source, error) from error
            metadata = document.get_metadata_dict(skip_empty=True)
            return PdfPages(result, PdfInfo.of(metadata))
        finally:
            document.close()


def _read_page(document: pdfium.PdfDocument, index: int, source: str) -> PageLines:
    page = document[index]
    try:
        # The bound pdfminer's device keeps (``inflation.MAX_PAGE_GLYPHS``), on what this
        # engine walks: pdfium merges glyphs drawn on one spot into one character, but
        # every drawn object, a glyph's text object among them, is looked at below.
        drawn = max(pdfium_c.FPDFPage_CountObjects(page.raw), 0)
        if drawn > inflation.MAX_PAGE_GLYPHS:
            raise inflation.too_many_glyphs(source)
        height = _page_height(page)
        shapes = _shapes(page.raw, height, None)
        textpage = page.get_textpage()
        try:
            if textpage.count_chars() > inflation.MAX_PAGE_GLYPHS:
                raise inflation.too_many_glyphs(source)
            runs = _runs(textpage, index + 1, height, ColumnRules(shapes))
        finally:
            textpage.close()
    finally:
        page.close()
    return PageLines(index + 1, height, tuple(runs), tuple(shapes))


def _page_height(page: pdfium.PdfPage) -> float:
    """The media box's height, as pdfminer lays the page out."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if pdfium_c.FPDFPage_GetMediaBox(page.raw, left, bottom, right, top):
        return float(top.value - bottom.value)
    return float(page.get_height())


# --- runs of text -----------------------------------------------------------------------------

_Style = tuple[float, str]
"""A text object's size (points) and font name."""


def _runs(textpage: pdfium.PdfTextPage, page: int, height: float, rules: ColumnRules) -> list[Line]:
    """The page's runs of text, grouped as pdfminer groups characters into lines
    (``LTLayoutContainer.group_objects``): a character joins the run of the character
    before it when they overlap vertically by more than ``LINE_OVERLAP`` of the smaller
    and are less than ``CHAR_MARGIN`` widths apart, with no rule between them; a gap of
    more than ``WORD_MARGIN`` of its size before a character is a space.

    One loop over every character, written flat: it is most of the engine's time.
    """
    raw = textpage.raw
    handle = ctypes.cast(raw, ctypes.c_void_p).value
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return []
    units = (ctypes.c_ushort * (count + 1))()
    pdfium_c.FPDFText_GetText(raw, 0, count, units)
    box = pdfium_c.FS_RECTF()
    box_address = ctypes.addressof(box)
    styles: dict[int, _Style] = {}
    lines: list[Line] = []
    run: list[int] = []
    printing: dict[_Style, int] = {}
    """Characters that print, by style, in the current run."""
    run_x0 = run_y0 = run_x1 = run_y1 = 0.0
    x0 = y0 = x1 = y1 = 0.0

    def finish() -> None:
        line = make_line(
            _text(run),
            [(size, font, n) for (size, font), n in printing.items()],
            (run_x0, run_y0, run_x1, run_y1),
            page,
            height,
        )
        if line is not None:
            lines.append(line)

    codes = list(units)
    for index in range(count):
        text_object = _text_object(handle, index)
        if not text_object:
            continue  # made up by pdfium: a space or a line break it inferred
        unit = codes[index]
        if 0xDC00 <= unit < 0xE000 and run:  # a low surrogate (a range test is slower)
            run.append(unit)  # the second half of the character before, in the same box
            continue
        style = styles.get(text_object)
        if style is None:
            style = styles[text_object] = _style(raw, index)
        size = style[0]
        _loose_box(handle, index, box_address)
        before_x0, before_y0, before_x1, before_y1 = x0, y0, x1, y1
        # pdfminer's box of a character: from the font's descent up by the font size.
        x0, x1, y0 = box.left, box.right, box.bottom
        y1 = y0 + size
        # pdfminer's halign (is_voverlap, voverlap, hdistance), with comparisons for calls.
        joins = False
        if run and y0 <= before_y1 and before_y0 <= y1:
            overlap = y1 - before_y0 if y1 - before_y0 < before_y1 - y0 else before_y1 - y0
            before_height = before_y1 - before_y0
            if overlap > LINE_OVERLAP * (before_height if before_height < size else size):
                if x0 <= before_x1 and before_x0 <= x1:
                    distance = 0.0
                else:
                    distance = x0 - before_x1 if x0 > before_x1 else before_x0 - x1
                width, before_width = x1 - x0, before_x1 - before_x0
                joins = distance < CHAR_MARGIN * (width if width > before_width else before_width)
                if joins and rules and x0 > before_x1:
                    joins = not rules.between(before_x1, x0, height - y1, height - y0)
        if joins:
            width = x1 - x0
            if x0 - before_x1 > WORD_MARGIN * (width if width > size else size):
                run.append(0x20)
            if x0 < run_x0:
                run_x0 = x0
            if x1 > run_x1:
                run_x1 = x1
            if y0 < run_y0:
                run_y0 = y0
            if y1 > run_y1:
                run_y1 = y1
        else:
            if run:
                finish()
            run, printing = [], {}
            run_x0, run_y0, run_x1, run_y1 = x0, y0, x1, y1
        run.append(unit)
        if unit not in _BLANKS:
            printing[style] = printing.get(style, 0) + 1
    if run:
        finish()
    return lines


def _text(units: list[int]) -> str:
    """UTF-16 code units as text: surrogate pairs joined, pdfium's hyphen marks as hyphens."""
    text = "".join(map(chr, units))
    for mark in _HYPHEN_MARKS:
        text = text.replace(chr(mark), "-")
    if any(unit in _HIGH_SURROGATES for unit in units):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _style(textpage: Any, index: int) -> _Style:
    """The size and font name of the text object of character ``index``."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(textpage, index, matrix)
    # pdfium's size is in text space, before the page's scaling.
    size = pdfium_c.FPDFText_GetFontSize(textpage, index) * math.hypot(matrix.c, matrix.d)
    flags = ctypes.c_int()
    length = pdfium_c.FPDFText_GetFontInfo(textpage, index, None, 0, flags)
    if length <= 0:
        return size, ""
    name = ctypes.create_string_buffer(length)
    pdfium_c.FPDFText_GetFontInfo(textpage, index, name, length, flags)
    return size, name.value.decode("latin-1")


# --- shapes -----------------------------------------------------------------------------------


def _shapes(container: Any, height: float, form: pdfium_c.FS_MATRIX | None) -> list[Rect]:
    """The bounds of the visible paths on a page, or in a form XObject on it."""
    if form is None:
        count = pdfium_c.FPDFPage_CountObjects(container)
        objects = (pdfium_c.FPDFPage_GetObject(container, i) for i in range(count))
    else:
        count = pdfium_c.FPDFFormObj_CountObjects(container)
        objects = (pdfium_c.FPDFFormObj_GetObject(container, i) for i in range(count))
    rects: list[Rect] = []
    for page_object in objects:
        kind = pdfium_c.FPDFPageObj_GetType(page_object)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            rect = _path_rect(page_object, height, form)
            if rect is not None:
                rects.append(rect)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            matrix = pdfium_c.FS_MATRIX()
            pdfium_c.FPDFPageObj_GetMatrix(page_object, matrix)
            rects += _shapes(page_object, height, _combine(matrix, form))
    return rects


def _path_rect(path: Any, height: float, form: pdfium_c.FS_MATRIX | None) -> Rect | None:
    """A shaded rectangle or a piece of a frame or rule, as ``pdfminer_engine`` keeps them."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(path, fill_mode, stroke)
    fill = fill_mode.value != 0
    if fill and _is_white(path, pdfium_c.FPDFPageObj_GetFillColor):
        return None
    if not fill and not (stroke.value and not _is_white(path, pdfium_c.FPDFPageObj_GetStrokeColor)):
        return None
    # The bounds of the path's points, as pdfminer's: pdfium's own bounds take in half
    # the width of a stroke, in device space.
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(path, matrix)
    if form is not None:
        matrix = _combine(matrix, form)
    x, y = ctypes.c_float(), ctypes.c_float()
    xs, ys = [], []
    for index in range(pdfium_c.FPDFPath_CountSegments(path)):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, index)
        if segment and pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            page_x, page_y = _apply(matrix, x.value, y.value)
            xs.append(page_x)
            ys.append(page_y)
    if not xs:
        return None
    return Rect(min(xs), height - max(ys), max(xs), height - min(ys))


def _is_white(path: Any, colour_of: Any) -> bool:
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    if not colour_of(path, red, green, blue, alpha):
        return False
    return min(red.value, green.value, blue.value) >= _WHITE


def _combine(inner: pdfium_c.FS_MATRIX, outer: pdfium_c.FS_MATRIX | None) -> pdfium_c.FS_MATRIX:
    """``inner`` then ``outer`` (a form inside a form)."""
    if outer is None:
        return inner
    result = pdfium_c.FS_MATRIX()
    result.a = inner.a * outer.a + inner.b * outer.c
    result.b = inner.a * outer.b + inner.b * outer.d
    result.c = inner.c * outer.a + inner.d * outer.c
    result.d = inner.c * outer.b + inner.d * outer.d
    result.e = inner.e * outer.a + inner.f * outer.c + outer.e
    result.f = inner.e * outer.b + inner.f * outer.d + outer.f
    return result


def _apply(matrix: pdfium_c.FS_MATRIX, x: float, y: float) -> tuple[float, float]:
    return (
        matrix.a * x + matrix.c * y + matrix.e,
        matrix.b * x + matrix.d * y + matrix.f,
    )
