"""Direct quotations and who said them.

Extraction. Double quote marks, straight or curly, are paired by their position
(a mark after a space or at the start opens, a mark after a letter or
punctuation closes), so mixed marks such as “a convenient time." still pair.
A quote may span sentences; a paragraph that ends inside a quote and a next
paragraph that opens with a quote mark continue one quotation (the English
convention for a quote over several paragraphs). Quoted words count as a
quotation when they are a statement, not a scare-quoted phrase: at least
``MIN_FRAMED_WORDS`` words when the quote opens the sentence or follows
"said:", otherwise at least ``MIN_EMBEDDED_WORDS`` words.

Speaker resolution, in this order, within the quote's sentence:
1. after the quote: ``"...," X said`` / ``"...," said X`` / ``X told reporters`` /
   ``X said in a statement`` (X may carry a role: "ministry spokesperson Jane Roe");
2. before the quote: ``X said: "..."``, ``X said that he is "..."``;
3. ``according to X`` anywhere in the sentence;
4. a pronoun ("it said", "he added") or a bare role ("the minister told
   reporters", "the agency said") goes back to the last named speaker of the
   same article (an organisation for "it", a person for "he"/"she", a speaker
   whose role has that noun for "the minister");
5. a quote with no attribution in a paragraph whose earlier quote was
   attributed belongs to the same speaker; a quote continued from the previous
   paragraph keeps that quote's speaker.
Anything else is "unattributed": a speaker is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from digest.compose.actors import HONORIFICS, PRONOUNS, Actor, NameBook, is_role_word, parse_actor
from digest.models import Paragraph
from digest.text import split_sentences, tokens

UNATTRIBUTED = "unattributed"
MIN_FRAMED_WORDS = 4
MIN_EMBEDDED_WORDS = 8
MAX_SENTENCE_CHARS = 1500
MAX_PARAGRAPH_CHARS = 20_000  # longer paragraphs are not prose; quotes are not looked for in them

SPEECH_VERBS = (
    "said|says|say|added|adds|told|tells|stated|states|wrote|writes|reported|reports|announced|announces|"
    "declared|declares|warned|warns|insisted|insists|noted|notes|explained|explains|argued|argues|claimed|"
    "claims|stressed|stresses|urged|urges|asked|asks|replied|replies|responded|responds|commented|"
    "continued|concluded|remarked|tweeted|posted|quoted|quoting|saying|adding|telling"
)
_VERB = rf"(?:{SPEECH_VERBS})"
_ADVERBS = r"(?:also|later|then|previously|again|earlier|separately|further|had|has|have|would|will|once|reportedly)"
_MARKS = "\"“”„«»"
# The attribution right after a closing mark: ', X said' or ', said X'.
_AFTER_SAID_X = re.compile(rf"^\s*,?\s*{_VERB}\s+(?P<np>[^.;:!?\"“”]+)")
_AFTER_X_SAID = re.compile(rf"^\s*,?\s*(?P<np>[^.;:!?\"“”]{{1,160}}?)\s+(?:{_ADVERBS}\s+)*(?P<verb>{_VERB})\b")
_ACCORDING = re.compile(r"\baccording to (?P<np>[^,.;:\"“”]+)", re.I)
_NP_TRAILER = re.compile(
    r"\s+(?:on|in|at|after|before|during|when|while|without|referring|using|adding|citing|as|to|of)\b.*$"
)
_DEFINITE_ROLE = re.compile(r"^(?:the|this|that)\s+(?P<noun>[\w-]+)$", re.I)


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
class _Piece:
    paragraph: Paragraph
    start: int  # index of the opening mark in the paragraph text
    end: int | None  # index of the closing mark, None when the quote runs on to the next paragraph
    continued: bool = False  # this piece continues a quote from the previous paragraph


def pair_marks(text: str) -> list[tuple[int, int | None]]:
    """(open, close) indexes of double-quote marks in ``text``; close is None if the quote is left open.

    Curly opening marks open and curly closing marks close; a straight mark closes
    the open quote if there is one and opens a new one otherwise.
    """
    spans: list[tuple[int, int | None]] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch not in _MARKS:
            continue
        if ch in "“„«":
            if open_at is not None:  # an unclosed quote: treat it as ending here
                spans.append((open_at, i))
            open_at = i
        elif ch in "”»":
            if open_at is not None:
                spans.append((open_at, i))
                open_at = None
        elif open_at is None:
            open_at = i
        else:
            spans.append((open_at, i))
            open_at = None
    if open_at is not None:
        spans.append((open_at, None))
    return spans


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    cursor = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, cursor)
        if start < 0:
            start = cursor
        bounds.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return bounds or [(0, len(text))]


def _context(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence(s) holding text[start:end] and their bounds."""
    bounds = _sentence_bounds(text)
    first = next((b for b in bounds if b[0] <= start < b[1]), bounds[0])
    last = next((b for b in bounds if b[0] <= max(end - 1, start) < b[1] + 1), bounds[-1])
    if last[1] < first[1]:
        last = first
    return text[first[0]:last[1]].strip(), first[0], last[1]


def _clean_np(np: str, strip_trailer: bool = False) -> str:
    np = np.strip(" ,")
    if strip_trailer:  # "said X on Thursday, using ..." -> "X"
        np = _NP_TRAILER.sub("", np.split(",")[0]) if "," not in np or _looks_like_time(np) else np
        np = _NP_TRAILER.sub("", np) if len(np.split()) > 2 and not re.search(r",", np) else np
    return np.strip(" ,")


def _looks_like_time(np: str) -> bool:
    return bool(re.search(r",\s*(?:using|referring|adding|citing|without|in|on)\b", np))


class _Speakers:
    """The named speakers of one article so far, for pronoun and bare-role resolution."""

    def __init__(self) -> None:
        self.history: list[Actor] = []

    def note(self, actor: Actor) -> None:
        self.history.append(actor)

    def resolve(self, np: str, strip_trailer: bool = False) -> tuple[Actor | None, str]:
        """Resolve a noun phrase to an actor; the rule used is returned for ``digest explain``."""
        np = _clean_np(np, strip_trailer)
        low = np.lower()
        if low in PRONOUNS:
            want = "org" if low == "it" else "person" if low in {"he", "she"} else None
            for actor in reversed(self.history):
                if want is None or actor.kind == want:
                    return actor, f'"{np}" -> last named speaker'
            return None, f'"{np}" with no earlier named speaker'
        m = _DEFINITE_ROLE.match(np)
        if m:
            noun = m.group("noun").lower()
            for actor in reversed(self.history):
                if actor.role and noun in actor.role.lower():
                    return actor, f'"{np}" -> last speaker with that role'
            want = "org" if noun in {"agency", "ministry", "department", "office", "company", "government"} else "person"
            for actor in reversed(self.history):
                if actor.kind == want:
                    return actor, f'"{np}" -> last named speaker'
            return None, f'"{np}" with no earlier named speaker'
        actor = _actor_from_np(np)
        return actor, "named"


_SUBORDINATE = {
    "without", "when", "asked", "after", "before", "while", "although", "though", "but", "and", "as", "in",
    "on", "at", "for", "speaking", "writing", "however", "meanwhile", "calling", "if", "because", "so",
}


def _actor_from_np(np: str) -> Actor | None:
    """The speaker named by the words before (or after) a speech verb.

    Leading subordinate parts are dropped ("Without naming X, Kim" -> Kim); then
    "NAME, role phrase" and "role phrase, NAME" keep both; otherwise the last part
    is parsed as "ROLE NAME" ("State Department spokesperson Jane Roe").
    """
    np = re.sub(rf"\s+(?:{_ADVERBS})$", "", np.strip(" ,"))
    parts = [p.strip() for p in np.split(",") if p.strip()]
    while len(parts) > 1 and parts[0].split()[0].lower() in _SUBORDINATE:
        parts = parts[1:]
    if not parts or parts[-1].split()[0].lower() in _SUBORDINATE:
        return None

    def strip_article(text: str) -> str:
        return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)

    if len(parts) >= 2 and _bare_person(parts[0]) and _is_role_phrase(parts[1]) and parts[1][:1].islower():
        named = parse_actor(parts[0])
        if named is not None:
            return Actor(named.name, strip_article(parts[1]), named.kind)
    last = parse_actor(parts[-1])
    previous = parts[-2] if len(parts) >= 2 else ""
    if last is not None:
        if last.role is None and previous and _is_role_phrase(previous):
            return Actor(last.name, strip_article(previous), last.kind)
        return last
    if previous and _is_role_phrase(parts[-1]):
        named = parse_actor(previous)
        if named is not None and named.role is None:
            return Actor(named.name, strip_article(parts[-1]), named.kind)
    return None


def _bare_person(text: str) -> bool:
    tokens = [t for t in text.split() if t not in HONORIFICS]
    return bool(tokens) and all(t[:1].isupper() for t in tokens) and not any(is_role_word(t) for t in tokens)


def _is_role_phrase(text: str) -> bool:
    tokens = text.split()
    return 0 < len(tokens) <= 14 and any(is_role_word(t) for t in tokens) and tokens[0].lower() not in _SUBORDINATE


def _find_attribution(sentence_before: str, sentence_after: str, whole: str,
                      speakers: _Speakers) -> tuple[Actor | None, str]:
    m = _AFTER_SAID_X.match(sentence_after)
    if m:
        np = m.group("np")
        first = np.split()[0].lower() if np.split() else ""
        # "said that ...", "said in ...", "said on ..." introduce what was said, not who said it.
        if first and first not in {"that", "in", "on"}:
            actor, rule = speakers.resolve(np, strip_trailer=True)
            if actor:
                return actor, '"said X"' if rule == "named" else rule
    m = _AFTER_X_SAID.match(sentence_after)
    if m:
        actor, rule = speakers.resolve(m.group("np"))
        if actor:
            return actor, '"X said"' if rule == "named" else rule
        if rule != "named":
            return None, rule
    verbs = list(re.finditer(rf"\b{_VERB}\b", sentence_before))
    if verbs:
        verb = verbs[-1]
        np = re.sub(rf"(?:\s+(?:{_ADVERBS}))+\s*$", "", sentence_before[:verb.start()]).strip()
        tail = sentence_before[verb.end():]
        if np and len(tail.split()) <= 25 and not re.search(r"\b(?:that|which|who)\s*$", np):
            actor, rule = speakers.resolve(np[-160:])
            if actor:
                return actor, '"X said: ..."' if rule == "named" else rule
    m = _ACCORDING.search(whole)
    if m:
        actor, rule = speakers.resolve(m.group("np"))
        if actor:
            return actor, '"according to X"'
    return None, "no attribution found"


def _note_indirect_speakers(text: str, speakers: _Speakers) -> None:
    """Record speakers of reported speech ("X said that ...") so later pronouns resolve to them."""
    scrubbed = re.sub(r"[\"“][^\"“”]*[\"”]", " ", text)
    for sentence in split_sentences(scrubbed):
        if len(sentence) > MAX_SENTENCE_CHARS:
            continue  # a wall of text, not a sentence: no speaker is read from it
        for m in re.finditer(rf"(?P<np>[^.;!?]{{1,160}}?)\s+(?:{_ADVERBS}\s+)*(?:{_VERB})\b", sentence):
            np = _clean_np(m.group("np"))
            if np.lower() in PRONOUNS or _DEFINITE_ROLE.match(np):
                continue
            actor = _actor_from_np(np)
            if actor:
                speakers.note(actor)
                break
        m = _ACCORDING.search(sentence)
        if m:
            actor = _actor_from_np(m.group("np"))
            if actor:
                speakers.note(actor)


def extract_quotes(paragraphs: Sequence[Paragraph], book: NameBook | None = None) -> list[QuoteMention]:
    """Every direct quotation in one article's paragraphs (in order), with its resolved speaker."""
    book = book or NameBook(p.text for p in paragraphs)
    speakers = _Speakers()
    mentions: list[QuoteMention] = []
    pending: QuoteMention | None = None  # a quote still open at the end of the previous paragraph
    for paragraph in paragraphs:
        text = paragraph.text
        if len(text) > MAX_PARAGRAPH_CHARS:
            pending = None
            continue
        spans = pair_marks(text)
        last_in_paragraph: Actor | None = None
        cursor = 0
        for index, (start, end) in enumerate(spans):
            # Speakers named between the previous quote and this one count for pronouns.
            _note_indirect_speakers(text[cursor:start], speakers)
            continued = pending is not None and index == 0 and not text[:start].strip()
            stop = end if end is not None else len(text)
            quoted = text[start + 1:stop].strip()
            context, c_start, c_end = _context(text, start, stop)
            after = text[stop + 1:c_end] if end is not None else ""
            before = text[c_start:start]
            actor, rule = _find_attribution(before, after, context, speakers)
            if actor is None and continued and pending is not None:
                actor, rule = _actor_named(pending), "quote continued from the previous paragraph"
            elif actor is None and last_in_paragraph is not None:
                actor, rule = last_in_paragraph, "same paragraph as an attributed quote"
            if actor is not None:
                speakers.note(actor)
                last_in_paragraph = actor
            if continued and pending is not None:
                merged = replace(
                    pending,
                    text=f"{pending.text} {quoted}".strip(),
                    context=f"{pending.context} {context}".strip(),
                )
                if pending.speaker == UNATTRIBUTED and actor is not None:
                    merged = replace(merged, speaker=actor.name, role=actor.role, kind=actor.kind, rule=rule)
                mentions[-1] = merged
                pending = merged if end is None else None
            else:
                mention = QuoteMention(
                    paragraph.article_id, paragraph.position, quoted, actor.name if actor else UNATTRIBUTED,
                    context, rule, actor.role if actor else None, actor.kind if actor else "person",
                )
                mentions.append(mention)
                pending = mentions[-1] if end is None else None
            cursor = stop + 1
        _note_indirect_speakers(text[cursor:], speakers)
        if not spans:
            pending = None
    return [_finish(m, book) for m in mentions if _is_statement(m)]


def _actor_named(mention: QuoteMention) -> Actor:
    return Actor(mention.speaker, mention.role, mention.kind)


def _finish(mention: QuoteMention, book: NameBook) -> QuoteMention:
    text = mention.text.strip().rstrip(",;:").strip()
    text = re.sub(r"^[\s.…]+", "", text)
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1]
    speaker = mention.speaker
    if speaker != UNATTRIBUTED and mention.kind == "person":
        speaker = book.canonical(speaker)
    return replace(mention, text=text, speaker=speaker)


def _is_statement(mention: QuoteMention) -> bool:
    n = len(tokens(mention.text))
    context = mention.context
    at = context.find(mention.text[:20]) if mention.text else -1
    lead = context[:max(at - 1, 0)].strip()
    framed = not lead or lead.endswith(":") or bool(re.search(rf"\b{_VERB}\s*[:,]?$", lead))
    return n >= (MIN_FRAMED_WORDS if framed else MIN_EMBEDDED_WORDS)


def quotes_of(articles: Iterable[tuple[str, Sequence[Paragraph]]], book: NameBook) -> list[QuoteMention]:
    """Quotes of several articles, each article read in its own order."""
    found: list[QuoteMention] = []
    for _article_id, paragraphs in articles:
        found.extend(extract_quotes(sorted(paragraphs, key=lambda p: p.position), book))
    return found
