"""Reading PolNeAR (../shared/eval/polnear): articles, their direct quotations and who said them.

PolNeAR's PROVENANCE.md: ``SPLIT/text/NAME.txt`` is the article, ``SPLIT/attributions/NAME_XXXX.ann``
the brat stand-off annotations of one annotator (the first file by name is used when an
article has several). A *direct quotation* is an attribution whose Content span holds a double
quote mark; its Source span names the speaker as the text does there (a name, a description
or a pronoun). Only the ``train`` and ``dev`` splits are read: the corpus's test split is
reserved for acceptance checks and this module refuses it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

RESERVED = frozenset({"test"})
QUOTE_MARK = re.compile("[\"“”]")


def eval_root() -> Path:
    """../shared/eval, found by walking up from the repository root (as bench/stories.py does)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "shared" / "eval"
        if candidate.is_dir():
            return candidate
    raise SystemExit("cannot find shared/eval above the repository")


@dataclass(frozen=True, slots=True)
class Span:
    kind: str
    ranges: tuple[tuple[int, int], ...]
    text: str

    @property
    def start(self) -> int:
        return self.ranges[0][0]

    @property
    def end(self) -> int:
        return self.ranges[-1][1]

    def overlap(self, start: int, end: int) -> int:
        return sum(max(0, min(b, end) - max(a, start)) for a, b in self.ranges)


@dataclass(frozen=True, slots=True)
class Attribution:
    content: Span
    source: Span | None
    cue: Span | None

    @property
    def direct(self) -> bool:
        return bool(QUOTE_MARK.search(self.content.text))


@dataclass(slots=True)
class Document:
    name: str
    path: Path
    text: str
    attributions: list[Attribution] = field(default_factory=list)

    @property
    def quotations(self) -> list[Attribution]:
        return [a for a in self.attributions if a.direct]


def parse_ann(text: str, article: str) -> list[Attribution]:
    """Attributions of one brat file; span texts are re-read from the article (brat joins pieces with spaces)."""
    spans: dict[str, Span] = {}
    relations: list[dict[str, str]] = []
    for line in text.splitlines():
        if line.startswith("T") and line.count("\t") >= 1:
            tid, middle, *_ = line.split("\t")
            kind, rest = middle.split(" ", 1)
            ranges = tuple(tuple(map(int, r.split())) for r in rest.split(";"))
            spans[tid] = Span(kind, ranges, " ".join(article[a:b] for a, b in ranges))  # type: ignore[arg-type]
        elif line.startswith("E") and line.count("\t") >= 1:
            relations.append(dict(part.split(":", 1) for part in line.split("\t")[1].split()))
    out = []
    for rel in relations:
        content = spans.get(rel.get("Content", ""))
        if content is None:
            continue
        out.append(Attribution(content, spans.get(rel.get("Source", "")), spans.get(rel.get("Cue", ""))))
    return out


def load_split(split: str, limit: int | None = None) -> list[Document]:
    """The articles of ``split`` (train or dev) with one annotator's attributions each."""
    if split in RESERVED:
        raise SystemExit(f"the PolNeAR {split} split is reserved for acceptance checks and is not read")
    root = eval_root() / "polnear" / split
    docs = []
    for path in sorted((root / "text").glob("*.txt"))[:limit]:
        text = path.read_text(encoding="utf-8")
        anns = sorted((root / "attributions").glob(f"{path.stem}_*.ann"))
        doc = Document(path.stem, path, text)
        if anns:
            doc.attributions = parse_ann(anns[0].read_text(encoding="utf-8"), text)
        docs.append(doc)
    return docs


# --- finding a reported quote in the article text ---------------------------------------

_SPACE = re.compile(r"\s+")


def folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` with marks unified, whitespace collapsed and case folded; and each folded char's offset in ``text``."""
    out: list[str] = []
    offsets: list[int] = []
    last_space = True
    for i, ch in enumerate(text):
        ch = _fold_char(ch)
        if not ch:
            continue
        if ch.isspace():
            if last_space:
                continue
            ch = " "
            last_space = True
        else:
            last_space = False
        for c in ch:
            out.append(c)
            offsets.append(i)
    return "".join(out), offsets


def _fold_char(ch: str) -> str:
    if ch in "“”„\"«»":
        return '"'
    if ch in "‘’'`":
        return "'"
    if ch in "\u00ad\u200b\ufeff":
        return ""
    if ch in "–—‐-":
        return "-"
    return unicodedata.normalize("NFKC", ch).lower()


def locate(quote: str, folded: str, offsets: list[int], after: int = 0) -> tuple[int, int] | None:
    """(start, end) offsets of ``quote`` in the article (its head and tail, searched from ``after``), or None."""
    q, _ = folded_with_offsets(quote)
    q = q.strip(" .,;:…")
    if not q:
        return None
    head, tail = q[:40], q[-40:]
    at = folded.find(head, after)
    if at < 0:
        at = folded.find(head)
    if at < 0:
        return None
    end_at = folded.find(tail, at)
    end = end_at + len(tail) if end_at >= 0 else at + len(head)
    return offsets[at], offsets[min(end, len(offsets)) - 1] + 1
