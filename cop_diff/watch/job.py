"""One run of the watch job: find new releases, compare each with the one before it,
publish the reports and an index, then deliver the notifications owed.

Order of writes, so that a run killed anywhere loses and duplicates nothing: a draft's
copy is written (atomically) before its release is recorded; the reports are written
before their comparison and the notifications it owes are recorded, in one transaction;
a notification is marked sent only after delivery. Whatever a killed run left undone is
found undone, and done, by the next run.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import sqlite3
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

from markupsafe import Markup

from cop_diff import __version__
from cop_diff.errors import CopDiffError, InputError, OptionLimitError
from cop_diff.extract import damaged_pages_error
from cop_diff.history import history_files
from cop_diff.history_report import render_history
from cop_diff.model import (
    Candidate,
    ComparisonRecord,
    Document,
    Notification,
    Release,
    SeriesOrder,
)
from cop_diff.output import TEMPORARY, write_all_atomic, write_atomic
from cop_diff.pipeline import Settings, compare_files, outline_file
from cop_diff.render import csp_hash, render_report, static_source
from cop_diff.report import summary
from cop_diff.sanity import comparison_warnings
from cop_diff.templating import environment
from cop_diff.watch.family import unlike_family
from cop_diff.watch.fetch import Fetched, HttpSettings, check_url, get
from cop_diff.watch.notify import Published, deliver
from cop_diff.watch.sources import folder_candidates, is_url, link_name, page_candidates
from cop_diff.watch.state import State, StateError, locked

log = logging.getLogger("cop_diff.watch")

REPORT_FORMATS = ("html", "json", "md")
HISTORY_PAGES = ("history.html", "history.json")
"""The history of every release, beside the index (which links the first)."""
INDEX_STYLE = "watch/index.css"
FORMAT_PREFERENCE = ("pdf", "html", "htm", "md", "txt")
"""The format kept when a source offers one draft in several: PDF, as it is cited."""
TOP_WEAKENINGS = 5
NOTIFY_ATTEMPTS = 10
"""Runs in which a notification may fail before it is given up (and said so, once)."""
MIN_PROVISIONS = 10
"""A file read as fewer provisions than this is no draft (an error or login page, a notice
linked beside the drafts): skipped and logged, never a release."""
"""Weakenings quoted in a notification; the report has them all."""
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_VERSION = re.compile(r"(?:^|[^a-z])(?:v|d|draft|version|rev|r)[ _.-]?(\d+(?:\.\d+)*)", re.I)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Channels:
    """Who is told of each new comparison."""

    webhooks: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    smtp: str | None = None
    """HOST:PORT of the SMTP server for ``emails``."""
    sender: str = "cop-diff@localhost"


@dataclass(frozen=True)
class WatchSettings:
    source: str
    state: Path
    out: Path
    match: re.Pattern[str] | None = None
    """Which linked or listed files are drafts; by default, those with a draft suffix."""
    http: HttpSettings = field(default_factory=HttpSettings)
    channels: Channels = field(default_factory=Channels)
    base_url: str | None = None
    """Where ``out`` is published, for the links in notifications."""
    compare: Settings = field(default_factory=Settings)
    forget_notifications: bool = False
    """Drop every notification still owed, instead of trying it again."""


@dataclass(frozen=True)
class RunResult:
    releases: tuple[str, ...]
    """Names of the releases new in this run."""
    comparisons: tuple[str, ...]
    """Report names (``reports/…``, without suffix) made in this run."""
    notified: int
    problems: tuple[str, ...]
    """One line per thing that failed and will be tried again next run."""


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_once(settings: WatchSettings) -> RunResult:
    """One pass over the source; holds the state's lock throughout."""
    out = settings.out
    _refuse_feeding_itself(settings.source, out)
    try:
        for folder in (out, out / "drafts", out / "reports"):
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = f"cannot create the output folder: {error.strerror}"
        raise InputError(reason, path=str(out)) from error
    with locked(settings.state):
        _remove_leftovers(out)
        state = State(settings.state)
        try:
            problems: list[str] = []
            if settings.forget_notifications:  # those owed before this run, only
                for owed in state.pending():
                    _drop(state, owed, "forgotten (--forget-notifications)")
            releases = _collect(state, settings, problems)
            _describe_older_releases(state, settings)
            made = _compare_new_pairs(state, settings, problems)
            _write_history(state, settings, problems, rebuild=bool(made))
            _write_index(state, settings)
            notified = _notify(state, settings, problems)
        except sqlite3.DatabaseError as error:
            # Damage found, or the disk full, after the state opened: the step's
            # transaction was rolled back.
            message = f"the state database cannot be used: {error}"
            raise StateError(message, path=str(settings.state)) from error
        finally:
            state.close()
    if not releases and not made and not notified and not problems:
        log.info("nothing new at %s", settings.source)
    return RunResult(tuple(releases), tuple(made), notified, tuple(problems))


def _refuse_feeding_itself(source: str, out: Path) -> None:
    """A watched folder that holds OUT would offer the job its own copies and reports."""
    if is_url(source):
        return
    folder, written = Path(source).resolve(), out.resolve()
    if written == folder or folder in written.parents:
        raise InputError(
            "OUT is inside the watched folder, so the job would read its own copies; "
            "give --out a folder outside it",
            path=str(out),
        )


def _remove_leftovers(out: Path) -> None:
    """Temporary files of a run that was killed while writing (we hold the lock): ours
    only, by their name; no other file under OUT is touched."""
    for leftover in out.rglob(f".*{TEMPORARY}"):
        leftover.unlink(missing_ok=True)


# Finding and storing new releases


def _collect(state: State, settings: WatchSettings, problems: list[str]) -> list[str]:
    if is_url(settings.source):
        candidates = page_candidates(_listing(state, settings), settings.match)
    else:
        candidates = folder_candidates(Path(settings.source), settings.match)
    if not candidates:
        log.warning("%s links to no draft files", settings.source)
    new = []
    for candidate in one_format_each(candidates):
        try:
            name = _take(state, settings, candidate)
        except CopDiffError as error:
            log.error("%s; will try again next run", error)
            problems.append(str(error))
            continue
        if name is not None:
            new.append(name)
    return new


def one_format_each(candidates: list[Candidate]) -> list[Candidate]:
    """One file per draft: where a source offers one name in several formats
    ("cop-d3.pdf" and "cop-d3.html"), the first format of ``FORMAT_PREFERENCE``; else
    each format would be a release of its own, compared with its twin."""
    chosen: dict[str, Candidate] = {}
    for candidate in candidates:
        key = _stem(candidate)
        current = chosen.get(key)
        if current is None or _preference(candidate) < _preference(current):
            chosen[key] = candidate
    return [candidate for candidate in candidates if chosen[_stem(candidate)] is candidate]


def _stem(candidate: Candidate) -> str:
    stem, _, suffix = candidate.name.lower().rpartition(".")
    return stem or suffix


def _preference(candidate: Candidate) -> int:
    suffix = candidate.name.lower().rpartition(".")[2]
    return (
        FORMAT_PREFERENCE.index(suffix) if suffix in FORMAT_PREFERENCE else len(FORMAT_PREFERENCE)
    )


def _listing(state: State, settings: WatchSettings) -> Fetched:
    """The source page or feed, asked for conditionally; a 304 reuses the last copy."""
    url = check_url(settings.source)
    etag, last_modified, body = state.validators(url)
    if body is None:
        etag = last_modified = None
    page = get(url, settings.http, etag, last_modified)
    if page.body is None:
        return Fetched(url, body, etag, last_modified)
    with state.transaction():
        state.remember(url, page.etag, page.last_modified, page.body)
    return page


def _take(state: State, settings: WatchSettings, candidate: Candidate) -> str | None:
    """Store ``candidate`` if its content is new; its name if so, else ``None``."""
    if is_url(candidate.location):
        etag, last_modified, _ = state.validators(candidate.location)
        fetched = get(candidate.location, settings.http, etag, last_modified)
        if fetched.body is None:
            return None
        data = fetched.body
        name = link_name(fetched.url, fetched.content_type)
    else:
        path = Path(candidate.location)
        if path.stat().st_size > settings.http.max_bytes:
            raise InputError("larger than --max-download-mb allows", path=str(path))
        data, name, fetched = path.read_bytes(), candidate.name, None
    sha256 = hashlib.sha256(data).hexdigest()
    is_new = not state.known(sha256) and not state.rejected(sha256)
    # A folder per release keeps the file's own name, which the reports show.
    stored = f"drafts/{sha256[:12]}/{safe_name(name)}"
    neighbour = _neighbour(state.releases(), name, candidate.published) if is_new else None
    read = _store(settings, stored, data, neighbour) if is_new else None
    rejection = read if isinstance(read, str) else None
    try:
        with state.transaction():
            if rejection is not None:
                state.reject(sha256, name, candidate.location, rejection, utc_now())
            elif isinstance(read, Document):
                release = Release(
                    sha256,
                    name,
                    candidate.location,
                    stored,
                    candidate.published,
                    utc_now(),
                    sequence=0,  # the next, given by the state
                    title=read.title or "",
                    dated=read.date or "",
                )
                state.add_release(release)
            if fetched is not None:
                state.remember(candidate.location, fetched.etag, fetched.last_modified, None)
    except BaseException:
        if is_new and rejection is None:  # no copy in OUT without its record
            _unstore(settings.out / stored)
        raise
    if rejection is not None:
        # Not a draft (a scan, an error page, another document): it must not sit in the
        # chain of releases, where it would break the comparison of its neighbours.
        log.warning("skipped %s from %s, %s", name, candidate.location, rejection)
        return None
    if is_new:
        log.info("new release %s (%s) from %s", name, sha256[:12], candidate.location)
        return name
    return None


def _store(
    settings: WatchSettings, stored: str, data: bytes, neighbour: tuple[Release, str] | None
) -> Document | str:
    """Write the copy and read it as a draft (which fills the extraction cache for the
    comparison): the draft read; or why it is no release, with the copy removed, if it is
    not a readable draft or not a next version of ``neighbour`` (the release it would
    follow, or precede: see ``_neighbour``)."""
    path = settings.out / stored
    path.parent.mkdir(exist_ok=True)
    write_atomic(path, data)
    # Damaged pages are looked for here, whatever --keep-going says: read on, they would
    # be compared as if the draft lacked their text.
    reading = replace(settings.compare, extract=replace(settings.compare.extract, keep_going=True))
    try:
        outline = outline_file(path, reading)
        if outline.document.damaged_pages:
            raise damaged_pages_error(str(path), outline.document.damaged_pages, rest=False)
    except OptionLimitError:
        _unstore(path)  # beyond an option's limit: an error of this run, tried again next run
        raise
    except CopDiffError as error:
        _unstore(path)
        return f"not a readable draft: {str(error).removeprefix(f'{path}: ')}"
    if len(outline.provisions) < MIN_PROVISIONS:
        # An error or login page served as if it were the draft ("200 OK") reads fine.
        _unstore(path)
        return (
            f"not a readable draft: {len(outline.provisions)} provisions, too few for a draft "
            f"(at least {MIN_PROVISIONS})"
        )
    if neighbour is None:  # the first release: nothing to resemble
        return outline.document
    release, relation = neighbour
    try:
        earlier = outline_file(settings.out / release.stored, reading)
    except CopDiffError:
        _unstore(path)  # no judging by a release that cannot be read: next run, again
        raise
    unlike = unlike_family(earlier, outline, settings.compare.lexicon)
    if unlike is not None:
        _unstore(path)
        return f"not a version of {release.name}, the release it would {relation}: {unlike}"
    return outline.document


def _describe_older_releases(state: State, settings: WatchSettings) -> None:
    """Titles and dates for the releases a state of schema 2 holds without them, read
    from their stored copies (once: "" is kept for a draft that gives none)."""
    for release in state.releases():
        if release.title is not None:
            continue
        try:
            document = outline_file(settings.out / release.stored, settings.compare).document
        except CopDiffError as error:
            log.warning("cannot read the title of %s: %s", release.name, error)
            continue
        with state.transaction():
            state.describe(release.sha256, document.title or "", document.date or "")


def _neighbour(
    releases: list[Release], name: str, published: str | None
) -> tuple[Release, str] | None:
    """The release a new one named ``name`` would follow in the chain ("follow"), or, if it
    would come first, the one it would precede ("precede"); ``None`` for the first."""
    if not releases:
        return None
    sequence = max(release.sequence for release in releases) + 1
    newcomer = Release("", name, "", "", published, "", sequence)
    order = release_order([*releases, newcomer])
    at = order.index(newcomer)
    return (order[at - 1], "follow") if at else (order[1], "precede")


def _unstore(path: Path) -> None:
    """Remove a stored copy, and its release folder if that is now empty."""
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()


def safe_name(name: str) -> str:
    """A name from a source as a plain file name: no folders, no leading dot, no oddities."""
    base = re.split(r"[\\/]", name)[-1]
    cleaned = _UNSAFE.sub("-", base).strip(".-") or "draft"
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and 0 < len(suffix) <= 5:
        return f"{stem[:80]}.{suffix}"
    return cleaned[:80]


# Ordering releases and comparing neighbours


def version_of(name: str) -> tuple[int, ...] | None:
    """The version a file name states: "cop-d3.pdf" -> (3,), "draft-v1.2" -> (1, 2)."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    found = _VERSION.findall(stem)
    if found:
        return tuple(int(part) for part in found[-1].split("."))
    for word, number in _ORDINALS.items():
        if re.search(rf"\b{word}\b", stem, re.I):
            return (number,)
    numbers = re.findall(r"\d+", stem)
    return (int(numbers[-1]),) if numbers else None


def order_basis(releases: list[Release]) -> SeriesOrder:
    """What ``release_order`` orders by."""
    if releases and all(release.published for release in releases):
        return "published"
    if all(version_of(release.name) is not None for release in releases):
        return "version"
    return "seen"


def release_order(releases: list[Release]) -> list[Release]:
    """Oldest first: by publication date if every release has one, else by the version
    in the names if every name has one, else in the order they were first seen."""
    basis = order_basis(releases)
    if basis == "published":
        return sorted(releases, key=lambda r: (r.published or "", r.sequence))
    if basis == "version":
        return sorted(releases, key=lambda r: (version_of(r.name) or (), r.sequence))
    return sorted(releases, key=lambda r: r.sequence)


def _compare_new_pairs(state: State, settings: WatchSettings, problems: list[str]) -> list[str]:
    made = []
    for old, new in pairwise(release_order(state.releases())):
        if state.compared(old.sha256, new.sha256):
            continue
        try:
            made.append(_compare_pair(state, settings, old, new))
        except CopDiffError as error:
            log.error("cannot compare %s with %s: %s", old.name, new.name, error)
            problems.append(str(error))
    return made


def _report_stem(old: Release, new: Release) -> str:
    def short(release: Release) -> str:
        return safe_name(release.name).rsplit(".", 1)[0]

    return f"{short(old)}-to-{short(new)}-{old.sha256[:6]}{new.sha256[:6]}"


def _compare_pair(state: State, settings: WatchSettings, old: Release, new: Release) -> str:
    out = settings.out
    comparison = compare_files(out / old.stored, out / new.stored, settings.compare)
    for warning in comparison_warnings(comparison):
        log.warning("%s -> %s: %s", old.name, new.name, warning)
    stem = f"reports/{_report_stem(old, new)}"
    reports = {kind: f"{stem}.{kind}" for kind in REPORT_FORMATS}
    for kind, relative in reports.items():
        write_atomic(out / relative, render_report(comparison, kind))
    weakenings = [f.explanation for f in comparison.findings if f.direction == "weakening"]
    record = ComparisonRecord(
        old, new, utc_now(), reports, summary(comparison), tuple(weakenings[:TOP_WEAKENINGS])
    )
    channels = settings.channels
    with state.transaction():
        comparison_id = state.add_comparison(record)
        for url in channels.webhooks:
            state.owe(comparison_id, "webhook", url, None)
        for address in channels.emails:
            state.owe(comparison_id, "email", address, channels.smtp)
    counts = record.summary
    log.info(
        "compared %s -> %s: %d weakening(s), %d strengthening(s), %d other; wrote %s.html",
        old.name,
        new.name,
        counts["weakening"],
        counts["strengthening"],
        counts["neutral"],
        out / stem,
    )
    return stem


# Publishing and telling


def _write_history(
    state: State, settings: WatchSettings, problems: list[str], *, rebuild: bool
) -> None:
    """``history.html`` and ``history.json``: every release, in order, followed provision
    by provision. Made when a comparison was made, or when missing; from the caches of
    drafts and analyses the comparisons have just filled."""
    releases = state.releases()
    out = settings.out
    if len(releases) < 2 or (not rebuild and (out / HISTORY_PAGES[0]).is_file()):
        return
    ordered = release_order(releases)
    try:
        series = history_files([out / r.stored for r in ordered], settings.compare)
    except CopDiffError as error:
        log.error("cannot make the history of the drafts: %s; will try again next run", error)
        problems.append(str(error))
        return
    order = order_basis(releases)
    write_all_atomic(
        [
            (out / page, render_history(series, page.rsplit(".", 1)[1], order=order))
            for page in HISTORY_PAGES
        ]
    )
    log.info("wrote the history of %d drafts: %s", len(ordered), out / HISTORY_PAGES[0])


def _write_index(state: State, settings: WatchSettings) -> None:
    """``index.html``: every comparison, newest first; rewritten only when it changes."""
    env = environment()
    style = static_source(env, INDEX_STYLE)
    page = env.get_template("watch/index.html").render(
        source=settings.source,
        version=__version__,
        css=Markup(style),  # our own file, checked by static_source
        style_hash=csp_hash(style),
        comparisons=[record for _, record in reversed(state.comparisons())],
        releases=list(reversed(release_order(state.releases()))),
        history=HISTORY_PAGES[0] if (settings.out / HISTORY_PAGES[0]).is_file() else None,
    )
    index = settings.out / "index.html"
    if not index.is_file() or index.read_text(encoding="utf-8") != page:
        write_atomic(index, page)


def _drop(state: State, owed: Notification, reason: str) -> None:
    with state.transaction():
        state.give_up(owed, reason, utc_now())
    log.warning("notification (%s to %s) dropped: %s", owed.channel, owed.target, reason)


def _notify(state: State, settings: WatchSettings, problems: list[str]) -> int:
    records = dict(state.comparisons())
    where = Published(settings.out, settings.base_url)
    channels = settings.channels
    current = {("webhook", url) for url in channels.webhooks} | {
        ("email", address) for address in channels.emails
    }
    delivered = 0
    for owed in state.pending():
        what = f"{owed.channel} to {owed.target}"
        if (owed.channel, owed.target) not in current:
            _drop(state, owed, "no longer a --notify or --email of this job")
            continue
        # The SMTP server is this run's setting: an e-mail owed since a run whose server
        # was wrong goes through the one given now.
        notification = replace(owed, via=channels.smtp or owed.via)
        record = records[notification.comparison_id]
        try:
            deliver(notification, record, where, settings.http, channels.sender)
        except CopDiffError as error:
            tries = notification.attempts + 1
            with state.transaction():
                state.failed(notification, str(error))
                if tries >= NOTIFY_ATTEMPTS:
                    state.give_up(notification, f"{tries} runs failed: {error}", utc_now())
            if tries >= NOTIFY_ATTEMPTS:
                log.error("notification (%s) given up after %d runs: %s", what, tries, error)
            else:
                log.error("notification (%s) not delivered: %s; will retry next run", what, error)
            problems.append(str(error))
            continue
        with state.transaction():
            state.delivered(notification, utc_now())
        delivered += 1
        log.info("notified %s about %s -> %s", what, record.old.name, record.new.name)
    return delivered
