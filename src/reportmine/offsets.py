"""The one place where spans are translated between normalized and original text.

A normalization step that changes lengths (dropping pinyin noise, flattening HTML, decoding an
entity) records pieces while it writes its output: each piece says "output [n, n+len) came
from input [o0, o1)". A piece is either a copy (same length, char i maps to char i) or a
replacement (any char inside maps to the whole input range: &amp; -> &). Input characters
covered by no piece were deleted. Steps chain: OffsetMap.compose maps through all of them.
"""
from __future__ import annotations

from bisect import bisect_right

from .errors import AlignmentError


class OffsetMap:
    """Maps spans of one step's output back to its input."""

    __slots__ = ("_out_starts", "_in_starts", "_in_ends", "_copy", "out_length", "in_length")

    def __init__(self, in_length: int):
        self._out_starts: list[int] = []
        self._in_starts: list[int] = []
        self._in_ends: list[int] = []
        self._copy: list[bool] = []
        self.out_length = 0
        self.in_length = in_length

    @classmethod
    def identity(cls, length: int) -> "OffsetMap":
        mapping = cls(length)
        mapping.add_copy(0, length)
        return mapping

    def add_copy(self, in_start: int, in_end: int) -> None:
        """Output grows by input[in_start:in_end], unchanged."""
        if in_end <= in_start:
            return
        if (self._copy and self._copy[-1] and self._in_ends[-1] == in_start):
            self._in_ends[-1] = in_end  # extend the previous copy: keeps the tables small
        else:
            self._out_starts.append(self.out_length)
            self._in_starts.append(in_start)
            self._in_ends.append(in_end)
            self._copy.append(True)
        self.out_length += in_end - in_start

    def add_replacement(self, in_start: int, in_end: int, out_len: int) -> None:
        """Output grows by out_len characters standing for input[in_start:in_end] as a whole."""
        if out_len <= 0:
            return
        if out_len == in_end - in_start:
            self.add_copy(in_start, in_end)
            return
        self._out_starts.append(self.out_length)
        self._in_starts.append(in_start)
        self._in_ends.append(in_end)
        self._copy.append(False)
        self.out_length += out_len

    @classmethod
    def from_edits(cls, text: str, edits: list) -> tuple[str, "OffsetMap"]:
        """Apply sorted, non-overlapping edits (start, end, replacement) to text in one pass and
        return the new text with its map; a hot path, so it fills the tables directly."""
        mapping = cls(len(text))
        out_starts, in_starts, in_ends, copy = mapping._out_starts, mapping._in_starts, mapping._in_ends, mapping._copy
        pieces: list[str] = []
        out_length, cursor = 0, 0
        for start, end, replacement in edits:
            if start > cursor:
                if copy and copy[-1] and in_ends[-1] == cursor:
                    in_ends[-1] = start
                else:
                    out_starts.append(out_length); in_starts.append(cursor); in_ends.append(start); copy.append(True)
                pieces.append(text[cursor:start])
                out_length += start - cursor
            if replacement:
                out_starts.append(out_length); in_starts.append(start); in_ends.append(end)
                copy.append(len(replacement) == end - start)
                pieces.append(replacement)
                out_length += len(replacement)
            cursor = end
        if cursor < len(text):
            if copy and copy[-1] and in_ends[-1] == cursor:
                in_ends[-1] = len(text)
            else:
                out_starts.append(out_length); in_starts.append(cursor); in_ends.append(len(text)); copy.append(True)
            pieces.append(text[cursor:])
            out_length += len(text) - cursor
        mapping.out_length = out_length
        return "".join(pieces), mapping

    def _piece(self, out_index: int) -> int:
        if not 0 <= out_index < self.out_length:
            raise AlignmentError(f"offset {out_index} outside the normalized text (length {self.out_length})")
        return bisect_right(self._out_starts, out_index) - 1

    def to_input(self, start: int, end: int) -> tuple[int, int]:
        """Half-open output span -> the half-open input span it came from."""
        if end <= start:
            raise AlignmentError(f"empty or reversed span [{start}, {end})")
        first = self._piece(start)
        last = self._piece(end - 1)
        if self._copy[first]:
            in_start = self._in_starts[first] + (start - self._out_starts[first])
        else:
            in_start = self._in_starts[first]
        if self._copy[last]:
            in_end = self._in_starts[last] + (end - self._out_starts[last])
        else:
            in_end = self._in_ends[last]
        return in_start, in_end


    def from_input(self, in_index: int) -> int:
        """Input position -> output position (the next surviving output char for deleted input)."""
        piece = bisect_right(self._in_starts, in_index) - 1
        if piece < 0:
            return 0
        if in_index < self._in_ends[piece]:
            if self._copy[piece]:
                return self._out_starts[piece] + (in_index - self._in_starts[piece])
            return self._out_starts[piece]
        # deleted input after this piece: the output position just past it
        length = (self._in_ends[piece] - self._in_starts[piece]) if self._copy[piece] else (
            (self._out_starts[piece + 1] if piece + 1 < len(self._out_starts) else self.out_length) - self._out_starts[piece])
        return self._out_starts[piece] + length

    def input_span_to_output(self, start: int, end: int):
        """Input span -> output span covering what survived of it, or None if all of it was deleted."""
        out_start, out_end = self.from_input(start), self.from_input(end - 1) if end > start else None
        if out_end is None:
            return None
        piece = bisect_right(self._in_starts, end - 1) - 1
        survived_end = out_end + 1 if piece >= 0 and end - 1 < self._in_ends[piece] else out_end
        return (out_start, survived_end) if survived_end > out_start else None


class ChainedMap:
    """Several steps' maps, last step first when mapping back to the original."""

    __slots__ = ("maps",)

    def __init__(self, maps):
        self.maps = list(maps)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        for mapping in reversed(self.maps):
            start, end = mapping.to_input(start, end)
        return start, end
