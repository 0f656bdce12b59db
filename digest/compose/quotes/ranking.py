"""Which quotes a briefing shows first: complete statements, by who speaks, and the sentence a quoted phrase stands in."""

from __future__ import annotations

import re

from digest.compose.quotes.lexicon import MIN_FRAMED_WORDS, _MARKS
from digest.text import split_sentences, tokens


MIN_PHRASE_WORDS = 2
MAX_ATTRIBUTION_WORDS = 14  # the words between the halves of a statement split by its attribution
MAX_IN_SENTENCE_WORDS = 45  # a phrase quoted inside a longer sentence is shown in it only if it stays short
PRINCIPAL_WEIGHT = 1.2  # a principal of the story (named in most ledes) speaks
REACTOR_WEIGHT = 1.1  # a government or body that speaks for a country (a key reactor)
FRAGMENT_WEIGHT = 0.7  # a few words quoted inside a sentence say less than a whole statement
MAX_TERM_WORDS = 3
# What makes a few quoted words speech rather than a name for something: a verb or a person speaking.
_SPEECH_WORD = re.compile(
    r"(?:^|\s)(?:i|we|you|he|she|they|it|me|us|my|our|is|are|was|were|be|been|am|will|would|can|could|should|must|"
    r"may|might|shall|have|has|had|do|does|did|not|no|never|[\w’'-]+(?:n[’']t|[’'](?:s|re|ll|ve|d|m))|"
    r"[\w-]{3,}(?:ed|ing)(?=\s+(?:them|him|her|it|us|me|you|the|a|an|to|on|in|at|by|for|with|up|out|off|down)\b|$)|"
    r"[\w-]+ly\s+[\w-]+s)(?=\s|$)", re.I)
# (an "-ed" or "-ing" form is a verb at the end or before its object, "killed them"; before a noun it is an
# adjective, "camping supplies"; "strongly condemns": an adverb and its verb)


def is_complete_statement(text: str, context: str | None = None) -> bool:
    """A whole statement (it opens with a capital and has ``MIN_FRAMED_WORDS`` words), not a phrase from one.

    A shorter quote that opens its sentence (``context``) and leaves the rest of it to its attribution
    ("“This is agonizing,” Daniels said.") is a whole statement too: what follows it is who said it.
    """
    if not text[:1].isupper():
        return False
    if context is not None and is_first_half(text, context):
        return False
    n = len(tokens(text))
    return n >= MIN_FRAMED_WORDS or n >= MIN_PHRASE_WORDS and context is not None and opens_its_sentence(text, context)


def is_first_half(quote: str, context: str) -> bool:
    """The quotation opens its sentence and breaks off on a comma for its attribution, and the sentence
    quotes on after it ('“During the storm,” Roe said, “the harbour kept every boat in.”'): half a statement,
    whose whole is the sentence."""
    if not opens_its_sentence(quote, context):
        return False
    head = context.lstrip()
    marks = [i for i, ch in enumerate(head) if ch in _MARKS]
    if len(marks) < 3 or not head[:marks[1]].rstrip().endswith(","):
        return False
    # The attribution between the halves is short and hands on to the rest ('..., Roe said, “the ...', 'she
    # said, and then “we ...'); a title quoted after it ('Lew told CNN's “State of the Union.”') is no half.
    between = head[marks[1] + 1:marks[2]]
    rest = head[marks[2] + 1:].lstrip()
    return len(between.split()) <= MAX_ATTRIBUTION_WORDS and (between.rstrip().endswith((",", ":"))
                                                               or rest[:1].islower())


def opens_its_sentence(quote: str, context: str) -> bool:
    """The quotation is the first thing in its sentence (after its opening mark): the sentence is the quote and
    its attribution, not reported speech holding a phrase."""
    head = context.lstrip()
    return head[:1] in _MARKS and head[1:].lstrip().startswith(quote[:40])


def quote_weight(text: str, speaker_is_principal: bool, speaker_is_reactor: bool, in_sentence: bool,
                 context: str | None = None) -> float:
    """How much a quotation is worth beside others carried by as many outlets (1.0: a plain statement).

    Principals' words come before key reactors', and theirs before anybody else's; a phrase
    quoted in a sentence counts as a statement when it is shown in its sentence, and as a
    fragment otherwise. The number of outlets is counted by the caller's importance score.
    """
    weight = PRINCIPAL_WEIGHT if speaker_is_principal else REACTOR_WEIGHT if speaker_is_reactor else 1.0
    if not (is_complete_statement(text, context) or in_sentence):
        weight *= FRAGMENT_WEIGHT
    return weight


def sentence_for_phrase(quote: str, context: str) -> str | None:
    """The sentence to show a phrase quoted inside reported speech in, or None if it is a statement of its own.

    The phrase must have ``MIN_PHRASE_WORDS`` words; the context must be one sentence that holds it,
    marks included, and stays short.
    """
    if is_complete_statement(quote, context) or not context or len(context.split()) > MAX_IN_SENTENCE_WORDS:
        return None  # shown in its sentence, a quote that opens it would carry its own attribution
    if len(tokens(quote)) < MIN_PHRASE_WORDS:
        return None  # one quoted word ("has “accepted” an invitation") is a word held at a distance, not speech
    if len(split_sentences(context)) != 1 or quote not in context:
        return None
    if is_quoted_term(quote):
        return None  # 'so-called “safe zones”', 'a “meteorological analysis”': a term held at a distance
    return context


def is_quoted_term(quote: str) -> bool:
    """Two or three quoted words without a verb ("safe zones", "charm offensive"): a term the writer holds at a
    distance, not words someone is quoted saying."""
    words = tokens(quote)
    return len(words) <= MAX_TERM_WORDS and not _SPEECH_WORD.search(" ".join(words))
