"""Text normalisation and tokenising shared by the stages that compare text.

Outlets print the same words with different typography: curly or straight
quotes, en or em dashes, "Kim Jong-un" or "Kim Jong Un". ``normalise`` maps all
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
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before
# whitespace and an opening quote, bracket, digit or capital letter.
_SENTENCE_END = re.compile(r"([.!?][\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]*[A-Z0-9])")
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen col lt sgt capt gov sen rep st jr sr inc ltd co corp vs etc u.s u.k e.g i.e"
    " jan feb mar apr jun jul aug sep sept oct nov dec".split()
)

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

    "“Kim Jong-un”" and '"Kim Jong Un"' both become "kim jong un".
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
    """Split a paragraph into sentences with a conservative rule (no split after "Mr." or "U.S.")."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()]
        last_word = before.rsplit(None, 1)[-1].rstrip(".").lower() if before.split() else ""
        abbreviation = last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha())
        if abbreviation and match.group(1).startswith("."):
            continue
        pieces.append(text[start : match.end(1)].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p for p in pieces if p]
