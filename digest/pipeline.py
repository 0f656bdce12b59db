"""Runs the stages in order: ingest -> clean -> cluster -> select -> compose -> render.

Each stage is called by name, and a failure inside a stage is re-raised as the
project's own StageError naming the stage (spaCy's pipeline does the same), so
a user sees which step broke instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence, TypeVar
from contextlib import contextmanager

from digest import clean, cluster, compose, ingest, render, select, workers
from digest.errors import DigestError, NoArticlesError, StageError
from digest.fsutil import write_set
from digest.models import Article, Briefing, CleanArticle, Cluster, Selection, Story
from digest.settings import Settings

if TYPE_CHECKING:  # the scheduled service (state, e-mail) is imported only by the runs that use it
    from digest.service.cycle import Pipeline

T = TypeVar("T")
# progress(message, done, total): what the run is doing, with counts when the work is countable.
Progress = Callable[..., None]


@dataclass(frozen=True, slots=True)
class StoryTrace:
    """What happened to one story, for ``digest explain``."""

    story: Story
    clusters: tuple[Cluster, ...]
    selections: tuple[Selection, ...]


@dataclass(frozen=True, slots=True)
class BuildResult:
    """A briefing and the trace of how it was built."""

    briefing: Briefing
    cleaned: tuple[CleanArticle, ...]
    stories: tuple[StoryTrace, ...]
    set_aside: tuple[clean.SetAside, ...] = ()  # articles briefed in no story, with the reason
    notes: tuple[str, ...] = ()  # what the run tells its user about its input (also in briefing.notes)


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """What ``run_digest`` produced: the briefing, the files written and the inputs skipped."""

    briefing: Briefing
    paths: tuple[Path, ...]
    out_dir: Path
    skipped: tuple[ingest.Skipped, ...] = ()
    build: BuildResult | None = field(default=None, repr=False)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Re-raise unexpected exceptions of a stage as StageError naming it."""
    try:
        yield
    except DigestError as exc:
        if exc.stage is None:
            exc.stage = name
        raise
    except Exception as exc:  # a bug in a stage: report it as such, naming the stage
        raise StageError(f"{type(exc).__name__}: {exc}", stage=name) from exc


def build_briefing(articles: Sequence[Article], settings: Settings, now: datetime,
                   progress: Progress | None = None) -> BuildResult:
    """Turn articles into a Briefing (no I/O)."""
    note = progress or (lambda *_args: None)
    if not articles:
        raise NoArticlesError("no articles to brief")
    # Cleaning and grouping build millions of small objects that live on: no cyclic collection walks them
    # again and again meanwhile (see workers.collection_paused).
    with workers.collection_paused():
        with stage("clean"):
            cleaned = []
            forms = clean.TextForms()
            for number, (done, found) in enumerate(_clean_all(articles, settings), 1):
                cleaned.append(done)
                forms.add(found)
                note("cleaning articles", number, len(articles))
            furniture = clean.drop_shared_furniture(cleaned, settings.min_article_words, forms)
            cleaned = list(furniture.articles)
        notes = clean.set_aside_notes(furniture.set_aside)
        if not cleaned:
            raise NoArticlesError(
                f"no article has {settings.min_article_words} or more words left after removing boilerplate")
        languages = clean.by_language(cleaned)
        notes += clean.language_notes(languages)
        with stage("cluster"):
            # Stories never mix languages: English ones first, then each other language's own.
            stories = []
            for language, members in languages:
                if len(stories) >= settings.max_stories:
                    break  # the briefing is full: later languages' stories would be cut anyway
                found = cluster.group_stories(
                    members, settings, lambda done, total: note("grouping articles into stories", done, total),
                    keep=settings.max_stories - len(stories), forms=forms)
                stories += found if language == clean.ENGLISH else [replace(s, id=f"{s.id}-{language}") for s in found]
            stories = stories[: settings.max_stories]
    del forms  # as much text again as the articles: not held while the stories are briefed
    traces: list[StoryTrace] = []
    briefs = []
    for story, (clusters, selections, brief) in zip(stories, _brief_all(stories, settings, now, note)):
        briefs.append(brief)
        traces.append(StoryTrace(story, tuple(clusters), tuple(selections)))
    with stage("compose"):
        briefing = compose.compose_briefing(stories, briefs, settings, now)
    if notes:
        briefing = replace(briefing, notes=tuple(briefing.notes) + notes)
    return BuildResult(briefing, tuple(cleaned), tuple(traces), furniture.set_aside, notes)


# Each story is briefed by a pure function of it, so a big run's stories are shared with a worker process (see
# ``workers.shared_map``) when there are this many paragraphs in the stories to brief; fewer cost less than a fork.
POOL_MIN_STORY_PARAGRAPHS = 500


def _brief_story(story: Story, settings: Settings, now: datetime) -> tuple[list[Cluster], list[Selection], object]:
    """One story's paragraph clusters, selections and brief (cluster -> select -> compose)."""
    with stage("cluster"):
        clusters = cluster.cluster_paragraphs(story, settings)
    with stage("select"):
        selections = select.select_versions(clusters, settings)
    with stage("compose"):
        brief = compose.compose_story(story, selections, settings, now)
    return clusters, selections, brief


def _brief_all(stories: Sequence[Story], settings: Settings, now: datetime,
               note: Progress) -> Iterator[tuple[list[Cluster], list[Selection], object]]:
    """``_brief_story`` of each story, in order; "briefing stories" is noted as each one's turn comes."""
    def before(index: int) -> None:
        note("briefing stories", index, len(stories))

    paragraphs = sum(len(a.paragraphs) for story in stories for a in story.articles)
    if len(stories) >= 2 and workers.use_pool(paragraphs, POOL_MIN_STORY_PARAGRAPHS):
        # (a worker's own failures are raised at their story as the stage named them; a worker that dies is
        # reported as the story stage's, like a cleaning worker's as clean's)
        with stage("cluster"):
            yield from workers.shared_map(_brief_story, stories, settings, now, before=before)
        return
    for index, story in enumerate(stories):
        before(index)
        yield _brief_story(story, settings, now)


# Cleaning is a pure function per article, so many articles are cleaned in worker processes; below this
# many, starting the workers costs more than it saves.
POOL_MIN_ARTICLES = 300
_POOL_CHUNK = 16  # articles sent to a worker at once


def _clean_all(articles: Sequence[Article], settings: Settings) -> Iterator[tuple[CleanArticle, clean.TextForms]]:
    """``clean.clean_article_with_forms`` of each article, in input order (in a process pool when there are many)."""
    if not workers.use_pool(len(articles), POOL_MIN_ARTICLES):
        for article in articles:
            yield clean.clean_article_with_forms(article, settings)
        return
    clean.language.wait_for_preload()  # a fork during a background load would leave workers a load that never ends
    if any(clean.stated_language(article.language) is None for article in articles):
        # Loaded here, before the fork, the model is in every worker's memory (shared, not copied);
        # each worker would otherwise load its own. Forking also needs any background load finished.
        clean.language.load_model()
    results = workers.ordered_map(_clean_without_article, articles, settings, chunk=_POOL_CHUNK)
    for article, (changed, paragraphs, dropped, headings, forms) in zip(articles, results):
        article = replace(article, **changed) if changed else article
        yield CleanArticle(article, paragraphs, dropped, headings), forms


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))


def _clean_without_article(article: Article, settings: Settings) -> tuple[dict, tuple, tuple, tuple, clean.TextForms]:
    """``clean.clean_article_with_forms`` as a worker sends it back: the article's changed fields only, not
    the article (the parent has it: its text would be pickled back and held twice), and the rest."""
    done, forms = clean.clean_article_with_forms(article, settings)
    new = done.article
    changed = {name: getattr(new, name) for name in _ARTICLE_FIELDS if getattr(new, name) != getattr(article, name)}
    return changed, done.paragraphs, done.dropped, done.headings, forms


def stages(*, progress: Progress | None = None,
           on_skip: Callable[[ingest.Skipped], None] | None = None) -> Pipeline:
    """The real stages as the run cycle takes them: read -> build -> write."""
    from digest.service.cycle import Pipeline

    def read(settings: Settings) -> Sequence[Article]:
        return _read(settings, progress, on_skip)

    def build(articles: Sequence[Article], settings: Settings, now: datetime) -> Briefing:
        return build_briefing(articles, settings, now, progress).briefing

    return Pipeline(read, build, _write)


def _read(settings: Settings, progress: Progress | None,
          on_skip: Callable[[ingest.Skipped], None] | None) -> Sequence[Article]:
    with stage("ingest"):
        result = ingest.read_inputs(list(settings.inputs), settings, progress=progress)
    for skipped in result.skipped:
        if on_skip:
            on_skip(skipped)
    if not result.articles:
        # Nothing readable is a failed run, never "all briefed before": say why, for each input,
        # on one line (a failure is one line on stderr).
        reasons = ingest.why_nothing_read(list(settings.inputs), settings, result.skipped)
        raise NoArticlesError("no articles to brief: " + " | ".join(reasons))
    return result.articles


def _write(briefing: Briefing, out_dir: Path, formats: Sequence[str], settings: Settings) -> Sequence[Path]:
    with stage("render"):
        return render.write_outputs(briefing, out_dir, formats, settings)


def run_digest(settings: Settings, *, now: datetime, out_dir: Path,
               progress: Progress | None = None) -> RunOutcome:
    """Read the configured inputs, build the briefing and write it into exactly ``out_dir``.

    This is ``digest run --out DIR``: no state and no run folders. Runs into
    ``out/<date-time>/`` go through ``digest.service.cycle`` (shared with ``digest schedule``).
    """
    skipped: list[ingest.Skipped] = []
    articles = _read(settings, progress, skipped.append)  # the stages of ``stages``, without the service
    build = build_briefing(articles, settings, now, progress)
    # The whole set is staged and swapped in: a killed or failed run leaves the previous set whole.
    paths = write_set(Path(out_dir), lambda folder: _write(build.briefing, folder, settings.formats, settings),
                      family=[f"briefing.{fmt}" for fmt in render.FORMATS])
    return RunOutcome(build.briefing, tuple(paths), Path(out_dir), tuple(skipped), build)
