"""Nothing from a draft runs, compare reaches for no network, hostile nesting ends cleanly."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from cop_diff.pipeline import compare_files
from cop_diff.render import render_report

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


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
