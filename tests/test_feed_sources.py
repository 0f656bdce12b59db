"""Feed sources: OPML lists (--opml, [sources] opml, ``digest feeds export``), an OPML file given where
a feed or article was expected, and feed autodiscovery from a page URL given as --feed. No test goes
online: feeds are served by an httpx mock transport."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.errors import InputError
from digest.ingest import configured_feeds, read_inputs
from digest.ingest import reader as ingest_reader
from digest.ingest.fetch import Fetcher
from digest.ingest.opml import Subscription, is_opml, opml_document, parse_opml, read_opml
from digest.settings import Settings, load_settings

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by a feed reader -->
<opml version="2.0"><head><title>My feeds</title></head><body>
<outline text="News"><outline type="rss" text="Harbour Gazette" xmlUrl="https://gazette.example/rss.xml"/>
<outline type="rss" text="Hill Radio" title="Hill Radio" xmlUrl="https://radio.example/feed"/></outline>
<outline type="rss" text="Again" xmlUrl="https://gazette.example/rss.xml"/>
<outline type="link" text="Another list" url="https://lists.example/more.opml"/>
<outline type="rss" text="Not a web feed" xmlUrl="file:///etc/passwd"/>
</body></opml>
"""

WORDS = ("The harbour board approved the new ferry timetable after a long public meeting on Tuesday evening, "
         "and the first boats under it will sail from the north quay at six in the morning. ") * 6
FEED = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Gazette</title>
<link>https://gazette.example/</link><item><title>Ferry timetable approved</title>
<link>https://gazette.example/ferry</link><description>{WORDS}</description></item></channel></rss>"""


def mock_fetcher(pages: dict[str, str], asked: list[str]):
    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        body = pages.get(str(request.url))
        if body is None:
            return httpx.Response(404, text="no")
        return httpx.Response(200, text=body, headers={"content-type": "application/rss+xml; charset=utf-8"})

    return lambda settings, **kw: Fetcher(settings, transport=httpx.MockTransport(handle), use_cache=False, retries=0)


def test_opml_parse_keeps_http_feeds_once_in_order_and_follows_no_list() -> None:
    feeds = parse_opml(OPML, "subs.opml")
    assert feeds == (Subscription("https://gazette.example/rss.xml", "Harbour Gazette"),
                     Subscription("https://radio.example/feed", "Hill Radio"))


@pytest.mark.parametrize("data,message", [
    (b"<rss version='2.0'><channel></channel></rss>", "not an OPML subscription list"),
    (b"<opml version='2.0'><body><outline text='empty folder'/></body></opml>", "has no http(s) feed URLs"),
])
def test_opml_unusable_file_is_one_line_error_naming_it(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "subs.opml"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_opml(path, 1_000_000)
    assert str(err.value).startswith(f"{path}: ") and message in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(InputError, match="OPML file not found"):
        read_opml(tmp_path / "missing.opml", 1_000_000)


def test_opml_feeds_are_read_from_the_command_line_and_config(tmp_path: Path, monkeypatch) -> None:
    subs = tmp_path / "subs.opml"
    subs.write_bytes(OPML)
    asked: list[str] = []
    monkeypatch.setattr(ingest_reader, "Fetcher", mock_fetcher({"https://gazette.example/rss.xml": FEED}, asked))
    result = read_inputs([], replace(Settings(inputs=()), opml=(str(subs),)))
    assert [a.title for a in result.articles] == ["Ferry timetable approved"]
    assert asked == ["https://gazette.example/rss.xml", "https://radio.example/feed"]
    assert [s.source for s in result.skipped] == ["https://radio.example/feed"]
    config = tmp_path / "digest.toml"
    config.write_text(f'[sources]\nopml = "{subs}"\nfeeds = ["https://radio.example/feed"]\n')
    assert [f.url for f in configured_feeds(load_settings(config))] == [
        "https://radio.example/feed", "https://gazette.example/rss.xml"]


def test_opml_given_as_feed_or_input_or_url_says_what_it_is(tmp_path: Path, monkeypatch) -> None:
    subs = tmp_path / "subs.xml"
    subs.write_bytes(OPML)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "subs.opml").write_bytes(OPML)
    asked: list[str] = []
    monkeypatch.setattr(ingest_reader, "Fetcher", mock_fetcher({"https://lists.example/subs": OPML.decode()}, asked))
    result = read_inputs([str(folder)], replace(Settings(inputs=()), feeds=(str(subs),),
                                                urls=("https://lists.example/subs",)))
    reasons = {s.source: s.reason for s in result.skipped}
    assert set(reasons) == {str(subs), str(folder / "subs.opml"), "https://lists.example/subs"}
    assert all("an OPML subscription list" in r and "--opml" in r for r in reasons.values())


def test_opml_export_round_trips_through_listparser(tmp_path: Path) -> None:
    document = opml_document([Subscription("https://a.example/rss", "A & B <News>"),
                              Subscription("https://b.example/feed")], title="Morning: feeds")
    assert is_opml(document)
    assert parse_opml(document, "export") == (Subscription("https://a.example/rss", "A & B <News>"),
                                              Subscription("https://b.example/feed", "https://b.example/feed"))


def test_cli_feeds_export_writes_configured_and_opml_feeds(tmp_path: Path) -> None:
    subs = tmp_path / "subs.opml"
    subs.write_bytes(OPML)
    config = tmp_path / "digest.toml"
    config.write_text('[sources]\nfeeds = ["https://c.example/rss", "local.xml"]\n'
                      'outlets = { "https://c.example/rss" = "C Weekly" }\n')
    out = tmp_path / "export.opml"
    result = CliRunner().invoke(cli, ["feeds", "export", "-c", str(config), "--opml", str(subs), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "left out local.xml" in result.stderr
    assert parse_opml(out.read_bytes(), str(out)) == (
        Subscription("https://c.example/rss", "C Weekly"),
        Subscription("https://gazette.example/rss.xml", "Harbour Gazette"),
        Subscription("https://radio.example/feed", "Hill Radio"))


def test_cli_run_with_a_missing_opml_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--opml", str(tmp_path / "nope.opml"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and result.stderr.strip() == f"error: [ingest] {tmp_path / 'nope.opml'}: OPML file not found"


# --- feed autodiscovery: a page URL given as --feed -----------------------------------------

HOME = """<!doctype html><html><head><title>Harbour Gazette</title>
<link rel="stylesheet" href="/s.css"><link rel="alternate" type="application/json" href="/x.json">
<link rel="alternate" type="application/feed+json" href="/feed.json">
<link rel="Alternate" type="application/rss+xml; charset=utf-8" href="/rss.xml" title="News">
<link rel="alternate" type="application/atom+xml" href="https://gazette.example/atom">
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><p>Welcome</p></body></html>"""


def test_feeds_discover_links_in_page_order_resolved_and_only_readable_types() -> None:
    from digest.ingest.feeds import discover_feed_links

    assert discover_feed_links(HOME, "https://gazette.example/") == (
        "https://gazette.example/rss.xml", "https://gazette.example/atom")
    assert discover_feed_links("<html><head><base href='https://cdn.example/news/'>"
                               "<link rel='alternate' type='application/atom+xml' href='feed'></head></html>",
                               "https://gazette.example/") == ("https://cdn.example/news/feed",)
    assert discover_feed_links("<p>no head at all", "https://gazette.example/") == ()


def test_feed_given_as_a_page_url_reads_the_feed_the_page_names(monkeypatch) -> None:
    asked: list[str] = []
    pages = {"https://gazette.example/": HOME, "https://gazette.example/rss.xml": FEED}

    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        body = pages.get(str(request.url))
        kind = "text/html" if body and body.startswith("<!doctype") else "application/rss+xml"
        return httpx.Response(200 if body else 404, text=body or "no", headers={"content-type": kind})

    monkeypatch.setattr(ingest_reader, "Fetcher", lambda s, **kw: Fetcher(
        s, transport=httpx.MockTransport(handle), use_cache=False, retries=0))
    result = read_inputs([], replace(Settings(inputs=()), feeds=("https://gazette.example/",)))
    assert [a.title for a in result.articles] == ["Ferry timetable approved"] and not result.skipped
    assert asked == ["https://gazette.example/", "https://gazette.example/rss.xml"]


def test_feed_given_as_a_page_that_names_no_feed_says_so(monkeypatch) -> None:
    page = "<!doctype html><html><head><title>Shop</title></head><body><p>Buy things</p></body></html>"
    monkeypatch.setattr(ingest_reader, "Fetcher", lambda s, **kw: Fetcher(
        s, transport=httpx.MockTransport(lambda r: httpx.Response(200, text=page, headers={"content-type": "text/html"})),
        use_cache=False, retries=0))
    result = read_inputs([], replace(Settings(inputs=()), feeds=("https://shop.example/",)))
    assert not result.articles
    assert [s.reason for s in result.skipped] == [
        'a web page, not a feed, and it names no feed (<link rel="alternate">); give the feed\'s own URL, '
        "or the page with --url"]
