"""Nothing from a draft runs, compare reaches for no network, hostile nesting ends cleanly,
and a decompression bomb ends in a one-line error within bounded memory and time."""

from __future__ import annotations

import contextlib
import os
import random
import resource
import socket
import subprocess
import sys
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pdfminer import pdftypes
from pdfminer.lzw import lzwdecode
from pdfminer.runlength import rldecode

from cop_diff.errors import LimitError
from cop_diff.extract import ExtractSettings, extract
from cop_diff.extract.inflation import InflationBudget, bounded_inflation
from cop_diff.extract.pdfengine import PdfEngineName
from cop_diff.pipeline import compare_files
from cop_diff.render import render_report

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"
MIB = 1 << 20


def test_compare_and_every_export_make_no_network_access(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("cop-diff tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = compare_files(DRAFTS / "sample-v2.pdf", DRAFTS / "source" / "sample-v3.md")
    for output_format in ("json", "text", "html", "md", "csv", "docx"):
        assert render_report(result, output_format)


def run_outline(path: Path, seconds: int) -> subprocess.CompletedProcess[str]:
    """``cop-diff outline`` in a child process that may not run longer than ``seconds``."""
    return subprocess.run(
        [sys.executable, "-m", "cop_diff.cli", "outline", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=seconds,
        check=False,
    )


def test_deeply_nested_html_ends_in_time(tmp_path: Path) -> None:
    draft = tmp_path / "nested.html"
    draft.write_text(
        "<html><body>"
        + "<div>" * 100_000
        + "Signatories shall."
        + "</div>" * 100_000
        + "</body></html>",
        encoding="utf-8",
    )
    done = run_outline(draft, 60)
    assert done.returncode in (0, 2), done.stderr
    if done.returncode == 2:
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_deeply_nested_markdown_lists_end_in_time(tmp_path: Path) -> None:
    lines = [f"{'    ' * depth}- item {depth}" for depth in range(3000)]
    draft = tmp_path / "nested.md"
    draft.write_text("## Commitment 1. Deep\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    done = run_outline(draft, 120)
    assert done.returncode in (0, 2), done.stderr
    assert "Traceback" not in done.stderr


# --------------------------------------------------------------------------- decompression bombs


def zeros_zlib(mebibytes: int) -> bytes:
    """A zlib stream of ``mebibytes`` MiB of zeros, made in milliseconds.

    Deflating a gigabyte would take seconds: one MiB is deflated with a full flush, which
    makes its blocks stand alone, and repeated; the Adler-32 of n zeros is n mod 65521 in
    the high half and 1 in the low half.
    """
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    one_mebibyte = deflater.compress(bytes(MIB)) + deflater.flush(zlib.Z_FULL_FLUSH)
    last_block = deflater.flush(zlib.Z_FINISH)
    checksum = ((mebibytes * MIB) % 65521) << 16 | 1
    return b"\x78\xda" + one_mebibyte * mebibytes + last_block + checksum.to_bytes(4, "big")


def one_page_pdf(contents: list[bytes], filters: str) -> bytes:
    """A PDF of one page drawn by the content streams ``contents``, each under ``filters``,
    with a correct cross-reference table, so that pdfminer goes straight to the streams."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [%s] >>"
        % b" ".join(b"%d 0 R" % (4 + index) for index in range(len(contents))),
        *(
            b"<< /Length %d /Filter %s >>\nstream\n%s\nendstream"
            % (len(stream), filters.encode(), stream)
            for stream in contents
        ),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def lzw_zeros() -> bytes:
    """6 KB of LZW codes (as pdfminer reads them: 9 to 12 bits, early change) that decode
    to 7 MB of zeros: each code names the entry the decoder is about to add, one zero
    longer than the last."""
    codes = [256, 0, *range(258, 4096)]  # clear the table, a zero, then ever longer runs
    width, table_length = 9, 258
    packed = bit_count = 0
    for index, code in enumerate(codes):
        packed, bit_count = packed << width | code, bit_count + width
        if index >= 2:  # every code after the first literal adds an entry
            table_length += 1
            width = {511: 10, 1023: 11, 2047: 12}.get(table_length, width)
    padding = -bit_count % 8
    return (packed << padding).to_bytes((bit_count + padding) // 8, "big")


def run_limited(args: list[str], seconds: int) -> tuple[int, str, int, float]:
    """``cop-diff ARGS`` in a child process: exit code, stderr, peak RSS in MB, seconds.

    The child (and its worker processes, whose peak ``wait4`` reports with its own) may
    take 60 s of CPU and 2 GB of address space, so that a regression fails the test
    instead of the machine.
    """

    def limit_child() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        resource.setrlimit(resource.RLIMIT_CPU, (60, 60))

    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # numpy's threads reserve address space
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-m", "cop_diff.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=limit_child,
    )
    assert child.stderr is not None
    stderr = child.stderr.read()  # the one line; the pipe cannot fill up
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    assert elapsed < seconds, elapsed
    return child.returncode, stderr, usage.ru_maxrss // 1024, elapsed


@pytest.mark.parametrize(
    ("mebibytes", "filters"),
    [(1024, "/FlateDecode"), (2048, "[/FlateDecode /FlateDecode]")],
    ids=["1-GB-flate", "2-GB-flate-twice"],
)
def test_decompression_bomb_ends_in_a_limit_error(
    tmp_path: Path, mebibytes: int, filters: str, pdf_engine: PdfEngineName
) -> None:
    """A page whose content stream inflates to gigabytes, compared with a sample draft:
    the extraction in a worker process stops at the 256 MB limit, in about a second."""
    stream = zeros_zlib(mebibytes)
    if filters.count("Flate") == 2:
        stream = zlib.compress(stream, 9)
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(one_page_pdf([stream], filters))
    assert bomb.stat().st_size < 1.1 * MIB

    code, stderr, peak_mb, _ = run_limited(
        [
            "compare",
            str(bomb),
            str(DRAFTS / "sample-v2.pdf"),
            "--quiet",
            "--pdf-engine",
            pdf_engine,
        ],
        seconds=30,
    )
    assert code == 2, stderr
    assert stderr == (
        f"cop-diff: error: {bomb}: a compressed stream inflates beyond 256 MB; "
        "the file may be a decompression bomb\n"
    )
    assert peak_mb < 600, peak_mb  # 256 MB of output and the interpreter; never the gigabytes


def test_the_streams_of_a_draft_share_one_budget(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    """Three streams, each within the limit of one, are refused together."""
    spaces = zlib.compress(b" " * MIB)
    path = tmp_path / "many.pdf"
    path.write_bytes(one_page_pdf([spaces] * 3, "/FlateDecode"))
    limits = ExtractSettings(
        pdf_engine=pdf_engine,
        max_inflated_stream_bytes=2 * MIB,
        max_inflated_total_bytes=5 * MIB // 2,
    )
    with pytest.raises(LimitError, match=r"many\.pdf: the compressed streams inflate beyond "):
        extract(path, limits)


@pytest.mark.parametrize(
    ("stream", "filters"),
    [
        (zlib.compress(b"\x81\x00" * (MIB // 2)), "[/FlateDecode /RunLengthDecode]"),
        (lzw_zeros(), "/LZWDecode"),
    ],
    ids=["64-MB-run-length-under-flate", "7-MB-lzw"],
)
def test_every_expanding_filter_is_bounded(
    tmp_path: Path, stream: bytes, filters: str, pdf_engine: PdfEngineName
) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(one_page_pdf([stream], filters))
    limits = ExtractSettings(pdf_engine=pdf_engine, max_inflated_stream_bytes=4 * MIB)
    with pytest.raises(LimitError, match=r"inflates beyond 4 MB; the file may be a "):
        extract(path, limits)


def test_bounded_decoders_decode_as_pdfminer_does() -> None:
    budget = InflationBudget("draft.pdf", MIB << 10, MIB << 10)
    rng = random.Random(8)
    text = b"BT /F1 11 Tf (Signatories shall keep logs.) Tj ET\n" * 200
    deflated = zlib.compress(text)
    for damaged in (deflated[:-2], deflated[:-40], deflated[:-1] + b"\x00", deflated[:40]):
        assert budget.inflate_damaged(damaged) == pdftypes.decompress_corrupted(damaged)
    with pytest.raises(zlib.error):
        budget.inflate(deflated[:-40])
    assert budget.inflate(deflated) == text
    assert budget.lzw(lzw_zeros()) == lzwdecode(lzw_zeros())
    for _ in range(20):
        runs = b"".join(
            bytes([length]) + rng.randbytes(length + 1 if length < 128 else 1)
            for length in (
                rng.choice([rng.randrange(128), rng.randrange(129, 256)]) for _ in range(50)
            )
        )
        assert budget.run_length(runs + b"\x80") == rldecode(runs + b"\x80")
        assert budget.run_length(runs) == rldecode(runs)


def test_pdfminer_is_left_as_it_was(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    """Two drafts extracted at once in threads, one a bomb: each gets its own budget, and
    pdfminer's own decoders are back in place after (the pdfium engine has pdfminer's
    parser vet a file's streams first)."""
    originals = {name: getattr(pdftypes, name) for name in ("zlib", "lzwdecode", "rldecode")}
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(one_page_pdf([zeros_zlib(64)], "/FlateDecode"))
    small = ExtractSettings(pdf_engine=pdf_engine, max_inflated_stream_bytes=8 * MIB)
    with ThreadPoolExecutor(max_workers=2) as pool:
        refused = pool.submit(extract, bomb, small)
        sample = pool.submit(extract, DRAFTS / "sample-v2.pdf", small)
        assert sample.result().blocks
        with pytest.raises(LimitError):
            refused.result()
    assert {name: getattr(pdftypes, name) for name in originals} == originals
    assert pdftypes.zlib is zlib


def test_a_refusal_caught_inside_pdfminer_still_ends_the_extraction() -> None:
    budget = InflationBudget("draft.pdf", MIB, MIB)

    def lenient_parser() -> None:  # goes on past a stream it cannot decode
        with contextlib.suppress(LimitError):
            pdftypes.zlib.decompress(zeros_zlib(2))

    with pytest.raises(LimitError, match="decompression bomb"), bounded_inflation(budget):
        lenient_parser()
