"""Near-duplicate stage at scale, on synthetic news-like corpora with known near-duplicate pairs.

The corpus is generated here, deterministically: stories with their own names
and topic words over a Zipf-distributed vocabulary, paragraphs of 1-4 sentences
(some are quotes with an attribution), and groups of 2-6 copies of one
paragraph as other outlets print it, each copy with 1-2 edits: swapped words,
substituted words, a dropped clause, other quote marks, reordered sentences,
other attribution ("the agency said"), another name spelling, an added sentence
or clause, or only one sentence of it (containment). The known pairs are all
pairs inside a group.

For each size it prints: time and peak memory (max RSS of a fresh process) of
``near_duplicate_pairs``; the time of rapidfuzz ``process.cdist`` all-pairs
(``token_set_ratio``, as in the issue, and the same decision as ours) up to 5k;
datasketch MinHash LSH plus the same rapidfuzz checks; recall and precision of
each against the known pairs and against the all-pairs result.

    .venv/bin/python bench/cluster.py --token-set     # 1k, 5k, 20k, 100k; about 4 minutes on 2 cores
    .venv/bin/python bench/cluster.py --sizes 1000 5000
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from digest.settings import Settings  # noqa: E402

STOPWORDS = (
    "the of to and a in that is for on it with as was at by be from has have he his are an were had been "
    "not but its their which this they after would who will also more than about over into two up out new "
    "when there all could she her last after while before against under between during"
).split()
SYLLABLES = (
    "ka to ri men sol va ne pro dus tor li an ber go ma fi tel ros cu ven ar dim pe lo sa ni gra kor bel "
    "zu mi ta ho ler stan fer ple qui ron de ga bo"
).split()


class Corpus:
    """Paragraph texts plus the known near-duplicate pairs (index pairs, i < j)."""

    def __init__(self, texts: list[str], pairs: set[tuple[int, int]], story_of: list[int] | None = None):
        self.texts = texts
        self.pairs = pairs
        self.story_of = story_of or [0] * len(texts)  # the story each paragraph was written for


def make_corpus(size: int, seed: int = 7, *, stories: int | None = None, names_per_story: int = 12) -> Corpus:
    """A deterministic corpus of ``size`` paragraphs over ``stories`` stories (default: one per 60 paragraphs).

    bench/scale.py asks for one story (a big news day) or for many small ones.
    """
    rng = random.Random(seed)
    vocabulary = _words(rng, 60_000, 2, 4)
    names = [w.capitalize() for w in _words(rng, 8_000, 2, 3)]
    zipf_cdf = list(itertools.accumulate(1.0 / r**1.05 for r in range(1, len(vocabulary) + 1)))
    story_count = stories or max(1, size // 60)
    story_topics = [rng.sample(vocabulary, 40) for _ in range(story_count)]
    story_names = [rng.sample(names, names_per_story) for _ in range(story_count)]

    def sentence(story: int) -> str:
        length = rng.randint(10, 25)
        tokens = []
        for _ in range(length):
            kind = rng.random()
            if kind < 0.42:
                tokens.append(rng.choice(STOPWORDS))
            elif kind < 0.58:
                tokens.append(rng.choice(story_topics[story]))
            elif kind < 0.66:
                tokens.append(rng.choice(story_names[story]))
            else:
                tokens.append(vocabulary[bisect.bisect(zipf_cdf, rng.random() * zipf_cdf[-1])])
        for at in sorted(rng.sample(range(3, length - 2), 2), reverse=True):
            tokens[at - 1] += ","
        body = " ".join(tokens)
        body = body[0].upper() + body[1:]
        if rng.random() < 0.25:
            return f'"{body}," {rng.choice(story_names[story])} said.'
        return body + "."

    paragraphs: list[list[str]] = []
    stories_written: list[int] = []
    groups: list[list[int]] = []
    while len(paragraphs) < size:
        story = rng.randrange(story_count)
        original = [sentence(story) for _ in range(rng.randint(1, 4))]
        members = [len(paragraphs)]
        paragraphs.append(original)
        stories_written.append(story)
        if rng.random() < 0.2:
            copies = rng.choice([1, 1, 1, 2, 2, 3, 5])
            for _ in range(min(copies, size - len(paragraphs))):
                members.append(len(paragraphs))
                paragraphs.append(_edit(rng, list(original), vocabulary, lambda: sentence(story)))
                stories_written.append(story)
        if len(members) > 1:
            groups.append(members)
    # Outlets print stories in any order: shuffle deterministically.
    order = list(range(len(paragraphs)))
    rng.shuffle(order)
    where = {old: new for new, old in enumerate(order)}
    texts = [" ".join(paragraphs[i]) for i in order]
    pairs = {
        (min(where[a], where[b]), max(where[a], where[b]))
        for group in groups
        for k, a in enumerate(group)
        for b in group[k + 1 :]
    }
    return Corpus(texts, pairs, [stories_written[i] for i in order])


def _words(rng: random.Random, count: int, low: int, high: int) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < count:
        seen.setdefault("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(low, high))), None)
    return list(seen)


EDITS = ["swap", "substitute", "drop_clause", "quotes", "reorder", "attribution", "spelling", "extend", "only_one"]
EDIT_WEIGHTS = [3, 3, 2, 3, 2, 2, 1, 2, 2]


def _edit(rng: random.Random, sentences: list[str], vocabulary: list[str], new_sentence) -> list[str]:
    """One outlet's copy: 1-2 small edits of the original."""
    chosen: list[str] = []
    wanted = rng.randint(1, 2)
    while len(chosen) < wanted:
        edit = rng.choices(EDITS, EDIT_WEIGHTS)[0]
        if edit not in chosen:
            chosen.append(edit)
    for edit in chosen:
        k = rng.randrange(len(sentences))
        words = sentences[k].split()
        if edit == "swap" and len(words) > 4:
            i = rng.randint(1, len(words) - 3)
            words[i], words[i + 1] = words[i + 1], words[i]
        elif edit == "substitute":
            for _ in range(rng.randint(1, 2)):
                words[rng.randint(1, len(words) - 2)] = rng.choice(vocabulary)
        elif edit == "drop_clause" and sentences[k].count(",") >= 2:
            clauses = sentences[k].split(",")
            drop = rng.randint(1, len(clauses) - 2)
            sentences[k] = ",".join(clauses[:drop] + clauses[drop + 1 :])
            continue
        elif edit == "quotes":
            sentences = [_curly(s) for s in sentences]
            continue
        elif edit == "reorder" and len(sentences) > 1:
            sentences = sentences[1:] + sentences[:1]
            continue
        elif edit == "attribution" and sentences[k].endswith(" said."):
            words = words[:-2] + rng.choice(["the agency said.", "it said.", "officials said."]).split()
        elif edit == "spelling":
            capitals = [i for i, w in enumerate(words) if w[:1].isupper() and len(w) > 4]
            if capitals:
                i = rng.choice(capitals)
                word = words[i]
                words[i] = word[:2] + "-" + word[2:] if rng.random() < 0.5 else word[:-2] + word[-1] + word[-2]
        elif edit == "extend":
            extra = new_sentence()
            if rng.random() < 0.5:
                sentences.append(extra)
            else:
                sentences[-1] = sentences[-1].rstrip(".") + ", adding that " + extra[0].lower() + extra[1:]
            continue
        elif edit == "only_one" and len(sentences) > 1:
            sentences = [max(sentences, key=len)]
            continue
        sentences[k] = " ".join(words)
    return sentences


def _curly(sentence: str) -> str:
    out, opening = [], True
    for char in sentence:
        if char == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        else:
            out.append(char.replace("'", "\u2019"))
    return "".join(out)


# --- measurements ---------------------------------------------------------------


def recall_precision(found: set, truth: set) -> tuple[float, float]:
    hit = len(found & truth)
    return (hit / len(truth) if truth else 1.0, hit / len(found) if found else 1.0)


def peak_rss_kib() -> int:
    """This process's peak resident memory. VmHWM is per address space, so unlike ru_maxrss it does not
    inherit the parent's peak through fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_ours(size: int) -> dict:
    """In a fresh process (for a clean peak RSS): time our stage; the pairs are printed back as JSON."""
    from digest.similarity import near_duplicate_pairs

    corpus = make_corpus(size)
    rss_before = peak_rss_kib()
    start = time.perf_counter()
    pairs = near_duplicate_pairs(corpus.texts, Settings())
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mib": peak_rss_kib() / 1024, "rss_before_mib": rss_before / 1024, "pairs": sorted(pairs)}


def run_minhash(texts: list[str], settings: Settings) -> tuple[float, set]:
    """datasketch MinHash LSH (word 3-shingles, threshold 0.5) then the same rapidfuzz checks."""
    from datasketch import MinHash, MinHashLSH

    from digest.similarity import Prepared, _verify
    from digest.text import normalise

    start = time.perf_counter()
    shingles = []
    for text in texts:
        tokens = normalise(text).split()
        shingles.append([" ".join(tokens[i : i + 3]).encode() for i in range(max(1, len(tokens) - 2))])
    hashes = MinHash.bulk(shingles, num_perm=128)
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    with lsh.insertion_session() as session:
        for index, minhash in enumerate(hashes):
            session.insert(index, minhash)
    keys = set()
    for index, minhash in enumerate(hashes):
        for other in lsh.query(minhash):
            if other != index:
                keys.add((min(index, other), max(index, other)))
    ordered = sorted(keys)
    left = np.array([a for a, _ in ordered], dtype=np.int64)
    right = np.array([b for _, b in ordered], dtype=np.int64)
    scores, _ = _verify(Prepared(texts), left, right, settings, workers=-1)
    found = {(int(a), int(b)) for a, b, s in zip(left, right, scores) if s > 0}
    return time.perf_counter() - start, found


def run_cdist(texts: list[str], settings: Settings, token_set: bool) -> dict:
    from rapidfuzz import fuzz, process

    from digest.similarity import all_pairs_matches
    from digest.text import normalise

    token_set_seconds = float("nan")
    if token_set:
        start = time.perf_counter()
        process.cdist(texts, texts, scorer=fuzz.token_set_ratio, processor=normalise, workers=-1, dtype=np.uint8)
        token_set_seconds = time.perf_counter() - start
    start = time.perf_counter()
    reference = set(all_pairs_matches(texts, settings))
    same_rule_seconds = time.perf_counter() - start
    return {"token_set_seconds": token_set_seconds, "same_rule_seconds": same_rule_seconds, "pairs": reference}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000, 100000])
    parser.add_argument("--cdist-max", type=int, default=5000, help="largest size for all-pairs cdist")
    parser.add_argument("--minhash-max", type=int, default=100000, help="largest size for datasketch")
    parser.add_argument("--token-set", action="store_true", help="also time cdist with token_set_ratio (as in the issue)")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(run_ours(args.worker)))
        return
    settings = Settings()
    print(f"cores: {os.cpu_count()}  near_duplicate_cutoff={settings.near_duplicate_cutoff} "
          f"containment_cutoff={settings.containment_cutoff}")
    ours_seconds: dict[int, float] = {}
    for size in args.sizes:
        start = time.perf_counter()
        corpus = make_corpus(size)
        made = time.perf_counter() - start
        print(f"\n== {size:,} paragraphs ({len(corpus.pairs):,} known pairs; corpus made in {made:.1f} s)")
        out = subprocess.run(
            [sys.executable, __file__, "--worker", str(size)], check=True, capture_output=True, text=True
        )
        ours = json.loads(out.stdout)
        found = {tuple(p) for p in ours["pairs"]}
        ours_seconds[size] = ours["seconds"]
        recall, precision = recall_precision(found, corpus.pairs)
        print(f"ours      {ours['seconds']:7.2f} s  peak RSS {ours['peak_mib']:6.0f} MiB "
              f"(of which {ours['rss_before_mib']:.0f} MiB before the stage: imports and corpus)  pairs {len(found):,}  "
              f"known: recall {recall:.4f} precision {precision:.4f}")
        if size <= args.minhash_max:
            seconds, minhash = run_minhash(corpus.texts, settings)
            recall, precision = recall_precision(minhash, corpus.pairs)
            print(f"minhash   {seconds:7.2f} s  pairs {len(minhash):,}  known: recall {recall:.4f} "
                  f"precision {precision:.4f}")
        if size <= args.cdist_max:
            reference = run_cdist(corpus.texts, settings, args.token_set)
            recall, precision = recall_precision(reference["pairs"], corpus.pairs)
            print(f"all-pairs cdist token_set_ratio {reference['token_set_seconds']:.2f} s; same rule as ours "
                  f"{reference['same_rule_seconds']:.2f} s  pairs {len(reference['pairs']):,}  known: recall "
                  f"{recall:.4f} precision {precision:.4f}")
            recall, precision = recall_precision(found, reference["pairs"])
            print(f"ours vs all-pairs: recall {recall:.4f} precision {precision:.4f}  speed-up "
                  f"{reference['token_set_seconds'] / ours['seconds']:.0f}x (token_set cdist), "
                  f"{reference['same_rule_seconds'] / ours['seconds']:.0f}x (same rule)")
    sizes = sorted(ours_seconds)
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        n_log_n = (b * np.log(b)) / (a * np.log(a))
        print(f"\ngrowth {a:,} -> {b:,}: time x{ours_seconds[b] / ours_seconds[a]:.1f} (n log n would be x{n_log_n:.1f})")


if __name__ == "__main__":
    main()
