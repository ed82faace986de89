"""modal-weakened / modal-strengthened: how strongly a sentence binds changed.

The scale (lexicon ``[modals]``): shall, must, commit to > should, are expected to,
are encouraged to > may, can, consider > a plain description. A weak verb after a
modal ("shall consider") binds like a permission. Words of one level are the same
strength: "shall" <-> "must" is no change.

Weakening:      "Signatories shall publish the route map."
            ->  "Signatories should publish the route map."
Not weakening:  "Signatories shall publish the route map."
            ->  "Signatories must publish the route map."
"""

from __future__ import annotations

from collections.abc import Iterator

from cop_diff.diff import invert
from cop_diff.ledger import ACTION_KEPT, same_action
from cop_diff.lexical import STRENGTH_NAMES, Modal, modals, strength
from cop_diff.lexicon import Lexicon
from cop_diff.model import DiffOp, Duty, Finding, Provision
from cop_diff.rules.base import (
    RuleContext,
    edit_confidence,
    finding,
    name,
    position_map,
    window,
)

CODE = "M01"
ACROSS = 0.85
"""A duty matched across provisions is less surely the same sentence, edited."""
KINDS = ("modal-weakened", "modal-strengthened")
NEARBY = 40
"""Characters within which a modal of the new sentence stands where an old one stood."""


def detect(context: RuleContext) -> Iterator[Finding]:
    lexicon = context.lexicon
    for pair in context.pairs:
        if not (pair.old.binding and pair.new.binding):
            continue  # a change of binding force is the demotion rules' business
        for sentences in pair.matched:
            before = modals(sentences.old, lexicon)
            after = modals(sentences.new, lexicon)
            change = _strongest_change(before, after, sentences.ops)
            if change is None:
                continue
            old_modal, new_modal = change
            if _restructured(
                old_modal, new_modal, _governed(pair.old), _governed(pair.new), lexicon
            ):
                continue
            old_level = old_modal.strength if old_modal else 0
            new_level = new_modal.strength if new_modal else 0
            weaker = new_level < old_level
            old_span = window(sentences.old, old_modal.start, old_modal.end) if old_modal else ""
            new_span = window(sentences.new, new_modal.start, new_modal.end) if new_modal else ""
            what = name(pair.new, context.new_by_id)
            yield finding(
                context,
                KINDS[0] if weaker else KINDS[1],
                "weakening" if weaker else "strengthening",
                pair,
                old_span or sentences.old,
                new_span or sentences.new,
                f"In {what}, {_phrase(old_modal)} became {_phrase(new_modal)}: "
                f"{STRENGTH_NAMES[old_level]} is now {STRENGTH_NAMES[new_level]}.",
                edit_confidence(sentences.similarity),
            )


def _phrase(modal: Modal | None) -> str:
    return f'"{modal.phrase}"' if modal else "no modal verb"


def _strongest_change(
    before: tuple[Modal, ...], after: tuple[Modal, ...], ops: tuple[DiffOp, ...]
) -> tuple[Modal | None, Modal | None] | None:
    """The pair of modals (old, new) whose strength changed most, if any did.

    Modals are paired by where they stand: the distance of a pair is how far each one
    lands from the other when carried across the diff, both ways, so the pairing is the
    same whichever draft is called old. An old modal left unpaired lost its force only if
    nothing as strong remains in the sentence, and the same for a new one.
    """
    forward = position_map(ops)
    backward = position_map(invert(ops))
    candidates = sorted(
        (
            abs(forward[min(m.start, len(forward) - 1)] - n.start)
            + abs(backward[min(n.start, len(backward) - 1)] - m.start),
            i,
            j,
        )
        for i, m in enumerate(before)
        for j, n in enumerate(after)
    )
    paired: dict[int, int] = {}
    used: set[int] = set()
    for distance, i, j in candidates:
        if distance <= 2 * NEARBY and i not in paired and j not in used:
            paired[i] = j
            used.add(j)
    changes: list[tuple[int, Modal | None, Modal | None]] = []
    new_max = max((m.strength for m in after), default=0)
    old_max = max((m.strength for m in before), default=0)
    for i, modal in enumerate(before):
        if i in paired:
            counterpart = after[paired[i]]
            if counterpart.strength != modal.strength:
                changes.append((counterpart.strength - modal.strength, modal, counterpart))
        elif new_max < modal.strength:
            changes.append((new_max - modal.strength, modal, None))
    for j, modal in enumerate(after):
        if j not in used and old_max < modal.strength:
            changes.append((modal.strength - old_max, None, modal))
    if not changes:
        return None

    def weight(change: tuple[int, Modal | None, Modal | None]) -> tuple[int, int]:
        # Ties go to the same pair whichever draft is old: by where the modals stand.
        size, old, new = change
        return abs(size), -((old.start if old else 0) + (new.start if new else 0))

    _, old_modal, new_modal = max(changes, key=weight)
    return old_modal, new_modal


def _governed(provision: Provision) -> str:
    """A provision's text with the lead-in that governs it: a list item (or a table row)
    takes its force from "Signatories shall:" (or the table's header) above it."""
    return f"{provision.lead_in} {provision.text}" if provision.lead_in else provision.text


def _restructured(
    old_modal: Modal | None, new_modal: Modal | None, old_text: str, new_text: str, lexicon: Lexicon
) -> bool:
    """A modal that vanished from a sentence but still governs elsewhere in the provision.

    Drafts restructure: "Signatories commit to X." becomes "To that end, X." after a
    "Signatories shall:" lead-in. Only a provision that lost that force as a whole lost it.
    """
    if old_modal is not None and new_modal is None:
        return strength(new_text, lexicon) >= old_modal.strength
    if new_modal is not None and old_modal is None:
        return strength(old_text, lexicon) >= new_modal.strength
    return False


def detect_across(context: RuleContext) -> Iterator[Finding]:
    """A duty that moved to another provision, or was rewritten past recognition as the
    same sentence, with the same action but another force (the ledger's matches): "commit
    to publishing a summary" that became "are encouraged to publish a summary" elsewhere.
    A list item's force is that of its lead-in, or an example's when the list gives
    examples."""
    ledger = context.ledger
    for match in ledger.matches:
        old, new = ledger.old[match.old], ledger.new[match.new]
        if old.force == new.force or (old.sentence, new.sentence) in context.matched_pairs:
            continue
        if not same_action(match):
            continue  # another action: not the same duty with another force
        before, after = context.old_by_id[old.provision], context.new_by_id[new.provision]
        if not (before.binding and after.binding):
            continue
        if _still_bound(context, old, new):
            continue
        weaker = new.force < old.force
        yield finding(
            context,
            KINDS[0] if weaker else KINDS[1],
            "weakening" if weaker else "strengthening",
            (before.id, after.id),
            context.sentences.old[old.sentence].text,
            context.sentences.new[new.sentence].text,
            f'In {name(after, context.new_by_id)}, "{old.modal}" became "{new.modal}"'
            f" ({name(before, context.old_by_id)} before): {STRENGTH_NAMES[old.force]} is now"
            f" {STRENGTH_NAMES[new.force]}.",
            edit_confidence(match.likeness) * ACROSS,
        )


def _still_bound(context: RuleContext, old: Duty, new: Duty) -> bool:
    """Whether another match of either duty keeps its action at its force: a duty
    restated as a duty elsewhere as well as an example here did not weaken."""
    ledger = context.ledger
    for side, duty_record in (("old", old), ("new", new)):
        position = ledger.at(side, duty_record.sentence)
        for match in ledger.matches_of(side, position if position is not None else -1):
            other = ledger.across(side, match)
            share = match.kept if side == "old" else match.gained
            if other.force == duty_record.force and share >= ACTION_KEPT:
                return True
    return False
