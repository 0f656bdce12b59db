"""A candidate's importance: a linear model over features of the item, fitted to what human summaries keep.

The importance of an item is ``INTERCEPT + sum(COEFFICIENTS[f] * features(...)[f])`` (at least ``FLOOR``):
the expected share of the item's words (unigrams plus bigrams, ROUGE's stemmed tokens) that a human
summary of the story keeps. It is a value per word, so the fill (digest/compose/budget.py) ranks items by
it as it is, and a long item must be as dense as a short one to go first (it also costs more words).

Features (each in its own unit, see ``features``): how many of the story's outlets carry the item
(``support_share``, ``corroborated``); how central its terms are (``centrality``: IDF-weighted cosine to
the story's centroid; ``echo``: IDF share of its terms two or more outlets print; ``frequency``: mean of
log(1 + sentences holding each term) over the story's most frequent term's, as SumBasic; ``specificity``:
mean IDF of its terms, the inverse view; ``top_terms``: share of the story's ten most frequent terms it
holds; ``lead_similarity``: cosine to the centroid of the titles and first sentences); where it stands
(``lede``: 1 / (1 + sentence index), ``position``: index over the article's sentences); its form
(``log_words``, ``short`` under 12 words, ``long`` over 40, a ``number``, a ``date`` word, ``names``,
quotation marks, first person, a reporting verb); and its section.

Fitted by ``bench/learn_ranking.py`` (ridge regression, penalty ``RIDGE`` on standardised features, each
story's rows centred on the story's mean so only the ranking inside a story is learnt, each cluster
weighing the same) on the tune half (even clusters) of ../shared/eval/multinews-raw/, from bench/ranking.py's
cache of every story's candidates; the check half (odd clusters) is never fitted on. To refit: run
``python bench/ranking.py --capture`` (after any change before the fill), then ``python bench/learn_ranking.py``,
and copy its "refit" column here.
"""

from __future__ import annotations

import math
import re
from typing import Sequence

from digest.compose import actors
from digest.compose.context import StoryContext, cosine
from digest.text import tokens

RIDGE = 0.001
FLOOR = 0.01  # the lowest importance: an item the model expects nothing of still ranks by its flaws and cost
INTERCEPT = 0.7650
COEFFICIENTS: dict[str, float] = {
    "support_share": 0.6519,
    "corroborated": -0.3786,
    "centrality": -0.8436,
    "echo": -0.1006,
    "frequency": 0.0150,
    "specificity": -0.8589,
    "top_terms": 0.2308,
    "phrase_echo": 0.4352,
    "spread": 0.5045,
    "lead_terms": -0.0192,
    "lead_similarity": 0.1962,
    "lede": 0.0256,
    "position": -0.1072,
    "log_words": 0.0168,
    "short": -0.0041,
    "long": -0.0018,
    "number": -0.0275,
    "date": 0.0219,
    "names": -0.0102,
    "quoted": 0.0056,
    "first_person": 0.0445,
    "reporting": -0.0127,
    "quote_section": 0.0823,
    "reaction_section": 0.0138,
    "event_section": 0.0916,
    "timed": 0.2423,
}

_DATE_WORDS = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                        "june july august september october november december yesterday today tomorrow".split())
_FIRST_PERSON = frozenset("i we my our me us i'm we're i've".split())
_REPORTING = re.compile(r"\b(?:said|says|told|according to|announced|reported|added)\b")
_QUOTE_MARKS = re.compile(r"[\"“”]")
SHORT_WORDS, LONG_WORDS = 12, 40

FEATURES = ("support_share", "corroborated", "centrality", "echo", "frequency", "specificity", "top_terms",
            "phrase_echo", "spread", "lead_terms", "lead_similarity", "lede", "position", "log_words", "short", "long", "number", "date", "names",
            "quoted", "first_person", "reporting", "quote_section", "reaction_section", "event_section", "timed")


def importance(ctx: StoryContext, text: str, sources: Sequence[str], rank: int, section: str,
               timed: bool = False) -> float:
    """The model's importance of an item of ``section`` (``rank``: its best sentence index in an article;
    ``timed``: an announced event with a time): see the module docstring."""
    f = features(ctx, text, sources, rank, section, timed)
    return max(FLOOR, INTERCEPT + math.fsum(COEFFICIENTS.get(k, 0.0) * v for k, v in f.items()))


def features(ctx: StoryContext, text: str, sources: Sequence[str], rank: int, section: str,
             timed: bool = False) -> dict[str, float]:
    """The features the importance model reads, for one item of a story (see the module docstring)."""
    support = ctx.support(sources)
    words = tokens(text)
    lower = [w.lower() for w in words]
    pairs = list(zip(lower, lower[1:]))
    vector = ctx.vector(text)
    lengths = [len(ctx.sentences_by_article.get(s, ())) for s in dict.fromkeys(sources)]
    length = max(1.0, sum(lengths) / len(lengths)) if lengths else 1.0
    counts, most, top = ctx.term_counts
    idf_top = math.log(1 + max(len(ctx.rank), 1)) + 1.0  # the IDF of a term only one sentence holds
    # Names after the first word: a capitalised sentence opening is no name.
    names = actors.name_spans(" ".join(words[1:]))
    return {
        "support_share": support / ctx.n_outlets,
        "corroborated": float(support >= 2),
        "centrality": ctx.centrality(text),
        "echo": ctx.echo(text),
        "frequency": (math.fsum(math.log(1 + counts.get(t, 0)) for t in vector) / len(vector) / math.log(1 + most)
                      if vector else 0.0),
        "specificity": math.fsum(vector.values()) / len(vector) / idf_top if vector else 0.0,
        "top_terms": len(top & vector.keys()) / max(len(top), 1),
        "phrase_echo": (sum(ctx.phrase_outlets.get(p, 0) >= 2 for p in pairs) / len(pairs)) if pairs else 0.0,
        "spread": math.fsum(ctx.article_share.get(t, 0.0) for t in vector) / len(vector) if vector else 0.0,
        "lead_terms": len(vector.keys() & ctx.lead_centroid.keys()) / len(vector) if vector else 0.0,
        "lead_similarity": cosine(vector, ctx.lead_centroid),
        "lede": 1.0 / (1 + rank),
        "position": min(1.0, rank / length),
        "log_words": math.log(1 + len(words)),
        "short": float(len(words) < SHORT_WORDS),
        "long": float(len(words) > LONG_WORDS),
        "number": float(any(ch.isdigit() for ch in text)),
        "date": float(any(w in _DATE_WORDS for w in lower)),
        "names": min(len(names), 4) / 4,
        "quoted": float(bool(_QUOTE_MARKS.search(text))),
        "first_person": float(any(w in _FIRST_PERSON for w in lower)),
        "reporting": float(bool(_REPORTING.search(text))),
        "quote_section": float(section == "quotes"),
        "reaction_section": float(section == "reactions"),
        "event_section": float(section == "whats_next"),
        "timed": float(timed),
    }
