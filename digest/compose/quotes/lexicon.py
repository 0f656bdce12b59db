"""Words and patterns the quote rules read: speech verbs, pronouns, heads of organisations, outlets and documents, honorifics by gender."""

from __future__ import annotations

import re


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
_ROLE_MODIFIERS = frozenset("presidential vice deputy senior former chief top executive political press".split())
# Unnamed people of a named body: "officials at the Pentagon", "a spokesman for Acme Corp".
_OFFICIALS_OF = re.compile(
    r"^(?:(?:a|an|two|several|some|other|senior|top|federal|state|local)\s+)*(?:officials?|spokesm[ae]n|"
    r"spokeswom[ae]n|spokespeople|spokesperson|representatives?|executives?|staff(?:ers)?)\s+"
    r"(?:at|of|from|for|with)\s+(?P<body>(?:the\s+)?[A-Z].*)$", re.I)
# A US politician's party and state after the name: "(R-Ind.)", "(D)", ", R-Ky.,".
# ("(R)", "(D-Mo.)"; the letter alone must close its bracket: "(Reuters)" is a credit, not a party)
_PARTY_TAG = re.compile(r"\s*\(\s*[RDI](?:-[A-Z][\w. ]*\)?|\s*\))|,\s*[RDI]-[A-Z][\w.]*(?:\s[A-Z][\w.]*)?(?=,|\s*$)")
# A capitalised plural naming a group of people ("Islamists", "Republicans", "Palestinians", "Democrats"):
# never the one person a "he" or "she" is. Surnames in -s ("Evans", "Williams") keep other endings.
_GROUP_PLURAL = re.compile(r"[A-Z][a-z]+(?:ists|ians|icans|ites|crats)")
