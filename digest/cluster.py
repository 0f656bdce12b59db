"""Cluster stage: articles into stories, then a story's paragraphs into near-duplicates.

Stories: articles are compared by TF-IDF over their content words and adjacent
content-word pairs that at least two articles share (cosine), and
grouped by average-linkage agglomerative clustering cut at
``1 - settings.story_threshold``. Average linkage does not chain two stories
through one article that mentions both. Paragraphs that are about another story
of the input, or that share no topic words with the rest of their story, move to
``Story.off_story``.

Near-duplicates: see ``cluster_paragraphs`` and ``digest.similarity``.
Library code: no printing; long work reports through an optional ``progress``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from digest.models import CleanArticle, Cluster, Dropped, Paragraph, Story
from digest.settings import Settings
from digest.similarity import Match, Progress, near_duplicate_matches
from digest.text import content_words, split_sentences

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
# Sentences shorter than this stay attached to their neighbour when a paragraph is split.
MIN_SENTENCE_WORDS = 5


# --- stories ------------------------------------------------------------------


def group_stories(
    articles: Sequence[CleanArticle], settings: Settings, progress: Progress | None = None
) -> list[Story]:
    """Group articles into stories, most outlets first; move off-story paragraphs to ``Story.off_story``.

    Deterministic: articles are handled in order of their id, stories are ordered
    by distinct outlets, then articles, then their first article id, and named
    ``story-1``, ``story-2``, ... in that order. A single-outlet story is kept.
    """
    ordered = sorted(articles, key=lambda a: a.article.id)
    if not ordered:
        return []
    documents = [_article_text(a) for a in ordered]
    vectorizer, matrix = _tfidf(documents)
    labels = story_labels(matrix, settings.story_threshold)
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
    reasons = _off_story_reasons(ordered, matrix, story_of, story_members, vectorizer)
    stories: list[Story] = []
    for number, members in enumerate(story_members):
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
    """Story label per row of an L2-normalised TF-IDF matrix (average linkage on cosine distance)."""
    n = matrix.shape[0]
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    from sklearn.cluster import AgglomerativeClustering

    similarity = (matrix @ matrix.T).toarray()
    distance = np.clip(1.0 - similarity, 0.0, 2.0)
    np.fill_diagonal(distance, 0.0)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - threshold
    )
    return model.fit_predict(distance)


def _article_text(article: CleanArticle) -> str:
    title = article.article.title or ""
    return "\n".join([title, *(p.text for p in article.paragraphs)])


def story_terms(text: str) -> list[str]:
    """Terms for story similarity: content words and pairs of adjacent content words ("white house")."""
    words = content_words(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]


def _tfidf(documents: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Only terms shared by two or more articles can link articles; the rest would only dilute the vectors.
    vectorizer = TfidfVectorizer(
        tokenizer=story_terms,
        lowercase=False,
        token_pattern=None,
        sublinear_tf=True,
        norm="l2",
        min_df=2 if len(documents) > 1 else 1,
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # no content word anywhere: every article is its own story
        from scipy import sparse

        return None, sparse.identity(len(documents), format="csr")
    return vectorizer, matrix


def _story_sums(matrix, story_members: list[list[int]]):
    """Sparse stories x terms matrix: the sum of each story's article vectors."""
    from scipy import sparse

    rows = np.concatenate([np.full(len(m), k) for k, m in enumerate(story_members)])
    cols = np.concatenate([np.asarray(m) for m in story_members])
    membership = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(story_members), matrix.shape[0]))
    return (membership @ matrix).tocsr()


def _normalise_rows(matrix):
    from sklearn.preprocessing import normalize

    return normalize(matrix, norm="l2", axis=1)


def _off_story_reasons(
    ordered: list[CleanArticle], matrix, story_of: np.ndarray, story_members: list[list[int]], vectorizer
) -> dict[tuple[int, int], str]:
    """Reasons keyed by (article index, paragraph row) for paragraphs that do not belong to their story.

    Each paragraph is compared with its story without its own article (with its
    own article in a single-article story) and with every other story.
    """
    if vectorizer is None:
        return {}
    where = [(index, row) for index, a in enumerate(ordered) for row in range(len(a.paragraphs))]
    if not where:
        return {}
    sums = _story_sums(matrix, story_members)
    centroids = _normalise_rows(sums)
    centroid_terms = (centroids > 0).astype(np.int32).T.tocsr()
    others = np.array([len(story_members[s]) - 1 for s in story_of])
    own_rows = sums[story_of] - matrix.multiply((others > 0)[:, None]).tocsr()
    own = _normalise_rows(own_rows)
    reasons: dict[tuple[int, int], str] = {}
    step = 4096
    for start in range(0, len(where), step):
        block = where[start : start + step]
        articles = np.array([index for index, _ in block])
        paragraphs = vectorizer.transform([ordered[index].paragraphs[row].text for index, row in block])
        own_similarity = np.asarray(paragraphs.multiply(own[articles]).sum(axis=1)).ravel()
        similarity = (paragraphs @ centroids.T).toarray()
        similarity[np.arange(len(block)), story_of[articles]] = 0.0
        best_story = similarity.argmax(axis=1)
        best_other = similarity[np.arange(len(block)), best_story]
        shared_terms = ((paragraphs > 0).astype(np.int32) @ centroid_terms).toarray()[np.arange(len(block)), best_story]
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
    units, matches = _units_and_matches(paragraphs, settings, progress)
    groups = _link_without_chaining(units, matches)
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


def _units_and_matches(
    paragraphs: list[Paragraph], settings: Settings, progress: Progress | None
) -> tuple[list[_Unit], dict[tuple[int, int], Match]]:
    """Final units (paragraphs, or sentences of split ones) and the matches among them."""
    candidates: list[_Unit] = [_Unit(p, -1) for p in paragraphs]
    sentences_of: dict[int, list[int]] = {}
    for index, paragraph in enumerate(paragraphs):
        sentences = _sentences(paragraph)
        if len(sentences) > 1:
            sentences_of[index] = []
            for number, sentence in enumerate(sentences):
                sentences_of[index].append(len(candidates))
                candidates.append(_Unit(Paragraph(paragraph.article_id, paragraph.position, sentence), number))
    parent = {u: p for p, us in sentences_of.items() for u in us}
    matches = near_duplicate_matches([u.paragraph.text for u in candidates], settings, progress)
    neighbours: dict[int, set[int]] = {}
    for i, j in matches:
        neighbours.setdefault(i, set()).add(j)
        neighbours.setdefault(j, set()).add(i)

    def whole(unit: int) -> int:
        return parent.get(unit, unit)

    split: set[int] = set()
    for paragraph, sentence_units in sentences_of.items():
        article = paragraphs[paragraph].article_id
        matched_whole = {whole(n) for n in neighbours.get(paragraph, ())}
        for unit in sentence_units:
            for other in neighbours.get(unit, ()):
                if candidates[other].paragraph.article_id != article and whole(other) not in matched_whole:
                    split.add(paragraph)
    final = [
        u
        for index, paragraph_units in enumerate(
            [[i] if i not in split else sentences_of[i] for i in range(len(paragraphs))]
        )
        for u in paragraph_units
    ]
    renumber = {old: new for new, old in enumerate(final)}
    kept = {
        (renumber[i], renumber[j]) if renumber[i] < renumber[j] else (renumber[j], renumber[i]): match
        for (i, j), match in matches.items()
        if i in renumber and j in renumber
    }
    return [candidates[i] for i in final], kept


def _link_without_chaining(units: list[_Unit], matches: dict[tuple[int, int], Match]) -> list[list[int]]:
    """Greedy medoid clustering with a complete-linkage check; returns sorted index groups."""
    neighbours: dict[int, dict[int, Match]] = {i: {} for i in range(len(units))}
    for (i, j), match in matches.items():
        neighbours[i][j] = match
        neighbours[j][i] = match

    def linked(a: int, b: int, centre: int) -> bool:
        if b in neighbours[a]:
            return True
        to_a, to_b = neighbours[centre].get(a), neighbours[centre].get(b)
        return bool(to_a and to_b and not to_a.contained and not to_b.contained)

    def strength(i: int) -> tuple:
        articles = {units[j].paragraph.article_id for j in neighbours[i]}
        return (-len(articles), -sum(m.score for m in neighbours[i].values()), units[i].key)

    assigned: set[int] = set()
    groups: list[list[int]] = []
    for centre in sorted(range(len(units)), key=strength):
        if centre in assigned:
            continue
        group = [centre]
        assigned.add(centre)
        options = sorted(
            (j for j in neighbours[centre] if j not in assigned),
            key=lambda j: (-neighbours[centre][j].score, units[j].key),
        )
        for candidate in options:
            if all(linked(candidate, member, centre) for member in group):
                group.append(candidate)
                assigned.add(candidate)
        groups.append(sorted(group, key=lambda i: units[i].key))
    return groups
