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
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from digest import workers
from digest.models import CleanArticle, Cluster, Dropped, Paragraph, Story
from digest.settings import Settings
from digest.similarity import Prepared, Progress, candidate_pairs, near_duplicate_arrays, verify_pairs
from digest.text import STOP_WORDS, content_words, name_words, normalise_uncached, split_sentences

if TYPE_CHECKING:
    from digest.clean.shared import TextForms

STAGE = "cluster"
# A paragraph leaves its story when another story of the input fits it this well ...
OTHER_STORY_MIN_SIMILARITY = 0.2
# ... and at least this many times better than its own story, sharing at least this many terms with it.
OTHER_STORY_MARGIN = 2.0
OTHER_STORY_MIN_TERMS = 3
# A paragraph with no topic link to its story: similarity to it below this ...
UNRELATED_MAX_SIMILARITY = 0.01
# ... judged only when the paragraph has this many content words and the story this many other articles.
UNRELATED_MIN_WORDS = 6
UNRELATED_MIN_OTHER_ARTICLES = 2
# Never strip more than this share of an article's paragraphs: then the article, not the paragraph, is odd.
MAX_DROPPED_SHARE = 0.34
# Story grouping weighs a term up to this many times more when all its words are names in the article
# (capitalised inside a sentence): events are told apart by who and where, less by common words.
# The full weight goes to a name held by two articles of the input; a name held by many (a president,
# a country) gets less, by its idf relative to the input: 1 + (NAME_WEIGHT - 1) * specificity ** this.
NAME_WEIGHT = 2.5
NAME_SPECIFICITY_POWER = 2
# ... and counts the terms of the article's first lines (title and lede) once more: the lede says what
# happened, later paragraphs add background shared with other stories of the same topic.
LEDE_LINES = 3
# Story linkage: cells of a similarity block computed at once (bounds memory, not the result) ...
_PAIR_BLOCK_CELLS = 4_000_000
# ... the largest connected component linked exactly (its condensed distances: 8 bytes a pair) ...
LINKAGE_MAX_ARTICLES = 6000
# ... how much stricter the graph gets, step by step, to cut a larger one ...
SPLIT_STEP = 0.05
# ... and components this small are linked in numpy, without importing scipy's hierarchy.
SMALL_LINKAGE = 48
# Close pairs of many articles: terms held by at least this many rows are left out of the first search
# (see _close_pairs) ...
COMMON_MIN_ROWS = 100
# ... doubled while more than this share of the rows would be heavy (see _close_pairs) ...
HEAVY_MAX_SHARE = 0.05
# ... which inputs of fewer rows skip (their product of all rows is cheap) ...
SPLIT_PAIRS_MIN_ROWS = 2000
# ... a bound this much below the cut still makes a pair a candidate (float error is ~1e-15) ...
_BOUND_MARGIN = 1e-6
# ... and candidate pairs scored exactly at once (each copies both rows: bounds memory, not the result).
_EXACT_PAIRS_CHUNK = 8192
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
# Story grouping reads documents (normalised words, names) in worker processes from this many on: a
# pure function per document, whose pool costs more than it saves for fewer; documents sent at once.
POOL_MIN_DOCUMENTS = 2000
_POOL_CHUNK = 64
# Sentences shorter than this stay attached to their neighbour when a paragraph is split.
MIN_SENTENCE_WORDS = 5
# Look-ups of at least this many values into a sorted array are sorted first (see _sorted_holds).
_SORTED_SEARCH_MIN = 100_000


# --- stories ------------------------------------------------------------------


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
        elif 2 < len(component) <= SMALL_LINKAGE:
            small.append(np.asarray(component))
        elif len(component) > SMALL_LINKAGE:
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
    if m > SMALL_LINKAGE:
        from scipy.cluster.hierarchy import linkage
        from scipy.spatial.distance import squareform

        distance = np.clip(1.0 - similarity, 0.0, 2.0)
        np.fill_diagonal(distance, 0.0)
        tree = linkage(squareform(distance, checks=False), method="average")
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


def _close_pairs(matrix, cut: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of rows whose cosine distance is below ``cut``: the pairs ``_all_close_pairs`` finds.

    Terms held by many rows (``COMMON_MIN_ROWS``) make the product of all rows nearly dense, so pairs are
    first sought by the other terms alone. A row's common terms add at most the product of the two rows'
    norms over them (Cauchy-Schwarz), so a pair whose similarity by the other terms plus that bound is
    below the cut cannot be close. The rest are scored exactly; rows carrying so much common weight that
    two of them could be close on common terms alone are multiplied with every row, as before. Every
    similarity compared with the cut is summed term by term in column order, as the product of all rows
    sums it, so the pairs are the same to the last bit, not merely near.
    """
    matrix = matrix.tocsr()
    n = matrix.shape[0]
    need = 1.0 - cut
    floor = need - _BOUND_MARGIN
    if n < SPLIT_PAIRS_MIN_ROWS or floor <= 0.0 or not matrix.has_sorted_indices:
        return _all_close_pairs(matrix, cut)
    from scipy import sparse

    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    entry_row = np.repeat(np.arange(n), np.diff(matrix.indptr))
    squares = matrix.data * matrix.data
    common_min = COMMON_MIN_ROWS
    while True:
        common = frequency >= common_min
        entry_common = common[matrix.indices]
        common_norm = np.sqrt(np.bincount(entry_row, weights=np.where(entry_common, squares, 0.0), minlength=n))
        # Two light rows share less than floor on common terms: they are close only through another term.
        heavy = common_norm * common_norm >= floor
        # Heavy rows are multiplied with every row. On a big day of many stories on a few topics, thousands
        # of terms are held by COMMON_MIN_ROWS rows, and a third of the rows were heavy (50,000 articles: 97 s
        # here); fewer terms are common then (the same pairs: any split of the terms gives them).
        if heavy.sum() <= HEAVY_MAX_SHARE * n or common_min > n:
            break
        common_min *= 2
    left, right = [], []
    heavy_rows = np.flatnonzero(heavy)
    if len(heavy_rows):
        transposed = matrix.T.tocsr()
        step = max(1, _PAIR_BLOCK_CELLS // max(1, n))
        for start in range(0, len(heavy_rows), step):
            rows_here = heavy_rows[start : start + step]
            block = (matrix[rows_here] @ transposed).tocoo()
            rows = rows_here[block.row]
            close = (rows != block.col) & (np.clip(1.0 - block.data, 0.0, 2.0) < cut)
            a, b = rows[close], block.col[close].astype(np.int64)
            # A pair of two heavy rows is found from both sides: keep it once.
            once = ~heavy[b] | (a < b)
            left.append(np.minimum(a, b)[once])
            right.append(np.maximum(a, b)[once])
    rare = ~entry_common
    rare_indptr = np.concatenate([[0], np.cumsum(np.bincount(entry_row[rare], minlength=n))])
    other = sparse.csr_matrix((matrix.data[rare], matrix.indices[rare], rare_indptr), shape=matrix.shape)
    other_transposed = other.T.tocsr()
    step = max(1, _PAIR_BLOCK_CELLS // max(1, n))
    candidates_left, candidates_right = [], []
    for start in range(0, n, step):
        block = (other[start : start + step] @ other_transposed).tocoo()
        rows = block.row.astype(np.int64) + start
        cols = block.col.astype(np.int64)
        bound = block.data + common_norm[rows] * common_norm[cols]
        maybe = (rows < cols) & ~heavy[rows] & ~heavy[cols] & (bound >= floor)
        candidates_left.append(rows[maybe])
        candidates_right.append(cols[maybe])
    a, b = np.concatenate(candidates_left), np.concatenate(candidates_right)
    close = np.clip(1.0 - _pair_products(matrix, a, b), 0.0, 2.0) < cut
    left.append(a[close])
    right.append(b[close])
    if not left:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    left_all, right_all = np.concatenate(left), np.concatenate(right)
    order = np.lexsort((right_all, left_all))
    return left_all[order], right_all[order]


def _all_close_pairs(matrix, cut: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of rows whose cosine distance is below ``cut``, by the product of all rows, row blocks at a time."""
    left, right = [], []
    transposed = matrix.T.tocsr()
    step = max(1, _PAIR_BLOCK_CELLS // max(1, matrix.shape[0]))
    for start in range(0, matrix.shape[0], step):
        block = (matrix[start : start + step] @ transposed).tocoo()
        rows = block.row + start
        close = (rows < block.col) & (np.clip(1.0 - block.data, 0.0, 2.0) < cut)
        left.append(rows[close])
        right.append(block.col[close])
    return np.concatenate(left), np.concatenate(right)


def _narrow(sub):
    """``sub`` (CSR) with only the columns its rows use, renumbered in the same order: its products have the
    same values, added in the same order, without a pass over every column of a wide vocabulary."""
    from scipy import sparse

    indices = sub.indices[: sub.indptr[-1]]
    used = _sorted_unique(indices)
    local = np.searchsorted(used, indices).astype(np.int32)
    return sparse.csr_matrix((sub.data[: sub.indptr[-1]], local, sub.indptr.copy()), shape=(sub.shape[0], len(used)))


def _gram(sub) -> np.ndarray:
    """Dense ``sub @ sub.T`` of a few rows of a CSR matrix (the same numbers, see ``_narrow``)."""
    narrow = _narrow(sub.tocsr())
    return (narrow @ narrow.T).toarray()


def _grams(matrix, groups: list[np.ndarray]) -> list[np.ndarray]:
    """``_gram(matrix[members])`` of each group of rows, bit for bit: groups of up to ``SMALL_LINKAGE`` rows
    have their pairs scored together, a batch at a time (a gram of a few rows costs scipy's per-call work,
    not arithmetic), larger ones one by one."""
    out: list[np.ndarray | None] = [None] * len(groups)
    small = [k for k, members in enumerate(groups) if len(members) <= SMALL_LINKAGE]
    for k, members in enumerate(groups):
        if len(members) > SMALL_LINKAGE:
            out[k] = _gram(matrix[members])
    if small:
        matrix = matrix.tocsr()
        # Each group's upper triangle, diagonal included, as pairs of rows of the matrix.
        triangles = [np.triu_indices(len(groups[k])) for k in small]
        first = np.concatenate([groups[k][a] for k, (a, _) in zip(small, triangles)]).astype(np.int64)
        second = np.concatenate([groups[k][b] for k, (_, b) in zip(small, triangles)]).astype(np.int64)
        scores = _pair_products(matrix, first, second)
        at = 0
        for k, (a, b) in zip(small, triangles):
            m = len(groups[k])
            gram = np.empty((m, m))
            gram[a, b] = gram[b, a] = scores[at : at + len(a)]
            out[k] = gram
            at += len(a)
    return out  # type: ignore[return-value]


def _pair_products(matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``matrix[first[k]] . matrix[second[k]]`` for each k: the two rows' shared terms multiplied and added in
    column order, as the product of all rows adds them (the same bits), ``_EXACT_PAIRS_CHUNK`` pairs at once."""
    ones = np.ones(matrix.shape[1])
    out = np.empty(len(first))
    for start in range(0, len(first), _EXACT_PAIRS_CHUNK):
        i, j = first[start : start + _EXACT_PAIRS_CHUNK], second[start : start + _EXACT_PAIRS_CHUNK]
        out[start : start + len(i)] = matrix[i].multiply(matrix[j]).tocsr() @ ones
    return out


def _components(n: int, left: np.ndarray, right: np.ndarray) -> list[list[int]]:
    """Connected components of the graph on ``n`` nodes with edges ``left[k]``-``right[k]``, each sorted."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(left.tolist(), right.tolist()):
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(root(i), []).append(i)
    return list(members.values())


def _component_groups(matrix, members: np.ndarray, cut: float, split_cut: float) -> list[np.ndarray]:
    """Average-linkage groups (arrays of row numbers of ``matrix``) of one connected component.

    A component too large for its distances to be held (``LINKAGE_MAX_ARTICLES``) is first cut
    into the components of a stricter graph: the only case where stories may differ from
    exact average linkage, and only inside such a component.
    """
    if len(members) <= LINKAGE_MAX_ARTICLES:
        sub = matrix[members]
        local = _small_linkage(_gram(sub), cut) if len(members) <= SMALL_LINKAGE else _scipy_linkage(sub, cut)
        return [members[g] for g in local]
    split_cut -= SPLIT_STEP
    sub = matrix[members]
    if split_cut <= 0.0:  # near-identical texts only: keep them in input order, in blocks
        return [members[k : k + LINKAGE_MAX_ARTICLES] for k in range(0, len(members), LINKAGE_MAX_ARTICLES)]
    left, right = _close_pairs(sub, split_cut)
    groups: list[np.ndarray] = []
    for part in _components(len(members), left, right):
        part = np.asarray(part)
        if len(part) == 1:
            groups.append(members[part])
        else:
            groups.extend(_component_groups(matrix, members[part], cut, split_cut))
    return groups


def _condensed_distances(sub) -> np.ndarray:
    """The upper triangle of the cosine distance matrix of ``sub``'s rows, row by row (scipy's condensed form)."""
    m = sub.shape[0]
    out = np.empty(m * (m - 1) // 2)
    sub = _narrow(sub)
    transposed = sub.T.tocsr()
    step = max(1, _PAIR_BLOCK_CELLS // m)
    at = 0
    for start in range(0, m, step):
        block = (sub[start : start + step] @ transposed).toarray()
        np.subtract(1.0, block, out=block)
        np.clip(block, 0.0, 2.0, out=block)
        for k in range(block.shape[0]):
            row = block[k, start + k + 1 :]
            out[at : at + len(row)] = row
            at += len(row)
    return out


def _scipy_linkage(sub, cut: float) -> list[np.ndarray]:
    """Groups of ``sub``'s rows: scipy's average linkage, merges below ``cut`` kept."""
    from scipy.cluster.hierarchy import linkage

    m = sub.shape[0]
    tree = linkage(_condensed_distances(sub), method="average")
    # Node m + k is the k-th merge; a leaf stands for each node, and leaves are joined as nodes merge.
    leaf = list(range(m)) + [0] * (m - 1)
    parent = list(range(m))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for step, (a, b, distance, _) in enumerate(tree):
        if distance >= cut:  # the tree is sorted by distance: every later merge is farther
            break
        x, y = root(leaf[int(a)]), root(leaf[int(b)])
        parent[max(x, y)] = min(x, y)
        leaf[m + step] = min(x, y)
    groups: dict[int, list[int]] = {}
    for i in range(m):
        groups.setdefault(root(i), []).append(i)
    return [np.asarray(g) for g in groups.values()]


def _small_linkage(similarity: np.ndarray, cut: float) -> list[np.ndarray]:
    """Groups of a few articles (rows of their dense cosine ``similarity``, ``_gram``) by plain average
    linkage (closest pair first).

    Same groups as scipy's (both build the one average-linkage tree), without importing it.
    """
    m = len(similarity)
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, np.inf)
    sizes = np.ones(m)
    groups = [[i] for i in range(m)]
    while True:
        i, j = divmod(int(distance.argmin()), m)
        if distance[i, j] >= cut:
            break
        _join_rows(distance, sizes, i, j)
        groups[i] += groups[j]
        groups[j] = []
    return [np.asarray(sorted(g)) for g in groups if g]


def _article_text(article: CleanArticle) -> str:
    title = article.article.title or ""
    return "\n".join([title, *(p.text for p in article.paragraphs)])


def _grouping_matrix(documents: list[str], vectorizer, matrix, counts=None, lede=None, names=None):
    """The articles' TF-IDF rows as story grouping weighs them: names (``NAME_WEIGHT``, rarer ones more)
    and the lede (``LEDE_LINES``) count more; unit rows. The off-story check keeps the plain ``matrix``.

    ``counts`` and ``lede`` are the documents x terms count matrices of the fit and of the ledes
    (``_fit_story_terms``; counted again without them), ``names`` each document's ``name_words``.
    """
    if vectorizer is None:
        return matrix
    from scipy import sparse

    vocabulary = vectorizer.vocabulary
    if counts is None:
        counts = _count_matrix([Counter(story_terms(text)) for text in documents], vocabulary)
    if lede is None:
        lede = _count_matrix(
            [Counter(story_terms("\n".join(text.split("\n")[:LEDE_LINES]))) for text in documents], vocabulary)
    total = (counts + lede).tocoo()
    # Each term's words as columns of the vocabulary (a kept pair's words are kept words too).
    first = np.empty(len(vocabulary), dtype=np.int64)
    second = np.empty(len(vocabulary), dtype=np.int64)
    for term, column in vocabulary.items():
        words = term.split(" ")
        first[column] = vocabulary[words[0]]
        second[column] = vocabulary[words[-1]]
    size = len(vocabulary)
    if names is None:
        names = [name_words(text) for text in documents]
    name_keys = _sorted_unique(np.array(
        [row * size + vocabulary[w] for row, found in enumerate(names) for w in found if w in vocabulary],
        dtype=np.int64))
    rows = total.row.astype(np.int64)
    is_name = _sorted_holds(name_keys, rows * size + first[total.col]) & _sorted_holds(name_keys, rows * size + second[total.col])
    # idf of a term two articles hold: the most specific a shared term can be (min_df is 2).
    rarest = math.log((len(documents) + 1) / 3) + 1.0
    specificity = np.clip((vectorizer.idf - 1.0) / max(rarest - 1.0, 1e-12), 0.0, 1.0)
    name_weight = 1.0 + (NAME_WEIGHT - 1.0) * specificity**NAME_SPECIFICITY_POWER
    values = (1.0 + np.log(total.data)) * vectorizer.idf[total.col] * np.where(is_name, name_weight[total.col], 1.0)
    weighted = sparse.csr_matrix((values, (total.row, total.col)), shape=matrix.shape)
    weighted.sort_indices()
    return _normalise_rows(weighted)


def _count_matrix(counted: list[Counter], vocabulary: dict[str, int]):
    """Documents x vocabulary matrix of term counts (terms outside the vocabulary left out)."""
    from scipy import sparse

    rows, cols, values = [], [], []
    for row, counts in enumerate(counted):
        for term, count in counts.items():
            column = vocabulary.get(term)
            if column is not None:
                rows.append(row)
                cols.append(column)
                values.append(count)
    return sparse.csr_matrix((np.array(values, dtype=np.float64), (rows, cols)), shape=(len(counted), len(vocabulary)))


def story_terms(text: str) -> list[str]:
    """Terms for story similarity: content words and pairs of adjacent content words ("white house")."""
    words = content_words(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def _story_sums(matrix, story_members: list[list[int]]):
    """Sparse stories x terms matrix: the sum of each story's article vectors."""
    from scipy import sparse

    rows = np.concatenate([np.full(len(m), k) for k, m in enumerate(story_members)])
    cols = np.concatenate([np.asarray(m) for m in story_members])
    membership = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(story_members), matrix.shape[0]))
    return (membership @ matrix).tocsr()


def _normalise_rows(matrix):
    """A copy of a CSR matrix with each non-empty row scaled to unit length (squares summed in stored order)."""
    matrix = matrix.tocsr(copy=True)
    matrix.data = matrix.data.astype(np.float64)
    _divide_by_row_norms(matrix.data, matrix.indptr)
    return matrix


def _cell_keys(matrix) -> np.ndarray:
    """Each stored cell of a CSR matrix with sorted indices as row * width + column: sorted (for ``_values_at``)."""
    width = np.int64(matrix.shape[1])
    return np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr)) * width + matrix.indices


def _values_at(matrix, keys: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``matrix[rows[k], cols[k]]`` of a CSR matrix with sorted indices, for every k (0 where not stored);
    ``keys`` are its ``_cell_keys``."""
    if not matrix.nnz or not len(rows):
        return np.zeros(len(rows))
    wanted = rows.astype(np.int64) * np.int64(matrix.shape[1]) + cols
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.where(keys[at] == wanted, matrix.data[at], 0.0)


def _off_story_reasons(
    ordered: list[CleanArticle], matrix, story_of: np.ndarray, story_members: list[list[int]], vectorizer,
    judged: Sequence[int] | None = None,
) -> dict[tuple[int, int], str]:
    """Reasons keyed by (article index, paragraph row) for paragraphs that do not belong to their story.

    Each paragraph of the ``judged`` articles (all without it) is compared with its story
    without its own article (with its own article in a single-article story) and with every other story.
    """
    if vectorizer is None:
        return {}
    indices = range(len(ordered)) if judged is None else sorted(judged)
    where = [(index, row) for index in indices for row in range(len(ordered[index].paragraphs))]
    if not where:
        return {}
    from scipy import sparse

    sums = _story_sums(matrix, story_members)
    centroids = _normalise_rows(sums)
    centroids.sort_indices()
    centroid_keys = _cell_keys(centroids)
    centroids_by_term = centroids.T.tocsr()
    others = np.array([len(story_members[s]) - 1 for s in story_of])
    # Each judged article's own story without it (row by row, so only the judged articles' rows are made).
    judged_articles = np.unique(np.array([index for index, _ in where], dtype=np.int64))
    own_row_of = np.full(len(ordered), -1, dtype=np.int64)
    own_row_of[judged_articles] = np.arange(len(judged_articles))
    own_rows = sums[story_of[judged_articles]] - matrix[judged_articles].multiply(
        (others[judged_articles] > 0)[:, None]).tocsr()
    own = _normalise_rows(own_rows)
    own.sort_indices()
    own_keys = _cell_keys(own)
    reasons: dict[tuple[int, int], str] = {}
    # Paragraphs a block: their products with the stories (nearly dense when common words are shared)
    # stay within _PAIR_BLOCK_CELLS, so memory does not grow with paragraphs x stories.
    step = max(1, min(4096, _PAIR_BLOCK_CELLS // max(1, len(story_members))))
    for start in range(0, len(where), step):
        block = where[start : start + step]
        articles = np.array([index for index, _ in block])
        paragraphs = vectorizer.transform([ordered[index].paragraphs[row].text for index, row in block])
        # A paragraph's own story and best other story are read at the paragraph's terms only: gathering their
        # rows (a big story's thousands of terms, once per paragraph) made this step grow as paragraphs x terms.
        paragraphs.sort_indices()
        entry_row = np.repeat(np.arange(len(block)), np.diff(paragraphs.indptr))
        at_terms = _values_at(own, own_keys, own_row_of[articles][entry_row], paragraphs.indices)
        products = paragraphs.data * at_terms
        kept = products != 0  # the entries the sparse product keeps, in its order: the same sums, bit for bit
        product = sparse.csr_matrix((products[kept], paragraphs.indices[kept],
                                     np.concatenate([[0], np.cumsum(np.bincount(entry_row[kept], minlength=len(block)))])),
                                    shape=paragraphs.shape)
        own_similarity = np.asarray(product.sum(axis=1)).ravel()
        best_story, best_other = _best_other_story(paragraphs @ centroids_by_term, story_of[articles])
        shared_terms = np.zeros(len(block), dtype=np.int64)
        close = np.flatnonzero(best_other >= OTHER_STORY_MIN_SIMILARITY)
        if len(close):
            in_best = _values_at(centroids, centroid_keys, best_story[entry_row], paragraphs.indices) > 0
            counted = np.bincount(entry_row[in_best & (paragraphs.data > 0)], minlength=len(block))
            shared_terms[close] = counted[close]
        empty = np.diff(paragraphs.indptr) == 0
        for k, (index, row) in enumerate(block):
            if empty[k]:
                continue
            if (
                best_other[k] >= OTHER_STORY_MIN_SIMILARITY
                and best_other[k] >= OTHER_STORY_MARGIN * own_similarity[k]
                and shared_terms[k] >= OTHER_STORY_MIN_TERMS
            ):
                reasons[(index, row)] = f"about another story (story-{best_story[k] + 1})"
            elif (
                others[index] >= UNRELATED_MIN_OTHER_ARTICLES
                and own_similarity[k] < UNRELATED_MAX_SIMILARITY
                and len(content_words(ordered[index].paragraphs[row].text)) >= UNRELATED_MIN_WORDS
            ):
                reasons[(index, row)] = "shares no topic words with the rest of the story"
    return reasons


# --- TF-IDF and story linkage (numpy and scipy.sparse; no scikit-learn) ----------------------


class _Vectorizer:
    """TF-IDF as story grouping weighs terms: 1 + log(count) times the smoothed idf, rows of unit length.

    ``vocabulary`` maps each kept term to its column (terms in sorted order); ``idf`` is
    ``log((1 + n) / (1 + df)) + 1`` over the ``n`` fitted documents.
    """

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray):
        self.vocabulary = vocabulary
        self.idf = idf

    def transform(self, texts: Sequence[str]):
        """Unit-length TF-IDF rows of ``texts`` over the fitted vocabulary (terms outside it are ignored)."""
        rows, cols, counts = [], [], []
        for row, text in enumerate(texts):
            counted = Counter(t for t in story_terms(text) if t in self.vocabulary)
            rows.extend([row] * len(counted))
            cols.extend(self.vocabulary[t] for t in counted)
            counts.extend(counted.values())
        return _weighted(len(texts), len(self.idf), rows, cols, counts, self.idf)


def _weighted(n_rows: int, n_cols: int, rows, cols, counts, idf: np.ndarray, rank: np.ndarray | None = None):
    """CSR matrix of sublinear tf times idf, each row divided by its L2 norm.

    Within a row, terms are stored by ``rank`` (column order without it), and the
    squares of the norm are summed in that order: the order fixes the last bits
    of every dot product, which then match scikit-learn's TfidfVectorizer.
    """
    from scipy import sparse

    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int32)
    order = np.lexsort((cols if rank is None else rank[cols], rows))
    rows, cols = rows[order], cols[order]
    data = np.log(np.asarray(counts, dtype=np.float64)[order])
    data += 1.0
    data *= idf[cols]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    _divide_by_row_norms(data, indptr)
    return sparse.csr_matrix((data, cols, indptr.astype(np.int32)), shape=(n_rows, n_cols))


def _divide_by_row_norms(data: np.ndarray, indptr: np.ndarray) -> None:
    """Divide each CSR row's values by their L2 norm, in place; empty rows stay as they are.

    The squares are added one position at a time in column order, as a plain loop
    would, so the norms do not depend on numpy's pairwise summation.
    """
    lengths = np.diff(indptr)
    total = np.zeros(len(lengths))
    squares = data * data
    rows = np.flatnonzero(lengths)
    for position in range(int(lengths.max(initial=0))):
        rows = rows[lengths[rows] > position]
        total[rows] += squares[indptr[rows] + position]
    norms = np.sqrt(total)
    norms[norms == 0.0] = 1.0
    data /= np.repeat(norms, lengths)


def _tfidf(documents: list[str]):
    """The fitted ``_Vectorizer`` and the documents' TF-IDF matrix; ``(None, identity)`` with no shared term.

    Only terms shared by two or more articles can link articles; the rest would only dilute the vectors.
    """
    vectorizer, matrix, _ = _fit_tfidf(documents)
    return vectorizer, matrix


def _read_document(text: str) -> tuple[str, str, set[str]]:
    """The per-document text work of story grouping: the lede (first ``LEDE_LINES`` lines) and the rest
    in ``normalise``'s form (the words of the two are the document's words: no word spans a line), and
    the document's ``name_words``."""
    parts = text.split("\n", LEDE_LINES)
    lede = normalise_uncached("\n".join(parts[:LEDE_LINES]))
    rest = normalise_uncached(parts[LEDE_LINES]) if len(parts) > LEDE_LINES else ""
    return lede, rest, name_words(text)


def _read_documents(documents: Sequence[str]) -> list[tuple[str, str, set[str]]]:
    """``_read_document`` of each document, in order; in worker processes for many documents."""
    if workers.use_pool(len(documents), POOL_MIN_DOCUMENTS):
        return list(workers.ordered_map(_read_document, documents, chunk=_POOL_CHUNK))
    return [_read_document(text) for text in documents]


def _read_with_forms(articles: Sequence[CleanArticle], documents: Sequence[str],
                     forms: TextForms) -> list[tuple[str, str, set[str]]]:
    """``_read_documents(documents)`` from the paragraphs' forms worked out where they were cleaned (the
    same: normal forms and name words never span a line, and each paragraph is one line)."""
    read = []
    normal_forms, names = forms.normal_forms, forms.names
    for article, document in zip(articles, documents):
        texts = [p.text for p in article.paragraphs]
        title = article.article.title or ""
        if "\n" in title or any("\n" in t or t not in normal_forms or t not in names for t in texts):
            read.append(_read_document(document))  # a line break inside a line, or no forms for a paragraph
            continue
        lines = [normalise_uncached(title), *(normal_forms[t] for t in texts)]
        lede = " ".join(x for x in lines[:LEDE_LINES] if x)
        rest = " ".join(x for x in lines[LEDE_LINES:] if x)
        found = name_words(title)
        for t in texts:
            found |= names[t]
        read.append((lede, rest, found))
    return read


def _fit_tfidf(documents: list[str]):
    """``_tfidf``'s vectorizer and matrix, and the documents x terms count matrix (to be reused)."""
    vectorizer, matrix, counts, _ = _fit_story_terms(documents)
    return vectorizer, matrix, counts


def _fit_story_terms(documents: list[str], read: list[tuple[str, str, set[str]]] | None = None):
    """``_fit_tfidf``'s vectorizer, matrix and counts, and the documents x terms count matrix of each
    document's lede (its first ``LEDE_LINES`` lines), from one pass over the text.

    Each document's content words become integer ids (the lede's words are the first of them: words never
    span a line), its adjacent pairs integer codes of two ids, and the counting, document frequencies
    and first-met order are array operations; strings are made only for the terms kept. ``read`` is
    ``_read_documents(documents)`` when the caller has it.
    """
    from scipy import sparse

    n = len(documents)
    min_df = 2 if n > 1 else 1
    word_id: defaultdict[str, int] = defaultdict()
    word_id.default_factory = word_id.__len__  # a new word gets the next id, all in C
    ids: list[int] = []
    lengths = np.zeros(n, dtype=np.int64)
    lede_lengths = np.zeros(n, dtype=np.int64)
    for row, (lede_text, rest_text, _) in enumerate(_read_documents(documents) if read is None else read):
        lede, rest = lede_text.split(), rest_text.split()
        ids.extend(map(word_id.__getitem__, lede))
        ids.extend(map(word_id.__getitem__, rest))
        lede_lengths[row], lengths[row] = len(lede), len(lede) + len(rest)
    words = list(word_id)
    n_words = max(len(words), 1)
    # content_words' rule, once per distinct word
    is_content = np.fromiter((len(w) > 1 and w not in STOP_WORDS for w in words), dtype=bool, count=len(words))
    all_ids = np.asarray(ids, dtype=np.int64)
    doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if n else np.zeros(0, dtype=np.int64)
    in_lede = (np.arange(len(all_ids)) - starts[doc]) < lede_lengths[doc]
    content = is_content[all_ids] if len(all_ids) else np.zeros(0, dtype=bool)
    word, word_doc, word_lede = all_ids[content], doc[content], in_lede[content]
    del ids, all_ids, doc, in_lede, content  # the largest arrays: a word and its place for every word read
    # Adjacent content words of one document: a pair, coded as n_words + first * n_words + second.
    same = word_doc[1:] == word_doc[:-1]
    pair = n_words + word[:-1][same] * n_words + word[1:][same]
    pair_doc, pair_lede = word_doc[:-1][same], word_lede[1:][same]
    # The order terms are first met in (story_terms: a document's words, then its pairs; documents in
    # order): each occurrence's place in that sequence, for the within-row order of _weighted.
    word_count = np.bincount(word_doc, minlength=n)
    pair_count = np.bincount(pair_doc, minlength=n)
    block = np.concatenate([[0], np.cumsum(word_count + pair_count)[:-1]]) if n else np.zeros(0, dtype=np.int64)
    word_start = np.concatenate([[0], np.cumsum(word_count)[:-1]]) if n else np.zeros(0, dtype=np.int64)
    pair_start = np.concatenate([[0], np.cumsum(pair_count)[:-1]]) if n else np.zeros(0, dtype=np.int64)
    place = np.empty(len(word) + len(pair), dtype=np.int64)
    place[: len(word)] = block[word_doc] + np.arange(len(word)) - word_start[word_doc]
    place[len(word):] = block[pair_doc] + word_count[pair_doc] + np.arange(len(pair)) - pair_start[pair_doc]
    code = np.empty(len(place), dtype=np.int64)
    code[place] = np.concatenate([word, pair])
    code_doc = np.empty(len(place), dtype=np.int64)
    code_doc[place] = np.concatenate([word_doc, pair_doc])
    code_lede = np.empty(len(place), dtype=bool)
    code_lede[place] = np.concatenate([word_lede, pair_lede])
    del place, word, word_doc, word_lede, pair, pair_doc, pair_lede
    term_codes, first_place, term = np.unique(code, return_index=True, return_inverse=True)
    n_terms = max(len(term_codes), 1)
    cell, cell_count = np.unique(code_doc * n_terms + term, return_counts=True)
    cell_doc, cell_term = cell // n_terms, cell % n_terms
    df = np.bincount(cell_term, minlength=len(term_codes))
    kept = np.flatnonzero(df >= min_df)
    if not len(kept):  # no content word anywhere: every article is its own story
        return None, sparse.identity(n, format="csr"), None, None

    def term_text(c: int) -> str:
        if c < n_words:
            return words[c]
        first, second = divmod(c - n_words, n_words)
        return f"{words[first]} {words[second]}"

    texts = [term_text(c) for c in term_codes[kept].tolist()]
    by_text = sorted(range(len(kept)), key=texts.__getitem__)
    vocabulary = {texts[k]: column for column, k in enumerate(by_text)}
    column_terms = kept[np.asarray(by_text, dtype=np.int64)]
    column_of = np.full(len(term_codes), -1, dtype=np.int64)
    column_of[column_terms] = np.arange(len(column_terms))
    rank = first_place[column_terms]
    idf = np.full(len(column_terms), n + 1, dtype=np.float64)
    idf /= df[column_terms].astype(np.float64) + 1.0
    np.log(idf, out=idf)
    idf += 1.0
    cols = column_of[cell_term]
    keep = cols >= 0
    rows, cols, values = cell_doc[keep], cols[keep], cell_count[keep].astype(np.float64)
    shape = (n, len(column_terms))
    counts = sparse.csr_matrix((values, (rows, cols)), shape=shape)
    lede_cell, lede_count = np.unique(code_doc[code_lede] * n_terms + term[code_lede], return_counts=True)
    lede_cols = column_of[lede_cell % n_terms]
    lede_keep = lede_cols >= 0
    lede = sparse.csr_matrix((lede_count[lede_keep].astype(np.float64), ((lede_cell // n_terms)[lede_keep], lede_cols[lede_keep])),
                             shape=shape)
    matrix = _weighted(n, len(column_terms), rows, cols, values, idf, rank)
    return _Vectorizer(vocabulary, idf), matrix, counts, lede


def _best_other_story(similarity, own: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of a sparse paragraphs x stories similarity: the most similar story other than ``own``
    (the first such column on a tie) and its similarity; story 0 and 0.0 where no other story shares a term.
    """
    similarity = similarity.tocsr()
    n = similarity.shape[0]
    lengths = np.diff(similarity.indptr)
    rows = np.repeat(np.arange(n), lengths)
    values = np.where(similarity.indices != own[rows], similarity.data, 0.0)
    best_value = np.zeros(n)
    filled = lengths > 0
    best_value[filled] = np.maximum.reduceat(values, similarity.indptr[:-1][filled])
    best_value = np.maximum(best_value, 0.0)
    hit = (values == best_value[rows]) & (values > 0.0)
    best_story = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(best_story, rows[hit], similarity.indices[hit].astype(np.int64))
    best_story[best_story == np.iinfo(np.int64).max] = 0
    return best_story, best_value


# --- near-duplicate paragraphs --------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unit:
    """A paragraph, or one sentence of it, as compared and clustered."""

    paragraph: Paragraph
    sentence: int  # -1 for a whole paragraph

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.paragraph.article_id, self.paragraph.position, self.sentence)


def cluster_paragraphs(
    story: Story, settings: Settings, progress: Progress | None = None
) -> list[Cluster]:
    """Near-duplicate clusters of a story's paragraphs; every paragraph lands in exactly one cluster.

    Sentence level: a multi-sentence paragraph is split into sentence members
    (``Paragraph`` objects with the paragraph's ``article_id`` and ``position``
    and one sentence as ``text``; sentences under five words stay with their
    neighbour) only when one of its sentences is a near-duplicate of text in
    another article that the whole paragraph does not match. Otherwise the whole
    paragraph is one member. So every piece of text is in exactly one cluster.

    Clusters are grown greedily around the best-connected member (its medoid);
    a member joins only if it matches every member already in, except that two
    members both matching the medoid as whole texts (not by containment) are
    accepted together. A long paragraph containing two unrelated short ones
    therefore does not pull them into one cluster.

    The result does not depend on the order of the input: members are sorted by
    (article id, position, sentence), clusters by the number of articles they
    span, then size, then their first member; ids are ``<story id>-c<k>``.
    """
    paragraphs = sorted(set(story.paragraphs), key=lambda p: (p.article_id, p.position, p.text))
    if not paragraphs:
        return []
    units, groups = _units_and_groups(paragraphs, settings, progress)
    groups.sort(key=lambda g: (-len({units[i].paragraph.article_id for i in g}), -len(g), units[g[0]].key))
    return [
        Cluster(f"{story.id}-c{k + 1}", tuple(units[i].paragraph for i in group)) for k, group in enumerate(groups)
    ]


def _sentences(paragraph: Paragraph) -> list[str]:
    """The paragraph's sentences, short ones merged into their neighbour."""
    merged: list[str] = []
    for sentence in split_sentences(paragraph.text):
        if merged and (len(sentence.split()) < MIN_SENTENCE_WORDS or len(merged[-1].split()) < MIN_SENTENCE_WORDS):
            merged[-1] = f"{merged[-1]} {sentence}"
        else:
            merged.append(sentence)
    return merged


class _Matches:
    """Near-duplicate pairs among units as columns: ``left < right``, score (0-100), whether only by containment.

    A story carried by hundreds of outlets has millions of pairs; columns keep the work on them in numpy.
    """

    __slots__ = ("left", "right", "score", "contained")

    def __init__(self, left: np.ndarray, right: np.ndarray, score: np.ndarray, contained: np.ndarray) -> None:
        self.left, self.right, self.score, self.contained = left, right, score, contained

    def both_ways(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Each pair in both directions: source, target, score, contained."""
        return (np.concatenate([self.left, self.right]), np.concatenate([self.right, self.left]),
                np.concatenate([self.score, self.score]), np.concatenate([self.contained, self.contained]))


def _units_and_groups(
    paragraphs: list[Paragraph], settings: Settings, progress: Progress | None
) -> tuple[list[_Unit], list[list[int]]]:
    """Final units (paragraphs, or sentences of split ones) and their near-duplicate groups (indices, by key).

    Blocking gives the candidate pairs; they are checked in steps, each step only those its answer still
    depends on, so the result is the one every pair checked would give. A story carried by hundreds of
    outlets has hundreds of versions of each sentence: the check of a sentence with another article's text
    matters only when the two whole paragraphs do not match already, and once that is decided only the
    pairs of the units kept remain to check (40% fewer checks on one story of a thousand copies).
    """
    candidates, sentences_of, whole, article = _candidate_units(paragraphs)
    texts = [u.paragraph.text for u in candidates]
    if len(texts) < 2:
        left, right, score, contained = near_duplicate_arrays(texts, settings, progress)
        units, matches = _split_and_renumber(paragraphs, candidates, sentences_of, whole, article,
                                             _Matches(left, right, score, contained))
        return units, _link_without_chaining(units, matches)
    prepared = Prepared(texts)
    left, right = candidate_pairs(prepared, progress)
    pairs = _PairChecks(prepared, left, right, settings)
    n, count = len(candidates), len(paragraphs)
    has_sentences = np.zeros(n, dtype=bool)
    has_sentences[list(sentences_of)] = True
    # 1. Whole paragraphs with each other.
    pairs.check((left < count) & (right < count))
    # 2. A paragraph of several sentences with another paragraph's sentence, unless the two paragraphs match.
    #    Sentence units come after all paragraphs, so in a pair (left < right) only ``right`` can be one.
    known = pairs.done & pairs.hit()
    matched = _sorted_unique(np.concatenate([
        (left * n + right)[known & has_sentences[left]], (right * n + left)[known & has_sentences[right]]]))
    pairs.check(has_sentences[left] & (right >= count) & ~_sorted_holds(matched, left * n + whole[right]))
    known = pairs.done & pairs.hit() & has_sentences[left]
    matched = _sorted_unique(np.concatenate([matched, left[known] * n + whole[right[known]]]))
    # 3. A sentence with text of another article whose paragraph its own paragraph does not match: such a
    #    match splits the paragraph (``_split_and_renumber``).
    other_article = article[left] != article[right]
    asked = other_article & (((left >= count) & ~_sorted_holds(matched, whole[left] * n + whole[right]))
                             | ((right >= count) & ~_sorted_holds(matched, whole[right] * n + whole[left])))
    pairs.check(asked)
    hit = pairs.done & pairs.hit()
    split_keys = np.concatenate([(whole[left] * n + whole[right])[hit & (left >= count) & other_article],
                                 (whole[right] * n + whole[left])[hit & (right >= count) & other_article]])
    split = set(_sorted_unique(split_keys[~_sorted_holds(matched, split_keys)] // n).tolist())
    final = np.array(_final_units(count, sentences_of, split), dtype=np.int64)
    # 4. The pairs of the units kept.
    renumber = np.full(n, -1, dtype=np.int64)
    renumber[final] = np.arange(len(final))
    kept = (renumber[left] >= 0) & (renumber[right] >= 0)
    pairs.check(kept)
    kept &= pairs.hit()
    a, b = renumber[left[kept]], renumber[right[kept]]
    units = [candidates[i] for i in final.tolist()]
    matches = _Matches(np.minimum(a, b), np.maximum(a, b), pairs.score[kept], pairs.contained[kept])
    return units, _link_without_chaining(units, matches)


class _PairChecks:
    """The candidate pairs ``left < right`` of a story's units, checked step by step (each pair once)."""

    def __init__(self, prepared: Prepared, left: np.ndarray, right: np.ndarray, settings: Settings) -> None:
        self.prepared, self.left, self.right, self.settings = prepared, left, right, settings
        self.score = np.zeros(len(left), dtype=np.float32)
        self.contained = np.zeros(len(left), dtype=bool)
        self.done = np.zeros(len(left), dtype=bool)

    def check(self, wanted: np.ndarray) -> None:
        """Check the pairs selected by the mask ``wanted`` that are not checked yet."""
        todo = np.flatnonzero(wanted & ~self.done)
        if len(todo):
            self.score[todo], self.contained[todo] = verify_pairs(self.prepared, self.left[todo], self.right[todo],
                                                                  self.settings)
            self.done[todo] = True

    def hit(self) -> np.ndarray:
        """Which pairs are near-duplicates (False for those not checked)."""
        return self.score > 0


def _candidate_units(paragraphs: list[Paragraph]) -> tuple[list[_Unit], dict[int, list[int]], np.ndarray, np.ndarray]:
    """Every paragraph, then the sentences of each paragraph of several; ``sentences_of`` a paragraph's sentence
    units; ``whole[u]``: the paragraph a unit is (or is a sentence of); ``article[u]``: its article, as a number."""
    candidates: list[_Unit] = [_Unit(p, -1) for p in paragraphs]
    sentences_of: dict[int, list[int]] = {}
    for index, paragraph in enumerate(paragraphs):
        sentences = _sentences(paragraph)
        if len(sentences) > 1:
            sentences_of[index] = []
            for number, sentence in enumerate(sentences):
                sentences_of[index].append(len(candidates))
                candidates.append(_Unit(Paragraph(paragraph.article_id, paragraph.position, sentence), number))
    n = len(candidates)
    whole = np.arange(n, dtype=np.int64)
    for paragraph, units in sentences_of.items():
        whole[units] = paragraph
    article_number: dict[str, int] = {}
    article = np.array([article_number.setdefault(u.paragraph.article_id, len(article_number)) for u in candidates],
                       dtype=np.int64)
    return candidates, sentences_of, whole, article


def _split_and_renumber(
    paragraphs: list[Paragraph], candidates: list[_Unit], sentences_of: dict[int, list[int]], whole: np.ndarray,
    article: np.ndarray, found: _Matches,
) -> tuple[list[_Unit], _Matches]:
    """The split decision on all candidate units' matches, then the final units and their matches."""
    n = len(candidates)
    left, right, score, contained = found.left, found.right, found.score, found.contained
    source, target = np.concatenate([left, right]), np.concatenate([right, left])
    # A paragraph is split when one of its sentences matches text of another article whose paragraph the whole
    # paragraph does not match: (paragraph, matched paragraph) keys of the whole paragraphs' matches ...
    has_sentences = np.zeros(n, dtype=bool)
    has_sentences[list(sentences_of)] = True
    by_whole = has_sentences[source]
    matched = _sorted_unique(source[by_whole] * n + whole[target[by_whole]])
    # ... against those of their sentences' matches in other articles.
    by_sentence = (source >= len(paragraphs)) & (article[source] != article[target])
    keys = whole[source[by_sentence]] * n + whole[target[by_sentence]]
    split = set(_sorted_unique(keys[~_sorted_holds(matched, keys)] // n).tolist())
    final = _final_units(len(paragraphs), sentences_of, split)
    renumber = np.full(n, -1, dtype=np.int64)
    renumber[final] = np.arange(len(final))
    kept = (renumber[left] >= 0) & (renumber[right] >= 0)
    a, b = renumber[left[kept]], renumber[right[kept]]
    matches = _Matches(np.minimum(a, b), np.maximum(a, b), score[kept], contained[kept])
    return [candidates[i] for i in final], matches


def _final_units(paragraph_count: int, sentences_of: dict[int, list[int]], split: set[int]) -> list[int]:
    """Candidate units kept: each paragraph, or the sentences of a split one, in paragraph order."""
    return [u for i in range(paragraph_count) for u in ([i] if i not in split else sentences_of[i])]


def _link_without_chaining(units: list[_Unit], matches: _Matches) -> list[list[int]]:
    """Greedy medoid clustering with a complete-linkage check; returns sorted index groups.

    Centres go strongest first (most articles among their matches, then the highest sum of scores, then the
    unit key). Around each, its unassigned matches join best first if they match every member already in,
    where two members that both match the centre as whole texts (not by containment) count as matching.
    So a candidate matching the centre whole need only be checked against the members that match it by
    containment, usually none: the check costs a few look-ups, not one per member of a group of hundreds.
    """
    n = len(units)
    source, target, score, contained = matches.both_ways()
    article_number: dict[str, int] = {}
    article = np.array([article_number.setdefault(u.paragraph.article_id, len(article_number)) for u in units],
                       dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[sorted(range(n), key=lambda i: units[i].key)] = np.arange(n)
    articles_matched = np.bincount(_sorted_unique(source * max(len(article_number), 1) + article[target])
                                   // max(len(article_number), 1), minlength=n)
    # Scores are float32 of at least 50, so multiples of 2**-18: their float64 sums are exact in any order.
    score_sum = np.bincount(source, weights=score.astype(np.float64), minlength=n)
    order = sorted(range(n), key=lambda i: (-int(articles_matched[i]), -float(score_sum[i]), units[i].key))
    # Each unit's matches best first (highest score, then unit key).
    by = np.lexsort((rank[target], -score, source))
    target, contained = target[by], contained[by]
    start = np.concatenate([[0], np.cumsum(np.bincount(source, minlength=n))])
    neighbour_sets: dict[int, set[int]] = {}

    def neighbours_of(i: int) -> set[int]:
        if i not in neighbour_sets:
            neighbour_sets[i] = set(target[start[i]:start[i + 1]].tolist())
        return neighbour_sets[i]

    assigned = np.zeros(n, dtype=bool)
    groups: list[list[int]] = []
    for centre in order:
        if assigned[centre]:
            continue
        group = [centre]
        by_containment: list[int] = []  # members that match the centre only by containment
        assigned[centre] = True
        options = target[start[centre]:start[centre + 1]]
        inside = contained[start[centre]:start[centre + 1]]
        free = ~assigned[options]
        for candidate, candidate_contained in zip(options[free].tolist(), inside[free].tolist()):
            others = group[1:] if candidate_contained else by_containment
            if others and not neighbours_of(candidate).issuperset(others):
                continue
            group.append(candidate)
            if candidate_contained:
                by_containment.append(candidate)
            assigned[candidate] = True
        groups.append(sorted(group, key=lambda i: units[i].key))
    return groups


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by a sort: numpy 2.4's hash-based unique took 51 s on 10M int64 keys, the sort 0.5 s
    (a 736-article story has millions of match keys)."""
    ordered = np.sort(values)
    return ordered[np.concatenate([ordered[:1] == ordered[:1], ordered[1:] != ordered[:-1]])]


def _sorted_holds(ordered: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``np.isin(values, ordered)`` for sorted unique ``ordered``, by binary search (np.isin hashes too)."""
    if not len(ordered):
        return np.zeros(len(values), dtype=bool)
    if len(values) < _SORTED_SEARCH_MIN:
        at = np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)
        return ordered[at] == values
    # Millions of values in no order make a binary search miss the cache at every step; sorted first, they walk
    # ``ordered`` once (4x faster on the match keys of a 784-article story, the sort included).
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    at = np.minimum(np.searchsorted(ordered, sorted_values), len(ordered) - 1)
    found = np.empty(len(values), dtype=bool)
    found[order] = ordered[at] == sorted_values
    return found


def _join_rows(distance: np.ndarray, sizes: np.ndarray, i: int, j: int) -> None:
    """Average linkage, in place: row and column ``i`` become the size-weighted mean of ``i`` and ``j``; ``j`` is retired."""
    merged = (sizes[i] * distance[i] + sizes[j] * distance[j]) / (sizes[i] + sizes[j])
    distance[i, :] = merged
    distance[:, i] = merged
    distance[j, :] = np.inf
    distance[:, j] = np.inf
    distance[i, i] = np.inf
    sizes[i] += sizes[j]
