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


def test_write_set_that_fails_halfway_leaves_the_earlier_set_as_it_was(tmp_path: Path) -> None:
    from digest.errors import OutputError
    from digest.fsutil import write_set

    (tmp_path / "briefing.md").write_text("old md")
    (tmp_path / "briefing.pdf").write_bytes(b"old pdf")

    def write(folder: Path) -> list[Path]:
        (folder / "briefing.md").write_text("new md")
        raise OSError(28, "No space left on device")  # the disk fills before the PDF is written

    with pytest.raises(OutputError, match="No space left"):
        write_set(tmp_path, write, family=("briefing.md", "briefing.pdf"))
    assert (tmp_path / "briefing.md").read_text() == "old md"
    assert (tmp_path / "briefing.pdf").read_bytes() == b"old pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.md", "briefing.pdf"]


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
        for branch in getattr(pattern, "branches", (pattern,)):  # an AnyOf: each of its patterns
            branch.search(text)
            for _match in branch.finditer(text[:200_000]):
                pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- loud failures (issue 17) -----------------------------------------------------------------------------



def _run_in(tmp_path: Path):
    from click.testing import CliRunner

    from digest.cli import cli

    # A project folder: the state and the lock stay in out/, not in the user's state folder.
    (tmp_path / "digest.toml").write_text('[output]\nout_dir = "out"\n', encoding="utf-8")
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


# --- per-article caps and text hygiene (issue 17) ---------------------------------------------------------

def test_per_article_caps_cut_and_report(tmp_path: Path) -> None:
    from dataclasses import replace

    from digest.ingest import read_inputs
    from digest.settings import Settings

    paragraphs = [f"Paragraph {i} says the water rose again near the old market, officials said." for i in range(50)]
    (tmp_path / "long.md").write_text("---\ntitle: " + "Flood " * 200 + "\n---\n\n" + "\n\n".join(paragraphs)
                                      + "\n\n" + "word " * 5000, encoding="utf-8")
    settings = replace(Settings(inputs=()), max_paragraphs=10, max_paragraph_chars=500, max_title_chars=40)
    result = read_inputs([str(tmp_path / "long.md")], settings)
    article = result.articles[0]
    assert len(article.text.split("\n\n")) == 10
    assert len(article.title) <= 41
    reasons = " ".join(c.reason for c in result.capped)
    assert "max_paragraphs" in reasons and "max_title_chars" in reasons


def test_a_cap_that_bites_is_reported_by_digest_run(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bad_inputs.cases import GOOD
    from digest.cli import cli

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: " + "Flood " * 200 + "\n---\n\n" + "\n\n".join(GOOD), encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(folder), "--out", str(tmp_path / "out"), "-q", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert "max_title_chars" in result.stderr and "a.md" in result.stderr


def test_a_megabyte_title_is_cut_before_it_reaches_the_renderers(tmp_path: Path) -> None:
    from digest.ingest import read_inputs
    from digest.settings import Settings

    (tmp_path / "a.md").write_text("---\ntitle: " + "x" * 1_100_000 + "\n---\n\nThe river burst its banks on "
                                   "Sunday, flooding hundreds of homes in the old town, officials said.\n",
                                   encoding="utf-8")
    article = read_inputs([str(tmp_path / "a.md")], Settings(inputs=())).articles[0]
    assert len(article.title) <= Settings().max_title_chars + 1


SPOOF = "Officials said\u202e.gnissim era selif\u202c the \x1b[31mreport\x07 was\u200b late."


def test_control_bidi_and_zero_width_characters_never_reach_any_output(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from bad_inputs.cases import GOOD
    from digest.cli import cli

    folder = tmp_path / "in"
    folder.mkdir()
    arabic = "قال المسؤولون إن المياه ارتفعت مرة أخرى قرب السوق القديم يوم الأحد."
    (folder / "a.md").write_text("---\ntitle: \"Flood\u202e report\x1b[2J\"\n---\n\n" + "\n\n".join(GOOD)
                                 + "\n\n" + SPOOF + "\n", encoding="utf-8")
    (folder / "ar.txt").write_text("\n\n".join([arabic, arabic.replace("الأحد", "الاثنين") + " \u200f"]),
                                   encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(folder), "--out", str(out), "-q", "--format", "md,html,json,pdf"])
    assert result.exit_code == 0, result.output
    for fmt in ("md", "html", "json"):
        text = (out / f"briefing.{fmt}").read_text(encoding="utf-8")
        for bad in ("\u202e", "\u202c", "\x1b", "\x07", "\u200b"):
            assert bad not in text and repr(bad)[1:-1] not in text, (fmt, repr(bad))
    assert "المياه" in (out / "briefing.json").read_text(encoding="utf-8")  # right-to-left text kept
