"""One story's briefing: rank the selected sentences and quotes, and fill its sections within a word budget.

Ranking. A candidate's importance is ``0.5 * support + 0.3 * centrality + 0.2 * lede``:
*support* is the number of distinct outlets carrying it (wire copy printed by
several articles of one outlet counts once) over the story's outlets;
*centrality* is the cosine between its terms and the story's centroid (IDF
weighted, every sentence of every article counted, so what many articles say
weighs more); *lede* is 1 / (1 + the sentence's index in its article).
A sentence with a spelling no other sentence of the story shares (a typo), and
a key fact that opens by referring to a sentence the reader has not seen
("This ...", "But he ...", "denied those claims"), lose half their importance.

Sections. Each sentence group goes to exactly one section:
a group holding a direct quotation belongs to that quotation (``quotes``);
an announced future event goes to ``whats_next`` (a threat by a third party is
a reaction); a statement or action whose actor is not one of the story's
principal actors (people and countries named in most ledes) is a ``reaction``;
anything else is a ``key_fact``. The top lede becomes the summary.

Filling. Candidates are ranked by value per word: only the centrality and
lede part of the importance is divided by an item's length beyond a typical
item, so an item carried by more outlets is never overtaken by a single-outlet
one merely for being longer; flawed items (a typo, a back-reference, a quoted
fragment) come after every sound one. Cover before elaborating: sections are
first filled up to ``SECTION_MINIMUM`` items each (lowered evenly when even the
cheapest items cannot meet it, or covering gets stuck), the best owed item of any section first; each
pick may spend a fair share of the budget left for the picks still owed (more
for items several outlets carry) and must leave room for the cheapest items
still owed. Then the rest of the budget goes to the best remaining candidates,
and finally an item left out for want of words replaces the weakest item of its
section when it ranks higher and the words freed suffice. Section maxima grow
with the budget; a second disagreement needs a budget of 800.

Budget. ``words_per_story`` counts what the reader reads of the story in the
Markdown briefing, split on whitespace: the story header (rule, headline,
"Reported by" line with its outlet names and markers), the summary, each
section heading, and each item with its bullet, labels, speaker, date, source
markers and "n of m outlets" note.

A candidate is skipped when it repeats what is already in
the briefing (MMR-style: its IDF-weighted cosine with any chosen item is at
least ``REDUNDANT``), or when less than ``NOVELTY_MIN`` of its IDF-weighted
terms are new to the briefing, so no piece of content appears twice anywhere.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Sequence

from rapidfuzz import fuzz

from digest.compose import actors, disagree, events, quotes
from digest.models import (
    Fact, NextEvent, Paragraph, Quote, Reaction, Selection, Story, StoryBrief,
)
from digest.select import (
    MAX_SENTENCE_WORDS, choose_version, key_terms, misspellings, opens_with_reference, story_vocabulary,
)
from digest.settings import Settings
from digest.text import normalise, split_sentences, tokens

# Dict order is the round-robin order: announced events first, so that an event told in a
# quote ("X invited Y to visit at a convenient time") is shown as the event.
SECTION_MINIMUM = {"whats_next": 3, "reactions": 3, "key_facts": 4, "quotes": 4}
TYPICAL_ITEM_WORDS = 28
# Whitespace-separated tokens the Markdown briefing adds around items (see templates/briefing.md.j2).
HEADING_TOKENS = {"key_facts": 3, "quotes": 2, "reactions": 2, "whats_next": 3, "disagreements": 4}
SUPPORT_NOTE_TOKENS = 5  # " · *3 of 5 outlets*" after an item carried by several outlets
SECTION_MAXIMUM = {"key_facts": 8, "quotes": 6, "reactions": 5, "whats_next": 5}
REDUNDANT = 0.4
# Importance = support (outlets), centrality (cosine to the story centroid), lede (1 / (1 + sentence index)).
WEIGHTS = (0.5, 0.3, 0.2)
REDUNDANT_EVENTS = 0.25
NOVELTY_MIN = 0.4  # a second item must add information the briefing does not carry yet
MIN_ITEM_WORDS = 6
FLAW_FACTOR = 0.5  # importance kept by a sentence with a typo, or a key fact opening with a back-reference
MAX_DISAGREEMENTS = 2
WORDS_PER_DISAGREEMENT = 400  # a second disagreement only from a budget of 800 words on

_ACTION_VERBS = (
    r"said|says|warned|warns|urged|urges|accused|accuses|expressed|condemned|condemns|criticised|criticized|"
    r"called|welcomed|threatened|vowed|claimed|claims|denied|imposed|announced|demanded|rejected|praised|voiced|"
    r"insisted|added|told|stated|raised|pledged|promised|described|dismissed"
)
_SUBJECT = re.compile(
    rf"^(?P<np>[^\"“”]{{1,140}}?)\s+(?:(?:has|have|had|also|already|again|repeatedly|on \w+|in response|earlier)\s+)*"
    rf"(?P<verb>{_ACTION_VERBS})\b"
)
_TRAILING_ATTRIBUTION = re.compile(
    r",\s*(?P<np>[^,\"“”]{2,80}(?:,[^,\"“”]{2,80},)?)\s+(?:said|says|told [\w ]{2,20}|added|warned|reported)"
    r"(?:\s+[\w’'-]+){0,5}\.?$"
)
_WITH_SAYING = re.compile(r"\bwith (?P<np>[^,\"“”]{2,60}?) saying\b")


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


@dataclass(slots=True)
class _Candidate:
    key: str
    section: str
    item: Any
    shown: str  # the words the reader sees (for the budget and for redundancy)
    sources: tuple[str, ...]
    score: float
    members: tuple[tuple[str, str], ...]
    version_reason: str
    section_reason: str
    sort_key: tuple = ()
    terms: dict[str, float] = field(default_factory=dict)
    cost: int = 0  # whitespace tokens the item takes in the rendered briefing
    factor: float = 1.0  # share of its importance a flawed item keeps (typo, back-reference)


def plan_story(story: Story, selections: Sequence[Selection], settings: Settings, now: datetime) -> StoryPlan:
    """The briefing of one story and every decision taken to build it."""
    ctx = _StoryContext(story, selections)
    quote_cands, consumed_by_quote = _quote_candidates(ctx)
    candidates: list[_Candidate] = list(quote_cands)
    decisions: list[Decision] = []
    for sel in selections:
        key = sel.cluster.id
        members = tuple((m.article_id, m.text) for m in sel.cluster.members)
        if key in consumed_by_quote:
            decisions.append(Decision(key, "", sel.chosen.text, sel.sources, members, sel.reason,
                                      "holds a direct quotation", f"shown as quote {consumed_by_quote[key]}"))
            continue
        if len(tokens(sel.chosen.text)) < MIN_ITEM_WORDS:
            decisions.append(Decision(key, "", sel.chosen.text, sel.sources, members, sel.reason, "",
                                      f"too short (under {MIN_ITEM_WORDS} words)"))
            continue
        candidates.append(_sentence_candidate(ctx, sel, members))
    for cand in candidates:
        cand.terms = ctx.vector(cand.item.text)  # content only: a speaker's name is not repeated content
        cand.cost = ctx.item_cost(cand.section, cand.item)

    # Headline and summary.
    headline, headline_reason = ctx.headline()
    summary_cand = ctx.summary_candidate([c for c in candidates if c.section != "quotes"])
    chosen: list[_Candidate] = []
    budget = settings.words_per_story - ctx.header_cost(headline)
    summary = ""
    if summary_cand is not None:
        summary = summary_cand.item.text
        budget -= ctx.item_cost("summary", summary_cand.item)
        summary_cand.section = "summary"
        chosen.append(summary_cand)

    most = max(1, min(MAX_DISAGREEMENTS, settings.words_per_story // WORDS_PER_DISAGREEMENT))
    disagreements = disagree.find_disagreements(ctx.all_sentences(), ctx.book.same, most)
    if disagreements:
        budget -= HEADING_TOKENS["disagreements"]
    for d in disagreements:
        budget -= _tokens(d.topic) + sum(1 + _tokens(v.text) + ctx.marker_cost(v.sources, True) for v in d.versions)

    fates: dict[str, str] = {}
    covered: dict[str, float] = {}  # terms already in the briefing (summary and disagreements included)
    for c in chosen:
        covered.update(c.terms)
    for d in disagreements:
        covered.update(ctx.vector(" ".join([d.topic] + [v.text for v in d.versions])))
    base_covered = dict(covered)
    # Cost-aware order: a long item must be worth its words (value per word beyond a typical item).
    # Flawed items (a typo, a back-reference) come after every sound one: taken only when nothing else remains.
    pool = sorted((c for c in candidates if c is not summary_cand), key=lambda c: (c.factor < 1, -ctx.value(c), c.key))
    counts: Counter[str] = Counter()
    # A larger budget buys more of each section, in proportion.
    scale = max(1.0, settings.words_per_story / 450)
    section_maximum = {name: int(n * scale) for name, n in SECTION_MAXIMUM.items()}

    by_cost = {section: sorted((c for c in pool if c.section == section), key=lambda c: c.cost)
               for section in SECTION_MINIMUM}

    def reserve_after(taken: _Candidate | None) -> int:
        """Tokens the picks still owed after ``taken`` need at the least: the cheapest open items of each section
        (for quotes, of each voice not heard yet, as covering takes one quote per speaker)."""
        needed = 0
        taken_section = taken.section if taken is not None else ""
        voiced = {c.item.speaker for c in chosen + ([taken] if taken else []) if c.section == "quotes"}
        for section, minimum in target.items():
            owed = minimum - counts[section] - (1 if taken_section == section else 0)
            if owed <= 0:
                continue
            found = 0
            speakers: set[str] = set()
            for c in by_cost[section]:  # cheapest first: stop as soon as the owed picks are priced
                if c is taken or c.key in fates:
                    continue
                if section == "quotes":
                    if c.item.speaker in voiced or c.item.speaker in speakers:
                        continue
                    speakers.add(c.item.speaker)
                needed += c.cost
                found += 1
                if found == owed:
                    break
            if found and not counts[section] and taken_section != section:
                needed += HEADING_TOKENS[section]
        return needed

    def try_take(cand: _Candidate, covering: bool = False, limit: float = float("inf")) -> bool:
        nonlocal budget
        if cand.key in fates:
            return False
        if covering and cand.section == "quotes" and any(
                c.section == "quotes" and c.item.speaker == cand.item.speaker for c in chosen):
            return False  # cover more voices before a second quote by one speaker
        if counts[cand.section] >= section_maximum[cand.section]:
            return False
        similar = max(chosen, key=lambda c: _cosine(cand.terms, c.terms) - _threshold(cand, c), default=None)
        if similar is not None and _cosine(cand.terms, similar.terms) >= _threshold(cand, similar):
            fates[cand.key] = f"redundant with: {similar.shown[:70]}"
            return False
        novelty = _novelty(cand.terms, covered)
        if novelty < NOVELTY_MIN:
            fates[cand.key] = f"adds too little ({novelty:.0%} new) to what is already in the briefing"
            return False
        cost = cand.cost + (HEADING_TOKENS[cand.section] if not counts[cand.section] else 0)
        # The fair share grows with the outlets carrying the item: what many outlets report is worth more words;
        # but a pick may not leave too little for the cheapest items each section is still owed.
        if cost > budget or cost > limit * (1 + 0.5 * (ctx.support(cand.sources) - 1)):
            return False
        if covering and cost > budget - reserve_after(cand):
            return False
        budget -= cost
        covered.update(cand.terms)
        chosen.append(cand)
        counts[cand.section] += 1
        fates[cand.key] = "kept"
        return True

    # Cover before elaborating: every section up to its minimum, the best owed item first.
    # Each pick may spend a fair share of what is left for the picks still owed (with some slack, more
    # for items many outlets carry), and must leave enough for the cheapest items still owed,
    # so that long items cannot crowd a section out.
    # When even the cheapest items cannot meet the minimums, they are lowered evenly (at most n per section),
    # so that a small budget still covers every section before elaborating any.
    level = max(SECTION_MINIMUM.values())
    target = {s: min(level, m) for s, m in SECTION_MINIMUM.items()}
    while level > 1 and reserve_after(None) > budget:
        level -= 1
        target = {s: min(level, m) for s, m in SECTION_MINIMUM.items()}
    while True:
        owed = sum(max(0, m - counts[s]) for s, m in target.items())
        if not owed:
            break
        limit = max(TYPICAL_ITEM_WORDS, 1.5 * budget / owed)
        # The best item of any section still owed picks, so strong items are in first.
        if any(counts[c.section] < target[c.section] and c.key not in fates and try_take(c, True, limit)
               for c in pool):
            continue
        if level <= 1:
            break
        level -= 1  # stuck (items left out as redundant, or too long): ask for one item less per section
        target = {s: min(level, m) for s, m in SECTION_MINIMUM.items()}
    for cand in pool:
        if cand.key not in fates:
            try_take(cand)

    # Trade up: an item left out for want of words replaces the weakest item of its section (a flawed one
    # first) when it ranks higher and the words that frees are enough.
    rank_of = {c.key: n for n, c in enumerate(pool)}
    for cand in pool:
        if cand.key in fates:
            continue
        mates = [c for c in chosen if c.section == cand.section and c is not summary_cand
                 and rank_of[c.key] > rank_of[cand.key] and budget + c.cost >= cand.cost]
        if not mates:
            continue
        weakest = max(mates, key=lambda c: rank_of[c.key])
        others = [c for c in chosen if c is not weakest]
        if any(_cosine(cand.terms, c.terms) >= _threshold(cand, c) for c in others):
            continue
        still_covered = dict(base_covered)
        for c in others:
            still_covered.update(c.terms)
        if _novelty(cand.terms, still_covered) < NOVELTY_MIN:
            continue
        chosen[chosen.index(weakest)] = cand
        budget += weakest.cost - cand.cost
        covered.clear()
        covered.update(still_covered)
        covered.update(cand.terms)
        fates[weakest.key] = f"replaced by a stronger item: {cand.shown[:60]}"
        fates[cand.key] = "kept"
    for cand in pool:
        fates.setdefault(cand.key, "over the word budget or section full")

    by_section: dict[str, list[_Candidate]] = defaultdict(list)
    for cand in chosen:
        by_section[cand.section].append(cand)
    reactions = sorted(by_section["reactions"], key=lambda c: c.sort_key)
    party_rank: dict[str, int] = {}
    for c in sorted(reactions, key=lambda c: -c.score):
        party_rank.setdefault(c.sort_key[0], len(party_rank))
    reactions.sort(key=lambda c: (party_rank[c.sort_key[0]], -c.score))
    upcoming = sorted(by_section["whats_next"], key=lambda c: c.sort_key)

    brief = StoryBrief(
        headline=headline,
        summary=summary,
        sources=tuple(a.article.id for a in story.articles),
        key_facts=tuple(c.item for c in by_section["key_facts"]),
        quotes=tuple(c.item for c in by_section["quotes"]),
        reactions=tuple(c.item for c in reactions),
        whats_next=tuple(c.item for c in upcoming),
        disagreements=tuple(disagreements),
        single_outlet=len(story.outlets) == 1,
    )
    for cand in candidates:
        section = "summary" if cand is summary_cand else cand.section
        fate = "kept" if cand is summary_cand else fates.get(cand.key, "")
        decisions.append(Decision(cand.key, section if fate == "kept" else "", cand.item.text, cand.sources, cand.members,
                                  cand.version_reason, cand.section_reason, fate, round(cand.score, 3)))
    decisions.sort(key=lambda d: (d.fate != "kept", -d.score, d.key))
    return StoryPlan(brief, tuple(decisions), headline_reason,
                     tuple(sorted(ctx.principal_people)), tuple(sorted(ctx.principal_places)))


# --- the story's context: ranks, names, weights ------------------------------------------


class _StoryContext:
    def __init__(self, story: Story, selections: Sequence[Selection]) -> None:
        self.story = story
        self.selections = selections
        self.outlet = {a.article.id: (a.article.outlet or a.article.id) for a in story.articles}
        self.published = {a.article.id: events.parse_published(a.article.published) for a in story.articles}
        self.rank: dict[tuple[str, int, str], int] = {}
        self.sentences_by_article: dict[str, list[str]] = {}
        for clean in story.articles:
            index = 0
            texts = []
            for p in sorted(clean.paragraphs, key=lambda p: p.position):
                for sentence in split_sentences(p.text):
                    if len(tokens(sentence)) > MAX_SENTENCE_WORDS:
                        continue
                    self.rank[(p.article_id, p.position, sentence)] = index
                    texts.append(sentence)
                    index += 1
            self.sentences_by_article[clean.article.id] = texts
        titles = [a.article.title for a in story.articles if a.article.title]
        self.book = actors.NameBook([p.text for p in story.paragraphs] + titles)
        self.leads = titles + [s[0] for s in self.sentences_by_article.values() if s]
        people, places = actors.principal_actors(self.leads, self.book)
        self.principal_people, self.principal_places = people, places
        # IDF over the story's sentences; the centroid counts every sentence of every article.
        all_terms = [key_terms(s) for texts in self.sentences_by_article.values() for s in texts]
        df: Counter[str] = Counter()
        for terms in all_terms:
            df.update(terms)
        n = max(len(all_terms), 1)
        self.idf = {t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items()}
        centroid: Counter[str] = Counter()
        for terms in all_terms:
            for t in terms:
                centroid[t] += self.idf[t]
        self.centroid = dict(centroid)
        self.n_outlets = max(len(set(self.outlet.values())), 1)
        self.vocabulary = story_vocabulary(s for texts in self.sentences_by_article.values() for s in texts)

    def vector(self, text: str) -> dict[str, float]:
        return {t: self.idf.get(t, 1.0) for t in key_terms(text)}

    def marker_cost(self, sources: Sequence[str], with_note: bool) -> int:
        """Tokens of an item's source markers, and of its "n of m outlets" note where the template shows one."""
        note = with_note and self.n_outlets > 1 and self.support(sources) > 1
        return len(set(sources)) + (SUPPORT_NOTE_TOKENS if note else 0)

    def header_cost(self, headline: str) -> int:
        """Tokens of the story's header: rule, headline, and the "Reported by N outlets: A [1], B [2]" line."""
        outlets = {self.outlet[a.article.id] for a in self.story.articles}
        single = 3 if len(outlets) == 1 else 0  # "**Single source** ·"
        return 2 + _tokens(headline) + single + 4 + sum(_tokens(o) + 1 for o in outlets)

    def item_cost(self, section: str, item: Any) -> int:
        """Tokens ``item`` takes in the rendered briefing of ``section``."""
        if section == "summary":
            return _tokens(item.text)
        if section == "quotes":  # > “text” / > / > — **Speaker**, role [1] [2] · *2 of 5 outlets*
            return (_tokens(item.text) + 4 + _tokens(item.speaker) + _tokens(item.role or "")
                    + self.marker_cost(item.sources, True))
        if section == "reactions":  # - **Actor:** text [1]
            return 1 + _tokens(item.actor) + _tokens(item.text) + self.marker_cost(item.sources, False)
        if section == "whats_next":  # - **14 Sep 2023** (on Thursday): text [1]
            when = (3 if item.date and len(item.date) == 10 else 1) if item.date else 0
            if item.when and item.when != item.date:
                when += _tokens(item.when)
            return 1 + when + _tokens(item.text) + self.marker_cost(item.sources, False)
        return 1 + _tokens(item.text) + self.marker_cost(item.sources, True)

    def value(self, cand: _Candidate) -> float:
        """Importance per token for the greedy fill: the support part is not divided by length, so more outlets
        always count; the centrality and lede part is, beyond a typical item's length."""
        support = WEIGHTS[0] * self.support(cand.sources) / self.n_outlets
        rest = max(cand.score / cand.factor - support, 0.0)
        return cand.factor * (support + rest * min(1.0, TYPICAL_ITEM_WORDS / max(cand.cost, 1)))

    def centrality(self, text: str) -> float:
        return _cosine(self.vector(text), self.centroid)

    def support(self, sources: Sequence[str]) -> int:
        return len({self.outlet.get(s, s) for s in sources})

    def score(self, text: str, sources: Sequence[str], best_rank: int) -> float:
        return (WEIGHTS[0] * self.support(sources) / self.n_outlets + WEIGHTS[1] * self.centrality(text)
                + WEIGHTS[2] / (1 + best_rank))

    def best_rank(self, members: Sequence[Paragraph]) -> int:
        return min((self.rank.get((m.article_id, m.position, m.text), 99) for m in members), default=99)

    def date_for(self, sources: Sequence[str]) -> tuple[date | None, str]:
        """The publication date to resolve relative times against, and where it came from."""
        for s in sources:
            if self.published.get(s):
                return self.published[s], f"publication date of {self.outlet.get(s, s)}"
        dated = sorted(d for d in self.published.values() if d)
        if dated and dated[-1] - dated[0] <= timedelta(days=2):
            return dated[-1], "story's publication date (same-day coverage)"
        return None, "no publication date known"

    def all_sentences(self) -> list[tuple[str, str]]:
        return [(aid, s) for aid, texts in self.sentences_by_article.items() for s in texts]

    def headline(self) -> tuple[str, str]:
        """The most widely shared title (most similar to the other titles and ledes), else the top lede's clause."""
        titles = [(a.article.id, a.article.title.strip()) for a in self.story.articles if a.article.title]
        titles = [(aid, t) for aid, t in titles if 4 <= len(tokens(t)) <= 25 and len(t.split(" / ")) < 3]
        vectors = [self.vector(t) for t in self.leads]
        best: tuple[float, str, str] | None = None
        for aid, title in titles:
            mine = self.vector(title)
            shared = sum(_cosine(mine, v) for v in vectors) - 1.0
            if best is None or shared > best[0]:
                best = (shared, title, aid)
        if best is not None and best[0] > 0:
            return _tidy_title(best[1]), f"title of {self.outlet.get(best[2], best[2])}, closest to the other titles and ledes"
        ledes = [s[0] for s in self.sentences_by_article.values() if s]
        if not ledes:
            return self.story.id, "no title or lede"
        lede = max(ledes, key=lambda s: (sum(_cosine(self.vector(s), v) for v in vectors), -len(s)))
        return _headline_from_sentence(lede), "first clause of the most widely shared lede (no usable title)"

    def summary_candidate(self, candidates: Sequence[_Candidate]) -> _Candidate | None:
        ledes = [c for c in candidates if c.sort_key and c.sort_key[-1] <= 1 and c.section in ("key_facts", "whats_next")]
        clean = [c for c in ledes if not opens_with_reference(c.item.text) and not misspellings(c.item.text, self.vocabulary)]
        pool = clean or ledes or list(candidates)
        if not pool:
            return None
        return max(pool, key=lambda c: (self.support(c.sources), c.score, c.key))


# --- candidates -------------------------------------------------------------------------


def _sentence_candidate(ctx: _StoryContext, sel: Selection, members: tuple[tuple[str, str], ...]) -> _Candidate:
    text = sel.chosen.text
    rank = ctx.best_rank(sel.cluster.members)
    score = ctx.score(text, sel.sources, rank)
    typos = misspellings(text, ctx.vocabulary)
    factor = FLAW_FACTOR if typos else 1.0  # a typo no other sentence of the story makes: a careless version
    published, date_source = ctx.date_for(sel.sources)
    event = events.find_event(text, published)
    actor = reaction_actor(text, ctx)
    third_party = actor is not None and not actor[2]
    if event is not None and not (event.kind == "threat" and third_party):
        item = NextEvent(text, event.when, sel.sources, event.date)
        why = f"announces a {event.kind}"
        if event.when:
            why += f" ({event.when}" + (f" -> {event.date}, resolved against the {date_source})" if event.date else ")")
        if event.condition:
            why += f", on condition: {event.condition}"
        sort = (event.start or date.max, 0 if event.when else 1, -score, rank)
        shown = f"{event.when or ''} {text}".strip()
        score += 0.1 if event.when else 0.0  # a timed announcement is what this section is for
        return _Candidate(sel.cluster.id, "whats_next", item, shown, sel.sources, score * factor, members, sel.reason,
                          why, sort, factor=factor)
    if third_party and actor is not None:
        label, party, _ = actor
        why = f"statement or action by {label}, not a principal actor of the story"
        shorter = shortest_reaction([m.text for m in sel.cluster.members], actor, ctx) or text
        if shorter != text:
            text = shorter
            why += "; the shortest version by the same actor"
        item = Reaction(label, text, sel.sources)
        return _Candidate(sel.cluster.id, "reactions", item, f"{label} {text}", sel.sources, score * factor, members,
                          sel.reason, why, (party or label, rank), factor=factor)
    why = "a fact about the story" + (f" (actor {actor[0]} is a principal)" if actor else "")
    if opens_with_reference(text):
        factor *= FLAW_FACTOR
        why += "; opens by referring to a sentence the reader has not seen"
    if typos:
        why += "; spelling no other sentence of the story shares: " + ", ".join(sorted(typos))
    return _Candidate(sel.cluster.id, "key_facts", Fact(text, sel.sources), text, sel.sources, score * factor,
                      members, sel.reason, why, (rank,), factor=factor)


def shortest_reaction(texts: Sequence[str], actor: tuple[str, str | None, bool], ctx: _StoryContext) -> str | None:
    """The shortest of a group's versions with the same actor reacting (no typo, no back-reference), so that a
    long sentence framing the reaction gives way to the clause that carries it; None when no version fits."""
    fitting = []
    for t in texts:
        other = reaction_actor(t, ctx)
        if other is None or other[2] or (other[1] or other[0]) != (actor[1] or actor[0]):
            continue
        if misspellings(t, ctx.vocabulary) or opens_with_reference(t) or len(tokens(t)) < MIN_ITEM_WORDS:
            continue
        fitting.append(t)
    return min(fitting, key=lambda t: (len(t.split()), texts.index(t))) if fitting else None


def _quote_candidates(ctx: _StoryContext) -> tuple[list[_Candidate], dict[str, str]]:
    """One candidate per quotation, merged across outlets; and the sentence groups each quote takes over."""
    mentions = quotes.quotes_of(((c.article.id, c.paragraphs) for c in ctx.story.articles), ctx.book)
    groups: list[list[quotes.QuoteMention]] = []
    for mention in mentions:
        for group in groups:
            if _same_quote(mention, group[0], ctx.book):
                group.append(mention)
                break
        else:
            groups.append([mention])
    # Which sentence groups hold which quotation.
    consumed: dict[str, str] = {}
    candidates = []
    members_by_article: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for sel in ctx.selections:
        for member in sel.cluster.members:
            members_by_article[member.article_id].append((sel.cluster.id, normalise(member.text)))
    for n, group in enumerate(groups):
        key = f"quote-{n + 1}"
        for m in group:
            head = normalise(m.text)[:40]
            for sel_id, folded in members_by_article[m.article_id]:
                if head and head in folded:
                    consumed.setdefault(sel_id, key)
        choice = choose_version([m.text for m in group])
        best = group[choice.index]
        named = [m for m in group if m.speaker != quotes.UNATTRIBUTED]
        speaker_votes = Counter(actors.fold_name(m.speaker) for m in named)
        if speaker_votes:
            top = speaker_votes.most_common(1)[0][0]
            speaking = [m for m in named if actors.fold_name(m.speaker) == top]
            speaker = Counter(m.speaker for m in speaking).most_common(1)[0][0]
            roles = [m.role for m in speaking if m.role and len(m.role.split()) <= 10]
            role = max(roles, key=lambda r: (len(r.split()), r)) if roles else None
            rule = speaking[0].rule
        else:
            speaker, role, rule = quotes.UNATTRIBUTED, None, "no attribution found"
        sources = tuple(dict.fromkeys(m.article_id for m in group))
        context = best.context
        rank = min(ctx.rank.get((m.article_id, m.position, s), 99)
                   for m in group for s in split_sentences(m.context)[:1]) if group else 99
        factor = 0.6 if speaker == quotes.UNATTRIBUTED else 1.0
        if best.text[:1].islower():
            factor *= 0.7  # a fragment quoted inside a sentence says less than a whole statement
        score = ctx.score(best.text, sources, rank) * factor
        item = Quote(best.text, speaker, context, sources, role)
        shown = f"{best.text} {speaker}" + (f" {role}" if role else "")
        members = tuple((m.article_id, f"“{m.text}” — {m.speaker} [{m.rule}]") for m in group)
        why = f"direct quotation; speaker by rule {rule}"
        candidates.append(_Candidate(key, "quotes", item, shown, sources, score, members,
                                     choice.reason, why, (rank,), factor=factor))
    return candidates, consumed


def _same_quote(a: quotes.QuoteMention, b: quotes.QuoteMention, book: actors.NameBook) -> bool:
    """The same quotation in two articles: nearly the same words, or the same speaker and a close translation."""
    ta, tb = normalise(a.text), normalise(b.text)
    if fuzz.token_set_ratio(ta, tb) >= 85 and min(len(ta), len(tb)) >= 15:
        return True
    if a.speaker == quotes.UNATTRIBUTED or b.speaker == quotes.UNATTRIBUTED or not book.same(a.speaker, b.speaker):
        return False
    # Translations of one remark share roots more than words ("victory"/"victorious").
    ka, kb = {t[:6] for t in key_terms(a.text)}, {t[:6] for t in key_terms(b.text)}
    small = min(len(ka), len(kb))
    return small >= 4 and len(ka & kb) / small >= 0.5


def reaction_actor(sentence: str, ctx: _StoryContext) -> tuple[str, str | None, bool] | None:
    """(label, party, is_principal) of the actor that speaks or acts in ``sentence``, or None."""
    np = None
    m = _TRAILING_ATTRIBUTION.search(sentence)
    if m:
        np = m.group("np")
    else:
        m = _WITH_SAYING.search(sentence) or _SUBJECT.match(sentence)
        if m:
            np = m.group("np")
    if not np:
        m = quotes._ACCORDING.search(sentence)
        np = m.group("np") if m else None
    if not np:
        return None
    actor = quotes._actor_from_np(np)
    if actor is None:
        return None
    name = actor.name
    party = _country_named(name) or _leading_country(actor.role)
    if party is None and actor.kind == "org":
        party = actors.country_of(name)
    principal = (
        actors.fold_name(ctx.book.canonical(name)) in ctx.principal_people
        or (party is not None and party in ctx.principal_places)
    )
    if _country_named(name) and len(tokens(name)) <= len(tokens(party or "")) + 1:
        label = party or name
    else:
        shown_name = ctx.book.canonical(name) if actor.kind == "person" else name
        label = f"{shown_name} ({party})" if party and party not in shown_name else shown_name
    return label, party, principal


def _country_named(name: str) -> str | None:
    """The country ``name`` is, if it is one (possibly with an adjective: "Neighbouring South Korea")."""
    found = actors.countries_in(name)
    if not found:
        return None
    rest = actors._COUNTRY_RE.sub("", name).strip()
    if len(rest.split()) <= 2:
        return found[0]
    return None


def _leading_country(role: str | None) -> str | None:
    """A country in the first words of a role ("South Korea's unification minister"), not deep inside it."""
    if not role:
        return None
    head = " ".join(role.split()[:3])
    m = actors._COUNTRY_RE.search(head)
    if m and m.start() <= 3:
        return actors.COUNTRY_OF[m.group(1)]
    return None


def _threshold(a: _Candidate, b: _Candidate) -> float:
    """Similarity at which ``a`` repeats ``b``: lower between two announcements (one event, two wordings)."""
    return REDUNDANT_EVENTS if a.section == b.section == "whats_next" else REDUNDANT


def _novelty(terms: dict[str, float], covered: dict[str, float]) -> float:
    """IDF-weighted share of ``terms`` not yet in the briefing."""
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if t not in covered) / total if total else 0.0


def _tokens(text: str) -> int:
    return len(text.split())


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(w * b[t] for t, w in a.items() if t in b)
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _tidy_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip()
    return title.split("\n")[0]


def _headline_from_sentence(sentence: str) -> str:
    clause = re.split(r",\s+(?:as|while|after|according|though|which|who|but)\b", sentence)[0]
    tokens = clause.split()
    if len(tokens) > 16:
        clause = " ".join(tokens[:16]) + "…"
    return clause.rstrip(" .,;:")
