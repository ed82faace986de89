"""The duty ledger: every binding statement of a draft as a record, and how the records
of two drafts correspond.

A ``Duty`` says who bears it, how strongly it binds, what is to be done (the action: the
words after the modal, without purpose clauses or conditions), the conditions that limit
it, any relief it grants, and the quantities in it with their role. A list item whose
own words have no modal takes the force of the sentence that introduced its list
("Signatories shall: (a) ..."), or that of an example when the list is one of examples.

Duties are matched across the drafts many-to-many: each duty with the one of the other
draft most like it, the alignment of their provisions counting in favour but not
required. A duty is *kept* only when a match carries most of its action; a sentence that
is merely alike somewhere does not keep it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from cop_diff.lexical import MEMO, gives_examples, modals, phrases
from cop_diff.lexicon import Lexicon
from cop_diff.model import Condition, Duty, DutyMatch, Outline, Provision, Quantity, QuantityRole
from cop_diff.sentences import SentenceIndex
from cop_diff.tfidf import BLOCK_CELLS
from cop_diff.words import split_sentences, stems

MATCH_SIMILARITY = 0.25
"""Duties less alike than this (TF-IDF cosine) are not matched, however aligned."""
ALIGNED_BONUS = 0.1
"""How much alignment of their provisions counts for two duties, on top of likeness."""
ACTION_KEPT = 0.5
"""A duty is kept by a match that carries at least this share of its action."""
ACTION_OVERLAP = 0.25
"""Two duties one of whose actions holds the other's (a detail added or dropped) are one
duty if each still carries this share of the other's action."""
RESTATED = 0.7
"""A duty holding this share of another duty's action of the same draft restates it: what
carries the other carries it too."""
CLAUSE_WORDS = 14
"""A condition runs to the next punctuation, but never longer than this many words."""
KEY_LETTERS = 6
"""Letters of each stem that identify a condition across spelling variants."""
OPENER_REACH = 12
"""Characters before a condition's first word read for what opens a clause."""
CONTEXT_BEFORE = 60
"""Characters before a quantity read for its role ("within", "retain ... for")."""

_CLAUSE_END = re.compile(r"[,.](?!\d)|[;:)\]]|\s[–—-]\s")
"""Where a clause ends; not at the point or comma inside a number ("0.5 %", "1,000")."""
_OPENS_CLAUSE = re.compile(
    r"(?:^|[.!?,;(:—–]|\b(?:shall|must|will|should|may|to|and|or))\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class Ledger:
    """Both drafts' duties and their matches, with the lookups the detectors need."""

    old: tuple[Duty, ...]
    new: tuple[Duty, ...]
    matches: tuple[DutyMatch, ...]
    by_sentence: dict[tuple[str, int], int] = field(default_factory=dict)
    """(side, sentence index) -> position of the duty it states."""
    by_duty: dict[tuple[str, int], tuple[DutyMatch, ...]] = field(default_factory=dict)
    """(side, position) -> the matches of that duty."""

    def at(self, side: str, sentence: int) -> int | None:
        """The ledger position of the duty a sentence states, if it states one."""
        return self.by_sentence.get((side, sentence))

    def duty(self, side: str, position: int) -> Duty:
        return (self.old if side == "old" else self.new)[position]

    def across(self, side: str, match: DutyMatch) -> Duty:
        """The duty of the other draft in a match seen from ``side``."""
        return self.new[match.new] if side == "old" else self.old[match.old]

    def matches_of(self, side: str, position: int) -> tuple[DutyMatch, ...]:
        return self.by_duty.get((side, position), ())

    def between(self, old_sentence: int, new_sentence: int) -> DutyMatch | None:
        """The match of the duties two sentences state, if they state matched duties."""
        position = self.at("old", old_sentence)
        for match in self.matches_of("old", position if position is not None else -1):
            if self.new[match.new].sentence == new_sentence:
                return match
        return None

    def likeness(self, old_sentence: int, new_sentence: int, similarity: float) -> float:
        """How surely two sentences state one duty: ``similarity``, or more when their
        actions match though their conditions differ."""
        match = self.between(old_sentence, new_sentence)
        return max(similarity, match.likeness) if match is not None else similarity

    def kept(self, side: str, position: int) -> DutyMatch | None:
        """The match that carries most of a duty's action, if one carries enough."""
        best = max(self.matches_of(side, position), key=_share_of(side), default=None)
        return best if best is not None and _share_of(side)(best) >= ACTION_KEPT else None

    def carried(self, side: str, position: int) -> float:
        """The largest share of a duty's action that a duty of the other draft carries."""
        return max(map(_share_of(side), self.matches_of(side, position)), default=0.0)


def _share_of(side: str) -> Callable[[DutyMatch], float]:
    """How much of the ``side`` duty's action a match carries."""
    return (lambda m: m.kept) if side == "old" else (lambda m: m.gained)


def same_action(match: DutyMatch) -> bool:
    """Whether the two duties of a match ask for the same thing: one carries most of
    the other's action, and neither is mostly new."""
    return max(match.kept, match.gained) >= ACTION_KEPT and min(match.kept, match.gained) >= (
        ACTION_OVERLAP
    )


# --- reading one sentence ---------------------------------------------------------------


def _clause(text: str, start: int) -> int:
    """Where a clause that starts at ``start`` ends: the next punctuation, or a few words on."""
    match = _CLAUSE_END.search(text, start + 1)
    end = match.start() if match else len(text)
    words = list(re.finditer(r"\S+", text[start:end]))
    if len(words) > CLAUSE_WORDS:
        end = start + words[CLAUSE_WORDS - 1].end()
    return end


def _key(phrase: str, lexicon: Lexicon) -> tuple[str, ...]:
    telling = [
        w
        for w in phrase.lower().split()
        if w.strip(",.;:()") not in lexicon.hedge_fillers | lexicon.stop_words
    ]
    return tuple(s[:KEY_LETTERS] for s in stems(" ".join(telling or [phrase]), lexicon.stemmer))


@lru_cache(maxsize=MEMO)
def conditions(text: str, lexicon: Lexicon) -> tuple[Condition, ...]:
    """The conditions and limits of a sentence: its hedges (lexicon), and clauses that
    open like a condition ("where ...", "to the extent ...") after a comma, a modal or at
    the start, or that follow "only"."""
    spans: list[tuple[int, int]] = [m.span() for m in lexicon.hedges.finditer(text)]
    for match in lexicon.condition_openers.finditer(text):
        # Only the few characters before it tell: searching the whole prefix is slow.
        if _OPENS_CLAUSE.search(text[max(0, match.start() - OPENER_REACH) : match.start()]):
            spans.append((match.start(), _clause(text, match.start())))
    for match in lexicon.limiting.finditer(text):
        spans.append((match.start(), _clause(text, match.start())))
    found: list[Condition] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if any(c.start <= start and end <= c.end for c in found):
            continue  # a hedge inside a clause already taken
        phrase = " ".join(text[start:end].split())
        found.append(Condition(phrase, _key(phrase, lexicon), start, end))
    return tuple(found)


@lru_cache(maxsize=MEMO)
def quantities(text: str, lexicon: Lexicon) -> tuple[Quantity, ...]:
    """Periods and percentages, with the role the words before them give."""
    found: list[Quantity] = []
    for match in lexicon.quantity.finditer(text):
        raw = match.group("value").lower().replace(",", ".")
        value = lexicon.number_words.get(raw)
        if value is None:
            try:
                value = float(raw)
            except ValueError:
                continue
        unit = match.group("unit").lower()
        days = lexicon.time_units.get(unit)
        lead = text[max(0, match.start() - CONTEXT_BEFORE) : match.start()]
        role: QuantityRole = "other"
        if days is not None and lexicon.retention_context.search(lead):
            role = "retention"
        elif days is not None and lexicon.deadline_context.search(lead):
            role = "deadline"
        found.append(
            Quantity(
                value, unit, value * days if days else None, match.group(0), match.start(), role
            )
        )
    return tuple(found)


def _stated(text: str, lexicon: Lexicon) -> tuple[str, int, int, str] | None:
    """(bearer, force, where the action starts, modal) of a sentence that puts a duty,
    expectation or permission on someone; ``None`` for a description."""
    found = modals(text, lexicon)
    for modal in found:
        bearers = list(lexicon.duty_bearers.finditer(text[: modal.start]))
        if bearers:  # the nearest before the modal is the one it binds
            return bearers[-1].group(0), modal.strength, modal.end, modal.phrase
    # A passive duty ("Records shall be kept for five years") binds whoever it concerns.
    for modal in found:
        if modal.strength >= 2:
            return "", modal.strength, modal.end, modal.phrase
    return None


def _action(text: str, lexicon: Lexicon, found: tuple[Condition, ...]) -> str:
    """The words of the action: conditions and purpose clauses taken out."""
    cut = [(c.start, c.end) for c in found]
    for match in lexicon.purpose_openers.finditer(text):
        cut.append((match.start(), _clause(text, match.start())))
    kept, at = [], 0
    for start, end in sorted(cut):
        if start > at:
            kept.append(text[at:start])
        at = max(at, end)
    kept.append(text[at:])
    return " ".join(" ".join(kept).split())


def _lead(provision: Provision, by_id: dict[str, Provision]) -> str | None:
    """The sentence that introduced a list item's list, if it ends with a colon."""
    if provision.lead_in:
        return provision.lead_in
    parent = by_id.get(provision.parent or "")
    if parent is None:
        return None
    sentences = split_sentences(parent.text)
    return sentences[-1] if sentences and sentences[-1].rstrip().endswith(":") else None


def build_duties(
    outline: Outline, side: str, index: SentenceIndex, lexicon: Lexicon
) -> tuple[Duty, ...]:
    """The ledger of one draft: one record per binding sentence that states a duty."""
    by_id = {p.id: p for p in outline.provisions}
    pool = index.pool(side)
    duties: list[Duty] = []
    for position, sentence in enumerate(pool):
        if not sentence.binding:
            continue
        text = sentence.text
        provision = by_id[sentence.provision]
        stated = _stated(text, lexicon)
        found = conditions(text, lexicon)
        inherited = False
        if stated is not None:
            bearer, force, start, modal = stated
            action = _action(text[start:], lexicon, tuple(
                Condition(c.phrase, c.key, c.start - start, c.end - start)
                for c in found if c.start >= start
            ))  # fmt: skip
        else:
            lead = _lead(provision, by_id) if provision.kind == "list-item" else None
            introduced = _stated(lead, lexicon) if lead else None
            if lead is None or introduced is None:
                continue
            bearer, force, _, modal = introduced
            if gives_examples(lead, lexicon):
                force = 1  # one example among others binds no one to it
            action, inherited = _action(text, lexicon, found), True
        duties.append(
            Duty(
                side=side,
                sentence=position,
                provision=provision.id,
                bearer=bearer,
                force=force,
                modal=modal,
                action=action,
                conditions=found,
                relief=phrases(lexicon.relief, text),
                quantities=quantities(text, lexicon),
                inherited=inherited,
            )
        )
    return tuple(duties)


# --- matching across drafts -------------------------------------------------------------


def _share(words: set[str], other: set[str], idf: dict[str, float]) -> float:
    total = sum(idf.get(w, 1.0) for w in words)
    if not total:
        return 1.0
    return sum(idf.get(w, 1.0) for w in words if w in other) / total


def _carried(
    mine: set[str], theirs: set[str], claimant: set[str] | None, idf: dict[str, float]
) -> float:
    """Share of ``mine`` in ``theirs``; where ``theirs`` continues another duty of my draft
    (``claimant``), only what it holds beyond the claimant counts, unless I restated it."""
    if claimant is None or _share(mine, claimant, idf) >= RESTATED:
        return _share(mine, theirs, idf)
    return _share(mine, theirs - claimant, idf)


def _words_of(pool: list[set[str]], position: int | None) -> set[str] | None:
    return None if position is None else pool[position]


def match_duties(
    old: tuple[Duty, ...],
    new: tuple[Duty, ...],
    index: SentenceIndex,
    counterparts: dict[str, str],
    old_parent: dict[str, str | None],
    new_parent: dict[str, str | None],
) -> tuple[DutyMatch, ...]:
    """Each duty with its likeliest counterpart in the other draft, both ways round."""
    if not old or not new:
        return ()
    codes: dict[str, int] = {}

    def code(provision: str | None, missing: int) -> int:
        return missing if provision is None else codes.setdefault(provision, len(codes))

    # A provision and its parent, on each side; the old ones carried over by the alignment.
    old_places = (
        np.array([code(counterparts.get(d.provision), -1) for d in old]),
        np.array([code(counterparts.get(old_parent.get(d.provision) or ""), -1) for d in old]),
    )
    new_places = (
        np.array([code(d.provision, -2) for d in new]),
        np.array([code(new_parent.get(d.provision), -2) for d in new]),
    )
    old_sentences = [d.sentence for d in old]
    new_sentences = [d.sentence for d in new]

    def scores(rows: slice) -> NDArray[np.float64]:
        """The scores of some old duties with every new one: their similarity, and a bonus
        where their provisions (or parents) are aligned."""
        similarity = index.similarity[np.ix_(old_sentences[rows], new_sentences)]
        aligned = np.zeros_like(similarity, dtype=bool)
        for mine in old_places:
            for theirs in new_places:
                aligned |= mine[rows, None] == theirs[None, :]
        return similarity + ALIGNED_BONUS * aligned

    def pair(r: int, c: int) -> tuple[np.float32, bool, float]:
        """Similarity, aligned or not, and score of one pair, as ``scores`` has them."""
        similarity = index.similarity[old_sentences[r], new_sentences[c]]
        aligned = any(mine[r] == theirs[c] for mine in old_places for theirs in new_places)
        return similarity, aligned, float(similarity) + ALIGNED_BONUS * aligned

    # Each old duty's best new one, and each new duty's best old one (the first of equals,
    # as argmax), in blocks of old duties: all of them at once could be gigabytes.
    best_new = np.zeros(len(old), dtype=np.intp)
    best_old = np.zeros(len(new), dtype=np.intp)
    best_old_score = np.full(len(new), -np.inf)
    step = max(1, BLOCK_CELLS // len(new))
    everyone = np.arange(len(new))
    for start in range(0, len(old), step):
        rows = slice(start, start + step)
        block = scores(rows)
        best_new[rows] = np.argmax(block, axis=1)
        top = np.argmax(block, axis=0)
        better = block[top, everyone] > best_old_score
        best_old[better] = top[better] + start
        best_old_score[better] = block[top, everyone][better]
    pairs = {(r, int(c)) for r, c in enumerate(best_new)}
    pairs |= {(int(r), c) for c, r in enumerate(best_old)}

    words = [set(stems(d.action, index.lexicon.stemmer)) for d in old]
    new_words = [set(stems(d.action, index.lexicon.stemmer)) for d in new]
    matches = []
    for r, c in sorted(pairs):
        similarity, aligned, score = pair(r, c)
        if similarity < MATCH_SIMILARITY:
            continue
        # The duty each one continues better, if not this one: what it holds only
        # because it continues that duty does not keep this one.
        old_claimant = int(best_old[c]) if best_old_score[c] > score else None
        new_claimant = int(best_new[r]) if pair(r, int(best_new[r]))[2] > score else None
        matches.append(
            DutyMatch(
                old=r,
                new=c,
                similarity=float(similarity),
                kept=_carried(words[r], new_words[c], _words_of(words, old_claimant), index.idf),
                gained=_carried(
                    new_words[c], words[r], _words_of(new_words, new_claimant), index.idf
                ),
                aligned=aligned,
            )
        )
    return tuple(matches)


def build_ledger(
    old: Outline, new: Outline, index: SentenceIndex, counterparts: dict[str, str]
) -> Ledger:
    """Both drafts' duties, matched; ``counterparts`` maps aligned old ids to new ones."""
    lexicon = index.lexicon
    old_duties = build_duties(old, "old", index, lexicon)
    new_duties = build_duties(new, "new", index, lexicon)
    matches = match_duties(
        old_duties,
        new_duties,
        index,
        counterparts,
        {p.id: p.parent for p in old.provisions},
        {p.id: p.parent for p in new.provisions},
    )
    by_duty: dict[tuple[str, int], list[DutyMatch]] = {}
    for match in matches:
        by_duty.setdefault(("old", match.old), []).append(match)
        by_duty.setdefault(("new", match.new), []).append(match)
    return Ledger(
        old_duties,
        new_duties,
        matches,
        by_sentence={
            (side, duty.sentence): position
            for side, duties in (("old", old_duties), ("new", new_duties))
            for position, duty in enumerate(duties)
        },
        by_duty={key: tuple(found) for key, found in by_duty.items()},
    )
