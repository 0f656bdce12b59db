"""Article-body extraction benchmark: our HTML ingest path against trafilatura's defaults.

Runs every page of ``../shared/eval/extraction/html/*.html.gz`` through ``digest.ingest.read_inputs``
(the same path a saved page takes in a run) and through ``trafilatura.extract`` with default
settings, and scores both against the gold article bodies with token-level precision, recall
and F1 (lower-cased ``\\w+`` tokens, multiset overlap, averaged over pages). When
``digest.clean.clean_article`` exists, "ingest + clean" is scored as well.

    python bench/extraction.py [--limit N] [--eval-dir PATH] [--show-worst K]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from statistics import mean

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from digest.ingest import read_inputs  # noqa: E402
from digest.settings import Settings  # noqa: E402

TOKEN = re.compile(r"\w+", re.UNICODE)


def find_eval_dir() -> Path:
    """``../shared/eval`` from the repo root; from a worktree under ``wt/`` it is one level further up."""
    if os.environ.get("DIGEST_EVAL"):
        return Path(os.environ["DIGEST_EVAL"])
    for base in (ROOT / ".." / "shared" / "eval", ROOT / ".." / ".." / "shared" / "eval"):
        if base.is_dir():
            return base.resolve()
    raise SystemExit("eval data not found: set DIGEST_EVAL to the shared/eval folder")


def tokens(text: str) -> Counter:
    return Counter(TOKEN.findall((text or "").lower()))


def score(gold: str, predicted: str) -> tuple[float, float, float]:
    """Token precision, recall and F1 of one page (an empty prediction of a non-empty gold is 0/0/0)."""
    g, p = tokens(gold), tokens(predicted)
    overlap = sum((g & p).values())
    precision = overlap / sum(p.values()) if p else (1.0 if not g else 0.0)
    recall = overlap / sum(g.values()) if g else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (0 = all)")
    parser.add_argument("--eval-dir", type=Path, default=None)
    parser.add_argument("--show-worst", type=int, default=5)
    args = parser.parse_args()

    folder = (args.eval_dir or find_eval_dir()) / "extraction"
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = sorted((folder / "html").glob("*.html.gz"))
    if args.limit:
        pages = pages[: args.limit]

    try:
        from digest.clean import clean_article
    except ImportError:
        clean_article = None

    settings = Settings()
    results: dict[str, list[tuple[float, float, float]]] = {"ingest": [], "trafilatura default": []}
    if clean_article is not None:
        results["ingest + clean"] = []
    per_page: list[tuple[float, str]] = []
    timings = Counter()
    metadata = Counter()
    for page in pages:
        key = page.name[: -len(".html.gz")]
        truth = gold[key]["articleBody"]

        started = time.perf_counter()
        outcome = read_inputs([str(page)], settings)
        ours = outcome.articles[0].text if outcome.articles else ""
        timings["ingest"] += time.perf_counter() - started
        results["ingest"].append(score(truth, ours))
        for article in outcome.articles[:1]:
            for name in ("title", "published", "outlet", "url", "author"):
                metadata[name] += bool(getattr(article, name))
        per_page.append((results["ingest"][-1][2], key))

        if clean_article is not None:
            cleaned = ""
            if outcome.articles:
                clean = clean_article(outcome.articles[0], settings)
                # Subheadings are part of the article body (the gold keeps them); boilerplate is not.
                body = sorted((*clean.paragraphs, *clean.headings), key=lambda p: p.position)
                cleaned = "\n\n".join(p.text for p in body)
            results["ingest + clean"].append(score(truth, cleaned))

        started = time.perf_counter()
        raw = gzip.decompress(page.read_bytes())
        baseline = trafilatura.extract(raw) or ""
        timings["trafilatura default"] += time.perf_counter() - started
        results["trafilatura default"].append(score(truth, baseline))

    print(f"pages: {len(pages)}  (eval: {folder})")
    print(f"{'extractor':<22} {'precision':>9} {'recall':>9} {'F1':>9}  {'seconds':>8}")
    for name, rows in results.items():
        p, r, f = (mean(col) for col in zip(*rows))
        print(f"{name:<22} {p:9.4f} {r:9.4f} {f:9.4f}  {timings.get(name, 0):8.1f}")
    print("metadata found (ingest): " + ", ".join(f"{k} {v}/{len(pages)}" for k, v in metadata.items()))
    if args.show_worst:
        print("worst pages (ingest F1):")
        for f1, key in sorted(per_page)[: args.show_worst]:
            print(f"  {f1:.3f}  {key[:16]}  {gold[key]['url']}")


if __name__ == "__main__":
    main()
