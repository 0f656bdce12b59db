"""Reading articles (temporary minimal reader; replaced by the full ingest stage)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from digest.errors import InputError
from digest.models import Article
from digest.settings import Settings

_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*")


@dataclass(frozen=True, slots=True)
class Skipped:
    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class IngestResult:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...] = ()


def read_inputs(inputs: Sequence[str], settings: Settings) -> IngestResult:
    articles: list[Article] = []
    for name in inputs:
        path = Path(name)
        if not path.exists():
            raise InputError("no such file or folder", path=name)
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        for f in files:
            if f.suffix == ".txt":
                articles.append(_read_txt(f))
    return IngestResult(tuple(articles))


def _read_txt(path: Path) -> Article:
    text = path.read_text(encoding="utf-8")
    published = None
    m = _DATE_LINE.match(text)
    if m:
        published = m.group(1)
        text = text[m.end():]
    lines = [l.strip() for l in text.splitlines()]
    if "" not in lines[1:-1]:
        text = "\n\n".join(l for l in lines if l)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    title = None
    if paragraphs and len(paragraphs[0].split()) <= 20 and not paragraphs[0].endswith("."):
        title = paragraphs[0]
    aid = hashlib.sha1(str(path).encode()).hexdigest()[:8]
    return Article(id=aid, text="\n\n".join(paragraphs), title=title, outlet=path.stem,
                   published=published, path=str(path))
