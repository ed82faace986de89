"""Ranking and tiers: what a reader sees first."""

from __future__ import annotations

from pathlib import Path

from cop_diff.model import Finding
from cop_diff.pipeline import compare_files
from cop_diff.rank import (
    TIER_ORDER,
    WORTH_A_LOOK,
    WORTH_A_LOOK_FLOOR,
    WORTH_A_LOOK_WEAKER,
    _worth_a_look,
)

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


def possibly(old: str, leaning: str, confidence: float = 0.5) -> Finding:
    return Finding(
        rule="obligation-removed",
        direction="neutral",
        old=old,
        new=None,
        old_text="",
        new_text="",
        explanation="Possibly",
        confidence=confidence,
        leaning=leaning,  # type: ignore[arg-type]
    )


def test_worth_a_look_is_short_one_per_provision_and_keeps_room_for_weakenings() -> None:
    stronger = [possibly(f"s{i}", "strengthening") for i in range(40)]
    weaker = [possibly(f"w{i}", "weakening") for i in range(40)]
    same_place = [possibly("w0", "weakening")]
    chosen = _worth_a_look([*stronger, *weaker, *same_place])
    picked = [f for f in (*stronger, *weaker, *same_place) if id(f) in chosen]
    assert len(picked) == WORTH_A_LOOK
    assert sum(f.leaning == "weakening" for f in picked) == WORTH_A_LOOK_WEAKER
    assert len({f.old for f in picked}) == len(picked)  # at most one per provision


def test_every_finding_has_a_tier_a_leaning_and_a_rank() -> None:
    findings = compare_files(DRAFTS / "sample-v2.pdf", DRAFTS / "sample-v3.pdf").findings
    assert [f.rank for f in findings] == list(range(1, len(findings) + 1))
    tiers = [TIER_ORDER[f.tier] for f in findings]
    assert tiers == sorted(tiers)  # the finding tier first, then worth-a-look, then the rest
    assert all((f.tier == "finding") == (f.direction != "neutral") for f in findings)
    assert all(f.leaning == f.direction for f in findings if f.tier == "finding")
    looks = [f for f in findings if f.tier == "worth-a-look"]
    assert looks and len(looks) <= WORTH_A_LOOK
    assert all(f.leaning != "none" and f.confidence >= WORTH_A_LOOK_FLOOR for f in looks)
    # Within the finding tier, what got weaker comes first.
    leanings = [f.leaning for f in findings if f.tier == "finding"]
    assert leanings == sorted(leanings, key=lambda x: x != "weakening")


def test_a_draft_compared_with_itself_has_nothing_to_look_at() -> None:
    findings = compare_files(DRAFTS / "sample-v2.pdf", DRAFTS / "sample-v2.pdf").findings
    assert not [f for f in findings if f.tier != "other"]
