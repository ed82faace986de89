"""What the redline shows, as data: rows of the whole document, findings, summary counts.

The HTML report and the Markdown, CSV and DOCX exports all read a ``Redline`` built
here, so they agree on order, anchors and grouping. Pure functions of a ``Comparison``:
no markup is made here (templates and the exporters do that).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import get_args

from cop_diff.diff import word_diff
from cop_diff.labels import kind_name, kind_summaries, long_labels, places
from cop_diff.model import (
    Alignment,
    Comparison,
    DiffOp,
    Direction,
    Finding,
    Outline,
    Provision,
    Relation,
)
from cop_diff.rank import LEANING_ORDER, TIER_ORDER

DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
RELATIONS: tuple[Relation, ...] = get_args(Relation)

MAIN_RELATIONS = frozenset({"unchanged", "changed", "moved"})
"""Relations that pair an old provision with its one counterpart (merged/split are extra)."""

GROUP_SKIP_KINDS = frozenset({"part", "list-item", "recital", "paragraph"})
"""Numbered kinds that do not name a commitment: a part holds many, the rest are parts
of one. The chart groups by the highest numbered ancestor of any other kind."""

TOC_KINDS = frozenset({"part", "section", "commitment", "appendix", "chapter", "article"})
TOC_MAX_DEPTH = 2
MAX_DEPTH_CLASS = 6
"""Deeper provisions are indented as much as depth 6: more would squeeze the text."""

POSSIBLY = re.compile(r"^Possibly \((?:weakening|strengthening)\): ")


def statement(finding: Finding) -> str:
    """The explanation without its "Possibly (weakening):" opening, which the tier's own
    tag ("Leans weaker") says wherever a finding is shown; a sentence again ("row 4 of
    Table 1 lost a duty" -> "Row 4 ...")."""
    text = POSSIBLY.sub("", finding.explanation, count=1)
    return text[:1].upper() + text[1:]


_UNSAFE = re.compile(r"[^A-Za-z0-9.~-]")


def _escape(unsafe: re.Match[str]) -> str:
    char = unsafe.group()
    return "__" if char == "/" else f"_{ord(char):x}_"


def anchor_part(provision_id: str) -> str:
    """A provision id made safe for an HTML id and a URL fragment, and still unique.

    Letters, digits, ``.``, ``~`` and ``-`` stay; ``/`` (the id's path separator) becomes
    ``__``; any other character becomes ``_<hex code>_``. Two ids never share a result,
    because ``_`` only ever starts one of these two escapes.
    """
    return _UNSAFE.sub(_escape, provision_id)


def old_anchor(provision_id: str) -> str:
    return f"old-{anchor_part(provision_id)}"


def new_anchor(provision_id: str) -> str:
    return f"new-{anchor_part(provision_id)}"


class _BothSides:
    """Links to the old and the new provision a view shows (either may be missing)."""

    old: Provision | None
    new: Provision | None

    @property
    def old_anchor(self) -> str | None:
        return old_anchor(self.old.id) if self.old else None

    @property
    def new_anchor(self) -> str | None:
        return new_anchor(self.new.id) if self.new else None


@dataclass(frozen=True)
class Row(_BothSides):
    """One line of the whole document: an old provision beside its new counterpart.

    ``ops`` is the word diff of their texts: all deletion for a removed provision, all
    insertion for an added one, one kept run for an unchanged one. A provision merged or
    split without a diff of its own shows its text as kept.
    """

    anchor: str
    relation: Relation
    old: Provision | None
    new: Provision | None
    ops: tuple[DiffOp, ...]
    merged: tuple[Provision, ...] = ()
    """Further old provisions whose text went into ``new`` (shown in the old column)."""
    split_from: Provision | None = None
    """For a provision split out of an old one shown in another row: that old one."""
    heading_ops: tuple[DiffOp, ...] = ()
    """Word diff of the headings when they differ; empty otherwise."""
    old_parent: Provision | None = None
    new_parent: Provision | None = None
    """Parents, for a moved provision: "moved from 3.2 to Appendix 1.3"."""
    depth: int = 0
    binding: bool = False
    in_toc: bool = False

    # Cached: the template reads each side twice (is there text? then the text).
    @cached_property
    def old_ops(self) -> tuple[DiffOp, ...]:
        """The old side's words: kept and deleted."""
        return _only(self.ops, -1) if self.old else ()

    @cached_property
    def new_ops(self) -> tuple[DiffOp, ...]:
        """The new side's words: kept and inserted."""
        return _only(self.ops, 1) if self.new else ()

    @property
    def merged_anchors(self) -> tuple[str, ...]:
        return tuple(old_anchor(p.id) for p in self.merged)

    @property
    def split_from_anchor(self) -> str | None:
        return old_anchor(self.split_from.id) if self.split_from else None

    @property
    def titled(self) -> bool:
        """The label is the heading (a box, an unnumbered section): show it once."""
        return all(p.label == p.heading for p in (self.old, self.new) if p is not None)

    @property
    def renumbered(self) -> bool:
        if self.old is None or self.new is None or self.titled:
            return False
        return self.old.label != self.new.label

    @property
    def depth_class(self) -> int:
        return min(self.depth, MAX_DEPTH_CLASS)


@dataclass(frozen=True)
class FindingView(_BothSides):
    """A finding with what a reader needs beside it: where it is, and its evidence."""

    finding: Finding
    anchor: str
    old: Provision | None
    new: Provision | None
    evidence: tuple[DiffOp, ...]
    """Word diff of ``old_text`` -> ``new_text``."""
    binding: bool
    group: str
    """The commitment (top numbered provision) it belongs to, for the chart."""
    evidence_apart: bool = False
    """The two spans share too little for an inline redline to read well (a reference
    that went from one provision to another): show them one above the other."""
    group_anchor: str | None = None
    old_label: str = ""
    new_label: str = ""
    elsewhere: tuple[tuple[str, str], ...] = ()
    """(anchor, long label) of each provision the content went to (or came from)."""
    elsewhere_came_from: bool = False
    """The places are where it came from (a new provision), not where it went."""
    old_lines: tuple[DiffOp, ...] = ()
    new_lines: tuple[DiffOp, ...] = ()
    """For evidence that is a list (a lead-in and its items, one per line): each side's
    lines, deleted (-1) or inserted (+1) where the other side lacks them, else kept;
    shown as two lists rather than one run of struck text."""
    """``long_labels`` of the two provisions ("" for a side that has none)."""

    @property
    def where(self) -> str:
        """Both labels and pages: "Measure 2.3, p. 12 → Measure I.2.4, p. 9"."""
        return places(self.old_label, self.old, self.new_label, self.new)

    @property
    def statement(self) -> str:
        return statement(self.finding)

    @property
    def heading(self) -> str:
        provision = self.new or self.old
        if provision is None or provision.heading == provision.label:
            return ""
        return provision.heading


@dataclass(frozen=True)
class GroupCount:
    """Weakenings and strengthenings under one commitment."""

    label: str
    weakening: int
    strengthening: int
    anchor: str | None = None
    """The commitment's row in the whole document."""


@dataclass(frozen=True)
class RuleCount:
    rule: str
    direction: Direction
    count: int


@dataclass(frozen=True)
class ChangeGroup:
    """The other changes of one kind, summed up in a line and listed on demand:
    "85 provision-added: 22 explanatory boxes, 17 recital boxes, 15 sections, …"."""

    rule: str
    views: tuple[FindingView, ...]
    by_kind: tuple[tuple[str, int], ...]
    """What the changed provisions were ("recital boxes", 17), the most frequent first."""

    @property
    def count(self) -> int:
        return len(self.views)

    @property
    def kinds(self) -> str:
        return ", ".join(f"{n} {kind}" for kind, n in self.by_kind)


@dataclass(frozen=True)
class Redline:
    comparison: Comparison
    rows: tuple[Row, ...]
    findings: tuple[FindingView, ...]
    """Weakenings, then strengthenings, then neutral; binding ones first in each."""
    direction_counts: dict[str, int]
    relation_counts: dict[str, int]
    rule_counts: tuple[RuleCount, ...]
    groups: tuple[GroupCount, ...]
    """Commitments with at least one weakening or strengthening, in document order."""
    at_row: dict[str, tuple[FindingView, ...]]
    """Findings about each row's provisions, by row anchor: links from the document."""
    other_groups: tuple[ChangeGroup, ...] = ()
    """The ``other`` tier by kind of change, the most frequent first."""
    kind_summaries: dict[str, str] = field(default_factory=dict)
    """What each kind of finding is about ("Hedges and conditions that soften a duty.")."""

    def by_direction(self, direction: str) -> tuple[FindingView, ...]:
        return tuple(f for f in self.findings if f.finding.direction == direction)

    def by_tier(self, tier: str) -> tuple[FindingView, ...]:
        """The findings of one tier; worth-a-look in rank order, the most significant first.

        A weakening or strengthening is of the finding tier even if nobody ranked it (a
        finding made by hand has tier "other" by default)."""
        if tier == "worth-a-look":
            found = [f for f in self.findings if f.finding.tier == tier]
            return tuple(sorted(found, key=lambda f: f.finding.rank))
        if tier == "other":
            return tuple(
                f
                for f in self.findings
                if f.finding.direction == "neutral" and f.finding.tier != "worth-a-look"
            )
        return tuple(f for f in self.findings if f.finding.direction != "neutral")

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(sorted({f.finding.rule for f in self.findings}))

    @property
    def group_max(self) -> int:
        return max((max(g.weakening, g.strengthening) for g in self.groups), default=0)

    def findings_at(self, row: Row) -> tuple[FindingView, ...]:
        return self.at_row.get(row.anchor, ())


# --- rows of the whole document --------------------------------------------------------


def _only(ops: Iterable[DiffOp], side: int) -> tuple[DiffOp, ...]:
    return tidy(op for op in ops if op.op in (0, side))


def tidy(ops: Iterable[DiffOp]) -> tuple[DiffOp, ...]:
    """Spaces and line breaks at the edges of a deletion or insertion are shown as kept:
    a "−" mark before a paragraph break, or a struck-through space, says nothing."""
    result: list[DiffOp] = []
    for op in ops:
        core = op.text.strip()
        if op.op == 0 or not core:
            result.append(op)
            continue
        start = len(op.text) - len(op.text.lstrip())
        lead, trail = op.text[:start], op.text[start + len(core) :]
        if lead:
            result.append(DiffOp(0, lead))
        result.append(DiffOp(op.op, core))
        if trail:
            result.append(DiffOp(0, trail))
    return tuple(result)


def _plain(text: str) -> tuple[DiffOp, ...]:
    return (DiffOp(0, text),) if text else ()


def _all(op: int, text: str) -> tuple[DiffOp, ...]:
    return (DiffOp(-1 if op < 0 else 1, text),) if text else ()


class _Index:
    """Lookups over one comparison, built once."""

    def __init__(self, comparison: Comparison) -> None:
        self.old = {p.id: p for p in comparison.old.provisions}
        self.old_children = Counter(p.parent for p in comparison.old.provisions)
        self.new_children = Counter(p.parent for p in comparison.new.provisions)
        self.new = {p.id: p for p in comparison.new.provisions}
        self.diffs = {(d.old, d.new): d.ops for d in comparison.diffs}
        self.by_new: dict[str, list[Alignment]] = {}
        self.main_of_old: dict[str, Alignment] = {}
        for entry in comparison.alignment:
            if entry.new is not None:
                self.by_new.setdefault(entry.new, []).append(entry)
            if entry.old is not None and entry.relation in MAIN_RELATIONS:
                self.main_of_old.setdefault(entry.old, entry)

    def counterpart_of_old(self, provision_id: str) -> Provision | None:
        entry = self.main_of_old.get(provision_id)
        return self.new.get(entry.new) if entry and entry.new else None


def _pair_row(index: _Index, entry: Alignment, merged: tuple[Provision, ...]) -> Row:
    old, new = index.old[entry.old or ""], index.new[entry.new or ""]
    ops = index.diffs.get((old.id, new.id))
    if ops is None:
        # Unchanged pairs have no diff; their texts are equal up to layout.
        ops = _plain(new.text) if old.text == new.text else word_diff(old.text, new.text)
    heading_ops = word_diff(old.heading, new.heading) if old.heading != new.heading else ()
    moved = entry.relation == "moved"
    return Row(
        anchor=new_anchor(new.id),
        relation=entry.relation,
        old=old,
        new=new,
        ops=ops,
        merged=merged,
        heading_ops=heading_ops,
        old_parent=index.old.get(old.parent or "") if moved else None,
        new_parent=index.new.get(new.parent or "") if moved else None,
        depth=new.depth,
        binding=old.binding or new.binding or any(p.binding for p in merged),
        in_toc=new.kind in TOC_KINDS and new.depth <= TOC_MAX_DEPTH,
    )


def _new_row(index: _Index, provision: Provision) -> Row:
    """A new provision with no main counterpart: added, or split out of an old one."""
    entries = index.by_new.get(provision.id, [])
    split = next((e for e in entries if e.relation == "split" and e.old), None)
    merged = tuple(index.old[e.old] for e in entries if e.relation == "merged" and e.old)
    source = index.old[split.old] if split and split.old else None
    return Row(
        anchor=new_anchor(provision.id),
        relation="split" if source else ("merged" if merged else "added"),
        old=None,
        new=provision,
        ops=_plain(provision.text) if source or merged else _all(1, provision.text),
        merged=merged,
        split_from=source,
        depth=provision.depth,
        binding=provision.binding or any(p.binding for p in merged),
        in_toc=provision.kind in TOC_KINDS and provision.depth <= TOC_MAX_DEPTH,
    )


def _old_row(provision: Provision) -> Row:
    return Row(
        anchor=old_anchor(provision.id),
        relation="removed",
        old=provision,
        new=None,
        ops=_all(-1, provision.text),
        depth=provision.depth,
        binding=provision.binding,
        in_toc=provision.kind in TOC_KINDS and provision.depth <= TOC_MAX_DEPTH,
    )


def _removed_runs(old: Outline, unplaced: set[str]) -> dict[str | None, list[Provision]]:
    """Old provisions with no place in the new draft, keyed by the old provision they
    follow (``None`` at the very start), so they show where they used to be."""
    runs: dict[str | None, list[Provision]] = {}
    anchor: str | None = None
    for provision in old.provisions:
        if provision.id in unplaced:
            runs.setdefault(anchor, []).append(provision)
        else:
            anchor = provision.id
    return runs


def document_rows(comparison: Comparison) -> tuple[Row, ...]:
    """Every provision of both drafts, once, in the new draft's order.

    Old provisions that have no counterpart are slotted in after the old provision
    they followed, so a removed measure shows where it was.
    """
    index = _Index(comparison)
    rows_by_new: list[Row] = []
    for provision in comparison.new.provisions:
        entries = index.by_new.get(provision.id, [])
        main = next((e for e in entries if e.relation in MAIN_RELATIONS and e.old), None)
        if main is None:
            rows_by_new.append(_new_row(index, provision))
            continue
        merged = tuple(index.old[e.old] for e in entries if e.relation == "merged" and e.old)
        rows_by_new.append(_pair_row(index, main, merged))
    placed = {p.id for row in rows_by_new for p in (row.old, *row.merged) if p is not None}
    unplaced = {p.id for p in comparison.old.provisions} - placed
    runs = _removed_runs(comparison.old, unplaced)
    rows = [_old_row(p) for p in runs.get(None, [])]
    for row in rows_by_new:
        rows.append(row)
        for shown in (row.old, *row.merged):
            if shown is not None:
                rows.extend(_old_row(p) for p in runs.pop(shown.id, []))
    return tuple(rows)


# --- findings --------------------------------------------------------------------------


def _top_numbered(provision: Provision, by_id: dict[str, Provision]) -> Provision | None:
    """The highest numbered ancestor (or itself) that names a commitment, if any."""
    found: Provision | None = None
    node: Provision | None = provision
    while node is not None:
        if node.number is not None and node.kind not in GROUP_SKIP_KINDS:
            found = node
        node = by_id.get(node.parent) if node.parent else None
    return found


def _top(
    provision: Provision, by_id: dict[str, Provision], children: Counter[str | None]
) -> Provision:
    """The highest ancestor that has siblings: a draft's title often wraps all of it,
    and "Recitals" says more than the title does."""
    chain = [provision]
    while chain[-1].parent and chain[-1].parent in by_id:
        chain.append(by_id[chain[-1].parent])
    for node in reversed(chain):
        if children[node.parent] > 1:
            return node
    return provision


def _group_of(finding: Finding, index: _Index) -> tuple[str, str | None]:
    """Label and row anchor of the commitment a finding belongs to, as numbered in the
    new draft (a commitment that is gone keeps its old number, marked "(old)").

    The new side decides, unless only the old side sits in a commitment: a duty moved
    from a measure into the preamble belongs to the measure's commitment.
    """
    new = index.new.get(finding.new) if finding.new else None
    old = index.old.get(finding.old) if finding.old else None
    new_top = _top_numbered(new, index.new) if new else None
    if new_top is not None:
        return new_top.label, new_anchor(new_top.id)
    old_top = _top_numbered(old, index.old) if old else None
    if old_top is not None:
        counterpart = index.counterpart_of_old(old_top.id)
        if counterpart is not None:
            return counterpart.label, new_anchor(counterpart.id)
        return f"{old_top.label} (old)", old_anchor(old_top.id)
    if new is not None:
        top = _top(new, index.new, index.new_children)
        return top.label, new_anchor(top.id)
    if old is not None:
        top = _top(old, index.old, index.old_children)
        return f"{top.label} (old)", old_anchor(top.id)
    return "Whole document", None


APART_BELOW = 0.3
"""Evidence spans sharing less than this fraction of the shorter one are shown apart."""


def _apart(finding: Finding, evidence: Sequence[DiffOp]) -> bool:
    shorter = min(len(finding.old_text.strip()), len(finding.new_text.strip()))
    if shorter == 0:
        return False
    common = sum(len(op.text.strip()) for op in evidence if op.op == 0)
    return common < APART_BELOW * shorter


def _finding_anchors(findings: Sequence[Finding]) -> list[str]:
    """``f-<rule>-<provision>``: stable as long as the finding is; numbered if repeated."""
    seen: Counter[str] = Counter()
    anchors = []
    for finding in findings:
        where = (
            f"new-{anchor_part(finding.new)}"
            if finding.new
            else f"old-{anchor_part(finding.old or '')}"
        )
        base = f"f-{anchor_part(finding.rule)}-{where}"
        seen[base] += 1
        anchors.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return anchors


def list_lines(old_text: str, new_text: str) -> tuple[tuple[DiffOp, ...], tuple[DiffOp, ...]]:
    """The lines of list evidence on each side, marked by whether the other side has them
    (compared without case and spacing); ``((), ())`` for evidence of one line a side."""
    if "\n" not in old_text and "\n" not in new_text:
        return (), ()

    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def key(line: str) -> str:
        return " ".join(line.lower().split())

    old, new = lines(old_text), lines(new_text)
    old_keys, new_keys = {key(line) for line in old}, {key(line) for line in new}
    return (
        tuple(DiffOp(0 if key(line) in new_keys else -1, line) for line in old),
        tuple(DiffOp(0 if key(line) in old_keys else 1, line) for line in new),
    )


def _elsewhere(
    finding: Finding, index: _Index, old_labels: dict[str, str], new_labels: dict[str, str]
) -> tuple[tuple[str, str], ...]:
    """Links to where a finding's content went: new provisions for what left an old one,
    old provisions for what a new one brought."""
    if finding.old is None:
        return tuple((old_anchor(i), old_labels[i]) for i in finding.elsewhere if i in index.old)
    return tuple((new_anchor(i), new_labels[i]) for i in finding.elsewhere if i in index.new)


def finding_views(comparison: Comparison, rows: Sequence[Row]) -> tuple[FindingView, ...]:
    index = _Index(comparison)
    anchors = _finding_anchors(comparison.findings)
    old_labels = long_labels(comparison.old)
    new_labels = long_labels(comparison.new)
    position = {row.anchor: i for i, row in enumerate(rows)}
    for i, row in enumerate(rows):
        for provision in (row.old, *row.merged):
            if provision is not None:
                position.setdefault(old_anchor(provision.id), i)
    views = []
    for finding, anchor in zip(comparison.findings, anchors, strict=True):
        evidence = tidy(word_diff(finding.old_text, finding.new_text))
        old_lines, new_lines = list_lines(finding.old_text, finding.new_text)
        group, group_anchor = _group_of(finding, index)
        old = index.old.get(finding.old) if finding.old else None
        new = index.new.get(finding.new) if finding.new else None
        views.append(
            FindingView(
                finding=finding,
                anchor=anchor,
                old=old,
                new=new,
                evidence=evidence,
                evidence_apart=_apart(finding, evidence),
                binding=bool((old and old.binding) or (new and new.binding)),
                group=group,
                group_anchor=group_anchor,
                old_label=old_labels[old.id] if old else "",
                new_label=new_labels[new.id] if new else "",
                old_lines=old_lines,
                new_lines=new_lines,
                elsewhere=_elsewhere(finding, index, old_labels, new_labels),
                elsewhere_came_from=finding.old is None,
            )
        )

    def order(view: FindingView) -> tuple[int, int, int, int]:
        """By rank, weakenings first: as the ranking stage ordered them. Findings nobody
        ranked (rank 0, made by hand) go by direction and place in the document."""
        found = view.finding
        tier = "finding" if found.direction != "neutral" else found.tier
        where = view.new_anchor or view.old_anchor or ""
        return (
            TIER_ORDER[tier],
            DIRECTIONS.index(found.direction)
            if tier == "finding"
            else LEANING_ORDER[found.leaning],
            found.rank,
            position.get(where, len(rows)),
        )

    return tuple(sorted(views, key=order))


def _group_counts(views: Sequence[FindingView], rows: Sequence[Row]) -> tuple[GroupCount, ...]:
    weak = Counter(v.group for v in views if v.finding.direction == "weakening")
    strong = Counter(v.group for v in views if v.finding.direction == "strengthening")
    anchors = {v.group: v.group_anchor for v in views}
    rank: dict[str, int] = {}
    for i, row in enumerate(rows):  # a commitment that is gone is found by its old anchor
        for anchor in (row.anchor, row.old_anchor):
            if anchor:
                rank.setdefault(anchor, i)

    def order(group: str) -> tuple[int, str]:
        return (rank.get(anchors.get(group) or "", len(rows)), group)

    groups = sorted(set(weak) | set(strong), key=order)
    return tuple(GroupCount(g, weak[g], strong[g], anchors.get(g)) for g in groups)


def _rule_counts(findings: Sequence[Finding]) -> tuple[RuleCount, ...]:
    counts = Counter((f.rule, f.direction) for f in findings)
    ordered = sorted(counts.items(), key=lambda kv: (DIRECTIONS.index(kv[0][1]), -kv[1], kv[0]))
    return tuple(RuleCount(rule, direction, n) for (rule, direction), n in ordered)


def change_groups(views: Sequence[FindingView]) -> tuple[ChangeGroup, ...]:
    """Changes grouped by rule, each with a count per kind of provision."""
    by_rule: dict[str, list[FindingView]] = {}
    for view in views:
        by_rule.setdefault(view.finding.rule, []).append(view)
    groups = []
    for rule, members in by_rule.items():
        kinds = Counter(
            provision.kind for view in members if (provision := view.new or view.old) is not None
        )
        ordered = tuple(
            (kind_name(kind, n), n)
            for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        groups.append(ChangeGroup(rule, tuple(members), ordered))
    return tuple(sorted(groups, key=lambda g: (-g.count, g.rule)))


def _findings_by_row(
    views: Sequence[FindingView], rows: Sequence[Row]
) -> dict[str, tuple[FindingView, ...]]:
    row_of: dict[str, str] = {}
    for row in rows:
        for provision in (row.old, *row.merged):
            if provision is not None:
                row_of.setdefault(old_anchor(provision.id), row.anchor)
        if row.new is not None:
            row_of[new_anchor(row.new.id)] = row.anchor
    result: dict[str, list[FindingView]] = {}
    for view in views:
        targets = {row_of.get(a or "") for a in (view.old_anchor, view.new_anchor)}
        for target in sorted(t for t in targets if t):
            result.setdefault(target, []).append(view)
    return {anchor: tuple(found) for anchor, found in result.items()}


def build_redline(comparison: Comparison) -> Redline:
    rows = document_rows(comparison)
    views = finding_views(comparison, rows)
    directions = Counter(f.direction for f in comparison.findings)
    relations = Counter(a.relation for a in comparison.alignment)
    return Redline(
        comparison=comparison,
        rows=rows,
        findings=views,
        direction_counts={d: directions[d] for d in DIRECTIONS},
        relation_counts={r: relations[r] for r in RELATIONS},
        rule_counts=_rule_counts(comparison.findings),
        groups=_group_counts(views, rows),
        at_row=_findings_by_row(views, rows),
        kind_summaries=kind_summaries(),
        other_groups=change_groups(
            [v for v in views if v.finding.direction == "neutral" and v.finding.tier == "other"]
        ),
    )
