"""The reader's gold: junk leaks, quotes, speakers and coverage on 16 hand-read multinews-raw clusters.

bench/gold/reader.json holds, for 16 clusters of ../shared/eval/multinews-raw/ read
like an editor (8 'tune' = even cluster index, 8 'check' = odd, to check tuning on a
half not tuned on): the furniture strings that must never show, the newsworthy direct
quotes with their speakers (checked in the text) and the 3-5 facts a reader must get
(from the human summary, as groups of alternative terms). Each gold cluster is briefed
alone, its documents written as plain files with names that say nothing and no
metadata, through ``digest.ingest.read_inputs`` + ``digest.pipeline.build_briefing``
with the default settings (the briefing a reader gets), and rendered to Markdown.
It prints, per cluster and in total for tune / check / all:

- **junk leaks**: gold furniture strings found anywhere in the briefing (headline,
  summary, every section, source titles; in briefing.json's fields or the Markdown),
  one per string and cluster;
- **quotes found**: gold quotes whose opening words (or another stored part of the
  same quoted passage) are in a quote of the quotes section (fuzzy: rapidfuzz partial
  ratio >= 90 on folded text);
- **speaker accuracy**: of the found gold quotes, the share whose speaker is the gold
  speaker or one of its aliases (equal, or a full name after a short title-like
  prefix: "Maryland Gov. Martin O'Malley" is "Martin O'Malley", "Mr Hamm" is "Hamm";
  "William Campbell" is not "Campbell" the mother; "unattributed" is wrong);
- **coverage**: facts whose every term group has one of its alternatives in the text
  of the briefing's stories (folded substring).

Goals (issue 12): 0 junk leaks, speaker accuracy >= 0.95, coverage >= 80%.
Matching folds case, curly quotes, dashes and spacing (bench/lib/rawnews.py ``fold``).
The gold is checked against the documents first: a string, quote or fact term that is
not in the cluster's text is reported as a gold error.

    .venv/bin/python bench/reader.py [--verbose] [--half tune|check]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))

from rapidfuzz import fuzz  # noqa: E402

from rawnews import GOLD, brief_in_process, fold, load_clusters, pin_hash_seed, story_items  # noqa: E402

QUOTE_MATCH = 90


@dataclass
class Score:
    leaks: list[str] = field(default_factory=list)
    quotes: int = 0
    found: int = 0
    right_speaker: int = 0
    facts: int = 0
    covered: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.leaks += other.leaks
        for name in ("quotes", "found", "right_speaker", "facts", "covered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def line(self) -> str:
        accuracy = f"{self.right_speaker / self.found:.2f}" if self.found else "  - "
        coverage = f"{self.covered / self.facts:.0%}" if self.facts else "-"
        return (f"leaks {len(self.leaks):2d}   quotes found {self.found:2d}/{self.quotes:<2d}  "
                f"speaker accuracy {accuracy} ({self.right_speaker}/{self.found})   "
                f"coverage {coverage:>4} ({self.covered}/{self.facts})")


def has_term(text: str, alternatives: list[str]) -> bool:
    return any(fold(a) in text for a in alternatives)


def check_gold(entry: dict, documents: str) -> list[str]:
    """Gold items that cannot be right because they are not in the cluster's documents."""
    errors = [f"furniture not in the documents: {s!r}" for s in entry["furniture"] if fold(s) not in documents]
    errors += [f"quote not in the documents: {text!r}" for q in entry["quotes"]
               for text in (q["opening"], *q.get("parts", ())) if fold(text) not in documents]
    for fact in entry["facts"]:
        errors += [f"fact term not in the documents: {group!r} ({fact['fact']})"
                   for group in fact["terms"] if not has_term(documents, group)]
    return errors


TITLES = frozenset("mr mrs ms dr prof professor sen senator rep gov governor president mayor det detective lt capt "
                   "gen sgt chief judge officer spokesman spokeswoman".split())


def speaker_matches(speaker: str, names: list[str]) -> bool:
    """The speaker is one of ``names``: equal, or a full name after a short title-like prefix.

    "Maryland Gov. Martin O'Malley" is "Martin O'Malley" and "Mr Hamm" is "Hamm", but
    "William Campbell" is not "Campbell" (the mother) and "Washington (CNN) Donald Trump"
    is no speaker at all.
    """
    said = fold(speaker).strip(" .,:;")
    for name in map(fold, names):
        if said == name:
            return True
        if not said.endswith(" " + name):
            continue
        prefix = said[: -len(name)].split()
        if any(ch in "()[]\"0123456789" for ch in "".join(prefix)) or len(prefix) > 4:
            continue
        if " " in name or all(w.strip(".") in TITLES for w in prefix):
            return True
    return False


def score_cluster(entry: dict, briefing: dict, markdown: str) -> Score:
    score = Score()
    stories = briefing["stories"]
    fields = [text for story in stories for _, text in story_items(story)]
    fields += [s.get("title") or "" for s in briefing["sources"]] + [s.get("outlet") or "" for s in briefing["sources"]]
    everything = fold("\n".join(fields)) + "\n" + fold(markdown)
    for junk in entry["furniture"]:
        if fold(junk) in everything:
            score.leaks.append(junk)
            score.notes.append(f"leak: {junk!r}")
    quotes = [q for story in stories for q in story.get("quotes", [])]
    for gold in entry["quotes"]:
        score.quotes += 1
        pieces = [fold(p) for p in (gold["opening"], *gold.get("parts", ()))]
        match = next((q for q in quotes if any(fuzz.partial_ratio(piece, fold(q.get("text") or "")) >= QUOTE_MATCH
                                               for piece in pieces)), None)
        if match is None:
            score.notes.append(f"quote missing: {gold['opening']!r} ({gold['speaker']})")
            continue
        score.found += 1
        if speaker_matches(match.get("speaker") or "", [gold["speaker"], *gold["aliases"]]):
            score.right_speaker += 1
        else:
            score.notes.append(f"wrong speaker: {gold['opening']!r} given to {match.get('speaker')!r}, "
                               f"not {gold['speaker']!r}")
    text = fold("\n".join(text for story in stories for _, text in story_items(story)))
    for fact in entry["facts"]:
        score.facts += 1
        if all(has_term(text, group) for group in fact["terms"]):
            score.covered += 1
        else:
            score.notes.append(f"fact missing: {fact['fact']}")
    return score


def main() -> None:
    pin_hash_seed()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list leaks, missing quotes, wrong speakers, missing facts")
    parser.add_argument("--half", choices=("tune", "check"), default=None, help="only one half of the gold")
    args = parser.parse_args()

    gold = json.loads((GOLD / "reader.json").read_text(encoding="utf-8"))
    clusters = {c.id: c for c in load_clusters()}
    totals = {"tune": Score(), "check": Score()}
    started = time.perf_counter()
    print(f"reader gold: {len(gold['clusters'])} hand-read multinews-raw clusters, each briefed alone with the default settings")
    for entry in gold["clusters"]:
        if args.half and entry["half"] != args.half:
            continue
        cluster = clusters[entry["id"]]
        assert cluster.index == entry["index"], f"{entry['id']} is cluster {cluster.index}, gold says {entry['index']}"
        for error in check_gold(entry, fold("\n".join(cluster.documents))):
            print(f"  gold error in {entry['id']}: {error}", file=sys.stderr)
        briefing, markdown, error = brief_in_process(cluster.documents)
        if briefing is None:
            score = Score(quotes=len(entry["quotes"]), facts=len(entry["facts"]), notes=[f"no briefing: {error}"])
            stories = 0
        else:
            score = score_cluster(entry, briefing, markdown)
            stories = len(briefing["stories"])
        totals[entry["half"]].add(score)
        print(f"{entry['half']:5} #{entry['index']:<2d} {entry['id']:17} stories {stories}  {score.line()}")
        if args.verbose:
            for note in score.notes:
                print(f"        {note}")
    every = Score()
    for half, score in totals.items():
        if score.quotes or score.facts:
            print(f"TOTAL {half:5}                     {score.line()}")
            every.add(score)
    if not args.half:
        print(f"TOTAL all                       {every.line()}")
    print(f"goals: 0 junk leaks, speaker accuracy >= 0.95, coverage >= 80%   ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
