"""Package layout: no import circles between the modules of ``digest``, and the README's table matches the tree.

Every import counts, including those inside functions. ``from digest.compose import actors`` is an
import of the module ``digest.compose.actors``; a package's own ``__init__`` running first is not
counted, as Python runs it before any of its modules anyway.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "digest"


def module_files(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module under the package folder ``root``."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports."""
    modules = module_files(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                           for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other through imports (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_of_digest_imports_itself_through_others():
    graph = import_graph(PACKAGE)
    assert "digest.ingest.reader" in graph["digest.ingest"]  # the graph sees the packages' modules
    assert cycles(graph) == []


def test_the_check_finds_a_circle_through_a_package_and_a_lazy_import(tmp_path):
    package = tmp_path / "pkg"
    (package / "stage").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "top.py").write_text("def later():\n    from pkg.stage import part\n")
    (package / "stage" / "__init__.py").write_text("from pkg.stage.part import thing\n")
    (package / "stage" / "part.py").write_text("import pkg.top\nthing = 1\n")
    (package / "alone.py").write_text("import os\n")
    graph = import_graph(package)
    assert graph["pkg.top"] == {"pkg.stage.part"} and graph["pkg.stage"] == {"pkg.stage.part"}
    assert cycles(graph) == [["pkg.stage.part", "pkg.top"]]


def test_the_readme_names_every_module_and_only_modules_that_exist():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How it works", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(digest/[\w/]+\.py)`", section))
    files = {str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*.py")}
    files -= {"digest/__init__.py", "digest/__main__.py"}
    assert named == files


def test_no_file_holds_merge_conflict_markers():
    # A merge once left "<<<<<<< HEAD" in a template: it rendered into every briefing and the golden file
    # was regenerated with it, so only a direct check catches it.
    import re
    import subprocess

    root = Path(__file__).resolve().parent.parent
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    marker = re.compile(r"^(?:<{7}|>{7}) |^(?:&lt;){7} |^(?:&gt;){7} ", re.M)
    bad = []
    for name in tracked.splitlines():
        path = root / name
        if path.suffix in {".py", ".j2", ".css", ".html", ".md", ".json", ".toml", ".txt", ".sh", ".cfg"} and path.is_file():
            if marker.search(path.read_text(encoding="utf-8", errors="replace")):
                bad.append(name)
    assert bad == []
