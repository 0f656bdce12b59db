"""Choosing the most informative version, and sentence groups across outlets."""

from digest.models import Cluster, Paragraph
from digest.select import choose_version, near_duplicate_groups, select_versions
from digest.settings import Settings


def test_the_member_covering_most_of_the_union_wins():
    texts = [
        "The mayor opened the new bridge on Monday.",
        "The mayor opened the new 300-metre bridge over the Elm river on Monday.",
        "The mayor opened the bridge.",
    ]
    choice = choose_version(texts)
    assert choice.index == 1
    assert "contains the other versions" in choice.reason


def test_a_spelling_no_other_member_shares_loses():
    texts = [
        "Prime minister Jonas Weller arrived in Tallinn for the summit on energy.",
        "Prime minister Jonas Waller arrived in Tallinn for the summit on energy.",
        "Prime minister Jonas Weller arrived in Tallinn for a summit on energy.",
    ]
    choice = choose_version(texts)
    assert choice.index != 1
    assert choice.scores[1] < choice.scores[0]
    # The reason shown by `digest explain` names the odd spelling when that member is examined.
    only_typo = choose_version([texts[1], texts[0], texts[2]])
    assert only_typo.index != 0


def test_a_caption_marker_loses():
    texts = ["Firefighters saved the old library from the flames (AP)",
             "Firefighters saved the old library from the flames."]
    assert choose_version(texts).index == 1


def test_near_duplicates_group_but_different_statements_do_not():
    texts = [
        "The central bank raised its main rate by half a point to 4.5 percent on Thursday.",
        "On Thursday the central bank raised its main rate by half a point, to 4.5 percent.",
        "Shares in the country's largest lender fell sharply after the announcement.",
    ]
    groups = near_duplicate_groups(texts, Settings())
    assert [0, 1] in groups and [2] in groups


def test_select_versions_splits_paragraphs_into_sentences_and_lists_every_source():
    a = Paragraph("a", 0, "The dam burst at dawn. Twelve villages were flooded within an hour.")
    b = Paragraph("b", 3, "Twelve villages were flooded within an hour, officials said. Rescue boats arrived at noon.")
    selections = select_versions([Cluster("s-c1", (a,)), Cluster("s-c2", (b,))], Settings())
    flooded = [s for s in selections if "Twelve villages" in s.chosen.text]
    assert len(flooded) == 1
    assert set(flooded[0].sources) == {"a", "b"}
    assert flooded[0].chosen.text.endswith("officials said.")  # the fuller version
    assert len(selections) == 3
