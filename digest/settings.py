"""Options, built once: defaults, then the user's ``digest.toml``, then CLI flags.

Options are kept apart from data (see ``models``). ``Settings`` is frozen; use
``dataclasses.replace`` or ``Settings.with_overrides`` to change it.

``SCHEMA`` is the one description of every option a user can set, in the TOML
file or with a flag: its type, range or choices, and what to say when a value
is wrong. The whole file is checked at load and every mistake is reported at
once, each naming the file, the key, the value and what is allowed; a flag's
value goes through the same check. msgspec does the type and range checks: it
imports in tens of milliseconds where pydantic takes about half a second, and
start-up time counts (see the README).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Callable, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from msgspec import Meta

from digest.errors import ConfigError

DEFAULT_CONFIG_NAME = "digest.toml"
# The formats a briefing can be written in (``digest.render`` writes them).
FORMATS = ("md", "html", "pdf", "json", "ics")
PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True, slots=True)
class Settings:
    """Every option of a run. TOML keys, ranges and choices are in ``SCHEMA``."""

    # [sources]
    inputs: tuple[str, ...] = ("seeds",)  # folders and files
    feeds: tuple[str, ...] = ()  # feed files or URLs
    urls: tuple[str, ...] = ()  # article URLs
    opml: tuple[str, ...] = ()  # OPML subscription lists whose feeds are read
    outlets: dict[str, str] = field(default_factory=dict)  # input/feed/url -> outlet name

    # [output]
    out_dir: str = "out"
    formats: tuple[str, ...] = ("md", "html", "pdf", "json", "ics")  # ics only when events are announced
    title: str = "News digest"
    page_size: str = "A4"  # A4 or Letter
    templates_dir: str | None = None
    keep_runs: int = 30  # retention of out/<date-time>/ folders

    # [briefing]
    words_per_story: int = 450
    max_stories: int = 12

    # [limits]
    max_file_bytes: int = 20_000_000
    max_files: int = 20_000

    # [clean]
    min_article_words: int = 12  # an article with less text after cleaning is a stub, not news

    # [cluster]
    near_duplicate_cutoff: float = 82.0  # rapidfuzz score (0-100) for near-duplicate paragraphs
    containment_cutoff: float = 80.0  # containment score (0-100) of the shorter paragraph in the longer
    story_threshold: float = 0.15  # article similarity (cosine, 0-1) that joins articles in one story

    # [fetch]
    fetch_timeout: float = 15.0
    fetch_max_bytes: int = 10_000_000
    fetch_workers: int = 4
    cache_dir: str | None = None  # default: <out_dir>/.cache

    # --- [fetch] outbound policy and caps against hostile feeds (issue 17); ranges in SCHEMA
    allow_hosts: tuple[str, ...] = ()  # hosts, addresses or CIDR networks fetched although not public
    fetch_local_feed_links: bool = False  # fetch the teaser links of feeds found in local input files
    max_feed_entries: int = 200  # entries read from one feed; the rest are reported and left
    cache_max_bytes: int = 200_000_000  # the HTTP cache prunes its oldest entries past this size

    # [render]
    language: str = "en"  # BCP 47 tag of the briefing's language (HTML lang, PDF metadata)
    author: str = "newsdigest"  # PDF/HTML author metadata

    # [quotes]
    quote_parser: str = "spacy"  # "spacy": the dependency parse finds speech verbs' subjects; "rules": patterns only

    quiet: bool = False

    def with_overrides(self, *, flags: dict[str, str] | None = None, **overrides: Any) -> "Settings":
        """Return a copy with the given non-None values replaced, each checked by ``SCHEMA``.

        ``flags`` maps an option to the command-line flag that gave it, so that an error names
        the flag the user typed. Every wrong value is reported in one ConfigError.
        """
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(clean) - {f.name for f in fields(self)}
        if unknown:
            raise ConfigError(f"unknown option(s): {', '.join(sorted(unknown))}")
        problems: list[str] = []
        values: dict[str, Any] = {}
        for name, value in clean.items():
            key = SCHEMA_BY_FIELD.get(name)
            if key is None:
                values[name] = value
                continue
            label = (flags or {}).get(name) or f"[{key.section}] {key.name}"
            checked = key.check(value, label, problems)
            if checked is not _WRONG:
                values[name] = checked
        if problems:
            raise ConfigError("\n".join(problems))
        return replace(self, **values)


# --- the schema: one description of each option, for TOML and flags alike ------

_WRONG = object()  # a value that failed its check; the problem is already recorded
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_HOST = r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$"
_LANGUAGE = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}$"
_ENV_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)


def _show(value: Any) -> str:
    """A value as the user wrote it, on one line and cut short: control characters come out escaped."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True, slots=True)
class Key:
    """One option: where it lives in TOML, the type msgspec checks (with its range or choices),
    ``allowed`` in words for the error message, and an optional further check that converts the
    value or raises ValueError with the reason (value and what is allowed)."""

    section: str
    name: str  # TOML key
    kind: Any
    allowed: str
    attr: str = ""  # the attribute it sets, when not ``name``
    convert: Callable[[Any], Any] | None = None

    @property
    def target(self) -> str:
        return self.attr or self.name

    def check(self, value: Any, label: str, problems: list[str]) -> Any:
        """The checked (and converted) value, or ``_WRONG`` after adding one line to ``problems``."""
        try:
            value = msgspec.convert(value, self.kind)
        except msgspec.ValidationError:
            problems.append(f"{label} must be {self.allowed} (got {_show(value)})")
            return _WRONG
        if self.convert is None:
            return value
        try:
            return self.convert(value)
        except ValueError as exc:
            problems.append(f"{label} {exc}")
            return _WRONG


def _whole(section: str, name: str, lo: int, hi: int, note: str = "", **kw: Any) -> Key:
    return Key(section, name, Annotated[int, Meta(ge=lo, le=hi)], f"a whole number from {lo} to {hi}{note}", **kw)


def _number(section: str, name: str, lo: float, hi: float, **kw: Any) -> Key:
    # msgspec refuses nan (it fails every comparison) and, with an upper bound, inf.
    return Key(section, name, Annotated[float, Meta(ge=lo, le=hi)], f"a number from {lo:g} to {hi:g}", **kw)


def _seconds(section: str, name: str, lo: float, hi: float, **kw: Any) -> Key:
    return Key(section, name, Annotated[float, Meta(ge=lo, le=hi)],
               f"a number of seconds >= {lo:g} and at most {hi:g}", **kw)


def _flag(section: str, name: str, **kw: Any) -> Key:
    return Key(section, name, bool, "true or false", **kw)


def _plain_text(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError(f"must not hold control, line-break or invisible characters (got {_show(value)})")
    return value


def _text(section: str, name: str, longest: int, what: str = "a non-empty string", **kw: Any) -> Key:
    return Key(section, name, Annotated[str, Meta(min_length=1, max_length=longest)],
               f"{what} of at most {longest} characters", convert=_plain_text, **kw)


def _path(section: str, name: str, **kw: Any) -> Key:
    return _text(section, name, 4096, "a path", **kw)


def _path_list(value: str | list[str]) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    for item in items:
        if not item or _CONTROL.search(item):
            raise ValueError(f"must be a list of strings, each a non-empty path (got {_show(item)})")
    return tuple(items)


def _url_list(value: str | list[str]) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    for item in items:
        if not _URL.match(item) or _CONTROL.search(item):
            raise ValueError(f"must be a list of strings, each an http(s) URL (got {_show(item)})")
    return tuple(items)


def _outlets(value: dict[str, str]) -> dict[str, str]:
    for source, name in value.items():
        if _CONTROL.search(source) or _CONTROL.search(name) or not name.strip():
            raise ValueError(f"must map each input, feed or URL to an outlet name on one line (got {_show(source)} = "
                             f"{_show(name)})")
    return dict(value)


def _unique(value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value))


def _page_size(value: str) -> str:
    for size in PAGE_SIZES:
        if value.lower() == size.lower():
            return size
    raise ValueError(f"must be {_choices(PAGE_SIZES)} (got {_show(value)})")


def _choices(values: tuple[str, ...]) -> str:
    quoted = [f'"{v}"' for v in values]
    return ", ".join(quoted[:-1]) + f" or {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def _address(value: str) -> str:
    """An e-mail address (``me@example.org`` or ``Name <me@example.org>``), checked by the stdlib's RFC 5322 parser."""
    if _CONTROL.search(value):
        # A CR/LF in an address would let a config value write headers of its own.
        raise ValueError(f"{_show(value)} holds a line break or control character; an address is one line")
    # Imported here: the e-mail parser costs start-up time that only configs with [email] need.
    from email.errors import HeaderParseError
    from email.headerregistry import Address
    from email.utils import parseaddr

    _name, spec = parseaddr(value)
    try:
        address = Address(addr_spec=spec) if spec else None
    except (HeaderParseError, ValueError, IndexError):
        address = None
    # One "@" in all: "a@x.org, b@y.org" in one field is two addresses, not one.
    if address is None or not address.username or "." not in address.domain or value.count("@") != 1:
        raise ValueError(f"{_show(value)} is not an e-mail address like \"digest@example.org\"")
    return value


def _addresses(value: str | list[str]) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    for item in items:
        try:
            _address(item)
        except ValueError as exc:
            raise ValueError(f"must be a list of e-mail addresses like [\"me@example.org\"]: {exc}") from None
    return tuple(items)


def _duration_between(lo: timedelta, hi: timedelta) -> Callable[[Any], timedelta]:
    def convert(value: Any) -> timedelta:
        try:
            delta = parse_duration(value)
        except ValueError as exc:
            raise ValueError(f"is wrong: {exc}") from None
        if delta < lo:
            raise ValueError(f"must be at least {_format_duration(lo)} (got {_show(value)})")
        if delta > hi:
            raise ValueError(f"must be at most {_format_duration(hi)} (got {_show(value)})")
        return delta
    return convert


def _clock_times(value: Any) -> tuple[time, ...]:
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or len(values) > 96 or not all(isinstance(v, str) for v in values):
        raise ValueError(f"must be a list of times like [\"07:00\", \"18:00\"] (got {_show(value)})")
    times = []
    for text in values:
        match = _CLOCK_TIME.match(text.strip())
        if not match:
            raise ValueError(f"has {_show(text)}, which is not a 24-hour time HH:MM (e.g. \"07:00\")")
        times.append(time(int(match[1]), int(match[2])))
    return tuple(sorted(set(times)))


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{_show(name)} is not a known IANA time zone (e.g. \"Europe/London\")") from None
    return name


def _since(value: str) -> str:
    try:
        return check_since(value)
    except ValueError as exc:
        raise ValueError(f"is wrong: {exc}") from None


def _allowed_hosts(value: str | list[str]) -> tuple[str, ...]:
    """Each entry a host name, an address or a CIDR network (what ``digest.ingest.fetch.OutboundPolicy`` reads)."""
    import ipaddress

    items = [value] if isinstance(value, str) else value
    for item in items:
        text = item.strip().strip("[]")
        try:
            ipaddress.ip_network(text, strict=False)
            continue
        except ValueError:
            pass
        if not re.match(_HOST, text) or "/" in text:
            raise ValueError(f"must be host names, addresses or networks like \"10.0.0.0/8\" (got {_show(item)})")
    return tuple(items)


SCHEMA: tuple[Key, ...] = (
    Key("sources", "inputs", str | list[str], "a list of strings (files and folders)", convert=_path_list),
    Key("sources", "feeds", str | list[str], "a list of strings (feed files or URLs)", convert=_path_list),
    Key("sources", "urls", str | list[str], "a list of strings (http(s) URLs)", convert=_url_list),
    Key("sources", "opml", str | list[str], "a list of strings (OPML files)", convert=_path_list),
    Key("sources", "outlets", dict[str, str], "a table of input, feed or URL = outlet name", convert=_outlets),
    _path("output", "out_dir"),
    Key("output", "formats", Annotated[tuple[Literal[FORMATS], ...], Meta(min_length=1)],  # type: ignore[valid-type]
        f"a non-empty list of {_choices(FORMATS)}", convert=_unique),
    _text("output", "title", 300),
    Key("output", "page_size", str, _choices(PAGE_SIZES), convert=_page_size),
    _path("output", "templates_dir"),
    _whole("output", "keep_runs", 0, 100_000, " (0 keeps every run)"),
    _whole("briefing", "words_per_story", 50, 5000),
    _whole("briefing", "max_stories", 1, 500),
    _whole("limits", "max_file_bytes", 1000, 2_000_000_000),
    _whole("limits", "max_files", 1, 10_000_000),
    _whole("clean", "min_article_words", 0, 1000),
    # Below 50 a "near duplicate" shares less than half its text: the cut-off would merge unrelated paragraphs.
    _number("cluster", "near_duplicate_cutoff", 50, 100),
    _number("cluster", "containment_cutoff", 50, 100),
    Key("cluster", "story_threshold", Annotated[float, Meta(gt=0, le=1)], "a number above 0 and at most 1"),
    _seconds("fetch", "fetch_timeout", 0.1, 600),
    _whole("fetch", "fetch_max_bytes", 1000, 2_000_000_000),
    _whole("fetch", "fetch_workers", 1, 64),
    _path("fetch", "cache_dir"),
    # --- [fetch] keys against hostile feeds (issue 17) ---
    Key("fetch", "allow_hosts", str | list[str], "a list of host names, addresses or networks like \"10.0.0.0/8\"",
        convert=_allowed_hosts),
    _flag("fetch", "fetch_local_feed_links"),
    _whole("fetch", "max_feed_entries", 1, 1_000_000),
    _whole("fetch", "cache_max_bytes", 0, 1 << 50),
    Key("render", "language", Annotated[str, Meta(pattern=_LANGUAGE)], "a language tag like \"en\" or \"pt-BR\""),
    _text("render", "author", 200),
    Key("quotes", "quote_parser", Literal["spacy", "rules"], _choices(("spacy", "rules"))),
    # [schedule], [email] and [state] set AutomationSettings (below).
    Key("schedule", "at", Any, "a list of times like [\"07:00\", \"18:00\"]", convert=_clock_times),
    Key("schedule", "every", Any, "a duration like \"6h\"",
        convert=_duration_between(timedelta(seconds=1), timedelta(days=31))),
    Key("schedule", "timezone", str, "an IANA time zone like \"Europe/London\"", convert=_zone),
    Key("schedule", "grace", Any, "a duration like \"2h\"",
        convert=_duration_between(timedelta(0), timedelta(days=7))),
    Key("schedule", "since", str, "last, all, a duration like \"24h\" or a date", convert=_since),
    Key("email", "to", str | list[str], "a list of e-mail addresses like [\"me@example.org\"]", convert=_addresses),
    Key("email", "from", Annotated[str, Meta(max_length=320)], "an e-mail address like \"digest@example.org\"",
        attr="sender", convert=_address),
    Key("email", "host", Annotated[str, Meta(pattern=_HOST)], "a host name like \"smtp.example.org\""),
    _whole("email", "port", 0, 65535),
    Key("email", "security", Literal["starttls", "ssl", "none"], _choices(("starttls", "ssl", "none"))),
    _text("email", "username", 320),
    Key("email", "password_env", Annotated[str, Meta(pattern=_ENV_NAME_PATTERN)],
        "the NAME of an environment variable, not the password"),
    _seconds("email", "timeout", 0.1, 600),
    _whole("email", "retries", 0, 20),
    # Retries double the wait: an hour at most, so that a wrong value cannot put the daemon to sleep for years.
    _seconds("email", "backoff", 0, 3600),
    _text("email", "from_name", 200),
    _flag("email", "attach_pdf"),
    _flag("email", "enabled"),
    _path("state", "path", attr="state_path"),
    _path("state", "lock", attr="lock_path"),
)

SCHEMA_BY_FIELD: dict[str, Key] = {k.target: k for k in SCHEMA if k.section in (
    "sources", "output", "briefing", "limits", "clean", "cluster", "fetch", "render", "quotes")}
# The flag of each option on the command line, so that its errors name what the user typed.
FLAGS: dict[str, str] = {
    "formats": "--format", "words_per_story": "--words", "title": "--title", "page_size": "--page-size",
    "feeds": "--feed", "urls": "--url", "inputs": "INPUTS", "opml": "--opml",
}


# TOML section -> the Settings fields it may set (the schema's keys, in order).
SECTIONS: dict[str, tuple[str, ...]] = {}
for _key in SCHEMA_BY_FIELD.values():
    SECTIONS.setdefault(_key.section, ())
    SECTIONS[_key.section] += (_key.target,)


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Build Settings from defaults, then ``path`` (if given or ``./digest.toml`` exists), then overrides.

    The whole file is checked, [schedule] and [email] too, and every mistake is in one ConfigError.
    Outside a project folder (no config file) the HTTP cache goes to the user's cache directory.
    """
    settings = Settings()
    config = Path(path) if path else Path(DEFAULT_CONFIG_NAME)
    if path is not None or config.exists():
        settings = replace(settings, **_read_toml(config))
    else:
        settings = replace(settings, cache_dir=str(user_places().cache))
    return settings.with_overrides(**overrides)


@dataclass(frozen=True, slots=True)
class Places:
    """Where the tool keeps what is not a briefing when run outside a project folder."""

    state: Path  # the state database and the run lock
    cache: Path  # the HTTP cache


def user_places() -> Places:
    """The user's state and cache directories for newsdigest (platformdirs: XDG on Linux,
    ~/Library on macOS, %LOCALAPPDATA% on Windows). Nothing is created here."""
    import platformdirs

    return Places(Path(platformdirs.user_state_dir("newsdigest")), Path(platformdirs.user_cache_dir("newsdigest")))


def _read_toml(path: Path) -> dict[str, Any]:
    return settings_from_mapping(parse_config_file(path), source=str(path))


def parse_config_file(path: Path) -> dict[str, Any]:
    """The parsed TOML of a config file; ConfigError naming the file if it cannot be read or parsed."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
    except RecursionError:
        raise ConfigError("invalid TOML: nested too deeply", path=str(path)) from None


def check_config(data: dict[str, Any], source: str = "config") -> tuple[dict[str, Any], "AutomationSettings"]:
    """Check a whole parsed config against ``SCHEMA``.

    Returns the Settings fields it sets and the AutomationSettings it describes; raises one
    ConfigError listing every mistake, each line naming ``source``, the key, the value and what is allowed.
    """
    problems: list[str] = []
    values: dict[str, dict[str, Any]] = {}
    schema = {(k.section, k.name): k for k in SCHEMA}
    known = list(dict.fromkeys(k.section for k in SCHEMA))
    for section, table in data.items():
        if section not in known:
            # A misspelt [shedule] would otherwise be ignored without a word.
            problems.append(f"unknown section [{section}] (known: {', '.join(sorted(known))})")
            continue
        if not isinstance(table, dict):
            problems.append(f"[{section}] must be a table")
            continue
        found = values.setdefault(section, {})
        names = [k.name for k in SCHEMA if k.section == section]
        for name, value in table.items():
            if section == "email" and name == "password":
                problems.append("[email] password must not be stored in the config file; set password_env = \"NAME\" "
                                "and export the password in the environment variable NAME")
                continue
            key = schema.get((section, name))
            if key is None:
                problems.append(f"[{section}] unknown key '{name}' (known: {', '.join(names)})")
                continue
            checked = key.check(value, f"[{section}] {name}", problems)
            if checked is not _WRONG:
                found[key.target] = checked
    schedule, email = values.get("schedule", {}), values.get("email", {})
    raw_schedule = data.get("schedule") if isinstance(data.get("schedule"), dict) else {}
    if "at" in raw_schedule and "every" in raw_schedule:
        problems.insert(0, "[schedule] at and every cannot both be set; use one of them")
    if "username" in email and "password_env" not in email:
        problems.append("[email] password_env is needed with username: name the environment variable holding "
                        "the password")
    if email.get("to") and "sender" not in email and "from" not in (data.get("email") or {}):
        problems.append("[email] from is needed to send mail: the sender address, like \"digest@example.org\"")
    if problems:
        raise ConfigError("\n".join(f"{source}: {p}" for p in problems))
    settings_values = {k: v for s in SECTIONS for k, v in values.get(s, {}).items()}
    automation = AutomationSettings(
        schedule=ScheduleConfig(**schedule), email=EmailConfig(**email),
        state_path=values.get("state", {}).get("state_path"),
        lock_path=values.get("state", {}).get("lock_path"),
    )
    return settings_values, automation


def settings_from_mapping(data: dict[str, Any], source: str = "config") -> dict[str, Any]:
    """Check a parsed config (the whole of it); return the Settings fields it sets."""
    return check_config(data, source)[0]


# --- [schedule], [email], [state]: the daemon and delivery --------------------
# Kept apart from ``Settings`` because only ``digest schedule``/``digest send``
# (and the new-only filter of a run) read them; loaded from the same TOML file.

_DURATION_PART = re.compile(r"(\d+)\s*([smhd])", re.IGNORECASE)
_DURATION_WHOLE = re.compile(r"^\s*(?:\d+\s*[smhd]\s*)+$", re.IGNORECASE)
_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
SINCE_WORDS = ("last", "all")


def parse_duration(text: str) -> timedelta:
    """Parse ``"6h"``, ``"90m"``, ``"1h30m"``, ``"2s"``, ``"1d"``; raise ValueError otherwise."""
    if isinstance(text, str) and len(text) > 40:
        raise ValueError(f"{text[:40]!r}... is too long for a duration")
    if not isinstance(text, str) or not _DURATION_WHOLE.match(text):
        raise ValueError(f"{text!r} is not a duration like \"6h\", \"30m\", \"1h30m\" or \"2s\"")
    total = timedelta()
    try:
        for amount, unit in _DURATION_PART.findall(text):
            total += timedelta(**{_UNITS[unit.lower()]: int(amount)})
    except OverflowError:
        raise ValueError(f"{text!r} is longer than any duration a clock can count") from None
    return total


def check_since(text: str) -> str:
    """Validate a ``since`` value: ``last``, ``all``, a duration (``24h``) or an ISO date/date-time."""
    if text in SINCE_WORDS:
        return text
    try:
        parse_duration(text)
        return text
    except ValueError:
        pass
    try:
        datetime.fromisoformat(text)
        return text
    except ValueError:
        raise ValueError(
            f"{text!r} is not 'last', 'all', a duration like '24h' or a date like '2026-11-24'"
        ) from None


@dataclass(frozen=True, slots=True)
class ScheduleConfig:
    """When ``digest schedule`` runs. TOML: ``[schedule] at, every, timezone, grace, since``."""

    at: tuple[time, ...] = (time(7, 0),)  # local clock times in ``timezone``
    every: timedelta | None = None  # fixed steps counted from 00:00 UTC; replaces ``at``
    timezone: str = "UTC"
    grace: timedelta = timedelta(hours=2)  # a missed run is caught up at start if this recent
    since: str = "last"  # last | all | 24h (any duration) | ISO date

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        if self.every is not None:
            return f"every {_format_duration(self.every)}"
        return "at " + ", ".join(t.strftime("%H:%M") for t in self.at) + f" ({self.timezone})"


@dataclass(frozen=True, slots=True)
class EmailConfig:
    """Delivery by e-mail. TOML: ``[email]``; the password comes from the variable ``password_env``."""

    to: tuple[str, ...] = ()
    sender: str = ""  # TOML key "from"
    host: str = "localhost"
    port: int = 0  # 0: 465 for ssl, 587 for starttls, 25 for none
    security: str = "starttls"  # starttls | ssl | none
    username: str | None = None
    password_env: str | None = None
    timeout: float = 30.0
    retries: int = 3  # attempts after the first one
    backoff: float | None = None  # seconds before the first retry, doubled; None: see retry_backoff
    from_name: str = ""  # display name of From; default: the briefing's title
    attach_pdf: bool = True
    enabled: bool = True

    @property
    def active(self) -> bool:
        """True when a run should send mail."""
        return self.enabled and bool(self.to)

    def retry_backoff(self, on_demand: bool) -> float:
        """The first retry wait: ``backoff`` if set, else 2 s when a user waits (``digest run``, ``send``),
        30 s for the daemon, so that a run from a terminal does not sit silent for minutes."""
        if self.backoff is not None:
            return self.backoff
        return 2.0 if on_demand else 30.0

    @property
    def effective_port(self) -> int:
        return self.port or {"ssl": 465, "starttls": 587}.get(self.security, 25)


@dataclass(frozen=True, slots=True)
class AutomationSettings:
    """Options of scheduled runs: schedule, e-mail and the state database."""

    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    email: EmailConfig = field(default_factory=EmailConfig)
    state_path: str | None = None  # [state] path; default <out_dir>/state.sqlite3
    lock_path: str | None = None  # [state] lock; default <out_dir>/.digest.lock

    def state_file(self, settings: Settings) -> Path:
        return Path(self.state_path) if self.state_path else Path(settings.out_dir) / "state.sqlite3"


def load_automation(path: str | Path | None = None) -> AutomationSettings:
    """Read ``[schedule]``, ``[email]`` and ``[state]`` from ``path`` (or ./digest.toml if it exists).

    Outside a project folder (no config file) the state database and the run lock live in the
    user's state directory, so that a run from any folder (a cron job's home, say) leaves only its
    briefing there; a state database already at ``out/state.sqlite3`` is kept where it is.
    """
    config = Path(path) if path else Path(DEFAULT_CONFIG_NAME)
    if path is None and not config.exists():
        if (Path(Settings().out_dir) / "state.sqlite3").exists():
            return AutomationSettings()
        state = user_places().state
        return AutomationSettings(state_path=str(state / "state.sqlite3"), lock_path=str(state / "digest.lock"))
    return automation_from_mapping(parse_config_file(config), source=str(config))


def automation_from_mapping(data: dict[str, Any], source: str = "config") -> AutomationSettings:
    """Check a parsed config (the whole of it); return its schedule, e-mail and state options."""
    return check_config(data, source)[1]


def _format_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
