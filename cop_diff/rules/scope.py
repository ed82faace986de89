"""scope-narrowed / scope-widened: who or what a duty covers.

A wide quantifier replaced by a narrowing word ("all" -> "relevant", "any" ->
"serious"), or a narrowing word put before what the duty covers ("incidents" ->
"serious incidents"), narrows it; the reverse widens it. The words are data (lexicon
``[scope]``). A hedge ("where appropriate") is the qualifier rule's, not this one's.

Weakening:      "keep a log of all incidents" -> "keep a log of serious incidents"
Not weakening:  "keep a log of all incidents" -> "keep a log of every incident"
"""

from __future__ import annotations

from collections.abc import Iterator

from cop_diff.model import Direction, Finding
from cop_diff.rules.base import (
    ProvisionPair,
    RuleContext,
    changed_spans,
    edit_confidence,
    finding,
    name,
)
from cop_diff.words import tokens

CODE = "C01"
INSERTION = 0.75
"""A narrowing word put in ('serious incidents') or taken out is less sure than one
replacing 'all'."""
KINDS = ("scope-narrowed", "scope-widened")
DROPPED_WORDS = 15
"""Words a sentence may lose, "all" among them, in one change of scope; more is a duty
rewritten or lost, the other rules' business..."""
SPELLING_FIXES = 2
"""...while gaining at most this many (a typo corrected on the way)."""


def detect(context: RuleContext) -> Iterator[Finding]:
    wide, narrow = context.lexicon.wide_scope, context.lexicon.narrow_scope
    hedges = context.lexicon.hedges
    for pair in context.pairs:
        if not (pair.old.binding and pair.new.binding):
            continue
        what = name(pair.new, context.new_by_id)
        for sentences in pair.matched:
            reported: set[str] = set()  # one finding per kind and sentence
            spans = list(changed_spans(sentences.ops))
            for deleted, inserted, old_span, new_span in spans:
                if hedges.search(deleted) or hedges.search(inserted):
                    continue
                gone, came = set(tokens(deleted)), set(tokens(inserted))
                if len(gone) > 6 or len(came) > 6:
                    continue  # a rewrite, not a change of scope
                narrowed = _narrows(gone, came, wide, narrow)
                if narrowed == _narrows(came, gone, wide, narrow):
                    continue
                kind = KINDS[0] if narrowed else KINDS[1]
                if kind not in reported:
                    reported.add(kind)
                    words = sorted((gone | came) & (wide | narrow))
                    # A word put in reads, swapped round, as a word taken out: the same
                    # doubt either way.
                    doubt = 1.0 if gone and came else INSERTION
                    yield _report(
                        context, pair, what, narrowed, (old_span, new_span), words,
                        edit_confidence(sentences.similarity) * doubt,
                    )  # fmt: skip
            dropped = _classes_dropped(sentences.old, sentences.new, context)
            if dropped is not None and spans and KINDS[0 if dropped[0] else 1] not in reported:
                narrowed, words = dropped
                yield _report(
                    context, pair, what, narrowed, spans[0][2:], words,
                    edit_confidence(sentences.similarity) * INSERTION,
                )  # fmt: skip


def _report(
    context: RuleContext,
    pair: ProvisionPair,
    what: str,
    narrowed: bool,
    evidence: tuple[str, str],
    words: list[str],
    confidence: float,
) -> Finding:
    direction: Direction = "weakening" if narrowed else "strengthening"
    return finding(
        context,
        KINDS[0] if narrowed else KINDS[1],
        direction,
        pair,
        evidence[0],
        evidence[1],
        f"In {what}, the scope of the duty {'narrowed' if narrowed else 'widened'}"
        f" ({', '.join(words)}).",
        confidence,
    )


def _classes_dropped(old: str, new: str, context: RuleContext) -> tuple[bool, list[str]] | None:
    """A sentence that only lost words, "all" and some of the classes it covered among
    them ("all staff in sales, operations or fraud roles, including contractors" ->
    "staff in fraud roles"): narrowed, with the words; the reverse widened."""
    wide, narrow = context.lexicon.wide_scope, context.lexicon.narrow_scope
    before, after = set(tokens(old)), set(tokens(new))
    for narrowed, lost, added in (
        (True, before - after, after - before),
        (False, after - before, before - after),
    ):
        classes = sorted(lost - wide - narrow - FILLERS)
        if (
            lost & wide
            and classes
            and len(lost) <= DROPPED_WORDS
            and len(added) <= SPELLING_FIXES
            and not added & wide
        ):
            verb = "no longer" if narrowed else "now also"
            return narrowed, [*sorted(lost & wide), f"{verb}: {', '.join(classes)}"]
    return None


FILLERS = frozenset({"and", "or", "the", "a", "an", "of", "in", "particular"})


def _narrows(gone: set[str], came: set[str], wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """'all' -> 'relevant', or a narrowing word put before what the duty covers
    ('incidents' -> 'serious incidents'). A longer insertion that happens to contain such a
    word ('in response' -> 'in response to the serious incident') adds a complement, and a
    wide quantifier simply dropped ('each test' -> 'tests') says too little to report
    (dropped with the classes it covered, see ``_classes_dropped``).
    """
    if gone & wide and came & narrow:
        return True
    return not gone and bool(came & narrow) and came <= narrow | FILLERS and len(came) <= 3
