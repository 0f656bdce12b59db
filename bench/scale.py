"""The whole pipeline at scale (issue 16): one big story, a many-story mix, start-up, and their floors.

Rows (articles):
  one  one story carried by many outlets: the real articles of one Multi-News story (from
       ../shared/eval/multinews-raw, read in place) copied many times, 15-25 paragraphs a copy,
       30% of them near-duplicates (bench/cluster.py's edits), the rest rewritten word by word;
  mix  many distinct stories of a few articles each: the generator of bench/cluster.py with its own
       topic words and people per story, about 4 articles a story, 15 paragraphs an article on average.
Corpora are written as Markdown and plain-text files (half each) with YAML front matter (title,
outlet, date, URL) into
$TMPDIR/digest-scale/ and kept there for the next run (``--fresh`` rewrites them).

Each row runs in a fresh subprocess (so its peak RSS, ru_maxrss from wait4, is its own) under a
time cap and a memory cap: the parent samples the resident memory of the child's process group
and kills it above the cap; an address-space limit (RLIMIT_AS, twice the cap) is the backstop for
one huge allocation. The child reads the files (``digest.ingest.read_inputs``), builds the briefing
(``digest.pipeline.build_briefing``, whose progress messages time clean / group / brief) and writes
every format (``digest.render.write_outputs``). A sampling thread attributes the time of each story
to the digest module that build_briefing was calling (cluster / select / compose); stories briefed by
the worker process of ``digest.workers.shared_map`` are not seen by it (their time is the wait, if any).

Floors, in the same run, each in a fresh process:
  (a) read and tokenise the same files (plain Python and ``digest.text.tokens``): goal read+clean <= 10x;
  (b) a fresh Python importing WeasyPrint and rendering the same briefing HTML to PDF;
  (c) all-pairs rapidfuzz ``process.cdist`` with ``fuzz.token_set_ratio`` on the first 2,000
      paragraphs of the one-story 1,000 corpus: goal whole run <= 2x;
and start-up: ``digest run seeds --out DIR`` (all formats) against floor (b) on the seeds' HTML
(goal <= 1.6x and <= 2 s), ``digest --help`` and ``digest run seeds --format md`` with the heavy
modules they import (``python -X importtime``).

    .venv/bin/python bench/scale.py                      # --quick: one:100 mix:1000, start-up, floors
    .venv/bin/python bench/scale.py --full               # one:100,1000,5000 mix:1000,10000,50000
    .venv/bin/python bench/scale.py --sizes one:100,1000 mix:1000 --time-cap 600 --mem-cap-gib 6
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

CORPORA = Path(tempfile.gettempdir()) / "digest-scale"
CORPUS_VERSION = 2  # bump when the corpus writer changes, so kept corpora are rewritten
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc)  # fixed, so runs are comparable
QUICK = {"one": [100], "mix": [1000]}
FULL = {"one": [100, 1000, 5000], "mix": [1000, 10000, 50000]}
CDIST_ROW = ("one", 1000)
ONE_STORY_LIGHT_EDITS = 0.3  # share of a one-story copy's paragraphs that are near-duplicates
REWRITE_SHARE = 0.3  # share of the lower-case words a rewritten paragraph replaces
EVAL = next((p / "shared" / "eval" for p in ROOT.parents if (p / "shared" / "eval").is_dir()), ROOT / ".." / "shared" / "eval")
CDIST_PARAGRAPHS = 2000
GIB = 1024**3
# Packages whose import cost the start-up section reports.
HEAVY = ("weasyprint", "sklearn", "scipy", "numpy", "trafilatura", "rapidfuzz", "httpx", "feedparser",
         "jinja2", "markdown", "icalendar", "yaml", "nh3", "charset_normalizer", "lxml")
BOILERPLATE = (
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "Read more: our full coverage of the day's events.",
    "Photo: staff photographer",
    "Share this article on social media.",
)


# --------------------------------------------------------------------------- corpora


def corpus_folder(kind: str, articles: int) -> Path:
    return CORPORA / f"{kind}-{articles}-v{CORPUS_VERSION}"


def ensure_corpus(kind: str, articles: int, fresh: bool) -> tuple[Path, dict]:
    """The corpus folder (written if missing) and its description."""
    folder = corpus_folder(kind, articles)
    about = folder / "corpus.json"
    if fresh and folder.exists():
        shutil.rmtree(folder)
    if not about.exists():
        started = time.perf_counter()
        building = folder.with_name(folder.name + ".part")
        shutil.rmtree(building, ignore_errors=True)
        description = write_corpus(kind, articles, building / "articles")
        description["seconds_to_write"] = round(time.perf_counter() - started, 1)
        (building / "corpus.json").write_text(json.dumps(description))
        shutil.rmtree(folder, ignore_errors=True)
        building.rename(folder)
    return folder / "articles", json.loads(about.read_text())


def write_corpus(kind: str, articles: int, folder: Path) -> dict:
    """Write ``articles`` Markdown files into ``folder``; return counts."""
    import cluster as generator  # bench/cluster.py: the near-duplicate bench's generator

    rng = random.Random(f"{kind}-{articles}")
    if kind == "one":
        bodies = list(one_story_bodies(articles, rng))
        light_share = ONE_STORY_LIGHT_EDITS
    elif kind == "mix":
        per_article = 15
        corpus = generator.make_corpus(articles * per_article, seed=13, stories=max(1, articles // 4))
        light_share = len({i for pair in corpus.pairs for i in pair}) / max(1, len(corpus.texts))
        by_story: dict[int, list[str]] = defaultdict(list)
        for text, story in zip(corpus.texts, corpus.story_of):
            by_story[story].append(text)
        counts = {s: max(1, min(len(p), round(len(p) / per_article))) for s, p in by_story.items()}
        order = sorted(by_story)
        rng.shuffle(order)
        while (missing := articles - sum(counts.values())) != 0:
            for story in order:
                if missing > 0 and counts[story] < len(by_story[story]) // 2:
                    counts[story] += 1
                    missing -= 1
                elif missing < 0 and counts[story] > 1:
                    counts[story] -= 1
                    missing += 1
                if missing == 0:
                    break
        bodies = []
        for story in sorted(by_story):
            paragraphs = by_story[story]
            cuts = sorted(rng.sample(range(1, len(paragraphs)), counts[story] - 1))
            for start, end in zip([0, *cuts], [*cuts, len(paragraphs)]):
                bodies.append((story, paragraphs[start:end]))
        rng.shuffle(bodies)
    else:
        raise ValueError(f"unknown corpus kind {kind!r}")
    outlets = _outlets(rng, 300)
    folder.mkdir(parents=True)
    paragraphs = 0
    for number, (story, texts) in enumerate(bodies):
        outlet, slug = rng.choice(outlets)
        title = " ".join(texts[0].replace('"', "").split()[:9]).rstrip(",.")
        published = NOW - timedelta(minutes=rng.randint(30, 36 * 60))
        body = list(texts)
        if rng.random() < 0.5:
            body.append(rng.choice(BOILERPLATE))
        front = (f"---\ntitle: {json.dumps(title)}\noutlet: {json.dumps(outlet)}\n"
                 f"date: {published.strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
                 f"url: https://{slug}.example/news/{story}/{number}\n---\n\n")
        suffix = ".md" if number % 2 == 0 else ".txt"  # both readers: Markdown and plain text with front matter
        (folder / f"{number:06d}-{slug}{suffix}").write_text(front + "\n\n".join(body) + "\n", encoding="utf-8")
        paragraphs += len(texts)
    return {"kind": kind, "articles": len(bodies), "paragraphs": paragraphs,
            "stories": len({story for story, _ in bodies}), "near_duplicate_share": round(light_share, 3)}


def one_story_bodies(articles: int, rng: random.Random):
    """One real story (the Multi-News cluster with the most paragraphs among those of 4+ articles), copied
    ``articles`` times: each copy is the lead of one of its articles, half of the first four paragraphs
    of each (the facts every outlet repeats) and 6-16 other paragraphs of any, in their order (copies of
    one article alone are grouped with their own copies only); each paragraph
    either lightly edited as bench/cluster.py edits a near-duplicate (30%) or rewritten with 30% of its
    lower-case words replaced by other words of the story (70%), so that it is no near-duplicate.

    Generated text with one vocabulary per story does not hold together as one story (TF-IDF cosine of
    two of its articles is below the story threshold), so real articles give the one story its words.
    """
    import cluster as generator

    clusters = [json.loads(line) for line in (EVAL / "multinews-raw" / "multinews-raw.jsonl").open(encoding="utf-8")]

    def paragraphs_of(document: str) -> list[str]:
        return [p.strip() for p in document.split("\n") if len(p.split()) >= 8]

    story = max((c for c in clusters if len(c["documents"]) >= 4),
                key=lambda c: (sum(len(paragraphs_of(d)) for d in c["documents"]), c["id"]))
    documents = [paragraphs_of(d) for d in story["documents"]]
    documents = [d for d in documents if d]
    words = [w for d in documents for p in d for w in p.split() if w.isalpha() and w.islower() and len(w) >= 4]
    sentences = [s for d in documents for p in d for s in re.split(r"(?<=[.!?])\s+", p) if len(s.split()) >= 6]
    keep = {"said", "says", "told", "added", "according"}

    def rewrite(paragraph: str) -> str:
        return " ".join(rng.choice(words) if w.isalpha() and w.islower() and len(w) >= 4 and w not in keep
                        and rng.random() < REWRITE_SHARE else w for w in paragraph.split())

    # News is a pyramid: every outlet repeats the first facts of the story, fewer carry the details.
    pool = [p for d in documents for p in d]
    starts = list(itertools.accumulate([0, *(len(d) for d in documents)]))
    core = [starts[k] + i for k, d in enumerate(documents) for i in range(1, min(5, len(d)))]
    rest = [i for i in range(len(pool)) if i not in set(core) and i not in starts]
    for number in range(articles):
        # Each outlet's article: one source article's lead, half the core facts, then other paragraphs.
        lead = documents[number % len(documents)][0]
        picked = sorted(rng.sample(core, len(core) // 2) + rng.sample(rest, min(len(rest), rng.randint(6, 16))))
        body = []
        for paragraph in [lead, *(pool[i] for i in picked)]:
            if rng.random() < ONE_STORY_LIGHT_EDITS:
                split: list[str] = []
                for piece in re.split(r"(?<=[.!?])\s+", paragraph):  # the edits need sentences of 4+ words
                    if split and len(piece.split()) < 4 or split and len(split[-1].split()) < 4:
                        split[-1] += " " + piece
                    else:
                        split.append(piece)
                body.append(" ".join(generator._edit(rng, split, words, lambda: rng.choice(sentences))))
            else:
                body.append(rewrite(paragraph))
        yield 0, body


def _outlets(rng: random.Random, count: int) -> list[tuple[str, str]]:
    import cluster as generator

    kinds = ("Times", "Post", "Herald", "News", "Journal", "Tribune", "Courier", "Gazette", "Daily", "Wire")
    seen: dict[str, str] = {}
    while len(seen) < count:
        word = "".join(rng.choice(generator.SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        name = f"The {word} {rng.choice(kinds)}"
        seen.setdefault(name, re.sub(r"\W+", "-", name.lower()).strip("-"))
    return list(seen.items())


def corpus_paragraphs(folder: Path) -> list[list[str]]:
    """The body paragraphs of each file, in file order (front matter dropped)."""
    files = []
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text[text.index("\n---\n", 3) + 5:]
        files.append([p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()])
    return files


# --------------------------------------------------------------------------- the child: one row


def memory_kib() -> tuple[int, int]:
    """(current, peak) resident memory of this process in KiB, from /proc (VmHWM is per address space)."""
    current = peak = 0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                current = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return current, peak


class StageSampler(threading.Thread):
    """Every few ms, which digest module the orchestrating function is calling into.

    A statistical profiler of one question: it looks at the main thread's stack, finds the
    frame of ``build_briefing`` and names the first digest module below it. The time since the
    last look goes to that name, so a long C call that holds the GIL is still counted.
    """

    def __init__(self, code, package_dir: Path, interval: float = 0.005):
        super().__init__(daemon=True)
        self.code = code
        self.package_dir = str(package_dir) + os.sep
        self.interval = interval
        self.timeline: list[tuple[float, str | None]] = []  # (time, label) when the label changes
        self.halt = threading.Event()

    def label(self, frame) -> str | None:
        chain = []
        while frame is not None and frame.f_code is not self.code:
            chain.append(frame)
            frame = frame.f_back
        if frame is None:
            return None
        for inner in reversed(chain):  # outermost first
            name = inner.f_code.co_filename
            if name.startswith(self.package_dir):
                module = Path(name[len(self.package_dir):]).with_suffix("").parts[0]
                # (workers: shared_map runs the front stories in this process, through its own frame)
                if module not in ("pipeline", "workers"):
                    return module
        return "pipeline"

    def run(self) -> None:
        main = threading.main_thread().ident
        last = None
        while not self.halt.wait(self.interval):
            label = self.label(sys._current_frames().get(main))
            if label != last:
                self.timeline.append((time.perf_counter(), label))
                last = label
        self.timeline.append((time.perf_counter(), None))

    def seconds_by_label(self, start: float, end: float) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for (t0, label), (t1, _) in zip(self.timeline, self.timeline[1:]):
            overlap = min(t1, end) - max(t0, start)
            if label and overlap > 0:
                out[label] += overlap
        return dict(out)


def worker(folder: str, out_dir: str, result_path: str) -> None:
    """Read, build and render one corpus; stage times and memory go to ``result_path`` (JSON)."""
    began = time.perf_counter()
    marks_file = open(result_path + ".marks", "w", buffering=1)  # line by line: survives a kill

    def mark(event: str, at: float | None = None, memory: tuple[int, int] | None = None) -> None:
        rss, peak = memory or memory_kib()
        marks_file.write(f"{(at or time.perf_counter()) - began:.3f}\t{event}\t{rss}\t{peak}\n")

    import inspect

    import digest
    from digest import render
    from digest.ingest import read_inputs
    from digest.pipeline import build_briefing
    from digest.settings import Settings

    mark("imported")
    # max_files: the default (20,000) would read only the first 20,000 files of the 50,000 row.
    settings = Settings().with_overrides(inputs=(folder,), quiet=True, max_files=max(Settings().max_files, 1_000_000))
    sampler = StageSampler(inspect.unwrap(build_briefing).__code__, Path(digest.__file__).parent)
    sampler.start()
    times: dict[str, float] = {"import": time.perf_counter() - began}
    stories: list[float] = []  # start time of each story
    current = {"message": None, "t": 0.0, "memory": None, "measured": 0.0}

    def note(message: str, done: int | None = None, total: int | None = None) -> None:
        now = time.perf_counter()
        if message != current["message"]:
            if current["message"] and current["message"] != "briefing stories":
                # when its last piece of work was done, with the memory measured then (or <= 50 ms before)
                mark(f"end {current['message']}", current["t"], current["memory"])
            if message != "briefing stories":
                mark(f"start {message}", now)
        if message == "briefing stories":
            stories.append(now)
            mark(f"story {(done or 0) + 1}/{total}", now)
        if message == "grouping articles into stories" and total:
            current["stories_found"] = total
        if now - current["measured"] > 0.05 or message != current["message"]:
            current["memory"], current["measured"] = memory_kib(), now
        current["message"], current["t"] = message, now

    start = time.perf_counter()
    result = read_inputs([folder], settings, progress=note)
    times["read"] = time.perf_counter() - start
    mark("end read")
    current["message"] = None
    build_start = time.perf_counter()
    build = build_briefing(result.articles, settings, NOW, note)
    build_end = time.perf_counter()
    mark("end build")
    render_times = {}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for fmt in settings.formats:
        start = time.perf_counter()
        render.write_outputs(build.briefing, out, [fmt], settings)
        render_times[fmt] = time.perf_counter() - start
        mark(f"end render {fmt}")
    sampler.halt.set()
    sampler.join()
    # The PDF's own HTML, for the WeasyPrint floor (not timed).
    print_html = getattr(render, "render_html", None)
    if print_html:
        (out / "print.html").write_text(print_html(build.briefing, settings, for_print=True), encoding="utf-8")

    first_story = stories[0] if stories else build_end
    clean_end = first_story
    group_start = build_start
    for line in Path(result_path + ".marks").read_text().splitlines():
        t, event = line.split("\t")[:2]
        if event == "end cleaning articles":
            clean_end = group_start = began + float(t)
    times["clean"] = clean_end - build_start
    times["group"] = first_story - group_start
    story_seconds, split = [], defaultdict(float)
    for number, t0 in enumerate(stories):
        t1 = stories[number + 1] if number + 1 < len(stories) else build_end
        story_seconds.append(t1 - t0)
        for label, seconds in sampler.seconds_by_label(t0, t1).items():
            split[label] += seconds
    times["stories"] = build_end - first_story
    times["render"] = sum(render_times.values())
    rss, peak = memory_kib()
    report = {
        "times": times, "render": render_times, "story_seconds": story_seconds, "story_split": split,
        "articles_read": len(result.articles), "skipped": len(result.skipped), "cleaned": len(build.cleaned),
        "stories_briefed": len(build.stories), "stories_found": current.get("stories_found"),
        "story_articles": [len(trace.story.articles) for trace in build.stories],
        "peak_rss_kib": peak, "outputs": sorted(p.name for p in out.iterdir()),
    }
    Path(result_path).write_text(json.dumps(report))


# --------------------------------------------------------------------------- the parent: caps


@dataclass
class Outcome:
    """How a capped child ended."""

    wall: float
    status: str = "ok"  # ok | time | memory | failed
    peak_rss_kib: int = 0  # ru_maxrss of the child (wait4)
    peak_tree_kib: int = 0  # sampled peak of the whole process group
    exit_code: int = 0
    detail: str = ""
    marks: list[tuple[float, str, int, int]] = field(default_factory=list)


def group_rss_kib(group: int) -> int:
    """Resident memory of every process in process group ``group``."""
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields_after_name = stat.rsplit(")", 1)[1].split()
        if int(fields_after_name[2]) == group:  # field 5 of stat: pgrp
            total += int(fields_after_name[21]) * page_kib  # field 24: rss in pages
    return total


def run_capped(command: list[str], time_cap: float, mem_cap: int, *, log: Path,
               marks: Path | None = None) -> Outcome:
    """Run ``command`` in its own session; kill it (and all it started) past either cap."""
    address_limit = 2 * mem_cap

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (address_limit, address_limit))

    with open(log, "w") as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True,
                                 preexec_fn=limit, cwd=ROOT)
        outcome = Outcome(0.0)
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            elapsed = time.perf_counter() - started
            try:
                tree = group_rss_kib(child.pid)
            except (OSError, ValueError, IndexError):
                tree = 0
            outcome.peak_tree_kib = max(outcome.peak_tree_kib, tree)
            if outcome.status == "ok" and tree * 1024 > mem_cap:
                outcome.status = "memory"
            elif outcome.status == "ok" and elapsed > time_cap:
                outcome.status = "time"
            if outcome.status != "ok":
                with _suppressed():
                    os.killpg(child.pid, signal.SIGKILL)
            time.sleep(0.2)
        outcome.wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    with _suppressed():  # whatever the child started and left behind
        os.killpg(child.pid, signal.SIGKILL)
    outcome.exit_code = child.returncode
    outcome.peak_rss_kib = usage.ru_maxrss
    if outcome.status == "ok" and outcome.exit_code != 0:
        outcome.status = "failed"
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] or [f"exit code {outcome.exit_code}"]
        outcome.detail = tail[0][:160]
        if "MemoryError" in outcome.detail:
            outcome.detail += f" (address space capped at {address_limit / GIB:.0f} GiB)"
    if marks and marks.exists():
        for line in marks.read_text().splitlines():
            t, event, rss, peak = line.split("\t")
            outcome.marks.append((float(t), event, int(rss), int(peak)))
    return outcome


class _suppressed:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], (ProcessLookupError, PermissionError))


# --------------------------------------------------------------------------- floors and start-up


FLOOR_READ = """
import re, sys, time
from pathlib import Path
from digest.text import tokens
start = time.perf_counter()
count = 0
for path in sorted(Path(sys.argv[1]).iterdir()):
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\\n"):
        text = text[text.index("\\n---\\n", 3) + 5:]
    for paragraph in re.split(r"\\n\\s*\\n", text):
        count += len(tokens(paragraph))
print(time.perf_counter() - start, count)
"""

FLOOR_PDF = """
import sys
import weasyprint
weasyprint.HTML(filename=sys.argv[1], base_url=sys.argv[3]).write_pdf(sys.argv[2])
"""

FLOOR_CDIST = """
import json, sys, time
import numpy as np
from rapidfuzz import fuzz, process
from digest.text import normalise
texts = json.load(open(sys.argv[1]))
start = time.perf_counter()
process.cdist(texts, texts, scorer=fuzz.token_set_ratio, processor=normalise, workers=-1, dtype=np.uint8)
print(time.perf_counter() - start)
"""


def python_seconds(code: str, *args: str, cap: float) -> float:
    """What a snippet prints first (its own timing), run in a fresh Python."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=cap,
                         check=True, cwd=ROOT)
    return float(out.stdout.split()[0])


def wall_seconds(command: list[str], cap: float) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, timeout=cap, check=True, cwd=ROOT)
    return time.perf_counter() - start


def pdf_floor(html: Path, cap: float) -> float:
    """Wall time of a fresh Python that imports WeasyPrint and renders ``html`` to PDF."""
    target = Path(tempfile.mkdtemp(prefix="digest-scale-floor-")) / "floor.pdf"
    try:
        return wall_seconds([sys.executable, "-c", FLOOR_PDF, str(html), str(target),
                             (ROOT / "templates").as_uri() + "/"], cap)
    finally:
        shutil.rmtree(target.parent, ignore_errors=True)


def digest_command() -> list[str]:
    # ``python -m digest`` from ROOT runs this tree's code, whichever tree the virtualenv's console script
    # was installed from (so an older checkout can be measured with the same environment).
    return [sys.executable, "-m", "digest"]


def heavy_imports(arguments: list[str]) -> list[tuple[str, float, str]]:
    """(package, cumulative ms, the digest module that first imported it) under ``python -X importtime``."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "digest", *arguments],
                         capture_output=True, text=True, timeout=300, cwd=ROOT)
    rows = []
    for line in out.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((len(match.group(3)) // 2, match.group(4), int(match.group(2))))
    # importtime prints a module after what it imported: a row's importer is the next row one level up.
    importer: dict[int, int] = {}
    waiting: dict[int, list[int]] = defaultdict(list)
    for index, (depth, _name, _us) in enumerate(rows):
        for child in waiting.pop(depth + 1, []):
            importer[child] = index
        waiting[depth].append(index)
    totals: dict[str, float] = {}
    importers: dict[str, str] = {}
    for index, (_depth, name, micro) in enumerate(rows):
        top = name.split(".")[0]
        if top not in HEAVY:
            continue
        chain, at = [], importer.get(index)
        while at is not None:
            chain.append(rows[at][1])
            at = importer.get(at)
        if any(other.split(".")[0] == top for other in chain):
            continue  # counted in its own package's outer import
        totals[top] = totals.get(top, 0.0) + micro / 1000
        importers.setdefault(top, next((c for c in chain if c.startswith("digest")), "at run time"))
    return sorted(((top, ms, importers[top]) for top, ms in totals.items()), key=lambda item: -item[1])


# --------------------------------------------------------------------------- table


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}" if seconds < 100 else f"{seconds:.0f}"


def fmt_mib(kib: int) -> str:
    return f"{kib / 1024:,.0f}"


def exponent(small: tuple[int, float], large: tuple[int, float], lower_bound: bool) -> str:
    (n1, v1), (n2, v2) = small, large
    if v1 <= 0 or v2 <= 0 or n1 == n2:
        return "-"
    value = math.log(v2 / v1) / math.log(n2 / n1)
    return f"{'>=' if lower_bound else ''}{value:.2f}"


@dataclass
class Row:
    kind: str
    articles: int
    about: dict
    outcome: Outcome | None = None
    report: dict | None = None
    read_floor: float | None = None
    pdf_floor: float | None = None
    skipped: str = ""

    def stage_at_kill(self) -> str:
        events = [event for _t, event, _r, _p in self.outcome.marks] if self.outcome else []
        if not events:
            return "import"
        last = events[-1]
        if last.startswith("story"):
            return f"briefing {last}"
        return {"imported": "read", "end read": "clean", "end cleaning articles": "group",
                "end build": "render"}.get(last, last.replace("start ", ""))


def print_report(rows: list[Row], extras: list[str], load_start, load_end, args) -> None:
    print("\n## Scale (bench/scale.py)\n")
    print(f"command: `{' '.join(['.venv/bin/python', 'bench/scale.py', *sys.argv[1:]])}`  ")
    print(f"caps: {args.time_cap:.0f} s and {args.mem_cap_gib:g} GiB per row; cores {os.cpu_count()}; "
          f"load average at start {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}, "
          f"at end {load_end[0]:.2f} {load_end[1]:.2f} {load_end[2]:.2f}\n")
    print("| corpus | articles | paragraphs | stories found (largest) | wall s | peak RSS MiB | read | clean | group stories | "
          "stories briefed: total (cluster / select / compose), slowest | render (pdf) | "
          "growth: time, RSS | floor (a) read+tokenise | (read+clean) / floor (a) |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---|---:|---:|")
    previous: dict[str, Row] = {}
    for row in rows:
        about = row.about
        cells = [row.kind, f"{row.articles:,}", f"{about.get('paragraphs', 0):,}"]
        outcome, report = row.outcome, row.report
        if report and report.get("stories_found"):
            cells.append(f"{report['stories_found']:,} ({max(report['story_articles'], default=0):,})")
        else:
            cells.append("-")
        if row.skipped:
            cells += [row.skipped] + [""] * 9
            print("| " + " | ".join(cells) + " |")
            continue
        if outcome.status == "time":
            cells += [f">{args.time_cap:.0f} s (in {row.stage_at_kill()})", fmt_mib(outcome.peak_rss_kib)]
        elif outcome.status == "memory":
            cells += [f"{outcome.wall:.0f}", f"killed at {args.mem_cap_gib:g} GiB (in {row.stage_at_kill()})"]
        elif outcome.status == "failed":
            cells += [f"failed: {outcome.detail}", fmt_mib(outcome.peak_rss_kib)]
        else:
            cells += [fmt_seconds(outcome.wall), fmt_mib(outcome.peak_rss_kib)]
        if report:
            t = report["times"]
            split = report["story_split"]
            parts = " / ".join(fmt_seconds(split.get(k, 0.0)) for k in ("cluster", "select", "compose"))
            others = sum(v for k, v in split.items() if k not in ("cluster", "select", "compose"))
            slowest = max(report["story_seconds"], default=0.0)
            cells += [fmt_seconds(t["read"]), fmt_seconds(t["clean"]), fmt_seconds(t["group"]),
                      f"{fmt_seconds(t['stories'])} ({parts}{f', other {fmt_seconds(others)}' if others > 0.05 else ''})"
                      f", {fmt_seconds(slowest)} x{report['stories_briefed']}",
                      f"{fmt_seconds(t['render'])} ({fmt_seconds(report['render'].get('pdf'))})"]
        else:
            cells += [_partial_stage(outcome.marks, name) for name in ("read", "clean", "group")] + ["-", "-"]
        small = previous.get(row.kind)
        if small and small.outcome and small.outcome.status == "ok":
            base = small.outcome
            if outcome.status == "ok":
                grow_time = exponent((small.articles, base.wall), (row.articles, outcome.wall), False)
                grow_rss = exponent((small.articles, base.peak_rss_kib), (row.articles, outcome.peak_rss_kib), False)
            elif outcome.status == "time":  # both figures are lower bounds
                grow_time = exponent((small.articles, base.wall), (row.articles, args.time_cap), True)
                grow_rss = exponent((small.articles, base.peak_rss_kib), (row.articles, outcome.peak_rss_kib), True)
            elif outcome.status == "memory":
                grow_time = "-"
                grow_rss = exponent((small.articles, base.peak_rss_kib), (row.articles, args.mem_cap_gib * GIB / 1024), True)
            else:
                grow_time = grow_rss = "-"
            cells.append(f"{grow_time}, {grow_rss}")
        else:
            cells.append("-")
        if row.read_floor:
            cells.append(fmt_seconds(row.read_floor))
            cells.append(f"{(report['times']['read'] + report['times']['clean']) / row.read_floor:.0f}x" if report else "-")
        else:
            cells += ["-", "-"]
        print("| " + " | ".join(cells) + " |")
        if outcome.status in ("ok",) or row.kind not in previous:
            previous[row.kind] = row
    print("\nStage times are seconds inside the run (wall includes start-up). Growth: the exponent k in "
          "t ~ n^k from the row above (>= when this row hit the time cap). The stories' split is sampled "
          "(which digest module build_briefing was in); 'xN' is the number of stories briefed.")
    for row in rows:
        if row.outcome and row.outcome.marks:
            peaks = ", ".join(f"{event} {peak / 1024:,.0f}" for _t, event, _rss, peak in row.outcome.marks
                              if event in ("imported", "end read", "end cleaning articles", "story 1/",
                                           "end build", "end render pdf") or event.startswith("story 1/"))
            print(f"- {row.kind} {row.articles:,}: peak RSS (MiB) by {peaks}; "
                  f"{row.about.get('stories', '?')} stories written, "
                  f"{row.about.get('near_duplicate_share', 0):.0%} of paragraphs in near-duplicate groups"
                  + (f"; briefed story sizes {row.report['story_articles']}" if row.report else ""))
    for line in extras:
        print(line)


def _partial_stage(marks: list[tuple[float, str, int, int]], name: str) -> str:
    times = {event: t for t, event, _r, _p in marks}
    spans = {"read": ("imported", "end read"), "clean": ("end read", "end cleaning articles"),
             "group": ("end cleaning articles", "story 1/")}
    start, end = spans[name]
    end_t = next((t for t, event, _r, _p in marks if event == end or end.endswith("/") and event.startswith(end)), None)
    if start in times and end_t is not None:
        return fmt_seconds(end_t - times[start])
    return "-"


# --------------------------------------------------------------------------- main


def parse_sizes(words: list[str]) -> dict[str, list[int]]:
    sizes: dict[str, list[int]] = {}
    for word in words:
        kind, _, numbers = word.partition(":")
        if kind not in FULL or not numbers:
            raise SystemExit(f"--sizes: expected one:N,N or mix:N,N (got {word!r})")
        sizes[kind] = sorted(int(n.replace("_", "")) for n in numbers.split(","))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="one:100 mix:1000 (the default; for make bench)")
    group.add_argument("--full", action="store_true", help="one:100,1000,5000 mix:1000,10000,50000")
    group.add_argument("--sizes", nargs="+", metavar="KIND:N,N", help="e.g. one:100,1000 mix:1000")
    parser.add_argument("--time-cap", type=float, help="seconds per row (default 900; 300 with --quick)")
    parser.add_argument("--mem-cap-gib", type=float, default=8.0, help="resident memory per row (default 8)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each start-up command (median)")
    parser.add_argument("--no-startup", action="store_true", help="skip the seeds and start-up section")
    parser.add_argument("--fresh", action="store_true", help="rewrite the corpora in " + str(CORPORA))
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    sys.path.insert(0, str(BENCH))
    sizes = FULL if args.full else parse_sizes(args.sizes) if args.sizes else QUICK
    if args.time_cap is None:
        args.time_cap = 900.0 if (args.full or args.sizes) else 300.0
    mem_cap = int(args.mem_cap_gib * GIB)
    load_start = os.getloadavg()
    scratch = Path(tempfile.mkdtemp(prefix="digest-scale-run-"))
    rows: list[Row] = []
    extras: list[str] = []
    try:
        for kind in ("one", "mix"):
            memory_hit = False
            for articles in sizes.get(kind, []):
                folder, about = ensure_corpus(kind, articles, args.fresh)
                row = Row(kind, articles, about)
                rows.append(row)
                if memory_hit:
                    row.skipped = "skipped: a smaller size hit the memory cap"
                    continue
                print(f"{kind} {articles:,}: {about['paragraphs']:,} paragraphs (load {os.getloadavg()[0]:.2f}) ...",
                      file=sys.stderr, flush=True)
                out = scratch / f"{kind}-{articles}"
                out.mkdir()
                result = out / "result.json"
                row.outcome = run_capped([sys.executable, __file__, "--worker", str(folder), str(out / "briefing"),
                                          str(result)], args.time_cap, mem_cap, log=out / "stderr.txt",
                                         marks=Path(str(result) + ".marks"))
                memory_hit = row.outcome.status == "memory"
                if row.outcome.status == "ok":
                    row.report = json.loads(result.read_text())
                row.read_floor = python_seconds(FLOOR_READ, str(folder), cap=args.time_cap)
                html = out / "briefing" / "print.html"
                if html.exists():
                    row.pdf_floor = pdf_floor(html, args.time_cap)
                print(f"  {row.outcome.status} in {row.outcome.wall:.1f} s", file=sys.stderr, flush=True)
                if (kind, articles) == CDIST_ROW:
                    extras += cdist_floor(row, folder, scratch, args)
        extras += [""] + [f"- floor (b), WeasyPrint import + render of the row's briefing HTML: {r.kind} "
                          f"{r.articles:,} {fmt_seconds(r.pdf_floor)} s" for r in rows if r.pdf_floor]
        extras += goals(rows, args)
        if not args.no_startup:
            try:
                extras += startup(scratch, args)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
                # A failed start-up command must not cost the table of rows measured before it.
                stderr = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
                extras.append(f"\n## Start-up\n\nfailed: `{' '.join(map(str, exc.cmd))}`: "
                              f"{stderr[-1] if stderr else type(exc).__name__}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print_report(rows, extras, load_start, os.getloadavg(), args)


def cdist_floor(row: Row, folder: Path, scratch: Path, args) -> list[str]:
    texts = [p for paragraphs in corpus_paragraphs(folder) for p in paragraphs][:CDIST_PARAGRAPHS]
    path = scratch / "cdist.json"
    path.write_text(json.dumps(texts))
    seconds = python_seconds(FLOOR_CDIST, str(path), cap=args.time_cap)
    row.about["cdist_seconds"] = seconds
    return [f"\n- floor (c), all-pairs rapidfuzz `cdist` (`token_set_ratio`, workers=-1) on the first "
            f"{len(texts):,} paragraphs of one {row.articles:,}: {fmt_seconds(seconds)} s"]


def goals(rows: list[Row], args) -> list[str]:
    lines = ["\nGoals of issue 16:"]
    by = {(r.kind, r.articles): r for r in rows}
    one = by.get(CDIST_ROW)
    if one and "cdist_seconds" in one.about:
        wall = one.outcome.wall if one.outcome.status == "ok" else None
        ratio = f"{wall / one.about['cdist_seconds']:.1f}x" if wall else f">{args.time_cap / one.about['cdist_seconds']:.0f}x" \
            if one.outcome.status == "time" else one.outcome.status
        lines.append(f"- one 1,000 end to end <= 2x cdist floor (c): {ratio}")
    mix = by.get(("mix", 10000))
    if mix and mix.outcome:
        lines.append(f"- mix 10,000 <= 30 s and <= 1.5 GiB: {_status(mix, args)}")
    big = by.get(("mix", 50000))
    if mix and big and mix.outcome and big.outcome and mix.outcome.status == "ok":
        if big.outcome.status == "ok":
            lines.append(f"- mix 50,000 peak RSS <= 5x mix 10,000's: "
                         f"{big.outcome.peak_rss_kib / mix.outcome.peak_rss_kib:.1f}x")
        else:
            lines.append(f"- mix 50,000 peak RSS <= 5x mix 10,000's: {_status(big, args)}")
    for row in rows:
        if row.report and row.read_floor:
            t = row.report["times"]
            lines.append(f"- {row.kind} {row.articles:,} read+clean <= 10x floor (a): "
                         f"{(t['read'] + t['clean']) / row.read_floor:.0f}x")
    return lines


def _status(row: Row, args) -> str:
    outcome = row.outcome
    if outcome.status == "ok":
        return f"{outcome.wall:.1f} s, {outcome.peak_rss_kib * 1024 / GIB:.2f} GiB"
    if outcome.status == "time":
        return f">{args.time_cap:.0f} s"
    if outcome.status == "memory":
        return f"killed at {args.mem_cap_gib:g} GiB"
    return f"failed: {outcome.detail}"


def startup(scratch: Path, args) -> list[str]:
    """The seeds to all formats against the WeasyPrint floor, and what start-up imports."""
    print("start-up ...", file=sys.stderr, flush=True)
    digest = digest_command()
    seeds = ROOT / "seeds"
    out = scratch / "seeds"
    out.mkdir()
    outcome = run_capped([sys.executable, __file__, "--worker", str(seeds), str(out / "briefing"),
                          str(out / "result.json")], args.time_cap, int(args.mem_cap_gib * GIB),
                         log=scratch / "seeds-stderr.txt")
    html = out / "briefing" / "print.html"
    lines = ["\n## Start-up (seeds, 5 articles)\n", f"median of {args.repeat} runs each, in fresh processes, "
             "digest's bytecode compiled first (`python -m compileall digest`, as an install does)\n",
             "| command | seconds | against floor (b) | goal |", "|---|---:|---:|---|"]
    if outcome.status != "ok" or not html.exists():
        return lines + [f"seeds run failed: {outcome.detail}"]
    # As installed: pip compiles a package's bytecode at install, and a checkout writes its own on the first
    # run, unless PYTHONDONTWRITEBYTECODE is set (as in some shells here): then every run would compile
    # digest's modules from source again, 0.2-0.4 s that no user pays.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "digest")], check=True, cwd=ROOT,
                   capture_output=True, timeout=args.time_cap)
    cases = [("`digest run seeds --out DIR` (all formats)", ["run", "seeds", "--quiet", "--out"], "<= 1.6x and <= 2 s"),
             ("`digest run seeds --format md --out DIR`", ["run", "seeds", "--quiet", "--format", "md", "--out"],
              "no WeasyPrint, no scikit-learn"),
             ("`digest --help`", ["--help"], "no WeasyPrint, no scikit-learn")]
    # Rounds of the floor and every command in turn: on a shared machine the load drifts, and a ratio of
    # medians taken minutes apart would measure the drift.
    floors: list[float] = []
    runs: list[list[float]] = [[] for _ in cases]
    for number in range(args.repeat):
        floors.append(pdf_floor(html, args.time_cap))
        for case, (_label, arguments, _goal) in enumerate(cases):
            target = [str(scratch / f"startup-{case}-{number}")] if arguments[-1] == "--out" else []
            runs[case].append(wall_seconds([*digest, *arguments, *target], args.time_cap))
    floor = statistics.median(floors)
    lines.append(f"| floor (b): fresh Python, `import weasyprint`, seeds' briefing HTML to PDF | {floor:.2f} | 1.00x | |")
    for (label, _arguments, goal), times in zip(cases, runs):
        seconds = statistics.median(times)
        lines.append(f"| {label} | {seconds:.2f} | {seconds / floor:.2f}x | {goal} |")
    for label, arguments in (("digest --help", ["--help"]),
                             ("digest run seeds --format md", ["run", "seeds", "--quiet", "--format", "md", "--out",
                                                              str(scratch / "importtime")])):
        found = heavy_imports(arguments)
        listed = ", ".join(f"{name} {ms:.0f} ms ({'by ' + by if by.startswith('digest') else by})"
                           for name, ms, by in found)
        lines.append(f"\n- `{label}` imports (cumulative, `python -X importtime`): {listed or 'none of ' + ', '.join(HEAVY)}")
    return lines


if __name__ == "__main__":
    main()
