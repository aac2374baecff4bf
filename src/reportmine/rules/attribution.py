"""Attribution: what each figure counts (object), the act that produced it (action), and whether
it is a change, a part of a total, and of which period — as a table of named rules.

Each rule is a small function with an example, declaring the fields it may set. The table is
ordered in stages: a rule reads the figure as the stages before its own left it, so a later stage
may override an earlier one's decision (a change verb replaces the act read before it), and only
for the fields it declares. Within a stage the rules never read each other's output; where two of
them decide one field, the higher declared priority wins, whatever order they are listed in.
Every decision records its rule and the span it was read from (`Figure.evidence`), so a wrong
field names the rule to fix; tests/cases/attribution.jsonl holds each rule's examples, positive
and negative.

Everything a rule needs about a figure's surroundings (its clause, sentence, the words either
side, the figure before it) is computed once, in `Site`; per-document state is the `DocumentState`
value passed along, never the extractor's, so extraction is re-entrant.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable, Optional

import regex

from ..extraction import Figure
from ..numbers import Quantity
from ..segment import Token
from .grammar import (BRACKETED, CLAUSE_PUNCTUATION, CLOSING_BRACKET_CHARS, CLOSING_BRACKETS, EARLIER_VERB_REACH, HAN, LIST_COMMAS,
                      QUOTES, SENTENCE_REACH, Grammar, TextIndex, ends_with_verb, outside_titles, without_trailing)


@dataclass
class DocumentState:
    """What the rules read about one document: its text, its index, its kept quantities."""

    text: str
    index: TextIndex
    quantities: list  # the kept Quantity list, in text order
    doc_year: Optional[int]
    periods: object  # period.Periods
    speaking_year: Optional[int] = None  # the year the page's 今年 and 去年 count from, if not doc_year
    figures: list = field(default_factory=list)  # Figure, attributed so far
    clauses: dict = field(default_factory=dict)  # (start, end) -> the clause's words and where each ends
    # (sentence start, unit) -> the sentence's last figure so far in that unit that is no rate nor a
    # part: the total a part looks back to, kept as figures come instead of searched for each part
    last_whole: dict = field(default_factory=dict)

    def add(self, figure: Figure) -> None:
        """A figure attributed: the next ones read it as the figure before them."""
        self.figures.append(figure)
        if figure.kind != "rate" and not figure.breakdown:
            self.last_whole[(figure.sentence_start, figure.unit)] = figure

    def _clause_words(self, g: Grammar, start: int, end: int) -> tuple[list, list]:
        found = self.clauses.get((start, end))
        if found is None:
            words = [Token(t.word, t.flag, start + t.start, start + t.end) for t in g.segmenter.tag(self.text[start:end])]
            found = self.clauses[(start, end)] = (words, [t.end for t in words])
        return found

    def words_between(self, g: Grammar, start: int, end: int, lo: int, hi: int, cuts) -> list[Token]:
        """The words of the clause [start, end) that reach into [lo, hi), split at the cuts; offsets
        are the text's. The clause is segmented once however many figures it holds."""
        words, ends = self._clause_words(g, start, end)
        first = bisect_right(ends, lo)
        last = first
        while last < len(words) and words[last].start < hi:
            last += 1
        return g.segmenter.split_at(words[first:last], cuts)

    def words_before(self, g: Grammar, lo: int, hi: int) -> list[Token]:
        """The words of the clauses in [lo, hi), each clause segmented once, with the break after
        each clause as a word of its own; a word the bound lo cuts is left out."""
        found, position = [], hi
        while position > lo:
            end = position - 1  # the break that closes the clause before position
            start = self.index.clause_start(end)
            words, _ = self._clause_words(g, start, end)
            found.append([Token(self.text[end], "x", end, end + 1)])
            found.append(words if start >= lo else [w for w in words if w.start >= lo])  # (only the farthest is cut)
            position = start
        return [word for part in reversed(found) for word in part]

    def word_length_at(self, g: Grammar, start: int, end: int, position: int, read: list) -> int:
        """The length of the word that holds position in the clause [start, end): among the words
        read (split at the figure), else the clause's own."""
        for word in read:
            if word.start <= position < word.end:
                return len(word.word)
        words, ends = self._clause_words(g, start, end)
        at = bisect_right(ends, position)
        return len(words[at].word) if at < len(words) and words[at].start <= position else 0


class read_once:
    """A Site fact computed on first read and kept in the instance (functools.cached_property
    without its lock: Python 3.11 takes one on every first read, a cost paid several times per
    figure, and a Site is never shared between threads)."""

    def __init__(self, compute: Callable):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, site, owner=None):
        if site is None:
            return self
        value = site.__dict__[self.name] = self.compute(site)
        return value


class Site:
    """A figure's surroundings, computed once: its clause and sentence, the words left and right of
    it up to its neighbours, those words segmented and tagged, and the figure before it."""

    def __init__(self, g: Grammar, state: DocumentState, position: int):
        text, index, quantities = state.text, state.index, state.quantities
        q: Quantity = quantities[position]
        self.g, self.state, self.text, self.q, self.position = g, state, text, q, position
        self.clause_start, self.clause_end = index.clause_start(q.start), index.clause_end(q.end)
        # what the rules slice and scan of the clause: at most CLAUSE_REACH either side of the figure
        self.window_start, self.window_end = index.clause_window(q.start, q.end)
        self.sentence_start, self.sentence_end = index.sentence_bounds(q.start)
        self.reading_start = max(self.sentence_start, q.start - SENTENCE_REACH)  # how far back the sentence is read
        previous_q = quantities[position - 1] if position > 0 else None
        next_q = quantities[position + 1] if position + 1 < len(quantities) else None
        self.left_start = previous_q.end if previous_q is not None and previous_q.end > self.clause_start else self.clause_start
        self.right_end = next_q.start if next_q is not None and next_q.start < self.clause_end else self.clause_end
        self.next_q_in_clause = next_q if next_q is not None and next_q.start < self.clause_end else None
        self.left = text[self.left_start:q.start]
        self.right = text[q.end:self.right_end]
        self.previous: Optional[Figure] = state.figures[-1] if state.figures else None
        self.same_sentence = self.previous is not None and self.previous.sentence_start == self.sentence_start
        self.same_clause = self.same_sentence and previous_q is not None and previous_q.end > self.clause_start
        self.direction, self.change_verb = g.change(self.left)
        # a rate, and a change, keep the count noun that ends their subject's name (死亡人数同比下降12%,
        # 死亡人数增加5人: the change of a count is named by the count)
        keep = g.count_names if q.kind == "rate" or self.change_verb else frozenset()
        core_left = g.strip_trailing(self.left, keep)
        if self.change_verb:
            core_left = g.strip_trailing(core_left[: core_left.rfind(self.change_verb)] if self.change_verb in core_left
                                         else core_left, keep)
            core_left = g.strip_trailing(g.without_comparator(core_left), keep)
        self.core_left = core_left
        # the clause is segmented once (every word tagged in its context) and read here between the
        # figure's neighbours, its words split at the number (and before a change verb: 价格上涨1.1%
        # is one word to jieba, 价格 | 上涨 here)
        cuts = (q.start, q.end) + ((self.left_start + len(core_left),) if self.change_verb else ())
        self.clause_tokens = state.words_between(g, self.clause_start, self.clause_end, self.left_start, self.right_end, cuts)
        left_end = self.left_start + len(core_left)
        self.tokens = outside_titles([Token(t.word, t.flag, t.start - self.left_start, t.end - self.left_start)
                                      for t in self.clause_tokens if t.start >= self.left_start and t.end <= left_end])
        self.right_tokens = [Token(t.word, t.flag, t.start - q.end, t.end - q.end) for t in self.clause_tokens
                             if t.start >= q.end and t.end <= self.right_end]
        self.rest_of_clause = text[q.end:self.window_end]
        # every word before the number in its clause (core_left drops trim words such as 对); their
        # offsets are the text's
        self.whole_left = [t for t in self.clause_tokens if t.start >= self.left_start and t.end <= q.start]

    # ---- facts several rules read, each computed on first use --------------------------
    @read_once
    def before_in_sentence(self) -> str:
        return self.text[self.reading_start:self.q.start]

    @read_once
    def stock_word(self) -> str:
        start = self.window_start
        if not self.state.index.holds_any(self.g.lexicons.existence_verbs, start, self.q.start):
            return ""  # (most windows hold no existence word: looked up, not searched for each)
        return self.g.stock_word(self.text[start:self.q.start],
                                 lambda at: self.state.word_length_at(self.g, self.clause_start, self.clause_end, start + at,
                                                                      self.clause_tokens))

    @read_once
    def right_noun_phrase(self) -> str:
        """19个[乡镇]; 307支共计3500余人的[应急救援小分队] (both numbers count the noun after the second)."""
        g, q = self.g, self.q
        found = g.right_noun_phrase(self.right, self.right_tokens, q, ends_with_verb=ends_with_verb(self.tokens))
        if not found and self.next_q_in_clause is not None \
                and g.strip_leading(self.right.strip()) in g.lexicons.object_trim + ("",):
            after_next = self.text[self.next_q_in_clause.end:self.window_end]
            found = g.right_noun_phrase(after_next, None, q, ends_with_verb=ends_with_verb(self.tokens))
        quoted = QUOTED_NAME.match(self.right) if not found else None
        if quoted:
            # 公布64家“黑名单”企业, 投放3台"银证通智能服务一体机": a quoted name after the measure word
            # is (with the nouns after it) the thing it counts, named without its quotes
            after = self.right[quoted.end():]
            head = g.right_noun_phrase(after, None, q) if after[:1] and HAN.match(after[:1]) else ""
            found = quoted["name"] + head
        return found

    @read_once
    def governed(self) -> tuple[str, str]:
        """(noun phrase, verb) inside a phrase opened by 对/为/向: 对12家危化企业进行了安全检查."""
        if not after_preposition(self.whole_left, self.g.words.governing_prepositions):
            return "", ""
        noun = self.right_noun_phrase or self.g.relative_noun_phrase(self.right)
        if not noun:
            return "", ""
        rest = self.rest_of_clause
        # the phrase may list many figures before its verb (对956家…、73家…等重点企业开展检查)
        return noun, self.g.content_verb(rest[rest.find(noun) + len(noun):], reach=120)

    @read_once
    def casualty_to_events(self) -> bool:
        """死亡 does not pass to the events after the dead (事故13起、死亡14人(其中建筑事故10起…))."""
        return self.same_sentence and self.previous.action in self.g.lexicons.casualty_acts \
            and self.q.unit not in self.g.lexicons.person_units

    # ---- evidence spans ----------------------------------------------------------------
    def span(self, value: str, lo: Optional[int] = None, hi: Optional[int] = None) -> tuple[int, int]:
        """Where value was read: its occurrence nearest before the figure in [lo, figure), else the
        first after it up to hi (default: the figure's sentence); the figure itself when value is
        empty or not written as such (a name composed by a rule)."""
        q = self.q
        if not value:
            return q.start, q.end
        lo = self.sentence_start if lo is None else lo
        hi = self.sentence_end if hi is None else hi
        found = self.text.rfind(value, max(lo, q.start - SENTENCE_REACH), q.start)
        if found >= 0:
            return found, found + len(value)
        found = self.text.find(value, q.end, min(hi, q.end + SENTENCE_REACH))
        if found >= 0:
            return found, found + len(value)
        return q.start, q.end


# ---- the rule table -------------------------------------------------------------------------
Proposal = dict  # field -> (value, span) or (value, span, rule name of a branch)


@dataclass(frozen=True)
class Rule:
    name: str
    fields: tuple
    apply: Callable  # (Site, Figure) -> Optional[Proposal]
    priority: int = 0

    @property
    def example(self) -> str:
        return (self.apply.__doc__ or "").strip().splitlines()[0]


@dataclass(frozen=True)
class Stage:
    name: str
    rules: tuple
    # a stage that reads the figure only under a condition of its site (stocks end early); None:
    # every figure
    when: Optional[Callable] = None


def attribute(g: Grammar, state: DocumentState, position: int, stages) -> Figure:
    """One figure, through every stage of the table."""
    site = Site(g, state, position)
    q = site.q
    figure = Figure(start=q.start, end=q.end, value=q.value, value_max=q.value_max, unit=q.unit, kind=q.kind,
                    qualifier=q.qualifier, sentence_start=site.sentence_start, sentence_end=site.sentence_end)
    figure.context = state.text[site.window_start:q.start]
    for stage in stages:
        if stage.when is not None and not stage.when(site, figure):
            continue
        proposals = []
        for rule in stage.rules:
            proposal = rule.apply(site, figure)
            if proposal:
                proposals.append((rule, proposal))
        if len(proposals) > 1:
            # lower priority first, so that the higher one's decision is the one that stays
            proposals.sort(key=lambda item: item[0].priority)
        for rule, proposal in proposals:
            for name, decision in proposal.items():
                if name not in rule.fields:
                    raise AssertionError(f"rule {rule.name} set {name}, which it does not declare")
                figure.decide(name, decision[0], decision[2] if len(decision) > 2 else rule.name, decision[1])
    if not figure.object and not site.stock_word:
        figure.confidence = 0.6
    if q.bare_magnitude_money and not site.stock_word:
        figure.confidence = min(figure.confidence, 0.7)
    return figure


# ---- stage: frame ---------------------------------------------------------------------------
def breakdown_after_marker(site: Site, figure: Figure):
    """排查隐患242项，其中重大隐患12项、一般隐患230项: after a marker that follows a figure, the rest
    of the sentence gives parts of it (12 and 230 are breakdowns)."""
    if not site.same_sentence:
        return None
    previous = site.previous
    markers = site.g.lexicons.breakdown_markers
    between = site.text[previous.end:site.q.start]
    if previous.breakdown and not any(close in between for close in CLOSING_BRACKETS):
        # the parts go on to the sentence's end, or to the bracket that holds them (（含…6起6人）)
        return {"scope": (True, (previous.start, previous.end), "breakdown-goes-on")}
    marker = next((m for m in markers if m in between), None)
    if marker is None:
        return None
    at = previous.end + between.find(marker)
    return {"scope": (True, (at, at + len(marker)))}


def change_word(site: Site, figure: Figure):
    """同比下降19.01% -> down; 增加50个编制 -> up: the change word right before the figure."""
    if site.direction is None:
        return None
    return {"change": (site.direction, site.span(site.change_verb, site.left_start))}


def period_phrase(site: Site, figure: Figure):
    """今年以来…检查企业128家次 -> the report's year: the period phrase nearest the figure."""
    found = site.state.periods.find(site.text, site.state.index, site.q.start, site.state.doc_year, site.state.speaking_year)
    return {"period": found} if found else None


# ---- stage: name ----------------------------------------------------------------------------
def share_of_whole(site: Site, figure: Figure):
    """住宅火灾84起，占火灾总数的38.5% -> (住宅火灾占比, 占); 投诉占举报量的14% -> (投诉占比, 占)."""
    g, q = site.g, site.q
    if q.kind != "rate" or site.change_verb:
        return None
    share = g.patterns["share"].search(site.left)
    if not share:
        return None
    name = g.noun_phrase_ending_at(site.core_left, site.tokens, share.start()).strip("".join(g.words.listed_number_joiners))
    rule = "share-of-whole"
    if not name and site.same_sentence and site.previous.kind != "rate":
        name = site.previous.object or site.previous.action  # 举报3618件，占27%: the act counted
        rule = "share-of-figure-before"
    # 占GDP的比重为54.9%: a proportion of the whole is a structure, no act
    verb = "" if g.words.share_ratio_noun in share.group() else g.words.share_verb
    obj = name + g.words.share_suffix if name else ""
    # (税收收入…，同比增长9.8%，占一般预算收入的70%: the subject of the rate before, lent later by
    # object-of-figure-before, is the share's own; a rate before that is itself a share lends none)
    lent = site.same_sentence and site.previous.kind == "rate" and site.previous.object \
        and g.words.share_verb not in site.previous.object
    named = _share_named_by_its_base(g, share, unnamed=not name and not lent)
    if named:
        # 非公有制经济…占GDP的比重为54.9% -> 非公有制经济占GDP比重; after the figure before, whose
        # subject the clause leaves out (建设项目1005套，占目标任务的80.4%), the name is the clause's own
        obj = (name if rule == "share-of-whole" else "") + named
    elif rule == "share-of-figure-before" and not share["base"] and _acted_on_the_total(site.previous):
        # 企业490家，已落实388家，占79.2%: the share of the total that the act reached, named by the act
        obj = site.previous.action + g.words.share_plan_noun
    if verb and site.same_sentence and site.previous.action in g.lexicons.completion_verbs and _base_is_a_plan(g, share):
        # 完成投资519亿元，占年度目标的61%: a share of a plan is how much of it the figure before completed
        acted = site.previous.evidence.get("action")
        span = (acted.start, acted.end) if acted else (site.previous.start, site.previous.end)
        return {"object": (obj, site.span(name), rule), "action": (site.previous.action, span, "share-of-whole/plan-completed")}
    return {"object": (obj, site.span(name), rule), "action": (verb, site.span(verb, site.left_start), rule)}


def _base_is_a_plan(g: Grammar, share) -> bool:
    """占年计划的, 占年度目标的, 占任务数的: the base is a plan (grammar.yaml share_plan_bases)."""
    base = BRACKETED.sub("", share["base"] or "").strip()
    counted = next((base[:-len(word)] for word in g.words.share_plan_counts if base.endswith(word)), base)
    return bool(base) and counted.endswith(tuple(g.words.share_plan_bases))


QUOTED_NAME = regex.compile(r"\s*[“\"「‘](?P<name>\p{Han}[^“”\"「」‘’，,。；;]{0,19})[”\"」’]")
POINTS_UNIT = "个百分点"  # the canonical unit of percentage points (GUIDELINES.md)


def _acted_on_the_total(previous: Figure) -> bool:
    """Whether a count names no thing of its own, only an act on what the count before it counts
    (企业490家，已落实388家: its object is lent by the figure before)."""
    evidence = previous.evidence.get("object")
    return previous.kind == "count" and bool(previous.action) and evidence is not None \
        and evidence.in_family("object-of-figure-before")


def _share_named_by_its_base(g: Grammar, share, unnamed: bool) -> str:
    """占GDP的比重 -> 占GDP比重; 占年度任务的 -> 占年度任务比例: the name of a share whose base is
    written with its ratio noun, or is a plan (grammar.yaml share_plan_bases: what the base ends
    with, so 一般预算收入 is no plan); a base that is a plain whole names the share only when nothing
    else does (占一般预算收入的70% -> 占一般预算收入比重; 住宅火灾…占火灾总数的 keeps 住宅火灾占比)."""
    base = BRACKETED.sub("", share["base"] or "").strip()
    if not base:
        return ""
    if share["ratio"]:
        return g.words.share_verb + base + share["ratio"]
    counted = next((base[:-len(word)] for word in g.words.share_plan_counts if base.endswith(word)), base)
    if counted.endswith(tuple(g.words.share_plan_bases)):
        return g.words.share_verb + base + g.words.share_plan_noun
    return g.words.share_verb + base + g.words.share_ratio_noun if unnamed else ""


def rate_name(site: Site, figure: Figure):
    """整改率95.6% -> (整改率, 整改); 保持80%在岗备勤 -> (在岗备勤, 保持); 100%“一窗”受理 -> (一窗受理, 受理)."""
    g, q = site.g, site.q
    if q.kind != "rate" or (not site.change_verb and g.patterns["share"].search(site.left)):
        return None
    core_left, tokens, right = site.core_left, site.tokens, site.right
    for suffix in g.rate_suffixes:
        position = core_left.rfind(suffix)
        if position >= 0 and position + len(suffix) >= len(core_left) - 4:
            end = position + len(suffix)
            # (贫困县自来水普及率达99%以上、供水保证率达95%: the list's comma is no part of the name)
            phrase = g.noun_phrase_ending_at(core_left, tokens, end).lstrip("、" + "".join(LIST_COMMAS))
            if not phrase:
                # 综合救援（抢险、救助）占比: the suffix is a word of its own after the name
                name = g.noun_phrase_ending_at(core_left, tokens, position)
                phrase = name + suffix if name else core_left[max(0, position - 4):end]
            action = g.rate_action(phrase)
            return {"object": (phrase, site.span(phrase), "rate-name"), "action": (action, site.span(action), "rate-name")}
    after = QUOTES.sub("", right).strip()
    after = CLAUSE_PUNCTUATION.split(after)[0] if after else after
    after = _first_item(after)[:8]
    if after and HAN.match(after) and not g.patterns["point_opener"].match(after):
        # (同比增长2.79%二是水路运输…: the next point of an enumeration names nothing of this rate)
        after_tokens = g.segmenter.tag(after)
        verbs = [t.word for t in after_tokens if t.flag.startswith("v")]
        action = verbs[-1] if verbs else g.last_verb_run(tokens)
        return {"object": (after, site.span(after), "rate-words-after"), "action": (action, site.span(action), "rate-words-after")}
    # 审批时限平均压缩40%: the adverb before the change verb is no part of the subject
    subject_tokens = without_trailing(tokens, ("d", "ad", "a"))
    object_start = g.noun_run_start(subject_tokens, len(subject_tokens) - 1) if subject_tokens else 0
    if object_start == len(subject_tokens) > 1 and subject_tokens[-1].is_verb and subject_tokens[-2].is_noun \
            and not subject_tokens[-2].is_verb and subject_tokens[-1].word not in g.change_verbs \
            and len(subject_tokens[-1].word) > 1:  # 同比增0.38%: a one-character change word is no name
        # 全县固定资产投资增长64.7%: a verbal noun after nouns names what grew, though tagged a verb
        object_start = g.noun_run_start(subject_tokens, len(subject_tokens) - 2)
    subject = g.strip_leading("".join(t.word for t in subject_tokens[object_start:])) if subject_tokens else ""
    obj, action = g.without_scope(subject), g.last_verb_run(tokens)
    return {"object": (obj, site.span(obj), "rate-subject"), "action": (action, site.span(action), "rate-subject")}


def _first_item(text: str) -> str:
    """The words before the first 、 (rates read the words after them up to the first item)."""
    return text.split("、")[0]


def governed_phrase(site: Site, figure: Figure):
    """对12家危化企业进行了安全检查 -> (危化企业, 检查); 对55家…不到位的经营户下达整改通知 -> (经营户, 下达):
    inside a phrase opened by 对/为/向, the figure counts the noun after it and the verb after that acts."""
    if site.q.kind == "rate":
        return None
    noun, verb = site.governed
    if not verb:
        return None
    return {"object": (noun, site.span(noun)), "action": (verb, site.span(verb))}


# 对 … 的 right before a figure: the figure's things, described by a clause, are what is acted on
# (对 as a preposition: not in 面对, 相对, 核对, which segmentation tells apart)
RELATIVE_AFTER_DUI = regex.compile(r"对[^，,。；;：:]{1,30}?的\s*$")


def measure_word_noun(site: Site, figure: Figure):
    """19个乡镇 -> 乡镇; 5支社会应急救援队伍 -> 社会应急救援队伍: a measure word followed by a noun counts
    that noun; the verb before the figure acts (or, after a progress verb, the verb after the noun)."""
    g = site.g
    if site.q.kind == "rate" or site.governed[1]:
        return None
    noun = site.right_noun_phrase
    if not noun:
        return None
    noun, after_np = _words_after_the_noun(site, noun)
    left_verb = g.last_verb_run(site.tokens)
    rule = "measure-word-noun"
    described = RELATIVE_AFTER_DUI.search(site.left)
    if described and not any(t.word == "对" and t.flag == "p" for t in site.tokens):
        described = None
    if left_verb and described and not any(verb in described.group(0) for verb in g.lexicons.finding_verbs):
        # (对排查出的115处隐患进行集中整治: what the finding found is counted by the finding)
        # 对履职不力的2个单位进行通报批评: the verb before the figure describes the units (a clause
        # ending in 的 after 对); what is done to them comes after their name
        acted = g.content_verb(after_np)
        if acted:
            return {"object": (noun, site.span(noun)),
                    "action": (acted, site.span(acted, site.q.end), "measure-word-noun/act-after-described")}
    if left_verb and not described and site.next_q_in_clause is None and site.left.rstrip().endswith("的") \
            and not any(verb in site.left for verb in g.lexicons.finding_verbs):
        # 计划改造的72个老旧小区已全部开工: a verb before 的 describes the things counted; the act
        # that the clause reports on them comes after their name (排查出的9项隐患已整改 keeps the
        # finding, as the 对 clause above does)
        acted = g.content_verb(after_np)
        if acted:
            return {"object": (noun, site.span(noun)),
                    "action": (acted, site.span(acted, site.q.end), "measure-word-noun/act-after-relative")}
    if not left_verb and site.same_clause and site.previous.action \
            and not g.patterns["whole_before_part"].search(site.text[site.previous.end:site.q.start]):
        # (not from a whole to its part: 56个监测断面中有49个断面达标, the part has its own verb)
        left_verb = site.previous.action  # 21处汛灾隐患、52处森林火灾隐患: one verb for the list
        rule = "measure-word-noun/verb-of-list"
    if left_verb in g.lexicons.progress_verbs or left_verb in g.lexicons.leading_verbs or not left_verb:
        # 完成了370HMz无线窄带通讯网建设, 推动19个乡镇...清理: the content verb after the noun
        # 完成83个行政村生活污水治理: the act closes the noun phrase itself
        # 培训500余名干部: a verbal noun right before the figure acts on the noun after it
        tokens = site.tokens
        verbal_noun = tokens[-1].word if tokens and tokens[-1].flag == "vn" and len(tokens[-1].word) >= 2 else ""
        action = g.content_verb(after_np) or g.trailing_act(noun) or left_verb or verbal_noun
        rule = "measure-word-noun/verb-after-noun"
    else:
        action = left_verb
    return {"object": (noun, site.span(noun)), "action": (action, site.span(action), rule)}


def _words_after_the_noun(site: Site, noun: str) -> tuple[str, str]:
    """(the noun a figure counts, the words after it where its act may be read): the clause after
    the noun, but not the act of a figure that follows (a part of this whole, or a measure)."""
    g, rest = site.g, site.rest_of_clause
    noun_end = rest.find(noun) + len(noun)
    next_q = site.next_q_in_clause
    if next_q is None:
        return noun, rest[noun_end:]
    to_next = next_q.start - site.q.end
    # 56个监测断面中有49个断面达到…: after 中(有) the next figure is a part of this one's whole,
    # and the verb after the part is the part's act (a list, 14个市州、73个县受灾, shares its verb)
    part = g.patterns["whole_before_part"].search(rest[:to_next])
    if part and "、" not in rest[:to_next]:
        noun_start = noun_end - len(noun)
        return (rest[noun_start:part.start()] if noun_start < part.start() < noun_end else noun), ""
    between = rest[noun_end:to_next] if to_next >= noun_end else ""
    if next_q.kind != "count" and not g.patterns["framing_tail"].fullmatch(between):
        # 4个市县PM2.5浓度达到10微克: the verb after a measure (or money, or a rate) is that
        # figure's, and so is a framing verb right before it (object_trim: 达到, 为); the verbs
        # before those act on the things counted (为268户、955名群众发放保障金81.95万元). Not after a
        # total's framing word: 19个乡镇共计670公里电力廊道清理 counts one thing twice
        return noun, g.strip_trailing(between)
    return noun, rest[noun_end:]


def words_before_figure(site: Site, figure: Figure):
    """检查企业128家次 -> (企业, 检查); 组织学习23次 -> (学习, 组织); 处罚金额489余万元 -> (处罚金额, 处罚):
    the words before the number name what it counts and the act."""
    if site.q.kind == "rate" or site.governed[1] or site.right_noun_phrase:
        return None
    obj, action, branch = read_words_before(site.g, site.tokens, site.q, site.core_left, site.right)
    rule = f"words-before-figure/{branch}"
    return {"object": (obj, site.span(obj), rule), "action": (action, site.span(action), rule)}


def _a_time_at_most(g: Grammar, tokens: list[Token]) -> bool:
    """上年的, 原来的, 2019年底的: the words between 由/从 and the value it changes from name a time
    or nothing (Grammar.since_time, as level-after-change reads it)."""
    return bool(g.since_time.fullmatch("".join(t.word for t in tokens)))


def read_words_before(g: Grammar, tokens: list[Token], q, core_left: str, right: str) -> tuple[str, str, str]:
    """(object, action, branch) from the words before the number; q needs kind and unit (a figure
    in a table cell is read the same way under its column header)."""
    lexicons, words = g.lexicons, g.words
    event_units = words.event_units
    # 粉尘涉爆企业全部12家: an adverb before the number is no part of the object
    tokens = without_trailing(tokens, ("d", "ad"))
    since = next((k for k in range(len(tokens) - 1, -1, -1) if tokens[k].word in words.since_prepositions and tokens[k].flag == "p"
                  and _a_time_at_most(g, tokens[k + 1:])), None)
    if since:
        # 人数由原来的380人增加到1160人, 未通公路自然村从140个下降到128个: the figure is a value of
        # the subject before 由/从 (the second figure, with no noun of its own, borrows it)
        return g.strip_leading("".join(t.word for t in tokens[g.noun_run_start(tokens, since - 1):since])), "", "value-since"
    if not tokens:
        return g.relative_noun_phrase(right), "", "relative-clause"
    i = len(tokens) - 1
    last = tokens[i]
    if last.flag == "vn" and q.kind == "count" and q.unit not in lexicons.person_units:
        # 受理投诉80件, 发生重污染395天次: a verbal noun after the verb (and its modifiers) is what
        # is counted, and the verb the act
        k = i - 1
        while k >= 0 and tokens[k].flag in ("a", "b"):
            k -= 1
        if k >= 0 and tokens[k].flag == "v" and tokens[k].word not in g.trim_words \
                and tokens[k].word not in lexicons.progress_verbs \
                and not any(t.word in lexicons.light_verbs for t in tokens[:k + 1]):
            verb_start = g.verb_run_start(tokens, k)
            return "".join(t.word for t in tokens[k + 1:i + 1]), "".join(t.word for t in tokens[verb_start:k + 1]), \
                "verbal-noun-counted"
    verb_last = last.flag.startswith("v") and len(last.word) >= 2 and not (
        last.flag == "vn" and i > 0 and tokens[i - 1].is_noun and not tokens[i - 1].flag.startswith("v"))
    if verb_last:
        verb_start = g.verb_run_start(tokens, i)
        action = "".join(t.word for t in tokens[verb_start:i + 1])
        noun_end = verb_start
        people = q.unit in lexicons.person_units
        while noun_end > 0 and (tokens[noun_end - 1].flag in ("d", "ad") or tokens[noun_end - 1].word in g.trim_words
                                or tokens[noun_end - 1].word in lexicons.adverbial_nouns  # 已基本建成: 基本 acts as an adverb
                                or people and tokens[noun_end - 1].word in lexicons.progress_verbs):
            # (失业人员实现再就业51.9万人: a verb of progress only reports the act the people did)
            # 事故隐患已整改2312条: the adverb stands between the noun and its verb, and so does a
            # word of lexicon object_trim (framing words such as 累计: 财政总收入累计完成452964万元,
            # 商品房累计销售109.8万平方米)
            noun_end -= 1
        if noun_end < verb_start and not (noun_end > 0 and tokens[noun_end - 1].is_noun and HAN.match(tokens[noun_end - 1].word)):
            noun_end = verb_start  # 每个村(社区)至少配备1名: no noun before the adverb
        object_start = g.noun_run_start(tokens, noun_end - 1)
        before_verb = g.strip_leading("".join(t.word for t in tokens[object_start:noun_end]))
        light = next((j for j in range(verb_start - 1, -1, -1) if tokens[j].word in lexicons.light_verbs
                      and all(t.is_noun or t.flag in ("a", "b", "d", "m", "q", "r", "uj") for t in tokens[j + 1:verb_start])), None)
        if q.unit in lexicons.person_units:
            # 组织执法人员专题培训797人次: the people are the object, the training the action
            return before_verb, action, "people-then-act"
        if light is None and (q.unit in event_units or q.kind == "money"):
            # 完成食品安全监督抽检4862批次: the sampling done is what is counted, 完成 the action
            light = next((j for j in range(verb_start - 2, -1, -1) if tokens[j].word in lexicons.completion_verbs
                          and all(t.is_noun or t.flag in ("a", "b", "m", "q", "uj") for t in tokens[j + 1:verb_start])), None)
        if light is not None:
            # 组织学习23次, 实施经济处罚89.38万元, 开展专项应急演练27场次
            return g.strip_leading("".join(t.word for t in tokens[light + 1:i + 1])), tokens[light].word, "light-verb"
        outer = next((j for j in range(verb_start - 2, -1, -1) if not (tokens[j].is_noun and not tokens[j].is_verb
                                                                        or tokens[j].flag in ("a", "b", "m", "q", "uj"))), None)
        if q.kind != "money" and outer is not None and tokens[outer].flag.startswith("v") and tokens[outer].flag != "vn" \
                and tokens[outer].word not in g.trim_words and tokens[outer].word not in g.change_verbs \
                and tokens[outer].word not in lexicons.modifier_verbs and tokens[outer].word not in lexicons.progress_verbs \
                and tokens[verb_start - 1].is_noun and not (outer > 0 and tokens[outer - 1].is_noun and not tokens[outer - 1].is_verb
                                                            and tokens[outer - 1].word not in lexicons.scope_words):
            # (after a noun the verb closes a name, 棚户区改造基本建成9408套: no verb governing one)
            # 开工棚户区住房改造5400套, 受理基础测绘成果使用许可申请51宗: a verb before a noun and the act
            # done on it governs the two as one thing (what is counted), and is the act (not a verb of
            # progress or urging: 完成危旧桥梁改造, 督促一般问题整改, where the act closes the phrase)
            return g.strip_leading("".join(t.word for t in tokens[outer + 1:i + 1])), tokens[outer].word, "verb-governs-act-name"
        relative = g.relative_noun_phrase(right) if q.kind == "count" else ""
        if relative:
            return relative, action, "relative-clause-after-verb"
        if q.kind == "money":
            run = tokens[verb_start:i + 1]
            progress = next((k for k, t in enumerate(run) if t.word in lexicons.progress_verbs), None)
            if progress is not None and (before_verb or progress > 0 or progress + 1 < len(run)):
                # 公路建设完成投资53.5亿元 -> (公路建设投资, 完成): the money is named by what comes before
                # the progress verb and the act after it (已完成投资2.5亿元 -> (投资, 完成))
                name = before_verb + "".join(t.word for t in run[:progress]) + "".join(t.word for t in run[progress + 1:])
                return name, run[progress].word, "money-named-around-progress-verb"
            if before_verb and (action in lexicons.progress_verbs or action in lexicons.weak_verbs):
                return before_verb, action, "money-named-before-verb"  # 第一产业增加值完成261497万元
            outer = next((j for j in range(verb_start - 2, -1, -1) if tokens[j].flag.startswith("v") and tokens[j].flag != "vn"
                          and all(t.is_noun or t.flag in ("a", "b", "m", "q", "uj") for t in tokens[j + 1:verb_start])), None)
            # not a verb that describes a noun (在建项目, 改造项目), a change (新增装备投入) or a
            # framing word; and the money's own word stands alone (获得融资 keeps its verb)
            if outer is not None and i == verb_start and tokens[outer].word not in g.trim_words \
                    and tokens[outer].word not in lexicons.modifier_verbs and tokens[outer].word not in g.change_verbs \
                    and tokens[outer + 1].word not in lexicons.head_nouns:
                # 落实全口径水利建设投资506亿元, 涉及总投资64.3亿元: the verb that governs the money's name
                return g.strip_leading("".join(t.word for t in tokens[outer + 1:i + 1])), tokens[outer].word, "money-governed"
            return action, action, "money-is-the-act"  # 投资1300多万: the investment itself
        if q.unit in event_units:
            return action, action, "event-is-the-act"  # 研学、交流探讨10多次: the activity is what is counted
        return before_verb, action, "noun-then-verb"
    # the number after a noun phrase: 检查企业128家次, 典型案例19起
    tokens = _with_glued_noun_suffix(tokens)
    object_start = g.noun_run_start(tokens, i)
    while object_start > 0 and tokens[object_start - 1].flag.startswith("v") and len(tokens[object_start - 1].word) == 1 \
            and tokens[object_start - 1].word not in lexicons.change_level_markers:
        object_start -= 1  # 无脚本演练, 砂石料: a one-character verb inside the noun phrase (not 增加到)
    obj = g.strip_leading("".join(t.word for t in tokens[object_start:i + 1]))
    action, branch = "", "noun-phrase"
    if object_start < i and tokens[object_start].flag == "vn" and len(tokens[object_start].word) >= 2 \
            and object_start > 0 and tokens[object_start - 1].flag in ("d", "ad") \
            and tokens[object_start + 1].is_noun and not tokens[object_start + 1].is_verb:
        # 全系统共培训执法人员2000人次: after an adverb a verbal noun is the verb, and the nouns after
        # it what it acted on
        return g.strip_leading("".join(t.word for t in tokens[object_start + 1:i + 1])), tokens[object_start].word, \
            "adverb-then-verbal-noun"
    verb_end = object_start
    if object_start > 1 and tokens[object_start - 1].flag == "r" and tokens[object_start - 1].word in g.trim_words \
            and tokens[object_start - 2].flag.startswith("v") and len(tokens[object_start - 2].word) >= 2:
        # 累计处置各类警情2.59万起: a determiner of lexicon object_trim (各类, 各种) stands between the
        # verb and its noun (not a pronoun that is the verb's object: 问题中涉及我市44项)
        verb_end = object_start - 1
    if verb_end > 0 and tokens[verb_end - 1].flag.startswith("v") and tokens[verb_end - 1].word not in g.trim_words:
        verb_start = g.verb_run_start(tokens, verb_end - 1)
        action, branch = "".join(t.word for t in tokens[verb_start:verb_end]), "verb-then-noun"
        meeting = meeting_held(g, tokens, verb_start) if q.unit in event_units else None
        if meeting:
            return meeting + ("meeting-held",)  # 召开党委会专题研究党建工作12次: the meetings are counted
        category = "".join(t.word for t in tokens[verb_start:i + 1])
        # (加上级补助收入: a budget category; a verb before a determiner governs the phrase the
        # determiner opens, and describes none of it: 平台接入各类视频监控)
        governing = None if q.kind == "money" and category.endswith(tuple(lexicons.flow_heads)) or verb_end < object_start \
            else _verb_governing_a_modifier(g, tokens, verb_start)
        if governing is not None:
            # 督促安装燃气泄漏报警装置300余套: 泄漏 describes the alarms; 安装 is the act
            governing_start = g.verb_run_start(tokens, governing)
            return g.strip_leading("".join(t.word for t in tokens[governing + 1:i + 1])), \
                "".join(t.word for t in tokens[governing_start:governing + 1]), "verb-before-modifier"
    else:
        # 累计查扣…: a framing word (累计, 共计) is not the act
        verbs = [t for t in tokens[:object_start] if t.flag.startswith("v") and t.flag != "vn" and t.word not in g.trim_words]
        if verbs:
            action, branch = verbs[0].word, "first-verb-then-noun"
    if action and len(obj) == 1 and obj in lexicons.measure_suffixes:
        obj = action + obj  # 抽检量达到5.36批次/千人: the act names the amount (抽检量)
    work_done = action in lexicons.completion_verbs and (q.unit in event_units or q.kind == "money")
    if action in lexicons.progress_verbs and not work_done and i > object_start \
            and tokens[i].flag in ("v", "vn") and len(tokens[i].word) >= 2:
        # 完成入河排污口排查1,038个, 完成环评审批231个: 完成 only reports progress; the act is the
        # verbal noun closing the noun phrase
        act_start = i
        while act_start - 1 > object_start and tokens[act_start - 1].flag in ("v", "vn") and len(tokens[act_start - 1].word) >= 2:
            act_start -= 1
        action, branch = "".join(t.word for t in tokens[act_start:i + 1]), "progress-then-act"
        obj = g.strip_leading("".join(t.word for t in tokens[object_start:act_start]))
    # 有效处置突发事件12起: a manner word may come first
    # (a two-character adjective: 有效; one character is part of the name: 重污染天数)
    # (全省已累计分配公租房: the place, an adverb and a framing word stand before the clause's act;
    # not a word of existence: after 共有 the nouns are a stock's, 共有综合医院)
    opening = next((k for k, t in enumerate(tokens[:i]) if not (t.flag in ("ad", "d") or t.flag == "a" and len(t.word) > 1
                                                                 or t.word in g.trim_words and t.word not in lexicons.existence_verbs
                                                                 or t.word in lexicons.scope_words)), 0)
    head = tokens[opening]
    # a unit of visits (家次, 个次) counts acts on things: 监测广告1089个次 is monitoring, not monitors
    # the noun it governs may follow describing words (整治一般隐患126.4万处)
    governed = next((k for k in range(opening + 1, i + 1) if tokens[k].flag not in ("a", "b")), i + 1)
    if not action and object_start <= opening < i and head.flag == "vn" and len(head.word) >= 2 \
            and (head.word not in lexicons.modifier_verbs or g.counts_visits(q.unit) or q.kind == "measure"
                 and not tokens[i].word.endswith(lexicons.head_nouns)) and head.word not in g.trim_words \
            and governed <= i and tokens[governed].is_noun and tokens[governed].flag != "vn":
        # 培训企业负责人和安全管理人员2,700余人次, 整治隐患1,870处: a verbal noun opening the
        # clause, before a plain noun, governs the noun phrase after it (not inside a phrase:
        # 现有应急救援队伍32支, where 应急 modifies); a describing verb (建设) too, when it opens a
        # measure of a thing that is no head noun of lexicon head_nouns (建设农村公路780公里, but
        # 建设项目用地 stays a name)
        action, obj, branch = head.word, g.strip_leading("".join(t.word for t in tokens[opening + 1:i + 1])), "verbal-noun-governs"
    if obj and not action:
        # 处罚金额489余万元, 行政处罚案件29起: the act is named inside the object
        inner = [t for t in tokens[object_start:i + 1] if t.flag == "v" and len(t.word) >= 2]
        if inner:
            action, branch = inner[0].word, "act-inside-name"
    return obj, action, branch


# tags the segmenter gives a character it splits off a noun's end (地质灾害|点, 残疾人|口, 乔木林|地,
# 群众投诉|件), or a word it reads as a state (国有|湿地)
GLUED_SUFFIX_FLAGS = ("q", "m", "uv", "g", "z", "zg")


def _with_glued_noun_suffix(tokens: list[Token]) -> list[Token]:
    """The words before a number, the last one read as a noun when the segmenter tagged it a
    measure word, a numeral or a particle right after a noun (有地质灾害点35处, 残疾人口6285人,
    其中乔木林地1047公顷): a measure word never stands before its number, so the character closes
    the noun's name."""
    if len(tokens) < 2:
        return tokens
    last, before = tokens[-1], tokens[-2]
    glued = last.flag in GLUED_SUFFIX_FLAGS and HAN.match(last.word) and before.end == last.start \
        and (len(last.word) == 1 and before.is_noun and (not before.is_verb or before.flag == "vn") and HAN.match(before.word)
             or last.flag == "z")
    return tokens[:-1] + [Token(last.word, "n", last.start, last.end)] if glued else tokens


# words that may stand inside a noun phrase before a verb that describes its head (燃气泄漏报警装置,
# 国三及以下排放标准营运柴油货车, 线下无理由退货承诺单位; a time word too: 冬季瓜菜采购补贴资金); a
# conjunction (c) joins words inside a phrase (国三及以下), but right before the verb it joins two acts
# (新建和改造), which the rule leaves alone
PHRASE_INSIDE_FLAGS = ("n", "f", "a", "b", "m", "q", "j", "l", "i", "c", "uj", "s", "z", "t")


def _verb_governing_a_modifier(g: Grammar, tokens: list[Token], verb_start: int) -> Optional[int]:
    """The verb that governs a noun phrase when the verb right before the figure's noun stands
    inside that phrase, after words of the phrase (燃气 泄漏 报警装置): the nearest earlier verb with
    only words of the phrase between (安装), if there is one; else None."""
    lexicons = g.lexicons
    if verb_start == 0 or not tokens[verb_start - 1].flag.startswith(PHRASE_INSIDE_FLAGS) \
            or tokens[verb_start - 1].flag in ("nr", "ns", "c"):  # 新建和改造: two acts, not a modifier
        return None
    if tokens[verb_start].word in lexicons.light_verbs or tokens[verb_start].word in lexicons.progress_verbs:
        return None  # 指导企业开展应急演练: 开展 governs the drills; a light verb describes nothing
    k = verb_start - 1
    # 无理由: a negation prefix is part of the phrase
    while k >= 0 and (tokens[k].flag.startswith(PHRASE_INSIDE_FLAGS) or tokens[k].word in g.words.negation_prefixes):
        k -= 1
    # the governing verb: a verb, or a verbal noun opening the clause (发展线下无理由退货承诺单位)
    if k < 0 or not (tokens[k].flag == "v" or tokens[k].flag == "vn" and k == 0) or tokens[k].word in g.trim_words \
            or tokens[k].word in lexicons.modifier_verbs or tokens[k].word in g.words.negations:
        return None
    return k


def meeting_held(g: Grammar, tokens: list[Token], verb_start: int) -> Optional[tuple[str, str]]:
    """(meeting, light verb) when the verb run at verb_start follows a meeting that a light verb
    holds (召开党委会专题研究…): the count of times is of the meetings."""
    k = verb_start - 1
    while k >= 0 and tokens[k].is_noun and not tokens[k].is_verb:
        k -= 1
    meeting = "".join(t.word for t in tokens[k + 1:verb_start])
    if k >= 0 and k + 1 < verb_start and tokens[k].word in g.lexicons.light_verbs and meeting.endswith(g.words.meeting_endings):
        return meeting, tokens[k].word
    return None


def after_preposition(tokens: list[Token], prepositions) -> bool:
    """Whether the words before the number open with 对/为/向/给 after the last verb (对全县12家…)."""
    for token in reversed(tokens):
        if token.flag == "p":
            return token.word in prepositions
        if token.is_verb and token.flag != "vn":
            return False
    return False


# ---- stage: lists and documents ------------------------------------------------------------
def _list_context(site: Site) -> tuple[Optional[Figure], bool]:
    """(the figure whose list this one goes on, whether it goes on after a comma)."""
    g, q, previous = site.g, site.q, site.previous
    # 检查学校食堂1304个，特种设备使用单位335家: a comma right after the figure before may go on with
    # its list (not from events to the people in them: 开展演练126场次，参训参演人员8,900余人次)
    continues = site.same_sentence and not site.same_clause and q.kind == previous.kind == "count" \
        and site.text[previous.end:site.clause_start].strip() in LIST_COMMAS \
        and g.words.event_units.isdisjoint((q.unit, previous.unit)) \
        and (q.unit in g.lexicons.person_units) == (previous.unit in g.lexicons.person_units)
    return (previous if site.same_clause or continues else None), continues


def list_item(site: Site, figure: Figure):
    """检查学校食堂、农产品集中交易市场1304个 -> (农产品集中交易市场, 检查): in a list of noun phrases
    that a verb opens, a verb inside an item that only describes its head noun (集中交易市场, 使用单位,
    执法车辆) is no act; the opening verb acts on every item, and the item is what is counted."""
    g = site.g
    if site.q.kind == "rate" or site.change_verb:
        return None
    previous, continues_list = _list_context(site)
    tokens = site.whole_left
    if continues_list and previous is not None and previous.action and g.names_a_counted_thing(tokens):
        # 检查…335家，特种设备生产和充装单位32家，药店、诊所等重点场所6872家次: every verb in the
        # clause describes the head noun it ends with, so the opening verb still acts on it
        proposal = {"action": (previous.action, site.span(previous.action), "list-goes-on")}
        if figure.action in "".join(t.word for t in tokens):
            name = g.strip_leading("".join(t.word for t in tokens))
            proposal["object"] = (name, site.span(name), "list-goes-on")
        return proposal
    separators = [i for i, t in enumerate(tokens) if t.word == "、"]
    if continues_list and not separators:
        separators = [-1]  # the comma before the clause
    if not separators or separators[-1] + 1 >= len(tokens) or not figure.action:
        return None
    item = tokens[separators[-1] + 1:]
    if continues_list and item[0].word == figure.action and g.counts_visits(figure.unit):
        return None  # 监测广告1089个次: the verbal noun opening the clause is its act
    modifiers = g.lexicons.modifier_verbs
    # an item opens with a noun, or with a verb that describes the noun after it (执法车辆)
    opens_with_modifier = item[0].is_verb and item[0].word in modifiers and len(item) > 1 \
        and item[1].is_noun and not item[1].is_verb
    if continues_list and any(t.is_verb and t.word not in modifiers for t in item):
        return None  # after a comma, only a plain noun phrase goes on with the list (not 现场解答群众咨询)
    if any(t.word in g.words.list_closers for t in item) or not (item[0].is_noun and not item[0].is_verb or opens_with_modifier) \
            or figure.action not in "".join(t.word for t in item):
        return None
    heads = g.lexicons.head_nouns
    describes = opens_with_modifier or any(
        t.flag == "v" and t.word not in g.lexicons.light_verbs and 0 < k < len(item) - 1
        and item[k - 1].is_noun and not item[k - 1].is_verb
        and (t.word in modifiers or item[k + 1].word.endswith(heads))
        for k, t in enumerate(item))
    if not describes:
        return None
    if separators[0] <= 0:
        head = previous.action if previous is not None else ""  # the list goes on from the figure before
    else:
        first = separators[0] - 1
        while first >= 0 and tokens[first].is_noun and not tokens[first].is_verb:
            first -= 1
        opener = tokens[first] if first >= 0 else None
        head = opener.word if opener is not None and opener.flag == "v" and len(opener.word) >= 2 \
            and opener.word not in g.trim_words and opener.word not in g.lexicons.progress_verbs else ""
    if not head:
        return None
    name = g.strip_leading("".join(t.word for t in item))
    return {"action": (head, site.span(head)), "object": (name, site.span(name))}


def issued_document(site: Site, figure: Figure):
    """开具整改通知单70份，暂停施工指令书3份 -> (整改通知单, 开具), (暂停施工指令书, 开具): documents issued
    are named whole (an act inside the name, 整改, is part of it) and the issuing verb is the act; a
    list of documents after a comma goes on with the verb that issued the first."""
    g = site.g
    if site.q.kind == "rate" or site.change_verb:
        return None
    previous, _ = _list_context(site)
    tokens = site.whole_left
    documents = g.lexicons.document_nouns
    titled = bool(tokens) and tokens[-1].word in ("》", "〉")
    if titled:
        # 下发《限期整改通知书》1份: the document's name is its title, the issuing verb before it
        opening = next((k for k in range(len(tokens) - 2, -1, -1) if tokens[k].word in ("《", "〈")), None)
        if opening is None:
            return None
        name = "".join(t.word for t in tokens[opening + 1:-1])
        searched = tokens[:opening]
    else:
        name = "".join(t.word for t in tokens)
        searched = tokens
    if not name.endswith(documents):
        return None
    opener = next((k for k in range(len(searched) - 1, -1, -1) if searched[k].word in g.lexicons.issuing_verbs), None)
    if opener is not None:
        verb = searched[opener].word
        obj = name if titled else g.strip_leading("".join(t.word for t in tokens[opener + 1:]))
        return {"action": (verb, site.span(verb)), "object": (obj, site.span(obj))}
    if previous is not None and previous.action and previous.object.endswith(documents):
        # a list of documents goes on with the verb that issued the first
        obj = name if titled else g.strip_leading(name)
        return {"action": (previous.action, site.span(previous.action), "issued-document/list"),
                "object": (obj, site.span(obj), "issued-document/list")}
    return None


def money_for_a_purpose(site: Site, figure: Figure):
    """筹措30亿元支持现代农业产业园区建设 -> 现代农业产业园区建设资金: money that the words before it
    name only by the act that raised it (or not at all) is named by what it goes to, written after
    it (attribution.yaml purpose_verbs, with the name of money given to it: 资金)."""
    g = site.g
    lexicons = g.lexicons
    if site.q.kind != "money" or figure.change or figure.object and figure.object != figure.action \
            and figure.object not in lexicons.purpose_verbs:
        return None
    after = site.text[site.q.end:site.window_end]
    verb = max((v for v in lexicons.purpose_verbs if after.lstrip().startswith(v)), key=len, default=None)
    if verb is None:
        return None
    start = site.q.end + len(after) - len(after.lstrip()) + len(verb)
    purpose = PURPOSE_PHRASE.match(site.text, start, site.window_end)
    if purpose is None:
        return None
    name = purpose["name"] + lexicons.purpose_verbs[verb]
    return {"object": (name, (purpose.start("name"), purpose.end("name")))}


# the words a purpose verb governs, up to the clause's end, past a count of the things it goes to
# (支持十条农业产业链建设)
PURPOSE_PHRASE = regex.compile(r"(?:[\d零一二两三四五六七八九十百千万.]+\p{Han})?(?P<name>\p{Han}{2,16})(?=[，,。；;、]|$)")


# ---- stage: the act, from a change or from the name ----------------------------------------
def change_verb_acts(site: Site, figure: Figure):
    """同比下降19.01% -> 下降: a change's act is its change verb."""
    if not site.change_verb:
        return None
    return {"action": (site.change_verb, site.span(site.change_verb, site.left_start))}


def act_in_measure_name(site: Site, figure: Figure):
    """降雨量达到120毫米 -> 降雨; 直接经济损失1036.8万元 -> 损失: a measure or money figure whose verb is
    empty or weak takes the act its name holds."""
    g = site.g
    if site.change_verb or site.q.kind not in ("measure", "money") \
            or figure.action and figure.action not in g.lexicons.weak_verbs:
        return None
    if site.q.kind == "money" and figure.action in g.lexicons.causing_verbs:
        return None  # 造成直接经济损失357万元: the loss was caused, 造成 stays its act
    act = g.act_in_object(figure.object)
    return {"action": (act, site.span(act))} if act else None


def state_in_name(site: Site, figure: Figure):
    """造成受灾群众3.26万人次 -> 受灾; 受灾人口1.5万人 -> 受灾: the state the people are in."""
    g = site.g
    if site.change_verb or site.q.kind in ("measure", "money") \
            or figure.action and figure.action not in g.lexicons.weak_verbs \
            or figure.object[:2] not in g.lexicons.state_verbs:
        return None
    return {"action": (figure.object[:2], site.span(figure.object[:2]))}


def act_of_a_growth_rate(site: Site, figure: Figure):
    """增幅分别为2.3%、5.4% -> 增长; 年均浓度降幅为23.1% -> 下降: a rate named as a growth rate, with
    no change verb of its own, measures that change (attribution.yaml growth_rate_acts)."""
    g = site.g
    if site.q.kind != "rate" or site.change_verb:
        return None
    # the rate's name: the words before it, or, for the second value of a list, the first one's
    name = g.strip_trailing(site.core_left.rstrip("".join(g.words.listed_number_joiners) + " "))
    if not name and site.same_clause and site.previous.kind == "rate" and figure.object == site.previous.object:
        name = site.previous.object
    name = g.patterns["reported_months"].sub("", name)  # 增幅2-5月份 -> 增幅
    act = next((verb for suffix, verb in g.lexicons.growth_rate_acts.items() if name.endswith(suffix)), None)
    if act is None:
        return None
    return {"action": (act, site.span(name[-2:]))}


# ---- stage: casualties, states, problems ---------------------------------------------------
def casualty_short_form(site: Site, figure: Figure):
    """接报火灾84.1万起，亡1827人 -> ('', 死亡): the dead, under the full name of the act so that
    tables compare it with 死亡 elsewhere."""
    lexicons = site.g.lexicons
    short_form = lexicons.casualty_short_forms.get(figure.object) if site.q.unit in lexicons.person_units else None
    if not short_form:
        return None
    return {"object": ("", site.span(figure.object)), "action": (short_form, site.span(figure.object))}


def casualty_after_figure(site: Site, figure: Figure):
    """造成65人死亡、50人受伤 -> (死亡), (受伤): a count of people followed by a casualty act is the
    count of that act's victims (their name comes next, from the event: 火灾死亡人数)."""
    lexicons = site.g.lexicons
    if site.q.unit not in lexicons.person_units:
        return None
    after = site.right.lstrip()
    act = next((a for a in lexicons.casualty_acts if after.startswith(a)), None)
    if act is None or figure.action == act:
        return None
    at = site.q.end + len(site.right) - len(after)
    return {"action": (act, (at, at + len(act))), "object": ("", (site.q.start, site.q.end))}


def casualty_after_event(site: Site, figure: Figure):
    """发生事故12起、死亡7人 -> 事故死亡人数: the dead, not the accidents the sentence named before them."""
    g = site.g
    lexicons = g.lexicons
    if figure.object or site.q.unit not in lexicons.person_units or figure.action not in lexicons.casualty_acts:
        return None
    before = site.before_in_sentence
    event = max(lexicons.casualty_events, key=before.rfind)
    name = (event if event in before else "") + g.figure_name(figure)
    return {"object": (name, site.span(event if event in before else figure.action))}


def age_group_counted(site: Site, figure: Figure):
    """50岁以上18人, 40岁~49岁23人 -> 50岁以上人员, 40岁~49岁人员: people counted right after an age
    group with no noun of their own are the people of that age (a breakdown of a staff or a population)."""
    g = site.g
    if figure.object or site.q.unit not in g.lexicons.person_units:
        return None
    found = g.patterns["age_group"].search(site.left)
    if found is None:
        return None
    group = found.group("group").replace(" ", "")
    return {"object": (group + g.words.age_group_noun, (site.left_start + found.start("group"), site.q.start))}


def counted_by_state(site: Site, figure: Figure):
    """全镇4812户17222人受灾 -> (受灾户, 受灾), (受灾人口, 受灾): households and people are counted by
    the state after them."""
    g, q = site.g, site.q
    lexicons = g.lexicons
    suffix = lexicons.state_count_suffixes.get(q.unit) if q.kind == "count" else None
    if not suffix or figure.action and figure.action not in lexicons.weak_verbs:
        return None
    after = g.patterns["adjacent_count"].sub("", site.rest_of_clause, count=1)
    state = next((word for word in lexicons.state_verbs if after.startswith(word)), None)
    if not state:
        return None
    span = site.span(state, hi=site.window_end)
    return {"action": (state, span), "object": (state + suffix, span)}


def state_after_counted_places(site: Site, figure: Figure):
    """造成12个乡镇、86个村3200户不同程度受灾 -> 受灾 for each: a run of counts, with the names they
    count and nothing that acts between, ends in the state they are all in; people and households
    are named by it (受灾户, 受灾人口), places keep their own name."""
    g, q = site.g, site.q
    lexicons = g.lexicons
    if q.kind != "count" or figure.action and figure.action not in lexicons.weak_verbs \
            and figure.action not in lexicons.state_verbs:  # (lent by the list's first item: still named here)
        return None
    rest = site.rest_of_clause
    if not site.state.index.holds_any(lexicons.state_verbs, q.end, q.end + len(rest)):
        return None  # (most clauses hold no state: looked up, not searched for each figure)
    found = min(((rest.find(word), word) for word in lexicons.state_verbs if word in rest), default=None)
    if found is None or found[0] == 0:
        return None  # right after the figure: counted-by-state reads it
    at, state = found
    # between the figure and the state: counts and the names they count, never a verb
    between = g.segmenter.tag(rest[:at])
    if any(t.flag.startswith("v") for t in between) or CLAUSE_PUNCTUATION.search(rest, 0, at):
        return None
    span = (q.end + at, q.end + at + len(state))
    suffix = lexicons.state_count_suffixes.get(q.unit)
    proposal = {"action": (state, span)}
    if suffix:
        proposal["object"] = (state + suffix, span)
    return proposal


def problem_found(site: Site, figure: Figure):
    """发现工程安全防护措施不到位共计8项 -> (工程安全防护措施不到位, 发现): what was found, not how it was;
    the finding verb earlier in the sentence is the act."""
    g = site.g
    lexicons = g.lexicons
    # what the rule reads ends with a problem, so the words before the figure hold one (most
    # sentences hold none: looked up, not searched for each figure)
    if not site.state.index.holds_any(lexicons.problem_states, site.reading_start, site.q.start):
        return None
    before = site.before_in_sentence
    framing = g.patterns["framing_tail"]
    if not framing.sub("", before.rstrip()).endswith(lexicons.problem_states):
        return None
    finding = max(lexicons.finding_verbs, key=lambda verb: before.rfind(verb) + len(verb))
    if finding not in before:
        return None
    # the problem as the text names it, from the finding verb or the list separator on
    start = max(before.rfind(finding) + len(finding), *(before.rfind(mark) + 1 for mark in "、，,；;"))
    problem = g.strip_leading(framing.sub("", before[start:].strip()))
    at = site.reading_start + before.rfind(finding)
    proposal = {"action": (finding, (at, at + len(finding)))}
    if problem:
        proposal["object"] = (problem, site.span(problem))
    return proposal


# ---- stage: what the figure before lends -----------------------------------------------------
def shares_object(g: Grammar, previous: Figure, figure: Figure, same_clause: bool) -> bool:
    """Whether a figure without a noun of its own counts what the figure before it counts:
    发现隐患242项、整改230项, 同比下降12%, 专业扑火队1支45人; not 罚款60万元、拘留26人 (money,
    then people), nor 137次单位，责令限期整改110家 (another unit in another clause), nor
    扑救火灾66万起、抢险救援30万起 (an act named as the object, then another act)."""
    if figure.kind == "rate":
        return True  # 同比下降12%: the change of the figure before it
    if previous.kind == "rate":
        return True  # 立案142件，同比增长18.3%，结案128件: the rate passes its figure's object on
    if previous.kind != figure.kind:
        return False
    same_things = previous.unit.rstrip("次") == figure.unit.rstrip("次") or \
        previous.unit in g.lexicons.same_count_units and figure.unit in g.lexicons.same_count_units
    if figure.kind == "count" and not same_things and not same_clause:
        return False  # (检查企业415家次，责令整改37家: the same things, counted once and in visits)
    if figure.kind == "count" and figure.action and figure.action != previous.action \
            and g.object_of_act(figure.unit, figure.action):
        # 采取刑事强制措施75人，刑事拘留38人: an act that names what it handles (lexicon
        # person_act_objects, case_act_objects) counts those, not the things the act before counted
        return False
    # an object named by an act (扑救火灾, 火灾扑救, 受灾人口) is not what another act counts
    # (抢险救援2,416起 after 火灾扑救1,368起)
    return not (figure.kind == "count" and not figure.change and figure.action and figure.action != previous.action
                and (previous.action and previous.object.startswith(previous.action)
                     or g.is_act_category(figure.action)
                     and (g.names_an_act(previous.object) or g.is_act_category(previous.action))))


def object_of_figure_before(site: Site, figure: Figure):
    """发现隐患242项、整改230项 -> the 230 counts 隐患 too: a figure without a noun of its own in
    the same sentence counts what the figure before it counts."""
    previous = site.previous
    if figure.object or not site.same_sentence:
        return None
    if (site.q.kind == "rate" or figure.change) and _aside(site.state.index, previous, site.q.start):
        # 完成运输旅客1852万人次(全年预计2160万人次)，同比增长3.28%: the change is of the figure
        # before the brackets, not of the aside in them; so for an amount of change after a
        # bracketed breakdown (门急诊86.59万人次(其中县级医院58.32万人次…) 同比增加6.78万人次)
        previous = next((f for f in reversed(site.state.figures) if f.sentence_start == site.sentence_start
                         and not _aside(site.state.index, f, site.q.start)), previous)
    if site.q.kind == "rate" and site.q.unit != POINTS_UNIT and figure.change and previous.kind == "rate" \
            and not previous.change and _share_of_the_figure_before(site, previous):
        # 收入完成28583万元，占调整预算105.47%，同比增长10.85%: the change is of the amount, not of
        # the share of it that a clause with no subject of its own gave in between (a change in
        # percentage points, 占全年的81.1%，上升8.3个百分点, is the share's)
        previous = next((f for f in reversed(site.state.figures) if f.sentence_start == site.sentence_start
                         and f.start < previous.start and f.kind != "rate"), previous)
    if not previous.object or not shares_object(site.g, previous, figure, site.same_clause):
        return None
    if figure.breakdown and _names_its_own_category(site, figure):
        return None  # 其中滑坡22处，崩塌4处: a part names its own category, even with a verb
    members = _members_of_teams(site.g, previous, figure)
    if members:
        return {"object": (members, (previous.start, previous.end), "object-of-figure-before/members"),
                "confidence": (0.7, None)}
    growth = _growth_rate_changed(site, previous)
    if growth:
        return {"object": (growth, (previous.start, previous.end), "object-of-figure-before/growth-rate"),
                "confidence": (0.7, None)}
    return {"object": (previous.object, (previous.start, previous.end)), "confidence": (0.7, None)}


def _share_of_the_figure_before(site: Site, share: Figure) -> bool:
    """Whether a rate's clause opens with the share verb (，占调整预算105.47%): a share of the figure
    before it, with no subject of its own."""
    index = site.state.index
    opening = site.text[index.clause_start(share.start):share.start].strip()
    return opening.startswith(site.g.words.share_verb)


def _growth_rate_changed(site: Site, previous: Figure) -> str:
    """同比增长8.5%，增速比1—9月份加快0.8个百分点 -> 高新技术产业增加值增速: percentage points right
    after a growth rate change that rate, not the thing that grew; the rate is named as the text
    names it (增速, 降幅 …: attribution.yaml growth_rate_acts), else 增速. '' otherwise."""
    g = site.g
    if site.q.unit != POINTS_UNIT or previous.kind != "rate" or previous.unit != "%" or not previous.change:
        return ""
    subject = BRACKETED.sub("", previous.object).strip()
    if not subject or subject.endswith(g.rate_suffix_tuple) or subject.endswith(tuple(g.lexicons.growth_rate_acts)):
        return ""  # a rate that names itself (城镇化率) is changed as itself
    if not any(t.is_noun and t.flag != "f" for t in g.segmenter.tag(subject)):
        return ""  # no thing named, only a position (之后): nothing whose growth rate it could be
    written = max(g.lexicons.growth_rate_acts, key=site.left.rfind)
    return subject + (written if written in site.left else g.words.growth_rate_name)


def growth_rate_of_figure_before(site: Site, figure: Figure):
    """夏粮总产96.4亿斤、同比增加1.7亿斤、增幅1.9% -> 夏粮总产: a rate named only as a growth rate
    (attribution.yaml growth_rate_acts: 增幅, 增速, 降幅) names no thing of its own; it is the growth
    of what the figure before it in the sentence counts; after a growth rate (同比下降2.4%，降幅比上半年
    扩大1.1个百分点) it is that rate, named with what grew (货物运输量降幅)."""
    previous = site.previous
    if site.q.kind != "rate" or figure.object not in site.g.lexicons.growth_rate_acts or not site.same_sentence \
            or not previous.object or previous.breakdown:
        return None
    if previous.kind == "rate":
        growth = _growth_rate_changed(site, previous)
        return {"object": (growth, (previous.start, previous.end), "growth-rate-of-figure-before/growth-rate")} \
            if growth else None
    if _aside(site.state.index, previous, site.q.start):
        return None  # (an aside in brackets is not what grew)
    return {"object": (previous.object, (previous.start, previous.end))}


def _members_of_teams(g: Grammar, teams: Figure, figure: Figure) -> str:
    """应急救援队伍38支、1,900余人 -> 应急救援队员: people counted right after teams are their members
    (lexicons team_members); '' when the figure before counts no teams."""
    if figure.unit not in g.lexicons.person_units or teams.unit in g.lexicons.person_units:
        return ""
    team = next(((word, members) for word, members in g.team_members if teams.object.endswith(word)), None)
    return teams.object[:-len(team[0])] + team[1] if team else ""


def _aside(index: TextIndex, figure: Figure, until: int) -> bool:
    """Whether a figure sits in brackets closed before `until` (an aside to the figure after them)."""
    return index.inside_brackets(figure.sentence_start, figure.start) \
        and index.holds_any(CLOSING_BRACKET_CHARS, figure.end, until)


def _names_its_own_category(site: Site, figure: Figure) -> bool:
    """Whether a part of a total names a category of its own (其中滑坡22处、崩塌4处; 其中查封扣押17件)
    rather than an act on the total's things (其中责令关闭取缔1家, 已完成整治712个): its words hold a
    noun, or it counts cases (起, 件), or the part before it named itself."""
    own = [t for t in site.tokens if len(t.word) >= 2 and (t.is_verb or t.is_noun)]
    if not own:
        return False
    previous = site.previous
    named_itself = previous.breakdown and previous.object and previous.evidence.get("object") is not None \
        and not previous.evidence["object"].in_family("object-of-figure-before")
    return any(t.is_noun and not t.is_verb for t in own) or figure.unit in site.g.lexicons.case_units or bool(named_itself)


def _lends_act(site: Site) -> bool:
    """Whether the figure before may lend its act: not the dead's to the events after them, nor the
    act of a figure that counts its own act (抢险救援2,416起、社会救助1,463起)."""
    previous = site.previous
    return bool(previous.action) and not site.casualty_to_events \
        and not (not previous.object and site.g.is_act_category(previous.action))


def act_of_figure_before_in_clause(site: Site, figure: Figure):
    """表彰了六个优胜单位和三十个优胜选手 -> 表彰 for both: one verb for the figures of its clause."""
    if figure.action or not site.same_clause or not _lends_act(site):
        return None
    return {"action": (site.previous.action, (site.previous.start, site.previous.end))}


# ---- stage: acts after the figure, earlier in the sentence, and stocks -----------------------
def act_after(site: Site, figure: Figure) -> Optional[Proposal]:
    """The verb right after a figure: 17222人受灾 (the act), 先后4次召开常委会 (the act and, for
    events, what was held), 累计开展12次督查考评 (after a light verb, the act is what is counted)."""
    g, q = site.g, site.q
    tokens = g.segmenter.tag(site.right[:16])
    end = 0
    while end < len(tokens) and tokens[end].flag in ("v", "vn") and len(tokens[end].word) >= 2 \
            and tokens[end].word not in g.trim_words:
        if end and tokens[end].word in g.lexicons.modifier_verbs and end + 1 < len(tokens) \
                and tokens[end + 1].is_noun and not tokens[end + 1].is_verb:
            break  # 专题研究防汛工作, 召开调度会议: a describing verb opens the noun after the act
        end += 1
    if not end:
        return None
    act = "".join(t.word for t in tokens[:end])
    span = (q.end + tokens[0].start, q.end + tokens[end - 1].end)
    if figure.action:  # a light verb before an event count
        return {"object": (act, span)}
    proposal = {"action": (act, span)}
    if q.unit in g.words.event_units:
        # the noun before an event count names who held it (市委先后4次召开常委会): what was
        # held is the noun after the verb
        noun_end = end
        if noun_end < len(tokens) and tokens[noun_end].word in g.lexicons.modifier_verbs:
            noun_end += 1  # 防汛工作, 调度会议: the describing verb is part of the name
        while noun_end < len(tokens) and tokens[noun_end].is_noun and not tokens[noun_end].is_verb:
            noun_end += 1
        held = "".join(t.word for t in tokens[end:noun_end])
        if held:
            proposal["object"] = (held, (q.end + tokens[end].start, q.end + tokens[noun_end - 1].end))
    return proposal


def act_after_event_count(site: Site, figure: Figure):
    """市安委会先后12次召开专题会议 -> (专题会议, 召开): for a count of events with no act before it,
    the act after the count comes first."""
    q = site.q
    if figure.action or q.kind != "count" or q.unit not in site.g.words.event_units or figure.change or site.stock_word:
        return None
    return act_after(site, figure)


def verb_earlier_in_sentence(site: Site, figure: Figure):
    """召开市委常委会,市政府党组会...41次 -> 召开: the verb is in an earlier clause of the sentence."""
    if figure.action or site.q.kind == "rate" or site.stock_word or figure.object.endswith(site.g.lexicons.output_heads):
        return None  # (an output or an amount held is no product of an earlier act: 货运量达7.5亿吨)
    if site.clause_start <= site.reading_start:
        return None
    words = site.state.words_before(site.g, max(site.reading_start, site.clause_start - EARLIER_VERB_REACH), site.clause_start)
    verb = site.g.verb_earlier_in_sentence(words)
    if verb is None or site.same_sentence and site.previous.end > verb.start:
        return None  # 临时查封21家，“三停”10家: a verb with a figure of its own after it acts on that one
    if _acted_after_in_clause(site):
        # 完成19个项目的批复，其中2个已开工建设: the figure's clause says what was done to it
        acted = site.g.content_verb(site.text[site.q.end:site.clause_end])
        return {"action": (acted, site.span(acted, site.q.end), "verb-earlier-in-sentence/own-verb-after")} if acted else None
    return {"action": (verb.word, (verb.start, verb.end))}


def _acted_after_in_clause(site: Site) -> bool:
    """Whether a verb of its own follows the figure in its clause (达, 为 and the like, which only
    link a name to its value, do not count)."""
    words = site.state.words_between(site.g, site.clause_start, site.clause_end, site.q.end, site.clause_end, ())
    return any(t.start >= site.q.end and t.flag.startswith("v") and t.flag != "vn" and len(t.word) >= 2
               and t.word not in site.g.trim_words for t in words)


def existence_word_not_object(site: Site, figure: Figure):
    """辖170组 -> '': the existence word is not what is counted."""
    if figure.object not in site.g.lexicons.existence_verbs:
        return None
    return {"object": ("", (site.q.start, site.q.end))}


def stock_counted_by_act_after(site: Site, figure: Figure):
    """全市共有340223人受灾 -> (受灾,受灾): a stock of people is counted by their state after it."""
    if site.q.kind != "count" or figure.action:
        return None
    scoped = site.g.without_scope(figure.object)
    proposal = {"object": (scoped, site.span(scoped))} if scoped != figure.object else {}
    proposal.update(act_after(site, figure) or {})  # the figure has no act: act_after reads no more of it
    return proposal or None


def stock_predicate(site: Site, figure: Figure):
    """现有队员210人 -> 现有; 全市在用电梯8726台 -> 在用: a stock's existence word is its act when no
    other verb acts (after 共有/有 the act stays empty)."""
    if figure.action or site.stock_word not in site.g.lexicons.stock_predicates:
        return None
    return {"action": (site.stock_word, site.span(site.stock_word, hi=site.q.start))}


ACTS_READ_FROM_A_NAME = frozenset(("act-in-measure-name", "words-before-figure/act-inside-name", "act-in-count-name",
                                   "rate-name", "words-before-figure/verbal-noun-counted"))


def _act_bound_to_its_name(g: Grammar, figure: Figure) -> bool:
    evidence = figure.evidence.get("action")
    return figure.action in g.lexicons.progress_verbs or evidence is not None and evidence.rule in ACTS_READ_FROM_A_NAME


def act_of_figure_before_in_sentence(site: Site, figure: Figure):
    """检查企业128家次，发现隐患242项，其中…12项 -> 发现: a figure with no act takes the act of the
    figure before it in the sentence (never a change verb, when it is no change)."""
    g, previous = site.g, site.previous
    if figure.action or not site.same_sentence or not _lends_act(site) or (previous.change and not figure.change):
        return None
    names_itself = figure.object and not figure.evidence["object"].in_family("object-of-figure-before") \
        and not figure.breakdown and site.q.kind != "rate"
    if names_itself and (_act_bound_to_its_name(g, previous) or figure.object.endswith(g.lexicons.output_heads)):
        # 完成门急诊量…人次，入院病人…人次; 粮食播种面积…亩，产量…吨: an act that reports progress, or
        # one read from the figure's own name, is not lent to a figure that names its own thing; nor
        # is any act lent to an output or an amount held (生猪出栏15万头，肉类产量1.61万吨)
        return None
    if figure.breakdown and _reports_the_total(site, previous):
        return None
    action, rule = previous.action, "act-of-figure-before-in-sentence"
    if site.q.kind == "rate" and previous.kind == "rate" and figure.object.endswith(g.rate_suffix_tuple):
        # 自然增长率-0.5‰，城镇化率44.21%; 综合指数同比改善7.4%，优良天数比例为62.4%: a rate that
        # names itself measures a state of its own, not the change or act of the rate before it (after
        # a count it may measure that count's act: 抽检样品860批次，合格率98.6%)
        return None
    if site.q.kind == "rate" and previous.action in g.lexicons.completion_verbs and figure.object.endswith(g.rate_suffix_tuple):
        # 完成食品安全监督抽检1862批次，合格率97.3%: the rate measures the sampling, not its completion
        action = g.trailing_act(previous.object) or action
        rule = "rate-measures-work-done"
    return {"action": (action, (previous.start, previous.end), rule)}


def act_of_the_total(site: Site, figure: Figure):
    """接处警3,812起，同比上升4.2%，其中火灾扑救906起 -> 接处警: a part of a total (a breakdown)
    with no act of its own takes the act of the total it is part of (the nearest whole figure in its
    unit), past the rates and other figures between them."""
    if figure.action or not figure.breakdown:
        return None
    # the total counts what its parts count: the nearest whole figure of the sentence in their unit
    total = site.state.last_whole.get((site.sentence_start, figure.unit))
    if total is None or not total.action or total.action in site.g.change_verbs:
        return None
    if _reports_the_total(site, total):
        return None
    return {"action": (total.action, (total.start, total.end))}


def _reports_the_total(site: Site, total: Figure) -> bool:
    """实现林业总产值9.086亿元，其中：第一产业产值39490万元: a total's verb of reporting is no act of
    the parts after it (a count's parts are done by its act: 检查企业…家，其中…)."""
    return site.q.kind != "count" and total.action in site.g.reporting_acts


def level_after_change(site: Site, figure: Figure):
    """危化品生产企业由119家降为52家 -> (危化品生产企业, 降为): the level a change ends at counts what
    the level it started at counts (the subject before 由/从), and the change is its act; the level
    it started at (119家) is no product of an act of its own."""
    previous, g, text = site.previous, site.g, site.text
    if site.same_clause and _starts_a_change(g, text, previous.start):
        reached = g.level_change.fullmatch(text[previous.end:site.q.start])
        if reached:
            verb = reached["verb"]
            proposal = {"action": (verb, site.span(verb, previous.end))}
            if previous.object:
                proposal["object"] = (previous.object, previous.object_span())
            return proposal
    if _starts_a_change(g, text, site.q.start) and site.next_q_in_clause is not None \
            and g.level_change.fullmatch(text[site.q.end:site.next_q_in_clause.start]):
        return {"action": ("", (site.q.start, site.q.end), "level-after-change/from")}
    return None


def _starts_a_change(g: Grammar, text: str, start: int) -> bool:
    """The number at start is the value a subject changes from: 由 or 从 before it, maybe with the
    time of that value (由2019年底的, 从上年的)."""
    return bool(g.level_change_start.search(text, max(0, start - 16), start))


def scope_not_counted(site: Site, figure: Figure):
    """全县4812户 -> '': the place is not what is counted (全县企业 -> 企业), nor what is measured
    (全县平均降雨量 -> 平均降雨量, 全省森林覆盖率 -> 森林覆盖率)."""
    if figure.change:
        return None
    scoped = site.g.without_scope(figure.object)
    return {"object": (scoped, site.span(scoped))} if scoped != figure.object else None


def gap_to_a_benchmark(site: Site, figure: Figure):
    """同比增长18.7%，高出全省平均增速29.6个百分点 -> (the figure before's object, 高出): a gap to an
    average or to a wider area's figure measures the subject of the figure before it, and the
    comparison is its act (change.yaml benchmark_verbs, benchmark_base)."""
    if figure.kind != "rate" or not site.same_sentence or site.g.benchmark_gap is None:
        return None
    found = site.g.benchmark_gap.search(site.left)
    if found is None:
        return None
    at = site.left_start + found.start("verb")
    proposal = {"action": (found["verb"], (at, at + len(found["verb"])))}
    previous = site.previous
    if previous.object:
        proposal["object"] = (previous.object, previous.object_span())
    return proposal


def comparison_adjective(site: Site, figure: Figure):
    """全省平均气温比正常年份高0.7℃ -> 高; 增速比上半年高1.5个百分点 -> 高: a bare comparative after a
    base of comparison is the figure's act (change.yaml comparison_adjectives)."""
    if site.change_verb or site.g.comparison_adjective is None:
        return None  # (比上年提高: the change verb acts)
    found = site.g.comparison_adjective.search(site.left)
    last = site.tokens[-1].word.removesuffix("了") if site.tokens else ""
    if found is None or not last.endswith(found["verb"]) or last[:-len(found["verb"])] not in ("",) + site.g.lexicons.comparison_degree_words:
        return None  # 比例最高 / 比较高: the comparative is part of a longer word
    at = site.left_start + found.start("verb")
    return {"action": (found["verb"], (at, at + len(found["verb"])))}


def agent_not_counted(site: Site, figure: Figure):
    """全州消防救援部队共接处警1134起 -> '', 全市市场监管部门共出动检查执法2777人次 -> '': the body that
    acted is not what its count of people or cases counts (the alarms it answered, the people it
    sent out: object-of-the-act names them from the act)."""
    g = site.g
    if figure.change or not figure.object or not figure.action or not figure.object.endswith(g.lexicons.agent_heads):
        return None
    if not g.object_of_act(figure.unit, figure.action):
        return None  # only where the act names what it counts (全县应急管理系统共检查执法2777人次: unknown)
    if figure.evidence["object"].in_family("object-of-figure-before"):
        return None  # a name borrowed from the figure before is not this figure's agent
    return {"object": ("", (figure.start, figure.end))}


def act_after_light_verb(site: Site, figure: Figure):
    """累计开展12次督查考评 -> (督查考评, 开展): after a light verb, the act named after an event count
    is what is counted; a count with no act takes the act after it (17222人受灾)."""
    q, g = site.q, site.g
    if q.kind != "count" or figure.change:
        return None
    acted_after = figure.evidence.get("action") is not None and figure.evidence["action"].rule == "act-after-event-count"
    if figure.action and not (figure.action in g.lexicons.light_verbs and q.unit in g.words.event_units and not acted_after):
        return None
    return act_after(site, figure)


def base_of_a_share(site: Site, figure: Figure):
    """占全年筛查任务(6.6万人)的103.12% -> ''; 完成目标任务41.37万亩的66.9% -> '': the base a share or
    a gap is measured against (a plan, a target, a wider total), named after the share's verb and
    followed by the rate, is no product of an act."""
    g, next_q, previous = site.g, site.next_q_in_clause, site.previous
    if site.q.kind == "rate" and site.same_clause and not figure.change and previous.evidence.get("action") is not None \
            and previous.evidence["action"].rule == "base-of-a-share":
        # the rate after the base: the share's verb is its act (占全市(160亿元)的14.3% -> 占)
        verb = _share_base_verb(g, site.text[site.clause_start:previous.start])
        return {"action": (verb, site.span(verb), "base-of-a-share/share")} if verb else None
    if next_q is None or next_q.kind != "rate" or not g.patterns["share_base"].fullmatch(site.text, site.q.end, next_q.start):
        return None
    verb = _share_base_verb(g, site.left)
    if not verb:
        return None
    proposal = {"action": ("", (site.q.start, site.q.end))}
    evidence = figure.evidence.get("object")
    if not figure.object or evidence is not None and evidence.rule.startswith("object-of-figure-before"):
        # 占全年筛查任务(6.6万人)的103.12%: the base is the plan named before it, not the things
        # the figure before counted (a wider area alone, 占全市(160亿元), names nothing of its own)
        at = site.left.rfind(verb) + len(verb)
        base = site.left[at:].strip().rstrip("(（").strip()
        if base and HAN.match(base) and base not in g.lexicons.scope_words:
            proposal["object"] = (base, (site.left_start + at, site.left_start + at + len(base)), "base-of-a-share/base")
    return proposal


def _share_base_verb(g: Grammar, left: str) -> str:
    """The share's verb that opens the words before a base, in its clause (占全市(, 完成目标任务), or ''."""
    found = max(((left.rfind(verb), verb) for verb in g.lexicons.share_base_verbs), key=lambda item: (item[0], len(item[1])))
    return found[1] if found[0] >= 0 and not CLAUSE_PUNCTUATION.search(left, found[0]) else ""


def _not_a_stock(site: Site, figure: Figure) -> bool:
    return not site.stock_word


def _a_stock(site: Site, figure: Figure) -> bool:
    return bool(site.stock_word)


def _rule(apply, fields, priority=0, name=None) -> Rule:
    return Rule(name=name or apply.__name__.replace("_", "-"), fields=fields, apply=apply, priority=priority)


OBJECT_ACTION = ("object", "action")
# The table. Stages run in this order; within a stage no rule reads another's output.
STAGES = (
    Stage("frame", (_rule(breakdown_after_marker, ("scope",)), _rule(change_word, ("change",)),
                    _rule(period_phrase, ("period",)))),
    # exactly one of these applies: a share, another rate, a governed phrase, a noun after the
    # measure word, or else the words before the figure
    Stage("name", (_rule(share_of_whole, OBJECT_ACTION), _rule(rate_name, OBJECT_ACTION),
                   _rule(governed_phrase, OBJECT_ACTION), _rule(measure_word_noun, OBJECT_ACTION),
                   _rule(words_before_figure, OBJECT_ACTION))),
    # a document's name and its issuing verb outrank a list item's reading of the same words
    Stage("list", (_rule(list_item, OBJECT_ACTION, priority=1), _rule(issued_document, OBJECT_ACTION, priority=2))),
    Stage("money-for-a-purpose", (_rule(money_for_a_purpose, ("object",)),)),
    # exclusive: the change verb, else the act a measure's name holds, else a state in the name
    Stage("act", (_rule(change_verb_acts, ("action",)), _rule(act_in_measure_name, ("action",)),
                  _rule(state_in_name, ("action",)), _rule(act_of_a_growth_rate, ("action",)))),
    Stage("casualty-short-form", (_rule(casualty_short_form, OBJECT_ACTION), _rule(casualty_after_figure, OBJECT_ACTION))),
    Stage("age-group-counted", (_rule(age_group_counted, ("object",)),)),
    Stage("casualty-after-event", (_rule(casualty_after_event, ("object",)),)),
    Stage("counted-by-state", (_rule(counted_by_state, OBJECT_ACTION),
                               _rule(state_after_counted_places, OBJECT_ACTION, priority=-1))),
    Stage("problem-found", (_rule(problem_found, OBJECT_ACTION),)),
    # exclusive: a figure with no noun of its own, or a rate named only as a growth rate
    Stage("object-of-figure-before", (_rule(object_of_figure_before, ("object", "confidence")),
                                      _rule(growth_rate_of_figure_before, ("object",)))),
    Stage("act-of-figure-before-in-clause", (_rule(act_of_figure_before_in_clause, ("action",)),)),
    Stage("act-after-event-count", (_rule(act_after_event_count, OBJECT_ACTION),)),
    Stage("verb-earlier-in-sentence", (_rule(verb_earlier_in_sentence, ("action",)),)),
    # a stock (现有, 实有, 在用 ... before the number) ends here
    Stage("stock-existence-word", (_rule(existence_word_not_object, ("object",)),), when=_a_stock),
    Stage("stock-act-after", (_rule(stock_counted_by_act_after, OBJECT_ACTION),), when=_a_stock),
    Stage("stock-predicate", (_rule(stock_predicate, ("action",)),), when=_a_stock),
    # a part takes its total's act before the figure just before it lends its own
    Stage("act-of-figure-before-in-sentence", (_rule(act_of_figure_before_in_sentence, ("action",)),
                                               _rule(act_of_the_total, ("action",), priority=1)), when=_not_a_stock),
    Stage("scope-not-counted", (_rule(scope_not_counted, ("object",)),), when=_not_a_stock),
    Stage("agent-not-counted", (_rule(agent_not_counted, ("object",)),), when=_not_a_stock),
    Stage("act-after-figure", (_rule(act_after_light_verb, OBJECT_ACTION),), when=_not_a_stock),
    Stage("gap-to-a-benchmark", (_rule(gap_to_a_benchmark, OBJECT_ACTION), _rule(comparison_adjective, ("action",)))),
    Stage("base-of-a-share", (_rule(base_of_a_share, ("action", "object")),)),
    # last: a change from one level to another is read whatever the stages before read in its words
    Stage("level-after-change", (_rule(level_after_change, OBJECT_ACTION),)),
)
RULES = {rule.name: rule for stage in STAGES for rule in stage.rules}
