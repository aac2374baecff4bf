"""Word segmentation with jieba: a private Tokenizer (never jieba's global one) that loads the
domain dictionary in lexicons/, and POS tags from jieba.posseg on top of it."""
from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg

jieba.setLogLevel(logging.WARNING)


@dataclass(frozen=True)
class Token:
    word: str
    flag: str
    start: int  # offset in the segmented string
    end: int

    @property
    def is_verb(self) -> bool:
        return self.flag.startswith("v")

    @property
    def is_noun(self) -> bool:
        return self.flag[:1] in ("n", "j", "l", "i", "b") or self.flag in ("vn", "an", "nz", "ng", "s", "f", "eng") \
            or (self.flag == "x" and self.word.isalnum())


class Segmenter:
    """jieba Tokenizer + POSTokenizer with the project's domain dictionary loaded."""

    def __init__(self, domain_dict: Path):
        self.tokenizer = jieba.Tokenizer()
        # jieba caches its prefix dictionary in a temp file; a private name keeps processes apart
        self.tokenizer.tmp_dir = os.path.join(tempfile.gettempdir(), f"reportmine-jieba-{os.getuid() if hasattr(os, 'getuid') else 0}")
        os.makedirs(self.tokenizer.tmp_dir, exist_ok=True)
        self.tokenizer.load_userdict(str(domain_dict))
        self.posseg = jieba.posseg.POSTokenizer(self.tokenizer)

    def tag(self, text: str) -> list[Token]:
        tokens, position = [], 0
        for pair in self.posseg.lcut(text, HMM=True):
            start = text.find(pair.word, position)
            if start < 0:  # jieba never rewrites text; this guards the invariant
                start = position
            end = start + len(pair.word)
            tokens.append(Token(pair.word, pair.flag, start, end))
            position = end
        return tokens


@lru_cache(maxsize=4)
def get_segmenter(domain_dict: str) -> Segmenter:
    return Segmenter(Path(domain_dict))
