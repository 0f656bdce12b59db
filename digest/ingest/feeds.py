"""Reading RSS 0.9x/1.0/2.0 and Atom feeds with feedparser.

``read_feed_document`` decodes a feed's bytes (``decode``) and ``parse_feed`` turns the
document into plain ``FeedEntry`` records; nothing here fetches anything. Deciding
whether an entry carries the full article or only a teaser, and fetching the
page for a teaser, is left to ``digest.ingest``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from digest.ingest.decode import declared_xml_charset, decode_bytes

# Elements that start a new paragraph when an HTML fragment is turned into text.
BLOCK_TAGS = frozenset(
    "p div li ul ol h1 h2 h3 h4 h5 h6 blockquote pre section article header footer aside "
    "table tr td th dd dt dl figure figcaption hr address main nav".split()
)
SKIP_TAGS = frozenset("script style noscript template iframe object embed svg math head".split())

# A summary this long (in words) that is not cut short is taken as the whole article.
FULL_SUMMARY_WORDS = 150
# Fewer words than this is a teaser, whatever element holds it.
TEASER_WORDS = 60
# A summary ending like this is a teaser pointing at the page, not the article.
TEASER_END = re.compile(r"(\.\.\.|…|\[\s*(\.\.\.|…)\s*\]|read more|continue reading|more\s*»|\bmore\b\s*$)\s*$", re.I)


# The feed types a page's <link rel="alternate"> may name that this tool reads (autodiscovery).
READABLE_FEED_TYPES = ("application/atom+xml", "application/rss+xml", "application/rdf+xml")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: its link and metadata, and its HTML content and summary (either may be empty)."""

    url: str | None
    entry_id: str | None
    title: str | None
    published: str | None
    author: str | None
    content: str
    summary: str
    content_is_html: bool = True
    language: str | None = None
    source: str | None = None  # the outlet an aggregator credits: RSS <source>, Atom <source><title>
    source_url: str | None = None  # that outlet's site or feed


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed. ``error`` is a one-line reason when feedparser flagged the document as ill-formed."""

    title: str | None
    link: str | None
    language: str | None
    entries: tuple[FeedEntry, ...]
    error: str | None = None
    kind: str | None = None  # feedparser's version string, e.g. "rss20", "atom10"


def parse_feed(data: bytes, *, base_url: str | None = None) -> ParsedFeed:
    """Parse a feed document given as UTF-8 bytes; never raises on bad input, never fetches."""
    import feedparser  # only feeds need it; a run over files does not pay for its import

    headers = {"content-type": "application/xml; charset=utf-8"}
    if base_url:
        headers["content-location"] = base_url
    # Bytes (not a str) so that feedparser cannot mistake the document for a path or URL to open.
    try:
        parsed = feedparser.parse(bytes(data), response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # noqa: BLE001 - feedparser is meant to never raise; if it does, the feed is unreadable
        return ParsedFeed(None, None, None, (), error=f"cannot parse feed ({_one_line(exc)})")
    feed = parsed.get("feed", {}) or {}
    language = _clean(feed.get("language"))
    entries = tuple(_entry(e, language) for e in parsed.get("entries", []))
    error = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if not isinstance(exc, feedparser.CharacterEncodingOverride):
            error = _one_line(exc) if exc is not None else "ill-formed feed"
    return ParsedFeed(
        title=_clean(feed.get("title")),
        link=_clean(feed.get("link")),
        language=language,
        entries=entries,
        error=error,
        kind=parsed.get("version") or None,
    )


def discover_feed_links(html: bytes | str, base_url: str) -> tuple[str, ...]:
    """The feeds a web page names in its ``<link rel="alternate" type="application/rss+xml" href=...>``.

    Absolute http(s) URLs, resolved against the page's own URL (or its ``<base href>``), in page
    order, each once; Atom and RSS only (JSON Feed is not read). Nothing is fetched here.
    """
    import lxml.html  # here, not at the top: a run of local text files parses no HTML (start-up time)
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ()
    base = base_url
    for element in root.iter("base"):
        if element.get("href"):
            base = urljoin(base_url, element.get("href").strip())
            break
    found: dict[str, None] = {}
    for element in root.iter("link"):
        rel = (element.get("rel") or "").lower().split()
        kind = (element.get("type") or "").split(";")[0].strip().lower()
        href = (element.get("href") or "").strip()
        if "alternate" not in rel or kind not in READABLE_FEED_TYPES or not href:
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme.lower() in ("http", "https") and urlsplit(url).netloc:
            found.setdefault(url, None)
    return tuple(found)


def read_feed_document(data: bytes, source: str, *, declared: str | None = None,
                       base_url: str | None = None) -> ParsedFeed:
    """Decode a feed document (BOM, HTTP or XML charset, else detection) and parse it.

    Raises InputError when the bytes are not text in any encoding we can tell.
    """
    text = decode_bytes(data, source=source, declared=declared or declared_xml_charset(data))
    # feedparser is given UTF-8 with a matching HTTP charset, which overrides the now stale XML declaration.
    return parse_feed(text.encode("utf-8"), base_url=base_url)


def _entry(entry: dict, feed_language: str | None) -> FeedEntry:
    contents = entry.get("content") or []
    content_value = ""
    content_is_html = True
    for item in contents:
        value = item.get("value") or ""
        if len(value) > len(content_value):
            content_value = value
            content_is_html = "html" in (item.get("type") or "text/html")
    summary = entry.get("summary") or ""
    author = _clean(entry.get("author"))
    origin = entry.get("source") if isinstance(entry.get("source"), dict) else {}
    return FeedEntry(
        url=_clean(entry.get("link")),
        entry_id=_clean(entry.get("id")),
        title=_clean(_text_of(entry.get("title") or "")),
        published=_iso_from_struct(entry.get("published_parsed") or entry.get("updated_parsed")),
        author=author,
        content=content_value,
        summary=summary,
        content_is_html=content_is_html,
        language=_clean(entry.get("language")) or feed_language,
        source=_clean(_text_of(origin.get("title") or "")),
        source_url=_clean(origin.get("href") or origin.get("link")),
    )


def entry_paragraphs(entry: FeedEntry) -> tuple[list[str], bool]:
    """The entry's best body as paragraphs, and whether it looks like the full article (not a teaser).

    Full means: a content element, or a long summary, that is not cut short ("…", "Read more").
    """
    content = html_to_paragraphs(entry.content) if entry.content_is_html else _plain_paragraphs(entry.content)
    summary = html_to_paragraphs(entry.summary)
    body = content if _words(content) >= _words(summary) else summary
    full_content = bool(content) and not _is_teaser(content)
    full_summary = _words(summary) >= FULL_SUMMARY_WORDS and not _is_teaser(summary)
    return body, full_content or full_summary


def _is_teaser(paragraphs: list[str]) -> bool:
    if not paragraphs:
        return True
    return _words(paragraphs) < TEASER_WORDS or bool(TEASER_END.search(paragraphs[-1]))


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def html_to_paragraphs(html: str) -> list[str]:
    """Turn an HTML fragment (a feed item, rendered Markdown) into its text paragraphs, in order."""
    if not html or not html.strip():
        return []
    if "<" not in html:
        return _plain_paragraphs(html)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return _plain_paragraphs(re.sub(r"<[^>]*>", " ", html))
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            paragraphs.append(text)
        current.clear()

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in SKIP_TAGS:
            return
        block = tag in BLOCK_TAGS
        if block or tag == "br":
            flush()
        if element.text and tag not in SKIP_TAGS and isinstance(element.tag, str):
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()

    walk(root)
    flush()
    return paragraphs


def _plain_paragraphs(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return [" ".join(b.split()) for b in blocks if b.strip()]


def _text_of(value: str) -> str:
    return " ".join(html_to_paragraphs(value)) if "<" in value else value


def _iso_from_struct(value: object) -> str | None:
    try:
        stamp = calendar.timegm(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    try:
        return datetime.fromtimestamp(stamp, tz=timezone.utc).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    detail = text[0] if text else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
