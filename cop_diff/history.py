"""History: each provision followed through a series of drafts, oldest first.

Each draft is compared with the next by the compare pipeline (through the analysis
cache, so a series of four drafts costs three comparisons, and none that was made
before). The alignments are then chained into lineages: one per provision, from the
draft where it first appears to the last draft, or to the draft where it is gone.

Every provision of every draft is in exactly one lineage. Where the alignment is not one
to one, the lineage follows its one-to-one pairs (unchanged, changed, moved: the pairing
the assignment chose as the best one):

- merged: several provisions went into one. The one the alignment paired with it carries
  its lineage on; each of the others ends there, ``merged`` into it.
- split: one provision went into several. The one paired with it carries its lineage on;
  each of the others begins a lineage of its own, ``split`` from it.
- a list item moved into another provision's list, or a provision demoted into a list or
  a box, is a ``moved`` link when the alignment pairs it, else a merge or an end.
- removed: the lineage ends; added: a lineage begins.

A finding of step ``k`` goes to the lineage of its old provision (what happened to that
text), or, for one about new text only, to the lineage of its new provision; so the
findings of each step, over all lineages, are exactly the pairwise comparison's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Literal

from cop_diff.errors import InputError
from cop_diff.model import (
    ChainLink,
    Comparison,
    History,
    Lineage,
    LineageEnd,
    Outline,
    Relation,
    StepFinding,
)
from cop_diff.output import same_file
from cop_diff.pipeline import (
    PAIRED_RELATIONS,
    Settings,
    compare,
    extract_documents,
    segment_document,
)
from cop_diff.timing import stage

Verdict = Literal["weaker", "stronger", "mixed", "changed", "unchanged"]
VERDICTS: tuple[Verdict, ...] = ("weaker", "stronger", "mixed", "changed", "unchanged")


def build_history(outlines: Sequence[Outline], steps: Sequence[Comparison]) -> History:
    """The lineages of a series whose step ``k`` compares ``outlines[k]`` with ``k + 1``."""
    if len(steps) != len(outlines) - 1:
        raise ValueError("a series of n drafts has n - 1 steps")
    return History(tuple(outlines), tuple(steps), lineages(outlines, steps))


class _Chains:
    """Lineages under construction: their links, their ends, and who owns which id."""

    def __init__(self, drafts: int) -> None:
        self.drafts = drafts
        self.links: list[list[ChainLink | None]] = []
        self.ends: list[LineageEnd | None] = []
        self.owner: list[dict[str, int]] = [{} for _ in range(drafts)]

    def begin(self, draft: int, link: ChainLink) -> None:
        self.links.append([None] * self.drafts)
        self.ends.append(None)
        self.extend(len(self.links) - 1, draft, link)

    def extend(self, line: int, draft: int, link: ChainLink) -> None:
        self.links[line][draft] = link
        self.owner[draft][link.id] = line

    def end(self, line: int, end: LineageEnd) -> None:
        if self.ends[line] is None:
            self.ends[line] = end


def lineages(outlines: Sequence[Outline], steps: Sequence[Comparison]) -> tuple[Lineage, ...]:
    """Chain the alignments of consecutive drafts (see the module's docstring)."""
    chains = _Chains(len(outlines))
    for provision in outlines[0].provisions:
        chains.begin(0, ChainLink(provision.id, None))
    for k, step in enumerate(steps):
        _link_step(chains, k, step, outlines[k + 1])
    findings: list[list[StepFinding]] = [[] for _ in chains.links]
    for k, step in enumerate(steps):
        for finding in step.findings:
            line = chains.owner[k].get(finding.old or "")
            if line is None:
                line = chains.owner[k + 1].get(finding.new or "")
            if line is None:
                raise ValueError(f"a finding of step {k} names no provision of its drafts")
            findings[line].append(StepFinding(k, finding))
    made = [
        Lineage(tuple(links), end, tuple(found))
        for links, end, found in zip(chains.links, chains.ends, findings, strict=True)
    ]
    return tuple(sorted(made, key=_latest_position(outlines)))


def _link_step(chains: _Chains, k: int, step: Comparison, new: Outline) -> None:
    """Carry the lineages of draft ``k`` into draft ``k + 1``; end or begin the others."""
    new_ids = {p.id for p in new.provisions}
    old_owner, new_owner = chains.owner[k], chains.owner[k + 1]
    split_from: dict[str, str] = {}
    for entry in step.alignment:
        if entry.old is None or entry.new is None:
            continue
        if entry.relation == "split":
            split_from.setdefault(entry.new, entry.old)
        line = old_owner.get(entry.old)
        if line is None or entry.new not in new_ids:
            continue
        if entry.relation in PAIRED_RELATIONS and entry.new not in new_owner:
            chains.extend(line, k + 1, ChainLink(entry.new, entry.relation))
        elif entry.relation == "merged":
            chains.end(line, LineageEnd(k + 1, "merged", entry.new))
    for line in old_owner.values():
        if chains.links[line][k + 1] is None:
            chains.end(line, LineageEnd(k + 1, "removed"))  # a merge already said so
    for provision in new.provisions:
        if provision.id not in new_owner:
            origin = split_from.get(provision.id)
            relation: Relation = "split" if origin is not None else "added"
            chains.begin(k + 1, ChainLink(provision.id, relation, origin))


def _latest_position(outlines: Sequence[Outline]) -> Callable[[Lineage], tuple[int, int]]:
    """Sort key: lineages of the last draft in its order, then those that ended, the
    latest first, each group in the order of the last draft they are in."""
    positions = [{p.id: i for i, p in enumerate(o.provisions)} for o in outlines]

    def key(lineage: Lineage) -> tuple[int, int]:
        last = last_draft(lineage)
        link = lineage.chain[last]
        assert link is not None
        return (-last, positions[last][link.id])

    return key


def last_draft(lineage: Lineage) -> int:
    """Index of the last draft the lineage is in."""
    return max(i for i, link in enumerate(lineage.chain) if link is not None)


def first_draft(lineage: Lineage) -> int:
    return min(i for i, link in enumerate(lineage.chain) if link is not None)


def direction_counts(lineage: Lineage) -> tuple[int, int]:
    """Weakenings and strengthenings found over all its steps."""
    weaker = sum(1 for s in lineage.findings if s.finding.direction == "weakening")
    stronger = sum(1 for s in lineage.findings if s.finding.direction == "strengthening")
    return weaker, stronger


def verdict(lineage: Lineage) -> Verdict:
    """Over the whole series: weaker or stronger (findings one way only), mixed (both
    ways), changed (its text, place or presence changed, with no finding either way),
    or unchanged."""
    weaker, stronger = direction_counts(lineage)
    if weaker and stronger:
        return "mixed"
    if weaker or stronger:
        return "weaker" if weaker else "stronger"
    links = [link for link in lineage.chain if link is not None]
    steady = all(link.relation in (None, "unchanged") for link in links)
    whole = first_draft(lineage) == 0 and lineage.end is None
    return "unchanged" if steady and whole and not lineage.findings else "changed"


# Running a series


def refuse_repeated_paths(paths: Sequence[Path]) -> None:
    """A draft given twice (any spelling of its path, or a link to it) makes no series."""
    if len(paths) < 2:
        raise InputError("history needs at least two drafts, oldest first")
    for i, path in enumerate(paths):
        for earlier in paths[:i]:
            if same_file(path, earlier):
                raise InputError(f"given twice (also as {earlier})", path=str(path))


def history_files(
    paths: Sequence[Path],
    settings: Settings | None = None,
    progress: Callable[[Path], None] | None = None,
) -> History:
    """Read the drafts (in parallel, or from the cache) and compare each with the next,
    through the analysis cache when caching."""
    settings = settings or Settings()
    refuse_repeated_paths(paths)
    with stage("extract"):
        documents = extract_documents(list(paths), settings, progress)
    seen: dict[str, Path] = {}
    for path, document in zip(paths, documents, strict=True):
        if document.sha256 in seen:
            what = f"the same draft as {seen[document.sha256]} (identical content)"
            raise InputError(what, path=str(path))
        seen[document.sha256] = path
    with stage("segment"):
        outlines = [
            segment_document(path, document, settings)
            for path, document in zip(paths, documents, strict=True)
        ]
    steps = [
        compare(old, new, settings, cached=settings.caching) for old, new in pairwise(outlines)
    ]
    return build_history(outlines, steps)
