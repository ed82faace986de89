"""What the history page and its text exports show, as data: the drafts, each lineage's
labels across them, its findings per step and its text at each step.

Pure functions of a ``History``, like ``redline.py`` for a comparison: no markup here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from cop_diff.diff import word_diff
from cop_diff.history import (
    VERDICTS,
    Verdict,
    direction_counts,
    first_draft,
    last_draft,
    verdict,
)
from cop_diff.labels import PART_KINDS, draft_title, file_name, human_date, long_labels
from cop_diff.model import (
    ChainLink,
    DiffOp,
    Document,
    Finding,
    History,
    Lineage,
    Outline,
    Provision,
    SeriesOrder,
)
from cop_diff.redline import TOC_KINDS, anchor_part, statement, tidy
from cop_diff.sanity import MIN_ALIGNED_SHARE, aligned_share

FINDING_GROUPS = ("weakening", "strengthening", "worth-a-look", "neutral")
"""The redline's groups of findings: confident either way, leaning one way, the rest."""
ORDER_WORDS: dict[SeriesOrder, str] = {
    "given": "given, oldest first",
    "published": "of their publication dates, oldest first",
    "version": "of the versions in their names, oldest first",
    "seen": "in which they were first seen, oldest first",
}
"""How the page says it: "Drafts in the order ..." """


@dataclass(frozen=True)
class DraftView:
    index: int
    """0-based, in the series' order."""
    document: Document
    profile: str
    provisions: int

    @property
    def number(self) -> str:
        """How the page names it: "D1", "D2", ..."""
        return f"D{self.index + 1}"

    @property
    def name(self) -> str:
        """The file name, never the folders it was read from."""
        return file_name(self.document.source)

    @property
    def title(self) -> str:
        """Its own title, else its file name."""
        return draft_title(self.document)

    @property
    def date(self) -> str | None:
        """As a reader writes it: "19 Dec 2024"."""
        return human_date(self.document.date)


def draft_view(index: int, outline: Outline) -> DraftView:
    return DraftView(index, outline.document, outline.profile, len(outline.provisions))


@dataclass(frozen=True)
class StepFindingView:
    finding: Finding

    @cached_property
    def evidence(self) -> tuple[DiffOp, ...]:
        """Word diff of its old and new text (for the page only: computed when asked)."""
        return tidy(word_diff(self.finding.old_text, self.finding.new_text))

    @property
    def statement(self) -> str:
        return statement(self.finding)

    @property
    def group(self) -> str:
        """As the redline's filters group findings: worth-a-look apart, by its tier."""
        if self.finding.tier == "worth-a-look":
            return "worth-a-look"
        return self.finding.direction


@dataclass(frozen=True)
class Cell:
    """A lineage in one draft: its provision, how it came there, and its text."""

    draft: int
    provision: Provision | None
    label: str
    link: ChainLink | None
    ops: tuple[DiffOp, ...]
    """Its text as a redline against its predecessor (plain where there is none)."""
    split_from_label: str = ""


@dataclass(frozen=True)
class StepView:
    """What a lineage went through from draft ``index`` to ``index + 1``."""

    index: int
    findings: tuple[StepFindingView, ...]

    @cached_property
    def counts(self) -> dict[str, int]:
        """Its findings by the redline's groups."""
        found = Counter(f.group for f in self.findings)
        return {group: found[group] for group in FINDING_GROUPS}

    @property
    def leans(self) -> bool:
        """Whether any of its findings leans one way (all but the neutral ones)."""
        return any(f.group != "neutral" for f in self.findings)


@dataclass(frozen=True)
class LineageView:
    lineage: Lineage
    anchor: str
    cells: tuple[Cell, ...]
    steps: tuple[StepView, ...]
    verdict: Verdict
    weakenings: int
    strengthenings: int
    binding: bool
    part: bool
    """A list item or a paragraph: part of a provision, not one on its own."""
    end_label: str = ""
    """For a lineage merged away: the label of the provision it went into."""

    @property
    def current(self) -> bool:
        """In the last draft of the series."""
        return self.cells[-1].provision is not None

    @property
    def latest(self) -> Cell:
        """Its cell in the last draft it is in."""
        return self.cells[last_draft(self.lineage)]

    @property
    def title(self) -> str:
        """The latest label it had."""
        return self.latest.label

    @property
    def heading(self) -> str:
        provision = self.latest.provision
        assert provision is not None
        return "" if provision.heading == provision.label else provision.heading

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(sorted({f.finding.rule for s in self.steps for f in s.findings}))

    @property
    def begins(self) -> Cell:
        return self.cells[first_draft(self.lineage)]

    @property
    def status(self) -> str:
        """The verdict in a word or two; for one with no finding either way, what
        happened to it: "Removed in D3", "Added in D2", "Changed", "Unchanged"."""
        if self.verdict != "changed":
            return self.verdict.capitalize()
        end = self.lineage.end
        if end is not None:
            return f"{end.relation.capitalize()} in D{end.draft + 1}"
        begun = self.begins
        if begun.link is not None and begun.link.relation in ("added", "split"):
            what = "Added" if begun.link.relation == "added" else "Split off"
            return f"{what} in D{begun.draft + 1}"
        return "Changed"


@dataclass(frozen=True)
class HistoryView:
    history: History
    order: SeriesOrder
    drafts: tuple[DraftView, ...]
    lineages: tuple[LineageView, ...]
    warnings: tuple[str, ...]

    @property
    def order_words(self) -> str:
        return ORDER_WORDS[self.order]

    @property
    def current(self) -> tuple[LineageView, ...]:
        return tuple(view for view in self.lineages if view.current)

    @property
    def ended(self) -> tuple[LineageView, ...]:
        return tuple(view for view in self.lineages if not view.current)

    @cached_property
    def verdict_counts(self) -> dict[str, int]:
        counts = Counter(view.verdict for view in self.lineages)
        return {key: counts[key] for key in VERDICTS}

    @cached_property
    def fates(self) -> dict[str, int]:
        """How many lineages span the series, began later, or ended early (and how)."""
        counts: Counter[str] = Counter()
        for view in self.lineages:
            begun = view.begins.link
            if begun is not None and begun.relation in ("added", "split"):
                counts[begun.relation] += 1
            if view.lineage.end is not None:
                counts[view.lineage.end.relation] += 1
            if begun is not None and begun.relation is None and view.lineage.end is None:
                counts["whole"] += 1
        return {key: counts[key] for key in ("whole", "added", "split", "removed", "merged")}

    @cached_property
    def rules(self) -> tuple[str, ...]:
        return tuple(sorted({rule for view in self.lineages for rule in view.rules}))

    @property
    def toc(self) -> tuple[LineageView, ...]:
        """The latest draft's top provisions, for the contents."""
        return tuple(
            view
            for view in self.current
            if (provision := view.cells[-1].provision) is not None
            and provision.kind in TOC_KINDS
            and provision.depth <= 1
        )

    def step_counts(self, step: int) -> dict[str, int]:
        """Findings of one step by the redline's groups, over the whole series."""
        counts: Counter[str] = Counter()
        for view in self.lineages:
            counts.update(view.steps[step].counts)
        return {group: counts[group] for group in FINDING_GROUPS}


def build_history_view(history: History, order: SeriesOrder = "given") -> HistoryView:
    drafts = tuple(draft_view(i, outline) for i, outline in enumerate(history.outlines))
    series = _Series(history)
    views = tuple(series.lineage_view(lineage) for lineage in history.lineages)
    return HistoryView(history, order, drafts, views, tuple(series_warnings(history)))


class _Series:
    """Lookups over the drafts and steps of a history, built once."""

    def __init__(self, history: History) -> None:
        self.steps = len(history.steps)
        self.labels = [long_labels(outline) for outline in history.outlines]
        self.by_id = [{p.id: p for p in outline.provisions} for outline in history.outlines]
        self.diffs = [{(d.old, d.new): d.ops for d in step.diffs} for step in history.steps]

    def cell(self, lineage: Lineage, k: int) -> Cell:
        link = lineage.chain[k]
        if link is None:
            return Cell(k, None, "", None, ())
        provision = self.by_id[k][link.id]
        previous = lineage.chain[k - 1] if k else None
        ops = self.diffs[k - 1].get((previous.id, link.id)) if previous is not None else None
        return Cell(
            draft=k,
            provision=provision,
            label=self.labels[k][link.id],
            link=link,
            ops=tidy(ops) if ops else _plain(provision.text),
            split_from_label=self.labels[k - 1].get(link.split_from or "", "") if k else "",
        )

    def lineage_view(self, lineage: Lineage) -> LineageView:
        cells = tuple(self.cell(lineage, k) for k in range(len(lineage.chain)))
        steps = tuple(
            StepView(k, tuple(StepFindingView(s.finding) for s in lineage.findings if s.step == k))
            for k in range(self.steps)
        )
        latest = cells[last_draft(lineage)]
        assert latest.provision is not None
        weaker, stronger = direction_counts(lineage)
        end = lineage.end
        return LineageView(
            lineage=lineage,
            anchor=f"l{latest.draft + 1}-{anchor_part(latest.provision.id)}",
            cells=cells,
            steps=steps,
            verdict=verdict(lineage),
            weakenings=weaker,
            strengthenings=stronger,
            binding=any(c.provision.binding for c in cells if c.provision is not None),
            part=latest.provision.kind in PART_KINDS,
            end_label=self.labels[end.draft].get(end.merged_into or "", "") if end else "",
        )


def _plain(text: str) -> tuple[DiffOp, ...]:
    return (DiffOp(0, text),) if text else ()


def series_warnings(history: History) -> list[str]:
    """A draft dated before the one given ahead of it (the series is taken as given), and
    steps whose drafts look unrelated; drafts named by number and file name, never by a
    local path."""
    warnings = []
    drafts = [draft_view(i, outline) for i, outline in enumerate(history.outlines)]
    for before, after in pairwise(drafts):
        earlier, later = before.document.date, after.document.date
        shared = min(len(earlier or ""), len(later or ""))
        if earlier and later and later[:shared] < earlier[:shared]:
            warnings.append(
                f"{after.number} ({after.name}, {after.date}) is dated before {before.number} "
                f"({before.name}, {before.date}); the drafts are taken in the order given"
            )
    for step, (before, after) in zip(history.steps, pairwise(drafts), strict=True):
        share = aligned_share(step)
        if share < MIN_ALIGNED_SHARE:
            warnings.append(
                f"{before.number} ({before.name}) and {after.number} ({after.name}) do not look "
                f"like versions of one document: only {share:.0%} of their provisions line up"
            )
    return warnings
