"""What happens next: announced future events, when they happen, and an iCalendar view of them.

A sentence announces an event when it has a *future marker* and an *event
word* in the same sentence (quoted words removed first, so a speaker's
prediction is not read as a schedule):

- future markers: "will <verb>", "is due / scheduled / set / expected to",
  "plans / planned to", "agreed to meet", "accepted an invitation ... to visit",
  "invited X to visit", "threatened to", "will not hesitate to", "deadline",
  "next week/month", "later this month", "no date has been set";
- event words: visit, travel, trip, tour, meet(ing), talks, summit, vote,
  election, hearing, trial, sign, impose, sanctions, deadline, launch, attend, ...

``when`` is the time expression as the text gives it ("on Thursday", "next
month", "at a convenient time"). With the article's publication date it is
resolved to a calendar date (ISO: day "2023-09-14", month "2023-10", week
"2023-W38", year "2024") and events are ordered by it.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Sequence

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = tuple(m.lower() for m in calendar.month_name[1:])
_MONTH_ABBR = tuple(m.lower() for m in calendar.month_abbr[1:])
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "few": 3, "several": 3}

_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH_RE = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_PERIOD_RE = r"(?:week|month|year|weekend|spring|summer|autumn|fall|winter)"
_NUM_RE = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|several)"

WHEN_PATTERNS = [
    re.compile(rf"\b(?:on|by|from|until|before|this|next|coming)?\s*{_WEEKDAY_RE}(?:\s+(?:morning|afternoon|evening|night))?\b"),
    re.compile(rf"\b(?:(?:early|late|later|by the end of)\s+)?(?:next|this|the coming)\s+{_PERIOD_RE}\b", re.I),
    re.compile(r"\b(?:today|tomorrow|tonight|this (?:morning|afternoon|evening))\b", re.I),
    re.compile(rf"\b(?:in|within)\s+(?:the next\s+)?{_NUM_RE}\s+(?:days?|weeks?|months?|years?)\b", re.I),
    re.compile(rf"\b(?:on|by|from|until|before)?\s*{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"),
    re.compile(rf"\b(?:on|by|from|until|before)?\s*\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_RE}(?:\s+\d{{4}})?\b"),
    re.compile(rf"\b(?:in|by|until|from|before)\s+{_MONTH_RE}(?:\s+\d{{4}})?\b"),
    re.compile(r"\bat (?:a|an) (?:convenient|later|unspecified|undisclosed) (?:time|date)\b", re.I),
    re.compile(r"\bno (?:timeline|date|timetable|time ?frame|time)\b[^.;]*?\b(?:set|given|announced|fixed|agreed)\b", re.I),
]

_FUTURE_MARKERS = re.compile(
    r"\bwill\s+(?:not\s+)?(?:also\s+)?(?!be\s+\w+ed\b)[a-z]+"
    r"|\b(?:is|are|was|were)\s+(?:\w+\s+)?(?:due|scheduled|set|expected|slated|poised|planning|going)(?:\s+[\w,]+){0,4}?\s+to\b"
    r"|\bplans?\s+to\b|\bplanned\s+to\b|\bintends?\s+to\b"
    r"|\bagreed\s+to\s+(?:meet|hold|visit|sign|return|resume)"
    r"|\baccepted\s+(?:an?|the|his|her|their)\s+(?:formal\s+)?invitation\b[^.;]*?\bto\s+(?:visit|travel|attend|come)"
    r"|\binvit(?:ed|es|ing)\s+[^.;]{1,60}?\bto\s+(?:visit|travel|attend|come|join)"
    r"|\bthreaten(?:s|ed)?\s+to\b|\bwo(?:n['’]t| not)\s+hesitate\b|\bwill not hesitate\b"
    r"|\bdeadline\b|\bultimatum\b"
    r"|\b(?:must|has to|have to|needs? to)\s+\w+[^.;]*?\bby\s+(?:the end of\s+)?(?:\d|[A-Z]|next|this|tomorrow)"
    r"|\bno (?:timeline|date|timetable|time ?frame)\b[^.;]*?\b(?:set|given|announced|fixed|agreed)\b",
    re.I,
)
_EVENT_WORDS = re.compile(
    r"\b(?:visit\w*|travel\w*|trip|tour\w*|meet|meets|meeting|talks|summit|vote|votes|voting|election|ballot"
    r"|hearing|trial|sentencing|sign|signing|impose\w*|sanction\w*|deadline|ultimatum|launch\w*|attend\w*"
    r"|inspect\w*|return|resume\w*|conference|referendum|strike|decision|ruling|announce\w*|testify|debate"
    r"|negotiat\w*|deploy\w*|withdraw\w*|release|approve|ratif\w*|submit|respond|comply|pay|deliver)\b",
    re.I,
)
_THREAT = re.compile(r"\bthreaten|\bwo(?:n['’]t| not)\s+hesitate|\bwill not hesitate|\bultimatum\b", re.I)
_REPORTED_AT = re.compile(r"\b(?:said|says|reported|announced|told \w+|stated|added)\s*$")
_CONDITION = re.compile(r"\b(?:if|unless|in case of|should)\b[^.;]*", re.I)
_QUOTED = re.compile(r"[\"“][^\"“”]{25,}[\"”]")


@dataclass(frozen=True, slots=True)
class EventMention:
    """An announced future event found in a sentence."""

    text: str
    kind: str  # visit, meeting, threat, deadline, vote, plan
    when: str | None = None
    date: str | None = None
    start: date | None = None  # first day of ``date``, for ordering and the calendar
    end: date | None = None  # day after the last day of ``date``
    condition: str | None = None


_SENTENCE_START = re.compile(r"^[\"“‘(]?[A-Z0-9]")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?$")
_CAPTION = re.compile(r"\((?:Photo|Image|Video|AP|Getty|Reuters)\b[^)]*\)|/\s*(?:Staff )?Photographer\b|"
                      r"\bGetty Images\b|\bImage (?:copyright|caption)\b|\bMedia caption\b", re.I)
# A marker in a relative clause ("those who planned to travel") tells about someone, not what comes next.
_RELATIVE_BEFORE = re.compile(r"\b(?:who|which|that|whom)\s+(?:\w+\s+){0,2}$", re.I)  # ("who has also threatened")
# ... nor what the writer infers ("..., implying that ground forces will not withdraw"), nor an earlier
# report the story goes on to set aside ("The Sun had reported that police are poised to ...").
_INFERRED_BEFORE = re.compile(r"\b(?:implying|meaning|suggesting|indicating)\s+(?:that\s+)?(?:[\w’'-]+\s+){0,6}$"
                              r"|\bhad\s+(?:reported|said|claimed|suggested|announced)\b[^.;]*$", re.I)
# ... nor in an indirect question: "the question is what it will release", "asked whether he will attend".
_QUESTION_BEFORE = re.compile(r"\b(?:what|whether|when|how|if)\s+(?:[\w’'-]+\s+){0,6}$", re.I)
# A condition clause of its own (at the start, after a comma, "and", "that" or "even"): what follows is
# hypothetical. "He will find out on Thursday if he is freed" asks whether; "if any", "if needed" are no clause.
_HYPOTHETICAL = re.compile(r"(?:^|,|\band|\bthat|\beven)\s+(?:even\s+)?(?:if|unless)\s+"
                           r"(?!any\b|necessary\b|needed\b|possible\b|so\b|not\b|required\b)\w+", re.I)
# A forecast is no announcement: "will likely poison the talks".
_FORECAST = re.compile(r"will\s+(?:likely|probably|possibly|perhaps)\b", re.I)
# A time right after a past-tense verb is when something already happened ("which expired Monday").
_PAST_BEFORE = re.compile(r"\b(?:\w+ed|was|were|had|did|came|went|began|ran|fell|held|met|said|told|left|took)"
                          r"\s+(?:\w+\s+)?$", re.I)


def is_whole_sentence(text: str) -> bool:
    """``text`` reads as one whole sentence: it opens with a capital (or a quote, a digit), ends with a full stop
    (or ! ?), and its double quotation marks pair up. A piece left by a bad split ("Sunday and waited ...") or a
    quote cut in two is not."""
    text = text.strip()
    if not _SENTENCE_START.match(text) or not _SENTENCE_END.search(text):
        return False
    straight = text.count('"')
    return straight % 2 == 0 and text.count("“") == text.count("”")


def find_event(sentence: str, published: date | None = None) -> EventMention | None:
    """The future event ``sentence`` announces, or None.

    Only a whole sentence, never a caption; not a marker in a relative clause ("who planned to"); and never
    an event whose time is given as past ("a deadline ..., which expired Monday")."""
    if not is_whole_sentence(sentence) or _CAPTION.search(sentence):
        return None
    plain = _QUOTED.sub(" ", sentence)
    plain_marks = re.sub(r"[\"“”]|‘|’(?![a-z])", "", plain)
    marker = next((m for m in _FUTURE_MARKERS.finditer(plain_marks) if _announces(plain_marks, m)), None)
    if not marker or not _EVENT_WORDS.search(plain_marks[marker.start():] + " " + marker.group(0)):
        return None
    when = find_when(plain_marks, after=marker.start())
    if when and _told_as_past(plain_marks, when):
        return None
    kind = _kind(plain_marks)
    if kind != "threat" and _HYPOTHETICAL.search(plain_marks):
        return None  # "if someone attacks him, he will respond": what would follow on a condition, not a plan
    condition = None
    if kind == "threat":
        m = _CONDITION.search(plain_marks[marker.start():])
        condition = m.group(0).strip(" ,.") if m else None
    resolved = resolve_when(when, published) if when and published else None
    if resolved:
        iso, start, end = resolved
        return EventMention(sentence, kind, when, iso, start, end, condition)
    return EventMention(sentence, kind, when, None, None, None, condition)


def _announces(sentence: str, marker: re.Match) -> bool:
    """Whether a future marker announces something: not in a relative clause ("who planned to"), an indirect
    question ("it is unknown when she will return") or a forecast ("will likely"), and not a capitalised word
    inside the sentence, which is a name ("Will Smith", "a pilot called Deadline Now")."""
    before = sentence[:marker.start()]
    if _RELATIVE_BEFORE.search(before) or _QUESTION_BEFORE.search(before) or _FORECAST.match(marker.group(0)) \
            or _INFERRED_BEFORE.search(before):
        return False
    if re.match(r"[Ww]ill\s+[A-Z]", marker.group(0)):
        return False  # "Will Smith": a first name before a name, not the future
    return not (marker.group(0)[:1].isupper() and before.strip(" \"“‘("))


def _told_as_past(sentence: str, when: str) -> bool:
    """The time expression follows a past-tense verb: it dates something that already happened."""
    at = sentence.find(when)
    return at > 0 and bool(_PAST_BEFORE.search(sentence[:at]))


def find_when(sentence: str, after: int = 0) -> str | None:
    """The time expression of an event, as the text gives it."""
    best: tuple[int, str] | None = None
    for pattern in WHEN_PATTERNS:
        for m in pattern.finditer(sentence):
            if m.start() < after and m.start() > 15:
                continue  # before the announcement: the time of something else ("the first in four years")
            if _REPORTED_AT.search(sentence[:m.start()]):
                continue  # "the agency reported on Thursday": when it was said, not when it happens
            text = m.group(0).strip()
            if not text:
                continue
            if best is None or m.start() < best[0]:
                best = (m.start(), text)
            break
    if best is None:
        return None
    when = best[1]
    if re.match(r"no ", when, re.I):
        return "no date set"
    return when


def resolve_when(when: str, published: date) -> tuple[str, date, date] | None:
    """(ISO date, first day, day after last day) of a time expression, relative to ``published``."""
    low = when.lower().strip()
    low = re.sub(r"^(?:on|by|from|until|before|in|within|the coming|coming)\s+", "", low)
    day = timedelta(days=1)
    for i, name in enumerate(_WEEKDAYS):
        if re.search(rf"\b{name}\b", low):
            ahead = (i - published.weekday()) % 7
            if low.startswith("next") and ahead == 0:
                ahead = 7
            d = published + timedelta(days=ahead)
            return d.isoformat(), d, d + day
    if low in {"today", "tonight"} or low.startswith("this morning") or low.startswith("this afternoon") \
            or low.startswith("this evening"):
        return published.isoformat(), published, published + day
    if low == "tomorrow":
        d = published + day
        return d.isoformat(), d, d + day
    m = re.search(rf"\b(next|this)\s+{_PERIOD_RE}\b", low)
    if m:
        period = low[m.start():].split()[1]
        shift = 1 if m.group(1) == "next" else 0
        if period in {"week", "weekend"}:
            monday = published - timedelta(days=published.weekday()) + timedelta(weeks=shift)
            year, week, _ = monday.isocalendar()
            return f"{year}-W{week:02d}", monday, monday + timedelta(weeks=1)
        if period == "month":
            year, month = published.year + (published.month + shift - 1) // 12, (published.month + shift - 1) % 12 + 1
            start = date(year, month, 1)
            end = date(year + month // 12, month % 12 + 1, 1)
            return f"{year}-{month:02d}", start, end
        if period == "year":
            year = published.year + shift
            return str(year), date(year, 1, 1), date(year + 1, 1, 1)
        return None
    m = re.match(rf"{_NUM_RE}\s+(day|week|month|year)s?", low.replace("the next ", ""))
    if m:
        count = _NUMBERS.get(low.split()[0], None) if not low.split()[0].isdigit() else int(low.split()[0])
        unit = m.group(1)
        if count:
            days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * count
            d = published + timedelta(days=days)
            return d.isoformat(), d, d + day
    month_day = re.match(rf"({_MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?$", low, re.I) \
        or re.match(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})(?:\s+(\d{{4}}))?$", low, re.I)
    if month_day:
        a, b, year_text = month_day.groups()
        month_name, day_text = (a, b) if not a[0].isdigit() else (b, a)
        month = _month_number(month_name)
        if month:
            year = int(year_text) if year_text else published.year
            try:
                d = date(year, month, int(day_text))
            except ValueError:
                return None
            if not year_text and d < published - timedelta(days=7):
                d = date(year + 1, month, int(day_text))
            return d.isoformat(), d, d + day
    m = re.match(rf"({_MONTH_RE})(?:\s+(\d{{4}}))?$", low, re.I)
    if m:
        month = _month_number(m.group(1))
        if month:
            year = int(m.group(2)) if m.group(2) else published.year + (1 if month < published.month else 0)
            start = date(year, month, 1)
            return f"{year}-{month:02d}", start, date(year + month // 12, month % 12 + 1, 1)
    return None


def _month_number(name: str) -> int | None:
    name = name.lower().rstrip(".")
    if name in _MONTHS:
        return _MONTHS.index(name) + 1
    if name[:3] in _MONTH_ABBR:
        return _MONTH_ABBR.index(name[:3]) + 1
    return None


def _kind(sentence: str) -> str:
    low = sentence.lower()
    if _THREAT.search(sentence):
        return "threat"
    if re.search(r"\bdeadline|\bultimatum|\b(?:must|has to|have to|needs? to)\b[^.;]*\bby\b", low):
        return "deadline"
    if re.search(r"\bvote|\bballot|\belection|\breferendum", low):
        return "vote"
    if re.search(r"\bvisit|\btravel|\btrip\b|\btour", low):
        return "visit"
    if re.search(r"\bmeet|\btalks\b|\bsummit|\bconference", low):
        return "meeting"
    return "plan"


def parse_published(value: str | None) -> date | None:
    """The date part of an ISO-8601 date or date-time, or None."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
        except ValueError:
            return None


def ics_bytes(events: Sequence[tuple[str, str | None, str | None, Sequence[str]]], title: str,
              stamp: datetime) -> bytes:
    """An iCalendar file of the events that have a resolved date.

    ``events`` are (text, when, iso date, outlet names). Day, week, month and year
    dates become all-day events spanning that period.
    """
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//newsdigest//digest//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", title)
    for text, when, iso, outlets in events:
        span = iso_span(iso) if iso else None
        if span is None:
            continue
        start, end = span
        event = Event()
        event.add("uid", hashlib.sha1(f"{iso}|{text}".encode()).hexdigest()[:20] + "@newsdigest")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", text if len(text) <= 120 else text[:117].rsplit(" ", 1)[0] + "…")
        description = text + (f"\nWhen: {when}" if when else "") + (f"\nSources: {', '.join(outlets)}" if outlets else "")
        event.add("description", description)
        cal.add_component(event)
    return cal.to_ical()


def iso_span(iso: str) -> tuple[date, date] | None:
    """First day and day after the last day of an ISO day, week, month or year."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
            d = date.fromisoformat(iso)
            return d, d + timedelta(days=1)
        if re.fullmatch(r"\d{4}-W\d{2}", iso):
            monday = date.fromisocalendar(int(iso[:4]), int(iso[6:]), 1)
            return monday, monday + timedelta(weeks=1)
        if re.fullmatch(r"\d{4}-\d{2}", iso):
            year, month = int(iso[:4]), int(iso[5:])
            return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
        if re.fullmatch(r"\d{4}", iso):
            return date(int(iso), 1, 1), date(int(iso) + 1, 1, 1)
    except ValueError:
        return None
    return None
