"""Where outlets disagree: the same fact reported with different numbers, or as confirmed by some and not others.

Two kinds of disagreement are found, each from general rules:

- **Quantities.** Every "<number> <unit>" (hours, days, years, people, ...),
  "<number>-<unit>" ("four-hour"), and age ("Jane Doe, 52," / "Jane Doe (52)")
  is read with the content words around it. Two mentions from different outlets
  describe the same fact when they share the unit and at least two of those
  words (or, for ages, the person) and count over the same span ("over two days", "since the
  strikes began", or none); if their values differ ("four hours" / "several hours", "52" / "53"),
  each value becomes a version with its outlets.
- **Confirmation.** A sentence that hedges a claim ("there was no immediate
  confirmation", "could not be independently verified", "unconfirmed") is
  compared with the sentences of other outlets that state the same claim: those
  that state it as fact and those that attribute it to a source are shown as
  versions beside the hedged one.

Spelling variants of names are never a disagreement: names are compared by
``actors.fold_name`` and the spelling-variant rule of ``actors.NameBook``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Sequence

from digest.models import Disagreement, Version
from digest.text import STOP_WORDS, content_words

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "a": 1, "an": 1,
}
_VAGUE = {"several", "a few", "few", "many", "dozens of", "hundreds of", "thousands of", "some"}
# A number is tried from its first digit only, taken possessively: "1,1,1,..." was quadratic.
_NUM = r"(?:(?<![\d,.])\d[\d,.]*+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|several|a few|few|many|dozens of|hundreds of|thousands of)"
_UNITS = r"(?:hours?|minutes?|days?|weeks?|months?|people|persons|dead|deaths|soldiers|civilians|troops|missiles|rockets|drones|casualties|victims|passengers|workers|children)"
_QUANTITY = re.compile(
    rf"\b(?P<qual>(?:over|more than|less than|about|around|nearly|almost|some|at least|up to)\s+)?(?P<num>{_NUM})(?:\s+|-)(?P<unit>{_UNITS})\b",
    re.I,
)
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DATE = re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s+\d{{4}})")
# From a word's start, each word taken possessively: tried inside a long capitalised token it is quadratic.
_AGE = re.compile(r"(?P<name>(?<![\w’'-])[A-Z][\w’'-]++(?:\s+[A-Z][\w’'-]++)*)(?:,\s*(?P<a1>\d{1,3}),|\s+\((?P<a2>\d{1,3})\))")
_HEDGE = re.compile(
    r"\b(?:no (?:immediate |independent |official )?confirmation|could not (?:be )?(?:independently )?(?:verif|confirm)\w*"
    r"|(?:has|have|had|did) not (?:yet )?(?:been )?(?:confirm|verif)\w*|unconfirmed|not (?:been )?independently verified"
    r"|declined to confirm|would not confirm)\b",
    re.I,
)
_ATTRIBUTED = re.compile(r"\baccording to\b|\b(?:said|says|reported|reports|claimed|claims)\b|\bstate media\b", re.I)
# What every quantity and every hedge holds: cheap tests before their patterns, which most sentences fail.
_UNIT_AFTER = re.compile(rf"[\s-]{_UNITS}\b", re.I)
_HEDGE_WORD = re.compile(r"confirm|verif", re.I)
_DIGIT = re.compile(r"\d")
_CONTEXT_WINDOW = 9
# The span a count is tallied over: "over two days of strikes", "in the past 24 hours", "since the strikes began",
# "so far", "this year", "on Friday". Two tolls over different spans (or one over a span and one without) are two tallies, not a conflict.
_TALLY_SPAN = re.compile(
    r"\b(?:(?:over|in|during|within)\s+(?:the\s+)?(?:(?:past|last|first)\s+)?(?:\d+|one|two|three|four|five|six|seven|"
    r"a few|several|\w+)?\s*(?:hours?|days?|weeks?|months?)\b|since\s+[^,.;]{3,60}|so far\b"
    r"|(?:this|last|that)\s+(?:year|month|week)\b|in\s+(?:19|20)\d\d\b"
    r"|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)",
    re.I)
_DURATIONS = {"hour", "minute", "day", "week", "month"}


@dataclass(frozen=True, slots=True)
class Mention:
    source: str
    value: float | str
    unit: str
    phrase: str
    context: frozenset[str]
    anchor: str = ""
    lower_words: frozenset[str] = frozenset()  # context words written in lower case (not names)
    head: str = ""  # the noun a hyphenated quantity qualifies ("two-hour call" -> "call")
    near: frozenset[str] = frozenset()  # lower-case content words within 3 words of the quantity
    span: str = ""  # the span a count is tallied over, as the sentence words it (lower case); "" if none


def _value(num: str) -> float | str:
    num = num.lower().strip()
    if num in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[num])
    if num in _VAGUE:
        return num
    try:
        return float(num.replace(",", ""))
    except ValueError:
        return num


def _unit(unit: str) -> str:
    unit = unit.lower()
    return unit[:-1] if unit.endswith("s") and unit not in {"people", "persons"} else unit


_YEARS_BEFORE = re.compile(rf"\b(?P<years>{_NUM})\s+years?,?\s*(?:and\s+)?$", re.I)


def quantity_mentions(source: str, sentence: str) -> list[Mention]:
    """The quantities a sentence states, with the words around each."""
    return [replace(m, source=source) for m in _sentence_quantities(sentence)]


@lru_cache(maxsize=65536)
def _sentence_quantities(sentence: str) -> tuple[Mention, ...]:
    """``quantity_mentions`` with no source, memoised: outlets print the same sentence (wire copy)."""
    source = ""  # (the caller's, given by quantity_mentions)
    found = []
    for m in _QUANTITY.finditer(sentence) if _UNIT_AFTER.search(sentence) else ():
        years = _YEARS_BEFORE.search(sentence[:m.start()]) if _unit(m.group("unit")) == "month" else None
        if years and isinstance(_value(years.group("years")), float) and isinstance(_value(m.group("num")), float):
            # "7 years, 1 month" is 85 months, not one month: the whole duration is the quantity.
            months = 12 * _value(years.group("years")) + _value(m.group("num"))
            before = sentence[:years.start()].split()[-_CONTEXT_WINDOW:]
            after = sentence[m.end():].split()[:_CONTEXT_WINDOW]
            lower = frozenset(content_words(" ".join(w for w in before + after if w.strip(",.;:").islower())))
            found.append(Mention(source, months, "month", sentence[years.start():m.end()],
                                 frozenset(content_words(" ".join(before + after))), "", lower))
            continue
        if re.match(r"[\s-]old\b", sentence[m.end():m.end() + 5]):
            continue  # "a 10-month-old girl", "11 months old": someone's age, and unnamed - whose, nobody can match
        before = sentence[:m.start()].split()[-_CONTEXT_WINDOW:]
        after = sentence[m.end():].split()[:_CONTEXT_WINDOW]
        context = frozenset(content_words(" ".join(before + after))) - {"first", "last"}
        phrase = m.group(0)
        lower = frozenset(w for w in before + after if w.strip(",.;:").islower())
        lower = frozenset(content_words(" ".join(lower)))
        head = after[0].strip(",.;:").lower() if "-" in phrase and after else ""
        near = frozenset(content_words(" ".join(w for w in before[-3:] + after[:3] if w.strip(",.;:").islower())))
        unit = _unit(m.group("unit"))
        span = "" if unit in _DURATIONS else _tally_span(sentence, m.start(), m.end())
        found.append(Mention(source, _value(m.group("num")), unit, phrase, context, "", lower, head,
                             near, span))
    if not _DIGIT.search(sentence):
        return tuple(found)  # a date and an age hold a digit
    for m in _DATE.finditer(sentence):
        before = sentence[:m.start()].split()[-_CONTEXT_WINDOW:]
        after = sentence[m.end():].split()[:_CONTEXT_WINDOW]
        lower = frozenset(content_words(" ".join(w for w in before + after if w.strip(",.;:").islower())))
        found.append(Mention(source, f"{m.group('month')} {m.group('day')}", "date", m.group(0),
                             frozenset(content_words(" ".join(before + after))), "", lower))
    for m in _AGE.finditer(sentence):
        age = m.group("a1") or m.group("a2")
        if age and 0 < int(age) < 120:
            name = m.group("name")
            if name.split()[-1].lower() in STOP_WORDS:
                continue
            # The whole name is the person: "Barry Sherman, 75" and "Honey Sherman, 70" are two people.
            found.append(Mention(source, float(age), "age", f"{name}, {age}", frozenset(), name))
    return tuple(found)


def _tally_span(sentence: str, start: int, end: int) -> str:
    """The span the count at ``sentence[start:end]`` is tallied over, "" if the sentence gives none (the count's
    own words, "two days" in "over two days", are no span of it)."""
    for m in _TALLY_SPAN.finditer(sentence):
        if m.end() <= start or m.start() >= end:
            return " ".join(m.group(0).lower().split())
    return ""


def find_disagreements(sentences: Sequence[tuple[str, str]], same_name: Callable[[str, str], bool] | None = None,
                       max_items: int = 3) -> list[Disagreement]:
    """Disagreements among (source id, sentence) pairs of one story, most-supported first."""
    same_name = same_name or (lambda a, b: a.lower() == b.lower())
    found: list[tuple[int, Disagreement]] = []
    found.extend(_quantity_disagreements(sentences, same_name))
    found.extend(_confirmation_disagreements(sentences))
    found.sort(key=lambda item: -item[0])
    return [d for _, d in found[:max_items]]


def _quantity_disagreements(sentences: Sequence[tuple[str, str]], same_name: Callable[[str, str], bool]):
    mentions = [m for source, s in sentences for m in quantity_mentions(source, s)]
    by_unit: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_unit[m.unit].append(m)
    results = []
    for unit, group in sorted(by_unit.items()):
        conflicts: list[tuple[Mention, Mention]] = []
        for a, b in _candidate_pairs(unit, group):
            if a.source == b.source or a.value == b.value:
                continue
            if unit == "age":
                if same_name(a.anchor, b.anchor):
                    conflicts.append((a, b))
            elif _same_quantity(a, b):
                conflicts.append((a, b))
        if not conflicts:
            continue
        a, b = conflicts[0]
        involved = [m for m in group if (unit == "age" and same_name(m.anchor, a.anchor))
                    or (unit != "age" and (m in (a, b) or _same_quantity(m, a) or _same_quantity(m, b)))]
        versions: dict[float | str, list[Mention]] = defaultdict(list)
        for m in involved:
            versions[m.value].append(m)
        if len(versions) < 2:
            continue
        ordered = sorted(versions.values(), key=lambda ms: -len({m.source for m in ms}))
        shared_words = _topic_word(frozenset(w for w in a.context & b.context if w in a.lower_words))
        if unit == "age":
            topic = f"Age of {a.phrase.split(',')[0]}"
        elif unit == "date":
            topic = "When" + (f" ({shared_words})" if shared_words else "")
        elif unit in {"hour", "minute", "day", "week", "month"}:
            topic = f"How long ({shared_words})" if shared_words else f"How many {unit}s"
        else:
            topic = f"How many {unit}" + (f" ({shared_words})" if shared_words else "")
        disagreement = Disagreement(topic, tuple(
            Version(ms[0].phrase, tuple(dict.fromkeys(m.source for m in ms))) for ms in ordered
        ))
        results.append((len({m.source for m in involved}), disagreement))
    return results


def _same_quantity(a: Mention, b: Mention) -> bool:
    """Two mentions give the same quantity of the same event: the same unit (checked by the caller), at least
    two shared words written in lower case (what is counted or timed, not only the names around it), or one
    right beside both for a duration ("two days of talks" / "the talks lasted three days"); neither is vague
    ("several", "hundreds of"); and a
    hyphenated quantity qualifies a noun the other mention also has ("a two-hour call" is not "three hours
    of talks"). A date needs three shared words: stories tell many dates of many events."""
    shared_lower = a.lower_words & b.lower_words
    if a.unit == "date":
        if len(shared_lower) < 2 or len(a.context & b.context) < 3:
            return False
    elif len(shared_lower) < 2 and not (a.unit in _DURATIONS and a.near & b.near):
        return False
    if a.unit != "date" and (isinstance(a.value, str) or isinstance(b.value, str)):
        return False  # "several days" or "hundreds of people" does not contradict a figure
    if a.span != b.span:
        return False  # "29 killed since the strikes began" / "19 killed over two days": two tallies
    for x, y in ((a, b), (b, a)):
        if x.head and x.head != y.head and x.head not in y.context:
            return False
    return True


def _candidate_pairs(unit: str, group: list[Mention]):
    """Pairs worth comparing: all of them in a small group; in a large one, those sharing an uncommon word."""
    if len(group) <= 60 or unit == "age":
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                yield a, b
        return
    postings: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(group):
        for w in m.context:
            postings[w].append(i)
    seen: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) > 50:
            continue
        for x, i in enumerate(ids):
            for j in ids[x + 1:]:
                if (i, j) not in seen:
                    seen.add((i, j))
                    yield group[i], group[j]


def _topic_word(words: frozenset[str]) -> str:
    return ", ".join(sorted(words)[:3])


def _confirmation_disagreements(sentences: Sequence[tuple[str, str]]):
    results = []
    index: _WordIndex | None = None  # built on the first hedged claim: most stories have none
    hedges = [_hedge(sentence) for _, sentence in sentences]
    for (source, sentence), hedge in zip(sentences, hedges):
        if not hedge:
            continue
        claim = re.split(r",\s*(?:according to|though|although|but|however)\b|\s+(?:though|although|but)\s+",
                         sentence[:hedge.start()])[0]
        claim_words = set(content_words(claim))
        if len(claim_words) < 2:
            continue
        index = index or _WordIndex(sentences, hedges)
        stated: dict[str, str] = {}
        attributed: dict[str, str] = {}
        for other in index.holding_most(claim_words, 0.75):
            other_source, text = sentences[other]
            if other_source == source:
                continue
            target = attributed if _ATTRIBUTED.search(text) else stated
            target.setdefault(other_source, text)
        if not stated:
            continue
        claim_text = claim.strip(" ,")
        attributed_only = {k: v for k, v in attributed.items() if k not in stated}
        versions = [Version("stated as fact", tuple(stated))]
        if attributed_only:
            phrases = Counter(_attribution_phrase(v) for v in attributed_only.values())
            versions.append(Version(f"attributed: {phrases.most_common(1)[0][0]}", tuple(attributed_only)))
        hedge_clause = re.split(r",\s*(?=though|although|but)", sentence[hedge.start() - 40 if hedge.start() > 40 else 0:])[-1]
        hedge_text = sentence[hedge.start():].rstrip(" .")
        versions.append(Version(f"not confirmed: {hedge_text}", (source,)))
        results.append((1 + len(stated) + len(attributed_only),
                         Disagreement(f"Confirmed? {claim_text}", tuple(versions))))
    return results


class _WordIndex:
    """The unhedged sentences' content words, indexed by word, so a claim is compared with the sentences that
    share its words rather than with every sentence of the story (a big story has tens of thousands)."""

    def __init__(self, sentences: Sequence[tuple[str, str]], hedges: Sequence[re.Match | None]) -> None:
        self.words: list[set[str]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        for i, ((_, sentence), hedge) in enumerate(zip(sentences, hedges)):
            words = set() if hedge else set(content_words(sentence))
            self.words.append(words)
            for w in words:
                self.postings[w].append(i)

    def holding_most(self, claim: set[str], share: float) -> list[int]:
        """Unhedged sentences (indexes, in order) holding at least ``share`` of the ``claim``'s words."""
        need = next(c for c in range(len(claim) + 1) if c / len(claim) >= share)
        # A sentence holding ``need`` of the claim's words holds one of its len - need + 1 rarest (a prefix filter).
        rarest = sorted(claim, key=lambda w: (len(self.postings.get(w, ())), w))[:len(claim) - need + 1]
        found = {i for w in rarest for i in self.postings.get(w, ())}
        return sorted(i for i in found if len(claim & self.words[i]) / len(claim) >= share)


def _hedge(sentence: str) -> re.Match | None:
    """Where a sentence hedges its claim ("could not be independently verified"), if it does."""
    return _HEDGE.search(sentence) if _HEDGE_WORD.search(sentence) else None


def _attribution_phrase(sentence: str) -> str:
    """The words that attribute a claim ("according to state media", "the agency said")."""
    m = re.search(r"\baccording to [^,.;]+", sentence, re.I)
    if m:
        return m.group(0)
    m = re.search(r"[,]\s*([^,]{2,60}?\b(?:said|says|reported|reports))\b", sentence)
    if m:
        return m.group(1).strip()
    return "attributed to a source"
