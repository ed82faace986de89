"""PDF extraction: pages -> lines -> clean-up -> blocks, whichever engine reads the pages.

An engine (``pdfengine``: pdfium by default, pdfminer.six the reference) gives each
page's runs of text and shapes. From here on all is shared: runs on one row are joined
into lines, shapes merged into box regions; clean-up removes running headers and footers,
page numbers and table-of-contents lines, marks lines inside shaded or framed boxes, then
groups lines into paragraphs, headings and list items in reading order.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from cop_diff.errors import ExtractionError
from cop_diff.extract.inflation import (
    MAX_STREAM_BYTES,
    MAX_TOTAL_BYTES,
    InflationBudget,
    bounded_inflation,
)
from cop_diff.extract.pdfengine import (
    DEFAULT_PDF_ENGINE,
    PageLines,
    PdfEngineName,
    Rect,
    pdf_engine,
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
class _Page:
    """A page laid out: its lines (runs on one row joined), top to bottom, and its boxes."""

    number: int
    height: float
    lines: tuple[Line, ...]
    boxes: tuple[Rect, ...]


def extract_pdf(
    data: bytes,
    *,
    source: str,
    sha256: str,
    engine: PdfEngineName = DEFAULT_PDF_ENGINE,
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
        engine=engine,
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
    engine: PdfEngineName = DEFAULT_PDF_ENGINE,
    password: str = "",
    max_pages: int | None = None,
    pages: range | None = None,
    max_inflated_stream_bytes: int = MAX_STREAM_BYTES,
    max_inflated_total_bytes: int = MAX_TOTAL_BYTES,
) -> list[PageLines]:
    """The runs of text and shapes of each page, or of the pages in ``pages`` (0-based),
    so that parts of one PDF can be read in several processes and put together by
    ``assemble_pdf``."""
    budget = InflationBudget(source, max_inflated_stream_bytes, max_inflated_total_bytes)
    with bounded_inflation(budget):
        return pdf_engine(engine).read_pages(
            data, source=source, password=password, max_pages=max_pages, pages=pages
        )


def assemble_pdf(pages: list[PageLines], *, source: str, sha256: str) -> Document:
    """The document from all its pages, in order: page furniture and the table of contents
    found across pages and dropped, lines grouped into blocks."""
    if not any(page.lines for page in pages):
        raise ExtractionError(
            "the PDF has no text layer (a scan?); run OCR first, e.g. `ocrmypdf in.pdf out.pdf`",
            path=source,
        )
    laid_out = [_lay_out(page) for page in pages]
    kept, dropped = _drop_page_furniture(laid_out)
    vocabulary = word_counts(line.text for page in kept for line in page.lines)
    blocks = tuple(_build_blocks(kept, vocabulary))
    return Document(
        source=source,
        format="pdf",
        sha256=sha256,
        pages=len(pages),
        blocks=blocks,
        dropped=tuple(dropped),
    )


# --- rows and boxes ---------------------------------------------------------------------------


def _lay_out(page: PageLines) -> _Page:
    return _Page(page.number, page.height, tuple(_merge_rows(page.lines)), _merge_rects(page.rects))


def _merge_rows(lines: Iterable[Line]) -> Iterator[Line]:
    """Order lines top to bottom and join runs printed on the same row.

    A bullet glyph, or a tab-separated label, is often a run of its own.
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


def _merge_rects(rects: Iterable[Rect]) -> tuple[Rect, ...]:
    """Merge touching rectangles into box regions; drop tables and decorations.

    A region with a vertical rule inside it is a table, not a box; a region too small
    to hold a line of text is an underline or a rule.
    """
    regions: list[list[Rect]] = []
    for rect in sorted(rects, key=lambda r: (r.top, r.x0)):
        touching = [
            region
            for region in regions
            if any(part.near(rect, BOX_JOIN_TOLERANCE) for part in region)
        ]
        merged = [rect]
        for region in touching:
            regions.remove(region)
            merged.extend(region)
        regions.append(merged)
    boxes: list[Rect] = []
    for parts in regions:
        bounds = parts[0]
        for part in parts[1:]:
            bounds = bounds.union(part)
        if bounds.width < BOX_MIN_WIDTH or bounds.height < 8:
            continue
        inner_rules = [
            p
            for p in parts
            if p.width < 3 and p.height > 8 and bounds.x0 + 5 < p.x0 < bounds.x1 - 5
        ]
        if not inner_rules:
            boxes.append(bounds)
    return tuple(sorted(boxes, key=lambda r: (r.top, r.x0)))


# --- page furniture -------------------------------------------------------------------------


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _in_margin(line: Line, height: float) -> bool:
    return line.top < height * MARGIN_BAND or line.bottom > height * (1 - MARGIN_BAND)


def _drop_page_furniture(pages: list[_Page]) -> tuple[list[_Page], list[Dropped]]:
    """Remove running headers and footers, page numbers and table-of-contents lines."""
    margin_counts: Counter[str] = Counter()
    for page in pages:
        keys = {_furniture_key(ln.text) for ln in page.lines if _in_margin(ln, page.height)}
        margin_counts.update(keys)
    threshold = max(3, int(REPEATED_ON_PAGES * len(pages)))
    repeated = {key for key, count in margin_counts.items() if count >= threshold}

    dropped: list[Dropped] = []
    kept_pages: list[_Page] = []
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


def _drop_toc(pages: list[_Page], dropped: list[Dropped]) -> tuple[list[_Page], list[Dropped]]:
    """Drop table-of-contents lines: dotted leaders, their wrapped first halves, the title."""
    result: list[_Page] = []
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


def _build_blocks(pages: list[_Page], vocabulary: Counter[str]) -> list[Block]:
    pending_blocks = list(_group_lines(pages))
    heading_sizes = sorted(
        {p.lines[0].size for p in pending_blocks if p.kind == "heading"}, reverse=True
    )
    blocks = [_finish(p, vocabulary, heading_sizes) for p in pending_blocks]
    blocks = _number_boxes(blocks, [p.box_key for p in pending_blocks])
    return _nest_list_items(blocks)


def _group_lines(pages: list[_Page]) -> Iterator[_Pending]:
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


def _body_line_height(pages: list[_Page], body_size: float) -> float:
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


def _box_of(line: Line, page: _Page) -> tuple[int, int] | None:
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
