"""Start-up cost (issue 16): what a command imports, checked in a fresh interpreter's ``sys.modules``.

``digest --help`` and a Markdown-only run must not pay for WeasyPrint (PDF only) or scikit-learn
(benches only), and a run of local files not for httpx (fetching only). ``--help`` imports no numpy or
scipy either. A Markdown run of plain text files needs scipy.sparse (the stories' TF-IDF) but not the
scheduled service (sqlite3, smtplib), the parsers of other inputs (lxml, markdown, PyYAML) or, once the
gazetteer is in the user's cache, pycountry and countryinfo. Not a timing test: a module is imported or
it is not. A PDF run is the control that shows the probe sees an import when there is one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("weasyprint", "sklearn", "httpx")  # httpx: only a run that fetches needs it
NOT_FOR_HELP = HEAVY + ("numpy", "scipy", "rapidfuzz", "py3langid", "jinja2")
# What a Markdown run of the seeds (plain text files) does not need, its gazetteer read from the cache.
NOT_FOR_TEXT_FILES = HEAVY + ("sqlite3", "smtplib", "lxml", "markdown", "yaml", "pycountry", "countryinfo",
                              "scipy.cluster", "scipy.spatial", "digest.service")

# Runs ``python -m digest ARGS`` in this interpreter and, at exit (click exits through SystemExit),
# writes the heavy top-level packages left in sys.modules to the file named by the first argument.
# ``--one-core`` first pins the process to one core (where no PDF worker process is started);
# ``--idle-core`` lets it count on an idle second core (where one is).
PROBE = """
import atexit, json, os, runpy, sys
out, heavy, args = sys.argv[1], set(json.loads(sys.argv[2])), sys.argv[3:]
if args[0] == "--one-core":
    args = args[1:]
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
elif args[0] == "--idle-core":  # as on a quiet machine, whatever the load of the test machine
    args = args[1:]
    import digest.render
    digest.render._spare_core = lambda: True
def report():
    loaded = {m.split(".")[0] for m in sys.modules} | {".".join(m.split(".")[:2]) for m in sys.modules}
    with open(out, "w") as f:
        json.dump(sorted(loaded & heavy), f)
atexit.register(report)
sys.argv = ["digest", *args]
runpy.run_module("digest", run_name="__main__", alter_sys=True)
"""


def heavy_imported(tmp_path: Path, *args: str, heavy: tuple[str, ...] = HEAVY
                   ) -> tuple[list[str], subprocess.CompletedProcess]:
    """The modules of ``heavy`` (packages, or a package's first-level module) that ``digest ARGS`` imported."""
    report = tmp_path / "modules.json"
    done = subprocess.run([sys.executable, "-c", PROBE, str(report), json.dumps(heavy), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(report.read_text()), done


def test_help_imports_neither_weasyprint_nor_scikit_learn_nor_numpy_and_scipy(tmp_path):
    found, done = heavy_imported(tmp_path, "--help", heavy=NOT_FOR_HELP)
    assert "Usage" in done.stdout
    assert found == []


def test_importing_the_pipeline_does_not_import_scipy():
    # scipy.sparse is imported by the stages that build matrices, when they run: a run that stops before
    # them (no input, a bad option) and a program that only imports the library do not pay for it.
    out = _python("import json, sys\nimport digest.pipeline, digest.cluster, digest.similarity, digest.select\n"
                  "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'scipy', 'sklearn'})))")
    assert json.loads(out) == []


def test_markdown_run_imports_neither_weasyprint_nor_scikit_learn(tmp_path):
    out = tmp_path / "out"
    found, _ = heavy_imported(tmp_path, "run", str(ROOT / "seeds"), "--quiet", "--format", "md", "--out", str(out))
    assert (out / "briefing.md").stat().st_size > 0
    assert not (out / "briefing.pdf").exists()
    assert found == []


def test_a_markdown_run_of_text_files_imports_only_what_it_uses(tmp_path):
    # The first run builds the gazetteer (importing pycountry and countryinfo) and keeps it in the cache
    # (the fixture's XDG_CACHE_HOME, inherited); the second reads it back.
    args = ("run", str(ROOT / "seeds"), "--quiet", "--format", "md")
    first, _ = heavy_imported(tmp_path, *args, "--out", str(tmp_path / "first"), heavy=NOT_FOR_TEXT_FILES)
    assert {"countryinfo", "pycountry"} <= set(first)  # the probe sees them when they are imported
    second, _ = heavy_imported(tmp_path, *args, "--out", str(tmp_path / "second"), heavy=NOT_FOR_TEXT_FILES)
    assert second == []
    assert (tmp_path / "second" / "briefing.md").stat().st_size > 0


def test_a_pdf_run_imports_weasyprint_in_its_worker_or_on_one_core_itself(tmp_path):
    # The control: the probe does see an import that happens (on one core the run renders the PDF itself).
    if not hasattr(os, "sched_setaffinity"):
        pytest.skip("no way to pin the run to one core here")
    for flag, expected in (("--one-core", ["weasyprint"]), ("--idle-core", [])):
        out = tmp_path / flag
        found, _ = heavy_imported(tmp_path, flag, "run", str(ROOT / "seeds"), "--quiet", "--format", "pdf",
                                  "--out", str(out))
        assert (out / "briefing.pdf").read_bytes().startswith(b"%PDF")
        if len(os.sched_getaffinity(0)) > 1 or flag == "--one-core":
            assert found == expected, flag


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


LOADED_LIBRARIES = """
import ctypes.util, json
libs = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in open("/proc/self/maps") if ".so" in line})
print(json.dumps([l for l in libs if any(k in l for k in ("pango", "gobject", "harfbuzz", "fontconfig", "glib"))]))
"""


def test_weasyprint_imported_without_the_library_search_loads_the_same_libraries():
    if not sys.platform.startswith("linux"):
        pytest.skip("the search is skipped on Linux only")
    plain = _python("import weasyprint\n" + LOADED_LIBRARIES)
    quick = _python("import ctypes.util\nsearch = ctypes.util.find_library\n"
                    "from digest.render import _import_weasyprint\n_import_weasyprint()\n"
                    "assert ctypes.util.find_library is search\n" + LOADED_LIBRARIES)
    assert json.loads(quick) == json.loads(plain) and any("pango" in name for name in json.loads(plain))


def test_weasyprint_is_imported_again_with_the_real_search_when_the_quick_import_fails():
    # A platform where only ctypes' search finds a library: the first import fails with OSError.
    out = _python("""
import ctypes.util, sys
search = ctypes.util.find_library
calls = []
class FailOnce:
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint.text.ffi" and not calls:
            calls.append(ctypes.util.find_library is search)
            raise OSError("cannot load library 'libgobject-2.0-0'")
sys.meta_path.insert(0, FailOnce())
from digest.render import _import_weasyprint
module = _import_weasyprint()
print(calls, ctypes.util.find_library is search, module.HTML(string="<p>x</p>").write_pdf()[:4])
""")
    first_try_quick = "[False]" if sys.platform.startswith("linux") else "[True]"
    assert out.split() == [first_try_quick, "True", "b'%PDF'"]
