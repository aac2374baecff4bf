"""Document metadata read from the text: title, date, year, bureau, region.

A first, rule-based reader: the title is the HTML <title> or the first substantial line;
the date is a labelled or stand-alone date (dateline, 发布时间, signature line), never a date
inside a sentence; the year comes from the title, else the date, else a year that dominates
the body; the bureau is the most frequent full bureau name, and the region its place prefix.
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

import regex

from .lexicons import Lexicons

DATE = regex.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.年])\s*(?P<m>\d{1,2})\s*(?:[-/.月])\s*(?P<d>\d{1,2})\s*日?")
DATE_LABEL = regex.compile(r"(?:发布时间|发布日期|发表时间|日期|时间|发布于|更新时间)\s*[:：]?\s*$")
YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\d)")
BUREAU_SUFFIX = (r"(?:应急管理局|市场监督管理局|市场监管局|生态环境局|生态环境分局|消防救援支队|消防救援大队|"
                 r"消防救援总队|水利局|交通运输局|卫生健康委员会|卫生健康局|林业局|林业和草原局|自然资源局|"
                 r"住房和城乡建设局|农业农村局|气象局|地震局|安全生产监督管理局|安监局)")
PLACE = r"(?:[\p{Han}]{1,7}?(?:省|自治区|自治州|自治县|市|州|盟|地区|县|区|旗|新区))"
BUREAU = regex.compile(rf"(?P<place>{PLACE}{{1,4}})?{BUREAU_SUFFIX}(?:[\p{{Han}}]{{1,4}}分局)?")
NOT_PLACE_START = ("中共", "该", "我", "全", "本", "各", "市级", "区级", "县级", "省级", "从", "在", "向", "对", "与", "和", "由",
                   "记者", "获悉", "来源")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def find_date(original: str) -> Optional[str]:
    """A dateline, a labelled publication date or a signature date; None if the text has none."""
    candidates = []
    lines = original.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        for match in DATE.finditer(stripped):
            before = stripped[:match.start()]
            after = stripped[match.end():].strip()
            standalone = not before.strip() and (not after or regex.fullmatch(r"[\d:：\s]+", after))
            labelled = bool(DATE_LABEL.search(before)) or regex.search(r"(?:发布时间|发布日期|日期)\s*[:：]", before)
            if standalone or labelled:
                year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
                if 1 <= month <= 12 and 1 <= day <= 31:
                    candidates.append((0 if labelled else 1, index, f"{year:04d}-{month:02d}-{day:02d}"))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1]))
    return candidates[0][2]


def find_title(normalized_text: str, html_title: Optional[str]) -> Optional[str]:
    if html_title:
        return html_title
    for line in _lines(normalized_text):
        if len(line) >= 6 and not DATE.match(line):
            return line[:120]
    return None


def find_year(title: Optional[str], date: Optional[str], text: str) -> Optional[int]:
    if title:
        years = YEAR.findall(title)
        if years:
            return int(years[0])
    if date:
        return int(date[:4])
    years = Counter(int(y) for y in YEAR.findall(text))
    if years:
        year, count = years.most_common(1)[0]
        if count >= 3 and count >= 0.5 * sum(years.values()):
            return year
    return None


def find_bureau(text: str) -> tuple[Optional[str], Optional[str]]:
    names = Counter()
    places = {}
    for match in BUREAU.finditer(text):
        place = match["place"] or ""
        while place.startswith(NOT_PLACE_START):
            place = regex.sub(rf"^(?:{'|'.join(NOT_PLACE_START)})", "", place)
        if not place:
            continue
        name = place + match.group(0)[len(match["place"] or ""):]
        names[name] += 1
        places[name] = place
    if not names:
        return None, None
    # prefer the most frequent name; among ties, the longest (most specific)
    best = max(names, key=lambda n: (names[n] + sum(names[o] for o in names if o != n and o.endswith(n)), len(n)))
    return best, places[best]


def read_metadata(normalized, lexicons: Lexicons) -> dict:
    text = normalized.text
    title = find_title(text, normalized.html_title)
    date = find_date(normalized.original if not normalized.is_html else text)
    year = find_year(title, date, text)
    bureau, region = find_bureau(text)
    return {"title": title, "date": date, "year": year, "bureau": bureau, "region": region}
