"""Runs every case of the bad-input corpus (tests/bad_inputs) through `digest run` and prints the tally.

Usage: .venv/bin/python bench/bad_inputs.py [--code DIR] [--only NAME ...]
Each case runs in its own process with a time cap (tests/bad_inputs/cases.py TIME_CAP); a case
past its cap is killed and counted. ``--code DIR`` imports ``digest`` from another checkout (e.g.
an export of main) with this corpus, for before/after figures.
Prints per case: exit code, completed or refused, outputs lost, requests to addresses not allowed,
seconds, problems; then the totals. Goals: 0 broke, 0 data lost, 0 requests not allowed, 0 over cap.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _one(name: str) -> None:
    """Child process: run one case and print its result as JSON."""
    from bad_inputs.cases import NOTHING_USABLE, REASONS
    from bad_inputs.harness import run_case

    with tempfile.TemporaryDirectory() as tmp:
        result = run_case(name, Path(tmp), expect_failure=name in NOTHING_USABLE, reasons=REASONS.get(name, ()))
    print(json.dumps({"exit": result.exit_code, "completed": result.completed, "lost": result.outputs_lost,
                      "external": result.external_requests, "problems": result.problems}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose digest package is tested")
    parser.add_argument("--only", nargs="*", default=None, help="case names to run")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path[:0] = [str(args.code.resolve()), str(ROOT / "tests")]
    if args.one:
        _one(args.one)
        return 0
    from bad_inputs.cases import CASES, DEFAULT_TIME_CAP, TIME_CAP

    totals = {"tried": 0, "held": 0, "broke": 0, "lost": 0, "external": 0, "over": 0}
    for name in args.only or CASES:
        cap = TIME_CAP.get(name, DEFAULT_TIME_CAP)
        started = time.perf_counter()
        try:
            child = subprocess.run([sys.executable, __file__, "--code", str(args.code), "--one", name],
                                   capture_output=True, text=True, timeout=cap, cwd=ROOT)
            elapsed = time.perf_counter() - started
            lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
            result = json.loads(lines[-1]) if lines else {
                "exit": child.returncode, "completed": False, "lost": 0, "external": 0,
                "problems": [f"the case crashed: {child.stderr.strip().splitlines()[-1:]}"]}
        except subprocess.TimeoutExpired:
            elapsed = time.perf_counter() - started
            result = {"exit": None, "completed": False, "lost": 0, "external": 0,
                      "problems": [f"over its time cap of {cap:.0f}s (killed)"]}
            totals["over"] += 1
        broke = bool(result["problems"]) or result["lost"] or result["external"]
        totals["tried"] += 1
        totals["broke" if broke else "held"] += 1
        totals["lost"] += result["lost"]
        totals["external"] += result["external"]
        state = "completed" if result["completed"] else "refused"
        print(f"{name:30} exit={result['exit']} {state:9} lost={result['lost']} not-allowed={result['external']} "
              f"{elapsed:6.1f}s {'HELD' if not broke else 'BROKE'} {'; '.join(result['problems'])[:300]}",
              flush=True)
    print()
    print(f"attacks tried:                     {totals['tried']}")
    print(f"held:                              {totals['held']}")
    print(f"broke:                             {totals['broke']}")
    print(f"data lost (outputs):               {totals['lost']}")
    print(f"requests to non-allowed addresses: {totals['external']}")
    print(f"runs over their time cap:          {totals['over']}")
    return 0 if totals["broke"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
