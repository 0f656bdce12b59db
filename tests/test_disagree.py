"""Disagreements between outlets, on hand-written sentences."""

from digest.compose.actors import NameBook
from digest.compose.disagree import find_disagreements, quantity_mentions


def test_durations_that_differ_are_shown_with_their_outlets():
    found = find_disagreements([
        ("a", "The two ministers held talks for three hours in the capital."),
        ("b", "The ministers' talks lasted five hours, officials said."),
        ("c", "After talks of about three hours, the ministers left without a statement."),
    ])
    assert len(found) == 1
    versions = {v.text: set(v.sources) for v in found[0].versions}
    assert versions == {"three hours": {"a"}, "five hours": {"b"}, "about three hours": {"c"}} or \
        {frozenset(s) for s in versions.values()} == {frozenset({"a", "c"}), frozenset({"b"})}


def test_vague_versus_exact_count_is_a_disagreement():
    found = find_disagreements([
        ("a", "Rescuers searched the collapsed mine for four days before finding the workers."),
        ("b", "Rescuers searched the mine for several days, the company said."),
    ])
    assert found and {v.sources for v in found[0].versions} == {("a",), ("b",)}


def test_unrelated_numbers_are_not_compared():
    assert find_disagreements([
        ("a", "The museum reopened after two days of repairs to its roof."),
        ("b", "Voters will return to the polls in five days for a second round."),
    ]) == []


def test_ages_differ_for_the_same_person():
    book = NameBook(["Maria Ortega, 54, won the race.", "Ortega (55) won."])
    found = find_disagreements([("a", "The winner, Maria Ortega, 54, crossed the line first."),
                                ("b", "Ortega (55) said she would race again.")], book.same)
    assert found and found[0].topic.startswith("Age of")


def test_same_ages_are_no_disagreement():
    assert find_disagreements([("a", "Maria Ortega, 54, won."), ("b", "Ortega (54) won the race.")]) == []


def test_spelling_variants_of_a_name_are_not_a_disagreement():
    book = NameBook(["Kim Jae-won met Lee.", "Kim Jae Won met Lee."])
    assert book.same("Kim Jae-won", "Kim Jae Won")
    assert find_disagreements([("a", "Kim Jae-won met the envoy."), ("b", "Kim Jae Won met the envoy.")],
                              book.same) == []


def test_confirmed_versus_unconfirmed():
    found = find_disagreements([
        ("a", "The rebels captured the northern airport, according to a rebel spokesman, though there was no "
              "independent confirmation."),
        ("b", "The rebels captured the northern airport on Sunday."),
        ("c", "Rebels captured the northern airport, state television reported."),
    ])
    assert len(found) == 1
    texts = [v.text for v in found[0].versions]
    assert texts[0] == "stated as fact" and found[0].versions[0].sources == ("b",)
    assert any(t.startswith("attributed") for t in texts)
    assert texts[-1].startswith("not confirmed") and found[0].versions[-1].sources == ("a",)


def test_quantity_mentions_read_hyphenated_units():
    (m,) = quantity_mentions("a", "After a six-hour meeting the deal was signed.")
    assert m.value == 6.0 and m.unit == "hour"
