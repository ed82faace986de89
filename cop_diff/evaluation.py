"""Measure an alignment against a gold mapping made by reading both drafts.

A gold file (``tests/gold/align-*.json``) lists pairs: an old provision id and where a
careful reader says it went (``new``, or ``null`` when removed), with a relation, an
optional ``also`` list (the other parts of a split) and ``ambiguous`` where the reader
was unsure. Entries with ``old: null`` say the new provision is new.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from cop_diff.model import Comparison

# An old provision's pairing counts first, then where it merged; a split only says
# what the old provision fed.
_PRECEDENCE = {"unchanged": 0, "changed": 0, "moved": 0, "merged": 1, "removed": 1, "split": 2}


@dataclass(frozen=True)
class Score:
    total: Counter[str]
    """Gold pairs per kind; "<kind>, clear" counts those not marked ambiguous."""
    right: Counter[str]
    misses: tuple[str, ...]

    def accuracy(self, kind: str) -> float:
        return self.right[kind] / self.total[kind] if self.total[kind] else 1.0


def predicted_counterparts(comparison: Comparison) -> dict[str, str | None]:
    predicted: dict[str, str | None] = {}
    best: dict[str, int] = {}
    for entry in comparison.alignment:
        if entry.old is not None and _PRECEDENCE[entry.relation] < best.get(entry.old, 3):
            best[entry.old] = _PRECEDENCE[entry.relation]
            predicted[entry.old] = entry.new if entry.relation != "removed" else None
    return predicted


def score_alignment(comparison: Comparison, gold: dict[str, Any]) -> Score:
    kinds = {p.id: p.kind for p in comparison.new.provisions}
    kinds |= {p.id: p.kind for p in comparison.old.provisions}
    predicted = predicted_counterparts(comparison)
    added = {e.new for e in comparison.alignment if e.relation == "added"}
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    misses: list[str] = []
    for pair in gold["pairs"]:
        if pair["old"] is None:
            kind = f"added {kinds.get(pair['new'], 'missing')}"
            ok = pair["new"] in added
            got: str | None = "paired"
            expected: str | None = "added"
        else:
            kind = kinds.get(pair["old"], "missing")
            expected = None if pair["relation"] == "removed" else pair["new"]
            got = predicted.get(pair["old"], "missing")
            ok = got in {expected, *pair.get("also", [])}
        counted = [kind] if pair.get("ambiguous") else [kind, f"{kind}, clear"]
        total.update(counted)
        if ok:
            right.update(counted)
        else:
            flag = " (ambiguous)" if pair.get("ambiguous") else ""
            misses.append(f"{pair['old'] or pair['new']} -> {got}, gold {expected}{flag}")
    return Score(total, right, tuple(misses))
