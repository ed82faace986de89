"""Text clean-up shared by every extractor: one place, so PDF, HTML and text agree.

Pure functions on strings. The PDF-specific work (running headers, page numbers,
line-end hyphenation across lines) lives in ``pdf.py``; this module only knows text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

from cop_diff.model import BoxKind

# Ligatures and presentation forms that PDF fonts emit as single glyphs.
_LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
    "\u0132": "IJ",
    "\u0133": "ij",
}
# The ballot marks of the Ornamental Dingbats block, which few fonts have (a report shows
# them as empty boxes), as the common forms of the Dingbats block: one meaning, one symbol.
_SYMBOLS = str.maketrans(
    {
        "\U0001f5f4": "\u2717",  # ballot script X -> ✗
        "\U0001f5f5": "\u2612",  # ballot box with script X -> ☒
        "\U0001f5f6": "\u2718",  # ballot bold script X -> ✘
        "\U0001f5f7": "\u2612",  # ballot box with bold script X -> ☒
        "\U0001f5f8": "\u2713",  # light check mark -> ✓
        "\U0001f5f9": "\u2611",  # ballot box with bold check -> ☑
    }
)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Control characters other than tab and newline, zero-width characters and the soft hyphen.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")

CELL_SEPARATOR = " | "
"""Between the cells of a table row, in the row's text (PDF and HTML alike)."""

BULLET_GLYPHS = "•◦▪▫■□●○‣⁃∙·–—-*\uf0b7\uf0a7\uf076\uf0d8\uf0fc"
"""Glyphs used as bullets. Private-use code points are Symbol/Wingdings bullets."""

_BULLET = re.compile(rf"^\s*([{re.escape(BULLET_GLYPHS)}])\s+(?=\S)")
_ENUMERATOR = re.compile(
    r"""^\s*(
        \((?:[0-9]{1,3}|[a-z]{1,2}|[ivxlc]{1,6}|[A-Z])\)   # (1) (a) (iv) (A)
      | (?:[0-9]{1,3}|[a-z]|[ivxlc]{1,6}|[A-Z])\)          # 1) a) iv)
      | (?:[0-9]{1,3}|[a-z]|[ivxlc]{1,6})\.(?=\s)            # 1. a. iv.
    )\s+(?=\S)""",
    re.VERBOSE,
)


def normalize_text(text: str) -> str:
    """Expand ligatures, drop invisible characters, give check marks and ballot crosses
    their common forms, and collapse runs of whitespace."""
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    text = text.translate(_SYMBOLS)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text.replace("\r", " ").replace("\n", " "))
    return text.strip()


def split_list_marker(text: str) -> tuple[str | None, str]:
    """Split a leading bullet or enumerator from a line: "(a) foo" -> ("(a)", "foo")."""
    match = _BULLET.match(text) or _ENUMERATOR.match(text)
    if not match:
        return None, text
    marker = match.group(1).strip()
    if marker in BULLET_GLYPHS or (len(marker) == 1 and not marker.isalnum()):
        marker = "•"
    return marker, text[match.end() :]


def marker_number(marker: str) -> str | None:
    """The ordinal a list marker prints, without punctuation: "(a)" -> "a"; bullets -> None."""
    core = marker.strip("().")
    return core if core and core.isalnum() else None


# Prefixes that form compounds with a hyphen: "non-" + "binding" keeps its hyphen.
_COMPOUND_PREFIXES = frozenset(
    [
        "anti",
        "co",
        "counter",
        "cross",
        "de",
        "ex",
        "inter",
        "intra",
        "multi",
        "non",
        "over",
        "post",
        "pre",
        "pro",
        "re",
        "self",
        "semi",
        "sub",
        "super",
        "un",
        "under",
        "well",
    ]
)


_SUSPENDED_HYPHEN_FOLLOWERS = frozenset({"and", "or", "nor", "to"})


def join_hyphenated(first: str, second: str, vocabulary: Mapping[str, int] | None = None) -> str:
    """Join two consecutive lines, mending a word hyphenated across the line end.

    Most line-end hyphens in policy drafts are real ("general-" + "purpose"), so the
    hyphen is dropped only on evidence that the word was split by the typesetter: the
    joined word occurs elsewhere in the document, or the second half is no word of its
    own ("imple-" + "mentation"). ``vocabulary`` counts the document's lower-cased
    words (see ``word_counts``); without it only the shape of the halves decides.
    """
    first = first.rstrip()
    second = second.lstrip()
    if not first:
        return second
    if not second:
        return first
    if not (first.endswith("-") and len(first) > 1 and first[-2].isalpha()):
        return first + " " + second
    head = re.search(r"([A-Za-z\u00C0-\u024F]+)-$", first)
    tail = re.match(r"[A-Za-z\u00C0-\u024F]+", second)
    if not head or not tail or not second[0].islower():
        return first + second
    left, right = head.group(1).lower(), tail.group(0).lower()
    if right in _SUSPENDED_HYPHEN_FOLLOWERS and len(tail.group(0)) == len(second.split()[0]):
        return first + " " + second  # "grey- or white-box", "pre- and post-deployment"
    words = vocabulary or {}
    if words.get(f"{left}-{right}", 0) or left in _COMPOUND_PREFIXES:
        return first + second
    if words.get(left + right, 0):
        return first[:-1] + second
    if words.get(left, 0) and words.get(right, 0):
        return first + second
    return first[:-1] + second


_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:-[A-Za-z\u00C0-\u024F]+)*")


def word_counts(lines: Iterable[str]) -> Counter[str]:
    """Lower-cased words of the document and of each part of its hyphenated words.

    A word ending a line with a hyphen is not counted: it is what is being decided.
    """
    counts: Counter[str] = Counter()
    for line in lines:
        line = line.rstrip()
        for match in _WORD.finditer(line):
            if match.end() < len(line) and line[match.end()] == "-":
                continue  # the line-end fragment
            word = match.group(0).lower()
            counts[word] += 1
            if "-" in word:
                counts.update(word.split("-"))
    return counts


def is_dotted_leader_line(text: str) -> bool:
    """A table-of-contents line: title, a run of leader dots, a page number."""
    return bool(
        re.search(r"(?:\.\s?){4,}\s*\d{1,4}\s*$", text) or re.search(r"…{2,}\s*\d{1,4}\s*$", text)
    )


def strip_accents(text: str) -> str:
    """ "Sécurité" -> "Securite"; used only for matching, never for output."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Box titles, most specific first. Matching is case-insensitive on the start of the title.
_BOX_TITLES: tuple[tuple[str, BoxKind], ...] = (
    (r"legal text", "legal"),
    (r"potential material for (?:a )?future recital", "recital"),
    (r"recitals?\b", "recital"),
    (r"explanation of (?:the )?changes", "explanatory"),
    (r"summary of changes", "explanatory"),
    (r"explanatory (?:box|note)", "explanatory"),
    (r"(?:potential |suggested )?key performance indicators?\b", "kpi"),
    (r"(?:potential |suggested )?kpis?\b", "kpi"),
    (r"information box", "info"),
    (r"open questions?\b", "faq"),
    (r"questions? for (?:stakeholders|consultation)", "faq"),
    (r"frequently asked questions", "faq"),
)
_BOX_TITLE_PATTERNS = tuple((re.compile(p, re.IGNORECASE), kind) for p, kind in _BOX_TITLES)


def classify_box_title(title: str) -> BoxKind | None:
    """The kind of box a title announces ("LEGAL TEXT" -> "legal"), or ``None``."""
    title = title.strip().lstrip("#>*_ ").strip()
    for pattern, kind in _BOX_TITLE_PATTERNS:
        if pattern.match(title):
            return kind
    return None
