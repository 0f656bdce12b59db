"""The near-duplicate decision on MSRP (Microsoft Research Paraphrase Corpus) as a sanity figure.

Thresholds (``near_duplicate_cutoff``, ``containment_cutoff``) are chosen on the
train split only (best accuracy), then accuracy and F1 are printed on the test
split, for the chosen thresholds and for the defaults in ``Settings``.
Near-duplicate is stricter than paraphrase, so the defaults trade recall for
precision on purpose. MSRP judges "X said Y" and "X said Y, adding Z" as *not*
paraphrases (one says more), which is exactly what the containment rule joins,
so the whole-text rule is also reported alone, with its own train-chosen cutoff.

    .venv/bin/python bench/paraphrase.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from digest.settings import Settings  # noqa: E402
from digest.similarity import CONTAINMENT_MIN_WORDS, Prepared, containment  # noqa: E402

# ../shared/eval from the repository root; a git worktree deeper down looks further up.
EVAL = next((p / "shared" / "eval" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / ".." / "shared" / "eval")
MSRP = EVAL / "msrp"


def load(split: str) -> tuple[list[str], list[str], np.ndarray]:
    path = MSRP / f"msr_paraphrase_{split}.txt"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    rows = [r for r in rows if len(r) == 5]
    return [r[3] for r in rows], [r[4] for r in rows], np.array([int(r[0]) for r in rows])


def scores(first: list[str], second: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: whole-text score, containment score, shorter word count (the inputs of the decision)."""
    prepared = Prepared(first + second)
    n = len(first)
    left, right = np.arange(n), np.arange(n, 2 * n)
    whole = process.cpdist(
        [prepared.token_sorted[i] for i in left],
        [prepared.token_sorted[j] for j in right],
        scorer=fuzz.ratio,
        processor=None,
        workers=-1,
    )
    contained = containment(prepared, left, right)
    shorter = np.minimum(prepared.word_counts[left], prepared.word_counts[right])
    return whole, contained, shorter


def decide(whole, contained, shorter, near: float, contain: float) -> np.ndarray:
    return (whole >= near) | ((shorter >= CONTAINMENT_MIN_WORDS) & (contained >= contain))


def report(name: str, predicted: np.ndarray, truth: np.ndarray) -> None:
    tp = int((predicted & (truth == 1)).sum())
    precision = tp / max(1, int(predicted.sum()))
    recall = tp / max(1, int((truth == 1).sum()))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    accuracy = float((predicted == (truth == 1)).mean())
    print(f"{name}: accuracy {accuracy:.3f}  F1 {f1:.3f}  precision {precision:.3f}  recall {recall:.3f}")


def main() -> None:
    train = load("train")
    test = load("test")
    train_scores = scores(train[0], train[1])
    test_scores = scores(test[0], test[1])
    best = max(
        ((near, contain) for near in range(40, 101, 2) for contain in range(40, 101, 2)),
        key=lambda t: float((decide(*train_scores, *t) == (train[2] == 1)).mean()),
    )
    print(f"MSRP train {len(train[2])} pairs, test {len(test[2])} pairs (majority class on test: "
          f"{(test[2] == 1).mean():.3f} accuracy)")
    print(f"thresholds chosen on train (best accuracy): near_duplicate_cutoff={best[0]} containment_cutoff={best[1]}")
    report("test, chosen thresholds", decide(*test_scores, *best), test[2])
    whole_only = max(range(40, 101, 2), key=lambda t: float(((train_scores[0] >= t) == (train[2] == 1)).mean()))
    print(f"whole-text rule alone, cutoff chosen on train: {whole_only}")
    report("test, whole-text rule alone", test_scores[0] >= whole_only, test[2])
    settings = Settings()
    report(
        f"test, whole-text rule alone at the default {settings.near_duplicate_cutoff:g}",
        test_scores[0] >= settings.near_duplicate_cutoff,
        test[2],
    )
    contained_only = decide(*test_scores, 101, settings.containment_cutoff) & (
        test_scores[0] < settings.near_duplicate_cutoff
    )
    print(f"test pairs joined only by containment at the defaults: {int(contained_only.sum())}, of which "
          f"{(test[2][contained_only] == 1).mean():.0%} are labelled paraphrases")
    report(
        f"test, defaults ({settings.near_duplicate_cutoff:g}/{settings.containment_cutoff:g})",
        decide(*test_scores, settings.near_duplicate_cutoff, settings.containment_cutoff),
        test[2],
    )


if __name__ == "__main__":
    main()
