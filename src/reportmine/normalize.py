"""Decoded original text -> clean simplified text that the extractors read, with exact offsets.

Steps, in order (each length-changing step records an OffsetMap, see offsets.py):
1. HTML pages are flattened to their article text (scripts, styles, navigation, headers,
   footers and side bars dropped; block tags become line breaks; entities decoded).
2. Full-width digits, letters and number signs become ASCII, and traditional characters become
   simplified with OpenCC t2s. Both keep every length, so they need no map.
3. Web chrome lines (menus, bylines, copyright, ICP lines) are dropped, pinyin annotations after
   Han characters (區(qū)) are removed, and whitespace is unified.
Corrupted spans (mojibake, U+FFFD, 锟斤拷, '?' standing for lost characters) are found on the
result and reported with their original offsets; extractors must not read metrics from them.
"""
from __future__ import annotations

import html
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import numpy
import opencc
import regex

from .decode import common_chars
from .lexicons import Lexicons
from .offsets import ChainedMap, OffsetMap
from .records import Warning_

# ---- step 1: HTML -----------------------------------------------------------------------
# The page is cut into markup tokens by a small tokenizer that knows where every token starts and
# ends in the source (the offsets of every metric must index the HTML itself). Measured against
# the standard library's html.parser, which reports positions (benchmarks/bench_html_parser.py, on
# this Python, 3.11): the same tokens and metrics on corpus/'s HTML, but 2.1x the time, quadratic on
# tags that never close (8,000 '<a ' without a '>': 3.9 s against 0.011 s) and it raises on '<![<![',
# so it is no base for batches of scraped pages; lxml gives lines but no columns, selectolax and
# html5lib give no source offsets at all.
# Linear by construction: each token is found by one forward search, and every look-ahead for a
# closing '>', '-->' or '</script>' goes through _NextMatch, which never searches a stretch twice.
HTML_SNIFF = regex.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|</p>|</div>", regex.I)
TAG_OPEN = regex.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b")
TAG_END = regex.compile(">")
COMMENT_END = regex.compile("-->")
# elements dropped with everything up to their first closing tag
DROPPED_TAGS = frozenset("script style noscript template svg iframe head select button textarea".split())
# of those, the ones whose content is never markup: unclosed, they run to the end of the page (as
# in a browser); the others, unclosed, are read as ordinary tags (a page that never closes <head>)
RAW_TEXT_TAGS = frozenset(("script", "style"))
BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article dd dt dl blockquote pre hr "
    "title tbody thead caption figure figcaption center".split())
CHROME_TAGS = frozenset("nav header footer aside form menu".split())
CELL_TAGS = frozenset(("td", "th"))
VOID_TAGS = frozenset("br hr img meta link input area base col embed source track wbr param".split())
CHROME_ATTR = regex.compile(
    r"""(?:class|id)\s*=\s*["'][^"']*\b(?:nav|navbar|menu|footer|foot|header|top-?bar|breadcrumb|crumbs?|"""
    r"""sidebar|side|copyright|share|related|recommend|friend-?links?|links|banner|toolbar|bottom|position|location)\b""",
    regex.I)
TITLE_OPEN = regex.compile(r"<title", regex.I)
TITLE_CLOSE = regex.compile(r"</title\s*>", regex.I)
HAN_CHAR = regex.compile(r"\p{Han}")
# Page chrome is named by its tag or class (nav, footer, class="side"), but a name alone does not
# make chrome: ASP.NET pages put the whole article inside <form>, a <nav> left unclosed runs to the
# end of the page, and a class such as "main-side" may hold the text. So a named element is dropped
# only when it holds less than MAIN_TEXT_SHARE of the page's text outside links; otherwise it is
# kept, and inside it every element whose text is mostly link text (a menu, a list of related
# pages) is dropped instead.
MAIN_TEXT_SHARE = 0.5
LINK_TEXT_SHARE = 0.5
# a page whose kept text is under this share of its text outside links gets a warning (the article
# was probably not found), once it has at least MIN_PAGE_TEXT such characters to lose
KEPT_TEXT_WARNING_SHARE = 0.1
MIN_PAGE_TEXT = 50
# line breaks inside a text node are layout, not structure: they become spaces (same length)
LAYOUT_WHITESPACE = str.maketrans("\r\n\t", "   ")
DELETE_WHITESPACE = {ord(ch): None for ch in " \t\n\r\f\v\u3000\xa0"}


# file names whose text is an HTML page whatever it looks like (others are sniffed)
HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})


def looks_like_html(text: str) -> bool:
    return bool(HTML_SNIFF.search(text[:20000]))


class _NextMatch:
    """The first match of a pattern at or after a position, for positions that only move forward.
    A stretch of the page is searched once, however many tokens ask: without this, a page of
    10,000 '<a ' and no '>' is searched to its end from each of them."""

    __slots__ = ("pattern", "source", "searched_from", "found")

    def __init__(self, pattern, source: str):
        self.pattern, self.source = pattern, source
        self.searched_from, self.found = None, None

    def at_or_after(self, position: int):
        if self.searched_from is None or position < self.searched_from or (
                self.found is not None and self.found.start() < position):
            self.found = self.pattern.search(self.source, position)
            self.searched_from = position
        return self.found


class _Token(NamedTuple):
    start: int
    end: int
    kind: str  # tag, entity, dropped (an element skipped whole), unclosed (a script running to the end), other
    name: str = ""
    closing: bool = False
    attrs: str = ""


# Well-formed tags of bounded length and entities are taken whole in one search (in C); anything
# else at a '<' or '&' goes the careful way below, with the same result. The quick tag stops at the
# next '<', so no character is looked at by more than two attempts; comments are left to the
# careful way, since a quick look for '-->' would read up to its bound from every '<!--'
QUICK_TOKEN = regex.compile(
    r"<(?P<closing>/?)(?P<name>[a-zA-Z][a-zA-Z0-9]*)\b(?P<attrs>[^<>]{0,2000})>"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});)"
    r"|[<&]")


def _tokens(source: str) -> list[_Token]:
    """The page's markup in order: tags, entities, and the spans that are dropped whole (comments,
    declarations, script/style/head... elements). Text is what lies between tokens."""
    tokens: list[_Token] = []
    tag_end, comment_end = _NextMatch(TAG_END, source), _NextMatch(COMMENT_END, source)
    closers: dict = {}
    position = 0
    while True:
        quick = QUICK_TOKEN.search(source, position)
        if quick is None:
            return tokens
        i, kind = quick.start(), quick.lastgroup
        if kind == "attrs":  # a tag; its '>' is the first after the name, with no '<' before it
            name, name_end, close_start, close_end = quick.group("name"), quick.end("name"), quick.end() - 1, quick.end()
        elif kind is not None:  # an entity
            tokens.append(_Token(i, quick.end(), "entity"))
            position = quick.end()
            continue
        else:
            position = i + 1  # unless a token is found here, this character is text
            if source[i] == "&":
                continue  # not an entity (those were taken above)
            if source.startswith("<!--", i):
                end = comment_end.at_or_after(i + 4)
                if end is not None:
                    tokens.append(_Token(i, end.end(), "other"))
                    position = end.end()
                    continue  # an unclosed comment ends at the next '>', as a declaration would
            tag = TAG_OPEN.match(source, i)
            if tag is None:
                if source.startswith(("<!", "<?"), i):
                    close = tag_end.at_or_after(i + 2)
                    if close is not None:
                        tokens.append(_Token(i, close.end(), "other"))
                        position = close.end()
                continue
            close = tag_end.at_or_after(tag.end())
            if close is None:
                continue  # a '<' that no '>' ever closes is text
            name, name_end, close_start, close_end = tag.group(2), tag.end(), close.start(), close.end()
        lowered, closing = name.lower(), source[i + 1] == "/"
        if not closing and lowered in DROPPED_TAGS:
            if lowered not in closers:
                closers[lowered] = _NextMatch(regex.compile(rf"</{lowered}\s*>", regex.I), source)
            closer = closers[lowered].at_or_after(close_end)
            if closer is not None:
                tokens.append(_Token(i, closer.end(), "dropped", lowered))
                position = closer.end()
                continue
            if lowered in RAW_TEXT_TAGS:
                tokens.append(_Token(i, len(source), "unclosed", lowered))
                return tokens
        tokens.append(_Token(i, close_end, "tag", lowered, closing, source[name_end:close_start]))
        position = close_end


@lru_cache(maxsize=1024)
def _decoded_entity(token: str) -> str:
    decoded = html.unescape(token)
    # an unknown named entity (&foo;) is dropped; a numeric one always means its character
    return "" if decoded == token and not token.startswith("&#") else decoded.replace("\xa0", " ")


@dataclass
class _Element:
    name: str
    parent: "_Element | None"
    named_chrome: bool  # by tag or class/id
    kept_as_article: bool = False  # named chrome that holds the article, so is read
    under_kept_chrome: bool = False  # inside such an element: menus in it are dropped by their links
    text: int = 0  # readable characters in it (no whitespace), and of those, inside links
    link_text: int = 0
    close: int = -1  # index of the token that closes it: its end tag, or the first token after it


def _elements(source: str, tokens: list[_Token]) -> tuple[dict, int]:
    """The element tree, as {index of the opening tag token: _Element}, with each element's text
    and link text counted (one pass: every element's counts are the running totals at its close
    minus those at its open). An end tag closes the nearest open element of its name and the ones
    left open inside it; a stray end tag closes nothing. Returns the elements and the page's text
    outside links."""
    elements: dict = {}
    stack: list[tuple[_Element, int, int]] = []  # element, text and link text at its opening
    open_names: dict = {}  # name -> how many are open: a stray end tag is known without a scan
    text = link_text = links_open = 0
    previous_end = 0

    def close(index):
        element, text_then, links_then = stack.pop()
        element.text, element.link_text, element.close = text - text_then, link_text - links_then, index
        open_names[element.name] -= 1
        return element

    for index, token in enumerate(tokens + [_Token(len(source), len(source), "end of page")]):
        # what is measured is a share, so a text run counts its length less its outer whitespace
        # and an entity counts one: cheap, and near enough to the characters a reader sees
        readable = len(source[previous_end:token.start].strip()) + (token.kind == "entity")
        text += readable
        link_text += readable if links_open else 0
        previous_end = token.end
        if token.kind != "tag" or token.name in VOID_TAGS:
            continue
        if not token.closing:
            parent = stack[-1][0] if stack else None
            element = _Element(token.name, parent, token.name in CHROME_TAGS or bool(CHROME_ATTR.search(token.attrs)))
            elements[index] = element
            stack.append((element, text, link_text))
            open_names[token.name] = open_names.get(token.name, 0) + 1
            links_open += token.name == "a"
        elif open_names.get(token.name):
            while True:
                element = close(index)
                links_open -= element.name == "a"
                if element.name == token.name:
                    break
    end = len(tokens)
    while stack:
        close(end)
    return elements, text - link_text


@dataclass
class FlatPage:
    """An HTML page flattened to its article text, with where every character came from."""

    text: str
    mapping: OffsetMap
    warnings: list


def html_to_text(source: str) -> FlatPage:
    """Flatten an HTML page to its article text, recording where every output character came from:
    block tags become line breaks, table cells tabs, entities their characters; scripts, styles and
    page chrome are dropped (see MAIN_TEXT_SHARE for what counts as chrome)."""
    tokens = _tokens(source)
    elements, page_text = _elements(source, tokens)
    out: list[str] = []
    mapping = OffsetMap(len(source))
    warnings: list = []

    def dropped(element: _Element) -> bool:
        # decided in page order, so the parent is decided first: no walk up the tree per element
        parent = element.parent
        element.under_kept_chrome = parent is not None and (parent.under_kept_chrome or parent.kept_as_article)
        if element.named_chrome:
            element.kept_as_article = element.text - element.link_text >= MAIN_TEXT_SHARE * page_text > 0
            return not element.kept_as_article
        return element.under_kept_chrome and element.text > 0 and element.link_text >= LINK_TEXT_SHARE * element.text

    def emit_text(start, end):
        if end > start:
            out.append(source[start:end].translate(LAYOUT_WHITESPACE))
            mapping.add_copy(start, end)

    position = index = 0
    while index < len(tokens):
        token = tokens[index]
        emit_text(position, token.start)
        position = token.end
        if token.kind == "entity":
            decoded = _decoded_entity(source[token.start:token.end])
            if decoded:
                out.append(decoded)
                mapping.add_replacement(token.start, token.end, len(decoded))
        elif token.kind == "unclosed":
            lost = len(HAN_CHAR.findall(source, token.start))
            if lost:
                warnings.append(Warning_(
                    code="unclosed_script", start=token.start, end=token.end,
                    message=f"a <{token.name}> that is never closed runs to the end of the page: "
                            f"{lost} Han characters after it were not read"))
        elif token.kind == "tag":
            element = elements.get(index)
            if element is not None and dropped(element):
                # skip to its closing tag (dropped with it), or to the ancestor's end tag that
                # closed it implicitly (read as usual) or to the end of the page
                closer = element.close
                closes_itself = closer < len(tokens) and tokens[closer].closing and tokens[closer].name == element.name
                index = closer + 1 if closes_itself else closer
                position = tokens[index - 1].end if closes_itself else (
                    tokens[closer].start if closer < len(tokens) else len(source))
                continue
            if token.name in CELL_TAGS:
                # a table row stays one line with its cells after tabs, so an extractor can find a
                # cell's column header (<th>检查企业数</th> ... <td>58家</td>)
                if not token.closing:
                    out.append("\t")
                    mapping.add_replacement(token.start, token.end, 1)
            elif token.name in BLOCK_TAGS:
                out.append("\n")
                mapping.add_replacement(token.start, token.end, 1)
        index += 1
    emit_text(position, len(source))
    text = "".join(out)
    kept = len(text.translate(DELETE_WHITESPACE))
    if page_text >= MIN_PAGE_TEXT and kept < KEPT_TEXT_WARNING_SHARE * page_text:
        warnings.append(Warning_(code="little_article_text", message=(
            f"only {kept} of the page's {page_text} characters of text (outside links) were kept as article "
            f"text, the rest taken for navigation, headers, side bars or footers: check that the article was found")))
    return FlatPage(text, mapping, warnings)


def html_title(source: str):
    """The first <title>'s text. Each part is searched for once: if the first <title has no '>' or
    no </title> after it, no later one has either (a page of 10,000 '<title' is not searched to its
    end from each)."""
    opening = TITLE_OPEN.search(source)
    tag_end = source.find(">", opening.end()) if opening else -1
    closing = TITLE_CLOSE.search(source, tag_end + 1) if tag_end >= 0 else None
    return html.unescape(source[tag_end + 1:closing.start()]).strip() if closing else None


# ---- step 2: width and script ---------------------------------------------------------
FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
FULLWIDTH.update({0xFF21 + i: ord("A") + i for i in range(26)})
FULLWIDTH.update({0xFF41 + i: ord("a") + i for i in range(26)})
FULLWIDTH.update({ord("％"): "%", ord("．"): ".", ord("＋"): "+", ord("－"): "-", ord("／"): "/",
                  ord("～"): "~", ord("＜"): "<", ord("＞"): ">", ord("＝"): "=", ord("\u3000"): " ",
                  ord("\xa0"): " ", ord("\u2002"): " ", ord("\u2003"): " ", ord("\u2009"): " ",
                  ord("\u200b"): " ", ord("\ufeff"): " ", ord("﹪"): "%", ord("٪"): "%"})


HAS_FULLWIDTH = regex.compile("[\uff01-\uff5e\u3000\xa0\u2002\u2003\u2009\u200b\ufeff﹪٪]")


@lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """OpenCC t2s, guaranteed to keep the length (falls back per line, then per character)."""
    converter = _t2s()
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    lines = []
    for line in text.splitlines(keepends=True):
        new = converter.convert(line)
        if len(new) != len(line):
            new = "".join(c2 if len(c2 := converter.convert(ch)) == 1 else ch for ch in line)
        lines.append(new)
    return "".join(lines)


def detect_script(before: str, after: str) -> str:
    """simplified, traditional or mixed, from the share of Han characters that t2s changed."""
    if before == after:
        return "simplified"
    # one code point per array item: a vectorised comparison instead of a loop per character
    original = numpy.frombuffer(before.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
    converted = numpy.frombuffer(after.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
    han = int(((original >= 0x4E00) & (original <= 0x9FFF)).sum())
    if not han:
        return "simplified"
    ratio = int((original != converted).sum()) / han
    if ratio > 0.12:
        return "traditional"
    if ratio > 0.02:
        return "mixed"
    return "simplified"


# ---- step 3: chrome lines, pinyin noise, whitespace -------------------------------------
# a bracketed run of pinyin letters holding a vowel, right after a Han character: 區(qū), once or more
# (常(chang)(chang)住: the noise doubled by a second pass of the same tool). The vowel is
# checked by a lookahead and the letters taken possessively: letters* vowel letters* would retry
# every split of a long unclosed run (区(aaaa… with no bracket closing), N^2 steps per bracket
PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê"
PINYIN_NOISE = regex.compile(
    rf"(?<=\p{{Han}})(?:[(（](?=[{PINYIN_LETTERS}]*[aeiouāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê])[{PINYIN_LETTERS}]*+[)）])++")
DELETIONS = regex.compile(PINYIN_NOISE.pattern + r"|\r")
# runs of spaces collapse and lines are trimmed; tabs stay (they separate table cells). Spaces
# between a figure and the words around it go (text converted from PDF or Word: 检查企业 128 家,
# 近 200 人, 3.65 万余人); spaces between two digits stay (“1 2 15 4” is a formula, not 12154)
SPACES = regex.compile(r"[ \f\v]{2,}|(?<=\n|^)[ \f\v]+|[ \f\v]+(?=\n|$)"
                       r"|(?<=\p{Han})[ \f\v]+(?=\d)|(?<=\d)[ \f\v]+(?=[\p{Han}%])")
FIGURE_GAP = regex.compile(r"\p{Han}[ \f\v]+\d|\d[ \f\v]+[\p{Han}%]")


MENU_SEPARATORS = regex.compile(r"[\s|/·•]+")
DIGIT = regex.compile(r"\d")
# a wrapped (PDF) text: at least WRAP_MIN_LINES lines of WRAP_MIN_CHARS or more, at least WRAP_SHARE
# of them ending inside a sentence; a line shorter than WRAP_LINE_SHARE of the usual width ends a
# paragraph or is a heading
WRAP_MIN_CHARS, WRAP_MIN_LINES, WRAP_SHARE, WRAP_LINE_SHARE = 15, 8, 0.5, 0.6
LINE_END = regex.compile(r"[。！？!?；;：:…][”’」』）)]*$")
PARAGRAPH_START = regex.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d)|第[一二三四五六七八九十]+[章节条部分]")


@lru_cache(maxsize=8)
def _chrome_pattern(patterns: tuple) -> "regex.Pattern":
    """All chrome line patterns as one alternation, so each line is matched once."""
    return regex.compile("|".join(f"(?:{p.pattern})" for p in patterns))


def _is_menu_line(line: str, lexicons: Lexicons) -> bool:
    if "\t" in line:
        return False  # a table row (its header row has no digits either)
    items = [item for item in MENU_SEPARATORS.split(line) if item]
    return (len(items) >= lexicons.menu_min_items
            and all(len(item) <= lexicons.menu_max_item_chars for item in items)
            and not DIGIT.search(line))


def chrome_lines(text: str, lexicons: Lexicons) -> list[tuple[int, int]]:
    """Ranges [start, end) (newline included) of lines that are page chrome."""
    ranges = []
    position = 0
    chrome = _chrome_pattern(lexicons.chrome_line_patterns)
    in_link_list = False
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if in_link_list and stripped:
            # the titles under 往期推荐: short lines, none a sentence of the article (ending in 。)
            in_link_list = len(stripped) <= lexicons.link_list_max_chars and not stripped.endswith("。")
        if stripped in lexicons.link_list_headings:
            in_link_list = True
        if stripped and (in_link_list or len(stripped) <= 120 and (
                chrome.match(stripped) or _is_menu_line(stripped, lexicons))):
            ranges.append((position, position + len(line)))
        position += len(line)
    return ranges


def indentation(line: str) -> int:
    """The spaces a line opens with (a tab is no indentation: it separates a table's cells)."""
    return len(line) - len(line.lstrip(" \u3000"))


def unwrap(text: str, chrome: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[int]]:
    """Text copied out of a PDF is wrapped at a fixed width: most long lines end inside a sentence
    (检查生产经营单位3,862 / 家次). For such a text only, the page's running header (the title line
    repeated) is chrome too, and the newlines inside sentences go, so that a clause is one clause
    again. Returns (running-header line ranges, positions of the newlines to delete)."""
    dropped = {start for start, _ in chrome}
    lines, position = [], 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if position not in dropped and body.strip():
            lines.append((position, position + len(body), body))
        position += len(line)
    long_lines = [body.strip() for _, _, body in lines if len(body.strip()) >= WRAP_MIN_CHARS]
    open_ended = sum(1 for body in long_lines if not LINE_END.search(body))
    if len(long_lines) < WRAP_MIN_LINES or open_ended < WRAP_SHARE * len(long_lines):
        return [], []
    title = lines[0][2].strip()
    headers = [(start, end) for start, end, body in lines[1:] if body.strip() == title]
    skipped = dropped | {start for start, _ in headers}
    lines = [line for line in lines if line[0] not in skipped]
    width = sorted(len(body.strip()) for body in long_lines)[len(long_lines) // 2]
    # the page's left margin: the indentation most long lines share (a book page set in from the edge
    # indents every line by it); a line indented further starts a paragraph
    margin = Counter(indentation(body) for _, _, body in lines if len(body.strip()) >= WRAP_MIN_CHARS).most_common(1)[0][0]
    chrome_spans = sorted(chrome + headers)  # line ranges: disjoint, so starts and ends both ascend
    chrome_starts = [start for start, _ in chrome_spans]
    newlines = []
    for (_, a_end, a_body), (b_start, _, b_body) in zip(lines, lines[1:]):
        a_text, b_indent = a_body.strip(), indentation(b_body)
        if LINE_END.search(a_text) or len(a_text) < WRAP_LINE_SHARE * width \
                or b_indent > margin or b_body[b_indent:][:1].isspace() \
                or PARAGRAPH_START.match(b_body.lstrip()):
            continue
        # the chrome lines between the two lines, found by bisection (not a pass over all of them
        # for every pair of lines: a long PDF text has a running header on every page)
        first, last = bisect_left(chrome_starts, a_end), bisect_left(chrome_starts, b_start)
        inside = chrome_spans[first:last]
        gap = [i for i in range(a_end, b_start) if text[i] == "\n"
               and not any(start <= i < end for start, end in inside)]
        # a blank line is a paragraph break, unless a page footer or header sits in the gap
        crosses_page = last > first
        if len(gap) == 1 or crosses_page:
            newlines += gap
    return headers, newlines


def clean(text: str, lexicons: Lexicons) -> tuple[str, OffsetMap]:
    """Drop chrome lines and pinyin noise, unify whitespace, join lines wrapped inside sentences:
    one list of edits, applied at once."""
    edits = []
    position = 0
    chrome = chrome_lines(text, lexicons)
    headers, newlines = unwrap(text, chrome)
    if headers:
        chrome = sorted(chrome + headers)
    edits += [(i, i + 1, "") for i in newlines]
    for line_start, line_end in chrome + [(len(text), len(text))]:
        # list comprehensions keep the per-match work in C as far as possible (pinyin noise is dense)
        edits += [(m.start(), m.end(), "") for m in DELETIONS.finditer(text, position, line_start)]
        for match in SPACES.finditer(text, position, line_start):
            start, end = match.span()
            at_edge = (start == position or text[start - 1] in "\n\r" or end == line_start
                       or text[end:end + 1] in ("\n", "\r"))
            edits.append((start, end, "" if at_edge or FIGURE_GAP.fullmatch(text, start - 1, end + 1) else " "))
        if line_end > line_start:
            edits.append((line_start, line_end, ""))
        position = line_end
    edits.sort()
    return OffsetMap.from_edits(text, edits)


# ---- corrupted spans ---------------------------------------------------------------------
CORRUPT = regex.compile(
    r"\ufffd+"
    r"|(?:锟斤拷|烫烫|屯屯)+[锟斤拷烫屯]*"
    r"|(?<=[\p{Han}a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ)])\?+(?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\))?(?:[^\s\x00-\x7f，。；：！？“”]{0,4}\?)?(?![\s\"”’」』)\]]|$)"
    r"|\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)"
    r"|\?(?=[;、⒌贰])"
    r"|(?:[\u00c2-\u00ef][\u0080-\u00bf\u2018-\u203a\u0152-\u0178\u02c6\u02dc]{1,2}){2,}"
)
CORRUPT_TRIGGER = regex.compile(r"[\ufffd锟烫屯?\u00c2-\u00ef]")


@lru_cache(maxsize=1)
def _uncommon_han() -> "re.Pattern":
    """One character class of the Han characters that are not common ones, so that the places
    where mojibake can be are found in a single pass. Built with the standard library's re, which
    compiles a large set into a lookup table (the regex module would test ranges one by one)."""
    common = common_chars()
    ranges, start = [], None
    for code in range(0x4E00, 0xA000):
        if chr(code) not in common:
            if start is None:
                start = code
        elif start is not None:
            ranges.append((start, code - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x9FFF))
    return re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" if b > a else f"\\u{a:04x}" for a, b in ranges) + "]")


def _utf8_lead_chars() -> frozenset:
    """The characters GBK makes of a UTF-8 lead byte of a CJK character (E4-E9) and a
    continuation byte (80-BF): a GBK-read UTF-8 window must start with one."""
    chars = set()
    for lead in range(0xE4, 0xEA):
        for trail in range(0x80, 0xC0):
            try:
                chars.add(bytes((lead, trail)).decode("gbk"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


UTF8_LEAD_CHARS = _utf8_lead_chars()


def _gbk_mojibake(text: str) -> list[tuple[int, int]]:
    """Runs of UTF-8 bytes mis-read as GBK (鐢熶骇 for 生产): windows holding an uncommon Han
    character that re-encode to GBK bytes forming valid UTF-8 of common characters."""
    common = common_chars()
    spans, covered = [], 0
    for rare in _uncommon_han().finditer(text):
        p = rare.start()
        if p < covered:
            continue
        found = None
        for i in range(max(covered, p - 3), p + 1):
            if text[i] not in UTF8_LEAD_CHARS:
                continue
            for j in range(min(len(text), i + 24), max(p, i + 2), -1):
                try:
                    decoded = text[i:j].encode("gbk").decode("utf-8")
                except (UnicodeEncodeError, UnicodeDecodeError):
                    continue
                if len(decoded) >= 2 and all(ch in common for ch in decoded):
                    found = (i, j)
                    break
            if found:
                break
        if found:
            spans.append(found)
            covered = found[1]
    return spans


QUESTION = regex.compile(r"如何|怎样|怎么|什么|哪些|哪里|为什么|为何|是否|多少|吗|呢|何")


def _is_question_mark(text: str, position: int) -> bool:
    """A bare ? that ends a question (是如何...的?对此): a question word earlier in its sentence,
    at most 60 characters back (so the sentence's start is looked for only there: a text of
    question marks and no full stop would otherwise be searched back to its start for each)."""
    window_start = max(0, position - 60)
    sentence_start = max(text.rfind(ch, window_start, position) for ch in "。！？!?\n") + 1
    return bool(QUESTION.search(text, max(sentence_start, window_start), position))


def corrupt_spans(text: str) -> list[tuple[int, int]]:
    spans, covered = [], 0
    # every corruption form starts with one of a few characters: try the full pattern only there
    for trigger in CORRUPT_TRIGGER.finditer(text):
        if trigger.start() < covered:
            continue
        match = CORRUPT.match(text, trigger.start())
        if match and not (match.group(0) == "?" and _is_question_mark(text, match.start())):
            spans.append((match.start(), match.end()))
            covered = match.end()
    spans += _gbk_mojibake(text)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


# ---- the whole stage --------------------------------------------------------------------
@dataclass
class Normalized:
    original: str
    text: str
    offsets: ChainedMap
    script: str
    is_html: bool
    html_title: str | None = None
    flat_text: str = ""  # simplified, before chrome lines were dropped (HTML flattened): where datelines live
    corrupt: list = field(default_factory=list)  # spans in normalized text
    warnings: list = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets.to_original(start, end)


def normalize(original: str, lexicons: Lexicons, is_html: bool | None = None) -> Normalized:
    maps = []
    text = original
    title = None
    if is_html is None:
        is_html = looks_like_html(original)
    page_warnings = []
    if is_html:
        title = html_title(original)
        page = html_to_text(original)
        text, page_warnings = page.text, page.warnings
        maps.append(page.mapping)
    narrowed = text.translate(FULLWIDTH) if HAS_FULLWIDTH.search(text) else text
    simplified = to_simplified(narrowed)
    script = detect_script(narrowed, simplified)
    cleaned, clean_map = clean(simplified, lexicons)
    maps.append(clean_map)
    result = Normalized(original=original, text=cleaned, offsets=ChainedMap(maps), script=script,
                        is_html=is_html, html_title=title, flat_text=simplified, warnings=page_warnings)
    # corruption is looked for before t2s, which would rewrite the garbage (鐢熶骇 stops re-encoding)
    for start, end in corrupt_spans(narrowed):
        span = clean_map.input_span_to_output(start, end)
        if span is None:
            continue  # inside a dropped chrome line: nothing to protect
        result.corrupt.append(span)
        o_start, o_end = ChainedMap(maps[:-1]).to_original(start, end) if len(maps) > 1 else (start, end)
        result.warnings.append(Warning_(
            code="corrupt_text",
            message=f"corrupted characters {original[o_start:o_end]!r}: no metric is read from them",
            start=o_start, end=o_end))
    return result
