"""Does a new file continue the releases before it? ``watch`` skips one that does not
(an error or login page served as the draft, another document linked beside the drafts)."""

from __future__ import annotations

from cop_diff.lexicon import Lexicon
from cop_diff.model import Outline
from cop_diff.sentences import SentenceIndex

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
