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


def test_vague_versus_exact_count_is_no_disagreement():
    # "several days" does not contradict "four days": showing it would be a false contrast (issue 12).
    assert find_disagreements([
        ("a", "Rescuers searched the collapsed mine for four days before finding the workers."),
        ("b", "Rescuers searched the mine for several days, the company said."),
    ]) == []


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


# Only the same quantity of the same event is a disagreement (issue 12).
def test_ages_of_two_people_with_one_surname_are_no_disagreement():
    book = NameBook(["Tom Hale, 75, and his wife, Ann Hale, 70, were found at home."])
    assert find_disagreements([("a", "Founder Tom Hale, 75, was found at home."),
                               ("b", "His wife, Ann Hale, 70, was found beside him.")], book.same) == []


def test_durations_of_two_different_moments_are_no_disagreement():
    assert find_disagreements([
        ("a", "The envoy stayed at the embassy for about three hours before the fire reached the building."),
        ("b", "The report describes a two-hour video call between the envoy and the embassy staff."),
    ]) == []


def test_the_same_count_given_differently_is_a_disagreement():
    found = find_disagreements([
        ("a", "Police said three people were in custody after the raid on the warehouse."),
        ("b", "Four people were in custody after the warehouse raid, police said."),
    ])
    assert found and {v.text for v in found[0].versions} == {"three people", "Four people"}


def test_tolls_tallied_over_different_spans_are_no_disagreement():
    assert find_disagreements([
        ("a", "Officials said 29 people, among them eight children, had been killed since the air strikes began."),
        ("b", "Officials said at least 19 people, including five children, had been killed over two days of strikes."),
    ]) == []
    assert find_disagreements([
        ("a", "The army said 97 rockets fired from the valley hit the town on Friday and 99 were intercepted."),
        ("b", "The town had been the target of more than 750 rockets fired from the valley this year."),
    ]) == []
    found = find_disagreements([  # the same span, or none, is still compared
        ("a", "Officials said eight children had been killed since the air strikes began on the valley."),
        ("b", "Five children had been killed since the air strikes began on the valley, officials said."),
    ])
    assert found and {v.text for v in found[0].versions} == {"eight children", "Five children"}


def test_ages_of_two_unnamed_children_are_no_disagreement():
    assert find_disagreements([
        ("a", "One of the dead was the 11-month-old son of a reporter in the town, his editor said."),
        ("b", "Those who died included a 10-month-old girl wounded on Wednesday in the town, officials said."),
    ]) == []


def test_two_dates_for_the_same_event_are_a_disagreement():
    found = find_disagreements([
        ("a", "The army seized power in a coup on March 22 and closed the borders of the country."),
        ("b", "Soldiers seized power in the coup on March 21 and closed the country's borders."),
    ])
    assert found and found[0].topic.startswith("When")
    assert {v.text for v in found[0].versions} == {"March 22", "March 21"}


def test_dates_of_different_events_are_no_disagreement():
    assert find_disagreements([
        ("a", "The army seized power in a coup on March 22."),
        ("b", "The president fled the capital on March 24 by road."),
    ]) == []


def test_years_and_months_are_one_duration():
    assert find_disagreements([
        ("a", "The judge approved a plea agreement for an 85-month prison term on the weapons charge."),
        ("b", "The judge approved a plea agreement for him to serve 7 years, 1 month in prison on the weapons charge."),
    ]) == []
