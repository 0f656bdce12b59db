"""Outlet credit on real saved pages: which outlet each page of ``../shared/eval/extraction`` is credited to.

Reads every page through ``digest.ingest.read_inputs`` (as a saved page in a run) and counts the
outlets that name no outlet: a copyright line, a name of two letters or fewer (a state code such as
"Nj"), a hash label ("Source e7d77f"), or a year. It also counts how often the credited outlet is
the page's site name, a domain, or something else, and prints the outlets that changed when given
``--show``. Run it from another checkout with PYTHONPATH=that/checkout for a before/after.

    .venv/bin/python bench/outlets.py [--limit N] [--show]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from digest.ingest import read_inputs
from digest.settings import Settings

JUNK = re.compile(r"©|\bcopyright\b|all rights reserved|^source [0-9a-f]{4,}$|^\W*\d{4}\W*$", re.I)
DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+$")


def kind_of(outlet: str | None) -> str:
    if not outlet:
        return "none"
    if JUNK.search(outlet) or sum(ch.isalnum() for ch in outlet) <= 2:
        return "junk"
    return "domain" if DOMAIN.match(outlet) else "name"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=None, help="default: ../shared/eval of the checkout")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--show", action="store_true", help="print each page's outlet")
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    candidates = [args.eval_dir] if args.eval_dir else [root / ".." / "shared" / "eval", root / ".." / ".." / "shared" / "eval"]
    folder = next((c for c in candidates if (c / "extraction" / "html").is_dir()), candidates[0])
    pages = sorted((folder / "extraction" / "html").glob("*.html.gz"))
    if args.limit:
        pages = pages[: args.limit]
    kinds: Counter[str] = Counter()
    settings = Settings(inputs=())
    for page in pages:
        articles = read_inputs([str(page)], settings).articles
        outlet = articles[0].outlet if articles else None
        kinds[kind_of(outlet)] += 1
        if args.show:
            print(f"{page.name[:16]}  {kind_of(outlet):<6}  {outlet}")
    print(f"pages: {len(pages)}  " + "  ".join(f"{k} {kinds[k]}" for k in ("name", "domain", "junk", "none")))


if __name__ == "__main__":
    main()
