"""Word-level diff of two texts with diff-match-patch, and its rendering helpers."""

from __future__ import annotations

import re

from diff_match_patch import diff_match_patch

from cop_diff.model import DiffOp

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
    table: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        chars = []
        for token in _TOKEN.findall(text):
            if token not in table:
                table[token] = chr(_FIRST_CODE_POINT + len(tokens))
                tokens.append(token)
            chars.append(table[token])
        return "".join(chars)

    engine = diff_match_patch()
    engine.Diff_Timeout = 0  # deterministic: never cut a diff short by wall-clock time
    diffs = engine.diff_main(encode(old), encode(new), False)
    engine.diff_cleanupSemantic(diffs)
    ops: list[DiffOp] = []
    for op, chars in diffs:
        text = "".join(tokens[ord(ch) - _FIRST_CODE_POINT] for ch in chars)
        if ops and ops[-1].op == op:
            ops[-1] = DiffOp(op, ops[-1].text + text)
        elif text:
            ops.append(DiffOp(op, text))
    return tuple(ops)


def rebuild(ops: tuple[DiffOp, ...], side: int) -> str:
    """The old (side=-1) or new (side=1) text from a diff."""
    return "".join(op.text for op in ops if op.op in (0, side))
