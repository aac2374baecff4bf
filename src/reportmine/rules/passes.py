"""Document-level passes: readings that need the figures around one, run after every figure of the
document has been attributed, in this order (each a named rule whose decisions carry evidence):
parts after a full stop, lists of rates, table cells, and the last word on counts.
"""
from __future__ import annotations

from collections import Counter

import regex

from ..extraction import Figure
from ..regions import regions
from .grammar import BRACKETED, CLOSING_BRACKET_CHARS, NON_SPACE, Grammar, TextIndex
from .tables import TableLines, Tables

# The rules the document passes decide with (table-* in tables.py), each named in the evidence of the
# fields it sets; tests check that every decision names a rule of attribution.RULES or of these.
PASS_RULES = ("parts-after-a-full-stop", "change-word-of-the-list", "rates-respectively", "places-respectively",
              "changes-respectively", "figures-respectively", "table-cell", "table-row-label", "table-bare-cell",
              "act-in-count-name", "act-implied-by-event", "object-of-the-act", "object-of-the-whole-before",
              "count-of-the-act", "act-named-by-formula",
              "verb-inside-stock-name", "aside-left-out-of-name", "type-check")


def parts_after_a_full_stop(text: str, index: TextIndex, g: Grammar, figures: list[Figure]) -> None:
    """全市实有各类市场主体18.63万户，同比增长7.9%。其中，企业4.12万户: a sentence that opens with 其中
    gives parts of the last figure of the sentence before it. The parts are breakdowns, and those
    without an act of their own take the total's (实有)."""
    markers = g.lexicons.breakdown_markers
    unlent = g.reporting_acts | g.change_verbs
    openings: dict = {}  # sentence start -> the marker it opens with, or None (once per sentence)
    total = None
    for figure in figures:
        if figure.sentence_start not in openings:
            first_word = NON_SPACE.search(text, figure.sentence_start, figure.start)
            at = first_word.start() if first_word else figure.start
            openings[figure.sentence_start] = next((m for m in markers if text.startswith(m, at)), None), at
        marker, at = openings[figure.sentence_start]
        opens_with_marker = marker is not None and at + len(marker) <= figure.start
        if total is not None and figure.sentence_start > total.sentence_start and opens_with_marker \
                and index.sentence_bounds(total.start)[1] >= figure.sentence_start - 1:
            if figure.kind == total.kind and figure.unit == total.unit:  # parts count what the total counts
                figure.decide("scope", True, "parts-after-a-full-stop", (at, at + len(marker)))
                # a total's act of reporting (实现地区生产总值…。其中，第一产业增加值…) or change is
                # not its parts'
                if not figure.action and total.action not in unlent:
                    figure.decide("action", total.action, "parts-after-a-full-stop", (total.start, total.end))
        if figure.kind != "rate" and not figure.breakdown and figure.change is None:
            total = figure  # 总数达62646个，比上年增加1075个。其中: the total, not its change


def rates_respectively(text: str, index: TextIndex, g: Grammar, figures: list[Figure]) -> None:
    """A list of rates after one change word: 同比下降42.1%、43.9%、46% are all decreases. The i-th
    rate of the list is the change of the i-th subject named before 分别 in its clause
    (事故起数和死亡人数同比分别...), or, when the clause names none, of the i-th figure just before
    it in the sentence (事故6起、死亡5人，同比分别下降25%和16.7%). Without 分别, only when the
    sentence's figures before the list are exactly as many as its rates (发生火灾17435起、死亡69人、
    损失1.27亿元，同比下降42.1%、43.9%、46%). The same for a list of changes counted in the
    figures' own units (发生较大事故63起，死亡239人，同比增加13起、36人: 13 more accidents, 36 more
    dead), rule changes-respectively."""
    separator = g.patterns["list_separator"]
    respectively_word = g.words.respectively
    # the sentence's figures before the list that are no rates (nor changes, for amounts), in
    # order: kept as the lists are read, not gathered again for each list (a sentence of
    # thousands of figures and hundreds of lists); a figure is taken in once its own list is read
    plain_before, plain_sentence, taken_in = [], None, 0
    end = -1
    while end + 1 < len(figures):
        start = end = end + 1
        first = figures[start]
        for figure in figures[taken_in:start]:
            if figure.sentence_start != plain_sentence:
                plain_before, plain_sentence = [], figure.sentence_start
            if figure.kind != "rate" and figure.change is None:
                plain_before.append(figure)
        taken_in = start
        rates = first.kind == "rate"
        rule = "rates-respectively" if rates else "changes-respectively"
        # a list goes on through figures of the same reading: rates after a rate, amounts with no
        # change word of their own after an amount of change
        while end + 1 < len(figures) and (figures[end + 1].kind == "rate") == rates \
                and (rates or figures[end + 1].change is None) \
                and (separator.fullmatch(text[figures[end].end:figures[end + 1].start])
                     or rates and figures[end].end == figures[end + 1].start):
            # (rates glued with no separator, 同比分别下降25.5%21.9%27.5%: each percent sign ends one
            # rate, so two rates side by side are items of one list; amounts are not read so, since
            # 新增276户462人 counts one thing twice)
            end += 1
        group = figures[start:end + 1]
        changes = rates or first.change is not None and first.evidence["change"].rule == "change-word"
        if len(group) < 2:
            continue
        clause_start = _list_clause_start(text, index, first)
        if not changes and respectively_word not in text[clause_start:first.start]:
            continue  # other lists of figures are read only after 分别 (客运量和周转量分别完成了3.7亿人和270.8亿人公里)
        if not changes:
            if any(f.object and f.object != f.action and not g.rate_list_split.search(f.object) for f in group):
                # 县、乡两级分别调拨救灾物资1.8万件、2.6万件: the figures name what they count (but not
                # 客运量和周转量, a list of names to hand out)
                continue
            rule = "figures-respectively"
        for figure in group[1:]:
            if figure.change is None and first.change is not None:
                span = (first.start, first.end)
                figure.decide("change", first.change, "change-word-of-the-list", span)
                figure.decide("action", first.action, "change-word-of-the-list", span)
        lead = text[clause_start:first.start]
        respectively = respectively_word in lead
        subject = lead[:lead.index(respectively_word)] if respectively else g.without_change_words(lead)
        subject = g.without_comparator(subject.rstrip()).rstrip()  # 同比, 比前5年: not part of the last subject
        subject_start = clause_start
        if not subject.strip() and clause_start > 0:
            # 受灾人口、倒塌房屋数量和直接经济损失，与前5年平均值相比，同比分别下降...: the
            # subjects are in the clause before a clause that only names the baseline
            previous_start = index.clause_window(clause_start - 1, clause_start - 1)[0]
            if g.comparator_at_end is not None and g.comparator_at_end.fullmatch(text, previous_start, clause_start - 1):
                subject_start = index.clause_window(previous_start - 1, previous_start - 1)[0] if previous_start > 0 else 0
                subject = text[subject_start:previous_start - 1] if previous_start > 0 else ""
        listed = [g.without_scope(g.strip_leading(part)) for part in separator.split(subject) if part.strip()]
        if len(listed) == 1 and listed[0] in g.lexicons.growth_rate_acts:
            # 产值分别为18.24亿元、1.50亿元；增幅分别为2.3%、5.4%: a growth rate's name is no subject,
            # the rates are the growths of the figures before them
            listed = []
        parts = _with_shared_head(g, listed)
        before = [f for f in plain_before if not _in_brackets(index, f, first.start)] if plain_sentence == first.sentence_start else []
        if len(parts) == len(group) and (respectively or changes and len(parts) > 1):
            # 事故起数、死亡人数同比下降40.2%、33.5%: as many names listed before the change as
            # rates after it hand them out in order, 分别 or not
            names = parts
            spans = [_located(text, part, subject_start, first.start) for part in parts]
        elif changes and not parts and (len(before) == len(group) or respectively and len(before) > len(group)):
            named = before[-len(group):]
            names = [g.figure_name(m) for m in named]
            spans = [(m.start, m.end) for m in named]
        else:
            names = []
        if len(names) == len(group) and all(names):
            # 甘孜、眉山、乐山PM2.5浓度同比分别下降16.3%、7.3%、1.0%: one figure per place, parts of
            # what the page reports for the whole, never its total
            per_place = respectively and names is parts and _all_places(listed)
            for figure, name, span in zip(group, names, spans):
                figure.decide("object", name, rule, span)
                if per_place:
                    figure.decide("scope", True, "places-respectively", span)


def _place_opening(item: str) -> str:
    """The division name an item opens with (沐川县PM2.5浓度 -> 沐川县), or ''."""
    names = regions().find_names(item)
    return names[0] if names and item.startswith(names[0]) else ""


def _all_places(items: list[str]) -> bool:
    """Every item of a list opens with a division's name (甘孜, 眉山市, 乐山PM2.5浓度)."""
    return all(_place_opening(item) for item in items)


def _list_clause_start(text: str, index: TextIndex, first: Figure) -> int:
    """Where the clause of a list's first figure starts; a list after a colon (浓度分别为：18微克/立方米、
    36微克/立方米) reads the clause before the colon with it."""
    start = index.clause_window(first.start, first.end)[0]
    if start > 1 and text[start - 1] in "：:" and not text[start:first.start].strip():
        start = index.clause_window(start - 2, start - 1)[0]
    return start


def _in_brackets(index: TextIndex, figure: Figure, list_start: int) -> bool:
    """死亡35人（含高速事故6起6人）: a figure inside brackets closed before the list is an aside, not
    one of the figures a list of changes after the brackets refers to; inside the same brackets as
    the list ((全市共发生事故19起、死亡17人，同比分别减少3起、6人…)) it is one of them."""
    return index.inside_brackets(max(figure.sentence_start, figure.start - 60), figure.start) \
        and index.holds_any(CLOSING_BRACKET_CHARS, figure.end, list_start)


def _with_shared_head(g: Grammar, parts: list[str]) -> list[str]:
    """Items listed before the last one share its head: ordinals (第二、第三产业占比 -> 第二产业占比;
    第一、二、三产业 -> 第一产业, 二产业) and one-word names (农业、林业和渔业产值 -> 农业产值,
    林业产值); not names with heads of their own (事故起数和死亡人数) nor other words
    (新生儿、婴儿和5岁以下儿童死亡率)."""
    if len(parts) < 2:
        return parts
    bare = [BRACKETED.sub("", part) for part in parts]
    if bare != parts and all(bare):
        # 可吸入颗粒物(PM10)、细颗粒物(PM2.5)、二氧化氮(NO2)平均浓度: the items are read without their
        # bracketed abbreviations, which each keeps before the shared head
        shared = _with_shared_head(g, bare)
        return [part + named[len(item):] for part, item, named in zip(parts[:-1], bare, shared)] + [parts[-1]]
    place = _place_opening(parts[-1])
    if place and all(_place_opening(part) == part for part in parts[:-1]):
        # 峨眉山市、犍为县、沐川县PM2.5浓度: places share what follows the last place's name (a word
        # cut would leave 县PM2.5浓度 as the head)
        return [part + parts[-1][len(place):] for part in parts[:-1]] + [parts[-1]]
    ordinal = g.patterns["listed_ordinal"]
    if all(ordinal.fullmatch(part) for part in parts[:-1]):
        own = ordinal.match(parts[-1])
        if own is None or own.end() >= len(parts[-1]):
            return parts
        head = parts[-1][own.end():]
    else:
        one_noun = lambda tokens: len(tokens) == 1 and tokens[0].is_noun and not tokens[0].is_verb
        # the items between the first and the last must each be one noun, whatever the first: they
        # are tagged (and the list given up) before the first and last items, often the longest
        if not all(one_noun(g.segmenter.tag(part)) for part in parts[1:-1]):
            return parts
        first = g.segmenter.tag(parts[0])
        if len(parts) >= 3 and one_noun(first[-1:]):
            # 空气主要污染物PM2.5、PM10、O3…浓度: the first item is the word in line with the others,
            # after what the clause says before the list
            parts, first = [first[-1].word] + parts[1:], first[-1:]
        last = g.segmenter.tag(parts[-1])
        if not one_noun(first) or len(last) < 2 or not (last[0].is_noun and not last[0].is_verb) or not last[-1].is_noun:
            return parts
        head = parts[-1][last[0].end:]
    return [part + head for part in parts[:-1]] + [parts[-1]]


def _located(text: str, part: str, start: int, end: int) -> tuple[int, int]:
    at = text.find(part, start, end)
    return (at, at + len(part)) if at >= 0 else (start, end)


def _implied_nouns(lexicons, figures: list[Figure]) -> dict:
    """The noun each unit of implied_nouns counts in this document: the lexicon's, unless the
    document's own counts in those units (家 and 家次 alike) name another of implied_noun_choices
    more often."""
    named = Counter()
    for figure in figures:
        if figure.unit in lexicons.implied_nouns and figure.object:
            choice = next((c for c in lexicons.implied_noun_choices if figure.object.endswith(c)), None)
            # 生产经营单位 are enterprises by another name: a noun a modifier verb describes is no vote
            if choice and not figure.object[:-len(choice)].endswith(tuple(lexicons.modifier_verbs)):
                named[choice] += 1
    best = named.most_common(1)
    return {unit: best[0][0] if best and best[0][1] > named[default] else default
            for unit, default in lexicons.implied_nouns.items()}


# objects that passes gave counts from an act or from another count, not from words of the count's
# own: a later count does not borrow them as the whole count's things (object-of-the-whole-before)
PASS_BORROWED_OBJECTS = frozenset(("object-of-the-act", "object-of-the-whole-before", "count-of-the-act"))


# rules that decide a count has no act: the base of a share (占全年筛查任务(6.6万人)的…) and the level
# a change starts from (由119家降为52家) are named, not done, whatever their name holds
ACTS_DECIDED_EMPTY = frozenset(("base-of-a-share", "level-after-change/from"))


def last_word_on_counts(text: str, g: Grammar, figures: list[Figure]) -> None:
    """A count that names its act in its object has that act (火灾扑救83.7万起 -> 扑救, 受灾人口9.09万人
    -> 受灾); a count with no noun of its own counts its act (立案50起, 临时查封53家, 拘留10人)."""
    lexicons = g.lexicons
    implied_nouns = _implied_nouns(lexicons, figures)
    wholes: dict = {}  # unit -> the last count before that names what it counts and is no part
    for figure in figures:
        if figure.kind != "count" or figure.change:
            continue
        whole = wholes.get(figure.unit)
        if whole is not None and whole.sentence_start != figure.sentence_start and not (
                whole.sentence_end >= figure.sentence_start - 1 and text[whole.sentence_end - 1:whole.sentence_end] in "；;"):
            whole = None  # its own sentence's, or the one a semicolon joins to it
        decided_empty = figure.evidence.get("action") is not None and figure.evidence["action"].rule in ACTS_DECIDED_EMPTY
        formula = ""
        if figure.object in lexicons.act_formulas:
            # 责令“三停”9家: the formula names what was done (lexicon act_formulas), with the verb
            # before it (责令, the action); the count counts the units it was done to, named below
            # from the whole before or as a count of the act (责令三停单位)
            evidence = figure.evidence.get("object")
            # (本月“三停”4家，临时查封2家: a formula lent by the figure before is not this count's act)
            lent = evidence is not None and evidence.in_family("object-of-figure-before")
            formula = "" if lent else figure.object
            span = (evidence.start, evidence.end) if evidence else (figure.start, figure.end)
            figure.decide("object", "", "act-named-by-formula", span)
            acted = figure.evidence.get("action")
            if formula and (not figure.action or acted is None or acted.end > span[0]
                            or text[acted.end:span[0]].strip(" “”\"'")):
                # 临时查封21家，“三停”10家: an act read before the formula's own words (lent by the
                # figure before) is not this count's; the formula is its act
                figure.decide("action", formula, "act-named-by-formula", span)
        if not figure.action and figure.object and not decided_empty:
            act = g.trailing_act(figure.object) or (
                figure.object[:2] if figure.object[:2] in lexicons.state_verbs else "")
            if act:
                evidence = figure.evidence.get("object")
                span = (evidence.start, evidence.end) if evidence else (figure.start, figure.end)
                figure.decide("action", act, "act-in-count-name", span)
            else:
                # 道路交通：事故9起: a count of events that names no act counts what happened
                event = next((e for e in lexicons.implied_acts if figure.object.endswith(e)), None) \
                    if figure.unit in lexicons.case_units else None
                if event:
                    evidence = figure.evidence.get("object")
                    span = (evidence.start, evidence.end) if evidence else (figure.start, figure.end)
                    figure.decide("action", lexicons.implied_acts[event], "act-implied-by-event", span)
        if not figure.object and figure.action and not figure.action.endswith(lexicons.change_level_markers) \
                and figure.action not in lexicons.stock_predicates:
            action_evidence = figure.evidence.get("action")
            span = (action_evidence.start, action_evidence.end) if action_evidence else (figure.start, figure.end)
            handled = g.object_of_act(figure.unit, figure.action)
            if handled:
                # 接警出动2964起 -> 警情, 行政拘留11人 -> 人员: what the act handles is what is counted
                figure.decide("object", handled, "object-of-the-act", span)
            elif whole is not None and not figure.breakdown and figure.action not in whole.object \
                    and whole.action != figure.action and figure.unit not in lexicons.person_units \
                    and figure.unit not in lexicons.generic_measure_words and not g.is_act_category(figure.action):
                # 发现各类安全隐患6,127项，其中重大事故隐患19项；已整改6,034项: a second act on the
                # things the sentence's whole count named (not on its parts), in a unit that says
                # what kind of thing it counts (people, and 个 in lexicon generic_measure_words, say
                # too little: 毕业生2158人；招生2500人)
                # (责令“三停”4家 -> 三停单位: the units the formula's act was done to, as 三停单位 names them)
                figure.decide("object", formula + whole.object if formula and formula not in whole.object else whole.object,
                              "object-of-the-whole-before", whole.object_span())
            else:
                # 临时查封30家 -> 查封企业: a unit that counts one kind of thing names it after the act
                act = figure.action + formula if formula not in figure.action else figure.action
                figure.decide("object", act + implied_nouns.get(figure.unit, ""), "count-of-the-act", span)
        if figure.object and not figure.breakdown and figure.evidence.get("object") is not None \
                and figure.evidence["object"].rule not in PASS_BORROWED_OBJECTS:
            wholes[figure.unit] = figure


def _stock_name_around(text: str, names, act: str, start: int) -> str:
    """The stock name (粮食种植面积 -> 种植面积) that the act read at `start` is part of, or ''."""
    for name in names:
        at = name.find(act)
        if at >= 0 and text.startswith(name, start - at):
            return name
    return ""


def verb_inside_stock_name(text: str, g: Grammar, figures: list[Figure]) -> None:
    """粮食种植面积12981公顷, 总计编制床位数7325张（其中公立6298张）-> action '' for all three: the verb
    of a standing quantity's name (lexicon stock_names) is part of the name, not an act, and so for
    the figures that took their act from it (their action evidence points at it). So for a budget's
    category named by a verb (补助收入, 教育支出: lexicon flow_heads). An object that the verb split off
    the name (面积, 收入) gets the whole name back (种植面积, 补助收入)."""
    cleared: dict[tuple[int, int], str] = {}  # spans a cleared act was read from, and of its figures
    names = g.lexicons.stock_names
    for figure in figures:
        evidence = figure.evidence.get("action")
        if not figure.action or evidence is None:
            continue
        source = (evidence.start, evidence.end)
        name = _stock_name_around(text, names, figure.action, evidence.start) or next(
            (n for n in names if n in figure.object and figure.action in n), "")
        # 补助收入568709万元, 返还性收入9670万元, 教育支出: a budget category named by the verb
        named = text[evidence.start:figure.start].rstrip(" 为达是：:")
        flow = next((named for head in g.lexicons.flow_heads if figure.kind == "money" and named.endswith(head)
                     and named.startswith(figure.action) and len(named) - len(figure.action) - len(head) <= 1
                     and "的" not in named), "")  # 从林业上获得的收入: an act, then what it brought
        if not name and not flow and cleared.get(source) != figure.action:
            continue
        cleared[source] = cleared[(figure.start, figure.end)] = figure.action
        figure.decide("action", "", "verb-inside-stock-name", source)
        if flow and figure.object != flow and flow.endswith(figure.object):
            figure.decide("object", flow, "verb-inside-stock-name", (evidence.start, evidence.start + len(flow)))
        if name and name not in figure.object and name.endswith(figure.object):
            figure.decide("object", name, "verb-inside-stock-name", (evidence.start - name.find(figure.action),
                                                                     evidence.start - name.find(figure.action) + len(name)))


def run_passes(text: str, index: TextIndex, g: Grammar, tables: Tables, lines: TableLines, figures: list[Figure]) -> None:
    parts_after_a_full_stop(text, index, g, figures)
    rates_respectively(text, index, g, figures)
    tables.read_cells(text, lines, figures)
    last_word_on_counts(text, g, figures)
    verb_inside_stock_name(text, g, figures)
    aside_left_out_of_name(g, figures)


def aside_left_out_of_name(g: Grammar, figures: list[Figure]) -> None:
    """农林牧渔业(包括农林牧渔专业及辅助性活动)增加值 -> 农林牧渔业增加值: brackets that say what a name
    includes or leaves out (grammar.yaml aside_openers) are an aside, not part of the name; brackets
    that name alternatives or an abbreviation stay (县(市、区), 细颗粒物(PM2.5))."""
    openers = tuple(g.words.aside_openers)
    for figure in figures:
        if "(" not in figure.object and "（" not in figure.object:
            continue
        name = BRACKETED.sub(lambda found: "" if found.group()[1:].lstrip().startswith(openers) else found.group(),
                             figure.object).strip()
        if name and name != figure.object:
            figure.decide("object", name, "aside-left-out-of-name", (figure.start, figure.end))


# word classes that never name a thing on their own: adverbs, numerals, measure words, punctuation,
# conjunctions, prepositions, particles, positions (之后, 前期), pronouns
NOT_NOMINAL_FLAGS = frozenset(("d", "ad", "m", "q", "x", "c", "p", "u", "uj", "ul", "f", "r"))


# a Latin abbreviation in lower case (pm2.5, no2, gdp), not a pinyin gloss with tone marks (zhèn)
LOWERCASE_ABBREVIATION = regex.compile(r"(?<![\p{Latin}])[a-z][a-z0-9.]*(?![\p{Latin}])")


def well_typed(g: Grammar, figures: list) -> None:
    """The types of the two fields the rules set: an object names a thing (never a bare
    change word such as 减少, a framing word such as 累计 or 全部, a measure word, a number, or
    function words alone such as 之后), an action is an act (a verb, a verbal noun, or one of the
    lexicon's acts named by nouns: 损失, 降雨, 现有, or by a formula: 三停). A value that breaks its type is cleared, with
    the evidence rule type-check."""
    lexicons = g.lexicons
    not_a_thing = frozenset(g.change_verbs) | frozenset(lexicons.object_trim) | frozenset(lexicons.units) \
        | frozenset(lexicons.frame_nouns)
    named_acts = frozenset(lexicons.act_nouns) | frozenset(lexicons.stock_predicates) | frozenset(lexicons.casualty_acts) \
        | frozenset(lexicons.state_verbs) | g.change_verbs | frozenset(lexicons.change_level_markers) \
        | frozenset(lexicons.benchmark_verbs) | frozenset(lexicons.comparison_adjectives) \
        | frozenset(lexicons.act_formulas)
    for figure in figures:
        if figure.object and LOWERCASE_ABBREVIATION.search(figure.object):
            # 细颗粒物(pm2.5): a page that lowercased its Latin abbreviations names the same thing as
            # PM2.5; the name keeps the rule that read it, in the abbreviations' written form
            figure.object = LOWERCASE_ABBREVIATION.sub(lambda m: m.group().upper(), figure.object)
        if figure.object and (figure.object in not_a_thing or figure.object.isdigit() or all(
                t.flag in NOT_NOMINAL_FLAGS for t in g.segmenter.tag(figure.object))):
            figure.decide("object", "", "type-check", (figure.start, figure.end))
        if figure.action and figure.action not in named_acts and not any(
                t.flag.startswith("v") for t in g.segmenter.tag(figure.action)):
            figure.decide("action", "", "type-check", (figure.start, figure.end))
