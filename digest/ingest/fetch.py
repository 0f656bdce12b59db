"""Fetching pages and feeds over HTTP, politely and with an on-disk cache.

Only the URL asked for is requested (plus the redirects the server answers
with, up to a limit): nothing embedded in a page is ever followed. Every
request has connect/read timeouts, a whole-download deadline, a size cap and
an honest User-Agent. Transient failures are retried with backoff. Responses
are cached on disk with their ETag/Last-Modified, so a scheduled run asks
"changed since?" and an unchanged page costs a 304, not a download.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit

import httpx

from digest import __version__
from digest.errors import InputError, OutputError
from digest.fsutil import atomic_write_bytes
from digest.settings import Settings

# Says what is asking: the tool, its version and the HTTP library; no browser pretence.
USER_AGENT = f"newsdigest/{__version__} (news briefing generator; python-httpx/{httpx.__version__})"
MAX_REDIRECTS = 5
# Statuses worth asking again: the server says "not now", not "no".
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A read timeout applies per chunk; a server trickling bytes forever is cut by this whole-download budget.
TOTAL_TIMEOUT_FACTOR = 3.0
MAX_RETRY_AFTER = 30.0

Progress = Callable[[str], None]


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


def default_cache_dir(settings: Settings) -> Path:
    """Where HTTP responses are cached: ``<cache_dir>/http`` or ``<out_dir>/.cache/http``."""
    base = Path(settings.cache_dir) if settings.cache_dir else Path(settings.out_dir) / ".cache"
    return base / "http"


def is_http_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host."""
    parts = urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


class HttpCache:
    """One JSON metadata file plus one body file per URL, written atomically."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / f"{key}.json", self.folder / f"{key}.body"

    def load(self, url: str) -> tuple[dict, bytes] | None:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        if hashlib.sha256(body).hexdigest() != meta.get("sha256"):
            return None  # a half-written or tampered entry is a miss, not a wrong answer
        return meta, body

    def store(self, url: str, response: FetchResponse, validators: dict[str, str]) -> None:
        meta_path, body_path = self._paths(url)
        meta = {
            "url": url,
            "final_url": response.url,
            "status": response.status,
            "content_type": response.content_type,
            "validators": validators,
            "sha256": hashlib.sha256(response.content).hexdigest(),
            "stored_at": time.time(),
        }
        # Body first: a crash between the two writes leaves a body without metadata, i.e. a miss.
        atomic_write_bytes(body_path, response.content)
        atomic_write_bytes(meta_path, json.dumps(meta, sort_keys=True).encode("utf-8"))


class Fetcher:
    """A small HTTP client for article pages and feeds (thread-safe; use as a context manager).

    ``transport`` and ``sleep`` are injectable for tests; ``backoff`` is the first retry delay in seconds.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        cache_dir: Path | None = None,
        use_cache: bool = True,
        retries: int = 2,
        backoff: float = 1.0,
        progress: Progress | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self.retries = max(0, retries)
        self.backoff = backoff
        self.progress = progress
        self.sleep = sleep
        self.max_bytes = settings.fetch_max_bytes
        self.total_timeout = settings.fetch_timeout * TOTAL_TIMEOUT_FACTOR
        self.cache = HttpCache(cache_dir or default_cache_dir(settings)) if use_cache else None
        timeout = httpx.Timeout(
            connect=min(settings.fetch_timeout, 10.0),
            read=settings.fetch_timeout,
            write=settings.fetch_timeout,
            pool=settings.fetch_timeout,
        )
        self.client = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
            trust_env=False,  # proxies from the environment are not asked for
        )
        self._lock = threading.Lock()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def _say(self, message: str) -> None:
        if self.progress is not None:
            with self._lock:
                self.progress(message)

    def get(self, url: str, *, accept: str | None = None) -> FetchResponse:
        """Fetch ``url`` (cached, retried); raise FetchError with a one-line reason on failure."""
        if not is_http_url(url):
            raise FetchError("not an http(s) URL", path=url)
        cached = self.cache.load(url) if self.cache else None
        headers = {"Accept": accept} if accept else {}
        if cached:
            validators = cached[0].get("validators", {})
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                headers["If-Modified-Since"] = validators["last_modified"]
        attempt = 0
        while True:
            try:
                response, validators = self._request(url, headers)
            except _Retryable as exc:
                if attempt >= self.retries:
                    raise FetchError(exc.reason, path=url) from None
                delay = exc.retry_after if exc.retry_after is not None else self.backoff * (2**attempt)
                attempt += 1
                self._say(f"retrying {url} in {delay:.1f}s ({exc.reason})")
                self.sleep(delay)
                continue
            break
        if response.status == 304 and cached:
            meta, body = cached
            self._say(f"unchanged {url}")
            return FetchResponse(
                url=meta.get("final_url") or url,
                requested_url=url,
                status=200,
                content=body,
                content_type=meta.get("content_type"),
                from_cache=True,
            )
        if response.status >= 400 or response.status == 304:
            raise FetchError(f"HTTP {response.status}", path=url)
        if self.cache and validators:
            try:
                self.cache.store(url, response, validators)
            except (OutputError, OSError):
                pass  # a cache that cannot be written only costs a re-fetch next time
        self._say(f"fetched {url} ({len(response.content)} bytes)")
        return response

    def _request(self, url: str, headers: dict[str, str]) -> tuple[FetchResponse, dict[str, str]]:
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in RETRY_STATUSES:
                    raise _Retryable(f"HTTP {status}", _retry_after(response.headers.get("retry-after")))
                length = response.headers.get("content-length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise FetchError(f"response too large ({int(length)} bytes > {self.max_bytes})", path=url)
                chunks: list[bytes] = []
                size = 0
                if status < 300:
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise FetchError(f"response too large (more than {self.max_bytes} bytes)", path=url)
                        if time.monotonic() - started > self.total_timeout:
                            raise FetchError(f"timed out after {self.total_timeout:.0f}s (body too slow)", path=url)
                        chunks.append(chunk)
                validators = {}
                if response.headers.get("etag"):
                    validators["etag"] = response.headers["etag"]
                if response.headers.get("last-modified"):
                    validators["last_modified"] = response.headers["last-modified"]
                result = FetchResponse(
                    url=str(response.url),
                    requested_url=url,
                    status=status,
                    content=b"".join(chunks),
                    content_type=response.headers.get("content-type"),
                    headers={k: v for k, v in response.headers.items() if k in ("etag", "last-modified")},
                )
                return result, validators
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {MAX_REDIRECTS} redirects", path=url) from None
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
            raise _Retryable(_describe(exc)) from None
        except httpx.TimeoutException as exc:
            # A hung server is not retried: it would only multiply the wait.
            raise FetchError(f"timed out ({_describe(exc)})", path=url) from None
        except httpx.DecodingError as exc:
            raise FetchError(f"bad compressed body ({exc})", path=url) from None
        except httpx.HTTPError as exc:
            raise FetchError(_describe(exc), path=url) from None

    def get_many(self, urls: Iterable[str], *, accept: str | None = None) -> dict[str, FetchResponse | FetchError]:
        """Fetch several URLs with a small pool (``settings.fetch_workers``); failures are returned, not raised."""
        unique = list(dict.fromkeys(urls))
        results: dict[str, FetchResponse | FetchError] = {}

        def one(url: str) -> tuple[str, FetchResponse | FetchError]:
            try:
                return url, self.get(url, accept=accept)
            except FetchError as exc:
                return url, exc

        workers = max(1, min(self.settings.fetch_workers, len(unique) or 1))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
            for url, outcome in pool.map(one, unique):
                results[url] = outcome
        return results


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, min(when.timestamp() - time.time(), MAX_RETRY_AFTER))


def _describe(exc: Exception) -> str:
    name = type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{name}: {text}" if text else name
