"""A story's context for composing it: sentence ranks, names, IDF weights, the headline, and what items cost.

Ranking. A candidate's importance is ``0.5 * support + 0.3 * centrality + 0.2 * lede``
(``WEIGHTS``, which also holds a weight for *echo*, 0 by default):
*support* is the number of distinct outlets carrying it (wire copy printed by
several articles of one outlet counts once) over the story's outlets;
*centrality* is the cosine between its terms and the story's centroid (IDF
weighted, every sentence of every article counted, so what many articles say
weighs more); *lede* is 1 / (1 + the sentence's index in its article);
*echo* is the IDF-weighted share of its terms that two or more of the story's
outlets print (what several outlets tell, not what one page alone prints), scaled
down below ``ECHO_FULL_TERMS`` terms. Echo in place of centrality
(0.5, 0, 0.25, 0.25) lifts ROUGE on multinews-raw (bench/ranking.py --weights)
but drops facts of the reader's gold at the default budget (bench/reader.py),
so it is not the default: a ranking that favours what every outlet tells keeps
the core of the story and loses the details one outlet reports.
A sentence with a spelling no other sentence of the story shares (a typo), and
a key fact that opens by referring to a sentence the reader has not seen
("This ...", "But he ...", "denied those claims"), lose half their importance.

Budget. ``words_per_story`` counts what the reader reads of the story in the
Markdown briefing, split on whitespace: the story header (rule, headline,
"Reported by" line with its outlet names and markers), the summary, each
section heading, and each item with its bullet, labels, speaker, date, source
markers and "n of m outlets" note; of a story carried by very many sources, the
markers and outlet names the views show (digest.models.MARKERS_SHOWN, OUTLETS_NAMED).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Sequence

from digest.compose import actors, events, headline
from digest.models import MARKERS_SHOWN, OUTLETS_NAMED, Disagreement, Paragraph, Selection, Story
from digest.select import (MAX_SENTENCE_WORDS, is_cut_off, key_terms, misspellings, opens_with_reference,
                           story_vocabulary)
from digest.text import split_sentences, tokens

TYPICAL_ITEM_WORDS = 28

# Whitespace-separated tokens the Markdown briefing adds around items (see templates/briefing.md.j2).
HEADING_TOKENS = {"key_facts": 3, "quotes": 2, "reactions": 2, "whats_next": 3, "disagreements": 4}
SUPPORT_NOTE_TOKENS = 5  # " · *3 of 5 outlets*" after an item carried by several outlets
DISAGREEING_SPEAKERS_TOKENS = 7  # " · *outlets disagree on who said it*" after a quote's speakers

# Importance = support (outlets), centrality (cosine to the story centroid), echo (share of its terms two or more
# outlets print), lede (1 / (1 + sentence index)).
WEIGHTS = (0.5, 0.3, 0.0, 0.2)
ECHO_FULL_TERMS = 6  # content terms from which an item's echo counts in full
# The order key facts and quotes are read in, once chosen: support, echo and lede (centrality left out), per word as
# in ``value``. What the story's outlets all tell goes first, one outlet's detail after it, so a reader who stops
# early has the core. Choosing by echo costs the reader gold's one-outlet details (see above); ordering by it costs
# nothing. bench/summaries.py --data raw, briefing - LexRank: chosen order +1.52 / +1.14, this order
# +1.98 / +1.40 (check half +1.10 / +0.66 -> +1.64 / +1.07); centrality in place of echo: +1.40 / +1.02.
READING_WEIGHTS = (0.5, 0.0, 0.3, 0.2)


@dataclass(slots=True)
class Candidate:
    """An item that may go into a section: what it shows, where it comes from, how it ranks and what it costs."""

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


class StoryContext:
    """What composing one story needs to know about it: sentence ranks, names, weights, and what items cost."""

    def __init__(self, story: Story, selections: Sequence[Selection]) -> None:
        self.story = story
        self.selections = selections
        self.outlet = {a.article.id: (a.article.outlet or a.article.id) for a in story.articles}
        self.published = {a.article.id: events.parse_published(a.article.published) for a in story.articles}
        self.rank: dict[tuple[str, int, str], int] = {}
        self.sentences_by_article: dict[str, list[str]] = {}
        # (each article's lower-case words, gathered from the tokens the length test reads: a big story's
        # sentences are too many for the tokens' small cache to give them twice)
        lower_by_article: dict[str, list[str]] = {}
        for clean in story.articles:
            index = 0
            texts = []
            lower: list[str] = []
            for p in sorted(clean.paragraphs, key=lambda p: p.position):
                for sentence in split_sentences(p.text):
                    words = tokens(sentence)
                    if len(words) > MAX_SENTENCE_WORDS:
                        continue
                    self.rank[(p.article_id, p.position, sentence)] = index
                    texts.append(sentence)
                    lower.extend(w for w in words if w.islower())
                    index += 1
            self.sentences_by_article[clean.article.id] = texts
            lower_by_article[clean.article.id] = lower
        titles = [a.article.title for a in story.articles if a.article.title]
        self.book = actors.NameBook([p.text for p in story.paragraphs] + titles)
        self.leads = titles + [s[0] for s in self.sentences_by_article.values() if s]
        people, places = actors.principal_actors(self.leads, self.book)
        self.principal_people, self.principal_places = people, places
        self.leading_people = leading_people(self.leads, self.book)
        # Words the story writes in lower case somewhere: capitalised at a sentence start they are no name.
        self.lower_words = {w for words in lower_by_article.values() for w in words}
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
        self._centroid_norm = _norm(self.centroid)  # every candidate's centrality divides by it
        self.n_outlets = max(len(set(self.outlet.values())), 1)
        self.vocabulary = story_vocabulary(s for texts in self.sentences_by_article.values() for s in texts)

    def vector(self, text: str) -> dict[str, float]:
        return {t: self.idf.get(t, 1.0) for t in sorted(key_terms(text))}

    def marker_cost(self, sources: Sequence[str], with_note: bool) -> int:
        """Tokens of an item's source markers, and of its "n of m outlets" note where the template shows one."""
        note = with_note and self.n_outlets > 1 and self.support(sources) > 1
        count = len(set(sources))
        markers = min(count, MARKERS_SHOWN) + (2 if count > MARKERS_SHOWN else 0)  # "+31 more"
        return markers + (SUPPORT_NOTE_TOKENS if note else 0)

    def header_cost(self, headline: str) -> int:
        """Tokens of the story's header: rule, headline, and the "Reported by N outlets: A [1], B [2]" line."""
        outlets = {self.outlet[a.article.id] for a in self.story.articles}
        single = 3 if len(outlets) == 1 else 0  # "**Single source** ·"
        # The line names OUTLETS_NAMED outlets at most, then "and 79 more": count the longest names, never fewer.
        named = sorted((whitespace_tokens(o) + 1 for o in outlets), reverse=True)[:OUTLETS_NAMED]
        more = 3 if len(outlets) > OUTLETS_NAMED else 0
        return 2 + whitespace_tokens(headline) + single + 4 + sum(named) + more

    def item_cost(self, section: str, item: Any) -> int:
        """Tokens ``item`` takes in the rendered briefing of ``section``."""
        if section == "summary":
            return whitespace_tokens(item.text)
        if section == "quotes":  # > “text” / > / > — **Speaker**, role [1] [2] · *2 of 5 outlets*
            if item.attributions:  # > — **A** [1] or **B** [2] · *outlets disagree on who said it*
                return (whitespace_tokens(item.text) + 4 + DISAGREEING_SPEAKERS_TOKENS
                        + sum(whitespace_tokens(a.speaker) + 1 + self.marker_cost(a.sources, False)
                              for a in item.attributions))
            return (whitespace_tokens(item.text) + 4 + whitespace_tokens(item.speaker)
                    + whitespace_tokens(item.role or "") + self.marker_cost(item.sources, True))
        if section == "reactions":  # - **Actor:** text [1]
            return (1 + whitespace_tokens(item.actor) + whitespace_tokens(item.text)
                    + self.marker_cost(item.sources, False))
        if section == "whats_next":  # - **14 Sep 2023** (on Thursday): text [1]
            when = (3 if item.date and len(item.date) == 10 else 1) if item.date else 0
            if item.when and item.when != item.date:
                when += whitespace_tokens(item.when)
            return 1 + when + whitespace_tokens(item.text) + self.marker_cost(item.sources, False)
        return 1 + whitespace_tokens(item.text) + self.marker_cost(item.sources, True)

    def disagreements_cost(self, disagreements: Sequence[Disagreement]) -> int:
        """Tokens of the "Where sources disagree" section: its heading, and each topic with its versions."""
        cost = HEADING_TOKENS["disagreements"] if disagreements else 0
        for d in disagreements:
            cost += whitespace_tokens(d.topic) + sum(1 + whitespace_tokens(v.text) + self.marker_cost(v.sources, True)
                                                     for v in d.versions)
        return cost

    def value(self, cand: Candidate) -> float:
        """Importance per token for the greedy fill: the support part is not divided by length, so more outlets
        always count; the rest (centrality, echo, lede) is, beyond a typical item's length."""
        support = WEIGHTS[0] * self.support(cand.sources) / self.n_outlets
        rest = max(cand.score / cand.factor - support, 0.0)
        return cand.factor * (support + rest * min(1.0, TYPICAL_ITEM_WORDS / max(cand.cost, 1)))

    def reading_value(self, cand: Candidate) -> float:
        """Where a chosen key fact or quote stands in its section: ``value`` under ``READING_WEIGHTS``."""
        support_weight, centrality, echo, lede = READING_WEIGHTS
        support = support_weight * self.support(cand.sources) / self.n_outlets
        rest = (centrality * self.centrality(cand.item.text) + echo * self.echo(cand.item.text)
                + lede / (1 + (cand.sort_key[-1] if cand.sort_key else 99)))
        return cand.factor * (support + rest * min(1.0, TYPICAL_ITEM_WORDS / max(cand.cost, 1)))

    def centrality(self, text: str) -> float:
        vector = self.vector(text)
        return _cosine_with_norms(vector, _norm(vector), self.centroid, self._centroid_norm)

    @functools.cached_property
    def printed_by(self) -> dict[str, set[str]]:
        """The outlets printing each term somewhere in the story (wire copy in one outlet's articles counts once)."""
        found: dict[str, set[str]] = {}
        for aid, texts in self.sentences_by_article.items():
            for s in texts:
                for t in key_terms(s):
                    found.setdefault(t, set()).add(self.outlet.get(aid, aid))
        return found

    def echo(self, text: str) -> float:
        """IDF-weighted share of ``text``'s terms that two or more of the story's outlets print, scaled down
        below ``ECHO_FULL_TERMS`` terms; the centroid cosine when the story has a single outlet."""
        if self.n_outlets == 1:
            return self.centrality(text)
        vector = self.vector(text)
        total = math.fsum(vector.values())
        echoed = math.fsum(w for t, w in vector.items() if len(self.printed_by.get(t, ())) >= 2)
        return echoed / total * min(1.0, len(vector) / ECHO_FULL_TERMS) if total else 0.0

    def support(self, sources: Sequence[str]) -> int:
        return len({self.outlet.get(s, s) for s in sources})

    def score(self, text: str, sources: Sequence[str], best_rank: int) -> float:
        support, centrality, echo, lede = WEIGHTS
        return (support * self.support(sources) / self.n_outlets + centrality * self.centrality(text)
                + (echo * self.echo(text) if echo else 0.0) + lede / (1 + best_rank))

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

    def headline(self, avoid: str = "") -> tuple[str, str]:
        """The most widely shared usable title (most similar to the other titles and ledes), else the most widely
        shared lede sentence that reads as a headline (see digest.compose.headline), one that ``avoid`` (the
        summary) does not hold when another lede can be written as a headline."""
        # Each distinct lead once, with how often it occurs, and each text's score once: a big story's titles
        # and ledes are mostly the same few texts, and every title is scored against every lead.
        vectors = [(self.vector(t), n) for t, n in Counter(self.leads).items()]
        norms = [_norm(v) for v, _ in vectors]
        # Leads by term: a lead sharing no term with a text adds a cosine of 0, so only those sharing one are
        # summed (a big story has hundreds of distinct titles and ledes; each against all was 0.25 M cosines).
        holding: dict[str, list[int]] = {}
        for number, (v, _) in enumerate(vectors):
            for t in v:
                holding.setdefault(t, []).append(number)
        scores: dict[str, float] = {}

        def shared(text: str) -> float:
            if text not in scores:
                vector = self.vector(text)
                norm = _norm(vector)
                near = sorted({k for t in vector for k in holding.get(t, ())})
                # fsum is exactly rounded: a repeated value counted n times gives the sum over every lead.
                scores[text] = math.fsum(c for k in near for c in itertools.repeat(
                    _cosine_with_norms(vector, norm, vectors[k][0], norms[k]), vectors[k][1])) - 1.0
            return scores[text]

        titles = [(a.article.id, headline.tidy_title(a.article.title)) for a in self.story.articles if a.article.title]
        titles = [(aid, t) for aid, t in titles if len(tokens(t)) <= 25 and not headline.headline_problem(t)]
        # A title speaking to the reader ("... needs our help!", "Watch ...: 'You Should Resign'") gives way to a
        # lede; a plain question names its subject ("What happened to Flight 370?") and yields only to a title.
        titles = ([(aid, t) for aid, t in titles if not headline.is_hook_title(t)]
                  or [(aid, t) for aid, t in titles if not headline.is_hook_title(t, questions=False)])
        best = max(((shared(t), t, aid) for aid, t in titles), default=None, key=lambda x: (x[0], x[1]))
        # (a story of one article has one title: its own, however little its first sentences echo it, as when
        # an editor's update opens the page)
        if best is not None and (best[0] > 0 or len(self.story.articles) == 1):
            return best[1], f"title of {self.outlet.get(best[2], best[2])}, closest to the other titles and ledes"
        # Each article's first sentence that reads as a headline (a caption or a widget line may come first).
        # A lede that stands alone first; one that leans on a sentence before it ("But ...") only when none does.
        openings = [headline.whole_quotations(texts[:6])[:3] for texts in self.sentences_by_article.values()]
        ledes = []
        for leaning in (False, True):
            for opening in openings:
                written = [h for h in (headline.headline_from_sentence(s, leaning=leaning, lede=number == 0)
                                       for number, s in enumerate(opening)) if h]
                # An article's first sentence that reports what happened, past an opening hook ("The early bird
                # doesn't always get the worm."); the hook only when no sentence does.
                found = next((h for h in written if headline.reports_an_event(h)), written[0] if written else None)
                if found:
                    ledes.append(found)
            if ledes:
                break
        # A lede that reports an event before a hook, whichever more outlets share.
        ledes = [h for h in ledes if headline.reports_an_event(h)] or ledes
        if ledes:
            lede = max(ledes, key=lambda s: (shared(s), -len(s), s))
            # Another lede than the summary's, if it tells the story nearly as widely (not a time stamp).
            others = [h for h in ledes if avoid and not headline.held_in(h, avoid) and h[:1] not in "\"“"
                      and shared(h) >= 0.5 * shared(lede)]
            if others:
                other = max(others, key=lambda s: (shared(s), -len(s), s))
                return other, "the most widely shared lede sentence the summary does not hold, written as a headline"
            return lede, "the most widely shared lede sentence, written as a headline (no usable title)"
        # Whole quotations: a first sentence cut inside a quotation would leave the quote open.
        openings = [headline.whole_quotations(t[:6]) for t in self.sentences_by_article.values()]
        # Each article's first of six sentences that a looser cut makes a headline ("... its lead Tuesday | as
        # Egyptians returned"), past a column's opening in the first person.
        loose = [h for h in (next((h for h in (headline.headline_from_sentence(s, loose=True)
                                              for s in opening) if h), None) for opening in openings) if h]
        if loose:
            return max(loose, key=lambda s: (shared(s), -len(s), s)), \
                "the most widely shared of the first sentences a looser cut makes a headline (no title or lede reads as one)"
        # and the first long enough to say something (a page may open with a label: "Letters").
        sentences = [next((s for s in opening if len(tokens(s)) >= headline.MIN_WORDS), opening[0])
                     for opening in openings if opening]
        if sentences:
            lede = max(sentences, key=lambda s: (shared(s), -len(s), s))
            return headline.plain_sentence(lede), "the most widely shared lede sentence whole (no title or lede reads as a headline)"
        return self.story.id, "no title or lede"

    def summary_candidate(self, candidates: Sequence[Candidate]) -> Candidate | None:
        """The summary: of the first and second sentences (no back-reference, none cut off on an ellipsis, no typo, one
        that reports an event rather than a hook, when there are such), the one most outlets carry, a first sentence before a second (a lede, not the announcement that follows it), then
        the highest importance."""
        ledes = [c for c in candidates if c.sort_key and c.sort_key[-1] <= 1 and c.section in ("key_facts", "whats_next")]
        clean = [c for c in ledes if not opens_with_reference(c.item.text) and not is_cut_off(c.item.text)
                 and not misspellings(c.item.text, self.vocabulary)]
        # one that reports an event before a feature's hook ("The early bird doesn't always get the worm.")
        # (a fact, or an announcement of something done, "accepted the invitation to visit": one only of what
        # will be, "the board will meet next spring", is What's next's)
        reporting = [c for c in clean if headline.reports_an_event(c.item.text)
                     and (c.section == "key_facts" or headline.reports_an_event(c.item.text, happened=True))]
        pool = reporting or clean or ledes or list(candidates)
        if not pool:
            return None
        return max(pool, key=lambda c: (self.support(c.sources), bool(c.sort_key) and c.sort_key[-1] == 0,
                                       c.score, c.key))


def leading_people(leads: Sequence[str], book: actors.NameBook) -> set[str]:
    """People the story is about beyond ``actors.principal_actors``: named in any title or article's first
    sentence, or among the most-named people of the story (at least 3 mentions and half the top one's).
    Their statements are the story itself, not reactions to it."""
    found = {actors.fold_name(book.canonical(a.name)) for lead in leads for a in map(actors.parse_actor,
             actors.name_spans(lead)) if a is not None and a.kind == "person"}
    mentions: Counter[str] = Counter()
    for name, n in book.counts.items():
        mentions[actors.fold_name(book.canonical(name))] += n
    top = max(mentions.values(), default=0)
    found |= {p for p, n in mentions.items() if n >= 3 and 2 * n >= top}
    return {p for p in found if p}


def whitespace_tokens(text: str) -> int:
    """Words as the budget counts them: whitespace-separated tokens of the rendered Markdown."""
    return len(text.split())


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two weighted term vectors (0 when either is empty)."""
    return _cosine_with_norms(a, _norm(a), b, _norm(b))


def _norm(vector: dict[str, float]) -> float:
    # fsum is exactly rounded, so the result does not depend on the (hash) order of the terms.
    return math.sqrt(math.fsum(w * w for w in vector.values()))


def _cosine_with_norms(a: dict[str, float], na: float, b: dict[str, float], nb: float) -> float:
    """``cosine(a, b)`` given the vectors' norms (computed once for a vector compared with many)."""
    if not a or not b:
        return 0.0
    if len(b) < len(a):  # the dot product walks the smaller vector (fsum: the order does not matter)
        a, b = b, a
    dot = math.fsum(w * b[t] for t, w in a.items() if t in b)
    return dot / (na * nb) if na and nb else 0.0
