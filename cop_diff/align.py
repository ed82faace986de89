"""Alignment: which provision of the new draft is which provision of the old one.

Numbers are not identities: drafts renumber, move measures between commitments, turn a
commitment into an appendix and merge several into one. Every pair of provisions gets a
score from all the signals (text, subtree text, heading, label, kind, position, parent),
and one global assignment per group (containers, boxes, list items and paragraphs)
picks the pairing with the highest total score (``assignment.best_pairing``), not
the first good-looking match; a pair that only stands because the assignment is one to
one, when one side's text went into another paired provision, gives way to a merge. What
stays unpaired is then checked for being merged into, or split out of, a paired
provision before it is called removed or added.

The result does not depend on which draft is called old: both orders are computed in
one canonical orientation and mirrored.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from cop_diff.assignment import best_pairing
from cop_diff.model import Alignment, AlignSettings, Outline, Provision, Relation, SparseRows
from cop_diff.tfidf import (
    BLOCK_CELLS,
    TfIdf,
    cosine,
    dense_product,
    sparse_rows,
    take_rows,
    transpose,
)
from cop_diff.words import tokens

UNUSUAL_KIND_FACTOR = 0.8
"""A commitment paired with a measure (when commitments usually stay commitments)."""
GROUPING_KINDS = frozenset({"part", "section", "chapter"})
LEAF_KINDS = frozenset({"list-item", "recital", "paragraph"})
BOX_KINDS = frozenset(
    {"legal-text", "recital-box", "explanatory", "kpi", "open-question", "info-box", "box"}
)

_MIRROR: dict[Relation, Relation] = {
    "removed": "added",
    "added": "removed",
    "merged": "split",
    "split": "merged",
}
KEPT_TEXT_SCORES = 1 << 22
"""The containers' text scores are made once for both passes up to this many pairs (a
matrix of 32 MB); a larger group makes them again rather than hold a second matrix of
hundreds of MB beside the scores and the assignment."""
MIN_CONTAINED_WORDS = 8
"""Below this many distinct words, a provision is too short to say where it went."""
MAX_CONTAINER_GROWTH = 6
"""A merge target may hold at most this many times the words of what merged into it."""
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def group_of(provision: Provision) -> str:
    if provision.kind in LEAF_KINDS:
        return "leaf"
    if provision.kind in BOX_KINDS:
        return "box"
    return "container"


def normalise(text: str) -> str:
    """Text for equality tests: whitespace, quote and dash styles do not count."""
    return " ".join(text.translate(_QUOTES).split())


# --- features -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Side:
    provisions: tuple[Provision, ...]
    own: SparseRows
    """TF-IDF rows of heading + text."""
    subtree: SparseRows
    """TF-IDF rows of heading + text + all descendants."""
    heading_tokens: tuple[frozenset[str], ...]
    position: NDArray[np.float64]
    """Document order scaled to [0, 1]."""
    index: dict[str, int]
    own_words: tuple[frozenset[str], ...]
    subtree_words: tuple[frozenset[str], ...]


def _subtree_tokens(provisions: Sequence[Provision], own: list[list[str]]) -> list[list[str]]:
    """Each provision's words followed by all its descendants' (children come later)."""
    index = {p.id: i for i, p in enumerate(provisions)}
    gathered = [list(words) for words in own]
    for i in range(len(provisions) - 1, -1, -1):
        parent = provisions[i].parent
        if parent is not None and parent in index:
            gathered[index[parent]] += gathered[i]
    return gathered


def _side(outline: Outline, vectoriser: TfIdf, own: list[list[str]]) -> _Side:
    """Features of one draft; ``own`` holds each provision's words (heading and text)."""
    provisions = outline.provisions
    subtree = _subtree_tokens(provisions, own)
    count = max(len(provisions) - 1, 1)
    return _Side(
        provisions=provisions,
        own=vectoriser.transform(own),
        subtree=vectoriser.transform(subtree),
        own_words=tuple(frozenset(words) for words in own),
        subtree_words=tuple(frozenset(words) for words in subtree),
        heading_tokens=tuple(frozenset(tokens(p.heading)) for p in provisions),
        position=np.arange(len(provisions), dtype=np.float64) / count,
        index={p.id: i for i, p in enumerate(provisions)},
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _label_similarity(a: Provision, b: Provision) -> float:
    if a.label == b.label:
        return 1.0
    if a.number and a.number == b.number:
        return 0.6
    return 0.0


# --- scoring ------------------------------------------------------------------------------


def _text_scores(
    old: _Side, new: _Side, rows: list[int], cols: list[int], group: str
) -> NDArray[np.float64]:
    """The weighted sum of the terms of every (old row, new col) pair of one group that
    do not depend on the pairs found so far: text, headings, labels and position. The
    two passes over the containers make it once.

    The weighted terms are made one at a time and added up in place, in the order of the
    formulas' sums: a group of 5,000 provisions has 25 million pairs, 200 MB a matrix.
    """
    if not rows or not cols:
        return np.zeros((len(rows), len(cols)))
    before = [old.provisions[r] for r in rows]
    after = [new.provisions[c] for c in cols]
    own = _similarities(old.own, new.own, rows, cols)
    if group == "container":
        # 0.40 subtree + 0.25 own + 0.20 headings + 0.10 labels + 0.05 position
        scores = _scaled(_similarities(old.subtree, new.subtree, rows, cols), 0.40)
        scores += _scaled(own, 0.25)
        del own
        scores += _scaled(
            _jaccard_matrix(
                [old.heading_tokens[r] for r in rows], [new.heading_tokens[c] for c in cols]
            ),
            0.20,
        )
        scores += _scaled(_label_matrix(before, after), 0.10)
        scores += _scaled(_position(old, new, rows, cols), 0.05)
    elif group == "box":
        scores = _scaled(own, 0.85)  # 0.85 own + 0.15 position
        scores += _scaled(_position(old, new, rows, cols), 0.15)
    else:
        scores = _scaled(own, 0.88)  # 0.88 own + 0.06 labels + 0.06 position
        scores += _scaled(_label_matrix(before, after), 0.06)
        scores += _scaled(_position(old, new, rows, cols), 0.06)
    return scores


def _pair_scores(
    old: _Side,
    new: _Side,
    rows: list[int],
    cols: list[int],
    group: str,
    parents: dict[int, int],
    usual: dict[str, str],
    settings: AlignSettings,
    scores: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Score every (old row, new col) pair of one group: its ``_text_scores``, changed in
    place, for kinds and for parents paired already.

    ``usual`` maps each old kind to the kind it usually became (from an earlier pass);
    a pair of those kinds is "of one kind" even when the names differ.
    """
    if not rows or not cols:
        return scores
    before = [old.provisions[r] for r in rows]
    after = [new.provisions[c] for c in cols]
    codes: dict[str, int] = {}
    old_kinds = np.array([codes.setdefault(p.kind, len(codes)) for p in before])
    new_kinds = np.array([codes.setdefault(p.kind, len(codes)) for p in after])
    overview_code = codes.setdefault("overview", len(codes))
    if group == "container":
        # An overview's copy is never the provision itself.
        overview = (old_kinds == overview_code)[:, None] != (new_kinds == overview_code)[None, :]
        became = np.array([codes.setdefault(usual.get(p.kind, p.kind), len(codes)) for p in before])
        unusual = became[:, None] != new_kinds[None, :]
        np.multiply(scores, UNUSUAL_KIND_FACTOR, out=scores, where=unusual)
        np.copyto(scores, 0.0, where=overview)
    else:
        factor = 0.7 if group == "box" else 0.9
        np.multiply(scores, factor, out=scores, where=old_kinds[:, None] != new_kinds[None, :])
    # Children of paired parents: parts and sections group loosely, so a shared numbered
    # parent says more.
    old_parents = [old.index.get(p.parent or "") for p in before]
    counterpart = np.array([parents.get(r, -1) if r is not None else -2 for r in old_parents])
    bonus = np.array(
        [
            0.0
            if r is None
            else settings.parent_bonus / 2
            if old.provisions[r].kind in GROUPING_KINDS
            else settings.parent_bonus
            for r in old_parents
        ]
    )
    new_parents = np.array([new.index.get(p.parent or "", -3) for p in after])
    shared_parent = counterpart[:, None] == new_parents[None, :]
    np.add(scores, np.broadcast_to(bonus[:, None], scores.shape), out=scores, where=shared_parent)
    return np.minimum(scores, 1.0, out=scores)


def _scaled(matrix: NDArray[np.float64], weight: float) -> NDArray[np.float64]:
    """``weight * matrix``, in the matrix's own memory (it is not used again)."""
    matrix *= weight
    return matrix


def _position(old: _Side, new: _Side, rows: list[int], cols: list[int]) -> NDArray[np.float64]:
    """How near two provisions stand in their drafts: 1 - |difference of positions|."""
    distance = old.position[rows][:, None] - new.position[cols][None, :]
    np.abs(distance, out=distance)
    return np.subtract(1.0, distance, out=distance)


def _jaccard_matrix(left: list[frozenset[str]], right: list[frozenset[str]]) -> NDArray[np.float64]:
    """``_jaccard`` of every pair of word sets, 0 where either set is empty."""
    vocabulary = {w: i for i, w in enumerate(sorted(set().union(*left, *right)))}

    def binary(sets: list[frozenset[str]]) -> SparseRows:
        return sparse_rows([[vocabulary[w] for w in words] for words in sets], len(vocabulary))

    # The counts of shared words, turned into ratios in place, a block of rows at a time;
    # where the union is empty, so is what they share: 0.
    ratio = dense_product(binary(left), transpose(binary(right)))
    sizes_left = np.array([len(s) for s in left], dtype=np.float64)[:, None]
    sizes_right = np.array([len(s) for s in right], dtype=np.float64)[None, :]
    step = max(1, BLOCK_CELLS // max(1, len(right)))
    for start in range(0, len(left), step):
        shared = ratio[start : start + step]
        union = sizes_left[start : start + step] + sizes_right
        union -= shared
        np.divide(shared, union, out=shared, where=union > 0)
    return ratio


def _label_matrix(before: list[Provision], after: list[Provision]) -> NDArray[np.float64]:
    """``_label_similarity`` of every pair: 1 for the same label, 0.6 for the same number."""
    codes: dict[str | None, int] = {None: -1, "": -1}  # no number is no match
    old_labels, new_labels = (
        np.array([codes.setdefault(p.label, len(codes)) for p in side], dtype=np.int64)
        for side in (before, after)
    )
    old_numbers, new_numbers = (
        np.array([codes.setdefault(p.number, len(codes)) for p in side], dtype=np.int64)
        for side in (before, after)
    )
    matrix = np.zeros((len(before), len(after)))
    same_number = old_numbers[:, None] == new_numbers[None, :]
    same_number &= (old_numbers != -1)[:, None]
    matrix[same_number] = 0.6
    del same_number
    matrix[old_labels[:, None] == new_labels[None, :]] = 1.0
    return matrix


def _assign(scores: NDArray[np.float64], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs (row, col, score) of the assignment with the highest total score."""
    return [
        (r, c, float(scores[r, c])) for r, c in best_pairing(scores) if scores[r, c] >= threshold
    ]


@dataclass(frozen=True)
class _GroupScores:
    """Scores of every old x new pair of one group of provisions."""

    group: str
    rows: list[int]
    cols: list[int]
    matrix: NDArray[np.float64]
    threshold: float


def _members(old: _Side, new: _Side, group: str) -> tuple[list[int], list[int]]:
    """The provisions of one group, on each side (rows and cols of its matrices)."""
    rows = [i for i, p in enumerate(old.provisions) if group_of(p) == group]
    cols = [i for i, p in enumerate(new.provisions) if group_of(p) == group]
    return rows, cols


def _score_group(
    old: _Side,
    new: _Side,
    group: str,
    parents: dict[int, int],
    usual: dict[str, str],
    settings: AlignSettings,
    text_scores: NDArray[np.float64] | None = None,
) -> _GroupScores:
    """``text_scores``: the group's ``_text_scores`` when made already, changed in place."""
    rows, cols = _members(old, new, group)
    threshold = {
        "container": settings.container_threshold,
        "box": settings.box_threshold,
        "leaf": settings.leaf_threshold,
    }[group]
    if text_scores is None:
        text_scores = _text_scores(old, new, rows, cols, group)
    matrix = _pair_scores(old, new, rows, cols, group, parents, usual, settings, text_scores)
    return _GroupScores(group, rows, cols, matrix, threshold)


def _similarities(
    old: SparseRows, new: SparseRows, rows: list[int], cols: list[int]
) -> NDArray[np.float64]:
    """Text similarity of a group's pairs only: comparing a list item with a commitment
    is wasted work at scale."""
    return cosine(take_rows(old, rows), take_rows(new, cols))


def _pairs(
    scores: _GroupScores, a: _Side, b: _Side, vectoriser: TfIdf, settings: AlignSettings
) -> dict[int, tuple[int, float]]:
    """One-to-one pairs of a group, where a merge does not pass for a pair.

    When several provisions went into one, the assignment gives it to one of them and
    pushes another onto its second-best counterpart. Such a pair gives way (see
    ``_gives_way``); the provisions it frees and the unpaired ones are assigned again,
    without the ones that merged or split, so this ends.
    """
    matrix, threshold = scores.matrix, scores.threshold
    pairs = {r: (c, score) for r, c, score in _assign(matrix, threshold)}
    if scores.group == "leaf":
        return _positions_to_indices(pairs, scores)
    # Not for list items: they resemble each other by their shared form (see ``_absorbing``).
    words = _GroupWords(a, b, scores, vectoriser, settings)
    gone_rows: set[int] = set()
    gone_cols: set[int] = set()
    while True:
        rows, cols = _gives_way(pairs, matrix, words)
        if not rows and not cols:
            return _positions_to_indices(pairs, scores)
        gone_rows |= rows
        gone_cols |= cols
        pairs = {r: (c, s) for r, (c, s) in pairs.items() if r not in rows and c not in cols}
        taken = {c for c, _ in pairs.values()}
        free_rows = [r for r in range(matrix.shape[0]) if r not in pairs and r not in gone_rows]
        free_cols = [c for c in range(matrix.shape[1]) if c not in taken and c not in gone_cols]
        for i, j, score in _assign(matrix[np.ix_(free_rows, free_cols)], threshold):
            pairs[free_rows[i]] = (free_cols[j], score)


def _positions_to_indices(
    pairs: dict[int, tuple[int, float]], scores: _GroupScores
) -> dict[int, tuple[int, float]]:
    """Pairs by positions in the group's matrix -> by provision indices."""
    return {scores.rows[r]: (scores.cols[c], score) for r, (c, score) in pairs.items()}


@dataclass(frozen=True)
class _GroupWords:
    """Where the words of a group's provisions went, to tell a merge from a pair."""

    a: _Side
    b: _Side
    scores: _GroupScores
    vectoriser: TfIdf
    settings: AlignSettings

    def went_into(self, side: int, position: int, target: int, partner: int) -> bool:
        """Whether provision ``position`` (a row when ``side`` is 0, a column when 1)
        went into ``target`` of the other draft rather than to its ``partner``: the
        target holds as many of its weighted words as calling an unpaired provision
        merged takes (``containment_threshold``), and more than the partner does."""
        own = self.a if side == 0 else self.b
        index = (self.scores.rows, self.scores.cols)[side][position]
        weights = _weighted_words(own, index, self.vectoriser)
        share = self._share(side, weights, target)
        threshold = self.settings.containment_threshold
        return share >= threshold and share > self._share(side, weights, partner)

    def _share(self, side: int, weights: dict[str, float], other: int) -> float:
        """The share of ``weights`` held by ``other`` (a group position of the other draft)."""
        far = self.b if side == 0 else self.a
        target = (self.scores.cols, self.scores.rows)[side][other]
        if not _may_hold(far, target, weights):
            return 0.0
        held = _held_words(far, target)
        return sum(w for word, w in weights.items() if word in held) / sum(weights.values())


def _gives_way(
    pairs: dict[int, tuple[int, float]], matrix: NDArray[np.float64], words: _GroupWords
) -> tuple[set[int], set[int]]:
    """The rows and columns (group positions) of pairs that merged into, or split from,
    another pair instead.

    A provision is no pair with its partner when its best match is another paired
    provision that its text went into (``_GroupWords.went_into``): its partner only
    came second because the assignment is one to one. A provision whose target pair
    gives way itself waits for the next round.
    """
    col_of = {r: c for r, (c, _) in pairs.items()}
    row_of = {c: r for r, c in col_of.items()}
    moves: list[tuple[int, int, int]] = []  # side, position, row of the pair it joins
    for side, partner_of, holder_of in ((0, col_of, row_of), (1, row_of, col_of)):
        for position, partner in sorted(partner_of.items()):
            best = int(np.argmax(matrix[position] if side == 0 else matrix[:, position]))
            taken = best != partner and best in holder_of
            if taken and words.went_into(side, position, best, partner):
                moves.append((side, position, holder_of[best] if side == 0 else best))
    leaving = {position if side == 0 else row_of[position] for side, position, _ in moves}
    moves = [move for move in moves if move[2] not in leaving]
    return (
        {position for side, position, _ in moves if side == 0},
        {position for side, position, _ in moves if side == 1},
    )


def _monotonic(anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of anchors in the same order in both drafts (sorted by old)."""
    tails: list[int] = []
    tail_at: list[int] = []
    previous = [-1] * len(anchors)
    for i, (_, col) in enumerate(anchors):
        k = bisect.bisect_left(tails, col)
        if k == len(tails):
            tails.append(col)
            tail_at.append(i)
        else:
            tails[k] = col
            tail_at[k] = i
        previous[i] = tail_at[k - 1] if k else -1
    chain: list[tuple[int, int]] = []
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        chain.append(anchors[i])
        i = previous[i]
    return chain[::-1]


def _resembles_no_paired(
    line: NDArray[np.float64], paired: Iterable[int], at: dict[int, int], threshold: float
) -> bool:
    """True when a provision (its ``line`` of scores) resembles no paired provision of
    the other draft enough to have merged into it (or split from it)."""
    return all(line[at[other]] < threshold for other in paired if other in at)


def _fill_gaps(
    pairs: dict[int, tuple[int, float]],
    scores: _GroupScores,
    threshold: float,
    kinds: tuple[list[str], list[str]],
) -> dict[int, tuple[int, float]]:
    """Pair rewritten provisions that stayed in place between two paired neighbours.

    When Measures 10.10 and 10.12 pair with II.4.12 and II.4.14, a heavily rewritten
    10.11 between them is II.4.13 if the two are of one kind (after renaming: a First
    Draft measure is a Second Draft commitment) and resemble each other at all.
    Neighbours are the pairs that keep their order in both drafts.
    """
    row_at = {row: i for i, row in enumerate(scores.rows)}
    col_at = {col: j for j, col in enumerate(scores.cols)}
    filled = dict(pairs)
    taken = {c for c, _ in pairs.values()}
    anchors = _monotonic(sorted((r, c) for r, (c, _) in pairs.items()))
    bounds = [
        (-1, -1),
        *anchors,
        (max(scores.rows, default=0) + 1, max(scores.cols, default=0) + 1),
    ]
    for (r0, c0), (r1, c1) in itertools.pairwise(bounds):
        # A provision that scores high enough against an already paired one merged into
        # it (or split from it); it is not a rewrite of whatever sits in the gap.
        gap_rows = [
            r
            for r in scores.rows
            if r0 < r < r1
            and r not in filled
            and _resembles_no_paired(scores.matrix[row_at[r]], taken, col_at, scores.threshold)
        ]
        gap_cols = [
            c
            for c in scores.cols
            if c0 < c < c1
            and c not in taken
            and _resembles_no_paired(scores.matrix[:, col_at[c]], filled, row_at, scores.threshold)
        ]
        if not gap_rows or not gap_cols:
            continue
        sub = scores.matrix[np.ix_([row_at[r] for r in gap_rows], [col_at[c] for c in gap_cols])]
        for i, j in itertools.product(range(len(gap_rows)), range(len(gap_cols))):
            if kinds[0][gap_rows[i]] != kinds[1][gap_cols[j]]:
                sub[i, j] = 0.0
        for i, j, score in _assign(sub, threshold):
            filled[gap_rows[i]] = (gap_cols[j], score)
            taken.add(gap_cols[j])
    return filled


def _fill_list_gaps(
    a: _Side,
    b: _Side,
    pairs: dict[int, tuple[int, float]],
    scores: _GroupScores,
    parents: dict[int, int],
    settings: AlignSettings,
) -> dict[int, tuple[int, float]]:
    """Within each pair of aligned lists, pair a rewritten item between two kept ones.

    "Large-scale, harmful manipulation" rewritten as "Harmful manipulation", third in
    both lists, between two items that stayed, is the same risk.
    """
    row_at = {row: i for i, row in enumerate(scores.rows)}
    col_at = {col: j for j, col in enumerate(scores.cols)}
    old_lists: dict[int, list[int]] = {}
    new_lists: dict[int, list[int]] = {}
    for row in scores.rows:
        parent = a.index.get(a.provisions[row].parent or "")
        if parent is not None:
            old_lists.setdefault(parent, []).append(row)
    for col in scores.cols:
        parent = b.index.get(b.provisions[col].parent or "")
        if parent is not None:
            new_lists.setdefault(parent, []).append(col)
    filled = dict(pairs)
    taken = {c for c, _ in pairs.values()}
    for old_parent, new_parent in parents.items():
        rows, cols = old_lists.get(old_parent, []), new_lists.get(new_parent, [])
        kept = [
            (rows.index(r), cols.index(filled[r][0]))
            for r in rows
            if r in filled and filled[r][0] in cols
        ]
        bounds = [(-1, -1), *_monotonic(kept), (len(rows), len(cols))]
        for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
            gap_rows = [r for r in rows[i0 + 1 : i1] if r not in filled]
            gap_cols = [c for c in cols[j0 + 1 : j1] if c not in taken]
            if not gap_rows or not gap_cols:
                continue
            sub = scores.matrix[
                np.ix_([row_at[r] for r in gap_rows], [col_at[c] for c in gap_cols])
            ]
            for i, j, score in _assign(sub, settings.leaf_gap_threshold):
                filled[gap_rows[i]] = (gap_cols[j], score)
                taken.add(gap_cols[j])
    return filled


# --- alignment ------------------------------------------------------------------------------


def align(
    old: Outline, new: Outline, settings: AlignSettings | None = None
) -> tuple[Alignment, ...]:
    """Align two outlines; swapping them mirrors the result exactly."""
    settings = settings or AlignSettings()
    if _identity(old) > _identity(new):
        result = tuple(_mirror(a) for a in _align_canonical(new, old, settings))
    else:
        result = _align_canonical(old, new, settings)
    return _in_reading_order(result, old, new)


_PAIRED_FIRST: dict[Relation, int] = {"unchanged": 0, "changed": 0, "moved": 0, "merged": 1}


def _in_reading_order(
    alignment: tuple[Alignment, ...], old: Outline, new: Outline
) -> tuple[Alignment, ...]:
    """Old provisions in document order (each one's pairing first), then the added ones."""
    old_at = {p.id: i for i, p in enumerate(old.provisions)}
    new_at = {p.id: i for i, p in enumerate(new.provisions)}
    unknown = len(old_at) + len(new_at)

    def key(entry: Alignment) -> tuple[int, int, int]:
        old_index = old_at[entry.old] if entry.old is not None else unknown
        new_index = new_at[entry.new] if entry.new is not None else -1
        return (old_index, _PAIRED_FIRST.get(entry.relation, 2), new_index)

    return tuple(sorted(alignment, key=key))


def _identity(outline: Outline) -> tuple[str, str]:
    """Which draft goes first in the canonical orientation: by file content, and for
    drafts built in memory (no real hash) by their provisions."""
    content = hashlib.sha256(
        "\x1f".join(f"{p.id}\x1e{p.heading}\x1e{p.text}" for p in outline.provisions).encode()
    ).hexdigest()
    return outline.document.sha256, content


def _mirror(alignment: Alignment) -> Alignment:
    return Alignment(
        old=alignment.new,
        new=alignment.old,
        relation=_MIRROR.get(alignment.relation, alignment.relation),
        score=alignment.score,
    )


def _align_canonical(old: Outline, new: Outline, settings: AlignSettings) -> tuple[Alignment, ...]:
    words = [[tokens(f"{p.heading} {p.text}") for p in o.provisions] for o in (old, new)]
    vectoriser = TfIdf([*words[0], *words[1]])
    a, b = _side(old, vectoriser, words[0]), _side(new, vectoriser, words[1])

    # Containers first, twice: the second pass rewards children of paired parents and
    # knows which kinds became which ("Measure N" -> "Commitment N").
    parents: dict[int, int] = {}
    usual: dict[str, str] = {}
    pairs: dict[int, tuple[int, float]] = {}
    groups: dict[str, _GroupScores] = {}
    rows, cols = _members(a, b, "container")
    kept = (
        _text_scores(a, b, rows, cols, "container")
        if len(rows) * len(cols) <= KEPT_TEXT_SCORES
        else None
    )
    for second in (False, True):
        groups.pop("container", None)  # the first pass's scores: not kept beside the second's
        text = None if kept is None else kept if second else kept.copy()
        groups["container"] = _score_group(a, b, "container", parents, usual, settings, text)
        pairs = _pairs(groups["container"], a, b, vectoriser, settings)
        parents = {r: c for r, (c, _) in pairs.items()}
        usual = _usual_kinds(a, b, pairs)
    kinds = ([usual.get(p.kind, p.kind) for p in a.provisions], [p.kind for p in b.provisions])
    pairs = _fill_gaps(pairs, groups["container"], settings.gap_threshold, kinds)
    parents = {r: c for r, (c, _) in pairs.items()}
    for group in ("box", "leaf"):
        groups[group] = _score_group(a, b, group, parents, usual, settings)
        found = _pairs(groups[group], a, b, vectoriser, settings)
        if group == "leaf":
            found = _fill_list_gaps(a, b, found, groups[group], parents, settings)
        pairs.update(found)
        parents.update({r: c for r, (c, _) in found.items()})

    return _relations(a, b, pairs, parents, groups, vectoriser, settings)


def _relations(
    a: _Side,
    b: _Side,
    pairs: dict[int, tuple[int, float]],
    parents: dict[int, int],
    groups: dict[str, _GroupScores],
    vectoriser: TfIdf,
    settings: AlignSettings,
) -> tuple[Alignment, ...]:
    paired_new = {c: r for r, (c, _) in pairs.items()}
    usual_kinds = _usual_kinds(a, b, pairs)
    postings_old, postings_new = _Postings.of(a), _Postings.of(b)
    paired_old_set, paired_new_set = set(pairs), set(paired_new)

    def went_into(
        side: _Side, other: _Side, index: int, paired: set[int], postings: _Postings
    ) -> tuple[int, float] | None:
        """Where an unpaired provision went (old side) or came from (new side), if
        anywhere: the paired provision it resembles, or the one that holds its words."""
        provision = side.provisions[index]
        found = None
        if len(side.own_words[index]) >= MIN_CONTAINED_WORDS:
            scores = groups[group_of(provision)]
            found = _absorbing(index, scores, paired, along_rows=side is a)
        return found or _containing(provision, side, other, vectoriser, settings, paired, postings)

    result: list[Alignment] = []
    for r, provision in enumerate(a.provisions):
        if r in pairs:
            c, score = pairs[r]
            relation = _pair_relation(a, b, r, c, parents, usual_kinds)
            result.append(Alignment(provision.id, b.provisions[c].id, relation, round(score, 4)))
            continue
        target = went_into(a, b, r, paired_new_set, postings_new)
        if target is not None:
            c, share = target
            result.append(Alignment(provision.id, b.provisions[c].id, "merged", round(share, 4)))
        else:
            result.append(Alignment(provision.id, None, "removed", 1.0))
    for c, provision in enumerate(b.provisions):
        if c in paired_new:
            continue
        source = went_into(b, a, c, paired_old_set, postings_old)
        if source is not None:
            r, share = source
            result.append(Alignment(a.provisions[r].id, provision.id, "split", round(share, 4)))
        else:
            result.append(Alignment(None, provision.id, "added", 1.0))
    return tuple(result)


def _absorbing(
    index: int, scores: _GroupScores, paired: set[int], *, along_rows: bool
) -> tuple[int, float] | None:
    """The paired provision an unpaired one resembles well enough to have merged into.

    The assignment pairs one to one; a provision that lost out to another for the
    same counterpart, with a score that would have paired it, merged into it.
    """
    own, other = (scores.rows, scores.cols) if along_rows else (scores.cols, scores.rows)
    if index not in own or scores.group == "leaf":
        # Two list items resemble each other by their shared form ("Risks of ..."); only
        # the containment test (``_containing``) may say one merged into another.
        return None
    line = scores.matrix[own.index(index), :] if along_rows else scores.matrix[:, own.index(index)]
    best: tuple[int, float] | None = None
    for position, score in enumerate(line):
        eligible = other[position] in paired and score >= scores.threshold
        if eligible and (best is None or score > best[1]):
            best = (other[position], float(score))
    return best


def _usual_kinds(a: _Side, b: _Side, pairs: dict[int, tuple[int, float]]) -> dict[str, str]:
    """For each kind of the old draft, the kind its provisions usually become.

    When a draft renames its levels ("Measure N" -> "Commitment N"), every measure
    changes kind and none has moved; a commitment that became an appendix has.
    """
    mappings: dict[str, Counter[str]] = {}
    for r, (c, _) in pairs.items():
        mappings.setdefault(a.provisions[r].kind, Counter())[b.provisions[c].kind] += 1
    return {kind: counts.most_common(1)[0][0] for kind, counts in sorted(mappings.items())}


def _pair_relation(
    a: _Side, b: _Side, r: int, c: int, parents: dict[int, int], usual_kinds: dict[str, str]
) -> Relation:
    old, new = a.provisions[r], b.provisions[c]
    parent_r = a.index.get(old.parent or "")
    parent_c = b.index.get(new.parent or "")
    if (
        group_of(old) == "container"
        and usual_kinds.get(old.kind) != new.kind
        and "section" not in (old.kind, new.kind)
    ):
        return "moved"  # e.g. a commitment that became an appendix
    # Moved: the old parent has a counterpart, and it is not the new parent. Headings of
    # parts and sections are renamed freely, so only numbered parents count for containers.
    if parent_r is not None and parent_r in parents and parents[parent_r] != parent_c:
        parent_kind = a.provisions[parent_r].kind
        if group_of(old) != "container" or parent_kind not in ("section", "part", "overview"):
            return "moved"
    if normalise(f"{old.heading} {old.text}") == normalise(f"{new.heading} {new.text}"):
        return "unchanged"
    return "changed"


def _containing(
    provision: Provision,
    side: _Side,
    other: _Side,
    vectoriser: TfIdf,
    settings: AlignSettings,
    candidates: set[int],
    postings: _Postings,
) -> tuple[int, float] | None:
    """The paired provision of the other draft that holds most of this one's words."""
    if provision.kind == "overview":
        return None
    group = group_of(provision)
    index = side.index[provision.id]
    weights = _weighted_words(side, index, vectoriser)
    total = sum(weights.values())
    if len(weights) < MIN_CONTAINED_WORDS:
        return None  # too short to say where its words went
    shares = postings.held(weights, container=group == "container") / total
    best: tuple[int, float] | None = None
    for c in np.flatnonzero(shares >= settings.containment_threshold):
        share = float(shares[c])
        if best is not None and share <= best[1]:
            continue
        eligible = c in candidates and group_of(other.provisions[c]) == group
        if eligible and _may_hold(other, int(c), weights):
            best = (int(c), share)
    return best


def _weighted_words(side: _Side, index: int, vectoriser: TfIdf) -> dict[str, float]:
    """A provision's distinct words with their IDF weights. A container's words include
    its children's: "Commitment 10 went into II.4" is about everything it held."""
    return vectoriser.weights(_held_words(side, index))


def _held_words(side: _Side, index: int) -> frozenset[str]:
    """The words a provision holds, as a merge target (with its children's, for containers)."""
    container = group_of(side.provisions[index]) == "container"
    return (side.subtree_words if container else side.own_words)[index]


def _may_hold(side: _Side, index: int, weights: dict[str, float]) -> bool:
    """Whether a provision can be what a provision of these words merged into: no
    overview, and not so large that it holds every word (a whole section is no merge)."""
    if len(weights) < MIN_CONTAINED_WORDS or side.provisions[index].kind == "overview":
        return False
    return len(_held_words(side, index)) <= MAX_CONTAINER_GROWTH * len(weights)


@dataclass(frozen=True)
class _Postings:
    """Which provisions of one side hold which words (own text, or with descendants), by
    word: the words a provision shares with each other provision, weighted, are one
    product."""

    vocabulary: dict[str, int]
    own: SparseRows
    subtree: SparseRows

    @classmethod
    def of(cls, side: _Side) -> _Postings:
        # Every word of a subtree is some provision's own: the own words number them all.
        vocabulary: dict[str, int] = {}
        for present in side.own_words:
            for word in sorted(present):
                vocabulary.setdefault(word, len(vocabulary))
        return cls(
            vocabulary,
            _by_word(side.own_words, vocabulary),
            _by_word(side.subtree_words, vocabulary),
        )

    def held(self, weights: dict[str, float], *, container: bool) -> NDArray[np.float64]:
        """For each provision, the summed weight of the given words it holds."""
        # By column: each provision adds up its words in the order SciPy's product did.
        known = sorted(
            (self.vocabulary[w], weight) for w, weight in weights.items() if w in self.vocabulary
        )
        query = SparseRows(
            np.array([0, len(known)], dtype=np.int64),
            np.array([column for column, _ in known], dtype=np.int64),
            np.array([weight for _, weight in known], dtype=np.float64),
            len(self.vocabulary),
        )
        return dense_product(query, self.subtree if container else self.own).ravel()


def _by_word(words: tuple[frozenset[str], ...], vocabulary: dict[str, int]) -> SparseRows:
    """For each word, the provisions that hold it."""
    held = sparse_rows(
        [[vocabulary[word] for word in present] for present in words], len(vocabulary)
    )
    return transpose(held)
