"""The bench's own judge of furniture in headlines, independent of the tool's rules.

Nothing here comes from ``digest.clean``: the judge is built from the data set and
hand labels, so that a rule the tool learns cannot also teach the judge to look away.
A headline is judged furniture when any of these holds:

1. **pattern**: it matches one of ``PATTERNS`` below, a list of caption, photo-credit,
   widget, notice and label wordings written for this bench from what news pages print
   ("Image copyright", "Media playback is unsupported", "(Photo: ...)", "/ Staff
   Photographer", "Getty Images", "Story highlights", "CLOSE", "Share Tweet", ...);
2. **cut off**: it ends (or starts) with "…" or "..." (a lede cut short is not a headline),
   it ends in an abbreviation that has lost its period ("Water from the Mt", "MEBANE,
   N.C": a sentence split at the abbreviation), or a quote or bracket it opens is never
   closed (a quoted sentence cut from its speaker);
3. **site suffix**: it ends with a separator and an outlet-like name ("... – TechCrunch",
   "... | Reuters");
4. **recurs across clusters**: at least half of its word 6-grams (the whole headline if
   shorter) occur in documents of two or more *different* true clusters of the data
   set; unrelated stories share such text only when it is page furniture (checked: on
   multinews-raw every 6-gram shared by 3+ clusters, and every long run shared by 2,
   is a notice or widget);
5. **banner or caption form**: three or more words all in capitals (a page banner or
   kicker), or "Name Name, 21, of Town" with no verb (a mug-shot caption);
6. **from a furniture document**: the documents whose text holds the headline's first
   words are all hand-labelled furniture (bench/gold/raw-documents.json).

Known limits: a caption with no credit and no caption wording ("Colors show
probability of each branch ...", "A policeman standing guard ...") or a speaker label
of an interview is caught only by a hand verdict; the patterns can
fire on a real headline that quotes one of their words; a dateline left at the
front of a headline ("NEW ORLEANS (Reuters) - ...") is reported apart, as a defect,
not as furniture.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Sequence

from rawnews import Cluster, fold, words

# (name, regular expression on the folded headline: lower case, straight quotes, "-" for dashes).
PATTERNS: tuple[tuple[str, str], ...] = (
    ("image caption/credit", r"\bimage (copyright|caption|credit)\b"),
    ("media caption", r"\bmedia (playback|caption)\b|\bunsupported on your device\b"),
    ("photo credit", r"\(photo[:/]|^photos?\b:?|\bphoto:|\[photo/|\bphoto credit\b|\bphotograph(er)?:"),
    ("staff photographer", r"/\s*staff (photographer|writer)\b"),
    ("agency credit", r"\bgetty\b|\bap photo\b|\(associated press\)|\bafp\b|/\s*reuters\b|\breuters\s*/|"
                      r"\bzumapress\b|\bsplash news\b|\beuropean pressphoto\b|\|\s*(ap|reuters|afp)\b"),
    ("credit in brackets", r"\([^()]*/[^()]*\)\s*$"),
    ("credit line", r"[.!?]\s[a-z]+ [a-z]+ for the [a-z ]+$"),
    ("file photo", r"^file\s*-|\bfile photo\b|\bin this (\w+ )*(photo|image)\b"),
    ("photo widget", r"\btoggle caption\b|\benlarge (this )?image\b|\bimage \d+ of\b|\bbuy photo\b|\bview images\b"),
    ("courtesy credit", r"\bcourtesy( of)?\b"),
    ("video widget", r"^close\b|\bskip in skip\b|\bembed\b|\bmore news videos\b|\binteractive transcript\b|"
                     r"\bmedia playback\b|\bwatch (the )?video\b|\bautoplay\b"),
    ("share widget", r"\bshares? share\b|\bshare (this|tweet|on)\b|\bshare tweet\b|\btweet (this|with a location)\b|"
                     r"\blocation to your tweets\b|\bemail this\b|\ba friend wanted you to see\b|\bfollow us\b"),
    ("label", r"^story highlights\b|^latest headlines\b|^breaking( news)?:?\s|^related\b|^advertisement\b|"
              r"^update[sd]?:|^(editor's note|watch|listen|read more|see also)\s*:"),
    ("site notice", r"\bcrawl(s|ed| data)?\b|\bwayback machine\b|\binternet archive\b|\barchive-it\b|\bwarcs?\b|"
                    r"\bjavascript\b|\bcookies?\b|\bpage (you requested )?(was |is )?not (be )?found\b|"
                    r"\byour browser\b|\bterms of (use|service)\b|\bprivacy policy\b|\ball rights reserved\b|"
                    r"\bcopyright\b|\btomatometer\b"),
    ("prompt", r"\bsign up\b|\bnewsletters?\b|\bsubscribe\b|\bclick here\b|\bread more\b|\bcontinue reading\b|"
               r"\bsend us a (secure )?tip\b|\bbreaking news emails\b|\bget breaking news\b|\bjoin it live\b|"
               r"\blisten to article\b|\btext size\b|\bstory continue[sd] below\b"),
    ("byline", r"\bstaff \d|\bbdn staff\b"),  # "By Name Name" is matched on the unfolded headline (_BYLINE)
    ("publication stamp", r"\b(published|posted|updated):? (on )?(\w+day, )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                          r"\w*\.? \d|\(published \w+day"),
    ("loading", r"^loading\b|\bloading\.\.\."),
)
_COMPILED = tuple((name, re.compile(rx)) for name, rx in PATTERNS)
_SITE_SUFFIX = re.compile(r"\s[|\u2013\u2014-]\s+([A-Z][\w.&']*(?:\s[A-Z][\w.&']*){0,3}|[a-z]+\.(?:com|org|net|co\.uk))\s*$")
_DATELINE = re.compile(r"^([A-Z][A-Z.'/ ,-]{2,}(\s?\([A-Za-z0-9 .&/-]+\))?|\([A-Za-z0-9 .&/-]+\))\s*(--?|\u2013|\u2014)\s|"
                       r"^[A-Z][A-Z.'/ -]{2,}, [A-Z][\w.]+( \([A-Za-z0-9 .&/-]+\))?\s*(--?|\u2013|\u2014)?\s|^\((CNN|AP|Reuters|AFP)\)")
_CUT_OFF = re.compile(r"(\u2026|\.\.\.)\s*$|^\s*(\u2026|\.\.\.)")
# Abbreviations that take a period in news copy: a headline ending in one (with its period gone)
# was cut at the abbreviation ("Water from the Mt", "MEBANE, N.C").
_ABBREVIATIONS = frozenset("""mt st ft dr mr mrs ms jr sr gen gov sen rep lt col sgt capt fig no vs inc co corp ltd
    jan feb mar apr aug sept sep oct nov dec ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich
    minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo""".split())
_INITIALS_END = re.compile(r"(?<![A-Za-z.])([A-Z]\.)+[A-Z]$")
# A byline names its writer in capitals: "By Jane Roe", "BY JANE ROE"; "By sheer numbers, ..." opens a sentence.
_BYLINE = re.compile(r"^\W*(?:By|BY) [A-Z][\w.'\u2019-]* [A-Z][\w.'\u2019-]*(\s|$|,|/)")
_CAPTION_NAME_AGE = re.compile(r"^[A-Z][\w'-]+( [A-Z][\w'-]+){1,3}, \d{1,3}, of [A-Z]")
N = 6


class HeadlineJudge:
    """Reasons a headline is furniture, from patterns, the raw data and the hand labels."""

    def __init__(self, clusters: Sequence[Cluster], labels: dict[str, str]):
        self.labels = labels
        self.gram_clusters: dict[tuple[str, ...], set[int]] = defaultdict(set)
        self.gram_documents: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.joined: dict[str, str] = {}
        self.cluster_of: dict[str, int] = {}
        for cluster in clusters:
            for k, text in enumerate(cluster.documents):
                key = cluster.key(k)
                tokens = words(text)
                self.joined[key] = " " + " ".join(tokens) + " "
                self.cluster_of[key] = cluster.index
                for i in range(len(tokens) - N + 1):
                    gram = tuple(tokens[i:i + N])
                    self.gram_clusters[gram].add(cluster.index)
                    self.gram_documents[gram].add(key)

    def documents_holding(self, tokens: Sequence[str]) -> set[str]:
        """Documents whose text holds ``tokens`` in a row (at most their first 8)."""
        tokens = list(tokens[:8])
        if not tokens:
            return set()
        if len(tokens) >= N:
            found = set(self.gram_documents.get(tuple(tokens[:N]), ()))
            needle = " " + " ".join(tokens) + " "
            return {d for d in found if needle in self.joined[d]}
        needle = " " + " ".join(tokens) + " "
        return {d for d, text in self.joined.items() if needle in text}

    def recurs_across_clusters(self, tokens: Sequence[str]) -> bool:
        if not tokens:
            return False
        if len(tokens) < N:
            return len({self.cluster_of[d] for d in self.documents_holding(tokens)}) >= 2
        grams = [tuple(tokens[i:i + N]) for i in range(len(tokens) - N + 1)]
        shared = sum(1 for g in grams if len(self.gram_clusters.get(g, ())) >= 2)
        return shared >= len(grams) / 2

    def reasons(self, headline: str) -> list[str]:
        """Why ``headline`` is furniture; empty when the judge finds nothing."""
        folded = fold(headline)
        found = [name for name, rx in _COMPILED if rx.search(folded)]
        if _BYLINE.search(headline) and "byline" not in found:
            found.append("byline")
        stripped = headline.strip()
        if _CUT_OFF.search(stripped):
            found.append("cut off")
        last = re.findall(r"[A-Za-z.]+$", stripped)
        if last and not stripped.endswith(".") and (
                last[0].lower().rsplit(".", 1)[-1] in _ABBREVIATIONS and "." not in last[0] or
                _INITIALS_END.search(stripped) and last[0] not in ("U.S", "U.K", "U.N")):
            found.append("cut at an abbreviation")
        if (folded.count('"') % 2 or headline.count("\u201c") > headline.count("\u201d")
                or headline.count("(") > headline.count(")")):
            found.append("unclosed quote or bracket")
        letters = [w for w in re.findall(r"[A-Za-z]+", headline) if len(w) > 1]
        if len(letters) >= 3 and all(w.isupper() for w in letters):
            found.append("all capitals")
        if _CAPTION_NAME_AGE.search(stripped) and len(stripped.split()) <= 8:
            found.append("name-age caption")
        if _SITE_SUFFIX.search(headline.strip()):
            found.append("site suffix")
        tokens = words(_CUT_OFF.sub("", headline))
        if self.recurs_across_clusters(tokens):
            found.append("recurs across clusters")
        holders = self.documents_holding(tokens)
        if holders and all(self.labels.get(d) == "furniture" for d in holders):
            found.append("from a furniture document")
        return found

    @staticmethod
    def kind(reasons: Sequence[str]) -> str:
        """'cut off', 'site suffix' or 'furniture' (the worst kind among ``reasons``), or '' for none."""
        cut = {"cut off", "cut at an abbreviation", "unclosed quote or bracket"}
        if any(r not in cut and r != "site suffix" for r in reasons):
            return "furniture"
        if any(r in cut for r in reasons):
            return "cut off"
        return "site suffix" if reasons else ""

    @staticmethod
    def dateline(headline: str) -> bool:
        """The headline still opens with a dateline ("SEOUL (Reuters) - ...", "(CNN) ...")."""
        return bool(_DATELINE.search(headline.strip()))
