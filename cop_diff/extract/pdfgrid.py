"""A page's geometry before its words are read: rows, boxes and ruled tables.

The runs of text an engine gives are joined into printed rows; its shapes are merged into
regions. A region with no rule inside is a box (shading, a frame); one with vertical rules
inside is a table (#14 item 5): the rules are its columns, the horizontal rules that cross
it its rows, and each run of text is put in the cell it starts in, so that no text runs
from one column into the next. A table ruled only around and between its columns has a
row for each line that opens in its first column with text.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from cop_diff.extract.pdfengine import MIN_RULE_LENGTH, RULE_THICKNESS, PageLines, Rect
from cop_diff.model import Line

SAME_ROW_TOLERANCE = 2.5
"""Lines whose tops differ by less than this are one printed row (a bullet and its text)."""
BOX_MIN_WIDTH = 120.0
BOX_JOIN_TOLERANCE = 3.0
"""Filled rectangles closer than this are one region (Word draws one rectangle per line)."""
MIN_REGION_HEIGHT = 8.0
"""A region lower than this holds no line of text: an underline or a rule."""
EDGE_TOLERANCE = 3.0
"""Rules closer than this are one column edge, or one row edge."""
ROW_RULE_COVERAGE = 0.9
"""A horizontal rule is a row's edge when it crosses this share of the table: an underline
in a cell crosses less."""


@dataclass(frozen=True)
class Grid:
    """The rules of a table."""

    bounds: Rect
    columns: tuple[float, ...]
    """The x of each column edge, left to right, the borders included."""
    rows: tuple[float, ...]
    """The y of each row edge, top to bottom, the borders included: only the borders when
    the rows are not ruled."""

    def holds(self, line: Line) -> bool:
        return self.bounds.contains((line.x0 + line.x1) / 2, (line.top + line.bottom) / 2)

    def column(self, line: Line) -> int:
        """The column a run starts in."""
        inner = self.columns[1:-1]
        return bisect.bisect_right(inner, line.x0 + 1)

    def row(self, line: Line) -> int:
        inner = self.rows[1:-1]
        return bisect.bisect_right(inner, (line.top + line.bottom) / 2)


@dataclass(frozen=True)
class TableRow:
    cells: tuple[tuple[Line, ...], ...]
    """Each column's printed lines, top to bottom; empty where the cell is."""

    @property
    def top(self) -> float:
        return min(line.top for cell in self.cells for line in cell)


@dataclass(frozen=True)
class PageTable:
    """The part of a table printed on one page."""

    grid: Grid
    rows: tuple[TableRow, ...]


@dataclass(frozen=True)
class LaidOutPage:
    """A page laid out: its lines outside tables (runs on one row joined), top to bottom;
    its boxes; its tables."""

    number: int
    height: float
    lines: tuple[Line, ...]
    boxes: tuple[Rect, ...]
    tables: tuple[PageTable, ...] = ()


def lay_out(page: PageLines) -> LaidOutPage:
    boxes: list[Rect] = []
    grids: list[Grid] = []
    for parts in _regions(page.rects):
        bounds = parts[0]
        for part in parts[1:]:
            bounds = bounds.union(part)
        if bounds.width < BOX_MIN_WIDTH or bounds.height < MIN_REGION_HEIGHT:
            continue
        grid = _grid(bounds, parts)
        if grid is None:
            boxes.append(bounds)
        else:
            grids.append(grid)
    inside: list[list[Line]] = [[] for _ in grids]
    outside: list[Line] = []
    for line in page.lines:
        holder = next((i for i, grid in enumerate(grids) if grid.holds(line)), None)
        (outside if holder is None else inside[holder]).append(line)
    tables = [_fill(grid, runs) for grid, runs in zip(grids, inside, strict=True) if runs]
    return LaidOutPage(
        page.number,
        page.height,
        tuple(merge_rows(outside)),
        tuple(sorted(boxes, key=lambda r: (r.top, r.x0))),
        tuple(sorted(tables, key=lambda table: table.grid.bounds.top)),
    )


# --- rows -------------------------------------------------------------------------------------


def merge_rows(lines: Iterable[Line]) -> Iterator[Line]:
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


# --- regions, boxes and grids -----------------------------------------------------------------


def _regions(rects: Iterable[Rect]) -> list[list[Rect]]:
    """Touching rectangles, grouped."""
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
    return regions


def _grid(bounds: Rect, parts: Sequence[Rect]) -> Grid | None:
    """The table a region draws, or ``None`` if no vertical rule runs inside it."""
    verticals = [p for p in parts if p.width < RULE_THICKNESS and p.height > MIN_RULE_LENGTH]
    if not any(bounds.x0 + 5 < p.x0 < bounds.x1 - 5 for p in verticals):
        return None
    columns = _edges([(p.x0 + p.x1) / 2 for p in verticals], bounds.x0, bounds.x1)
    horizontals: dict[float, list[tuple[float, float]]] = {}
    for part in parts:
        if part.height < RULE_THICKNESS:
            y = (part.top + part.bottom) / 2
            key = next((k for k in horizontals if abs(k - y) <= EDGE_TOLERANCE), y)
            horizontals.setdefault(key, []).append((part.x0, part.x1))
    rules = [
        y for y, spans in horizontals.items() if _covered(spans) >= ROW_RULE_COVERAGE * bounds.width
    ]
    return Grid(bounds, columns, _edges(rules, bounds.top, bounds.bottom))


def _edges(values: Iterable[float], first: float, last: float) -> tuple[float, ...]:
    """The values between ``first`` and ``last``, those closer than ``EDGE_TOLERANCE``
    taken as one, with ``first`` and ``last`` as the outer edges."""
    edges = [first]
    for value in sorted(values):
        if value - edges[-1] > EDGE_TOLERANCE and last - value > EDGE_TOLERANCE:
            edges.append(value)
    return (*edges, last)


def _covered(spans: list[tuple[float, float]]) -> float:
    """The length of the union of the intervals."""
    total = 0.0
    reach = -float("inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


# --- filling a table --------------------------------------------------------------------------


def _fill(grid: Grid, runs: list[Line]) -> PageTable:
    """Each run in its cell; the rows that hold any text."""
    width = len(grid.columns) - 1
    cells: dict[int, list[list[Line]]] = {}
    for run in runs:
        row = cells.setdefault(grid.row(run), [[] for _ in range(width)])
        row[grid.column(run)].append(run)
    rows = [[list(merge_rows(cell)) for cell in cells[index]] for index in sorted(cells)]
    if len(rows) == 1:
        rows = _line_by_line(rows[0])
    return PageTable(grid, tuple(TableRow(tuple(map(tuple, row))) for row in rows))


def _line_by_line(row: list[list[Line]]) -> list[list[list[Line]]]:
    """A table with no rule between its rows, whose columns print one line each at the same
    heights, has a row per line; any other is one row (its cells may wrap)."""
    filled = [cell for cell in row if cell]
    heights = [[line.top for line in cell] for cell in filled]
    aligned = len(heights[0]) > 1 and all(
        len(tops) == len(heights[0])
        and all(abs(a - b) <= SAME_ROW_TOLERANCE for a, b in zip(tops, heights[0], strict=True))
        for tops in heights
    )
    if not aligned:
        return [row]
    return [[cell[index : index + 1] for cell in row] for index in range(len(heights[0]))]
