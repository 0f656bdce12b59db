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
from collections.abc import Sequence
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
_ASCII_SEPARATORS = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum()})
# A token as written: letters and digits, with inner apostrophes and hyphens ("Jong-un", "don't").
_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# A candidate sentence end: . ! ? or an ellipsis (with closing quotes/brackets) before whitespace and an
# opening quote or bracket, a digit or a capital letter. Whether it is one depends on the word before it.
_SENTENCE_END = re.compile(
    r"((?:[.!?]|\u2026)[\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]*[A-Z0-9])"
    # ... or glued, with no space, as pages joined from separate lines often are ("blue jeans.Anyone with",
    # 'said."He was', "tag 173GPS.On Tuesday"): only after two letters or digits (no initial: "U.S.Army",
    # "p.m.") and before a word in lower case after its capital (not "ASP.NET", "v4.2", "Node.js").
    r"|(?<=[A-Za-z0-9][A-Za-z0-9])([.!?][\"'\u201d\u2019)\]]*)(?=[\"'\u201c\u2018]?[A-Z][a-z])")
# The name of a top-level domain after a glued full stop ("Amazon.Com"): a web address, not two sentences.
_DOMAIN_ENDINGS = frozenset("com org net gov edu info biz".split())
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


_DASH = r"(?:--?|–|—|:)"
_CREDIT_IN_BRACKETS = r"(?:\([A-Z][\w .&/'’-]{0,30}\)|/[A-Z][\w .&-]{1,30}/)"
# Datelines: "CARSON CITY —", "NEW ORLEANS (Reuters) -", "CHICAGO, Nov. 30, 2018 /PRNewswire/ --",
# "Washington (CNN) --", "(CNN)", "Dec 17 (Reuters) -", "JAKARTA/PANGKALAN BUN, Indonesia ...", "— A ...".
DATELINE = re.compile(
    rf"^\s*(?:"
    rf"[A-Z][A-Z.'’/&-]*(?:\s+[A-Z][A-Z.'’/&-]*)*(?:,\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*){{0,2}})?"
    rf"(?:,\s+[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}}(?:,\s+\d{{4}})?)?\s*{_CREDIT_IN_BRACKETS}?\s*{_DASH}\s+"
    rf"|[A-Z][\w.'’]+(?:\s+[A-Z][\w.'’]+){{0,2}}(?:,\s+[A-Z][\w.]+)?\s*{_CREDIT_IN_BRACKETS}\s*{_DASH}?\s+"
    rf"|[A-Z][\w.'’]+(?:\s+[A-Z][\w.'’]+){{0,2}},\s+[A-Z]{{2,4}}\.?\s*{_DASH}\s+"
    rf"|{_CREDIT_IN_BRACKETS}\s*{_DASH}?\s*"
    rf"|[A-Z][a-z]{{2,8}}\.?\s+\d{{1,2}}\s*{_CREDIT_IN_BRACKETS}\s*{_DASH}\s+"
    rf"|[A-Z]{{2,}}[A-Z/ .'’-]*,\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?=[A-Z][a-z])"
    rf"|{_DASH}\s*"
    rf")"
)


def without_dateline(sentence: str) -> str:
    """``sentence`` without the dateline that opens it ("CARSON CITY — Former ..." -> "Former ..."); unchanged when
    what would be left does not open as a sentence does (with a capital, a digit or a quote mark)."""
    rest = DATELINE.sub("", sentence, count=1).strip()
    return rest if rest != sentence.strip() and rest[:1] and (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"“‘'") \
        else sentence


def typographic(text: str) -> str:
    """Unify Unicode forms, quote marks, dashes and odd spaces; keep case and punctuation."""
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATE)


def normalise_uncached(text: str) -> str:
    """Plain comparable form: typographic marks unified, lower case, punctuation and hyphens to single spaces.

    "“Jean-Luc Picard”" and '"Jean Luc Picard"' both become "jean luc picard".
    """
    if text.isascii():
        # Most text: every ASCII character but a letter or a digit is a separator ([\W_] in ASCII), and a 1:1
        # ASCII table runs translate's fast path; with split and join ~3x cheaper than the regex below.
        return " ".join(text.lower().translate(_ASCII_SEPARATORS).split())
    text = text.translate(_TRANSLATE)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    return _NON_WORD.sub(" ", text.lower()).strip()


# Cached for callers that compare the same strings many times (the rapidfuzz ``processor``).
normalise = lru_cache(maxsize=65536)(normalise_uncached)


def words(text: str) -> list[str]:
    """Lower-case word tokens of ``text`` (after ``normalise``), for comparing texts."""
    return normalise(text).split()  # a normal form is words and single spaces


def tokens(text: str) -> list[str]:
    """Word tokens as written (case and inner hyphens kept), for counting and showing words."""
    return list(_tokens_of(text))  # a fresh list each call: a caller may change it


# The cleaning rules ask for one paragraph's tokens four times in a row (each rule counts its words):
# the regex runs once per text, a copy of the tuple is ~10x cheaper. A small cache: the repeats are close.
@lru_cache(maxsize=256)
def _tokens_of(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text))


def content_words(text: str) -> list[str]:
    """Words of ``text`` that carry topic: no stopwords, no one-letter tokens."""
    return normalised_content_words(normalise(text))


def normalised_content_words(normalised: str) -> list[str]:
    """``content_words`` of a text from its ``normalise`` form, for a caller that holds that form already."""
    # A normal form is words and single spaces, so its words are what split() gives (~3x cheaper than findall).
    return [w for w in normalised.split() if len(w) > 1 and w not in STOP_WORDS]


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping abbreviations, initials and times inside them.

    A full stop after a title ("Gov.", "Mt.") or a single initial ("John F.") never ends a sentence;
    after an abbreviation that may end one ("U.S.", "p.m.", "Mo.", "Jan.", "Inc.") it does only when
    the next word is one that opens sentences ("The", "He", "But"), not a name or a number.
    """
    return list(_split_sentences(text))


@lru_cache(maxsize=65536)
def _split_sentences(text: str) -> tuple[str, ...]:
    # Memoised: cluster, select and compose each split the same paragraphs again (80k splits of a
    # 1,000-article run); a tuple, so that no caller can change the cached answer.
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        glued = match.group(1) is None
        mark = match.group(2) if glued else match.group(1)
        after = text[match.end():]
        if glued and re.match(r"[\"'\u201c\u2018]?([A-Za-z]+)", after).group(1).lower() in _DOMAIN_ENDINGS:
            continue
        if mark.startswith(".") and not _ends_sentence(text[start: match.start()], after):
            continue
        end = match.end(2 if glued else 1)
        if glued and '"' in mark:
            # A straight mark glued between two sentences either closes a quote or opens the next one:
            # with no quote open in this sentence it opens ('custody."He was' -> 'custody.' + '"He was').
            at = match.start(2) + mark.index('"')
            if text.count('"', start, at) % 2 == 0:
                end = at
        pieces.append(text[start:end].strip())
        start = end if end < match.end() else match.end()
    pieces.append(text[start:].strip())
    return tuple(p for p in pieces if p)


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


# --- patterns with a literal prefilter ----------------------------------------------------
# Python's re tries an alternation of cue phrases at every position of a paragraph (0.1 ms a paragraph
# for the cleaning rules, most of the clean stage). Nearly every paragraph holds none of the literal
# pieces such a pattern needs: one Aho-Corasick pass over the paragraph finds which of the literals of
# *all* prefiltered patterns it holds (~12x cheaper than an ``in`` test per literal and pattern), and
# only the patterns with one of theirs present run. Text whose lower case could hide a match of an
# ASCII letter under re.IGNORECASE (sre folds these to ASCII letters, ``str.lower`` does not): such
# text always runs the pattern.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f")


class _LiteralIndex:
    """The literals of every prefiltered pattern of one kind (matched in lower case, or as written), and which
    of them a text holds: one automaton over all of them, rebuilt when a pattern adds new ones."""

    def __init__(self, lowered: bool):
        self.lowered = lowered
        self.ids: dict[str, int] = {}
        self._automaton = None  # built on first use, after the modules have compiled their patterns
        # The last text asked about and the literal ids it holds: the rules ask many patterns about one
        # paragraph in a row. One tuple, replaced whole: thread-safe.
        self.last: tuple[str | None, frozenset[int] | None] = (None, None)

    def add(self, literals: tuple[str, ...]) -> frozenset[int]:
        """Register ``literals``; their ids."""
        fresh = [literal for literal in literals if literal not in self.ids]
        for literal in fresh:
            self.ids[literal] = len(self.ids)
        if fresh:
            self._automaton = None
        return frozenset(self.ids[literal] for literal in literals)

    def held(self, text: str) -> frozenset[int] | None:
        """The ids of the literals ``text`` holds; None when its lower case could hide a match."""
        last = self.last
        if last[0] is text:
            return last[1]
        found: frozenset[int] | None
        if self.lowered and not text.isascii() and any(c in text for c in _FOLDS_TO_ASCII):
            found = None
        else:
            automaton = self._automaton or self._build()
            found = frozenset(index for index, _start, _end in automaton.find_matches_as_indexes(
                text.lower() if self.lowered else text, overlapping=True))
        self.last = (text, found)
        return found

    def _build(self):
        import ahocorasick_rs

        # ids are positions in insertion order, which is the order the automaton numbers its patterns in
        automaton = ahocorasick_rs.AhoCorasick(list(self.ids), matchkind=ahocorasick_rs.MatchKind.Standard)
        self._automaton = automaton
        return automaton


_LOWERED_LITERALS = _LiteralIndex(lowered=True)
_WRITTEN_LITERALS = _LiteralIndex(lowered=False)


class Prefiltered:
    """A compiled pattern that skips the regex engine when the text lacks every literal a match needs.

    The literals are read from the pattern's parse tree (``required_literals``), so the results
    of ``search``, ``match``, ``fullmatch``, ``findall``, ``finditer``, ``sub`` and ``split`` are
    the pattern's own; anything else is the pattern's attribute.
    """

    __slots__ = ("pattern", "literals", "_index", "_ids")

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.literals = required_literals(pattern)
        self._index = _LOWERED_LITERALS if pattern.flags & re.IGNORECASE else _WRITTEN_LITERALS
        self._ids = self._index.add(self.literals) if self.literals else frozenset()

    def could_match(self, text: str) -> bool:
        """False only when no match is possible: ``text`` holds none of the required literals."""
        if self.literals is None:
            return True
        last = self._index.last  # the rules ask many patterns about one text in a row: no call for those
        held = last[1] if last[0] is text else self._index.held(text)
        return held is None or not self._ids.isdisjoint(held)

    def search(self, text: str, *args):
        # could_match inlined: search is asked of nearly every paragraph by many patterns
        if self.literals is not None:
            last = self._index.last
            held = last[1] if last[0] is text else self._index.held(text)
            if held is not None and self._ids.isdisjoint(held):
                return None
        return self.pattern.search(text, *args)

    def match(self, text: str, *args):
        return self.pattern.match(text, *args) if self.could_match(text) else None

    def fullmatch(self, text: str, *args):
        return self.pattern.fullmatch(text, *args) if self.could_match(text) else None

    def findall(self, text: str, *args):
        return self.pattern.findall(text, *args) if self.could_match(text) else []

    def finditer(self, text: str, *args):
        return self.pattern.finditer(text, *args) if self.could_match(text) else iter(())

    def sub(self, repl, text: str, count: int = 0):
        return self.pattern.sub(repl, text, count) if self.could_match(text) else text

    def split(self, text: str, maxsplit: int = 0):
        return self.pattern.split(text, maxsplit) if self.could_match(text) else [text]

    def __getattr__(self, name: str):
        return getattr(self.pattern, name)


def prefiltered(pattern: str | re.Pattern, flags: int = 0) -> Prefiltered:
    """``re.compile(pattern, flags)`` behind a literal prefilter (see ``Prefiltered``)."""
    return Prefiltered(pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags))


class AnyOf:
    """Patterns asked one question: does any of them match? Each branch of a long alternation kept apart.

    A single regex of many branches tries every branch at every position of the text, and the engine's
    fast scan for a leading literal no longer applies; apart, each branch scans for its own literal and
    skips the regex engine when the text lacks the literals it needs (``Prefiltered``). ``search``
    gives a match of the first branch that matches, not the leftmost match: for yes-or-no questions.
    """

    __slots__ = ("branches", "_index", "_ids")

    def __init__(self, branches: Sequence[str], flags: int = 0):
        self.branches = tuple(prefiltered(branch, flags) for branch in branches)
        # Every branch needs a literal of one index: a text holding none of their literals matches no branch,
        # found with one look-up instead of one call per branch (most paragraphs are no credit line).
        indexes = {id(branch._index) for branch in self.branches}
        if self.branches and len(indexes) == 1 and all(branch.literals for branch in self.branches):
            self._index = self.branches[0]._index
            self._ids = frozenset().union(*(branch._ids for branch in self.branches))
        else:
            self._index, self._ids = None, frozenset()

    def search(self, text: str) -> re.Match | None:
        index = self._index
        if index is not None:
            last = index.last
            held = last[1] if last[0] is text else index.held(text)
            if held is not None and self._ids.isdisjoint(held):
                return None
        for branch in self.branches:
            found = branch.search(text)
            if found:
                return found
        return None


def required_literals(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Strings one of which every match of ``pattern`` contains (lower case under re.IGNORECASE), or None.

    Read from sre's parse tree: a sequence needs what one of its items needs (the item with the
    longest shortest literal is taken), an alternation what any of its branches needs, a repeat
    what its item needs if it repeats at least once. Under re.IGNORECASE only ASCII letters and
    characters without case take part. None when some match needs no literal (or the tree is not
    understood): then every text runs the pattern.
    """
    try:
        from re import _constants as c, _parser as parser  # the stdlib's own regex parser (3.11+)

        tree = parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # another Python's internals: no prefilter, same results
        return None
    folded = bool(pattern.flags & re.IGNORECASE)

    def fold(text: str) -> str:
        return text.lower() if folded else text

    def usable(code: int) -> bool:
        char = chr(code)
        return not folded or char.isascii() or (char.lower() == char == char.upper())

    def exact(op, arg) -> frozenset[str] | None:
        """Every string the item can match, when that is a short list of literals; else None."""
        if op is c.LITERAL:
            return frozenset([fold(chr(arg))]) if usable(arg) else None
        if op is c.IN:
            ok = all(kind is c.LITERAL and usable(code) for kind, code in arg)
            return frozenset(fold(chr(code)) for _kind, code in arg) if ok else None
        if op is c.SUBPATTERN and not (arg[1] or arg[2]):
            return sequence_exact(arg[3])
        if op is c.BRANCH:
            parts = [sequence_exact(branch) for branch in arg[1]]
            return None if any(p is None for p in parts) else _bounded(frozenset().union(*parts))
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and arg[:2] == (0, 1):
            inner = sequence_exact(arg[2])
            return None if inner is None else inner | {""}
        return None

    def sequence_exact(items) -> frozenset[str] | None:
        strings = frozenset([""])
        for op, arg in items:
            part = exact(op, arg)
            strings = None if part is None else _bounded(frozenset(a + b for a in strings for b in part))
            if strings is None:
                return None
        return strings

    def needs(items) -> frozenset[str] | None:
        best: frozenset[str] | None = None
        run = frozenset([""])  # the strings the current stretch of exact items can match

        def offer(found: frozenset[str] | None) -> None:
            nonlocal best
            if found and "" not in found and (best is None or _strength(found) > _strength(best)):
                best = found

        for op, arg in items:
            part = exact(op, arg)
            if part is not None:
                joined = _bounded(frozenset(a + b for a in run for b in part))
                if joined is not None:
                    run = joined
                    continue
                offer(run)  # too many strings: what came so far is one requirement, the item starts another
                run = part
                continue
            offer(run)
            run = frozenset([""])
            if op is c.SUBPATTERN:
                offer(needs(arg[3]) if not (arg[1] or arg[2]) else None)
            elif op is c.BRANCH:
                parts = [needs(branch) for branch in arg[1]]
                offer(None if any(p is None for p in parts) else frozenset().union(*parts))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
                offer(needs(arg[2]) if arg[0] >= 1 else None)
            elif op is getattr(c, "ATOMIC_GROUP", None):
                offer(needs(arg))
            # anything else (classes, anchors, look-arounds, back references) needs no literal of its own
        offer(run)
        return best

    try:
        found = needs(list(tree))
    except Exception:
        return None
    if not found:
        return None
    # A literal that holds another of the set adds nothing: the shorter one is found whenever it is.
    return tuple(sorted(s for s in found if not any(t != s and t in s for t in found)))


_MAX_EXACT = 64  # strings an exact stretch of a pattern may stand for before it is cut


def _bounded(strings: frozenset[str]) -> frozenset[str] | None:
    return strings if len(strings) <= _MAX_EXACT else None


def _strength(literals: frozenset[str]) -> tuple[int, int]:
    """How well a set of literals rules texts out: its shortest literal long, and few of them."""
    return (min(len(s) for s in literals), -len(literals))


# Somebody's own words without quotation marks: first person singular anywhere, plural as the sentence's subject
# ("I never expected to stay", "Our hearts are with the family"): an interview transcript, a column, a letter or a
# post, whose speaker the sentence does not name.
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")
# Past forms of common irregular verbs ("stood", "held"): what a past-tense sentence holds when no "-ed" word does.
IRREGULAR_PAST = frozenset("""said told was were had made took gave went came found won lost left met sent paid got
    began became fell held hit shot struck ran saw sold bought brought thought wrote spoke chose rose led fled broke
    drove flew grew knew threw wore stole sank spent stood sat caught taught fought kept built dealt meant felt laid
    rang sang drew forgot hid bit beat bound dug fed hung lit quit rode shook slid spun split spread sprang stuck swore
    swept swung tore woke wept withdrew overtook upheld sought put set cut let heard did ate drank froze knelt lent
    overcame rebuilt rewrote shone sped understood undertook underwent withheld""".split())

_FIRST_PERSON_SINGULAR = frozenset("i i'm i’m i've i’ve i'd i’d i'll i’ll me my mine myself".split())
_PERSON_WORD = re.compile(r"[\w'’]+")
_WORD_BEFORE = re.compile(r"([\w'’]+) $")  # the word just before a position, one space between
# ... also after a short opening phrase and its comma: "In fact, we've gathered ...", "Guys, we may not ...".
_FIRST_PERSON_OPENING = re.compile(
    r"^\W*(?:(?:so|but|and|now|then|still|yet),?\s+|(?:[\w'’-]+\s+){0,3}[\w'’-]+,\s+)?"
    r"(?:we|we['’](?:re|ve|d|ll)|our|ours)\b", re.I)  # (not "us": "US officials said", "Us Weekly" open sentences)


_SECOND_PERSON = re.compile(r"\b(?:you|your|yours|yourself|you['’](?:re|ve|ll|d))\b", re.I)


def addresses_the_reader(text: str) -> bool:
    """Outside its quotation marks the sentence speaks to "you" ("If you thought the new phone was invasive,
    ..."): the writer addressing the reader, neither a fact nor a headline."""
    return bool(_SECOND_PERSON.search(_QUOTED.sub(" ", text.replace("''", '"'))))


def in_first_person(text: str) -> bool:
    """Outside its quotation marks the sentence speaks as "I" (or opens with "We"/"Our"): a speaker's words the
    sentence does not attribute. A roman "I" after a capitalised word ("World War I") is no pronoun."""
    plain = _QUOTED.sub(" ", text.replace("''", '"'))  # '' is a double mark in some outlets
    if _FIRST_PERSON_OPENING.match(plain):
        return True
    for match in _PERSON_WORD.finditer(plain):
        word = match.group()
        folded = word.lower()
        if folded not in _FIRST_PERSON_SINGULAR or (folded[0] == "m" and word.isupper()):
            continue  # "ME" (Maine) and "MY" are postal codes
        if folded == "i":
            # Roman only right after a capitalised word, with nothing between: "War I", not "Tommen, I" nor
            # "Technically I" (an adverb) nor "Then I" (a function word).
            before = _WORD_BEFORE.search(plain, max(0, match.start() - 40), match.start())  # a bounded look back
            roman = bool(before) and before.group(1)[:1].isupper() and not before.group(1).isupper() and (
                before.group(1).lower() not in STOP_WORDS and not before.group(1).endswith("ly"))
            if word != "I" or roman:
                continue
        return True
    return False


# A token that does not open its line or sentence: the one before it ends in no '.', '!' or '?'.
_INNER_TOKEN = re.compile(r"(?<=[^\s.!?])[^\S\n]+(\S+)")
_EDGE_PUNCTUATION = "\"“”‘’'(),.:;!?"
# The same tokens less their leading edge punctuation, only those that can open with a capital: one that
# opens with an ASCII lower-case letter or a digit is never a name, and most words do (the regex drops
# them, not Python). Possessive: a token of edge punctuation alone is not given back to the group.
_INNER_CAPITAL = re.compile(r"(?<=[^\s.!?])[^\S\n]+[\"“”‘’'(),.:;!?]*+(?![a-z0-9])(\S+)")


def name_words(text: str) -> set[str]:
    """Content words written capitalised inside a sentence (not as its first word): names, as a cue.

    Words in capitals throughout (headings, acronyms) are left out: a heading in capitals is no name.
    """
    inner = (token.rstrip(_EDGE_PUNCTUATION) for token in _INNER_CAPITAL.findall(text))
    return set(content_words(" ".join(t for t in inner if t[:1].isupper() and not t.isupper())))


def _name_words_by_every_token(text: str) -> set[str]:
    """``name_words`` as first written, token by token (the tests hold the two equal)."""
    inner = (token.strip(_EDGE_PUNCTUATION) for token in _INNER_TOKEN.findall(text))
    return set(content_words(" ".join(t for t in inner if t[:1].isupper() and not t.isupper())))
