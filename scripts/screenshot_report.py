"""Screenshot the first screen of an HTML redline for the README, as a desktop reader
(1400 px wide) and a phone reader (390 px) see it: docs/redline.png, docs/redline-phone.png.

Usage: python scripts/screenshot_report.py [REPORT.html] [OUT.png]
       (default out/sample-v2-v3.html, written by `make run`, and docs/redline.png; the
       phone's goes beside OUT with "-phone" added to its name)

Uses Debian's Chromium through Playwright, as the browser tests do.
"""

from __future__ import annotations

import sys
from pathlib import Path

from chromium import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright

VIEWPORTS = {"": {"width": 1400, "height": 1000}, "-phone": {"width": 390, "height": 844}}


def main() -> int:
    report = Path(sys.argv[1] if len(sys.argv) > 1 else "out/sample-v2-v3.html")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/redline.png")
    if not report.is_file():
        print(f"{report}: no such file; run `make run` first", file=sys.stderr)
        return 2
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for suffix, viewport in VIEWPORTS.items():
            page = browser.new_page(viewport=viewport)
            page.goto(report.resolve().as_uri())
            shot = out.with_name(f"{out.stem}{suffix}{out.suffix}")
            page.screenshot(path=str(shot))
            page.close()
            print(f"wrote {shot}")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
