"""Shared helpers of the multinews-raw benchmarks (bench/day.py, bench/reader.py, bench/summaries.py).

The tool is driven only through its stable entry points: the ``digest`` command line
(``python -m digest run DIR --out OUT --format json,md``) or, in process,
``digest.ingest.read_inputs`` + ``digest.pipeline.build_briefing`` + ``digest.render``.
Documents are written as plain ``.txt`` files with names that say nothing and no
metadata, into temporary folders outside the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

BENCH = Path(__file__).resolve().parents[1]
ROOT = BENCH.parent
GOLD = BENCH / "gold"
# ../shared/eval from the repository root; a git worktree deeper down looks further up.
EVAL = next((p / "shared" / "eval" for p in ROOT.parents if (p / "shared" / "eval").is_dir()),
            ROOT / ".." / "shared" / "eval")
RAW = EVAL / "multinews-raw" / "multinews-raw.jsonl"
# In-process briefings use a fixed clock so that a run can be repeated exactly.
NOW = datetime(2020, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Cluster:
    """One multinews-raw cluster; ``index`` is its line number (0-based) in the file."""

    index: int
    id: str
    documents: tuple[str, ...]
    summary: str

    def key(self, k: int) -> str:
        """The id of the cluster's ``k``-th document: ``<cluster id>#<k>``."""
        return f"{self.id}#{k}"

    @property
    def half(self) -> str:
        """'tune' for even-numbered clusters, 'check' for odd ones."""
        return "tune" if self.index % 2 == 0 else "check"


# The tool's output depends on Python's string-hash seed (set order; found by this bench), so every
# briefing a bench makes is made under one fixed seed, to be repeatable.
HASH_SEED = "0"


def pin_hash_seed() -> None:
    """Re-run this script under PYTHONHASHSEED=HASH_SEED unless it already runs so."""
    if os.environ.get("PYTHONHASHSEED") != HASH_SEED:
        os.environ["PYTHONHASHSEED"] = HASH_SEED
        os.execv(sys.executable, [sys.executable, *sys.argv])


def load_clusters(path: Path = RAW) -> list[Cluster]:
    rows = [json.loads(line) for line in path.resolve().read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Cluster(i, r["id"], tuple(r["documents"]), r["summary"]) for i, r in enumerate(rows)]


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def load_document_labels(clusters: Sequence[Cluster]) -> tuple[dict[str, str], list[str]]:
    """Hand labels of bench/gold/raw-documents.json: document id -> 'furniture' | 'off-story'.

    Also returns warnings for labels whose document is missing or whose text changed.
    """
    data = json.loads((GOLD / "raw-documents.json").read_text(encoding="utf-8"))
    texts = {c.key(k): d for c in clusters for k, d in enumerate(c.documents)}
    labels, warnings = {}, []
    for key, entry in data["labels"].items():
        if key not in texts:
            warnings.append(f"label for {key}: no such document")
        elif text_hash(texts[key]) != entry["sha1"]:
            warnings.append(f"label for {key}: document text changed since it was labelled")
        else:
            labels[key] = entry["label"]
    return labels, warnings


def fold(text: str) -> str:
    """Case, quotes, dashes and spacing folded, for matching strings in briefings fairly."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                                         "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\u2026": "..."}))
    return re.sub(r"\s+", " ", text).strip().lower()


WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def write_documents(folder: Path, texts: Iterable[str]) -> list[str]:
    """Write each text as ``NNNN.txt`` in ``folder`` (in the given order); returns the file names."""
    names = []
    for number, text in enumerate(texts):
        name = f"{number:04d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        names.append(name)
    return names


def run_cli(folder: Path, out: Path, *, max_stories: int | None = None, formats: str = "json,md",
            timeout: float = 1800) -> tuple[dict[str, Any], str, float]:
    """``digest run folder --out out`` in a child process; returns (briefing.json, briefing.md, wall seconds).

    ``max_stories`` goes through a temporary digest.toml, the documented way to set it.
    """
    command = [sys.executable, "-m", "digest", "run", str(folder), "--out", str(out), "--format", formats, "--quiet"]
    if max_stories is not None:
        config = out.parent / "bench-digest.toml"
        config.write_text(f"[briefing]\nmax_stories = {max_stories}\n", encoding="utf-8")
        command += ["--config", str(config)]
    started = time.perf_counter()
    env = {**os.environ, "PYTHONHASHSEED": HASH_SEED}
    done = subprocess.run(command, cwd=out.parent, capture_output=True, text=True, timeout=timeout, env=env)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"digest run failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    briefing = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    markdown = (out / "briefing.md").read_text(encoding="utf-8") if (out / "briefing.md").exists() else ""
    return briefing, markdown, seconds


def brief_in_process(texts: Sequence[str], *, words_per_story: int | None = None,
                     max_stories: int | None = None) -> tuple[dict[str, Any] | None, str, str | None]:
    """Brief ``texts`` as files of one temporary folder, in this process.

    Returns (briefing as its JSON dict, rendered Markdown, error message or None).
    """
    from digest.errors import DigestError
    from digest.ingest import read_inputs
    from digest.pipeline import build_briefing
    from digest.render import render_markdown
    from digest.settings import Settings

    overrides: dict[str, Any] = {}
    if words_per_story is not None:
        overrides["words_per_story"] = words_per_story
    if max_stories is not None:
        overrides["max_stories"] = max_stories
    settings = Settings(**overrides)
    with tempfile.TemporaryDirectory(prefix="digest-bench-") as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        write_documents(folder, texts)
        try:
            articles = read_inputs([str(folder)], settings).articles
            briefing = build_briefing(articles, settings, NOW).briefing
        except DigestError as exc:
            return None, "", str(exc)
        return briefing.to_dict(), render_markdown(briefing, settings), None


def story_items(story: dict[str, Any]) -> list[tuple[str, str]]:
    """(section, text) of every piece of text a reader sees in one story of briefing.json."""
    items = [("headline", story.get("headline") or ""), ("summary", story.get("summary") or "")]
    items += [("key_facts", f["text"]) for f in story.get("key_facts", [])]
    for q in story.get("quotes", []):
        items.append(("quotes", q.get("text") or ""))
        items += [("quotes", q[k]) for k in ("speaker", "context") if q.get(k)]
    for r in story.get("reactions", []):
        items += [("reactions", r.get("actor") or ""), ("reactions", r.get("text") or "")]
    for e in story.get("whats_next", []):
        items += [("whats_next", e.get("text") or ""), ("whats_next", str(e.get("when") or ""))]
    for d in story.get("disagreements", []):
        items.append(("disagreements", d.get("topic") or ""))
        for v in d.get("versions", []):
            items.append(("disagreements", v if isinstance(v, str) else v.get("text") or ""))
    return [(section, text) for section, text in items if text]


# A plain sentence splitter of the bench's own, so that the baselines do not move when the tool's
# splitter changes: split after . ! ? (and a closing quote) before a capital, a digit or a quote,
# except after common abbreviations and initials.
_ABBREVIATIONS = frozenset("""mr mrs ms dr prof sr jr st mt ft gen gov sen rep lt col capt sgt rev no vs inc co corp ltd
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n a.m p.m d.c ala ariz ark calif colo conn del fla ga
    ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo e.g i.e""".split())
_BOUNDARY = re.compile(r"""(?<=[.!?])(["'\u201d\u2019)]*)\s+(?=["'\u201c\u2018(]?[A-Z0-9])""")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` (paragraphs are split on line breaks first)."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n+", text):
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            end = match.start() + len(match.group(1))
            before = paragraph[start:match.start()].rstrip(".!?")
            last = before.rsplit(None, 1)[-1].lower() if before.split() else ""
            if last in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last) or re.fullmatch(r"([a-z]\.)+[a-z]", last):
                continue
            sentences.append(paragraph[start:end].strip())
            start = match.end()
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return [s for s in sentences if s]
