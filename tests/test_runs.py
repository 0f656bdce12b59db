"""Run folders: atomic publish, the latest pointer, retention."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from digest.service import runs
from digest.errors import InputError, OutputError
from digest.service.runs import (clean_partials, latest_run, list_runs, prune_runs, publish_run, resolve_run, stage_run,
                         update_latest)


def at(hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


def make_run(root: Path, when: datetime, keep: int = 0, text: str = "{}") -> Path:
    staged = stage_run(root, when)
    (staged.path / "briefing.json").write_text(text)
    return publish_run(staged, keep=keep)


def test_a_staged_run_is_invisible_until_published(tmp_path):
    staged = stage_run(tmp_path, at(7))
    (staged.path / "briefing.md").write_text("# half")
    assert list_runs(tmp_path) == [] and latest_run(tmp_path) is None
    assert staged.path.name.startswith(".partial-")
    final = publish_run(staged)
    assert final == tmp_path / "2026-11-24-0700"
    assert (final / "briefing.md").read_text() == "# half"
    assert os.readlink(tmp_path / "latest") == "2026-11-24-0700"  # relative: the folder can move
    assert latest_run(tmp_path) == final
    assert not staged.path.exists()


def test_two_runs_in_the_same_minute_get_distinct_folders_in_order(tmp_path):
    first = make_run(tmp_path, at(7), text="1")
    second = make_run(tmp_path, at(7), text="2")
    tenth = [make_run(tmp_path, at(7)) for _ in range(9)][-1]
    assert (first.name, second.name, tenth.name) == ("2026-11-24-0700", "2026-11-24-0700-2", "2026-11-24-0700-11")
    assert list_runs(tmp_path)[-1] == tenth  # -11 sorts after -2
    assert latest_run(tmp_path) == tenth


def test_retention_keeps_the_newest_runs(tmp_path):
    made = [make_run(tmp_path, at(h), keep=3) for h in range(6, 12)]
    assert list_runs(tmp_path) == made[-3:]
    assert latest_run(tmp_path) == made[-1]


def test_prune_never_removes_the_run_latest_points_to(tmp_path):
    made = [make_run(tmp_path, at(h)) for h in range(6, 10)]
    update_latest(tmp_path, made[0])  # e.g. a re-pointed latest
    prune_runs(tmp_path, 1)
    assert list_runs(tmp_path) == [made[0], made[-1]]


def test_keep_zero_keeps_everything(tmp_path):
    made = [make_run(tmp_path, at(h), keep=0) for h in range(6, 10)]
    assert list_runs(tmp_path) == made


def test_latest_is_replaced_atomically_without_a_leftover_temp_link(tmp_path):
    make_run(tmp_path, at(7))
    make_run(tmp_path, at(8))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["2026-11-24-0700", "2026-11-24-0800", "latest"]


def test_without_symlinks_a_pointer_file_is_written(tmp_path, monkeypatch):
    def no_symlinks(*_args, **_kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(runs.os, "symlink", no_symlinks)
    final = make_run(tmp_path, at(7))
    assert (tmp_path / "latest.txt").read_text().strip() == final.name
    assert latest_run(tmp_path) == final
    assert resolve_run(tmp_path / "latest") == final
    monkeypatch.undo()
    newer = make_run(tmp_path, at(8))
    assert latest_run(tmp_path) == newer and not (tmp_path / "latest.txt").exists()


def test_latest_that_is_a_real_folder_is_an_error_not_a_silent_overwrite(tmp_path):
    (tmp_path / "latest").mkdir()
    staged = stage_run(tmp_path, at(7))
    (staged.path / "briefing.md").write_text("x")
    with pytest.raises(OutputError, match="not a symlink"):
        publish_run(staged)


def test_resolve_run_accepts_latest_the_root_or_a_run(tmp_path):
    final = make_run(tmp_path, at(7))
    assert resolve_run(tmp_path / "latest") == final
    assert resolve_run(tmp_path) == final
    assert resolve_run(final) == final
    with pytest.raises(InputError, match="not a run folder"):
        resolve_run(tmp_path / "nowhere")


def test_clean_partials_removes_what_killed_runs_left(tmp_path):
    kept = make_run(tmp_path, at(7))
    left = stage_run(tmp_path, at(8))
    (left.path / "briefing.pdf").write_bytes(b"%PDF-1.7 half")
    (tmp_path / ".latest.123.tmp").symlink_to(kept.name)
    assert clean_partials(tmp_path) == [left.path]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11-24-0700", "latest"]


def test_published_runs_are_readable_like_ordinary_files(tmp_path):
    old = os.umask(0o022)
    try:
        staged = stage_run(tmp_path, at(7))
        private = staged.path / "briefing.md"
        private.write_text("x")
        private.chmod(0o600)  # as tempfile.mkstemp leaves it
        final = publish_run(staged)
    finally:
        os.umask(old)
    assert (final.stat().st_mode & 0o777, (final / "briefing.md").stat().st_mode & 0o777) == (0o755, 0o644)


def test_write_run_publishes_on_success_and_leaves_nothing_on_failure(tmp_path):
    def good(folder: Path) -> list[Path]:
        (folder / "sub").mkdir()
        (folder / "sub" / "briefing.json").write_text("{}")
        (folder / "briefing.md").write_text("# x")
        return [folder / "briefing.md", folder / "sub" / "briefing.json"]

    def bad(folder: Path) -> list[Path]:
        (folder / "briefing.pdf").write_bytes(b"%PDF half")
        raise OSError("disk full")

    run_dir, paths = runs.write_run(tmp_path, at(7), good)
    assert paths == [run_dir / "briefing.md", run_dir / "sub" / "briefing.json"] and all(p.is_file() for p in paths)
    with pytest.raises(OSError):
        runs.write_run(tmp_path, at(8), bad)
    assert list_runs(tmp_path) == [run_dir] and latest_run(tmp_path) == run_dir
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-11-24-0700", "latest"]
