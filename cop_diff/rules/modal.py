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
from cop_diff.lexicon import Lexicon
from cop_diff.model import DiffOp, Finding
from cop_diff.rules.base import (
    RuleContext,
    edit_confidence,
    finding,
    name,
    position_map,
    window,
)
from cop_diff.rules.lexical import STRENGTH_NAMES, Modal, modals, strength

CODE = "M01"
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
            if _restructured(old_modal, new_modal, pair.old.text, pair.new.text, lexicon):
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
    before: list[Modal], after: list[Modal], ops: tuple[DiffOp, ...]
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
