"""obligation-removed / obligation-added: a binding duty with no counterpart.

A sentence of a binding provision that imposes a duty or an expectation (lexicon
``[modals]``, strength 2 or 3) and has no counterpart in the other draft: not in the
aligned provision, and not anywhere else in the other draft's binding text (a duty
moved elsewhere is not gone). A duty found only in the other draft's non-binding text
was demoted, not removed. Sentences that add an exception are the exemption rules'.

Weakening:      "Signatories shall update the manual within 30 days of a change." -> (gone)
Not weakening:  the same sentence moved from Measure 1.1 to Measure 1.2.
"""

from __future__ import annotations

from collections.abc import Iterator

from cop_diff.model import Finding
from cop_diff.rules.base import SENTENCE_ELSEWHERE, RuleContext, finding, name, quote
from cop_diff.rules.exemption import markers
from cop_diff.rules.lexical import STRENGTH_NAMES, strength

CODE = "O01"
KINDS = ("obligation-removed", "obligation-added")
DEMOTED = "provision-demoted"
PROMOTED = "provision-promoted"


def detect(context: RuleContext) -> Iterator[Finding]:
    lexicon = context.lexicon
    index = context.sentences
    for pair in context.pairs:
        if not (pair.old.binding and pair.new.binding):
            continue
        what = name(pair.new, context.new_by_id)
        for at, sentence in pair.removed:
            level = strength(sentence, lexicon)
            if level < 2 or markers(sentence, context):
                continue
            if not context.vanished("old", at, pair):
                continue
            demoted = index.elsewhere("old", at, binding=False) >= SENTENCE_ELSEWHERE
            yield finding(
                context,
                DEMOTED if demoted else KINDS[0],
                "weakening",
                pair,
                sentence,
                "",
                f'{what} lost {STRENGTH_NAMES[level]}: "{quote(sentence)}"'
                + (" now appears only in text that does not bind." if demoted else " is gone."),
                0.65 if level == 3 else 0.55,
            )
        for at, sentence in pair.added:
            level = strength(sentence, lexicon)
            if level < 2 or markers(sentence, context):
                continue
            if not context.vanished("new", at, pair):
                continue
            promoted = index.elsewhere("new", at, binding=False) >= SENTENCE_ELSEWHERE
            yield finding(
                context,
                PROMOTED if promoted else KINDS[1],
                "strengthening",
                pair,
                "",
                sentence,
                f'{what} gained {STRENGTH_NAMES[level]}: "{quote(sentence)}"'
                + (" was text that did not bind." if promoted else " is new."),
                0.65 if level == 3 else 0.55,
            )


def detect_in_merges(context: RuleContext) -> Iterator[Finding]:
    """Duties of a provision merged into another (or split out) that did not survive."""
    lexicon = context.lexicon
    index = context.sentences
    for entry in context.alignment:
        if entry.old is None or entry.new is None or entry.relation not in ("merged", "split"):
            continue
        old, new = context.old_by_id[entry.old], context.new_by_id[entry.new]
        if not (old.binding and new.binding):
            continue
        side, provision = ("old", old.id) if entry.relation == "merged" else ("new", new.id)
        pool = index.old if side == "old" else index.new
        for at in index.of(side, provision):
            sentence = pool[at].text
            level = strength(sentence, lexicon)
            if level < 2 or markers(sentence, context):
                continue
            if not context.vanished_from(side, at, new.id if side == "old" else old.id):
                continue
            removed = side == "old"
            what = name(old, context.old_by_id) if removed else name(new, context.new_by_id)
            other = name(new, context.new_by_id) if removed else name(old, context.old_by_id)
            yield finding(
                context,
                KINDS[0] if removed else KINDS[1],
                "weakening" if removed else "strengthening",
                (old.id, new.id),
                sentence if removed else "",
                "" if removed else sentence,
                f"{what} {'merged into' if removed else 'split from'} {other}"
                f', but {STRENGTH_NAMES[level]} did not carry over: "{quote(sentence)}".',
                0.5,
            )
