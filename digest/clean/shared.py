"""Furniture across documents: a paragraph that unrelated articles print word for word.

A share widget, a crawl notice or a player error is printed verbatim by pages about anything;
wire copy is printed verbatim by the outlets of one story. What tells them apart is what else
the documents holding the paragraph say: the articles that carry a widget share little else,
while the outlets that print one agency story also write about that story around it.

For each paragraph text (normalised) held by two or more articles, the holders' *residual* is
what each one keeps outside the paragraphs it shares with exactly the same articles (its
"block"). Then:

- two or more holders with a residual of their own: the block is furniture when the residuals
  are dissimilar (mean pairwise cosine below ``RESIDUALS_ALIKE``; computed from the sum of unit
  vectors, so without a loop over pairs);
- one holder with a residual: the block is furniture when it is unrelated to that residual
  (cosine below ``BLOCK_FITS``): a notice on top of a page about something else;
- no holder with a residual (identical copies): no evidence either way, and the block stays;
  its own words are judged by the per-paragraph rules of ``clean_article``.

Everything is hashed and counted once per paragraph (term vectors keep their ``VECTOR_TERMS``
heaviest terms), so the cost is linear in the input and the result does not depend on the
order of the articles. An article that is mostly furniture afterwards is set aside with a reason
(see ``mostly_furniture``) so that it does not become a story, and the run says so.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

from digest.models import CleanArticle, Dropped
from digest.text import STOP_WORDS, content_words, name_words, normalise, tokens

MIN_SHARED_WORDS = 4  # shorter lines ("Read more", "Photo") are left to the per-paragraph rules
MIN_RESIDUAL_WORDS = 15  # content words a holder must say outside the block to count as evidence
RESIDUALS_ALIKE = 0.25  # mean pairwise cosine of the holders' residuals at or above which they tell one story
BLOCK_FITS = 0.08  # cosine of the block to a lone residual at or above which the block belongs to it
VECTOR_TERMS = 64
SHARED_REASON = "printed word for word by {n} unrelated articles (page furniture)"


@dataclass(frozen=True, slots=True)
class SetAside:
    """An article left out of every story, and why."""

    article: CleanArticle
    reason: str


@dataclass(slots=True)
class TextForms:
    """Paragraph texts' word counts (``len(tokens(text))``), normal forms (``normalise(text)``) and name words
    (``name_words(text)``), by the text.

    Worked out where the articles are cleaned, in worker processes on a big run, which have just counted
    and normalised the same texts, so that ``drop_shared_furniture`` and ``cluster.group_stories`` do not
    do it again in one process.
    """

    word_counts: dict[str, int] = field(default_factory=dict)
    normal_forms: dict[str, str] = field(default_factory=dict)
    names: dict[str, frozenset[str]] = field(default_factory=dict)  # ``name_words``, of kept paragraphs

    def add(self, other: "TextForms") -> None:
        """Take in ``other``'s texts."""
        self.word_counts.update(other.word_counts)
        self.normal_forms.update(other.normal_forms)
        self.names.update(other.names)


def text_forms(clean: CleanArticle) -> TextForms:
    """The ``TextForms`` of every paragraph of ``clean`` that ``drop_shared_furniture`` and story grouping look at."""
    forms = TextForms()
    for p in clean.paragraphs:
        forms.names[p.text] = frozenset(name_words(p.text))
    for p in (*clean.paragraphs, *(d.paragraph for d in clean.dropped), *clean.headings):
        if p.position >= 0 and p.text not in forms.word_counts:
            forms.word_counts[p.text] = len(tokens(p.text))
            forms.normal_forms[p.text] = normalise(p.text)
    return forms


@dataclass(frozen=True, slots=True)
class FurnitureResult:
    """Articles with furniture shared across documents dropped, and those set aside as mostly furniture."""

    articles: tuple[CleanArticle, ...]
    set_aside: tuple[SetAside, ...]


def drop_shared_furniture(articles: Sequence[CleanArticle], min_words: int = 12,
                          forms: TextForms | None = None) -> FurnitureResult:
    """Drop paragraphs that unrelated articles print verbatim; set aside articles that are then mostly furniture.

    ``min_words``: an article with fewer kept words is a stub and is set aside too. ``forms``: the
    ``text_forms`` of the articles, when the caller has them (any text missing is worked out here).
    """
    # normalise's own cache holds fewer entries than a big run has paragraphs, and a scan in order through an
    # LRU cache misses every time: the run's normal forms are kept here, so each paragraph is normalised once.
    normal_forms: dict[str, str] = dict(forms.normal_forms) if forms else {}
    # text -> len(tokens(text)): each paragraph is counted in two passes
    word_counts: dict[str, int] = dict(forms.word_counts) if forms else {}

    def count_words(text: str) -> int:
        found = word_counts.get(text)
        if found is None:
            found = word_counts[text] = len(tokens(text))
        return found

    keys = {a.article.id: _paragraph_keys(a, normal_forms, count_words) for a in articles}
    holders: dict[str, set[str]] = defaultdict(set)
    for aid, found in keys.items():
        for key in found.values():
            holders[key].add(aid)
    shared = {k: frozenset(h) for k, h in holders.items() if len(h) >= 2}
    furniture_keys = _furniture_blocks(articles, keys, shared, normal_forms)
    kept: list[CleanArticle] = []
    aside: list[SetAside] = []
    for clean in articles:
        found = keys[clean.article.id]
        gone = ([] if furniture_keys.isdisjoint(found.values())
                else [p for p in clean.paragraphs if found.get(p.position) in furniture_keys])
        if gone:
            reasons = tuple(Dropped(p, SHARED_REASON.format(n=len(shared[found[p.position]]))) for p in gone)
            clean = replace(clean, paragraphs=tuple(p for p in clean.paragraphs if p not in gone),
                            dropped=tuple(sorted(clean.dropped + reasons, key=lambda d: d.paragraph.position)))
        reason = _mostly_furniture(clean, min_words, count_words)
        if reason:
            aside.append(SetAside(clean, reason))
        else:
            kept.append(clean)
    return FurnitureResult(tuple(kept), tuple(aside))


def mostly_furniture(clean: CleanArticle, min_words: int) -> str | None:
    """Why ``clean`` is no article to brief: too little text is left, or most of its words were furniture."""
    return _mostly_furniture(clean, min_words, lambda text: len(tokens(text)))


def _mostly_furniture(clean: CleanArticle, min_words: int, count_words: Callable[[str], int]) -> str | None:
    kept = sum(count_words(p.text) for p in clean.paragraphs)
    if kept < min_words:
        return f"{kept} words left after removing page furniture (fewer than {min_words})"
    furniture = sum(count_words(d.paragraph.text) for d in clean.dropped if d.paragraph.position >= 0)
    if furniture > kept and kept < 2 * min_words:
        return f"mostly page furniture ({furniture} words of furniture, {kept} of text)"
    return None


def _paragraph_keys(clean: CleanArticle, normal_forms: dict[str, str],
                    count_words: Callable[[str], int]) -> dict[int, str]:
    """Position -> normalised text of every paragraph of the article, kept or dropped, long enough to compare
    (each normal form is also stored in ``normal_forms``, by the text)."""
    found = {}
    for p in (*clean.paragraphs, *(d.paragraph for d in clean.dropped), *clean.headings):
        if p.position >= 0 and count_words(p.text) >= MIN_SHARED_WORDS:
            key = normal_forms.get(p.text)
            if key is None:
                key = normal_forms[p.text] = normalise(p.text)
            found[p.position] = key
    return found


def _furniture_blocks(articles: Sequence[CleanArticle], keys: dict[str, dict[int, str]],
                      shared: dict[str, frozenset[str]], normal_forms: dict[str, str]) -> set[str]:
    """The shared paragraph texts whose holders say unrelated things besides (see the module's docstring).
    ``normal_forms``: text -> ``normalise(text)`` for the texts already normalised."""
    if not shared:
        return set()
    texts = {a.article.id: {p.position: p.text for p in a.paragraphs} for a in articles}
    shared_keys = set(shared)
    # IDF over articles, from each article's kept text; and each article's words outside the shared
    # paragraphs (its residual), from the same pass: each paragraph is tokenised once.
    df: Counter[str] = Counter()
    owns: dict[str, Counter[str]] = {}
    for aid, by_position in texts.items():
        held = keys[aid]
        own_forms, shared_forms = [], []
        for pos, text in by_position.items():
            key = normal_forms.get(text)
            (shared_forms if held.get(pos) in shared_keys else own_forms).append(
                key if key is not None else normalise(text))
        # Counted per article, then the stop words dropped from its distinct words: content_words' counts,
        # with the per-word work done once per distinct word rather than once per occurrence.
        own = _content_counts(" ".join(own_forms))
        if shared_forms:  # words of the shared paragraphs: the article's words are these and own's
            in_shared = _content_set(" ".join(shared_forms))
            df.update(in_shared.union(own))
        else:
            df.update(own.keys())
        owns[aid] = own
    n = max(len(texts), 1)
    idf = {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}
    blocks: dict[frozenset[str], set[str]] = defaultdict(set)
    for key, group in shared.items():
        blocks[group].add(key)
    residuals: dict[str, dict[str, float]] = {}  # worked out for the holders of a shared paragraph only

    def residual(aid: str) -> dict[str, float]:
        found = residuals.get(aid)
        if found is None:
            found = residuals[aid] = _vector(owns[aid], idf)
        return found

    furniture: set[str] = set()
    for group, block_keys in blocks.items():
        evidence = [residual(aid) for aid in sorted(group) if owns[aid].total() >= MIN_RESIDUAL_WORDS]
        if len(evidence) >= 2:
            if _mean_pairwise_cosine(evidence) < RESIDUALS_ALIKE:
                furniture |= block_keys
        elif len(evidence) == 1:
            block = _vector(Counter(w for key in block_keys for w in content_words(key)), idf)
            if _cosine(block, evidence[0]) < BLOCK_FITS:
                furniture |= block_keys
    return furniture


# What content_words leaves out of an ASCII text: its stop words and every word of one character.
_ASCII_NOT_CONTENT = STOP_WORDS.union(map(chr, range(128)))


def _content_counts(normalised: str) -> Counter[str]:
    """``Counter(normalised_content_words(normalised))``, keys in first-met order, stop words dropped in C for ASCII text."""
    counts = Counter(normalised.split())
    if normalised.isascii():
        for w in _ASCII_NOT_CONTENT.intersection(counts):
            counts.pop(w)  # the others keep their order
        return counts
    return Counter({w: c for w, c in counts.items() if len(w) > 1 and w not in STOP_WORDS})


def _content_set(normalised: str) -> set[str]:
    """``set(normalised_content_words(normalised))``."""
    if normalised.isascii():
        return set(normalised.split()).difference(_ASCII_NOT_CONTENT)
    return {w for w in normalised.split() if len(w) > 1 and w not in STOP_WORDS}


def _vector(bag: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """The ``VECTOR_TERMS`` heaviest terms of ``bag`` by tf-idf, as a unit vector (ties broken by the term)."""
    # Negated weights sort heaviest first and then by the term, with no key function to call per term.
    get = idf.get
    weights = [(-c * get(w, 1.0), w) for w, c in bag.items()]
    weights.sort()
    del weights[VECTOR_TERMS:]
    norm = math.sqrt(math.fsum(x * x for x, _ in weights))
    return {w: -x / norm for x, w in weights} if norm else {}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    return math.fsum(x * b[w] for w, x in a.items() if w in b) if a and b else 0.0


def _mean_pairwise_cosine(vectors: list[dict[str, float]]) -> float:
    """Mean cosine over all pairs of unit vectors: (|sum|^2 - k) / (k (k - 1)), one pass over the vectors."""
    total: dict[str, float] = {}
    get = total.get
    for v in vectors:
        for w, x in v.items():
            total[w] = get(w, 0.0) + x  # 0.0 + x is x: the sums of a Counter, without its __missing__ per term
    k = len(vectors)
    squared = math.fsum(x * x for x in total.values())
    return (squared - k) / (k * (k - 1))
