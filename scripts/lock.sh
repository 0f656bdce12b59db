#!/usr/bin/env bash
# Refresh the lock files requirements/{run,test,bench}.txt from pyproject.toml (exact versions with hashes,
# for every platform and Python >= 3.11). Run after changing a dependency, then `scripts/bootstrap.sh test`.
# Add --upgrade to move every pin to the newest version allowed.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=${UV:-.venv/bin/uv}
compile() { "$uv" pip compile -q pyproject.toml "$@" --python-version 3.11 --universal --generate-hashes; }
compile -o requirements/run.txt "${@}"
compile --extra test --extra ci -o requirements/test.txt "${@}"
compile --extra test --extra ci --extra bench -o requirements/bench.txt "${@}"
