"""Provisions removed, added or moved: the structural findings.

A change is reported once, at the highest provision it concerns: when a whole
commitment is removed, its measures and list items are not reported again.
"""

from __future__ import annotations

from cop_diff.model import Alignment, Finding, Outline, Provision

QUOTE_WORDS = 8


def _quote(text: str) -> str:
    words = text.split()
    return " ".join(words[:QUOTE_WORDS]) + ("…" if len(words) > QUOTE_WORDS else "")


def _name(provision: Provision, by_id: dict[str, Provision]) -> str:
    """How an analyst would refer to a provision: "Measure 4.5 (Serious incident ...)"."""
    if provision.kind in ("list-item", "paragraph"):
        parent = by_id.get(provision.parent or "")
        where = parent.label if parent is not None else "the preamble"
        what = (
            "a paragraph"
            if provision.kind == "paragraph"
            else ("an item" if provision.label == "•" else f"item {provision.label}")
        )
        return f'{what} of {where} ("{_quote(provision.text)}")'
    if provision.heading and provision.heading != provision.label:
        return f"{provision.label} ({provision.heading})"
    return provision.label


def _label_of(provision: Provision | None) -> str:
    if provision is None:
        return "the top level"
    if provision.heading and provision.heading != provision.label:
        return f"{provision.label} ({provision.heading})"
    return provision.label


def structural_findings(
    old: Outline, new: Outline, alignment: tuple[Alignment, ...]
) -> tuple[Finding, ...]:
    old_by_id = {p.id: p for p in old.provisions}
    new_by_id = {p.id: p for p in new.provisions}
    removed = {a.old for a in alignment if a.relation == "removed"}
    added = {a.new for a in alignment if a.relation == "added"}
    counterparts = {
        a.old: a.new for a in alignment if a.old and a.new and a.relation not in ("merged", "split")
    }
    findings: list[Finding] = []
    for entry in alignment:
        if entry.relation == "removed" and entry.old is not None:
            provision = old_by_id[entry.old]
            if provision.parent in removed:
                continue
            name = _name(provision, old_by_id)
            findings.append(
                Finding(
                    rule="provision-removed",
                    direction="neutral",
                    old=provision.id,
                    new=None,
                    old_text=provision.text,
                    new_text="",
                    explanation=f"{name} has no counterpart in the new draft.",
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
                    explanation=f"{_name(provision, new_by_id)} is new in this draft.",
                    confidence=0.9,
                )
            )
        elif entry.relation == "moved" and entry.old is not None and entry.new is not None:
            before, after = old_by_id[entry.old], new_by_id[entry.new]
            old_parent = _label_of(old_by_id.get(before.parent or ""))
            new_parent = _label_of(new_by_id.get(after.parent or ""))
            renamed = "" if after.label == before.label else f", now {after.label}"
            name = _name(before, old_by_id)
            findings.append(
                Finding(
                    rule="provision-moved",
                    direction="neutral",
                    old=before.id,
                    new=after.id,
                    old_text=before.text,
                    new_text=after.text,
                    explanation=(
                        f"{name} is now {_label_of(after)}."
                        if counterparts.get(before.parent or "") == after.parent
                        else f"{name} moved from {old_parent} to {new_parent}{renamed}."
                    ),
                    confidence=entry.score,
                )
            )
    return tuple(findings)
