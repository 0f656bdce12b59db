"""Sentence splitting: abbreviations, times, initials and quotes; and properties that hold for any text."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from digest.text import (
    _TRANSLATE, AnyOf, content_words, normalise, normalise_uncached, normalised_content_words, prefiltered, required_literals,
    split_sentences, tokens,
)

STAYS_WHOLE = [
    "Former star O.J. Simpson was freed on Sunday.",
    "The storm hit at 5 p.m. Sunday and cut power to 4,000 homes.",
    "Police in Kansas City, Mo., said the man fled.",
    "She bought a ring from J.C. Penney on Friday.",
    "Walkers left Mt. Hood at dawn.",
    "Gov. Ann Lee and Sen. Tom Fox met in St. Paul.",
    "President John F. Kennedy came in 1963.",
    "The deal was signed on Jan. 12, 1998.",
    "MEBANE, N.C. (AP) -- A fire destroyed a barn.",
    "The U.S. Army said the drill goes ahead.",
    "The results are in Fig. 2 and the team was No. 1 in the poll.",
    "The age model was built with OxCal v4.2 (ref. 63) last year.",
    "He told the Star Tribune of Minneapolis-St. Paul about it.",
    "Shares of Acme Inc.'s unit rose.",
    # Glued full stops that are no sentence end: initials, a web address, a capital before the stop.
    "The U.S.Army drill goes ahead.",
    "Tickets are sold on Example.Com and at the door.",
    "The site runs on ASP.NET and Node.js today.",
    "Gov.Brown signed it.",
    "J.K.Rowling and Mr.Smith met in St.Louis at 10 a.m.Monday.",
]


@pytest.mark.parametrize("text", STAYS_WHOLE)
def test_abbreviations_initials_and_times_do_not_end_a_sentence(text: str) -> None:
    assert split_sentences(text) == [text]


SPLITS = [
    ("The boy was taken to a hospital in Kansas City, Mo. The hospital said he is stable.",
     ["The boy was taken to a hospital in Kansas City, Mo.", "The hospital said he is stable."]),
    ("The memo was sent at 10:08 p.m. The reply came at dawn.",
     ["The memo was sent at 10:08 p.m.", "The reply came at dawn."]),
    ("Apple Inc. reported record sales. Its shares rose.", ["Apple Inc. reported record sales.", "Its shares rose."]),
    ("He fell ill. Doctors said he would recover.", ["He fell ill.", "Doctors said he would recover."]),
    ("The plane climbed to 30,000 ft. The engine failed.", ["The plane climbed to 30,000 ft.", "The engine failed."]),
    ("He voted no. Then he left.", ["He voted no.", "Then he left."]),
    ('"Is this the end?" she asked. Nobody answered.', ['"Is this the end?" she asked.', "Nobody answered."]),
    ("He said it was \u201cdead.\u201d Others disagreed.", ["He said it was \u201cdead.\u201d", "Others disagreed."]),
    ("Turnout was low... The count went on.", ["Turnout was low...", "The count went on."]),
    ("The fund raised $2 million. 3 donors gave half.", ["The fund raised $2 million.", "3 donors gave half."]),
    # Glued with no space, as pages joined from separate lines often are.
    ("He wore blue jeans.Anyone who saw him should call.", ["He wore blue jeans.", "Anyone who saw him should call."]),
    ('She had custody of her."He was trusted," he said.', ['She had custody of her.', '"He was trusted," he said.']),
    ('"We will stay."He said no more.', ['"We will stay."', 'He said no more.']),
    ("Was it over?Nobody knew.", ["Was it over?", "Nobody knew."]),
    ("Two were injured.\u201cWe heard a bang,\u201d she said.", ["Two were injured.", "\u201cWe heard a bang,\u201d she said."]),
    ("The van had the tag 173GPS.On Tuesday it was seen.", ["The van had the tag 173GPS.", "On Tuesday it was seen."]),
]


@pytest.mark.parametrize("text, expected", SPLITS)
def test_real_sentence_ends_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_a_question_answered_in_lower_case_is_one_sentence() -> None:
    assert split_sentences('"Stop!" the officer shouted.') == ['"Stop!" the officer shouted.']


WORDS = st.sampled_from(["The", "U.S.", "said", "end.The", 'her."He', "Example.Com", "hurt.\u201cWe", "Mo.", "p.m.", "O.J.", "Simpson", "5", "Jan.", "He", "“quoted", "words.”",
                         "end.", "Why?", "No.", "1", "Mr.", "Smith", "...", "F.", "Kennedy", "ran", "—", "(AP)", "it"])
PARAGRAPH = st.lists(WORDS, min_size=0, max_size=40).map(" ".join) | st.text(max_size=200)


@hsettings(max_examples=300, deadline=None)
@given(PARAGRAPH)
def test_sentences_are_the_paragraph_in_order(text: str) -> None:
    """Nothing is lost, added or reordered: the sentences joined are the paragraph up to whitespace."""
    sentences = split_sentences(text)
    assert "".join("".join(sentences).split()) == "".join(text.split())
    assert all(s == s.strip() and s for s in sentences)


@hsettings(max_examples=300, deadline=None)
@given(PARAGRAPH)
def test_splitting_a_sentence_again_changes_nothing(text: str) -> None:
    for sentence in split_sentences(text):
        assert split_sentences(sentence) == [sentence]


# --- prefiltered patterns: the same results as the pattern, found faster ------------------------------

_PREFILTER_PATTERNS = [
    (r"\bsign(?:ing)? up\b|\bsubscribe\b|e-?mail address|log ?in to", re.I),
    (r"^\W*FILE\s*(?:PHOTO\b|[-–—:])|\b[Ii]n this (?:[\w.,'’]+\s+){0,6}(?:photo|image)\b|\((?:left|right|[LRC])\)", 0),
    (r"\bShare\s+(?:this\s+(?:article|story)|Tweet)\b|^\W*[\d.,]+[kKmM]?\s+SHARES?\b|[©ⓒ]", 0),
    (r"website can (?:also )?be accessed|©|cookies? (?:policy|settings)", re.I),
]
_PREFILTER_TEXTS = [
    "", "Sign up for our newsletter", "SIGNING UP today", "ſign up", "sıgn up", "Sİgn up", "e-mail address",
    "email ADDRESS", "Login to read", "log in to read", "FILE - In this photo", "In this Jan. 5 photo, a man",
    "in this image", "Mary (left) and John", "Mary (L) and", "Share Tweet", "936 SHARES", "© 2024", "ⓒ news",
    "This website can also be accessed at", "COOKIE SETTINGS", "Kookie", "The council met on Tuesday.",
    "A plain sentence about the budget, with no cue at all.", "share tweet", "Shares rose",
]


@pytest.mark.parametrize("source, flags", _PREFILTER_PATTERNS)
def test_prefiltered_pattern_gives_the_patterns_own_results(source: str, flags: int) -> None:
    plain = re.compile(source, flags)
    fast = prefiltered(source, flags)
    assert fast.literals, "each of these patterns needs a literal, so the prefilter is in use"
    for text in _PREFILTER_TEXTS + [t.upper() for t in _PREFILTER_TEXTS] + [t.swapcase() for t in _PREFILTER_TEXTS]:
        assert (fast.search(text) and fast.search(text).span()) == (plain.search(text) and plain.search(text).span())
        assert fast.findall(text) == plain.findall(text)
        assert fast.sub("#", text) == plain.sub("#", text)
        assert fast.split(text) == plain.split(text)
        assert bool(fast.match(text)) == bool(plain.match(text))


def test_prefilter_rules_out_texts_without_a_required_literal() -> None:
    fast = prefiltered(r"\bsign(?:ing)? up\b|\bsubscribe\b", re.I)
    # each literal is a piece of one alternative ("s" has a second fold under IGNORECASE, so it is left out)
    assert fast.literals and all(any(literal in cue for cue in ("sign up", "signing up", "subscribe"))
                                 for literal in fast.literals)
    assert not fast.could_match("The council met on Tuesday.")
    assert fast.could_match("SUBSCRIBE now")
    # sre folds "ſ" to "s" under IGNORECASE, str.lower does not: such text always runs the pattern.
    assert fast.could_match("ſubscribe") and fast.search("ſubscribe")


@pytest.mark.parametrize("source", [r"a*", r"\w+", r"(?:x|\d)", r"x?y?", r"[a-z]{2}"])
def test_patterns_that_need_no_literal_get_no_prefilter(source: str) -> None:
    assert required_literals(re.compile(source)) is None


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet="SsIiGgNnUuPp ſıİ()LRC©-eEmail", max_size=30))
def test_prefiltered_search_equals_the_pattern_on_any_text(text: str) -> None:
    for source, flags in _PREFILTER_PATTERNS:
        plain, fast = re.compile(source, flags), prefiltered(source, flags)
        assert (fast.search(text) and fast.search(text).span()) == (plain.search(text) and plain.search(text).span())


def test_split_sentences_answers_are_the_callers_own():
    text = "The river rose. Gov. Lee said so."
    first = split_sentences(text)
    first.append("changed")
    assert split_sentences(text) == ["The river rose.", "Gov. Lee said so."]


def test_tokens_gives_a_fresh_list_each_call():
    # tokens() is memoised: a caller that changes its list must not change the next caller's.
    first = tokens("The mayor-elect spoke twice.")
    first.append("extra")
    assert tokens("The mayor-elect spoke twice.") == ["The", "mayor-elect", "spoke", "twice"]


def test_content_words_from_a_normal_form_match_content_words():
    text = "“Jean-Luc Picard” took the ship to a new port, and the crew cheered."
    assert normalised_content_words(normalise(text)) == content_words(text)
    assert "the" not in content_words(text) and "a" not in content_words(text)


@given(st.text())
def test_a_normal_form_is_words_and_single_spaces(text):
    # words() and normalised_content_words() split a normal form on spaces instead of matching words in it.
    normal = normalise(text)
    assert normal.split() == re.findall(r"[^\W_]+", normal)
    assert " ".join(normal.split()) == normal


def _normalise_by_regex(text):
    text = text.translate(_TRANSLATE)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


@given(st.text() | st.text(alphabet=st.characters(max_codepoint=127)))
def test_normalise_of_ascii_text_takes_a_faster_path_to_the_same_form(text):
    assert normalise_uncached(text) == _normalise_by_regex(text)


_ANY_OF_BRANCHES = (r"\(Photo\s*:[^()]*\)", r"(?:^|\s)[Cc]redits?\s*:\s*\S", r"[.!?]\s+[A-Z]\w+\s+for\s+The\s+[A-Z]\w*\s*$",
                    r"^\W*Getty Images\b")


@hsettings(max_examples=300, deadline=None)
@given(st.text(alphabet="(Photo:)Credits ctGeyImagfrThe.!?XyZ", max_size=40))
def test_any_of_matches_exactly_where_the_alternation_of_its_branches_does(text: str) -> None:
    alternation = re.compile("|".join(f"(?:{b})" for b in _ANY_OF_BRANCHES))
    assert bool(AnyOf(_ANY_OF_BRANCHES).search(text)) == bool(alternation.search(text))


def test_any_of_gives_a_match_of_the_first_branch_that_matches():
    found = AnyOf((r"later", r"Credit:\s*\S")).search("Credit: NASA, seen later")
    assert found is not None and found.group(0) == "later"
    assert AnyOf((r"later", r"Credit:\s*\S")).search("nothing here") is None
