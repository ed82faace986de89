"""HTML extraction: chrome removal, boxes, lists, decoding and robustness."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cop_diff.errors import ExtractionError
from cop_diff.extract.html import (
    CHROME_RULES,
    decode_html,
    extract_html,
    ordinal_marker,
    selector_xpath,
)
from cop_diff.model import Block, Document

FIXTURES = Path(__file__).parent / "fixtures" / "html"


def extract(html: str | bytes) -> Document:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return extract_html(data, source="test.html", sha256="0" * 64)


def texts(document: Document) -> list[str]:
    return [block.text for block in document.blocks]


def all_text(document: Document) -> str:
    return "\n".join(texts(document))


def only(document: Document) -> Block:
    assert len(document.blocks) == 1, document.blocks
    return document.blocks[0]


@pytest.fixture
def site() -> Document:
    return extract((FIXTURES / "reading_site.html").read_bytes())


# --------------------------------------------------------------------------- chrome


@pytest.mark.parametrize(
    "marker",
    [
        "Jump to the text",  # skip link
        "MENU-BUTTON",  # button
        "Site contents",  # side navigation
        "Switch colours",  # keyboard shortcuts
        "INTRO",  # header navigation tabs
        "site owner",  # disclaimer box
        "Q: Who writes",  # FAQ item
        "harbour masters",  # FAQ answer
        "Explainer",  # the site's explainer box
        "paraphrases",
        "Read the full rules",  # the site's in-page link
        "Boarding form",  # image gallery
        "Back to top",  # footer button
    ],
)
def test_site_chrome_is_not_draft_text(site: Document, marker: str) -> None:
    assert marker not in all_text(site)
    assert any(marker in dropped.text for dropped in site.dropped)
    assert all(dropped.reason == "chrome" for dropped in site.dropped)


def test_code_and_embedded_content_never_appear(site: Document) -> None:
    everything = all_text(site) + "\n".join(d.text for d in site.dropped)
    for marker in ("SCRIPT-MARKER", "hidden-style-marker", "NOSCRIPT-MARKER", "TEMPLATE-MARKER"):
        assert marker not in everything


def test_site_keeps_draft_text_in_order(site: Document) -> None:
    headings = [b.text for b in site.blocks if b.kind == "heading" and b.box is None]
    assert headings == [
        "Foreword by the editors",
        "Duties of ferry operators",
        "Duty 1. Safe boarding",
        "Step 1.1. Checks before departure",
    ]
    # Signatures and the glossary are part of the printed draft: kept.
    assert "Editorial group Ada Example (Chair)" in texts(site)
    assert texts(site)[-2:] == ["gangway", "the walkway between the quay and the ferry"]
    # The paragraph survives the removal of the site's link inside it.
    assert "The duties below apply to every ferry operator." in texts(site)
    assert site.title == "Harbour Code · Draft 2"
    assert site.format == "html" and site.pages is None


def test_boxes_are_classified_with_their_titles(site: Document) -> None:
    boxed = [(b.box, b.box_id, b.kind, b.text) for b in site.blocks if b.box is not None]
    assert boxed == [
        ("legal", 1, "heading", "LEGAL TEXT"),
        ("legal", 1, "paragraph", "Section 4(2) Harbour Act"),
        ("recital", 2, "heading", "Potential material for future Recital"),
        ("recital", 2, "paragraph", "Small ferries may keep the log on paper."),
        ("explanatory", 3, "heading", "Summary of changes from the first draft"),
        ("explanatory", 3, "paragraph", "We merged two steps into one."),
    ]
    title = next(b for b in site.blocks if b.text == "LEGAL TEXT")
    assert title.level == 4


def test_box_ids_are_unique_per_box() -> None:
    doc = extract(
        "<div class='legal-box'><p>one</p><p>two</p></div>"
        "<div class='legal-box'><p>three</p></div>"
        "<blockquote><p><strong>LEGAL TEXT</strong></p><p>quoted</p></blockquote>"
        "<div class='note-box'><p>odd</p></div>"
    )
    assert [(b.box, b.box_id) for b in doc.blocks] == [
        ("legal", 1),
        ("legal", 1),
        ("legal", 2),
        ("legal", 3),
        ("legal", 3),
        ("box", 4),
    ]
    assert doc.blocks[3].kind == "heading"  # a bold first paragraph titles the box


def test_chrome_rules_are_small_css_like_selectors() -> None:
    names = {rule.name for rule in CHROME_RULES}
    assert {"navigation", "button", "disclaimer", "faq", "explainer"} <= names
    for rule in CHROME_RULES:
        assert selector_xpath(rule.selector, rule.title_prefix).startswith("descendant-or-self::")


def test_selector_xpath_translation() -> None:
    assert selector_xpath("nav") == "descendant-or-self::nav"
    assert selector_xpath("[role=tab]") == "descendant-or-self::*[@role='tab']"
    assert selector_xpath("section[data-section]") == "descendant-or-self::section[@data-section]"
    classy = selector_xpath("a.read-more")
    assert classy.startswith("descendant-or-self::a[contains(concat(' ', normalize-space(@class)")
    assert "' read-more '" in classy
    with pytest.raises(ValueError):
        selector_xpath("nav > a")


def test_without_marked_sections_the_whole_body_is_content() -> None:
    doc = extract("<body><nav>Home</nav><h1>Title</h1><p>Body text.</p></body>")
    assert texts(doc) == ["Title", "Body text."]
    assert [d.text for d in doc.dropped] == ["Home"]
    assert doc.title == "Title"


def test_text_outside_the_marked_sections_is_chrome() -> None:
    doc = extract(
        "<body>stray words<div>banner</div>"
        "<section data-section='a'><p>kept</p></section><p>after</p></body>"
    )
    assert texts(doc) == ["kept"]
    assert sorted(d.text for d in doc.dropped) == ["after", "banner", "stray words"]


# --------------------------------------------------------------------------- blocks and text


def test_headings_carry_their_level() -> None:
    html = "".join(f"<h{n}>Title {n}</h{n}>" for n in range(1, 7))
    doc = extract(html)
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", n, f"Title {n}") for n in range(1, 7)
    ]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>a<strong>b</strong> c</p>", "ab c"),
        ("<p>one<br>two<br/>three</p>", "one two three"),
        ("<p>  spread\n   over\tlines  </p>", "spread over lines"),
        ("<p><em>x</em><a href='#'>y</a> <span>z</span></p>", "xy z"),
        ("<p>icon<i class='ph ph-info'>GLYPH</i>less</p>", "iconless"),
        ("<p>non&nbsp;breaking &amp; escaped &lt;b&gt;</p>", "non breaking & escaped <b>"),
        ("<p>{{ 7*7 }} and {% if x %}</p>", "{{ 7*7 }} and {% if x %}"),
    ],
)
def test_inline_markup_is_flattened(html: str, expected: str) -> None:
    block = only(extract(html))
    assert block.kind == "paragraph"
    assert block.text == expected


def test_text_directly_in_containers_becomes_paragraphs() -> None:
    doc = extract("<div>loose text<p>para</p>tail text</div><dl><dt>term</dt><dd>meaning</dd></dl>")
    assert texts(doc) == ["loose text", "para", "tail text", "term", "meaning"]
    assert {b.kind for b in doc.blocks} == {"paragraph"}


# --------------------------------------------------------------------------- tables


def test_a_table_is_its_header_and_one_item_per_row_with_cells_kept_apart() -> None:
    doc = extract(
        "<p>Signatories shall document:</p>"
        "<table><caption>Table 1: Documentation</caption>"
        "<thead><tr><th>Reference</th><th>Information</th><th>For the Office</th></tr></thead>"
        "<tbody><tr><td>Annex XI 1.</td><td>General information:<ul><li>The model name</li>"
        "<li>The version</li></ul></td><td>&#x1F5F8;</td></tr>"
        "<tr><td>Annex XI 2.</td><td>Licence</td><td></td></tr>"
        "<tr><td></td><td></td><td></td></tr></tbody></table>"
        "<p>Signatories shall keep it.</p>"
    )
    assert [(b.kind, b.text, b.table_id) for b in doc.blocks] == [
        ("paragraph", "Signatories shall document:", None),
        ("paragraph", "Table 1: Documentation", None),
        ("paragraph", "Reference | Information | For the Office", 1),
        ("list-item", "Annex XI 1. | General information: • The model name • The version | ✓", 1),
        ("list-item", "Annex XI 2. | Licence |", 1),
        ("paragraph", "Signatories shall keep it.", None),
    ]


def test_tables_are_numbered_and_a_nested_table_stays_in_its_cell() -> None:
    doc = extract(
        "<table><tr><td>a</td><td><table><tr><td>x</td><td>y</td></tr></table></td></tr></table>"
        "<table><tr><th>h</th></tr><tr><td>b</td></tr></table>"
    )
    assert [(b.kind, b.text, b.table_id) for b in doc.blocks] == [
        ("list-item", "a | x y", 1),
        ("paragraph", "h", 2),
        ("list-item", "b", 2),
    ]


def test_script_content_never_becomes_text() -> None:
    doc = extract("<p>before</p><script>var secret = 'SCRIPT';</script><style>p{}</style><p>x</p>")
    assert texts(doc) == ["before", "x"]


# --------------------------------------------------------------------------- lists


def test_nested_lists_have_levels_and_markers() -> None:
    doc = extract(
        "<ul><li>bullet<ol><li>first<ol type='a'><li>alpha</li><li>beta</li></ol></li>"
        "<li>second</li></ol></li><li>another bullet</li></ul>"
    )
    assert [(b.kind, b.level, b.marker, b.text) for b in doc.blocks] == [
        ("list-item", 1, "•", "bullet"),
        ("list-item", 2, "1.", "first"),
        ("list-item", 3, "a.", "alpha"),
        ("list-item", 3, "b.", "beta"),
        ("list-item", 2, "2.", "second"),
        ("list-item", 1, "•", "another bullet"),
    ]


def test_item_text_excludes_its_nested_list() -> None:
    doc = extract("<ol><li>lead-in:<ol><li>inner</li></ol>closing words</li></ol>")
    assert [(b.kind, b.marker, b.text) for b in doc.blocks] == [
        ("list-item", "1.", "lead-in:"),
        ("list-item", "1.", "inner"),
        ("paragraph", None, "closing words"),
    ]


@pytest.mark.parametrize(
    ("ol", "markers"),
    [
        ("<ol>", ["1.", "2.", "3."]),
        ("<ol start='10'>", ["10.", "11.", "12."]),
        ("<ol type='a'>", ["a.", "b.", "c."]),
        ("<ol type='A' start='26'>", ["Z.", "AA.", "AB."]),
        ("<ol type='i' start='3'>", ["iii.", "iv.", "v."]),
        ("<ol type='I'>", ["I.", "II.", "III."]),
        ("<ol reversed>", ["3.", "2.", "1."]),
        ("<ol start='oops'>", ["1.", "2.", "3."]),
    ],
)
def test_ordered_list_markers_follow_html_rendering(ol: str, markers: list[str]) -> None:
    doc = extract(f"{ol}<li>x</li><li>y</li><li>z</li></ol>")
    assert [b.marker for b in doc.blocks] == markers


def test_li_value_resets_the_count() -> None:
    doc = extract("<ol><li>a</li><li value='7'>b</li><li>c</li></ol>")
    assert [b.marker for b in doc.blocks] == ["1.", "7.", "8."]


def test_printed_marker_in_item_text_wins() -> None:
    doc = extract(
        "<ol><li>(a) printed</li><li>(anonymous) words</li></ol><ul><li>(iv) four</li></ul>"
    )
    assert [(b.marker, b.text) for b in doc.blocks] == [
        ("(a)", "printed"),
        ("2.", "(anonymous) words"),
        ("(iv)", "four"),
    ]


def test_paragraph_inside_item_takes_the_items_marker() -> None:
    doc = extract("<ol><li><p>first para</p><p>second para</p></li><li>plain</li></ol>")
    assert [(b.kind, b.marker, b.text) for b in doc.blocks] == [
        ("list-item", "1.", "first para"),
        ("paragraph", None, "second para"),
        ("list-item", "2.", "plain"),
    ]


def test_ordinal_marker_styles() -> None:
    assert ordinal_marker(4, "1") == "4."
    assert ordinal_marker(28, "a") == "ab."
    assert ordinal_marker(1994, "I") == "MCMXCIV."
    assert ordinal_marker(0, "a") == "0."  # outside the style's range: decimal


# --------------------------------------------------------------------------- decoding


def test_utf16_with_bom() -> None:
    data = "\ufeff<p>Grüße, Ελλάδα – 10 €</p>".encode("utf-16-le")
    assert only(extract(data)).text == "Grüße, Ελλάδα – 10 €"
    data = "\ufeff<p>Grüße</p>".encode("utf-16-be")
    assert only(extract(data)).text == "Grüße"


def test_utf8_bom_is_not_text() -> None:
    assert only(extract(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>")).text == "café"


def test_latin1_with_meta_charset() -> None:
    html = '<head><meta charset="iso-8859-1"></head><body><p>Société – “quoted”</p></body>'
    # Latin-1 labels mean windows-1252, as in browsers: the dash and quotes survive.
    assert only(extract(html.encode("cp1252"))).text == "Société – “quoted”"


def test_http_equiv_charset() -> None:
    html = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>ï</p>'
    assert only(extract(html.encode("cp1252"))).text == "ï"


def test_undeclared_non_utf8_falls_back_to_cp1252() -> None:
    assert only(extract("<p>Zürich ‘x’</p>".encode("cp1252"))).text == "Zürich ‘x’"


def test_declared_charset_wins_over_guessing() -> None:
    # UTF-8 bytes declared as Latin-1 read as a browser would read them (mojibake).
    decoded = decode_html('<meta charset="latin1">é'.encode(), source="t")
    assert decoded == '<meta charset="latin1">Ã©'


def test_meta_charset_does_not_confuse_the_parser_after_decoding() -> None:
    html = '<meta charset="iso-8859-1"><p>€ and é</p>'
    assert only(extract(html.encode("utf-8-sig"))).text == "€ and é"


# --------------------------------------------------------------------------- robustness


def test_deep_nesting_does_not_recurse() -> None:
    depth = 1500
    doc = extract("<ul>" * depth + "<li>deep</li>" + "</ul>" * depth)
    assert only(doc).level == depth


def test_nesting_beyond_the_parser_limit_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="depth"):
        extract("<div>" * 5000 + "x" + "</div>" * 5000)


def test_large_text_nodes_are_kept_whole() -> None:
    words = "word " * 2_500_000  # over libxml2's default 10 MB text-node limit
    assert len(only(extract(f"<p>{words}</p>")).text) == len(words) - 1


@pytest.mark.parametrize("data", [b"", b"   ", b"<html><body></body></html>"])
def test_empty_input_is_an_extraction_error(data: bytes) -> None:
    with pytest.raises(ExtractionError, match=r"test\.html"):
        extract(data)


def test_binary_input_is_an_extraction_error() -> None:
    with pytest.raises(ExtractionError, match="binary"):
        extract(bytes(range(256)) * 4)


def test_external_references_are_not_followed() -> None:
    doc = extract(
        '<!DOCTYPE html SYSTEM "http://127.0.0.1:9/never.dtd">'
        '<html><body><p>safe &unknown; text</p><img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    assert texts(doc) == ["safe &unknown; text"]


# --------------------------------------------------------------------------- the real draft


def test_real_third_draft(shared_drafts: Path) -> None:
    path = shared_drafts / "cop-d3.html"
    if not path.exists():
        pytest.skip(f"{path} not found")
    doc = extract_html(path.read_bytes(), source=str(path), sha256="")
    text = all_text(doc)

    # The site's FAQ, explainer and navigation are gone from the draft text...
    assert not any(re.match(r"Q:\s", t) for t in texts(doc))
    assert not any(t.startswith("Explainer") for t in texts(doc))
    assert "Skip to main content" not in text
    assert "Toggle boxes" not in text
    # ... and accounted for as chrome.
    dropped = " ".join(d.text for d in doc.dropped)
    assert "Frequently Asked Questions" in dropped and "Explainer" in dropped

    boxes = {b.box for b in doc.blocks}
    assert {"legal", "recital", "explanatory"} <= boxes
    legal_titles = {b.text for b in doc.blocks if b.box == "legal" and b.kind == "heading"}
    assert legal_titles == {"LEGAL TEXT"}

    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    for label in ("Commitment I.1", "Commitment I.2", "Commitment II.13", "Measure II.6.3"):
        assert any(h.startswith(label) for h in headings), label
    numbers = {int(m.group(1)) for h in headings if (m := re.match(r"Commitment II\.(\d+)", h))}
    assert numbers == set(range(1, 17))
    assert any(h.startswith("Appendix 1") for h in headings)
    assert any(h.startswith("Appendix 2") for h in headings)
    assert all(b.marker for b in doc.blocks if b.kind == "list-item")
