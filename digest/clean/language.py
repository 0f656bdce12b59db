"""Each article's language, so that English rules brief English articles and other languages stay apart.

py3langid (a maintained fork of langid.py: a naive Bayes model over byte n-grams of 97 languages,
shipped with the package) names the language of the article's kept text. A call made on fewer
than ``MIN_WORDS`` words, or with a probability below ``MIN_CONFIDENCE``, is no call: such an
article is briefed as English, the language of the rules, rather than set apart on a guess
(on multinews-raw, a paragraph-level call below 0.9 is wrong far more often than right; see
bench/languages.py). A language stated by the source (feed, page, front matter) wins.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Sequence

from digest.models import CleanArticle

ENGLISH = "en"
MIN_WORDS = 8
MIN_CONFIDENCE = 0.9
# The opening is enough, and keeps the cost per article flat: 0 of multinews-raw's 277 English documents are
# miscalled at 1,000 characters or at 2,000, which cost twice the time (0.63 against 0.34 ms a document).
SAMPLE_CHARS = 1000

_model: Future | None = None  # the loaded (or loading) identifier, shared by every call in this process
_model_lock = threading.Lock()


def _load_into(model: Future) -> None:
    try:
        model.set_result(_load_identifier())
    except BaseException as exc:  # handed to whoever waits for the model, raised there
        model.set_exception(exc)


# py3langid ships its model as 68 MB of xz (4.5 MB on disk); decompressing it is most of a small run's
# language detection (0.4-1 s of CPU). The decompressed arrays are kept in the user's cache folder, keyed
# by the model file's size and time, and read back memory-mapped: the same arrays, so the same calls.
_CACHE_FORMAT = 1
_ARRAYS = ("ptc", "pc", "nextmove", "row", "output")


def _load_identifier() -> Any:
    """py3langid's identifier (normalised probabilities), its model read from the cache when it is there."""
    import numpy as np
    from py3langid import modelio
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    source = Path(MODEL_DIR) / MODEL_FILE
    folder = _cache_folder(source)
    parts = _read_cached(folder) if folder else None
    if parts is None:
        parts = modelio.load_model(source)  # what LanguageIdentifier.from_model_file reads
        if folder:
            shutil.rmtree(folder, ignore_errors=True)  # a copy that is not whole is replaced
            _write_cached(folder, parts)
    ptc, pc, classes, nextmove, row, output = parts
    # As LanguageIdentifier.from_model_file builds it, with the byte walk in arrays (``_WindowWalk``).
    identifier = _identifier_class()(np.asarray(ptc), np.asarray(pc), classes, nextmove, output, norm_probs=True,
                                     tk_row=row)
    identifier.prepare_walk()
    return identifier


# py3langid counts its byte n-gram features by walking a DFA byte by byte in Python (0.6 ms of the 1 ms an
# article's call costs), then scores them on its float16 table, which numpy converts to float32 row by row
# (most of the rest). The DFA is an Aho-Corasick automaton over n-grams of at most 6 bytes, so the state after
# any byte is the state reached from the start by the last 6 bytes alone: every position's state is worked out
# at once, in arrays, 6 steps from the start, and each is checked against the one step the plain walk takes
# from the state before it (``window_states``), so the states are the plain walk's whatever the model (when a
# check fails, the plain walk is taken). The rows are converted through a 65,536-entry table of every float16's
# float32 value: the same numbers numpy's conversion gives, multiplied in the same order.
WALK_WINDOW = 6


def window_states(moves: Any, rowbase: Any, data: Any, window: int = WALK_WINDOW) -> Any:
    """The DFA state after each byte of ``data`` (uint8 array) as py3langid's ``visit_counts`` walks it
    (``moves[rowbase[state] + byte]`` from state 0), or None when a state read from the last ``window``
    bytes is not the one the walk reaches."""
    import numpy as np

    size = len(data)
    states = np.zeros(size, dtype=np.int64)
    for back in range(min(window, size) - 1, -1, -1):  # each position's window of bytes, oldest first
        states[back:] = moves[rowbase[states[back:]] + data[: size - back]]
    # The walk's first state is states[0] (one step from the start); each later one must be one step from its
    # predecessor: then, by induction, every state is the walk's.
    if size > 1 and not np.array_equal(moves[rowbase[states[:-1]] + data[1:]], states[1:]):
        return None
    return states


def feature_visits(states: Any, outputs: Any) -> tuple[Any, Any]:
    """The features the states output (``outputs[state] >= 0``) and how often, in first-met order: the keys
    and values of py3langid's ``visit_counts`` (a ``Counter``)."""
    import numpy as np

    found = outputs[states]
    found = found[found >= 0]
    features, first, counts = np.unique(found, return_index=True, return_counts=True)
    order = np.argsort(first, kind="stable")
    return features[order], counts[order]


_identifier_classes: list[type] = []


def _identifier_class() -> type:
    """py3langid's ``LanguageIdentifier``, its raw score counted by ``window_states`` and ``feature_visits``."""
    if _identifier_classes:
        return _identifier_classes[0]
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    class WindowIdentifier(LanguageIdentifier):
        __slots__ = ("_walk", "_table")

        def prepare_walk(self) -> None:
            self._walk = (np.asarray(self.tk_nextmove), np.asarray(self.tk_row, dtype=np.int64) << 8,
                          np.asarray(self.tk_output, dtype=np.int64))
            ptc = self.nb_ptc
            # float32 copies of the rows scored so far (the pages of rows never scored are never touched)
            self._table = (np.empty(ptc.shape, dtype=np.float32), np.zeros(len(ptc), dtype=bool))

        def _raw_score(self, text: bytes) -> Any:
            moves, rowbase, outputs = self._walk
            states = window_states(moves, rowbase, np.frombuffer(text, dtype=np.uint8)) if text else None
            if states is None or self.nb_ptc is not self._full_model[0]:  # or restricted by set_languages
                return super()._raw_score(text)
            features, counts = feature_visits(states, outputs)
            if not len(features):
                return super()._raw_score(text)
            rows, converted = self._table
            new = features[~converted[features]]
            if len(new):
                rows[new] = self.nb_ptc[new]  # numpy's own conversion, once per row
                converted[new] = True
            # py3langid's _sparse_score, on the same numbers: numpy converts the float16 rows to these first
            return np.log1p(counts.astype(np.float32)) @ rows[features] + self.nb_pc

    _identifier_classes.append(WindowIdentifier)
    return WindowIdentifier


def _cache_folder(source: Path) -> Path | None:
    try:
        from digest.settings import user_places

        stat = source.stat()
        return user_places().cache / f"py3langid-model-{_CACHE_FORMAT}-{stat.st_size}-{stat.st_mtime_ns}"
    except (OSError, ValueError):
        return None


def _read_cached(folder: Path) -> tuple | None:
    """The model's parts from ``folder``, or None when it is missing or not whole."""
    import numpy as np

    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
        if {name: [list(a.shape), a.dtype.str] for name, a in arrays.items()} != manifest["arrays"]:
            return None
        return (arrays["ptc"], np.array(arrays["pc"]), list(manifest["classes"]),
                _item_view(arrays["nextmove"]), _item_view(arrays["row"]), arrays["output"].tolist())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _item_view(values: Any) -> memoryview:
    # py3langid walks its automaton by item access from Python, on a stdlib array as modelio builds it. A
    # memoryview of the mapped file gives the same ints without copying its 40 MB first (50 ms of a small run):
    # only the pages a text walks through are read.
    import numpy as np

    return memoryview(np.ascontiguousarray(values)).cast("B").cast({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])


def _write_cached(folder: Path, parts: tuple) -> None:
    """Write the parts into ``folder`` whole or not at all (a temporary folder renamed into place)."""
    import numpy as np

    ptc, pc, classes, nextmove, row, output = parts
    arrays = {"ptc": np.asarray(ptc), "pc": np.asarray(pc),
              "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
              "row": np.frombuffer(row, dtype=f"u{row.itemsize}"), "output": np.asarray(output, dtype=np.int32)}
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        try:
            for name, values in arrays.items():
                np.save(staging / f"{name}.npy", values)
            manifest = {"classes": list(classes),
                        "arrays": {name: [list(a.shape), a.dtype.str] for name, a in arrays.items()}}
            (staging / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
            os.replace(staging, folder)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    except OSError:
        pass  # another run put it there first, or the cache cannot be written: next run decompresses again


def _claim() -> tuple[Future, bool]:
    """The process's model future, and whether this caller must load it."""
    global _model
    with _model_lock:
        if _model is not None:
            return _model, False
        _model = Future()
        return _model, True


def preload_model() -> None:
    """Start loading the language model in a background thread, for a run that is about to clean articles.

    Most of the load (0.4-1 s) is the xz decompression of the model file, which runs outside the GIL,
    so on a second core it overlaps the imports and reading that come before cleaning. A run that never
    detects a language only spends that core's time. Harmless to call twice.
    """
    import py3langid.langid  # noqa: F401 - imported here, not in the thread: numpy's import stays on one thread

    model, mine = _claim()
    if mine:
        threading.Thread(target=_load_into, args=(model,), name="langid-model", daemon=True).start()


def wait_for_preload() -> None:
    """Block until a model load started by ``preload_model`` has finished (before forking workers,
    which would otherwise inherit a load that never completes). Starts no load of its own."""
    with _model_lock:
        model = _model
    if model is not None:
        model.exception()  # waits; a failed load is raised later, by the call that needs the model


def load_model() -> None:
    """Load the language model in this process now (waiting for a load already started), so that worker
    processes forked afterwards have it in memory instead of each loading its own."""
    _identifier()


def _identifier() -> Any:
    # Loading the model takes a moment; only a run that detects a language (or preloads it) pays for it.
    model, mine = _claim()
    if mine:
        _load_into(model)
    return model.result()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language, or None when the text is too short or the call too unsure."""
    sample = text[:SAMPLE_CHARS]
    if len(re.findall(r"\w+", sample)) < MIN_WORDS and not re.search(r"[^\x00-\u024f\s\d\W]", sample):
        return None
    code, probability = _identifier().classify(sample)
    return code if probability >= MIN_CONFIDENCE else None


def stated_language(tag: str | None) -> str | None:
    """The primary subtag of a language the source states ("en-GB" -> "en"), or None."""
    if not tag:
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def by_language(articles: Sequence[CleanArticle]) -> list[tuple[str, list[CleanArticle]]]:
    """Articles grouped by language, English (and articles of no known language) first, the others by code."""
    groups: dict[str, list[CleanArticle]] = {}
    for clean in articles:
        groups.setdefault(clean.article.language or ENGLISH, []).append(clean)
    return sorted(groups.items(), key=lambda item: (item[0] != ENGLISH, item[0]))


def language_notes(groups: Sequence[tuple[str, Sequence[CleanArticle]]]) -> tuple[str, ...]:
    """The run's message about articles in other languages than English, when there are any."""
    others = [(code, len(members)) for code, members in groups if code != ENGLISH]
    if not others:
        return ()
    counted = ", ".join(f"{n} in {code}" for code, n in others)
    total = sum(n for _, n in others)
    return (f"{total} article{'s' * (total != 1)} not in English ({counted}) kept out of the English stories "
            f"and briefed apart; the briefing rules are written for English",)
