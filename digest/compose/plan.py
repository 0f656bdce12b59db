"""One story's briefing: rank the selected sentences and quotes, and fill its sections within a word budget.

``plan_story`` takes a story in steps, each in its own module: the story's context
(``context``: sentence ranks, names, weights, what items cost); one candidate per sentence
group and per quotation, each with its section (``candidates``); the headline and the
summary; where outlets disagree (``disagree``); the word budget spent on the rest
(``budget``); and the sections put in reading order. Every candidate's fate is kept as a
``Decision`` for ``digest explain``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Sequence


from digest.clean import furniture_line_reason
from digest.compose import actors, disagree
from digest.compose.budget import fill_sections
from digest.compose.candidates import (MIN_ITEM_WORDS, asks_a_question, ends_as_sentence, is_bare_attribution,
                                      is_embedded_post, is_quotation_piece, is_unanswered_request, opens_lower_case,
                                      quote_candidates, refers_to_the_page, sentence_candidate, without_bullet)
from digest.compose.context import Candidate, StoryContext
from digest.compose.headline import held_in, is_date_note
from digest.models import Disagreement, Selection, Story, StoryBrief
from digest.settings import Settings
from digest.select import is_cut_off
from digest.text import in_first_person, tokens, without_dateline

MAX_DISAGREEMENTS = 2
WORDS_PER_DISAGREEMENT = 400  # a second disagreement only from a budget of 800 words on


@dataclass(frozen=True, slots=True)
class Decision:
    """What happened to one sentence group or quotation, for ``digest explain``."""

    key: str
    section: str  # summary, key_facts, quotes, reactions, whats_next, or "" when dropped
    text: str
    sources: tuple[str, ...]
    members: tuple[tuple[str, str], ...]  # (article id, text)
    version_reason: str
    section_reason: str
    fate: str  # "kept", or why it was left out
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class StoryPlan:
    """A story's briefing and the decisions behind it."""

    brief: StoryBrief
    decisions: tuple[Decision, ...]
    headline_reason: str = ""
    principal_people: tuple[str, ...] = ()
    principal_places: tuple[str, ...] = ()


def plan_story(story: Story, selections: Sequence[Selection], settings: Settings, now: datetime) -> StoryPlan:
    """The briefing of one story and every decision taken to build it."""
    ctx = StoryContext(story, selections)
    candidates, decisions = _gather_candidates(ctx, selections)
    headline, headline_reason = ctx.headline()
    summary = ctx.summary_candidate([c for c in candidates if c.section != "quotes"])
    if summary is not None and held_in(headline, summary.item.text):
        # The headline was written from the summary's sentence: write it from another lede, if one reads so.
        headline, headline_reason = ctx.headline(avoid=summary.item.text)
    # Every item holding the headline goes, the summary too when no other lede makes a headline: a reader
    # would read the same sentence twice; the summary is then another lede.
    candidates = _drop_headline_repeats(candidates, headline, decisions)
    if summary not in candidates:
        summary = ctx.summary_candidate([c for c in candidates if c.section != "quotes"])
    budget = settings.words_per_story - ctx.header_cost(headline)
    if summary is not None:
        budget -= ctx.item_cost("summary", summary.item)
        summary.section = "summary"
    disagreements = _find_disagreements(ctx, settings.words_per_story)
    budget -= ctx.disagreements_cost(disagreements)
    fill = fill_sections(ctx, candidates, summary, disagreements, budget, settings.words_per_story)
    sections = _in_reading_order(ctx, fill.chosen)
    told = [headline] + ([summary.item.text] if summary is not None else [])
    sections["key_facts"] = names_introduced_first(sections["key_facts"], told)
    spelling = _one_spelling([c.item.speaker for c in sections["quotes"]] + [c.item.actor for c in sections["reactions"]],
                             [s for _, s in ctx.all_sentences()])
    for name in ("quotes", "reactions"):
        field = "speaker" if name == "quotes" else "actor"
        for c in sections[name]:
            shown = getattr(c.item, field)
            if spelling.get(shown, shown) != shown:
                c.item = replace(c.item, **{field: spelling[shown]})
    brief = StoryBrief(
        headline=headline,
        summary=summary.item.text if summary is not None else "",
        sources=tuple(a.article.id for a in story.articles),
        key_facts=tuple(c.item for c in sections["key_facts"]),
        quotes=tuple(c.item for c in sections["quotes"]),
        reactions=tuple(c.item for c in sections["reactions"]),
        whats_next=tuple(c.item for c in sections["whats_next"]),
        disagreements=tuple(disagreements),
        single_outlet=len(story.outlets) == 1,
    )
    for cand in candidates:
        fate = "kept" if cand is summary else fill.fates.get(cand.key, "")
        decisions.append(Decision(cand.key, cand.section if fate == "kept" else "", cand.item.text, cand.sources,
                                  cand.members, cand.version_reason, cand.section_reason, fate,
                                  round(cand.score, 3)))
    decisions.sort(key=lambda d: (d.fate != "kept", -d.score, d.key))
    return StoryPlan(brief, tuple(decisions), headline_reason,
                     tuple(sorted(ctx.principal_people)), tuple(sorted(ctx.principal_places)))


def _one_spelling(names: Sequence[str], texts: Sequence[str]) -> dict[str, str]:
    """Each name shown to the one spelling of it the story uses most, when the briefing shows it spelled in two
    cases ("Ecowas" as a speaker, "ECOWAS" as a reaction's party); ties go to the form in capitals."""
    heads = {name: name.split(" (")[0] for name in names}  # ("Taro Kono (Japan)": the name before its party)
    forms: dict[str, set[str]] = {}
    for head in heads.values():
        forms.setdefault(head.casefold(), set()).add(head)
    chosen: dict[str, str] = {}
    for key, spelled in forms.items():
        if len(spelled) > 1:
            chosen[key] = max(spelled, key=lambda f: (sum(t.count(f) for t in texts), sum(ch.isupper() for ch in f), f))
    return {name: name.replace(head, chosen[head.casefold()], 1) for name, head in heads.items() if head.casefold() in chosen}


def _gather_candidates(ctx: StoryContext, selections: Sequence[Selection]) -> tuple[list[Candidate], list[Decision]]:
    """A candidate per quotation and per sentence group that can be shown, priced; a decision for each that cannot."""
    quote_cands, consumed_by_quote = quote_candidates(ctx)
    candidates: list[Candidate] = list(quote_cands)
    decisions: list[Decision] = []
    # Only where the story's text is punctuated is an unended line a headline, link list or cut-off text; a
    # story written without full stops (a transcript, a feed that strips them) keeps its lines.
    punctuated = sum(ends_as_sentence(sel.chosen.text) for sel in selections) * 2 >= len(selections)
    for sel in selections:
        key = sel.cluster.id
        members = tuple((m.article_id, m.text) for m in sel.cluster.members)
        if key in consumed_by_quote:
            decisions.append(Decision(key, "", sel.chosen.text, sel.sources, members, sel.reason,
                                      "holds a direct quotation", f"shown as quote {consumed_by_quote[key]}"))
            continue
        refused = why_not_an_item(sel.chosen.text, punctuated)
        if refused:
            decisions.append(Decision(key, "", sel.chosen.text, sel.sources, members, sel.reason, "", refused))
            continue
        candidates.append(sentence_candidate(ctx, sel, members))
    for cand in candidates:
        cand.terms = ctx.vector(cand.item.text)  # content only: a speaker's name is not repeated content
        cand.cost = ctx.item_cost(cand.section, cand.item)
    return candidates, decisions


def why_not_an_item(text: str, punctuated: bool) -> str | None:
    """Why a sentence group's text can be no item of the briefing (too short, cut off, somebody's unattributed
    words ...), or None. ``punctuated``: the story's text ends its sentences, so an unended line is not one."""
    text = without_bullet(text)
    if len(tokens(text)) < MIN_ITEM_WORDS:
        return f"too short (under {MIN_ITEM_WORDS} words)"
    if punctuated and not ends_as_sentence(text):
        return "does not end as a sentence (a headline, link list, embedded post or cut-off text)"
    if is_cut_off(text):
        return "cut off on an ellipsis (a teaser or a truncated item): part of what it set out to say"
    if punctuated and opens_lower_case(without_dateline(text)):
        return "opens in lower case: a piece of a longer sentence"
    if is_quotation_piece(text):
        return "a piece of a longer quotation (its marks do not pair), not a fact"
    furniture = furniture_line_reason(text)
    if furniture:  # a caption glued to a paragraph's real text is split off with its sentence
        return f"page furniture ({furniture}), not a fact"
    if asks_a_question(text):
        return "a question of the writer's, not a fact"
    if in_first_person(without_dateline(text)):
        return "in the first person outside quotation marks: someone's words, not a fact"
    if is_bare_attribution(text):
        return "says only who spoke (a quotation's tail), not a fact"
    if refers_to_the_page(text):
        return "points at the page's video, pictures or links, which the briefing does not carry"
    if is_date_note(text):
        return "says only when and where a quotation was said (the note under it), not a fact"
    if is_embedded_post(text):
        return "an embedded social post (tags or handles), not a fact"
    if is_unanswered_request(text):
        return "says only that someone could not be reached for comment, not a fact"
    return None


def _drop_headline_repeats(candidates: list[Candidate], headline: str, decisions: list[Decision]) -> list[Candidate]:
    """The candidates without those that hold the headline word for word (the lede or quote it was written
    from): the reader has just read it. A title in other words than the body is no repeat."""
    kept = []
    for cand in candidates:
        if held_in(headline, cand.item.text):
            decisions.append(Decision(cand.key, "", cand.item.text, cand.sources, cand.members, cand.version_reason,
                                      cand.section_reason, "repeats the headline", round(cand.score, 3)))
            continue
        kept.append(cand)
    return kept


def _find_disagreements(ctx: StoryContext, words_per_story: int) -> list[Disagreement]:
    """Where the story's outlets disagree; a second disagreement only with a budget for it."""
    most = max(1, min(MAX_DISAGREEMENTS, words_per_story // WORDS_PER_DISAGREEMENT))
    return disagree.find_disagreements(ctx.all_sentences(), ctx.book.same, most)


def _in_reading_order(ctx: StoryContext, chosen: Sequence[Candidate]) -> dict[str, list[Candidate]]:
    """The chosen items by section: key facts and quotes what most outlets tell first (``ctx.reading_value``, ties
    in the order chosen); reactions grouped by party (the strongest party first), and what's next in date order."""
    sections: dict[str, list[Candidate]] = defaultdict(list)
    for cand in chosen:
        sections[cand.section].append(cand)
    for name in ("key_facts", "quotes"):
        sections[name].sort(key=lambda c: -ctx.reading_value(c))  # stable: equal values keep the order chosen
    reactions = sorted(sections["reactions"], key=lambda c: c.sort_key)
    party_rank: dict[str, int] = {}
    for c in sorted(reactions, key=lambda c: -c.score):
        party_rank.setdefault(c.sort_key[0], len(party_rank))
    reactions.sort(key=lambda c: (party_rank[c.sort_key[0]], -c.score))
    sections["reactions"] = reactions
    sections["whats_next"] = sorted(sections["whats_next"], key=lambda c: c.sort_key)
    return sections


def names_introduced_first(chosen: Sequence[Candidate], told: Sequence[str]) -> list[Candidate]:
    """``chosen`` in their order, except that an item naming a person by one name ("Matthew also faces ...")
    comes after the first item giving the full name ("... Jesse Matthew Jr., 34, who is charged ..."), unless
    ``told`` (the headline and summary, read before) gave it: a reader meets the full name first."""
    full_names, short_names = {}, {}
    for cand in chosen:
        full_names[cand.key], short_names[cand.key] = _people_named(cand.item.text)
    introduced: set[str] = set()
    for text in told:
        introduced |= set().union(*_people_named(text))
    remaining, ordered = list(chosen), []
    while remaining:
        pick = remaining[0]
        missing = short_names[pick.key] - introduced
        if missing:
            pick = next((c for c in remaining[1:] if full_names[c.key] & missing), pick)
        remaining.remove(pick)
        ordered.append(pick)
        introduced |= full_names[pick.key] | short_names[pick.key]
    return ordered


def _people_named(text: str) -> tuple[set[str], set[str]]:
    """The tokens of the people's names ``text`` gives in full, and the one names it gives alone ("Matthew"
    for "Jesse Matthew Jr."), folded: a one name is introduced by any full name holding it."""
    full, short = set(), set()
    for span in actors.name_spans(text):
        actor = actors.parse_actor(span)
        if actor is None or actor.kind != "person":
            continue
        written = actors.fold_name(actor.name).split()
        if len(written) >= 2:
            full.update(written)
        elif written:
            short.add(written[0])
    return full, short
