"""Telling people: a webhook (a JSON POST) and e-mail (SMTP, the Markdown report attached).

Both carry the notification's key (``Idempotency-Key`` header, e-mail ``Message-ID``): it is
the same on every try, so a receiver can drop the one repeat that a crash between delivery
and its record can cause.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any

from cop_diff.errors import CopDiffError
from cop_diff.model import ComparisonRecord, Notification, Release
from cop_diff.templating import environment
from cop_diff.watch.fetch import HttpSettings, post_json


class DeliveryError(CopDiffError):
    """A notification could not be delivered; it stays owed and is retried next run."""


@dataclass(frozen=True)
class Published:
    """Where the reports of one comparison can be read."""

    out: Path
    base_url: str | None

    def locate(self, relative: str) -> str:
        if self.base_url:
            return self.base_url.rstrip("/") + "/" + relative
        return str((self.out / relative).resolve())


def payload(record: ComparisonRecord, where: Published, key: str) -> dict[str, Any]:
    """The webhook's JSON body (and the e-mail's facts)."""
    return {
        "event": "cop-diff.comparison",
        "id": key,
        "old": _release_facts(record.old),
        "new": _release_facts(record.new),
        "made": record.made,
        "summary": record.summary,
        "top_weakenings": list(record.top_weakenings),
        "reports": {kind: where.locate(path) for kind, path in sorted(record.reports.items())},
        "index": where.locate("index.html"),
    }


def _release_facts(release: Release) -> dict[str, str]:
    return {
        "title": release.display_name,
        "name": release.name,
        "dated": release.dated or "",
        "sha256": release.sha256,
        "source": release.location,
    }


def deliver(
    notification: Notification,
    record: ComparisonRecord,
    where: Published,
    http: HttpSettings,
    sender: str,
) -> None:
    facts = payload(record, where, notification.key)
    if notification.channel == "webhook":
        body = json.dumps(facts, sort_keys=True).encode("utf-8")
        post_json(notification.target, body, http, {"Idempotency-Key": notification.key})
        return
    if notification.via is None:
        raise DeliveryError("no SMTP server recorded for this e-mail", path=notification.target)
    _send_mail(notification, record, facts, where, sender, http.timeout)


def _send_mail(
    notification: Notification,
    record: ComparisonRecord,
    facts: dict[str, Any],
    where: Published,
    sender: str,
    timeout: float,
) -> None:
    assert notification.via is not None
    host, _, port = notification.via.rpartition(":")
    message = EmailMessage()
    summary = record.summary
    message["Subject"] = (
        f"cop-diff: {record.new.display_name} vs {record.old.display_name}: "
        f"{summary['weakening']} weakening(s), {summary['strengthening']} strengthening(s)"
    )
    message["From"] = sender
    message["To"] = notification.target
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<{notification.key}@cop-diff>"
    body = environment().get_template("watch/notification.txt").render(facts=facts)
    message.set_content(body)
    markdown = where.out / record.reports["md"]
    message.add_attachment(
        markdown.read_bytes(),
        maintype="text",
        subtype="markdown",
        filename=Path(record.reports["md"]).name,
    )
    try:
        with smtplib.SMTP(host, int(port), timeout=timeout) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            user = os.environ.get("COP_DIFF_SMTP_USER")
            if user:
                smtp.login(user, os.environ.get("COP_DIFF_SMTP_PASSWORD", ""))
            smtp.send_message(message)
    except (TimeoutError, smtplib.SMTPException, OSError) as error:
        reason = str(error) or type(error).__name__
        raise DeliveryError(
            f"e-mail via {notification.via} failed: {' '.join(reason.split())[:200]}",
            path=notification.target,
        ) from error
