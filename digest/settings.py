"""Options, built once: defaults, then the user's ``digest.toml``, then CLI flags.

Options are kept apart from data (see ``models``). ``Settings`` is frozen; use
``dataclasses.replace`` or ``Settings.with_overrides`` to change it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

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
    formats: tuple[str, ...] = ("md", "html", "pdf", "json")
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
    min_paragraph_words: int = 6

    # [cluster]
    near_duplicate_cutoff: float = 82.0  # rapidfuzz score (0-100) for near-duplicate paragraphs
    containment_cutoff: float = 80.0  # containment score (0-100) of the shorter paragraph in the longer
    story_threshold: float = 0.15  # article similarity (cosine, 0-1) that joins articles in one story

    # [fetch]
    fetch_timeout: float = 15.0
    fetch_max_bytes: int = 10_000_000
    fetch_workers: int = 4
    cache_dir: str | None = None  # default: <out_dir>/.cache

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
    "clean": ("min_paragraph_words",),
    "cluster": ("near_duplicate_cutoff", "containment_cutoff", "story_threshold"),
    "fetch": ("fetch_timeout", "fetch_max_bytes", "fetch_workers", "cache_dir"),
}


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Build Settings from defaults, then ``path`` (if given or ``./digest.toml`` exists), then overrides."""
    settings = Settings()
    config = Path(path) if path else Path(DEFAULT_CONFIG_NAME)
    if path is not None or config.exists():
        settings = replace(settings, **_read_toml(config))
    return settings.with_overrides(**overrides)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("config file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
    return settings_from_mapping(data, source=str(path))


def settings_from_mapping(data: dict[str, Any], source: str = "config") -> dict[str, Any]:
    """Validate a parsed config; return the Settings fields it sets. Unknown sections are left to their owners."""
    types = {f.name: f.type for f in fields(Settings)}
    values: dict[str, Any] = {}
    for section, keys in SECTIONS.items():
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table", path=source)
        for key, value in table.items():
            if key not in keys:
                raise ConfigError(f"[{section}] unknown key '{key}' (known: {', '.join(keys)})", path=source)
            values[key] = _coerce(value, types[key], f"[{section}] {key}", source)
    return values


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


