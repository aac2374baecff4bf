"""Word segmentation with jieba: a private Tokenizer (never jieba's global one) that loads the
domain dictionary in lexicons/, and parts of speech from the tags in jieba's dictionary file (the
table jieba.posseg reads) and in the domain dictionary."""
from __future__ import annotations

import hashlib
import logging
import marshal
import os
import re
import tempfile
from bisect import bisect_right
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import jieba
import regex
from jieba import finalseg

try:  # jieba-rs: the same dictionary and the same choice of words, several times faster (see _Fast)
    import rjieba
except ImportError:  # pragma: no cover - rjieba is a dependency; jieba alone gives the same words
    rjieba = None

from . import cache
from .cache import content_key

jieba.setLogLevel(logging.WARNING)
# an index named in Latin letters and digits: PM2.5, PM10, O3 (a noun, not a number)
# the layout of the cached segmenter state (Segmenter._state): a new layout is a new cache key
STATE_FORMAT = "segmenter/2"
INDEX_NAME = re.compile(r"[A-Za-z]+[0-9.]*[0-9]")


class Token(NamedTuple):
    """A word with its part-of-speech tag and offsets. A named tuple, not a dataclass: tens of
    thousands are made per document, and a tuple is built several times faster."""

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
            or (self.flag == "x" and (self.word.isalnum() or INDEX_NAME.fullmatch(self.word) is not None))


_token_start = attrgetter("start")


class Segmenter:
    """jieba Tokenizer + POSTokenizer with the project's domain dictionary loaded."""

    CACHE_SIZE = 20000

    def __init__(self, domain_dict: Path):
        self.tokenizer = jieba.Tokenizer()
        # jieba caches its prefix dictionary in a temp file; a private name keeps processes apart
        self.tokenizer.tmp_dir = os.path.join(tempfile.gettempdir(), f"reportmine-jieba-{os.getuid() if hasattr(os, 'getuid') else 0}")
        os.makedirs(self.tokenizer.tmp_dir, exist_ok=True)
        self._cache: dict = {}
        # jieba's prefix dictionary with the domain dictionary loaded, and the tag table, are built
        # once and kept in the user cache (cache.py), keyed by both dictionaries' contents
        with self.tokenizer.get_dict_file() as handle:
            key = content_key((STATE_FORMAT, jieba.__version__, handle.read(), Path(domain_dict).read_bytes()))
        if not self._restore(cache.load("jieba", key)):
            force_split = set(finalseg.Force_Split_Words)
            self.tokenizer.initialize()
            dictionary = dict(self.tokenizer.FREQ), self.tokenizer.total
            self.tokenizer.load_userdict(str(domain_dict))
            # jieba keeps the domain dictionary's tags apart from its own table: one lookup for both
            self.tags = {**self._dictionary_tags(), **self.tokenizer.user_word_tag_tab}
            self.dictionary_changes = self._dictionary_changes(*dictionary)
            cache.store("jieba", key, self._state(sorted(set(finalseg.Force_Split_Words) - force_split)))
        # jieba-rs cuts as jieba does only with the same totals: a domain dictionary that left jieba's
        # total below its own words' sum (never seen: jieba only ever adds) keeps jieba alone
        same_totals = self.dictionary_changes[1] >= 0
        self.fast = _Fast(self.dictionary_changes, frozenset(finalseg.Force_Split_Words), self.tokenizer) \
            if rjieba is not None and same_totals else None

    def _state(self, force_split: list) -> tuple:
        """What load_userdict and the tag table leave, as plain values: the prefix dictionary's
        words in its order with their frequencies, and each tagged word as its index there (the two
        tables share their strings when read back)."""
        tokenizer = self.tokenizer
        words = list(tokenizer.FREQ)
        position = {word: i for i, word in enumerate(words)}
        extra = [word for word in self.tags if word not in position]
        for i, word in enumerate(extra):
            position[word] = len(words) + i
        flags = sorted(set(self.tags.values()))
        flag_ids = {flag: i for i, flag in enumerate(flags)}
        return (STATE_FORMAT, words, list(tokenizer.FREQ.values()), tokenizer.total, extra,
                [position[word] for word in self.tags], [flag_ids[flag] for flag in self.tags.values()], flags,
                dict(tokenizer.user_word_tag_tab), force_split, self.dictionary_changes)

    def _dictionary_changes(self, frequencies: dict, total: int) -> tuple:
        """What loading the domain dictionary changed in jieba's own: each word whose frequency it
        changed with the new one, and how far the new total is from jieba's total plus those
        changes (jieba adds a re-listed word's frequency to the total again; jieba-rs replaces it)."""
        changed = {word: freq for word, freq in self.tokenizer.FREQ.items() if frequencies.get(word, 0) != freq}
        expected = total + sum(freq - frequencies.get(word, 0) for word, freq in changed.items())
        return changed, self.tokenizer.total - expected

    def _restore(self, state) -> bool:
        try:
            format_, words, freqs, total, extra, tagged, flag_ids, flags, user_tags, force_split, changes = state
            if format_ != STATE_FORMAT or len(words) != len(freqs) or len(tagged) != len(flag_ids):
                return False
            every = words + extra
            self.tags = dict(zip(map(every.__getitem__, tagged), map(flags.__getitem__, flag_ids)))
            tokenizer = self.tokenizer
            tokenizer.FREQ, tokenizer.total = dict(zip(words, freqs)), total
            tokenizer.user_word_tag_tab = user_tags
            for word in force_split:
                finalseg.add_force_split(word)
            tokenizer.initialized = True
            self.dictionary_changes = changes
            return True
        except (TypeError, ValueError, IndexError):
            return False

    def _dictionary_tags(self) -> dict:
        """word -> tag from jieba's dictionary file ("word freq tag" lines). Reading 350,000 lines
        takes most of a second, so the table is cached next to jieba's own cache (marshal), keyed
        by the dictionary file's name, size and time; jieba.posseg itself is never imported (its
        HMM tables cost another 0.3 s and tens of MB, and only its tag table is used)."""
        with self.tokenizer.get_dict_file() as handle:
            name = getattr(handle, "name", "jieba-dict")
            status = os.stat(name) if os.path.exists(name) else None
            key = f"{name}|{status.st_size if status else ''}|{status.st_mtime_ns if status else ''}"
            cache = os.path.join(self.tokenizer.tmp_dir, f"tags-{hashlib.sha1(key.encode()).hexdigest()[:16]}.marshal")
            try:
                with open(cache, "rb") as cached:
                    return marshal.load(cached)
            except (OSError, EOFError, ValueError, TypeError):
                pass
            tags = {}
            for line in handle:
                parts = line.decode("utf-8").split()
                if len(parts) == 3:
                    tags[parts[0]] = parts[2]
        partial = f"{cache}.{os.getpid()}"
        try:
            with open(partial, "wb") as out:
                marshal.dump(tags, out)
            os.replace(partial, cache)  # atomic: a parallel worker never reads half a file
        except OSError:
            pass  # a read-only temp folder only costs the next start-up the same second
        return tags

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
        it: 3|个村 -> 个, 村), re-tagging the pieces. tokens are in order and contiguous, as tag()
        returns them: each cut finds its word by bisection, so a clause of thousands of words costs
        a few look-ups and one copy, not a pass over every word per cut."""
        out = list(tokens)
        for cut in sorted(set(cuts), reverse=True):  # right to left: a split never shifts the words before it
            index = bisect_right(out, cut, key=_token_start) - 1
            if index < 0:
                continue
            token = out[index]
            if token.start < cut < token.end:
                left, right = token.word[:cut - token.start], token.word[cut - token.start:]
                out[index:index + 1] = [Token(left, self._guess_tag(left), token.start, cut),
                                        Token(right, self._guess_tag(right), cut, token.end)]
        return out

    def _guess_tag(self, word: str) -> str:
        flag = self.tags.get(word)
        if flag is not None:
            return flag
        # a new word (not in any dictionary) in a report is nearly always a name: place, body, project
        return "m" if word.isdigit() else "eng" if word.isascii() and word.isalpha() else \
            "x" if not word.strip() or not word.isalnum() else "n"

    def _tag(self, text: str) -> list[Token]:
        # Words from the tokenizer (its HMM finds new words quickly); tags from the dictionary's
        # table (with the domain dictionary's). Running jieba.posseg's own
        # tagger over whole clauses was the slowest stage (measured: 1.7x slower end to end) and
        # no more accurate on corpus/ and the seeds; tagging only new words with it was slower still.
        tokens, position, known = [], 0, self.tags.get
        for word in self.fast.cut(text) if self.fast is not None else self.tokenizer.lcut(text, HMM=True):
            end = position + len(word)
            tokens.append(Token(word, known(word) or self._guess_tag(word), position, end))
            position = end
        return tokens


# a word jieba-rs may read whole where jieba cuts it (2024-06-18, zh-CN, t20230609_1183402.html,
# 163.com): anything but Han characters, or letters and digits with a decimal and a per cent sign
WHOLE_IN_BOTH = regex.compile(r"\p{Han}+|[A-Za-z0-9]+(?:\.[0-9]+)?%?")
# a word of the dictionary jieba-rs is never given: the gap between the two libraries' totals
TOTAL_FILLER = "\U0010fffd\U0010fffd"


class _Fast:
    """jieba-rs (rjieba) made to cut as this project's jieba Tokenizer does, for the time: jieba-rs
    builds its dictionary in a twelfth of jieba's time and cuts about seven times faster.

    The two share jieba's dictionary file and its way of choosing words; they part in three places,
    each closed here. (1) Frequencies: the domain dictionary's changes are applied, and a filler word
    makes up the difference in totals (jieba counts a re-listed word twice), so every path scores the
    same. (2) A word the domain dictionary gives frequency 0 (共出动) is never one word to jieba: its
    HMM cuts such a word into characters; one that jieba-rs returns whole is cut the same way here.
    (3) Runs of Latin letters, digits and marks: jieba-rs keeps 2024-06-18 whole where
    jieba cuts 2024|-|06|-|18; any such word is cut again by jieba itself (a few per document).
    Measured on every clause of corpus/, the seeds and the real sets (27,074): the same words.
    Where two paths score exactly the same (百分之百分之百), the libraries may pick either."""

    def __init__(self, changes: tuple, force_split: frozenset, tokenizer):
        changed, total_gap = changes
        self.jieba_rs = rjieba.Jieba()
        for word, freq in changed.items():
            self.jieba_rs.add_word(word, freq, None)
        if total_gap > 0:
            self.jieba_rs.add_word(TOTAL_FILLER, total_gap, None)
        self.force_split = force_split
        self.tokenizer = tokenizer  # jieba, for the Latin and digit runs it cuts differently

    def cut(self, text: str) -> list[str]:
        out, whole, force_split = [], WHOLE_IN_BOTH.fullmatch, self.force_split
        for word in self.jieba_rs.cut(text, True):
            if len(word) > 1 and whole(word) is None:
                out.extend(self.tokenizer.lcut(word, HMM=True))
            elif word in force_split:
                out.extend(word)
            else:
                out.append(word)
        return out


@lru_cache(maxsize=4)
def get_segmenter(domain_dict: str) -> Segmenter:
    return Segmenter(Path(domain_dict))
