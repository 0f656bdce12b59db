"""The quote bank (``digest quotes``): every quotation of the input, the same quote from several outlets grouped, each speaker chosen once."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

from digest.compose.actors import NameBook, fold_name, is_place
from digest.compose.quotes.extract import extract_quotes, quote_paragraphs
from digest.compose.quotes.lexicon import UNATTRIBUTED
from digest.compose.quotes.mentions import QuoteMention
from digest.compose.quotes.parse import PARSERS
from digest.models import Article, CleanArticle, Paragraph, QuoteEntry, QuoteSource
from digest.settings import Settings


# How explicitly a rule names the speaker, for choosing among outlets (higher is more explicit).
_EXPLICIT = {"said X": 5, "X said": 5, "X said: ...": 4, "according to X": 4, "description": 3,
             "subject before colon": 3, "pronoun": 2,
             "continued paragraph": 1, "broken quote": 1, "next paragraph": 1}
SAME_QUOTE_SCORE = 90  # rapidfuzz partial_ratio of the shorter quote inside the longer
SAME_QUOTE_SHARE = 0.5  # the shorter holds at least this share of the longer's words ...
SAME_QUOTE_WORDS = 8  # ... or is a whole statement of this many words


def explicitness(rule: str) -> int:
    """How explicitly an attribution rule names the speaker (``_EXPLICIT``; a parse's rule as its pattern twin)."""
    return _EXPLICIT.get(rule.removeprefix("parse: "), 0)


@dataclass(frozen=True, slots=True)
class SpeakerChoice:
    """Who said a quotation several articles print: the mention whose speaker is taken (None when no article
    names anyone), and, when articles name different people, each of them with the articles naming them."""

    mention: QuoteMention | None
    speakers: tuple[tuple[str, tuple[str, ...]], ...] = ()


def choose_speaker(mentions: Sequence[QuoteMention], same: Callable[[str, str], bool],
                   prominence: Callable[[str], int] = lambda _name: 0) -> SpeakerChoice:
    """The speaker of one quotation from the article that names it most explicitly (see ``quote_bank``).

    A name given outright ("X said", "according to X") beats one reached through a pronoun, a description
    or a carried-over cue; among either kind, the speaker more articles give, then the one the story names
    most often (``prominence``), then the more explicit rule, then the fuller name.

    Articles disagree only when they name different voices outright: a pronoun or a carried-over speaker
    is this tool's inference, never an outlet's claim. Two names sharing a word ("Dallas Swonger", "Dallas
    Delynn") may be one person, and a person whose role holds the other name ("State Department spokeswoman
    Jane Roe" and "the State Department") speaks for it; a place is no voice. None of those disagree.
    A speaker inferred for a quote that names that speaker is no speaker (``_inferred_speaker_named_inside``).
    """
    named = [m for m in mentions if m.speaker != UNATTRIBUTED and not _inferred_speaker_named_inside(m)]
    if not named:
        return SpeakerChoice(None)

    votes_by_speaker: dict[str, int] = {}  # a quote hundreds of outlets print has a few speakers' names

    def votes(m: QuoteMention) -> int:
        if m.speaker not in votes_by_speaker:
            votes_by_speaker[m.speaker] = sum(1 for o in named if same(o.speaker, m.speaker))
        return votes_by_speaker[m.speaker]

    def rank(m: QuoteMention) -> tuple[bool, int, int, int, int, bool]:
        outright = explicitness(m.rule) >= _EXPLICIT["according to X"]
        return (outright, votes(m), prominence(m.speaker), explicitness(m.rule), len(m.speaker.split()), bool(m.role))

    ordered = sorted(named, key=rank, reverse=True)
    best = ordered[0]
    speakers: list[tuple[QuoteMention, list[str]]] = []
    for m in ordered:
        if explicitness(m.rule) < _EXPLICIT["according to X"] or m.kind == "place" or is_place(m.speaker):
            continue
        for voice, ids in speakers:
            if same(voice.speaker, m.speaker) or _one_voice(voice, m):
                ids.append(m.article_id)
                break
        else:
            speakers.append((m, [m.article_id]))
    if len(speakers) < 2:
        return SpeakerChoice(best)
    return SpeakerChoice(best, tuple((voice.speaker, tuple(dict.fromkeys(ids))) for voice, ids in speakers))


def _inferred_speaker_named_inside(m: QuoteMention) -> bool:
    """A speaker reached through a pronoun or a carried cue whom the quote itself names ("“Roe was a reserved
    man ...,” he said" after a sentence about Roe): people do not speak of themselves by name, so the
    inference took the person talked about for the one talking.

    The second part of a broken quote ("“...,” Roe said. “I'm not working for Roe.”") is exempt: its
    speaker is its first part's, whose cue sits right between them, and that part was tested itself;
    a speaker may well name himself in a longer statement."""
    if explicitness(m.rule) >= _EXPLICIT["according to X"] or m.kind != "person" or m.rule == "broken quote":
        return False
    surname = m.speaker.split()[-1] if m.speaker.split() else ""
    return len(surname) > 1 and re.search(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", m.text) is not None


def _one_voice(a: QuoteMention, b: QuoteMention) -> bool:
    """Two names that may be one voice: they share a word, or one's role names the other."""
    words_a, words_b = set(fold_name(a.speaker).split()), set(fold_name(b.speaker).split())
    if words_a & words_b:
        return True
    return any(fold_name(y.speaker) in fold_name(x.role or "") for x, y in ((a, b), (b, a)) if y.speaker)


def quote_bank(articles: Sequence[Article], settings: Settings) -> list[QuoteEntry]:
    """Every direct quotation of ``articles``, cleaned as ``digest run`` cleans them, once per quotation.

    The same quote printed by several outlets is one entry with all its sources. Its speaker comes
    from the outlet that names it most explicitly (a name before a pronoun or a description, a
    full name before a surname); when outlets name different people, every name is kept and the
    entry is a disagreement. Entries come in order of first appearance.
    """
    from digest.clean import clean_article
    from digest.errors import ConfigError

    if settings.quote_parser not in PARSERS:
        raise ConfigError(f"[quotes] quote_parser must be one of {', '.join(PARSERS)}, not {settings.quote_parser!r}")

    found: list[tuple[Article, QuoteMention]] = []
    named: Counter[str] = Counter()  # how often the articles name each person or body
    for article in articles:
        paragraphs = quote_paragraphs(clean_article(article, settings))
        # Names are expanded within the article ("Caddell" -> "Pat Caddell"), as its reader would.
        # A headline in title case (as a title or as the first line) capitalises every word ("Obama Sees
        # Threat ..."): its runs of capitals are no names, and a surname would expand to one.
        lines = [p.text for p in paragraphs] + ([article.title] if article.title else [])
        own = NameBook(line for line in lines if not _title_case(line))
        for name, n in own.counts.items():
            named[own.canonical(name)] += n
        for mention in extract_quotes(paragraphs, own, article.author, settings.quote_parser):
            found.append((article, mention))
    book = NameBook(m.speaker for _, m in found if m.speaker != UNATTRIBUTED)

    def prominence(name: str) -> int:  # as the briefing ranks speakers: the one the articles name most often
        return named.get(book.canonical(name), 0) or named.get(name, 0)

    groups = _group_same_quotes([m for _, m in found])
    return [_bank_entry([found[i] for i in group], book, prominence) for group in groups]


def _title_case(line: str) -> bool:
    """Most words of ``line`` capitalised, short function words aside: a headline, not prose."""
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", line) if len(w) > 3]
    return 3 <= len(words) <= 25 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _group_same_quotes(mentions: Sequence[QuoteMention]) -> list[list[int]]:
    """Indexes of the same quotation in several articles (nearly the same words), in order of first appearance.

    Only quotes that share a run of three words are compared, so the work grows with the
    quotes that could be the same, not with every pair.
    """
    from digest.text import normalise

    groups: list[list[int]] = []
    by_shingle: dict[tuple[str, ...], list[int]] = {}
    texts = [normalise(m.text) for m in mentions]
    for i, text in enumerate(texts):
        words = text.split()
        shingles = {tuple(words[j:j + 3]) for j in range(max(1, len(words) - 2))}
        seen: set[int] = set()
        target = None
        for shingle in shingles:
            for g in by_shingle.get(shingle, ()):
                if g in seen:
                    continue
                seen.add(g)
                other = texts[groups[g][0]]
                if mentions[groups[g][0]].article_id == mentions[i].article_id:
                    same = text == other
                else:  # one word ("no", "absurd") printed in two articles is not one quotation
                    same = len(words) >= 2 and (text == other or same_quotation(text, other))
                if same:
                    target = g if target is None else min(target, g)
        if target is None:
            target = len(groups)
            groups.append([])
        groups[target].append(i)
        for shingle in shingles:
            bucket = by_shingle.setdefault(shingle, [])
            if target not in bucket:
                bucket.append(target)
    return groups


def same_quotation(a: str, b: str) -> bool:
    """Two outlets print the same quotation: one is (nearly) the other, or a long run of it.

    The shorter must appear almost word for word inside the longer (an outlet trims a
    quote, or prints other marks or spellings), and be a real share of it or long enough
    to be a statement of its own: two quotes that merely share many common words, or a
    few words that recur inside a longer quote ("unfit to be commander in chief"), are
    different quotations, possibly by different speakers.
    """
    from rapidfuzz import fuzz

    short, long_ = sorted((a, b), key=len)
    if len(short) < 15:
        return False
    words_short, words_long = len(short.split()), len(long_.split())
    if words_short < SAME_QUOTE_WORDS and words_short < SAME_QUOTE_SHARE * words_long:
        return False
    return fuzz.partial_ratio(short, long_) >= SAME_QUOTE_SCORE


def _bank_entry(members: Sequence[tuple[Article, QuoteMention]], book: NameBook,
                prominence: Callable[[str], int]) -> QuoteEntry:
    """One quote-bank entry; its speaker is chosen as the briefing chooses it (``choose_speaker``)."""
    sources = tuple(QuoteSource(a.path, a.url, a.outlet, m.text, None if m.speaker == UNATTRIBUTED else m.speaker,
                                m.rule, a.id, m.context) for a, m in members)
    choice = choose_speaker([m for _, m in members], book.same, prominence)
    best_article, best = members[0]
    if choice.mention is not None:
        best_article, best = next((a, m) for a, m in members if m is choice.mention)
    speakers = tuple(name for name, _ in choice.speakers)
    longest = max(members, key=lambda item: len(item[1].text))[1]
    return QuoteEntry(
        text=longest.text, speaker=best.speaker if choice.mention is not None else None,
        role=best.role if choice.mention is not None else None, context=best.context,
        path=best_article.path, url=best_article.url, outlet=best_article.outlet, rule=best.rule,
        sources=sources, speakers=speakers, disagreement=len(speakers) > 1)
