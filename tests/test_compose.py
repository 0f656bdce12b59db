"""Composing a story's briefing from hand-built articles (no seed text)."""

from datetime import datetime, timezone

from digest.compose import compose_story, plan_story
from digest.models import Article, CleanArticle, Cluster, Paragraph, Story
from digest.select import select_versions
from digest.settings import Settings
from digest.textutil import words

NOW = datetime(2024, 5, 8, 12, 0, tzinfo=timezone.utc)

ARTICLES = {
    "a": ("Daily Post", "Vandoria and Kestria sign water-sharing pact", [
        "Vandoria and Kestria signed a water-sharing pact on Tuesday after two days of talks in the border town of Ellis.",
        "The pact divides the flow of the Aron river between the two countries for the next 20 years.",
        '"This agreement ends a dispute that has poisoned our relations for a generation," Vandorian President Mira Castell said.',
        '"It is a fair deal for farmers on both banks," she added.',
        "The Lusitanian foreign ministry welcomed the deal and offered to monitor the river flow.",
        "The two leaders will meet again in Ellis on Friday to open the first shared pumping station.",
    ]),
    "b": ("Evening Star", "Water pact signed by Vandoria and Kestria", [
        "Vandoria and Kestria signed a water-sharing pact on Tuesday after two days of talks in Ellis.",
        '"This agreement ends a dispute that has poisoned our relations for a generation," President Mira Castell said.',
        "Environmental groups said the pact ignores the river's collapsing fish stocks.",
        "The talks lasted three days, according to officials in Ellis.",
        "Parliament in Kestria must approve the pact by June 30, officials said.",
    ]),
    "c": ("Evening Star", "Vandoria, Kestria agree on river", [  # wire copy: the same outlet again
        "Vandoria and Kestria signed a water-sharing pact on Tuesday after two days of talks in Ellis.",
        "The two leaders will meet again in Ellis on Friday to open the first shared pumping station.",
    ]),
}


def story() -> Story:
    cleaned = []
    for aid, (outlet, title, paragraphs) in ARTICLES.items():
        article = Article(aid, "\n\n".join(paragraphs), title=title, outlet=outlet, published="2024-05-08")
        cleaned.append(CleanArticle(article, tuple(Paragraph(aid, i, t) for i, t in enumerate(paragraphs))))
    return Story("story-1", tuple(cleaned))


def build(words_per_story: int = 450):
    s = story()
    settings = Settings(words_per_story=words_per_story)
    clusters = [Cluster(f"story-1-c{i}", (p,)) for i, p in enumerate(s.paragraphs)]
    selections = select_versions(clusters, settings)
    return s, selections, settings


def test_sections_are_filled_and_nothing_appears_twice():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    texts = [brief.summary] + [getattr(i, "text") for i in brief.items() if hasattr(i, "text")]
    assert len(texts) == len(set(texts))
    assert "signed a water-sharing pact" in brief.summary
    assert not any("signed a water-sharing pact" in f.text for f in brief.key_facts)


def test_quote_merged_across_outlets_with_speaker_and_pronoun_resolution():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    ends = [q for q in brief.quotes if q.text.startswith("This agreement ends a dispute")]
    assert len(ends) == 1 and ends[0].speaker == "Mira Castell" and set(ends[0].sources) == {"a", "b"}
    fair = [q for q in brief.quotes if q.text.startswith("It is a fair deal")]
    assert fair and fair[0].speaker == "Mira Castell"


def test_third_party_is_a_reaction_with_actor_named():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    actors = [r.actor for r in brief.reactions]
    assert any("Lusitanian" in a or "ministry" in a.lower() for a in actors), actors


def test_whats_next_resolves_dates_and_orders_them():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    dates = [e.date for e in brief.whats_next if e.date]
    assert "2024-05-10" in dates  # "on Friday" after Wednesday 8 May
    assert dates == sorted(dates)
    friday = next(e for e in brief.whats_next if e.date == "2024-05-10")
    assert set(friday.sources) == {"a", "c"}


def test_disagreement_on_duration_is_found():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    assert any({"a", "b"} & set(v.sources) for d in brief.disagreements for v in d.versions)
    assert any("three days" in v.text for d in brief.disagreements for v in d.versions)


def test_word_budget_is_respected():
    s, selections, settings = build(words_per_story=80)
    brief = compose_story(s, selections, settings, NOW)
    shown = [brief.headline, brief.summary] + [i.text for i in brief.key_facts] + [q.text for q in brief.quotes]
    shown += [r.actor + " " + r.text for r in brief.reactions] + [(e.when or "") + " " + e.text for e in brief.whats_next]
    shown += [d.topic + " " + " ".join(v.text for v in d.versions) for d in brief.disagreements]
    assert sum(len(words(t)) for t in shown) <= 80 + 10  # speakers' names are small change


def test_wire_copy_counts_once_per_outlet():
    s, selections, settings = build()
    plan = plan_story(s, selections, settings, NOW)
    lede = next(d for d in plan.decisions if d.section == "summary")
    assert set(lede.sources) == {"a", "b", "c"}


def test_headline_is_a_shared_title():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    assert brief.headline in {t for _, t, _ in ARTICLES.values()}


def test_explain_decisions_cover_every_selection():
    s, selections, settings = build()
    plan = plan_story(s, selections, settings, NOW)
    keys = {d.key for d in plan.decisions}
    assert {sel.cluster.id for sel in selections} <= keys
    assert all(d.version_reason for d in plan.decisions)
