"""Numbers and quantities in (normalized, simplified) Chinese text, Decimal-exact.

parse_numeral() reads one numeral: Arabic (1,234.5), Chinese (三千零五, 二十万亿, 十四), financial
(壹佰贰拾), mixed (1.2万, 3万4000, 5万4千6百) and decimals (三点五).
find_quantities() scans text for number + magnitude + unit with the qualifiers around them
(约3000人次, 489余万元, 95%以上, 百分之九十五, 八成, 3至5天, 三五个) and returns candidate spans; what is
NOT a metric (dates, slogans, ordinals) is decided later, by extract_rules.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from typing import Optional

import regex

from .lexicons import Lexicons

DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6,
          "柒": 7, "捌": 8, "玖": 9, "幺": 1}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10 ** 4, "亿": 10 ** 8, "兆": 10 ** 12}
CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
FINANCIAL_DIGITS = frozenset("壹贰叁肆伍陆柒捌玖拾佰仟")  # also everyday characters: 队伍, 陆地, 肆意
# Larger than any real figure in a report: 10^20 (万亿亿). Values past it are rejected as absurd.
MAX_VALUE = Decimal(10) ** 20

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|\d+(?:\.\d+)?"
CN_DIGIT_CLASS = "零〇○一二两俩三仨四五六七八九壹贰叁肆伍陆柒捌玖"
CN_UNIT_CLASS = "十百千万亿拾佰仟"
# after 点 only real digits: 两 is never a decimal digit (两百点两 is 200 and 2, 一点两小时 is 1 and 2)
CN_DECIMAL_CLASS = "零〇○一二三四五六七八九壹贰叁肆伍陆柒捌玖"
# 兆 is 10^12 only inside a numeral (四十九兆九千…); at the end it is mega (五十兆字节, 兆瓦, 兆赫)
CHINESE = (rf"(?:[{CN_DIGIT_CLASS}{CN_UNIT_CLASS}]|兆(?=[{CN_DIGIT_CLASS}{CN_UNIT_CLASS}]))+"
           rf"(?:点[{CN_DECIMAL_CLASS}]+)?")
# One numeral, possibly mixed (3万4000, 5万4千6百, 1.2万, 2千零30万): magnitudes are read by parse_numeral
NUMERAL = regex.compile(
    rf"(?:{ARABIC})(?:[万亿千百](?:零?(?:{ARABIC}))?)*(?:[万亿])?(?<![千百])|{CHINESE}")


class NumeralError(ValueError):
    """Text that looks like a numeral but is not a valid one (二二百, 1,23,4)."""


def _chinese_integer(text: str) -> Decimal:
    """三千零五 -> 3005, 二十万亿 -> 2*10^13, 十四 -> 14, 二百五 -> 250, 二〇二三 -> 2023, 四万万 -> 4*10^8."""
    if not text:
        return Decimal(0)
    if all(ch in DIGITS for ch in text):
        if len(text) == 1:
            return Decimal(DIGITS[text])
        return Decimal("".join(str(DIGITS[ch]) for ch in text))  # positional: 二〇二三
    for big in ("兆", "亿", "万"):
        if big in text:
            # the last occurrence of the largest unit splits the numeral: 四千五百六十九万八千三百一十一亿|四千…
            head, _, tail = text.rpartition(big)
            head_value = _chinese_integer(head) if head else Decimal(1)
            if head and head[-1] in BIG_UNITS and head_value == 0:
                raise NumeralError(text)
            tail_value = _chinese_integer(tail.lstrip("零〇○"))
            # 九十二万四 -> 924000: a lone trailing digit is one step below the big unit
            if tail and len(tail) == 1 and tail in DIGITS and not tail.startswith(("零", "〇")):
                tail_value = Decimal(DIGITS[tail]) * BIG_UNITS[big] / 10
            if tail_value >= BIG_UNITS[big]:
                raise NumeralError(text)  # 一万两万: the tail must be below the unit
            return head_value * BIG_UNITS[big] + tail_value
    total, digit, last_unit = Decimal(0), None, None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0 and digit != 0:
                raise NumeralError(text)
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if last_unit is not None and unit >= last_unit:
                raise NumeralError(text)
            # 十 alone is ten, and so is 零十 (一百零十 = 110, 一万零十二 = 10012)
            multiplier = 1 if digit is None or (digit == 0 and unit == 10) else digit
            total += Decimal(multiplier) * unit
            digit, last_unit = None, unit
        else:
            raise NumeralError(text)
    if digit:
        # 二百五 -> 250 (colloquial), but 三千零五 -> 3005 (the 零 reset the place)
        if last_unit and last_unit >= 100 and not text[-2] in "零〇○":
            total += Decimal(digit) * last_unit / 10
        else:
            total += digit
    return total


def parse_numeral(text: str) -> Decimal:
    """One numeral's value. Raises NumeralError for malformed or absurd (> 10^20) numerals."""
    text = text.replace(" ", "")
    if not text:
        raise NumeralError(text)
    with localcontext() as context:
        context.prec = 60
        if text[0].isdigit():
            value = _mixed_arabic(text)
        else:
            integer, _, fraction = text.partition("点")
            value = _chinese_integer(integer)
            if fraction:
                try:
                    value += Decimal("0." + "".join(str(DIGITS[ch]) for ch in fraction))
                except KeyError:
                    raise NumeralError(text) from None
    if value > MAX_VALUE:
        raise NumeralError(f"{text}: value too large to be a report figure")
    return value


ARABIC_PART = regex.compile(rf"({ARABIC})|([万亿千百])|(零)")
ARABIC_UNITS = {"百": 100, "千": 1000, "万": 10 ** 4, "亿": 10 ** 8}


def _mixed_arabic(text: str) -> Decimal:
    """1.2万 -> 12000, 3万4000 -> 34000, 5万4千6百 -> 54600, 5亿1万4千6百 -> 500014600,
    4,890万 -> 48900000, 10万万 -> 10^9, 4.78万亿 -> 4.78*10^12, 2千零30万 -> 20300000."""
    total, section, pending = Decimal(0), Decimal(0), None
    last_big = None  # the big unit (万/亿) that closed the previous section
    position = 0
    for match in ARABIC_PART.finditer(text):
        if match.start() != position:
            raise NumeralError(text)
        position = match.end()
        if match.group(1):
            if pending is not None:
                raise NumeralError(text)
            try:
                pending = Decimal(match.group(1).replace(",", ""))
            except InvalidOperation:
                raise NumeralError(text) from None
        elif match.group(3):
            continue  # 零 only marks a skipped place: 1千零20
        else:
            unit = ARABIC_UNITS[match.group(2)]
            if unit < 10 ** 4:
                section += (pending if pending is not None else Decimal(1)) * unit
            else:
                chunk = section + (pending or 0)
                if chunk == 0:
                    total = (total or Decimal(1)) * unit  # 10万万, 4.78万亿: units stack
                elif last_big is not None and unit >= last_big:
                    total = (total + chunk) * unit  # 3万5千亿: the larger unit scales all before it
                else:
                    total += chunk * unit  # 5亿1万: a smaller unit opens a new section
                last_big, section = unit, Decimal(0)
            pending = None
    if position != len(text):
        raise NumeralError(text)
    return total + section + (pending or 0)


# ---------------------------------------------------------------------------------------
@dataclass
class Quantity:
    """A candidate metric span in normalized text: number, magnitude, unit and qualifier."""

    start: int
    end: int
    value: Decimal
    unit: str
    kind: str
    qualifier: str = "exact"
    value_max: Optional[Decimal] = None
    number_start: int = 0
    number_end: int = 0
    unit_start: int = 0  # where the unit (or magnitude/infix) begins
    chinese: bool = False  # the number is written in Chinese numerals
    bare_magnitude_money: bool = False


RANGE_SEPARATORS = ("-", "~", "至", "到", "—", "－", "～", "〜")
START = regex.compile(r"\d|[零〇○一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾百千万]|百分之|千分之|万分之")
# 成 after a number is a tenth (八成) unless it starts a word (建成, 成立, 成效 ...)
CHENG_WORD = regex.compile(r"[立为功果员本效绩交型品都熟就长年人批套片群倍]")
# compound measures per time: 4.5万立方米/日, 120吨/年
PER_TIME = regex.compile(r"/(?:日|天|年|月|小时|时|秒|分钟|h|d)")
# 5个多小时, 3个多月: the classifier 个 with a qualifier inside a time unit
GE_DURATION = regex.compile(r"个(?P<q>[多余半])?(?P<u>小时|月|工作日|星期)")
PERCENT_WORDS = {"百分之": Decimal(1), "千分之": Decimal("0.1"), "万分之": Decimal("0.01")}


class QuantityScanner:
    """Finds quantities with the units, magnitudes and qualifiers of one Lexicons."""

    def __init__(self, lexicons: Lexicons):
        self.lexicons = lexicons
        self.units = sorted(lexicons.units, key=len, reverse=True)
        self.unit_first = {}
        for surface in self.units:
            self.unit_first.setdefault(surface[0], []).append(surface)
        self.prefixes = sorted(lexicons.qualifier_prefix, key=len, reverse=True)
        self.suffixes = sorted(lexicons.qualifier_suffix, key=len, reverse=True)

    def match_unit(self, text: str, position: int) -> Optional[str]:
        for surface in self.unit_first.get(text[position:position + 1], ()):
            if text.startswith(surface, position):
                # ASCII units must not run into more letters (5G, 3D, 10kV-line are not km)
                end = position + len(surface)
                if surface[-1].isascii() and surface[-1].isalpha() and end < len(text) and text[end].isascii() and text[end].isalnum():
                    continue
                return surface
        return None

    def scan(self, text: str) -> list[Quantity]:
        found: list[Quantity] = []
        position = 0
        while True:
            match = START.search(text, position)
            if match is None:
                return found
            quantity = self._read(text, match.start())
            if quantity is None:
                position = match.end()
                continue
            found.append(quantity)
            position = quantity.end

    # -- one quantity starting at `start` ------------------------------------------------
    def _read(self, text: str, start: int) -> Optional[Quantity]:
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] == "." and start > 1 and text[start - 2].isdigit()):
            return None  # inside a longer number
        percent_word = next((w for w in PERCENT_WORDS if text.startswith(w, start)), None)
        if percent_word:
            return self._read_percent_word(text, start, percent_word)
        numeral = NUMERAL.match(text, start)
        if numeral is None:
            return None
        number_text = numeral.group(0)
        chinese = not number_text[0].isdigit()
        if chinese:
            after_qualifier = any(text.endswith(p, 0, start) for p in self.prefixes)
            number_text = self._trim_chinese(number_text, after_qualifier)
            if not number_text:
                return None
        number_end = start + len(number_text)
        value_max = None
        # 三五个 / 三四十人: two adjacent plain digits are a range
        if chinese and len(number_text) >= 2 and number_text[0] in DIGITS and number_text[1] in DIGITS \
                and 0 < DIGITS[number_text[0]] < DIGITS[number_text[1]] and not all(ch in DIGITS for ch in number_text[2:]) is False:
            low, high = DIGITS[number_text[0]], DIGITS[number_text[1]]
            scale = Decimal(1)
            rest = number_text[2:]
            if rest:
                if rest not in SMALL_UNITS and rest not in BIG_UNITS:
                    return None
                scale = Decimal(SMALL_UNITS.get(rest) or BIG_UNITS[rest])
            value, value_max = Decimal(low) * scale, Decimal(high) * scale
        else:
            try:
                value = parse_numeral(number_text)
            except NumeralError:
                return None
        if text.startswith("分之", number_end) and value_max is None:
            return self._read_fraction(text, start, number_text, number_end)
        if text.startswith("成", number_end) and value_max is None and value <= 10 \
                and not CHENG_WORD.match(text, number_end + 1):
            # 八成 = 80 %, 超三成, 9.5成
            span_start, end, qualifier = self._qualify(text, start, number_end + 1)
            return Quantity(start=span_start, end=end, value=value * 10, unit="%", kind="rate",
                            qualifier=qualifier or "exact", number_start=start, number_end=number_end,
                            unit_start=number_end, chinese=chinese)
        cursor = number_end
        # ranges: 3至5天, 10-15人, 3~5
        for separator in RANGE_SEPARATORS:
            if value_max is None and text.startswith(separator, cursor):
                second = NUMERAL.match(text, cursor + len(separator))
                if second and (second.group(0)[0].isdigit() != chinese):
                    try:
                        high = parse_numeral(self._trim_chinese(second.group(0)) if chinese else second.group(0))
                    except NumeralError:
                        high = None
                    if high is not None and high > value:
                        value_max = high
                        cursor = second.start() + len(self._trim_chinese(second.group(0)) if chinese else second.group(0))
                break
        return self._read_tail(text, start, number_end, cursor, value, value_max, chinese)

    def _trim_chinese(self, number_text: str, after_qualifier: bool = False) -> str:
        """Drop trailing characters that cannot end a numeral we can read (一批 -> 一, 千 alone -> '')."""
        while number_text and number_text[-1] in "点":
            number_text = number_text[:-1]
        # a lone magnitude (万家, 千方百计, 百姓) is not a number, except after a qualifier (近千项,
        # 约万人); 十 alone is (十个)
        if number_text and all(ch in SMALL_UNITS or ch in BIG_UNITS for ch in number_text) and number_text != "十" \
                and not (after_qualifier and len(number_text) == 1):
            return ""
        # financial digits are everyday characters too (队伍, 陆地, 肆意): alone they are no number
        if len(number_text) == 1 and number_text in FINANCIAL_DIGITS:
            return ""
        for cut in range(len(number_text), 0, -1):
            try:
                parse_numeral(number_text[:cut])
                return number_text[:cut]
            except NumeralError:
                continue
        return ""

    def _read_tail(self, text, start, number_end, cursor, value, value_max, chinese) -> Optional[Quantity]:
        lexicons = self.lexicons
        qualifier = "exact"
        scale = Decimal(1)
        unit_start = cursor
        magnitude_seen = False
        unit = None
        while cursor < len(text):
            unit = self.match_unit(text, cursor)
            if unit:
                break
            ch = text[cursor]
            if ch in lexicons.qualifier_infix and qualifier == "exact":
                # 余/多/来 only count when a magnitude or unit follows (100多人次, 489余万元)
                if cursor + 1 < len(text) and (self.match_unit(text, cursor + 1) or text[cursor + 1] in lexicons.magnitudes):
                    qualifier = lexicons.qualifier_infix[ch]
                    cursor += 1
                    continue
                break
            if ch in lexicons.magnitudes and ch in "万亿千百" and not (ch in "千百" and chinese):
                scale *= lexicons.magnitudes[ch]
                magnitude_seen = True
                cursor += 1
                continue
            break
        bare_money = False
        duration = GE_DURATION.match(text, cursor) if unit == "个" or unit is None else None
        if duration:
            # 5个多小时 -> 5 小时 at least; 3个半小时 -> 3.5 小时; 3个月 -> 3 个月
            unit_entry_kind, unit_end = "measure", duration.end()
            canonical = "小时" if duration["u"] == "小时" else ("工作日" if duration["u"] == "工作日" else "个" + duration["u"])
            if duration["q"] == "半":
                value += Decimal("0.5")
            elif duration["q"]:
                qualifier = lexicons.qualifier_infix[duration["q"]]
        elif unit is None and text.startswith("年", cursor) and self._qualified_years(text, start, cursor):
            # 不足5年, 超过10年, 5年以上: a qualified span of years is a measure (dates never are)
            unit_entry_kind, canonical, unit_end = "measure", "年", cursor + 1
        elif unit is None:
            if magnitude_seen and self._money_context(text, start):
                unit_entry_kind, canonical, unit_end = "money", "元", cursor
                bare_money = True
            else:
                return None
        else:
            entry = lexicons.units[unit]
            unit_entry_kind, canonical, unit_end = entry.kind, entry.canonical, cursor + len(unit)
            per_time = PER_TIME.match(text, unit_end) if entry.kind == "measure" else None
            if per_time:
                canonical += per_time.group(0)
                unit_end = per_time.end()
        span_start, end, outer = self._qualify(text, start, unit_end)
        if outer:
            qualifier = outer
        prefix_start = span_start
        value = value * scale
        if value_max is not None:
            value_max = value_max * scale
        if value > MAX_VALUE:
            return None
        return Quantity(start=prefix_start, end=end, value=value, unit=canonical, kind=unit_entry_kind,
                        qualifier=qualifier, value_max=value_max, number_start=start, number_end=number_end,
                        unit_start=unit_start, chinese=chinese, bare_magnitude_money=bare_money)

    def _qualified_years(self, text: str, start: int, cursor: int) -> bool:
        if regex.match(r"年(?:度|来|以来|前|后|底|初|内|间|级|代|份|中|末|起)", text[cursor:cursor + 3]):
            return False
        before = next((p for p in self.prefixes if text.endswith(p, 0, start)), None)
        after = next((s for s in self.suffixes if text.startswith(s, cursor + 1)), None)
        return before not in (None, "近", "将近", "接近", "约", "大约") or after in ("以上", "以下", "左右")

    def _money_context(self, text: str, start: int) -> bool:
        window_start = max(0, start - 16)
        for stop in "。;；\n":
            cut = text.rfind(stop, window_start, start)
            if cut >= 0:
                window_start = cut + 1
        window = text[window_start:start]
        return any(word in window for word in self.lexicons.money_context)

    def _qualify(self, text: str, start: int, end: int) -> tuple[int, int, Optional[str]]:
        """Extend [start, end) over a qualifier word before or after it; return the qualifier."""
        qualifier = None
        suffix = next((s for s in self.suffixes if text.startswith(s, end)), None)
        if suffix:
            qualifier = self.lexicons.qualifier_suffix[suffix]
            end += len(suffix)
        prefix = next((p for p in self.prefixes if text.endswith(p, 0, start)), None)
        if prefix:
            qualifier = self.lexicons.qualifier_prefix[prefix]
            start -= len(prefix)
        return start, end, qualifier

    def _read_percent_word(self, text, start, word) -> Optional[Quantity]:
        """百分之九十五, 百分之5.5, 百分之百, 千分之三 -> a rate in %."""
        number_start = start + len(word)
        if word == "百分之" and text.startswith("百", number_start) and not NUMERAL.match(text, number_start + 1):
            number_text, value = "百", Decimal(100)
        else:
            numeral = NUMERAL.match(text, number_start)
            if numeral is None:
                return None
            number_text = numeral.group(0)
            if not number_text[0].isdigit():
                number_text = self._trim_chinese(number_text)
            try:
                value = parse_numeral(number_text) * PERCENT_WORDS[word]
            except NumeralError:
                return None
        number_end = number_start + len(number_text)
        span_start, end, qualifier = self._qualify(text, start, number_end)
        return Quantity(start=span_start, end=end, value=value, unit="%", kind="rate", qualifier=qualifier or "exact",
                        number_start=start, number_end=number_end, unit_start=start,
                        chinese=not number_text[0].isdigit())

    def _read_fraction(self, text, start, denominator_text, denominator_end) -> Optional[Quantity]:
        """三分之一 -> 33.33...%: a share, written as a rate in percent."""
        numeral = NUMERAL.match(text, denominator_end + 2)
        if numeral is None:
            return None
        numerator_text = numeral.group(0)
        if not numerator_text[0].isdigit():
            numerator_text = self._trim_chinese(numerator_text)
        try:
            denominator = parse_numeral(denominator_text)
            numerator = parse_numeral(numerator_text)
        except NumeralError:
            return None
        if denominator == 0 or numerator > denominator:
            return None
        with localcontext() as context:
            context.prec = 28
            value = numerator / denominator * 100
        number_end = denominator_end + 2 + len(numerator_text)
        span_start, end, qualifier = self._qualify(text, start, number_end)
        return Quantity(start=span_start, end=end, value=value, unit="%", kind="rate", qualifier=qualifier or "exact",
                        number_start=start, number_end=number_end, unit_start=denominator_end,
                        chinese=not denominator_text[0].isdigit())
