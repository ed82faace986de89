"""Benchmark: cop-diff's extraction and segmentation against pdfminer.six's own pdf2txt.py.

Usage: python scripts/bench.py [DRAFTS_DIR]   (default ../shared/drafts)

Prints the median of several runs for (a) pdf2txt.py on the Second and Third Drafts, one
after the other, and (b) `cop-diff outline` on each, and their ratio. The performance
issue extends this to the full compare pipeline.

Then (c): the HTML redline of the Second -> Third Draft, its size (budget 10 MB) and how
long headless Chromium takes to open it from file:// until DOMContentLoaded (budget 2 s,
median of several loads). Skipped, with the reason, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
REPORT_MAX_BYTES = 10 * 1024 * 1024
REPORT_MAX_LOAD_SECONDS = 2.0


def median_seconds(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report_load_seconds(report: Path) -> float | None:
    """Median time for Chromium to load the report to DOMContentLoaded; None if no browser."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("(c) skipped: playwright is not installed (pip install -e '.[test]')")
        return None
    if not CHROMIUM.is_file():
        print(f"(c) skipped: {CHROMIUM} not found (apt-get install chromium)")
        return None
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(RUNS):
            page = browser.new_page()  # a fresh page each time: nothing cached in it
            start = time.perf_counter()
            page.goto(report.as_uri(), wait_until="domcontentloaded")
            times.append(time.perf_counter() - start)
            page.close()
        browser.close()
    return statistics.median(times)


def bench_report(cop_diff: str, pair: list[Path]) -> bool:
    """(c): the d2 -> d3 redline; False if it is over its size or load-time budget."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "d2-d3.html"
        completed = subprocess.run(
            [cop_diff, "compare", str(pair[0]), str(pair[1]), "-o", str(report)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        if completed.returncode > 1:
            print(f"(c) cop-diff compare failed with exit status {completed.returncode}")
            return False
        size = report.stat().st_size
        print(f"(c) HTML redline d2 -> d3: {size / 1e6:.2f} MB (budget 10 MB)")
        seconds = report_load_seconds(report)
    if seconds is not None:
        print(
            f"(c) opens in Chromium (DOMContentLoaded), median of {RUNS}: {seconds:.2f} s "
            f"(budget {REPORT_MAX_LOAD_SECONDS:.0f} s)"
        )
    return size < REPORT_MAX_BYTES and (seconds is None or seconds < REPORT_MAX_LOAD_SECONDS)


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
    return 0 if bench_report(cop_diff, pair) else 1


if __name__ == "__main__":
    raise SystemExit(main())
