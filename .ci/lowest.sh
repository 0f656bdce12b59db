#!/usr/bin/env bash
# CI packaging job: the declared minimum versions. Install the lowest version every direct dependency
# of pyproject.toml allows (uv's lowest-direct resolution), then run the end-to-end test and a fast
# subset that touches each of those dependencies. A floor that is false fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
uv=.venv/bin/uv
"$uv" venv -q --python "$(.venv/bin/python -c 'import sys; print(sys.executable)')" "$work/venv"
VIRTUAL_ENV="$work/venv" "$uv" pip install -q --resolution lowest-direct -e ".[test]"
echo "lowest versions: $(VIRTUAL_ENV="$work/venv" "$uv" pip freeze -q | grep -v "^-e" | paste -sd" ")"
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider -m "not browser" \
  tests/test_e2e_seeds.py tests/test_render.py tests/test_deliver.py tests/test_cli.py tests/test_fetch.py
