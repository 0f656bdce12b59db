"""A day of real news: every multinews-raw cluster in one folder, briefed as one run.

All 277 documents of the 98 clusters of ../shared/eval/multinews-raw/ are written as
plain text files into one temporary folder (outside the repository), shuffled with a
fixed seed, named 0000.txt, 0001.txt, ... in shuffled order, with no metadata. The
folder is briefed by the command line, ``python -m digest run DIR --out OUT --format
json,md``, with no story limit (``[briefing] max_stories = 500``, the largest allowed and above
the 277 documents, in a temporary digest.toml). Briefed articles are mapped back to their true clusters through
``sources[].path`` of briefing.json. It prints:

- **ARI**, the adjusted Rand index of the stories against the true clusters, three ways:
  *briefed only* (the articles that are in some story; the issue's figure), *all
  documents* (an article left out of every story counts as a story of its own), and
  *real content* (all documents less those hand-labelled furniture or off-story,
  unbriefed ones again as singletons);
- **merged stories**: a story whose real-content documents (hand labels: not
  furniture, not off-story) come from two or more true clusters;
- **split stories**: a true cluster whose briefed real-content documents lie in two
  or more stories; and real-content documents briefed in no story at all;
- **furniture headlines**: headlines the bench's own judge (bench/lib/furniture.py:
  caption/credit/widget/notice patterns, cut off with "…", site suffix, text that
  recurs in unrelated clusters, text found only in hand-labelled furniture documents)
  calls furniture, by reason; headlines that still open with a dateline, apart;
- **furniture stories**: stories at least half of whose documents are hand-labelled
  furniture (bench/gold/raw-documents.json: 23 furniture documents, 3 off-story);
- the judge's agreement with the hand verdicts of bench/gold/day-headlines.json (every
  headline of the run on main at the time of writing, checked by hand), so its
  precision and recall are known, and the run's wall time;
- **reactions** against the hand verdicts of bench/gold/day-reactions.json: how many
  shown reactions are reactions by hand (a party other than the principals responding),
  per half, and how many of the hand-checked reactions are still shown; the same for What's
  next against bench/gold/day-next.json (an event still ahead, or stated as future).

The tool's output depends on Python's string-hash seed (it differs between two runs
of the same input otherwise), so the run is made with PYTHONHASHSEED=0.

``--verbose`` lists the merged and split stories, furniture headlines and stories with
their headlines. ``--keep DIR`` copies briefing.json and briefing.md there to read.

    .venv/bin/python bench/day.py [--verbose] [--seed 12] [--keep /tmp/day] [--half tune|check]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib"))

from rapidfuzz import fuzz  # noqa: E402
from sklearn.metrics import adjusted_rand_score  # noqa: E402

from furniture import HeadlineJudge  # noqa: E402
from rawnews import GOLD, RAW, fold, load_clusters, load_document_labels, run_cli, text_hash, write_documents  # noqa: E402

HEADLINE_VERDICTS = GOLD / "day-headlines.json"
REACTION_VERDICTS = GOLD / "day-reactions.json"
# A headline that leans on a sentence the reader has not seen: a reply ("But ..."), a pronoun, a bare
# description ("The spokesman, ...", "The two were ..."), an enumeration ("First, ..."). The bench's own
# pattern, not the tool's, so that a change to the tool's rule does not move its own yardstick.
_REFERS_BACK = re.compile(
    r"^[\"“‘']?(?:(?:But|And|Yet|Still|However|Also|So|Meanwhile|Instead|First|Second|Finally|Then)\b"
    r"|(?:He|She|It|They|His|Her|Its|Their|This|That|These|Those|Such)\b"
    r"|The (?:spokes(?:man|woman|person)|two|three|pair|couple|move|decision|latter|former|incident|same)\b)"
)
NEXT_VERDICTS = GOLD / "day-next.json"
MAX_STORIES = 500


def ari(truth: dict[str, str], found: dict[str, str], keys: list[str]) -> float:
    """ARI over ``keys``; a key with no story is a story of its own."""
    return adjusted_rand_score([truth[k] for k in keys], [found.get(k, f"alone:{k}") for k in keys])


def print_hand_checked(section: str, label: str, verdict_key: str, path: Path, stories: list[dict],
                       members: list[list[str]], truth: dict[str, str], half_of: dict[str, str], verbose: bool) -> None:
    """A section's items against hand verdicts (``path``), by half of the story's main true cluster: shown,
    hand-checked, right by hand and the share right; and how many of the items right by hand are still shown."""
    if not path.exists():
        return
    verdicts = json.loads(path.read_text(encoding="utf-8"))["verdicts"]
    counts = {h: Counter() for h in ("tune", "check", "all")}
    seen: set[str] = set()
    unchecked = []
    for number, story in enumerate(stories):
        keys = members[number]
        half = half_of[Counter(truth[k] for k in keys).most_common(1)[0][0]] if keys else "check"
        for item in story.get(section, []):
            key = text_hash(fold(item["text"]))
            verdict = verdicts.get(key)
            for h in (half, "all"):
                counts[h]["shown"] += 1
                if verdict is not None:
                    counts[h]["checked"] += 1
                    counts[h]["right"] += verdict[verdict_key]
            if verdict is not None:
                seen.add(key)
            else:
                unchecked.append((number, item))
    for h in ("tune", "check", "all"):
        c = counts[h]
        print(f"  {label} ({h}): shown {c['shown']}, hand-checked {c['checked']}, right by hand {c['right']} "
              f"= {c['right'] / max(1, c['checked']):.2f} of those checked")
    kept = sum(1 for key in seen if verdicts[key][verdict_key])
    total = sum(1 for v in verdicts.values() if v[verdict_key])
    print(f"  {label} right by hand and still shown: {kept}/{total}")
    if verbose and unchecked:
        print(f"\n{label.upper()} WITH NO HAND VERDICT")
        for number, item in unchecked:
            who = item.get("actor") or item.get("when") or ""
            print(f"- #{number + 1} [{text_hash(fold(item['text']))}] {who}: {short(item['text'], 160)}")


def short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _repeats_headline(headline: str, summary: str) -> bool:
    """The summary holds the headline nearly word for word: the reader reads one sentence twice."""
    a, b = (" ".join(re.findall(r"\w+", t.lower())) for t in (headline, summary))
    return len(a) >= 20 and len(b) >= len(a) and fuzz.partial_ratio(a, b) >= 95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=12, help="shuffle seed (default 12)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list merged/split stories and furniture")
    parser.add_argument("--keep", type=Path, default=None, help="copy briefing.json and briefing.md into this folder")
    parser.add_argument("--half", choices=("tune", "check"), default=None,
                        help="only the even-numbered (tune) or odd-numbered (check) clusters, for held-out checks")
    args = parser.parse_args()

    clusters = load_clusters()
    labels, warnings = load_document_labels(clusters)
    if args.half:
        clusters = [c for c in clusters if c.half == args.half]
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    truth = {c.key(k): c.id for c in clusters for k in range(len(c.documents))}
    summary_of = {c.id: c.summary for c in clusters}
    documents = [(c.key(k), text) for c in clusters for k, text in enumerate(c.documents)]
    random.Random(args.seed).shuffle(documents)

    tmp = Path(tempfile.mkdtemp(prefix="digest-day-"))
    try:
        folder = tmp / "day"
        folder.mkdir()
        names = write_documents(folder, [text for _, text in documents])
        key_of_name = {name: key for name, (key, _) in zip(names, documents)}
        # No story limit: the largest the configuration allows, above the 277 documents of the whole set.
        briefing, markdown, seconds = run_cli(folder, tmp / "out", max_stories=MAX_STORIES)
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for name in ("briefing.json", "briefing.md"):
                shutil.copy(tmp / "out" / name, args.keep / name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    key_of_source = {s["id"]: key_of_name[Path(s["path"]).name] for s in briefing["sources"] if s.get("path")}
    stories = briefing["stories"]
    found: dict[str, str] = {}
    twice = 0
    members: list[list[str]] = []
    for number, story in enumerate(stories):
        keys = [key_of_source[s] for s in story["sources"] if s in key_of_source]
        members.append(keys)
        for key in keys:
            if key in found:
                twice += 1
            else:
                found[key] = f"story{number}"
    all_keys = sorted(truth)
    real = [k for k in all_keys if k not in labels]
    briefed = [k for k in all_keys if k in found]
    print(f"multinews-raw day{' (' + args.half + ' half)' if args.half else ''}: {len(all_keys)} documents in "
          f"{len(clusters)} clusters ({RAW.parent.name}), seed {args.seed}; "
          f"{len(stories)} stories, {len(briefed)} documents briefed; wall time {seconds:.1f} s")
    if twice:
        print(f"  note: {twice} document(s) appear in more than one story (counted in their first)")
    print(f"ARI briefed only {ari(truth, found, briefed):.3f}   all documents (unbriefed as singletons) "
          f"{ari(truth, found, all_keys):.3f}   real content only {ari(truth, found, real):.3f}")

    # merged: real-content documents of 2+ true clusters in one story
    merged = []
    for number, keys in enumerate(members):
        by_cluster = Counter(truth[k] for k in keys if k not in labels)
        if len(by_cluster) >= 2:
            merged.append((number, by_cluster))
    # split: a true cluster's briefed real-content documents in 2+ stories
    stories_of_cluster: dict[str, set[str]] = defaultdict(set)
    for key in real:
        if key in found:
            stories_of_cluster[truth[key]].add(found[key])
    split = {cid: s for cid, s in stories_of_cluster.items() if len(s) >= 2}
    unbriefed_real = [k for k in real if k not in found]
    real_sets = {frozenset(k for k in keys if k not in labels) for keys in members}
    cluster_sets = defaultdict(set)
    for key in real:
        cluster_sets[truth[key]].add(key)
    exact = sum(1 for keys in cluster_sets.values() if frozenset(keys) in real_sets)
    print(f"merged stories {len(merged)}   split stories {len(split)} (clusters in 2+ stories)   "
          f"real documents briefed in no story {len(unbriefed_real)}   clusters recovered exactly {exact}/{len(clusters)}")

    judge = HeadlineJudge(clusters, labels)
    verdicts = {}
    if HEADLINE_VERDICTS.exists():
        verdicts = json.loads(HEADLINE_VERDICTS.read_text(encoding="utf-8"))["verdicts"]
    flagged, reasons_count, datelines, referring, repeated = [], Counter(), 0, [], 0
    agreement = Counter()
    for number, story in enumerate(stories):
        headline = story.get("headline") or ""
        reasons = judge.reasons(headline)
        for r in reasons:
            reasons_count[r] += 1
        if reasons:
            flagged.append((number, headline, reasons))
        datelines += judge.dateline(headline)
        repeated += _repeats_headline(headline, story.get("summary") or "")
        if _REFERS_BACK.match(headline):
            referring.append((number, headline))
        verdict = verdicts.get(text_hash(fold(headline)))
        if verdict is not None:
            agreement[(bool(reasons), verdict["furniture"])] += 1
    furniture_stories = [n for n, keys in enumerate(members)
                         if keys and sum(labels.get(k) == "furniture" for k in keys) >= len(keys) / 2]
    print(f"furniture headlines {len(flagged)} of {len(stories)}   furniture stories {len(furniture_stories)}   "
          f"headlines opening with a dateline {datelines} (not counted as furniture)   "
          f"opening by referring back {len(referring)}   repeated word for word by the summary {repeated}")
    kinds = Counter(judge.kind(reasons) for _, _, reasons in flagged)
    print(f"  of which furniture {kinds['furniture']}, cut off (and no furniture reason) {kinds['cut off']}, "
          f"site suffix only {kinds['site suffix']}")
    print("  by reason (a headline may have several): " + ", ".join(f"{r} {n}" for r, n in reasons_count.most_common()))
    checked = sum(agreement.values())
    if checked:
        tp, fp, fn = agreement[(True, True)], agreement[(True, False)], agreement[(False, True)]
        hand = tp + fn
        print(f"  judge vs hand verdicts ({checked} of {len(stories)} headlines hand-checked): furniture by hand {hand}, "
              f"judge precision {tp}/{tp + fp} = {tp / max(1, tp + fp):.2f}, recall {tp}/{hand} = {tp / max(1, hand):.2f}")
    else:
        print("  judge vs hand verdicts: no headline of this run was hand-checked")
    print("  judge limits: captions with no credit or caption wording are missed unless hand-checked; "
          "a pattern word quoted in a real headline is a false alarm; furniture story = half or more of its "
          "documents hand-labelled furniture")
    half_of = {c.id: c.half for c in clusters}
    print_hand_checked("reactions", "reactions", "reaction", REACTION_VERDICTS, stories, members, truth, half_of,
                       args.verbose)
    print_hand_checked("whats_next", "what's next", "next", NEXT_VERDICTS, stories, members, truth, half_of,
                       args.verbose)

    if args.verbose:
        print("\nMERGED STORIES (story: true clusters with their real-content document counts)")
        for number, by_cluster in merged:
            print(f"- #{number + 1} {short(stories[number]['headline'])}")
            for cid, count in by_cluster.most_common():
                print(f"    {count} x {cid}: {short(summary_of[cid], 90)}")
        print("\nSPLIT STORIES (true cluster: the stories holding its documents)")
        for cid, parts in sorted(split.items()):
            print(f"- {cid}: {short(summary_of[cid], 90)}")
            for part in sorted(parts, key=lambda p: int(p[5:])):
                number = int(part[5:])
                print(f"    #{number + 1} {short(stories[number]['headline'])}")
        if unbriefed_real:
            print("\nREAL DOCUMENTS IN NO STORY: " + ", ".join(unbriefed_real))
        print("\nFURNITURE HEADLINES")
        for number, headline, reasons in flagged:
            print(f"- #{number + 1} [{', '.join(reasons)}] {short(headline)}")
        print("\nFURNITURE STORIES")
        for number in furniture_stories:
            print(f"- #{number + 1} ({len(members[number])} documents) {short(stories[number]['headline'])}")
        print("\nHEADLINES OPENING BY REFERRING BACK")
        for number, headline in referring:
            print(f"- #{number + 1} {short(headline)}")
        missed = [(n, s["headline"]) for n, s in enumerate(stories)
                  if not judge.reasons(s["headline"] or "")
                  and verdicts.get(text_hash(fold(s["headline"] or "")), {}).get("furniture")]
        if missed:
            print("\nFURNITURE BY HAND THAT THE JUDGE MISSED")
            for number, headline in missed:
                print(f"- #{number + 1} {short(headline)}")


if __name__ == "__main__":
    main()
