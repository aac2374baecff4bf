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

    CACHE_SIZE = 20000

    def __init__(self, domain_dict: Path):
        self.tokenizer = jieba.Tokenizer()
        # jieba caches its prefix dictionary in a temp file; a private name keeps processes apart
        self.tokenizer.tmp_dir = os.path.join(tempfile.gettempdir(), f"reportmine-jieba-{os.getuid() if hasattr(os, 'getuid') else 0}")
        os.makedirs(self.tokenizer.tmp_dir, exist_ok=True)
        self.tokenizer.load_userdict(str(domain_dict))
        self.posseg = jieba.posseg.POSTokenizer(self.tokenizer)
        # jieba keeps the domain dictionary's tags apart from its own table: one lookup for both
        self.tags = {**self.posseg.word_tag_tab, **self.tokenizer.user_word_tag_tab}
        self._cache: dict = {}

    def tag(self, text: str) -> list[Token]:
        """POS-tagged words with their offsets in text. Results are cached: several numbers share
        a clause, and reports repeat passages."""
        cached = self._cache.get(text)
        if cached is not None:
            return list(cached)
        tokens = self._tag(text)
        if len(self._cache) >= self.CACHE_SIZE:
            self._cache.clear()
        self._cache[text] = tuple(tokens)
        return tokens

    def split_at(self, tokens: list[Token], cuts) -> list[Token]:
        """Split words that straddle a cut (the tokenizer may glue a measure word to the noun after
        it: 3|个村 -> 个, 村), re-tagging the pieces."""
        out = []
        for token in tokens:
            inside = sorted(c for c in cuts if token.start < c < token.end)
            if not inside:
                out.append(token)
                continue
            bounds = [token.start] + inside + [token.end]
            for start, end in zip(bounds, bounds[1:]):
                word = token.word[start - token.start:end - token.start]
                out.append(Token(word, self._guess_tag(word), start, end))
        return out

    def _guess_tag(self, word: str) -> str:
        flag = self.tags.get(word)
        if flag is not None:
            return flag
        # a new word (not in any dictionary) in a report is nearly always a name: place, body, project
        return "m" if word.isdigit() else "eng" if word.isascii() and word.isalpha() else \
            "x" if not word.strip() or not word.isalnum() else "n"

    def _tag(self, text: str) -> list[Token]:
        # Words from the tokenizer (its HMM finds new words quickly); tags from jieba.posseg's
        # table of dictionary words (with the domain dictionary's). Running jieba.posseg's own
        # tagger over whole clauses was the slowest stage (measured: 1.7x slower end to end) and
        # no more accurate on corpus/ and the seeds; tagging only new words with it was slower still.
        tokens, position = [], 0
        for word in self.tokenizer.lcut(text, HMM=True):
            tokens.append(Token(word, self._guess_tag(word), position, position + len(word)))
            position += len(word)
        return tokens


@lru_cache(maxsize=4)
def get_segmenter(domain_dict: str) -> Segmenter:
    return Segmenter(Path(domain_dict))
