"""Plain-text and Markdown extraction: lines -> headings, paragraphs, list items, boxes.

The convention (shared with the sample drafts in ``drafts/source/*.md``):

- ``#`` .. ``######`` headings, and setext headings (a line underlined with ``===``/``---``);
- paragraphs are separated by blank lines, their lines joined with ``join_hyphenated``;
- ``-``, ``*``, ``+``, ``•`` bullets and ``(a)``, ``(1)``, ``1.``, ``a)`` enumerators start list
  items, nested by indentation (2-4 spaces or a tab per level);
- a box is a run of ``>`` lines; its first line may be a bold title (``> **LEGAL TEXT**``)
  which names the kind of box and becomes a heading inside it;
- lines with dotted leaders (a table of contents) are dropped.

Plain text without Markdown headings gets one guess: a short line standing alone that is
shaped like a numbered heading ("Commitment 3. Foo", "Article 5") or is ALL CAPS becomes a
level-2 heading. Segmentation reads the words anyway, so the guess stays conservative.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cop_diff.errors import ExtractionError
from cop_diff.extract import BlockBudget
from cop_diff.extract.docinfo import clean_title, iso_date, title_from_blocks
from cop_diff.extract.textclean import (
    classify_box_title,
    is_dotted_leader_line,
    join_hyphenated,
    normalize_text,
    split_list_marker,
)
from cop_diff.model import Block, BlockKind, BoxKind, Document, Dropped

BOX_TITLE_LEVEL = 4
"""Heading level of a box title given in bold: the reading site of the Third Draft uses h4."""

PLAIN_HEADING_LEVEL = 2
"""Level of a heading guessed in plain text, which has no levels of its own."""

TAB_WIDTH = 4

# Longest BOMs first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+")
_FENCE = re.compile(r"^ {0,3}(?:```|~~~)")
_QUOTE = re.compile(r"^ {0,3}>[ ]?")
_PLUS_BULLET = re.compile(r"^\+[ \t]+(?=\S)")
_BOLD_LINE = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1[ \t]*:?[ \t]*$")
_TOC_TITLE = re.compile(r"^\W*(?:table of )?contents\W*$", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FRONT_MATTER_KEY = re.compile(r"^[A-Za-z_][\w-]*:")

# Inline Markdown, applied in this order. Escaped punctuation is protected first.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_CODE = re.compile(r"`+")
_EMPHASIS = (
    re.compile(r"(?<![\w*])\*\*(?=\S)(.+?)(?<=\S)\*\*(?![\w*])"),
    re.compile(r"(?<![\w_])__(?=\S)(.+?)(?<=\S)__(?![\w_])"),
    re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"),
)
_PROTECT = "\ue000"
"""Private-use character wrapping an escaped character's code point while markup is stripped."""
_PROTECTED = re.compile(_PROTECT + r"(\d+)" + _PROTECT)

_NUMBERED_HEADING = re.compile(
    r"""^(?:
        (?:commitment|measure|sub-?measure|article|section|chapter|part|appendix|annex|
           recital|objective|title)\s+[0-9IVXLC]+(?:\.[0-9A-Za-z]+)*\b
      | [IVX]{1,5}\.\s+\S
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_HEADING_MAX_CHARS = 100


# --------------------------------------------------------------------------- decoding


def decode_bom(data: bytes) -> str | None:
    """Decode data that starts with a Unicode BOM; ``None`` if there is none.

    Shared with the HTML extractor. A BOM is the strongest evidence of an encoding there
    is, so bytes that do not fit it are replaced rather than re-guessed.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    return None


def looks_binary(data: bytes) -> bool:
    """True for data no text file holds: NUL bytes (without a BOM) in the first 8 KiB."""
    return b"\x00" in data[:8192]


def decode_text(data: bytes, *, source: str) -> str:
    """BOM, else UTF-8, else cp1252; anything else is not a text file we can read."""
    text = decode_bom(data)
    if text is not None:
        return text
    if looks_binary(data):
        raise ExtractionError(
            "binary data, not text (UTF-16/32 text needs a byte-order mark)", path=source
        )
    for codec in ("utf-8", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise ExtractionError("not UTF-8 or cp1252 text; re-save it as UTF-8", path=source)


# --------------------------------------------------------------------------- inline markup


def strip_inline_markup(text: str) -> str:
    """Markdown inline markup -> its text: emphasis, code ticks, links, images, escapes."""
    text = _ESCAPE.sub(lambda m: f"{_PROTECT}{ord(m.group(1))}{_PROTECT}", text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REF_LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub("", text)
    for pattern in _EMPHASIS:
        # Repeat so that nested emphasis ("**a _b_ c**") unwraps fully.
        previous = None
        while previous != text:
            previous, text = text, pattern.sub(r"\1", text)
    return _PROTECTED.sub(lambda m: chr(int(m.group(1))), text)


def _clean(text: str) -> str:
    return normalize_text(strip_inline_markup(text))


# --------------------------------------------------------------------------- lines


def _split_lines(text: str) -> list[str]:
    """Lines with page breaks as line ends and leading tabs expanded."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\f", "\n").replace("\v", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n")
    # A comment is not text, but the newlines it spans still separate paragraphs.
    text = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    return [_expand_indent(line.rstrip()) for line in text.split("\n")]


def _expand_indent(line: str) -> str:
    stripped = line.lstrip(" \t")
    indent = line[: len(line) - len(stripped)]
    return indent.expandtabs(TAB_WIDTH) + stripped


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _front_matter(lines: Sequence[str]) -> tuple[int, dict[str, str]]:
    """Skip YAML front matter (``---`` ... ``---``): how many lines it takes, and its
    top-level ``key: value`` pairs (keys lower-cased, values unquoted)."""
    if not lines or lines[0].strip() != "---":
        return 0, {}
    values: dict[str, str] = {}
    for index, line in enumerate(lines[1:50], start=1):
        stripped = line.strip()
        if stripped in ("---", "..."):
            return index + 1, values
        if not stripped:
            continue
        if not _FRONT_MATTER_KEY.match(stripped) and not line.startswith((" ", "-")):
            return 0, {}
        if not line.startswith((" ", "-")):
            key, _, value = stripped.partition(":")
            values[key.lower()] = normalize_text(value.strip().strip("\"'"))
    return 0, {}


def _list_marker(stripped: str) -> tuple[str | None, str]:
    """Split a bullet or enumerator off a line; "+" is a Markdown bullet textclean doesn't know."""
    plus = _PLUS_BULLET.match(stripped)
    if plus:
        return "•", stripped[plus.end() :]
    return split_list_marker(stripped)


def _is_markdown(lines: Sequence[str]) -> bool:
    """A document with Markdown headings states its own headings: no guessing then."""
    for index, line in enumerate(lines):
        if _ATX.match(line) and line.strip("# \t"):
            return True
        is_underline = index > 0 and _SETEXT.match(line)
        if is_underline and lines[index - 1].strip() and not _list_marker(lines[index - 1])[0]:
            return True
    return False


def looks_like_heading(text: str) -> bool:
    """A short line shaped like "Commitment 3. Foo", "Article 5", "II. Foo" or ALL CAPS."""
    if not text or len(text) >= _HEADING_MAX_CHARS or text.endswith((".", ",", ";", ":")):
        return False
    if _NUMBERED_HEADING.match(text):
        return True
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


# --------------------------------------------------------------------------- parsing


@dataclass(frozen=True)
class _Raw:
    """A block before box membership is known."""

    text: str
    kind: BlockKind
    level: int = 0
    marker: str | None = None


@dataclass
class _Pending:
    """Lines being gathered into one block."""

    kind: BlockKind
    lines: list[str]
    level: int = 0
    marker: str | None = None
    after_blank: bool = True
    """Whether a blank line (or the start of the text) came before it."""


@dataclass
class _LineParser:
    """Turns the lines of the running text or of one box into blocks; one per call."""

    guess_headings: bool
    budget: BlockBudget
    blocks: list[_Raw] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    pending: _Pending | None = None
    list_indents: list[int] = field(default_factory=list)
    """Indentation of each open list level, outermost first."""
    after_blank: bool = True

    def feed(self, lines: Iterable[str]) -> None:
        in_fence = False
        for line in lines:
            if _FENCE.match(line):
                # A fence is markup; what it encloses is kept as plain paragraphs.
                in_fence = not in_fence
                self.flush(followed_by_blank=False)
            elif in_fence:
                self.literal_line(line)
            else:
                self.line(line)
            self.budget.check(len(self.blocks) + len(self.dropped))
        self.flush(followed_by_blank=True)

    def literal_line(self, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            self.flush(followed_by_blank=True)
            self.after_blank = True
            return
        after_blank, self.after_blank = self.after_blank, False
        self.text_line(line, stripped, after_blank)

    def line(self, line: str) -> None:
        stripped = line.strip()
        if not stripped:
            self.flush(followed_by_blank=True)
            self.after_blank = True
            return
        after_blank, self.after_blank = self.after_blank, False
        if is_dotted_leader_line(stripped):
            self.drop_toc(stripped)
            return
        atx = _ATX.match(line)
        if atx:
            self.flush(followed_by_blank=False)
            self.list_indents.clear()
            text = _clean(atx.group(2) or "")
            if text:
                self.blocks.append(_Raw(text=text, kind="heading", level=len(atx.group(1))))
            return
        if self.setext(line, after_blank):
            return
        if _THEMATIC_BREAK.match(line) or _LINK_DEFINITION.match(line):
            self.flush(followed_by_blank=False)
            return
        marker, rest = _list_marker(stripped)
        if marker is not None:
            self.flush(followed_by_blank=False)
            level = self.list_level(_indent(line))
            self.pending = _Pending("list-item", [rest], level, marker, after_blank)
            return
        self.text_line(line, stripped, after_blank)

    def drop_toc(self, stripped: str) -> None:
        # The "Contents" title above the first entry belongs to the table of contents too.
        pending = self.pending
        if pending is not None and _TOC_TITLE.match(" ".join(pending.lines)):
            self.pending = None
            self.dropped.append(Dropped(text=_clean(" ".join(pending.lines)), reason="toc"))
        elif self.blocks and _TOC_TITLE.match(self.blocks[-1].text):
            self.dropped.append(Dropped(text=self.blocks.pop().text, reason="toc"))
        self.flush(followed_by_blank=False)
        self.dropped.append(Dropped(text=_clean(stripped), reason="toc"))

    def setext(self, line: str, after_blank: bool) -> bool:
        """An underline turns the paragraph above it into a heading; alone it is a rule."""
        underline = _SETEXT.match(line)
        if not underline:
            return False
        pending = self.pending
        if pending is not None and pending.kind == "paragraph" and not after_blank:
            level = 1 if underline.group(1).startswith("=") else 2
            self.pending = None
            text = _clean(" ".join(pending.lines))
            if text:
                self.blocks.append(_Raw(text=text, kind="heading", level=level))
            self.list_indents.clear()
            return True
        self.flush(followed_by_blank=False)
        return True

    def text_line(self, line: str, stripped: str, after_blank: bool) -> None:
        pending = self.pending
        if pending is not None and not after_blank:
            # Continuation of a paragraph or (indented or lazy) of a list item.
            pending.lines.append(stripped)
            return
        self.flush(followed_by_blank=after_blank)
        if self.list_indents and _indent(line) <= self.list_indents[0]:
            self.list_indents.clear()  # back at the margin: the list has ended
        self.pending = _Pending("paragraph", [stripped], after_blank=after_blank)

    def list_level(self, indent: int) -> int:
        # One space of misalignment is tolerated; two or more spaces deeper opens a level.
        while self.list_indents and indent < self.list_indents[-1] - 1:
            self.list_indents.pop()
        if not self.list_indents or indent >= self.list_indents[-1] + 2:
            self.list_indents.append(indent)
        return len(self.list_indents)

    def flush(self, *, followed_by_blank: bool) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        joined = pending.lines[0]
        for line in pending.lines[1:]:
            joined = join_hyphenated(joined, line)
        text = _clean(joined)
        if not text:
            return
        kind, level = pending.kind, pending.level
        alone = pending.after_blank and followed_by_blank and len(pending.lines) == 1
        if kind == "paragraph" and self.guess_headings and alone and looks_like_heading(text):
            kind, level = "heading", PLAIN_HEADING_LEVEL
        self.blocks.append(_Raw(text=text, kind=kind, level=level, marker=pending.marker))


def _parse(
    lines: Sequence[str], *, guess_headings: bool, budget: BlockBudget
) -> tuple[list[_Raw], list[Dropped]]:
    parser = _LineParser(guess_headings=guess_headings, budget=budget)
    parser.feed(lines)
    budget.spent += len(parser.blocks) + len(parser.dropped)
    return parser.blocks, parser.dropped


def _segments(lines: Sequence[str]) -> list[tuple[bool, list[str]]]:
    """Runs of running-text lines and of ``>`` lines (with the ``>`` removed), in order."""
    segments: list[tuple[bool, list[str]]] = []
    for line in lines:
        quote = _QUOTE.match(line)
        if quote:
            inner = line[quote.end() :]
            # Nested quotes belong to the same box.
            while (nested := _QUOTE.match(inner)) is not None:
                inner = inner[nested.end() :]
            line = _expand_indent(inner)
        is_box = quote is not None
        if segments and segments[-1][0] == is_box:
            segments[-1][1].append(line)
        else:
            segments.append((is_box, [line]))
    return segments


def _box_title(lines: list[str]) -> tuple[str | None, int, list[str]]:
    """The box's title, the level of its heading and the lines after it.

    A title is a first line that is all bold, a Markdown heading, or a short line standing
    alone that names a known kind of box ("LEGAL TEXT").
    """
    index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if index is None:
        return None, 0, []
    first = lines[index].strip()
    rest = lines[index + 1 :]
    bold = _BOLD_LINE.match(first)
    if bold:
        return _clean(bold.group(2)), BOX_TITLE_LEVEL, rest
    atx = _ATX.match(first)
    if atx and atx.group(2):
        return _clean(atx.group(2)), len(atx.group(1)), rest
    # A plain first line is a title only if it reads like one: short, alone, no sentence.
    stands_alone = not rest or not rest[0].strip()
    is_sentence = first.endswith((".", ";", ",")) or re.search(r":\s+\S", first) is not None
    short = len(first) < _HEADING_MAX_CHARS
    if stands_alone and short and not is_sentence and classify_box_title(_clean(first)):
        return _clean(first), BOX_TITLE_LEVEL, rest
    return None, 0, lines


def _first_words(raws: Sequence[_Raw]) -> str:
    return raws[0].text if raws else ""


def _blocks(
    lines: Sequence[str], *, guess_headings: bool, budget: BlockBudget
) -> tuple[list[Block], list[Dropped]]:
    blocks: list[Block] = []
    dropped: list[Dropped] = []
    box_id = 0
    for is_box, segment in _segments(lines):
        if not is_box:
            raws, lost = _parse(segment, guess_headings=guess_headings, budget=budget)
            blocks.extend(_to_block(raw, None, None) for raw in raws)
            dropped.extend(lost)
            continue
        title, title_level, body = _box_title(segment)
        raws, lost = _parse(body, guess_headings=False, budget=budget)
        dropped.extend(lost)
        if title:
            raws.insert(0, _Raw(text=title, kind="heading", level=title_level))
        if not raws:
            continue
        # Without a title, the box's opening words may still announce its kind.
        kind: BoxKind = classify_box_title(title or _first_words(raws)) or "box"
        box_id += 1
        blocks.extend(_to_block(raw, kind, box_id) for raw in raws)
    return blocks, dropped


def _to_block(raw: _Raw, box: BoxKind | None, box_id: int | None) -> Block:
    return Block(
        text=raw.text, kind=raw.kind, level=raw.level, marker=raw.marker, box=box, box_id=box_id
    )


def extract_text(
    data: bytes, *, source: str, sha256: str, max_blocks: int | None = None
) -> Document:
    """Read a plain-text or Markdown draft into blocks; stop past ``max_blocks``."""
    lines = _split_lines(decode_text(data, source=source))
    skip, front_matter = _front_matter(lines)
    lines = lines[skip:]
    budget = BlockBudget(source, max_blocks)
    blocks, dropped = _blocks(lines, guess_headings=not _is_markdown(lines), budget=budget)
    if not blocks and not dropped:
        raise ExtractionError("no text found", path=source)
    return Document(
        source=source,
        format="text",
        sha256=sha256,
        pages=None,
        blocks=tuple(blocks),
        dropped=tuple(dropped),
        title=clean_title(front_matter.get("title")) or title_from_blocks(blocks),
        date=iso_date(str(front_matter.get("date", ""))),
    )
