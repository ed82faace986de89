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
    # Named by its title, date and file name, never by the folders it was read from.
    assert (
        lines[0].startswith("Second Draft Code of Practice for Operators")
        and "(20 Jul 2032, sample-v2.pdf):" in lines[0]
    )
    assert "profile cop-commitments" in lines[0] and str(SAMPLE.parent) not in out
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


def test_compare_exit_codes_follow_diff(tmp_path: Path) -> None:
    v2, v3 = str(ROOT / "drafts" / "sample-v2.pdf"), str(ROOT / "drafts" / "sample-v3.pdf")
    assert run("compare", v2, v2)[0] == 0
    code, out, _ = run("compare", v2, v3)
    assert code == 1 and "removed" in out
    assert run("compare", v2, str(tmp_path / "nothing.pdf"))[0] == 2


def test_compare_writes_json_atomically(tmp_path: Path) -> None:
    v2, v3 = str(ROOT / "drafts" / "sample-v2.pdf"), str(ROOT / "drafts" / "sample-v3.pdf")
    target = tmp_path / "report.json"
    code, out, err = run("compare", v2, v3, "-o", str(target))
    assert code == 1 and out == "" and str(target) in err
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "cop-diff/report/1"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_compare_into_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    v2 = str(ROOT / "drafts" / "sample-v2.pdf")
    code, _, err = run("compare", v2, v2, "-o", str(tmp_path / "no" / "report.json"))
    assert code == 2 and "does not exist" in err and err.count("\n") == 1
    assert not (tmp_path / "no").exists()


GROWN = {
    "old.md": "## Commitment 1. Logs\n\nSignatories shall keep logs of every flight.\n",
    "new.md": "## Commitment II.1. Logs\n\nSignatories shall keep logs of every flight.\n\n"
    "## Commitment II.2. Reports\n\nSignatories shall report incidents to the Authority.\n",
}


def test_fail_on_weakening_ignores_other_changes(tmp_path: Path) -> None:
    for name, text in GROWN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    old, new = str(tmp_path / "old.md"), str(tmp_path / "new.md")
    assert run("compare", old, new)[0] == 1  # a commitment was added: a change
    assert run("compare", old, new, "--fail-on", "weakening")[0] == 0  # but nothing weaker
    assert run("compare", new, new)[0] == 0


def test_rules_lists_every_detector() -> None:
    from cop_diff.rules import RULES

    code, out, _ = run("rules")
    assert code == 0
    for rule in RULES:
        assert rule.code in out and all(kind in out for kind in rule.kinds)


HEDGED = {
    "old.md": "## Commitment 1. Logs\n\nSignatories commit to keeping logs.\n\n"
    "### Measure 1.1. Flight logs\n\nSignatories shall keep a log of every flight.\n",
    "new.md": "## Commitment 1. Logs\n\nSignatories commit to keeping logs.\n\n"
    "### Measure 1.1. Flight logs\n\nSignatories shall keep a log of every flight, "
    "insofern zumutbar.\n",
}


def test_a_user_lexicon_extends_the_detectors(tmp_path: Path) -> None:
    for name, text in HEDGED.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    old, new = str(tmp_path / "old.md"), str(tmp_path / "new.md")
    assert "qualifier-added" not in run("compare", old, new)[1]
    lexicon = tmp_path / "extra.toml"
    lexicon.write_text('hedges = ["insofern zumutbar"]\n', encoding="utf-8")
    code, out, _ = run("compare", old, new, "--lexicon", str(lexicon))
    assert code == 1 and "qualifier-added" in out and "insofern zumutbar" in out


def test_a_broken_lexicon_is_a_clear_error(tmp_path: Path) -> None:
    lexicon = tmp_path / "broken.toml"
    lexicon.write_text("hedges = [", encoding="utf-8")
    v2 = str(ROOT / "drafts" / "sample-v2.pdf")
    code, _, err = run("compare", v2, v2, "--lexicon", str(lexicon))
    assert code == 2 and "lexicon" in err and err.count("\n") == 1


def test_only_and_min_confidence_pick_findings_in_every_format(tmp_path: Path) -> None:
    old, new = SAMPLE.parent / "sample-v2.pdf", SAMPLE.parent / "sample-v3.pdf"
    out = tmp_path / "weaker.json"
    code, text, _ = run(
        "compare", str(old), str(new), "--only", "weakening", "--min-confidence", "0.7", "-q"
    )
    assert code == 1 and "Showing only findings that lean weaker with confidence 0.7" in text
    code, _, _ = run(
        "compare",
        str(old),
        str(new),
        "--only",
        "weakening",
        "--min-confidence",
        "0.7",
        "-o",
        str(out),
        "-q",
    )
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert code == 1 and findings
    assert all(f["leaning"] == "weakening" and f["confidence"] >= 0.7 for f in findings)
    code, text, _ = run("compare", str(old), str(new), "--only", "change", "-q")
    assert "Weaker (" not in text and "Other changes (" in text
