"""Tokens and stems: the C stemmer (PyStemmer) gives the pure-Python Snowball stems."""

from __future__ import annotations

from pathlib import Path

import snowballstemmer
from snowballstemmer.english_stemmer import EnglishStemmer

from cop_diff.extract import extract
from cop_diff.words import stems, tokens

ROOT = Path(__file__).resolve().parent.parent


def test_the_fast_stemmer_is_in_use() -> None:
    # snowballstemmer hands out PyStemmer's stemmers when it is installed (a dependency).
    assert type(snowballstemmer.stemmer("english")).__module__ == "Stemmer"


def test_stems_equal_the_pure_python_stemmer() -> None:
    words = {"drawing", "draws", "obligations", "signatories", "reasonable", "proportionate"}
    for name in ("sample-v1.pdf", "sample-v2.pdf", "sample-v3.pdf"):
        for block in extract(ROOT / "drafts" / name).blocks:
            words.update(tokens(block.text))
    reference = EnglishStemmer()
    assert len(words) > 500
    assert [stems(w) for w in sorted(words)] == [[reference.stemWord(w)] for w in sorted(words)]


def test_tokens_are_lower_case_words_without_punctuation() -> None:
    assert tokens("Signatories shall, where appropriate: (a) assess_risks") == [
        "signatories",
        "shall",
        "where",
        "appropriate",
        "a",
        "assess",
        "risks",
    ]
