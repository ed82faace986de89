"""concept-demoted / -promoted / -removed / -added: a named term changed its standing.

The concept ledger (``concepts.py``) places every term a draft names (headings, list
items' lead terms, quoted defined terms) at its strongest context in each draft: binding
text > binding list item > examples > for consideration > recital or box > absent. A
term that falls from binding text to anything weaker was demoted (or removed, when it
is gone); one that rises into binding text was promoted. A term that first appears
where relief is granted ("need not", "instead of") is new relief: a weakening (and one
gone from a grant of relief, a strengthening).

Only moves that the pairwise rules cannot see are reported: when the provision that
held the term was paired with the one that holds it now, or was removed or added whole,
the structure and list rules already say so.

Weakening:      3.2 Selected risks: "Discrimination: ..."
            ->  Measure II.4.1 "... such as discrimination" in an illustrative list
Not weakening:  "Discrimination: ..." as item 4 of 3.2 -> item 5 of Appendix 1.1 (binding)
"""

from __future__ import annotations

from collections.abc import Iterator

from cop_diff.concepts import ABSENT, BINDING_ITEM
from cop_diff.lexical import phrases
from cop_diff.model import Concept, ConceptPlace, Finding
from cop_diff.rules.base import RuleContext, finding, name, quote

CODE = "K01"
KINDS = ("concept-demoted", "concept-promoted", "concept-removed", "concept-added")
BASE = 0.45
STEP = 0.05
CEILING = 0.65
"""A term's standing is read from words alone: worth a look, rarely sure."""
MIN_WORDS = 2
"""Telling words a term needs to be followed across a draft."""

LEVEL_NAMES = {
    5: "binding text",
    4: "a binding list",
    3: "a list of examples",
    2: "text for consideration",
    1: "a recital or box",
}


def detect(context: RuleContext) -> Iterator[Finding]:
    old_ledger, new_ledger = context.concepts
    named: dict[tuple[str, ...], Concept] = {}
    for concept in (*old_ledger.concepts, *new_ledger.concepts):
        named.setdefault(concept.key, concept)
    for key in sorted(named):
        if len(key) < MIN_WORDS:
            continue  # one word ("Security") stands in many places for many things
        before, after = old_ledger.place(key), new_ledger.place(key)
        change = _change(context, before, after)
        if change is not None and not _seen_elsewhere(context, before, after):
            yield _report(context, named[key], before, after, *change)


def _change(
    context: RuleContext, before: ConceptPlace, after: ConceptPlace
) -> tuple[str, bool] | None:
    """The kind of change and whether it weakens, or None when the standing held or the
    change is one the other rules report. A term simply gone (or new) is the structure,
    list and duty rules' business, unless it is gone from (or new in) a grant of relief."""
    if before.level >= BINDING_ITEM > after.level > ABSENT:
        return KINDS[0], True
    if after.level >= BINDING_ITEM > before.level > ABSENT:
        return KINDS[1], False
    if after.level == ABSENT and before.level >= BINDING_ITEM and _relief(context, "old", before):
        return KINDS[2], False  # relief that is gone strengthens
    if before.level == ABSENT and after.level >= BINDING_ITEM and _relief(context, "new", after):
        return KINDS[3], True  # a new term where relief is granted
    return None


def _relief(context: RuleContext, side: str, place: ConceptPlace) -> bool:
    if place.sentence < 0:
        return False
    pool = context.sentences.pool(side)
    return bool(phrases(context.lexicon.relief, pool[place.sentence].text))


def _seen_elsewhere(context: RuleContext, before: ConceptPlace, after: ConceptPlace) -> bool:
    """Whether a pairwise rule already sees this: the two places are paired provisions
    (or a provision and the counterpart of its parent), or the place that held the term
    was removed (or added) whole."""
    if before.provision is None or after.provision is None:
        held = before.provision or after.provision
        side = "old" if before.provision else "new"
        return held is None or _unpaired(context, side, held)
    old_parent = context.old_by_id[before.provision].parent
    counterparts = {context.counterparts.get(before.provision)}
    counterparts.add(context.counterparts.get(old_parent or ""))
    new_parent = context.new_by_id[after.provision].parent
    return bool({after.provision, new_parent} & counterparts)


def _unpaired(context: RuleContext, side: str, provision: str) -> bool:
    gone = {
        (a.old if side == "old" else a.new)
        for a in context.alignment
        if a.relation == ("removed" if side == "old" else "added")
    }
    by_id = context.old_by_id if side == "old" else context.new_by_id
    node = by_id.get(provision)
    while node is not None:
        if node.id in gone:
            return True
        node = by_id.get(node.parent or "")
    return False


def _report(
    context: RuleContext,
    concept: Concept,
    before: ConceptPlace,
    after: ConceptPlace,
    kind: str,
    weaker: bool,
) -> Finding:
    confidence = min(CEILING, BASE + STEP * abs(before.level - after.level))
    old_text = _text(context, "old", before)
    new_text = _text(context, "new", after)
    where_before = _where(context, "old", before)
    where_after = _where(context, "new", after)
    return finding(
        context,
        kind,
        "weakening" if weaker else "strengthening",
        (before.provision, after.provision),
        old_text,
        new_text,
        f'"{quote(concept.name, 8)}" '
        + (
            "was not in the old draft"
            if before.level == ABSENT
            else f"stood in {LEVEL_NAMES[before.level]}{where_before}"
        )
        + (
            "; it is gone."
            if after.level == ABSENT
            else f"; now it stands in {LEVEL_NAMES[after.level]}{where_after}"
            + (", where relief is granted." if kind == KINDS[3] else ".")
        ),
        confidence,
    )


def _where(context: RuleContext, side: str, place: ConceptPlace) -> str:
    if place.provision is None:
        return ""
    by_id = context.old_by_id if side == "old" else context.new_by_id
    return f" ({name(by_id[place.provision], by_id)})"


def _text(context: RuleContext, side: str, place: ConceptPlace) -> str:
    if place.provision is None:
        return ""
    if place.sentence < 0:
        by_id = context.old_by_id if side == "old" else context.new_by_id
        return by_id[place.provision].heading
    pool = context.sentences.pool(side)
    return pool[place.sentence].text
