"""Refit the importance model of digest/compose/ranker.py from bench/ranking.py's cache, and score it.

Every candidate of every story of the 98 multinews-raw clusters (bench/ranking.py ``--capture``,
cached under $TMPDIR) gets the model's features (``digest.compose.ranker.features``) and a label: its
unigram plus bigram precision against the cluster's human summary (ROUGE's stemmed tokens), the share
of its words a human summary keeps. The model is a ridge regression of the label on the features,
fitted on the **tune half** only (even clusters) with each story's features and labels centred on the
story's mean (only the ranking inside a story matters: a story whose summary shares many words with
every sentence teaches nothing about which sentence to take) and each cluster weighing the same.
The intercept puts the prediction on the label's scale (the mean precision), so the importance is the
expected share of an item's words a human summary keeps: a value per word, which the fill reads as is.

The script prints the fitted coefficients (in the features' own units, as digest/compose/ranker.py keeps
them), then bench/summaries.py's table (the fill re-run as bench/ranking.py does) for the model refitted
here and for the coefficients the package ships, with the tune and check halves; the check half
(odd clusters) is never fitted on.

Run:  python bench/learn_ranking.py [--ridge 0.001] [--resamples 2000] [--seed 12]
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

from digest.compose import ranker  # noqa: E402


def candidate_features(story: dict[str, Any], cand: Any) -> dict[str, float]:
    """The model's features of a captured candidate, as the pipeline computes them."""
    return ranker.features(story["ctx"], cand.item.text, cand.sources, cand.sort_key[-1] if cand.sort_key else 99,
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
                rows.append([f[k] for k in ranker.FEATURES])
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
    return dict(zip(ranker.FEATURES, (float(b) for b in beta))), intercept


def evaluate(clusters: list[dict[str, Any]], x: np.ndarray, pairs: list, coefficients: dict[str, float],
             intercept: float) -> dict[str, list[dict[str, float]]]:
    """bench/summaries.py's per-cluster ROUGE with every candidate scored by the model given."""
    beta = np.array([coefficients.get(k, 0.0) for k in ranker.FEATURES])
    predicted = x @ beta + intercept
    score_of = {(id(story), cand.key): cand.factor * max(ranker.FLOOR, float(p))
                for (story, cand), p in zip(pairs, predicted)}
    systems, _ = ranking.evaluate(clusters, lambda story, cand: score_of.get((id(story), cand.key), 0.0))
    return systems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ridge", type=float, default=ranker.RIDGE, help=f"ridge penalty on standardised features "
                        f"(default {ranker.RIDGE}, the shipped model's)")
    parser.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    parser.add_argument("--seed", type=int, default=12, help="bootstrap seed (default 12)")
    args = parser.parse_args()
    rawnews.pin_hash_seed()
    if not ranking.CACHE.exists():
        started = time.perf_counter()
        ranking.capture(ranking.CACHE)
        print(f"captured multinews-raw in {time.perf_counter() - started:.1f}s to {ranking.CACHE}")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    with ranking.CACHE.open("rb") as cache:
        clusters = pickle.load(cache)
    x, y, cluster_of, story_of, pairs = table(clusters)
    tune = cluster_of % 2 == 0
    coefficients, intercept = fit(x[tune], y[tune], cluster_of[tune], story_of[tune], args.ridge)
    print(f"fitted on the tune half: {int(tune.sum())} candidates of {len(np.unique(cluster_of[tune]))} clusters "
          f"(check half: {int((~tune).sum())} candidates, not fitted on); ridge {args.ridge}")
    print(f"{'feature':18} {'refit':>9} {'shipped':>9}  correlation with the label inside stories (tune / check)")
    centred, label = x.astype(float).copy(), y.astype(float).copy()
    for s in np.unique(story_of):
        rows = story_of == s
        centred[rows] -= centred[rows].mean(axis=0)
        label[rows] -= label[rows].mean()
    for j, name in enumerate(ranker.FEATURES):
        corr = [float(np.corrcoef(centred[h, j], label[h])[0, 1]) if centred[h, j].std() > 0 else float("nan")
                for h in (tune, ~tune)]
        print(f"{name:18} {coefficients[name]:+9.4f} {ranker.COEFFICIENTS.get(name, 0.0):+9.4f}  "
              f"{corr[0]:+.3f} / {corr[1]:+.3f}")
    print(f"{'intercept':18} {intercept:+9.4f} {ranker.INTERCEPT:+9.4f}")
    print("\nAs digest/compose/ranker.py keeps them:")
    print(f"INTERCEPT = {intercept:.4f}")
    print("COEFFICIENTS = {")
    for name in ranker.FEATURES:
        print(f'    "{name}": {coefficients[name]:.4f},')
    print("}")
    for name, (coef, icpt) in {"refitted here": (coefficients, intercept),
                               "shipped in digest/compose/ranker.py": (ranker.COEFFICIENTS, ranker.INTERCEPT)}.items():
        print(f"\nMulti-News raw (multinews-raw), fill re-run with the model {name}:")
        summaries.print_scores(evaluate(clusters, x, pairs, coef, icpt), args.resamples, args.seed)


if __name__ == "__main__":
    main()
