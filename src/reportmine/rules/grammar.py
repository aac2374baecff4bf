"""The grammar the rules read: one notion of clause and sentence, and the phrase readers.

`TextIndex` finds every clause and sentence break of a document once; each figure then finds its
own clause and sentence by bisection. `Grammar` holds what does not change between documents (the
lexicons, the segmenter, expressions compiled from them) and reads noun and verb phrases from
jieba's tagged words: where a name starts and ends, which verb acts, what frames or only describes.
The function words it reads are in lexicons/grammar.yaml, the content words in attribution.yaml.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Optional

import regex

from ..lexicons import Lexicons
from ..pattern_shape import reach_without_spaces
from ..segment import Segmenter, Token, get_segmenter
from ..word_places import WordPlaces

# Clause and sentence breaks: the one notion of both that every rule uses. A comma between digit
# groups (1,368) is a thousands separator, not a break.
CLAUSE_BREAK = regex.compile(r"[，。；;：:！!？?\n\t]|,(?!\d{3}(?!\d))")
SENTENCE_BREAK = regex.compile(r"[。；;！!？?\n]")
CLAUSE_PUNCTUATION = regex.compile(r"[,，。；;]")
LIST_COMMAS = frozenset((",", "，"))
HAN = regex.compile(r"\p{Han}")
HAN_ONLY = regex.compile(r"\p{Han}+")
HAN_OR_OPENING_QUOTE = regex.compile(r"[\p{Han}“‘「『\"]")
HAN_OR_PAREN = regex.compile(r"[\p{Han}(（]")
QUOTES = regex.compile(r"[“”‘’\"「」]")
TRAILING_NOISE = regex.compile(r"[\s“”‘’\"'「」『』]+$")
BRACKETED = regex.compile(r"[（(][^（()）]*[)）]")
NON_SPACE = regex.compile(r"\S")
OPENING_BRACKETS = "(（"
CLOSING_BRACKETS = ")）"
OPENING_BRACKET_CHARS = tuple(OPENING_BRACKETS)  # (word lists of TextIndex lookups)
CLOSING_BRACKET_CHARS = tuple(CLOSING_BRACKETS)


# How far a rule reads around a figure: within its clause, this many characters either side;
# within its sentence, this many before it. Report clauses and sentences are far shorter, so the
# bounds change nothing there; they keep a document without punctuation, or one sentence of
# thousands of figures, linear in its length (every figure reads a bounded window).
CLAUSE_REACH = 200
SENTENCE_REACH = 400
# How far back an earlier clause of the sentence is read for a verb when the figure's own has none.
EARLIER_VERB_REACH = 40


class TextIndex:
    """Every clause and sentence break of one document, found once."""

    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [m.end() for m in regex.finditer(r"\n", text)]
        self.memo: dict = {}  # per-document results a rule computes once (period phrases of a sentence)
        self.places = WordPlaces(text)
        self.clause_breaks = [(m.start(), m.end()) for m in CLAUSE_BREAK.finditer(text)]
        self.clause_break_starts = [start for start, _ in self.clause_breaks]
        self.sentence_breaks = [(m.start(), m.end()) for m in SENTENCE_BREAK.finditer(text)]
        self.sentence_break_starts = [start for start, _ in self.sentence_breaks]

    def clause_start(self, position: int) -> int:
        """Start of the clause holding position (just after the last break before it)."""
        index = bisect_left(self.clause_break_starts, position) - 1
        while index >= 0 and self.clause_breaks[index][1] > position:
            index -= 1
        return self.clause_breaks[index][1] if index >= 0 else 0

    def clause_end(self, position: int) -> int:
        index = bisect_left(self.clause_break_starts, position)
        return self.clause_breaks[index][0] if index < len(self.clause_breaks) else len(self.text)

    def sentence_bounds(self, position: int) -> tuple[int, int]:
        index = bisect_left(self.sentence_break_starts, position)
        start = self.sentence_breaks[index - 1][1] if index > 0 else 0
        end = self.sentence_breaks[index][1] if index < len(self.sentence_breaks) else len(self.text)
        return start, end

    def line_start(self, position: int) -> int:
        """Where the line (a paragraph of the normalized text) holding position starts."""
        return self.line_starts[bisect_left(self.line_starts, position + 1) - 1]

    def clause_window(self, start: int, end: int) -> tuple[int, int]:
        """The clause around [start, end), at most CLAUSE_REACH characters either side of it."""
        return max(self.clause_start(start), start - CLAUSE_REACH), min(self.clause_end(end), end + CLAUSE_REACH)

    def holds_any(self, words, lo: int, hi: int) -> bool:
        """Whether one of words stands wholly inside text[lo:hi] (looked up, word_places: a rule that
        searches a figure's window for a rare word list does not scan it once per word and figure)."""
        return self.places.holds_any(words, lo, hi)

    def last_inside(self, words, lo: int, hi: int) -> int:
        """Where the last occurrence of one of words that stands wholly inside text[lo:hi] starts,
        else -1 (looked up: a sentence of thousands of figures is not searched back to its start
        for each)."""
        return self.places.last_inside(words, lo, hi)

    def inside_brackets(self, lo: int, position: int) -> bool:
        """Whether a bracket opened in text[lo:position] is still open at position."""
        return self.last_inside(OPENING_BRACKET_CHARS, lo, position) > self.last_inside(CLOSING_BRACKET_CHARS, lo, position)


NOT_SPACE = regex.compile(r"\S")


def _tail_start(text: str, reach: Optional[int]) -> int:
    """Where a search for a pattern that must end at the end of text (reach: pattern_shape.reach_without_spaces)
    can start and find the same match as from 0: a match that began earlier would hold all of the
    tail after it, so a tail with more than reach non-space characters rules that out. 0 (the
    whole text) when the tail is mostly spaces or the reach unknown."""
    if reach is None or len(text) <= reach + 16:
        return 0
    start = len(text) - reach - 16
    # (the text's last character left out: $ also matches before a final line break)
    return start if len(NOT_SPACE.findall(text, start, len(text) - 1)) > reach else 0


class Grammar:
    """The phrase readers over tagged words, with what they need from the lexicons built once."""

    def __init__(self, lexicons: Lexicons):
        self.lexicons = lexicons
        self.words = lexicons.grammar
        self.patterns = lexicons.grammar.patterns
        self.segmenter: Segmenter = get_segmenter(str(lexicons.domain_dict))
        self.change_words = sorted([(w, "up") for w in lexicons.change_up] + [(w, "down") for w in lexicons.change_down],
                                   key=lambda item: len(item[0]), reverse=True)
        self.change_verbs = frozenset(word for word, _ in self.change_words)
        # verbs that report a figure rather than do what it counts (完成, 实现, 达到 ...): a total's such
        # verb is lent to none of its parts
        self.reporting_acts = frozenset(lexicons.progress_verbs) | frozenset(lexicons.weak_verbs)
        self.change_word_tuple = tuple(word for word, _ in self.change_words)
        self.level_markers = tuple(lexicons.change_level_markers)
        # the things an act handles (接警出动 -> 警情), per kind of unit, longest act first: a
        # compound is read by the longest act it opens with (出动检查执法 -> 出动)
        self.act_objects = {kind: sorted(table.items(), key=lambda item: len(item[0]), reverse=True)
                            for kind, table in (("case", lexicons.case_act_objects), ("person", lexicons.person_act_objects))}
        self.team_members = sorted(lexicons.team_members.items(), key=lambda item: len(item[0]), reverse=True)
        # 降为, 增加到, 缩短至 (a year of the new level may follow: 增加到2023年的): a change to a level
        change_words = sorted(set(lexicons.change_up) | set(lexicons.change_down) | set(lexicons.level_change_words),
                              key=len, reverse=True)
        self.level_change = regex.compile(r"\s*(?:的)?\s*(?P<verb>(?:" + "|".join(map(regex.escape, change_words))
                                          + ")(?:" + "|".join(map(regex.escape, self.level_markers))
                                          + r"))\s*(?:(?:19|20)\d{2}年(?:底|末)?的?)?\s*")
        # 快于全市平均水平 right before a figure: its gap to a benchmark
        # the verb before the base (高出全省平均增速), or the base before the verb after 比/较/与
        # (比全国平均水平高出, 与同期全国平均水平相比高出)
        benchmark_verb = "(?P<verb>" + "|".join(map(regex.escape, sorted(lexicons.benchmark_verbs, key=len, reverse=True))) + ")"
        self.benchmark_gap = regex.compile(
            benchmark_verb + "(?:" + lexicons.benchmark_base.pattern + r")\s*$|[比较与](?:同期)?(?:"
            + lexicons.benchmark_base.pattern + ")(?:相比)?" + benchmark_verb + r"\s*$") \
            if lexicons.benchmark_verbs and lexicons.benchmark_base else None
        # 比正常年份高, 比一季度平均高, 比常年略多 right before a figure: a base of comparison in the same
        # clause, then a bare comparative (a longer word ending in one, 提高 or 最高, is not matched)
        self.comparison_adjective = regex.compile(
            r"[比较][^，,。；;、\d]{1,14}?(?:" + "|".join(map(regex.escape, lexicons.comparison_degree_words))
            + r")?(?P<verb>" + "|".join(map(regex.escape, lexicons.comparison_adjectives))
            + r")了?\s*$") if lexicons.comparison_adjectives else None
        # 由, 从 (由2019年底的, 从上年的, 由原来的) right before a number: the level a change starts at;
        # since_time is what may stand between (change.yaml level_start_times, or a year)
        self.since_time = regex.compile(r"\s*(?:(?:19|20)\d{2}\s*年(?:底|末)?|"
                                        + "|".join(map(regex.escape, lexicons.level_start_times)) + r")?(?:末|底)?的?\s*")
        self.level_change_start = regex.compile(
            "(?:" + "|".join(map(regex.escape, self.words.since_prepositions)) + ")" + self.since_time.pattern + "$")
        # the trim words by length, longest first: stripping tries one slice per length, not every word
        self.trim_words = frozenset(lexicons.object_trim)
        self.trim_lengths = sorted({len(word) for word in lexicons.object_trim}, reverse=True)
        self.count_names = frozenset(lexicons.count_names)
        # longest first, so 比上年同期 is tried before 比上年 and 合格率 before 率; sorted once, not per figure
        comparators = [p.pattern for p in lexicons.change_comparator_patterns] + [
            regex.escape(c) for c in sorted(lexicons.change_comparators, key=len, reverse=True)]
        self.comparator_at_end = regex.compile("(?:" + "|".join(comparators) + r")\s*$") if comparators else None
        # a match must end the text, and apart from its runs of spaces it is at most this long: the
        # search can start near the end instead of trying every position of a long clause
        self.comparator_reach = reach_without_spaces("(?:" + "|".join(comparators) + ")") if comparators else None
        self.rate_suffixes = sorted(lexicons.rate_suffixes, key=len, reverse=True)
        self.rate_suffix_tuple = tuple(self.rate_suffixes)
        self.scope_words = tuple(lexicons.scope_words)
        # the first of several rates named together (上报率和合格率 -> 上报率)
        self.rate_list_split = regex.compile("[" + "".join(self.words.listed_number_joiners) + "]")

    # ---- the edges of a phrase ---------------------------------------------------------
    def strip_trailing(self, left: str, keep=frozenset()) -> str:
        changed = True
        while changed and left:
            changed = False
            left = TRAILING_NOISE.sub("", left)
            for length in self.trim_lengths:
                if left[-length:] in self.trim_words and left[-length:] not in keep \
                        and not (length == 1 and self.in_word(left[-3:], at_end=True)):
                    left = left[:-length]
                    changed = True
                    break
        return left

    def strip_leading(self, phrase: str) -> str:
        changed = True
        while changed and phrase:
            changed = False
            for length in self.trim_lengths:
                if len(phrase) > length and phrase[:length] in self.trim_words \
                        and not (length == 1 and self.in_word(phrase[:4], at_end=False)):
                    phrase = phrase[length:]
                    changed = True
                    break
        return phrase.strip(" “”‘’\"'")

    def in_word(self, edge: str, at_end: bool) -> bool:
        """Whether a one-character trim word at this edge of a phrase is part of a word (达标率,
        违法行为: the segmenter keeps it inside a longer word), not a connective to strip (指标的)."""
        tokens = self.segmenter.tag(edge)
        return len(tokens[-1 if at_end else 0].word) > 1 if tokens else False

    def without_scope(self, phrase: str) -> str:
        """A name without the place or scope it opens with (全国生产安全事故总量 -> 生产安全事故总量)."""
        if not phrase.startswith(self.scope_words):
            return phrase  # (most names open with none, nor are one: one test for all the words)
        for word in self.lexicons.scope_words:
            if phrase.startswith(word) and len(phrase) > len(word):
                rest = phrase[len(word):]
                return rest[1:] if rest[0] == "内" and len(rest) > 1 else rest  # 辖区内企业 -> 企业
        return "" if phrase in self.lexicons.scope_words else phrase

    def without_comparator(self, text: str) -> str:
        """text without the comparison that ends it (同比, 比上年同期, 较前五年均值)."""
        if self.comparator_at_end is None:
            return text
        match = self.comparator_at_end.search(text, _tail_start(text, self.comparator_reach))
        return text[:match.start()] if match else text

    def change(self, left: str) -> tuple[Optional[str], Optional[str]]:
        """The direction and the change word that ends the words before a figure (同比下降 -> down)."""
        tail = left.rstrip()
        for filler in self.words.change_fillers:
            if tail.endswith(filler):
                tail = tail[: -len(filler)]
        if tail.endswith(self.level_markers) or not tail.endswith(self.change_word_tuple):
            return None, None  # (one endswith over all the change words: most clauses end in none)
        for word, direction in self.change_words:
            if tail.endswith(word):
                return direction, word
        return None, None

    def without_change_words(self, lead: str) -> str:
        """The clause before a rate without its change word and the fillers around it (同比下降 -> 同比)."""
        change, word = self.change(lead)
        return lead[:lead.rstrip().rfind(word)] if change else lead

    # ---- words -----------------------------------------------------------------------
    def is_act_category(self, action: str) -> bool:
        """抢险救援, 社会救助: an act named as a category of work (verbal nouns only), not a verb done
        to the things counted before (办结, 整改)."""
        tokens = self.segmenter.tag(action)
        return bool(tokens) and all(t.flag == "vn" for t in tokens)

    def names_an_act(self, name: str) -> bool:
        tokens = self.segmenter.tag(name)
        return bool(tokens) and (tokens[0].flag == "vn" or tokens[-1].flag == "vn")

    def counts_visits(self, unit: str) -> bool:
        """家次, 个次, 户次: a unit of visits counts acts on things, not people or events."""
        return unit.endswith("次") and len(unit) > 1 and unit not in self.lexicons.person_units \
            and unit not in self.words.event_units

    def names_a_counted_thing(self, tokens: list[Token]) -> bool:
        """Whether the tokens are one noun phrase (or a 、 list of them) that ends in a head noun of
        the things a report counts, any verb inside only describing (生产销售企业, 取暖用品生产
        销售企业); not a clause with a predicate of its own (发现索证索票不完善, 企业落实整改措施)."""
        if not tokens:
            return False
        first = tokens[0]
        # a time, a kind or a describing verb may open the name (冬季取暖用品, 小型企业, 监理企业), not
        # an act (整治“三合一”场所)
        if not (first.flag in ("t", "b", "s") or first.word in self.lexicons.modifier_verbs
                or first.is_noun and not first.is_verb):
            return False
        if tokens[-1].is_verb or not tokens[-1].word.endswith(self.lexicons.head_nouns):
            return False
        return not any(t.is_verb and (t.word in self.trim_words or t.word in self.lexicons.light_verbs) for t in tokens)

    def figure_name(self, figure) -> str:
        """What a figure measures, as a rate's object: 事故6起 -> 生产安全事故起数, 死亡5人 -> 死亡人数,
        经济损失1,036.8万元 -> 经济损失 (lexicons attribution figure_name_suffixes)."""
        suffix = self.lexicons.figure_name_suffixes.get(figure.unit, "")
        if figure.object.endswith(self.lexicons.measure_suffixes):
            return figure.object  # 公路客运量3.7亿人: the name already says what is measured
        if figure.unit in self.lexicons.person_units and figure.action:
            act = next((figure.action[len(verb):] for verb in self.lexicons.progress_verbs
                        if figure.action.startswith(verb) and len(figure.action) > len(verb)), figure.action)
            if figure.object and figure.object != figure.action:
                # 失业人员实现再就业51.9万人 -> 失业人员再就业: the people and what they did (受灾人口 names both)
                return figure.object if act in figure.object else figure.object + act
            return figure.action + suffix
        stem = figure.object or figure.action
        return stem + suffix if stem else ""

    def stock_word(self, before: str, word_length_at) -> str:
        """The existence word (现有, 实有, 在用 ...) nearest the number in the clause before it, or ''.
        word_length_at(position in before): the length of the clause's word there; a one-character
        existence word inside a longer word is part of it (有效处置, 辖区内; longer words stand inside
        their compounds: 发明专利拥有量)."""
        best, best_key = "", None
        for word in self.lexicons.existence_verbs:
            position = before.rfind(word)
            if position >= 0 and len(word) == 1 and word_length_at(position) > 1:
                continue
            if position >= 0:
                key = (position + len(word), len(word))
                if best_key is None or key > best_key:
                    best, best_key = word, key
        return best

    def act_in_object(self, obj: str) -> str:
        """降雨量 -> 降雨, 过火面积 -> 过火, 直接经济损失 -> 损失: the act a measure's name holds."""
        for noun in self.lexicons.act_nouns:
            if obj.endswith(noun):
                return noun
        for suffix in self.lexicons.measure_suffixes:
            if obj.endswith(suffix) and len(obj) > len(suffix):
                stem = obj[: -len(suffix)]
                verbs = [t.word for t in self.segmenter.tag(stem) if t.flag.startswith("v") and len(t.word) >= 2]
                if verbs:
                    return verbs[-1]
                return next((noun for noun in self.lexicons.act_nouns if stem.endswith(noun)), "")
        return ""

    def rate_action(self, rate_object: str) -> str:
        """The measured activity of a rate: 整改率 -> 整改, 上报率和合格率 -> 上报 (a joiner inside one
        name is no list: 医疗与养老机构医养结合服务覆盖率 -> 覆盖)."""
        first = self.rate_list_split.split(rate_object)[0]
        if not first.endswith(self.rate_suffix_tuple):
            first = rate_object
        for suffix in self.rate_suffixes:
            if first.endswith(suffix):
                if suffix in self.lexicons.acting_rate_suffixes and self._suffix_verbs(suffix):
                    return self._suffix_verbs(suffix)[-1]  # 医养结合服务覆盖率 -> 覆盖, whatever the name holds
                stem = first[: -len(suffix)]
                tokens = self.segmenter.tag(stem)
                verbs = [t.word for t in tokens if t.is_verb]
                if tokens and not tokens[-1].is_verb and len(tokens[-1].word) >= 4:
                    # 城市生活污水处理率: the act closes a compound the dictionary holds whole (污水处理)
                    tail = self.segmenter.tag(tokens[-1].word[-2:])
                    if len(tail) == 1 and tail[0].flag == "v":
                        verbs.append(tail[0].word)
                if not verbs and len(suffix) > 2:
                    # 明厨亮灶覆盖率: the act is in the suffix itself (覆盖率 -> 覆盖), not in the name before it
                    verbs = self._suffix_verbs(suffix)
                if suffix == self.words.share_ratio_noun and verbs and verbs[-1] == self.words.share_verb:
                    return ""  # 税收收入占财政总收入比重: a proportion of the whole, no act
                return verbs[-1] if verbs else ""
        return ""

    def _suffix_verbs(self, suffix: str) -> list[str]:
        """The verbs a rate suffix holds before its 率 (覆盖率 -> [覆盖])."""
        return [t.word for t in self.segmenter.tag(suffix[:-1]) if t.is_verb]

    def object_of_act(self, unit: str, action: str) -> str:
        """What an act handles when a count in this unit names nothing else (接警出动2964起 -> 警情,
        行政拘留11人 -> 人员), or ''."""
        kind = "case" if unit in self.lexicons.case_units else "person" if unit in self.lexicons.person_units else None
        if kind is None or not action:
            return ""
        # longest first, so the act itself comes before any shorter act it opens with
        return next((handled for act, handled in self.act_objects[kind] if action.startswith(act)), "")

    def trailing_act(self, phrase: str) -> str:
        """The verb or verbal noun that ends a noun phrase (行政村生活污水治理 -> 治理), or ''."""
        tokens = self.segmenter.tag(phrase)
        if len(tokens) > 1 and tokens[-1].flag in ("v", "vn") and len(tokens[-1].word) >= 2:
            return tokens[-1].word
        return ""

    # ---- noun phrases ----------------------------------------------------------------
    def noun_phrase_ending_at(self, text: str, tokens: list[Token], end: int) -> str:
        """The name that ends at end, modifiers and negation included (优良天数比例, 重污染天数比例,
        不合格率, PM2.5平均浓度). A bracket that closes right at the end explains the name and is
        left out (综合应急救援(抢险救援、社会救助)占 -> 综合应急救援)."""
        before = [t for t in tokens if t.end <= end]
        if before and before[-1].word in CLOSING_BRACKETS:
            opening = next((k for k in range(len(before) - 2, -1, -1) if before[k].word in OPENING_BRACKETS), None)
            if opening:
                end = before[opening].start
        start = end
        for token in reversed(tokens):
            if token.start >= end:
                continue
            if token.is_noun or token.is_verb or token.word in self.words.joiners or token.flag in ("a", "z") \
                    or token.word in self.words.negation_prefixes and start == token.end:
                start = token.start
            else:
                break
        return self.strip_leading(text[start:end])

    def right_noun_phrase(self, right: str, tokens: Optional[list] = None, q=None, ends_with_verb: bool = False) -> str:
        """The noun phrase a measure word modifies: 19个[乡镇], 3500余人的[应急救援小分队]."""
        if tokens is None:
            tokens = self.segmenter.tag(right[:30])
        skip = len(right) - len(right.lstrip())
        tokens = [t for t in tokens if t.start >= skip and t.word.strip()]
        after_de = bool(tokens) and tokens[0].word == "的"
        if after_de:
            tokens = tokens[1:]
        if not tokens or not HAN_OR_PAREN.match(tokens[0].word):
            return ""
        first = tokens[0]
        next_is_noun = len(tokens) > 1 and tokens[1].is_noun and not tokens[1].flag.startswith("v")
        classifier = q is not None and q.kind == "count" and q.unit not in self.lexicons.person_units and not q.unit.endswith("次")
        if not (first.is_noun and not first.flag.startswith("v") or first.flag == "vn"
                or first.flag in ("a", "b") and next_is_noun
                # 49家非煤矿山企业: a negation prefix makes a kind of the noun after it
                or first.word in self.words.negation_prefixes and next_is_noun and classifier
                # 19个执法检查组; 3.6公里的拓宽工程 (after 的, a verb before a noun describes it)
                or first.flag.startswith("v") and len(first.word) >= 2 and next_is_noun and (classifier or after_de)
                or len(first.word) == 1 and HAN.match(first.word) and first.flag in ("zg", "ng", "n", "x") and len(tokens) > 1
                and (tokens[1].flag.startswith("v") or tokens[1].word in OPENING_BRACKETS)):
            # 作出10次批示并...: after a verb, a verbal noun standing alone is what is counted
            if ends_with_verb and first.flag.startswith("v") and len(first.word) >= 2 and (
                    len(tokens) == 1 or tokens[1].flag in ("c", "x", "p", "uj")):
                return first.word
            return ""
        base = first.start
        end = first.end
        depth = 0
        for i, token in enumerate(tokens[1:], 1):
            if token.word in OPENING_BRACKETS:
                depth += 1
                end = token.end
                continue
            if token.word in CLOSING_BRACKETS and depth:
                depth -= 1
                end = token.end
                continue
            if depth:
                end = token.end
                continue
            if end - base >= 12:
                break
            if token.flag.startswith("v") and token.flag != "vn":
                break
            if token.word in self.lexicons.adverbial_nouns and i + 1 < len(tokens) and tokens[i + 1].is_verb:
                break  # 48项重点水利项目全部纳入规划: 全部 before the verb is an adverb, no part of the name
            if token.is_noun or (token.word in self.words.joiners and i + 1 < len(tokens) and tokens[i + 1].is_noun):
                end = token.end
                continue
            break
        phrase = right[base:end].rstrip("".join(self.words.listed_number_joiners))
        return phrase if HAN.search(phrase) else ""

    def relative_noun_phrase(self, rest: str) -> str:
        """14个由...组成的安全防范铁三角: the head noun after a 的 that closes a relative clause."""
        rest = rest[:30]
        position = rest.find("的")
        if position < 0 or CLAUSE_PUNCTUATION.search(rest, 0, position):
            return ""
        return self.right_noun_phrase(rest[position:])

    @staticmethod
    def _name_with_aside_ends(tokens: list[Token], i: int) -> bool:
        """Token i closes a bracket opened right after a noun: a listed name may end in its bracketed
        abbreviation (细颗粒物(PM2.5)、二氧化氮), unlike a count's aside (执业医师1390人(全科25人)、)."""
        if tokens[i].word not in CLOSING_BRACKETS:
            return False
        k = i - 1
        while k >= 0 and tokens[k].word not in OPENING_BRACKETS + CLOSING_BRACKETS:
            k -= 1
        return k > 0 and tokens[k].word in OPENING_BRACKETS and tokens[k - 1].is_noun and not tokens[k - 1].is_verb \
            and tokens[k - 1].flag not in ("m", "q")

    def noun_run_start(self, tokens: list[Token], i: int) -> int:
        """Where the noun phrase ending at token i starts, describing verbs, negations, class words
        and brackets included."""
        start = i + 1
        j = i
        depth = 0
        joiners = self.words.joiners
        while j >= 0:
            token = tokens[j]
            if token.word in CLOSING_BRACKETS:
                depth += 1
                start = j
            elif token.word in OPENING_BRACKETS and depth:
                depth -= 1
                start = j
            elif depth:
                start = j
            elif token.is_noun and not (token.flag.startswith("v") and token.flag != "vn"):
                start = j
            elif token.flag.startswith("v") and start == j + 1 and j > 0 and tokens[j - 1].word in joiners \
                    and not (j > 1 and tokens[j - 2].is_verb and not tokens[j - 2].is_noun
                             and not any(t.is_verb for t in tokens[:j - 2])):
                # 工作指令、指导措施、意见建议: 指导 is part of a listed noun, and so are verbs listed after
                # a governing verb (清理违规停放和充电电动自行车); but in 争取和下拨救灾资金 the joined
                # verbs open the phrase, and both act
                start = j
            elif (token.flag.startswith("v") and start == j + 1 and j < i
                  and (j == 0 or tokens[j - 1].is_noun or tokens[j - 1].is_verb) and token.word in self.lexicons.modifier_verbs):
                # 特种设备使用单位, 抽查在建工程, 疏散遇险人员: a verb that only describes the noun
                # after it belongs to the noun phrase, whether a noun or the governing verb precedes
                start = j
                if j > 0 and tokens[j - 1].is_verb and tokens[j - 1].word not in self.lexicons.modifier_verbs:
                    break  # 救助受灾群众: the (verbal) word before it governs the phrase
            elif token.flag.startswith("v") and start == j + 1 and j < i and tokens[j + 1].word in self.lexicons.money_heads:
                start = j  # 处罚金额, 出资总额: the act names the money
            elif token.word in self.words.negation_prefixes and start == j + 1 and j < i:
                start = j  # 不合格样品, 不正当竞争行为: the negation is part of the name
            elif token.word in joiners and j > 0 and (tokens[j - 1].is_noun or j < i and self._name_with_aside_ends(tokens, j - 1)) \
                    and start == j + 1:
                start = j
            elif token.flag in ("a", "b", "ag") and start == j + 1 and j < i:
                start = j
            elif token.word in self.words.class_words and start == j + 1 and j < i and j > 0 and tokens[j - 1].is_noun:
                start = j  # 医疗保健类价格, 小(一)型水库: a class word inside a name
            else:
                break
            j -= 1
        return start

    # ---- verbs -----------------------------------------------------------------------
    def verb_run_start(self, tokens: list[Token], i: int) -> int:
        """Where the verb group ending at token i starts (走访慰问, 未整改, 研学、交流探讨); a light
        verb (开展, 组织) is not part of it: it governs the group instead."""
        start = i
        j = i - 1
        while j >= 0:
            token = tokens[j]
            if token.is_verb and token.word not in self.lexicons.light_verbs and token.word not in self.trim_words:
                start = j  # 累计处罚, 共计出警: the framing word is not part of the act
            elif token.word in self.words.negations or token.flag == "d" and token.word in self.words.verb_group_stops:
                if token.word in self.words.negations:
                    start = j
                break
            elif token.word == "、" and j > 0 and tokens[j - 1].is_verb:
                start = j
            else:
                break
            j -= 1
        return start

    def last_verb_run(self, tokens: list[Token]) -> str:
        """The verb closest before the number, with its compound parts (走访慰问, 未整改)."""
        for i in range(len(tokens) - 1, -1, -1):
            if tokens[i].flag.startswith("v") and tokens[i].flag != "vn" and len(tokens[i].word) >= 2:
                # 指导非煤矿山、金属冶炼等..., 跟踪指导、清单管理等七项: a verb inside a list item names a
                # sector or a measure, not the act
                # (the verb ends an item, or one word after it does; a verb before a noun and 、
                # governs the list: 指导非煤矿山、金属冶炼等 -> 指导)
                following = [t.word for t in tokens[i + 1:i + 3]]
                if len(following) > 1 and tokens[i + 1].is_noun and not tokens[i + 1].flag.startswith("v"):
                    following = following[:1]
                # (a place word after the verb is where it acts, never the rest of a name: 畅销全国, 覆盖全省)
                inside_list = (any(w in following for w in self.words.list_closers) or "、" in following) or (
                    i > 0 and tokens[i - 1].is_noun and not tokens[i - 1].flag.startswith("v")
                    and i + 1 < len(tokens) and (tokens[i + 1].word in ("和",) or tokens[i + 1].is_noun)
                    and tokens[i + 1].word not in self.scope_words)
                if inside_list:
                    continue
                if i > 0 and tokens[i - 1].word in self.lexicons.light_verbs and i + 1 < len(tokens) and tokens[i + 1].is_noun:
                    return tokens[i - 1].word  # 开展突发地质灾害...演练: 突发 modifies, 开展 acts
                start = self.verb_run_start(tokens, i)
                return "".join(t.word for t in tokens[start:i + 1])
        return ""

    def content_verb(self, text: str, reach: int = 30) -> str:
        """The first verb in text that is not a light verb (进行了整治 -> 整治)."""
        text = text[:reach]
        if not text:
            return ""
        # 水质优良(达到或优于Ⅲ类)比例: a bracket explains a name; a verb inside it acts on nothing
        phrase = BRACKETED.sub("", CLAUSE_PUNCTUATION.split(text)[0])
        tagged = self.segmenter.tag(phrase)
        heads = self.lexicons.head_nouns
        # a verb between a noun and a head noun describes it (深井铸造企业): no act
        verbs = [t for i, t in enumerate(tagged) if t.flag.startswith("v") and t.flag != "vn" and len(t.word) >= 2
                 and (t.word not in self.lexicons.object_trim or t.word in self.lexicons.attainment_verbs)
                 and not (0 < i < len(tagged) - 1 and tagged[i + 1].word in heads and tagged[i - 1].flag[:1] == "n")]
        if not verbs:
            # 20个专安委分行业管理: a verbal noun is the best there is
            verbs = [t for t in tagged if t.flag == "vn" and len(t.word) >= 2]
        if not verbs:
            return ""
        if verbs[0].word in self.lexicons.light_verbs and len(verbs) > 1:
            return verbs[-1].word  # 开展防汛、森林防灭火督查检查 -> 督查检查
        first = tagged.index(verbs[0])
        if (verbs[0].word in self.lexicons.progress_verbs or verbs[0].word in self.lexicons.receiving_verbs) \
                and first + 1 < len(tagged):
            # 实现在线监测预警, 得到休养生息, 加快推进: a verb of progress or of receiving hands the act
            # to the verb right after it (实现两位数增长 keeps 实现: no verb follows it directly)
            k = first + 2 if tagged[first + 1].word in self.words.handing_fillers else first + 1
            run = k
            while run < len(tagged) and tagged[run].flag.startswith("v") and len(tagged[run].word) >= 2 \
                    and tagged[run].word not in self.lexicons.object_trim:
                run += 1  # the whole verb group: 停产检修, 整治提升
            if run > k:
                return "".join(t.word for t in tagged[k:run])
        if verbs[0].word in self.lexicons.empty_verbs:
            # 进行了安全检查: the verbal noun after an empty verb is the act (开展 stays: 开展演练)
            acts = [t.word for t in tagged[tagged.index(verbs[0]) + 1:] if t.flag == "vn" and len(t.word) >= 2]
            if acts:
                return acts[-1]
        return verbs[0].word

    def verb_earlier_in_sentence(self, tokens: list[Token]) -> Optional[Token]:
        """召开市委常委会,市政府党组会...41次: the verb is in an earlier clause of the sentence;
        tokens: the words (and breaks) of the sentence just before the figure's clause."""
        # 接处警5,247起，同比上升6.8%，其中火灾扑救1,368起: a change verb before its figure tells a rate's
        # direction, not an act (提高队员工资待遇 stays an act)
        # only the last verb counts: the words are read from the end
        verb = next((t for k, t in zip(range(len(tokens) - 1, -1, -1), reversed(tokens))
                     if t.flag.startswith("v") and t.flag != "vn" and len(t.word) >= 2 and t.word not in self.trim_words
                     and not (t.word in self.change_verbs and k + 1 < len(tokens) and tokens[k + 1].word[:1].isdigit())),
                    None)
        if verb is not None and verb.word in self.lexicons.existence_verbs:
            return None  # 共有镇级应急队伍22人，村级应急队伍183人: a stock, not an act, for every item
        if verb is not None and verb.word in self.lexicons.reporting_verbs:
            return None  # 记者从市生态环境局获悉，…优良天数达314天: the source's verb, not the figure's
        return verb


def outside_titles(tokens: list[Token]) -> list[Token]:
    """Drop the words inside 《》: a plan's title (专项整治三年行动...) holds no action of ours."""
    kept, depth = [], 0
    for token in tokens:
        if token.word == "《":
            depth += 1
        elif token.word == "》" and depth:
            depth -= 1
        elif not depth:
            kept.append(token)
    return kept


def without_trailing(tokens: list[Token], flags: tuple) -> list[Token]:
    end = len(tokens)
    while end > 0 and tokens[end - 1].flag in flags:
        end -= 1
    return tokens[:end]


def ends_with_verb(tokens: list[Token]) -> bool:
    return bool(tokens) and tokens[-1].flag.startswith("v") and tokens[-1].flag != "vn"
