"""Writing files so that a reader never sees half of one.

Every output goes to a temporary file in the target folder, is flushed and
fsynced, then renamed over the target: a crash, a full disk or a kill leaves
the previous file as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Sequence

from digest.errors import OutputError


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically; raise OutputError (target untouched) on failure."""
    path = Path(path)
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        # mkstemp creates the file 0600; a briefing is meant to be read like any other file.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(path)) from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def remove_stale_temporaries(folder: Path, name: str) -> list[Path]:
    """Delete temporary files that an interrupted ``atomic_write`` of ``folder/name`` left behind."""
    removed = []
    for leftover in Path(folder).glob(f".{name}.*.tmp"):
        try:
            leftover.unlink()
            removed.append(leftover)
        except OSError:
            pass  # another process's, or already gone: harmless either way
    return removed


STAGING_PREFIX = ".briefing-staging-"


def write_set(folder: Path, write: Callable[[Path], Sequence[Path]], *, family: Iterable[str] = ()) -> list[Path]:
    """Write a set of files into ``folder`` so that a reader never sees files of two runs side by side.

    ``write(staging)`` writes the whole set into a hidden staging folder inside ``folder`` (same file
    system); only when it has succeeded are the files renamed into place, one quick rename each, and
    the files of ``family`` that this set does not have (an earlier run's ``briefing.ics``, say) are
    removed. If ``write`` fails, a kill or a full disk included, ``folder`` is as it was. Returns
    the final paths.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(leftover, ignore_errors=True)  # left by a run that was killed
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(folder)) from None
    try:
        written = [Path(p) for p in write(staging)]
        final = []
        for path in written:
            target = folder / path.relative_to(staging)
            os.replace(path, target)
            final.append(target)
        for name in set(family) - {p.name for p in final}:
            try:
                (folder / name).unlink()
            except FileNotFoundError:
                pass
        fsync_dir(folder)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(folder)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename in it survives a crash (where the file system allows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
