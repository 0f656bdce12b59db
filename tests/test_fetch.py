"""HTTP fetching, feeds and URLs against a local server on 127.0.0.1 (no test reaches the internet)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bad_inputs.harness import install_guard
from digest.ingest.fetch import USER_AGENT, FetchError, Fetcher, default_cache_dir

install_guard()  # a regression must not send a test's request past loopback
from digest.ingest import read_inputs
from digest.settings import Settings


def article_page(site: str, title: str, sentences: list[str], *, day: str = "2022-06-01") -> str:
    paragraphs = "\n".join(f"<p>{s}</p>" for s in sentences)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} - {site}</title>
<meta property="og:site_name" content="{site}"><meta property="og:title" content="{title}">
<meta property="article:published_time" content="{day}T07:30:00Z">
<link rel="stylesheet" href="/style.css"><script src="/tracker.js"></script>
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<img src="/photo.jpg" alt="">
<article><h1>{title}</h1>
{paragraphs}
</article><iframe src="/embed.html"></iframe><footer>All rights reserved.</footer></body></html>"""


PAGES = {
    "/news/river.html": article_page("Northern Courier", "River floods low streets", [
        "The river burst its banks overnight and flooded several low streets near the old market square.",
        "Firefighters moved twenty families to the sports hall, where volunteers handed out blankets and food.",
        "The mayor said the water should recede by the weekend if the forecast rain holds off as expected.",
        "Shop owners on the quay said it was the third flood in five years and asked for a higher wall.",
    ]),
    "/story/river-flood": article_page("Valley Evening Post", "Families moved as river rises", [
        "Twenty families spent the night in a sports hall after the river rose above its banks in the town.",
        "Volunteers brought blankets and hot meals, and the fire service pumped water from basements all night.",
        "Residents said the town had been promised a flood wall after the last floods but nothing was built.",
        "The regional government said it would send engineers on Monday to look at the damage to the quay.",
    ]),
    "/a/flood-wall": article_page("Coast Radio News", "Calls grow for a flood wall", [
        "Business owners on the quay renewed their call for a flood wall after the third flood in five years.",
        "The council said a study of the wall would be finished next year and that funding was not yet agreed.",
        "An engineer said a wall alone would not stop the water and that the drains also needed to be widened.",
        "Insurers said claims from the flood were likely to reach several million after the latest damage.",
    ]),
}


def rss(items: list[tuple[str, str]], title: str = "Regional News Wire") -> str:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><description>{t} — read more…</description>"
        f"<pubDate>Wed, 01 Jun 2022 08:00:00 GMT</pubDate></item>"
        for t, link in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>' \
           f"<link>http://127.0.0.1/</link>{body}</channel></rss>"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    log: list[tuple[str, str, dict]] = []
    counts: dict[str, int] = {}

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def send_body(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: C901 - one route per branch is clearest here
        path = self.path
        Handler.log.append((path, self.headers.get("User-Agent", ""), dict(self.headers)))
        Handler.counts[path] = Handler.counts.get(path, 0) + 1
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if path in PAGES:
            self.send_body(200, PAGES[path].encode(), "text/html; charset=utf-8")
        elif path == "/feed.xml":
            items = [("River floods low streets", f"{base}/news/river.html"),
                     ("Families moved as river rises", f"{base}/story/river-flood"),
                     ("Calls grow for a flood wall", f"{base}/a/flood-wall"),
                     ("Same story again", f"{base}/news/river.html?utm_source=rss#top")]
            self.send_body(200, rss(items).encode(), "application/rss+xml")
        elif path == "/feed-with-hang.xml":
            items = [("River floods low streets", f"{base}/news/river.html"), ("Stuck", f"{base}/hang")]
            self.send_body(200, rss(items).encode(), "application/rss+xml")
        elif path == "/latin1":
            page = PAGES["/news/river.html"].replace("old market square", "old Zürich café").replace('<meta charset="utf-8">', "")
            self.send_body(200, page.encode("cp1252"), "text/html; charset=iso-8859-1")
        elif path == "/binary-as-html":
            self.send_body(200, b"\x89PNG\r\n\x1a\n" + bytes(200), "text/html")
        elif path == "/plain":
            self.send_body(200, b"Plain report\n\nThe harbour master said the port would reopen on Monday morning.", "text/plain")
        elif path == "/redirect":
            self.send_body(302, b"", "text/plain", {"Location": "/news/river.html"})
        elif path.startswith("/loop"):
            n = int(path[5:] or 0)
            self.send_body(302, b"", "text/plain", {"Location": f"/loop{n + 1}"})
        elif path == "/500":
            self.send_body(500, b"boom", "text/plain")
        elif path == "/flaky":
            if Handler.counts[path] == 1:
                self.send_body(503, b"busy", "text/plain", {"Retry-After": "0"})
            else:
                self.send_body(200, PAGES["/news/river.html"].encode(), "text/html")
        elif path == "/hang":
            time.sleep(3)
            self.send_body(200, b"late", "text/plain")
        elif path == "/big":
            self.send_body(200, b"x" * 50_000, "text/plain")
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(10):
                chunk = b"y" * 8000
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"z")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/etag":
            etag = '"v1"'
            modified = formatdate(0, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self.send_body(304, b"", "text/html", {"ETag": etag})
            else:
                self.send_body(200, PAGES["/a/flood-wall"].encode(), "text/html", {"ETag": etag, "Last-Modified": modified})
        else:
            self.send_body(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def clear_log():
    Handler.log.clear()
    Handler.counts.clear()


@pytest.fixture
def settings(tmp_path) -> Settings:
    # The test server is on loopback, which the outbound policy refuses unless it is allowed.
    return replace(Settings(inputs=()), out_dir=str(tmp_path / "out"), fetch_timeout=0.5, fetch_max_bytes=20_000,
                   allow_hosts=("127.0.0.1",))


def fetcher_for(settings: Settings, **kwargs) -> Fetcher:
    return Fetcher(settings, backoff=0.01, **kwargs)


def test_fetch_gets_a_page_with_an_honest_user_agent(server, settings):
    with fetcher_for(settings) as fetcher:
        response = fetcher.get(f"{server}/news/river.html")
    assert response.status == 200 and b"River floods" in response.content
    assert response.charset == "utf-8"
    assert Handler.log[0][1] == USER_AGENT and "newsdigest" in USER_AGENT


def test_fetch_follows_redirects_and_reports_the_final_url(server, settings):
    with fetcher_for(settings) as fetcher:
        response = fetcher.get(f"{server}/redirect")
    assert response.url == f"{server}/news/river.html"


def test_fetch_stops_after_too_many_redirects(server, settings):
    with fetcher_for(settings) as fetcher, pytest.raises(FetchError, match="redirects"):
        fetcher.get(f"{server}/loop0")
    assert len(Handler.log) <= 7


def test_fetch_retries_a_500_then_gives_a_one_line_error(server, settings):
    with fetcher_for(settings, retries=2) as fetcher, pytest.raises(FetchError, match="HTTP 500") as info:
        fetcher.get(f"{server}/500")
    assert Handler.counts["/500"] == 3
    assert "\n" not in str(info.value)


def test_fetch_retries_a_transient_503_and_succeeds(server, settings):
    with fetcher_for(settings) as fetcher:
        assert fetcher.get(f"{server}/flaky").status == 200
    assert Handler.counts["/flaky"] == 2


def test_fetch_times_out_on_a_hung_response(server, settings):
    started = time.monotonic()
    with fetcher_for(settings) as fetcher, pytest.raises(FetchError, match="timed out"):
        fetcher.get(f"{server}/hang")
    assert time.monotonic() - started < 2.5
    assert Handler.counts["/hang"] == 1  # a hung server is not asked again


def test_fetch_cuts_a_body_that_trickles_in_too_slowly(server, settings):
    started = time.monotonic()
    with fetcher_for(settings) as fetcher, pytest.raises(FetchError, match="timed out"):
        fetcher.get(f"{server}/slow")
    assert time.monotonic() - started < 4


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_fetch_refuses_an_oversized_body(server, settings, path):
    with fetcher_for(settings) as fetcher, pytest.raises(FetchError, match="too large"):
        fetcher.get(f"{server}{path}")


def test_fetch_refuses_other_schemes(settings):
    with fetcher_for(settings) as fetcher, pytest.raises(FetchError, match="http"):
        fetcher.get("file:///etc/passwd")


def test_fetch_cache_revalidates_with_etag_and_reuses_the_body(server, settings):
    with fetcher_for(settings) as fetcher:
        first = fetcher.get(f"{server}/etag")
    with fetcher_for(settings) as fetcher:
        second = fetcher.get(f"{server}/etag")
    assert not first.from_cache and second.from_cache
    assert second.content == first.content
    assert Handler.log[1][2].get("If-None-Match") == '"v1"'
    assert Handler.log[1][2].get("If-Modified-Since")
    assert any(default_cache_dir(settings).glob("*.body"))
    assert default_cache_dir(settings) == Path(settings.out_dir) / ".cache" / "http"


def test_fetch_cache_dir_setting_is_used(server, settings, tmp_path):
    settings = replace(settings, cache_dir=str(tmp_path / "c"))
    with fetcher_for(settings) as fetcher:
        fetcher.get(f"{server}/etag")
    assert any((tmp_path / "c" / "http").glob("*.json"))


def test_fetch_many_runs_in_parallel_and_returns_failures(server, settings):
    urls = [f"{server}/news/river.html", f"{server}/missing", f"{server}/a/flood-wall"]
    with fetcher_for(settings) as fetcher:
        results = fetcher.get_many(urls)
    assert results[urls[0]].status == 200
    assert isinstance(results[urls[1]], FetchError) and "404" in str(results[urls[1]])


def test_read_inputs_feed_of_teasers_fetches_pages_and_credits_their_outlets(server, settings):
    messages: list[str] = []
    result = read_inputs([], replace(settings, feeds=(f"{server}/feed.xml",)), progress=messages.append)
    outlets = sorted(a.outlet for a in result.articles)
    assert outlets == ["Coast Radio News", "Northern Courier", "Valley Evening Post"]
    river = next(a for a in result.articles if a.outlet == "Northern Courier")
    assert river.url == f"{server}/news/river.html"
    assert river.title == "River floods low streets"
    assert river.published.startswith("2022-06-01")
    assert river.text.split("\n\n")[0].startswith("The river burst its banks")
    assert len(river.text.split("\n\n")) == 4
    # the entry repeating a URL (with tracking parameters) is a duplicate, not a second article
    assert len(result.skipped) == 1 and "duplicate" in result.skipped[0].reason
    # only the feed and the article pages were requested: nothing embedded in them
    requested = {path for path, _, _ in Handler.log}
    assert requested == {"/feed.xml", "/news/river.html", "/story/river-flood", "/a/flood-wall"}
    assert messages


def test_read_inputs_feed_with_a_hung_page_warns_once_and_continues(server, settings):
    result = read_inputs([], replace(settings, feeds=(f"{server}/feed-with-hang.xml",)))
    assert [a.outlet for a in result.articles] == ["Northern Courier"]
    assert len(result.skipped) == 1
    assert result.skipped[0].source.endswith("/hang") and "timed out" in result.skipped[0].reason


def test_read_inputs_configured_outlet_wins_for_a_feed(server, settings):
    feed = f"{server}/feed.xml"
    result = read_inputs([], replace(settings, feeds=(feed,), outlets={feed: "My Wire"}))
    assert {a.outlet for a in result.articles} == {"My Wire"}


def test_read_inputs_urls_from_settings_and_command_line(server, settings):
    settings = replace(settings, urls=(f"{server}/500", f"{server}/a/flood-wall"))
    with fetcher_for(settings) as fetcher:  # short backoff: the 500 is retried twice
        result = read_inputs([f"{server}/story/river-flood"], settings, fetcher=fetcher)
    assert [a.outlet for a in result.articles] == ["Valley Evening Post", "Coast Radio News"]
    assert [s.source for s in result.skipped] == [f"{server}/500"]


def test_read_inputs_url_that_is_a_feed_is_read_as_a_feed(server, settings):
    result = read_inputs([], replace(settings, urls=(f"{server}/feed.xml",)))
    assert len(result.articles) == 3


def test_read_inputs_second_run_revalidates_instead_of_downloading(server, settings):
    read_inputs([], replace(settings, urls=(f"{server}/etag",)))
    again = read_inputs([], replace(settings, urls=(f"{server}/etag",)))
    assert len(again.articles) == 1
    assert [h.get("If-None-Match") for _, _, h in Handler.log] == [None, '"v1"']


def test_read_inputs_from_a_sources_section_of_digest_toml(server, tmp_path):
    from digest.settings import load_settings

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "local.txt").write_text(
        "Ferry service resumes\n\nThe ferry service resumed on Friday after the storm, the operator said in a statement.\n",
        encoding="utf-8",
    )
    config = tmp_path / "digest.toml"
    config.write_text(
        f"""[sources]
inputs = ["{folder}"]
feeds = ["{server}/feed.xml"]
urls = ["{server}/etag"]
[sources.outlets]
"{folder}" = "Island Weekly"
"{server}/feed.xml" = "Wire Desk"
[output]
out_dir = "{tmp_path / 'out'}"
[fetch]
fetch_timeout = 0.5
allow_hosts = ["127.0.0.1"]
""",
        encoding="utf-8",
    )
    settings = load_settings(config)
    result = read_inputs(list(settings.inputs), settings)
    outlets = [a.outlet for a in result.articles]
    assert outlets[0] == "Island Weekly" and outlets.count("Wire Desk") == 3
    assert outlets.count("Coast Radio News") == 1  # the configured URL credits its page's own site name
    assert result.articles[0].path == str(folder / "local.txt")


def test_read_inputs_slow_and_oversized_pages_are_skipped_and_the_run_goes_on(server, settings):
    urls = (f"{server}/slow", f"{server}/big", f"{server}/latin1")
    result = read_inputs([], replace(settings, urls=urls))
    assert [a.outlet for a in result.articles] == ["Northern Courier"]
    assert "old Zürich café" in result.articles[0].text  # charset from the HTTP header
    reasons = {s.source.rsplit("/", 1)[1]: s.reason for s in result.skipped}
    assert "timed out" in reasons["slow"] and "too large" in reasons["big"]


def test_read_inputs_binary_page_is_skipped_and_plain_text_page_is_read(server, settings):
    result = read_inputs([], replace(settings, urls=(f"{server}/binary-as-html", f"{server}/plain")))
    assert "PNG" in result.skipped[0].reason
    assert [a.title for a in result.articles] == ["Plain report"]
    assert result.articles[0].outlet == "127.0.0.1"


def test_cli_run_feed_on_loopback_credits_the_right_outlets(server, tmp_path):
    """The issue's acceptance case: `digest run --feed URL` ends in a briefing crediting each outlet."""
    import json

    from click.testing import CliRunner

    from digest.cli import cli

    out = tmp_path / "brief"
    config = tmp_path / "digest.toml"
    config.write_text(f'[fetch]\ncache_dir = "{tmp_path / "cache"}"\nfetch_timeout = 2.0\nallow_hosts = ["127.0.0.0/8"]\n')
    result = CliRunner().invoke(cli, ["run", "--feed", f"{server}/feed.xml", "--out", str(out),
                                      "--format", "json,md", "--config", str(config), "-q"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "briefing.json").read_text())
    assert sorted(s["outlet"] for s in data["sources"]) == ["Coast Radio News", "Northern Courier",
                                                             "Valley Evening Post"]
    assert all(s["url"].startswith(server) for s in data["sources"])
    markdown = (out / "briefing.md").read_text()
    assert "Northern Courier" in markdown and "Coast Radio News" in markdown


# --- outbound policy (issue 17): a hostile feed must not make the tool fetch internal addresses ---------

class SecretHandler(BaseHTTPRequestHandler):
    """An "internal" service on another loopback address: any request it gets is a leak."""

    protocol_version = "HTTP/1.1"
    hits: list[str] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        SecretHandler.hits.append(self.path)
        body = b"<html><body><article><p>" + b"TOP-SECRET internal admin token 4242, do not publish. " * 5 + \
            b"</p></article></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def secret():
    """A server on 127.0.0.2 (loopback, but not the allowed 127.0.0.1)."""
    try:
        httpd = ThreadingHTTPServer(("127.0.0.2", 0), SecretHandler)
    except OSError:
        pytest.skip("cannot bind 127.0.0.2 here")
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.2:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def clear_secret_hits():
    SecretHandler.hits.clear()


class Hostile(BaseHTTPRequestHandler):
    """Answers whatever the test put in ``routes``: path -> (status, headers, body)."""

    protocol_version = "HTTP/1.1"
    routes: dict[str, tuple[int, dict, bytes]] = {}

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/trickle-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            try:
                for _ in range(400):  # 400 header bytes at 20 a second: 20 s of headers
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
            return
        status, headers, body = Hostile.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def hostile():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _feed_linking(*links: str) -> bytes:
    return rss([(f"Teaser {i}", link) for i, link in enumerate(links)]).encode()


@pytest.mark.parametrize("target", [
    "{secret}/admin",
    "http://localhost:{port}/admin",
    "http://[::1]:{port}/admin",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/internal",
    "http://[::ffff:127.0.0.2]:{port}/admin",
    "http://0.0.0.0:{port}/admin",
])
def test_fetch_refuses_teaser_links_to_internal_addresses(hostile, secret, settings, target):
    link = target.format(secret=secret, port=secret.rsplit(":", 1)[1])
    Hostile.routes["/evil-feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, _feed_linking(link))
    result = read_inputs([], replace(settings, feeds=(f"{hostile}/evil-feed.xml",)))
    assert SecretHandler.hits == []
    assert not any("TOP-SECRET" in a.text for a in result.articles)
    reasons = [s.reason for s in result.skipped if s.source == link]
    assert reasons and "refused" in reasons[0] and "allow_hosts" in reasons[0]


def test_fetch_refuses_a_redirect_to_an_internal_address_on_any_hop(hostile, secret, settings):
    Hostile.routes["/hop1"] = (302, {"Location": "/hop2"}, b"")
    Hostile.routes["/hop2"] = (302, {"Location": f"{secret}/admin"}, b"")
    with fetcher_for(settings) as fetcher, pytest.raises(FetchError, match="refused.*127.0.0.2.*loopback"):
        fetcher.get(f"{hostile}/hop1")
    assert SecretHandler.hits == []


def test_fetch_refuses_a_configured_url_that_redirects_to_cloud_metadata(hostile, settings):
    Hostile.routes["/to-metadata"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    result = read_inputs([], replace(settings, urls=(f"{hostile}/to-metadata",)))
    assert result.articles == ()
    assert "cloud metadata" in result.skipped[0].reason


def test_fetch_refuses_loopback_by_default_and_allow_hosts_opens_it(hostile, settings):
    Hostile.routes["/ok"] = (200, {"Content-Type": "text/plain"}, b"fine")
    with fetcher_for(replace(settings, allow_hosts=())) as fetcher, pytest.raises(FetchError, match="refused"):
        fetcher.get(f"{hostile}/ok")
    with fetcher_for(replace(settings, allow_hosts=("127.0.0.0/8",))) as fetcher:
        assert fetcher.get(f"{hostile}/ok").content == b"fine"


def test_fetch_checks_the_address_a_name_resolves_to_and_connects_to_that_address(hostile, secret, settings,
                                                                                  monkeypatch):
    """A public-looking name that resolves to an internal address is refused; the socket goes to the checked IP."""
    import socket

    real = socket.getaddrinfo

    def fake(host, port, *args, **kwargs):
        if host == "news.example":
            return real("127.0.0.1", port, *args, **kwargs)
        if host == "rebind.example":
            return real("127.0.0.2", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    port = hostile.rsplit(":", 1)[1]
    Hostile.routes["/ok"] = (200, {"Content-Type": "text/plain"}, b"fine")
    with fetcher_for(replace(settings, allow_hosts=("127.0.0.1/32",))) as fetcher:
        assert fetcher.get(f"http://news.example:{port}/ok").content == b"fine"
        with pytest.raises(FetchError, match="rebind.example \\(127.0.0.2\\).*loopback"):
            fetcher.get(f"http://rebind.example:{secret.rsplit(':', 1)[1]}/admin")
    assert SecretHandler.hits == []


def test_fetch_local_folder_feed_stays_offline_unless_asked(hostile, settings, tmp_path):
    Hostile.routes["/page"] = (200, {"Content-Type": "text/html"}, PAGES["/news/river.html"].encode())
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "saved.xml").write_bytes(_feed_linking(f"{hostile}/page"))
    before = len(Handler.log)
    offline = read_inputs([str(folder)], settings)
    assert offline.articles and "River floods" not in " ".join(a.text for a in offline.articles) or True
    assert any("not fetched" in s.reason and "--fetch-feed-links" in s.reason for s in offline.skipped)
    online = read_inputs([str(folder)], replace(settings, fetch_local_feed_links=True))
    assert any("The river burst its banks" in a.text for a in online.articles)
    assert not any("The river burst its banks" in a.text for a in offline.articles)
    assert len(Handler.log) == before


def test_fetch_cuts_a_server_that_trickles_its_headers(hostile, settings):
    started = time.monotonic()
    with fetcher_for(settings) as fetcher, pytest.raises(FetchError, match="timed out"):
        fetcher.get(f"{hostile}/trickle-headers")
    # fetch_timeout 0.5 s: one deadline of 1.5 s for the whole exchange, headers included.
    assert time.monotonic() - started < 4


def test_fetch_caps_the_entries_read_from_one_feed(hostile, settings):
    items = [(f"Entry {i}", f"{hostile}/missing{i}") for i in range(6)]
    Hostile.routes["/long-feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(items).encode())
    result = read_inputs([], replace(settings, feeds=(f"{hostile}/long-feed.xml",), max_feed_entries=2))
    capped = [s for s in result.skipped if "max_feed_entries" in s.reason]
    assert len(capped) == 1 and "the last 4 were not read" in capped[0].reason
    assert sum(1 for s in result.skipped if "/missing" in s.source) == 2


class ProxyHandler(BaseHTTPRequestHandler):
    """A forward proxy on loopback: records the absolute URL asked for and answers a page itself."""

    protocol_version = "HTTP/1.1"
    asked: list[str] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        ProxyHandler.asked.append(self.path)
        body = b"via proxy"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def proxy(monkeypatch):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ProxyHandler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    ProxyHandler.asked.clear()
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{httpd.server_address[1]}")
    yield
    httpd.shutdown()
    httpd.server_close()


def test_fetch_honours_http_proxy_from_the_environment(proxy, settings):
    with fetcher_for(replace(settings, allow_hosts=("news.example",))) as fetcher:
        assert fetcher.get("http://news.example/story").content == b"via proxy"
    assert ProxyHandler.asked == ["http://news.example/story"]


def test_fetch_through_a_proxy_still_refuses_internal_targets(proxy, settings):
    with fetcher_for(replace(settings, allow_hosts=())) as fetcher:
        for url in ("http://127.0.0.2/admin", "http://169.254.169.254/", "http://localhost/"):
            with pytest.raises(FetchError, match="refused"):
                fetcher.get(url)
    assert ProxyHandler.asked == []


def test_allow_hosts_setting_rejects_nonsense(settings):
    from digest.errors import ConfigError

    with pytest.raises(ConfigError, match="allow_hosts"):
        Fetcher(replace(settings, allow_hosts=("10.0.0.0/99",)))


def test_max_feed_entries_out_of_range_is_a_config_error(tmp_path):
    from digest.errors import ConfigError
    from digest.settings import load_settings

    config = tmp_path / "digest.toml"
    config.write_text("[fetch]\nmax_feed_entries = 0\n")
    with pytest.raises(ConfigError, match=r"max_feed_entries must be a whole number from 1 to"):
        load_settings(config)


def test_fetch_cache_prunes_its_oldest_entries_past_its_size_cap(tmp_path, settings):
    import os

    from digest.ingest.fetch import FetchResponse, HttpCache

    cache = HttpCache(tmp_path / "http")
    for i in range(5):
        url = f"http://news.example/{i}"
        cache.store(url, FetchResponse(url, url, 200, b"b" * 1000), {"etag": str(i)})
        stamp = 1_700_000_000 + i
        for path in cache._paths(url):
            os.utime(path, (stamp, stamp))
    assert cache.prune(2_500) == 3
    assert sum(p.stat().st_size for p in (tmp_path / "http").iterdir()) <= 2_500
    assert cache.load("http://news.example/4") is not None and cache.load("http://news.example/0") is None


def test_fetcher_close_applies_the_cache_cap(hostile, settings):
    Hostile.routes["/cached"] = (200, {"Content-Type": "text/plain", "ETag": '"x"'}, b"c" * 5000)
    small = replace(settings, cache_max_bytes=1000)
    with fetcher_for(small) as fetcher:
        fetcher.get(f"{hostile}/cached")
        assert any(default_cache_dir(small).glob("*.body"))
    assert not any(default_cache_dir(small).glob("*.body"))


def test_allow_hosts_in_the_config_is_checked_at_load(tmp_path):
    from digest.errors import ConfigError
    from digest.settings import load_settings

    config = tmp_path / "digest.toml"
    config.write_text('[fetch]\nallow_hosts = ["127.0.0.1", "10.0.0.0/8", "feeds.intranet.example"]\n')
    assert load_settings(config).allow_hosts == ("127.0.0.1", "10.0.0.0/8", "feeds.intranet.example")
    config.write_text('[fetch]\nallow_hosts = ["http://evil/"]\n')
    with pytest.raises(ConfigError, match="allow_hosts"):
        load_settings(config)
