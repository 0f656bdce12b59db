"""Render stage: every section of a hand-made briefing in Markdown, HTML, PDF and JSON.

Goldens: ``tests/golden/rich.{md,html}``. Rewrite them after an intended change with
``UPDATE_GOLDEN=1 python -m pytest tests/test_render.py`` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
import socket
import sys
from dataclasses import replace
from pathlib import Path

import lxml.html
import markdown as python_markdown
import pytest
from hypothesis import given, settings as hyp_settings, strategies as st
from markdown_it import MarkdownIt

from digest import render
from digest.errors import OutputError
from digest.models import (
    Briefing, Disagreement, Fact, NextEvent, Quote, Reaction, SourceRef, StoryBrief, Version,
)
from digest.render import (
    escape_markdown, render_html, render_json, render_markdown, render_pdf, safe_url, write_outputs,
)
from digest.settings import Settings

GOLDEN = Path(__file__).resolve().parent / "golden"
SETTINGS = Settings()

LONG = ("The committee's final report, running to more than four hundred pages, concluded that the "
        "flood defences had been inspected on schedule but that the inspections themselves were "
        "too shallow to find the corrosion that eventually gave way during the storm surge.")
CYRILLIC = "Правительство объявило о новых мерах поддержки для пострадавших районов"
KOREAN = "정부는 피해 지역에 대한 새로운 지원 대책을 발표했다"


def rich_briefing() -> Briefing:
    """Three stories: every section filled, a long one, one in Russian, one in Korean (single outlet)."""
    sources = (
        SourceRef("a1", "Harbour Gazette", "Flood inquiry blames shallow inspections",
                  "https://gazette.example/news/flood-inquiry?id=42&lang=en", "2026-11-23T18:00:00+00:00"),
        SourceRef("a2", "Northern Wire", "Inquiry: corrosion missed for years",
                  "https://www.northernwire.example/a/2026/11/23/corrosion", "2026-11-23"),
        SourceRef("a3", "City Radio", None, "https://cityradio.example/story/7781", "2026-11-24"),
        SourceRef("a4", "Harbour Gazette", "Minister to answer questions on flood report",
                  "https://gazette.example/news/minister", "2026-11-24"),
        SourceRef("a5", "Вечерние новости", "Новые меры поддержки", "https://vesti.example/ru/123", "2026-11-24"),
        SourceRef("a6", "Утренний курьер", "Поддержка районов", "http://kurier.example/item?x=1", None),
        SourceRef("a7", "한국일보", "피해 지역 지원 대책 발표", "https://hankook.example/article/1", "2026-11-24"),
        SourceRef("a8", "Local Blog", "A report with a strange link", "javascript:alert(1)", "yesterday"),
    )
    flood = StoryBrief(
        headline="Flood inquiry finds inspections were too shallow to catch corrosion",
        summary=LONG,
        sources=("a1", "a2", "a3", "a4", "a8"),
        key_facts=(
            Fact("The report runs to 412 pages and makes 37 recommendations.", ("a1", "a2", "a3")),
            Fact("Inspections happened on schedule every year since 2015.", ("a1", "a4")),
            Fact(LONG + " " + LONG, ("a2",)),
        ),
        quotes=(
            Quote("We looked, but we did not look deep enough", "Maria Jensen", "", ("a1", "a2"),
                  "chair of the inquiry"),
            Quote("Nobody will be allowed to hide behind this report", "Tom Ellis", "", ("a3",), None),
        ),
        reactions=(
            Reaction("Residents' association", "Called for the defences to be rebuilt, not repaired.", ("a3",)),
            Reaction("Opposition", "Demanded the minister's resignation.", ("a2", "a4")),
        ),
        whats_next=(
            NextEvent("The minister answers questions in parliament.", "on Thursday", ("a4",), "2026-11-26"),
            NextEvent("Repairs are to be tendered.", "early next year", ("a1",), None),
        ),
        disagreements=(
            Disagreement("How many homes were flooded", (
                Version("About 1,200 homes were flooded.", ("a1", "a4")),
                Version("More than 2,000 homes were flooded.", ("a2",)),
            )),
        ),
        updated=True,
    )
    russian = StoryBrief(
        headline=CYRILLIC,
        summary="Власти выделят средства на восстановление жилья и дорог в течение двух месяцев.",
        sources=("a5", "a6"),
        key_facts=(Fact("Выплаты начнутся в декабре.", ("a5", "a6")),),
        quotes=(Quote("Мы поможем каждому", "Анна Петрова", "", ("a5",), "министр"),),
    )
    korean = StoryBrief(
        headline=KOREAN,
        summary="정부는 다음 달부터 복구 자금을 지원한다.",
        sources=("a7",),
        key_facts=(Fact("지원금은 12월에 지급된다.", ("a7",)),),
        single_outlet=True,
    )
    return Briefing(
        title="Morning Briefing",
        generated_at="2026-11-24T07:30:00+00:00",
        sources=sources,
        stories=(flood, russian, korean),
        notes=("Two inputs were skipped: unreadable files.",),
    )


HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=\"http://evil.example/\"></iframe>",
    "[click me](javascript:alert(1))",
    "![pixel](http://evil.example/p.png)",
    "<!-- hidden comment -->",
    "{{ 7*7 }} and {% raw %}",
    "<a href=\"javascript:alert(2)\">link</a>",
]


def hostile_briefing() -> Briefing:
    """Every text field carries markup, links, images, comments and template syntax."""
    joined = " ".join(HOSTILE)
    sources = (SourceRef("h1", HOSTILE[0], HOSTILE[1], "javascript:alert(3)", HOSTILE[5]),
               SourceRef("h2", "Plain Outlet", joined, "https://ok.example/a\"onmouseover=\"x", None))
    story = StoryBrief(
        headline=HOSTILE[0], summary=joined, sources=("h1", "h2"),
        key_facts=tuple(Fact(t, ("h1",)) for t in HOSTILE),
        quotes=(Quote(HOSTILE[2], HOSTILE[1], "", ("h2",), HOSTILE[6]),),
        reactions=(Reaction(HOSTILE[3], HOSTILE[4], ("h1",)),),
        whats_next=(NextEvent(HOSTILE[7], HOSTILE[6], ("h2",), HOSTILE[0]),),
        disagreements=(Disagreement(HOSTILE[5], (Version(HOSTILE[3], ("h1",)),)),),
    )
    return Briefing(HOSTILE[6], "2026-11-24T07:30:00+00:00", sources, (story,), (joined,))


def body_of(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html).find("body")


def sel(element, selector: str) -> list:
    """Elements matching a simple CSS selector: ``tag.class`` steps joined by spaces, alternatives by commas."""
    paths = []
    for alternative in selector.split(","):
        steps = []
        for step in alternative.split():
            tag, _, cls = step.partition(".")
            test = f"[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]" if cls else ""
            steps.append(f"descendant::{tag or '*'}{test}")
        paths.append("./" + "/".join(steps))
    return element.xpath(" | ".join(paths))


def commonmark(text: str) -> str:
    """HTML as a CommonMark/GitHub-style viewer shows ``text``."""
    return MarkdownIt("commonmark").enable(["strikethrough", "table"]).render(text)


@pytest.fixture(scope="module")
def rich() -> Briefing:
    return rich_briefing()


# --- goldens ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_rich_briefing_matches_golden(rich, fmt):
    text = render_markdown(rich, SETTINGS) if fmt == "md" else render_html(rich, SETTINGS)
    golden = GOLDEN / f"rich.{fmt}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), "no golden yet: run with UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"{fmt} changed; if intended, rerun with UPDATE_GOLDEN=1"


# --- every section, in order ---------------------------------------------------------


SECTION_ORDER = ["Key facts", "Quotes", "Reactions", "What’s next", "Where sources disagree"]


def test_markdown_has_every_section_in_reading_order(rich):
    md = render_markdown(rich, SETTINGS)
    positions = [md.index(f"### {name}") for name in SECTION_ORDER]
    assert positions == sorted(positions)
    assert md.index("## Sources") > positions[-1]
    assert CYRILLIC in md and KOREAN in md
    assert "**In this briefing**" in md  # more than one story: contents
    assert "*3 of 4 outlets*" in md  # a1,a2,a3 are 3 outlets; the story has 4 (Harbour Gazette twice)


def test_markdown_renders_as_a_clean_document_in_a_commonmark_viewer(rich):
    doc = lxml.html.fromstring(f"<div>{commonmark(render_markdown(rich, SETTINGS))}</div>")
    assert [h.text_content() for h in doc.iter("h1")] == ["Morning Briefing"]
    assert [h.text_content() for h in doc.iter("h2")] == [s.headline for s in rich.stories] + ["Sources"]
    anchors = {a.get("id") for a in doc.xpath("//a[@id]")}
    assert anchors == {f"src-{i}" for i in range(1, len(rich.sources) + 1)}
    assert {a.get("href")[1:] for a in doc.xpath("//a[starts-with(@href, '#')]")} <= anchors
    assert len(doc.xpath("//blockquote")) == 3
    assert doc.xpath("//ol")[-1].xpath("count(li)") == len(rich.sources)


def test_html_has_every_section_heading_in_order(rich):
    body = body_of(render_html(rich, SETTINGS))
    first_story = sel(body, "article.story")[0]
    assert [h.text_content() for h in sel(first_story, "h3")] == SECTION_ORDER
    assert [sel(q, ".speaker")[0].text for q in sel(first_story, "figure.quote")] == [
        "Maria Jensen", "Tom Ellis"]
    assert sel(first_story, "figure.quote .role")[0].text_content() == ", chair of the inquiry"
    assert sel(first_story, ".next time")[0].get("datetime") == "2026-11-26"
    assert sel(first_story, ".badge-updated")
    korean = sel(body, "article.story")[2]
    assert sel(korean, ".badge-single") and KOREAN in korean.text_content()


def test_html_is_accessible_and_self_contained(rich):
    html = render_html(rich, replace(SETTINGS, language="de"))
    doc = lxml.html.fromstring(html)
    assert doc.get("lang") == "de"
    levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"heading level skipped: {levels}"
    for link in doc.iter("a"):
        assert link.text_content().strip() or link.get("aria-label"), lxml.html.tostring(link)
    # Nothing to fetch: no external stylesheet, script, image or frame, and a CSP that forbids them.
    assert not doc.xpath("//script | //link | //img | //iframe | //object | //embed | //*[@src]")
    assert "default-src 'none'" in doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    style = doc.xpath("//style")[0].text
    assert "@import" not in style and not re.search(r"url\(", style)


def test_colours_have_enough_contrast_in_light_and_dark_mode():
    css = (render.TEMPLATES_DIR / "style.css").read_text(encoding="utf-8")
    light, dark = css.split("prefers-color-scheme: dark", 1)

    def colours(block):
        return dict(re.findall(r"--(\w+):\s*(#[0-9a-f]{6})", block))

    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    def contrast(a, b):
        hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    for scheme in (colours(light), colours(dark)):
        for name in ("fg", "muted", "link", "accent"):
            for background in ("bg", "panel"):
                assert contrast(scheme[name], scheme[background]) >= 4.5, (name, background, scheme)


# --- source markers -----------------------------------------------------------------


def test_every_html_marker_points_at_the_source_with_that_number(rich):
    body = body_of(render_html(rich, SETTINGS))
    entries = sel(body, ".source-list li")
    assert [li.get("id") for li in entries] == [f"src-{i}" for i in range(1, len(rich.sources) + 1)]
    markers = sel(body, "sup.refs a")
    assert len(markers) > 10
    for marker in markers:
        number = int(marker.text)
        target = body.get_element_by_id(marker.get("href")[1:])
        assert sel(target, ".num")[0].text == str(number)
        outlet = sel(target, ".outlet")[0].text
        assert marker.get("aria-label") == f"Source {number}: {outlet}"
        assert outlet == (rich.sources[number - 1].outlet)


def test_markdown_markers_match_the_numbered_source_list(rich):
    md = render_markdown(rich, SETTINGS)
    sources_part = md.split("## Sources", 1)[1]
    for i, source in enumerate(rich.sources, 1):
        assert f"{i}. <a id=\"src-{i}\"></a>**{source.outlet}**" in sources_part
    for number in re.findall(r"\]\(#src-(\d+)\)", md.split("## Sources")[0]):
        assert 1 <= int(number) <= len(rich.sources)


def test_unknown_source_ids_are_left_out_not_fatal(rich):
    story = replace(rich.stories[0], key_facts=(Fact("An orphan fact.", ("nope", "a1")),))
    briefing = replace(rich, stories=(story,))
    body = body_of(render_html(briefing, SETTINGS))
    fact = sel(body, ".facts li")[0]
    assert [a.text for a in sel(fact, "sup.refs a")] == ["1"]
    assert "An orphan fact. [1](#src-1)" in render_markdown(briefing, SETTINGS)


def widely_carried_briefing(outlets: int = 30, per_outlet: int = 1) -> Briefing:
    """One story carried by many outlets, a fact in every article and a fact in two of them."""
    sources = tuple(SourceRef(f"s{o}-{k}", f"Outlet {o:02d}", f"Title {o}-{k}", f"https://o{o}.example/{k}")
                    for o in range(outlets) for k in range(per_outlet))
    ids = tuple(s.id for s in sources)
    story = StoryBrief(headline="A story everyone carried", summary="Everyone carried it.", sources=ids,
                       key_facts=(Fact("Every outlet printed this.", ids), Fact("Two printed this.", ids[-2:])))
    return Briefing("News digest", "2026-12-02T08:00:00+00:00", sources, (story,))


def test_an_item_carried_by_many_sources_shows_five_markers_and_a_count():
    briefing = widely_carried_briefing(outlets=30)
    md = render_markdown(briefing, SETTINGS)
    assert "Every outlet printed this. [1](#src-1) [2](#src-2) [3](#src-3) [4](#src-4) [5](#src-5) +25 more" in md
    body = body_of(render_html(briefing, SETTINGS))
    first = sel(body, ".facts li")[0]
    assert [a.text for a in sel(first, "sup.refs a")] == ["1", "2", "3", "4", "5"]
    assert sel(first, "sup.refs .more")[0].text.strip() == "+25"
    assert " +25 more]" in render.render_email_text(briefing, SETTINGS)


def test_a_widely_carried_story_names_eight_outlets_and_counts_the_rest():
    md = render_markdown(widely_carried_briefing(outlets=30), SETTINGS)
    line = next(line for line in md.splitlines() if line.startswith("Reported by"))
    assert line.startswith("Reported by 30 outlets: Outlet 00 [1](#src-1), Outlet 01 [2](#src-2)")
    assert line.count("](#src-") == 8 and line.endswith("Outlet 07 [8](#src-8) and 22 more")


def test_the_sources_list_holds_what_the_markers_point_to_and_counts_the_rest():
    briefing = widely_carried_briefing(outlets=30)
    md = render_markdown(briefing, SETTINGS)
    listed = re.findall(r"^(\d+)\. <a id=\"src-\d+\"></a>\*\*(.+?)\*\*", md.split("## Sources")[1], re.M)
    # Outlets 00-07 (the header and the first fact) and 28-29 (the second fact), numbered without gaps.
    assert [outlet for _, outlet in listed] == [f"Outlet {o:02d}" for o in (*range(8), 28, 29)]
    assert [int(n) for n, _ in listed] == list(range(1, 11))
    assert "Two printed this. [9](#src-9) [10](#src-10)" in md
    assert "*20 more sources carried these stories; the JSON briefing lists every source.*" in md
    body = body_of(render_html(briefing, SETTINGS))
    assert len(sel(body, ".source-list li")) == 10
    assert "20 more sources carried these stories" in sel(body, ".sources .unlisted")[0].text
    assert len(json.loads(render_json(briefing))["sources"]) == 30  # the data keeps every source


def test_capped_markers_show_the_spread_of_outlets_first():
    # Outlet 00 carried six articles: five markers would otherwise all be Outlet 00's.
    briefing = widely_carried_briefing(outlets=3, per_outlet=6)
    body = body_of(render_html(briefing, SETTINGS))
    first = sel(body, ".facts li")[0]
    outlets = [a.get("aria-label").split(": ")[1] for a in sel(first, "sup.refs a")]
    assert len(outlets) == 5 and set(outlets) == {"Outlet 00", "Outlet 01", "Outlet 02"}
    assert sel(first, "sup.refs .more")[0].text.strip() == "+13"


def test_unknown_source_ids_are_not_counted_as_more_outlets():
    briefing = widely_carried_briefing(outlets=3)
    story = replace(briefing.stories[0], sources=briefing.stories[0].sources + ("gone-1", "gone-2"))
    md = render_markdown(replace(briefing, stories=(story,)), SETTINGS)
    line = next(line for line in md.splitlines() if line.startswith("Reported by"))
    assert "more" not in line and line.count("](#src-") == 3


@hyp_settings(max_examples=60, deadline=None)
@given(st.data())
def test_every_shown_marker_points_at_a_listed_source_and_the_counts_add_up(data):
    outlets = data.draw(st.integers(1, 12))
    sources = tuple(SourceRef(f"s{i}", f"Outlet {data.draw(st.integers(0, outlets - 1))}", None,
                              f"https://o.example/{i}") for i in range(data.draw(st.integers(1, 40))))
    ids = [s.id for s in sources] + ["unknown"]
    pick = st.lists(st.sampled_from(ids), min_size=1, max_size=30)
    facts = tuple(Fact(f"Fact number {k} of the story.", tuple(data.draw(pick)))
                  for k in range(data.draw(st.integers(1, 4))))
    story = StoryBrief(headline="A story", summary="What happened.", sources=tuple(data.draw(pick)), key_facts=facts)
    briefing = Briefing("News digest", "2026-12-02T08:00:00+00:00", sources, (story,))
    ctx = render._context(briefing, SETTINGS)
    listed = ctx.listed_sources()
    assert [ctx.source_numbers[s.id] for s in listed] == list(range(1, len(listed) + 1))
    assert ctx.unlisted_sources() == len(sources) - len(listed)
    for fact in facts:
        markers = ctx.markers(fact.sources)
        known = {i for i in fact.sources if i != "unknown"}
        assert len(markers) == min(len(known), 5) and len(markers) + ctx.more_sources(fact.sources) == len(known)
        assert all(listed[m.number - 1] is m.source for m in markers)
    md = render_markdown(briefing, SETTINGS)
    for number in re.findall(r"\]\(#src-(\d+)\)", md.split("## Sources")[0]):
        assert 1 <= int(number) <= len(listed)


def test_only_http_links_become_links(rich):
    body = body_of(render_html(rich, SETTINGS))
    hrefs = [a.get("href") for a in body.iter("a")]
    assert all(h.startswith(("#src-", "#story-", "https://", "http://")) for h in hrefs), hrefs
    strange = body.get_element_by_id("src-8")
    assert not sel(strange, "a") and "javascript:alert(1)" in strange.text_content()
    md = render_markdown(rich, SETTINGS)
    assert "](javascript" not in md and "<javascript" not in md
    assert "[Flood inquiry blames shallow inspections](https://gazette.example/news/flood-inquiry?id=42&lang=en)" in md


def test_a_source_with_no_web_address_is_listed_with_its_file_name(rich):
    from_files = replace(rich, sources=tuple(
        replace(s, url=None, path=f"/home/desk/inbox/{s.id}.txt") if s.id in ("a1", "a3") else replace(s, path="in/x.txt")
        for s in rich.sources))
    md = render_markdown(from_files, SETTINGS)
    first = next(line for line in md.splitlines() if 'id="src-1"' in line)
    assert first.endswith("· file a1.txt") and "/home/desk" not in md
    assert "file x.txt" not in md  # a source with a web address is found by it
    body = body_of(render_html(from_files, SETTINGS))
    assert "file a1.txt" in body.get_element_by_id("src-1").text_content()
    assert "file a3.txt" in render.render_email_text(from_files, SETTINGS)


@pytest.mark.parametrize("url, expected", [
    ("https://example.com/a?b=1&c=2", "https://example.com/a?b=1&c=2"),
    ("http://example.com/a b", None),
    ("javascript:alert(1)", None),
    ("JAVASCRIPT:alert(1)", None),
    ("data:text/html,<script>", None),
    ("//example.com/x", None),
    ("https:///nohost", None),
    ("https://example.com/a(b)<c>\"d'", "https://example.com/a%28b%29%3Cc%3E%22d%27"),
    ("", None),
    (None, None),
])
def test_safe_url(url, expected):
    assert safe_url(url) == expected


# --- article text is data, never markup --------------------------------------------------


def test_hostile_text_is_plain_text_in_html():
    html = render_html(hostile_briefing(), SETTINGS)
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//script | //img | //iframe | //*[@onerror] | //*[@onmouseover]")
    assert not [a for a in doc.iter("a") if not a.get("href", "").startswith(("#", "https://"))]
    text = doc.find("body").text_content()
    for snippet in HOSTILE:
        assert snippet in text, snippet
    assert "49" not in text
    assert "<!--" not in html.split("<body>")[1].replace("&lt;!--", "")


@pytest.mark.parametrize("viewer", ["commonmark", "python-markdown"])
def test_hostile_text_is_plain_text_in_markdown_viewers(viewer):
    md = render_markdown(hostile_briefing(), SETTINGS)
    html = commonmark(md) if viewer == "commonmark" else python_markdown.markdown(md)
    doc = lxml.html.fromstring(f"<div>{html}</div>")
    assert not doc.xpath("//script | //img | //iframe | //*[@onerror] | //comment()")
    for link in doc.xpath("//a[@href]"):
        assert link.get("href").startswith(("#src-", "https://")), lxml.html.tostring(link)
    text = doc.text_content()
    assert "49" not in text
    if viewer == "commonmark":  # the reference dialect shows every snippet exactly
        for snippet in HOSTILE:
            assert snippet in text, snippet


_MD_ALPHABET = st.sampled_from(list("ab1 .#*_-+>![](){}<>&;`~|\\=:\"'/\nй한") + ["&amp;", "<!--", "-->", "javascript:"])


@given(st.lists(_MD_ALPHABET, max_size=40).map("".join))
@hyp_settings(max_examples=300, deadline=None)
def test_escaped_markdown_shows_exactly_the_text(text):
    rendered = commonmark(f"- {escape_markdown(text)}\n")
    doc = lxml.html.fromstring(f"<div>{rendered}</div>")
    assert [e.tag for e in doc.iter()] == ["div", "ul", "li"], rendered
    assert doc.text_content().strip() == " ".join(text.split())


def test_hostile_text_is_plain_text_in_pdf():
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(hostile_briefing(), SETTINGS)))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    for snippet in ("<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "{{ 7*7 }}"):
        assert snippet in flat, snippet
    uris = [a.get_object().get("/A", {}).get("/URI") for p in reader.pages for a in p.get("/Annots", []) or []]
    assert not [u for u in uris if u and not str(u).startswith("https://")], uris


# --- PDF: network refused, every fetch recorded ----------------------------------------------


def test_pdf_fetches_nothing_from_the_network(monkeypatch, tmp_path):
    fetched: list[str] = []
    real_check = render.check_fetch

    def recording_check(url, allowed):
        fetched.append(url)
        return real_check(url, allowed)

    connects: list[object] = []

    def no_connect(self, address):
        connects.append(address)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(render, "check_fetch", recording_check)
    monkeypatch.setattr(socket.socket, "connect", no_connect)
    # A user template that asks for remote and local-but-foreign resources.
    (tmp_path / "style.css").write_text(
        '@import url("http://evil.example/x.css");\n'
        'body { background: url("https://evil.example/bg.png"); }\n'
        '.title { background: url("file:///etc/passwd"); }\n', encoding="utf-8")
    settings = replace(SETTINGS, templates_dir=str(tmp_path))
    pdf = render_pdf(hostile_briefing(), settings)
    assert pdf.startswith(b"%PDF")
    assert connects == []
    assert any(u.startswith("http://evil.example") for u in fetched), fetched
    for url in fetched:
        with pytest.raises(ValueError):
            real_check(url, render._allowed_dirs(settings))
    # Article text never becomes a fetch: the hostile <img>/<iframe> URLs were not requested.
    assert not [u for u in fetched if "p.png" in u or u.startswith("x")]


# --- PDF worker: WeasyPrint imported in a second process while the run builds the briefing -----------


def test_the_pdf_worker_renders_the_bytes_this_process_renders():
    html = render.render_html(hostile_briefing(), SETTINGS, for_print=True)
    allowed = render._allowed_dirs(SETTINGS)
    worker = render._PdfWorker()
    try:
        assert worker.render(html, allowed) == render.pdf_from_html(html, allowed)
    finally:
        worker.close()


def test_a_dead_pdf_worker_leaves_the_pdf_to_this_process(monkeypatch):
    worker = render._PdfWorker()
    worker.process.kill()
    worker.process.wait()
    monkeypatch.setattr(render, "_pdf_worker", worker)
    pdf = render_pdf(hostile_briefing(), SETTINGS)
    assert render._pdf_worker is None  # used up: a worker serves one PDF
    assert pdf == render.pdf_from_html(render.render_html(hostile_briefing(), SETTINGS, for_print=True),
                                       render._allowed_dirs(SETTINGS))
    worker.close()


def test_an_unused_pdf_worker_is_stopped_when_the_run_ends(monkeypatch):
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)  # as in a fresh run
    monkeypatch.setattr(render, "_spare_core", lambda: True)
    with pytest.raises(RuntimeError):
        with render.pdf_worker(True):
            worker = render._pdf_worker
            assert worker is not None and worker.process.poll() is None
            raise RuntimeError("the run failed before its PDF")
    assert render._pdf_worker is None and worker.process.returncode is not None
    with render.pdf_worker(False):
        assert render._pdf_worker is None  # no PDF wanted, no worker
    monkeypatch.setattr(render, "_spare_core", lambda: False)
    with render.pdf_worker(True):
        assert render._pdf_worker is None  # no idle core: nothing to overlap with


def test_check_fetch_allows_only_templates_fonts_and_data(tmp_path):
    allowed = render._allowed_dirs(replace(SETTINGS, templates_dir=str(tmp_path)))
    render.check_fetch((render.TEMPLATES_DIR / "style.css").as_uri(), allowed)
    render.check_fetch((tmp_path / "logo.svg").as_uri(), allowed)
    render.check_fetch("data:image/png;base64,AAAA", allowed)
    for url in ("http://example.com/", "https://example.com/", "ftp://x/", "file:///etc/passwd",
                (render.TEMPLATES_DIR / ".." / "digest" / "render.py").as_uri()):
        with pytest.raises(ValueError):
            render.check_fetch(url, allowed)


# --- robustness ------------------------------------------------------------------------


def test_empty_briefing_renders_in_every_format(tmp_path):
    empty = Briefing("Nothing today", "2026-11-24T07:30:00+00:00", (), ())
    paths = write_outputs(empty, tmp_path, ("md", "html", "pdf", "json"), SETTINGS)
    assert [p.name for p in paths] == ["briefing.md", "briefing.html", "briefing.pdf", "briefing.json"]
    assert "No stories in this briefing" in render_markdown(empty, SETTINGS)
    assert "No stories in this briefing" in body_of(render_html(empty, SETTINGS)).text_content()
    assert "## Sources" not in render_markdown(empty, SETTINGS)


def test_story_with_empty_sections_shows_no_empty_headings(rich):
    bare = StoryBrief("Only a headline", "", ("a1",))
    briefing = replace(rich, stories=(bare,))
    md = render_markdown(briefing, SETTINGS)
    assert "###" not in md and "In this briefing" not in md
    assert not sel(body_of(render_html(briefing, SETTINGS)), "h3, nav")


def test_many_stories_all_listed_in_contents(rich):
    stories = tuple(replace(rich.stories[i % 3], headline=f"Story number {i}") for i in range(40))
    briefing = replace(rich, stories=stories)
    body = body_of(render_html(briefing, SETTINGS))
    assert len(sel(body, "nav.toc li")) == 40
    assert [a.get("href") for a in sel(body, "nav.toc a")] == [f"#story-{i}" for i in range(1, 41)]
    assert len({a.get("id") for a in sel(body, "article")}) == 40


def test_multiline_titles_do_not_break_markdown(rich):
    source = replace(rich.sources[0], title="Headline\nUpdated 14:23, 14-Sep-2023\n\n# not a heading")
    briefing = replace(rich, sources=(source,) + rich.sources[1:])
    md = render_markdown(briefing, SETTINGS)
    html = commonmark(md)
    assert "not a heading</h1>" not in html
    assert "Headline Updated 14:23, 14-Sep-2023 # not a heading" in lxml.html.fromstring(html).text_content()


def test_json_round_trips(rich):
    import json

    assert Briefing.from_dict(json.loads(render_json(rich))) == rich


# --- options --------------------------------------------------------------------------


def test_user_templates_take_precedence(rich, tmp_path):
    (tmp_path / "briefing.md.j2").write_text("CUSTOM {{ ctx.briefing.title | md }}\n", encoding="utf-8")
    (tmp_path / "style.css").write_text(".custom-marker { color: red; }\n", encoding="utf-8")
    settings = replace(SETTINGS, templates_dir=str(tmp_path))
    assert render_markdown(rich, settings) == "CUSTOM Morning Briefing\n"
    html = render_html(rich, settings)
    assert ".custom-marker" in html and "--accent" not in html  # style.css replaced...
    assert "@page" in html and "Key facts" in html  # ...print.css and body.html.j2 still built in


def test_templates_dir_from_the_config_file(rich, tmp_path):
    from digest.settings import load_settings

    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "briefing.md.j2").write_text("Mine: {{ ctx.briefing.stories | length }}\n", encoding="utf-8")
    config = tmp_path / "digest.toml"
    config.write_text(f'[output]\ntemplates_dir = "{tmp_path / "mine"}"\n', encoding="utf-8")
    assert render_markdown(rich, load_settings(config)) == "Mine: 3\n"


def test_broken_user_template_is_an_output_error(rich, tmp_path):
    (tmp_path / "briefing.md.j2").write_text("{{ ctx.no_such_thing }}", encoding="utf-8")
    with pytest.raises(OutputError, match="briefing.md.j2"):
        render_markdown(rich, replace(SETTINGS, templates_dir=str(tmp_path)))


def test_page_size_is_validated(rich):
    with pytest.raises(OutputError, match="page size"):
        render_html(rich, replace(SETTINGS, page_size="A4; } body { display:none"))
    assert "size: letter;" in render_html(rich, replace(SETTINGS, page_size="Letter"))


def test_unknown_format_is_refused(rich, tmp_path):
    with pytest.raises(OutputError, match="unknown format"):
        write_outputs(rich, tmp_path, ("md", "docx"), SETTINGS)


def test_render_groups_one_actors_reactions_under_one_bullet() -> None:
    from digest.models import Briefing, Reaction, SourceRef, StoryBrief
    from digest.render import render_html, render_markdown
    from digest.settings import Settings

    story = StoryBrief("Port strike ends", "Dockers returned to work.", ("a", "b"), reactions=(
        Reaction("Unions", "The union called the deal a victory.", ("a",)),
        Reaction("Unions", "A second union said it would vote on Friday.", ("b",)),
        Reaction("Ministry of Transport", "The ministry welcomed the end of the strike.", ("a",)),
    ))
    briefing = Briefing("Digest", "2026-11-24T07:00:00+00:00",
                        (SourceRef("a", "Harbour Times"), SourceRef("b", "Coast Post")), (story,))
    markdown = render_markdown(briefing, Settings())
    assert markdown.count("**Unions:**") == 1 and markdown.count("**Ministry of Transport:**") == 1
    assert "A second union said it would vote on Friday." in markdown
    html = render_html(briefing, Settings())
    section = html[html.index('class="section reactions"'):]
    section = section[: section.index("</section>")]
    assert section.count("<li>") == 2 and "A second union said" in section


# --- tap targets, measured in a real browser (issue 14) ----------------------------------------

def marker_sizes(html: str, tmp_path) -> list[list[float]]:
    """Width and height of every source marker link as headless Chromium lays ``html`` out at 390 px."""
    import json as json_module
    from html import escape

    import lxml.html

    from test_visual import chromium

    script = ("window.addEventListener('load',function(){var d=document.getElementById('f').contentDocument;"
              "var s=[].slice.call(d.querySelectorAll('.refs a')).map(function(a){var r=a.getBoundingClientRect();"
              "return [r.width,r.height];});document.body.setAttribute('data-sizes',JSON.stringify(s));});")
    page = tmp_path / "harness.html"
    page.write_text(f"<!DOCTYPE html><html><body><iframe id='f' style='width:390px;height:800px' "
                    f"srcdoc=\"{escape(html, quote=True)}\"></iframe><script>{script}</script></body></html>",
                    encoding="utf-8")
    dom = chromium("--dump-dom", "--virtual-time-budget=5000", page.as_uri())
    return json_module.loads(lxml.html.fromstring(dom).find("body").get("data-sizes"))


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium missing")
@pytest.mark.parametrize("view", ["page", "email"])
def test_source_markers_are_at_least_24_px_targets(rich, tmp_path, view):
    from digest.render import render_email_html

    html = render_html(rich, SETTINGS) if view == "page" else render_email_html(rich, SETTINGS, pdf_attached=False)
    sizes = marker_sizes(html, tmp_path)
    assert len(sizes) > 10
    assert min(w for w, _ in sizes) >= 24 and min(h for _, h in sizes) >= 24, sizes[:5]


@pytest.mark.parametrize("value, shown", [("2023-10", "Oct 2023"), ("2023-09-14", "14 Sep 2023"),
                                          ("2023-09-14T18:00:00+00:00", "14 Sep 2023"), ("next month", "next month")])
def test_short_date_is_the_one_date_style(value, shown):
    from digest.render import short_date

    assert short_date(value) == shown


def test_compiled_templates_are_kept_between_runs_and_an_edited_one_is_compiled_again(rich, tmp_path, user_places):
    (tmp_path / "briefing.md.j2").write_text("First {{ ctx.briefing.title | md }}\n", encoding="utf-8")
    settings = replace(SETTINGS, templates_dir=str(tmp_path))
    render.template_environment.cache_clear()  # a fresh process: the bytecode cache is that of this test
    try:
        assert render_markdown(rich, settings) == "First Morning Briefing\n"
        assert list((user_places / "cache" / "newsdigest" / "templates").glob("*.cache"))
        render.template_environment.cache_clear()  # the next run
        (tmp_path / "briefing.md.j2").write_text("Again {{ ctx.briefing.title | md }}\n", encoding="utf-8")
        os.utime(tmp_path / "briefing.md.j2", ns=(1, 1))  # even with an older time stamp: the source is compared
        assert render_markdown(rich, settings) == "Again Morning Briefing\n"
    finally:
        render.template_environment.cache_clear()


def test_templates_render_when_the_cache_cannot_be_written(rich, user_places):
    (user_places / "cache").write_text("a file where the cache folder would be", encoding="utf-8")
    render.template_environment.cache_clear()
    try:
        assert render_markdown(rich, SETTINGS).startswith("# Morning Briefing")
    finally:
        render.template_environment.cache_clear()
