"""Every detector on its own fixture cases (tests/rules/<CODE>.toml), in both directions.

A case gives the text of one measure in an old and a new draft (or, with
``document = true``, two whole Markdown drafts) and the findings that must be reported;
swapping the drafts must report the mirrored findings, weakenings becoming
strengthenings.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from cop_diff.pipeline import compare_files
from cop_diff.rules import RULES

CASES = Path(__file__).parent / "rules"
MIRROR = {
    "weakened": "strengthened",
    "removed": "added",
    "narrowed": "widened",
    "demoted": "promoted",
    "weakening": "strengthening",
}
MIRROR |= {b: a for a, b in MIRROR.items()}
# A citation's mirror images have their own names.
REFERENCE_MIRROR = {
    "reference-removed": "reference-added",
    "reference-relegated": "reference-promoted",
}
REFERENCE_MIRROR |= {b: a for a, b in REFERENCE_MIRROR.items()}


def mirrored(expected: str) -> str:
    rule, _, direction = expected.partition(":")
    if rule in REFERENCE_MIRROR:
        rule = REFERENCE_MIRROR[rule]
    else:
        head, _, tail = rule.rpartition("-")
        rule = f"{head}-{MIRROR.get(tail, tail)}"
    return f"{rule}:{MIRROR.get(direction, direction)}" if direction else rule


def document(text: str) -> str:
    return (
        "## Commitment 1. Fleet safety\n\nSignatories commit to operating their fleets safely.\n\n"
        f"### Measure 1.1. Test measure\n\n{text}\n"
    )


def load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.toml")):
        for case in tomllib.loads(path.read_text(encoding="utf-8"))["case"]:
            params.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return params


def reported(old: str, new: str, tmp_path: Path, whole: bool) -> tuple[set[str], set[str]]:
    """The findings ("rule:direction"), and what leans one way in the finding and
    worth-a-look tiers ("rule:leaning")."""
    (tmp_path / "old.md").write_text(old if whole else document(old), encoding="utf-8")
    (tmp_path / "new.md").write_text(new if whole else document(new), encoding="utf-8")
    result = compare_files(tmp_path / "old.md", tmp_path / "new.md")
    found = {f"{f.rule}:{f.direction}" for f in result.findings if f.direction != "neutral"}
    leans = {f"{f.rule}:{f.leaning}" for f in result.findings if f.tier != "other"}
    return found, leans


def matches(found: set[str], expected: list[str]) -> bool:
    """The rules found are exactly the expected ones; "rule:direction" also checks direction."""
    found_rules = {f.split(":")[0] for f in found}
    directions_right = all(e in found for e in expected if ":" in e)
    return directions_right and found_rules == {e.split(":")[0] for e in expected}


@pytest.mark.parametrize("case", load_cases())
def test_fixture_case(case: dict[str, Any], tmp_path: Path) -> None:
    """``expect``: exactly these findings; ``leans`` (optional): these at least among the
    finding and worth-a-look tiers. Swapped round, both mirrored."""
    whole = bool(case.get("document"))
    forward, forward_leans = reported(case["old"], case["new"], tmp_path, whole)
    assert matches(forward, case["expect"]), forward
    assert set(case.get("leans", [])) <= forward_leans, forward_leans
    backward, backward_leans = reported(case["new"], case["old"], tmp_path, whole)
    assert matches(backward, [mirrored(e) for e in case["expect"]]), backward
    assert {mirrored(e) for e in case.get("leans", [])} <= backward_leans, backward_leans


def test_every_detector_has_examples_and_cases() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        assert "Weakening:" in rule.doc and "Not weakening:" in rule.doc, rule.code
        cases = tomllib.loads((CASES / f"{rule.code}.toml").read_text(encoding="utf-8"))["case"]
        # A detector that is never sure (it only suggests what is worth a look) has
        # its must-report cases in `leans`.
        assert any(c["expect"] or c.get("leans") for c in cases), f"{rule.code}: none reported"
        assert any(not c["expect"] and not c.get("leans") for c in cases), (
            f"{rule.code}: no case that must not be reported"
        )
        reported_kinds = {
            e.split(":")[0] for c in cases for e in (*c["expect"], *c.get("leans", ()))
        }
        assert reported_kinds <= set(rule.kinds), rule.code


def test_every_kind_of_finding_is_explained_for_readers() -> None:
    """The report explains each kind on hover (rules/kinds.toml): none may be missing,
    and none listed that no detector reports."""
    from cop_diff.labels import kind_summaries

    kinds = {kind for rule in RULES for kind in rule.kinds}
    summaries = kind_summaries()
    assert set(summaries) == kinds
    assert all(text.endswith(".") and len(text) > 20 for text in summaries.values())
