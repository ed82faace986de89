"""Alignment on the real drafts, measured against our gold mappings (tests/gold/)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from cop_diff.evaluation import predicted_counterparts, score_alignment
from cop_diff.model import Comparison
from cop_diff.pipeline import changes_of_substance, compare_files

GOLD = Path(__file__).resolve().parent / "gold"


@pytest.fixture(scope="module")
def compare(shared_drafts: Path):  # type: ignore[no-untyped-def]
    @cache
    def run(old: str, new: str) -> Comparison:
        return compare_files(shared_drafts / old, shared_drafts / new)

    return run


def gold(name: str) -> dict[str, object]:
    return json.loads((GOLD / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_second_to_third_draft_known_pairs(compare) -> None:  # type: ignore[no-untyped-def]
    result = compare("cop-d2.pdf", "cop-d3.pdf")
    predicted = predicted_counterparts(result)
    assert predicted["commitment-18"] == "commitment-II.13"
    assert predicted["commitment-17"] == "commitment-II.12"
    assert predicted["commitment-12"] == "commitment-II.7"
    assert predicted["commitment-3"] == "appendix-1"
    assert predicted["measure-4.5"] == "measure-II.6.3"
    relation = {(a.old, a.new): a.relation for a in result.alignment}
    assert relation[("measure-4.5", "measure-II.6.3")] == "moved"


def test_second_to_third_draft_against_gold(compare) -> None:  # type: ignore[no-untyped-def]
    score = score_alignment(compare("cop-d2.pdf", "cop-d3.pdf"), gold("align-d2-d3.json"))
    assert score.total["commitment"] == 21
    assert score.accuracy("commitment") == 1.0, score.misses
    assert score.total["measure"] >= 30
    assert score.accuracy("measure, clear") >= 0.9, score.misses
    assert score.accuracy("measure") >= 0.85, score.misses


def test_first_to_second_draft_against_gold(compare) -> None:  # type: ignore[no-untyped-def]
    result = compare("cop-d1.pdf", "cop-d2.pdf")
    assert predicted_counterparts(result)["measure-19"] == "commitment-18"
    score = score_alignment(result, gold("align-d1-d2.json"))
    assert score.total["measure"] == 22
    assert score.accuracy("measure") >= 0.85, score.misses


def test_a_draft_against_itself_is_unchanged(compare) -> None:  # type: ignore[no-untyped-def]
    result = compare("cop-d2.pdf", "cop-d2.pdf")
    assert {a.relation for a in result.alignment} == {"unchanged"}
    assert result.findings == () and not changes_of_substance(result)


def test_html_and_pdf_of_one_draft_differ_in_nothing_that_binds(compare) -> None:  # type: ignore[no-untyped-def]
    result = compare("cop-d3.html", "cop-d3.pdf")
    assert not changes_of_substance(result)
    binding_old = {p.id for p in result.old.provisions if p.binding}
    assert all(a.relation == "unchanged" for a in result.alignment if a.old in binding_old)


def test_swapping_real_drafts_mirrors(compare) -> None:  # type: ignore[no-untyped-def]
    flip = {"removed": "added", "added": "removed", "merged": "split", "split": "merged"}
    forward = compare("cop-d2.pdf", "cop-d3.pdf").alignment
    backward = compare("cop-d3.pdf", "cop-d2.pdf").alignment
    assert {(a.new, a.old, flip.get(a.relation, a.relation), a.score) for a in forward} == {
        (a.old, a.new, a.relation, a.score) for a in backward
    }
