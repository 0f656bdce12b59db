"""Places: outside a project folder (no digest.toml) state, cache and lock go to the user's state and
cache directories; in a project folder, or when the config names them, they stay where it says; and
``--out DIR`` never creates ./out/.cache in the current folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.service import lock_path
from digest.settings import load_automation, load_settings

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_outside_a_project_state_cache_and_lock_go_to_the_user_directories(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user_places: Path) -> None:
    monkeypatch.chdir(tmp_path)
    settings, automation = load_settings(), load_automation()
    assert Path(settings.cache_dir) == user_places / "cache" / "newsdigest"
    assert automation.state_file(settings) == user_places / "state" / "newsdigest" / "state.sqlite3"
    assert lock_path(settings, automation) == user_places / "state" / "newsdigest" / "digest.lock"


def test_in_a_project_folder_the_config_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("digest.toml").write_text('[output]\nout_dir = "runs"\n')
    settings, automation = load_settings(), load_automation()
    assert settings.cache_dir is None and automation.state_file(settings) == Path("runs/state.sqlite3")
    assert lock_path(settings, automation) == Path("runs/.digest.lock")
    Path("digest.toml").write_text('[state]\npath = "s/db.sqlite3"\nlock = "s/run.lock"\n[fetch]\ncache_dir = "c"\n')
    settings, automation = load_settings(), load_automation()
    assert (settings.cache_dir, automation.state_file(settings), lock_path(settings, automation)) == (
        "c", Path("s/db.sqlite3"), Path("s/run.lock"))


def test_an_existing_out_state_database_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("out").mkdir()
    Path("out/state.sqlite3").write_bytes(b"")
    settings = load_settings()
    assert load_automation().state_file(settings) == Path("out/state.sqlite3")


@pytest.mark.slow
def test_run_with_out_dir_creates_nothing_in_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, user_places: Path) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "--out", str(tmp_path / "brief"), "--format", "md", "-q"])
    assert result.exit_code == 0, result.output
    assert os.listdir(here) == []
    result = CliRunner().invoke(cli, ["run", str(SEEDS), "--format", "md", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(here)) == ["out"] and ".digest.lock" not in os.listdir(here / "out")
    assert not (here / "out" / "state.sqlite3").exists()
    assert (user_places / "state" / "newsdigest" / "state.sqlite3").exists()
