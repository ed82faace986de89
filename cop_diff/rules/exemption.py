"""exemption-added / exemption-removed: exceptions and carve-outs in binding text.

Markers are data (lexicon ``exemptions``: except, unless, exempt, does not apply, ...;
``exempt_classes``: SMEs, open-source, fewer than N employees, ...). A new sentence in
a binding provision that carries a marker is an exemption added.

Weakening:      "Signatories shall have each assessment reviewed."
            ->  "Signatories shall have each assessment reviewed, except for
                 Signatories with fewer than 50 employees."
Not weakening:  "This does not apply to SMEs." -> "This Measure does not apply to SMEs."
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cop_diff.model import Finding
from cop_diff.rules.base import (
    SENTENCE_ELSEWHERE,
    ProvisionPair,
    RuleContext,
    edit_confidence,
    finding,
    name,
    quote,
    window,
)

CODE = "E01"
CLASS_NAMED = 0.75
NEW_SENTENCE = 0.55
"""A whole new sentence with an exception marker may restate an old limit: doubtful."""
KINDS = ("exemption-added", "exemption-removed")


def markers(text: str, context: RuleContext) -> Counter[str]:
    """Exemption markers in a sentence, and the classes it carves out if it has any."""
    lexicon = context.lexicon
    found = Counter(" ".join(m.group(0).lower().split()) for m in lexicon.exemptions.finditer(text))
    if found:
        found.update(
            " ".join(m.group(0).lower().split()) for m in lexicon.exempt_classes.finditer(text)
        )
    return found


def detect(context: RuleContext) -> Iterator[Finding]:
    index = context.sentences
    for pair in context.pairs:
        if not (pair.old.binding and pair.new.binding):
            continue
        # A carve-out the provision already made elsewhere is not a new one.
        old_all, new_all = markers(pair.old.text, context), markers(pair.new.text, context)
        for sentences in pair.matched:
            confidence = edit_confidence(sentences.similarity)
            gained = markers(sentences.new, context) - markers(sentences.old, context) - old_all
            lost = markers(sentences.old, context) - markers(sentences.new, context) - new_all
            if gained:
                yield _report(context, pair, sentences.new, gained, True, confidence)
            if lost:
                yield _report(context, pair, sentences.old, lost, False, confidence)
        for at, sentence in pair.added:
            found = markers(sentence, context) - old_all
            if found and index.elsewhere("new", at, binding=True) < SENTENCE_ELSEWHERE:
                yield _report(context, pair, sentence, found, True, NEW_SENTENCE)
        for at, sentence in pair.removed:
            found = markers(sentence, context) - new_all
            if found and index.elsewhere("old", at, binding=True) < SENTENCE_ELSEWHERE:
                yield _report(context, pair, sentence, found, False, NEW_SENTENCE)


def _report(
    context: RuleContext,
    pair: ProvisionPair,
    text: str,
    found: Counter[str],
    added: bool,
    confidence: float,
) -> Finding:
    if context.lexicon.exempt_classes.search(text):
        # A carve-out that names whom it exempts (SMEs, fewer than 50 employees) is clear.
        confidence = max(confidence, CLASS_NAMED)
    marker = sorted(found)[0]
    at = text.lower().find(marker)
    span = window(text, at, at + len(marker)) if at >= 0 else quote(text, 20)
    phrases = ", ".join(f'"{m}"' for m in sorted(found))
    what = name(pair.new, context.new_by_id)
    if added:
        explanation = f"{what} gained an exception or carve-out ({phrases})."
        return finding(context, KINDS[0], "weakening", pair, "", span, explanation, confidence)
    explanation = f"{what} lost an exception or carve-out ({phrases})."
    return finding(context, KINDS[1], "strengthening", pair, span, "", explanation, confidence)
