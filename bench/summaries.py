"""ROUGE of the briefing against Multi-News human summaries, beside LexRank and lead baselines.

For each cluster of ../shared/eval/multinews-dev/multinews-dev.jsonl the pipeline
builds a briefing from the cluster's documents; its text, in the order the reader
reads it in the rendered briefing (summary, key facts, quotes, reactions, what's
next; the headline first with ``--headline``), is cut to the human summary's
length in words and scored with ROUGE-1/2/L F1 (rouge-score, stemming on).
Until December 2026 the order was summary, key facts, what's next, reactions,
quotes, which is not what a reader reads in the first n words.
At the same length, two baselines are scored: LexRank (sumy, with this
script's own tokenizer, since NLTK's punkt data cannot be downloaded here) and
the lead sentences of the documents taken in turn (first sentence of each
document, then the second, ...).

The dev data set is lower-cased and truncated (see its PROVENANCE.md): this checks
content selection, not quotes.

``--data raw`` runs the same comparison on ../shared/eval/multinews-raw/ (98 clusters
with casing, curly quotes and page furniture): each cluster's documents are written as
plain files with names that say nothing and briefed through ``digest.ingest.read_inputs``
+ ``digest.pipeline.build_briefing`` (as a reader's folder would be); LexRank and lead
use the bench's own sentence splitter (bench/lib/rawnews.py), so that the baselines do
not move when the tool's splitter changes.

Both modes then print the paired difference briefing minus LexRank (and minus lead) for
ROUGE-1 and ROUGE-2, mean over clusters with a 95% bootstrap interval (paired over
clusters, 2000 resamples, fixed seed), for all clusters and for the tune (even cluster
index) and check (odd) halves, so a tuner can report held-out figures.

Run:  python bench/summaries.py [--data dev|raw|both] [--limit N] [--resamples 2000] [--headline]   (default: both)
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from rouge_score import rouge_scorer  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.parsers.plaintext import PlaintextParser  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from digest.errors import DigestError  # noqa: E402
from digest.models import Article  # noqa: E402
from digest.pipeline import build_briefing  # noqa: E402
from digest.settings import Settings  # noqa: E402
from digest.text import split_sentences, tokens  # noqa: E402

_EVAL = ("eval", "multinews-dev", "multinews-dev.jsonl")
# ../shared next to the repository; from a git worktree under wt/, two levels up.
DATA = next((p for p in (ROOT.parent.joinpath("shared", *_EVAL), ROOT.parent.parent.joinpath("shared", *_EVAL))
             if p.exists()), ROOT.parent.joinpath("shared", *_EVAL))
NOW = datetime(2020, 1, 1, tzinfo=timezone.utc)
sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))
import rawnews  # noqa: E402


class Tokenizer:
    """The sentence and word splits sumy needs, from the project's own text helpers."""

    language = "english"

    def to_sentences(self, text: str) -> list[str]:
        return split_sentences(text)

    def to_words(self, sentence: str) -> list[str]:
        return tokens(sentence)


class BenchTokenizer(Tokenizer):
    """The bench's own sentence and word splits, independent of the tool (``--data raw``)."""

    def to_sentences(self, text: str) -> list[str]:
        return rawnews.split_sentences(text)

    def to_words(self, sentence: str) -> list[str]:
        return rawnews.words(sentence)


def cut(text: str, n_words: int) -> str:
    return " ".join(text.split()[:n_words])


def briefing_text(documents: list[str], budget: int, headline: bool = False) -> str:
    articles = [Article(id=f"d{i}", text=doc, outlet=f"outlet{i}", title=None) for i, doc in enumerate(documents)]
    settings = Settings(words_per_story=budget, max_stories=12)
    try:
        briefing = build_briefing(articles, settings, NOW).briefing
    except DigestError as exc:
        print(f"  (briefing failed: {exc})", file=sys.stderr)
        return ""
    return story_text((s.to_dict() for s in briefing.stories), headline)


def story_text(stories, headline: bool = False) -> str:
    """Each story's text in the order of the rendered briefing (templates/briefing.md.j2): (headline,) summary,
    key facts, quotes (their context if any), reactions, what's next."""
    parts: list[str] = []
    for story in stories:
        if headline:
            parts.append(story["headline"])
        parts.append(story["summary"])
        parts += [f["text"] for f in story["key_facts"]]
        parts += [q.get("context") or q["text"] for q in story["quotes"]]
        parts += [r["text"] for r in story["reactions"]]
        parts += [e["text"] for e in story["whats_next"]]
    return " ".join(p for p in parts if p)


def raw_briefing_text(documents: list[str], budget: int, headline: bool = False) -> str:
    """The briefing of documents written as plain files of one folder, read by the tool's ingest."""
    briefing, _markdown, error = rawnews.brief_in_process(documents, words_per_story=budget, max_stories=12)
    if briefing is None:
        print(f"  (briefing failed: {error})", file=sys.stderr)
        return ""
    return story_text(briefing["stories"], headline)


def lexrank_text(documents: list[str], n_words: int, tokenizer: Tokenizer | None = None) -> str:
    """The fewest LexRank sentences (in document order, as sumy returns them) that reach ``n_words``."""
    parser = PlaintextParser.from_string("\n\n".join(documents), tokenizer or Tokenizer())
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    sentences = parser.document.sentences
    total = len(sentences)
    if not total:
        return ""
    # The ratings are computed once (what sumy's __call__ does), then ranked for each k.
    words_of = [summarizer._to_words_set(s) for s in sentences]
    matrix = summarizer._create_matrix(words_of, summarizer.threshold, summarizer._compute_tf(words_of),
                                       summarizer._compute_idf(words_of))
    ratings = dict(zip(sentences, summarizer.power_method(matrix, summarizer.epsilon)))

    def text(k: int) -> str:
        return " ".join(str(s) for s in summarizer._get_best_sentences(sentences, k, ratings))

    low, high = 1, max(total, 1)
    while low < high:  # binary search on the sentence count
        mid = (low + high) // 2
        if len(text(mid).split()) >= n_words:
            high = mid
        else:
            low = mid + 1
    return text(low)


def lead_text(documents: list[str], n_words: int, splitter=None) -> str:
    sentences = [(splitter or split_sentences)(d) for d in documents]
    out: list[str] = []
    depth = 0
    while sum(len(s.split()) for s in out) < n_words and any(depth < len(s) for s in sentences):
        for doc in sentences:
            if depth < len(doc):
                out.append(doc[depth])
        depth += 1
    return " ".join(out)


def paired_interval(diffs: np.ndarray, resamples: int, seed: int) -> tuple[float, float, float]:
    """Mean of per-cluster differences and its 95% percentile bootstrap interval (resampling clusters)."""
    if len(diffs) == 0:
        return float("nan"), float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    means = diffs[rng.integers(0, len(diffs), size=(resamples, len(diffs)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(diffs.mean()), float(low), float(high)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", choices=("dev", "raw", "both"), default="both",
                        help="dev: multinews-dev (lower-cased); raw: multinews-raw (real casing and furniture); "
                             "both (default): dev, then raw")
    parser.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    parser.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    parser.add_argument("--seed", type=int, default=12, help="bootstrap seed (default 12)")
    parser.add_argument("--headline", action="store_true",
                        help="score each story's headline too, before its summary (what a reader reads first)")
    args = parser.parse_args()
    rawnews.pin_hash_seed()  # the tool's output depends on the string-hash seed: one fixed seed, repeatable figures
    for data in (("dev", "raw") if args.data == "both" else (args.data,)):
        if data == "raw" and args.data == "both":
            print()
        run(data, args)


def run(data: str, args: argparse.Namespace) -> None:
    """Score briefing, LexRank and lead on one data set and print the table and the paired differences."""
    if data == "raw":
        path = rawnews.RAW
    else:
        path = DATA
    rows = [json.loads(line) for line in path.resolve().read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit] if args.limit else rows
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    systems = {"briefing": [], "lexrank": [], "lead": []}
    started = time.perf_counter()
    for row in rows:
        reference = row["summary"]
        n = len(reference.split())
        docs = [d for d in row["documents"] if d.strip()]
        if data == "raw":
            candidates = {
                "briefing": raw_briefing_text(docs, max(450, 2 * n), args.headline),
                "lexrank": lexrank_text(docs, n, BenchTokenizer()),
                "lead": lead_text(docs, n, rawnews.split_sentences),
            }
        else:
            candidates = {
                "briefing": briefing_text(docs, max(450, 2 * n), args.headline),
                "lexrank": lexrank_text(docs, n),
                "lead": lead_text(docs, n),
            }
        for name, text in candidates.items():
            scores = scorer.score(reference, cut(text, n))
            systems[name].append({k: v.fmeasure for k, v in scores.items()})
    elapsed = time.perf_counter() - started
    title = "Multi-News dev sample" if data == "dev" else "Multi-News raw (multinews-raw)"
    print(f"{title}: {len(rows)} clusters, {elapsed:.1f}s; ROUGE F1 (x100), mean over clusters, "
          f"each text cut to the human summary's length; briefing in reading order"
          + (", headline included" if args.headline else ", without headlines"))
    print_scores(systems, args.resamples, args.seed)


def print_scores(systems: dict[str, list[dict[str, float]]], resamples: int, seed: int) -> None:
    """Print the mean ROUGE of each system (one dict of F1 per cluster, in cluster order) and the paired
    differences briefing minus lexrank and minus lead, for all clusters and the tune and check halves."""
    n_clusters = len(systems["briefing"])
    print(f"{'system':10} {'R-1':>6} {'R-2':>6} {'R-L':>6}")
    for name, scores in systems.items():
        means = {k: 100 * statistics.mean(s[k] for s in scores) for k in ("rouge1", "rouge2", "rougeL")}
        print(f"{name:10} {means['rouge1']:6.2f} {means['rouge2']:6.2f} {means['rougeL']:6.2f}")
    print(f"paired difference, mean over clusters [95% bootstrap interval, {resamples} resamples, seed {seed}]; "
          f"tune = even cluster index, check = odd")
    halves = {"all": range(n_clusters), "tune": range(0, n_clusters, 2), "check": range(1, n_clusters, 2)}
    for baseline in ("lexrank", "lead"):
        for metric, label in (("rouge1", "R-1"), ("rouge2", "R-2")):
            cells = []
            for half, indices in halves.items():
                diffs = np.array([100 * (systems["briefing"][i][metric] - systems[baseline][i][metric]) for i in indices])
                mean, low, high = paired_interval(diffs, resamples, seed)
                cells.append(f"{half} {mean:+5.2f} [{low:+5.2f}, {high:+5.2f}] (n={len(diffs)})")
            print(f"briefing - {baseline:7} {label}: " + "   ".join(cells))


if __name__ == "__main__":
    main()
