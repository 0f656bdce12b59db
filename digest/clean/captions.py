"""Captions, credits, labels and widget text: what a news page prints around the story, not in it.

Each rule is a *form* that page furniture takes on any site, not the wording of one page:

- a photo caption's marks: "FILE - In this ... photo", "This image released by ... shows",
  "Image copyright ... Image caption", "Enlarge this image", a gallery's "Image 1 of 4";
- a credit: "(Photo: ...)", "[Photo/...]", "Credit: ...", "Name Name/Agency", "/ Staff Photographer",
  a photo agency's name glued to the text ("| Getty", "... (Associated Press)");
- a video or share widget: "Media playback is unsupported on your device", "CLOSE" opening a video
  caption, a player's labels ("JUST WATCHED ... Replay More Videos ... MUST WATCH", "EMBED More News Videos"), "Skip in Skip x Embed x Share", "Share Tweet", "936 SHARES", "Read or Share this story";
- a box label opening a paragraph ("Story highlights", "Key points:", "Photos:");
- text that addresses the reader about the page and ends in a button label ("... Learn more",
  "... Add Interest");
- a figure or table reference of a paper ("(Extended Data Fig. 1c)", "Supplementary Table 5"), and a
  figure's colour key ("... (blue) or ... (red)");
- a pop-up captured instead of the page: a short page whose first line opens with "× Close".

``caption_reason`` judges a paragraph or a line (a title, a headline); ``strip_label`` takes a box
label off the front of a paragraph whose rest is text.
"""

from __future__ import annotations

import re

from digest.text import AnyOf, prefiltered, tokens

# Photo agencies and credit words as credits print them; a credit is one of these in a credit's form.
_AGENCY = (r"(?:Getty(?:\s+Images)?|AP|AFP|Reuters|EPA(?:-EFE)?|Associated\s+Press|Shutterstock|Invision|"
           r"Splash\s+News|REX|Rex\s+Features|Xinhua|Canadian\s+Press|PA(?:\s+Images|\s+Wire)?|dpa|ANSA|Sipa|"
           r"Alamy|iStock(?:photo)?|Corbis|WireImage|FilmMagic|ZUMA(?:\s*Press)?|Polaris|Redux|NurPhoto|"
           r"Bloomberg|SOPA\s+Images|Pool|Handout|Courtesy)")
# From a word's start, each word possessive: tried at every letter of a long "A.A.A." token it was quadratic.
_NAME = r"(?<![\w.'’-])[A-Z][\w.'’-]*+(?:\s+[A-Z][\w.'’-]*+){0,3}"
# "Ethan Miller/AP", "Saul Loeb/AFP/Getty Images", "Elaine Wilson/Las Vegas Review-Journal", "Maxim Shemetov / Reuters"
_SLASH_CREDIT = rf"{_NAME}\s?/\s?(?:{_AGENCY}|{_NAME})(?:\s?/\s?{_NAME})*"

_CAPTION = prefiltered(
    r"^\W*FILE\s*(?:PHOTO\b|[-–—:])"                                   # AP: "FILE - In this ..."
    r"|\b[Ii]n this (?:[\w.,'’]+\s+){0,6}(?:file\s+)?(?:photo|image|picture|handout|still|frame grab|screen ?grab|"
    r"screenshot|video)\b"
    r"|^(?:This|The|An?)\s+(?:[\w.,'’]+\s+){0,4}(?:photo|image|picture|still|handout|video grab)s?\s+"
    r"(?:[\w.,'’]+\s+){0,8}?(?:shows?|released|provided|taken|made available|obtained)\b"
    r"|\bImage (?:copyright|caption)\b|\bMedia (?:playback is|caption)\b|\bunsupported on your device\b"
    r"|\btoggle caption\b|\bEnlarge (?:this )?[Ii]mage\b|^\W*Buy Photo\b|\bImage \d+ of\s*/?\s*\d+\b|\b(?:Hide|Show|Expand) [Cc]aption\b|\b\d+ of \d+ (?:Photos|Images|Pictures)\b"
    r"|\bSlideshow \(\d+ [Ii]mages?\)|^\W*(?:Photos?|Images?|Pictured|Caption|Video|Watch|Gallery)\s*:"
    r"|\bCaption Close\b|\b(?:Photo|Image)\s+(?:by|courtesy)\b"
    # where people stand in the picture: "Mary Abbott, left, congratulates ...", "Shane Bauer (2nd L)"
    r"|,\s+(?:left|right|center|centre|far left|far right)\s*,|\((?:left|right|center|centre|[LRC]|\d(?:st|nd|rd|th)"
    r"\s+(?:[LR]|left|right)|from (?:left|right))\)|\b[Ff]rom (?:left|right)\s*[:,]",
)
# Credits, one branch each (see ``AnyOf``: as one alternation they took 2.4 times as long on mix:10000).
_CREDIT = AnyOf((
    r"\((?:Photo|Image|Picture|Credit|Video)s?\s*:[^()]*(?:\)|$)",            # "(Photo: Mark Lennihan, AP)"
    r"\bStory [Hh]ighlights\b",                                           # a highlights box glued to a caption
    r"\((?:AP|AFP|EPA|Reuters|Getty)\s+Photos?\b[^()]*\)",                   # web captions' credits
    r"\(Associated Press\)\s*$",
    r"\[(?:Photo|Image|Picture)s?\s*/[^\]]*\]",                            # "[Photo/Lanzhou Evening News]"
    r"(?:^|[.!?\s])(?:Photo|Image|Picture)?\s*[Cc]redits?\s*:\s*\S",      # "Credit: NASA"
    r"/\s*Staff\s+(?:Photographer|Photo)\b",
    # "(AP Photo/Evan Vucci)", "(Getty Images)", "(Jane Doe/Reuters)"; a bare "(AP)" after a sentence credits the text
    rf"\((?:{_AGENCY}\s+(?:Photos?|file|Images)|Getty Images|Shutterstock|{_SLASH_CREDIT})(?:\s*/\s*{_NAME})?\)?\s*$",
    rf"\.\.\.\s*\(\s*(?:{_AGENCY})[^)]*\)?\s*$",                              # an AP caption cut with "..."
    rf"\|\s*(?:{_AGENCY}|{_SLASH_CREDIT})\b",                                   # "... uniforms in 2005. | Getty"
    r"^\W*(?:Getty Images|Shutterstock|Alamy|iStock(?:photo)?|Corbis|WireImage|FilmMagic)\b",  # "Getty Images Elon Musk"
    rf"^\W*(?:{_AGENCY})\s+(?:A|An|The|This)\s+\w",  # a credit glued to its caption: "Associated Press An Israeli soldier ..."
    rf"^\W*(?:{_SLASH_CREDIT})\s+(?:file\s+)?[A-Z]",                          # "Maxim Shemetov / Reuters file Sochi's ..."
    rf"[.!?\"”]\s*(?:{_SLASH_CREDIT})\s*$",                                    # "... in the rain. Ethan Miller/AP"
    r"[.!?\"”]\s+[A-Z][\w.'’-]+\s+[A-Z][\w.'’-]+\s+for\s+(?:The\s+)?[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,4}\s*$",
    # ^ a photographer's credit after the caption: "... in 2014. Alistair Barr for The Wall Street Journal"
))
_VIDEO_WIDGET = prefiltered(
    r"^\W*CLOSE\b|\bSkip in Skip\b|\bEmbed\s+x\s+Share\b|\bx\s+Embed\b|\bAutoplay\b|\bReplay(?: video)?\s*$"
    r"|\binteractive transcript\b|\bvideo (?:could not|cannot|can't) be (?:loaded|played)\b"
    r"|\byour browser does not support\b|\bMore (?:news )?videos?\s*$",
    re.I,
)
# A video player's button labels, printed in capitals or glued to the clip's caption: "JUST WATCHED <clip> Replay More
# Videos ... MUST WATCH <clip> 02:41", "EMBED More News Videos <caption>". Case matters: "just watched" is prose.
_PLAYER_LABELS = prefiltered(r"^\W*JUST WATCHED\b|\bMUST WATCH\b|\b(?:EMBED|Replay)\s+More\s+(?:News\s+)?Videos\b")
_SHARE_WIDGET = prefiltered(
    r"\bShare\s+(?:this\s+(?:article|story|page|post|video|image|photo)|this\s*:|Tweet|on\s+(?:Facebook|Twitter)|via)\b|^\W*[\d.,]+[kKmM]?\s+SHARES?\b|\bShares?\s+Share\b"
    r"|\bRead or Share this story\b|\bLike\s+Loading\b|^\W*Like this:|\bA post shared by\b|\bClick [Tt]o Tweet\b"
    r"|\bshares on Facebook\b|\bFollow Embed\b|\bEmail this\b|\bPrint Article\b",
)
# Labels of boxes and kickers that open a paragraph; the rest may be text (see strip_label).
_LABEL = re.compile(
    r"^\W*(?:Story [Hh]ighlights|STORY HIGHLIGHTS|Key [Pp]oints|KEY POINTS|Highlights|Related(?: [Cc]ontent| [Ss]tories)?"
    r"|Latest [Hh]eadlines|LATEST HEADLINES|Read [Mm]ore|More [Oo]n [Tt]his|Editor'?s [Nn]ote|Don'?t [Mm]iss|DON'?T MISS"
    r"|Advertisement|ADVERTISEMENT|Trending|TRENDING|Most [Rr]ead|Recommended)\b\s*:?\s*"
)
# Figure and table references of a paper's methods section; a news sentence cites no figure.
_FIGURE_REFERENCE = prefiltered(r"\b(?:Extended Data |Supplementary )?(?:Fig(?:ure)?s?\.?|Tables?)\s+S?\d+[a-z]?\b"
                               r"|\bSupplementary (?:Information|Table|Note|Fig)")
# The page speaking to its reader: "you", "your", and an imperative call to act.
_READER = prefiltered(r"\byou(?:r|'re|’re|'ll|’ll)?\b", re.I)
_PROMPT = prefiltered(r"\bstay (?:up[- ]to[- ]date|informed|in the know)\b|\bget (?:the )?latest\b"
                     r"|\bas an interest\b|\bnotifications?\b|\bdownload (?:our|the) app\b", re.I)
# A paragraph that ends in a button label after a sentence of its own: "... location history. Learn more".
_BUTTON_TAIL_END = re.compile(r"[.!?…]\s+[A-Z][a-z]+(?:\s+[A-Za-z][a-z]+){0,2}\s*$")
# A wire service's pronunciation guide after a name, the stressed syllable in capitals with a mark: "Dzhokhar
# Tsarnaev (joh-HAHR' tsahr-NEYE'-ehv)". It is for newsreaders; a reader of the briefing stumbles on it.
_SAY_IT = re.compile(r"\s+\((?=[^()]*[a-z]{2})(?=[^()]*[A-Z]{2,}['’])[A-Za-z]+(?:['’]?-[A-Za-z]+)*['’]?"
                     r"(?:\s+[A-Za-z]+(?:['’]?-[A-Za-z]+)*['’]?)*\)")
# Links glued to the text of an embedded post, which a reader cannot follow from a briefing.
_EMBED_LINK = prefiltered(r"\s*\b(?:pic\.twitter\.com|t\.co|instagr\.am|usat\.ly)/\S+")
# A live blog's time stamp opening an entry ("1:18 P.M. Malaysia denied ..."): the time of the post, not news.
_ENTRY_TIME = re.compile(r"^\W*\d{1,2}[:.]\d{2}\s*(?:[AP]\.?M\.?|[ap]\.?m\.?)(?:\s+[A-Z]{2,4}\b)?\s*[-–—:|]?\s+(?=[\"“‘(]?[A-Z])")
# An outlet's credit or a section's heading glued to the sentence it stands over ("Boston Globe The sale to ...",
# "Fleeing Hama An estimated 1,000 ..."): no sentence runs a name straight into a capital article and a word.
_GLUED_HEADING = re.compile(r"^(?:[A-Z][a-z][\w.&'’-]*\s+){1,3}(?=(?:The|An?)\s+[a-z])")
# A link's pop-up glued into the text after the name it explains: the name again, glued to the headlines of
# other stories about that person, closed by "MORE" ("nominee Donald Trump Donald TrumpPoll: ... hacking MORE has").
_LINK_TOOLTIP = re.compile(
    r"(?P<last>\b[A-Z][a-z][\w'’-]*)\s+(?:[A-Z][\w.'’-]*\s+){0,2}(?P=last)(?=[A-Z0-9“\"'‘])[^\n]{1,400}?\s+MORE\b")
# What the page's own text is about when it speaks to the reader: the page, its buttons, an e-mail form.
_ABOUT_THE_PAGE = prefiltered(r"\b(?:e-?mail address|this (?:page|site|website)|our (?:site|website|page)s?|"
                             r"browser|location (?:history|information))\b", re.I)
# An error page instead of the article: nothing on such a page is the story.
_ERROR_PAGE = prefiltered(
    r"\bpage (?:you (?:requested|are looking for|were looking for) )?(?:was |could )?(?:not|no longer) "
    r"(?:be )?(?:found|available)\b|\b404\b.{0,40}\b(?:not found|error)\b|\bJavaScript is (?:disabled|required)\b"
    r"|\benable JavaScript\b|\bcharacters? (?:you see|shown|with black color)\b|\bverify (?:that )?you(?:'re| are) "
    r"(?:not a robot|human)\b",
    re.I,
)
# A web archive's note on the capture it shows (the page itself may follow).
_ARCHIVE_NOTICE = prefiltered(
    r"\bweb (?:captures|collections?|crawls?)\b|\bcrawl(?:s|ed)? (?:data|of)\b|\bWayback Machine\b"
    r"|\bInternet Archive\b|\bArchive-?It\b|\bWARCs?\b",
    re.I,
)
# A label over a list of other stories: what follows it, up to the next long paragraph, are their teasers.
_LIST_LABEL = re.compile(
    r"^\W*(?:latest (?:headlines|news|stories)|related (?:stories|articles|news|coverage|content)?|more (?:stories|news|"
    r"from [\w ]+|on this( story)?)|you (?:may|might) also like|most (?:read|popular|viewed)|don'?t miss|recommended"
    r"(?: for you)?|trending(?: now)?|top stories|editor'?s picks)\W*$",
    re.I,
)
ERROR_PAGE = "error page notice"
# A figure's colour key: "... open-mouth callers (blue) or closed-mouth callers (red)". Prose names colours
# without brackets; a legend puts the colour, line or shading that shows each series in brackets.
_COLOUR_KEY = prefiltered(
    r"\((?:(?:in\s+)?(?:(?:light|dark|pale)\s+)?(?:red|blue|green|yellow|orange|purple|violet|grey|gray|black|white|pink|"
    r"brown|cyan|magenta|dashed|dotted|solid|shaded)(?:\s+(?:lines?|bars?|areas?|circles?|dots?|squares?))?"
    r"|(?:open|filled)\s+(?:circles?|dots?|squares?|bars?))\)",
    re.I,
)
# A pop-up captured instead of the page: its first line opens with the dialog's close button ("× Close").
_DIALOG_CLOSE = re.compile(r"^\W{0,3}(?:[×✕✖⨯]\s*Close|Close\s*[×✕✖⨯])\b", re.I)
DIALOG_MAX_WORDS = 150
# What a clip or picture shows, as a noun phrase with no sentence end: "Footage from the channel's election night
# coverage", "Video of the rescue (courtesy of the coast guard)". A sentence about footage has a verb and a stop.
_MEDIA_DESCRIPTION = re.compile(r"^\W*(?:Video\s+)?(?:Footage|Clip|Video|Photos?|Pictures?|Images?)\s+"
                                r"(?:from|of|courtesy\s+of|shot\s+by|filmed\s+by)\s[^.!?]*+$")
_FINITE_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|did|does|shows|showed|"
                          r"appears?|appeared|went|goes|became|becomes|got|gets|made|makes)\b")
MEDIA_DESCRIPTION_MAX_WORDS = 25
# A gallery's step counter; a page that runs a gallery's captions into one paragraph repeats it ("Hide Caption 1 of 15
# ... Hide Caption 2 of 15"), whatever the paragraph's length.
_GALLERY_STEP = prefiltered(r"\b(?:(?:Hide|Show) [Cc]aption|Image|Photo) \d+ of \d+\b")


def caption_reason(text: str) -> str | None:
    """Why ``text`` (a paragraph, a title or a headline) is a caption, credit, label or widget; None if it is not."""
    stripped = text.strip()
    n = len(tokens(stripped))
    if n == 0:
        return None
    if (_VIDEO_WIDGET.search(stripped) or _PLAYER_LABELS.search(stripped)) and n <= 80:
        return "video player or its caption"
    if _SHARE_WIDGET.search(stripped) and n <= 40:
        return "share widget"
    if _ERROR_PAGE.search(stripped) and n <= 150:
        return ERROR_PAGE
    if _ARCHIVE_NOTICE.search(stripped) and n <= 150:
        return "web archive notice"
    if len(_GALLERY_STEP.findall(stripped)) >= 2:
        return "photo gallery (its captions run together)"
    if n <= 90 and _CAPTION.search(stripped):
        return "photo caption"
    if n <= MEDIA_DESCRIPTION_MAX_WORDS and _MEDIA_DESCRIPTION.match(stripped) and not _FINITE_VERB.search(stripped):
        return "photo caption"
    if n <= 90 and _CREDIT.search(stripped):
        return "photo credit"
    if n <= 60 and _READER.search(stripped) and _ends_in_button(stripped):
        return "widget text addressed to the reader"
    if n <= 60 and _PROMPT.search(stripped) and _ends_in_button(stripped):
        return "prompt to follow a topic"
    if n <= 80 and len(_READER.findall(stripped)) * 15 >= n and _ABOUT_THE_PAGE.search(stripped):
        return "text addressed to the reader about the page"
    if _LABEL.match(stripped) and len(tokens(_LABEL.sub("", stripped, count=1))) < 3:
        return "box label"
    if n <= 90 and len(_COLOUR_KEY.findall(stripped)) >= 2:
        return "figure legend (a colour key)"
    if len(_FIGURE_REFERENCE.findall(stripped)) >= 1 and n <= 400:
        return "figure or table reference (a paper's methods, not news)"
    return None


def is_dialog_page(paragraphs: list[str]) -> bool:
    """A short page that opens with a pop-up's close button ("× Close What is ...?"): the capture is the
    pop-up (a glossary box, a consent or sign-in dialog), not the article behind it."""
    return bool(paragraphs) and bool(_DIALOG_CLOSE.match(paragraphs[0])) and sum(
        len(tokens(p)) for p in paragraphs) <= DIALOG_MAX_WORDS


def strip_label(text: str) -> str:
    """``text`` without a box label at its front ("Story highlights Hamas' HQ is destroyed" -> "Hamas' HQ is
    destroyed") or a credit or heading glued to it ("Boston Globe The sale ..." -> "The sale ..."), without a live blog's time stamp ("1:18 P.M. The talks ..."), without the short links of an embedded post ("... pic.twitter.com/x1y2"), without a
    newsreader's pronunciation guide ("Jo Tsarn (joh TSAHRN')") and without a link's
    pop-up of other headlines glued after a name ("Ann Lee Ann LeeTalks stall ... MORE said" -> "Ann Lee said")."""
    rest = _ENTRY_TIME.sub("", _LABEL.sub("", text, count=1).lstrip(" :-–—|"), count=1)
    rest = _GLUED_HEADING.sub("", rest, count=1)
    text = rest if len(tokens(rest)) >= 3 else text
    if "MORE" in text:
        text = _LINK_TOOLTIP.sub(r"\g<last>", text)
    if "(" in text and ("'" in text or "’" in text):
        text = _SAY_IT.sub("", text)
    return _EMBED_LINK.sub("", text).strip() or text


def is_list_label(text: str) -> bool:
    """A label over a list of other stories: "LATEST HEADLINES", "Related stories", "You may also like"."""
    return bool(_LIST_LABEL.match(text.strip()))


def _ends_in_button(text: str) -> bool:
    """A button label after a sentence of at least a few words (only the end of the text is searched)."""
    tail = text[-60:]
    found = _BUTTON_TAIL_END.search(tail)
    return bool(found) and len(tokens(text[: len(text) - len(tail) + found.start()])) >= 3
