"""Settings: defaults, TOML, overrides, and one clear error per mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.errors import ConfigError
from digest.settings import Settings, load_settings


def test_settings_defaults_run_on_seeds_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings()
    assert s.inputs == ("seeds",) and s.feeds == () and s.urls == ()


def test_settings_toml_then_overrides(tmp_path: Path) -> None:
    config = tmp_path / "digest.toml"
    config.write_text('[sources]\ninputs = ["news"]\n[briefing]\nwords_per_story = 300\n')
    s = load_settings(config, words_per_story=200)
    assert s.inputs == ("news",) and s.words_per_story == 200


@pytest.mark.parametrize("body,message", [
    ("[sources]\ninputz = []\n", "unknown key 'inputz'"),
    ("[briefing]\nwords_per_story = 'many'\n", "words_per_story must be a whole number"),
    ("[sources]\ninputs = [1, 2]\n", "inputs must be a list of strings"),
    ("sources = 3\n", "[sources] must be a table"),
    ("[sources\n", "invalid TOML"),
    ("[shedule]\nevery = '6h'\n", "unknown section [shedule]"),
])
def test_settings_errors_name_file_and_key(tmp_path: Path, body: str, message: str) -> None:
    config = tmp_path / "digest.toml"
    config.write_text(body)
    with pytest.raises(ConfigError) as err:
        load_settings(config)
    assert message in str(err.value) and str(config) in str(err.value)
    assert "\n" not in str(err.value)


def test_settings_missing_config_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_settings_unknown_override_is_an_error() -> None:
    with pytest.raises(ConfigError):
        Settings().with_overrides(colour="red")
