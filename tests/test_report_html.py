"""The HTML redline as a file: self-contained, escaped, complete, linked, deterministic."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from jinja2.bccache import bc_magic

from cop_diff.cli import main
from cop_diff.model import Finding
from cop_diff.redline import anchor_part, build_redline, long_labels
from cop_diff.render import csp_hash, render_html, render_report
from tests.report_support import (
    controlled_comparison,
    sample_comparison,
    write_hostile_drafts,
)


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


def controlled_page() -> lxml.html.HtmlElement:
    return parse(render_html(controlled_comparison()))


@given(st.text(), st.text())
def test_anchors_are_safe_and_never_collide(a: str, b: str) -> None:
    for text in (a, b):
        assert re.fullmatch(r"[A-Za-z0-9.~_-]*", anchor_part(text))
    if a != b:
        assert anchor_part(a) != anchor_part(b)


def test_anchor_keeps_ids_readable() -> None:
    assert anchor_part("measure-II.6.2/3") == "measure-II.6.2__3"
    assert anchor_part("a b_c") == "a_20_b_5f_c"


def test_one_self_contained_file() -> None:
    page = controlled_page()
    csp = page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "unsafe" not in csp
    (style,) = page.xpath("//style")
    (script,) = page.xpath("//script")
    # The hashes in the policy are those of the inline style and script, and nothing
    # else is allowed to load: no src, no external href, no stylesheet link.
    assert csp_hash(style.text) in csp and csp_hash(script.text) in csp
    assert not page.xpath("//*[@src]")
    assert not page.xpath("//link[@rel='stylesheet']")
    hrefs = page.xpath("//@href")
    assert all(h.startswith("#") or h == "data:," for h in hrefs)


def test_every_link_lands_and_ids_are_unique() -> None:
    page = controlled_page()
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    targets = {h[1:] for h in page.xpath("//a/@href") if h.startswith("#")}
    assert targets and targets <= set(ids)


def test_every_provision_of_both_drafts_has_a_permalink() -> None:
    comparison = sample_comparison()
    ids = set(controlled_page().xpath("//@id"))
    for provision in comparison.old.provisions:
        assert f"old-{anchor_part(provision.id)}" in ids
    for provision in comparison.new.provisions:
        assert f"new-{anchor_part(provision.id)}" in ids


def test_weaker_first_then_stronger_then_other() -> None:
    page = controlled_page()
    sections = [s.get("id") for s in page.xpath("//main/section")]
    assert sections == ["summary", "weaker", "stronger", "worth-a-look", "other", "document"]
    weaker = page.get_element_by_id("weaker")
    rules = [li.get("data-rule") for li in weaker.xpath(".//li[@data-rule]")]
    # In rank order (confidence times the provision's weight): binding text before a recital.
    assert rules == ["modal-weakened", "qualifier-added", "obligation-removed"]
    assert [li.get("data-binding") for li in weaker.xpath(".//li[@data-rule]")] == ["1", "1", "0"]
    stronger = page.get_element_by_id("stronger")
    assert [li.get("data-rule") for li in stronger.xpath(".//li[@data-rule]")] == [
        "modal-strengthened"
    ]


def test_a_finding_shows_evidence_confidence_rationale_and_both_provisions() -> None:
    page = controlled_page()
    (finding,) = page.xpath("//li[@data-rule='modal-weakened']")
    assert finding.get("id") == "f-modal-weakened-new-measure-II.6.3"
    assert [d.text_content() for d in finding.xpath(".//del")] == ["commit", "sharing"]
    assert "are encouraged" in [i.text_content() for i in finding.xpath(".//ins")]
    text = finding.text_content()
    assert "Confidence 90%" in text and "Operators asked for flexibility." in text
    assert finding.xpath(".//blockquote")[0].text_content() == "Operators asked for flexibility."
    links = finding.xpath(".//a/@href")
    assert "#old-measure-7.3" in links and "#new-measure-II.6.3" in links
    assert "Measure 7.3, p. 6 → Measure II.6.3, p. 5" in finding.xpath(".//h3")[0].text_content()


def test_chart_counts_per_commitment_of_the_new_draft() -> None:
    redline = build_redline(controlled_comparison())
    groups = {g.label: (g.weakening, g.strengthening) for g in redline.groups}
    assert groups == {
        "Recitals": (1, 0),  # not numbered: the highest heading that is not the title
        "Commitment II.4": (1, 0),
        "Commitment II.5": (0, 1),
        "Commitment II.6": (1, 0),
    }
    assert [g.label for g in redline.groups] == list(groups)  # in document order
    page = controlled_page()
    (svg,) = page.xpath("//svg")
    assert svg.get("role") == "img"
    assert "Commitment II.6: 1 weaker, 0 stronger." in svg.xpath(".//desc")[0].text_content()


def test_removed_finding_groups_under_its_commitment_renumbered() -> None:
    comparison = dataclasses.replace(
        controlled_comparison(),
        findings=(
            Finding("obligation-removed", "weakening", "measure-8.2", None, "shall", "", "x", 0.9),
        ),
    )
    (group,) = build_redline(comparison).groups
    assert (group.label, group.anchor) == ("Commitment II.7", "new-commitment-II.7")


def test_the_whole_document_side_by_side() -> None:
    page = controlled_page()
    rows = page.xpath("//section[@id='document']//details[contains(@class, 'prov')]")
    assert len(rows) == len(build_redline(controlled_comparison()).rows)
    # Folded by default: the findings come first; a click (or a permalink) opens it.
    assert page.get_element_by_id("document-fold").get("open") is None
    by_id = {row.get("id"): row for row in rows}
    changed = by_id["new-measure-II.6.3"]
    assert changed.get("open") is not None
    summary = changed.xpath("./summary")[0].text_content()
    assert "Measure 7.3 → Measure II.6.3" in summary and "renumbered" in summary
    old_side, new_side = changed.xpath(".//div[@class='sides']/div")
    assert "commit" in [d.text_content() for d in old_side.xpath(".//del")]
    assert not old_side.xpath(".//ins") and not new_side.xpath(".//del")
    removed = by_id["old-measure-8.1"]
    assert removed.get("data-relation") == "removed" and removed.xpath(".//del")
    added = by_id["new-section-recitals__recital-e"]
    assert added.get("data-relation") == "added" and added.xpath(".//ins")
    unchanged = by_id["new-measure-II.1.2"]
    assert unchanged.get("data-relation") == "unchanged" and unchanged.get("open") is None
    moved = by_id["new-appendix-1.3__1"]
    assert "from 3.2 to Appendix 1.3" in moved.text_content()


def test_long_labels_name_items_and_boxes() -> None:
    labels = long_labels(sample_comparison().new)
    assert labels["measure-II.6.2/3"] == "Measure II.6.2, item 3"
    assert labels["measure-II.3.3/2/1"] == "Measure II.3.3 (2) (a)"
    assert labels["measure-II.6.3"] == "Measure II.6.3"


def test_same_comparison_same_bytes() -> None:
    assert render_html(controlled_comparison()) == render_html(controlled_comparison())


def test_hostile_draft_text_is_only_text(tmp_path: Path) -> None:
    old, new = write_hostile_drafts(tmp_path)
    out = tmp_path / "redline.html"
    result = CliRunner().invoke(main, ["compare", str(old), str(new), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    html = out.read_text(encoding="utf-8")
    page = parse(html)
    assert len(page.xpath("//script")) == 1  # ours
    assert not page.xpath("//img") and not page.xpath("//b")
    assert not page.xpath("//@onerror")
    text = page.text_content()
    assert "<script>alert(1)</script>" in text and "{{ 7*7 }}" in text
    assert "<img src=x onerror=alert(3)>" in text
    assert "&lt;script&gt;" in html and "publish 49" not in text


def test_html_from_extension_and_format_option(tmp_path: Path) -> None:
    comparison = controlled_comparison()
    assert isinstance(render_report(comparison, "html"), str)
    out = tmp_path / "report.htm"
    args = ["compare", "drafts/sample-v2.pdf", "drafts/sample-v3.pdf", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    result = CliRunner().invoke(main, [*args[:3], "--format", "html"])
    assert result.stdout.startswith("<!DOCTYPE html>")


def test_compiled_templates_are_kept_and_never_break_a_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COP_DIFF_CACHE_DIR", str(folder))
    comparison = controlled_comparison()
    expected = render_html(comparison)
    assert not folder.exists()  # by default (and with --no-cache) nothing is kept
    assert render_html(comparison, keep_compiled=True) == expected
    entries = sorted((folder / "templates").iterdir())
    assert entries, "the compiled templates were not kept"
    assert render_html(comparison, keep_compiled=True) == expected  # read back
    for garbage in (b"garbage, not bytecode", bc_magic + b"garbage after the right header"):
        for entry in entries:
            entry.write_bytes(garbage)
        assert render_html(comparison, keep_compiled=True) == expected
    # A cache folder that cannot be made: templates are compiled in memory, as before.
    monkeypatch.setenv("COP_DIFF_CACHE_DIR", str(tmp_path / "file"))
    (tmp_path / "file").write_text("a file where the folder should be")
    assert render_html(comparison, keep_compiled=True) == expected


def test_compiled_templates_are_not_read_from_a_folder_others_may_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COP_DIFF_CACHE_DIR", str(tmp_path))
    shared = tmp_path / "templates"
    shared.mkdir()
    shared.chmod(0o777)
    expected = render_html(controlled_comparison(), keep_compiled=True)
    assert not list(shared.iterdir())  # neither written nor read
    shared.chmod(0o700)
    assert render_html(controlled_comparison(), keep_compiled=True) == expected
    assert list(shared.iterdir())


def test_a_removed_provision_says_where_its_duties_went() -> None:
    """#14: a restructured provision is not shown as simply deleted: the finding and the
    document's row link to the provisions that now carry its duties."""
    removed = Finding(
        "provision-removed",
        "neutral",
        "measure-8.1",
        None,
        "x",
        "",
        "Measure 8.1 has no counterpart in the new draft. Kept elsewhere: Measure II.6.3.",
        0.9,
        elsewhere=("measure-II.6.3",),
    )
    comparison = dataclasses.replace(controlled_comparison(), findings=(removed,))
    page = parse(render_html(comparison))
    card = page.xpath("//li[@data-rule='provision-removed']")[0]
    went = card.xpath(".//p[@class='elsewhere']")[0]
    assert went.text_content() == "Where it went: Measure II.6.3"
    assert went.xpath(".//a/@href") == ["#new-measure-II.6.3"]
    row = page.get_element_by_id("old-measure-8.1")
    note = row.xpath(".//div[@class='side-new']/p")[0]
    assert "its duties are now in Measure II.6.3" in note.text_content()
    assert note.xpath(".//a/@href") == ["#new-measure-II.6.3"]


def test_a_table_row_is_named_as_a_row_of_its_table(tmp_path: Path) -> None:
    from cop_diff.pipeline import Settings, outline_file
    from cop_diff.rules.base import name

    draft = tmp_path / "draft.html"
    draft.write_text(
        "<h2>Measure 1.1 Documentation</h2><p>Signatories shall document:</p>"
        "<table><thead><tr><th>Item</th><th>Detail</th></tr></thead>"
        "<tbody><tr><td>Name</td><td>The model name</td></tr>"
        "<tr><td>Licence</td><td>The licence</td></tr></tbody></table>",
        encoding="utf-8",
    )
    outline = outline_file(draft, Settings(cache=False))
    by_id = {p.id: p for p in outline.provisions}
    (second,) = [p for p in outline.provisions if p.label == "Row 2"]
    assert long_labels(outline)[second.id] == "Table 1, row 2"
    assert name(second, by_id) == "row 2 of Table 1"


def test_a_finding_shown_under_its_tier_reads_as_a_sentence() -> None:
    from cop_diff.model import Finding
    from cop_diff.redline import statement

    explanation = "Possibly (weakening): row 4 of Table 1 lost a duty: ... is gone."
    finding = Finding("obligation-removed", "neutral", "t/4", None, "x", "", explanation, 0.5)
    assert statement(finding) == "Row 4 of Table 1 lost a duty: ... is gone."
