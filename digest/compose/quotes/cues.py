"""Speech cues around a quotation ("X said", "said X", "according to X", "X said: ...", a participle, a transcript label) and who each names."""

from __future__ import annotations

import re
from typing import Iterable

from digest.compose.actors import Actor, countries_in, fold_name, is_place, is_role_word, parse_actor
from digest.compose.quotes.lexicon import (PRONOUNS, SPEECH_VERBS, _ACCORDING, _ADVERBS, _AFTER_SAID_X,
                                           _AFTER_X_SAID, _AS_X_SAID, _FIRST_PERSON, _INDEFINITE, _LY_ADVERB,
                                           _NP_START_JUNK, _OFFICIALS_OF, _OUTLET_HEADS, _PARTICIPLE, _PARTY_TAG,
                                           _PHOTO, _ROLE_MODIFIERS, _TIME_WORD, _VERB_RE)
from digest.compose.quotes.mentions import _Cue
from digest.compose.quotes.parse import _relative_subject
from digest.compose.quotes.phrases import (_CAPS_RUN, _LEAD_ADVERBS, _NAMED_OUTLET, _SUBORDINATE, _actor_from_np,
                                           _issuer_in_np, _listed_body, _possessed, _trim_np)
from digest.compose.quotes.reading import _ArticleState


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
_DETERMINER_CAPS = frozenset("The A An This That These Those It He She They We I You His Her Its Their Our My".split())
_NAME_BEFORE_PARTICIPLE = re.compile(
    rf"(?:^|\b(?:with|of|shows?|showed|showing|and|has|had|heard|saw|see|sees|watched|caught|filmed)\s+)"
    rf"(?P<np>(?:[A-Z][\w.’'-]*\s+){{0,4}}[A-Z][\w’'-]*[\w])\s+(?:(?:{_ADVERBS}|[a-z]{{3,}}ly)\s+)*$")
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
_REPORTED_VERBS = (r"(?:said|says|added|adds|told reporters|wrote|writes|explained|noted|argued|warned|insisted|contended|"
                   r"agreed|agrees|disagreed|continued|replied|responded|countered|recalled|concluded|remarked|"
                   r"observed|stressed|emphasized|tweeted|posted|answered|cautioned|acknowledged|conceded|"
                   r"complained|predicted|explained|elaborated)")
_REPORTED_AFTER = re.compile(
    rf",\s*(?P<np>[^,;:]{{2,80}}?)\s+(?:{_ADVERBS}\s+)*{_REPORTED_VERBS}(?:\s+(?:on|in|at)\s+[\w ]{{1,30}})?\s*\.\s*$")
_REPORTED_SAID_X = re.compile(rf",\s*{_REPORTED_VERBS}\s+(?P<np>[^,;:.]{{2,80}}|[^,;:]{{2,80}}?)\s*\.\s*$")
_REPORTED_LEAD = re.compile(rf"^\s*(?P<np>[^,;:]{{2,80}}?)\s+(?:{_ADVERBS}\s+)*{_REPORTED_VERBS}\b(?!\s*[,:])")
# Every pattern of reported speech holds one of its verbs: a cheap test before them (the lead's is slow).
_REPORTED_VERB = re.compile(_REPORTED_VERBS)
_CLAUSE_BREAK = re.compile(
    rf"\b(?:that|which|because|while|whereas|but|and|when|after|if|though|although|{SPEECH_VERBS})\s+|;\s*",
    re.I)
_LEAD_WORDS = {"that", "this", "still", "yet", "instead", "indeed", "now", "again", "finally", "then", "also"}
_INTRODUCTORY = _SUBORDINATE | {"in", "on", "at", "following", "amid", "despite", "during", "under", "since", "until",
                                "with", "by", "like", "unlike", "hours", "days", "weeks", "months", "years"}
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


def _after_cue(after: str) -> _Cue | None:
    """``"...," X said`` / ``"...," said X`` / ``"...," according to X`` / ``"..." ― X`` right after the closing mark."""
    m = _DASH_NAME.match(after)
    if m:
        return _Cue(m.group("np"), "said X")
    m = _AFTER_SAID_X.match(after)
    if m:
        np = _trim_np(m.group("np"))
        first = np.split()[0] if np.split() else ""
        # "said the Ellis council", "said the former mayor Jo Roe": a name after the article and a role
        named_after_article = first.lower() in {"the", "a", "an"} and bool(re.match(r"\S+\s+(?:[a-z][\w-]*\s+){0,3}[A-Z]", np))
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
        if "," in np and (not re.match(r"\s*(?:[A-Z]|the\b|a\b|an\b|he\b|she\b|it\b|they\b)", np)
                          or np.split()[0].lower() in _SUBORDINATE):
            # '"…" for the ministry, Ms Berg said', '"…?" With Jon, we went ...': the speaker after the comma
            np = np.rsplit(",", 1)[1]
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
    main = _PRONOUN_BEFORE_COLON.search(before)
    if main and not _VERB_RE.search(before[main.start():]):
        # "When the host said she was surprised, he shot back: ...": the main clause's subject speaks,
        # not the one of the clause before it (whose verb is the nearest the list knows)
        yield _Cue(main.group("np"), "X said: ...")
        return
    verbs = [m for m in _VERB_RE.finditer(before)]
    for verb in reversed(verbs):
        tail = before[verb.end():]
        if len(tail.split()) > 30:
            return
        head = before[:verb.start()]
        if head.split() and head.split()[-1].lower() in _NOUN_BEFORE or _ADJECTIVE_BEFORE.search(head):
            continue  # "a few questions", "those reports", "of Republican claims": a noun, not a speech verb
        if verb.group("verb").endswith("s") and re.search(r"\w[’']s\s+$", head):
            continue  # "on Trump's tweets", "the mayor's remarks": what a possessive owns is a noun
        if verb.group("verb").endswith("s") and _VERB_AFTER.match(before, verb.end()):
            continue  # "whose TV shows were stolen", "the reports are": a noun, the subject of the verb after it
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


def _transcript_label(quoted: str) -> _Cue | None:
    """The speaker label a quoted transcript turn opens with, as a name ("WALLACE" -> "Wallace")."""
    m = _TRANSCRIPT_LABEL.match(quoted)
    if not m or len(m.group("np")) < 3:
        return None
    return _Cue(m.group("np").title(), "transcript label")


def _reported_speech_np(sentence: str) -> str | None:
    """Who speaks in a sentence of reported speech ('..., Schiff said.', 'Schiff said the plan ...'), if it says."""
    if not _REPORTED_VERB.search(sentence):
        return None
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
    if how == "named" and len(actor.name.split()) < 2 and state.book.counts.get(actor.name, 0) < 2 \
            and state.book.canonical(actor.name) == actor.name:
        return None  # (neither recurring nor the short form of a full name the article gives)
    return actor


# The noun phrase opening a clause: capitals and the small words between them (whole words: "of" is not
# the start of "officials", nor "a" of "about").
_SUBJECT_AT_START = re.compile(
    r"^(?P<np>(?:[A-Z][\w.’'-]*|(?:the|a|an|of|and|former|\d+-year-old)\b)(?:\s+(?:[A-Z][\w.’'-]*|(?:of|the|and|for)\b))*"
    r"(?:,\s+[^,]{2,80},)?)")
# A main clause of a pronoun and a verb or two, opened by a comma and closed by a colon: ", he shot back: ".
_PRONOUN_BEFORE_COLON = re.compile(r",\s+(?P<np>he|she|they)\s+(?:[a-z]+\s+){0,2}[a-z]+:\s*$")
_VERB_AFTER = re.compile(r"\s+(?:were|was|are|is|have|has|had|will|would|could|may|might)\b")
# A lower-case role of up to three words and the name that holds it, opening a clause.
_LOWER_ROLE_NAME = re.compile(r"(?P<role>(?:[a-z][\w-]*\s+){1,3})[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)+")


def _sentence_subject(text: str) -> str | None:
    """The subject at the start of a sentence: its first noun phrase after any introductory phrase."""
    text = text.strip()
    parts = [p.strip() for p in text.split(",")]
    while len(parts) > 1 and parts[0].split() and (parts[0].split()[0].lower() in _INTRODUCTORY
                                                   or parts[0].isdigit()):
        parts = parts[1:]  # "On July 6, 2015, Sanders made ...": the date's parts are not the subject
    text = ", ".join(parts)
    m = _SUBJECT_AT_START.match(text)
    described = _LOWER_ROLE_NAME.match(text) if m is None else None
    if described and is_role_word(described.group("role").split()[-1]):
        return described.group(0)  # "transition spokesman Sean Spicer at first declined ...": the role's holder
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
            # (an adverb may come between: "the GOP nominee later tweeted")
            head = re.match(rf"^\s+(?!{_ADVERBS}\b)(?P<noun>[a-z][\w-]*)(?=(?:\s+(?:{_ADVERBS}|{_LY_ADVERB}))*"
                            r"\s+(?:[a-z]+(?:ed|s)|said|told|wrote|is|was|has|had)\b)", text[end:])
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
