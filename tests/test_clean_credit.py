"""The trailing-credit cut tried at one place is the plain substitution of the credit pattern."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from digest.clean import _TRAILING_CREDIT, strip_credit, without_trailing_credit

_PIECES = st.sampled_from([
    "The mayor said.", "said.", " ", "  ", "\t", "\n", "\u00a0", "-", "–", "—", "(", ")", "(AP)", "(Reuters)",
    "(AP/Reuters)", "(dpa)", "( AP)", "Reuters", "AP", "Jo Roe", "Bo", "a/b", "A/B", "x", "X", "\"", "”", "’",
    "!", "?", ".", "Mr.", "well-known", "New York", "— Reuters", " - AFP", "(Xinhua)",
])


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_the_credit_cut_equals_the_substitution(text):
    assert without_trailing_credit(text) == _TRAILING_CREDIT.sub("", text)
    assert strip_credit(text) == _TRAILING_CREDIT.sub("", text).rstrip()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_the_credit_cut_equals_the_substitution_on_any_text(text):
    assert without_trailing_credit(text) == _TRAILING_CREDIT.sub("", text)


def test_credits_are_cut():
    assert without_trailing_credit("The plant will close in May. – Reuters") == "The plant will close in May."
    assert without_trailing_credit("The plant will close.\u00a0 (AP) ") == "The plant will close."
    assert without_trailing_credit("A well-known plant closed.") == "A well-known plant closed."
