"""Bytes -> text: detect the encoding, never crash, report what could not be decoded.

Order of evidence (surest first): a byte-order mark; UTF-16 without a BOM when NUL bytes fill
alternate positions (ASCII-heavy UTF-16 is also valid UTF-8); strict UTF-8; UTF-16 without a BOM
read as ordinary Chinese text; strict GB18030 and Big5, ranked by how many of their Han characters
are common ones; last, the best candidate with replacement characters and a warning that counts
the bytes lost. Text made of NULs and control characters is no document (DecodeError).

charset-normalizer was measured against this (benchmarks/bench_encodings.py: the corpus re-encoded,
whole and in 30-, 100- and 400-character snippets, in UTF-8 with and without BOM, GB18030, Big5
where it encodes, UTF-16 with and without BOM; 3,801 byte strings): this module reads 3,789 right
(3,766 before UTF-16 without BOM was tried first on NUL bytes and judged by its characters),
charset-normalizer 3,765 (short GB18030 read as UTF-8 or Big5) in twice the time, and asking it
only where this module's answer was a legacy encoding gained nothing. It is not used.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import DecodeError
from .lexicon_files import shipped_lexicon_dir
from .records import Warning_

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY_CANDIDATES = ("gb18030", "big5")


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list = field(default_factory=list)


@lru_cache(maxsize=1)
def common_chars() -> frozenset:
    path = shipped_lexicon_dir() / "common_chars.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset("".join(line for line in lines if not line.startswith("#")))


def han_commonness(text: str) -> tuple[float, int]:
    """Share of Han characters that are common ones, and how many Han characters there are."""
    common = common_chars()
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"]
    if not han:
        return 0.0, 0
    return sum(ch in common for ch in han) / len(han), len(han)


# characters that carry no text: C0 controls other than whitespace and ESC (terminal colours in a
# log), DEL and the C1 controls
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
WHITESPACE = re.compile(r"\s")
# a text whose control characters pass this share of its non-space characters is binary data
# (a stray NUL in a report does not make it one)
MAX_CONTROL_SHARE = 0.3


def _holds_no_text(text: str) -> bool:
    controls = len(CONTROL_CHARS.findall(text))
    if not controls:
        return False
    visible = len(text) - controls - len(WHITESPACE.findall(text))
    return visible == 0 or controls > MAX_CONTROL_SHARE * (visible + controls)


def _ordinary_share(text: str) -> float:
    """The share of characters a Chinese document is made of: Han, Latin (pinyin included),
    whitespace, CJK and full-width punctuation. UTF-16 read in the wrong byte order, or legacy
    bytes read as UTF-16, give Hangul, private-use and rare symbols instead."""
    ordinary = sum(1 for ch in text if ch < "\u0250" or ch.isspace() or "\u4e00" <= ch <= "\u9fff"
                   or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u206f")
    return ordinary / max(1, len(text))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 27)
    return control > len(sample) * 0.05


def _utf16_without_bom(data: bytes):
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    # ASCII-heavy UTF-16 has NULs in one lane; CJK-heavy UTF-16 has none, so also try a
    # strict decode of both byte orders and keep one that reads as common Han text.
    order = []
    if odd_nuls > half * 0.3 and even_nuls < half * 0.05:
        order.append("utf-16-le")
    if even_nuls > half * 0.3 and odd_nuls < half * 0.05:
        order.append("utf-16-be")
    if len(data) % 2 == 0:
        order += [e for e in ("utf-16-le", "utf-16-be") if e not in order]
    for encoding in order:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share, n_han = han_commonness(text)
        if _ordinary_share(text[:20000]) > 0.97 and (n_han == 0 and encoding in order[:1] or share > 0.9):
            return text, encoding
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode a document's bytes; raise DecodeError only for empty or binary input (NULs and
    control characters and nothing else count as binary, whatever encoding they decode in)."""
    if not data:
        raise DecodeError("empty file (0 bytes)")
    decoded = _decode(data)
    if _holds_no_text(decoded.text):
        raise DecodeError("binary file: it decodes to NUL and control characters, not to text")
    return decoded


def _decode(data: bytes) -> Decoded:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                text = data.decode(encoding, errors="replace")
                return Decoded(text, encoding, [_lost_bytes_warning(encoding, text)])
    utf16 = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
    if utf16 is None:
        try:
            return Decoded(data.decode("utf-8"), "utf-8")
        except UnicodeDecodeError:
            pass
        utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return Decoded(utf16[0], utf16[1], [Warning_(code="utf16_no_bom", message=f"no byte-order mark; read as {utf16[1]}")])
    if _looks_binary(data):
        raise DecodeError("binary file: control bytes or NULs found, not a text document")

    # Legacy encodings, and UTF-8 with a few stray bytes: rank every candidate by how common its
    # Han characters are, penalising characters lost to replacement, and keep the best.
    ranked = []
    for encoding in ("utf-8",) + LEGACY_CANDIDATES:
        text = data.decode(encoding, errors="replace")
        lost = text.count("\ufffd")
        share, n_han = han_commonness(text)
        ranked.append((share - 5 * lost / max(1, n_han + lost), -lost, encoding, text, lost))
    ranked.sort(key=lambda item: (item[0], item[1]), reverse=True)
    _, _, encoding, text, lost = ranked[0]
    if lost == 0:
        return Decoded(text, encoding)
    if lost > len(text) * 0.3:
        raise DecodeError(f"undecodable: no encoding fits ({lost} of {len(text)} characters lost even as {encoding})")
    return Decoded(text, encoding, [_lost_bytes_warning(encoding, text)])


def _lost_bytes_warning(encoding, text):
    lost = text.count("\ufffd")
    return Warning_(code="undecodable_bytes",
                    message=f"{lost} byte sequence(s) could not be decoded as {encoding}; replaced with U+FFFD")
