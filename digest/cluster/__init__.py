"""Cluster stage: articles into stories, then a story's paragraphs into near-duplicates.

Stories: articles are compared by TF-IDF over their content words and adjacent
content-word pairs that at least two articles share (cosine), and
grouped by average-linkage agglomerative clustering cut at
``1 - settings.story_threshold``. Average linkage does not chain two stories
through one article that mentions both; a story that then holds two events of one
topic (each closer inside than across, see ``split_events``) is cut in two. It runs per connected component of the
sparse graph of article pairs above the cut, so memory follows the input and its
largest component, not the square of the input; TF-IDF is computed here with
numpy and scipy.sparse (the same numbers scikit-learn's vectorizer gives, without
its import time). Paragraphs that are about another story of the input, or that
share no topic words with the rest of their story, move to ``Story.off_story``;
that check is sparse too, paragraphs x stories.

Near-duplicates: see ``cluster_paragraphs`` and ``digest.similarity``.
Library code: no printing; long work reports through an optional ``progress``.

The stage's parts, by name: ``stories`` (``group_stories``: linkage, events, thin links), ``terms`` (the
TF-IDF of story terms), ``linkage`` (average linkage over the sparse graph of close pairs), ``offstory``
(paragraphs about another story) and ``paragraphs`` (``cluster_paragraphs``: near-duplicates).
"""

from digest.cluster.paragraphs import cluster_paragraphs
from digest.cluster.stories import STAGE, detach_thin_links, group_stories, split_events, story_labels
from digest.cluster.terms import story_terms

__all__ = ["STAGE", "cluster_paragraphs", "detach_thin_links", "group_stories", "split_events", "story_labels", "story_terms"]
