"""Bounded work for any input (issue #16, item 4): limits on a draft's bytes, pages and
provisions, each a one-line error naming the option that raises it; and the matrices of a
comparison made in blocks, with the same values as in one piece.

Memory and time are measured by ``scripts/bench.py`` (``make bench``), not here.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse import random as sparse_random

from cop_diff import tfidf
from cop_diff.model import Outline


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 40),
    columns=st.integers(0, 40),
    density=st.floats(0.0, 1.0),
    block=st.integers(1, 200),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_product_made_in_blocks_is_the_product_in_one_piece(
    rows: int, columns: int, density: float, block: int, seed: int
) -> None:
    """Bit for bit: each row of a sparse product is summed on its own, so the blocks change
    no value (the reports stay byte-identical)."""
    generator = np.random.default_rng(seed)
    left = csr_matrix(sparse_random(rows, 30, density=density, random_state=generator))
    right = csr_matrix(sparse_random(columns, 30, density=density, random_state=generator))
    whole = np.asarray((left @ right.T).todense(), dtype=np.float64)
    saved = tfidf.BLOCK_CELLS
    tfidf.BLOCK_CELLS = block
    try:
        blocked = tfidf.dense_product(left, right)
        single = tfidf.cosine(left, right, np.float32)
    finally:
        tfidf.BLOCK_CELLS = saved
    assert blocked.dtype == np.float64 and np.array_equal(blocked, whole)
    assert single.dtype == np.float32 and np.array_equal(single, whole.astype(np.float32))


def test_the_sentence_matrix_is_single_precision() -> None:
    from cop_diff.extract.text import extract_text
    from cop_diff.lexicon import load_lexicon
    from cop_diff.segment import segment
    from cop_diff.sentences import SentenceIndex

    def outline(text: str) -> Outline:
        return segment(extract_text(text.encode(), source="d.md", sha256="0"))

    old = outline("# Commitment 1. Logs\n\nSignatories shall keep logs. They shall report.\n")
    new = outline("# Commitment 1. Logs\n\nSignatories should keep logs.\n")
    index = SentenceIndex(old, new, load_lexicon())
    assert index.similarity.dtype == np.float32
    assert index.similarity.shape == (2, 1)
    assert index.best("new", 0, binding=True) == (0, pytest.approx(1.0, abs=1e-6))
