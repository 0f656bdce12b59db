#!/usr/bin/env bash
# Set up everything newsdigest needs on a fresh Debian/Ubuntu machine, idempotently:
#   system packages (fonts for the PDF; poppler and chromium for the tests), a virtualenv in .venv,
#   the exact dependency versions of the lock file requirements/<purpose>.txt (hash-checked),
#   and the package itself (editable, so templates/ is used in place).
# `run` installs only what running needs; `test` adds the test tools, `bench` the benchmark baselines.
# Usage: scripts/bootstrap.sh [run|test|bench]   (what the set-up is for; default: run)
set -euo pipefail
cd "$(dirname "$0")/.."

purpose="${1:-run}"
# WeasyPrint needs Pango; the PDF embeds DejaVu and Noto (Noto CJK for Korean, Chinese, Japanese text), subset by
# HarfBuzz: without libharfbuzz-subset0 WeasyPrint falls back to fontTools (deprecated, slower), whose subset fonts
# differed between two processes rendering the same HTML (tests/test_render.py's PDF worker check failed).
apt_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core fonts-noto-cjk)
case "$purpose" in
  run) ;;
  test) apt_packages+=(poppler-utils chromium) ;;   # pdftoppm for page images, Chromium for the HTML checks
  bench) ;;
  *) echo "usage: $0 [run|test|bench]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "bootstrap: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: please install these system packages yourself: ${missing[*]}" >&2
  fi
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "bootstrap: Python 3.11 or newer is needed (found: $("$python" --version 2>&1))" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
# Reinstall only when the lock file or pyproject.toml changed since the last set-up for this purpose.
lock="requirements/$purpose.txt"
stamp=".venv/.installed-$purpose"
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  # --require-hashes: every file must match the lock, whatever index or cache it came from.
  .venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  touch "$stamp"
fi
