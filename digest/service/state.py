"""What earlier runs saw and did, in a SQLite database (standard library).

Two kinds of record:

* articles already briefed, keyed by canonical URL (or, for files without a
  URL, their path) and by a hash of their normalised text, with a hash per
  paragraph so an updated story can show only what is new;
* runs: start and end time, trigger, inputs, outputs, status and delivery.

The database uses WAL and one transaction per step, so a process killed in
the middle of a run leaves it consistent: the run row says ``running`` (and is
marked ``interrupted`` by the next run) and no article of the unfinished run
is counted as seen.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from digest.errors import ConfigError, OutputError
from digest.models import Article, Briefing
from digest.settings import parse_duration

SCHEMA_VERSION = 1
_WORDS = re.compile(r"[^\w]+", re.UNICODE)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)
_DEFAULT_PORTS = {"http": "80", "https": "443"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,          -- canonical URL, or "path:<path>", or "hash:<content hash>"
    content_hash TEXT NOT NULL,
    paragraph_hashes TEXT NOT NULL, -- JSON list
    title TEXT,
    first_seen TEXT NOT NULL,       -- ISO time (UTC) of the run that first briefed it
    last_seen TEXT NOT NULL,
    first_run INTEGER,
    last_run INTEGER
);
CREATE INDEX IF NOT EXISTS articles_by_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    trigger TEXT NOT NULL,
    since TEXT,
    status TEXT NOT NULL,           -- running | ok | empty | failed | interrupted
    inputs TEXT NOT NULL DEFAULT '[]',
    outputs TEXT NOT NULL DEFAULT '[]',
    out_dir TEXT,
    articles_in INTEGER NOT NULL DEFAULT 0,
    articles_new INTEGER NOT NULL DEFAULT 0,
    articles_updated INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    delivery TEXT NOT NULL DEFAULT 'none', -- none | sent | failed
    delivery_attempts INTEGER NOT NULL DEFAULT 0,
    delivery_error TEXT,
    delivered_at TEXT
);
"""


def _schema_statements() -> list[str]:
    # executescript() would COMMIT on its own; statements one by one stay in our transaction
    lines = [line.split("--")[0] for line in _SCHEMA.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


# --- canonical keys -------------------------------------------------------


def canonical_url(url: str | None) -> str | None:
    """Normalise a URL so the same article gets one key.

    Lower-cases scheme and host, drops default ports, the fragment, tracking
    parameters (``utm_*``, ``fbclid``...) and a trailing slash; sorts the query.
    """
    if not url or not url.strip():
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port is not None and str(parts.port) != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if not _TRACKING_PARAMS.match(k))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def normalise_text(text: str) -> str:
    """Text reduced to lower-case words, so spacing, quotes and punctuation do not change a hash."""
    return " ".join(_WORDS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def content_hash(text: str) -> str:
    """Hash of the normalised text of an article (or paragraph)."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:32]


def paragraph_hashes(text: str) -> list[str]:
    return [content_hash(p) for p in _PARAGRAPH_BREAK.split(text) if normalise_text(p)]


def article_key(article: Article) -> str:
    """The identity of an article across runs: canonical URL, else file path, else content hash."""
    url = canonical_url(article.url)
    if url:
        return url
    if article.path:
        return f"path:{Path(article.path).as_posix()}"
    return f"hash:{content_hash(article.text)}"


# --- records --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SeenArticle:
    key: str
    content_hash: str
    paragraph_hashes: tuple[str, ...]
    title: str | None
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: int
    started_at: datetime
    finished_at: datetime | None
    trigger: str
    since: str | None
    status: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    out_dir: str | None
    articles_in: int
    articles_new: int
    articles_updated: int
    error: str | None
    delivery: str
    delivery_attempts: int
    delivery_error: str | None


class _Connection(sqlite3.Connection):
    """A connection whose failures (a full disk, a read-only folder, damaged pages) are one-line OutputErrors."""

    db_path = ""

    def execute(self, *args: Any) -> sqlite3.Cursor:  # type: ignore[override]
        try:
            return self._execute(*args)
        except sqlite3.DatabaseError as exc:
            raise OutputError(f"state database: {exc}{_damage_hint(exc)}", path=self.db_path) from None

    def _execute(self, *args: Any) -> sqlite3.Cursor:
        return super().execute(*args)


def _damage_hint(exc: sqlite3.DatabaseError) -> str:
    text = str(exc).lower()
    if "malformed" in text or "not a database" in text or "damaged" in text:
        return "; move the file away and the next run starts a new one"
    return ""


class StateDB:
    """The state database. Use as a context manager, or call ``close()``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we open transactions ourselves, one per step
            self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, factory=_Connection)
            self.conn.db_path = str(path)
            self.conn.row_factory = sqlite3.Row
            # Garbage pages under a valid header only fail when a query reaches them: look once, up front.
            check = self.conn.execute("PRAGMA quick_check(1)").fetchone()
            if check is not None and check[0] != "ok":
                found = " ".join(str(check[0]).replace("***", " ").split())
                raise OutputError(f"state database is damaged ({found}); move the file away and the next "
                                  f"run starts a new one", path=str(path))
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise OutputError(f"state database is from a newer version (schema {version})", path=str(path))
            if version < SCHEMA_VERSION:
                with self.transaction():
                    for statement in _schema_statements():
                        self.conn.execute(statement)
                    self.conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise OutputError(f"cannot open state database: {exc}{_damage_hint(exc)}", path=str(path)) from None

    def __enter__(self) -> "StateDB":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def transaction(self) -> "_Transaction":
        return _Transaction(self.conn)

    # --- runs ---

    def begin_run(self, started_at: datetime, *, trigger: str, since: str | None = None,
                  inputs: Sequence[str] = ()) -> int:
        """Record a run as ``running``; returns its id."""
        with self.transaction():
            cursor = self.conn.execute(
                "INSERT INTO runs (started_at, trigger, since, status, inputs) VALUES (?, ?, ?, 'running', ?)",
                (_iso(started_at), trigger, since, json.dumps(list(inputs))))
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, *, status: str, finished_at: datetime, error: str | None = None) -> None:
        with self.transaction():
            self.conn.execute("UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?",
                              (status, _iso(finished_at), error, run_id))

    def mark_interrupted(self) -> int:
        """Mark runs left ``running`` by a killed process. Call only while holding the run lock."""
        with self.transaction():
            cursor = self.conn.execute(
                "UPDATE runs SET status = 'interrupted', error = 'the process ended before the run finished' "
                "WHERE status = 'running'")
        return cursor.rowcount

    def record_delivery(self, run_id: int, *, ok: bool, attempts: int, error: str | None = None,
                        at: datetime | None = None) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET delivery = ?, delivery_attempts = delivery_attempts + ?, delivery_error = ?, "
                "delivered_at = ? WHERE id = ?",
                ("sent" if ok else "failed", attempts, error, _iso(at) if ok and at else None, run_id))

    def run(self, run_id: int) -> RunRecord | None:
        row = self.conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return _run_record(row) if row else None

    def runs(self) -> list[RunRecord]:
        return [_run_record(r) for r in self.conn.execute("SELECT * FROM runs ORDER BY id")]

    def last_successful_run(self) -> RunRecord | None:
        """The newest run that finished without error (``ok`` or ``empty``)."""
        row = self.conn.execute(
            "SELECT * FROM runs WHERE status IN ('ok', 'empty') ORDER BY started_at DESC, id DESC LIMIT 1").fetchone()
        return _run_record(row) if row else None

    def last_finished_start(self) -> datetime | None:
        """Start time of the newest run that finished (ok, empty or failed): used for catch-up."""
        row = self.conn.execute(
            "SELECT MAX(started_at) FROM runs WHERE status IN ('ok', 'empty', 'failed')").fetchone()
        return _parse(row[0]) if row and row[0] else None

    def pending_deliveries(self) -> list[RunRecord]:
        """Runs whose e-mail failed and that still have their folder, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM runs WHERE delivery = 'failed' AND out_dir IS NOT NULL ORDER BY id").fetchall()
        return [r for r in map(_run_record, rows) if r.out_dir and Path(r.out_dir).is_dir()]

    def run_for_folder(self, folder: Path) -> RunRecord | None:
        target = str(Path(folder).resolve())
        for record in reversed(self.runs()):
            if record.out_dir and str(Path(record.out_dir).resolve()) == target:
                return record
        return None

    # --- articles ---

    def seen(self, key: str) -> SeenArticle | None:
        row = self.conn.execute("SELECT * FROM articles WHERE key = ?", (key,)).fetchone()
        return _seen(row) if row else None

    def seen_hash(self, digest: str) -> SeenArticle | None:
        row = self.conn.execute(
            "SELECT * FROM articles WHERE content_hash = ? ORDER BY first_seen LIMIT 1", (digest,)).fetchone()
        return _seen(row) if row else None

    def article_count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


# --- the new-only filter --------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilterResult:
    """What ``filter_new`` kept. Unpacks as ``(articles, seen_count)``.

    ``articles`` are the new articles and, for updated ones, a copy holding only
    the paragraphs not briefed before; ``updated`` their ids; ``old`` the ids
    of articles dropped because they were published before ``since``.
    """

    articles: tuple[Article, ...]
    seen_count: int
    updated: tuple[str, ...] = ()
    old: tuple[str, ...] = ()

    @property
    def old_count(self) -> int:
        return len(self.old)

    def __iter__(self) -> Iterator[Any]:
        return iter((self.articles, self.seen_count))


@dataclass(frozen=True, slots=True)
class Since:
    """The window of a run: ``at`` None means everything is new."""

    label: str  # what the header says, e.g. "the last digest (2026-11-24 07:00 UTC)"
    at: datetime | None
    by_published: bool = False  # also drop articles published before ``at``


def resolve_since(value: str, now: datetime, state: StateDB | None) -> Since:
    """Turn ``last``, ``all``, ``24h`` or an ISO date into the time a run covers from."""
    if value == "all":
        return Since("all articles", None)
    if value == "last":
        last = state.last_successful_run() if state else None
        if last is None:
            return Since("the first digest", None)
        return Since(f"the last digest ({_human(last.started_at, now)})", last.started_at)
    try:
        at = now - parse_duration(value)
        return Since(f"the last {value}", at, by_published=True)
    except ValueError:
        pass
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--since {value!r} is not 'last', 'all', a duration like '24h' or a date") from None
    if at.tzinfo is None:
        at = at.replace(tzinfo=now.tzinfo or timezone.utc)
    return Since(f"{value}", at, by_published=True)


def filter_new(articles: Sequence[Article], state: StateDB, since: Since | datetime | None) -> FilterResult:
    """Keep the articles not briefed before ``since``; trim updated ones to their new paragraphs.

    An article is *seen* when its key (canonical URL, else path) or its content
    hash was recorded by a run that started at or before ``since``. An article
    whose key was seen with different text is *updated*: it is kept with only
    the paragraphs not briefed before (or counted as seen if nothing is new).
    """
    window = since if isinstance(since, Since) else Since("", since)
    cutoff = window.at
    kept: list[Article] = []
    updated: list[str] = []
    old: list[str] = []
    seen_count = 0
    for article in articles:
        digest = content_hash(article.text)
        prior = state.seen(article_key(article))
        same_text = state.seen_hash(digest)
        if cutoff is not None and same_text is not None and same_text.first_seen <= cutoff:
            seen_count += 1
            continue
        if cutoff is not None and prior is not None and prior.first_seen <= cutoff:
            fresh = _new_paragraphs(article.text, set(prior.paragraph_hashes))
            if not fresh:
                seen_count += 1
                continue
            kept.append(replace(article, text="\n\n".join(fresh)))
            updated.append(article.id)
            continue
        if window.by_published and cutoff is not None and _published_before(article.published, cutoff):
            old.append(article.id)
            continue
        kept.append(article)
    return FilterResult(tuple(kept), seen_count, tuple(updated), tuple(old))


def record_run(state: StateDB, run_id: int, articles: Sequence[Article], *, started_at: datetime,
               finished_at: datetime, status: str = "ok", out_dir: Path | None = None,
               outputs: Sequence[Path] = (), new_count: int = 0, updated_count: int = 0,
               error: str | None = None) -> None:
    """Close a run and mark every input article as seen, in one transaction.

    Pass the articles as read (not as filtered), so updated articles are stored
    with their full current text. ``first_seen`` is the run's start time.
    """
    start = _iso(started_at)
    with state.transaction() as conn:
        for article in articles:
            key = article_key(article)
            conn.execute(
                "INSERT INTO articles (key, content_hash, paragraph_hashes, title, first_seen, last_seen, "
                "first_run, last_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET content_hash = excluded.content_hash, "
                "paragraph_hashes = excluded.paragraph_hashes, title = excluded.title, "
                "last_seen = excluded.last_seen, last_run = excluded.last_run",
                (key, content_hash(article.text), json.dumps(_merged_paragraphs(conn, key, article.text)),
                 article.title, start, start, run_id, run_id))
        conn.execute(
            "UPDATE runs SET status = ?, finished_at = ?, out_dir = ?, outputs = ?, articles_in = ?, "
            "articles_new = ?, articles_updated = ?, error = ? WHERE id = ?",
            (status, _iso(finished_at), str(out_dir) if out_dir else None,
             json.dumps([str(p) for p in outputs]), len(articles), new_count, updated_count, error, run_id))


def annotate_briefing(briefing: Briefing, result: FilterResult, since: Since) -> Briefing:
    """Say in the briefing what it covers, and mark stories carrying updated articles."""
    if since.at is None and not result.seen_count:
        return briefing
    updated = set(result.updated)
    stories = tuple(replace(s, updated=True) if updated & set(s.sources) else s for s in briefing.stories)
    fresh = len(result.articles) - len(result.updated)
    note = f"New since {since.label}: {fresh} new article{'s' * (fresh != 1)}"
    if result.updated:
        note += f", {len(result.updated)} updated (only what is new is briefed)"
    if result.seen_count:
        note += f"; {result.seen_count} already briefed left out"
    if result.old_count:
        note += f"; {result.old_count} published earlier left out"
    return replace(briefing, stories=stories, notes=(note + ".",) + tuple(briefing.notes))


# --- helpers --------------------------------------------------------------


def _new_paragraphs(text: str, known: set[str]) -> list[str]:
    return [p.strip() for p in _PARAGRAPH_BREAK.split(text)
            if normalise_text(p) and content_hash(p) not in known]


def _merged_paragraphs(conn: sqlite3.Connection, key: str, text: str) -> list[str]:
    # keep earlier paragraph hashes too: a paragraph briefed once is never "new" again
    row = conn.execute("SELECT paragraph_hashes FROM articles WHERE key = ?", (key,)).fetchone()
    known = json.loads(row[0]) if row else []
    return list(dict.fromkeys(known + paragraph_hashes(text)))


def _published_before(published: str | None, cutoff: datetime) -> bool:
    if not published:
        return False
    try:
        when = datetime.fromisoformat(published.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=cutoff.tzinfo or timezone.utc)
    # a bare date means "some time that day": only older days count as before
    if len(published.strip()) == 10:
        return when + timedelta(days=1) <= cutoff
    return when < cutoff


def _iso(when: datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _human(when: datetime, now: datetime) -> str:
    local = when.astimezone(now.tzinfo) if now.tzinfo else when
    return local.strftime("%Y-%m-%d %H:%M %Z").strip()


def _seen(row: sqlite3.Row) -> SeenArticle:
    return SeenArticle(row["key"], row["content_hash"], tuple(json.loads(row["paragraph_hashes"])), row["title"],
                       _parse(row["first_seen"]), _parse(row["last_seen"]))  # type: ignore[arg-type]


def _run_record(row: sqlite3.Row) -> RunRecord:
    return RunRecord(
        id=row["id"], started_at=_parse(row["started_at"]), finished_at=_parse(row["finished_at"]),  # type: ignore[arg-type]
        trigger=row["trigger"], since=row["since"], status=row["status"],
        inputs=tuple(json.loads(row["inputs"])), outputs=tuple(json.loads(row["outputs"])), out_dir=row["out_dir"],
        articles_in=row["articles_in"], articles_new=row["articles_new"], articles_updated=row["articles_updated"],
        error=row["error"], delivery=row["delivery"], delivery_attempts=row["delivery_attempts"],
        delivery_error=row["delivery_error"])
