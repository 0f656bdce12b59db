"""How the briefing uses the quotes it finds: who said a quote several outlets print, which quotes a reader
is shown, and how outlets that disagree on the speaker are shown. Hand-written cases (no seed text)."""

from datetime import datetime, timezone

from digest.compose import candidates, quotes
from digest.compose.actors import NameBook, plausible_full_name
from digest.compose.context import StoryContext
from digest.models import (Article, Attribution, Briefing, CleanArticle, Cluster, Paragraph, Quote, Story,
                           StoryBrief)
from digest.select import select_versions
from digest.render import render_markdown
from digest.settings import Settings

NOW = datetime(2024, 5, 8, 12, 0, tzinfo=timezone.utc)


def _mention(article: str, text: str, speaker: str, rule: str, role: str | None = None) -> quotes.QuoteMention:
    return quotes.QuoteMention(article, 0, text, speaker, "", rule, role)


def _story(articles: dict[str, tuple[str, list[str]]]) -> StoryContext:
    """The context of a story of ``articles`` (id -> outlet, paragraphs), one sentence group per paragraph."""
    cleaned = []
    for aid, (outlet, paragraphs) in articles.items():
        article = Article(aid, "\n\n".join(paragraphs), title=None, outlet=outlet, published="2024-05-08")
        cleaned.append(CleanArticle(article, tuple(Paragraph(aid, i, t) for i, t in enumerate(paragraphs))))
    story = Story("s", tuple(cleaned))
    groups = [Cluster(f"s-c{i}", (p,)) for i, p in enumerate(story.paragraphs)]
    return StoryContext(story, select_versions(groups, Settings()))


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
    held = {sel.cluster.id: sel.chosen.text for sel in ctx.selections}
    assert [held[key][:5] for key in consumed] == ['"We w']  # the committee's sentence stays a fact


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


def test_any_outright_name_beats_every_inferred_one_and_among_inferred_ones_the_story_decides():
    group = [_mention("a", "Wear what you like", "Kiosk Thursday", "pronoun"),
             _mention("b", "Wear what you like", "Lena Marsh", "broken quote")]
    counts = {"Lena Marsh": 7, "Kiosk Thursday": 1}
    assert quotes.choose_speaker(group, SAME, counts.get).mention.speaker == "Lena Marsh"
    outright = group + [_mention("c", "Wear what you like", "Kiosk Thursday", "according to X")]
    assert quotes.choose_speaker(outright, SAME, counts.get).mention.speaker == "Kiosk Thursday"


def test_a_quote_whose_speaker_is_only_inferred_comes_after_one_named_outright():
    ctx = _story({"a": ("Daily Post", [
        "The new bridge over the Aron opened on Monday after six years of work.",
        "Ada Quist, who runs a bakery on the east bank, watched the opening with her children.",
        '"This bridge joins two halves of one town that were apart for far too long," she said.',
        '"The bridge will carry ten thousand cars a day by the end of the year," said Tom Vell, the engineer.',
    ])})
    found, _ = candidates.quote_candidates(ctx)
    by_start = {c.item.text[:8]: c for c in found}
    inferred, outright = by_start["This bri"], by_start["The brid"]
    assert inferred.item.speaker == "Ada Quist" and inferred.factor < 1 <= outright.factor
    assert "inferred" in inferred.section_reason


def test_what_is_no_disagreement_on_the_speaker():
    def disagree(*group: quotes.QuoteMention) -> bool:
        return bool(quotes.choose_speaker(group, SAME).speakers)

    text = "We will rebuild the bridge"
    assert disagree(_mention("a", text, "Ada Quist", "X said"), _mention("b", text, "Tom Vell", "said X"))
    # two inferences of this tool, not two outlets' claims
    assert not disagree(_mention("a", text, "Ada Quist", "pronoun"), _mention("b", text, "Tom Vell", "broken quote"))
    # one person written two ways
    assert not disagree(_mention("a", text, "Dara Quist", "X said"), _mention("b", text, "Dara Quist-Vell", "X said"))
    # a spokeswoman and the body she speaks for
    assert not disagree(_mention("a", text, "Ada Quist", "X said", role="Works Ministry spokeswoman"),
                        _mention("b", text, "Works Ministry", "according to X"))
    # a place is no voice
    assert not disagree(_mention("a", text, "Ada Quist", "X said"), _mention("b", text, "Ohio", "X said"))


def test_a_pronoun_never_gives_a_quote_to_the_person_it_talks_about_by_name():
    about = "Tom Vell was a quiet man, but he built the town's mill"
    assert quotes.choose_speaker([_mention("a", about, "Tom Vell", "pronoun")], SAME).mention is None
    # named outright, a speaker may still speak of himself by name
    assert quotes.choose_speaker([_mention("a", about, "Tom Vell", "X said")], SAME).mention.speaker == "Tom Vell"
    # another outlet's pronoun resolution stands when the quote does not name its speaker
    kept = quotes.choose_speaker([_mention("a", about, "Tom Vell", "pronoun"), _mention("b", about, "Ada Quist", "pronoun")],
                                 SAME)
    assert kept.mention.speaker == "Ada Quist"


def test_the_second_part_of_a_broken_quote_may_name_its_own_speaker():
    # '"...," Tom Vell said. "I am not doing this for Tom Vell."': the cue sits between the parts
    said = "It is for the town now. I am not doing this for Tom Vell"
    assert quotes.choose_speaker([_mention("a", said, "Tom Vell", "broken quote")], SAME).mention.speaker == "Tom Vell"


def test_a_quotation_nobody_is_named_for_is_no_briefing_quote_and_its_sentence_stays_a_fact():
    ctx = _story({"a": ("Daily Post", [
        "Flood water reached the old mill on Monday.",
        'Signs on the mill door read "we will not leave this valley whatever the water does" all week.',
        '"The river has not been this high since records began in 1880," said Ada Quist, the county engineer.',
    ])})
    found, consumed = candidates.quote_candidates(ctx)
    assert [q.item.speaker for q in found] == ["Ada Quist"]
    held = {sel.cluster.id: sel.chosen.text for sel in ctx.selections}
    assert [held[key][:5] for key in consumed] == ['"The ']  # the engineer's quote; the signs' sentence stays


def test_a_lead_in_set_aside_by_the_cleaner_names_the_speaker_of_the_briefing_quote():
    # The cleaner keeps 'E-mail from ...:' with the headings; the briefing's quotes must still read it, or the
    # 'he' after it goes to a name of an earlier paragraph.
    aid = "a1"
    texts = ["The memo asked Mr. Daro to respond to the attack on the Harbour Mission Ostrava at once.",
             "E-mail from harbour adviser Bela Tamas:",
             'Under heading "Goals" he wrote "To show that the closures are rooted in the storm, not in the budget."']
    paragraphs = tuple(Paragraph(aid, i, t) for i, t in enumerate(texts))
    article = Article(aid, "\n\n".join(texts), title=None, outlet="Ostrava Post", published="2024-05-08")
    story = Story("s", (CleanArticle(article, (paragraphs[0], paragraphs[2]), headings=(paragraphs[1],)),))
    groups = [Cluster(f"s-c{i}", (p,)) for i, p in enumerate(story.paragraphs)]
    found, _ = candidates.quote_candidates(StoryContext(story, select_versions(groups, Settings())))
    quote = next(c.item for c in found if "rooted in the storm" in c.item.text)
    assert quote.speaker == "Bela Tamas"


def test_a_statement_split_by_its_attribution_is_shown_once_as_its_sentence():
    found = _quotes({"a1": ("Post", ["The harbour closed on Monday after the storm hit the coast.",
                                     "“During the storm last night,” Jo Roe said, “the harbour kept every boat "
                                     "inside and nobody was hurt.”"])})
    assert [q.text for q in found] == ["“During the storm last night,” Jo Roe said, “the harbour kept every boat "
                                       "inside and nobody was hurt.”"]


def test_a_title_quoted_after_the_attribution_does_not_split_the_statement():
    found = _quotes({"a1": ("Post", ["The harbour closed on Monday after the storm hit the coast.",
                                     '"We will reopen the harbour when the divers are done, and not a day before," '
                                     'Roe told the host of "Ostrava Tonight."'])})
    assert [q.text for q in found] == ["We will reopen the harbour when the divers are done, and not a day before"]
