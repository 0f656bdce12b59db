"""Packaging: what a wheel holds must be what an installed digest needs (issue 14).

The CI job ``.ci/wheel.sh`` installs a real wheel outside the checkout; these tests catch the
usual ways it would break, in a second: a new subpackage or template left out of pyproject.toml.
"""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from digest import render

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_packaging_lists_every_subpackage_of_digest():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "digest").rglob("__init__.py")}
    assert found - listed == set(), "add these packages to [tool.setuptools] packages"


def test_packaging_ships_every_template_inside_the_package():
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert setuptools["package-dir"]["digest.templates"] == "templates"
    patterns = setuptools["package-data"]["digest.templates"]
    files = [p.name for p in (ROOT / "templates").iterdir() if p.is_file()]
    missed = [name for name in files if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)]
    assert files and missed == []


def test_packaging_builtin_templates_are_the_checkout_folder_here():
    # In a checkout there is no digest/templates/, so the top-level folder is used in place.
    assert render.builtin_templates_dir() == (ROOT / "templates").resolve()
    assert (render.TEMPLATES_DIR / "briefing.md.j2").is_file()


def test_packaging_depends_on_the_html_cleaner_directly():
    names = {d.split(">")[0].split("=")[0].split("[")[0].strip().lower() for d in PYPROJECT["project"]["dependencies"]}
    assert {"lxml_html_clean", "lxml"} <= names


def _name(requirement: str) -> str:
    import re

    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def _pinned(lock: str) -> set[str]:
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    return {line.split("==")[0].strip().lower().replace("_", "-") for line in text.splitlines()
            if "==" in line and not line.startswith((" ", "#"))}


def test_packaging_lock_files_pin_every_declared_dependency():
    # bootstrap installs the lock with --require-hashes and the package with --no-deps: a dependency
    # missing from the lock would be missing on every fresh machine (run scripts/lock.sh).
    project = PYPROJECT["project"]
    runtime = {_name(d) for d in project["dependencies"]}
    test = runtime | {_name(d) for d in project["optional-dependencies"]["test"]}
    assert runtime - _pinned("run.txt") == set()
    assert test - _pinned("test.txt") == set()


def test_readme_cron_line_works_in_a_folder_holding_only_digest_toml(tmp_path):
    import os
    import re
    import shutil
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r"```cron\n(.+)\n```", readme)[1]
    command = line.split(None, 5)[5]  # what cron runs, after the five time fields
    folder = tmp_path / "newsdigest"
    folder.mkdir()
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (folder / "digest.toml").write_text(f'[sources]\ninputs = ["{tmp_path / "seeds"}"]\n'
                                        '[output]\nformats = ["md", "json"]\n', encoding="utf-8")
    digest = Path(sys.executable).parent / "digest"
    assert "/srv/newsdigest" in command and "$HOME/.local/bin/digest" in command
    command = command.replace("/srv/newsdigest", str(folder)).replace("$HOME/.local/bin/digest", str(digest))
    done = subprocess.run(["sh", "-c", command], env={**os.environ, "PATH": "/usr/bin:/bin"}, timeout=240)
    assert done.returncode == 0, (folder / "digest.log").read_text(encoding="utf-8")
    assert (folder / "out" / "latest" / "briefing.md").is_file()
    assert "briefing.md" in (folder / "digest.log").read_text(encoding="utf-8")
