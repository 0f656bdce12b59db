"""Feed reader robustness over feedparser's test feeds (``../shared/eval/feeds/``, 731 files).

For every file: decode and parse it with ``digest.ingest.read_feed_document``, then run it end to end
through ``read_inputs(feeds=[file])`` with an offline fetcher (every page fetch fails, so teaser-only
entries are skipped with a reason and nothing reaches the network). Counts:

- crashes (any exception other than the project's InputError) — must be 0;
- well-formed feeds where feedparser itself finds entries but we yield none — must be 0;
- ill-formed feeds: how many yield entries, how many give a one-line error;
- the undeclared legacy encodings of ``illformed/chardet``: read correctly (same text as decoding with
  the encoding the test expects), refused with an error, or read wrongly.

    python bench/feeds.py [--eval-dir PATH] [--verbose]
"""

from __future__ import annotations

import argparse
import re
import sys
import traceback
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402
import httpx  # noqa: E402

from digest.errors import InputError  # noqa: E402
from digest.ingest.fetch import Fetcher  # noqa: E402
from digest.ingest import decode_bytes, read_feed_document, read_inputs  # noqa: E402
from digest.settings import Settings  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction import find_eval_dir  # noqa: E402

EXPECTED_ENCODING = re.compile(r"encoding\s*==\s*'([^']+)'")


def offline_fetcher(settings: Settings) -> Fetcher:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("offline benchmark", request=request)

    return Fetcher(settings, transport=httpx.MockTransport(refuse), use_cache=False, retries=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    folder = (args.eval_dir or find_eval_dir()) / "feeds"
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in ("LICENSE", "PROVENANCE.md"))

    settings = replace(Settings(), inputs=())
    counts: Counter = Counter()
    problems: list[str] = []
    fetcher = offline_fetcher(settings)
    for path in files:
        kind = "illformed" if "illformed" in path.parts else "wellformed"
        counts[f"{kind} files"] += 1
        data = path.read_bytes()
        try:
            feed = read_feed_document(data, str(path))
            outcome = read_inputs([], replace(settings, feeds=(str(path),)), fetcher=fetcher)
        except InputError as exc:
            counts[f"{kind} refused with an error"] += 1
            if args.verbose:
                print(f"refused {path.relative_to(folder)}: {exc}")
            continue
        except Exception:  # noqa: BLE001 - a crash is what this benchmark counts
            counts["crashes"] += 1
            problems.append(f"CRASH {path.relative_to(folder)}\n{traceback.format_exc(limit=3)}")
            continue
        reference = feedparser.parse(data)
        if reference.entries:
            counts[f"{kind} feeds with entries (feedparser directly)"] += 1
        counts[f"{kind} entries yielded"] += len(feed.entries)
        counts[f"{kind} articles (offline)"] += len(outcome.articles)
        counts[f"{kind} skip records (no entries / page unreachable)"] += len(outcome.skipped)
        if feed.entries:
            counts[f"{kind} feeds yielding entries"] += 1
        elif reference.entries:
            counts[f"{kind} feeds LOSING entries"] += 1
            problems.append(f"LOST {path.relative_to(folder)}: feedparser finds {len(reference.entries)} entries")
        if kind == "illformed":
            if feed.error:
                counts["illformed flagged with a one-line error"] += 1
                if "\n" in feed.error:
                    problems.append(f"MULTI-LINE ERROR {path.relative_to(folder)}")
            if not feed.entries and not feed.error:
                reasons = [s.reason for s in outcome.skipped if s.source == str(path)]
                if reasons and all("\n" not in r for r in reasons):
                    counts["illformed without entries, one-line skip reason"] += 1
                else:
                    counts["illformed with neither entries nor error"] += 1
                    problems.append(f"SILENT {path.relative_to(folder)}")
        if "chardet" in path.parts:
            expected = EXPECTED_ENCODING.search(data[:400].decode("ascii", "replace"))
            if expected:
                truth = data.decode(expected.group(1))
                ours = decode_bytes(data, source=str(path))
                counts["chardet read correctly" if ours == truth else "chardet read WRONGLY"] += 1
                if ours != truth:
                    problems.append(f"WRONG ENCODING {path.name}: expected {expected.group(1)}")
    fetcher.close()

    print(f"feeds: {len(files)}  (eval: {folder})")
    for key in sorted(counts):
        print(f"  {key:<52} {counts[key]:6d}")
    print(f"  {'crashes':<52} {counts['crashes']:6d}")
    if problems:
        print("problems:")
        for line in problems[:40]:
            print("  " + line)


if __name__ == "__main__":
    main()
