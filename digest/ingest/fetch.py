"""Fetching pages and feeds over HTTP, politely and with an on-disk cache.

Only the URL asked for is requested (plus the redirects the server answers
with, up to a limit): nothing embedded in a page is ever followed. Every
request has connect/read timeouts, one deadline for the whole exchange
(connect, headers and body), a size cap and an honest User-Agent. Transient
failures are retried with backoff. Responses are cached on disk with their
ETag/Last-Modified, so a scheduled run asks "changed since?" and an unchanged
page costs a 304, not a download.

Outbound policy (OWASP's SSRF advice, as Miniflux does it): a feed or page is
untrusted, so every hop of every redirect is checked, and the check is made on
the address actually connected to. The name is resolved, each address is
refused when it is loopback, private, link-local (cloud metadata), multicast
or otherwise not public, and the socket is opened to an address that passed,
never to the name again (no DNS-rebinding window). ``[fetch] allow_hosts``
lists host names, addresses or networks (CIDR) that may be reached anyway.
Proxies from ``HTTP(S)_PROXY`` are honoured; through a proxy the target name is
resolved here and checked the same way before the proxy is asked.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

from digest import __version__
from digest.errors import ConfigError, OutputError
# Defined with the documents (importing them costs no HTTP library); importable from here as before.
from digest.ingest.document import FetchError, FetchResponse, charset_from_content_type, is_http_url  # noqa: F401
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
# Cloud metadata services answer on these; named in the refusal so the user sees what was tried.
METADATA_ADDRESSES = frozenset({"169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254"})
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """A request would reach an address the outbound policy refuses (raised inside httpx, caught by Fetcher)."""


def non_public_kind(address: IpAddress) -> str | None:
    """Why ``address`` is not a public internet address ("loopback", "private", ...), or None if it is."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if str(address) in METADATA_ADDRESSES:
        return "cloud metadata"
    for kind in ("loopback", "link_local", "multicast", "unspecified", "private", "reserved"):
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    if not address.is_global:
        return "non-public"
    return None


class OutboundPolicy:
    """Which addresses a fetch may connect to: public ones, plus the hosts and networks of ``allow_hosts``."""

    def __init__(self, allow_hosts: Iterable[str] = ()):
        self.names: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allow_hosts:
            text = entry.strip().lower().strip("[]")
            if not text:
                continue
            try:
                self.networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                if "/" in text or ":" in text or any(c.isspace() for c in text):
                    raise ConfigError(f"[fetch] allow_hosts: {entry!r} is neither a host name nor a network like "
                                      f"\"127.0.0.0/8\"") from None
                self.names.add(text.rstrip("."))

    def name_allowed(self, host: str) -> bool:
        """True when the host name itself is listed in ``allow_hosts``."""
        return host.lower().strip("[]").rstrip(".") in self.names

    def refusal(self, address: IpAddress) -> str | None:
        """Why connecting to ``address`` is refused, or None when it is allowed."""
        if any(address in network for network in self.networks):
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            if any(address.ipv4_mapped in network for network in self.networks):
                return None
        return non_public_kind(address)

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` that may be connected to, in resolver order; AddressRefused if none."""
        host = host.strip("[]")
        literal = _ip_or_none(host)
        if literal is not None:
            kind = self.refusal(literal)
            if kind:
                raise AddressRefused(_refused_message(host, str(literal), kind))
            return [str(literal)]
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
        allowed: list[str] = []
        refused: tuple[str, str] | None = None
        for info in infos:
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            kind = self.refusal(address)
            if kind:
                refused = refused or (str(address), kind)
            elif str(address) not in allowed:
                allowed.append(str(address))
        if not allowed:
            if refused is None:
                raise httpcore.ConnectError(f"{host} has no address")
            raise AddressRefused(_refused_message(host, *refused))
        return allowed

    def check_url_host(self, host: str, *, resolve: bool) -> None:
        """Refuse a hop before it is sent: a listed name passes; an address literal (or, with ``resolve``,
        every address of the name) must be allowed."""
        if self.name_allowed(host):
            return
        literal = _ip_or_none(host.strip("[]"))
        if literal is not None:
            kind = self.refusal(literal)
            if kind:
                raise AddressRefused(_refused_message(host, str(literal), kind))
            return
        if host.lower().rstrip(".") == "localhost" or host.lower().endswith(".localhost"):
            raise AddressRefused(_refused_message(host, "localhost", "loopback"))
        if resolve:
            try:
                infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError) as exc:
                raise AddressRefused(f"cannot resolve {host} to check it before asking the proxy ({exc}); "
                                     f"list it in [fetch] allow_hosts to fetch it") from None
            for info in infos:
                address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
                kind = self.refusal(address)
                if kind:
                    raise AddressRefused(_refused_message(host, str(address), kind))


def _ip_or_none(text: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None


def _refused_message(host: str, address: str, kind: str) -> str:
    where = host if host == address else f"{host} ({address})"
    return (f"refused to fetch {where}: a {kind} address; "
            f"list it in [fetch] allow_hosts to allow it")


# The deadline of the exchange under way in this thread (time.monotonic()), read by every socket operation.
_deadline = threading.local()


def _remaining(timeout: float | None) -> float | None:
    """``timeout`` cut to what is left of this thread's deadline; ReadTimeout once it has passed."""
    until = getattr(_deadline, "until", None)
    if until is None:
        return timeout
    left = until - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout(f"the whole exchange took more than {_deadline.total:.0f}s")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write stops at the exchange's deadline.

    A per-read timeout alone lets a server trickle headers at one byte a second for ever.
    """

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):  # type: ignore[no-untyped-def]
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _remaining(timeout)))

    def get_extra_info(self, info: str):  # type: ignore[no-untyped-def]
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with the outbound policy: resolve, check, then connect to the checked address.

    TLS still verifies the certificate against the host name: httpcore passes the origin's
    name to ``start_tls``, whatever address the socket was opened to. With ``policy=None``
    (the connection to a configured proxy) only the deadline applies.
    """

    def __init__(self, policy: OutboundPolicy | None):
        self.policy = policy
        self._inner = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        candidates = [host] if self.policy is None or self.policy.name_allowed(host) else \
            self.policy.addresses(host, port)
        error: Exception | None = None
        for address in candidates:
            try:
                stream = self._inner.connect_tcp(address, port, timeout=_remaining(timeout),
                                                 local_address=local_address, socket_options=socket_options)
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return _DeadlineStream(stream)
        raise error or httpcore.ConnectError(f"cannot connect to {host}")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        raise AddressRefused("refused to connect to a Unix socket")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _set_backend(transport: httpx.BaseTransport, backend: httpcore.NetworkBackend) -> bool:
    """Make ``transport``'s new connections go through ``backend``; False if it is not an httpx.HTTPTransport."""
    pool = getattr(transport, "_pool", None)
    if not isinstance(transport, httpx.HTTPTransport) or not hasattr(pool, "_network_backend"):
        return False
    # httpx has no public way to pass a network backend; its pool reads this attribute per new connection.
    pool._network_backend = backend  # noqa: SLF001
    return True


def default_cache_dir(settings: Settings) -> Path:
    """Where HTTP responses are cached: ``<cache_dir>/http`` or ``<out_dir>/.cache/http``."""
    base = Path(settings.cache_dir) if settings.cache_dir else Path(settings.out_dir) / ".cache"
    return base / "http"


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

    def prune(self, max_bytes: int) -> int:
        """Delete the least recently stored entries until the cache holds at most ``max_bytes``; return how many."""
        entries: dict[str, list] = {}
        try:
            files = list(self.folder.iterdir())
        except OSError:
            return 0
        for path in files:
            if path.suffix not in (".json", ".body"):
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            entry = entries.setdefault(path.stem, [0.0, 0, []])
            entry[0] = max(entry[0], stat.st_mtime)
            entry[1] += stat.st_size
            entry[2].append(path)
        total = sum(e[1] for e in entries.values())
        removed = 0
        for _stamp, size, paths in sorted(entries.values(), key=lambda e: e[0]):
            if total <= max_bytes:
                break
            for path in sorted(paths, key=lambda p: p.suffix != ".json"):  # metadata first: never a stale hit
                try:
                    path.unlink()
                except OSError:
                    pass
            total -= size
            removed += 1
        return removed


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
        self.policy = OutboundPolicy(settings.allow_hosts)
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
            transport=transport,  # a test's own transport; otherwise httpx builds one, and the proxies
            trust_env=True,  # of HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY, as the user set them
            event_hooks={"request": [self._check_hop]},
        )
        if transport is None and not _set_backend(self.client._transport, GuardedBackend(self.policy)):  # noqa: SLF001
            raise RuntimeError("httpx changed: cannot install the outbound address check")
        self._proxied = False
        for mounted in self.client._mounts.values():  # noqa: SLF001 - the proxies httpx built from the environment
            if mounted is not None:
                # The proxy itself is the user's choice: no address check on it, but the same deadline.
                _set_backend(mounted, GuardedBackend(None))
                self._proxied = True
        self._lock = threading.Lock()

    def _check_hop(self, request: httpx.Request) -> None:
        """Run before every request, redirects included: refuse a hop to an address the policy refuses.

        Direct connections are checked again on the address connected to (``GuardedBackend``);
        a hop sent through a proxy is only checked here, so its name is resolved and checked now.
        """
        if request.url.scheme not in ("http", "https"):
            raise AddressRefused(f"refused to follow a redirect to a {request.url.scheme}: URL")
        via_proxy = self._proxied and self.client._transport_for_url(request.url) is not self.client._transport  # noqa: SLF001
        self.policy.check_url_host(request.url.host, resolve=via_proxy)

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()
        if self.cache is not None:
            self.cache.prune(self.settings.cache_max_bytes)  # once a run, not per store: one listing

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
        _deadline.until, _deadline.total = started + self.total_timeout, self.total_timeout
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
        except AddressRefused as exc:
            raise FetchError(str(exc), path=url) from None
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
        finally:
            _deadline.until = None

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
