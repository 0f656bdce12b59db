"""Articles into stories: average linkage over the sparse graph of close article pairs, then two events of
one story cut apart and members resting on one name detached (see ``group_stories``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from digest.cluster import linkage
from digest.cluster.linkage import _close_pairs, _component_groups, _components, _grams, _join_rows, _small_linkage
from digest.cluster.offstory import _off_story_reasons
from digest.cluster.terms import _fit_story_terms, _grouping_matrix, _read_documents, _read_with_forms
from digest.models import CleanArticle, Dropped, Story
from digest.settings import Settings
from digest.similarity import Progress

if TYPE_CHECKING:
    from digest.clean.shared import TextForms

STAGE = "cluster"

# Never strip more than this share of an article's paragraphs: then the article, not the paragraph, is odd.
MAX_DROPPED_SHARE = 0.34

# A story of two events on one topic (two searches for one plane, two wars in one place): after the
# linkage, a story's own average-linkage tree is read from the top, and a node is cut in two when each
# side holds at least EVENT_MIN_ARTICLES articles and the mean similarity across the sides is below
# EVENT_RATIO times the mean similarity inside the looser side. Articles of one event resemble each
# other more than the other event's; single articles that joined loosely are left alone (no inside to
# compare with). Stories larger than EVENT_CHECK_MAX_ARTICLES are not checked (their similarities,
# 8 bytes a pair, would be held at once).
EVENT_RATIO = 0.6

EVENT_MIN_ARTICLES = 2

EVENT_CHECK_MAX_ARTICLES = 2000

# A story member must share at least this many distinct content words (kept terms of one word) with some
# other member: a link resting on one name ("Mar-a-Lago" is two words, "Kim Jong Un" three) is a coincidence,
# most often a fragment of a few lines that happens to name a place or a person of another story. Articles
# of one event share far more (on the development sets every true pair above the cut shares 4 or more).
MIN_LINK_WORDS = 4



def group_stories(
    articles: Sequence[CleanArticle], settings: Settings, progress: Progress | None = None,
    keep: int | None = None, forms: TextForms | None = None,
) -> list[Story]:
    """Group articles into stories, most outlets first; move off-story paragraphs to ``Story.off_story``.

    Deterministic: articles are handled in order of their id, stories are ordered
    by distinct outlets, then articles, then their first article id, and named
    ``story-1``, ``story-2``, ... in that order. A single-outlet story is kept.
    With ``keep``, only the first ``keep`` stories are returned, and only their
    paragraphs are checked (against every story found), so a run that briefs 12
    stories of thousands does not judge the paragraphs of the others. ``forms``: the
    paragraphs' normal forms and name words, when the caller has them (``clean.text_forms``).
    """
    ordered = sorted(articles, key=lambda a: a.article.id)
    if not ordered:
        return []
    documents = [_article_text(a) for a in ordered]
    read = _read_documents(documents) if forms is None else _read_with_forms(ordered, documents, forms)
    vectorizer, matrix, counts, lede = _fit_story_terms(documents, read)
    grouping = _grouping_matrix(documents, vectorizer, matrix, counts, lede, [names for _, _, names in read])
    labels = story_labels(grouping, settings.story_threshold)
    if counts is not None:
        labels = detach_thin_links(_word_presence(counts, vectorizer.vocabulary), labels)
    labels = split_events(grouping, labels)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)

    def outlet_count(members: list[int]) -> int:
        return len({ordered[i].article.outlet or ordered[i].article.id for i in members})

    story_members = sorted(
        groups.values(), key=lambda m: (-outlet_count(m), -len(m), ordered[m[0]].article.id)
    )
    story_of = np.empty(len(ordered), dtype=np.int64)
    for number, members in enumerate(story_members):
        story_of[members] = number
    kept = story_members if keep is None else story_members[: max(keep, 0)]
    judged = [index for members in kept for index in members]
    reasons = _off_story_reasons(ordered, matrix, story_of, story_members, vectorizer, judged)
    stories: list[Story] = []
    for number, members in enumerate(story_members):
        if number >= len(kept):
            if progress is not None:
                progress(number + 1, len(story_members))
            continue
        kept_articles: list[CleanArticle] = []
        off_story: list[Dropped] = []
        for index in members:
            article = ordered[index]
            dropped = [Dropped(p, reasons[(index, row)], STAGE) for row, p in enumerate(article.paragraphs) if (index, row) in reasons]
            # Never strip most of an article: then the article, not the paragraph, is odd; keep it whole.
            if dropped and len(dropped) <= MAX_DROPPED_SHARE * len(article.paragraphs):
                gone = {d.paragraph for d in dropped}
                article = replace(article, paragraphs=tuple(p for p in article.paragraphs if p not in gone))
                off_story.extend(dropped)
            kept_articles.append(article)
        stories.append(Story(f"story-{number + 1}", tuple(kept_articles), tuple(off_story)))
        if progress is not None:
            progress(number + 1, len(story_members))
    return stories



def story_labels(matrix, threshold: float) -> np.ndarray:
    """Story label per row of an L2-normalised TF-IDF matrix: average linkage on cosine distance.

    Clusters merge while their mean distance (1 - cosine) is below ``1 - threshold``.
    Such a merge needs at least one pair of articles closer than that, so no story
    spans two connected components of the sparse graph of pairs above ``threshold``:
    the linkage runs per component, on that component's distances alone, and memory
    grows with the largest component, not with the square of the input.
    """
    n = matrix.shape[0]
    labels = np.arange(n, dtype=np.int64)
    if n == 1:
        return labels
    cut = 1.0 - threshold
    left, right = _close_pairs(matrix, cut)
    small: list[np.ndarray] = []
    for component in _components(n, left, right):
        if len(component) == 2:
            labels[component[1]] = labels[component[0]]
        elif 2 < len(component) <= linkage.SMALL_LINKAGE:
            small.append(np.asarray(component))
        elif len(component) > linkage.SMALL_LINKAGE:
            for group in _component_groups(matrix, np.asarray(component), cut, cut):
                labels[group] = labels[group[0]]
    # A busy day has thousands of components of a few articles: their similarities are worked out together.
    for members, similarity in zip(small, _grams(matrix, small)):
        for group in _small_linkage(similarity, cut):
            labels[members[group]] = members[group[0]]
    return labels



def split_events(matrix, labels: np.ndarray) -> np.ndarray:
    """Labels with each story of two distinct events cut apart (see ``EVENT_RATIO``); a new label is above
    every row number and every label given. ``matrix`` holds the articles' unit rows, as ``story_labels`` was given them."""
    out = np.asarray(labels, dtype=np.int64).copy()
    next_label = max(len(out), int(out.max(initial=-1)) + 1)
    order = np.argsort(out, kind="stable")
    bounds = np.flatnonzero(np.diff(out[order])) + 1
    checked = [m for m in np.split(order, bounds) if 2 * EVENT_MIN_ARTICLES <= len(m) <= EVENT_CHECK_MAX_ARTICLES]
    for members, similarity in zip(checked, _grams(matrix, checked)):
        for part in _event_parts(similarity)[1:]:
            out[members[part]] = next_label
            next_label += 1
    return out



def detach_thin_links(presence, labels: np.ndarray) -> np.ndarray:
    """Labels with each story member that shares fewer than ``MIN_LINK_WORDS`` distinct words with every
    other member of its story given a label of its own (above every row number).

    ``presence`` is the articles x words 0/1 matrix (sparse) in the rows' order. Stories larger than
    ``EVENT_CHECK_MAX_ARTICLES`` are left as they are (their counts, 8 bytes a pair, would be held at once).
    """
    out = np.asarray(labels, dtype=np.int64).copy()
    next_label = max(len(out), int(out.max(initial=-1)) + 1)
    order = np.argsort(out, kind="stable")
    bounds = np.flatnonzero(np.diff(out[order])) + 1
    checked = [m for m in np.split(order, bounds) if 2 <= len(m) <= EVENT_CHECK_MAX_ARTICLES]
    for members, shared in zip(checked, _grams(presence, checked)):
        np.fill_diagonal(shared, 0)
        for row in np.flatnonzero(shared.max(axis=1) < MIN_LINK_WORDS):
            out[members[row]] = next_label
            next_label += 1
    return out



def _word_presence(counts, vocabulary: dict[str, int]):
    """The articles x one-word terms 0/1 matrix of a documents x terms count matrix (pairs left out)."""
    single = np.array(sorted(column for term, column in vocabulary.items() if " " not in term), dtype=np.int64)
    presence = counts.tocsc()[:, single].tocsr()
    presence.data = np.ones_like(presence.data)
    return presence



def _event_parts(similarity: np.ndarray) -> list[np.ndarray]:
    """The articles of one story (rows of their dense cosine similarity) grouped by event, read top-down
    from their average-linkage tree; one part when no node is cut."""
    m = len(similarity)
    children = _average_tree(similarity)
    members: dict[int, np.ndarray] = {k: np.array([k]) for k in range(m)}
    for node, (a, b) in enumerate(children, start=m):
        members[node] = np.concatenate([members[a], members[b]])

    def mean_inside(rows: np.ndarray) -> float:
        block = similarity[np.ix_(rows, rows)]
        return float(block.sum() - np.trace(block)) / (len(rows) * (len(rows) - 1))

    parts: list[np.ndarray] = []
    stack = [2 * m - 2]
    while stack:
        node = stack.pop()
        if node >= m:
            a, b = children[node - m]
            left, right = members[a], members[b]
            if min(len(left), len(right)) >= EVENT_MIN_ARTICLES:
                across = float(similarity[np.ix_(left, right)].mean())
                if across < EVENT_RATIO * min(mean_inside(left), mean_inside(right)):
                    stack.extend([b, a])
                    continue
        parts.append(np.sort(members[node]))
    return parts



def _average_tree(similarity: np.ndarray) -> list[tuple[int, int]]:
    """Average-linkage merges of ``similarity``'s rows to the root, in scipy's numbering: merge k joins
    nodes a and b into node m + k (nodes below m are the rows)."""
    m = len(similarity)
    if m > linkage.SMALL_LINKAGE:
        from scipy.cluster.hierarchy import linkage as scipy_linkage
        from scipy.spatial.distance import squareform

        distance = np.clip(1.0 - similarity, 0.0, 2.0)
        np.fill_diagonal(distance, 0.0)
        tree = scipy_linkage(squareform(distance, checks=False), method="average")
        return [(int(a), int(b)) for a, b, _, _ in tree]
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, np.inf)
    sizes = np.ones(m)
    node = list(range(m))
    merges: list[tuple[int, int]] = []
    for step in range(m - 1):
        i, j = divmod(int(distance.argmin()), m)
        i, j = min(i, j), max(i, j)
        _join_rows(distance, sizes, i, j)
        merges.append((node[i], node[j]))
        node[i] = m + step
    return merges



def _article_text(article: CleanArticle) -> str:
    title = article.article.title or ""
    return "\n".join([title, *(p.text for p in article.paragraphs)])

