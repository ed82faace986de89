"""The detectors on the real drafts: the weakenings analysts found, and no false alarms."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from cop_diff.evaluation import match_verdicts, of_direction, score_findings
from cop_diff.model import Comparison, Finding
from cop_diff.pipeline import compare_files

GOLD = Path(__file__).resolve().parent / "gold" / "findings-d2-d3.json"
JUDGED = GOLD.with_name("judged-d2-d3.json")


@pytest.fixture(scope="module")
def compare(shared_drafts: Path):  # type: ignore[no-untyped-def]
    @cache
    def run(old: str, new: str) -> Comparison:
        return compare_files(shared_drafts / old, shared_drafts / new)

    return run


def weakenings(result: Comparison) -> list[Finding]:
    return [f for f in result.findings if f.direction == "weakening"]


def test_discrimination_dropped_from_the_selected_risks(compare) -> None:  # type: ignore[no-untyped-def]
    found = [
        f
        for f in weakenings(compare("cop-d2.pdf", "cop-d3.pdf"))
        if f.rule in ("list-item-removed", "list-item-demoted") and f.old == "section-3.2/4"
    ]
    assert found and "discrimination" in found[0].old_text


def test_pre_defined_corrective_measures_dropped(compare) -> None:  # type: ignore[no-untyped-def]
    found = [
        f
        for f in weakenings(compare("cop-d2.pdf", "cop-d3.pdf"))
        if f.rule == "obligation-removed" and f.new == "measure-II.6.3"
    ]
    assert found and "corrective measures" in found[0].old_text
    assert found[0].rationale and "pre-define" in found[0].rationale


def test_whistleblowing_reduced_to_non_retaliation(compare) -> None:  # type: ignore[no-untyped-def]
    result = compare("cop-d2.pdf", "cop-d3.pdf")
    relegated = [
        f
        for f in weakenings(result)
        if f.rule == "reference-relegated" and (f.old or "").startswith("commitment-18")
    ]
    assert any("2019/1937" in f.explanation for f in relegated)
    # The duty to set up channels is listed too, as a possible weakening: the new draft
    # words a narrower duty (non-retaliation) too much like it to be sure it is gone.
    duties = [
        f for f in result.findings if f.rule == "obligation-removed" and f.old == "commitment-18"
    ]
    assert any("whistleblowing channels" in f.old_text for f in duties)
    # The list of what the channels must offer left the binding text whole (a recital box
    # restates it as the Directive's duties), and is reported as a weakening.
    items = [
        f
        for f in weakenings(result)
        if f.rule in ("list-item-removed", "list-item-demoted") and f.old == "commitment-18"
    ]
    assert any("reporting channels" in f.old_text for f in items)
    # ...and it says where the list went: a box of the new Commitment that does not bind.
    (demoted,) = [f for f in items if f.rule == "list-item-demoted"]
    assert demoted.elsewhere and all(
        not result.new.by_id(place).binding and result.new.by_id(place).parent == demoted.new
        for place in demoted.elsewhere
    )


def test_where_moved_content_went_is_real(compare) -> None:  # type: ignore[no-untyped-def]
    """Every place a finding says content went to (or came from) exists on the other side,
    and demoted content went to text that does not bind (promoted content came from it)."""
    for old, new in (("cop-d1.pdf", "cop-d2.pdf"), ("cop-d2.pdf", "cop-d3.pdf")):
        result = compare(old, new)
        for found in result.findings:
            other = result.old if found.old is None else result.new
            places = [other.by_id(place) for place in found.elsewhere]
            if found.rule.endswith(("-demoted", "-promoted")):
                assert all(not place.binding for place in places), found


def test_nothing_to_look_at_without_change(compare) -> None:  # type: ignore[no-untyped-def]
    """Neither the finding tier nor worth-a-look: one draft against itself, and the same
    draft as HTML and as PDF."""
    for old, new in (("cop-d2.pdf", "cop-d2.pdf"), ("cop-d3.html", "cop-d3.pdf")):
        for result in (compare(old, new), compare(new, old)):
            assert [f for f in result.findings if f.tier != "other"] == [], (old, new)


@pytest.mark.parametrize(
    ("old", "new", "at_least"),
    [("cop-d1.pdf", "cop-d2.pdf", 0.55), ("cop-d2.pdf", "cop-d3.pdf", 0.65)],
)
def test_recall_of_weakenings_in_what_a_reader_sees(compare, old, new, at_least) -> None:  # type: ignore[no-untyped-def]
    """Gold weakenings with a finding or worth-a-look item that leans weaker on the same
    provision (or its parent or a descendant). Guards just under today's 0.63 (D1 -> D2)
    and 0.71 (D2 -> D3); the target is 0.5."""
    path = GOLD.with_name(f"findings-{old[4:6]}-{new[4:6]}.json")
    gold = of_direction(json.loads(path.read_text(encoding="utf-8")), "weakening")
    looked_at = frozenset({"finding", "worth-a-look"})
    score = score_findings(compare(old, new), gold, looked_at, same_rule=False)
    assert score.recall() >= at_least, score.missed


def test_swapping_turns_weakenings_into_strengthenings(compare) -> None:  # type: ignore[no-untyped-def]
    forward = compare("cop-d2.pdf", "cop-d3.pdf")
    backward = compare("cop-d3.pdf", "cop-d2.pdf")
    count = {
        direction: sum(f.direction == direction for f in result.findings)
        for result, direction in ((forward, "weakening"), (backward, "strengthening"))
    }
    assert count["weakening"] == count["strengthening"] > 5
    flip = {"weakening": "strengthening", "strengthening": "weakening", "neutral": "neutral"}
    forward_places = {(f.old, f.new, f.direction) for f in forward.findings}
    backward_places = {(f.new, f.old, flip[f.direction]) for f in backward.findings}
    assert forward_places == backward_places


def test_against_our_gold_annotations(compare) -> None:  # type: ignore[no-untyped-def]
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    score = score_findings(compare("cop-d2.pdf", "cop-d3.pdf"), gold)
    # Guards at today's measured values (precision 0.58, recall 0.13 against the gold,
    # which is not exhaustive; a finding counts only on its own provision, an ancestor or
    # a descendant), not the targets: the detectors favour a short, right list.
    assert score.precision() >= 0.4
    assert score.recall() >= 0.12, score.missed


def test_judged_precision_of_weakenings(compare) -> None:  # type: ignore[no-untyped-def]
    """Reported weakenings against our verdicts on them (tests/gold/judged-d2-d3.json):
    guards just under today's 0.85 strict (11 of 13; the SME relief added to a newly
    mandatory standard is real but overstated) and 1.0 lenient (the target is 0.9)."""
    judgements = json.loads(JUDGED.read_text(encoding="utf-8"))
    matched = match_verdicts(compare("cop-d2.pdf", "cop-d3.pdf").findings, judgements["judged"])
    verdicts = Counter(verdict for _, group, verdict in matched if group == "weakening")
    judged = verdicts["right"] + verdicts["partly"] + verdicts["wrong"]
    assert judged >= 10
    assert verdicts["right"] / judged >= 0.84, verdicts
    assert (verdicts["right"] + verdicts["partly"]) / judged >= 0.95, verdicts
