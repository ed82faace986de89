"""Benchmark: cop-diff against the plain text extractors pdf2txt.py (pdfminer.six) and
pdftotext (poppler), with each PDF engine side by side (#7, #15).

Usage: python scripts/bench.py [DRAFTS_DIR]   (default ../shared/drafts)

Prints the median of several runs (with the time per stage from `compare --timings`) for
(a) pdf2txt.py, and pdftotext, on the Second then the Third Draft; (b) `cop-diff compare`
of the two, cold (empty cache), with each engine (--pdf-engine pdfium, the default, and
pdfminer, the reference), its ratio to (a) and its peak RSS; (c) the same warm, with the
default engine, writing the HTML report, three ways: everything cached (re-rendering),
after a lexicon edit (alignment cached, detectors re-run), and with only the extractions
cached (the whole analysis redone); (d) a scale case, the Second Draft's provisions as
Markdown 1x and 10x over against a modified copy (generated into a temporary folder,
never kept; the analysis cache is emptied before each run, so that alignment and
detection are timed).

(e) `cop-diff history` of the First, Second and Third Drafts against the two compares
it is made of, cold and with its pairwise analyses cached.

(f) peak memory of drafts just under the default limits (#16), of the largest process
and of all of a run's processes together.

Then: the HTML redline of the Second -> Third Draft, its size (budget 10 MB) and how
long headless Chromium takes to open it from file:// until DOMContentLoaded (budget 2 s,
median of several loads). Skipped, with the reason, where Chromium or Playwright is missing.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chromium import CHROMIUM, CHROMIUM_ARGS

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
ENGINES = ("pdfium", "pdfminer")
TARGETS = {"cold": 0.35, "warm": 0.4, "scale": 12.0, "rss": 300.0}
"""#15's acceptance: cold compare <= 0.35x pdf2txt.py, warm with HTML <= 0.4 s, 10x the
document <= 12x the time of 1x, peak RSS <= 300 MB."""
REPORT_MAX_BYTES = 10 * 1024 * 1024
REPORT_MAX_LOAD_SECONDS = 2.0
STAGE_TIME = re.compile(r"(\w+) (\d+\.\d+)s")
SEQUENTIAL = (
    "import json, subprocess, sys; command = json.loads(sys.argv[1]); "
    "[subprocess.run([pdf if word == '{}' else word for word in command], check=True, "
    "stdout=subprocess.DEVNULL) for pdf in sys.argv[2:]]"
)
"""Runs a command (JSON, with {} for the PDF) on each PDF in turn, in one timed process."""


def median_seconds(command: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report_load_seconds(report: Path) -> float | None:
    """Median time for Chromium to load the report to DOMContentLoaded; None if no browser."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("(c) skipped: playwright is not installed (pip install -e '.[test]')")
        return None
    if not CHROMIUM.is_file():
        print(f"(c) skipped: {CHROMIUM} not found (apt-get install chromium)")
        return None
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for _ in range(RUNS):
            page = browser.new_page()  # a fresh page each time: nothing cached in it
            start = time.perf_counter()
            page.goto(report.as_uri(), wait_until="domcontentloaded")
            times.append(time.perf_counter() - start)
            page.close()
        browser.close()
    return statistics.median(times)


def bench_report(cop_diff: str, pair: list[Path]) -> bool:
    """(c): the d2 -> d3 redline; False if it is over its size or load-time budget."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "d2-d3.html"
        completed = subprocess.run(
            [cop_diff, "compare", str(pair[0]), str(pair[1]), "-o", str(report)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        if completed.returncode > 1:
            print(f"(c) cop-diff compare failed with exit status {completed.returncode}")
            return False
        size = report.stat().st_size
        print(f"(c) HTML redline d2 -> d3: {size / 1e6:.2f} MB (budget 10 MB)")
        seconds = report_load_seconds(report)
    if seconds is not None:
        print(
            f"(c) opens in Chromium (DOMContentLoaded), median of {RUNS}: {seconds:.2f} s "
            f"(budget {REPORT_MAX_LOAD_SECONDS:.0f} s)"
        )
    return size < REPORT_MAX_BYTES and (seconds is None or seconds < REPORT_MAX_LOAD_SECONDS)


def timed_runs(
    command: list[str], env: dict[str, str] | None = None, before: Callable[[], None] | None = None
) -> tuple[float, dict[str, float]]:
    """Median wall time of RUNS runs, and the median seconds per stage (``--timings``)."""
    times: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(RUNS):
        if before is not None:
            before()
        start = time.perf_counter()
        completed = subprocess.run(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        times.append(time.perf_counter() - start)
        if completed.returncode > 1:
            raise SystemExit(f"bench: {' '.join(command)} failed:\n{completed.stderr}")
        for name, seconds in STAGE_TIME.findall(completed.stderr):
            stages.setdefault(name, []).append(float(seconds))
    return statistics.median(times), {k: statistics.median(v) for k, v in stages.items()}


def peak_rss_mb(command: list[str], env: dict[str, str] | None = None) -> float:
    """Peak resident memory of the largest process of one run (workers included), in MB."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe, *command], env=env, capture_output=True, text=True
    )
    return int(completed.stdout.strip()) / 1024


def tree_peak_mb(command: list[str], env: dict[str, str] | None = None) -> float | None:
    """Peak resident memory of a run's processes together (sampled every 50 ms from /proc:
    `compare` extracts both drafts at once, in two processes); None without /proc."""
    proc = Path("/proc")
    if not (proc / "self" / "status").is_file():
        return None

    def family(root: int) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in proc.iterdir():
            if not entry.name.isdigit():
                continue
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
        found, pending = [], [root]
        while pending:
            pid = pending.pop()
            found.append(pid)
            pending += children.get(pid, [])
        return found

    def resident_kb(pid: int) -> int:
        try:
            status = (proc / str(pid) / "status").read_text()
        except OSError:
            return 0
        match = re.search(r"^VmRSS:\s+(\d+)", status, re.M)
        return int(match.group(1)) if match else 0

    running = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0
    while running.poll() is None:
        peak = max(peak, sum(resident_kb(pid) for pid in family(running.pid)))
        time.sleep(0.05)
    return peak / 1024


def markdown_draft(outline: dict[str, Any], copies: int, modified: bool) -> str:
    """A Markdown draft of the outline's provisions, ``copies`` times over.

    ``modified`` changes some words, as a next draft would: every seventh provision's
    "shall" becomes "should", every eleventh loses its last sentence.
    """
    provisions = outline["provisions"]
    depth: dict[str, int] = {}
    for p in provisions:
        depth[p["id"]] = depth.get(p["parent"], -1) + 1 if p["parent"] else 0
    lines: list[str] = []
    for copy in range(copies):
        lines.append(f"# Part {copy + 1}\n")
        for index, p in enumerate(provisions):
            text = p["text"]
            if modified and index % 7 == 3:
                text = re.sub(r"\bshall\b", "should", text)
            if modified and index % 11 == 5 and ". " in text:
                text = text.rsplit(". ", 1)[0] + "."
            if p["kind"] in ("list-item", "recital") and not p["heading"]:
                lines.append(f"- {text}\n")
                continue
            title = " ".join(part for part in (p["label"], p["heading"]) if part)
            if title:
                lines.append(f"{'#' * min(depth[p['id']] + 2, 6)} {title}\n")
            if text:
                lines.append(f"{text}\n")
    return "\n".join(lines)


def bench_scale(cop_diff: str, d2: Path, folder: Path, env: dict[str, str]) -> None:
    """(d): the Second Draft's provisions as Markdown, 1x and 10x, against a modified copy."""
    outline = json.loads(
        subprocess.run(
            [cop_diff, "outline", str(d2), "--format", "json"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    results: dict[int, tuple[float, dict[str, float]]] = {}
    for copies in (1, 10):
        old, new = folder / f"scale{copies}-old.md", folder / f"scale{copies}-new.md"
        old.write_text(markdown_draft(outline, copies, False), encoding="utf-8")
        new.write_text(markdown_draft(outline, copies, True), encoding="utf-8")
        command = [cop_diff, "compare", str(old), str(new), "--timings", "-q"]
        # 10x is 6,160 provisions, more than the default --max-provisions
        command += ["-o", str(folder / "scale.json"), "--max-provisions", "10000"]
        results[copies] = timed_runs(command, env, before=forget_analyses(env))
        print_result(f"(d) {copies}x Markdown of d2 vs modified copy", *results[copies])
    core = ("align", "diff", "detect")
    one, ten = (sum(results[c][1].get(k, 0.0) for k in core) for c in (1, 10))
    print(f"(d) align + diff + detect: 1x {one:.2f} s, 10x {ten:.2f} s, 10x/1x = {ten / one:.1f}")
    total = results[10][0] / results[1][0]
    print(f"(d) whole compare 10x/1x = {total:.1f} (target <= {TARGETS['scale']:.0f})")
    bench_limits(cop_diff, outline, folder, env)


def bench_history(cop_diff: str, drafts: Path, folder: Path, env: dict[str, str]) -> None:
    """(e): history of D1 -> D2 -> D3 against the two compares it is made of: cold, then
    with only the extractions cached (both analyses redone), then after the compares
    (each analysis read back, not redone)."""
    series = [str(drafts / name) for name in ("cop-d1.pdf", "cop-d2.pdf", "cop-d3.pdf")]
    cache = Path(env["COP_DIFF_CACHE_DIR"])

    def empty() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    out = str(folder / "history.json")
    history = [cop_diff, "history", *series, "--timings", "-q", "-o", out]
    pairs = [series[0:2], series[1:3]]
    compares = [[cop_diff, "compare", *pair, "--timings", "-q", "-o", out] for pair in pairs]
    cold, cold_stages = timed_runs(history, env, before=empty)
    print_result("(e) history d1 d2 d3 -o x.json, cold (empty cache)", cold, cold_stages)
    separate = [timed_runs(command, env, before=empty)[0] for command in compares]
    print(
        f"(e) compare d1 d2 + compare d2 d3, each cold: {sum(separate):.2f} s "
        f"({separate[0]:.2f} + {separate[1]:.2f}); history/compares = {cold / sum(separate):.2f}"
    )
    print_result(
        "(e') history, extractions cached", *timed_runs(history, env, forget_analyses(env))
    )
    for command in compares:
        subprocess.run(command, env=env, capture_output=True, check=False)
    print_result(
        "(e'') history after the two compares (analyses reused)", *timed_runs(history, env)
    )
    page = folder / "history.html"
    subprocess.run([*history[:-1], str(page)], env=env, capture_output=True, check=False)
    seconds = report_load_seconds(page)
    opened = f", opens in Chromium in {seconds:.2f} s" if seconds is not None else ""
    print(f"(e) history HTML d1 d2 d3: {page.stat().st_size / 1e6:.2f} MB{opened}")


def bench_limits(cop_diff: str, outline: dict[str, Any], folder: Path, env: dict[str, str]) -> None:
    """(f): peak memory of `compare` on drafts just under the default limits (10 MB, 5,000
    provisions, 10,000 sentences): all of it must stay under 1 GB (#16)."""
    limit = 10 * 2**20 - 4096

    def duties(count: int, salt: int, form: str) -> str:
        """``count`` duty sentences of words from the Second Draft; another ``salt``
        rewrites every tenth."""
        words = sorted({w for p in outline["provisions"] for w in p["text"].split() if w.isalpha()})
        said = []
        for n in range(count):
            pick = [
                words[(n * 7919 + k * 104729 + salt * (n % 10 == 0)) % len(words)]
                for k in range(12)
            ]
            said.append(f"Signatories shall {' '.join(pick)} in case {n}.")
        if form == "list":
            pairs = (" ".join(said[i : i + 2]) for i in range(0, count, 2))
            return "Signatories shall do the following:\n\n" + "".join(f"- {p}\n" for p in pairs)
        if form == "headings":
            return "".join(f"## {sentence.removesuffix('.')}\n\n" for sentence in said)
        return " ".join(said) + "\n"

    head = "# Code of practice\n\n## Commitment 1. Everything\n\n"
    cases = {
        "the Second Draft 8x (4,928 provisions, 7,976 sentences)": (
            markdown_draft(outline, 8, False),
            markdown_draft(outline, 8, True),
            "md",
        ),
        "one list of 4,996 items, two duties each (9,992 sentences)": (
            head + duties(9992, 0, "list"),
            head + duties(9992, 1, "list"),
            "md",
        ),
        "4,998 headings alone (one group of containers)": (
            "# Code of practice\n\n" + duties(4998, 0, "headings"),
            "# Code of practice\n\n" + duties(4998, 1, "headings"),
            "md",
        ),
        "one provision of 9,990 sentences": (
            head + duties(9990, 0, "text"),
            head + duties(9990, 1, "text"),
            "md",
        ),
        "tag soup just under 10 MB (refused: too many paragraphs)": (
            "<!doctype html><body>" + "<p>ab</p>" * (limit // 9),
            "<!doctype html><body>" + "<p>cd</p>" * (limit // 9),
            "html",
        ),
    }
    for label, (old_text, new_text, suffix) in cases.items():
        old, new = folder / f"limit-old.{suffix}", folder / f"limit-new.{suffix}"
        old.write_text(old_text, encoding="utf-8")
        new.write_text(new_text, encoding="utf-8")
        command = [cop_diff, "compare", str(old), str(new), "--no-cache", "-q"]
        command += ["-o", str(folder / "limit.json")]
        start = time.perf_counter()
        largest = peak_rss_mb(command, env)
        seconds = time.perf_counter() - start
        together = tree_peak_mb(command, env)
        both = f", all processes {together:.0f} MB" if together is not None else ""
        print(f"(f) {label}: peak RSS {largest:.0f} MB{both}; {seconds:.0f} s (target < 1 GB)")


def forget_analyses(env: dict[str, str]) -> Callable[[], None]:
    """Empty the analysis cache (keeping extractions), so a run aligns and detects again."""
    folder = Path(env["COP_DIFF_CACHE_DIR"]) / "analysis"
    return lambda: shutil.rmtree(folder, ignore_errors=True)


def print_result(label: str, seconds: float, stages: dict[str, float]) -> None:
    detail = ", ".join(f"{name} {value:.2f}" for name, value in stages.items())
    print(f"{label}: {seconds:.2f} s" + (f"  [{detail}]" if detail else ""))


def baselines(pair: list[Path], bin_dir: Path) -> dict[str, float]:
    """(a): the plain text extractors on d2 then d3, each in one process."""
    pdf2txt = shutil.which("pdf2txt.py", path=str(bin_dir)) or "pdf2txt.py"
    tools = {"pdf2txt.py": [sys.executable, pdf2txt, "{}"]}
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        tools["pdftotext"] = [pdftotext, "{}", "-"]
    else:
        print("(a) pdftotext skipped: not found (apt-get install poppler-utils)")
    seconds = {}
    for name, command in tools.items():
        runner = [sys.executable, "-c", SEQUENTIAL, json.dumps(command), *map(str, pair)]
        seconds[name] = median_seconds(runner)
        print(f"(a) {name} d2 then d3: {seconds[name]:.2f} s")
    return seconds


def ratios(seconds: float, baseline: dict[str, float]) -> str:
    return ", ".join(f"{seconds / value:.2f}x {name}" for name, value in baseline.items())


def main() -> int:
    drafts = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/drafts")
    pair = [drafts / "cop-d2.pdf", drafts / "cop-d3.pdf"]
    missing = [str(p) for p in pair if not p.is_file()]
    if missing:
        print(f"bench: missing drafts: {', '.join(missing)}", file=sys.stderr)
        return 2
    bin_dir = Path(sys.executable).parent
    cop_diff = shutil.which("cop-diff", path=str(bin_dir)) or "cop-diff"
    print(f"median of {RUNS} runs each, {os.cpu_count()} CPUs; seconds")
    baseline = baselines(pair, bin_dir)
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        cache = folder / "cache"
        env = os.environ | {"COP_DIFF_CACHE_DIR": str(cache)}
        compare = [cop_diff, "compare", str(pair[0]), str(pair[1]), "--timings", "-q"]
        for engine in ENGINES:
            cold_run = [*compare, "--pdf-engine", engine, "-o", str(folder / "x.json")]
            cold, cold_stages = timed_runs(
                cold_run, env, before=lambda: shutil.rmtree(cache, ignore_errors=True)
            )
            print_result(f"(b) {engine}: compare d2 d3 -o x.json, cold", cold, cold_stages)
            shutil.rmtree(cache, ignore_errors=True)
            rss = peak_rss_mb(cold_run, env)
            print(f"    = {ratios(cold, baseline)}; peak RSS {rss:.0f} MB")
        print(
            f"(b) targets: cold <= {TARGETS['cold']}x pdf2txt.py, "
            f"peak RSS <= {TARGETS['rss']:.0f} MB"
        )
        html = [*compare, "-o", str(folder / "x.html")]
        # The default engine's extractions into the cache, then the warm runs.
        subprocess.run(html, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        warm, warm_stages = timed_runs(html, env)
        print_result("(c) compare d2 d3 -o x.html, warm (cache filled)", warm, warm_stages)
        # A user who edits the lexicon between runs: alignment read back, detectors re-run.
        lexicon, edits = folder / "lexicon.toml", itertools.count()

        def edit_lexicon() -> None:
            lexicon.write_text(f'hedges = ["if time permits {next(edits)}"]\n', encoding="utf-8")

        edited = timed_runs([*html, "--lexicon", str(lexicon)], env, before=edit_lexicon)
        print_result("(c') the same after a lexicon edit (detectors re-run)", *edited)
        redone = timed_runs(html, env, before=forget_analyses(env))
        print_result("(c'') the same with only the extractions cached", *redone)
        print(f"(c) warm compare with HTML: {warm:.2f} s (target <= {TARGETS['warm']} s)")
        rss_warm = peak_rss_mb(html, env)
        print(f"(c) peak RSS warm: {rss_warm:.0f} MB")
        bench_scale(cop_diff, pair[0], folder, env)
        if (drafts / "cop-d1.pdf").is_file():
            bench_history(cop_diff, drafts, folder, env)
    return 0 if bench_report(cop_diff, pair) else 1


if __name__ == "__main__":
    raise SystemExit(main())
