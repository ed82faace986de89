"""Segmentation on hand-made block sequences: profiles, nesting, boxes, binding."""

from __future__ import annotations

from pathlib import Path

import pytest

from cop_diff.errors import InputError
from cop_diff.model import Block, Document, Outline, Provision
from cop_diff.profiles import load_profiles, load_vocabulary
from cop_diff.segment import SegmentSettings, segment


def heading(text: str, level: int = 2) -> Block:
    return Block(text=text, kind="heading", level=level)


def para(text: str) -> Block:
    return Block(text=text, kind="paragraph")


def item(text: str, marker: str = "•", level: int = 1) -> Block:
    return Block(text=text, kind="list-item", marker=marker, level=level)


def boxed(block: Block, box: str, box_id: int) -> Block:
    from dataclasses import replace

    return replace(block, box=box, box_id=box_id)  # type: ignore[arg-type]


def outline_of(*blocks: Block, settings: SegmentSettings | None = None) -> Outline:
    document = Document(source="t", format="text", sha256="0", pages=None, blocks=blocks)
    return segment(document, settings)


def find(outline: Outline, label: str) -> Provision:
    found = [p for p in outline.provisions if p.label == label]
    assert len(found) == 1, [p.label for p in outline.provisions]
    return found[0]


def kids(outline: Outline, provision: Provision) -> list[Provision]:
    return [p for p in outline.provisions if p.parent == provision.id]


COMMITMENT_DRAFT = (
    heading("Opening statement", 1),
    para("We present a draft. Commitment 4. is discussed below."),
    heading("Commitment 1. Reporting", 2),
    para("Signatories commit to reporting incidents."),
    heading("Measure 1.1. Incident log", 3),
    para("Signatories shall keep a log containing:"),
    item("the date;", "(a)"),
    item("the cause; and", "(b)"),
    item("a sub-point", "(i)", level=2),
    heading("Measure 1.2: Deadlines", 3),
    para("Signatories shall notify within 72 hours."),
    heading("Commitment 2 Hazards", 2),
    heading("2.1 Selected hazards", 3),
    item("collision"),
    item("fire"),
    heading("2.2 Other hazards for potential consideration", 3),
    item("noise"),
)


def test_commitment_profile_labels_numbers_and_nesting() -> None:
    outline = outline_of(*COMMITMENT_DRAFT)
    assert outline.profile == "cop-commitments"
    commitment = find(outline, "Commitment 1")
    assert (commitment.kind, commitment.number, commitment.heading) == (
        "commitment",
        "1",
        "Reporting",
    )
    assert commitment.text == "Signatories commit to reporting incidents."
    measure = find(outline, "Measure 1.2")
    assert measure.parent == commitment.id and measure.heading == "Deadlines"
    log = find(outline, "Measure 1.1")
    items = kids(outline, log)
    assert [p.label for p in items] == ["(a)", "(b)"]
    assert [p.label for p in kids(outline, items[1])] == ["(i)"]
    assert all(p.binding for p in items)


def test_cross_reference_in_running_text_is_not_a_provision() -> None:
    outline = outline_of(*COMMITMENT_DRAFT)
    assert [p.label for p in outline.provisions if p.kind == "commitment"] == [
        "Commitment 1",
        "Commitment 2",
    ]


def test_sections_inside_commitments_and_non_binding_consideration_list() -> None:
    outline = outline_of(*COMMITMENT_DRAFT)
    selected = find(outline, "2.1")
    assert selected.binding and len(kids(outline, selected)) == 2
    other = find(outline, "2.2")
    assert not other.binding
    assert not any(p.binding for p in kids(outline, other))


def test_opening_statement_paragraphs_do_not_bind() -> None:
    outline = outline_of(*COMMITMENT_DRAFT)
    opening = find(outline, "Opening statement")
    paragraphs = kids(outline, opening)
    assert [p.kind for p in paragraphs] == ["paragraph"]
    assert not opening.binding and not paragraphs[0].binding


def test_measure_profile_detected_for_first_draft_numbering() -> None:
    outline = outline_of(
        heading("Measure 1. Documentation", 2),
        heading("Sub-Measure 1.1. Content", 3),
        para("Signatories will document."),
        heading("Measure 2. Copyright", 2),
        heading("Sub-Measure 2.1 Policy", 3),
    )
    assert outline.profile == "cop-measures"
    sub = find(outline, "Sub-Measure 2.1")
    assert sub.kind == "sub-measure" and sub.parent == find(outline, "Measure 2").id


def test_measure_profile_nests_numbered_appendices() -> None:
    outline = outline_of(
        heading("Measure 1. Documentation", 2),
        para("Signatories will document."),
        heading("Appendix 1. Taxonomy", 2),
        heading("Appendix 1.1 Selected widgets", 3),
        item("round widgets;"),
    )
    appendix = find(outline, "Appendix 1.1")
    assert appendix.kind == "appendix" and appendix.parent == find(outline, "Appendix 1").id


def test_a_measure_titled_like_a_summary_still_binds() -> None:
    outline = outline_of(
        heading("Measure 1. Documentation", 2),
        heading("Sub-Measure 1.1. Summary of test results", 3),
        para("Signatories shall publish a summary of their test results."),
        heading("Explanation of changes", 3),
        para("We merged two measures."),
    )
    assert find(outline, "Sub-Measure 1.1").binding
    assert not find(outline, "Explanation of changes").binding


def test_eu_act_profile_articles_bind_by_default() -> None:
    outline = outline_of(
        heading("CHAPTER I General provisions", 1),
        heading("Article 1 Subject matter", 2),
        item("This Regulation lays down rules.", "1."),
        heading("Article 2 Scope", 2),
        item("It applies to providers.", "1."),
        item("placing on the market", "(a)", level=2),
    )
    assert outline.profile == "eu-act"
    article = find(outline, "Article 2")
    assert article.kind == "article" and article.binding
    paragraph = kids(outline, article)[0]
    assert paragraph.label == "(1)" and [p.label for p in kids(outline, paragraph)] == ["(a)"]


def test_generic_fallback_keeps_headings_and_paragraphs() -> None:
    outline = outline_of(
        heading("Purpose", 1),
        para("First paragraph."),
        para("Second paragraph."),
        heading("Method", 1),
        para("Third."),
    )
    assert outline.profile == "generic"
    purpose = find(outline, "Purpose")
    assert [p.text for p in kids(outline, purpose)] == ["First paragraph.", "Second paragraph."]
    assert all(p.binding for p in outline.provisions)


def test_overview_that_repeats_commitments_is_not_the_commitment() -> None:
    outline = outline_of(
        heading("Overview", 1),
        heading("Commitment 1. Reporting", 3),
        para("Summary of the reporting commitment."),
        heading("Commitment 2. Hazards", 3),
        heading("Commitments in full", 1),
        heading("Commitment 1. Reporting", 2),
        para("Signatories commit to reporting."),
        heading("Measure 1.1 Log", 3),
        heading("Commitment 2. Hazards", 2),
        heading("Measure 2.1 List", 3),
    )
    commitments = [p for p in outline.provisions if p.kind == "commitment"]
    assert [p.label for p in commitments] == ["Commitment 1", "Commitment 2"]
    assert commitments[0].id == "commitment-1"
    overviews = [p for p in outline.provisions if p.kind == "overview"]
    assert len(overviews) == 2 and not any(p.binding for p in overviews)


def test_boxes_are_non_binding_and_explanations_attach_to_their_provision() -> None:
    outline = outline_of(
        heading("Commitment 3. Incidents", 2),
        boxed(heading("LEGAL TEXT", 4), "legal", 1),
        boxed(para("Article 9: providers shall report."), "legal", 1),
        heading("Measure 3.1 Log", 3),
        para("Signatories shall keep a log."),
        boxed(
            para("Explanation of changes to Commitment 3: we merged two measures."),
            "explanatory",
            2,
        ),
        boxed(item("first change"), "explanatory", 2),
    )
    commitment = find(outline, "Commitment 3")
    legal = find(outline, "LEGAL TEXT")
    assert legal.kind == "legal-text" and legal.parent == commitment.id and not legal.binding
    assert legal.text == "Article 9: providers shall report."
    explanation = find(outline, "Explanation of changes to Commitment 3")
    assert explanation.kind == "explanatory" and explanation.parent == commitment.id
    assert explanation.text == "we merged two measures."
    assert [p.binding for p in kids(outline, explanation)] == [False]


def test_kpi_heading_outside_a_box_covers_only_its_list() -> None:
    outline = outline_of(
        heading("Commitment 1. Reporting", 2),
        heading("Measure 1.1 Log", 3),
        para("Signatories shall keep a log."),
        heading("Potential Key Performance Indicator", 4),
        item("KPI 1.1.1: share of incidents logged"),
        para("The log is kept for ten years."),
    )
    measure = find(outline, "Measure 1.1")
    kpi = find(outline, "Potential Key Performance Indicator")
    assert kpi.kind == "kpi" and not kpi.binding and kpi.parent == measure.id
    assert not kids(outline, kpi)[0].binding
    assert measure.text.endswith("The log is kept for ten years.")


def test_recitals_are_labelled_and_do_not_bind() -> None:
    outline = outline_of(
        heading("Recitals", 1),
        item("Whereas drones fly low.", "(a)"),
        item("Whereas batteries burn.", "(b)"),
        heading("Commitment 1. Reporting", 2),
        heading("Commitment 2. Hazards", 2),
    )
    recital = find(outline, "Recital (b)")
    assert recital.kind == "recital" and recital.number == "b" and not recital.binding


def test_user_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "rules.toml"
    profile.write_text(
        'name = "rulebook"\ndescription = "Rule N"\n[[levels]]\nkind = "rule"\nrank = 1\n'
        "pattern = '^Rule\\s+(?P<number>\\d+)\\s*(?P<heading>.*)$'\nlabel = \"Rule {number}\"\n"
        "binding = true\n",
        encoding="utf-8",
    )
    settings = SegmentSettings(load_profiles((profile,)), load_vocabulary())
    outline = outline_of(heading("Rule 1 Safety"), heading("Rule 2 Speed"), settings=settings)
    assert outline.profile == "rulebook"
    assert find(outline, "Rule 2").kind == "rule"


def test_bad_user_profile_is_a_clear_error(tmp_path: Path) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text('name = "x"\n[[levels]]\nkind = "rule"\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad profile"):
        load_profiles((profile,))


def test_ids_are_unique_and_stable() -> None:
    first = outline_of(*COMMITMENT_DRAFT)
    second = outline_of(*COMMITMENT_DRAFT)
    ids = [p.id for p in first.provisions]
    assert len(ids) == len(set(ids))
    assert ids == [p.id for p in second.provisions]
