"""Sentences and words for comparing texts: sentences, lower-cased tokens and their stems
(Snowball).

"drawing up" and "draw up" must count as the same words when deciding whether a
sentence survived into the next draft; the Snowball stemmers cover 30+ languages.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[(\"“‘A-Z0-9])|\n{2,}")
ABBREVIATIONS = (
    "cf", "e.g", "i.e", "etc", "no", "nos", "art", "arts", "para", "paras", "p", "pp", "vs",
    "incl", "approx", "ca", "fig", "sec",
)  # fmt: skip
"""Words that end with a full stop without ending the sentence."""
_ABBREVIATION = re.compile(
    r"(?:\b(?:" + "|".join(map(re.escape, ABBREVIATIONS)) + r")\.)$", re.IGNORECASE
)
_ABBREVIATED = max(map(len, ABBREVIATIONS)) + 2
"""An abbreviation ends a sentence in its last characters (its full stop and the
character before it, for the word boundary): only those are searched."""


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
        if sentences and _ABBREVIATION.search(sentences[-1], len(sentences[-1]) - _ABBREVIATED):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return tuple(sentences)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    try:
        return snowballstemmer.stemmer(language)
    except KeyError:
        return snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 17)
def _stem(word: str, language: str) -> str:
    return str(_stemmer(language).stemWord(word))


def stems(text: str, language: str = "english") -> list[str]:
    # A draft has a few thousand distinct words but is stemmed sentence by sentence, many
    # times over: memoised per word, stemming went from 60% of the compare time to ~0.
    return [_stem(word, language) for word in tokens(text)]
