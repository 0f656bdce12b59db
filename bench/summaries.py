"""ROUGE of the briefing against Multi-News human summaries, beside LexRank and lead baselines.

For each cluster of ../shared/eval/multinews-dev/multinews-dev.jsonl the pipeline
builds a briefing from the cluster's documents; its text (summary, key facts,
what's next, reactions, quotes, in that order) is cut to the human summary's
length in words and scored with ROUGE-1/2/L F1 (rouge-score, stemming on).
At the same length, two baselines are scored: LexRank (sumy, with this
script's own tokenizer, since NLTK's punkt data cannot be downloaded here) and
the lead sentences of the documents taken in turn (first sentence of each
document, then the second, ...).

The data set is lower-cased and truncated (see its PROVENANCE.md): this checks
content selection, not quotes.

Run:  python bench/summaries.py [--limit N]
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


class Tokenizer:
    """The sentence and word splits sumy needs, from the project's own text helpers."""

    language = "english"

    def to_sentences(self, text: str) -> list[str]:
        return split_sentences(text)

    def to_words(self, sentence: str) -> list[str]:
        return tokens(sentence)


def cut(text: str, n_words: int) -> str:
    return " ".join(text.split()[:n_words])


def briefing_text(documents: list[str], budget: int) -> str:
    articles = [Article(id=f"d{i}", text=doc, outlet=f"outlet{i}", title=None) for i, doc in enumerate(documents)]
    settings = Settings(words_per_story=budget, max_stories=12)
    try:
        briefing = build_briefing(articles, settings, NOW).briefing
    except DigestError as exc:
        print(f"  (briefing failed: {exc})", file=sys.stderr)
        return ""
    parts: list[str] = []
    for story in briefing.stories:
        parts.append(story.summary)
        parts += [f.text for f in story.key_facts]
        parts += [e.text for e in story.whats_next]
        parts += [r.text for r in story.reactions]
        parts += [q.context or q.text for q in story.quotes]
    return " ".join(p for p in parts if p)


def lexrank_text(documents: list[str], n_words: int) -> str:
    """The fewest LexRank sentences (in document order, as sumy returns them) that reach ``n_words``."""
    parser = PlaintextParser.from_string("\n\n".join(documents), Tokenizer())
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    total = len(parser.document.sentences)

    def text(k: int) -> str:
        return " ".join(str(s) for s in summarizer(parser.document, k))

    low, high = 1, max(total, 1)
    while low < high:  # binary search on the sentence count
        mid = (low + high) // 2
        if len(text(mid).split()) >= n_words:
            high = mid
        else:
            low = mid + 1
    return text(low)


def lead_text(documents: list[str], n_words: int) -> str:
    sentences = [split_sentences(d) for d in documents]
    out: list[str] = []
    depth = 0
    while sum(len(s.split()) for s in out) < n_words and any(depth < len(s) for s in sentences):
        for doc in sentences:
            if depth < len(doc):
                out.append(doc[depth])
        depth += 1
    return " ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    args = parser.parse_args()
    rows = [json.loads(line) for line in DATA.resolve().read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit] if args.limit else rows
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    systems = {"briefing": [], "lexrank": [], "lead": []}
    started = time.perf_counter()
    for row in rows:
        reference = row["summary"]
        n = len(reference.split())
        docs = [d for d in row["documents"] if d.strip()]
        candidates = {
            "briefing": briefing_text(docs, max(450, 2 * n)),
            "lexrank": lexrank_text(docs, n),
            "lead": lead_text(docs, n),
        }
        for name, text in candidates.items():
            scores = scorer.score(reference, cut(text, n))
            systems[name].append({k: v.fmeasure for k, v in scores.items()})
    elapsed = time.perf_counter() - started
    print(f"Multi-News dev sample: {len(rows)} clusters, {elapsed:.1f}s; ROUGE F1 (x100), mean over clusters, "
          f"each text cut to the human summary's length")
    print(f"{'system':10} {'R-1':>6} {'R-2':>6} {'R-L':>6}")
    for name, scores in systems.items():
        means = {k: 100 * statistics.mean(s[k] for s in scores) for k in ("rouge1", "rouge2", "rougeL")}
        print(f"{name:10} {means['rouge1']:6.2f} {means['rouge2']:6.2f} {means['rougeL']:6.2f}")


if __name__ == "__main__":
    main()
