"""The ``digest`` command line: a thin layer over the library.

Only this module prints or exits. Every DigestError becomes one line on stderr
and a non-zero exit code; any other exception is a bug and is reported as one.
"""

from __future__ import annotations

import functools
import logging
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import click

from digest import __version__
from digest.errors import EXIT_CODES, DeliveryError, DigestError
from digest.settings import FLAGS, check_since, load_automation, load_settings

log = logging.getLogger("digest")


def report_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's errors into a one-line message and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DigestError as exc:
            # A config with several mistakes reports them all, one line each.
            for line in str(exc).splitlines() or [""]:
                click.echo(f"error: {line}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)

    return wrapper


def parse_formats(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    """``md,pdf`` -> ``("md", "pdf")``; the formats themselves are checked by the settings schema."""
    if value is None:
        return None
    return tuple(f.strip().lower() for f in value.split(",") if f.strip())


config_option = click.option(
    "--config", "-c", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Config file (default: ./digest.toml if present).",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress messages.")
LOG_LEVELS = ("debug", "info", "warning", "error")


def _set_log_level(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """-v / --log-level: the level of the log on stderr; --log-level wins over -v."""
    if param.name == "log_level" and value:
        ctx.meta["digest.log_level"] = getattr(logging, value.upper())
    elif param.name == "verbose" and value and "digest.log_level" not in ctx.meta:
        ctx.meta["digest.log_level"] = logging.INFO if value == 1 else logging.DEBUG
    if "digest.log_level" in ctx.meta:
        log.setLevel(ctx.meta["digest.log_level"])


def logging_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``-v`` (repeatable) and ``--log-level``, shared by every command."""
    func = click.option("--log-level", type=click.Choice(LOG_LEVELS, case_sensitive=False), default=None,
                        expose_value=False, callback=_set_log_level,
                        help="Log level on stderr: debug, info, warning (default for run and send) or error.")(func)
    return click.option("--verbose", "-v", count=True, expose_value=False, callback=_set_log_level,
                        help="More log messages (-v: info, -vv: debug).")(func)


def _explicit_log_level() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and "digest.log_level" in ctx.meta)


_EXIT_CODES_HELP = "\n".join(f"  {code:<4} {text}" for code, text in EXIT_CODES.items())


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             epilog=f"\b\nExit codes:\n{_EXIT_CODES_HELP}")
@click.version_option(__version__, prog_name="digest")
def cli() -> None:
    """Turn many news articles from many outlets into one short briefing.

    \b
    Example:
        digest run seeds/ --out out/today
    """
    _setup_logging(logging.WARNING)


opml_option = click.option(
    "--opml", "opml", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
    help="An OPML subscription list (as feed readers export): read every feed in it (repeatable).",
)
since_option = click.option(
    "--since", default=None, callback=lambda _c, _p, v: _check_since(v), metavar="WHEN",
    help="Brief articles new since: last (the last digest), all, a duration like 24h, or a date like 2026-11-20.",
)
no_send_option = click.option("--no-send", is_flag=True, help="Do not e-mail, even if [email] is set.")


def _check_since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return check_since(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


class ProgressLine:
    """One self-updating status line with a bar on a terminal; silent elsewhere or with --quiet."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = ""

    def __call__(self, message: str, done: int | None = None, total: int | None = None) -> None:
        if not self.enabled:
            return
        line = message
        if total:
            filled = int(20 * min(done or 0, total) / total)
            line = f"{message} [{'#' * filled}{'.' * (20 - filled)}] {done}/{total}"
        if line != self.shown:
            click.echo("\r\033[K" + line[:100], nl=False, err=True)
            self.shown = line

    def close(self) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)
            self.shown = ""


def _progress_line(quiet: bool) -> ProgressLine:
    return ProgressLine(not quiet and sys.stderr.isatty())


@cli.command("run")
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write exactly DIR/briefing.{md,html,pdf,json}. Default: out/<YYYY-MM-DD-HHMM>/ and out/latest.")
@click.option("--format", "formats", callback=parse_formats, default=None, metavar="LIST",
              help="Comma-separated formats to write: md,html,pdf,json,ics (default: all; ics only when events are announced).")
@click.option("--words", "words_per_story", type=int, default=None,
              help="Word budget per story, counting all the reader sees: text, speakers, dates and source markers "
                   "(50 to 5000, default 450).")
@click.option("--title", default=None, help="Title of the briefing.")
@click.option("--page-size", default=None, help="PDF page size: A4 or Letter (default A4).")
@click.option("--feed", "feeds", multiple=True, metavar="URL|FILE",
              help="An RSS/Atom feed to read (repeatable). Entries with only a teaser are fetched.")
@opml_option
@click.option("--url", "urls", multiple=True, metavar="URL", help="An article page to fetch (repeatable).")
@click.option("--url-file", type=click.Path(dir_okay=False), default=None,
              help="A file of article URLs, one a line (# comments allowed).")
@click.option("--fetch-feed-links", is_flag=True, default=None,
              help="Also fetch the teaser links of feeds found in local INPUTS (default: stay offline).")
@since_option
@no_send_option
@config_option
@quiet_option
@logging_options
@report_errors
def run_command(inputs: tuple[str, ...], out_dir: str | None, formats: tuple[str, ...] | None,
                words_per_story: int | None, title: str | None, page_size: str | None,
                feeds: tuple[str, ...], opml: tuple[str, ...], urls: tuple[str, ...], url_file: str | None,
                fetch_feed_links: bool | None,
                since: str | None, no_send: bool, config_path: str | None, quiet: bool) -> None:
    """Build a briefing from INPUTS (files or folders; default: seeds/).

    Without --out the run goes to out/<date-time>/, out/latest points at it, the
    run is recorded in out/state.sqlite3 and e-mailed if [email] is set; --since
    limits it to articles new since then (default: all). Prints the paths it wrote.

    \b
    Example:
        digest run seeds/ --format md,pdf --out out/today
        digest run --feed https://example.org/rss.xml --out out/feed
        digest run --opml subscriptions.opml
    """
    from digest.ingest import read_url_list

    base = load_settings(config_path)
    extra_urls = urls + (read_url_list(url_file) if url_file else ())
    # Feeds or URLs given alone replace the default folder; with INPUTS they add to them.
    only_remote = (feeds or opml or extra_urls) and not inputs
    settings = base.with_overrides(
        inputs=tuple(inputs) or (() if only_remote else None),
        feeds=base.feeds + feeds if feeds else None,
        opml=base.opml + opml if opml else None,
        urls=base.urls + extra_urls if extra_urls else None,
        formats=formats,
        words_per_story=words_per_story,
        title=title,
        page_size=page_size,
        quiet=quiet or None,
        fetch_local_feed_links=fetch_feed_links or None,
        flags=FLAGS,
    )
    progress = _progress_line(quiet)
    try:
        skipped, paths, summary, notes, mail_error = _run(settings, config_path, out_dir, since, no_send, progress)
    finally:
        progress.close()
    if summary and not quiet:
        click.echo(summary, err=True)
    for note in notes if not quiet else ():
        click.echo(f"note: {note}", err=True)
    for item in skipped:
        click.echo(f"warning: skipped {item.source}: {item.reason}", err=True)
    for path in paths:
        click.echo(str(path))
    if skipped:
        click.echo(f"{len(skipped)} input(s) skipped", err=True)
    if mail_error:
        raise DeliveryError(mail_error)


def _run(settings: Any, config_path: str | None, out_dir: str | None, since: str | None, no_send: bool,
         progress: ProgressLine) -> tuple[tuple, tuple, str, tuple[str, ...], str | None]:
    """``digest run``: into exactly --out, or through the run cycle shared with ``digest schedule``.

    Returns what was skipped, the paths written, the summary, notes, and why e-mail failed (or None).
    """
    from digest import render
    from digest.clean.language import preload_model

    # Start-up work for the second core while the pipeline's modules import and the inputs are read:
    # WeasyPrint imports in a worker process (for the PDF), the language model decompresses in a thread.
    with render.pdf_worker("pdf" in settings.formats):
        preload_model()
        return _run_pipeline(settings, config_path, out_dir, since, no_send, progress)


def _run_pipeline(settings: Any, config_path: str | None, out_dir: str | None, since: str | None, no_send: bool,
                  progress: ProgressLine) -> tuple[tuple, tuple, str, tuple[str, ...], str | None]:
    from digest.pipeline import run_digest, stages

    if out_dir:
        outcome = run_digest(settings, now=datetime.now(timezone.utc).astimezone(), out_dir=Path(out_dir),
                             progress=progress)
        return outcome.skipped, outcome.paths, "", outcome.briefing.notes, None
    from digest.service import check_ready, run_locked

    automation = load_automation(config_path)
    if not no_send:
        check_ready(automation.email)  # before the pipeline runs, not after minutes of work
    skipped: list = []
    result = run_locked(settings, automation, stages(progress=progress, on_skip=skipped.append),
                        now=datetime.now(automation.schedule.zone), trigger="manual",
                        since=since or "all", send=not no_send)
    # The briefing itself carries the run's notes (briefing.notes) on this path, beside the state's own.
    return tuple(skipped), result.paths, result.summary, (), _mail_failure(result)


def _mail_failure(result: Any) -> str | None:
    failed = [d for d in result.deliveries if not d.ok]
    if not failed:
        return None
    return f"e-mail not sent after {failed[0].attempts} attempt(s): {failed[0].error} (the run is kept and re-sent next run)"


def _setup_logging(level: int) -> None:
    """Log the ``digest`` loggers to stderr at ``level``, unless -v or --log-level chose one."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    log.handlers[:] = [handler]
    if not _explicit_log_level():
        log.setLevel(level)
    log.propagate = False


@cli.command("schedule")
@config_option
@click.option("--once", is_flag=True, help="Run one digest now and exit (the same run the daemon does).")
@since_option
@no_send_option
@click.option("--quiet", "-q", is_flag=True, help="Log only warnings and errors.")
@logging_options
@report_errors
def schedule_command(config_path: str | None, once: bool, since: str | None, no_send: bool, quiet: bool) -> None:
    """Run digests at the times in [schedule] until stopped (SIGTERM or Ctrl-C).

    Each run briefs only articles new since the last digest (--since overrides),
    writes out/<date-time>/, points out/latest at it and e-mails it if [email] is
    set. A run missed while stopped is caught up at start (within [schedule] grace).

    \b
    Example:
        digest schedule --config digest.toml
    """
    from digest.service import last_run_time, lock_path, make_job, run_locked
    from digest.pipeline import stages
    from digest.service import Daemon

    settings = load_settings(config_path)
    automation = load_automation(config_path)
    if not no_send:
        from digest.service import check_ready

        check_ready(automation.email)
    _setup_logging(logging.WARNING if quiet else logging.INFO)
    pipeline = stages(on_skip=lambda item: log.warning("skipped %s: %s", item.source, item.reason))
    if once:
        result = run_locked(settings, automation, pipeline, now=datetime.now(automation.schedule.zone),
                            trigger="once", since=since, send=not no_send)
        click.echo(result.summary, err=True)
        for path in result.paths:
            click.echo(str(path))
        mail_error = _mail_failure(result)
        if mail_error:
            raise DeliveryError(mail_error)
        return
    job = make_job(settings, automation, pipeline, since=since, send=not no_send)
    daemon = Daemon(job, automation.schedule, lock_path=lock_path(settings, automation),
                    last_run=last_run_time(settings, automation))
    daemon.run_forever()


@cli.command("send")
@click.argument("run", required=False, type=click.Path())
@click.option("--dry-run", "dry_run", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Send nothing: write the message each recipient would get to DIR/<run>-<n>.eml.")
@config_option
@logging_options
@report_errors
def send_command(run: str | None, dry_run: str | None, config_path: str | None) -> None:
    """E-mail a run again (default: the newest one, out/latest), as set in [email].

    The password is read from the environment variable named by
    [email] password_env. Temporary failures are retried with backoff.

    \b
    Example:
        DIGEST_SMTP_PASSWORD=... digest send out/latest
        digest send out/latest --dry-run mail/      # look at mail/*.eml first
    """
    from digest.service import send_folder

    settings = load_settings(config_path)
    automation = load_automation(config_path)
    folder = run or Path(settings.out_dir) / "latest"
    if dry_run:
        from digest.service.deliver import write_dry_run

        for path in write_dry_run(folder, automation.email, dry_run, settings):
            click.echo(str(path))
        return
    delivery = send_folder(folder, settings, automation)
    if not delivery.ok:
        raise DeliveryError(f"e-mail not sent after {delivery.attempts} attempt(s): {delivery.error}")
    click.echo(f"sent \"{delivery.subject}\" to {', '.join(automation.email.to)}")


@cli.command("explain")
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@click.option("--words", "words_per_story", type=int, default=None,
              help="Word budget per story, as for run (50 to 5000).")
@config_option
@logging_options
@report_errors
def explain_command(inputs: tuple[str, ...], as_json: bool, words_per_story: int | None,
                    config_path: str | None) -> None:
    """Show how the briefing of INPUTS is built: each cluster, its outlets, the version chosen and why,
    its section, and what was dropped as boilerplate or off-story. Writes no files.

    \b
    Example:
        digest explain seeds/
    """
    import json

    from digest import ingest
    from digest.explain import explain_build, explain_set_aside, format_explanation
    from digest.pipeline import build_briefing

    settings = load_settings(config_path).with_overrides(inputs=tuple(inputs) or None,
                                                         words_per_story=words_per_story, flags=FLAGS)
    now = datetime.now(timezone.utc).astimezone()
    result = ingest.read_inputs(list(settings.inputs), settings)
    build = build_briefing(result.articles, settings, now)
    stories = explain_build(build, settings, now)
    set_aside = explain_set_aside(build)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in stories], ensure_ascii=False, indent=2))
    else:
        click.echo(format_explanation(stories, set_aside=set_aside, notes=build.notes))


@cli.command("quotes")
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Write JSON Lines: one quotation a line.")
@click.option("--feed", "feeds", multiple=True, metavar="URL|FILE", help="An RSS/Atom feed to read (repeatable).")
@opml_option
@click.option("--url", "urls", multiple=True, metavar="URL", help="An article page to fetch (repeatable).")
@config_option
@logging_options
@report_errors
def quotes_command(inputs: tuple[str, ...], as_json: bool, feeds: tuple[str, ...], opml: tuple[str, ...],
                   urls: tuple[str, ...], config_path: str | None) -> None:
    """List every direct quotation in INPUTS (files, folders, feeds, URLs; default: seeds/), with who said it.

    The same quote printed by several outlets is one entry with all its sources; the speaker is
    taken from the outlet that names it most explicitly, and is empty when no outlet names one.
    With --json each line is an object with text, speaker (null when nobody is named), role,
    context, path, url, outlet, rule and sources (each with path, url, outlet). Writes no files.

    \b
    Example:
        digest quotes seeds/
        digest quotes articles/ --json > quotes.jsonl
    """
    import json

    from digest import ingest
    from digest.compose.quotes import quote_bank

    base = load_settings(config_path)
    only_remote = (feeds or opml or urls) and not inputs
    settings = base.with_overrides(
        inputs=tuple(inputs) or (() if only_remote else None),
        feeds=base.feeds + feeds if feeds else None,
        opml=base.opml + opml if opml else None,
        urls=base.urls + urls if urls else None,
        flags=FLAGS,
    )
    result = ingest.read_inputs(list(settings.inputs), settings)
    for item in result.skipped:
        click.echo(f"warning: skipped {item.source}: {item.reason}", err=True)
    entries = quote_bank(result.articles, settings)
    if as_json:
        for entry in entries:
            click.echo(json.dumps(entry.to_dict(), ensure_ascii=False))
        return
    for number, entry in enumerate(entries, 1):
        who = " / ".join(entry.speakers) if entry.disagreement else (entry.speaker or "(nobody named)")
        role = f", {entry.role}" if entry.role and entry.speaker else ""
        outlets = ", ".join(dict.fromkeys(s.outlet or Path(s.path or s.url or "?").name for s in entry.sources))
        flag = "  [outlets disagree on the speaker]" if entry.disagreement else ""
        click.echo(f"{number:>4}. “{entry.text}”")
        click.echo(f"      — {who}{role}{flag}")
        click.echo(f"      {len(entry.sources)} source(s): {outlets}")
    click.echo(f"{len(entries)} quotation(s) from {len(result.articles)} article(s)", err=True)


@cli.group("feeds")
def feeds_group() -> None:
    """The feeds a run reads: [sources] feeds and the feeds of [sources] opml lists.

    \b
    Example:
        digest feeds export > subscriptions.opml
    """


@feeds_group.command("export")
@click.option("--opml", "opml", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Also list the feeds of this OPML file (repeatable).")
@click.option("--feed", "feeds", multiple=True, metavar="URL|FILE", help="Also list this feed (repeatable).")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), default=None,
              help="Write the OPML to FILE instead of standard output.")
@config_option
@report_errors
def feeds_export_command(opml: tuple[str, ...], feeds: tuple[str, ...], output: str | None,
                         config_path: str | None) -> None:
    """Write the configured feeds as an OPML 2.0 subscription list, for other feed readers to import.

    Each feed is named by its [sources] outlets entry, else by the name its OPML list gives it.

    \b
    Example:
        digest feeds export --config digest.toml -o subscriptions.opml
    """
    from digest.fsutil import atomic_write_bytes
    from digest.ingest import configured_feeds, opml_document
    from digest.ingest.fetch import is_http_url

    base = load_settings(config_path)
    settings = base.with_overrides(feeds=base.feeds + feeds if feeds else None,
                                   opml=base.opml + opml if opml else None, flags=FLAGS)
    subscriptions = configured_feeds(settings)
    for feed in subscriptions:
        if not is_http_url(feed.url):
            click.echo(f"warning: left out {feed.url}: a feed file on this machine is no subscription", err=True)
    document = opml_document([f for f in subscriptions if is_http_url(f.url)], title=f"{settings.title}: feeds")
    if output:
        atomic_write_bytes(Path(output), document)
        click.echo(output)
    else:
        click.echo(document.decode("utf-8"), nl=False)


def main() -> None:
    """Entry point of the ``digest`` console script."""
    try:
        cli(prog_name="digest")
    finally:
        # The process ends here. Its last garbage collections walk every object a run made (WeasyPrint's and
        # numpy's included): 0.1-0.3 s of CPU, to free memory the OS takes back at once. Frozen objects are not
        # walked: what only a reference cycle holds is left to the OS too (Python never promised to finalise
        # it at exit); every atexit handler still runs, and every file was closed where it was written.
        import gc

        gc.freeze()
