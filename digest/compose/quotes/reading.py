"""One article as the quote rules read it (``_ArticleState``): its names, subjects and speakers in order, their genders and roles, and what a pronoun or a description can refer back to."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from digest.compose.actors import (BODY_ROLE_WORDS, HONORIFICS, Actor, NameBook, fold_name, is_date_word, is_place,
                                   is_role_word, parse_actor, plausible_full_name)
from digest.compose.quotes.lexicon import (PRONOUNS, PRONOUN_WINDOW, _ADVERBS, _CORPORATE, _DOCUMENT_HEADS, _FEMALE,
                                           _GROUP_PLURAL, _HONORIFIC_GENDER, _MALE, _NAME_DOT, _ORG_HEADS,
                                           _OUTLET_HEADS, _OUTLET_NAME, _PARTY_TAG, _PHOTO, _VERB_RE)
from digest.compose.quotes.mentions import _Mention
from digest.compose.quotes.phrases import (_BODY_ON, _CAPS_RUN, _DOCUMENT_KINDS, _GROUP_RELATIONS,
                                           _MODIFIES_ROLE, _NAME_RE, _NUMBER_WORD, _OFFICE_ABBREVIATIONS, _OFFICE_OF,
                                           _OWNED_BODY, _OWNED_BODY_END, _PERSON_HEADS, _RELATIONS, _SKIP_LEAD,
                                           _actor_from_np, _capitals_line, _described, _possessed, _possessed_parts,
                                           _role_before, _trim_np)
from digest.text import IRREGULAR_PAST


# How far back (paragraphs) a full name that spoke or was a subject still gives its surname its full form.
SURNAME_LOOKBACK_PARAGRAPHS = 6

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
    r"(?:[a-z]+(?:ed|s)|" + "|".join(sorted(IRREGULAR_PAST - {"let", "put", "set", "cut", "hit"})) + r"|put|"
    r"is|was|has|had|will|would|can|could|did|does)\b")  # ("stood", "held": a past of no "-ed")
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


# Patterns of the name loop, compiled once (it runs for every capitalised span of every sentence).
_POSSESSIVE = ("’s", "'s")
_ROLE_AHEAD = re.compile(r"(?:^|[.;:,]\s)(?P<role>[^,.;:]{2,60}),\s*$")
# A phrase there that opens the sentence with a participle or a preposition is a clause, no role ("Facing the
# chief executive, Sen. Roe ...").
_CLAUSE_AHEAD = re.compile(r"\s*(?:[A-Za-z]+ing|In|On|At|After|Before|With|For|From|During|Asked|Speaking)\b")
_CLAUSE_START = re.compile(r"\s+(?:who|whose|which|that)\s")
_LAST_LOWER_WORD = re.compile(r"\b(?P<word>[a-z]+)\s+$")
_BODY_WORD_ENDINGS = tuple(BODY_ROLE_WORDS)
_THE_AT_END = re.compile(r"\b[Tt]he\s*$")
_PLURAL_AFTER = re.compile(r"^\s+(?P<noun>[a-z]+s)\b")
_BODY_AFTER = re.compile(r"^\s+(?:police|government|authorities|council|ministry|court|army|military|prosecutors|"
                         r"administration|officials|forces)\b")
_ARTICLE_AT_END = re.compile(r"(?:^|\s)the$")
_BRACKETED_LEAD = re.compile(r"^\([^()]{1,40}\)\s*")
MAX_OFFICE_WORDS = 5  # "Former Deputy Prime Minister ..."; more is a headline in title case

# A time stamp or bullet left in front of a live blog's entry ("1:21 P.M.", "— 10:05"): no words of the sentence.
_STAMP_LEAD = re.compile(r"[\W\d_]*(?:[AaPp]\.?\s?[Mm]\.?)?[\W_]*")
_SENTENCE_LEAD = re.compile(r"(?:[A-Z][a-z]+,?|[^,]{0,60},)")
_COMMA_OR_WHO = re.compile(r"\s*(?:,|who\b)")
# A speech verb right after a name, then a pronoun: the pronoun is the speaker's own.
_SAID_PRONOUN = re.compile(r"\s+(?:said|says|told\s+\w+|added|wrote|explained|insisted)\s+(?:that\s+)?(she|he)\b")
_FEMALE_PRONOUN = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_MALE_PRONOUN = re.compile(r"\b(?:he|him|his|himself)\b", re.I)


class _SpanName(NamedTuple):
    """What a capitalised span names, apart from where in a sentence it stands (see ``_span_name``)."""
    words: tuple[str, ...]
    lead: int  # how many words open the span before the name ("President", "NBC’s")
    name: str
    office: str  # the office among the opening words: "President" of "President Obama"
    actor: Actor
    honorific: str | None  # "mr", "ms" ... when one opens the span


@lru_cache(maxsize=100_000)
def _span_name(span: str) -> _SpanName | None:
    """The name a capitalised span holds after its opening words, and who it is; None when it names no one.

    A function of the span alone, memoised: a story told by hundreds of outlets writes the same names
    thousands of times."""
    words = tuple(span.split())
    lead = 0
    while lead < len(words) and (words[lead] in _SKIP_LEAD or words[lead] in HONORIFICS):
        lead += 1
    if lead == len(words):
        return None
    owners = [i for i in range(lead, len(words) - 1) if words[i].endswith(_POSSESSIVE)]
    if owners:
        lead = owners[-1] + 1  # "NBC’s Dante Chinni": the name after the possessor (who employs them)
    name_text = " ".join(words[lead:]).rstrip(".")
    if name_text.endswith(_POSSESSIVE):
        name_text = name_text[:-2]
    # "President Obama", "Sen. Roe": the office opening the span is the name's role ("the president")
    # ("Sen. Roe": the role is "senator", not "Sen.")
    in_office = [i for i in range(lead) if is_role_word(words[i].rstrip(".")) or words[i].rstrip(".") in _OFFICE_ABBREVIATIONS]
    office = " ".join(_OFFICE_ABBREVIATIONS.get(words[i].rstrip("."), words[i]) for i in in_office)
    if name_text.startswith("of ") and office:
        # "Secretary of State John Kerry": the office runs on past "of"; "Director General of Air
        # Transportation" names an office's body, and no one holding it
        whole = parse_actor(" ".join(words[in_office[0]:]).rstrip("."))
        if whole is not None and whole.kind == "person" and whole.role and not whole.role.endswith((" of", " the")):
            name_text, office, lead = whole.name, whole.role, len(words) - len(whole.name.split())
        else:
            body = re.sub(r"^of\s+(?:the\s+)?", "", name_text)
            return _SpanName(words, lead, body, office, Actor(body, None, "org"), None) if body else None
    if not name_text or name_text.lower() in PRONOUNS or _NUMBER_WORD.match(name_text) or _capitals_line(name_text):
        return None
    actor = parse_actor(name_text)
    # A long office in front ("Deputy Home Affairs Minister Wan Junaidi Jaafar") is no headline: the name
    # after it must look like a name, not the whole span.
    # (after a possessor, "Press TV’s News Room Director Jo Roe", the role is read with its owner elsewhere)
    long_office = not owners and actor is not None and actor.kind == "person" and bool(actor.role) \
        and len(actor.role.split()) <= MAX_OFFICE_WORDS and name_text.endswith(actor.name)
    if not plausible_full_name(actor.name if long_office else name_text):
        return None
    if _BODY_ON.search(name_text):
        actor = Actor(name_text, None, "org")  # "Commission on Presidential Debates" is one body
    if actor is None or is_date_word(actor.name) or len(actor.name) < 2:
        return None
    honorific = next((w.lower() for w in words[:lead] if w.lower() in _HONORIFIC_GENDER), None)
    return _SpanName(words, lead, name_text, office, actor, honorific)


def _after_body_word(before: str) -> bool:
    """The text before a name ends on a body's word ("West African regional body Ecowas")."""
    # (the cheap test first: the pattern scans the whole text, and mostly in vain)
    if not before[-1:].isspace() or not before.rstrip().endswith(_BODY_WORD_ENDINGS):
        return False
    m = _LAST_LOWER_WORD.search(before)
    return m is not None and m.group("word") in BODY_ROLE_WORDS


def _after_office_of(before: str) -> bool:
    """The text before a name ends on an office of a body ("Jo Roe, CEO of Postmedia")."""
    return before[-1:].isspace() and before.rstrip().endswith(("of", "at", "for", "with", "the")) \
        and _OFFICE_OF.search(before) is not None  # (the cheap test first, as above)


def _after_the(before: str) -> bool:
    """The text before a name ends on "the" ("the New York Times")."""
    return before.rstrip().endswith(("The", "the")) and _THE_AT_END.search(before) is not None


_BLANK_RUN = re.compile(r"\s{3,}")


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
        if "(" in sentence or "-" in sentence:  # (every party tag holds one)
            sentence = _PARTY_TAG.sub(lambda t: " " * len(t.group(0)), sentence)
        # A blanked quotation parts the words around it: 'official Syrian "handlers," Nuland said' names Nuland,
        # not "Syrian Nuland" (a name is read across single spaces only, so the blank's run is kept apart).
        scan = _BLANK_RUN.sub(lambda r: " " + "\x00" * (len(r.group(0)) - 2) + " ", sentence) \
            if "   " in sentence else sentence
        for m in _NAME_RE.finditer(scan):
            span = m.group(0)
            named = _span_name(span)
            if named is None:
                continue
            words, lead, name_text, office, actor, honorific = named
            before = sentence[:m.start()]
            tail = sentence[m.end():]
            lead_role = _role_before(before)
            role = lead_role or ""
            # (the cheap test first: the phrase ends on a comma)
            ahead = _ROLE_AHEAD.search(before) if not role and before.rstrip().endswith(",") else None
            if ahead and not before[:ahead.start("role")].strip() and _CLAUSE_AHEAD.match(ahead.group("role")):
                ahead = None  # (after a comma a participle may hold a role: "..., telling her father, Ed Weller,")
            if ahead and any(
                    is_role_word(w) or w.strip("’'") in _RELATIONS - _GROUP_RELATIONS for w in ahead.group("role").split()):
                # "Finance minister, Clara Nunez, said ...", "Roe's grief-stricken mother, Patricia, spoke"
                role = ahead.group("role").strip()
            app = _APPOSITION.match(tail) if tail.startswith(",") else None
            if app and _VERB_RE.search(app.group("role")):
                app = None  # "in Chelsea, the mayor also said ...": a new clause's subject, not an apposition
            if app:
                # ("a former world No. 1 who hasn't played since July": the role ends where the clause begins)
                role = (role + " " + _CLAUSE_START.split(app.group("role"))[0]).strip()
            if is_place(actor.name):
                actor = Actor(actor.name, actor.role, "place")  # a place speaks only when named as the speaker
            elif actor.kind == "person" and len(actor.name.split()) <= 3 and (
                    not lead and _after_body_word(before)
                    or _after_office_of(before + span[:max(0, span.rfind(actor.name))])):
                # "West African regional body Ecowas", "Jo Roe, CEO of Postmedia": a body ("it"), not a "he"
                actor = Actor(actor.name, actor.role, "org")
            elif actor.kind == "person" and (_after_the(before) or "The" in words[:lead]) \
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
            if actor.kind == "person" and len(words) == 1 and (not stripped or _STAMP_LEAD.fullmatch(stripped)) \
                    and self._common_word(name_text):
                continue  # "Delegates questioned ...", "1:21 P.M. Rocket explodes": a capital that opens the sentence
            if len(words) - lead == 1 and not span.endswith(_POSSESSIVE):
                group = _PLURAL_AFTER.match(tail)
                if group and is_role_word(group.group("noun")[:-1]) and self.book.canonical(name_text) == name_text:
                    continue  # "Administration officials said": the word is the officials' modifier, no one's name
                body = _BODY_AFTER.match(tail)
                if body and self.book.canonical(name_text) == name_text:
                    continue  # "despite Winnipeg police asking him": the place names whose police, no one's name
                modifies = _MODIFIES_ROLE.match(tail)
                if modifies and any(is_role_word(w) for w in modifies.group("words").split()):
                    continue  # "Libertarian presidential candidate Gary Johnson": the role's modifier, not a name
            # Role words in front ("Conservative economist Aparna Mathur, who ..., said", "In a statement,
            # presidential nominee Jo Roe was ...") do not stop the name being the subject.
            if stripped and lead_role and stripped.endswith(lead_role):
                stripped = stripped[:-len(lead_role)].strip()
            if actor.kind == "org":
                # "In a statement, the Association of Flight Attendants called ...": the body's article is its own
                stripped = _ARTICLE_AT_END.sub("", stripped).strip()
            # "Her daughter, Emily Roe, said ...": a name between commas after a role opens the sentence too.
            # ("On Tuesday afternoon, Roe's mother, Patricia, spoke": an opening phrase before the role too)
            # ("(CBC) Jo Roe, CEO of Postmedia, also ...": a bracketed credit left before the sentence is none of it)
            if stripped.startswith("("):
                stripped = _BRACKETED_LEAD.sub("", stripped)
            opens = (not stripped or bool(_SENTENCE_LEAD.fullmatch(stripped))) \
                and bool(_SUBJECT_FOLLOW.match(tail) or stripped.endswith(",") and tail.startswith(",")
                         and _SUBJECT_FOLLOW.match(tail[1:]))
            # ', noted NBC's Dan Roe.': the inverted speaker; but in "said Park's plan was flawed" the
            # possessive is what is spoken of. ("Palin's posts include ..." still opens on its topic.)
            # (read only when the name does not open the sentence)
            subject = opens or not span.endswith(_POSSESSIVE) and (
                bool(_SPEAKS_NEXT.match(tail)) or bool(_SPOKEN_BEFORE.search(before))
                or bool(_WHO_SPEAKS.match(tail)))  # "..., including Mayor Jo Roe, who commented on ..."
            mention = _Mention(index, (paragraph_index, start + m.start()), actor, key, subject, role)
            self.mentions.append(mention)
            if stripped or lead or len(words) > 1:
                self.named_inside.add(key)
            if honorific:
                self.gender_votes.setdefault(key, []).extend([_HONORIFIC_GENDER[honorific]] * 3)
            if role:
                self._vote_gender(key, role)
            if actor.kind == "person" and "he " in tail[:40]:  # (the cheap test first: "she" holds it too)
                said = _SAID_PRONOUN.match(tail)
                if said:  # "Candy Crowley said she was surprised ...": she is Crowley
                    self.gender_votes.setdefault(key, []).append("f" if said.group(1).lower() == "she" else "m")
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
        if not _OWNED_BODY_END.search(sentence):
            return
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
        if not m or not _SUBJECT_FOLLOW.match(sentence[m.end():]) and not _COMMA_OR_WHO.match(sentence[m.end():]):
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
        """A capitalised word that is a common noun ("Delegates", "Rocket"): the article writes it (or its
        plural) in lower case elsewhere and never as part of a longer name (as it writes "Bernie Sanders")."""
        lower = word.lower()
        return (lower in self.lower_words or lower + "s" in self.lower_words) and self.book.canonical(word) == word

    def _vote_gender(self, key: str, text: str, pronouns_only: bool = False) -> None:
        if pronouns_only:
            female = len(_FEMALE_PRONOUN.findall(text))
            male = len(_MALE_PRONOUN.findall(text))
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
        crime bill") does not take the surname over. ``gender`` ("m"/"f", from a pronoun) must fit. The
        mention must be recent (``SURNAME_LOOKBACK_PARAGRAPHS``): "his father, Jo Roe," in a profile's early
        life is not the "Mr. Roe" quoted a dozen paragraphs on. Without such a mention, the name book's expansion."""
        if len(name.split()) == 1:
            key = fold_name(name)
            latest = None
            for m in self.mentions + self.speakers:
                if m.offset >= offset or (latest is not None and m.offset <= latest.offset) \
                        or m.offset[0] < offset[0] - SURNAME_LOOKBACK_PARAGRAPHS:
                    continue
                if m.subject and m.actor.kind == "person" and len(m.actor.name.split()) >= 2 \
                        and fold_name(m.actor.name).split()[-1:] == [key] \
                        and (gender is None or self.gender(fold_name(m.actor.name)) in (None, gender)):
                    latest = m
            if latest is not None:
                return latest.actor.name
        return self.book.canonical(name)
