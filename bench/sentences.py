"""Sentence splitters compared: the tool's rules (digest.text.split_sentences) against pysbd.

Three measures, both splitters in one run:

- **hand-made set** (bench/gold/sentences.json: made-up news paragraphs with the sentences an
  editor splits them into): paragraphs split exactly right, and boundary precision / recall / F1;
- **multinews-raw** (every paragraph of every document of ../shared/eval/multinews-raw/): sentences
  *cut at an abbreviation* by the day bench's own judge (a sentence that is not the paragraph's last
  and ends in an abbreviation of bench/lib/furniture.py, "... Kansas City, Mo." + "said ...", or in
  initials, "... O.J." + "Simpson ..."), and *fragments* (a piece of fewer than three words cut off a
  longer paragraph), with how often the two splitters agree on a paragraph;
- **speed**: milliseconds per 1,000 sentences over the multinews-raw paragraphs (median of 3 passes,
  the two splitters alternating, on this shared machine).

    .venv/bin/python bench/sentences.py [--show 10]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "lib"))

from furniture import _ABBREVIATIONS, _INITIALS_END  # noqa: E402
from rawnews import GOLD, load_clusters  # noqa: E402

from digest.clean import split_paragraphs  # noqa: E402
from digest.text import split_sentences  # noqa: E402

Splitter = Callable[[str], list[str]]


def pysbd_splitter() -> Splitter:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [s.strip() for s in segmenter.segment(text) if s.strip()]


def boundaries(sentences: list[str]) -> set[int]:
    """Character offsets (in the paragraph with spaces removed) where a sentence ends, the last one excluded."""
    ends, offset = set(), 0
    for sentence in sentences[:-1]:
        offset += len(sentence.replace(" ", ""))
        ends.add(offset)
    return ends


def cut_at_abbreviation(sentence: str, following: str) -> bool:
    """The judge's rule: the sentence ends in an abbreviation or initials and the next piece goes on with a name."""
    last = re.findall(r"[A-Za-z.]+$", sentence)
    if not last or not sentence.endswith("."):
        return False
    word = last[0].rstrip(".")
    starts_lower_word = bool(re.match(r"[\"'\u201c\u2018(]*(?:The|A|An|He|She|It|They|We|I|But|And|In|On|This)\b",
                                      following))
    if starts_lower_word:
        return False  # a sentence starter follows: a real end
    return word.lower().rsplit(".", 1)[-1] in _ABBREVIATIONS and "." not in word or bool(
        _INITIALS_END.search(word) and word not in ("U.S", "U.K", "U.N"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show", type=int, default=0, help="print N disagreements / errors of each kind")
    args = parser.parse_args()
    splitters: dict[str, Splitter] = {"digest rules": split_sentences, "pysbd 0.3": pysbd_splitter()}

    cases = json.loads((GOLD / "sentences.json").read_text(encoding="utf-8"))["cases"]
    print(f"hand-made set: {len(cases)} paragraphs, {sum(len(c) - 1 for c in cases)} sentence boundaries")
    for name, split in splitters.items():
        exact = tp = fp = fn = 0
        wrong = []
        for expected in cases:
            got = split(" ".join(expected))
            exact += got == expected
            e, g = boundaries(expected), boundaries(got)
            tp, fp, fn = tp + len(e & g), fp + len(g - e), fn + len(e - g)
            if got != expected:
                wrong.append(got)
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        print(f"  {name:<13} exact {exact}/{len(cases)}   boundary precision {p:.3f} recall {r:.3f} "
              f"F1 {2 * p * r / max(p + r, 1e-9):.3f}")
        for got in wrong[: args.show]:
            print(f"      wrong: {got}")

    paragraphs = [p for c in load_clusters() for d in c.documents for p in split_paragraphs(d)]
    print(f"multinews-raw: {len(paragraphs)} paragraphs")
    results = {}
    for name, split in splitters.items():
        pieces = [split(p) for p in paragraphs]
        results[name] = pieces
        n = sum(len(s) for s in pieces)
        cuts = [(s[i], s[i + 1]) for s in pieces for i in range(len(s) - 1) if cut_at_abbreviation(s[i], s[i + 1])]
        fragments = [x for s in pieces if len(s) > 1 for x in s if len(x.split()) < 3]
        print(f"  {name:<13} sentences {n}   cut at an abbreviation {len(cuts)}   fragments {len(fragments)}")
        for a, b in cuts[: args.show]:
            print(f"      cut: ...{a[-50:]} | {b[:40]}...")
        for x in fragments[: args.show]:
            print(f"      fragment: {x!r}")
    names = list(splitters)
    agree = sum(a == b for a, b in zip(results[names[0]], results[names[1]]))
    print(f"  paragraphs split alike by both: {agree}/{len(paragraphs)}")
    if args.show:
        shown = 0
        for a, b in zip(results[names[0]], results[names[1]]):
            if a != b and shown < args.show:
                shown += 1
                print(f"    {names[0]}: {a}\n    {names[1]}: {b}\n")

    timings: dict[str, list[float]] = {name: [] for name in splitters}
    counts = {name: sum(len(s) for s in results[name]) for name in splitters}
    for _ in range(3):
        for name, split in splitters.items():
            started = time.perf_counter()
            for p in paragraphs:
                split(p)
            timings[name].append(time.perf_counter() - started)
    base = statistics.median(timings[names[0]]) / counts[names[0]]
    for name in names:
        per = statistics.median(timings[name]) / counts[name]
        print(f"speed {name:<13} {1000 * 1000 * per:8.2f} ms per 1,000 sentences   ({per / base:.1f}x the rules)")


if __name__ == "__main__":
    main()
