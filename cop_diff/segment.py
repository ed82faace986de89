"""Segmentation: turn a ``Document``'s blocks into a tree of provisions.

Headings that match the detected profile open numbered provisions (Commitment,
Measure, Appendix, ...) at the profile's rank; other headings open sections; boxes
become non-binding provisions of their own; list items are provisions too, so a later
stage can say that one item was removed or moved, and so are a table's rows, the items
of a "table" provision. Paragraphs join the text of the
numbered provision they sit in, or become "paragraph" provisions elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from cop_diff.extract.textclean import classify_box_title, marker_number
from cop_diff.model import Block, BoxKind, Document, Outline, Provision
from cop_diff.profiles import GENERIC, Level, Profile, Vocabulary, load_profiles, load_vocabulary

MIN_PROFILE_MATCHES = 2
"""A profile applies when at least this many distinct binding headings match it."""

BOX_KINDS: dict[BoxKind, str] = {
    "legal": "legal-text",
    "recital": "recital-box",
    "explanatory": "explanatory",
    "info": "info-box",
    "kpi": "kpi",
    "faq": "open-question",
    "box": "box",
}
NON_BINDING_KINDS = frozenset(BOX_KINDS.values()) | {"overview", "recital"}
OPERATIVE_KINDS = frozenset({"commitment", "measure", "sub-measure"})
"""Kinds whose title ("Measure 4. Summary of results") never makes them non-binding."""

_PROVISION_REFERENCE = re.compile(
    r"\b(Commitment|Measure|Sub-Measure|Article|Appendix)s?\s+((?:[IVX]{1,4}\.)?\d+(?:\.\d+)*)"
)


@dataclass(eq=False)
class _Node:
    """A provision under construction; frozen into a ``Provision`` at the end."""

    kind: str
    label: str
    number: str | None
    heading: str
    parent: _Node | None
    page: int | None
    rank: float
    level: Level | None = None
    """The profile level that opened it (numbered provisions only)."""
    closes_at_paragraph: bool = False
    """A KPI list outside a box ends where running text resumes."""
    box_id: int | None = None
    list_level: int = 0
    style_level: int = 0
    """The heading's prominence in the document (1 = largest), for unnumbered sections."""
    texts: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)
    lead_in: str | None = None
    """For a list item: the text that introduced its list ("... include:")."""
    texts_before: int = 0
    """For a list item: how many texts its parent had when it was added; a paragraph
    ending ":" added before the next item starts a new list."""

    def add_child(self, child: _Node) -> _Node:
        self.children.append(child)
        return child


@dataclass(frozen=True)
class SegmentSettings:
    profiles: tuple[Profile, ...]
    vocabulary: Vocabulary


def default_settings() -> SegmentSettings:
    return SegmentSettings(load_profiles(), load_vocabulary())


def detect_profile(document: Document, profiles: tuple[Profile, ...]) -> Profile:
    """The profile whose binding headings match most of the document's headings."""
    best, best_score = GENERIC, 0
    for profile in profiles:
        labels = set()
        for block in _structural_headings(document):
            matched = profile.match(block.text)
            if matched and matched[0].binding:
                labels.add(_format_label(*matched))
        if len(labels) > best_score:
            best, best_score = profile, len(labels)
    return best if best_score >= MIN_PROFILE_MATCHES else GENERIC


def segment(document: Document, settings: SegmentSettings | None = None) -> Outline:
    settings = settings or default_settings()
    profile = detect_profile(document, settings.profiles)
    builder = _TreeBuilder(profile, settings.vocabulary, _primary_heading_level(document, profile))
    for block in document.blocks:
        builder.add(block)
    provisions = _freeze(builder.root, profile, settings.vocabulary)
    return Outline(document=document, profile=profile.name, provisions=provisions)


# --- building the tree ------------------------------------------------------------------------


def _structural_headings(document: Document) -> list[Block]:
    return [b for b in document.blocks if b.kind == "heading" and b.box_id is None]


def _primary_heading_level(document: Document, profile: Profile) -> int | None:
    """The usual style level of the profile's top binding headings (commitments)."""
    levels: Counter[int] = Counter()
    for block in _structural_headings(document):
        matched = profile.match(block.text)
        if matched and matched[0].binding and matched[0].rank <= 1:
            levels[block.level] += 1
    return levels.most_common(1)[0][0] if levels else None


def _format_label(level: Level, match: re.Match[str]) -> str:
    number = match.groupdict().get("number") or ""
    return strip_trailing_punctuation(level.label.format(number=number).strip())


def strip_trailing_punctuation(text: str) -> str:
    return text.rstrip(" .:;,-–—")


def _list_label(marker: str | None) -> tuple[str, str | None]:
    """("(a)", "a") for an enumerated item; ("•", None) for a bullet.

    Enumerators print as "(a)", "a.", "a)" depending on the format; one canonical label
    lets the PDF and the HTML of one draft agree.
    """
    if marker is None:
        return "•", None
    number = marker_number(marker)
    return (f"({number})", number) if number else ("•", None)


class _TreeBuilder:
    def __init__(self, profile: Profile, vocabulary: Vocabulary, primary_level: int | None):
        self.profile = profile
        self.vocabulary = vocabulary
        self.primary_level = primary_level
        self.root = _Node("document", "", None, "", None, None, rank=-1)
        self.stack: list[_Node] = [self.root]
        self.box: _Node | None = None
        self.pseudo: _Node | None = None
        self.table: _Node | None = None
        self.table_id: int | None = None
        """The ``table_id`` of the blocks ``table`` holds."""
        self.tables = 0

    @property
    def container(self) -> _Node:
        return self.pseudo or self.stack[-1]

    def add(self, block: Block) -> None:
        if block.table_id is not None:
            self._add_to_table(block)
            return
        self.table = None
        if block.box_id is not None:
            self._add_to_box(block)
            return
        self.box = None
        if self.pseudo is not None and not (
            block.kind == "list-item" or block.text.upper().startswith("KPI")
        ):
            self.pseudo = None
        if block.kind == "heading":
            self._add_heading(block)
        elif block.kind == "list-item":
            self._add_list_item(self.container, block)
        else:
            self._add_paragraph(self.container, block)

    # headings

    def _add_heading(self, block: Block) -> None:
        text = strip_trailing_punctuation(block.text)
        matched = self.profile.match(text)
        if matched:
            level, match = matched
            heading = strip_trailing_punctuation((match.groupdict().get("heading") or "").strip())
            number = match.groupdict().get("number")
            self._open(
                _Node(
                    level.kind,
                    _format_label(level, match),
                    number,
                    heading,
                    None,
                    block.page,
                    rank=level.rank,
                    level=level,
                )
            )
            return
        box_kind = classify_box_title(text)
        minor = self.primary_level is None or block.level > self.primary_level
        if box_kind is not None and minor:
            # A box title printed as a plain heading ("Potential Key Performance Indicator"):
            # what follows is its list, up to where running text resumes.
            self.pseudo = self.stack[-1].add_child(
                _Node(
                    BOX_KINDS[box_kind],
                    text,
                    None,
                    text,
                    self.stack[-1],
                    block.page,
                    rank=self.stack[-1].rank + 0.5,
                    closes_at_paragraph=True,
                )
            )
            return
        if self.primary_level is None:
            rank: float = block.level
        elif block.level < self.primary_level:
            rank = 0
        else:
            # An unnumbered heading closes the unnumbered sections it is as prominent as.
            while self._is_unnumbered_section(self.stack[-1]) and (
                self.stack[-1].style_level >= block.level
            ):
                self.stack.pop()
            rank = self.stack[-1].rank + 0.5
        node = _Node("section", text, None, text, None, block.page, rank=rank)
        node.style_level = block.level
        self._open(node)

    def _is_unnumbered_section(self, node: _Node) -> bool:
        return node is not self.root and node.level is None and node.kind == "section"

    def _open(self, node: _Node) -> None:
        while len(self.stack) > 1 and self.stack[-1].rank >= node.rank:
            self.stack.pop()
        if node.level is not None and node.level.binding:
            # Operative text is never part of an opening statement, preamble or recitals.
            while self._is_unnumbered_section(self.stack[-1]) and self.vocabulary.is_non_binding(
                self.stack[-1].heading
            ):
                self.stack.pop()
        node.parent = self.stack[-1]
        self.stack[-1].add_child(node)
        self.stack.append(node)
        self.pseudo = None

    # boxes

    def _add_to_box(self, block: Block) -> None:
        if self.box is None or self.box.box_id != block.box_id:
            self.box = self._open_box(block)
            if block.kind == "heading" or self.box.texts:
                return
        if block.kind == "list-item":
            self._add_list_item(self.box, block)
        else:
            self.box.texts.append(block.text)

    def _open_box(self, block: Block) -> _Node:
        kind = BOX_KINDS[block.box or "box"]
        title, rest = block.text, ""
        if block.kind != "heading":
            # A run-in title: "Explanation of changes to Commitment 4: In the first draft..."
            head, sep, tail = block.text.partition(":")
            if sep and classify_box_title(head) and len(head) < 160:
                title, rest = head, tail.strip()
            else:
                title, rest = "", block.text
        parent = self._box_parent(title)
        node = parent.add_child(
            _Node(
                kind,
                strip_trailing_punctuation(title) or kind.replace("-", " ").title(),
                None,
                strip_trailing_punctuation(title),
                parent,
                block.page,
                rank=parent.rank + 0.5,
                box_id=block.box_id,
            )
        )
        if rest:
            node.texts.append(rest)
        return node

    def _box_parent(self, title: str) -> _Node:
        """An explanatory box belongs to the provision its title names, if it is open."""
        reference = _PROVISION_REFERENCE.search(title)
        if reference:
            wanted = f"{reference.group(1)} {reference.group(2)}".lower()
            for node in reversed(self.stack):
                if node.label.lower() == wanted:
                    return node
        return self.container

    # tables

    def _add_to_table(self, block: Block) -> None:
        """A table is a provision of its own: its header row is its text, its other rows
        are its items ("Row 1", ...)."""
        if self.table is None or self.table_id != block.table_id:
            in_box = self.box is not None and block.box_id == self.box.box_id
            parent = self.box if in_box and self.box is not None else self.container
            self.tables += 1
            self.table = parent.add_child(
                _Node(
                    "table",
                    f"Table {self.tables}",
                    None,
                    "",
                    parent,
                    block.page,
                    rank=parent.rank + 0.5,
                )
            )
            self.table_id = block.table_id
        if block.kind != "list-item":
            self.table.texts.append(block.text)
            return
        rows = sum(child.kind == "list-item" for child in self.table.children)
        self.table.add_child(
            _Node(
                "list-item",
                f"Row {rows + 1}",
                None,
                "",
                self.table,
                block.page,
                rank=self.table.rank + 0.1,
                list_level=1,
                texts=[block.text],
                lead_in=self.table.texts[0] if self.table.texts else None,
            )
        )

    # list items and paragraphs

    def _add_list_item(self, container: _Node, block: Block) -> None:
        parent = container
        depth = max(block.level, 1)
        while parent.children and parent.children[-1].kind in ("list-item", "recital"):
            last = parent.children[-1]
            if last.list_level >= depth:
                break
            parent = last
        label, number = _list_label(block.marker)
        kind = "recital" if self._in_recitals(container) else "list-item"
        previous = parent.children[-1] if parent.children else None
        introduced = bool(parent.texts) and parent.texts[-1].rstrip().endswith(":")
        if (
            previous is not None
            and previous.kind == kind
            and previous.list_level == depth
            and (previous.texts_before == len(parent.texts) or not introduced)
        ):
            lead_in = previous.lead_in  # the same list goes on
        else:
            lead_in = parent.texts[-1] if introduced else None
        if kind == "recital" and number:
            label = f"Recital {label}"
        parent.add_child(
            _Node(
                kind,
                label,
                number,
                "",
                parent,
                block.page,
                rank=parent.rank + 0.1,
                list_level=depth,
                texts=[block.text],
                lead_in=lead_in,
                texts_before=len(parent.texts),
            )
        )

    def _in_recitals(self, node: _Node | None) -> bool:
        while node is not None:
            if node.kind in ("recital", "recital-box") or (
                node.level is None and self.vocabulary.is_recital(node.heading)
            ):
                return True
            node = node.parent
        return False

    def _add_paragraph(self, container: _Node, block: Block) -> None:
        if container.level is not None or container.kind in NON_BINDING_KINDS:
            container.texts.append(block.text)
        else:
            container.add_child(
                _Node(
                    "paragraph",
                    "¶",
                    None,
                    "",
                    container,
                    block.page,
                    rank=container.rank + 0.1,
                    texts=[block.text],
                )
            )


# --- freezing ---------------------------------------------------------------------------------


def _descendants(node: _Node) -> int:
    return sum(1 + _descendants(child) for child in node.children)


def _mark_overviews(root: _Node) -> set[int]:
    """Numbered provisions printed twice: the fuller one is the provision, the rest overview.

    Drafts open with an overview that repeats each commitment's title and summary.
    """
    by_label: dict[tuple[str, str], list[_Node]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.level is not None and node.number:
            by_label.setdefault((node.kind, node.label), []).append(node)
    overview: set[int] = set()
    for nodes in by_label.values():
        if len(nodes) > 1:
            keep = max(nodes, key=lambda n: (_descendants(n), sum(map(len, n.texts))))
            overview.update(id(n) for n in nodes if n is not keep)
    return overview


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "untitled"


def _freeze(root: _Node, profile: Profile, vocabulary: Vocabulary) -> tuple[Provision, ...]:
    overview = _mark_overviews(root)
    provisions: list[Provision] = []
    used: set[str] = set()

    def unique(candidate: str) -> str:
        result, n = candidate, 1
        while result in used:
            n += 1
            result = f"{candidate}~{n}"
        used.add(result)
        return result

    def visit(
        node: _Node, parent_id: str | None, depth: int, binding: bool, in_overview: bool
    ) -> None:
        counters: Counter[str] = Counter()
        for child in node.children:
            counters[child.kind] += 1
            child_overview = in_overview or id(child) in overview
            kind = "overview" if id(child) in overview else child.kind
            if child.level is not None and child.number:
                base = f"{child.kind}-{child.number}"
            elif child.level is not None or child.kind == "section":
                base = f"{child.kind}-{_slug(child.heading or child.label)}"
            else:
                suffix = (
                    child.number
                    if child.kind == "recital" and child.number
                    else counters[child.kind]
                )
                short = {"list-item": "", "paragraph": "p"}.get(child.kind, child.kind + "-")
                base = f"{short}{suffix}"
                base = f"{parent_id}/{base}" if parent_id else base
            if child_overview and not base.startswith("overview"):
                base = f"overview/{base}"
            child_binding = _binding(child, kind, binding, child_overview, vocabulary)
            provision_id = unique(base)
            provisions.append(
                Provision(
                    id=provision_id,
                    label=child.label,
                    kind=kind,
                    number=child.number,
                    heading=child.heading,
                    text="\n\n".join(t for t in child.texts if t),
                    parent=parent_id,
                    binding=child_binding,
                    page=child.page,
                    depth=depth,
                    lead_in=child.lead_in,
                )
            )
            visit(child, provision_id, depth + 1, child_binding, child_overview)

    visit(root, None, 0, profile.operative_by_default, False)
    return tuple(provisions)


def _binding(
    node: _Node, kind: str, parent_binding: bool, in_overview: bool, vocabulary: Vocabulary
) -> bool:
    if in_overview or kind in NON_BINDING_KINDS:
        return False
    if node.level is not None and node.level.binding and kind in OPERATIVE_KINDS:
        return True  # a numbered commitment or measure binds, whatever its title says
    if node.heading and vocabulary.is_non_binding(node.heading):
        return False
    if node.kind == "list-item" and vocabulary.is_non_binding_item(" ".join(node.texts)):
        return False
    if node.level is not None and node.level.binding:
        return True
    return parent_binding
