"""OPML subscription lists: read the feeds of one (listparser), write one for ``digest feeds export``.

OPML is how feed readers (rss2email, newsboat, Miniflux, FreshRSS) import and export their
subscriptions. Reading takes the feed URLs of a file the user named (``--opml FILE`` or
``[sources] opml``); lists it points to are not followed, since the tool fetches only what the
user asked for. Nothing here fetches anything.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from digest.errors import InputError
from digest.ingest.document import Skip, is_http_url
from digest.ingest.files import read_bytes

OPML_SUFFIXES = (".opml",)
# The root element of an OPML document, after an optional XML declaration, comments and a doctype.
_OPML_ROOT = re.compile(rb"^(?:\s|<\?[^>]{0,500}\?>|<!--.{0,2000}?-->|<!DOCTYPE[^>]{0,500}>)*<opml[\s>]", re.S | re.I)


@dataclass(frozen=True, slots=True)
class Subscription:
    """One feed of a subscription list: its URL and the name the list gives it (if any)."""

    url: str
    title: str | None = None


def is_opml(data: bytes) -> bool:
    """True when the document is an OPML subscription list rather than a feed or page."""
    return bool(_OPML_ROOT.match(data.lstrip(b"\xef\xbb\xbf")[:4096]))


def parse_opml(data: bytes, source: str) -> tuple[Subscription, ...]:
    """The http(s) feeds of an OPML document, in order, each once; InputError naming ``source`` if it has none."""
    import listparser

    if not is_opml(data):
        raise InputError("not an OPML subscription list (no <opml> root element)", path=source)
    parsed = listparser.parse(bytes(data))
    feeds: dict[str, Subscription] = {}
    for item in parsed.get("feeds", []):
        url = " ".join(str(item.get("url") or "").split())
        if is_http_url(url) and url not in feeds:
            title = " ".join(str(item.get("title") or "").split()) or None
            feeds[url] = Subscription(url, title)
    if not feeds:
        reason = "has no http(s) feed URLs (xmlUrl)"
        if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
            reason += f"; it is ill-formed ({type(parsed['bozo_exception']).__name__})"
        raise InputError(f"OPML file {reason}", path=source)
    return tuple(feeds.values())


def read_opml(path: str | Path, max_bytes: int) -> tuple[Subscription, ...]:
    """The feeds of the OPML file at ``path``; InputError naming the file when it is missing or unusable."""
    path = Path(path)
    if not path.exists():
        raise InputError("OPML file not found", path=str(path))
    try:
        data = read_bytes(path, max_bytes)
    except Skip as exc:
        raise InputError(str(exc), path=str(path)) from None
    return parse_opml(data, str(path))


def opml_document(feeds: Sequence[Subscription], title: str) -> bytes:
    """An OPML 2.0 document listing ``feeds``, as UTF-8 bytes, for other feed readers to import."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for feed in feeds:
        name = feed.title or feed.url
        ET.SubElement(body, "outline", type="rss", text=name, title=name, xmlUrl=feed.url)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
