"""A Word document whose tracked changes are the redline: reject them all and you read
the old draft's words, accept them all and you read the new draft's.

A minimal OOXML package (content types, one relationship, ``word/document.xml``) built
with lxml and written with zipfile. One paragraph per provision, in the order of the
HTML report; changed words are ``w:del``/``w:ins`` revisions by "cop-diff" at a fixed
date, so the same comparison gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable

from lxml import etree

from cop_diff.model import Comparison, DiffOp, Provision
from cop_diff.redline import Redline, Row, build_redline
from cop_diff.sanity import comparison_warnings

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR = "cop-diff"
REVISION_DATE = "2000-01-01T00:00:00Z"
"""Fixed, so that output is reproducible; the drafts carry no date we could trust."""
INDENT_TWIPS = 360
"""A quarter inch of indentation per level of the provision tree."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
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
        self._next_id = 0

    def revision(self, kind: str) -> etree._Element:
        element = etree.Element(_w(kind))
        element.set(_w("id"), str(self._next_id))
        element.set(_w("author"), AUTHOR)
        element.set(_w("date"), REVISION_DATE)
        self._next_id += 1
        return element

    def paragraph(self, depth: int = 0, mark: str | None = None) -> etree._Element:
        """A paragraph; ``mark`` "ins"/"del" tracks the paragraph mark itself, so that
        accepting a removal removes the whole paragraph, not just its words."""
        paragraph = etree.SubElement(self.body, _w("p"))
        properties = etree.SubElement(paragraph, _w("pPr"))
        etree.SubElement(properties, _w("spacing"), {_w("after"): "120"})
        if depth:
            etree.SubElement(properties, _w("ind"), {_w("left"): str(depth * INDENT_TWIPS)})
        if mark:
            run_properties = etree.SubElement(properties, _w("rPr"))
            run_properties.append(self.revision(mark))
        return paragraph

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


def _write_removed(writer: _Writer, provision: Provision, depth: int) -> None:
    paragraph = writer.paragraph(depth, mark="del")
    writer.add_ops(paragraph, (DiffOp(-1, _title(provision)),), bold=True)
    if provision.text:
        writer.add_ops(paragraph, (DiffOp(-1, "\n" + provision.text),))


def _write_row(writer: _Writer, row: Row) -> None:
    for old in row.merged:  # their words now live in this row's new provision
        _write_removed(writer, old, row.depth)
    if row.new is None:
        assert row.old is not None
        _write_removed(writer, row.old, row.depth)
        return
    added = row.old is None
    paragraph = writer.paragraph(row.depth, mark="ins" if added else None)
    # A paragraph's label ("¶") says nothing in a document of paragraphs.
    title = () if row.new.kind == "paragraph" else _title_ops(row)
    text = row.ops if row.new.text else ()
    if added:
        title, text = _as(1, title), _as(1, text)
    writer.add_ops(paragraph, title, bold=True)
    if title and text:
        writer.add_ops(paragraph, (DiffOp(1 if added else 0, "\n"),))
    writer.add_ops(paragraph, text)


def document_xml(redline: Redline) -> bytes:
    writer = _Writer()
    old = redline.comparison.old.document.source
    new = redline.comparison.new.document.source
    heading = writer.paragraph()
    writer.add_ops(heading, (DiffOp(0, f"Redline: {old} → {new}"),), bold=True)
    note = writer.paragraph()
    writer.add_ops(
        note,
        (
            DiffOp(
                0,
                "Tracked changes by cop-diff: deletions are the old draft's words, "
                "insertions the new draft's.",
            ),
        ),
    )
    for warning in comparison_warnings(redline.comparison):
        notice = writer.paragraph()
        writer.add_ops(notice, (DiffOp(0, "Warning: "),), bold=True)
        writer.add_ops(notice, (DiffOp(0, warning),))
    for row in redline.rows:
        _write_row(writer, row)
    section = etree.SubElement(writer.body, _w("sectPr"))
    etree.SubElement(section, _w("pgSz"), {_w("w"): "11906", _w("h"): "16838"})  # A4
    # Word's schema requires all seven margins; 1134 twips is 2 cm.
    margins = {_w(side): "1134" for side in ("top", "right", "bottom", "left")}
    margins |= {_w("header"): "709", _w("footer"): "709", _w("gutter"): "0"}
    etree.SubElement(section, _w("pgMar"), margins)
    document = etree.Element(_w("document"), nsmap={"w": W_NS})
    document.append(writer.body)
    return bytes(etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True))


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
        _add(package, "word/document.xml", document_xml(build_redline(comparison)))
    return buffer.getvalue()
