"""The watch job end to end, against real servers on 127.0.0.1: a draft site (with 500s,
slow answers, truncated and stalled downloads), a webhook receiver and an SMTP server;
runs killed with SIGKILL part-way, then run again."""

from __future__ import annotations

import email
import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cop_diff.watch.state import locked
from tests.watch_servers import (
    Mailbox,
    Receiver,
    Site,
    draft_site,
    free_port,
    smtp_server,
    webhook_receiver,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "drafts"
COP_DIFF = str(Path(sys.executable).with_name("cop-diff"))
FAST = ["--timeout", "1", "--retries", "2", "--backoff", "0.05"]


@dataclass
class Watch:
    """One watched site with its receivers, and a way to run ``cop-diff watch --once``."""

    site: Site
    url: str
    hook: Receiver
    hook_url: str
    mailbox: Mailbox
    smtp: str
    folder: Path

    @property
    def state(self) -> Path:
        return self.folder / "state.db"

    @property
    def out(self) -> Path:
        return self.folder / "site"

    def command(self, *extra: str) -> list[str]:
        return [
            COP_DIFF,
            "watch",
            self.url,
            "--state",
            str(self.state),
            "--out",
            str(self.out),
            "--once",
            "--notify",
            self.hook_url,
            "--email",
            "team@example.org",
            "--smtp",
            self.smtp,
            *FAST,
            *extra,
        ]

    def run(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*extra), capture_output=True, text=True, timeout=300, check=False
        )

    def publish(self, name: str, data: bytes) -> None:
        self.site.files[name] = data
        self.site.listing.append(name)

    def comparisons(self) -> list[tuple[str, str]]:
        if not self.state.exists():
            return []
        with sqlite3.connect(self.state) as db:
            rows = db.execute(
                "SELECT o.name, n.name FROM comparisons c JOIN releases o ON o.sha256 = "
                "c.old_sha256 JOIN releases n ON n.sha256 = c.new_sha256 ORDER BY c.id"
            )
            return [(old, new) for old, new in rows]

    def notified_keys(self) -> list[str]:
        return [key for key, _ in self.hook.received]


@pytest.fixture
def watch(tmp_path: Path) -> Iterator[Watch]:
    site, hook, mailbox = Site(), Receiver(), Mailbox()
    with (
        draft_site(site) as url,
        webhook_receiver(hook) as hook_url,
        smtp_server(mailbox) as smtp,
    ):
        yield Watch(site, url, hook, hook_url, mailbox, smtp, tmp_path)


def sample(version: int) -> bytes:
    return (SAMPLES / f"sample-v{version}.pdf").read_bytes()


def assert_no_partial_files(out: Path) -> None:
    leftovers = [p for p in out.rglob("*") if p.is_file() and p.name.endswith(".tmp")]
    assert leftovers == []
    for report in out.glob("reports/*.json"):
        json.loads(report.read_text(encoding="utf-8"))  # whole, not half-written


def test_each_new_release_is_compared_once_and_notified_once(watch: Watch) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.pdf", sample(2))

    first = watch.run()
    assert first.returncode == 0, first.stderr
    assert watch.comparisons() == [("sample-v1.pdf", "sample-v2.pdf")]
    assert len(watch.hook.received) == 1 and len(watch.mailbox.messages) == 1

    history = watch.out / "history.json"
    assert [d["source"] for d in json.loads(history.read_text(encoding="utf-8"))["drafts"]] == [
        "sample-v1.pdf",
        "sample-v2.pdf",
    ]

    watch.publish("sample-v3.pdf", sample(3))
    second = watch.run()
    assert second.returncode == 0, second.stderr
    assert watch.comparisons()[1:] == [("sample-v2.pdf", "sample-v3.pdf")]
    assert len(watch.hook.received) == 2 and len(watch.mailbox.messages) == 2
    # The history of the series is made again with the new draft, in the job's order.
    series = json.loads(history.read_text(encoding="utf-8"))
    assert series["order"] == "version" and len(series["drafts"]) == 3
    assert [d["source"] for d in series["drafts"]][-1] == "sample-v3.pdf"
    assert "in the order of the versions in their names" in (watch.out / "history.html").read_text(
        encoding="utf-8"
    )

    third = watch.run()
    assert third.returncode == 0, third.stderr
    assert len(watch.comparisons()) == 2
    assert len(watch.hook.received) == 2 and len(watch.mailbox.messages) == 2
    assert "nothing new" in third.stderr
    # The third run asked conditionally and was told nothing changed.
    assert ("/", 304) in watch.site.log[-4:] and ("/sample-v3.pdf", 304) in watch.site.log[-4:]

    key, body = watch.hook.received[1]
    assert body["old"]["name"] == "sample-v2.pdf" and body["new"]["name"] == "sample-v3.pdf"
    # Named as the reports name them: by the drafts' own titles and dates.
    assert body["new"]["title"].startswith("Third Draft Code of Practice")
    assert (body["old"]["dated"], body["new"]["dated"]) == ("2032-07-20", "2032-11-03")
    assert body["id"] == key
    assert set(body["summary"]) >= {"weakening", "strengthening", "neutral", "finding"}
    assert body["summary"]["weakening"] >= 1 and body["top_weakenings"]
    html_report = Path(body["reports"]["html"])
    assert html_report.is_file() and html_report.parent == watch.out / "reports"
    mail = email.message_from_bytes(watch.mailbox.messages[1])
    assert mail["Subject"].startswith("cop-diff: Third Draft Code of Practice")
    assert "vs Second Draft Code of Practice" in " ".join(mail["Subject"].split())
    parts = {part.get_content_type(): part for part in mail.walk()}
    body_text = parts["text/plain"].get_payload(decode=True).decode()
    assert f"{body['summary']['weakening']} weakening(s)" in body_text
    attachment = parts["text/markdown"].get_payload(decode=True).decode()
    assert attachment.startswith("# Redline:")

    index = (watch.out / "index.html").read_text(encoding="utf-8")
    assert index.count("redline</a>") == 2
    assert index.count(">First Draft Code of Practice for Operators") == 2  # a draft, a pair
    assert "20 Jul 2032" in index and ">sample-v2.pdf</a>" in index
    assert '<a href="history.html">History of all 3 drafts</a>' in index
    assert index.index("sample-v3.pdf") < index.index("sample-v1.pdf")  # newest first
    assert_no_partial_files(watch.out)


def test_real_drafts_d1_d2_then_d3(watch: Watch, shared_drafts: Path) -> None:
    """Acceptance: D1 and D2 listed make one comparison; D3 added makes one more."""
    for name in ("cop-d1.pdf", "cop-d2.pdf"):
        watch.publish(name, (shared_drafts / name).read_bytes())
    assert watch.run().returncode == 0
    assert watch.comparisons() == [("cop-d1.pdf", "cop-d2.pdf")]
    assert len(watch.hook.received) == 1

    watch.publish("cop-d3.pdf", (shared_drafts / "cop-d3.pdf").read_bytes())
    assert watch.run().returncode == 0
    assert watch.comparisons() == [("cop-d1.pdf", "cop-d2.pdf"), ("cop-d2.pdf", "cop-d3.pdf")]
    assert len(watch.hook.received) == 2

    assert watch.run().returncode == 0
    assert len(watch.comparisons()) == 2 and len(watch.hook.received) == 2
    assert len(set(watch.notified_keys())) == 2
    history = json.loads((watch.out / "history.json").read_text(encoding="utf-8"))
    chains = [[link and link["id"] for link in lineage["chain"]] for lineage in history["lineages"]]
    assert ["measure-19", "commitment-18", "commitment-II.13"] in chains


def test_a_file_that_is_no_draft_is_skipped_once_and_breaks_no_chain(watch: Watch) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2-scan.pdf", b"<html><body>Page not found</body></html>")
    watch.publish("sample-v3.pdf", sample(3))
    first = watch.run()
    assert first.returncode == 0, first.stderr
    assert "skipped sample-v2-scan.pdf" in first.stderr and "not a PDF file" in first.stderr
    assert watch.comparisons() == [("sample-v1.pdf", "sample-v3.pdf")]
    assert not list((watch.out / "drafts").rglob("sample-v2-scan.pdf"))
    again = watch.run()
    assert again.returncode == 0 and "skipped" not in again.stderr
    assert len(watch.comparisons()) == 1


def test_a_draft_beyond_an_options_limit_is_tried_again_once_it_is_raised(watch: Watch) -> None:
    """Not set aside by its hash as "not a draft": raising the option reads it."""
    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.pdf", sample(2))
    limited = watch.run("--max-provisions", "5")
    assert limited.returncode == 2
    assert "--max-provisions 5" in limited.stderr and "will try again next run" in limited.stderr
    assert "skipped" not in limited.stderr and watch.comparisons() == []
    assert not list((watch.out / "drafts").rglob("*.pdf"))
    raised = watch.run()
    assert raised.returncode == 0, raised.stderr
    assert watch.comparisons() == [("sample-v1.pdf", "sample-v2.pdf")]


def test_server_errors_and_slow_answers_are_retried(watch: Watch) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.pdf", sample(2))
    watch.site.slow_seconds = 2.0  # past the 1 s timeout
    watch.site.faults = {"/": ["500", "500"], "sample-v2.pdf": ["slow", "truncate"]}
    result = watch.run()
    assert result.returncode == 0, result.stderr
    assert "HTTP 500; retry 1/2" in result.stderr
    assert "retry" in result.stderr and "truncated" in result.stderr
    assert watch.comparisons() == [("sample-v1.pdf", "sample-v2.pdf")]
    stored = next((watch.out / "drafts").glob("*/sample-v2.pdf")).read_bytes()
    assert stored == sample(2)  # the truncated answer was not kept


def test_a_server_down_for_good_changes_nothing_then_the_next_run_catches_up(
    watch: Watch,
) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.pdf", sample(2))
    watch.site.faults = {"sample-v2.pdf": ["500", "500", "500"]}
    failed = watch.run()
    assert failed.returncode == 2
    assert "sample-v2.pdf: GET failed after 3 tries: HTTP 500; will try again next run" in (
        failed.stderr
    )
    assert "Traceback" not in failed.stderr
    assert watch.comparisons() == [] and watch.hook.received == []

    recovered = watch.run()
    assert recovered.returncode == 0, recovered.stderr
    assert watch.comparisons() == [("sample-v1.pdf", "sample-v2.pdf")]
    assert len(watch.hook.received) == 1


def test_an_unreachable_source_is_one_clear_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/drafts/"
    state, out = tmp_path / "state.db", tmp_path / "site"
    result = subprocess.run(
        [COP_DIFF, "watch", url, "--state", str(state), "--out", str(out), "--once", *FAST],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("cop-diff: error: ") and url in last and "cannot connect" in last


def test_failed_notifications_stay_owed_and_are_sent_once(watch: Watch) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.pdf", sample(2))
    watch.hook.faults = ["500", "500", "500"]
    smtp_down = f"127.0.0.1:{free_port()}"
    failed = watch.run("--smtp", smtp_down)
    assert failed.returncode == 2
    assert "not delivered" in failed.stderr and "will retry next run" in failed.stderr
    assert watch.comparisons() == [("sample-v1.pdf", "sample-v2.pdf")]
    assert watch.hook.received == [] and watch.mailbox.messages == []

    # Nothing new to compare, but two notifications owed: each is delivered once, the
    # e-mail through the SMTP server given now.
    retried = watch.run()
    assert retried.returncode == 0, retried.stderr
    assert len(watch.comparisons()) == 1
    assert len(watch.hook.received) == 1 and len(watch.mailbox.messages) == 1

    again = watch.run()
    assert again.returncode == 0
    assert len(watch.hook.received) == 1 and len(watch.mailbox.messages) == 1


def test_killed_while_downloading_then_rerun(watch: Watch) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.pdf", sample(2))
    watch.site.faults = {"sample-v2.pdf": ["stall"]}
    process = subprocess.Popen(watch.command(), stderr=subprocess.PIPE, text=True)
    assert watch.site.stalled.wait(60)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert watch.comparisons() == [] and watch.hook.received == []
    assert not list((watch.out / "reports").glob("*"))

    result = watch.run()
    assert result.returncode == 0, result.stderr
    assert watch.comparisons() == [("sample-v1.pdf", "sample-v2.pdf")]
    assert len(watch.hook.received) == 1 and len(watch.mailbox.messages) == 1
    assert_no_partial_files(watch.out)


def test_killed_while_notifying_then_rerun(watch: Watch) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.pdf", sample(2))
    watch.hook.faults = ["hang"]
    process = subprocess.Popen(watch.command(), stderr=subprocess.PIPE, text=True)
    assert watch.hook.hanging.wait(120)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert watch.comparisons() == [("sample-v1.pdf", "sample-v2.pdf")]
    assert watch.hook.received == []

    result = watch.run()
    assert result.returncode == 0, result.stderr
    assert len(watch.comparisons()) == 1  # not compared again
    assert len(watch.hook.received) == 1 and len(watch.mailbox.messages) == 1
    assert "notified webhook" in result.stderr
    assert_no_partial_files(watch.out)


def test_a_second_run_while_one_holds_the_lock_exits_75(watch: Watch) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    with locked(watch.state):
        result = watch.run()
    assert result.returncode == 75
    assert "another `cop-diff watch` run is using this state" in result.stderr
    assert not watch.state.exists()


def test_downloads_over_the_limit_are_refused(watch: Watch) -> None:
    watch.publish("big.pdf", b"%PDF-1.4\n" + b"0" * (2 * 2**20))
    result = watch.run("--max-download-mb", "1")
    assert result.returncode == 2
    assert "big.pdf: the server announces" in result.stderr and "--max-download-mb" in (
        result.stderr
    )
    assert not list((watch.out / "drafts").glob("*"))


def test_names_from_the_source_never_escape_the_output_folder(watch: Watch) -> None:
    watch.site.files["..%2F..%2Fescape.pdf"] = sample(1)
    watch.site.listing += ["..%2F..%2Fescape.pdf", "file:///etc/passwd.pdf", "ftp://x/y.pdf"]
    result = watch.run()
    assert result.returncode == 0, result.stderr
    stored = [p.relative_to(watch.out) for p in (watch.out / "drafts").rglob("*.pdf")]
    assert len(stored) == 1 and stored[0].name == "escape.pdf"
    assert not (watch.folder.parent / "escape.pdf").exists()
    assert all(path != "/etc/passwd.pdf" for path, _ in watch.site.log)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("file:///etc/passwd", "Redirection to url 'file:///etc/passwd' is not allowed"),
        ("ftp://127.0.0.1/d.pdf", "ftp://127.0.0.1/d.pdf: only http:// and https://"),
    ],
)
def test_a_redirect_to_another_scheme_is_refused(watch: Watch, target: str, message: str) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    watch.site.faults = {"sample-v1.pdf": [f"redirect {target}"]}
    result = watch.run()
    assert result.returncode == 2
    assert message in result.stderr and "will try again next run" in result.stderr
    assert not list((watch.out / "drafts").rglob("*.pdf"))

    watch.site.faults = {"sample-v1.pdf": [f"redirect {watch.url}sample-v1.pdf"]}
    followed = watch.run()  # an http redirect is followed
    assert followed.returncode == 0, followed.stderr
    assert len(list((watch.out / "drafts").rglob("*.pdf"))) == 1


def test_a_long_running_watch_outlives_a_source_that_is_down(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/drafts/"
    command = [COP_DIFF, "watch", url, "--state", str(tmp_path / "s.db")]
    command += ["--out", str(tmp_path / "site"), "--interval", "0.02", *FAST]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    time.sleep(4)
    assert process.poll() is None  # still watching
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert stderr.count("cannot connect") >= 2 and "will try again in 0.02 minutes" in stderr
    assert "Traceback" not in stderr


def test_time_to_sleep_between_runs_is_not_spent_holding_the_lock(watch: Watch) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    command = [arg for arg in watch.command() if arg != "--once"] + ["--interval", "5"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (watch.out / "index.html").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(0.5)
        with locked(watch.state):  # would raise if the sleeping job held it
            pass
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
    assert process.returncode == 130


def test_an_error_page_served_as_a_draft_is_no_release(watch: Watch) -> None:
    """A page that reads fine as HTML but holds no draft (an error or login page served
    with status 200) is skipped and logged; the chain of releases goes on without it."""
    watch.publish("sample-v1.pdf", sample(1))
    page = b"<html><body><h1>Service unavailable</h1><p>Please try again later.</p></body></html>"
    watch.publish("sample-v2.html", page)
    watch.publish("sample-v3.pdf", sample(3))
    result = watch.run()
    assert result.returncode == 0, result.stderr
    assert "skipped sample-v2.html" in result.stderr and "too few for a draft" in result.stderr
    assert watch.comparisons() == [("sample-v1.pdf", "sample-v3.pdf")]


def test_an_error_page_of_a_dozen_sections_is_no_release_either(watch: Watch) -> None:
    """An error page with navigation enough to read as 17 provisions, served with status
    200 where the draft was: it does not continue the release before it, so it is skipped."""
    from tests.test_watch_family import ERROR_PAGE

    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.html", ERROR_PAGE.encode())
    watch.publish("sample-v3.pdf", sample(3))
    result = watch.run()
    assert result.returncode == 0, result.stderr
    assert "skipped sample-v2.html" in result.stderr
    assert "not a version of sample-v1.pdf, the release it would follow" in result.stderr
    assert watch.comparisons() == [("sample-v1.pdf", "sample-v3.pdf")]


def owed(watch: Watch) -> list[tuple[str, str | None, str | None]]:
    with sqlite3.connect(watch.state) as db:
        return db.execute(
            "SELECT channel, sent, given_up FROM notifications ORDER BY id"
        ).fetchall()


def test_notifications_owed_can_be_forgotten(watch: Watch) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.pdf", sample(2))
    watch.hook.faults = ["500", "500", "500"]
    assert watch.run("--smtp", f"127.0.0.1:{free_port()}").returncode == 2
    forgot = watch.run("--forget-notifications")
    assert forgot.returncode == 0, forgot.stderr
    assert forgot.stderr.count("dropped: forgotten (--forget-notifications)") == 2
    assert watch.hook.received == [] and watch.mailbox.messages == []
    assert [(channel, sent) for channel, sent, _ in owed(watch)] == [
        ("webhook", None),
        ("email", None),
    ]
    assert all(given_up for _, _, given_up in owed(watch))
    again = watch.run()
    assert again.returncode == 0 and "dropped" not in again.stderr


def test_a_notification_to_a_target_no_longer_given_is_dropped_once(watch: Watch) -> None:
    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.pdf", sample(2))
    watch.hook.faults = ["500", "500", "500"]
    assert watch.run().returncode == 2  # the webhook failed; the e-mail went out
    command = watch.command()
    command[command.index("--notify") + 1] = "http://127.0.0.1:9/elsewhere"
    moved = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert moved.returncode == 0, moved.stderr
    assert "dropped: no longer a --notify or --email of this job" in moved.stderr
    assert watch.hook.received == []
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert again.returncode == 0 and "dropped" not in again.stderr


def test_a_notification_failing_run_after_run_is_given_up_and_said_once(
    watch: Watch, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cop_diff.watch.job.NOTIFY_ATTEMPTS", 2)
    from cop_diff.watch.fetch import HttpSettings
    from cop_diff.watch.job import Channels, WatchSettings, run_once

    watch.publish("sample-v1.pdf", sample(1))
    watch.publish("sample-v2.pdf", sample(2))
    watch.hook.faults = ["500"] * 20
    settings = WatchSettings(
        source=watch.url,
        state=watch.state,
        out=watch.out,
        http=HttpSettings(timeout=1, retries=0, backoff=0.01),
        channels=Channels((watch.hook_url,), (), None),
    )
    assert len(run_once(settings).problems) == 1  # first failure: owed
    assert len(run_once(settings).problems) == 1  # second: given up, said once
    assert run_once(settings).problems == ()  # no more tries
    assert owed(watch)[0][2] is not None
