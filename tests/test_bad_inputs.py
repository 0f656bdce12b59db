"""Bad, hostile and broken input: every small case of the corpus keeps the tool's promises."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bad_inputs.cases import CASES, NOTHING_USABLE, REASONS, SLOW
from bad_inputs.harness import run_case


@pytest.mark.parametrize("name", sorted(set(CASES) - SLOW))
def test_bad_input_case_keeps_promises(name: str, tmp_path: Path) -> None:
    if name == "unreadable" and os.geteuid() == 0:
        pytest.skip("root reads files whatever their permissions")
    result = run_case(name, tmp_path, expect_failure=name in NOTHING_USABLE, reasons=REASONS.get(name, ()))
    assert result.problems == []
    assert result.outputs_lost == 0
    assert result.external_requests == 0
    assert result.completed == (name not in NOTHING_USABLE)
