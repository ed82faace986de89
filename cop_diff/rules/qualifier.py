"""qualifier-added / qualifier-removed: hedges and conditions that soften a duty.

Hedges are data (lexicon ``hedges``): "where appropriate", "as necessary", "to the
extent feasible", "best efforts", "where technically feasible", ...

Weakening:      "Signatories shall encrypt command links."
            ->  "Signatories shall, where technically feasible, encrypt command links."
Not weakening:  "Signatories shall, where appropriate, encrypt command links."
            ->  "Where appropriate, Signatories shall encrypt command links."
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cop_diff.model import Finding
from cop_diff.rules.base import RuleContext, finding, name, window

CODE = "Q01"
KINDS = ("qualifier-added", "qualifier-removed")


def detect(context: RuleContext) -> Iterator[Finding]:
    hedges = context.lexicon.hedges
    for pair in context.pairs:
        if not (pair.old.binding and pair.new.binding):
            continue
        what = name(pair.new, context.new_by_id)
        reported: set[tuple[str, str]] = set()  # one finding per phrase and provision
        for sentences in pair.matched:
            before = Counter(_normal(m.group(0)) for m in hedges.finditer(sentences.old))
            after = Counter(_normal(m.group(0)) for m in hedges.finditer(sentences.new))
            for phrase in sorted((after - before).keys() - {p for k, p in reported if k == "+"}):
                reported.add(("+", phrase))
                match = next(
                    m for m in hedges.finditer(sentences.new) if _normal(m.group(0)) == phrase
                )
                yield finding(
                    context, KINDS[0], "weakening", pair,
                    _old_context(sentences.old, sentences.new, match.start()),
                    window(sentences.new, match.start(), match.end()),
                    f'{what} now carries the qualifier "{phrase}", which softens the duty.',
                    0.55 + 0.4 * sentences.similarity,
                )  # fmt: skip
            for phrase in sorted((before - after).keys() - {p for k, p in reported if k == "-"}):
                reported.add(("-", phrase))
                match = next(
                    m for m in hedges.finditer(sentences.old) if _normal(m.group(0)) == phrase
                )
                yield finding(
                    context, KINDS[1], "strengthening", pair,
                    window(sentences.old, match.start(), match.end()),
                    _old_context(sentences.new, sentences.old, match.start()),
                    f'{what} no longer carries the qualifier "{phrase}".',
                    0.55 + 0.4 * sentences.similarity,
                )  # fmt: skip


def _normal(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _old_context(other: str, text: str, at: int) -> str:
    """The words of the other sentence around the same place, for side-by-side evidence."""
    words_before = len(text[:at].split())
    words = other.split()
    start = max(0, words_before - 5)
    return " ".join(words[start : words_before + 5])
