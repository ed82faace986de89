"""The evaluation helpers: where a gold finding may be matched."""

from __future__ import annotations

from cop_diff.evaluation import _family
from tests.report_support import sample_comparison


def test_a_family_is_ancestors_and_descendants_not_siblings() -> None:
    family = _family(sample_comparison(), "new", "measure-II.4.3")
    assert {"measure-II.4.3", "measure-II.4.3/recital-box-1", "commitment-II.4"} <= family
    assert "measure-II.4.2" not in family and "measure-II.4.1" not in family
    # nor the ancestors' other children: another commitment, the recitals
    assert "commitment-II.3" not in family and "section-recitals" not in family
