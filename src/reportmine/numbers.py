"""Numbers and quantities in (normalized, simplified) Chinese text, Decimal-exact.

parse_numeral() reads one numeral: Arabic (1,234.5), Chinese (三千零五, 二十万亿, 十四), financial
(壹佰贰拾), mixed (1.2万, 3万4000, 5万4千6百) and decimals (三点五).
find_numbers() finds the bare numerals in running text, fractions (三分之一) and signs (负3) included.
find_quantities() scans text for number + magnitude + unit with the qualifiers around them
(约3000人次, 489余万元, 95%以上, 百分之九十五, 八成, 3至5天, 三五个) and returns candidate spans; what is
NOT a metric (dates, slogans, ordinals) is decided later, by the rules (rules/filters.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal, InvalidOperation, localcontext
from typing import Optional

import regex

from .lexicons import Lexicons

DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "仨": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6,
          "柒": 7, "捌": 8, "玖": 9, "幺": 1}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10 ** 4, "亿": 10 ** 8, "兆": 10 ** 12}
DIGIT_CHARS = "".join(DIGITS)
MAGNITUDE_CHARS = "".join(SMALL_UNITS) + "".join(BIG_UNITS)
FINANCIAL_DIGITS = frozenset("壹贰叁肆伍陆柒捌玖拾佰仟")  # also everyday characters: 队伍, 陆地, 肆意
# Larger than any real figure in a report: 10^20 (万亿亿). Values past it are rejected as absurd.
MAX_VALUE = Decimal(10) ** 20

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)|\d+(?:\.\d+)?"
CN_DIGIT_CLASS = "零〇○一二两俩三仨四五六七八九壹贰叁肆伍陆柒捌玖"
CN_UNIT_CLASS = "十百千万亿拾佰仟"
# after 点 only real digits: 两 is never a decimal digit (两百点两 is 200 and 2, 一点两小时 is 1 and 2)
CN_DECIMAL_CLASS = "零〇○一二三四五六七八九壹贰叁肆伍陆柒捌玖"
# 兆 is 10^12 only inside a numeral (四十九兆九千…); at the end it is mega (五十兆字节, 兆瓦, 兆赫).
# Written as runs of the class between single 兆s rather than (?:[class]|兆(?=[class]))+: the same
# matches, and the engine takes a run in one step instead of one alternation per character (4x)
CHINESE = (rf"兆?[{CN_DIGIT_CLASS}{CN_UNIT_CLASS}]+(?:兆[{CN_DIGIT_CLASS}{CN_UNIT_CLASS}]+)*"
           rf"(?:点[{CN_DECIMAL_CLASS}]+)?")
# One numeral, possibly mixed (3万4000, 5万4千6百, 1.2万, 2千零30万): magnitudes are read by parse_numeral
NUMERAL = regex.compile(
    rf"(?:{ARABIC})(?:[万亿千百](?:零?(?:{ARABIC}))?)*(?:[万亿])?"
    # a trailing 千/百 belongs to the numeral only after 万/亿 and a digit (25万6千, 5万4千6百); else it may
    # start a unit (12千米, 12.8万千瓦) or be read as a magnitude by the scanner (3千元)
    rf"(?:(?<![千百])|(?<=[万亿][\d.,零千百]*\d[千百]))|{CHINESE}")


# No numeral in a report is longer: 九千九百九十九万九千九百九十九 is 15 characters, a financial
# amount (壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾) 19, and a numeral of more than 40 is above MAX_VALUE
# unless padded with zeros. A Chinese numeral is matched over at most this many characters: a run of
# numeral characters (3 KB of 一二三…) is then not read from each of its positions to its end (N^2
# steps), and trimming a candidate tries a bounded number of prefixes.
MAX_CHINESE_NUMERAL_CHARS = 40
CHINESE_NUMERAL = regex.compile(CHINESE)
CHINESE_NUMERAL_START = frozenset(CN_DIGIT_CLASS + CN_UNIT_CLASS + "兆")


def match_numeral(text: str, position: int):
    """NUMERAL.match at position, except that a Chinese numeral running on past
    MAX_CHINESE_NUMERAL_CHARS characters is no numeral (None)."""
    if text[position:position + 1] not in CHINESE_NUMERAL_START:
        return NUMERAL.match(text, position)
    limit = position + MAX_CHINESE_NUMERAL_CHARS
    # two characters past the limit stay visible, so that 兆 (a numeral only before another numeral
    # character) is decided as on the whole text, and a match that reaches past the limit shows it
    match = NUMERAL.match(text, position, limit + 2)
    return None if match is not None and match.end() > limit else match


class NumeralError(ValueError):
    """Text that looks like a numeral but is not a valid one (二二百, 1,23,4)."""


class NumeralTooLarge(NumeralError):
    """A numeral past MAX_VALUE: no report figure is that large (九千九百九十九亿亿亿)."""


# Positional digit strings (二〇二三) longer than this many significant digits are far past MAX_VALUE:
# they are valued at 10^30, which compares with every unit and limit as the exact value would, and
# no string of thousands of digits is converted to an int
POSITIONAL_DIGITS_MAX = 30


@lru_cache(maxsize=8192)
def _chinese_integer(text: str) -> Optional[int]:
    """三千零五 -> 3005, 二十万亿 -> 2*10^13, 十四 -> 14, 二百五 -> 250, 二〇二三 -> 2023, 四万万 -> 4*10^8;
    None when malformed. Plain ints (every value here is whole) and no exceptions: trimming a
    candidate numeral parses many of its prefixes, so this is hot. Cached: a numeral's head (what
    comes before its last 万 or 亿) is the same string for all its longer prefixes."""
    if not text:
        return 0
    if not text.strip(DIGIT_CHARS):  # all digits (strip runs in C)
        digits = "".join(str(DIGITS[ch]) for ch in text).lstrip("0")  # positional: 二〇二三
        return int(digits or "0") if len(digits) <= POSITIONAL_DIGITS_MAX else 10 ** POSITIONAL_DIGITS_MAX
    for big in ("兆", "亿", "万"):
        if big in text:
            # the last occurrence of the largest unit splits the numeral: 四千五百六十九万八千三百一十一亿|四千…
            head, _, tail = text.rpartition(big)
            head_value = _chinese_integer(head) if head else 1
            if head_value is None or head and head[-1] in BIG_UNITS and head_value == 0:
                return None
            if len(tail) == 1 and tail in DIGITS and tail not in ("零", "〇"):
                tail_value = DIGITS[tail] * BIG_UNITS[big] // 10  # 九十二万四 -> 924000: one step below the unit
            else:
                tail_value = _chinese_integer(tail.lstrip("零〇○"))
                if tail_value is None:
                    return None
            if tail_value >= BIG_UNITS[big]:
                return None  # 一万两万: the tail must be below the unit
            return head_value * BIG_UNITS[big] + tail_value
    total, digit, last_unit = 0, None, None
    for ch in text:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0 and digit != 0:
                return None
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if last_unit is not None and unit >= last_unit:
                return None
            # 十 alone is ten, and so is 零十 (一百零十 = 110, 一万零十二 = 10012)
            multiplier = 1 if digit is None or (digit == 0 and unit == 10) else digit
            total += multiplier * unit
            digit, last_unit = None, unit
        else:
            return None
    if digit:
        # 二百五 -> 250 (colloquial), but 三千零五 -> 3005 (the 零 reset the place)
        if last_unit and last_unit >= 100 and not text[-2] in "零〇○":
            total += digit * last_unit // 10
        else:
            total += digit
    return total


def _longest_possible_prefix(text: str) -> int:
    """A length past which no prefix of text parses. A numeral is read in sections between its big
    units (万, 亿, 兆), each section on its own (as positional digits or by the small-unit loop;
    sections after the first without their leading zeros), so a section that cannot be read spoils
    every prefix that holds all of it. Trimming then tries only the shorter prefixes: in a run of
    numeral characters most sections are malformed, and most candidates go untried."""
    section_start = 0
    for i, ch in enumerate(text):
        if ch in BIG_UNITS:
            section = text[section_start:i].lstrip("零〇○") if section_start else text[section_start:i]
            if _chinese_integer(section) is None:
                return i - 1
            section_start = i + 1
    last = text[section_start:].lstrip("零〇○") if section_start else text[section_start:]
    return len(text) if _chinese_integer(last) is not None else len(text) - 1


def _readable_lengths(text: str) -> tuple[int, int]:
    """For text without big units (万, 亿, 兆): how many of its first characters are digits, and
    how many _chinese_integer's small-unit loop takes before it stops. Each reading stops for good
    at the first character it cannot take, so neither needs a parse per prefix."""
    digit, last_unit = None, None
    for i, ch in enumerate(text):
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0 and digit != 0:
                break
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS and (last_unit is None or SMALL_UNITS[ch] < last_unit):
            digit, last_unit = None, SMALL_UNITS[ch]
        else:
            break
    else:
        i = len(text)
    return len(text) - len(text.lstrip(DIGIT_CHARS)), i


BIG_UNIT_DIGITS = {unit: len(str(value)) - 1 for unit, value in BIG_UNITS.items()}  # 万 -> 4


def _longest_readable_prefix(text: str) -> int:
    """The length of the longest prefix of text (Chinese numeral characters, no 点) that
    _chinese_integer reads, 0 if none: what trying every prefix from _longest_possible_prefix down
    finds, in a pass or two over the text instead of a parse per prefix.

    Past the last big unit B before the bound, a prefix ends in a part P without big units, and it
    reads when what comes up to B reads (the same for every P) and P, without leading zeros, reads
    below B's value (its value is added below B's place at every level of _chinese_integer's
    splits, so no other condition depends on P). P is read as places while it is all digits, and
    by the small-unit loop once it is not; each reading stops for good at a character it cannot
    take, and more places are worth more, so the longest P that reads is found in one pass. Before
    any big unit the same holds of the prefix itself, with no bound on the places."""
    head = len(text)  # where the first big unit is
    for unit in BIG_UNITS:
        at = text.find(unit, 0, head)
        if at >= 0:
            head = at
    readable = max(_readable_lengths(text[:head]))
    if readable < head or head == len(text):
        # what comes before the first big unit does not read whole, so no longer prefix does
        # (_longest_possible_prefix), or there is no big unit: every candidate is free of them
        return readable
    bound = _longest_possible_prefix(text)
    big_at = max(text.rfind(unit, 0, bound) for unit in BIG_UNITS)
    if 0 <= big_at < bound - 1:
        part = text[big_at + 1:bound]
        significant = part.lstrip("零〇○")
        digits_length, loop_length = _readable_lengths(significant)
        # digits alone are read as places, below B up to as many places as B has zeros
        # (significant opens with no zero); with a small unit the loop reads them, below 10^4
        readable = loop_length if loop_length > digits_length else min(digits_length, BIG_UNIT_DIGITS[text[big_at]])
        part_length = len(part) - len(significant) + readable
        cut = big_at + 1 + part_length
        if _chinese_integer(text[:cut]) is not None:
            return cut
        bound = big_at + 1  # what comes up to the big unit does not read: no prefix past it does
    for cut in range(bound, 0, -1):
        if _chinese_integer(text[:cut]) is not None:
            return cut
    return 0


def _chinese_value(text: str) -> Optional[Decimal]:
    """A Chinese numeral's value (三点五 -> 3.5), None when malformed; not checked against MAX_VALUE."""
    integer, _, fraction = text.partition("点")
    whole = _chinese_integer(integer)
    if whole is None:
        return None
    if not fraction:
        return Decimal(whole)
    if not all(ch in CN_DECIMAL_CLASS for ch in fraction):
        return None  # 两百点两 is two numerals: 两 is never a decimal digit
    # both parts are exact decimals: Decimal addition is exact up to the context's precision, 60 here
    with localcontext() as context:
        context.prec = 60
        return whole + Decimal("0." + "".join(str(DIGITS[ch]) for ch in fraction))


def parse_numeral(text: str) -> Decimal:
    """One numeral's value. Raises NumeralError for malformed or absurd (> 10^20) numerals."""
    text = text.replace(" ", "")
    if not text:
        raise NumeralError(text)
    if text[0].isdigit():
        with localcontext() as context:
            context.prec = 60
            value = _mixed_arabic(text)
    else:
        value = _chinese_value(text)
        if value is None:
            raise NumeralError(text)
    if value > MAX_VALUE:
        raise NumeralTooLarge(f"{text}: value too large to be a report figure")
    return value


ARABIC_NUMBER = regex.compile(ARABIC)
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
                if pending is None and section == 0:
                    total = (total or Decimal(1)) * unit  # 10万万, 4.78万亿: units stack (0万元 is zero)
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
# Bare numerals in running text: find_numbers()
@dataclass(frozen=True)
class NumberSpan:
    """One numeral in running text: text[start:end] (half-open) reads as value."""

    start: int
    end: int
    value: Decimal
    text: str
    approximate: bool = False  # 余/多/几/来 before a magnitude: 500余万, 二十几万


CN_NUMERAL_CHARS = frozenset(DIGITS) | frozenset(SMALL_UNITS) | frozenset(BIG_UNITS)
NUMBER_START = regex.compile(rf"\d|\.(?=\d)|[{CN_DIGIT_CLASS}{CN_UNIT_CLASS}]")
LEADING_DOT = regex.compile(r"\.\d+")
# 2023.5.12, 1.2.3: a run of dotted groups is a date or a version, each group a number of its own
DOTTED = regex.compile(r"\d+(?:\.\d+){2,}")
DIGIT_RUN = regex.compile(r"\d+")
# 500余万, 一千多万, 二十几万, 十来万: an approximate digit before the magnitude
APPROX_MAGNITUDE = regex.compile(r"[余多几来]([万亿]+)")
# A lone Chinese digit is a numeral only before a classifier or measure word, 是, a conjunction,
# punctuation or the end (三个, 九年八吨, 答案是四不是五, “一”和“五”); elsewhere it is a character
# of a word (一切, 四川, 陆地, 一美元 reads as a currency amount, not a bare number).


@lru_cache(maxsize=1)
def _lone_numeral_rules() -> tuple:
    """(follower, ambiguous): when a lone Chinese digit is a numeral, from lexicons/numerals.yaml."""
    from .lexicons import load_numerals

    data = load_numerals()
    follower = regex.compile(
        r"$|(?![%‰])[\s\p{P}\p{S}]|[这那不也还而却更但就即]?是|"
        + "|".join(map(regex.escape, data["lone_follower_words"])) + f"|[{regex.escape(data['lone_follower_chars'])}]")
    ambiguous = regex.compile("|".join(f"(?:{p})" for p in data["lone_ambiguous"]))
    return follower, ambiguous


# A minus sign: 负 (not 正负 = ±) or '-' where it cannot be a dash (start, space, punctuation, 为/是/至,
# or right after a rate's name: 自然增长率-0.5‰, 增幅-2.1%, 增速-3.2%)
MINUS_CONTEXT = frozenset(" \t\n(（[【{:：=,，、;；“\"'‘<>为是至到达比于长降率幅速")


def _sign_before(text: str, position: int) -> Optional[int]:
    """Where a minus sign directly before the numeral at `position` starts, else None."""
    if position == 0:
        return None
    before = text[position - 1]
    if before == "负" and not text.endswith("正", 0, position - 1):
        return position - 1
    if before == "-" and (text[position].isdigit() or text[position] == "."):
        if position == 1 or text[position - 2] in MINUS_CONTEXT:
            return position - 1
    return None


def _longest_chinese(run: str) -> str:
    """The longest prefix of a run of Chinese numeral characters that is one numeral ('' if none)."""
    if not run or run[0] in BIG_UNITS:
        return ""  # 万一, 亿万: a numeral does not start with a big unit
    for cut in range(len(run) if "点" in run else _longest_possible_prefix(run), 0, -1):
        prefix = run[:cut]
        lone_magnitude = all(ch in SMALL_UNITS or ch in BIG_UNITS for ch in prefix) and prefix not in ("十", "拾")
        if prefix.endswith("点") or lone_magnitude:
            continue
        value = _chinese_value(prefix)
        if value is None or value > MAX_VALUE:
            continue
        # 百三 = 130, 千三 = 1300 (colloquial); otherwise a leading 百/千 is no numeral (百姓, 千万)
        if prefix[0] in "百千佰仟" and not (len(prefix) == 2 and prefix[1] in DIGITS and DIGITS[prefix[1]]):
            return ""
        return prefix
    return ""


def _numeral_at(text: str, position: int) -> Optional[tuple[int, Decimal, bool]]:
    """The numeral body at `position` (no sign, no fraction): (end, value, is_chinese)."""
    if text[position] == ".":
        if position > 0 and (text[position - 1].isdigit() or text[position - 1] == "."):
            return None  # ...9: an ellipsis, not a decimal point
        match = LEADING_DOT.match(text, position)
        return (match.end(), Decimal("0" + match.group()), False) if match else None
    match = match_numeral(text, position)
    if match is None:
        return None
    body = match.group(0)
    if body[0].isdigit():
        try:
            return match.end(), parse_numeral(body), False
        except NumeralError:
            plain = ARABIC_NUMBER.match(text, position)
            return plain.end(), Decimal(plain.group().replace(",", "")), False
    body = _longest_chinese(body)
    if not body:
        return None
    return position + len(body), parse_numeral(body), True


def _signed_numeral_at(text: str, position: int) -> Optional[tuple[int, Decimal]]:
    negative = text.startswith("负", position)
    if negative:
        position += 1
    if position >= len(text) or not NUMBER_START.match(text, position):
        return None
    body = _numeral_at(text, position)
    if body is None:
        return None
    return body[0], -body[1] if negative else body[1]


def _read_number(text: str, start: int) -> list[NumberSpan]:
    """The numeral(s) starting at `start`; [] when there is none."""
    if start > 0 and text[start - 1].isdigit():
        return []
    dotted = DOTTED.match(text, start) if text[start].isdigit() else None
    if dotted:
        return [NumberSpan(m.start(), m.end(), Decimal(m.group()), m.group())
                for m in DIGIT_RUN.finditer(text, start, dotted.end())]
    body = _numeral_at(text, start)
    if body is None:
        return []
    end, value, chinese = body
    approximate = False
    lone = chinese and end - start == 1
    approx = APPROX_MAGNITUDE.match(text, end)
    if approx:
        for ch in approx.group(1):
            value *= BIG_UNITS[ch]
        end, approximate, lone = approx.end(), True, False
    with localcontext() as context:
        context.prec = 28
        if text.startswith("分之", end) and value:
            # 三分之一, 3分之157, 一百分之2, 负3分之负157: denominator first
            numerator = _signed_numeral_at(text, end + 2)
            if numerator:
                end, value, lone = numerator[0], numerator[1] / value, False
        elif text.startswith("又", end):
            # 三百五十又3分之1, 负一又二分之一: a whole number and a fraction
            denominator = None
            if end + 1 < len(text) and NUMBER_START.match(text, end + 1):
                denominator = _numeral_at(text, end + 1)
            if denominator and denominator[1] and text.startswith("分之", denominator[0]):
                numerator = _signed_numeral_at(text, denominator[0] + 2)
                if numerator:
                    end, value, lone = numerator[0], value + numerator[1] / denominator[1], False
    if lone:
        if start > 0 and text[start - 1] in CN_NUMERAL_CHARS:
            return []
        lone_follower, lone_ambiguous = _lone_numeral_rules()
        if any(m.start() <= start < m.end() for m in lone_ambiguous.finditer(text, max(0, start - 3), start + 4)):
            return []
        if not lone_follower.match(text, end):
            return []
    elif chinese and end - start == 2 and all(ch in DIGITS for ch in text[start:end]):
        return []  # 三五, 两两, 九九: an approximate pair or a doubled word, not one number
    sign = _sign_before(text, start)
    if sign is not None:
        start, value = sign, -value
    return [NumberSpan(start, end, value, text[start:end], approximate)]


def find_numbers(text: str) -> list[NumberSpan]:
    """Every numeral in running text, left to right: Arabic (1,234.5, .5), Chinese (三千零五, 两百),
    financial (壹佰贰拾), mixed (1.2万, 5万4千6百, 2千零30万), decimals (三点五), approximate
    magnitudes (500余万), fractions (三分之一, 3分之157, 一又二分之一) and negatives (负3, -1.5).
    Units are not read: that is QuantityScanner's job. Values are exact Decimals, except that a
    fraction is divided to 28 significant digits."""
    found: list[NumberSpan] = []
    position = 0
    while True:
        match = NUMBER_START.search(text, position)
        if match is None:
            return found
        spans = _read_number(text, match.start())
        if not spans:
            position = match.start() + 1
            continue
        found.extend(spans)
        position = spans[-1].end


# ---------------------------------------------------------------------------------------
# 台(艘)次, 人(次): a bracket between a unit and 次
BRACKETED_CI = regex.compile(r"[(（][^()（）]{0,3}[)）]次|[(（]次[)）]")


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


SEPARATED_DIGITS = regex.compile(r"\d+(?:,\d+)+(?:\.\d+)?")
# the characters SEPARATED_DIGITS can match: matched only up to where they end, for the regex
# module looks for the comma the pattern requires from the start to the end of the text, at
# every number (quadratic in a text of numbers without commas)
SEPARATED_DIGITS_SPAN = regex.compile(r"[\d,.]+")
SCIENTIFIC = regex.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+(?![A-Za-z])")
RANGE_SEPARATORS = ("-", "~", "至", "到", "—", "－", "～", "〜")
RANGE_SEPARATOR_STARTS = frozenset(separator[0] for separator in RANGE_SEPARATORS)
# the parts-per branch begins only where a run of magnitudes begins (or where the search began): it
# finds the same starts, and a run of 亿 is not re-read from each of its positions (N^2 steps)
START = regex.compile(r"\d|[零〇○一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾百千万]|(?:\G|(?<![百千万亿佰仟]))[百千万亿佰仟]+分之")
# 成 after a number is a tenth (八成) unless it starts a word (建成, 成立, 成效 ...)
CHENG_WORD = regex.compile(r"[立为功果员本效绩交型品都熟就长年人批套片群倍]")
# compound measures per time: 4.5万立方米/日, 120吨/年
HAN_CHAR = regex.compile(r"\p{Han}")
PER_TIME = regex.compile(r"/(?:日|天|年|月|小时|时|秒|分钟|h|d)")
# counts and measures per head of population: 5.36批次/千人, 2.1张/万人口 (the unit says "per")
PER_POPULATION = regex.compile(r"/(?:千|万|百|十万)?(?:人口|人|户)")
# 5个多小时, 3个多月: the classifier 个 with a qualifier inside a time unit
GE_DURATION = regex.compile(r"个(?P<q>[多余半])?(?P<u>小时|月|工作日|星期)")
# any magnitude before 分之 is a parts-per word: 百分之 %, 千分之 ‰, 百万分之 (ppm), 仟分之 (financial);
# at most six of them (亿亿分之 is already 10^-16), so that each start reads a bounded span
PERCENT_WORD = regex.compile(r"[百千万亿佰仟]{1,6}分之")
# 三五个, 两三家, 三四十人, 二三十个百分点: two adjacent ascending digits (and a unit) are a range
DIGIT_PAIR = regex.compile(r"([一二两三四五六七八九])([一二两三四五六七八九])([十百千]?[万亿]?)")
# 一吨半, 两米半, 三成半: a half after the unit, when no word continues with 半 (半年, 半数)
HALF_AFTER_UNIT = regex.compile(r"半(?:(?!\p{Han})|(?=的))")
# 年度, 年来, 年底 ...: 年 as part of a word, not a span of years
YEAR_WORD = regex.compile(r"年(?:度|来|以来|前|后|底|初|内|间|级|代|份|中|末|起)")
# numbers inside a web address are no quantities (...?q=30%25, issn%280024)
URL = regex.compile(r"(?:https?|ftp)://[!-~]+|www\.[!-~]+")


def _percent_factor(word: str) -> Decimal:
    """百分之 -> 1, 千分之 -> 0.1, 百万分之 -> 0.0001: what one part is in percent."""
    scale = Decimal(1)
    for ch in word[:-2]:
        scale *= SMALL_UNITS.get(ch) or BIG_UNITS[ch]
    return Decimal(100) / scale


def _digit_pair(number_text: str) -> Optional[tuple[Decimal, Decimal]]:
    """三五 -> (3, 5), 三四十 -> (30, 40), 二三十万 -> (200000, 300000); None if not a range."""
    pair = DIGIT_PAIR.fullmatch(number_text)
    if pair is None or not 0 < DIGITS[pair.group(1)] < DIGITS[pair.group(2)]:
        return None
    scale = Decimal(1)
    for ch in pair.group(3):
        scale *= SMALL_UNITS.get(ch) or BIG_UNITS[ch]
    return Decimal(DIGITS[pair.group(1)]) * scale, Decimal(DIGITS[pair.group(2)]) * scale


# (text, lexicons, quantities, rejected) of the last scan, whichever scanner of those lexicons made it
_last_scan: Optional[tuple] = None


class QuantityScanner:
    """Finds quantities with the units, magnitudes and qualifiers of one Lexicons."""

    def __init__(self, lexicons: Lexicons):
        self.lexicons = lexicons
        self.units = sorted(lexicons.units, key=len, reverse=True)
        self.unit_first = {}
        for surface in self.units:
            self.unit_first.setdefault(surface[0], []).append(surface)
        self.word_end_units = frozenset(surface for surface, entry in lexicons.units.items() if entry.word_end)
        self.prefixes = sorted(lexicons.qualifier_prefix, key=len, reverse=True)
        # looked up by length: whether any qualifier ends at a position is asked at every start
        self.prefix_set = frozenset(self.prefixes)
        self.prefix_lengths = sorted({len(prefix) for prefix in self.prefixes})
        self.suffixes = sorted(lexicons.qualifier_suffix, key=len, reverse=True)
        # asked of every number: the qualifiers that could start after it (or end before it) are
        # the few with that first (last) character, longest first as in the full lists
        self.suffix_first: dict = {}
        for suffix in self.suffixes:
            self.suffix_first.setdefault(suffix[0], []).append(suffix)
        self.prefix_last: dict = {}
        for prefix in self.prefixes:
            self.prefix_last.setdefault(prefix[-1], []).append(prefix)
        self.rejected: list = []

    def match_unit(self, text: str, position: int) -> Optional[str]:
        for surface in self.unit_first.get(text[position:position + 1], ()):
            if text.startswith(surface, position):
                # ASCII units must not run into more letters (5G, 3D, 10kV-line are not km)
                end = position + len(surface)
                if surface[-1].isascii() and surface[-1].isalpha() and end < len(text) and text[end].isascii() and text[end].isalnum():
                    continue
                if surface in self.word_end_units and HAN_CHAR.match(text, end):
                    continue
                return surface
        return None

    def scan(self, text: str) -> list[Quantity]:
        """Quantities in text. Numbers that look like quantities but are absurd or malformed are
        not returned; they are listed in self.rejected as (start, end, reason) for a warning.
        The last text's answer is kept (for the same text object and lexicons, whichever scanner
        made it): the default extractor's two readers (rules and tagger) scan the same text one
        after the other (a new list each time, of quantities nothing changes after the scan)."""
        global _last_scan
        last = _last_scan
        if last is not None and last[0] is text and last[1] is self.lexicons:
            self.rejected = list(last[3])
            return list(last[2])
        found = self._scan(text)
        _last_scan = (text, self.lexicons, tuple(found), tuple(self.rejected))
        return found

    def _scan(self, text: str) -> list[Quantity]:
        found: list[Quantity] = []
        self.rejected = []
        urls = [m.span() for m in URL.finditer(text)]
        next_url = 0  # starts only move forward: the web addresses are passed once, not searched per number
        measured_run_end = 0  # numeral-character runs are measured once each, at their first start
        position = 0
        while True:
            match = START.search(text, position)
            if match is None:
                return found
            while next_url < len(urls) and urls[next_url][1] <= match.start():
                next_url += 1
            if next_url < len(urls) and urls[next_url][0] <= match.start():
                position = urls[next_url][1]
                continue
            if match.start() >= measured_run_end and text[match.start()] in CHINESE_NUMERAL_START:
                # every start in a run of numeral characters reads to the run's end (or further),
                # so a start more than MAX_CHINESE_NUMERAL_CHARS before that end reads nothing
                # (match_numeral): go straight to the first start that can
                run = CHINESE_NUMERAL.match(text, match.start())
                measured_run_end = run.end() if run else match.end()
                if measured_run_end - MAX_CHINESE_NUMERAL_CHARS > match.start():
                    position = measured_run_end - MAX_CHINESE_NUMERAL_CHARS
                    continue
            malformed = self._malformed_separators(text, match.start())
            if malformed:
                self.rejected.append((match.start(), malformed, "malformed_number"))
                position = malformed
                continue
            try:
                quantity = self._read(text, match.start())
            except NumeralTooLarge:
                end = NUMERAL.match(text, match.start())
                self.rejected.append((match.start(), end.end() if end else match.end(), "absurd_value"))
                position = end.end() if end else match.end()
                continue
            if quantity is None:
                position = match.end()
                continue
            # 负3.9%, -22.2%, 同比-1.5%: a minus sign before a single number (never before a range)
            sign = _sign_before(text, quantity.number_start) if quantity.value_max is None else None
            if sign is not None and quantity.start == quantity.number_start:
                quantity.value, quantity.start, quantity.number_start = -quantity.value, sign, sign
            found.append(quantity)
            position = quantity.end

    def _malformed_separators(self, text: str, start: int) -> Optional[int]:
        """1,23,4家 or 12,3456元 (thousands separators in the wrong places before a unit), 1e400:
        returns the end of the run (to skip it whole: no 4家 read out of it), or None."""
        if text[start] in CHINESE_NUMERAL_START or start > 0 and (text[start - 1].isdigit() or text[start - 1] == ","):
            return None  # (both patterns open with a digit; no numeral character is one)
        scientific = SCIENTIFIC.match(text, start)
        if scientific:
            return scientific.end()  # 1e400元: no report writes figures this way; never read 400元 out of it
        match = SEPARATED_DIGITS.match(text, start, SEPARATED_DIGITS_SPAN.match(text, start).end())
        if match is None:
            return None
        groups = match.group(0).split(",")
        well_formed = len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:-1]) and len(groups[-1].split(".")[0]) == 3
        if well_formed:
            return None
        after = match.end()
        if after < len(text) and (self.match_unit(text, after) or text[after] in "万亿千余多"):
            return after
        return None

    # -- one quantity starting at `start` ------------------------------------------------
    def _may_have_unit(self, text: str, position: int) -> bool:
        """Can a unit, magnitude, 成, 分之 or range follow a numeral ending at position (over
        qualifier infixes)? Cheap test before the full parse of a Chinese numeral."""
        while position < len(text) and text[position] in "余多来几个":
            if text[position] == "个":
                return True
            position += 1
        if position >= len(text):
            return False
        ch = text[position]
        return (ch in self.unit_first or ch in "万亿成分点%‰-~至到—半兆" or ch.isdigit()) or \
            any(text.startswith(w, position) for w in ("以上", "左右", "以下", "以内", "之多"))

    def _read(self, text: str, start: int) -> Optional[Quantity]:
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] == "." and start > 1 and text[start - 2].isdigit()):
            return None  # inside a longer number
        percent_word = PERCENT_WORD.match(text, start)
        if percent_word and not (start > 0 and text[start - 1] in DIGITS):  # 五百分之二 is a fraction
            return self._read_percent_word(text, start, percent_word.group(0))
        numeral = match_numeral(text, start)
        if numeral is None:
            return None
        number_text = numeral.group(0)
        chinese = not number_text[0].isdigit()
        if chinese and not self._may_have_unit(text, numeral.end()):
            return None  # 一是, 统一, 三会一课: no unit can follow, so no quantity (the common case, made cheap)
        pair = _digit_pair(number_text) if chinese and len(number_text) <= 4 else None  # (a pair is 2 to 4 characters)
        if chinese and not pair:
            # 近千项 and 万余人次 both make a lone magnitude a number: a qualifier before or 余/多 after
            # (looked for only at a lone magnitude, the one numeral it changes)
            lone = number_text.rstrip("点")
            qualified = len(lone) == 1 and lone in MAGNITUDE_CHARS and (
                any(text[start - length:start] in self.prefix_set for length in self.prefix_lengths if length <= start)
                or text[numeral.end():numeral.end() + 1] in ("余", "多"))
            number_text = self._trim_chinese(number_text, qualified)
            if not number_text:
                return None
        number_end = start + len(number_text)
        value_max = None
        # 三五个 / 三四十人: two adjacent plain digits are a range
        if pair:
            value, value_max = pair
        elif chinese and len(number_text) >= 2 and number_text[0] in DIGITS and number_text[1] in DIGITS \
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
            except NumeralTooLarge:
                raise
            except NumeralError:
                return None
        if text.startswith("分之", number_end) and value_max is None:
            return self._read_fraction(text, start, number_text, number_end)
        if text.startswith("成", number_end) and value_max is None and value <= 10 \
                and not CHENG_WORD.match(text, number_end + 1):
            # 八成 = 80 %, 超三成, 9.5成, 三成半 = 35 %
            cheng_end = number_end + 1
            if HALF_AFTER_UNIT.match(text, cheng_end):
                value, cheng_end = value + Decimal("0.5"), cheng_end + 1
            span_start, end, qualifier = self._qualify(text, start, cheng_end)
            return Quantity(start=span_start, end=end, value=value * 10, unit="%", kind="rate",
                            qualifier=qualifier or "exact", number_start=start, number_end=number_end,
                            unit_start=number_end, chinese=chinese)
        cursor = number_end
        # ranges: 3至5天, 10-15人, 3~5 (most numbers are followed by no separator's first character)
        for separator in RANGE_SEPARATORS if text[cursor:cursor + 1] in RANGE_SEPARATOR_STARTS else ():
            if value_max is None and text.startswith(separator, cursor):
                second = match_numeral(text, cursor + len(separator))
                if second and (second.group(0)[0].isdigit() != chinese):
                    try:
                        high = parse_numeral(self._trim_chinese(second.group(0)) if chinese else second.group(0))
                    except NumeralTooLarge:
                        raise
                    except NumeralError:
                        high = None
                    if high is not None and high > value:
                        value_max = high
                        cursor = second.start() + len(self._trim_chinese(second.group(0)) if chinese else second.group(0))
                break
        return self._read_tail(text, start, number_end, cursor, value, value_max, chinese)

    def _trim_chinese(self, number_text: str, qualified: bool = False) -> str:
        """Drop trailing characters that cannot end a numeral we can read (一批 -> 一, 千 alone -> '')."""
        while number_text and number_text[-1] in "点":
            number_text = number_text[:-1]
        # a lone magnitude (万家, 千方百计, 百姓) is not a number, except when qualified (近千项,
        # 约万人, 万余人次); 十 alone is (十个)
        if number_text and not number_text.strip(MAGNITUDE_CHARS) and number_text != "十" \
                and not (qualified and len(number_text) == 1):
            return ""
        # financial digits are everyday characters too (队伍, 陆地, 肆意): alone they are no number
        if len(number_text) == 1 and number_text in FINANCIAL_DIGITS:
            return ""
        if "点" in number_text:
            for cut in range(len(number_text), 0, -1):
                value = _chinese_value(number_text[:cut])
                if value is not None:
                    if value > MAX_VALUE:
                        raise NumeralTooLarge(f"{number_text[:cut]}: value too large to be a report figure")
                    return number_text[:cut]
            return ""
        # without 点 a prefix's value is its integer's (_chinese_value): the cached integer parse
        # alone, and one Decimal for the prefix that reads
        cut = _longest_readable_prefix(number_text)
        if not cut:
            return ""
        if Decimal(_chinese_integer(number_text[:cut])) > MAX_VALUE:
            raise NumeralTooLarge(f"{number_text[:cut]}: value too large to be a report figure")
        return number_text[:cut]
        return ""

    def _read_tail(self, text, start, number_end, cursor, value, value_max, chinese) -> Optional[Quantity]:
        lexicons = self.lexicons
        qualifier = "exact"
        scale = Decimal(1)
        unit_start = cursor
        # 4.5亿 is read whole by the numeral; 1300多万 leaves its magnitude to the loop below
        magnitude_seen = text[number_end - 1:number_end] in ("万", "亿")
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
            unit_end = cursor + len(unit)
            bracketed = BRACKETED_CI.match(text, unit_end)
            if bracketed and unit + "次" in lexicons.units:
                unit, unit_end = unit + "次", bracketed.end()  # 2400余台(艘)次, 10人(次): the bracket only adds a kind of thing
            entry = lexicons.units[unit]
            unit_entry_kind, canonical = entry.kind, entry.canonical
            per_time = PER_TIME.match(text, unit_end) if entry.kind == "measure" else None
            per_population = PER_POPULATION.match(text, unit_end) if entry.kind in ("count", "measure") else None
            if per_time:
                canonical += per_time.group(0)
                unit_end = per_time.end()
            elif per_population:
                canonical += per_population.group(0)
                unit_end = per_population.end()
            elif entry.kind == "measure" and value_max is None and not magnitude_seen \
                    and HALF_AFTER_UNIT.match(text, unit_end):
                value += Decimal("0.5")  # 一吨半, 两米半
                unit_end += 1
        span_start, end, outer = self._qualify(text, start, unit_end)
        if outer:
            qualifier = outer
        prefix_start = span_start
        value = value * scale
        if value_max is not None:
            value_max = value_max * scale
        if value > MAX_VALUE:
            raise NumeralTooLarge(f"{text[start:end]}: value too large to be a report figure")
        return Quantity(start=prefix_start, end=end, value=value, unit=canonical, kind=unit_entry_kind,
                        qualifier=qualifier, value_max=value_max, number_start=start, number_end=number_end,
                        unit_start=unit_start, chinese=chinese, bare_magnitude_money=bare_money)

    def _qualified_years(self, text: str, start: int, cursor: int) -> bool:
        if YEAR_WORD.match(text, cursor):
            return False
        before = self._prefix_before(text, start)
        after = self._suffix_at(text, cursor + 1)
        return before not in (None, "近", "将近", "接近", "约", "大约") or after in ("以上", "以下", "左右")

    def _money_context(self, text: str, start: int) -> bool:
        window_start = max(0, start - 16)
        for stop in "。;；\n":
            cut = text.rfind(stop, window_start, start)
            if cut >= 0:
                window_start = cut + 1
        window = text[window_start:start]
        return any(word in window for word in self.lexicons.money_context)

    def _suffix_at(self, text: str, position: int) -> Optional[str]:
        """The longest qualifier suffix that starts at position (余, 多, 以上 ...), else None."""
        return next((s for s in self.suffix_first.get(text[position:position + 1], ()) if text.startswith(s, position)), None)

    def _prefix_before(self, text: str, position: int) -> Optional[str]:
        """The longest qualifier prefix that ends at position (约, 超过, 近 ...), else None."""
        if position <= 0:
            return None
        return next((p for p in self.prefix_last.get(text[position - 1], ()) if text.endswith(p, 0, position)), None)

    def _qualify(self, text: str, start: int, end: int) -> tuple[int, int, Optional[str]]:
        """Extend [start, end) over a qualifier word before or after it; return the qualifier."""
        qualifier = None
        suffix = self._suffix_at(text, end)
        if suffix:
            qualifier = self.lexicons.qualifier_suffix[suffix]
            end += len(suffix)
        prefix = self._prefix_before(text, start)
        if prefix and any(text.endswith(word, 0, start) for word in self.lexicons.qualifier_prefix_blockers):
            prefix = None  # 节约7.23万元, 附近3个村: the character ends another word
        if prefix:
            qualifier = self.lexicons.qualifier_prefix[prefix]
            start -= len(prefix)
        return start, end, qualifier

    def _read_percent_word(self, text, start, word) -> Optional[Quantity]:
        """百分之九十五, 百分之5.5, 百分之百, 千分之三, 百万分之五 -> a rate in %; 百分之二三十 -> 20-30 %."""
        number_start = start + len(word)
        factor = _percent_factor(word)
        value_max = None
        if word == "百分之" and text.startswith("百", number_start) and not NUMERAL.match(text, number_start + 1):
            number_text, value = "百", Decimal(100)
        else:
            numeral = match_numeral(text, number_start)
            if numeral is None:
                return None
            number_text = numeral.group(0)
            pair = _digit_pair(number_text)
            if pair:
                value, value_max = pair[0] * factor, pair[1] * factor
            else:
                if not number_text[0].isdigit():
                    # a lone financial digit is a number here (万分之肆)
                    number_text = _longest_chinese(number_text)
                try:
                    value = parse_numeral(number_text) * factor
                except NumeralTooLarge:
                    raise
                except NumeralError:
                    return None
        number_end = number_start + len(number_text)
        span_start, end, qualifier = self._qualify(text, start, number_end)
        return Quantity(start=span_start, end=end, value=value, unit="%", kind="rate", qualifier=qualifier or "exact",
                        value_max=value_max, number_start=start, number_end=number_end, unit_start=start,
                        chinese=not number_text[0].isdigit())

    def _read_fraction(self, text, start, denominator_text, denominator_end) -> Optional[Quantity]:
        """三分之一 -> 33.33...%: a share, written as a rate in percent."""
        numeral = match_numeral(text, denominator_end + 2)
        if numeral is None:
            return None
        numerator_text = numeral.group(0)
        if not numerator_text[0].isdigit():
            numerator_text = self._trim_chinese(numerator_text)
        try:
            denominator = parse_numeral(denominator_text)
            numerator = parse_numeral(numerator_text)
        except NumeralTooLarge:
            raise
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
