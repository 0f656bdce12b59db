"""Select stage: group near-duplicate sentences across outlets and keep the most informative version of each.

The briefing is written in sentences, so clusters (of paragraphs or of
sentences, whichever the cluster stage gives) are split into sentences, and
sentences that say the same thing in different articles are grouped again:
two sentences are near-duplicates when their content words overlap by half
(Jaccard >= ``NEAR_DUPLICATE_JACCARD``), when one holds nearly all the content
words of the other (containment >= ``CONTAINMENT``, for sentences of at least
five content words), or when their characters match closely (rapidfuzz ratio
>= ``settings.near_duplicate_cutoff``).

Choosing the version (``choose_version``), in order of weight:

1. **coverage**: the share of the group's union of names, numbers and content
   words that the member carries (the most informative wording wins);
2. **contains the others**: a member that holds every other member's content
   words gets a bonus (it says all they say);
3. **unique spellings**: each word that no other member spells that way, but
   that is one or two letters from a word another member uses, costs a penalty
   (a typo or a variant transliteration);
4. **caption or credit markers** ("(AP)", "via Reuters", "Getty Images",
   "Photo:") cost a penalty (leftovers of page furniture);
5. ties go to the shorter member, then to the earlier article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from digest.models import Cluster, Paragraph, Selection
from digest.settings import Settings
from digest.textutil import STOP_WORDS, normalise_for_compare, split_sentences, words

NEAR_DUPLICATE_JACCARD = 0.5
CONTAINMENT = 0.8
_CAPTION_MARKERS = re.compile(
    r"\((?:AP|AFP|Reuters|Xinhua|dpa|EPA|UPI)\)|\bvia (?:Reuters|AP|AFP|Getty)|getty images|\bphoto(?:graph)?:|"
    r"\bfile photo\b|\bopens in new (?:window|tab)\b|\((?:L|R|C|left|right|centre|center)\)|/\s*(?:Reuters|AP|AFP)\b|"
    r"[-–—]\s*(?:Reuters|AP|AFP)\s*$",
    re.I,
)


def key_terms(text: str) -> set[str]:
    """Names, numbers and content words of ``text``, folded for comparison ("Kim's" -> "kim")."""
    terms = set()
    for token in words(normalise_for_compare(text).replace(" s ", " ")):
        if token in STOP_WORDS or len(token) < 2 and not token.isdigit():
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


def choose_version(texts: Sequence[str]) -> Choice:
    """Pick the most informative of near-duplicate ``texts`` (the rule is in the module docstring)."""
    if len(texts) == 1:
        return Choice(0, "only version", (1.0,))
    term_sets = [key_terms(t) for t in texts]
    union = set().union(*term_sets)
    raw_tokens = [{w.lower() for w in words(t)} for t in texts]
    scored = []
    notes = []
    for i, terms in enumerate(term_sets):
        coverage = len(terms) / len(union) if union else 0.0
        others = [term_sets[j] for j in range(len(texts)) if j != i]
        contains = all(len(o - terms) <= max(1, len(o) // 10) for o in others)
        typos = _unique_spellings(raw_tokens[i], [raw_tokens[j] for j in range(len(texts)) if j != i])
        caption = bool(_CAPTION_MARKERS.search(texts[i]))
        score = coverage + (0.15 if contains else 0.0) - 0.2 * len(typos) - (0.3 if caption else 0.0)
        scored.append(score)
        bits = [f"covers {len(terms)}/{len(union)} of the group's names, numbers and words"]
        if contains:
            bits.append("contains the other versions")
        if typos:
            bits.append("spelling no other version shares: " + ", ".join(sorted(typos)))
        if caption:
            bits.append("caption or credit marker")
        notes.append("; ".join(bits))
    best = max(range(len(texts)), key=lambda i: (round(scored[i], 6), -len(words(texts[i])), -i))
    return Choice(best, notes[best], tuple(scored))


def _unique_spellings(tokens: set[str], others: Sequence[set[str]]) -> set[str]:
    """Words of one member that no other member has, but that are 1-2 letters from a word another has."""
    other_words = set().union(*others) if others else set()
    found = set()
    for token in tokens - other_words:
        if len(token) < 4 or token.isdigit():
            continue
        limit = 1 if len(token) < 7 else 2
        if any(abs(len(token) - len(o)) <= limit and Levenshtein.distance(token, o, score_cutoff=limit) <= limit
               for o in other_words if o[:1] == token[:1]):
            found.add(token)
    return found


def split_cluster_sentences(clusters: Iterable[Cluster]) -> list[Paragraph]:
    """Every distinct sentence of the clusters' members, as Paragraph records (position = paragraph position)."""
    seen: set[tuple[str, int, str]] = set()
    sentences: list[Paragraph] = []
    members = sorted({(m.article_id, m.position, m.text) for c in clusters for m in c.members})
    for article_id, position, text in members:
        for sentence in split_sentences(text):
            key = (article_id, position, sentence)
            if key in seen or not words(sentence):
                continue
            seen.add(key)
            sentences.append(Paragraph(article_id, position, sentence))
    return sentences


def near_duplicate_groups(texts: Sequence[str], settings: Settings) -> list[list[int]]:
    """Indexes of ``texts`` grouped by the near-duplicate rule of the module docstring (deterministic)."""
    terms = [key_terms(t) for t in texts]
    folded = [normalise_for_compare(t) for t in texts]
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(texts)):
        if not terms[i]:
            continue
        for j in range(i + 1, len(texts)):
            if not terms[j] or find(i) == find(j):
                continue
            if same_statement(terms[i], terms[j], folded[i], folded[j], settings.near_duplicate_cutoff):
                parent[find(j)] = find(i)
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
    story_id = clusters[0].id.rsplit("-", 1)[0] if clusters else "story"
    selections = []
    for n, group in enumerate(near_duplicate_groups([s.text for s in sentences], settings)):
        members = tuple(sentences[i] for i in group)
        choice = choose_version([m.text for m in members])
        cluster = Cluster(f"{story_id}-s{n + 1}", members)
        selections.append(Selection(cluster, members[choice.index], cluster.article_ids, choice.reason))
    return selections
