"""Names a reader understands without the drafts at hand: of drafts, of provisions and
of the kinds of finding.

A report gets forwarded: it must say which drafts it compares by their own title and
date (never the sender's folders), and name each place so that it can be found in the
printed draft ("Measure 2.3, p. 12", "3.2 Selected Systemic Risks, item 4").
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

from cop_diff.model import Document, Outline, Provision

PART_KINDS = frozenset({"list-item", "paragraph"})
"""Kinds whose label ("(a)", "•", "¶") means nothing without the provision they are in."""

HEADING_IN_LABEL = 48
"""A heading added to a bare number ("3.2") is cut to about this many characters."""

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


KIND_NAMES = {
    "legal-text": "legal text box",
    "recital-box": "recital box",
    "explanatory": "explanatory box",
    "info-box": "information box",
    "kpi": "KPI",
    "open-question": "open question",
    "box": "other box",
    "list-item": "list item",
}
"""What a reader calls a provision of each kind; other kinds by their own name."""


def kind_name(kind: str, count: int = 1) -> str:
    """ "recital-box" -> "recital box", 2 -> "recital boxes"; "appendix", 2 -> "appendices"."""
    singular = KIND_NAMES.get(kind, kind.replace("-", " "))
    if count == 1:
        return singular
    if singular.endswith("ix"):
        return singular[:-2] + "ices"
    return singular + ("es" if singular.endswith(("x", "s")) else "s")


KINDS_FILE = Path(__file__).parent / "rules" / "kinds.toml"


@functools.cache
def kind_summaries() -> dict[str, str]:
    """What each kind of finding means, for a reader (``rules/kinds.toml``): data, not
    code, and readable without loading the detectors."""
    with KINDS_FILE.open("rb") as file:
        return dict(tomllib.load(file)["kinds"])


def file_name(source: str) -> str:
    """The file's own name ("cop-d2.pdf"), never the folders it was read from; a web
    address stays whole, as it names the draft for everyone."""
    if _URL.match(source):
        return source
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or source


def human_date(iso: str | None) -> str | None:
    """ "2024-12-19" -> "19 Dec 2024"; "2024-12" -> "Dec 2024"; other text as it is."""
    if not iso:
        return None
    parts = iso.split("-")
    try:
        if len(parts) == 3:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return iso


def draft_title(document: Document) -> str:
    """The draft's title, or its file name when it has none."""
    return document.title or file_name(document.source)


def draft_caption(document: Document) -> str:
    """Title, date and file: "Second Draft … (19 Dec 2024, cop-d2.pdf)"."""
    details = [d for d in (human_date(document.date), file_name(document.source)) if d]
    if document.title is None:
        details = details[:-1]  # the title is the file name already
    return f"{draft_title(document)} ({', '.join(details)})" if details else draft_title(document)


def _short(heading: str) -> str:
    if len(heading) <= HEADING_IN_LABEL:
        return heading
    cut = heading[:HEADING_IN_LABEL].rsplit(" ", 1)[0]
    return f"{cut}…"


_WORDED_LABEL = re.compile(r"[^\W\d_]+ \S+")
"""A label that says what the part is ("Row 4"), unlike a bare marker ("(b)", "3.", "•")."""


def part_label(provision: Provision) -> str | None:
    """ "row 4" for a table's row, to follow its table's name ("Table 1, row 4"); ``None``
    for a part with a bare marker."""
    if _WORDED_LABEL.fullmatch(provision.label):
        return provision.label[0].lower() + provision.label[1:]
    return None


def own_label(provision: Provision) -> str:
    """The label, with the heading when the label is a bare number ("3.2" says nothing)."""
    bare = provision.number is not None and provision.label.strip("()., ") == provision.number
    if bare and provision.heading and provision.heading != provision.label:
        return f"{provision.label} {_short(provision.heading)}"
    return provision.label


def long_labels(outline: Outline) -> dict[str, str]:
    """A label that names each provision on its own: "Measure II.6.2, item 3",
    "Measure 4.3 (2)(a)", "3.2 Selected Systemic Risks, item 4", "Commitment II.7,
    Summary of changes"; numbered provisions ("Measure 4.2", "Recital (e)") keep their
    own label."""
    by_id = {p.id: p for p in outline.provisions}
    position: dict[str, int] = {}
    seen: Counter[tuple[str | None, str]] = Counter()
    for provision in outline.provisions:
        seen[(provision.parent, provision.kind)] += 1
        position[provision.id] = seen[(provision.parent, provision.kind)]
    labels: dict[str, str] = {}
    for provision in outline.provisions:  # parents come first
        parent = by_id.get(provision.parent or "")
        if parent is None or (provision.number is not None and provision.kind not in PART_KINDS):
            labels[provision.id] = own_label(provision)
            continue
        # An unnumbered section is named by its own title, not by the titles above it.
        named = parent.number is not None or parent.kind in PART_KINDS
        context = labels[parent.id] if named else parent.label
        if provision.kind == "list-item" and provision.label.startswith("("):
            labels[provision.id] = f"{context} {provision.label}"
        elif provision.kind in PART_KINDS:
            what = "item" if provision.kind == "list-item" else "paragraph"
            part = part_label(provision) or f"{what} {position[provision.id]}"
            labels[provision.id] = f"{context}, {part}"
        else:
            labels[provision.id] = f"{context}, {provision.label}"
    return labels


def with_page(label: str, provision: Provision | None) -> str:
    """ "Measure 2.3, p. 12"; the label alone where the draft has no pages (HTML, text)."""
    if provision is None or provision.page is None:
        return label
    return f"{label}, p. {provision.page}"


def places(
    old_label: str,
    old: Provision | None,
    new_label: str,
    new: Provision | None,
    *,
    arrow: str = " → ",
) -> str:
    """Where a finding is: "Measure 2.3, p. 12 → Measure I.2.4, p. 9", both sides named
    (even when the label stayed: the page tells where to look); one side if only one."""
    sides = [
        with_page(label, provision)
        for label, provision in ((old_label, old), (new_label, new))
        if provision is not None
    ]
    if len(sides) == 2 and sides[0] == sides[1]:
        return sides[0]
    return arrow.join(sides) or "Whole document"
