"""What reading one source yields: its paragraphs and metadata, or the reason it yields none.

``Body`` is one document as paragraphs with its ``Meta``; a reader raises ``Skip`` when a
source cannot become an article, and the stage records a ``Skipped`` line for it. The
suffixes say which files are articles, and of which format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from digest.errors import InputError

TEXT_SUFFIXES = (".txt", ".text")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + JSON_SUFFIXES + JSONL_SUFFIXES + FEED_SUFFIXES


@dataclass(frozen=True, slots=True)
class Skipped:
    """A source that gave no article, and why (one line); ``origin`` is the input it came from
    (the folder, feed or URL the user named), so that an empty run can say why for each input."""

    source: str
    reason: str
    origin: str | None = None


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


class Skip(Exception):
    """A source cannot become an article; the message is the reason."""


# --- fetched documents (the HTTP side is digest.ingest.fetch, imported only when something is fetched)


def is_http_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    parts = urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


class FetchError(InputError):
    """A URL could not be fetched; the message is one line naming the URL and the cause."""


@dataclass(frozen=True, slots=True)
class FetchResponse:
    """A fetched document: final URL after redirects, body bytes and the headers that matter."""

    url: str
    requested_url: str
    status: int
    content: bytes
    content_type: str | None = None
    from_cache: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def charset(self) -> str | None:
        """The charset declared in the Content-Type header, if any."""
        return charset_from_content_type(self.content_type)


def charset_from_content_type(content_type: str | None) -> str | None:
    """``text/html; charset=ISO-8859-1`` -> ``ISO-8859-1``."""
    if not content_type:
        return None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
