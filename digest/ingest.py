"""Reading articles: text, Markdown, JSON, HTML files, folders, feeds and URLs.

``read_inputs`` is the stage's entry point. Every source becomes an ``Article``
that knows where it came from (``path`` or ``url``) and which outlet it
belongs to; anything unusable is recorded in ``IngestResult.skipped`` with a
one-line reason, and the run goes on.

Metadata, most trusted first: front matter, a sidecar file or the folder's
``sources.toml``/``sources.json``; the user's ``[sources] outlets`` mapping;
the page's or feed's own metadata (trafilatura, feedparser); lines of the
text itself (a short first line as title, a ``date 2023-09-14`` or
``Updated 14:23, 14-Sep-2023`` line, a site notice naming the outlet); and
last the file name. Metadata lines found in the text are taken out of it.

For the CLI: ``--feed URL`` and ``--url URL`` add to ``settings.feeds``/``settings.urls``;
``--url-file PATH`` adds ``read_url_list(PATH)`` to ``settings.urls``; pass
``progress=`` to ``read_inputs`` to show what is being read and fetched.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import stat
import re
import tomllib
import unicodedata
import warnings
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import charset_normalizer
import courlan
import markdown
import trafilatura
import yaml
from dateutil import parser as date_parser

from digest.errors import InputError
from digest.feeds import FeedEntry, ParsedFeed, entry_paragraphs, html_to_paragraphs, parse_feed
from digest.fetch import FetchError, Fetcher, FetchResponse, is_http_url
from digest.models import Article
from digest.settings import Settings

Progress = Callable[[str], None]

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES + JSONL_SUFFIXES + FEED_SUFFIXES
# An extraction shorter than this (in words) is compared with trafilatura's balanced mode.
SHORT_EXTRACTION_WORDS = 250
# Files that sit beside saved pages and are never articles; not worth a "skipped" line each.
ASSET_SUFFIXES = (".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".ico",
                  ".bmp", ".woff", ".woff2", ".ttf", ".otf", ".eot")
FOLDER_METADATA_NAMES = ("sources.toml", "sources.json")
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml, text/plain;q=0.8, */*;q=0.5"

# Metadata keys as found in front matter, sidecars and JSON articles -> Article field.
META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "published": ("published", "date", "published_at", "publishedAt", "datePublished", "pubDate", "pub_date",
                  "created", "updated", "dateModified", "time"),
    "outlet": ("outlet", "source", "site", "site_name", "sitename", "publisher", "publication", "media"),
    "url": ("url", "link", "canonical", "canonical_url", "permalink", "source_url"),
    "author": ("author", "authors", "byline", "creator"),
    "language": ("language", "lang", "inLanguage"),
}
BODY_KEYS = ("text", "body", "content", "articleBody", "article", "maintext", "full_text", "story")
HTML_KEYS = ("html", "raw_html", "content_html", "body_html")
LIST_KEYS = ("articles", "items", "entries", "data", "results", "documents")

# Binary formats that are sometimes renamed to .txt: first bytes -> what they are.
MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (or Office document)",
    b"\x1f\x8b": "gzip archive",
    b"RIFF": "RIFF media file",
    b"\x7fELF": "executable",
    b"BZh": "bzip2 archive",
    b"\xfd7zXZ": "xz archive",
    b"OggS": "Ogg media file",
    b"ID3": "MP3 audio",
    b"\xd0\xcf\x11\xe0": "old Office document",
}
# How much more "mess" (charset-normalizer chaos) Windows-1252 may show and still be preferred.
CP1252_TOLERANCE = 0.05
WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                  "ascii": "cp1252", "iso8859-1": "cp1252", "x-sjis": "shift_jis"}

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2}))?"
_DATE = (
    r"(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[\s\-/.]+{_MONTH}[\s\-/.,]+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4})"
)
_DATETIME = rf"(?:{_WEEKDAY}\s+)?(?:{_TIME},?\s+)?{_DATE}(?:,?\s+(?:at\s+)?{_TIME})?"
_DATE_LABEL = (r"(?:date|dated|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|last\s+updated(?:\s+on)?|"
               r"first\s+published(?:\s+on)?|modified|created)")
DATE_LINE = re.compile(rf"^\s*(?:{_DATE_LABEL}\s*[:\-–—]?\s*)?(?P<date>{_DATETIME})\s*(?:\(.*\))?\s*$", re.I)
DATE_PREFIX = re.compile(rf"^\s*{_DATE_LABEL}\s*[:\-–—]?\s*(?P<date>{_DATETIME})\s*[|:\-–—]?\s+(?P<rest>\S.*)$", re.I)
BYLINE = re.compile(r"^\s*[Bb]y\s+(?P<author>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|and|&|de|van|von|al)){0,6})\s*$")
BREADCRUMB_SEP = re.compile(r"\s+(?:/|>|»|›|→|\|)\s+")
TERMINAL_PUNCTUATION = (".", ",", ";", ":", "…")
HASH_STEM = re.compile(r"^[0-9a-fA-F]{16,128}$")
NUMBERED_HASH_STEM = re.compile(r"^(?P<n>\d{1,6})[_\-.](?P<hash>[0-9a-fA-F]{6,64})$")
_NAME = r"(?:[Tt]he\s+)?[A-Z][\w&'’\-]*(?:\s+(?:[A-Z0-9][\w&'’\-]*|of|and|&|on)){0,4}"
# Site notices that name the outlet publishing the text; a trailing "– Agency" credit is deliberately absent.
OUTLET_NOTICES = (
    # "... emailed about offers, events and updates from X", "newsletters from X"
    re.compile(rf"\b(?:offers|updates|alerts|newsletters?|deals|promotions)\b[^.]{{0,60}}?\bfrom\s+(?P<outlet>{_NAME})"),
    # "X's website can also be accessed at ..."
    re.compile(rf"(?P<outlet>{_NAME})['’]s\s+(?:website|web\s+site|site|app|homepage)\s+(?:can|is|may)\s+"
               r"(?:also\s+)?(?:be\s+)?(?:accessed|available|reached|found)"),
    # "© 2023 X" or "Copyright 2023 X" as a line of its own (case-sensitive name, so not "all rights reserved")
    re.compile(rf"^\s*(?:(?i:copyright)\s*)?(?:©|\((?i:c)\)|(?i:copyright))\s*(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?\s*,?\s*)?"
               rf"(?P<outlet>{_NAME})"),
)
_NOTICE_CONTEXT = re.compile(r"e-?mail|newsletter|sign\s*up|subscribe|privacy|website|web site|copyright|©|\(c\)", re.I)
_TRAILING_STOPWORDS = re.compile(r"(?:\s+(?:of|and|&|on|The|the))+$")
TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|ocid|cmpid|ref|ref_src|smid|igshid|ito|at_\w+)$", re.I)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A source that gave no article, and why (one line)."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Articles read, in input order, and the sources that were skipped."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...] = ()


@dataclass(slots=True)
class Meta:
    """Metadata gathered for one article; ``None`` means unknown."""

    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None

    def fill(self, other: "Meta | dict[str, Any] | None") -> "Meta":
        """Take each field from ``other`` only where this one is still unknown."""
        if other is None:
            return self
        values = other if isinstance(other, dict) else {k: getattr(other, k) for k in Meta.__slots__}
        for key in Meta.__slots__:
            if getattr(self, key) is None and values.get(key):
                setattr(self, key, values[key])
        return self


class _Skip(Exception):
    """A source cannot become an article; the message is the reason."""


# --------------------------------------------------------------------------- entry point


def read_inputs(
    inputs: Sequence[str],
    settings: Settings,
    *,
    progress: Progress | None = None,
    fetcher: Fetcher | None = None,
) -> IngestResult:
    """Read files, folders and URLs in ``inputs``, then ``settings.feeds`` and ``settings.urls``.

    Raises InputError only for an explicitly named path that does not exist (or an
    unusable explicitly named source); everything else that fails is in ``skipped``.
    """
    reader = _Reader(settings, progress, fetcher)
    try:
        for name in inputs:
            if not is_http_url(name):
                reader.read_input(name)
        for feed in settings.feeds:
            reader.read_feed_source(feed)
        # URLs named as inputs and configured URLs are fetched together, in parallel.
        reader.read_urls([*(n for n in inputs if is_http_url(n)), *settings.urls])
        reader.fetch_pending_entries()
    finally:
        reader.close()
    return IngestResult(tuple(reader.articles), tuple(reader.skipped))


def read_url_list(path: str | Path) -> tuple[str, ...]:
    """URLs from a file with one URL per line (blank lines and ``#`` comments ignored), for ``--url-file``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("URL list not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read URL list: {exc}", path=str(path)) from None
    urls = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_http_url(line):
            raise InputError(f"line {number} is not an http(s) URL: {line[:80]}", path=str(path))
        urls.append(line)
    return tuple(urls)


# --------------------------------------------------------------------------- the reader


class _Reader:
    def __init__(self, settings: Settings, progress: Progress | None, fetcher: Fetcher | None):
        self.settings = settings
        self.progress = progress
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None
        self.articles: list[Article] = []
        self.skipped: list[Skipped] = []
        self.files_seen = 0
        self._by_url: dict[str, str] = {}
        self._by_content: dict[tuple[str, str], str] = {}
        # Teaser-only feed entries waiting for their pages: (entry, feed, configured outlet, feed source).
        self._pending: list[tuple[FeedEntry, ParsedFeed, str | None, str]] = []
        self._path_outlets = {
            _resolved(k): v for k, v in settings.outlets.items() if not is_http_url(k)
        }
        self._url_outlets = {canonical_url(k): v for k, v in settings.outlets.items() if is_http_url(k)}

    # -- plumbing

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.settings, progress=self.progress)
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()

    def say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def skip(self, source: str, reason: str) -> None:
        self.skipped.append(Skipped(source, " ".join(reason.split())))
        self.say(f"skipped {source}: {reason}")

    def add(self, article: Article, source: str) -> None:
        """Keep ``article`` unless the same URL, or the same text from the same outlet, was already read."""
        url_key = canonical_url(article.url) if article.url else None
        content_key = (article.outlet or "", content_hash(article.text))
        if url_key and url_key in self._by_url:
            self.skip(source, f"duplicate of {self._by_url[url_key]} (same URL)")
            return
        # Identical text under two outlets is kept: syndicated copy is credited to every outlet carrying it.
        if content_key in self._by_content:
            self.skip(source, f"duplicate of {self._by_content[content_key]} (same text)")
            return
        if url_key:
            self._by_url[url_key] = source
        self._by_content[content_key] = source
        self.articles.append(article)

    def outlet_for_path(self, path: Path, root: Path | None) -> str | None:
        """The ``[sources] outlets`` entry for this file or the nearest configured folder holding it."""
        if not self._path_outlets:
            return None
        current = _resolved(str(path))
        stop = _resolved(str(root)) if root else None
        while True:
            if current in self._path_outlets:
                return self._path_outlets[current]
            if current == stop or current.parent == current:
                return None
            current = current.parent

    def outlet_for_url(self, *urls: str | None) -> str | None:
        for url in urls:
            if url and canonical_url(url) in self._url_outlets:
                return self._url_outlets[canonical_url(url)]
        return None

    # -- files and folders

    def read_input(self, name: str) -> None:
        if is_http_url(name):
            self.read_urls([name])
            return
        path = Path(name)
        if not path.exists():
            if path.is_symlink():
                raise InputError("broken symbolic link", path=name)
            raise InputError("no such file or folder", path=name)
        if path.is_dir():
            self.read_folder(path)
        else:
            self.read_file(path, root=path.parent, explicit=True)

    def read_folder(self, folder: Path) -> None:
        self.say(f"reading folder {folder}")
        for path in _walk(folder):
            if self.files_seen >= self.settings.max_files:
                self.skip(str(folder), f"more than {self.settings.max_files} files; the rest were not read")
                return
            self.read_file(path, root=folder, explicit=False)

    def read_file(self, path: Path, *, root: Path | None, explicit: bool) -> None:
        source = str(path)
        name = path.name.lower()
        if path.name.startswith(".") and not explicit:
            return
        if _is_sidecar(path) or name in FOLDER_METADATA_NAMES:
            return
        if not name.endswith(ARTICLE_SUFFIXES):
            if not explicit:
                self.skip(source, f"not an article file type ({path.suffix or 'no extension'})")
                return
        self.files_seen += 1
        try:
            if name.endswith(FEED_SUFFIXES):
                data = _read_bytes(path, self.settings.max_file_bytes)
                self.read_feed_bytes(data, source, declared=None, feed_outlet=self.outlet_for_path(path, root))
                return
            for index, body in enumerate(_read_article_file(path, self.settings)):
                self.finish_file_article(path, root, body, index)
        except _Skip as exc:
            self.skip(source, str(exc))
        except InputError as exc:
            self.skip(source, exc.message)

    def finish_file_article(self, path: Path, root: Path | None, body: "Body", index: int) -> None:
        """Layer file metadata (explicit > config > document > text > file name) and keep the article."""
        source = str(path) if index == 0 else f"{path}#{index}"
        explicit = Meta().fill(body.explicit).fill(_sidecar_meta(path)).fill(_folder_meta(path))
        merged = Meta().fill(explicit).fill(body.meta)
        merged.outlet = (explicit.outlet or self.outlet_for_path(path, root) or body.meta.outlet
                         or body.text_outlet or _host_of(merged.url) or outlet_from_file_name(path))
        identity = canonical_url(merged.url) if merged.url else (path.name if index == 0 else f"{path.name}#{index}")
        article = _make_article(body.paragraphs, merged, identity=identity, path=str(path))
        if article is None:
            self.skip(source, "no article text")
            return
        self.add(article, source)

    # -- feeds

    def read_feed_source(self, feed: str) -> None:
        configured = self.outlet_for_url(feed) if is_http_url(feed) else self.outlet_for_path(Path(feed), None)
        if is_http_url(feed):
            self.say(f"fetching feed {feed}")
            try:
                response = self.fetcher.get(feed, accept=FEED_ACCEPT)
            except FetchError as exc:
                self.skip(feed, exc.message)
                return
            self.read_feed_bytes(response.content, feed, declared=response.charset, feed_outlet=configured,
                                 base_url=response.url)
            return
        path = Path(feed)
        if not path.exists():
            raise InputError("feed file not found", path=feed)
        try:
            data = _read_bytes(path, self.settings.max_file_bytes)
        except _Skip as exc:
            self.skip(feed, str(exc))
            return
        self.read_feed_bytes(data, feed, declared=None, feed_outlet=configured)

    def read_feed_bytes(self, data: bytes, source: str, *, declared: str | None, feed_outlet: str | None,
                        base_url: str | None = None) -> None:
        try:
            feed = read_feed_document(data, source, declared=declared, base_url=base_url)
        except InputError as exc:
            self.skip(source, exc.message)
            return
        if not feed.entries:
            self.skip(source, feed.error or "feed has no entries")
            return
        self.say(f"feed {source}: {len(feed.entries)} entries")
        for entry in feed.entries:
            paragraphs, full = entry_paragraphs(entry)
            if full or not entry.url or not is_http_url(entry.url):
                self.finish_entry(entry, feed, feed_outlet, paragraphs, page=None, source=entry.url or source,
                                  source_feed=source)
            else:
                self._pending.append((entry, feed, feed_outlet, source))

    def fetch_pending_entries(self) -> None:
        """Fetch the pages of entries that only had a teaser, in parallel, and extract them."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        # One fetch per canonical URL: a repeated entry (or one already read) is a duplicate, not a request.
        first_by_key: dict[str, str] = {}
        unique = []
        for item in pending:
            url = item[0].url or ""
            key = canonical_url(url)
            if key in self._by_url:
                self.skip(url, f"duplicate of {self._by_url[key]} (same URL)")
            elif key in first_by_key:
                self.skip(url, f"duplicate of {first_by_key[key]} (same URL)")
            else:
                first_by_key[key] = url
                unique.append(item)
        self.say(f"fetching {len(unique)} article pages")
        responses = self.fetcher.get_many([item[0].url or "" for item in unique], accept=PAGE_ACCEPT)
        for entry, feed, feed_outlet, feed_source in unique:
            url = entry.url or ""
            page = self.page_or_skip(url, responses[url], why=" (feed entry has only a summary)")
            if page is None:
                continue
            self.finish_entry(entry, feed, feed_outlet, page.paragraphs, page=page, source=url, source_feed=feed_source)

    def finish_entry(self, entry: FeedEntry, feed: ParsedFeed, feed_outlet: str | None, paragraphs: list[str],
                     *, page: "Body | None", source: str, source_feed: str | None = None) -> None:
        page_meta = page.meta if page else Meta()
        meta = Meta(
            title=entry.title,
            published=entry.published,
            url=entry.url,
            author=entry.author,
            language=entry.language,
        ).fill(page_meta)
        meta.outlet = (
            self.outlet_for_url(entry.url, page_meta.url) or feed_outlet or page_meta.outlet or feed.title
            or (page.text_outlet if page else None) or _host_of(entry.url) or _host_of(feed.link)
            or (outlet_from_file_name(Path(source_feed)) if source_feed and not is_http_url(source_feed) else None)
        )
        identity = canonical_url(entry.url) if entry.url else (entry.entry_id or entry.title or source)
        text_paragraphs, _ = _strip_head_metadata(paragraphs, find_title=False)
        feed_path = source_feed if source_feed and not is_http_url(source_feed) else None
        article = _make_article(text_paragraphs, meta, identity=identity, path=feed_path)
        if article is None:
            self.skip(source, "feed entry has no text")
            return
        self.add(article, source)

    def page_or_skip(self, url: str, outcome: "FetchResponse | FetchError", why: str = "") -> "Body | None":
        """The extracted page of a fetch, or None after recording why it was skipped."""
        if isinstance(outcome, FetchError):
            self.skip(url, outcome.message + why)
            return None
        try:
            return page_from_response(outcome)
        except _Skip as exc:
            self.skip(url, str(exc))
            return None

    # -- URLs

    def read_urls(self, urls: Iterable[str]) -> None:
        urls = list(dict.fromkeys(urls))
        if not urls:
            return
        for url in urls:
            if not is_http_url(url):
                raise InputError("not an http(s) URL", path=url)
        self.say(f"fetching {len(urls)} URLs")
        responses = self.fetcher.get_many(urls, accept=PAGE_ACCEPT)
        for url in urls:
            outcome = responses[url]
            if isinstance(outcome, FetchError):
                self.skip(url, outcome.message)
                continue
            if _looks_like_feed(outcome):
                self.read_feed_bytes(outcome.content, url, declared=outcome.charset,
                                     feed_outlet=self.outlet_for_url(url), base_url=outcome.url)
                continue
            page = self.page_or_skip(url, outcome)
            if page is None:
                continue
            meta = Meta().fill(page.meta)
            meta.url = meta.url or outcome.url
            meta.outlet = (self.outlet_for_url(url, outcome.url, page.meta.url) or page.meta.outlet
                           or page.text_outlet or _host_of(outcome.url))
            article = _make_article(page.paragraphs, meta, identity=canonical_url(meta.url or url), path=None)
            if article is None:
                self.skip(url, "no article text found on the page")
                continue
            self.add(article, url)


# --------------------------------------------------------------------------- one document -> body + metadata


@dataclass(slots=True)
class Body:
    """A document's text as paragraphs and its metadata.

    ``explicit`` is what the document states (front matter, JSON fields); ``meta`` adds what was
    found in the page's markup or inferred from its lines; ``text_outlet`` is an outlet named by a site notice.
    """

    paragraphs: list[str]
    meta: Meta = field(default_factory=Meta)
    text_outlet: str | None = None
    explicit: Meta = field(default_factory=Meta)


def _read_article_file(path: Path, settings: Settings) -> Iterator[Body]:
    name = path.name.lower()
    data = _read_bytes(path, settings.max_file_bytes)
    if name.endswith((".gz",)):
        data = _gunzip(data, settings.max_file_bytes)
    if name.endswith(HTML_SUFFIXES):
        html = decode_bytes(data, source=str(path), declared=_declared_html_charset(data))
        saved_from = SAVED_FROM.search(html[:2048])
        yield extract_html(html, url=saved_from.group(1) if saved_from else None)
        return
    text = decode_bytes(data, source=str(path))
    if name.endswith(JSONL_SUFFIXES):
        yield from _jsonl_articles(text)
        return
    if name.endswith(JSON_SUFFIXES):
        yield from _json_articles(text)
        return
    if name.endswith(MARKDOWN_SUFFIXES):
        front, body_text = split_front_matter(text)
        yield markdown_body(body_text, front)
        return
    front, body_text = split_front_matter(text) if text.lstrip("\ufeff").startswith(("---", "+++")) else ({}, text)
    yield text_body(body_text, front)


def text_body(text: str, front: dict[str, Any] | None = None) -> Body:
    """A plain-text article: paragraphs normalised, metadata lines taken out of the text."""
    explicit = meta_from_mapping(front or {})
    paragraphs = split_paragraphs(text)
    paragraphs, inferred = _strip_head_metadata(paragraphs, find_title=explicit.title is None)
    meta = Meta().fill(explicit).fill(inferred)
    return Body(paragraphs, meta, outlet_from_text(paragraphs), explicit)


def markdown_body(text: str, front: dict[str, Any] | None = None) -> Body:
    """A Markdown article: rendered to HTML, then to paragraphs; a leading ``# Heading`` is the title."""
    explicit = meta_from_mapping(front or {})
    html = markdown.markdown(text, extensions=["extra"], output_format="html")
    paragraphs = html_to_paragraphs(html)
    heading = re.match(r"\s*<h1[^>]*>(.*?)</h1>", html, re.S)
    if heading and paragraphs:
        title = html_to_paragraphs(heading.group(1))
        if title and paragraphs[0] == title[0]:
            # A leading "# Heading" is the headline: metadata, whether or not front matter also names one.
            explicit.fill({"title": title[0]})
            paragraphs = paragraphs[1:]
    paragraphs, inferred = _strip_head_metadata(paragraphs, find_title=explicit.title is None)
    return Body(paragraphs, Meta().fill(explicit).fill(inferred), outlet_from_text(paragraphs), explicit)


def extract_html(html: str | bytes, url: str | None = None) -> Body:
    """Main text and metadata of an HTML page with trafilatura; paragraphs are kept apart."""
    options = dict(url=url, with_metadata=True, include_comments=False, include_tables=True,
                   include_images=False, include_links=False)
    # favor_precision: on the 181-page benchmark it trades recall for more precision (F1 0.959 -> 0.971
    # with the fallback below; trafilatura defaults 0.948);
    # boilerplate in a briefing costs more than a lost sentence. When it keeps very little, the
    # balanced setting gets a second look, since precision mode sometimes drops a whole article.
    document = _trafilatura(html, favor_precision=True, **options)
    if document is None or len((document.text or "").split()) < SHORT_EXTRACTION_WORDS:
        balanced = _trafilatura(html, **options)
        if balanced is not None and (
            document is None or len((balanced.text or "").split()) >= 2 * len((document.text or "").split())
        ):
            document = balanced
    if document is None:
        return Body([])
    text = document.text or ""
    paragraphs = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs = [p for p in paragraphs if p]
    meta = Meta(
        title=_clean_str(document.title),
        published=normalise_date(document.date),
        outlet=tidy_site_name(document.sitename),
        url=_clean_str(document.url) if document.url and is_http_url(document.url) else None,
        author=_clean_str(document.author),
        language=_clean_str(document.language),
    )
    paragraphs, inferred = _strip_head_metadata(paragraphs, find_title=False)
    meta.fill(inferred)
    if meta.title and paragraphs and paragraphs[0] == meta.title:
        paragraphs = paragraphs[1:]
    if meta.url is None and url and is_http_url(url):
        meta.url = url
    return Body(paragraphs, meta, outlet_from_text(paragraphs))


def _trafilatura(html: str | bytes, **options: Any) -> Any:
    try:
        return trafilatura.bare_extraction(html, **options)
    except Exception as exc:  # noqa: BLE001 - a third-party parser failing on odd markup must not end the run
        raise _Skip(f"HTML extraction failed ({type(exc).__name__})") from None


def page_from_response(response: FetchResponse) -> Body:
    """Text and metadata of a fetched page (HTML or plain text); raises _Skip with the reason otherwise."""
    kind = (response.content_type or "").split(";")[0].strip().lower()
    if kind and not ("html" in kind or "xml" in kind or kind == "text/plain"):
        raise _Skip(f"not a web page (Content-Type {kind})")
    try:
        if kind == "text/plain":
            body = text_body(decode_bytes(response.content, source=response.url, declared=response.charset))
        else:
            declared = response.charset or _declared_html_charset(response.content)
            html = decode_bytes(response.content, source=response.url, declared=declared)
            body = extract_html(html, url=response.url)
    except InputError as exc:
        raise _Skip(exc.message) from None
    if not body.paragraphs:
        raise _Skip("no article text found on the page")
    body.meta.url = body.meta.url or response.url
    return body


def read_feed_document(data: bytes, source: str, *, declared: str | None = None,
                       base_url: str | None = None) -> ParsedFeed:
    """Decode a feed document (BOM, HTTP or XML charset, else detection) and parse it.

    Raises InputError when the bytes are not text in any encoding we can tell.
    """
    text = decode_bytes(data, source=source, declared=declared or _declared_xml_charset(data))
    # feedparser is given UTF-8 with a matching HTTP charset, which overrides the now stale XML declaration.
    return parse_feed(text.encode("utf-8"), base_url=base_url)


def _json_articles(text: str) -> Iterator[Body]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _Skip(f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    items = _json_items(data)
    if not items:
        raise _Skip("JSON holds no article (no text, body or content field)")
    for item in items:
        yield _body_from_record(item)


def _jsonl_articles(text: str) -> Iterator[Body]:
    """One article per line; a broken line is reported after the good ones were read."""
    bad_lines = []
    found = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            bad_lines.append(number)
            continue
        if isinstance(record, dict) and _record_has_body(record):
            found += 1
            yield _body_from_record(record)
    if bad_lines:
        shown = ", ".join(map(str, bad_lines[:5])) + (" ..." if len(bad_lines) > 5 else "")
        raise _Skip(f"invalid JSON on line(s) {shown}" + (f"; {found} other line(s) read" if found else ""))
    if not found:
        raise _Skip("JSON lines hold no article (no text, body or content field)")


def _json_items(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                return _json_items(data[key])
        return [data] if _record_has_body(data) else []
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict) and _record_has_body(d)]
    return []


def _record_has_body(record: dict[str, Any]) -> bool:
    return any(isinstance(record.get(k), str) and record[k].strip() for k in BODY_KEYS + HTML_KEYS)


def _body_from_record(record: dict[str, Any]) -> Body:
    explicit = meta_from_mapping(record)
    text = next((record[k] for k in BODY_KEYS if isinstance(record.get(k), str) and record[k].strip()), None)
    if text is not None and not _looks_like_html(text):
        body = text_body(text)
    else:
        html = text if text is not None else next(record[k] for k in HTML_KEYS if isinstance(record.get(k), str))
        body = extract_html(html, url=explicit.url) if "<html" in html.lower() else Body(html_to_paragraphs(html))
        body.text_outlet = outlet_from_text(body.paragraphs)
    body.meta = Meta().fill(explicit).fill(body.meta)
    body.explicit = explicit
    return body


# --------------------------------------------------------------------------- metadata from text


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text. A file without blank lines has one paragraph per non-empty line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = [_clean_line(line) for line in text.split("\n")]
    non_empty = [i for i, line in enumerate(lines) if line]
    if not non_empty:
        return []
    inner = lines[non_empty[0]: non_empty[-1] + 1]
    if all(inner):
        return inner
    paragraphs, current = [], []
    for line in inner:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def _strip_head_metadata(paragraphs: list[str], *, find_title: bool) -> tuple[list[str], Meta]:
    """Take date, byline, breadcrumb and (optionally) title lines off the top of ``paragraphs``.

    Only the first few lines are looked at, and only whole lines that are nothing but
    metadata are removed, except a labelled date glued to text (``date 2023-09-14 For free ...``),
    where the date is cut out and the rest of the line stays.
    """
    meta = Meta()
    # (paragraph index, line index) addressing keeps multi-line paragraphs intact.
    rows = [(pi, li, line) for pi, p in enumerate(paragraphs[:6]) for li, line in enumerate(p.split("\n"))]
    removed: set[tuple[int, int]] = set()
    replaced: dict[tuple[int, int], str] = {}
    seen_content = False
    for position, (pi, li, line) in enumerate(rows[:8]):
        stripped = line.strip()
        if not stripped:
            continue
        date_match = DATE_LINE.match(stripped)
        if date_match and (iso := normalise_date(date_match.group("date"))):
            # The first date is the article's; a second ("Updated ...") is metadata all the same.
            meta.published = meta.published or iso
            removed.add((pi, li))
            continue
        prefix = DATE_PREFIX.match(stripped)
        if prefix and meta.published is None and (iso := normalise_date(prefix.group("date"))):
            meta.published = iso
            replaced[(pi, li)] = prefix.group("rest").strip()
            break  # the rest of that line is article (or boilerplate) text
        if not seen_content and is_breadcrumb(stripped):
            removed.add((pi, li))
            continue
        byline = BYLINE.match(stripped)
        if byline and meta.author is None and len(stripped.split()) <= 8:
            meta.author = byline.group("author")
            removed.add((pi, li))
            continue
        if find_title and meta.title is None and not seen_content and _is_title_line(stripped, rows, position):
            meta.title = stripped
            removed.add((pi, li))
            seen_content = True
            continue
        break
    if not removed and not replaced:
        return paragraphs, meta
    out: list[str] = []
    for pi, paragraph in enumerate(paragraphs):
        if pi >= 6:
            out.append(paragraph)
            continue
        kept = []
        for li, line in enumerate(paragraph.split("\n")):
            if (pi, li) in removed:
                continue
            kept.append(replaced.get((pi, li), line))
        text = "\n".join(k for k in kept if k.strip())
        if text:
            out.append(text)
    return out, meta


def _is_title_line(line: str, rows: list[tuple[int, int, str]], position: int) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 25 or len(line) > 220:
        return False
    if line.endswith(TERMINAL_PUNCTUATION) or line[0].islower():
        return False
    if DATE_LINE.match(line) or line.lower().startswith(("by ", "http", "www.")):
        return False
    rest = rows[position + 1:]
    if not rest:
        return False  # a lone line is the article, not its title
    # The next line must start a new paragraph (or be a date line): a title stands apart.
    pi, li, _ = rows[position]
    next_pi, next_li, next_line = rest[0]
    return next_pi != pi or bool(DATE_LINE.match(next_line.strip()))


def is_breadcrumb(line: str) -> bool:
    """``News / World / Asia`` or ``Home > Sport``: short segments joined by navigation separators."""
    segments = BREADCRUMB_SEP.split(line)
    if len(segments) < 2 or len(line.split()) > 14:
        return False
    if len(segments) == 2 and " / " in line:
        return False  # "Putin / Kim" could be a headline; a breadcrumb with slashes has three parts or more
    return all(1 <= len(s.split()) <= 4 and not s.endswith(TERMINAL_PUNCTUATION) for s in segments)


def outlet_from_text(paragraphs: Sequence[str]) -> str | None:
    """The outlet a site notice names (sign-up prompts, "X's website can be accessed", "© 2023 X")."""
    for paragraph in paragraphs:
        for line in paragraph.split("\n"):
            if not _NOTICE_CONTEXT.search(line):
                continue
            for pattern in OUTLET_NOTICES:
                if pattern is OUTLET_NOTICES[2] and len(line.split()) > 15:
                    continue  # a copyright mark inside a long sentence is a photo credit, not a site notice
                match = pattern.search(line)
                if match:
                    outlet = _TRAILING_STOPWORDS.sub("", match.group("outlet")).strip(" .,'’")
                    if outlet and len(outlet) >= 2 and outlet.lower() not in ("us", "our", "the"):
                        return outlet
    return None


def tidy_site_name(name: str | None) -> str | None:
    """A page's site name without its tagline: ``Gazette | Local news since 1901`` -> ``Gazette``."""
    name = _clean_str(name)
    if not name:
        return None
    name = re.split(r"\s+\|\s+", name)[0]
    if len(name.split()) > 4:
        name = re.split(r"\s+[–—-]\s+", name)[0]
    return name.strip(" _-–—:·") or None


def outlet_from_file_name(path: Path) -> str:
    """An outlet name from a file name: ``bbc-news.txt`` -> ``bbc news``; ``000_75059a54b5.txt`` -> ``Source 1``;
    a bare hash ``3f65af7b6b98b1c9.html`` -> ``Source 3f65af``."""
    stem = path.name
    for suffix in sorted(ARTICLE_SUFFIXES, key=len, reverse=True):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    numbered = NUMBERED_HASH_STEM.match(stem)
    if numbered:
        # A numbered hash names no outlet; "Source N" (1-based) is readable and stays distinct per file.
        return f"Source {int(numbered.group('n')) + 1}"
    if HASH_STEM.match(stem):
        return f"Source {stem[:6].lower()}"
    readable = re.sub(r"[_\-.]+", " ", stem).strip()
    return readable or stem


def normalise_date(value: Any) -> str | None:
    """An ISO-8601 date (or date-time when a time is given) from common date spellings; None if unparseable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") if (value.hour, value.minute, value.second) != (0, 0, 0) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.utcfromtimestamp(value / 1000 if value > 1e11 else value).isoformat(timespec="seconds")
        except (OverflowError, OSError, ValueError):
            return None
    text = " ".join(str(value).split())
    if not text or len(text) > 80:
        return None
    has_time = bool(re.search(r"\d{1,2}[:.]\d{2}", text) and not re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text))
    cleaned = re.sub(r"\b(?:at|on|updated|published|posted)\b", " ", text, flags=re.I)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown zone names such as "BST" are fine to drop
        try:
            parsed = date_parser.parse(cleaned, fuzzy=True, default=datetime(1900, 1, 1))
        except (ValueError, OverflowError, TypeError):
            return None
    if parsed.year < 1900 or parsed.year > 2200:
        return None
    if not re.search(r"\d{4}", text):
        return None  # no year written: a guessed year would be a wrong date
    if has_time:
        return parsed.isoformat(timespec="seconds" if parsed.second else "minutes")
    return parsed.date().isoformat()


# --------------------------------------------------------------------------- front matter and sidecars


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split ``---`` YAML (or ``+++`` TOML) front matter from the body; bad front matter is left in the text."""
    stripped = text.lstrip("\ufeff")
    lines = stripped.split("\n")
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, text
    fence = lines[0].strip()
    closers = ("---", "...") if fence == "---" else ("+++",)
    for end in range(1, len(lines)):
        if lines[end].strip() in closers:
            raw = "\n".join(lines[1:end])
            body = "\n".join(lines[end + 1:])
            try:
                data = yaml.safe_load(raw) if fence == "---" else tomllib.loads(raw)
            except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError, RecursionError):
                return {}, text
            if data is None:
                data = {}
            if not isinstance(data, dict):
                return {}, text
            return data, body
    return {}, text


def meta_from_mapping(data: Any) -> Meta:
    """Article metadata from a front matter, sidecar or JSON record, under its usual key spellings."""
    meta = Meta()
    if not isinstance(data, dict):
        return meta
    lowered = {str(k).lower(): v for k, v in data.items()}
    for field_name, keys in META_KEYS.items():
        for key in keys:
            value = lowered.get(key.lower())
            converted = _meta_value(field_name, value)
            if converted:
                setattr(meta, field_name, converted)
                break
    return meta


def _meta_value(field_name: str, value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if field_name == "published":
        return normalise_date(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("@value") or value.get("url")
    if isinstance(value, list):
        names = [_meta_value(field_name, v) for v in value]
        names = [n for n in names if n]
        value = ", ".join(names) if field_name == "author" else (names[0] if names else None)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    if field_name == "url" and not is_http_url(text):
        return None
    return text or None


def _sidecar_candidates(path: Path) -> list[Path]:
    stem = path.name
    for suffix in sorted(ARTICLE_SUFFIXES, key=len, reverse=True):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    names = [f"{path.name}.meta.json", f"{stem}.meta.json", f"{path.name}.json"]
    if not path.name.lower().endswith(JSON_SUFFIXES):
        names.append(f"{stem}.json")
    return [path.with_name(n) for n in dict.fromkeys(names) if n != path.name]


def _sidecar_meta(path: Path) -> Meta | None:
    for candidate in _sidecar_candidates(path):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8-sig"))
            except (OSError, ValueError):
                return None
            return meta_from_mapping(data)
    return None


def _is_sidecar(path: Path) -> bool:
    """``x.meta.json`` always; ``x.json`` or ``x.txt.json`` when an article file ``x.*`` sits beside it."""
    name = path.name.lower()
    if name.endswith(".meta.json"):
        return True
    if not name.endswith(".json"):
        return False
    base = path.name[: -len(".json")]
    if base.lower().endswith(ARTICLE_SUFFIXES) and path.with_name(base).exists():
        return True
    # A stat per article suffix, not a folder listing per JSON file: folders may hold thousands.
    return any(path.with_name(base + suffix).exists() for suffix in ARTICLE_SUFFIXES if suffix not in JSON_SUFFIXES)


def _folder_meta(path: Path) -> Meta | None:
    table = _folder_table(path.parent)
    if not table:
        return None
    stem = path.name.split(".")[0]
    for key in (path.name, stem):
        if key in table:
            return meta_from_mapping(table[key])
    return None


_FOLDER_TABLES: dict[tuple[str, float], dict[str, Any]] = {}


def _folder_table(folder: Path) -> dict[str, Any]:
    for name in FOLDER_METADATA_NAMES:
        candidate = folder / name
        try:
            stamp = candidate.stat().st_mtime
        except OSError:
            continue
        key = (str(candidate.resolve()), stamp)
        if key not in _FOLDER_TABLES:
            _FOLDER_TABLES[key] = _load_folder_table(candidate)
        return _FOLDER_TABLES[key]
    return {}


def _load_folder_table(path: Path) -> dict[str, Any]:
    """``sources.toml``: ``["file.txt"]`` tables (or under ``[files]``); ``sources.json``: an object or a list."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        return {}
    if isinstance(data, dict):
        for key in ("files", "sources", "articles"):
            if isinstance(data.get(key), (dict, list)):
                data = data[key]
                break
    if isinstance(data, list):
        table = {}
        for item in data:
            if isinstance(item, dict):
                name = item.get("file") or item.get("path") or item.get("name")
                if isinstance(name, str):
                    table[Path(name).name] = item
        return table
    return {str(k): v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


# --------------------------------------------------------------------------- bytes -> text


def decode_bytes(data: bytes, *, source: str, declared: str | None = None) -> str:
    """Text from bytes: BOM, then UTF-8, then a declared charset, then charset-normalizer's best guess.

    Raises InputError for binary files and for bytes no known encoding explains.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"not valid {codec.upper()} despite its byte-order mark", path=source) from None
    declared_codec = _codec(declared)
    if declared_codec and declared_codec.startswith(("utf_16", "utf_32")):
        try:
            return data.decode(declared_codec)
        except UnicodeDecodeError:
            declared_codec = None
    kind = binary_kind(data)
    if kind:
        raise InputError(f"binary file ({kind}), not text", path=source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared_codec:
        try:
            return data.decode(declared_codec)
        except UnicodeDecodeError:
            pass
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("cannot tell the text encoding (not UTF-8, no declared charset fits)", path=source)
    # Short Western texts fit several single-byte code pages equally well; like browsers, prefer
    # Windows-1252 when it reads the bytes with no more mess than the winner.
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + CP1252_TOLERANCE:
            return str(match)
    return str(best)


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` is (by magic number or NUL bytes), or None for text."""
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:8192]:
        return "contains NUL bytes"
    return None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = WHATWG_ALIASES.get(name.strip().lower(), name.strip())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


# Browsers mark a saved page with the address it came from.
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-.:]+)["']""", re.I)


def _declared_html_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None


def _declared_xml_charset(data: bytes) -> str | None:
    match = _XML_ENCODING.search(data[:1024])
    return match.group(1).decode("ascii", "ignore") if match else None


def _read_bytes(path: Path, limit: int) -> bytes:
    try:
        if path.is_symlink() and not path.exists():
            raise _Skip("broken symbolic link")
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise _Skip("is a folder")
        if not stat.S_ISREG(info.st_mode):
            # A pipe or device would block or never end: only regular files are articles.
            raise _Skip("not a regular file (pipe, socket or device)")
        size = info.st_size
        if size > limit:
            raise _Skip(f"file too large ({size} bytes > max_file_bytes {limit})")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except _Skip:
        raise
    except IsADirectoryError:
        raise _Skip("is a folder") from None
    except PermissionError:
        raise _Skip("permission denied") from None
    except OSError as exc:
        raise _Skip(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise _Skip(f"file too large (more than max_file_bytes {limit})")
    return data


def _gunzip(data: bytes, limit: int) -> bytes:
    try:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise _Skip(f"not a valid gzip file ({exc})") from None
    if len(out) > limit:
        raise _Skip(f"file too large once decompressed (more than max_file_bytes {limit})")
    return out


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in sorted order, links to folders not followed.

    Left out silently: hidden files and folders, the ``<page>_files`` folder a browser saves
    beside ``<page>.html``, and page assets (styles, scripts, images, fonts).
    """
    for current, dirs, files in os.walk(folder, followlinks=False):
        pages = {f.rsplit(".", 1)[0] for f in files if f.lower().endswith((".html", ".htm"))}
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not (d.endswith("_files") and d[: -len("_files")] in pages)
        )
        for name in sorted(files):
            if not name.startswith(".") and not name.lower().endswith(ASSET_SUFFIXES):
                yield Path(current) / name


# --------------------------------------------------------------------------- articles, URLs, hashes


def _make_article(paragraphs: Sequence[str], meta: Meta, *, identity: str, path: str | None) -> Article | None:
    paragraphs = [p.strip() for p in paragraphs if p and p.strip()]
    if not paragraphs:
        return None
    text = "\n\n".join(paragraphs)
    # Same source, outlet and text -> same id, run after run; any change gives a new id.
    digest = hashlib.sha256(f"{identity}\n{meta.outlet or ''}\n{text}".encode("utf-8")).hexdigest()[:12]
    return Article(
        id=digest,
        text=text,
        title=meta.title,
        outlet=meta.outlet,
        url=meta.url,
        published=meta.published,
        path=path,
        author=meta.author,
        language=meta.language,
    )


def canonical_url(url: str) -> str:
    """A URL for de-duplication: lower-case host, no fragment, no tracking parameters, no default port."""
    url = url.strip()
    try:
        normalised = courlan.normalize_url(url, strict=True)
    except Exception:  # noqa: BLE001 - courlan raises assorted errors on odd input; keep the URL as given
        return url
    parts = urlsplit(normalised)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def content_hash(text: str) -> str:
    """A hash of the text that ignores case, spacing and Unicode form."""
    normal = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _looks_like_feed(response: FetchResponse) -> bool:
    kind = (response.content_type or "").split(";")[0].strip().lower()
    if kind in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return True
    if "html" in kind:
        return False
    head = response.content[:4096].lower()
    return b"<html" not in head and any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def _looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(p|div|br|html|body|article|h[1-6])\b", text[:2000], re.I))


def _host_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _resolved(path: str) -> Path:
    try:
        return Path(path).expanduser().resolve()
    except OSError:
        return Path(os.path.abspath(path))


def _clean_line(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split())


def _clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None
