"""Direct quotations and who said them.

Extraction. Double quote marks, straight or curly, are paired by their position
(a curly mark says which way it faces; a straight mark closes an open quote and
opens one otherwise), so mixed marks such as “a convenient time." still pair. A
quote may span sentences; a paragraph that ends inside a quote and a next
paragraph that opens with a quote mark continue one quotation (the English
convention for a quote over several paragraphs).

A quotation is kept when it is attributed (it has a speech cue of its own, see
below, however short: a partial quote inside reported speech, `X said the plan
was “reckless”`, is a quotation) or when it is a statement on its own: it opens
its sentence or follows a colon and has at least ``MIN_FRAMED_WORDS`` words, or
has at least ``MIN_EMBEDDED_WORDS``. Short quoted words with no cue are scare
quotes, and a short run of capitalised words after "song", "film", "book" ...
is a title: neither is a statement.

Speaker cues, in this order, all within the quote's sentence:
1. after the closing mark: ``"...," X said`` ("X said"), ``"...," said X`` ("said X"),
   ``"...," according to X``;
2. before the opening mark: ``X said: "..."``, ``X said the plan is "..."``, ``X told
   reporters that ... "..."``, ``As X put it, "..."``; a participle (``..., saying "..."``)
   speaks for the subject of its sentence ("X said: ...");
3. ``according to X`` anywhere in the sentence.
Without a cue of its own, a quote takes the speaker of an attributed quote it
continues: the next part of a broken quote (``“…,” he said. “…”``, "broken quote"), a
quote still open from the previous paragraph ("continued paragraph"), or a paragraph
that is only a quotation, right after a paragraph whose quotation was attributed or
that ends "X said:" ("next paragraph").

Who a cue names. A name (with its role: "State Department spokesperson Jane Roe",
"Jane Roe, the director of ...") is the speaker, expanded to the article's full
form of it ("Caddell" -> "Pat Caddell"). A pronoun ("he", "she", "it") goes to the
nearest earlier person (organisation for "it") of the article that can be meant:
subjects of sentences and earlier speakers first, skipping those whose gender the
text gives otherwise (Mr/Mrs, "he said", spokeswoman). A description goes to the
entity it describes: "the mayor" to the person with that role, "the company" or
"the agency" to an organisation of that kind, "the daily" to a news outlet, "the
statement" to whoever issued it. "I" and "we" outside quotes are the writer, and a
byline's author or a photographer is never the speaker; unnamed sources ("a source",
"officials") and anything unresolved give no speaker (null): a speaker is never
guessed.

The stage's parts, by name: ``extract`` (``extract_quotes``, ``quotes_of``), ``marks`` (pairing quotation
marks), ``cues`` (speech cues and who they name), ``phrases`` (noun phrases to actors), ``reading`` (one
article's names, subjects and speakers as it is read), ``parse`` (the optional dependency parse),
``ranking`` (which quotes a briefing shows first), ``bank`` (the quote bank of ``digest quotes``),
``lexicon`` (the words and patterns) and ``mentions`` (the records).
"""

from digest.compose.quotes.bank import SpeakerChoice, choose_speaker, explicitness, quote_bank, same_quotation
from digest.compose.quotes.extract import extract_quotes, quote_paragraphs, quotes_of
from digest.compose.quotes.lexicon import MIN_EMBEDDED_WORDS, MIN_FRAMED_WORDS, UNATTRIBUTED
from digest.compose.quotes.marks import pair_marks
from digest.compose.quotes.mentions import QuoteMention
from digest.compose.quotes.parse import PARSER_PACKAGE, PARSERS
from digest.compose.quotes.ranking import (is_complete_statement, is_quoted_term, opens_its_sentence, quote_weight,
                                           sentence_for_phrase)

__all__ = [
    "MIN_EMBEDDED_WORDS", "MIN_FRAMED_WORDS", "PARSERS", "PARSER_PACKAGE", "QuoteMention", "SpeakerChoice",
    "UNATTRIBUTED", "choose_speaker", "explicitness", "extract_quotes", "is_complete_statement", "is_quoted_term",
    "opens_its_sentence", "pair_marks", "quote_bank", "quote_paragraphs", "quote_weight", "quotes_of", "same_quotation",
    "sentence_for_phrase",
]
