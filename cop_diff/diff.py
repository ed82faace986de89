"""Word-level diff of two texts with diff-match-patch, and its rendering helpers."""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

try:
    # Google's C++ diff-match-patch behind the same algorithm: identical diffs, about 20x
    # faster on long rewritten provisions (scripts/bench.py); the pure-Python package is
    # the fallback where no wheel installs, and a test keeps the two in agreement.
    import fast_diff_match_patch
except ImportError:  # pragma: no cover - the wheel exists for the usual platforms
    fast_diff_match_patch = None

from typing import Literal

from cop_diff.model import DiffOp

Op = Literal[-1, 0, 1]

_TOKEN = re.compile(r"\s+|[^\W_]+|[^\s]", re.UNICODE)
# Tokens are mapped to characters from the private-use area on, clear of the surrogates;
# a draft has far fewer distinct words than the code points left above it.
_FIRST_CODE_POINT = 0xE000


def word_diff(old: str, new: str) -> tuple[DiffOp, ...]:
    """Diff at word granularity; the same edits whichever text is called old.

    diff-match-patch's result depends on the order of its arguments; the texts are
    diffed in a fixed order and the result inverted when needed, so that swapping two
    drafts mirrors every diff, and every finding read from one.
    """
    if old <= new:
        return _word_diff(old, new)
    return invert(_word_diff(new, old))


def invert(ops: tuple[DiffOp, ...]) -> tuple[DiffOp, ...]:
    """The diff from new to old; a replacement still reads deletion first."""
    inverted = [DiffOp(-op.op, op.text) for op in ops]
    for i in range(len(inverted) - 1):
        if inverted[i].op == 1 and inverted[i + 1].op == -1:
            inverted[i], inverted[i + 1] = inverted[i + 1], inverted[i]
    return tuple(inverted)


def _word_diff(old: str, new: str) -> tuple[DiffOp, ...]:
    """Diff at word granularity: words, spaces and punctuation are the units.

    diff-match-patch diffs characters; each distinct token is encoded as one character
    (as its line mode does for lines), diffed, cleaned up for people, and decoded.
    """
    if not old or not new or old == new:
        # All deleted, all inserted or all kept: what diff-match-patch would say, unencoded.
        sides: tuple[tuple[Op, str], ...] = ((0, old),) if old == new else ((-1, old), (1, new))
        return tuple(DiffOp(op, text) for op, text in sides if text)
    table: dict[str, str] = {}
    decoding: dict[int, str] = {}  # code point -> token, for str.translate

    def encode(text: str) -> str:
        found = _TOKEN.findall(text)
        for token in dict.fromkeys(found):  # new tokens numbered in order of appearance
            if token not in table:
                code = _FIRST_CODE_POINT + len(table)
                table[token] = chr(code)
                decoding[code] = token
        return "".join(map(table.__getitem__, found))

    diffs = semantic_diff(encode(old), encode(new))
    ops: list[DiffOp] = []
    for op, chars in diffs:
        text = chars.translate(decoding)
        if ops and ops[-1].op == op:
            ops[-1] = DiffOp(op, ops[-1].text + text)
        elif text:
            ops.append(DiffOp(op, text))
    return tuple(ops)


def semantic_diff(old: str, new: str, *, engine: str = "auto") -> list[tuple[Op, str]]:
    """diff-match-patch's character diff with semantic clean-up, as (op, text) pairs.

    Never cut short by wall-clock time (``Diff_Timeout`` 0), so always the same result.
    ``engine`` "python" forces the pure-Python package (for the agreement test).
    """
    if fast_diff_match_patch is not None and engine != "python":
        counts = fast_diff_match_patch.diff(
            old, new, timelimit=0, checklines=False, cleanup="Semantic", counts_only=True
        )
        result: list[tuple[Op, str]] = []
        at_old = at_new = 0
        for symbol, length in counts:
            if symbol == "=":
                result.append((0, old[at_old : at_old + length]))
                at_old += length
                at_new += length
            elif symbol == "-":
                result.append((-1, old[at_old : at_old + length]))
                at_old += length
            else:
                result.append((1, new[at_new : at_new + length]))
                at_new += length
        return result
    python_engine = diff_match_patch()
    python_engine.Diff_Timeout = 0
    diffs: list[tuple[Op, str]] = python_engine.diff_main(old, new, False)
    python_engine.diff_cleanupSemantic(diffs)
    return diffs


def rebuild(ops: tuple[DiffOp, ...], side: int) -> str:
    """The old (side=-1) or new (side=1) text from a diff."""
    return "".join(op.text for op in ops if op.op in (0, side))
