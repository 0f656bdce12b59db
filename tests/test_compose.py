"""Composing a story's briefing from hand-built articles (no seed text)."""

import pytest
from hypothesis import given, settings, strategies as st
from datetime import datetime, timezone

from digest.compose import compose_story, plan_story
from digest.compose.headline import held_in
from digest.models import Article, CleanArticle, Cluster, Paragraph, Story
from digest.select import select_versions
from digest.settings import Settings
from digest.text import tokens

NOW = datetime(2024, 5, 8, 12, 0, tzinfo=timezone.utc)

ARTICLES = {
    "a": ("Daily Post", "Vandoria and Kestria sign water-sharing pact", [
        "Vandoria and Kestria signed a water-sharing pact on Tuesday after two days of talks in the border town of Ellis.",
        "The pact divides the flow of the Aron river between the two countries for the next 20 years.",
        '"This agreement ends a dispute that has poisoned our relations for a generation," Vandorian President Mira Castell said.',
        '"It is a fair deal for farmers on both banks," she added.',
        "The Lusitanian foreign ministry welcomed the deal and offered to monitor the river flow.",
        "The two leaders will meet again in Ellis on Friday to open the first shared pumping station.",
    ]),
    "b": ("Evening Star", "Water pact signed by Vandoria and Kestria", [
        "Vandoria and Kestria signed a water-sharing pact on Tuesday after two days of talks in Ellis.",
        '"This agreement ends a dispute that has poisoned our relations for a generation," President Mira Castell said.',
        "Environmental groups said the pact ignores the river's collapsing fish stocks.",
        "The talks lasted three days, according to officials in Ellis.",
        "Parliament in Kestria must approve the pact by June 30, officials said.",
    ]),
    "c": ("Evening Star", "Vandoria, Kestria agree on river", [  # wire copy: the same outlet again
        "Vandoria and Kestria signed a water-sharing pact on Tuesday after two days of talks in Ellis.",
        "The two leaders will meet again in Ellis on Friday to open the first shared pumping station.",
    ]),
}


def story() -> Story:
    cleaned = []
    for aid, (outlet, title, paragraphs) in ARTICLES.items():
        article = Article(aid, "\n\n".join(paragraphs), title=title, outlet=outlet, published="2024-05-08")
        cleaned.append(CleanArticle(article, tuple(Paragraph(aid, i, t) for i, t in enumerate(paragraphs))))
    return Story("story-1", tuple(cleaned))


def build(words_per_story: int = 450):
    s = story()
    settings = Settings(words_per_story=words_per_story)
    clusters = [Cluster(f"story-1-c{i}", (p,)) for i, p in enumerate(s.paragraphs)]
    selections = select_versions(clusters, settings)
    return s, selections, settings


def test_sections_are_filled_and_nothing_appears_twice():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    texts = [brief.summary] + [getattr(i, "text") for i in brief.items() if hasattr(i, "text")]
    assert len(texts) == len(set(texts))
    assert "signed a water-sharing pact" in brief.summary
    assert not any("signed a water-sharing pact" in f.text for f in brief.key_facts)


def test_quote_merged_across_outlets_with_speaker_and_pronoun_resolution():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    ends = [q for q in brief.quotes if q.text.startswith("This agreement ends a dispute")]
    assert len(ends) == 1 and ends[0].speaker == "Mira Castell" and set(ends[0].sources) == {"a", "b"}
    fair = [q for q in brief.quotes if q.text.startswith("It is a fair deal")]
    assert fair and fair[0].speaker == "Mira Castell"


def test_third_party_is_a_reaction_with_actor_named():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    actors = [r.actor for r in brief.reactions]
    assert any("Lusitanian" in a or "ministry" in a.lower() for a in actors), actors


def test_whats_next_resolves_dates_and_orders_them():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    dates = [e.date for e in brief.whats_next if e.date]
    assert "2024-05-10" in dates  # "on Friday" after Wednesday 8 May
    assert dates == sorted(dates)
    friday = next(e for e in brief.whats_next if e.date == "2024-05-10")
    assert set(friday.sources) == {"a", "c"}


def test_disagreement_on_duration_is_found():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    assert any({"a", "b"} & set(v.sources) for d in brief.disagreements for v in d.versions)
    assert any("three days" in v.text for d in brief.disagreements for v in d.versions)


def test_word_budget_is_respected():
    s, selections, settings = build(words_per_story=80)
    brief = compose_story(s, selections, settings, NOW)
    shown = [brief.headline, brief.summary] + [i.text for i in brief.key_facts] + [q.text for q in brief.quotes]
    shown += [r.actor + " " + r.text for r in brief.reactions] + [(e.when or "") + " " + e.text for e in brief.whats_next]
    shown += [d.topic + " " + " ".join(v.text for v in d.versions) for d in brief.disagreements]
    assert sum(len(tokens(t)) for t in shown) <= 80 + 10  # speakers' names are small change


def test_wire_copy_counts_once_per_outlet():
    s, selections, settings = build()
    plan = plan_story(s, selections, settings, NOW)
    lede = next(d for d in plan.decisions if d.section == "summary")
    assert set(lede.sources) == {"a", "b", "c"}


def test_headline_is_a_shared_title():
    s, selections, settings = build()
    brief = compose_story(s, selections, settings, NOW)
    assert brief.headline in {t for _, t, _ in ARTICLES.values()}


def test_explain_decisions_cover_every_selection():
    s, selections, settings = build()
    plan = plan_story(s, selections, settings, NOW)
    keys = {d.key for d in plan.decisions}
    assert {sel.cluster.id for sel in selections} <= keys
    assert all(d.version_reason for d in plan.decisions)


# --- ranking and budget rules, on small hand-built stories ----------------------------------------------


def story_of(articles: dict[str, tuple[str, str, list[str]]]) -> tuple[Story, list, Settings]:
    cleaned = []
    for aid, (outlet, title, paragraphs) in articles.items():
        article = Article(aid, "\n\n".join(paragraphs), title=title, outlet=outlet, published="2024-05-08")
        cleaned.append(CleanArticle(article, tuple(Paragraph(aid, i, t) for i, t in enumerate(paragraphs))))
    s = Story("story-1", tuple(cleaned))
    clusters = [Cluster(f"story-1-c{i}", (p,)) for i, p in enumerate(s.paragraphs)]
    return s, clusters, Settings()


def brief_at(articles, words_per_story: int):
    s, clusters, settings = story_of(articles)
    settings = Settings(words_per_story=words_per_story)
    return compose_story(s, select_versions(clusters, settings), settings, NOW)


LEDE = "Vandoria and Kestria signed a water pact on Tuesday in the border town of Ellis."
WIDE = ("The pact divides the flow of the Aron river between the two countries for twenty years, sets up a "
        "joint commission of engineers to settle disputes over the dry seasons, and obliges both governments to "
        "publish the readings of every gauging station along the river each month.")
NARROW = "Farmers along the Aron river paid less for irrigation water during the trial of the scheme."


def test_the_rendered_story_fits_its_word_budget():
    from digest.compose import compose_briefing
    from digest.render import render_markdown

    for budget in (120, 200, 450):
        s, selections, settings = build(words_per_story=budget)
        brief = compose_story(s, selections, settings, NOW)
        markdown = render_markdown(compose_briefing([s], [brief], settings, NOW), settings)
        story_part = markdown[markdown.index("---"):markdown.index("## Sources")]
        assert len(story_part.split()) <= budget, budget


def test_a_story_forty_outlets_carry_is_briefed_in_full_within_its_budget():
    # The views show five markers an item and eight outlets a story; counting every outlet's marker and
    # name used to spend the whole budget on the header (and more): such a story got no item at all.
    from digest.compose import compose_briefing
    from digest.render import render_markdown

    details = [WIDE, NARROW, "The commission will meet for the first time in the capital next spring.",
               "Engineers from both countries surveyed the river's gauging stations last year.",
               "Each government appoints three members of the joint commission."]
    articles = {f"a{i:02d}": (f"Outlet Number {i:02d}", "Water pact signed", [LEDE, details[i % len(details)]])
                for i in range(40)}
    s, clusters, _ = story_of(articles)
    settings = Settings(words_per_story=200)
    selections = select_versions(clusters, settings)
    brief = compose_story(s, selections, settings, NOW)
    assert len(brief.key_facts) >= 2 and brief.whats_next
    markdown = render_markdown(compose_briefing([s], [brief], settings, NOW), settings)
    story_part = markdown[markdown.index("---"):markdown.index("## Sources")]
    assert len(story_part.split()) <= 200


def test_an_item_more_outlets_carry_is_not_displaced_by_a_shorter_single_outlet_one():
    articles = {
        "a": ("Daily Post", "Water pact signed", [LEDE, NARROW, WIDE]),
        "b": ("Evening Star", "Pact on the Aron", [LEDE, WIDE]),
        "c": ("River News", "Aron pact", [LEDE, "Kestria's parliament cheered the signing."]),
    }
    chosen = {budget: [f.text for f in brief_at(articles, budget).key_facts] for budget in range(40, 200, 2)}
    wide_from = min(b for b, facts in chosen.items() if WIDE in facts)
    assert all(WIDE in facts for b, facts in chosen.items() if b >= wide_from)  # once it fits, it stays
    # Where only one of the two fits, the one two outlets carry is taken, though it is longer and later.
    assert any(WIDE in facts and NARROW not in facts for facts in chosen.values())


def test_a_fact_that_refers_back_is_taken_only_when_nothing_else_remains():
    back = "This raised hopes among farmers along the whole of the Aron river valley."
    plain = "Engineers built three gauging stations on the upper Aron river last spring."
    articles = {
        "a": ("Daily Post", "Water pact signed", [LEDE, back, plain]),
        "b": ("Evening Star", "Pact on the Aron", [LEDE, back]),
    }
    for budget in range(40, 160, 3):
        facts = [f.text for f in brief_at(articles, budget).key_facts]
        if back in facts:
            assert plain in facts, budget
    assert back in [f.text for f in brief_at(articles, 450).key_facts]  # nothing else left: it may come in


def test_a_sentence_with_a_typo_is_taken_only_when_nothing_else_remains():
    typo = "The deal suggsted that Kestria would open its dams during droughts."
    clean = ["Engineers built three gauging stations on the upper Aron river last spring.",
             "Observers suggested the pact could last.", "Critics suggested it was too vague to work."]
    articles = {
        "a": ("Daily Post", "Water pact signed", [LEDE, typo, clean[1]]),
        "b": ("Evening Star", "Pact on the Aron", [LEDE, clean[0], clean[2]]),
    }
    for budget in range(40, 160, 3):
        facts = [f.text for f in brief_at(articles, budget).key_facts]
        if typo in facts:
            assert set(clean) <= set(facts), budget


def test_a_reaction_uses_the_shortest_version_by_the_same_actor():
    long = ("For France and its allies, the new pact is a worry: France has accused Kestria of hoarding water, "
            "although it is not clear whether any shortfall has occurred.")
    short = "France has accused Kestria of hoarding water, although it is not clear if any shortfall occurred."
    articles = {
        "a": ("Daily Post", "Vandoria and Kestria sign water pact", [LEDE, long]),
        "b": ("Evening Star", "Vandoria and Kestria sign water pact", [LEDE, short]),
    }
    reactions = brief_at(articles, 450).reactions
    assert [r.text for r in reactions] == [short]
    assert reactions[0].actor == "France" and set(reactions[0].sources) == {"a", "b"}


def test_a_party_has_one_reaction_however_many_outlets_word_it():
    one = "France said the world should not be naive about Kestria's sudden offer to share the water."
    other = "France called on the other river states to be clear-eyed about the motives of Kestria in the talks."
    articles = {
        "a": ("Daily Post", "Vandoria and Kestria sign water pact", [LEDE, one]),
        "b": ("Evening Star", "Vandoria and Kestria sign water pact", [LEDE, other]),
    }
    reactions = brief_at(articles, 450).reactions
    assert [r.actor for r in reactions] == ["France"]


def test_two_outlets_versions_of_one_fact_opening_alike_are_shown_once():
    one = "No one was injured in the small blast at the dam, but the town briefly evacuated the old quay on Tuesday."
    other = "No one was injured, but the blast caused some brief chaos on the quay, where children were fishing."
    articles = {
        "a": ("Daily Post", "Vandoria and Kestria sign water pact", [LEDE, one, NARROW]),
        "b": ("Evening Star", "Vandoria and Kestria sign water pact", [LEDE, other, WIDE]),
    }
    facts = [f.text for f in brief_at(articles, 450).key_facts]
    assert (one in facts) != (other in facts)


def test_a_name_spelled_in_two_cases_is_shown_one_way():
    from digest.compose.plan import _one_spelling

    texts = ["The regional bloc ECOWAS condemned the coup.", "ECOWAS said it was dismayed.", "Ecowas met."]
    assert _one_spelling(["Ecowas", "ECOWAS (Nigeria)", "Jo Roe"], texts) == {"Ecowas": "ECOWAS",
                                                                           "ECOWAS (Nigeria)": "ECOWAS (Nigeria)"}
    assert _one_spelling(["Jo Roe", "Ann Lee"], texts) == {}


def test_a_party_spelled_in_two_cases_is_still_one_party():
    from digest.compose.budget import _party

    assert _party("ECOWAS") == _party("Ecowas") == _party("Ecowas (Nigeria)")
    assert _party("Taro Kono (Japan)") != _party("Japan")


def test_new_headline_and_fact_rules_judge_odd_long_text_in_one_pass():
    """Pathological inputs for the patterns added for issue 12 (runs of dashes, capitals, spaces, brackets); the
    suite's timeout, not a timing assertion, catches a pattern that backtracks."""
    from digest.compose.candidates import refers_to_the_page, without_page_pointer
    from digest.compose.headline import headline_from_sentence, is_hook_title, reports_an_event
    from digest.compose.disagree import find_disagreements

    odd = ["The " + " — x" * 20000 + " said.", "Jo " + "Roe" * 30000 + ", a b c, has said it.",
           "It took " + ", which a b c" * 10000 + ", to make it.", "A woman who " + "x " * 30000 + "while y.",
           "Killed " + "in xxxxxxxxxxxxxxxxxxxx " * 5000 + "5 people.", "(" * 20000 + "see video below)",
           "Text. Photo: " + "A" * 50000]
    for text in odd:
        for kw in ({}, {"leaning": True, "loose": True, "lede": True}):
            result = headline_from_sentence(text, **kw)
            assert result is None or isinstance(result, str)
        assert isinstance(reports_an_event(text), bool) and isinstance(is_hook_title(text), bool)
        assert isinstance(refers_to_the_page(text), bool) and isinstance(without_page_pointer(text), str)
        assert isinstance(find_disagreements([("a", text), ("b", text.replace("5", "6"))]), list)


def test_a_small_budget_still_covers_every_section_before_elaborating_any():
    full = compose_story(*build(), NOW)
    s, selections, settings = build(words_per_story=170)
    small = compose_story(s, selections, settings, NOW)
    for section in ("key_facts", "quotes", "reactions", "whats_next"):
        if getattr(full, section):
            assert getattr(small, section), section


# Reactions: a response by a party other than the story's principals (issue 12).
def _context(*paragraphs: str, title: str = "Vandoria and Kestria sign water pact"):
    from digest.compose.context import StoryContext

    article = Article("a", "\n\n".join(paragraphs), title=title, outlet="Daily Post", published="2024-05-08")
    clean = CleanArticle(article, tuple(Paragraph("a", i, t) for i, t in enumerate(paragraphs)))
    return StoryContext(Story("s", (clean,)), [])


def _reaction(sentence: str, *story: str):
    from digest.compose.candidates import reaction_of

    ctx = _context(LEDE, *story, sentence)
    found = reaction_of(sentence, ctx)
    return None if found is None or found[2] else found[0]


def test_reaction_by_a_third_party_names_it():
    assert _reaction("The Lusitanian foreign ministry condemned the pact as a threat to the delta.") is not None


def test_reaction_actor_is_never_a_place_from_an_affiliation():
    # A response (it judges the pact), so that the stance rule is not what keeps "Ont." out of the actor.
    actor = _reaction("The pact should be torn up for the farmers downstream, Ann Roe of Mercy College in Ellis, Ont., said.")
    assert actor is None or "Ont" not in actor


@pytest.mark.parametrize("sentence", [
    "The Kestrian foreign ministry said the pact should be put to a vote in both parliaments.",  # an obligation
    "Farmer Ann Roe said she was shocked that nobody had asked the farmers.",  # a feeling
    "The Lusitanian government called on both sides to open the sluices.",  # a call to act
    "The Lusitanian embassy said it would not comment on the talks.",  # a refusal to comment
    "The Lusitanian embassy said both sides would face sanctions if they broke the pact.",  # a warning
])
def test_a_party_responding_is_a_reaction(sentence):
    assert _reaction(sentence) is not None


@pytest.mark.parametrize("sentence", [
    "Farmer Ann Roe said the water reached the mill before dawn.",  # a witness tells what happened
    "The Lusitanian government called the meeting for the first week of spring.",  # "called" a meeting, no call to act
])
def test_a_party_telling_what_happened_is_no_reaction(sentence):
    assert _reaction(sentence) is None


def test_reaction_is_not_a_source_cited_for_a_plain_fact():
    assert _reaction("River levels fell by a third last summer, according to the Aron Basin Authority.") is None


def test_reaction_is_not_the_principals_own_statement():
    lede = "Vandorian President Mira Castell signed a water pact with Kestria on Tuesday in Ellis."
    ctx = _context(lede, "Castell said the pact would be good for farmers on both banks of the river.")
    from digest.compose.candidates import reaction_of

    found = reaction_of("Castell said the pact would be good for farmers on both banks of the river.", ctx)
    assert found is not None and found[2]  # a principal: a key fact, not a reaction


@pytest.mark.parametrize("sentence", [
    "Organizers said the river festival will be moved to the autumn.",  # a common noun, no party named
    "Ordinarily, the commission's ruling would be announced within weeks of a hearing.",  # no actor at all
    "Engineer Tom Hale said 14 pumping stations will be built over 12 years.",  # figures: information
    "I would point you to what Minister Hale said about the river.",  # a transcript's first person
    "In 2012, the Lusitanian government pledged to re-examine the treaty, but nothing came of it.",  # history
    "Years ago, the Lusitanian embassy condemned an earlier pact as a threat to the delta.",  # history
])
def test_reaction_rejects_what_is_not_a_party_responding(sentence):
    assert _reaction(sentence) is None


# Repeats: nothing twice, the headline included (issue 12).
def test_no_item_repeats_a_headline_written_from_a_lede():
    lede = "Vandoria and Kestria signed a water pact on Tuesday in the border town of Ellis after two days of talks."
    other = "The neighbours Vandoria and Kestria agreed on Tuesday to share the water of the Aron river for twenty years."
    articles = {
        "a": ("Daily Post", None, [lede, WIDE]),
        "b": ("Evening Star", None, [other, NARROW]),
    }
    s, clusters, settings = story_of(articles)
    plan = plan_story(s, select_versions(clusters, settings), settings, NOW)
    brief = plan.brief
    shown = [brief.summary] + [f.text for f in brief.key_facts] + [q.text for q in brief.quotes]
    shown += [r.text for r in brief.reactions] + [e.text for e in brief.whats_next]
    from digest.compose.headline import held_in

    assert brief.headline and not any(held_in(brief.headline, t) for t in shown), (brief.headline, shown)


def test_reaction_is_not_an_investigator_titled_elsewhere_in_the_story():
    from digest.compose.candidates import reaction_of

    said = "Roe said there were no signs of a break-in at the pumping station."
    ctx = _context(LEDE, "Det. Jane Roe is leading the inquiry into the damage at the station.", said)
    found = reaction_of(said, ctx)
    assert found is None or found[2]


def test_text_that_does_not_end_as_a_sentence_is_no_item():
    from digest.compose.candidates import ends_as_sentence

    assert ends_as_sentence("The pact divides the flow of the river.")
    assert ends_as_sentence('He said, "She said, \'Yes.\'')
    assert ends_as_sentence("Will the pact hold?")
    assert not ends_as_sentence("The Latest on the water talks between Vandoria and Kestria (all times local):")
    assert not ends_as_sentence("River pact signed Vandoria country profile Kestria timeline of the dispute")
    assert not ends_as_sentence("By sharing the river the two countries plan to offer farmers many bene")


def test_a_link_list_in_the_story_becomes_no_key_fact():
    links = "Vandoria country profile Kestria water dispute timeline Aron river basin in maps"
    ARTICLES["a"][2].append(links)
    try:
        s, selections, settings = build()
        plan = plan_story(s, selections, settings, NOW)
    finally:
        ARTICLES["a"][2].remove(links)
    shown = [plan.brief.summary] + [getattr(i, "text", "") for i in plan.brief.items()]
    assert not any(links in text for text in shown)
    assert any(d.text == links and "does not end as a sentence" in d.fate for d in plan.decisions)


def test_a_story_written_without_full_stops_keeps_its_lines():
    saved = {k: list(v[2]) for k, v in ARTICLES.items()}
    for _, _, paragraphs in ARTICLES.values():
        paragraphs[:] = [p.rstrip(".") for p in paragraphs]
    try:
        s, selections, settings = build()
        brief = compose_story(s, selections, settings, NOW)
    finally:
        for k, v in ARTICLES.items():
            v[2][:] = saved[k]
    assert brief.summary and brief.key_facts


def test_sentence_ends_of_other_scripts_count():
    from digest.compose.candidates import ends_as_sentence

    assert ends_as_sentence("市议会周二晚上推迟了预算投票。")
    assert ends_as_sentence("هل ستصمد الاتفاقية؟")


# Countries: every country from maintained data (countryinfo, pycountry), not a hand-written list (issue 12).
@pytest.mark.parametrize("text, countries", [
    ("Malian soldiers seized the state broadcaster.", ["Mali"]),  # a demonym from the data
    ("Officials in Bamako said the curfew would hold.", ["Mali"]),  # a capital
    ("Bogota and Bogotá name one capital.", ["Colombia"]),
    ("The Chinese Foreign Ministry said so.", ["China"]),  # a demonym takes any noun after it
    ("Three Israel Defense Forces soldiers were hurt.", ["Israel"]),  # a body after the name
    ("Israel's Operation Summer Rain began.", ["Israel"]),  # a possessive ends the name
    ("In Iraq, Jumaah sent a text message.", ["Iraq"]),  # a comma ends the name
    ("Jordan said the border would stay open.", ["Jordan"]),
    ("Officials in New Mexico said the fire spread.", []),  # a subdivision is a place, not the country in it
    ("Papua New Guinea said the talks would go on.", ["Papua New Guinea"]),  # the longest name wins
    ("Chad Johnson said the team would win.", []),  # a country's name as a first name
    ("Sofia Vergara wore a navy dress.", []),  # a capital's name as a first name
    ("Victoria Nuland said the talks had stalled.", []),  # a small territory's capital is no country
    ("The Washington Post reported it first.", []),  # a newspaper, not the government
    ("The White House Press Secretary said so.", ["United States"]),  # a seat of government
])
def test_countries_named_in_text(text, countries):
    from digest.compose.actors import countries_in

    assert countries_in(text) == countries


def test_every_current_country_is_known():
    import pycountry

    from digest.compose.actors import _gazetteer

    known = {c for c in _gazetteer()[0].values() if c}
    assert len(known) >= len(pycountry.countries) - 5, len(known)


def test_elaborating_prefers_a_new_fact_to_a_near_rewording_of_one_already_chosen():
    """MMR: after "the pact divides the river", a slightly lower-valued fact about something else goes in before a
    second sentence about the river's division (too unlike the first for the redundancy cut, but mostly the same)."""
    from digest.compose.budget import Fill
    from digest.compose.context import HEADING_TOKENS, Candidate
    from digest.models import Fact

    ctx = _context(LEDE, "The pact divides the flow of the Aron river.")

    def fact(key, score, terms):
        text = f"Fact {key}."
        return Candidate(key, "key_facts", Fact(text, ("a",)), text, ("a",), score, (("a", text),), "", "", (1,),
                         terms={t: 1.0 for t in terms.split()}, cost=10)

    first = fact("first", 0.60, "pact divide aron river flow twenty")
    rewording = fact("rewording", 0.58, "pact aron river share water decade basin equal part year")
    new = fact("new", 0.55, "farmer downstream fear dam dry field")
    fill = Fill(ctx, [first, rewording, new], None, [], 2 * 10 + HEADING_TOKENS["key_facts"], 450)
    fill.elaborate()
    assert [c.key for c in fill.chosen] == ["first", "new"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Mali New Mexico’'s.,;“”—-\n Chad Johnson U.S. ÉéBogotá")), max_size=80))
def test_country_spans_never_crash_and_lie_inside_the_text(text):
    from digest.compose.actors import country_spans, without_countries

    for start, end, country in country_spans(text):
        assert 0 <= start < end <= len(text) and country
    assert len(without_countries(text)) <= len(text)


def test_an_items_dateline_is_taken_off_but_a_bracketed_ticker_stays():
    from digest.text import without_dateline

    assert without_dateline("ELLIS, Vandoria (Reuters) - The pact was signed on Tuesday.") == "The pact was signed on Tuesday."
    assert without_dateline("CARSON CITY — Former mayor Ann Roe was freed.") == "Former mayor Ann Roe was freed."
    kept = "Acme (ACM) shares rose by a third on Tuesday."
    assert without_dateline(kept) == kept  # what is left would not open a sentence


def test_the_writers_own_question_is_no_fact():
    from digest.compose.candidates import asks_a_question

    assert asks_a_question("What does the pact mean for the farmers downstream?")
    assert not asks_a_question('"Who will pay for the dam?" Ann Roe asked.')


@pytest.mark.parametrize("text, piece", [
    ("So I am proud of the council for what it did,” the mayor said.", True),  # the close of a longer quotation
    ("“We will stay in Ellis whatever the council decides.", True),  # its opening
    ("The mayor said the council would “pay a price\" if it broke the pact.", False),  # mixed marks pair up
    ("The council voted to raise the dam by two metres.", False),
])
def test_a_piece_of_a_longer_quotation_is_no_fact(text, piece):
    from digest.compose.candidates import is_quotation_piece

    assert is_quotation_piece(text) is piece


@pytest.mark.parametrize("text, first_person", [
    ("I never expected to stay, because I wrote for the paper in Ellis.", True),
    ("Politicians have lost their power to frighten me.", True),
    ("Then I bought a boat and sailed down the Ellis river.", True),
    ("ANN ROE: I had to talk the mayor down.", True),  # a transcript's speaker label is no roman numeral
    ("Technically I was the mayor's first guest in Ellis.", True),  # an adverb before it, no name
    ("Here is Ann, I mean, Jo in happier times at the Ellis dam.", True),
    ("Our hearts are with the families of the Ellis farmers.", True),
    ("So we went back to the dam the next morning.", True),
    ("In fact, we’ve gathered the worst flood pictures of the valley here.", True),  # after an opening phrase
    ("Guys, we may never know what happened at the Ellis dam.", True),
    ("US officials said the Ellis dam would be repaired by the spring.", False),  # the country, not "us"
    ("Us Weekly reported that the mayor of Ellis had married.", False),
    ("“I am innocent,” the farmer told the court in Ellis.", False),  # quoted: the quotes section's to judge
    ("He fought in World War I and later ran the Ellis mill.", False),  # a roman numeral
    ("Elizabeth I ruled Ellis for 44 years.", False),
    ("The ME said the farmer died of a blow to the head.", False),  # a medical examiner
    ("The dam is older than we thought, engineers said on Tuesday.", False),  # "we" in passing, not the subject
])
def test_a_sentence_in_the_first_person_is_somebodys_words_not_a_fact(text, first_person):
    from digest.text import in_first_person

    assert in_first_person(text) is first_person


@pytest.mark.parametrize("text, post", [
    ("#breaking A flood hit #ellis after the dam gave way on Monday.", True),
    ("ANN ROE (@annroe) All of you had meetings with me and nobody helped.", True),
    ("Flood pictures spread under #EllisFlood and #DamWatch on Tuesday.", True),
    ("The hashtag #EllisFlood was used by thousands of farmers on Tuesday.", False),  # one tag, reported
    ("AT&T said its profits rose by a third in the last quarter.", False),
])
def test_an_embedded_social_post_is_no_fact(text, post):
    from digest.compose.candidates import is_embedded_post

    assert is_embedded_post(text) is post


@pytest.mark.parametrize("text, bare", [
    ("Ann Roe said to laughter and applause.", True),  # a quotation's tail split off
    ("Jo Roe wrote on her Save the Ellis Dam page.", True),
    ("Ann Roe told reporters on Tuesday.", True),
    ("Ann Roe said the council would meet on Tuesday.", False),  # a reported clause: a fact
    ("Ann Roe said in a statement that the dam was safe.", False),
    ("Ann Roe said on the radio the dam was safe.", False),
])
def test_a_sentence_that_only_says_who_spoke_is_no_fact(text, bare):
    from digest.compose.candidates import is_bare_attribution

    assert is_bare_attribution(text) is bare


@pytest.mark.parametrize("text, page", [
    ("In the video above, you can hear the mayor of Ellis tell the council about the dam.", True),
    ("The whole list of the flooded streets can be read here, and includes the old quay.", True),
    ("The mayor said the video of the flood would be shown to the council on Monday.", False),
])
def test_a_pointer_to_the_pages_media_is_no_fact(text, page):
    from digest.compose.plan import why_not_an_item

    assert (why_not_an_item(text, True) is not None) is page


def test_a_pointer_to_the_pages_media_in_brackets_goes_from_the_fact():
    from digest.compose.candidates import without_page_pointer

    assert without_page_pointer("What emerged was a blurry picture of the dam (see video below).") == \
        "What emerged was a blurry picture of the dam."


@pytest.mark.parametrize("text, note", [
    ("11 June, 2004, at the funeral for the former mayor of Ellis.", True),
    ("August 1974, speaking to the mayor shortly before he resigned, when Jo Roe was chair.", True),
    ("August 1974 was the month the Ellis dam was finished.", False),
    ("June 11, 2004, Jo Roe opened the new dam.", False),  # someone does something
])
def test_the_note_dating_a_quotation_is_no_fact(text, note):
    from digest.compose.plan import why_not_an_item

    assert (why_not_an_item(text, True) is not None) is note


def test_long_odd_sentences_are_judged_in_one_pass():
    """Sentences built to make a backtracking pattern try every split (each took seconds to hours before: a
    phrase of place or time could be split at any preposition, and each "I" looked back to the text's start).
    The suite's timeout, not a timing assertion, is what catches a return of it."""
    from digest.compose.candidates import is_bare_attribution
    from digest.text import in_first_person

    phrases = "Ann Roe said " + " ".join(f"on a{i} to b{i}" for i in range(12)) + "."
    assert is_bare_attribution(phrases + ",") is False
    assert in_first_person("The " + "War I " * 20000 + ".") is False
    assert in_first_person("The " + "War I " * 20000 + "and I left.") is True


@given(st.lists(st.sampled_from(["on", "to", "at", "in", "the", "Ellis", "dam", "that", ",", "said", "Roe"]),
                max_size=40).map(" ".join))
@settings(max_examples=200, deadline=None)
def test_a_bare_attribution_check_of_any_phrase_returns(tail):
    from digest.compose.candidates import is_bare_attribution

    assert isinstance(is_bare_attribution(f"Ann Roe said {tail}."), bool)


@given(st.text(alphabet=st.sampled_from(list("I we Our my#@(). “”\"abcWX'’:,")), max_size=60))
@settings(max_examples=300, deadline=None)
def test_first_person_and_post_checks_never_raise(text):
    from digest.compose.candidates import is_embedded_post
    from digest.text import in_first_person

    assert isinstance(in_first_person(text), bool) and isinstance(is_embedded_post(text), bool)


def test_the_defence_lawyer_speaks_for_the_accused_not_as_a_reaction():
    from digest.compose.candidates import reaction_of

    said = "Roe urged the judge to consider that the farmer already faces a long sentence."
    defence = "The farmer was suffering from debts, his defense lawyer Ann Roe told the court."
    ctx = _context(LEDE, WIDE, "The farmer was charged with damaging a gauging station on the river.", defence, said)
    found = reaction_of(said, ctx)
    assert found is not None and found[2]  # a principal's side: a key fact

def _outlets_context(articles: dict[str, tuple[str, list[str]]]):
    """A story context over hand-written articles: id -> (outlet, paragraphs)."""
    from digest.compose.context import StoryContext

    cleaned = []
    for aid, (outlet, paragraphs) in articles.items():
        article = Article(aid, "\n\n".join(paragraphs), title=None, outlet=outlet, published="2024-05-08")
        cleaned.append(CleanArticle(article, tuple(Paragraph(aid, i, t) for i, t in enumerate(paragraphs))))
    return StoryContext(Story("s", tuple(cleaned)), [])


def test_echo_counts_the_terms_another_outlet_prints_too():
    """What two outlets tell is the story; what one page alone prints (its aside, its furniture) echoes nothing."""
    ctx = _outlets_context({
        "a": ("Daily Post", ["Vandoria and Kestria signed a water pact in Ellis on Tuesday.",
                             "Subscribe to our newsletter for weekly gardening tips and recipes."]),
        "b": ("Evening Star", ["The water pact between Vandoria and Kestria was signed in Ellis."]),
    })
    assert ctx.echo("Vandoria and Kestria signed a water pact in Ellis.") == pytest.approx(1.0)
    assert ctx.echo("Subscribe to our newsletter for weekly gardening tips and recipes.") == 0.0
    half = ctx.echo("Vandoria and Kestria signed the pact beside weekly gardening recipes newsletter subscribe tips.")
    assert 0.2 < half < 0.8


def test_echo_of_wire_copy_in_one_outlet_is_no_echo():
    """Two articles of one outlet are one voice: their shared terms are printed by one outlet only."""
    ctx = _outlets_context({
        "a": ("Evening Star", ["Kestria's parliament must approve the pact by June.", "Farmers in Ellis cheered."]),
        "b": ("Evening Star", ["Kestria's parliament must approve the pact by June."]),
        "c": ("Daily Post", ["Farmers in Ellis cheered the signing."]),
    })
    assert ctx.echo("Kestria's parliament must approve the pact by June.") == 0.0
    assert ctx.echo("Farmers in Ellis cheered.") > 0


def test_echo_of_a_short_item_is_scaled_down():
    """A few common words echo easily and tell little: below ECHO_FULL_TERMS terms the echo shrinks."""
    from digest.compose.context import ECHO_FULL_TERMS

    ctx = _outlets_context({
        "a": ("Daily Post", ["That is why the leaders came here to Ellis for the signing of the water pact."]),
        "b": ("Evening Star", ["The leaders came here to Ellis for the signing of the water pact, that is why."]),
    })
    terms = len(ctx.vector("Leaders came here."))
    assert 0 < terms < ECHO_FULL_TERMS
    assert ctx.echo("Leaders came here.") == pytest.approx(terms / ECHO_FULL_TERMS)
    assert ctx.echo("The leaders came here to Ellis for the signing of the water pact.") == pytest.approx(1.0)


def test_echo_of_a_single_outlet_story_is_its_centrality():
    ctx = _context(LEDE, "The pact divides the flow of the Aron river.")
    text = "The pact divides the flow of the Aron river."
    assert ctx.echo(text) == ctx.centrality(text) > 0


def test_summary_is_a_first_sentence_before_a_second_one_as_widely_carried():
    """An announcement in the second sentence does not displace the lede it follows, whatever its importance."""
    from digest.compose.context import Candidate
    from digest.models import Fact

    ctx = _outlets_context({"a": ("Daily Post", [LEDE]), "b": ("Evening Star", [LEDE])})

    def cand(key, rank, score):
        text = f"Sentence {key} of the story about the pact."
        return Candidate(key, "key_facts", Fact(text, ("a", "b")), text, ("a", "b"), score, (("a", text),), "", "",
                         (rank,))

    lede, second = cand("lede", 0, 0.7), cand("second", 1, 0.9)
    assert ctx.summary_candidate([second, lede]) is lede
    assert ctx.summary_candidate([second]) is second
def test_cosine_given_norms_is_cosine_either_way_round():
    from digest.compose.context import _cosine_with_norms, _norm, cosine

    a = {"rain": 2.0, "flood": 1.0, "city": 0.5}
    b = {"flood": 3.0, "river": 1.0}
    expected = (1.0 * 3.0) / ((2.0**2 + 1.0 + 0.25) ** 0.5 * (9.0 + 1.0) ** 0.5)
    assert cosine(a, b) == cosine(b, a) == _cosine_with_norms(a, _norm(a), b, _norm(b))
    assert abs(cosine(a, b) - expected) < 1e-12
    assert cosine(a, {}) == 0.0 and cosine(a, {"snow": 1.0}) == 0.0


def test_a_caption_sentence_glued_to_a_paragraph_is_no_fact():
    # Cleaning keeps the paragraph (most of it is text); its caption sentence, split off, must not be shown.
    caption = ("Enlarge image Water pact signed Mira Castell/AFP/Getty Images Engineers walk along the Aron river "
               "near Ellis on May 2.")
    articles = {
        "a": ("Daily Post", "Water pact signed", [LEDE, caption, NARROW]),
        "b": ("Evening Star", "Pact on the Aron", [LEDE, WIDE]),
    }
    brief = brief_at(articles, 450)
    shown = [f.text for f in brief.key_facts] + [brief.summary or ""]
    assert NARROW in shown  # the control: the paragraph after the caption is still a fact
    assert not any("Getty Images" in text for text in shown)


def test_a_lede_that_reports_heads_the_story_before_a_features_hook():
    hook = "Even if it looks like a river, it might not be one."
    report = "Vandoria and Kestria signed a water pact in the border town of Ellis after two days of talks."
    articles = {
        "a": ("Daily Post", None, [hook, report, NARROW]),
        "b": ("Evening Star", None, [hook, WIDE]),
    }
    assert brief_at(articles, 450).headline == report.rstrip(".")


def test_a_title_speaking_to_the_reader_gives_way_to_another_title():
    hook = "Vandoria and Kestria signed a water pact on Tuesday in the border town of Ellis: help our farmers!"
    articles = {
        "a": ("Daily Post", hook, [LEDE, NARROW]),
        "b": ("Evening Star", hook, [LEDE, WIDE]),
        "c": ("River News", "Aron water pact signed", [LEDE]),
    }
    assert brief_at(articles, 450).headline == "Aron water pact signed"


def test_a_single_articles_title_heads_it_even_when_its_first_sentences_do_not_echo_it():
    update = "Update, 12 May: Jo Roe wrote to the paper to say the word verify describes the rule better."
    articles = {"a": ("Daily Post", "Why the Ellis dam board was raided by the police", [update, NARROW, WIDE])}
    assert brief_at(articles, 450).headline == "Why the Ellis dam board was raided by the police"


def test_the_summary_reports_an_event_before_a_features_hook():
    hook = "Running the water of a whole valley is a tough job, but somebody’s gotta do it."
    report = "Vandoria and Kestria signed a water pact in the border town of Ellis after two days of talks."
    articles = {
        "a": ("Daily Post", "Water pact signed", [hook, report, NARROW]),
        "b": ("Evening Star", "Pact on the Aron", [hook, report, WIDE]),
    }
    assert brief_at(articles, 450).summary == report


@pytest.mark.parametrize("text, to_reader", [
    ("If you thought the old dam was ugly, the engineers of Ellis have built a worse one.", True),
    ("You’ve got to see the new harbour wall.", True),
    ("“You will not be forgotten,” the mayor told the families of the fishermen.", False),
    ("The mayor of Ellis opened the new harbour wall on Monday.", False),
])
def test_the_writer_speaking_to_the_reader_is_found_outside_quotation_marks(text, to_reader):
    from digest.text import addresses_the_reader

    assert addresses_the_reader(text) is to_reader


def test_a_sentence_speaking_to_the_reader_reports_no_event():
    from digest.compose.headline import reports_an_event

    assert reports_an_event("Jo Roe will grant you three questions, which she may not answer.") is False
    assert reports_an_event("Jo Roe will answer three questions on Monday.") is True
    assert reports_an_event("Even if it looks like a river, it might not be one.") is False
    assert reports_an_event("Jo Roe accepted the invitation to visit Ellis.", happened=True) is True
    assert reports_an_event("The board will meet in Ellis next spring.", happened=True) is False


def test_the_summary_never_repeats_the_headline_written_from_its_lede():
    # One untitled article: the headline is written from its lede, so the summary is the next sentence.
    article = Article("a", "", title=None, outlet="Daily Post", published="2024-05-08")
    paragraphs = [LEDE, NARROW, "The commission will meet for the first time in the capital next spring."]
    s = Story("story-1", (CleanArticle(article, tuple(Paragraph("a", i, t) for i, t in enumerate(paragraphs))),))
    clusters = [Cluster(f"story-1-c{i}", (p,)) for i, p in enumerate(s.paragraphs)]
    settings = Settings()
    brief = compose_story(s, select_versions(clusters, settings), settings, NOW)
    assert brief.headline == LEDE.rstrip(".")
    assert brief.summary and not held_in(brief.headline, brief.summary)


def test_a_sentence_opening_on_a_when_clause_is_no_reaction():
    assert _reaction("When the pact was signed, the Lusitanian embassy said it was shocked by the haste.") is None
    assert _reaction("By the time the pact was signed, the Lusitanian embassy said it was shocked.") is None
    # being asked is what a response answers
    assert _reaction("When asked about the pact, the Lusitanian embassy said it was shocked by the haste.") is not None


def test_a_principals_office_or_campaign_speaks_as_the_principal():
    from digest.compose.candidates import reaction_of

    lede = "Vandorian President Mira Castell signed a water pact with Kestria on Tuesday in Ellis."
    said = "Castell’s office said she was shocked by the criticism of the pact."
    found = reaction_of(said, _context(lede, said))
    assert found is not None and found[2]  # the principal's own statement: not a reaction
    critics = "Castell’s critics said they were shocked by the haste of the pact."
    found = reaction_of(critics, _context(lede, critics))
    assert found is None or not found[2]  # the principal's critics do not speak for the principal


def test_key_facts_and_quotes_read_what_the_outlets_all_tell_before_one_outlets_detail():
    """Once chosen, a section's items are read core first: an item whose terms every outlet prints goes before a
    one-outlet detail the fill happened to take first; items of equal standing keep the order chosen."""
    from digest.compose.context import Candidate
    from digest.compose.plan import _in_reading_order
    from digest.models import Fact

    ctx = _outlets_context({
        "a": ("Daily Post", ["Vandoria and Kestria signed a water pact in Ellis on Tuesday.",
                             "A brass band from the capital played two marches at the ceremony."]),
        "b": ("Evening Star", ["The water pact between Vandoria and Kestria was signed in Ellis."]),
    })

    def fact(key, text, rank):
        cand = Candidate(key, "key_facts", Fact(text, ("a",)), text, ("a",), 0.5, (("a", text),), "", "", (rank,))
        cand.cost = len(text.split()) + 2
        return cand

    detail = fact("detail", "A brass band from the capital played two marches at the ceremony.", 1)
    core = fact("core", "Vandoria and Kestria signed a water pact in Ellis on Tuesday.", 1)
    assert [c.key for c in _in_reading_order(ctx, [detail, core])["key_facts"]] == ["core", "detail"]
    twin = fact("twin", "A brass band from the capital played two marches at the ceremony.", 1)
    assert [c.key for c in _in_reading_order(ctx, [twin, detail])["key_facts"]] == ["twin", "detail"]


def test_a_bulleted_line_is_shown_without_its_bullet():
    from digest.compose.candidates import without_bullet

    assert without_bullet("•The pact divides the flow of the river.") == "The pact divides the flow of the river."
    assert without_bullet("· The pact divides the flow of the river.") == "The pact divides the flow of the river."
    assert without_bullet("- The pact divides the flow of the river.") == "The pact divides the flow of the river."
    assert without_bullet("-5 degrees was the low in Ellis on Tuesday.") == "-5 degrees was the low in Ellis on Tuesday."
    bulleted = "•The pact divides the flow of the Aron river between the two countries for the next 20 years."
    ARTICLES["a"][2][1] = bulleted
    try:
        s, selections, settings = build()
        brief = compose_story(s, selections, settings, NOW)
    finally:
        ARTICLES["a"][2][1] = bulleted[1:]
    shown = [brief.summary] + [getattr(i, "text", "") for i in brief.items()]
    assert any(t.startswith("The pact divides the flow") for t in shown), shown
    assert not any(t.lstrip().startswith("•") for t in shown), shown


def test_a_piece_of_a_sentence_opening_in_lower_case_is_no_item():
    from digest.compose.candidates import opens_lower_case
    from digest.compose.plan import why_not_an_item

    assert opens_lower_case("and the two leaders will meet again in Ellis on Friday.")
    assert opens_lower_case("“eight children were among the dead in Ellis,” he said.")
    assert not opens_lower_case("eBay will sell the first shares of the pumping station.")
    assert not opens_lower_case("The two leaders will meet again in Ellis on Friday.")
    assert not opens_lower_case("20 farmers will meet again in Ellis on Friday.")
    assert "lower case" in why_not_an_item("and the two leaders will meet again in Ellis on Friday.", True)
    assert why_not_an_item("and the two leaders will meet again in Ellis on Friday", False) is None  # unpunctuated story
    assert why_not_an_item("The two leaders will meet again in Ellis on Friday.", True) is None


@pytest.mark.parametrize("text", [
    "New Ellis Gazette owner looking for a new publisher; several...",
    "The talks covered how a private pumping station could “better serve the river towns,”...",
])
def test_a_sentence_cut_off_on_an_ellipsis_is_no_item(text):
    from digest.compose.plan import why_not_an_item

    assert "cut off" in why_not_an_item(text, True)
    assert why_not_an_item("The board said the talks covered... nothing new, and would go on.", True) is None


def test_summary_is_no_sentence_cut_off_on_an_ellipsis_when_a_whole_one_is_there():
    from digest.compose.context import Candidate
    from digest.models import Fact
    from digest.select import is_cut_off

    assert is_cut_off("The difference is that the pact has...") and is_cut_off("Three steps to share a river …")
    assert is_cut_off("He said the pact was “a first step…”")
    assert not is_cut_off("The pact divides the flow of the river.")
    ctx = _outlets_context({"a": ("Daily Post", [LEDE]), "b": ("Evening Star", [LEDE])})

    def cand(key, text, rank):
        return Candidate(key, "key_facts", Fact(text, ("a", "b")), text, ("a", "b"), 0.8, (("a", text),), "", "",
                         (rank,))

    cut = cand("cut", "Vandoria and Kestria signed a water-sharing pact on Tuesday after...", 0)
    whole = cand("whole", "The pact divides the flow of the Aron river between the two countries.", 1)
    assert ctx.summary_candidate([cut, whole]) is whole
    assert ctx.summary_candidate([cut]) is cut


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="•·-–*  aAbB.…\"“”'(eBay)", max_size=40))
def test_list_marker_and_fragment_rules_never_fail_and_only_cut_a_leading_marker(text):
    from digest.compose.candidates import opens_lower_case, without_bullet
    from digest.select import is_cut_off

    stripped = without_bullet(text)
    assert text.endswith(stripped) and (stripped == text or stripped.strip())
    assert isinstance(opens_lower_case(text), bool) and isinstance(is_cut_off(text), bool)


def test_a_person_named_by_one_name_comes_after_the_item_giving_the_full_name():
    from digest.compose.context import Candidate
    from digest.compose.plan import names_introduced_first
    from digest.models import Fact

    texts = {
        "also": "Tarrow also faces charges in a 2009 case in the county, prosecutors said.",
        "plain": "The hearing lasted most of the day and heard nine witnesses.",
        "full": "The details came out at a pretrial hearing for Bram Tarrow Jr., 41, who is charged with theft.",
    }

    def fact(key):
        text = texts[key]
        return Candidate(key, "key_facts", Fact(text, ("a",)), text, ("a",), 0.5, (("a", text),), "", "")

    chosen = [fact("also"), fact("plain"), fact("full")]
    assert [c.key for c in names_introduced_first(chosen, [])] == ["full", "also", "plain"]
    # told in the headline or summary already: the order chosen stands
    told = ["Bram Tarrow was in court on Monday"]
    assert [c.key for c in names_introduced_first(chosen, told)] == ["also", "plain", "full"]
    # nobody is named in full anywhere: nothing moves
    alone = [fact("plain"), fact("also")]
    assert [c.key for c in names_introduced_first(alone, [])] == ["plain", "also"]


@pytest.mark.parametrize("text, filler", [
    ("A telephone listing for a Jo Roe rang unanswered on Wednesday.", True),
    ("The county court did not immediately respond to a request for comment on Friday.", True),
    ("Police could not be reached for comment late Monday.", True),
    ("Representatives for the studio were not immediately available for comment.", True),
    ("The mayor did not respond to the crisis for three days, and residents were left without water.", False),
    ("Rescuers could not reach the village until Tuesday, when the river fell.", False),
])
def test_a_sentence_saying_only_that_nobody_answered_is_no_fact(text, filler):
    from digest.compose.plan import why_not_an_item
    assert (why_not_an_item(text, True) is not None) == filler
