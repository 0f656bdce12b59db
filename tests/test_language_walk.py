"""The language identifier's array walk and scoring give py3langid's own numbers, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from digest.clean import language


def plain_states(moves, rowbase, data: bytes) -> list[int]:
    """The DFA walk as py3langid's ``visit_counts`` does it, one byte at a time."""
    state, found = 0, []
    for byte in data:
        state = int(moves[rowbase[state] + byte])
        found.append(state)
    return found


@pytest.fixture(scope="module")
def identifiers():
    from py3langid.langid import LanguageIdentifier

    fast = language._identifier()
    plain = LanguageIdentifier(fast.nb_ptc, fast.nb_pc, fast.nb_classes, fast.tk_nextmove, fast.tk_output,
                               norm_probs=True, tk_row=fast.tk_row)
    return fast, plain


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_the_window_walk_of_the_model_is_its_byte_walk(data):
    moves, rowbase, _ = language._identifier()._walk
    states = language.window_states(moves, rowbase, np.frombuffer(data, dtype=np.uint8))
    assert states is not None  # the model's automaton needs no more than WALK_WINDOW bytes
    assert states.tolist() == plain_states(moves, rowbase, data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40), st.integers(1, 8))
def test_a_window_too_short_for_the_automaton_is_noticed(data, window):
    # The parity of the bytes read so far: every state depends on the whole text, not on a window.
    moves = np.array([(state + byte) % 2 for state in range(2) for byte in range(256)], dtype=np.uint32)
    rowbase = np.array([0, 256], dtype=np.int64)
    states = language.window_states(moves, rowbase, np.frombuffer(data, dtype=np.uint8), window)
    if states is not None:
        assert states.tolist() == plain_states(moves, rowbase, data)
    if len(data) > window and sum(data[: len(data) - window]) % 2:
        assert states is None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 20), max_size=60))
def test_feature_visits_are_a_counter_in_first_met_order(found):
    from collections import Counter

    outputs = np.array([-1, *range(20)], dtype=np.int64)  # state 0 outputs nothing, state k feature k - 1
    states = np.array(found, dtype=np.int64)
    features, counts = language.feature_visits(states, outputs)
    expected = Counter(f - 1 for f in found if f)
    assert list(zip(features.tolist(), counts.tolist())) == list(expected.items())


TEXTS = [
    "The river burst its banks on Sunday, flooding hundreds of homes in the old town, officials said.",
    "La rivière est sortie de son lit dimanche, inondant des centaines de maisons dans la vieille ville.",
    "Река вышла из берегов в воскресенье, затопив сотни домов в старом городе.",
    "Der Fluss trat am Sonntag über die Ufer und überschwemmte Hunderte Häuser in der Altstadt.",
    "川の水が日曜日にあふれ、旧市街の数百軒の家が浸水した。", "", "a", "   ", "SHOUTED HEADLINE IN CAPITALS",
]


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.sampled_from(TEXTS), st.text(max_size=400)))
def test_scores_and_calls_are_py3langids_own(identifiers, text):
    fast, plain = identifiers
    assert fast._decide(text).tobytes() == plain._decide(text).tobytes()
    assert fast.classify(text) == plain.classify(text)


def test_a_restricted_identifier_scores_as_py3langids_own(identifiers):
    from py3langid.langid import LanguageIdentifier

    fast, _ = identifiers
    kind = type(fast)
    limited = kind(fast.nb_ptc, fast.nb_pc, fast.nb_classes, fast.tk_nextmove, fast.tk_output, norm_probs=True,
                   tk_row=fast.tk_row)
    limited.prepare_walk()
    plain = LanguageIdentifier(fast.nb_ptc, fast.nb_pc, fast.nb_classes, fast.tk_nextmove, fast.tk_output,
                               norm_probs=True, tk_row=fast.tk_row)
    limited.set_languages(["en", "fr"])
    plain.set_languages(["en", "fr"])
    for text in TEXTS:
        assert limited._decide(text).tobytes() == plain._decide(text).tobytes()
