"""Fuzzing the pipeline: for any text it returns a briefing or raises a user-facing error, never a bug.

StageError is how the pipeline reports an unexpected exception inside a stage, so it counts as a bug here.
The example budget is fixed for CI; bench/fuzz.sh runs the same properties for longer.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from digest.errors import DigestError, StageError
from digest.models import Article
from digest.pipeline import build_briefing
from digest.render import render_html, render_json, render_markdown
from digest.settings import Settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
NOW = datetime(2024, 5, 1, tzinfo=timezone.utc)
S = Settings()

sentence = st.one_of(
    st.text(min_size=0, max_size=300),
    st.lists(st.sampled_from(["The", "minister", "said", "“quoted", "words”", '"', "<b>", "{{", "}}", "[x](y)",
                              "on", "Tuesday", "3", "per", "cent", ".", ",", "\n\n", "Kim Jong-un", "agency"]),
             max_size=60).map(" ".join),
)
article_text = st.lists(sentence, min_size=1, max_size=8).map("\n\n".join)


@hsettings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article_text, min_size=1, max_size=4))
def test_fuzz_pipeline_returns_briefing_or_user_error(texts: list[str]) -> None:
    articles = [Article(id=f"a{i}", text=t, outlet=f"Outlet {i}") for i, t in enumerate(texts)]
    try:
        result = build_briefing(articles, S, NOW)
    except StageError:
        raise
    except DigestError:
        return
    # Every renderer accepts whatever the pipeline produced.
    render_markdown(result.briefing, S)
    render_html(result.briefing, S)
    render_json(result.briefing)
