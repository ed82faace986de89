"""obligation-removed / obligation-added, on the drafters' own word.

Drafts explain themselves ("Summary of changes from the second draft": "we have removed
the requirement to pre-define corrective measures"). When the new draft's note on a
provision says a duty was removed, and the old provision states that duty while the new
one no longer does, the removal is reported with the note as its rationale, even where
the duty was one clause of a sentence that otherwise survived. The phrasings are data
(lexicon ``removal_notes``). A note in the old draft saying the same of a duty that the
new draft has is read the other way round (the drafts were given in reverse order).

Weakening:      note "we removed the requirement to test batteries weekly";
                "Signatories shall test batteries weekly and log the results."
            ->  "Signatories shall log the state of their batteries."
Not weakening:  note "we removed the KPIs since they could be gamed" (no duty named).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from cop_diff.lexical import MEMO
from cop_diff.model import Finding, Outline
from cop_diff.rules.base import RuleContext, finding, name, window
from cop_diff.words import stems

CODE = "D01"
KINDS = ("obligation-removed", "obligation-added")
STATED = 0.75
"""Share of the duty's words a sentence must hold to state it..."""
DROPPED = 0.25
"""...and by how much less the other draft's best sentence must hold them."""


def detect(context: RuleContext) -> Iterator[Finding]:
    yield from _read_notes(context, forward=True)
    yield from _read_notes(context, forward=False)


def _duties(text: str, context: RuleContext) -> Iterator[str]:
    for pattern in context.lexicon.removal_notes:
        for match in pattern.finditer(text):
            duty = match.group("what")
            for stop in context.lexicon.note_stops:
                at = duty.find(stop)
                if at > 0:
                    duty = duty[:at]
            if len(duty.split()) >= 2:
                yield duty.strip(" ,\"'“”")


def _best(
    outline: Outline, root: str | None, words: set[str], language: str
) -> tuple[str, str, float]:
    """The binding sentence under ``root`` (anywhere if ``None``) holding most of ``words``."""
    ids = {root}
    best = ("", "", 0.0)
    for provision in outline.provisions:
        if root is None or provision.id in ids or provision.parent in ids:
            ids.add(provision.id)
            if not provision.binding:
                continue
            for sentence in provision.text.replace("\n", " ").split(". "):
                share = len(words & _stem_set(sentence, language)) / len(words)
                if share > best[2]:
                    best = (provision.id, sentence, share)
    return best


@lru_cache(maxsize=MEMO)
def _stem_set(sentence: str, language: str) -> frozenset[str]:
    """A sentence's stems: each note is looked for in the whole other draft, twice."""
    return frozenset(stems(sentence, language))


def _evidence(sentence: str, duty: str) -> str:
    """The sentence around where the duty starts, cut at whole words."""
    at = sentence.lower().find(duty.split()[0].lower()[:5])
    if at < 0:
        return sentence
    end = at + len(duty)
    while end < len(sentence) and not sentence[end].isspace():
        end += 1
    return window(sentence, at, end)


def _read_notes(context: RuleContext, *, forward: bool) -> Iterator[Finding]:
    """Notes of the new draft (forward) or of the old one (drafts given in reverse)."""
    noted = context.new if forward else context.old
    other = context.old if forward else context.new
    counterparts = (
        {n: o for o, n in context.counterparts.items()} if forward else context.counterparts
    )
    language = context.lexicon.stemmer
    for note in noted.provisions:
        if note.kind != "explanatory" or not note.parent or note.parent not in counterparts:
            continue
        for duty in _duties(note.text, context):
            words = set(stems(duty, language))
            if len(words) < 2:
                continue
            # Where the note's provision came from first, then anywhere in the other draft:
            # the duty may have been in a provision that merged into this one.
            stated_id, stated, share = _best(other, counterparts[note.parent], words, language)
            if share < STATED:
                stated_id, stated, share = _best(other, None, words, language)
            _, _, still = _best(noted, None, words, language)
            if share < STATED or still > share - DROPPED:
                continue
            evidence = _evidence(stated, duty)
            where = name((context.new_by_id if forward else context.old_by_id)[note.parent],
                         context.new_by_id if forward else context.old_by_id)  # fmt: skip
            if forward:
                yield finding(
                    context, KINDS[0], "weakening", (stated_id, note.parent), evidence, "",
                    f'The drafters\' note on {where} says they removed the requirement to '
                    f'"{duty}", which the old text stated.',
                    0.85,
                )  # fmt: skip
            else:
                yield finding(
                    context, KINDS[1], "strengthening", (note.parent, stated_id), "", evidence,
                    f'The requirement to "{duty}", which the old draft\'s note on {where} '
                    "says was removed, is in the new text.",
                    0.85,
                )  # fmt: skip
