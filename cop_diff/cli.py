"""The command line: a thin shell over the library (extract, segment, render)."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from cop_diff import __version__
from cop_diff.errors import CopDiffError, ExitCode, printable, user_error
from cop_diff.extract.pdfengine import DEFAULT_PDF_ENGINE, PDF_ENGINES, PdfEngineName

if TYPE_CHECKING:
    from cop_diff.extract import ExtractSettings
from cop_diff.model import Leaning, Selection

if TYPE_CHECKING:
    from cop_diff.extract import ExtractSettings

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn any failure into one line on stderr and its exit code; no traceback.

    A failure the user caused (a ``CopDiffError``, a file's permissions, a hostile input
    that is nested too deeply or too big) exits 2; anything else is a bug in cop-diff and
    exits 3. ``--debug`` shows the traceback instead.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().find_root().params.get("debug", False)
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            if debug:
                raise
            click.echo("cop-diff: interrupted", err=True)
            sys.exit(130)
        except Exception as error:
            if debug:
                raise
            mapped = user_error(error)
            if mapped is not None:
                click.echo(f"cop-diff: error: {printable(str(mapped))}", err=True)
                sys.exit(int(mapped.exit_code))
            detail = printable(" ".join(str(error).split())[:200])
            click.echo(
                f"cop-diff: internal error ({type(error).__name__}: {detail}); please report "
                "it with the output of the same command run with --debug",
                err=True,
            )
            sys.exit(int(ExitCode.INTERNAL))

    return wrapper  # type: ignore[return-value]


def speed_options(command: F) -> F:
    """``--no-cache`` and ``--quiet``, shared by ``outline`` and ``compare``."""
    command = click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help="No progress bar and no 'wrote FILE' lines on stderr (errors still show).",
    )(command)
    return click.option(
        "--no-cache",
        is_flag=True,
        help="Work afresh: neither read nor fill the cache of extracted drafts and of "
        "analyses (~/.cache/cop-diff, or $COP_DIFF_CACHE_DIR).",
    )(command)


def analysis_options(command: F) -> F:
    """``--lexicon`` and ``--timings``, shared by ``compare`` and ``history``."""
    command = click.option(
        "--timings", is_flag=True, help="Print the seconds spent in each stage to stderr."
    )(command)
    return click.option(
        "--lexicon",
        "lexicon_files",
        multiple=True,
        type=click.Path(path_type=Path),
        help="Extra detector words (TOML); extends the built-in lexicon, or replaces it "
        "with `replace = true`. May be repeated.",
    )(command)


@contextlib.contextmanager
def extraction_progress(count: int, quiet: bool) -> Iterator[Callable[[Path], None] | None]:
    """A progress bar on stderr while drafts are extracted; none if quiet or not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    label = "extracting the draft" if count == 1 else f"extracting {count} drafts"
    with click.progressbar(length=count, label=label, file=sys.stderr, show_pos=True) as bar:
        yield lambda _path: bar.update(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cop-diff")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def main(debug: bool) -> None:
    """Find what got weaker between two drafts of a code of practice."""
    # What start-up made (modules, classes, functions) lives as long as the process: the
    # garbage collector need not scan it again at each collection (a tenth of a warm
    # compare). Objects made later are collected as usual.
    gc.freeze()
    if not debug:
        # pdfminer logs every oddity of a damaged PDF; the user gets one line from us.
        logging.getLogger("pdfminer").setLevel(logging.CRITICAL + 1)


def reading_options(command: F) -> F:
    """How to read a draft, for every command that reads one: --profile, --password,
    --max-pages, --pdf-engine."""
    options = (
        click.option(
            "--profile",
            "profile_files",
            multiple=True,
            type=click.Path(path_type=Path),
            help="Extra numbering profile (TOML); may be repeated.",
        ),
        click.option(
            "--password",
            envvar="COP_DIFF_PDF_PASSWORD",
            help="Password of an encrypted PDF (or set COP_DIFF_PDF_PASSWORD).",
        ),
        click.option(
            "--max-pages",
            type=click.IntRange(min=1),
            help="Refuse a PDF with more pages than this (a wrong or hostile file); default 2000.",
        ),
        click.option(
            "--pdf-engine",
            type=click.Choice(PDF_ENGINES),
            default=DEFAULT_PDF_ENGINE,
            show_default=True,
            help="What reads a PDF: pdfium (fast, in C) or pdfminer (pdfminer.six, the "
            "reference; five times slower).",
        ),
        click.option(
            "--max-input-mb",
            type=click.IntRange(min=1),
            help="Refuse a draft file larger than this many MB; default 10.",
        ),
        click.option(
            "--max-provisions",
            type=click.IntRange(min=1),
            help="Refuse a draft with more provisions than this, or more than twice as many "
            "sentences; default 5000.",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


def keep_going_option(command: F) -> F:
    """``--keep-going``, for the commands that read drafts for a person (not ``watch``)."""
    return click.option(
        "--keep-going",
        is_flag=True,
        help="Read a PDF whose pages cannot all be fully decoded (a damaged compressed "
        "stream) instead of stopping; every output then warns which pages may lack text.",
    )(command)


def extract_settings(
    password: str | None,
    max_pages: int | None,
    pdf_engine: str,
    max_input_mb: int | None,
    max_provisions: int | None,
    keep_going: bool = False,
) -> ExtractSettings:
    """The reading options as given, the defaults for those that were not."""
    from cop_diff.extract import (
        DEFAULT_MAX_INPUT_MB,
        DEFAULT_MAX_PAGES,
        DEFAULT_MAX_PROVISIONS,
        ExtractSettings,
    )
    from cop_diff.extract.inflation import MIB

    return ExtractSettings(
        pdf_engine=cast(PdfEngineName, pdf_engine),  # click has checked it is one
        password=password,
        max_pages=max_pages or DEFAULT_MAX_PAGES,
        max_bytes=(max_input_mb or DEFAULT_MAX_INPUT_MB) * MIB,
        max_provisions=max_provisions or DEFAULT_MAX_PROVISIONS,
        keep_going=keep_going,
    )


@main.command()
@click.argument("draft", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help='text: an indented tree; json: {"provisions": [...]}; html: a browsable page.',
)
@reading_options
@keep_going_option
@speed_options
@reports_errors
def outline(
    draft: Path,
    output_format: str,
    profile_files: tuple[Path, ...],
    password: str | None,
    max_pages: int | None,
    pdf_engine: str,
    max_input_mb: int | None,
    max_provisions: int | None,
    keep_going: bool,
    no_cache: bool,
    quiet: bool,
) -> None:
    """Print the tree of provisions recognised in DRAFT (PDF, HTML, text or Markdown).

    \b
    Example:
        cop-diff outline drafts/sample-v2.pdf
        cop-diff outline drafts/sample-v3.pdf --format json > outline.json
    """
    from cop_diff.outline import outline_warnings, render_outline
    from cop_diff.pipeline import Settings, extract_documents, segment_document
    from cop_diff.profiles import load_profiles, load_vocabulary
    from cop_diff.segment import SegmentSettings

    settings = Settings(
        extract=extract_settings(
            password, max_pages, pdf_engine, max_input_mb, max_provisions, keep_going
        ),
        segment=SegmentSettings(load_profiles(profile_files), load_vocabulary()),
        cache=not no_cache,
    )
    with extraction_progress(1, quiet) as progress:
        (document,) = extract_documents([draft], settings, progress)
    result = segment_document(draft, document, settings)
    for warning in outline_warnings(result):
        click.echo(f"cop-diff: warning: {printable(warning)}", err=True)
    click.echo(render_outline(result, output_format), nl=False)


LEANINGS: dict[str, Leaning] = {
    "weakening": "weakening",
    "strengthening": "strengthening",
    "change": "none",
}
"""``compare --only`` choices, as the leaning of the findings they keep."""

FORMATS_BY_SUFFIX = {
    ".json": "json",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".docx": "docx",
}


@main.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Write the report here, atomically; the extension picks the format. May be repeated.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "text", "html", "md", "csv", "docx"]),
    help="Report format for stdout, or for an --output whose extension says nothing.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["change", "weakening"]),
    default="change",
    show_default=True,
    help="What exit status 1 means: any change of substance, or a weakening found.",
)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Text report: every finding in full, and each other change, not one line per kind.",
)
@click.option(
    "--only",
    type=click.Choice(["weakening", "strengthening", "change"]),
    help="Report only findings that lean this way (change: those that lean neither way), "
    "in every format. The exit status still counts them all.",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    metavar="X",
    help="Report only findings with at least this confidence (0 to 1), in every format.",
)
@analysis_options
@reading_options
@keep_going_option
@speed_options
@reports_errors
def compare(
    old: Path,
    new: Path,
    outputs: tuple[Path, ...],
    output_format: str | None,
    fail_on: str,
    everything: bool,
    only: str | None,
    min_confidence: float,
    profile_files: tuple[Path, ...],
    lexicon_files: tuple[Path, ...],
    password: str | None,
    max_pages: int | None,
    pdf_engine: str,
    max_input_mb: int | None,
    max_provisions: int | None,
    keep_going: bool,
    no_cache: bool,
    quiet: bool,
    timings: bool,
) -> None:
    """Compare two drafts: align their provisions and report what changed.

    OLD and NEW may be PDF, HTML, text or Markdown, in any mix. Exit status as diff(1):
    0 no change of substance, 1 changes found (with --fail-on weakening: a weakening
    found), 2 trouble.

    \b
    Example:
        cop-diff compare drafts/sample-v2.pdf drafts/sample-v3.pdf
        cop-diff compare old.pdf new.html -o report.json -o summary.txt
    """
    from cop_diff.lexicon import load_lexicon
    from cop_diff.output import refuse_inputs_as_outputs, write_all_atomic
    from cop_diff.pipeline import Settings, changes_of_substance, compare_files
    from cop_diff.profiles import load_profiles, load_vocabulary
    from cop_diff.render import render_report
    from cop_diff.sanity import comparison_warnings
    from cop_diff.segment import SegmentSettings
    from cop_diff.timing import format_timings, stage
    from cop_diff.timing import timings as stage_timings

    refuse_inputs_as_outputs((old, new), outputs)
    selection = Selection(
        leaning=LEANINGS[only] if only else None,
        min_confidence=min_confidence,
        everything=everything,
    )
    settings = Settings(
        extract=extract_settings(
            password, max_pages, pdf_engine, max_input_mb, max_provisions, keep_going
        ),
        segment=SegmentSettings(load_profiles(profile_files), load_vocabulary()),
        lexicon=load_lexicon(lexicon_files),
        cache=not no_cache,
    )
    with extraction_progress(2, quiet) as progress:
        comparison = compare_files(old, new, settings, progress)
    for warning in comparison_warnings(comparison):
        click.echo(f"cop-diff: warning: {printable(warning)}", err=True)
    if not outputs:
        with stage("render"):
            report = render_report(
                comparison,
                output_format or "text",
                keep_compiled=settings.caching,
                selection=selection,
            )
        click.echo(report, nl=False)
    reports = []
    for output in outputs:
        chosen = FORMATS_BY_SUFFIX.get(output.suffix.lower(), output_format or "json")
        with stage("render"):
            reports.append(
                (
                    output,
                    render_report(
                        comparison, chosen, keep_compiled=settings.caching, selection=selection
                    ),
                )
            )
    write_all_atomic(reports)  # every -o, or none of them
    if not quiet:
        for output in outputs:
            click.echo(f"wrote {output}", err=True)
    if timings:
        click.echo(format_timings(stage_timings()), err=True)
    if fail_on == "weakening":
        failed = any(f.direction == "weakening" for f in comparison.findings)
    else:
        failed = changes_of_substance(comparison)
    sys.exit(int(ExitCode.CHANGES if failed else ExitCode.OK))


HISTORY_FORMATS = ("json", "text", "html", "md")
HISTORY_FORMATS_BY_SUFFIX = {
    suffix: kind for suffix, kind in FORMATS_BY_SUFFIX.items() if kind in HISTORY_FORMATS
}


@main.command()
@click.argument("drafts", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Write the history here, atomically; the extension picks the format "
    "(.html, .json, .md, .txt). May be repeated.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(HISTORY_FORMATS),
    help="Format for stdout, or for an --output whose extension says nothing.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["change", "weakening"]),
    default="change",
    show_default=True,
    help="What exit status 1 means: a change of substance at any step, or a weakening found.",
)
@analysis_options
@reading_options
@speed_options
@reports_errors
def history(
    drafts: tuple[Path, ...],
    outputs: tuple[Path, ...],
    output_format: str | None,
    fail_on: str,
    profile_files: tuple[Path, ...],
    lexicon_files: tuple[Path, ...],
    password: str | None,
    max_pages: int | None,
    pdf_engine: str,
    max_input_mb: int | None,
    max_provisions: int | None,
    no_cache: bool,
    quiet: bool,
    timings: bool,
) -> None:
    """Follow each provision through DRAFTS, two or more, oldest first.

    The drafts are taken in the order given (any mix of PDF, HTML, text, Markdown); each
    is compared with the next, as compare does, and each provision is followed from the
    draft where it first appears to the last, or to where it was removed or merged into
    another. Exit status as compare: 0 no change of substance at any step, 1 changes
    found (with --fail-on weakening: a weakening found), 2 trouble.

    \b
    Example:
        cop-diff history drafts/sample-v1.pdf drafts/sample-v2.pdf drafts/sample-v3.pdf
        cop-diff history d1.pdf d2.pdf d3.html -o history.html -o history.json
    """
    from cop_diff.history import history_files, refuse_repeated_paths
    from cop_diff.history_report import render_history
    from cop_diff.history_view import series_warnings
    from cop_diff.lexicon import load_lexicon
    from cop_diff.output import OutputError, refuse_inputs_as_outputs, write_all_atomic
    from cop_diff.pipeline import Settings, changes_of_substance
    from cop_diff.profiles import load_profiles, load_vocabulary
    from cop_diff.segment import SegmentSettings
    from cop_diff.timing import format_timings, stage
    from cop_diff.timing import timings as stage_timings

    refuse_repeated_paths(drafts)
    refuse_inputs_as_outputs(drafts, outputs)
    for output in outputs:
        if output.suffix.lower() in FORMATS_BY_SUFFIX.keys() - HISTORY_FORMATS_BY_SUFFIX.keys():
            raise OutputError("history is written as .html, .json, .md or .txt", path=str(output))
    settings = Settings(
        extract=extract_settings(password, max_pages, pdf_engine, max_input_mb, max_provisions),
        segment=SegmentSettings(load_profiles(profile_files), load_vocabulary()),
        lexicon=load_lexicon(lexicon_files),
        cache=not no_cache,
    )
    with extraction_progress(len(drafts), quiet) as progress:
        series = history_files(drafts, settings, progress)
    for warning in series_warnings(series):
        click.echo(f"cop-diff: warning: {printable(warning)}", err=True)

    def render(chosen: str) -> str:
        with stage("render"):
            return render_history(series, chosen, keep_compiled=settings.caching)

    if not outputs:
        click.echo(render(output_format or "text"), nl=False)
    reports: list[tuple[Path, str | bytes]] = [
        (
            output,
            render(HISTORY_FORMATS_BY_SUFFIX.get(output.suffix.lower(), output_format or "json")),
        )
        for output in outputs
    ]
    write_all_atomic(reports)  # every -o, or none of them
    if not quiet:
        for output in outputs:
            click.echo(f"wrote {output}", err=True)
    if timings:
        click.echo(format_timings(stage_timings()), err=True)
    if fail_on == "weakening":
        failed = any(f.direction == "weakening" for step in series.steps for f in step.findings)
    else:
        failed = any(changes_of_substance(step) for step in series.steps)
    sys.exit(int(ExitCode.CHANGES if failed else ExitCode.OK))


class PrintableFormatter(logging.Formatter):
    """Log lines with what a server sent (names, locations, reasons) shown escaped."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return printable(super().formatMessage(record))


def _http_url(_context: click.Context, _param: click.Parameter, values: Any) -> Any:
    from urllib.parse import urlsplit

    for value in values:
        if urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
            raise click.BadParameter(f"{value!r} is not an http(s) address")
    return values


@main.command()
@click.argument("source")
@click.option(
    "--state",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="SQLite file remembering releases, reports and notifications (created if absent).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for the drafts, the reports and index.html (created if absent).",
)
@click.option("--once", is_flag=True, help="One pass, then exit (for cron and CI).")
@click.option(
    "--interval",
    metavar="MINUTES",
    type=click.FloatRange(min=0.01),
    default=60.0,
    show_default=True,
    help="Minutes between passes, without --once.",
)
@click.option(
    "--notify",
    "webhooks",
    metavar="URL",
    multiple=True,
    callback=_http_url,
    help="Webhook URL: POST a JSON summary of each new comparison. May be repeated.",
)
@click.option(
    "--email", "emails", metavar="ADDR", multiple=True, help="Mail each new comparison to ADDR."
)
@click.option("--smtp", metavar="HOST:PORT", help="SMTP server for --email.")
@click.option(
    "--email-from",
    metavar="ADDR",
    default="cop-diff@localhost",
    show_default=True,
    help="Sender address.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where --out is published on the web, for the links in notifications.",
)
@click.option(
    "--match",
    metavar="REGEX",
    help="Which linked files are drafts (searched in the file name); "
    "default: names ending .pdf, .html, .htm, .txt or .md.",
)
@click.option(
    "--timeout",
    metavar="SECONDS",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds to wait for a server before a retry.",
)
@click.option(
    "--retries",
    metavar="N",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Further tries after a server error, a timeout or a cut download.",
)
@click.option(
    "--backoff",
    metavar="SECONDS",
    type=click.FloatRange(min=0),
    default=2.0,
    show_default=True,
    help="Seconds before the first retry; doubled for each next one.",
)
@click.option(
    "--max-download-mb",
    metavar="MB",
    type=click.IntRange(min=1),
    default=200,
    show_default=True,
    help="Refuse a download larger than this.",
)
@reading_options
@click.option(
    "--forget-notifications",
    is_flag=True,
    help="Drop every notification still owed from earlier runs instead of retrying it.",
)
@click.option("--quiet", "-q", is_flag=True, help="Log only warnings and errors.")
@reports_errors
def watch(
    source: str,
    state: Path,
    out: Path,
    once: bool,
    interval: float,
    webhooks: tuple[str, ...],
    emails: tuple[str, ...],
    smtp: str | None,
    email_from: str,
    base_url: str | None,
    match: str | None,
    timeout: float,
    retries: int,
    backoff: float,
    max_download_mb: int,
    profile_files: tuple[Path, ...],
    password: str | None,
    max_pages: int | None,
    pdf_engine: str,
    max_input_mb: int | None,
    max_provisions: int | None,
    forget_notifications: bool,
    quiet: bool,
) -> None:
    """Watch SOURCE for new drafts; compare each with the one before; publish; notify.

    SOURCE is a folder, a web page linking the drafts, or an Atom/RSS feed. Each new
    release (by content) is stored in OUT/drafts, compared with the release before it
    (by publication date, else the version in its name, else when first seen), and the
    HTML, JSON and Markdown reports go to OUT/reports with OUT/index.html listing them all.
    Exit status: 0 done, 2 something failed (it is retried next run), 75 another run
    holds the lock.

    \b
    Example:
        cop-diff watch https://example.org/drafts/ --state watch.db --out site --once \\
            --notify https://hooks.example.org/cop --email team@example.org --smtp mail:25
    """
    import re
    import time

    from cop_diff.pipeline import Settings
    from cop_diff.profiles import load_profiles, load_vocabulary
    from cop_diff.segment import SegmentSettings
    from cop_diff.watch.fetch import HttpSettings
    from cop_diff.watch.job import Channels, WatchSettings, run_once

    if emails and not smtp:
        raise click.UsageError("--email needs --smtp HOST:PORT")
    if smtp and not re.fullmatch(r"[^\s:]+:\d{1,5}", smtp):
        raise click.BadParameter(f"{smtp!r} is not HOST:PORT", param_hint="--smtp")
    try:
        pattern = re.compile(match) if match else None
    except re.error as error:
        message = f"not a regular expression: {error}"
        raise click.BadParameter(message, param_hint="--match") from error
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(PrintableFormatter("%(asctime)s cop-diff watch: %(message)s"))
    logger = logging.getLogger("cop_diff.watch")
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    settings = WatchSettings(
        source=source,
        state=state,
        out=out,
        match=pattern,
        http=HttpSettings(
            timeout=timeout, retries=retries, backoff=backoff, max_bytes=max_download_mb * 2**20
        ),
        channels=Channels(webhooks, emails, smtp, email_from),
        base_url=base_url,
        forget_notifications=forget_notifications,
        compare=Settings(
            extract=extract_settings(password, max_pages, pdf_engine, max_input_mb, max_provisions),
            segment=SegmentSettings(load_profiles(profile_files), load_vocabulary()),
        ),
    )
    logger.addHandler(handler)
    try:
        if once:
            result = run_once(settings)
            sys.exit(int(ExitCode.TROUBLE if result.problems else ExitCode.OK))
        while True:
            try:
                run_once(settings)
            except CopDiffError as error:
                # A long-running watcher outlives a source that is down for a while.
                logger.error("%s; will try again in %g minutes", error, interval)
            # What was owed before this watcher started is forgotten by its first pass,
            # not what later passes owe.
            settings = replace(settings, forget_notifications=False)
            time.sleep(interval * 60)
    finally:
        logger.removeHandler(handler)


@main.command()
@click.option("--verbose", "-v", is_flag=True, help="Show each detector's examples too.")
def rules(verbose: bool) -> None:
    """List the detectors: their code, the findings they report, and what they look for.

    \b
    Example:
        cop-diff rules
        cop-diff rules --verbose
    """
    from cop_diff.rules import RULES

    for rule in RULES:
        click.echo(f"{rule.code}  {', '.join(rule.kinds)}")
        click.echo(f"     {rule.summary}")
        if verbose:
            body = rule.doc.split("\n", 1)[1] if "\n" in rule.doc else ""
            click.echo("\n".join(f"     {line}" for line in body.strip().splitlines()))
        click.echo()


if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["ExitCode", "main"]
