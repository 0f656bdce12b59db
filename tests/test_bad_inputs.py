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


# --- identity, and nothing recorded that was not shown (issue 17) ---------------------------------------

PAGE = ('<html><head><base href="https://shared.example/"><title>{title}</title>{own}</head>'
        "<body><article><h1>{title}</h1>{body}</article></body></html>")


def _page(title: str, sentence: str, own: str = "") -> str:
    return PAGE.format(title=title, own=own, body="".join(f"<p>{sentence} Paragraph {i}.</p>" for i in range(4)))


def test_pages_sharing_a_base_href_are_two_articles_with_their_own_urls(tmp_path: Path) -> None:
    from digest.ingest import read_inputs
    from digest.settings import Settings

    (tmp_path / "a.html").write_text(_page("River floods", "The river burst its banks and flooded the low streets "
                                           "near the market, officials said on Sunday."), encoding="utf-8")
    (tmp_path / "b.html").write_text(_page("Budget passes", "The council passed the budget after a long debate "
                                           "about taxes and the new school, members said.",
                                           '<link rel="canonical" href="https://paper.example/budget">'),
                                     encoding="utf-8")
    result = read_inputs([str(tmp_path)], Settings(inputs=()))
    assert sorted(a.title for a in result.articles) == ["Budget passes", "River floods"]
    urls = {a.title: a.url for a in result.articles}
    assert urls["Budget passes"] == "https://paper.example/budget"
    assert urls["River floods"] != "https://shared.example/"


def test_same_url_with_another_text_keeps_both(tmp_path: Path) -> None:
    from digest.ingest import read_inputs
    from digest.settings import Settings

    own = '<link rel="canonical" href="https://paper.example/live">'
    (tmp_path / "morning.html").write_text(_page("Live", "The river burst its banks in the morning and the water "
                                                 "reached the market square, officials said.", own), encoding="utf-8")
    (tmp_path / "evening.html").write_text(_page("Live", "By the evening the council had opened two schools as "
                                                 "shelters for the families, the mayor said.", own), encoding="utf-8")
    (tmp_path / "copy.html").write_text((tmp_path / "evening.html").read_text(encoding="utf-8"), encoding="utf-8")
    result = read_inputs([str(tmp_path)], Settings(inputs=()))
    assert len(result.articles) == 2
    assert [s.reason for s in result.skipped] == [f"duplicate of {tmp_path / 'copy.html'} (same URL)"]


def test_an_empty_written_briefing_records_nothing_as_briefed(tmp_path: Path) -> None:
    """Articles that no written briefing showed stay new for the next ``--since last`` run."""
    from datetime import datetime, timezone

    from digest.models import Article, Briefing
    from digest.service.cycle import Pipeline, run_cycle
    from digest.service.state import StateDB
    from digest.settings import AutomationSettings, Settings

    settings = Settings(out_dir=str(tmp_path / "out"), formats=("md",))
    articles = [Article(id=f"a{i}", text=f"Story {i} happened in the town.", url=f"https://news.example/{i}")
                for i in range(5)]

    def write(briefing, out_dir, formats, _settings):
        path = Path(out_dir) / "briefing.md"
        path.write_text(f"# {briefing.title}\n")
        return [path]

    shown_nothing = Pipeline(lambda _s: articles, lambda a, s, now: Briefing(s.title, now.isoformat(), (), ()),
                             write)
    auto = AutomationSettings()
    run_cycle(settings, auto, shown_nothing, now=datetime(2026, 11, 24, 7, tzinfo=timezone.utc))
    with StateDB(auto.state_file(settings)) as db:
        assert db.article_count() == 0
    again = run_cycle(settings, auto, shown_nothing, now=datetime(2026, 11, 24, 9, tzinfo=timezone.utc),
                      since="last")
    assert again.new == 5


# --- linear text rules (issue 17) -------------------------------------------------------------------------

def _linear_cases():
    from digest.clean import _LINKISH, _TIMESTAMP
    from digest.clean.captions import _CREDIT
    from digest.compose.disagree import _AGE, _QUANTITY

    return [("linkish-x", _LINKISH, "x"), ("linkish-at", _LINKISH, "a@"), ("timestamp-spaces", _TIMESTAMP, " "),
            ("credit-initials", _CREDIT, "A."), ("age-capitals", _AGE, "A"), ("quantity-commas", _QUANTITY, "1,"),
            ("quantity-dots", _QUANTITY, "1.")]


@pytest.mark.parametrize("index", range(7))
def test_text_rule_is_linear_on_a_megabyte_token(index: int) -> None:
    """Each rule was quadratic or worse on a long token (80 KB: 9 s, so 1 MB: hours); now a 1 MB token
    takes about a second. The alarm is a generous cap that only a backtracking pattern reaches."""
    import signal

    label, pattern, unit = _linear_cases()[index]
    text = unit * (1_000_000 // len(unit))

    def too_slow(*_args):
        raise TimeoutError(f"{label}: the pattern backtracks over a 1 MB token")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(60)
    try:
        pattern.search(text)
        for _match in pattern.finditer(text[:200_000]):
            pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- loud failures (issue 17) -----------------------------------------------------------------------------



def _run_in(tmp_path: Path):
    from click.testing import CliRunner

    from digest.cli import cli

    return CliRunner().invoke(cli, ["run", str(_good_folder(tmp_path)), "-q", "--format", "md", "--no-send"])


def test_garbage_pages_under_a_valid_sqlite_header_give_one_line(tmp_path: Path, monkeypatch) -> None:
    import random

    monkeypatch.chdir(tmp_path)
    (tmp_path / "digest.toml").write_text("")  # a project folder: state and lock live in out/
    assert _run_in(tmp_path).exit_code == 0
    state = tmp_path / "out" / "state.sqlite3"
    data = bytearray(state.read_bytes())
    rng = random.Random(7)
    for i in range(4096, len(data)):  # page 1 (the header and schema root) stays valid
        data[i] = rng.randrange(256)
    state.write_bytes(bytes(data))
    for name in ("state.sqlite3-wal", "state.sqlite3-shm"):
        (tmp_path / "out" / name).unlink(missing_ok=True)
    result = _run_in(tmp_path)
    assert result.exit_code == 4, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "state.sqlite3" in lines[0], result.stderr


def test_a_read_only_output_folder_gives_one_line_not_a_traceback(tmp_path: Path, monkeypatch) -> None:
    import os as _os

    from digest.service import scheduler

    monkeypatch.chdir(tmp_path)
    (tmp_path / "digest.toml").write_text("")  # a project folder: state and lock live in out/
    real_open = _os.open

    def read_only(path, flags, *args):
        if str(path).endswith(".digest.lock"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr(scheduler.os, "open", read_only)
    result = _run_in(tmp_path)
    assert result.exit_code == 4
    assert result.stderr.strip().startswith("error:") and "Permission denied" in result.stderr
    assert "Traceback" not in result.output


def test_a_full_disk_while_recording_gives_one_line(tmp_path: Path, monkeypatch) -> None:
    import sqlite3

    from digest.service import state

    monkeypatch.chdir(tmp_path)
    assert _run_in(tmp_path).exit_code == 0
    real = state._Connection._execute

    def full(self, sql, *args):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, sql, *args)

    monkeypatch.setattr(state._Connection, "_execute", full)
    result = _run_in(tmp_path)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 4 and len(lines) == 1 and "disk is full" in lines[0], result.stderr
