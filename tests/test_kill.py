"""A real `digest run` killed with SIGKILL while it renders leaves every earlier output intact."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SEEDS


def _start_run(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "digest", "run", *args, "-q"], cwd=cwd,
                            env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 60) -> bool:
    """SIGKILL ``proc`` as soon as ``ready()`` holds; False if the run finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            return True
        time.sleep(0.005)
    proc.kill()
    proc.wait(10)
    return False


def _valid_outputs(folder: Path) -> None:
    assert json.loads((folder / "briefing.json").read_text())["schema"] == "digest/1"
    pdf = (folder / "briefing.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-2048:]
    assert (folder / "briefing.md").read_text().startswith("# ")
    assert (folder / "briefing.html").read_text().rstrip().endswith("</html>")


@pytest.mark.slow
def test_kill_mid_render_keeps_latest_run(tmp_path: Path) -> None:
    first = subprocess.run([sys.executable, "-m", "digest", "run", str(SEEDS), "-q"], cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    out = tmp_path / "out"
    latest = (out / "latest").resolve()
    snapshot = {p.name: p.read_bytes() for p in latest.iterdir()}

    proc = _start_run([str(SEEDS)], tmp_path)
    killed = _kill_when(proc, lambda: any(any(p.iterdir()) for p in out.glob(".partial*") if p.is_dir()))
    assert killed, "the run finished before it could be killed"
    assert (out / "latest").resolve() == latest
    assert {p.name: p.read_bytes() for p in latest.iterdir()} == snapshot
    _valid_outputs(latest)
    # The next run cleans up what the killed one left and publishes normally.
    again = subprocess.run([sys.executable, "-m", "digest", "run", str(SEEDS), "-q"], cwd=tmp_path,
                           env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert not list(out.glob(".partial*"))
    _valid_outputs((out / "latest").resolve())


@pytest.mark.slow
def test_kill_mid_render_into_out_dir_leaves_whole_files(tmp_path: Path) -> None:
    out = tmp_path / "brief"
    first = subprocess.run([sys.executable, "-m", "digest", "run", str(SEEDS), "--out", str(out), "-q"],
                           cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert first.returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = _start_run([str(SEEDS), "--out", str(out)], tmp_path)
    # Kill once the new Markdown is in place, i.e. in the middle of writing the set.
    md = out / "briefing.md"
    start_mtime = md.stat().st_mtime_ns
    killed = _kill_when(proc, lambda: md.stat().st_mtime_ns != start_mtime)
    assert killed, "the run finished before it could be killed"
    for name in before:
        assert (out / name).exists()
    _valid_outputs(out)
    # The next run into the same folder sweeps the temporary file the killed one may have left.
    assert subprocess.run([sys.executable, "-m", "digest", "run", str(SEEDS), "--out", str(out), "-q"],
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)}).returncode == 0
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
