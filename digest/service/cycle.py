"""One digest run as ``digest schedule`` and ``digest run`` both do it.

read inputs -> keep only what is new since the last digest -> build the
briefing -> write it into a staging folder -> publish ``out/<date-time>/`` and
``out/latest`` -> e-mail it -> record the run and the articles seen.

The pipeline stages are passed in (``Pipeline``), so this module does not
depend on how ingest, compose and render are built, and tests can use fakes.
Call ``run_cycle`` while holding the run lock; ``run_locked`` takes it for you.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

from digest.service.deliver import Delivery, send_run
from digest.errors import NoArticlesError
from digest.models import Article, Briefing
from digest.service.runs import clean_partials, write_run
from digest.service.scheduler import JobResult, RunLock
from digest.settings import AutomationSettings, Settings
from digest.service.state import StateDB, annotate_briefing, filter_new, record_run, resolve_since

LOCK_NAME = ".digest.lock"
# Runs a user waits for at a terminal: their e-mail retries use the short default backoff.
ON_DEMAND_TRIGGERS = ("manual", "once")


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The stages a run needs: read articles, build a briefing, write files into a folder."""

    read: Callable[[Settings], Sequence[Article]]
    build: Callable[[Sequence[Article], Settings, datetime], Briefing]
    write: Callable[[Briefing, Path, Sequence[str], Settings], Sequence[Path]]


@dataclass(frozen=True, slots=True)
class CycleResult:
    """What a run did; ``summary`` is the one line the daemon logs."""

    status: str  # ok | empty
    summary: str
    run_id: int
    run_dir: Path | None = None
    paths: tuple[Path, ...] = ()
    briefing: Briefing | None = None
    new: int = 0
    updated: int = 0
    seen: int = 0
    deliveries: tuple[Delivery, ...] = field(default=())

    @property
    def delivery_failed(self) -> bool:
        """True when this run (or an earlier one re-sent with it) could not be e-mailed."""
        return any(not d.ok for d in self.deliveries)

    def job_result(self) -> JobResult:
        """What the daemon logs: a failed e-mail is its own status, logged as a warning."""
        return JobResult("mail-failed" if self.delivery_failed else self.status, self.summary)


def lock_path(settings: Settings, automation: AutomationSettings | None = None) -> Path:
    """The lock file every run takes: ``[state] lock`` (the user's state directory outside a
    project folder), else ``<out_dir>/.digest.lock``."""
    if automation is not None and automation.lock_path:
        return Path(automation.lock_path)
    return Path(settings.out_dir) / LOCK_NAME


def run_cycle(settings: Settings, automation: AutomationSettings, pipeline: Pipeline, *, now: datetime,
              trigger: str = "manual", since: str | None = None, send: bool = True,
              sleep: Callable[[float], None] = time.sleep,
              clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> CycleResult:
    """Run one digest. The caller holds the run lock. Raises the project's errors on failure.

    ``since``: ``last`` (default from ``[schedule] since``), ``all``, ``24h``, or a date.
    ``send``: e-mail the run (and re-send earlier failed ones) if ``[email]`` is set.
    """
    root = Path(settings.out_dir)
    on_demand = trigger in ON_DEMAND_TRIGGERS
    clean_partials(root)  # left by a run that was killed; safe because we hold the lock
    with StateDB(automation.state_file(settings)) as db:
        db.mark_interrupted()
        window = resolve_since(since or automation.schedule.since, now, db)
        inputs = [*settings.inputs, *settings.feeds, *settings.urls]
        run_id = db.begin_run(now, trigger=trigger, since=window.label, inputs=inputs)
        try:
            articles = tuple(pipeline.read(settings))
            result = filter_new(articles, db, window)
            # "seen" means briefed: articles left out (published before the window, or cut from
            # the briefing by max_stories) stay new for the next run
            not_briefed = set(result.old)
            summary = ""
            briefing = None
            if result.articles:
                try:
                    briefing = annotate_briefing(pipeline.build(result.articles, settings, now), result, window)
                except NoArticlesError as exc:
                    # new articles with no usable text: nothing to brief, and recorded so as not to retry them
                    summary = f"nothing to brief: {len(result.articles)} new article(s), {exc.message}"
            if briefing is None:
                seen = [a for a in articles if a.id not in not_briefed]
                record_run(db, run_id, seen, started_at=now, finished_at=clock(), status="empty")
                summary = summary or (f"nothing new since {window.label}: {_count(len(articles), 'article', 'articles')} read, "
                                      "all briefed before")
                if result.old_count:
                    summary += f" ({result.old_count} published earlier left out)"
                deliveries = _resend_pending(db, settings, automation, sleep, on_demand) if send else ()
                return CycleResult("empty", summary + _mail_note(deliveries), run_id, seen=result.seen_count,
                                   deliveries=deliveries)
            # Only what the written briefing shows counts as briefed: an empty one shows nothing.
            briefed = {source.id for source in briefing.sources}
            not_briefed |= {a.id for a in result.articles} - briefed
            run_dir, written = write_run(
                root, now, lambda folder: pipeline.write(briefing, folder, settings.formats, settings),
                keep=settings.keep_runs)
            paths = tuple(written)
            updated = len(result.updated)
            record_run(db, run_id, [a for a in articles if a.id not in not_briefed], started_at=now,
                       finished_at=clock(), status="ok", out_dir=run_dir,
                       outputs=paths, new_count=len(result.articles) - updated, updated_count=updated)
        except Exception as exc:
            db.finish_run(run_id, status="failed", finished_at=clock(), error=str(exc)[:1000])
            raise
        except BaseException:
            db.finish_run(run_id, status="interrupted", finished_at=clock(), error="interrupted")
            raise
        deliveries: tuple[Delivery, ...] = ()
        if send and automation.email.active:
            delivery = send_run(run_dir, automation.email, sleep=sleep, on_demand=on_demand, settings=settings)
            db.record_delivery(run_id, ok=delivery.ok, attempts=delivery.attempts, error=delivery.error, at=clock())
            deliveries = (delivery,)
            if delivery.ok:
                deliveries += _resend_pending(db, settings, automation, sleep, on_demand)
    new = len(result.articles) - updated
    summary = (f"{_count(len(briefing.stories), 'story', 'stories')} from {new} new"
               f"{f' and {updated} updated' if updated else ''} {'article' if new + updated == 1 else 'articles'} "
               f"({result.seen_count} briefed before) -> {run_dir}")
    return CycleResult("ok", summary + _mail_note(deliveries), run_id, run_dir, paths, briefing,
                       len(result.articles) - updated, updated, result.seen_count, deliveries)


def run_locked(settings: Settings, automation: AutomationSettings, pipeline: Pipeline, *, now: datetime,
               **kwargs: object) -> CycleResult:
    """``run_cycle`` under the run lock; raises LockBusy if another run is going (for ``digest run``)."""
    with RunLock(lock_path(settings, automation)):
        return run_cycle(settings, automation, pipeline, now=now, **kwargs)  # type: ignore[arg-type]


def make_job(settings: Settings, automation: AutomationSettings, pipeline: Pipeline, *,
             since: str | None = None, send: bool = True) -> Callable[[datetime], JobResult]:
    """The job the Daemon calls at each run time (the Daemon holds the lock)."""

    def job(now: datetime) -> JobResult:
        return run_cycle(settings, automation, pipeline, now=now, trigger="schedule", since=since,
                         send=send).job_result()

    return job


def last_run_time(settings: Settings, automation: AutomationSettings) -> Callable[[], datetime | None]:
    """For the Daemon's catch-up: when the last finished run started (None without a database)."""

    def last() -> datetime | None:
        path = automation.state_file(settings)
        if not path.exists():
            return None
        with StateDB(path) as db:
            return db.last_finished_start()

    return last


def send_folder(folder: str | Path, settings: Settings, automation: AutomationSettings, *,
                sleep: Callable[[float], None] = time.sleep) -> Delivery:
    """Re-send a run folder (``digest send out/latest``) and record the delivery if the run is known."""
    from digest.service.runs import resolve_run

    run_dir = resolve_run(folder)
    delivery = send_run(run_dir, automation.email, sleep=sleep, on_demand=True, settings=settings)
    path = automation.state_file(settings)
    if path.exists():
        with StateDB(path) as db:  # SQLite serialises this with a running digest; no run lock needed
            record = db.run_for_folder(run_dir)
            if record is not None:
                db.record_delivery(record.id, ok=delivery.ok, attempts=delivery.attempts, error=delivery.error,
                                   at=datetime.now(timezone.utc))
    return delivery


def _resend_pending(db: StateDB, settings: Settings, automation: AutomationSettings, sleep: Callable[[float], None],
                    on_demand: bool) -> tuple[Delivery, ...]:
    if not automation.email.active:
        return ()
    sent = []
    for record in db.pending_deliveries():
        delivery = send_run(Path(record.out_dir), automation.email, sleep=sleep,  # type: ignore[arg-type]
                            on_demand=on_demand, settings=settings)
        db.record_delivery(record.id, ok=delivery.ok, attempts=delivery.attempts, error=delivery.error,
                           at=datetime.now(timezone.utc))
        sent.append(delivery)
        if not delivery.ok:
            break  # the server is still down: keep the rest for the next run
    return tuple(sent)


def _count(number: int, one: str, many: str) -> str:
    """``1 story``, ``2 stories``: a count with its noun in the right number."""
    return f"{number} {one if number == 1 else many}"


def _mail_note(deliveries: Sequence[Delivery]) -> str:
    if not deliveries:
        return ""
    ok = sum(d.ok for d in deliveries)
    failed = [d for d in deliveries if not d.ok]
    note = f"; e-mail sent {ok}" if ok else ""
    if failed:
        note += f"; e-mail FAILED after {failed[0].attempts} attempt(s): {failed[0].error} (re-sent next run)"
    return note
