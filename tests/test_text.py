"""Sentence splitting: abbreviations, times, initials and quotes; and properties that hold for any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from digest.text import split_sentences

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
]


@pytest.mark.parametrize("text, expected", SPLITS)
def test_real_sentence_ends_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_a_question_answered_in_lower_case_is_one_sentence() -> None:
    assert split_sentences('"Stop!" the officer shouted.') == ['"Stop!" the officer shouted.']


WORDS = st.sampled_from(["The", "U.S.", "said", "Mo.", "p.m.", "O.J.", "Simpson", "5", "Jan.", "He", "“quoted", "words.”",
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
