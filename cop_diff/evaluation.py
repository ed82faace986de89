"""Measure an alignment against a gold mapping made by reading both drafts.

A gold file (``tests/gold/align-*.json``) lists pairs: an old provision id and where a
careful reader says it went (``new``, or ``null`` when removed), with a relation, an
optional ``also`` list (the other parts of a split) and ``ambiguous`` where the reader
was unsure. Entries with ``old: null`` say the new provision is new.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from cop_diff.model import Comparison, Finding

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


@dataclass(frozen=True)
class FindingScore:
    """Per rule: findings reported, gold findings, and how many of each were matched."""

    reported: Counter[str]
    gold: Counter[str]
    reported_matched: Counter[str]
    gold_matched: Counter[str]
    missed: tuple[str, ...]

    def precision(self, rule: str | None = None) -> float:
        reported = self.reported[rule] if rule else sum(self.reported.values())
        matched = self.reported_matched[rule] if rule else sum(self.reported_matched.values())
        return matched / reported if reported else 1.0

    def recall(self, rule: str | None = None) -> float:
        gold = self.gold[rule] if rule else sum(self.gold.values())
        matched = self.gold_matched[rule] if rule else sum(self.gold_matched.values())
        return matched / gold if gold else 1.0


def _family(
    comparison: Comparison, side: str, provision: str | None, generations: int = 99
) -> set[str]:
    """A provision, its ancestors (up to ``generations``) and its descendants: where a
    finding may be attached."""
    if provision is None:
        return set()
    provisions = comparison.old.provisions if side == "old" else comparison.new.provisions
    parent = {p.id: p.parent for p in provisions}
    descendants = {provision}
    for candidate in provisions:  # in document order, so descendants follow their parents
        if candidate.parent in descendants:
            descendants.add(candidate.id)
    ancestors: set[str] = set()
    node = parent.get(provision)
    while node is not None and len(ancestors) < generations:
        ancestors.add(node)
        node = parent.get(node)
    return descendants | ancestors


def score_findings(
    comparison: Comparison,
    gold: dict[str, Any],
    tiers: frozenset[str] = frozenset({"finding"}),
    same_rule: bool = True,
) -> FindingScore:
    """Match reported findings of the given tiers with gold ones: same leaning (and the
    same rule with ``same_rule``) on the same provision (or one of its ancestors or
    descendants) in either draft. Without ``same_rule`` only the parent counts as an
    ancestor: a leaning anywhere in a commitment says little about one of its measures.
    Rows are counted per gold rule."""
    reported = [f for f in comparison.findings if f.tier in tiers and f.leaning != "none"]
    golds = [g for g in gold["findings"] if not g.get("uncertain")]
    counts = Counter(f.rule for f in reported)
    gold_counts = Counter(g["rule"] for g in golds)
    reported_matched: Counter[str] = Counter()
    gold_matched: Counter[str] = Counter()
    missed: list[str] = []
    hit: set[int] = set()
    for g in golds:
        generations = 99 if same_rule else 1
        old_family = _family(comparison, "old", g.get("old"), generations)
        new_family = _family(comparison, "new", g.get("new"), generations)
        matches = [
            i
            for i, f in enumerate(reported)
            if (f.rule == g["rule"] or not same_rule)
            and f.leaning == g["direction"]
            and (
                (f.old is not None and f.old in old_family)
                or (f.new is not None and f.new in new_family)
            )
        ]
        if matches:
            gold_matched[g["rule"]] += 1
            hit.update(matches)
        else:
            missed.append(f"{g['rule']} {g.get('old')} -> {g.get('new')}: {g.get('note', '')}")
    for i in hit:
        reported_matched[reported[i].rule] += 1
    return FindingScore(counts, gold_counts, reported_matched, gold_matched, tuple(missed))


def of_direction(gold: dict[str, Any], direction: str) -> dict[str, Any]:
    """The gold with only its findings of one direction."""
    return gold | {"findings": [g for g in gold["findings"] if g["direction"] == direction]}


# Judged samples: verdicts on reported findings (tests/gold/judged-*.json)

GROUPS = ("weakening", "strengthening", "worth-a-look", "possibly")
VERDICTS = ("right", "partly", "wrong")
Key = tuple[str, str | None, str | None]


def group_of(finding: Finding) -> str | None:
    """The row a reported finding is counted in: its direction in the finding tier, then
    worth-a-look, then "possibly" for other findings that lean; None for the rest."""
    if finding.tier == "finding":
        return finding.direction
    if finding.tier == "worth-a-look":
        return "worth-a-look"
    return "possibly" if finding.leaning != "none" else None


def finding_key(finding: Finding) -> Key:
    return (finding.rule, finding.old, finding.new)


def verdict_pool(judged: list[dict[str, Any]]) -> dict[Key, list[str]]:
    """Verdicts by rule, old and new, in file order (one key can be judged several times)."""
    pool: dict[Key, list[str]] = defaultdict(list)
    for entry in judged:
        pool[(entry["rule"], entry["old"], entry["new"])].append(entry["verdict"])
    return pool


def match_verdicts(
    findings: tuple[Finding, ...], judged: list[dict[str, Any]]
) -> list[tuple[Finding, str, str | None]]:
    """Each counted finding with its row and verdict (None when not judged); findings
    sharing a key take that key's verdicts in report order, each verdict at most once."""
    pool = verdict_pool(judged)
    matched: list[tuple[Finding, str, str | None]] = []
    for finding in findings:
        group = group_of(finding)
        if group is None:
            continue
        verdicts = pool.get(finding_key(finding))
        matched.append((finding, group, verdicts.pop(0) if verdicts else None))
    return matched
