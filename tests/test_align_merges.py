"""Several provisions that went into one: merged into it, not paired with a second best.

Made-up drafts: three old measures on refusals of collection went into one new measure;
a fourth, on bought collections, is the weak counterpart of a new measure that also
speaks of exclusion files. A one-to-one assignment gives the merged measure to one old
measure and pushes another onto the new measure about bought collections.
"""

from __future__ import annotations

import pytest

from cop_diff.align import align
from cop_diff.model import Alignment, Document, Outline, Provision

OLD = (
    (
        "Honouring exclusion files",
        "Signatories instruct their crawlers to read and obey the exclusion file at the root "
        "of each website.",
    ),
    (
        "Other refusal signals",
        "Signatories obey other refusal signals in metadata tags or public registries, and "
        "support work towards shared formats for such signals. Refusing collection does not "
        "make a site harder to find in search.",
    ),
    (
        "Describing the crawlers",
        "Signatories publish the names of their crawlers and explain how site owners can "
        "address refusal signals to them.",
    ),
    (
        "Checking bought collections",
        "Before buying a collection of texts, signatories take reasonable steps to ask the "
        "seller about its sources.",
    ),
)
NEW = (
    (
        "Respecting refusals of collection",
        "Signatories instruct their crawlers to read and obey the exclusion file at the root "
        "of each website and other refusal signals in metadata tags or public registries. "
        "They support work towards shared formats, publish the names of their crawlers and "
        "explain how site owners can address refusal signals to them. Refusing collection "
        "does not make a site harder to find in search.",
    ),
    (
        "Collections gathered by others",
        "Signatories ask whoever supplies a collection gathered by others whether its "
        "crawlers read and obeyed the exclusion file at the root of each website.",
    ),
)


def outline(sha256: str, measures: tuple[tuple[str, str], ...]) -> Outline:
    commitment = Provision(
        "commitment-1", "Commitment 1", "commitment", "1", "Rights reservations", "", None, True
    )
    provisions = [commitment]
    for n, (heading, text) in enumerate(measures, 1):
        provisions.append(
            Provision(
                f"measure-1.{n}",
                f"Measure 1.{n}",
                "measure",
                f"1.{n}",
                heading,
                text,
                "commitment-1",
                True,
                depth=1,
            )
        )
    document = Document("draft.md", "text", sha256, None, ())
    return Outline(document, "generic", tuple(provisions))


def counterparts(alignment: tuple[Alignment, ...]) -> dict[str, tuple[str | None, str]]:
    """Old id -> (new id, relation) of its first line: its pairing, else where it went."""
    found: dict[str, tuple[str | None, str]] = {}
    for entry in alignment:
        if entry.old is not None:
            found.setdefault(entry.old, (entry.new, entry.relation))
    return found


# Which draft the aligner computes from (it orders them by hash and mirrors), so that
# both a merge (several rows into one column) and a split (the mirror) are exercised.
@pytest.mark.parametrize(("old_sha", "new_sha"), [("0" * 64, "f" * 64), ("f" * 64, "0" * 64)])
def test_measures_folded_into_one_are_merged_into_it(old_sha: str, new_sha: str) -> None:
    found = counterparts(align(outline(old_sha, OLD), outline(new_sha, NEW)))
    # All three went into Measure 1.1; which one is its pair matters less than the target.
    assert {found[f"measure-1.{n}"][0] for n in (1, 2, 3)} == {"measure-1.1"}
    assert sorted(found[f"measure-1.{n}"][1] for n in (1, 2, 3)) == [
        "changed",
        "merged",
        "merged",
    ]
    # The new measure on collections of others is left to its own weak counterpart.
    assert found["measure-1.4"] == ("measure-1.2", "changed")


@pytest.mark.parametrize(("old_sha", "new_sha"), [("0" * 64, "f" * 64), ("f" * 64, "0" * 64)])
def test_one_measure_split_into_several_mirrors_the_merge(old_sha: str, new_sha: str) -> None:
    forward = align(outline(old_sha, OLD), outline(new_sha, NEW))
    backward = align(outline(new_sha, NEW), outline(old_sha, OLD))
    flip = {"merged": "split", "split": "merged", "removed": "added", "added": "removed"}
    assert {(a.new, a.old, flip.get(a.relation, a.relation), a.score) for a in forward} == {
        (a.old, a.new, a.relation, a.score) for a in backward
    }
    split = {a.new for a in backward if a.old == "measure-1.1"}
    assert split == {"measure-1.1", "measure-1.2", "measure-1.3"}


def test_a_pair_stays_when_its_best_match_does_not_hold_its_words() -> None:
    """The best match being taken is not enough: it must hold the provision's words."""
    # The new measure on refusals keeps the heading words and the label of the one on
    # exclusion files, so it is still that one's best match, but no longer speaks of
    # exclusion files; the one on collections of others does, and stays its pair.
    rewritten = (
        (
            NEW[0][0],
            NEW[0][1].replace(
                "the exclusion file at the root of each website and other refusal", "refusal"
            ),
        ),
        (NEW[1][0], NEW[1][1].replace("read and obeyed", "obeyed")),
    )
    found = counterparts(align(outline("0" * 64, OLD), outline("f" * 64, rewritten)))
    assert found["measure-1.1"] == ("measure-1.2", "changed")


# A measure split in two, its second half sitting where an unrelated measure was dropped.
SPLIT_OLD = (
    (
        "Keeping records of training",
        "Signatories keep records of how each model was trained, including the compute used "
        "and the duration of each training run.",
    ),
    (
        "Testing before release",
        "Signatories test each model against a fixed battery of misuse scenarios before "
        "release and fix every weakness the tests reveal. They repeat the battery after each "
        "significant update and report the outcomes to the oversight office within thirty "
        "days.",
    ),
    (
        "Annual staff seminars",
        "Signatories hold a yearly seminar for engineers about emerging research on model "
        "evaluation.",
    ),
    (
        "Naming a responsible officer",
        "Signatories name one senior officer who answers for compliance with this commitment.",
    ),
)
SPLIT_NEW = (
    SPLIT_OLD[0],
    (
        "Testing before release",
        "Signatories test each model against a fixed battery of misuse scenarios before "
        "release and fix every weakness the tests reveal.",
    ),
    (
        "Repeating the tests",
        "Signatories repeat the battery of misuse scenarios after each significant update and "
        "report the outcomes to the oversight office within thirty days.",
    ),
    SPLIT_OLD[3],
)


@pytest.mark.parametrize(("old_sha", "new_sha"), [("0" * 64, "f" * 64), ("f" * 64, "0" * 64)])
def test_a_split_off_part_is_not_paired_with_whatever_sat_in_its_place(
    old_sha: str, new_sha: str
) -> None:
    """Filling the gap between kept neighbours treats a split like a merge: a provision
    that resembles a paired one came from it, whichever draft is computed from."""
    alignment = align(outline(old_sha, SPLIT_OLD), outline(new_sha, SPLIT_NEW))
    relations = {(a.old, a.new): a.relation for a in alignment}
    assert relations[("measure-1.2", "measure-1.3")] == "split"
    assert relations[("measure-1.3", None)] == "removed"
