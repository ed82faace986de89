"""Bad input gets a clear answer (issue #8).

Every failure a user can cause is one line on stderr naming the file and what to do,
exit 2; a bug in cop-diff is one line and exit 3; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fpdf import FPDF

from cop_diff.cli import main
from cop_diff.errors import CopDiffError
from cop_diff.extract import extract
from cop_diff.extract.pdfengine import PdfEngineName
from tests.pdf_factory import damaged_copy

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_V2 = ROOT / "drafts" / "sample-v2.pdf"
SAMPLE_V3 = ROOT / "drafts" / "sample-v3.pdf"

DRAFT_MD = (
    "# Code of Practice\n\n"
    "## Commitment 1. Logs\n\n"
    "Signatories shall keep logs of every flight for five years.\n\n"
    "### Measure 1.1. Retention\n\n"
    "Signatories shall retain the logs and make them available to the Authority.\n\n"
    "- (a) the flight path;\n"
    "- (b) the operator on duty.\n\n"
    "## Commitment 2. Reports\n\n"
    "Signatories shall report serious incidents to the Authority within 72 hours.\n"
)


def invoke(*args: str, engine: PdfEngineName | None = None) -> Result:
    """``cop-diff ARGS``, with ``--pdf-engine ENGINE`` when one is given."""
    return CliRunner().invoke(main, [*args, *(["--pdf-engine", engine] if engine else [])])


def assert_one_line_error(result: Result, *needles: str, code: int = 2) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr, result.exception)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("cop-diff: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


def text_pdf(path: Path, lines: list[str], pages: int = 1, **encryption: str) -> Path:
    """A small PDF with a text layer, in a core font (no font files needed)."""
    pdf = FPDF(unit="pt", format="A4")
    if encryption:
        pdf.set_encryption(**encryption)
    pdf.set_font("Helvetica", size=11)
    for _ in range(pages):
        pdf.add_page()
        for line in lines:
            pdf.cell(0, 16, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


# --------------------------------------------------------------------------- input files


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.pdf"
    assert_one_line_error(invoke("compare", str(path), str(SAMPLE_V2)), str(path), "no such file")


def test_directory(tmp_path: Path) -> None:
    assert_one_line_error(invoke("outline", str(tmp_path)), str(tmp_path), "is a directory")


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "draft.md"
    path.write_bytes(content)
    assert_one_line_error(invoke("outline", str(path)), str(path), "empty")


def test_not_a_pdf_despite_its_name(tmp_path: Path) -> None:
    path = tmp_path / "draft.pdf"
    path.write_text("<html><body><h1>404 Not Found</h1></body></html>", encoding="utf-8")
    assert_one_line_error(invoke("compare", str(SAMPLE_V2), str(path)), str(path), "not a PDF")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, where chmod cannot make a file unreadable.
    path = tmp_path / "draft.md"
    path.write_text(DRAFT_MD, encoding="utf-8")

    opened = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    assert_one_line_error(invoke("outline", str(path)), str(path), "permission denied")


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_truncated_pdf(tmp_path: Path, share: float, pdf_engine: PdfEngineName) -> None:
    data = SAMPLE_V2.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * share)])
    result = invoke("outline", str(path), engine=pdf_engine)
    assert_one_line_error(result, str(path))


def test_garbage_after_a_pdf_header(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(8).randbytes(5000))
    assert_one_line_error(
        invoke("outline", str(path), engine=pdf_engine), str(path), "not a readable PDF"
    )


@pytest.mark.parametrize("seed", range(12))
def test_corrupt_pdf_is_never_an_internal_error(
    tmp_path: Path, seed: int, pdf_engine: PdfEngineName
) -> None:
    """Bytes overwritten at random: pdfminer raises all sorts of exceptions; all mean exit 2."""
    rng = random.Random(seed)
    data = bytearray(SAMPLE_V2.read_bytes())
    for _ in range(20):
        start = rng.randrange(len(data))
        data[start : start + 8] = rng.randbytes(8)
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(bytes(data))
    result = invoke("outline", str(path), engine=pdf_engine)
    if result.exit_code != 0:  # pdfminer may read past small damage
        assert_one_line_error(result, str(path))


def test_pdfminer_warnings_stay_quiet(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    """As a user runs it: pdfminer's log of a damaged file is not printed, one line is."""
    data = bytearray(SAMPLE_V2.read_bytes())
    rng = random.Random(1)  # damage that makes pdfminer log warnings before it gives up
    for _ in range(20):
        start = rng.randrange(len(data))
        data[start : start + 8] = rng.randbytes(8)
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(bytes(data))
    result = subprocess.run(
        [sys.executable, "-m", "cop_diff.cli", "outline", str(path), "--pdf-engine", pdf_engine],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr, result.stderr


# --------------------------------------------------------------------------- encrypted PDFs


def test_encrypted_pdf_needs_its_password(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    lines = ["Commitment 1. Logs", "Signatories shall keep logs of every flight."]
    path = text_pdf(tmp_path / "locked.pdf", lines, owner_password="own", user_password="open")
    assert_one_line_error(
        invoke("outline", str(path), engine=pdf_engine), str(path), "encrypted", "--password"
    )
    wrong = invoke("outline", str(path), "--password", "guess", engine=pdf_engine)
    assert_one_line_error(wrong, str(path), "password is wrong")
    result = invoke("outline", str(path), "--password", "open", engine=pdf_engine)
    assert result.exit_code == 0, result.stderr
    assert "Signatories shall keep logs" in result.stdout


def test_compare_opens_encrypted_pdfs_with_the_password(
    tmp_path: Path, pdf_engine: PdfEngineName
) -> None:
    lines = ["Commitment 1. Logs", "Signatories shall keep logs of every flight."]
    old = text_pdf(tmp_path / "old.pdf", lines, owner_password="own", user_password="pw")
    new = text_pdf(tmp_path / "new.pdf", lines)
    assert_one_line_error(
        invoke("compare", str(old), str(new), engine=pdf_engine), str(old), "encrypted"
    )
    result = invoke("compare", str(old), str(new), "--password", "pw", engine=pdf_engine)
    assert result.exit_code == 0, result.stderr


def test_password_from_the_environment(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    lines = ["Some text."]
    path = text_pdf(tmp_path / "locked.pdf", lines, user_password="env", owner_password="o")
    result = CliRunner(env={"COP_DIFF_PDF_PASSWORD": "env"}).invoke(
        main, ["outline", str(path), "--pdf-engine", pdf_engine]
    )
    assert result.exit_code == 0, result.stderr


# --------------------------------------------------------------------------- scans, long PDFs


def test_image_only_pdf_suggests_ocr(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("L", (400, 200), 255)
    ImageDraw.Draw(image).text((20, 80), "Commitment 1. Signatories shall comply.", fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=72, y=72, w=400)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    assert_one_line_error(
        invoke("outline", str(path), engine=pdf_engine), str(path), "no text layer", "ocrmypdf"
    )


def test_max_pages(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    path = text_pdf(tmp_path / "long.pdf", ["Signatories shall comply."], pages=5)
    result = invoke("outline", str(path), "--max-pages", "3", engine=pdf_engine)
    assert_one_line_error(result, str(path), "5 pages", "--max-pages 3")
    assert invoke("outline", str(path), "--max-pages", "5", engine=pdf_engine).exit_code == 0
    compared = invoke("compare", str(path), str(path), "--max-pages", "2", engine=pdf_engine)
    assert_one_line_error(compared, str(path), "--max-pages 2")


def test_max_pages_must_be_positive() -> None:
    result = invoke("outline", str(SAMPLE_V2), "--max-pages", "0")
    assert result.exit_code == 2 and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- the error model


def test_a_bug_is_an_internal_error_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr("cop_diff.pipeline.compare", broken)
    result = invoke("compare", str(SAMPLE_V2), str(SAMPLE_V3))
    assert_one_line_error(result, "internal error", "ZeroDivisionError", "--debug", code=3)
    debug = invoke("--debug", "compare", str(SAMPLE_V2), str(SAMPLE_V3))
    assert isinstance(debug.exception, ZeroDivisionError)


def test_debug_shows_the_traceback_of_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.md"
    result = invoke("--debug", "outline", str(path))
    assert result.exit_code != 0 and result.exception is not None
    assert str(path) in str(result.exception)


@pytest.mark.parametrize(
    ("error", "needle"),
    [
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (MemoryError(), "too large"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "encoding"),
    ],
)
def test_hostile_input_failures_name_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception, needle: str
) -> None:
    path = tmp_path / "draft.md"
    path.write_text(DRAFT_MD, encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr("cop_diff.pipeline.segment", fail)
    assert_one_line_error(invoke("outline", str(path)), str(path), needle)
    monkeypatch.undo()
    # Extraction may run in another process or come from the cache: test it directly.
    monkeypatch.setattr("cop_diff.extract.text.extract_text", fail)
    with pytest.raises(CopDiffError) as caught:
        extract(path)
    assert str(caught.value).startswith(f"{path}: ") and needle in str(caught.value)


# --------------------------------------------------------------------------- encodings

PLAIN = "Commitment 1. Logs\n\nSignatories shall keep a naïve café log, Grüße, for five years.\n"
HTML = (
    "<html><body><h2>Commitment 1. Logs</h2>"
    "<p>Signatories shall keep a naïve café log, Grüße, for five years.</p></body></html>"
)


@pytest.mark.parametrize("suffix", [".md", ".txt", ".html"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "latin-1"])
def test_encodings(tmp_path: Path, suffix: str, encoding: str) -> None:
    text = HTML if suffix == ".html" else PLAIN
    if encoding == "utf-16-be-bom":
        data = "\ufeff".encode("utf-16-be") + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    path = tmp_path / f"draft{suffix}"
    path.write_bytes(data)
    result = invoke("outline", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    texts = " ".join(
        p["heading"] + " " + p["text"] for p in json.loads(result.stdout)["provisions"]
    )
    assert "naïve café log, Grüße, for five years" in texts
    assert "\ufeff" not in result.stdout


def test_binary_junk_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_bytes(bytes(range(256)) * 20)
    assert_one_line_error(invoke("outline", str(path)), str(path))


# --------------------------------------------------------------------------- odd characters

ODD = {
    "nbsp": ("Signatories\u00a0shall keep\u00a0logs.", "Signatories shall keep logs."),
    "ligatures": ("Signatories shall ﬁle the ﬂight logs.", "Signatories shall file the flight"),
    "smart quotes": ("Signatories shall keep “logs” and ‘records’.", "logs"),
    # (a NUL byte means binary data: see test_binary_junk_named_txt)
    "control characters": ("Signatories\x07 shall\x01 keep\x1b logs\x08.", "keep"),
    "zero width": ("Signa\u200btories shall keep logs.", "shall keep logs"),
    "long line": ("Signatories shall keep " + "very " * 20_000 + "long logs.", "long logs."),
}


@pytest.mark.parametrize("case", list(ODD))
@pytest.mark.parametrize("suffix", [".md", ".html"])
def test_odd_characters_extract(tmp_path: Path, case: str, suffix: str) -> None:
    body, expected = ODD[case]
    path = tmp_path / f"draft{suffix}"
    if suffix == ".html":
        escaped = body.replace("&", "&amp;").replace("<", "&lt;")
        path.write_text(f"<html><body><h2>Commitment 1. Logs</h2><p>{escaped}</p>", "utf-8")
    else:
        path.write_text(f"## Commitment 1. Logs\n\n{body}\n", encoding="utf-8")
    result = invoke("outline", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr[:500]
    provisions = json.loads(result.stdout)["provisions"]
    text = " ".join(p["text"] for p in provisions)
    assert expected in text
    assert not any(ch in text for ch in "\x01\x07\x08\x1b")
    same = invoke("compare", str(path), str(path))
    assert same.exit_code == 0, same.stderr[:500]


# --------------------------------------------------------------------------- pairs of drafts


def test_identical_files_report_nothing(tmp_path: Path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(DRAFT_MD, encoding="utf-8")
    new.write_text(DRAFT_MD, encoding="utf-8")
    target = tmp_path / "report.json"
    result = invoke("compare", str(old), str(new), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["findings"] == [] and report["diffs"] == []
    assert {a["relation"] for a in report["alignment"]} == {"unchanged"}
    assert report["warnings"] == []
    assert "warning" not in result.stderr
    text = invoke("compare", str(old), str(new))
    assert text.exit_code == 0 and "0 weaker, 0 stronger, 0 worth a look, 0 other" in text.stdout


UNRELATED_MD = (
    "# Apple pie\n\n"
    "## Ingredients\n\n"
    "- six apples, peeled and sliced;\n"
    "- a cup of sugar and a pinch of cinnamon.\n\n"
    "## Method\n\n"
    "Roll out the pastry, fill it with the apples and bake for forty minutes.\n"
)


def test_unrelated_documents_are_flagged(tmp_path: Path) -> None:
    recipe = tmp_path / "recipe.md"
    recipe.write_text(UNRELATED_MD, encoding="utf-8")
    target = tmp_path / "report.json"
    result = invoke("compare", str(SAMPLE_V2), str(recipe), "-o", str(target))
    assert result.exit_code in (0, 1), result.stderr
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "do not look like versions of one document" in warnings[0]
    report = json.loads(target.read_text(encoding="utf-8"))
    assert len(report["warnings"]) == 1 and "one document" in report["warnings"][0]


def test_successive_drafts_are_not_flagged() -> None:
    result = invoke("compare", str(SAMPLE_V2), str(SAMPLE_V3))
    assert result.exit_code == 1 and "warning" not in result.stderr


# --------------------------------------------------------------------------- output paths


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "report.json"
    result = invoke("compare", str(SAMPLE_V2), str(SAMPLE_V2), "-o", str(target))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_output_into_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        target = folder / "report.json"
        result = invoke("compare", str(SAMPLE_V2), str(SAMPLE_V2), "-o", str(target))
        assert result.exit_code == 2 and "cannot write here" in result.stderr
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("failing", ["os.replace", "os.fsync", "os.mkdir-like mkstemp"])
def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """Read-only or full folder, as root can still simulate it: no temp file, no report."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    if failing == "os.replace":
        monkeypatch.setattr("cop_diff.output.os.replace", refuse)
    elif failing == "os.fsync":
        monkeypatch.setattr("cop_diff.output.os.fsync", refuse)
    else:
        monkeypatch.setattr("cop_diff.output.tempfile.mkstemp", refuse)
    target = tmp_path / "report.json"
    result = invoke("compare", str(SAMPLE_V2), str(SAMPLE_V2), "-o", str(target))
    assert_one_line_error(result, "cannot write", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_aligned_share(tmp_path: Path) -> None:
    from cop_diff.pipeline import Settings, compare
    from cop_diff.sanity import MIN_ALIGNED_SHARE, aligned_share, comparison_warnings
    from cop_diff.segment import segment

    draft, recipe = tmp_path / "draft.md", tmp_path / "recipe.md"
    draft.write_text(DRAFT_MD, encoding="utf-8")
    recipe.write_text(UNRELATED_MD, encoding="utf-8")
    settings = Settings()
    same = compare(segment(extract(draft)), segment(extract(draft)), settings)
    assert aligned_share(same) == 1.0 and comparison_warnings(same) == []
    unrelated = compare(segment(extract(draft)), segment(extract(recipe)), settings)
    assert aligned_share(unrelated) < MIN_ALIGNED_SHARE
    (warning,) = comparison_warnings(unrelated)
    assert str(draft) in warning and str(recipe) in warning and "\n" not in warning


@pytest.mark.parametrize("spelling", ["same", "dotted", "symlink", "hardlink"])
def test_an_output_that_is_an_input_is_refused(tmp_path: Path, spelling: str) -> None:
    """`compare a b -o b` would overwrite a draft: exit 2, one line, the draft untouched."""
    old = tmp_path / "old.pdf"
    new = tmp_path / "new.pdf"
    old.write_bytes(SAMPLE_V2.read_bytes())
    new.write_bytes(SAMPLE_V2.read_bytes())
    target = {
        "same": new,
        "dotted": tmp_path / "." / "sub" / ".." / "new.pdf",
        "symlink": tmp_path / "link.json",
        "hardlink": tmp_path / "hard.html",
    }[spelling]
    (tmp_path / "sub").mkdir()
    if spelling == "symlink":
        target.symlink_to(new)
    if spelling == "hardlink":
        os.link(new, target)
    before = new.read_bytes()
    result = invoke(
        "compare", str(old), str(new), "-o", str(tmp_path / "ok.json"), "-o", str(target)
    )
    assert_one_line_error(result, "one of the drafts being compared")
    assert new.read_bytes() == before
    assert not (tmp_path / "ok.json").exists()


def test_the_same_output_twice_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = invoke(
        "compare",
        str(SAMPLE_V2),
        str(SAMPLE_V2),
        "-o",
        str(target),
        "-o",
        str(tmp_path / "." / "report.json"),
    )
    assert_one_line_error(result, "given twice")
    assert not target.exists()


def test_several_outputs_are_written_all_or_none(tmp_path: Path) -> None:
    """The second -o cannot be written (its folder is missing): the first is not left
    behind, and an earlier file at the first path keeps its content."""
    first = tmp_path / "report.json"
    first.write_text("earlier report", encoding="utf-8")
    second = tmp_path / "missing" / "report.html"
    result = invoke("compare", str(SAMPLE_V2), str(SAMPLE_V2), "-o", str(first), "-o", str(second))
    assert_one_line_error(result, "does not exist")
    assert first.read_text(encoding="utf-8") == "earlier report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_a_page_with_a_damaged_stream_is_an_error_naming_the_page(
    tmp_path: Path, pdf_engine: PdfEngineName
) -> None:
    """Random bytes inside one page's compressed content: pdfminer would read that page as
    empty and the draft as shorter; cop-diff says which page cannot be decoded (exit 2)."""
    damaged = damaged_copy(SAMPLE_V2, tmp_path)
    result = invoke("compare", str(SAMPLE_V2), str(damaged), engine=pdf_engine)
    assert_one_line_error(result, "cannot be fully decoded", str(damaged))
    assert re.search(r"page \d+ cannot", result.stderr)


def test_a_pdf_is_limited_in_pages_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pdf_engine: PdfEngineName
) -> None:
    """Without --max-pages, the default applies (2000, lowered here to keep the test fast)."""
    from cop_diff import extract

    assert "default 2000" in invoke("outline", "--help").stdout
    assert extract.DEFAULT_MAX_PAGES == 2000
    monkeypatch.setattr(extract, "DEFAULT_MAX_PAGES", 3)
    path = text_pdf(tmp_path / "long.pdf", ["Signatories shall keep logs."], pages=5)
    result = invoke("outline", str(path), "--no-cache", engine=pdf_engine)
    assert_one_line_error(result, "5 pages", "--max-pages 3")
