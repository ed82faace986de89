"""The assignment that pairs provisions and sentences."""

from __future__ import annotations

import numpy as np

from cop_diff.assignment import best_pairing


def test_the_pairing_with_the_largest_total_wins_over_greedy_choices() -> None:
    # Greedy would take (0, 0) = 0.9 and be left with (1, 1) = 0.1: 1.0 in all.
    scores = np.array([[0.9, 0.8], [0.7, 0.1]])
    assert best_pairing(scores) == [(0, 1), (1, 0)]


def test_equal_scores_pair_in_document_order() -> None:
    # Two identical items compared with themselves: each pairs with itself.
    scores = np.ones((3, 3))
    assert best_pairing(scores) == [(0, 0), (1, 1), (2, 2)]


def test_a_rectangular_matrix_leaves_the_surplus_unpaired() -> None:
    scores = np.array([[0.1, 0.9, 0.2]])
    assert best_pairing(scores) == [(0, 1)]
    assert best_pairing(scores.T) == [(1, 0)]
    assert best_pairing(np.zeros((0, 4))) == []
