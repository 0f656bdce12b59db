"""Cluster stage (first version: one story, greedy near-duplicate grouping)."""

from __future__ import annotations

from typing import Sequence

from rapidfuzz import fuzz

from digest.models import CleanArticle, Cluster, Story
from digest.settings import Settings
from digest.textutil import normalise_for_compare


def group_stories(articles: Sequence[CleanArticle], settings: Settings) -> list[Story]:
    """Put every article in one story (placeholder until story grouping lands)."""
    if not articles:
        return []
    return [Story("story-1", tuple(sorted(articles, key=lambda a: a.article.id)))]


def cluster_paragraphs(story: Story, settings: Settings) -> list[Cluster]:
    """Greedy near-duplicate clusters: each paragraph joins the first cluster whose seed it matches."""
    paragraphs = sorted(story.paragraphs, key=lambda p: (p.article_id, p.position))
    keys = [normalise_for_compare(p.text) for p in paragraphs]
    groups: list[list[int]] = []
    for i, key in enumerate(keys):
        for group in groups:
            seed = keys[group[0]]
            if fuzz.token_set_ratio(key, seed) >= settings.near_duplicate_cutoff:
                group.append(i)
                break
        else:
            groups.append([i])
    return [Cluster(f"{story.id}-c{n + 1}", tuple(paragraphs[i] for i in g)) for n, g in enumerate(groups)]
