"""How many planted edits the detectors find, and how quiet they stay on neutral edits.

Usage: python scripts/eval_mutations.py [DRAFTS_DIR or PDF ...] [--per-kind N] [--seed S]
       [--jobs J] [--kind KIND ...] [--list]
       (default ../shared/drafts: cop-d1.pdf, cop-d2.pdf, cop-d3.pdf; 5 variants per kind)

Each draft is outlined once; ``cop_diff.mutations`` makes variants with one known edit
each, in memory. A planted edit (it weakens the draft) is compared both ways round:
original -> variant should report a weakening, variant -> original a strengthening.
FOUND: a finding in the finding or worth-a-look tier leans the expected way on the edited
provision, its parent or a descendant (old ids on the old side, new ids on the new side);
WRONG: only the opposite leaning there; MISSED: neither ("other" counts those missed
with the right leaning in the tier "other"). A neutral variant is FLAGGED when it gets a
finding in those tiers that the draft compared with itself does not have.

A folder is read for cop-d*.pdf, else sample-v*.pdf, else every PDF. It is a
measurement, not a test: the exit status is 0 whatever the numbers.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cop_diff.model import Finding, Outline
from cop_diff.mutations import KINDS, NEUTRAL, PLANTED, Expected, Mutation, subtree, variants
from cop_diff.pipeline import Settings, compare, outline_file

ROOT = Path(__file__).resolve().parent.parent
PER_KIND = 5
"""Variants per kind and draft: some 360 compares of the three real drafts, under 3
minutes on 2 cores (a compare of a real draft takes about a second of one core)."""
LOOKED_AT = frozenset({"finding", "worth-a-look"})
OPPOSITE: dict[str, str] = {"weakening": "strengthening", "strengthening": "weakening"}
Verdict = Literal["found", "wrong", "missed", "flagged", "quiet"]


@dataclass(frozen=True)
class Trial:
    """One compare to run: a draft and its variant, in the order that gives ``expected``."""

    draft: str
    mutation: Mutation
    expected: Expected
    old: Outline
    new: Outline
    old_target: str | None
    new_target: str | None


@dataclass(frozen=True)
class Seen:
    """A finding, reduced to what the scoring needs (and cheap to send between processes)."""

    rule: str
    leaning: str
    tier: str
    old: str | None
    new: str | None

    @property
    def key(self) -> tuple[str, str, str | None, str | None]:
        return (self.rule, self.leaning, self.old, self.new)

    def __str__(self) -> str:
        return f"{self.rule} {self.leaning} [{self.tier}] {self.old} -> {self.new}"


@dataclass(frozen=True)
class Outcome:
    trial: Trial
    verdict: Verdict
    in_other: bool
    """Missed, but the expected leaning is there in the tier "other"."""
    evidence: tuple[Seen, ...]
    """Planted: the findings at the edited place, any tier; neutral: the new findings."""


def trials(
    draft: str, outline: Outline, per_kind: int, seed: int, kinds: Sequence[str] = KINDS
) -> list[Trial]:
    """The compares that score one draft: planted edits both ways, neutral edits once."""
    result = []
    for variant in variants(outline, per_kind, seed, kinds):
        mutation = variant.mutation
        if mutation.expected == "none":
            result.append(Trial(draft, mutation, "none", outline, variant.outline, None, None))
            continue
        result.append(
            Trial(
                draft,
                mutation,
                "weakening",
                outline,
                variant.outline,
                mutation.provision_id,
                mutation.mutated_id,
            )
        )
        result.append(
            Trial(
                draft,
                mutation,
                "strengthening",
                variant.outline,
                outline,
                mutation.mutated_id,
                mutation.provision_id,
            )
        )
    return result


def family(
    outline: Outline, target: str | None, other: Outline, other_target: str | None
) -> frozenset[str]:
    """The edited provision, its parent and its descendants on one side; where it is not
    on this side (removed), its parent as the other side has it."""
    ids = {p.id for p in outline.provisions}
    if target is not None and target in ids:
        provision = outline.by_id(target)
        members = {p.id for p in subtree(outline, target)}
        return frozenset(members | ({provision.parent} if provision.parent else set()))
    if other_target is not None:
        parent = other.by_id(other_target).parent
        if parent in ids:
            return frozenset({parent})
    return frozenset()


def located(trial: Trial, seen: Iterable[Seen]) -> tuple[Seen, ...]:
    """The findings about the edited place, on either side."""
    old = family(trial.old, trial.old_target, trial.new, trial.new_target)
    new = family(trial.new, trial.new_target, trial.old, trial.old_target)
    return tuple(s for s in seen if s.old in old or s.new in new)


def score(trial: Trial, seen: tuple[Seen, ...], baseline: frozenset[tuple[object, ...]]) -> Outcome:
    if trial.expected == "none":
        new = tuple(s for s in seen if s.tier in LOOKED_AT and s.key not in baseline)
        return Outcome(trial, "flagged" if new else "quiet", False, new)
    here = located(trial, seen)
    looked = [s for s in here if s.tier in LOOKED_AT]
    if any(s.leaning == trial.expected for s in looked):
        verdict: Verdict = "found"
    elif any(s.leaning == OPPOSITE[trial.expected] for s in looked):
        verdict = "wrong"
    else:
        verdict = "missed"
    in_other = verdict == "missed" and any(s.leaning == trial.expected for s in here)
    return Outcome(trial, verdict, in_other, here)


# Compares run in worker processes forked after the trials are made: they inherit them
# and send back only the reduced findings.
_TRIALS: list[Trial] = []
_SETTINGS: list[Settings] = []


def _reduce(findings: Iterable[Finding]) -> tuple[Seen, ...]:
    return tuple(Seen(f.rule, f.leaning, f.tier, f.old, f.new) for f in findings)


def _run(index: int) -> tuple[Seen, ...]:
    trial = _TRIALS[index]
    return _reduce(compare(trial.old, trial.new, _SETTINGS[0], cached=False).findings)


def run_all(work: list[Trial], settings: Settings, jobs: int) -> list[tuple[Seen, ...]]:
    """Every trial's findings, in order: in ``jobs`` forked processes where the platform forks."""
    _TRIALS[:] = work
    _SETTINGS[:] = [settings]
    try:
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                return list(pool.map(_run, range(len(work)), chunksize=2))
        return [_run(i) for i in range(len(work))]
    finally:
        _TRIALS.clear()


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]
    self_flags: dict[str, int]
    """Draft -> findings in the finding or worth-a-look tiers of it compared with itself."""
    drafts: tuple[str, ...]
    seconds: float


def draft_paths(arguments: Sequence[str]) -> list[Path]:
    paths: list[Path] = []
    for argument in arguments or [str(ROOT.parent / "shared" / "drafts")]:
        path = Path(argument)
        if path.is_dir():
            found = (
                sorted(path.glob("cop-d*.pdf"))
                or sorted(path.glob("sample-v*.pdf"))
                or sorted(path.glob("*.pdf"))
            )
            paths.extend(found)
        else:
            paths.append(path)
    return paths


def evaluate(
    paths: Sequence[Path],
    per_kind: int = PER_KIND,
    seed: int = 0,
    jobs: int = 2,
    kinds: Sequence[str] = KINDS,
) -> Report:
    """Outline each draft once, make its variants, compare, score."""
    started = time.perf_counter()
    settings = Settings()
    work: list[Trial] = []
    selves: list[Trial] = []
    for path in paths:
        outline = outline_file(path, settings)
        selves.append(
            Trial(
                path.name,
                Mutation("self", "none", "", "", ""),
                "none",
                outline,
                outline,
                None,
                None,
            )
        )
        work.extend(trials(path.name, outline, per_kind, seed, kinds))
    results = run_all(selves + work, settings, jobs)
    baselines = {
        trial.draft: frozenset(s.key for s in seen if s.tier in LOOKED_AT)
        for trial, seen in zip(selves, results[: len(selves)], strict=True)
    }
    outcomes = tuple(
        score(trial, seen, baselines[trial.draft])
        for trial, seen in zip(work, results[len(selves) :], strict=True)
    )
    return Report(
        outcomes,
        {draft: len(keys) for draft, keys in baselines.items()},
        tuple(p.name for p in paths),
        time.perf_counter() - started,
    )


def percent(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def _share(outcomes: Sequence[Outcome], verdict: Verdict) -> str:
    return percent(sum(o.verdict == verdict for o in outcomes), len(outcomes))


def print_report(report: Report, listing: bool, jobs: int) -> None:
    planted = [o for o in report.outcomes if o.trial.expected != "none"]
    neutral = [o for o in report.outcomes if o.trial.expected == "none"]
    print(f"drafts: {', '.join(report.drafts)}")
    print(
        f"  {'kind':22} {'direction':13} {'planted':>7} {'found':>5} {'wrong':>5}"
        f" {'missed':>6} {'(other)':>7} {'found%':>6}"
    )

    def row(name: str, direction: str, rows: list[Outcome]) -> None:
        tally = Counter(o.verdict for o in rows)
        print(
            f"  {name:22} {direction:13} {len(rows):7} {tally['found']:5} {tally['wrong']:5}"
            f" {tally['missed']:6} {sum(o.in_other for o in rows):7} {_share(rows, 'found'):>6}"
        )

    for kind in PLANTED:
        for direction in ("weakening", "strengthening"):
            of_kind = [o for o in planted if o.trial.mutation.kind == kind]
            row(kind, direction, [o for o in of_kind if o.trial.expected == direction])
    for direction in ("weakening", "strengthening"):
        row("all planted", direction, [o for o in planted if o.trial.expected == direction])
    row("all planted", "both", planted)
    print(f"  {'neutral kind':22} {'':13} {'variants':>7} {'flagged':>7}")
    for kind in NEUTRAL:
        rows = [o for o in neutral if o.trial.mutation.kind == kind]
        flagged = sum(o.verdict == "flagged" for o in rows)
        print(f"  {kind:22} {'none':13} {len(rows):7} {flagged:7}")
    for draft in report.drafts:
        mine = [o for o in planted if o.trial.draft == draft]
        quiet = [o for o in neutral if o.trial.draft == draft]
        print(
            f"  {draft}: {_share(mine, 'found')} of {len(mine)} planted found,"
            f" {sum(o.verdict == 'flagged' for o in quiet)} of {len(quiet)} neutral flagged,"
            f" {report.self_flags[draft]} findings compared with itself"
        )
    found = sum(o.verdict == "found" for o in planted)
    print(
        f"total: {found} of {len(planted)} planted edits found ({_share(planted, 'found')}),"
        f" {sum(o.verdict == 'wrong' for o in planted)} in the wrong direction;"
        f" neutral flagged: {sum(o.verdict == 'flagged' for o in neutral)} of {len(neutral)}"
    )
    compares = len(report.outcomes) + len(report.drafts)
    print(f"time: {report.seconds:.0f} s, {compares} compares in {jobs} process(es)")
    if listing:
        print_list(planted, neutral)


def print_list(planted: list[Outcome], neutral: list[Outcome]) -> None:
    for outcome in planted:
        if outcome.verdict == "found":
            continue
        trial = outcome.trial
        label = "WRONG" if outcome.verdict == "wrong" else "MISSED"
        target = trial.old_target if trial.expected == "weakening" else trial.new_target
        print(
            f"  {label} {trial.mutation.kind} {trial.expected} {trial.draft}"
            f" {target or trial.mutation.provision_id}: {trial.mutation.description}"
        )
        for seen in outcome.evidence:
            print(f"      here: {seen}")
    for outcome in neutral:
        if outcome.verdict == "flagged":
            trial = outcome.trial
            print(
                f"  FLAGGED {trial.mutation.kind} {trial.draft} {trial.mutation.provision_id}:"
                f" {trial.mutation.description}"
            )
            for seen in outcome.evidence:
                print(f"      new: {seen}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("drafts", nargs="*", help="a folder of drafts, or PDF files")
    parser.add_argument(
        "--per-kind", type=int, default=PER_KIND, help="variants per kind and draft"
    )
    parser.add_argument(
        "--kind", action="append", choices=KINDS, help="only these kinds (repeatable)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="compare processes")
    parser.add_argument("--list", action="store_true", help="list misses and flagged variants")
    options = parser.parse_args(argv)
    paths = draft_paths(options.drafts)
    if not paths:
        print("eval_mutations: no drafts found", file=sys.stderr)
        return 0
    kinds = options.kind or KINDS
    report = evaluate(paths, options.per_kind, options.seed, options.jobs, kinds)
    print_report(report, options.list, options.jobs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
