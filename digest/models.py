"""The plain data that flows through the pipeline.

ingest -> Article; clean -> CleanArticle; cluster -> Story, Cluster;
select -> Selection; compose -> Briefing (StoryBrief and its items).
Every class is a frozen, slotted dataclass with ``to_dict``/``from_dict`` so a
stage's output can be written, read back and compared in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, asdict
from typing import Any, TypeVar

SCHEMA = "digest/1"

T = TypeVar("T")


class _Dict:
    """``to_dict``/``from_dict`` for flat dataclasses (nested ones override)."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})


# --- ingest ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Article(_Dict):
    """One article as read from a file, feed or page, before cleaning.

    ``text`` is the body with paragraphs separated by blank lines; metadata
    lines found in the body (dates, titles) are already removed from it.
    ``published`` is an ISO-8601 date or date-time string when known.
    """

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    path: str | None = None
    author: str | None = None
    language: str | None = None


# --- clean ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph(_Dict):
    """A paragraph of an article; ``position`` is its index in the article body."""

    article_id: str
    position: int
    text: str


@dataclass(frozen=True, slots=True)
class Dropped(_Dict):
    """A paragraph removed by a stage, with the reason a user can audit."""

    paragraph: Paragraph
    reason: str
    stage: str = "clean"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Dropped":
        return cls(Paragraph.from_dict(data["paragraph"]), data["reason"], data.get("stage", "clean"))


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article with its body split into kept and dropped paragraphs.

    ``headings`` are the article's own subheadings: part of its body, not
    boilerplate, but no stage after clean uses them as content.
    """

    article: Article
    paragraphs: tuple[Paragraph, ...]
    dropped: tuple[Dropped, ...] = ()
    headings: tuple[Paragraph, ...] = ()


# --- cluster --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one story; ``off_story`` are paragraphs dropped as unrelated."""

    id: str
    articles: tuple[CleanArticle, ...]
    off_story: tuple[Dropped, ...] = ()

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for a in self.articles for p in a.paragraphs)

    @property
    def outlets(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for a in self.articles:
            seen.setdefault(a.article.outlet or a.article.id, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Cluster:
    """Near-duplicate paragraphs (or sentences) carried by one or more articles."""

    id: str
    members: tuple[Paragraph, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.article_id for m in self.members))


# --- select ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Selection:
    """The version of a cluster kept for the briefing, and every source carrying it."""

    cluster: Cluster
    chosen: Paragraph
    sources: tuple[str, ...]
    reason: str = ""


# --- compose: the briefing ------------------------------------------------

# What the views show of a story carried by very many sources (compose counts the same words):
# at most MARKERS_SHOWN source markers after an item ("[1] [4] [9] [12] [20] +31 more"), one per
# outlet first, and at most OUTLETS_NAMED outlets in a story's "Reported by" line ("... and 79 more").
# The sources list holds the sources some marker points to; the JSON view keeps every source.
MARKERS_SHOWN = 5
OUTLETS_NAMED = 8


@dataclass(frozen=True, slots=True)
class SourceRef(_Dict):
    """A source as listed in the briefing (one per article)."""

    id: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class Fact(_Dict):
    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote(_Dict):
    """A direct quotation: ``text`` is the quoted words, ``context`` the sentence around them.

    ``in_sentence``: the quoted words are a phrase inside reported speech ("warned that the US
    “will not hesitate” to ..."), so ``text`` is the whole sentence an outlet printed, marks included.
    """

    text: str
    speaker: str
    context: str = ""
    sources: tuple[str, ...] = ()
    role: str | None = None
    in_sentence: bool = False
    # When outlets name different speakers: each of them with the articles naming it (``speaker`` is the one
    # named most explicitly). Empty when they agree. A disagreement of the story, shown with the quote.
    attributions: tuple[Attribution, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Quote":
        names = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in names}
        kwargs["attributions"] = tuple(Attribution(a["speaker"], tuple(a.get("sources", ())))
                                       for a in data.get("attributions", ()))
        return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class Attribution(_Dict):
    """One speaker some outlets give for a quotation, and those outlets' articles."""

    speaker: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reaction(_Dict):
    actor: str
    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NextEvent(_Dict):
    """An announced future event; ``when`` as the text says it, ``date`` resolved (ISO) if known."""

    text: str
    when: str | None = None
    sources: tuple[str, ...] = ()
    date: str | None = None


@dataclass(frozen=True, slots=True)
class Version(_Dict):
    text: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Disagreement:
    topic: str
    versions: tuple[Version, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "versions": [v.to_dict() for v in self.versions]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Disagreement":
        return cls(data["topic"], tuple(Version.from_dict(v) for v in data["versions"]))


_SECTIONS = {
    "key_facts": Fact,
    "quotes": Quote,
    "reactions": Reaction,
    "whats_next": NextEvent,
    "disagreements": Disagreement,
}


@dataclass(frozen=True, slots=True)
class StoryBrief:
    """The briefing of one story: the sections a reader sees."""

    headline: str
    summary: str
    sources: tuple[str, ...]
    key_facts: tuple[Fact, ...] = ()
    quotes: tuple[Quote, ...] = ()
    reactions: tuple[Reaction, ...] = ()
    whats_next: tuple[NextEvent, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    single_outlet: bool = False
    updated: bool = False

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "headline": self.headline,
            "summary": self.summary,
            "sources": list(self.sources),
        }
        for name in _SECTIONS:
            data[name] = [_listify(item.to_dict()) for item in getattr(self, name)]
        data["single_outlet"] = self.single_outlet
        data["updated"] = self.updated
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "StoryBrief":
        kwargs: dict[str, Any] = {
            name: tuple(_tuplify_sources(kind.from_dict(item)) for item in data.get(name, []))
            for name, kind in _SECTIONS.items()
        }
        return cls(
            headline=data["headline"],
            summary=data["summary"],
            sources=tuple(data["sources"]),
            single_outlet=data.get("single_outlet", False),
            updated=data.get("updated", False),
            **kwargs,
        )

    def items(self) -> list[Any]:
        """Every item of every section, in reading order."""
        return [item for name in _SECTIONS for item in getattr(self, name)]


@dataclass(frozen=True, slots=True)
class Briefing:
    """The whole digest; Markdown, HTML, PDF and JSON are views of it."""

    title: str
    generated_at: str
    sources: tuple[SourceRef, ...]
    stories: tuple[StoryBrief, ...]
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "generated_at": self.generated_at,
            "title": self.title,
            "sources": [s.to_dict() for s in self.sources],
            "stories": [s.to_dict() for s in self.stories],
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Briefing":
        return cls(
            title=data["title"],
            generated_at=data["generated_at"],
            sources=tuple(SourceRef.from_dict(s) for s in data["sources"]),
            stories=tuple(StoryBrief.from_dict(s) for s in data["stories"]),
            notes=tuple(data.get("notes", ())),
        )

    def source(self, source_id: str) -> SourceRef | None:
        return next((s for s in self.sources if s.id == source_id), None)


def _listify(data: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def _tuplify_sources(item: Any) -> Any:
    # from_dict receives JSON lists; the frozen models hold tuples so that they hash.
    if hasattr(item, "sources") and isinstance(item.sources, list):
        object.__setattr__(item, "sources", tuple(item.sources))
    if isinstance(item, Disagreement):
        for v in item.versions:
            object.__setattr__(v, "sources", tuple(v.sources))
    return item


# --- the quote bank (``digest quotes``) ------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteSource(_Dict):
    """One article carrying a quotation: where it is, and how that outlet words and attributes it."""

    path: str | None
    url: str | None
    outlet: str | None
    text: str
    speaker: str | None
    rule: str
    article_id: str = ""
    context: str = ""  # the sentence(s) this source prints the quote in


@dataclass(frozen=True, slots=True)
class QuoteEntry:
    """A quotation of the quote bank, once however many outlets print it.

    ``speaker`` is None when no outlet names who said it; ``speakers`` lists every speaker the
    outlets name when they disagree (``disagreement``); ``path``/``url``/``outlet`` are those
    of the source whose attribution was taken.
    """

    text: str
    speaker: str | None
    role: str | None
    context: str
    path: str | None
    url: str | None
    outlet: str | None
    rule: str
    sources: tuple[QuoteSource, ...]
    speakers: tuple[str, ...] = ()
    disagreement: bool = False

    def to_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["sources"] = [s.to_dict() for s in self.sources]
        data["speakers"] = list(self.speakers)
        return data
