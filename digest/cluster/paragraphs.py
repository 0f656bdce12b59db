"""Near-duplicate paragraphs of one story: sentence units compared with ``digest.similarity`` and linked
without chaining (see ``cluster_paragraphs``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digest.cluster.linkage import _sorted_holds, _sorted_unique
from digest.models import Cluster, Paragraph, Story
from digest.settings import Settings
from digest.similarity import Prepared, Progress, candidate_pairs, near_duplicate_arrays, verify_pairs
from digest.text import split_sentences

# Sentences shorter than this stay attached to their neighbour when a paragraph is split.
MIN_SENTENCE_WORDS = 5



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

