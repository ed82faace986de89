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
            for deleted, inserted, old_span, new_span in [*spans, *_as_one(spans)]:
                if hedges.search(deleted) or hedges.search(inserted):
                    continue
                gone, came = set(tokens(deleted)), set(tokens(inserted))
                if len(gone) > 6 or len(came) > 6:
                    continue  # a rewrite, not a change of scope
                gone, came = gone - came, came - gone  # "all staff and agents" -> "staff"
                narrowed = _narrows(gone, came, wide, narrow)
                widened = _narrows(came, gone, wide, narrow)
                if narrowed == widened:
                    continue
                kind, verb = (KINDS[0], "narrowed") if narrowed else (KINDS[1], "widened")
                if kind in reported:
                    continue
                reported.add(kind)
                direction: Direction = "weakening" if narrowed else "strengthening"
                words = sorted((gone | came) & (wide | narrow))
                classes = sorted((gone or came) - wide - narrow - FILLERS)
                if classes and not (gone and came):  # classes dropped (or added) with "all"
                    words.append(f"{'no longer' if narrowed else 'now also'}: {', '.join(classes)}")
                yield finding(
                    context,
                    kind,
                    direction,
                    pair,
                    old_span,
                    new_span,
                    f"In {what}, the scope of the duty {verb} ({', '.join(words)}).",
                    # A word put in reads, swapped round, as a word taken out: the same
                    # doubt either way.
                    edit_confidence(sentences.similarity) * (1.0 if gone and came else INSERTION),
                )


FILLERS = frozenset({"and", "or", "the", "a", "an", "of", "in", "particular"})


def _as_one(spans: list[tuple[str, str, str, str]]) -> list[tuple[str, str, str, str]]:
    """A sentence's deletions together, where it only lost words: "all" and ", contractors
    and agents" are two deletions of one list of classes."""
    if len(spans) < 2 or any(inserted.strip() for _, inserted, _, _ in spans):
        return []
    deleted = " ".join(span[0] for span in spans)
    return [(deleted, "", spans[0][2], spans[0][3])]


def _narrows(gone: set[str], came: set[str], wide: frozenset[str], narrow: frozenset[str]) -> bool:
    """'all' -> 'relevant', or a narrowing word put before what the duty covers
    ('incidents' -> 'serious incidents'). A longer insertion that happens to contain such a
    word ('in response' -> 'in response to the serious incident') adds a complement, and a
    wide quantifier simply dropped ('each test' -> 'tests') says too little to report;
    dropped with some of the classes it covered ('all staff and agents' -> 'staff'), it
    narrows.
    """
    if gone & wide and came & narrow:
        return True
    if not came and gone & wide and gone - wide - narrow - FILLERS:
        return True  # "all staff, contractors and agents" -> "staff": classes dropped
    return not gone and bool(came & narrow) and came <= narrow | FILLERS and len(came) <= 3
