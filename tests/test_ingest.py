"""Ingest of files and folders: formats, metadata, encodings, skips (offline, hand-written inputs)."""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

import digest.ingest.reader as ingest_reader
from digest.errors import InputError
from digest.ingest.feeds import html_to_paragraphs, parse_feed
from digest.ingest.fetch import Fetcher
from digest.ingest import (
    decode_bytes,
    is_breadcrumb,
    meta_from_mapping,
    normalise_date,
    tidy_site_name,
    outlet_from_file_name,
    outlet_from_credit,
    outlet_from_text,
    read_inputs,
    read_url_list,
    split_front_matter,
    split_paragraphs,
    text_body,
)
from digest.settings import Settings

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
BODY = (
    "The city council voted on Tuesday to approve the new budget for the coming year.\n\n"
    "The mayor said the plan would fund three new libraries and repair older bridges.\n\n"
    "Opposition members said they would keep pressing for lower property taxes."
)


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    """Any fetch a test here triggers by mistake fails at once instead of reaching the network."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("tests are offline", request=request)

    def offline_fetcher(settings, **kwargs):
        return Fetcher(settings, transport=httpx.MockTransport(refuse), use_cache=False, retries=0)

    monkeypatch.setattr(ingest_reader, "Fetcher", offline_fetcher)


def make_settings(**overrides) -> Settings:
    return replace(Settings(inputs=()), **overrides)


def read_one(path: Path, **overrides):
    result = read_inputs([str(path)], make_settings(**overrides))
    assert len(result.articles) == 1, result.skipped
    return result.articles[0]


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# --- seeds (the default input): generic properties only -----------------------------------


def test_ingest_reads_every_seed_with_provenance_and_stable_ids():
    first = read_inputs([str(SEEDS)], make_settings())
    second = read_inputs([str(SEEDS)], make_settings())
    assert len(first.articles) == len(list(SEEDS.glob("*.txt")))
    assert first.skipped == ()
    assert [a.id for a in first.articles] == [a.id for a in second.articles]
    assert len({a.id for a in first.articles}) == len(first.articles)
    for article in first.articles:
        assert article.path and Path(article.path).parent == SEEDS
        assert article.outlet and "_" not in article.outlet  # never the raw numbered-hash stem
        assert not article.text.lower().startswith("date ")
        assert "\n\n\n" not in article.text


# --- plain text: title, dates, breadcrumbs, paragraphs -------------------------------------


def test_ingest_takes_short_first_line_as_title_and_removes_it(tmp_path):
    article = read_one(write(tmp_path / "council.txt", "Council approves budget\n\n" + BODY))
    assert article.title == "Council approves budget"
    assert not article.text.startswith("Council approves budget")
    assert article.text.startswith("The city council voted")


def test_ingest_does_not_take_a_sentence_as_title(tmp_path):
    article = read_one(write(tmp_path / "a.txt", BODY))
    assert article.title is None
    assert article.text == BODY


def test_ingest_cuts_a_labelled_date_glued_to_text_and_keeps_the_rest(tmp_path):
    text = "date 2021-03-05 Sign up to our newsletter for the latest news\n\n" + BODY
    article = read_one(write(tmp_path / "a.txt", text))
    assert article.published == "2021-03-05"
    assert article.text.startswith("Sign up to our newsletter for the latest news\n\n")
    assert "2021-03-05" not in article.text


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Updated 09:41, 02-Mar-2022", "2022-03-02T09:41"),
        ("Published: 7 June 2020", "2020-06-07"),
        ("March 3, 2019", "2019-03-03"),
        ("date 2018-11-30", "2018-11-30"),
        ("Last updated on Monday 4 January 2021 10:05 GMT", "2021-01-04T10:05+00:00"),
    ],
)
def test_ingest_takes_date_lines_out_of_the_text(tmp_path, line, expected):
    article = read_one(write(tmp_path / "a.txt", f"Council approves budget\n{line}\n\n{BODY}"))
    assert article.published == expected
    assert article.title == "Council approves budget"
    assert line not in article.text
    assert article.text == BODY


def test_ingest_drops_a_breadcrumb_and_finds_the_title_below_it(tmp_path):
    article = read_one(write(tmp_path / "a.txt", "Home / Local / Politics\n\nCouncil approves budget\n\n" + BODY))
    assert article.title == "Council approves budget"
    assert "Home / Local" not in article.text


@pytest.mark.parametrize("line", ["News / World / Asia", "Home > Sport", "Business » Markets » Bonds"])
def test_is_breadcrumb_accepts_navigation_paths(line):
    assert is_breadcrumb(line)


@pytest.mark.parametrize("line", ["Putin / Kim", "The council voted on the budget / tax plan today.", BODY])
def test_is_breadcrumb_rejects_headlines_and_sentences(line):
    assert not is_breadcrumb(line)


def test_ingest_makes_each_line_a_paragraph_when_a_file_has_no_blank_lines(tmp_path):
    lines = BODY.replace("\n\n", "\n")
    article = read_one(write(tmp_path / "a.txt", lines + "\n"))
    assert article.text.split("\n\n") == BODY.split("\n\n")


def test_split_paragraphs_keeps_blank_line_separated_blocks():
    assert split_paragraphs("  one\r\ntwo  \r\n\r\n\r\nthree\n") == ["one\ntwo", "three"]


def test_ingest_takes_a_byline_as_author(tmp_path):
    article = read_one(write(tmp_path / "a.txt", "Council approves budget\n\nBy Jane Example\n\n" + BODY))
    assert article.author == "Jane Example"
    assert "By Jane" not in article.text


# --- outlets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "notice, outlet",
    [
        ("I would like to be emailed about offers, events and updates from The Morning Ledger. Read our privacy notice", "The Morning Ledger"),
        ("Valley Radio’s website can also be accessed at the following alternate addresses:", "Valley Radio"),
        ("© 2022 Harbour Gazette", "Harbour Gazette"),
        ("Copyright (c) 2019-2022 Harbour Gazette. All rights reserved.", "Harbour Gazette"),
        ("Subscribe to newsletters from Coastline Daily for more", "Coastline Daily"),
    ],
)
def test_outlet_from_text_reads_site_notices(notice, outlet):
    assert outlet_from_text(BODY.split("\n\n") + [notice]) == outlet


@pytest.mark.parametrize(
    "tail",
    [
        "Opposition members said they would keep pressing for lower taxes. – Reuters",
        "The mayor (photo © Agency Images) spoke to reporters outside the town hall after the long council vote.",
        "Officials said updates from Kim would follow.",
        "Her emails were released on Friday from the State Department archive.",
        "© 2021. All rights reserved.",
    ],
)
def test_outlet_from_text_ignores_agency_credits_and_ordinary_sentences(tail):
    assert outlet_from_text(BODY.split("\n\n") + [tail]) is None


@pytest.mark.parametrize(
    "lede, outlet",
    [
        ("(CNN) -- The council voted on Tuesday to close the old bridge.", "CNN"),
        ("WASHINGTON (AP) — The council voted on Tuesday to close the old bridge.", "AP"),
        ("LONDON, May 3 (Reuters) - The council voted on Tuesday to close the old bridge.", "Reuters"),
        ("SAN FRANCISCO (Bay Radio) – The council voted on Tuesday to close the old bridge.", "Bay Radio"),
    ],
)
def test_outlet_from_credit_reads_the_dateline_credit(lede, outlet):
    assert outlet_from_credit([lede, "A second paragraph."]) == outlet


@pytest.mark.parametrize(
    "lede",
    [
        "The senator (D) - who voted against it - spoke later.",  # an aside inside a sentence
        "(AP Photo/Jane Roe) - A crowd gathers outside the court.",  # a photo credit
        "Residents of the town (pop. 3,000) - mostly farmers - were evacuated.",
        "(R) - The council voted.",  # one letter names nobody
        "The council voted on Tuesday to close the old bridge (CNN).",
        "ONE TWO THREE FOUR FIVE SIX SEVEN (AP) — more capitals than a dateline has",
        "WASHINGTON (AP) —",  # a credit with no text after it credits nothing
    ],
)
def test_outlet_from_credit_ignores_asides_and_photo_credits(lede):
    assert outlet_from_credit([lede]) is None


def test_outlet_from_credit_looks_only_at_the_top_of_the_text():
    paragraphs = ["The council voted.", "It met at noon.", "(CNN) -- Another story's lede quoted later."]
    assert outlet_from_credit(paragraphs) is None


def test_ingest_names_an_unnamed_file_by_its_dateline_credit_and_metadata_still_wins(tmp_path):
    text = "WASHINGTON (AP) — " + BODY
    assert read_one(write(tmp_path / "0001.txt", text)).outlet == "AP"
    assert read_one(write(tmp_path / "harbour-gazette.txt", text)).outlet == "harbour gazette"
    front = "---\noutlet: The Ledger\n---\n"
    assert read_one(write(tmp_path / "0002.txt", front + text)).outlet == "The Ledger"


def test_ingest_credits_the_outlet_named_in_a_site_notice(tmp_path):
    text = BODY + "\n\nThe Harbour Gazette's website can also be accessed at gazette.example"
    assert read_one(write(tmp_path / "x.txt", text)).outlet == "The Harbour Gazette"


@pytest.mark.parametrize(
    "name, outlet",
    [("000_75059a54b574564b.txt", "Source 1"), ("012-deadbeefcafe.md", "Source 13"), ("harbour-gazette.txt", "harbour gazette"),
     ("3F65AF7B6B98B1C9aa.html.gz", None)],  # a hash names no outlet (issue 14: never "Source 3f65af")
)
def test_outlet_from_file_name_is_readable(name, outlet):
    assert outlet_from_file_name(Path(name)) == outlet


def test_ingest_uses_configured_outlet_for_a_folder(tmp_path):
    write(tmp_path / "in" / "a.txt", BODY)
    article = read_one(tmp_path / "in", outlets={str(tmp_path / "in"): "Configured Outlet"})
    assert article.outlet == "Configured Outlet"


# --- Markdown, front matter, sidecars, JSON --------------------------------------------------


def test_ingest_reads_markdown_front_matter_and_strips_markup(tmp_path):
    text = (
        "---\ntitle: Council approves budget\ndate: 2020-05-01\noutlet: Harbour Gazette\n"
        "url: https://gazette.example/budget\nauthor: Jane Example\n---\n\n"
        "The **city council** voted on Tuesday to approve the [budget](https://x.example).\n\n"
        "- The plan funds three new libraries across the city.\n"
    )
    article = read_one(write(tmp_path / "a.md", text))
    assert (article.title, article.published, article.outlet) == ("Council approves budget", "2020-05-01", "Harbour Gazette")
    assert article.url == "https://gazette.example/budget"
    assert article.author == "Jane Example"
    assert article.text.split("\n\n") == [
        "The city council voted on Tuesday to approve the budget.",
        "The plan funds three new libraries across the city.",
    ]


def test_ingest_takes_a_markdown_heading_as_title(tmp_path):
    article = read_one(write(tmp_path / "a.md", "# Council approves budget\n\n" + BODY))
    assert article.title == "Council approves budget"
    assert article.text == BODY


def test_ingest_reads_toml_front_matter(tmp_path):
    article = read_one(write(tmp_path / "a.md", '+++\ntitle = "Budget vote"\nsource = "Gazette"\n+++\n' + BODY))
    assert (article.title, article.outlet) == ("Budget vote", "Gazette")


def test_ingest_leaves_unclosed_front_matter_in_the_text(tmp_path):
    article = read_one(write(tmp_path / "a.md", "---\ntitle: x\n" + BODY))
    assert "title: x" in article.text


@pytest.mark.parametrize("sidecar", ["a.txt.meta.json", "a.meta.json", "a.json", "a.txt.json"])
def test_ingest_reads_a_sidecar_and_does_not_read_it_as_an_article(tmp_path, sidecar):
    write(tmp_path / "a.txt", "Some headline here\n\n" + BODY)
    write(tmp_path / sidecar, json.dumps({"title": "Sidecar title", "outlet": "Side Outlet", "published": "2020-01-02"}))
    result = read_inputs([str(tmp_path)], make_settings())
    assert len(result.articles) == 1 and result.skipped == ()
    article = result.articles[0]
    assert (article.title, article.outlet, article.published) == ("Sidecar title", "Side Outlet", "2020-01-02")
    assert "Some headline here" not in article.text  # the inferred title line is still metadata


def test_ingest_reads_folder_sources_toml_by_file_name(tmp_path):
    write(tmp_path / "a.txt", BODY)
    write(tmp_path / "sources.toml", '["a.txt"]\noutlet = "Toml Outlet"\nurl = "https://toml.example/a"\n')
    article = read_one(tmp_path)
    assert (article.outlet, article.url) == ("Toml Outlet", "https://toml.example/a")


def test_ingest_reads_folder_sources_json_list(tmp_path):
    write(tmp_path / "a.txt", BODY)
    write(tmp_path / "sources.json", json.dumps([{"file": "a.txt", "site_name": "Json Outlet"}]))
    assert read_one(tmp_path).outlet == "Json Outlet"


def test_ingest_reads_json_and_jsonl_articles(tmp_path):
    records = [
        {"headline": "First", "body": BODY, "publisher": {"name": "Outlet A"}, "datePublished": "2020-02-03T10:00:00"},
        {"title": "Second", "text": BODY.upper(), "source": "Outlet B"},
    ]
    write(tmp_path / "a_one.json", json.dumps({"articles": records}))
    write(tmp_path / "b_many.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
    result = read_inputs([str(tmp_path)], make_settings())
    by_path = {}
    for a in result.articles:
        by_path.setdefault(Path(a.path).name, []).append(a)
    assert [a.title for a in by_path["a_one.json"]] == ["First", "Second"]
    assert [a.outlet for a in by_path["a_one.json"]] == ["Outlet A", "Outlet B"]
    assert by_path["a_one.json"][0].published == "2020-02-03T10:00"
    # the same texts from the same outlets in the .jsonl are duplicates, recorded as such
    assert len(by_path.get("b_many.jsonl", [])) == 0
    assert sum("duplicate" in s.reason for s in result.skipped) == 2


def test_ingest_skips_json_without_article_text(tmp_path):
    write(tmp_path / "x.json", json.dumps({"hello": 1}))
    result = read_inputs([str(tmp_path)], make_settings())
    assert result.articles == () and "no article" in result.skipped[0].reason


# --- HTML ------------------------------------------------------------------------------------

PAGE = """<!doctype html><html lang="en"><head><meta charset="{charset}">
<title>Bridge reopens after repairs | Harbour Gazette</title>
<meta property="og:site_name" content="Harbour Gazette">
<meta property="og:title" content="Bridge reopens after repairs">
<meta name="author" content="Jane Example">
<meta property="article:published_time" content="2021-04-05T08:00:00Z">
<link rel="canonical" href="https://gazette.example/news/bridge">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Bridge reopens after repairs</h1>
<p>The old harbour bridge reopened on Monday after eight months of repairs that cost the city {money}.</p>
<p>Engineers replaced the cables and the deck, and said the bridge should last another fifty years.</p>
<p>Traffic was light in the morning, but residents said they were glad to walk across it again.</p>
<p>The council said a second bridge upstream would be inspected next spring before any decision.</p>
</article>
<footer>Copyright Harbour Gazette. <a href="/privacy">Privacy</a></footer>
</body></html>"""


def test_ingest_extracts_html_paragraphs_and_metadata(tmp_path):
    article = read_one(write(tmp_path / "bridge.html", PAGE.format(charset="utf-8", money="£4m")))
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("The old harbour bridge reopened") and "£4m" in paragraphs[0]
    assert len(paragraphs) == 4
    assert article.outlet == "Harbour Gazette"
    assert article.title == "Bridge reopens after repairs"
    assert article.url == "https://gazette.example/news/bridge"
    assert article.published and article.published.startswith("2021-04-05")
    assert "Home" not in article.text


def test_ingest_reads_gzipped_html_in_a_declared_legacy_charset(tmp_path):
    page = PAGE.format(charset="iso-8859-1", money="£4m — or “about” that").replace("—", "-")
    data = gzip.compress(page.encode("cp1252"))
    article = read_one(write(tmp_path / "bridge.html.gz", data))
    assert "£4m" in article.text and "“about”" in article.text


# --- encodings and unusable files -------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_ingest_reads_common_encodings(tmp_path, encoding):
    text = "Café owners in Zürich protest new rules\n\nThe café owners said the rules would cost them déjà too much, and they protested.\n\nThe city said the rules protect residents."
    article = read_one(write(tmp_path / "a.txt", text.encode(encoding)))
    assert article.title == "Café owners in Zürich protest new rules"
    assert "déjà" in article.text


def test_decode_bytes_refuses_binary_with_a_clear_reason():
    with pytest.raises(InputError, match="PNG"):
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), source="x.txt")


def test_ingest_skips_binary_large_and_broken_files_and_goes_on(tmp_path):
    write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "big.txt", "x" * 2000)
    write(tmp_path / "good.txt", BODY)
    write(tmp_path / ".hidden.txt", BODY + " hidden")
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    os.symlink(tmp_path / "missing.txt", tmp_path / "broken.txt")
    result = read_inputs([str(tmp_path)], make_settings(max_file_bytes=1000))
    assert [Path(a.path).name for a in result.articles] == ["good.txt"]
    reasons = {Path(s.source).name: s.reason for s in result.skipped}
    assert "PNG" in reasons["image.txt"]
    assert "too large" in reasons["big.txt"]
    assert "broken symbolic link" in reasons["broken.txt"]
    assert "not an article file type" in reasons["notes.pdf"]
    assert ".hidden.txt" not in reasons
    assert all("\n" not in r for r in reasons.values())


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_ingest_skips_unreadable_file(tmp_path):
    path = write(tmp_path / "locked.txt", BODY)
    path.chmod(0)
    result = read_inputs([str(tmp_path)], make_settings())
    assert "permission" in result.skipped[0].reason


def test_ingest_raises_for_a_named_path_that_does_not_exist(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_inputs([str(tmp_path / "nope")], make_settings())


def test_ingest_stops_at_max_files_with_a_reason(tmp_path):
    for i in range(3):
        write(tmp_path / f"{i}.txt", f"{BODY} {i}")
    result = read_inputs([str(tmp_path)], make_settings(max_files=2))
    assert len(result.articles) == 2 and "more than 2 files" in result.skipped[-1].reason
    assert "[limits] max_files" in result.skipped[-1].reason  # says what to do


def test_ingest_skips_a_copied_file_as_duplicate(tmp_path):
    write(tmp_path / "a.txt", BODY)
    write(tmp_path / "sub" / "a.txt", BODY)
    result = read_inputs([str(tmp_path)], make_settings(outlets={str(tmp_path): "Gazette"}))
    assert len(result.articles) == 1 and "duplicate" in result.skipped[0].reason


def test_ingest_reads_a_feed_file_with_full_content(tmp_path):
    content = "".join(f"<p>{p}</p>" for p in (BODY + "\n\n" + BODY.upper()).split("\n\n"))
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Harbour Gazette</title><link>https://gazette.example/</link>
<item><title>Budget approved</title><link>https://gazette.example/budget?utm_source=rss</link>
<pubDate>Tue, 10 Mar 2020 09:00:00 GMT</pubDate><description>Short teaser…</description>
<content:encoded><![CDATA[{content}]]></content:encoded></item>
</channel></rss>"""
    article = read_one(write(tmp_path / "feed.xml", feed))
    assert (article.title, article.outlet) == ("Budget approved", "Harbour Gazette")
    assert article.published == "2020-03-10T09:00:00+00:00"
    assert article.text.split("\n\n")[0] == BODY.split("\n\n")[0]


def test_read_url_list_ignores_comments_and_refuses_bad_lines(tmp_path):
    path = write(tmp_path / "urls.txt", "# mine\nhttps://a.example/x\n\nhttp://b.example/y\n")
    assert read_url_list(path) == ("https://a.example/x", "http://b.example/y")
    write(path, "ftp://nope\n")
    with pytest.raises(InputError, match="line 1"):
        read_url_list(path)


@pytest.mark.parametrize("value, expected", [("2020-01-02T03:04:05Z", "2020-01-02T03:04:05+00:00"), ("yesterday", None), ("14 Sep", None)])
def test_normalise_date(value, expected):
    assert normalise_date(value) == expected


# --- property tests: front matter, sidecars, decoding ------------------------------------------

safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x85\ufeff"),
    min_size=1,
    max_size=40,
).map(lambda s: " ".join(s.split())).filter(bool)
dates = st.dates(min_value=__import__("datetime").date(1950, 1, 1), max_value=__import__("datetime").date(2100, 1, 1))


@given(title=safe_text, outlet=safe_text, day=dates, body=st.lists(safe_text, min_size=1, max_size=4))
@hsettings(max_examples=60, deadline=None)
def test_front_matter_round_trips_and_never_reaches_the_body(title, outlet, day, body):
    front = yaml.safe_dump({"title": title, "outlet": outlet, "date": day}, allow_unicode=True)
    text = f"---\n{front}---\n" + "\n\n".join(body)
    data, rest = split_front_matter(text)
    meta = meta_from_mapping(data)
    assert (meta.title, meta.outlet, meta.published) == (title, outlet, day.isoformat())
    assert rest == "\n\n".join(body)


@given(st.text(max_size=200))
@hsettings(max_examples=100, deadline=None)
def test_split_front_matter_never_raises_and_loses_nothing(text):
    data, rest = split_front_matter(text)
    assert isinstance(data, dict)
    if not data:
        assert rest == text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.sampled_from(["title", "date", "outlet", "url", "author", "source", "link", "x"]), json_values))
@hsettings(max_examples=150, deadline=None)
def test_sidecar_metadata_parsing_never_raises_and_only_keeps_strings(data):
    meta = meta_from_mapping(data)
    for value in (meta.title, meta.published, meta.outlet, meta.url, meta.author):
        assert value is None or (isinstance(value, str) and value.strip() == value and value)
    if meta.url:
        assert meta.url.startswith(("http://", "https://"))


@given(title=safe_text, outlet=safe_text, url=st.from_regex(r"https://[a-z]{1,10}\.example/[a-z0-9/]{0,20}", fullmatch=True))
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_sidecar_round_trips_through_read_inputs(tmp_path, title, outlet, url):
    folder = tmp_path / str(abs(hash((title, outlet, url))))
    write(folder / "a.txt", BODY)
    write(folder / "a.meta.json", json.dumps({"title": title, "outlet": outlet, "url": url}))
    article = read_one(folder)
    assert (article.title, article.outlet, article.url) == (title, outlet, url)


@given(st.binary(max_size=300))
@hsettings(max_examples=200, deadline=None)
def test_decode_bytes_returns_text_or_raises_input_error(data):
    try:
        assert isinstance(decode_bytes(data, source="x"), str)
    except InputError as exc:
        assert "\n" not in str(exc)


@given(st.lists(safe_text, min_size=1, max_size=6))
@hsettings(max_examples=80, deadline=None)
def test_text_body_never_leaves_empty_paragraphs(lines):
    body = text_body("\n\n".join(lines))
    assert all(p.strip() for p in body.paragraphs)


# --- feed files: declared and undeclared encodings, Atom ---------------------------------------

RUSSIAN_TITLE = "Городской совет утвердил бюджет"
RUSSIAN_BODY = (
    "Городской совет во вторник утвердил новый бюджет на следующий год. Мэр сказал, что план "
    "позволит построить три новые библиотеки и отремонтировать старые мосты. Депутаты оппозиции "
    "заявили, что будут и дальше добиваться снижения налогов на недвижимость для жителей города."
)


def russian_feed(declaration: str) -> str:
    return (f'<?xml version="1.0"{declaration}?><rss version="2.0"><channel><title>Вести</title>'
            f"<item><title>{RUSSIAN_TITLE}</title><description>{RUSSIAN_BODY}</description></item>"
            "</channel></rss>")


@pytest.mark.parametrize("encoding, declaration", [
    ("koi8-r", ""), ("cp1251", ""), ("cp1251", ' encoding="windows-1251"'), ("utf-16", ' encoding="utf-16"'),
])
def test_ingest_reads_feeds_in_declared_and_undeclared_encodings(tmp_path, encoding, declaration):
    path = write(tmp_path / "feed.rss", russian_feed(declaration).encode(encoding))
    article = read_one(path)
    assert article.title == RUSSIAN_TITLE
    assert article.text == RUSSIAN_BODY
    assert article.outlet == "Вести"
    assert article.path == str(path)


def test_ingest_reads_an_atom_feed_with_full_content(tmp_path):
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n")) * 2
    feed = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette Atom</title>
<entry><title>Budget approved</title><link href="https://gazette.example/b"/><id>urn:b</id>
<updated>2020-03-10T09:00:00Z</updated><author><name>Jane Example</name></author>
<content type="html">{paragraphs.replace("<", "&lt;").replace(">", "&gt;")}</content></entry></feed>"""
    article = read_one(write(tmp_path / "feed.atom", feed))
    assert (article.outlet, article.author, article.url) == ("Gazette Atom", "Jane Example", "https://gazette.example/b")
    assert article.text.split("\n\n")[:3] == BODY.split("\n\n")


def test_ingest_drops_a_leading_markdown_heading_even_with_a_front_matter_title(tmp_path):
    article = read_one(write(tmp_path / "a.md", "---\ntitle: Front title\n---\n# Heading title\n\n" + BODY))
    assert article.title == "Front title"
    assert article.text == BODY


def test_ingest_skips_a_file_it_may_not_read(tmp_path, monkeypatch):
    locked = write(tmp_path / "locked.txt", BODY)
    write(tmp_path / "open.txt", BODY.upper())
    real_open = Path.open

    def guarded_open(self, *args, **kwargs):
        if self.name == locked.name:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    result = read_inputs([str(tmp_path)], make_settings())
    assert [Path(a.path).name for a in result.articles] == ["open.txt"]
    assert result.skipped[0].reason == "permission denied"


def test_ingest_takes_the_address_of_a_saved_page(tmp_path):
    page = PAGE.format(charset="utf-8", money="£4m").replace('<link rel="canonical" href="https://gazette.example/news/bridge">', "")
    page = "<!-- saved from url=(0038)https://gazette.example/saved/bridge -->\n" + page
    assert read_one(write(tmp_path / "bridge.htm", page)).url == "https://gazette.example/saved/bridge"


def test_ingest_keeps_one_of_two_feed_entries_with_the_same_text(tmp_path):
    content = "".join(f"<p>{p}</p>" for p in (BODY + "\n\n" + BODY.upper()).split("\n\n"))
    items = "".join(
        f"<item><title>Budget</title><link>https://gazette.example/{slug}</link>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
        for slug in ("budget", "amp/budget-2")
    )
    feed = (f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>Gazette</title>{items}</channel></rss>")
    result = read_inputs([str(write(tmp_path / "f.xml", feed))], make_settings())
    assert len(result.articles) == 1
    assert "same text" in result.skipped[0].reason


def test_ingest_feed_teaser_whose_page_cannot_be_fetched_is_skipped_with_a_reason(tmp_path):
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title><item><title>Budget</title>'
            "<link>https://gazette.example/budget</link><description>The council voted… Read more</description>"
            "</item></channel></rss>")
    result = read_inputs([str(write(tmp_path / "f.xml", feed))], make_settings(fetch_local_feed_links=True))
    assert result.articles == ()
    assert result.skipped[0].source == "https://gazette.example/budget"
    assert "only a summary" in result.skipped[0].reason


def test_ingest_local_feed_file_keeps_its_teasers_and_fetches_nothing_by_default(tmp_path):
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title><item><title>Budget</title>'
            "<link>https://gazette.example/budget</link><description>The council voted… Read more</description>"
            "</item></channel></rss>")
    result = read_inputs([str(write(tmp_path / "f.xml", feed))], make_settings())
    assert [a.text for a in result.articles] == ["The council voted… Read more"]
    assert [s.source for s in result.skipped] == [str(tmp_path / "f.xml")]
    assert "not fetched" in result.skipped[0].reason


def test_ingest_removes_every_date_line_at_the_top_and_keeps_the_first_date(tmp_path):
    text = "Council approves budget\nPublished 3 March 2021\nUpdated 09:41, 04-Mar-2021\n\n" + BODY
    article = read_one(write(tmp_path / "a.txt", text))
    assert (article.published, article.text) == ("2021-03-03", BODY)


def test_ingest_reads_good_json_lines_and_reports_the_broken_ones(tmp_path):
    lines = [json.dumps({"text": BODY}), "{not json", json.dumps({"text": BODY.replace("council", "board")})]
    result = read_inputs([str(write(tmp_path / "a.jsonl", "\n".join(lines)))], make_settings())
    assert len(result.articles) == 2
    assert result.skipped[0].reason == "invalid JSON on line(s) 2; 2 other line(s) read"


def test_ingest_ignores_saved_page_assets_silently(tmp_path):
    write(tmp_path / "story.html", PAGE.format(charset="utf-8", money="£4m"))
    write(tmp_path / "story_files" / "inner.html", "<html><body><p>menu</p></body></html>")
    write(tmp_path / "story_files" / "style.css", "p {}")
    write(tmp_path / "logo.png", b"\x89PNG\r\n")
    result = read_inputs([str(tmp_path)], make_settings())
    assert [Path(a.path).name for a in result.articles] == ["story.html"]
    assert result.skipped == ()


@pytest.mark.parametrize("name, tidy", [
    ("Gazette | Local news since 1901", "Gazette"), ("Harbour Radio - The voice of the coast", "Harbour Radio"),
    ("NBC 5 Dallas-Fort Worth", "NBC 5 Dallas-Fort Worth"), ("Daily_", "Daily"), ("  ", None),
])
def test_tidy_site_name_drops_taglines(name, tidy):
    assert tidy_site_name(name) == tidy


@given(st.lists(st.sampled_from(list("<>/ =\"'&;pdivbrh1ab\x00") + ["<p>", "</p>", "<br>", "<!--", "-->", "word "]), max_size=60).map("".join))
@hsettings(max_examples=150, deadline=None)
def test_html_to_paragraphs_never_raises_and_gives_clean_paragraphs(html):
    for paragraph in html_to_paragraphs(html):
        assert paragraph and paragraph == " ".join(paragraph.split())


@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: ("<rss><channel><item><title>" + t).encode("utf-8")))
@hsettings(max_examples=150, deadline=None)
def test_parse_feed_never_raises(data):
    feed = parse_feed(data)
    assert feed.error is None or "\n" not in feed.error


# Mostly letters, digits, punctuation and line breaks (so that many texts hold no syntax), now and then a
# character or line start that opens Markdown syntax.
_MARKDOWN_ALPHABET = st.sampled_from(
    list("abZ9 0.,)\"“'(#-=+:!") * 4 + ["\n", "\n\n", "  ", "\n1. ", "\n12) ", "\n2016 ", "\u0301"]
    + list("*_`[]<>&|{~^\\\t\u00a0\u2028"))


@hsettings(max_examples=3000, deadline=None)
@given(st.lists(_MARKDOWN_ALPHABET, max_size=60).map("".join))
def test_ingest_plain_markdown_paragraphs_are_what_markdown_renders(text):
    from digest.ingest.files import _markdown_to_html, plain_markdown_paragraphs

    fast = plain_markdown_paragraphs(text)
    if fast is not None:
        assert fast == html_to_paragraphs(_markdown_to_html(text))


@pytest.mark.parametrize("text", [
    "A *word* in italics.", "# A heading", "Title\n=====", "1. first\n2. second", "- an item", "> quoted",
    "    code", "a | b\n--|--\n1 | 2", "Term\n: definition", "Line one  \nline two", "Tom &amp; Jerry",
    "See [this](http://x)", "snake_case", "A\tB", "x\u00a0y",
])
def test_ingest_plain_markdown_paragraphs_leaves_syntax_to_markdown(text):
    from digest.ingest.files import plain_markdown_paragraphs

    assert plain_markdown_paragraphs(text) is None


def test_ingest_plain_markdown_paragraphs_splits_blank_line_blocks():
    from digest.ingest.files import plain_markdown_paragraphs

    text = "First line\nof one paragraph.\n\n\n“A quote,” she said.\n\n2016 was a year."
    assert plain_markdown_paragraphs(text) == ["First line of one paragraph.", "“A quote,” she said.", "2016 was a year."]


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), max_size=4))
def test_outlet_from_credit_names_only_text_found_in_the_first_paragraphs(paragraphs):
    outlet = outlet_from_credit(paragraphs)
    assert outlet is None or any(f"({outlet}" in p for p in paragraphs[:2])


def test_a_folder_read_in_worker_processes_gives_what_reading_here_gives(tmp_path, monkeypatch):
    # Every kind of outcome, in an order the skips and articles must keep: articles with and without
    # front matter, a JSON Lines file that breaks half-way, an empty file, a type that is no article,
    # a hidden file, a sidecar, a feed, an over-long paragraph (a cap that bites).
    (tmp_path / "a.md").write_text(f"---\ntitle: Budget passes\noutlet: Daily Bugle\n---\n{BODY}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(BODY.replace("council", "assembly"), encoding="utf-8")
    (tmp_path / "b.txt.meta.json").write_text('{"outlet": "Evening Post"}', encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": BODY.replace("city", "town")}) + "\n{broken\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("", encoding="utf-8")
    (tmp_path / "e.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "f.txt").write_text("The mayor spoke. " * 600, encoding="utf-8")
    (tmp_path / "g.xml").write_text(
        "<rss version='2.0'><channel><title>Feed</title><item><title>Bridge repaired</title>"
        f"<description>{BODY.replace(chr(10), ' ')}</description></item></channel></rss>", encoding="utf-8")
    settings = Settings(max_paragraph_chars=2000)

    def read():
        result = read_inputs([str(tmp_path)], settings)
        return result.articles, [(s.source, s.reason) for s in result.skipped], result.capped

    here = read()
    monkeypatch.setattr(ingest_reader, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(ingest_reader.workers, "cpu_count", lambda: 2)
    assert read() == here
    articles, skipped, capped = here
    assert [a.outlet for a in articles[:2]] == ["Daily Bugle", "Evening Post"]
    assert any(source.endswith("c.jsonl") for source, _ in skipped)
    assert any(source.endswith("e.csv") for source, _ in skipped)
    assert capped and capped[0].source.endswith("f.txt")


def test_a_big_folder_whose_files_change_under_the_reader_skips_them_with_a_reason(tmp_path, monkeypatch):
    # Pooled reading decides first and parses later: a file removed in between, a broken link and a pipe are
    # skipped with a reason each, never a traceback, and the other files are still read.
    for name in ("a.txt", "b.txt", "gone.txt"):
        (tmp_path / name).write_text(BODY.replace("city", name[0]), encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    walk = ingest_reader.walk_folder

    def walk_then_remove(folder):
        yield from walk(folder)
        (tmp_path / "gone.txt").unlink()

    monkeypatch.setattr(ingest_reader, "walk_folder", walk_then_remove)
    monkeypatch.setattr(ingest_reader, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(ingest_reader.workers, "cpu_count", lambda: 2)
    result = read_inputs([str(tmp_path)], Settings())
    assert sorted(Path(a.path).name for a in result.articles) == ["a.txt", "b.txt"]
    reasons = {Path(s.source).name: s.reason for s in result.skipped}
    assert set(reasons) == {"gone.txt", "link.txt", "pipe.txt"}
    assert "broken symbolic link" in reasons["link.txt"] and "not a regular file" in reasons["pipe.txt"]
    assert reasons["gone.txt"].startswith("cannot read")


def test_a_windows_1252_byte_read_as_latin_1_is_its_windows_1252_character():
    from digest.ingest.decode import strip_spoofing

    assert strip_spoofing("For the test, subjects\x96the engineers themselves\x96spent hours at the dam.") == \
        "For the test, subjects–the engineers themselves–spent hours at the dam."
    assert strip_spoofing("\x93Yes,\x94 she said\x85 and left\x9d.") == "“Yes,” she said… and left."


def test_a_closing_mark_lost_to_a_wrong_decoding_is_restored():
    from digest.ingest.decode import restore_lost_marks

    assert restore_lost_marks("“It’s drivers helping drivers,\ufffd? said Jo Roe.") == \
        "“It’s drivers helping drivers,” said Jo Roe."
    assert restore_lost_marks("The sign read \ufffd? and nothing more.") == "The sign read \ufffd? and nothing more."


def test_a_file_with_lost_closing_marks_reads_with_its_quotes_whole(tmp_path):
    (tmp_path / "a.txt").write_text("Harbour reopens\n\n“We are ready,\ufffd? said Jo Roe, the harbour master.\n",
                                    encoding="utf-8")
    article = read_inputs([str(tmp_path)], Settings()).articles[0]
    assert "“We are ready,” said Jo Roe" in article.text


def test_file_article_keys_are_the_readers_duplicate_keys(tmp_path) -> None:
    from digest.ingest.reader import article_keys, read_file_articles
    from digest.settings import Settings

    with_url = tmp_path / "a.md"
    with_url.write_text("---\ntitle: Bridge reopens\nurl: HTTPS://Example.com/news/bridge/?utm_source=x&id=3#top\n---\n\n"
                        "The bridge reopened on Monday after two weeks of repairs, officials said.\n", encoding="utf-8")
    without_url = tmp_path / "b.txt"
    without_url.write_text("The ferry resumed service on Tuesday, the operator said.\n", encoding="utf-8")
    for path in (with_url, without_url):
        found, problem = read_file_articles(path, tmp_path, Settings(), {})
        assert problem is None and found and found[0].article is not None
        assert found[0].keys == article_keys(found[0].article)
    assert read_file_articles(with_url, tmp_path, Settings(), {})[0][0].keys[0] == "https://example.com/news/bridge?id=3"
