"""How the briefing uses the quotes it finds: who said a quote several outlets print, which quotes a reader
is shown, and how outlets that disagree on the speaker are shown. Hand-written cases (no seed text)."""

from datetime import datetime, timezone

from digest.compose import candidates, quotes
from digest.compose.actors import NameBook, plausible_full_name
from digest.compose.context import StoryContext
from digest.models import Article, Attribution, Briefing, CleanArticle, Paragraph, Quote, Story, StoryBrief
from digest.render import render_markdown
from digest.settings import Settings

NOW = datetime(2024, 5, 8, 12, 0, tzinfo=timezone.utc)


def _mention(article: str, text: str, speaker: str, rule: str, role: str | None = None) -> quotes.QuoteMention:
    return quotes.QuoteMention(article, 0, text, speaker, "", rule, role)


def _story(articles: dict[str, tuple[str, list[str]]]) -> StoryContext:
    cleaned = []
    for aid, (outlet, paragraphs) in articles.items():
        article = Article(aid, "\n\n".join(paragraphs), title=None, outlet=outlet, published="2024-05-08")
        cleaned.append(CleanArticle(article, tuple(Paragraph(aid, i, t) for i, t in enumerate(paragraphs))))
    return StoryContext(Story("s", tuple(cleaned)), [])


def _quotes(articles: dict[str, tuple[str, list[str]]]) -> list[Quote]:
    found, _ = candidates.quote_candidates(_story(articles))
    return [c.item for c in found]


SAME = NameBook([]).same


# --- across outlets: the speaker from the outlet that names it most explicitly ------------------------------

def test_the_outlet_naming_the_speaker_outright_beats_one_reaching_it_through_a_pronoun():
    group = [_mention("a", "We will rebuild the bridge", "Tom Vell", "pronoun"),
             _mention("b", "We will rebuild the bridge", "Ada Quist", "X said"),
             _mention("c", "We will rebuild the bridge", "Tom Vell", "pronoun")]
    choice = quotes.choose_speaker(group, SAME)
    assert choice.mention is not None and choice.mention.speaker == "Ada Quist"
    assert choice.speakers == ()  # a pronoun never contradicts a name


def test_outlets_naming_different_speakers_outright_disagree_and_both_are_kept():
    group = [_mention("a", "We will rebuild the bridge", "Ada Quist", "X said"),
             _mention("b", "We will rebuild the bridge", "Tom Vell", "said X"),
             _mention("c", "We will rebuild the bridge", "Ada Quist", "according to X")]
    choice = quotes.choose_speaker(group, SAME)
    assert choice.mention.speaker == "Ada Quist"  # as explicit as Vell, and given by two outlets
    assert choice.speakers == (("Ada Quist", ("a", "c")), ("Tom Vell", ("b",)))


def test_between_equally_weak_attributions_the_speaker_the_story_names_most_wins():
    group = [_mention("a", "Why does anyone care", "Kiosk Thursday", "pronoun"),
             _mention("b", "Why does anyone care", "Lena Marsh", "pronoun")]
    counts = {"Lena Marsh": 7, "Kiosk Thursday": 1}
    assert quotes.choose_speaker(group, SAME, counts.get).mention.speaker == "Lena Marsh"
    assert quotes.choose_speaker(group[::-1], SAME, counts.get).mention.speaker == "Lena Marsh"


def test_nobody_named_gives_no_speaker():
    assert quotes.choose_speaker([_mention("a", "It is over", quotes.UNATTRIBUTED, "none")], SAME).mention is None


def test_a_parsed_attribution_counts_as_its_pattern_twin():
    assert quotes.explicitness("parse: X said") == quotes.explicitness("X said") > quotes.explicitness("pronoun")


def test_a_briefing_quote_takes_the_explicit_outlets_speaker_and_shows_a_disagreement():
    quote = "The dam will be finished before the rains come next spring"
    found = _quotes({
        "a": ("Daily Post", [f'"{quote}," said Ada Quist, the minister of works.']),
        "b": ("Evening Star", [f'"{quote}," Tom Vell said on Monday.']),
        "c": ("Morning Herald", ["Ada Quist spoke to reporters.", f'"{quote}," she said.']),
    })
    (q,) = [q for q in found if q.text.startswith("The dam")]
    assert q.speaker in ("Ada Quist", "Tom Vell")
    assert {a.speaker for a in q.attributions} == {"Ada Quist", "Tom Vell"}
    assert {s for a in q.attributions for s in a.sources} == {"a", "b"}  # the pronoun outlet names nobody outright


def test_outlets_agreeing_on_the_speaker_show_no_disagreement():
    quote = "The dam will be finished before the rains come next spring"
    found = _quotes({
        "a": ("Daily Post", [f'"{quote}," said Ada Quist.']),
        "b": ("Evening Star", ["Works minister Ada Quist visited the site.", f'"{quote}," she said.']),
    })
    (q,) = [q for q in found if q.text.startswith("The dam")]
    assert q.speaker == "Ada Quist" and q.attributions == () and set(q.sources) == {"a", "b"}


# --- grouping: which mentions are one quotation ---------------------------------------------------------------

def test_two_remarks_sharing_words_by_two_named_speakers_stay_two_quotes():
    found = _quotes({
        "a": ("Daily Post", ['"Deepening loyalty with every customer," Ada Quist said of the new plan.']),
        "b": ("Evening Star", ['"It was not a swindle, it was a way of deepening loyalty with every customer," Tom Vell said.']),
    })
    speakers = {q.text[:12]: q.speaker for q in found}
    assert speakers == {"Deepening lo": "Ada Quist", "It was not a": "Tom Vell"}


def test_a_few_words_of_a_long_quote_quoted_again_in_the_same_article_are_another_mention():
    found = _quotes({"a": ("Daily Post", [
        "Governor Ada Quist said on Monday that she would count \"every cent of this budget\" twice.",
        '"I will be very careful with every cent of this budget, because it is your money," Quist said.',
    ])})
    long = [q for q in found if q.text.startswith("I will be very careful")]
    assert len(long) == 1 and long[0].speaker == "Ada Quist"
    assert len(found) == 2  # the phrase is a quote of its own (shown in its sentence), not a version of the long one


def test_a_possessive_is_not_a_full_name_a_surname_expands_to():
    assert not plausible_full_name("Quist's Twitter")
    assert plausible_full_name("Ada Quist")
    book = NameBook(["Quist's Twitter account posted again.", "Ada Quist spoke.", "Quist's Twitter feed is busy."])
    assert book.canonical("Quist") == "Ada Quist"


# --- the data model and the templates ------------------------------------------------------------------------

def _brief_with(quote: Quote) -> Briefing:
    story = StoryBrief(headline="Dam to open", summary="The dam opens.", sources=("a", "b"), quotes=(quote,))
    return Briefing(title="Briefing", generated_at=NOW.isoformat(), sources=(), stories=(story,))


def test_a_quote_with_disagreeing_speakers_round_trips_through_json():
    q = Quote("The dam will be finished", "Ada Quist", sources=("a", "b"),
              attributions=(Attribution("Ada Quist", ("a",)), Attribution("Tom Vell", ("b",))))
    again = Quote.from_dict(q.to_dict())
    assert again == q and q.to_dict()["attributions"][1] == {"speaker": "Tom Vell", "sources": ("b",)}


def test_the_markdown_shows_both_speakers_and_says_outlets_disagree():
    q = Quote("The dam will be finished", "Ada Quist", sources=("a", "b"),
              attributions=(Attribution("Ada Quist", ("a",)), Attribution("Tom Vell", ("b",))))
    text = render_markdown(_brief_with(q), Settings())
    line = next(line for line in text.splitlines() if "Ada Quist" in line)
    assert "Tom Vell" in line and "outlets disagree on who said it" in line
    agreed = render_markdown(_brief_with(Quote("The dam will be finished", "Ada Quist", sources=("a",))), Settings())
    assert "disagree" not in agreed


def test_the_html_and_the_text_mail_show_both_speakers_too():
    from digest.render import render_email_text, render_html

    q = Quote("The dam will be finished", "Ada Quist", sources=("a", "b"),
              attributions=(Attribution("Ada Quist", ("a",)), Attribution("Tom Vell", ("b",))))
    html = render_html(_brief_with(q), Settings())
    caption = html[html.index("<figcaption>"):html.index("</figcaption>")]
    assert "Ada Quist" in caption and "Tom Vell" in caption and "outlets disagree on who said it" in caption
    text = render_email_text(_brief_with(q), Settings())
    assert "Ada Quist or Tom Vell" in " ".join(text.split()) and "outlets disagree on who said it" in text


# --- what is not a statement, and whose words are not a reaction ---------------------------------------------

def test_a_name_in_quote_marks_is_not_a_statement():
    assert candidates.is_name("Committee for the Rebuilding of the Northern Dams")
    assert candidates.is_name("Songs of the Aron (Live 1999)")
    assert not candidates.is_name("We are in control of the palace and the roads")
    assert not candidates.is_name("The Dam Is Safe.")  # ends as a sentence
    assert not candidates.is_name("WEAR WHATEVER YOU LIKE")  # shouted, not a name
    assert not candidates.is_name("Quist")  # one word: too little to tell


def test_a_name_in_quote_marks_is_no_briefing_quote_and_its_sentence_stays_a_fact():
    ctx = _story({"a": ("Daily Post", [
        'The officers call themselves the "Committee for the Rebuilding of the Northern Dams" on state radio.',
        '"We will open the dams to every farmer by the end of the month," said Captain Ada Quist.',
    ])})
    found, consumed = candidates.quote_candidates(ctx)
    assert [q.item.text[:7] for q in found] == ["We will"]
    assert not consumed or all("Committee" not in key for key in consumed)


def _principal_check(*paragraphs: str) -> bool:
    from digest.compose.candidates import reaction_of

    ctx = _story({"a": ("Daily Post", list(paragraphs[:3])), "b": ("Evening Star", list(paragraphs[3:]))})
    found = reaction_of(paragraphs[-1], ctx)
    assert found is not None, "the sentence has an actor"
    return found[2]


def test_the_spokesman_of_a_principal_group_is_a_principal_not_a_reaction():
    assert _principal_check(
        "Mutinous sailors seized the port of Ellis on Tuesday and closed it to shipping.",
        "The sailors said they had not been paid for six months.",
        "A spokesman for the mutinous sailors, named on radio as Petty Officer Ivo Barsk, read a statement.",
        "Rebel sailors hold the port of Ellis, the country's largest.",
        "Barsk condemned the navy's failure to pay its crews.",
    )


def test_a_spokesman_for_a_party_outside_the_story_still_reacts():
    assert not _principal_check(
        "Mutinous sailors seized the port of Ellis on Tuesday and closed it to shipping.",
        "The sailors said they had not been paid for six months.",
        "A spokesman for the regional shipping council, Ivo Barsk, spoke in the capital.",
        "Rebel sailors hold the port of Ellis, the country's largest.",
        "Barsk condemned the mutiny as a blow to trade.",
    )
