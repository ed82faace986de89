"""Plain-text and Markdown extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from cop_diff.errors import ExtractionError
from cop_diff.extract.text import extract_text, looks_like_heading, strip_inline_markup
from cop_diff.model import Block, Document

FIXTURES = Path(__file__).parent / "fixtures" / "text"


def extract(text: str | bytes) -> Document:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return extract_text(data, source="test.md", sha256="0" * 64)


def texts(document: Document) -> list[str]:
    return [block.text for block in document.blocks]


def shape(document: Document) -> list[tuple[str, int, str | None, str]]:
    return [(b.kind, b.level, b.marker, b.text) for b in document.blocks]


def only(document: Document) -> Block:
    assert len(document.blocks) == 1, document.blocks
    return document.blocks[0]


# --------------------------------------------------------------------------- the fixture


def test_fixture_document_end_to_end() -> None:
    doc = extract_text(
        (FIXTURES / "harbour_code.md").read_bytes(), source="harbour_code.md", sha256="abc"
    )
    assert doc.format == "text" and doc.pages is None and doc.sha256 == "abc"
    assert doc.title == "Harbour Code, Draft 2"  # from the front matter
    headings = [(b.level, b.text) for b in doc.blocks if b.kind == "heading" and b.box is None]
    assert headings == [
        (1, "Harbour Code of Practice"),
        (2, "Duty 1. Safe boarding"),
        (3, "Step 1.1. Checks before departure"),
        (2, "Duty 2. Weather"),
    ]
    assert [(d.reason, d.text) for d in doc.dropped] == [
        ("toc", "Contents"),
        ("toc", "Duty 1. Safe boarding .......... 2"),
        ("toc", "Duty 2. Weather ............... 5"),
    ]
    assert (
        "Operators shall keep the gangway clear, lit and free of cargo. See the guidance."
        in texts(doc)
    )
    assert not any("Written for the tests" in t for t in texts(doc))  # HTML comment


# --------------------------------------------------------------------------- headings


def test_atx_headings() -> None:
    doc = extract("# One\n\n## Two ##\n\n###### Six\n\n#NotAHeading\n")
    assert shape(doc) == [
        ("heading", 1, None, "One"),
        ("heading", 2, None, "Two"),
        ("heading", 6, None, "Six"),
        ("paragraph", 0, None, "#NotAHeading"),
    ]


def test_setext_headings() -> None:
    doc = extract("Main Title\n==========\n\nSub *title*\n---\n\ntext\n\n---\n\nmore\n")
    assert shape(doc) == [
        ("heading", 1, None, "Main Title"),
        ("heading", 2, None, "Sub title"),
        ("paragraph", 0, None, "text"),
        ("paragraph", 0, None, "more"),  # a rule after a blank line is not an underline
    ]


def test_plain_text_headings_are_guessed_conservatively() -> None:
    doc = extract(
        "COMMITMENTS OF PROVIDERS\n\n"
        "Commitment 3. Risk assessment\n\n"
        "Article 5\n\n"
        "A short sentence that ends.\n\n"
        "Commitment 4 is mentioned here\nin a paragraph of two lines\n"
    )
    assert [(b.kind, b.level) for b in doc.blocks] == [
        ("heading", 2),
        ("heading", 2),
        ("heading", 2),
        ("paragraph", 0),
        ("paragraph", 0),
    ]


def test_no_heading_guessing_in_markdown() -> None:
    doc = extract("# Title\n\nARTICLE FIVE\n\nbody\n")
    assert [b.kind for b in doc.blocks] == ["heading", "paragraph", "paragraph"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Commitment II.13. Non-retaliation", True),
        ("Measure 4.5 Serious incidents", True),
        ("Appendix 1", True),
        ("II. Commitments by providers", True),
        ("LEGAL TEXT", True),
        ("Signatories shall report incidents.", False),
        ("A line of ordinary words", False),
        ("X" * 120, False),
    ],
)
def test_looks_like_heading(line: str, expected: bool) -> None:
    assert looks_like_heading(line) is expected


# --------------------------------------------------------------------------- paragraphs


def test_paragraph_lines_join_and_mend_hyphenation() -> None:
    doc = extract("Signatories shall imple-\nment the\nmeasures.\n\nA risk-\nBased view.\n")
    assert texts(doc) == ["Signatories shall implement the measures.", "A risk-Based view."]


def test_crlf_and_tabs_and_control_characters() -> None:
    doc = extract("first\tline\r\nsecond\x07 line\r\n\r\nnext\r\n")
    assert texts(doc) == ["first line second line", "next"]


# --------------------------------------------------------------------------- lists


def test_bullets() -> None:
    doc = extract("- dash\n* star\n+ plus\n• dot\n")
    assert shape(doc) == [("list-item", 1, "•", t) for t in ("dash", "star", "plus", "dot")]


def test_nested_enumerations_by_indentation() -> None:
    doc = extract(
        "1. first\n"
        "  (a) two spaces\n"
        "    (i) four more\n"
        "  (b) back\n"
        "2. second\n"
        "\ta) tab\n"
        "(1) margin again\n"
    )
    assert shape(doc) == [
        ("list-item", 1, "1.", "first"),
        ("list-item", 2, "(a)", "two spaces"),
        ("list-item", 3, "(i)", "four more"),
        ("list-item", 2, "(b)", "back"),
        ("list-item", 1, "2.", "second"),
        ("list-item", 2, "a)", "tab"),
        ("list-item", 1, "(1)", "margin again"),
    ]


def test_continuation_lines_join_the_item() -> None:
    doc = extract("(a) the first item\n    goes on here\n(b) the second item\nlazily continued\n")
    assert shape(doc) == [
        ("list-item", 1, "(a)", "the first item goes on here"),
        ("list-item", 1, "(b)", "the second item lazily continued"),
    ]


def test_list_ends_at_a_paragraph_on_the_margin() -> None:
    doc = extract(
        "- item\n\n    indented paragraph of the item\n\nnew paragraph\n\n  - item again\n"
    )
    assert shape(doc) == [
        ("list-item", 1, "•", "item"),
        ("paragraph", 0, None, "indented paragraph of the item"),
        ("paragraph", 0, None, "new paragraph"),
        ("list-item", 1, "•", "item again"),
    ]


# --------------------------------------------------------------------------- boxes


def test_blockquote_box_with_bold_title() -> None:
    doc = extract(
        "before\n\n> **LEGAL TEXT**\n> Article 53(1) AI Act\n>\n> second paragraph\n\nafter\n"
    )
    assert [(b.kind, b.box, b.box_id, b.text) for b in doc.blocks] == [
        ("paragraph", None, None, "before"),
        ("heading", "legal", 1, "LEGAL TEXT"),
        ("paragraph", "legal", 1, "Article 53(1) AI Act"),
        ("paragraph", "legal", 1, "second paragraph"),
        ("paragraph", None, None, "after"),
    ]


def test_box_kinds_and_ids() -> None:
    doc = extract(
        "> **Potential material for future Recital**\n> text one\n\n"
        "> ### Summary of changes from the second draft\n> text two\n\n"
        "> LEGAL TEXT\n>\n> text three\n\n"
        "> **Aside**\n> text four\n\n"
        "> no title at all\n"
    )
    boxes = [(b.box, b.box_id, b.kind, b.level) for b in doc.blocks if b.kind == "heading"]
    assert boxes == [
        ("recital", 1, "heading", 4),
        ("explanatory", 2, "heading", 3),
        ("legal", 3, "heading", 4),
        ("box", 4, "heading", 4),
    ]
    last = doc.blocks[-1]
    assert (last.box, last.box_id, last.kind) == ("box", 5, "paragraph")


def test_box_contents_keep_their_structure() -> None:
    doc = extract("> **Summary of changes**\n> - one change\n>   - a detail\n")
    assert [(b.kind, b.level, b.marker, b.box) for b in doc.blocks] == [
        ("heading", 4, None, "explanatory"),
        ("list-item", 1, "•", "explanatory"),
        ("list-item", 2, "•", "explanatory"),
    ]


# --------------------------------------------------------------------------- table of contents


def test_dotted_leader_lines_are_dropped_as_toc() -> None:
    doc = extract("Table of Contents\nCommitment 1 ....... 3\nCommitment 2 ……… 9\n\nBody.\n")
    assert texts(doc) == ["Body."]
    assert [d.reason for d in doc.dropped] == ["toc", "toc", "toc"]


# --------------------------------------------------------------------------- inline markup


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**bold** and __strong__", "bold and strong"),
        ("*em* and _em_", "em and em"),
        ("***both***", "both"),
        ("**outer _inner_ text**", "outer inner text"),
        ("snake_case_name and 2 * 3 * 4", "snake_case_name and 2 * 3 * 4"),
        ("use `code` here", "use code here"),
        ("[the text](https://example.org/a_(b)) stays", "the text stays"),
        ("[ref text][1] and <https://example.org>", "ref text and https://example.org"),
        ("![an image](pic.png)gone", "gone"),
        (r"literal \*stars\* kept", "literal *stars* kept"),
        ("{{ 7*7 }}", "{{ 7*7 }}"),
    ],
)
def test_inline_markup_is_stripped(markdown: str, plain: str) -> None:
    assert strip_inline_markup(markdown) == plain
    assert only(extract(markdown + "\n")).text == plain


# --------------------------------------------------------------------------- encodings


def test_utf16_with_bom() -> None:
    doc = extract("# Überschrift\n\nGrüße – 10 €\n".encode("utf-16"))
    assert texts(doc) == ["Überschrift", "Grüße – 10 €"]
    assert texts(extract("\ufeffé\n".encode("utf-16-be"))) == ["é"]


def test_utf8_and_utf32_boms() -> None:
    assert texts(extract("é\n".encode("utf-8-sig"))) == ["é"]
    assert texts(extract("é\n".encode("utf-32"))) == ["é"]


def test_latin1_text_falls_back_to_cp1252() -> None:
    data = "Société générale – “quotes”\n".encode("cp1252")
    assert texts(extract(data)) == ["Société générale – “quotes”"]
    assert texts(extract("naïve café\n".encode("latin-1"))) == ["naïve café"]


def test_undecodable_bytes_are_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match=r"test\.md"):
        extract(b"caf\xe9 \x81\x8d")  # invalid UTF-8, and undefined in cp1252


@pytest.mark.parametrize("data", [b"   \n\n", b"<!-- only a comment -->\n", b"---\n"])
def test_text_without_words_is_an_extraction_error(data: bytes) -> None:
    with pytest.raises(ExtractionError, match="no text"):
        extract(data)


def test_binary_data_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="binary"):
        extract(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_very_long_lines_are_fine() -> None:
    words = "word " * 200_000
    assert only(extract(words)).text == words.strip()
