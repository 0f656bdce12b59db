"""The bad-input corpus: each case builds a folder of hostile, broken or odd input.

The cases are made on the fly (the large ones would bloat the repository) by
``build_case(name, folder)``. The tests run the small ones; ``bench/bad_inputs.py``
runs them all and prints the tally.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

GOOD = [
    "The river burst its banks on Sunday, flooding hundreds of homes in the old town, officials said.",
    "Emergency services evacuated 300 residents overnight, the regional governor told reporters.",
    '"We have never seen water this high," said Marta Nowak, a shop owner whose cellar was flooded.',
    "Forecasters expect the water to recede by Wednesday, but warned of more rain next week.",
]
HOSTILE = [
    "Officials said the <script>alert('x')</script> warning was issued at noon.",
    'Residents saw <img src=x onerror="alert(1)"> and <iframe src="http://169.254.169.254/"></iframe> overnight.',
    "A [link](javascript:alert(1)) and ![img](http://169.254.169.254/latest/meta-data/) were posted online.",
    "The report <!-- hidden comment --> cited {{ 7*7 }} and {% if true %}injected{% endif %} figures.",
    'An image <img src="file:///etc/passwd"> and a <a href="http://example.invalid/huge.png">huge picture</a> appeared.',
]


def _text(folder: Path, name: str, body: str | bytes) -> None:
    path = folder / name
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")


def _good(folder: Path, name: str = "good.txt") -> None:
    _text(folder, name, "\n\n".join(GOOD))


def case_empty(f: Path) -> None:
    _text(f, "empty.txt", "")


def case_whitespace(f: Path) -> None:
    _text(f, "blank.txt", " \n\t\n\n   \n")


def case_binary_png(f: Path) -> None:
    _text(f, "picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    _good(f)


def case_invalid_utf8(f: Path) -> None:
    _text(f, "broken.txt", "\n\n".join(GOOD).encode("utf-8")[:200] + b"\xff\xfe\xc3\x28 more text follows here.")
    _good(f)


def case_latin1(f: Path) -> None:
    _text(f, "latin1.txt", ("Le préfet a déclaré que la crue était exceptionnelle à Besançon. " * 3).encode("latin-1"))
    _good(f)


def case_cp1252(f: Path) -> None:
    _text(f, "cp1252.txt", ("The mayor’s office said “no one” was hurt — thankfully. " * 3).encode("cp1252"))
    _good(f)


def case_huge_file(f: Path) -> None:
    with open(f / "huge.txt", "wb") as handle:
        para = ("The flood defences held in most districts, engineers said. " * 20 + "\n\n").encode()
        for _ in range(50_000_000 // len(para) + 1):
            handle.write(para)
    _good(f)


def case_one_long_line(f: Path) -> None:
    _text(f, "longline.txt", "word " * 200_000)
    _good(f)


def case_many_tiny_files(f: Path) -> None:
    for i in range(5000):
        _text(f, f"tiny{i:04d}.txt", f"Note {i}.")
    _good(f)


def case_unreadable(f: Path) -> None:
    _good(f)
    locked = f / "locked.txt"
    _text(f, "locked.txt", "\n\n".join(GOOD))
    os.chmod(locked, 0)


def case_fifo(f: Path) -> None:
    # A named pipe would block a reader that opens it: it is not a regular file, so it is no article.
    os.mkfifo(f / "pipe.txt")
    _good(f)


def case_folder_named_like_article(f: Path) -> None:
    (f / "folder.txt").mkdir()
    _good(f)


def case_broken_symlink(f: Path) -> None:
    os.symlink(f / "does-not-exist.txt", f / "dangling.txt")
    _good(f)


def case_no_articles(f: Path) -> None:
    (f / "notes").mkdir()
    _text(f, "image.png", b"\x89PNG\r\n\x1a\n")


def case_one_article(f: Path) -> None:
    _good(f)


def case_five_identical(f: Path) -> None:
    for i in range(5):
        _good(f, f"copy{i}.txt")


def case_other_language(f: Path) -> None:
    _text(f, "ru.txt", "\n\n".join([
        "Река вышла из берегов в воскресенье, затопив сотни домов в старом городе, сообщили власти.",
        "Спасатели эвакуировали 300 жителей за ночь, заявил губернатор региона журналистам.",
    ]))
    _text(f, "ko.txt", "\n\n".join([
        "일요일 강이 범람해 구시가지 주택 수백 채가 침수됐다고 당국이 밝혔다.",
        "구조대는 밤사이 주민 300명을 대피시켰다고 주지사가 기자들에게 말했다.",
    ]))


def case_hostile_markup(f: Path) -> None:
    _text(f, "hostile.txt", "\n\n".join(GOOD + HOSTILE))
    _text(f, "hostile2.txt", "\n\n".join(HOSTILE + GOOD[:2]))


def case_path_names(f: Path) -> None:
    _text(f, "CON.txt", "../../etc/passwd\n\n" + "\n\n".join(GOOD))
    _text(f, "..%2F..%2Fetc.txt", "\n\n".join(GOOD[1:]))


# --- issue 17: the next round (skip, don't stop) ----------------------------------------------------

DEEP = 100_000  # far past Python's recursion limit


def case_bad_file_name(f: Path) -> None:
    # A name that is not UTF-8 (bytes from another system's encoding).
    with open(os.path.join(os.fsencode(f), b"r\xe9sum\xe9.txt"), "wb") as handle:
        handle.write("\n\n".join(GOOD[1:]).encode())
    _good(f)


def case_deep_json(f: Path) -> None:
    _text(f, "nested.json", "[" * DEEP + "]" * DEEP)
    _good(f)


def case_deep_jsonl(f: Path) -> None:
    _text(f, "lines.jsonl", '{"text": "%s"}\n' % GOOD[1] + '{"a": ' + "[" * DEEP + "]" * DEEP + "}\n")
    _good(f)


def case_deep_sidecar(f: Path) -> None:
    _good(f)
    _text(f, "good.txt.meta.json", '{"title": ' + "[" * DEEP + "]" * DEEP + "}")


def case_deep_sources_toml(f: Path) -> None:
    _good(f)
    _text(f, "sources.toml", "a = " + "[" * 20_000 + "]" * 20_000 + "\n")


def case_all_unreadable(f: Path) -> None:
    _text(f, "nested.json", "[" * DEEP + "]" * DEEP)
    with open(os.path.join(os.fsencode(f), b"caf\xe9.txt"), "wb") as handle:
        handle.write("\n\n".join(GOOD).encode())


def case_huge_feed(f: Path) -> None:
    item = "<item><title>Flood</title><description>%s</description></item>" % GOOD[0]
    with open(f / "big.xml", "w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>')
        for _ in range(30_000_000 // len(item)):
            handle.write(item)
        handle.write("</channel></rss>")


# --- issue 17: hostile feeds and pages on loopback servers ---------------------------------------
# These return extra arguments for ``digest run``: a config allowing the hostile server (127.0.0.1)
# and never the internal one (127.0.0.2).


def _allow_hostile(f: Path, extra: str = "") -> list[str]:
    from . import servers

    from digest.settings import Settings

    config = f.parent / f"{f.name}-digest.toml"
    host = servers.hostile().split("//")[1].split(":")[0]
    # bench/bad_inputs.py --code runs older code, which knew no allow_hosts (and needed none).
    allow = f'allow_hosts = ["{host}"]\n' if "allow_hosts" in Settings.__dataclass_fields__ else ""
    config.write_text(f'[fetch]\n{allow}fetch_timeout = 2.0\n'
                      f'cache_dir = "{f.parent / "cache"}"\n{extra}', encoding="utf-8")
    return ["--config", str(config)]


def case_folder_feed_links_internal(f: Path) -> list[str]:
    from . import servers

    _text(f, "saved-feed.xml", servers.rss_linking_internal())
    _good(f)
    return _allow_hostile(f)


def case_remote_feed_links_internal(f: Path) -> list[str]:
    from . import servers

    _good(f)
    return ["--feed", f"{servers.hostile()}/evil.xml", *_allow_hostile(f)]


def case_redirect_to_internal(f: Path) -> list[str]:
    from . import servers

    _good(f)
    return ["--url", f"{servers.hostile()}/to-secret", *_allow_hostile(f)]


def case_redirect_to_metadata(f: Path) -> list[str]:
    from . import servers

    _good(f)
    return ["--url", f"{servers.hostile()}/to-metadata", *_allow_hostile(f)]


def case_trickled_headers(f: Path) -> list[str]:
    from . import servers

    _good(f)
    return ["--url", f"{servers.hostile()}/trickle", *_allow_hostile(f)]


def _config(f: Path, text: str) -> list[str]:
    config = f.parent / f"{f.name}-bad.toml"
    config.write_text(text, encoding="utf-8")
    _good(f)
    return ["--config", str(config)]


def case_config_backoff_huge(f: Path) -> list[str]:
    return _config(f, '[email]\nto = ["r@example.org"]\nfrom = "d@example.org"\nbackoff = 1e300\n')


def case_config_timeout_zero(f: Path) -> list[str]:
    return _config(f, "[email]\ntimeout = 0\n")


def case_config_every_huge(f: Path) -> list[str]:
    return _config(f, '[schedule]\nevery = "999999999d"\n')


def case_config_crlf_address(f: Path) -> list[str]:
    return _config(f, '[email]\nto = ["r@example.org\\r\\nBcc: all@example.org"]\nfrom = "d@example.org"\n')


def case_spaceless_megabyte_line(f: Path) -> None:
    # One 1 MB token mixing the characters the text rules look for: "@", ".", ",", digits, capitals.
    _text(f, "token.txt", "\n\n".join(GOOD) + "\n\n" + "Ab1,x.y@z" * 110_000 + "\n")
    _good(f, "other.txt")



def case_fifty_thousand_tiny_files(f: Path) -> None:
    # Past max_files (20,000): the cap bites and says so, and the files read cost little (once 12.7 GB, killed).
    for i in range(50_000):
        _text(f, f"tiny{i:05d}.txt", f"Note {i}.")
    _good(f)


def case_near_identical_page(f: Path) -> None:
    # A 4 MB page of paragraphs that differ in a number or two: every pair is a near-duplicate candidate.
    paragraphs = "\n".join(
        f"<p>The council met on Tuesday to discuss budget proposal number {i} and residents spoke about parks, "
        f"roads and schools for {i % 97} minutes.</p>" for i in range(25_000))
    _text(f, "page.html", f"<html><head><title>Budget</title></head><body><article>{paragraphs}</article></body></html>")
    _good(f, "other.txt")


def case_megabyte_title(f: Path) -> None:
    # A 1.1 MB title once stalled WeasyPrint for minutes: the title cap keeps it to a headline's length.
    title = "Council " + "budget " * 160_000
    _text(f, "long-title.md", f'---\ntitle: "{title}"\n---\n\n' + "\n\n".join(GOOD))
    _good(f, "other.txt")


CASES: dict[str, Callable[[Path], list[str] | None]] = {
    name[len("case_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")
}
# Cases that take seconds to build or read; the test suite leaves them to bench/bad_inputs.py.
SLOW = {"huge_file", "many_tiny_files", "one_long_line", "huge_feed", "spaceless_megabyte_line",
        "fifty_thousand_tiny_files", "near_identical_page"}
# Cases with nothing usable: the run must fail with a one-line reason.
NOTHING_USABLE = {"empty", "whitespace", "no_articles", "all_unreadable", "huge_feed", "config_backoff_huge",
                  "config_timeout_zero", "config_every_huge", "config_crlf_address"}
# What the one-line error of a NOTHING_USABLE case must say (the reason, not only "no articles").
REASONS = {"all_unreadable": ("nested too deeply", "not valid UTF-8"), "huge_feed": ("too large",),
           "config_backoff_huge": ("backoff",), "config_timeout_zero": ("timeout",), "config_every_huge": ("every",),
           "config_crlf_address": ("line break",)}


# Cases that must finish well within this many seconds (the fetch deadline is 3 x 2 s).
TIME_CAP = {"trickled_headers": 30.0, "many_tiny_files": 60.0, "fifty_thousand_tiny_files": 90.0,
            "near_identical_page": 60.0, "megabyte_title": 60.0}
DEFAULT_TIME_CAP = 120.0


def build_case(name: str, folder: Path) -> tuple[Path, list[str]]:
    """Create case ``name`` inside ``folder`` (made if needed); return the folder and extra ``run`` arguments."""
    folder.mkdir(parents=True, exist_ok=True)
    extra = CASES[name](folder)
    return folder, list(extra or [])
