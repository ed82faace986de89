"""Bounded work for any input (issue #16, item 4): limits on a draft's bytes, pages and
provisions, each a one-line error naming the option that raises it; and the matrices of a
comparison made in blocks, with the same values as in one piece.

Memory and time are measured by ``scripts/bench.py`` (``make bench``), not here.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from cop_diff import tfidf
from cop_diff.cli import main
from cop_diff.extract.pdfengine import PdfEngineName
from cop_diff.extract.text import extract_text
from cop_diff.model import Outline, SparseRows
from cop_diff.segment import segment
from tests.pdf_factory import one_page_pdf

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_V2 = ROOT / "drafts" / "sample-v2.pdf"
SAMPLE_V3 = ROOT / "drafts" / "sample-v3.pdf"


def outline(text: str) -> Outline:
    return segment(extract_text(text.encode(), source="draft.md", sha256="0"))


def sparse(dense: np.ndarray) -> SparseRows:
    """The non-zero cells of a dense matrix, by rows."""
    rows, columns = np.nonzero(dense)
    indptr = np.zeros(dense.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=dense.shape[0]), out=indptr[1:])
    return SparseRows(indptr, columns.astype(np.int64), dense[rows, columns], dense.shape[1])


def summed_word_by_word(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``left @ right.T`` with each cell's terms added one by one in the order of the
    words (columns), from 0: how SciPy's sparse product summed them, in plain Python."""
    result = np.zeros((left.shape[0], right.shape[0]))
    for i, j in np.ndindex(*result.shape):
        total = 0.0
        for word in np.flatnonzero(left[i] * right[j]):
            total += left[i, word] * right[j, word]
        result[i, j] = total
    return result


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 30),
    columns=st.integers(0, 30),
    density=st.floats(0.0, 1.0),
    block=st.integers(1, 200),
    terms=st.integers(1, 500),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_product_made_in_blocks_is_summed_word_by_word(
    rows: int, columns: int, density: float, block: int, terms: int, seed: int
) -> None:
    """Bit for bit: each cell adds its terms in the order of the words, within one block,
    so neither the blocks nor the way from SciPy to numpy change a value (the reports
    stay byte-identical)."""
    generator = np.random.default_rng(seed)
    left, right = (
        generator.random((count, 20)) * (generator.random((count, 20)) < density)
        for count in (rows, columns)
    )
    expected = summed_word_by_word(left, right)
    saved = tfidf.BLOCK_CELLS, tfidf.BLOCK_TERMS
    tfidf.BLOCK_CELLS, tfidf.BLOCK_TERMS = block, terms
    try:
        blocked = tfidf.cosine(sparse(left), sparse(right))
        single = tfidf.cosine(sparse(left), sparse(right), np.float32)
    finally:
        tfidf.BLOCK_CELLS, tfidf.BLOCK_TERMS = saved
    assert blocked.dtype == np.float64 and np.array_equal(blocked, expected)
    assert single.dtype == np.float32 and np.array_equal(single, expected.astype(np.float32))


def test_tf_idf_rows_are_sublinear_weighted_and_of_length_one() -> None:
    vectoriser = tfidf.TfIdf([["duty", "duty", "logs"], ["logs"], []])
    matrix = vectoriser.transform([["duty", "duty", "logs", "unknown"], [], ["logs"]])
    assert matrix.indptr.tolist() == [0, 2, 2, 3] and matrix.indices.tolist() == [0, 1, 1]
    duty = (1 + np.log(2)) * (np.log(4 / 2) + 1)
    logs = np.log(4 / 3) + 1
    length = np.hypot(duty, logs)
    assert np.allclose(matrix.data, [duty / length, logs / length, 1.0])
    picked = tfidf.take_rows(matrix, [2, 0])
    assert picked.indptr.tolist() == [0, 1, 3] and picked.indices.tolist() == [1, 0, 1]
    assert picked.data.tolist() == [matrix.data[2], matrix.data[0], matrix.data[1]]
    by_word = tfidf.transpose(matrix)
    assert by_word.indptr.tolist() == [0, 1, 3] and by_word.indices.tolist() == [0, 0, 2]


def test_the_sentence_matrix_is_single_precision() -> None:
    from cop_diff.lexicon import load_lexicon
    from cop_diff.sentences import SentenceIndex

    old = outline("# Commitment 1. Logs\n\nSignatories shall keep logs. They shall report.\n")
    new = outline("# Commitment 1. Logs\n\nSignatories should keep logs.\n")
    index = SentenceIndex(old, new, load_lexicon())
    assert index.similarity.dtype == np.float32
    assert index.similarity.shape == (2, 1)
    assert index.best("new", 0, binding=True) == (0, pytest.approx(1.0, abs=1e-6))


# --------------------------------------------------------------------------- the same reports


def test_reports_are_the_same_whatever_the_block_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every matrix made in blocks (similarities, shared headings words, the duty ledger):
    blocks of a few cells give the report of blocks of millions, byte for byte; so do
    the containers' text scores made for each pass rather than kept for both."""
    from cop_diff import align, ledger
    from cop_diff.pipeline import Settings, compare_files
    from cop_diff.report import report_json

    settings = Settings(cache=False, workers=1)
    whole = report_json(compare_files(SAMPLE_V2, SAMPLE_V3, settings))
    monkeypatch.setattr(tfidf, "BLOCK_CELLS", 7)
    monkeypatch.setattr(ledger, "BLOCK_CELLS", 7)
    monkeypatch.setattr(align, "BLOCK_CELLS", 7)
    monkeypatch.setattr(tfidf, "BLOCK_TERMS", 5)
    monkeypatch.setattr(align, "KEPT_TEXT_SCORES", 0)
    assert report_json(compare_files(SAMPLE_V2, SAMPLE_V3, settings)) == whole


def test_a_huge_pairing_of_sentences_is_solved_slice_by_slice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past MAX_PAIRED_CELLS, the sentences of a provision are paired in consecutive
    slices: a provision that kept its sentences in order still has each one paired with
    itself, and nothing is paired twice."""
    from cop_diff.lexicon import load_lexicon
    from cop_diff.rules import base
    from cop_diff.sentences import SentenceIndex

    topics = ["logs", "incidents", "audits", "training data", "risk assessments", "reports"]
    verbs = ["keep", "publish", "review", "document", "notify", "assess"]
    sentences = [
        f"Signatories shall {v} the {t} for case {n}."
        for n in range(4)
        for v in verbs
        for t in topics
    ]
    text = "# Commitment 1. Everything\n\n" + " ".join(sentences) + "\n"
    old = new = outline(text)
    index = SentenceIndex(old, new, load_lexicon())
    everything = list(range(len(index.old)))
    assert len(everything) == len(sentences)
    whole = base.pair_sentences(index, everything, everything, flip=False)
    monkeypatch.setattr(base, "MAX_PAIRED_CELLS", 200)
    sliced = base.pair_sentences(index, everything, everything, flip=False)
    assert [(r, c) for r, c, _ in sliced] == [(r, c) for r, c, _ in whole]
    assert [(r, c) for r, c, _ in sliced] == [(i, i) for i in everything]
    assert all(similarity == pytest.approx(1.0, abs=1e-6) for _, _, similarity in sliced)


# --------------------------------------------------------------------------- the limits


def assert_one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("cop-diff: error: ")
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, (needle, result.stderr)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def draft(provisions: int, sentences: int = 1) -> str:
    """A Markdown draft of ``provisions`` measures, each of ``sentences`` sentences."""
    parts = ["# Code of Practice\n"]
    for n in range(1, provisions + 1):
        said = " ".join(
            f"Signatories shall keep record {n}.{k} of every flight." for k in range(sentences)
        )
        parts.append(f"## Measure {n}. Records {n}\n\n{said}\n")
    return "\n".join(parts)


def test_a_file_larger_than_max_input_mb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text(draft(40) + "\nAnnex. " + "logs and records " * 100_000, encoding="utf-8")
    assert 1.5 * 2**20 < path.stat().st_size < 2 * 2**20
    for command in (["outline", str(path)], ["compare", str(SAMPLE_V2), str(path)]):
        result = invoke(*command, "--max-input-mb", "1", "--no-cache")
        assert_one_line_error(result, str(path), "MB, more than --max-input-mb 1 allows")
    assert invoke("outline", str(path), "--max-input-mb", "2", "--no-cache").exit_code == 0


def test_input_size_is_limited_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --max-input-mb, the default applies (10 MB, lowered here to keep it small)."""
    from cop_diff import extract

    assert "default 10." in " ".join(invoke("outline", "--help").stdout.split())
    assert extract.DEFAULT_MAX_INPUT_MB == 10
    monkeypatch.setattr(extract, "DEFAULT_MAX_INPUT_MB", 1)
    path = tmp_path / "big.txt"
    path.write_bytes(b"Signatories shall keep logs.\n\n" * 40_000)
    assert_one_line_error(invoke("outline", str(path), "--no-cache"), "--max-input-mb 1")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_file_that_never_ends_is_read_no_further_than_the_limit() -> None:
    result = invoke("outline", "/dev/zero", "--no-cache")
    assert_one_line_error(result, "/dev/zero: larger than --max-input-mb 10 allows")


def test_a_draft_with_more_provisions_than_max_provisions_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.md"
    path.write_text(draft(60), encoding="utf-8")
    result = invoke("outline", str(path), "--max-provisions", "50", "--no-cache")
    assert_one_line_error(result, str(path), "provisions, more than --max-provisions 50")
    compared = invoke("compare", str(path), str(path), "--max-provisions", "50", "--no-cache")
    assert_one_line_error(compared, "--max-provisions 50")
    assert invoke("outline", str(path), "--max-provisions", "100", "--no-cache").exit_code == 0


def test_provisions_are_limited_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cop_diff import extract

    assert "default 5000." in " ".join(invoke("compare", "--help").stdout.split())
    assert extract.DEFAULT_MAX_PROVISIONS == 5000
    monkeypatch.setattr(extract, "DEFAULT_MAX_PROVISIONS", 20)
    path = tmp_path / "long.md"
    path.write_text(draft(30), encoding="utf-8")
    assert_one_line_error(invoke("outline", str(path), "--no-cache"), "--max-provisions 20")


def test_more_than_two_sentences_a_provision_allowed_is_refused(tmp_path: Path) -> None:
    """Ten provisions of 30 sentences: within --max-provisions 50 in provisions, not in
    sentences (the detectors compare every pair of sentences)."""
    path = tmp_path / "wordy.md"
    path.write_text(draft(10, sentences=30), encoding="utf-8")
    result = invoke("outline", str(path), "--max-provisions", "50", "--no-cache")
    assert_one_line_error(
        result, str(path), "sentences, more than --max-provisions 50 allows (2 a provision: 100)"
    )
    assert invoke("outline", str(path), "--max-provisions", "200", "--no-cache").exit_code == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("lines.txt", b"ab\n\n" * 3000),
        ("soup.html", b"<!doctype html><html><body>" + b"<p>ab</p>" * 3000 + b"</body></html>"),
    ],
)
def test_extraction_stops_at_ten_paragraphs_a_provision(
    tmp_path: Path, name: str, content: bytes
) -> None:
    """Millions of one-word paragraphs would take minutes and gigabytes before there are
    provisions to count: extraction stops at ten paragraphs for each one allowed."""
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke("outline", str(path), "--max-provisions", "100", "--no-cache")
    assert_one_line_error(
        result, str(path), "more than 1,000 paragraphs, too many for --max-provisions 100"
    )
    assert invoke("outline", str(path), "--max-provisions", "3000", "--no-cache").exit_code == 0


def test_a_pdf_page_drawing_too_many_characters_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pdf_engine: PdfEngineName
) -> None:
    """A small file whose one page shows a character a million times would take pdfminer
    gigabytes (a layout object for each); the limit is lowered here to keep it quick."""
    from cop_diff.extract import inflation

    monkeypatch.setattr(inflation, "MAX_PAGE_GLYPHS", 500)
    path = tmp_path / "busy.pdf"
    path.write_bytes(one_page_pdf(zlib.compress(b"BT /F1 12 Tf 72 720 Td (a) Tj ET\n" * 600)))
    engine = ("--pdf-engine", pdf_engine)
    result = invoke("outline", str(path), "--no-cache", *engine)
    assert_one_line_error(result, str(path), "a page draws more than 500 characters")
    path.write_bytes(one_page_pdf(zlib.compress(b"BT /F1 12 Tf 72 720 Td (a) Tj ET\n" * 400)))
    assert "a page draws" not in invoke("outline", str(path), "--no-cache", *engine).stderr
