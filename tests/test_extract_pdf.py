"""The PDF extractor's clean-ups, each on a small PDF built here with fpdf2 (tests/pdf_factory.py).

Every test runs with each PDF engine (the ``pdf_engine`` fixture). The wording is
invented, in the style of a code of practice.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from cop_diff.errors import ExtractionError, InputError
from cop_diff.extract import ExtractSettings, extract
from cop_diff.extract.pdfengine import PdfEngineName
from cop_diff.model import Block, Document
from cop_diff.segment import segment
from tests.pdf_factory import Box, Gap, Item, Rect, Table, Text, make_pdf


def extract_built(
    tmp_path: Path,
    pages: Sequence[Sequence[Item]],
    header: str | None = None,
    footer: str | None = None,
    first_page: int = 1,
    *,
    engine: PdfEngineName,
) -> Document:
    path = make_pdf(tmp_path / "draft.pdf", pages, header, footer, first_page)
    return extract(path, ExtractSettings(pdf_engine=engine))


def block_with(document: Document, fragment: str) -> Block:
    """The one block whose text contains ``fragment``."""
    found = [block for block in document.blocks if fragment in block.text]
    assert len(found) == 1, f"{fragment!r} in {len(found)} blocks: {document.blocks}"
    return found[0]


def all_text(document: Document) -> str:
    return "\n".join(block.text for block in document.blocks)


def body_page(number: int) -> list[Item]:
    return [
        Text(f"Commitment {number}. Incident reporting", size=14),
        Gap(),
        Text("Signatories shall keep track of serious incidents and report them to"),
        Text("the AI Office without undue delay."),
    ]


# --- 1. running headers, footers, page numbers ------------------------------------------------


@pytest.mark.parametrize(
    ("footer", "first_page", "first_label", "reasons"),
    [
        ("{page} / {pages}", 1, "1 / 3", {"footer", "page-number"}),
        ("{page}", 7, "7", {"page-number"}),
        ("Second draft, {page} of {pages}", 1, "Second draft, 1 of 3", {"footer", "page-number"}),
    ],
)
def test_running_header_and_footer_are_dropped(
    tmp_path: Path,
    footer: str,
    first_page: int,
    first_label: str,
    reasons: set[str],
    pdf_engine: PdfEngineName,
) -> None:
    near_top = "Signatories shall appoint a contact point for the AI Office."
    pages = [body_page(1), [Text(near_top, y=60), Gap(40), *body_page(2)], body_page(3)]
    document = extract_built(
        tmp_path, pages, "DRAFT DOCUMENT", footer, first_page, engine=pdf_engine
    )

    headers = [(d.text, d.reason, d.page) for d in document.dropped if d.text == "DRAFT DOCUMENT"]
    assert headers == [("DRAFT DOCUMENT", "header", n) for n in (1, 2, 3)]
    footers = [d for d in document.dropped if d.text != "DRAFT DOCUMENT"]
    assert [d.page for d in footers] == [1, 2, 3]
    assert footers[0].text == first_label
    assert {d.reason for d in footers} <= reasons
    text = all_text(document)
    assert "DRAFT DOCUMENT" not in text
    assert first_label not in text
    # A body line inside the top band but printed on one page only is the draft's own text.
    assert block_with(document, near_top).text == near_top
    assert near_top not in [d.text for d in document.dropped]
    assert len([b for b in document.blocks if b.kind == "heading"]) == 3


# --- 2. paragraphs across page breaks ---------------------------------------------------------


def test_paragraph_continues_across_page_break(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    pages: list[list[Item]] = [
        [
            Text("Commitment 2. Incident reporting", size=14),
            Gap(),
            Text("Signatories shall ensure that the information referred to in this", y=690),
            Text("Commitment is complete, accurate and kept up to date, and that it is"),
        ],
        [
            Text("made available to the AI Office upon request."),
            Gap(),
            Text("Signatories shall designate a person responsible for reporting and"),
            Text("shall give that person the resources needed to carry out the task."),
        ],
        [
            Text("Signatories shall review this Commitment every year and shall"),
            Text("publish the outcome of the review on their website."),
        ],
    ]
    document = extract_built(
        tmp_path, pages, "DRAFT DOCUMENT", "{page} / {pages}", engine=pdf_engine
    )

    block = block_with(document, "referred to in this")
    assert block.text == (
        "Signatories shall ensure that the information referred to in this Commitment is"
        " complete, accurate and kept up to date, and that it is made available to the AI"
        " Office upon request."
    )
    assert block.kind == "paragraph"
    assert block.page == 1
    assert [line.page for line in block.lines] == [1, 1, 2]
    assert block_with(document, "designate a person").page == 2


# --- 3. line-end hyphenation ------------------------------------------------------------------


def test_typesetter_hyphen_is_joined_and_compound_hyphen_kept(
    tmp_path: Path, pdf_engine: PdfEngineName
) -> None:
    pages: list[list[Item]] = [
        [
            Text("Signatories shall draw up a plan for the imple-"),
            Text("mentation of this Commitment before placing a general-"),
            Text("purpose AI model on the market. Providers of general-purpose"),
            Text("AI models shall keep the plan up to date."),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    assert block_with(document, "Signatories").text == (
        "Signatories shall draw up a plan for the implementation of this Commitment before"
        " placing a general-purpose AI model on the market. Providers of general-purpose AI"
        " models shall keep the plan up to date."
    )


# --- 4. ligatures -----------------------------------------------------------------------------


def test_ligature_glyphs_are_expanded(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    pages: list[list[Item]] = [
        [
            Text("Commitment 3. Conﬂicts of interest", size=14),
            Gap(),
            Text("Signatories shall ﬁle a notiﬁcation of any conﬂict of interest."),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    assert [b.text for b in document.blocks] == [
        "Commitment 3. Conflicts of interest",
        "Signatories shall file a notification of any conflict of interest.",
    ]
    assert "\ufb01" not in all_text(document)
    assert "\ufb02" not in all_text(document)


# --- 5. bullets and enumerated lists ----------------------------------------------------------


def list_items(document: Document) -> list[tuple[str | None, int, str]]:
    return [(b.marker, b.level, b.text) for b in document.blocks if b.kind == "list-item"]


def test_bullet_glyphs_become_bullet_markers(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    pages: list[list[Item]] = [
        [
            Text("Signatories shall:"),
            Text("document the model;", x=90, marker="•"),
            Text("publish a summary of the training content;", x=90, marker="▪"),
            Text("keep records for ten years.", x=90, marker="–"),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    assert list_items(document) == [
        ("•", 1, "document the model;"),
        ("•", 1, "publish a summary of the training content;"),
        ("•", 1, "keep records for ten years."),
    ]
    assert block_with(document, "Signatories").kind == "paragraph"
    assert not any(glyph in all_text(document) for glyph in "•▪–")


def test_enumerators_and_nested_list(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    pages: list[list[Item]] = [
        [
            Text("Signatories shall report:"),
            Text("the date of the incident;", x=90, marker="(a)", indent=22),
            Text("the model concerned; and", x=90, marker="(b)", indent=22),
            Text("the measures taken.", x=90, marker="(c)", indent=22),
            Gap(),
            Text("Providers shall assess:"),
            Text("systemic risks, including:", x=90, marker="1."),
            Text("risks to public health;", x=112, marker="(1)", indent=22),
            Text("risks to fundamental rights;", x=112, marker="(2)", indent=22),
            Text("risks from misuse.", x=90, marker="2."),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    assert list_items(document) == [
        ("(a)", 1, "the date of the incident;"),
        ("(b)", 1, "the model concerned; and"),
        ("(c)", 1, "the measures taken."),
        ("1.", 1, "systemic risks, including:"),
        ("(1)", 2, "risks to public health;"),
        ("(2)", 2, "risks to fundamental rights;"),
        ("2.", 1, "risks from misuse."),
    ]


def test_wrapped_list_item_is_one_block(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    pages: list[list[Item]] = [
        [
            Text("Signatories shall describe:"),
            Text(
                "the intended tasks of the model and the type and nature of",
                x=90,
                marker="(a)",
                indent=22,
            ),
            Text("the AI systems into which it can be integrated;", x=112),
            Text("the acceptable use policy.", x=90, marker="(b)", indent=22),
            Gap(),
            Text("Signatories shall update the description."),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    assert list_items(document) == [
        (
            "(a)",
            1,
            "the intended tasks of the model and the type and nature of the AI systems into"
            " which it can be integrated;",
        ),
        ("(b)", 1, "the acceptable use policy."),
    ]
    assert block_with(document, "update the description").kind == "paragraph"


def test_enumerator_at_start_of_wrapped_sentence_is_not_a_list_item(
    tmp_path: Path, pdf_engine: PdfEngineName
) -> None:
    pages: list[list[Item]] = [
        [
            Text("Signatories shall report serious incidents as set out in Article 73, point"),
            Text("(a) of the AI Act, to the AI Office without undue delay."),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    assert list_items(document) == []
    block = block_with(document, "Signatories")
    assert block.kind == "paragraph"
    assert block.text == (
        "Signatories shall report serious incidents as set out in Article 73, point (a) of"
        " the AI Act, to the AI Office without undue delay."
    )


# --- 6. table of contents ---------------------------------------------------------------------


def toc_line(title: str, page: int, x: float = 72.0) -> Text:
    return Text(f"{title} {'.' * 30} {page}", x=x)


def test_table_of_contents_is_dropped(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    headings = [
        "Commitment 1. Scope",
        "Commitment 2. Incident reporting",
        "Commitment 3. Cooperation with national authorities",
        "Commitment 4. Record keeping",
    ]
    toc: list[Item] = [
        Text("Table of contents", size=13, bold=True),
        Gap(),
        toc_line("Commitment 1. Scope", 2),
        toc_line("Commitment 2. Incident reporting", 2),
        Text("Commitment 3. Cooperation with the AI Office and with national"),
        toc_line("competent authorities", 2, x=90),
        toc_line("Commitment 4. Record keeping", 2),
    ]
    body: list[Item] = []
    for heading in headings:
        body += [
            Text(heading, size=13),
            Gap(4),
            Text("Signatories shall comply with this Commitment from the date on which"),
            Text("they sign this Code of Practice."),
            Gap(),
        ]
    document = extract_built(tmp_path, [toc, body], engine=pdf_engine)

    toc_dropped = [(d.text, d.page) for d in document.dropped if d.reason == "toc"]
    assert [text.split(" .")[0] for text, _ in toc_dropped] == [
        "Table of contents",
        "Commitment 1. Scope",
        "Commitment 2. Incident reporting",
        "Commitment 3. Cooperation with the AI Office and with national",
        "competent authorities",
        "Commitment 4. Record keeping",
    ]
    assert {page for _, page in toc_dropped} == {1}
    assert [(b.text, b.page) for b in document.blocks if b.kind == "heading"] == [
        (heading, 2) for heading in headings
    ]
    assert "...." not in all_text(document)
    assert all(block.page == 2 for block in document.blocks)


# --- 7. boxes ---------------------------------------------------------------------------------


LEGAL_QUOTE = [
    Text("“Providers of general-purpose AI models shall put in place a policy"),
    Text("to comply with Union law on copyright and related rights.”"),
]


def test_shaded_legal_text_box(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    pages: list[list[Item]] = [
        [
            Text("Commitment 5. Copyright", size=14),
            Gap(),
            Text("Signatories shall put in place a copyright policy."),
            Gap(),
            Box([Text("LEGAL TEXT", bold=True), *LEGAL_QUOTE]),
            Text("Signatories shall publish a summary of the policy."),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    title = block_with(document, "LEGAL TEXT")
    quote = block_with(document, "Union law on copyright")
    assert (title.box, quote.box) == ("legal", "legal")
    assert title.box_id is not None
    assert quote.box_id == title.box_id
    assert block_with(document, "Signatories shall put in place").box is None
    after = block_with(document, "publish a summary")
    assert (after.box, after.box_id) == (None, None)


def test_framed_summary_of_changes_box(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    pages: list[list[Item]] = [
        [
            Text("Signatories shall assess systemic risks."),
            Gap(),
            Box(
                [
                    Text("Summary of changes from the previous draft", bold=True),
                    Text("Measure 2.3 was merged into Measure 2.1. The list of systemic"),
                    Text("risks was shortened."),
                ],
                style="framed",
            ),
            Text("Signatories shall reassess the risks every six months."),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    boxed = [b for b in document.blocks if b.box is not None]
    assert [b.text for b in boxed] == [
        "Summary of changes from the previous draft",
        "Measure 2.3 was merged into Measure 2.1. The list of systemic risks was shortened.",
    ]
    assert {(b.box, b.box_id) for b in boxed} == {("explanatory", boxed[0].box_id)}
    assert block_with(document, "reassess").box is None


def test_box_continuing_on_next_page_keeps_its_id(
    tmp_path: Path, pdf_engine: PdfEngineName
) -> None:
    pages: list[list[Item]] = [
        [
            Text("Signatories shall keep technical documentation."),
            Box(
                [
                    Text("LEGAL TEXT", bold=True),
                    Text("“Providers shall draw up and keep up to date the technical"),
                    Text("documentation of the model, including its training and testing"),
                ],
                y=680,
            ),
        ],
        [
            Box([Text("process and the results of its evaluation.”")]),
            Text("Signatories shall update the documentation."),
            Gap(),
            Box([Text("LEGAL TEXT", bold=True), *LEGAL_QUOTE]),
        ],
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    first = block_with(document, "draw up and keep")
    rest = block_with(document, "results of its evaluation")
    assert (first.page, rest.page) == (1, 2)
    assert (first.box, rest.box) == ("legal", "legal")
    assert rest.box_id == first.box_id
    assert block_with(document, "update the documentation").box is None
    second_box = block_with(document, "Union law on copyright")
    assert second_box.box == "legal"
    assert second_box.box_id not in (None, first.box_id)


def test_ruled_table_is_not_a_box(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    pages: list[list[Item]] = [
        [
            Text("Signatories shall treat the following risks as systemic:"),
            Gap(),
            Box(
                [
                    Text("Systemic risk | Measure", bold=True),
                    Text("Cyber offence | Measure 3.2"),
                    Text("Loss of control | Measure 3.4"),
                ],
                style="table",
            ),
            Box([Text("Summary of changes from the previous draft", bold=True)], style="framed"),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    for fragment in ("Systemic risk", "Cyber offence", "Loss of control"):
        assert block_with(document, fragment).box is None, fragment
    # The same frame without the inner rule is a box: the rule is what makes it a table.
    assert block_with(document, "Summary of changes").box == "explanatory"
    # Rows not ruled, but each column one line per row at the same heights: a row a line.
    # (The factory prints only the first cell bold: the first row is no header.)
    assert table_rows(document) == [
        ("list-item", "Systemic risk | Measure"),
        ("list-item", "Cyber offence | Measure 3.2"),
        ("list-item", "Loss of control | Measure 3.4"),
    ]


# --- 7b. tables (#14 item 5) -------------------------------------------------------------------

DOCUMENTATION_HEADER = [["Reference"], ["Information to document"], ["Office"], ["Downstream"]]
WIDTHS = [80.0, 230.0, 70.0, 80.0]


def table_rows(document: Document, table_id: int = 1) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in document.blocks if b.table_id == table_id]


def test_ruled_table_is_a_header_and_one_item_per_row(
    tmp_path: Path, pdf_engine: PdfEngineName
) -> None:
    """Cells wrap over several lines, beside each other: each row's cells stay apart, in
    column order, and the check marks are kept as text."""
    rows = [
        DOCUMENTATION_HEADER,
        [
            ["Annex XI", "§1 1."],
            ["General information:", "• The model name", "• The unique version", "identifier"],
            ["✓"],
            ["✓"],
        ],
        [["Annex XII", "1.(d)"], ["Interaction with external", "hardware"], [], ["✓"]],
    ]
    pages: list[list[Item]] = [
        [
            Text("Signatories shall document the information in Table 1."),
            Gap(),
            Table(rows, WIDTHS),
            Text("Signatories shall keep the documentation up to date."),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    assert table_rows(document) == [
        ("paragraph", "Reference | Information to document | Office | Downstream"),
        (
            "list-item",
            "Annex XI §1 1. | General information: • The model name • The unique version"
            " identifier | ✓ | ✓",
        ),
        ("list-item", "Annex XII 1.(d) | Interaction with external hardware | | ✓"),
    ]
    before, after = (block_with(document, f) for f in ("in Table 1", "up to date"))
    assert (before.kind, before.table_id, after.kind, after.table_id) == (
        "paragraph",
        None,
        "paragraph",
        None,
    )
    outline = segment(document)
    table = next(p for p in outline.provisions if p.kind == "table")
    assert table.text == "Reference | Information to document | Office | Downstream"
    items = outline.children(table.id)
    assert [(p.kind, p.label) for p in items] == [("list-item", "Row 1"), ("list-item", "Row 2")]


def test_table_continued_on_the_next_page_is_one_table(
    tmp_path: Path, pdf_engine: PdfEngineName
) -> None:
    """A row cut by the page break (its first cell all on the first page) is one row; a
    second table after text is a table of its own."""
    first = [
        DOCUMENTATION_HEADER,
        [["Annex XI 1."], ["Licence:", "• The licence of the model"], ["✓"], ["✓"]],
        [["Annex XI 2."], ["Design specifications:", "• The design choices"], ["✓"], []],
    ]
    rest = [
        [[], ["• The training steps"], [], []],
        [["Annex XI 3."], ["Computational resources"], ["✓"], []],
    ]
    pages: list[list[Item]] = [
        [Text("Signatories shall document:"), Table(first, WIDTHS, y=650)],
        [
            Table(rest, WIDTHS, header=False),
            Text("Signatories shall also report:"),
            Table([[["Incidents"], ["Within 72 hours"]]], [150.0, 150.0], header=False),
        ],
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    assert table_rows(document) == [
        ("paragraph", "Reference | Information to document | Office | Downstream"),
        ("list-item", "Annex XI 1. | Licence: • The licence of the model | ✓ | ✓"),
        (
            "list-item",
            "Annex XI 2. | Design specifications: • The design choices • The training steps | ✓ |",
        ),
        ("list-item", "Annex XI 3. | Computational resources | ✓ |"),
    ]
    assert table_rows(document, 2) == [("list-item", "Incidents | Within 72 hours")]
    assert [b.page for b in document.blocks if b.table_id == 1] == [1, 1, 1, 2]


# --- 8. headings ------------------------------------------------------------------------------


def test_headings_by_size_and_bold(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    pages: list[list[Item]] = [
        [
            Text("Commitment 1. Transparency", size=16),
            Gap(),
            Text("Measure 1.1 Model documentation", size=13),
            Gap(),
            Text("Objectives", bold=True),
            Text("Signatories shall document the model."),
            Gap(),
            Text("Signatories shall keep the documentation for ten years"),
            Text("including where the model is withdrawn from the market", bold=True),
            Text("and shall provide it to the AI Office on request."),
        ]
    ]
    document = extract_built(tmp_path, pages, engine=pdf_engine)

    headings = [(b.text, b.level) for b in document.blocks if b.kind == "heading"]
    assert headings[:2] == [
        ("Commitment 1. Transparency", 1),
        ("Measure 1.1 Model documentation", 2),
    ]
    assert [text for text, _ in headings] == [
        "Commitment 1. Transparency",
        "Measure 1.1 Model documentation",
        "Objectives",
    ]
    assert headings[2][1] > 2
    assert block_with(document, "document the model").kind == "paragraph"
    sentence = block_with(document, "withdrawn from the market")
    assert sentence.kind == "paragraph"
    assert sentence.text == (
        "Signatories shall keep the documentation for ten years including where the model"
        " is withdrawn from the market and shall provide it to the AI Office on request."
    )


# --- 9. unreadable input ----------------------------------------------------------------------


# --- what the file says of itself -------------------------------------------------------------


CHROMIUM_PRINT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/156.0.0.0 Safari/537.36",
    "Skia/PDF m156",
)


@pytest.mark.parametrize(
    ("made_by", "date"),
    [(None, "2025-01-01"), (CHROMIUM_PRINT, None), (("Writer", "LibreOffice 24.2"), "2025-01-01")],
)
def test_a_pdf_is_dated_by_its_creation_unless_a_browser_printed_it(
    tmp_path: Path, pdf_engine: PdfEngineName, made_by: tuple[str, str] | None, date: str | None
) -> None:
    """A web page printed to PDF is "created" when printed: no date is better than that."""
    path = make_pdf(tmp_path / "draft.pdf", [body_page(1)], made_by=made_by)
    assert extract(path, ExtractSettings(pdf_engine=pdf_engine)).date == date


def test_pdf_without_text_asks_for_ocr(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [[Rect(72, 100, 300, 400)]])
    with pytest.raises(ExtractionError, match="OCR"):
        extract(path, ExtractSettings(pdf_engine=pdf_engine))


def test_file_named_pdf_that_is_not_a_pdf(tmp_path: Path, pdf_engine: PdfEngineName) -> None:
    path = tmp_path / "x.pdf"
    path.write_text("Commitment 1. Scope\nSignatories shall comply.\n", encoding="utf-8")
    with pytest.raises(InputError):
        extract(path, ExtractSettings(pdf_engine=pdf_engine))


@pytest.mark.parametrize("share", [0.25, 0.5, 0.75])
def test_truncated_pdf_fails_with_one_line_message(
    tmp_path: Path, share: float, pdf_engine: PdfEngineName
) -> None:
    pages = [body_page(n) for n in (1, 2, 3)]
    data = make_pdf(tmp_path / "full.pdf", pages, "DRAFT DOCUMENT", "{page} / {pages}").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * share)])
    with pytest.raises((ExtractionError, InputError)) as caught:
        extract(path, ExtractSettings(pdf_engine=pdf_engine))
    message = str(caught.value)
    assert message
    assert "\n" not in message
