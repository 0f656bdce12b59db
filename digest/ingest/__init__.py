"""Ingest stage: text, Markdown, JSON, HTML files, folders, feeds and URLs to ``Article``s.

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

For the CLI: ``--feed URL``, ``--opml FILE`` and ``--url URL`` add to ``settings.feeds``/``opml``/``urls``;
``--url-file PATH`` adds ``read_url_list(PATH)`` to ``settings.urls``; pass
``progress=`` to ``read_inputs`` to show what is being read and fetched.

The parts: ``reader`` walks the inputs and de-duplicates; ``files`` reads article files and
folders; ``pages`` extracts HTML; ``feeds`` parses RSS and Atom; ``fetch`` is the HTTP client;
``opml`` reads and writes subscription lists; ``metadata`` finds titles, dates and outlets;
``decode`` turns bytes into text; ``document`` holds what they pass between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from digest.errors import InputError
from digest.ingest.decode import binary_kind, decode_bytes
from digest.ingest.document import Body, Meta, Skipped, is_http_url
from digest.ingest.feeds import read_feed_document
from digest.ingest.files import markdown_body, split_paragraphs, text_body
from digest.ingest.opml import Subscription, opml_document, read_opml
from digest.ingest.metadata import (
    is_breadcrumb, meta_from_mapping, normalise_date, outlet_from_credit, outlet_from_file_name, outlet_from_text,
    split_front_matter, tidy_site_name,
)
from digest.ingest.pages import extract_html
from digest.ingest.reader import Progress, Reader, canonical_url, content_hash, page_from_response
from digest.models import Article
from digest.settings import Settings

if TYPE_CHECKING:  # the HTTP side is imported only when something is fetched
    from digest.ingest.fetch import Fetcher

__all__ = [
    "Body", "IngestResult", "Meta", "Skipped", "Subscription", "binary_kind", "canonical_url", "configured_feeds",
    "content_hash", "decode_bytes", "opml_document",
    "extract_html", "is_breadcrumb", "markdown_body", "meta_from_mapping", "normalise_date", "outlet_from_file_name",
    "outlet_from_credit", "outlet_from_text", "page_from_response", "read_feed_document", "read_inputs",
    "read_url_list",
    "why_nothing_read",
    "split_front_matter", "split_paragraphs", "text_body", "tidy_site_name",
]


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Articles read, in input order, and the sources that were skipped."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...] = ()
    capped: tuple[Skipped, ...] = ()  # articles kept but cut by a per-article cap, with what was cut


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
    reader = Reader(settings, progress, fetcher)
    try:
        for name in inputs:
            if not is_http_url(name):
                reader.origin = name
                reader.read_input(name)
        for feed in configured_feeds(settings):
            reader.origin = feed.url
            reader.read_feed_source(feed.url)
        # URLs named as inputs and configured URLs are fetched together, in parallel.
        reader.read_urls([*(n for n in inputs if is_http_url(n)), *settings.urls])
        reader.fetch_pending_entries()
        reader.name_unnamed_sources()
    finally:
        reader.close()
    return IngestResult(tuple(reader.articles), tuple(reader.skipped),
                        tuple(Skipped(source, reason) for source, reason in reader.capped))


def configured_feeds(settings: Settings) -> tuple[Subscription, ...]:
    """The feeds to read: ``settings.feeds``, then those of each ``settings.opml`` list, each once.

    A feed's title is the ``[sources] outlets`` name of it, else the name its OPML list gives it.
    Raises InputError naming an OPML file that is missing or lists no feeds.
    """
    found: dict[str, Subscription] = {}
    for feed in settings.feeds:
        found.setdefault(feed, Subscription(feed, settings.outlets.get(feed)))
    for path in settings.opml:
        for feed in read_opml(path, settings.max_file_bytes):
            found.setdefault(feed.url, Subscription(feed.url, settings.outlets.get(feed.url) or feed.title))
    return tuple(found.values())


def why_nothing_read(inputs: Sequence[str], settings: Settings, skipped: Sequence[Skipped],
                     shown: int = 3) -> tuple[str, ...]:
    """One line per input saying why it gave no article, for a run that found nothing to brief.

    Each input the user named (file, folder, feed, URL, and each feed of an OPML list) gets its
    skip reasons, the most frequent first with their counts; one that was read and held nothing
    says so. No I/O: the reasons are the ``Skipped`` records of the read.
    """
    by_origin: dict[str, list[Skipped]] = {}
    for item in skipped:
        by_origin.setdefault(item.origin or item.source, []).append(item)
    named = list(dict.fromkeys([*inputs, *settings.feeds, *settings.urls, *by_origin]))
    if not named:
        return ("no inputs: name files, folders, --feed, --opml or --url, or set [sources] in digest.toml",)
    lines = []
    for name in named:
        items = by_origin.get(name, [])
        if not items:
            what = "a folder with no article files in it" if Path(name).is_dir() else "read, but it held no article"
            lines.append(f"{name}: {what}")
            continue
        if len(items) == 1:
            where = "" if items[0].source == name else f"{items[0].source}: "
            lines.append(f"{name}: {where}{items[0].reason}")
            continue
        counts: dict[str, int] = {}
        for item in items:
            counts[item.reason] = counts.get(item.reason, 0) + 1
        ranked = sorted(counts.items(), key=lambda pair: -pair[1])
        reasons = "; ".join(f"{reason} ({count})" for reason, count in ranked[:shown])
        more = f"; {len(ranked) - shown} other reasons" if len(ranked) > shown else ""
        lines.append(f"{name}: {len(items)} skipped: {reasons}{more}")
    return tuple(lines)


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
