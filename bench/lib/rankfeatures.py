"""Features of a story's candidate for bench/learn_ranking.py's importance model (an experiment, not the tool's).

Each feature is computed from what ``digest.compose.plan`` hands the fill (the story's ``StoryContext``
and the candidate), so a model over them can be fitted and scored from bench/ranking.py's cache:

- ``support_share``: outlets carrying the item over the story's outlets (the tool's support);
- ``centrality``, ``echo``: the tool's (IDF-weighted cosine to the story's centroid; IDF share of the item's
  terms two or more outlets print);
- ``phrase_echo``: share of the item's word pairs (lower case, adjacent words) two or more outlets print
  (for a story of one outlet, two or more of its sentences): phrases several outlets repeat;
- ``spread``: mean over the item's terms of the share of the story's articles printing the term;
- ``token_spread``: mean over the item's ROUGE tokens (stemmed, stopwords kept) of the share of the story's
  other articles (those not carrying the item; all of them when it has no other) printing the token: the
  other articles as a stand-in for the summary, the strongest single feature;
- ``specificity``: mean IDF of the item's terms over the IDF of a term one sentence holds (rare detail is high);
- ``lede``: 1 / (1 + the item's best sentence index); ``position``: that index over its articles' sentences;
- ``lead_similarity``: cosine to the summed vectors of the story's titles and first sentences;
- ``quote_section``: the item is a quote; ``timed``: an announced event with a time.

Tried on the tune half and left out (bench/learn_ranking.py's docstring gives the figures): sentence length,
numbers, date words, names, quotation marks, first person, reporting verbs, the other sections, SumBasic
frequency, the share of the story's top terms.
"""

from __future__ import annotations

import math
import weakref
from collections import Counter
from typing import Any, Sequence

from rouge_score import tokenizers

from digest.compose.context import StoryContext, cosine
from digest.select import key_terms
from digest.text import tokens

FEATURES = ("support_share", "centrality", "echo", "phrase_echo", "spread", "token_spread", "specificity", "lede",
            "position", "lead_similarity", "quote_section", "timed")
_ROUGE_TOKENS = tokenizers.DefaultTokenizer(use_stemmer=True)

_STORY_TABLES: "weakref.WeakKeyDictionary[StoryContext, dict[str, Any]]" = weakref.WeakKeyDictionary()


def features(ctx: StoryContext, text: str, sources: Sequence[str], rank: int, section: str,
             timed: bool = False) -> dict[str, float]:
    """The model's features of one item of a story (see the module docstring)."""
    tables = story_tables(ctx)
    vector = ctx.vector(text)
    lower = [w.lower() for w in tokens(text)]
    pairs = list(zip(lower, lower[1:]))
    lengths = [len(ctx.sentences_by_article.get(s, ())) for s in dict.fromkeys(sources)]
    length = max(1.0, sum(lengths) / len(lengths)) if lengths else 1.0
    others = [a for a in tables["tokens"] if a not in sources] or list(tables["tokens"])
    rouge_tokens = _ROUGE_TOKENS.tokenize(text)
    idf_single = math.log(1 + max(len(ctx.rank), 1)) + 1.0  # the IDF of a term only one sentence holds
    return {
        "support_share": ctx.support(sources) / ctx.n_outlets,
        "centrality": ctx.centrality(text),
        "echo": ctx.echo(text),
        "phrase_echo": sum(tables["phrases"].get(p, 0) >= 2 for p in pairs) / len(pairs) if pairs else 0.0,
        "spread": math.fsum(tables["spread"].get(t, 0.0) for t in vector) / len(vector) if vector else 0.0,
        "token_spread": (math.fsum(sum(t in tables["tokens"][a] for a in others) / len(others) for t in rouge_tokens)
                         / len(rouge_tokens) if rouge_tokens and others else 0.0),
        "specificity": math.fsum(vector.values()) / len(vector) / idf_single if vector else 0.0,
        "lede": 1.0 / (1 + rank),
        "position": min(1.0, rank / length),
        "lead_similarity": cosine(vector, tables["leads"]),
        "quote_section": float(section == "quotes"),
        "timed": float(timed),
    }


def story_tables(ctx: StoryContext) -> dict[str, Any]:
    """Per story, once: outlets printing each word pair, share of articles printing each term, lead centroid,
    and each article's ROUGE tokens."""
    if ctx in _STORY_TABLES:
        return _STORY_TABLES[ctx]
    single = ctx.n_outlets == 1
    printers: dict[tuple[str, str], set[str]] = {}
    held: Counter[str] = Counter()
    rouge_tokens: dict[str, set[str]] = {}
    for aid, texts in ctx.sentences_by_article.items():
        rouge_tokens[aid] = {t for s in texts for t in _ROUGE_TOKENS.tokenize(s)}
        terms: set[str] = set()
        for n, s in enumerate(texts):
            words = [w.lower() for w in tokens(s)]
            for pair in zip(words, words[1:]):
                printers.setdefault(pair, set()).add(f"{aid} {n}" if single else ctx.outlet.get(aid, aid))
            terms |= key_terms(s)
        held.update(terms)
    n_articles = max(len(ctx.sentences_by_article), 1)
    leads: Counter[str] = Counter()
    for lead in ctx.leads:
        for t, w in ctx.vector(lead).items():
            leads[t] += w
    tables = {"phrases": {p: len(who) for p, who in printers.items()},
              "spread": {t: k / n_articles for t, k in held.items()}, "leads": dict(leads), "tokens": rouge_tokens}
    _STORY_TABLES[ctx] = tables
    return tables
