"""Tables built from installed packages' data files, kept as JSON in the user's cache folder between runs.

Building the country gazetteer from countryinfo's and pycountry's JSON (a few hundred files and
five thousand subdivisions) takes about a tenth of a second on every run: more than a small
briefing's own compose step. Built once, it is read back in a few milliseconds. A copy is keyed by
the size and modification time of every file the build reads, the code that builds it included,
so an upgrade of a package or an edit of the rules builds it again; a copy that cannot be read or
written is no error, only a build.
"""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
import zlib
from pathlib import Path
from typing import Any, Callable, Iterable

_FORMAT = 1  # bump when the layout of a cached file changes


def cached_json(name: str, sources: Callable[[], Iterable[Path]], build: Callable[[], Any],
                fits: Callable[[Any], bool] = lambda value: True) -> Any:
    """``build()`` (a JSON value), or the copy cached under ``name`` for the same ``sources()`` files.

    The value read back is what ``json.loads(json.dumps(build()))`` gives: lists for tuples,
    string keys; the caller turns it into its own types either way. A copy that ``fits`` refuses
    (readable JSON of another shape: edited by hand, or written by a future format) is built again.
    """
    path = _cache_file(name, sources)
    if path is not None:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
            if fits(value):
                return value
        except (OSError, ValueError):
            pass  # no copy yet, or one cut short: build it
    value = build()
    if path is not None:
        _write(path, value, name)
    return value


def package_files(package: str, *names: str) -> list[Path]:
    """The files (or folders) ``names`` inside an installed package, found without importing it."""
    from importlib.util import find_spec

    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(package)
    folder = Path(next(iter(spec.submodule_search_locations)))
    return [folder / name for name in names]


def _cache_file(name: str, sources: Callable[[], Iterable[Path]]) -> Path | None:
    try:
        from digest.settings import user_places

        # Python's Unicode tables too: builds fold accents and case with them.
        stamp = "|".join([unicodedata.unidata_version,
                          *(f"{p}:{s.st_size}:{s.st_mtime_ns}" for p in sources() for s in [p.stat()])])
        return user_places().cache / f"{name}-{_FORMAT}-{zlib.crc32(stamp.encode('utf-8')):08x}.json"
    except (OSError, ValueError):
        return None  # a source is missing: build each time, as without a cache


def _write(path: Path, value: Any, name: str) -> None:
    """Write ``value`` as ``path`` whole or not at all (a temporary file renamed into place)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(value, out, ensure_ascii=False)
            os.replace(staging, path)
        except BaseException:
            os.unlink(staging)
            raise
        for stale in path.parent.glob(f"{name}-{_FORMAT}-*.json"):
            if stale != path:  # the copy of sources since replaced
                stale.unlink(missing_ok=True)
    except (OSError, TypeError, ValueError):
        pass  # the cache cannot be written: the next run builds it again
