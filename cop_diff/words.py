"""Words for comparing texts: lower-cased tokens and their stems (Snowball).

"drawing up" and "draw up" must count as the same words when deciding whether a
sentence survived into the next draft; the Snowball stemmers cover 30+ languages.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


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
