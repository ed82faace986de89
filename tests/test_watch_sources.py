"""The watch job's pure parts: reading listing pages and feeds, naming, ordering."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cop_diff.errors import InputError
from cop_diff.model import Release
from cop_diff.watch.fetch import Fetched, FetchError, check_url
from cop_diff.watch.job import release_order, safe_name, version_of
from cop_diff.watch.sources import page_candidates
from tests.report_support import PageWatch, artifact, chromium

ROOT = Path(__file__).resolve().parent.parent
COP_DIFF = str(Path(sys.executable).with_name("cop-diff"))


def watch_once(source: Path, state: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """One pass of `cop-diff watch`, as a user runs it."""
    command = [COP_DIFF, "watch", str(source), "--state", str(state), "--out", str(out)]
    return subprocess.run([*command, "--once"], capture_output=True, text=True, check=False)


def made(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    return folder


LISTING = b"""<!DOCTYPE html><html><body>
<nav><a href="/about">About</a> <a href="mailto:x@example.org">Mail</a></nav>
<ul>
<li><a href="files/draft-2.pdf">Second draft</a> <time datetime="2025-03-11">11 March</time></li>
<li><a href="https://cdn.example.org/first%20draft.pdf#page=2">First draft</a></li>
<li><a href="javascript:alert(1)">bad.pdf</a> <a href="file:///etc/passwd.pdf">local</a></li>
<li><a href="files/draft-2.pdf">the same link again</a></li>
<li><a href="notes.docx">notes</a></li>
</ul></body></html>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Drafts</title>
<entry><title>Third draft</title><published>2025-03-11T10:00:00Z</published>
  <link rel="alternate" href="https://example.org/news/third"/>
  <link rel="enclosure" type="application/pdf" href="/download?id=3"/></entry>
<entry><title>Second draft</title><updated>2024-12-19T09:00:00+01:00</updated>
  <link href="https://example.org/files/second.html"/></entry>
</feed>"""

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Drafts</title>
<item><title>First</title><pubDate>Thu, 14 Nov 2024 12:00:00 GMT</pubDate>
  <enclosure url="https://example.org/first.pdf" type="application/pdf" length="1"/></item>
<item><title>Blog post</title><link>https://example.org/blog/post</link></item>
</channel></rss>"""


def candidates(body: bytes, match: str | None = None) -> list[tuple[str, str, str | None]]:
    page = Fetched("https://example.org/drafts/", body)
    found = page_candidates(page, re.compile(match) if match else None)
    return [(c.name, c.location, c.published) for c in found]


def test_a_listing_page_yields_its_draft_links_once_and_only_http() -> None:
    assert candidates(LISTING) == [
        (
            "draft-2.pdf",
            "https://example.org/drafts/files/draft-2.pdf",
            "2025-03-11T00:00:00+00:00",
        ),
        ("first draft.pdf", "https://cdn.example.org/first%20draft.pdf", None),
    ]
    assert [name for name, _, _ in candidates(LISTING, r"\.docx$")] == ["notes.docx"]


def test_an_atom_feed_prefers_the_enclosure_and_reads_dates_as_utc() -> None:
    assert candidates(ATOM) == [
        ("download.pdf", "https://example.org/download?id=3", "2025-03-11T10:00:00+00:00"),
        ("second.html", "https://example.org/files/second.html", "2024-12-19T08:00:00+00:00"),
    ]


def test_an_rss_feed_yields_enclosures_and_skips_pages_about_them() -> None:
    assert candidates(RSS) == [
        ("first.pdf", "https://example.org/first.pdf", "2024-11-14T12:00:00+00:00")
    ]


def test_a_feed_with_entities_is_not_expanded() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><rss><channel><item>
<enclosure url="https://example.org/&b;.pdf"/></item></channel></rss>"""
    with pytest.raises(InputError, match="declares XML entities"):
        candidates(bomb)


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("cop-d3.pdf", (3,)),
        ("sample-v2.pdf", (2,)),
        ("Code-of-Practice-draft-1.2.html", (1, 2)),
        ("Second Draft of the Code.pdf", (2,)),
        ("code_2025_rev4.pdf", (4,)),
        ("final.pdf", None),
    ],
)
def test_versions_in_file_names(name: str, version: tuple[int, ...] | None) -> None:
    assert version_of(name) == version


def release(name: str, sequence: int, published: str | None = None) -> Release:
    return Release(name, name, name, name, published, "2025-01-01T00:00:00+00:00", sequence)


def test_releases_order_by_date_then_version_then_first_seen() -> None:
    dated = [release("b", 1, "2025-03-01"), release("a", 2, "2024-11-14")]
    assert [r.name for r in release_order(dated)] == ["a", "b"]
    versioned = [release("cop-d3.pdf", 1), release("cop-d1.pdf", 2, "2024-11-14")]
    assert [r.name for r in release_order(versioned)] == ["cop-d1.pdf", "cop-d3.pdf"]
    neither = [release("latest.pdf", 1), release("cop-d1.pdf", 2)]
    assert [r.name for r in release_order(neither)] == ["latest.pdf", "cop-d1.pdf"]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        (".hidden.pdf", "hidden.pdf"),
        ("first draft (v2).pdf", "first-draft-v2-.pdf"),
        ("", "draft"),
        ("a" * 300 + ".pdf", "a" * 80 + ".pdf"),
    ],
)
def test_safe_names(name: str, safe: str) -> None:
    assert safe_name(name) == safe


@pytest.mark.parametrize("url", ["ftp://example.org/d.pdf", "file:///etc/passwd", "example.org"])
def test_only_http_urls_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="only http:// and https://"):
        check_url(url)


def test_a_watched_folder_and_its_index_as_a_reader_sees_it(tmp_path: Path) -> None:
    folder, out = tmp_path / "incoming", tmp_path / "site"
    folder.mkdir()
    for version in (1, 2, 3):
        shutil.copy(ROOT / "drafts" / f"sample-v{version}.pdf", folder)
    (folder / "readme.docx").write_text("not a draft")
    result = watch_once(folder, tmp_path / "s.db", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("compared sample-v") == 2
    index = out / "index.html"
    # Published for others: it names the watched folder, not where it sits on this disk.
    assert str(tmp_path) not in index.read_text(encoding="utf-8")
    with chromium() as browser:
        page: Any = browser.new_page(viewport={"width": 1200, "height": 800})
        watch = PageWatch(page)
        page.goto(index.as_uri())
        assert watch.errors == [] and watch.requests == []
        rows = page.locator("#comparisons + table tbody tr")
        assert rows.count() == 2
        assert rows.first.locator("td").nth(1).inner_text().startswith("Third Draft Code of")
        page.screenshot(path=artifact("watch-index.png"), full_page=True)
        page.locator("a", has_text="redline").first.click()
        page.wait_for_load_state("load")
        assert page.title().startswith("Redline: Second Draft Code of Practice")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--email", "a@example.org"], "--email needs --smtp HOST:PORT"),
        (["--notify", "file:///tmp/hook"], "is not an http(s) address"),
        (["--smtp", "mail.example.org"], "is not HOST:PORT"),
        (["--match", "("], "not a regular expression"),
    ],
)
def test_bad_watch_options_are_one_usage_error(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    from click.testing import CliRunner

    from cop_diff.cli import main

    state, out = str(tmp_path / "s.db"), str(tmp_path / "out")
    result = CliRunner().invoke(
        main, ["watch", str(tmp_path), "--state", state, "--out", out, "--once", *arguments]
    )
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "out").exists()


def test_a_state_file_that_is_not_ours_is_one_clear_line(tmp_path: Path) -> None:
    state = tmp_path / "notes.txt"
    state.write_text("these are my notes, not a database\n" * 50)
    result = watch_once(made(tmp_path / "source"), state, tmp_path / "o")
    assert result.returncode == 2
    assert f"{state}: not a cop-diff state database" in result.stderr
    assert "Traceback" not in result.stderr
    assert state.read_text().startswith("these are my notes")  # left as it was


def test_one_draft_in_two_formats_is_one_release() -> None:
    from cop_diff.model import Candidate
    from cop_diff.watch.job import one_format_each

    offered = [
        Candidate("cop-d3.html", "https://example.org/cop-d3.html"),
        Candidate("cop-d2.pdf", "https://example.org/cop-d2.pdf"),
        Candidate("cop-d3.pdf", "https://example.org/cop-d3.pdf"),
        Candidate("notes.txt", "https://example.org/notes.txt"),
    ]
    kept = [c.name for c in one_format_each(offered)]
    assert kept == ["cop-d2.pdf", "cop-d3.pdf", "notes.txt"]


def test_a_state_file_in_a_missing_folder_is_one_clear_line(tmp_path: Path) -> None:
    state = tmp_path / "missing" / "s.db"
    result = watch_once(made(tmp_path / "source"), state, tmp_path / "o")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"cop-diff: error: {state}: the folder of the state file does not exist"
    )


def test_a_link_with_spaces_or_control_characters_is_requested_encoded() -> None:
    listing = b'<html><body><a href="draft 2\x1b[31m.pdf">x</a></body></html>'
    [(name, location, _)] = candidates(listing)
    assert location == "https://example.org/drafts/draft%202%1B[31m.pdf"
    assert name == "draft 2\x1b[31m.pdf"  # the name as written; logged escaped


def test_what_a_draft_or_server_carries_is_logged_escaped(tmp_path: Path) -> None:
    """A name with terminal escapes (recolouring, a bell) is shown escaped in the log."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    shutil.copy(ROOT / "drafts" / "sample-v1.pdf", drafts / "sample-v1.pdf")
    (drafts / "sample-v2-\x1b[31mred\x07.pdf").write_bytes(b"<html>Page not found</html>")
    result = watch_once(drafts, tmp_path / "state.db", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "sample-v2-\\x1b[31mred\\x07.pdf" in result.stderr


def test_a_sqlite_database_of_another_program_is_refused_untouched(tmp_path: Path) -> None:
    import sqlite3

    state = tmp_path / "app.db"
    with sqlite3.connect(state) as db:
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO customers (name) VALUES ('Ada')")
    before = state.read_bytes()
    result = watch_once(made(tmp_path / "source"), state, tmp_path / "o")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "a database of another program" in result.stderr
    assert state.read_bytes() == before


def test_a_damaged_state_database_is_one_clear_line(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    shutil.copy(ROOT / "drafts" / "sample-v1.pdf", drafts / "sample-v1.pdf")
    state = tmp_path / "state.db"
    assert watch_once(drafts, state, tmp_path / "out").returncode == 0
    data = bytearray(state.read_bytes())
    data[4096:8192] = bytes(4096)  # a page of the database overwritten
    state.write_bytes(bytes(data))
    result = watch_once(drafts, state, tmp_path / "out")
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and str(state) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_copy_whose_record_fails_is_not_left_in_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from cop_diff.pipeline import Settings
    from cop_diff.watch.fetch import HttpSettings
    from cop_diff.watch.job import Channels, WatchSettings, run_once
    from cop_diff.watch.state import State, StateError

    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(State, "add_release", full)
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    shutil.copy(ROOT / "drafts" / "sample-v1.pdf", drafts / "sample-v1.pdf")
    settings = WatchSettings(
        source=str(drafts),
        state=tmp_path / "state.db",
        out=tmp_path / "out",
        match=None,
        http=HttpSettings(),
        channels=Channels((), (), None, None),
        base_url=None,
        compare=Settings(),
    )
    with pytest.raises(StateError, match="cannot be used: database or disk is full"):
        run_once(settings)
    assert not list((tmp_path / "out" / "drafts").rglob("*.pdf"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_state_is_one_clear_line(tmp_path: Path) -> None:
    state = tmp_path / "state.db"
    assert watch_once(made(tmp_path / "source"), state, tmp_path / "out").returncode == 0
    state.chmod(0o444)
    result = watch_once(made(tmp_path / "source"), state, tmp_path / "out")
    assert result.returncode == 2 and "the state file is read-only" in result.stderr


def test_out_inside_the_watched_folder_is_refused(tmp_path: Path) -> None:
    result = watch_once(tmp_path, tmp_path / "state.db", tmp_path / "site")
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "OUT is inside the watched folder" in result.stderr
    assert not (tmp_path / "site").exists()


def test_only_the_files_cop_diff_wrote_are_cleaned_in_out(tmp_path: Path) -> None:
    """A killed run's temporary files are removed; a user's own ".notes.tmp" is not."""
    out = tmp_path / "out"
    out.mkdir()
    (out / ".notes.tmp").write_text("mine")
    (out / ".index.html.x1y2.cop-diff.tmp").write_text("half-written")
    result = watch_once(made(tmp_path / "source"), tmp_path / "state.db", out)
    assert result.returncode == 0, result.stderr
    assert (out / ".notes.tmp").read_text() == "mine"
    assert not (out / ".index.html.x1y2.cop-diff.tmp").exists()


def test_a_state_of_an_earlier_schema_is_upgraded_in_place(tmp_path: Path) -> None:
    import sqlite3

    from cop_diff.watch.state import SCHEMA_VERSION, State

    path = tmp_path / "state.db"
    State(path).close()
    with sqlite3.connect(path) as db:  # as the first schema had it, with a release
        db.execute("ALTER TABLE notifications DROP COLUMN given_up")
        db.execute("ALTER TABLE releases DROP COLUMN title")
        db.execute("ALTER TABLE releases DROP COLUMN dated")
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
        db.execute(
            "INSERT INTO releases VALUES ('ab12', 'd1.pdf', '/src/d1.pdf', 'drafts/ab12/d1.pdf', "
            "NULL, '2026-01-01T00:00:00+00:00', 1)"
        )
    state = State(path)
    try:
        columns = {row[1] for row in state.db.execute("PRAGMA table_info(notifications)")}
        version = state.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()[0]
        (release,) = state.releases()
    finally:
        state.close()
    assert "given_up" in columns and int(version) == SCHEMA_VERSION == 3
    # A release stored before titles were kept is named by its file.
    assert (release.name, release.title, release.dated) == ("d1.pdf", None, None)
    assert release.display_name == "d1.pdf"


def test_releases_stored_without_their_titles_get_them_on_the_next_pass(tmp_path: Path) -> None:
    """A state of schema 2 kept no titles: the next pass reads them from the copies."""
    import sqlite3

    folder, state, out = made(tmp_path / "incoming"), tmp_path / "s.db", tmp_path / "site"
    shutil.copy(ROOT / "drafts" / "sample-v1.pdf", folder)
    assert watch_once(folder, state, out).returncode == 0
    with sqlite3.connect(state) as db:  # as an upgraded state of schema 2 has it
        db.execute("UPDATE releases SET title = NULL, dated = NULL")
    again = watch_once(folder, state, out)
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(state) as db:
        (title, dated) = db.execute("SELECT title, dated FROM releases").fetchone()
    assert title.startswith("First Draft Code of Practice") and dated == "2032-04-14"
    assert ">First Draft Code of Practice" in (out / "index.html").read_text(encoding="utf-8")
