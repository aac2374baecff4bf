"""Which column a figure belongs in, so figures compare across bureaus and documents.

Two sources, recorded in Metric.indicator_source:
- taxonomy: an id of lexicons/indicators.yaml (domain.subject.measure, e.g. economy.gdp.value). A
  figure maps to an indicator when its kind fits, its unit is one the indicator accepts (or converts
  to its unit), and its words give evidence: an alias (地区生产总值; "旅客 周转量" allows a few
  characters between the parts) found in its object, in its action + object, or failing those in
  the clause before the number; or one of the indicator's object words with one of its action
  words. A change (同比增长5.2%) maps to its level's id with a suffix: _change_pct (%),
  _change_pp (个百分点), _change (in the level's own unit). The longest evidence wins; a tie
  between indicators maps to none of them (null is better than wrong).
- signature: for a figure no id covers, a normalized name built from its object's core (scope
  words such as 全县 and 累计 dropped), its action (light verbs such as 完成 dropped) and the kind
  of its unit (家 and 家次 are both establishments), e.g. "~食品抽检|抽检|batch", so the same
  figure still lands in the same column across documents. `reportmine indicators suggest` lists
  the frequent ones, to be promoted into a taxonomy with --lexicon-dir.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from fractions import Fraction
from pathlib import Path
from typing import Iterable, Optional

import regex

from .errors import LexiconError
from .word_places import WordPlaces

KINDS = ("count", "money", "rate", "measure")
ID = regex.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*){2}")
# the unit of a change decides the suffix of its column
CHANGE_SUFFIX = {"%": "_change_pct", "个百分点": "_change_pp"}
ALIAS_GAP = 16  # characters an alias's space may stand for (公路 客运量 -> 公路营业性汽车运输自年初累计完成客运量)
# what an event count's casualties and losses are measured in (deaths after 较大事故3起)
EVENT_MEASURES = ("deaths", "injuries", "losses")
# the two columns of 直接经济损失: a disaster's, or the accidents' when the sentence is about accidents
ACCIDENT_DOMAIN, DISASTER_LOSSES, ACCIDENT_LOSSES = "accidents.", "disaster.natural.losses", "accidents.all.losses"
# the two columns of deaths named alone (死亡4人): the accidents', or a disaster's in a sentence about one
DISASTER_DOMAIN, ACCIDENT_DEATHS, DISASTER_DEATHS = "disaster.", "accidents.all.deaths", "disaster.natural.deaths"
# a figure in a clause: digits and the (up to two) characters of its unit after them; the words
# after the last one are what a figure's context says of it. The last figure's end is its last
# digit and the Han characters after it, found from the right (splitting at every figure cost a
# pass over the whole window per figure)
LAST_DIGIT = regex.compile(r"\d", flags=regex.REVERSE)
RESPECTIVE_WORD = "分别"
# digits in a name that are no figure: an ordinal (第90百分位数), a formula (O3, PM2.5, NO2), a span of
# hours a statistic is taken over (日最大8小时值), a year (床位由2019年的475张): the clause before a
# figure runs on over them
DIGITS_OF_A_NAME = regex.compile(r"第\d+|[A-Za-z]\d+(?:\.\d+)?|\d+小时|(?:\d{4}|\d{2}[xX]{2})\s*年")
UNIT_AFTER_DIGIT = regex.compile(r"\p{Han}{0,2}")
# a character no name's digits (DIGITS_OF_A_NAME) can hold: no such name runs across one
NOT_IN_A_NAME = regex.compile(r"[^第A-Za-z\d.小时年\s]", flags=regex.REVERSE)
# a field named at the head of a clause of a sentence that reviews several (…；道路交通领域，事故起数
#和死亡人数分别下降…；建设施工领域，…): the topic of the figures after it in that clause run
FIELD_LABEL = regex.compile(r"(?:^|[；;。])\s*(?:在)?(?P<topic>\p{Han}{2,8}?领域)[，,：:]")
FIELD_WORD = "领域"  # (what every FIELD_LABEL match holds)
FIELD_WORDS = (FIELD_WORD,)
CLAUSE_RUN_BREAK = regex.compile(r"[；;。]")
# the name that ends a clause, right before its figure (；烤烟种植面积)
TRAILING_NAME = regex.compile(r"\p{Han}+$")
# a short label opening a sentence, after its numbering: （一）道路交通：, 消防领域:
TOPIC = regex.compile(r"\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])?\s*(?P<topic>\p{Han}{2,10})[：:]")
# names listed before 分别 (第一、二、三产业增加值分别为): group names
# compiled once: regex.sub(pattern string, ...) looks its pattern up at every call (40 us)
LIST_JOINERS = regex.compile(r"[、和及与]")
CLAUSE_MARKS = regex.compile(r"[，,；;：:]")
BRACKETS = regex.compile(r"[(（][^()（）]*[)）]")
RESPECTIVELY = regex.compile(r"(?P<names>[^，,；;。]*?)(?:均|则)?分别(?:为|是|完成|实现|达到|达|占|有)?了?$")
# a line that opens with a short label sentence: ——小学。校数17所
LINE_LABEL = regex.compile(r"\s*(?:——|--|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十\d]+[、.．])\s*(?P<topic>\p{Han}{2,10})[。：:]")
# a line opening with a short name and its figure: 普通高中学校5所；
LINE_SUBJECT = regex.compile(r"\s*(?P<topic>\p{Han}{2,8})\d[\d.]*\p{Han}{1,2}[；;]")
# a numbered heading line: (一) 公路客货运输生产, 二、农业
HEADING_LINE = regex.compile(r"(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．])\s*(?P<topic>\p{Han}[\p{Han}\s]{1,18})")
# a label after a discourse ordinal inside a line (一是公路运输稳中向好：…；二是水路运输加速崛起：…): the
# topic of the figures after it, up to the next label or the line's end
DISCOURSE_LABEL = regex.compile(r"(?:[一二三四五六七八九十]是|其[一二三四五六七八九十])\s*(?P<topic>\p{Han}{2,10})[：:]")
HEADING_LOOKBACK = 1500
TAXONOMY = "taxonomy"
SIGNATURE = "signature"


@dataclass(frozen=True)
class Indicator:
    id: str
    zh: str
    en: str
    kind: str
    unit: str
    units: tuple
    aliases: tuple = ()  # source strings; compiled in `patterns`
    objects: tuple = ()
    actions: tuple = ()
    not_objects: tuple = ()
    not_actions: tuple = ()
    patterns: tuple = field(default=(), compare=False, repr=False)

    @cached_property
    def alias_keys(self) -> tuple:
        """The longest part of each alias (a space in an alias lets words stand between its parts)."""
        return tuple(max(alias.split(" "), key=len) for alias in self.aliases)

    def evidence(self, obj: str, action: str, shifters: tuple, with_actions: bool = True) -> int:
        """How strongly a figure's words fit (length of the matched words), 0 when they do not.
        with_actions False judges on the object alone: a change's action is its verb (下降), not
        the act of the level it changes."""
        if any(word in obj for word in self.not_objects) or any(word in action for word in self.not_actions):
            return 0
        best, both = 0, action + obj
        for alias, pattern, key in zip(self.aliases, self.patterns, self.alias_keys):
            # the pattern needs every part of the alias: its longest is looked for first (in the
            # act and object together, which hold the object: absent there, absent in both)
            if key not in both:
                continue
            for described in (obj, both) if key in obj else (both,):
                # 人均, 比重, 贡献率 ... change what a name means: 人均地区生产总值 is not 地区生产总值
                if pattern.search(described) and not any(word in described and word not in alias for word in shifters):
                    best = max(best, 2 * len(alias.replace(" ", "")))
        if self.objects:
            matched = [word for word in self.objects if word in obj]
            acted = [word for word in self.actions if word in action or word in obj] \
                if self.actions and with_actions else [""]
            if matched and acted:
                best = max(best, 2 * max(map(len, matched)) + max(map(len, acted)))
        elif self.actions and with_actions:
            # a word in the object names what is counted: stronger than the same word as the act
            # (三停 as object beats 查封 as the act of 临时查封…“三停”10家)
            acted = [2 * len(word) if word in obj else len(word) for word in self.actions if word in action or word in obj]
            if acted:
                best = max(best, max(acted))
        return best


@dataclass(frozen=True)
class Taxonomy:
    indicators: tuple
    unit_classes: dict  # unit -> the kind of thing it counts (家, 家次 -> establishment)
    conversions: dict  # unit -> (unit it converts to, exact factor)
    shifters: tuple
    signature_drop_prefixes: tuple
    signature_drop_actions: tuple
    list_names: dict = field(default_factory=dict)  # a name that stands for several (三次产业 -> 第一产业 ...)
    inclusion_actions: tuple = ()  # acts of a figure that is a part of the one before it (含, 其中)
    change_nouns: tuple = ()  # names of a figure that is a change without a change word (增幅)
    # acts a rate in % takes from a growth rate's name (增速5.2% -> 增长) with no change word of its own
    growth_acts: tuple = ()
    # acts of a share said right after a figure (占全年总有效天数的81.1%), and the noun that names a share
    share_acts: tuple = ()
    share_noun: str = ""
    measure_nouns: tuple = ()  # measure words that end a name (产量, 播种面积)
    topic_joiners: tuple = ()  # words joining two subjects in a heading (生产安全事故和自然灾害)
    accident_words: tuple = ()  # words that name accidents in a figure's object (事故)
    # unit class -> the measure words its unit already says, cut from the end of a signature's
    # object (稻谷产量 in 吨 is 稻谷 in 吨)
    signature_drop_suffixes: dict = field(default_factory=dict)

    def factor(self, unit: str, target: str) -> Optional[Fraction]:
        """The factor that turns a value in unit into one in target, None when they do not convert."""
        if unit == target:
            return Fraction(1)
        seen, factor = {unit}, Fraction(1)
        while unit in self.conversions:
            unit, step = self.conversions[unit]
            factor *= step
            if unit == target:
                return factor
            if unit in seen:
                break
            seen.add(unit)
        return None


def parse_indicators(path: Path, data) -> Taxonomy:
    """Validate one indicators.yaml: every indicator with a well-formed unique id, a kind, its unit
    among the units it accepts, and evidence; unit classes and conversions well formed."""
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise LexiconError(path, 1, "expected a mapping with an `indicators` list (and optional unit_classes, "
                                    "conversions, shifters, signature)")
    lines = []

    def line(number: int) -> int:
        # the lines are read back (a second YAML pass) only to say where an error is
        if not lines:
            lines.append(_item_lines(path))
        return lines[0][number] if number < len(lines[0]) else 0

    seen, indicators = {}, []
    for number, entry in enumerate(data["indicators"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise LexiconError(path, line(number), "each indicator needs an id")
        ident = entry["id"]
        if not ID.fullmatch(ident):
            raise LexiconError(path, line(number), f"{ident}: an id is domain.subject.measure in lower-case snake_case")
        if ident in seen:
            raise LexiconError(path, line(number), f"duplicate indicator id {ident!r} (first on line {line(seen[ident])})")
        seen[ident] = number
        unknown = set(entry) - {"id", "zh", "en", "kind", "unit", "units", "aliases", "objects", "actions",
                                "not_objects", "not_actions"}
        if unknown:
            raise LexiconError(path, line(number), f"{ident}: unknown field(s) {', '.join(sorted(unknown))}")
        if entry.get("kind") not in KINDS:
            raise LexiconError(path, line(number), f"{ident}: kind must be one of {', '.join(KINDS)}")
        if not isinstance(entry.get("zh"), str) or not entry["zh"]:
            raise LexiconError(path, line(number), f"{ident}: needs a Chinese label (zh)")
        for key in ("units", "aliases", "objects", "actions", "not_objects", "not_actions"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise LexiconError(path, line(number), f"{ident}: {key} must be a list of non-empty strings")
        if not entry.get("aliases") and not entry.get("objects") and not entry.get("actions"):
            raise LexiconError(path, line(number), f"{ident}: needs aliases, objects or actions as evidence")
        unit = entry.get("unit")
        units = tuple(dict.fromkeys([unit] + list(entry.get("units") or []))) if unit else ()
        if not isinstance(unit, str) or not unit:
            raise LexiconError(path, line(number), f"{ident}: needs the unit its column is in")
        aliases = tuple(" ".join(alias.split()) for alias in entry.get("aliases") or ())
        indicators.append(Indicator(
            id=ident, zh=entry["zh"], en=str(entry.get("en", "")), kind=entry["kind"], unit=unit, units=units,
            aliases=aliases, patterns=tuple(AliasPattern(alias) for alias in aliases),
            objects=tuple(entry.get("objects") or ()), actions=tuple(entry.get("actions") or ()),
            not_objects=tuple(entry.get("not_objects") or ()), not_actions=tuple(entry.get("not_actions") or ())))
    unit_classes = {}
    for name, units in (data.get("unit_classes") or {}).items():
        if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
            raise LexiconError(path, 0, f"unit_classes.{name}: expected a list of units")
        for unit in units:
            if unit in unit_classes:
                raise LexiconError(path, 0, f"unit_classes: {unit} is in both {unit_classes[unit]} and {name}")
            unit_classes[unit] = str(name)
    conversions = {}
    for unit, rule in (data.get("conversions") or {}).items():
        try:
            target, factor = rule
            conversions[str(unit)] = (str(target), Fraction(str(factor)))
        except (TypeError, ValueError, ZeroDivisionError):
            raise LexiconError(path, 0, f"conversions.{unit}: expected [unit, factor] such as [公顷, 1/15]")
    signature = data.get("signature") or {}
    if not isinstance(data.get("share_noun", ""), str):
        raise LexiconError(path, 0, "share_noun: expected a word")
    for key in ("shifters", "inclusion_actions", "change_nouns", "growth_acts", "share_acts", "measure_nouns", "topic_joiners",
                "accident_words"):
        if not isinstance(data.get(key, []), list):
            raise LexiconError(path, 0, f"{key}: expected a list of words")
    for key in ("drop_prefixes", "drop_actions"):
        if not isinstance(signature.get(key, []), list):
            raise LexiconError(path, 0, f"signature.{key}: expected a list of words")
    suffixes = signature.get("drop_suffixes") or {}
    if not isinstance(suffixes, dict) or not all(isinstance(v, list) and all(isinstance(w, str) and w for w in v)
                                                 for v in suffixes.values()):
        raise LexiconError(path, 0, "signature.drop_suffixes: expected a unit class -> a list of words")
    list_names = data.get("list_names") or {}
    if not isinstance(list_names, dict) or not all(isinstance(v, list) and len(v) >= 2 and all(isinstance(n, str) for n in v)
                                                   for v in list_names.values()):
        raise LexiconError(path, 0, "list_names: expected a name -> a list of two or more names")
    return Taxonomy(indicators=tuple(indicators), unit_classes=unit_classes, conversions=conversions,
                    shifters=tuple(data.get("shifters") or ()),
                    signature_drop_prefixes=tuple(signature.get("drop_prefixes") or ()),
                    signature_drop_actions=tuple(signature.get("drop_actions") or ()), list_names=dict(list_names),
                    inclusion_actions=tuple(data.get("inclusion_actions") or ()),
                    change_nouns=tuple(data.get("change_nouns") or ()), growth_acts=tuple(data.get("growth_acts") or ()),
                    share_acts=tuple(data.get("share_acts") or ()), share_noun=str(data.get("share_noun") or ""),
                    measure_nouns=tuple(sorted(data.get("measure_nouns") or (), key=len, reverse=True)),
                    topic_joiners=tuple(data.get("topic_joiners") or ()), accident_words=tuple(data.get("accident_words") or ()),
                    signature_drop_suffixes={str(c): tuple(sorted(v, key=len, reverse=True)) for c, v in suffixes.items()})


def merge_taxonomies(layers: list) -> Taxonomy:
    """The shipped taxonomy with a user's files over it: an indicator of the same id is replaced,
    lists are joined, unit classes and conversions updated."""
    indicators, unit_classes, conversions, list_names = {}, {}, {}, {}
    inclusions, change_nouns, measure_nouns, topic_joiners, accident_words, growth_acts = [], [], [], [], [], []
    share_acts, share_noun = [], ""
    shifters, prefixes, actions, suffixes = [], [], [], {}
    for layer in layers:
        indicators.update((indicator.id, indicator) for indicator in layer.indicators)
        list_names.update(layer.list_names)
        inclusions += layer.inclusion_actions
        change_nouns += layer.change_nouns
        growth_acts += layer.growth_acts
        share_acts += layer.share_acts
        share_noun = layer.share_noun or share_noun
        measure_nouns += layer.measure_nouns
        topic_joiners += layer.topic_joiners
        accident_words += layer.accident_words
        unit_classes.update(layer.unit_classes)
        conversions.update(layer.conversions)
        shifters += layer.shifters
        prefixes += layer.signature_drop_prefixes
        actions += layer.signature_drop_actions
        for unit_class, words in layer.signature_drop_suffixes.items():
            suffixes[unit_class] = tuple(sorted(set(suffixes.get(unit_class, ()) + tuple(words)), key=len, reverse=True))
    return Taxonomy(indicators=tuple(indicators.values()), unit_classes=unit_classes, conversions=conversions,
                    shifters=tuple(dict.fromkeys(shifters)),
                    signature_drop_prefixes=tuple(sorted(set(prefixes), key=len, reverse=True)),
                    signature_drop_actions=tuple(dict.fromkeys(actions)), list_names=list_names,
                    inclusion_actions=tuple(dict.fromkeys(inclusions)), change_nouns=tuple(dict.fromkeys(change_nouns)),
                    growth_acts=tuple(dict.fromkeys(growth_acts)), share_acts=tuple(dict.fromkeys(share_acts)),
                    share_noun=share_noun,
                    measure_nouns=tuple(sorted(set(measure_nouns), key=len, reverse=True)),
                    topic_joiners=tuple(dict.fromkeys(topic_joiners)), accident_words=tuple(dict.fromkeys(accident_words)),
                    signature_drop_suffixes=suffixes)


class AliasPattern:
    """An alias's pattern, compiled on its first search: 723 aliases took half the lexicons' load
    time to compile, and a batch searches a few of them (only where their longest part stands)."""

    __slots__ = ("alias", "_compiled")

    def __init__(self, alias: str):
        self.alias = alias
        self._compiled = None

    @property
    def compiled(self):
        if self._compiled is None:
            self._compiled = _alias_pattern(self.alias)
        return self._compiled

    @property
    def pattern(self) -> str:
        return self.compiled.pattern

    def search(self, text: str, *args):
        return self.compiled.search(text, *args)


def _alias_pattern(alias: str):
    parts = [regex.escape(part) for part in alias.split(" ")]
    return regex.compile(f"[^，。；,;]{{0,{ALIAS_GAP}}}?".join(parts))


def _item_lines(path: Path) -> list:
    """The line each item of the indicators list starts on (empty where the file cannot be read back)."""
    import yaml

    from .lexicon_files import SAFE_LOADER

    try:
        root = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        for key, value in root.value:
            if key.value == "indicators":
                return [node.start_mark.line + 1 for node in value.value]
    except (OSError, AttributeError, TypeError, yaml.YAMLError):
        pass
    return []



def _last_figure_digit_end(context: str) -> Optional[int]:
    """Where the last digit of the clause that is no name's digit (DIGITS_OF_A_NAME) ends, or None.
    Read back from the end one stretch at a time, each cut where a character no such name can hold
    stands (so no name runs across the cut and each stretch reads alone as within the whole): masking
    the names of the whole clause for every figure cost a pass over a clause of thousands of figures."""
    end = len(context)
    while True:
        digit = LAST_DIGIT.search(context, 0, end)
        if digit is None:
            return None
        cut = NOT_IN_A_NAME.search(context, 0, digit.start())
        start = cut.end() if cut else 0
        masked = DIGITS_OF_A_NAME.sub(lambda found: "#" * len(found.group()), context[start:end])
        last = LAST_DIGIT.search(masked)
        if last is not None:
            return start + last.end()
        end = start

class IndicatorMapper:
    MEMORY = 50_000

    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self.by_id = {indicator.id: indicator for indicator in taxonomy.indicators}
        self._judged: dict = {}
        # only indicators of a figure's kind and unit can fit it: index them once
        self.levels: dict = {}
        for indicator in taxonomy.indicators:
            for unit in set(indicator.units) | {u for u in taxonomy.conversions if taxonomy.factor(u, indicator.unit)}:
                self.levels.setdefault((indicator.kind, unit), []).append(indicator)
        # An indicator has evidence for a figure only if one of its words stands in the figure's
        # act and object written together: the longest part of an alias (its pattern needs every
        # part), an object word or an act word. Indexed by first character, so a figure finds the
        # few indicators worth judging in one pass over its words instead of judging every one.
        self.positions = {indicator.id: position for position, indicator in enumerate(taxonomy.indicators)}
        self.level_positions = {key: frozenset(self.positions[i.id] for i in found) for key, found in self.levels.items()}
        triggers: dict = {}
        for position, indicator in enumerate(taxonomy.indicators):
            for word in indicator.alias_keys + indicator.objects + indicator.actions:
                triggers.setdefault(word[0], {}).setdefault(word, set()).add(position)
        self._triggers = {first: tuple(found.items()) for first, found in triggers.items()}

    def assign(self, kind: str, unit: str, obj: str, action: str, change: Optional[str],
               context: str = "", topic: str = "") -> tuple:
        """(indicator, source) for a figure: a taxonomy id judged on its object and action, else
        on the clause before the number (罚款金额236万元 whose object came out as 金额); else its
        signature; (None, None) when it has no words to go by. topic: the label its sentence
        opens with (道路交通：事故9起), which makes a figure more specific when it names a column
        of its own (road accidents, not all accidents)."""
        obj, action = obj or "", action or ""
        change = change or self._growth_rate_change(kind, unit, action)
        # a note in brackets can part a name's words or name other columns (工矿商贸企业(含建筑施工、
        # 消防)事故, 医疗机构(含村卫生室)): the name without it first, with it where that says nothing
        chosen, strength = self._best(kind, unit, _drop_brackets(obj), action, change) if BRACKETS.search(obj) else (None, 0)
        if chosen is None:
            chosen, strength = self._best(kind, unit, obj, action, change)
        # the clause before the number, from the figure before it on (关闭取缔19家、停产整顿220家:
        # 220家 is judged on 停产整顿 alone); it wins when it says more (公路建设完成投资53.5亿元:
        # road investment, not just any investment)
        context = context or ""
        last_digit_end = _last_figure_digit_end(context)
        if last_digit_end is not None:
            context = context[UNIT_AFTER_DIGIT.match(context, last_digit_end).end():]
        if chosen is not None and RESPECTIVE_WORD in context:
            # names listed before 分别 are the whole run's (each figure takes its own of them after):
            # they do not override a column the figure's own name gives (二氧化氮 of 二氧化氮、可吸入
            # 颗粒物年均浓度分别为…); a figure whose name says nothing alone still reads them (工矿商贸、
            # 道路运输事故总量同比分别下降…)
            context = context[context.rfind(RESPECTIVE_WORD) + len(RESPECTIVE_WORD):]
        if context and not context.endswith(obj):
            context += obj
        if context:
            # the clause without its notes in brackets: a note names what a figure includes, or other
            # columns (高中段教育(包括普通高中和中职)共有学校6所 counts neither the 普通高中 nor the 中职)
            wider, wider_strength = self._best(kind, unit, _drop_brackets(context), action, change)
            if wider is not None and wider_strength > strength:
                chosen, strength = wider, wider_strength
        if topic and not any(joiner in topic for joiner in self.taxonomy.topic_joiners) \
                and not (chosen is not None and self._member_of_listed_topic(topic, obj)):
            # a heading that joins two subjects (生产安全事故和自然灾害基本情况) says not which one a figure is of
            # the figure's own name under the topic first (道路交通领域 + 事故起数), then its clause (which
            # may name the next figures too: 事故起数和死亡人数…分别下降)
            for described in dict.fromkeys(part for part in (obj, context or obj) if part):
                specific, specific_strength = self._best(kind, unit, topic + described, action, change)
                if specific is not None and (chosen is None or specific_strength > strength):
                    chosen = specific
                    break
        if chosen is not None:
            return chosen, TAXONOMY
        if obj in self.taxonomy.measure_nouns:
            # a measure word alone (种植面积) whose clause names what it measures (；烤烟种植面积2.23万亩):
            # the clause's name, or every crop's area would share one column
            named = TRAILING_NAME.search(context)
            if named and named.group(0).endswith(obj) and len(named.group(0)) > len(obj):
                obj = named.group(0)
        name = self.signature(kind, unit, obj, action, change)
        return (name, SIGNATURE) if name else (None, None)

    def _member_of_listed_topic(self, topic: str, obj: str) -> bool:
        """Whether a figure is named by one of the members of the group its heading names (林业产值
        under 农林牧渔业: the group is its frame, not its column)."""
        return any(name in topic and any(obj.startswith(member) for member in members)
                   for name, members in self.taxonomy.list_names.items())

    def change_of(self, level_id: str, unit: str, level_unit: str) -> Optional[str]:
        """The column of a change of the figure in column level_id (its id with a suffix)."""
        suffix = CHANGE_SUFFIX.get(unit)
        if suffix is None:
            suffix = "_change" if unit == level_unit or self.unit_class(unit) == self.unit_class(level_unit) else None
        if suffix is None:
            return None
        if level_id.startswith("~"):
            return level_id + "|" + suffix.lstrip("_")
        return level_id + suffix

    def unit_class(self, unit: str) -> str:
        return self.taxonomy.unit_classes.get(unit, unit)

    def signature(self, kind: str, unit: str, obj: str, action: str, change: Optional[str]) -> Optional[str]:
        core = _strip_prefixes(_drop_brackets(obj), self.taxonomy.signature_drop_prefixes)
        for suffix in self.taxonomy.signature_drop_suffixes.get(self.unit_class(unit), ()):
            # a name with something before its measure word: 稻谷产量 and 稻谷, both in 吨
            if core.endswith(suffix) and len(core) > len(suffix):
                core = core[:-len(suffix)]
                break
        act = "" if action in self.taxonomy.signature_drop_actions else action
        if not core and not act:
            return None
        name = f"~{core}|{act}|{self.unit_class(unit) if not change else kind}"
        if change:
            name += "|" + CHANGE_SUFFIX.get(unit, "_change").lstrip("_")
        return name

    def _best(self, kind, unit, obj, action, change) -> tuple:
        # objects and actions recur across a batch (企业, 隐患, 检查): each combination is judged once
        key = (kind, unit, obj, action, change)
        if key not in self._judged:
            if len(self._judged) >= self.MEMORY:
                self._judged.clear()
            self._judged[key] = self._judge(kind, unit, obj, action, change)
        return self._judged[key]

    def _judge(self, kind, unit, obj, action, change) -> tuple:
        """(indicator id, strength of its evidence), (None, 0) when none or a tie."""
        if change:
            # a change is judged on its level's words, whatever the level's unit; a change in
            # points is a change of a rate
            allowed = None
        else:
            allowed = self.level_positions.get((kind, unit), frozenset())
        # the candidates in the taxonomy's order; only those with a word of theirs in the figure's
        # can have evidence (the others score 0)
        indicators, shifters = self.taxonomy.indicators, self.taxonomy.shifters
        best, best_score, tie = None, 0, False
        for position in sorted(self._possible(action + obj)):
            indicator = indicators[position]
            if allowed is None:
                if unit == "个百分点" and indicator.kind != "rate":
                    continue
            elif position not in allowed:
                continue
            score = indicator.evidence(obj, action, shifters, with_actions=not change)
            if score > best_score:
                best, best_score, tie = indicator, score, False
            elif score and score == best_score:
                tie = True  # two indicators fit equally well: do not guess
        if best is None or tie:
            return None, 0
        if change:
            return self.change_of(best.id, unit, best.unit), best_score
        return best.id, best_score

    def _possible(self, words: str) -> set:
        """The taxonomy positions of the indicators one of whose evidence words stands in words
        (the others have none: Indicator.evidence is 0 for them)."""
        found, triggers = set(), self._triggers
        for at, first in enumerate(words):
            for word, positions in triggers.get(first, ()):
                if words.startswith(word, at):
                    found |= positions
        return found

    def assign_document(self, metrics: list, sentence_ids: list, contexts: Optional[list] = None) -> None:
        """Document-level pass over Metric records in reading order (sentence_ids[i]: which
        sentence metric i is in). Within a sentence:
        - a casualty or loss figure after an event count takes that event's column
          (发生较大事故63起，死亡239人 -> the larger accidents' deaths, not all deaths);
        - a change names the figure it follows: a run of changes of one kind (absolute, or % and
          points) belongs to the last figures before it, in order (事故6起、死亡5人，同比分别下降
          25%和16.7%); an absolute change to the last figure of its own unit kind (死亡1776人，同比
          减少148人); so a level and its change always pair up;
        - figures listed after one name that lists several (事故起数、死亡人数同比下降12.7%、16.0%;
          第一、二、三产业增加值分别为A、B和C) are judged on the i-th name each.
        contexts[i]: the clause before metric i's number."""
        contexts = contexts or [""] * len(metrics)
        index, previous = 0, None
        while index < len(metrics):
            end = index
            while end < len(metrics) and sentence_ids[end] == sentence_ids[index]:
                end += 1
            self._split_respectively(metrics[index:end], contexts[index:end])
            previous = self._pair_sentence(metrics[index:end], previous)
            # deaths first: a disaster's deaths do not make the sentence one about accidents
            self._deaths_of_the_disaster(metrics[index:end])
            self._losses_of_the_accidents(metrics[index:end])
            index = end

    def _pair_sentence(self, metrics: list, previous=None):
        """Pairs the sentence's changes with its figures; a sentence that opens with changes and
        names no figure before them (…产值分别为A、B；增幅分别为a、b) takes the open figures of the
        sentence before it. Returns this sentence's levels (an _OpenLevels) for the next one."""
        state = _OpenLevels()
        position = 0
        while position < len(metrics):
            metric = metrics[position]
            if not self._is_change(metric, metrics[position - 1] if position else None):
                # 同比 never compares a forecast, nor a part in brackets (含高速事故6起6人)
                # a part opening its sentence (。其中，蔬菜21.6千公顷) is a part of the total before it
                parents = state.levels or (previous.levels if previous is not None else [])
                if metric.breakdown and parents:
                    self._take_parent_measure(metric, parents)
                if getattr(metric, "status", "outcome") == "outcome" and metric.action not in self.taxonomy.inclusion_actions:
                    # a sentence that opens on a measure word alone (；实现产量4.81万吨) goes on with
                    # the subject of the sentence before
                    self._carry_subject(metric, state.levels or (previous.levels if previous is not None else []))
                    self._rate_of_the_counts_before(metric, state.levels)
                    self._share_of_the_figure_before(metric, state.levels)
                    self._follow_event(metric, state.levels)
                    state.append(metric)
                position += 1
                continue
            family = "rel" if metric.unit in CHANGE_SUFFIX else "abs"
            run = [metric]
            while position + len(run) < len(metrics):
                following = metrics[position + len(run)]
                if not self._is_change(following, run[-1]) \
                        or ("rel" if following.unit in CHANGE_SUFFIX else "abs") != family:
                    break
                run.append(following)
            self._split_listed_names(run)
            if not state.levels and previous is not None and position == 0 \
                    and all(m.indicator_source != TAXONOMY for m in run):
                state = previous  # only for changes that open their sentence and name nothing themselves (增幅)
            # the levels no change of this family has claimed, as they stand when the run begins
            # a figure that names nothing and has no column (这是继2021年突破100亿元之后) is no level a
            # change can be of: the change is of the named figure before it
            open_levels = [level for level in state.open[family] if level.indicator or level.object]
            if family == "abs":
                targets = self._absolute_targets(run, open_levels)
            else:
                targets = self._relative_targets(run, open_levels)
            claims = []
            for change, level in zip(run, targets):
                named = self._named_level(change, state.by_indicator[family], state.levels)
                if named is not None:  # 事故起数同比下降18.2%: the change names its level itself
                    claims.append(named)
                    if named.indicator != level_of(change.indicator):
                        # it named all events' column, and the level is one sector's: the sector's
                        paired = self.change_of(named.indicator, change.unit, named.unit)
                        if paired:
                            change.indicator, change.indicator_source = paired, named.indicator_source
                    continue
                if level is None or not level.indicator:
                    continue
                claims.append(level)
                paired = self.change_of(level.indicator, change.unit, level.unit)
                if paired and (level.indicator_source == TAXONOMY or change.indicator_source != TAXONOMY):
                    change.indicator, change.indicator_source = paired, level.indicator_source
            for level in claims:
                state.claim(family, level)
            position += len(run)
        self._same_change_restated(metrics)
        return state

    def _same_change_restated(self, metrics: list) -> None:
        """A change that names nothing right after a change with a column says the same change
        another way (死亡人数…同比又减少185人，下降8.76%: the 8.76% is of the deaths) or the
        same measure again (减少1523人…又减少185人, one unit kind): it takes that column's change.
        Two changes in % in a row are two figures (分别下降10%、8%), never one restated."""
        before = None  # the change just before, while changes follow one another
        for position, metric in enumerate(metrics):
            if not self._is_change(metric, metrics[position - 1] if position else None):
                before = None
                continue
            if before is not None and before.indicator_source == TAXONOMY and metric.indicator_source != TAXONOMY \
                    and not metric.object:
                level_id = level_of(before.indicator)
                level = self.by_id.get(level_id)
                relative = metric.unit in CHANGE_SUFFIX
                if level is not None and (relative != (before.unit in CHANGE_SUFFIX) or not relative):
                    paired = self.change_of(level_id, metric.unit, level.unit)
                    if paired:
                        metric.indicator, metric.indicator_source = paired, TAXONOMY
            before = metric

    @staticmethod
    def _relative_targets(run: list, open_levels: list) -> list:
        """The levels a run of relative changes is of: the last open levels, in order. Changes in %
        pass over levels that are themselves in % when enough other levels are open: a growth in %
        is of an amount, and a share or a ratio said beside it (收入25亿元，为年初预算的98%，同比
        增长8%) is no level of it; a rate's own change is in points."""
        if all(change.unit == "%" for change in run):
            amounts = [level for level in open_levels if level.unit != "%"]
            if len(amounts) >= len(run) and len(amounts) < len(open_levels):
                open_levels = amounts
        return open_levels[-len(run):] if len(open_levels) >= len(run) else [None] * len(run)

    def _absolute_targets(self, run: list, open_levels: list) -> list:
        """The level each absolute change of a run is of: the last open level of its unit's class;
        k changes of one class (同比减少41起和63人、增加184人) take the last k open levels of that
        class in their order (63人 the deaths, 184人 the injuries after them), when there are k."""
        classes = [self.unit_class(change.unit) for change in run]
        targets = []
        for at, (change, unit_class) in enumerate(zip(run, classes)):
            same = [level for level in open_levels if self.unit_class(level.unit) == unit_class]
            count = classes.count(unit_class)
            if count > 1 and len(same) >= count:
                targets.append(same[len(same) - count + classes[:at].count(unit_class)])
            else:
                targets.append(next((level for level in reversed(same) if level not in targets), None))
        return targets

    @staticmethod
    def _named_level(change, by_indicator: dict, levels: tuple = ()):
        """The level figure whose column the change's own words already gave it, if any: the last
        open one of that column (by_indicator: column -> its open levels, in order). Words read
        from before the sentence's last level (分别下降1.6%和6.75% given the name of a level
        before them) are that level's, not the change's: they name nothing."""
        if change.indicator_source != TAXONOMY:
            return None
        evidence = (getattr(change, "evidence", None) or {}).get("object")
        if evidence is not None and levels and evidence.start < levels[-1].end:
            return None
        level_id = level_of(change.indicator)
        found = by_indicator.get(level_id)
        if found:
            return found[-1]
        # 道路运输事故6起、死亡4人，同比事故起数增加1起、死亡人数减少2人: a change that names all
        # events' column (accidents.all.deaths) names the one open level of that measure in its domain
        parts = level_id.split(".")
        if len(parts) != 3 or parts[1] != "all":
            return None
        sector = [levels[-1] for column, levels in by_indicator.items()
                  if levels and column.startswith(parts[0] + ".") and column.endswith("." + parts[2])]
        return sector[0] if len(sector) == 1 else None

    def _growth_rate_change(self, kind, unit, action) -> Optional[str]:
        """The act of a rate in % named as a growth rate (一产增加值完成97.1亿元，增速5.2% -> 增长):
        it measures a change though no change word stands by it; None for any other figure (a
        natural growth rate in ‰ is a level)."""
        return action if kind == "rate" and unit == "%" and action in self.taxonomy.growth_acts else None

    def _is_change(self, metric, before) -> bool:
        """A change, a rate named by a change noun (增幅分别为2.3%、5.4%) or as a growth rate (增速5.2%,
        whose act is 增长), or the next item of a list of changes that shares their verb and has no
        words of its own (同比增加13起、36人: the 36人 too)."""
        if metric.change or (metric.kind == "rate" and metric.object in self.taxonomy.change_nouns) \
                or self._growth_rate_change(metric.kind, metric.unit, metric.action):
            return True
        return before is not None and bool(before.change) and bool(metric.action) \
            and metric.action == before.action and metric.object in ("", metric.action)

    def _take_parent_measure(self, metric, levels: list) -> None:
        """A part listed after its total (共有专任教师9689人(其中，幼儿园4529人…)) is the total's
        measure for that part: 幼儿园 + 专任教师."""
        if metric.indicator_source == TAXONOMY:
            return  # 其中：林业产值5.04亿元 names itself
        parent = next((level for level in reversed(levels) if not level.breakdown), None)
        if parent is None or not parent.object or not metric.object or parent.object in metric.object \
                or self.unit_class(parent.unit) != self.unit_class(metric.unit):
            return
        indicator, source = self.assign(metric.kind, metric.unit, metric.object + parent.object, metric.action, None)
        if source == TAXONOMY and indicator != parent.indicator:
            metric.indicator, metric.indicator_source = indicator, source

    def _carry_subject(self, metric, levels: list) -> None:
        """A figure named by a measure word alone takes the subject of the figure before it
        (粮食播种面积81.46万亩，产量36.17万吨 -> 粮食产量); when that figure's own name is a measure
        word too, the subject of its column's label (夏粮收获面积24.83万亩 read as 面积 in the summer
        grain's area column; 实现产量4.81万吨 -> 夏粮产量)."""
        if metric.indicator_source == TAXONOMY or not levels or metric.object not in self.taxonomy.measure_nouns:
            return
        # a rate between them (同比增0.38%) names no subject of its own
        before = next((level for level in reversed(levels) if level.kind != "rate"), None)
        if before is None:
            return
        subject = self._subject_of(before.object or "")
        if not subject and before.indicator_source == TAXONOMY and before.indicator in self.by_id:
            subject = self._subject_of(self.by_id[before.indicator].zh)
        if subject:
            indicator, source = self.assign(metric.kind, metric.unit, subject + metric.object, metric.action, None)
            if source == TAXONOMY:
                metric.indicator, metric.indicator_source = indicator, source

    def _share_of_the_figure_before(self, metric, levels: list) -> None:
        """A share said right after a figure (优良天数共297天，占全年总有效天数的81.1%) is that figure's
        share: its name with the share noun (优良天数比例), when the taxonomy has a column of it."""
        if metric.kind != "rate" or metric.unit != "%" or metric.indicator_source == TAXONOMY \
                or metric.action not in self.taxonomy.share_acts or not self.taxonomy.share_noun or not levels:
            return
        before = levels[-1]
        # the name of the figure's column says more than its words may (天数 of 优良天数共297天)
        name = self.by_id[before.indicator].zh if before.indicator_source == TAXONOMY and before.indicator in self.by_id \
            else before.object
        if before.kind == "rate" or not name:
            return
        indicator, source = self.assign(metric.kind, metric.unit, name + self.taxonomy.share_noun, "", None)
        if source == TAXONOMY:
            metric.indicator, metric.indicator_source = indicator, source

    def _subject_of(self, name: str) -> str:
        """What a name measures, without the measure word it ends with (夏粮播种面积 -> 夏粮); "" when
        it ends with none or is one alone."""
        return next((name[:-len(noun)] for noun in self.taxonomy.measure_nouns
                     if name.endswith(noun) and len(name) > len(noun)), "")

    def _losses_of_the_accidents(self, metrics: list) -> None:
        """Direct economic losses named alone (直接经济损失) are a disaster's, unless the sentence is
        about accidents: after accident figures (事故起数同比下降42%，受伤人数同比下降50%，直接经济损失同比
        下降25%) they, and their changes, are the accidents' losses."""
        accidents = False
        for metric in metrics:
            indicator = metric.indicator or ""
            if indicator.startswith(ACCIDENT_DOMAIN):
                accidents = True
            elif accidents and metric.indicator_source == TAXONOMY and level_of(indicator) == DISASTER_LOSSES:
                metric.indicator = ACCIDENT_LOSSES + indicator[len(DISASTER_LOSSES):]

    def _deaths_of_the_disaster(self, metrics: list) -> None:
        """Deaths named alone (死亡4人, no 事故 in their name) are the accidents', unless the sentence
        is about a disaster: after a disaster's figures with no accident figure between (受灾人口34万人，
        死亡4人，紧急转移安置1万人) they, and their changes, are the disaster's deaths."""
        about = None
        for metric in metrics:
            indicator = metric.indicator or ""
            if metric.indicator_source != TAXONOMY:
                continue
            if level_of(indicator) == ACCIDENT_DEATHS and about == DISASTER_DOMAIN \
                    and not any(word in (metric.object or "") for word in self.taxonomy.accident_words):
                metric.indicator = DISASTER_DEATHS + indicator[len(ACCIDENT_DEATHS):]
            elif indicator.startswith((ACCIDENT_DOMAIN, DISASTER_DOMAIN)):
                about = ACCIDENT_DOMAIN if indicator.startswith(ACCIDENT_DOMAIN) else DISASTER_DOMAIN

    def _rate_of_the_counts_before(self, metric, levels: list) -> None:
        """A rate named by its suffix alone is a rate of what the counts before it count (排查重大安全
        隐患336个，已完成整改312个，整改率93% -> the major hazards' rectification rate), when their
        name makes a column of its own."""
        if metric.kind != "rate" or not levels or len(metric.object) > 4 or not metric.object.endswith("率"):
            return
        counted = next((level.object for level in reversed(levels) if level.kind == "count" and level.object), "")
        if not counted:
            return
        indicator, source = self.assign(metric.kind, metric.unit, counted + metric.object, metric.action, None)
        if source == TAXONOMY and indicator != metric.indicator:
            metric.indicator, metric.indicator_source = indicator, source

    def _follow_event(self, metric, levels: list) -> None:
        """Deaths, injuries or losses right after an event count of a specific column take that
        column's measure (accidents.larger.count -> accidents.larger.deaths)."""
        if metric.indicator_source != TAXONOMY or not levels:
            return
        measure = metric.indicator.rsplit(".", 1)[1]
        if measure not in EVENT_MEASURES:
            return
        # the nearest event count, over the casualties listed after it (事故39起，死亡35人，受伤12人)
        event = next((level for level in reversed(levels) if level.indicator_source != TAXONOMY
                      or level.indicator.rsplit(".", 1)[1] not in EVENT_MEASURES), None)
        if event is None or event.indicator_source != TAXONOMY or not event.indicator.endswith(".count"):
            return
        # the event's own column for the measure, else its domain's all-events column (a road
        # accident's losses are accident losses, not disaster losses)
        for specific in (event.indicator[:-len("count")] + measure, event.indicator.split(".")[0] + ".all." + measure):
            if specific in self.by_id:
                metric.indicator = specific
                return

    def _split_listed_names(self, run: list) -> None:
        """事故起数、死亡人数 shared by two changes: the first takes 事故起数, the second 事故死亡人数
        (a shorter later name takes the first one's leading words: 公路客运量和周转量 -> 公路周转量)."""
        names = LIST_JOINERS.split(run[0].object or "")
        if len(run) < 2 or len(names) != len(run) or any(m.object != run[0].object for m in run):
            return
        first = names[0]
        for metric, name in zip(run, names):
            if len(name) < len(first) and not name.startswith(first[:2]):
                name = first[:len(first) - len(name)] + name
            indicator, source = self.assign(metric.kind, metric.unit, name, metric.action, metric.change)
            if source == TAXONOMY:
                metric.indicator, metric.indicator_source = indicator, source

    def _split_respectively(self, metrics: list, contexts: list) -> None:
        """Runs of level figures in one sentence: after one name listing several (第一、二、三产业增加值
        分别为A、B和C; 农业、林业、畜牧业和渔业产值分别为…; 三次产业分别完成…), the i-th figure takes
        the i-th name; after a listing object (公路客运量和周转量分别完成…), the i-th part of it."""
        position = 0
        while position < len(metrics):
            run = [metrics[position]]
            while position + len(run) < len(metrics) and not metrics[position + len(run)].change \
                    and not run[0].change and metrics[position + len(run)].object == run[0].object:
                run.append(metrics[position + len(run)])
            if len(run) >= 2 and not run[0].change:
                listings = self._listed_names(contexts[position], len(run))
                if listings:
                    assigned = max((self._assign_listed(run, names) for names in listings),
                                   key=lambda pairs: len({i for i, source in pairs if source == TAXONOMY}))
                    for metric, (indicator, source) in zip(run, assigned):
                        if source == TAXONOMY:
                            metric.indicator, metric.indicator_source = indicator, source
                else:
                    self._split_listed_names(run)
            position += len(run)

    def _assign_listed(self, run: list, names: list) -> list:
        return [self.assign(metric.kind, metric.unit, name, metric.action, None) for metric, name in zip(run, names)]

    def _listed_names(self, context: str, count: int) -> list:
        """The readings of the names a clause lists before 分别, when there are exactly count of them
        (else []): each a list of count names, the likeliest first. 第一、二、三产业增加值 ->
        第一产业增加值, 第二产业增加值, 第三产业增加值; names of unequal length sharing the last one's
        head noun (二氧化硫、可吸入颗粒物(PM10)、细颗粒物(PM2.5)年平均浓度) may end that head anywhere
        in the last name, so every place is a reading: the caller keeps the one whose names the
        taxonomy tells apart best."""
        found = RESPECTIVELY.search(context or "")
        if not found:
            return []
        listing = CLAUSE_MARKS.split(found.group("names"))[-1]
        listing = _strip_prefixes(listing, self.taxonomy.signature_drop_prefixes + ("其中",))
        for name, names in self.taxonomy.list_names.items():
            if name in listing:
                head, _, tail = listing.partition(name)
                if len(names) == count:
                    return [[head + item + tail for item in names]]
        parts = [part for part in LIST_JOINERS.split(listing) if part]
        if len(parts) != count or count < 2:
            return []
        readings = [self._completed_names(parts)]
        last = parts[-1]
        readings += [[part + last[cut:] for part in parts[:-1]] + [last] for cut in range(1, len(last))]
        return readings

    @staticmethod
    def _completed_names(parts: list) -> list:
        """第一、二、三产业增加值: the short middle names completed from the first and the last."""
        first, last = parts[0], parts[-1]
        shortest = min(len(part) for part in parts[1:-1]) if len(parts) > 2 else len(first)
        tail = last[shortest:]
        names = []
        for part in parts[:-1]:
            if len(part) < len(first):  # 二 after 第一: 第二
                part = first[:len(first) - len(part)] + part
            names.append(part + tail)
        names.append((first[:len(first) - shortest] if len(last) - len(tail) < len(first) else "") + last)
        return names


class NumberedHeadings:
    """One text's numbered heading lines, found once: the look-back of sentence_topic by bisection
    (it read every line of the 1,500 characters above each figure)."""

    def __init__(self, text: str):
        self.text = text
        self.starts, self.topics, self.line_starts, start = [], [], [], 0
        for line in text.split("\n"):
            self.line_starts.append(start)
            heading = HEADING_LINE.fullmatch(line.strip())
            if heading:
                self.starts.append(start)
                self.topics.append(heading.group("topic"))
            start += len(line) + 1
        # discourse labels, found once for the whole text (each figure looks its one up by bisection)
        self.label_ends, self.label_topics = [], []
        self.places = WordPlaces(text)
        for match in DISCOURSE_LABEL.finditer(text):
            self.label_ends.append(match.end())
            self.label_topics.append(match.group("topic"))

    def holds_field_word(self, start: int, end: int) -> bool:
        """Whether text[start:end] holds FIELD_WORD (looked up in its places: a search of the
        sentence at each figure grew with the square of a document-long sentence)."""
        return self.places.holds_any(FIELD_WORDS, start, end)

    def discourse_label(self, position: int, line_start: int) -> str:
        """The topic of the last discourse label (一是公路运输稳中向好：) before position on its line."""
        index = bisect_right(self.label_ends, position) - 1
        return self.label_topics[index] if index >= 0 and self.label_ends[index] > line_start else ""

    def line_start(self, position: int) -> int:
        """Where the line holding position starts (a search back for the newline, once per figure,
        grew with the square of a text without newlines)."""
        return self.line_starts[bisect_right(self.line_starts, position) - 1]

    def above(self, line_start: int) -> str:
        """The topic of the last numbered heading line in the HEADING_LOOKBACK characters before
        line_start (a line start), the first of them perhaps cut by the window; "" when none."""
        window_start = max(0, line_start - HEADING_LOOKBACK)
        index = bisect_left(self.starts, line_start) - 1
        if index >= 0 and self.starts[index] >= window_start:
            return self.topics[index]
        text = self.text
        if window_start > 0 and text[window_start - 1] != "\n":
            newline = text.find("\n", window_start, line_start)
            heading = HEADING_LINE.fullmatch(text[window_start:newline if newline >= 0 else line_start].strip())
            if heading:
                return heading.group("topic")
        return ""


class _OpenLevels:
    """A sentence's level figures in order and, for each family of changes (absolute, relative),
    those none of its changes has claimed yet, also by column: kept as figures are added and
    claimed, so a run of changes finds its levels without a pass over every figure of the
    sentence (a sentence of thousands of figures made that quadratic)."""

    def __init__(self):
        self.levels: list = []
        self.claimed = {"abs": set(), "rel": set()}  # ids of the claimed levels
        self.open = {"abs": [], "rel": []}
        self.by_indicator = {"abs": {}, "rel": {}}

    def append(self, level) -> None:
        self.levels.append(level)
        for family in ("abs", "rel"):
            self.open[family].append(level)
            self.by_indicator[family].setdefault(level.indicator, []).append(level)

    def claim(self, family: str, level) -> None:
        if id(level) in self.claimed[family]:
            return
        self.claimed[family].add(id(level))
        for found in (self.open[family], self.by_indicator[family].get(level.indicator, [])):
            # by identity (figures of equal fields are still two), from the end where claims fall
            for at in range(len(found) - 1, -1, -1):
                if found[at] is level:
                    del found[at]
                    break


def sentence_topic(text: str, sentence_start: int, start: int, headings: Optional[NumberedHeadings] = None) -> str:
    """What a figure's passage is about, when it says so apart from its sentence: a label the
    sentence opens with (（一）道路交通：事故9起), a short label sentence opening its line (——小学。校数
    17所), a label after a discourse ordinal earlier in its line (一是公路运输稳中向好：…；旅客周转量…),
    or the nearest numbered heading above it ((一) 公路客货运输生产); "" when none. A field named
    at the head of one of the sentence's clauses before the figure (；道路交通领域，事故…) comes first."""
    # every field label holds 领域: a sentence without it before the figure (most; one as long as
    # the document in a pasted list) is neither copied nor searched by the regex at each figure
    if (headings.holds_field_word(sentence_start, start) if headings is not None
            else text.find(FIELD_WORD, sentence_start, start) >= 0):
        before = text[sentence_start:start]
        fields = list(FIELD_LABEL.finditer(before))
        if fields and not CLAUSE_RUN_BREAK.search(before, fields[-1].end()):
            return fields[-1].group("topic")
    match = TOPIC.match(text, sentence_start, start)
    if match:
        return match.group("topic")
    line_start = headings.line_start(start) if headings is not None else text.rfind("\n", 0, start) + 1
    label = LINE_LABEL.match(text, line_start, start)
    if label and label.end() <= sentence_start:
        return label.group("topic")
    if headings is not None:
        discourse = headings.discourse_label(start, line_start)
        if discourse:
            return discourse
    # a line that opens by naming its subject with a figure (普通高中学校5所；…；在校生6747人)
    opening = LINE_SUBJECT.match(text, line_start, start)
    if opening and opening.end() < sentence_start:
        return opening.group("topic")
    if headings is not None:
        return headings.above(line_start)
    window = text[max(0, line_start - HEADING_LOOKBACK):line_start]
    for line in reversed(window.split("\n")):
        heading = HEADING_LINE.fullmatch(line.strip())
        if heading:
            return heading.group("topic")
    return ""


def level_of(indicator: str) -> str:
    """The column of the level a change column is of (accidents.all.losses_change_pct -> accidents.all.losses)."""
    for suffix in (*CHANGE_SUFFIX.values(), "_change"):
        if indicator.endswith(suffix):
            return indicator[:-len(suffix)]
    return indicator


def _drop_brackets(text: str) -> str:
    return BRACKETS.sub("", text).strip()


def _strip_prefixes(text: str, prefixes: tuple) -> str:
    changed = True
    while changed and text:
        changed = False
        for prefix in prefixes:
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix):]
                changed = True
    return text


def indicator_units(taxonomy: Taxonomy) -> dict:
    """Each indicator's column unit, for the panel (changes in % or points have theirs)."""
    return {indicator.id: indicator.unit for indicator in taxonomy.indicators}


def iter_ids(taxonomy: Taxonomy) -> Iterable[str]:
    return (indicator.id for indicator in taxonomy.indicators)


def suggest(rows, min_documents: int = 2, examples: int = 3) -> list:
    """The signatures (columns no taxonomy id covers) that recur across documents, most
    documents first, each with examples: what to promote into an indicators.yaml of one's own.
    rows: metric rows (dicts) with indicator, indicator_source, doc, text, object, action, unit, kind."""
    found: dict = {}
    for row in rows:
        repeat = row.get("repeat_of")
        if row.get("indicator_source") != SIGNATURE or not row.get("indicator") or (repeat is not None and repeat == repeat):
            continue  # (a table read back gives NaN, not None, for no repeat)
        entry = found.setdefault(row["indicator"], {"signature": row["indicator"], "figures": 0, "documents": set(),
                                                    "kind": row.get("kind"), "units": {}, "examples": []})
        entry["figures"] += 1
        entry["documents"].add(row.get("doc"))
        entry["units"][row.get("unit")] = entry["units"].get(row.get("unit"), 0) + 1
        if len(entry["examples"]) < examples:
            entry["examples"].append(f"{row.get('doc')}: {row.get('text')} ({row.get('object')} / {row.get('action')})")
    chosen = [entry for entry in found.values() if len(entry["documents"]) >= min_documents]
    chosen.sort(key=lambda e: (-len(e["documents"]), -e["figures"], e["signature"]))
    for entry in chosen:
        entry["documents"] = len(entry["documents"])
        entry["unit"] = max(entry.pop("units").items(), key=lambda pair: pair[1])[0]
    return chosen


def suggestion_yaml(entry: dict) -> str:
    """A taxonomy entry to start from (its id and labels are the user's to write)."""
    core, action = entry["signature"][1:].split("|")[:2]
    alias = f"{action} {core}".strip() if action else core
    return (f"  - {{id: mine.{'subject'}.{'measure'}, zh: {core or action}, kind: {entry['kind']}, "
            f"unit: \"{entry['unit']}\", aliases: [\"{alias}\"]}}")
