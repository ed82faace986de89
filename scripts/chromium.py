"""Debian's Chromium as the scripts and the browser tests launch it through Playwright:
headless, no sandbox (CI runs as root), and nothing fetched in the background."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
