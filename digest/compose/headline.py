"""A story's headline: the most widely shared title, else a lede sentence written as a headline.

A title is tidied (a site's name after "|" or a dash, a box label in front) and a sentence is
written as a headline (its dateline, a closing attribution and, when long, its trailing clauses
taken off; never cut with "…"). Either is refused when it is not a headline at all: page furniture
(a caption, a credit, a widget, a notice: ``digest.clean.furniture_line_reason``), a line cut off
with "…", a quote or bracket left open, a banner in capitals, a fragment, an editor's update note.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from digest.clean import furniture_line_reason
from digest.clean.captions import strip_label
from digest.select import opens_with_reference
from digest.text import DATELINE, IRREGULAR_PAST, STOP_WORDS, addresses_the_reader, ends_with_abbreviation, in_first_person, normalise, tokens, without_dateline

MAX_WORDS = 22  # a headline longer than this is cut at a clause boundary, or another sentence is used
MIN_WORDS = 4

# "... – TechCrunch", "... | Reuters", "... - nytimes.com": a site's name after a separator.
_SITE_SUFFIX = re.compile(
    r"\s+(?:\||–|—|-|::|·)\s+(?:[A-Z][\w.&'’!]*(?:\s+(?:[A-Z][\w.&'’!]*|of|the|and|&)){0,4}|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,4})\s*$"
)
# ", officials said." / ", according to the agency." / ", two people familiar with the talks said." / ", said Jo Roe."
_ATTRIBUTION_TAIL = re.compile(
    r",\s+(?:(?:[\w.'’-]+\s+){0,6}(?:said|says|say|reported|reports|announced|told\s+[\w .'’-]{2,40})"
    r"|according\s+to\s+[^,]{2,60}"
    # inverted: ", said Rep. Jo Roe, the top Democrat on the committee."
    r"|(?:said|says|told\s+reporters)\s+(?:[A-Z][\w.'’-]*\s*){1,5}(?:,\s+[^,\"“”]{2,60})?)\s*[.!]?\s*$"
)
# Where a long sentence may be cut and still read as a headline.
_CLAUSE_BREAK = re.compile(
    r",\s+(?=(?:as|while|after|when|because|though|although|which|who|whose|where|but|saying|amid|despite|"
    r"before|following|according|even|in a|in what|leaving|prompting|sparking|marking|days|hours|weeks)\b)"
    r"|\s+[–—]\s+|;\s+|\s+--\s+"
    r"|\s+(?=(?:after|while|because|amid|despite|when)\s)"
)
# A lede may also be cut before a second verb phrase of its subject ("... Bush led the U.S. to victory in the Gulf
# War | and presided over ...") and before a participle phrase (", replacing its hosts with ...", ", killing
# three"): a lede's first predicate is the news; a later sentence's is often background ("The trial began in
# August but has been bogged down in procedural matters | , including ...").
_LEDE_BREAK = re.compile(
    r"\s+(?=and\s+(?!(?:was|were|is|are|had|has|have)\b)[a-z]{3,}ed\s+(?:over|the|a|an|his|her|their|its|to|in|on|for|with|that|him|them)\b)"
    r"|,\s+(?=(?!during\b|including\b)[a-z]{3,}ing\b(?!\s+(?:to|of)\b))")
# ", less than an hour after ...", ", two days before ...": the time from the event before the comma.
_SPAN_AFTER = (r"(?:(?:less|more|just|only|about|nearly|barely|almost|some|roughly)\s+(?:than\s+)?)?"
               r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|\d+)\s+"
               r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+(?:after|before|since|into)\b")
_CLAUSE_BREAK = re.compile(_CLAUSE_BREAK.pattern + r"|,\s+(?=" + _SPAN_AFTER + ")")
_COMMA_IN_QUOTE = re.compile(r",([\"”’])(?=\s)")
# Where the last resort may also cut: before an "as" clause with its own subject, and a participle phrase.
_LOOSE_BREAK = re.compile(
    r"\s+(?=as\s+(?:the|a|an|his|her|their|its|[A-Z][a-z]+)\s)"
    r"|\s+(?=(?:suspected|accused|charged|convicted|believed|thought)\s+(?:of|to|in|with)\b)"
)
# "Monday, a judge ...", "On Tuesday morning, police ...": when, said first; a headline starts with who did what.
_OPENING_WHEN = re.compile(
    r"^(?:(?:On|Late|Early|Earlier|Later)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?,\s+"
    r"(?=[A-Za-z])(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d)")
# A link to the sentence before ("But for Republicans, ...", "First, the word ..."): a headline stands alone,
# so the link goes ("So far", "First Lady" are no links).
_OPENING_LINK = re.compile(
    r"^(?:(?:But|And|Yet|So(?!\s+(?:far|much|many|long|that)\b))\s+"
    r"|(?:Still|However|Meanwhile|Also|Instead|Moreover|First|Second|Third|Finally|In fact|Indeed),\s+)(?=[A-Za-z])")
# " — described as white, in her 20s — ", " -- he's retired from the firm -- ": a pair of like dashes.
_DASHED_ASIDE = re.compile(r"\s+(—|–|--)\s+[^—–]{1,120}?\s+\1\s+")
# ', which began its run in 1990,' closed by a comma before the rest of its sentence (a lower-case word follows).
_EMBEDDED_WHICH = re.compile(r"(?<=[\w\"”’)]),\s+which\s+[^,;:\"“”()—–]{3,80}?,(?=\s+[a-z])")
# A pronoun speaking after a quotation leans on the sentence before: '“Look who I spotted ...” she wrote'.
_PRONOUN_SPEAKER = re.compile(r"[”\"]\s*,?\s*(?:he|she|they)\s+(?:said|says|wrote|writes|told|tells|added|adds|tweeted|posted)\b")
# "Jo and Ann Roe, HGTV's builders, have agreed": a name opening the sentence, a description, then the verb.
_NAMED_APPOSITION = re.compile(
    r"^((?:[A-Z][\w.'’-]*\s+(?:and\s+)?){0,4}[A-Z][\w'’-]*[\w]),\s+(?!(?:who|which|whose|where|when)\b)[^,;:\"“”()]{3,70}?,\s+"
    r"(?=(?:has|have|had|was|were|is|are|will|would|could|can|also|now|[a-z]{3,}ed|said|says|told|took|made|won|lost)\b)")
_SUBORDINATE_OPENING = re.compile(r"^\W*(?:after|when|while|as|because|although|though|if|since|before|until|once)\b", re.I)
# "August 1974, speaking to the president ...", "18 August, 1988, during his speech.": the note that dates a
# quotation in a list of them; no one does anything in it.
_DATE_NOTE = re.compile(
    r"^\W*(?:\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?:\s+\d{1,2})?,?(?:\s+\d{4})?,\s+[a-z]")
_EDITORS_NOTE = re.compile(r"^\W*(?:update[ds]?|correction|clarification|editor'?s note)\b", re.I)


def tidy_title(title: str) -> str:
    """A title as a headline: one line, no site name after a separator, no box label in front."""
    title = re.sub(r"\s+", " ", title).strip()
    head = _SITE_SUFFIX.sub("", title)
    if len(tokens(head)) >= MIN_WORDS:
        title = head
    return strip_label(title).strip()


def headline_problem(text: str, *, sentence: bool = False, leaning: bool = False) -> str | None:
    """Why ``text`` cannot be a headline, or None. ``sentence``: it comes from a lede, so it must read as one;
    ``leaning``: one that leans on an earlier sentence ("But ...") may do, when no lede stands alone."""
    stripped = text.strip()
    words = tokens(stripped)
    if len(words) < MIN_WORDS:
        return "too short for a headline"
    furniture = furniture_line_reason(stripped)
    if furniture:
        return furniture
    if re.search(r"(?:…|\.\.\.)\s*$|^\s*(?:…|\.\.\.)", stripped):
        return "cut off"
    folded = stripped.replace("“", '"').replace("”", '"')
    if folded.count('"') % 2 or stripped.count("(") != stripped.count(")") or stripped.count("[") != stripped.count("]"):
        return "a quote or bracket left open"
    letters = [w for w in re.findall(r"[A-Za-z]+", stripped) if len(w) > 1]
    if len(letters) >= 3 and all(w.isupper() for w in letters):
        return "a banner in capitals"
    if _EDITORS_NOTE.match(stripped):
        return "an editor's note"
    if sentence:
        if not re.match(r"[\"'“‘(]?[A-Z0-9]", stripped):
            return "does not open as a sentence"
        if is_date_note(stripped):
            return "a date and what follows it, with no one doing anything (a note under a quotation)"
        if not any(w.islower() and w.lower() not in STOP_WORDS for w in words):
            return "no word but names and numbers (a caption or a label)"
        unquoted = _QUOTED_WORDS.sub(" ", folded.replace("''", '"'))  # '' is a double mark in some outlets
        if unquoted.rstrip(" \"'’)").endswith("?"):
            return "a question (a feature's hook, not what happened)"
        if in_first_person(stripped) or addresses_the_reader(stripped):
            return "the writer speaking to the reader or of themself (a column or a hook)"
        if not leaning and (opens_with_reference(stripped) or _PRONOUN_SPEAKER.search(stripped)):
            return "leans on a sentence the reader has not seen (\"But ...\", \"She ...\", \"The two ...\")"
    return None


# What a sentence that reports an event holds: a past or perfect or future verb, a number, a day or a month.
# A feature's hook ("The early bird doesn't always get the worm.", "Leave it to Jo Roe to come back in style.")
# holds none of them.
_NOT_PAST = frozenset("need needed indeed speed seed breed feed proceed exceed succeed hundred red bed shed bleed "
                      "greed steed weed deed".split())
_EVENT_WORD = re.compile(
    r"\d|\b(?:will|won['’]t|has|have|had|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"tonight|january|february|march|april|june|july|august|september|october|november|december)\b", re.I)


_PERFECT = re.compile(r"\b(?:has|have|had)\s+(?:\w+ly\s+)?(?:been|[a-z]+ed|[a-z]+en)\b", re.I)


def reports_an_event(text: str, happened: bool = False) -> bool:
    """``text`` tells something that happened or will happen (a past, perfect or future verb, a number, a day or
    a month), not a feature's hook in the present ("Even if it looks like a Kit Kat, it might not be"), nor one
    speaking to the reader ("Britney will grant you three questions"). (An editor's update may report the news
    that matters most: "Update: ... was, in fact, a test.") ``happened``: only a past or perfect verb counts
    ("Jo Roe accepted the invitation to visit", not "The board will meet next spring")."""
    if addresses_the_reader(text):
        return False
    if (_PERFECT if happened else _EVENT_WORD).search(text):
        return True
    words = [w.lower() for w in re.findall(r"[A-Za-z’']+", text)]
    return any(w in IRREGULAR_PAST or (len(w) >= 5 and w.endswith("ed") and w not in _NOT_PAST) for w in words)


def is_hook_title(title: str, questions: bool = True) -> bool:
    """A title that speaks to the reader or of the writer ("... stole $12 from your pocket", "... needs our
    help!"), or (``questions``) asks a question ("What is a pseudomonas infection?"): a feature's hook."""
    plain = _QUOTED_WORDS.sub(" ", title.replace("“", '"').replace("”", '"'))
    return (questions and plain.rstrip(" \"'’)").endswith("?")) or addresses_the_reader(title) \
        or in_first_person(title) or bool(re.search(r"\b(?:our|us)\b", plain))  # (lower case: "US troops" is no "us")


def is_date_note(text: str) -> bool:
    """A date and the occasion, with no one doing anything ("August 1974, speaking to the president ..."): the
    note under a quotation in a list of them, neither a headline nor a fact."""
    return bool(_DATE_NOTE.match(text))


_QUOTED_WORDS = re.compile(r"\"[^\"]*\"")


def whole_quotations(sentences: list[str]) -> list[str]:
    """Consecutive sentences joined where a quotation runs on from one into the next, so that a headline
    never opens a quotation it does not close ("“It was bad. Nobody came,” she said." stays one)."""
    joined: list[str] = []
    pending = ""
    for sentence in sentences:
        pending = f"{pending} {sentence}".strip()
        if _open_quotes(pending) == 0:
            joined.append(pending)
            pending = ""
    if pending:
        joined.append(pending)
    return joined


def _open_quotes(text: str) -> int:
    return (text.count("“") - text.count("”")) or (text.count('"') % 2)


_SPACE_BEFORE_MARK = re.compile(r"(?<=\w)\s+(?=[,;:](?:\s|$))")


def plain_sentence(sentence: str) -> str:
    """``sentence`` without its dateline and final stop: the last resort when no sentence reads as a headline."""
    text = _SPACE_BEFORE_MARK.sub("", re.sub(r"\s+", " ", sentence).strip())
    return _drop_final_stop(DATELINE.sub("", text, count=1).strip() or text)


def headline_from_sentence(sentence: str, *, leaning: bool = False, loose: bool = False, lede: bool = False) -> str | None:
    """``sentence`` written as a headline, or None when it cannot be one (``leaning``: see ``headline_problem``).

    The dateline and a closing attribution go; a sentence longer than MAX_WORDS is cut at its last
    clause boundary that leaves a headline of 6 to MAX_WORDS words, and refused when it has none.
    ``loose`` (the last resort, when no lede of the story reads as a headline) also cuts before an "as"
    clause and a participle ("... its lead Tuesday | as Egyptians returned", "... officer | suspected of").
    ``lede``: the article's first sentence, which may also be cut before a second verb phrase of its subject
    and before a participle phrase.
    """
    # (a space before a comma is the source's typing slip: "Richard Reston , son of ...")
    text = _SPACE_BEFORE_MARK.sub("", re.sub(r"\s+", " ", sentence).strip())
    if not re.search(r"[.!?][\"”'’)\]]*\s*$", text) or re.search(r"(?:…|\.\.\.)[\"”'’)]*\s*$", text):
        return None  # a line without an end is a label, a caption or a heading; one ending in "..." is cut off
    if re.fullmatch(r"[\"“][^\"“”]+[\"”]", text):
        return None  # a quotation alone: whose words they are is not in it
    for _ in range(2):  # "WASHINGTON (AP) — (CNN) ..." has two
        text = DATELINE.sub("", text, count=1).strip()
    text = _ATTRIBUTION_TAIL.sub("", text).strip()
    for opening in (_OPENING_LINK, _OPENING_WHEN):
        found = opening.match(text)
        if found:
            text = text[found.end()].upper() + text[found.end() + 1:]
    if len(tokens(text)) > MAX_WORDS:
        # An aside between two dashes is what a long headline can lose whole: cut at its first dash,
        # the sentence would keep only its subject ("The sale to Jo Roe -- he's retired from ... -- includes").
        text = _DASHED_ASIDE.sub(" ", text)
    if len(tokens(text)) > MAX_WORDS:
        # And so is a "which" clause inside the sentence ('it took the comedy "Fresh Prince," which began its run
        # in 1990, to establish him'): cut there, the sentence would stop before its own end.
        marked = _COMMA_IN_QUOTE.sub(r"\1,", text)  # ('Bel-Air," which' is read as 'Bel-Air", which')
        without = _EMBEDDED_WHICH.sub("", marked)
        text = without if without != marked else text
    if len(tokens(text)) > MAX_WORDS:
        # (a sentence opening with a subordinate clause would keep only that clause: "After months of ...")
        loose = loose and not _SUBORDINATE_OPENING.match(text)
        cut = _cut(text, loose, lede)
        # With no clause to cut at, a description between commas after the subject's name may go ("Jo and Ann
        # Roe, the town's best-known builders, have agreed to ..."): the name and what they did are the headline.
        plain = _NAMED_APPOSITION.sub(r"\1 ", text, count=1) if cut is None else text
        if cut is None and plain != text:
            cut = plain if len(tokens(plain)) <= MAX_WORDS else _cut(plain, loose, lede)
        if cut is None:
            return None
        text = cut
    text = _drop_final_stop(text)
    return None if headline_problem(text, sentence=True, leaning=leaning) else text


def _cut(text: str, loose: bool, lede: bool) -> str | None:
    """``text`` cut at its last clause boundary that leaves a headline (see ``headline_from_sentence``), or None."""
    # A comma inside a closing quotation mark ('is "modern," less than') is found as if outside it, so the
    # mark stays with the words it closes; both spellings are as long, so positions hold for ``text``.
    marked = _COMMA_IN_QUOTE.sub(r"\1,", text)
    breaks = [*_CLAUSE_BREAK.finditer(marked), *(_LOOSE_BREAK.finditer(marked) if loose else ()),
              *(_LEDE_BREAK.finditer(marked) if lede else ())]
    cuts = sorted(m.start() for m in breaks
                  if _reads_whole(marked[: m.start()]) and not _completes_a_noun(marked[: m.start()], marked[m.start():])
                  and not _inside_relative_subject(marked[: m.start()], marked[m.start():]))
    if not cuts:
        return None
    return marked[: cuts[-1]] if marked[cuts[-1]] == "," else text[: cuts[-1]]


def _drop_final_stop(text: str) -> str:
    """Headlines end without a full stop, except one that belongs to an abbreviation ("... & Co.", "U.S.")."""
    text = text.rstrip(" ,;:")
    if text.endswith(".") and not text.endswith("..") and ends_with_abbreviation(text):
        return text
    return text.rstrip(" .,;:")


def _reads_whole(prefix: str) -> bool:
    """A sentence cut here still reads as a headline: 8 to MAX_WORDS words, not ending on a function word
    ("... three days in") nor on a clause of one or two words after a comma ("..., hours")."""
    words = tokens(prefix)
    if not 8 <= len(words) <= MAX_WORDS or words[-1].lower() in STOP_WORDS:
        return False
    if prefix.count(",") == 1 and _OPEN_APPOSITION.match(prefix):
        return False  # "Jo Roe, a former mayor who has not spoken since July": a subject and its description
    last_clause = prefix.rsplit(",", 1)[-1] if "," in prefix else prefix
    # (a name in apposition may be short: "... an appeal by the chocolate maker, Nestlé")
    return len(tokens(last_clause)) > 2 or bool(re.fullmatch(r"\s*(?:[A-Z][\w.'’-]*\s*){1,3}", last_clause))


_OPEN_APPOSITION = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w'’-]*,\s+(?:a|an|the|who|whose|which)\s")


# "A woman who was attacked by a raccoon | while running ... drowned it": a subject with its relative clause, and
# no comma yet; a subordinate word here most likely belongs to the relative clause, the main verb to what follows.
_RELATIVE_SUBJECT = re.compile(r"^\W*(?:A|An|The|One|Two|Three)\s+(?:[\w'’-]+\s+){0,3}(?:who|that)\s+[^,;:—–]*$")


def _inside_relative_subject(prefix: str, rest: str) -> bool:
    """The cut would leave a subject and its relative clause, without the sentence's verb (see _RELATIVE_SUBJECT)."""
    return bool(re.match(r"\s*(?:while|when|after|as|because|before|amid|despite)\b", rest)) \
        and bool(_RELATIVE_SUBJECT.match(prefix))


def _completes_a_noun(prefix: str, rest: str) -> bool:
    """The cut would part a noun from the "when"/"where" clause it needs ("taken up at a time | when ..."),
    or a span of time from the event it is measured from ("..., less than an hour | after accusing ...")."""
    words = tokens(prefix)
    if not words:
        return False
    last = words[-1].lower()
    return ((last in _NOUNS_A_CLAUSE_COMPLETES and bool(re.match(r"\W*(?:when|where)\b", rest)))
            or (bool(_SPAN_BEFORE_CUT.search(prefix)) and bool(re.match(r"\W*(?:after|before|since|until)\b", rest))))


_NOUNS_A_CLAUSE_COMPLETES = frozenset("time times day moment point place period stage era".split())
# "less than an hour", "two days", "shortly" (but "saving the day | after ..." is no span)
_SPAN_BEFORE_CUT = re.compile(
    r"(?:\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|several|many|\d+)\s+"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)"
    r"|\b(?:moments|shortly|soon|just|right|immediately|long))\W*$", re.I)


HELD = 95  # partial ratio at which a text holds a headline's words
MIN_HELD_CHARS = 25


def held_in(head: str, text: str) -> bool:
    """``text`` holds ``head`` nearly word for word (the sentence a headline was written from)."""
    a, b = normalise(head), normalise(text)
    return len(a) >= MIN_HELD_CHARS and len(b) >= len(a) and fuzz.partial_ratio(a, b) >= HELD
