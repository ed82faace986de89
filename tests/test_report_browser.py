"""The HTML redline as a reader meets it, in headless Chromium: it loads from file://
without errors or network requests, the filters, permalinks and keyboard work, hostile
draft text stays text, and printing shows everything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cop_diff.cli import main
from cop_diff.render import render_html
from tests.report_support import (
    SAMPLE_NEW,
    SAMPLE_OLD,
    PageWatch,
    artifact,
    chromium,
    controlled_comparison,
    write_hostile_drafts,
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(scope="module")
def controlled_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "controlled.html"
    path.write_text(render_html(controlled_comparison()), encoding="utf-8")
    return path


def visible_findings(page: Any) -> list[str]:
    return [
        str(item.get_attribute("data-rule"))
        for item in page.locator(".finding").all()
        if item.is_visible()
    ]


def test_sample_report_opens_cleanly(tmp_path: Path, page: Any) -> None:
    out = tmp_path / "sample-v2-v3.html"
    args = ["compare", str(SAMPLE_OLD), str(SAMPLE_NEW), "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    watch = PageWatch(page)
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    assert watch.errors == [] and watch.requests == [] and watch.dialogs == []
    assert page.locator("#filters").is_visible()  # the script ran under the CSP
    # Named by the drafts' own titles, not by their files.
    assert page.title() == (
        "Redline: Second Draft Code of Practice for Operators of Large Autonomous Delivery"
        " Drone Fleets → Third Draft Code of Practice for Operators of Large Autonomous"
        " Delivery Drone Fleets"
    )
    page.screenshot(path=artifact("sample-report-top.png"))
    page.screenshot(path=artifact("sample-report-full.png"), full_page=True)


def test_direction_filter_hides_and_shows_findings(controlled_report: Path, page: Any) -> None:
    page.goto(controlled_report.as_uri())
    # Other changes are folded, one line per kind: the findings are what shows.
    everything = visible_findings(page)
    assert everything == [
        "modal-weakened",
        "qualifier-added",
        "obligation-removed",
        "modal-strengthened",
    ]
    page.locator("#other-provision-removed > summary").click()
    assert visible_findings(page) == [*everything, "provision-removed"]
    assert page.locator("#filter-status").inner_text() == "5 of 5 findings shown"
    page.get_by_role("checkbox", name="Weaker (3)").uncheck()
    assert visible_findings(page) == ["modal-strengthened", "provision-removed"]
    assert page.locator("#weaker .none-match").is_visible()
    assert page.locator("#filter-status").inner_text() == "2 of 5 findings shown"
    page.get_by_role("checkbox", name="Weaker (3)").check()
    assert visible_findings(page) == [*everything, "provision-removed"]


def test_filters_are_kept_in_the_address(controlled_report: Path, page: Any) -> None:
    page.goto(controlled_report.as_uri())
    page.get_by_role("checkbox", name="Weaker (3)").uncheck()
    page.get_by_label("Kind of finding").select_option("modal-strengthened")
    shared = page.url
    assert "hide=weakening" in shared and "rule=modal-strengthened" in shared
    # Whoever opens the address sees the same filtered view.
    page.goto("about:blank")
    page.goto(shared)
    assert visible_findings(page) == ["modal-strengthened"]
    assert not page.get_by_role("checkbox", name="Weaker (3)").is_checked()
    page.get_by_role("button", name="Show everything").click()
    page.wait_for_function("!window.location.search")


def test_kind_and_binding_filters(controlled_report: Path, page: Any) -> None:
    page.goto(controlled_report.as_uri())
    page.get_by_label("Kind of finding").select_option("modal-weakened")
    assert visible_findings(page) == ["modal-weakened"]
    page.get_by_role("button", name="Show everything").click()
    page.wait_for_function("document.querySelectorAll('.finding[hidden]').length === 0")
    page.get_by_role("checkbox", name="Binding text only").check()
    assert "obligation-removed" not in visible_findings(page)  # it is on a recital
    page.locator("#document-fold > summary").click()
    assert not page.locator("[id='new-section-recitals__recital-a']").is_visible()
    assert page.locator("[id='new-measure-II.6.3']").is_visible()
    page.get_by_role("checkbox", name="Hide unchanged provisions").check()
    assert not page.locator("[id='new-measure-II.1.2']").is_visible()


def test_finding_permalink_targets_it(controlled_report: Path, page: Any) -> None:
    anchor = "f-modal-weakened-new-measure-II.6.3"
    page.goto(f"{controlled_report.as_uri()}#{anchor}")
    target = page.locator(":target")
    assert target.get_attribute("id") == anchor
    assert target.is_visible() and _in_viewport(page, anchor)
    # From the finding to the provision in the whole document, and back.
    target.get_by_role("link", name="Measure II.6.3 in the new draft").click()
    assert page.locator(":target").get_attribute("id") == "new-measure-II.6.3"
    page.locator("[id='new-measure-II.6.3'] summary a.tag.weakening").click()
    assert page.locator(":target").get_attribute("id") == anchor


def test_permalink_opens_a_folded_or_filtered_provision(controlled_report: Path, page: Any) -> None:
    page.goto(controlled_report.as_uri())
    folded = page.locator("[id='new-measure-II.1.2']")
    assert folded.get_attribute("open") is None
    page.get_by_role("checkbox", name="Hide unchanged provisions").check()
    page.evaluate("window.location.hash = 'new-measure-II.1.2'")
    page.wait_for_function("document.getElementById('new-measure-II.1.2').open")
    assert folded.is_visible() and _in_viewport(page, "new-measure-II.1.2")
    # The document's sticky column names do not cover the provision followed to.
    columns = page.locator("#document .columns").bounding_box()
    assert folded.bounding_box()["y"] >= columns["y"] + columns["height"] - 1


def test_keyboard_reaches_the_filters(controlled_report: Path, page: Any) -> None:
    page.goto(controlled_report.as_uri())
    reached = []
    for _ in range(8):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.closest('#filters') !== null"))
    assert any(reached)
    # Space toggles the focused checkbox, as for any form control.
    page.locator("#filters input[value=weakening]").focus()
    page.keyboard.press("Space")
    assert "modal-weakened" not in visible_findings(page)


def test_print_shows_everything_without_controls(controlled_report: Path, page: Any) -> None:
    page.goto(controlled_report.as_uri())
    page.get_by_role("checkbox", name="Weaker (3)").uncheck()
    page.emulate_media(media="print")
    assert not page.locator("#filters").is_visible()
    assert page.locator("li.finding.weakening").first.is_visible()
    unchanged_text = page.locator("[id='new-measure-II.1.2'] .side-new .text")
    assert unchanged_text.is_visible()
    mark = page.evaluate(
        "getComputedStyle(document.querySelector('#weaker del'), '::before').content"
    )
    assert "−" in mark
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
    artifact("controlled-report.pdf").write_bytes(pdf)


def test_hostile_draft_text_never_runs(tmp_path: Path, page: Any) -> None:
    old, new = write_hostile_drafts(tmp_path)
    out = tmp_path / "hostile.html"
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    watch = PageWatch(page)
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    page.locator("details").evaluate_all("items => items.forEach(d => { d.open = true; })")
    assert watch.dialogs == [] and watch.errors == [] and watch.requests == []
    text = page.locator("body").inner_text()
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(3)>" in text
    assert "publish {{ 7*7 }} reports" in text and "publish 49" not in text
    assert page.locator("img").count() == 0
    page.screenshot(path=artifact("hostile-report.png"), full_page=True)


def _in_viewport(page: Any, element_id: str) -> bool:
    return bool(
        page.evaluate(
            """id => { const r = document.getElementById(id).getBoundingClientRect();
                       return r.top >= -1 && r.top < window.innerHeight; }""",
            element_id,
        )
    )
