"""Language detectors compared on short texts and on real English news: py3langid (what the tool uses) and lingua.

- **hand-made set** (bench/gold/languages.json: one or two made-up news sentences in 20 languages):
  texts whose language is found;
- **multinews-raw** (all English): documents (their first ``SAMPLE_CHARS`` characters, as the tool reads them) and paragraphs of three
  words or more wrongly called another language, raw and as the tool decides (digest.clean.language:
  a call below its confidence, or on too few words, stays English);
- **speed**: model load time, and milliseconds per document and per paragraph (one pass each, the
  two detectors in one run on this shared machine).

    .venv/bin/python bench/languages.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "lib"))

from rawnews import GOLD, load_clusters  # noqa: E402

from digest.clean import split_paragraphs  # noqa: E402
from digest.clean.language import SAMPLE_CHARS, detect_language  # noqa: E402


def main() -> None:
    texts = json.loads((GOLD / "languages.json").read_text(encoding="utf-8"))["texts"]
    documents = [d for c in load_clusters() for d in c.documents]
    paragraphs = [p for d in documents for p in split_paragraphs(d) if len(p.split()) >= 3]

    started = time.perf_counter()
    import py3langid
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.classify("warm up")
    langid_load = time.perf_counter() - started
    started = time.perf_counter()
    from lingua import LanguageDetectorBuilder

    lingua = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
    lingua.detect_language_of("warm up")
    lingua_load = time.perf_counter() - started

    def lingua_code(text: str) -> str | None:
        found = lingua.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else None

    detectors = {
        "py3langid 0.4": lambda t: identifier.classify(t)[0],
        "lingua 2 (low accuracy mode)": lingua_code,
        "digest (py3langid + rules)": lambda t: detect_language(t) or "en",
    }
    loads = {"py3langid 0.4": langid_load, "lingua 2 (low accuracy mode)": lingua_load}
    print(f"hand-made set: {len(texts)} texts in {len({code for code, _ in texts})} languages; "
          f"multinews-raw: {len(documents)} English documents, {len(paragraphs)} paragraphs")
    for name, detect in detectors.items():
        right = sum(detect(text) == code for code, text in texts)
        started = time.perf_counter()
        wrong_documents = sum(detect(d[:SAMPLE_CHARS]) != "en" for d in documents)
        per_document = (time.perf_counter() - started) / len(documents)
        started = time.perf_counter()
        wrong_paragraphs = sum(detect(p) != "en" for p in paragraphs)
        per_paragraph = (time.perf_counter() - started) / len(paragraphs)
        load = f"load {loads[name]:.1f} s   " if name in loads else ""
        print(f"  {name:<29} hand-made {right}/{len(texts)}   English documents called other {wrong_documents}   "
              f"English paragraphs called other {wrong_paragraphs}   {load}"
              f"{1000 * per_document:.2f} ms/document {1000 * per_paragraph:.2f} ms/paragraph")


if __name__ == "__main__":
    main()
