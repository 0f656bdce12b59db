"""Options, built once: defaults, then the user's ``digest.toml``, then CLI flags.

Options are kept apart from data (see ``models``). ``Settings`` is frozen; use
``dataclasses.replace`` or ``Settings.with_overrides`` to change it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.errors import ConfigError

DEFAULT_CONFIG_NAME = "digest.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    """Every option of a run. TOML keys are given in each field's comment."""

    # [sources]
    inputs: tuple[str, ...] = ("seeds",)  # folders and files
    feeds: tuple[str, ...] = ()  # feed files or URLs
    urls: tuple[str, ...] = ()  # article URLs
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

    # --- [fetch] outbound policy and caps against hostile feeds (issue 17); ranges in HOSTILE_RANGES
    allow_hosts: tuple[str, ...] = ()  # hosts, addresses or CIDR networks fetched although not public
    fetch_local_feed_links: bool = False  # fetch the teaser links of feeds found in local input files
    max_feed_entries: int = 200  # entries read from one feed; the rest are reported and left
    cache_max_bytes: int = 200_000_000  # the HTTP cache prunes its oldest entries past this size

    # [render]
    language: str = "en"  # BCP 47 tag of the briefing's language (HTML lang, PDF metadata)
    author: str = "newsdigest"  # PDF/HTML author metadata

    quiet: bool = False

    def with_overrides(self, **overrides: Any) -> "Settings":
        """Return a copy with the given non-None values replaced."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        unknown = set(clean) - {f.name for f in fields(self)}
        if unknown:
            raise ConfigError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return replace(self, **clean)


# TOML section -> the Settings fields it may set.
SECTIONS: dict[str, tuple[str, ...]] = {
    "sources": ("inputs", "feeds", "urls", "outlets"),
    "output": ("out_dir", "formats", "title", "page_size", "templates_dir", "keep_runs"),
    "briefing": ("words_per_story", "max_stories"),
    "limits": ("max_file_bytes", "max_files"),
    "clean": ("min_article_words",),
    "cluster": ("near_duplicate_cutoff", "containment_cutoff", "story_threshold"),
    "fetch": ("fetch_timeout", "fetch_max_bytes", "fetch_workers", "cache_dir",
              "allow_hosts", "fetch_local_feed_links", "max_feed_entries", "cache_max_bytes"),
    "render": ("language", "author"),
}


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Build Settings from defaults, then ``path`` (if given or ``./digest.toml`` exists), then overrides."""
    settings = Settings()
    config = Path(path) if path else Path(DEFAULT_CONFIG_NAME)
    if path is not None or config.exists():
        settings = replace(settings, **_read_toml(config))
    return settings.with_overrides(**overrides)


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


def settings_from_mapping(data: dict[str, Any], source: str = "config") -> dict[str, Any]:
    """Validate a parsed config; return the Settings fields it sets. An unknown section is an error."""
    types = {f.name: f.type for f in fields(Settings)}
    values: dict[str, Any] = {}
    known = {*SECTIONS, *AUTOMATION_SECTIONS}
    for section in data:
        if section not in known:
            # A misspelt [shedule] would otherwise be ignored without a word.
            raise ConfigError(f"unknown section [{section}] (known: {', '.join(sorted(known))})", path=source)
    for section, keys in SECTIONS.items():
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table", path=source)
        for key, value in table.items():
            if key not in keys:
                raise ConfigError(f"[{section}] unknown key '{key}' (known: {', '.join(keys)})", path=source)
            values[key] = _coerce(value, types[key], f"[{section}] {key}", source)
            _check_hostile_range(key, values[key], f"[{section}] {key}", source)
    return values


# --- ranges of the keys added against hostile input (issue 17) ----------------
HOSTILE_RANGES: dict[str, tuple[int, int]] = {
    "max_feed_entries": (1, 1_000_000),
    "cache_max_bytes": (0, 1 << 50),
}


def _check_hostile_range(key: str, value: Any, name: str, source: str) -> None:
    if key in HOSTILE_RANGES:
        low, high = HOSTILE_RANGES[key]
        if not low <= value <= high:
            raise ConfigError(f"{name} must be from {low} to {high} (got {value})", path=source)


def _coerce(value: Any, annotation: Any, name: str, source: str) -> Any:
    text = str(annotation)
    if text.startswith("tuple"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{name} must be a list of strings", path=source)
        return tuple(value)
    if text.startswith("dict"):
        if not isinstance(value, dict):
            raise ConfigError(f"{name} must be a table", path=source)
        return {str(k): str(v) for k, v in value.items()}
    if text == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"{name} must be true or false", path=source)
        return value
    if text == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"{name} must be a whole number >= 0", path=source)
        return value
    if text == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{name} must be a number", path=source)
        return float(value)
    if not isinstance(value, str):
        raise ConfigError(f"{name} must be a string", path=source)
    return value




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
    if not isinstance(text, str) or not _DURATION_WHOLE.match(text):
        raise ValueError(f"{text!r} is not a duration like \"6h\", \"30m\", \"1h30m\" or \"2s\"")
    total = timedelta()
    for amount, unit in _DURATION_PART.findall(text):
        total += timedelta(**{_UNITS[unit.lower()]: int(amount)})
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
    backoff: float = 30.0  # seconds before the first retry, doubled each time
    attach_pdf: bool = True
    enabled: bool = True

    @property
    def active(self) -> bool:
        """True when a run should send mail."""
        return self.enabled and bool(self.to)

    @property
    def effective_port(self) -> int:
        return self.port or {"ssl": 465, "starttls": 587}.get(self.security, 25)


@dataclass(frozen=True, slots=True)
class AutomationSettings:
    """Options of scheduled runs: schedule, e-mail and the state database."""

    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    email: EmailConfig = field(default_factory=EmailConfig)
    state_path: str | None = None  # [state] path; default <out_dir>/state.sqlite3

    def state_file(self, settings: Settings) -> Path:
        return Path(self.state_path) if self.state_path else Path(settings.out_dir) / "state.sqlite3"


AUTOMATION_SECTIONS: dict[str, tuple[str, ...]] = {
    "schedule": ("at", "every", "timezone", "grace", "since"),
    "email": ("to", "from", "host", "port", "security", "username", "password_env", "timeout",
              "retries", "backoff", "attach_pdf", "enabled"),
    "state": ("path",),
}


def load_automation(path: str | Path | None = None) -> AutomationSettings:
    """Read ``[schedule]``, ``[email]`` and ``[state]`` from ``path`` (or ./digest.toml if it exists)."""
    config = Path(path) if path else Path(DEFAULT_CONFIG_NAME)
    if path is None and not config.exists():
        return AutomationSettings()
    return automation_from_mapping(parse_config_file(config), source=str(config))


def automation_from_mapping(data: dict[str, Any], source: str = "config") -> AutomationSettings:
    """Validate the automation sections of a parsed config; one ConfigError per mistake."""
    tables: dict[str, dict[str, Any]] = {}
    for section, keys in AUTOMATION_SECTIONS.items():
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table", path=source)
        if section == "email" and "password" in table:
            raise ConfigError(
                "[email] password must not be stored in the config file; set password_env = \"NAME\" "
                "and export the password in the environment variable NAME", path=source)
        for key in table:
            if key not in keys:
                raise ConfigError(f"[{section}] unknown key '{key}' (known: {', '.join(keys)})", path=source)
        tables[section] = table
    state = tables["state"].get("path")
    if state is not None and not isinstance(state, str):
        raise ConfigError("[state] path must be a string", path=source)
    return AutomationSettings(
        schedule=_schedule_from_table(tables["schedule"], source),
        email=_email_from_table(tables["email"], source),
        state_path=state,
    )


def _schedule_from_table(table: dict[str, Any], source: str) -> ScheduleConfig:
    def fail(key: str, what: str) -> ConfigError:
        return ConfigError(f"[schedule] {key} {what}", path=source)

    kwargs: dict[str, Any] = {}
    if "at" in table and "every" in table:
        raise fail("at", "and every cannot both be set; use one of them")
    if "at" in table:
        value = table["at"]
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            raise fail("at", "must be a list of times like [\"07:00\", \"18:00\"]")
        times = []
        for text in values:
            match = _CLOCK_TIME.match(text.strip())
            if not match:
                raise fail("at", f"has {text!r}, which is not a 24-hour time HH:MM (e.g. \"07:00\")")
            times.append(time(int(match[1]), int(match[2])))
        kwargs["at"] = tuple(sorted(set(times)))
    for key in ("every", "grace"):
        if key in table:
            try:
                kwargs[key] = parse_duration(table[key])
            except ValueError as exc:
                raise fail(key, f"is wrong: {exc}") from None
    if "every" in kwargs and kwargs["every"] < timedelta(seconds=1):
        raise fail("every", "must be at least 1s")
    if "timezone" in table:
        name = table["timezone"]
        if not isinstance(name, str):
            raise fail("timezone", "must be a string like \"Europe/London\"")
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise fail("timezone", f"{name!r} is not a known IANA time zone (e.g. \"Europe/London\")") from None
        kwargs["timezone"] = name
    if "since" in table:
        try:
            kwargs["since"] = check_since(str(table["since"]))
        except ValueError as exc:
            raise fail("since", f"is wrong: {exc}") from None
    return ScheduleConfig(**kwargs)


def _email_from_table(table: dict[str, Any], source: str) -> EmailConfig:
    if not table:
        return EmailConfig()

    def fail(key: str, what: str) -> ConfigError:
        return ConfigError(f"[email] {key} {what}", path=source)

    kwargs: dict[str, Any] = {}
    to = table.get("to", [])
    to = [to] if isinstance(to, str) else to
    if not isinstance(to, list) or not all(isinstance(a, str) and "@" in a for a in to):
        raise fail("to", "must be a list of e-mail addresses like [\"me@example.org\"]")
    kwargs["to"] = tuple(to)
    for key, name in (("from", "sender"), ("host", "host"), ("username", "username"),
                      ("password_env", "password_env"), ("security", "security")):
        if key in table:
            if not isinstance(table[key], str) or not table[key]:
                raise fail(key, "must be a non-empty string")
            kwargs[name] = table[key]
    if kwargs.get("security", "starttls") not in ("starttls", "ssl", "none"):
        raise fail("security", f"must be \"starttls\", \"ssl\" or \"none\" (got {kwargs['security']!r})")
    if "password_env" in kwargs and not _ENV_NAME.match(kwargs["password_env"]):
        raise fail("password_env", "must be the NAME of an environment variable, not the password")
    if "username" in kwargs and "password_env" not in kwargs:
        raise fail("password_env", "is needed with username: name the environment variable holding the password")
    if kwargs["to"] and "sender" not in kwargs:
        raise fail("from", "is needed to send mail: the sender address, like \"digest@example.org\"")
    if "sender" in kwargs and "@" not in kwargs["sender"]:
        raise fail("from", f"{kwargs['sender']!r} is not an e-mail address")
    for key, lo, hi in (("port", 0, 65535), ("retries", 0, 20)):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                raise fail(key, f"must be a whole number from {lo} to {hi}")
            kwargs[key] = value
    for key in ("timeout", "backoff"):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise fail(key, "must be a number of seconds >= 0")
            kwargs[key] = float(value)
    for key in ("attach_pdf", "enabled"):
        if key in table:
            if not isinstance(table[key], bool):
                raise fail(key, "must be true or false")
            kwargs[key] = table[key]
    return EmailConfig(**kwargs)


def _format_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
