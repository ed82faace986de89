"""Detector precision and recall per kind against tests/gold/findings-*.json.

Usage: python scripts/eval_findings.py [DRAFTS_DIR] [--list]   (default ../shared/drafts)

Precision counts a reported weakening or strengthening as right when the gold has the
same rule and direction on the same provision (or an ancestor or descendant); the gold
is our own reading and not exhaustive, so precision here is a lower bound.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cop_diff.evaluation import score_findings
from cop_diff.pipeline import compare_files

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    drafts = Path(args[0] if args else ROOT.parent / "shared" / "drafts")
    for path in sorted((ROOT / "tests" / "gold").glob("findings-*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        comparison = compare_files(drafts / gold["old"], drafts / gold["new"])
        score = score_findings(comparison, gold)
        print(f"{path.name}: {gold['old']} -> {gold['new']}")
        print(f"  {'rule':22} {'reported':>8} {'precision':>9} {'gold':>5} {'recall':>6}")
        for rule in sorted(set(score.reported) | set(score.gold)):
            print(
                f"  {rule:22} {score.reported[rule]:8} {score.precision(rule):9.0%}"
                f" {score.gold[rule]:5} {score.recall(rule):6.0%}"
            )
        print(
            f"  {'all':22} {sum(score.reported.values()):8} {score.precision():9.0%}"
            f" {sum(score.gold.values()):5} {score.recall():6.0%}"
        )
        if "--list" in sys.argv:
            print("\n".join(f"  missed: {m}" for m in score.missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
