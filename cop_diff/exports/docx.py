"""A Word document whose tracked changes are the redline: reject them all and you read
the old draft's words, accept them all and you read the new draft's.

It opens with a summary of the findings (weaker, stronger, worth a look), then the
whole document: one paragraph per provision, in the order of the HTML report; changed
words are ``w:del``/``w:ins`` revisions by "cop-diff" at a fixed date, so the same
comparison gives the same bytes. Each provision with a weakening of the finding tier
carries a Word comment saying what got weaker. Headings use Word's built-in heading
styles, so that the navigation pane lists them.

A minimal OOXML package (content types, relationships, ``word/document.xml``,
``word/styles.xml``, ``word/comments.xml``) built with lxml and written with zipfile.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

from lxml import etree

from cop_diff.labels import draft_caption, draft_title
from cop_diff.model import Comparison, DiffOp, Provision
from cop_diff.redline import FindingView, Redline, Row, build_redline
from cop_diff.sanity import comparison_warnings

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR = "cop-diff"
REVISION_DATE = "2000-01-01T00:00:00Z"
"""Fixed, so that output is reproducible; the drafts carry no date we could trust."""
INDENT_TWIPS = 360
"""A quarter inch of indentation per level of the provision tree."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_WORD_TYPE}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_WORD_TYPE}.styles+xml"/>'
    f'<Override PartName="/word/comments.xml" ContentType="{_WORD_TYPE}.comments+xml"/>'
    "</Types>"
)
_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOCUMENT_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIP}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATIONSHIP}/comments" Target="comments.xml"/>'
    "</Relationships>"
)
HEADING_LEVELS = 3
"""Heading 1 to 3: the report's parts, its sections, and the draft's top provisions."""
PACKAGE_RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)

# XML 1.0 cannot carry most control characters; a PDF's text layer sometimes has them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


class _Writer:
    """Builds ``w:body``, numbering the revisions (Word wants each ``w:id`` unique)."""

    def __init__(self) -> None:
        self.body = etree.Element(_w("body"))
        self.comments = etree.Element(_w("comments"), nsmap={"w": W_NS})
        self._next_id = 0

    def _id(self) -> str:
        # Revisions and comments share one sequence: Word wants annotation ids unique.
        self._next_id += 1
        return str(self._next_id - 1)

    def revision(self, kind: str) -> etree._Element:
        element = etree.Element(_w(kind))
        element.set(_w("id"), self._id())
        element.set(_w("author"), AUTHOR)
        element.set(_w("date"), REVISION_DATE)
        return element

    def paragraph(
        self, depth: int = 0, mark: str | None = None, heading: int = 0
    ) -> etree._Element:
        """A paragraph; ``mark`` "ins"/"del" tracks the paragraph mark itself, so that
        accepting a removal removes the whole paragraph, not just its words; ``heading``
        1-3 gives it Word's heading style of that level."""
        paragraph = etree.SubElement(self.body, _w("p"))
        properties = etree.SubElement(paragraph, _w("pPr"))
        if heading:
            etree.SubElement(properties, _w("pStyle"), {_w("val"): f"Heading{heading}"})
        etree.SubElement(properties, _w("spacing"), {_w("after"): "120"})
        if depth:
            etree.SubElement(properties, _w("ind"), {_w("left"): str(depth * INDENT_TWIPS)})
        if mark:
            run_properties = etree.SubElement(properties, _w("rPr"))
            run_properties.append(self.revision(mark))
        return paragraph

    def text(self, text: str, *, heading: int = 0, bold: str = "") -> etree._Element:
        """A plain paragraph: an optional bold lead (``bold``), then ``text``."""
        paragraph = self.paragraph(heading=heading)
        if bold:
            paragraph.append(_run(bold, deleted=False, bold=True))
        paragraph.append(_run(text, deleted=False))
        return paragraph

    def comment(self, paragraph: etree._Element, text: str) -> None:
        """A comment on the whole of ``paragraph``, by cop-diff."""
        comment_id = self._id()
        comment = etree.SubElement(self.comments, _w("comment"))
        comment.set(_w("id"), comment_id)
        comment.set(_w("author"), AUTHOR)
        comment.set(_w("initials"), "cd")
        comment.set(_w("date"), REVISION_DATE)
        etree.SubElement(comment, _w("p")).append(_run(text, deleted=False))
        start = etree.Element(_w("commentRangeStart"), {_w("id"): comment_id})
        paragraph.insert(1, start)  # after the paragraph's properties
        etree.SubElement(paragraph, _w("commentRangeEnd"), {_w("id"): comment_id})
        reference = etree.SubElement(paragraph, _w("r"))
        etree.SubElement(reference, _w("commentReference"), {_w("id"): comment_id})

    def add_ops(self, paragraph: etree._Element, ops: Iterable[DiffOp], bold: bool = False) -> None:
        for op in ops:
            run = _run(op.text, deleted=op.op == -1, bold=bold)
            if op.op == 0:
                paragraph.append(run)
            else:
                wrapper = self.revision("del" if op.op == -1 else "ins")
                wrapper.append(run)
                paragraph.append(wrapper)


def _run(text: str, deleted: bool, bold: bool = False) -> etree._Element:
    """A run; line breaks become ``w:br``, deleted text goes in ``w:delText``."""
    run = etree.Element(_w("r"))
    if bold:
        properties = etree.SubElement(run, _w("rPr"))
        etree.SubElement(properties, _w("b"))
    for i, line in enumerate(_NOT_XML.sub("", text).split("\n")):
        if i:
            etree.SubElement(run, _w("br"))
        if line:
            element = etree.SubElement(run, _w("delText" if deleted else "t"))
            element.set(XML_SPACE, "preserve")
            element.text = line
    return run


def _title(provision: Provision) -> str:
    if provision.heading and provision.heading != provision.label:
        return f"{provision.label} · {provision.heading}"
    return provision.label


def _title_ops(row: Row) -> tuple[DiffOp, ...]:
    """The label and heading, as a tracked change where they changed."""
    if row.old is None or row.new is None:
        provision = row.new or row.old
        assert provision is not None
        return (DiffOp(0, _title(provision)),)
    if row.titled:
        return row.heading_ops or (DiffOp(0, row.new.label),)
    label: tuple[DiffOp, ...] = (
        (DiffOp(-1, row.old.label), DiffOp(1, row.new.label))
        if row.renumbered
        else (DiffOp(0, row.new.label),)
    )
    if row.heading_ops:
        return (*label, DiffOp(0, " · "), *row.heading_ops)
    heading = row.new.heading
    return label + ((DiffOp(0, f" · {heading}"),) if heading and heading != row.new.label else ())


def _as(op: int, ops: Iterable[DiffOp]) -> tuple[DiffOp, ...]:
    """All of a provision's words as one side's: a removed or added paragraph."""
    return tuple(DiffOp(-1 if op < 0 else 1, o.text) for o in ops if o.op in (0, op))


def _write_removed(writer: _Writer, provision: Provision, depth: int) -> etree._Element:
    paragraph = writer.paragraph(depth, mark="del")
    writer.add_ops(paragraph, (DiffOp(-1, _title(provision)),), bold=True)
    if provision.text:
        writer.add_ops(paragraph, (DiffOp(-1, "\n" + provision.text),))
    return paragraph


def _heading_level(row: Row) -> int:
    """Commitments, sections and the like near the top are headings (levels 2-3, under
    "The whole document"), so that Word's navigation pane lists them."""
    return 2 + row.depth if row.in_toc and row.depth < HEADING_LEVELS - 1 else 0


def _write_row(writer: _Writer, row: Row) -> etree._Element:
    """The row's paragraph(s); returns the one that holds its main provision."""
    for old in row.merged:  # their words now live in this row's new provision
        _write_removed(writer, old, row.depth)
    if row.new is None:
        assert row.old is not None
        return _write_removed(writer, row.old, row.depth)
    added = row.old is None
    mark = "ins" if added else None
    # A paragraph's label ("¶") says nothing in a document of paragraphs.
    title = () if row.new.kind == "paragraph" else _title_ops(row)
    text = row.ops if row.new.text else ()
    if added:
        title, text = _as(1, title), _as(1, text)
    level = _heading_level(row)
    paragraph = writer.paragraph(row.depth, mark=mark, heading=level if title else 0)
    writer.add_ops(paragraph, title, bold=not level)
    if title and text:
        if level:  # the heading stands alone; the text is body text under it
            paragraph = writer.paragraph(row.depth, mark=mark)
        else:
            writer.add_ops(paragraph, (DiffOp(1 if added else 0, "\n"),))
    writer.add_ops(paragraph, text)
    return paragraph


def _write_summary(writer: _Writer, redline: Redline) -> None:
    """The findings first, most significant first: what a reader acts on."""
    counts = redline.direction_counts
    looks = redline.by_tier("worth-a-look")
    writer.text("Summary of findings", heading=1)
    writer.text(
        f"{counts['weakening']} weaker, {counts['strengthening']} stronger, "
        f"{len(looks)} worth a look (less sure), {len(redline.by_tier('other'))} other "
        "changes. Each weakening is also a comment on its provision in the document below."
    )
    sections = (
        ("What got weaker", redline.by_direction("weakening")),
        ("What got stronger", redline.by_direction("strengthening")),
        ("Worth a look", looks),
    )
    for title, views in sections:
        writer.text(f"{title} ({len(views)})", heading=2)
        if not views:
            writer.text("None.")
        for view in views:
            found = view.finding
            writer.text(
                f"{view.statement} ({found.rule}, confidence {found.confidence:.0%})",
                bold=f"{view.where}: ",
            )


def _comment_text(view: FindingView) -> str:
    return f"Weaker ({view.finding.rule}): {view.statement}"


def document_xml(redline: Redline) -> tuple[bytes, bytes]:
    """``word/document.xml`` and ``word/comments.xml``."""
    writer = _Writer()
    old, new = redline.comparison.old.document, redline.comparison.new.document
    writer.text(f"Redline: {draft_title(old)} → {draft_title(new)}", heading=1)
    writer.text(draft_caption(old), bold="Old draft: ")
    writer.text(draft_caption(new), bold="New draft: ")
    for warning in comparison_warnings(redline.comparison):
        writer.text(warning, bold="Warning: ")
    _write_summary(writer, redline)
    writer.text("The whole document", heading=1)
    writer.text(
        "Tracked changes by cop-diff: deletions are the old draft's words, "
        "insertions the new draft's."
    )
    for row in redline.rows:
        paragraph = _write_row(writer, row)
        for view in redline.findings_at(row):
            if view.finding.direction == "weakening":
                writer.comment(paragraph, _comment_text(view))
    section = etree.SubElement(writer.body, _w("sectPr"))
    etree.SubElement(section, _w("pgSz"), {_w("w"): "11906", _w("h"): "16838"})  # A4
    # Word's schema requires all seven margins; 1134 twips is 2 cm.
    margins = {_w(side): "1134" for side in ("top", "right", "bottom", "left")}
    margins |= {_w("header"): "709", _w("footer"): "709", _w("gutter"): "0"}
    etree.SubElement(section, _w("pgMar"), margins)
    document = etree.Element(_w("document"), nsmap={"w": W_NS})
    document.append(writer.body)
    return _xml(document), _xml(writer.comments)


def _xml(element: etree._Element) -> bytes:
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True))


def styles_xml() -> bytes:
    """Normal text and Heading 1-3, with outline levels: the navigation pane's entries."""
    styles = etree.Element(_w("styles"), nsmap={"w": W_NS})
    normal = etree.SubElement(styles, _w("style"), {_w("type"): "paragraph", _w("default"): "1"})
    normal.set(_w("styleId"), "Normal")
    etree.SubElement(normal, _w("name"), {_w("val"): "Normal"})
    sizes = {1: "32", 2: "28", 3: "24"}  # half-points
    for level in range(1, HEADING_LEVELS + 1):
        style = etree.SubElement(styles, _w("style"), {_w("type"): "paragraph"})
        style.set(_w("styleId"), f"Heading{level}")
        etree.SubElement(style, _w("name"), {_w("val"): f"heading {level}"})
        etree.SubElement(style, _w("basedOn"), {_w("val"): "Normal"})
        etree.SubElement(style, _w("next"), {_w("val"): "Normal"})
        etree.SubElement(style, _w("qFormat"))
        paragraph = etree.SubElement(style, _w("pPr"))
        etree.SubElement(paragraph, _w("keepNext"))
        etree.SubElement(paragraph, _w("spacing"), {_w("before"): "240", _w("after"): "120"})
        etree.SubElement(paragraph, _w("outlineLvl"), {_w("val"): str(level - 1)})
        run = etree.SubElement(style, _w("rPr"))
        etree.SubElement(run, _w("b"))
        etree.SubElement(run, _w("sz"), {_w("val"): sizes[level]})
    return _xml(styles)


def _add(package: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    package.writestr(info, data)


def render_docx(comparison: Comparison) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        _add(package, "[Content_Types].xml", CONTENT_TYPES.encode("utf-8"))
        _add(package, "_rels/.rels", PACKAGE_RELATIONSHIPS.encode("utf-8"))
        document, comments = document_xml(build_redline(comparison))
        _add(package, "word/document.xml", document)
        _add(package, "word/_rels/document.xml.rels", DOCUMENT_RELATIONSHIPS.encode("utf-8"))
        _add(package, "word/styles.xml", styles_xml())
        _add(package, "word/comments.xml", comments)
    return buffer.getvalue()
