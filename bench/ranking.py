"""Try another ranking of a story's items in seconds: bench/summaries.py's raw ROUGE, re-running only the fill.

The briefing's ROUGE on multinews-raw (``bench/summaries.py --data raw``) depends almost entirely on which
candidates the fill takes, and a full run of the pipeline takes minutes. So:

``--capture`` (or the first run, when there is no cache) runs the pipeline once over the 98 clusters
of ../shared/eval/multinews-raw/ as bench/summaries.py --data raw does (same budget, hash seed and
ingest) and records, for every story, what ``digest.compose.plan`` hands to ``fill_sections``
(context, candidates and their scores, summary, disagreements, budget), with the cluster's LexRank and
lead scores. The cache goes to ``$TMPDIR/newsdigest-ranking/raw.pickle``, never into the repository
(it holds article text).

Then the script loads the cache, gives each candidate a new score, re-runs ``fill_sections`` and the
reading order for each story, builds the text bench/summaries.py scores (its ``story_text``) and
prints its table: R-1/R-2/R-L of briefing, LexRank and lead, and the paired differences briefing -
LexRank and - lead for all clusters and the tune (even) and check (odd) halves.
The ranking is one of:

- the pipeline's own scores (default), which must give bench/summaries.py's figures: the script
  reports the clusters whose re-built text differs from the captured briefing's (it should be 0);
- ``--weights S,C,E,L``: the importance weights of support, centrality, echo and lede (digest/compose/context.py
  ``WEIGHTS``) set to other values, for the scores and for the fill's value per word (three numbers S,C,L keep
  the echo at 0);
- ``--oracle``: each candidate scored by its unigram plus bigram precision against the human summary
  (ROUGE's tokens), the rest of the fill unchanged: how far a perfect ranking could go.

Only the fill is re-run: the headline, the summary sentence, the candidates and their sections stay as
captured, so a change to anything before the fill needs a new ``--capture`` (and the summary's choice,
which also reads the scores, does not move with ``--weights``).

Verified on main caec80f (load average 7-12 on 2 cores): ``nice -n 5 .venv/bin/python bench/ranking.py
--capture`` (383 s), then ``.venv/bin/python bench/ranking.py`` (9 s): 0 clusters differ, and the whole
table is the one ``bench/summaries.py --data raw`` printed on the same commit (374 s), to the digit:
briefing 45.68/14.22/19.88, briefing - lexrank R-1 all +1.42 (tune +2.10, check +0.73), R-2 all +1.17
(tune +1.62, check +0.72). (On main 1655110 both gave +1.40 / +1.16.) ``--weights 0.5,0.3,0.2`` (the
tool's own) also gives 0 differences. ``--oracle``: briefing - lexrank R-1 tune +9.66, check +7.53; R-2
tune +9.68, check +7.83, i.e. +7.6/+6.8 R-1 and +8.1/+7.1 R-2 over the briefing.

``capture_dev`` does the same for multinews-dev (cache ``dev.pickle`` beside), for bench/learn_ranking.py,
which fits a learned importance model from these caches.

Run:  python bench/ranking.py --capture
      python bench/ranking.py [--weights 0.5,0.3,0.2 | --oracle] [--resamples 2000] [--seed 12]
"""

from __future__ import annotations

import argparse
import contextlib
import pickle
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
import summaries  # noqa: E402  (it puts the repository and bench/lib on the path)

import rawnews  # noqa: E402
from rouge_score import rouge_scorer, tokenizers  # noqa: E402

from digest.compose import budget, context, plan  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "newsdigest-ranking" / "raw.pickle"
DEV_CACHE = CACHE.with_name("dev.pickle")  # multinews-dev (lower-cased), briefed as bench/summaries.py --data dev does
METRICS = ["rouge1", "rouge2", "rougeL"]

Rescore = Callable[[dict[str, Any], context.Candidate], float]


@contextlib.contextmanager
def _recording_fills() -> Iterator[list[dict[str, Any]]]:
    """While open, every call of plan.fill_sections also appends its inputs to the yielded list."""
    recorded: list[dict[str, Any]] = []
    real_fill = plan.fill_sections

    def recording_fill(ctx, candidates, summary, disagreements, budget_words, words_per_story):
        recorded.append({"ctx": ctx, "candidates": list(candidates), "summary": summary,
                         "disagreements": list(disagreements), "budget": budget_words, "wps": words_per_story,
                         "scores": {c.key: c.score for c in candidates}})
        return real_fill(ctx, candidates, summary, disagreements, budget_words, words_per_story)

    plan.fill_sections = recording_fill
    try:
        yield recorded
    finally:
        plan.fill_sections = real_fill


def capture(cache: Path) -> None:
    """Brief every multinews-raw cluster once, recording each story's fill inputs, and pickle them to ``cache``."""
    scorer = rouge_scorer.RougeScorer(METRICS, use_stemmer=True)
    clusters = []
    with _recording_fills() as recorded:
        for cluster in rawnews.load_clusters():
            recorded.clear()
            n = len(cluster.summary.split())
            docs = [d for d in cluster.documents if d.strip()]
            briefing, _markdown, _error = rawnews.brief_in_process(docs, words_per_story=max(450, 2 * n),
                                                                   max_stories=12)
            baselines = {"lexrank": summaries.lexrank_text(docs, n, summaries.BenchTokenizer()),
                         "lead": summaries.lead_text(docs, n, rawnews.split_sentences)}
            clusters.append({
                "index": cluster.index, "summary": cluster.summary, "n": n,
                "stories": _in_briefing_order(list(recorded), briefing),
                "text": summaries.story_text(briefing["stories"]) if briefing else "",
                "baselines": {name: _f1(scorer, cluster.summary, text, n) for name, text in baselines.items()},
            })
    _save(clusters, cache)


def capture_dev(cache: Path) -> None:
    """Brief every multinews-dev cluster once as bench/summaries.py --data dev does (plain articles, no ingest),
    recording each story's fill inputs as ``capture`` does, and pickle them to ``cache``."""
    import json

    from digest.models import Article
    from digest.pipeline import build_briefing
    from digest.settings import Settings

    scorer = rouge_scorer.RougeScorer(METRICS, use_stemmer=True)
    rows = [json.loads(line) for line in summaries.DATA.resolve().read_text(encoding="utf-8").splitlines()
            if line.strip()]
    clusters = []
    with _recording_fills() as recorded:
        for index, row in enumerate(rows):
            recorded.clear()
            n = len(row["summary"].split())
            docs = [d for d in row["documents"] if d.strip()]
            articles = [Article(id=f"d{i}", text=doc, outlet=f"outlet{i}", title=None) for i, doc in enumerate(docs)]
            briefing = build_briefing(articles, Settings(words_per_story=max(450, 2 * n), max_stories=12),
                                      summaries.NOW).briefing
            stories = [s.to_dict() for s in briefing.stories]
            baselines = {"lexrank": summaries.lexrank_text(docs, n), "lead": summaries.lead_text(docs, n)}
            clusters.append({
                "index": index, "summary": row["summary"], "n": n,
                "stories": _in_briefing_order(list(recorded), {"stories": stories}),
                "text": summaries.story_text(stories),
                "baselines": {name: _f1(scorer, row["summary"], text, n) for name, text in baselines.items()},
            })
    _save(clusters, cache)


def _save(clusters: list[dict[str, Any]], cache: Path) -> None:
    cache.parent.mkdir(parents=True, exist_ok=True)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))  # the contexts hold deep object graphs
    with cache.open("wb") as out:
        pickle.dump(clusters, out)


def _in_briefing_order(stories: list[dict[str, Any]], briefing: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The recorded stories in the briefing's order (matched on their summary): the order its text is read in."""
    if not briefing:
        return []
    by_summary: dict[str, dict[str, Any]] = {}
    for story in stories:
        by_summary.setdefault(story["summary"].item.text if story["summary"] is not None else "", story)
    return [by_summary[s["summary"] or ""] for s in briefing["stories"] if (s["summary"] or "") in by_summary]


def _f1(scorer: rouge_scorer.RougeScorer, reference: str, text: str, n: int) -> dict[str, float]:
    return {k: v.fmeasure for k, v in scorer.score(reference, summaries.cut(text, n)).items()}


def refilled_text(cluster: dict[str, Any], rescore: Rescore | None) -> str:
    """The cluster's briefing text (bench/summaries.py's ``story_text``) with each story re-filled after
    ``rescore`` (story, candidate) -> score; None keeps the captured scores."""
    stories = []
    for story in cluster["stories"]:
        candidates = story["candidates"]
        for cand in candidates:
            cand.score = story["scores"][cand.key] if rescore is None else rescore(story, cand)
        fill = budget.fill_sections(story["ctx"], candidates, story["summary"], story["disagreements"],
                                    story["budget"], story["wps"])
        sections = plan._in_reading_order(story["ctx"], fill.chosen)
        stories.append({
            "summary": story["summary"].item.text if story["summary"] is not None else "",
            **{name: [_item_dict(c.item) for c in sections[name]]
               for name in ("key_facts", "quotes", "reactions", "whats_next")},
        })
    return summaries.story_text(stories)


def _item_dict(item: Any) -> dict[str, Any]:
    return {"text": item.text, "context": getattr(item, "context", None)}


def weighted(weights: tuple[float, float, float, float]) -> Rescore:
    """Scores under other importance weights (support, centrality, echo, lede), from each captured score's parts."""
    old = context.WEIGHTS

    def rescore(story: dict[str, Any], cand: context.Candidate) -> float:
        score = story["scores"][cand.key]
        if cand.factor == 0:
            return 0.0
        ctx = story["ctx"]
        support = ctx.support(cand.sources) / ctx.n_outlets
        lede = 1 / (1 + cand.sort_key[-1])  # every section's sort key ends with the best sentence index
        rest = score / cand.factor - old[0] * support - old[3] * lede
        # The centrality and echo of the text the candidate keeps (a reaction is scored on its longer version,
        # which the candidate does not keep: its whole rest is taken for that text's part).
        centrality, echo = ctx.centrality(cand.item.text), ctx.echo(cand.item.text)
        if cand.section == "whats_next":  # its score adds a bonus for a timed event, which no weight scales
            bonus = rest - old[1] * centrality - old[2] * echo
        else:
            bonus = 0.0
            if old[1] or old[2]:  # what remains, split between the two in their captured proportion
                share = rest / (old[1] * centrality + old[2] * echo) if old[1] * centrality + old[2] * echo else 0.0
                centrality, echo = centrality * share, echo * share
        return cand.factor * (weights[0] * support + weights[1] * centrality + weights[2] * echo
                              + weights[3] * lede + bonus)

    return rescore


def oracle(clusters: list[dict[str, Any]]) -> Rescore:
    """Scores that know the answer: a candidate's unigram plus bigram precision against the human summary."""
    tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)
    reference_of = {}
    for cluster in clusters:
        ref = tokenizer.tokenize(cluster["summary"])
        for story in cluster["stories"]:
            reference_of[id(story)] = (Counter(ref), Counter(zip(ref, ref[1:])))

    def precision(grams: list, reference: Counter) -> float:
        return sum(min(k, reference[g]) for g, k in Counter(grams).items()) / len(grams) if grams else 0.0

    def rescore(story: dict[str, Any], cand: context.Candidate) -> float:
        unigrams, bigrams = reference_of[id(story)]
        toks = tokenizer.tokenize(cand.item.text)
        return precision(toks, unigrams) + precision(list(zip(toks, toks[1:])), bigrams)

    return rescore


def evaluate(clusters: list[dict[str, Any]], rescore: Rescore | None) -> tuple[dict[str, list[dict[str, float]]], int]:
    """ROUGE F1 per cluster of the re-filled briefing and of the baselines; and how many clusters' text differs
    from the captured briefing's."""
    scorer = rouge_scorer.RougeScorer(METRICS, use_stemmer=True)
    systems: dict[str, list[dict[str, float]]] = {"briefing": [], "lexrank": [], "lead": []}
    differ = 0
    for cluster in clusters:
        text = refilled_text(cluster, rescore)
        differ += text != cluster["text"]
        systems["briefing"].append(_f1(scorer, cluster["summary"], text, cluster["n"]))
        for name, scores in cluster["baselines"].items():
            systems[name].append(scores)
    return systems, differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--capture", action="store_true",
                        help=f"brief every cluster again and rewrite the cache ({CACHE}) before evaluating")
    parser.add_argument("--weights", default=None,
                        help=f"support,centrality,echo,lede importance weights, or support,centrality,lede (the tool's: "
                             f"{','.join(str(w) for w in context.WEIGHTS)})")
    parser.add_argument("--oracle", action="store_true", help="score candidates by their precision against the summary")
    parser.add_argument("--resamples", type=int, default=2000, help="bootstrap resamples (default 2000)")
    parser.add_argument("--seed", type=int, default=12, help="bootstrap seed (default 12)")
    args = parser.parse_args()
    if args.weights and args.oracle:
        parser.error("--weights and --oracle are two rankings: choose one")
    rawnews.pin_hash_seed()  # the pipeline's output depends on the string-hash seed, as in bench/summaries.py
    if args.capture or not CACHE.exists():  # without a cache (as in `make bench`), capture first
        started = time.perf_counter()
        capture(CACHE)
        print(f"captured multinews-raw in {time.perf_counter() - started:.1f}s to {CACHE}")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    with CACHE.open("rb") as cache:
        clusters = pickle.load(cache)
    started = time.perf_counter()
    if args.oracle:
        rescore, ranking = oracle(clusters), "oracle (precision against the summary)"
    elif args.weights:
        weights = tuple(float(w) for w in args.weights.split(","))
        if len(weights) == 3:  # the weights before echo: support, centrality, lede
            weights = (weights[0], weights[1], 0.0, weights[2])
        if len(weights) != 4:
            parser.error("--weights takes four numbers, support,centrality,echo,lede (or three, without echo)")
        rescore, ranking = weighted(weights), f"weights {args.weights}"
        context.WEIGHTS = weights  # the fill's value per word reads the support weight too
    else:
        rescore, ranking = None, "the pipeline's scores"
    systems, differ = evaluate(clusters, rescore)
    print(f"Multi-News raw (multinews-raw), fill re-run with {ranking}: {len(clusters)} clusters, "
          f"{time.perf_counter() - started:.1f}s; {differ} clusters' text differs from the captured briefing's")
    summaries.print_scores(systems, args.resamples, args.seed)


if __name__ == "__main__":
    main()
