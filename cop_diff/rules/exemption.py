"""exemption-added / exemption-removed: exceptions and carve-outs in binding text.

Markers are data (lexicon ``exemptions``: except, unless, exempt, does not apply, ...;
``relief``: instead of, need not, presumed to comply, grace period, may defer, ...;
``exempt_classes``: SMEs, open-source, fewer than N employees, ...). A new sentence in
a binding provision that carries a marker is an exemption added, and so is a new
binding provision that grants relief: new relief weakens, whatever duties come with it.

Weakening:      "Signatories shall have each assessment reviewed."
            ->  "Signatories shall have each assessment reviewed, except for
                 Signatories with fewer than 50 employees."
Not weakening:  "This does not apply to SMEs." -> "This Measure does not apply to SMEs."
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from cop_diff.lexical import MEMO, duty, phrases, strength
from cop_diff.lexicon import Lexicon
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
TRADE_OFF = 0.6
"""A carve-out added to a duty that became stronger leans weaker only on balance."""
NEW_SENTENCE = 0.55
"""A whole new sentence with an exception marker may restate an old limit: doubtful."""
CITES_LAW = 0.65
"""At most this sure of an exception whose sentence cites an article of a legal act: it may
restate the law's own exception ("... do not apply to models meeting Article 53(2))."""
KINDS = ("exemption-added", "exemption-removed")


def markers(text: str, context: RuleContext) -> Counter[str]:
    """Exemption and relief markers in a sentence, and the classes it carves out if it
    has any."""
    return Counter(_markers(text, context.lexicon))


@lru_cache(maxsize=MEMO)
def _markers(text: str, lexicon: Lexicon) -> tuple[str, ...]:
    found = tuple(
        map(_spelling, (*phrases(lexicon.exemptions, text), *phrases(lexicon.relief, text)))
    )
    if found:
        found += tuple(map(_spelling, phrases(lexicon.exempt_classes, text)))
    return found


def _spelling(phrase: str) -> str:
    """A marker in one spelling: "prioritize" is "prioritise" (-ize and -ise, -yze and -yse)."""
    return re.sub(r"([iy])z(e|es|ed|ing|ation)\b", r"\1s\2", phrase)


def detect(context: RuleContext) -> Iterator[Finding]:
    index = context.sentences
    for pair in context.pairs:
        if not (pair.old.binding and pair.new.binding):
            continue
        old_sentences = index.texts("old", pair.old.id)
        new_sentences = index.texts("new", pair.new.id)
        # A carve-out the provision already made elsewhere is not a new one.
        old_all = sum((markers(text, context) for text in old_sentences), Counter())
        new_all = sum((markers(text, context) for text in new_sentences), Counter())
        # A carve-out that comes with a duty made stronger (an encouragement turned into a
        # commitment, with SMEs left out) is a trade-off, not a clear weakening.
        old_level = max((strength(text, context.lexicon) for text in old_sentences), default=0)
        new_level = max((strength(text, context.lexicon) for text in new_sentences), default=0)
        for sentences in pair.matched:
            confidence = edit_confidence(sentences.similarity)
            gained = markers(sentences.new, context) - markers(sentences.old, context) - old_all
            lost = markers(sentences.old, context) - markers(sentences.new, context) - new_all
            if gained:
                trade = new_level > old_level
                yield _report(context, pair, sentences.new, gained, True, confidence, trade)
            if lost:
                trade = new_level < old_level
                yield _report(context, pair, sentences.old, lost, False, confidence, trade)
        for at, sentence in pair.added:
            if _a_duty_of_its_own(sentence, context):
                continue  # a new duty with its own exception: the obligation rule's
            found = markers(sentence, context) - old_all
            if found and index.elsewhere("new", at, binding=True) < SENTENCE_ELSEWHERE:
                trade = new_level > old_level
                yield _report(context, pair, sentence, found, True, NEW_SENTENCE, trade)
        for at, sentence in pair.removed:
            if _a_duty_of_its_own(sentence, context):
                continue
            found = markers(sentence, context) - new_all
            if found and index.elsewhere("old", at, binding=True) < SENTENCE_ELSEWHERE:
                trade = new_level < old_level
                yield _report(context, pair, sentence, found, False, NEW_SENTENCE, trade)
    yield from _in_whole_provisions(context)


def _a_duty_of_its_own(sentence: str, context: RuleContext) -> bool:
    """A whole sentence that puts a duty on someone, with no relief in it: new (or gone)
    with its exception, it is a duty gained (or lost), not an exception."""
    lexicon = context.lexicon
    return duty(sentence, lexicon) is not None and not phrases(lexicon.relief, sentence)


def _in_whole_provisions(context: RuleContext) -> Iterator[Finding]:
    """A new binding provision that grants relief (an alternative, a presumption of
    compliance, a delay) weakens, whatever duties it also sets; a removed one that
    granted relief strengthens."""
    for side, provisions in (
        ("new", context.added_provisions()),
        ("old", context.removed_provisions()),
    ):
        by_id = context.new_by_id if side == "new" else context.old_by_id
        pool = context.sentences.pool(side)
        gone = {p.id for p in provisions}
        for provision_id in sorted(gone, key=list(by_id).index):
            provision = by_id[provision_id]
            if provision.parent in gone or not provision.binding:
                continue
            for at in context.subtree_sentences(side, provision_id):
                if not pool[at].binding:
                    continue
                found = Counter(phrases(context.lexicon.relief, pool[at].text))
                if found:
                    ids = (None, provision_id) if side == "new" else (provision_id, None)
                    # Relief that comes (or goes) with the duties it lightens leans one way
                    # only on balance: worth a look, not a finding.
                    yield _report(
                        context, ids, pool[at].text, found, side == "new", NEW_SENTENCE, True
                    )
                    break


def _report(
    context: RuleContext,
    pair: ProvisionPair | tuple[str | None, str | None],
    text: str,
    found: Counter[str],
    added: bool,
    confidence: float,
    trade_off: bool = False,
) -> Finding:
    if context.lexicon.exempt_classes.search(text):
        # A carve-out that names whom it exempts (SMEs, fewer than 50 employees) is clear.
        confidence = max(confidence, CLASS_NAMED)
    if trade_off:
        confidence = min(confidence, TRADE_OFF)
    marker = sorted(found)[0]
    at = text.lower().find(marker)
    span = window(text, at, at + len(marker)) if at >= 0 else quote(text, 20)
    named = ", ".join(f'"{m}"' for m in sorted(found))
    citation = context.lexicon.provision_citations.search(text)
    if citation:
        confidence = min(confidence, CITES_LAW)
        named += f"; it cites {' '.join(citation.group(0).split())}, and may restate the law"
    if isinstance(pair, ProvisionPair):
        what = name(pair.new, context.new_by_id)
    elif pair[1] is not None:
        what = name(context.new_by_id[pair[1]], context.new_by_id)
    else:
        what = name(context.old_by_id[pair[0] or ""], context.old_by_id)
    if added:
        explanation = f"{what} gained an exception, carve-out or relief ({named})."
        return finding(context, KINDS[0], "weakening", pair, "", span, explanation, confidence)
    explanation = f"{what} lost an exception, carve-out or relief ({named})."
    return finding(context, KINDS[1], "strengthening", pair, span, "", explanation, confidence)
