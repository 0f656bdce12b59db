"""Small text helpers shared by the stages: tokens, function words, sentence splits."""

from __future__ import annotations

import re
import unicodedata

# English function words (jusText's stop-list idea); used to tell prose from page furniture.
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say told according since however while though
    than may might must shall""".split()
)

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*", re.UNICODE)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                         "–": "-", "—": "-", "\u00a0": " "})
# A sentence ends at . ! ? (optionally followed by a closing quote) before a capital or an opening quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Sgt|St|Jr|Sr|U\.S|U\.K|No|Gov|Sen|Rep|Inc|Corp|Co|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.$")


def words(text: str) -> list[str]:
    """The word tokens of ``text`` (letters and digits, with inner apostrophes and hyphens)."""
    return _WORD.findall(text)


def content_words(text: str) -> list[str]:
    """Lower-cased tokens that are not function words."""
    return [w for w in (t.lower() for t in words(text)) if w not in STOP_WORDS]


def normalise_for_compare(text: str) -> str:
    """Fold case, quote marks, dashes, accents and spacing so that variants of one text compare equal."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[-']", " ", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def fold_quotes(text: str) -> str:
    """Replace typographic quote marks and dashes with their ASCII forms."""
    return text.translate(_QUOTES)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations such as "Mr." inside one."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATIONS.search(text[start:match.start()]):
            continue
        piece = text[start:match.end()].strip()
        if piece:
            pieces.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces
