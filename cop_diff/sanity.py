"""Checks that a comparison makes sense: do the two drafts look like one document? And,
for ``watch``, does a new file continue the releases before it?"""

from __future__ import annotations

from cop_diff.extract import damage_warning
from cop_diff.lexicon import Lexicon
from cop_diff.model import Comparison, Outline
from cop_diff.sentences import SentenceIndex

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


# A next release of the same document (watch)

FAMILY_SIMILARITY = 0.4
"""A sentence resembles one of the previous release at this TF-IDF cosine (stems, modal
verbs left out) or more: reworded, shortened or moved, but recognisably the same."""
MIN_FAMILY_SHARE = 0.2
"""Of a next release's sentences, at least this share resemble one of the previous release.

Measured (#16), as the share of the new file's sentences: the real drafts, rewritten and
renumbered throughout, 40% (First -> Second) and 49% (Second -> Third), 24% even from the
First to the Third, skipping one; 33 to 70% for one chapter of the Third Draft alone
against the whole Second; 80 to 91% for the sample drafts and the blind sets' versions.
Unrelated documents, every pair of the sample drafts, the four blind-set codes and the
real drafts: at most 17% (codes of other domains written in the same style share their
boilerplate); this README, the changelog and an error page, 0 to 1%. Halfway, 20%. The
share of provisions aligned cannot tell: codes in one template pair their "Commitment N"
by label (27 to 53% for unrelated blind sets, 45% for Second -> Third)."""
MIN_FAMILY_SENTENCES = 10
"""And at least this many: a page of a dozen sentences resembles anything by chance."""


def family_resemblance(previous: Outline, candidate: Outline, lexicon: Lexicon) -> tuple[int, int]:
    """How many of ``candidate``'s sentences resemble one of ``previous``'s, of how many."""
    similarity = SentenceIndex(previous, candidate, lexicon).similarity
    if similarity.shape[1] == 0:
        return 0, 0
    if similarity.shape[0] == 0:
        return 0, similarity.shape[1]
    return int((similarity.max(axis=0) >= FAMILY_SIMILARITY).sum()), similarity.shape[1]


def unlike_family(previous: Outline, candidate: Outline, lexicon: Lexicon) -> str | None:
    """Why ``candidate`` is no next release of the document ``previous`` is a release of
    (an error or login page served as the draft, another document); ``None`` if it is."""
    alike, total = family_resemblance(previous, candidate, lexicon)
    if alike >= MIN_FAMILY_SENTENCES and alike >= MIN_FAMILY_SHARE * total:
        return None
    share = alike / total if total else 0.0
    return (
        f"{alike} of its {total} sentences ({share:.0%}) resemble a sentence of that release, "
        f"too few for a next version (at least {MIN_FAMILY_SHARE:.0%} and "
        f"{MIN_FAMILY_SENTENCES}); an error page, or another document?"
    )
