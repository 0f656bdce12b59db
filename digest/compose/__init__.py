"""Compose stage: from a story's selected versions to its briefing, and from the stories to the Briefing.

``compose_story`` fills one story's sections (summary, key facts, quotes, reactions, what's
next, disagreements) within the word budget; ``plan_story`` does the same and also returns
every decision taken, for ``digest explain``. ``compose_briefing`` assembles the stories and
the list of sources. ``plan`` tells the steps; ``context`` (ranking), ``candidates`` (sections)
and ``budget`` (filling) tell how each works.

The modules beside this one each hold one part of reading a story: ``quotes`` (direct
quotations and their speakers), ``actors`` (names, roles, countries), ``events`` (announced
future events and their dates) and ``disagree`` (where outlets report a fact differently).
"""

from __future__ import annotations

from datetime import datetime
from typing import Sequence

from digest.compose.plan import Decision, StoryPlan, plan_story
from digest.models import Briefing, Selection, SourceRef, Story, StoryBrief
from digest.settings import Settings

__all__ = ["Decision", "StoryPlan", "compose_briefing", "compose_story", "plan_story"]


def compose_story(story: Story, selections: Sequence[Selection], settings: Settings, now: datetime) -> StoryBrief:
    """Fill one story's sections from its selections (see ``digest.compose.plan``)."""
    return plan_story(story, selections, settings, now).brief


def compose_briefing(stories: Sequence[Story], briefs: Sequence[StoryBrief], settings: Settings,
                     now: datetime) -> Briefing:
    """Assemble the Briefing: its stories and the list of every source used."""
    sources = []
    for story in stories:
        # Within a story, sources are listed in the order the user gave them (file or URL order).
        for clean in sorted(story.articles, key=lambda c: (c.article.path or c.article.url or "", c.article.id)):
            a = clean.article
            sources.append(SourceRef(a.id, a.outlet, a.title, a.url, a.published, a.path))
    return Briefing(settings.title, now.isoformat(timespec="seconds"), tuple(sources), tuple(briefs))
