"""State across runs: canonical keys, the new-only filter, run records, crash safety."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from digest.errors import ConfigError
from digest.models import Article, Briefing, StoryBrief
from digest.service.state import (Since, StateDB, annotate_briefing, article_key, canonical_url, content_hash,
                          filter_new, record_run, resolve_since)

T0 = datetime(2026, 11, 24, 7, 0, tzinfo=timezone.utc)


def art(id_: str, text: str, url: str | None = None, **kw) -> Article:
    return Article(id=id_, text=text, url=url, **kw)


@pytest.fixture
def db(tmp_path):
    with StateDB(tmp_path / "state.sqlite3") as state:
        yield state


def brief_run(db: StateDB, articles, when: datetime, since: str = "last"):
    """One run as a scheduler does it: filter, then record every input as seen."""
    window = resolve_since(since, when, db)
    result = filter_new(articles, db, window)
    run_id = db.begin_run(when, trigger="test", since=window.label)
    record_run(db, run_id, articles, started_at=when, finished_at=when, new_count=len(result.articles))
    return result, window


# --- keys -----------------------------------------------------------------


def test_canonical_url_drops_case_fragment_tracking_and_default_port():
    assert canonical_url("HTTPS://News.Example.COM:443/a/b/?utm_source=x&id=3&utm_medium=y#top") == \
        "https://news.example.com/a/b?id=3"
    assert canonical_url("https://ex.com/a?b=2&a=1&fbclid=zz") == canonical_url("https://ex.com/a?a=1&b=2")
    assert canonical_url("https://ex.com:8443/a") == "https://ex.com:8443/a"
    assert canonical_url("https://ex.com/A") != canonical_url("https://ex.com/a")  # paths are case-sensitive
    assert canonical_url(None) is None and canonical_url("  ") is None


@given(st.lists(st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=12),
                min_size=1, max_size=30), st.sampled_from([" ", "\n", "  \n\t", " — ", ", "]))
def test_content_hash_ignores_spacing_and_punctuation(words, separator):
    assert content_hash(" ".join(words)) == content_hash("  " + separator.join(words) + " !! ")


def test_content_hash_ignores_case_and_quote_style_but_not_words():
    assert content_hash('He said "No."') == content_hash("he said “no”")
    assert content_hash("He said no.") != content_hash("He said yes.")


def test_article_key_falls_back_to_path_then_hash():
    assert article_key(art("a", "x", url="https://ex.com/a#f")) == "https://ex.com/a"
    assert article_key(art("a", "x", path="in/a.txt")) == "path:in/a.txt"
    assert article_key(art("a", "some text")).startswith("hash:")


# --- the new-only filter --------------------------------------------------


def test_a_second_run_over_the_same_inputs_briefs_nothing_new_and_says_so(db):
    articles = [art("a", "Para one.\n\nPara two.", "https://ex.com/a"), art("b", "Other story.", path="in/b.txt")]
    first, _ = brief_run(db, articles, T0)
    assert len(first.articles) == 2 and first.seen_count == 0
    second, window = brief_run(db, articles, T0 + timedelta(hours=11))
    assert second.articles == () and second.seen_count == 2
    new, seen = second  # unpacks as (articles, seen_count)
    assert (new, seen) == ((), 2)
    assert window.label.startswith("the last digest (2026-11-24 07:00")


def test_the_same_text_under_another_url_counts_as_seen(db):
    brief_run(db, [art("a", "Wire copy about the port strike.", "https://one.example/a")], T0)
    result, _ = brief_run(db, [art("b", "Wire copy about the port strike!", "https://two.example/b?utm_x=1")],
                          T0 + timedelta(hours=1))
    assert result.seen_count == 1 and result.articles == ()


def test_an_updated_story_is_kept_with_only_its_new_paragraphs(db):
    url = "https://ex.com/strike"
    brief_run(db, [art("a", "Workers walked out.\n\nTalks are planned.", url)], T0)
    updated = art("a", "Workers walked out.\n\nTalks are planned.\n\nTalks collapsed at noon.", url + "#live")
    result, _ = brief_run(db, [updated], T0 + timedelta(hours=5))
    (kept,) = result.articles
    assert kept.text == "Talks collapsed at noon." and result.updated == ("a",)
    again, _ = brief_run(db, [updated], T0 + timedelta(hours=9))
    assert again.articles == () and again.seen_count == 1  # the update itself is now seen


def test_since_all_briefs_everything_and_a_window_drops_old_publications(db):
    articles = [art("a", "Old news.", "https://ex.com/a", published="2026-11-20"),
                art("b", "Fresh news.", "https://ex.com/b", published="2026-11-24T06:00:00+00:00"),
                art("c", "Undated news.", "https://ex.com/c")]
    brief_run(db, articles, T0)
    everything = filter_new(articles, db, resolve_since("all", T0, db))
    assert len(everything.articles) == 3
    later = T0 + timedelta(hours=1)
    window = filter_new(articles, db, resolve_since("24h", later, db))
    # all three were first seen within the last 24 h, but "a" was published before the window
    assert [a.id for a in window.articles] == ["b", "c"] and window.old_count == 1


def test_resolve_since_understands_dates_and_rejects_nonsense(db):
    assert resolve_since("2026-11-20", T0, db).at == datetime(2026, 11, 20, tzinfo=timezone.utc)
    assert resolve_since("6h", T0, db).at == T0 - timedelta(hours=6)
    assert resolve_since("last", T0, db) == Since("the first digest", None)
    with pytest.raises(ConfigError, match="--since 'yesterday'"):
        resolve_since("yesterday", T0, db)


def test_annotate_briefing_says_what_it_covers_and_marks_updated_stories(db):
    story_a = StoryBrief(headline="Strike", summary="", sources=("a",))
    story_b = StoryBrief(headline="Bridge", summary="", sources=("b",))
    briefing = Briefing(title="D", generated_at=T0.isoformat(), sources=(), stories=(story_a, story_b))
    from digest.service.state import FilterResult

    result = FilterResult((art("a", "x"), art("b", "y")), seen_count=4, updated=("a",))
    out = annotate_briefing(briefing, result, Since("the last digest (x)", T0))
    assert [s.updated for s in out.stories] == [True, False]
    assert out.notes[0] == ("New since the last digest (x): 1 new article, 1 updated (only what is new is briefed); "
                            "4 already briefed left out.")


# --- runs and crash safety ------------------------------------------------


def test_runs_record_inputs_outputs_and_delivery(db, tmp_path):
    out = tmp_path / "run1"
    out.mkdir()
    run_id = db.begin_run(T0, trigger="schedule", since="the first digest", inputs=["seeds"])
    record_run(db, run_id, [art("a", "x")], started_at=T0, finished_at=T0 + timedelta(seconds=3),
               out_dir=out, outputs=[out / "briefing.md"], new_count=1)
    db.record_delivery(run_id, ok=False, attempts=4, error="cannot reach smtp")
    record = db.run(run_id)
    assert (record.status, record.inputs, record.outputs, record.articles_new) == \
        ("ok", ("seeds",), (str(out / "briefing.md"),), 1)
    assert [r.id for r in db.pending_deliveries()] == [run_id]
    db.record_delivery(run_id, ok=True, attempts=1, at=T0)
    assert db.pending_deliveries() == [] and db.run(run_id).delivery_attempts == 5
    assert db.run_for_folder(out).id == run_id


def test_a_run_that_dies_midway_leaves_nothing_half_recorded(tmp_path):
    path = tmp_path / "state.sqlite3"
    with StateDB(path) as db:
        brief_run(db, [art("a", "First.", "https://ex.com/a")], T0)
        run_id = db.begin_run(T0 + timedelta(hours=1), trigger="schedule")
        # a crash inside record_run's transaction: nothing of it may stay
        with pytest.raises(RuntimeError):
            with db.transaction() as conn:
                conn.execute("INSERT INTO articles (key, content_hash, paragraph_hashes, first_seen, last_seen) "
                             "VALUES ('k', 'h', '[]', 'x', 'x')")
                raise RuntimeError("killed")
    with StateDB(path) as db:  # a new process
        assert db.article_count() == 1
        assert db.run(run_id).status == "running"
        assert db.mark_interrupted() == 1
        assert db.run(run_id).status == "interrupted"
        assert db.last_successful_run().started_at == T0  # "since last" still means the good run
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_last_finished_start_counts_failed_runs_but_not_interrupted_ones(db):
    good = db.begin_run(T0, trigger="schedule")
    db.finish_run(good, status="failed", finished_at=T0, error="boom")
    db.begin_run(T0 + timedelta(hours=1), trigger="schedule")
    db.mark_interrupted()
    assert db.last_finished_start() == T0
    assert db.last_successful_run() is None


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "state.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    with pytest.raises(Exception, match="newer version"):
        StateDB(path)
