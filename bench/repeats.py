"""Repeats in briefings of multinews-raw clusters: the same content shown twice within one story.

Each cluster is briefed alone (documents as plain files with names that say nothing, the default
settings: the briefing a reader gets, as in bench/reader.py). Within each story, every item the
reader reads (summary, key facts, quotes, reactions, what's next) is compared with every other, and
the headline with each of them (there only the same words again count: a headline restates its story).
Two items are a **repeat** when, on folded text (bench/lib/rawnews.py ``fold``), one holds the
other (rapidfuzz partial ratio >= 90 over the shorter's length, at least 25 characters), or at
least 70% of the shorter's content words (4 or more) are in the longer: two outlets' ledes both
kept, a fact again as a quote, a reaction again as a key fact.

The judge is the bench's own (plain word sets, its own word list), not the tool's redundancy rule,
so that it does not move when the tool's rule changes.

    .venv/bin/python bench/repeats.py [--clusters 0,6,24] [--half tune|check] [--verbose]

Without --clusters: the 16 clusters of the reader's gold (bench/gold/reader.json).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))

from rapidfuzz import fuzz  # noqa: E402

from rawnews import GOLD, brief_in_process, fold, load_clusters, pin_hash_seed  # noqa: E402

CONTAINS = 90
MIN_CHARS = 25
OVERLAP = 0.7
MIN_WORDS = 4
_STOP = frozenset("""a an and are as at be been but by for from had has have he her his i in is it its of on or
    our she that the their them they this to was we were will with would said says not no who which what when
    also after before over than more about into up out after""".split())


def content(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(text)) if w not in _STOP and len(w) > 1}


def items(story: dict) -> list[tuple[str, str]]:
    """(section, text) of every item a reader reads in one story, the headline and summary included."""
    out = [("headline", story.get("headline") or ""), ("summary", story.get("summary") or "")]
    out += [("key_facts", f["text"]) for f in story.get("key_facts", [])]
    out += [("quotes", q["text"]) for q in story.get("quotes", [])]
    out += [("reactions", r["text"]) for r in story.get("reactions", [])]
    out += [("whats_next", e["text"]) for e in story.get("whats_next", [])]
    return [(s, t) for s, t in out if t]


def is_repeat(a: str, b: str) -> bool:
    """One text holds the other, or most of the shorter's content words are in the longer."""
    fa, fb = fold(a), fold(b)
    short, long_ = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    if len(short) >= MIN_CHARS and fuzz.partial_ratio(short, long_) >= CONTAINS:
        return True
    ca, cb = content(a), content(b)
    small = min(ca, cb, key=len)
    return len(small) >= MIN_WORDS and len(ca & cb) / len(small) >= OVERLAP


def held(short: str, long_: str) -> bool:
    """``long_`` holds ``short`` nearly word for word."""
    a, b = fold(short), fold(long_)
    return len(a) >= MIN_CHARS and fuzz.partial_ratio(a, b) >= CONTAINS


def repeats(briefing: dict) -> list[tuple[str, str, str, str]]:
    """Every repeated pair (section, text, section, text) within a story of the briefing."""
    found = []
    for story in briefing["stories"]:
        shown = items(story)
        for i, (sa, ta) in enumerate(shown):
            for sb, tb in shown[i + 1:]:
                # A headline restates its story: only the same words again repeat it (a body item holding it).
                if sa == "headline" and not held(ta, tb):
                    continue
                if is_repeat(ta, tb):
                    found.append((sa, ta, sb, tb))
    return found


def main() -> None:
    pin_hash_seed()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clusters", default=None, help="comma-separated cluster indexes (default: the reader's gold)")
    parser.add_argument("--half", choices=("tune", "check"), default=None, help="only one half of the clusters")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every repeated pair")
    args = parser.parse_args()
    clusters = load_clusters()
    if args.clusters:
        chosen = [clusters[int(i)] for i in args.clusters.split(",")]
    else:
        gold = json.loads((GOLD / "reader.json").read_text(encoding="utf-8"))
        chosen = [clusters[e["index"]] for e in gold["clusters"]]
    if args.half:
        chosen = [c for c in chosen if c.half == args.half]
    started = time.perf_counter()
    total = {"tune": [0, 0], "check": [0, 0]}
    for cluster in chosen:
        briefing, _md, error = brief_in_process(cluster.documents)
        pairs = repeats(briefing) if briefing else []
        total[cluster.half][0] += len(pairs)
        total[cluster.half][1] += 1
        print(f"{cluster.half:5} #{cluster.index:<2d} {cluster.id:17} repeats {len(pairs)}" + (f"  ({error})" if error else ""))
        if args.verbose:
            for sa, ta, sb, tb in pairs:
                print(f"        {sa}: {ta[:90]!r}\n          = {sb}: {tb[:90]!r}")
    for half, (n, k) in total.items():
        if k:
            print(f"TOTAL {half:5} repeats {n} in {k} briefings")
    print(f"TOTAL all   repeats {sum(n for n, _ in total.values())} in {len(chosen)} briefings "
          f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
