"""Loopback servers for the network attacks of the bad-input corpus.

``hostile`` (on 127.0.0.1, which a case's config allows) serves hostile feeds, redirects and a
server that trickles its headers; ``secret`` (on 127.0.0.2, which no case allows) stands for an
internal service: every request it receives is a request the outbound policy should have refused.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET_TEXT = "TOP-SECRET internal admin token 4242"
_servers: dict[str, str] = {}
secret_hits: list[str] = []


class _Secret(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        secret_hits.append(self.path)
        body = ("<html><body><article>" + f"<p>{SECRET_TEXT}, do not publish this anywhere at all. </p>" * 6
                + "</article></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Teaser {i}</title><link>{link}</link><description>Officials said more "
                    f"would follow… read more</description></item>" for i, link in enumerate(links))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile Wire</title>{items}'
            f"</channel></rss>").encode()


class _Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/trickle":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            try:
                for _ in range(200):  # 200 s of headers at one byte a second
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
            return
        status, headers, body = 404, {}, b"not found"
        if self.path == "/evil.xml":
            status, headers, body = 200, {"Content-Type": "application/rss+xml"}, _rss(internal_links())
        elif self.path == "/to-secret":
            status, headers, body = 302, {"Location": "/hop"}, b""
        elif self.path == "/hop":
            status, headers, body = 302, {"Location": f"{secret()}/admin"}, b""
        elif self.path == "/to-metadata":
            status, headers, body = 302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _start(name: str, host: str, handler: type) -> str:
    if name not in _servers:
        httpd = ThreadingHTTPServer((host, 0), handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        _servers[name] = f"http://{host}:{httpd.server_address[1]}"
    return _servers[name]


def secret() -> str:
    """The base URL of the internal service (127.0.0.2)."""
    return _start("secret", "127.0.0.2", _Secret)


def hostile() -> str:
    """The base URL of the hostile server (127.0.0.1)."""
    return _start("hostile", "127.0.0.1", _Hostile)


def internal_links() -> list[str]:
    """Links a hostile feed points at: the internal service by address and by name, IPv6 loopback, metadata."""
    port = secret().rsplit(":", 1)[1]
    return [f"{secret()}/admin", f"http://localhost:{port}/admin", f"http://[::1]:{port}/admin",
            "http://169.254.169.254/latest/meta-data/"]


def rss_linking_internal() -> bytes:
    """A feed whose teasers link to internal addresses."""
    return _rss(internal_links())
