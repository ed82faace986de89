"""The pdfminer engine (pdfminer.six): the reference the pdfium engine is held to.

pdfminer lays out each page in Python: its text lines are the runs of text, its curves
and rectangles the shapes. Its parser also vets a file for the pdfium engine
(``vet_streams``): it decodes every stream pdfium could decode, within the inflation
budget, before pdfium opens the file.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

from cop_diff.errors import CopDiffError
from cop_diff.extract.inflation import damaged_streams, glyph_bounded_aggregator
from cop_diff.extract.pdfengine import (
    CHAR_MARGIN,
    LINE_OVERLAP,
    PDF_INFO_KEYS,
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


def read_pages(
    data: bytes,
    *,
    source: str,
    password: str,
    max_pages: int | None,
    pages: range | None,
) -> PdfPages:
    from pdfminer.layout import LTCurve, LTTextContainer, LTTextLine

    document = _open(data, source, password)
    result = []
    for number, layout, damaged in _layouts(document, source, password, max_pages, pages):
        height = float(layout.height)
        rects = [
            rect
            for element in layout
            if isinstance(element, LTCurve) and (rect := _box_rect(element, height)) is not None
        ]
        rules = ColumnRules(rects)
        lines = []
        for element in layout:
            if not isinstance(element, LTTextContainer):
                continue
            for text_line in element:
                if not isinstance(text_line, LTTextLine):
                    continue
                for text, glyphs, bbox in _pieces(text_line, rules, height):
                    line = make_line(text, glyphs, bbox, number, height)
                    if line is not None:
                        lines.append(line)
        result.append(PageLines(number, height, tuple(lines), tuple(rects), damaged))
    return PdfPages(result, _info(document))


def _info(document: Any) -> PdfInfo:
    """The title and creation date of the document information dictionary (the last
    trailer's), as far as they can be read."""
    from pdfminer.pdftypes import resolve1

    def text(info: dict[str, Any], key: str) -> str | None:
        value = resolve1(info.get(key))
        if isinstance(value, bytes):
            return _pdf_text_string(value)
        return value if isinstance(value, str) else None

    try:
        info = resolve1(document.info[-1]) if document.info else {}
        if not isinstance(info, dict):
            return PdfInfo()
        return PdfInfo.of({key: text(info, key) for key in PDF_INFO_KEYS})
    except Exception:
        return PdfInfo()


def _pdf_text_string(value: bytes) -> str:
    """A PDF text string: UTF-16 with a byte-order mark, else PDFDocEncoding (~Latin-1)."""
    if value.startswith((b"\xfe\xff", b"\xff\xfe")):
        return value.decode("utf-16", errors="replace")
    return value.decode("latin-1")


def _pieces(
    text_line: Any, rules: ColumnRules, height: float
) -> Iterator[tuple[str, list[tuple[float, str, int]], tuple[float, float, float, float]]]:
    """A text line as ``make_line`` takes it, cut where a vertical rule runs between two of
    its characters (the cells of a table row, if pdfminer joined them)."""
    from pdfminer.layout import LTChar

    x0, _, x1, _ = text_line.bbox
    if rules and rules.between(x0, x1, height - text_line.y1, height - text_line.y0):
        pieces: list[list[Any]] = [[]]
        before = None
        for item in text_line:
            if isinstance(item, LTChar):
                if before is not None and rules.between(
                    before.x1, item.x0, height - item.y1, height - item.y0
                ):
                    pieces.append([])
                before = item
            pieces[-1].append(item)
    else:
        pieces = [list(text_line)]
    for piece in pieces:
        chars = [item for item in piece if isinstance(item, LTChar)]
        if not chars:
            continue
        glyphs = Counter((c.size, c.fontname) for c in chars if c.get_text().strip())
        bbox = text_line.bbox
        if len(pieces) > 1:
            bbox = (
                min(c.x0 for c in chars),
                min(c.y0 for c in chars),
                max(c.x1 for c in chars),
                max(c.y1 for c in chars),
            )
        text = "".join(item.get_text() for item in piece)
        yield text, [(size, font, n) for (size, font), n in glyphs.items()], bbox


def page_count(data: bytes, password: str = "") -> int | None:
    """The page count the PDF declares; ``None`` if it cannot be opened or says none (the
    full extraction then says what is wrong)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        return _page_count(PDFDocument(PDFParser(io.BytesIO(data)), password=password))
    except Exception:
        return None


def _open(data: bytes, source: str, password: str) -> Any:
    """pdfminer's document; what it raises on a damaged or encrypted file as our errors."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        return PDFDocument(PDFParser(io.BytesIO(data)), password=password)
    except Exception as error:
        raise _unreadable(source, password, error) from error


def _unreadable(source: str, password: str, error: BaseException) -> CopDiffError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if isinstance(error, CopDiffError):
        return error
    if isinstance(error, (PDFPasswordIncorrect, PDFEncryptionError)):
        return encrypted(source, password)
    return unreadable(source, error)


def _layouts(
    document: Any, source: str, password: str, max_pages: int | None, pages: range | None = None
) -> Iterator[tuple[int, Any, bool]]:
    """pdfminer's layout of each page (or of those in ``pages``), with its number from 1,
    and whether a compressed stream of it was damaged.

    Whatever pdfminer raises while it parses the file is a fault of the file (pdfminer
    raises ``KeyError``, ``IndexError``, ``struct.error``, ``zlib.error``... on damaged
    PDFs), so every exception from it becomes one ``ExtractionError``; the caller's own
    processing of each layout happens outside, where a bug stays a bug.
    """
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    laparams = LAParams(
        line_overlap=LINE_OVERLAP,
        line_margin=0.3,
        char_margin=CHAR_MARGIN,
        word_margin=WORD_MARGIN,
        boxes_flow=None,
    )
    try:
        count = _page_count(document)
        manager = PDFResourceManager(caching=True)
        device = glyph_bounded_aggregator(manager, laparams, source)
        interpreter = PDFPageInterpreter(manager, device)
        page_objects = PDFPage.create_pages(document)
    except Exception as error:
        raise _unreadable(source, password, error) from error
    if max_pages is not None and count is not None and count > max_pages:
        raise too_long(source, count, max_pages)
    number = 0
    while True:
        try:
            page = next(page_objects, None)
            if page is None:
                return
            number += 1
            if max_pages is not None and number > max_pages:
                raise too_long(source, None, max_pages)
            if pages is not None and number - 1 not in pages:
                if number - 1 >= pages.stop:
                    return
                continue
            damaged_before = damaged_streams()
            interpreter.process_page(page)
            layout = device.get_result()
        except Exception as error:
            raise _unreadable(source, password, error) from error
        # pdfminer reads a damaged stream as empty: the page may have lost text.
        yield number, layout, damaged_streams() > damaged_before


def _page_count(document: Any) -> int | None:
    """The page count the PDF declares, if it declares one that makes sense."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(document.catalog["Pages"])["Count"])
    except Exception:
        return None
    return count if isinstance(count, int) and count >= 0 else None


def _box_rect(element: object, height: float) -> Rect | None:
    """A shaded rectangle or a piece of a box's frame, or ``None``.

    Word shades a box with filled rectangles; Chromium draws a frame as four thin
    filled rectangles. Both are kept here and merged into regions later.
    """
    fill = getattr(element, "fill", False)
    stroke = getattr(element, "stroke", False)
    if fill and _is_white(getattr(element, "non_stroking_color", None)):
        return None
    if not fill and not (stroke and not _is_white(getattr(element, "stroking_color", None))):
        return None
    x0, y0, x1, y1 = element.bbox  # type: ignore[attr-defined]
    return Rect(float(x0), height - float(y1), float(x1), height - float(y0))


def _is_white(colour: object) -> bool:
    if colour is None:
        return False
    values = colour if isinstance(colour, (tuple, list)) else (colour,)
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    if len(numbers) == 4:  # CMYK: white is no ink
        return all(v <= 0.02 for v in numbers)
    return all(v >= 0.98 for v in numbers)


# --- vetting a file for the pdfium engine -----------------------------------------------------


def vet_streams(data: bytes, *, source: str, password: str) -> frozenset[int]:
    """Decode every stream of the file that pdfium could decode, within the inflation
    budget in force (``inflation.bounded_inflation``), and drop the result.

    Returns the numbers of the pages that use a damaged stream, if any do; raises
    as extraction would for a file that is encrypted, damaged beyond parsing, or too big.
    Images are left out: pdfium decodes them only to render, which cop-diff never does.
    Streams are never inside object streams, so only the objects at a file offset are
    parsed: a tenth of a second for the largest draft.
    """
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import LIT

    image = LIT("Image")
    document = _open(data, source, password)
    damaged: set[int] = set()
    seen: set[int] = set()
    try:
        for xref in document.xrefs:
            for objid in xref.get_objids():
                if objid in seen:
                    continue
                seen.add(objid)
                try:
                    in_object_stream = xref.get_pos(objid)[0] is not None
                except KeyError:
                    continue
                if in_object_stream:
                    continue
                stream = document.getobj(objid)
                if not isinstance(stream, PDFStream) or stream.get("Subtype") is image:
                    continue
                before = damaged_streams()
                stream.get_data()
                if damaged_streams() > before:
                    damaged.add(objid)
        return _pages_using(document, damaged) if damaged else frozenset()
    except Exception as error:
        raise _unreadable(source, password, error) from error


def _pages_using(document: Any, streams: set[int]) -> frozenset[int]:
    """The numbers of the pages whose contents or resources reach one of ``streams``
    (object ids): the pages pdfminer would find them damaged on."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import PDFObjRef, PDFStream

    found: set[int] = set()
    for number, page in enumerate(PDFPage.create_pages(document), 1):
        pending: list[Any] = [page.attrs.get("Contents"), page.resources]
        visited: set[int] = set()
        while pending:
            item = pending.pop()
            if isinstance(item, PDFObjRef):
                if item.objid in streams:
                    found.add(number)
                    break
                if item.objid in visited:
                    continue
                visited.add(item.objid)
                pending.append(item.resolve())
            elif isinstance(item, PDFStream):
                pending.append(item.attrs)
            elif isinstance(item, dict):
                pending += [value for key, value in item.items() if key != "Parent"]
            elif isinstance(item, list):
                pending += item
    return frozenset(found)
