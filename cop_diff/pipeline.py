"""The compare pipeline as a library call: extract -> segment -> align -> diff -> detect."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cop_diff.align import AlignSettings, align
from cop_diff.diff import word_diff
from cop_diff.errors import about
from cop_diff.extract import ExtractSettings, extract
from cop_diff.lexicon import Lexicon, load_lexicon
from cop_diff.model import Alignment, Comparison, ListDiff, Outline, PairDiff
from cop_diff.rules import run_rules
from cop_diff.rules.base import RuleContext
from cop_diff.segment import SegmentSettings, default_settings, segment

DIFFED_RELATIONS = frozenset({"changed", "moved"})
PAIRED_RELATIONS = frozenset({"unchanged", "changed", "moved"})


@dataclass(frozen=True)
class Settings:
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    segment: SegmentSettings = field(default_factory=default_settings)
    align: AlignSettings = field(default_factory=AlignSettings)
    lexicon: Lexicon = field(default_factory=load_lexicon)


def outline_file(path: Path, settings: Settings) -> Outline:
    document = extract(path, settings.extract)
    with about(path):  # a hostile draft nested too deeply is the draft's fault
        return segment(document, settings.segment)


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
    lists = list_diffs(old, new, alignment)
    context = RuleContext.build(old, new, alignment, lists, settings.lexicon)
    return Comparison(
        old=old,
        new=new,
        alignment=alignment,
        diffs=diffs,
        findings=run_rules(context),
        lists=lists,
    )


LIST_KINDS = frozenset({"list-item", "recital"})


def list_diffs(
    old: Outline, new: Outline, alignment: tuple[Alignment, ...]
) -> tuple[ListDiff, ...]:
    """Per aligned pair of parents, the list items kept, removed, added and moved."""
    old_by_id = {p.id: p for p in old.provisions}
    new_by_id = {p.id: p for p in new.provisions}
    counterpart = {
        a.old: a.new for a in alignment if a.old and a.new and a.relation in PAIRED_RELATIONS
    }
    origin = {new_id: old_id for old_id, new_id in counterpart.items()}
    removed = {a.old for a in alignment if a.relation == "removed"}
    added = {a.new for a in alignment if a.relation == "added"}
    old_items: dict[str, list[str]] = {}
    new_items: dict[str, list[str]] = {}
    for provision in old.provisions:
        if provision.kind in LIST_KINDS and provision.parent:
            old_items.setdefault(provision.parent, []).append(provision.id)
    for provision in new.provisions:
        if provision.kind in LIST_KINDS and provision.parent:
            new_items.setdefault(provision.parent, []).append(provision.id)
    result: list[ListDiff] = []
    for old_parent, new_parent in counterpart.items():
        before = old_items.get(old_parent, [])
        after = new_items.get(new_parent or "", [])
        if not before and not after:
            continue
        kept: list[tuple[str, str]] = []
        moved_out: list[tuple[str, str]] = []
        for item in before:
            target = counterpart.get(item)
            if target is None:
                continue
            pair = (item, target)
            (kept if new_by_id[target].parent == new_parent else moved_out).append(pair)
        moved_in = [
            (origin[item], item)
            for item in after
            if item in origin and old_by_id[origin[item]].parent != old_parent
        ]
        result.append(
            ListDiff(
                old=old_parent,
                new=new_parent or "",
                kept=tuple(kept),
                removed=tuple(i for i in before if i in removed),
                added=tuple(i for i in after if i in added),
                moved_out=tuple(moved_out),
                moved_in=tuple(moved_in),
            )
        )
    return tuple(result)


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
