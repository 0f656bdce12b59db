"""Compose stage (first version): rank selections and fill the briefing's sections."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Sequence

from digest.models import Briefing, Fact, Quote, Selection, SourceRef, Story, StoryBrief
from digest.settings import Settings
from digest.textutil import words

_QUOTE = re.compile(r"[\"“]([^\"“”]{12,}?)[,.]?[\"”]\s*,?\s*([A-Z][\w .'-]{2,60}?) (?:said|added|told)")


def compose_story(story: Story, selections: Sequence[Selection], settings: Settings, now: datetime) -> StoryBrief:
    """Fill one story's sections from its selections, most-supported first, within the word budget."""
    ranked = sorted(selections, key=lambda s: (-len(s.sources), s.chosen.position, s.cluster.id))
    facts: list[Fact] = []
    quotes: list[Quote] = []
    budget = settings.words_per_story
    for sel in ranked:
        m = _QUOTE.search(sel.chosen.text)
        if m:
            quotes.append(Quote(m.group(1), m.group(2).strip(), sel.chosen.text, sel.sources))
        else:
            facts.append(Fact(sel.chosen.text, sel.sources))
        budget -= len(words(sel.chosen.text))
        if budget <= 0:
            break
    titles = [a.article.title for a in story.articles if a.article.title]
    headline = titles[0] if titles else (facts[0].text if facts else story.id)
    return StoryBrief(
        headline=headline,
        summary=facts[0].text if facts else "",
        sources=tuple(a.article.id for a in story.articles),
        key_facts=tuple(facts[1:]),
        quotes=tuple(quotes),
        single_outlet=len(story.outlets) == 1,
    )


def compose_briefing(stories: Sequence[Story], briefs: Sequence[StoryBrief], settings: Settings, now: datetime) -> Briefing:
    """Assemble the Briefing: its stories and the list of every source used."""
    sources = []
    for story in stories:
        for clean in story.articles:
            a = clean.article
            sources.append(SourceRef(a.id, a.outlet, a.title, a.url, a.published, a.path))
    return Briefing(settings.title, now.isoformat(timespec="seconds"), tuple(sources), tuple(briefs))
