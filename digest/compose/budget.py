"""Spending a story's word budget on its candidates: cover every section, then elaborate, then trade up.

Filling. Candidates are ranked by value per word: only the centrality and
lede part of the importance is divided by an item's length beyond a typical
item, so an item carried by more outlets is never overtaken by a single-outlet
one merely for being longer; flawed items (a typo, a back-reference, a quoted
fragment, a quote whose speaker no outlet names outright) come after every sound one. Cover before elaborating: sections are
first filled up to ``SECTION_MINIMUM`` items each (lowered evenly when even the
cheapest items cannot meet it, or covering gets stuck), the best owed item of any section first; each
pick may spend a fair share of the budget left for the picks still owed (more
for items several outlets carry) and must leave room for the cheapest items
still owed. Then the rest of the budget goes to the best remaining candidates by
maximal marginal relevance (value less ``MMR_PENALTY`` x the best value x the cosine
with the closest item chosen: what tells something new goes before a near rewording),
and finally an item left out for want of words replaces the weakest item of its
section when it ranks higher and the words freed suffice. Section maxima grow
with the budget; a second disagreement needs a budget of 800.

Before covering (when the budget can cover every section at all): announced events, then the
quotes several outlets carry from a named speaker (one per voice, within ``QUOTES_FIRST_SHARE``
of the budget), so the most newsworthy statements are never priced out by cheap one-outlet asides.

A party's second reaction is skipped (each party has one line), and so is an item whose first clause is word
for word another item's opening ("No one was injured, but ..."). A candidate is skipped when it repeats what is already in
the briefing (MMR-style: its IDF-weighted cosine with any chosen item is at
least ``REDUNDANT``), or when less than ``NOVELTY_MIN`` of its IDF-weighted
terms are new to the briefing, so no piece of content appears twice anywhere.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

from digest.compose.context import HEADING_TOKENS, TYPICAL_ITEM_WORDS, Candidate, StoryContext, cosine
from digest.models import Disagreement
from digest.text import normalise

# Dict order is the round-robin order: announced events first, so that an event told in a
# quote ("X invited Y to visit at a convenient time") is shown as the event.
SECTION_MINIMUM = {"whats_next": 3, "reactions": 3, "key_facts": 4, "quotes": 4}
SECTION_MAXIMUM = {"key_facts": 8, "quotes": 6, "reactions": 5, "whats_next": 5}
REDUNDANT = 0.4
REDUNDANT_EVENTS = 0.25
QUOTES_FIRST_SHARE = 0.5  # of the budget left after the summary: most for the quotes many outlets carry
UNNAMED = "unattributed"  # the speaker of a quote nobody is named for (digest.compose.quotes.UNATTRIBUTED)
NOVELTY_MIN = 0.4  # a second item must add information the briefing does not carry yet
MMR_PENALTY = 0.25  # when elaborating: of the best value, per unit of cosine with the closest chosen item


def fill_sections(ctx: StoryContext, candidates: Sequence[Candidate], summary: Candidate | None,
                  disagreements: Sequence[Disagreement], budget: int, words_per_story: int) -> Fill:
    """Spend ``budget`` on ``candidates`` (the summary and disagreements already paid for); see the module docstring."""
    fill = Fill(ctx, candidates, summary, disagreements, budget, words_per_story)
    fill.cover()
    fill.elaborate()
    fill.trade_up()
    for cand in fill.pool:
        fill.fates.setdefault(cand.key, "over the word budget or section full")
    return fill


class Fill:
    """A story's budget being spent: the items chosen so far, the terms they cover, and each candidate's fate."""

    def __init__(self, ctx: StoryContext, candidates: Sequence[Candidate], summary: Candidate | None,
                 disagreements: Sequence[Disagreement], budget: int, words_per_story: int) -> None:
        self.ctx = ctx
        self.summary = summary
        self.budget = budget
        self.chosen: list[Candidate] = [summary] if summary is not None else []
        self.fates: dict[str, str] = {}
        self.covered: dict[str, float] = {}  # terms already in the briefing (summary and disagreements included)
        for c in self.chosen:
            self.covered.update(c.terms)
        for d in disagreements:
            self.covered.update(ctx.vector(" ".join([d.topic] + [v.text for v in d.versions])))
        self.base_covered = dict(self.covered)
        # Cost-aware order: a long item must be worth its words (value per word beyond a typical item).
        # Flawed items (a typo, a back-reference) come after every sound one: taken only when nothing else remains.
        self.pool = sorted((c for c in candidates if c is not summary),
                           key=lambda c: (c.factor < 1, -ctx.value(c), c.key))
        self.counts: Counter[str] = Counter()
        # A larger budget buys more of each section, in proportion.
        scale = max(1.0, words_per_story / 450)
        self.section_maximum = {name: int(n * scale) for name, n in SECTION_MAXIMUM.items()}
        self.by_cost = {section: sorted((c for c in self.pool if c.section == section), key=lambda c: c.cost)
                        for section in SECTION_MINIMUM}
        self.target = _targets(max(SECTION_MINIMUM.values()))

    def reserve_after(self, taken: Candidate | None) -> int:
        """Tokens the picks still owed after ``taken`` need at the least: the cheapest open items of each section
        (for quotes, of each voice not heard yet, as covering takes one quote per speaker)."""
        needed = 0
        taken_section = taken.section if taken is not None else ""
        voiced = {c.item.speaker for c in self.chosen + ([taken] if taken else []) if c.section == "quotes"}
        for section, minimum in self.target.items():
            owed = minimum - self.counts[section] - (1 if taken_section == section else 0)
            if owed <= 0:
                continue
            found = 0
            speakers: set[str] = set()
            for c in self.by_cost[section]:  # cheapest first: stop as soon as the owed picks are priced
                if c is taken or c.key in self.fates:
                    continue
                if section == "quotes":
                    if c.item.speaker in voiced or c.item.speaker in speakers:
                        continue
                    speakers.add(c.item.speaker)
                needed += c.cost
                found += 1
                if found == owed:
                    break
            if found and not self.counts[section] and taken_section != section:
                needed += HEADING_TOKENS[section]
        return needed

    def try_take(self, cand: Candidate, covering: bool = False, limit: float = float("inf")) -> bool:
        """Choose ``cand`` if it is new, fits its section and the budget (and, when covering, its fair share)."""
        if cand.key in self.fates:
            return False
        if covering and cand.section == "quotes" and any(
                c.section == "quotes" and c.item.speaker == cand.item.speaker for c in self.chosen):
            return False  # cover more voices before a second quote by one speaker
        if cand.section == "reactions" and any(
                c.section == "reactions" and _party(c.item.actor) == _party(cand.item.actor) for c in self.chosen):
            # Two outlets tell one party's response in their own words ("should not be naive about" / "be
            # clear-eyed about"): a briefing gives each party one line.
            self.fates[cand.key] = f"{cand.item.actor} already has its reaction in the briefing"
            return False
        if self.counts[cand.section] >= self.section_maximum[cand.section]:
            return False
        opening = _leading_clause(cand.item.text)
        same_opening = next((c for c in self.chosen if _opens_alike(opening, _leading_clause(c.item.text))), None)
        if same_opening is not None:
            # "No one was injured, but ..." after "No one was injured in the small blast, but ...": two outlets'
            # versions of one fact, each with a clause of its own; whole, they are too unlike for the check below.
            self.fates[cand.key] = f"opens as another item does: {same_opening.shown[:70]}"
            return False
        similar = max(self.chosen, key=lambda c: cosine(cand.terms, c.terms) - _threshold(cand, c), default=None)
        if similar is not None and cosine(cand.terms, similar.terms) >= _threshold(cand, similar):
            self.fates[cand.key] = f"redundant with: {similar.shown[:70]}"
            return False
        novelty = _novelty(cand.terms, self.covered)
        if novelty < NOVELTY_MIN:
            self.fates[cand.key] = f"adds too little ({novelty:.0%} new) to what is already in the briefing"
            return False
        cost = cand.cost + (HEADING_TOKENS[cand.section] if not self.counts[cand.section] else 0)
        # The fair share grows with the outlets carrying the item: what many outlets report is worth more words;
        # but a pick may not leave too little for the cheapest items each section is still owed.
        if cost > self.budget or cost > limit * (1 + 0.5 * (self.ctx.support(cand.sources) - 1)):
            return False
        if covering and cost > self.budget - self.reserve_after(cand):
            return False
        self.budget -= cost
        self.covered.update(cand.terms)
        self.chosen.append(cand)
        self.counts[cand.section] += 1
        self.fates[cand.key] = "kept"
        return True

    def cover(self) -> None:
        """Cover before elaborating: every section up to its minimum, the best owed item first.

        Each pick may spend a fair share of what is left for the picks still owed (with some slack, more
        for items many outlets carry), and must leave enough for the cheapest items still owed,
        so that long items cannot crowd a section out.
        When even the cheapest items cannot meet the minimums, they are lowered evenly (at most n per section),
        so that a small budget still covers every section before elaborating any.
        """
        level = max(SECTION_MINIMUM.values())
        self.target = _targets(level)
        if self.reserve_after(None) <= self.budget:
            # Only when every section can be covered anyway: a small budget covers first (see below).
            allowance = QUOTES_FIRST_SHARE * self.budget
            self.events_first()
            self.quotes_first(allowance)
        while level > 1 and self.reserve_after(None) > self.budget:
            level -= 1
            self.target = _targets(level)
        while True:
            owed = sum(max(0, m - self.counts[s]) for s, m in self.target.items())
            if not owed:
                break
            limit = max(TYPICAL_ITEM_WORDS, 1.5 * self.budget / owed)
            # The best item of any section still owed picks, so strong items are in first.
            if any(self.counts[c.section] < self.target[c.section] and c.key not in self.fates
                   and self.try_take(c, True, limit) for c in self.pool):
                continue
            if level <= 1:
                break
            level -= 1  # stuck (items left out as redundant, or too long): ask for one item less per section
            self.target = _targets(level)

    def events_first(self) -> None:
        """Announced events go in first (the round-robin's order too): a quote may tell an event, shown as the event."""
        for cand in self.pool:
            if self.counts["whats_next"] >= SECTION_MINIMUM["whats_next"]:
                break
            if cand.section == "whats_next" and cand.factor >= 1 and cand.cost <= TYPICAL_ITEM_WORDS * 1.5:
                self.try_take(cand)

    def quotes_first(self, allowance: float) -> None:
        """The quotes several outlets carry, spoken by someone named, go in before any section is covered.

        They are what a quotes section is for; left to the round-robin, a long one is priced out by the
        cheap one-outlet asides kept in reserve. Best first, one per voice, at most the section's
        minimum less one, within ``QUOTES_FIRST_SHARE`` of the budget.
        """
        voices: set[str] = set()
        for cand in self.pool:
            if self.counts["quotes"] >= SECTION_MINIMUM["quotes"] - 1:
                break
            if cand.section != "quotes" or cand.factor < 1 or self.ctx.support(cand.sources) < 2 \
                    or cand.item.speaker in voices or cand.item.speaker == UNNAMED:
                continue
            cost = cand.cost + (HEADING_TOKENS["quotes"] if not self.counts["quotes"] else 0)
            if cost > allowance:
                continue
            if self.try_take(cand):
                allowance -= cost
                voices.add(cand.item.speaker)

    def elaborate(self) -> None:
        """The rest of the budget goes to the best remaining candidates, by maximal marginal relevance: an item's
        value less ``MMR_PENALTY`` x the best value x its cosine with the closest item already chosen, so that
        a sentence telling what the briefing already tells waits behind one that tells something new.
        Flawed items still come after every sound one.

        Lazy: the pool is in value order and an item's MMR never exceeds its value, so each pick looks only as
        far down the pool as the best MMR found so far (a story of thousands of sentences compares a few).
        An item that does not fit now never fits later (the budget only shrinks, sections only fill).
        """
        left = [c for c in self.pool if c.key not in self.fates]
        value = {c.key: self.ctx.value(c) for c in left}
        top = max(value.values(), default=0.0)
        closest: dict[str, tuple[float, int]] = {}  # key -> (highest cosine, how many chosen items it was compared with)
        for flawed in (False, True):
            tier = [c for c in left if (c.factor < 1) == flawed]
            while tier:
                best, best_score = None, -math.inf
                for n, cand in enumerate(tier):
                    if value[cand.key] <= best_score:
                        break
                    sim, seen = closest.get(cand.key, (0.0, 0))
                    if seen < len(self.chosen):
                        sim = max([sim] + [cosine(cand.terms, c.terms) for c in self.chosen[seen:]])
                        closest[cand.key] = (sim, len(self.chosen))
                    score = value[cand.key] - MMR_PENALTY * top * sim
                    if score > best_score:
                        best, best_score, at = cand, score, n
                del tier[at]
                if best.key not in self.fates:
                    self.try_take(best)

    def trade_up(self) -> None:
        """An item left out for want of words replaces the weakest item of its section (a flawed one first)
        when it ranks higher and the words that frees are enough."""
        rank_of = {c.key: n for n, c in enumerate(self.pool)}
        for cand in self.pool:
            if cand.key in self.fates:
                continue
            mates = [c for c in self.chosen if c.section == cand.section and c is not self.summary
                     and rank_of[c.key] > rank_of[cand.key] and self.budget + c.cost >= cand.cost]
            if not mates:
                continue
            weakest = max(mates, key=lambda c: rank_of[c.key])
            others = [c for c in self.chosen if c is not weakest]
            if any(cosine(cand.terms, c.terms) >= _threshold(cand, c) for c in others):
                continue
            still_covered = dict(self.base_covered)
            for c in others:
                still_covered.update(c.terms)
            if _novelty(cand.terms, still_covered) < NOVELTY_MIN:
                continue
            self.chosen[self.chosen.index(weakest)] = cand
            self.budget += weakest.cost - cand.cost
            self.covered = still_covered
            self.covered.update(cand.terms)
            self.fates[weakest.key] = f"replaced by a stronger item: {cand.shown[:60]}"
            self.fates[cand.key] = "kept"


def _party(actor: str) -> str:
    """A reaction's party as compared: its name in any case, without the country shown after it ("ECOWAS" is
    "Ecowas", "Taro Kono (Japan)" is "taro kono")."""
    return actor.split(" (")[0].casefold()


# Where a sentence's first clause ends: ", but", ", and", "; ", " — ".
_CLAUSE_END = re.compile(r",\s+(?:but|and|while|although|though|yet|so)\s|;\s|\s[—–]\s|\s--\s")
MIN_OPENING_WORDS = 4


def _leading_clause(text: str) -> str:
    """The normalised words of ``text``'s first clause (the whole text when it has one clause)."""
    return normalise(_CLAUSE_END.split(text, maxsplit=1)[0])


def _opens_alike(a: str, b: str) -> bool:
    """One first clause is the other's opening, word for word, and has MIN_OPENING_WORDS words or more."""
    shorter, longer = sorted((a, b), key=len)
    return len(shorter.split()) >= MIN_OPENING_WORDS and (longer + " ").startswith(shorter + " ")


def _targets(level: int) -> dict[str, int]:
    """Each section's minimum, capped at ``level`` items."""
    return {s: min(level, m) for s, m in SECTION_MINIMUM.items()}


def _threshold(a: Candidate, b: Candidate) -> float:
    """Similarity at which ``a`` repeats ``b``: lower between two announcements (one event, two wordings)."""
    return REDUNDANT_EVENTS if a.section == b.section == "whats_next" else REDUNDANT


def _novelty(terms: dict[str, float], covered: dict[str, float]) -> float:
    """IDF-weighted share of ``terms`` not yet in the briefing."""
    total = math.fsum(terms.values())
    return math.fsum(w for t, w in terms.items() if t not in covered) / total if total else 0.0
