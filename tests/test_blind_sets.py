"""The blind sets (tests/gold/blind/): draft pairs written by a helper who did not see the
detectors, with its answer key, and a second reader's verdicts on what cop-diff first
reported. They guard against regressions on drafts the detectors were not written for;
being in the repository, they run without the real drafts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cop_diff.evaluation import match_verdicts, of_direction, score_findings
from cop_diff.pipeline import compare_files

GOLD = Path(__file__).resolve().parent / "gold"
ROOT = GOLD.parent.parent
SETS = sorted(p.stem.removeprefix("judged-blind-") for p in GOLD.glob("judged-blind-*.json"))
LOOKED_AT = frozenset({"finding", "worth-a-look"})


def load(kind: str, name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((GOLD / f"{kind}-blind-{name}.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def comparisons():  # type: ignore[no-untyped-def]
    found = {}
    for name in SETS:
        key = load("findings", name)
        folder = ROOT / key["folder"]
        found[name] = compare_files(folder / key["old"], folder / key["new"])
    return found


def test_there_are_blind_sets() -> None:
    assert len(SETS) >= 4


def test_finding_tier_precision_on_the_blind_sets(comparisons) -> None:  # type: ignore[no-untyped-def]
    verdicts = []
    for name in SETS:
        matched = match_verdicts(comparisons[name].findings, load("judged", name)["judged"])
        verdicts += [v for f, _, v in matched if f.tier == "finding" and v is not None]
    right = verdicts.count("right")
    assert len(verdicts) >= 30
    # Today: 36 judged, 34 right, 1 partly, 1 wrong.
    assert right / len(verdicts) >= 0.9, verdicts
    assert (right + verdicts.count("partly")) / len(verdicts) >= 0.95, verdicts


def test_located_recall_of_weakenings_on_the_blind_sets(comparisons) -> None:  # type: ignore[no-untyped-def]
    found = total = 0
    for name in SETS:
        wanted = of_direction(load("findings", name), "weakening")
        score = score_findings(comparisons[name], wanted, LOOKED_AT, same_rule=False)
        found += sum(score.gold_matched.values())
        total += sum(score.gold.values())
    # Today: 32 of 37 (0.86); 28 before the fixes the second set's misses suggested.
    assert total >= 30 and found / total >= 0.8, (found, total)
