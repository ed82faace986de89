"""What every detector gets: both outlines, their alignment, the lexicon, and sentences.

Detectors compare the drafts sentence by sentence inside each aligned pair of
provisions: a sentence of the old provision is matched with its counterpart in the new
one (or found to have none), and the word diff of each matched pair is where modal
verbs, hedges, exemptions, numbers and scope words are compared.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix

from cop_diff.diff import word_diff
from cop_diff.lexicon import Lexicon
from cop_diff.model import Alignment, DiffOp, Direction, Finding, ListDiff, Outline, Provision
from cop_diff.words import stems

SENTENCE_MATCH = 0.45
"""Two sentences this similar (TF-IDF cosine) are one sentence, edited."""
SENTENCE_ELSEWHERE = 0.6
"""A sentence this similar to one anywhere in the other draft has moved, not gone."""
VANISHED_SIMILARITY = 0.35
"""Below this similarity to any binding sentence of the other draft, a duty may be gone..."""
REWORDED = 0.25
"""...and nothing in its counterpart provision is even this similar (a loose rewording)."""
CONTEXT_WORDS = 5
"""Words of unchanged text kept on each side of a change in the evidence."""
RATIONALE_CHARS = 1200

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[(\"“‘A-Z0-9])|\n{2,}")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_EXPLANATORY = frozenset({"explanatory"})
PAIRED = frozenset({"unchanged", "changed", "moved"})
LIST_KINDS = frozenset({"list-item", "recital"})


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class Sentence:
    side: str
    """"old" or "new"."""
    provision: str
    text: str
    binding: bool


class SentenceIndex:
    """Every sentence of both drafts, with a TF-IDF similarity for any old x new pair."""

    def __init__(self, old: Outline, new: Outline, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.old = [
            Sentence("old", p.id, s, p.binding)
            for p in old.provisions
            for s in split_sentences(p.text)
        ]
        self.new = [
            Sentence("new", p.id, s, p.binding)
            for p in new.provisions
            for s in split_sentences(p.text)
        ]
        self.by_provision: dict[tuple[str, str], list[int]] = {}
        for side, sentences in (("old", self.old), ("new", self.new)):
            for index, sentence in enumerate(sentences):
                self.by_provision.setdefault((side, sentence.provision), []).append(index)
        self.words = [self._words(s.text) for s in (*self.old, *self.new)]
        self.idf: dict[str, float] = {}
        self.similarity = self._similarities()

    def _words(self, text: str) -> list[str]:
        """Stems of the sentence without its modal verbs: "shall draw up" and "commit to
        drawing up" are one sentence whose force changed, which the modal rule reports."""
        for _, pattern in self.lexicon.modals:
            text = pattern.sub(" ", text)
        return stems(text, self.lexicon.stemmer)

    def _similarities(self) -> NDArray[np.float64]:
        documents = self.words
        frequency: Counter[str] = Counter()
        for words in documents:
            frequency.update(set(words))
        vocabulary = {word: i for i, word in enumerate(sorted(frequency))}
        count = len(documents) or 1
        idf = {w: math.log((1 + count) / (1 + n)) + 1 for w, n in frequency.items()}
        self.idf = idf

        def matrix(words_of: list[list[str]]) -> csr_matrix:
            rows, cols, values = [], [], []
            for row, words in enumerate(words_of):
                counts = Counter(words)
                weights = {w: (1 + math.log(n)) * idf[w] for w, n in counts.items()}
                norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
                for word, weight in weights.items():
                    rows.append(row)
                    cols.append(vocabulary[word])
                    values.append(weight / norm)
            return csr_matrix((values, (rows, cols)), shape=(len(words_of), len(vocabulary)))

        if not self.old or not self.new:
            return np.zeros((len(self.old), len(self.new)))
        old_words, new_words = documents[: len(self.old)], documents[len(self.old) :]
        return np.asarray((matrix(old_words) @ matrix(new_words).T).todense(), dtype=np.float64)

    def stems_of(self, side: str, index: int) -> list[str]:
        return self.words[index if side == "old" else len(self.old) + index]

    def of(self, side: str, provision: str) -> list[int]:
        return self.by_provision.get((side, provision), [])

    def elsewhere(self, side: str, index: int, *, binding: bool | None = None) -> float:
        """The best similarity of a sentence to any sentence of the other draft."""
        line = self.similarity[index] if side == "old" else self.similarity[:, index]
        others = self.new if side == "old" else self.old
        if binding is None:
            return float(line.max(initial=0.0))
        mask = np.array([s.binding == binding for s in others], dtype=bool)
        return float(line[mask].max(initial=0.0)) if mask.any() else 0.0


@dataclass(frozen=True)
class SentencePair:
    old: str
    new: str
    similarity: float
    ops: tuple[DiffOp, ...]


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
        pairs = tuple(
            _pair_sentences(old_by_id[o], new_by_id[n], _relation(alignment, o, n), sentences)
            for o, n in counterparts.items()
        )
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

    def vanished(self, side: str, index: int, counterpart: str | None) -> bool:
        """A sentence whose substance is nowhere in the other draft's binding text.

        Not just unmatched: no binding sentence of the other draft resembles it, and no
        sentence of its counterpart provision (or under it) is even a loose rewording
        of it: a duty reworded, or split over list items, is not gone.
        """
        if self.sentences.elsewhere(side, index, binding=True) >= VANISHED_SIMILARITY:
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


def _relation(alignment: tuple[Alignment, ...], old: str, new: str) -> str:
    return next(a.relation for a in alignment if a.old == old and a.new == new)


def _trim(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= RATIONALE_CHARS else flat[: RATIONALE_CHARS - 1] + "…"


def _pair_sentences(
    old: Provision, new: Provision, relation: str, index: SentenceIndex
) -> ProvisionPair:
    rows, cols = index.of("old", old.id), index.of("new", new.id)
    matched: list[SentencePair] = []
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    if rows and cols:
        sub = index.similarity[np.ix_(rows, cols)]
        for r, c in zip(*linear_sum_assignment(sub, maximize=True), strict=True):
            if sub[r, c] >= SENTENCE_MATCH:
                a, b = index.old[rows[r]].text, index.new[cols[c]].text
                matched.append(SentencePair(a, b, float(sub[r, c]), word_diff(a, b)))
                used_rows.add(r)
                used_cols.add(c)
    return ProvisionPair(
        old=old,
        new=new,
        relation=relation,
        matched=tuple(matched),
        removed=tuple(
            (rows[r], index.old[rows[r]].text) for r in range(len(rows)) if r not in used_rows
        ),
        added=tuple(
            (cols[c], index.new[cols[c]].text) for c in range(len(cols)) if c not in used_cols
        ),
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


def finding(
    context: RuleContext,
    rule: str,
    direction: Direction,
    pair_or_ids: ProvisionPair | tuple[str | None, str | None],
    old_text: str,
    new_text: str,
    explanation: str,
    confidence: float,
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
    )


def name(provision: Provision, by_id: dict[str, Provision]) -> str:
    """How an analyst refers to a provision: "Measure 4.5", "item (b) of Measure 2.3"."""
    if provision.kind in LIST_KINDS or provision.kind == "paragraph":
        parent = by_id.get(provision.parent or "")
        where = name(parent, by_id) if parent is not None else "the preamble"
        if provision.kind == "recital":
            return provision.label
        what = "an item" if provision.label == "•" else f"item {provision.label}"
        return f"{what} of {where}" if provision.kind != "paragraph" else f"a paragraph of {where}"
    return provision.label


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
