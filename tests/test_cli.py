"""The command line as a user meets it: output, errors, exit codes, help."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from cop_diff import __version__
from cop_diff.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "drafts" / "sample-v2.pdf"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_outline_text_marks_what_binds() -> None:
    code, out, _ = run("outline", str(SAMPLE))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"{SAMPLE}:") and "profile cop-commitments" in lines[0]
    assert any(line.strip().startswith("* Commitment 1 · ") for line in lines)
    assert any(line.strip().startswith("- LEGAL TEXT") for line in lines)


def test_outline_json_has_the_provision_fields() -> None:
    code, out, _ = run("outline", str(SAMPLE), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    provisions = payload["provisions"]
    assert payload["format"] == "pdf" and payload["pages"] == 7
    fields = {"id", "label", "kind", "number", "heading", "parent", "binding", "page", "text"}
    assert all(set(p) == fields for p in provisions)
    ids = {p["id"] for p in provisions}
    assert all(p["parent"] is None or p["parent"] in ids for p in provisions)
    labels = [p["label"] for p in provisions if p["kind"] == "commitment"]
    assert labels == [f"Commitment {n}" for n in range(1, 10)]


def test_outline_html_escapes_draft_text(tmp_path: Path) -> None:
    draft = tmp_path / "hostile.md"
    draft.write_text(
        "## Commitment 1. Scripts <script>alert(1)</script>\n\nSignatories shall {{ 7*7 }}.\n\n"
        "## Commitment 2. Images\n\n<img src=x onerror=alert(2)>\n",
        encoding="utf-8",
    )
    code, out, _ = run("outline", str(draft), "--format", "html")
    assert code == 0
    page = lxml.html.fromstring(out)
    assert not page.xpath("//script") and not page.xpath("//img")
    assert "{{ 7*7 }}" in page.text_content()


def missing(folder: Path) -> Path:
    return folder / "missing.pdf"


def directory(folder: Path) -> Path:
    return folder


def empty(folder: Path) -> Path:
    path = folder / "empty.pdf"
    path.write_bytes(b"")
    return path


def html_named_pdf(folder: Path) -> Path:
    path = folder / "page.pdf"
    path.write_text("<html><body>404 Not Found</body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (missing, "no such file"),
        (directory, "is a directory"),
        (empty, "empty"),
        (html_named_pdf, "not a PDF"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    path = make(tmp_path)
    code, out, err = run("outline", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and str(path) in err
    assert "Traceback" not in err


def test_every_command_has_help_with_an_example() -> None:
    for name, command in main.commands.items():
        code, out, _ = run(name, "--help")
        assert code == 0, name
        assert command.help and "Example:" in out, name
