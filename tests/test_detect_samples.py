"""The detectors on the sample drafts, against the answer key in drafts/README.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from cop_diff.pipeline import compare_files

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"

# (rule, label of the new provision) of every weakening and strengthening reported.
V1_TO_V2 = {
    "weakening": {
        ("exemption-added", "Measure 2.4"),  # W4: small operators exempted from review
        ("number-changed", "Measure 4.2"),  # W1: 72 hours -> 15 days
        ("number-changed", "Measure 6.1"),  # W3: 10 years -> 5 years of retention
        ("modal-weakened", "Measure 9.1"),  # W5: shall -> should
    },
    "strengthening": {
        ("modal-strengthened", "Measure 5.1"),  # S1: may -> shall
        ("qualifier-removed", "Measure 5.2"),  # S2: "where feasible" gone
        ("list-item-added", "3.2"),  # S3: battery fire
    },
}
V2_TO_V3 = {
    "weakening": {
        ("list-item-demoted", "Appendix 1.3"),  # W6: noise moved to "for consideration"
        ("qualifier-added", "Measure II.4.3"),  # W8: "to the extent feasible"
        ("modal-weakened", "Measure II.6.3"),  # W7: commit to -> are encouraged to
    },
    "strengthening": {
        ("modal-strengthened", "Measure II.5.2"),  # S4: may -> shall
        ("list-item-added", "Measure II.6.2"),  # S5: satellite navigation receivers
    },
}


def reported(old: str, new: str) -> dict[str, set[tuple[str, str | None]]]:
    result = compare_files(DRAFTS / old, DRAFTS / new)
    by_id = {p.id: p for p in result.new.provisions}

    def where(new_id: str | None) -> str | None:
        provision = by_id.get(new_id or "")
        if provision is None:
            return None
        if provision.kind == "list-item":  # items are named by their list
            provision = by_id[provision.parent or ""]
        return provision.label

    found: dict[str, set[tuple[str, str | None]]] = {"weakening": set(), "strengthening": set()}
    for finding in result.findings:
        if finding.direction != "neutral":
            found[finding.direction].add((finding.rule, where(finding.new)))
    return found


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [("sample-v1.pdf", "sample-v2.pdf", V1_TO_V2), ("sample-v2.pdf", "sample-v3.pdf", V2_TO_V3)],
)
def test_answer_key(old: str, new: str, key: dict[str, set[tuple[str, str | None]]]) -> None:
    """Everything reported is in the key (no false alarm, the KPI-box trap included) and
    the key's changes are reported, but for those the detectors only call possible."""
    assert reported(old, new) == key


def test_citation_moved_to_a_recital_while_the_duty_stays_is_worth_a_look() -> None:
    """W9: only the citation left Measure II.3.2; its duty did not, and the Regulation
    applies either way."""
    result = compare_files(DRAFTS / "sample-v2.pdf", DRAFTS / "sample-v3.pdf")
    relegated = [f for f in result.findings if f.rule == "reference-relegated"]
    assert [(f.old, f.leaning, f.tier) for f in relegated] == [
        ("measure-4.2", "weakening", "worth-a-look")
    ]


def test_removed_measures_lean_weaker_worth_a_look() -> None:
    """W10: the whistleblowing measures are gone. A whole provision gone is read from
    absence, so it is worth a look, leaning weaker, rather than a finding."""
    result = compare_files(DRAFTS / "sample-v2.pdf", DRAFTS / "sample-v3.pdf")
    removed = {
        f.old
        for f in result.findings
        if f.rule == "provision-removed" and f.leaning == "weakening" and f.tier != "other"
    }
    assert {"measure-8.1", "measure-8.3"} <= removed
