"""Select stage: keep the most informative member of each cluster, with every source carrying it."""

from __future__ import annotations

from typing import Sequence

from digest.models import Cluster, Selection
from digest.settings import Settings
from digest.textutil import content_words


def select_versions(clusters: Sequence[Cluster], settings: Settings) -> list[Selection]:
    """One Selection per cluster: the member covering most of the cluster's content words."""
    selections = []
    for cluster in clusters:
        union = {w for m in cluster.members for w in content_words(m.text)}
        best = max(cluster.members, key=lambda m: (len(union & set(content_words(m.text))), -m.position))
        selections.append(Selection(cluster, best, cluster.article_ids, "covers most of the cluster's words"))
    return selections
