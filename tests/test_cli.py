"""The command line: help everywhere, exact outputs, one-line errors, earlier outputs kept."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from digest.cli import cli

STORY = [
    "The city council approved the new tram line on Tuesday after a four-hour debate.",
    "The line will connect the airport with the central station by 2027, the mayor said.",
    '"This is the biggest investment in our transport network in fifty years," Mayor Ana Costa said.',
    "Opposition councillors said the cost, estimated at 1.2 billion euros, was too high.",
]


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found += all_commands(command, f"{prefix}{name} ")
    return found


@pytest.mark.parametrize("name,command", all_commands(cli))
def test_cli_every_command_has_help_with_example(name: str, command: click.Command) -> None:
    assert command.help, f"digest {name} has no help text"
    assert "Example" in command.help, f"digest {name} help has no example"
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def write_story(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text("\n\n".join(STORY), encoding="utf-8")
    (folder / "b.txt").write_text("\n\n".join(STORY[:2] + STORY[3:]), encoding="utf-8")
    return folder


def test_cli_run_writes_exactly_the_requested_files(tmp_path: Path) -> None:
    inputs = write_story(tmp_path / "in")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(inputs), "--out", str(out), "--format", "md,json", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["briefing.json", "briefing.md"]
    assert result.stdout.split() == [str(out / "briefing.md"), str(out / "briefing.json")]
    data = json.loads((out / "briefing.json").read_text())
    assert data["schema"] == "digest/1" and len(data["sources"]) == 2


def test_cli_run_missing_input_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert result.stderr.strip().count("\n") == 0 and "nowhere" in result.stderr
    assert "Traceback" not in result.output


def test_cli_run_bad_input_keeps_earlier_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    good = write_story(tmp_path / "good")
    assert CliRunner().invoke(cli, ["run", str(good), "--out", str(out), "--format", "md", "-q"]).exit_code == 0
    before = (out / "briefing.md").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["run", str(empty), "--out", str(out), "--format", "md", "-q"])
    assert result.exit_code != 0 and "error:" in result.stderr
    assert (out / "briefing.md").read_bytes() == before


def test_cli_run_rejects_unknown_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--format", "md,docx", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "docx" in result.output


def test_cli_progress_line_draws_a_bar_only_when_enabled(capsys: pytest.CaptureFixture[str]) -> None:
    from digest.cli import ProgressLine

    quiet = ProgressLine(False)
    quiet("grouping articles into stories", 3, 10)
    quiet.close()
    assert capsys.readouterr().err == ""
    line = ProgressLine(True)
    line("grouping articles into stories", 5, 10)
    line.close()
    assert "[##########..........] 5/10" in capsys.readouterr().err


def test_cli_run_into_unwritable_folder_is_one_line_error_and_keeps_latest(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        # root writes through permissions; a path whose parent is a file is unwritable for anyone.
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("x")
        out = blocker / "out"
    else:
        out = tmp_path / "locked"
        out.mkdir()
        out.chmod(0o500)
    inputs = write_story(tmp_path / "in")
    result = CliRunner().invoke(cli, ["run", str(inputs), "--out", str(out), "--format", "md", "-q"])
    assert result.exit_code != 0
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error:")
    assert "Traceback" not in result.output


def test_cli_run_default_folder_and_latest_survive_a_failed_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    inputs = write_story(tmp_path / "in")
    assert CliRunner().invoke(cli, ["run", str(inputs), "--format", "md", "-q"]).exit_code == 0
    latest = (tmp_path / "out" / "latest").resolve()
    before = (latest / "briefing.md").read_bytes()

    from digest import render

    def disk_full(*_args: object, **_kwargs: object) -> None:
        from digest.errors import OutputError
        raise OutputError("cannot write: No space left on device", path="briefing.md")

    monkeypatch.setattr(render, "write_outputs", disk_full)
    result = CliRunner().invoke(cli, ["run", str(inputs), "--format", "md", "-q"])
    assert result.exit_code != 0 and "No space left" in result.stderr
    assert (tmp_path / "out" / "latest").resolve() == latest
    assert (latest / "briefing.md").read_bytes() == before
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".partial")]


def test_cli_reports_every_config_and_flag_mistake_before_running(tmp_path: Path) -> None:
    config = tmp_path / "digest.toml"
    config.write_text('[output]\nformats = ["docx"]\n[briefing]\nwords_per_story = 10\n[email]\nbackoff = 1e300\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--out", str(out)])
    lines = result.stderr.splitlines()
    assert result.exit_code == 2 and len(lines) == 3 and all(line.startswith(f"error: {config}: [") for line in lines)
    assert not out.exists()
    result = CliRunner().invoke(cli, ["run", "--words", "10", "--page-size", "A5", "--out", str(out)])
    assert result.exit_code == 2 and result.stderr.splitlines() == [
        "error: --words must be a whole number from 50 to 5000 (got 10)",
        "error: --page-size must be \"A4\" or \"Letter\" (got 'A5')"]
