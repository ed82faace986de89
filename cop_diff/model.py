"""The data passed between pipeline stages: frozen dataclasses, nothing else.

extract -> ``Document`` (a flat sequence of ``Block``s, each made of ``Line``s)
segment -> ``Outline`` (a tree of ``Provision``s, stored flat with parent ids)

This module imports nothing from the rest of the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

SourceFormat = Literal["pdf", "html", "text"]

BlockKind = Literal["heading", "paragraph", "list-item"]
"""How a block presents itself on the page, before any reading of its words."""

BoxKind = Literal["legal", "recital", "explanatory", "info", "kpi", "faq", "box"]
"""Boxes the extractors recognise by their markup or shading.

``legal``: quoted legal text; ``recital``: recitals and "Potential material for
future Recital"; ``explanatory``: "Explanation of changes" and "Summary of changes";
``info``: information boxes from an authority; ``kpi``: KPI suggestions; ``faq``:
questions and answers; ``box``: a shaded or framed box of unknown purpose.
"""

DropReason = Literal["header", "footer", "page-number", "toc", "chrome", "empty"]


@dataclass(frozen=True)
class Line:
    """One printed line of a PDF page (or one run of text on it, as an engine reads it)."""

    text: str
    page: int
    """1-based page number."""
    x0: float
    top: float
    """Distance from the top of the page to the top of the line, in points."""
    x1: float
    bottom: float
    size: float
    """Font size (points) of most of the line's characters."""
    bold: bool
    italic: bool


@dataclass(frozen=True)
class Block:
    """A paragraph-like unit of text: a heading, a paragraph or one list item.

    Extractors produce blocks in reading order, with their text already cleaned:
    ligatures expanded, line-end hyphenation joined, bullet glyphs moved to ``marker``,
    whitespace collapsed.
    """

    text: str
    kind: BlockKind
    page: int | None = None
    """1-based page where the block starts (PDF only)."""
    level: int = 0
    """For headings, 1 is the most prominent; for list items, the nesting depth (1 = top)."""
    marker: str | None = None
    """List marker as printed: "•", "(a)", "1.", "(iv)". ``None`` if not a list item."""
    box: BoxKind | None = None
    """The kind of box the block sits in, or ``None`` for running text."""
    box_id: int | None = None
    """Blocks of one box share a ``box_id`` (unique in the document)."""
    size: float = 0.0
    """Font size in points (PDF); 0 where the format has none."""
    bold: bool = False
    italic: bool = False
    lines: tuple[Line, ...] = ()
    """The PDF lines the block was made from; empty for other formats."""
    table_id: int | None = None
    """Blocks of one table share a ``table_id`` (unique in the document): its header row, a
    paragraph, and each other row, a list item whose text is the row's cells joined by
    " | "."""


@dataclass(frozen=True)
class Dropped:
    """Text the extractor removed because it is not the draft's own words."""

    text: str
    reason: DropReason
    page: int | None = None


@dataclass(frozen=True)
class Document:
    """An extracted draft: its blocks in reading order and what was dropped."""

    source: str
    format: SourceFormat
    sha256: str
    pages: int | None
    blocks: tuple[Block, ...]
    dropped: tuple[Dropped, ...] = ()
    title: str | None = None
    """The draft's own title (metadata, else its first heading), or ``None``."""
    date: str | None = None
    """The date the file gives itself, ISO ("2024-11-14", or "2024-11"), or ``None``:
    a PDF's creation date, an HTML page's ``date`` meta tag, front matter's ``date:``."""
    damaged_pages: tuple[int, ...] = ()
    """PDF pages that could not be fully decoded (a damaged compressed stream): read as far
    as they go, they may lack text. A draft with any is refused unless ``--keep-going``."""


@dataclass(frozen=True)
class Provision:
    """One node of a draft's tree of provisions."""

    id: str
    """Unique within the document, stable for the same input (e.g. "commitment-II.13")."""
    label: str
    """As printed, without trailing punctuation: "Commitment 18", "Measure II.6.3", "(a)"."""
    kind: str
    """commitment, measure, sub-measure, appendix, section, list-item, recital, kpi, ...

    See ``segment.BOX_KINDS`` for the kinds of boxes.
    """
    number: str | None
    """The number as printed ("18", "II.6.3", "a"), or ``None``."""
    heading: str
    """The provision's title ("Whistleblowing protections"), or "" if it has none."""
    text: str
    """The provision's own text, not including its children's."""
    parent: str | None
    """``id`` of the enclosing provision, ``None`` at the top level."""
    binding: bool
    """True for operative commitment and measure text and its list items."""
    page: int | None = None
    depth: int = 0
    """0 for top-level provisions."""
    lead_in: str | None = None
    """For a list item: the text that introduced its list ("This will include:"), if the
    list followed a paragraph ending with a colon."""


@dataclass(frozen=True)
class Outline:
    """A segmented draft: its provisions in document order, parents before children."""

    document: Document
    profile: str
    """Name of the numbering profile that was detected (or "generic")."""
    provisions: tuple[Provision, ...] = field(default_factory=tuple)

    def children(self, provision_id: str | None) -> tuple[Provision, ...]:
        return tuple(p for p in self.provisions if p.parent == provision_id)

    def by_id(self, provision_id: str) -> Provision:
        for provision in self.provisions:
            if provision.id == provision_id:
                return provision
        raise KeyError(provision_id)


Relation = Literal["unchanged", "changed", "moved", "merged", "split", "removed", "added"]
Direction = Literal["weakening", "strengthening", "neutral"]

Leaning = Literal["weakening", "strengthening", "none"]
"""Which way a finding points, whatever its confidence."""

Tier = Literal["finding", "worth-a-look", "other"]
"""``finding``: confident, what ``direction`` weakening or strengthening means;
``worth-a-look``: the most significant of the rest that lean one way, a short ranked
list; ``other``: everything else."""


@dataclass(frozen=True)
class AlignSettings:
    """Weights and thresholds of the alignment; each score is in [0, 1]."""

    container_threshold: float = 0.30
    """A pair of commitments, measures or sections scoring below this is no pair."""
    leaf_threshold: float = 0.42
    box_threshold: float = 0.35
    containment_threshold: float = 0.7
    """Share of an unpaired provision's weighted words found in a paired one to call it merged.

    The same share lets a paired provision merge into its best match instead, when that
    match holds more of its words than its partner (see ``align._gives_way``)."""
    parent_bonus: float = 0.12
    gap_threshold: float = 0.12
    """Between two paired neighbours, a pair needs only this score (see ``align._fill_gaps``)."""
    leaf_gap_threshold: float = 0.30
    """The same for list items: a rewritten item between two kept neighbours."""

    def __post_init__(self) -> None:
        thresholds = ("container", "leaf", "box", "gap", "leaf_gap")
        for name in (f"{prefix}_threshold" for prefix in thresholds):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be within [0, 1]")


@dataclass(frozen=True)
class Alignment:
    """One line of the correspondence between the provisions of two drafts.

    ``merged``: several old provisions went into one new one (one ``Alignment`` per old
    provision); ``split``: one old provision went into several new ones.
    """

    old: str | None
    new: str | None
    relation: Relation
    score: float
    """Confidence in the pairing, 0 to 1; 1.0 for removed/added (nothing to doubt)."""


@dataclass(frozen=True)
class DiffOp:
    """A run of words kept (0), deleted (-1) or inserted (+1)."""

    op: Literal[-1, 0, 1]
    text: str


@dataclass(frozen=True)
class Finding:
    """A change worth a reader's attention, with its evidence."""

    rule: str
    direction: Direction
    old: str | None
    new: str | None
    old_text: str
    new_text: str
    explanation: str
    confidence: float
    rationale: str | None = None
    leaning: Leaning = "none"
    tier: Tier = "other"
    rank: int = 0
    """1 = the most significant finding of the report; set by the ranking stage."""
    elsewhere: tuple[str, ...] = ()
    """Where the content went (for what left the old draft: ids of new provisions that
    now carry it) or came from (for what is new: ids of old provisions), when known."""


@dataclass(frozen=True)
class PairDiff:
    """The word-level diff of one aligned pair (old and new provision ids)."""

    old: str
    new: str
    ops: tuple[DiffOp, ...]


@dataclass(frozen=True)
class ListDiff:
    """How the list items under one aligned pair of provisions changed."""

    old: str
    new: str
    kept: tuple[tuple[str, str], ...]
    """(old item, new item) pairs that stayed in this list."""
    removed: tuple[str, ...]
    """Old items with no counterpart anywhere."""
    added: tuple[str, ...]
    """New items with no counterpart anywhere."""
    moved_out: tuple[tuple[str, str], ...]
    """(old item, new item) pairs where the item now sits in another list."""
    moved_in: tuple[tuple[str, str], ...]
    """(old item, new item) pairs that came here from another list."""


@dataclass(frozen=True)
class Comparison:
    """Everything compare knows about two drafts."""

    old: Outline
    new: Outline
    alignment: tuple[Alignment, ...]
    diffs: tuple[PairDiff, ...]
    findings: tuple[Finding, ...]
    lists: tuple[ListDiff, ...] = ()


@dataclass(frozen=True)
class Selection:
    """Which findings a report shows: ``compare --only``, ``--min-confidence``, ``--all``."""

    leaning: Leaning | None = None
    """Only findings leaning this way ("none": changes that lean neither way)."""
    min_confidence: float = 0.0
    everything: bool = False
    """The text report lists every other change, not one line per kind."""


# The watch job: releases found at a source, and the comparisons made between them.


@dataclass(frozen=True)
class Candidate:
    """A draft a source links to, before it is downloaded."""

    name: str
    """The file name the source gives it; untrusted, never used as a path as is."""
    location: str
    """An http(s) URL, or the path of a file in a watched folder."""
    published: str | None = None
    """Publication time from the source (ISO 8601, UTC), when it says."""


@dataclass(frozen=True)
class Release:
    """A draft the watch job has stored, known by the hash of its content."""

    sha256: str
    name: str
    location: str
    stored: str
    """Where the copy is, relative to the output folder."""
    published: str | None
    first_seen: str
    sequence: int
    """Order of discovery: the last resort for ordering releases."""
    title: str | None = None
    """The draft's own title (``Document.title``), as its reports name it; "" when it
    gives none; ``None`` until read (a release stored before the state kept titles)."""
    dated: str | None = None
    """The date the draft gives itself (``Document.date``), which may differ from when it
    was published; "" when it gives none, ``None`` until read."""

    @property
    def display_name(self) -> str:
        """What a reader knows it by: its own title, else its file name."""
        return self.title or self.name


@dataclass(frozen=True)
class ComparisonRecord:
    """A comparison the watch job made and published."""

    old: Release
    new: Release
    made: str
    reports: dict[str, str]
    """Report format -> path relative to the output folder."""
    summary: dict[str, int]
    top_weakenings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notification:
    """A message owed about one comparison, on one channel, until it is delivered."""

    id: int
    comparison_id: int
    channel: str
    """"webhook" or "email"."""
    target: str
    """The webhook URL or the e-mail address."""
    via: str | None
    """For e-mail: the SMTP server as HOST:PORT."""
    key: str
    """The same on every try, so a receiver can drop a repeat."""
    attempts: int


QuantityRole = Literal["deadline", "retention", "other"]
"""What a period does: a deadline or frequency (longer is weaker), a retention or
coverage period (longer is stronger), or something the words around it do not say."""


@dataclass(frozen=True)
class Quantity:
    """A number with its unit in a sentence: "72 hours", "10 years", "5%"."""

    value: float
    unit: str
    days: float | None
    """The period in days, for units of time."""
    text: str
    start: int
    """Where it stands in its sentence."""
    role: QuantityRole = "other"


@dataclass(frozen=True)
class Condition:
    """A clause that limits when, how far or for whom a duty applies."""

    phrase: str
    """The clause as written ("where they consider it necessary")."""
    key: tuple[str, ...]
    """Its telling stems, to recognise it reworded."""
    start: int
    end: int


@dataclass(frozen=True)
class Duty:
    """One binding statement of a draft: who must (or should, or may) do what, when."""

    side: str
    """"old" or "new"."""
    sentence: int
    """Index of its sentence in the sentence index of its side."""
    provision: str
    bearer: str
    """Who bears it, as written ("Signatories"); a list item's is its lead-in's; "" for a
    passive duty ("Records shall be kept ...")."""
    force: int
    """3 a duty, 2 an expectation, 1 a permission or an example to choose from."""
    modal: str
    action: str
    """What is to be done: the words after the modal, without purpose clauses."""
    conditions: tuple[Condition, ...]
    relief: tuple[str, ...]
    """Phrases that lighten it ("need not", "instead of", "grace period")."""
    quantities: tuple[Quantity, ...]
    inherited: bool = False
    """A list item whose force comes from the sentence that introduced its list."""


@dataclass(frozen=True)
class DutyMatch:
    """An old duty and a new one that say the same thing, or nearly: many-to-many."""

    old: int
    """Position in the old ledger."""
    new: int
    similarity: float
    """Of their sentences (TF-IDF cosine on stems, modal verbs left out)."""
    kept: float
    """Share of the old duty's action (weighted words) the new one carries."""
    gained: float
    """Share of the new duty's action the old one carried."""
    aligned: bool
    """Whether their provisions (or their parents) are aligned with each other."""

    @property
    def likeness(self) -> float:
        """How surely the two are one duty: alike as sentences, or in what they ask for
        both ways (a duty whose conditions were rewritten keeps its action)."""
        return max(self.similarity, min(self.kept, self.gained))


@dataclass(frozen=True, eq=False)
class SparseRows:
    """A sparse matrix by rows (the compressed sparse rows of SciPy's CSR): row ``i`` holds
    ``data[indptr[i]:indptr[i + 1]]`` in columns ``indices[indptr[i]:indptr[i + 1]]``,
    in increasing order. TF-IDF vectors of texts, or which texts hold which words
    (``cop_diff.tfidf``). Compared by identity, as its arrays cannot be."""

    indptr: NDArray[np.int64]
    indices: NDArray[np.int64]
    data: NDArray[np.float64]
    width: int
    """Number of columns."""

    @property
    def height(self) -> int:
        """Number of rows."""
        return len(self.indptr) - 1


@dataclass(frozen=True)
class Concept:
    """A term a draft names: a heading, a list item's lead term, a quoted defined term."""

    key: tuple[str, ...]
    """Its telling stems, sorted: the same concept reworded or reordered has the same key."""
    name: str
    """As the draft first writes it."""
    provision: str
    """Where the draft first names it."""


@dataclass(frozen=True)
class ConceptPlace:
    """The strongest place of a concept in one draft (``concepts.py``: levels 5 to 0)."""

    level: int
    force: int
    """The force of the duty stated where it stands (3 a duty ... 0 none)."""
    provision: str | None
    sentence: int
    """Index in the sentence index; -1 for a heading, or when absent."""


# History: one provision followed through a series of drafts.


SeriesOrder = Literal["given", "published", "version", "seen"]
"""How a series of drafts was put in order, oldest first: as the user gave them, or (the
watch job) by publication date, by the version in their names, or as first seen."""


@dataclass(frozen=True)
class ChainLink:
    """A lineage's provision in one draft of a series."""

    id: str
    relation: Relation | None
    """How it came from the previous draft, as in that step's alignment: unchanged,
    changed or moved from the lineage's provision there; ``added`` or ``split`` for the
    first link of a lineage that begins after the first draft; ``None`` in the first draft."""
    split_from: str | None = None
    """For ``split``: the provision of the previous draft it came out of (that provision
    carries on in another lineage)."""


@dataclass(frozen=True)
class LineageEnd:
    """How a lineage ends before the last draft."""

    draft: int
    """The first draft without it."""
    relation: Literal["removed", "merged"]
    merged_into: str | None = None
    """For ``merged``: the provision of ``draft`` that took its text (carrying on the
    lineage of the provision the alignment paired it with)."""


@dataclass(frozen=True)
class StepFinding:
    """A finding of one step of a series: step ``k`` compares draft ``k`` with ``k + 1``."""

    step: int
    finding: Finding


@dataclass(frozen=True)
class Lineage:
    """One provision through a series of drafts: one link per draft, ``None`` where it is
    not (yet, or any more) there."""

    chain: tuple[ChainLink | None, ...]
    end: LineageEnd | None
    findings: tuple[StepFinding, ...]


@dataclass(frozen=True)
class History:
    """A series of drafts, oldest first as given, compared step by step."""

    outlines: tuple[Outline, ...]
    steps: tuple[Comparison, ...]
    """``steps[k]`` compares ``outlines[k]`` with ``outlines[k + 1]``."""
    lineages: tuple[Lineage, ...]
