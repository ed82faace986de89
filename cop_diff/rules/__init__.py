"""The catalogue of detectors. Each module has a CODE, the KINDS of finding it emits,
a docstring with a weakening and a non-weakening example, and ``detect(context)``.

The catalogue is an explicit tuple, not a registry filled at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from types import ModuleType

from cop_diff.model import Finding
from cop_diff.rules import (
    concept,
    drafters_note,
    exemption,
    list_items,
    modal,
    number,
    obligation,
    qualifier,
    reference,
    scope,
    structure,
)
from cop_diff.rules.base import RuleContext


@dataclass(frozen=True)
class Rule:
    code: str
    kinds: tuple[str, ...]
    summary: str
    """The first line of the module docstring."""
    doc: str
    detect: Callable[[RuleContext], Iterator[Finding]]


def _rule(
    module: ModuleType, detect: Callable[[RuleContext], Iterator[Finding]] | None = None
) -> Rule:
    doc = (module.__doc__ or "").strip()
    return Rule(
        code=module.CODE,
        kinds=tuple(module.KINDS),
        summary=doc.splitlines()[0] if doc else "",
        doc=doc,
        detect=detect or module.detect,
    )


def _modals(context: RuleContext) -> Iterator[Finding]:
    yield from modal.detect(context)
    yield from modal.detect_across(context)


def _numbers(context: RuleContext) -> Iterator[Finding]:
    yield from number.detect(context)
    yield from number.detect_in_duties(context)


def _obligations(context: RuleContext) -> Iterator[Finding]:
    yield from obligation.detect(context)
    yield from obligation.detect_in_merges(context)


RULES: tuple[Rule, ...] = (
    _rule(structure),
    _rule(obligation, _obligations),
    _rule(drafters_note),
    _rule(modal, _modals),
    _rule(qualifier),
    _rule(exemption),
    _rule(list_items),
    _rule(reference),
    _rule(number, _numbers),
    _rule(scope),
    _rule(concept),
)

DIRECTION_ORDER = {"weakening": 0, "strengthening": 1, "neutral": 2}
REPORT_CONFIDENCE = 0.7
"""Below this confidence a weakening (or strengthening) is listed as a neutral "Possibly:"
finding: the weakenings list is what analysts act on, so it has to be right."""


def _settled(found: Finding) -> Finding:
    """Sets the leaning; a weakening or strengthening below the bar becomes "Possibly"."""
    if found.direction == "neutral":
        return found
    found = replace(found, leaning=found.direction)
    if found.confidence >= REPORT_CONFIDENCE:
        return found
    explanation = found.explanation
    if not explanation.startswith("Possibly"):
        explanation = f"Possibly ({found.direction}): {explanation}"
    return replace(found, direction="neutral", explanation=explanation)


LIST_RULES = frozenset(
    {"list-item-removed", "list-item-demoted", "list-item-added", "list-item-promoted"}
)


def _without_echoes(findings: list[Finding], context: RuleContext) -> list[Finding]:
    """Drop a citation lost (or gained) with a list item whose own loss (or gain) is
    reported: the item's finding already shows its words went, the reference among them
    ("a change is reported once"). A citation in the provision's own text stays."""
    listed = {
        (found.leaning, side)
        for found in findings
        if found.rule in LIST_RULES and found.leaning != "none"
        for side in (found.old, found.new)
        if side is not None
    }

    def echo(found: Finding) -> bool:
        if not found.rule.startswith("reference-") or found.leaning == "none":
            return False
        weakening = found.leaning == "weakening"
        by_id = context.old_by_id if weakening else context.new_by_id
        item = by_id.get((found.old if weakening else found.new) or "")
        return (
            item is not None
            and item.kind == "list-item"
            and bool({(found.leaning, item.id), (found.leaning, item.parent)} & listed)
        )

    return [found for found in findings if not echo(found)]


def run_rules(context: RuleContext, rules: tuple[Rule, ...] = RULES) -> tuple[Finding, ...]:
    """All findings, weakenings first, then in document order; no duplicates."""
    old_at = {p.id: i for i, p in enumerate(context.old.provisions)}
    new_at = {p.id: i for i, p in enumerate(context.new.provisions)}
    seen: set[tuple[str, str | None, str | None, str, str]] = set()
    findings: list[Finding] = []
    for rule in rules:
        for found in map(_settled, rule.detect(context)):
            key = (found.rule, found.old, found.new, found.old_text, found.new_text)
            if key not in seen:
                seen.add(key)
                findings.append(found)

    findings = _without_echoes(findings, context)

    def order(found: Finding) -> tuple[int, int, int, str]:
        position = old_at.get(found.old or "", new_at.get(found.new or "", 0))
        return (
            DIRECTION_ORDER[found.direction],
            position,
            new_at.get(found.new or "", 0),
            found.rule,
        )

    return tuple(sorted(findings, key=order))
