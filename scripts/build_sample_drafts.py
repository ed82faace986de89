"""Print the bundled sample drafts (drafts/source/sample-v*.md) to PDF with fpdf2.

The sources follow the Markdown convention of cop-diff's Markdown reader:

- ``# Title``; ``## Commitment 2. Title`` (or ``Measure 5.``, ``Appendix 1.``, ``Recitals``);
  ``### Measure 2.1. Title`` (or ``Sub-Measure 5.1.``, ``3.1 Title``, ``Appendix 1.1 Title``);
- paragraphs separated by blank lines;
- list items ``- text`` (bullet), ``(a) text`` / ``(1) text``, nested by 4 spaces;
- boxes as blockquotes whose first line is the bold title (``> **LEGAL TEXT**``), a lone ``>``
  separating paragraphs inside the box;
- ``**bold**`` inside a line.

The PDF adds what a printed draft has and the source does not: a running header
"DRAFT DOCUMENT", a "N / M" page footer, a table of contents with dotted leaders after the
opening statement (the document is laid out twice so that it shows the final page numbers),
shaded boxes, justified text with hanging-indented list items, and hyphenation of a few long
words at line ends (soft hyphens inserted from HYPHENATION below, so the sources stay free of
invisible characters).

Output is deterministic: the creation date is fixed, so re-running gives identical bytes.
It is the date a source gives on its first line (``<!-- published: 2032-04-14 -->``),
the draft's own date in reports, else ``CREATION_DATE``.

Usage: python scripts/build_sample_drafts.py [--source DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ("sample-v1", "sample-v2", "sample-v3")
CREATION_DATE = datetime(2026, 1, 1, tzinfo=UTC)

FONT = "Times"  # core font; text is encoded as cp1252 (see FPDF.core_fonts_encoding)
BODY_SIZE = 11.0
LINE_H = 4.6  # mm, body line height
PARA_GAP = 2.2  # mm between paragraphs
ITEM_GAP = 1.0  # mm between list items
LIST_INDENT = 7.0  # mm, hanging indent of a list item (per nesting level)
BOX_PAD = 3.0  # mm, inner padding of a box
BOX_FILL = (238, 236, 226)  # light beige
SOFT_HYPHEN = "\u00ad"
BULLET = "\u2022"

# Break points for a few long words; multi_cell breaks at a soft hyphen and prints "-" there.
HYPHENATION = {
    "infrastructure": "in-fra-struc-ture",
    "interference": "in-ter-fer-ence",
    "retaliation": "re-tal-i-a-tion",
    "representative": "rep-re-sen-ta-tive",
    "investigation": "in-ves-ti-ga-tion",
    "notification": "no-ti-fi-ca-tion",
    "identification": "iden-ti-fi-ca-tion",
    "implementing": "im-ple-ment-ing",
    "maintenance": "main-te-nance",
    "supervision": "su-per-vi-sion",
    "manufacturers": "man-u-fac-tur-ers",
    "authenticate": "au-then-ti-cate",
    "organisations": "or-gan-i-sa-tions",
    "proportionate": "pro-por-tion-ate",
    "information": "in-for-ma-tion",
    "navigation": "nav-i-ga-tion",
    "authorities": "au-thor-i-ties",
    "geographical": "ge-o-graph-i-cal",
    "assessments": "as-sess-ments",
    "vulnerabilities": "vul-ner-a-bil-i-ties",
    "corrective": "cor-rec-tive",
    "compliance": "com-pli-ance",
    "operations": "op-er-a-tions",
    "controller": "con-trol-ler",
}

ITEM_RE = re.compile(r"^(?P<indent> *)(?P<marker>- |\((?:[0-9]+|[a-z]{1,4})\) )(?P<text>.*)$")
BOX_TITLE_RE = re.compile(r"^\*\*(?P<title>.+)\*\*$")


class SourceError(Exception):
    """A sample draft source does not follow the Markdown convention."""


@dataclass
class Block:
    """One printable unit: heading, paragraph, list item or box."""

    kind: str  # "title" | "h2" | "h3" | "para" | "item" | "box"
    text: str = ""
    marker: str = ""
    level: int = 0
    children: list[Block] = field(default_factory=list)


def parse(lines: list[str], where: str) -> list[Block]:
    """Parse source lines (already stripped of any box prefix) into blocks."""
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("para", " ".join(para)))
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        if line.startswith(">"):
            flush()
            box_lines: list[str] = []
            while i < len(lines) and lines[i].startswith(">"):
                box_lines.append(lines[i][1:].removeprefix(" ").rstrip())
                i += 1
            match = BOX_TITLE_RE.match(box_lines[0])
            if not match:
                raise SourceError(f"{where}: a box must start with a bold title line")
            blocks.append(
                Block("box", match["title"], children=parse(box_lines[1:], f"{where} (box)"))
            )
            continue
        i += 1
        if not line.strip():
            flush()
        elif line.startswith("#"):
            flush()
            hashes, _, text = line.partition(" ")
            kinds = {"#": "title", "##": "h2", "###": "h3"}
            if hashes not in kinds:
                raise SourceError(f"{where}: unsupported heading {line!r}")
            blocks.append(Block(kinds[hashes], text.strip()))
        elif item := ITEM_RE.match(line):
            flush()
            indent = len(item["indent"])
            if indent % 4:
                raise SourceError(f"{where}: list item indented by {indent} spaces: {line!r}")
            marker = BULLET if item["marker"] == "- " else item["marker"].strip()
            blocks.append(Block("item", item["text"], marker=marker, level=indent // 4))
        else:
            para.append(line.strip())
    flush()
    return blocks


def hyphenate(text: str) -> str:
    """Insert soft hyphens into the words listed in HYPHENATION."""

    def repl(match: re.Match[str]) -> str:
        word = match[0]
        pattern = HYPHENATION.get(word.lower())
        if pattern is None:
            return word
        out, pos = [], 0
        for part in pattern.split("-"):
            out.append(word[pos : pos + len(part)])
            pos += len(part)
        return SOFT_HYPHEN.join(out)

    return re.sub(r"[A-Za-z]+", repl, text)


class DraftPDF(FPDF):
    """A4 draft layout: running header, page-of-pages footer."""

    def header(self) -> None:
        self.set_font(FONT, "", 9)
        self.set_text_color(90, 90, 90)
        self.set_y(7)
        self.cell(0, 5, "DRAFT DOCUMENT", align="C", new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 9)
        self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="C")


class Renderer:
    """Lays out parsed blocks on a DraftPDF."""

    def __init__(self, pdf: DraftPDF, pages: dict[str, int]) -> None:
        self.pdf = pdf
        self.toc_pages = pages  # heading -> page, from the previous pass (empty on the first)
        self.heading_pages: dict[str, int] = {}  # heading -> page, in this pass

    # -- measuring ---------------------------------------------------------------------------

    def text_height(self, width: float, text: str) -> float:
        pdf = self.pdf
        pdf.set_font(FONT, "", BODY_SIZE)
        height = pdf.multi_cell(
            width, LINE_H, hyphenate(text), markdown=True, dry_run=True, output="HEIGHT"
        )
        assert isinstance(height, float | int)
        return float(height)

    def box_height(self, block: Block, width: float) -> float:
        """Height of a box as box() draws it."""
        inner = width - 2 * BOX_PAD
        height = 2 * BOX_PAD + LINE_H
        children = block.children
        for index, child in enumerate(children):
            last = index + 1 == len(children) or children[index + 1].kind != "item"
            if child.kind == "item":
                indent = LIST_INDENT * (child.level + 1)
                height += self.text_height(inner - indent, child.text)
                height += PARA_GAP / 2 if last else ITEM_GAP
            else:
                height += PARA_GAP / 2 + self.text_height(inner, child.text)
        return height

    def room(self) -> float:
        return self.pdf.page_break_trigger - self.pdf.get_y()

    # -- drawing -----------------------------------------------------------------------------

    def paragraph(self, text: str, x: float, width: float, gap: float = PARA_GAP) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "", BODY_SIZE)
        pdf.set_x(x)
        pdf.multi_cell(width, LINE_H, hyphenate(text), align="J", markdown=True, new_x="LMARGIN")
        pdf.ln(gap)

    def item(self, block: Block, x: float, width: float, gap: float) -> None:
        pdf = self.pdf
        indent = LIST_INDENT * block.level
        pdf.set_font(FONT, "", BODY_SIZE)
        if self.room() < LINE_H:
            pdf.add_page()
        # The marker and a trailing space share the text's line, so text extraction keeps
        # "(a) text" together; the text itself starts at the hanging indent.
        pdf.set_x(x + indent)
        pdf.cell(LIST_INDENT, LINE_H, block.marker + " ")
        pdf.multi_cell(
            width - indent - LIST_INDENT,
            LINE_H,
            hyphenate(block.text),
            align="J",
            markdown=True,
            new_x="LMARGIN",
        )
        pdf.ln(gap)

    def heading(self, text: str, size: float, before: float, after: float, level: int) -> None:
        pdf = self.pdf
        # Keep a heading with at least three lines of what follows.
        if self.room() < before + size * 0.5 + 3 * LINE_H:
            pdf.add_page()
        elif pdf.get_y() > pdf.t_margin + 1:
            pdf.ln(before)
        pdf.start_section(text, level=level)
        if text in self.heading_pages:
            raise SourceError(f"duplicate heading {text!r}")
        self.heading_pages[text] = pdf.page_no()
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN")
        pdf.ln(after)

    def box(self, block: Block) -> None:
        pdf = self.pdf
        width = pdf.epw
        height = self.box_height(block, width)
        if height > pdf.page_break_trigger - pdf.t_margin:
            raise SourceError(f"box {block.text!r} is longer than a page")
        if height > self.room():
            pdf.add_page()
        top = pdf.get_y()
        pdf.set_fill_color(*BOX_FILL)
        pdf.set_draw_color(170, 165, 150)
        pdf.rect(pdf.l_margin, top, width, height, style="DF")
        pdf.set_y(top + BOX_PAD)
        x = pdf.l_margin + BOX_PAD
        pdf.set_x(x)
        pdf.set_font(FONT, "B", BODY_SIZE)
        pdf.cell(width - 2 * BOX_PAD, LINE_H, block.text, new_x="LMARGIN", new_y="NEXT")
        inner = width - 2 * BOX_PAD
        children = block.children
        for index, child in enumerate(children):
            if child.kind == "item":
                last = index + 1 == len(children) or children[index + 1].kind != "item"
                self.item(child, x, inner, gap=PARA_GAP / 2 if last else ITEM_GAP)
            else:
                pdf.ln(PARA_GAP / 2)
                self.paragraph(child.text, x, inner, gap=0)
        pdf.set_y(top + height + PARA_GAP + 1)

    def title(self, text: str) -> None:
        pdf = self.pdf
        pdf.ln(10)
        pdf.set_font(FONT, "B", 20)
        pdf.multi_cell(0, 9, text, align="C", new_x="LMARGIN")
        pdf.ln(8)

    def toc(self, blocks: list[Block]) -> None:
        """Table of contents with dotted leaders, flowing like body text.

        Page numbers come from the previous pass; on the first pass they are "0", which has
        the width of any other digit, so both passes lay out identically.
        """
        pdf = self.pdf
        entries = [(b.text, 0 if b.kind == "h2" else 1) for b in blocks if b.kind in ("h2", "h3")]
        pdf.ln(4)
        pdf.set_font(FONT, "B", 14)
        pdf.cell(0, 7, "Table of contents", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        width = pdf.epw
        for name, level in entries:
            indent = 6.0 * level
            pdf.set_font(FONT, "" if level else "B", 10.5 if level else 11)
            page = str(self.toc_pages.get(name, 0))
            page_w = pdf.get_string_width(page) + 1
            room = width - indent - page_w - pdf.get_string_width(name + "  ")
            dots = "." * max(3, int(room / pdf.get_string_width(".")))
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(width - indent - page_w, 5, f"{name} {dots}")
            pdf.cell(page_w, 5, page, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(PARA_GAP)

    def render(self, blocks: list[Block]) -> None:
        pdf = self.pdf
        toc_pending = False  # the table of contents follows the opening statement
        for index, block in enumerate(blocks):
            if block.kind == "title":
                self.title(block.text)
            elif block.kind == "h2":
                if toc_pending:
                    self.toc(blocks[index:])
                    toc_pending = False
                toc_pending = block.text == "Opening statement"
                self.heading(block.text, 14, 4.5, 2, level=0)
            elif block.kind == "h3":
                self.heading(block.text, 12, 3, 1.5, level=1)
            elif block.kind == "para":
                self.paragraph(block.text, pdf.l_margin, pdf.epw)
            elif block.kind == "item":
                last = index + 1 == len(blocks) or blocks[index + 1].kind != "item"
                self.item(block, pdf.l_margin, pdf.epw, gap=PARA_GAP if last else ITEM_GAP)
            elif block.kind == "box":
                self.box(block)


def check_source(text: str, where: str) -> None:
    """Fail with the offending line rather than deep in fpdf2 (or with silently wrong output).

    Core fonts print cp1252 only; and fpdf2's markdown mode would read "--" and "__" as
    underline and italics markers.
    """
    for number, line in enumerate(text.splitlines(), start=1):
        for marker in ("--", "__"):
            if marker in line:
                raise SourceError(f"{where}:{number}: {marker!r} is not allowed in the sources")
        try:
            line.encode("cp1252")
        except UnicodeEncodeError as error:
            char = line[error.start]
            raise SourceError(
                f"{where}:{number}: character {char!r} (U+{ord(char):04X}) cannot be printed "
                "with the core Times font; use a plain equivalent (e.g. '-' for a dash)"
            ) from error


PUBLISHED = re.compile(r"^<!-- published: (\d{4})-(\d{2})-(\d{2}) -->\n")


def layout(
    blocks: list[Block], title: str, pages: dict[str, int], created: datetime = CREATION_DATE
) -> tuple[DraftPDF, Renderer]:
    """One rendering pass; `pages` gives the table of contents its page numbers."""
    pdf = DraftPDF(orientation="portrait", unit="mm", format="A4")
    pdf.core_fonts_encoding = "cp1252"
    pdf.set_margins(left=20, top=18, right=20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_creation_date(created)
    pdf.set_title(title)
    pdf.set_author("cop-diff sample drafts")
    pdf.set_subject("Fictional sample draft written for testing cop-diff")
    pdf.set_lang("en")
    pdf.add_page()
    renderer = Renderer(pdf, pages)
    renderer.render(blocks)
    return pdf, renderer


def build(source: Path, target: Path) -> int:
    """Render one source file to PDF; return the number of pages."""
    text = source.read_text(encoding="utf-8")
    published = PUBLISHED.match(text)
    created = CREATION_DATE
    if published:
        created = datetime(*map(int, published.groups()), tzinfo=UTC)
        text = text[published.end() :]
    check_source(text, str(source))
    blocks = parse(text.splitlines(), str(source))
    title = next((b.text for b in blocks if b.kind == "title"), source.stem)
    # Render until the table of contents shows the pages the headings really land on.
    pages: dict[str, int] = {}
    for _ in range(3):
        pdf, renderer = layout(blocks, title, pages, created)
        if renderer.heading_pages == pages:
            break
        pages = renderer.heading_pages
    else:
        raise SourceError(f"{source}: table of contents page numbers do not converge")
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))
    return int(pdf.pages_count)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=ROOT / "drafts" / "source")
    parser.add_argument("--out", type=Path, default=ROOT / "drafts")
    args = parser.parse_args(argv)
    try:
        for name in VERSIONS:
            source = args.source / f"{name}.md"
            target = args.out / f"{name}.pdf"
            pages = build(source, target)
            print(f"wrote {target} ({pages} pages)")
    except (OSError, SourceError) as error:
        print(f"build_sample_drafts: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
