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

from bisect import bisect_left
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

import regex

from .lexicons import Lexicons
from .normalize import DIGIT
from .numbers import Quantity, QuantityScanner
from .segment import Segmenter, Token, get_segmenter

CLAUSE_BREAK = regex.compile(r"[，。；;：:！!？?\n\t]|,(?!\d{3}(?!\d))")
SENTENCE_BREAK = regex.compile(r"[。；;！!？?\n]")
TITLE_SPAN = regex.compile(r"《[^《》\n]{0,80}》")
QUOTE_SPAN = regex.compile(r"“[^“”\n]{1,14}”|‘[^‘’\n]{1,14}’|「[^「」\n]{1,14}」|『[^『』\n]{1,14}』|\"[^\"\n]{1,14}\"")
# One-character determiner use of 一 (一次总动员, 一项制度, 一批物资): not a count when a noun follows.
DETERMINER_UNITS = frozenset("个 次 种 批 项 场 件 套 支 道 条 处 家 部 份 人 位 轮 组 张 本 门 类 所 座".split())
EVENT_UNITS = frozenset("次 场 场次 期 轮 批次 遍 回".split())
LIST_COMMAS = frozenset((",", "，"))
NEGATIONS = ("尚未", "未", "没有", "没", "不")
NEGATION_PREFIXES = frozenset("不 非 无 未".split())
CLASS_WORDS = frozenset("类 型".split())
GOVERNING_PREPOSITIONS = frozenset("对 为 向 给 对于".split())
JOINERS = frozenset("、 和 及 与 以及 、 或".split())
HAN = regex.compile(r"\p{Han}")
HAN_OR_OPENING_QUOTE = regex.compile(r"[\p{Han}“‘「『\"]")
HAN_OR_PAREN = regex.compile(r"[\p{Han}(（]")
QUOTES = regex.compile(r"[“”‘’\"「」]")
CLAUSE_PUNCTUATION = regex.compile(r"[,，。；;]")
# 检查企业数（家）, 罚款金额(万元), 发现隐患数: the count or unit words closing a column header
TABLE_HEADER_UNIT = regex.compile(r"\s*(?:[（(][^（()）]*[)）])?\s*$|(?:数量|数|总数)(?=\s*(?:[（(][^（()）]*[)）])?\s*$)")
BARE_CELL = regex.compile(r"(?<=\t) *(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?) *(?=\t|\n|$)")
UNIT_BRACKET = regex.compile(r"[（(](?:单位[:：])?\s*(?P<unit>[^（()）:：]{1,4})\s*[)）]\s*$")
ROW_LABEL_BRACKET = regex.compile(r"(?P<name>[^（(]+)[（(](?P<inner>[^（()）]{1,8})[)）]")
YEAR_NUMBER = regex.compile(r"(?:19|20)\d\d")
BRACKETED = regex.compile(r"[（(][^（()）]*[)）]")
PARAGRAPH_NUMBER = regex.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）])")
HAN_ONLY = regex.compile(r"\p{Han}+")
# a row label that can name a figure: not a date or a number (2023年), at least two Han characters
ROW_LABEL = regex.compile(r"(?!\d)(?=(?:.*\p{Han}){2})")
# bare numbers listed before a figure with a unit (分别为47、55和55微克/立方米): the run ends where
# the figure begins; a number is not a year, and the list is not preceded by another digit
LISTED_NUMBERS = regex.compile(r"(?<![\d.,])(?:\d+(?:\.\d+)?\s*(?:、|和|及|与)\s*)+$")
BARE_NUMBER = regex.compile(r"\d+(?:\.\d+)?")
LIST_JOINER_ENDS = frozenset("、和及与")  # the last characters LISTED_NUMBERS' joiners can end with
# a share of a whole: 占火灾总数的38.5%, 占比为12%, 占全年的42.5%
SHARE = regex.compile(r"占(?!比)(?:[^，,。；;占]{1,20}的)?(?:比重|比例)?(?:为|达到?)?\s*$")
LIST_SEPARATOR = regex.compile(r"\s*(?:和|、|及|与|以及|,|，)\s*")
# a count right after another (4812户17222人受灾), skipped to reach the words after both
ADJACENT_COUNT = regex.compile(r"^\s*[\d.,]+\s*[万千]?\s*(?:人次|人|户|名)")
FRAMING_TAIL = regex.compile(r"(?:共计|合计|累计|共|计)\s*$")
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
    context: str = ""  # the clause before the number: fallback evidence for the indicator mapping
    breakdown: bool = False  # a part of a total given earlier in the sentence (其中...)
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
        self.change_verbs = frozenset(word for word, _ in self.change_words)
        # the trim words by length, longest first: stripping tries one slice per length, not every word
        self.trim_words = frozenset(lexicons.object_trim)
        self.trim_lengths = sorted({len(word) for word in lexicons.object_trim}, reverse=True)
        self.count_names = frozenset(lexicons.count_names)
        # one pass each instead of one per pattern: discourse words at a unit; whether a window holds
        # any period phrase at all (most do not)
        self.discourse = regex.compile("|".join(f"(?:{p.pattern})" for p in lexicons.discourse_patterns)) \
            if lexicons.discourse_patterns else None
        self.any_period = regex.compile("|".join(f"(?:{p.pattern})" for p, _ in lexicons.periods)) \
            if lexicons.periods else None
        # longest first, so 比上年同期 is tried before 比上年 and 合格率 before 率; sorted once, not per metric
        comparators = [p.pattern for p in lexicons.change_comparator_patterns] + [
            regex.escape(c) for c in sorted(lexicons.change_comparators, key=len, reverse=True)]
        self.comparator_at_end = regex.compile("(?:" + "|".join(comparators) + r")\s*$") if comparators else None
        self.rate_suffixes = sorted(lexicons.rate_suffixes, key=len, reverse=True)
        self.frequency = regex.compile(
            "每(?:" + "|".join(regex.escape(p) for p in sorted(lexicons.frequency_periods, key=len, reverse=True)) + ")")

    # ---------------------------------------------------------------------------------
    def extract(self, text: str, corrupt_spans=(), doc_year: Optional[int] = None) -> RuleResult:
        result = RuleResult()
        # clause and sentence boundaries once per document; each number then finds its own by bisection
        self._clause_breaks = [(m.start(), m.end()) for m in CLAUSE_BREAK.finditer(text)]
        self._clause_break_starts = [start for start, _ in self._clause_breaks]
        self._sentence_breaks = [(m.start(), m.end()) for m in SENTENCE_BREAK.finditer(text)]
        self._sentence_break_starts = [start for start, _ in self._sentence_breaks]
        blocked = self._blocked_spans(text) + [(s, e, "corrupt_text") for s, e in corrupt_spans]
        blocked.sort()
        kept: list[Quantity] = []
        quantities = self.scanner.scan(text)
        quantities = self._with_listed_numbers(text, quantities)
        if "\t" in text:
            quantities = sorted(quantities + self._bare_table_numbers(text, quantities), key=lambda q: q.start)
        result.dropped += [Dropped(start, end, reason) for start, end, reason in self.scanner.rejected]
        for quantity in quantities:
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
        self._parts_after_a_full_stop(text, result.metrics)
        self._respectively(text, result.metrics)
        self._table_cells(text, result.metrics)
        for metric in result.metrics:
            if metric.kind != "count" or metric.change:
                continue
            if not metric.action and metric.object:
                # 火灾扑救83.7万起, 受灾人口9.09万人: the act closes or opens the name
                metric.action = self._trailing_act(metric.object) or (
                    metric.object[:2] if metric.object[:2] in self.lexicons.state_verbs else "")
            if not metric.object and metric.action and not metric.action.endswith(self.lexicons.change_level_markers) \
                    and metric.action not in self.lexicons.stock_predicates:
                metric.object = metric.action  # 立案50起, 临时查封53家, 拘留10人: what is counted is the act
        return result

    def _parts_after_a_full_stop(self, text: str, metrics: list) -> None:
        """全市实有各类市场主体18.63万户，同比增长7.9%。其中，企业4.12万户: a sentence that opens with 其中
        gives parts of the last figure of the sentence before it. The parts are breakdowns, and those
        without an act of their own take the total's (实有)."""
        total = None
        for metric in metrics:
            opening = text[metric.sentence_start:metric.start].lstrip()
            if total is not None and metric.sentence_start > total.sentence_start \
                    and opening.startswith(self.lexicons.breakdown_markers) \
                    and self._sentence_bounds(text, total.start)[1] >= metric.sentence_start - 1:
                if metric.kind == total.kind and metric.unit == total.unit:  # parts count what the total counts
                    metric.breakdown = True
                    if not metric.action:
                        metric.action = total.action
            if metric.kind != "rate" and not metric.breakdown:
                total = metric

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
            if reason == "corrupt_text" and (end == q.start or end == q.start - 1 and not HAN.match(text[end])):
                return reason  # 检查?12家, 9�.6%: the number's own characters may be lost
        before = text[max(0, q.start - 1):q.start]
        if before and before.isascii() and before.isalpha():
            return "identifier"  # ICP19011366, G20, H7N9
        if q.number_start > 0 and text[q.number_start - 1] in "第":
            return "ordinal"
        listed = self._listed_run(text, q.number_start, 40)
        if listed and text[listed.start() - 1:listed.start()] == "第":
            return "ordinal"  # 第1、2名
        if self.discourse is not None and self.discourse.match(text, q.unit_start):
            return "discourse"
        number_text = text[q.number_start:q.number_end]
        if number_text == "一" and q.unit in DETERMINER_UNITS and q.qualifier == "exact":
            follower = text[q.end:q.end + 1]
            if follower and HAN_OR_OPENING_QUOTE.match(follower):
                return "determiner"  # 一次总动员, 一项制度, 一支“铁军”
        if q.unit in self.lexicons.frequency_units:
            clause_start = self._clause_start(text, q.start)
            if self.frequency.search(text, clause_start, q.start):
                return "frequency"
        if q.kind == "rate" and q.unit == "%" and text[q.end:q.end + 1] == "%":
            return "malformed"
        return None

    # ---- attribution ----------------------------------------------------------------
    def _clause_start(self, text: str, position: int) -> int:
        """Start of the clause holding position (just after the last break before it)."""
        index = bisect_left(self._clause_break_starts, position) - 1
        while index >= 0 and self._clause_breaks[index][1] > position:
            index -= 1
        return self._clause_breaks[index][1] if index >= 0 else 0

    def _clause_end(self, text: str, position: int) -> int:
        index = bisect_left(self._clause_break_starts, position)
        return self._clause_breaks[index][0] if index < len(self._clause_breaks) else len(text)

    def _sentence_bounds(self, text: str, position: int) -> tuple[int, int]:
        index = bisect_left(self._sentence_break_starts, position)
        start = self._sentence_breaks[index - 1][1] if index > 0 else 0
        end = self._sentence_breaks[index][1] if index < len(self._sentence_breaks) else len(text)
        return start, end

    def _strip_trailing(self, left: str, keep=frozenset()) -> str:
        changed = True
        while changed and left:
            changed = False
            left = TRAILING_NOISE.sub("", left)
            for length in self.trim_lengths:
                if left[-length:] in self.trim_words and left[-length:] not in keep \
                        and not (length == 1 and self._in_word(left[-3:], at_end=True)):
                    left = left[:-length]
                    changed = True
                    break
        return left

    def _strip_leading(self, phrase: str) -> str:
        changed = True
        while changed and phrase:
            changed = False
            for length in self.trim_lengths:
                if len(phrase) > length and phrase[:length] in self.trim_words \
                        and not (length == 1 and self._in_word(phrase[:4], at_end=False)):
                    phrase = phrase[length:]
                    changed = True
                    break
        return phrase.strip(" “”‘’\"'")

    def _in_word(self, edge: str, at_end: bool) -> bool:
        """Whether a one-character trim word at this edge of a phrase is part of a word (达标率,
        违法行为: the segmenter keeps it inside a longer word), not a connective to strip (指标的)."""
        tokens = self.segmenter.tag(edge)
        return len(tokens[-1 if at_end else 0].word) > 1 if tokens else False

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
        same_clause = same_sentence and index > 0 and quantities[index - 1].end > clause_start

        metric = RawMetric(start=q.start, end=q.end, value=q.value, value_max=q.value_max, unit=q.unit, kind=q.kind,
                           qualifier=q.qualifier, sentence=text[sentence_start:sentence_end].strip(),
                           sentence_start=sentence_start)
        metric.context = text[clause_start:q.start]
        if same_sentence:
            # 排查隐患242项，其中重大隐患12项、一般隐患230项: after a marker that follows a figure,
            # the rest of the sentence gives parts of it
            between = text[previous.end:q.start]
            metric.breakdown = previous.breakdown or any(marker in between for marker in self.lexicons.breakdown_markers)
        metric.change, change_verb = self._change(left)
        metric.period = self._period(text, q.start, doc_year)

        # a rate keeps the count noun that ends its subject's name (死亡人数同比下降12%)
        keep = self.count_names if q.kind == "rate" else frozenset()
        core_left = self._strip_trailing(left, keep)
        if change_verb:
            core_left = self._strip_trailing(core_left[: core_left.rfind(change_verb)] if change_verb in core_left else core_left, keep)
            core_left = self._strip_trailing(self._without_comparator(core_left), keep)
        # segment the clause once, so every word is tagged in its context, then slice it around the number
        # (and before a change verb: 价格上涨1.1% is one word to jieba, 价格 | 上涨 here)
        cuts = (q.start - clause_start, q.end - clause_start) + (
            (left_start - clause_start + len(core_left),) if change_verb else ())
        clause_tokens = self.segmenter.split_at(self.segmenter.tag(text[clause_start:clause_end]), cuts)
        left_offset = left_start - clause_start
        tokens = [Token(t.word, t.flag, t.start - left_offset, t.end - left_offset) for t in clause_tokens
                  if t.start >= left_offset and t.end <= left_offset + len(core_left)]
        tokens = self._outside_titles(tokens)
        right_offset = q.end - clause_start
        right_tokens = [Token(t.word, t.flag, t.start - right_offset, t.end - right_offset) for t in clause_tokens
                        if t.start >= right_offset and t.end <= right_offset + len(right)]
        rest_of_clause = text[q.end:clause_end]
        # every word before the number in its clause (core_left drops trim words such as 对)
        whole_left = [t for t in clause_tokens if t.start >= left_offset and t.end <= q.start - clause_start]

        share = SHARE.search(left) if q.kind == "rate" and not change_verb else None
        if share:
            # 住宅火灾84起，占火灾总数的38.5% -> 住宅火灾占比; 投诉占举报量的14% -> 投诉占比
            name = self._noun_phrase_ending_at(core_left, tokens, share.start()).strip("、和及与")
            if not name and same_sentence and previous.kind != "rate":
                name = previous.object or previous.action  # 举报3618件，占27%: the act counted
            metric.object, metric.action = (name + "占比" if name else ""), "占"
        elif q.kind == "rate":
            metric.object, metric.action = self._rate_attribution(core_left, tokens, right)
        else:
            right_np = self._right_noun_phrase(right, right_tokens, q, ends_with_verb=self._ends_with_verb(tokens))
            if not right_np and index + 1 < len(quantities) and quantities[index + 1].start < clause_end \
                    and self._strip_leading(right.strip()) in self.lexicons.object_trim + ("",):
                # 307支共计3500余人的应急救援小分队: both numbers count the noun after the second
                after_next = text[quantities[index + 1].end:clause_end]
                right_np = self._right_noun_phrase(after_next, None, q, ends_with_verb=self._ends_with_verb(tokens))
            governed_np = (right_np or self._relative_noun_phrase(right)) if self._after_preposition(whole_left) else ""
            # the phrase may list many figures before its verb (对956家…、73家…等重点企业开展检查)
            governing_verb = self._content_verb(rest_of_clause[rest_of_clause.find(governed_np) + len(governed_np):],
                                                reach=120) if governed_np else ""
            if governing_verb:
                # 对12家危化企业进行了安全检查, 对55家…不到位的经营户下达整改通知: inside a phrase
                # opened by 对/为/向, the figure counts the noun after it and the verb after that acts
                metric.object, metric.action = governed_np, governing_verb
            elif right_np:
                # a measure word followed by a noun counts that noun: 19个乡镇, 5支社会应急救援队伍
                metric.object = right_np
                after_np = rest_of_clause[rest_of_clause.find(right_np) + len(right_np):]
                left_verb = self._last_verb_run(tokens)
                if not left_verb and same_clause and previous.action:
                    left_verb = previous.action  # 21处汛灾隐患、52处森林火灾隐患: one verb for the list
                if left_verb in self.lexicons.progress_verbs or not left_verb:
                    # 完成了370HMz无线窄带通讯网建设, 推动19个乡镇...清理: the content verb after the noun
                    # 完成83个行政村生活污水治理: the act closes the noun phrase itself
                    # 培训500余名干部: a verbal noun right before the figure acts on the noun after it
                    verbal_noun = tokens[-1].word if tokens and tokens[-1].flag == "vn" and len(tokens[-1].word) >= 2 else ""
                    metric.action = (self._content_verb(after_np) or self._trailing_act(right_np) or left_verb
                                     or verbal_noun)
                else:
                    metric.action = left_verb
            else:
                metric.object, metric.action = self._left_analysis(tokens, q, core_left, right)
        if q.kind != "rate" and not change_verb:
            # 检查学校食堂1304个，特种设备使用单位335家: a comma right after the figure before may go on with its list
            # (not from events to the people in them: 开展演练126场次，参训参演人员8,900余人次)
            continues_list = same_sentence and not same_clause and q.kind == previous.kind == "count" \
                and text[previous.end:clause_start].strip() in LIST_COMMAS \
                and EVENT_UNITS.isdisjoint((q.unit, previous.unit)) \
                and (q.unit in self.lexicons.person_units) == (previous.unit in self.lexicons.person_units)
            self._list_item(metric, whole_left, previous if same_clause or continues_list else None, continues_list)
            self._issued_document(metric, whole_left, previous if same_clause or continues_list else None)
        if change_verb:
            metric.action = change_verb
        elif q.kind in ("measure", "money") and (not metric.action or metric.action in self.lexicons.weak_verbs):
            metric.action = self._act_in_object(metric.object) or metric.action
        elif (not metric.action or metric.action in self.lexicons.weak_verbs) and metric.object[:2] in self.lexicons.state_verbs:
            metric.action = metric.object[:2]  # 造成受灾群众3.26万人次, 受灾人口1.5万人: the state the people are in
        before = text[sentence_start:q.start]
        short_form = self.lexicons.casualty_short_forms.get(metric.object) if q.unit in self.lexicons.person_units else None
        if short_form:
            # 接报火灾84.1万起，亡1827人: the dead, under the full name of the act so that tables
            # compare it with 死亡 elsewhere
            metric.object, metric.action = "", short_form
        if not metric.object and q.unit in self.lexicons.person_units and metric.action in self.lexicons.casualty_acts:
            # 发生事故12起、死亡7人: the dead, not the accidents the sentence named before them
            event = max(self.lexicons.casualty_events, key=before.rfind)
            metric.object = (event if event in before else "") + self._figure_name(metric)
        state_suffix = self.lexicons.state_count_suffixes.get(q.unit) if q.kind == "count" else None
        if state_suffix and (not metric.action or metric.action in self.lexicons.weak_verbs):
            # 全镇4812户17222人受灾: the households and the people are counted by the state after them
            after = ADJACENT_COUNT.sub("", rest_of_clause, count=1)
            state = next((word for word in self.lexicons.state_verbs if after.startswith(word)), None)
            if state:
                metric.action = state
                metric.object = state + state_suffix
        if FRAMING_TAIL.sub("", before.rstrip()).endswith(self.lexicons.problem_states):
            # 发现工程安全防护措施不到位共计8项、临时用电管理混乱共计1项: what was found, not how it was
            finding = max(self.lexicons.finding_verbs, key=lambda verb: before.rfind(verb) + len(verb))
            if finding in before:
                metric.action = finding
                # the problem as the text names it, from the finding verb or the list separator on
                start = max(before.rfind(finding) + len(finding), *(before.rfind(mark) + 1 for mark in "、，,；;"))
                metric.object = self._strip_leading(FRAMING_TAIL.sub("", before[start:].strip())) or metric.object
        if not metric.object and same_sentence and previous.object and self._shares_object(previous, metric, same_clause):
            metric.object = previous.object
            metric.confidence = 0.7
        # 死亡 does not pass to the accidents after the dead (事故13起、死亡14人(其中建筑事故10起…))
        casualty_to_events = same_sentence and previous.action in self.lexicons.casualty_acts \
            and q.unit not in self.lexicons.person_units
        if not metric.action and same_clause and previous.action and not casualty_to_events \
                and not (not previous.object and self._is_act_category(previous.action)):
            # 表彰了六个优胜单位和三十个优胜选手; not from a figure that counts its own act (抢险救援2,416起、
            # 社会救助1,463起)
            metric.action = previous.action
        stock_word = self._stock_word(text[clause_start:q.start], clause_tokens)
        acted_after = False
        if not metric.action and q.kind == "count" and q.unit in EVENT_UNITS and not metric.change and not stock_word:
            self._act_after(metric, right, q)  # 市安委会先后12次召开专题会议: the act after the count comes first
            acted_after = bool(metric.action)
        if not metric.action and q.kind != "rate" and not stock_word:
            metric.action = self._verb_earlier_in_sentence(text, sentence_start, clause_start)
        if stock_word:
            if metric.object in self.lexicons.existence_verbs:
                metric.object = ""  # 辖170组: the existence word is not what is counted
            if q.kind == "count" and not metric.action:
                metric.object = self._without_scope(metric.object)
                self._act_after(metric, right, q)  # 全市共有340223人受灾: the people are counted by their state
            if not metric.action and stock_word in self.lexicons.stock_predicates:
                metric.action = stock_word
            return metric
        if not metric.action and same_sentence and previous.action and not (previous.change and not metric.change) \
                and not casualty_to_events and not (not previous.object and self._is_act_category(previous.action)):
            metric.action = previous.action  # never a change verb to a figure that is no change
            if q.kind == "rate" and previous.action in self.lexicons.completion_verbs \
                    and metric.object.endswith(tuple(self.rate_suffixes)):
                # 完成食品安全监督抽检1862批次，合格率97.3%: the rate measures the sampling, not its completion
                metric.action = self._trailing_act(previous.object) or metric.action
        if q.kind == "count" and not metric.change:
            metric.object = self._without_scope(metric.object)  # 全县4812户: the place is not what is counted
            if not metric.action or metric.action in self.lexicons.light_verbs and q.unit in EVENT_UNITS and not acted_after:
                self._act_after(metric, right, q)

        if not metric.object:
            metric.confidence = 0.6
        if q.bare_magnitude_money:
            metric.confidence = min(metric.confidence, 0.7)
        return metric

    def _list_item(self, metric: RawMetric, tokens: list[Token], previous: Optional[RawMetric],
                   continues_list: bool = False) -> None:
        """检查学校食堂、农产品集中交易市场1304个、液化气使用单位335家: in a list of noun phrases
        that a verb opens, a verb inside an item that only describes its head noun (集中交易市场,
        使用单位, 执法车辆) is no act; the opening verb acts on every item, and the item is what is
        counted. continues_list: the clause goes on from the figure before it after a comma, as
        after a 、. Not a list of places or partners before the act (在路口、道口设立检查站;
        联合住建等部门排查)."""
        if continues_list and previous is not None and previous.action and self._names_a_counted_thing(tokens):
            # 检查…335家，特种设备生产和充装单位32家，药店、诊所等重点场所6872家次: every verb in the
            # clause describes the head noun it ends with, so the opening verb still acts on it
            if metric.action in "".join(t.word for t in tokens):
                metric.object = self._strip_leading("".join(t.word for t in tokens))
            metric.action = previous.action
            return
        separators = [i for i, t in enumerate(tokens) if t.word == "、"]
        if continues_list and not separators:
            separators = [-1]  # the comma before the clause
        if not separators or separators[-1] + 1 >= len(tokens) or not metric.action:
            return
        item = tokens[separators[-1] + 1:]
        if continues_list and item[0].word == metric.action and self._counts_visits(metric.unit):
            return  # 监测广告1089个次: the verbal noun opening the clause is its act
        modifiers = self.lexicons.modifier_verbs
        # an item opens with a noun, or with a verb that describes the noun after it (执法车辆)
        opens_with_modifier = item[0].is_verb and item[0].word in modifiers and len(item) > 1 \
            and item[1].is_noun and not item[1].is_verb
        if continues_list and any(t.is_verb and t.word not in modifiers for t in item):
            return  # after a comma, only a plain noun phrase goes on with the list (not 现场解答群众咨询)
        if any(t.word == "等" for t in item) or not (item[0].is_noun and not item[0].is_verb or opens_with_modifier) \
                or metric.action not in "".join(t.word for t in item):
            return
        heads = self.lexicons.head_nouns
        describes = opens_with_modifier or any(
            t.flag == "v" and t.word not in self.lexicons.light_verbs and 0 < k < len(item) - 1
            and item[k - 1].is_noun and not item[k - 1].is_verb
            and (t.word in modifiers or item[k + 1].word.endswith(heads))
            for k, t in enumerate(item))
        if not describes:
            return
        if separators[0] <= 0:
            head = previous.action if previous is not None else ""  # the list goes on from the figure before
        else:
            first = separators[0] - 1
            while first >= 0 and tokens[first].is_noun and not tokens[first].is_verb:
                first -= 1
            opener = tokens[first] if first >= 0 else None
            head = opener.word if opener is not None and opener.flag == "v" and len(opener.word) >= 2 \
                and opener.word not in self.trim_words and opener.word not in self.lexicons.progress_verbs else ""
        if head:
            metric.action = head
            metric.object = self._strip_leading("".join(t.word for t in item))

    def _issued_document(self, metric: RawMetric, tokens: list[Token], previous: Optional[RawMetric]) -> None:
        """开具整改通知单70份，暂停施工指令书3份: documents issued are named whole (an act inside the
        name, 整改, is part of it) and the issuing verb is the act; a list of documents after a comma
        goes on with the verb that issued the first."""
        documents = self.lexicons.document_nouns
        titled = bool(tokens) and tokens[-1].word in ("》", "〉")
        if titled:
            # 下发《限期整改通知书》1份: the document's name is its title, the issuing verb before it
            opening = next((k for k in range(len(tokens) - 2, -1, -1) if tokens[k].word in ("《", "〈")), None)
            if opening is None:
                return
            name = "".join(t.word for t in tokens[opening + 1:-1])
            searched = tokens[:opening]
        else:
            name = "".join(t.word for t in tokens)
            searched = tokens
        if not name.endswith(documents):
            return
        opener = next((k for k in range(len(searched) - 1, -1, -1) if searched[k].word in self.lexicons.issuing_verbs), None)
        if opener is not None:
            metric.action = searched[opener].word
            metric.object = name if titled else self._strip_leading("".join(t.word for t in tokens[opener + 1:]))
        elif previous is not None and previous.action and previous.object.endswith(documents):
            # a list of documents goes on with the verb that issued the first
            metric.action = previous.action
            metric.object = name if titled else self._strip_leading(name)

    def _counts_visits(self, unit: str) -> bool:
        """家次, 个次, 户次: a unit of visits counts acts on things, not people or events."""
        return unit.endswith("次") and len(unit) > 1 and unit not in self.lexicons.person_units \
            and unit not in EVENT_UNITS

    def _names_a_counted_thing(self, tokens: list[Token]) -> bool:
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

    def _shares_object(self, previous: RawMetric, metric: RawMetric, same_clause: bool) -> bool:
        """Whether a figure without a noun of its own counts what the figure before it counts:
        发现隐患242项、整改230项, 同比下降12%, 专业扑火队1支45人; not 罚款60万元、拘留26人 (money,
        then people), nor 137次单位，责令限期整改110家 (another unit in another clause), nor
        扑救火灾66万起、抢险救援30万起 (an act named as the object, then another act)."""
        if metric.kind == "rate":
            return True  # 同比下降12%: the change of the figure before it
        if previous.kind == "rate":
            return True  # 立案142件，同比增长18.3%，结案128件: the rate passes its figure's object on
        if previous.kind != metric.kind:
            return False
        if metric.kind == "count" and previous.unit.rstrip("次") != metric.unit.rstrip("次") and not same_clause:
            return False  # (检查企业415家次，责令整改37家: the same things, counted once and in visits)
        # an object named by an act (扑救火灾, 火灾扑救, 受灾人口) is not what another act counts
        # (抢险救援2,416起 after 火灾扑救1,368起)
        return not (metric.kind == "count" and not metric.change and metric.action and metric.action != previous.action
                    and (previous.action and previous.object.startswith(previous.action)
                         or self._is_act_category(metric.action)
                         and (self._names_an_act(previous.object) or self._is_act_category(previous.action))))

    def _is_act_category(self, action: str) -> bool:
        """抢险救援, 社会救助: an act named as a category of work (verbal nouns only), not a verb done
        to the things counted before (办结, 整改)."""
        tokens = self.segmenter.tag(action)
        return bool(tokens) and all(t.flag == "vn" for t in tokens)

    def _names_an_act(self, name: str) -> bool:
        tokens = self.segmenter.tag(name)
        return bool(tokens) and (tokens[0].flag == "vn" or tokens[-1].flag == "vn")

    def _act_after(self, metric: RawMetric, right: str, q: Quantity) -> None:
        """The verb right after a figure: 17222人受灾 (the act), 先后4次召开常委会 (the act and, for
        events, what was held), 累计开展12次督查考评 (after a light verb, the act is what is counted)."""
        tokens = self.segmenter.tag(right[:16])
        end = 0
        while end < len(tokens) and tokens[end].flag in ("v", "vn") and len(tokens[end].word) >= 2 \
                and tokens[end].word not in self.trim_words:
            if end and tokens[end].word in self.lexicons.modifier_verbs and end + 1 < len(tokens) \
                    and tokens[end + 1].is_noun and not tokens[end + 1].is_verb:
                break  # 专题研究防汛工作, 召开调度会议: a describing verb opens the noun after the act
            end += 1
        if not end:
            return
        act = "".join(t.word for t in tokens[:end])
        if metric.action:  # a light verb before an event count
            metric.object = act
            return
        metric.action = act
        if q.unit in EVENT_UNITS:
            # the noun before an event count names who held it (市委先后4次召开常委会): what was
            # held is the noun after the verb
            noun_end = end
            if noun_end < len(tokens) and tokens[noun_end].word in self.lexicons.modifier_verbs:
                noun_end += 1  # 防汛工作, 调度会议: the describing verb is part of the name
            while noun_end < len(tokens) and tokens[noun_end].is_noun and not tokens[noun_end].is_verb:
                noun_end += 1
            metric.object = "".join(t.word for t in tokens[end:noun_end]) or metric.object

    def _stock_word(self, before: str, tokens: list[Token]) -> str:
        """The existence word (现有, 实有, 在用 ...) nearest the number in the clause before it, or ''.
        tokens: the clause's words; a one-character word inside a longer one is part of it (有效处置,
        辖区内; longer words stand inside their compounds: 发明专利拥有量)."""
        best, best_key = "", None
        for word in self.lexicons.existence_verbs:
            position = before.rfind(word)
            if position >= 0 and len(word) == 1 and any(t.start <= position < t.end and len(t.word) > 1 for t in tokens):
                continue
            if position >= 0:
                key = (position + len(word), len(word))
                if best_key is None or key > best_key:
                    best, best_key = word, key
        return best

    def _respectively(self, text: str, metrics: list) -> None:
        """A list of rates after one change word: 同比下降42.1%、43.9%、46% are all decreases. The i-th
        rate of the list is the change of the i-th subject named before 分别 in its clause
        (事故起数和死亡人数同比分别...), or, when the clause names none, of the i-th figure just before
        it in the sentence (事故6起、死亡5人，同比分别下降25%和16.7%). Without 分别, only when the
        sentence's figures before the list are exactly as many as its rates (发生火灾17435起、死亡69人、
        损失1.27亿元，同比下降42.1%、43.9%、46%)."""
        end = -1
        while end + 1 < len(metrics):
            start = end = end + 1
            first = metrics[start]
            while end + 1 < len(metrics) and metrics[end + 1].kind == "rate" \
                    and LIST_SEPARATOR.fullmatch(text[metrics[end].end:metrics[end + 1].start]):
                end += 1
            group = metrics[start:end + 1]
            if first.kind != "rate" or len(group) < 2:
                continue
            for metric in group[1:]:
                if metric.change is None and first.change is not None:
                    metric.change, metric.action = first.change, first.action
            clause_start = self._clause_start(text, first.start)
            lead = text[clause_start:first.start]
            respectively = "分别" in lead
            subject = lead[:lead.index("分别")] if respectively else self._without_change_words(lead)
            subject = self._without_comparator(subject.rstrip()).rstrip()  # 同比, 比前5年: not part of the last subject
            if not subject.strip() and clause_start > 0:
                # 受灾人口、倒塌房屋数量和直接经济损失，与前5年平均值相比，同比分别下降...: the
                # subjects are in the clause before a clause that only names the baseline
                previous_start = self._clause_start(text, clause_start - 1)
                if self.comparator_at_end is not None and self.comparator_at_end.fullmatch(text, previous_start, clause_start - 1):
                    subject = text[self._clause_start(text, previous_start - 1):previous_start - 1] if previous_start > 0 else ""
            parts = [self._without_scope(self._strip_leading(part)) for part in LIST_SEPARATOR.split(subject) if part.strip()]
            before = [m for m in metrics[:start] if m.sentence_start == first.sentence_start and m.kind != "rate"]
            if respectively and len(parts) == len(group):
                names = parts
            elif not parts and (len(before) == len(group) or respectively and len(before) > len(group)):
                names = [self._figure_name(m) for m in before[-len(group):]]
            else:
                names = []
            if len(names) == len(group) and all(names):
                for metric, name in zip(group, names):
                    metric.object = name

    def _without_scope(self, phrase: str) -> str:
        """A name without the place or scope it opens with (全国生产安全事故总量 -> 生产安全事故总量)."""
        for word in self.lexicons.scope_words:
            if phrase.startswith(word) and len(phrase) > len(word):
                rest = phrase[len(word):]
                return rest[1:] if rest[0] == "内" and len(rest) > 1 else rest  # 辖区内企业 -> 企业
        return "" if phrase in self.lexicons.scope_words else phrase

    def _without_comparator(self, text: str) -> str:
        """text without the comparison that ends it (同比, 比上年同期, 较前五年均值)."""
        match = self.comparator_at_end.search(text) if self.comparator_at_end is not None else None
        return text[:match.start()] if match else text

    def _without_change_words(self, lead: str) -> str:
        """The clause before a rate without its change word and the fillers around it (同比下降 -> 同比)."""
        change, word = self._change(lead)
        return lead[:lead.rstrip().rfind(word)] if change else lead

    def _table_cells(self, text: str, metrics: list) -> None:
        """A figure alone in a table cell (normalize turns a row into one line, cells after tabs)
        is read under its column header: 检查企业数 | 58家 -> as if 检查企业58家 (企业, 检查). A row
        whose label is not a total (合计, 全县 ...) gives parts of the total row: breakdown. In a
        table without such headers (指标名称 | 2023年 | 同比变化), the row's label names what the
        figures in it measure: PM2.5平均浓度 | 24微克/立方米 | 下降7.7%."""
        if "\t" not in text:
            return  # no table
        for metric in metrics:
            line_start = text.rfind("\n", 0, metric.start) + 1
            line_end = text.find("\n", metric.end)
            line_end = len(text) if line_end < 0 else line_end
            cell_start = text.rfind("\t", line_start, metric.start) + 1
            if cell_start == 0:
                continue  # not in a table row
            cell_end = text.find("\t", metric.end, line_end)
            cell_end = line_end if cell_end < 0 else cell_end
            alone = not text[cell_start:metric.start].strip() and not text[metric.end:cell_end].strip()
            row_label = next((cell.strip() for cell in text[line_start:line_end].split("\t") if cell.strip()), "")
            total_row = any(word in row_label for word in self.lexicons.table_total_labels)
            header = self._column_header(text, line_start, text.count("\t", line_start, metric.start)) if alone else ""
            if alone and BARE_CELL.match(text, cell_start) and ROW_LABEL.match(row_label) \
                    and not text[cell_start:metric.end].strip() == row_label:
                # 规章 | 0 under 本年制发件数: the row names what is counted, the header the act
                # a row label's notes in brackets (部分公开（区分处理的，只计这一情形）) name nothing
                label = BRACKETED.sub("", row_label).strip()
                metric.object = "" if total_row else self._strip_leading(PARAGRAPH_NUMBER.sub("", self._without_unit(label)))
                # the act is named where the unit is: 本年制发件数 (header) or 本年新收…申请数量 (row)
                phrase = self._without_unit(header if header and self._unit_in_label(header) else label)
                verbs = [t.word for t in self.segmenter.tag(phrase) if t.is_verb and len(t.word) >= 2]
                metric.action = verbs[-1] if verbs else ""
                metric.context = phrase
            elif header:
                phrase = TABLE_HEADER_UNIT.sub("", header)
                obj, action = self._left_analysis(self.segmenter.tag(phrase), metric, phrase, "")
                metric.object, metric.action = obj or metric.object, action or metric.action
                metric.breakdown = not total_row
                metric.context = phrase
            elif not metric.object and ROW_LABEL.match(row_label) and not total_row \
                    and text.find(row_label, line_start, line_end) < cell_start:
                metric.object = self._row_label_name(row_label)
                metric.context = metric.object

    def _with_listed_numbers(self, text: str, quantities: list[Quantity]) -> list[Quantity]:
        """分别为47、55和55微克/立方米: bare numbers listed right before a figure share its unit."""
        listed = []
        for q in quantities:
            if q.chinese or q.value_max is not None or q.start != q.number_start or q.unit_start != q.number_end:
                continue  # only a plain number with its unit: no qualifier, range or magnitude to share
            run = self._listed_run(text, q.start, 80)
            if run is None or text[run.start() - 1:run.start()] in ("第", ".", "-"):
                continue
            for number in BARE_NUMBER.finditer(text, run.start(), run.end()):
                listed.append(Quantity(start=number.start(), end=number.end(), value=Decimal(number.group()),
                                       unit=q.unit, kind=q.kind, number_start=number.start(),
                                       number_end=number.end(), unit_start=number.end()))
        return sorted(quantities + listed, key=lambda q: q.start) if listed else quantities

    @staticmethod
    def _listed_run(text: str, end: int, reach: int):
        """The run of bare numbers listed right before end (47、55和|55微克), or None. Most figures
        follow no list joiner, and for them the backward search is skipped."""
        before = end - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if before < 0 or text[before] not in LIST_JOINER_ENDS:
            return None
        return LISTED_NUMBERS.search(text, max(0, end - reach), end)

    def _bare_table_numbers(self, text: str, quantities: list[Quantity]) -> list[Quantity]:
        """Numbers alone in a table cell, without a unit of their own (信息内容 | 本年制发件数 /
        规章 | 0): a quantity when the column header or the row label names the unit."""
        taken = [(q.start, q.end) for q in quantities]
        found = []
        column_units: dict = {}  # (table, column) -> unit: a column keeps its unit down the table
        table, row_start, row_end = 0, None, None  # where the current table and row start, where the row ends
        for match in BARE_CELL.finditer(text):
            start, end = match.span(1)
            index = bisect_left(taken, (start, end))
            if any(s < end and start < e for s, e in taken[max(0, index - 1):index + 1]):
                continue
            line_start = text.rfind("\n", 0, start) + 1
            line_end = text.find("\n", end)
            cells = [cell.strip() for cell in text[line_start:len(text) if line_end < 0 else line_end].split("\t")]
            row_label = next((cell for cell in cells if cell), "")
            if row_label in self.lexicons.table_index_labels or YEAR_NUMBER.fullmatch(match.group(1)):
                continue  # 序号 | 1 | 2, 年份 | 2022 | 2023: an index, not a count
            column = text.count("\t", line_start, start)
            header = self._column_header(text, line_start, column)
            unit = self._unit_in_label(header) or (self._unit_in_label(row_label) if not DIGIT.search(row_label) else None)
            if line_start != row_start:  # a new row: the same table unless text lies between
                gap = text[row_end:line_start] if row_end is not None else None
                if gap is None or any(line.strip() and "\t" not in line for line in gap.split("\n")):
                    table = line_start
                row_start, row_end = line_start, len(text) if line_end < 0 else line_end
            key = (table, column)
            unit = unit or column_units.get(key)
            if unit is None:
                continue
            column_units[key] = unit
            canonical, scale = unit
            found.append(Quantity(start=start, end=end, value=Decimal(match.group(1).replace(",", "")) * scale,
                                  unit=canonical, kind=self.lexicons.units[canonical].kind,
                                  number_start=start, number_end=end, unit_start=end))
        return found

    def _without_unit(self, label: str) -> str:
        """本年制发件数 -> 本年制发, 收费金额（单位：万元） -> 收费金额: the label without what names its unit."""
        name = UNIT_BRACKET.sub("", label).strip()
        ending = next((e for e in self.lexicons.table_header_units if name.endswith(e) and len(name) > len(e)), "")
        return name[:len(name) - len(ending)]

    def _unit_in_label(self, label: str) -> Optional[tuple[str, int]]:
        """The unit a table header or row label names: 收费金额（单位：万元） -> (元, 10000),
        本年制发件数 -> (件, 1); None if it names none."""
        bracket = UNIT_BRACKET.search(label)
        unit = self._as_unit(bracket["unit"]) if bracket else None
        if unit:
            return unit
        name = UNIT_BRACKET.sub("", label).strip()
        return next(((unit, 1) for ending, unit in self.lexicons.table_header_units.items() if name.endswith(ending)), None)

    def _row_label_name(self, label: str) -> str:
        """行政处罚案件（大气类） -> 大气类行政处罚案件; a unit in brackets is dropped (隐患数（处） -> 隐患数)."""
        bracketed = ROW_LABEL_BRACKET.fullmatch(label)
        if not bracketed:
            return label
        name, inner = bracketed["name"].strip(), bracketed["inner"].strip()
        if self._as_unit(inner) or not HAN_ONLY.fullmatch(inner):
            return name
        return inner + name

    def _as_unit(self, word: str) -> Optional[tuple[str, int]]:
        """件 -> (件, 1), 万元 -> (元, 10000); None if word is not a unit."""
        scale = 1
        if word[:1] in self.lexicons.magnitudes and word[1:] in self.lexicons.units:
            scale, word = self.lexicons.magnitudes[word[0]], word[1:]
        return (self.lexicons.units[word].canonical, scale) if word in self.lexicons.units else None

    @staticmethod
    def _column_header(text: str, row_start: int, column: int) -> str:
        """The header of a column: the cell in that column of the nearest row above, in the same
        table, that holds no digit (its header row)."""
        end = row_start - 1
        while end > 0:
            start = text.rfind("\n", 0, end) + 1
            line = text[start:end]
            if line.strip():
                if "\t" not in line:
                    return ""  # left the table
                cells = line.split("\t")
                if not DIGIT.search(line) and column < len(cells):
                    return cells[column].strip()
            end = start - 1
        return ""

    def _figure_name(self, metric) -> str:
        """What a figure measures, as a rate's object: 事故6起 -> 生产安全事故起数, 死亡5人 -> 死亡人数,
        经济损失1,036.8万元 -> 经济损失 (lexicons attribution figure_name_suffixes)."""
        suffix = self.lexicons.figure_name_suffixes.get(metric.unit, "")
        if metric.unit in self.lexicons.person_units and metric.action:
            return metric.action + suffix
        stem = metric.object or metric.action
        return stem + suffix if stem else ""

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

    def _rate_attribution(self, core_left: str, tokens: list[Token], right: str) -> tuple[str, str]:
        """整改率95.6% -> (整改率, 整改); 保持80%在岗备勤 -> (在岗备勤, 保持); 100%“一窗”受理 -> (一窗受理, 受理)."""
        for suffix in self.rate_suffixes:
            position = core_left.rfind(suffix)
            if position >= 0 and position + len(suffix) >= len(core_left) - 4:
                end = position + len(suffix)
                phrase = self._noun_phrase_ending_at(core_left, tokens, end)
                if not phrase:
                    # 综合救援（抢险、救助）占比: the suffix is a word of its own after the name
                    name = self._noun_phrase_ending_at(core_left, tokens, position)
                    phrase = name + suffix if name else core_left[max(0, position - 4):end]
                return phrase, self._rate_action(phrase)
        after = QUOTES.sub("", right).strip()
        after = regex.split(r"[,，。；;、]", after)[0][:8]
        if after and HAN.match(after):
            after_tokens = self.segmenter.tag(after)
            verbs = [t.word for t in after_tokens if t.flag.startswith("v")]
            return after, (verbs[-1] if verbs else self._last_verb_run(tokens))
        # 审批时限平均压缩40%: the adverb before the change verb is no part of the subject
        subject_tokens = self._without_trailing(tokens, ("d", "ad", "a"))
        object_start = self._noun_run_start(subject_tokens, len(subject_tokens) - 1) if subject_tokens else 0
        subject = self._strip_leading("".join(t.word for t in subject_tokens[object_start:])) if subject_tokens else ""
        return self._without_scope(subject), self._last_verb_run(tokens)

    @staticmethod
    def _without_trailing(tokens: list[Token], flags: tuple) -> list[Token]:
        end = len(tokens)
        while end > 0 and tokens[end - 1].flag in flags:
            end -= 1
        return tokens[:end]

    def _act_in_object(self, obj: str) -> str:
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

    def _rate_action(self, rate_object: str) -> str:
        """The measured activity of a rate: 整改率 -> 整改, 上报率和合格率 -> 上报."""
        first = regex.split(r"[和及与、]", rate_object)[0]
        for suffix in self.rate_suffixes:
            if first.endswith(suffix):
                stem = first[: -len(suffix)]
                verbs = [t.word for t in self.segmenter.tag(stem) if t.is_verb]
                if not verbs and len(suffix) > 2:
                    # 明厨亮灶覆盖率: the act is in the suffix itself (覆盖率 -> 覆盖), not in the name before it
                    verbs = [t.word for t in self.segmenter.tag(suffix[:-1]) if t.is_verb]
                return verbs[-1] if verbs else ""
        return ""

    def _noun_phrase_ending_at(self, text: str, tokens: list[Token], end: int) -> str:
        """The name that ends at end, modifiers and negation included (优良天数比例, 重污染天数比例,
        不合格率, PM2.5平均浓度). A bracket that closes right at the end explains the name and is
        left out (综合应急救援(抢险救援、社会救助)占 -> 综合应急救援)."""
        before = [t for t in tokens if t.end <= end]
        if before and before[-1].word in (")", "）"):
            opening = next((k for k in range(len(before) - 2, -1, -1) if before[k].word in ("(", "（")), None)
            if opening:
                end = before[opening].start
        start = end
        for token in reversed(tokens):
            if token.start >= end:
                continue
            if token.is_noun or token.is_verb or token.word in JOINERS or token.flag in ("a", "z") \
                    or token.word in NEGATION_PREFIXES and start == token.end:
                start = token.start
            else:
                break
        return self._strip_leading(text[start:end])

    def _right_noun_phrase(self, right: str, tokens: Optional[list] = None, q: Optional[Quantity] = None,
                           ends_with_verb: bool = False) -> str:
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
                # 19个执法检查组; 3.6公里的拓宽工程 (after 的, a verb before a noun describes it)
                or first.flag.startswith("v") and len(first.word) >= 2 and next_is_noun and (classifier or after_de)
                or len(first.word) == 1 and HAN.match(first.word) and first.flag in ("zg", "ng", "n", "x") and len(tokens) > 1 and (tokens[1].flag.startswith("v") or tokens[1].word in "(（")):
            # 作出10次批示并...: after a verb, a verbal noun standing alone is what is counted
            if ends_with_verb and first.flag.startswith("v") and len(first.word) >= 2 and (
                    len(tokens) == 1 or tokens[1].flag in ("c", "x", "p", "uj")):
                return first.word
            return ""
        base = first.start
        end = first.end
        depth = 0
        for i, token in enumerate(tokens[1:], 1):
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
            if end - base >= 12:
                break
            if token.flag.startswith("v") and token.flag != "vn":
                break
            if token.is_noun or (token.word in JOINERS and i + 1 < len(tokens) and tokens[i + 1].is_noun):
                end = token.end
                continue
            break
        phrase = right[base:end].rstrip("、和及与")
        return phrase if HAN.search(phrase) else ""

    @staticmethod
    def _outside_titles(tokens: list[Token]) -> list[Token]:
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

    @staticmethod
    def _after_preposition(tokens: list[Token]) -> bool:
        """Whether the words before the number open with 对/为/向/给 after the last verb (对全县12家…)."""
        for token in reversed(tokens):
            if token.flag == "p":
                return token.word in GOVERNING_PREPOSITIONS
            if token.is_verb and token.flag != "vn":
                return False
        return False

    @staticmethod
    def _ends_with_verb(tokens: list[Token]) -> bool:
        return bool(tokens) and tokens[-1].flag.startswith("v") and tokens[-1].flag != "vn"

    def _verb_earlier_in_sentence(self, text: str, sentence_start: int, clause_start: int) -> str:
        """召开市委常委会,市政府党组会...41次: the verb is in an earlier clause of the sentence."""
        if clause_start <= sentence_start:
            return ""
        tokens = self.segmenter.tag(text[max(sentence_start, clause_start - 40):clause_start])
        # 接处警5,247起，同比上升6.8%，其中火灾扑救1,368起: a change verb before its figure tells a rate's
        # direction, not an act (提高队员工资待遇 stays an act)
        verbs = [t.word for k, t in enumerate(tokens) if t.flag.startswith("v") and t.flag != "vn" and len(t.word) >= 2
                 and t.word not in self.trim_words
                 and not (t.word in self.change_verbs and k + 1 < len(tokens) and tokens[k + 1].word[:1].isdigit())]
        if verbs and verbs[-1] in self.lexicons.existence_verbs:
            return ""  # 共有镇级应急队伍22人，村级应急队伍183人: a stock, not an act, for every item
        return verbs[-1] if verbs else ""

    def _last_verb_run(self, tokens: list[Token]) -> str:
        """The verb closest before the number, with its compound parts (走访慰问, 未整改)."""
        for i in range(len(tokens) - 1, -1, -1):
            if tokens[i].flag.startswith("v") and tokens[i].flag != "vn" and len(tokens[i].word) >= 2:
                # 指导非煤矿山、金属冶炼等..., 跟踪指导、清单管理等七项: a verb inside a list item names a
                # sector or a measure, not the act
                following = [t.word for t in tokens[i + 1:i + 3]]
                inside_list = ("等" in following or "、" in following) or (
                    i > 0 and tokens[i - 1].is_noun and not tokens[i - 1].flag.startswith("v")
                    and i + 1 < len(tokens) and (tokens[i + 1].word in ("和",) or tokens[i + 1].is_noun))
                if inside_list:
                    continue
                if i > 0 and tokens[i - 1].word in self.lexicons.light_verbs and i + 1 < len(tokens) and tokens[i + 1].is_noun:
                    return tokens[i - 1].word  # 开展突发地质灾害...演练: 突发 modifies, 开展 acts
                start = self._verb_run_start(tokens, i)
                return "".join(t.word for t in tokens[start:i + 1])
        return ""

    def _trailing_act(self, phrase: str) -> str:
        """The verb or verbal noun that ends a noun phrase (行政村生活污水治理 -> 治理), or ''."""
        tokens = self.segmenter.tag(phrase)
        if len(tokens) > 1 and tokens[-1].flag in ("v", "vn") and len(tokens[-1].word) >= 2:
            return tokens[-1].word
        return ""

    def _content_verb(self, text: str, reach: int = 30) -> str:
        """The first verb in text that is not a light verb (进行了整治 -> 整治)."""
        text = text[:reach]
        if not text:
            return ""
        phrase = regex.split(r"[,，。；;]", text)[0]
        tagged = self.segmenter.tag(phrase)
        heads = self.lexicons.head_nouns
        # a verb between a noun and a head noun describes it (深井铸造企业): no act
        verbs = [t for i, t in enumerate(tagged) if t.flag.startswith("v") and t.flag != "vn" and len(t.word) >= 2
                 and t.word not in self.lexicons.object_trim
                 and not (0 < i < len(tagged) - 1 and tagged[i + 1].word in heads and tagged[i - 1].flag[:1] == "n")]
        if not verbs:
            # 20个专安委分行业管理: a verbal noun is the best there is
            verbs = [t for t in tagged if t.flag == "vn" and len(t.word) >= 2]
        if not verbs:
            return ""
        if verbs[0].word in self.lexicons.light_verbs and len(verbs) > 1:
            return verbs[-1].word  # 开展防汛、森林防灭火督查检查 -> 督查检查
        if verbs[0].word in self.lexicons.empty_verbs:
            # 进行了安全检查: the verbal noun after an empty verb is the act (开展 stays: 开展演练)
            acts = [t.word for t in tagged[tagged.index(verbs[0]) + 1:] if t.flag == "vn" and len(t.word) >= 2]
            if acts:
                return acts[-1]
        return verbs[0].word

    def _relative_noun_phrase(self, rest: str) -> str:
        """14个由...组成的安全防范铁三角: the head noun after a 的 that closes a relative clause."""
        rest = rest[:30]
        position = rest.find("的")
        if position < 0 or CLAUSE_PUNCTUATION.search(rest, 0, position):
            return ""
        return self._right_noun_phrase(rest[position:])

    def _left_analysis(self, tokens: list[Token], q: Quantity, core_left: str, right: str) -> tuple[str, str]:
        """Object and action from the words before the number (检查企业128家次)."""
        # 粉尘涉爆企业全部12家: an adverb before the number is no part of the object
        tokens = self._without_trailing(tokens, ("d", "ad"))
        since = next((k for k in range(len(tokens) - 1, -1, -1) if tokens[k].word in ("由", "从") and tokens[k].flag == "p"
                      and all(t.flag in ("d", "uj", "r", "a", "t") for t in tokens[k + 1:])), None)
        if since:
            # 人数由原来的380人增加到1160人, 未通公路自然村从140个下降到128个: the figure is a value of
            # the subject before 由/从 (the second figure, with no noun of its own, borrows it)
            return self._strip_leading("".join(t.word for t in tokens[self._noun_run_start(tokens, since - 1):since])), ""
        if not tokens:
            return self._relative_noun_phrase(right), ""
        i = len(tokens) - 1
        last = tokens[i]
        if last.flag == "vn" and q.kind == "count" and q.unit not in self.lexicons.person_units:
            # 受理投诉80件, 发生重污染395天次: a verbal noun after the verb (and its modifiers) is what
            # is counted, and the verb the act
            k = i - 1
            while k >= 0 and tokens[k].flag in ("a", "b"):
                k -= 1
            if k >= 0 and tokens[k].flag == "v" and tokens[k].word not in self.trim_words \
                    and tokens[k].word not in self.lexicons.progress_verbs \
                    and not any(t.word in self.lexicons.light_verbs for t in tokens[:k + 1]):
                verb_start = self._verb_run_start(tokens, k)
                return "".join(t.word for t in tokens[k + 1:i + 1]), "".join(t.word for t in tokens[verb_start:k + 1])
        ends_with_verb = last.flag.startswith("v") and len(last.word) >= 2 and not (last.flag == "vn" and i > 0 and tokens[i - 1].is_noun
                                                             and not tokens[i - 1].flag.startswith("v"))
        if ends_with_verb:
            verb_start = self._verb_run_start(tokens, i)
            action = "".join(t.word for t in tokens[verb_start:i + 1])
            noun_end = verb_start
            while noun_end > 0 and tokens[noun_end - 1].flag in ("d", "ad"):
                noun_end -= 1  # 事故隐患已整改2312条: the adverb stands between the noun and its verb
            if noun_end < verb_start and not (noun_end > 0 and tokens[noun_end - 1].is_noun and HAN.match(tokens[noun_end - 1].word)):
                noun_end = verb_start  # 每个村(社区)至少配备1名: no noun before the adverb
            object_start = self._noun_run_start(tokens, noun_end - 1)
            before_verb = self._strip_leading("".join(t.word for t in tokens[object_start:noun_end]))
            light = next((j for j in range(verb_start - 1, -1, -1) if tokens[j].word in self.lexicons.light_verbs
                          and all(t.is_noun or t.flag in ("a", "b", "d", "m", "q", "r", "uj") for t in tokens[j + 1:verb_start])), None)
            if q.unit in self.lexicons.person_units:
                # 组织执法人员专题培训797人次: the people are the object, the training the action
                return before_verb, action
            if light is None and (q.unit in EVENT_UNITS or q.kind == "money"):
                # 完成食品安全监督抽检4862批次: the sampling done is what is counted, 完成 the action
                light = next((j for j in range(verb_start - 2, -1, -1) if tokens[j].word in self.lexicons.completion_verbs
                              and all(t.is_noun or t.flag in ("a", "b", "m", "q", "uj") for t in tokens[j + 1:verb_start])), None)
            if light is not None:
                # 组织学习23次, 实施经济处罚89.38万元, 开展专项应急演练27场次
                return self._strip_leading("".join(t.word for t in tokens[light + 1:i + 1])), tokens[light].word
            relative = self._relative_noun_phrase(right) if q.kind == "count" else ""
            if relative:
                return relative, action
            if q.kind == "money":
                if before_verb and (action in self.lexicons.progress_verbs or action in self.lexicons.weak_verbs):
                    return before_verb, action  # 第一产业增加值完成261497万元: the noun names the money
                return action, action  # 投资1300多万: the investment itself
            if q.unit in EVENT_UNITS:
                return action, action  # 研学、交流探讨10多次: the activity is what is counted
            return before_verb, action
        # the number after a noun phrase: 检查企业128家次, 典型案例19起
        object_start = self._noun_run_start(tokens, i)
        while object_start > 0 and tokens[object_start - 1].flag.startswith("v") and len(tokens[object_start - 1].word) == 1 \
                and tokens[object_start - 1].word not in self.lexicons.change_level_markers:
            object_start -= 1  # 无脚本演练, 砂石料: a one-character verb inside the noun phrase (not 增加到)
        obj = self._strip_leading("".join(t.word for t in tokens[object_start:i + 1]))
        action = ""
        if object_start > 0 and tokens[object_start - 1].flag.startswith("v") and tokens[object_start - 1].word not in self.trim_words:
            verb_start = self._verb_run_start(tokens, object_start - 1)
            action = "".join(t.word for t in tokens[verb_start:object_start])
            meeting = self._meeting_held(tokens, verb_start) if q.unit in EVENT_UNITS else None
            if meeting:
                return meeting  # 召开党委会专题研究党建工作12次: the meetings are counted
        else:
            # 累计查扣…: a framing word (累计, 共计) is not the act
            verbs = [t for t in tokens[:object_start] if t.flag.startswith("v") and t.flag != "vn" and t.word not in self.trim_words]
            if verbs:
                action = verbs[0].word
        if action and len(obj) == 1 and obj in self.lexicons.measure_suffixes:
            obj = action + obj  # 抽检量达到5.36批次/千人: the act names the amount (抽检量)
        work_done = action in self.lexicons.completion_verbs and (q.unit in EVENT_UNITS or q.kind == "money")
        if action in self.lexicons.progress_verbs and not work_done and i > object_start \
                and tokens[i].flag in ("v", "vn") and len(tokens[i].word) >= 2:
            # 完成入河排污口排查1,038个, 完成环评审批231个: 完成 only reports progress; the act is the
            # verbal noun closing the noun phrase
            act_start = i
            while act_start - 1 > object_start and tokens[act_start - 1].flag in ("v", "vn") and len(tokens[act_start - 1].word) >= 2:
                act_start -= 1
            action = "".join(t.word for t in tokens[act_start:i + 1])
            obj = self._strip_leading("".join(t.word for t in tokens[object_start:act_start]))
        # 有效处置突发事件12起: a manner word may come first
        # (a two-character adjective: 有效; one character is part of the name: 重污染天数)
        opening = next((k for k, t in enumerate(tokens[:i])
                        if not (t.flag in ("ad", "d") or t.flag == "a" and len(t.word) > 1)), 0)
        head = tokens[opening]
        # a unit of visits (家次, 个次) counts acts on things: 监测广告1089个次 is monitoring, not monitors
        if not action and object_start <= opening < i and head.flag == "vn" and len(head.word) >= 2 \
                and (head.word not in self.lexicons.modifier_verbs or self._counts_visits(q.unit)) and head.word not in self.trim_words \
                and tokens[opening + 1].is_noun and tokens[opening + 1].flag != "vn":
            # 培训企业负责人和安全管理人员2,700余人次, 整治隐患1,870处: a verbal noun opening the
            # clause, before a plain noun, governs the noun phrase after it (not inside a phrase:
            # 现有应急救援队伍32支, where 应急 modifies)
            action, obj = head.word, self._strip_leading("".join(t.word for t in tokens[opening + 1:i + 1]))
        if obj and not action:
            # 处罚金额489余万元, 行政处罚案件29起: the act is named inside the object
            inner = [t for t in tokens[object_start:i + 1] if t.flag == "v" and len(t.word) >= 2]
            if inner:
                action = inner[0].word
        return obj, action

    def _meeting_held(self, tokens: list[Token], verb_start: int) -> Optional[tuple[str, str]]:
        """(meeting, light verb) when the verb run at verb_start follows a meeting that a light verb
        holds (召开党委会专题研究…): the count of times is of the meetings."""
        k = verb_start - 1
        while k >= 0 and tokens[k].is_noun and not tokens[k].is_verb:
            k -= 1
        meeting = "".join(t.word for t in tokens[k + 1:verb_start])
        if k >= 0 and k + 1 < verb_start and tokens[k].word in self.lexicons.light_verbs and meeting.endswith(("会", "会议")):
            return meeting, tokens[k].word
        return None

    def _verb_run_start(self, tokens: list[Token], i: int) -> int:
        """Where the verb group ending at token i starts (走访慰问, 未整改, 研学、交流探讨); a light
        verb (开展, 组织) is not part of it: it governs the group instead."""
        start = i
        j = i - 1
        while j >= 0:
            token = tokens[j]
            if token.is_verb and token.word not in self.lexicons.light_verbs and token.word not in self.trim_words:
                start = j  # 累计处罚, 共计出警: the framing word is not part of the act
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

    def _noun_run_start(self, tokens: list[Token], i: int) -> int:
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
            elif token.flag.startswith("v") and start == j + 1 and j > 0 and tokens[j - 1].word in JOINERS:
                start = j  # 工作指令、指导措施、意见建议: 指导 is part of a listed noun
            elif (token.flag.startswith("v") and start == j + 1 and j < i
                  and (j == 0 or tokens[j - 1].is_noun or tokens[j - 1].is_verb) and token.word in self.lexicons.modifier_verbs):
                # 特种设备使用单位, 抽查在建工程, 疏散遇险人员: a verb that only describes the noun
                # after it belongs to the noun phrase, whether a noun or the governing verb precedes
                start = j
                if j > 0 and tokens[j - 1].is_verb and tokens[j - 1].word not in self.lexicons.modifier_verbs:
                    break  # 救助受灾群众: the (verbal) word before it governs the phrase
            elif token.flag.startswith("v") and start == j + 1 and j < i and tokens[j + 1].word in self.lexicons.money_heads:
                start = j  # 处罚金额, 出资总额: the act names the money
            elif token.word in NEGATION_PREFIXES and start == j + 1 and j < i:
                start = j  # 不合格样品, 不正当竞争行为: the negation is part of the name
            elif token.word in JOINERS and j > 0 and tokens[j - 1].is_noun and start == j + 1:
                start = j
            elif token.flag in ("a", "b", "ag") and start == j + 1 and j < i:
                start = j
            elif token.word in CLASS_WORDS and start == j + 1 and j < i and j > 0 and tokens[j - 1].is_noun:
                start = j  # 医疗保健类价格, 小(一)型水库: a class word inside a name
            else:
                break
            j -= 1
        return start

    # ---- period -------------------------------------------------------------------
    def _period(self, text: str, position: int, doc_year: Optional[int]) -> Optional[str]:
        """The period a figure refers to: a period phrase in its own sentence (the one nearest the
        number), else in the opening sentence of its paragraph (今年以来, ... at its head)."""
        sentence_start, _ = self._sentence_bounds(text, position)
        found = self._nearest_period(text[sentence_start:position])
        if found is None:
            paragraph_start = text.rfind("\n", 0, position) + 1
            if paragraph_start < sentence_start:
                _, first_end = self._sentence_bounds(text, paragraph_start)
                found = self._nearest_period(text[paragraph_start:min(first_end, sentence_start)])
        if found is None:
            return None
        match, template = found
        groups = match.groupdict()
        written = groups.get("y")
        report_year = str(doc_year) if doc_year else None
        if "{year" in template and report_year is None or "{y}" in template and written is None:
            return match.group(0)
        result = template
        if report_year:
            result = result.replace("{year-1}", str(int(report_year) - 1)).replace("{year}", report_year)
        if written:
            result = result.replace("{y}", written)
        if "{m}" in result and groups.get("m"):
            month = groups["m"]
            if not month.isdigit():
                from .numbers import parse_numeral
                month = str(parse_numeral(month))
            result = result.replace("{m}", month.zfill(2))
        if "{q}" in result and groups.get("q"):
            result = result.replace("{q}", str("一二三四".index(groups["q"]) + 1) if groups["q"] in "一二三四" else groups["q"])
        return result

    def _nearest_period(self, window: str):
        if self.any_period is None or not self.any_period.search(window):
            return None
        best = None
        for pattern, template in self.lexicons.periods:
            for match in pattern.finditer(window):
                # the period nearest the number wins; at equal place, the longer (more specific) one
                key = (match.end(), match.end() - match.start())
                if best is None or key > best[2]:
                    best = (match, template, key)
        return None if best is None else best[:2]
