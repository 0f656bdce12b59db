"""Article files: plain text, Markdown, JSON and JSON lines (HTML through ``pages``), and walking folders.

``read_article_file`` reads one file, by its suffix, into one ``Body`` per article it holds;
``walk_folder`` lists the files of a folder that may be articles; ``split_paragraphs`` splits
a plain text into paragraphs.
"""

from __future__ import annotations

import json
import os
import re
import stat
import threading
from pathlib import Path
from typing import Any, Iterator

from digest.ingest.decode import decode_bytes, declared_html_charset, gunzip
from digest.ingest.document import (
    HTML_SUFFIXES, JSON_SUFFIXES, JSONL_SUFFIXES, MARKDOWN_SUFFIXES, Body, Meta, Skip,
)
from digest.ingest.feeds import html_to_paragraphs
from digest.ingest.metadata import meta_from_mapping, outlet_from_text, split_front_matter, strip_head_metadata
from digest.ingest.pages import SAVED_FROM, extract_html
from digest.settings import Settings

# Files that sit beside saved pages and are never articles; not worth a "skipped" line each.
ASSET_SUFFIXES = (".css", ".js", ".mjs", ".map", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".ico",
                  ".bmp", ".woff", ".woff2", ".ttf", ".otf", ".eot")
BODY_KEYS = ("text", "body", "content", "articleBody", "article", "maintext", "full_text", "story")
HTML_KEYS = ("html", "raw_html", "content_html", "body_html")
LIST_KEYS = ("articles", "items", "entries", "data", "results", "documents")


def read_article_file(path: Path, settings: Settings) -> Iterator[Body]:
    name = path.name.lower()
    data = read_bytes(path, settings.max_file_bytes)
    if name.endswith((".gz",)):
        data = gunzip(data, settings.max_file_bytes)
    if name.endswith(HTML_SUFFIXES):
        html = decode_bytes(data, source=str(path), declared=declared_html_charset(data))
        saved_from = SAVED_FROM.search(html[:2048])
        yield extract_html(html, url=saved_from.group(1) if saved_from else None)
        return
    text = decode_bytes(data, source=str(path))
    if name.endswith(JSONL_SUFFIXES):
        yield from _jsonl_articles(text)
        return
    if name.endswith(JSON_SUFFIXES):
        yield from _json_articles(text)
        return
    if name.endswith(MARKDOWN_SUFFIXES):
        front, body_text = split_front_matter(text)
        yield markdown_body(body_text, front)
        return
    front, body_text = split_front_matter(text) if text.lstrip("\ufeff").startswith(("---", "+++")) else ({}, text)
    yield text_body(body_text, front)


def text_body(text: str, front: dict[str, Any] | None = None) -> Body:
    """A plain-text article: paragraphs normalised, metadata lines taken out of the text."""
    explicit = meta_from_mapping(front or {})
    paragraphs = split_paragraphs(text)
    paragraphs, inferred = strip_head_metadata(paragraphs, find_title=explicit.title is None)
    meta = Meta().fill(explicit).fill(inferred)
    return Body(paragraphs, meta, outlet_from_text(paragraphs), explicit)


def markdown_body(text: str, front: dict[str, Any] | None = None) -> Body:
    """A Markdown article: rendered to HTML, then to paragraphs; a leading ``# Heading`` is the title."""
    explicit = meta_from_mapping(front or {})
    paragraphs = plain_markdown_paragraphs(text)
    if paragraphs is not None:  # no Markdown syntax: what rendering and reading back would give
        paragraphs, inferred = strip_head_metadata(paragraphs, find_title=explicit.title is None)
        return Body(paragraphs, Meta().fill(explicit).fill(inferred), outlet_from_text(paragraphs), explicit)
    html = _markdown_to_html(text)
    paragraphs = html_to_paragraphs(html)
    heading = re.match(r"\s*<h1[^>]*>(.*?)</h1>", html, re.S)
    if heading and paragraphs:
        title = html_to_paragraphs(heading.group(1))
        if title and paragraphs[0] == title[0]:
            # A leading "# Heading" is the headline: metadata, whether or not front matter also names one.
            explicit.fill({"title": title[0]})
            paragraphs = paragraphs[1:]
    paragraphs, inferred = strip_head_metadata(paragraphs, find_title=explicit.title is None)
    return Body(paragraphs, Meta().fill(explicit).fill(inferred), outlet_from_text(paragraphs), explicit)


# Text in which Python-Markdown (with "extra") can find no syntax: no character that opens inline markup,
# an entity or HTML; no line that could open a block (a heading, list, quote, code, table, definition or
# rule starts with something other than a letter, digit, quote mark or parenthesis, or is "12. "); no
# hard line break (two spaces at a line's end); no whitespace but spaces and newlines (tabs, NBSP and
# other spaces are rendered or split differently). Such a text renders to one <p> per blank-line block.
_MARKDOWN_SYNTAX = re.compile(
    r"[\\`*_\[\]<>&{}|~^\x00-\x09\x0b-\x1f\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    r"\ud800-\udfff\ufeff\ufffe\uffff]"
    r"|(?m:^(?:[^\w\n\"“”‘’'(]|\d+[.)](?:[ ]|$)))"
    r"|[ ]{2,}(?:\n|$)"
)


def plain_markdown_paragraphs(text: str) -> list[str] | None:
    """The paragraphs of a Markdown text that holds no Markdown syntax (see ``_MARKDOWN_SYNTAX``), the same
    as rendering it and reading the HTML back, at a fraction of the cost; None when it may hold syntax."""
    if _MARKDOWN_SYNTAX.search(text):
        return None
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


# Building a Markdown converter (its extensions, processors and patterns) costs more than converting an
# article with it, so each thread keeps one and resets it before each text (what markdown.markdown
# does with a new one: the same HTML).
_converters = threading.local()


def _markdown_to_html(text: str) -> str:
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        import markdown  # only Markdown inputs need it (start-up time)

        converter = _converters.markdown = markdown.Markdown(extensions=["extra"], output_format="html")
    return converter.reset().convert(text)


def _json_articles(text: str) -> Iterator[Body]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise Skip(f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise Skip("JSON nested too deeply to read") from None
    items = _json_items(data)
    if not items:
        raise Skip("JSON holds no article (no text, body or content field)")
    for item in items:
        yield _body_from_record(item)


def _jsonl_articles(text: str) -> Iterator[Body]:
    """One article per line; a broken line is reported after the good ones were read."""
    bad_lines = []
    found = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError):  # broken, or nested too deeply to read
            bad_lines.append(number)
            continue
        if isinstance(record, dict) and _record_has_body(record):
            found += 1
            yield _body_from_record(record)
    if bad_lines:
        shown = ", ".join(map(str, bad_lines[:5])) + (" ..." if len(bad_lines) > 5 else "")
        raise Skip(f"invalid JSON on line(s) {shown}" + (f"; {found} other line(s) read" if found else ""))
    if not found:
        raise Skip("JSON lines hold no article (no text, body or content field)")


def _json_items(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                return _json_items(data[key])
        return [data] if _record_has_body(data) else []
    if isinstance(data, list):
        return [d for d in data if isinstance(d, dict) and _record_has_body(d)]
    return []


def _record_has_body(record: dict[str, Any]) -> bool:
    return any(isinstance(record.get(k), str) and record[k].strip() for k in BODY_KEYS + HTML_KEYS)


def _body_from_record(record: dict[str, Any]) -> Body:
    explicit = meta_from_mapping(record)
    text = next((record[k] for k in BODY_KEYS if isinstance(record.get(k), str) and record[k].strip()), None)
    if text is not None and not _looks_like_html(text):
        body = text_body(text)
    else:
        html = text if text is not None else next(record[k] for k in HTML_KEYS if isinstance(record.get(k), str))
        body = extract_html(html, url=explicit.url) if "<html" in html.lower() else Body(html_to_paragraphs(html))
        body.text_outlet = outlet_from_text(body.paragraphs)
    body.meta = Meta().fill(explicit).fill(body.meta)
    body.explicit = explicit
    return body


def _looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(p|div|br|html|body|article|h[1-6])\b", text[:2000], re.I))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a plain text. A file without blank lines has one paragraph per non-empty line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = [_clean_line(line) for line in text.split("\n")]
    non_empty = [i for i, line in enumerate(lines) if line]
    if not non_empty:
        return []
    inner = lines[non_empty[0]: non_empty[-1] + 1]
    if all(inner):
        return inner
    paragraphs, current = [], []
    for line in inner:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def _clean_line(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split())


def read_bytes(path: Path, limit: int) -> bytes:
    try:
        if path.is_symlink() and not path.exists():
            raise Skip("broken symbolic link")
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise Skip("is a folder")
        if not stat.S_ISREG(info.st_mode):
            # A pipe or device would block or never end: only regular files are articles.
            raise Skip("not a regular file (pipe, socket or device)")
        size = info.st_size
        if size > limit:
            raise Skip(f"file too large ({size} bytes > max_file_bytes {limit})")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except Skip:
        raise
    except IsADirectoryError:
        raise Skip("is a folder") from None
    except PermissionError:
        raise Skip("permission denied") from None
    except OSError as exc:
        raise Skip(f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise Skip(f"file too large (more than max_file_bytes {limit})")
    return data


def walk_folder(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` in sorted order, links to folders not followed.

    Left out silently: hidden files and folders, the ``<page>_files`` folder a browser saves
    beside ``<page>.html``, and page assets (styles, scripts, images, fonts).
    """
    for current, dirs, files in os.walk(folder, followlinks=False):
        pages = {f.rsplit(".", 1)[0] for f in files if f.lower().endswith((".html", ".htm"))}
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not (d.endswith("_files") and d[: -len("_files")] in pages)
        )
        for name in sorted(files):
            if not name.startswith(".") and not name.lower().endswith(ASSET_SUFFIXES):
                yield Path(current) / name
