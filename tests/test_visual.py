"""The briefing as a reader sees it: PDF pages as images, and the HTML in a real headless Chromium.

Images are kept under ``out/visual/`` (not in git) so a person can look at them:
``python -m pytest tests/test_visual.py`` then open ``out/visual/*.png``.
PDF tests need poppler-utils (pdftoppm); browser tests need Debian's chromium.
"""

from __future__ import annotations

import http.server
import io
import json
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader

from digest import render
from digest.models import Fact, SourceRef
from digest.render import render_html, render_pdf
from digest.settings import Settings

from test_render import CYRILLIC, KOREAN, rich_briefing

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "out" / "visual"
CHROMIUM = Path("/usr/bin/chromium")
SETTINGS = Settings()
A4 = (595.3, 841.9)
LETTER = (612.0, 792.0)

needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm missing: apt-get install poppler-utils")
browser = pytest.mark.browser
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium missing: apt-get install chromium")


def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def page_images(pdf: bytes, name: str, dpi: int = 70) -> list[Path]:
    """Write the PDF's pages as ``out/visual/<name>-<n>.png`` with pdftoppm; return the images."""
    folder = artifacts()
    for old in folder.glob(f"{name}-*.png"):
        old.unlink()
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(folder / name)], check=True, timeout=60)
    return sorted(folder.glob(f"{name}-*.png"))


def pdf_text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):
    """The seeds through the whole pipeline, as ``digest run`` does."""
    from digest.pipeline import run_digest

    out = tmp_path_factory.mktemp("seeds")
    settings = replace(SETTINGS, inputs=(str(REPO / "seeds"),))
    outcome = run_digest(settings, now=datetime(2026, 11, 24, 7, 30, tzinfo=timezone.utc), out_dir=out)
    return outcome.briefing, out


@pytest.fixture(scope="module")
def rich_pdf() -> bytes:
    return render_pdf(rich_briefing(), SETTINGS)


# --- PDF ----------------------------------------------------------------------------------


@pytest.mark.slow
@needs_pdftoppm
def test_seeds_pdf_fits_two_a4_pages_with_sections_in_order(seeds_run):
    briefing, out = seeds_run
    pdf = (out / "briefing.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 2, f"seeds briefing takes {len(reader.pages)} A4 pages"
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width, 1), round(height, 1)) == A4
    images = page_images(pdf, "seeds")
    assert len(images) == len(reader.pages) and all(p.stat().st_size > 5000 for p in images)
    text = pdf_text(reader).lower()
    story = briefing.stories[0]
    expected = [briefing.title, " ".join(story.headline.split())[:40]]
    expected += [name for name, items in (("key facts", story.key_facts), ("quotes", story.quotes),
                                          ("reactions", story.reactions), ("what’s next", story.whats_next),
                                          ("where sources disagree", story.disagreements)) if items]
    expected += ["sources", briefing.sources[-1].id if not briefing.sources[-1].outlet else briefing.sources[-1].outlet]
    position = -1
    for item in expected:  # each one after the one before
        position = text.find(item.lower(), position + 1)
        assert position >= 0, f"{item!r} missing or out of order in the PDF text"
    assert f"page 1 of {len(reader.pages)}" in text


@pytest.mark.slow
@needs_pdftoppm
def test_rich_pdf_pages_header_footer_and_contents(rich_pdf):
    reader = PdfReader(io.BytesIO(rich_pdf))
    pages = len(reader.pages)
    page_images(rich_pdf, "rich")
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    for n, text in enumerate(texts, 1):
        assert f"Page {n} of {pages}" in text
    assert all("Morning Briefing" in t and "Tuesday 24 November 2026" in t for t in texts)
    # Contents: one entry per story, each with the page it starts on.
    contents = texts[0].split("IN THIS BRIEFING", 1)[1]
    assert re.search(r"Flood inquiry finds inspections were too shallow to catch corrosion[ .]+1", contents)
    assert CYRILLIC in " ".join(texts) and KOREAN in " ".join(texts)


@pytest.mark.slow
def test_rich_pdf_metadata_and_fonts_are_embedded(rich_pdf):
    reader = PdfReader(io.BytesIO(rich_pdf))
    meta = reader.metadata
    assert meta.title == "Morning Briefing — 24 Nov 2026"
    assert meta.author == "newsdigest"
    assert meta.creation_date.year == 2026
    assert reader.trailer["/Root"]["/Lang"] == "en"
    # The outline (bookmarks) lists the contents, every story and the sources, not each section heading.
    assert [o.title for o in reader.outline[1]] == ["In this briefing", *(s.headline for s in rich_briefing().stories),
                                                    "Sources"]
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts  # every font is embedded
    names = " ".join(fonts)
    assert "Noto-Serif" in names and "Noto-Sans" in names and "CJK-KR" in names, names


@pytest.mark.slow
def test_letter_option_gives_letter_pages():
    reader = PdfReader(io.BytesIO(render_pdf(rich_briefing(), replace(SETTINGS, page_size="Letter"))))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width, 1), round(height, 1)) == LETTER


def _walk(box, ancestors=()):
    """(text box, tags of its ancestors) for every piece of text in a WeasyPrint box tree."""
    tags = ancestors + ((getattr(box, "element_tag", None), getattr(box, "element", None)),)
    if type(box).__name__ == "TextBox":
        yield box, tags
    for child in getattr(box, "children", ()):
        if type(child).__name__ != "MarginBox":  # running header and footer
            yield from _walk(child, tags)


@pytest.mark.slow
def test_no_heading_ends_a_page_and_no_quote_is_split():
    import weasyprint

    base = rich_briefing()
    stories = tuple(replace(base.stories[i % 3], headline=f"{i}. {base.stories[i % 3].headline}") for i in range(10))
    html = render_html(replace(base, stories=stories), SETTINGS, for_print=True)
    document = weasyprint.HTML(string=html, url_fetcher=render.local_fetcher(render._allowed_dirs(SETTINGS))).render()
    assert len(document.pages) >= 6
    quote_pages: dict[int, set[int]] = {}
    for number, page in enumerate(document.pages):
        texts = list(_walk(page._page_box))
        last_tags = [tag for tag, _ in texts[-1][1]]
        assert not {"h2", "h3", "h4"} & set(last_tags), f"page {number + 1} ends with a heading"
        for _, ancestors in texts:
            for tag, element in ancestors:
                if tag == "figure":
                    quote_pages.setdefault(id(element), set()).add(number)
    assert quote_pages and all(len(p) == 1 for p in quote_pages.values()), quote_pages


# --- HTML in Chromium ---------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-extensions", "--disable-default-apps", "--no-pings", "--disable-domain-reliability",
                  "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate",
                  "--hide-scrollbars", "--mute-audio"]
# Chromium itself still asks its own update and sign-in services, whatever the flags; those are the
# browser's traffic, not the page's (the control page below proves page requests are seen).
BROWSER_SERVICE_HOSTS = re.compile(r"^(CONNECT |\w+ https?://)[\w.-]*\.(google\.com|googleapis\.com)[:/]")


def chromium(*args: str, timeout: int = 60) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def wide_briefing():
    """The rich briefing plus an unbreakable 300-character token and a very long URL."""
    base = rich_briefing()
    token = "Ж" * 150 + "x" * 150
    story = replace(base.stories[0], key_facts=base.stories[0].key_facts + (Fact(token, ("a1",)),))
    long_url = "https://example.org/" + "segment/" * 60 + "?q=" + "y" * 200
    sources = base.sources + (SourceRef("a9", "Long Link Daily", token, long_url, "2026-11-24"),)
    return replace(base, stories=(story,) + base.stories[1:], sources=sources)


def measuring_harness(html: str, width: int, height: int) -> str:
    """A page that shows ``html`` unchanged in a ``width`` x ``height`` frame and writes the frame's layout
    into its own DOM (a srcdoc frame shares the harness's origin, so the harness may measure it)."""
    from html import escape

    script = ("window.addEventListener('load',function(){var f=document.getElementById('f');"
              "var d=f.contentDocument,w=f.contentWindow.innerWidth;"
              "var wide=[].slice.call(d.querySelectorAll('body *')).filter(function(e){"
              "var r=e.getBoundingClientRect();return r.right>w+1||r.left<-1;})"
              ".map(function(e){return e.tagName+'.'+e.className;}).slice(0,10);"
              "document.body.setAttribute('data-layout',JSON.stringify({scroll:d.documentElement.scrollWidth,"
              "inner:w,wide:wide}));});")
    return (f"<!DOCTYPE html><html><body style='margin:0'><iframe id='f' style='border:0;width:{width}px;"
            f"height:{height}px' srcdoc=\"{escape(html, quote=True)}\"></iframe><script>{script}</script></body></html>")


@browser
@needs_chromium
@pytest.mark.parametrize("width, height", [(360, 740), (390, 844), (768, 1024), (1280, 900)])
def test_html_does_not_overflow_horizontally(width, height, tmp_path):
    page = tmp_path / "harness.html"
    page.write_text(measuring_harness(render_html(wide_briefing(), SETTINGS), width, height), encoding="utf-8")
    dom = chromium("--dump-dom", "--virtual-time-budget=5000", "--window-size=1400,1000", page.as_uri())
    layout = json.loads(lxml.html.fromstring(dom).find("body").get("data-layout"))
    assert layout["inner"] == width
    assert layout["scroll"] <= layout["inner"], layout
    assert layout["wide"] == [], layout


@browser
@needs_chromium
@pytest.mark.parametrize("name, size, dark", [
    ("phone", "390,2600", False), ("phone-dark", "390,1400", True), ("desktop", "1280,2200", False)])
def test_screenshots(name, size, dark, seeds_run):
    folder = artifacts()
    for label, html in (("rich", render_html(rich_briefing(), SETTINGS)),
                        ("seeds", (seeds_run[1] / "briefing.html").read_text(encoding="utf-8"))):
        page = folder / f"{label}.html"
        page.write_text(html, encoding="utf-8")
        shot = folder / f"{label}-{name}.png"
        shot.unlink(missing_ok=True)
        chromium(f"--screenshot={shot}", f"--window-size={size}", *(["--force-dark-mode"] if dark else []),
                 page.as_uri())
        assert shot.stat().st_size > 10_000
    if dark:  # dark mode really changes the page: the top-left pixel is dark
        from zlib import decompress

        raw = shot.read_bytes()
        idat = b"".join(raw[i + 8:i + 8 + int.from_bytes(raw[i:i + 4], "big")]
                        for i in _png_chunks(raw, b"IDAT"))
        first_pixel = decompress(idat)[1:4]  # filter byte, then RGB(A) of pixel (0, 0)
        assert sum(first_pixel) < 3 * 80, first_pixel


def _png_chunks(raw: bytes, kind: bytes):
    offset = 8
    while offset < len(raw):
        length = int.from_bytes(raw[offset:offset + 4], "big")
        if raw[offset + 4:offset + 8] == kind:
            yield offset
        offset += 12 + length


class _RecordingProxy(http.server.BaseHTTPRequestHandler):
    """An HTTP proxy on 127.0.0.1 that forwards nothing: it records each request and answers 404."""

    seen: list[str] = []

    def _record(self):
        self.seen.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_CONNECT = do_OPTIONS = _record

    def log_message(self, *args):
        pass


def requests_made(page: Path) -> list[str]:
    """Every request Chromium makes while loading ``page`` (all traffic goes through the recording proxy)."""
    _RecordingProxy.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _RecordingProxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        chromium("--dump-dom", "--virtual-time-budget=3000", f"--proxy-server=http://127.0.0.1:{server.server_port}",
                 "--proxy-bypass-list=<-loopback>", page.as_uri())
    finally:
        server.shutdown()
        server.server_close()
    return [r for r in _RecordingProxy.seen if not BROWSER_SERVICE_HOSTS.match(r)]


@browser
@needs_chromium
def test_no_request_leaves_the_page(tmp_path):
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><img src="http://pixel.example/p.png">', encoding="utf-8")
    assert any("pixel.example" in r for r in requests_made(control)), "the proxy would not see requests"
    from test_render import hostile_briefing

    for briefing in (rich_briefing(), hostile_briefing()):
        page = tmp_path / "briefing.html"
        page.write_text(render_html(briefing, SETTINGS), encoding="utf-8")
        assert requests_made(page) == []
