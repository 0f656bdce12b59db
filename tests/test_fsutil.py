"""Atomic writes: a failed write leaves the earlier file as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from digest.errors import OutputError
from digest.fsutil import atomic_write_bytes, atomic_write_text


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "briefing.md"
    atomic_write_text(target, "old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.md"]


def test_atomic_write_failure_keeps_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "briefing.pdf"
    atomic_write_bytes(target, b"%PDF-old")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputError, match="No space left"):
        atomic_write_bytes(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.pdf"]
