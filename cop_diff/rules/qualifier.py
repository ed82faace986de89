"""qualifier-added / qualifier-removed: hedges and conditions that soften a duty.

Hedges are data (lexicon ``hedges``): "where appropriate", "as necessary", "to the
extent feasible", "best efforts", "where technically feasible", ...

Weakening:      "Signatories shall encrypt command links."
            ->  "Signatories shall, where technically feasible, encrypt command links."
Not weakening:  "Signatories shall, where appropriate, encrypt command links."
            ->  "Where appropriate, Signatories shall encrypt command links."
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from cop_diff.lexicon import Lexicon
from cop_diff.model import Finding
from cop_diff.rules.base import (
    ProvisionPair,
    RuleContext,
    edit_confidence,
    finding,
    name,
    window,
)
from cop_diff.rules.lexical import strength
from cop_diff.words import stems

CODE = "Q01"
HEDGE_KEY = 6
"""Letters of each stem that identify a hedge across spelling variants."""
KINDS = ("qualifier-added", "qualifier-removed")


def detect(context: RuleContext) -> Iterator[Finding]:
    lexicon = context.lexicon
    for pair in context.pairs:
        if not (pair.old.binding and pair.new.binding):
            continue
        what = name(pair.new, context.new_by_id)
        # A hedge the provision already had somewhere ("proportional to" reworded as
        # "proportionate to", or moved to another sentence) is not a new one.
        before_all = _hedges(pair.old.text, lexicon)
        after_all = _hedges(pair.new.text, lexicon)
        for sentences in pair.matched:
            old_level = strength(sentences.old, context.lexicon)
            new_level = strength(sentences.new, context.lexicon)
            before = _hedges(sentences.old, lexicon)
            after = _hedges(sentences.new, lexicon)
            if new_level <= old_level:  # a hedge on a duty that got stronger is a trade-off
                for key in sorted(after.keys() - before_all.keys()):
                    yield _report(context, pair, sentences.new, sentences.old, after[key], True,
                                  what, sentences.similarity)  # fmt: skip
            if new_level >= old_level:
                for key in sorted(before.keys() - after_all.keys()):
                    yield _report(context, pair, sentences.old, sentences.new, before[key], False,
                                  what, sentences.similarity)  # fmt: skip


def _hedges(text: str, lexicon: Lexicon) -> dict[tuple[str, ...], re.Match[str]]:
    """Hedges keyed by the first letters of the stems of their words that are not fillers
    (first occurrence of each): "proportional to" and "proportionate to" are one hedge,
    and so are "when relevant" and "where this is relevant"."""
    found: dict[tuple[str, ...], re.Match[str]] = {}
    for match in lexicon.hedges.finditer(text):
        words = match.group(0).lower().split()
        telling = [w for w in words if w not in lexicon.hedge_fillers] or words
        key = tuple(stem[:HEDGE_KEY] for stem in stems(" ".join(telling), lexicon.stemmer))
        found.setdefault(key, match)
    return found


def _report(
    context: RuleContext,
    pair: ProvisionPair,
    text: str,
    other: str,
    match: re.Match[str],
    added: bool,
    what: str,
    similarity: float,
) -> Finding:
    phrase = " ".join(match.group(0).lower().split())
    # A hedge softens a duty that kept its force; on a sentence that was only descriptive,
    # or whose duty is new, the hedge comes with a new duty and the net change is unclear.
    duty_kept = strength(text, context.lexicon) == strength(other, context.lexicon) == 3
    confidence = edit_confidence(similarity) if duty_kept else 0.45
    span = window(text, match.start(), match.end())
    counterpart = _old_context(other, text, match.start())
    if added:
        return finding(context, KINDS[0], "weakening", pair, counterpart, span,
                       f'{what} now carries the qualifier "{phrase}", which softens the duty.',
                       confidence)  # fmt: skip
    return finding(context, KINDS[1], "strengthening", pair, span, counterpart,
                   f'{what} no longer carries the qualifier "{phrase}".',
                   confidence)  # fmt: skip


def _old_context(other: str, text: str, at: int) -> str:
    """The words of the other sentence around the same place, for side-by-side evidence."""
    words_before = len(text[:at].split())
    words = other.split()
    start = max(0, words_before - 5)
    return " ".join(words[start : words_before + 5])
