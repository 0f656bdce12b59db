"""Direct quotations and their speakers, scored against PolNeAR's hand annotations.

Runs ``digest quotes --json`` over the articles of a PolNeAR split (``dev`` by default,
``--split train`` for tuning; the test split is reserved and never read) and scores the
quote bank against the annotations (../shared/eval/polnear, see its PROVENANCE.md):

- **recall**: annotated direct quotations (an attribution whose Content span holds a
  double quote mark, one annotator per article) that some reported quote overlaps;
- **precision**: reported quotes (one per article that carries it) that overlap an
  annotated direct quotation; a quote that cannot be found again in the article text
  counts as wrong;
- **speaker accuracy**, over the found quotations (the reported quote with the largest
  overlap speaks for each): right when the speaker named is the annotated Source or,
  for a Source that is a pronoun or a description ("she", "the mayor", "the piece"),
  the person or body it refers to in the article. Those referents are, for dev, read by
  hand (bench/gold/polnear-dev-referents.json, null where the text names nobody: "a
  source", "the announcer"); for train, where nobody read them, the nearest earlier
  annotated Source that names someone stands in (a proxy: on dev it agrees with the hand
  reading for the share printed as "proxy agreement"). Names match when, after folding
  case, accents, honorifics and titles, a part in parentheses or after a comma, and
  possessives, the tokens of one are all in the other and both end in the same token
  ("Trump" = "Donald Trump", "The Post" = "The New York Post", but "Gary Johnson" is not
  "Gary Johnson's doctor"); a token may be one letter off in a long token (an article's own misspelling),
  and a gold "NAME of BODY" matches as NAME (see ``names_match``). When the referent names nobody, only a null speaker is right;
  a null speaker for a named Source is wrong;
- **counts per attribution rule** (found quotations, and how many got the right speaker);
- **time per article**, wall clock of the whole command over the number of articles.

``--parsers`` scores the rules alone and the rules with spaCy's parser in one run
(``[quotes] quote_parser`` in a config file) and prints the gain and the cost per article.
``--in-process`` calls the library instead of the command line (``digest.compose.quotes``;
the only way to score a checkout without ``digest quotes``, such as the baseline).

    .venv/bin/python bench/quotes.py [--split dev|train] [--half tune|check] [--parsers] [--in-process] [-v]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH / "lib"))
sys.path.insert(0, str(ROOT))

from polnear import Document, Span, eval_root, folded_with_offsets, load_split, locate  # noqa: E402

REFERENTS = BENCH / "gold" / "polnear-dev-referents.json"
GOALS = {"recall": 0.90, "precision": 0.95, "speaker": 0.90}

# --- names -------------------------------------------------------------------------------

_TITLES = frozenset(
    "mr mrs ms miss dr prof sen senator rep gov governor president pres vice former mayor gen general secretary "
    "chairman chairwoman speaker sir lady lord the a an".split())
_PRONOUNS = frozenset("he she it they we i you him her them us who which that this".split())
_DETERMINERS = frozenset("the a an this that his her its their our my another one some several both".split())


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("’", "'").replace("\u00a0", " ").lower()


def name_tokens(name: str) -> list[str]:
    """Comparable tokens of a name: no parentheses, no apposition after a comma, no titles or possessives."""
    text = re.sub(r"\([^)]*\)", " ", fold(name))
    head = text.split(",")[0].strip() or text
    tokens = [re.sub(r"[^a-z0-9'.-]", "", t).strip(".,;:\"'") for t in head.split()]
    tokens = [t for t in tokens if t]
    out = []
    for i, t in enumerate(tokens):
        if t.endswith("'s"):
            if i < len(tokens) - 1:
                continue  # "NBC's Dante Chinni": the possessor is not the name
            t = t[:-2]
        if t.rstrip(".") in _TITLES:
            continue
        out.append(t.rstrip("."))
    return out


def _same_token(a: str, b: str) -> bool:
    """One name token spelt the same, or one letter off in a long token ("Wimes"/"Wines": one person spelt
    two ways in one article, as the tool's name book also merges them)."""
    if a == b:
        return True
    from rapidfuzz.distance import Levenshtein
    return min(len(a), len(b)) >= 5 and Levenshtein.distance(a, b) <= 1


def _match_tokens(a: list[str], b: list[str]) -> bool:
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return all(any(_same_token(t, u) for u in long_) for t in short) and _same_token(short[-1], long_[-1])


def names_match(said: str | None, gold: str | None) -> bool:
    """The speaker named (``said``) is the gold speaker; see the module docstring.

    A gold name with its body after "of" ("Representative Jo Roe of New York", "Mr. Roe of the Sierra
    Club") also matches as the name alone; the office before "of" ("Secretary of State Jo Roe") does not
    make a name of its own. Tokens compare on their ASCII letters (a mojibake accent is read twice alike).
    """
    if gold is None or said is None:
        return gold is None and said is None
    a = name_tokens(said)
    golds = [gold]
    person = re.sub(r"\s+of\s+(?:the\s+)?[A-Z].*$", "", gold.split(",")[0])
    honorific = re.search(r"\b(?:Mr|Mrs|Ms|Dr|Rev)\b", person)
    if person != gold.split(",")[0] and person.split()[-1][:1].isupper() and (
            len(name_tokens(person)) >= 2 or honorific and name_tokens(person)):  # not "Bank of America"
        golds.append(person)
    return any(_match_tokens(a, name_tokens(g)) for g in golds)


def names_someone(source: str) -> bool:
    """A Source span that is a name (or holds one), not a pronoun or a bare description."""
    tokens = source.split()
    if not tokens or (len(tokens) == 1 and tokens[0].lower() in _PRONOUNS):
        return False
    capitals = [i for i, t in enumerate(tokens) if t[:1].isupper()]
    if not capitals:
        return False
    if tokens[0].lower() in _DETERMINERS and tokens[-1][:1].islower() and tokens[-1].isalpha():
        return False  # "The Indiana governor", "a Times article": a description, its referent is read by hand
    return not (capitals == [0] and tokens[0].lower() in _DETERMINERS | _PRONOUNS)


# --- the gold speaker of each quotation ---------------------------------------------------


def load_referents() -> dict[tuple[str, int], str | None]:
    data = json.loads(REFERENTS.read_text(encoding="utf-8"))
    return {(r["article"], r["start"]): r["speaker"] for r in data["referents"]}


def proxy_referent(doc: Document, source: Span) -> str | None:
    """The nearest annotated Source before ``source`` that names someone (the stand-in for train)."""
    earlier = [a.source for a in doc.attributions if a.source and a.source.start < source.start
               and names_someone(a.source.text)]
    return max(earlier, key=lambda s: s.start).text if earlier else None


def gold_speaker(doc: Document, source: Span | None, referents: dict | None) -> str | None:
    if source is None:
        return None
    if names_someone(source.text):
        return source.text
    if referents is not None and (doc.name, source.start) in referents:
        return referents[(doc.name, source.start)]
    return proxy_referent(doc, source)


# --- running the tool ---------------------------------------------------------------------


@dataclass
class Reported:
    """One reported quote in one article."""

    text: str
    speaker: str | None
    rule: str
    span: tuple[int, int] | None = None


@dataclass
class Run:
    name: str
    by_article: dict[str, list[Reported]]
    seconds: float
    entries: int = 0
    disagreements: int = 0


def rule_family(rule: str) -> str:
    """A short name for an attribution rule (the baseline's rules carry the words they matched)."""
    rule = rule or "none"
    if "->" in rule or "earlier named speaker" in rule:
        return "pronoun or description" if "with no earlier" not in rule else "pronoun, nobody named before"
    return rule


def run_cli(folder: Path, config: Path | None) -> tuple[list[dict], float]:
    command = [sys.executable, "-m", "digest", "quotes", "--json", str(folder)]
    if config is not None:
        command += ["-c", str(config)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=3600,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"digest quotes failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()], seconds


def run_in_process(folder: Path, parser: str) -> tuple[list[dict], float]:
    """The library directly: ``quote_bank`` when it exists, else the old per-article ``extract_quotes``."""
    from digest import clean, ingest
    from digest.settings import Settings

    started = time.perf_counter()
    settings = Settings(inputs=(str(folder),))
    articles = ingest.read_inputs([str(folder)], settings).articles
    from digest.compose import quotes as quotes_module

    if hasattr(quotes_module, "quote_bank"):
        from dataclasses import replace
        try:
            settings = replace(settings, quote_parser=parser)
        except TypeError:
            pass
        entries = [e.to_dict() for e in quotes_module.quote_bank(articles, settings)]
        return entries, time.perf_counter() - started
    records = []
    for article in articles:
        cleaned = clean.clean_article(article, settings)
        for q in quotes_module.extract_quotes(cleaned.paragraphs):
            speaker = None if q.speaker == quotes_module.UNATTRIBUTED else q.speaker
            source = {"path": article.path, "url": article.url, "outlet": article.outlet, "text": q.text,
                      "speaker": speaker, "rule": q.rule}
            records.append({"text": q.text, "speaker": speaker, "role": q.role, "context": q.context,
                            "path": article.path, "url": article.url, "outlet": article.outlet,
                            "rule": q.rule, "sources": [source]})
    return records, time.perf_counter() - started


def locate_in_context(text: str, context: str, folded: str, offsets: list[int]) -> tuple[int, int] | None:
    """Where a reported quote is in the article: inside the sentence the tool says it came from.

    A quote's words may come earlier too (a headline repeating the quote, an earlier
    mention); taken at their first occurrence, a quote from the body lands on the
    headline and counts as not annotated while the annotated one counts as missed.
    Without a context that is found (an older tool), the first occurrence stands.
    """
    if context:
        found = locate(context, folded, offsets, after=0)
        if found is not None:
            at = next((i for i, o in enumerate(offsets) if o >= found[0]), 0)
            span = locate(text, folded, offsets, after=at)
            if span is not None and found[0] <= span[0] <= found[1]:
                return span
    return locate(text, folded, offsets, after=0)


def collect(name: str, entries: list[dict], seconds: float, docs: dict[str, Document]) -> Run:
    by_article: dict[str, list[Reported]] = defaultdict(list)
    folded = {n: folded_with_offsets(d.text) for n, d in docs.items()}
    disagreements = 0
    for entry in entries:
        disagreements += bool(entry.get("disagreement"))
        for source in entry.get("sources") or [entry]:
            stem = Path(source.get("path") or "").stem
            if stem not in docs:
                continue
            text = source.get("text") or entry["text"]
            span = locate_in_context(text, source.get("context") or "", *folded[stem])
            by_article[stem].append(Reported(text, entry.get("speaker"), rule_family(
                source.get("rule") or entry.get("rule") or ""), span))
    return Run(name, dict(by_article), seconds, len(entries), disagreements)


# --- scoring ------------------------------------------------------------------------------


@dataclass
class Score:
    quotations: int = 0
    found: int = 0
    right: int = 0
    reported: int = 0
    true_reported: int = 0
    unlocated: int = 0
    null_found: int = 0
    by_rule: Counter = field(default_factory=Counter)
    right_by_rule: Counter = field(default_factory=Counter)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (kind, example)
    kinds: Counter = field(default_factory=Counter)  # wrong speakers by ERROR_KINDS

    def line(self, label: str, articles: int, seconds: float) -> str:
        recall = self.found / self.quotations if self.quotations else 0.0
        precision = self.true_reported / self.reported if self.reported else 0.0
        speaker = self.right / self.found if self.found else 0.0
        return (f"{label:24} recall {recall:.3f} ({self.found}/{self.quotations})  "
                f"precision {precision:.3f} ({self.true_reported}/{self.reported})  "
                f"speaker accuracy {speaker:.3f} ({self.right}/{self.found})  "
                f"{1000 * seconds / max(articles, 1):.0f} ms/article")


_CARRIED = frozenset({"broken quote", "next paragraph", "continued paragraph", "after reported speech"})
# Kinds of wrong speaker, in the order they are told apart (one kind per error).
ERROR_KINDS = ("null speaker where the text names one", "speaker where the text names none", "nested quote",
               "wrong carry-over", "pronoun or description to the wrong one", "wrong name")


def error_kind(said: str | None, gold: str | None, rule: str, nested: bool) -> str:
    """Which kind of wrong speaker this is (``ERROR_KINDS``)."""
    if said is None:
        return ERROR_KINDS[0]
    if gold is None:
        return ERROR_KINDS[1]
    if nested:
        return ERROR_KINDS[2]
    if rule in _CARRIED:
        return ERROR_KINDS[3]
    if "pronoun" in rule or "description" in rule:
        return ERROR_KINDS[4]
    return ERROR_KINDS[5]


def score(run: Run, docs: dict[str, Document], referents: dict | None) -> Score:
    s = Score()
    for name, doc in docs.items():
        reported = run.by_article.get(name, [])
        quotations = doc.quotations
        s.reported += len(reported)
        for r in reported:
            if r.span is None:
                s.unlocated += 1
                s.errors.append(("not found in the article", r.text[:80]))
                continue
            if any(q.content.overlap(*r.span) for q in quotations):
                s.true_reported += 1
            else:
                s.errors.append(("not an annotated quotation", r.text[:80]))
        for q in quotations:
            s.quotations += 1
            overlapping = [(q.content.overlap(*r.span), i, r) for i, r in enumerate(reported) if r.span]
            overlapping = [o for o in overlapping if o[0] > 0]
            if not overlapping:
                around = doc.text[max(0, q.content.start - 60):q.content.end + 30].replace("\n", " | ")
                s.errors.append(("missed", around[:200]))
                continue
            best = max(overlapping)[2]
            s.found += 1
            s.by_rule[best.rule] += 1
            s.null_found += best.speaker is None
            gold = gold_speaker(doc, q.source, referents)
            if names_match(best.speaker, gold):
                s.right += 1
                s.right_by_rule[best.rule] += 1
            else:
                source = q.source.text if q.source else "-"
                nested = any(o is not q and o.content.overlap(q.content.start, q.content.end) for o in quotations)
                s.kinds[error_kind(best.speaker, gold, best.rule, nested)] += 1
                around = doc.text[max(0, best.span[0] - 120):best.span[1] + 60].replace("\n", " | ")
                s.errors.append(("wrong speaker", f"<{error_kind(best.speaker, gold, best.rule, nested)}> {best.speaker!r} [{best.rule}] for {gold!r} (source {source!r}): "
                                                  f"...{around}..."))
    return s


def proxy_agreement(docs: dict[str, Document], referents: dict) -> tuple[int, int]:
    agree = total = 0
    for (article, start), speaker in referents.items():
        doc = docs.get(article)
        if doc is None:
            continue
        source = next((a.source for a in doc.quotations if a.source and a.source.start == start), None)
        if source is None:
            continue
        total += 1
        agree += names_match(proxy_referent(doc, source), speaker)
    return agree, total


def write_config(folder: Path, parser: str) -> Path:
    path = folder / f"quotes-{parser}.toml"
    path.write_text(f'[quotes]\nquote_parser = "{parser}"\n', encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=("dev", "train"), default="dev")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--half", choices=("tune", "check"), default=None,
                    help="only the even (tune) or odd (check) articles, in name order: tune rules on one, check on the other")
    ap.add_argument("--parsers", action="store_true", help="rules alone and rules with spaCy, in one run")
    ap.add_argument("--in-process", action="store_true", help="call the library instead of `digest quotes`")
    ap.add_argument("--verbose", "-v", action="store_true", help="the most common errors, with examples")
    ap.add_argument("--examples", type=int, default=8, help="examples per kind of error with --verbose")
    args = ap.parse_args()

    documents = load_split(args.split, args.limit)
    if args.half:
        documents = documents[(0 if args.half == "tune" else 1)::2]
    docs = {d.name: d for d in documents}
    referents = load_referents() if args.split == "dev" else None
    print(f"PolNeAR {args.split}: {len(docs)} articles, {sum(len(d.quotations) for d in documents)} direct quotations "
          f"(data: {eval_root() / 'polnear'})")
    if referents is not None:
        agree, total = proxy_agreement(docs, referents)
        print(f"speaker gold: Source spans; {total} pronoun/description referents read by hand "
              f"(proxy agreement {agree}/{total})")
    else:
        print("speaker gold: Source spans; pronoun/description referents by the nearest-named-source proxy")
    with tempfile.TemporaryDirectory(prefix="bench-quotes-") as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for doc in documents:
            (folder / f"{doc.name}.txt").write_text(doc.text, encoding="utf-8")
        parsers = ("rules", "spacy") if args.parsers else (None,)
        runs = []
        for parser in parsers:
            if args.in_process:
                entries, seconds = run_in_process(folder, parser or "rules")
            else:
                config = write_config(Path(tmp), parser) if parser else None
                entries, seconds = run_cli(folder, config)
            runs.append(collect(parser or ("in-process" if args.in_process else "digest quotes"), entries, seconds,
                                docs))
    scores = []
    names = sorted(docs)
    halves = {"tune": {n: docs[n] for n in names[0::2]}, "check": {n: docs[n] for n in names[1::2]}}
    for run in runs:
        s = score(run, docs, referents)
        scores.append(s)
        print(s.line(run.name, len(docs), run.seconds))
        if not args.half:
            for half, part in halves.items():  # the same run, scored on each half (tune rules on one, check on the other)
                print(score(run, part, referents).line(f"  {half} half", len(docs), run.seconds))
        print(f"{'':24} wrong speakers by kind: " + ", ".join(f"{k} {s.kinds[k]}" for k in ERROR_KINDS))
        print(f"{'':24} bank entries {run.entries}, outlets disagreeing on the speaker {run.disagreements}, "
              f"null speaker on {s.null_found} found, {s.unlocated} reported quotes not found in the text")
        print(f"{'':24} per rule (found, right speaker): " + ", ".join(
            f"{rule} {n}/{s.right_by_rule[rule]}" for rule, n in s.by_rule.most_common()))
        if args.verbose:
            kinds = Counter(kind for kind, _ in s.errors)
            for kind, n in kinds.most_common():
                print(f"    {kind}: {n}")
                for _, example in [e for e in s.errors if e[0] == kind][:args.examples]:
                    print(f"        {example}")
    if len(runs) == 2:
        (a, b), (ra, rb) = scores, runs
        gain = (b.right / max(b.found, 1)) - (a.right / max(a.found, 1))
        recall_gain = b.found / max(b.quotations, 1) - a.found / max(a.quotations, 1)
        cost = (rb.seconds - ra.seconds) * 1000 / max(len(docs), 1)
        print(f"spaCy over rules: speaker accuracy {gain:+.3f}, recall {recall_gain:+.3f}, "
              f"cost {cost:+.0f} ms/article (wall clock of the whole command, start-up included)")
    print(f"goals on dev: recall >= {GOALS['recall']}, precision >= {GOALS['precision']}, "
          f"speaker accuracy >= {GOALS['speaker']}")


if __name__ == "__main__":
    main()
