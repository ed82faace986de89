"""qualifier-added / qualifier-removed: hedges and conditions that soften a duty.

Conditions are recognised by their form (lexicon ``condition_openers``: a clause that
opens with "where", "if", "to the extent", "provided that", ... after a comma, a modal
or at the start; ``limiting``: "only where", "only for"), with the named hedges
(``hedges``: "as appropriate", "best efforts", ...) as a supplement. Duties compared are
the sentences matched within aligned provisions and, through the duty ledger, duties
that moved to another provision with the same action.

Weakening:      "Signatories shall encrypt command links."
            ->  "Signatories shall, where technically feasible, encrypt command links."
Not weakening:  "Signatories shall, where appropriate, encrypt command links."
            ->  "Where appropriate, Signatories shall encrypt command links."
"""

from __future__ import annotations

from collections.abc import Iterator

from cop_diff.ledger import KEY_LETTERS, conditions, same_action
from cop_diff.lexical import strength
from cop_diff.model import Condition, Finding
from cop_diff.rules.base import (
    ProvisionPair,
    RuleContext,
    edit_confidence,
    finding,
    name,
    window,
)
from cop_diff.words import stems

CODE = "Q01"
ACROSS = 0.85
"""A duty matched across provisions is less surely the same sentence, edited."""
SAME_CONDITION = 0.5
"""Two conditions sharing this share of their telling words are one, reworded."""
UNSURE = 0.45
"""A condition on a sentence that is not a duty in both drafts: the net change is unclear."""
NEARBY = 0.6
"""At most this sure of a condition lost (or gained) by a sentence whose neighbour in the
other draft has a condition opening the same way: it may have moved there, reworded."""
REPHRASED = 0.8
"""A condition this share of whose telling words the other sentence holds was rephrased
there (a relative clause, a subordinate one), not added or dropped..."""
REPHRASED_WORDS = 3
"""...if it has at least this many telling words."""
KINDS = ("qualifier-added", "qualifier-removed")


def detect(context: RuleContext) -> Iterator[Finding]:
    for pair in context.pairs:
        if not (pair.old.binding and pair.new.binding):
            continue
        # A condition the provision already had somewhere ("proportional to" reworded as
        # "proportionate to", or moved to another sentence) is not a new one.
        before_all = _conditions_of(context, "old", pair.old.id)
        after_all = _conditions_of(context, "new", pair.new.id)
        for sentences in pair.matched:
            likeness = context.ledger.likeness(
                sentences.old_index, sentences.new_index, sentences.similarity
            )
            nearby = (
                _openers_near(context, "old", sentences.old_index),
                _openers_near(context, "new", sentences.new_index),
            )
            yield from _compare(
                context, pair, (sentences.old, sentences.new), (before_all, after_all),
                edit_confidence(likeness), nearby,
            )  # fmt: skip
    yield from _across(context)


def _conditions_of(context: RuleContext, side: str, provision: str) -> tuple[Condition, ...]:
    """Every condition of a provision's own text, sentence by sentence."""
    return tuple(
        condition
        for text in context.sentences.texts(side, provision)
        for condition in conditions(text, context.lexicon)
    )


def _openers_near(context: RuleContext, side: str, at: int) -> frozenset[str]:
    """How the conditions of the sentences next to one in its provision open ("if"): a
    sentence split in two often carries its condition into the next one, reworded."""
    pool = context.sentences.pool(side)
    here = pool[at].provision
    return frozenset(
        _opener(condition)
        for near in (at - 1, at + 1)
        if 0 <= near < len(pool) and pool[near].provision == here
        for condition in conditions(pool[near].text, context.lexicon)
    )


def _opener(condition: Condition) -> str:
    return condition.phrase.split(maxsplit=1)[0].lower()


def _across(context: RuleContext) -> Iterator[Finding]:
    """Duties that moved to another provision (the ledger's matches that carry the same
    action) and changed their conditions on the way."""
    ledger, index = context.ledger, context.sentences
    for match in ledger.matches:
        old, new = ledger.old[match.old], ledger.new[match.new]
        if (old.sentence, new.sentence) in context.matched_pairs or not same_action(match):
            continue
        before, after = context.old_by_id[old.provision], context.new_by_id[new.provision]
        if not (before.binding and after.binding):
            continue
        yield from _compare(
            context,
            (before.id, after.id),
            (index.old[old.sentence].text, index.new[new.sentence].text),
            (_conditions_of(context, "old", before.id), _conditions_of(context, "new", after.id)),
            edit_confidence(match.likeness) * ACROSS,
        )


def _compare(
    context: RuleContext,
    pair: ProvisionPair | tuple[str, str],
    texts: tuple[str, str],
    provisions: tuple[tuple[Condition, ...], tuple[Condition, ...]],
    confidence: float,
    nearby: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
) -> Iterator[Finding]:
    """Conditions one sentence of a duty gained or lost, against all its provision had;
    ``nearby``: how the conditions next to each sentence open, where it has neighbours."""
    old_text, new_text = texts
    old_level = strength(old_text, context.lexicon)
    new_level = strength(new_text, context.lexicon)
    before, after = conditions(old_text, context.lexicon), conditions(new_text, context.lexicon)

    def sure(condition: Condition, other_side: frozenset[str]) -> float:
        return min(confidence, NEARBY) if _opener(condition) in other_side else confidence

    if new_level <= old_level:  # a condition on a duty that got stronger is a trade-off
        for condition in _new(after, provisions[0]):
            if not _said_before(condition, old_text, context):
                yield _report(
                    context, pair, new_text, old_text, condition, True, sure(condition, nearby[0])
                )
    if new_level >= old_level:
        for condition in _new(before, provisions[1]):
            if not _said_before(condition, new_text, context):
                yield _report(
                    context, pair, old_text, new_text, condition, False, sure(condition, nearby[1])
                )


def _said_before(condition: Condition, other: str, context: RuleContext) -> bool:
    """Whether the other sentence already says what a condition says, in another form ("a
    dataset in which the risk exceeds 5 %" -> "any dataset if the risk is above 5 %"): a
    condition of several telling words, nearly all of them in the other sentence."""
    if len(set(condition.key)) < REPHRASED_WORDS or context.lexicon.hedges.search(condition.phrase):
        return False  # a named hedge ("where applicable to ...") softens, whatever follows
    others = {stem[:KEY_LETTERS] for stem in stems(other, context.lexicon.stemmer)}
    return len(set(condition.key) & others) / len(set(condition.key)) >= REPHRASED


def _new(these: tuple[Condition, ...], others: tuple[Condition, ...]) -> list[Condition]:
    """Conditions with no counterpart among ``others``: none that shares most of its
    telling words ("where they consider it necessary" is "where necessary")."""
    return [c for c in these if not any(_alike(c.key, other.key) for other in others)]


def _alike(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    if not one or not other:
        return one == other
    shared = len(set(one) & set(other))
    return shared / min(len(set(one)), len(set(other))) >= SAME_CONDITION


def _report(
    context: RuleContext,
    pair: ProvisionPair | tuple[str, str],
    text: str,
    other: str,
    condition: Condition,
    added: bool,
    confidence: float,
) -> Finding:
    phrase = condition.phrase
    new_id = pair.new.id if isinstance(pair, ProvisionPair) else pair[1]
    what = name(context.new_by_id[new_id], context.new_by_id)
    # A hedge softens a duty that kept its force; on a sentence that was only descriptive,
    # or whose duty is new, the hedge comes with a new duty and the net change is unclear.
    duty_kept = strength(text, context.lexicon) == strength(other, context.lexicon) == 3
    confidence = confidence if duty_kept else min(confidence, UNSURE)
    span = window(text, condition.start, condition.end)
    counterpart = _old_context(other, text, condition.start)
    if added:
        return finding(context, KINDS[0], "weakening", pair, counterpart, span,
                       f'{what} now carries the condition "{phrase}", which limits the duty.',
                       confidence)  # fmt: skip
    return finding(context, KINDS[1], "strengthening", pair, span, counterpart,
                   f'{what} no longer carries the condition "{phrase}".',
                   confidence)  # fmt: skip


def _old_context(other: str, text: str, at: int) -> str:
    """The words of the other sentence around the same place, for side-by-side evidence."""
    words_before = len(text[:at].split())
    words = other.split()
    start = max(0, words_before - 5)
    return " ".join(words[start : words_before + 5])
