"""The mutation harness: each mutator makes exactly the edit it describes, neutral edits
keep the meaning, the same seed gives the same variants; and the harness script runs on a
sample draft. Detector accuracy is measured by scripts/eval_mutations.py, not asserted."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from cop_diff import mutations
from cop_diff.model import Document, Outline, Provision
from cop_diff.mutations import (
    KINDS,
    NEUTRAL,
    PLANTED,
    Variant,
    default_phrases,
    mutate,
    sentence_spans,
    sentences,
    subtree,
    variants,
    well_formed,
)

ROOT = Path(__file__).resolve().parent.parent
PHRASES = default_phrases()


def _provision(
    id: str,
    text: str,
    *,
    kind: str = "measure",
    parent: str | None = None,
    binding: bool = True,
    number: str | None = None,
    heading: str = "",
    lead_in: str | None = None,
    depth: int = 1,
) -> Provision:
    label = f"Measure {number}" if number else "(a)" if kind == "list-item" else "¶"
    return Provision(id, label, kind, number, heading, text, parent, binding, 1, depth, lead_in)


LEAD = "The assessment shall take into account:"
TINY = Outline(
    document=Document(source="tiny.txt", format="text", sha256="0", pages=None, blocks=()),
    profile="generic",
    provisions=(
        _provision(
            "section-intro",
            "This Code supports the organisation of the drafting process.",
            kind="section",
            binding=False,
            depth=0,
        ),
        _provision(
            "measure-1",
            "Signatories shall retain incident records for at least 10 years after the incident."
            " Records are kept in a secure place, e.g. an archive. Signatories shall report each"
            " serious incident within 5 days of becoming aware of it.",
            number="1",
            heading="Records",
        ),
        _provision(
            "measure-2",
            f"Signatories commit to assessing risks at least every 6 months. {LEAD}",
            number="2",
            heading="Assessment",
        ),
        _provision(
            "measure-2/1",
            "incident reports from their own organisation;",
            kind="list-item",
            parent="measure-2",
            lead_in=LEAD,
            depth=2,
        ),
        _provision(
            "measure-2/2",
            "complaints received from users; and",
            kind="list-item",
            parent="measure-2",
            lead_in=LEAD,
            depth=2,
        ),
        _provision(
            "measure-2/3",
            "the results of external audits.",
            kind="list-item",
            parent="measure-2",
            lead_in=LEAD,
            depth=2,
        ),
        _provision(
            "measure-3",
            "Measure 3 builds on Measure 2. Signatories must ensure that the review is"
            " independent in order to avoid conflicts of interest. Providers will publish"
            " the results, their methods, and their sources.",
            number="3",
            heading="Review",
        ),
    ),
)


def by_id(outline: Outline) -> dict[str, Provision]:
    return {p.id: p for p in outline.provisions}


def changes(old: Outline, new: Outline) -> tuple[set[str], set[str], set[str]]:
    """Ids removed, added, and changed (same id, other content)."""
    before, after = by_id(old), by_id(new)
    changed = {i for i in set(before) & set(after) if before[i] != after[i]}
    return set(before) - set(after), set(after) - set(before), changed


def edited(variant: Variant) -> tuple[str, str]:
    """The edited provision's text before and after; any other change is to a lead-in."""
    target = variant.mutation.provision_id
    removed, added, changed = changes(TINY, variant.outline)
    assert not removed and not added and target in changed
    before, after = by_id(TINY), by_id(variant.outline)
    for other in changed - {target}:
        assert replace(before[other], lead_in=after[other].lead_in) == after[other]
    return before[target].text, after[target].text


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def is_subsequence(short: list[str], long: list[str]) -> bool:
    rest = iter(long)
    return all(word in rest for word in short)


def only(outline: Outline, kind: str, count: int = 1) -> Variant:
    made = mutate(outline, kind, count, seed=0)
    assert made, kind
    return made[0]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_makes_a_well_formed_single_edit(kind: str) -> None:
    for variant in mutate(TINY, kind, 10, seed=3):
        mutation = variant.mutation
        assert mutation.kind == kind
        assert mutation.expected == ("weakening" if kind in PLANTED else "none")
        assert well_formed(variant.outline)
        assert variant.outline != TINY
        assert mutation.provision_id in by_id(TINY)
        if mutation.mutated_id is not None:
            assert mutation.mutated_id in by_id(variant.outline)
        assert mutation.description


def test_modal_softened_replaces_only_the_modal() -> None:
    softer = {
        mutations._agree(p, singular)
        for p in PHRASES.soften_base + PHRASES.soften_gerund
        for singular in (False, True)
    }
    for variant in mutate(TINY, "modal-softened", 10):
        removed, added, changed = changes(TINY, variant.outline)
        assert not removed and not added
        assert changed == {variant.mutation.provision_id}
        old = by_id(TINY)[variant.mutation.provision_id].text
        new = by_id(variant.outline)[variant.mutation.provision_id].text
        assert any(
            re.sub(rf"\b{strong}\b", soft, old, count=1) == new
            for strong in PHRASES.strong
            for soft in softer
        ), (old, new)


def test_softening_a_lead_in_follows_into_the_items() -> None:
    outline = replace(
        TINY,
        provisions=tuple(
            replace(p, text=LEAD.replace("The assessment", "Signatories"))
            if p.id == "measure-2"
            else replace(p, lead_in=LEAD.replace("The assessment", "Signatories"))
            if p.parent == "measure-2"
            else p
            for p in TINY.provisions
        ),
    )
    variant = next(
        v for v in mutate(outline, "modal-softened", 10) if v.mutation.provision_id == "measure-2"
    )
    after = by_id(variant.outline)
    assert after["measure-2/1"].lead_in == after["measure-2"].text != LEAD


def test_qualifier_added_inserts_one_hedge_and_keeps_every_word() -> None:
    for variant in mutate(TINY, "qualifier-added", 10):
        old, new = edited(variant)
        hedge = next(h for h in PHRASES.hedges if h.lower() in new.lower())
        assert hedge.lower() not in old.lower()
        assert is_subsequence(words(old), words(new))
        assert len(words(new)) == len(words(old)) + len(words(hedge))


def test_exemption_added_appends_a_clause_or_sentence() -> None:
    for variant in mutate(TINY, "exemption-added", 10):
        old, new = edited(variant)
        assert is_subsequence(words(old), words(new))
        extra = " ".join(w for w in words(new))
        pools = PHRASES.providers + PHRASES.models + PHRASES.situations + PHRASES.conditions
        assert any(" ".join(words(p)) in extra for p in pools)


def test_duty_sentence_removed_takes_exactly_one_duty_sentence() -> None:
    for variant in mutate(TINY, "duty-sentence-removed", 10):
        old, new = (sentences(text) for text in edited(variant))
        gone = Counter(old) - Counter(new)
        assert len(new) == len(old) - 1 and sum(gone.values()) == 1
        assert mutations.duty(next(iter(gone)), PHRASES)


def test_provision_removed_takes_the_provision_with_its_children() -> None:
    variant = next(
        v for v in mutate(TINY, "provision-removed", 10) if v.mutation.provision_id == "measure-2"
    )
    removed, added, changed = changes(TINY, variant.outline)
    assert (
        removed
        == {p.id for p in subtree(TINY, "measure-2")}
        == {
            "measure-2",
            "measure-2/1",
            "measure-2/2",
            "measure-2/3",
        }
    )
    assert not added and not changed
    assert variant.mutation.mutated_id is None


def test_list_item_removed_takes_one_item_of_a_binding_list() -> None:
    for variant in mutate(TINY, "list-item-removed", 10):
        removed, added, changed = changes(TINY, variant.outline)
        assert removed == {variant.mutation.provision_id} and not added and not changed
        assert by_id(TINY)[variant.mutation.provision_id].kind == "list-item"


def numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def test_number_changed_weakens_by_the_role_of_the_period() -> None:
    made = [v for seed in range(8) for v in mutate(TINY, "number-changed", 10, seed=seed)]
    roles = set()
    for variant in made:
        old, new = (numbers(text) for text in edited(variant))
        (before, after) = next((a, b) for a, b in zip(old, new, strict=True) if a != b)
        role = variant.mutation.description.rsplit("(", 1)[1].rstrip(")")
        roles.add(role)
        assert after < before if role == "retention" else after > before
    assert roles == {"retention", "deadline", "frequency"}


def test_periods_know_their_roles() -> None:
    found = mutations.periods(
        "Signatories shall keep logs for at least 10 years, review them every six months"
        " and reply within 3 working days; staff need at least 3 years of experience."
    )
    assert [(p.role, p.value) for p in found] == [
        ("retention", 10),
        ("frequency", 6),
        ("deadline", 3),
    ]


def test_quantity_removed_drops_the_period() -> None:
    for variant in mutate(TINY, "quantity-removed", 10):
        old, new = edited(variant)
        assert len(numbers(new)) == len(numbers(old)) - 1
        assert "  " not in new and " ." not in new and " ," not in new


def test_moved_to_box_puts_the_duty_in_a_non_binding_child() -> None:
    for variant in mutate(TINY, "moved-to-box", 10):
        removed, added, changed = changes(TINY, variant.outline)
        target = variant.mutation.provision_id
        (box_id,) = added
        box = by_id(variant.outline)[box_id]
        assert not removed and changed == {target}
        assert box.parent == target and not box.binding and box.kind == "recital-box"
        gone = Counter(sentences(by_id(TINY)[target].text)) - Counter(
            sentences(by_id(variant.outline)[target].text)
        )
        assert list(gone) == [box.text]
        ids = [p.id for p in variant.outline.provisions]
        assert ids.index(box_id) == max(ids.index(p.id) for p in subtree(variant.outline, target))


def test_modal_synonym_swaps_shall_and_must_only() -> None:
    for variant in mutate(TINY, "modal-synonym", 10):
        old, new = edited(variant)
        assert old.replace("must", "shall") == new.replace("must", "shall")


def test_spelling_and_synonyms_keep_the_words_meaning() -> None:
    spelled = only(TINY, "spelling")
    assert by_id(spelled.outline)["section-intro"] == by_id(TINY)["section-intro"]
    for variant in mutate(TINY, "spelling", 10) + mutate(TINY, "synonym", 10):
        old, new = edited(variant)
        pairs = PHRASES.spellings + PHRASES.synonyms
        assert any(
            re.sub(re.escape(a), b, old, flags=re.I).lower()
            == re.sub(re.escape(a), b, new, flags=re.I).lower()
            or re.sub(re.escape(b), a, old, flags=re.I).lower()
            == re.sub(re.escape(b), a, new, flags=re.I).lower()
            for a, b in pairs
        )


def test_list_reordered_moves_items_and_keeps_their_closing_punctuation() -> None:
    variant = only(TINY, "list-reordered")
    after = by_id(variant.outline)
    items = [after[f"measure-2/{n}"].text for n in (1, 2, 3)]
    assert items != [by_id(TINY)[f"measure-2/{n}"].text for n in (1, 2, 3)]
    assert items[0].endswith(";") and items[1].endswith("; and") and items[2].endswith(".")

    def core(text: str) -> str:
        return re.sub(r"(;|; and|\.)$", "", text)

    assert sorted(map(core, items)) == sorted(core(p.text) for p in TINY.children("measure-2"))


def test_renumbered_follows_children_ids_and_cross_references() -> None:
    variant = next(
        v for v in mutate(TINY, "renumbered", 10) if v.mutation.provision_id == "measure-2"
    )
    assert variant.mutation.mutated_id == "measure-3"
    after = by_id(variant.outline)
    assert [p.label for p in variant.outline.provisions if p.kind == "measure"] == [
        "Measure 1",
        "Measure 3",
        "Measure 4",
    ]
    assert after["measure-3/1"].parent == "measure-3"
    assert after["measure-4"].text.startswith("Measure 4 builds on Measure 3.")
    assert [p.text for p in variant.outline.provisions][:3] == [p.text for p in TINY.provisions][:3]


def test_sentences_swapped_keeps_the_same_sentences() -> None:
    for variant in mutate(TINY, "sentences-swapped", 10):
        old, new = (sentences(text) for text in edited(variant))
        assert sorted(old) == sorted(new) and old != new


def test_punctuation_changes_no_word() -> None:
    for variant in mutate(TINY, "punctuation", 10, seed=5):
        old, new = edited(variant)
        assert words(old) == words(new)


def test_the_same_seed_gives_the_same_variants() -> None:
    assert variants(TINY, 3, seed=7) == variants(TINY, 3, seed=7)
    first = {v.mutation for v in variants(TINY, 1, seed=1)}
    assert any({v.mutation for v in variants(TINY, 1, seed=s)} != first for s in range(2, 8))


def test_sentence_spans_skip_abbreviations_and_numbers() -> None:
    text = "Keep records, e.g. logs. See Article 5. Then act.\n\nNext paragraph"
    assert sentences(text) == (
        "Keep records, e.g. logs.",
        "See Article 5.",
        "Then act.",
        "Next paragraph",
    )
    assert sentence_spans("") == ()


def test_the_harness_never_reads_the_detector_lexicon() -> None:
    for path in (ROOT / "cop_diff" / "mutations.py", ROOT / "scripts" / "eval_mutations.py"):
        source = path.read_text(encoding="utf-8")
        assert "lexicons" not in source and "load_lexicon" not in source


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "eval_mutations", ROOT / "scripts" / "eval_mutations.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_harness_runs_on_a_sample_draft(capsys: pytest.CaptureFixture[str]) -> None:
    script = load_script()
    report = script.evaluate([ROOT / "drafts" / "sample-v1.pdf"], per_kind=1, jobs=1)
    kinds = Counter(o.trial.mutation.kind for o in report.outcomes)
    assert set(kinds) == set(KINDS)
    for kind in PLANTED:
        directions = {o.trial.expected for o in report.outcomes if o.trial.mutation.kind == kind}
        assert directions == {"weakening", "strengthening"}
    for kind in NEUTRAL:
        assert kinds[kind] == 1
    verdicts = Counter(o.verdict for o in report.outcomes)
    assert sum(verdicts.values()) == len(report.outcomes) == 2 * len(PLANTED) + len(NEUTRAL)
    assert set(verdicts) <= {"found", "wrong", "missed", "flagged", "quiet"}
    assert set(report.self_flags) == {"sample-v1.pdf"}
    script.print_report(report, True, 1)
    printed = capsys.readouterr().out
    assert "all planted" in printed and "neutral flagged:" in printed
