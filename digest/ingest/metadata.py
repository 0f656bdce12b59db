"""An article's metadata from wherever it is written: front matter, sidecars, ``sources.toml``, its own lines.

Front matter (``---`` YAML or ``+++`` TOML), a sidecar JSON file beside the article, and the
folder's ``sources.toml``/``sources.json`` state metadata; ``meta_from_mapping`` reads them under
their usual key spellings. The first lines of a text may hold a title, a date or a byline
(``strip_head_metadata`` takes them out); a site notice may name the outlet; the file name is
the last resort. Dates are normalised to ISO 8601.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
import tomllib
import warnings
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any, Sequence

from dateutil import parser as date_parser

from digest.ingest.document import ARTICLE_SUFFIXES, JSON_SUFFIXES, Meta, is_http_url
from digest.text import prefiltered


def _load_yaml(raw: str) -> Any:
    """YAML front matter; ValueError for YAML that does not parse. PyYAML is imported here, when front matter
    is first read (a run of plain text files reads none), and libyaml's loader is used when PyYAML was built
    with it: the same safe subset, about five times faster to read front matter with on thousands of files."""
    import yaml

    try:
        return yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise ValueError(str(exc)) from exc


# Metadata keys as found in front matter, sidecars and JSON articles -> Article field.
META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "published": ("published", "date", "published_at", "publishedAt", "datePublished", "pubDate", "pub_date",
                  "created", "updated", "dateModified", "time"),
    "outlet": ("outlet", "source", "site", "site_name", "sitename", "publisher", "publication", "media"),
    "url": ("url", "link", "canonical", "canonical_url", "permalink", "source_url"),
    "author": ("author", "authors", "byline", "creator"),
    "language": ("language", "lang", "inLanguage"),
}
FOLDER_METADATA_NAMES = ("sources.toml", "sources.json")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:[A-Z]{2,5}|[+-]\d{2}:?\d{2}))?"
_DATE = (
    r"(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[\s\-/.]+{_MONTH}[\s\-/.,]+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4})"
)
_DATETIME = rf"(?:{_WEEKDAY}\s+)?(?:{_TIME},?\s+)?{_DATE}(?:,?\s+(?:at\s+)?{_TIME})?"
_DATE_LABEL = (r"(?:date|dated|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|last\s+updated(?:\s+on)?|"
               r"first\s+published(?:\s+on)?|modified|created)")
DATE_LINE = re.compile(rf"^\s*(?:{_DATE_LABEL}\s*[:\-–—]?\s*)?(?P<date>{_DATETIME})\s*(?:\(.*\))?\s*$", re.I)
DATE_PREFIX = re.compile(rf"^\s*{_DATE_LABEL}\s*[:\-–—]?\s*(?P<date>{_DATETIME})\s*[|:\-–—]?\s+(?P<rest>\S.*)$", re.I)
BYLINE = re.compile(r"^\s*[Bb]y\s+(?P<author>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|and|&|de|van|von|al)){0,6})\s*$")
BREADCRUMB_SEP = re.compile(r"\s+(?:/|>|»|›|→|\|)\s+")
TERMINAL_PUNCTUATION = (".", ",", ";", ":", "…")
HASH_STEM = re.compile(r"^[0-9a-fA-F]{16,128}$")
NUMBERED_HASH_STEM = re.compile(r"^(?P<n>\d{1,6})[_\-.](?P<hash>[0-9a-fA-F]{6,64})$")
_NAME = r"(?:[Tt]he\s+)?[A-Z][\w&'’\-]*(?:\s+(?:[A-Z0-9][\w&'’\-]*|of|and|&|on)){0,4}"

# Site notices that name the outlet publishing the text; a trailing "– Agency" credit is deliberately absent.
OUTLET_NOTICES = (
    # "... emailed about offers, events and updates from X", "newsletters from X"
    re.compile(rf"\b(?:offers|updates|alerts|newsletters?|deals|promotions)\b[^.]{{0,60}}?\bfrom\s+(?P<outlet>{_NAME})"),
    # "X's website can also be accessed at ..."
    re.compile(rf"(?P<outlet>{_NAME})['’]s\s+(?:website|web\s+site|site|app|homepage)\s+(?:can|is|may)\s+"
               r"(?:also\s+)?(?:be\s+)?(?:accessed|available|reached|found)"),
    # "© 2023 X" or "Copyright 2023 X" as a line of its own (case-sensitive name, so not "all rights reserved")
    re.compile(rf"^\s*(?:(?i:copyright)\s*)?(?:©|\((?i:c)\)|(?i:copyright))\s*(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?\s*,?\s*)?"
               rf"(?P<outlet>{_NAME})"),
)
# Asked of every line of every article: behind a literal prefilter, most lines never reach the regex engine.
_NOTICE_CONTEXT = prefiltered(r"e-?mail|newsletter|sign\s*up|subscribe|privacy|website|web site|copyright|©|\(c\)", re.I)
_TRAILING_STOPWORDS = re.compile(r"(?:\s+(?:of|and|&|on|The|the))+$")


def strip_head_metadata(paragraphs: list[str], *, find_title: bool) -> tuple[list[str], Meta]:
    """Take date, byline, breadcrumb and (optionally) title lines off the top of ``paragraphs``.

    Only the first few lines are looked at, and only whole lines that are nothing but
    metadata are removed, except a labelled date glued to text (``date 2023-09-14 For free ...``),
    where the date is cut out and the rest of the line stays.
    """
    meta = Meta()
    # (paragraph index, line index) addressing keeps multi-line paragraphs intact.
    rows = [(pi, li, line) for pi, p in enumerate(paragraphs[:6]) for li, line in enumerate(p.split("\n"))]
    removed: set[tuple[int, int]] = set()
    replaced: dict[tuple[int, int], str] = {}
    seen_content = False
    for position, (pi, li, line) in enumerate(rows[:8]):
        stripped = line.strip()
        if not stripped:
            continue
        date_match = DATE_LINE.match(stripped)
        if date_match and (iso := normalise_date(date_match.group("date"))):
            # The first date is the article's; a second ("Updated ...") is metadata all the same.
            meta.published = meta.published or iso
            removed.add((pi, li))
            continue
        prefix = DATE_PREFIX.match(stripped)
        if prefix and meta.published is None and (iso := normalise_date(prefix.group("date"))):
            meta.published = iso
            replaced[(pi, li)] = prefix.group("rest").strip()
            break  # the rest of that line is article (or boilerplate) text
        if not seen_content and is_breadcrumb(stripped):
            removed.add((pi, li))
            continue
        byline = BYLINE.match(stripped)
        if byline and meta.author is None and len(stripped.split()) <= 8:
            meta.author = byline.group("author")
            removed.add((pi, li))
            continue
        if find_title and meta.title is None and not seen_content and _is_title_line(stripped, rows, position):
            meta.title = stripped
            removed.add((pi, li))
            seen_content = True
            continue
        break
    if not removed and not replaced:
        return paragraphs, meta
    out: list[str] = []
    for pi, paragraph in enumerate(paragraphs):
        if pi >= 6:
            out.append(paragraph)
            continue
        kept = []
        for li, line in enumerate(paragraph.split("\n")):
            if (pi, li) in removed:
                continue
            kept.append(replaced.get((pi, li), line))
        text = "\n".join(k for k in kept if k.strip())
        if text:
            out.append(text)
    return out, meta


def _is_title_line(line: str, rows: list[tuple[int, int, str]], position: int) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 25 or len(line) > 220:
        return False
    if line.endswith(TERMINAL_PUNCTUATION) or line[0].islower():
        return False
    if DATE_LINE.match(line) or line.lower().startswith(("by ", "http", "www.")):
        return False
    rest = rows[position + 1:]
    if not rest:
        return False  # a lone line is the article, not its title
    # The next line must start a new paragraph (or be a date line): a title stands apart.
    pi, li, _ = rows[position]
    next_pi, next_li, next_line = rest[0]
    return next_pi != pi or bool(DATE_LINE.match(next_line.strip()))


def is_breadcrumb(line: str) -> bool:
    """``News / World / Asia`` or ``Home > Sport``: short segments joined by navigation separators."""
    segments = BREADCRUMB_SEP.split(line)
    if len(segments) < 2 or len(line.split()) > 14:
        return False
    if len(segments) == 2 and " / " in line:
        return False  # "Smith / Jones" could be a headline; a breadcrumb with slashes has three parts or more
    return all(1 <= len(s.split()) <= 4 and not s.endswith(TERMINAL_PUNCTUATION) for s in segments)


# A wire or broadcaster credit in the opening dateline: "(CNN) --", "WASHINGTON (AP) —", "LONDON, May 3 (Reuters) -".
# Only at the very start of the text, before a dash: in a sentence, parentheses hold asides and party labels.
_DATELINE_CREDIT = re.compile(
    r"^(?:[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]*){0,4},?(?:\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},?)?\s*)?"
    r"\((?P<outlet>[A-Z][A-Za-z0-9&.’' ]{1,29}?)\)\s*(?:-{1,2}|–|—)\s*\S"
)
_NOT_A_CREDIT = re.compile(r"\b(?:photo|image|file|video|graphic|update[ds]?)\b", re.I)


def outlet_from_credit(paragraphs: Sequence[str]) -> str | None:
    """The outlet a dateline credit at the top of the text names: ``(CNN) --``, ``BEIRUT (Reuters) -``.

    A credit names who wrote the text, a site notice the site that published it, so the reader asks this only
    when no metadata, site notice, web address or file name names the outlet. Two letters are enough ("AP"): the
    parentheses before the dash say it is a name, which a bare "NJ" in a site name does not.
    """
    for paragraph in paragraphs[:2]:
        match = _DATELINE_CREDIT.match(paragraph.lstrip())
        if match and not _NOT_A_CREDIT.search(match.group("outlet")):
            return outlet_name(match.group("outlet").strip(), inferred=False)
    return None


def outlet_from_text(paragraphs: Sequence[str]) -> str | None:
    """The outlet a site notice names (sign-up prompts, "X's website can be accessed", "© 2023 X")."""
    for paragraph in paragraphs:
        for line in paragraph.split("\n"):
            if not _NOTICE_CONTEXT.search(line):
                continue
            for pattern in OUTLET_NOTICES:
                if pattern is OUTLET_NOTICES[2] and len(line.split()) > 15:
                    continue  # a copyright mark inside a long sentence is a photo credit, not a site notice
                match = pattern.search(line)
                if match:
                    outlet = _TRAILING_STOPWORDS.sub("", match.group("outlet")).strip(" .,'’")
                    if outlet and len(outlet) >= 2 and outlet.lower() not in ("us", "our", "the"):
                        return outlet
    return None


def tidy_site_name(name: str | None) -> str | None:
    """A page's site name without its tagline: ``Gazette | Local news since 1901`` -> ``Gazette``."""
    name = clean_str(name)
    if not name:
        return None
    name = re.split(r"\s+\|\s+", name)[0]
    if len(name.split()) > 4:
        name = re.split(r"\s+[–—-]\s+", name)[0]
    return name.strip(" _-–—:·") or None


# What a site name, feed title or site notice gives that names no outlet: a copyright line, a bare
# code, a hash, a sentence. Each is refused, and the next source of the name is asked.
_NOT_AN_OUTLET = re.compile(r"©|\(c\)|\bcopyright\b|\ball rights reserved\b|^source\s+[0-9a-f]{4,}$", re.I)
_HASHLIKE = re.compile(r"^[0-9a-f]{6,}$", re.I)
_DOMAIN_LIKE = re.compile(r"^(?:https?://)?(?:www\.)?(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)+)/?$", re.I)


def outlet_name(name: str | None, *, inferred: bool = True) -> str | None:
    """``name`` as an outlet's name, or None when it cannot be one.

    Never a copyright line ("Copyright 2014 X"), a year, a hash or a "Source e7d77f" label; a name
    that is a domain is made readable. ``inferred`` names (a page's site name, a feed's title, a site
    notice) must also have three letters or digits or more, since a bare "NJ" or "Nj" is a state code or a
    mangled name; a name a feed states for its item (RSS ``<source>``) may have two ("AP").
    What the user or the article's own metadata states is not passed through here at all.
    """
    text = clean_str(name)
    if not text:
        return None
    domain = _DOMAIN_LIKE.match(text)
    if domain:
        host = domain.group("host")
        # "CBSSports.com" is the publisher's own spelling and stays; a bare host is made readable.
        return host if host != host.lower() else readable_domain(f"https://{host}")
    letters = sum(ch.isalpha() for ch in text)
    # Letters and digits together: "VG247" is a name, "Nj" is not.
    marks = sum(ch.isalnum() for ch in text)
    if _NOT_AN_OUTLET.search(text) or _HASHLIKE.match(text) or letters == 0:
        return None
    if marks < (3 if inferred else 2) or len(text) > 80 or len(text.split()) > 8:
        return None
    return text


@functools.cache
def _public_suffixes():  # noqa: ANN202 - the PublicSuffixList type is only known once imported
    # Imported on first use: parsing the bundled list costs start-up time a run without URLs never needs.
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def readable_domain(url: str | None) -> str | None:
    """The domain a person would name for ``url``: ``https://news.bbc.co.uk/x`` -> ``bbc.co.uk``.

    The registrable domain by the public-suffix list bundled with ``publicsuffixlist`` (no network),
    in Unicode rather than punycode; an IP address or a single-label host is given as it is.
    """
    if not url:
        return None
    try:
        host = (urlsplit(url.strip()).hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    domain = _public_suffixes().privatesuffix(host) or host.removeprefix("www.")
    try:
        return domain.encode("ascii").decode("idna")
    except UnicodeError:
        return domain


def outlet_from_file_name(path: Path) -> str | None:
    """An outlet name from a file name: ``bbc-news.txt`` -> ``bbc news``; ``000_75059a54b5.txt`` -> ``Source 1``;
    a bare hash ``3f65af7b6b98b1c9.html`` names nothing (None)."""
    stem = path.name
    for suffix in sorted(ARTICLE_SUFFIXES, key=len, reverse=True):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    numbered = NUMBERED_HASH_STEM.match(stem)
    if numbered:
        # A numbered hash names no outlet; "Source N" (1-based) is readable and stays distinct per file.
        return f"Source {int(numbered.group('n')) + 1}"
    if HASH_STEM.match(stem):
        return None  # "Source 3f65af" reads as a name and is none; the reader numbers unnamed sources
    readable = re.sub(r"[_\-.]+", " ", stem).strip()
    return outlet_name(readable or stem)


def normalise_date(value: Any) -> str | None:
    """An ISO-8601 date (or date-time when a time is given) from common date spellings; None if unparseable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds") if (value.hour, value.minute, value.second) != (0, 0, 0) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.utcfromtimestamp(value / 1000 if value > 1e11 else value).isoformat(timespec="seconds")
        except (OverflowError, OSError, ValueError):
            return None
    text = " ".join(str(value).split())
    if not text or len(text) > 80:
        return None
    has_time = bool(re.search(r"\d{1,2}[:.]\d{2}", text) and not re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text))
    cleaned = re.sub(r"\b(?:at|on|updated|published|posted)\b", " ", text, flags=re.I)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown zone names such as "BST" are fine to drop
        try:
            parsed = date_parser.parse(cleaned, fuzzy=True, default=datetime(1900, 1, 1))
        except (ValueError, OverflowError, TypeError):
            return None
    if parsed.year < 1900 or parsed.year > 2200:
        return None
    if not re.search(r"\d{4}", text):
        return None  # no year written: a guessed year would be a wrong date
    if has_time:
        return parsed.isoformat(timespec="seconds" if parsed.second else "minutes")
    return parsed.date().isoformat()


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split ``---`` YAML (or ``+++`` TOML) front matter from the body; bad front matter is left in the text."""
    stripped = text.lstrip("\ufeff")
    lines = stripped.split("\n")
    if not lines or lines[0].strip() not in ("---", "+++"):
        return {}, text
    fence = lines[0].strip()
    closers = ("---", "...") if fence == "---" else ("+++",)
    for end in range(1, len(lines)):
        if lines[end].strip() in closers:
            raw = "\n".join(lines[1:end])
            body = "\n".join(lines[end + 1:])
            try:
                data = _load_yaml(raw) if fence == "---" else tomllib.loads(raw)
            except (tomllib.TOMLDecodeError, ValueError, RecursionError):
                return {}, text
            if data is None:
                data = {}
            if not isinstance(data, dict):
                return {}, text
            return data, body
    return {}, text


def meta_from_mapping(data: Any) -> Meta:
    """Article metadata from a front matter, sidecar or JSON record, under its usual key spellings."""
    meta = Meta()
    if not isinstance(data, dict):
        return meta
    lowered = {str(k).lower(): v for k, v in data.items()}
    for field_name, keys in META_KEYS.items():
        for key in keys:
            value = lowered.get(key.lower())
            converted = _meta_value(field_name, value)
            if converted:
                setattr(meta, field_name, converted)
                break
    return meta


def _meta_value(field_name: str, value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if field_name == "published":
        return normalise_date(value)
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("@value") or value.get("url")
    if isinstance(value, list):
        names = [_meta_value(field_name, v) for v in value]
        names = [n for n in names if n]
        value = ", ".join(names) if field_name == "author" else (names[0] if names else None)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    if field_name == "url" and not is_http_url(text):
        return None
    return text or None


def _sidecar_candidates(path: Path) -> list[Path]:
    stem = path.name
    for suffix in sorted(ARTICLE_SUFFIXES, key=len, reverse=True):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    names = [f"{path.name}.meta.json", f"{stem}.meta.json", f"{path.name}.json"]
    if not path.name.lower().endswith(JSON_SUFFIXES):
        names.append(f"{stem}.json")
    return [path.with_name(n) for n in dict.fromkeys(names) if n != path.name]


def sidecar_meta(path: Path) -> Meta | None:
    for candidate in _sidecar_candidates(path):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8-sig"))
                return meta_from_mapping(data)
            except (OSError, ValueError, RecursionError):  # unreadable, broken or nested too deeply: ignored
                return None
    return None


def is_sidecar(path: Path) -> bool:
    """``x.meta.json`` always; ``x.json`` or ``x.txt.json`` when an article file ``x.*`` sits beside it."""
    name = path.name.lower()
    if name.endswith(".meta.json"):
        return True
    if not name.endswith(".json"):
        return False
    base = path.name[: -len(".json")]
    if base.lower().endswith(ARTICLE_SUFFIXES) and path.with_name(base).exists():
        return True
    # A stat per article suffix, not a folder listing per JSON file: folders may hold thousands.
    return any(path.with_name(base + suffix).exists() for suffix in ARTICLE_SUFFIXES if suffix not in JSON_SUFFIXES)


def folder_meta(path: Path) -> Meta | None:
    table = _folder_table(path.parent)
    if not table:
        return None
    stem = path.name.split(".")[0]
    for key in (path.name, stem):
        if key in table:
            return meta_from_mapping(table[key])
    return None


_FOLDER_TABLES: dict[tuple[str, float], dict[str, Any]] = {}


def _folder_table(folder: Path) -> dict[str, Any]:
    for name in FOLDER_METADATA_NAMES:
        candidate = folder / name
        try:
            stamp = candidate.stat().st_mtime
        except OSError:
            continue
        key = (str(candidate.resolve()), stamp)
        if key not in _FOLDER_TABLES:
            _FOLDER_TABLES[key] = _load_folder_table(candidate)
        return _FOLDER_TABLES[key]
    return {}


def _load_folder_table(path: Path) -> dict[str, Any]:
    """``sources.toml``: ``["file.txt"]`` tables (or under ``[files]``); ``sources.json``: an object or a list."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError, tomllib.TOMLDecodeError, RecursionError):
        return {}
    if isinstance(data, dict):
        for key in ("files", "sources", "articles"):
            if isinstance(data.get(key), (dict, list)):
                data = data[key]
                break
    if isinstance(data, list):
        table = {}
        for item in data:
            if isinstance(item, dict):
                name = item.get("file") or item.get("path") or item.get("name")
                if isinstance(name, str):
                    table[Path(name).name] = item
        return table
    return {str(k): v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None
