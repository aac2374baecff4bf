"""What Python's own regular-expression parser says of a pattern's shape, for the searches that
may skip text a match cannot hold: how many characters a match holds at most outside its runs of
spaces (a search for a match ending a text can start near its end), and which characters every
match starts with (a span holding none of them holds no match). Patterns with syntax only the
`regex` module reads (\\p{Han} ...) are not analysed: None, and the caller searches as before."""
from __future__ import annotations

from typing import Optional

try:
    import re._constants as _sre
    import re._parser as _sre_parser
except ImportError:  # Python < 3.11
    import sre_constants as _sre
    import sre_parse as _sre_parser


def _parsed(pattern: str):
    try:
        return _sre_parser.parse(pattern)
    except Exception:  # regex-only syntax: nothing known of its shape
        return None


def reach_without_spaces(pattern: str) -> Optional[int]:
    """The most characters a match of pattern holds outside its repeated spaces (\\s*), or None
    when that has no bound or the pattern is not one Python's own parser reads."""
    parsed = _parsed(pattern)
    return None if parsed is None else _width(parsed)


def _width(items) -> Optional[int]:
    total = 0
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY, _sre.CATEGORY):
            width = 1
        elif op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            width = 0  # (look-arounds hold no character of the match)
        elif op is _sre.BRANCH:
            widths = [_width(branch) for branch in av[1]]
            width = None if None in widths else max(widths, default=0)
        elif op is _sre.SUBPATTERN:
            width = _width(av[-1])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, high, item = av
            if high is _sre.MAXREPEAT:
                only_spaces = list(item) in ([(_sre.IN, [(_sre.CATEGORY, _sre.CATEGORY_SPACE)])],
                                             [(_sre.CATEGORY, _sre.CATEGORY_SPACE)])
                width = 0 if only_spaces else None
            else:
                inner = _width(item)
                width = None if inner is None else high * inner
        else:
            return None
        if width is None:
            return None
        total += width
    return total


def opening_characters(pattern: str) -> Optional[set]:
    """The characters every match of pattern starts with (计 for 计划(?!生育), 目 for (?<!实现)目标),
    or None when a match may start otherwise (an optional or repeated opening, a class with ranges)
    or the pattern is not one Python's own parser reads."""
    parsed = _parsed(pattern)
    return None if parsed is None else _first_of(parsed)


def _first_of(items) -> Optional[set]:
    for op, av in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # (take no character: the first one taken is after them)
        if op is _sre.LITERAL:
            return {chr(av)}
        if op is _sre.IN:
            if all(kind is _sre.LITERAL for kind, _ in av):
                return {chr(code) for _, code in av}
            return None
        if op is _sre.SUBPATTERN:
            return _first_of(av[-1])
        if op is _sre.BRANCH:
            firsts = [_first_of(branch) for branch in av[1]]
            return None if None in firsts else set().union(*firsts)
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            return _first_of(av[2])
        return None
    return None  # (a pattern that may take no character at all)
