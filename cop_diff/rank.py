"""Rank the findings and sort them into tiers: what a reader looks at first.

detect -> rank: every finding gets a ``leaning`` (the way it points, whatever its
confidence), a ``tier`` and a ``rank`` (1 = the most significant). Significance is the
detector's confidence times the salience of the provision it is about: a commitment
weighs more than one item of a list, binding text more than a box.

``finding``: confident weakenings and strengthenings (``direction`` says which).
``worth-a-look``: the most significant of the rest that lean one way, at most
``WORTH_A_LOOK`` and one per provision, so that a short list covers many places.
``other``: everything else.
"""

from __future__ import annotations

from dataclasses import replace

from cop_diff.model import Finding, Outline, Provision, Tier

WORTH_A_LOOK = 25
"""At most this many findings in the worth-a-look tier: a list a reader goes through."""

WORTH_A_LOOK_WEAKER = 20
"""Places in the worth-a-look tier kept for what leans weaker: what analysts look for."""

WORTH_A_LOOK_FLOOR = 0.4
"""Below this confidence a leaning is a guess, not worth a reader's time."""

SALIENCE = {
    "commitment": 1.0,
    "measure": 0.9,
    "section": 0.9,
    "appendix": 0.9,
    "sub-measure": 0.85,
    "paragraph": 0.8,
    "list-item": 0.75,
}
"""How much a provision of each kind weighs in binding text; other kinds 0.7."""

NON_BINDING_SALIENCE = 0.6
TIER_ORDER: dict[Tier, int] = {"finding": 0, "worth-a-look": 1, "other": 2}
LEANING_ORDER = {"weakening": 0, "strengthening": 1, "none": 2}


def salience(provision: Provision | None) -> float:
    if provision is None:
        return 0.0
    if not provision.binding:
        return NON_BINDING_SALIENCE
    return SALIENCE.get(provision.kind, 0.7)


def significance(finding: Finding, old: dict[str, Provision], new: dict[str, Provision]) -> float:
    """Confidence times the salience of the weightier side: the same either way round."""
    weight = max(salience(old.get(finding.old or "")), salience(new.get(finding.new or "")))
    return finding.confidence * (weight or NON_BINDING_SALIENCE)


def rank_findings(findings: tuple[Finding, ...], old: Outline, new: Outline) -> tuple[Finding, ...]:
    """The findings with tier and rank set, in rank order."""
    old_by_id = {p.id: p for p in old.provisions}
    new_by_id = {p.id: p for p in new.provisions}
    old_at = {p.id: i for i, p in enumerate(old.provisions)}
    new_at = {p.id: i for i, p in enumerate(new.provisions)}

    def place(found: Finding) -> tuple[float, int, int, str]:
        return (
            -round(significance(found, old_by_id, new_by_id), 6),
            old_at.get(found.old or "", len(old_at)),
            new_at.get(found.new or "", len(new_at)),
            found.rule,
        )

    def order(found: Finding) -> tuple[int, int, tuple[float, int, int, str]]:
        return (TIER_ORDER[found.tier], LEANING_ORDER[found.leaning], place(found))

    confident = [f for f in findings if f.direction != "neutral"]
    rest = [replace(f, tier="other") for f in findings if f.direction == "neutral"]
    looks = _worth_a_look(
        sorted(
            (f for f in rest if f.leaning != "none" and f.confidence >= WORTH_A_LOOK_FLOOR),
            key=place,
        )
    )
    tiered = [replace(f, tier="finding") for f in confident] + [
        replace(f, tier="worth-a-look") if id(f) in looks else f for f in rest
    ]
    return tuple(replace(f, rank=i) for i, f in enumerate(sorted(tiered, key=order), start=1))


def _worth_a_look(candidates: list[Finding]) -> set[int]:
    """The ``id``s of the first candidates, at most one per provision on either side;
    those that lean weaker first, up to ``WORTH_A_LOOK_WEAKER``."""
    weaker = [c for c in candidates if c.leaning == "weakening"]
    return _first(candidates, _first(weaker, set(), WORTH_A_LOOK_WEAKER), WORTH_A_LOOK)


def _first(candidates: list[Finding], chosen: set[int], limit: int) -> set[int]:
    """``chosen`` and then candidates in order, each on provisions none chosen is on."""
    chosen = set(chosen)
    places: set[str] = set()
    for candidate in candidates:
        if id(candidate) in chosen:
            places |= _places(candidate)
    for candidate in candidates:
        if len(chosen) >= limit:
            break
        if id(candidate) in chosen:
            continue
        where = _places(candidate)
        if where & places:
            continue
        places |= where
        chosen.add(id(candidate))
    return chosen


def _places(found: Finding) -> set[str]:
    """The provisions a finding is about, on either side."""
    places = {f"old:{found.old}"} if found.old else set()
    return places | ({f"new:{found.new}"} if found.new else set())
