"""Detector precision and recall per kind against tests/gold/findings-*.json, then
precision per direction against the verdicts in tests/gold/judged-*.json.

Usage: python scripts/eval_findings.py [DRAFTS_DIR] [--list]   (default ../shared/drafts)

Precision counts a reported weakening or strengthening as right when the gold has the
same rule and direction on the same provision (or an ancestor or descendant); the gold
is our own reading and not exhaustive, so precision here is a lower bound.

A judged file holds a reader's verdict (right, partly or wrong) on a sample of reported
findings, matched to the current report by rule, old and new provision. It gives, per
direction ("possibly" = neutral findings whose explanation starts with "Possibly"), the
strict precision (right / judged) and the lenient one ((right + partly) / judged), and
counts the reported weakenings and strengthenings that nobody has judged yet.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from cop_diff.evaluation import (
    GROUPS,
    VERDICTS,
    match_verdicts,
    of_direction,
    score_findings,
)
from cop_diff.model import Comparison
from cop_diff.pipeline import compare_files

ROOT = Path(__file__).resolve().parent.parent


def load_comparison(
    drafts: Path, gold: dict[str, Any], cache: dict[tuple[str, str], Comparison]
) -> Comparison:
    pair = (gold["old"], gold["new"])
    if pair not in cache:
        cache[pair] = compare_files(drafts / pair[0], drafts / pair[1])
    return cache[pair]


FINDING = frozenset({"finding"})
LOOKED_AT = frozenset({"finding", "worth-a-look"})


def print_gold_scores(path: Path, gold: dict[str, Any], comparison: Comparison) -> None:
    """Per kind: the finding tier's precision and recall, and the recall of the finding
    and worth-a-look tiers together; then the weakenings' recall, strict and located."""
    score = score_findings(comparison, gold, FINDING)
    looked = score_findings(comparison, gold, LOOKED_AT)
    print(f"{path.name}: {gold['old']} -> {gold['new']}")
    print(
        f"  {'rule':22} {'finding':>7} {'precision':>9} {'gold':>5} {'recall':>6}"
        f" {'+worth-a-look':>13}"
    )
    # A blind set's kinds are its author's words ("key:deadline extended"): only its
    # located recall compares with the detectors.
    comparable = not any(rule.startswith("key:") for rule in score.gold)
    for rule in sorted(set(score.reported) | set(score.gold)) if comparable else ():
        print(
            f"  {rule:22} {score.reported[rule]:7} {score.precision(rule):9.0%}"
            f" {score.gold[rule]:5} {score.recall(rule):6.0%} {looked.recall(rule):13.0%}"
        )
    print(
        f"  {'all':22} {sum(score.reported.values()):7} {score.precision():9.0%}"
        f" {sum(score.gold.values()):5} {score.recall():6.0%} {looked.recall():13.0%}"
    )
    for direction in ("weakening", "strengthening"):
        wanted = of_direction(gold, direction)
        strict = score_findings(comparison, wanted, LOOKED_AT)
        located = score_findings(comparison, wanted, LOOKED_AT, same_rule=False)
        total = sum(strict.gold.values())
        print(
            f"  {direction}s in finding + worth-a-look: recall {strict.recall():.0%} strict"
            f" (same kind), {located.recall():.0%} located (same leaning on the provision,"
            f" its parent or a descendant), of {total}"
        )
        if "--list" in sys.argv:
            print("\n".join(f"    missed: {m}" for m in located.missed))


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def print_judged_scores(path: Path, judgements: dict[str, Any], comparison: Comparison) -> None:
    matched = match_verdicts(comparison.findings, judgements["judged"])
    counts = Counter((group, verdict) for _, group, verdict in matched)
    print(f"{path.name}: {judgements['old']} -> {judgements['new']}, current report")
    print(
        f"  {'direction':14} {'judged':>6} {'right':>6} {'partly':>6} {'wrong':>6}"
        f" {'strict':>7} {'lenient':>7} {'unjudged':>8}"
    )
    for group in GROUPS:
        right, partly, wrong = (counts[group, verdict] for verdict in VERDICTS)
        judged = right + partly + wrong
        print(
            f"  {group:14} {judged:6} {right:6} {partly:6} {wrong:6}"
            f" {ratio(right, judged):>7} {ratio(right + partly, judged):>7}"
            f" {counts[group, None]:8}"
        )
    unjudged = [f for f, group, verdict in matched if verdict is None and f.tier == "finding"]
    print(f"  finding tier not judged yet: {len(unjudged)}")
    if "--list" in sys.argv:
        print("\n".join(f"  unjudged: {f.rule} {f.direction} {f.old} -> {f.new}" for f in unjudged))


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    drafts = Path(args[0] if args else ROOT.parent / "shared" / "drafts")
    cache: dict[tuple[str, str], Comparison] = {}
    for path in sorted((ROOT / "tests" / "gold").glob("findings-*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        print_gold_scores(path, gold, load_comparison(folder_of(gold, drafts), gold, cache))
    for path in sorted((ROOT / "tests" / "gold").glob("judged-*.json")):
        judgements = json.loads(path.read_text(encoding="utf-8"))
        comparison = load_comparison(folder_of(judgements, drafts), judgements, cache)
        print_judged_scores(path, judgements, comparison)
    return 0


def folder_of(annotations: dict[str, Any], drafts: Path) -> Path:
    """Where the annotated drafts are: the real drafts, or a folder of this repository
    ("folder": "drafts" for the sample drafts, "tests/gold/blind" for the blind sets)."""
    return ROOT / annotations["folder"] if "folder" in annotations else drafts


if __name__ == "__main__":
    raise SystemExit(main())
