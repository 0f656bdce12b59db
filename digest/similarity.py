"""Near-duplicate text pairs at scale: blocking on rare words, then rapidfuzz checks.

Two texts (compared after ``digest.text.normalise``) are near-duplicates when either

* **whole-text match**: ``fuzz.ratio`` of their token-sorted forms (that is
  rapidfuzz's ``token_sort_ratio``) is at least ``settings.near_duplicate_cutoff``.
  This catches the same words with small edits, swapped words, reordered
  sentences, other quote marks or name spellings ("Jong-un"/"Jung-un"); or
* **containment**: the shorter text has at least ``CONTAINMENT_MIN_WORDS`` words
  and its containment score is at least ``settings.containment_cutoff``. The
  score is the larger of (a) the percent of its word pairs (adjacent words, in
  order) that also occur in the longer text, robust to reordered sentences, and
  (b) rapidfuzz ``partial_ratio`` over words (each word one symbol): how well
  it aligns with some stretch of the longer text, robust to edited words. This
  catches "X said Y" inside "X said Y, adding Z", one sentence of a longer
  paragraph, and a paragraph with a dropped clause. Both keep local word order,
  so a short text whose words merely occur scattered over a long one is not
  "contained".

Comparing every pair grows as n squared, so candidates come from blocking:
content words are ranked globally from rarest to most common, each text probes
an inverted index of all texts with the rarest part of its words (a prefix
filter for overlap: any pair whose shorter text shares at least ``MIN_OVERLAP``
of its content words with the other is found, except through words held by
more than ``max_probe_df`` texts), candidates are pruned by their exact word
overlap, and only the rest are checked, rapidfuzz in C on every core.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from digest.settings import Settings
from digest.text import STOP_WORDS, normalise_uncached

Progress = Callable[[int, int], None]

# Share of the shorter text's content words the other must hold to be a candidate.
MIN_OVERLAP = 0.5
# Containment is only trusted when the contained text is long enough to be specific.
CONTAINMENT_MIN_WORDS = 8
# Prefix words a candidate must hold (a longer prefix is probed so that no qualifying pair is lost).
PREFIX_HITS = 2
# Rows of the probe matrix handled at once: bounds memory and paces progress reports.
_CHUNK = 2048
# Candidate pairs whose exact overlap is computed at once.
_PAIR_BLOCK = 200_000
# Distinct one-character word symbols (beyond this, rare words share symbols).
_SYMBOLS = 0x10FFFF - 0x100 - 0x800
# A text of at most this many distinct words is scored as one-byte symbols (the next code marks a missing word).
_LOCAL_CODES = 255
# Pairs turned into one-byte symbols at once, and cells of the word -> number table used for it (bound memory).
_SYMBOL_PAIRS = 200_000
_TABLE_CELLS = 1 << 25


@dataclass(frozen=True, slots=True)
class Match:
    """A near-duplicate pair's score (0-100), and whether it holds only by containment."""

    score: float
    contained: bool


class Prepared:
    """Texts in the forms the checks compare, built once for all pairs.

    ``normalised`` and ``token_sorted`` strings; ``word_counts``; ``content``: a
    binary texts x content-words matrix (columns ranked rarest first);
    ``word_pairs``: a binary texts x adjacent-word-pairs matrix.
    """

    def __init__(self, texts: Sequence[str]):
        # Millions of small strings: the cyclic GC would rescan them again and again for nothing.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._build(texts)
        finally:
            if was_enabled:
                gc.enable()

    def _build(self, texts: Sequence[str]) -> None:
        self.normalised = [normalise_uncached(t) for t in texts]
        # Texts that normalise alike share an id (every check compares normalised forms).
        self.distinct: dict[str, int] = {}
        self.text_id = np.fromiter((self.distinct.setdefault(t, len(self.distinct)) for t in self.normalised),
                                   dtype=np.int64, count=len(self.normalised))
        self.tokens = [n.split() for n in self.normalised]
        self.token_sorted = [" ".join(sorted(t)) for t in self.tokens]
        n = len(texts)
        self.word_counts = np.fromiter(map(len, self.tokens), dtype=np.int64, count=n)
        all_tokens = list(itertools.chain.from_iterable(self.tokens))
        words = list(dict.fromkeys(all_tokens))
        self.vocabulary = dict(zip(words, range(len(words))))
        flat = np.fromiter(map(self.vocabulary.__getitem__, all_tokens), dtype=np.int64, count=len(all_tokens))
        self._flat_words = flat
        self._local: tuple | None = None
        is_content = np.fromiter((len(w) > 1 and w not in STOP_WORDS for w in words), dtype=bool, count=len(words))
        row_of = np.repeat(np.arange(n), self.word_counts)
        self.content = self._content_matrix(n, flat, row_of, is_content)
        self.word_pairs = self._word_pair_matrix(n, flat, row_of, len(words))

    def word_symbols(self, rows: Iterable[int]) -> dict[int, str]:
        """Texts as strings of one character per word (for word-level rapidfuzz), for the given rows."""
        result: dict[int, str] = {}
        for row in rows:
            if row not in result:
                ids = np.fromiter(map(self.vocabulary.__getitem__, self.tokens[row]), dtype=np.int64)
                codes = ids % _SYMBOLS + 0x100
                codes[codes >= 0xD800] += 0x800  # skip the surrogate range
                result[row] = "".join(map(chr, codes.tolist()))
        return result

    def aligned_symbols(self, left: np.ndarray, right: np.ndarray) -> tuple[list[str], list[str]] | None:
        """Pairs of texts as strings of one Latin-1 character per word, for word-level rapidfuzz; None when a
        ``left`` text has more than ``_LOCAL_CODES`` distinct words.

        The same scores as ``word_symbols`` (a scorer only asks which words are equal): each left text numbers its
        own words, and a right text's words take the left's numbers, or one number the left text lacks. One-byte
        strings are scored several times faster than the wide ones a story's vocabulary needs.
        """
        starts, codes, distinct, text = self._local_words()
        vocabulary = len(self.vocabulary)
        if vocabulary >= _SYMBOLS or (len(left) and int(distinct[left].max()) > _LOCAL_CODES):
            return None
        order = np.argsort(left, kind="stable")
        sorted_left = left[order]
        lefts = _sorted_distinct(sorted_left)
        lengths = self.word_counts[right[order]]
        ends = np.cumsum(lengths)
        mapped = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
        # Left texts a block at a time, each a row of a dense word -> number table (bounded memory).
        block = max(1, _TABLE_CELLS // max(vocabulary, 1))
        for first in range(0, len(lefts), block):
            rows = lefts[first:first + block]
            table = np.full((len(rows), vocabulary), _LOCAL_CODES, dtype=np.uint8)
            at = _spans(starts[rows], self.word_counts[rows])
            table[np.repeat(np.arange(len(rows)), self.word_counts[rows]), self._flat_words[at]] = codes[at]
            low = int(np.searchsorted(sorted_left, rows[0], side="left"))
            high = int(np.searchsorted(sorted_left, rows[-1], side="right"))
            pairs = order[low:high]
            words = _spans(starts[right[pairs]], self.word_counts[right[pairs]])
            row_of = np.repeat(np.searchsorted(rows, left[pairs]), self.word_counts[right[pairs]])
            begin = int(ends[low - 1]) if low else 0
            mapped[begin:begin + len(words)] = table[row_of, self._flat_words[words]]
        joined = mapped.tobytes().decode("latin-1")
        sliced = [joined[a:b] for a, b in zip((ends - lengths).tolist(), ends.tolist())]
        others: list[str] = [""] * len(left)
        for position, piece in zip(order.tolist(), sliced):
            others[position] = piece
        return [text[row] for row in left.tolist()], others

    def _local_words(self) -> tuple:
        """Each text's words numbered 0.. in the order of their symbols: (text starts, each word's number,
        distinct words per text, each text as Latin-1 characters of those numbers)."""
        if self._local is None:
            n = len(self.tokens)
            starts = np.concatenate([[0], np.cumsum(self.word_counts)[:-1]]).astype(np.int64)
            key = np.repeat(np.arange(n, dtype=np.int64), self.word_counts) * _SYMBOLS + self._flat_words % _SYMBOLS
            order = np.argsort(key, kind="stable")
            ordered = key[order]
            new = np.concatenate([ordered[:1] == ordered[:1], ordered[1:] != ordered[:-1]])
            keys = ordered[new]
            first = np.searchsorted(keys // _SYMBOLS, np.arange(n))
            key_codes = np.arange(len(keys)) - first[keys // _SYMBOLS]
            codes = np.empty(len(key), dtype=np.int64)
            codes[order] = key_codes[np.cumsum(new) - 1]
            distinct = np.bincount(keys // _SYMBOLS, minlength=n)
            codes = np.minimum(codes, _LOCAL_CODES).astype(np.uint8)  # texts above the limit are never used
            joined = codes.tobytes().decode("latin-1")
            bounds = np.concatenate([starts, [len(key)]]).tolist()
            text = [joined[bounds[i]:bounds[i + 1]] for i in range(n)]
            self._local = (starts, codes, distinct, text)
        return self._local

    @staticmethod
    def _content_matrix(n: int, flat: np.ndarray, row_of: np.ndarray, is_content: np.ndarray):
        from scipy import sparse  # imported when texts are compared: importing the pipeline does not pay for it

        # A text of stopwords only is blocked on all its words.
        has_content = np.bincount(row_of[is_content[flat]], minlength=n) > 0
        use = is_content[flat] | ~has_content[row_of]
        matrix = sparse.csr_matrix(
            (np.ones(int(use.sum()), dtype=np.int32), (row_of[use], flat[use])), shape=(n, len(is_content))
        )
        matrix.sum_duplicates()
        matrix.data[:] = 1
        # Rank words rarest first (ties by first appearance: deterministic for a given input order).
        df = np.diff(matrix.tocsc().indptr)
        order = np.argsort(df, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        ranked = sparse.csr_matrix((matrix.data, rank[matrix.indices], matrix.indptr), shape=matrix.shape)
        ranked.sort_indices()
        return ranked

    @staticmethod
    def _word_pair_matrix(n: int, flat: np.ndarray, row_of: np.ndarray, vocabulary_size: int):
        from scipy import sparse

        same_text = row_of[1:] == row_of[:-1]
        codes = flat[:-1][same_text] * vocabulary_size + flat[1:][same_text]
        columns = np.unique(codes, return_inverse=True)[1].ravel() if len(codes) else codes
        matrix = sparse.csr_matrix(
            (np.ones(len(codes), dtype=np.int32), (row_of[:-1][same_text], columns)),
            shape=(n, int(columns.max()) + 1 if len(columns) else 1),
        )
        matrix.sum_duplicates()
        matrix.data[:] = 1
        return matrix


def _sorted_distinct(ordered: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array."""
    return ordered[np.concatenate([ordered[:1] == ordered[:1], ordered[1:] != ordered[:-1]])]


def _spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices ``starts[k] .. starts[k] + lengths[k] - 1`` of every k, in order."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - (ends - lengths), lengths) + np.arange(int(ends[-1]) if len(ends) else 0)


def is_near_duplicate(a: str, b: str, settings: Settings) -> bool:
    """The near-duplicate decision for one pair of raw strings (same rule as ``near_duplicate_pairs``)."""
    return pair_score(a, b, settings) is not None


def pair_score(a: str, b: str, settings: Settings) -> float | None:
    """Score (0-100) of a near-duplicate pair of raw strings, or None when it is not one."""
    scores, _ = _verify(Prepared([a, b]), np.array([0]), np.array([1]), settings, workers=1)
    return float(scores[0]) if scores[0] > 0 else None


def near_duplicate_pairs(
    texts: Sequence[str], settings: Settings, progress: Progress | None = None
) -> set[tuple[int, int]]:
    """Index pairs ``(i, j)`` with ``i < j`` of near-duplicate texts."""
    return set(near_duplicate_matches(texts, settings, progress))


def near_duplicate_scores(
    texts: Sequence[str], settings: Settings, progress: Progress | None = None
) -> dict[tuple[int, int], float]:
    """Near-duplicate pairs ``(i, j)``, ``i < j``, with their score (0-100)."""
    return {pair: match.score for pair, match in near_duplicate_matches(texts, settings, progress).items()}


def near_duplicate_matches(
    texts: Sequence[str],
    settings: Settings,
    progress: Progress | None = None,
    *,
    max_probe_df: int | None = None,
    workers: int = -1,
) -> dict[tuple[int, int], Match]:
    """Near-duplicate pairs ``(i, j)``, ``i < j``, telling whole-text matches from containment.

    ``progress(done, total)`` is called as blocks of texts are handled.
    ``max_probe_df`` caps how many texts may hold a word that is still used to
    find candidates (default: ``default_probe_df``).
    """
    left, right, scores, contained = near_duplicate_arrays(
        texts, settings, progress, max_probe_df=max_probe_df, workers=workers)
    # tolist() turns whole columns into Python numbers at once (per-element int()/float() was 2 of the
    # 4.7 s this took on a 300-article story); float32 -> float is the same value either way.
    return {(a, b): Match(score, inside) for a, b, score, inside in zip(
        left.tolist(), right.tolist(), scores.tolist(), contained.tolist())}


def near_duplicate_arrays(
    texts: Sequence[str],
    settings: Settings,
    progress: Progress | None = None,
    *,
    max_probe_df: int | None = None,
    workers: int = -1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The pairs of ``near_duplicate_matches`` as columns: ``left < right`` (int64), score (float32),
    contained (bool), in the same order.

    A big story has millions of pairs: columns cost a few bytes a pair where ``Match`` objects cost a hundred.
    """
    if len(texts) < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty.copy(), np.empty(0, dtype=np.float32), np.empty(0, dtype=bool)
    prepared = Prepared(texts)
    left, right = candidate_pairs(prepared, progress, max_probe_df=max_probe_df)
    scores, contained = _verify(prepared, left, right, settings, workers=workers)
    keep = scores > 0
    return left[keep], right[keep], scores[keep], contained[keep]


def candidate_pairs(
    prepared: Prepared, progress: Progress | None = None, *, max_probe_df: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Blocking: index pairs (left < right) whose content words overlap enough to be worth a check."""
    from scipy import sparse

    everything = prepared.content
    n = everything.shape[0]
    lengths = np.diff(everything.indptr)
    # Prefix filter for overlap, probed from the shorter side: if y holds >= MIN_OVERLAP of shorter x's
    # words, it holds at least `required` of x's first `prefix_len` words (rarest first).
    needed = np.ceil(MIN_OVERLAP * lengths).astype(np.int64)
    required = np.minimum(PREFIX_HITS, needed)
    prefix_len = np.minimum(lengths - needed + required, lengths)
    df = np.bincount(everything.indices, minlength=everything.shape[1])
    cap = max_probe_df if max_probe_df is not None else default_probe_df(n)
    position = np.arange(everything.nnz) - np.repeat(everything.indptr[:-1], lengths)
    in_prefix = (position < np.repeat(prefix_len, lengths)) & (df[everything.indices] <= cap)
    row_of = np.repeat(np.arange(n), lengths)
    probe = sparse.csr_matrix(
        (np.ones(int(in_prefix.sum()), dtype=np.int32), (row_of[in_prefix], everything.indices[in_prefix])),
        shape=everything.shape,
    )
    everything_t = everything.T.tocsr()
    lefts: list[np.ndarray] = []
    rights: list[np.ndarray] = []
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        hits = (probe[start:stop] @ everything_t).tocoo()
        rows = hits.row.astype(np.int64) + start
        cols = hits.col.astype(np.int64)
        # Each pair is probed from one side only: the shorter text, or the lower index of two equal ones.
        from_shorter = (lengths[rows] < lengths[cols]) | ((lengths[rows] == lengths[cols]) & (rows < cols))
        ok = (hits.data >= required[rows]) & from_shorter
        lefts.append(np.minimum(rows[ok], cols[ok]))
        rights.append(np.maximum(rows[ok], cols[ok]))
        if progress is not None:
            progress(stop, n)
    left = np.concatenate(lefts) if lefts else np.empty(0, dtype=np.int64)
    right = np.concatenate(rights) if rights else np.empty(0, dtype=np.int64)
    shared = _shared(everything, left, right)
    keep = shared >= np.ceil(MIN_OVERLAP * np.minimum(lengths[left], lengths[right]))
    return left[keep], right[keep]


def verify_pairs(
    prepared: Prepared, left: np.ndarray, right: np.ndarray, settings: Settings, *, workers: int = -1
) -> tuple[np.ndarray, np.ndarray]:
    """The near-duplicate check of chosen pairs (``left < right``) of ``prepared``: each pair's score
    (float32, 0 where it is not a near-duplicate) and whether it holds only by containment."""
    return _verify(prepared, np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64), settings,
                   workers=workers)


def default_probe_df(n: int) -> int:
    """How many texts may hold a word still used for blocking: 5% of them, at least 50, at most 1000.

    The upper bound keeps the work per text constant as the input grows (time grows about linearly).
    """
    return max(50, min(n // 20, 1000))


def _shared(matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Number of columns rows ``left[k]`` and ``right[k]`` of a binary matrix have in common."""
    shared = np.zeros(len(left), dtype=np.int64)
    for start in range(0, len(left), _PAIR_BLOCK):
        a, b = left[start : start + _PAIR_BLOCK], right[start : start + _PAIR_BLOCK]
        shared[start : start + _PAIR_BLOCK] = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
    return shared


def _verify(
    prepared: Prepared, left: np.ndarray, right: np.ndarray, settings: Settings, *, workers: int
) -> tuple[np.ndarray, np.ndarray]:
    """Check candidate pairs: each pair's score (0 where not a near-duplicate) and whether only by containment."""
    if len(left) == 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=bool)
    # Scores depend on the normalised texts only, and a big story repeats texts (an agency paragraph printed
    # by hundreds of outlets): each distinct pair of texts is checked once, by one pair that has it.
    text_id = prepared.text_id
    distinct = len(prepared.distinct)
    a, b = text_id[left], text_id[right]
    # Ordered pairs of texts (partial_ratio need not be symmetric).
    keys, first, back = np.unique(a * distinct + b, return_index=True, return_inverse=True)
    if len(keys) < len(left):
        scores, contained = _verify_each(prepared, left[first], right[first], settings, workers=workers)
        return scores[back.ravel()], contained[back.ravel()]
    return _verify_each(prepared, left, right, settings, workers=workers)


def _verify_each(
    prepared: Prepared, left: np.ndarray, right: np.ndarray, settings: Settings, *, workers: int
) -> tuple[np.ndarray, np.ndarray]:
    """``_verify`` of every pair as given."""
    sorted_forms = prepared.token_sorted
    # token_sort_ratio == ratio of the token-sorted strings, which are built once instead of per pair.
    scores = process.cpdist(
        list(map(sorted_forms.__getitem__, left.tolist())),
        list(map(sorted_forms.__getitem__, right.tolist())),
        scorer=fuzz.ratio,
        processor=None,  # Prepared has normalised and token-sorted the texts
        score_cutoff=settings.near_duplicate_cutoff,
        workers=workers,
        dtype=np.float32,
    )
    counts = prepared.word_counts
    rest = np.flatnonzero((scores == 0) & (np.minimum(counts[left], counts[right]) >= CONTAINMENT_MIN_WORDS))
    contained = np.zeros(len(left), dtype=bool)
    if len(rest):
        share = containment(prepared, left[rest], right[rest], workers=workers)
        hit = share >= settings.containment_cutoff
        scores[rest[hit]] = share[hit]
        contained[rest[hit]] = True
    # An empty text matches nothing, however the scorers treat it.
    scores[(counts[left] == 0) | (counts[right] == 0)] = 0
    return scores, contained


def containment(prepared: Prepared, left: np.ndarray, right: np.ndarray, *, workers: int = -1) -> np.ndarray:
    """Containment score (0-100) of the shorter text of each pair in the other (see the module doc)."""
    pairs = prepared.word_pairs
    sizes = np.diff(pairs.indptr)
    shared = _shared(pairs, left, right)
    smaller = np.maximum(np.minimum(sizes[left], sizes[right]), 1)
    by_word_pairs = (100.0 * shared / smaller).astype(np.float32)
    aligned = np.empty(len(left), dtype=np.float32)
    for start in range(0, len(left), _SYMBOL_PAIRS):
        a, b = left[start:start + _SYMBOL_PAIRS], right[start:start + _SYMBOL_PAIRS]
        compact = prepared.aligned_symbols(a, b)
        if compact is None:
            symbols = prepared.word_symbols(itertools.chain(a.tolist(), b.tolist()))
            compact = list(map(symbols.__getitem__, a.tolist())), list(map(symbols.__getitem__, b.tolist()))
        aligned[start:start + _SYMBOL_PAIRS] = process.cpdist(
            *compact,
            scorer=fuzz.partial_ratio,
            processor=None,  # one symbol per normalised word
            workers=workers,
            dtype=np.float32,
        )
    return np.maximum(by_word_pairs, aligned)


def all_pairs_matches(
    texts: Sequence[str], settings: Settings, *, workers: int = -1
) -> dict[tuple[int, int], Match]:
    """The same decision over every pair: ``process.cdist`` plus a dense word-pair product.

    Quadratic in time and memory: a reference for benchmarks and tests, not for real runs.
    """
    prepared = Prepared(texts)
    whole = process.cdist(
        prepared.token_sorted,
        prepared.token_sorted,
        scorer=fuzz.ratio,
        processor=None,
        score_cutoff=settings.near_duplicate_cutoff,
        workers=workers,
        dtype=np.float32,
    )
    pairs = prepared.word_pairs
    shared = (pairs @ pairs.T).toarray()
    sizes = np.diff(pairs.indptr)
    share = 100.0 * shared / np.maximum(np.minimum.outer(sizes, sizes), 1)
    symbols = list(prepared.word_symbols(range(len(texts))).values())
    aligned = process.cdist(
        symbols,
        symbols,
        scorer=fuzz.partial_ratio,
        processor=None,
        workers=workers,
        dtype=np.float32,
    )
    share = np.maximum(share, aligned)
    counts = prepared.word_counts
    long_enough = np.minimum.outer(counts, counts) >= CONTAINMENT_MIN_WORDS
    by_containment = (whole == 0) & long_enough & (share >= settings.containment_cutoff)
    scores = np.where(by_containment, share, whole)
    empty = counts == 0
    scores[empty[:, None] | empty[None, :]] = 0
    i, j = np.nonzero(np.triu(scores, k=1))
    return {(int(a), int(b)): Match(float(scores[a, b]), bool(by_containment[a, b])) for a, b in zip(i, j)}
