"""obligation-removed / obligation-added: a binding duty with no counterpart.

A sentence of a binding provision that imposes a duty or an expectation (lexicon
``[modals]``, strength 2 or 3) and has no counterpart in the other draft: not in the
aligned provision, and not anywhere else in the other draft's binding text (a duty
moved elsewhere is not gone). A duty found only in the other draft's non-binding text
was demoted, not removed. Sentences that add an exception are the exemption rules'.

Weakening:      "Signatories shall update the manual within 30 days of a change." -> (gone)
Not weakening:  the same sentence moved from Measure 1.1 to Measure 1.2.
"""

from __future__ import annotations

from collections.abc import Iterator

from cop_diff.ledger import ACTION_KEPT, ACTION_OVERLAP
from cop_diff.lexical import STRENGTH_NAMES, duty, modals, phrases, strength
from cop_diff.model import Finding
from cop_diff.rules.base import (
    SENTENCE_ELSEWHERE,
    ProvisionPair,
    RuleContext,
    finding,
    name,
    quote,
)

CODE = "O01"
KINDS = ("obligation-removed", "obligation-added")
DEMOTED = "provision-demoted"
PROMOTED = "provision-promoted"


UNLIKE = 0.28
"""A duty is reported as gone only if no binding sentence of the other draft is even this
similar to it, or the most similar one keeps less than ``KEPT`` of its weighted words; a
duty that merely lost its counterpart sentence is a possible loss (``UNCLEAR``)."""
KEPT = 0.3
LOOSE = 0.4
"""A duty whose words are loosely alike elsewhere though no duty there carries its action."""
UNCLEAR = 0.5
"""The confidence of a duty that lost its counterpart while something loosely like it
remains: it leans, but is a "Possibly" finding, not a confident one."""
PASSIVE = 0.55
"""At most this sure of a lost (or new) duty that names no bearer: below the conditions and
duties with a bearer in the ranking of worth-a-look."""
STRICT_MODALS = frozenset({"shall", "must"})
QUALIFIED = 0.65
"""At most this sure of a duty that holds only under a condition, with an effort hedge or
for some of its bearers: such a sentence is as often a fallback, an alternative or a
scope limit on other duties as a duty of its own, so its direction is in doubt."""


def _kept_elsewhere(context: RuleContext, side: str, at: int) -> float:
    """Share of a sentence's words kept by the most similar binding sentence of the other draft."""
    best = context.sentences.best(side, at, binding=True)
    return 0.0 if best is None else context.sentences.kept_by(side, at, best[0])


def _confidence(context: RuleContext, side: str, at: int) -> float:
    """Sure when nothing in the other draft resembles the duty at all; drafts rewritten
    from end to end keep duties in words too different for a lexical match. Calibrated
    on findings read one by one (tests/gold/judged-*.json): a new or lost duty whose
    nearest binding sentence elsewhere is more than 0.19 alike was right only half the
    time (an elaboration of an old duty, a duty moved and reworded), so it stays below
    the bar of a finding."""
    # A sentence that is firmly another one's counterpart is not where this one went.
    claims = context.claims.get("new" if side == "old" else "old")
    nearest = context.sentences.elsewhere(side, at, binding=True, claims=claims)
    return max(0.5, min(0.9, 1.08 - 2 * nearest))


def detect(context: RuleContext) -> Iterator[Finding]:
    for pair in context.pairs:
        if not (pair.old.binding and pair.new.binding):
            continue
        for at, sentence in pair.removed:
            yield from _one(context, pair, "old", at, sentence)
        for at, sentence in pair.added:
            yield from _one(context, pair, "new", at, sentence)


def _one(
    context: RuleContext, pair: ProvisionPair, side: str, at: int, sentence: str
) -> Iterator[Finding]:
    """A duty of one draft with no counterpart in the other, if it is one.

    Only a duty put on a duty bearer ("Signatories shall ...") counts: expectations and
    descriptions ("the Framework will ...") are too often restated as duties elsewhere.
    It weakens (or strengthens) when nothing in the other draft resembles it; when
    something does, loosely, it is reported as a possible change (neutral).
    """
    lexicon = context.lexicon
    passive = duty(sentence, lexicon) is None
    if passive and not _passive_duty(sentence, context):
        return
    if phrases(lexicon.relief, sentence):
        return  # relief in a duty's words is the exemption rule's
    carried = _carried(context, side, at)
    if carried >= ACTION_KEPT:
        return  # a duty of the other draft asks for the same thing
    removed = side == "old"
    if not context.vanished(side, at, pair):
        # Something alike remains, but no duty there asks for what this one did.
        if carried < ACTION_OVERLAP:
            yield _loose(context, pair, side, sentence)
        return
    index = context.sentences
    moved = index.elsewhere(side, at, binding=False) >= SENTENCE_ELSEWHERE
    clear = (
        pair.partner(side, at) is None
        and carried < ACTION_OVERLAP
        and (
            index.elsewhere(side, at, binding=True) < UNLIKE
            or _kept_elsewhere(context, side, at) < KEPT
        )
    )
    what = name(pair.new, context.new_by_id)
    if moved:
        kind = DEMOTED if removed else PROMOTED
        tail = (
            " now appears only in text that does not bind."
            if removed
            else " was text that did not bind."
        )
    else:
        kind = KINDS[0] if removed else KINDS[1]
        tail = " is gone." if removed else " is new."
    confidence = _confidence(context, side, at) if clear or moved else UNCLEAR
    if _qualified(context, side, at, sentence):
        confidence = min(confidence, QUALIFIED)
    if passive:
        confidence = min(confidence, PASSIVE)
    # Not clearly gone: a "Possibly" finding (see rules.REPORT_CONFIDENCE) that still leans.
    yield finding(
        context,
        kind,
        "weakening" if removed else "strengthening",
        pair,
        sentence if removed else "",
        "" if removed else sentence,
        f'{what} {"lost" if removed else "gained"} a duty: "{quote(sentence)}"{tail}',
        confidence,
    )


def _passive_duty(sentence: str, context: RuleContext) -> bool:
    """A duty with no bearer named, put on something the bearers own ("The channel shall
    be available at all times"): "shall" or "must", not a description's "will"."""
    return any(
        modal.strength == 3 and modal.phrase.lower() in STRICT_MODALS
        for modal in modals(sentence, context.lexicon)
    )


def _qualified(context: RuleContext, side: str, at: int, sentence: str) -> bool:
    """Whether a duty holds only under a condition or hedge, or binds only some bearers."""
    position = context.ledger.at(side, at)
    if position is not None and context.ledger.duty(side, position).conditions:
        return True
    modal = duty(sentence, context.lexicon)
    return modal is not None and bool(
        context.lexicon.narrowed_bearers.search(sentence[: modal.start])
    )


def _carried(context: RuleContext, side: str, at: int) -> float:
    """The largest share of a duty's action that a duty of the other draft carries."""
    position = context.ledger.at(side, at)
    return 0.0 if position is None else context.ledger.carried(side, position)


def _loose(
    context: RuleContext, pair: ProvisionPair | tuple[str, str], side: str, sentence: str
) -> Finding:
    removed = side == "old"
    new_id = pair.new.id if isinstance(pair, ProvisionPair) else pair[1]
    what = name(context.new_by_id[new_id], context.new_by_id)
    return finding(
        context,
        KINDS[0] if removed else KINDS[1],
        "weakening" if removed else "strengthening",
        pair,
        sentence if removed else "",
        "" if removed else sentence,
        f'{what} {"lost" if removed else "gained"} a duty: "{quote(sentence)}"'
        f"{' is gone' if removed else ' is new'}; similar words remain"
        f" {'in the new draft' if removed else 'in the old draft'}, but not this action.",
        LOOSE,
    )


def detect_in_merges(context: RuleContext) -> Iterator[Finding]:
    """Duties of a provision merged into another (or split out) that did not survive."""
    lexicon = context.lexicon
    index = context.sentences
    for entry in context.alignment:
        if entry.old is None or entry.new is None or entry.relation not in ("merged", "split"):
            continue
        old, new = context.old_by_id[entry.old], context.new_by_id[entry.new]
        if not (old.binding and new.binding):
            continue
        side, provision = ("old", old.id) if entry.relation == "merged" else ("new", new.id)
        pool = index.pool(side)
        for at in index.of(side, provision):
            sentence = pool[at].text
            level = strength(sentence, lexicon)
            if duty(sentence, lexicon) is None or phrases(lexicon.relief, sentence):
                continue
            if _carried(context, side, at) >= ACTION_KEPT:
                continue  # a duty of the other draft asks for the same thing
            if not context.vanished_from(side, at, new.id if side == "old" else old.id):
                # Loosely alike words remain where it merged; no duty there carries it.
                yield _loose(context, (old.id, new.id), side, sentence)
                continue
            removed = side == "old"
            what = name(old, context.old_by_id) if removed else name(new, context.new_by_id)
            other = name(new, context.new_by_id) if removed else name(old, context.old_by_id)
            yield finding(
                context,
                KINDS[0] if removed else KINDS[1],
                "weakening" if removed else "strengthening",
                (old.id, new.id),
                sentence if removed else "",
                "" if removed else sentence,
                f"{what} {'merged into' if removed else 'split from'} {other}"
                f', but {STRENGTH_NAMES[level]} did not carry over: "{quote(sentence)}".',
                0.5,
            )
