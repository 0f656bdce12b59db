"""Noun phrases to actors: a role before a name, a name's trimmed phrase, a body's person, an outlet or a document's issuer."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from digest.compose.actors import (HONORIFICS, MODIFYING_PARTICIPLES, TITLE_ABBREVIATIONS, Actor, is_place, is_role_word,
                                  parse_actor)
from digest.compose.quotes.lexicon import (_ADVERBS, _DOCUMENT_HEADS, _NP_START_JUNK, _NP_TRAILER, _ORG_HEADS,
                                           _OUTLET_HEADS, _ROLE_MODIFIERS, _TITLE_CONTEXT)
from digest.compose.quotes.mentions import _Mention
from digest.text import tokens, without_dateline


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
_DESCRIPTION_FILLER = frozenset("the a an this that his her its their our then now current former new".split())
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
_SUBORDINATE = {
    "without", "when", "asked", "after", "before", "while", "although", "though", "but", "and", "as", "in",
    "on", "at", "for", "speaking", "writing", "however", "meanwhile", "calling", "if", "because", "so",
    "besides", "beyond", "despite", "unlike", "like", "since", "until", "during", "apart", "with",
}
# A body whose name lists its fields with commas: "the Meteorology, Climatology and Geophysics Agency",
# "the Ministry of Energy, Mines and Water". One organisation, not a name and a role.
_CAP_WORDS = r"[A-Z][\w’'-]*(?:\s+(?:of|for|and|the|on|[A-Z][\w’'-]*))*"
_LISTED_FIELD = r"[A-Z][a-z][\w-]*(?:\s+[A-Z][a-z][\w-]*)?"  # one field of the list: "Mines", "Public Works"
_LISTED_BODY = re.compile(
    rf"(?P<body>(?<![\w’'-]){_CAP_WORDS}(?:,\s+{_LISTED_FIELD})+,?\s+and\s+{_CAP_WORDS})\s*$")
_ASIDE_PREPOSITIONS = frozenset("at in on during after before later earlier".split())
_FROM_PLACE = re.compile(r"^(?:from|of|in)\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*$")
_OF_BODY = re.compile(r"^(?P<name>[^,]+?),?\s+(?P<link>of|for|at|from|with)\s+(?P<body>(?:the\s+)?[A-Z][^,]*)$")
# An outlet named with its kind: "the North’s Rodong Sinmun newspaper", "the state-run Xinhua news agency"; a
# description before the name is none of it ("the Brexit-supporting Daily Express newspaper").
_NAMED_OUTLET = re.compile(
    rf"^(?:[Tt]he\s+)?(?:[\w.-]+[’']s?\s+)?(?:(?:[a-z][\w-]*|[\w’'.]+-{MODIFYING_PARTICIPLES})\s+){{0,2}}?"
    rf"(?!(?:The|A|An|This|That|These|Its|His|Her|Their|Our)\b|[\w’'.]+-{MODIFYING_PARTICIPLES}\s)"
    r"(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,4})"
    r"\s+(?P<head>(?:[a-z]+\s+)?[a-z]+)$")
# A body named by whose it is: "Donald Trump’s campaign", "Acme’s board".
_OWNED_HEADS = r"campaign|administration|team|government|company|board|party|office|committee"
_OWNED_BODY = re.compile(
    rf"(?P<owner>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){{0,3}})(?P<mark>[’']s?)\s+(?P<head>{_OWNED_HEADS})\b")
# What every owned body ends on: a cheap test before the pattern, which is tried at every capital.
_OWNED_BODY_END = re.compile(rf"[’']s?\s+(?:{_OWNED_HEADS})\b")
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
# Words for one kind of document: a description by one may refer to a document named by another.
_DOCUMENT_KINDS = (
    frozenset("video clip ad advert advertisement commercial spot".split()),
    frozenset("article piece story feature column editorial op-ed essay".split()),
    frozenset("book memoir autobiography".split()),
)
_DOC_HEAD_RE = "|".join(sorted(_DOCUMENT_HEADS, key=len, reverse=True))
# A document and its author: "a study by", "a new report from". The author is the speaker.
_AUTHORED_BY = re.compile(rf"^(?:a|an|the)\s+(?:new\s+|recent\s+|\d{{4}}\s+)?(?:{_DOC_HEAD_RE}|study|paper|analysis)\s+(?:by|from)\s+(?=[A-Z])")
_CAPS_RUN = r"[A-Z][\w.&’'-]*(?:\s+(?:of|for|and|on|the|[A-Z][\w.&’'-]*)){0,6}"
# "a Times article", "A Government Accountability Office report": the capitalised words name the issuer.
_NAMED_DOCUMENT = re.compile(rf"^(?:a|an|the|this|that|one|another)?\s*(?P<org>{_CAPS_RUN})\s+(?:{_DOC_HEAD_RE})s?\b")
# "Ivana Roe's brief", "the agency's latest report".
# (the head in any case: a heading writes "Secretary Roe's E-mail to daughter:")
_OWNED_DOCUMENT = re.compile(rf"^(?:the\s+)?(?P<org>{_CAPS_RUN})[’']s?\s+(?:[a-z][\w-]*\s+){{0,2}}(?i:{_DOC_HEAD_RE})s?\b")
# "Officials at Harbour Police", "a spokesman for the Port Authority": the body speaks through them.
_VOICE_OF = re.compile(
    rf"^(?:officials|an official|a spokesman|a spokeswoman|a spokesperson|spokesmen|spokespeople|a representative|"
    rf"representatives|lawyers|attorneys|an attorney|a lawyer)\s+(?:at|of|from|for|with)\s+(?:the\s+)?(?P<org>{_CAPS_RUN})",
    re.I)


def lower_case_words(texts: Iterable[str]) -> frozenset[str]:
    """Every word the texts write in lower case (a capitalised word also written so is a common noun)."""
    return frozenset(w for t in texts for w in re.findall(r"\b[a-z][a-z’'-]+\b", t))


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


def _capitals_line(name: str) -> bool:
    """A run of words in capitals ("HAS INVESTIGATED HIM") is a headline, not a name; one acronym ("NASA") may be."""
    words = [w for w in name.split() if any(c.isalpha() for c in w)]
    return len(words) >= 2 and all(w.isupper() for w in words) and sum(len(w) > 3 for w in words) >= 1 \
        and not all(re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?|[A-Z]{2,5}", w) for w in words)


def _role_before(before: str) -> str | None:
    """Role words right in front of a name ("ministry spokesperson", "former Gov."), if any."""
    taken: list[str] = []
    for w in reversed(before.rsplit(None, 6)[-6:]):  # (the last six words, without splitting all of them)
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


def _without_dateline(np: str) -> str:
    """A noun phrase without the dateline opening its sentence ("JERUSALEM (AP) — Prime Minister Jo Roe" ->
    "Prime Minister Jo Roe"): where the story was filed is no part of a speaker's role."""
    if "—" in np or "-" in np or "–" in np or "(" in np:  # (the cheap test first: every dateline holds one)
        return without_dateline(np.strip())
    return np


def _trim_np(np: str) -> str:
    """The noun phrase of a cue without what follows it ("Caddell, speaking of ..." -> "Caddell")."""
    np = _without_dateline(re.sub(r"\s+", " ", np)).strip(" ,—–-")
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
    np = re.sub(rf"\s+(?:{_ADVERBS})$", "", _without_dateline(np).strip(" ,"))
    np = _AUTHORED_BY.sub("", np)  # "a study by Lund University historian Jo Roe": Jo Roe, a historian
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
            # "NAME, whose comments mesmerized ...": a clause about something of theirs, no role; nor is
            # "NAME, who he called ...", where someone else does the calling
            described = None if re.match(r"whose\s|who\s+(?:he|she|they|we|i|you|it)\b", parts[1], re.I) \
                else strip_article(parts[1])
            role = ", ".join(p for p in (named.role, described) if p)
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
    if len(parts) >= 2 and parts[1][:1].islower() and (_is_role_phrase(parts[1]) or apposition):
        # "study co-author Jo Roe, director of the institute at the University of Ostrava": the person
        # named with a lower-case role in front, and the apposition after; the body at the end is theirs
        named = parse_actor(parts[0])
        if named is not None and named.kind == "person" and len(named.name.split()) >= 2 \
                and parts[0].endswith(named.name):
            front = parts[0][:-len(named.name)].strip()
            if front and re.fullmatch(r"(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*", front) \
                    and front.split()[0] not in _SUBORDINATE:
                return Actor(named.name, f"{named.role or front}, {strip_article(parts[1])}", named.kind)
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


def _issuer_in_np(np: str) -> Actor | None:
    """The body or person a cue's noun phrase names as the issuer of a document, or whose voice it is.

    "a Times article" -> the Times, "Ivana Roe's brief" -> Ivana Roe, "officials at Harbour
    Police" -> Harbour Police. Only capitalised words count: "the party's bylaws" names nobody.
    """
    parts = [p.strip() for p in np.split(",") if p.strip()]
    if len(parts) > 1 and _VOICE_OF.match(parts[0]):
        parts = parts[:1]  # "Officials at X, a division of Y": the apposition describes X
    elif len(parts) > 1 and re.match(r"(?:(?:now|also|formerly)\s+)?(?:a|an)\s", parts[-1]) \
            and re.search(r"[A-Z][\w.’'-]+\s+[A-Z][\w’'-]+$", parts[-2]) and not is_place(parts[-2]):
        return None  # "Jo Roe, a lawyer at Ostrava Legal": the apposition says where the named person works
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
