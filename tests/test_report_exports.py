"""The exports: a Markdown summary, a CSV of findings and a Word document with tracked
changes, each safe against hostile draft text."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from pathlib import Path

import cmarkgfm
from click.testing import CliRunner
from lxml import etree

from cop_diff.cli import main
from cop_diff.exports.csvfile import COLUMNS, render_csv, safe_cell
from cop_diff.exports.docx import W_NS, render_docx
from cop_diff.exports.markdown import escape_markdown, render_markdown
from cop_diff.model import Comparison, Finding
from cop_diff.pipeline import compare_files
from cop_diff.redline import build_redline
from tests.report_support import (
    artifact,
    controlled_comparison,
    office_pdf,
    write_hostile_drafts,
)

W = f"{{{W_NS}}}"
HOSTILE_SNIPPETS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(3)>",
    "{{ 7*7 }}",
    "@everyone",
    "[link](javascript:alert(1))",
    "*bold* _it_ ~~gone~~ `code` | pipe & &amp; \\ $x$ #12",
    "see https://evil.example/a?b=c, HTTP://EVIL.EXAMPLE and ftp://files.example",
    "or www.evil.example/path and WWW.Evil.Example",
)
EMAILS = ("write to press@evil.example.org", "mailto:someone@evil.example")


def hostile_comparison(folder: Path) -> Comparison:
    """The hostile drafts, with findings whose every text field is hostile too."""
    comparison = compare_files(*write_hostile_drafts(folder))
    old, new = comparison.old.provisions[0].id, comparison.new.provisions[0].id
    nasty = " ".join(HOSTILE_SNIPPETS)
    findings = tuple(
        Finding(
            rule="modal-weakened",
            direction=direction,
            old=old,
            new=new,
            old_text=f"=HYPERLINK(1) {nasty}\n- list line\n```",
            new_text=f"-1 {nasty} <script>alert(2)</script>",
            explanation=f"+{nasty}",
            confidence=0.5,
            rationale=f"@{nasty}",
        )
        for direction in ("weakening", "strengthening", "neutral")
    )
    return dataclasses.replace(comparison, findings=findings)


def markdown_html(text: str) -> str:
    """How GitHub renders it: its own fork of cmark, with tables, strikethrough and the
    autolinks of bare web and e-mail addresses."""
    return cmarkgfm.github_flavored_markdown_to_html(text)


# --- Markdown ---------------------------------------------------------------------------


def test_escaped_text_renders_as_itself() -> None:
    for snippet in HOSTILE_SNIPPETS:
        html = markdown_html(f"Before {escape_markdown(snippet)} after\n")
        paragraph = etree.fromstring(html.encode())
        assert len(paragraph) == 0, html  # no element: no link, emphasis, code or tag
        assert paragraph.text == f"Before {snippet} after"


def test_no_address_in_draft_text_becomes_a_link() -> None:
    """GitHub links bare addresses (https://, www., e-mail) whatever is escaped: draft
    text must not, so an e-mail address is shown as code and web addresses as text."""
    for snippet in EMAILS:
        html = markdown_html(escape_markdown(snippet) + "\n")
        paragraph = etree.fromstring(html.encode())
        assert "<a " not in html and "".join(paragraph.itertext()) == snippet, html
        assert [child.tag for child in paragraph] == ["code"]


def test_text_cannot_start_a_block() -> None:
    for snippet in ("- item", "1. item", "# heading", "> quote", "===", "    code"):
        html = markdown_html(escape_markdown(snippet) + "\n")
        assert html.startswith("<p>"), html


def test_markdown_summary_weaker_first_with_diff_evidence() -> None:
    text = render_markdown(controlled_comparison())
    assert text.index("## What got weaker (3)") < text.index("## What got stronger (1)")
    assert text.index("## What got stronger (1)") < text.index("## Other changes (1)")
    assert "```diff\n- Signatories commit to sharing information\n" in text
    assert "+ Signatories are encouraged to share information\n```" in text
    assert "**3 weaker, 1 stronger, 0 worth a look, 1 other changes.**" in text
    assert "> **The drafters' note:** Operators asked for flexibility\\." not in text
    assert "> **The drafters' note:** Operators asked for flexibility." in text
    html = markdown_html(text)
    assert "<table>" in html and '<pre lang="diff">' in html


def test_markdown_of_a_hostile_draft_stays_text(tmp_path: Path) -> None:
    text = render_markdown(hostile_comparison(tmp_path))
    html = markdown_html(text)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "<a " not in html and "<em>" not in html and "<del>" not in html
    assert "{{ 7*7 }}" in text and "publish 49" not in text  # not a template
    # The evidence sits in diff blocks, shown as typed; the fence is never closed early.
    assert html.count('<pre lang="diff">') == 2  # neutral ones are one line
    assert "+ -1 " in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    # Headings, explanations and notes: the literal text, in the right elements.
    document = etree.fromstring(f"<div>{html}</div>".encode())
    explanations = [p for p in document.iter("p") if "modal-weakened" in "".join(p.itertext())]
    assert explanations and all(HOSTILE_SNIPPETS[0] in "".join(p.itertext()) for p in explanations)
    assert document.findall(".//blockquote")


def test_md_from_extension(tmp_path: Path) -> None:
    old, new = write_hostile_drafts(tmp_path)
    out = tmp_path / "summary.md"
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert out.read_text(encoding="utf-8").startswith("# Redline: ")


# --- CSV -------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")  # so that Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_one_row_per_finding_with_all_fields() -> None:
    comparison = controlled_comparison()
    rows = read_csv(render_csv(comparison))
    assert len(rows) == len(comparison.findings)
    assert tuple(rows[0]) == COLUMNS
    first = rows[0]
    assert first["rule"] == "modal-weakened" and first["direction"] == "weakening"
    assert first["old_label"] == "Measure 7.3" and first["new_label"] == "Measure II.6.3"
    assert (first["old_page"], first["new_page"], first["tier"]) == ("6", "5", "finding")
    assert first["confidence"] == "0.9" and first["rationale"] == "Operators asked for flexibility."
    assert [r["direction"] for r in rows] == [
        "weakening",
        "weakening",
        "weakening",
        "strengthening",
        "neutral",
    ]


def test_csv_cells_cannot_become_formulas() -> None:
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(cell) == "'" + cell
    assert safe_cell("Signatories shall") == "Signatories shall"


def test_csv_of_a_hostile_draft(tmp_path: Path) -> None:
    rows = read_csv(render_csv(hostile_comparison(tmp_path)))
    assert len(rows) == 3
    cells = [value for row in rows for value in row.values()]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    first = rows[0]
    assert first["old_text"].startswith("'=HYPERLINK(1) <script>")  # kept, as text
    assert first["new_text"].startswith("'-1 ") and first["rationale"].startswith("'@")
    assert "\n- list line\n```" in first["old_text"]  # newlines survive quoting


# --- DOCX ------------------------------------------------------------------------------


def docx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.testzip() is None
        return {name: package.read(name) for name in package.namelist()}


def side_text(body: etree._Element, accept: bool) -> str:
    """The document's text with every change accepted (or every change rejected)."""
    drop = "del" if accept else "ins"
    pieces = []
    for paragraph in body.iter(f"{W}p"):
        mark = paragraph.find(f"{W}pPr/{W}rPr/{W}{drop}")
        if mark is not None:
            continue  # the whole paragraph is on the other side
        for node in paragraph.iter(f"{W}t", f"{W}delText", f"{W}br"):
            if any(a.tag == f"{W}{drop}" for a in node.iterancestors()):
                continue
            pieces.append(" " if node.tag == f"{W}br" else (node.text or ""))
        pieces.append(" ")
    return " ".join("".join(pieces).split())


def test_docx_is_a_minimal_valid_package_with_tracked_changes() -> None:
    data = render_docx(controlled_comparison())
    parts = docx_parts(data)
    assert set(parts) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/_rels/document.xml.rels",
        "word/styles.xml",
        "word/comments.xml",
    }
    document = etree.fromstring(parts["word/document.xml"])
    insertions, deletions = document.findall(f".//{W}ins"), document.findall(f".//{W}del")
    assert insertions and deletions
    revisions = insertions + deletions
    assert {r.get(f"{W}author") for r in revisions} == {"cop-diff"}
    assert len({r.get(f"{W}date") for r in revisions}) == 1
    ids = [r.get(f"{W}id") for r in revisions]
    assert len(ids) == len(set(ids))
    assert render_docx(controlled_comparison()) == data  # same bytes every time


def test_docx_summary_first_comments_on_weakenings_and_headings() -> None:
    """#14: the findings first; a Word comment on each weakened provision; Word's heading
    styles (with outline levels) so that the navigation pane lists the document's parts."""
    comparison = controlled_comparison()
    parts = docx_parts(render_docx(comparison))
    document = etree.fromstring(parts["word/document.xml"])
    paragraphs = ["".join(p.itertext()) for p in document.iter(f"{W}p")]
    summary = paragraphs.index("Summary of findings")
    whole = paragraphs.index("The whole document")
    assert summary < paragraphs.index("What got weaker (3)") < whole
    redline = build_redline(comparison)
    for view in redline.by_direction("weakening"):
        assert any(text.startswith(f"{view.where}: {view.statement}") for text in paragraphs)
    # One comment per weakening, anchored on its provision's paragraph in the document.
    comments = etree.fromstring(parts["word/comments.xml"]).findall(f"{W}comment")
    assert len(comments) == len(redline.by_direction("weakening"))
    for comment in comments:
        anchored = document.xpath(
            "//w:p[w:commentRangeStart/@w:id=$id]", namespaces={"w": W_NS}, id=comment.get(f"{W}id")
        )
        assert len(anchored) == 1 and paragraphs.index("".join(anchored[0].itertext())) > whole
        assert "".join(comment.itertext()).startswith("Weaker (")
    styles = etree.fromstring(parts["word/styles.xml"])
    levels = styles.xpath("//w:style[w:pPr/w:outlineLvl]/@w:styleId", namespaces={"w": W_NS})
    assert levels == ["Heading1", "Heading2", "Heading3"]
    used = document.xpath("//w:pStyle/@w:val", namespaces={"w": W_NS})
    assert {"Heading1", "Heading2", "Heading3"} <= set(used)


def test_docx_accept_all_reads_new_reject_all_reads_old() -> None:
    comparison = controlled_comparison()
    document = etree.fromstring(docx_parts(render_docx(comparison))["word/document.xml"])
    body = document.find(f"{W}body")
    accepted, rejected = side_text(body, accept=True), side_text(body, accept=False)

    def flat(text: str) -> str:
        return " ".join(text.split())

    for provision in comparison.new.provisions:
        assert flat(provision.text) in accepted, provision.id
    for provision in comparison.old.provisions:
        assert flat(provision.text) in rejected, provision.id
    assert "Signatories shall update the operations manual" in rejected
    assert "Signatories shall update the operations manual" not in accepted


def test_docx_of_a_hostile_draft_is_well_formed(tmp_path: Path) -> None:
    old, new = write_hostile_drafts(tmp_path)
    out = tmp_path / "hostile.docx"
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "-o", str(out)])
    assert result.exit_code == 1, result.output
    xml = docx_parts(out.read_bytes())["word/document.xml"]
    document = etree.fromstring(xml)
    assert b"<script>" not in xml and b"&lt;script&gt;" in xml
    assert "{{ 7*7 }}" in "".join(document.itertext())


def test_docx_opens_in_libreoffice(tmp_path: Path) -> None:
    """LibreOffice opens it, prints it, and reads its comments and headings as such."""
    source = tmp_path / "sample.docx"
    comparison = controlled_comparison()
    source.write_bytes(render_docx(comparison))
    data = office_pdf(source).read_bytes()
    assert data.startswith(b"%PDF") and re.search(rb"/Type\s*/Page\b", data)
    artifact("sample-redline-docx.pdf").write_bytes(data)
    with zipfile.ZipFile(office_pdf(source, "odt")) as package:
        content = etree.fromstring(package.read("content.xml"))
    office_ns = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    annotations = content.findall(f".//{{{office_ns}}}annotation")
    assert len(annotations) == len(build_redline(comparison).by_direction("weakening"))
    headings = content.findall(f".//{{{text_ns}}}h")
    assert {h.get(f"{{{text_ns}}}outline-level") for h in headings} == {"1", "2", "3"}
