"""Bytes -> text: detect the encoding, never crash, report what could not be decoded.

Order of evidence (surest first): a byte-order mark; strict UTF-8; UTF-16 without a BOM
(NUL bytes in alternate positions); strict GB18030 and Big5, ranked by how many of their
Han characters are common ones; last, the best candidate with replacement characters and a
warning that counts the bytes lost.
"""
from __future__ import annotations

import codecs
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
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text) / max(1, len(text))
        if printable > 0.97 and (n_han == 0 and encoding in order[:1] or share > 0.9):
            return text, encoding
    return None


def decode_bytes(data: bytes) -> Decoded:
    """Decode a document's bytes; raise DecodeError only for empty or binary input."""
    if not data:
        raise DecodeError("empty file (0 bytes)")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                text = data.decode(encoding, errors="replace")
                return Decoded(text, encoding, [_lost_bytes_warning(encoding, text)])
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
