"""Acceptance checks of extraction and segmentation on the real drafts (../shared/drafts).

Only facts about structure are asserted (labels, counts, nesting, binding), never the
drafts' sentences.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from cop_diff.model import Outline, Provision

GetOutline = Callable[[str], Outline]


def labels_of(outline: Outline, kind: str) -> list[str]:
    return [p.label for p in outline.provisions if p.kind == kind]


def only(outline: Outline, label: str, kind: str | None = None) -> Provision:
    found = [p for p in outline.provisions if p.label == label and (kind is None or p.kind == kind)]
    assert len(found) == 1, f"{label}: {len(found)} provisions"
    return found[0]


def children(outline: Outline, provision: Provision, kind: str | None = None) -> list[Provision]:
    return [
        p
        for p in outline.provisions
        if p.parent == provision.id and (kind is None or p.kind == kind)
    ]


def test_second_draft_commitments_once_each_with_measures(real_outline: GetOutline) -> None:
    outline = real_outline("cop-d2.pdf")
    assert outline.profile == "cop-commitments"
    assert labels_of(outline, "commitment") == [f"Commitment {n}" for n in range(1, 22)]
    commitment_4 = only(outline, "Commitment 4", "commitment")
    assert commitment_4.heading == "Safety and Security Framework"
    measures = [p.label for p in children(outline, commitment_4, "measure")]
    assert measures == [f"Measure 4.{n}" for n in range(1, 7)]
    measure_labels = labels_of(outline, "measure")
    assert len(measure_labels) == len(set(measure_labels))


def test_second_draft_selected_risks_and_whistleblowing_bullets(real_outline: GetOutline) -> None:
    outline = real_outline("cop-d2.pdf")
    section = only(outline, "3.2", "section")
    assert section.heading == "Selected Systemic Risks"
    assert section.parent == only(outline, "Commitment 3", "commitment").id
    risks = children(outline, section, "list-item")
    assert len(risks) == 5
    assert all(r.binding for r in risks)
    commitment_18 = only(outline, "Commitment 18", "commitment")
    bullets = children(outline, commitment_18, "list-item")
    assert len(bullets) == 5
    assert all(b.binding and b.label == "•" for b in bullets)


def test_third_draft_pdf_commitments_measures_appendix(real_outline: GetOutline) -> None:
    outline = real_outline("cop-d3.pdf")
    expected = ["Commitment I.1", "Commitment I.2"] + [f"Commitment II.{n}" for n in range(1, 17)]
    assert labels_of(outline, "commitment") == expected
    commitment = only(outline, "Commitment II.4", "commitment")
    measures = [p.label for p in children(outline, commitment, "measure")]
    assert measures == [f"Measure II.4.{n}" for n in range(1, 15)]
    appendix = only(outline, "Appendix 1", "appendix")
    parts = [p.label for p in children(outline, appendix, "appendix")]
    assert parts == [f"Appendix 1.{n}" for n in range(1, 5)]
    for label in ("Appendix 1.1", "Appendix 1.2", "Appendix 1.3"):
        assert children(outline, only(outline, label), "list-item"), label


def test_first_draft_measures_and_sub_measures(real_outline: GetOutline) -> None:
    outline = real_outline("cop-d1.pdf")
    assert outline.profile == "cop-measures"
    assert labels_of(outline, "measure") == [f"Measure {n}" for n in range(1, 23)]
    sub_measures = [p for p in outline.provisions if p.kind == "sub-measure"]
    assert len(sub_measures) > 30
    by_id = {p.id: p for p in outline.provisions}
    for sub in sub_measures:
        parent = by_id[sub.parent or ""]
        assert parent.kind == "measure"
        assert sub.number and sub.number.split(".")[0] == parent.number, sub.label


FURNITURE = re.compile(r"DRAFT DOCUMENT|\.{5,}\s*\d+|\b\d{1,2} / \d{2}\b")


@pytest.mark.parametrize(
    ("name", "toc_lines"), [("cop-d1.pdf", 15), ("cop-d2.pdf", 15), ("cop-d3.pdf", 0)]
)
def test_no_page_furniture_inside_provisions(
    real_outline: GetOutline, name: str, toc_lines: int
) -> None:
    outline = real_outline(name)
    for provision in outline.provisions:
        text = f"{provision.heading}\n{provision.text}"
        assert not FURNITURE.search(text), (provision.id, FURNITURE.search(text))
    dropped = Counter(d.reason for d in outline.document.dropped)
    assert dropped["header"] >= outline.document.pages * 0.8  # type: ignore[operator]
    assert dropped["toc"] >= toc_lines


@pytest.mark.parametrize("name", ["cop-d1.pdf", "cop-d2.pdf", "cop-d3.pdf"])
def test_line_end_hyphens_joined(real_outline: GetOutline, name: str) -> None:
    """A word hyphenated at a line end reads as one word, never "word- continuation"."""
    joins = 0
    for block in real_outline(name).document.blocks:
        for line, following in zip(block.lines, block.lines[1:], strict=False):
            head = re.search(r"(\w+)-$", line.text)
            tail = re.match(r"(\w+)", following.text)
            suspended = tail is not None and tail.group(1) in ("and", "or", "to")  # "grey- or"
            if head and tail and following.text[0].islower() and not suspended:
                joins += 1
                broken = f"{head.group(1)}- {tail.group(1)}"
                assert broken not in block.text, (block.page, broken)
                assert f"{head.group(1)}-{tail.group(1)}" in block.text or (
                    f"{head.group(1)}{tail.group(1)}" in block.text
                )
    assert joins > 5


BOX_KINDS = (
    "legal-text",
    "recital-box",
    "recital",
    "explanatory",
    "kpi",
    "open-question",
    "info-box",
    "box",
)


@pytest.mark.parametrize("name", ["cop-d1.pdf", "cop-d2.pdf", "cop-d3.pdf"])
def test_boxes_do_not_bind_and_operative_text_does(real_outline: GetOutline, name: str) -> None:
    outline = real_outline(name)
    by_id = {p.id: p for p in outline.provisions}
    for provision in outline.provisions:
        if provision.kind in BOX_KINDS or provision.kind == "overview":
            assert not provision.binding, provision.id
        if provision.kind in ("commitment", "measure", "sub-measure"):
            assert provision.binding, provision.id
        ancestor = by_id.get(provision.parent or "")
        while ancestor is not None:
            if ancestor.kind in BOX_KINDS:
                assert not provision.binding, provision.id
            ancestor = by_id.get(ancestor.parent or "")


def test_box_kinds_found_in_each_draft(real_outline: GetOutline) -> None:
    kinds = {
        name: Counter(p.kind for p in real_outline(name).provisions)
        for name in ("cop-d1.pdf", "cop-d2.pdf", "cop-d3.pdf")
    }
    assert kinds["cop-d1.pdf"]["legal-text"] >= 3 and kinds["cop-d1.pdf"]["open-question"] >= 10
    assert kinds["cop-d2.pdf"]["legal-text"] >= 3 and kinds["cop-d2.pdf"]["explanatory"] >= 15
    assert kinds["cop-d2.pdf"]["kpi"] >= 10
    assert kinds["cop-d3.pdf"]["legal-text"] >= 10 and kinds["cop-d3.pdf"]["explanatory"] >= 20
    assert kinds["cop-d3.pdf"]["recital-box"] >= 10 and kinds["cop-d3.pdf"]["recital"] >= 10


def test_ids_unique_and_parents_precede_children(real_outline: GetOutline) -> None:
    for name in ("cop-d1.pdf", "cop-d2.pdf", "cop-d3.pdf"):
        seen: set[str] = set()
        for provision in real_outline(name).provisions:
            assert provision.id not in seen
            assert provision.parent is None or provision.parent in seen
            seen.add(provision.id)


def normalised(text: str) -> str:
    return " ".join(text.split())


def test_third_draft_html_and_pdf_agree(real_outline: GetOutline) -> None:
    """Same labels, and every binding provision's words equal, whatever the layout."""
    html = real_outline("cop-d3.html")
    pdf = real_outline("cop-d3.pdf")
    numbered = ("commitment", "measure", "appendix")
    assert [p.label for p in html.provisions if p.kind in numbered] == [
        p.label for p in pdf.provisions if p.kind in numbered
    ]
    pdf_by_id = {p.id: p for p in pdf.provisions}
    binding = [p for p in html.provisions if p.binding]
    assert len(binding) > 300
    assert len(binding) == sum(p.binding for p in pdf.provisions)
    mismatched = [
        p.id
        for p in binding
        if p.id not in pdf_by_id
        or normalised(p.heading + " " + p.text)
        != normalised(pdf_by_id[p.id].heading + " " + pdf_by_id[p.id].text)
        or p.label != pdf_by_id[p.id].label
    ]
    assert mismatched == []


def test_a_real_draft_read_in_page_ranges_equals_the_whole(shared_drafts: Path) -> None:
    from cop_diff.extract import (
        ExtractSettings,
        assemble_ranges,
        extract,
        page_ranges,
        read_page_range,
    )

    path = shared_drafts / "cop-d2.pdf"
    settings = ExtractSettings(pdf_engine="pdfminer")  # pdfium reads a draft whole
    parts = page_ranges(path, settings, 4)
    assert parts is not None and len(parts) == 4
    whole = extract(path, settings)
    assert assemble_ranges(parts, [read_page_range(part) for part in parts]) == whole


# --- tables (#14 item 5) -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cop-d1.pdf", "cop-d2.pdf"])
def test_the_documentation_table_is_a_provision_whose_items_are_its_rows(
    real_outline: GetOutline, name: str
) -> None:
    """D1 and D2 print the documentation to draw up as a four-column ruled table over
    several pages: one "table" provision, its header its text, each row an item whose
    cells are kept apart, the check marks kept as text."""
    outline = real_outline(name)
    (table,) = (p for p in outline.provisions if p.kind == "table")
    assert len(re.split(r" ?\| ?", table.text)) == 4  # four columns; an empty cell is "| |"
    rows = children(outline, table)
    assert len(rows) >= 10
    assert [(r.kind, r.label) for r in rows] == [
        ("list-item", f"Row {n}") for n in range(1, len(rows) + 1)
    ]
    for row in rows:
        reference, information, office, downstream = re.split(r" ?\| ?", row.text)
        assert re.match(r"(Annex|Article) ", reference), reference
        assert information and not re.search(r"(Annex|Article) [XIV\d]+ §", information)
        assert set(f"{office}{downstream}") <= {"✓", " "}, (office, downstream)
    assert sum("✓" in row.text for row in rows) >= len(rows) // 2
    assert not any("\U0001f5f8" in p.text for p in outline.provisions)


@pytest.mark.parametrize("engine", ["pdfium", "pdfminer"])
def test_no_run_of_text_crosses_a_column_of_the_d2_table(shared_drafts: Path, engine: str) -> None:
    """Geometry, with either engine: every line in a table cell lies between its column's
    rules, and no line outside a table reaches into one, on every page of D2."""
    from cop_diff.extract.pdf import read_pdf_pages
    from cop_diff.extract.pdfgrid import lay_out

    data = (shared_drafts / "cop-d2.pdf").read_bytes()
    tables = 0
    read = read_pdf_pages(data, source="cop-d2.pdf", engine=engine)  # type: ignore[arg-type]
    for page in read.pages:
        laid_out = lay_out(page)
        for table in laid_out.tables:
            tables += 1
            edges = table.grid.columns
            for row in table.rows:
                for column, cell in enumerate(row.cells):
                    for line in cell:
                        assert edges[column] - 1 <= line.x0 and line.x1 <= edges[column + 1] + 1
            bounds = table.grid.bounds
            for line in laid_out.lines:
                beside = line.bottom <= bounds.top or line.top >= bounds.bottom
                assert beside or line.x1 <= bounds.x0 or line.x0 >= bounds.x1, line
    assert tables >= 5  # the table runs over pages 12 to 18
