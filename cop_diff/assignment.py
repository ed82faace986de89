"""The one-to-one pairing of rows and columns with the highest total score.

Solved with ``lap`` (Jonker-Volgenant, C++, numpy only): scipy's
``linear_sum_assignment`` finds the same optimum, but importing ``scipy.optimize`` cost
0.27 s of every cold compare, a fifth of alignment and detection together.
"""

from __future__ import annotations

from typing import Any

import lap
import numpy as np
from numpy.typing import NDArray

TIE_BREAK = 1e-9
"""Far below any difference of scores that matters, for pairings that score the same."""


def best_pairing(scores: NDArray[np.floating[Any]]) -> list[tuple[int, int]]:
    """(row, column) pairs, each row and column at most once, with the largest total
    score; a rectangular matrix leaves the surplus rows (or columns) unpaired."""
    if scores.size == 0:
        return []
    rows, columns = scores.shape
    # Among equally good pairings, the one that keeps document order: two identical items
    # of a draft compared with itself pair with themselves, not with each other.
    where_row = np.arange(rows)[:, None] / rows
    where_column = np.arange(columns)[None, :] / columns
    # TIE_BREAK * |where_row - where_column| - scores, in place: one matrix, not three.
    cost = where_row - where_column
    np.abs(cost, out=cost)
    cost *= TIE_BREAK
    cost -= scores
    # lapjv minimises a cost; a square matrix is solved as it is, a rectangular one padded.
    _, paired, _ = lap.lapjv(
        np.ascontiguousarray(cost, dtype=np.float64), extend_cost=rows != columns
    )
    return [(row, int(column)) for row, column in enumerate(paired) if 0 <= column < columns]
