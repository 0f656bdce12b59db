"""Bytes to text: byte-order marks, declared charsets, charset detection, gzip and binary sniffing."""

from __future__ import annotations

import codecs
import re
import zlib

from digest.errors import InputError
from digest.ingest.document import Skip

# Binary formats that are sometimes renamed to .txt: first bytes -> what they are.
MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (or Office document)",
    b"\x1f\x8b": "gzip archive",
    b"RIFF": "RIFF media file",
    b"\x7fELF": "executable",
    b"BZh": "bzip2 archive",
    b"\xfd7zXZ": "xz archive",
    b"OggS": "Ogg media file",
    b"ID3": "MP3 audio",
    b"\xd0\xcf\x11\xe0": "old Office document",
}

# How much more "mess" (charset-normalizer chaos) Windows-1252 may show and still be preferred.
CP1252_TOLERANCE = 0.05
WHATWG_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                  "ascii": "cp1252", "iso8859-1": "cp1252", "x-sjis": "shift_jis"}


def decode_bytes(data: bytes, *, source: str, declared: str | None = None) -> str:
    """Text from bytes: BOM, then UTF-8, then a declared charset, then charset-normalizer's best guess.

    Raises InputError for binary files and for bytes no known encoding explains.
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(f"not valid {codec.upper()} despite its byte-order mark", path=source) from None
    declared_codec = _codec(declared)
    if declared_codec and declared_codec.startswith(("utf_16", "utf_32")):
        try:
            return data.decode(declared_codec)
        except UnicodeDecodeError:
            declared_codec = None
    kind = binary_kind(data)
    if kind:
        raise InputError(f"binary file ({kind}), not text", path=source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared_codec:
        try:
            return data.decode(declared_codec)
        except UnicodeDecodeError:
            pass
    import charset_normalizer  # only text that is not UTF-8 and states no charset needs it (start-up time)

    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError("cannot tell the text encoding (not UTF-8, no declared charset fits)", path=source)
    # Short Western texts fit several single-byte code pages equally well; like browsers, prefer
    # Windows-1252 when it reads the bytes with no more mess than the winner.
    for match in matches:
        if match.encoding == "cp1252" and match.chaos <= best.chaos + CP1252_TOLERANCE:
            return str(match)
    return str(best)


def binary_kind(data: bytes) -> str | None:
    """What binary format ``data`` is (by magic number or NUL bytes), or None for text."""
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:8192]:
        return "contains NUL bytes"
    return None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = WHATWG_ALIASES.get(name.strip().lower(), name.strip())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-.:]+)["']""", re.I)


def declared_html_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", "ignore") if match else None


def declared_xml_charset(data: bytes) -> str | None:
    match = _XML_ENCODING.search(data[:1024])
    return match.group(1).decode("ascii", "ignore") if match else None


def gunzip(data: bytes, limit: int) -> bytes:
    try:
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = decompressor.decompress(data, limit + 1)
    except zlib.error as exc:
        raise Skip(f"not a valid gzip file ({exc})") from None
    if len(out) > limit:
        raise Skip(f"file too large once decompressed (more than max_file_bytes {limit})")
    return out


# Characters that spoof or hide from the reader, removed from every text field at ingest so that
# Markdown, HTML, PDF and JSON agree: C0/C1 controls but tab and newline (ESC, BEL: terminal
# escapes), bidi embeddings, overrides and isolates (U+202A-E, U+2066-9: text shown in another
# order than it is stored), and zero-width spaces, word joiners and stray BOMs. Right-to-left
# letters, and the marks that only hint direction (LRM/RLM) or join letters (ZWJ/ZWNJ, needed
# in Arabic, Persian and Indic scripts), are kept: real right-to-left text stays readable.
_SPOOFING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff]")


# A C1 control in text is a Windows-1252 byte that was decoded as Latin-1 ('subjects\x96the researchers'): the
# character Windows-1252 gives it (an en dash there) is what the writer typed. (0x81, 0x8D, 0x8F, 0x90, 0x9D
# are undefined in Windows-1252 and stay controls, to be removed.)
_C1_AS_WINDOWS_1252 = {byte: bytes([byte]).decode("cp1252") for byte in range(0x80, 0xA0)
                       if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_C1 = re.compile("[\x80-\x9f]")


def strip_spoofing(text: str) -> str:
    """``text`` without control characters, bidi overrides and zero-width spaces (see ``_SPOOFING``); a C1
    control Windows-1252 defines becomes its Windows-1252 character first (see ``_C1_AS_WINDOWS_1252``)."""
    if not _SPOOFING.search(text):
        return text
    if _C1.search(text):
        text = text.translate(_C1_AS_WINDOWS_1252)
    return _SPOOFING.sub("", text)


# A closing curly mark lost in a wrong decoding: its first two bytes became one replacement character and its
# last (0x9D, which Windows-1252 leaves undefined) a question mark: '“It’s drivers helping drivers,�? said Roe'.
_LOST_CLOSING_MARK = re.compile("(?<=[\\w.,!?;:’'…)\\]])\ufffd\\?")


def restore_lost_marks(text: str) -> str:
    """``text`` with closing quotation marks restored where a wrong decoding left '�?' (see ``_LOST_CLOSING_MARK``)."""
    return _LOST_CLOSING_MARK.sub("”", text) if "\ufffd?" in text else text
