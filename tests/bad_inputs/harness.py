"""Runs ``digest run`` on a bad-input case and checks the promises of the tool.

A case passes when the run either completes with valid outputs or fails with a
one-line error, no traceback escapes, the previous briefing in the output
folder survives a failed run, hostile markup stays plain text, and no network
connection leaves loopback (recorded with a socket audit hook).
"""

from __future__ import annotations

import ipaddress
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from digest.cli import cli

from . import servers
from .cases import GOOD, build_case

_connections: list[str] = []


def _audit(event: str, args: tuple) -> None:
    if event == "socket.connect":
        address = args[1]
        host = address[0] if isinstance(address, tuple) else str(address)
        _connections.append(str(host))
        if not _is_loopback(str(host)):
            # Tests and benches never reach past loopback, even when the code under test would.
            raise ConnectionRefusedError(f"test guard: connection to {host} blocked")
    elif event == "socket.getaddrinfo":
        _connections.append(str(args[0]))


def install_guard() -> None:
    """Record every connection and name lookup of this process, and block connections that leave loopback."""
    if not _installed:
        sys.addaudithook(_audit)
        _installed.append(True)


_installed: list[bool] = []


def _is_loopback(host: str) -> bool:
    if host in ("localhost", "") or host.startswith("/"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


install_guard()


@dataclass
class CaseResult:
    name: str
    exit_code: int
    completed: bool
    outputs_lost: int
    external_requests: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.outputs_lost == 0 and self.external_requests == 0


FORMATS = ("md", "html", "pdf", "json")


def _valid(path: Path) -> bool:
    if not path.is_file():
        return False
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF") and b"%%EOF" in data[-2048:]
    if path.suffix == ".json":
        try:
            return json.loads(data)["schema"] == "digest/1"
        except (ValueError, KeyError):
            return False
    if path.suffix == ".html":
        return b"</html>" in data
    return bool(data.strip())


def run_case(name: str, workdir: Path, *, expect_failure: bool = False,
             reasons: tuple[str, ...] = ()) -> CaseResult:
    """Build case ``name`` under ``workdir`` and run it over an output folder holding an earlier briefing."""
    runner = CliRunner()
    good = workdir / "previous-input"
    good.mkdir(parents=True, exist_ok=True)
    (good / "good.txt").write_text("\n\n".join(GOOD), encoding="utf-8")
    out = workdir / "out"
    first = runner.invoke(cli, ["run", str(good), "--out", str(out), "-q"])
    if first.exit_code != 0:
        raise RuntimeError(f"the baseline run failed: {first.output}")
    before = {fmt: (out / f"briefing.{fmt}").read_bytes() for fmt in FORMATS}

    case_dir, extra = build_case(name, workdir / "case")
    start = len(_connections)
    hits = len(servers.secret_hits)
    result = runner.invoke(cli, ["run", str(case_dir), "--out", str(out), "-q", *extra])
    # Requests to addresses not allowed: past loopback (blocked by the guard) or to the internal service.
    external = [h for h in _connections[start:] if not _is_loopback(h)] + servers.secret_hits[hits:]

    problems: list[str] = []
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        problems.append(f"exception escaped: {type(result.exception).__name__}: {result.exception}")
    if "Traceback" in result.output:
        problems.append("traceback printed")
    lost = 0
    if result.exit_code == 0:
        lost = sum(1 for fmt in FORMATS if not _valid(out / f"briefing.{fmt}"))
        if expect_failure:
            problems.append("nothing usable, yet the run succeeded")
        html = (out / "briefing.html").read_text(encoding="utf-8", errors="replace") if lost == 0 else ""
        for pattern in (r"<script", r"<iframe", r"<img\b", r"<[^>]*\bonerror\s*=", r"href\s*=\s*[\"']?javascript:",
                        r"<!--\s*hidden"):
            if re.search(pattern, html, re.I):
                problems.append(f"markup {pattern!r} reached the HTML")
        if "injected" in html and "{%" not in html:
            problems.append("template syntax was evaluated")
        if any(servers.SECRET_TEXT in (out / f"briefing.{fmt}").read_text(encoding="latin-1")
               for fmt in ("md", "html", "json") if (out / f"briefing.{fmt}").exists()):
            problems.append("an internal page's text reached the briefing")
    else:
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        if len(errors) != 1 or not errors[0].startswith("error:"):
            problems.append(f"error is not one line: {result.stderr[:200]!r}")
        if result.exit_code == 3:
            problems.append(f"exit 3 (a bug) instead of a skip or a refusal: {result.stderr[:200]!r}")
        missing = [r for r in reasons if r not in result.stderr]
        if missing:
            problems.append(f"the error does not say why ({', '.join(missing)}): {result.stderr[:200]!r}")
        lost = sum(1 for fmt in FORMATS if (out / f"briefing.{fmt}").read_bytes() != before[fmt]) if all(
            (out / f"briefing.{fmt}").exists() for fmt in FORMATS) else len(FORMATS)
    return CaseResult(name, result.exit_code, result.exit_code == 0, lost, len(external), problems)
