"""Outlet credit: each item is credited to the outlet that published it (RSS <source>, the page's site
name, a readable registrable domain), never to a copyright line, a bare code or a hash label, and
the items of an aggregator's full-text feed are not all credited to the aggregator."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from digest.ingest import read_inputs
from digest.ingest.metadata import outlet_name, readable_domain
from digest.settings import Settings

WORDS = ("The harbour board approved the new ferry timetable after a long public meeting on Tuesday evening, "
         "and the first boats under it will sail from the north quay at six in the morning. ") * 6


@pytest.mark.parametrize("name", [
    "Copyright 2014", "Copyright 2014 Harbour Gazette", "© 2023 Gazette", "All rights reserved", "Nj", "NJ",
    "Source e7d77f", "2014", "e7d77f12ab", "", "   ",
    "The council said on Tuesday that the ferry timetable would change from the first of next month",
])
def test_outlet_name_refuses_what_names_no_outlet(name: str) -> None:
    assert outlet_name(name) is None


@pytest.mark.parametrize("name,inferred,expected", [
    ("Harbour  Gazette", True, "Harbour Gazette"),
    ("BBC", True, "BBC"),
    ("AP", False, "AP"),
    ("AP", True, None),
    ("www.nj.com", True, "nj.com"),
    ("CBSSports.com", True, "CBSSports.com"),
    ("VG247", True, "VG247"),
    ("https://news.example.co.uk/", True, "example.co.uk"),
])
def test_outlet_name_keeps_names_and_reads_domains(name: str, inferred: bool, expected: str | None) -> None:
    assert outlet_name(name, inferred=inferred) == expected


@pytest.mark.parametrize("url,domain", [
    ("https://news.bbc.co.uk/world/1", "bbc.co.uk"),
    ("https://www.nj.com/news/x.html", "nj.com"),
    ("https://someone.github.io/blog", "someone.github.io"),  # a private suffix: each user's site is its own
    ("https://xn--bcher-kva.example/a", "bücher.example"),
    ("http://192.0.2.7:8080/x", "192.0.2.7"),
    ("not a url", None),
    (None, None),
])
def test_readable_domain_uses_the_public_suffix_list(url: str | None, domain: str | None) -> None:
    assert readable_domain(url) == domain


def item(title: str, link: str, source: str = "") -> str:
    return (f"<item><title>{title}</title><link>{link}</link>{source}"
            f"<description>{title}. {WORDS}</description></item>")


def test_full_text_aggregator_feed_credits_each_item_to_its_publisher(tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Roundup</title>'
        "<link>https://roundup.example/</link>"
        + item("Ferry one", "https://roundup.example/own", "")
        + item("Ferry two", "https://www.gazette.example/ferry", '<source url="https://gazette.example/rss">'
               "Harbour Gazette</source>")
        + item("Ferry three", "https://news.hillradio.co.uk/ferry")
        + item("Ferry four", "https://x.example/ferry", "<source url='https://x.example/'>Copyright 2014</source>")
        + "</channel></rss>", encoding="utf-8")
    result = read_inputs([str(feed)], Settings(inputs=()))
    assert {a.title: a.outlet for a in result.articles} == {
        "Ferry one": "Daily Roundup",  # the feed's own site: its title is the outlet
        "Ferry two": "Harbour Gazette",  # the item's <source>
        "Ferry three": "hillradio.co.uk",  # another site, no <source>: its readable domain
        "Ferry four": "x.example",  # a <source> that is a copyright line is no name
    }


def test_page_site_name_that_is_a_state_code_or_copyright_falls_back_to_the_domain(tmp_path: Path) -> None:
    for number, site in enumerate(["Nj", "Copyright 2014"]):
        page = tmp_path / f"page{number}.html"
        page.write_text(
            f'<html><head><meta property="og:site_name" content="{site}"><title>Ferry plan</title>'
            f'<link rel="canonical" href="https://www.nj.example.com/news/ferry-{number}"></head>'
            f"<body><article><h1>Ferry plan</h1><p>{WORDS}</p><p>Page {number} {WORDS}</p></article></body></html>",
            encoding="utf-8")
    result = read_inputs([str(tmp_path)], Settings(inputs=()))
    assert [a.outlet for a in result.articles] == ["example.com", "example.com"]


def test_hash_named_files_are_numbered_unnamed_sources_with_stable_ids(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "3f65af7b6b98b1c9.txt").write_text(WORDS, encoding="utf-8")
    alone = read_inputs([str(folder)], Settings(inputs=())).articles
    (folder / "0a1b2c3d4e5f6789.txt").write_text(WORDS.replace("ferry", "bus"), encoding="utf-8")
    both = read_inputs([str(folder)], Settings(inputs=())).articles
    assert [a.outlet for a in both] == ["Unnamed source 1", "Unnamed source 2"]
    assert not any("3f65af" in (a.outlet or "") for a in both)
    assert alone[0].id in {a.id for a in both}  # numbering never changes an article's id


def test_configured_outlet_still_wins_over_the_feed_and_page(tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text('<rss version="2.0"><channel><title>Daily Roundup</title>'
                    + item("Ferry two", "https://gazette.example/ferry", "<source url='https://g.example/'>G</source>")
                    + "</channel></rss>", encoding="utf-8")
    result = read_inputs([str(feed)], replace(Settings(inputs=()), outlets={str(feed): "My Wire"}))
    assert [a.outlet for a in result.articles] == ["My Wire"]
