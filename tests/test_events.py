"""Future events, their time expressions, date resolution and the iCalendar file."""

from datetime import date, datetime, timezone
import pytest

from icalendar import Calendar

from digest.compose.events import find_event, find_when, ics_bytes, iso_span, resolve_when

WED = date(2024, 3, 6)  # a Wednesday


def test_visit_with_weekday_resolves_to_the_next_such_day():
    e = find_event("The foreign minister will visit Lisbon on Friday for talks on fishing quotas.", WED)
    assert e.kind == "visit" and e.when == "on Friday" and e.date == "2024-03-08"


def test_due_on_day_to_visit():
    e = find_event("The delegation is due on Monday to tour the flooded districts.", WED)
    assert e.when == "on Monday" and e.date == "2024-03-11"


def test_next_month_resolves_to_a_month():
    e = find_event("The two unions plan to hold a strike vote next month, the spokesman said.", WED)
    assert e.when == "next month" and e.date == "2024-04"
    assert iso_span(e.date) == (date(2024, 4, 1), date(2024, 5, 1))


def test_next_week_resolves_to_an_iso_week():
    assert resolve_when("next week", WED)[0] == "2024-W11"


def test_month_and_day():
    assert resolve_when("on March 21", WED)[0] == "2024-03-21"
    assert resolve_when("by 2 April", WED)[0] == "2024-04-02"


def test_threat_with_condition():
    e = find_event("The regulator threatened to impose fines if the company misses the June deadline.", WED)
    assert e.kind == "threat"
    assert e.condition and e.condition.startswith("if the company misses")


def test_accepted_invitation_is_a_visit_without_date():
    e = find_event("The president has accepted an invitation to visit the island nation.", WED)
    assert e.kind == "visit" and e.when is None and e.date is None


def test_no_date_set():
    e = find_event("No date has been set for the next round of talks.", WED)
    assert e is not None and e.when == "no date set"


def test_past_events_and_predictions_are_not_announcements():
    assert find_event("The ministers met on Tuesday in Oslo.", WED) is None
    assert find_event("The decision will anger farmers across the region.", WED) is None


def test_reported_on_day_is_not_the_events_time():
    assert find_when("The envoy accepted the invitation to visit, the agency reported on Thursday.") is None


def test_quoted_prediction_is_not_a_schedule():
    assert find_event('"We will win this match on Sunday and everyone knows it," the captain said.', WED) is None


def test_without_publication_date_the_when_is_kept_but_not_resolved():
    e = find_event("The council will vote on the budget on Thursday.", None)
    assert e.when == "on Thursday" and e.date is None


def test_ics_holds_dated_events_only():
    data = ics_bytes([("Council vote on the budget", "on Thursday", "2024-03-07", ["Daily Post"]),
                      ("A visit some day", None, None, [])], "Digest", datetime(2024, 3, 6, tzinfo=timezone.utc))
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    assert events[0].decoded("dtstart") == date(2024, 3, 7)
    assert "Daily Post" in str(events[0]["description"])


def test_must_by_date_is_a_deadline():
    e = find_event("Parliament must ratify the treaty by June 30, officials said.", WED)
    assert e.kind == "deadline" and e.when == "by June 30" and e.date == "2024-06-30"


from hypothesis import given, settings as hsettings, strategies as st


@hsettings(max_examples=200, deadline=None)
@given(st.text(max_size=200), st.dates())
def test_find_event_never_crashes(text, published):
    event = find_event(text, published)
    if event is not None and event.date:
        assert iso_span(event.date) is not None


# What's next holds events after publication, told in whole sentences (issue 12).
@pytest.mark.parametrize("text", [
    "The rebels were given a 72-hour deadline to leave the town, which expired Monday.",  # already past
    "Sunday and waited to be rousted by the police, who will return on Monday to clear the camp.",  # a fragment
    "the council will vote on the plan next week",  # no capital, no full stop: a piece of a sentence
    "Protesters will march on the capital on Friday (Photo: Jane Roe / Staff Photographer).",  # a caption
    "Ellis said the change might allow those who planned to travel to stay at home.",  # a relative clause
    'The minister said the talks "will resume on Friday.',  # a quotation cut in two
    "Police named the rebel leader Omar Hale, who has also threatened to strike the capital during the games.",
    "The ministry said the truce holds, implying that the troops will not withdraw.",  # the writer's inference
    "The Sun had reported that police were poised to launch a probe, but police denied it.",  # an earlier report
])
def test_not_an_announced_event(text):
    assert find_event(text, date(2024, 5, 8)) is None


def test_a_whole_sentence_with_a_future_date_is_still_an_event():
    event = find_event("The council will vote on the river plan next week.", date(2024, 5, 8))
    assert event is not None and event.date == "2024-W20"


@pytest.mark.parametrize("text", [
    "It is unknown when she will return to the tour.",  # an indirect question
    "Now the question is what model the company will launch next.",
    "Endorsing the plan will likely poison the talks before they have even begun.",  # a forecast
    "We did a pilot for a network called Deadline Now, years before the show was launched.",  # a title, not a deadline
    "Will Harper plays a diplomat at a summit in the new film.",  # a name, not "will"
])
def test_questions_forecasts_and_names_announce_nothing(text):
    assert find_event(text, WED) is None


def test_a_visit_still_announced_after_a_question_clause():
    e = find_event("Asked whether talks had failed, the minister said he will visit Ellis on Friday.", WED)
    assert e is not None and e.when == "on Friday"


@pytest.mark.parametrize("text", [
    "The mayor has a permit to carry a gun, and if someone attacks him, he will respond.",
    "Roe says that even if the group loses the case, it will use the ruling to sway other judges.",
    "Hopefully it will also be the last vote of its kind, if the council finally requires a referendum.",
])
def test_what_would_follow_on_a_condition_is_no_plan(text):
    assert find_event(text, WED) is None


@pytest.mark.parametrize("text", [
    "The board will vote on Friday on the letters of support or opposition, if any.",
    "Ann Roe will learn at a hearing on Friday if she is freed.",  # "if" asks whether
    "The minister will impose sanctions if the talks fail.",  # a threat keeps its condition
])
def test_a_plan_with_if_any_or_an_if_of_whether_stays(text):
    assert find_event(text, WED) is not None
