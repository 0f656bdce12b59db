"""Small builders shared by the tests: inputs are made by hand in a line or two."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# CI explores a fixed set of examples so a run is reproducible; local runs and bench/fuzz.sh
# keep searching new random inputs (that is how the bugs pinned with @example were found).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

from digest.models import Article, CleanArticle, Paragraph
from digest.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


def make_article(text: str, *, id: str = "a1", outlet: str | None = "Example Times", **meta: str) -> Article:
    """An Article with ``text`` as its body (paragraphs separated by blank lines)."""
    return Article(id=id, text=text, outlet=outlet, **meta)


def make_clean(*paragraphs: str, id: str = "a1", outlet: str | None = "Example Times", **meta: str) -> CleanArticle:
    """A CleanArticle whose kept paragraphs are exactly ``paragraphs``."""
    article = make_article("\n\n".join(paragraphs), id=id, outlet=outlet, **meta)
    return CleanArticle(article, tuple(Paragraph(id, i, p) for i, p in enumerate(paragraphs)))


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture(autouse=True)
def user_places(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's state and cache directories (platformdirs reads XDG_*) point into a temporary
    folder: a test run outside a project folder never touches the real ones, nor shares state
    with another test."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    return home
