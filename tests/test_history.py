"""History (#17): each provision followed through a series of drafts.

Lineages are checked on made-up alignments (every relation the aligner records), on the
sample drafts v1 -> v2 -> v3 (their answer key in drafts/README.md) and on the real First,
Second and Third Drafts; the command line's outputs and errors as a user meets them."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cop_diff.cli import main
from cop_diff.history import build_history, history_files, verdict
from cop_diff.history_report import SCHEMA, render_history
from cop_diff.history_view import series_warnings
from cop_diff.model import (
    Alignment,
    Comparison,
    Document,
    Finding,
    History,
    Outline,
    Provision,
)
from cop_diff.pipeline import compare_files

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = tuple(ROOT / "drafts" / f"sample-v{n}.pdf" for n in (1, 2, 3))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- lineages over made-up alignments -----------------------------------------------------


def outline(name: str, *ids: str) -> Outline:
    provisions = tuple(
        Provision(i, i.upper(), "measure", None, "", f"text of {i}", None, True) for i in ids
    )
    return Outline(
        Document(f"/home/someone/{name}.md", "text", name, None, ()), "generic", provisions
    )


def finding(old: str | None, new: str | None, direction: str = "weakening") -> Finding:
    return Finding(
        rule="modal-weakened" if direction == "weakening" else "modal-strengthened",
        direction=direction,  # type: ignore[arg-type]
        old=old,
        new=new,
        old_text="shall",
        new_text="should",
        explanation="",
        confidence=0.9,
    )


D1 = outline("d1", "a", "b", "c", "d", "e")
D2 = outline("d2", "a2", "b2", "d2", "d2x", "n2")
D3 = outline("d3", "a3", "b3", "d3", "d3x")
STEP_1 = Comparison(
    D1,
    D2,
    (
        Alignment("a", "a2", "changed", 0.8),
        Alignment("b", "b2", "unchanged", 1.0),
        Alignment("c", "b2", "merged", 0.9),  # c went into b2, which carries b on
        Alignment("d", "d2", "moved", 0.7),
        Alignment("d", "d2x", "split", 0.8),  # d2x came out of d, which goes on as d2
        Alignment("e", None, "removed", 1.0),
        Alignment(None, "n2", "added", 1.0),
    ),
    (),
    (finding("a", "a2"), finding("c", "b2"), finding(None, "n2", "strengthening")),
)
STEP_2 = Comparison(
    D2,
    D3,
    (
        Alignment("a2", "a3", "changed", 0.8),
        Alignment("b2", "b3", "unchanged", 1.0),
        Alignment("d2", "d3", "unchanged", 1.0),
        Alignment("d2x", "d3x", "unchanged", 1.0),
        Alignment("n2", "a3", "merged", 0.8),
    ),
    (),
    (finding("a2", "a3", "strengthening"), finding("e", None)),
)


def chains(history: History) -> list[list[str | None]]:
    return [[link.id if link else None for link in lineage.chain] for lineage in history.lineages]


def test_lineages_follow_pairs_and_end_or_begin_at_merges_splits_removals() -> None:
    with pytest.raises(ValueError, match="names no provision"):
        build_history((D1, D2, D3), (STEP_1, STEP_2))  # "e" is not in D2 or D3
    step_2 = Comparison(D2, D3, STEP_2.alignment, (), STEP_2.findings[:1])
    history = build_history((D1, D2, D3), (STEP_1, step_2))
    assert chains(history) == [
        # The last draft's lineages in its order, then those that ended, latest first.
        ["a", "a2", "a3"],
        ["b", "b2", "b3"],
        ["d", "d2", "d3"],
        [None, "d2x", "d3x"],
        [None, "n2", None],
        ["c", None, None],
        ["e", None, None],
    ]
    by_first = {
        next(link.id for link in lineage.chain if link): lineage for lineage in history.lineages
    }
    assert [link.relation if link else None for link in by_first["a"].chain] == [
        None,
        "changed",
        "changed",
    ]
    split = by_first["d2x"].chain[1]
    assert split is not None and split.relation == "split" and split.split_from == "d"
    assert by_first["n2"].chain[1] is not None and by_first["n2"].chain[1].relation == "added"
    assert by_first["c"].end is not None and by_first["c"].end.relation == "merged"
    assert by_first["c"].end.merged_into == "b2" and by_first["c"].end.draft == 1
    assert by_first["n2"].end is not None and by_first["n2"].end.merged_into == "a3"
    assert by_first["e"].end is not None and by_first["e"].end.relation == "removed"
    assert by_first["b"].end is None

    # A finding goes to the lineage of its old provision, else of its new one.
    assert [(s.step, s.finding.old) for s in by_first["a"].findings] == [(0, "a"), (1, "a2")]
    assert [s.finding.old for s in by_first["c"].findings] == ["c"]
    assert [s.finding.new for s in by_first["n2"].findings] == ["n2"]
    assert verdict(by_first["a"]) == "mixed" and verdict(by_first["c"]) == "weaker"
    assert verdict(by_first["n2"]) == "stronger" and verdict(by_first["b"]) == "unchanged"
    assert verdict(by_first["d"]) == "changed" and verdict(by_first["e"]) == "changed"
    assert_each_provision_in_one_lineage(history)


def test_a_draft_dated_before_the_one_ahead_of_it_is_said() -> None:
    def dated(draft: Outline, day: str) -> Outline:
        return replace(draft, document=replace(draft.document, date=day))

    step_2 = Comparison(D2, D3, STEP_2.alignment, (), ())
    in_order = build_history((dated(D1, "2024-11"), dated(D2, "2024-12-19"), D3), (STEP_1, step_2))
    assert series_warnings(in_order) == []
    backwards = build_history((dated(D1, "2024-12-19"), dated(D2, "2024-11"), D3), (STEP_1, step_2))
    assert series_warnings(backwards) == [
        "D2 (d2.md, Nov 2024) is dated before D1 (d1.md, 19 Dec 2024); the drafts are taken "
        "in the order given"
    ]


def test_a_series_needs_one_step_fewer_than_drafts() -> None:
    with pytest.raises(ValueError, match="n - 1 steps"):
        build_history((D1, D2, D3), (STEP_1,))


def assert_each_provision_in_one_lineage(history: History) -> None:
    """Every provision of every draft is in exactly one lineage, and every finding of every
    step in exactly one lineage, at its step."""
    for k, step_outline in enumerate(history.outlines):
        placed = Counter(line.chain[k].id for line in history.lineages if line.chain[k] is not None)
        assert set(placed) == {p.id for p in step_outline.provisions}
        assert set(placed.values()) <= {1}
    for k, step in enumerate(history.steps):
        found = Counter(
            s.finding for line in history.lineages for s in line.findings if s.step == k
        )
        assert found == Counter(step.findings)
    for lineage in history.lineages:
        assert len(lineage.chain) == len(history.outlines)
        # Each link's relation is its step's alignment's: a pair, or a split, or an addition.
        for k, (before, link) in enumerate(itertools.pairwise(lineage.chain)):
            if link is None:
                continue
            origin = before.id if before is not None else link.split_from
            recorded = {(a.old, a.new): a.relation for a in history.steps[k].alignment}
            assert recorded[(origin, link.id)] == link.relation
        present = [i for i, link in enumerate(lineage.chain) if link is not None]
        assert present == list(range(present[0], present[-1] + 1))  # no gaps
        assert (lineage.end is None) == (present[-1] == len(history.outlines) - 1)


# --- the sample drafts ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def samples() -> History:
    return history_files(SAMPLES)


def lineage_of(history: History, draft: int, provision_id: str) -> list[str | None]:
    for lineage in history.lineages:
        link = lineage.chain[draft]
        if link is not None and link.id == provision_id:
            return [link.id if link else None for link in lineage.chain]
    raise AssertionError(f"{provision_id} is in no lineage")


def test_sample_lineages_follow_the_answer_key(samples: History) -> None:
    """drafts/README.md: where each provision goes, numbers being no identities."""
    assert lineage_of(samples, 0, "measure-5") == ["measure-5", "commitment-4", "commitment-II.3"]
    assert lineage_of(samples, 0, "sub-measure-4.4") == [
        "sub-measure-4.4",
        "measure-4.4",
        "measure-II.3.4",
    ]
    assert lineage_of(samples, 0, "sub-measure-2.1") == [
        "sub-measure-2.1",
        "section-3.2",
        "appendix-1.2",
    ]
    assert_each_provision_in_one_lineage(samples)


def test_sample_findings_of_each_step_are_the_pairwise_reports(samples: History) -> None:
    for k, (old, new) in enumerate(itertools.pairwise(SAMPLES)):
        pairwise = compare_files(old, new).findings
        found = [s.finding for line in samples.lineages for s in line.findings if s.step == k]
        assert Counter(found) == Counter(pairwise) and len(found) == len(pairwise) > 0


def test_json_says_the_order_and_the_drafts(samples: History) -> None:
    record = json.loads(render_history(samples, "json"))
    assert record["schema"] == SCHEMA and record["order"] == "given"
    assert [d["source"] for d in record["drafts"]] == [p.name for p in SAMPLES]
    assert [d["index"] for d in record["drafts"]] == [0, 1, 2]
    assert all({"title", "date", "sha256", "format", "pages"} <= set(d) for d in record["drafts"])
    assert [s["step"] for s in record["steps"]] == [0, 1]
    lineages = record["lineages"]
    assert len(lineages) == len(samples.lineages)
    for lineage in lineages:
        assert len(lineage["chain"]) == 3
        for link in lineage["chain"]:
            assert link is None or {"id", "label", "relation"} <= set(link)
        assert all(f["step"] in (0, 1) and "rule" in f and "tier" in f for f in lineage["findings"])
    first_ids = [line["chain"][0] and line["chain"][0]["id"] for line in lineages]
    hazards = lineages[first_ids.index("sub-measure-2.1")]
    assert [link["label"] for link in hazards["chain"]] == [
        "Sub-Measure 2.1",
        "3.2",
        "Appendix 1.2",
    ]
    assert [link["relation"] for link in hazards["chain"]] == [None, "changed", "unchanged"]


def test_no_local_path_in_any_output(samples: History) -> None:
    for output_format in ("json", "html", "md", "text"):
        text = render_history(samples, output_format)
        assert str(ROOT) not in text, output_format
        assert "sample-v1.pdf" in text


def test_a_series_is_taken_in_the_order_given(samples: History) -> None:
    backwards = history_files(SAMPLES[::-1])
    record = json.loads(render_history(backwards, "json"))
    assert [d["source"] for d in record["drafts"]] == [p.name for p in SAMPLES[::-1]]
    assert lineage_of(backwards, 0, "commitment-II.3") == [
        "commitment-II.3",
        "commitment-4",
        "measure-5",
    ]
    assert "in the order given, oldest first" in render_history(backwards, "html")


def test_markdown_and_text_list_what_got_weaker(samples: History) -> None:
    import cmarkgfm

    markdown = render_history(samples, "md")
    html = cmarkgfm.github_flavored_markdown_to_html(markdown)
    assert "<h3>Weaker: D1 Sub-Measure 5.2 → D2 Measure 4.2 → D3 Measure II.3.2</h3>" in html
    text = render_history(samples, "text")
    assert "[weaker] D1 Sub-Measure 5.2 -> D2 Measure 4.2 -> D3 Measure II.3.2" in text
    assert text.endswith("\n") and markdown.endswith("\n")


# --- the command line -----------------------------------------------------------------------


def test_history_writes_each_format_by_extension(tmp_path: Path) -> None:
    outputs = [tmp_path / f"series.{suffix}" for suffix in ("html", "json", "md", "txt")]
    args = [str(p) for p in SAMPLES] + [arg for out in outputs for arg in ("-o", str(out))]
    code, out, err = run("history", *args)
    assert code == 1, err  # changes found, as compare says
    assert out == "" and err.count("wrote ") == 4
    assert outputs[0].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads(outputs[1].read_text(encoding="utf-8"))["schema"] == SCHEMA
    assert outputs[2].read_text(encoding="utf-8").startswith("# History of 3 drafts")
    assert outputs[3].read_text(encoding="utf-8").startswith("History of 3 drafts")
    code, out, _ = run("history", str(SAMPLES[0]), str(SAMPLES[1]), "--format", "json")
    assert code == 1 and json.loads(out)["drafts"][1]["source"] == "sample-v2.pdf"


def copy_of(path: Path, folder: Path) -> Path:
    copy = folder / f"copy-of-{path.name}"
    copy.write_bytes(path.read_bytes())
    return copy


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (lambda tmp: [SAMPLES[0]], "at least two drafts"),
        (lambda tmp: [], "at least two drafts"),
        (lambda tmp: [SAMPLES[0], SAMPLES[1], SAMPLES[0]], "given twice"),
        (
            lambda tmp: [SAMPLES[0], ROOT / "drafts" / ".." / "drafts" / "sample-v1.pdf"],
            "given twice",
        ),
        (lambda tmp: [SAMPLES[0], copy_of(SAMPLES[0], tmp)], "same draft as"),
        (lambda tmp: [SAMPLES[0], tmp / "missing.pdf"], "no such file"),
        (lambda tmp: [SAMPLES[0], tmp], "is a directory"),
        (lambda tmp: [*SAMPLES[:2], "-o", tmp / "history.csv"], "written as .html, .json"),
    ],
)
def test_bad_series_is_one_line_and_exit_2(tmp_path: Path, arguments: Any, message: str) -> None:
    out = tmp_path / "history.html"
    code, stdout, err = run("history", *map(str, arguments(tmp_path)), "-o", str(out))
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, "PDF"),
        (b"<html>404</html>", "not a PDF"),
    ],
)
def test_an_unreadable_draft_is_named_and_nothing_is_written(
    tmp_path: Path, content: bytes, message: str
) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(content)
    out = tmp_path / "history.json"
    out.write_text("kept", encoding="utf-8")
    code, stdout, err = run(
        "history", str(SAMPLES[0]), str(broken), str(SAMPLES[2]), "-o", str(out)
    )
    assert code == 2 and stdout == "" and err.count("\n") == 1
    assert message in err and str(broken) in err and "Traceback" not in err
    assert out.read_text(encoding="utf-8") == "kept"


def test_an_output_that_is_a_draft_is_refused(tmp_path: Path) -> None:
    first = copy_of(SAMPLES[0], tmp_path)
    before = first.read_bytes()
    code, _, err = run("history", str(first), str(SAMPLES[1]), "-o", str(first))
    assert code == 2 and "one of the drafts" in err
    assert first.read_bytes() == before


# --- the real drafts ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_series(shared_drafts: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("history") / "d1-d2-d3.json"
    drafts = [shared_drafts / name for name in ("cop-d1.pdf", "cop-d2.pdf", "cop-d3.pdf")]
    code, _, err = run("history", *map(str, drafts), "-o", str(out), "--quiet")
    assert code == 1, err
    record: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    record["_paths"] = drafts
    return record


def test_real_whistleblowing_is_one_lineage_over_three_drafts(real_series: dict[str, Any]) -> None:
    """Measure 19 (D1) -> Commitment 18 (D2) -> Commitment II.13 (D3); Commitment 3 (D2)
    -> Appendix 1 (D3): numbers are not identities."""

    def ids(lineage: dict[str, Any]) -> list[str | None]:
        return [link["id"] if link else None for link in lineage["chain"]]

    lineages = [ids(lineage) for lineage in real_series["lineages"]]
    assert ["measure-19", "commitment-18", "commitment-II.13"] in lineages
    assert any(chain[1:] == ["commitment-3", "appendix-1"] for chain in lineages)


def test_real_findings_of_each_step_are_the_pairwise_reports(
    real_series: dict[str, Any], tmp_path: Path
) -> None:
    paths = real_series["_paths"]
    for k in (0, 1):
        out = tmp_path / f"step-{k}.json"
        code, _, err = run("compare", str(paths[k]), str(paths[k + 1]), "-o", str(out), "-q")
        assert code == 1, err
        pairwise = json.loads(out.read_text(encoding="utf-8"))["findings"]
        found = [
            {key: value for key, value in f.items() if key != "step"}
            for lineage in real_series["lineages"]
            for f in lineage["findings"]
            if f["step"] == k
        ]
        as_keys = [json.dumps(f, sort_keys=True) for f in found]
        assert Counter(as_keys) == Counter(json.dumps(f, sort_keys=True) for f in pairwise)
        assert len(pairwise) > 100


def test_real_provisions_are_each_in_one_lineage(real_series: dict[str, Any]) -> None:
    for k, draft in enumerate(real_series["drafts"]):
        placed = Counter(
            line["chain"][k]["id"] for line in real_series["lineages"] if line["chain"][k]
        )
        assert len(placed) == draft["provisions"] > 200
        assert set(placed.values()) == {1}
