"""Settings: defaults, TOML, overrides, and one clear error per mistake."""

from __future__ import annotations

from dataclasses import fields
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


# --- the schema: every mistake at load, with file, key, value and what is allowed ----------


@pytest.mark.parametrize("body,message", [
    ('[output]\nformats = ["docx"]\n', '[output] formats must be a non-empty list of "md", "html", "pdf", "json" or "ics"'
                                        " (got ['docx'])"),
    ("[output]\nformats = []\n", "[output] formats must be a non-empty list of"),
    ('[output]\npage_size = "A5"\n', '[output] page_size must be "A4" or "Letter" (got \'A5\')'),
    ("[briefing]\nwords_per_story = 10\n", "[briefing] words_per_story must be a whole number from 50 to 5000 (got 10)"),
    ("[briefing]\nmax_stories = 0\n", "[briefing] max_stories must be a whole number from 1 to"),
    ("[cluster]\nstory_threshold = 7\n", "[cluster] story_threshold must be a number above 0 and at most 1 (got 7)"),
    ("[cluster]\nstory_threshold = nan\n", "[cluster] story_threshold must be a number above 0 and at most 1 (got nan)"),
    ("[cluster]\nnear_duplicate_cutoff = -50\n", "[cluster] near_duplicate_cutoff must be a number from 50 to 100"),
    ("[fetch]\nfetch_timeout = 0\n", "[fetch] fetch_timeout must be a number of seconds >= 0.1 and at most 600 (got 0)"),
    ("[fetch]\nfetch_timeout = inf\n", "[fetch] fetch_timeout must be a number of seconds"),
    ("[limits]\nmax_files = 0\n", "[limits] max_files must be a whole number from 1 to"),
    ("[email]\nbackoff = 1e9\n", "[email] backoff must be a number of seconds >= 0 and at most 3600 (got 1000000000.0)"),
    ("[email]\nbackoff = 1e300\n", "[email] backoff must be a number of seconds >= 0 and at most 3600 (got 1e+300)"),
    ("[email]\ntimeout = 0\n", "[email] timeout must be a number of seconds >= 0.1"),
    ('[schedule]\nevery = "999999999d"\n', "[schedule] every must be at most 31d (got '999999999d')"),
    ('[schedule]\nevery = "99999999999999d"\n', "[schedule] every is wrong"),
    ('[schedule]\ngrace = "30d"\n', "[schedule] grace must be at most 7d"),
    ('[schedule]\ntimezone = "Mars/Olympus"\n', "[schedule] timezone 'Mars/Olympus' is not a known IANA time zone"),
    ('[email]\nto = ["me@example.org\\r\\nBcc: all@example.org"]\nfrom = "d@example.org"\n',
     "[email] to must be a list of e-mail addresses"),
    ('[email]\nto = ["me@example.org"]\nfrom = "d@example.org\\nBcc: x@example.org"\n',
     "[email] from 'd@example.org\\nBcc: x@example.org' holds a line break"),
    ('[email]\nto = ["me@example.org, you@example.org"]\nfrom = "d@example.org"\n',
     "[email] to must be a list of e-mail addresses"),
    ('[email]\nhost = "smtp.example.org\\r\\n"\n', "[email] host must be a host name"),
    ('[render]\nlanguage = "english please"\n', "[render] language must be a language tag"),
    ('[output]\ntitle = "Morning\\u001b[31m news"\n', "[output] title must not hold control"),
    ('[sources]\nurls = ["ftp://example.org/x"]\n', "[sources] urls must be a list of strings, each an http(s) URL"),
])
def test_settings_schema_refuses_each_value_at_load(tmp_path: Path, body: str, message: str) -> None:
    config = tmp_path / "digest.toml"
    config.write_text(body)
    with pytest.raises(ConfigError) as err:
        load_settings(config)
    assert str(err.value) == f"{config}: {message}" or str(err.value).startswith(f"{config}: {message}")
    assert "\n" not in str(err.value) and "\r" not in str(err.value)


def test_settings_reports_every_mistake_at_once_each_naming_file_key_value(tmp_path: Path) -> None:
    config = tmp_path / "digest.toml"
    config.write_text('[output]\nformats = ["docx"]\npage_size = "A5"\n[briefing]\nwords_per_story = 10\n'
                      '[cluster]\nstory_threshold = 7\n[email]\nbackoff = 1e9\n[schedule]\nevery = "999999999d"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(config)
    lines = str(err.value).splitlines()
    assert [line.split(": ", 1)[1].split(" must")[0] for line in lines] == [
        "[output] formats", "[output] page_size", "[briefing] words_per_story", "[cluster] story_threshold",
        "[email] backoff", "[schedule] every"]
    assert all(line.startswith(f"{config}: ") and "(got " in line for line in lines)


def test_settings_good_values_load_and_convert(tmp_path: Path) -> None:
    config = tmp_path / "digest.toml"
    config.write_text('[output]\nformats = ["md", "md", "pdf"]\npage_size = "letter"\n[cluster]\nstory_threshold = 1\n'
                      '[email]\nto = "me@example.org"\nfrom = "Digest <d@example.org>"\nbackoff = 3600\n')
    s = load_settings(config)
    assert s.formats == ("md", "pdf") and s.page_size == "Letter" and s.story_threshold == 1.0
    from digest.settings import load_automation

    email = load_automation(config).email
    assert email.to == ("me@example.org",) and email.sender == "Digest <d@example.org>" and email.backoff == 3600.0


def test_settings_flags_go_through_the_same_schema_and_name_the_flag() -> None:
    from digest.settings import FLAGS

    with pytest.raises(ConfigError) as err:
        Settings().with_overrides(flags=FLAGS, words_per_story=10, page_size="A5", formats=("docx",))
    assert str(err.value).splitlines() == [
        "--words must be a whole number from 50 to 5000 (got 10)",
        "--page-size must be \"A4\" or \"Letter\" (got 'A5')",
        "--format must be a non-empty list of \"md\", \"html\", \"pdf\", \"json\" or \"ics\" (got ('docx',))",
    ]
    assert Settings().with_overrides(page_size="letter", words_per_story=50).page_size == "Letter"


def test_settings_schema_covers_every_option_with_a_range_or_choices() -> None:
    """A key added to Settings without a schema entry would load unchecked: every field needs one."""
    import typing

    from digest.settings import SCHEMA_BY_FIELD

    for f in fields(Settings):
        if f.name == "quiet":
            continue  # a flag only, never in the file
        assert f.name in SCHEMA_BY_FIELD, f"{f.name} has no entry in SCHEMA"
        kind = SCHEMA_BY_FIELD[f.name].kind
        if f.type in ("int", "float"):
            # A number without bounds is how fetch_timeout = 0 and backoff = 1e300 got through.
            metas = [m for m in typing.get_args(kind)[1:]]
            assert metas and any(m.ge is not None or m.gt is not None for m in metas), f.name
            assert any(m.le is not None or m.lt is not None for m in metas), f.name


def test_settings_formats_match_what_render_writes() -> None:
    from digest import render
    from digest.settings import FORMATS

    assert tuple(render.FORMATS) == FORMATS
