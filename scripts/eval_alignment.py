"""Alignment accuracy against our gold mappings (tests/gold/align-*.json).

Usage: python scripts/eval_alignment.py [DRAFTS_DIR]   (default ../shared/drafts)

Prints, per kind of provision, how many gold pairs the aligner gets right (and the same
leaving out the pairs the gold marks ambiguous), then the misses.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cop_diff.evaluation import score_alignment
from cop_diff.pipeline import compare_files

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    drafts = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared" / "drafts")
    for path in sorted((ROOT / "tests" / "gold").glob("align-*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        score = score_alignment(compare_files(drafts / gold["old"], drafts / gold["new"]), gold)
        print(f"{path.name}: {gold['old']} -> {gold['new']}")
        for kind in sorted(score.total):
            right, total = score.right[kind], score.total[kind]
            print(f"  {kind:20} {right:3}/{total:3} = {right / total:.0%}")
        print("\n".join(f"  miss: {miss}" for miss in score.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
