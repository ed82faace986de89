"""Shared inputs for the report tests: the sample comparison, findings we control, a
hostile draft, and headless Chromium through Playwright."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from cop_diff.model import Comparison, Finding
from cop_diff.pipeline import compare_files
from cop_diff.rank import rank_findings
from scripts.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_OLD = ROOT / "drafts" / "sample-v2.pdf"
SAMPLE_NEW = ROOT / "drafts" / "sample-v3.pdf"
ARTIFACTS = ROOT / "tests" / "artifacts"

HOSTILE_OLD = """\
# Commitment 1. Scripts <script>alert(1)</script>

Signatories shall publish {{ 7*7 }} reports every year.

# Commitment 2. Images

Signatories shall keep <img src=x onerror=alert(1)> logs of all flights.
"""
HOSTILE_NEW = """\
# Commitment 1. Scripts <script>alert(1)</script>

Signatories should publish {{ 7*7 }} reports every year <script>alert(2)</script>.

# Commitment 3. Images <img src=x onerror=alert(3)>

Signatories may keep "quoted" & <b>bold</b> logs =HYPERLINK("http://x") of flights.
"""


@cache
def sample_comparison() -> Comparison:
    """sample-v2 -> sample-v3 as the pipeline compares them today."""
    return compare_files(SAMPLE_OLD, SAMPLE_NEW)


def controlled_findings() -> tuple[Finding, ...]:
    """Findings of every direction on real provisions of the sample drafts, so that the
    report tests do not depend on what the detectors find."""
    return (
        Finding(
            rule="modal-weakened",
            direction="weakening",
            old="measure-7.3",
            new="measure-II.6.3",
            old_text="Signatories commit to sharing information",
            new_text="Signatories are encouraged to share information",
            explanation='"commit to" became "are encouraged to".',
            confidence=0.9,
            rationale="Operators asked for flexibility.",
        ),
        Finding(
            rule="qualifier-added",
            direction="weakening",
            old="measure-5.3",
            new="measure-II.4.3",
            old_text="Signatories shall ensure",
            new_text="Signatories shall, to the extent feasible, ensure",
            explanation='The hedge "to the extent feasible" was added.',
            confidence=0.8,
        ),
        Finding(
            rule="obligation-removed",
            direction="weakening",
            old="section-recitals/recital-a",
            new="section-recitals/recital-a",
            old_text="Autonomous delivery drone fleets",
            new_text="Autonomous delivery drone fleets",
            explanation="A finding on text that does not bind.",
            confidence=0.5,
        ),
        Finding(
            rule="modal-strengthened",
            direction="strengthening",
            old="measure-6.2",
            new="measure-II.5.2",
            old_text="Signatories may provide",
            new_text="Signatories shall provide",
            explanation='"may" became "shall".',
            confidence=0.95,
        ),
        Finding(
            rule="provision-removed",
            direction="neutral",
            old="measure-8.1",
            new=None,
            old_text="Signatories shall set up an internal channel",
            new_text="",
            explanation="Measure 8.1 has no counterpart in the new draft.",
            confidence=0.9,
        ),
    )


@cache
def controlled_comparison() -> Comparison:
    """The sample comparison with the hand-made findings, ranked as compare ranks them."""
    comparison = sample_comparison()
    ranked = rank_findings(controlled_findings(), comparison.old, comparison.new)
    return dataclasses.replace(comparison, findings=ranked)


def write_hostile_drafts(folder: Path) -> tuple[Path, Path]:
    old, new = folder / "hostile-old.md", folder / "hostile-new.md"
    old.write_text(HOSTILE_OLD, encoding="utf-8")
    new.write_text(HOSTILE_NEW, encoding="utf-8")
    return old, new


def require(condition: bool, message: str) -> None:
    """Skip where a tool is missing, but fail in CI, which installs it (.ci/run)."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (no downloaded browser)."""
    require(CHROMIUM.is_file(), f"{CHROMIUM} not found: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        require(False, "playwright is not installed: pip install -e '.[test]'")
        raise
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageWatch:
    """What a page did that a user would not want: console errors, page errors,
    dialogs (alert), requests that leave the file."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("dialog", self._dialog)
        page.route("**/*", self._route)

    def _console(self, message: Any) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name


def libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def office_pdf(document: Path, target: str = "pdf") -> Path:
    """``document`` (DOCX) laid out as LibreOffice does, saved as a PDF (or as ``target``,
    "odt") beside it; skipped where LibreOffice is missing (failed in CI)."""
    office = libreoffice()
    require(office is not None, "libreoffice not found: apt-get install libreoffice-writer-nogui")
    assert office is not None
    folder = document.parent
    profile = (folder / "profile").as_uri()  # a private profile: no clash with another run
    command = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target]
    completed = subprocess.run(
        [*command, "--outdir", str(folder), str(document)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    converted = folder / f"{document.stem}.{target}"
    assert completed.returncode == 0 and converted.is_file(), completed.stderr
    return converted
