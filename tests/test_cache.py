"""The extraction cache: round trip, keys, atomic entries, corrupt entries rebuilt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cop_diff import cache
from cop_diff.extract import extract
from cop_diff.model import Block, Document, Dropped, Line

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "drafts" / "sample-v2.pdf"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COP_DIFF_CACHE_DIR", str(folder))
    return folder


def counting_extractor() -> tuple[list[Path], object]:
    calls: list[Path] = []

    def run(path: Path) -> Document:
        calls.append(path)
        return extract(path)

    return calls, run


def test_session_never_uses_the_users_cache() -> None:
    folder = cache.cache_dir()
    assert folder != Path.home() / ".cache" / "cop-diff"


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("COP_DIFF_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "cop-diff"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == Path.home() / ".cache" / "cop-diff"


def test_round_trip_is_exact() -> None:
    line = Line("Measure 1.1 Title", 3, 72.0, 100.5, 300.25, 112.0, 11.0, True, False)
    document = Document(
        source="x.pdf",
        format="pdf",
        sha256="ab" * 32,
        pages=4,
        blocks=(
            Block(
                "Measure 1.1 Title", "heading", 3, 2, None, None, None, 11.0, True, False, (line,)
            ),
            Block("item “é” ﬁ", "list-item", None, 1, "(a)", "legal", 2),
        ),
        dropped=(Dropped("DRAFT", "header", 1), Dropped("12", "page-number", None)),
        title="A title",
    )
    assert cache.document_from_json(cache.document_to_json(document)) == document


def test_round_trip_of_a_real_pdf_extraction() -> None:
    document = extract(SAMPLE)
    assert cache.document_from_json(cache.document_to_json(document)) == document


def test_key_depends_on_content_format_variant_and_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = cache.cache_key(b"abc", "pdf")
    assert key == cache.cache_key(b"abc", "pdf")
    assert key != cache.cache_key(b"abd", "pdf")
    assert key != cache.cache_key(b"abc", "text")
    assert key != cache.cache_key(b"abc", "pdf", "max_pages=3")
    monkeypatch.setattr(cache, "EXTRACTOR_VERSION", cache.EXTRACTOR_VERSION + 1)
    assert key != cache.cache_key(b"abc", "pdf")
    monkeypatch.undo()
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    assert key != cache.cache_key(b"abc", "pdf")


def test_second_extraction_comes_from_the_cache(cache_dir: Path, tmp_path: Path) -> None:
    calls, run = counting_extractor()
    first = cache.extract_cached(SAMPLE, run)  # type: ignore[arg-type]
    entries = list(cache_dir.glob("*.json"))
    assert len(entries) == 1 and not list(cache_dir.glob("*.tmp"))
    # The same bytes under another name: a hit, naming the new path as the source.
    copy = tmp_path / "renamed.pdf"
    copy.write_bytes(SAMPLE.read_bytes())
    second = cache.extract_cached(copy, run)  # type: ignore[arg-type]
    assert calls == [SAMPLE]
    assert second.source == str(copy)
    assert second.blocks == first.blocks and second.dropped == first.dropped


def test_no_cache_neither_reads_nor_writes(cache_dir: Path) -> None:
    calls, run = counting_extractor()
    cache.extract_cached(SAMPLE, run, enabled=False)  # type: ignore[arg-type]
    cache.extract_cached(SAMPLE, run, enabled=False)  # type: ignore[arg-type]
    assert len(calls) == 2 and not cache_dir.exists()


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"{not json",
        b'{"schema": "something/else"}',
        b'{"schema": "cop-diff/extracted/1"}',
        b"\xff\xfe\x00garbage",
        b"[]",
    ],
)
def test_a_corrupt_entry_is_ignored_and_rebuilt(cache_dir: Path, garbage: bytes) -> None:
    calls, run = counting_extractor()
    expected = cache.extract_cached(SAMPLE, run)  # type: ignore[arg-type]
    (entry,) = cache_dir.glob("*.json")
    entry.write_bytes(garbage)
    rebuilt = cache.extract_cached(SAMPLE, run)  # type: ignore[arg-type]
    assert rebuilt == expected and len(calls) == 2
    assert cache.document_from_json(entry.read_text(encoding="utf-8")) == expected


def test_an_unwritable_cache_is_skipped(cache_dir: Path) -> None:
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    cache_dir.write_text("a file where the folder should be")
    calls, run = counting_extractor()
    document = cache.extract_cached(SAMPLE, run)  # type: ignore[arg-type]
    assert document == extract(SAMPLE) and len(calls) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_entry_is_rebuilt(cache_dir: Path) -> None:
    calls, run = counting_extractor()
    cache.extract_cached(SAMPLE, run)  # type: ignore[arg-type]
    (entry,) = cache_dir.glob("*.json")
    entry.chmod(0)
    try:
        cache.extract_cached(SAMPLE, run)  # type: ignore[arg-type]
    finally:
        entry.chmod(0o644)
    assert len(calls) == 2


def test_missing_file_gets_the_usual_error(cache_dir: Path, tmp_path: Path) -> None:
    from cop_diff.errors import InputError

    with pytest.raises(InputError, match="no such file"):
        cache.extract_cached(tmp_path / "absent.pdf", extract)


# --------------------------------------------------------------------------- the pipeline


def test_parallel_extraction_equals_serial(cache_dir: Path) -> None:
    from dataclasses import replace

    from cop_diff.pipeline import Settings, extract_documents

    paths = [SAMPLE, ROOT / "drafts" / "sample-v3.pdf"]
    settings = Settings(cache=False)
    done: list[Path] = []
    parallel = extract_documents(paths, settings, done.append)
    serial = extract_documents(paths, replace(settings, workers=1))
    assert parallel == serial == [extract(p) for p in paths]
    assert sorted(done) == sorted(paths)


def test_a_pdf_read_in_page_ranges_equals_the_whole() -> None:
    from cop_diff.extract import ExtractSettings, PageRange, assemble_ranges, read_page_range

    data = SAMPLE.read_bytes()
    digest = extract(SAMPLE).sha256
    parts = [
        PageRange(SAMPLE, data, digest, range(start, stop), ExtractSettings())
        for start, stop in ((0, 3), (3, 5), (5, 7))
    ]
    assert assemble_ranges(parts, [read_page_range(part) for part in parts]) == extract(SAMPLE)


def test_parallel_extraction_splits_long_pdfs_and_equals_serial(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    import cop_diff.extract
    from cop_diff.extract import DEFAULT_MAX_PAGES
    from cop_diff.pipeline import Settings, extract_documents

    monkeypatch.setattr(cop_diff.extract, "MIN_PAGES_TO_SPLIT", 2)  # the samples have 7
    paths = [SAMPLE, ROOT / "drafts" / "sample-v3.pdf"]
    assert cop_diff.extract.page_ranges(SAMPLE, cop_diff.extract.ExtractSettings(), 4)
    done: list[Path] = []
    parallel = extract_documents(paths, Settings(), done.append)
    assert parallel == extract_documents(paths, replace(Settings(cache=False), workers=1))
    assert sorted(done) == sorted(paths)
    # what was put together from the parts went into the cache, and comes back whole
    assert all(cache.is_cached(p, f"max_pages={DEFAULT_MAX_PAGES}") for p in paths)
    assert extract_documents(paths, Settings()) == parallel


def test_a_lone_long_pdf_is_read_in_page_ranges(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cop_diff.extract
    import cop_diff.pipeline
    from cop_diff.pipeline import Settings, extract_documents

    monkeypatch.setattr(cop_diff.extract, "MIN_PAGES_TO_SPLIT", 2)  # the samples have 7
    calls: list[dict[Path, object]] = []
    parallel = cop_diff.pipeline._extract_parallel

    def spy(paths, settings, progress, ranges):  # type: ignore[no-untyped-def]
        calls.append(ranges)
        return parallel(paths, settings, progress, ranges)

    monkeypatch.setattr(cop_diff.pipeline, "_extract_parallel", spy)
    assert extract_documents([SAMPLE], Settings(cache=False)) == [extract(SAMPLE)]
    assert len(calls) == 1 and calls[0][SAMPLE]  # the one draft, in page ranges


def test_parallel_extraction_reports_the_first_drafts_error(tmp_path: Path) -> None:
    from cop_diff.errors import CopDiffError
    from cop_diff.pipeline import Settings, extract_documents

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n%garbage that is no PDF at all\n")
    with pytest.raises(CopDiffError, match=r"scan\.pdf"):
        extract_documents([scan, SAMPLE], Settings(cache=False))


def test_serial_when_no_process_can_be_started(monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    from cop_diff.pipeline import Settings, extract_documents

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    paths = [SAMPLE, ROOT / "drafts" / "sample-v3.pdf"]
    assert extract_documents(paths, Settings(cache=False)) == [extract(p) for p in paths]


def test_cli_no_cache_timings_and_quiet(cache_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cop_diff.cli import main

    v3 = str(ROOT / "drafts" / "sample-v3.pdf")
    runner = CliRunner()
    first = runner.invoke(main, ["compare", str(SAMPLE), v3, "--no-cache", "--timings"])
    assert first.exit_code == 1 and not cache_dir.exists()
    for name in ("extract", "segment", "align", "diff", "detect", "render"):
        assert f"{name} " in first.stderr
    report = tmp_path / "r.json"
    quiet = runner.invoke(main, ["compare", str(SAMPLE), v3, "-o", str(report), "-q"])
    assert quiet.exit_code == 1 and quiet.stderr == "" and report.is_file()
    assert len(list(cache_dir.glob("*.json"))) == 2
    warm = runner.invoke(main, ["compare", str(SAMPLE), v3])
    assert warm.stdout == first.stdout
    outline = runner.invoke(main, ["outline", str(SAMPLE), "--no-cache", "-q"])
    assert outline.exit_code == 0 and outline.stdout.startswith("Second Draft Code")


def test_a_full_folder_loses_its_least_recently_used_entries(tmp_path: Path) -> None:
    folder = tmp_path / "entries"
    for age, name in enumerate(["newest", "newer", "older", "oldest"]):
        entry = folder / f"{name}.json"
        cache.write_entry(entry, "x" * 100)
        os.utime(entry, (1_000_000 - age * 10, 1_000_000 - age * 10))
    (folder / "notes.txt").write_text("y" * 1000)  # not an entry: never counted or removed
    assert cache.read_entry(folder / "oldest.json") == "x" * 100  # read: used again
    cache.trim(folder, max_bytes=300)
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["newest.json", "notes.txt", "oldest.json"]
    cache.trim(folder, max_bytes=300)  # under the limit: nothing more goes
    assert len(list(folder.iterdir())) == 3


def test_writing_an_entry_trims_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_FOLDER_BYTES", 250)
    for index in range(10):
        assert cache.write_entry(tmp_path / f"{index}.json", "z" * 100)
    assert sum(p.stat().st_size for p in tmp_path.glob("*.json")) <= 250
    assert (tmp_path / "9.json").is_file()  # the entry just written stays


def test_trimming_keeps_the_entry_just_written_on_a_coarse_clock(tmp_path: Path) -> None:
    for name in ("a", "b", "c"):
        cache.write_entry(tmp_path / f"{name}.json", "w" * 100)
        os.utime(tmp_path / f"{name}.json", (1_000_000, 1_000_000))  # one tick for all
    cache.trim(tmp_path, max_bytes=150, keep=tmp_path / "a.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
