"""Select stage: group near-duplicate sentences across outlets and keep the most informative version of each.

The briefing is written in sentences, so clusters (of paragraphs or of
sentences, whichever the cluster stage gives) are split into sentences, and
sentences that say the same thing in different articles are grouped again:
two sentences are near-duplicates when their content words overlap by half
(Jaccard >= ``NEAR_DUPLICATE_JACCARD``), when one holds nearly all the content
words of the other (containment >= ``CONTAINMENT``, for sentences of at least
five content words), or when their characters match closely (rapidfuzz ratio
>= ``settings.near_duplicate_cutoff``).

Choosing the version (``choose_version``):

1. **no odd spellings**: a member with a word that no other member spells that
   way, but that is one or two letters from a word another member (or, given a
   story vocabulary, the rest of the story) uses, is never chosen while a member
   without one exists (a typo or a variant transliteration);
2. **coverage of the shared facts**: the share of the group's *core* terms
   (names, numbers and content words carried by at least two members) that the
   member carries weighs 0.75, its share of the group's whole union 0.25; a
   member that holds every other member's content words gets a bonus;
3. **caption or credit markers** ("(AP)", "via Reuters", "Getty Images",
   "Photo:") and an **opening that refers back** to an earlier sentence ("This
   ...", "But he ...", "denied those claims") cost a penalty;
4. **the shorter of equals**: among members scoring within ``SHORTER_TOLERANCE``
   of the best, the one with fewest words wins (it carries the same facts in
   fewer words), then the higher score, then the earlier article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from digest.models import Cluster, Paragraph, Selection
from digest.settings import Settings
from digest.text import STOP_WORDS, normalise, split_sentences, tokens

NEAR_DUPLICATE_JACCARD = 0.5
SHORTER_TOLERANCE = 0.03
_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sir"})  # a title says nothing about the facts
CONTAINMENT = 0.8
MAX_SENTENCE_WORDS = 120  # longer "sentences" are walls of text (lists, unpunctuated dumps), not briefing lines
_COMMON_TERM_SHARE = 0.2  # terms in more sentences than this share do not make two sentences candidates
_CAPTION_MARKERS = re.compile(
    r"\((?:AP|AFP|Reuters|Xinhua|dpa|EPA|UPI)\)|\bvia (?:Reuters|AP|AFP|Getty)|getty images|\bphoto(?:graph)?:|"
    r"\bfile photo\b|\bopens in new (?:window|tab)\b|\((?:L|R|C|left|right|centre|center)\)|/\s*(?:Reuters|AP|AFP)\b|"
    r"[-–—]\s*(?:Reuters|AP|AFP)\s*$",
    re.I,
)


def key_terms(text: str) -> set[str]:
    """Names, numbers and content words of ``text``, folded for comparison ("Jones's" -> "jones")."""
    terms = set()
    for token in tokens(normalise(text).replace(" s ", " ")):
        if token in STOP_WORDS or token in _HONORIFICS or len(token) < 2 and not token.isdigit():
            continue
        terms.add(_stem(token))
    return terms


def _stem(token: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(token) > len(suffix) + 3 and token.endswith(suffix):
            return token[: -len(suffix)]
    return token


@dataclass(frozen=True, slots=True)
class Choice:
    """Which member of a group was chosen, and the plain-words reason for ``digest explain``."""

    index: int
    reason: str
    scores: tuple[float, ...]


def choose_version(texts: Sequence[str], vocabulary: Counter[str] | None = None) -> Choice:
    """Pick the most informative of near-duplicate ``texts`` (the rule is in the module docstring).

    ``vocabulary`` (lower-cased word -> how many sentences of the story use it)
    lets a member's odd spelling be found against the whole story, not only the group.
    """
    if len(texts) == 1:
        typos = misspellings(texts[0], vocabulary) if vocabulary else set()
        note = "only version" + ("; spelling the rest of the story does not share: " + ", ".join(sorted(typos))
                                 if typos else "")
        return Choice(0, note, (1.0,))
    term_sets = [key_terms(t) for t in texts]
    union = set().union(*term_sets)
    term_counts: Counter[str] = Counter(t for terms in term_sets for t in terms)
    core = {t for t, n in term_counts.items() if n >= 2} or union
    raw_tokens = [{w.lower() for w in tokens(t)} for t in texts]
    token_counts: Counter[str] = Counter(t for tokens in raw_tokens for t in tokens)
    shared_vocabulary = {t for t, n in token_counts.items() if n >= 2}
    scored = []
    notes = []
    flawed = []
    for i, terms in enumerate(term_sets):
        coverage = len(terms) / len(union) if union else 0.0
        core_coverage = len(terms & core) / len(core) if core else 0.0
        if len(texts) <= 30:
            others = [term_sets[j] for j in range(len(texts)) if j != i]
            contains = all(len(o - terms) <= max(1, len(o) // 10) for o in others)
        else:  # large groups: compare with the union rather than member by member
            contains = coverage >= 0.9
        unique = {t for t in raw_tokens[i] if token_counts[t] == 1}
        typos = _unique_spellings(unique, shared_vocabulary | (set(token_counts) - raw_tokens[i]))
        if vocabulary:
            typos |= misspellings(texts[i], vocabulary)
        caption = bool(_CAPTION_MARKERS.search(texts[i]))
        refers_back = opens_with_reference(texts[i])
        score = (0.75 * core_coverage + 0.25 * coverage + (0.1 if contains else 0.0) - 0.2 * len(typos)
                 - (0.3 if caption else 0.0) - (0.1 if refers_back else 0.0))
        scored.append(score)
        flawed.append(bool(typos))
        bits = [f"covers {len(terms & core)}/{len(core)} of the facts the versions share, "
                f"{len(terms)}/{len(union)} of the group's names, numbers and words"]
        if contains:
            bits.append("contains the other versions")
        if typos:
            bits.append("spelling no other version shares: " + ", ".join(sorted(typos)))
        if caption:
            bits.append("caption or credit marker")
        if refers_back:
            bits.append("opens by referring to an earlier sentence")
        notes.append("; ".join(bits))
    eligible = [i for i in range(len(texts)) if not flawed[i]] or list(range(len(texts)))
    top = max(scored[i] for i in eligible)
    close = [i for i in eligible if scored[i] >= top - SHORTER_TOLERANCE]
    best = min(close, key=lambda i: (len(tokens(texts[i])), -round(scored[i], 6), i))
    reason = notes[best]
    if len(close) > 1:
        reason += "; shortest of the versions carrying as much"
    return Choice(best, reason, tuple(scored))


# An opening that points back to a sentence the reader has not seen ("This ...", "But he ...",
# "The move ...") or a back-reference early on ("have denied those claims").
_TIME_NOUNS = (r"(?:week|month|year|summer|winter|spring|autumn|fall|morning|afternoon|evening|time|weekend|season|"
               r"century|decade)")
_REFERRING_OPENING = re.compile(
    r"^(?:(?:but|and|yet|still|however|also|meanwhile|moreover|instead|nevertheless)\b"  # a reply to the unseen
    r"|(?:so\b,?\s+)?(?:(?:he|she|it|they|them|his|her|its|their)\b"
    r"|(?:this|that|these|those|such)\b(?!\s+" + _TIME_NOUNS + r"\b)"
    r"|the (?:move|decision|step|announcement|remarks?|comments?|claims?|statement|development|deal|plan|"
    r"latter|former|same)\b))",
    re.I,
)
_BACK_REFERENCE = re.compile(
    r"\b(?:this|these|those|such)\s+(?!" + _TIME_NOUNS + r"\b)[a-z]+|\b(?:denied|rejected|dismissed|confirmed) "
    r"(?:this|that|it|them)\b",
    re.I,
)


def opens_with_reference(text: str) -> bool:
    """True when ``text`` leans on an earlier sentence: it opens with "But", "However", a pronoun or "The move",
    or refers to "those claims" / "denied this" within its first ten words."""
    if _REFERRING_OPENING.match(text.lstrip("\"“‘'( ")):
        return True
    head = " ".join(text.split()[:10])
    return bool(_BACK_REFERENCE.search(head))


def _unique_spellings(unique: set[str], other_words: set[str]) -> set[str]:
    """Words only this member has that are one or two letters from a word another member uses, the difference
    not being an ending ("Waller" beside "Weller", not "Russian" beside "Russia")."""
    found = set()
    for token in unique:
        if len(token) < 4 or token.isdigit():
            continue
        limit = 1 if len(token) < 7 else 2
        if any(abs(len(token) - len(o)) <= limit and not _same_stem(token, o)
               and Levenshtein.distance(token, o, score_cutoff=limit) <= limit
               for o in other_words if o[:1] == token[:1] and o != token):
            found.add(token)
    return found


def _same_stem(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ only in their last two letters or an added ending (an inflection)."""
    stem = min(len(a), len(b)) - 2
    return a[:stem] == b[:stem]


class Vocabulary(Counter):
    """Lower-cased word -> number of sentences using it, with the words used twice or more indexed by first letter
    and length (so a rare word is compared with a few candidates, not the whole story)."""

    def near_frequent(self, token: str, limit: int) -> list[str]:
        index = self.__dict__.get("_index")
        if index is None:
            index = defaultdict(list)
            for word, n in self.items():
                if n >= 2:
                    index[(word[:1], len(word))].append(word)
            self.__dict__["_index"] = index
        return [w for d in range(-limit, limit + 1) for w in index.get((token[:1], len(token) + d), ())]


def story_vocabulary(texts: Iterable[str]) -> Vocabulary:
    """Lower-cased word -> number of ``texts`` using it (for ``misspellings``)."""
    counts = Vocabulary()
    for text in texts:
        counts.update({w.lower() for w in tokens(text)})
    return counts


def misspellings(text: str, vocabulary: Counter[str]) -> set[str]:
    """Words of ``text`` used by no other sentence of the story that are one or two letters from a word other
    sentences use at least twice, the difference not being an ending ("suggsted" beside "suggested", not
    "reaches" beside "reached")."""
    found = set()
    for token in {w.lower() for w in tokens(text)}:
        if vocabulary.get(token, 0) > 1 or len(token) < 5 or not token.isalpha():
            continue
        limit = 1 if len(token) < 8 else 2
        if isinstance(vocabulary, Vocabulary):
            others = vocabulary.near_frequent(token, limit)
        else:
            others = [w for w, n in vocabulary.items() if n >= 2 and w[:1] == token[:1]]
        for other in others:
            if other == token or abs(len(other) - len(token)) > limit:
                continue
            if _same_stem(token, other):
                continue  # an inflection, not a typo
            if Levenshtein.distance(token, other, score_cutoff=limit) <= limit:
                found.add(token)
                break
    return found


def split_cluster_sentences(clusters: Iterable[Cluster]) -> list[Paragraph]:
    """Every distinct sentence of the clusters' members, as Paragraph records (position = paragraph position)."""
    seen: set[tuple[str, int, str]] = set()
    sentences: list[Paragraph] = []
    members = sorted({(m.article_id, m.position, m.text) for c in clusters for m in c.members})
    for article_id, position, text in members:
        for sentence in split_sentences(text):
            key = (article_id, position, sentence)
            if key in seen or not tokens(sentence) or len(tokens(sentence)) > MAX_SENTENCE_WORDS:
                continue
            seen.add(key)
            sentences.append(Paragraph(article_id, position, sentence))
    return sentences


def near_duplicate_groups(texts: Sequence[str], settings: Settings) -> list[list[int]]:
    """Indexes of ``texts`` grouped by the near-duplicate rule of the module docstring (deterministic)."""
    terms = [key_terms(t) for t in texts]
    folded = [normalise(t) for t in texts]
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Blocking: only sentences that share a term that is not too common are compared.
    document_frequency: Counter[str] = Counter(t for ts in terms for t in ts)
    cap = max(30, int(_COMMON_TERM_SHARE * len(texts)))
    postings: dict[str, list[int]] = defaultdict(list)
    for i, ts in enumerate(terms):
        candidates: set[int] = set()
        for t in ts:
            if document_frequency[t] <= cap:
                candidates.update(postings[t])
                postings[t].append(i)
        if len(ts) <= 3:  # very short sentences: their words may all be common, compare with every earlier one
            candidates.update(range(i))
        for j in sorted(candidates):
            if find(i) == find(j) or not terms[j]:
                continue
            if same_statement(terms[j], ts, folded[j], folded[i], settings.near_duplicate_cutoff):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def same_statement(a: set[str], b: set[str], text_a: str, text_b: str, cutoff: float) -> bool:
    """True when two sentences state the same thing (the near-duplicate rule)."""
    shared = len(a & b)
    if not shared:
        return False
    if shared / len(a | b) >= NEAR_DUPLICATE_JACCARD:
        return True
    small = min(len(a), len(b))
    if small >= 4 and shared / small >= CONTAINMENT:
        return True
    return fuzz.ratio(text_a, text_b) >= cutoff


def select_versions(clusters: Sequence[Cluster], settings: Settings) -> list[Selection]:
    """Sentence-level Selections: near-duplicate sentences across the story, each with its chosen version.

    Each Selection's ``cluster`` holds the sentences (as Paragraph records), ``chosen``
    the most informative one, ``sources`` every article that carries it, and
    ``reason`` why that version was chosen. Order: by first article and position.
    """
    sentences = split_cluster_sentences(clusters)
    vocabulary = story_vocabulary(s.text for s in sentences)
    story_id = clusters[0].id.rsplit("-", 1)[0] if clusters else "story"
    selections = []
    for n, group in enumerate(near_duplicate_groups([s.text for s in sentences], settings)):
        members = tuple(sentences[i] for i in group)
        choice = choose_version([m.text for m in members], vocabulary)
        cluster = Cluster(f"{story_id}-s{n + 1}", members)
        selections.append(Selection(cluster, members[choice.index], cluster.article_ids, choice.reason))
    return selections
