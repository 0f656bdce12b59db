"""Select stage: group near-duplicate sentences across outlets and keep the most informative version of each.

The briefing is written in sentences, so clusters (of paragraphs or of
sentences, whichever the cluster stage gives) are split into sentences, and
sentences that say the same thing in different articles are grouped again:
two sentences are near-duplicates when their content words overlap by half
(Jaccard >= ``NEAR_DUPLICATE_JACCARD``), when one holds nearly all the content
words of the other (containment >= ``CONTAINMENT``, for sentences of at least
five content words), or when their characters match closely (rapidfuzz ratio
>= ``settings.near_duplicate_cutoff``).

Choosing the version (``choose_version``):

1. **no odd spellings**: a member with a word that no other member spells that
   way, but that is one or two letters from a word another member (or, given a
   story vocabulary, the rest of the story) uses, is never chosen while a member
   without one exists (a typo or a variant transliteration);
2. **coverage of the shared facts**: the share of the group's *core* terms
   (names, numbers and content words carried by at least two members) that the
   member carries weighs 0.75, its share of the group's whole union 0.25; a
   member that holds every other member's content words gets a bonus;
3. **caption or credit markers** ("(AP)", "via Reuters", "Getty Images",
   "Photo:") and an **opening that refers back** to an earlier sentence ("This
   ...", "But he ...", "denied those claims") cost a penalty;
4. **the shorter of equals**: among members scoring within ``SHORTER_TOLERANCE``
   of the best, the one with fewest words wins (it carries the same facts in
   fewer words), then the higher score, then the earlier article.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from digest.models import Cluster, Paragraph, Selection
from digest.settings import Settings
from digest.text import STOP_WORDS, normalise, split_sentences, tokens

NEAR_DUPLICATE_JACCARD = 0.5
SHORTER_TOLERANCE = 0.03
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir"})  # a title says nothing about the facts
CONTAINMENT = 0.8
MAX_SENTENCE_WORDS = 120  # longer "sentences" are walls of text (lists, unpunctuated dumps), not briefing lines
_COMMON_TERM_SHARE = 0.2  # terms in more sentences than this share do not make two sentences candidates
# The character ratio joins two sentences only when they also share this share of the shorter one's terms:
# it keeps the ratio from being computed for every pair of a big story (two rewrites of one sentence that
# the ratio joins share 35-80% of their terms on bench/scale.py's one-story corpus).
RATIO_MIN_OVERLAP = 0.5
PREFIX_HITS = 2  # a candidate pair shares this many of the shorter sentence's probe terms (or all it must)
_PROBE_BLOCK = 1024  # sentences whose candidate pairs are found at once (bounds memory)
_PAIR_BLOCK = 200_000  # pairs whose shared terms are counted at once
_RATIO_BLOCK = 50_000  # pairs whose character ratio is computed at once
_CAPTION_MARKERS = re.compile(
    r"\((?:AP|AFP|Reuters|Xinhua|dpa|EPA|UPI)\)|\bvia (?:Reuters|AP|AFP|Getty)|getty images|\bphoto(?:graph)?:|"
    r"\bfile photo\b|\bopens in new (?:window|tab)\b|\((?:L|R|C|left|right|centre|center)\)|/\s*(?:Reuters|AP|AFP)\b|"
    r"[-–—]\s*(?:Reuters|AP|AFP)\s*$",
    re.I,
)


def key_terms(text: str) -> set[str]:
    """Names, numbers and content words of ``text``, folded for comparison ("Jones's" -> "jones")."""
    return set(_key_terms(text))  # a copy: callers may change their set, never the memoised one


@lru_cache(maxsize=100_000)
def _key_terms(text: str) -> frozenset[str]:
    # Memoised: select groups a story's sentences, then scores each group's members with the same terms.
    terms = set()
    for token in tokens(normalise(text).replace(" s ", " ")):
        if token in STOP_WORDS or token in _HONORIFICS or len(token) < 2 and not token.isdigit():
            continue
        terms.add(_stem(token))
    return frozenset(terms)


@lru_cache(maxsize=100_000)
def _lower_words(text: str) -> frozenset[str]:
    # Memoised: the story's vocabulary, each group's member words and each member's spelling check read
    # the same sentences' words.
    return frozenset(w.lower() for w in tokens(text))


@lru_cache(maxsize=100_000)
def _stem(token: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(token) > len(suffix) + 3 and token.endswith(suffix):
            return token[: -len(suffix)]
    return token


@dataclass(frozen=True, slots=True)
class Choice:
    """Which member of a group was chosen, and the plain-words reason for ``digest explain``."""

    index: int
    reason: str
    scores: tuple[float, ...]


def choose_version(texts: Sequence[str], vocabulary: Counter[str] | None = None) -> Choice:
    """Pick the most informative of near-duplicate ``texts`` (the rule is in the module docstring).

    ``vocabulary`` (lower-cased word -> how many sentences of the story use it)
    lets a member's odd spelling be found against the whole story, not only the group.
    """
    if len(texts) == 1:
        typos = misspellings(texts[0], vocabulary) if vocabulary else set()
        note = "only version" + ("; spelling the rest of the story does not share: " + ", ".join(sorted(typos))
                                 if typos else "")
        return Choice(0, note, (1.0,))
    term_sets = [_key_terms(t) for t in texts]  # read only: the memoised sets
    union = set().union(*term_sets)
    term_counts: Counter[str] = Counter(t for terms in term_sets for t in terms)
    core = {t for t, n in term_counts.items() if n >= 2} or union
    raw_tokens = [_lower_words(t) for t in texts]  # read only: the memoised sets
    token_counts: Counter[str] = Counter(t for tokens in raw_tokens for t in tokens)
    by_shape: dict[tuple[str, int], list[str]] = defaultdict(list)  # (first letter, length) -> words
    for word in token_counts:
        by_shape[(word[:1], len(word))].append(word)
    scored = []
    notes = []
    flawed = []
    for i, terms in enumerate(term_sets):
        coverage = len(terms) / len(union) if union else 0.0
        core_coverage = len(terms & core) / len(core) if core else 0.0
        if len(texts) <= 30:
            others = [term_sets[j] for j in range(len(texts)) if j != i]
            contains = all(len(o - terms) <= max(1, len(o) // 10) for o in others)
        else:  # large groups: compare with the union rather than member by member
            contains = coverage >= 0.9
        unique = {t for t in raw_tokens[i] if token_counts[t] == 1}
        # The words of the other members are every word but this member's unique ones (looked up by length).
        typos = _unique_spellings(unique, by_shape)
        if vocabulary:
            typos |= misspellings(texts[i], vocabulary)
        caption = bool(_CAPTION_MARKERS.search(texts[i]))
        refers_back = opens_with_reference(texts[i])
        score = (0.75 * core_coverage + 0.25 * coverage + (0.1 if contains else 0.0) - 0.2 * len(typos)
                 - (0.3 if caption else 0.0) - (0.1 if refers_back else 0.0))
        scored.append(score)
        flawed.append(bool(typos))
        bits = [f"covers {len(terms & core)}/{len(core)} of the facts the versions share, "
                f"{len(terms)}/{len(union)} of the group's names, numbers and words"]
        if contains:
            bits.append("contains the other versions")
        if typos:
            bits.append("spelling no other version shares: " + ", ".join(sorted(typos)))
        if caption:
            bits.append("caption or credit marker")
        if refers_back:
            bits.append("opens by referring to an earlier sentence")
        notes.append("; ".join(bits))
    eligible = [i for i in range(len(texts)) if not flawed[i]] or list(range(len(texts)))
    top = max(scored[i] for i in eligible)
    close = [i for i in eligible if scored[i] >= top - SHORTER_TOLERANCE]
    best = min(close, key=lambda i: (len(tokens(texts[i])), -round(scored[i], 6), i))
    reason = notes[best]
    if len(close) > 1:
        reason += "; shortest of the versions carrying as much"
    return Choice(best, reason, tuple(scored))


# An opening that points back to a sentence the reader has not seen ("This ...", "But he ...",
# "The move ...") or a back-reference early on ("have denied those claims").
_TIME_NOUNS = (r"(?:week|month|year|summer|winter|spring|autumn|fall|morning|afternoon|evening|time|weekend|season|"
               r"century|decade)")
_REFERRING_OPENING = re.compile(
    r"^(?:(?:but|and|yet|still|however|also|meanwhile|moreover|instead|nevertheless)\b"  # a reply to the unseen
    r"|(?:first|second|third|finally|then),"  # a step of a list the reader has not seen
    # a link to what came before ("In fact, fears are rising that the opposite ..."); with its comma, so
    # "In addition to the fine ..." and "As a result of the storm ..." still open on their own
    r"|(?:in fact|indeed|in addition|additionally|furthermore|nonetheless|likewise|as a result|in response|"
    r"in turn|by contrast|in contrast|on the other hand|even so|otherwise|therefore|thus|consequently),"
    r"|the \d+-year-old(?=,|\s+(?:was|is|has|had|said|says|who|will|would)\b)"  # "The 73-year-old, who ..."
    r"|(?:so\b,?\s+)?(?:(?:he|she|it|they|them|his|her|its|their)\b"
    r"|(?:this|that|these|those|such)\b(?!\s+" + _TIME_NOUNS + r"\b)"
    r"|the (?:move|decision|step|announcement|news|remarks?|comments?|claims?|statement|development|deal|plan|"
    r"latter|former|same|two|three|pair|couple|spokes(?:man|woman|person))\b)"
    # a short lead-in and a pronoun for someone or something named before ("Among men, it was in ...",
    # "Months later, he returned"); "it" standing for a clause that follows ("it was unclear whether") is none
    r"|[\w’'-]+(?:\s+[\w’'-]+){0,3},\s+(?:he|she|they|it(?!\s+(?:is|was|has been|had been|seems|seemed|appears|"
    r"appeared|emerged|remains|remained)\s+(?:\w+\s+)?(?:that|to|whether|if|how|why|when|what)\b))\b"
    # a superlative standing for a noun the reader has not seen ("The most popular has 11,000 signatures")
    r"|the (?:(?:most|least)\s+[a-z]+|largest|biggest|smallest|oldest|youngest|highest|lowest|latest|first|last)"
    r"\s+(?:has|have|had|is|are|was|were)\b)",
    re.I,
)
_BACK_REFERENCE = re.compile(
    r"\b(?:this|these|those|such)\s+(?!" + _TIME_NOUNS + r"\b)[a-z]+|\b(?:denied|rejected|dismissed|confirmed) "
    r"(?:this|them|that(?=\s*[.,;:!?]|\s*$)|it(?!\s+(?:will|would|was|is|has|had|could|can|may|might|should|must)\b))\b",
    re.I,
)


# A sentence cut off before its end: it stops on an ellipsis ("The difference is that he has...").
_CUT_OFF = re.compile(r"(?:…|\.\.\.)[\"”’'»)\]]*\s*$")


def is_cut_off(text: str) -> bool:
    """The sentence stops on an ellipsis: the outlet cut it (a teaser, a truncated feed item), so it says part of
    what it set out to."""
    return bool(_CUT_OFF.search(text))


def opens_with_reference(text: str) -> bool:
    """True when ``text`` leans on an earlier sentence: it opens with "But", "However", a pronoun (maybe after a
    short lead-in: "Among men, it ..."), "The move" or a superlative for a noun ("The most popular has ..."), or
    refers to "those claims" / "denied this" within its first ten words."""
    if _REFERRING_OPENING.match(text.lstrip("\"“‘'( ")):
        return True
    head = " ".join(text.split()[:10])
    return bool(_BACK_REFERENCE.search(head))


def _unique_spellings(unique: set[str], by_shape: dict[tuple[str, int], list[str]]) -> set[str]:
    """Words only this member has that are one or two letters from a word another member uses, the difference
    not being an ending ("Waller" beside "Weller", not "Russian" beside "Russia").

    ``by_shape`` indexes the group's words by first letter and length, so each word is compared with the
    few of about its length, not with the group's whole vocabulary (a big story's group has thousands).
    """
    found = set()
    for token in unique:
        if len(token) < 4 or token.isdigit():
            continue
        limit = 1 if len(token) < 7 else 2
        if any(o not in unique and not _same_stem(token, o)
               and Levenshtein.distance(token, o, score_cutoff=limit) <= limit
               for size in range(len(token) - limit, len(token) + limit + 1)
               for o in by_shape.get((token[:1], size), ())):
            found.add(token)
    return found


def _same_stem(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ only in their last two letters or an added ending (an inflection)."""
    stem = min(len(a), len(b)) - 2
    return a[:stem] == b[:stem]


class Vocabulary(Counter):
    """Lower-cased word -> number of sentences using it, with the words used twice or more indexed by first letter
    and length (so a rare word is compared with a few candidates, not the whole story)."""

    def near_frequent(self, token: str, limit: int) -> list[str]:
        index = self.__dict__.get("_index")
        if index is None:
            index = defaultdict(list)
            for word, n in self.items():
                if n >= 2:
                    index[(word[:1], len(word))].append(word)
            self.__dict__["_index"] = index
        return [w for d in range(-limit, limit + 1) for w in index.get((token[:1], len(token) + d), ())]


def story_vocabulary(texts: Iterable[str]) -> Vocabulary:
    """Lower-cased word -> number of ``texts`` using it (for ``misspellings``)."""
    counts = Vocabulary()
    for text in texts:
        counts.update(_lower_words(text))
    return counts


def misspellings(text: str, vocabulary: Counter[str]) -> set[str]:
    """Words of ``text`` used by no other sentence of the story that are one or two letters from a word other
    sentences use at least twice, the difference not being an ending ("suggsted" beside "suggested", not
    "reaches" beside "reached")."""
    found = set()
    for token in _lower_words(text):
        if vocabulary.get(token, 0) > 1 or len(token) < 5 or not token.isalpha():
            continue
        limit = 1 if len(token) < 8 else 2
        if isinstance(vocabulary, Vocabulary):
            others = vocabulary.near_frequent(token, limit)
        else:
            others = [w for w, n in vocabulary.items() if n >= 2 and w[:1] == token[:1]]
        for other in others:
            if other == token or abs(len(other) - len(token)) > limit:
                continue
            if _same_stem(token, other):
                continue  # an inflection, not a typo
            if Levenshtein.distance(token, other, score_cutoff=limit) <= limit:
                found.add(token)
                break
    return found


def split_cluster_sentences(clusters: Iterable[Cluster]) -> list[Paragraph]:
    """Every distinct sentence of the clusters' members, as Paragraph records (position = paragraph position)."""
    seen: set[tuple[str, int, str]] = set()
    sentences: list[Paragraph] = []
    members = sorted({(m.article_id, m.position, m.text) for c in clusters for m in c.members})
    for article_id, position, text in members:
        for sentence in split_sentences(text):
            key = (article_id, position, sentence)
            count = len(tokens(sentence))
            if key in seen or not count or count > MAX_SENTENCE_WORDS:
                continue
            seen.add(key)
            sentences.append(Paragraph(article_id, position, sentence))
    return sentences


def near_duplicate_groups(texts: Sequence[str], settings: Settings) -> list[list[int]]:
    """Indexes of ``texts`` grouped by the near-duplicate rule of the module docstring (deterministic).

    Two sentences are compared only when they share a term that is not too common (in at most
    ``_COMMON_TERM_SHARE`` of the sentences), or when the later one has at most three terms, and, for the
    character ratio, when they share ``RATIO_MIN_OVERLAP`` of the shorter one's terms. A groups is a
    connected component of the pairs that state the same thing. All of it is sparse-matrix work on the
    pairs that can qualify (never a rescan of the story per sentence), so a story of 30,000 sentences
    takes seconds; identical sentences are compared once (the groups are those of every pair compared).
    """
    import numpy as np  # numpy and scipy only when sentences are grouped (not for `digest --help`)

    if not texts:
        return []
    # Wire copy prints one sentence in many outlets: a text the rule compares with its own copy is one row
    # for all its copies, which pair with any other sentence as it does. Other texts (no key term, or only
    # too common ones) match nothing but short sentences after them, so each of their copies stays a row.
    # Term frequencies count every copy: "too common" means what it means without the merge.
    distinct: dict[str, int] = {}
    number = [distinct.setdefault(t, len(distinct)) for t in texts]
    terms = [_key_terms(t) for t in distinct]
    counts = np.bincount(np.asarray(number, dtype=np.int64), minlength=len(distinct))
    frequency = Counter()
    for found, count in zip(terms, counts.tolist()):
        for term in found:
            frequency[term] += count
    cap = max(30, int(_COMMON_TERM_SHARE * len(texts)))
    merged = [bool(ts) and (len(ts) <= 3 or any(frequency[t] <= cap for t in ts)) for ts in terms]
    row_of_text, row_of_distinct, first_text = [], {}, []
    for i, k in enumerate(number):
        row = row_of_distinct.get(k) if merged[k] else None
        if row is None:
            row = len(first_text)
            first_text.append(i)
            if merged[k]:
                row_of_distinct[k] = row
        row_of_text.append(row)
    rows = np.asarray(row_of_text, dtype=np.int64)
    # Which sentence is the later one matters to the rule for short ones: where each row's last copy is,
    # as the last row first met before it.
    last_place = np.zeros(len(first_text), dtype=np.int64)
    np.maximum.at(last_place, rows, np.arange(len(rows)))
    last = np.searchsorted(np.asarray(first_text, dtype=np.int64), last_place, side="right") - 1
    label = _row_labels([texts[i] for i in first_text], [terms[number[i]] for i in first_text], frequency, cap,
                        last, settings).tolist()
    groups: dict[int, list[int]] = {}
    for i, row in enumerate(row_of_text):
        groups.setdefault(label[row], []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _row_labels(texts: Sequence[str], terms: Sequence[set[str]], frequency: Counter, cap: int, last,
                settings: Settings):
    """Group labels of ``texts`` (rows, each for one or more copies of a sentence) with their key ``terms``;
    ``frequency``: the sentences holding each term, every copy counted; a term in more than ``cap`` is too
    common to make candidates (``last``: see ``_candidate_pairs``)."""
    import numpy as np
    from scipy import sparse

    from digest.graph import connected_components  # scipy's labels, without importing scipy.sparse.linalg

    n = len(texts)
    folded = [normalise(t) for t in texts]
    matrix, lengths, held = _term_matrix(terms, frequency)
    left, right = _candidate_pairs(matrix, lengths, held, held > cap, last)
    shared = _shared_terms(matrix, left, right)
    small = np.minimum(lengths[left], lengths[right])
    union = lengths[left] + lengths[right] - shared
    cheap = (shared / np.maximum(union, 1) >= NEAR_DUPLICATE_JACCARD) | (
        (small >= 4) & (shared / np.maximum(small, 1) >= CONTAINMENT))
    label = np.arange(n)

    def join(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        keep = label[a] != label[b]
        if not keep.any():
            return label
        graph = sparse.coo_matrix((np.ones(int(keep.sum()), dtype=np.int8), (label[a[keep]], label[b[keep]])),
                                  shape=(n, n))
        return connected_components(graph, directed=False)[1][label]

    label = join(left[cheap], right[cheap])
    # The character ratio, only where it can reach the cut-off: 2 * shorter / (sum of lengths) bounds it.
    cutoff = settings.near_duplicate_cutoff
    chars = np.fromiter((len(f) for f in folded), dtype=np.int64, count=n)
    total = chars[left] + chars[right]
    maybe = (~cheap & (shared >= np.ceil(RATIO_MIN_OVERLAP * small - 1e-9))
             & (200.0 * np.minimum(chars[left], chars[right]) >= (cutoff - 1e-6) * total))
    left, right = left[maybe], right[maybe]
    while len(left):
        # Pairs already in one group need no check; groups only grow, so filter again before each block.
        keep = label[left] != label[right]
        left, right = left[keep], right[keep]
        a, b, left, right = left[:_RATIO_BLOCK], right[:_RATIO_BLOCK], left[_RATIO_BLOCK:], right[_RATIO_BLOCK:]
        if not len(a):
            break
        scores = process.cpdist([folded[i] for i in a], [folded[j] for j in b], scorer=fuzz.ratio,
                                score_cutoff=cutoff, dtype=np.float64, workers=-1)
        found = scores >= cutoff
        label = join(a[found], b[found])
    return label


def _term_matrix(terms: Sequence[set[str]], frequency: Counter):
    """Sentence x term 0/1 matrix (CSR), terms per row, and each column's ``frequency``."""
    import numpy as np
    from scipy import sparse

    ids: dict[str, int] = {}
    columns = [[ids.setdefault(t, len(ids)) for t in sorted(ts)] for ts in terms]
    lengths = np.fromiter((len(c) for c in columns), dtype=np.int64, count=len(columns))
    indices = np.fromiter((c for row in columns for c in row), dtype=np.int64, count=int(lengths.sum()))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    matrix = sparse.csr_matrix((np.ones(len(indices), dtype=np.int32), indices, indptr),
                               shape=(len(columns), len(ids)))
    matrix.sort_indices()
    return matrix, lengths, np.fromiter((frequency[t] for t in ids), dtype=np.int64, count=len(ids))


def _candidate_pairs(matrix, lengths, frequency, common, last):
    """Pairs (left < right) that may state the same thing under the rule (see near_duplicate_groups).

    Every such pair shares at least ``need`` = ceil(RATIO_MIN_OVERLAP x shorter's terms) terms (the Jaccard
    and containment tests ask for more), so a pair that must share a not-too-common term is found from its
    shorter side through that side's rarest not-too-common terms (a prefix filter): if it shares ``need``
    terms of which at most ``c`` are common, it shares one of the first ``r - max(1, need - c) + 1`` of the
    row's ``r`` other terms. A sentence of at most three terms is compared with every earlier one it shares
    a term with. Rows may stand for several copies of a text, in order of their first copy: ``last[k]`` is
    the last row whose first copy comes before text k's last copy; ``frequency`` counts every copy, so rare
    terms rank first as ``common`` says.
    """
    import numpy as np
    from scipy import sparse

    n = matrix.shape[0]
    row_of = np.repeat(np.arange(n), lengths)
    # Each row's terms rarest first (ties by term id): a row's first not-too-common terms are its probes.
    indices = matrix.indices[np.lexsort((matrix.indices, frequency[matrix.indices], row_of))]
    is_common = common[indices]
    common_count = np.bincount(row_of[is_common], minlength=n)
    rare_count = lengths - common_count
    need = np.ceil(RATIO_MIN_OVERLAP * lengths - 1e-9).astype(np.int64)
    must_share = np.maximum(1, need - common_count)  # rare terms of the shorter row the other must hold
    hits_needed = np.minimum(PREFIX_HITS, must_share)
    probes = rare_count - must_share + hits_needed
    # Position of each entry among its row's rare terms (rows are rarest first, so rare ones lead).
    rare_rank = np.arange(len(indices)) - matrix.indptr[:-1][row_of]
    in_prefix = ~is_common & (rare_rank < probes[row_of])
    probe = sparse.csr_matrix((np.ones(int(in_prefix.sum()), dtype=np.int32),
                               (row_of[in_prefix], indices[in_prefix])), shape=matrix.shape)
    rare = sparse.csr_matrix((np.ones(int((~is_common).sum()), dtype=np.int32),
                              (row_of[~is_common], indices[~is_common])), shape=matrix.shape)
    rare_t = rare.T.tocsr()
    everything_t = matrix.T.tocsr()
    short = np.flatnonzero(lengths <= 3)
    lefts, rights = [], []
    for start in range(0, n, _PROBE_BLOCK):
        stop = min(n, start + _PROBE_BLOCK)
        hits = (probe[start:stop] @ rare_t).tocoo()
        rows = hits.row.astype(np.int64) + start
        cols = hits.col.astype(np.int64)
        from_shorter = (lengths[rows] < lengths[cols]) | ((lengths[rows] == lengths[cols]) & (rows < cols))
        ok = from_shorter & (hits.data >= hits_needed[rows])
        lefts.append(np.minimum(rows, cols)[ok])
        rights.append(np.maximum(rows, cols)[ok])
        block = short[(short >= start) & (short < stop)]
        if len(block):
            hits = (matrix[block] @ everything_t).tocoo()
            rows = block[hits.row]
            cols = hits.col.astype(np.int64)
            # (with copies: some copy of the short one comes after the other's first copy)
            earlier = (cols != rows) & (cols <= last[rows])
            lefts.append(np.minimum(rows, cols)[earlier])
            rights.append(np.maximum(rows, cols)[earlier])
    keys = np.concatenate(lefts) * n + np.concatenate(rights)
    # A short pair may be found twice. Sort and drop repeats rather than np.unique: numpy 2.4's hash-based
    # unique took 3.2 s on the 5M keys of a 300-article story, the sort 0.3 s (also right with no key).
    keys = np.sort(keys)
    keys = keys[np.concatenate([keys[:1] == keys[:1], keys[1:] != keys[:-1]])]
    return keys // n, keys % n


def _shared_terms(matrix, left, right):
    """How many terms rows ``left[k]`` and ``right[k]`` share."""
    import numpy as np

    shared = np.zeros(len(left), dtype=np.int64)
    for start in range(0, len(left), _PAIR_BLOCK):
        a, b = left[start:start + _PAIR_BLOCK], right[start:start + _PAIR_BLOCK]
        shared[start:start + _PAIR_BLOCK] = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
    return shared


def same_statement(a: set[str], b: set[str], text_a: str, text_b: str, cutoff: float) -> bool:
    """True when two sentences state the same thing (the near-duplicate rule)."""
    shared = len(a & b)
    if not shared:
        return False
    if shared / len(a | b) >= NEAR_DUPLICATE_JACCARD:
        return True
    small = min(len(a), len(b))
    if small >= 4 and shared / small >= CONTAINMENT:
        return True
    if shared < math.ceil(RATIO_MIN_OVERLAP * small - 1e-9):
        return False
    return fuzz.ratio(text_a, text_b) >= cutoff


def select_versions(clusters: Sequence[Cluster], settings: Settings) -> list[Selection]:
    """Sentence-level Selections: near-duplicate sentences across the story, each with its chosen version.

    Each Selection's ``cluster`` holds the sentences (as Paragraph records), ``chosen``
    the most informative one, ``sources`` every article that carries it, and
    ``reason`` why that version was chosen. Order: by first article and position.
    """
    sentences = split_cluster_sentences(clusters)
    vocabulary = story_vocabulary(s.text for s in sentences)
    story_id = clusters[0].id.rsplit("-", 1)[0] if clusters else "story"
    selections = []
    for n, group in enumerate(near_duplicate_groups([s.text for s in sentences], settings)):
        members = tuple(sentences[i] for i in group)
        choice = choose_version([m.text for m in members], vocabulary)
        cluster = Cluster(f"{story_id}-s{n + 1}", members)
        selections.append(Selection(cluster, members[choice.index], cluster.article_ids, choice.reason))
    return selections
