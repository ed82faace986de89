"""HTML extraction: the element tree -> headings, paragraphs, list items and boxes.

Written for drafts published as web pages, first of all the Third Draft of the GPAI Code
of Practice on its reading site, whose own additions (navigation, disclaimer, FAQ,
"Explainer", image gallery) are not the draft's text. Those parts are recognised by the
``CHROME_RULES`` below and reported in ``Document.dropped``.

The walk over the tree is iterative (``lxml.etree.iterwalk``), so a deeply nested page
cannot exhaust Python's recursion limit; libxml2 itself refuses documents nested deeper
than 2048 elements, which we report as an ``ExtractionError`` instead of losing the rest.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import lxml.etree
import lxml.html

from cop_diff.errors import ExtractionError
from cop_diff.extract import BlockBudget
from cop_diff.extract.docinfo import clean_title, iso_date, title_from_blocks
from cop_diff.extract.text import decode_bom, looks_binary
from cop_diff.extract.textclean import (
    CELL_SEPARATOR,
    classify_box_title,
    normalize_text,
    split_list_marker,
)
from cop_diff.model import Block, BlockKind, BoxKind, Document, Dropped

Element = lxml.etree._Element


class ChromeRule(NamedTuple):
    """Page furniture that is not the draft's text, named by a CSS-ish selector.

    ``selector`` is a tag, ``.class``es and ``[attr]``/``[attr=value]`` tests, without
    combinators (``a.commitment-link``, ``[role=navigation]``). ``title_prefix`` narrows
    the rule to elements whose first heading starts with it.
    """

    name: str
    selector: str
    title_prefix: str | None = None


CHROME_RULES: tuple[ChromeRule, ...] = (
    ChromeRule("navigation", "nav"),
    ChromeRule("navigation", "[role=navigation]"),
    ChromeRule("navigation", "[role=tablist]"),
    ChromeRule("navigation", ".side-nav"),
    ChromeRule("skip link", ".skip-link"),
    ChromeRule("page header", "header"),
    ChromeRule("page footer", "footer"),
    ChromeRule("button", "button"),
    ChromeRule("keyboard shortcuts", ".keyboard-shortcuts"),
    ChromeRule("disclaimer", ".disclaimer-box"),
    ChromeRule("faq", ".faq-box"),
    ChromeRule("faq", ".faq-item"),
    # The site's Explainer uses the draft's own explanatory-box style; only its title
    # tells it apart (the printed draft has no such box).
    ChromeRule("explainer", ".explanatory-box", title_prefix="Explainer"),
    # "Read commitment and measures": an in-page link the site adds after each summary.
    ChromeRule("read-more link", "a.commitment-link"),
    ChromeRule("image gallery", ".gallery-container"),
    ChromeRule("image gallery", ".gallery-overlay"),
    ChromeRule("lightbox", ".lightbox"),
)

CONTENT_SELECTORS: tuple[str, ...] = ("section[data-section]",)
"""Where the draft's text lives, if the page marks it. Text outside is chrome."""

ICON_SELECTORS: tuple[str, ...] = ("i.ph",)
"""Icon-font glyphs (Phosphor icons): no text of their own."""

SKIPPED_TAGS: tuple[str, ...] = (
    "script",
    "style",
    "template",
    "noscript",
    "svg",
    "canvas",
    "iframe",
    "object",
    "embed",
)
"""Elements whose content is never text of the page (code, styles, embedded objects)."""

BOX_CLASSES: tuple[tuple[str, BoxKind], ...] = (
    ("legal-box", "legal"),
    ("recital-box", "recital"),
    ("explanatory-box", "explanatory"),
    ("info-box", "info"),
    ("kpi-box", "kpi"),
    ("faq-box", "faq"),
)

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
        "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
"""Elements that start a new line in a browser; everything else is inline."""

HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
LIST_TAGS = frozenset({"ul", "ol", "menu", "dir"})
BOX_TAGS = frozenset({"div", "aside", "section", "blockquote", "figure"})
BOX_TITLE_LEVEL = 4
"""Level of a box title written as a bold paragraph (the reading site uses h4)."""

_ORDINAL_STYLES = frozenset({"1", "a", "A", "i", "I"})
_ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)  # fmt: skip

_SELECTOR = re.compile(
    r"(?P<tag>[a-z][a-z0-9-]*|\*)?(?P<tests>(?:\.[\w-]+|\[[\w-]+(?:=[\w-]+)?\])*)"
)
_SELECTOR_TEST = re.compile(r"\.([\w-]+)|\[([\w-]+)(?:=([\w-]+))?\]")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")
_SNIFF_BYTES = 4096


# --------------------------------------------------------------------------- selectors


def selector_xpath(selector: str, title_prefix: str | None = None) -> str:
    """A CSS-ish selector (no combinators) as an XPath over an element and its descendants."""
    match = _SELECTOR.fullmatch(selector)
    if not match or not selector:
        raise ValueError(f"unsupported selector: {selector!r}")
    tests: list[str] = []
    for class_name, attribute, value in _SELECTOR_TEST.findall(match.group("tests")):
        if class_name:
            tests.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {class_name} ')")
        elif value:
            tests.append(f"@{attribute}='{value}'")
        else:
            tests.append(f"@{attribute}")
    if title_prefix is not None:
        if "'" in title_prefix:
            raise ValueError(f"title prefix cannot contain a quote: {title_prefix!r}")
        first_heading = "(h1|h2|h3|h4|h5|h6)[1]"
        tests.append(f"starts-with(normalize-space(string({first_heading})), '{title_prefix}')")
    return f"descendant-or-self::{match.group('tag') or '*'}" + "".join(f"[{t}]" for t in tests)


def _select(root: Element, xpaths: Sequence[str]) -> list[Element]:
    if not xpaths:
        return []
    result = root.xpath(" | ".join(xpaths))
    assert isinstance(result, list)
    return [node for node in result if isinstance(node, lxml.etree._Element)]


def _class_tokens(element: Element) -> set[str]:
    return set(str(element.get("class") or "").split())


# --------------------------------------------------------------------------- decoding


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII markup is NUL."""
    head = data[:512]
    if len(head) < 4:
        return None
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = len(head) // 2
    if odd_nuls > 0.8 * half and even_nuls < 0.1 * half:
        return "utf-16-le"
    if even_nuls > 0.8 * half and odd_nuls < 0.1 * half:
        return "utf-16-be"
    return None


def _declared_encoding(head: bytes) -> str | None:
    """The encoding named by ``<meta charset>`` (or an XML declaration), as a Python codec."""
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    # As browsers do (WHATWG Encoding): Latin-1 and ASCII labels mean windows-1252, and a
    # UTF-16 label read from ASCII-compatible bytes can only be wrong, so it means UTF-8.
    if name in ("iso8859-1", "ascii"):
        return "cp1252"
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def decode_html(data: bytes, *, source: str) -> str:
    """Bytes -> text: BOM, then the declared charset, then UTF-8, cp1252 and Latin-1."""
    text = decode_bom(data)
    if text is not None:
        return text
    utf16 = _sniff_utf16(data)
    if utf16 is not None:
        return data.decode(utf16, errors="replace")
    if looks_binary(data):
        raise ExtractionError("binary data, not HTML", path=source)
    declared = _declared_encoding(data[:_SNIFF_BYTES])
    for codec in (declared, "utf-8", "cp1252"):
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never fails: every byte is a character


def parse_html(text: str, *, source: str) -> Element:
    """Parse with a parser that fetches nothing; stop rather than silently lose text."""
    parser = lxml.html.HTMLParser(
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        # Our own decoding wins over any <meta charset> in the text.
        encoding="utf-8",
        # Without it libxml2 drops text nodes over 10 MB and stops at depth 256, silently.
        huge_tree=True,
    )
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (lxml.etree.LxmlError, ValueError) as error:
        raise ExtractionError(f"cannot parse the HTML: {error}", path=source) from error
    for entry in parser.error_log:
        if entry.level_name == "FATAL":
            # libxml2's hint names a flag already set; the reason before it is what matters.
            message = entry.message.split(", use XML_PARSE_HUGE")[0].strip()
            raise ExtractionError(
                f"cannot parse the HTML (line {entry.line}): {message}", path=source
            )
    return root


# --------------------------------------------------------------------------- list markers


def _alphabetic(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


def _roman(number: int) -> str:
    numeral = ""
    for value, letters in _ROMAN:
        while number >= value:
            numeral += letters
            number -= value
    return numeral


def ordinal_marker(number: int, style: str) -> str:
    """The marker a browser prints for list item ``number`` of ``<ol type=style>``: "3.", "c."."""
    if style in ("a", "A") and number > 0:
        text = _alphabetic(number)
    elif style in ("i", "I") and 0 < number < 4000:
        text = _roman(number)
    else:
        text = str(number)  # browsers fall back to decimal outside a style's range
    return (text.upper() if style.isupper() else text) + "."


def _int_attribute(element: Element, name: str) -> int | None:
    value = element.get(name)
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


@dataclass
class _Counter:
    """Numbering state of one ``<ol>`` (or ``<ul>``)."""

    ordered: bool
    style: str = "1"
    value: int = 1
    step: int = 1

    @classmethod
    def for_list(cls, element: Element) -> _Counter:
        if element.tag != "ol":
            return cls(ordered=False)
        style = str(element.get("type") or "1")
        style = style if style in _ORDINAL_STYLES else "1"
        reverse = element.get("reversed") is not None
        start = _int_attribute(element, "start")
        if start is None:
            start = len(element.findall("li")) if reverse else 1
        return cls(ordered=True, style=style, value=start, step=-1 if reverse else 1)

    def next_marker(self, item: Element) -> str:
        if not self.ordered:
            return "•"
        value = _int_attribute(item, "value")
        if value is not None:
            self.value = value
        style = str(item.get("type") or "")
        marker = ordinal_marker(self.value, style if style in _ORDINAL_STYLES else self.style)
        self.value += self.step
        return marker


# --------------------------------------------------------------------------- the walk


@dataclass
class _Frame:
    """An open block-level element: where text directly inside it goes."""

    element: Element
    kind: BlockKind
    level: int = 0
    marker: str | None = None
    box: BoxKind | None = None
    box_id: int | None = None
    list_depth: int = 0
    counter: _Counter | None = None
    owner: _Frame | None = None
    """The ``<li>`` whose marker this frame's first text carries (``<li><p>...</p></li>``)."""
    chrome: bool = False
    """Text directly inside is page furniture, not the draft (outside the content roots)."""
    parts: list[str] = field(default_factory=list)
    emitted: bool = False


def _subtree_text(element: Element, bullets: bool = False) -> str:
    """All text of an element, with block boundaries as spaces (for ``Dropped``); with
    ``bullets``, each list item opens with "• " (a table cell's list)."""
    parts: list[str] = []
    for event, node in lxml.etree.iterwalk(element, events=("start", "end")):
        is_block = node.tag in BLOCK_TAGS or node.tag == "br"
        if event == "start":
            parts.append(" • " if bullets and node.tag == "li" else " " if is_block else "")
            parts.append((node.text or "") if isinstance(node.tag, str) else "")
        else:
            parts.append(" " if is_block else "")
            if node is not element:
                parts.append(node.tail or "")
    return normalize_text("".join(parts))


def _is_bold_title(element: Element) -> bool:
    """``<p><strong>LEGAL TEXT</strong></p>``: a paragraph that is one bold run."""
    if element.tag != "p" or len(element) != 1 or (element.text or "").strip():
        return False
    only = element[0]
    return only.tag in ("strong", "b") and not (only.tail or "").strip()


def _box_kind(element: Element) -> BoxKind | None:
    """The box an element opens: by class, or for quotes and ``*-box`` by its title."""
    if element.tag not in BOX_TAGS:
        return None
    classes = _class_tokens(element)
    for class_name, kind in BOX_CLASSES:
        if class_name in classes:
            return kind
    if element.tag == "blockquote" or any(c == "box" or c.endswith("-box") for c in classes):
        title = element.xpath("normalize-space(string(*[1]))")
        return classify_box_title(str(title)) or "box"
    return None


@dataclass
class _Walk:
    """State of one extraction; created per call, never shared."""

    chrome: set[Element]
    icons: set[Element]
    content_roots: set[Element]
    content_ancestors: set[Element]
    budget: BlockBudget
    blocks: list[Block] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    frames: list[_Frame] = field(default_factory=list)
    boxes: int = 0
    tables: int = 0

    def run(self, body: Element) -> None:
        walker = lxml.etree.iterwalk(body, events=("start", "end"))
        for event, element in walker:
            if event == "start":
                if not self.enter(element):
                    walker.skip_subtree()
            else:
                self.leave(element)
                self.budget.check(len(self.blocks) + len(self.dropped))

    def enter(self, element: Element) -> bool:
        """Open an element; ``False`` if its content is to be skipped."""
        tag = element.tag
        if not isinstance(tag, str):
            return False
        if self.frames and self.is_chrome(element):
            self.drop(_subtree_text(element))
            return False
        if element in self.icons:
            return False
        if tag == "br":
            self.frames[-1].parts.append(" ")
            return True
        if tag == "table" and self.frames and not self.frames[-1].chrome:
            self.flush(self.frames[-1])
            self.add_table(element, self.frames[-1])
            return False
        if tag in BLOCK_TAGS or not self.frames:
            if self.frames:
                self.flush(self.frames[-1])
            self.frames.append(self.open_frame(element))
        self.frames[-1].parts.append(element.text or "")
        return True

    def leave(self, element: Element) -> None:
        frame = self.frames[-1]
        if frame.element is element:
            self.flush(frame)
            self.frames.pop()
        if self.frames:
            self.frames[-1].parts.append(element.tail or "")

    def is_chrome(self, element: Element) -> bool:
        if element in self.chrome:
            return True
        # Outside the marked content, everything but the way down to it is chrome.
        return (
            self.frames[-1].chrome
            and element not in self.content_roots
            and element not in self.content_ancestors
        )

    def open_frame(self, element: Element) -> _Frame:
        tag = str(element.tag)
        parent = self.frames[-1] if self.frames else None
        frame = _Frame(element=element, kind="paragraph")
        if parent is not None:
            frame.box, frame.box_id = parent.box, parent.box_id
            frame.list_depth = parent.list_depth
            frame.chrome = parent.chrome and element not in self.content_roots
        else:
            frame.chrome = bool(self.content_roots) and element not in self.content_roots
        box = _box_kind(element)
        if box is not None:
            self.boxes += 1
            frame.box, frame.box_id = box, self.boxes
        if tag in HEADING_TAGS:
            frame.kind, frame.level = "heading", HEADING_TAGS[tag]
        elif tag in LIST_TAGS:
            frame.counter = _Counter.for_list(element)
            frame.list_depth += 1
        elif tag == "li":
            counter = next(
                (f.counter for f in reversed(self.frames) if f.counter is not None), None
            )
            frame.kind, frame.level = "list-item", max(frame.list_depth, 1)
            frame.marker = counter.next_marker(element) if counter else "•"
        elif parent is not None:
            self.adopt(frame, parent)
        return frame

    def adopt(self, frame: _Frame, parent: _Frame) -> None:
        """Give a paragraph the identity its context implies: list item or box title."""
        tag = frame.element.tag
        if parent.kind == "list-item" and not parent.emitted and tag in ("p", "div"):
            frame.owner = parent
        # A box opening with a bold paragraph has a title, like the reading site's <h4>.
        box_untouched = not self.blocks or self.blocks[-1].box_id != parent.box_id
        is_title = parent.box_id is not None and box_untouched and _is_bold_title(frame.element)
        if is_title and _box_kind(parent.element) is not None:
            frame.kind, frame.level = "heading", BOX_TITLE_LEVEL

    def flush(self, frame: _Frame) -> None:
        text = normalize_text("".join(frame.parts))
        frame.parts.clear()
        if not text:
            return
        if frame.chrome:
            self.drop(text)
            return
        identity = frame.owner if frame.owner is not None and not frame.owner.emitted else frame
        kind, level, marker = identity.kind, identity.level, identity.marker
        if kind == "list-item" and identity.emitted:
            # Text after a nested list, still inside the item: it reads as a paragraph.
            kind, level, marker = "paragraph", 0, None
        elif kind == "list-item":
            printed, rest = split_list_marker(text)
            if printed is not None and rest.strip():
                marker, text = printed, normalize_text(rest)
        identity.emitted = frame.emitted = True
        self.blocks.append(
            Block(
                text=text,
                kind=kind,
                level=level,
                marker=marker,
                box=frame.box,
                box_id=frame.box_id,
            )
        )

    def add_table(self, table: Element, parent: _Frame) -> None:
        """A table's caption as a paragraph, then its rows: header rows (``<th>`` cells
        only, or in ``<thead>``) as the table's text, the others as items, the cells
        joined by " | " as in a PDF's table."""
        caption = table.find("caption")
        if caption is not None and _subtree_text(caption):
            self.blocks.append(
                Block(_subtree_text(caption), "paragraph", box=parent.box, box_id=parent.box_id)
            )
        self.tables += 1
        for row in table.iter("tr"):
            if next(row.iterancestors("table")) is not table:
                continue  # a row of a table inside a cell: part of that cell's text
            cells = [cell for cell in row if cell.tag in ("td", "th")]
            text = normalize_text(
                CELL_SEPARATOR.join(_subtree_text(cell, bullets=True) for cell in cells)
            )
            if not text.strip(" |"):
                continue
            section = row.getparent()
            in_head = section is not None and section.tag == "thead"
            header = in_head or all(cell.tag == "th" for cell in cells)
            self.blocks.append(
                Block(
                    text=text,
                    kind="paragraph" if header else "list-item",
                    level=0 if header else 1,
                    box=parent.box,
                    box_id=parent.box_id,
                    table_id=self.tables,
                )
            )

    def drop(self, text: str) -> None:
        if text:
            self.dropped.append(Dropped(text=text, reason="chrome"))


def _outermost(elements: Sequence[Element]) -> list[Element]:
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


def _title(root: Element, blocks: Sequence[Block]) -> str | None:
    return clean_title(str(root.xpath("string(/html/head/title)"))) or title_from_blocks(blocks)


_DATE_META = (
    "date",
    "dc.date",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "article:published_time",
    "citation_publication_date",
)
"""Meta tags (``name`` or ``property``) that date a page, the most usual first."""


def _date(root: Element) -> str | None:
    """The page's date from its meta tags, else from a ``<time datetime>`` in its header."""
    metas = {
        str(meta.get("name") or meta.get("property") or "").lower(): meta.get("content")
        for meta in root.iterfind(".//head/meta")
    }
    for key in _DATE_META:
        date = iso_date(metas.get(key))
        if date:
            return date
    times = root.xpath("//header//time/@datetime")
    return iso_date(str(times[0])) if isinstance(times, list) and times else None


def extract_html(
    data: bytes, *, source: str, sha256: str, max_blocks: int | None = None
) -> Document:
    """Read an HTML draft into blocks; the site's own additions go to ``dropped``. Stop
    past ``max_blocks``."""
    root = parse_html(decode_html(data, source=source), source=source)
    lxml.etree.strip_elements(root, *SKIPPED_TAGS, with_tail=False)
    body = root.find("body")
    if body is None:
        body = root
    content = _outermost(_select(body, [selector_xpath(s) for s in CONTENT_SELECTORS]))
    walk = _Walk(
        chrome=set(_select(body, [selector_xpath(*rule[1:]) for rule in CHROME_RULES])),
        icons=set(_select(body, [selector_xpath(s) for s in ICON_SELECTORS])),
        content_roots=set(content),
        content_ancestors={a for element in content for a in element.iterancestors()},
        budget=BlockBudget(source, max_blocks),
    )
    walk.run(body)
    if not walk.blocks and not walk.dropped:
        raise ExtractionError("no text found in the HTML", path=source)
    return Document(
        source=source,
        format="html",
        sha256=sha256,
        pages=None,
        blocks=tuple(walk.blocks),
        dropped=tuple(walk.dropped),
        title=_title(root, walk.blocks),
        date=_date(root),
    )
