"""``digest schedule`` and ``digest send``: click commands the main group registers.

In ``digest/cli.py``::

    from digest.cli_schedule import schedule_command, send_command
    cli.add_command(schedule_command)
    cli.add_command(send_command)
"""

from __future__ import annotations

import functools
import logging
import sys
from datetime import datetime
from typing import Any, Callable, Sequence

import click

from digest.cycle import Pipeline, last_run_time, lock_path, make_job, run_locked, send_folder
from digest.errors import DigestError
from digest.models import Article, Briefing
from digest.settings import Settings, check_since, load_automation, load_settings

log = logging.getLogger("digest")


def default_pipeline() -> Pipeline:
    """The real stages: ingest.read_inputs -> pipeline.build_briefing -> render.write_outputs."""
    from digest import ingest, render
    from digest.pipeline import build_briefing, stage

    def read(settings: Settings) -> Sequence[Article]:
        with stage("ingest"):
            result = ingest.read_inputs(list(settings.inputs), settings)
        for skipped in result.skipped:
            log.warning("skipped %s: %s", skipped.source, skipped.reason)
        return result.articles

    def build(articles: Sequence[Article], settings: Settings, now: datetime) -> Briefing:
        return build_briefing(articles, settings, now).briefing

    def write(briefing: Briefing, out_dir: Any, formats: Sequence[str], settings: Settings) -> Any:
        with stage("render"):
            return render.write_outputs(briefing, out_dir, formats, settings)

    return Pipeline(read, build, write)


def _report_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DigestError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


def _check_since(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_since(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _setup_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    log.handlers[:] = [handler]
    log.setLevel(logging.WARNING if quiet else logging.INFO)
    log.propagate = False


config_option = click.option("--config", "-c", "config_path", type=click.Path(dir_okay=False), default=None,
                             help="Config file (default: ./digest.toml if present).")
since_option = click.option("--since", default=None, callback=_check_since, metavar="WHEN",
                            help="Brief articles new since: last (default, the last digest), all, "
                                 "a duration like 24h, or a date like 2026-11-20.")


@click.command("schedule")
@config_option
@click.option("--once", is_flag=True, help="Run one digest now and exit (the same run the daemon does).")
@since_option
@click.option("--no-send", is_flag=True, help="Do not e-mail, even if [email] is set.")
@click.option("--quiet", "-q", is_flag=True, help="Log only warnings and errors.")
@_report_errors
def schedule_command(config_path: str | None, once: bool, since: str | None, no_send: bool, quiet: bool) -> None:
    """Run digests at the times in [schedule] until stopped (SIGTERM or Ctrl-C).

    Each run briefs only articles new since the last digest, writes
    out/<date-time>/, points out/latest at it and e-mails it if [email] is set.
    A run missed while stopped is caught up at start (within [schedule] grace).

    \b
    Example:
        digest schedule --config digest.toml
    """
    from digest.scheduler import Daemon

    settings = load_settings(config_path)
    automation = load_automation(config_path)
    if not no_send:
        from digest.deliver import check_ready

        check_ready(automation.email)
    _setup_logging(quiet)
    pipeline = default_pipeline()
    zone = automation.schedule.zone
    if once:
        result = run_locked(settings, automation, pipeline, now=datetime.now(zone), trigger="once",
                            since=since, send=not no_send)
        click.echo(result.summary, err=True)
        for path in result.paths:
            click.echo(str(path))
        return
    job = make_job(settings, automation, pipeline, since=since, send=not no_send)
    daemon = Daemon(job, automation.schedule, lock_path=lock_path(settings),
                    last_run=last_run_time(settings, automation))
    daemon.run_forever()


@click.command("send")
@click.argument("run", required=False, type=click.Path())
@config_option
@_report_errors
def send_command(run: str | None, config_path: str | None) -> None:
    """E-mail a run again (default: the newest one, out/latest), as set in [email].

    The password is read from the environment variable named by
    [email] password_env. Temporary failures are retried with backoff.

    \b
    Example:
        DIGEST_SMTP_PASSWORD=... digest send out/latest
    """
    from pathlib import Path

    from digest.errors import OutputError

    settings = load_settings(config_path)
    automation = load_automation(config_path)
    delivery = send_folder(run or Path(settings.out_dir) / "latest", settings, automation)
    if not delivery.ok:
        raise OutputError(f"e-mail not sent after {delivery.attempts} attempt(s): {delivery.error}")
    click.echo(f"sent \"{delivery.subject}\" to {', '.join(automation.email.to)}")
