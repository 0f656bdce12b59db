"""Bad, hostile and broken input: every small case of the corpus keeps the tool's promises."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bad_inputs.cases import CASES, NOTHING_USABLE, REASONS, SLOW
from bad_inputs.harness import run_case


@pytest.mark.parametrize("name", sorted(set(CASES) - SLOW))
def test_bad_input_case_keeps_promises(name: str, tmp_path: Path) -> None:
    if name == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads files whatever their permissions")
    result = run_case(name, tmp_path, expect_failure=name in NOTHING_USABLE, reasons=REASONS.get(name, ()))
    assert result.problems == []
    assert result.outputs_lost == 0
    assert result.external_requests == 0
    assert result.completed == (name not in NOTHING_USABLE)


# --- atomic sets in --out mode (issue 17) -----------------------------------------------------------

def _good_folder(tmp_path: Path) -> Path:
    from bad_inputs.cases import GOOD

    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "good.txt").write_text("\n\n".join(GOOD), encoding="utf-8")
    return folder


def test_out_mode_failure_mid_set_leaves_the_previous_set_whole(tmp_path: Path, monkeypatch) -> None:
    """A run that fails after writing the Markdown and HTML (a full disk at the PDF) changes nothing."""
    from click.testing import CliRunner

    from digest import render
    from digest.cli import cli
    from digest.errors import OutputError

    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["run", str(_good_folder(tmp_path)), "--out", str(out), "-q",
                                    "--title", "First"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full_disk(*_args, **_kwargs):
        raise OutputError("cannot write: No space left on device")

    monkeypatch.setattr(render, "render_pdf", full_disk)
    result = CliRunner().invoke(cli, ["run", str(_good_folder(tmp_path)), "--out", str(out), "-q",
                                      "--title", "Second"])
    assert result.exit_code != 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_out_mode_removes_a_stale_member_of_the_previous_set(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from digest.cli import cli

    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.ics").write_text("BEGIN:VCALENDAR\nfrom an earlier run\nEND:VCALENDAR\n")
    (out / "notes.txt").write_text("the user's own file")
    result = CliRunner().invoke(cli, ["run", str(_good_folder(tmp_path)), "--out", str(out), "-q",
                                      "--format", "md,json"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["briefing.json", "briefing.md", "notes.txt"]


def test_write_set_killed_staging_is_swept_and_nothing_half_done_shows(tmp_path: Path) -> None:
    from digest.fsutil import STAGING_PREFIX, write_set

    (tmp_path / f"{STAGING_PREFIX}dead").mkdir()
    (tmp_path / f"{STAGING_PREFIX}dead" / "briefing.md").write_text("half")

    def write(folder: Path) -> list[Path]:
        (folder / "briefing.md").write_text("new")
        return [folder / "briefing.md"]

    assert write_set(tmp_path, write) == [tmp_path / "briefing.md"]
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.md"]
