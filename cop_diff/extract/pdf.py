"""PDF extraction with pdfminer.six: pages -> lines -> clean-up -> blocks.

Each printed line keeps its text, font size, bold/italic, position and page. Clean-up
removes running headers and footers, page numbers and table-of-contents lines, marks
lines inside shaded or framed boxes, then groups lines into paragraphs, headings and
list items in reading order.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from cop_diff.errors import CopDiffError, ExtractionError, LimitError
from cop_diff.extract import damaged_pages_error
from cop_diff.extract.inflation import (
    MAX_STREAM_BYTES,
    MAX_TOTAL_BYTES,
    InflationBudget,
    bounded_inflation,
    damaged_streams,
    glyph_bounded_aggregator,
)
from cop_diff.extract.textclean import (
    classify_box_title,
    is_dotted_leader_line,
    join_hyphenated,
    normalize_text,
    split_list_marker,
    word_counts,
)
from cop_diff.model import Block, BoxKind, Document, Dropped, DropReason, Line

# Tolerances, in points unless said otherwise.
SAME_ROW_TOLERANCE = 2.5
"""Lines whose tops differ by less than this are one printed row (a bullet and its text)."""
MARGIN_BAND = 0.12
"""Share of the page height at top and bottom where running headers and footers live."""
REPEATED_ON_PAGES = 0.3
"""A margin line repeated on this share of pages (and at least 3) is a running header or footer."""
PARAGRAPH_GAP = 1.45
"""A vertical gap above this many body line-heights starts a new paragraph."""
HEADING_SIZE_STEP = 0.6
"""A line this much larger than body text is a heading."""
BOX_MIN_WIDTH = 120.0
BOX_JOIN_TOLERANCE = 3.0
"""Filled rectangles closer than this are one box (Word draws one rectangle per line)."""

_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*(?:(?:/|of)\s*\d{1,4})?\s*[-–—]?$", re.IGNORECASE
)
_TOC_TITLE = re.compile(r"^(?:table of )?contents$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.:;!?)\]”\"']$")


@dataclass(frozen=True)
class _Rect:
    x0: float
    top: float
    x1: float
    bottom: float

    def contains(self, x: float, y: float) -> bool:
        return self.x0 - 1 <= x <= self.x1 + 1 and self.top - 1 <= y <= self.bottom + 1

    def near(self, other: _Rect) -> bool:
        tol = BOX_JOIN_TOLERANCE
        return not (
            other.x0 > self.x1 + tol
            or other.x1 < self.x0 - tol
            or other.top > self.bottom + tol
            or other.bottom < self.top - tol
        )

    def union(self, other: _Rect) -> _Rect:
        return _Rect(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )


@dataclass(frozen=True)
class PageLines:
    number: int
    height: float
    lines: tuple[Line, ...]
    boxes: tuple[_Rect, ...]
    damaged: bool = False
    """A compressed stream of the page was damaged: pdfminer read it as empty."""


def extract_pdf(
    data: bytes,
    *,
    source: str,
    sha256: str,
    password: str = "",
    max_pages: int | None = None,
    max_inflated_stream_bytes: int = MAX_STREAM_BYTES,
    max_inflated_total_bytes: int = MAX_TOTAL_BYTES,
) -> Document:
    """Extract a PDF's text as blocks in reading order.

    A PDF whose streams decode to more than the ``max_inflated_*`` bytes is refused with
    a ``LimitError`` before the memory is taken (a decompression bomb).
    """
    pages = read_pdf_pages(
        data,
        source=source,
        password=password,
        max_pages=max_pages,
        max_inflated_stream_bytes=max_inflated_stream_bytes,
        max_inflated_total_bytes=max_inflated_total_bytes,
    )
    return assemble_pdf(pages, source=source, sha256=sha256)


def read_pdf_pages(
    data: bytes,
    *,
    source: str,
    password: str = "",
    max_pages: int | None = None,
    pages: range | None = None,
    max_inflated_stream_bytes: int = MAX_STREAM_BYTES,
    max_inflated_total_bytes: int = MAX_TOTAL_BYTES,
) -> list[PageLines]:
    """The lines and boxes of each page, or of the pages in ``pages`` (0-based), so that
    parts of one PDF can be read in several processes and put together by
    ``assemble_pdf``."""
    budget = InflationBudget(source, max_inflated_stream_bytes, max_inflated_total_bytes)
    with bounded_inflation(budget):
        return list(_read_pages(data, source, password, max_pages, pages))


def assemble_pdf(pages: list[PageLines], *, source: str, sha256: str) -> Document:
    """The document from all its pages, in order: page furniture and the table of contents
    found across pages and dropped, lines grouped into blocks."""
    damaged = tuple(page.number for page in pages if page.damaged)
    if not any(page.lines for page in pages):
        if damaged:  # nothing to read on: the damage, not a missing text layer
            raise damaged_pages_error(source, damaged, rest=False)
        raise ExtractionError(
            "the PDF has no text layer (a scan?); run OCR first, e.g. `ocrmypdf in.pdf out.pdf`",
            path=source,
        )
    kept, dropped = _drop_page_furniture(pages)
    vocabulary = word_counts(line.text for page in kept for line in page.lines)
    blocks = tuple(_build_blocks(kept, vocabulary))
    return Document(
        source=source,
        format="pdf",
        sha256=sha256,
        pages=len(pages),
        blocks=blocks,
        dropped=tuple(dropped),
        damaged_pages=damaged,
    )


def pdf_page_count(data: bytes, password: str = "") -> int | None:
    """The page count the PDF declares; ``None`` if it cannot be opened or says none (the
    full extraction then says what is wrong)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        return _page_count(PDFDocument(PDFParser(io.BytesIO(data)), password=password))
    except Exception:
        return None


# --- reading pages ----------------------------------------------------------------------------


def _read_pages(
    data: bytes,
    source: str,
    password: str = "",
    max_pages: int | None = None,
    pages: range | None = None,
) -> Iterator[PageLines]:
    from pdfminer.layout import LTChar, LTCurve, LTTextContainer, LTTextLine

    for number, layout, damaged in _layouts(data, source, password, max_pages, pages):
        height = float(layout.height)
        raw_lines: list[Line] = []
        rects: list[_Rect] = []
        for element in layout:
            if isinstance(element, LTTextContainer):
                for text_line in element:
                    if isinstance(text_line, LTTextLine):
                        chars = [c for c in text_line if isinstance(c, LTChar)]
                        line = _make_line(text_line.get_text(), chars, text_line, number, height)
                        if line is not None:
                            raw_lines.append(line)
            elif isinstance(element, LTCurve):
                rect = _box_rect(element, height)
                if rect is not None:
                    rects.append(rect)
        lines = tuple(_merge_rows(raw_lines))
        yield PageLines(number, height, lines, _merge_rects(rects), damaged)


def _layouts(
    data: bytes, source: str, password: str, max_pages: int | None, pages: range | None = None
) -> Iterator[tuple[int, Any, bool]]:
    """pdfminer's layout of each page (or of those in ``pages``), with its number from 1,
    and whether a compressed stream of it was damaged (pdfminer reads such a stream as
    empty: the page may have lost text).

    Whatever pdfminer raises while it parses the file is a fault of the file (pdfminer
    raises ``KeyError``, ``IndexError``, ``struct.error``, ``zlib.error``... on damaged
    PDFs), so every exception from it becomes one ``ExtractionError``; the caller's own
    processing of each layout happens outside, where a bug stays a bug.
    """
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    laparams = LAParams(line_margin=0.3, char_margin=2.0, word_margin=0.1, boxes_flow=None)

    def unreadable(error: BaseException) -> CopDiffError:
        if isinstance(error, (PDFPasswordIncorrect, PDFEncryptionError)):
            message = (
                "the PDF is encrypted and the password is wrong; check --password"
                if password
                else "the PDF is encrypted; give its password with --password"
            )
            return ExtractionError(message, path=source)
        if isinstance(error, (RecursionError, MemoryError)):
            return LimitError(
                f"the PDF is too complex to read ({type(error).__name__}); is it damaged?",
                path=source,
            )
        return ExtractionError(
            f"not a readable PDF ({type(error).__name__}); is the file complete?", path=source
        )

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password=password)
        count = _page_count(document)
        manager = PDFResourceManager(caching=True)
        device = glyph_bounded_aggregator(manager, laparams, source)
        interpreter = PDFPageInterpreter(manager, device)
        page_objects = PDFPage.create_pages(document)
    except CopDiffError:
        raise
    except Exception as error:
        raise unreadable(error) from error
    if max_pages is not None and count is not None and count > max_pages:
        raise _too_long(source, count, max_pages)
    number = 0
    while True:
        try:
            page = next(page_objects, None)
            if page is None:
                return
            number += 1
            if max_pages is not None and number > max_pages:
                raise _too_long(source, None, max_pages)
            if pages is not None and number - 1 not in pages:
                if number - 1 >= pages.stop:
                    return
                continue
            damaged_before = damaged_streams()
            interpreter.process_page(page)
            layout = device.get_result()
        except CopDiffError:
            raise
        except Exception as error:
            raise unreadable(error) from error
        yield number, layout, damaged_streams() > damaged_before


def _page_count(document: Any) -> int | None:
    """The page count the PDF declares, if it declares one that makes sense."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(document.catalog["Pages"])["Count"])
    except Exception:
        return None
    return count if isinstance(count, int) and count >= 0 else None


def _too_long(source: str, count: int | None, max_pages: int) -> LimitError:
    pages = f"{count} pages" if count is not None else f"more than {max_pages} pages"
    return LimitError(
        f"the PDF has {pages}, more than --max-pages {max_pages}; raise the limit if it "
        "is the right file",
        path=source,
    )


def _make_line(
    text: str, chars: Sequence[object], box: object, page: int, height: float
) -> Line | None:
    from pdfminer.layout import LTChar

    clean = normalize_text(text)
    if not clean:
        return None
    sizes: Counter[float] = Counter()
    bold = italic = letters = 0
    for char in chars:
        assert isinstance(char, LTChar)
        if not char.get_text().strip():
            continue
        letters += 1
        sizes[round(char.size, 1)] += 1
        name = char.fontname.lower()
        bold += any(w in name for w in ("bold", "black", "heavy", "semibold", "demi"))
        italic += "italic" in name or "oblique" in name
    x0, y0, x1, y1 = box.bbox  # type: ignore[attr-defined]
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


def _merge_rows(lines: Iterable[Line]) -> Iterator[Line]:
    """Order lines top to bottom and join pieces printed on the same row.

    pdfminer often splits a bullet glyph, or a tab-separated label, from its text.
    """
    ordered = sorted(lines, key=lambda line: (line.top, line.x0))
    row: list[Line] = []
    for line in ordered:
        if row and abs(line.top - row[0].top) > SAME_ROW_TOLERANCE:
            yield _join_row(row)
            row = []
        row.append(line)
    if row:
        yield _join_row(row)


def _join_row(row: list[Line]) -> Line:
    if len(row) == 1:
        return row[0]
    row.sort(key=lambda line: line.x0)
    main = max(row, key=lambda line: len(line.text))
    return replace(
        main,
        text=" ".join(line.text for line in row),
        x0=row[0].x0,
        x1=max(line.x1 for line in row),
        top=min(line.top for line in row),
        bottom=max(line.bottom for line in row),
    )


def _box_rect(element: object, height: float) -> _Rect | None:
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
    return _Rect(float(x0), height - float(y1), float(x1), height - float(y0))


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


def _merge_rects(rects: list[_Rect]) -> tuple[_Rect, ...]:
    """Merge touching rectangles into box regions; drop tables and decorations.

    A region with a vertical rule inside it is a table, not a box; a region too small
    to hold a line of text is an underline or a rule.
    """
    regions: list[list[_Rect]] = []
    for rect in sorted(rects, key=lambda r: (r.top, r.x0)):
        touching = [region for region in regions if any(part.near(rect) for part in region)]
        merged = [rect]
        for region in touching:
            regions.remove(region)
            merged.extend(region)
        regions.append(merged)
    boxes: list[_Rect] = []
    for parts in regions:
        bounds = parts[0]
        for part in parts[1:]:
            bounds = bounds.union(part)
        if bounds.x1 - bounds.x0 < BOX_MIN_WIDTH or bounds.bottom - bounds.top < 8:
            continue
        inner_rules = [
            p
            for p in parts
            if p.x1 - p.x0 < 3 and p.bottom - p.top > 8 and bounds.x0 + 5 < p.x0 < bounds.x1 - 5
        ]
        if not inner_rules:
            boxes.append(bounds)
    return tuple(sorted(boxes, key=lambda r: (r.top, r.x0)))


# --- page furniture -------------------------------------------------------------------------


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _in_margin(line: Line, height: float) -> bool:
    return line.top < height * MARGIN_BAND or line.bottom > height * (1 - MARGIN_BAND)


def _drop_page_furniture(pages: list[PageLines]) -> tuple[list[PageLines], list[Dropped]]:
    """Remove running headers and footers, page numbers and table-of-contents lines."""
    margin_counts: Counter[str] = Counter()
    for page in pages:
        keys = {_furniture_key(ln.text) for ln in page.lines if _in_margin(ln, page.height)}
        margin_counts.update(keys)
    threshold = max(3, int(REPEATED_ON_PAGES * len(pages)))
    repeated = {key for key, count in margin_counts.items() if count >= threshold}

    dropped: list[Dropped] = []
    kept_pages: list[PageLines] = []
    for page in pages:
        kept: list[Line] = []
        for line in page.lines:
            reason = _furniture_reason(line, page.height, repeated)
            if reason is None:
                kept.append(line)
            else:
                dropped.append(Dropped(line.text, reason, line.page))
        kept_pages.append(replace(page, lines=tuple(kept)))
    return _drop_toc(kept_pages, dropped)


def _furniture_reason(line: Line, height: float, repeated: set[str]) -> DropReason | None:
    if not _in_margin(line, height):
        return None
    if _PAGE_NUMBER.match(line.text):
        return "page-number"
    if _furniture_key(line.text) in repeated:
        return "header" if line.top < height / 2 else "footer"
    return None


def _drop_toc(
    pages: list[PageLines], dropped: list[Dropped]
) -> tuple[list[PageLines], list[Dropped]]:
    """Drop table-of-contents lines: dotted leaders, their wrapped first halves, the title."""
    result: list[PageLines] = []
    for page in pages:
        lines = list(page.lines)
        is_toc = [is_dotted_leader_line(line.text) for line in lines]
        # A long entry wraps: its first line has no leader but the next one does.
        for i in range(len(lines) - 2, -1, -1):
            if not is_toc[i] and is_toc[i + 1] and _toc_context(is_toc, i):
                is_toc[i] = True
        for i, line in enumerate(lines):
            if not is_toc[i] and _TOC_TITLE.match(line.text) and any(is_toc[i + 1 : i + 4]):
                is_toc[i] = True
        dropped.extend(
            Dropped(ln.text, "toc", ln.page) for ln, t in zip(lines, is_toc, strict=True) if t
        )
        kept = tuple(ln for ln, t in zip(lines, is_toc, strict=True) if not t)
        result.append(replace(page, lines=kept))
    return result, dropped


def _toc_context(is_toc: list[bool], index: int) -> bool:
    """A line before a leader line is part of the TOC if a leader line also precedes it."""
    return index > 0 and is_toc[index - 1]


# --- blocks ---------------------------------------------------------------------------------


@dataclass
class _Pending:
    lines: list[Line]
    kind: str
    marker: str | None
    box_key: tuple[int, int] | None
    text_x: float
    """Left edge of the block's first line (the marker, for a list item)."""


def _build_blocks(pages: list[PageLines], vocabulary: Counter[str]) -> list[Block]:
    pending_blocks = list(_group_lines(pages))
    heading_sizes = sorted(
        {p.lines[0].size for p in pending_blocks if p.kind == "heading"}, reverse=True
    )
    blocks = [_finish(p, vocabulary, heading_sizes) for p in pending_blocks]
    blocks = _number_boxes(blocks, [p.box_key for p in pending_blocks])
    return _nest_list_items(blocks)


def _group_lines(pages: list[PageLines]) -> Iterator[_Pending]:
    all_lines = [line for page in pages for line in page.lines]
    if not all_lines:
        return
    body_size = _body_size(all_lines)
    line_height = _body_line_height(pages, body_size)
    pending: _Pending | None = None
    previous: Line | None = None
    for page in pages:
        right_edge = max((ln.x1 for ln in page.lines if ln.size == body_size), default=0.0)
        for line in page.lines:
            box_key = _box_of(line, page)
            marker, _ = split_list_marker(line.text)
            in_list_column = (
                pending is not None
                and pending.kind == "list-item"
                and abs(pending.text_x - line.x0) <= 3
            )
            if (
                marker
                and not in_list_column
                and not _marker_starts_item(marker, previous, line, line_height, right_edge)
            ):
                marker = None
            is_heading = _looks_like_heading(line, body_size, marker)
            if (
                pending is not None
                and pending.kind == "heading"
                and marker is None
                and _continues_heading(previous, line, line_height)
            ):
                # A heading wrapped onto a second line, perhaps after a hyphen.
                pending.lines.append(line)
                previous = line
                continue
            kind = "heading" if is_heading else ("list-item" if marker else "paragraph")
            starts_new = (
                pending is None
                or previous is None
                or kind == "list-item"
                or is_heading
                or pending.kind == "heading"
                or box_key != pending.box_key
                or _gap_breaks(previous, line, line_height)
                or _indent_breaks(pending, line)
                or _style_breaks(previous, line)
            )
            if starts_new:
                if pending is not None:
                    yield pending
                pending = _Pending([line], kind, marker, box_key, line.x0)
            else:
                assert pending is not None
                pending.lines.append(line)
            previous = line
    if pending is not None:
        yield pending


def _marker_starts_item(
    marker: str, previous: Line | None, line: Line, line_height: float, right_edge: float
) -> bool:
    """Whether "(a)" or "1." at the start of a line opens a list item.

    A wrapped line can start with "(2)" or "10)" mid-sentence ("consider: (1) best
    practices; / (2) relevant research"); such a line sits at the paragraph's left edge
    under a line that ran to the right margin.
    """
    if marker == "•" or previous is None or previous.page != line.page:
        return True
    if abs(line.x0 - previous.x0) > 3 or line.top - previous.top > PARAGRAPH_GAP * line_height:
        return True
    if previous.x1 >= right_edge - 0.1 * (right_edge - previous.x0):
        return False
    return bool(re.search(r"[.:;]$|\b(?:and|or)$", previous.text))


def _body_size(lines: list[Line]) -> float:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0]


def _body_line_height(pages: list[PageLines], body_size: float) -> float:
    steps = [
        b.top - a.top
        for page in pages
        for a, b in zip(page.lines, page.lines[1:], strict=False)
        if a.size == body_size == b.size and 0 < b.top - a.top < 3 * body_size
    ]
    return statistics.median(steps) if steps else body_size * 1.3


def _looks_like_heading(line: Line, body_size: float, marker: str | None) -> bool:
    if marker is not None or len(line.text) > 200 or line.text[:1].islower():
        return False
    if line.size >= body_size + HEADING_SIZE_STEP:
        return True
    # Whole-line bold text that does not read as a sentence is a run-in heading.
    return (line.bold and not line.text.endswith((".", ";", ","))) or (
        line.bold and bool(re.match(r"^[A-Z][\w-]*\s+[IVX\d]", line.text))
    )


def _gap_breaks(previous: Line, line: Line, line_height: float) -> bool:
    if line.page != previous.page:
        # A paragraph runs on across the page break unless the last line closed a sentence.
        return bool(_SENTENCE_END.search(previous.text)) and not line.text[:1].islower()
    return line.top - previous.top > PARAGRAPH_GAP * line_height


def _indent_breaks(pending: _Pending, line: Line) -> bool:
    """A line not indented past the current item's marker starts something new."""
    if pending.kind == "list-item":
        return line.x0 <= pending.text_x + 2
    return False


def _style_breaks(previous: Line, line: Line) -> bool:
    return abs(previous.size - line.size) > 0.5


def _continues_heading(previous: Line | None, line: Line, line_height: float) -> bool:
    return (
        previous is not None
        and previous.page == line.page
        and abs(previous.size - line.size) < 0.3
        and previous.bold == line.bold
        and line.top - previous.top <= PARAGRAPH_GAP * line_height * max(1.0, line.size / 11)
    )


def _box_of(line: Line, page: PageLines) -> tuple[int, int] | None:
    x = (line.x0 + min(line.x1, line.x0 + 40)) / 2
    y = (line.top + line.bottom) / 2
    for index, rect in enumerate(page.boxes):
        if rect.contains(x, y):
            return (page.number, index)
    return None


def _finish(
    pending: _Pending,
    vocabulary: Counter[str],
    heading_sizes: list[float],
) -> Block:
    lines = pending.lines
    text = lines[0].text
    if pending.marker is not None:
        text = split_list_marker(text)[1]
    for line in lines[1:]:
        text = join_hyphenated(text, line.text, vocabulary)
    first = lines[0]
    level = 0
    if pending.kind == "heading":
        level = heading_sizes.index(first.size) + 1
    return Block(
        text=normalize_text(text),
        kind=pending.kind,  # type: ignore[arg-type]
        page=first.page,
        level=level,
        marker=pending.marker,
        size=first.size,
        bold=all(line.bold for line in lines),
        italic=all(line.italic for line in lines),
        lines=tuple(lines),
    )


def _number_boxes(blocks: list[Block], keys: list[tuple[int, int] | None]) -> list[Block]:
    """Give each box an id and a kind; a box cut by a page break keeps its id.

    A box on the next page continues the previous one when nothing came between them
    and it does not open with a box title of its own.
    """
    result: list[Block] = []
    kinds: dict[int, BoxKind] = {}
    last_key: tuple[int, int] | None = None
    last_id = 0
    for block, key in zip(blocks, keys, strict=True):
        if key is None:
            last_key = None
            result.append(block)
            continue
        title_kind = classify_box_title(block.text)
        if key != last_key:
            continues = last_key is not None and key[0] == last_key[0] + 1 and title_kind is None
            if not continues:
                last_id = len(kinds) + 1
                kinds[last_id] = title_kind or "box"
            last_key = key
        result.append(replace(block, box=kinds[last_id], box_id=last_id))
    return result


def _nest_list_items(blocks: list[Block]) -> list[Block]:
    """Set each list item's nesting depth from the indentation of its marker."""
    result: list[Block] = []
    stack: list[float] = []
    for block in blocks:
        if block.kind != "list-item" or not block.lines:
            if block.kind != "list-item":
                stack = []
            result.append(block)
            continue
        x = block.lines[0].x0
        while stack and x < stack[-1] - 4:
            stack.pop()
        if not stack or x > stack[-1] + 4:
            stack.append(x)
        result.append(replace(block, level=len(stack)))
    return result
