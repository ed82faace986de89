"""The compare pipeline as a library call: extract -> segment -> align -> diff -> detect."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from cop_diff import analysis_cache
from cop_diff import cache as extraction_cache
from cop_diff.diff import word_diff
from cop_diff.errors import OptionLimitError, about
from cop_diff.extract import (
    SENTENCES_PER_PROVISION,
    ExtractSettings,
    PageRange,
    assemble_ranges,
    extract,
    page_ranges,
    read_page_range,
    refuse_damaged,
)
from cop_diff.extract.pdfengine import engine_version
from cop_diff.lexicon import Lexicon, load_lexicon
from cop_diff.model import (
    Alignment,
    AlignSettings,
    Comparison,
    Document,
    Finding,
    ListDiff,
    Outline,
    PairDiff,
)
from cop_diff.rank import rank_findings
from cop_diff.segment import SegmentSettings, default_settings, segment
from cop_diff.timing import stage
from cop_diff.words import split_sentences

DIFFED_RELATIONS = frozenset({"changed", "moved"})
PAIRED_RELATIONS = frozenset({"unchanged", "changed", "moved"})


@dataclass(frozen=True)
class Settings:
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    segment: SegmentSettings = field(default_factory=default_settings)
    align: AlignSettings = field(default_factory=AlignSettings)
    lexicon: Lexicon = field(default_factory=load_lexicon)
    cache: bool = True
    """Reuse (and keep) extractions from the cache; ``--no-cache`` turns it off."""
    workers: int = 2
    """Processes extracting the two drafts of ``compare_files`` at once; 1 for serial."""

    @property
    def caching(self) -> bool:
        """Whether the caches are read and filled: a draft opened with a password stays
        off the disk, and so does its analysis."""
        return self.cache and not self.extract.password


def outline_file(path: Path, settings: Settings) -> Outline:
    return segment_document(path, extract_document(path, settings), settings)


def segment_document(path: Path, document: Document, settings: Settings) -> Outline:
    """The draft's provisions; an ``OptionLimitError`` for more than ``--max-provisions`` allows."""
    with about(path):  # a hostile draft nested too deeply is the draft's fault
        outline = segment(document, settings.segment)
    refuse_oversized(outline, settings.extract.max_provisions, str(path))
    return outline


def refuse_oversized(outline: Outline, max_provisions: int | None, source: str) -> None:
    """Too many provisions, or sentences, to compare in bounded time and memory."""
    if max_provisions is None:
        return
    provisions = len(outline.provisions)
    if provisions > max_provisions:
        raise OptionLimitError(
            f"{provisions:,} provisions, more than --max-provisions {max_provisions}; raise "
            "the limit if it is the right file",
            path=source,
        )
    allowed = max_provisions * SENTENCES_PER_PROVISION
    sentences = sum(len(split_sentences(p.text)) for p in outline.provisions)
    if sentences > allowed:
        raise OptionLimitError(
            f"{sentences:,} sentences, more than --max-provisions {max_provisions} allows "
            f"({SENTENCES_PER_PROVISION} a provision: {allowed:,}); raise the limit if it is "
            "the right file",
            path=source,
        )


def cache_variant(options: ExtractSettings) -> str:
    """The extraction options an entry of the extraction cache is keyed by: the page limit,
    and the PDF engine with its version (an upgrade of either engine is a new key)."""
    return f"max_pages={options.max_pages}|engine={engine_version(options.pdf_engine)}"


def extract_document(path: Path, settings: Settings) -> Document:
    """``extract``, through the extraction cache unless ``settings.cache`` is off.

    A draft opened with a password is never cached: its text stays off the disk. One
    with damaged pages is refused unless ``--keep-going`` (``refuse_damaged``).
    """
    return refuse_damaged(_extract_one(path, settings.extract, settings.cache), settings.extract)


def _extract_one(path: Path, options: ExtractSettings, use_cache: bool) -> Document:
    return extraction_cache.extract_cached(
        path,
        partial(extract, settings=options),
        enabled=use_cache and not options.password,
        variant=cache_variant(options),
        max_bytes=options.max_bytes,
    )


def extract_documents(
    paths: Sequence[Path],
    settings: Settings,
    progress: Callable[[Path], None] | None = None,
) -> list[Document]:
    """Extract several drafts, in parallel processes when more than one needs the parser.

    Results are the same as one after the other; an error is raised for the first path
    that has one, as serial extraction would. Where processes cannot be started, serial.
    """
    variant = cache_variant(settings.extract)
    max_bytes = settings.extract.max_bytes
    cached = [
        p
        for p in paths
        if settings.caching and extraction_cache.is_cached(p, variant, max_bytes=max_bytes)
    ]
    uncached = [p for p in paths if p not in cached]
    if settings.workers > 1 and uncached:
        from cop_diff.extract import read_input, sniff_format

        for path in paths:  # the usual errors for a missing or mistyped file, in order
            sniff_format(path, read_input(path, max_bytes)[:4096])
        # A long PDF is worth the processes even alone: it is read in page ranges.
        plans = {p: page_ranges(p, settings.extract, settings.workers * 2) for p in uncached}
        if len(uncached) > 1 or any(plans.values()):
            parallel = _extract_parallel(paths, settings, progress, plans)
            if parallel is not None:
                return [refuse_damaged(document, settings.extract) for document in parallel]
    documents = []
    for path in paths:
        documents.append(extract_document(path, settings))
        if progress is not None:
            progress(path)
    return documents


def _extract_parallel(
    paths: Sequence[Path],
    settings: Settings,
    progress: Callable[[Path], None] | None,
    ranges: dict[Path, list[PageRange] | None],
) -> list[Document] | None:
    """Extraction in worker processes; ``None`` if no process could be started.

    A long PDF that is not in the cache comes with its page ranges (``ranges``): they are
    read by all the workers, so that both cores stay busy until the last page (one draft
    often takes twice as long as the other), and put together here.
    """
    from concurrent.futures import Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    variant = cache_variant(settings.extract)
    plans = [ranges.get(path) for path in paths]
    try:
        with ProcessPoolExecutor(max_workers=settings.workers) as pool:
            futures: list[list[Future[Any]]] = [
                [pool.submit(read_page_range, part) for part in plan]
                if plan
                else [pool.submit(_extract_one, path, settings.extract, settings.cache)]
                for path, plan in zip(paths, plans, strict=True)
            ]
            pending = {future for group in futures for future in group}
            reported: set[int] = set()
            while pending:
                _, pending = wait(pending, return_when="FIRST_COMPLETED")
                for index, group in enumerate(futures):
                    finished = all(f.done() and f.exception() is None for f in group)
                    if progress is not None and finished and index not in reported:
                        reported.add(index)
                        progress(paths[index])
            # In order, so that the first path's error is the one raised, as in serial.
            documents = []
            for plan, group in zip(plans, futures, strict=True):
                if not plan:
                    documents.append(group[0].result())
                    continue
                document = assemble_ranges(plan, [future.result() for future in group])
                if settings.caching:
                    key = extraction_cache.cache_key(plan[0].data, "pdf", variant)
                    extraction_cache.store(key, document)
                documents.append(document)
            return documents
    except (OSError, NotImplementedError, BrokenProcessPool):
        return None


def compare(old: Outline, new: Outline, settings: Settings, *, cached: bool = False) -> Comparison:
    """Align, diff and detect; with ``cached``, through the analysis cache (what was
    computed for the same outlines, settings, lexicon and code is read back, not redone)."""
    key = analysis_cache.aligned_key(old, new, settings.align) if cached else None
    with stage("align"):
        stored = analysis_cache.load_aligned(key) if key else None
        alignment = stored[0] if stored else _align(old, new, settings.align)
    with stage("diff"):
        diffs = stored[1] if stored else pair_diffs(old, new, alignment)
    if key and not stored:
        analysis_cache.store_aligned(key, alignment, diffs)
    with stage("detect"):
        lists = list_diffs(old, new, alignment)
        fingerprint = settings.lexicon.fingerprint
        findings_key = analysis_cache.findings_key(key, fingerprint) if key else None
        findings = analysis_cache.load_findings(findings_key) if findings_key else None
        if findings is None:
            findings = _detect(old, new, alignment, lists, settings.lexicon)
            if findings_key:
                analysis_cache.store_findings(findings_key, findings)
    return Comparison(
        old=old,
        new=new,
        alignment=alignment,
        diffs=diffs,
        findings=findings,
        lists=lists,
    )


# The analysis modules are imported when an analysis is not in the cache: numpy and
# the detectors are most of a warm compare's start-up, and it never runs them.


def _align(old: Outline, new: Outline, settings: AlignSettings) -> tuple[Alignment, ...]:
    from cop_diff.align import align

    return align(old, new, settings)


def _detect(
    old: Outline,
    new: Outline,
    alignment: tuple[Alignment, ...],
    lists: tuple[ListDiff, ...],
    lexicon: Lexicon,
) -> tuple[Finding, ...]:
    from cop_diff.rules import run_rules
    from cop_diff.rules.base import RuleContext

    context = RuleContext.build(old, new, alignment, lists, lexicon)
    return rank_findings(run_rules(context), old, new)


def pair_diffs(
    old: Outline, new: Outline, alignment: tuple[Alignment, ...]
) -> tuple[PairDiff, ...]:
    """The word diff of every pair whose text is compared (changed or moved)."""
    old_by_id = {p.id: p for p in old.provisions}
    new_by_id = {p.id: p for p in new.provisions}
    return tuple(
        PairDiff(
            entry.old,
            entry.new,
            word_diff(old_by_id[entry.old].text, new_by_id[entry.new].text),
        )
        for entry in alignment
        if entry.old is not None and entry.new is not None and entry.relation in DIFFED_RELATIONS
    )


LIST_KINDS = frozenset({"list-item", "recital"})


def list_diffs(
    old: Outline, new: Outline, alignment: tuple[Alignment, ...]
) -> tuple[ListDiff, ...]:
    """Per aligned pair of parents, the list items kept, removed, added and moved."""
    old_by_id = {p.id: p for p in old.provisions}
    new_by_id = {p.id: p for p in new.provisions}
    counterpart = {
        a.old: a.new for a in alignment if a.old and a.new and a.relation in PAIRED_RELATIONS
    }
    origin = {new_id: old_id for old_id, new_id in counterpart.items()}
    removed = {a.old for a in alignment if a.relation == "removed"}
    added = {a.new for a in alignment if a.relation == "added"}
    old_items: dict[str, list[str]] = {}
    new_items: dict[str, list[str]] = {}
    for provision in old.provisions:
        if provision.kind in LIST_KINDS and provision.parent:
            old_items.setdefault(provision.parent, []).append(provision.id)
    for provision in new.provisions:
        if provision.kind in LIST_KINDS and provision.parent:
            new_items.setdefault(provision.parent, []).append(provision.id)
    result: list[ListDiff] = []
    for old_parent, new_parent in counterpart.items():
        before = old_items.get(old_parent, [])
        after = new_items.get(new_parent or "", [])
        if not before and not after:
            continue
        kept: list[tuple[str, str]] = []
        moved_out: list[tuple[str, str]] = []
        for item in before:
            target = counterpart.get(item)
            if target is None:
                continue
            pair = (item, target)
            (kept if new_by_id[target].parent == new_parent else moved_out).append(pair)
        moved_in = [
            (origin[item], item)
            for item in after
            if item in origin and old_by_id[origin[item]].parent != old_parent
        ]
        result.append(
            ListDiff(
                old=old_parent,
                new=new_parent or "",
                kept=tuple(kept),
                removed=tuple(i for i in before if i in removed),
                added=tuple(i for i in after if i in added),
                moved_out=tuple(moved_out),
                moved_in=tuple(moved_in),
            )
        )
    return tuple(result)


def compare_files(
    old: Path,
    new: Path,
    settings: Settings | None = None,
    progress: Callable[[Path], None] | None = None,
) -> Comparison:
    """Extract both drafts (in parallel, or from the cache), segment, then ``compare``.

    ``progress`` is called with each path once its extraction is done.
    """
    settings = settings or Settings()
    with stage("extract"):
        documents = extract_documents([old, new], settings, progress)
    with stage("segment"):
        outlines = [
            segment_document(path, document, settings)
            for path, document in zip([old, new], documents, strict=True)
        ]
    return compare(outlines[0], outlines[1], settings, cached=settings.caching)


def changes_of_substance(comparison: Comparison) -> bool:
    """Whether anything that binds changed: the exit status 1 of ``compare``.

    Layout, list numbering style and whitespace are not changes (the alignment compares
    normalised text); neither are edits confined to text that does not bind.
    """
    old_by_id = {p.id: p for p in comparison.old.provisions}
    new_by_id = {p.id: p for p in comparison.new.provisions}
    for entry in comparison.alignment:
        if entry.relation == "unchanged":
            continue
        old = old_by_id.get(entry.old or "")
        new = new_by_id.get(entry.new or "")
        if (old is not None and old.binding) or (new is not None and new.binding):
            return True
    return any(f.direction != "neutral" for f in comparison.findings)
