"""Render stage: Markdown, HTML, PDF and JSON views of one Briefing, from ``templates/``.

One Jinja2 environment is built per template folder: a user's ``templates_dir``
is looked up before the built-in folder, and every filter is registered here.
Article text is data, never markup: the Markdown template escapes it, the HTML
is sanitised with nh3, and WeasyPrint may fetch nothing but the templates' own files.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import jinja2
import markdown as markdown_lib
import nh3

from digest.errors import OutputError
from digest.fsutil import atomic_write_bytes, atomic_write_text
from digest.models import Briefing
from digest.settings import Settings

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
FORMATS = ("md", "html", "pdf", "json", "ics")

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown and HTML syntax so article text renders as the same plain text."""
    text = _MD_SPECIAL.sub(r"\\\1", str(text)).replace("&", "&amp;")
    return re.sub(r"^(\s*)(\d+)\.", r"\1\2\\.", text)


@dataclass(frozen=True, slots=True)
class TemplateContext:
    """What every template sees: the briefing, its sources numbered for markers, and options."""

    briefing: Briefing
    source_numbers: dict[str, int]
    page_size: str
    css: str = ""
    body: str = ""


@lru_cache(maxsize=8)
def template_environment(user_dir: str | None = None) -> jinja2.Environment:
    """The Jinja2 environment: user templates first, then the built-in ones."""
    loaders: list[jinja2.BaseLoader] = []
    if user_dir:
        loaders.append(jinja2.FileSystemLoader(user_dir))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES_DIR)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = escape_markdown
    return env


def _context(briefing: Briefing, settings: Settings) -> TemplateContext:
    numbers = {s.id: i + 1 for i, s in enumerate(briefing.sources)}
    return TemplateContext(briefing, numbers, settings.page_size)


def render_markdown(briefing: Briefing, settings: Settings) -> str:
    """The briefing as Markdown."""
    env = template_environment(settings.templates_dir)
    return env.get_template("briefing.md.j2").render(ctx=_context(briefing, settings))


def render_html(briefing: Briefing, settings: Settings, *, for_print: bool = False) -> str:
    """One self-contained HTML page: the Markdown turned into HTML, sanitised, inside the page template."""
    env = template_environment(settings.templates_dir)
    body = markdown_lib.markdown(render_markdown(briefing, settings), extensions=["attr_list", "sane_lists"])
    body = nh3.clean(body, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"})
    css = env.get_template("style.css").render(page_size=settings.page_size, for_print=for_print)
    ctx = _context(briefing, settings)
    ctx = TemplateContext(ctx.briefing, ctx.source_numbers, ctx.page_size, css, body)
    return env.get_template("briefing.html.j2").render(ctx=ctx, for_print=for_print)


def render_json(briefing: Briefing) -> str:
    """The briefing as JSON (schema digest/1)."""
    return json.dumps(briefing.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render_ics(briefing: Briefing) -> bytes:
    """The briefing's dated "what's next" items as an iCalendar file."""
    from digest.events import ics_bytes

    items = [
        (e.text, e.when, e.date, [(briefing.source(s) or s).outlet or s if briefing.source(s) else s for s in e.sources])
        for story in briefing.stories for e in story.whats_next
    ]
    return ics_bytes(items, briefing.title, datetime.fromisoformat(briefing.generated_at))


def render_pdf(briefing: Briefing, settings: Settings) -> bytes:
    """The briefing as PDF, rendered by WeasyPrint with no network access."""
    import weasyprint

    html = render_html(briefing, settings, for_print=True)
    try:
        return weasyprint.HTML(string=html, base_url=str(TEMPLATES_DIR), url_fetcher=refuse_fetch).write_pdf()
    except Exception as exc:  # WeasyPrint raises many types; report them as one output error
        raise OutputError(f"PDF rendering failed: {exc}") from exc


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """WeasyPrint URL fetcher that refuses everything: a briefing needs no outside resource."""
    raise ValueError(f"fetching is disabled: {url[:80]}")


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
        if fmt == "md":
            atomic_write_text(target, render_markdown(briefing, settings))
        elif fmt == "html":
            atomic_write_text(target, render_html(briefing, settings))
        elif fmt == "json":
            atomic_write_text(target, render_json(briefing))
        elif fmt == "ics":
            atomic_write_bytes(target, render_ics(briefing))
        else:
            atomic_write_bytes(target, render_pdf(briefing, settings))
        written.append(target)
    return written


_ALLOWED_TAGS = {
    "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "blockquote", "em", "strong", "a", "sup", "sub",
    "span", "div", "section", "nav", "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "code",
    "small", "cite", "q",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title", "id"}, "*": {"class", "id"}}
