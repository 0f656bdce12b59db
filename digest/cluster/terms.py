"""Story terms and their TF-IDF: content words and adjacent content-word pairs that two or more articles
share, weighted for grouping (names and the lede count more). numpy and scipy.sparse, no scikit-learn."""

from __future__ import annotations

from collections import Counter, defaultdict
from array import array
from collections.abc import Sequence
from itertools import repeat
from typing import TYPE_CHECKING
import math

import numpy as np

from digest import workers
from digest.cluster.linkage import _sorted_holds, _sorted_unique
from digest.models import CleanArticle
from digest.text import STOP_WORDS, content_words, name_words, normalise_uncached

if TYPE_CHECKING:
    from digest.clean.shared import TextForms

# Story grouping weighs a term up to this many times more when all its words are names in the article
# (capitalised inside a sentence): events are told apart by who and where, less by common words.
# The full weight goes to a name held by two articles of the input; a name held by many (a president,
# a country) gets less, by its idf relative to the input: 1 + (NAME_WEIGHT - 1) * specificity ** this.
NAME_WEIGHT = 2.5

NAME_SPECIFICITY_POWER = 2

# ... and counts the terms of the article's first lines (title and lede) once more: the lede says what
# happened, later paragraphs add background shared with other stories of the same topic.
LEDE_LINES = 3

# Story grouping reads documents (normalised words, names) in worker processes from this many on: a
# pure function per document, whose pool costs more than it saves for fewer; documents sent at once.
POOL_MIN_DOCUMENTS = 2000

_POOL_CHUNK = 64



def _grouping_matrix(documents: list[str], vectorizer, matrix, counts=None, lede=None, names=None):
    """The articles' TF-IDF rows as story grouping weighs them: names (``NAME_WEIGHT``, rarer ones more)
    and the lede (``LEDE_LINES``) count more; unit rows. The off-story check keeps the plain ``matrix``.

    ``counts`` and ``lede`` are the documents x terms count matrices of the fit and of the ledes
    (``_fit_story_terms``; counted again without them), ``names`` each document's ``name_words``.
    """
    if vectorizer is None:
        return matrix
    from scipy import sparse

    vocabulary = vectorizer.vocabulary
    if counts is None:
        counts = _count_matrix([Counter(story_terms(text)) for text in documents], vocabulary)
    if lede is None:
        lede = _count_matrix(
            [Counter(story_terms("\n".join(text.split("\n")[:LEDE_LINES]))) for text in documents], vocabulary)
    total = (counts + lede).tocsr()
    total.sort_indices()
    total_rows = np.repeat(np.arange(total.shape[0], dtype=np.int64), np.diff(total.indptr))
    total_cols = total.indices
    if vectorizer.term_words is None:
        # Each term's words as columns of the vocabulary (a kept pair's words are kept words too).
        first = np.empty(len(vocabulary), dtype=np.int64)
        second = np.empty(len(vocabulary), dtype=np.int64)
        for term, column in vocabulary.items():
            words = term.split(" ")
            first[column] = vocabulary[words[0]]
            second[column] = vocabulary[words[-1]]
    else:
        first, second = vectorizer.term_words
    size = len(vocabulary)
    if names is None:
        names = [name_words(text) for text in documents]
    name_keys = _sorted_unique(np.array(
        [row * size + vocabulary[w] for row, found in enumerate(names) for w in found if w in vocabulary],
        dtype=np.int64))
    is_name = (_sorted_holds(name_keys, total_rows * size + first[total_cols])
               & _sorted_holds(name_keys, total_rows * size + second[total_cols]))
    # idf of a term two articles hold: the most specific a shared term can be (min_df is 2).
    rarest = math.log((len(documents) + 1) / 3) + 1.0
    specificity = np.clip((vectorizer.idf - 1.0) / max(rarest - 1.0, 1e-12), 0.0, 1.0)
    name_weight = 1.0 + (NAME_WEIGHT - 1.0) * specificity**NAME_SPECIFICITY_POWER
    values = (1.0 + np.log(total.data)) * vectorizer.idf[total_cols] * np.where(is_name, name_weight[total_cols], 1.0)
    weighted = sparse.csr_matrix((values, total.indices, total.indptr), shape=matrix.shape)
    return _normalise_rows(weighted)



def _count_matrix(counted: list[Counter], vocabulary: dict[str, int]):
    """Documents x vocabulary matrix of term counts (terms outside the vocabulary left out)."""
    from scipy import sparse

    rows, cols, values = [], [], []
    for row, counts in enumerate(counted):
        for term, count in counts.items():
            column = vocabulary.get(term)
            if column is not None:
                rows.append(row)
                cols.append(column)
                values.append(count)
    return sparse.csr_matrix((np.array(values, dtype=np.float64), (rows, cols)), shape=(len(counted), len(vocabulary)))



def story_terms(text: str) -> list[str]:
    """Terms for story similarity: content words and pairs of adjacent content words ("white house")."""
    words = content_words(text)
    return words + [f"{a} {b}" for a, b in zip(words, words[1:])]



def _normalise_rows(matrix):
    """A copy of a CSR matrix with each non-empty row scaled to unit length (squares summed in stored order)."""
    matrix = matrix.tocsr(copy=True)
    matrix.data = matrix.data.astype(np.float64)
    _divide_by_row_norms(matrix.data, matrix.indptr)
    return matrix



class _Vectorizer:
    """TF-IDF as story grouping weighs terms: 1 + log(count) times the smoothed idf, rows of unit length.

    ``vocabulary`` maps each kept term to its column (terms in sorted order); ``idf`` is
    ``log((1 + n) / (1 + df)) + 1`` over the ``n`` fitted documents. ``term_words``: each column's first
    and last word as columns (a word is both), worked out from the vocabulary when not given.
    """

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray,
                 term_words: tuple[np.ndarray, np.ndarray] | None = None):
        self.vocabulary = vocabulary
        self.idf = idf
        self.term_words = term_words  # each column's first and last word, as columns, when the fit has them

    def transform(self, texts: Sequence[str]):
        """Unit-length TF-IDF rows of ``texts`` over the fitted vocabulary (terms outside it are ignored)."""
        rows, cols, counts = [], [], []
        for row, text in enumerate(texts):
            counted = Counter(t for t in story_terms(text) if t in self.vocabulary)
            rows.extend([row] * len(counted))
            cols.extend(self.vocabulary[t] for t in counted)
            counts.extend(counted.values())
        return _weighted(len(texts), len(self.idf), rows, cols, counts, self.idf)



def _weighted(n_rows: int, n_cols: int, rows, cols, counts, idf: np.ndarray, rank: np.ndarray | None = None):
    """CSR matrix of sublinear tf times idf, each row divided by its L2 norm.

    Within a row, terms are stored by ``rank`` (column order without it), and the
    squares of the norm are summed in that order: the order fixes the last bits
    of every dot product, which then match scikit-learn's TfidfVectorizer.
    """
    from scipy import sparse

    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int32)
    within = cols if rank is None else rank[cols]
    span = int(within.max(initial=0)) + 1
    if n_rows * span < 2**62:
        # One int64 key per entry, distinct (a row holds a column once): a plain sort gives lexsort's order, faster.
        key = rows * span
        key += within
        del within
        order = np.argsort(key)
        del key
    else:
        order = np.lexsort((within, rows))
    rows, cols = rows[order], cols[order]
    data = np.log(np.asarray(counts, dtype=np.float64)[order])
    data += 1.0
    data *= idf[cols]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
    _divide_by_row_norms(data, indptr)
    return sparse.csr_matrix((data, cols, indptr.astype(np.int32)), shape=(n_rows, n_cols))



def _divide_by_row_norms(data: np.ndarray, indptr: np.ndarray) -> None:
    """Divide each CSR row's values by their L2 norm, in place; empty rows stay as they are.

    The squares are added one position at a time in column order, as a plain loop
    would, so the norms do not depend on numpy's pairwise summation.
    """
    lengths = np.diff(indptr)
    total = np.zeros(len(lengths))
    squares = data * data
    rows = np.flatnonzero(lengths)
    for position in range(int(lengths.max(initial=0))):
        rows = rows[lengths[rows] > position]
        total[rows] += squares[indptr[rows] + position]
    norms = np.sqrt(total)
    norms[norms == 0.0] = 1.0
    data /= np.repeat(norms, lengths)



def _tfidf(documents: list[str]):
    """The fitted ``_Vectorizer`` and the documents' TF-IDF matrix; ``(None, identity)`` with no shared term.

    Only terms shared by two or more articles can link articles; the rest would only dilute the vectors.
    """
    vectorizer, matrix, _ = _fit_tfidf(documents)
    return vectorizer, matrix



def _read_document(text: str) -> tuple[str, str, set[str]]:
    """The per-document text work of story grouping: the lede (first ``LEDE_LINES`` lines) and the rest
    in ``normalise``'s form (the words of the two are the document's words: no word spans a line), and
    the document's ``name_words``."""
    parts = text.split("\n", LEDE_LINES)
    lede = normalise_uncached("\n".join(parts[:LEDE_LINES]))
    rest = normalise_uncached(parts[LEDE_LINES]) if len(parts) > LEDE_LINES else ""
    return lede, rest, name_words(text)



def _read_documents(documents: Sequence[str]) -> list[tuple[str, str, set[str]]]:
    """``_read_document`` of each document, in order; in worker processes for many documents."""
    if workers.use_pool(len(documents), POOL_MIN_DOCUMENTS):
        return list(workers.ordered_map(_read_document, documents, chunk=_POOL_CHUNK))
    return [_read_document(text) for text in documents]



def _read_with_forms(articles: Sequence[CleanArticle], documents: Sequence[str],
                     forms: TextForms) -> list[tuple[str, str, set[str]]]:
    """``_read_documents(documents)`` from the paragraphs' forms worked out where they were cleaned (the
    same: normal forms and name words never span a line, and each paragraph is one line)."""
    read = []
    normal_forms, names = forms.normal_forms, forms.names
    has_forms, has_names = normal_forms.__contains__, names.__contains__
    line_break = repeat("\n")
    # The per-paragraph checks and look-ups are maps of C methods: a big run has 150k paragraphs.
    for article, document in zip(articles, documents):
        texts = [p.text for p in article.paragraphs]
        title = article.article.title or ""
        if ("\n" in title or any(map(str.__contains__, texts, line_break))
                or not all(map(has_forms, texts)) or not all(map(has_names, texts))):
            read.append(_read_document(document))  # a line break inside a line, or no forms for a paragraph
            continue
        lines = [normalise_uncached(title), *map(normal_forms.__getitem__, texts)]
        lede = " ".join(filter(None, lines[:LEDE_LINES]))
        rest = " ".join(filter(None, lines[LEDE_LINES:]))
        found = name_words(title)
        found.update(*map(names.__getitem__, texts))
        read.append((lede, rest, found))
    return read



def _fit_tfidf(documents: list[str]):
    """``_tfidf``'s vectorizer and matrix, and the documents x terms count matrix (to be reused)."""
    vectorizer, matrix, counts, _ = _fit_story_terms(documents)
    return vectorizer, matrix, counts



def _fit_story_terms(documents: list[str], read: list[tuple[str, str, set[str]]] | None = None):
    """``_fit_tfidf``'s vectorizer, matrix and counts, and the documents x terms count matrix of each
    document's lede (its first ``LEDE_LINES`` lines), from one pass over the text.

    Each document's content words become integer ids (the lede's words are the first of them: words never
    span a line), its adjacent pairs integer codes of two ids, and the counting, document frequencies
    and first-met order are array operations; strings are made only for the terms kept. ``read`` is
    ``_read_documents(documents)`` when the caller has it.
    """
    from scipy import sparse

    n = len(documents)
    min_df = 2 if n > 1 else 1
    word_id: defaultdict[str, int] = defaultdict()
    word_id.default_factory = word_id.__len__  # a new word gets the next id, all in C
    # Every word read as its id, 4 bytes each, read as an array without a copy: on a big run the arrays over
    # every word (stop words too) are the fit's largest, and fresh memory is much of its time.
    ids = array("i")
    parts = np.zeros(2 * n, dtype=np.int64)  # the words of each document's lede, then of its rest
    for row, (lede_text, rest_text, _) in enumerate(_read_documents(documents) if read is None else read):
        lede, rest = lede_text.split(), rest_text.split()
        # one list of the document's ids, lede first, appended whole: a quarter cheaper than extending the
        # array from a lazy map twice per document (ids are given in the same order)
        ids.fromlist(list(map(word_id.__getitem__, lede + rest)))
        parts[2 * row], parts[2 * row + 1] = len(lede), len(rest)
    words = list(word_id)
    n_words = max(len(words), 1)
    # content_words' rule, once per distinct word
    is_content = np.fromiter((len(w) > 1 and w not in STOP_WORDS for w in words), dtype=bool, count=len(words))
    all_ids = np.frombuffer(ids, dtype=np.intc) if len(ids) else np.zeros(0, dtype=np.intc)
    content = is_content[all_ids]
    word = all_ids[content].astype(np.int64)
    # The content words of each part: differences of the running count of content words at the parts' ends.
    running = np.zeros(len(content) + 1, dtype=np.int64 if len(content) >= 2**31 else np.int32)
    np.cumsum(content, out=running[1:])
    part_words = np.diff(running[np.cumsum(parts)], prepend=0).astype(np.int64)
    del all_ids, ids, content, running
    word_doc = np.repeat(np.arange(n, dtype=np.int64), part_words[0::2] + part_words[1::2])
    word_lede = np.repeat(np.tile(np.array([True, False]), n), part_words)
    # Adjacent content words of one document: a pair, coded as n_words + first * n_words + second.
    same = word_doc[1:] == word_doc[:-1]
    pair = n_words + word[:-1][same] * n_words + word[1:][same]
    pair_doc, pair_lede = word_doc[:-1][same], word_lede[1:][same]
    # The order terms are first met in (story_terms: a document's words, then its pairs; documents in
    # order): each occurrence's place in that sequence, for the within-row order of _weighted.
    word_count = np.bincount(word_doc, minlength=n)
    pair_count = np.bincount(pair_doc, minlength=n)
    block = np.concatenate([[0], np.cumsum(word_count + pair_count)[:-1]]) if n else np.zeros(0, dtype=np.int64)
    word_start = np.concatenate([[0], np.cumsum(word_count)[:-1]]) if n else np.zeros(0, dtype=np.int64)
    pair_start = np.concatenate([[0], np.cumsum(pair_count)[:-1]]) if n else np.zeros(0, dtype=np.int64)
    place = np.empty(len(word) + len(pair), dtype=np.int64)
    place[: len(word)] = np.arange(len(word))
    place[: len(word)] += (block - word_start)[word_doc]
    place[len(word):] = np.arange(len(pair))
    place[len(word):] += (block + word_count - pair_start)[pair_doc]
    del word_doc, pair_doc
    code = np.concatenate([word, pair])
    del word, pair
    lede_of_place = np.empty(len(place), dtype=bool)
    lede_of_place[place] = np.concatenate([word_lede, pair_lede])
    del word_lede, pair_lede
    # (int32 where it fits: half the memory, the same numbers)
    doc_of_place = np.repeat(np.arange(n, dtype=np.int32 if n < 2**31 else np.int64), word_count + pair_count)
    keys, distinct_pairs = _term_keys(code, place, n_words)
    del code  # keys may be its memory
    term_codes, first_place, cell_doc, cell_term, cell_count, lede_doc, lede_term, lede_count = _count_cells(
        keys, len(place), distinct_pairs, doc_of_place, lede_of_place, n_words)
    del keys, place, doc_of_place, lede_of_place
    df = np.bincount(cell_term, minlength=len(term_codes))
    kept = np.flatnonzero(df >= min_df)
    if not len(kept):  # no content word anywhere: every article is its own story
        return None, sparse.identity(n, format="csr"), None, None

    kept_codes = term_codes[kept]
    is_pair = kept_codes >= n_words
    first_word = np.where(is_pair, (kept_codes - n_words) // n_words, kept_codes)
    second_word = np.where(is_pair, (kept_codes - n_words) % n_words, -1)
    by_text = _text_order(words, first_word, second_word)
    column_terms = kept[by_text]
    column_of = np.full(len(term_codes), -1, dtype=np.int64)
    column_of[column_terms] = np.arange(len(column_terms))

    def column_of_code(codes: np.ndarray) -> np.ndarray:
        return column_of[np.minimum(np.searchsorted(term_codes, codes), len(term_codes) - 1)]

    first_word, second_word = first_word[by_text], second_word[by_text]
    # Each column's first and last word as columns (a kept pair's words are kept words: each is in at least as
    # many documents), for _grouping_matrix; a word's code is its id, and a word is its own last word.
    first_column = column_of_code(first_word)
    last_column = np.where(second_word < 0, first_column, column_of_code(second_word))
    first_word, second_word = first_word.tolist(), second_word.tolist()
    # A string for each kept term only, made in C (map, zip, join) in column order.
    texts = list(map(words.__getitem__, first_word))
    pairs = np.flatnonzero(is_pair[by_text]).tolist()
    pair_texts = map(" ".join, zip(map(texts.__getitem__, pairs), map(words.__getitem__, map(second_word.__getitem__, pairs))))
    for column, text in zip(pairs, pair_texts):
        texts[column] = text
    vocabulary = dict(zip(texts, range(len(texts))))
    rank = first_place[column_terms]
    idf = np.full(len(column_terms), n + 1, dtype=np.float64)
    idf /= df[column_terms].astype(np.float64) + 1.0
    np.log(idf, out=idf)
    idf += 1.0
    cols = column_of[cell_term]
    keep = cols >= 0
    rows, cols, values = cell_doc[keep], cols[keep], cell_count[keep].astype(np.float64)
    del cell_doc, cell_term, cell_count, keep  # each array freed once used: the fit's peak is the run's
    shape = (n, len(column_terms))
    counts = sparse.csr_matrix((values, (rows, cols)), shape=shape)
    lede_cols = column_of[lede_term]
    lede_keep = lede_cols >= 0
    lede = sparse.csr_matrix((lede_count[lede_keep].astype(np.float64), (lede_doc[lede_keep], lede_cols[lede_keep])),
                             shape=shape)
    del lede_doc, lede_term, lede_count, lede_cols, lede_keep, rows, cols, values
    # The same cells read back from ``counts`` (_weighted orders each row by rank whatever the order given),
    # so that no second copy of them is held while it works.
    matrix = _weighted(n, len(column_terms), np.repeat(np.arange(n, dtype=np.int64), np.diff(counts.indptr)),
                       counts.indices, counts.data, idf, rank)
    return _Vectorizer(vocabulary, idf, (first_column, last_column)), matrix, counts, lede



def _term_keys(code: np.ndarray, place: np.ndarray, n_words: int) -> tuple[np.ndarray, np.ndarray | None]:
    """One int64 key per occurrence, ``code * len(place) + place``, for ``_count_cells`` (made in ``code``'s
    memory); and the pairs' distinct codes (sorted) when there are too many words for a pair's code and place
    to fit in one int64: the pairs are then numbered densely first (the same order, so the same terms)."""
    span = len(place)
    distinct_pairs = None
    if (n_words + n_words * n_words) * span >= 2**62:
        distinct_pairs = _sorted_unique(code[code >= n_words])
        code = np.where(code < n_words, code, n_words + np.searchsorted(distinct_pairs, code))
    code *= span  # the keys are made in the codes' own memory
    code += place
    return code, distinct_pairs


def _count_cells(keys: np.ndarray, span: int, distinct_pairs: np.ndarray | None, doc_of_place: np.ndarray,
                 lede_of_place: np.ndarray, n_words: int):
    """The distinct term codes (sorted), each one's first place, and the (document, term) cells with their
    counts, of all occurrences and of those in a lede: what ``np.unique`` over the codes and then over
    document x term keys gives, from one sort. ``keys`` are ``_term_keys`` of each occurrence's term code and
    its place in first-met order (a permutation of ``range(span)``), sorted here in place (their memory is
    reused); a term is its index in the sorted codes."""
    places = span
    if not places:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty, empty, empty, empty, empty
    # Sorted by code and then place, each term's occurrences run in first-met order, hence in document order.
    # (In place, each array dropped once used: they are as long as all the words, and fresh memory costs.)
    keys.sort()
    places_sorted = keys % span
    codes = keys
    codes //= span
    new_term = np.empty(places, dtype=bool)
    new_term[0] = True
    np.not_equal(codes[1:], codes[:-1], out=new_term[1:])
    term_starts = np.flatnonzero(new_term)
    term_codes, first_place = codes[term_starts], places_sorted[term_starts]
    del term_starts
    if distinct_pairs is not None:
        term_codes = np.where(term_codes < n_words, term_codes, distinct_pairs[np.maximum(term_codes - n_words, 0)])
    docs = doc_of_place[places_sorted]
    in_lede = lede_of_place[places_sorted]
    del places_sorted
    term = np.cumsum(new_term, out=codes)  # the codes are no longer needed
    term -= 1
    del new_term

    def cells(terms: np.ndarray, documents: np.ndarray):
        # occurrences sorted by term, then document: a cell is a run of one term in one document
        starts = np.empty(len(terms), dtype=bool)
        starts[:1] = True
        starts[1:] = (terms[1:] != terms[:-1]) | (documents[1:] != documents[:-1])
        at = np.flatnonzero(starts)
        del starts
        counts = np.empty(len(at), dtype=np.int64)  # np.diff(np.append(at, len(terms))), without the copies
        np.subtract(at[1:], at[:-1], out=counts[:-1])
        counts[-1:] = len(terms) - at[-1:]
        return documents[at], terms[at], counts

    cell_doc, cell_term, cell_count = cells(term, docs)
    lede_doc, lede_term, lede_count = cells(term[in_lede], docs[in_lede])
    return term_codes, first_place, cell_doc, cell_term, cell_count, lede_doc, lede_term, lede_count



def _text_order(words: list[str], first_word: np.ndarray, second_word: np.ndarray) -> np.ndarray:
    """The order of terms by their text, sorted as strings: term ``k`` is word ``first_word[k]``, followed by
    word ``second_word[k]`` after a space when that is not -1.

    Words without spaces or control characters (every character above " ") sort their pairs "a b" as the
    tuples (a, b) do, a word before the pairs it opens: the words are ranked once, the terms by two ranks.
    """
    if words and min(map(min, words)) > " ":
        word_rank = np.empty(len(words), dtype=np.int64)
        word_rank[sorted(range(len(words)), key=words.__getitem__)] = np.arange(len(words))
        key = word_rank[first_word] * (len(words) + 1) + np.where(second_word < 0, 0, word_rank[second_word] + 1)
        return np.argsort(key)  # keys are distinct: any sort gives the one order
    texts = [words[a] if b < 0 else f"{words[a]} {words[b]}" for a, b in zip(first_word.tolist(), second_word.tolist())]
    return np.asarray(sorted(range(len(texts)), key=texts.__getitem__), dtype=np.int64)
