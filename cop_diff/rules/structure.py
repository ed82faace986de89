"""Provisions removed, added or moved: the structural findings.

A change is reported once, at the highest provision it concerns: when a whole
commitment is removed, its measures and list items are not reported again.
"""

from __future__ import annotations

from cop_diff.model import Alignment, Finding, Outline, Provision


def _name(provision: Provision) -> str:
    if provision.heading and provision.heading != provision.label:
        return f"{provision.label} ({provision.heading})"
    if provision.kind in ("list-item", "paragraph", "recital") and provision.parent:
        return f"an item of {provision.parent}"
    return provision.label


def _label_of(provision: Provision | None) -> str:
    return provision.label if provision is not None else "the top level"


def structural_findings(
    old: Outline, new: Outline, alignment: tuple[Alignment, ...]
) -> tuple[Finding, ...]:
    old_by_id = {p.id: p for p in old.provisions}
    new_by_id = {p.id: p for p in new.provisions}
    removed = {a.old for a in alignment if a.relation == "removed"}
    added = {a.new for a in alignment if a.relation == "added"}
    findings: list[Finding] = []
    for entry in alignment:
        if entry.relation == "removed" and entry.old is not None:
            provision = old_by_id[entry.old]
            if provision.parent in removed:
                continue
            findings.append(
                Finding(
                    rule="provision-removed",
                    direction="neutral",
                    old=provision.id,
                    new=None,
                    old_text=provision.text,
                    new_text="",
                    explanation=f"{_name(provision)} has no counterpart in the new draft.",
                    confidence=round(1 - entry.score / 2, 4) if entry.score < 1 else 0.9,
                )
            )
        elif entry.relation == "added" and entry.new is not None:
            provision = new_by_id[entry.new]
            if provision.parent in added:
                continue
            findings.append(
                Finding(
                    rule="provision-added",
                    direction="neutral",
                    old=None,
                    new=provision.id,
                    old_text="",
                    new_text=provision.text,
                    explanation=f"{_name(provision)} is new in this draft.",
                    confidence=0.9,
                )
            )
        elif entry.relation == "moved" and entry.old is not None and entry.new is not None:
            before, after = old_by_id[entry.old], new_by_id[entry.new]
            old_parent = _label_of(old_by_id.get(before.parent or ""))
            new_parent = _label_of(new_by_id.get(after.parent or ""))
            renamed = "" if after.label == before.label else f", now {after.label}"
            findings.append(
                Finding(
                    rule="provision-moved",
                    direction="neutral",
                    old=before.id,
                    new=after.id,
                    old_text=before.text,
                    new_text=after.text,
                    explanation=(
                        f"{_name(before)} moved from {old_parent} to {new_parent}{renamed}."
                    ),
                    confidence=entry.score,
                )
            )
    return tuple(findings)
