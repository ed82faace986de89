"""The concept ledger: the salient terms of a draft and the strongest place each holds.

A concept is a term a draft names: the heading of a numbered provision, the lead term of
a list item ("Large-scale discrimination: ..."), or a term in quotation marks (a defined
term). Its context in a draft is the strongest place where all its telling words appear
in one sentence or heading:

    5  binding text of a commitment, measure or paragraph
    4  an item of a binding list
    3  an item of a binding list given as examples ("such as:")
    2  a list the draft offers "for potential consideration" (lexicon ``for_consideration``)
    1  a recital or a box
    0  absent, or only mentioned in an introduction, an overview or a drafting plan

with the force of the modal around it as a tie-break (a duty over an encouragement). A
concept that drops across the line between binding and non-binding text was demoted;
one that rises was promoted. The concept rule compares the two ledgers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cop_diff.lexical import gives_examples
from cop_diff.lexicon import Lexicon
from cop_diff.model import Concept, ConceptPlace, Outline, Provision
from cop_diff.sentences import SentenceIndex
from cop_diff.words import stems

BINDING_TEXT, BINDING_ITEM, EXAMPLE_ITEM, FOR_CONSIDERATION, IN_A_BOX, ABSENT = 5, 4, 3, 2, 1, 0
LEAD_TERM_WORDS = 8
"""A list item's lead term ends with a colon or a dash within this many words."""
SHORT_ITEM_WORDS = 5
"""An item this short is a term by itself ("Persuasion and manipulation")."""
QUOTED_WORDS = 6
MIN_STEM = 4
"""A concept needs at least one telling word this long: "use" alone names nothing."""

_QUOTED = re.compile(r"[“\"‘]([^”\"’]{3,80})[”\"’]")
_LEAD_END = re.compile(r"\s*(?::|\s[–—-]\s)")
_NUMBERED = frozenset({"commitment", "measure", "sub-measure", "section", "appendix"})
_BOXES = frozenset(
    {"recital", "recital-box", "legal-text", "info-box", "kpi", "open-question", "box", "faq"}
)
"""Recitals and boxes: where a term that left binding text may still stand."""
_NOTES = frozenset({"explanatory"})
"""The drafters' notes on a draft are not part of it: what they name is not placed."""


@dataclass(frozen=True)
class ConceptLedger:
    """One draft's concepts, and what it takes to place any concept in that draft."""

    concepts: tuple[Concept, ...]
    levels: dict[str, int]
    """Each provision's level (see the module docstring)."""
    sentences: tuple[tuple[str, int], ...]
    """(provision, force) of each sentence, by index in the sentence index."""
    in_sentences: dict[str, frozenset[int]] = field(default_factory=dict)
    """Where each stem stands: the sentences that have it."""
    in_headings: dict[str, frozenset[str]] = field(default_factory=dict)
    """Where each stem stands: the provisions whose heading has it."""

    def place(self, key: tuple[str, ...]) -> ConceptPlace:
        """The strongest place where all of a concept's telling words stand together."""
        best = ConceptPlace(ABSENT, 0, None, -1)
        found = [self.in_sentences.get(stem, frozenset()) for stem in key]
        for position in frozenset.intersection(*found) if found else ():
            provision, force = self.sentences[position]
            here = ConceptPlace(self.levels[provision], force, provision, position)
            if (here.level, here.force, -position) > (best.level, best.force, -best.sentence):
                best = here
        headed = [self.in_headings.get(stem, frozenset()) for stem in key]
        for provision in sorted(frozenset.intersection(*headed) if headed else ()):
            if self.levels[provision] > best.level:
                best = ConceptPlace(self.levels[provision], 0, provision, -1)
        return best


def _key(text: str, lexicon: Lexicon) -> tuple[str, ...]:
    telling = sorted(
        {
            stem
            for word, stem in zip(text.lower().split(), stems(text, lexicon.stemmer), strict=False)
            if word.strip(",.;:()'\"“”‘’") not in lexicon.stop_words
        }
    )
    return tuple(telling) if any(len(s) >= MIN_STEM for s in telling) else ()


def _lead_term(item: Provision) -> str | None:
    words = item.text.split()
    if not words:
        return None
    if len(words) <= SHORT_ITEM_WORDS:
        return " ".join(words).rstrip(".;,")
    match = _LEAD_END.search(item.text)
    if match and len(item.text[: match.start()].split()) <= LEAD_TERM_WORDS:
        return item.text[: match.start()].strip()
    return None


def _names(provision: Provision) -> list[str]:
    """The terms a provision names."""
    found = []
    if provision.kind in _NUMBERED and provision.heading and provision.heading != provision.label:
        found.append(provision.heading)
    if provision.kind == "list-item":
        lead = _lead_term(provision)
        if lead:
            found.append(lead)
    found.extend(
        m.group(1)
        for m in _QUOTED.finditer(provision.text)
        if len(m.group(1).split()) <= QUOTED_WORDS
    )
    return found


def _level(provision: Provision, by_id: dict[str, Provision], lexicon: Lexicon) -> int:
    """How strongly a provision's text places what it names (see the module docstring)."""
    ancestors = []
    node = by_id.get(provision.parent or "")
    while node is not None:
        ancestors.append(node)
        node = by_id.get(node.parent or "")
    if provision.kind in _NOTES or any(a.kind in _NOTES for a in ancestors):
        return ABSENT
    if provision.binding:
        if provision.kind != "list-item":
            return BINDING_TEXT
        lead = provision.lead_in or ""
        return EXAMPLE_ITEM if gives_examples(lead, lexicon) else BINDING_ITEM
    kinds = {provision.kind, *(a.kind for a in ancestors if not a.binding)}
    # Only what the draft offers for consideration ranks above a recital or a box: a list
    # whose heading or lead-in says so.
    offered = any(
        lexicon.for_consideration.search(f"{p.heading} {p.lead_in or ''}")
        for p in (provision, *ancestors)
    )
    if offered and not kinds & _BOXES:
        return FOR_CONSIDERATION
    # A mention in an introduction or a drafting plan places nothing.
    return IN_A_BOX if kinds & _BOXES else ABSENT


def build_concepts(
    outline: Outline, side: str, index: SentenceIndex, lexicon: Lexicon, forces: dict[int, int]
) -> ConceptLedger:
    """The concepts a draft names, and where its words stand.

    ``forces``: the force of the duty each sentence states (the duty ledger), by index.
    """
    by_id = {p.id: p for p in outline.provisions}
    levels = {p.id: _level(p, by_id, lexicon) for p in outline.provisions}
    pool = index.pool(side)
    in_sentences: dict[str, set[int]] = {}
    for position, sentence in enumerate(pool):
        if levels[sentence.provision] != ABSENT:
            for stem in index.stems_of(side, position):
                in_sentences.setdefault(stem, set()).add(position)
    in_headings: dict[str, set[str]] = {}
    for provision in outline.provisions:
        if levels[provision.id] != ABSENT and provision.heading:
            for stem in stems(provision.heading, lexicon.stemmer):
                in_headings.setdefault(stem, set()).add(provision.id)
    concepts: dict[tuple[str, ...], Concept] = {}
    for provision in outline.provisions:
        if levels[provision.id] == ABSENT:
            continue
        for term in _names(provision):
            key = _key(term, lexicon)
            if key and key not in concepts:
                concepts[key] = Concept(key, " ".join(term.split()), provision.id)
    return ConceptLedger(
        concepts=tuple(concepts.values()),
        levels=levels,
        sentences=tuple((s.provision, forces.get(i, 0)) for i, s in enumerate(pool)),
        in_sentences={stem: frozenset(found) for stem, found in in_sentences.items()},
        in_headings={stem: frozenset(found) for stem, found in in_headings.items()},
    )
