"""Each article's language, so that English rules brief English articles and other languages stay apart.

py3langid (a maintained fork of langid.py: a naive Bayes model over byte n-grams of 97 languages,
shipped with the package) names the language of the article's kept text. A call made on fewer
than ``MIN_WORDS`` words, or with a probability below ``MIN_CONFIDENCE``, is no call: such an
article is briefed as English, the language of the rules, rather than set apart on a guess
(on multinews-raw, a paragraph-level call below 0.9 is wrong far more often than right; see
bench/languages.py). A language stated by the source (feed, page, front matter) wins.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from digest.models import CleanArticle

ENGLISH = "en"
MIN_WORDS = 8
MIN_CONFIDENCE = 0.9
SAMPLE_CHARS = 2000  # the opening of the text is enough, and keeps the cost per article flat


@lru_cache(maxsize=1)
def _identifier():
    # Loading the model takes a moment; only a run that detects a language pays for it.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when the text is too short or the call too unsure."""
    sample = text[:SAMPLE_CHARS]
    if len(re.findall(r"\w+", sample)) < MIN_WORDS and not re.search(r"[^\x00-\u024f\s\d\W]", sample):
        return None
    code, probability = _identifier().classify(sample)
    return code if probability >= MIN_CONFIDENCE else None


def stated_language(tag: str | None) -> str | None:
    """The primary subtag of a language the source states ("en-GB" -> "en"), or None."""
    if not tag:
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def by_language(articles: Sequence[CleanArticle]) -> list[tuple[str, list[CleanArticle]]]:
    """Articles grouped by language, English (and articles of no known language) first, the others by code."""
    groups: dict[str, list[CleanArticle]] = {}
    for clean in articles:
        groups.setdefault(clean.article.language or ENGLISH, []).append(clean)
    return sorted(groups.items(), key=lambda item: (item[0] != ENGLISH, item[0]))


def language_notes(groups: Sequence[tuple[str, Sequence[CleanArticle]]]) -> tuple[str, ...]:
    """The run's message about articles in other languages than English, when there are any."""
    others = [(code, len(members)) for code, members in groups if code != ENGLISH]
    if not others:
        return ()
    counted = ", ".join(f"{n} in {code}" for code, n in others)
    total = sum(n for _, n in others)
    return (f"{total} article{'s' * (total != 1)} not in English ({counted}) kept out of the English stories "
            f"and briefed apart; the briefing rules are written for English",)
