"""Near-duplicate text pairs at scale: blocking on rare words, then rapidfuzz checks.

Two texts are near-duplicates when either

* their token-sorted forms score at least ``settings.near_duplicate_cutoff`` with
  ``fuzz.ratio`` (that is ``token_sort_ratio`` on ``normalise``-d text: the same
  words with small edits, swapped words, reordered sentences, other quote marks or
  name spellings), or
* the shorter one has at least ``CONTAINMENT_MIN_WORDS`` words and
  ``fuzz.partial_ratio`` of the two is at least ``settings.containment_cutoff``
  (containment: "X said Y" inside "X said Y, adding Z").

Comparing every pair grows as n squared, so candidates come from blocking:
content words are ranked globally from rarest to most common, each text probes
an inverted index of all texts with the rarest part of its words (a prefix
filter for overlap: any pair whose shorter text shares at least
``MIN_OVERLAP`` of its content words with the other is found, except through
words more common than ``max_probe_df``), candidates are pruned by their exact
word overlap, and only the rest go to rapidfuzz, in C, on both cores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from digest.settings import Settings
from digest.text import STOPWORDS, normalise

Progress = Callable[[int, int], None]

# Share of the shorter text's content words the other must hold to be a candidate.
MIN_OVERLAP = 0.5
# Containment is only trusted when the contained text is long enough to be specific.
CONTAINMENT_MIN_WORDS = 8
# Rows of the probe matrix handled at once: bounds memory and paces progress reports.
_CHUNK = 4096


@dataclass(frozen=True, slots=True)
class Prepared:
    """Texts in the forms the checks compare: normalised, token-sorted, word counts."""

    normalised: tuple[str, ...]
    token_sorted: tuple[str, ...]
    word_counts: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> "Prepared":
        normalised = tuple(normalise(t) for t in texts)
        token_sorted = tuple(" ".join(sorted(n.split())) for n in normalised)
        counts = np.fromiter((n.count(" ") + 1 if n else 0 for n in normalised), dtype=np.int64, count=len(texts))
        return cls(normalised, token_sorted, counts)


def is_near_duplicate(a: str, b: str, settings: Settings) -> bool:
    """The near-duplicate decision for one pair of raw strings (same rule as ``near_duplicate_pairs``)."""
    return pair_score(a, b, settings) is not None


def pair_score(a: str, b: str, settings: Settings) -> float | None:
    """Score (0-100) of a near-duplicate pair, or None when the pair is not one."""
    prepared = Prepared.of([a, b])
    scores = _verify(prepared, np.array([0]), np.array([1]), settings, workers=1)
    return float(scores[0]) if scores[0] > 0 else None


def near_duplicate_pairs(
    texts: Sequence[str], settings: Settings, progress: Progress | None = None
) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``i < j`` of near-duplicate texts."""
    return set(near_duplicate_scores(texts, settings, progress))


def near_duplicate_scores(
    texts: Sequence[str],
    settings: Settings,
    progress: Progress | None = None,
    *,
    max_probe_df: int | None = None,
    workers: int = -1,
) -> dict[tuple[int, int], float]:
    """Near-duplicate pairs ``(i, j)``, ``i < j``, with their score (0-100).

    ``progress(done, total)`` is called as blocks of texts are handled.
    ``max_probe_df`` caps how common a word may be and still be used to find
    candidates (default: 5% of the texts, at least 50).
    """
    matches = near_duplicate_matches(texts, settings, progress, max_probe_df=max_probe_df, workers=workers)
    return {pair: match.score for pair, match in matches.items()}


@dataclass(frozen=True, slots=True)
class Match:
    """A near-duplicate pair's score, and whether it holds only by containment."""

    score: float
    contained: bool


def near_duplicate_matches(
    texts: Sequence[str],
    settings: Settings,
    progress: Progress | None = None,
    *,
    max_probe_df: int | None = None,
    workers: int = -1,
) -> dict[tuple[int, int], Match]:
    """Like ``near_duplicate_scores``, telling whole-text matches from containment ones."""
    n = len(texts)
    if n < 2:
        return {}
    prepared = Prepared.of(texts)
    left, right = candidate_pairs(prepared, progress, max_probe_df=max_probe_df)
    scores, contained = _verify(prepared, left, right, settings, workers=workers, with_kind=True)
    keep = np.flatnonzero(scores > 0)
    return {
        (int(left[k]), int(right[k])): Match(float(scores[k]), bool(contained[k])) for k in keep
    }


def candidate_pairs(
    prepared: Prepared, progress: Progress | None = None, *, max_probe_df: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Blocking: index pairs (left < right) whose content words overlap enough to be worth a check."""
    n = len(prepared.normalised)
    words = _content_word_ids(prepared.normalised)
    vocabulary_size = 1 + max((max(w) for w in words if w), default=0)
    lengths = np.fromiter((len(w) for w in words), dtype=np.int64, count=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.fromiter((t for w in words for t in w), dtype=np.int64, count=int(indptr[-1]))
    # Rank words by how many texts hold them (rarest first, ties by id: deterministic).
    df = np.bincount(indices, minlength=vocabulary_size)
    order = np.lexsort((np.arange(vocabulary_size), df))
    rank = np.empty(vocabulary_size, dtype=np.int64)
    rank[order] = np.arange(vocabulary_size)
    ranked = rank[indices]
    ranked_df = df[indices]
    # Sort each text's words rarest first.
    row_of = np.repeat(np.arange(n), lengths)
    by_row_then_rank = np.lexsort((ranked, row_of))
    ranked = ranked[by_row_then_rank]
    ranked_df = ranked_df[by_row_then_rank]
    everything = sparse.csr_matrix(
        (np.ones(len(ranked), dtype=np.int32), ranked, indptr), shape=(n, vocabulary_size)
    )
    # Prefix filter for overlap: a text sharing >= MIN_OVERLAP of x's words holds one of x's first p words.
    prefix_len = lengths - np.ceil(MIN_OVERLAP * lengths).astype(np.int64) + 1
    prefix_len = np.minimum(prefix_len, lengths)
    position = np.arange(len(ranked)) - np.repeat(indptr[:-1], lengths)
    cap = max_probe_df if max_probe_df is not None else max(50, n // 20)
    in_prefix = (position < np.repeat(prefix_len, lengths)) & (ranked_df <= cap)
    probe_indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of[in_prefix], minlength=n), out=probe_indptr[1:])
    probe = sparse.csr_matrix(
        (np.ones(int(in_prefix.sum()), dtype=np.int32), ranked[in_prefix], probe_indptr), shape=(n, vocabulary_size)
    )
    everything_t = everything.T.tocsr()

    lefts: list[np.ndarray] = []
    rights: list[np.ndarray] = []
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        hits = (probe[start:stop] @ everything_t).tocoo()
        rows = hits.row.astype(np.int64) + start
        cols = hits.col.astype(np.int64)
        count = hits.data.astype(np.int64)
        # Upper bound on the overlap: prefix hits plus every word after the prefix.
        bound = count + lengths[rows] - prefix_len[rows]
        ok = (rows != cols) & (bound >= np.ceil(MIN_OVERLAP * np.minimum(lengths[rows], lengths[cols])))
        rows, cols = rows[ok], cols[ok]
        lefts.append(np.minimum(rows, cols))
        rights.append(np.maximum(rows, cols))
        if progress is not None:
            progress(stop, n)
    if not lefts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    keys = np.unique(np.concatenate(lefts) * n + np.concatenate(rights))
    left, right = keys // n, keys % n
    # Exact overlap of the remaining candidates, in blocks to bound memory.
    keep = np.zeros(len(keys), dtype=bool)
    step = 200_000
    for start in range(0, len(keys), step):
        a, b = left[start : start + step], right[start : start + step]
        shared = np.asarray(everything[a].multiply(everything[b]).sum(axis=1)).ravel()
        keep[start : start + step] = shared >= np.ceil(MIN_OVERLAP * np.minimum(lengths[a], lengths[b]))
    return left[keep], right[keep]


def _content_word_ids(normalised: Sequence[str]) -> list[list[int]]:
    """Distinct content-word ids per text; texts of stopwords only fall back to all their words."""
    vocabulary: dict[str, int] = {}
    ids: list[list[int]] = []
    for text in normalised:
        tokens = set(text.split())
        content = {t for t in tokens if len(t) > 1 and t not in STOPWORDS} or tokens
        ids.append([vocabulary.setdefault(t, len(vocabulary)) for t in content])
    return ids


def _verify(
    prepared: Prepared,
    left: np.ndarray,
    right: np.ndarray,
    settings: Settings,
    *,
    workers: int,
    with_kind: bool = False,
) -> Any:
    """rapidfuzz checks of candidate pairs: each pair's score, 0 where it is not a near-duplicate.

    With ``with_kind``, also a boolean array: True where the pair holds only by containment.
    """
    if len(left) == 0:
        empty = np.zeros(0, dtype=np.float32)
        return (empty, np.zeros(0, dtype=bool)) if with_kind else empty
    sorted_forms = prepared.token_sorted
    # token_sort_ratio == ratio of the token-sorted strings, which are built once instead of per pair.
    scores = process.cpdist(
        [sorted_forms[i] for i in left],
        [sorted_forms[j] for j in right],
        scorer=fuzz.ratio,
        processor=None,  # already normalised and token-sorted by Prepared
        score_cutoff=settings.near_duplicate_cutoff,
        workers=workers,
    ).astype(np.float32)
    counts = prepared.word_counts
    rest = np.flatnonzero((scores == 0) & (np.minimum(counts[left], counts[right]) >= CONTAINMENT_MIN_WORDS))
    if len(rest):
        forms = prepared.normalised
        contained = process.cpdist(
            [forms[i] for i in left[rest]],
            [forms[j] for j in right[rest]],
            scorer=fuzz.partial_ratio,
            processor=None,  # already normalised by Prepared
            score_cutoff=settings.containment_cutoff,
            workers=workers,
        )
        scores[rest] = contained
    # An empty text matches nothing, however the scorers treat it.
    scores[(counts[left] == 0) | (counts[right] == 0)] = 0
    if with_kind:
        by_containment = np.zeros(len(left), dtype=bool)
        by_containment[rest] = True
        return scores, by_containment
    return scores


def all_pairs_scores(texts: Sequence[str], settings: Settings, *, workers: int = -1) -> dict[tuple[int, int], float]:
    """The same decision over every pair with ``process.cdist`` (quadratic; a reference for benchmarks and tests)."""
    prepared = Prepared.of(texts)
    n = len(texts)
    sorted_scores = process.cdist(
        prepared.token_sorted,
        prepared.token_sorted,
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=settings.near_duplicate_cutoff,
        workers=workers,
        dtype=np.float32,
    )
    contained = process.cdist(
        prepared.normalised,
        prepared.normalised,
        scorer=fuzz.partial_ratio,
        processor=None,
        score_cutoff=settings.containment_cutoff,
        workers=workers,
        dtype=np.float32,
    )
    counts = prepared.word_counts
    long_enough = np.minimum.outer(counts, counts) >= CONTAINMENT_MIN_WORDS
    scores = np.where(sorted_scores > 0, sorted_scores, np.where(long_enough, contained, 0))
    scores[(counts == 0)[:, None] | (counts == 0)[None, :]] = 0
    i, j = np.nonzero(np.triu(scores, k=1))
    return {(int(a), int(b)): float(scores[a, b]) for a, b in zip(i, j) if a < b}
