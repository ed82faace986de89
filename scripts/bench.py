"""Benchmark: cop-diff's extraction and segmentation against pdfminer.six's own pdf2txt.py.

Usage: python scripts/bench.py [DRAFTS_DIR]   (default ../shared/drafts)

Prints the median of several runs for (a) pdf2txt.py on the Second and Third Drafts, one
after the other, and (b) `cop-diff outline` on each, and their ratio. The performance
issue extends this to the full compare pipeline.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 5


def median_seconds(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    drafts = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/drafts")
    pair = [drafts / "cop-d2.pdf", drafts / "cop-d3.pdf"]
    missing = [str(p) for p in pair if not p.is_file()]
    if missing:
        print(f"bench: missing drafts: {', '.join(missing)}", file=sys.stderr)
        return 2
    bin_dir = Path(sys.executable).parent
    pdf2txt = shutil.which("pdf2txt.py", path=str(bin_dir)) or "pdf2txt.py"
    cop_diff = shutil.which("cop-diff", path=str(bin_dir)) or "cop-diff"
    baseline = sum(median_seconds([sys.executable, pdf2txt, str(p)]) for p in pair)
    outline = sum(median_seconds([cop_diff, "outline", str(p), "--format", "json"]) for p in pair)
    print(f"(a) pdf2txt.py d2 + d3, median of {RUNS}: {baseline:.2f} s")
    print(f"(b) cop-diff outline d2 + d3, median of {RUNS}: {outline:.2f} s")
    print(f"b/a = {outline / baseline:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
