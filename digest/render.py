"""Render stage: Markdown, HTML, PDF and JSON views of one Briefing, from ``templates/``.

The briefing is one data model; every view is a template over it. Python here
only prepares what templates need (source numbers, outlet counts, safe URLs,
dates) and registers filters: no formatting lives in Python strings.

Article text is data, never markup, at three levels: the Markdown template
escapes it (``md`` filter), the HTML template relies on Jinja2 autoescape and
the rendered body is sanitised again with nh3, and WeasyPrint may fetch nothing
but files under the template folders and the system fonts (never the network).
A user's ``templates_dir`` is looked up before the built-in folder.
"""

from __future__ import annotations

import json
import os
import re
import sys
from contextlib import contextmanager
from importlib import resources
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import quote, unquote, urlsplit

import jinja2
import nh3

from digest import __version__
from digest.errors import OutputError
from digest.fsutil import atomic_write_bytes, atomic_write_text, remove_stale_temporaries
from digest.models import MARKERS_SHOWN, OUTLETS_NAMED, Briefing, SourceRef, StoryBrief
from digest.settings import Settings



def builtin_templates_dir() -> Path:
    """The built-in templates: ``digest/templates`` in an installed package, else the checkout's ``templates/``.

    A wheel carries the repository's top-level ``templates/`` as the package folder
    ``digest/templates`` (pyproject.toml maps it), found here through importlib.resources;
    a source checkout or an editable install has no such folder and uses ``templates/`` in place.
    """
    packaged = resources.files("digest").joinpath("templates")
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged.resolve()
    # A zip import has no folder WeasyPrint could read from; installs unpack wheels, so this is the checkout.
    return Path(__file__).resolve().parent.parent / "templates"


TEMPLATES_DIR = builtin_templates_dir()
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FORMATS = ("md", "html", "pdf", "json", "ics")
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


# --- filters ----------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
# Characters that start Markdown markup anywhere in a line (CommonMark and Python-Markdown agree on these).
_MD_INLINE = re.compile(r"([\\`*\[\]~])")
# "_" only emphasises at a word boundary; escaping it inside words would litter ids and URLs.
_MD_UNDERSCORE = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MD_LINE_START = re.compile(r"^([-+>#])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")


def one_line(text: Any) -> str:
    """Collapse every run of whitespace (newlines included) to one space."""
    return _WHITESPACE.sub(" ", str(text or "")).strip()


def escape_markdown(text: Any) -> str:
    """Make ``text`` show as the same plain text in any Markdown viewer, on one line.

    ``<`` becomes an entity (not every Markdown dialect honours ``\\<``), so no
    tag, comment or autolink can form; emphasis, code, link and image syntax is
    backslash-escaped; a leading list, quote or heading marker is neutralised.
    """
    text = one_line(text)
    text = _MD_ENTITY.sub("&amp;", text).replace("<", "&lt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    text = _MD_LINE_START.sub(r"\\\1", text)
    text = _MD_ORDERED.sub(r"\1\\\2", text)
    if text.endswith("#") and not text.endswith("\\#"):
        text = text[:-1] + "\\#"  # a trailing "#" would close an ATX heading
    return text


def safe_url(url: Any) -> str | None:
    """``url`` if it is an absolute http(s) URL, made safe to put in a link; else None."""
    text = str(url or "").strip()
    if not text or len(text) > 2000 or any(ord(c) < 32 or c.isspace() for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    # Percent-encode what could end a Markdown link or an HTML attribute; keep the rest as given.
    return quote(text, safe="/:?#[]@!$&*+,;=%~-._")


def file_name(path: Any) -> str:
    """The last part of a file path ("in/0024.txt" -> "0024.txt"): how a reader finds a source that has no
    web address in the folder they briefed."""
    return one_line(re.split(r"[/\\]", str(path or ""))[-1])


def url_host(url: Any) -> str:
    """The host of an http(s) URL without ``www.``, or "" when there is none."""
    link = safe_url(url)
    if not link:
        return ""
    host = urlsplit(link).hostname or ""
    return host.removeprefix("www.")


def _parse_date(value: Any) -> datetime | date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def long_date(value: Any) -> str:
    """``2026-11-24T09:00`` -> ``Tuesday 24 November 2026``; text that is no date is returned as given."""
    when = _parse_date(value)
    return f"{when:%A} {when.day} {when:%B %Y}" if when else one_line(value)


_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def short_date(value: Any) -> str:
    """``2023-09-14`` -> ``14 Sep 2023``, ``2023-10`` -> ``Oct 2023``; text that is no date is returned as given.

    The one date style of every view: day, short month, year (never ISO, never month first).
    """
    month = _YEAR_MONTH.match(one_line(value))
    if month and 1 <= int(month[2]) <= 12:
        return f"{date(int(month[1]), int(month[2]), 1):%b %Y}"
    when = _parse_date(value)
    return f"{when.day} {when:%b %Y}" if when else one_line(value)


def iso_date(value: Any) -> str:
    """The ``YYYY-MM-DD`` of a date or date-time, or "" (for ``<time datetime>``)."""
    when = _parse_date(value)
    return when.strftime("%Y-%m-%d") if when else ""


def clock(value: Any) -> str:
    """``2026-11-24T09:05:00+00:00`` -> ``09:05 UTC``; "" when there is no time of day."""
    when = _parse_date(value)
    if not isinstance(when, datetime):
        return ""
    zone = when.tzname() or ""
    return f"{when:%H:%M} {zone}".strip()


# --- what templates see -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Marker:
    """One source marker: its number in the sources list and the source it points to."""

    number: int
    source: SourceRef
    outlet: str


@dataclass(frozen=True, slots=True)
class TemplateContext:
    """What every template sees: the briefing, its listed sources numbered for markers, and options.

    An item shows at most ``MARKERS_SHOWN`` markers and a story names at most ``OUTLETS_NAMED``
    outlets (see digest.models); the sources list holds exactly the sources a shown marker points
    to, numbered in briefing order, so a marker ``[n]`` always points at the n-th listed source.
    """

    briefing: Briefing
    source_numbers: dict[str, int]
    page_size: str
    language: str = "en"
    author: str = ""
    generator: str = ""
    css: str = ""
    body: str = ""
    _by_id: dict[str, SourceRef] = field(default_factory=dict, repr=False)
    _position: dict[str, int] = field(default_factory=dict, repr=False)

    def outlet_name(self, source: SourceRef) -> str:
        """The name a reader knows a source by: its outlet, else its web host, else its id."""
        return one_line(source.outlet) or url_host(source.url) or one_line(source.id)

    def markers(self, ids: Sequence[str]) -> list[Marker]:
        """The markers shown for source ids: at most MARKERS_SHOWN, one per outlet first, in list order."""
        return [self._marker(i) for i in _shown_ids(ids, self._position, self._outlet_of)]

    def more_sources(self, ids: Sequence[str]) -> int:
        """How many of these sources have no marker shown (the "+N more" after the markers)."""
        return len({i for i in ids if i in self._position}) - len(self.markers(ids))

    def outlet_count(self, ids: Sequence[str]) -> int:
        """How many distinct outlets carry these sources."""
        return len({self.outlet_name(self._by_id[i]) if i in self._by_id else i for i in ids})

    def story_outlets(self, story: StoryBrief) -> list[Marker]:
        """The outlets named in a story's "Reported by" line, each with its first article: at most OUTLETS_NAMED."""
        return [self._marker(i) for i in _first_per_outlet(story.sources, self._position, self._outlet_of)]

    def more_outlets(self, story: StoryBrief) -> int:
        """How many of the story's outlets its "Reported by" line does not name."""
        known = {self._outlet_of(i) for i in story.sources if i in self._position}
        return len(known) - len(self.story_outlets(story))

    def outlets_total(self) -> int:
        """Distinct outlets across the whole briefing."""
        return self.outlet_count([s.id for s in self.briefing.sources])

    def listed_sources(self) -> list[SourceRef]:
        """The sources list: every source a shown marker points to, in briefing order."""
        return [self._by_id[i] for i in self.source_numbers]

    def unlisted_sources(self) -> int:
        """Sources of the briefing that no shown marker points to (the JSON view lists them)."""
        return len(self._position) - len(self.source_numbers)

    def _outlet_of(self, source_id: str) -> str:
        return self.outlet_name(self._by_id[source_id])

    def _marker(self, source_id: str) -> Marker:
        source = self._by_id[source_id]
        return Marker(self.source_numbers[source_id], source, self.outlet_name(source))


def _first_per_outlet(ids: Sequence[str], position: dict[str, int], outlet_of: Any,
                      limit: int = OUTLETS_NAMED) -> list[str]:
    """The first source of each outlet among ``ids``, in list order, at most ``limit`` of them."""
    seen: dict[str, str] = {}
    for i in sorted({i for i in ids if i in position}, key=position.__getitem__):
        if len(seen) >= limit:
            break
        seen.setdefault(outlet_of(i), i)
    return list(seen.values())


def _shown_ids(ids: Sequence[str], position: dict[str, int], outlet_of: Any) -> list[str]:
    """The sources whose markers an item shows: all when few, else one per outlet first, then the rest, in list
    order, MARKERS_SHOWN of them; a reader sees the spread of outlets, not five articles of one."""
    ordered = sorted({i for i in ids if i in position}, key=position.__getitem__)
    if len(ordered) <= MARKERS_SHOWN:
        return ordered
    chosen = _first_per_outlet(ordered, position, outlet_of, MARKERS_SHOWN)
    chosen += [i for i in ordered if i not in chosen][:MARKERS_SHOWN - len(chosen)]
    return sorted(chosen, key=position.__getitem__)


def _cited_ids(story: StoryBrief) -> Iterator[Sequence[str]]:
    """Every list of source ids a view puts markers after, for one story."""
    for item in (*story.key_facts, *story.quotes, *story.reactions, *story.whats_next):
        yield item.sources
    for quote in story.quotes:
        for attribution in quote.attributions:
            yield attribution.sources
    for disagreement in story.disagreements:
        for version in disagreement.versions:
            yield version.sources


def _context(briefing: Briefing, settings: Settings) -> TemplateContext:
    position: dict[str, int] = {}
    for i, source in enumerate(briefing.sources):
        position.setdefault(source.id, i)
    by_id = {s.id: s for s in reversed(briefing.sources)}  # the first source of an id, as position has it

    def outlet_of(source_id: str) -> str:
        source = by_id[source_id]
        return one_line(source.outlet) or url_host(source.url) or one_line(source.id)

    shown: set[str] = set()
    for story in briefing.stories:
        shown.update(_first_per_outlet(story.sources, position, outlet_of))
        for ids in _cited_ids(story):
            shown.update(_shown_ids(ids, position, outlet_of))
    listed = sorted(shown, key=position.__getitem__)
    return TemplateContext(
        briefing=briefing,
        source_numbers={source_id: n for n, source_id in enumerate(listed, start=1)},
        page_size=page_size(settings),
        language=getattr(settings, "language", "en") or "en",
        author=getattr(settings, "author", "") or "",
        generator=f"newsdigest {__version__}",
        _by_id=by_id,
        _position=position,
    )


def page_size(settings: Settings) -> str:
    """The CSS page size for ``settings.page_size`` (A4 or Letter, any case)."""
    size = PAGE_SIZES.get(str(settings.page_size).strip().lower())
    if size is None:
        raise OutputError(f"unknown page size {settings.page_size!r} (choose A4 or Letter)")
    return size


class _TemplateCodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in the user's cache folder between runs (compiling them is 25-60 ms of a small
    run). Jinja2 keys each by the template's file and checks it against the source, so an edited template, a
    user's own or another Jinja2 is compiled again; a cache that cannot be written is only not used."""

    def __init__(self) -> None:
        from digest.settings import user_places

        super().__init__(str(user_places().cache / "templates"))

    def load_bytecode(self, bucket: Any) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass  # no cache folder to read: the template is compiled

    def dump_bytecode(self, bucket: Any) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@lru_cache(maxsize=8)
def template_environment(user_dir: str | None = None) -> jinja2.Environment:
    """The Jinja2 environment: files in ``user_dir`` take precedence over the built-in ones."""
    loaders: list[jinja2.BaseLoader] = []
    if user_dir:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES_DIR)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_TemplateCodeCache(),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        md=escape_markdown,
        one_line=one_line,
        safe_url=safe_url,
        host=url_host,
        file_name=file_name,
        long_date=long_date,
        short_date=short_date,
        iso_date=iso_date,
        clock=clock,
    )
    return env


def _template(settings: Settings, name: str) -> jinja2.Template:
    try:
        return template_environment(settings.templates_dir).get_template(name)
    except jinja2.TemplateError as exc:
        raise OutputError(f"template {name}: {exc}", path=settings.templates_dir) from exc


def _render(settings: Settings, name: str, **context: Any) -> str:
    template = _template(settings, name)
    try:
        return template.render(**context)
    except (jinja2.TemplateError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # A broken user template is a configuration problem, reported with its name.
        raise OutputError(f"template {name} failed: {type(exc).__name__}: {exc}") from exc


# --- the views ------------------------------------------------------------------


def render_markdown(briefing: Briefing, settings: Settings) -> str:
    """The briefing as Markdown."""
    return _render(settings, "briefing.md.j2", ctx=_context(briefing, settings))


def render_html(briefing: Briefing, settings: Settings, *, for_print: bool = False) -> str:
    """One self-contained HTML page (CSS inline, nothing to fetch); ``for_print`` is the PDF's variant."""
    ctx = _context(briefing, settings)
    body = _clean_body(_render(settings, "body.html.j2", ctx=ctx, for_print=for_print, compact=False))
    css = "\n".join(_render(settings, name, ctx=ctx, page_size=ctx.page_size, for_print=for_print)
                    for name in ("style.css", "print.css"))
    return _render(settings, "briefing.html.j2", ctx=replace(ctx, css=css, body=body), for_print=for_print)


def _clean_body(body: str) -> str:
    # Defence in depth: the body came from autoescaped templates; nh3 drops any tag,
    # attribute or URL scheme a template (or a bug) might still have let through.
    return nh3.clean(body, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https"}, strip_comments=True)


# Gmail clips a message whose HTML passes about 102 KB; stay under it with a margin.
EMAIL_HTML_BUDGET = 100_000


def render_email_html(briefing: Briefing, settings: Settings, *, pdf_attached: bool,
                      budget: int = EMAIL_HTML_BUDGET) -> str:
    """The e-mail's HTML part: every style inlined into ``style`` attributes, no ``<style>`` block.

    Over ``budget`` bytes (UTF-8) and with the PDF attached, only headlines and summaries are
    kept, with a line pointing to the PDF; without a PDF the whole briefing is sent regardless.
    """
    import css_inline

    ctx = _context(briefing, settings)
    css = _render(settings, "email.css", ctx=ctx)
    inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)

    def build(compact: bool) -> str:
        body = _clean_body(_render(settings, "body.html.j2", ctx=ctx, for_print=False, compact=compact))
        page = _render(settings, "email.html.j2", ctx=replace(ctx, css=css, body=body))
        return inliner.inline(page)

    html = build(compact=False)
    if pdf_attached and len(html.encode("utf-8")) > budget:
        html = build(compact=True)
    return html


def render_email_text(briefing: Briefing, settings: Settings) -> str:
    """The e-mail's plain-text part: lines of at most 72 characters, numbered sources with URLs at the end."""
    return _render(settings, "email.txt.j2", ctx=_context(briefing, settings))


def render_json(briefing: Briefing) -> str:
    """The briefing as JSON (schema digest/1)."""
    return json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _import_weasyprint() -> Any:
    """``import weasyprint``, without ctypes' library search where the dynamic loader needs none.

    WeasyPrint loads Pango and friends by trying several names each; for the first ones (``gobject-2.0``
    and the like) cffi asks ``ctypes.util.find_library``, which on Linux runs ldconfig, gcc and ld
    (about 20 calls, 0.2-1 s of a run) only to land on the soname WeasyPrint tries next anyway. So on
    Linux the import first runs with that search answering "not found"; should a library then be
    missing, it is imported again with the real search, so nothing that loads today fails.
    """
    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint

        return weasyprint
    import contextlib
    import ctypes.util
    import io

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda _name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints its install help before raising
            import weasyprint
        return weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
    finally:
        ctypes.util.find_library = search
    import weasyprint

    return weasyprint


def render_pdf(briefing: Briefing, settings: Settings) -> bytes:
    """The briefing as a tagged PDF with metadata, rendered by WeasyPrint with no network access."""
    global _pdf_worker
    html = render_html(briefing, settings, for_print=True)
    allowed = _allowed_dirs(settings)
    worker, _pdf_worker = _pdf_worker, None  # a worker renders one PDF
    if worker is not None:
        pdf = worker.render(html, allowed)
        if pdf is not None:
            return pdf
    return pdf_from_html(html, allowed)


def pdf_from_html(html: str, allowed_dirs: Sequence[Path]) -> bytes:
    """``html`` (the print HTML) as a tagged PDF; WeasyPrint reads only files under ``allowed_dirs``."""
    weasyprint = _import_weasyprint()
    fetcher = local_fetcher(allowed_dirs)
    try:
        document = weasyprint.HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=fetcher)
        try:
            return document.write_pdf(pdf_tags=True)  # tagged: screen readers follow the structure
        except Exception:
            # PDF tagging is young in WeasyPrint; an untagged PDF beats no PDF.
            return document.write_pdf()
    except Exception as exc:  # WeasyPrint raises many types; report them as one output error
        raise OutputError(f"PDF rendering failed: {type(exc).__name__}: {exc}") from exc


# --- the PDF worker: WeasyPrint's import on another core ------------------------

_pdf_worker: _PdfWorker | None = None


class _PdfWorker:
    """A fresh Python that imports WeasyPrint at once, then renders the one PDF it is sent.

    Importing WeasyPrint (and Pango through it) is most of a small run's PDF; in this process it
    would hold the GIL, so a thread cannot overlap it, but a second process can, while this one
    builds the briefing. Its stderr is this process's, so WeasyPrint's warnings show as before.
    """

    def __init__(self) -> None:
        import subprocess

        root = str(Path(__file__).resolve().parent.parent)  # the digest this process runs, not another one
        code = f"import sys; sys.path.insert(0, {root!r}); from digest.render import _serve_pdf; _serve_pdf()"
        self.process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)

    def render(self, html: str, allowed_dirs: Sequence[Path]) -> bytes | None:
        """The PDF, or None when the worker could not render it (then this process does, and says why)."""
        request = json.dumps({"html": html, "allowed": [str(d) for d in allowed_dirs]}).encode("utf-8")
        try:
            reply, _ = self.process.communicate(request)
        except OSError:  # the worker is gone (its import failed): a broken pipe
            return None
        status, _, body = reply.partition(b"\n")
        if self.process.returncode == 0 and status == b"pdf":
            return body
        if self.process.returncode == 0 and status == b"error":
            raise OutputError(body.decode("utf-8", "replace"))
        return None

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream and not stream.closed:
                stream.close()


@contextmanager
def pdf_worker(wanted: bool) -> Iterator[None]:
    """While the block runs, WeasyPrint imports in a worker process; ``render_pdf`` sends it the first PDF.

    Only where it can help: a PDF is wanted, WeasyPrint is not already imported and a core is idle. On a
    busy machine the worker only adds its own start-up (0.2-0.3 s of CPU) to the work.
    """
    global _pdf_worker
    if not wanted or _pdf_worker is not None or "weasyprint" in sys.modules or not _spare_core():
        yield
        return
    try:
        worker = _PdfWorker()
    except OSError:  # no process to start: render in this one
        yield
        return
    _pdf_worker = worker
    try:
        yield
    finally:
        if _pdf_worker is worker:
            _pdf_worker = None
        worker.close()


def _spare_core() -> bool:
    """True when this process may use a second core that is idle: at least two, and a load average below one less."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # no load average (Windows): nothing says a core is free
        return False
    return cores >= 2 and load <= cores - 1


def _serve_pdf() -> None:
    """The worker's side of ``_PdfWorker``: import WeasyPrint, read one request on stdin, answer on stdout."""
    reply = sys.stdout.buffer
    sys.stdout = sys.stderr  # whatever a library prints must not mix with the reply
    try:
        _import_weasyprint()
    except Exception:
        sys.exit(3)  # the run's process imports it itself and reports the problem
    request = sys.stdin.buffer.read()
    if not request:
        return  # the run ended without asking for a PDF
    data = json.loads(request)
    try:
        answer = b"pdf\n" + pdf_from_html(data["html"], tuple(Path(d) for d in data["allowed"]))
    except OutputError as exc:
        answer = b"error\n" + str(exc).encode("utf-8")
    reply.write(answer)
    reply.flush()
    import gc

    gc.freeze()  # the run waits for this process to end: no last walk of WeasyPrint's objects (as in cli.main)


def _allowed_dirs(settings: Settings) -> tuple[Path, ...]:
    dirs = [TEMPLATES_DIR, *FONT_DIRS]
    if settings.templates_dir:
        dirs.insert(0, Path(settings.templates_dir))
    return tuple(d.resolve() for d in dirs)


def check_fetch(url: str, allowed_dirs: Sequence[Path]) -> None:
    """Raise ValueError unless ``url`` is a ``data:`` URL or a file under one of ``allowed_dirs``.

    Every resource WeasyPrint asks for passes through here (tests record the calls).
    """
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return
    if scheme != "file":
        raise ValueError(f"fetching is disabled: {url[:80]}")
    path = Path(unquote(urlsplit(url).path)).resolve()
    if not any(path.is_relative_to(d) for d in allowed_dirs):
        raise ValueError(f"file outside the templates and fonts: {url[:80]}")


def local_fetcher(allowed_dirs: Sequence[Path]) -> Any:
    """A WeasyPrint URL fetcher that serves only ``check_fetch``-approved local files."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            check_fetch(url, allowed_dirs)
            return super().fetch(url, headers)

    # urllib's own protocol filter is a second lock: even a bug above cannot reach http.
    return LocalFetcher(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=2)


def render_ics(briefing: Briefing) -> bytes:
    """The briefing's "what's next" items as an iCalendar file (dated ones as events)."""
    from digest.compose.events import ics_bytes

    items = [
        (e.text, e.when, e.date, [_outlet_name(briefing, s) for s in e.sources])
        for story in briefing.stories for e in story.whats_next
    ]
    return ics_bytes(items, briefing.title, datetime.fromisoformat(briefing.generated_at))


def _outlet_name(briefing: Briefing, source_id: str) -> str:
    source = briefing.source(source_id)
    return (source.outlet or source_id) if source else source_id


def write_outputs(briefing: Briefing, out_dir: Path, formats: Sequence[str], settings: Settings) -> list[Path]:
    """Write ``briefing.<fmt>`` for each format into ``out_dir`` atomically; return the paths written."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise OutputError(f"unknown format(s): {', '.join(unknown)} (choose from {', '.join(FORMATS)})")
    out_dir = Path(out_dir)
    written: list[Path] = []
    for fmt in FORMATS:
        if fmt not in formats:
            continue
        target = out_dir / f"briefing.{fmt}"
        remove_stale_temporaries(out_dir, target.name)  # left by a run that was killed mid-write
        if fmt == "md":
            atomic_write_text(target, render_markdown(briefing, settings))
        elif fmt == "html":
            atomic_write_text(target, render_html(briefing, settings))
        elif fmt == "json":
            atomic_write_text(target, render_json(briefing))
        elif fmt == "ics":
            if not any(story.whats_next for story in briefing.stories):
                continue  # no calendar file for a briefing with nothing announced
            atomic_write_bytes(target, render_ics(briefing))
        else:
            atomic_write_bytes(target, render_pdf(briefing, settings))
        written.append(target)
    return written


_ALLOWED_TAGS = {
    "header", "footer", "nav", "main", "article", "section", "aside", "div", "span", "p", "br", "hr",
    "h1", "h2", "h3", "h4", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "figure", "figcaption",
    "cite", "q", "em", "strong", "small", "sup", "sub", "a", "time", "abbr",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "time": {"datetime"},
    "abbr": {"title"},
    "*": {"class", "id", "lang", "dir", "aria-label", "aria-labelledby", "aria-hidden", "role"},
}
