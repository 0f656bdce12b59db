"""Fit a learned importance model for a story's candidates from bench/ranking.py's cache, and score it.

An experiment towards issue 12's goal (+3 ROUGE-1, +2 ROUGE-2 over LexRank on multinews-raw); the tool still
ranks with the hand weights of digest/compose/context.py, because the model below does not beat them on the
check half nor on the reader's gold (figures below).

Every candidate of every story of the 98 multinews-raw clusters (bench/ranking.py ``--capture``, cached under
$TMPDIR) gets the features of bench/lib/rankfeatures.py and a label: its unigram plus bigram precision against
the cluster's human summary (ROUGE's stemmed tokens), the share of its words a human summary keeps. The model
is a ridge regression of the label on the features, fitted on the **tune half** only (even clusters), each
story's rows centred on the story's mean (only the ranking inside a story matters) and each cluster weighing
the same; the intercept puts the prediction on the label's scale, so it is a value per word and the fill is
re-run with its value per word set to the prediction (the hand weights' value divides by length instead).
``--with-dev`` also fits on multinews-dev's 50 lower-cased clusters (bench/ranking.py's ``capture_dev``).

It prints the coefficients, each feature's correlation with the label inside stories (tune / check), and
bench/summaries.py's table for the pipeline's own scores and for the fitted model.

Found on branch ranker (e621461 + this script), briefing - LexRank, tune / check:
- pipeline's hand weights: R-1 +2.08 / +1.12, R-2 +1.73 / +0.72 (all +1.60 / +1.22);
- this model: R-1 +2.69 / +0.68, R-2 +2.34 / +0.34 (all +1.68 / +1.34). Run end to end (bench/summaries.py
  --data raw with the model in the pipeline): R-1 +2.42 / +0.99, R-2 +2.09 / +0.40; and bench/reader.py's
  coverage fell from 83% to 76% with 1 junk leak (from 0): it takes short dense sentences over the facts the
  reader's gold asks for;
- five-fold cross-validation inside the tune half (fit on 4/5 of its clusters, score the rest, 4 repeats):
  this feature set +2.66 / +2.36 (R-1 / R-2), the four hand features refitted +2.78 / +1.83, all 26 features
  tried (length, numbers, dates, names, quotation marks, first person, reporting verbs, sections, SumBasic
  frequency, top terms) +2.37 / +1.71; a length preference on top of the value per word, a greedy-oracle label
  and a gradient-boosted model (depth 2-3) were no better; ``--with-dev``: check +0.12 / +0.05 (worse);
- the strongest single signals are phrase_echo (+0.34 / +0.29) and spread (+0.34 / +0.31), then echo and
  specificity (negative); support alone correlates +0.10 / +0.13 but gets a negative weight beside spread and
  phrase_echo, which also count outlets;
- bench/ranking.py ``--oracle`` (each candidate's true precision): +9.7 / +7.5 R-1. The per-cluster
  differences between two rankings have a standard deviation of about 4 points, so a half of 49 clusters
  cannot tell apart changes under about 1.2 points: this model's tune gain and check loss are both within it.

Run:  python bench/learn_ranking.py [--ridge 0.001] [--with-dev] [--resamples 2000] [--seed 12]
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ranking  # noqa: E402  (it puts the repository and bench/lib on the path)
import summaries  # noqa: E402

import rawnews  # noqa: E402
from rouge_score import tokenizers  # noqa: E402

import rankfeatures  # noqa: E402
from digest.compose import context  # noqa: E402


RIDGE = 0.001  # on standardised features; 0.01-0.1 alike, 1 worse (tune-half cross-validation)
FLOOR = 0.01  # the lowest importance: an item the model expects nothing of still ranks by its flaws and cost


def candidate_features(story: dict[str, Any], cand: Any) -> dict[str, float]:
    """The model's features of a captured candidate, as the pipeline computes them."""
    return rankfeatures.features(story["ctx"], cand.item.text, cand.sources, cand.sort_key[-1] if cand.sort_key else 99,
                           cand.section, timed=bool(getattr(cand.item, "when", None)) and cand.section == "whats_next")


def table(clusters: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list]:
    """Features, labels, cluster index and story number of every candidate (the summary left out: it is chosen
    before the fill), and the (story, candidate) pairs in the same order."""
    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
    rows, labels, cluster_of, story_of, pairs = [], [], [], [], []
    n_story = 0
    for number, cluster in enumerate(clusters):
        reference = tokenizer.tokenize(cluster["summary"])
        unigrams, bigrams = Counter(reference), Counter(zip(reference, reference[1:]))
        for story in cluster["stories"]:
            for cand in story["candidates"]:
                if cand.section == "summary":
                    continue
                f = candidate_features(story, cand)
                rows.append([f[k] for k in rankfeatures.FEATURES])
                toks = tokenizer.tokenize(cand.item.text)
                labels.append(_precision(toks, unigrams) + _precision(list(zip(toks, toks[1:])), bigrams))
                cluster_of.append(number)
                story_of.append(n_story)
                pairs.append((story, cand))
            n_story += 1
    return np.array(rows), np.array(labels), np.array(cluster_of), np.array(story_of), pairs


def _precision(grams: list, reference: Counter) -> float:
    return sum(min(k, reference[g]) for g, k in Counter(grams).items()) / len(grams) if grams else 0.0


def fit(x: np.ndarray, y: np.ndarray, cluster_of: np.ndarray, story_of: np.ndarray, ridge: float
        ) -> tuple[dict[str, float], float]:
    """Ridge coefficients (features' own units) and intercept, fitted on the rows given (see the docstring)."""
    xc, yc = x.astype(float).copy(), y.astype(float).copy()
    for s in np.unique(story_of):
        rows = story_of == s
        xc[rows] -= xc[rows].mean(axis=0)
        yc[rows] -= yc[rows].mean()
    weight = np.zeros(len(y))
    for c in np.unique(cluster_of):
        rows = cluster_of == c
        weight[rows] = 1.0 / rows.sum()
    scale = np.sqrt(np.average(xc ** 2, axis=0, weights=weight))
    scale[scale == 0] = 1.0
    z = xc / scale
    gram = (z * weight[:, None]).T @ z + ridge * weight.sum() * np.eye(z.shape[1])
    beta = np.linalg.solve(gram, (z * weight[:, None]).T @ yc) / scale
    intercept = float(np.average(y, weights=weight) - np.average(x, axis=0, weights=weight) @ beta)
    return dict(zip(rankfeatures.FEATURES, (float(b) for b in beta))), intercept


def evaluate(clusters: list[dict[str, Any]], x: np.ndarray, pairs: list, coefficients: dict[str, float],
             intercept: float) -> dict[str, list[dict[str, float]]]:
    """bench/summaries.py's per-cluster ROUGE with every candidate scored by the model given."""
    beta = np.array([coefficients.get(k, 0.0) for k in rankfeatures.FEATURES])
    predicted = x @ beta + intercept
    score_of = {(id(story), cand.key): cand.factor * max(FLOOR, float(p))
                for (story, cand), p in zip(pairs, predicted)}
    value = context.StoryContext.value
    context.StoryContext.value = lambda self, cand: cand.score  # the prediction is already a value per word
    try:
        systems, _ = ranking.evaluate(clusters, lambda story, cand: score_of.get((id(story), cand.key), 0.0))
    finally:
        context.StoryContext.value = value
    return systems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ridge", type=float, default=RIDGE, help=f"ridge penalty (default {RIDGE})")
    parser.add_argument("--with-dev", action="store_true",
                        help="fit on multinews-dev's 50 clusters too (bench/ranking.py capture_dev, cached beside)")
    parser.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    parser.add_argument("--seed", type=int, default=12, help="bootstrap seed (default 12)")
    args = parser.parse_args()
    rawnews.pin_hash_seed()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    for cache, capture in ((ranking.CACHE, ranking.capture), (ranking.DEV_CACHE, ranking.capture_dev)):
        if not cache.exists() and (cache == ranking.CACHE or args.with_dev):
            started = time.perf_counter()
            capture(cache)
            print(f"captured in {time.perf_counter() - started:.1f}s to {cache}")
    with ranking.CACHE.open("rb") as cache:
        clusters = pickle.load(cache)
    x, y, cluster_of, story_of, pairs = table(clusters)
    tune = cluster_of % 2 == 0
    fx, fy, fc, fs = x[tune], y[tune], cluster_of[tune], story_of[tune]
    if args.with_dev:
        with ranking.DEV_CACHE.open("rb") as cache:
            dx, dy, dc, ds, _ = table(pickle.load(cache))
        fx, fy = np.vstack([fx, dx]), np.concatenate([fy, dy])
        fc, fs = np.concatenate([fc, dc + len(clusters)]), np.concatenate([fs, ds + story_of.max() + 1])
    coefficients, intercept = fit(fx, fy, fc, fs, args.ridge)
    print(f"fitted on the tune half: {int(tune.sum())} candidates of {len(np.unique(cluster_of[tune]))} clusters"
          + (f", and multinews-dev: {len(dy)} candidates" if args.with_dev else "")
          + f" (check half: {int((~tune).sum())} candidates, not fitted on); ridge {args.ridge}")
    centred, label = x.astype(float).copy(), y.astype(float).copy()
    for s in np.unique(story_of):
        rows = story_of == s
        centred[rows] -= centred[rows].mean(axis=0)
        label[rows] -= label[rows].mean()
    print(f"{'feature':16} {'coefficient':>11}  correlation with the label inside stories (tune / check)")
    for j, name in enumerate(rankfeatures.FEATURES):
        corr = [float(np.corrcoef(centred[h, j], label[h])[0, 1]) if centred[h, j].std() > 0 else float("nan")
                for h in (tune, ~tune)]
        print(f"{name:16} {coefficients[name]:+11.4f}  {corr[0]:+.3f} / {corr[1]:+.3f}")
    print(f"{'intercept':16} {intercept:+11.4f}")
    print("\nMulti-News raw (multinews-raw), fill re-run with the pipeline's own scores:")
    summaries.print_scores(ranking.evaluate(clusters, None)[0], args.resamples, args.seed)
    print("\nMulti-News raw (multinews-raw), fill re-run with the fitted model (value per word = its prediction):")
    summaries.print_scores(evaluate(clusters, x, pairs, coefficients, intercept), args.resamples, args.seed)


if __name__ == "__main__":
    main()
