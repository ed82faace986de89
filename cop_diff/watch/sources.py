"""Where drafts are released: a local folder, a web page that links them, or a feed.

Each source yields ``Candidate`` drafts; whether one is new is decided later, by the hash
of its content, so a renamed or re-uploaded file is not a new release.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urljoin, urlsplit

from lxml import etree, html

from cop_diff.errors import InputError
from cop_diff.model import Candidate
from cop_diff.watch.fetch import ALLOWED_SCHEMES, Fetched

DRAFT_SUFFIXES = (".pdf", ".html", ".htm", ".txt", ".md")
SUFFIX_BY_TYPE = {
    "application/pdf": ".pdf",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
}
ATOM = "{http://www.w3.org/2005/Atom}"
FEED_ROOTS = {f"{ATOM}feed", "rss", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"}


def is_url(source: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source))


def folder_candidates(folder: Path, match: re.Pattern[str] | None) -> list[Candidate]:
    """The draft files directly in ``folder`` (not its subfolders), by name."""
    if not folder.is_dir():
        raise InputError("the source is neither a folder nor an http(s) address", path=str(folder))
    found = []
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.name.startswith(".") and _wanted(path.name, match):
            found.append(Candidate(path.name, str(path.resolve())))
    return found


def page_candidates(page: Fetched, match: re.Pattern[str] | None) -> list[Candidate]:
    """The drafts a listing page or an Atom/RSS feed links to."""
    assert page.body is not None
    feed = _parse_feed(page.body, page.url)
    if feed is not None:
        return _feed_candidates(feed, page.url, match)
    return _listing_candidates(page.body, page.url, match)


def _wanted(name: str, match: re.Pattern[str] | None) -> bool:
    if match is not None:
        return match.search(name) is not None
    return name.lower().endswith(DRAFT_SUFFIXES)


def link_name(url: str, content_type: str | None = None) -> str:
    """The file name a link gives a draft (its last path segment), with a known suffix."""
    name = unquote(PurePosixPath(urlsplit(url).path).name) or urlsplit(url).netloc
    suffix = SUFFIX_BY_TYPE.get(content_type or "")
    if suffix and not name.lower().endswith(DRAFT_SUFFIXES):
        name += suffix
    return name


URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"<>\\^`{|}')
"""Characters a URL keeps as they are; "%" among them, so an encoded link stays as it is."""


def _http_link(base: str, href: str) -> str | None:
    url = urljoin(base, href.strip()).split("#", 1)[0]
    # A link as a page writes it may hold spaces or control characters, which no request
    # line may carry: percent-encoded, as a browser sends them.
    url = quote(url, safe=URL_SAFE)
    return url if urlsplit(url).scheme.lower() in ALLOWED_SCHEMES else None


def _listing_candidates(body: bytes, base: str, match: re.Pattern[str] | None) -> list[Candidate]:
    document = html.fromstring(body, parser=html.HTMLParser(no_network=True, huge_tree=False))
    found: dict[str, Candidate] = {}
    for anchor in document.iterfind(".//a[@href]"):
        url = _http_link(base, anchor.get("href", ""))
        if url is None or url in found:
            continue
        name = link_name(url)
        if _wanted(name, match):
            # A <time datetime> beside the link is the page's own publication date.
            parent = anchor.getparent()
            scope = parent if parent is not None else anchor
            stamp = scope.find(".//time[@datetime]")
            published = _iso(stamp.get("datetime", "")) if stamp is not None else None
            found[url] = Candidate(name, url, published)
    return list(found.values())


def _parse_feed(body: bytes, url: str) -> etree._Element | None:
    if b"<!ENTITY" in body:
        # No real feed declares entities; a hostile one expands them (billion laughs).
        raise InputError("the page declares XML entities; refusing to read it", path=url)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return None
    return root if root.tag in FEED_ROOTS else None


def _feed_candidates(
    root: etree._Element, base: str, match: re.Pattern[str] | None
) -> list[Candidate]:
    found: dict[str, Candidate] = {}
    entries = root.iterfind(f".//{ATOM}entry") if root.tag.startswith(ATOM) else root.iter("item")
    for entry in entries:
        for href, content_type in _entry_links(entry):
            url = _http_link(base, href)
            if url is None or url in found:
                continue
            name = link_name(url, content_type)
            if _wanted(name, match):
                found[url] = Candidate(name, url, _entry_date(entry))
                break
    return list(found.values())


def _entry_links(entry: etree._Element) -> list[tuple[str, str | None]]:
    """An entry's links, enclosures first: the file itself before a page about it."""
    atom = [
        (link.get("rel", "alternate"), link.get("href", ""), link.get("type"))
        for link in entry.iterfind(f"{ATOM}link")
    ]
    ordered = [(href, kind) for rel, href, kind in atom if rel == "enclosure"]
    ordered += [(href, kind) for rel, href, kind in atom if rel != "enclosure"]
    ordered += [(e.get("url", ""), e.get("type")) for e in entry.iterfind("enclosure")]
    ordered += [((e.text or ""), None) for e in entry.iterfind("link")]
    return [(href, kind) for href, kind in ordered if href.strip()]


def _entry_date(entry: etree._Element) -> str | None:
    for tag in (f"{ATOM}published", f"{ATOM}updated"):
        text = entry.findtext(tag)
        if text:
            return _iso(text)
    text = entry.findtext("pubDate") or entry.findtext("{http://purl.org/dc/elements/1.1/}date")
    if not text:
        return None
    try:
        return _utc(parsedate_to_datetime(text.strip()))
    except (TypeError, ValueError):
        return _iso(text)


def _iso(text: str) -> str | None:
    """An ISO 8601 date or time as UTC ISO text; ``None`` if it is not one."""
    try:
        return _utc(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")
