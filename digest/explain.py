"""The data of ``digest explain``: how a briefing was built, as plain structures (the CLI prints them).

For each story: how the headline was chosen, the principal actors (whose
statements are facts, not reactions), every sentence group and quotation with
its members and outlets, the version chosen and why, the section it went to
(or why it was left out), and every paragraph dropped as boilerplate or as
off-story, with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from digest import compose
from digest.pipeline import BuildResult
from digest.settings import Settings


@dataclass(frozen=True, slots=True)
class Member:
    outlet: str
    text: str


@dataclass(frozen=True, slots=True)
class ClusterExplanation:
    key: str
    section: str  # where it went; "" when it was left out
    fate: str  # "kept" or why it was left out
    chosen: str
    version_reason: str
    section_reason: str
    outlets: tuple[str, ...]
    members: tuple[Member, ...]
    score: float


@dataclass(frozen=True, slots=True)
class DroppedExplanation:
    outlet: str
    text: str
    reason: str
    stage: str


@dataclass(frozen=True, slots=True)
class StoryExplanation:
    headline: str
    headline_reason: str
    principal_people: tuple[str, ...]
    principal_places: tuple[str, ...]
    clusters: tuple[ClusterExplanation, ...]
    dropped: tuple[DroppedExplanation, ...]

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def explain_set_aside(build: BuildResult) -> list[DroppedExplanation]:
    """The articles that became no story (page furniture, stubs), with the reason, for ``digest explain``."""
    return [DroppedExplanation(s.article.article.outlet or s.article.article.id,
                               " ".join(p.text for p in (*s.article.paragraphs, *(d.paragraph for d in s.article.dropped)))[:300],
                               s.reason, "clean") for s in build.set_aside]


def explain_build(build: BuildResult, settings: Settings, now: datetime) -> list[StoryExplanation]:
    """Explain every story of a built briefing (re-running compose's planning, which is deterministic)."""
    outlet_of = {c.article.id: (c.article.outlet or c.article.id) for c in build.cleaned}
    explained = []
    for trace in build.stories:
        plan = compose.plan_story(trace.story, trace.selections, settings, now)
        clusters = tuple(
            ClusterExplanation(
                key=d.key,
                section=d.section,
                fate=d.fate,
                chosen=d.text,
                version_reason=d.version_reason,
                section_reason=d.section_reason,
                outlets=tuple(dict.fromkeys(outlet_of.get(s, s) for s in d.sources)),
                members=tuple(Member(outlet_of.get(aid, aid), text) for aid, text in d.members),
                score=d.score,
            )
            for d in plan.decisions
        )
        dropped = [
            DroppedExplanation(outlet_of.get(d.paragraph.article_id, d.paragraph.article_id), d.paragraph.text,
                               d.reason, d.stage)
            for a in trace.story.articles for d in a.dropped
        ] + [
            DroppedExplanation(outlet_of.get(d.paragraph.article_id, d.paragraph.article_id), d.paragraph.text,
                               d.reason, d.stage or "cluster")
            for d in trace.story.off_story
        ]
        explained.append(StoryExplanation(plan.brief.headline, plan.headline_reason, plan.principal_people,
                                          plan.principal_places, clusters, tuple(dropped)))
    return explained


def format_explanation(stories: list[StoryExplanation], width: int = 100,
                       set_aside: list[DroppedExplanation] | None = None, notes: tuple[str, ...] = ()) -> str:
    """Plain-text rendering of the explanation, for the terminal."""
    lines: list[str] = []

    def cut(text: str, n: int = width) -> str:
        return text if len(text) <= n else text[: n - 1] + "…"

    lines += [f"NOTE: {note}" for note in notes]
    if set_aside:
        lines.append("LEFT OUT OF EVERY STORY:")
        lines += [f"  - {d.outlet} ({d.reason}): {cut(d.text, width - 30)}" for d in set_aside]
    if notes or set_aside:
        lines.append("")

    for n, story in enumerate(stories, 1):
        lines.append(f"STORY {n}: {story.headline}")
        lines.append(f"  headline: {story.headline_reason}")
        lines.append(f"  principal actors (their statements are facts, not reactions): "
                     f"{', '.join(story.principal_people + story.principal_places) or 'none'}")
        lines.append("")
        for c in story.clusters:
            where = c.section if c.fate == "kept" else f"left out: {c.fate}"
            lines.append(f"  [{c.key}] -> {where}   (score {c.score}, outlets: {', '.join(c.outlets)})")
            lines.append(f"    chosen: {cut(c.chosen)}")
            lines.append(f"    why this version: {c.version_reason}")
            if c.section_reason:
                lines.append(f"    why this section: {c.section_reason}")
            if len(c.members) > 1:
                for m in c.members:
                    lines.append(f"      - {m.outlet}: {cut(m.text, width - 10)}")
        if story.dropped:
            lines.append("")
            lines.append("  dropped paragraphs:")
            for d in story.dropped:
                lines.append(f"    - {d.outlet} ({d.stage}: {d.reason}): {cut(d.text, width - 30)}")
        lines.append("")
    return "\n".join(lines)
