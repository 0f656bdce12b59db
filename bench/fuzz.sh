#!/usr/bin/env bash
# Longer fuzzing run of the property tests (default 5,000 examples each): bench/fuzz.sh [EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_EXAMPLES="${1:-5000}" .venv/bin/python -m pytest tests/test_fuzz.py -q -p no:cacheprovider
