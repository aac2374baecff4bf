"""Where given words stand in one text, found once per word list: whether a span holds one of them
(or where the last one inside it starts) is then a bisection, not a search of the span. Asked for
every figure of a document, a search of its window or sentence grew with the square of a long
sentence; the status cues, the field labels and the attribution rules ask this way."""
from __future__ import annotations

from bisect import bisect_left

import regex


class WordPlaces:
    def __init__(self, text: str):
        self.text = text
        self._found: dict = {}  # id of a word list -> (the list, starts, ends)

    def _places(self, words) -> tuple[list, list]:
        """Every place one of words starts, with the end of the shortest word starting there (all
        the questions below ask of a word that ends soonest), sorted; found by one scan in C."""
        # by the list's identity (the callers ask with the lexicons' own tuples): hashing a long
        # tuple for every figure would cost what the look-up saves
        found = self._found.get(id(words))
        if found is None or found[0] is not words:
            ordered = sorted({word for word in words if word}, key=len)
            starts, ends = [], []
            if ordered:
                # overlapped: a match tried at every position; at each, the first (shortest) word
                pattern = regex.compile("|".join(map(regex.escape, ordered)))
                for match in pattern.finditer(self.text, overlapped=True):
                    starts.append(match.start())
                    ends.append(match.end())
            found = self._found[id(words)] = (words, starts, ends)
        return found[1], found[2]

    def holds_any(self, words, lo: int, hi: int) -> bool:
        """Whether one of words stands wholly inside text[lo:hi]."""
        starts, ends = self._places(words)
        at = bisect_left(starts, lo)
        while at < len(starts) and starts[at] < hi:
            if ends[at] <= hi:
                return True
            at += 1
        return False

    def last_inside(self, words, lo: int, hi: int) -> int:
        """Where the last occurrence of one of words that stands wholly inside text[lo:hi] starts,
        else -1 (max of text.rfind(word, lo, hi) over the words)."""
        starts, ends = self._places(words)
        at = bisect_left(starts, hi) - 1
        while at >= 0 and starts[at] >= lo:
            if ends[at] <= hi:
                return starts[at]
            at -= 1
        return -1
