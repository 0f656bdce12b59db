"""Text normalisation and tokenising shared by the stages that compare text.

Outlets print the same words with different typography: curly or straight
quotes, en or em dashes, "Jean-Luc" or "Jean Luc". ``normalise`` maps all
of these to one plain lower-case form so that string scores measure wording,
not typesetting. Spelling variants that differ by a letter ("Jung-un") are left
to the fuzzy scores.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Every quote-like and dash-like character a news page uses, mapped to ASCII.
_TRANSLATE = str.maketrans(
    {
        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u275d\u275e\u301d\u301e\uff02"},
        **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2039\u203a\u2032\u275b\u275c\u0060\u00b4"},
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u200b": "",
        "\u00ad": "",
    }
)

_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
# A token as written: letters and digits, with inner apostrophes and hyphens ("Jong-un", "don't").
_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# A candidate sentence end: . ! ? or an ellipsis (with closing quotes/brackets) before whitespace and an
# opening quote or bracket, a digit or a capital letter. Whether it is one depends on the word before it.
_SENTENCE_END = re.compile(r"((?:[.!?]|\u2026)[\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]*[A-Z0-9])")
# Titles and name parts that a name always follows ("Gov. Brown", "Mt. Everest", "St. Louis"); written
# with a capital, so that "10,000 ft. The plane" still ends at "ft.".
_TITLES = frozenset(
    "mr mrs ms messrs dr prof gen col lt sgt capt cpt cmdr adm maj cpl pvt gov sen rep reps sens rev fr msgr hon"
    " pres supt det insp atty amb st ste mt ft".split()
)
# Abbreviations written with a capital that usually go on ("Jan. 5", "Kansas City, Mo., said", "Apple Inc.'s")
# but may end a sentence ("... in Kansas City, Mo. The hospital ..."): the next word decides (see _STARTERS).
# The capital tells the state "Ill." and "Mass." from the words "ill" and "mass".
_CAPITAL_ABBREVIATIONS = frozenset(
    "jan feb mar apr jun jul aug sep sept oct nov dec tues thur thurs"
    " ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev okla ore"
    " pa penn tenn tex va vt wash wis wyo jr sr inc co corp ltd bros dept univ assn natl intl".split()
)
# Lower-case abbreviations, decided the same way ("the iPhone, iPad, etc. The company ...").
_LOWER_ABBREVIATIONS = frozenset("etc vs cf al approx".split())
# Abbreviations that a number follows ("No. 1", "Fig. 2", "Vol. 3"); before anything else the word is a word.
_NUMBER_ABBREVIATIONS = frozenset("no nos fig figs vol vols pp art sec ch ref refs eq".split())
# Words that open a sentence but rarely follow an abbreviation inside one: after "U.S." or "Mo." a capitalised
# function word ("The", "He", "But") starts a new sentence, while a name ("U.S. Army", "O.J. Simpson") goes on.
_STARTERS = frozenset(
    "a an the he she it its they we i you his her their our my your this that these those there here then"
    " but and or so yet nor if when while after before as at in on of for from with by to since because"
    " although though meanwhile however still also now later earlier instead already what who why how where"
    " some many most all both each no not none one two three several such other others another".split()
)
# Initialisms with inner periods: "U.S", "p.m", "O.J", "N.C" (the last period is the candidate end).
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")

# Function words that carry no topic: used for blocking and story similarity, and (jusText's idea)
# to tell prose, dense with them, from page furniture, which has almost none.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves said says say
    told tells according s t re ve ll d m mr mrs ms one two new year years last first since per cent percent
    would could may might must shall however though
    """.split()
)


def typographic(text: str) -> str:
    """Unify Unicode forms, quote marks, dashes and odd spaces; keep case and punctuation."""
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATE)


def normalise_uncached(text: str) -> str:
    """Plain comparable form: typographic marks unified, lower case, punctuation and hyphens to single spaces.

    "“Jean-Luc Picard”" and '"Jean Luc Picard"' both become "jean luc picard".
    """
    text = text.translate(_TRANSLATE)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _NON_WORD.sub(" ", text.lower()).strip()


# Cached for callers that compare the same strings many times (the rapidfuzz ``processor``).
normalise = lru_cache(maxsize=65536)(normalise_uncached)


def words(text: str) -> list[str]:
    """Lower-case word tokens of ``text`` (after ``normalise``), for comparing texts."""
    return _WORD.findall(normalise(text))


def tokens(text: str) -> list[str]:
    """Word tokens as written (case and inner hyphens kept), for counting and showing words."""
    return _TOKEN.findall(text)


def content_words(text: str) -> list[str]:
    """Words of ``text`` that carry topic: no stopwords, no one-letter tokens."""
    return [w for w in words(text) if len(w) > 1 and w not in STOP_WORDS]


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations, initials and times inside them.

    A full stop after a title ("Gov.", "Mt.") or a single initial ("John F.") never ends a sentence;
    after an abbreviation that may end one ("U.S.", "p.m.", "Mo.", "Jan.", "Inc.") it does only when
    the next word is one that opens sentences ("The", "He", "But"), not a name or a number.
    """
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        mark = match.group(1)
        if mark.startswith(".") and not _ends_sentence(text[start: match.start()], text[match.end():]):
            continue
        pieces.append(text[start: match.end(1)].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]


def _ends_sentence(before: str, after: str) -> bool:
    """Whether the full stop that closes ``before`` ends a sentence, given the text ``after`` it."""
    parts = before.rsplit(None, 1)
    if not parts:
        return False
    word = parts[-1].lstrip("\"'\u201c\u2018([")
    if word.endswith(".."):
        return True  # an ellipsis, not an abbreviation
    # "Minneapolis-St. Paul": the abbreviation is the part after the hyphen.
    stem = re.split(r"[-\u2013\u2014/]", word.rstrip("."))[-1]
    lower = stem.lower()
    capital = stem[:1].isupper()
    if capital and lower in _TITLES:
        return False
    if lower in _NUMBER_ABBREVIATIONS and re.match(r"[(\[]?\d", after):
        return False
    following = re.match(r"[\"'\u201c\u2018(\[]*([A-Za-z]+)", after)
    opens_sentence = bool(following) and following.group(1).lower() in _STARTERS
    if len(stem) == 1 and stem.isalpha():
        # "John F. Kennedy", "A. A. Milne": an initial goes on unless a word that opens sentences follows.
        return opens_sentence and len(following.group(1)) > 1
    if ((capital and lower in _CAPITAL_ABBREVIATIONS) or lower in _LOWER_ABBREVIATIONS
            or _INITIALISM.fullmatch(stem)):
        return opens_sentence
    return True


def ends_with_abbreviation(text: str) -> bool:
    """``text`` ends in an abbreviation or initials whose full stop is part of it ("& Co.", "the U.S.")."""
    parts = text.rstrip().rsplit(None, 1)
    if not parts or not parts[-1].endswith("."):
        return False
    stem = re.split(r"[-\u2013\u2014/]", parts[-1].rstrip(".").lstrip("\"'\u201c\u2018(["))[-1]
    lower = stem.lower()
    capital = stem[:1].isupper()
    return bool((capital and (lower in _TITLES or lower in _CAPITAL_ABBREVIATIONS)) or lower in _LOWER_ABBREVIATIONS
                or _INITIALISM.fullmatch(stem) or (len(stem) == 1 and stem.isupper()))
