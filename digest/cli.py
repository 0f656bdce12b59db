"""The ``digest`` command line: a thin layer over the library.

Only this module prints or exits. Every DigestError becomes one line on stderr
and a non-zero exit code; any other exception is a bug and is reported as one.
"""

from __future__ import annotations

import functools
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import click

from digest import __version__
from digest.errors import DigestError
from digest.render import FORMATS
from digest.settings import load_settings


def report_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the project's errors into a one-line message and its exit code."""

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


def parse_formats(_ctx: click.Context, _param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(f"choose from {','.join(FORMATS)} (got {value!r})")
    return formats


config_option = click.option(
    "--config", "-c", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Config file (default: ./digest.toml if present).",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress messages.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="digest")
def cli() -> None:
    """Turn many news articles from many outlets into one short briefing.

    \b
    Example:
        digest run seeds/ --out out/today
    """


@cli.command("run")
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write exactly DIR/briefing.{md,html,pdf,json}. Default: out/<YYYY-MM-DD-HHMM>/ and out/latest.")
@click.option("--format", "formats", callback=parse_formats, default=None, metavar="LIST",
              help="Comma-separated formats to write: md,html,pdf,json,ics (default: md,html,pdf,json).")
@click.option("--words", "words_per_story", type=click.IntRange(50, 5000), default=None,
              help="Word budget per story (default 450).")
@click.option("--title", default=None, help="Title of the briefing.")
@click.option("--page-size", type=click.Choice(["A4", "Letter"], case_sensitive=False), default=None,
              help="PDF page size (default A4).")
@config_option
@quiet_option
@report_errors
def run_command(inputs: tuple[str, ...], out_dir: str | None, formats: tuple[str, ...] | None,
                words_per_story: int | None, title: str | None, page_size: str | None,
                config_path: str | None, quiet: bool) -> None:
    """Build a briefing from INPUTS (files or folders; default: seeds/).

    Prints the paths it wrote, one a line.

    \b
    Example:
        digest run seeds/ --format md,pdf --out out/today
    """
    from digest.pipeline import run_digest

    settings = load_settings(
        config_path,
        inputs=tuple(inputs) or None,
        formats=formats,
        words_per_story=words_per_story,
        title=title,
        page_size=page_size.capitalize() if page_size and page_size.lower() == "letter" else page_size,
        quiet=quiet or None,
    )
    progress = None if quiet else (lambda msg: click.echo(msg, err=True))
    outcome = run_digest(settings, now=datetime.now(timezone.utc).astimezone(),
                         out_dir=Path(out_dir) if out_dir else None, progress=progress)
    for skipped in outcome.skipped:
        click.echo(f"warning: skipped {skipped.source}: {skipped.reason}", err=True)
    for path in outcome.paths:
        click.echo(str(path))
    if outcome.skipped:
        click.echo(f"{len(outcome.skipped)} input(s) skipped", err=True)


@cli.command("explain")
@click.argument("inputs", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print the explanation as JSON.")
@click.option("--words", "words_per_story", type=click.IntRange(50, 5000), default=None,
              help="Word budget per story, as for run.")
@config_option
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
    from digest.explain import explain_build, format_explanation
    from digest.pipeline import build_briefing

    settings = load_settings(config_path, inputs=tuple(inputs) or None, words_per_story=words_per_story)
    now = datetime.now(timezone.utc).astimezone()
    result = ingest.read_inputs(list(settings.inputs), settings)
    stories = explain_build(build_briefing(result.articles, settings, now), settings, now)
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in stories], ensure_ascii=False, indent=2))
    else:
        click.echo(format_explanation(stories))


def main() -> None:
    """Entry point of the ``digest`` console script."""
    cli(prog_name="digest")
