"""Run folders: ``out/<YYYY-MM-DD-HHMM>/``, the ``out/latest`` pointer and retention.

A run is written into a hidden staging folder (``out/.partial-*``) and renamed
to its final name only once every file is on disk, so a reader of ``out/`` or
``out/latest`` never sees a half-written run. ``latest`` is a relative symlink
swapped atomically (temporary symlink + ``os.replace``); where symlinks are not
available, ``latest.txt`` holds the run folder's name instead.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

from digest.errors import InputError, OutputError
from digest.fsutil import atomic_write_text, fsync_dir

LATEST = "latest"
LATEST_TXT = "latest.txt"
PARTIAL_PREFIX = ".partial-"
RUN_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}-\d{4})(?:-(\d+))?$")
BRIEFING_FILES = ("briefing.md", "briefing.html", "briefing.pdf", "briefing.json")


@dataclass(frozen=True, slots=True)
class StagedRun:
    """A run being written: files go into ``path``; ``publish_run`` makes it visible."""

    root: Path
    path: Path
    name: str  # the folder name wanted, e.g. 2026-11-24-0700


def run_name(now: datetime) -> str:
    """The folder name of a run started at ``now`` (in ``now``'s own time zone)."""
    return now.strftime("%Y-%m-%d-%H%M")


def stage_run(root: Path, now: datetime) -> StagedRun:
    """Create a hidden staging folder under ``root`` for a run started at ``now``."""
    root = Path(root)
    name = run_name(now)
    try:
        root.mkdir(parents=True, exist_ok=True)
        path = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{name}-", dir=root))
    except OSError as exc:
        raise OutputError(f"cannot create run folder: {exc.strerror or exc}", path=str(root)) from None
    return StagedRun(root, path, name)


def discard_run(staged: StagedRun) -> None:
    """Remove a staging folder (a run that failed before publishing)."""
    shutil.rmtree(staged.path, ignore_errors=True)


def publish_run(staged: StagedRun, *, keep: int = 0) -> Path:
    """Make a staged run visible as ``root/<name>/``, point ``latest`` at it, apply retention.

    Files are fsynced before the rename, so after a crash the folder is either
    absent (still ``.partial-*``) or complete. Two runs in the same minute get
    ``-2``, ``-3``... suffixes. ``keep`` > 0 removes all but the newest ``keep`` runs.
    """
    _fsync_tree(staged.path)
    final = _rename_unique(staged)
    fsync_dir(staged.root)
    update_latest(staged.root, final)
    if keep > 0:
        prune_runs(staged.root, keep)
    return final


def write_run(root: Path, now: datetime, write: Callable[[Path], Sequence[Path]], *,
              keep: int = 0) -> tuple[Path, list[Path]]:
    """Stage, write and publish a run in one call; returns the run folder and the files' final paths.

    ``write(folder)`` writes the files into the (hidden) staging folder and
    returns their paths; if it raises, the staging folder is removed and
    nothing becomes visible.
    """
    staged = stage_run(root, now)
    try:
        written = write(staged.path)
    except BaseException:
        discard_run(staged)
        raise
    final = publish_run(staged, keep=keep)
    return final, [final / Path(p).relative_to(staged.path) for p in written]


def update_latest(root: Path, run_dir: Path) -> Path:
    """Point ``root/latest`` at ``run_dir`` atomically; fall back to ``root/latest.txt``."""
    root = Path(root)
    link = root / LATEST
    if link.exists() and not link.is_symlink():
        raise OutputError("exists and is not a symlink; move it away so latest can point to the newest run",
                          path=str(link))
    tmp = root / f".{LATEST}.{os.getpid()}.tmp"
    try:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(run_dir.name, tmp, target_is_directory=True)
        os.replace(tmp, link)
    except (OSError, NotImplementedError):
        # e.g. a file system or OS without symlinks: a pointer file does the same job
        try:
            tmp.unlink()
        except OSError:
            pass
        atomic_write_text(root / LATEST_TXT, run_dir.name + "\n")
        return root / LATEST_TXT
    if (root / LATEST_TXT).exists():  # a stale pointer would disagree with the link
        (root / LATEST_TXT).unlink()
    return link


def latest_run(root: Path) -> Path | None:
    """The newest complete run under ``root`` as ``latest`` says, or None."""
    root = Path(root)
    link = root / LATEST
    if link.is_symlink():
        target = root / os.readlink(link)
        return target if target.is_dir() else None
    pointer = root / LATEST_TXT
    if pointer.is_file():
        target = root / pointer.read_text(encoding="utf-8").strip()
        return target if target.is_dir() else None
    return None


def resolve_run(path: str | Path) -> Path:
    """Turn ``out/latest``, ``out`` or ``out/<run>`` into a run folder holding a briefing."""
    path = Path(path)
    candidates = [path]
    if path.name == LATEST:
        found = latest_run(path.parent)
        candidates = [found] if found else []
    elif path.is_dir() and not _has_briefing(path):
        found = latest_run(path)
        candidates = [found] if found else []
    for candidate in candidates:
        if candidate is not None and candidate.is_dir() and _has_briefing(candidate):
            return candidate
    raise InputError("not a run folder (no briefing.json/.md/.html/.pdf in it)", path=str(path))


def list_runs(root: Path) -> list[Path]:
    """Published run folders under ``root``, oldest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    runs = [p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and RUN_NAME.match(p.name)]
    return sorted(runs, key=_run_key)


def prune_runs(root: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` runs (never the one ``latest`` points to)."""
    if keep <= 0:
        return []
    runs = list_runs(root)
    current = latest_run(root)
    removed = []
    for old in runs[:-keep]:
        if current is not None and old.resolve() == current.resolve():
            continue
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    return removed


def clean_partials(root: Path) -> list[Path]:
    """Remove staging folders left by runs that were killed. Call only while holding the run lock."""
    root = Path(root)
    if not root.is_dir():
        return []
    partials = [p for p in root.iterdir() if p.name.startswith(PARTIAL_PREFIX) and p.is_dir()]
    for partial in partials:
        shutil.rmtree(partial, ignore_errors=True)
    for stale in root.glob(f".{LATEST}.*.tmp"):
        stale.unlink(missing_ok=True)
    return partials


def _has_briefing(path: Path) -> bool:
    return any((path / name).is_file() for name in BRIEFING_FILES)


def _run_key(path: Path) -> tuple[str, int]:
    match = RUN_NAME.match(path.name)
    assert match is not None
    return match[1], int(match[2] or 1)


def _rename_unique(staged: StagedRun) -> Path:
    for number in range(1, 1000):
        final = staged.root / (staged.name if number == 1 else f"{staged.name}-{number}")
        if final.exists() or final.is_symlink():
            continue
        try:
            os.rename(staged.path, final)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot publish run: {exc.strerror or exc}", path=str(final)) from None
        return final
    raise OutputError("too many runs in the same minute", path=str(staged.root / staged.name))


def _fsync_tree(path: Path) -> None:
    # temporary files and folders are created private (0600/0700); a published run is
    # readable like any file the user writes (e.g. by a web server serving out/latest)
    umask = os.umask(0)
    os.umask(umask)
    for sub, _dirs, files in os.walk(path):
        for name in files:
            with open(os.path.join(sub, name), "rb") as handle:
                os.fsync(handle.fileno())
                os.fchmod(handle.fileno(), 0o666 & ~umask)
        os.chmod(sub, 0o777 & ~umask)
        fsync_dir(Path(sub))

