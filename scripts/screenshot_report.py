"""Screenshot the top of an HTML redline for the README (docs/redline.png).

Usage: python scripts/screenshot_report.py [REPORT.html] [OUT.png]
       (default out/sample-v2-v3.html, written by `make run`, and docs/redline.png)

Uses Debian's Chromium through Playwright, as the browser tests do.
"""

from __future__ import annotations

import sys
from pathlib import Path

from chromium import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright

VIEWPORT = {"width": 1200, "height": 1000}


def main() -> int:
    report = Path(sys.argv[1] if len(sys.argv) > 1 else "out/sample-v2-v3.html")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/redline.png")
    if not report.is_file():
        print(f"{report}: no such file; run `make run` first", file=sys.stderr)
        return 2
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(report.resolve().as_uri())
        page.screenshot(path=str(out))
        browser.close()
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
