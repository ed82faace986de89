"""TF-IDF vectors of word lists: how alike two provisions (alignment) or two sentences
(detectors) are.

Sublinear term frequency (1 + log n), smoothed inverse document frequency
(log((1 + N) / (1 + df)) + 1) and L2-normalised rows, as sparse rows (``SparseRows``),
so that comparing every old item with every new one is one matrix product.

The products are numpy only (an inverted index: each word's postings, summed with
``np.bincount``), not SciPy's sparse matrices: importing scipy.sparse took 0.15 to 0.25 s
of every cold compare, as much as the products it made. They add the terms of each cell
in the order SciPy's did (word by word, from the first word of the vocabulary), so every
value is the same to the last bit.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import Any, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from cop_diff.model import SparseRows


class TfIdf:
    """The vocabulary and IDF of a collection of documents (each a list of words)."""

    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        frequency: Counter[str] = Counter()
        for words in documents:
            frequency.update(set(words))
        ordered = sorted(frequency)
        self.vocabulary = {word: i for i, word in enumerate(ordered)}
        count = len(documents) or 1
        self.idf = {word: math.log((1 + count) / (1 + frequency[word])) + 1 for word in ordered}
        self._idf = np.array([self.idf[word] for word in ordered])

    def transform(self, documents: Sequence[Sequence[str]]) -> SparseRows:
        """One row per document; words outside the vocabulary are left out."""
        vocabulary = self.vocabulary
        counts = sparse_rows(
            [[vocabulary[w] for w in words if w in vocabulary] for words in documents],
            len(vocabulary),
        )
        data = (1 + np.log(counts.data)) * self._idf[counts.indices]
        # Each row's sum of squares as SciPy summed it (np.add.reduceat over its entries).
        squares = np.zeros(counts.height)
        filled = np.flatnonzero(np.diff(counts.indptr))
        if len(filled):
            squares[filled] = np.add.reduceat(data * data, counts.indptr[filled])
        norms = np.sqrt(squares)
        norms[norms == 0] = 1.0
        data /= np.repeat(norms, np.diff(counts.indptr))
        return SparseRows(counts.indptr, counts.indices, data, counts.width)

    def weights(self, words: Iterable[str]) -> dict[str, float]:
        """The IDF of each distinct known word, in a fixed (sorted) order."""
        return {w: self.idf[w] for w in sorted(set(words)) if w in self.idf}


def sparse_rows(columns: Sequence[Collection[int]], width: int) -> SparseRows:
    """One row per list of column numbers, holding how many times each column is listed."""
    lengths = np.fromiter(map(len, columns), dtype=np.int64, count=len(columns))
    rows = np.repeat(np.arange(len(columns), dtype=np.int64), lengths)
    listed = np.fromiter(
        itertools.chain.from_iterable(columns), dtype=np.int64, count=int(lengths.sum())
    )
    # Sorted by row, then column: np.unique of one number per (row, column).
    stride = max(width, 1)
    cells, counts = np.unique(rows * stride + listed, return_counts=True)
    row_of, indices = np.divmod(cells, stride)
    indptr = np.zeros(len(columns) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of, minlength=len(columns)), out=indptr[1:])
    return SparseRows(indptr, indices, counts.astype(np.float64), width)


def take_rows(matrix: SparseRows, rows: Sequence[int]) -> SparseRows:
    """The given rows of a matrix, in the given order."""
    chosen = np.asarray(rows, dtype=np.int64)
    starts = matrix.indptr[chosen]
    lengths = matrix.indptr[chosen + 1] - starts
    indptr = np.zeros(len(chosen) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    at = _ranges(starts, lengths)
    return SparseRows(indptr, matrix.indices[at], matrix.data[at], matrix.width)


def _ranges(starts: NDArray[np.int64], lengths: NDArray[np.int64]) -> NDArray[np.int64]:
    """``range(start, start + length)`` for each pair, one after the other, as one array."""
    begins = np.cumsum(lengths) - lengths  # where each range begins in the result
    positions = np.repeat(starts - begins, lengths)
    positions += np.arange(len(positions))
    return positions


def transpose(matrix: SparseRows) -> SparseRows:
    """The matrix by columns: for each column (a word), the rows that hold it, in order."""
    order = np.argsort(matrix.indices, kind="stable")  # stable: rows stay in order
    row_of = np.repeat(np.arange(matrix.height, dtype=np.int64), np.diff(matrix.indptr))
    indptr = np.zeros(matrix.width + 1, dtype=np.int64)
    np.cumsum(np.bincount(matrix.indices, minlength=matrix.width), out=indptr[1:])
    return SparseRows(indptr, row_of[order], matrix.data[order], matrix.height)


BLOCK_CELLS = 1 << 22
"""Cells of the result computed at a time: a dense block of a few tens of MB at most."""
BLOCK_TERMS = 1 << 17
"""Terms (products of two entries) summed at a time: a few MB for each temporary array,
which stay in the processor's cache (larger blocks were slower, not faster)."""

DType = TypeVar("DType", bound=np.floating[Any])


@overload
def cosine(rows: SparseRows, columns: SparseRows) -> NDArray[np.float64]: ...
@overload
def cosine(rows: SparseRows, columns: SparseRows, dtype: type[DType]) -> NDArray[DType]: ...
def cosine(rows: SparseRows, columns: SparseRows, dtype: type[Any] = np.float64) -> NDArray[Any]:
    """Cosine similarity of every row of ``rows`` with every row of ``columns`` (rows of
    ``transform``, of length 1); ``float32`` halves the memory."""
    return dense_product(rows, transpose(columns), dtype)


@overload
def dense_product(rows: SparseRows, by_word: SparseRows) -> NDArray[np.float64]: ...
@overload
def dense_product(rows: SparseRows, by_word: SparseRows, dtype: type[DType]) -> NDArray[DType]: ...
def dense_product(
    rows: SparseRows, by_word: SparseRows, dtype: type[Any] = np.float64
) -> NDArray[Any]:
    """``rows @ by_word`` as a dense matrix, ``by_word`` holding one row per column of
    ``rows`` (``transpose`` of the other side's rows).

    Each entry (row i, word k, value a) of ``rows`` makes a term a * b with each posting
    (column j, value b) of word k, added to cell (i, j) by ``np.bincount``. Terms are
    made row by row and word by word, so each cell adds its terms in the order of the
    words from 0, as SciPy's sparse product did: the same values, bit for bit. Blocks
    of rows bound both the cells and the terms held at a time; each cell is summed
    within one block, so the blocks change no value.
    """
    height, width = rows.height, by_word.width
    result = np.empty((height, width), dtype=dtype)
    terms = np.diff(by_word.indptr)[rows.indices]  # how many terms each entry makes
    terms_before = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum(terms, out=terms_before[1:])
    terms_by_row = terms_before[rows.indptr]
    row_of = np.repeat(np.arange(height, dtype=np.int64), np.diff(rows.indptr))
    row_step = max(1, BLOCK_CELLS // max(1, width))
    start = 0
    while start < height:
        within = np.searchsorted(terms_by_row, terms_by_row[start] + BLOCK_TERMS, side="right")
        stop = max(start + 1, min(height, start + row_step, int(within) - 1))
        first, last = rows.indptr[start], rows.indptr[stop]
        counts = terms[first:last]
        posting = _ranges(by_word.indptr[rows.indices[first:last]], counts)
        cell = np.repeat((row_of[first:last] - start) * width, counts)
        cell += by_word.indices[posting]
        value = np.repeat(rows.data[first:last], counts)
        value *= by_word.data[posting]
        block = np.bincount(cell, weights=value, minlength=(stop - start) * width)
        result[start:stop] = block.reshape(stop - start, width)
        start = stop
    return result
