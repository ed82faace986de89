"""The compare pipeline as a library call: extract -> segment -> align -> diff -> detect."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cop_diff.align import AlignSettings, align
from cop_diff.diff import word_diff
from cop_diff.extract import extract
from cop_diff.model import Comparison, Outline, PairDiff
from cop_diff.rules.structure import structural_findings
from cop_diff.segment import SegmentSettings, default_settings, segment

DIFFED_RELATIONS = frozenset({"changed", "moved"})


@dataclass(frozen=True)
class Settings:
    segment: SegmentSettings = field(default_factory=default_settings)
    align: AlignSettings = field(default_factory=AlignSettings)


def outline_file(path: Path, settings: Settings) -> Outline:
    return segment(extract(path), settings.segment)


def compare(old: Outline, new: Outline, settings: Settings) -> Comparison:
    alignment = align(old, new, settings.align)
    old_by_id = {p.id: p for p in old.provisions}
    new_by_id = {p.id: p for p in new.provisions}
    diffs = tuple(
        PairDiff(
            entry.old,
            entry.new,
            word_diff(old_by_id[entry.old].text, new_by_id[entry.new].text),
        )
        for entry in alignment
        if entry.old is not None and entry.new is not None and entry.relation in DIFFED_RELATIONS
    )
    findings = structural_findings(old, new, alignment)
    return Comparison(old=old, new=new, alignment=alignment, diffs=diffs, findings=findings)


def compare_files(old: Path, new: Path, settings: Settings | None = None) -> Comparison:
    settings = settings or Settings()
    return compare(outline_file(old, settings), outline_file(new, settings), settings)


def changes_of_substance(comparison: Comparison) -> bool:
    """Whether anything that binds changed: the exit status 1 of ``compare``.

    Layout, list numbering style and whitespace are not changes (the alignment compares
    normalised text); neither are edits confined to text that does not bind.
    """
    old_by_id = {p.id: p for p in comparison.old.provisions}
    new_by_id = {p.id: p for p in comparison.new.provisions}
    for entry in comparison.alignment:
        if entry.relation == "unchanged":
            continue
        old = old_by_id.get(entry.old or "")
        new = new_by_id.get(entry.new or "")
        if (old is not None and old.binding) or (new is not None and new.binding):
            return True
    return any(f.direction != "neutral" for f in comparison.findings)
