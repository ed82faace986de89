"""Provisions removed, added, moved, demoted or promoted, as a whole.

provision-removed / provision-added: a provision with no counterpart. It weakens (or
strengthens) when it bound and imposed duties, and is neutral otherwise.
provision-demoted / provision-promoted: binding text that now sits in a recital, a box
or a list "for potential consideration", or the other way round; or a removed binding
provision whose words now appear only in non-binding text.
provision-moved (neutral): the same provision under another parent, or at another level.
List items have their own rules (list_items.py). A change is reported once, at the
highest provision it concerns: a removed commitment's measures are not listed again.

Weakening:      Commitment 8 "Whistleblowing protections" with three measures
            ->  (the measures are gone)
Not weakening:  Measure 4.5 -> Measure II.6.3, same duties under another commitment
                (provision-moved, neutral).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cop_diff.lexical import is_obligation, strength
from cop_diff.model import Finding, Provision
from cop_diff.rules.base import (
    LIST_KINDS,
    SENTENCE_ELSEWHERE,
    RuleContext,
    finding,
    name,
    quote,
    restated_in,
    titled_name,
)

CODE = "S01"
WHOLE_PROVISION = 0.69
"""A whole provision new or gone is read from absence, and a redraft moves, merges and
rewords provisions as often as it drops them: read one by one, such findings were right
half the time (tests/gold/judged-*.json). They lean, ranked in worth-a-look; a finding
needs the evidence of an edit, a demotion or the drafters' own word."""
RELIEF_DOUBT = 0.75
"""A new provision that also grants relief strengthens only possibly; a removed one
weakens only possibly."""
KINDS = (
    "provision-removed",
    "provision-added",
    "provision-demoted",
    "provision-promoted",
    "provision-moved",
)


def _label(provision: Provision | None) -> str:
    if provision is None:
        return "the top level"
    if provision.heading and provision.heading not in provision.label:
        return f"{provision.label} ({provision.heading})"
    return provision.label


def _subtree_binds(
    provision: Provision, provisions: tuple[Provision, ...], context: RuleContext
) -> bool:
    """Whether a provision or anything under it binds and imposes a duty."""
    ids = {provision.id}
    for candidate in provisions:
        if candidate.parent in ids:
            ids.add(candidate.id)
    return any(
        p.binding and strength(p.text, context.lexicon) >= 2 for p in provisions if p.id in ids
    )


@dataclass(frozen=True)
class Fate:
    """What became of the duties of a removed (or added) provision."""

    total: int
    lost: int
    went: tuple[str, ...]
    """Where the kept ones are now, by name, in order."""
    went_ids: tuple[str, ...]
    """The same places, by provision id (of the other draft)."""
    relief: tuple[str, ...]
    """Phrases of relief among them ("need not", "instead of")."""

    @property
    def lost_share(self) -> float:
        return self.lost / self.total if self.total else 1.0


def _fate(context: RuleContext, side: str, provision: Provision) -> Fate:
    """Each duty under a provision is kept when a duty of the other draft carries its
    action (the ledger); a provision restructured into others keeps them all."""
    ledger = context.ledger
    other_by_id = context.new_by_id if side == "old" else context.old_by_id
    total = lost = 0
    went: dict[str, str] = {}  # id -> name, in order
    relief: list[str] = []
    for sentence in context.subtree_sentences(side, provision.id):
        position = ledger.at(side, sentence)
        if position is None or ledger.duty(side, position).force < 2:
            continue
        duty_record = ledger.duty(side, position)
        relief.extend(duty_record.relief)
        total += 1
        match = ledger.kept(side, position)
        if match is None:
            lost += 1
            continue
        other = ledger.duty(
            "new" if side == "old" else "old", match.new if side == "old" else match.old
        )
        went.setdefault(other.provision, name(other_by_id[other.provision], other_by_id))
    names = tuple(dict.fromkeys(went.values()))
    return Fate(total, lost, names, tuple(went), tuple(dict.fromkeys(relief)))


def _gone_confidence(context: RuleContext, side: str, provision: Provision, fate: Fate) -> float:
    """Sure when none of the duties lives on and none resembles anything binding in the
    other draft: a provision some of whose duties were restructured into others is a
    weakening only as far as the rest went, and a redraft restructures as often as it
    removes, so a duty with a binding sentence over 0.3 alike elsewhere leaves the
    finding a possibility."""
    pool = context.sentences.pool(side)
    nearest = max(
        (
            context.sentences.elsewhere(side, i, binding=True)
            for i in context.subtree_sentences(side, provision.id)
            if context.ledger.at(side, i) is not None
            and is_obligation(pool[i].text, context.lexicon)
        ),
        default=0.0,
    )
    likely = min(0.55 + 0.35 * fate.lost_share, max(0.5, min(0.9, 1.15 - 1.5 * nearest)))
    return min(likely, WHOLE_PROVISION)


def _share_elsewhere(context: RuleContext, side: str, provision: str, binding: bool) -> float:
    """Share of a provision's sentences found in the other draft's (non-)binding text."""
    indices = context.sentences.of(side, provision)
    if not indices:
        return 0.0
    found = sum(
        context.sentences.elsewhere(side, i, binding=binding) >= SENTENCE_ELSEWHERE for i in indices
    )
    return found / len(indices)


def detect(context: RuleContext) -> Iterator[Finding]:
    removed = {a.old for a in context.alignment if a.relation == "removed"}
    added = {a.new for a in context.alignment if a.relation == "added"}
    for entry in context.alignment:
        if entry.relation == "removed" and entry.old is not None:
            provision = context.old_by_id[entry.old]
            if provision.parent in removed or provision.kind in LIST_KINDS:
                continue
            yield from _removed(context, provision)
        elif entry.relation == "added" and entry.new is not None:
            provision = context.new_by_id[entry.new]
            if provision.parent in added or provision.kind in LIST_KINDS:
                continue
            yield from _added(context, provision)
        elif entry.old is not None and entry.new is not None and entry.relation in (
            "unchanged", "changed", "moved"
        ):  # fmt: skip
            yield from _paired(context, entry.old, entry.new, entry.relation, entry.score)


def _unpaired(
    context: RuleContext, side: str, provision: Provision
) -> tuple[str, bool, bool, Fate]:
    """A removed (side "old") or added ("new") provision: how to name it, whether it set
    duties, whether its words live on only in text that does not bind (it was demoted or
    promoted rather than removed or added), and what became of its duties.

    Only a numbered provision counts as a whole: the duties of a paragraph or unnumbered
    section are too easily restructured text to call gone.
    """
    by_id = context.old_by_id if side == "old" else context.new_by_id
    outline = context.old if side == "old" else context.new
    what = titled_name(provision, by_id)
    fate = _fate(context, side, provision)
    binds = provision.number is not None and _subtree_binds(provision, outline.provisions, context)
    moved = (
        binds
        and fate.lost > 0
        and _share_elsewhere(context, side, provision.id, binding=False) >= 0.5
    )
    return what, binds, moved, fate


def _where_it_went(fate: Fate) -> str:
    if not fate.went:
        return ""
    places = ", ".join(fate.went[:4]) + (" and others" if len(fate.went) > 4 else "")
    return f" Kept elsewhere: {places}."


def _removed(context: RuleContext, provision: Provision) -> Iterator[Finding]:
    what, binds, demoted, fate = _unpaired(context, "old", provision)
    if demoted:
        yield finding(
            context, KINDS[2], "weakening", (provision.id, None), quote(provision.text, 30), "",
            f"{what} no longer binds: its words now appear only in text that does not bind.",
            0.6, elsewhere=restated_in(context, "old", [provision.id]),
        )  # fmt: skip
        return
    lost = binds and fate.lost > 0
    # Relief that went with it (the exemption rule's strengthening) makes it weaker only
    # possibly, as a new provision that grants relief is only possibly stronger.
    confidence = _gone_confidence(context, "old", provision, fate)
    confidence *= RELIEF_DOUBT if fate.relief else 1.0
    yield finding(
        context,
        KINDS[0],
        "weakening" if lost else "neutral",
        (provision.id, None),
        quote(provision.text, 30),
        "",
        f"{what} has no counterpart in the new draft"
        + (f"; {_count(fate)} it set {_are(fate)} gone." if lost else ".")
        + _where_it_went(fate),
        confidence if lost else 0.9,
        elsewhere=fate.went_ids,
    )


def _added(context: RuleContext, provision: Provision) -> Iterator[Finding]:
    what, binds, promoted, fate = _unpaired(context, "new", provision)
    if promoted:
        yield finding(
            context, KINDS[3], "strengthening", (None, provision.id), "", quote(provision.text, 30),
            f"{what} now binds: its words appeared before only in text that did not bind.",
            0.6, elsewhere=restated_in(context, "new", [provision.id]),
        )  # fmt: skip
        return
    gained = binds and fate.lost > 0
    # A new provision that grants relief is the exemption rule's weakening; the duties it
    # also sets make it stronger only possibly (and the same for a removed one, mirrored).
    confidence = _gone_confidence(context, "new", provision, fate)
    confidence *= RELIEF_DOUBT if fate.relief else 1.0
    yield finding(
        context,
        KINDS[1],
        "strengthening" if gained else "neutral",
        (None, provision.id),
        "",
        quote(provision.text, 30),
        f"{what} is new in this draft"
        + (f"; {_count(fate)} it sets {_are(fate)} new." if gained else ".")
        + _where_it_went(fate),
        confidence if gained else 0.9,
        elsewhere=fate.went_ids,
    )


def _are(fate: Fate) -> str:
    return "is" if fate.lost == 1 and fate.total <= 1 else "are"


def _count(fate: Fate) -> str:
    if not fate.total:
        return "the duties"
    if fate.lost == fate.total:
        return "all the duties" if fate.total > 1 else "the duty"
    return f"{fate.lost} of the {fate.total} duties"


def _paired(
    context: RuleContext, old_id: str, new_id: str, relation: str, score: float
) -> Iterator[Finding]:
    before, after = context.old_by_id[old_id], context.new_by_id[new_id]
    what = name(before, context.old_by_id)
    # List items are the list rule's, on either side: a paragraph that became a list item
    # must be judged alike whichever draft is called old.
    listed = before.kind in LIST_KINDS or after.kind in LIST_KINDS
    if before.binding != after.binding and not listed:
        # Demotion of a container whose parent was demoted is reported at the parent.
        parent_pair = context.counterparts.get(before.parent or "")
        parent_after = context.new_by_id.get(parent_pair or "")
        parent_before = context.old_by_id.get(before.parent or "")
        if (
            parent_before is not None
            and parent_after is not None
            and (parent_before.binding != parent_after.binding)
        ):
            return
        demoted = before.binding and not after.binding
        yield finding(
            context,
            KINDS[2] if demoted else KINDS[3],
            "weakening" if demoted else "strengthening",
            (old_id, new_id),
            quote(before.text, 30),
            quote(after.text, 30),
            f"{what} {'no longer binds' if demoted else 'now binds'}: it is now "
            f"{_label(after)}{' (' + after.kind + ')' if after.kind != before.kind else ''}.",
            0.4 + 0.5 * score,
        )
    elif relation == "moved" and not listed:
        old_parent = context.old_by_id.get(before.parent or "")
        new_parent = context.new_by_id.get(after.parent or "")
        if context.counterparts.get(before.parent or "") == after.parent:
            explanation = f"{_label(before)} is now {_label(after)}."
        else:
            renamed = "" if after.label == before.label else f", now {after.label}"
            route = f"from {_label(old_parent)} to {_label(new_parent)}"
            explanation = f"{_label(before)} moved {route}{renamed}."
        yield finding(
            context, KINDS[4], "neutral", (old_id, new_id), quote(before.text, 20),
            quote(after.text, 20), explanation, score,
        )  # fmt: skip
