"""The input walker behind ``read_inputs``: every file, folder, feed and URL to articles, once each.

It hands each source to the reader of its kind (``files``, ``pages``, ``feeds``), fetches
pages in parallel (``fetch``), layers the metadata found for each article, most trusted
first, and keeps an article only once per URL and per outlet and text. What cannot be read
is recorded as ``Skipped`` with a one-line reason, and the walk goes on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from digest import workers
from digest.errors import InputError
from digest.ingest.decode import declared_html_charset, decode_bytes, restore_lost_marks, strip_spoofing
from digest.ingest.document import (
    ARTICLE_SUFFIXES, FEED_SUFFIXES, Body, FetchError, FetchResponse, Meta, Skip, Skipped, is_http_url)
from digest.ingest.feeds import FeedEntry, ParsedFeed, discover_feed_links, entry_paragraphs, read_feed_document
from digest.ingest.files import read_article_file, read_bytes, text_body, walk_folder
from digest.ingest.metadata import (
    FOLDER_METADATA_NAMES, folder_meta, is_sidecar, outlet_from_credit, outlet_from_file_name, outlet_name,
    readable_domain, sidecar_meta, strip_head_metadata,
)
from digest.ingest.opml import OPML_SUFFIXES, is_opml
from digest.ingest.pages import extract_html
from digest.models import Article
from digest.settings import Settings

if TYPE_CHECKING:  # the HTTP side is imported only when something is fetched
    from digest.ingest.fetch import Fetcher

_log = logging.getLogger(__name__)
# progress(message): what is being read or fetched now.
Progress = Callable[[str], None]
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml, text/plain;q=0.8, */*;q=0.5"
OPML_NOT_FEED = "an OPML subscription list, not a feed or article: read its feeds with --opml FILE or [sources] opml"
TRACKING_PARAMS = re.compile(r"^(?:utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|ocid|cmpid|ref|ref_src|smid|igshid|ito|at_\w+)$", re.I)


def __getattr__(name: str):  # noqa: ANN202 - PEP 562: ``reader.Fetcher`` as before, imported when first asked for
    # httpx (and what it imports) only for a run that fetches something.
    if name == "Fetcher":
        from digest.ingest.fetch import Fetcher

        return Fetcher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Reader:
    """Reads sources one after another into ``articles`` and ``skipped``; one reader per ``read_inputs`` call."""

    def __init__(self, settings: Settings, progress: Progress | None, fetcher: Fetcher | None):
        self.settings = settings
        self.progress = progress
        self._fetcher = fetcher
        self._own_fetcher = fetcher is None
        self.articles: list[Article] = []
        self.skipped: list[Skipped] = []
        self.files_seen = 0
        self.capped: list[tuple[str, str]] = []  # (source, what was cut): per-article caps that bit
        self.origin: str | None = None  # the input being read, named in each Skipped
        self._by_url: dict[str, str] = {}
        self._by_url_text: dict[tuple[str, str], str] = {}
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
            make = globals().get("Fetcher") or __getattr__("Fetcher")  # a test may have set its own
            self._fetcher = make(self.settings, progress=self.progress)
        return self._fetcher

    def close(self) -> None:
        if self._own_fetcher and self._fetcher is not None:
            self._fetcher.close()

    def say(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def name_unnamed_sources(self) -> None:
        """Give each article whose outlet nothing names a label of its own, ``Unnamed source N`` in reading
        order, so that unrelated files still count as different sources (their ids do not depend on it)."""
        number = 0
        for index, article in enumerate(self.articles):
            if not article.outlet:
                number += 1
                self.articles[index] = dataclasses.replace(article, outlet=f"Unnamed source {number}")

    def skip(self, source: str, reason: str) -> None:
        self.skipped.append(Skipped(source, " ".join(reason.split()), self.origin or source))
        self.say(f"skipped {source}: {reason}")

    def add(self, article: Article, source: str, keys: tuple[str | None, str] | None = None) -> None:
        """Keep ``article`` unless the same URL, or the same text from the same outlet, was already read.
        ``keys``: ``article_keys(article)``, when the caller has them."""
        url_key, text_key = keys or article_keys(article)
        content_key = (article.outlet or "", text_key)
        # Same URL and same text is one article; a shared URL with another text is another article.
        if url_key and (url_key, text_key) in self._by_url_text:
            self.skip(source, f"duplicate of {self._by_url_text[(url_key, text_key)]} (same URL)")
            return
        # Identical text under two outlets is kept: syndicated copy is credited to every outlet carrying it.
        if content_key in self._by_content:
            self.skip(source, f"duplicate of {self._by_content[content_key]} (same text)")
            return
        if url_key:
            self._by_url.setdefault(url_key, source)
            self._by_url_text.setdefault((url_key, text_key), source)
        self._by_content[content_key] = source
        self.articles.append(article)

    def make_article(self, source: str, paragraphs: Sequence[str], meta: Meta, *, identity: str,
                     path: str | None) -> Article | None:
        """``capped_article``; a cap that bites is reported under ``source``."""
        article, cuts = capped_article(paragraphs, meta, self.settings, identity=identity, path=path)
        self.report_cuts(source, cuts)
        return article

    def report_cuts(self, source: str, cuts: Sequence[str]) -> None:
        if cuts:
            # Reported where the user looks: the log (stderr under `digest run`), and IngestResult.capped.
            _log.warning("%s: kept, but cut: %s", source, "; ".join(cuts))
            self.capped.append((source, "; ".join(cuts)))

    def outlet_for_path(self, path: Path, root: Path | None) -> str | None:
        """The ``[sources] outlets`` entry for this file or the nearest configured folder holding it."""
        return configured_outlet(path, root, self._path_outlets)

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
        # What to do with each file is decided first, in order; the article files are then parsed (in worker
        # processes when there are many: a pure function of the file) and kept or skipped in the same order.
        plan: list[tuple[Path, str | None]] = []  # (file, why it is skipped; None: read it)
        for path in walk_folder(folder):
            if self.files_seen >= self.settings.max_files:
                plan.append((folder, f"more than {self.settings.max_files} files; the rest were not read "
                                     "(raise [limits] max_files to read more)"))
                break
            verdict = self.screen_file(path, explicit=False)
            if verdict is not _IGNORED:
                plan.append((path, verdict))
        articles = [path for path, verdict in plan if verdict is None and not _is_feed_file(path)]
        if workers.use_pool(len(articles), POOL_MIN_FILES):
            parsed = workers.ordered_map(read_file_articles, articles, folder, self.settings, self._path_outlets,
                                         chunk=_POOL_CHUNK)
        else:
            parsed = (read_file_articles(path, folder, self.settings, self._path_outlets) for path in articles)
        for path, verdict in plan:
            if verdict is not None:
                self.skip_file(path, verdict)
            elif _is_feed_file(path):
                self.read_feed_file(path, folder)
            else:
                self.keep_file_articles(str(path), *next(parsed))

    def screen_file(self, path: Path, *, explicit: bool) -> str | object | None:
        """None when ``path`` is to be read (and counted as seen), why it is skipped, or ``_IGNORED``."""
        source = str(path)
        if not _encodable(source):
            # A name that is not UTF-8 cannot be shown, hashed or written into the briefing as it is.
            return "the file name is not valid UTF-8; rename the file to read it"
        name = path.name.lower()
        if path.name.startswith(".") and not explicit:
            return _IGNORED
        if is_sidecar(path) or name in FOLDER_METADATA_NAMES:
            return _IGNORED
        if name.endswith(OPML_SUFFIXES):
            return OPML_NOT_FEED
        if not name.endswith(ARTICLE_SUFFIXES) and not explicit:
            return f"not an article file type ({path.suffix or 'no extension'})"
        self.files_seen += 1
        return None

    def skip_file(self, path: Path, reason: str) -> None:
        source = str(path)
        self.skip(source if _encodable(source) else printable_path(source), reason)

    def read_file(self, path: Path, *, root: Path | None, explicit: bool) -> None:
        verdict = self.screen_file(path, explicit=explicit)
        if verdict is _IGNORED:
            return
        if verdict is not None:
            self.skip_file(path, verdict)
        elif _is_feed_file(path):
            self.read_feed_file(path, root)
        else:
            self.keep_file_articles(str(path), *read_file_articles(path, root, self.settings, self._path_outlets))

    def read_feed_file(self, path: Path, root: Path | None) -> None:
        source = str(path)
        try:
            data = read_bytes(path, self.settings.max_file_bytes)
            # A feed among local files keeps the run offline unless the user opts in to its links.
            self.read_feed_bytes(data, source, declared=None, feed_outlet=self.outlet_for_path(path, root),
                                 fetch_links=self.settings.fetch_local_feed_links)
        except _READ_ERRORS as exc:
            self.skip(source, _why_unreadable(exc))

    def keep_file_articles(self, source: str, found: Sequence["FileArticle"], problem: str | None) -> None:
        """Keep the articles ``read_file_articles`` found in one file; skip the file for ``problem``."""
        for item in found:
            self.report_cuts(item.source, item.cuts)
            if item.article is None:
                self.skip(item.source, "no article text")
            else:
                self.add(item.article, item.source, item.keys)
        if problem is not None:
            self.skip(source, problem)

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
            if _looks_like_page(response):
                response = self.discovered_feed(feed, response)
                if response is None:
                    return
            self.read_feed_bytes(response.content, feed, declared=response.charset, feed_outlet=configured,
                                 base_url=response.url)
            return
        path = Path(feed)
        if not path.exists():
            raise InputError("feed file not found", path=feed)
        try:
            data = read_bytes(path, self.settings.max_file_bytes)
        except Skip as exc:
            self.skip(feed, str(exc))
            return
        self.read_feed_bytes(data, feed, declared=None, feed_outlet=configured)

    def discovered_feed(self, feed: str, page: FetchResponse) -> FetchResponse | None:
        """The feed a web page given as ``--feed`` names in its ``<link rel="alternate">`` (one hop, the first
        that answers with a feed), or None after recording why there is none."""
        links = discover_feed_links(page.content, page.url)
        if not links:
            self.skip(feed, 'a web page, not a feed, and it names no feed (<link rel="alternate">); '
                            "give the feed's own URL, or the page with --url")
            return None
        reasons = []
        for link in links[:3]:  # a page may list many feeds; a few tries find the one that works
            self.say(f"feed {feed}: the page names the feed {link}")
            try:
                response = self.fetcher.get(link, accept=FEED_ACCEPT)
            except FetchError as exc:
                reasons.append(exc.message)
                continue
            if not _looks_like_page(response):
                return response
            reasons.append(f"{link} is a web page too")
        self.skip(feed, "a web page, not a feed; the feeds it names failed: " + "; ".join(reasons))
        return None

    def read_feed_bytes(self, data: bytes, source: str, *, declared: str | None, feed_outlet: str | None,
                        base_url: str | None = None, fetch_links: bool = True) -> None:
        if is_opml(data):
            # feedparser would find no entries and the run would say only "feed has no entries".
            self.skip(source, OPML_NOT_FEED)
            return
        try:
            feed = read_feed_document(data, source, declared=declared, base_url=base_url)
        except InputError as exc:
            self.skip(source, exc.message)
            return
        if not feed.entries:
            self.skip(source, feed.error or "feed has no entries")
            return
        self.say(f"feed {source}: {len(feed.entries)} entries")
        entries = feed.entries
        cap = self.settings.max_feed_entries
        if len(entries) > cap:
            self.skip(source, f"{len(entries)} entries, more than max_feed_entries = {cap}; "
                              f"the last {len(entries) - cap} were not read")
            entries = entries[:cap]
        not_fetched = 0
        for entry in entries:
            paragraphs, full = entry_paragraphs(entry)
            if full or not entry.url or not is_http_url(entry.url) or not fetch_links:
                not_fetched += not (full or not entry.url or not is_http_url(entry.url))
                self.finish_entry(entry, feed, feed_outlet, paragraphs, page=None, source=entry.url or source,
                                  source_feed=source)
            else:
                self._pending.append((entry, feed, feed_outlet, source))
        if not_fetched:
            self.skip(source, f"the pages of {not_fetched} teaser entries were not fetched: a local feed stays "
                              f"offline (set [fetch] fetch_local_feed_links = true or pass --fetch-feed-links)")

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
            self.origin = item[3]
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
            self.origin = feed_source
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
            self.outlet_for_url(entry.url, page_meta.url) or feed_outlet
            or entry_outlet(entry, feed, page, source_feed)
            or (outlet_from_file_name(Path(source_feed)) if source_feed and not is_http_url(source_feed) else None)
        )
        identity = canonical_url(entry.url) if entry.url else (entry.entry_id or entry.title or source)
        text_paragraphs, _ = strip_head_metadata(paragraphs, find_title=False)
        feed_path = source_feed if source_feed and not is_http_url(source_feed) else None
        article = self.make_article(source, text_paragraphs, meta, identity=identity, path=feed_path)
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
        except Skip as exc:
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
            self.origin = url
            outcome = responses[url]
            if isinstance(outcome, FetchError):
                self.skip(url, outcome.message)
                continue
            if is_opml(outcome.content):
                self.skip(url, OPML_NOT_FEED)
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
            meta.outlet = (self.outlet_for_url(url, outcome.url, page.meta.url) or outlet_name(page.meta.outlet)
                           or outlet_name(page.text_outlet) or readable_domain(outcome.url))
            article = self.make_article(url, page.paragraphs, meta, identity=canonical_url(meta.url or url),
                                        path=None)
            if article is None:
                self.skip(url, "no article text found on the page")
                continue
            self.add(article, url)


# Article files are parsed in worker processes from this many on (below, starting them costs more than it
# saves); files sent to a worker at once.
POOL_MIN_FILES = 500
_POOL_CHUNK = 16
_IGNORED = object()  # screen_file: a file passed over without a word (hidden, a sidecar)


def _is_feed_file(path: Path) -> bool:
    return path.name.lower().endswith(FEED_SUFFIXES)


@dataclasses.dataclass(frozen=True, slots=True)
class FileArticle:
    """One article of a file (None: it had no text), named as the run reports it, with the caps that bit."""

    source: str
    article: Article | None
    cuts: tuple[str, ...]
    # ``article_keys(article)``, worked out where the file was read (a worker process on a big run), so that
    # the reader, which keeps the articles one by one in one process, does not normalise URL and text again.
    keys: tuple[str | None, str] | None = None


def read_file_articles(path: Path, root: Path | None, settings: Settings,
                       path_outlets: dict[Path, str]) -> tuple[list[FileArticle], str | None]:
    """Every article of an article file, and why the rest of the file could not be read (None: all of it was).

    A pure function of the file, its sidecars and the settings (``path_outlets``: the configured outlets of
    files and folders), so that many files can be read in worker processes; keeping them is the reader's.
    """
    found: list[FileArticle] = []
    try:
        for index, body in enumerate(read_article_file(path, settings)):
            found.append(file_article(path, root, body, index, settings, path_outlets))
    except _READ_ERRORS as exc:
        return found, _why_unreadable(exc)
    return found, None


_READ_ERRORS = (Skip, InputError, RecursionError)


def _why_unreadable(exc: BaseException) -> str:
    """The one-line reason a file of ``_READ_ERRORS`` gives for being skipped."""
    if isinstance(exc, InputError):
        return exc.message
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    return str(exc)


def file_article(path: Path, root: Path | None, body: Body, index: int, settings: Settings,
                 path_outlets: dict[Path, str]) -> FileArticle:
    """Layer file metadata (explicit > config > document > text > file name) over ``body``: its article."""
    source = str(path) if index == 0 else f"{path}#{index}"
    explicit = Meta().fill(body.explicit).fill(sidecar_meta(path)).fill(folder_meta(path))
    merged = Meta().fill(explicit).fill(body.meta)
    # What the article's own metadata or the user states is kept as written; what is inferred is checked.
    merged.outlet = (explicit.outlet or configured_outlet(path, root, path_outlets)
                     or (body.meta.outlet if body.explicit.outlet else outlet_name(body.meta.outlet))
                     or outlet_name(body.text_outlet) or readable_domain(merged.url)
                     or outlet_from_file_name(path) or outlet_from_credit(body.paragraphs))
    identity = canonical_url(merged.url) if merged.url else (path.name if index == 0 else f"{path.name}#{index}")
    article, cuts = capped_article(body.paragraphs, merged, settings, identity=identity, path=str(path))
    # The article's URL is merged.url, whose canonical form is the identity already worked out.
    keys = None if article is None else (identity if article.url else None, content_hash(article.text))
    return FileArticle(source, article, tuple(cuts), keys)


def configured_outlet(path: Path, root: Path | None, path_outlets: dict[Path, str]) -> str | None:
    """The ``[sources] outlets`` entry (resolved paths in ``path_outlets``) for this file or the nearest
    configured folder holding it, up to ``root``."""
    if not path_outlets:
        return None
    current = _resolved(str(path))
    stop = _resolved(str(root)) if root else None
    while True:
        if current in path_outlets:
            return path_outlets[current]
        if current == stop or current.parent == current:
            return None
        current = current.parent


def capped_article(paragraphs: Sequence[str], meta: Meta, limits: Settings, *, identity: str,
                   path: str | None) -> tuple[Article | None, list[str]]:
    """``_make_article`` within the per-article caps of ``limits``, and what each cap that bit cut."""
    cuts = []
    paragraphs = [p for p in paragraphs if p and p.strip()]
    if len(paragraphs) > limits.max_paragraphs:
        cuts.append(f"{len(paragraphs)} paragraphs, kept the first {limits.max_paragraphs} (max_paragraphs)")
        paragraphs = paragraphs[: limits.max_paragraphs]
    long = sum(len(p) > limits.max_paragraph_chars for p in paragraphs)
    if long:
        cuts.append(f"{long} paragraph(s) longer than {limits.max_paragraph_chars} characters cut "
                    f"(max_paragraph_chars)")
        paragraphs = [p[: limits.max_paragraph_chars] for p in paragraphs]
    for name in ("title", "outlet", "author"):
        value = getattr(meta, name)
        if value:
            value = " ".join(strip_spoofing(value).split())
            if name == "title" and len(value) > limits.max_title_chars:
                cuts.append(f"title of {len(value)} characters cut to {limits.max_title_chars} (max_title_chars)")
                value = value[: limits.max_title_chars].rstrip() + "…"
            setattr(meta, name, value or None)
    return _make_article([restore_lost_marks(strip_spoofing(p)) for p in paragraphs], meta, identity=identity, path=path), cuts


def page_from_response(response: FetchResponse) -> Body:
    """Text and metadata of a fetched page (HTML or plain text); raises Skip with the reason otherwise."""
    kind = (response.content_type or "").split(";")[0].strip().lower()
    if kind and not ("html" in kind or "xml" in kind or kind == "text/plain"):
        raise Skip(f"not a web page (Content-Type {kind})")
    try:
        if kind == "text/plain":
            body = text_body(decode_bytes(response.content, source=response.url, declared=response.charset))
        else:
            declared = response.charset or declared_html_charset(response.content)
            html = decode_bytes(response.content, source=response.url, declared=declared)
            body = extract_html(html, url=response.url)
    except InputError as exc:
        raise Skip(exc.message) from None
    if not body.paragraphs:
        raise Skip("no article text found on the page")
    body.meta.url = body.meta.url or response.url
    return body


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
    import courlan  # imported when a URL is first normalised, not at start-up

    try:
        normalised = courlan.normalize_url(url, strict=True)
    except Exception:  # noqa: BLE001 - courlan raises assorted errors on odd input; keep the URL as given
        return url
    parts = urlsplit(normalised)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def article_keys(article: Article) -> tuple[str | None, str]:
    """What the reader tells duplicates by: the article's canonical URL (None without one) and ``content_hash``
    of its text."""
    return (canonical_url(article.url) if article.url else None), content_hash(article.text)


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


def _looks_like_page(response: FetchResponse) -> bool:
    """An HTML page where a feed was expected (a site's home page given as ``--feed``)."""
    head = response.content[:4096].lower()
    if b"<html" not in head and any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
        return False  # a feed, whatever Content-Type a misconfigured server gives it
    if is_opml(response.content) or _looks_like_feed(response):
        return False
    kind = (response.content_type or "").split(";")[0].strip().lower()
    return "html" in kind or b"<html" in head or b"<!doctype html" in head


def entry_outlet(entry: FeedEntry, feed: ParsedFeed, page: Body | None, source_feed: str | None) -> str | None:
    """The outlet that published a feed entry, by what the feed and the page say, best first.

    The entry's own ``<source>`` (an aggregator's credit); the page's site name; the feed's title
    only when the entry links to the feed's own site, since an aggregator's items come from many
    outlets; a site notice; the readable domain of the entry's link; and last the feed's title.
    """
    own_site = {readable_domain(u) for u in (feed.link, source_feed) if u and is_http_url(u)}
    same_site = not entry.url or readable_domain(entry.url) in own_site or not own_site
    for name, inferred in (
        (entry.source, False),
        (page.meta.outlet if page else None, True),
        (feed.title if same_site else None, True),
        (page.text_outlet if page else None, True),
    ):
        if outlet_name(name, inferred=inferred):
            return outlet_name(name, inferred=inferred)
    return (readable_domain(entry.url) or readable_domain(entry.source_url) or outlet_name(feed.title)
            or readable_domain(feed.link))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_path(text: str) -> str:
    """A path whose name is not UTF-8, with its odd bytes shown as ``\\xff``."""
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def _resolved(path: str) -> Path:
    try:
        return Path(path).expanduser().resolve()
    except OSError:
        return Path(os.path.abspath(path))
