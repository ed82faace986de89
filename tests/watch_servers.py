"""Real servers on 127.0.0.1 for the watch job's tests: a site that lists drafts (and
misbehaves on request), a webhook receiver, and an SMTP server."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Site:
    """What the draft site serves, and how it misbehaves.

    ``faults[path]`` is a queue consumed one request at a time: "500", "redirect URL",
    "slow" (answer after
    ``slow_seconds``), "truncate" (announce the full length, send half, close), "stall"
    (send half, set ``stalled``, then hang until the test ends).
    """

    files: dict[str, bytes] = field(default_factory=dict)
    listing: list[str] = field(default_factory=list)
    faults: dict[str, list[str]] = field(default_factory=dict)
    slow_seconds: float = 3.0
    log: list[tuple[str, int]] = field(default_factory=list)
    """(path, status) of every answer."""
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    def page(self) -> bytes:
        links = "".join(f'<li><a href="{name}">{name}</a></li>' for name in self.listing)
        return f"<!DOCTYPE html><html><body><h1>Drafts</h1><ul>{links}</ul></body></html>".encode()


class _SiteHandler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        body = self.site.page() if path == "/" else self.site.files.get(path.lstrip("/"))
        queue = self.site.faults.get(path.lstrip("/") or "/", [])
        fault = queue.pop(0) if queue else None
        if body is None:
            self._answer(404, b"not found")
            return
        if fault == "500":
            self._answer(500, b"server error")
            return
        if fault is not None and fault.startswith("redirect "):
            self.site.log.append((path, 302))
            self.send_response(302)
            self.send_header("Location", fault.removeprefix("redirect "))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if fault == "slow":
            time.sleep(self.site.slow_seconds)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.site.log.append((path, 304))
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.site.log.append((path, 200))
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        kind = "application/pdf" if path.endswith(".pdf") else "text/html"
        self.send_header("Content-Type", kind)
        self.end_headers()
        if fault in ("truncate", "stall"):
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if fault == "stall":
                self.site.stalled.set()
                self.site.release.wait(60)
            self.close_connection = True
            return
        self.wfile.write(body)

    def _answer(self, status: int, body: bytes) -> None:
        self.site.log.append((self.path, status))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass
class Receiver:
    """Webhook POSTs received whole, with their Idempotency-Key; "500" and "hang" faults."""

    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    hanging: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)


class _ReceiverHandler(BaseHTTPRequestHandler):
    receiver: Receiver

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        fault = self.receiver.faults.pop(0) if self.receiver.faults else None
        if fault == "hang":
            # The sender is killed while it waits: the body is never taken in.
            self.receiver.hanging.set()
            self.receiver.release.wait(60)
            self.close_connection = True
            return
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if fault == "500":
            self.send_response(500)
            self.end_headers()
            return
        self.receiver.received.append((self.headers["Idempotency-Key"], json.loads(body)))
        self.send_response(204)
        self.end_headers()


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def draft_site(site: Site) -> Iterator[str]:
    handler = type("Handler", (_SiteHandler,), {"site": site})
    try:
        with serve(handler) as url:
            yield url
    finally:
        site.release.set()


@contextmanager
def webhook_receiver(receiver: Receiver) -> Iterator[str]:
    handler = type("Handler", (_ReceiverHandler,), {"receiver": receiver})
    try:
        with serve(handler) as url:
            yield url + "hook"
    finally:
        receiver.release.set()


def free_port() -> int:
    """A port nothing listens on (aiosmtpd's controller cannot take port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Mailbox:
    """aiosmtpd handler keeping every message delivered."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@contextmanager
def smtp_server(mailbox: Mailbox) -> Iterator[str]:
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        controller.stop()
