"""list-item-removed / -added / -demoted / -promoted: items of binding lists.

An item gone from a binding list (a risk no longer to be assessed, a duty no longer
listed) weakens; an item moved from a binding list to one that does not bind (a list
"for potential consideration", a recital) is demoted, and so is a whole list that is now
introduced as examples (lexicon ``example_leads``). Reordering a list changes nothing.

Weakening:      3.2 Selected hazards: [collision, fire, noise]
            ->  Appendix 1.2 Selected hazards: [collision, fire]
                and Appendix 1.3 Hazards for potential consideration: [noise]  (demoted)
Not weakening:  [collision, fire, noise] -> [fire, noise, collision]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cop_diff.lexical import duty, gives_examples
from cop_diff.model import Finding, ListDiff, Provision
from cop_diff.rules.base import (
    KEPT_CONTENT,
    RESTATED,
    REWORDED,
    SENTENCE_ELSEWHERE,
    RuleContext,
    finding,
    name,
    pair_sentences,
    quote,
    restated_in,
    titled_name,
)
from cop_diff.rules.structure import WHOLE_PROVISION

CODE = "L01"
KINDS = ("list-item-removed", "list-item-added", "list-item-demoted", "list-item-promoted")


def _found_elsewhere(context: RuleContext, side: str, item: str, binding: bool) -> bool:
    indices = context.sentences.of(side, item)
    return bool(indices) and all(
        context.sentences.elsewhere(side, i, binding=binding) >= SENTENCE_ELSEWHERE for i in indices
    )


LOOSELY = 0.6
"""The most an item's loss is sure when loosely alike words remain in the other draft."""
GUIDANCE = 0.1
"""The survival share assumed for a list no duty governs: its changes stay neutral."""
WHOLESALE = 5
"""When at least this many items of one list go (and most of the list), the list was
rewritten or moved out of the text: one finding for the list, not one per item."""


WHOLE_LIST_GONE = 0.75
"""Confidence that a duty-bearing list whose every item went nowhere lost its duties."""


def _wholesale(items: list[str], size: int) -> bool:
    return len(items) >= WHOLESALE and len(items) >= 0.6 * size


def _reworded(context: RuleContext, removed: list[str], added: list[str]) -> set[str]:
    """Items of one list pair rewritten one for one: each old item is paired with at most
    one new item that resembles it loosely and kept most of its words."""
    index = context.sentences
    rows = [(item, i) for item in removed for i in index.of("old", item)]
    cols = [(item, i) for item in added for i in index.of("new", item)]
    if not rows or not cols:
        return set()
    kept: set[str] = set()
    old_text = "".join(index.old[i].text for _, i in rows)
    new_text = "".join(index.new[i].text for _, i in cols)
    paired = pair_sentences(
        index, [i for _, i in rows], [i for _, i in cols], flip=old_text > new_text
    )
    for r, c, similarity in paired:
        if similarity < REWORDED:
            continue
        if index.kept_by("old", rows[r][1], cols[c][1]) >= KEPT_CONTENT:
            kept.update((rows[r][0], cols[c][0]))
    return kept


def _gone(context: RuleContext, side: str, item_id: str) -> bool:
    """A binding item that went nowhere: no duty of the other draft carries what it asks
    for (the ledger), and, for an item that states no duty, not moved or merged into
    binding text elsewhere."""
    item = (context.old_by_id if side == "old" else context.new_by_id)[item_id]
    indices = context.sentences.of(side, item_id)
    if not item.binding or not indices:
        return False
    return all(_kept(context, side, i) is not True for i in indices)


def _kept(context: RuleContext, side: str, sentence: int) -> bool | None:
    """Whether a duty of the other draft carries this sentence's action; ``None`` when
    only loosely alike text remains (less sure it is gone), and for a sentence that
    states no duty, whether its words went elsewhere."""
    ledger = context.ledger
    position = ledger.at(side, sentence)
    if position is None:
        return context.went_elsewhere(side, sentence)
    if ledger.kept(side, position) is not None:
        return True
    return None if context.went_elsewhere(side, sentence) else False


def _loosely_kept(context: RuleContext, side: str, item_id: str) -> bool:
    return any(_kept(context, side, i) is None for i in context.sentences.of(side, item_id))


def _item(
    context: RuleContext,
    item_id: str,
    other_list: str,
    list_name: str,
    *,
    removed: bool,
    kept: float,
) -> Finding:
    """One item gone from (or new in) a list; sure when the rest of the list survived, and
    unsure when loosely alike words remain elsewhere though no duty there carries it."""
    confidence = 0.45 + 0.45 * kept
    side = "old" if removed else "new"
    if _loosely_kept(context, side, item_id):
        confidence = min(confidence, LOOSELY)
    item = (context.old_by_id if removed else context.new_by_id)[item_id]
    moved = _found_elsewhere(context, side, item_id, binding=False)
    if removed:
        return finding(
            context, KINDS[2] if moved else KINDS[0], "weakening", (item_id, other_list),
            item.text, "",
            f'"{quote(item.text)}" is no longer in the binding list of {list_name}'
            + (", only in text that does not bind." if moved else "."),
            confidence,
        )  # fmt: skip
    return finding(
        context, KINDS[3] if moved else KINDS[1], "strengthening", (other_list, item_id),
        "", item.text,
        f'"{quote(item.text)}" is new in the binding list of {list_name}'
        + (" (it was in text that did not bind)." if moved else "."),
        confidence,
    )  # fmt: skip


def _contained_elsewhere(context: RuleContext, side: str, item: str, *, binding: bool) -> bool:
    """Whether the other draft's (non-)binding text restates the item: its most similar
    sentence there holds most of the item's weighted words (a list folded into one long
    sentence of a recital resembles no item closely, but contains them all)."""
    index = context.sentences
    indices = index.of(side, item)
    for at in indices:
        best = index.best(side, at, binding=binding)
        if best is None or index.kept_by(side, at, best[0]) < RESTATED:
            return False
    return bool(indices)


def _whole_list(
    context: RuleContext,
    old_list: str,
    new_list: str,
    items: list[str],
    size: int,
    *,
    removed: bool,
) -> Finding:
    by_id = context.old_by_id if removed else context.new_by_id
    owner = by_id[old_list if removed else new_list]
    examples = "; ".join(quote(by_id[i].text, 6) for i in items[:3])
    text = "\n".join(by_id[i].text for i in items)
    what = name(owner, by_id)
    side = "old" if removed else "new"
    restated = sum(_contained_elsewhere(context, side, i, binding=False) for i in items)
    loose = sum(_loosely_kept(context, side, i) for i in items)
    lead_in_binds = (
        duty(context.old_by_id[old_list].text, context.lexicon) is not None
        or duty(context.new_by_id[new_list].text, context.lexicon) is not None
    )
    # Every item of a list whose lead-in puts a duty is gone from the binding text, and
    # none went anywhere that binds: that is the list's duties gone, not a rewrite
    # (rewritten items are not "gone"). Restated in a recital or a box, it was demoted.
    sure = len(items) == size and lead_in_binds
    demoted = sure and restated * 2 >= len(items)
    if demoted:
        tail = (
            "; they are restated only in text that does not bind."
            if removed
            else "; they were only in text that did not bind."
        )
    elif sure:
        tail = "; none of them appears anywhere else in the " + (
            "new draft." if removed else "old draft."
        )
    else:
        tail = "; the list may have been rewritten or moved elsewhere."
    kind = (KINDS[2] if removed else KINDS[3]) if demoted else (KINDS[0] if removed else KINDS[1])
    return finding(
        context,
        kind,
        "weakening" if removed else "strengthening",
        (old_list, new_list),
        text if removed else "",
        "" if removed else text,
        f"{len(items)} of the {size} items of the binding list of {what} "
        + ("are gone from binding text" if removed else "are new in binding text")
        + f" (e.g. {examples}){tail}",
        _whole_list_confidence(sure, demoted, loose, len(items)),
        elsewhere=restated_in(context, side, items) if demoted else (),
    )


def _whole_list_confidence(sure: bool, demoted: bool, loose: int, items: int) -> float:
    """A list restated in a recital or box is surely demoted; one simply gone (or new) is
    read from absence, like a whole provision (``structure.WHOLE_PROVISION``), and less
    sure still when loosely alike words remain for most of its items (a list rewritten
    as prose, or prose made a list)."""
    if not sure:
        return 0.45
    if demoted:
        return WHOLE_LIST_GONE
    return min(WHOLE_PROVISION, LOOSELY) if 2 * loose >= items else WHOLE_PROVISION


_SENTENCE_BREAK = re.compile(r"(?<=[.;!?])\s+(?=[A-Z(\"“])")


def _lead_in(item: Provision) -> str | None:
    """The sentence that introduced the item's list ("This will include:"), if any."""
    if not item.lead_in:
        return None
    return _SENTENCE_BREAK.split(" ".join(item.lead_in.split()))[-1]


def _examples(context: RuleContext, item: Provision) -> re.Match[str] | None:
    """The marker if the item's list is introduced as examples ("such as:")."""
    lead = _lead_in(item)
    return gives_examples(lead, context.lexicon) if lead is not None else None


def _item_binds(context: RuleContext, item: Provision) -> bool:
    """A list item binds if its text does and its list is not introduced as examples."""
    return item.binding and not _examples(context, item)


def _now_examples(
    context: RuleContext,
    lists: ListDiff,
    names: tuple[str, str],
    unmatched: tuple[list[str], list[str]],
) -> tuple[Finding, str] | None:
    """A binding list whose items were required and are now only examples (or back),
    seen on the first item the list kept; with the lead-in of the required side's list.

    The items of the required side's list that are not among the examples (``unmatched``:
    gone from the old list, new in the new one) are part of the same change, named in it.
    """
    old_owner, new_owner = context.old_by_id[lists.old], context.new_by_id[lists.new]
    if not (old_owner.binding and new_owner.binding) or not lists.kept:
        return None
    old_item, new_item = context.old_by_id[lists.kept[0][0]], context.new_by_id[lists.kept[0][1]]
    old_lead, new_lead = _lead_in(old_item), _lead_in(new_item)
    if old_lead is None or new_lead is None:
        return None
    old_examples, new_examples = _examples(context, old_item), _examples(context, new_item)
    if bool(old_examples) == bool(new_examples):
        return None
    demoted = new_examples is not None
    owner = old_owner if demoted else new_owner
    if duty(owner.text, context.lexicon) is None:
        return None  # a list no duty governs was never required
    marker = new_examples or old_examples
    assert marker is not None
    old_name, new_name = names
    required_lead = old_item.lead_in if demoted else new_item.lead_in
    by_id = context.old_by_id if demoted else context.new_by_id
    others = [
        i for i in (unmatched[0] if demoted else unmatched[1]) if by_id[i].lead_in == required_lead
    ]
    listed = [by_id[i].text for i in others]
    kept = sum(
        by_id[pair[0] if demoted else pair[1]].lead_in == required_lead for pair in lists.kept
    )
    count = f"{kept} item" + ("s" if kept != 1 else "")
    if demoted:
        explanation = (
            f'The list of {new_name} is now introduced as examples ("{marker.group(0)}"): '
            f"its {count} no longer bind as they did in {old_name}."
        )
        verbs = ("is", "are")
    else:
        explanation = (
            f"The list of {new_name} is no longer introduced as examples: its {count} "
            f'now bind, where {old_name} gave them as examples ("{marker.group(0)}").'
        )
        verbs = ("was", "were")
    if listed:
        examples = "; ".join(quote(text, 6) for text in listed[:3])
        explanation += (
            f" {len(listed)} required item{'s' if len(listed) > 1 else ''}"
            f" {verbs[len(listed) > 1]} not even among the examples "
            f"(e.g. {examples}), unless reworded."
        )
    change = finding(
        context,
        KINDS[2] if demoted else KINDS[3],
        "weakening" if demoted else "strengthening",
        (lists.old, lists.new),
        "\n".join([old_lead, *listed] if demoted else [old_lead]),
        "\n".join([new_lead] if demoted else [new_lead, *listed]),
        explanation,
        0.8,
    )
    return change, required_lead or ""


def detect(context: RuleContext) -> Iterator[Finding]:
    for lists in context.lists:
        old_list = context.old_by_id[lists.old]
        new_list = context.new_by_id[lists.new]
        old_name = name(old_list, context.old_by_id)
        new_name = name(new_list, context.new_by_id)
        rewritten = _reworded(context, list(lists.removed), list(lists.added))
        # Items of a list introduced as examples bind nobody: gaining or losing one is no
        # change to a duty.
        gone = [
            i
            for i in lists.removed
            if i not in rewritten
            and _gone(context, "old", i)
            and not _examples(context, context.old_by_id[i])
        ]
        came = [
            i
            for i in lists.added
            if i not in rewritten
            and _gone(context, "new", i)
            and not _examples(context, context.new_by_id[i])
        ]
        examples_change = _now_examples(context, lists, (old_name, new_name), (gone, came))
        if examples_change is not None:
            # One change of the list: the items not among the examples are named in it.
            change, lead = examples_change
            yield change
            gone = [i for i in gone if context.old_by_id[i].lead_in != lead]
            came = [i for i in came if context.new_by_id[i].lead_in != lead]
        old_size = len(lists.kept) + len(lists.removed) + len(lists.moved_out)
        new_size = len(lists.kept) + len(lists.added) + len(lists.moved_in)
        kept_share = len(lists.kept) / max(old_size, new_size, 1)
        if (
            duty(old_list.text, context.lexicon) is None
            and duty(new_list.text, context.lexicon) is None
        ):
            # No lead-in puts a duty on anyone ("Signatories are encouraged to use these
            # considerations"): the items are guidance, and a change to them is doubtful.
            kept_share = min(kept_share, GUIDANCE)
        if _wholesale(gone, old_size):
            yield _whole_list(context, lists.old, lists.new, gone, old_size, removed=True)
        else:
            for item_id in gone:
                yield _item(context, item_id, lists.new, old_name, removed=True, kept=kept_share)
        if _wholesale(came, new_size):
            yield _whole_list(context, lists.old, lists.new, came, new_size, removed=False)
        else:
            for item_id in came:
                yield _item(context, item_id, lists.old, new_name, removed=False, kept=kept_share)
        # An item moved between a binding and a non-binding list, seen from either list
        # (the old list's side or the new one's); duplicates are dropped by run_rules.
        for old_id, new_id in (*lists.moved_out, *lists.moved_in):
            before, after = context.old_by_id[old_id], context.new_by_id[new_id]
            binds_before = _item_binds(context, before)
            if binds_before == _item_binds(context, after):
                continue
            demoted = binds_before
            if context.lexicon.descriptive.search((before if demoted else after).text):
                continue  # a saving clause or a description binds nobody wherever it sits
            if any(p.text.rstrip().endswith("?") for p in (before, after)):
                continue  # a question put to readers is answered, not promoted or demoted
            target = context.new_by_id.get(after.parent or "")
            where = titled_name(target, context.new_by_id) if target else "another list"
            yield finding(
                context,
                KINDS[2] if demoted else KINDS[3],
                "weakening" if demoted else "strengthening",
                (old_id, new_id),
                before.text,
                after.text,
                f'"{quote(before.text)}" moved from the {"binding " if demoted else ""}list of '
                f"{old_name} to {where}, which " + ("does not bind." if demoted else "binds."),
                0.8,
            )
