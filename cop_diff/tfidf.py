"""TF-IDF vectors of word lists: how alike two provisions (alignment) or two sentences
(detectors) are.

Sublinear term frequency (1 + log n), smoothed inverse document frequency
(log((1 + N) / (1 + df)) + 1) and L2-normalised rows, as sparse matrices (SciPy), so that
comparing every old item with every new one is one matrix product.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix


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

    def transform(self, documents: Sequence[Sequence[str]]) -> csr_matrix:
        """One row per document; words outside the vocabulary are left out."""
        from scipy.sparse import csr_matrix

        vocabulary = self.vocabulary
        ids = [[vocabulary[w] for w in words if w in vocabulary] for words in documents]
        lengths = np.fromiter((len(row) for row in ids), dtype=np.int64, count=len(ids))
        rows = np.repeat(np.arange(len(ids)), lengths)
        cols = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64)
        shape = (len(documents), len(vocabulary))
        matrix = csr_matrix((np.ones(len(cols)), (rows, cols)), shape=shape, dtype=np.float64)
        matrix.sum_duplicates()  # word counts
        matrix.data = (1 + np.log(matrix.data)) * self._idf[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
        return matrix

    def weights(self, words: Iterable[str]) -> dict[str, float]:
        """The IDF of each distinct known word, in a fixed (sorted) order."""
        return {w: self.idf[w] for w in sorted(set(words)) if w in self.idf}


BLOCK_CELLS = 1 << 22
"""Cells of the result computed at a time: the sparse product of two drafts' sentences is
mostly filled (82 % for the Second -> Third Draft), and as a sparse matrix it takes more
than the dense result; made in blocks of rows, it takes a few tens of MB at most."""

DType = TypeVar("DType", bound=np.floating[Any])


@overload
def cosine(rows: csr_matrix, columns: csr_matrix) -> NDArray[np.float64]: ...
@overload
def cosine(rows: csr_matrix, columns: csr_matrix, dtype: type[DType]) -> NDArray[DType]: ...
def cosine(rows: csr_matrix, columns: csr_matrix, dtype: type[Any] = np.float64) -> NDArray[Any]:
    """Cosine similarity of every row of ``rows`` with every row of ``columns`` (rows of
    ``transform``, of length 1); ``float32`` halves the memory."""
    return dense_product(rows, columns, dtype)


@overload
def dense_product(rows: csr_matrix, columns: csr_matrix) -> NDArray[np.float64]: ...
@overload
def dense_product(rows: csr_matrix, columns: csr_matrix, dtype: type[DType]) -> NDArray[DType]: ...
def dense_product(
    rows: csr_matrix, columns: csr_matrix, dtype: type[Any] = np.float64
) -> NDArray[Any]:
    """``rows @ columns.T`` as a dense matrix, made in blocks of rows: each result is the
    same as from one product, as each row of a sparse product is summed on its own."""
    result = np.empty((rows.shape[0], columns.shape[0]), dtype=dtype)
    transposed = columns.T.tocsr()
    step = max(1, BLOCK_CELLS // max(1, columns.shape[0]))
    for start in range(0, rows.shape[0], step):
        result[start : start + step] = (rows[start : start + step] @ transposed).toarray()
    return result
