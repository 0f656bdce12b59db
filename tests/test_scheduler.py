"""The daemon: run times (midnight, DST), failures, overlap, catch-up, signals."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, time as clock, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from digest.service.runs import list_runs
from digest.service.scheduler import (Daemon, FakeClock, JobResult, LockBusy, RunLock, last_slot, next_slot)
from digest.errors import ConfigError
from digest.settings import (AutomationSettings, ScheduleConfig, automation_from_mapping, load_automation,
                             parse_duration)

LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
REPO = Path(__file__).resolve().parents[1]


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def at(*times: str, zone: str = "Europe/London", grace: timedelta = timedelta(hours=2)) -> ScheduleConfig:
    parsed = tuple(clock.fromisoformat(t) for t in times)
    return ScheduleConfig(at=parsed, timezone=zone, grace=grace)


class Recorder:
    """A job that records when it ran; optional side effects per call."""

    def __init__(self, effect=None):
        self.calls: list[datetime] = []
        self.effect = effect

    def __call__(self, now: datetime) -> JobResult:
        self.calls.append(now)
        if self.effect:
            self.effect(len(self.calls))
        return JobResult("ok", f"call {len(self.calls)}")


def daemon(tmp_path: Path, config: ScheduleConfig, clock_: FakeClock, job, **kwargs) -> Daemon:
    return Daemon(job, config, lock_path=tmp_path / ".lock", clock=clock_, sleep=clock_.sleep, **kwargs)


# --- run times ------------------------------------------------------------


def test_next_slot_crosses_midnight_to_the_first_time_of_the_next_day():
    config = at("07:00", "23:30")
    assert next_slot(config, london(2026, 1, 10, 23, 45)) == london(2026, 1, 11, 7, 0)
    assert next_slot(config, london(2026, 1, 10, 7, 0)) == london(2026, 1, 10, 23, 30)  # strictly after
    assert last_slot(config, london(2026, 1, 11, 6, 59)) == london(2026, 1, 10, 23, 30)


def test_clock_time_stays_local_across_the_spring_dst_change():
    config = at("07:00")
    before = next_slot(config, london(2026, 3, 28, 8, 0))  # clocks go forward on 29 March 2026
    assert before.astimezone(UTC) == utc(2026, 3, 29, 6, 0)  # 07:00 BST
    assert before.astimezone(UTC) - utc(2026, 3, 28, 7, 0) == timedelta(hours=23)


def test_time_skipped_by_spring_dst_runs_an_hour_later_once():
    config = at("01:30")  # 01:00 GMT jumps to 02:00 BST on 29 March 2026: 01:30 does not exist
    slot = next_slot(config, london(2026, 3, 29, 0, 0))
    assert slot.astimezone(UTC) == utc(2026, 3, 29, 1, 30)
    assert (slot.hour, slot.minute) == (2, 30)
    assert next_slot(config, slot).astimezone(UTC) == utc(2026, 3, 30, 0, 30)  # 01:30 BST next day


def test_time_repeated_by_autumn_dst_runs_once():
    config = at("01:30")  # 02:00 BST goes back to 01:00 GMT on 25 October 2026: 01:30 happens twice
    first = next_slot(config, london(2026, 10, 25, 0, 0))
    assert first.astimezone(UTC) == utc(2026, 10, 25, 0, 30)
    again = next_slot(config, first)
    assert again.astimezone(UTC) == utc(2026, 10, 26, 1, 30)  # not the second 01:30 an hour later


def test_every_counts_fixed_steps_from_midnight_utc():
    config = ScheduleConfig(every=timedelta(hours=6), timezone="UTC")
    assert next_slot(config, utc(2026, 1, 1, 5, 59)) == utc(2026, 1, 1, 6, 0)
    assert next_slot(config, utc(2026, 1, 1, 18, 0)) == utc(2026, 1, 2, 0, 0)
    assert last_slot(config, utc(2026, 1, 1, 13, 0)) == utc(2026, 1, 1, 12, 0)


def test_daemon_runs_at_local_time_on_both_sides_of_a_dst_change(tmp_path):
    fake = FakeClock(london(2026, 3, 28, 6, 0))
    job = Recorder(effect=lambda n: d.stop() if n == 2 else None)
    d = daemon(tmp_path, at("07:00"), fake, job)
    d.run_forever()
    assert [c.astimezone(UTC) for c in job.calls] == [utc(2026, 3, 28, 7, 0), utc(2026, 3, 29, 6, 0)]
    assert [(c.hour, c.minute) for c in job.calls] == [(7, 0), (7, 0)]


# --- the loop -------------------------------------------------------------


def test_tick_runs_only_when_due_and_then_waits_for_the_next_time(tmp_path):
    fake = FakeClock(london(2026, 1, 10, 6, 59))
    job = Recorder()
    d = daemon(tmp_path, at("07:00", "18:00"), fake, job)
    d.tick()
    assert job.calls == []
    fake.set(london(2026, 1, 10, 7, 0))
    d.tick()
    d.tick()
    assert job.calls == [london(2026, 1, 10, 7, 0)]
    assert d.next_run == london(2026, 1, 10, 18, 0)
    assert d.scheduler.jobs and d.scheduler.jobs[0] is d._job  # our own schedule.Scheduler holds the job


def test_a_job_that_raises_is_logged_with_traceback_and_the_loop_goes_on(tmp_path, caplog):
    fake = FakeClock(london(2026, 1, 10, 6, 0))

    def effect(n: int) -> None:
        if n == 1:
            raise ZeroDivisionError("boom in the job")
        d.stop()

    d = daemon(tmp_path, at("07:00"), fake, Recorder(effect))
    with caplog.at_level(logging.INFO, logger="digest.schedule"):
        d.run_forever()
    assert [r.status for r in d.reports] == ["failed", "ok"]
    assert "Traceback" in caplog.text and "ZeroDivisionError: boom in the job" in caplog.text
    outcome_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("run (")]
    assert len(outcome_lines) == 2 and "failed" in outcome_lines[0]
    assert "\n" not in outcome_lines[0]  # one line per run


def test_a_slow_run_never_overlaps_the_next_one(tmp_path, caplog):
    fake = FakeClock(utc(2026, 1, 10, 0, 0, 30))
    config = ScheduleConfig(every=timedelta(hours=1), timezone="UTC")
    running = []

    def effect(n: int) -> None:
        running.append(n)
        assert len(running) == 1, "two runs at once"
        if n == 1:
            fake.advance(2.5 * 3600)  # runs past the next two slots
        if n == 2:
            d.stop()
        running.pop()

    job = Recorder(effect)
    d = daemon(tmp_path, config, fake, job)
    with caplog.at_level(logging.INFO, logger="digest.schedule"):
        d.run_forever()
    assert job.calls == [utc(2026, 1, 10, 1, 0), utc(2026, 1, 10, 4, 0)]  # 02:00 and 03:00 were not run late
    assert "skipped" in caplog.text


def test_a_run_is_skipped_while_another_process_holds_the_lock(tmp_path):
    fake = FakeClock(utc(2026, 1, 10, 7, 0))
    job = Recorder()
    d = daemon(tmp_path, at("07:00", zone="UTC"), fake, job)
    with RunLock(tmp_path / ".lock"):
        report = d.run_once()
    assert report.status == "skipped" and "in progress" in report.summary
    assert job.calls == []
    assert d.run_once().status == "ok"


def test_a_lock_held_by_a_killed_process_is_free_again(tmp_path):
    lock = tmp_path / ".lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from digest.service.scheduler import RunLock
            RunLock({str(lock)!r}).acquire()
            print("locked", flush=True)
            time.sleep(60)
        """)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockBusy, match=f"pid {holder.pid}"):
            RunLock(lock).acquire()
        holder.kill()
        holder.wait(10)
        with RunLock(lock):
            pass
    finally:
        holder.kill()


# --- catch-up -------------------------------------------------------------


def test_a_run_missed_while_down_is_caught_up_once_within_grace(tmp_path):
    fake = FakeClock(london(2026, 1, 10, 7, 40))  # 07:00 was missed
    job = Recorder(effect=lambda n: d.stop())
    d = daemon(tmp_path, at("07:00", "18:00"), fake, job, last_run=lambda: london(2026, 1, 9, 18, 0))
    d.run_forever()
    assert [r.trigger for r in d.reports] == ["catch-up"]
    assert d.reports[0].slot == london(2026, 1, 10, 7, 0)
    assert job.calls == [london(2026, 1, 10, 7, 40)]


def test_a_missed_run_older_than_grace_is_not_caught_up(tmp_path, caplog):
    fake = FakeClock(london(2026, 1, 10, 9, 30))
    job = Recorder()
    d = daemon(tmp_path, at("07:00", "18:00", grace=timedelta(hours=2)), fake, job,
               last_run=lambda: london(2026, 1, 9, 18, 0))
    with caplog.at_level(logging.INFO, logger="digest.schedule"):
        assert d.catch_up() is None
    assert job.calls == [] and "not caught up" in caplog.text


def test_nothing_is_caught_up_when_the_last_run_is_recent_or_there_is_no_history(tmp_path):
    fake = FakeClock(london(2026, 1, 10, 7, 40))
    done = daemon(tmp_path, at("07:00"), fake, Recorder(), last_run=lambda: london(2026, 1, 10, 7, 0, 2))
    assert done.catch_up() is None
    fresh = daemon(tmp_path, at("07:00"), fake, Recorder(), last_run=lambda: None)
    assert fresh.catch_up() is None


# --- a real process and real signals --------------------------------------

DAEMON_SCRIPT = """
import logging, sys, time
from datetime import timedelta
from pathlib import Path
from digest.fsutil import atomic_write_bytes
from digest.service.runs import publish_run, stage_run
from digest.service.scheduler import Daemon, JobResult
from digest.settings import ScheduleConfig

logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
root = Path(sys.argv[1])

def job(now):
    staged = stage_run(root, now)
    for part in range(5):  # a slow writer: a reader must never see this half done
        atomic_write_bytes(staged.path / f"part{part}.bin", bytes(200_000))
        time.sleep(0.05)
    atomic_write_bytes(staged.path / "briefing.json", b"{}")
    return JobResult("ok", f"wrote {publish_run(staged, keep=10).name}")

Daemon(job, ScheduleConfig(every=timedelta(seconds=1)), lock_path=root / ".lock").run_forever()
"""


@pytest.mark.slow
def test_sigterm_stops_a_real_daemon_cleanly_between_runs(tmp_path):
    script = tmp_path / "daemon.py"
    script.write_text(DAEMON_SCRIPT)
    root = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # this worktree's digest, not an installed one
    proc = subprocess.Popen([sys.executable, str(script), str(root)], cwd=REPO, env=env,
                            stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 20
        while sum("run (schedule" in line for line in lines) < 2 and time.monotonic() < deadline:
            lines.append(proc.stderr.readline())
            if not lines[-1]:
                break
        assert sum("run (schedule" in line and " ok " in line for line in lines) >= 2, lines
        time.sleep(0.15)  # likely in the middle of the next run's writes
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, rest
    assert "SIGTERM received" in rest and "stopped" in rest
    names = sorted(p.name for p in root.iterdir())
    assert not [n for n in names if n.startswith(".partial-") or n.endswith(".tmp")], names
    runs = [p for p in root.iterdir() if p.is_dir() and not p.is_symlink()]
    assert len(runs) >= 2
    for run in runs:
        assert sorted(f.name for f in run.iterdir()) == ["briefing.json"] + [f"part{i}.bin" for i in range(5)]
    assert (root / "latest").resolve() == list_runs(root)[-1].resolve()
    assert os.path.getsize(root / "latest" / "part4.bin") == 200_000


# --- [schedule] config ----------------------------------------------------



def test_schedule_config_from_toml(tmp_path):
    path = tmp_path / "digest.toml"
    path.write_text('[schedule]\nat = ["18:00", "07:00"]\ntimezone = "Europe/London"\ngrace = "90m"\n'
                    'since = "24h"\n[sources]\ninputs = ["seeds"]\n')
    config = load_automation(path).schedule
    assert config.at == (clock(7, 0), clock(18, 0)) and config.zone == LONDON
    assert config.grace == timedelta(minutes=90) and config.since == "24h"
    assert config.describe() == "at 07:00, 18:00 (Europe/London)"


def test_every_accepts_seconds_for_tests_and_compound_durations():
    assert automation_from_mapping({"schedule": {"every": "2s"}}).schedule.every == timedelta(seconds=2)
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("1d") == timedelta(days=1)


@pytest.mark.parametrize("table, message", [
    ({"at": ["7am"]}, "[schedule] at has '7am', which is not a 24-hour time HH:MM"),
    ({"at": ["24:00"]}, "[schedule] at has '24:00'"),
    ({"at": []}, "[schedule] at must be a list of times"),
    ({"at": ["07:00"], "every": "6h"}, "[schedule] at and every cannot both be set"),
    ({"every": "6 hours"}, "[schedule] every is wrong: '6 hours' is not a duration"),
    ({"every": "0s"}, "[schedule] every must be at least 1s"),
    ({"timezone": "Europe/Londn"}, "[schedule] timezone 'Europe/Londn' is not a known IANA time zone"),
    ({"grace": 2}, "[schedule] grace is wrong"),
    ({"since": "yesterday"}, "[schedule] since is wrong: 'yesterday' is not 'last', 'all'"),
    ({"times": ["07:00"]}, "[schedule] unknown key 'times' (known: at, every, timezone, grace, since)"),
])
def test_each_schedule_mistake_gets_one_clear_error(table, message):
    with pytest.raises(ConfigError) as info:
        automation_from_mapping({"schedule": table}, source="digest.toml")
    assert str(info.value).startswith("digest.toml: " + message)


def test_a_missing_or_broken_config_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="nope.toml: config file not found"):
        load_automation(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[schedule\n")
    with pytest.raises(ConfigError, match="bad.toml: invalid TOML"):
        load_automation(bad)


def test_no_config_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    automation = load_automation()
    assert (automation.schedule, automation.email) == (AutomationSettings().schedule, AutomationSettings().email)
    # outside a project folder the state lives in the user's state directory (tests/test_places.py)
    assert automation.state_path and automation.state_path.endswith("newsdigest/state.sqlite3")
