#!/usr/bin/env bash
# CI packaging job: the wheel as a user gets it. Build it, install it with a fresh venv's own pip
# (no upgrade: Python 3.11's venv ships pip 23.2, the one that once left lxml.html.clean out),
# outside the checkout, then brief a copy of the seeds into all four formats and check each file.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

.venv/bin/python -m pip wheel -q --no-deps -w "$work/dist" .
wheel=$(ls "$work"/dist/newsdigest-*.whl)
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q "$wheel"
cp -r seeds "$work/seeds"
cd "$work"   # no checkout here: templates can come only from the installed package
"$work/venv/bin/digest" run seeds --out briefing --no-send -q
"$work/venv/bin/python" "$repo/.ci/check_outputs.py" briefing
echo "wheel job: $(basename "$wheel") installed with pip $("$work/venv/bin/python" -m pip --version | cut -d' ' -f2); seeds briefed to md, html, pdf, json"
