"""``extract_quotes``: every direct quotation of one article with its speaker, by the cues in order (see the package docstring); ``quotes_of`` a story."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Sequence

from digest.compose.actors import Actor, NameBook
from digest.compose.quotes.cues import (_after_cue, _before_cue, _colon_subject, _cues, _reported_speech_np,
                                        _resolve, _transcript_label)
from digest.compose.quotes.lexicon import MAX_PARAGRAPH_CHARS, MIN_EMBEDDED_WORDS, MIN_FRAMED_WORDS, UNATTRIBUTED, _VERB
from digest.compose.quotes.marks import _blank_quotes, _sentence_bounds, pair_marks
from digest.compose.quotes.mentions import QuoteMention
from digest.compose.quotes.parse import _actor_named, _parse_paragraphs
from digest.compose.quotes.phrases import _is_title, _voice_head, lower_case_words
from digest.compose.quotes.reading import _ArticleState
from digest.models import CleanArticle, Paragraph
from digest.text import tokens


def extract_quotes(paragraphs: Sequence[Paragraph], book: NameBook | None = None,
                   author: str | None = None, parser: str = "rules") -> list[QuoteMention]:
    """Every direct quotation in one article's paragraphs (in order), with its speaker (see the module docstring).

    ``author`` is the byline, which is never taken for a speaker.
    """
    book = book or NameBook(p.text for p in paragraphs)
    state = _ArticleState(book, author, lower_case_words(p.text for p in paragraphs))
    mentions: list[QuoteMention] = []
    pending: QuoteMention | None = None  # a quote still open at the end of the previous paragraph
    carried: Actor | None = None  # the speaker a quote-only next paragraph continues
    carried_rule = ""
    parses = _parse_paragraphs([p.text for p in paragraphs]) if parser == "spacy" else {}
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if len(text) > MAX_PARAGRAPH_CHARS:
            pending, carried = None, None
            continue
        spans = pair_marks(text)
        blank = _blank_quotes(text, spans)
        bounds = _sentence_bounds(text)  # split with the quotes in place; names are read with them blanked
        sentence_ids = [state.read_sentence(index, a, blank[a:b]) for a, b in bounds]
        parsed = parses.get(index)
        quote_only = not re.search(r"[A-Za-z]", blank)
        last_actor: Actor | None = None
        last_cue_rule = ""
        previous_end = -1
        for number, (start, end) in enumerate(spans):
            stop = end if end is not None else len(text)
            quoted = text[start + 1:stop].strip()
            which = next((i for i, (a, b) in enumerate(bounds) if a <= start < b), len(bounds) - 1)
            s_start, s_end = bounds[which]
            sentence_id = sentence_ids[which]
            next_start = spans[number + 1][0] if number + 1 < len(spans) else len(text)
            # The cue after the closing mark is read in the sentence that mark ends (a quote may run
            # over several sentences: '“A. B. C,” she said').
            closing = next((i for i, (a, b) in enumerate(bounds) if a <= stop < b), len(bounds) - 1)
            after = blank[stop + 1:min(max(bounds[closing][1], stop + 1), next_start)] if end is not None else ""
            # A cue after the last quote of a sentence may sit past a split the splitter made inside it
            # ('“Why?” Jones asked.', '“No.” he said'); after a quote that ended its sentence with a
            # full stop, the next sentence is a new one ('“... banks.” Often, it appeared ...').
            if end is not None and not after.strip() and closing + 1 < len(bounds):
                following = blank[stop + 1:min(bounds[closing + 1][1], next_start)]
                if quoted.rstrip()[-1:] in ("?", "!", ",") or following.lstrip()[:1].islower():
                    after = following
            before = blank[max(s_start, previous_end + 1):start]
            sentence_head = blank[s_start:max(s_start, previous_end + 1)]
            offset = (index, start)
            # A paragraph opening with a quote mark continues a quote left open, unless it opens a
            # transcript's next turn ('"PENCE: ...' after '"WALLACE: ...').
            continued = pending is not None and number == 0 and not text[:start].strip() \
                and _transcript_label(quoted) is None
            actor: Actor | None = None
            role: str | None = None
            rule = "none"
            cue = None
            candidates = list(_cues(after if end is not None else "", before, sentence_head, blank[s_start:s_end]))
            if parsed is not None:
                found = parsed.cue(start, stop)
                if found is not None:
                    # The parse knows which verb the quote hangs on; the rules' cue after the closing
                    # mark ("...," X said) is as good and kept first, the rest give way.
                    # So is a name right before a participle ("The ad uses footage of Jo Roe asking, “...”":
                    # the parse may hang the quote on "uses").
                    lead = [c for c in (_after_cue(after) if end is not None else None,) if c is not None] + \
                        [c for c in candidates if c.at_participle]
                    candidates = lead + [found] + [c for c in candidates if c not in lead]
            label = _transcript_label(quoted)
            if label is not None:
                candidates = [label]  # the transcript names its speaker inside the quote
            # 'In response to the question, “...?” the President answered, “...”': the question is the asker's,
            # whom the sentence does not name; the cue after it is the answer's.
            asked = bool(_QUESTION_BEFORE.search(before)) and quoted.rstrip().endswith("?")
            if asked:
                candidates = []
            unnamed_voice = asked  # the quote's own cue describes a voice the story never names
            unnamed_parse = None  # an unnamed source the parse found, kept unless a rule's cue names someone
            for found in candidates + [None]:
                if found is None:
                    if unnamed_parse is None:
                        break
                    found, (actor, how, role) = unnamed_parse
                else:
                    actor, how, role = _resolve(found.np, state, sentence_id, offset)
                    if how == "unnamed source" and found.rule.startswith("parse") and unnamed_parse is None:
                        # the parse may have taken the subject of a clause inside ("told a young woman who
                        # suggested that ... “...”"); a rule's cue that names the speaker outright wins
                        unnamed_parse = (found, (actor, how, role))
                        continue
                    if unnamed_parse is not None and how != "named":
                        continue
                if actor is None and how == "description" and found.rule in ("X said", "said X", "parse: X said") \
                        and _voice_head(found.np):
                    unnamed_voice = True
                if actor is None and how in ("none", "pronoun", "description"):
                    continue  # this cue names nobody we can find: try the next one
                cue = found
                rule = found.rule if how == "named" else how
                if found.rule.startswith("parse") and how != "named":
                    rule = f"parse: {how}"
                if actor is not None:
                    state.note_speaker(actor, sentence_id, offset, found.np.lower() if how == "pronoun" else None)
                break
            if cue is None:
                actor, role = None, None
            framed = not before.strip() or before.rstrip().endswith((":", ",", ".", "!", "?")) or bool(
                re.search(rf"\b{_VERB}\s*[:,]?\s*$", before))
            if cue is None and not continued and before.rstrip().endswith(":") \
                    and len(quoted.split()) >= MIN_FRAMED_WORDS:
                # 'The Times confirmed it, reporting: “...”', 'Frank quotes Kahn: “...”': a colon introduces
                # the quote, and the sentence's subject gives it.
                actor = _colon_subject(sentence_head + before.rstrip().rstrip(":"), state, sentence_id, offset)
                if actor is not None:
                    rule = "subject before colon"
                    state.note_speaker(actor, sentence_id, offset)
            if unnamed_voice and cue is None and actor is None:
                # '“...,” the ad's narrator says': whoever spoke before is not this voice
                last_actor, rule = None, "description"
            elif cue is None and actor is None:
                if continued and pending is not None and pending.speaker != UNATTRIBUTED:
                    actor, rule = _actor_named(pending), "continued paragraph"
                elif last_actor is not None and (framed or len(quoted.split()) >= MIN_EMBEDDED_WORDS):
                    actor, rule = last_actor, "broken quote"
                elif number == 0 and not text[:start].strip() and carried is not None:
                    actor, rule = carried, carried_rule
                elif not before.strip() and which > 0 and last_actor is None:
                    # '..., Schiff said. “The other factor ...”': a quote opening the sentence after
                    # reported speech with its cue continues that speaker.
                    a, b = bounds[which - 1]
                    if not any(a <= q0 < b for q0, _ in spans):
                        np = _reported_speech_np(blank[a:b])
                        if np:
                            found_actor, how, _ = _resolve(np, state, sentence_ids[which - 1], (index, a))
                            if found_actor is not None:
                                actor, rule = found_actor, "after reported speech"
            if actor is not None:
                last_actor = actor
                last_cue_rule = rule
            keep = cue is not None or bool(candidates) or continued or rule in ("broken quote", "next paragraph", "X said: ...") or \
                _is_statement(quoted, framed)
            if cue is not None and cue.rule != "according to X" and len(quoted.split()) < MIN_FRAMED_WORDS \
                    and _is_title(quoted, before):
                keep = False
            elif cue is None and _is_title(quoted, before):
                keep = False
            previous_end = stop
            context = text[s_start:s_end].strip()
            if continued and pending is not None:
                merged = replace(pending, text=f"{pending.text} {quoted}".strip(),
                                 context=f"{pending.context} {context}".strip())
                if pending.speaker == UNATTRIBUTED and actor is not None:
                    merged = replace(merged, speaker=actor.name, role=actor.role, kind=actor.kind, rule=rule)
                mentions[-1] = merged
                pending = merged if end is None else None
                continue
            if not keep:
                continue
            if actor is not None and actor.kind == "person":
                actor = replace(actor, name=state.full_form(actor.name, (index, stop)))
            mention = QuoteMention(
                paragraph.article_id, paragraph.position, quoted, actor.name if actor else UNATTRIBUTED,
                context, rule, actor.role if actor else role, actor.kind if actor else "person",
            )
            mentions.append(mention)
            pending = mention if end is None else None
        if not spans:
            pending = None
        # What a quote-only paragraph after this one continues: this paragraph's last speaker, or "X said:".
        tail = blank.rstrip()
        if tail.endswith(":") and bounds:
            a, b = bounds[-1]
            cue = _before_cue(blank[a:b].rstrip().rstrip(":"), "")
            intro = _resolve(cue.np, state, sentence_ids[-1], (index, len(text)))[0] if cue else None
            carried, carried_rule = (intro, "X said: ...") if intro is not None else (None, "")
            if intro is None and not any(a <= q0 < b for q0, _ in spans):
                # 'President Roe released the following statement:' then the statement's paragraph.
                intro = _colon_subject(blank[a:b].rstrip().rstrip(":"), state, sentence_ids[-1], (index, a))
                carried, carried_rule = (intro, "subject before colon") if intro is not None else (None, "")
        elif last_actor is not None and (quote_only or spans and not blank[spans[-1][1] or len(text):].strip(" .,")
                                         or last_cue_rule):
            carried, carried_rule = last_actor, "next paragraph"
        elif not quote_only:
            carried = None
            a, b = bounds[-1]
            np = None if any(a <= q0 < b for q0, _ in spans) else _reported_speech_np(blank[a:b])
            if np:  # 'Schiff said the plan would fail.' then a paragraph that is only a quote: his
                intro = _resolve(np, state, sentence_ids[-1], (index, a))[0]
                if intro is not None:
                    carried, carried_rule = intro, "after reported speech"
    return [_finish(m, book) for m in mentions if m.text]


_QUESTION_BEFORE = re.compile(r"\b(?:the|a|this|that|his|her)\s+(?:\w+\s+)?question[:,]?\s*$", re.I)


def _finish(mention: QuoteMention, book: NameBook) -> QuoteMention:
    text = mention.text.strip().rstrip(",;:").strip()
    if mention.rule == "transcript label":
        text = re.sub(r"^\s*[^:]{1,40}:\s+", "", text)  # the label names the speaker; it is not said
    text = re.sub(r"^[\s.…]+", "", text)
    if text.endswith(".") and not text.endswith("..."):
        text = text[:-1]
    speaker = mention.speaker
    if speaker != UNATTRIBUTED and mention.kind == "person":
        speaker = book.canonical(speaker)
    return replace(mention, text=text, speaker=speaker)


def _is_statement(quoted: str, framed: bool) -> bool:
    n = len(tokens(quoted))
    return n >= (MIN_FRAMED_WORDS if framed else MIN_EMBEDDED_WORDS)


def quotes_of(articles: Iterable[tuple[str, Sequence[Paragraph]]], book: NameBook,
              authors: dict[str, str | None] | None = None) -> list[QuoteMention]:
    """Quotes of several articles, each article read in its own order."""
    found: list[QuoteMention] = []
    for article_id, paragraphs in articles:
        found.extend(extract_quotes(sorted(paragraphs, key=lambda p: p.position), book,
                                    (authors or {}).get(article_id)))
    return found


def quote_paragraphs(clean: CleanArticle) -> list[Paragraph]:
    """The paragraphs quotes are read from, in order: the kept ones and the lead-ins set aside with the headings.

    The cleaner sets a short line ending in a colon ("He said:", "The Times reports:") aside
    as a heading (it says nothing alone); it names the speaker of the quotation that follows.
    """
    lead_ins = [p for p in clean.headings if p.text.rstrip().endswith(":")]
    return sorted([*clean.paragraphs, *lead_ins], key=lambda p: p.position)
