"""PDF extraction: pages -> lines -> clean-up -> blocks, whichever engine reads the pages.

An engine (``pdfengine``: pdfium by default, pdfminer.six the reference) gives each
page's runs of text and shapes. From here on all is shared: ``pdfgrid`` joins runs on one
row into lines and finds boxes and ruled tables; clean-up removes running headers and
footers, page numbers and table-of-contents lines, marks lines inside shaded or framed
boxes, then groups lines into paragraphs, headings and list items in reading order. A
table, continued across pages, becomes its rows: a header (its text) and one item per row,
the cells joined by " | ".
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from cop_diff.errors import ExtractionError
from cop_diff.extract import damaged_pages_error
from cop_diff.extract.docinfo import title_from_blocks
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
    PdfInfo,
    PdfPages,
    pdf_engine,
)
from cop_diff.extract.pdfgrid import EDGE_TOLERANCE, LaidOutPage, PageTable, lay_out
from cop_diff.extract.textclean import (
    CELL_SEPARATOR,
    classify_box_title,
    is_dotted_leader_line,
    join_hyphenated,
    normalize_text,
    split_list_marker,
    word_counts,
)
from cop_diff.model import Block, BoxKind, Document, Dropped, DropReason, Line

# Tolerances, in points unless said otherwise.
MARGIN_BAND = 0.12
"""Share of the page height at top and bottom where running headers and footers live."""
REPEATED_ON_PAGES = 0.3
"""A margin line repeated on this share of pages (and at least 3) is a running header or footer."""
PARAGRAPH_GAP = 1.45
"""A vertical gap above this many body line-heights starts a new paragraph."""
HEADING_SIZE_STEP = 0.6
"""A line this much larger than body text is a heading."""

_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*(?:(?:/|of)\s*\d{1,4})?\s*[-–—]?$", re.IGNORECASE
)
_TOC_TITLE = re.compile(r"^(?:table of )?contents$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.:;!?)\]”\"']$")


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
    read = read_pdf_pages(
        data,
        source=source,
        engine=engine,
        password=password,
        max_pages=max_pages,
        max_inflated_stream_bytes=max_inflated_stream_bytes,
        max_inflated_total_bytes=max_inflated_total_bytes,
    )
    return assemble_pdf(read.pages, source=source, sha256=sha256, info=read.info)


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
) -> PdfPages:
    """The runs of text and shapes of each page, or of the pages in ``pages`` (0-based),
    so that parts of one PDF can be read in several processes and put together by
    ``assemble_pdf``; and what the file's metadata says of it."""
    budget = InflationBudget(source, max_inflated_stream_bytes, max_inflated_total_bytes)
    with bounded_inflation(budget):
        return pdf_engine(engine).read_pages(
            data, source=source, password=password, max_pages=max_pages, pages=pages
        )


def assemble_pdf(
    pages: list[PageLines], *, source: str, sha256: str, info: PdfInfo | None = None
) -> Document:
    """The document from all its pages, in order: page furniture and the table of contents
    found across pages and dropped, lines grouped into blocks; titled by ``info`` or, if
    it has no title, by its first heading."""
    damaged = tuple(page.number for page in pages if page.damaged)
    if not any(page.lines for page in pages):
        if damaged:  # nothing to read on: the damage, not a missing text layer
            raise damaged_pages_error(source, damaged, rest=False)
        raise ExtractionError(
            "the PDF has no text layer (a scan?); run OCR first, e.g. `ocrmypdf in.pdf out.pdf`",
            path=source,
        )
    laid_out = [lay_out(page) for page in pages]
    kept, dropped = _drop_page_furniture(laid_out)
    vocabulary = word_counts(
        line.text for page in kept for line in (*page.lines, *_table_lines(page))
    )
    blocks = tuple(_build_blocks(kept, vocabulary))
    return Document(
        source=source,
        format="pdf",
        sha256=sha256,
        pages=len(pages),
        blocks=blocks,
        dropped=tuple(dropped),
        title=(info.title if info else None) or title_from_blocks(blocks),
        date=info.date if info else None,
        damaged_pages=damaged,
    )


# --- page furniture -------------------------------------------------------------------------


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def _in_margin(line: Line, height: float) -> bool:
    return line.top < height * MARGIN_BAND or line.bottom > height * (1 - MARGIN_BAND)


def _drop_page_furniture(pages: list[LaidOutPage]) -> tuple[list[LaidOutPage], list[Dropped]]:
    """Remove running headers and footers, page numbers and table-of-contents lines."""
    margin_counts: Counter[str] = Counter()
    for page in pages:
        keys = {_furniture_key(ln.text) for ln in page.lines if _in_margin(ln, page.height)}
        margin_counts.update(keys)
    threshold = max(3, int(REPEATED_ON_PAGES * len(pages)))
    repeated = {key for key, count in margin_counts.items() if count >= threshold}

    dropped: list[Dropped] = []
    kept_pages: list[LaidOutPage] = []
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
    pages: list[LaidOutPage], dropped: list[Dropped]
) -> tuple[list[LaidOutPage], list[Dropped]]:
    """Drop table-of-contents lines: dotted leaders, their wrapped first halves, the title."""
    result: list[LaidOutPage] = []
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


# --- tables ---------------------------------------------------------------------------------

_Cells = list[list[Line]]
"""One row of a table: each column's lines."""


@dataclass
class _Table:
    """A table, continued across pages: its rows, and where its last part ends."""

    rows: list[_Cells]
    columns: tuple[float, ...]
    page: int
    bottom: float


def _join_tables(
    pages: list[LaidOutPage],
) -> tuple[list[_Table], dict[int, list[tuple[float, int]]]]:
    """The tables in document order, a table continued on the next page taken as one;
    and, by page number, where each table begins: its top and its index."""
    tables: list[_Table] = []
    starts: dict[int, list[tuple[float, int]]] = {}
    by_number = {page.number: page for page in pages}
    for page in pages:
        for piece in page.tables:
            rows = [[list(cell) for cell in row.cells] for row in piece.rows]
            last = tables[-1] if tables else None
            before = by_number.get(page.number - 1)
            if last is not None and before is not None and _continues(last, before, page, piece):
                if rows and not rows[0][0] and last.rows:
                    # A row cut by the page break: its first cell was all on the page before.
                    for cell, more in zip(last.rows[-1], rows.pop(0), strict=True):
                        cell += more
                last.rows += rows
            else:
                last = _Table(rows, piece.grid.columns, page.number, piece.grid.bounds.bottom)
                tables.append(last)
                starts.setdefault(page.number, []).append((piece.grid.bounds.top, len(tables) - 1))
            last.page, last.bottom = page.number, piece.grid.bounds.bottom
    return tables, starts


def _continues(table: _Table, before: LaidOutPage, page: LaidOutPage, piece: PageTable) -> bool:
    """Whether ``piece`` goes on with ``table``: the table ended the page before, this part
    opens its page, and the columns are the same."""
    top = piece.grid.bounds.top
    return (
        table.page == before.number
        and len(table.columns) == len(piece.grid.columns)
        and all(
            abs(a - b) <= EDGE_TOLERANCE
            for a, b in zip(table.columns, piece.grid.columns, strict=True)
        )
        and not any(line.top > table.bottom for line in before.lines)
        and not any(line.top < top for line in page.lines)
        and not any(other.grid.bounds.top < top for other in page.tables)
    )


def _table_lines(page: LaidOutPage) -> Iterator[Line]:
    for table in page.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell


def _table_blocks(table: _Table, table_id: int, vocabulary: Counter[str]) -> list[Block]:
    """A table's rows as blocks: the first as a paragraph when it is a bold header (the
    table's own text), the others as list items; the cells joined by ``CELL_SEPARATOR``."""
    blocks = []
    header = len(table.rows) > 1 and _is_header(table.rows[0])
    for index, cells in enumerate(table.rows):
        lines = sorted((ln for cell in cells for ln in cell), key=lambda ln: (ln.page, ln.top))
        if not lines:
            continue
        text = CELL_SEPARATOR.join(_cell_text(cell, vocabulary) for cell in cells)
        paragraph = header and index == 0
        blocks.append(
            Block(
                text=normalize_text(text),
                kind="paragraph" if paragraph else "list-item",
                page=lines[0].page,
                level=0 if paragraph else 1,
                size=lines[0].size,
                bold=all(line.bold for line in lines),
                italic=all(line.italic for line in lines),
                lines=tuple(lines),
                table_id=table_id,
            )
        )
    return blocks


def _is_header(row: _Cells) -> bool:
    lines = [line for cell in row for line in cell]
    return bool(lines) and all(line.bold for line in lines)


def _cell_text(lines: list[Line], vocabulary: Counter[str]) -> str:
    text = ""
    for line in lines:
        text = join_hyphenated(text, line.text, vocabulary)
    return normalize_text(text)


# --- blocks ---------------------------------------------------------------------------------


@dataclass
class _Pending:
    lines: list[Line]
    kind: str
    marker: str | None
    box_key: tuple[int, int] | None
    text_x: float
    """Left edge of the block's first line (the marker, for a list item)."""


def _build_blocks(pages: list[LaidOutPage], vocabulary: Counter[str]) -> list[Block]:
    tables, starts = _join_tables(pages)
    items = list(_group_lines(pages, starts))
    heading_sizes = sorted(
        {p.lines[0].size for p in items if isinstance(p, _Pending) and p.kind == "heading"},
        reverse=True,
    )
    blocks: list[Block] = []
    keys: list[tuple[int, int] | None] = []
    for item in items:
        if isinstance(item, _Pending):
            blocks.append(_finish(item, vocabulary, heading_sizes))
            keys.append(item.box_key)
        else:
            rows = _table_blocks(tables[item], item + 1, vocabulary)
            blocks += rows
            keys += [None] * len(rows)
    blocks = _number_boxes(blocks, keys)
    return _nest_list_items(blocks)


def _group_lines(
    pages: list[LaidOutPage], tables: dict[int, list[tuple[float, int]]]
) -> Iterator[_Pending | int]:
    """The blocks of the pages' lines, in reading order, and where a table begins, the
    table's index: it ends the block before it."""
    all_lines = [line for page in pages for line in page.lines]
    if not all_lines:
        yield from (index for page in pages for _, index in tables.get(page.number, []))
        return
    body_size = _body_size(all_lines)
    line_height = _body_line_height(pages, body_size)
    pending: _Pending | None = None
    previous: Line | None = None
    for page in pages:
        right_edge = max((ln.x1 for ln in page.lines if ln.size == body_size), default=0.0)
        anchors = sorted(tables.get(page.number, []))
        for line in (*page.lines, None):
            while anchors and (line is None or anchors[0][0] <= line.top):
                if pending is not None:
                    yield pending
                pending = previous = None
                yield anchors.pop(0)[1]
            if line is None:
                break
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


def _body_line_height(pages: list[LaidOutPage], body_size: float) -> float:
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


def _box_of(line: Line, page: LaidOutPage) -> tuple[int, int] | None:
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
        if block.kind != "list-item" or not block.lines or block.table_id is not None:
            if block.kind != "list-item" or block.table_id is not None:
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
