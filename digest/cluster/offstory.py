"""The off-story check: paragraphs about another story of the input, or sharing no topic words with the rest
of their story (sparse, paragraphs x stories)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from digest.cluster import linkage
from digest.cluster.terms import _normalise_rows
from digest.models import CleanArticle
from digest.text import content_words

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



def _story_sums(matrix, story_members: list[list[int]]):
    """Sparse stories x terms matrix: the sum of each story's article vectors."""
    from scipy import sparse

    rows = np.concatenate([np.full(len(m), k) for k, m in enumerate(story_members)])
    cols = np.concatenate([np.asarray(m) for m in story_members])
    membership = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(story_members), matrix.shape[0]))
    return (membership @ matrix).tocsr()



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
    # Each judged article's own story without it, read only where its paragraphs have terms (see _OwnStories).
    judged_articles = np.unique(np.array([index for index, _ in where], dtype=np.int64))
    own_row_of = np.full(len(ordered), -1, dtype=np.int64)
    own_row_of[judged_articles] = np.arange(len(judged_articles))
    own = _OwnStories(sums, matrix[judged_articles].multiply((others[judged_articles] > 0)[:, None]).tocsr(),
                      story_of[judged_articles])
    reasons: dict[tuple[int, int], str] = {}
    # Paragraphs a block: their products with the stories (nearly dense when common words are shared)
    # stay within _PAIR_BLOCK_CELLS, so memory does not grow with paragraphs x stories.
    step = max(1, min(4096, linkage._PAIR_BLOCK_CELLS // max(1, len(story_members))))
    for start in range(0, len(where), step):
        block = where[start : start + step]
        articles = np.array([index for index, _ in block])
        paragraphs = vectorizer.transform([ordered[index].paragraphs[row].text for index, row in block])
        # A paragraph's own story and best other story are read at the paragraph's terms only: gathering their
        # rows (a big story's thousands of terms, once per paragraph) made this step grow as paragraphs x terms.
        paragraphs.sort_indices()
        entry_row = np.repeat(np.arange(len(block)), np.diff(paragraphs.indptr))
        at_terms = own.values_at(own_row_of[articles][entry_row], paragraphs.indices)
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



class _OwnStories:
    """The rows ``normalise(sums[story[k]] - removed[k])``: each judged article's own story less the article (its
    row in ``removed``, zero in a story of one article), as unit rows, read at given cells.

    Made whole, these rows cost a story's vocabulary once per article (a story of 750 outlets: 22M cells, most
    of the check's time and memory); a row differs from its story's only at the article's terms. So only each
    row's norm is worked out, and a cell is its story's value less the article's, over that norm. The norm is
    the one the whole row had (``_normalise_rows`` of scipy's difference ``sums[story] - removed``): squares
    added one by one in the order that difference stores its cells, the story row's order reversed (then the
    article's terms outside it, none here), or column order when both operands are sorted; so the cells are
    the same to the last bit.
    """

    def __init__(self, sums, removed, story: np.ndarray) -> None:
        # Only the judged articles' stories (a big day has thousands of others), rows as stored.
        used, self.story = np.unique(np.asarray(story, dtype=np.int64), return_inverse=True)
        self.story = self.story.reshape(-1).astype(np.int64)
        sums = sums.tocsr()[used]
        self.sums_sorted = sums.copy()
        self.sums_sorted.sort_indices()
        self.sums_keys = _cell_keys(self.sums_sorted)
        removed = removed.tocsr()
        self.removed_sorted = removed.copy()
        self.removed_sorted.sort_indices()
        self.removed_keys = _cell_keys(self.removed_sorted)
        self.norms = _difference_norms(sums, removed, self.story)

    def values_at(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The cells (``rows[k]``, ``cols[k]``) of the unit rows (0 where the difference stores none)."""
        rows = np.asarray(rows, dtype=np.int64)
        story = _values_at(self.sums_sorted, self.sums_keys, self.story[rows], cols)
        article = _values_at(self.removed_sorted, self.removed_keys, rows, cols)
        difference = story - article
        stored = difference != 0.0
        out = np.zeros(len(rows))
        out[stored] = difference[stored] / self.norms[rows[stored]]
        return out


def _canonical_rows(matrix) -> np.ndarray:
    """Per row of a CSR matrix: whether its column indices strictly increase (scipy's canonical format)."""
    n = matrix.shape[0]
    indptr = np.asarray(matrix.indptr, dtype=np.int64)
    indices = np.asarray(matrix.indices[: indptr[-1]], dtype=np.int64)
    entry_row = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    bad = (indices[1:] <= indices[:-1]) & (entry_row[1:] == entry_row[:-1])
    ok = np.ones(n, dtype=bool)
    ok[entry_row[1:][bad]] = False
    return ok


def _sequential_sum(values: np.ndarray) -> float:
    """``values`` added one at a time from 0.0, first to last (as ``_divide_by_row_norms`` adds a row's squares)."""
    return float(np.cumsum(values)[-1]) if len(values) else 0.0


def _difference_norms(sums, removed, story: np.ndarray) -> np.ndarray:
    """The L2 norm of each row of ``sums[story] - removed`` as ``_normalise_rows`` works it out on scipy's
    difference (1.0 for an empty row), without making the difference: see ``_OwnStories``."""
    sums_ok = _canonical_rows(sums)
    removed_ok = _canonical_rows(removed)
    # scipy subtracts cell by cell in column order when both operands are canonical, else it stores each row's
    # cells last met first (the first operand's, then the second's new ones).
    canonical = bool(sums_ok[story].all() and removed_ok.all())
    norms = np.ones(len(story))
    rows: dict[int, tuple] = {}  # a story's row, worked out once for all its articles
    for k, s in enumerate(story.tolist()):
        if s not in rows:
            a_cols = sums.indices[sums.indptr[s]:sums.indptr[s + 1]].astype(np.int64)
            sorter = np.argsort(a_cols, kind="stable")
            rows[s] = (a_cols, sums.data[sums.indptr[s]:sums.indptr[s + 1]], sorter, a_cols[sorter])
        a_cols, a_vals, sorter, a_sorted = rows[s]
        b_cols = removed.indices[removed.indptr[k]:removed.indptr[k + 1]].astype(np.int64)
        b_vals = removed.data[removed.indptr[k]:removed.indptr[k + 1]]
        at = np.minimum(np.searchsorted(a_sorted, b_cols), max(len(a_cols) - 1, 0))
        inside = a_sorted[at] == b_cols if len(a_cols) else np.zeros(len(b_cols), dtype=bool)
        extra = int((~inside).sum())
        values = np.concatenate([a_vals, np.zeros(extra)]) if extra else a_vals.copy()
        where = sorter[at[inside]]
        values[where] = values[where] - b_vals[inside]
        if extra:
            values[len(a_cols):] = values[len(a_cols):] - b_vals[~inside]
        squares = values * values
        if canonical:
            cols = np.concatenate([a_cols, b_cols[~inside]]) if extra else a_cols
            squares = squares[np.argsort(cols, kind="stable")]
        else:
            squares = squares[::-1]
        norm = math.sqrt(_sequential_sum(squares))
        norms[k] = norm if norm != 0.0 else 1.0
    return norms


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

