"""Bad input gets a clear answer (issue #8).

Every failure a user can cause is one line on stderr naming the file and what to do,
exit 2; a bug in cop-diff is one line and exit 3; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fpdf import FPDF

from cop_diff.cli import main

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


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


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

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert_one_line_error(invoke("outline", str(path)), str(path), "permission denied")


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_truncated_pdf(tmp_path: Path, share: float) -> None:
    data = SAMPLE_V2.read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * share)])
    result = invoke("outline", str(path))
    assert_one_line_error(result, str(path))


def test_garbage_after_a_pdf_header(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + random.Random(8).randbytes(5000))
    assert_one_line_error(invoke("outline", str(path)), str(path), "not a readable PDF")


@pytest.mark.parametrize("seed", range(12))
def test_corrupt_pdf_is_never_an_internal_error(tmp_path: Path, seed: int) -> None:
    """Bytes overwritten at random: pdfminer raises all sorts of exceptions; all mean exit 2."""
    rng = random.Random(seed)
    data = bytearray(SAMPLE_V2.read_bytes())
    for _ in range(20):
        start = rng.randrange(len(data))
        data[start : start + 8] = rng.randbytes(8)
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(bytes(data))
    result = invoke("outline", str(path))
    if result.exit_code != 0:  # pdfminer may read past small damage
        assert_one_line_error(result, str(path))


def test_pdfminer_warnings_stay_quiet(tmp_path: Path) -> None:
    """As a user runs it: pdfminer's log of a damaged file is not printed, one line is."""
    data = bytearray(SAMPLE_V2.read_bytes())
    rng = random.Random(1)  # damage that makes pdfminer log warnings before it gives up
    for _ in range(20):
        start = rng.randrange(len(data))
        data[start : start + 8] = rng.randbytes(8)
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(bytes(data))
    result = subprocess.run(
        [sys.executable, "-m", "cop_diff.cli", "outline", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr, result.stderr


# --------------------------------------------------------------------------- encrypted PDFs


def test_encrypted_pdf_needs_its_password(tmp_path: Path) -> None:
    lines = ["Commitment 1. Logs", "Signatories shall keep logs of every flight."]
    path = text_pdf(tmp_path / "locked.pdf", lines, owner_password="own", user_password="open")
    assert_one_line_error(invoke("outline", str(path)), str(path), "encrypted", "--password")
    wrong = invoke("outline", str(path), "--password", "guess")
    assert_one_line_error(wrong, str(path), "password is wrong")
    result = invoke("outline", str(path), "--password", "open")
    assert result.exit_code == 0, result.stderr
    assert "Signatories shall keep logs" in result.stdout


def test_compare_opens_encrypted_pdfs_with_the_password(tmp_path: Path) -> None:
    lines = ["Commitment 1. Logs", "Signatories shall keep logs of every flight."]
    old = text_pdf(tmp_path / "old.pdf", lines, owner_password="own", user_password="pw")
    new = text_pdf(tmp_path / "new.pdf", lines)
    assert_one_line_error(invoke("compare", str(old), str(new)), str(old), "encrypted")
    result = invoke("compare", str(old), str(new), "--password", "pw")
    assert result.exit_code == 0, result.stderr


def test_password_from_the_environment(tmp_path: Path) -> None:
    lines = ["Some text."]
    path = text_pdf(tmp_path / "locked.pdf", lines, user_password="env", owner_password="o")
    result = CliRunner(env={"COP_DIFF_PDF_PASSWORD": "env"}).invoke(main, ["outline", str(path)])
    assert result.exit_code == 0, result.stderr


# --------------------------------------------------------------------------- scans, long PDFs


def test_image_only_pdf_suggests_ocr(tmp_path: Path) -> None:
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
    assert_one_line_error(invoke("outline", str(path)), str(path), "no text layer", "ocrmypdf")


def test_max_pages(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "long.pdf", ["Signatories shall comply."], pages=5)
    result = invoke("outline", str(path), "--max-pages", "3")
    assert_one_line_error(result, str(path), "5 pages", "--max-pages 3")
    assert invoke("outline", str(path), "--max-pages", "5").exit_code == 0
    compared = invoke("compare", str(path), str(path), "--max-pages", "2")
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
    monkeypatch.setattr("cop_diff.extract.text.extract_text", fail)
    assert_one_line_error(invoke("compare", str(path), str(path)), str(path), needle)
