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

from cop_diff.model import Finding, Provision
from cop_diff.rules.base import LIST_KINDS, SENTENCE_ELSEWHERE, RuleContext, finding, name, quote
from cop_diff.rules.lexical import duty, strength

CODE = "S01"
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
    if provision.heading and provision.heading != provision.label:
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


def _lost_duties(context: RuleContext, side: str, provision: Provision) -> bool:
    """Whether the duties of a removed (or added) provision went nowhere: a measure some
    of whose duties live on, reworded, in other provisions was restructured, not dropped."""
    pool = context.sentences.old if side == "old" else context.sentences.new
    indices = context.subtree_sentences(side, provision.id)
    duties = [i for i in indices if duty(pool[i].text, context.lexicon) is not None]
    return not duties or not any(context.went_elsewhere(side, i) for i in duties)


def _gone_confidence(context: RuleContext, side: str, provision: Provision) -> float:
    """Sure a provision's duties are gone when none of them resembles anything binding in
    the other draft; a measure restructured into others keeps some likeness, and a
    redraft restructures as often as it removes: a duty with a binding sentence over
    0.3 alike elsewhere leaves the finding a possibility."""
    pool = context.sentences.old if side == "old" else context.sentences.new
    indices = [
        i
        for i in context.subtree_sentences(side, provision.id)
        if duty(pool[i].text, context.lexicon) is not None
    ]
    if not indices:
        return 0.75
    nearest = max(context.sentences.elsewhere(side, i, binding=True) for i in indices)
    return max(0.5, min(0.9, 1.15 - 1.5 * nearest))


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


def _unpaired(context: RuleContext, side: str, provision: Provision) -> tuple[str, bool, bool]:
    """A removed (side "old") or added ("new") provision: how to name it, whether it set
    duties that went nowhere, and whether its words live on only in text that does not
    bind (it was demoted or promoted rather than removed or added).

    Only a numbered provision counts as a whole: the duties of a paragraph or unnumbered
    section are too easily restructured text to call gone.
    """
    by_id = context.old_by_id if side == "old" else context.new_by_id
    outline = context.old if side == "old" else context.new
    what = name(provision, by_id)
    if provision.heading:
        what = f"{what} ({provision.heading})"
    binds = (
        provision.number is not None
        and _subtree_binds(provision, outline.provisions, context)
        and _lost_duties(context, side, provision)
    )
    moved = binds and _share_elsewhere(context, side, provision.id, binding=False) >= 0.5
    return what, binds, moved


def _removed(context: RuleContext, provision: Provision) -> Iterator[Finding]:
    what, binds, demoted = _unpaired(context, "old", provision)
    if demoted:
        yield finding(
            context, KINDS[2], "weakening", (provision.id, None), quote(provision.text, 30), "",
            f"{what} no longer binds: its words now appear only in text that does not bind.",
            0.6,
        )  # fmt: skip
        return
    yield finding(
        context,
        KINDS[0],
        "weakening" if binds else "neutral",
        (provision.id, None),
        quote(provision.text, 30),
        "",
        f"{what} has no counterpart in the new draft"
        + (", and the duties it set are gone." if binds else "."),
        _gone_confidence(context, "old", provision) if binds else 0.9,
    )


def _added(context: RuleContext, provision: Provision) -> Iterator[Finding]:
    what, binds, promoted = _unpaired(context, "new", provision)
    if promoted:
        yield finding(
            context, KINDS[3], "strengthening", (None, provision.id), "", quote(provision.text, 30),
            f"{what} now binds: its words appeared before only in text that did not bind.",
            0.6,
        )  # fmt: skip
        return
    yield finding(
        context,
        KINDS[1],
        "strengthening" if binds else "neutral",
        (None, provision.id),
        "",
        quote(provision.text, 30),
        f"{what} is new in this draft" + (" and sets duties." if binds else "."),
        _gone_confidence(context, "new", provision) if binds else 0.9,
    )


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
