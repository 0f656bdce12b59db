"""The ``digest schedule`` daemon: a ``schedule.Scheduler`` made safe to leave running.

The ``schedule`` library neither replays a missed run nor survives a job that
raises. This module adds, around its own ``schedule.Scheduler`` instance:

* run times from ``[schedule]`` (``at`` clock times in a time zone, or
  ``every`` fixed steps), computed with ``zoneinfo`` so midnight and DST
  changes are exact, against an injectable clock so tests can drive time;
* a job wrapper that logs a failing run with its traceback and one line per
  run, and keeps the loop going;
* a file lock (``fcntl.flock``; the kernel drops it when a process dies) so two
  runs never overlap, even across processes (``digest run`` from cron while
  the daemon runs);
* catch-up at start of a run missed while the daemon was down, once, if it is
  within the grace period;
* SIGTERM and Ctrl-C stop the loop between runs (a run in progress finishes).

``schedule.Job.at(time, tz)`` is not used: it needs pytz and reads the wall
clock directly, which a test cannot control. ``_SlotJob`` subclasses
``schedule.Job`` and takes its next run from ``next_slot`` and the clock.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import signal
import threading
import time as _time
import traceback
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable, Protocol

import schedule

from digest.errors import DigestError, OutputError, StageError
from digest.settings import ScheduleConfig

log = logging.getLogger("digest.schedule")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# --- clocks ---------------------------------------------------------------


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class FakeClock:
    """A clock tests move by hand (``advance``/``set``); ``sleep`` advances it."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        self.advance(max(seconds, 0.0))


# --- run times ------------------------------------------------------------


def next_slot(config: ScheduleConfig, after: datetime) -> datetime:
    """The first run time strictly after ``after`` (aware, in the configured zone)."""
    zone = config.zone
    after = after.astimezone(zone)
    if config.every is not None:
        step = config.every.total_seconds()
        elapsed = (after - _EPOCH).total_seconds()
        count = int(elapsed // step) + 1
        return (_EPOCH + timedelta(seconds=count * step)).astimezone(zone)
    day = after.date() - timedelta(days=1)
    for offset in range(4):
        for clock_time in config.at:
            candidate = _local(day + timedelta(days=offset), clock_time, zone)
            if candidate > after:
                return candidate
    raise AssertionError("no slot within three days")  # cannot happen: at is never empty


def last_slot(config: ScheduleConfig, at_or_before: datetime) -> datetime:
    """The newest run time at or before ``at_or_before``."""
    zone = config.zone
    moment = at_or_before.astimezone(zone)
    if config.every is not None:
        step = config.every.total_seconds()
        count = int((moment - _EPOCH).total_seconds() // step)
        return (_EPOCH + timedelta(seconds=count * step)).astimezone(zone)
    best = None
    for offset in range(-2, 1):
        for clock_time in config.at:
            candidate = _local(moment.date() + timedelta(days=offset), clock_time, zone)
            if candidate <= moment and (best is None or candidate > best):
                best = candidate
    assert best is not None
    return best


def _local(day: Any, clock_time: Any, zone: Any) -> datetime:
    """``day`` at ``clock_time`` in ``zone``, as a real instant.

    A time skipped by a DST change (01:30 when clocks jump 01:00 -> 02:00) runs
    one hour later (02:30); a time that happens twice runs at the first one.
    Round-tripping through UTC normalises the skipped case.
    """
    naive = datetime.combine(day, clock_time)
    return naive.replace(tzinfo=zone, fold=0).astimezone(timezone.utc).astimezone(zone)


# --- the lock -------------------------------------------------------------


class LockBusy(OutputError):
    """Another run holds the lock."""


class RunLock:
    """An exclusive, non-blocking ``flock`` on a file; released by the kernel if the process dies.

    Use as ``with RunLock(path):``; raises LockBusy when another process (or
    another RunLock in this one) holds it.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> "RunLock":
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # a read-only or missing output folder: one line, not a traceback
            raise OutputError(f"cannot create the lock file: {exc.strerror or exc}", path=str(self.path)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = _read_pid(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                who = f" (pid {holder})" if holder else ""
                raise LockBusy(f"another digest run is in progress{who}", path=str(self.path)) from None
            raise OutputError(f"cannot lock: {exc.strerror or exc}", path=str(self.path)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "RunLock":
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()


def _read_pid(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""


# --- the daemon -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JobResult:
    """What a job reports: ``status`` (ok, empty, failed...) and a one-line ``summary``."""

    status: str = "ok"
    summary: str = ""


@dataclass(frozen=True, slots=True)
class RunReport:
    """One attempt to run the job, as logged."""

    trigger: str  # schedule | catch-up | once
    slot: datetime | None
    started: datetime
    seconds: float
    status: str  # ok | empty | failed | skipped | mail-failed
    summary: str

    def line(self) -> str:
        slot = f" for {_when(self.slot)}" if self.slot else ""
        text = f"run ({self.trigger}{slot}) {self.status} in {self.seconds:.1f}s"
        return f"{text}: {self.summary}" if self.summary else text


Job = Callable[[datetime], "JobResult | None"]


class _SlotJob(schedule.Job):
    """A ``schedule.Job`` whose next run comes from ``next_slot`` and the daemon's clock."""

    def __init__(self, daemon: "Daemon", scheduler: schedule.Scheduler):
        super().__init__(1, scheduler)
        self.unit = "seconds"  # unused by our scheduling; keeps Job's repr working
        self._daemon = daemon

    def _schedule_next_run(self) -> None:
        self.next_run = next_slot(self._daemon.config, self._daemon.clock.now())

    @property
    def should_run(self) -> bool:
        return self._daemon.clock.now() >= self.next_run

    def run(self) -> Any:
        slot = self.next_run
        result = self.job_func(slot)
        self.last_run = self._daemon.clock.now()
        self._schedule_next_run()
        passed = last_slot(self._daemon.config, self.last_run)
        if passed > slot:
            # one run at a time: slots that came while this run was going are not run late
            log.warning("the run took until %s, past the run time %s: that one is skipped, next run %s",
                        _when(self.last_run), _when(passed), _when(self.next_run))
        return result

    def __repr__(self) -> str:
        return f"<digest job, next run {self.next_run}>"


class Daemon:
    """Runs ``job(now)`` at the configured times until stopped.

    ``job`` is the whole run (read, brief, write, send, record); it is called
    with the start time in the configured zone and returns a JobResult (or
    None). ``last_run`` returns when the last run started (from the state
    database), for catch-up. ``sleep`` waits (default: until ``stop()``).
    """

    def __init__(self, job: Job, config: ScheduleConfig, *, lock_path: str | Path,
                 clock: Clock | None = None, last_run: Callable[[], datetime | None] = lambda: None,
                 sleep: Callable[[float], Any] | None = None, max_sleep: float = 30.0):
        self.job = job
        self.config = config
        self.clock = clock or SystemClock()
        self.lock = RunLock(lock_path)
        self.last_run = last_run
        self._stop = threading.Event()
        self._sleep = sleep or self._stop.wait
        self.max_sleep = max_sleep  # wake up regularly so a suspended machine notices the time
        self.reports: deque[RunReport] = deque(maxlen=100)  # the latest runs, for tests and status
        self.scheduler = schedule.Scheduler()
        self._job = _SlotJob(self, self.scheduler).do(self._scheduled)

    # --- public ---

    @property
    def next_run(self) -> datetime:
        return self._job.next_run

    def stop(self) -> None:
        """Ask the loop to end after the current run."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def catch_up(self) -> RunReport | None:
        """Run once now if a run time was missed while down, and is within the grace period."""
        now = self.clock.now()
        due = last_slot(self.config, now)
        last = self.last_run()
        if last is None or last >= due:
            return None
        late = now - due
        if late > self.config.grace:
            log.info("missed run for %s not caught up: %s late, grace is %s",
                     due.strftime("%Y-%m-%d %H:%M %Z"), _short(late), _short(self.config.grace))
            return None
        return self._attempt("catch-up", due)

    def tick(self) -> None:
        """Run the job if it is due (one pass of the loop)."""
        self.scheduler.run_pending()

    def run_once(self, trigger: str = "once") -> RunReport:
        """Run the job now, under the lock (``digest schedule --once`` and ``digest run``)."""
        return self._attempt(trigger, None)

    def run_forever(self) -> None:
        """Catch up, then run at each slot until SIGTERM/SIGINT or ``stop()``."""
        restore = self._install_signal_handlers()
        try:
            log.info("digest schedule started: %s; next run %s", self.config.describe(), _when(self.next_run))
            self.catch_up()
            self._job._schedule_next_run()
            while not self._stop.is_set():
                self.tick()
                if self._stop.is_set():
                    break
                wait = (self.next_run - self.clock.now()).total_seconds()
                self._sleep(min(max(wait, 0.0), self.max_sleep))
            log.info("digest schedule stopped")
        finally:
            restore()

    # --- inside ---

    def _scheduled(self, slot: datetime) -> None:
        now = self.clock.now()
        previous = last_slot(self.config, now)
        if previous > slot:
            # the loop woke late (a slow run, a suspended machine): run once, not once per slot
            log.info("runs between %s and %s were missed; running once now", _when(slot), _when(previous))
        self._attempt("schedule", slot)

    def _attempt(self, trigger: str, slot: datetime | None) -> RunReport:
        started = self.clock.now()
        clock_start = _time.monotonic()
        try:
            with self.lock:
                result = self.job(started.astimezone(self.config.zone))
            status, summary = (result.status, result.summary) if result else ("ok", "")
        except LockBusy as exc:
            status, summary = "skipped", str(exc)
        except DigestError as exc:
            # the project's errors are one-line messages for users; a StageError is a bug: show where
            status, summary = "failed", str(exc)
            if isinstance(exc, StageError):
                log.error("run failed with a traceback:\n%s", traceback.format_exc().rstrip())
        except Exception as exc:  # noqa: BLE001 - a failing run must never stop the daemon
            status, summary = "failed", f"{type(exc).__name__}: {exc}".splitlines()[0]
            log.error("run failed with a traceback:\n%s", traceback.format_exc().rstrip())
        report = RunReport(trigger, slot, started, _time.monotonic() - clock_start, status, summary)
        self.reports.append(report)
        # A failed e-mail is logged, and the daemon goes on: the next run re-sends it.
        (log.warning if status in ("failed", "skipped", "mail-failed") else log.info)("%s", report.line())
        return report

    def _install_signal_handlers(self) -> Callable[[], None]:
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

        def handler(signum: int, _frame: Any) -> None:
            log.info("%s received: stopping after the current run", signal.Signals(signum).name)
            self.stop()
            # a second Ctrl-C interrupts a run that hangs
            signal.signal(signal.SIGINT, signal.default_int_handler)

        for sig in previous:
            signal.signal(sig, handler)

        def restore() -> None:
            for sig, old in previous.items():
                signal.signal(sig, old)

        return restore


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %Z" if moment.second else "%Y-%m-%d %H:%M %Z")


def _short(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"
