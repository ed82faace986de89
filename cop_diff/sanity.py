"""Checks that a comparison makes sense: do the two drafts look like one document?

(Whether a new file continues the releases before it is ``watch.family``.)"""

from __future__ import annotations

from cop_diff.extract import damage_warning
from cop_diff.model import Comparison

MIN_ALIGNED_SHARE = 0.10
"""Below this share of provisions paired across the drafts, they look unrelated.

Successive drafts of one code pair most of their provisions (the sample drafts: over 80 %;
the real Second -> Third Draft, rewritten throughout: most); two unrelated documents pair
a few headings at most (a draft against this README: 2 %).
"""


def aligned_share(comparison: Comparison) -> float:
    """The share of all provisions, in both drafts, that have a counterpart in the other."""
    total = len(comparison.old.provisions) + len(comparison.new.provisions)
    if total == 0:
        return 1.0
    paired = [a for a in comparison.alignment if a.old is not None and a.new is not None]
    old = {a.old for a in paired}
    new = {a.new for a in paired}
    return (len(old) + len(new)) / total


def comparison_warnings(comparison: Comparison) -> list[str]:
    """One-line warnings about the comparison as a whole; empty when all looks right.

    Every report shows them, and ``compare`` prints them on stderr: pages of a draft read
    with ``--keep-going`` although they could not be fully decoded, then drafts that do
    not look like versions of one document.
    """
    warnings = [
        warning
        for outline in (comparison.old, comparison.new)
        if (warning := damage_warning(outline.document)) is not None
    ]
    share = aligned_share(comparison)
    if share < MIN_ALIGNED_SHARE:
        warnings.append(
            f"{comparison.old.document.source} and {comparison.new.document.source} do not "
            f"look like versions of one document: only {share:.0%} of their provisions "
            "line up; check that these are the drafts you meant to compare"
        )
    return warnings
