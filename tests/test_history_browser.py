"""The history page as a reader meets it, in headless Chromium at a desktop and a phone
width: it loads from file:// without errors or requests, the filters and permalinks work,
each provision's text is one click away, and hostile draft text stays text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cop_diff.history import history_files
from cop_diff.history_report import render_history
from cop_diff.labels import human_date
from cop_diff.pipeline import Settings, outline_file
from tests.report_support import PageWatch, artifact, chromium, write_hostile_drafts
from tests.test_history import SAMPLES

WIDTHS = (1400, 390)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "sample-history.html"
    path.write_text(render_history(history_files(SAMPLES), "html"), encoding="utf-8")
    return path


def open_page(browser: Any, path: Path, width: int, fragment: str = "") -> tuple[Any, PageWatch]:
    page = browser.new_page(viewport={"width": width, "height": 1000})
    watch = PageWatch(page)
    page.goto(path.as_uri() + fragment)
    page.wait_for_load_state("load")
    return page, watch


def shown(page: Any) -> list[str]:
    return [
        str(row.get_attribute("id")) for row in page.locator(".lineage").all() if row.is_visible()
    ]


@pytest.mark.parametrize("width", WIDTHS)
def test_sample_history_opens_cleanly_and_fits(browser: Any, sample_page: Path, width: int) -> None:
    page, watch = open_page(browser, sample_page, width)
    assert watch.errors == [] and watch.requests == [] and watch.dialogs == []
    if width < 600:  # on a phone the filters and contents are folded, one tap away
        assert not page.locator("#filters").is_visible()
        page.get_by_text("Filters and contents").click()
    assert page.locator("#filters").is_visible()  # the script ran under the CSP
    assert page.title().startswith("History: First Draft Code of Practice for Operators")
    header = page.locator("header .order").inner_text()
    assert "in the order given, oldest first" in header
    cards = page.locator("header .draft").all_inner_texts()
    for number, (card, draft) in enumerate(zip(cards, SAMPLES, strict=True), 1):
        document = outline_file(draft, Settings()).document
        assert document.title and document.title in card
        if width > 600:  # a phone shows each draft's date and file only
            assert draft.name in card
        assert document.date and f"D{number} ({human_date(document.date)})" in header
    assert header.index("D1 (") < header.index("D2 (") < header.index("D3 (")
    # Nothing wider than the window: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifact(f"sample-history-{width}.png"))
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_permalink_opens_the_row_with_each_drafts_text(
    browser: Any, sample_page: Path, width: int
) -> None:
    page, watch = open_page(browser, sample_page, width, "#l3-measure-II.3.2")
    row = page.locator("[id='l3-measure-II.3.2']")
    assert row.get_attribute("open") is not None
    assert row.locator(".at h3").all_inner_texts()[0].startswith("D1 · Sub-Measure 5.2")
    assert row.locator(".at").count() == 3  # its text in each of the three drafts
    assert row.locator(".step-findings .finding.weakening").count() == 1
    assert row.locator(".at del").count() >= 1 and row.locator(".at ins").count() >= 1
    row.scroll_into_view_if_needed()
    page.screenshot(path=artifact(f"sample-history-row-{width}.png"))
    assert watch.errors == []
    page.close()


def test_filters_hide_and_show_provisions(browser: Any, sample_page: Path) -> None:
    page, watch = open_page(browser, sample_page, 1400)
    everything = shown(page)
    status = page.locator("#filter-status")
    assert status.inner_text() == f"{len(everything)} of {len(everything)} provisions shown"
    for name in ("Changed, no finding either way", "Unchanged"):
        page.get_by_role("checkbox", name=name, exact=False).uncheck()
    leaning = shown(page)
    verdicts = {page.locator(f"[id='{row}']").get_attribute("data-verdict") for row in leaning}
    assert verdicts == {"weaker", "stronger"} and 0 < len(leaning) < len(everything)
    page.get_by_label("Kind of finding").select_option("number-changed")
    numbers = shown(page)
    assert numbers and set(numbers) < set(leaning)
    for row in numbers:
        assert " number-changed " in str(page.locator(f"[id='{row}']").get_attribute("data-rules"))
    page.get_by_role("button", name="Show everything").click()
    page.wait_for_function(
        f"document.querySelectorAll('.lineage:not([hidden])').length == {len(everything)}"
    )
    page.get_by_role("checkbox", name="Hide those that ended").check()
    assert len(shown(page)) == page.locator("#current .lineage").count() < len(everything)
    assert page.locator("#ended .none-match").is_visible()
    assert watch.errors == []
    page.close()


def test_filters_are_kept_in_the_address(browser: Any, sample_page: Path) -> None:
    page, watch = open_page(browser, sample_page, 1400)
    page.get_by_role("checkbox", name="Unchanged", exact=False).uncheck()
    page.get_by_role("checkbox", name="Binding text only").check()
    filtered = shown(page)
    shared = page.url
    assert "hide=unchanged" in shared and "binding=1" in shared
    # Whoever opens the address sees the same filtered view.
    again, _ = open_page(browser, sample_page, 1400, "?" + shared.split("?", 1)[1])
    assert shown(again) == filtered
    assert not again.get_by_role("checkbox", name="Unchanged", exact=False).is_checked()
    again.get_by_role("button", name="Show everything").click()
    again.wait_for_function("!window.location.search")
    assert watch.errors == []
    page.close()
    again.close()


def test_hostile_draft_text_stays_text(browser: Any, tmp_path: Path) -> None:
    old, new = write_hostile_drafts(tmp_path)
    path = tmp_path / "hostile.html"
    path.write_text(render_history(history_files([old, new]), "html"), encoding="utf-8")
    page, watch = open_page(browser, path, 1400)
    assert watch.dialogs == [] and watch.errors == [] and watch.requests == []
    assert page.locator("img").count() == 0 and page.locator("script").count() == 1
    page.locator("details.lineage").first.evaluate("row => row.open = true")
    assert "<script>alert(1)</script>" in page.locator("main").inner_text()
    page.close()
