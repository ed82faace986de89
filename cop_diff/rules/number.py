"""number-changed: deadlines, retention periods, frequencies and thresholds.

A period that changed in an otherwise matching sentence. The direction comes from the
words before it (lexicon ``[numbers]``): after "within", "no later than", "every", a
longer period is weaker (a later deadline, rarer checks); after "retain", "keep", "for
at least", a longer period is stronger. Other numbers that changed are reported as
neutral: the context does not say which way is weaker.

number-removed / number-added: a duty that lost (or gained) its deadline, frequency or
retention period, matched through the duty ledger wherever it went.

Weakening:      "notify the Authority within 72 hours" -> "... within 15 days"
                "review the Framework at least every 6 months" -> "review the Framework"
Not weakening:  "keep records for 5 years" -> "keep records for 10 years" (stronger)
"""

from __future__ import annotations

from collections.abc import Iterator

from cop_diff.ledger import quantities as ledger_quantities
from cop_diff.ledger import same_action
from cop_diff.model import Direction, Duty, Finding, Quantity
from cop_diff.rules.base import (
    RuleContext,
    edit_confidence,
    finding,
    name,
    position_map,
    window,
)

CODE = "N01"
KINDS = ("number-changed", "number-removed", "number-added")
CONTEXT_BEFORE = 60
"""Characters before a quantity read for its context ("within", "retain ... for")."""
ACROSS = 0.85
"""A duty matched across provisions is less surely the same sentence, edited."""


def quantities(text: str, context: RuleContext) -> list[tuple[int, Quantity]]:
    return [(q.start, q) for q in ledger_quantities(text, context.lexicon)]


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


def detect_in_duties(context: RuleContext) -> Iterator[Finding]:
    """Periods of a duty wherever it went (the ledger's matches with the same action):
    changed when the duty moved to another provision, and dropped or added anywhere. A
    deadline, frequency or retention period that is gone leaves the duty open-ended."""
    ledger = context.ledger
    for match in ledger.matches:
        old, new = ledger.old[match.old], ledger.new[match.new]
        if not same_action(match) or not (old.quantities or new.quantities):
            continue
        before, after = context.old_by_id[old.provision], context.new_by_id[new.provision]
        if not (before.binding and after.binding):
            continue
        if (old.sentence, new.sentence) in context.matched_pairs:  # one sentence, edited
            confidence = edit_confidence(match.similarity)
        else:
            confidence = edit_confidence(match.likeness) * ACROSS
            yield from _changed_across(context, old, new, confidence)
        yield from _dropped(context, old, new, before.text, after.text, confidence)


def _timed(duty: Duty) -> dict[str, Quantity]:
    """A duty's periods by role (the first of each), roles that say which way is weaker."""
    found: dict[str, Quantity] = {}
    for quantity in duty.quantities:
        if quantity.role != "other" and quantity.days is not None:
            found.setdefault(quantity.role, quantity)
    return found


def _changed_across(
    context: RuleContext, old: Duty, new: Duty, confidence: float
) -> Iterator[Finding]:
    before, after = _timed(old), _timed(new)
    for role in sorted(before.keys() & after.keys()):
        was, now = before[role], after[role]
        if was.days == now.days:
            continue
        old_text = context.sentences.old[old.sentence].text
        lead = old_text[max(0, was.start - CONTEXT_BEFORE) : was.start]
        direction, reason = _direction(lead, was, now, context)
        if direction == "neutral":
            continue
        what = name(context.new_by_id[new.provision], context.new_by_id)
        yield finding(
            context,
            KINDS[0],
            direction,
            (old.provision, new.provision),
            window(old_text, was.start, was.start + len(was.text)),
            window(context.sentences.new[new.sentence].text, now.start, now.start + len(now.text)),
            f'In {what}, "{was.text}" became "{now.text}": {reason}.',
            confidence,
        )


def _dropped(
    context: RuleContext, old: Duty, new: Duty, old_all: str, new_all: str, confidence: float
) -> Iterator[Finding]:
    """A period one side of a matched duty has and the other's provision has nowhere."""
    before, after = _timed(old), _timed(new)
    old_periods = {q.days for _, q in quantities(old_all, context)}
    new_periods = {q.days for _, q in quantities(new_all, context)}
    what = name(context.new_by_id[new.provision], context.new_by_id)
    for role in sorted(before.keys() - after.keys()):
        was = before[role]
        if was.days in new_periods or role in _roles(new_all, context):
            continue
        text = context.sentences.old[old.sentence].text
        yield finding(
            context, KINDS[1], "weakening", (old.provision, new.provision),
            window(text, was.start, was.start + len(was.text)), "",
            f'In {what}, the {_ROLE_NAMES[role]} "{was.text}" is gone: the duty has none now.',
            confidence,
        )  # fmt: skip
    for role in sorted(after.keys() - before.keys()):
        now = after[role]
        if now.days in old_periods or role in _roles(old_all, context):
            continue
        text = context.sentences.new[new.sentence].text
        yield finding(
            context, KINDS[2], "strengthening", (old.provision, new.provision),
            "", window(text, now.start, now.start + len(now.text)),
            f'In {what}, the duty now has a {_ROLE_NAMES[role]}: "{now.text}".',
            confidence,
        )  # fmt: skip


_ROLE_NAMES = {"deadline": "deadline or frequency", "retention": "retention period"}


def _roles(text: str, context: RuleContext) -> set[str]:
    return {q.role for _, q in quantities(text, context) if q.days is not None}
