"""Rule-based metric extraction over normalized text.

Three passes, each with its reasons kept visible:
1. candidates: QuantityScanner finds number + unit spans (numbers.py);
2. filters: what the guidelines say is not a metric (slogans, ordinals, identifiers, titles in
   《》, short quoted formulas, frequencies of standing rules, determiners, discourse counts,
   corrupted text) is dropped, each drop with the name of the rule;
3. attribution: object, action, change and period from the clause around the number, read with
   jieba POS tags (only clauses that hold numbers are segmented).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

import regex

from .lexicons import Lexicons
from .numbers import Quantity, QuantityScanner
from .segment import Segmenter, Token, get_segmenter

CLAUSE_BREAK = regex.compile(r"[，。；;：:！!？?\n]|,(?!\d{3}(?!\d))")
SENTENCE_BREAK = regex.compile(r"[。；;！!？?\n]")
TITLE_SPAN = regex.compile(r"《[^《》\n]{0,80}》")
QUOTE_SPAN = regex.compile(r"“[^“”\n]{1,14}”|‘[^‘’\n]{1,14}’|「[^「」\n]{1,14}」|『[^『』\n]{1,14}』|\"[^\"\n]{1,14}\"")
# One-character determiner use of 一 (一次总动员, 一项制度, 一批物资): not a count when a noun follows.
DETERMINER_UNITS = frozenset("个 次 种 批 项 场 件 套 支 道 条 处 家 部 份 人 位 轮 组 张 本 门 类 所 座".split())
EVENT_UNITS = frozenset("次 场 场次 期 轮 批次 遍 回".split())
NEGATIONS = ("尚未", "未", "没有", "没", "不")
JOINERS = frozenset("、 和 及 与 以及 、 或".split())
TRAILING_NOISE = regex.compile(r"[\s“”‘’\"'「」『』]+$")


@dataclass
class RawMetric:
    """A metric in normalized-text coordinates, before offsets are mapped to the original."""

    start: int
    end: int
    value: Decimal
    value_max: Optional[Decimal]
    unit: str
    kind: str
    qualifier: str
    object: str = ""
    action: str = ""
    change: Optional[str] = None
    period: Optional[str] = None
    sentence: str = ""
    sentence_start: int = 0
    confidence: float = 0.9


@dataclass
class Dropped:
    start: int
    end: int
    reason: str


@dataclass
class RuleResult:
    metrics: list = field(default_factory=list)
    dropped: list = field(default_factory=list)


class RuleExtractor:
    name = "rules"

    def __init__(self, lexicons: Lexicons):
        self.lexicons = lexicons
        self.scanner = QuantityScanner(lexicons)
        self.segmenter: Segmenter = get_segmenter(str(lexicons.domain_dict))
        slogans = sorted(lexicons.slogans, key=len, reverse=True)
        self.slogan_pattern = regex.compile("|".join(regex.escape(s) for s in slogans)) if slogans else None
        self.change_words = sorted([(w, "up") for w in lexicons.change_up] + [(w, "down") for w in lexicons.change_down],
                                   key=lambda item: len(item[0]), reverse=True)
        self.trim_words = sorted(lexicons.object_trim, key=len, reverse=True)
        self.frequency = regex.compile(
            "每(?:" + "|".join(regex.escape(p) for p in sorted(lexicons.frequency_periods, key=len, reverse=True)) + ")")

    # ---------------------------------------------------------------------------------
    def extract(self, text: str, corrupt_spans=(), doc_year: Optional[int] = None) -> RuleResult:
        result = RuleResult()
        blocked = self._blocked_spans(text) + [(s, e, "corrupt_text") for s, e in corrupt_spans]
        blocked.sort()
        kept: list[Quantity] = []
        for quantity in self.scanner.scan(text):
            reason = self._reject_reason(text, quantity, blocked)
            if reason:
                result.dropped.append(Dropped(quantity.start, quantity.end, reason))
            else:
                kept.append(quantity)
        previous: Optional[RawMetric] = None
        for index, quantity in enumerate(kept):
            metric = self._attribute(text, quantity, kept, index, previous, doc_year)
            result.metrics.append(metric)
            previous = metric
        return result

    # ---- filters --------------------------------------------------------------------
    def _blocked_spans(self, text: str) -> list[tuple[int, int, str]]:
        spans = []
        if self.slogan_pattern is not None:
            spans += [(m.start(), m.end(), "slogan") for m in self.slogan_pattern.finditer(text)]
        for named in self.lexicons.formula_patterns:
            spans += [(m.start(), m.end(), named.name) for m in named.pattern.finditer(text) if m.end() > m.start()]
        spans += [(m.start(), m.end(), "title_in_book_marks") for m in TITLE_SPAN.finditer(text)]
        spans += [(m.start(), m.end(), "quoted_formula") for m in QUOTE_SPAN.finditer(text)]
        return spans

    def _reject_reason(self, text: str, q: Quantity, blocked) -> Optional[str]:
        for start, end, reason in blocked:
            if start >= q.end:
                break
            if end > q.number_start and start < q.end:
                # corrupt text also poisons a metric it merely touches (检查?12家: the object is lost)
                return reason
            if reason == "corrupt_text" and end == q.start:
                return reason
        before = text[max(0, q.start - 1):q.start]
        if before and before.isascii() and before.isalpha():
            return "identifier"  # ICP19011366, G20, H7N9
        if q.number_start > 0 and text[q.number_start - 1] in "第":
            return "ordinal"
        after = text[q.end:q.end + 4]
        if any(after.startswith(noun) for noun in self.lexicons.discourse_nouns):
            return "discourse"
        number_text = text[q.number_start:q.number_end]
        if number_text == "一" and q.unit in DETERMINER_UNITS and q.qualifier == "exact":
            follower = text[q.end:q.end + 1]
            if follower and regex.match(r"\p{Han}", follower):
                return "determiner"
        if q.unit in self.lexicons.frequency_units:
            clause_start = self._clause_start(text, q.start)
            if self.frequency.search(text, clause_start, q.start):
                return "frequency"
        if q.kind == "rate" and q.unit == "%" and text[q.end:q.end + 1] == "%":
            return "malformed"
        return None

    # ---- attribution ----------------------------------------------------------------
    @staticmethod
    def _clause_start(text: str, position: int) -> int:
        best = 0
        for match in CLAUSE_BREAK.finditer(text, max(0, position - 200), position):
            best = match.end()
        return best

    @staticmethod
    def _clause_end(text: str, position: int) -> int:
        match = CLAUSE_BREAK.search(text, position)
        return match.start() if match else len(text)

    @staticmethod
    def _sentence_bounds(text: str, position: int) -> tuple[int, int]:
        start = 0
        for match in SENTENCE_BREAK.finditer(text, max(0, position - 400), position):
            start = match.end()
        end_match = SENTENCE_BREAK.search(text, position)
        return start, (end_match.end() if end_match else len(text))

    def _strip_trailing(self, left: str) -> str:
        changed = True
        while changed and left:
            changed = False
            left = TRAILING_NOISE.sub("", left)
            for word in self.trim_words:
                if left.endswith(word):
                    left = left[: -len(word)]
                    changed = True
                    break
        return left

    def _strip_leading(self, phrase: str) -> str:
        changed = True
        while changed and phrase:
            changed = False
            for word in self.trim_words:
                if phrase.startswith(word) and len(phrase) > len(word):
                    phrase = phrase[len(word):]
                    changed = True
                    break
        return phrase.strip(" “”‘’\"'")

    def _attribute(self, text, q: Quantity, quantities, index, previous: Optional[RawMetric], doc_year) -> RawMetric:
        clause_start = self._clause_start(text, q.start)
        clause_end = self._clause_end(text, q.end)
        sentence_start, sentence_end = self._sentence_bounds(text, q.start)
        left_start = clause_start
        if index > 0 and quantities[index - 1].end > clause_start:
            left_start = quantities[index - 1].end
        right_end = clause_end
        if index + 1 < len(quantities) and quantities[index + 1].start < clause_end:
            right_end = quantities[index + 1].start
        left = text[left_start:q.start]
        right = text[q.end:right_end]
        same_sentence = previous is not None and previous.sentence_start == sentence_start

        metric = RawMetric(start=q.start, end=q.end, value=q.value, value_max=q.value_max, unit=q.unit, kind=q.kind,
                           qualifier=q.qualifier, sentence=text[sentence_start:sentence_end].strip(),
                           sentence_start=sentence_start)
        metric.change, change_verb = self._change(left)
        metric.period = self._period(text, q.start, doc_year)

        core_left = self._strip_trailing(left)
        if change_verb:
            core_left = self._strip_trailing(core_left[: core_left.rfind(change_verb)] if change_verb in core_left else core_left)
            for comparator in sorted(self.lexicons.change_comparators, key=len, reverse=True):
                if core_left.endswith(comparator):
                    core_left = self._strip_trailing(core_left[: -len(comparator)])
                    break
        tokens = self.segmenter.tag(core_left) if core_left else []

        # rates named before the number: 整改率95.6%, 上报率和合格率均达到100%
        rate_object = self._rate_object(core_left, tokens) if q.kind == "rate" else None
        if rate_object:
            metric.object = rate_object
            metric.action = change_verb or self._rate_action(rate_object)
        else:
            right_np = self._right_noun_phrase(right) if q.kind in ("count", "money", "measure") else ""
            left_object, left_action = self._left_analysis(tokens, q)
            if right_np and (not left_object or q.kind == "count" and not self._ends_with_noun(tokens)):
                metric.object = right_np
                metric.action = left_action or self._first_verb(self.segmenter.tag(right[len(right_np):]) if right else [])
            else:
                metric.object, metric.action = left_object, left_action
            if change_verb:
                metric.action = change_verb
        if not metric.object and same_sentence and previous.object:
            metric.object = previous.object
            metric.confidence = 0.7
        if not metric.action and same_sentence and previous.action:
            metric.action = previous.action
        if not metric.object:
            metric.confidence = 0.6
        if q.bare_magnitude_money:
            metric.confidence = min(metric.confidence, 0.7)
        return metric

    def _change(self, left: str) -> tuple[Optional[str], Optional[str]]:
        tail = left.rstrip()
        for filler in ("了", "分别", "约", "达", "均"):
            if tail.endswith(filler):
                tail = tail[: -len(filler)]
        if tail.endswith(tuple(self.lexicons.change_level_markers)):
            return None, None
        for word, direction in self.change_words:
            if tail.endswith(word):
                return direction, word
        return None, None

    def _rate_object(self, core_left: str, tokens: list[Token]) -> Optional[str]:
        for suffix in sorted(self.lexicons.rate_suffixes, key=len, reverse=True):
            position = core_left.rfind(suffix)
            if position >= 0 and position + len(suffix) >= len(core_left) - 4:
                end = position + len(suffix)
                phrase = self._noun_phrase_ending_at(core_left, tokens, end)
                return phrase or core_left[max(0, position - 4):end]
        return None

    def _rate_action(self, rate_object: str) -> str:
        first = regex.split(r"[和及与、]", rate_object)[0]
        for suffix in sorted(self.lexicons.rate_suffixes, key=len, reverse=True):
            if first.endswith(suffix):
                stem = first[: -len(suffix)]
                tokens = self.segmenter.tag(stem)
                verbs = [t.word for t in tokens if t.is_verb]
                return verbs[-1] if verbs else stem[-2:]
        return ""

    def _noun_phrase_ending_at(self, text: str, tokens: list[Token], end: int) -> str:
        start = end
        for token in reversed(tokens):
            if token.start >= end:
                continue
            if token.is_noun or token.is_verb or token.word in JOINERS:
                start = token.start
            else:
                break
        return self._strip_leading(text[start:end])

    @staticmethod
    def _ends_with_noun(tokens: list[Token]) -> bool:
        return bool(tokens) and tokens[-1].is_noun and not tokens[-1].is_verb

    @staticmethod
    def _first_verb(tokens: list[Token]) -> str:
        for token in tokens:
            if token.flag.startswith("v") and token.flag != "vn":
                return token.word
        return ""

    def _right_noun_phrase(self, right: str) -> str:
        stripped = right.lstrip()
        if stripped.startswith("的"):
            stripped = stripped[1:]
        if not stripped or not regex.match(r"[\p{Han}(（]", stripped):
            return ""
        tokens = self.segmenter.tag(stripped[:30])
        end = 0
        depth = 0
        for i, token in enumerate(tokens):
            if token.word in "(（":
                depth += 1
                end = token.end
                continue
            if token.word in ")）" and depth:
                depth -= 1
                end = token.end
                continue
            if depth:
                end = token.end
                continue
            if token.flag.startswith("v") and token.flag != "vn" and i > 0:
                break
            if token.is_noun or (token.word in JOINERS and i > 0 and i + 1 < len(tokens) and tokens[i + 1].is_noun):
                end = token.end
                continue
            if i == 0 and token.flag in ("a", "b", "m") and i + 1 < len(tokens) and tokens[i + 1].is_noun:
                end = token.end
                continue
            break
        phrase = stripped[:end]
        if phrase and regex.search(r"\p{Han}", phrase) and tokens and (tokens[0].is_noun or tokens[0].flag in ("a", "b")):
            return phrase.rstrip("、和及与")
        return ""

    def _left_analysis(self, tokens: list[Token], q: Quantity) -> tuple[str, str]:
        """Object and action from the words before the number (检查企业128家次)."""
        if not tokens:
            return "", ""
        i = len(tokens) - 1
        # the number right after a verb: 挂牌督办85条, 组织各类学习23次, 执法人员专题培训797人次
        if tokens[i].is_verb and not (tokens[i].flag == "vn" and i > 0 and tokens[i - 1].flag.startswith("v") and tokens[i - 1].flag != "vn"):
            verb_start = self._verb_run_start(tokens, i)
            action = "".join(t.word for t in tokens[verb_start:i + 1])
            object_end = verb_start
            object_start = self._noun_run_start(tokens, object_end - 1)
            obj = self._strip_leading("".join(t.word for t in tokens[object_start:object_end]))
            if not obj and q.unit in EVENT_UNITS:
                earlier = [t for t in tokens[:verb_start] if t.flag.startswith("v") and t.flag != "vn"]
                if earlier:
                    return action, earlier[-1].word  # 组织学习23次: 学习 is the thing counted
            return obj, action
        # the number after a noun phrase: 检查企业128家次, 典型案例19起
        object_start = self._noun_run_start(tokens, i)
        obj = self._strip_leading("".join(t.word for t in tokens[object_start:i + 1]))
        action = ""
        if object_start > 0 and tokens[object_start - 1].is_verb:
            verb_start = self._verb_run_start(tokens, object_start - 1)
            action = "".join(t.word for t in tokens[verb_start:object_start])
        else:
            verbs = [t for t in tokens[:object_start] if t.flag.startswith("v") and t.flag != "vn"]
            if verbs:
                action = verbs[0].word
        if obj and not action:
            head = tokens[i]
            if head.flag == "vn" or head.word.endswith(("处罚", "检查", "整改", "培训", "演练", "执法")):
                action = head.word
        return obj, action

    @staticmethod
    def _verb_run_start(tokens: list[Token], i: int) -> int:
        start = i
        j = i - 1
        while j >= 0:
            token = tokens[j]
            if token.is_verb:
                start = j
            elif token.word in NEGATIONS or token.flag == "d" and token.word in ("未", "尚未", "已", "没有"):
                if token.word in NEGATIONS:
                    start = j
                break
            elif token.word == "、" and j > 0 and tokens[j - 1].is_verb:
                start = j
            else:
                break
            j -= 1
        return start

    @staticmethod
    def _noun_run_start(tokens: list[Token], i: int) -> int:
        start = i + 1
        j = i
        depth = 0
        while j >= 0:
            token = tokens[j]
            if token.word in ")）":
                depth += 1
                start = j
            elif token.word in "(（" and depth:
                depth -= 1
                start = j
            elif depth:
                start = j
            elif token.is_noun and not (token.flag.startswith("v") and token.flag != "vn"):
                start = j
            elif token.word in JOINERS and j > 0 and tokens[j - 1].is_noun and start == j + 1:
                start = j
            elif token.flag in ("a", "b", "ag") and start == j + 1 and j < i:
                start = j
            else:
                break
            j -= 1
        return start

    # ---- period -------------------------------------------------------------------
    def _period(self, text: str, position: int, doc_year: Optional[int]) -> Optional[str]:
        paragraph_start = text.rfind("\n", 0, position) + 1
        window = text[max(paragraph_start, position - 300):position]
        best = None
        for pattern, template in self.lexicons.periods:
            for match in pattern.finditer(window):
                if best is None or match.start() > best[0].start():
                    best = (match, template)
            if best is not None and best[0].end() >= len(window) - 60:
                break
        if best is None:
            return None
        match, template = best
        groups = match.groupdict()
        year = groups.get("y") or (str(doc_year) if doc_year else None)
        if year is None:
            return match.group(0)
        result = template.replace("{year-1}", str(int(year) - 1)).replace("{year}", year).replace("{y}", year)
        if "{m}" in result and groups.get("m"):
            month = groups["m"]
            if not month.isdigit():
                from .numbers import parse_numeral
                month = str(parse_numeral(month))
            result = result.replace("{m}", month.zfill(2))
        if "{q}" in result and groups.get("q"):
            result = result.replace("{q}", str("一二三四".index(groups["q"]) + 1) if groups["q"] in "一二三四" else groups["q"])
        return result
