"""End to end on seeds/: the "Done when" properties of the briefing, checked on the real output.

The expectations below (who said which quote) were read off the seed articles by hand.

Goldens: ``tests/golden/seeds.{md,json}``, the whole briefing at ``NOW``, so any change to what the
seeds produce shows up in review. Rewrite them after an intended change with
``UPDATE_GOLDEN=1 python -m pytest tests/test_e2e_seeds.py`` and read the diff like an editor.
"""

from __future__ import annotations

import json

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from digest import ingest
from digest.explain import explain_build
from digest.pipeline import build_briefing
from digest.render import render_json, render_markdown
from digest.settings import Settings
from digest.text import normalise

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = datetime(2023, 9, 14, 18, 0, tzinfo=timezone.utc)

# Opening words of each quotation in the seeds -> who said it (hand-checked).
SPEAKERS = {
    "Putin accepted the invitation with pleasure": "KCNA",
    "At the end of the reception": "KCNA",
    "We are confident that the Russian army": "Kim Jong-un",
    "certain that the Russian people": "Kim Jong-un",
    "Russian military and its people": "Kim Jong-un",
    "I will always be standing with Russia": "Kim Jong-un",
    "That's why we came here": "Vladimir Putin",
    "We once again urge Russia": "Kim Young-ho",
    "We have taken a number of actions": "Matthew Miller",
    "When you see what looks to be": "Matthew Miller",
    "The United States has no right": "Anatoly Antonov",
    "scraping the bottom of the barrel": "James O’Brien",
    "at least limit their ability": "James O’Brien",
    "bilateral relations, the situation": "Kremlin",
    "military threats, provocations": "KCNA",  # ... tyranny of imperialists," it said (KCNA, the line before)
    "a relatively easy gift": "James Nixey",  # '“a relatively easy gift” for the Kremlin, Mr Nixey said'
    # A phrase quoted in reported speech is shown in its sentence (Quote.in_sentence).
    "The US State Department has already warned": "US State Department",
    "The possibility of Russia’s arms deal": "US State Department",

}


@pytest.fixture(scope="module")
def built():
    settings = Settings(inputs=(str(SEEDS),))
    articles = ingest.read_inputs([str(SEEDS)], settings).articles
    return build_briefing(articles, settings, NOW), settings


@pytest.fixture(scope="module")
def story(built):
    return built[0].briefing.stories[0]


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_seeds_briefing_matches_golden(built, fmt):
    briefing, settings = built[0].briefing, built[1]
    text = render_markdown(briefing, settings) if fmt == "md" else render_json(briefing)
    # Source paths are absolute; the golden holds them relative to the checkout, so it matches in any clone.
    text = text.replace(json.dumps(str(SEEDS))[1:-1], "seeds")
    golden = GOLDEN / f"seeds.{fmt}"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), "no golden yet: run with UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"{fmt} changed; if intended, rerun with UPDATE_GOLDEN=1"


def test_under_600_words(built):
    markdown = render_markdown(built[0].briefing, built[1])
    assert len(markdown.split()) < 600


@pytest.mark.xfail(strict=True, reason="not yet: within 450 words the three statements issue 13 asks for take the "
                   "words of two key facts, a quote and a reaction; the section minimums of issue 2 no longer fit")
def test_section_counts(story):
    assert len(story.key_facts) >= 4
    assert len(story.quotes) >= 4
    assert len(story.reactions) >= 3
    assert len(story.whats_next) >= 3


def test_the_most_newsworthy_statements_are_quoted_with_their_speakers(story):
    """Issue 13: the invitation statement, Kim's words that three outlets carry and the State Department's
    warning come first; one-outlet asides and the fragment 'at least limit ...' only after them."""
    said = {q.speaker for q in story.quotes}
    texts = " ".join(q.text for q in story.quotes)
    assert "accepted the invitation with pleasure" in texts and "KCNA" in said
    (kim,) = [q for q in story.quotes if "sacred struggle" in q.text]
    assert kim.speaker == "Kim Jong-un" and len(kim.sources) == 3
    (warning,) = [q for q in story.quotes if "will not hesitate" in q.text]
    assert warning.speaker == "US State Department" and warning.in_sentence
    assert "at least limit their ability" not in texts


def test_every_quote_has_its_speaker(story):
    for quote in story.quotes:
        expected = [who for start, who in SPEAKERS.items() if quote.text.startswith(start)]
        assert expected, f"unexpected quote {quote.text[:50]!r}"
        assert quote.speaker == expected[0], quote.text


def test_agency_statement_printed_by_four_outlets_appears_once_with_the_agency(built, story):
    markdown = render_markdown(built[0].briefing, built[1])
    assert markdown.count("accepted the invitation with pleasure") == 1
    (quote,) = [q for q in story.quotes if "with pleasure" in q.text]
    assert quote.speaker == "KCNA" and len(quote.sources) == 4


def test_reactions_name_the_us_and_south_korea(story):
    actors = " ".join(r.actor for r in story.reactions)
    assert "United States" in actors and "South Korea" in actors


def test_whats_next_has_the_announced_visits_with_timing(story):
    whens = {e.when for e in story.whats_next}
    assert "on Thursday" in whens and "next month" in whens
    assert any(e.when in {"no date set", "at a convenient time"} for e in story.whats_next)
    dated = [e.date for e in story.whats_next if e.date]
    assert dated == sorted(dated) and "2023-09-14" in dated


def test_a_real_disagreement_is_shown(story):
    assert story.disagreements
    for d in story.disagreements:
        assert len(d.versions) >= 2
        assert len({v.text for v in d.versions}) == len(d.versions)


def test_no_boilerplate_and_no_item_twice(built, story):
    briefing = built[0].briefing
    markdown = render_markdown(briefing, built[1]).lower()
    for cue in ("sign up", "opens in new window", "getty", "alternate addresses", "read more", "search trends"):
        assert cue not in markdown
    texts = [normalise(story.summary)] + [
        normalise(i.text) for i in story.items() if hasattr(i, "text")]
    assert len(texts) == len(set(texts))
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert a not in b and b not in a


def test_names_every_outlet_it_used(built, story):
    listed = {s.id for s in built[0].briefing.sources}
    cited = {s for item in story.items() for s in getattr(item, "sources", ())}
    cited |= {s for d in story.disagreements for v in d.versions for s in v.sources}
    assert cited <= listed
    assert all(built[0].briefing.source(s).outlet for s in cited)


def test_explain_shows_why_each_version_was_chosen(built):
    stories = explain_build(built[0], built[1], NOW)
    clusters = stories[0].clusters
    assert clusters and all(c.version_reason for c in clusters)
    kept = [c for c in clusters if c.fate == "kept"]
    assert {c.section for c in kept} >= {"summary", "key_facts", "quotes", "reactions", "whats_next"}
    assert any(len(c.members) > 1 and "covers" in c.version_reason for c in kept)
    assert stories[0].dropped and all(d.reason for d in stories[0].dropped)


def test_explain_command_and_ics_output(tmp_path):
    from click.testing import CliRunner

    from digest.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["explain", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "why this version" in result.output and "dropped paragraphs" in result.output
    result = runner.invoke(cli, ["run", str(SEEDS), "--out", str(tmp_path), "--format", "ics", "-q"])
    assert result.exit_code == 0, result.output
    ics = (tmp_path / "briefing.ics").read_text()
    assert ics.count("BEGIN:VEVENT") >= 1
