"""What every detector gets: both outlines, their alignment, the lexicon, and sentences.

Detectors compare the drafts sentence by sentence inside each aligned pair of
provisions: a sentence of the old provision is matched with its counterpart in the new
one (or found to have none), and the word diff of each matched pair is where modal
verbs, hedges, exemptions, numbers and scope words are compared.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from cop_diff.assignment import best_pairing
from cop_diff.concepts import ConceptLedger, build_concepts
from cop_diff.diff import word_diff
from cop_diff.labels import part_label
from cop_diff.ledger import Ledger, build_ledger
from cop_diff.lexicon import Lexicon
from cop_diff.model import Alignment, DiffOp, Direction, Finding, ListDiff, Outline, Provision
from cop_diff.sentences import SentenceIndex

SENTENCE_MATCH = 0.45
"""Two sentences this similar (TF-IDF cosine) are one sentence, edited."""
SENTENCE_ELSEWHERE = 0.6
"""A sentence this similar to one anywhere in the other draft has moved, not gone."""
VANISHED_SIMILARITY = 0.35
"""Below this similarity to any binding sentence of the other draft, a duty may be gone..."""
REWORDED = 0.25
"""Two unmatched sentences of one provision pair this similar are a loose rewording..."""
KEPT_CONTENT = 0.5
"""...which kept the duty if it kept at least this share of its weighted words."""
RESTATED = 0.8
"""A sentence whose words the other draft's sentence holds this share of is restated there."""
CONTEXT_WORDS = 5
"""Words of unchanged text kept on each side of a change in the evidence."""
RATIONALE_CHARS = 1200

_EXPLANATORY = frozenset({"explanatory"})
PAIRED = frozenset({"unchanged", "changed", "moved"})
LIST_KINDS = frozenset({"list-item", "recital"})


@dataclass(frozen=True)
class SentencePair:
    old: str
    new: str
    similarity: float
    ops: tuple[DiffOp, ...]
    old_index: int = -1
    new_index: int = -1


@dataclass(frozen=True)
class ProvisionPair:
    """An aligned pair of provisions and how their sentences correspond."""

    old: Provision
    new: Provision
    relation: str
    matched: tuple[SentencePair, ...]
    removed: tuple[tuple[int, str], ...]
    """Old sentences (index in ``SentenceIndex.old``, text) with no counterpart here."""
    added: tuple[tuple[int, str], ...]
    reworded: tuple[tuple[int, int], ...] = ()
    """(old, new) unmatched sentences similar enough to be a loose rewording of each other."""

    def partner(self, side: str, index: int) -> int | None:
        for old, new in self.reworded:
            if (old if side == "old" else new) == index:
                return new if side == "old" else old
        return None


@dataclass(frozen=True)
class RuleContext:
    old: Outline
    new: Outline
    alignment: tuple[Alignment, ...]
    lists: tuple[ListDiff, ...]
    lexicon: Lexicon
    sentences: SentenceIndex
    old_by_id: dict[str, Provision] = field(default_factory=dict)
    new_by_id: dict[str, Provision] = field(default_factory=dict)
    pairs: tuple[ProvisionPair, ...] = ()
    counterparts: dict[str, str] = field(default_factory=dict)
    """Old id -> new id of paired provisions (not merged or split)."""
    notes: dict[str, str] = field(default_factory=dict)
    """New provision id -> the text of its explanatory box ("Summary of changes")."""
    matched_old: frozenset[int] = frozenset()
    """Old sentences matched with a sentence of their counterpart provision."""
    matched_new: frozenset[int] = frozenset()
    matched_pairs: frozenset[tuple[int, int]] = frozenset()
    """(old, new) sentences matched within their aligned provisions: one sentence, edited.
    The rules that follow a duty across provisions leave these to the pairwise path."""
    ledger: Ledger = field(default_factory=lambda: Ledger((), (), ()))
    """Every binding statement of both drafts, and how they correspond."""
    concepts: tuple[ConceptLedger, ConceptLedger] = (
        ConceptLedger((), {}, ()),
        ConceptLedger((), {}, ()),
    )
    """The terms each draft names, and where they stand (old, new)."""
    claims: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    """Side -> for each sentence, its similarity to the sentence matched with it in the
    aligned provision (-1 if none): how firmly it is another sentence's counterpart."""
    _subtree_cache: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    """Filled on first use by ``subtree_sentences``: a cache, not state the rules share."""

    @classmethod
    def build(
        cls,
        old: Outline,
        new: Outline,
        alignment: tuple[Alignment, ...],
        lists: tuple[ListDiff, ...],
        lexicon: Lexicon,
    ) -> RuleContext:
        sentences = SentenceIndex(old, new, lexicon)
        old_by_id = {p.id: p for p in old.provisions}
        new_by_id = {p.id: p for p in new.provisions}
        counterparts = {
            a.old: a.new
            for a in alignment
            if a.old is not None and a.new is not None and a.relation in PAIRED
        }
        # The first relation of each pair, looked up in one pass (not one pass a pair).
        relations: dict[tuple[str, str], str] = {}
        for entry in alignment:
            if entry.old is not None and entry.new is not None:
                relations.setdefault((entry.old, entry.new), entry.relation)
        pairs = tuple(
            _pair_sentences(old_by_id[o], new_by_id[n], relations[o, n], sentences)
            for o, n in counterparts.items()
        )
        ledger = build_ledger(old, new, sentences, counterparts)
        notes: dict[str, str] = {}
        for provision in new.provisions:
            if provision.kind in _EXPLANATORY and provision.text and provision.parent:
                notes.setdefault(provision.parent, _trim(provision.text))
        return cls(
            old=old,
            new=new,
            alignment=alignment,
            lists=lists,
            lexicon=lexicon,
            sentences=sentences,
            old_by_id=old_by_id,
            new_by_id=new_by_id,
            pairs=pairs,
            counterparts=counterparts,
            notes=notes,
            matched_old=frozenset(m.old_index for p in pairs for m in p.matched),
            matched_new=frozenset(m.new_index for p in pairs for m in p.matched),
            matched_pairs=frozenset((m.old_index, m.new_index) for p in pairs for m in p.matched),
            claims=_claims(pairs, sentences),
            ledger=ledger,
            concepts=(
                build_concepts(old, "old", sentences, lexicon, _forces(ledger, "old")),
                build_concepts(new, "new", sentences, lexicon, _forces(ledger, "new")),
            ),
        )

    def subtree_sentences(self, side: str, provision: str) -> list[int]:
        """Indices of the sentences of a provision and of everything under it."""
        cache = self._subtree_cache.setdefault(side, {})
        if not cache:
            outline = self.old if side == "old" else self.new
            gathered: dict[str, list[int]] = {
                p.id: list(self.sentences.of(side, p.id)) for p in outline.provisions
            }
            for item in reversed(outline.provisions):
                if item.parent in gathered:
                    gathered[item.parent].extend(gathered[item.id])
            cache.update({key: tuple(value) for key, value in gathered.items()})
        return list(cache.get(provision, ()))

    def went_elsewhere(self, side: str, index: int) -> bool:
        """Whether a sentence moved to, or merged into, binding text elsewhere.

        A free sentence (one without a counterpart of its own) that resembles it is where
        it went. A sentence that already has a counterpart can only have absorbed it if it
        kept most of its words: two sentences joined into one.
        """
        taken = self.matched_new if side == "old" else self.matched_old
        if self.sentences.elsewhere(side, index, binding=True, taken=taken) >= VANISHED_SIMILARITY:
            return True
        best = self.sentences.best(side, index, binding=True)
        if best is None or best[1] < VANISHED_SIMILARITY:
            return False
        return self.sentences.kept_by(side, index, best[0]) >= KEPT_CONTENT

    def vanished(self, side: str, index: int, pair: ProvisionPair | None) -> bool:
        """A duty whose substance is nowhere in the other draft's binding text.

        Not just unmatched: no binding sentence of the other draft resembles it, and if
        the other provision has a loose rewording of it, that rewording kept less than
        half of its weighted words ("implement whistleblowing channels and protections"
        reworded as "not retaliate against workers" lost its substance).
        """
        if self.went_elsewhere(side, index):
            return False
        partner = pair.partner(side, index) if pair is not None else None
        if partner is None:
            return True
        return self.sentences.kept_by(side, index, partner) < KEPT_CONTENT

    def vanished_from(self, side: str, index: int, counterpart: str | None) -> bool:
        """A list item's sentence: gone unless something under the counterpart list (or
        any binding sentence of the other draft) is even a loose rewording of it."""
        if self.went_elsewhere(side, index):
            return False
        if counterpart is None:
            return True
        other = "new" if side == "old" else "old"
        candidates = self.subtree_sentences(other, counterpart)
        if not candidates:
            return True
        line = (
            self.sentences.similarity[index, candidates]
            if side == "old"
            else self.sentences.similarity[candidates, index]
        )
        return float(line.max()) < REWORDED

    def rationale(self, new_id: str | None) -> str | None:
        """The new draft's own note on a provision: the nearest explanatory box above it."""
        node = self.new_by_id.get(new_id or "")
        while node is not None:
            if node.id in self.notes:
                return self.notes[node.id]
            node = self.new_by_id.get(node.parent or "")
        return None

    def removed_provisions(self) -> Iterator[Provision]:
        for entry in self.alignment:
            if entry.relation == "removed" and entry.old is not None:
                yield self.old_by_id[entry.old]

    def added_provisions(self) -> Iterator[Provision]:
        for entry in self.alignment:
            if entry.relation == "added" and entry.new is not None:
                yield self.new_by_id[entry.new]


def _forces(ledger: Ledger, side: str) -> dict[int, int]:
    """The force of the duty each sentence of one draft states, by sentence index."""
    return {duty.sentence: duty.force for duty in (ledger.old if side == "old" else ledger.new)}


def _trim(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= RATIONALE_CHARS else flat[: RATIONALE_CHARS - 1] + "…"


def _claims(
    pairs: tuple[ProvisionPair, ...], index: SentenceIndex
) -> dict[str, NDArray[np.float64]]:
    claims = {"old": np.full(len(index.old), -1.0), "new": np.full(len(index.new), -1.0)}
    for pair in pairs:
        for matched in pair.matched:
            claims["old"][matched.old_index] = matched.similarity
            claims["new"][matched.new_index] = matched.similarity
    return claims


def assign(scores: NDArray[np.floating[Any]], *, flip: bool) -> list[tuple[int, int]]:
    """The one-to-one pairing of rows and columns with the highest total score.

    Ties can be broken either way; solving in one fixed orientation (``flip`` says the
    drafts came in the other one) breaks them alike whichever draft is called old.
    """
    if flip:
        return [(r, c) for c, r in best_pairing(scores.T)]
    return best_pairing(scores)


MAX_PAIRED_CELLS = 2000 * 2000
"""The largest pairing of sentences solved whole (100 MB or so): beyond, a provision or a
list of thousands of sentences a side is paired slice by slice (``pair_sentences``). The
real drafts' largest is 11 x 15 (First -> Second)."""


def pair_sentences(
    index: SentenceIndex, rows: list[int], cols: list[int], *, flip: bool
) -> list[tuple[int, int, np.float32]]:
    """``assign`` of old sentences ``rows`` with new ones ``cols``: (row, column, their
    similarity) by positions in ``rows`` and ``cols``.

    Past ``MAX_PAIRED_CELLS`` pairs, both are cut into as many consecutive slices as it
    takes, and each slice paired with its like in the other draft: sentences keep their
    order mostly, and the whole would take gigabytes and minutes.
    """
    parts = max(1, math.ceil(math.sqrt(len(rows) * len(cols) / MAX_PAIRED_CELLS)))
    paired: list[tuple[int, int, np.float32]] = []
    for row_part, col_part in zip(
        np.array_split(np.arange(len(rows)), parts),
        np.array_split(np.arange(len(cols)), parts),
        strict=True,
    ):
        if not len(row_part) or not len(col_part):
            continue
        scores = index.similarity[np.ix_(np.asarray(rows)[row_part], np.asarray(cols)[col_part])]
        paired.extend(
            (int(row_part[r]), int(col_part[c]), scores[r, c]) for r, c in assign(scores, flip=flip)
        )
    return paired


def _pair_sentences(
    old: Provision, new: Provision, relation: str, index: SentenceIndex
) -> ProvisionPair:
    rows, cols = index.of("old", old.id), index.of("new", new.id)
    matched: list[SentencePair] = []
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    if rows and cols:
        for r, c, similarity in pair_sentences(index, rows, cols, flip=old.text > new.text):
            if similarity >= SENTENCE_MATCH:
                a, b = index.old[rows[r]].text, index.new[cols[c]].text
                matched.append(
                    SentencePair(a, b, float(similarity), word_diff(a, b), rows[r], cols[c])
                )
                used_rows.add(r)
                used_cols.add(c)
    left = [r for r in range(len(rows)) if r not in used_rows]
    right = [c for c in range(len(cols)) if c not in used_cols]
    reworded: list[tuple[int, int]] = []
    if left and right:
        loose = pair_sentences(
            index, [rows[r] for r in left], [cols[c] for c in right], flip=old.text > new.text
        )
        for r, c, similarity in loose:
            if similarity >= REWORDED:
                reworded.append((rows[left[r]], cols[right[c]]))
    return ProvisionPair(
        old=old,
        new=new,
        relation=relation,
        matched=tuple(matched),
        removed=tuple((rows[r], index.old[rows[r]].text) for r in left),
        added=tuple((cols[c], index.new[cols[c]].text) for c in right),
        reworded=tuple(reworded),
    )


class Rule(Protocol):
    """A detector: one module with a code, a name and a docstring with examples."""

    code: str
    name: str

    def __call__(self, context: RuleContext) -> Iterator[Finding]: ...


# --- evidence ---------------------------------------------------------------------------------


def window(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> str:
    """``text[start:end]`` with a few whole words of context on each side."""
    before = text[:start].split()
    after = text[end:].split()
    head = " ".join(before[-words:])
    tail = " ".join(after[:words])
    prefix = "… " if len(before) > words else ""
    suffix = " …" if len(after) > words else ""
    return f"{prefix}{head} {text[start:end].strip()} {tail}{suffix}".strip()


def changed_spans(ops: tuple[DiffOp, ...]) -> Iterator[tuple[str, str, str, str]]:
    """Each change of a diff as (deleted, inserted, old evidence, new evidence).

    A deletion directly followed by an insertion is one replacement. The evidence is the
    changed words with a few unchanged words around them, in the old and new text.
    """
    old_text = "".join(op.text for op in ops if op.op != 1)
    new_text = "".join(op.text for op in ops if op.op != -1)
    old_at = new_at = 0
    i = 0
    while i < len(ops):
        op = ops[i]
        if op.op == 0:
            old_at += len(op.text)
            new_at += len(op.text)
            i += 1
            continue
        deleted = inserted = ""
        if op.op == -1:
            deleted = op.text
            if i + 1 < len(ops) and ops[i + 1].op == 1:
                inserted = ops[i + 1].text
                i += 1
        else:
            inserted = op.text
        i += 1
        yield (
            deleted,
            inserted,
            window(old_text, old_at, old_at + len(deleted)),
            window(new_text, new_at, new_at + len(inserted)),
        )
        old_at += len(deleted)
        new_at += len(inserted)


def edit_confidence(similarity: float) -> float:
    """How sure a change read inside a matched sentence is: sure when the rest of the
    sentence survived (similarity near 1), doubtful in a rewritten one."""
    return 0.2 + 0.7 * similarity


def finding(
    context: RuleContext,
    rule: str,
    direction: Direction,
    pair_or_ids: ProvisionPair | tuple[str | None, str | None],
    old_text: str,
    new_text: str,
    explanation: str,
    confidence: float,
    elsewhere: tuple[str, ...] = (),
) -> Finding:
    old_id: str | None
    new_id: str | None
    if isinstance(pair_or_ids, ProvisionPair):
        old_id, new_id = pair_or_ids.old.id, pair_or_ids.new.id
    else:
        old_id, new_id = pair_or_ids
    return Finding(
        rule=rule,
        direction=direction,
        old=old_id,
        new=new_id,
        old_text=old_text,
        new_text=new_text,
        explanation=explanation,
        confidence=round(max(0.0, min(confidence, 1.0)), 2),
        rationale=context.rationale(new_id) if new_id else None,
        elsewhere=elsewhere,
    )


def name(provision: Provision, by_id: dict[str, Provision]) -> str:
    """How an analyst refers to a provision: "Measure 4.5", "item (b) of Measure 2.3"."""
    if provision.kind in LIST_KINDS or provision.kind == "paragraph":
        parent = by_id.get(provision.parent or "")
        where = name(parent, by_id) if parent is not None else "the preamble"
        if provision.kind == "recital":
            return provision.label
        bare = "an item" if provision.label == "•" else f"item {provision.label}"
        what = part_label(provision) or bare
        return f"{what} of {where}" if provision.kind != "paragraph" else f"a paragraph of {where}"
    return provision.label


def titled_name(provision: Provision, by_id: dict[str, Provision]) -> str:
    """``name`` with the heading after it, unless the name is the heading already:
    "Measure 6.3 (Before deployment)", but "Explanation of changes", not twice."""
    what = name(provision, by_id)
    if provision.heading and provision.heading not in what:
        return f"{what} ({provision.heading})"
    return what


def restated_in(context: RuleContext, side: str, provisions: list[str]) -> tuple[str, ...]:
    """The provisions of the other draft's text that does not bind which restate these
    provisions' sentences: where demoted text went (or promoted text came from)."""
    index = context.sentences
    other = index.pool("new" if side == "old" else "old")
    places: dict[str, None] = {}
    for provision in provisions:
        for at in index.of(side, provision):
            best = index.best(side, at, binding=False)
            if best is not None and index.kept_by(side, at, best[0]) >= RESTATED:
                places[other[best[0]].provision] = None
    return tuple(places)


def quote(text: str, words: int = 10) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def position_map(ops: tuple[DiffOp, ...]) -> list[int]:
    """For each character offset of the old text, the offset of the same place in the new."""
    mapping: list[int] = []
    new_at = 0
    for op in ops:
        if op.op == 0:
            mapping.extend(range(new_at, new_at + len(op.text)))
            new_at += len(op.text)
        elif op.op == -1:
            mapping.extend([new_at] * len(op.text))
        else:
            new_at += len(op.text)
    mapping.append(new_at)
    return mapping
