"""The candidates for a story's sections: one per sentence group and one per quotation, each with its section.

Sections. Each sentence group goes to exactly one section:
a group holding a direct quotation someone is named for belongs to that quotation (``quotes``);
a quotation nobody is named for, or quoted words that are a name, leave their sentence to the other sections;
an announced future event goes to ``whats_next`` (a threat by a third party is
a reaction); a statement or action whose actor is not one of the story's
principal actors (people and countries named in most ledes) is a ``reaction``;
anything else is a ``key_fact``. The top lede becomes the summary.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from typing import Sequence

from rapidfuzz import fuzz

from digest.compose import actors, events, quotes
from digest.compose.quotes import phrases as quote_phrases
from digest.compose.context import Candidate, StoryContext
from digest.compose.headline import without_dateline
from digest.models import Attribution, Fact, NextEvent, Quote, Reaction, Selection
from digest.select import choose_version, key_terms, misspellings, opens_with_reference
from digest.text import normalise, split_sentences, tokens

MIN_ITEM_WORDS = 6
# A sentence ends with its full stop, question or exclamation mark (or an ellipsis), maybe inside closing quotes or
# brackets. Text that ends otherwise is a headline, a link list, an embedded post or text cut off mid-word.
_SENTENCE_END = re.compile(r"[.!?…。！？؟।][\"”’'»)\]」』]*\s*$")
MIN_QUOTE_WORDS = 4  # a briefing quotes statements, not a word or two
# Importance kept by a quote whose speaker no outlet names outright. Any value under 1 puts it after the quotes
# named outright; on bench/reader.py's tune half 0.9-0.99 are alike (speaker accuracy 0.90, coverage 82%),
# while less also drops the facts such quotes carry (0.85: coverage 79%; 0.8: 74%).
INFERRED_SPEAKER_FACTOR = 0.9
FLAW_FACTOR = 0.5  # importance kept by a sentence with a typo, or a key fact opening with a back-reference
_ACTION_VERBS = (
    r"said|says|warned|warns|urged|urges|accused|accuses|expressed|condemned|condemns|criticised|criticized|"
    r"called|welcomed|threatened|vowed|claimed|claims|denied|imposed|announced|demanded|rejected|praised|voiced|"
    r"insisted|added|told|stated|raised|pledged|promised|described|dismissed"
)
_SUBJECT = re.compile(
    rf"^(?P<np>[^\"“”]{{1,140}}?)\s+(?:(?:has|have|had|also|already|again|repeatedly|on \w+|in response|earlier)\s+)*"
    rf"(?P<verb>{_ACTION_VERBS})\b"
)
_TRAILING_ATTRIBUTION = re.compile(
    r",\s*(?P<np>[^,\"“”]{2,80}(?:,[^,\"“”]{2,80},)?)\s+(?:said|says|told [\w ]{2,20}|added|warned|reported)"
    r"(?:\s+[\w’'-]+){0,5}\.?$"
)
_WITH_SAYING = re.compile(r"\bwith (?P<np>[^,\"“”]{2,60}?) saying\b")


def ends_as_sentence(text: str) -> bool:
    """True when ``text`` ends the way a written sentence does, so it can stand as an item of a briefing."""
    return bool(_SENTENCE_END.search(text))


# Words a name or a title keeps in lower case ("Committee for the Restoration of the State", "Lord of the Rings").
_NAME_JOINERS = frozenset("a an and at by de del der du for in la le of on the to van von y".split())
_WORD = re.compile(r"[^\W_][\w’'.-]*")


# A list item's marker: a bullet glyph (glued to the text or not), or a dash or star and a space.
_BULLET = re.compile(r"^\s*(?:[•·‣▪●◦■►▸]\s*|[-–—*]\s+)(?=\S)")


def without_bullet(text: str) -> str:
    """``text`` without the list marker that opens it ("•The number rose." -> "The number rose."): the outlet's
    layout, not its words."""
    return _BULLET.sub("", text, count=1)


# The page's own media or links, which the briefing does not carry: "(see video below)", "In the video above,
# you can hear ...", "The whole list can be read here".
_PAGE_POINTER = re.compile(r"\s*\((?:see|watch|read|view|listen to)\s+(?:the\s+|it\s+)?(?:video|photos?|pictures?|"
                           r"gallery|clip|map|chart|graphic|it|more|story|list)?\s*(?:below|above|here)\)", re.I)
_PAGE_REFERENCE = re.compile(
    r"\b(?:in|from|see|watch)\s+the\s+(?:video|photos?|pictures?|images?|clip|gallery|map|chart|graphic|tweet|"
    r"post)s?\s+(?:above|below)\b|\b(?:can|may)\s+be\s+(?:read|seen|found|viewed|watched|heard)\s+(?:in full\s+)?here\b"
    r"|\b(?:read|see|watch)\s+it\s+here\b", re.I)


def without_page_pointer(text: str) -> str:
    """``text`` without a pointer to the page's media in brackets ("... reality (see video below)." -> "... reality.")."""
    return _PAGE_POINTER.sub("", text) if "(" in text else text


def refers_to_the_page(text: str) -> bool:
    """The sentence points at the page's video, pictures or links ("In the video above, you can hear ..."): the
    briefing does not carry them."""
    return bool(_PAGE_REFERENCE.search(text))


# Someone the writer tried and failed to reach: what the reporter did, not what happened.
_UNANSWERED = re.compile(
    r"\b(?:could not|couldn['’]t|cannot|can['’]t) (?:immediately )?be reached\b|\brang unanswered\b"
    r"|\bdid not (?:immediately )?(?:respond|return|reply)\b[^.]{0,40}?\b(?:request|message|call|e-?mail|inquir)"
    r"|\b(?:was|were) not (?:immediately )?available for comment\b")
UNANSWERED_MAX_WORDS = 25


def is_unanswered_request(text: str) -> bool:
    """A short sentence that says only that someone could not be reached or did not answer ("A telephone listing
    for Jo Roe rang unanswered Wednesday.", "The court did not immediately respond to a request for comment.")."""
    return len(text.split()) <= UNANSWERED_MAX_WORDS and bool(_UNANSWERED.search(text))


def opens_lower_case(text: str) -> bool:
    """The sentence opens with a lower-case word (past any quote mark or bracket): a piece of a longer sentence
    ("eight children", "and the next day ..."). A word with a capital inside ("iPhone", "eBay") is a name."""
    word = re.match(r"[\"“‘'(\[]*([^\W\d_][\w’'-]*)", text.strip())
    return bool(word) and word.group(1)[0].islower() and word.group(1)[1:] == word.group(1)[1:].lower()


def is_name(quoted: str) -> bool:
    """Quoted words that name something (an organisation, a title, a slogan in title case), not a statement.

    Every word is capitalised or a joining word ("of", "the", "for"), there are at least two capitalised
    words, and the words do not end as a sentence; words all in capitals are shouted speech, not a name.
    """
    text = quoted.strip()
    words = _WORD.findall(text)
    named = [w for w in words if w.lower() not in _NAME_JOINERS or w[:1].isupper()]
    if len(named) < 2 or len(named) < len(words) / 2 or ends_as_sentence(text):
        return False
    if not all(w[:1].isupper() or w[:1].isdigit() for w in named):
        return False
    return not all(w.isupper() for w in named if len(w) > 1)


def is_quotation_piece(text: str) -> bool:
    """The sentence's quotation marks do not pair: it is one sentence of a longer quotation ("So I'm proud of
    him,” she said." or "“We will stay."), somebody's words cut from their opening or close, not a fact."""
    # All double marks together: outlets mix curly and straight ones (“face sanctions") in one quotation.
    return (text.count("“") + text.count("”") + text.count('"')) % 2 == 1


# An embedded social post: it opens with a hashtag or handle, names a handle in brackets, or carries two tags.
_POST_OPENING = re.compile(r"^\W*[#@]\w")
_HANDLE_IN_BRACKETS = re.compile(r"\(@\w+\)")
_TAG = re.compile(r"(?<![\w&])[#@][A-Za-z]\w*")


def is_embedded_post(text: str) -> bool:
    """The sentence is a social post copied into the page (``#breaking ...``, ``NAME (@handle) ...``, two or
    more tags or handles): the outlet shows it, it does not report it."""
    return bool(_POST_OPENING.match(text) or _HANDLE_IN_BRACKETS.search(text) or len(_TAG.findall(text)) >= 2)


# A phrase of place or time after the verb runs to the next preposition, and never holds a clause's word: each
# phrase can be matched one way only, so the pattern takes time linear in the sentence.
_PLACE_OR_TIME_PREPOSITIONS = "on|to|at|in|during|with|after|before|from|over|via|amid|through"
_CLAUSE_WORDS = "that|it|he|she|they|there|this|was|is|were|are|had|has|have|will|would|could|should|can|may|might|must|did|does"
# Who spoke and nothing of what was said: the tail of a quotation split off as its own sentence ("Trump said to
# laughter and applause.", "Jo Roe wrote on her fundraising page.", "Roe told reporters on Tuesday.").
_BARE_ATTRIBUTION = re.compile(
    r"^(?:[A-Z][\w.'’-]*\s+){1,4}(?:also\s+|later\s+)?"
    r"(?:said|says|added|adds|continued|wrote|writes|tweeted|explained|noted|told\s+[\w'’]+(?:\s+[\w'’]+)?)"
    r"(?:\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|earlier|later)\b)?"
    rf"(?:\s+(?:{_PLACE_OR_TIME_PREPOSITIONS})\s+(?:(?!\b(?:{_PLACE_OR_TIME_PREPOSITIONS}|{_CLAUSE_WORDS})\b)[^,.;:\"“”]){{1,60}})*"
    r"\s*[.!]$"
)
# Such a sentence is short; a longer one is never checked (it says more, and the pattern's cost grows with it).
BARE_ATTRIBUTION_MAX_WORDS = 25


def is_bare_attribution(text: str) -> bool:
    """The sentence says only who spoke, where or when ("Trump said to laughter and applause."): no fact."""
    return len(tokens(text)) <= BARE_ATTRIBUTION_MAX_WORDS and bool(_BARE_ATTRIBUTION.match(text.strip()))


def asks_a_question(text: str) -> bool:
    """The sentence is the writer's own question ("What does he have to say now?"): it tells the reader nothing.
    A question inside quotation marks is somebody's words, and the quotes section's to judge."""
    return text.rstrip().endswith("?")


def sentence_candidate(ctx: StoryContext, sel: Selection, members: tuple[tuple[str, str], ...]) -> Candidate:
    # the dateline says where the outlet filed from, not what happened; a list marker is layout
    text = without_page_pointer(without_dateline(without_bullet(sel.chosen.text)))
    rank = ctx.best_rank(sel.cluster.members)
    score = ctx.score(text, sel.sources, rank)
    typos = misspellings(text, ctx.vocabulary)
    factor = FLAW_FACTOR if typos else 1.0  # a typo no other sentence of the story makes: a careless version
    published, date_source = ctx.date_for(sel.sources)
    event = events.find_event(text, published)
    actor = reaction_of(text, ctx)
    third_party = actor is not None and not actor[2]
    if event is not None and not (event.kind == "threat" and third_party):
        item = NextEvent(text, event.when, sel.sources, event.date)
        why = f"announces a {event.kind}"
        if event.when:
            why += f" ({event.when}" + (f" -> {event.date}, resolved against the {date_source})" if event.date else ")")
        if event.condition:
            why += f", on condition: {event.condition}"
        sort = (event.start or date.max, 0 if event.when else 1, -score, rank)
        shown = f"{event.when or ''} {text}".strip()
        score += 0.1 if event.when else 0.0  # a timed announcement is what this section is for
        return Candidate(sel.cluster.id, "whats_next", item, shown, sel.sources, score * factor, members, sel.reason,
                          why, sort, factor=factor)
    if third_party and actor is not None:
        label, party, _ = actor
        why = f"statement or action by {label}, not a principal actor of the story"
        shorter = shortest_reaction([m.text for m in sel.cluster.members], actor, ctx) or text
        if shorter != text:
            text = shorter
            why += "; the shortest version by the same actor"
        item = Reaction(label, text, sel.sources)
        return Candidate(sel.cluster.id, "reactions", item, f"{label} {text}", sel.sources, score * factor, members,
                          sel.reason, why, (party or label, rank), factor=factor)
    why = "a fact about the story" + (f" (actor {actor[0]} is a principal)" if actor else "")
    if opens_with_reference(text):
        factor *= FLAW_FACTOR
        why += "; opens by referring to a sentence the reader has not seen"
    if typos:
        why += "; spelling no other sentence of the story shares: " + ", ".join(sorted(typos))
    return Candidate(sel.cluster.id, "key_facts", Fact(text, sel.sources), text, sel.sources, score * factor,
                      members, sel.reason, why, (rank,), factor=factor)


def shortest_reaction(texts: Sequence[str], actor: tuple[str, str | None, bool], ctx: StoryContext) -> str | None:
    """The shortest of a group's versions with the same actor reacting (no typo, no back-reference), so that a
    long sentence framing the reaction gives way to the clause that carries it; None when no version fits."""
    fitting = []
    for t in texts:
        other = reaction_of(t, ctx)
        if other is None or other[2] or (other[1] or other[0]) != (actor[1] or actor[0]):
            continue
        if misspellings(t, ctx.vocabulary) or opens_with_reference(t) or len(tokens(t)) < MIN_ITEM_WORDS:
            continue
        fitting.append(t)
    return min(fitting, key=lambda t: (len(t.split()), texts.index(t))) if fitting else None


def quote_candidates(ctx: StoryContext) -> tuple[list[Candidate], dict[str, str]]:
    """One candidate per attributed quotation, merged across outlets; and the sentence groups each takes over.

    Speakers come from the attribution rules alone: spaCy's parse (``digest quotes``) changed no speaker the
    reader gold's briefings show and doubled the seeds' run time (bench/reader.py, README).
    """
    authors = {c.article.id: c.article.author for c in ctx.story.articles}
    # The lead-ins the cleaner set aside with the headings ('E-mail from White House adviser Jo Roe:') name who
    # speaks next, and a quote after one continues no earlier speaker.
    mentions = quotes.quotes_of(((c.article.id, quotes.quote_paragraphs(c)) for c in ctx.story.articles), ctx.book,
                                authors)
    # A few quoted words inside a sentence ("won't hesitate") are a briefing's quotation only when someone
    # is named as saying them; they are then shown in that sentence (see quotes.sentence_for_phrase).
    mentions = [m for m in mentions if (len(tokens(m.text)) >= MIN_QUOTE_WORDS
                                        or quotes.is_complete_statement(m.text, m.context)
                                        or quotes.sentence_for_phrase(m.text, m.context)) and not is_name(m.text)]
    groups: list[list[quotes.QuoteMention]] = []
    for mention in mentions:
        for group in groups:
            if _same_quote(mention, group[0], ctx.book):
                group.append(mention)
                break
        else:
            groups.append([mention])
    # Which sentence groups hold which quotation.
    consumed: dict[str, str] = {}
    candidates = []
    members_by_article: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for sel in ctx.selections:
        for member in sel.cluster.members:
            members_by_article[member.article_id].append((sel.cluster.id, normalise(member.text)))

    def prominence(name: str) -> int:  # how often the story names a speaker: the likelier referent of a pronoun
        return ctx.book.counts.get(ctx.book.canonical(name), 0)

    shown_sentences: set[str] = set()
    for n, group in enumerate(groups):
        key = f"quote-{n + 1}"
        version = choose_version([m.text for m in group])
        best = group[version.index]
        # The speaker from the outlet naming it most explicitly; outlets naming different people disagree.
        choice = quotes.choose_speaker(group, ctx.book.same, prominence)
        attributions: tuple[Attribution, ...] = ()
        if choice.mention is not None:
            speaking = [m for m in group if m.speaker != quotes.UNATTRIBUTED and ctx.book.same(m.speaker, choice.mention.speaker)]
            speaker = Counter(m.speaker for m in speaking).most_common(1)[0][0]
            roles = [m.role for m in speaking if m.role and len(m.role.split()) <= 10]
            role = max(roles, key=lambda r: (len(r.split()), r)) if roles else None
            rule = choice.mention.rule
            attributions = tuple(Attribution(name, ids) for name, ids in choice.speakers)
        else:
            speaker, role, rule = quotes.UNATTRIBUTED, None, "no attribution found"
        sources = tuple(dict.fromkeys(m.article_id for m in group))
        context = best.context
        rank = min(ctx.rank.get((m.article_id, m.position, s), 99)
                   for m in group for s in split_sentences(m.context)[:1]) if group else 99
        shown_text, in_sentence = best.text, False
        complete = any(quotes.is_complete_statement(m.text, m.context) for m in group)
        if speaker != quotes.UNATTRIBUTED and not complete:
            sentences = [s for m in group if (s := quotes.sentence_for_phrase(m.text, m.context))]
            if sentences:  # the phrase in the sentence an outlet printed it in (the shortest such sentence)
                shown_text, in_sentence = min(sentences, key=lambda s: (len(s.split()), sentences.index(s))), True
        if not in_sentence and len(tokens(best.text)) < MIN_QUOTE_WORDS and not complete:
            continue
        if in_sentence and shown_text in shown_sentences:
            continue  # both halves of '“A,” Roe said, “b.”' are shown as their one sentence, once
        if in_sentence:
            shown_sentences.add(shown_text)
        if speaker == quotes.UNATTRIBUTED:
            # A quotes section says who said what: words no outlet attributes to anyone stay in their
            # sentence, which the fill may still take as a fact.
            continue
        for m in group:
            if quotes.sentence_for_phrase(m.text, m.context):
                continue  # a phrase shown in its sentence leaves that sentence a fact or reaction too: the fill keeps one
            head = normalise(m.text)[:40]
            for sel_id, folded in members_by_article[m.article_id]:
                if head and head in folded:
                    consumed.setdefault(sel_id, key)
        principal, reactor = _speaker_standing(speaker, role, ctx)
        factor = quotes.quote_weight(
            best.text, principal, reactor, in_sentence, best.context)
        if quotes.explicitness(rule) < quotes.explicitness("according to X"):
            # No outlet names the speaker outright (only "he said" after a name, a description, a carried cue):
            # a misattributed quote is the worst error a briefing can make, so such a quote comes after the
            # quotes an outlet attributes outright, as the fill takes every flawed item (factor < 1) last.
            # A principal's keeps a weight over 1: the story is about them, and their words carry its facts
            # (made flawed too, they cost the reader gold's tune half 8 points of coverage for one speaker).
            factor *= INFERRED_SPEAKER_FACTOR
            why_inferred = "; speaker inferred, not named outright"
        else:
            why_inferred = ""
        score = ctx.score(shown_text, sources, rank) * factor
        item = Quote(shown_text, speaker, context, sources, role, in_sentence, attributions)
        shown = f"{best.text} {speaker}" + (f" {role}" if role else "")
        members = tuple((m.article_id, f"“{m.text}” — {m.speaker} [{m.rule}]") for m in group)
        why = f"direct quotation; speaker by rule {rule}{why_inferred}"
        if attributions:
            why += "; outlets name different speakers: " + " / ".join(a.speaker for a in attributions)
        candidates.append(Candidate(key, "quotes", item, shown, sources, score, members,
                                     version.reason, why, (rank,), factor=factor))
    return candidates, consumed


def _speaker_standing(speaker: str, role: str | None, ctx: StoryContext) -> tuple[bool, bool]:
    """(is a principal of the story, speaks for a country: a key reactor) for a quote's speaker."""
    if speaker == quotes.UNATTRIBUTED:
        return False, False
    country = actors.country_of(speaker) or _leading_country(role)
    principal = actors.fold_name(ctx.book.canonical(speaker)) in ctx.principal_people or (
        country is not None and country in ctx.principal_places)
    return principal, country is not None


def _same_quote(a: quotes.QuoteMention, b: quotes.QuoteMention, book: actors.NameBook) -> bool:
    """The same quotation in two articles: nearly the same words, or the same speaker and a close translation."""
    ta, tb = normalise(a.text), normalise(b.text)
    if a.article_id == b.article_id:
        return ta == tb  # one article quoting a few words of a longer quote again is another mention, not a version
    if min(len(ta), len(tb)) >= 15 and fuzz.token_set_ratio(ta, tb, score_cutoff=85) >= 85:
        # Shared words with two speakers each named outright are two remarks on one subject ("cross-selling is
        # shorthand for deepening relationships" / "... is a way of deepening relationships"), unless the words
        # are the same: then it is one quote, and the outlets disagree on who said it.
        return fuzz.ratio(ta, tb) >= SAME_WORDS or not _named_apart(a, b, book)
    return False if a.speaker == quotes.UNATTRIBUTED or b.speaker == quotes.UNATTRIBUTED else _translation(a, b, book)


SAME_WORDS = 90  # rapidfuzz ratio of two versions of one quotation's words


def _named_apart(a: quotes.QuoteMention, b: quotes.QuoteMention, book: actors.NameBook) -> bool:
    """Two mentions whose speakers are different people, each named by a cue of its own (not a pronoun)."""
    floor = quotes.explicitness("according to X")
    return (a.speaker != quotes.UNATTRIBUTED and b.speaker != quotes.UNATTRIBUTED and not book.same(a.speaker, b.speaker)
            and quotes.explicitness(a.rule) >= floor and quotes.explicitness(b.rule) >= floor)


def _translation(a: quotes.QuoteMention, b: quotes.QuoteMention, book: actors.NameBook) -> bool:
    """The same speaker and a close translation of one remark."""
    if not book.same(a.speaker, b.speaker):
        return False
    # Translations of one remark share roots more than words ("victory"/"victorious").
    ka, kb = {t[:6] for t in key_terms(a.text)}, {t[:6] for t in key_terms(b.text)}
    small = min(len(ka), len(kb))
    return small >= 4 and len(ka & kb) / small >= 0.5


_BE_BEFORE_VERB = re.compile(r"\b(?:is|are|was|were|be|been|being)\s*$", re.I)
_DATELINE = re.compile(r"^.*?\((?:[A-Z][\w.&’' -]{0,30})\)\s*[-–—:]*\s*")
# The words in front of a name that make it an affiliation or a place, not the actor: "of Mercy Hospital in
# Kansas City, Mo." names where the speaker works, not who speaks.
_PLACE_BEFORE = re.compile(r"\b(?:in|of|from|at|near|outside|based in)\s+(?:the\s+)?(?:[A-Z][\w.’'-]*\s*)*,?\s*$")
_PARTY_LABEL = re.compile(r"^[A-Z]-[A-Z][\w.]*$")  # "R-Pa.", "D-N.Y.": a lawmaker's party and state
_PLAIN_SAYING = frozenset("said says told added stated announced claimed claims".split())
_FIGURE = re.compile(r"\d")
# Verbs that respond to what happened rather than tell it.
_STANCE_VERBS = frozenset(
    "warned warns urged urges accused accuses expressed condemned condemns criticised criticized welcomed threatened "
    "vowed denied demanded rejected praised voiced insisted pledged promised dismissed imposed".split())
_CALLED_ON = re.compile(r"\bcalled\s+(?:on|for|upon)\b")
# What a response says, whatever its verb: an obligation, a judgement, a feeling, a refusal to comment.
_STANCE_WORDS = re.compile(
    r"\b(?:should|must|ought to|needs? to|can[’']?t believe|cannot believe|(?:would|will|could) not comment|declined? to comment|"
    r"no comment|in a statement|condemn\w*|deplor\w*|outrag\w*|appall\w*|shock\w*|sadden\w*|heartbr\w*|devastat\w*|"
    r"horrif\w*|dismay\w*|disappoint\w*|mortified|taken aback|surpris\w*|pleased|delighted|proud|grateful|thank\w*|"
    r"sorry|regret\w*|unacceptable|(?:not )?welcome[sd]?|raised (?:concerns?|questions|objections|doubts|alarm)|"
    # a warning: a consequence that follows on a condition ("would face sanctions if they broke ...")
    r"would\s+(?:[\w’'\"“”-]+\s+){1,8}if)\b",
    re.I)
_FIRST_PERSON = re.compile(r"^(?:I|We|I'm|I’m|We're|We’re)\b")
# A plural agent noun ("Organizers", "Researchers", "Officials") is a description, not a named party.
_AGENT_PLURAL = re.compile(r"^[A-Z][a-z]+(?:ers|ors|ists|ials|ants|ents)$")
# The officers investigating a case tell its facts; what they say is the story, not a reaction to it.
_INVESTIGATORS = re.compile(r"\b(?:police|sheriff|detectives?|det\.?|investigat\w*|prosecutors?|coroner|"
                            r"medical examiner|constable|trooper|fbi|bureau of investigation)\b", re.I)


def reaction_of(sentence: str, ctx: StoryContext) -> tuple[str, str | None, bool] | None:
    """The actor of ``sentence`` when it is a reaction: a response by a party other than the story's principals.

    Not a reaction: no speaker or actor; an actor that is a principal (named in a title or an article's
    first sentences, or among the story's most-named people); a news organisation reporting; and a plain
    "said" that reports figures (information from a source, a key fact)."""
    if _WHEN_CLAUSE.match(sentence) or _PAST_OPENING.match(sentence):
        return None  # "When Jo Roe died, her office described ...": what happened then, told as background
    found = _speaker_phrase(sentence)
    if found is None:
        return None
    np, verb = found
    actor = _actor_label(np, ctx)
    if actor is None or actor[2]:
        return actor
    if verb == "reported":
        return None
    clause = _said_clause(sentence, np)
    if verb in _PLAIN_SAYING and _FIGURE.search(clause):
        return None
    if not takes_a_stance(sentence, verb, clause):
        return None  # a source telling what happened (a witness, an official, an expert): a fact, not a response
    return actor


def takes_a_stance(sentence: str, verb: str, clause: str) -> bool:
    """Whether a party's statement responds to the story: a verb of response ("condemned", "urged", "called
    on"), or words that judge or feel something (“should”, “shocked”, “would not comment”), or a statement
    issued as one ("said in a statement"). "X said the car was found on Monday" informs; it is no reaction."""
    if verb in _STANCE_VERBS:
        return True
    if verb == "called":
        return bool(_CALLED_ON.search(sentence))
    return bool(_STANCE_WORDS.search(clause))


def _said_clause(sentence: str, np: str) -> str:
    """The sentence without its speaker phrase (what is said, with dates and ages of the speaker left out)."""
    return sentence.replace(np, " ")


def _speaker_phrase(sentence: str) -> tuple[str, str] | None:
    """(noun phrase, verb) of the sentence's speaker or actor, or None."""
    m = _TRAILING_ATTRIBUTION.search(sentence)
    if m:
        verb = re.match(r"\s*(\w+)", sentence[m.end("np"):]).group(1)
        return m.group("np"), verb
    m = _WITH_SAYING.search(sentence)
    if m:
        return m.group("np"), "said"
    m = _SUBJECT.match(sentence)
    if not m:
        return None
    np = m.group("np")
    if _BE_BEFORE_VERB.search(np) or np.rstrip().endswith(","):
        return None  # "would be announced" (passive), "a campaign, called ..." (a participle): no actor
    return np, m.group("verb")


def _actor_label(np: str, ctx: StoryContext) -> tuple[str, str | None, bool] | None:
    np = _DATELINE.sub("", np) if "(" in np else np
    if _FIRST_PERSON.match(np.strip()):
        return None  # a speaker's own words in a transcript ("I would point you to what X said")
    actor = quote_phrases._actor_from_np(np)
    if actor is None:
        return None
    name = actor.name
    at = re.search(rf"(?<![\w]){re.escape(name)}", np)
    if at and _PLACE_BEFORE.search(np[:at.start()]):
        return None  # a place or an affiliation ("in Kansas City, Mo.", "of Elkins Park")
    if _PARTY_LABEL.match(name) or (actors.is_place(name) and not actors.countries_in(name)):
        return None  # a state or a region is where something happened, not who acted
    words = name.split()
    if len(words) == 1 and (name.lower() in ctx.lower_words or name.lower().endswith("ly")
                            or (_AGENT_PLURAL.match(name) and not actors.countries_in(name))):
        return None  # a common word capitalised at a sentence start ("Ordinarily", "Organizers")
    party = _country_named(name) or _leading_country(actor.role)
    if party is None and actor.kind == "org":
        party = actors.country_of(name)
    folded = actors.fold_name(ctx.book.canonical(name))
    surname = folded.split()[-1] if folded else ""
    principal = (
        folded in ctx.principal_people
        or folded in ctx.leading_people
        # One surname for a principal and the actor: the same person under a title, or the principal's family.
        or (actor.kind == "person" and not actors.countries_in(name)
            and any(p.split()[-1] == surname for p in ctx.leading_people | ctx.principal_people if " " in p))
        or (party is not None and party in ctx.principal_places)
        or bool(_INVESTIGATORS.search(f"{np} {actor.role or ''} {ctx.book.canonical(name)}"))
        or _investigator_elsewhere(folded, ctx)
        or (actor.kind == "person" and speaks_for_principal(ctx.book.canonical(name), ctx))
        or _of_principal(name, ctx)
    )
    if _country_named(name) and len(tokens(name)) <= len(tokens(party or "")) + 1:
        label = party or name
    else:
        shown_name = ctx.book.canonical(name) if actor.kind == "person" else name
        label = f"{shown_name} ({party})" if party and party not in shown_name else shown_name
    return label, party, principal


# Who speaks for a party: "a spokesman for the renegade soldiers", "the rebels' spokeswoman", "Acme spokesman".
# An opening clause of time: "When Jo Roe died, ...", "By the time the film ends, ...", but not "When asked
# about it, ..." (a response).
_WHEN_CLAUSE = re.compile(r"^\W*(?:When|Whenever|By the time)\s+(?!asked\b)[^,]{3,200},")
# "In 2012, the government pledged ...", "Back in March, ...", "Years ago, ...": a response told as history
_PAST_OPENING = re.compile(
    r"^\W*(?:(?:In|Back in|As early as|As far back as)\s+(?:(?:early|late|mid-?)\s*)?(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d\b"
    r"|Back in\b|Years ago\b|Last year\b|Decades ago\b|In the past\b)")
_FOR_WHOM = r"(?:spokes(?:man|woman|person|people|men|women)|representatives?|envoys?|aides?|advis[eo]rs?|lawyers?|attorneys?)"
_SPEAKS_FOR = re.compile(rf"\b{_FOR_WHOM}\s+(?:for|of|to)\s+(?:the\s+|a\s+)?(?P<whom>[^,.;:\"“”()]{{2,60}})", re.I)
_SPEAKS_FOR_BEFORE = re.compile(rf"(?P<whom>(?:[\w.&-]+\s+){{0,3}}[\w.&-]+?)(?:[’']s?)?\s+{_FOR_WHOM}\b", re.I)
_DEFENCE_COUNSEL = re.compile(r"\bdefen[cs]e\s+(?:lawyer|attorney|counsel|team)s?\b", re.I)
SPOKESPERSON_REACH = 80  # characters between a name and the "spokesman for ..." phrase that introduces it
LEAD_SENTENCES = 3  # the sentences of an article that say who its story is about


def speaks_for_principal(name: str, ctx: StoryContext) -> bool:
    """The story introduces ``name`` as the spokesperson (aide, lawyer, envoy ...) of one of its principals.

    A principal is a party the story is about: a principal person or country, or a group whose head noun
    ("the renegade soldiers") the first sentences of at least half the articles name ("Soldiers stormed ...",
    "The soldiers said ..."). What a principal's spokesperson says is the principal's statement, not a reaction.
    """
    surname = name.split()[-1] if name.split() else ""
    if len(surname) < 2:
        return False
    at_name = re.compile(rf"(?<![\w-]){re.escape(surname)}(?![\w-])")
    # The substring test first: a big story has tens of thousands of sentences, few of them holding the name.
    for sentence in (s for texts in ctx.sentences_by_article.values() for s in texts if surname in s):
        for hit in at_name.finditer(sentence):
            # The accused's counsel speaks for the accused, whoever the story names as such.
            if any(abs(m.end() - hit.start()) <= SPOKESPERSON_REACH for m in _DEFENCE_COUNSEL.finditer(sentence)):
                return True
            for pattern in (_SPEAKS_FOR, _SPEAKS_FOR_BEFORE):
                for m in pattern.finditer(sentence):
                    near = m.start() - hit.end() if m.start() >= hit.end() else hit.start() - m.end()
                    if near <= SPOKESPERSON_REACH and _is_principal_party(m.group("whom"), ctx):
                        return True
    return False


def _of_principal(name: str, ctx: StoryContext) -> bool:
    """A principal's own office, campaign, spokesman or aide ("Mr. Roe’s office", "Roe’s campaign"): their
    statement is the principal's, not a reaction to the story."""
    parts = quote_phrases._possessed_parts(name)
    if parts is None or parts[0].role is None or parts[0].role.split()[-1].lower() in _NOT_THEIR_VOICE:
        return False
    owner = actors.fold_name(ctx.book.canonical(parts[1].name))
    surname = owner.split()[-1] if owner else ""
    principals = ctx.principal_people | ctx.leading_people
    return bool(owner) and (owner in principals or any(p.split()[-1] == surname for p in principals if " " in p))


# Who belongs to a principal without speaking for them: "Roe’s critics", "Roe’s rival".
_NOT_THEIR_VOICE = frozenset("critics critic rival rivals opponent opponents challenger victims victim".split())


def _is_principal_party(whom: str, ctx: StoryContext) -> bool:
    """Whether the party a spokesperson speaks for ("the renegade soldiers", "Acme", "Vandoria") is a principal."""
    whom = re.sub(r"^(?:the|a|an)\s+", "", whom.strip(), flags=re.I)
    words = whom.split()
    if not words:
        return False
    if actors.fold_name(ctx.book.canonical(whom)) in ctx.principal_people | ctx.leading_people:
        return True
    if any(country in ctx.principal_places for country in actors.countries_in(whom)):
        return True
    head = words[-1].lower().rstrip("’'")
    if len(head) < 4:
        return False
    stem = head[:-1] if head.endswith("s") else head
    pattern = re.compile(rf"\b{re.escape(stem)}\w{{0,3}}\b", re.I)
    openings = [texts[:LEAD_SENTENCES] for texts in ctx.sentences_by_article.values() if texts]
    # A sentence introducing a spokesperson says nothing about who the story is about.
    naming = sum(1 for first in openings if any(pattern.search(s) and not _SPEAKS_FOR.search(s) for s in first))
    return bool(openings) and 2 * naming >= len(openings)


def _investigator_elsewhere(folded: str, ctx: StoryContext) -> bool:
    """The story names this person with an investigator's title somewhere ("Det. Jane Roe" beside "Roe said")."""
    if not folded:
        return False
    key = " " + folded
    return any(_INVESTIGATORS.search(n) for n in ctx.book.counts if (" " + actors.fold_name(n)).endswith(key))


def _country_named(name: str) -> str | None:
    """The country ``name`` is, if it is one (possibly with an adjective: "Neighbouring South Korea")."""
    found = actors.countries_in(name)
    if not found:
        return None
    rest = actors.without_countries(name)
    if len(rest.split()) <= 2:
        return found[0]
    return None


def _leading_country(role: str | None) -> str | None:
    """A country in the first words of a role ("South Korea's unification minister"), not deep inside it."""
    if not role:
        return None
    head = " ".join(role.split()[:3])
    spans = actors.country_spans(head)
    if spans and spans[0][0] <= 3:
        return spans[0][2]
    return None
