"""Damaged content is never read silently (issue #16, item 3): a PDF page that cannot be
fully decoded is an error naming the page, or with ``--keep-going`` a warning on stderr and
in every report, each read as its reader reads it (a browser, a Markdown renderer, Word's
stand-in LibreOffice); ``watch`` never takes such a file into its chain of releases."""

from __future__ import annotations

import json
import logging
import re
import shutil
import zlib
from pathlib import Path

import cmarkgfm
import pytest
from click.testing import CliRunner, Result

from cop_diff.cli import main
from cop_diff.extract import ExtractSettings
from cop_diff.pipeline import Settings
from tests.pdf_factory import damaged_copy, one_page_pdf
from tests.report_support import artifact, chromium, office_pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "drafts"
WARNING = re.compile(
    r"damaged\.pdf: page (\d+) could not be fully decoded \(a damaged compressed stream\) "
    r"and was read with --keep-going: text may be missing there"
)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """The third sample draft with 300 random bytes inside one page's compressed content:
    pdfminer would read that page as empty."""
    return damaged_copy(SAMPLES / "sample-v3.pdf", tmp_path)


def test_without_keep_going_the_damage_is_an_error_that_suggests_it(damaged: Path) -> None:
    result = invoke("compare", str(SAMPLES / "sample-v2.pdf"), str(damaged), "--no-cache")
    assert result.exit_code == 2 and result.stdout == ""
    assert re.fullmatch(
        r"cop-diff: error: .*damaged\.pdf: page \d+ cannot be fully decoded \(a damaged "
        r"compressed stream\); get an undamaged copy of the file, or read the rest with "
        r"--keep-going\n",
        result.stderr,
    )


def test_keep_going_warns_on_stderr_and_in_every_report(damaged: Path, tmp_path: Path) -> None:
    outputs = {kind: tmp_path / f"report.{kind}" for kind in ("json", "txt", "md", "html", "docx")}
    args = ["compare", str(SAMPLES / "sample-v2.pdf"), str(damaged), "--keep-going"]
    result = invoke(*args, *(f"-o{path}" for path in outputs.values()))
    assert result.exit_code == 1, result.stderr
    (warning,) = [line for line in result.stderr.splitlines() if "warning" in line]
    found = WARNING.search(warning)
    assert found and warning.startswith("cop-diff: warning: ")
    page = found.group(0)  # the same sentence everywhere
    assert [w for w in json.loads(outputs["json"].read_text())["warnings"] if page in w]
    assert f"WARNING: {damaged}: " in outputs["txt"].read_text(encoding="utf-8")
    markdown = cmarkgfm.github_flavored_markdown_to_html(outputs["md"].read_text(encoding="utf-8"))
    assert "<blockquote>\n<p><strong>Warning:</strong>" in markdown and "page " in markdown
    assert _as_plain(markdown).count("could not be fully decoded") == 1
    assert page in _as_plain(markdown).replace("\\", "")
    assert page in _html_as_seen(outputs["html"])
    # LibreOffice wraps the long line where it likes: compared without the spaces.
    assert re.sub(r"\s", "", page) in re.sub(r"\s", "", _docx_as_seen(outputs["docx"]))


def test_keep_going_is_remembered_by_nothing(damaged: Path) -> None:
    """The extraction cache keeps the damage: without --keep-going the next run refuses
    the file again, and the analysis cached by the first run changes nothing."""
    old = str(SAMPLES / "sample-v2.pdf")
    assert invoke("compare", old, str(damaged), "--keep-going").exit_code == 1
    again = invoke("compare", old, str(damaged))
    assert again.exit_code == 2 and "cannot be fully decoded" in again.stderr


def test_outline_keep_going_warns_on_stderr_and_in_json(damaged: Path) -> None:
    result = invoke("outline", str(damaged), "--keep-going", "--format", "json", "--no-cache")
    assert result.exit_code == 0
    assert WARNING.search(result.stderr)
    assert WARNING.search(json.loads(result.stdout)["warnings"][0])
    text = invoke("outline", str(damaged), "--keep-going", "--no-cache")
    assert WARNING.search(text.stdout)
    undamaged = invoke("outline", str(SAMPLES / "sample-v3.pdf"), "--format", "json")
    assert json.loads(undamaged.stdout)["warnings"] == [] and "warning" not in undamaged.stderr


def test_a_pdf_whose_only_page_is_damaged_is_refused_even_with_keep_going(
    tmp_path: Path,
) -> None:
    """Nothing would be left to read: the error names the page, not a missing text layer."""
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Signatories shall keep logs.) Tj ET\n" * 20)
    damaged = content[:10] + bytes(200) + content[210:]
    path = tmp_path / "one.pdf"
    path.write_bytes(one_page_pdf(damaged))
    result = invoke("outline", str(path), "--keep-going", "--no-cache")
    assert result.exit_code == 2
    assert "page 1 cannot be fully decoded" in result.stderr and "--keep-going" not in result.stderr


def test_watch_never_takes_a_damaged_file_even_with_keep_going(
    damaged: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from cop_diff.watch.job import WatchSettings, run_once

    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(SAMPLES / "sample-v1.pdf", source / "sample-v1.pdf")
    shutil.copy(damaged, source / "sample-v2.pdf")
    shutil.copy(SAMPLES / "sample-v3.pdf", source / "sample-v3.pdf")
    settings = WatchSettings(
        source=str(source),
        state=tmp_path / "state.db",
        out=tmp_path / "out",
        compare=Settings(extract=ExtractSettings(keep_going=True)),
    )
    with caplog.at_level(logging.INFO, logger="cop_diff.watch"):
        result = run_once(settings)
    assert result.releases == ("sample-v1.pdf", "sample-v3.pdf")
    assert [c.split("/")[-1][:23] for c in result.comparisons] == ["sample-v1-to-sample-v3-"]
    skipped = [r.getMessage() for r in caplog.records if "skipped sample-v2.pdf" in r.getMessage()]
    assert len(skipped) == 1 and re.search(r"page \d+ cannot be fully decoded", skipped[0])
    assert not list((tmp_path / "out" / "drafts").rglob("sample-v2.pdf"))


# --------------------------------------------------------------------------- as a reader sees it


def _as_plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _html_as_seen(report: Path) -> str:
    """The text of the report's warnings as Chromium shows them (and a screenshot)."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.goto(report.as_uri())
        notice = page.locator(".warnings")
        assert notice.is_visible() and notice.bounding_box()["y"] < 400  # at the top
        page.screenshot(path=artifact("keep-going-report-top.png"))
        return " ".join(str(notice.inner_text()).split())


def _docx_as_seen(docx: Path) -> str:
    """The text of the Word report's first page, as LibreOffice lays it out."""
    from pdfminer.high_level import extract_text

    return extract_text(str(office_pdf(docx)), page_numbers=[0])
