"""The analysis cache: alignment and findings read back, never stale, corrupt entries rebuilt."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

import cop_diff.pipeline
from cop_diff import analysis_cache
from cop_diff.lexicon import load_lexicon
from cop_diff.model import AlignSettings, Comparison
from cop_diff.pipeline import Settings, compare_files
from cop_diff.report import report_json

ROOT = Path(__file__).resolve().parent.parent
OLD, NEW = ROOT / "drafts" / "sample-v2.pdf", ROOT / "drafts" / "sample-v3.pdf"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COP_DIFF_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the pipeline aligned and ran the detectors."""
    counts = {"align": 0, "detect": 0}

    def counting(name: str, function):  # type: ignore[no-untyped-def]
        def run(*args, **kwargs):  # type: ignore[no-untyped-def]
            counts[name] += 1
            return function(*args, **kwargs)

        return run

    monkeypatch.setattr(cop_diff.pipeline, "_align", counting("align", cop_diff.pipeline._align))
    detect = cop_diff.pipeline._detect
    monkeypatch.setattr(cop_diff.pipeline, "_detect", counting("detect", detect))
    return counts


def entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "analysis").glob("*.json"))


def run(settings: Settings | None = None) -> Comparison:
    return compare_files(OLD, NEW, settings or Settings())


def test_a_second_run_is_read_back_and_identical(cache_dir: Path, calls: dict[str, int]) -> None:
    first = run()
    assert calls == {"align": 1, "detect": 1}
    assert len(entries(cache_dir)) == 2  # alignment with diffs; findings
    second = run()
    assert calls == {"align": 1, "detect": 1}
    assert second == first
    assert report_json(second) == report_json(first)
    assert not list((cache_dir / "analysis").glob("*.tmp"))


def test_another_lexicon_reuses_the_alignment_only(
    cache_dir: Path, calls: dict[str, int], tmp_path: Path
) -> None:
    run()
    extra = tmp_path / "extra.toml"
    extra.write_text('hedges = ["if the budget allows"]\n', encoding="utf-8")
    run(Settings(lexicon=load_lexicon((extra,))))
    assert calls == {"align": 1, "detect": 2}
    extra.write_text('hedges = ["if the weather allows"]\n', encoding="utf-8")
    run(Settings(lexicon=load_lexicon((extra,))))
    assert calls == {"align": 1, "detect": 3}


def test_other_alignment_settings_are_a_new_analysis(
    cache_dir: Path, calls: dict[str, int]
) -> None:
    run()
    run(Settings(align=AlignSettings(leaf_threshold=0.5)))
    assert calls == {"align": 2, "detect": 2}


def test_a_lexicon_built_by_hand_is_never_answered_from_the_cache(
    cache_dir: Path, calls: dict[str, int]
) -> None:
    anonymous = replace(load_lexicon(), fingerprint="")
    run(Settings(lexicon=anonymous))
    run(Settings(lexicon=anonymous))
    assert calls == {"align": 1, "detect": 2}


@pytest.mark.parametrize(
    "garbage",
    [b"", b"{not json", b'{"schema": "cop-diff/aligned/1"}', b"[]", b"\xff\xfe", b'{"x": 1}'],
)
def test_a_corrupt_entry_is_ignored_and_rebuilt(
    cache_dir: Path, calls: dict[str, int], garbage: bytes
) -> None:
    expected = run()
    for entry in entries(cache_dir):
        entry.write_bytes(garbage)
    assert run() == expected
    assert calls == {"align": 2, "detect": 2}
    assert run() == expected  # the entries were rewritten whole
    assert calls == {"align": 2, "detect": 2}


def test_findings_rows_of_the_wrong_shape_are_rebuilt(
    cache_dir: Path, calls: dict[str, int]
) -> None:
    expected = run()
    findings = [
        p for p in entries(cache_dir) if f'"{analysis_cache.FINDINGS_SCHEMA}"' in p.read_text()
    ]
    assert len(findings) == 1
    findings[0].write_text(
        f'{{"schema": "{analysis_cache.FINDINGS_SCHEMA}", "findings": [["R01"]]}}'
    )
    assert run() == expected and calls["detect"] == 2


def test_no_cache_and_passwords_leave_nothing_on_disk(cache_dir: Path) -> None:
    run(Settings(cache=False))
    assert not entries(cache_dir)
    from cop_diff.extract import ExtractSettings

    # Sample drafts are not encrypted; a password is simply not needed to read them.
    run(Settings(extract=ExtractSettings(password="secret")))
    assert not entries(cache_dir)


def test_any_change_to_the_code_is_a_new_key(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "rules").mkdir(parents=True)
    (package / "align.py").write_text("x = 1\n")
    (package / "rules" / "modal.py").write_text("y = 1\n")
    (package / "notes.txt").write_text("not code\n")
    before = analysis_cache.code_fingerprint.__wrapped__(package)
    (package / "notes.txt").write_text("still not code\n")
    assert analysis_cache.code_fingerprint.__wrapped__(package) == before
    (package / "rules" / "modal.py").write_text("y = 2\n")
    assert analysis_cache.code_fingerprint.__wrapped__(package) != before


def test_the_key_covers_every_provision_field() -> None:
    from cop_diff.pipeline import outline_file

    outline = outline_file(OLD, Settings(cache=False))
    other = outline_file(NEW, Settings(cache=False))
    settings = AlignSettings()
    key = analysis_cache.aligned_key(outline, other, settings)
    assert key == analysis_cache.aligned_key(outline, other, settings)
    assert key != analysis_cache.aligned_key(other, outline, settings)
    first = outline.provisions[3]
    for change in ({"text": first.text + "."}, {"binding": not first.binding}, {"lead_in": "x"}):
        provisions = (*outline.provisions[:3], replace(first, **change), *outline.provisions[4:])
        changed = replace(outline, provisions=provisions)
        assert analysis_cache.aligned_key(changed, other, settings) != key


def test_an_upgraded_library_is_a_new_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy

    found = analysis_cache.dependency_versions()
    assert f"numpy-{numpy.__version__}" in found
    from cop_diff.pipeline import outline_file

    outline = outline_file(OLD, Settings(cache=False))
    key = analysis_cache.aligned_key(outline, outline, AlignSettings())
    upgraded = tuple(v.replace(f"numpy-{numpy.__version__}", "numpy-99.0") for v in found)
    monkeypatch.setattr(analysis_cache, "dependency_versions", lambda: upgraded)
    assert analysis_cache.aligned_key(outline, outline, AlignSettings()) != key


def test_an_unwritable_cache_is_skipped(cache_dir: Path, calls: dict[str, int]) -> None:
    cache_dir.mkdir(parents=True)
    (cache_dir / "analysis").write_text("a file where the folder should be")
    first = run()
    assert run() == first
    assert calls == {"align": 2, "detect": 2}


ANALYSIS_MODULES = ("numpy", "lap", "cop_diff.align", "cop_diff.rules", "cop_diff.sentences")
"""What only an analysis needs: importing them was most of a warm compare's start-up."""

IMPORTED_AFTER_COMPARE = """
import sys
from cop_diff.cli import main
try:
    main(sys.argv[1:-1])
except SystemExit:
    pass
print(" ".join(sorted(name for name in sys.modules if name in sys.argv[-1].split(","))))
"""


def test_a_compare_read_back_never_imports_the_analysis(cache_dir: Path, tmp_path: Path) -> None:
    """A warm compare (another format of a comparison already made) reads the analysis
    back and renders it: numpy and the detectors stay unloaded (#15)."""
    report = tmp_path / "report.html"
    compare = ["compare", str(OLD), str(NEW), "-o", str(report)]

    def imported() -> set[str]:
        command = [
            sys.executable,
            "-c",
            IMPORTED_AFTER_COMPARE,
            *compare,
            ",".join(ANALYSIS_MODULES),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        return set(done.stdout.split())

    assert imported() == set(ANALYSIS_MODULES)  # the first run analyses
    assert report.is_file()
    assert imported() == set()
