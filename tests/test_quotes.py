"""Quote extraction and speaker resolution on small hand-written articles."""

import pytest

from digest.models import Paragraph
from digest.compose.quotes import UNATTRIBUTED, extract_quotes, pair_marks


def article(*texts: str) -> list[Paragraph]:
    return [Paragraph("a1", i, t) for i, t in enumerate(texts)]


def only(quotes, fragment):
    found = [q for q in quotes if fragment in q.text]
    assert len(found) == 1, [q.text for q in quotes]
    return found[0]


def test_x_said_after_the_quote_with_straight_marks():
    qs = extract_quotes(article('"The harbour will reopen once the divers are done," Maria Lopez said.'))
    assert qs[0].text == "The harbour will reopen once the divers are done"
    assert qs[0].speaker == "Maria Lopez"


def test_said_x_with_apposition_gives_role():
    qs = extract_quotes(article(
        "“We have asked the board to reconsider the closure,” said Tom Baker, director of the Riverside Clinic."))
    assert qs[0].speaker == "Tom Baker"
    assert "director" in qs[0].role


def test_role_in_front_of_the_name():
    qs = extract_quotes(article(
        "“Talks will continue next week in good faith,” Trade Ministry spokesperson Anna Berg said in a statement."))
    assert qs[0].speaker == "Anna Berg"
    assert qs[0].role == "Trade Ministry spokesperson"


@pytest.mark.parametrize("dateline", ["VALDORA (AP) — ", "VALDORA — ", "Valdora, Ellis (Reuters) - "])
def test_the_dateline_opening_the_sentence_is_no_part_of_the_role(dateline):
    qs = extract_quotes(article(
        f"{dateline}Prime Minister Ana Lund said Thursday that the port would reopen “within a week or two.”"))
    assert qs[0].speaker == "Ana Lund"
    assert qs[0].role == "Prime Minister"


def test_an_employer_alone_in_front_of_a_name_is_the_role_without_its_possessive():
    qs = extract_quotes(article("“This is a new normal,” says the EIA's Andrea Johnson."))
    assert qs[0].speaker == "Andrea Johnson"
    assert qs[0].role == "EIA"


def test_x_said_colon_before_the_quote():
    qs = extract_quotes(article('Asked about the delay, the mayor, Lena Fox, said: "We simply ran out of money."'))
    assert qs[0].speaker == "Lena Fox"


def test_according_to():
    qs = extract_quotes(article(
        'The plant will close "by the end of the year and without any compensation for staff", according to Harold Finch.'))
    assert qs[0].speaker == "Harold Finch"


def test_it_said_goes_back_to_the_last_named_organisation():
    qs = extract_quotes(article(
        "The Coastal Weather Agency issued a storm warning on Monday.",
        '"Residents of low-lying areas should leave before nightfall," the Coastal Weather Agency said.',
        '"Shelters are open in every district of the city," it said.',
    ))
    assert only(qs, "Shelters").speaker == "Coastal Weather Agency"


def test_he_added_goes_back_to_the_last_named_person_not_an_organisation():
    qs = extract_quotes(article(
        "Union leader Sam Ortiz met the Harbour Authority on Tuesday.",
        '"We will not accept a pay cut of this size," Mr Ortiz said.',
        '"Our members are ready to strike for as long as it takes," he added.',
    ))
    assert only(qs, "Our members").speaker == "Sam Ortiz"


def test_the_minister_goes_back_to_the_speaker_with_that_role():
    qs = extract_quotes(article(
        "Finance minister, Clara Nunez, said the budget was balanced for the first time.",
        "Opposition leader Ben Hall called the plan a gamble.",
        "“We will publish every figure before the vote in parliament,” the minister told reporters.",
    ))
    assert only(qs, "publish").speaker == "Clara Nunez"


def test_quote_spanning_sentences():
    qs = extract_quotes(article(
        '"The bridge is safe. Engineers checked every cable twice this year," Rita Moss said.'))
    assert qs[0].text == "The bridge is safe. Engineers checked every cable twice this year"
    assert qs[0].speaker == "Rita Moss"


def test_quote_spanning_paragraphs():
    qs = extract_quotes(article(
        'Coach Dan Reyes said: "We lost the ball too often in the first half and paid for it.',
        '"In the second half we played the way we train every single week."',
    ))
    assert len(qs) == 1
    assert "first half" in qs[0].text and "second half" in qs[0].text
    assert qs[0].speaker == "Dan Reyes"


def test_quote_with_no_speaker_is_unattributed():
    qs = extract_quotes(article('"Nobody expected the river to rise this fast in a single night."'))
    assert qs[0].speaker == UNATTRIBUTED


def test_pronoun_with_no_earlier_speaker_is_unattributed():
    qs = extract_quotes(article('"The results speak for themselves and we are proud of them," she said.'))
    assert qs[0].speaker == UNATTRIBUTED


def test_scare_quotes_are_not_quotations():
    qs = extract_quotes(article('The so-called "smart" meters were fitted in every house on the street last spring.'))
    assert qs == []


def test_partial_quotes_in_reported_speech_are_quotations_of_the_reporting_speaker():
    # Quoted words inside "X called ... / X said ..." quote X: not scare quotes.
    qs = extract_quotes(article('Councillor Lisa Grant called the plan "reckless" and said it was "unfair".'))
    assert [(q.text, q.speaker) for q in qs] == [("reckless", "Lisa Grant"), ("unfair", "Lisa Grant")]


def test_mixed_marks_pair():
    assert pair_marks('He said “a good time." Then "more".') == [(8, 21), (28, 33)]


def test_short_mention_expands_to_full_name():
    qs = extract_quotes(article(
        "Prime minister Ingrid Solberg-Lund arrived in the capital on Friday.",
        '"We came to listen to the farmers and their families," Solberg-Lund said.',
    ))
    assert qs[0].speaker == "Ingrid Solberg-Lund"


from hypothesis import example, given, settings as hsettings, strategies as st

_PIECES = st.sampled_from([
    "“", "”", '"', "said", "he", "it", "added", "Anna Berg", "the minister", ",", ".", " ", "according to",
    "We will", "go home", "Mr", "told reporters", ":", "Ministry", "\n",
])


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=30).map(" ".join), min_size=1, max_size=4))
@example(["“ “ said   “"])  # regression: "said" followed by nothing but spaces crashed speaker parsing
@example([", \n said “"])  # regression: a clause of a line break alone before "said" crashed it too
def test_extraction_never_crashes_and_quotes_come_from_the_text(paragraph_texts):
    paragraphs = [Paragraph("p", i, t) for i, t in enumerate(paragraph_texts)]
    whole = " ".join(paragraph_texts)
    for q in extract_quotes(paragraphs):
        assert q.speaker
        for word in q.text.split():
            assert word.strip(".,") in whole


# --- the failures listed in issue 13, rewritten with invented names -------------------------


def test_said_x_with_a_trailing_participle_is_attributed():
    qs = extract_quotes(article(
        "Veteran strategist Olga Brandt joined the panel on Monday.",
        "“Voters are tired. Voters are angry,” said Brandt, speaking of the runoff. “It shows in every poll.”",
    ))
    assert [q.speaker for q in qs] == ["Olga Brandt", "Olga Brandt"]
    assert qs[1].rule == "broken quote"


def test_she_said_goes_to_the_woman_in_the_story_not_the_bylined_reporter():
    qs = extract_quotes(article(
        "Rosa watched the rally on the television in her kitchen.",
        "“There he is at last,” she said, clapping.",
    ), author="Daniel Crow")
    assert qs[0].speaker == "Rosa"


def test_a_bylined_reporter_is_never_the_speaker():
    qs = extract_quotes(article('"The river has never been this high," said Daniel Crow.'), author="Daniel Crow")
    assert qs[0].speaker == UNATTRIBUTED



def test_the_company_said_goes_to_the_company_not_to_the_police_named_before():
    qs = extract_quotes(article(
        "Officers of the Harbour City Police Department closed the road after a fire at a plant of Vantor Inc.",
        "“We are working with the authorities to find the cause,” the company said in a statement.",
    ))
    assert qs[0].speaker == "Vantor Inc"


def test_a_daughter_named_with_her_father_speaks_for_herself():
    qs = extract_quotes(article(
        "“He never stopped painting, even in hospital,” said Mila Orr, the daughter of the sculptor Anton Orr."))
    assert qs[0].speaker == "Mila Orr"


def test_a_father_is_a_person_never_the_country_named_before():
    qs = extract_quotes(article(
        "Investigators in Malaysia questioned the crew of the trawler again on Friday.",
        "“My son only wanted to send money home,” the father told reporters.",
    ))
    assert qs[0].speaker != "Malaysia"


def test_a_speaker_never_runs_across_a_sentence_end():
    qs = extract_quotes(article(
        "Police chief Omar Said Bakri spoke first. Tan Wei followed him.",
        "“We will find them,” Bakri said.",
    ))
    assert qs[0].speaker in {"Omar Said Bakri", "Bakri"}
    assert "." not in qs[0].speaker


def test_unnamed_sources_give_no_speaker():
    qs = extract_quotes(article('"The deal is done and will be signed on Friday," a senior official said.'))
    assert qs[0].speaker == UNATTRIBUTED
    assert qs[0].rule == "unnamed source"


def test_colon_introduction_in_the_previous_paragraph():
    qs = extract_quotes(article(
        "Mayor Ines Albano answered the council:",
        "“The budget is balanced and the schools will stay open next year.”",
    ))
    assert qs[0].speaker == "Ines Albano"


def test_quote_only_paragraph_continues_the_previous_speaker():
    qs = extract_quotes(article(
        "“We trained all winter for this race,” coach Pia Lund said.",
        "“Nobody on this team gave up, not for a single lap of it.”",
    ))
    assert [q.speaker for q in qs] == ["Pia Lund", "Pia Lund"]


def test_a_title_is_not_a_statement():
    qs = extract_quotes(article("The band closed the night with the song “Long Road Home”, the crowd singing along."))
    assert qs == []



def test_he_skips_a_person_the_text_says_is_a_woman():
    qs = extract_quotes(article(
        "Mr. Ilves met Mrs. Kask at the port on Tuesday.",
        "“The ferry will run again by summer,” he said.",
    ))
    assert qs[0].speaker == "Ilves"


def test_quote_bank_merges_outlets_and_keeps_the_most_explicit_speaker(tmp_path):
    from digest.compose.quotes import quote_bank
    from digest.models import Article
    from digest.settings import Settings

    one = Article("a", "Minister Ana Ruiz visited the flooded town.\n\n"
                       "“We will rebuild every bridge before the winter comes,” she said.", outlet="Daily One",
                  path="a.txt")
    two = Article("b", "“We will rebuild every bridge before the winter comes,” Transport Minister Ana Ruiz said "
                       "on Monday.", outlet="Daily Two", path="b.txt")
    entries = quote_bank([one, two], Settings())
    (entry,) = [e for e in entries if "rebuild" in e.text]
    assert entry.speaker == "Ana Ruiz" and entry.rule == "X said" and entry.outlet == "Daily Two"
    assert [s.outlet for s in entry.sources] == ["Daily One", "Daily Two"]
    assert not entry.disagreement


def test_quote_bank_counts_outlets_that_name_different_speakers():
    from digest.compose.quotes import quote_bank
    from digest.models import Article
    from digest.settings import Settings

    one = Article("a", "“The strike is over and the trains run tomorrow,” said union leader Ken Moss.", outlet="A")
    two = Article("b", "“The strike is over and the trains run tomorrow,” said rail chief Lee Park.", outlet="B")
    (entry,) = quote_bank([one, two], Settings())
    assert entry.disagreement and set(entry.speakers) == {"Ken Moss", "Lee Park"}


# --- the dependency parse (spaCy), and names the patterns used to cut short -------------------


def test_parse_finds_the_subject_of_the_speech_verb_past_a_phrase_in_front():
    qs = extract_quotes(article("In a radio interview Dana Whitlow declared “the tunnel will never be finished.”"),
                        parser="spacy")
    assert qs[0].speaker == "Dana Whitlow"
    assert qs[0].rule.startswith("parse")


def test_parse_skips_a_noun_that_looks_like_a_speech_verb():
    # "tweets" here is a noun; the verb the quote hangs on is "says", whose subject speaks.
    qs = extract_quotes(article(
        "Ada Brandt says Omar Reyes’s flurry of late-night tweets about the port was “unhinged, even for him.”"),
        parser="spacy")
    assert qs[0].speaker == "Ada Brandt"


def test_rules_try_an_earlier_verb_when_the_nearest_names_nobody():
    # once the rules alone missed this sentence (a reason the parse is used, bench/quotes.py --parsers): the
    # nearest verb form ("tweets") has no speaker for a subject, and the earlier "says" does
    qs = extract_quotes(article(
        "Ada Brandt says Omar Reyes’s flurry of late-night tweets about the port was “unhinged, even for him.”"))
    assert qs[0].speaker == "Ada Brandt"
    qs = extract_quotes(article(
        'Speaker Jo Hale said the spate of closures demands that all of us engage in "more listening" now.'))
    assert qs[0].speaker == "Jo Hale"


def test_parse_gives_a_participle_the_subject_of_its_sentence():
    qs = extract_quotes(article(
        "Councillor Ruth Ames mocked the complaint, saying anybody who blames the microphone “is not having a good night.”"),
        parser="spacy")
    assert qs[0].speaker == "Ruth Ames"


def test_parse_resolves_a_pronoun_subject_to_the_person_before():
    qs = extract_quotes(article(
        "Mayor Ines Duarte opened the new bridge on Sunday.",
        "At the ceremony she called the project “a promise kept to every family in the valley.”"), parser="spacy")
    assert qs[0].speaker == "Ines Duarte"


def test_party_and_state_after_a_name_are_not_the_name():
    qs = extract_quotes(article(
        "“Our assumption is that the veto will be overridden,” Senate Majority Leader Tom Hale, R-Ky., said Tuesday.",
        '"It is over," said Sen. Carla Mendes (D-Mo.) on Monday.'))
    assert qs[0].speaker == "Tom Hale"
    # the tag goes; the title is the role, so "Sen. Carla Mendes" and a later "Carla Mendes" are one speaker
    assert (qs[1].speaker, qs[1].role) == ("Carla Mendes", "senator")


def test_an_initial_does_not_end_the_speakers_name():
    qs = extract_quotes(article('"We are done here," said John D. Palmer, a former chief of staff.'))
    assert qs[0].speaker == "John D. Palmer"


def test_name_then_capitalised_role_keeps_the_person():
    qs = extract_quotes(article('"We are talking about a wave," said Dora Wexler, House editor for the Lake County Report.'))
    assert qs[0].speaker == "Dora Wexler"


def test_a_headline_in_title_case_is_not_a_full_name_to_expand_to():
    qs = extract_quotes(article(
        "Mayor Seeks More Money For Roads As Obrecht Opens New Depot",
        "Obrecht called the depot “a celebration of the ways a city can work together.”"))
    assert qs[0].speaker == "Obrecht"


def test_a_place_before_the_mayor_said_is_not_the_mayor():
    qs = extract_quotes(article(
        "An explosion injured 29 people in a Harbourside street, Mayor Bill de Vries said.",
        "At a press conference in Harbourside, the mayor also said that it was too early to tell.",
        '"We do not see a link to terrorism," the mayor said.'))
    assert only(qs, "terrorism").speaker == "Bill de Vries"


def test_a_number_word_opening_a_sentence_is_not_a_name():
    qs = extract_quotes(article(
        "The Daily Ledger praised the developer in 1995.",
        "Twenty-two years ago, the paper hailed him as a builder.",
        "“The city owes him a great deal,” the article read."))
    assert only(qs, "city owes").speaker != "Twenty-two"


# --- which quotes a briefing shows first (pure rules; the seeds test checks them in a briefing) ---------


def test_a_principal_outweighs_a_key_reactor_who_outweighs_anybody():
    from digest.compose.quotes import quote_weight

    statement = "We will open the border crossing on Monday morning"
    assert quote_weight(statement, True, False, False) > quote_weight(statement, False, True, False) \
        > quote_weight(statement, False, False, False) == 1.0


def test_a_fragment_weighs_less_than_a_statement_unless_shown_in_its_sentence():
    from digest.compose.quotes import quote_weight

    assert quote_weight("at least limit their ability to be effective", False, False, False) < 1.0
    assert quote_weight("at least limit their ability to be effective", False, False, True) == 1.0


def test_a_phrase_in_reported_speech_is_shown_in_its_sentence():
    from digest.compose.quotes import sentence_for_phrase

    sentence = "The Harbour Board has warned that it “will not hesitate” to close the port to such ships."
    assert sentence_for_phrase("will not hesitate", sentence) == sentence
    # A statement of its own is quoted as it is; one quoted word is no speech; a long sentence is not shown.
    assert sentence_for_phrase("We will close the port", "“We will close the port,” she said.") is None
    assert sentence_for_phrase("accepted", "Ruiz has “accepted” an invitation to the talks.") is None
    assert sentence_for_phrase("will not hesitate", sentence.replace("ships.", "ships " + "and more " * 30 + ".")) is None


def test_he_goes_to_the_person_a_speech_verb_follows_mid_sentence():
    qs = extract_quotes(article(
        "Aide Tomas Brandt, one of the mayor's closest advisers, met the press.",
        "The city will need new reservoirs within a decade because of the drought, Mayor Ilona Varga said in her interview.",
        "In the end, Mr. Falk said in his interview, the river decides.",
        '"If the river runs dry, the whole valley empties," he said.'))
    assert only(qs, "river runs dry").speaker == "Falk"


def test_parse_gives_a_participle_after_a_noun_to_that_noun():
    qs = extract_quotes(article(
        "The advert uses footage of Mara Quist asking, “Why aren’t we fifty points ahead of them?”"), parser="spacy")
    assert qs[0].speaker == "Mara Quist"


def test_a_name_after_a_dash_under_a_quote_is_its_speaker():
    qs = extract_quotes(article("“He is dividing our towns, and his remarks are hurting us.” ― Carla Ruiz",
                                "“The least qualified candidate we have ever had.” ― Tomas Herrera"))
    assert [q.speaker for q in qs] == ["Carla Ruiz", "Tomas Herrera"]


def test_said_x_colon_before_the_quote():
    qs = extract_quotes(article(
        "The plan would make the tax code more complicated. Said Ellis: “I don’t think she is the least bit interested.”"))
    assert qs[0].speaker == "Ellis"


# --- session 3: cues after long quotes, transcripts, colons, lead-ins, the bank's grouping ----------


def test_said_after_a_quote_of_several_sentences():
    qs = extract_quotes(article("“The river is high. The shelters are open. Stay home tonight,” Mayor Lena Fox said."))
    assert qs[0].speaker == "Lena Fox" and qs[0].rule == "X said"


def test_dash_bylines_under_a_list_of_quotes_of_several_sentences():
    qs = extract_quotes(article(
        "“He is a danger to us. He is our shame.”― Sonya Herr “He lied to us. He is ignorant of our lives.”"
        "― Pam Padon “I’m so ashamed. I cannot believe it.” ― Carla Sanz."))
    assert [q.speaker for q in qs] == ["Sonya Herr", "Pam Padon", "Carla Sanz"]


def test_a_new_sentence_after_a_quote_that_ended_with_a_full_stop_is_not_its_cue():
    qs = extract_quotes(article(
        "Governor Ann Webb spoke at the fair.",
        "“We owe the banks nothing. We paid every loan.” Often, it appeared that critics said otherwise."))
    assert qs[0].speaker != "Often"


def test_a_cue_that_introduces_the_next_quote_is_not_the_previous_ones():
    qs = extract_quotes(article(
        "“It is not what worked. Those are distractions,” he said. “What works is change. People are upset.” "
        "Campaign spokesman Jo Miller added, “The other team lost.”"))
    assert only(qs, "What works").speaker != "Jo Miller"
    assert only(qs, "other team").speaker == "Jo Miller"


def test_transcript_labels_name_each_turn():
    qs = extract_quotes(article(
        "Host Chris Wallace spoke to Governor Mike Pence.",
        "Partial transcript as follows:",
        '"WALLACE: Let us start with the news on the debate. Why would he do that?',
        '"PENCE: Well, look, this is a serious business for the country."'))
    assert [(q.speaker, q.text[:8]) for q in qs] == [("Chris Wallace", "Let us s"), ("Mike Pence", "Well, lo")]


def test_a_name_alone_before_a_colon_names_the_speaker_but_not_an_object():
    qs = extract_quotes(article("POLLS NOT WRONG, JUST EARLY - Pollster Dan Shaw: “The polls failed to predict the win.”"))
    assert qs[0].speaker == "Dan Shaw"
    qs = extract_quotes(article("Mayor Lena Fox spoke.", "Fox attacked Jim Hale: “He has never built a single road here.”"))
    assert qs[0].speaker != "Jim Hale"


def test_inverted_speech_verb_before_a_colon_is_not_part_of_the_name():
    qs = extract_quotes(article("Roger Stone spoke on the radio.", "Continued Stone: “So I think it is a very real problem.”"))
    assert qs[0].speaker == "Roger Stone"


def test_a_description_with_a_qualifier_goes_to_the_mention_that_fits_it():
    qs = extract_quotes(article(
        "The Republican nominee Donald Trump met the Democratic nominee Jane Kaine.",
        '"We will win the state by a mile," the Republican nominee said.'))
    assert qs[0].speaker == "Donald Trump"


def test_quote_bank_reads_a_lead_in_the_cleaner_set_aside():
    from digest.compose.quotes import quote_bank
    from digest.models import Article
    from digest.settings import Settings

    one = Article("a", "Mayor Lena Fox spoke on Monday about the flood and the repairs.\n\nShe said:\n\n"
                       "“We have a situation where the river is rising. We will open shelters tonight.”\n\n"
                       "The city closed its schools for the week.", outlet="A", path="a.txt")
    (entry,) = quote_bank([one], Settings())
    assert entry.speaker == "Lena Fox"


def test_quote_bank_keeps_apart_quotes_that_only_share_words():
    from digest.compose.quotes import quote_bank, same_quotation
    from digest.models import Article
    from digest.settings import Settings

    assert same_quotation("we will rebuild every bridge", "we will rebuild every bridge before the winter comes")
    assert not same_quotation("unfit to be commander in chief",
                              "he has been disrespecting veterans for decades proving he is unfit to be commander in chief")
    one = Article("a", "“He has been disrespecting our veterans for decades, and he is unfit to be commander in "
                       "chief,” said organiser Ray Culp.", outlet="A", path="a.txt")
    two = Article("b", "Senator Ann Webb called him “unfit to be commander in chief” on Monday.", outlet="B", path="b.txt")
    entries = quote_bank([one, two], Settings())
    assert len(entries) == 2 and {e.speaker for e in entries} == {"Ray Culp", "Ann Webb"}
    three = Article("c", "Asked twice, he said “no.”", outlet="C", path="c.txt")
    four = Article("d", "The minister said “no.”", outlet="D", path="d.txt")
    assert len(quote_bank([three, four], Settings())) == 2


def test_a_capitalised_adverb_opening_the_sentence_is_not_part_of_the_name():
    qs = extract_quotes(article("Bernie Sanders toured Iowa.",
                                "Still Sanders said the plan was “a political revolution for everyone in the state.”"))
    assert qs[0].speaker == "Bernie Sanders"


def test_a_document_named_by_its_issuer_speaks_for_the_issuer():
    qs = extract_quotes(article("Twenty years ago, a Harbour Times article hailed the mayor as “The Comeback Kid of the town.”"))
    assert qs[0].speaker == "Harbour Times"
    qs = extract_quotes(article("A Port Accountability Office report released last year found that the agency could not be "
                                "sure the money was not coming from “the drug trade or other criminal activities.”"),
                        parser="spacy")
    assert qs[0].speaker == "Port Accountability Office"


def test_officials_at_a_named_body_speak_for_it_but_a_lowercase_owner_names_nobody():
    qs = extract_quotes(article("Officials at Harbour Security Investigations, a division of the ministry, said they feared "
                                "that brokers “may try to use sophisticated methods to circumvent” the program."))
    assert qs[0].speaker == "Harbour Security Investigations"
    qs = extract_quotes(article("The rules say so, and the party's bylaws say members must vote “in person at every meeting "
                                "of the board.”"))
    assert qs[0].speaker == UNATTRIBUTED


def test_capitals_headlines_and_party_tags_are_not_names_for_pronouns():
    qs = extract_quotes(article("Senator Clara Moss (D-Mo.) questioned him.", "OZ'S DOCTOR HAS INVESTIGATED HIM",
                                "Democratic Sen. Clara Moss (D-Mo.) scolded him: “The scientific community is against "
                                "you on this,” she said."))
    assert "Clara Moss" in qs[0].speaker


def test_an_abbreviated_title_with_a_full_stop_stays_in_the_name():
    qs = extract_quotes(article('"This is a waste of time for the committee," said Del. Stacy Plasket of the Islands.'))
    assert qs[0].speaker.endswith("Stacy Plasket")


def test_an_inverted_speaker_and_a_subject_before_a_phrase_are_what_he_refers_to():
    qs = extract_quotes(article("Spokesman Sean Spicer praised the debate.",
                                "However, debates are not likely to alter the race, noted Dan Chinn.",
                                "“Debates happen late in the campaign,” he wrote."))
    assert qs[0].speaker == "Dan Chinn"
    qs = extract_quotes(article("Matt Mathews praised Pence.",
                                "Dan McLain at the National Review agreed with Mathews about the winner.",
                                "“If the goal was to make him defend the deal, he succeeded,” he wrote."))
    assert qs[0].speaker == "Dan McLain"


def test_a_quote_after_reported_speech_with_its_cue_continues_that_speaker_and_only_then():
    qs = extract_quotes(article("The city may wait while talks go on, Adam Schick said. “The other factor is the "
                                "appearance of tipping the scales.”"))
    assert qs[0].speaker == "Adam Schick" and qs[0].rule == "after reported speech"
    qs = extract_quotes(article("Mayor Lena Fox said the plan would fail.", "“It is a disaster for the whole town and its people.”"))
    assert qs[0].speaker == "Lena Fox"
    qs = extract_quotes(article("The storm hit the coast on Monday night. “It is a disaster for the whole town and its people.”"))
    assert qs[0].speaker == UNATTRIBUTED


def test_quote_bank_takes_the_speaker_as_the_briefing_does_by_votes_before_name_length():
    # The briefing's choose_speaker: among outlets naming speakers outright, the one more outlets name wins;
    # the bank used to take the longest name of the most explicit rule instead.
    from digest.compose.quotes import quote_bank
    from digest.models import Article
    from digest.settings import Settings

    quote = "“The strike is over and the trains run again tomorrow,”"
    one = Article("a", f"{quote} said Kenneth Moss Ellery.", outlet="A")
    two = Article("b", f"{quote} said Lee Park.", outlet="B")
    three = Article("c", f"{quote} Lee Park said.", outlet="C")
    (entry,) = quote_bank([one, two, three], Settings())
    assert entry.speaker == "Lee Park" and entry.outlet in ("B", "C")
    assert entry.disagreement and set(entry.speakers) == {"Lee Park", "Kenneth Moss Ellery"}


def test_quote_bank_drops_an_inferred_speaker_the_quote_itself_names():
    # "he" resolved to the man the quote talks about: as in the briefing, no speaker rather than a wrong one.
    from digest.compose.quotes import quote_bank
    from digest.models import Article
    from digest.settings import Settings

    one = Article("a", "Tom Hale won the race on Sunday.\n\n“Hale was the strongest rider in the field,” he said.",
                  outlet="A")
    (entry,) = quote_bank([one], Settings())
    assert entry.speaker is None


def test_quote_bank_gives_each_source_its_sentence():
    from digest.compose.quotes import quote_bank
    from digest.models import Article
    from digest.settings import Settings

    one = Article("a", "The port reopened. “Ships can dock again from Monday,” said harbour master Ivo Lind.",
                  outlet="A")
    (entry,) = quote_bank([one], Settings())
    assert entry.sources[0].context == "“Ships can dock again from Monday,” said harbour master Ivo Lind."


# --- subjects, colons, participles (issue 13, second round) -----------------------------------


def test_a_colon_after_a_sentence_without_speech_verb_gives_its_subject():
    qs = extract_quotes(article("Mayor Ida Berg had a blunt message for the council: “The budget will not pass this way.”"))
    assert qs[0].speaker == "Ida Berg" and qs[0].rule == "subject before colon"


def test_a_statement_paragraph_after_a_colon_lead_in_goes_to_its_subject():
    qs = extract_quotes(article("Governor Paul Reyes released the following statement:",
                                "“Our thoughts are with the families of the miners tonight.”"))
    assert qs[0].speaker == "Paul Reyes"


def test_a_colon_after_words_that_name_nobody_gives_no_speaker():
    qs = extract_quotes(article("Wait, there is more:", "“The bridge was never inspected after the flood of that year.”"))
    assert qs[0].speaker == UNATTRIBUTED


def test_a_name_right_before_a_participle_is_its_subject():
    qs = extract_quotes(article("The advert shows footage of Senator Ana Kova asking, “Where did all the money go?”"))
    assert qs[0].speaker == "Ana Kova"


def test_role_words_before_a_name_leave_it_the_subject_a_pronoun_refers_to():
    qs = extract_quotes(article(
        "Lena Park announced the housing plan on Monday.",
        "Conservative economist Ruth Adler, who studies housing at a think tank, said Park's plan was flawed.",
        "“Nobody has explained how it will be paid for,” she said.",
    ))
    assert only(qs, "Nobody").speaker == "Ruth Adler"


def test_a_capitalised_plural_opening_a_sentence_is_not_a_person_he_can_mean():
    qs = extract_quotes(article(
        "Senator Tom Reyes promised to back the nominee.",
        "Delegates questioned how Reyes could go back on a pledge that delegates had signed.",
        "“The day that pledge was broken was the day this became personal,” he said.",
    ))
    assert only(qs, "pledge was broken").speaker == "Tom Reyes"


def test_a_common_noun_opening_a_live_blog_entry_after_its_time_stamp_is_not_a_person_he_can_mean():
    qs = extract_quotes(article(
        "Transport Minister Carlos Duarte said the line would not reopen before the inquiry ended.",
        "4:05 P.M. Landslide blocks the coastal road near the bridge.",
        "“Nobody will travel on that bridge until we know it is safe,” he told the radio station.",
        "Officials said the landslide had been cleared by night.",
    ))
    assert only(qs, "Nobody will travel").speaker == "Carlos Duarte"


def test_a_common_noun_opening_a_sentence_is_not_a_person_he_can_mean():
    qs = extract_quotes(article(
        "Transport Minister Carlos Duarte said the line would not reopen before the inquiry ended.",
        "Landslide blocks the coastal road near the bridge.",
        "“Nobody will travel on that bridge until we know it is safe,” he told the radio station.",
        "Officials said the landslide had been cleared by night.",
    ))
    assert only(qs, "Nobody will travel").speaker == "Carlos Duarte"


def test_a_single_capital_opening_a_sentence_that_the_story_uses_as_a_name_stays_a_name():
    qs = extract_quotes(article(
        "Glass spoke to the board on Monday about the rising price of glass in the region.",
        "“We cannot build anything at these prices,” Glass said.",
    ))
    assert only(qs, "cannot build").speaker == "Glass"


def test_a_long_office_in_front_of_a_name_still_gives_the_name():
    qs = extract_quotes(article(
        "Prime Minister Anwar Hakim flew to Tokyo on Monday.",
        "Deputy Home Affairs Minister Wan Junaidi Jaafar said the ministry had never allowed such training.",
        "“The report is incorrect,” he told a television station.",
    ))
    assert only(qs, "report is incorrect").speaker == "Wan Junaidi Jaafar"


def test_a_headline_in_title_case_after_an_office_is_no_name():
    qs = extract_quotes(article(
        "House Minority Leader Nancy Pelosi Seeks More Holiday Time For Members",
        "Nancy Pelosi spoke to reporters on Thursday about the calendar.",
        "“Members need to be home with their families,” she said.",
    ))
    assert only(qs, "home with their families").speaker == "Nancy Pelosi"


def test_what_a_possessive_owns_is_no_speech_verb_and_a_lower_case_role_opens_the_subject():
    qs = extract_quotes(article(
        "Mayor Ina Voss posted three messages about the strike overnight.",
        "On a call with reporters, city spokesman Tomas Berg at first declined to elaborate on Voss's posts, "
        "saying they “speak for themselves.”",
    ))
    quote = only(qs, "speak for themselves")
    assert quote.speaker == "Tomas Berg"
    assert "declined" not in (quote.role or "")


@pytest.mark.parametrize("opening, subject", [
    ("campaign manager Robby Mook said", "campaign manager Robby Mook"),
    ("officials at the Harbour Police said", None),  # not "of" (the start of "officials")
    ("about 200 people said", None),  # not "a"
    ("The Kremlin earlier said", "The Kremlin"),
])
def test_the_subject_opening_a_sentence_is_read_in_whole_words(opening, subject):
    from digest.compose.quotes.cues import _sentence_subject
    assert _sentence_subject(opening) == subject


def test_an_office_of_a_body_between_commas_is_not_the_person_a_pronoun_means():
    qs = extract_quotes(article(
        "Djoko Murdjatmodjo, Indonesia's acting Director General of Air Transportation, said the ministry "
        "would investigate other routes.",
        "“We are going to investigate all flight schedules,” he said.",
    ))
    assert only(qs, "investigate all flight").speaker == "Djoko Murdjatmodjo"


@pytest.mark.parametrize("span, name, office", [
    ("Secretary of State John Kerry", "John Kerry", "Secretary of State"),
    ("Minister of Home Affairs Li Wen", "Li Wen", "Minister of Home Affairs"),
    ("Director General of Air Transportation", "Air Transportation", "Director General"),
])
def test_an_office_running_past_of_is_read_whole(span, name, office):
    from digest.compose.quotes.reading import _span_name
    found = _span_name(span)
    assert (found.actor.name, found.office) == (name, office)
    assert found.actor.kind == ("org" if name == "Air Transportation" else "person")


def test_a_clause_about_something_of_theirs_is_no_role():
    qs = extract_quotes(article(
        "“He deserves the harshest penalty,” said Mustafa Suleiman, whose hour-long comments held the courtroom."))
    assert qs[0].speaker == "Mustafa Suleiman" and not qs[0].role


@pytest.mark.parametrize("head, subject", [
    ("It was Senator Jo Roe who ", "Senator Jo Roe"),
    ("It was Senator Jo Roe who later ", "Senator Jo Roe"),
    ("It was Caballero who he ", None),  # "he" calls him so
    ("It was Caballero who Roe ", None),
])
def test_a_relative_pronoun_is_the_speaker_only_when_its_clause_has_no_subject_of_its_own(head, subject):
    from digest.compose.quotes.parse import _relative_subject
    assert _relative_subject(head) == subject


def test_an_honorific_ending_a_name_is_its_surname():
    qs = extract_quotes(article(
        "“We must remain vigilant,” said Bob Lord, chief security officer for the committee.",
        "“Dr Ann Vale knows this,” said Dr Ann Vale's deputy, Jo Roe."))
    assert only(qs, "remain vigilant").speaker == "Bob Lord"


def test_the_main_clause_before_a_colon_speaks_not_the_clause_before_it():
    qs = extract_quotes(article(
        "Senator Rick Hale, in suit and tie, made light of his loss in the straw poll.",
        "When the host Ann Vale said she was surprised Hale did not do better, he shot back: "
        "“Those straw polls are won by the busloads.”",
    ))
    assert only(qs, "straw polls are won").speaker == "Rick Hale"


def test_a_pronoun_right_after_a_name_and_its_verb_gives_the_name_its_gender():
    qs = extract_quotes(article(
        "Jo Marr said she had warned the board, and Tom Reyes agreed with the plan.",
        "“We should have listened to her,” he said later.",
    ))
    assert only(qs, "should have listened").speaker == "Tom Reyes"


def test_the_author_of_a_study_speaks_with_their_own_role():
    qs = extract_quotes(article(
        "“He was a key participant in the massacre,” the study by Lund University historian Per Anders Rudling says."))
    assert qs[0].speaker == "Per Anders Rudling"
    assert qs[0].role == "Lund University historian"


def test_a_place_naming_whose_police_is_no_person_a_pronoun_means():
    qs = extract_quotes(article(
        "A former student Roe had been dating off and on since 2004 got a protection order against him in March.",
        "She said she broke up with him last August and alleges in court documents that he did not stop contacting "
        "her, despite Ellisford police asking him on three occasions to leave her alone.",
        "“He has gone to great lengths to reach me since November,” she said in court documents.",
    ), parser="spacy")
    assert only(qs, "great lengths").speaker != "Ellisford"


def test_a_company_is_not_expanded_to_the_product_named_after_it():
    qs = extract_quotes(article(
        "Walter Huang died when his Tesla Model X hit a barrier on the highway.",
        "“We have never seen this level of damage in any other crash,” Tesla said in its statement.",
    ))
    assert only(qs, "never seen this level").speaker == "Tesla"


def test_a_company_speaking_of_its_statement_is_not_the_first_name_of_a_longer_span():
    qs = extract_quotes(article(
        "The driver had used Tesla Autopilot on that road for months.",
        "“Autopilot makes the world safer,” Tesla said in its statement.",
    ))
    assert only(qs, "makes the world safer").speaker == "Tesla"


def test_an_abbreviated_office_is_written_out_in_the_role():
    qs = extract_quotes(article(
        "Facing the chief executive, Sen. Ann Vale, D-Mass., had sharp questions on Tuesday. She said he made "
        "millions in the scheme, telling him, “You should resign.”"))
    assert only(qs, "should resign").speaker == "Ann Vale"
    assert only(qs, "should resign").role == "senator"


@pytest.mark.parametrize("phrase, name", [
    ("Swiss-based Nestle", "Nestle"),
    ("the Brexit-supporting Daily Express", "Daily Express"),
    ("Kremlin-backed Jo Roe", "Jo Roe"),
])
def test_a_description_in_front_of_a_name_is_no_part_of_it(phrase, name):
    from digest.compose.actors import parse_actor
    assert parse_actor(phrase).name == name


def test_a_plural_noun_before_its_verb_is_no_speech_verb():
    qs = extract_quotes(article(
        "Jo Vale, who runs the studio, said the files were taken last year.",
        "The hacker ended the note with a threat to the networks whose TV shows were stolen: "
        "“There is still time to save yourselves.”"))
    assert only(qs, "still time").speaker != "TV"


@pytest.mark.parametrize("opening", ["Besides stating that the pass was closed", "Despite the ruling", "Like his father"])
def test_an_opening_phrase_before_the_speaker_is_no_part_of_it(opening):
    from digest.compose.quotes.phrases import _actor_from_np
    assert _actor_from_np(f"{opening}, Tom Roe").name == "Tom Roe"
    # the place named inside the opening phrase is nobody: the speaker is the (unnamed) report
    assert _actor_from_np(f"{opening} in Ellisland, the army report, by an official") is None


def test_an_abbreviated_office_before_of_is_read_without_a_crash():
    # "Rep. of Korea": the office word is written out ("representative"), so it is looked up by position
    qs = extract_quotes(article(
        "Officials of the Rep. of Korea met on Monday. Gov. of Texas Ann Vale was there.",
        "“We will meet again,” she said."))
    assert only(qs, "meet again").speaker == "Ann Vale"


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Sen.", "Gov.", "Rep.", "Gen.", "Secretary", "Director", "General", "of", "the",
                                 "State", "Texas", "Jo", "Roe", "Dr", "Lord", "Deputy", "Minister"]), min_size=1, max_size=7))
def test_reading_a_capitalised_span_never_raises(words):
    from digest.compose.quotes.reading import _span_name
    _span_name(" ".join(words))  # any answer, or None, but no exception


_TRICKY = ["Sen.", "Gov.", "Rep.", "of", "the", "Jo", "Roe", "Lord", "said", "says", "its", "he", "she", "who",
           "whose", "Besides", "JERUSALEM", "(AP)", "(Reuters)", "—", "-", ":", ",", "“We", "won,”", "police",
           "1:21", "P.M.", "Rocket", "rocket", "Model", "X", "study", "by", "shows", "were", "In", "2012,", "Facing"]


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_TRICKY), min_size=1, max_size=14).map(" ".join), min_size=1, max_size=4))
def test_extracting_quotes_from_odd_text_never_raises(paragraphs):
    for q in extract_quotes(article(*paragraphs)):
        assert q.text and q.speaker


def test_a_party_word_before_a_role_and_a_name_is_not_a_person():
    qs = extract_quotes(article(
        "Socialist presidential candidate Mara Levin toured the mill on Friday.",
        "She said the tax code was “a mess from the top to the bottom.”",
    ))
    assert qs[0].speaker == "Mara Levin"


def test_commission_on_keeps_the_whole_name_for_the_description():
    qs = extract_quotes(article(
        "The Commission on Coastal Safety published its yearly report.",
        "The commission says on its website that “every public beach will have a lifeguard by June.”",
    ))
    assert qs[0].speaker == "Commission on Coastal Safety"


def test_role_words_inside_the_sentence_subject_keep_the_name():
    qs = extract_quotes(article(
        "Harris campaign manager Robin Moss told reporters the rival would try to win the debate by calling out "
        "the mayor for his “broken promises.”"))
    assert qs[0].speaker == "Robin Moss"


def test_a_quote_after_a_sentence_where_someone_agreed_is_theirs():
    qs = extract_quotes(article(
        "Professor Dana Wills agreed. “The rules were written for another century and nobody updated them.”"))
    assert qs[0].speaker == "Dana Wills"


def test_a_possessive_opening_the_sentence_is_still_who_she_refers_to():
    qs = extract_quotes(article(
        "The storm reached Dover, where Governor Ann Holt lives.",
        "Holt’s posts about the storm include one saying that Mayor Tom Vance had waited too long.",
        "“We will not wait for the next flood to act,” she posted.",
    ))
    assert only(qs, "next flood").speaker == "Ann Holt"


# --- rules added for PolNeAR's remaining errors (issue 13) -------------------------------------------------


def test_a_quote_inside_a_curly_quote_stays_inside_it():
    text = "“I would rather live in what he calls “hell” than live under him.” ― Ana Roe"
    assert [text[a:b + 1] for a, b in pair_marks(text)] == [text[:text.index("him.”") + 5]]
    qs = extract_quotes(article(text))
    assert len(qs) == 1 and qs[0].speaker == "Ana Roe"


def test_straight_marks_inside_a_curly_quote_are_an_inner_quote():
    text = '“She said "no" twice and then left the room,” Tom Hale said.'
    qs = extract_quotes(article(text))
    assert len(qs) == 1 and qs[0].text.startswith("She said") and qs[0].speaker == "Tom Hale"


def test_an_unclosed_curly_quote_still_ends_at_the_next_opening_mark():
    assert len(pair_marks("“one two “three four”")) == 2


def test_a_relative_pronoun_before_the_speech_verb_stands_for_the_name_before_it():
    qs = extract_quotes(article(
        "The reporters turned to the Harbour Police Department which reported “forty break-ins” last year."))
    assert qs[0].speaker == "Harbour Police Department"


def test_a_person_of_a_body_speaks_not_the_body():
    qs = extract_quotes(article(
        "“The harbour tax is still small,” wrote Carla Mendes for Port Weekly. “Few traders noticed it at all.”"))
    assert [q.speaker for q in qs] == ["Carla Mendes", "Carla Mendes"]
    assert "Port Weekly" in qs[0].role
    qs = extract_quotes(article('"It was the least bad outcome," Mr. Dunne of the Rivers Trust said.'))
    assert qs[0].speaker == "Dunne"


def test_a_title_with_of_before_a_name_is_not_a_person_of_a_body():
    qs = extract_quotes(article('"We will not pay the ransom," Secretary of State Jo Ramsey said.'))
    assert qs[0].speaker == "Jo Ramsey"


def test_a_dated_colon_lead_in_names_its_subject():
    qs = extract_quotes(article(
        "Senator Ruth Okafor spoke first. Okafor is a former teacher.",
        "On July 6, 2015, Okafor made the following comment:",
        "“For young people who left school early, the jobless rate is a third.”"))
    assert qs[0].speaker == "Ruth Okafor"


def test_he_never_goes_to_a_plural_word_opening_a_sentence():
    qs = extract_quotes(article("Gunshots rang out across the square on Friday night.", "“We ran for the doors,” he said."))
    assert qs[0].speaker == UNATTRIBUTED
    qs = extract_quotes(article("Tom Hale was at the market. Gunshots rang out.", "“We ran for the doors,” he said."))
    assert qs[0].speaker == "Tom Hale"


def test_a_bare_surname_is_the_family_member_who_last_spoke():
    qs = extract_quotes(article(
        "Susan Marsh said the school called her at noon. Susan Marsh is the girl's mother.",
        "“She is doing her best,” Susan Marsh said.",
        "Her daughter, Emily Marsh, said she had been frightened.",
        "“I could not find my coat,” Marsh said."))
    assert only(qs, "coat").speaker == "Emily Marsh"


def test_a_surname_merely_mentioned_in_a_longer_name_does_not_take_it_over():
    qs = extract_quotes(article(
        "Helen Varga spoke at the rally. Varga said the plan would fail.",
        "The crowd cheered a mention of Peter Varga's old bill.",
        "“It will not pass,” Varga said."))
    assert only(qs, "pass").speaker == "Helen Varga"


def test_a_short_quote_opening_its_sentence_is_a_statement_not_a_phrase():
    from digest.compose.quotes import is_complete_statement, sentence_for_phrase

    sentence = "“This is agonizing,” Roe said Wednesday."
    assert sentence_for_phrase("This is agonizing", sentence) is None  # it would show its own attribution
    assert is_complete_statement("This is agonizing", sentence)
    assert not is_complete_statement("This is agonizing")
    assert sentence_for_phrase("will not hesitate", "The state said it “will not hesitate” to act.") is not None


def test_a_speech_verb_after_a_determiner_is_a_noun():
    qs = extract_quotes(article(
        '"The port will stay shut," Ana Ruiz said, suggesting a few questions, including, "Who pays the dockers now?"'))
    assert [q.speaker for q in qs] == ["Ana Ruiz", "Ana Ruiz"]


def test_characterized_as_is_a_speech_cue():
    qs = extract_quotes(article("Tom Hale spoke on the radio.",
                                "However, he characterized the mayor as “a little desperate and always late to the fight.”"))
    assert qs[0].speaker == "Tom Hale"


def test_a_description_with_of_and_and_has_its_head_before_them():
    from digest.compose.actors import NameBook
    from digest.compose.quotes.reading import _ArticleState

    state = _ArticleState(NameBook(["Maria Ortiz spoke."]), None)
    state.read_sentence(0, 0, "Maria Ortiz spoke on the show.")
    for description in ("former secretary of state and current nominee", "former secretary of state"):
        actor = state.resolve_description(description, 1, (1, 0))
        assert actor is not None and actor.name == "Maria Ortiz"


def test_the_union_is_the_body_that_was_the_subject_last():
    qs = extract_quotes(article("The Harbour Pilots Association backed the plan on Monday.",
                                "“This is a fair deal for every pilot on the river,” the union said."))
    assert qs[0].speaker == "Harbour Pilots Association"


def test_an_outlet_written_with_the_is_it():
    qs = extract_quotes(article("The Riverside Times endorsed the mayor on Sunday.",
                                "Meanwhile, it attacked her rival, saying he “has neither the temper nor the judgment for it.”"))
    assert qs[0].speaker == "Riverside Times"


def test_a_name_after_a_possessor_is_the_person():
    qs = extract_quotes(article("Debates rarely move votes, noted KTV’s Dana Chin.",
                                "“Voters have made up their minds by the autumn,” he wrote."))
    assert qs[0].speaker == "Dana Chin"


def test_a_title_case_headline_gives_no_full_name(tmp_path):
    from digest.compose.quotes import quote_bank
    from digest.models import Article
    from digest.settings import Settings

    paragraphs = ["Okoro Sees Threat in Port Plan for the Coming Year.",
                  "Governor Okoro spoke on Monday at the port.",
                  '"The plan will not pass this year," Mr. Okoro said.']
    article_ = Article(id="a", outlet="x", path="p.txt", url=None, title=None, text="\n\n".join(paragraphs))
    entries = quote_bank([article_], Settings(quote_parser="rules"))
    assert [e.speaker for e in entries] == ["Okoro"]


def test_an_office_before_a_name_is_its_role_for_a_description():
    qs = extract_quotes(article("President Amara Osei opened the session on Monday. Tom Berg spoke next.",
                                'The president told the crowd she would consider it a "personal insult" if they stayed home.'))
    assert qs[0].speaker == "Amara Osei"


def test_released_and_chanting_are_speech_cues():
    qs = extract_quotes(article("Mayor Ines Dorado released a statement: “The bridge will reopen on Monday morning.”"))
    assert qs[0].speaker == "Ines Dorado"
    qs = extract_quotes(article('Dock workers marched to the gate, with Lena Park chanting "No more cuts, no more cuts".'))
    assert qs[0].speaker == "Lena Park"


def test_a_verb_form_after_a_party_adjective_is_a_noun():
    qs = extract_quotes(article("FactDesk rated 32% of Republican claims as “false or worse” last year."))
    assert qs[0].speaker == "FactDesk"  # who rated them, not "Republican"


def test_a_straight_mark_after_the_last_word_closes_a_curly_quote():
    text = '“Our roads are crumbling," she said. "Families endure blackouts.”'
    assert len(pair_marks(text)) == 2


def test_participles_of_speech_and_talked_are_cues():
    qs = extract_quotes(article("Fans pushed a protester out, with Omar Diallo reportedly yelling: “Get him out of here now!”"))
    assert qs[0].speaker == "Omar Diallo"
    qs = extract_quotes(article("In a video, Omar Diallo speculated that the men “could be part of a much larger ring.”"))
    assert qs[0].speaker == "Omar Diallo"


def test_a_word_opening_the_sentence_before_a_description_is_not_the_speaker():
    qs = extract_quotes(article("The Harbour Pilots Association met on Monday.",
                                "That, the association said, “would be helpful in avoiding uncertainty.”"))
    assert qs[0].speaker == "Harbour Pilots Association"


def test_a_person_described_by_age():
    qs = extract_quotes(article("Ruth Ames, a comedian, posted the clip on Thursday.",
                                "“What if the mayor had lessons in public speaking?” the 43-year-old asked."))
    assert qs[0].speaker == "Ruth Ames"


def test_a_lower_case_apposition_after_a_full_name_is_the_persons_role():
    qs = extract_quotes(article(
        '"The spending was dramatic," said Alma Reyes, senior counsel in the Harbour Institute’s Law Program.'))
    assert qs[0].speaker == "Alma Reyes"
    assert "senior counsel" in qs[0].role


def test_a_participle_phrase_after_the_name_is_not_the_speaker():
    qs = extract_quotes(article("Mayor Ada Brandt, speaking on the radio, called the plan a “blowhard's dream from start to end.”"))
    assert qs[0].speaker == "Ada Brandt"


def test_a_compound_modifier_is_never_a_speaker():
    from digest.compose.actors import parse_actor

    assert parse_actor("Tuareg-led") is None and parse_actor("Kabul-based") is None
    qs = extract_quotes(article(
        "The Tuareg-led rebellion in the north has grown since January.\n\n"
        "A member of the presidential guard described the fighting to the agency.\n\n"
        '"We are in control of the palace and we are returning fire," he said.'))
    assert qs and qs[0].speaker != "Tuareg-led"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_named_persons_relative_or_doctor_speaks_not_the_person(parser):
    qs = extract_quotes(article("“We will not sell the farm this year,” Tom Baker's daughter said."), parser=parser)
    assert qs[0].speaker == "Tom Baker's daughter"
    qs = extract_quotes(article("Regional candidate Ada Moss’s doctor is calling the candidate “remarkably fit.”"),
                        parser=parser)
    assert qs[0].speaker == "Ada Moss’s doctor"


def test_a_relatives_gender_and_the_person_they_belong_to_guide_later_pronouns():
    qs = extract_quotes(article(
        "Piet Vos arrived in the harbour town on Monday.",
        "“He will sail again as soon as the weather turns,” Piet Vos's doctor said.",
        "“I feel stronger than I did last spring,” he said."))
    assert only(qs, "stronger").speaker == "Piet Vos"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_name_after_an_opening_phrase_and_role_words_is_the_subject_a_pronoun_means(parser):
    qs = extract_quotes(article(
        "“The bridge must close before the winter,” Tom Baker said.",
        "At a rally on Friday, presidential candidate Ana Ruiz was more careful. "
        "“We will look at every option,” she said."), parser=parser)
    assert only(qs, "every option").speaker == "Ana Ruiz"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_pronoun_the_tool_resolved_does_not_fix_that_persons_gender(parser):
    # Whoever "she" was taken for in the first paragraph, the "he" of the last is Baker.
    qs = extract_quotes(article(
        "Tom Baker described Ana Ruiz as “a menace” after she called the budget “a fraud on the valley.”",
        "Baker, who runs the harbour, spoke on the radio on Friday.",
        "“She is a menace and those numbers are a menace to us all,” he said."), parser=parser)
    assert only(qs, "to us all").speaker == "Tom Baker"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_an_announcer_or_narrator_the_story_never_names_is_nobody(parser):
    qs = extract_quotes(article(
        "Mayor Tom Baker launched a radio advert on Monday.",
        "As a bell rang, the announcer said, “The harbour is closed, and your boats are still at sea.”"), parser=parser)
    assert only(qs, "harbour is closed").speaker == UNATTRIBUTED
    qs = extract_quotes(article(
        "“We will rebuild the pier,” Tom Baker said on Monday.",
        "“If he thinks a pier is enough,” the advert’s narrator says, “what does he think of the fishermen?”"),
        parser=parser)
    assert only(qs, "pier is enough").speaker == UNATTRIBUTED
    assert only(qs, "the fishermen").speaker == UNATTRIBUTED


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_relation_word_describes_the_woman_just_named(parser):
    qs = extract_quotes(article(
        "Ana Ruiz presented the childcare plan on Tuesday.",
        "The 41-year-old mother of two replied, \"It is meant to help every family.\""),
        parser=parser)
    assert only(qs, "every family").speaker == "Ana Ruiz"


def test_the_family_is_not_the_person_last_named():
    qs = extract_quotes(article("Ana Ruiz died at her home on Monday.", "“She was the light of this valley,” the family said."))
    assert qs[0].speaker == UNATTRIBUTED


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_capitalised_word_before_officials_is_no_person_a_pronoun_means(parser):
    qs = extract_quotes(article(
        "“The port will reopen on Monday,” Tom Baker said. Administration officials said they hoped for calm. "
        "He called the strike “a wound the town cannot afford.”"), parser=parser)
    assert only(qs, "cannot afford").speaker == "Tom Baker"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_subject_with_two_asides_before_its_verb_is_still_the_subject(parser):
    qs = extract_quotes(article(
        "Ben Ward, the port's manager, spoke first.",
        "Ana Ruiz, a local developer and spokeswoman for the Harbour Coalition, which is made up of boat owners, "
        "said the plan had been misread.",
        "“It is hard to show what the quay looked like before,” she said."), parser=parser)
    assert only(qs, "quay looked like").speaker == "Ana Ruiz"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_pronoun_before_a_name_says_nothing_of_that_names_gender(parser):
    qs = extract_quotes(article(
        "Ana Ruiz flew in on Monday.",
        "After her talks with Tom Baker, the ministry announced a new treaty.",
        "“This is the right thing to do for both our harbours,” Tom Baker said. "
        "He called the treaty “a good story in a bad year for the fleet.”"), parser=parser)
    assert only(qs, "bad year").speaker == "Tom Baker"


def test_a_description_with_an_adverb_before_its_verb_is_the_person_not_the_party_in_it():
    # "The GOP nominee later tweeted ...": the nominee (a person named before), not the party named inside
    qs = extract_quotes(article(
        "Ana Ruiz lashed out at the harbour board on Sunday after more stories about her campaign.",
        "The Harbour Party nominee later tweeted on Sunday saying the board was \"being protected by the press.\""))
    assert only(qs, "protected by the press").speaker == "Ana Ruiz"


def test_a_body_named_body_of_name_is_one_organisation():
    from digest.compose.actors import parse_actor

    assert parse_actor("the Association of Harbour Pilots").name == "Association of Harbour Pilots"
    assert parse_actor("the Association of Harbour Pilots").kind == "org"
    assert parse_actor("Department of Fisheries").kind == "org"
    # an office before "of" is still a person's role
    assert parse_actor("Secretary of State Jo Roe").name == "Jo Roe"


@pytest.mark.parametrize("phrase, name", [
    ("the Department of Ports and Coastal Works", "Department of Ports and Coastal Works"),
    ("the Lusitanian Centre for Reef and Harbour Studies", "Lusitanian Centre for Reef and Harbour Studies"),
    ("the Centers for Tide Control and Prevention", "Centers for Tide Control and Prevention"),
])
def test_a_body_named_body_of_x_and_y_is_one_organisation_not_a_person_called_y(phrase, name):
    from digest.compose.actors import parse_actor

    actor = parse_actor(phrase)
    assert (actor.name, actor.kind) == (name, "org")


def test_and_without_a_body_word_before_of_still_joins_two_parties():
    from digest.compose.actors import parse_actor

    assert parse_actor("the Council and Jane Doe").name == "Jane Doe"
    assert parse_actor("the Harbour Union and the Pilots Guild").name == "Pilots Guild"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_the_union_is_the_body_that_was_the_subject_after_an_opening_phrase(parser):
    qs = extract_quotes(article(
        "In a statement on Monday, the Association of Harbour Pilots backed the new pier.",
        "“Our members have waited ten years for a safe berth in this town,” the union wrote."), parser=parser)
    assert qs[0].speaker == "Association of Harbour Pilots"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_document_named_by_another_word_of_its_kind_speaks_for_its_issuer(parser):
    qs = extract_quotes(article(
        "A web video by the Harbour Pilots Guild lists four ferries that ran aground this year.",
        "The clip says the council “has abandoned the people who keep this port alive.”"), parser=parser)
    assert only(qs, "keep this port").speaker == "Harbour Pilots Guild"
    qs = extract_quotes(article(
        "Ana Ruiz wrote a memoir of her years at the harbour office.",
        "“Nobody knew how close the pier came to falling into the sea that winter,” the book said."), parser=parser)
    assert only(qs, "pier came").speaker == "Ana Ruiz"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_footage_of_a_named_person_asking_gives_that_person_not_the_advert(parser):
    qs = extract_quotes(article(
        "A new advert from the Harbour Party is seizing on remarks by its rival.",
        "The advert uses footage of Ana Ruiz asking, “Why are we not fifty points ahead of them?”"), parser=parser)
    assert only(qs, "fifty points").speaker == "Ana Ruiz"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_pronouns_contraction_is_the_pronoun(parser):
    qs = extract_quotes(article(
        "Tom Baker spoke to the harbour workers on Monday.",
        "He’s claiming that the new pier is “a big, big waste of money for this town.”"), parser=parser)
    assert only(qs, "big waste").speaker == "Tom Baker"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_council_on_a_weekday_is_the_council_what_it_called_means(parser):
    qs = extract_quotes(article(
        "The Harbour Council on Friday backed the ban and pledged to act against what it called "
        "“a threat to every family on the coast.”"), parser=parser)
    assert qs[0].speaker == "Harbour Council"


def test_said_name_role_for_a_body_without_the_comma():
    qs = extract_quotes(article("“I can confirm he no longer teaches here,” said Tal Verin spokesperson for Ellis Valley College."))
    assert qs[0].speaker == "Tal Verin"
    assert qs[0].role == "spokesperson for Ellis Valley College"


def test_former_opens_no_name_and_a_broadcaster_in_capitals_is_a_body():
    from digest.compose.actors import name_spans, parse_actor

    assert name_spans("Former Ostrava broadcaster Jan Novak was charged.")[0] == "Ostrava"
    assert parse_actor("KTV Ostrava").kind == "org"
    assert parse_actor("Jan Novak").kind == "person"


def test_a_name_with_its_particle_joined_on_is_a_name():
    from digest.compose.actors import parse_actor

    actor = parse_actor("Kestrian President Omar al-Haddad")
    assert (actor.name, actor.role, actor.kind) == ("Omar al-Haddad", "Kestrian President", "person")
    assert parse_actor("Foreign-currency") is None  # a compound adjective opening a sentence


def test_a_group_plural_is_never_he():
    qs = extract_quotes(article(
        "In Ostrava, Jan Novak, a teacher, said gains by Islamists had worried him. "
        "“We want more liberals in parliament,” he said."))
    assert only(qs, "liberals").speaker == "Jan Novak"

@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_officials_at_a_named_body_speak_for_it(parser):
    qs = extract_quotes(article(
        "Officials at the Harbour Pilots Guild, a branch of the Coastal Workers Union, said they feared that owners "
        "\"may try to use ever cleverer ways to dodge the rules\" next year."), parser=parser)
    assert qs[0].speaker == "Harbour Pilots Guild"


def test_a_name_the_rules_find_beats_an_unnamed_subject_the_parse_takes_from_a_clause_inside():
    qs = extract_quotes(article(
        "At a forum on Monday, Ana Ruiz, the head of the Harbour League, firmly told a young man who suggested that "
        "some people may not vote that \"this is not the first town to be angry and not voting is no strategy.\""),
        parser="spacy")
    assert qs[0].speaker == "Ana Ruiz"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_body_named_by_whose_it_is_is_the_it_that_speaks_next(parser):
    qs = extract_quotes(article(
        "Ana Ruiz’s campaign is defending her late-night posts about the harbour board. "
        "It’s denouncing what it calls “the biggest smear this town has ever seen.”"), parser=parser)
    assert qs[0].speaker == "Ana Ruiz’s campaign"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_a_named_person_whose_role_holds_a_possessive_is_that_person(parser):
    qs = extract_quotes(article(
        "“We beat the goal this quarter,” Jo Weller, Ed Poe’s campaign manager, said in a statement.",
        "Ana Ruiz, vice chair for Ed Poe’s harbour campaign, emailed supporters, telling them, "
        "“I am proud of this town and of every person in it.”"), parser=parser)
    assert only(qs, "beat the goal").speaker == "Jo Weller"
    assert only(qs, "proud of this town").speaker == "Ana Ruiz"


@pytest.mark.parametrize("parser", ["rules", "spacy"])
def test_the_front_runner_is_the_candidate_just_named(parser):
    qs = extract_quotes(article(
        "Ana Ruiz wants the harbour to become a free port.",
        "The front-runner wrote for the Coast Gazette that \"the harbour has paid its dues for a century.\""),
        parser=parser)
    assert qs[0].speaker == "Ana Ruiz"


@pytest.mark.parametrize("text, speaker", [
    # the object of the verb before it: a noun, whose capitalised word is no speaker
    ("Vandoria denounced the Ostrava talks as “a relic of the past.”", "Vandoria"),
    ("Vandoria denounced the Ostrava talks, and the harbour board that hosts them, as “a relic of the past.”", "Vandoria"),
    # reported speech: the verb after "said the X" is X's
    ("Officials said the Ostrava Council claims “the harbour is closed for good.”", "Ostrava Council"),
    ("Ana Ruiz said the Ostrava Council warned “the harbour is closed for good.”", "Ostrava Council"),
])
def test_a_speech_verb_form_after_a_named_object_is_a_noun(text, speaker):
    assert extract_quotes(article(text))[0].speaker == speaker


@pytest.mark.parametrize("phrase, name, role", [
    ("Neighbor Jo Weller", "Jo Weller", "Neighbor"),  # a trade or standing in front is no part of the name
    ("Archaeologist Ana Ruiz", "Ana Ruiz", "Archaeologist"),
    ("Nine-year-old Ana", "Ana", "Nine-year-old"),
    ("President-elect Ed Poe", "Ed Poe", "President-elect"),
    ("Ostrava Sen. Ana Ruiz", "Ana Ruiz", "Ostrava senator"),  # a title split off is written out in the role
    ("Harbour Police Sgt. Jo Weller", "Jo Weller", "Harbour Police sergeant"),
    ("Rep. Ed Poe (D-N.C.), head of the harbour caucus", "Ed Poe (D-N.C.)", "head of the harbour caucus"),
    ("Baker Ruiz", "Baker Ruiz", None),  # a first name that is also a trade's word stays a name
])
def test_a_title_or_trade_before_a_name_is_its_role(phrase, name, role):
    from digest.compose.actors import parse_actor

    actor = parse_actor(phrase)
    assert actor is not None and (actor.name, actor.role) == (name, role)


@pytest.mark.parametrize("text, speaker", [
    ("“We got a bit worried,” said Jo Weller of Ostrava, who had been visiting the harbour.", "Jo Weller"),
    ("Before the vote, Ana, from Bushey, Hertfordshire, said: “I have always wanted a harbour.”", "Ana"),
    ("“I like it,” said Ed Poe of Springfield, Illinois, who came early.", "Ed Poe"),
])
def test_where_a_speaker_is_from_is_not_the_speaker(text, speaker):
    assert extract_quotes(article(text))[0].speaker == speaker


def test_a_subordinator_opening_a_sentence_is_no_name():
    from digest.compose.actors import name_spans

    assert name_spans("Whenever Acme’s quarterly gains fall short, the company’s stock falls.") == ["Acme"]


@pytest.mark.parametrize("phrase", ["Maj.", "Lt", "Sen."])
def test_a_title_alone_names_nobody(phrase):
    from digest.compose.actors import parse_actor

    assert parse_actor(phrase) is None


_NAME_PIECES = st.sampled_from([
    "Former", "Then", "al-", "al-Haddad", "bin-", "Omar", "KTV", "Ostrava", "spokesperson", "for", "College",
    "Islamists", "Foreign-currency", "the", ",", "’s", "Mr", "-", "Acting", "of", "Department", "",
])


@hsettings(max_examples=300, deadline=None)
@given(st.lists(_NAME_PIECES, max_size=10).map(" ".join))
def test_a_speaker_phrase_of_odd_pieces_gives_a_named_actor_or_none(phrase):
    # The name rules added for joined particles, leading "Former", acronym bodies and "NAME ROLE for BODY" must
    # never raise nor give an actor without a name, whatever the phrase.
    from digest.compose.actors import name_spans, parse_actor

    actor = parse_actor(phrase)
    assert actor is None or actor.name.strip(" ,.")
    assert all(span for span in name_spans(phrase + " said."))


@pytest.mark.parametrize("phrase, kind", [
    ("Harbour Ministry spokesman Lu", "person"),  # an office in front of a name is a person's ...
    ("Sen. JO WELLER", "person"),  # ... however the name is printed
    ("Ostrava Agency director Ruiz", "person"),
    ("Prime Minister Ana Ruiz", "person"),
    ("the Ostrava news agency OPA", "org"),  # a body in front of a name: the name is a body's
    ("state media outlet KTV", "org"),
])
def test_an_office_before_a_name_makes_a_person(phrase, kind):
    from digest.compose.actors import parse_actor

    assert parse_actor(phrase).kind == kind


@pytest.mark.parametrize("texts", [
    ("Ed Poe opened the harbour fair.", "The woman, who lives near the Ostrava docks, said she was scared. "
                                        "“I have never seen anything like it,” she said."),
    ("Ed Poe opened the harbour fair.", "A spokesman for the harbour board said he could not comment. "
                                        "“We are looking into it right now,” he said."),
])
def test_an_unnamed_subject_takes_the_pronoun_after_it(texts):
    # "the woman", "a spokesman": someone the story does not name, not the man named before
    assert extract_quotes(article(*texts))[0].speaker == UNATTRIBUTED


def test_the_woman_after_a_named_woman_is_her():
    qs = extract_quotes(article("Ms. Ana Ruiz opened the harbour fair.",
                                "The woman said she was proud. “I have waited years for this day,” she said."))
    assert qs[0].speaker == "Ana Ruiz"


def test_a_pronoun_after_another_persons_noun_gives_the_named_one_no_gender():
    # "Ed Poe talked to a woman who said she ...": the "she" is the woman's, so Ed Poe stays a "he"
    qs = extract_quotes(article("Jo Weller opened the shelter on Monday.",
                                "Ed Poe talked to a woman who said she had lost her home.",
                                "“We will rebuild every house on this street,” he said."))
    assert qs[0].speaker == "Ed Poe"


def test_a_pronoun_skips_a_lone_capital_word_nothing_marks_as_a_person():
    qs = extract_quotes(article("Ed Poe spoke on Monday.",
                                "Officials in Ostrava met a spokesman later.",
                                "“We are looking into it right now,” he said."))
    assert qs[0].speaker == "Ed Poe"


@pytest.mark.parametrize("name", ["Lincoln County", "Hubei Province", "Fukushima Prefecture", "Cheltenham Township"])
def test_a_county_or_province_is_a_place(name):
    from digest.compose.actors import is_place

    assert is_place(name)
    assert not is_place("County")


def test_a_county_is_not_the_he_of_a_quote():
    qs = extract_quotes(article("Ed Poe drove home on Monday.",
                                "Flood water covered Ostrava County by Tuesday.",
                                "“The roads will stay closed until Friday at the earliest,” he said."))
    assert qs[0].speaker == "Ed Poe"


@pytest.mark.parametrize("text, speaker", [
    ("“The river will crest on Friday,” said the Hydrology, Climatology and Geophysics Agency.",
     "Hydrology, Climatology and Geophysics Agency"),
    ("A report from Ostrava’s Ministry of Energy, Mines and Water said “the dam will hold for another week.”",
     "Ministry of Energy, Mines and Water"),
    ("“We have waited for years,” said Jo Weller, CEO of the Centre for Arts and Science.", "Jo Weller"),
    ("Ed Poe, Jo Weller and Ana Ruiz said “we are all going to the harbour fair next week.”", "Ana Ruiz"),
])
def test_a_body_named_by_a_comma_list_is_one_actor(text, speaker):
    assert extract_quotes(article(text))[0].speaker == speaker


def test_said_the_and_a_name_names_the_speaker():
    assert extract_quotes(article("“It was a long night for all of us,” said the Ostrava Agency."))[0].speaker \
        == "Ostrava Agency"


@pytest.mark.parametrize("phrase, name", [
    ("the OPA’s Ana Ruiz", "Ana Ruiz"),  # the body that employs a person is their role, not part of the name
    ("KTV's Jo Weller", "Jo Weller"),
    ("Ostrava's White House", "White House"),
])
def test_an_employers_possessive_before_a_name_is_no_part_of_it(phrase, name):
    from digest.compose.actors import parse_actor

    assert parse_actor(phrase).name == name


@pytest.mark.parametrize("phrase, term", [
    ("safe zones", True),  # a few quoted words with no verb: a term held at a distance
    ("harbour tax", True),
    ("won't hesitate", False),  # a verb or a speaking person makes them speech
    ("deeply troubled", False),
    ("strongly condemns", False),
    ("we will win", False),
])
def test_a_short_quoted_term_without_a_verb_is_no_quotation(phrase, term):
    from digest.compose.quotes import is_quoted_term, sentence_for_phrase

    assert is_quoted_term(phrase) is term
    context = f"The mayor called the plan “{phrase}” on Monday."
    assert (sentence_for_phrase(phrase, context) is None) is term


def test_a_closing_mark_printed_for_the_opening_one_opens_the_quote():
    text = "”Fear. I am truly afraid the harbour will close for good.” ― Jo Weller"
    assert pair_marks(text) == [(0, text.index("” ―"))]
    assert extract_quotes(article(text))[0].speaker == "Jo Weller"
    # a closing mark after a word still closes nothing that is not open
    assert pair_marks("He left” and came back.") == []


@pytest.mark.parametrize("phrase", ["Ostrava Analysts Network", "the Harbour Rights Watch", "Kestrian Farmers Federation"])
def test_a_body_ending_in_its_kind_is_one_organisation(phrase):
    # "Analysts", "Farmers": role nouns inside a body's name do not cut the name
    from digest.compose.actors import parse_actor

    actor = parse_actor(phrase)
    assert (actor.name, actor.kind) == (phrase.removeprefix("the "), "org")


def test_a_body_after_an_unnamed_spokesman_leaves_the_spokesman_the_subject():
    qs = extract_quotes(article("Ed Poe, head of the harbour board, spoke first.",
                                "A spokesman for the Ostrava Rowing Federation said the race would go ahead. "
                                "“We are confident the river will be safe,” he said."))
    assert qs[0].speaker != "Ed Poe"


@pytest.mark.parametrize("text, speaker", [
    ("In July, Ed Poe cynically dismissed the harbour plan as “a relic of the last century.”", "Ed Poe"),
    ("In a speech, Ana Ruiz attacked “the greed of the harbour board and its friends.”", "Ana Ruiz"),
    ("“Keep your hands where I can see them,” Jo Weller sings to the crowd.", "Jo Weller"),
    ("Ed Poe lambasted the board for “a total failure to protect the harbour.”", "Ed Poe"),
])
def test_speech_verbs_and_adverbs_beyond_the_plain_ones(text, speaker):
    assert extract_quotes(article(text))[0].speaker == speaker


@pytest.mark.parametrize("phrase", ["camping supplies", "advanced age"])
def test_an_ed_or_ing_word_before_a_noun_is_no_verb(phrase):
    from digest.compose.quotes import is_quoted_term

    assert is_quoted_term(phrase)
    assert not is_quoted_term("killed them all")


@pytest.mark.parametrize("texts, speaker", [
    (("In a radio interview Ed Poe declared “the harbour will never close while I am mayor.”",), "Ed Poe"),
    (("Ana Ruiz spoke first.",
      "A few days ago in an interview with KTV she blasted the board for being “unbelievably slow.”"), "Ana Ruiz"),
])
def test_an_opening_phrase_without_a_comma_is_not_the_subject(texts, speaker):
    assert extract_quotes(article(*texts))[-1].speaker == speaker


@pytest.mark.parametrize("sentence, role", [
    ("Ana Ruiz, a former world No. 1 who has not played since July, announced her return.", "former world No. 1"),
    ("Ed Poe, a U.S. senator, spoke first.", "U.S. senator"),
    ("Jo Weller, the harbour master. He spoke first.", "harbour master"),
])
def test_an_apposition_keeps_its_abbreviations_and_ends_at_its_clause(sentence, role):
    qs = extract_quotes(article(sentence, "“I am back, and I am ready to win again,” she said."
                                if "Ruiz" in sentence else "“We will keep the harbour open all year,” he said."))
    assert qs[0].role == role


@pytest.mark.parametrize("texts, speaker", [
    (("Ed Poe spoke first.", "On Wednesday, he told a crowd in Ostrava that he was “troubled” by the closure."), "Ed Poe"),
    (("Harbour nominee Ana Ruiz, at a later press gaggle, said, “I have been briefed about the flooding.”",), "Ana Ruiz"),
])
def test_an_opening_phrase_or_an_aside_before_a_comma_is_not_the_speaker(texts, speaker):
    assert extract_quotes(article(*texts))[-1].speaker == speaker


def test_a_name_after_a_body_word_is_a_body_an_it_refers_to():
    qs = extract_quotes(article("Rebel troops appeared on Ostrava state TV.",
                                "The regional body Kesco has condemned the mutiny.",
                                "In a statement, it said it had followed the events with “dismay and mounting concern.”"))
    assert qs[0].speaker == "Kesco"


def test_capitals_before_a_head_noun_describe_it():
    # "the Ostrava businessman said ..., arguing": the businessman (Ed Poe), not the town
    qs = extract_quotes(article("Ed Poe spoke after the mayor.",
                                "“We need change,” the Ostrava businessman said, arguing that he will bring a "
                                "“common-sense” approach."))
    assert [q.speaker for q in qs] == ["Ed Poe", "Ed Poe"]


def test_the_writer_introducing_a_quote_with_a_colon_names_nobody():
    qs = extract_quotes(article("Ana Ruiz drove me to the harbour.",
                                "She became so upset, and drove so fast, that I had to change my answer: "
                                "“Of course I believe in the harbour plan.”"))
    assert qs[0].speaker == UNATTRIBUTED


def test_a_relation_before_a_name_between_commas_is_its_role():
    # "telling her father, Ed Weller, ...": he is the father the description means
    qs = extract_quotes(article("It was Ana Weller, 16, calling from a hospital, telling her father, Ed Weller, the news.",
                                "“I just can’t believe she went through all that,” the 49-year-old father said."))
    assert qs[0].speaker == "Ed Weller"


def test_the_body_an_office_is_of_is_no_he_and_a_bracketed_credit_is_no_part_of_the_sentence():
    qs = extract_quotes(article("Barry Weller ran the firm for forty years.",
                                "(KTV) Ed Poe, CEO of Harbourmedia, also considered himself a friend.",
                                "“If you looked up the word workaholic, you would see Barry,” he told reporters."))
    assert qs[0].speaker == "Ed Poe"


def test_a_name_whose_relative_clause_speaks_is_the_he_after_it():
    qs = extract_quotes(article("Barry Weller founded the firm.",
                                "He had many friends, including Ostrava Mayor Jo Tory, who commented on his work on Saturday.",
                                "“Barry Weller was a reserved man, but a man who created many jobs,” he said."))
    assert qs[0].speaker == "Jo Tory"


@pytest.mark.parametrize("verb", ["averred", "groused", "railed", "recounted", "confirmed"])
def test_rarer_speech_verbs_name_the_speaker(verb):
    text = f"“The harbour will stay open all winter, whatever the board says,” Ed Poe {verb} on Monday."
    assert extract_quotes(article(text))[0].speaker == "Ed Poe"


@pytest.mark.parametrize("text, speaker", [
    ("“The harbour is miscalculating,” the north’s Ostrava Vestnik newspaper said in a commentary.", "Ostrava Vestnik"),
    ("“The talks have failed,” the state-run Kesta news agency said.", "Kesta"),
    ("“The talks have failed,” the Kremlin-backed Ostrava Vestnik newspaper said.", "Ostrava Vestnik"),
])
def test_an_outlet_named_with_its_kind_speaks(text, speaker):
    assert extract_quotes(article(text))[0].speaker == speaker


def test_the_paper_is_not_an_outlet_named_the():
    qs = extract_quotes(article("The Ostrava Herald ran the story first.",
                                "“The crew believed every word,” the paper said."))
    assert qs[0].speaker != "The"


@pytest.mark.parametrize("text, quoted", [
    # a stray opening mark that no word follows closes the quote ('brief “nap” :) “.')
    ("Snap tells me “The kiosks will return after a brief “nap” :) “. Buyers wait two weeks.",
     "The kiosks will return after a brief “nap” :)"),
    ("The mayor said “We will rebuild the harbour.“ Work starts in May.", "We will rebuild the harbour."),
])
def test_an_opening_mark_no_word_follows_closes_the_quote(text, quoted):
    spans = pair_marks(text)
    assert [text[a + 1:b].strip() for a, b in spans] == [quoted]


def test_a_lower_case_role_before_the_name_and_an_apposition_after_keep_the_person():
    qs = extract_quotes(article(
        "“It is going up everywhere,” says study co-author Jo Roe, director of the Institute for Health at the "
        "University of Ostrava."))
    assert qs[0].speaker == "Jo Roe"
    assert "director of the Institute" in qs[0].role


@pytest.mark.parametrize("cue", [
    "said Jo Roe, a lawyer at Ostrava Legal.",
    "said former mayor Jo Roe, a lawyer at Ostrava Legal.",
    "said the former mayor Jo Roe, now a lawyer at Ostrava Legal.",
])
def test_where_the_named_speaker_works_is_no_speaker(cue):
    qs = extract_quotes(article(f"“We will rebuild the harbour wall before the winter storms,” {cue}"))
    assert qs[0].speaker == "Jo Roe"


def test_a_subject_with_an_irregular_past_is_the_he_that_follows():
    qs = extract_quotes(article(
        "“I never saw the report,” Ann Lee, the auditor, told the council.",
        "On a wet Tuesday, Ellis Harbour CEO Jo Roe stood on the quay for an hour and spoke to the press.",
        "“We had a flood,” he said."))
    assert qs[-1].speaker == "Jo Roe"


def test_a_question_put_to_the_speaker_is_not_the_speakers():
    qs = extract_quotes(article(
        "In response to the question, “Do you know who broke the dam at Ellis?” the mayor answered, “We are still "
        "investigating what happened on Monday night.”"))
    assert qs[0].speaker != "mayor" and qs[0].speaker == "unattributed"
    assert qs[1].text.startswith("We are still")


def test_a_headings_document_in_capitals_is_its_owners():
    qs = extract_quotes(article("Mayor Jo Roe spoke to the council on Monday, and Roe wrote to the board.",
                                "Mayor Roe's E-mail to her daughter at 11:23 p.m.:",
                                "“Two of our officers were killed in the harbour by a group of armed men.”"))
    assert qs[0].speaker == "Jo Roe"


def test_an_office_held_then_or_written_in_lower_case_is_no_part_of_the_name():
    from digest.compose.actors import name_spans, parse_actor

    assert parse_actor("Then-Secretary of State Jo Roe").name == "Jo Roe"
    assert "Jo Roe" in name_spans("The letter went to secretary of State Jo Roe on Monday.")
    assert "State Department" in name_spans("The State Department said on Monday.")


def test_a_places_one_word_name_is_a_person_of_that_place():
    from digest.compose.actors import parse_actor

    assert parse_actor("North Carolina’s Roe") == parse_actor("North Carolina’s Roe")  # (memoised, frozen)
    roe = parse_actor("North Carolina’s Roe")
    assert (roe.name, roe.role, roe.kind) == ("Roe", "North Carolina", "person")
    assert parse_actor("Roe's Twitter").name == "Roe's Twitter"  # a person's thing stays whole


def test_a_name_is_not_read_across_a_quotation():
    qs = extract_quotes(article("The visit did not include any official Ellisian “minders,” Roe said, adding that "
                                "the harbour police let him through."))
    assert qs[0].speaker == "Roe"


def test_a_spokesman_for_a_named_body_after_the_quote_speaks_for_it():
    qs = extract_quotes(article("“We rely on the harbour police of the town for all of our security,” said a spokesman "
                                "for the Ellis Rowing Club."))
    assert qs[0].speaker == "Ellis Rowing Club"


def test_an_opening_phrase_before_the_comma_is_no_speaker_after_a_quote():
    qs = extract_quotes(article("In those years, the show asked “How far can we go?” With Jo, we went further still."))
    assert qs[0].speaker != "With Jo"


def test_a_surname_takes_a_recent_full_name_not_a_relative_named_long_before():
    filler = [f"The town's {w} grew through the decade, and so did its schools and roads." for w in
              ("port", "market", "library", "hospital", "railway", "harbour", "council", "college")]
    early = ["Ada Quist was born in 1950 in a river town.", "Her father, Carl Quist, ran a ferry there."]
    quote = ['Later Ms. Quist told the convention, "We will build the bridge."']
    far = extract_quotes(article(*early, *filler, *quote))
    assert far and far[0].speaker != "Carl Quist"
    near = extract_quotes(article("Carl Quist ran the ferry for forty years.", *quote))
    assert near and near[0].speaker == "Carl Quist"


def test_a_one_name_expands_only_to_a_full_name_much_the_most_mentioned():
    from digest.compose.actors import NameBook
    assert NameBook(["Ada Quist spoke.", "Ada Quist left.", "Ben Quist watched."]).canonical("Quist") == "Ada Quist"
    assert NameBook(["Ada Quist spoke.", "Ben Quist watched."]).canonical("Quist") == "Quist"
