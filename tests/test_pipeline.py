"""The whole pipeline on the seeds: every format written, valid, traceable and free of page furniture."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from digest.errors import NoArticlesError, StageError
from digest.pipeline import build_briefing, run_digest
from digest.settings import Settings

from conftest import SEEDS, make_article

NOW = datetime(2023, 9, 14, 18, 0, tzinfo=timezone.utc)
FURNITURE = ["Sign up", "sign up", "Opens in new window", "Getty", "Read more", "Search Trends",
             "alternate addresses", "Additional reporting", "Updated 14:23"]


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("seeds-out")
    settings = Settings(inputs=(str(SEEDS),))
    return run_digest(settings, now=NOW, out_dir=out)


def test_pipeline_seeds_writes_every_format(seeds_run) -> None:
    names = sorted(p.name for p in seeds_run.paths)
    assert names == ["briefing.html", "briefing.ics", "briefing.json", "briefing.md", "briefing.pdf"]
    calendar = (seeds_run.out_dir / "briefing.ics").read_text()
    assert calendar.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in calendar
    pdf = (seeds_run.out_dir / "briefing.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-1024:]


def test_pipeline_seeds_every_item_traceable(seeds_run) -> None:
    data = json.loads((seeds_run.out_dir / "briefing.json").read_text())
    ids = {s["id"] for s in data["sources"]}
    assert len(ids) == 5
    for story in data["stories"]:
        assert set(story["sources"]) <= ids
        for section in ("key_facts", "quotes", "reactions", "whats_next"):
            for item in story[section]:
                assert item["sources"] and set(item["sources"]) <= ids, item


def test_pipeline_seeds_markdown_has_no_page_furniture(seeds_run) -> None:
    text = (seeds_run.out_dir / "briefing.md").read_text()
    for phrase in FURNITURE:
        assert phrase not in text


def test_pipeline_no_articles_is_reported() -> None:
    with pytest.raises(NoArticlesError):
        build_briefing([], Settings(), NOW)
    with pytest.raises(NoArticlesError):
        build_briefing([make_article("Sign up to our newsletter")], Settings(), NOW)


def test_pipeline_leaves_out_stub_articles() -> None:
    story = ("The ferry sank near the harbour on Monday evening after hitting rocks in heavy fog, "
             "the coastguard said, and all 40 passengers were rescued.")
    result = build_briefing([make_article(story), make_article("Note 7.", id="a2")], Settings(), NOW)
    assert [s.id for s in result.briefing.sources] == ["a1"]


def test_pipeline_names_the_stage_that_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    from digest import select

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(select, "select_versions", broken)
    with pytest.raises(StageError, match=r"\[select\].*boom"):
        build_briefing([make_article("The ferry sank near the harbour on Monday evening after hitting rocks "
                                     "in heavy fog, the coastguard said.")], Settings(), NOW)


FOOTBALL = """City beat United 3-1 on Saturday to go top of the league, with two goals from their new striker.

The striker scored twice in the first half before United pulled one back from a penalty after the break.

"We were brilliant for an hour," the City manager told reporters after the match at the packed stadium.

United have now lost four of their last six league games and face Liverpool away next weekend."""

BANK = """The central bank held its main interest rate at 4.5 per cent on Thursday, citing stubborn inflation in services.

Seven of the nine members of the rate-setting committee voted to hold, while two wanted a cut of a quarter point.

"Inflation is falling, but not fast enough," the governor said at a press conference after the decision.

Economists expect the first cut in the spring if wage growth keeps slowing, the bank's own forecasts suggest."""


def _seeds_and_two_unrelated(tmp_path: Path) -> Path:
    """A folder of the five seeds and two unrelated articles (a football match, a central bank)."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "football.txt").write_text(FOOTBALL)
    (folder / "bank.txt").write_text(BANK)
    return folder


def test_pipeline_seeds_plus_unrelated_articles_make_separate_stories(tmp_path: Path) -> None:
    folder = _seeds_and_two_unrelated(tmp_path)
    outcome = run_digest(Settings(inputs=(str(folder),), formats=("json",)), now=NOW, out_dir=tmp_path / "out")
    stories = outcome.briefing.stories
    assert len(stories) == 3
    seed_ids = {s.id for s in outcome.briefing.sources if s.path and Path(s.path).name.startswith("00")}
    assert set(stories[0].sources) == seed_ids and len(seed_ids) == 5
    assert all(story.single_outlet for story in stories[1:])


def test_cleaning_in_worker_processes_gives_the_same_articles_in_input_order(monkeypatch) -> None:
    # Many articles are cleaned in a process pool; the result must not depend on it (order included).
    from digest import pipeline, workers
    from digest.ingest import read_inputs

    settings = Settings(inputs=(str(SEEDS),))
    articles = list(read_inputs([str(SEEDS)], settings).articles) * 2
    alone = build_briefing(articles, settings, NOW)
    monkeypatch.setattr(pipeline, "POOL_MIN_ARTICLES", 2)
    monkeypatch.setattr(workers, "cpu_count", lambda: 2)
    monkeypatch.setattr(pipeline, "_POOL_CHUNK", 3)  # several chunks, so the workers' order could differ
    seen: list[tuple[int, int]] = []
    pooled = build_briefing(articles, settings, NOW,
                            lambda message, done=None, total=None: seen.append((done, total))
                            if message == "cleaning articles" else None)
    assert pooled.cleaned == alone.cleaned
    assert pooled.briefing == alone.briefing
    assert seen == [(n, len(articles)) for n in range(1, len(articles) + 1)]


def test_stories_shared_with_a_worker_process_give_the_same_briefing_and_progress(monkeypatch, tmp_path) -> None:
    # A big run's stories are briefed here from the front and by a worker from the back; nothing may change.
    from digest import pipeline, workers
    from digest.ingest import read_inputs

    folder = _seeds_and_two_unrelated(tmp_path)
    settings = Settings(inputs=(str(folder),), max_stories=10)
    articles = list(read_inputs([str(folder)], settings).articles)
    noted: list[list[tuple[int, int]]] = []

    def run():
        seen: list[tuple[int, int]] = []
        noted.append(seen)
        return build_briefing(articles, settings, NOW, lambda message, done=None, total=None: seen.append(
            (done, total)) if message == "briefing stories" else None)

    alone = run()
    monkeypatch.setattr(pipeline, "POOL_MIN_STORY_PARAGRAPHS", 1)
    monkeypatch.setattr(workers, "cpu_count", lambda: 2)
    shared: list[int] = []
    original = workers.shared_map
    monkeypatch.setattr(workers, "shared_map", lambda *a, **k: shared.append(len(a[1])) or original(*a, **k))
    pooled = run()
    assert shared and shared[0] == len(alone.stories) >= 2  # the shared path was taken
    assert pooled.briefing == alone.briefing
    assert [t.clusters for t in pooled.stories] == [t.clusters for t in alone.stories]
    assert [t.selections for t in pooled.stories] == [t.selections for t in alone.stories]
    assert noted[0] == noted[1] == [(n, len(alone.stories)) for n in range(len(alone.stories))]


def _square_or_fail(value: int, fail_at: int) -> int:
    if value == fail_at:
        raise ValueError(f"failed at {value}")
    return value * value


def _pid_after(seconds: float) -> int:
    import os
    import time

    time.sleep(seconds)
    return os.getpid()


def test_shared_map_works_the_front_here_and_gives_the_worker_the_back() -> None:
    import os

    from digest import workers

    # Two items: the worker takes the second, this process the first (a queued item is never both's).
    assert list(workers.shared_map(_pid_after, [0.0, 0.3]))[0] == os.getpid()
    pids = list(workers.shared_map(_pid_after, [0.3, 0.0, 0.0, 0.0, 0.0]))
    assert pids[0] == os.getpid() and pids[-1] != os.getpid()


def test_shared_map_keeps_the_order_and_raises_at_the_failing_item() -> None:
    from digest import workers

    turns: list[int] = []
    items = list(range(40))
    assert list(workers.shared_map(_square_or_fail, items, -1, before=turns.append)) == [v * v for v in items]
    assert turns == items
    got = []
    with pytest.raises(ValueError, match="failed at 3"):
        for value in workers.shared_map(_square_or_fail, items, 3):
            got.append(value)
    assert got == [0, 1, 4]
    assert list(workers.shared_map(_square_or_fail, [5], -1)) == [25]


def test_a_worker_sends_back_what_cleaning_changed_and_the_parent_rebuilds_the_same_article() -> None:
    from dataclasses import replace

    from digest import clean, pipeline
    from digest.models import Article, CleanArticle

    settings = Settings()
    text = ("The council voted on Tuesday to keep the old dam open for another year, the mayor said.\n\n"
            "Residents had asked for the dam to be closed after the spring floods reached the town square.")
    articles = [Article("a1", text, title="Photo: Getty Images", outlet="Gazette"),  # a caption taken for the title
                Article("a2", text, title="LATEST: Dam stays open", outlet="Herald", language="en-GB"),
                Article("a3", text, title="Dam stays open", outlet="Post")]
    for article in articles:
        changed, paragraphs, dropped, headings, forms = pipeline._clean_without_article(article, settings)
        done, found = clean.clean_article_with_forms(article, settings)
        rebuilt = replace(article, **changed) if changed else article
        assert CleanArticle(rebuilt, paragraphs, dropped, headings) == done and forms == found
        assert "text" not in changed


def test_collection_paused_disables_gc_inside_and_restores_it_as_it_was() -> None:
    import gc

    from digest import workers

    assert gc.isenabled()
    with workers.collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with workers.collection_paused():
            raise ValueError("a failure inside")
    assert gc.isenabled()  # restored after a failure too
    gc.disable()
    try:
        with workers.collection_paused():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_build_briefing_collects_garbage_again_afterwards() -> None:
    import gc

    build_briefing([make_article("Officials said the bridge would reopen on Monday after repairs. " * 5)],
                   Settings(), datetime(2026, 3, 5, tzinfo=timezone.utc))
    assert gc.isenabled()
