"""Alignment and the compare pipeline on the sample drafts, whose answer key we wrote."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from cop_diff.diff import rebuild, word_diff
from cop_diff.model import Alignment, Comparison
from cop_diff.pipeline import changes_of_substance, compare_files
from cop_diff.report import report_json

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


@cache
def comparison(old: str, new: str) -> Comparison:
    return compare_files(DRAFTS / old, DRAFTS / new)


def pairs_by_label(result: Comparison) -> dict[str, tuple[str | None, str]]:
    """Old label -> (new label or None, relation), for old provisions with a number."""
    old = {p.id: p for p in result.old.provisions}
    new = {p.id: p for p in result.new.provisions}
    found: dict[str, tuple[str | None, str]] = {}
    for entry in result.alignment:
        if entry.old is None or old[entry.old].number is None:
            continue
        counterpart = new[entry.new].label if entry.new else None
        found.setdefault(old[entry.old].label, (counterpart, entry.relation))
    return found


# From drafts/README.md, "Where each provision goes".
V1_TO_V2 = {
    "Measure 1": "Commitment 1",
    "Sub-Measure 1.1": "Measure 1.1",
    "Sub-Measure 3.1": "Measure 2.2",
    "Sub-Measure 3.3": "Measure 2.4",
    "Sub-Measure 2.1": "3.2",
    "Measure 4": "Commitment 5",
    "Sub-Measure 4.2": "Measure 5.2",
    "Sub-Measure 4.4": "Measure 4.4",
    "Measure 5": "Commitment 4",
    "Sub-Measure 5.1": "Measure 4.1",
    "Measure 8": "Commitment 8",
    "Measure 9": "Commitment 9",
}
V2_TO_V3 = {
    "Commitment 1": "Commitment II.1",
    "Measure 1.1": "Measure II.1.1",
    "Commitment 3": "Appendix 1",
    "3.1": "Appendix 1.1",
    "3.2": "Appendix 1.2",
    "Commitment 4": "Commitment II.3",
    "Measure 4.2": "Measure II.3.2",
    "Measure 4.4": "Measure II.3.4",
    "Commitment 8": "Commitment II.7",
    "Measure 7.3": "Measure II.6.3",
    "Commitment 9": "Commitment II.8",
}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [("sample-v1.pdf", "sample-v2.pdf", V1_TO_V2), ("sample-v2.pdf", "sample-v3.pdf", V2_TO_V3)],
)
def test_sample_drafts_pair_as_the_answer_key_says(
    old: str, new: str, expected: dict[str, str]
) -> None:
    found = pairs_by_label(comparison(old, new))
    assert {label: found[label][0] for label in expected} == expected


def test_moves_renumbering_and_removals_get_their_relations() -> None:
    found = pairs_by_label(comparison("sample-v1.pdf", "sample-v2.pdf"))
    assert found["Sub-Measure 4.4"][1] == "moved"  # went to another commitment
    assert found["Sub-Measure 1.2"][1] == "unchanged"  # renumbered only
    found = pairs_by_label(comparison("sample-v2.pdf", "sample-v3.pdf"))
    assert found["Commitment 3"][1] == "moved"  # a commitment became an appendix
    assert all(found[f"Measure 8.{n}"] == (None, "removed") for n in (1, 2, 3))


def test_a_list_item_moving_between_lists_is_moved() -> None:
    result = comparison("sample-v2.pdf", "sample-v3.pdf")
    new = {p.id: p for p in result.new.provisions}
    old = {p.id: p for p in result.old.provisions}
    moved = [
        (old[a.old], new[a.new])
        for a in result.alignment
        if a.relation == "moved" and a.old and a.new and old[a.old].kind == "list-item"
    ]
    assert len(moved) == 1
    before, after = moved[0]
    assert new[after.parent or ""].label == "Appendix 1.3" and before.text.startswith("Noise")


def mirrored(alignment: tuple[Alignment, ...]) -> set[tuple[str | None, str | None, str, float]]:
    flip = {"removed": "added", "added": "removed", "merged": "split", "split": "merged"}
    return {(a.new, a.old, flip.get(a.relation, a.relation), a.score) for a in alignment}


def test_swapping_the_drafts_mirrors_the_alignment() -> None:
    forward = comparison("sample-v1.pdf", "sample-v3.pdf").alignment
    backward = comparison("sample-v3.pdf", "sample-v1.pdf").alignment
    assert mirrored(forward) == {(a.old, a.new, a.relation, a.score) for a in backward}


def test_same_draft_is_unchanged_with_no_findings() -> None:
    result = compare_files(DRAFTS / "sample-v2.pdf", DRAFTS / "sample-v2.pdf")
    assert {a.relation for a in result.alignment} == {"unchanged"}
    assert result.findings == () and not changes_of_substance(result)


def test_pdf_against_its_markdown_source_has_no_change_of_substance() -> None:
    result = compare_files(DRAFTS / "source" / "sample-v3.md", DRAFTS / "sample-v3.pdf")
    assert not changes_of_substance(result)
    assert {a.relation for a in result.alignment} == {"unchanged"}


def test_json_report_is_byte_identical_and_follows_the_schema() -> None:
    first = report_json(compare_files(DRAFTS / "sample-v2.pdf", DRAFTS / "sample-v3.pdf"))
    second = report_json(compare_files(DRAFTS / "sample-v2.pdf", DRAFTS / "sample-v3.pdf"))
    assert first == second
    report = json.loads(first)
    assert report["schema"] == "cop-diff/report/1"
    assert set(report["old"]) >= {"source", "format", "sha256", "pages"}
    assert report["old"]["format"] == "pdf" and len(report["old"]["sha256"]) == 64
    fields = {"id", "label", "kind", "number", "heading", "parent", "binding", "page", "text"}
    assert all(set(p) >= fields for p in report["provisions"]["old"])
    relations = {"unchanged", "changed", "moved", "merged", "split", "removed", "added"}
    for entry in report["alignment"]:
        assert set(entry) == {"old", "new", "relation", "score"}
        assert entry["relation"] in relations and 0 <= entry["score"] <= 1
    finding_fields = {
        "rule", "direction", "old", "new", "old_text", "new_text", "explanation", "confidence",
        "rationale", "leaning", "tier", "rank", "elsewhere",
    }  # fmt: skip
    findings = report["findings"]
    assert findings and all(set(f) == finding_fields for f in findings)
    assert [f["rank"] for f in findings] == list(range(1, len(findings) + 1))
    assert all(f["tier"] in {"finding", "worth-a-look", "other"} for f in findings)
    # The finding tier is what "direction" weakening or strengthening has always meant.
    assert all((f["tier"] == "finding") == (f["direction"] != "neutral") for f in findings)
    assert all(f["leaning"] == f["direction"] for f in findings if f["tier"] == "finding")
    assert set(report["summary"]) == {
        "weakening", "strengthening", "neutral", "finding", "worth-a-look", "other",
    }  # fmt: skip
    assert sum(report["summary"][t] for t in ("finding", "worth-a-look", "other")) == len(findings)
    old_ids = {p["id"] for p in report["provisions"]["old"]}
    new_ids = {p["id"] for p in report["provisions"]["new"]}
    assert old_ids == {e["old"] for e in report["alignment"] if e["old"]}
    assert new_ids == {e["new"] for e in report["alignment"] if e["new"]}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Signatories shall keep a log.", "Signatories should keep a detailed log."),
        ("", "New text."),
        ("Old text.", ""),
        ("a b c", "c b a"),
    ],
)
def test_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    ops = word_diff(old, new)
    assert rebuild(ops, -1) == old and rebuild(ops, 1) == new


def test_word_diff_works_on_whole_words() -> None:
    ops = word_diff("within 72 hours", "within 15 days")
    assert [(op.op, op.text) for op in ops] == [(0, "within "), (-1, "72 hours"), (1, "15 days")]


def test_the_label_matrix_is_the_label_similarity_of_every_pair() -> None:
    from cop_diff.align import _label_matrix, _label_similarity
    from cop_diff.model import Provision

    def provision(label: str, number: str | None) -> Provision:
        return Provision(label, label, "measure", number, "", "", None, True)

    labels = [("Measure 1", "1"), ("Commitment 1", "1"), ("(a)", "a"), ("•", None), ("", "")]
    before = [provision(*pair) for pair in labels]
    after = [provision(*pair) for pair in (*labels[::-1], ("Measure 2", "2"), ("•", None))]
    expected = [[_label_similarity(a, b) for b in after] for a in before]
    assert _label_matrix(before, after).tolist() == expected


def test_a_compare_imports_no_scipy() -> None:
    """Importing scipy.sparse took 0.15-0.25 s of every cold compare: the products are
    numpy's (cop_diff/tfidf.py), the assignment lap's."""
    import subprocess
    import sys

    program = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cop_diff.pipeline import Settings, compare_files\n"
        f"compare_files(Path({str(DRAFTS / 'sample-v1.pdf')!r}), "
        f"Path({str(DRAFTS / 'sample-v2.pdf')!r}), Settings(cache=False, workers=1))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"
