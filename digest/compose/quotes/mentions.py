"""The records of the quote stage: a quotation found in an article (``QuoteMention``), a name seen (``_Mention``), a speech cue (``_Cue``)."""

from __future__ import annotations

from dataclasses import dataclass

from digest.compose.actors import Actor


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """One quotation in one article: the quoted words, who said them and how that was decided."""

    article_id: str
    position: int
    text: str
    speaker: str
    context: str
    rule: str
    role: str | None = None
    kind: str = "person"


@dataclass(slots=True)
class _Mention:
    """A name in the article (outside quotes), where it is, and whether it is a sentence's subject."""

    sentence: int
    offset: tuple[int, int]  # (paragraph index, character) for ordering
    actor: Actor
    key: str
    subject: bool
    role: str


@dataclass(slots=True)
class _Cue:
    """A speech cue found for a quote: the noun phrase naming the speaker and the rule that found it."""

    np: str
    rule: str
    at_participle: bool = False  # a name right before the participle ("footage of Jo Roe asking"): exact
