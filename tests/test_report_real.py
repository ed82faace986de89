"""The redline of the real Second -> Third Draft: small enough to send, and it renders
in Chromium without errors. (How fast it opens is measured by scripts/bench.py.)"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from cop_diff.model import Comparison, Selection
from cop_diff.pipeline import compare_files
from cop_diff.redline import build_redline
from cop_diff.render import render_html, render_text
from tests.report_support import PageWatch, artifact, chromium

MAX_BYTES = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def d2_d3(shared_drafts: Path) -> Comparison:
    return compare_files(shared_drafts / "cop-d2.pdf", shared_drafts / "cop-d3.pdf")


@pytest.fixture(scope="module")
def d2_d3_report(d2_d3: Comparison, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("real") / "d2-d3.html"
    path.write_text(render_html(d2_d3), encoding="utf-8")
    return path


def test_report_is_under_10_mb_and_lists_every_weakening(
    d2_d3: Comparison, d2_d3_report: Path
) -> None:
    assert d2_d3_report.stat().st_size < MAX_BYTES
    page = lxml.html.parse(str(d2_d3_report)).getroot()
    weaker = page.get_element_by_id("weaker")
    listed = [item.get("id") for item in weaker.xpath(".//li[@data-direction]")]
    expected = [v.anchor for v in build_redline(d2_d3).by_direction("weakening")]
    assert listed == expected
    rows = page.xpath("//section[@id='document']//details")
    assert len(rows) >= max(len(d2_d3.old.provisions), len(d2_d3.new.provisions))


def test_report_renders_in_chromium_without_errors(d2_d3_report: Path) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        watch = PageWatch(page)
        page.goto(d2_d3_report.as_uri(), wait_until="domcontentloaded")
        page.wait_for_load_state("load")
        assert watch.errors == [] and watch.requests == [] and watch.dialogs == []
        assert page.locator("#filters").is_visible()
        page.screenshot(path=artifact("d2-d3-report-top.png"))


def test_text_report_fits_a_screenful_or_two(d2_d3: Comparison) -> None:
    """#14: the default stdout is read in minutes: findings, worth a look, one line per
    kind of other change; every line fits a wide terminal."""
    lines = render_text(d2_d3).splitlines()
    assert len(lines) <= 80
    assert max(len(line) for line in lines) <= 200
    text = "\n".join(lines)
    # Every finding of the finding tier is there, named by both labels and both pages.
    for view in build_redline(d2_d3).by_tier("finding"):
        assert view.where in text
        for label, provision in ((view.old_label, view.old), (view.new_label, view.new)):
            if provision is not None:
                assert f"{label}, p. {provision.page}" in view.where
    assert "/work" not in text and "../shared" not in text
    assert "Second Draft General-Purpose AI Code of Practice (19 Dec 2024, cop-d2.pdf)" in text


def test_text_report_with_all_lists_every_finding(d2_d3: Comparison) -> None:
    lines = render_text(d2_d3, Selection(everything=True)).splitlines()
    assert max(len(line) for line in lines) <= 200
    starts = [line for line in lines if line.lstrip().startswith("- ")]
    assert len(starts) == len(d2_d3.findings)


def test_report_first_screens_are_the_findings(d2_d3: Comparison, d2_d3_report: Path) -> None:
    """#14: at 1400 px the page opens at most 30,000 px tall (other changes and the whole
    document folded), each finding-tier item names both pages, and at 390 px nothing
    runs off the side. Screenshots of both go to the test artifacts."""
    with chromium() as browser:
        for width, name in ((1400, "d2-d3-desktop.png"), (390, "d2-d3-phone.png")):
            page = browser.new_page(viewport={"width": width, "height": 900})
            watch = PageWatch(page)
            page.goto(d2_d3_report.as_uri(), wait_until="load")
            assert watch.errors == []
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            if width == 1400:
                assert page.evaluate("document.documentElement.scrollHeight") <= 30_000
                heads = page.locator("#weaker .finding h3, #stronger .finding h3").all_inner_texts()
                assert len(heads) == len(build_redline(d2_d3).by_tier("finding"))
                assert all(head.count(", p. ") == 2 for head in heads if " → " in head)
            page.screenshot(path=artifact(name))
            page.close()
