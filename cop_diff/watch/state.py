"""The watch job's memory, in SQLite: releases seen, HTTP validators, comparisons made,
notifications owed and sent.

Every change is one transaction, so a run killed at any point leaves the state as it was
before that step or after it, never between. A lock file beside the database keeps a
second run out while one is going; the kernel releases it if the run is killed.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from pathlib import Path

from cop_diff.errors import CopDiffError, ExitCode
from cop_diff.model import ComparisonRecord, Notification, Release

SCHEMA_VERSION = 3
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS releases (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    location TEXT NOT NULL,
    stored TEXT NOT NULL,
    published TEXT,
    first_seen TEXT NOT NULL,
    sequence INTEGER NOT NULL UNIQUE,
    title TEXT,
    dated TEXT
);
CREATE TABLE IF NOT EXISTS rejected (
    sha256 TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    location TEXT NOT NULL,
    reason TEXT NOT NULL,
    seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS http_cache (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    body BLOB
);
CREATE TABLE IF NOT EXISTS comparisons (
    id INTEGER PRIMARY KEY,
    old_sha256 TEXT NOT NULL REFERENCES releases,
    new_sha256 TEXT NOT NULL REFERENCES releases,
    made TEXT NOT NULL,
    reports TEXT NOT NULL,
    summary TEXT NOT NULL,
    top_weakenings TEXT NOT NULL,
    UNIQUE (old_sha256, new_sha256)
);
CREATE TABLE IF NOT EXISTS notifications (
    id INTEGER PRIMARY KEY,
    comparison_id INTEGER NOT NULL REFERENCES comparisons,
    channel TEXT NOT NULL,
    target TEXT NOT NULL,
    via TEXT,
    key TEXT NOT NULL UNIQUE,
    sent TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    given_up TEXT
);
"""
MIGRATIONS = {
    1: ("ALTER TABLE notifications ADD COLUMN given_up TEXT",),
    2: ("ALTER TABLE releases ADD COLUMN title TEXT", "ALTER TABLE releases ADD COLUMN dated TEXT"),
}
"""Schema version -> the statements that bring it to the next one."""
RELEASE_COLUMNS = tuple(field.name for field in fields(Release))
"""The ``releases`` table's columns: ``Release``'s fields, by name."""


class StateError(CopDiffError):
    """The state database cannot be used."""


class BusyError(CopDiffError):
    """Another run holds the lock."""

    exit_code = ExitCode.BUSY


@contextmanager
def locked(state: Path) -> Iterator[None]:
    """Hold ``STATE.lock`` for the block, or fail at once with ``BusyError``."""
    if not state.parent.is_dir():
        raise StateError("the folder of the state file does not exist", path=str(state))
    lock_path = state.with_name(state.name + ".lock")
    try:
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise StateError(
            f"cannot create the lock file: {error.strerror}", path=str(lock_path)
        ) from error
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(
                "another `cop-diff watch` run is using this state; this run stops "
                "(the next scheduled run will catch up)",
                path=str(state),
            ) from None
        yield
    finally:
        os.close(handle)


APPLICATION_ID = 0x636F7064
"""Marks a SQLite file as a cop-diff state ("copd"), as file(1) reads it."""


def _writable(path: Path) -> None:
    """The state must be written as well as read, and SQLite writes its journal beside it."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StateError("the state file is read-only; cop-diff must write it", path=str(path))
    if not os.access(folder, os.W_OK):
        raise StateError("the folder of the state file is read-only", path=str(folder))


def _ours(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a SQLite database of another program before anything is written into it."""
    application = db.execute("PRAGMA application_id").fetchone()[0]
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if application not in (0, APPLICATION_ID) or (tables and "meta" not in tables):
        raise StateError(
            "a database of another program, not a cop-diff state; give --state a file of its own",
            path=str(path),
        )


class State:
    """The database, opened for one run."""

    def __init__(self, path: Path) -> None:
        _writable(path)
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA synchronous = FULL")
            self.db.execute("PRAGMA foreign_keys = ON")
            _ours(self.db, path)
            with self.transaction():
                self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                # One statement at a time: executescript() would commit on its own.
                for statement in filter(str.strip, SCHEMA.split(";")):
                    self.db.execute(statement)
                row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row is None:
                    self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                    return
                version = int(row[0])
                if version > SCHEMA_VERSION:
                    raise StateError(
                        f"made by a newer version of cop-diff (schema {version})", path=str(path)
                    )
                for step in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[step]:
                        self.db.execute(statement)
                self.db.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),)
                )
        except sqlite3.DatabaseError as error:
            raise StateError(f"not a cop-diff state database ({error})", path=str(path)) from error

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # Releases

    def releases(self) -> list[Release]:
        columns = ", ".join(RELEASE_COLUMNS)
        rows = self.db.execute(f"SELECT {columns} FROM releases ORDER BY sequence")
        return [Release(*row) for row in rows]

    def describe(self, sha256: str, title: str, dated: str) -> None:
        """Records what a release stored before titles were kept says of itself."""
        query = "UPDATE releases SET title = ?, dated = ? WHERE sha256 = ?"
        self.db.execute(query, (title, dated, sha256))

    def known(self, sha256: str) -> bool:
        query = "SELECT 1 FROM releases WHERE sha256 = ?"
        return self.db.execute(query, (sha256,)).fetchone() is not None

    def add_release(self, release: Release) -> Release:
        """Stores ``release`` as the latest found; its ``sequence`` is given here."""
        (last,) = self.db.execute("SELECT coalesce(max(sequence), 0) FROM releases").fetchone()
        release = replace(release, sequence=last + 1)
        columns, marks = ", ".join(RELEASE_COLUMNS), ", ".join("?" * len(RELEASE_COLUMNS))
        self.db.execute(
            f"INSERT INTO releases ({columns}) VALUES ({marks})",
            tuple(getattr(release, column) for column in RELEASE_COLUMNS),
        )
        return release

    def rejected(self, sha256: str) -> bool:
        """Whether this content was found not to be a readable draft."""
        query = "SELECT 1 FROM rejected WHERE sha256 = ?"
        return self.db.execute(query, (sha256,)).fetchone() is not None

    def reject(self, sha256: str, name: str, location: str, reason: str, now: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO rejected VALUES (?, ?, ?, ?, ?)",
            (sha256, name, location, reason, now),
        )

    # HTTP validators, and the last body of a page, for conditional GETs

    def validators(self, url: str) -> tuple[str | None, str | None, bytes | None]:
        row = self.db.execute(
            "SELECT etag, last_modified, body FROM http_cache WHERE url = ?", (url,)
        ).fetchone()
        return (row[0], row[1], row[2]) if row else (None, None, None)

    def remember(
        self, url: str, etag: str | None, last_modified: str | None, body: bytes | None
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO http_cache VALUES (?, ?, ?, ?)",
            (url, etag, last_modified, body),
        )

    # Comparisons and the notifications they owe

    def compared(self, old: str, new: str) -> bool:
        query = "SELECT 1 FROM comparisons WHERE old_sha256 = ? AND new_sha256 = ?"
        return self.db.execute(query, (old, new)).fetchone() is not None

    def add_comparison(self, record: ComparisonRecord) -> int:
        cursor = self.db.execute(
            "INSERT INTO comparisons (old_sha256, new_sha256, made, reports, summary, "
            "top_weakenings) VALUES (?, ?, ?, ?, ?, ?)",
            (
                record.old.sha256,
                record.new.sha256,
                record.made,
                json.dumps(record.reports, sort_keys=True),
                json.dumps(record.summary, sort_keys=True),
                json.dumps(list(record.top_weakenings)),
            ),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def comparisons(self) -> list[tuple[int, ComparisonRecord]]:
        releases = {release.sha256: release for release in self.releases()}
        rows = self.db.execute(
            "SELECT id, old_sha256, new_sha256, made, reports, summary, top_weakenings "
            "FROM comparisons ORDER BY id"
        )
        return [
            (
                row[0],
                ComparisonRecord(
                    releases[row[1]],
                    releases[row[2]],
                    row[3],
                    json.loads(row[4]),
                    json.loads(row[5]),
                    tuple(json.loads(row[6])),
                ),
            )
            for row in rows
        ]

    def owe(self, comparison_id: int, channel: str, target: str, via: str | None) -> None:
        # Stable across tries and runs; safe in a header and in a Message-ID.
        digest = hashlib.sha256(f"{channel} {target}".encode()).hexdigest()[:16]
        key = f"cop-diff-{comparison_id}-{channel}-{digest}"
        self.db.execute(
            "INSERT OR IGNORE INTO notifications (comparison_id, channel, target, via, key) "
            "VALUES (?, ?, ?, ?, ?)",
            (comparison_id, channel, target, via, key),
        )

    def pending(self) -> list[Notification]:
        rows = self.db.execute(
            "SELECT id, comparison_id, channel, target, via, key, attempts "
            "FROM notifications WHERE sent IS NULL AND given_up IS NULL ORDER BY id"
        )
        return [Notification(*row) for row in rows]

    def give_up(self, notification: Notification, reason: str, now: str) -> None:
        """Owed no longer: kept, with why, but never tried again."""
        self.db.execute(
            "UPDATE notifications SET given_up = ?, last_error = ? WHERE id = ?",
            (now, reason, notification.id),
        )

    def delivered(self, notification: Notification, now: str) -> None:
        self.db.execute(
            "UPDATE notifications SET sent = ?, attempts = attempts + 1, last_error = NULL "
            "WHERE id = ?",
            (now, notification.id),
        )

    def failed(self, notification: Notification, error: str) -> None:
        self.db.execute(
            "UPDATE notifications SET attempts = attempts + 1, last_error = ? WHERE id = ?",
            (error, notification.id),
        )
