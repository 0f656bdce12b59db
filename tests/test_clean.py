"""Clean stage: what must go, what must stay, and invariants on any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from digest.clean import boilerplate_reason, clean_article, split_paragraphs, strip_credit
from digest.settings import Settings

from conftest import make_article

S = Settings()

MUST_DROP = [
    ("Warning: Contains spoilers for the third season of The Lighthouse.", "reader advisory"),
    ("Spoiler alert!", "reader advisory"),
    ("Read the updated story here.", "link to another page"),
    ("Earlier Jo Roe, the first mayor of Ellis, has died at the age of 92. She led the town for twenty years. "
     "Photo: Reuters", "a media box with its credit"),
    ("Warning: this video contains graphic images some viewers may find disturbing.", "reader advisory"),
    ("Get the morning briefing in your inbox. Sign up now. Please enter a valid email address", "sign-up"),
    ("Subscribe to our newsletter for daily updates", "sign-up"),
    ("Read more: Central bank holds rates for third month", "link"),
    ("[ Storm leaves thousands without powerOpens in new window ]", "link"),
    ("Home   /   World   /   Europe", "breadcrumb"),
    ("Fans celebrate outside the stadium on Sunday (Jane Doe/Getty Images)", "caption"),
    ("The mayor speaks to residents in this image released by the city council. (Via AP)", "caption"),
    ("(Cover: Workers repair the bridge in Lyon, France, May 3, 2024. /AFP)", "caption"),
    ("By Anna Schmidt and Pierre Martin", "byline"),
    ("Additional reporting by agencies", "byline"),
    ("Updated 09:15, 03-May-2024", "timestamp"),
    ("Published May 3, 2024", "timestamp"),
    ("This website can also be accessed at the following alternate addresses:", "notice"),
    ("© 2024 Example Media Ltd. All rights reserved.", "notice"),
    ("Contact the newsroom: desk@example.org", "contact"),
    ("This post originally ran in March 2019", "republication note"),
    ("A version of this article appeared on page 4 of the weekend edition.", "republication note"),
    ("We are rerunning this story with the sequel opening in cinemas this weekend.", "republication note"),
    ("Related to Health A-Z Gout It is possible that this is not the name you expected. Read the Gout article > >",
     "teaser box"),
    ("Tides and the harbour: what the pilots know. See the full guide »", "teaser box"),
]

MUST_KEEP = [
    "The mayor said the harbour wall would be rebuilt by the spring. Photographers were kept away from the quay.",
    "Spoiler alert: the finale, watched by 9 million people, ended with the harbour town flooded and the mayor gone.",
    "Critics warned that the trailer contains spoilers for the whole season, and the studio pulled it on Friday.",
    "The central bank held its main rate at 4.5 per cent on Thursday, citing sticky inflation.",
    '"We will not move until the data allow it," the governor told reporters.',
    "“I will always stand with the workers,” she said.",
    "Firefighters battled the blaze for six hours before bringing it under control, officials said.",
    "The story first appeared in a local paper, and the mayor denied it the next morning.",
    "The readings were 5 > 3 on every gauge, the inspectors said; see the table for 2 > 1.",
    # Unterminated but long: a real sentence whose full stop the page lost.
    "Neighbouring countries expressed deep concern over the new dam and the possible water shortages it would bring downstream",
]


@pytest.mark.parametrize("text,kind", MUST_DROP)
def test_clean_drops_boilerplate(text: str, kind: str) -> None:
    assert boilerplate_reason(text, S) is not None, kind


@pytest.mark.parametrize("text", MUST_KEEP)
def test_clean_keeps_reporting(text: str) -> None:
    assert boilerplate_reason(text, S) is None


def test_clean_drops_caption_printed_twice_and_keeps_first_reason() -> None:
    caption = "Crowds gather in the square (Photo: Reuters)"
    body = "The protest drew thousands of people to the capital on Saturday afternoon."
    cleaned = clean_article(make_article(f"{caption}\n\n{caption}\n\n{body}"), S)
    assert [p.text for p in cleaned.paragraphs] == [body]
    assert len(cleaned.dropped) == 2


def test_clean_drops_title_repeated_in_body() -> None:
    article = make_article("Dam opens after decade of work\n\nThe dam opened on Monday after ten years of work.",
                           title="Dam opens after decade of work")
    cleaned = clean_article(article, S)
    assert [d.reason for d in cleaned.dropped] == ["the article's own title"]


def test_clean_strips_trailing_agency_credit_but_keeps_paragraph() -> None:
    assert strip_credit("The vote passed by 12 to 3. – Reuters") == "The vote passed by 12 to 3."
    assert strip_credit("Rescue teams reached the village. (AP)") == "Rescue teams reached the village."
    assert strip_credit("Talks between Serbia and Kosovo resumed - with little hope.") == \
        "Talks between Serbia and Kosovo resumed - with little hope."


@pytest.mark.parametrize("between, after", [
    (["Heatwave grips southern Europe as fires spread", "Shares slide after surprise rate rise"], []),
    # a title-case headline is another story's even when it ends on "!" or "?"
    (["Royal Bodyguard Warns: 'The Duchess Is In Danger!'"], ["What Comes Next For The Talks?"]),
])
def test_clean_drops_other_stories_headlines(between, after) -> None:
    text = "\n\n".join(["The summit ended without a joint statement, diplomats said.", *between,
                        "Negotiators will meet again in Geneva next month.", *after])
    kept = [p.text for p in clean_article(make_article(text), S).paragraphs]
    assert kept == ["The summit ended without a joint statement, diplomats said.",
                    "Negotiators will meet again in Geneva next month."]


def test_a_line_that_is_no_other_storys_headline_is_no_short_line() -> None:
    # not another story's headline: a sentence naming people with a full stop, capitals, a shout in lower case
    from digest.clean import is_short_line
    for line in ["Jo Vale, Ann Roe And Tom Hale Met Again On Monday.", "WILL THEY BASH THE BILLIONAIRES?",
                 "It was the best day of my life, she said!"]:
        assert not is_short_line(line), line


def test_clean_sets_a_lone_subheading_aside_and_drops_a_trailing_one() -> None:
    text = "\n\n".join([
        "The council voted to close the old bridge to cars from June, officials said.",
        "What happens next",
        "Engineers will inspect the bridge every month until repairs begin in the autumn.",
        "Trending Topics",
    ])
    cleaned = clean_article(make_article(text), S)
    assert [h.text for h in cleaned.headings] == ["What happens next"]
    assert [d.paragraph.text for d in cleaned.dropped] == ["Trending Topics"]
    assert len(cleaned.paragraphs) == 2


def test_clean_keeps_reporting_that_mentions_signing_up() -> None:
    text = "Analysts expect millions of viewers to sign up for the new streaming service before Christmas."
    assert boilerplate_reason(text, S) is None


def test_clean_drops_a_wall_of_text_without_sentences() -> None:
    assert boilerplate_reason("word " * 5000, S) == "run-on text without sentence breaks"
    long_prose = " ".join(["The committee met again on Friday and heard from eleven more witnesses."] * 30)
    assert boilerplate_reason(long_prose, S) is None


def test_clean_keeps_a_long_paragraph_that_opens_with_a_photo_label() -> None:
    text = "Photo: AP. " + " ".join(["The storm flooded the coastal road and cut power to the town."] * 8)
    assert boilerplate_reason(text, S) is None


def test_clean_keeps_table_rows_out_of_breadcrumbs() -> None:
    assert boilerplate_reason("| 1 | Kyle Busch | 5040 | 5 |", S) != "breadcrumb"


def test_split_paragraphs_one_per_line_when_no_blank_lines() -> None:
    assert split_paragraphs("First line here.\nSecond line here.\nThird line.") == [
        "First line here.", "Second line here.", "Third line."]
    assert split_paragraphs("A  b\nc.\n\nD.") == ["A b c.", "D."]


def test_clean_keeps_positions_of_original_paragraphs() -> None:
    text = "Sign up to our newsletter for offers in your inbox\n\nThe bridge reopened on Monday after repairs."
    cleaned = clean_article(make_article(text), S)
    assert [(p.position, p.text) for p in cleaned.paragraphs] == [(1, "The bridge reopened on Monday after repairs.")]


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_clean_never_fails_and_loses_nothing(text: str) -> None:
    cleaned = clean_article(make_article(text), S)
    positions = [p.position for p in (*cleaned.paragraphs, *cleaned.headings)] + [
        d.paragraph.position for d in cleaned.dropped]
    assert sorted(positions) == list(range(len(split_paragraphs(text))))
    for p in cleaned.paragraphs:
        assert p.text.strip() == p.text and p.text


@pytest.mark.parametrize("text", [
    "Plus, check out our brief history of other famous siblings of the court.",
    "Be sure to browse our gallery of the best dams of Ellis.",
    "Scroll down for video",
])
def test_the_site_pointing_to_its_own_pages_is_furniture(text):
    assert boilerplate_reason(text, Settings(), position=5) == "site notice"


@pytest.mark.parametrize("text", [
    "Remember, you can buy the digital edition of the Ellis Courier for your tablet.",
    "You can now download the app for free.",
    "Run down to your newsagent to pick up this week's Courier now, or download the digital edition.",
    "Vote up the best of the worst river names ever to hit the web!",
])
def test_the_site_selling_itself_is_a_site_notice(text):
    assert boilerplate_reason(text, Settings(), position=5) == "site notice"


def test_a_reported_you_can_buy_is_no_site_notice():
    text = "Readers said you can buy the magazine at any newsstand in Ellis for two dollars, a rare bargain."
    assert boilerplate_reason(text, Settings(), position=5) is None
    assert boilerplate_reason("Fans can vote for the best film of the festival until Friday.", Settings(), position=5) is None


@pytest.mark.parametrize("text, credit", [
    ("Ann Roe reports for the Evening News at 5 on Saturday, Aug. 11, 2018.", True),
    ("Jo Roe reports from Ellis.", True),
    ("Ann Roe reports that the dam will be raised by two metres next year.", False),  # reporting, not a credit
])
def test_a_broadcast_credit_line_is_furniture(text, credit):
    assert (boilerplate_reason(text, Settings(), position=5) == "byline or credit") is credit


@pytest.mark.parametrize("text", [
    "“Check out our new store,” the owner of the Ellis bakery said on Tuesday.",
    "Critics who read our report on the dam said it was unfair to the farmers.",
])
def test_a_quoted_or_reported_our_is_no_site_notice(text):
    assert boilerplate_reason(text, Settings(), position=5) is None


@given(st.text())
def test_whitespace_folded_by_split_is_whitespace_folded_by_the_regex(text):
    # split_paragraphs folds whitespace with str.split: the same characters as re's \s.
    assert " ".join(text.split()) == re.sub(r"\s+", " ", text).strip()


@given(st.lists(st.sampled_from(list("ab c-'’\n\r\t_.é\u0301\u00a0\u2028"))).map("".join) | st.text())
def test_an_articles_tokens_from_its_paragraphs_are_its_texts_tokens(text):
    from digest.clean import article_tokens
    from digest.text import tokens

    assert article_tokens(text, split_paragraphs(text)) == tokens(text)


def test_a_link_list_in_a_language_without_function_words_is_kept() -> None:
    # The article-wide function-word check, now made only when a paragraph reads as a list of links: an article
    # with no English function words keeps such a line (it may be prose), an English one drops its tag list.
    from digest.clean import clean_article
    from digest.settings import Settings

    tags = " ".join(f"Kata{i} Berita{i}" for i in range(14))  # 28 words, none a function word, no full stop
    foreign = make_article("Menteri kelautan menyebut bantuan kapal segera dibagikan kepada nelayan kecil.\n\n"
                           "Pemerintah daerah menyiapkan anggaran tambahan tahun depan.\n\n"
                           "Nelayan menyambut baik rencana tersebut.\n\n" + tags)
    assert [p.position for p in clean_article(foreign, Settings()).paragraphs] == [0, 1, 2, 3]
    english = make_article("Officials said on Monday that the bridge would reopen after two weeks of repairs.\n\n"
                           "The council has set aside more money for the roads in the city next year.\n\n"
                           "Drivers said they were glad to have their route back.\n\n" + tags)
    cleaned = clean_article(english, Settings())
    assert [p.position for p in cleaned.paragraphs] == [0, 1, 2]
    assert cleaned.dropped[0].reason.startswith("low text density")
