"""number-changed: deadlines, retention periods, frequencies and thresholds.

A period that changed in an otherwise matching sentence. The direction comes from the
words before it (lexicon ``[numbers]``): after "within", "no later than", "every", a
longer period is weaker (a later deadline, rarer checks); after "retain", "keep", "for
at least", a longer period is stronger. Other numbers that changed are reported as
neutral: the context does not say which way is weaker.

Weakening:      "notify the Authority within 72 hours" -> "... within 15 days"
Not weakening:  "keep records for 5 years" -> "keep records for 10 years" (stronger)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cop_diff.model import Direction, Finding
from cop_diff.rules.base import (
    RuleContext,
    edit_confidence,
    finding,
    name,
    position_map,
    window,
)

CODE = "N01"
KINDS = ("number-changed",)
CONTEXT_BEFORE = 60
"""Characters before a quantity read for its context ("within", "retain ... for")."""

_NUMBER = r"(?P<value>\d+(?:[.,]\d+)?|[a-z]+(?:-[a-z]+)?)"


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    days: float | None
    """The period in days, for units of time."""
    text: str


def quantities(text: str, context: RuleContext) -> list[tuple[int, Quantity]]:
    units = sorted(context.lexicon.time_units, key=len, reverse=True)
    pattern = re.compile(
        _NUMBER
        + r"\s*(?:\(\d+\)\s*)?(?P<unit>"
        + "|".join(map(re.escape, units))
        + r"|%|per ?cent)\b",
        re.IGNORECASE,
    )
    found: list[tuple[int, Quantity]] = []
    for match in pattern.finditer(text):
        raw = match.group("value").lower().replace(",", ".")
        value = context.lexicon.number_words.get(raw)
        if value is None:
            try:
                value = float(raw)
            except ValueError:
                continue
        unit = match.group("unit").lower()
        days = context.lexicon.time_units.get(unit)
        found.append(
            (match.start(), Quantity(value, unit, value * days if days else None, match.group(0)))
        )
    return found


def _direction(
    before_text: str, old: Quantity, new: Quantity, context: RuleContext
) -> tuple[Direction, str]:
    """Which way the change goes, and why, in a few words."""
    if old.days is None or new.days is None or old.days == new.days:
        return "neutral", ""
    longer = new.days > old.days
    if context.lexicon.retention_context.search(before_text):
        return (
            ("strengthening", "records are kept longer")
            if longer
            else ("weakening", "records are kept for less time")
        )
    if context.lexicon.deadline_context.search(before_text):
        return (
            ("weakening", "a later deadline or rarer checks")
            if longer
            else ("strengthening", "an earlier deadline or more frequent checks")
        )
    return "neutral", ""


NEARBY = 12
"""Characters within which a quantity of the new sentence stands where an old one stood."""


def detect(context: RuleContext) -> Iterator[Finding]:
    for pair in context.pairs:
        if not (pair.old.binding and pair.new.binding):
            continue
        what = name(pair.new, context.new_by_id)
        for sentences in pair.matched:
            after = quantities(sentences.new, context)
            mapping = position_map(sentences.ops)
            for start, before in quantities(sentences.old, context):
                place = mapping[min(start, len(mapping) - 1)]
                nearby = [(abs(at - place), q) for at, q in after if abs(at - place) <= NEARBY]
                if not nearby:
                    continue
                _, now = min(nearby, key=lambda item: item[0])
                if (before.days or before.value) == (now.days or now.value):
                    continue
                lead = sentences.old[max(0, start - CONTEXT_BEFORE) : start]
                direction, reason = _direction(lead, before, now, context)
                new_at = next(at for at, q in after if q is now)
                yield finding(
                    context,
                    KINDS[0],
                    direction,
                    pair,
                    window(sentences.old, start, start + len(before.text)),
                    window(sentences.new, new_at, new_at + len(now.text)),
                    f'In {what}, "{before.text}" became "{now.text}"'
                    + (f": {reason}." if reason else "."),
                    edit_confidence(sentences.similarity) if direction != "neutral" else 0.6,
                )
