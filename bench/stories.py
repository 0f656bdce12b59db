"""Story grouping on Multi-News: all documents of the 50 dev clusters mixed into one input.

Prints the adjusted Rand index of ``group_stories`` against the true clusters and
the share of clusters recovered exactly, for the configured ``story_threshold``
and a few others around it.

    .venv/bin/python bench/stories.py
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from digest.cluster import group_stories  # noqa: E402
from digest.models import Article, CleanArticle, Paragraph  # noqa: E402
from digest.settings import Settings  # noqa: E402

# ../shared/eval from the repository root; a git worktree deeper down looks further up.
EVAL = next((p / "shared" / "eval" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / ".." / "shared" / "eval")
DATA = EVAL / "multinews-dev" / "multinews-dev.jsonl"


def load() -> tuple[list[CleanArticle], dict[str, str]]:
    articles, truth = [], {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        cluster = json.loads(line)
        for k, text in enumerate(cluster["documents"]):
            article_id = f"{cluster['id']}-{k}"
            # Each document is one paragraph in this data; one outlet per document.
            articles.append(CleanArticle(Article(id=article_id, text=text, outlet=article_id), (Paragraph(article_id, 0, text),)))
            truth[article_id] = cluster["id"]
    return articles, truth


def score(articles: list[CleanArticle], truth: dict[str, str], settings: Settings) -> tuple[float, float, int, float]:
    start = time.perf_counter()
    stories = group_stories(articles, settings)
    seconds = time.perf_counter() - start
    found = {a.article.id: s.id for s in stories for a in s.articles}
    ids = sorted(truth)
    ari = adjusted_rand_score([truth[i] for i in ids], [found[i] for i in ids])
    true_sets = {}
    for i in ids:
        true_sets.setdefault(truth[i], set()).add(i)
    found_sets = [{a.article.id for a in s.articles} for s in stories]
    exact = sum(1 for members in true_sets.values() if members in found_sets) / len(true_sets)
    return ari, exact, len(stories), seconds


def main() -> None:
    articles, truth = load()
    settings = Settings()
    print(f"{len(articles)} documents in {len(set(truth.values()))} clusters")
    ari, exact, count, seconds = score(articles, truth, settings)
    print(f"story_threshold={settings.story_threshold}: ARI {ari:.3f}  clusters recovered exactly {exact:.0%}  "
          f"stories {count}  ({seconds:.2f} s)")
    for threshold in (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3):
        ari, exact, count, _ = score(articles, truth, replace(settings, story_threshold=threshold))
        print(f"  story_threshold={threshold}: ARI {ari:.3f}  exact {exact:.0%}  stories {count}")


if __name__ == "__main__":
    main()
