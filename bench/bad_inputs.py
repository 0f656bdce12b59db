"""Runs every case of the bad-input corpus (tests/bad_inputs) through `digest run` and prints the tally.

Usage: .venv/bin/python bench/bad_inputs.py
Prints per case: exit code, completed or refused, outputs lost, requests that left loopback, problems;
then the totals. Goals: 0 outputs lost, 0 requests off loopback, 0 problems.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bad_inputs.cases import CASES, NOTHING_USABLE, REASONS  # noqa: E402
from bad_inputs.harness import run_case  # noqa: E402


def main() -> int:
    results = []
    for name in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            result = run_case(name, Path(tmp), expect_failure=name in NOTHING_USABLE, reasons=REASONS.get(name, ()))
            elapsed = time.perf_counter() - started
        results.append(result)
        state = "completed" if result.completed else "refused"
        print(f"{name:28} exit={result.exit_code} {state:9} lost={result.outputs_lost} "
              f"off-loopback={result.external_requests} {elapsed:6.2f}s {'; '.join(result.problems)}")
    print()
    print(f"bad inputs tried:        {len(results)}")
    print(f"runs completed:          {sum(r.completed for r in results)}")
    print(f"refused with one line:   {sum(not r.completed and not r.problems for r in results)}")
    print(f"outputs lost:            {sum(r.outputs_lost for r in results)}")
    print(f"requests off loopback:   {sum(r.external_requests for r in results)}")
    print(f"cases with problems:     {sum(bool(r.problems) for r in results)}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
