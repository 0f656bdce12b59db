"""Clean stage: split an article into paragraphs and drop page boilerplate.

Each paragraph is judged by its own features, as jusText and trafilatura do:
its shape (length, terminal punctuation, separators), the density of function
words, cue phrases that only page furniture uses (sign-up prompts, "Read more",
"Opens in new window", photo credits), and repetition within the article.
Nothing here knows any particular site. Every dropped paragraph keeps its
reason so ``digest explain`` can show it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Sequence

from dataclasses import replace

from digest.clean.captions import ERROR_PAGE, caption_reason, is_dialog_page, is_list_label, strip_label
from digest.clean.language import ENGLISH, by_language, detect_language, language_notes, stated_language
from digest.clean.shared import FurnitureResult, SetAside, TextForms, drop_shared_furniture, mostly_furniture, text_forms
from digest.models import Article, CleanArticle, Dropped, Paragraph
from digest.settings import Settings
from digest.text import STOP_WORDS, normalise, prefiltered, tokens

# Phrases that belong to newsletter and account prompts, not to reporting.
_SIGNUP_CUES = prefiltered(
    r"\bsign(?:ing)? up\b|\bsubscribe\b|\bnewsletters?\b|\binbox\b|e-?mail address|privacy (?:notice|policy)"
    r"|terms of (?:use|service)|breaking news (?:alerts|emails)|log ?in to|create an account"
    r"|already a subscriber|unlock (?:this|unlimited)|offers, events",
    re.I,
)
# Site furniture: notices about the site itself rather than the story.
_IMPERATIVE_PROMPT = re.compile(r"^\W*(?:sign up|subscribe|get (?:our|the)|join|register|enter your)\b", re.I)
_SITE_NOTICE = prefiltered(
    r"website can (?:also )?be accessed|alternate addresses|all rights reserved|\bcopyright\b|©"
    r"|follow us on|download (?:our|the) app|click here|cookies? (?:policy|settings)"
    # the magazine selling its issue ("... pick up this week's LOOK now, or download the digital edition")
    r"|download the digital edition|pick up (?:this|next) week['’]s\b|on newsstands now"
    # a list site's widget: "Vote up the best of the worst ..."
    r"|^vote (?:up|for) (?:the|your) (?:best|worst|favou?rite)"
    r"|we use cookies|this article (?:was|has been) (?:amended|updated)|advertisement"
    r"|share this (?:article|story)|comments? (?:are|have been) closed|skip to (?:main )?content"
    r"|continue reading|recommended (?:stories|for you)|scroll (?:down|up) for (?:the )?(?:video|more|photos)"
    # a republication note: "This post originally ran in April 2013", "A version of this article appeared ..."
    r"|\bthis (?:post|story|article|piece|column|interview|essay) (?:was |has been )?(?:originally|first) "
    r"(?:ran|run|appeared|published|posted)\b|\ba version of this (?:post|story|article|piece) (?:ran|appeared|was published)\b"
    r"|\bre-?running (?:it|this (?:post|story|article|piece))\b",
    re.I,
)
# The site warning its reader before the story: "Warning: Contains spoilers for Season 6.", "Spoiler alert!",
# "Warning: this video contains graphic images". A spoiler warning is the whole paragraph: a recap's
# "Spoiler alert: the finale ended with ..." goes on to report.
_READER_ADVISORY = re.compile(
    r"^(?:(?:warning|caution|note|editor['’]s note|heads up)\s*[:!.\-–—]\s*)?"
    r"(?:(?:this|the following) (?:article|story|post|piece|review|recap|video|report|page|gallery) )?"
    r"(?:(?:contains?|includes?|has) (?:major |minor |some |plot |heavy |mild )*spoilers?"
    r"|(?:(?:major|minor|plot|mild)\s+)?spoilers?\s+(?:ahead|alert|warning|below|follow))"
    r"(?:\s+(?:for|about|from|on)\b[^.!?]{0,80})?\s*[.!:…]*\s*$"
    r"|^(?:warning|caution)\s*[:!.\-–—]\s*(?:(?:this|the following) (?:article|story|post|video|report|page|gallery) )?"
    r"(?:contains? |includes? |has |may contain )?(?:graphic|disturbing|distressing|explicit|offensive)\b",
    re.I,
)
READER_ADVISORY_WORDS = 20
# The site pointing the reader to more of its own pages: "Plus, check out our history of ...".
_SELF_PROMO = re.compile(
    r"^(?:(?:plus|also|and|meanwhile),?\s+)?(?:be sure to\s+|make sure to\s+|don'?t forget to\s+)?"
    r"(?:check out|see|read|watch|browse|take a look at|don'?t miss|click through|scroll through|view) "
    r"(?:our|more of our|all of our|the rest of our)\b"
    # "Read the updated story here.", "Watch the full video here"
    r"|^(?:read|see|watch|view|get)\s+(?:the|this)\s+(?:[\w-]+\s+){0,2}"
    r"(?:story|article|report|version|coverage|video|gallery|piece|interview|transcript)\s+here\b",
    re.I,
)
# The site selling itself: "Remember, you can buy the digital edition of the magazine for your tablet."
_SALES_PITCH = re.compile(
    r"^(?:(?:remember|plus|also|and|now|don'?t forget),?\s+)?you can (?:now |also )?(?:buy|download|subscribe to|get|order)\b[^.!?]{0,60}?"
    r"\b(?:digital edition|print edition|e-?edition|our app|the app|subscription|newsletter|magazine|podcast)\b",
    re.I,
)
_LINK_CUES = prefiltered(
    r"^(?:read more|see also|related|more on this|watch|listen|also read|read also|more:)\s*[:\-–|]"
    r"|opens in new (?:window|tab)|^\[.*\]$",
    re.I,
)
# A teaser box's call to read another page, closed by its arrow: "... Read the Aspergillosis article > >".
_READ_ON_ARROW = re.compile(r"(?:^|[.!?]\s+)(?:read|see|watch|view|continue|click|go to|more)\b[^.!?]{0,100}?(?:\s*[>»›])+\s*$",
                            re.I)
_BYLINE = re.compile(
    r"^(?:by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*\s*$"
    r"|(?:additional )?reporting by\b|writing by\b|editing by\b|compiled by\b"
    r"|[\w .'-]{0,40}\b(?:correspondent|reporter|staff writer|contributor)\s*$)",
    re.I,
)
# A broadcast's credit line: "Jo Roe reports for the Evening News at 5 on Saturday, Aug. 11, 2018."
_BROADCAST_CREDIT = re.compile(
    r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s+reports?\s+(?:for|from|on)\s+(?:the\s+)?[A-Z0-9]"
)
BROADCAST_CREDIT_MAX_WORDS = 25
_TIMESTAMP = re.compile(
    r"^(?:updated|published|posted|last updated|first published)?\s*(?::\s*)?"  # not \s*:?\s*: quadratic on spaces
    r"(?:\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?,?\s*)?"
    r"(?:\d{1,2}[-/ ](?:[A-Za-z]{3,9}|\d{1,2})[-/ ,]+\d{2,4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})"
    r"(?:\s*(?:at\s*)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*$",
    re.I,
)
# A photo credit in parentheses at the end: "(AFP via Getty Images)", "(Via Reuters)", "/Reuters)".
_PHOTO_CREDIT = re.compile(
    r"\((?=[^()]*(?:getty|image|photo|picture|via\b|/|credit|file\b|shutterstock|pool\b))[^()]{2,120}\)\s*$"
    # a media box's credit after its last sentence: "... improving literacy rates. Photo: Reuters"
    r"|(?<=[.!?\"”])\s+(?:photo|photograph|image|picture|video)s?(?:\s+credit)?\s*:\s*(?:[A-Z][\w.&'’/-]*\s*){1,5}$",
    re.I,
)
_CAPTION_CUES = prefiltered(
    r"\bin this (?:image|photo|picture|handout)|\bpictured\b|\(\s*[LRC]\s*\)|^\(?(?:cover|photo|image|file photo|caption)\s*:",
    re.I,
)
# A bare agency credit, e.g. "(AP)" after the last sentence: content, but marked.
_TRAILING_CREDIT = re.compile(
    r"(?<=[.!?\"”’])\s*(?:[-–—]\s*[A-Z][\w/]+(?:\s[A-Z][\w/]+)?|\((?:AP|AFP|Reuters|Xinhua|AP/Reuters|dpa)\))\s*$"
)
# The address is tried from a token's start only, its local part possessively: "\S+@" tried at every
# position of a long token without "@" is quadratic (80 KB: 9 s).
_LINKISH = re.compile(r"https?://|www\.|(?<!\S)[^\s@]++@\S+\.\w+|(?:^|\s)@\w+|[©ⓒ]", re.I)
_SENTENCE_MARK = re.compile(r"[.!?。！？]")
_LIST_ITEM = re.compile(r"^\s*(?:\||[-*•–]\s|\d{1,3}[.)]\s)")
_BREADCRUMB_SEP = prefiltered(r"\s+(?:/|>|»|›|\|)\s+")
_LEAD_IN = re.compile(r":\s*$")
LEAD_IN_WORDS = 16
_TERMINAL = re.compile(r"[.!?:;\"”’'»)\]…]\s*$")


# A teaser of another story under a "Latest headlines" label is a title and a sentence or two.
TEASER_WORDS = 50


def split_paragraphs(text: str) -> list[str]:
    """Split body text into paragraphs on blank lines, with whitespace folded."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    parts = re.split(r"\n\s*\n", text)
    if len(parts) == 1 and text.count("\n") >= 2:
        # No blank lines at all: the file puts one paragraph per line.
        parts = text.split("\n")
    return [" ".join(p.split()) for p in parts if p.strip()]  # str.split's whitespace is re's \s: same, cheaper


def boilerplate_reason(text: str, settings: Settings, position: int = 99) -> str | None:
    """Return why a paragraph is page furniture, or None if it reads as reporting.

    ``position`` is the paragraph's index in the article: an unterminated line at
    the top is the page's headline, not a sentence of the story.
    """
    found = tokens(text)
    n = len(found)
    if n == 0:
        return "no words"
    if _LINK_CUES.search(text) or text.rstrip()[-1:] in ">»›" and _READ_ON_ARROW.search(text):
        return "link to another page"
    furniture = caption_reason(text)
    if furniture:
        return furniture
    cues = {c.lower() for c in _SIGNUP_CUES.findall(text)}
    # One cue can be reporting ("viewers will sign up"); a prompt stacks them or opens with the call.
    if (len(cues) >= 2 and n < 80) or (cues and n < 25 and _IMPERATIVE_PROMPT.match(text)):
        return "sign-up prompt"
    if (_SITE_NOTICE.search(text) or _SELF_PROMO.match(text) or _SALES_PITCH.match(text)) and n < 60:
        return "site notice"
    if n <= READER_ADVISORY_WORDS and _READER_ADVISORY.match(text):
        return "site notice"
    if (_BYLINE.search(text) and n <= 12) or (_BROADCAST_CREDIT.match(text) and n <= BROADCAST_CREDIT_MAX_WORDS):
        return "byline or credit"
    if _TIMESTAMP.match(text):
        return "timestamp"
    segments = _BREADCRUMB_SEP.split(text)
    if (2 <= len(segments) <= 7 and not text.lstrip().startswith("|")
            and all(1 <= len(seg.split()) <= 4 and not seg.strip().isdigit() for seg in segments)):
        return "breadcrumb"
    # Captions are short; a long paragraph that opens with "Photo:" is a whole article pasted as one.
    if n <= 60 and (_CAPTION_CUES.search(text) or (_PHOTO_CREDIT.search(text) and not _is_quote_heavy(text))):
        return "photo caption"
    terminated = bool(_TERMINAL.search(without_trailing_credit(text)))
    if not terminated and position <= 2 and n <= 25:
        return "headline"
    if not terminated and n <= 14 and _LINKISH.search(text):
        return "link or contact line"
    if n > 120 and len(_SENTENCE_MARK.findall(text)) * 80 < n:
        # Prose ends a sentence every 15-40 words; a wall of text without them is a dump, not reporting.
        return "run-on text without sentence breaks"
    # (the density last: most paragraphs are terminated, and counting function words is a pass over every token)
    if n >= 8 and not terminated and not text.lstrip().startswith("|") and stop_word_density(found) < 0.08:
        return "low text density (list of links or tags)"
    return None


def furniture_line_reason(text: str) -> str | None:
    """Why one line (a title, a headline) is page furniture, by the rules that need no neighbours; else None."""
    n = len(tokens(text))
    if n == 0:
        return "no words"
    if _LINK_CUES.search(text) or text.rstrip()[-1:] in ">»›" and _READ_ON_ARROW.search(text):
        return "link to another page"
    reason = caption_reason(text)
    if reason:
        return reason
    if _SIGNUP_CUES.search(text) and n < 40:
        return "sign-up prompt"
    if (_SITE_NOTICE.search(text) or _SELF_PROMO.match(text) or _SALES_PITCH.match(text)) and n < 60:
        return "site notice"
    if ((_BYLINE.search(text) and n <= 12) or (_BROADCAST_CREDIT.match(text) and n <= BROADCAST_CREDIT_MAX_WORDS)
            or _TIMESTAMP.match(text)):
        return "byline, credit or timestamp"
    if n <= 60 and (_CAPTION_CUES.search(text) or (_PHOTO_CREDIT.search(text) and not _is_quote_heavy(text))):
        return "photo caption"
    return None


def article_tokens(text: str, paragraphs: list[str]) -> list[str]:
    """``tokens(text)``, from ``paragraphs = split_paragraphs(text)`` when that gives the same: no token spans
    the whitespace the split folds, so only text that NFC would change is tokenised whole again. The
    rules tokenise each paragraph anyway (``tokens`` keeps the last ones): one pass over the text saved."""
    if not unicodedata.is_normalized("NFC", text):
        return tokens(text)
    return [token for paragraph in paragraphs for token in tokens(paragraph)]


def stop_word_density(tokens: list[str]) -> float:
    """Share of tokens that are function words; prose sits near 0.3-0.5, link lists near 0."""
    if not tokens:
        return 0.0
    return sum(map(STOP_WORDS.__contains__, map(str.lower, tokens))) / len(tokens)


def strip_credit(text: str) -> str:
    """Remove a trailing agency credit such as "– Reuters" or "(AP)" from a content paragraph."""
    return without_trailing_credit(text).rstrip()


_CREDIT_MARKS = ("-", "–", "—", "(")


def without_trailing_credit(text: str) -> str:
    """``_TRAILING_CREDIT.sub("", text)``, with the search started where a credit can begin.

    A credit holds one dash or opening parenthesis and none follows it, so it opens with the text's last
    one, after the whitespace before it: the pattern is tried there alone, not at every character of the
    paragraph (twice per paragraph, this was a tenth of cleaning). A text with a line break (where ``$``
    has two places to match) goes through the plain substitution."""
    if "\n" in text:
        return _TRAILING_CREDIT.sub("", text)
    mark = max(map(text.rfind, _CREDIT_MARKS))
    if mark < 0:
        return text
    start = mark
    while start > 0 and text[start - 1].isspace():
        start -= 1
    found = _TRAILING_CREDIT.search(text, start)
    return text if found is None else text[: found.start()] + text[found.end():]


def clean_article(article: Article, settings: Settings) -> CleanArticle:
    """Split ``article`` into paragraphs; keep reporting, set subheadings aside, drop boilerplate with a reason."""
    raw_paragraphs = split_paragraphs(article.text)
    kept: list[Paragraph] = []
    headings: list[Paragraph] = []
    dropped: list[Dropped] = []
    seen: set[str] = set()
    previous_key = None
    title_problem = furniture_line_reason(article.title) if article.title else None
    # The page's first line may have been taken for its title: a dialog's close button can stand there.
    dialog_page = is_dialog_page([article.title, *raw_paragraphs] if article.title else raw_paragraphs)
    if title_problem:
        # A caption or widget line that stood at the top of the page was taken for its title: it is neither.
        dropped.append(Dropped(Paragraph(article.id, -1, article.title), f"title line is page furniture: {title_problem}"))
        article = replace(article, title=None)
    elif article.title and strip_label(article.title) != article.title:
        article = replace(article, title=strip_label(article.title))
    title_key = normalise(article.title or "")
    keys = [normalise(p) for p in raw_paragraphs]
    # Whether the article's language is one with a function-word list: asked only when a paragraph reads as a
    # list of links or tags (rare), so the article's tokens are counted then, once, not for every article.
    uses_stop_words = functools.cache(lambda: stop_word_density(article_tokens(article.text, raw_paragraphs)) > 0.05)
    short_lines = [is_short_line(p) for p in raw_paragraphs]
    last_sentence = max((i for i, short in enumerate(short_lines) if not short), default=-1)
    first_sentence = min((i for i, short in enumerate(short_lines) if not short), default=len(short_lines))
    error_page = any(caption_reason(p) == ERROR_PAGE for p in raw_paragraphs[:2])
    # A page headed by a list label ("LATEST HEADLINES", taken for its title by ingest) is a list of teasers.
    under_list_label = bool(title_problem) and is_list_label(dropped[0].paragraph.text)
    for position, raw in enumerate(raw_paragraphs):
        paragraph = Paragraph(article.id, position, raw)
        if error_page:
            dropped.append(Dropped(paragraph, "the page is an error page, not an article"))
            continue
        if dialog_page:
            dropped.append(Dropped(paragraph, "the page is a pop-up dialog, not an article"))
            continue
        if is_list_label(raw):
            # At the top, the page is a list of other stories; further down the article's own text resumes.
            under_list_label = position <= 1
            dropped.append(Dropped(paragraph, "label over a list of other stories"))
            continue
        if under_list_label and len(tokens(raw)) <= TEASER_WORDS:
            dropped.append(Dropped(paragraph, "teaser of another story (under a list label)"))
            continue
        under_list_label = False
        key = keys[position]
        reason: str | None
        if key and key == title_key:
            reason = "the article's own title"
        elif key in seen and (key == previous_key or short_lines[position]):
            # A caption or link printed twice; a repeated sentence far apart (a Q&A asking the same
            # question of each guest) is content, and near-duplicates are merged later anyway.
            reason = "repeated in the same article (e.g. a caption printed twice)"
        elif key and position + 1 < len(keys) and keys[position + 1] == key:
            # Prose never prints a paragraph twice in a row; a page does (a caption and its lightbox,
            # a notice rendered twice), so the first copy is furniture as much as the second.
            reason = "printed twice in a row (a caption or notice repeated by the page)"
        else:
            # Only lines above the first sentence can be the page's headline.
            reason = boilerplate_reason(raw, settings, position if position <= first_sentence else 99)
            if reason and reason.startswith("low text density") and not uses_stop_words():
                reason = None  # a language we have no function-word list for
        seen.add(key)
        previous_key = key
        if reason is None and _LEAD_IN.search(raw) and len(tokens(raw)) <= LEAD_IN_WORDS:
            # "The Latest on the storm (all times local):", "Here is her tweet:": it introduces what
            # follows and says nothing alone, like a subheading.
            headings.append(paragraph)
            continue
        if reason is None and short_lines[position]:
            neighbours = short_lines[position - 1: position] + short_lines[position + 1: position + 2]
            if any(neighbours):
                reason = "list of links or other stories' headlines"
            elif position > last_sentence:
                reason = "trailing link or widget title"
            else:
                headings.append(paragraph)
                continue
        if reason:
            dropped.append(Dropped(paragraph, reason))
            continue
        kept.append(Paragraph(article.id, position, strip_credit(strip_label(raw))))
    language = stated_language(article.language) or detect_language("\n\n".join(p.text for p in kept))
    if language != article.language:
        article = replace(article, language=language)
    return CleanArticle(article, tuple(kept), tuple(dropped), tuple(headings))


def clean_article_with_forms(article: Article, settings: Settings) -> tuple[CleanArticle, TextForms]:
    """``clean_article`` and the ``text_forms`` of what it gives, in one call (one trip to a worker process)."""
    cleaned = clean_article(article, settings)
    return cleaned, text_forms(cleaned)


def word_count(article: CleanArticle) -> int:
    """Words in the kept paragraphs of ``article``."""
    return sum(len(tokens(p.text)) for p in article.paragraphs)


_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_EXCLAIMS = re.compile(r"[!?][\"'”’)\]]*\s*$")


def is_short_line(text: str) -> bool:
    """A short line without closing punctuation: a subheading, a link or another story's headline.

    Table rows and list items are short too, but they are the article's own content.
    """
    n = len(tokens(text))
    return n <= 14 and (not _TERMINAL.search(text) or _is_title_case(text, n)) and not _LIST_ITEM.match(text)


def _is_title_case(text: str, n: int) -> bool:
    """A line ending on "!" or "?" with every word of four letters or more capitalised, as headlines are written
    ("Royal Bodyguard Warns: 'Kate Middleton's Baby Is In Danger!'"): another story's headline. (A line in
    capitals is a subheading, a list item a list's.)"""
    if n < 5 or not _EXCLAIMS.search(text) or text.isupper():
        return False
    long = [w for w in _WORD.findall(text) if len(w) >= 4]
    return len(long) >= 4 and all(w[0].isupper() for w in long)


def _is_quote_heavy(text: str) -> bool:
    return text.count("“") + text.count('"') >= 2 and len(tokens(text)) > 25


def set_aside_notes(set_aside: Sequence[SetAside]) -> tuple[str, ...]:
    """The run's message about the articles that became no story because they were page furniture."""
    if not set_aside:
        return ()
    names = [_article_name(s.article.article) for s in set_aside]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return (f"{len(names)} input{'s' * (len(names) != 1)} left out as page furniture, not news: {shown} "
            f"(see digest explain)",)


def _article_name(article: Article) -> str:
    if article.path:
        return article.path.replace("\\", "/").rsplit("/", 1)[-1]
    return article.url or article.outlet or article.id
