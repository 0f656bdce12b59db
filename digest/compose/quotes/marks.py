"""Quotation marks paired by position, sentence bounds with quotes in place, and quotes blanked so that names are read outside them."""

from __future__ import annotations

import re
from typing import Sequence

from digest.compose.quotes.lexicon import _MARKS
from digest.text import split_sentences

_MARK = re.compile(f"[{re.escape(_MARKS)}]")


def pair_marks(text: str) -> list[tuple[int, int | None]]:
    """(open, close) indexes of double-quote marks in ``text``; close is None if the quote is left open.

    Curly opening marks open and curly closing marks close; a straight mark closes
    the open quote if there is one and opens a new one otherwise.
    """
    spans: list[tuple[int, int | None]] = []
    open_at: int | None = None
    nested = 0  # quote marks of a quote inside the open one ('“... what he calls “hell” ...”')
    inner_straight = False
    for mark in _MARK.finditer(text):  # (the marks alone: a paragraph's other characters are many)
        i = mark.start()
        ch = _as_printed_for(text, i, mark.group())
        if ch in "“„«":
            if open_at is not None and text[open_at] in "“„«" and _nested_open(text, i):
                nested += 1
                continue
            if open_at is not None:  # an unclosed quote: treat it as ending here
                spans.append((open_at, i))
            open_at = i
            nested, inner_straight = 0, False
        elif ch in "”»":
            inner_straight = False
            if nested:
                nested -= 1
            elif open_at is None and _misprinted_opening(text, i):
                open_at = i  # '”Fear. I am truly afraid ...” ― Jo Roe': a closing mark printed for the opening one
            elif open_at is not None:
                spans.append((open_at, i))
                open_at = None
        elif open_at is None:
            open_at = i
        elif inner_straight or text[open_at] in "“„«" and _nested_straight(text, i):
            inner_straight = not inner_straight  # '“She said "no" twice”': an inner quote in straight marks
        else:
            spans.append((open_at, i))
            open_at = None
    if open_at is not None:
        spans.append((open_at, None))
    return spans


def _as_printed_for(text: str, i: int, ch: str) -> str:
    """The mark ``ch`` at ``i`` as the writer meant it: an opening curly mark that no word follows ('... a
    brief “nap” :) “. Buyers ...', '... he said.“') closes a quote, whatever its shape."""
    if ch == "“" and (i + 1 == len(text) or text[i + 1] in ".,;:!?\n"
                      or text[i + 1] in " \t" and i > 0 and not text[i - 1].isspace()):
        return "”"
    return ch


def _misprinted_opening(text: str, i: int) -> bool:
    """A closing curly mark with no quote open, in front of a word ('... said: ”We ...”') and with another
    closing mark after it in the paragraph: the opening mark, misprinted."""
    return (i == 0 or text[i - 1] in " \t(—–-:") and i + 1 < len(text) and text[i + 1].isalnum() \
        and text[i] == "”" and "”" in text[i + 1:]


def _next_marks(text: str, after: int, n: int) -> list[str]:
    found = []
    for mark in _MARK.finditer(text, after + 1):
        found.append(_as_printed_for(text, mark.start(), mark.group()))
        if len(found) == n:
            break
    return found


def _nested_open(text: str, i: int) -> bool:
    """An opening curly mark inside an open curly quote opens an inner quote when two closing marks follow
    (the inner quote's and the outer one's) before any other opening mark; otherwise the outer quote was
    left unclosed."""
    return _next_marks(text, i, 2) == ["”", "”"]


def _nested_straight(text: str, i: int) -> bool:
    """A straight mark inside an open curly quote starts an inner quote when it opens a word after a space
    and a second straight mark and then the curly closing mark follow ('“... "no" ...”'); a straight mark
    after the quote's last word ('“... crumbling," she said. "Families ...”') closes it (mixed marks)."""
    opens_word = (i == 0 or text[i - 1] in " \t(—–-") and i + 1 < len(text) and not text[i + 1].isspace()
    return opens_word and _next_marks(text, i, 2) == ['"', "”"]


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


def _blank_quotes(text: str, spans: Sequence[tuple[int, int | None]]) -> str:
    """``text`` with quoted words replaced by spaces (same length), so cues and names are read outside quotes."""
    chars = list(text)
    for start, end in spans:
        stop = end + 1 if end is not None else len(text)
        for i in range(start, stop):
            chars[i] = " "
    return "".join(chars)
