"""HTTP for the watch job: timeouts, retries with backoff, conditional GET, a size cap.

The standard library's ``urllib`` is enough here: one GET or POST at a time, and the
behaviour that matters (what is retried, what counts as truncated, which redirects are
followed) is spelled out below rather than left to a client's defaults.
"""

from __future__ import annotations

import http.client
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import TypeVar
from urllib.parse import urlsplit

from cop_diff import __version__
from cop_diff.errors import CopDiffError

log = logging.getLogger("cop_diff.watch")

ALLOWED_SCHEMES = ("http", "https")
RETRY_AFTER_CAP = 60.0
"""Seconds: the longest a server's Retry-After makes us wait."""
CHUNK = 1 << 16

T = TypeVar("T")


class FetchError(CopDiffError):
    """A download or a delivery failed for good (after retries, or not worth retrying)."""


class _Retryable(Exception):
    """A failure worth another try: a 5xx answer, a timeout, a cut connection."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


@dataclass(frozen=True)
class HttpSettings:
    timeout: float = 30.0
    """Seconds to wait for a connection or for the next bytes of an answer."""
    deadline: float = 600.0
    """Seconds a whole download may take, however steadily the bytes trickle in."""
    retries: int = 3
    """Further tries after a failure worth retrying."""
    backoff: float = 2.0
    """Seconds before the first retry; doubled for each next one."""
    max_bytes: int = 200 * 2**20
    """The largest answer accepted: no real draft comes near it."""
    user_agent: str = f"cop-diff/{__version__} (watch)"
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


@dataclass(frozen=True)
class Fetched:
    """An answer: ``body`` is ``None`` when the server said 304 Not Modified."""

    url: str
    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None


def check_url(url: str) -> str:
    """``url`` if it is http(s) with a host; any other scheme is refused."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.netloc:
        raise FetchError("only http:// and https:// addresses are fetched", path=url)
    return url


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but never to file://, ftp:// or any other scheme."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)  # type: ignore[arg-type]


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_HttpOnlyRedirects())


def get(
    url: str,
    settings: HttpSettings,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Fetched:
    """GET ``url`` whole, conditionally when an ETag or Last-Modified is known."""
    headers = {"User-Agent": settings.user_agent}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return _with_retries("GET", url, settings, lambda: _get_once(url, headers, settings))


def post_json(url: str, body: bytes, settings: HttpSettings, headers: Mapping[str, str]) -> None:
    """POST a JSON body; any 2xx answer is success."""
    all_headers = {
        "User-Agent": settings.user_agent,
        "Content-Type": "application/json",
        **headers,
    }

    def once() -> None:
        request = urllib.request.Request(url, data=body, headers=all_headers, method="POST")
        try:
            with _open(request, settings) as answer:
                answer.read(CHUNK)
        except urllib.error.HTTPError as error:  # a 304 to a POST: not a success
            raise FetchError(f"HTTP {error.code}", path=url) from error

    _with_retries("POST", url, settings, once)


def _with_retries(method: str, url: str, settings: HttpSettings, attempt: Callable[[], T]) -> T:
    check_url(url)
    for number in range(settings.retries + 1):
        try:
            return attempt()
        except _Retryable as failure:
            if number == settings.retries:
                raise FetchError(
                    f"{method} failed after {number + 1} tries: {failure}", path=url
                ) from failure
            wait = settings.backoff * 2**number
            if failure.wait is not None:
                wait = min(max(wait, failure.wait), RETRY_AFTER_CAP)
            log.warning(
                "%s %s: %s; retry %d/%d in %.1f s",
                method,
                url,
                failure,
                number + 1,
                settings.retries,
                wait,
            )
            settings.sleep(wait)
    raise AssertionError("unreachable")


def _open(request: urllib.request.Request, settings: HttpSettings) -> http.client.HTTPResponse:
    """Open ``request``; server errors and network failures become ``_Retryable``."""
    try:
        answer = _opener().open(request, timeout=settings.timeout)
    except urllib.error.HTTPError as error:
        error.close()
        if error.code >= 500 or error.code == 429:
            raise _Retryable(f"HTTP {error.code}", _retry_after(error.headers)) from error
        if error.code == 304:
            raise
        raise FetchError(f"HTTP {error.code} {error.reason}", path=request.full_url) from error
    except urllib.error.URLError as error:
        raise _Retryable(f"cannot connect ({error.reason})") from error
    except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
        raise _Retryable(f"no answer ({error or type(error).__name__})") from error
    return answer  # type: ignore[no-any-return]


def _get_once(url: str, headers: dict[str, str], settings: HttpSettings) -> Fetched:
    request = urllib.request.Request(url, headers=headers)
    try:
        answer = _open(request, settings)
    except urllib.error.HTTPError as not_modified:  # only 304 gets here
        return Fetched(
            url,
            None,
            not_modified.headers.get("ETag") or headers.get("If-None-Match"),
            not_modified.headers.get("Last-Modified") or headers.get("If-Modified-Since"),
        )
    with answer:
        declared = answer.headers.get("Content-Length")
        expected = int(declared) if declared and declared.isdigit() else None
        if expected is not None and expected > settings.max_bytes:
            raise FetchError(
                f"the server announces {expected:,} bytes, more than the "
                f"{settings.max_bytes:,} allowed (--max-download-mb)",
                path=url,
            )
        body = _read_capped(answer, url, settings)
        if expected is not None and len(body) != expected:
            raise _Retryable(f"truncated: {len(body):,} of {expected:,} bytes")
        return Fetched(
            answer.geturl(),
            body,
            answer.headers.get("ETag"),
            answer.headers.get("Last-Modified"),
            answer.headers.get_content_type(),
        )


def _read_capped(answer: http.client.HTTPResponse, url: str, settings: HttpSettings) -> bytes:
    started = time.monotonic()
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := answer.read(CHUNK):
            size += len(chunk)
            if size > settings.max_bytes:
                raise FetchError(
                    f"the answer is larger than the {settings.max_bytes:,} bytes allowed "
                    "(--max-download-mb)",
                    path=url,
                )
            if time.monotonic() - started > settings.deadline:
                raise _Retryable(f"download took longer than {settings.deadline:.0f} s")
            chunks.append(chunk)
    except http.client.IncompleteRead as error:
        raise _Retryable(f"truncated after {size + len(error.partial):,} bytes") from error
    except (TimeoutError, ConnectionError) as error:
        raise _Retryable(f"connection lost after {size:,} bytes ({error})") from error
    return b"".join(chunks)


def _retry_after(headers: Message) -> float | None:
    value = headers.get("Retry-After", "") if headers is not None else ""
    return float(value) if value.strip().isdigit() else None
