"""What the config schema costs at start-up: a fresh Python that defines and checks a small schema.

The settings schema (``digest/settings.py``) was chosen by this measurement: issue 16 wants a
seeds run under 2 s, and a validation library is imported by every command. Each candidate runs
the same few typed, ranged fields in a fresh interpreter, N times; the report is the median wall
time less that of an empty interpreter. A candidate that is not installed is left out.

    .venv/bin/python bench/schema_import.py          # 9 runs each
    .venv/bin/python bench/schema_import.py --runs 21
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CANDIDATES = {
    "empty": "pass",
    "msgspec": """
from typing import Annotated, Literal
import msgspec
T = Annotated[int, msgspec.Meta(ge=50, le=5000)]
F = Annotated[tuple[Literal["md", "html", "pdf"], ...], msgspec.Meta(min_length=1)]
msgspec.convert(450, T); msgspec.convert(["md"], F)
""",
    "pydantic": """
from typing import Annotated, Literal
from pydantic import Field, TypeAdapter
T = TypeAdapter(Annotated[int, Field(ge=50, le=5000)])
F = TypeAdapter(Annotated[tuple[Literal["md", "html", "pdf"], ...], Field(min_length=1)])
T.validate_python(450); F.validate_python(["md"])
""",
    "digest.settings": "import digest.settings",
}


def median_ms(code: str, runs: int) -> float | None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", code], capture_output=True)
        if done.returncode:
            return None
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    base = median_ms("pass", args.runs) or 0.0
    print(f"{'candidate':<16} {'median ms':>10} {'over empty':>11}")
    for name, code in CANDIDATES.items():
        ms = median_ms(code, args.runs)
        if ms is None:
            print(f"{name:<16} {'not installed':>22}")
            continue
        print(f"{name:<16} {ms:>10.0f} {ms - base:>11.0f}")


if __name__ == "__main__":
    main()
