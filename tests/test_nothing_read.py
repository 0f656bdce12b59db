"""A run with nothing to brief says why for each input, on one line: a feed that is down, an OPML file given as a
feed, a folder with nothing in it, a folder whose every file was skipped. No test goes online."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.errors import NoArticlesError
from digest.ingest import Skipped, why_nothing_read
from digest.ingest import reader as ingest_reader
from digest.ingest.fetch import Fetcher
from digest.pipeline import stages
from digest.settings import Settings

OPML = b'<?xml version="1.0"?><opml version="2.0"><body><outline xmlUrl="https://a.example/rss"/></body></opml>'


@pytest.fixture
def down(monkeypatch):
    """Every URL answers 503, as a feed server that is down."""
    asked: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(503, text="down")

    monkeypatch.setattr(ingest_reader, "Fetcher", lambda s, **kw: Fetcher(
        s, transport=httpx.MockTransport(handle), use_cache=False, retries=0))
    return asked


def test_nothing_read_names_each_input_and_its_reason(tmp_path: Path, down) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    odd = tmp_path / "odd"
    odd.mkdir()
    for name in ("a.csv", "b.csv", "c.doc"):
        (odd / name).write_text("x")
    subs = tmp_path / "subs.xml"
    subs.write_bytes(OPML)
    settings = replace(Settings(inputs=(str(empty), str(odd))), feeds=(str(subs), "https://feeds.example/rss"))
    with pytest.raises(NoArticlesError) as err:
        stages().read(settings)
    message = str(err.value)
    assert "\n" not in message and message.startswith("no articles to brief: ")
    assert message.removeprefix("no articles to brief: ").split(" | ") == [
        f"{empty}: a folder with no article files in it",
        f"{odd}: 3 skipped: not an article file type (.csv) (2); not an article file type (.doc) (1)",
        f"{subs}: an OPML subscription list, not a feed or article: read its feeds with --opml FILE or [sources] opml",
        "https://feeds.example/rss: HTTP 503",
    ]
    assert down == ["https://feeds.example/rss"]


def test_nothing_read_from_the_cli_is_a_non_zero_exit_with_one_line_per_input(tmp_path: Path, down) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", "--feed", "https://feeds.example/rss", "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["error: no articles to brief: https://feeds.example/rss: HTTP 503"]
    assert not out.exists()


def test_why_nothing_read_groups_the_skips_of_a_feed_under_it() -> None:
    skipped = [Skipped("https://x.example/1", "HTTP 404 (feed entry has only a summary)", "https://x.example/rss"),
               Skipped("https://x.example/2", "HTTP 404 (feed entry has only a summary)", "https://x.example/rss"),
               Skipped("https://x.example/3", "timed out", "https://x.example/rss"),
               Skipped("https://x.example/4", "timed out", "https://x.example/rss")]
    settings = replace(Settings(inputs=()), feeds=("https://x.example/rss",))
    assert why_nothing_read([], settings, skipped, shown=1) == (
        "https://x.example/rss: 4 skipped: HTTP 404 (feed entry has only a summary) (2); 1 other reasons",)
    assert why_nothing_read([], Settings(inputs=()), []) == (
        "no inputs: name files, folders, --feed, --opml or --url, or set [sources] in digest.toml",)
