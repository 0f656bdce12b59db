"""A whole scheduled run with fake stages: new-only, run folders, e-mail, crash safety, the CLI."""

from __future__ import annotations

import email
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from email import policy
from pathlib import Path

import pytest

from digest.service.cycle import Pipeline, lock_path, make_job, run_cycle, run_locked
from digest.errors import StageError
from digest.models import Article, Briefing, SourceRef, StoryBrief
from digest.service.runs import latest_run, list_runs
from digest.service.scheduler import Daemon, FakeClock, LockBusy, RunLock
from digest.settings import AutomationSettings, EmailConfig, ScheduleConfig, Settings
from digest.service.state import StateDB

REPO = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 11, 24, 7, 0, tzinfo=timezone.utc)


class Feed:
    """Stand-in stages: ``articles`` is what the next read returns."""

    def __init__(self, articles):
        self.articles = list(articles)
        self.built: list[list[Article]] = []

    def read(self, _settings):
        return self.articles

    def build(self, articles, settings, now):
        self.built.append(list(articles))
        articles = articles[: settings.max_stories]  # like the real builder, which cuts to max_stories
        stories = tuple(StoryBrief(headline=a.title or a.id, summary=a.text, sources=(a.id,)) for a in articles)
        return Briefing(settings.title, now.isoformat(), tuple(SourceRef(a.id, title=a.title) for a in articles),
                        stories)

    @staticmethod
    def write(briefing, out_dir, formats, _settings):
        paths = []
        for fmt in formats:
            path = Path(out_dir) / f"briefing.{fmt}"
            if fmt == "json":
                path.write_text(json.dumps(briefing.to_dict()))
            elif fmt == "html":
                path.write_text("<h1>" + "</h1><h1>".join(s.headline for s in briefing.stories) + "</h1>")
            else:
                path.write_text("\n".join(["# " + briefing.title, *briefing.notes,
                                           *(s.headline for s in briefing.stories)]))
            paths.append(path)
        return paths

    @property
    def pipeline(self) -> Pipeline:
        return Pipeline(self.read, self.build, self.write)


def article(n: int, text: str | None = None) -> Article:
    return Article(id=f"a{n}", text=text or f"Story number {n} happened.", title=f"Headline {n}",
                   url=f"https://news.example/{n}")


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(out_dir=str(tmp_path / "out"), formats=("md", "html", "json"), keep_runs=5)


def test_second_run_over_the_same_inputs_briefs_nothing_and_says_so(settings):
    feed = Feed([article(1), article(2)])
    auto = AutomationSettings()
    first = run_cycle(settings, auto, feed.pipeline, now=T0)
    assert first.status == "ok" and first.new == 2
    assert latest_run(Path(settings.out_dir)) == first.run_dir
    assert sorted(p.name for p in first.paths) == ["briefing.html", "briefing.json", "briefing.md"]
    assert all(p.parent == first.run_dir and p.is_file() for p in first.paths)

    second = run_cycle(settings, auto, feed.pipeline, now=T0 + timedelta(hours=11))
    assert second.status == "empty" and second.run_dir is None
    assert "nothing new since the last digest (2026-11-24 07:00" in second.summary
    assert len(feed.built) == 1  # no briefing built for nothing
    assert latest_run(Path(settings.out_dir)) == first.run_dir
    with StateDB(auto.state_file(settings)) as db:
        assert [r.status for r in db.runs()] == ["ok", "empty"]


def test_header_says_what_is_new_and_an_updated_story_is_marked(settings):
    feed = Feed([article(1), article(2)])
    run_cycle(settings, AutomationSettings(), feed.pipeline, now=T0)
    feed.articles = [article(1), article(2, "Story number 2 happened.\n\nThen police arrived."), article(3)]
    result = run_cycle(settings, AutomationSettings(), feed.pipeline, now=T0 + timedelta(hours=6))
    assert (result.new, result.updated, result.seen) == (1, 1, 1)
    assert [a.text for a in feed.built[-1]] == ["Then police arrived.", "Story number 3 happened."]
    assert [s.updated for s in result.briefing.stories] == [True, False]
    header = (result.run_dir / "briefing.md").read_text()
    assert "New since the last digest" in header and "1 updated" in header and "1 already briefed" in header


def test_articles_cut_from_a_full_briefing_stay_new_for_the_next_run(settings):
    feed = Feed([article(n) for n in range(1, 5)])
    small = replace(settings, max_stories=3)
    first = run_cycle(small, AutomationSettings(), feed.pipeline, now=T0)
    assert [s.headline for s in first.briefing.stories] == ["Headline 1", "Headline 2", "Headline 3"]
    second = run_cycle(small, AutomationSettings(), feed.pipeline, now=T0 + timedelta(hours=1))
    assert [s.headline for s in second.briefing.stories] == ["Headline 4"] and second.seen == 3


def test_new_articles_without_usable_text_make_an_empty_run_not_a_failure(settings):
    from digest.errors import NoArticlesError

    feed = Feed([article(1)])

    def nothing_left(*_args):
        raise NoArticlesError("no article has any text left after removing boilerplate")

    result = run_cycle(settings, AutomationSettings(), replace(feed.pipeline, build=nothing_left), now=T0)
    assert result.status == "empty" and "no article has any text left" in result.summary
    again = run_cycle(settings, AutomationSettings(), feed.pipeline, now=T0 + timedelta(hours=1))
    assert again.status == "empty" and again.seen == 1  # not retried every run


def test_a_failing_build_is_recorded_and_publishes_nothing(settings):
    feed = Feed([article(1)])

    def broken(*_args):
        raise StageError("ValueError: bad cluster", stage="cluster")

    with pytest.raises(StageError):
        run_cycle(settings, AutomationSettings(), replace(feed.pipeline, build=broken), now=T0)
    root = Path(settings.out_dir)
    assert list_runs(root) == [] and not [p for p in root.iterdir() if p.name.startswith(".partial")]
    with StateDB(AutomationSettings().state_file(settings)) as db:
        (record,) = db.runs()
        assert record.status == "failed" and "bad cluster" in record.error
        assert db.article_count() == 0  # not counted as briefed: the next run tries them again


def test_run_locked_refuses_while_another_run_holds_the_lock(settings):
    with RunLock(lock_path(settings)):
        with pytest.raises(LockBusy):
            run_locked(settings, AutomationSettings(), Feed([article(1)]).pipeline, now=T0)


def test_the_daemon_runs_the_cycle_at_each_time(settings, tmp_path):
    feed = Feed([article(1)])
    fake = FakeClock(T0 - timedelta(minutes=1))
    config = ScheduleConfig(every=timedelta(hours=1), timezone="UTC")
    job = make_job(settings, AutomationSettings(schedule=config), feed.pipeline)

    def counting(now):
        feed.articles.append(article(len(feed.articles) + 1))
        result = job(now)
        if len(feed.articles) == 3:
            daemon.stop()
        return result

    daemon = Daemon(counting, config, lock_path=lock_path(settings), clock=fake, sleep=fake.sleep)
    daemon.run_forever()
    assert [r.status for r in daemon.reports] == ["ok", "ok"]
    assert [p.name for p in list_runs(Path(settings.out_dir))] == ["2026-11-24-0700", "2026-11-24-0800"]


# --- e-mail ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failed_email_is_recorded_and_resent_by_the_next_run(settings):
    from aiosmtpd.controller import Controller

    messages = []

    class Handler:
        async def handle_DATA(self, _server, _session, envelope):
            messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
            return "250 OK"

    port = free_port()
    mail = EmailConfig(to=("r@example.org",), sender="d@example.org", host="127.0.0.1", port=port,
                       security="none", retries=1, backoff=0.01, timeout=5)
    auto = AutomationSettings(email=mail)
    feed = Feed([article(1)])
    first = run_cycle(settings, auto, feed.pipeline, now=T0, sleep=lambda _s: None)
    assert first.status == "ok" and "e-mail FAILED after 2 attempt(s)" in first.summary
    assert (first.run_dir / "briefing.md").is_file()  # still written to disk
    with StateDB(auto.state_file(settings)) as db:
        assert db.run(first.run_id).delivery == "failed"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        feed.articles.append(article(2))
        second = run_cycle(settings, auto, feed.pipeline, now=T0 + timedelta(hours=1), sleep=lambda _s: None)
    finally:
        controller.stop()
    assert "e-mail sent 2" in second.summary
    assert sorted(m["Subject"] for m in messages) == ["News digest, 24 Nov 2026: Headline 1",
                                                      "News digest, 24 Nov 2026: Headline 2"]
    with StateDB(auto.state_file(settings)) as db:
        assert [r.delivery for r in db.runs()] == ["sent", "sent"] and db.pending_deliveries() == []


# --- a run killed mid-way ------------------------------------------------

KILLED_RUN = """
import sys, time
from datetime import datetime, timezone
from pathlib import Path
from digest.service.cycle import Pipeline, run_locked
from digest.models import Article, Briefing
from digest.settings import AutomationSettings, Settings

def write(briefing, out_dir, formats, settings):
    (Path(out_dir) / "briefing.pdf").write_bytes(b"%PDF-1.7 half a pdf")
    print("writing", flush=True)
    time.sleep(60)  # killed here

settings = Settings(out_dir=sys.argv[1], formats=("pdf",))
pipeline = Pipeline(lambda s: [Article("k1", "A killed story.", url="https://news.example/k")],
                    lambda a, s, now: Briefing("D", now.isoformat(), (), ()), write)
run_locked(settings, AutomationSettings(), pipeline, now=datetime(2026, 11, 24, 8, tzinfo=timezone.utc))
"""


@pytest.mark.slow
def test_a_run_killed_midway_leaves_database_and_latest_consistent(settings, tmp_path):
    feed = Feed([article(1)])
    auto = AutomationSettings()
    good = run_cycle(settings, auto, feed.pipeline, now=T0)
    script = tmp_path / "killed.py"
    script.write_text(KILLED_RUN)
    proc = subprocess.Popen([sys.executable, str(script), settings.out_dir], cwd=REPO, stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert proc.stdout.readline().strip() == "writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        proc.kill()
    root = Path(settings.out_dir)
    assert latest_run(root) == good.run_dir and list_runs(root) == [good.run_dir]
    assert (latest_run(root) / "briefing.md").read_text().startswith("# News digest")
    conn = sqlite3.connect(auto.state_file(settings))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY id")] == ["ok", "running"]
    assert conn.execute("SELECT COUNT(*) FROM articles WHERE key LIKE '%/k'").fetchone()[0] == 0
    conn.close()

    feed.articles = [Article("k1", "A killed story.", url="https://news.example/k")]
    after = run_cycle(settings, auto, feed.pipeline, now=T0 + timedelta(hours=2))
    assert after.status == "ok" and after.new == 1  # the killed run's article is briefed now
    assert not [p for p in root.iterdir() if p.name.startswith(".partial")]
    with StateDB(auto.state_file(settings)) as db:
        assert [r.status for r in db.runs()] == ["ok", "interrupted", "ok"]


# --- end to end through the real CLI -------------------------------------


@pytest.mark.slow
def test_digest_schedule_runs_twice_and_stops_cleanly_on_sigterm(tmp_path):
    out = tmp_path / "out"
    config = tmp_path / "digest.toml"
    config.write_text(textwrap.dedent(f"""
        [sources]
        inputs = [{json.dumps(str(REPO / "seeds"))}]
        [output]
        out_dir = {json.dumps(str(out))}
        formats = ["md", "json"]
        [schedule]
        every = "2s"
        since = "all"
    """))
    proc = subprocess.Popen([sys.executable, "-c", "from digest.cli import main; main()", "schedule",
                             "--config", str(config)], cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 60
        while sum("run (schedule" in line for line in lines) < 2 and time.monotonic() < deadline:
            lines.append(proc.stderr.readline())
            if not lines[-1]:
                break
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=60)
    finally:
        proc.kill()
    runs_logged = [line for line in lines if "run (schedule" in line]
    assert len(runs_logged) >= 2 and all(" ok " in line for line in runs_logged), lines
    assert proc.returncode == 0, rest
    assert "stopped" in rest
    names = [p.name for p in out.iterdir()]
    assert not [n for n in names if n.startswith(".partial") or n.endswith(".tmp")], names
    runs = list_runs(out)
    assert len(runs) >= 2 and latest_run(out) == runs[-1]
    for run in runs:
        assert sorted(p.name for p in run.iterdir()) == ["briefing.json", "briefing.md"]
        json.loads((run / "briefing.json").read_text())  # complete, parseable


def test_send_folder_resends_latest_and_records_it(settings):
    from aiosmtpd.controller import Controller

    from digest.service.cycle import send_folder

    received = []

    class Handler:
        async def handle_DATA(self, _server, _session, envelope):
            received.append(envelope.rcpt_tos)
            return "250 OK"

    port = free_port()
    auto = AutomationSettings(email=EmailConfig(to=("r@example.org",), sender="d@example.org", host="127.0.0.1",
                                                port=port, security="none", retries=0, timeout=5))
    run = run_cycle(settings, auto, Feed([article(1)]).pipeline, now=T0)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        delivery = send_folder(Path(settings.out_dir) / "latest", settings, auto)
    finally:
        controller.stop()
    assert delivery.ok and received == [["r@example.org"]]
    with StateDB(auto.state_file(settings)) as db:
        assert db.run(run.run_id).delivery == "sent"
