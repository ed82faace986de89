"""Every sentence of both drafts, and how alike any old one is to any new one.

Sentences are compared on their stems without modal verbs: "shall draw up" and "commit
to drawing up" are one sentence whose force changed, which the modal rule reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from cop_diff.lexicon import Lexicon
from cop_diff.model import Outline
from cop_diff.tfidf import TfIdf, cosine
from cop_diff.words import stems

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[(\"“‘A-Z0-9])|\n{2,}")
_ABBREVIATION = re.compile(
    r"(?:\b(?:cf|e\.g|i\.e|etc|no|nos|art|arts|para|paras|p|pp|vs|incl|approx|ca|fig|sec)\.)$",
    re.IGNORECASE,
)


TEXTS_MEMO = 1 << 14
"""Provision texts whose sentences are memoised: each is split when its draft's size is
checked (``pipeline.refuse_oversized``), again for the sentence index, and a list's
lead-in once more for each of its items (the duty ledger)."""


@lru_cache(maxsize=TEXTS_MEMO)
def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of a text; "(cf. Commitment 17)" and "e.g. Measure 2" do not end one."""
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip() if piece else ""
        if not piece:
            continue
        if sentences and _ABBREVIATION.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return tuple(sentences)


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
        # Which sentences bind, per side, as arrays: the masks of best() and elsewhere().
        self.binds = {
            "old": np.array([s.binding for s in self.old], dtype=bool),
            "new": np.array([s.binding for s in self.new], dtype=bool),
        }
        vectoriser = TfIdf(self.words)
        self.idf = vectoriser.idf
        self.similarity = self._similarities(vectoriser)

    def _words(self, text: str) -> list[str]:
        """Stems of the sentence without its modal verbs: "shall draw up" and "commit to
        drawing up" are one sentence whose force changed, which the modal rule reports."""
        return stems(self.lexicon.any_modal.sub(" ", text), self.lexicon.stemmer)

    def _similarities(self, vectoriser: TfIdf) -> NDArray[np.float32]:
        """TF-IDF cosine of every old sentence with every new one, in single precision:
        the largest matrix of a comparison (10,000 sentences a side: 400 MB so), whose
        values end in confidences rounded to two decimals."""
        if not self.old or not self.new:
            return np.zeros((len(self.old), len(self.new)), dtype=np.float32)
        old_words, new_words = self.words[: len(self.old)], self.words[len(self.old) :]
        return cosine(vectoriser.transform(old_words), vectoriser.transform(new_words), np.float32)

    def best(self, side: str, index: int, *, binding: bool) -> tuple[int, float] | None:
        """The most similar sentence of the other draft with the given binding force."""
        line = self.similarity[index] if side == "old" else self.similarity[:, index]
        mask = self.binds["new" if side == "old" else "old"] == binding
        if not mask.any():
            return None
        top = int(np.argmax(np.where(mask, line, -np.inf)))  # the first of equals, as max()
        return top, float(line[top])

    def kept_by(self, side: str, index: int, other: int) -> float:
        """Share of a sentence's weighted words (stems) that sentence ``other`` of the other
        draft kept."""
        words = set(self.stems_of(side, index))
        target = set(self.stems_of("new" if side == "old" else "old", other))
        total = sum(self.idf.get(w, 1.0) for w in words)
        if not total:
            return 1.0
        return sum(self.idf.get(w, 1.0) for w in words if w in target) / total

    def stems_of(self, side: str, index: int) -> list[str]:
        return self.words[index if side == "old" else len(self.old) + index]

    def of(self, side: str, provision: str) -> list[int]:
        return self.by_provision.get((side, provision), [])

    def pool(self, side: str) -> list[Sentence]:
        """Every sentence of one draft ("old" or "new"), indexed as everywhere here."""
        return self.old if side == "old" else self.new

    def texts(self, side: str, provision: str) -> list[str]:
        """The sentences of one provision's own text: reading them one by one reuses
        what the detectors memoised for each, where the provision's whole text would be
        read afresh."""
        pool = self.pool(side)
        return [pool[at].text for at in self.of(side, provision)]

    def elsewhere(
        self,
        side: str,
        index: int,
        *,
        binding: bool | None = None,
        taken: frozenset[int] = frozenset(),
        claims: NDArray[np.float64] | None = None,
    ) -> float:
        """The best similarity of a sentence to any sentence of the other draft.

        ``taken`` sentences of the other draft already have their own counterpart, so
        they cannot be where this one went; nor can those whose ``claims`` (the
        similarity to their own counterpart) is at least their similarity to this one.
        """
        line = self.similarity[index] if side == "old" else self.similarity[:, index]
        binds = self.binds["new" if side == "old" else "old"]
        mask = np.ones_like(binds) if binding is None else binds == binding
        if taken:
            mask[list(taken)] = False
        if claims is not None:
            mask &= claims < line
        return float(line[mask].max(initial=0.0)) if mask.any() else 0.0
