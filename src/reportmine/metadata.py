"""Document metadata read from the text: title, date, year, genre, bureau, region and its code.

- title: the HTML <title>, else the first substantial line;
- date: a labelled or stand-alone date (dateline, 发布时间, signature line), never one inside a sentence;
- year: a stated review year near the start (回顾总结2023年工作), else the year in the title's
  headline, else a year a paragraph opens with (会议指出，2024年，), else the last year of a five-year
  plan the page looks back on (“十三五”期间), else the date's year (last year's for a page of January
  or February on last year's figures), else the year after an annual assessment the page reports,
  else a year that dominates the body;
- bureau: the reporting body's full name, a place name that is a real division (regions.py)
  followed by a bureau suffix (lexicons/documents.yaml); the most frequent wins, names in the
  title and the first and last lines count extra;
- region and region_code: the bureau's place, resolved to a division and written as its full
  path (广东省清远市清新区) and 6-digit code.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Optional

import regex

from .errors import LexiconError
from .lexicon_files import compile_expression, line_of, load_yaml, shipped_lexicon_dir, string_list
from .normalize import PINYIN_NOISE
from .numbers import _chinese_integer
from .regions import regions

DATE = regex.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[-/.年])\s*(?P<m>\d{1,2})\s*(?:[-/.月])\s*(?P<d>\d{1,2})\s*日?"
    # a news site's stamp with a space after the year: 2025 12/15 08:49:11
    r"|(?<!\d)(?P<y>(?:19|20)\d{2})[ \u3000]+(?P<m>\d{1,2})/(?P<d>\d{1,2})(?!\d)"
    # day first, with dots, as some portals stamp a page: 06.01.2016 09:27
    r"|(?<![\d.])(?P<d>\d{2})\.(?P<m>\d{2})\.(?P<y>(?:19|20)\d{2})(?![\d.])")
# (a label in a table's cell, [ 发布日期 ] | 2024-05-22, is followed by the cell's bracket and bar)
DATE_LABEL = regex.compile(r"(?:发布时间|发布日期|发表时间|日期|时间|发布于|更新时间|来源[^\n]{0,30}?)\s*[\]】]?\s*[:：|｜\t]?\s*$")
# what may follow a dateline on its line: a clock time, digits, or the page's source/author labels
# (2023年12月26日　来源：沂水县融媒体中心), or the reporters' byline (2024年3月5日  记者 李晓彤)
DATELINE_FOLLOWER = regex.compile(r"[\d:：\s]+$|\d{1,2}[:：]\d{2}(?:[:：]\d{2})?\s|(?:来源|作者|发布|浏览|点击|编辑|字号|记者|通讯员|本报)")
# a publication date's label outranks another date's (成文日期, 归档时间): the page's date is when it was published
PUBLICATION_LABEL = regex.compile(r"(?:发布|发表|更新)")
# a speech's date line: (2023年2月8日在县第十七届人民代表大会第二次会议上), ——2021年12月17日在…会议上
SPEECH_DATELINE = regex.compile(r"在[^。，,；;\n]{2,60}会")
# a date written in Chinese numerals on a line of its own (a signature: 二〇〇九年三月三日; a typed
# O for 〇)
CHINESE_DATE = regex.compile(r"(?P<y>[〇○零OОＯ一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日")
TYPED_ZEROS = str.maketrans({"O": "〇", "О": "〇"})
TITLE_SEPARATOR = regex.compile(r"\s*(?:_|\||｜|\s[-–—]\s)\s*")
# a part of a navigation trail is a section or site name: longer ones are prose with an arrow in it
BREADCRUMB_PART = 20
PROSE_PUNCTUATION = regex.compile(r"[，。；！？,;]")
# 18:05, or written in characters: 09时27分
CLOCK_TIME = regex.compile(r"\d{1,2}[:：]\d{2}(?!\d)|\d{1,2}时\d{1,2}分")
YEAR = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\d)")
MAX_CHAIN = 3


@lru_cache(maxsize=1)
def document_cues() -> dict:
    path = shipped_lexicon_dir() / "documents.yaml"
    data = load_yaml(path)
    for key in data:
        if key not in DOCUMENTS_KEYS:
            raise LexiconError(path, line_of(path, f"{key}:"),
                               f"key {key!r} is not read by anything (known keys: {', '.join(DOCUMENTS_KEYS)})")
    suffixes = string_list(path, data, "bureau_suffixes")
    genres = []
    for rule in data.get("genres") or []:
        if not isinstance(rule, dict) or "genre" not in rule or not ("title" in rule or "text" in rule):
            raise LexiconError(path, 0, f"a genre rule needs genre and title or text: {rule!r}")
        genres.append((rule["genre"], compile_expression(path, rule["title"], "genre title") if "title" in rule else None,
                       compile_expression(path, rule["text"], "genre text") if "text" in rule else None))
    covered = [compile_expression(path, expression, "covered_year") for expression in string_list(path, data, "covered_year")]
    opening = [compile_expression(path, expression, "opening_year") for expression in string_list(path, data, "opening_year")]
    mentioned = compile_expression(path, data.get("mentioned_year") or r"(?!)", "mentioned_year")
    aliases = data.get("bureau_suffix_aliases") or {}
    if not isinstance(aliases, dict) or not all(isinstance(k, str) and v in suffixes for k, v in aliases.items()):
        raise LexiconError(path, 0, "bureau_suffix_aliases must map a short suffix to one of bureau_suffixes")
    bureau = regex.compile("(?:" + "|".join(map(regex.escape, sorted(suffixes, key=len, reverse=True)))
                           + r")(?:\p{Han}{2,4}分局)?")
    national = _national_bodies(path, data.get("national_bodies") or {})
    publishers = []
    for rule in data.get("publishers") or []:
        if not isinstance(rule, dict) or not isinstance(rule.get("title"), str) or rule.get("suffix") not in suffixes:
            raise LexiconError(path, 0, f"a publisher rule needs a title pattern and a suffix among bureau_suffixes: {rule!r}")
        publishers.append((compile_expression(path, rule["title"], "publisher title"), rule["suffix"]))
    host_bureaus = {}
    for label, names in (data.get("host_bureaus") or {}).items():
        names = [names, names] if isinstance(names, str) else names
        if not (isinstance(names, list) and len(names) == 2 and all(name in suffixes for name in names)):
            raise LexiconError(path, 0, f"host_bureaus: {label} must map to one of bureau_suffixes, or two "
                                        f"(a city or county's, a province's): {names!r}")
        host_bureaus[str(label)] = tuple(names)
    subjects = _subjects(path, data.get("subjects") or {}, string_list(path, data, "field_endings"))
    own_place = data.get("own_place_words") or {}
    if not isinstance(own_place, dict) or not all(kind in GENERIC_PLACE and isinstance(words, list) and words
                                                  and all(isinstance(word, str) for word in words)
                                                  for kind, words in own_place.items()):
        raise LexiconError(path, line_of(path, "own_place_words:"), "own_place_words maps a place word "
                           f"({', '.join(GENERIC_PLACE)}) to the words a page uses for its own place of that kind")
    # every name a subject's body has, at any level and before the reform too -> the subject
    body_kinds = {name: kind for kind, (bodies, former, _field, _words) in subjects.items()
                  for name in bodies + (former[1] if former else ())}
    return {"bureau": bureau, "bureau_suffixes": tuple(suffixes), "body_kinds": body_kinds,
            # a body's name ending right here (a signature date follows it)
            "bureau_end": regex.compile("(?:" + "|".join(map(regex.escape, sorted(suffixes, key=len, reverse=True))) + r")\s*$"),
            "news_source": compile_expression(path, data.get("news_source") or r"(?!)(?P<body>)", "news_source"),
            "dateline_source": compile_expression(path, data.get("dateline_source") or r"(?!)", "dateline_source"), "genres": genres, "covered_year": covered,
            "opening_year": opening, "mentioned_year": mentioned,
            "planned_year": compile_expression(path, data.get("planned_year") or r"(?!)(?P<y>)", "planned_year"),
            "part_of_year": compile_expression(path, data.get("part_of_year") or r"(?!)", "part_of_year"),
            "breadcrumb_separator": compile_expression(path, data.get("breadcrumb_separator") or r"(?!)", "breadcrumb_separator"),
            "year_end": compile_expression(path, data.get("year_end") or r"(?!)(?P<y>)(?P<last>)", "year_end"),
            "plan_review": compile_expression(path, data.get("plan_review") or r"(?!)(?P<plan>)", "plan_review"),
            "plan_end_years": _plan_end_years(path, data.get("plan_end_years") or {}),
            "last_year": compile_expression(path, data.get("last_year") or r"(?!)", "last_year"),
            "assessed_year": compile_expression(path, data.get("assessed_year") or r"(?!)(?P<y>)", "assessed_year"), "suffix_aliases": aliases, "publishers": publishers,
            "address_words": frozenset(word.lower() for word in string_list(path, data, "address_words")),
            "event_words": regex.compile("|".join(map(regex.escape, string_list(path, data, "event_words"))) or "(?!)"),
            "host_bureaus": host_bureaus, "own_body_words": _word_lists(path, data, "own_body_words"), "own_place_words": {str(kind): tuple(words) for kind, words in own_place.items()},
            "subjects": subjects,
            "national_bodies": national, "national_scope": tuple(string_list(path, data, "national_scope")),
            # longest first; not followed by 门 (财政部门 holds 财政部) nor part of a longer name
            "national_body_names": regex.compile("(?:" + "|".join(map(regex.escape, sorted(national, key=len, reverse=True)))
                                                 + ")(?!门)") if national else regex.compile("(?!)")}


def _word_lists(path, data, key) -> dict:
    """A mapping of a name to a list of words (own_body_words)."""
    entries = data.get(key) or {}
    if not isinstance(entries, dict) or not all(isinstance(words, list) and words and all(isinstance(w, str) for w in words)
                                                for words in entries.values()):
        raise LexiconError(path, line_of(path, f"{key}:"), f"{key} maps a name to a list of words")
    return {str(name): tuple(words) for name, words in entries.items()}


def _plan_end_years(path, entries) -> dict:
    """A five-year plan's name -> its last year (十三五 -> 2020)."""
    if not isinstance(entries, dict) or not all(isinstance(year, int) and 1900 <= year <= 2099 for year in entries.values()):
        raise LexiconError(path, line_of(path, "plan_end_years:"), "plan_end_years maps a plan's name to its last year")
    return {str(plan): year for plan, year in entries.items()}


DOCUMENTS_KEYS = ("breadcrumb_separator", "bureau_suffixes", "bureau_suffix_aliases", "host_bureaus", "subjects", "field_endings",
                  "national_bodies", "national_scope",
                  "publishers", "dateline_source", "news_source", "opening_year", "mentioned_year", "plan_review",
                  "plan_end_years", "last_year", "assessed_year", "genres", "covered_year", "planned_year", "year_end", "part_of_year", "ordinary_word_short_names",
                  "ethnic_groups", "own_place_words", "own_body_words", "event_words",
                  "address_words")
SUBJECT_KEYS = ("bodies", "former", "fields", "words")


def _subjects(path, entries, field_endings) -> dict:
    """kind -> (bodies by level, (until, former bodies) or None, field pattern, words)."""
    subjects = {}
    for kind, entry in entries.items():
        unknown = [key for key in entry or {} if key not in SUBJECT_KEYS] if isinstance(entry, dict) else []
        former = (entry or {}).get("former") if isinstance(entry, dict) else None
        lists = all(isinstance(entry.get(key, []), list) for key in ("fields", "words")) if isinstance(entry, dict) else False
        if not isinstance(entry, dict) or unknown or not lists or not _three_names(entry.get("bodies")) or not entry.get("words") \
                or (former is not None and not (isinstance(former, dict) and isinstance(former.get("until"), int)
                                                and _three_names(former.get("bodies")))):
            raise LexiconError(path, line_of(path, f"{kind}:"), f"subjects: {kind} needs bodies (a name, or a "
                               f"mapping of county, prefecture and province to names), a list of words, and may have "
                               f"a list of fields and former {{until: year, bodies: ...}}" + (f" (unknown: {', '.join(unknown)})" if unknown else ""))
        fields = [str(field) for field in entry.get("fields") or []]
        field_pattern = regex.compile("(?:" + "|".join(map(regex.escape, sorted(fields, key=len, reverse=True)))
                                      + ")(?:" + "|".join(map(regex.escape, field_endings)) + ")") if fields and field_endings else None
        subjects[str(kind)] = (_by_level(entry["bodies"]), (former["until"], _by_level(former["bodies"])) if former else None,
                               field_pattern, tuple(str(word) for word in entry["words"]))
    return subjects


def _three_names(names) -> bool:
    """One name for every level, or a mapping of county, prefecture and province to names."""
    if isinstance(names, str):
        return bool(names)
    return isinstance(names, dict) and set(names) == set(LEVEL_INDEX) and all(
        isinstance(name, str) and name for name in names.values())


def _by_level(names) -> tuple:
    """Names in LEVEL_INDEX order."""
    return tuple(names if isinstance(names, str) else names[level] for level in LEVEL_INDEX)


def _national_bodies(path, entries) -> dict:
    """Every way a national body is written -> its full name."""
    written = {}
    for name, aliases in entries.items():
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            raise LexiconError(path, line_of(path, f"{name}:"), f"national_bodies: {name} needs a list of short forms")
        for form in [name, *aliases]:
            written[form] = str(name)
    return written


def find_date(text: str) -> Optional[str]:
    """A dateline, a labelled publication date or a signature date; None if the text has none.
    By rank: a date labelled as the publication's (发布时间), another labelled date (成文日期), a
    dateline or signature line, then a date written right after a body's name in running text (a
    signature whose line breaks were lost: …统计局2016年5月11日)."""
    candidates = []
    sources = document_cues()["dateline_source"]
    lines = text.splitlines()
    first_line = next((index for index, line in enumerate(lines) if line.strip()), -1)
    for index, line in enumerate(lines):
        stripped = line.strip().strip("()（）[]【】")
        for match in DATE.finditer(stripped):
            before = stripped[:match.start()]
            after = stripped[match.end():].strip()
            # a line of its own (signature date), or a dateline with a clock time and byline after it
            standalone = not before.strip() and (not after or DATELINE_FOLLOWER.match(after))
            # 佛山市场监管　2024年08月16日 18:05　广东: a short line with a timestamp is a dateline
            # whatever names the account before it
            standalone = standalone or (len(stripped) <= 50 and bool(CLOCK_TIME.match(after))
                                        and not PROSE_PUNCTUATION.search(stripped))
            # 某某日报2022年04月20日: a paper's or site's name and the date, nothing else
            standalone = standalone or (not after and bool(sources.fullmatch(before.strip())))
            # 2024年4月巡查信息公开 ( 2024-05-20 ): a heading's date in brackets closing its line
            standalone = standalone or (not after and before.rstrip().endswith(("(", "（", "[", "【"))
                                        and not PROSE_PUNCTUATION.search(stripped))
            # the page's first line (its headline) with the date set after it: …办结435件  2021年02月20日
            standalone = standalone or (not after and index == first_line and before[-1:].isspace())
            # ——2021年12月17日在县人民代表大会上: the date a speech was given
            standalone = standalone or (not before.strip("—－-　 ") and bool(SPEECH_DATELINE.match(after))
                                        and not PROSE_PUNCTUATION.search(after))
            label = DATE_LABEL.search(before)
            signed = not standalone and not label and bool(document_cues()["bureau_end"].search(before))
            if standalone or label or signed:
                year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
                if 1 <= month <= 12 and 1 <= day <= 31:
                    rank = (0 if PUBLICATION_LABEL.search(label.group(0)) else 1) if label else 2 if standalone else 3
                    candidates.append((rank, index, f"{year:04d}-{month:02d}-{day:02d}"))
        chinese = CHINESE_DATE.fullmatch(stripped)
        if chinese:
            year = _chinese_integer(chinese["y"].translate(TYPED_ZEROS))
            month, day = _chinese_integer(chinese["m"]), _chinese_integer(chinese["d"])
            if year and 1900 <= year <= 2099 and month and 1 <= month <= 12 and day and 1 <= day <= 31:
                candidates.append((2, index, f"{year:04d}-{month:02d}-{day:02d}"))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (c[0], c[1]))
    return candidates[0][2]


def find_title(text: str, html_title: Optional[str]) -> Optional[str]:
    if html_title:
        # 标题_栏目_站点: a page title carries the section and site after the headline; the
        # headline alone is the title when the page shows it
        headline = TITLE_SEPARATOR.split(html_title, 1)[0].strip()
        return headline if len(headline) >= 6 and headline in text else html_title
    cues = document_cues()
    suffixes, breadcrumb = cues["bureau_suffixes"], cues["breadcrumb_separator"]
    for line in text.splitlines():
        line = line.strip()
        # 肇庆市消防救援支队 on a line of its own above the title is the letterhead, not the title
        letterhead = len(line) <= 20 and line.endswith(suffixes)
        if len(line) >= 6 and not DATE.match(line) and not letterhead and not _is_breadcrumb(line, breadcrumb):
            return line[:120]
    return None


def _is_breadcrumb(line: str, separator) -> bool:
    """A site's path to the page (门户网站 >> 部门动态 >> 市卫生健康委): short parts joined by the
    separators of a navigation trail, never a headline."""
    parts = separator.split(line)
    return len(parts) >= 2 and all(0 < len(part.strip()) <= BREADCRUMB_PART for part in parts)


def find_year(title: Optional[str], date: Optional[str], text: str) -> Optional[int]:
    return year_and_basis(title, date, text)[0]


def year_and_basis(title: Optional[str], date: Optional[str], text: str) -> tuple:
    """(the year a page covers, what said so: covered, title, opening, plan, date, body, last_year
    for a page early in a year on the year before, or year_end for a page on a stock to the end of
    the year before its publication), or (None, None)."""
    head = text[:1500]
    for pattern in document_cues()["covered_year"]:
        stated = pattern.search(head)
        if stated:
            return int(stated["y"]), "covered"
    # a headline's, not one in the sentences after a first line read as the title (2月7日,重庆市水利工作
    # 会议召开。会议强调,2025年要…)
    years = headline_years(title)
    if years:
        return years[0], "title"
    for pattern in document_cues()["opening_year"]:
        stated = pattern.search(head)
        if stated:
            return int(stated["y"]), "opening"
    plan_end = plan_reviewed(head)
    if plan_end is not None and (date is None or plan_end <= int(date[:4]) <= plan_end + 1):
        # “十三五”期间…圆满完成: the page reviews a five-year plan, up to its last year (a page
        # published before that year speaks of the plan ahead, one published later of a later year)
        return plan_end, "plan"
    # the years the page names, dates included (2025年1-10月, 2025年11月19日), but not a year a
    # target runs to or a change starts from (到2030年, 由2019年底)
    mentioned = Counter(int(match["y"]) for match in document_cues()["mentioned_year"].finditer(text))
    named = mentioned.most_common(2)
    most_named = named[0][0] if named and (len(named) == 1 or named[0][1] > named[1][1]) else None
    if date:
        published = int(date[:4])
        if int(date[5:7]) <= EARLY_MONTHS and _reviews_last_year(text, mentioned, published):
            # a page of January or February on last year's figures (召开2023年全省经济运行情况新闻发布会,
            # 去年，共检查单位23528家) covers last year
            return published - 1, "last_year"
        if _counted_to_last_year_end(text, mentioned, published):
            # 截至2020年底，全国…: a page of 2021 on a stock to the end of 2020 reports 2020 (and,
            # like a January page on last year, speaks from its publication: its 去年底 is 2020's end)
            return published - 1, "year_end"
        # a page published in 2016 that names 2014 three times covers 2014 (a later year it names is a plan)
        if most_named is not None and most_named < published and mentioned[most_named] >= 2:
            return most_named, "body"
        return published, "date"
    assessed = _only_assessed_year(text)
    if assessed is not None:
        # 在2022年度安全生产考核中位居全省前列, and no other year: the page reports the year after
        # the one assessed, when the results came out
        return assessed + 1, "body"
    years = Counter(int(y) for y in YEAR.findall(text))
    if years:
        year, count = years.most_common(1)[0]
        if count >= 3 and count >= 0.5 * sum(years.values()):
            return year, "body"
    # else the year the page names more often than any other: on the tuning sets' pages that
    # state no year otherwise, right 19 times and wrong 4 (no year before)
    if most_named is not None:
        return most_named, "body"
    return None, None


def headline_years(title: Optional[str]) -> list:
    """The years a title's headline names, but not one it names for a plan (2023年将开工…:
    documents.yaml planned_year)."""
    if not title:
        return []
    headline = SENTENCE_END.split(title, 1)[0]
    planned = {match.start("y") for match in document_cues()["planned_year"].finditer(headline)}
    return [int(match.group(1)) for match in YEAR.finditer(headline) if match.start(1) not in planned]


def _counted_to_last_year_end(text: str, mentioned: Counter, published: int) -> bool:
    """Whether a page counts to the end of the year before it was published (截至2020年底, 截至去年底:
    documents.yaml year_end), not naming the year it was published in nor speaking of 今年 or of a
    part of a year (上半年, 1-10月: documents.yaml part_of_year); a later year it names is a target's
    (2014—2017年规划)."""
    if mentioned[published] or THIS_YEAR in text or document_cues()["part_of_year"].search(text):
        return False
    for match in document_cues()["year_end"].finditer(text):
        if match["last"] or (match["y"] and int(match["y"]) == published - 1):
            return True
    return False


THIS_YEAR = "今年"


def _only_assessed_year(text: str) -> Optional[int]:
    """The latest year a page names as that of an annual assessment (2023年度考核排名全省第6名:
    documents.yaml assessed_year), if it names no year otherwise; else None."""
    cues = document_cues()
    spans = [m.span("y") for m in cues["assessed_year"].finditer(text)]
    if not spans:
        return None
    if any(match.span() not in spans for match in YEAR_ONLY.finditer(text)):
        return None
    return max(int(text[start:end]) for start, end in spans)


YEAR_ONLY = regex.compile(r"(?<!\d)(?:19|20)\d{2}(?=\s*年)")
SENTENCE_END = regex.compile(r"[。！？]")
EARLY_MONTHS = 2


def plan_reviewed(head: str) -> Optional[int]:
    """The last year of the five-year plan a page looks back on (“十四五”期间, “十三五”以来,
    “十四五”高质量发展答卷: documents.yaml plan_review and plan_end_years), or None."""
    cues = document_cues()
    found = cues["plan_review"].search(head)
    return cues["plan_end_years"].get(found["plan"]) if found else None


def _reviews_last_year(text: str, mentioned: Counter, published: int) -> bool:
    """Whether a page speaks of the year before it was published at least as often as of its own
    (去年 in review, not in a comparison 较去年同期, counts for the year before)."""
    before = mentioned[published - 1] + len(document_cues()["last_year"].findall(text))
    return before >= 1 and before >= mentioned[published]


def find_genre(title: Optional[str], text: str) -> str:
    head = text[:3000]
    for genre, title_rule, text_rule in document_cues()["genres"]:
        if title_rule is not None and title and title_rule.search(title):
            return genre
        if text_rule is not None and text_rule.search(head):
            return genre
    return "news"


def _place_chain(text: str, end: int) -> list[str]:
    """Division names written right before position end (赣州市赣县区 -> [赣州市, 赣县区])."""
    table = regions()
    chain = []
    while len(chain) < MAX_CHAIN:
        found = None
        for length in range(min(12, end), 1, -1):
            name = text[end - length:end]
            if name in table.by_name or name in table.short:
                found = name
                break
        if found is None:
            break
        chain.insert(0, found)
        end -= len(found)
    return chain


def find_bureau(text: str, title: Optional[str], year: Optional[int] = None):
    """(bureau name, division) of the reporting body, or (None, None); the year names a body
    inferred from a line of work by the name it had then."""
    table = regions()
    lines = [line for line in text.splitlines() if line.strip()]
    prominent = "\n".join(([title] if title else []) + lines[:3] + lines[-3:])
    scores: Counter = Counter()
    chains, first_written = {}, {}
    # 记者从黑龙江省应急管理厅获悉: the body a report says its news came from is the page's
    cited = [m.span("body") for m in document_cues()["news_source"].finditer(text)]
    sources = Counter()
    for source, weight in ((text, 1), (prominent, 2)):
        for match in document_cues()["bureau"].finditer(source):
            # 金湾区(经济技术开发区)市场监督管理局: the other name of the place, in brackets, is part of the body's
            aside = PLACE_ASIDE.search(source, max(0, match.start() - 16), match.start())
            aside = aside.group(0) if aside else ""
            chain = _place_chain(source, match.start() - len(aside))
            if not chain:
                continue
            if match.group(0).endswith(PROVINCIAL_SUFFIXES) and not any(
                    d.level == "province" for d in table.lookup(chain[-1])):
                continue  # a 厅 is a province's: 上城区 before 自治区生态环境厅 is no chain
            suffix = document_cues()["suffix_aliases"].get(match.group(0), match.group(0))
            name = "".join(chain) + aside + suffix  # named by the suffix's full form
            key = chain[-1] + suffix  # 赣县区应急管理局 and 赣州市赣县区应急管理局 are one body
            scores[key] += weight
            if source is text and any(start <= match.start() < end for start, end in cited):
                sources[key] += 1
            first_written.setdefault(key, match.start() if source is text else len(text))
            if key not in chains or len("".join(chains[key][0])) < len("".join(chain)):
                chains[key] = (chain, name)
    if not scores:
        # 连云港市生态环境系统: a place's line of work names its body, before one written without
        # its place (在省生态环境厅…的领导下)
        name, division = _body_of_a_places_field(text, year)
        if name is None:
            name, division = _bureau_without_place(text, title)
        if name is None:
            name, division = _publisher_from_title(text, title)
        return name, division
    # the body the news came from; then most mentions; then the name written first (a joint
    # report's lead body comes first)
    best = max(scores, key=lambda key: (sources[key], scores[key], -first_written[key], len(chains[key][1])))
    chain, name = chains[best]
    division = table.resolve(chain, text)
    if division is not None:
        # 宁夏生态环境厅: a province written short is named by its own name (宁夏回族自治区生态环境厅);
        # a city or county keeps the form the page gives it (乐清消防大队, as the annotators have it)
        places = [d for d in table.ancestors(division) + [division] if d.level == "province"]
        full = [next((d.name for d in places if written not in table.by_name
                      and table.suffixes.sub("", d.name) == written), written) for written in chain]
        name = "".join(full) + name[len("".join(chain)):]
    return name, division


# a place's other name in brackets right before a body's suffix: (经济技术开发区), （高新区）
PLACE_ASIDE = regex.compile(r"[(（][^()（）\n，。,]{2,12}[)）]$")
# the suffixes only a province-level body has (省水利厅, 自治区生态环境厅, 省消防救援总队)
PROVINCIAL_SUFFIXES = ("厅", "总队")
GENERIC_PLACE = {"市": ("prefecture", "county"), "县": ("county",), "区": ("county",), "州": ("prefecture",),
                 "省": ("province",)}


@lru_cache(maxsize=1)
def generic_body(text: str) -> Optional[tuple]:
    """(place word, suffix in its full form) of the body a page names most often without its place
    (记者从市交通运输局获悉: ("市", "交通运输局")), or None. Kept for the last text: find_bureau's
    fallback and read_metadata both ask it of a page that names no body with its place."""
    cues = document_cues()
    cited = [m.span("body") for m in cues["news_source"].finditer(text)]
    generic, standing = Counter(), Counter()
    head_end = _end_of_first_lines(text, PASSING_HEAD_LINES)
    for match in cues["bureau"].finditer(text):
        before = text[match.start() - 1:match.start()]
        if before not in GENERIC_PLACE and match.group(0).endswith(PROVINCIAL_SUFFIXES) and not HAN.match(before):
            # ，水利厅围绕…: a 厅 written with no place at all is the province's (only a province has one)
            before = "省"
        if before in GENERIC_PLACE:
            generic[(before, match.group(0))] += 1
            # the news came from it, or the page's first lines name it
            if match.start() < head_end or any(start <= match.start() < end for start, end in cited):
                standing[(before, match.group(0))] += 1
    # 依照市商务局的通知安排，我委…: a body of no line of work of its own (商务局, 安委办) named once in
    # passing is not the page's
    generic = Counter({key: count for key, count in generic.items()
                       if count > 1 or standing[key] or cues["suffix_aliases"].get(key[1], key[1]) in cues["body_kinds"]})
    if not generic:
        return None
    (place_kind, suffix), _ = generic.most_common(1)[0]
    return place_kind, cues["suffix_aliases"].get(suffix, suffix)  # 市应急局 -> 应急管理局


PASSING_HEAD_LINES = 3
HAN = regex.compile(r"\p{Han}")


def _end_of_first_lines(text: str, count: int) -> int:
    """The offset where a text's first `count` non-empty lines end."""
    seen = 0
    for match in regex.finditer(r"[^\n]*\S[^\n]*", text):
        seen += 1
        if seen == count:
            return match.end()
    return len(text)


def _bureau_without_place(text: str, title: Optional[str]):
    """记者从市交通运输局获悉: 市 + suffix, with the place the text names most often at that level."""
    named_generic = generic_body(text)
    if named_generic is None:
        return None, None
    place_kind, suffix = named_generic
    division = _place_of_kind(text, title, _place_kind_of(place_kind, suffix))
    return (division.name + suffix, division) if division is not None else (None, None)


def _place_of_kind(text: str, title: Optional[str], place_kind: str, firm: bool = False):
    """The division of a kind (市, 县, 区, 省) a page is about: the one of that kind it names most
    often, else the one of that kind that holds most of the places it names; or None. firm: a
    place named once by its short form is not enough (顺利通过 holds 利通)."""
    table = regions()
    named = Counter(table.find_names(((title or "") + "\n") * 2 + text))
    if firm:
        named = Counter({name: count for name, count in named.items() if count >= 2 or name in table.by_name})
    # the place of that kind named most often; of two named as often, the one that holds more of
    # the places named (耒阳市 twice, 衡阳 twice with 衡阳县, 祁东县 and 南岳区: 衡阳市)
    of_kind = {}
    for name, count in named.items():
        divisions = [d for d in table.lookup(name) if _of_place_kind(d, place_kind)]
        if len(divisions) == 1:
            of_kind[divisions[0]] = max(of_kind.get(divisions[0], 0), count)
    if of_kind:
        held = Counter()
        for name, count in named.items():
            division = table.resolve([name], context_names=list(named))
            for holder in (table.ancestors(division) + [division]) if division is not None else []:
                held[holder] += count
        # then the higher level: a city's page names a county-level city in passing as often as its own
        return max(of_kind, key=lambda d: (of_kind[d], held[d], -LEVELS_DOWN[d.level]))
    # 从省应急管理厅获悉 … 迪庆、怒江、德宏: the province (or city) that holds most of the places named
    above = Counter()
    for name, count in named.items():
        division = table.resolve([name], context_names=list(named))
        if division is None:
            continue
        holder = next((d for d in table.ancestors(division) + [division] if _of_place_kind(d, place_kind)), None)
        if holder is not None:
            above[holder] += count
    ranked = above.most_common(2)
    if ranked and ranked[0][1] >= 2 and ranked[0][1] * 2 > sum(above.values()):
        return ranked[0][0]
    return None


def _body_of_a_places_field(text: str, year: Optional[int]):
    """(body, division) of the line of work a page names with its place (眉山市生态环境系统 ->
    眉山市生态环境局: documents.yaml subjects' fields and field_endings), the one named most often;
    (None, None) if none is."""
    table = regions()
    named, divisions = Counter(), {}
    for kind, (_bodies, _former, field_pattern, _words) in document_cues()["subjects"].items():
        if field_pattern is None:
            continue
        for match in field_pattern.finditer(text):
            chain = _place_chain(text, match.start())
            if not chain:
                continue
            division = table.resolve(chain, text)
            if division is not None:
                named[(kind, division)] += 1
    if not named:
        return None, None
    (kind, division), _ = named.most_common(1)[0]
    name = subject_bureau(kind, division, year)
    return (name, division) if name else (None, None)


def _place_kind_of(place_word: str, suffix: str) -> str:
    """The kind of place a body written without its place belongs to: its place word, but a 厅's is
    a province (自治区水利厅 is a province's; 区 alone would be a county's)."""
    return "省" if suffix.endswith(PROVINCIAL_SUFFIXES) else place_word


def _of_place_kind(division, place_kind: str) -> bool:
    """Whether a division is of the kind a generic place word names (市: a city, 县: a county; 省 also
    an autonomous region: 广西壮族自治区)."""
    # 重庆市 is a province whose bodies are a city's: 市应急局 on a page about 重庆 is 重庆市应急管理局
    level = division.body_level if place_kind == "市" else division.level
    return level in GENERIC_PLACE[place_kind] and (division.name.endswith(place_kind) or place_kind == "省")


def _publisher_from_title(text: str, title: Optional[str]):
    """A page that names no body but whose kind has one publisher (XX县国民经济和社会发展统计公报
    is the county statistics bureau's): that publisher of the place its title (or heading) names."""
    heads = [title or ""] + [line.strip() for line in text.splitlines()[:3]]
    for head in heads:
        for pattern, suffix in document_cues()["publishers"]:
            if not pattern.search(head):
                continue
            division = _division_named(head, text)
            if division is not None:
                return division.name + suffix, division
    return None, None


def _division_named(head: str, context: str):
    """The most specific division a heading names (抚州市金溪县 -> 金溪县), settled by its context."""
    table = regions()
    names = table.find_names(head)
    if not names:
        return None
    # places on one line of descent: the deepest (2023年延津县国民经济…公报 … 视察河南: 延津县, not
    # 河南省); else the last name, settled by those before it
    found = [table.resolve(names[:index + 1], context) for index in range(len(names))]
    found = [division for division in found if division is not None]
    deepest = max(found, key=lambda division: len(table.ancestors(division)), default=None)
    if deepest is not None and all(division in table.ancestors(deepest) + [deepest] for division in found):
        return deepest
    return table.resolve(names, context)


# how much of a page its subject is read from: its opening says what it is about, and a bound keeps
# the count linear in a page of any length
SUBJECT_HEAD = 20_000
SUBJECT_WORD_CAP = 5  # one word said fifty times is one subject, not fifty votes
FIELD_WEIGHT = 3  # 眉山市生态环境系统, 我省林业部门: the page says whose work it reports
TITLE_WEIGHT = 3
SUBJECT_MIN_VOTES = 4


def find_subject(text: str, title: Optional[str]) -> Optional[str]:
    """The kind of bureau whose work a page reports (lexicons/documents.yaml subjects): the kind
    whose field names (XX系统, XX部门) and subject words the page uses most, if it has at least
    SUBJECT_MIN_VOTES of them and twice the runner-up's; else None."""
    head = text[:SUBJECT_HEAD]
    votes = Counter()
    for kind, (_bodies, _former, field_pattern, words) in document_cues()["subjects"].items():
        for source, weight in ((head, 1), (title or "", TITLE_WEIGHT)):
            if field_pattern is not None:
                votes[kind] += FIELD_WEIGHT * weight * len(field_pattern.findall(source))
            votes[kind] += weight * sum(min(source.count(word), SUBJECT_WORD_CAP) for word in words)
    ranked = votes.most_common(2) + [(None, 0)]
    (kind, best), (_, second) = ranked[0], ranked[1]
    if kind is None or best < SUBJECT_MIN_VOTES or best < 2 * second:
        return None
    return kind


LEVEL_INDEX = {"county": 0, "prefecture": 1, "province": 2}


def generic_body_kind(text: str) -> Optional[str]:
    """The subject whose body a page names without its place (区市场监管局 -> market), or None."""
    named = generic_body(text)
    return document_cues()["body_kinds"].get(named[1]) if named else None


def subject_bureau(subject: Optional[str], division, year: Optional[int]) -> Optional[str]:
    """The bureau of a page that names none: the body of its subject's kind at its region's level,
    by the name it had in the page's year (丹寨县 + statistics -> 丹寨县统计局; 贵州省 + forestry in
    2014 -> 贵州省林业厅)."""
    entry = document_cues()["subjects"].get(subject) if subject else None
    if entry is None or division is None:
        return None
    bodies, former, _field, _words = entry
    if former is not None and year is not None and year <= former[0]:
        bodies = former[1]
    return division.name + bodies[LEVEL_INDEX[division.body_level]]


def national_body(text: str) -> Optional[str]:
    """A national body the page names (市场监管总局 -> 国家市场监督管理总局), if it names one and
    speaks of the whole country (documents.yaml national_scope); the most often named wins. A name
    inside a longer word is no mention (财政部门 is not 财政部)."""
    cues = document_cues()
    if not any(word in text for word in cues["national_scope"]):
        return None
    named = Counter(cues["national_bodies"][m.group(0)] for m in cues["national_body_names"].finditer(text))
    return named.most_common(1)[0][0] if named else None


def dominant_division(text: str, title: Optional[str]):
    """The division a page is about when it names no body: the one its title names, else the one
    its text names most, if it dominates (at least 3 mentions and half of all)."""
    table = regions()
    if title:
        division = _division_named(title, text)
        if division is not None:
            return division
    names = table.find_names(text)
    if not names:
        return None
    # 河南省 and 河南 are one place; and the places inside a division speak of it too (a city's page
    # names its districts): each division is backed by its own mentions and those of the places
    # it holds. A division backed by at least 3 and half of all mentions is the page's, or the most
    # specific place inside it that is backed by more than half (德阳 twice and 四川 once: 德阳)
    backing = Counter()
    for name, count in Counter(names).items():
        division = table.resolve([name], context_names=names)
        if division is not None:
            for holder in table.ancestors(division) + [division]:
                backing[holder] += count
    total = len(names)

    def held(division) -> bool:
        return backing[division] * 2 > total or (backing[division] >= DOMINANT_MIN and backing[division] * 2 >= total)

    found = [d for d in backing if held(d) and max(backing[a] for a in table.ancestors(d) + [d]) >= DOMINANT_MIN]
    if not found:
        return None
    return max(found, key=lambda d: (LEVELS_DOWN[d.level], backing[d]))


DOMINANT_MIN = 3


def without_event_places(text: str) -> str:
    """The text with the place names that name an event blanked (杭州亚运会, 成都大运会: documents.yaml
    event_words): an event held elsewhere says nothing of the page's place. Same length."""
    events = document_cues()["event_words"]
    blanked = None
    for match in events.finditer(text):
        chain = _place_chain(text, match.start())
        if chain:
            start = match.start() - len("".join(chain))
            blanked = blanked if blanked is not None else list(text)
            blanked[start:match.start()] = BLANK * (match.start() - start)
    return "".join(blanked) if blanked is not None else text


BLANK = "\u3000"


def own_place_division(text: str, title: Optional[str]):
    """The division a page speaks of as its own (全市, 我市: documents.yaml own_place_words), where
    it names that place too few times to dominate (全市地区生产总值… 建设“四个辽阳”: 辽阳市): the
    kind of place it speaks of most, then that place as the text names it (_place_of_kind); None if
    the page speaks of no place of its own, or of two kinds as often."""
    kind = own_place_kind(text)
    return _place_of_kind(text, title, kind, firm=True) if kind else None


def _is_own_kind_of_body(name: str, text: str) -> bool:
    """Whether a body's name ends as the page speaks of its own body (我委: a 委员会; 我局: a 局:
    documents.yaml own_body_words), or the page speaks of none, or of two kinds."""
    words = document_cues()["own_body_words"]
    spoken = Counter({ending: sum(text.count(word) for word in kind_words) for ending, kind_words in words.items()})
    ranked = spoken.most_common(2) + [(None, 0)]
    (ending, count), (_, second) = ranked[0], ranked[1]
    if ending is None or count == 0 or count == second:
        return True
    return name.endswith(OWN_BODY_ENDINGS.get(ending, (ending,)))


# what a body's name ends with when a page calls it 我委 (卫生健康委员会, 卫健委)
OWN_BODY_ENDINGS = {"委": ("委员会", "委")}


def region_as_written(division, text: str) -> str:
    """A division's full name, its own part as the page writes it where the page uses its former
    name (澄江县 on a page of 2015, 澄江市 since 2019): the region the page reported from then."""
    table = regions()
    full = table.full_name(division)
    if division.level != "county" or division.name in text:
        return full
    short = table.suffixes.sub("", division.name)
    for suffix in FORMER_SUFFIXES:
        former = short + suffix
        if former != division.name and former not in table.by_name and former in text:
            return full[:-len(division.name)] + former
    return full


# what a county-level division was called before it became a city or a district (县 -> 市, 县 -> 区)
FORMER_SUFFIXES = ("县", "市")


def page_scope(text: str) -> Optional[str]:
    """The kind of place (市, 县, 区, 省) a page speaks of as its own (全市: own_place_kind), or that
    of the body it names without its place (市应急管理局); None if neither."""
    named_generic = generic_body(text)
    return own_place_kind(text) or (_place_kind_of(*named_generic) if named_generic else None)


def own_place_kind(text: str) -> Optional[str]:
    """The kind of place (市, 县, 区, 省) a page speaks of as its own (全市, 我县: documents.yaml
    own_place_words) at least OWN_PLACE_MIN times and more than of any other kind; else None."""
    words = document_cues()["own_place_words"]
    spoken = Counter({kind: sum(text.count(word) for word in kind_words) for kind, kind_words in words.items()})
    ranked = spoken.most_common(2) + [(None, 0)]
    (kind, count), (_, second) = ranked[0], ranked[1]
    return kind if kind is not None and count >= OWN_PLACE_MIN and count > second else None


def _title_names_as_its_own(title: Optional[str], division, text: str) -> bool:
    """Whether a title names a division as the page's (邕宁区春运工作总结), not in passing after
    words for a place of its own (我市推进示范村建设。图为邕宁区…): such a place stays the page's
    whatever the page calls its own."""
    if not title or _division_named(title, text) != division:
        return False
    return not any(word in title for words in document_cues()["own_place_words"].values() for word in words)


def own_place_above(division, text: str):
    """A division named in a page that speaks of a larger place as its own (我市 … 邕宁区蒲庙镇):
    the division above it of the kind the page speaks of (南宁市); the division itself otherwise."""
    kind = own_place_kind(text)
    if kind is None or _of_place_kind(division, kind):
        return division
    return next((d for d in reversed(regions().ancestors(division)) if _of_place_kind(d, kind)), division)


OWN_PLACE_MIN = 2
LEVELS_DOWN = {"province": 0, "prefecture": 1, "county": 2}


def read_metadata(normalized, lexicons=None) -> dict:
    text = normalized.text
    title = find_title(text, normalized.html_title)
    date = find_date(PINYIN_NOISE.sub("", normalized.flat_text))  # 2024年1月(yuè)8日
    year, year_basis = year_and_basis(title, date, text)
    placed = without_event_places(text)  # 杭州亚运会 on a page of 绍兴: no mention of 杭州
    placed_title = without_event_places(title) if title else title
    bureau, division = find_bureau(placed, placed_title, year)
    if bureau is not None and not _is_own_kind_of_body(bureau, text):
        # 我委 on a page whose only body named is 市商务局 (a notice it followed): not the page's body;
        # its place stays, and the body is inferred from the page's subject
        bureau = None
    if division is None:
        division = dominant_division(placed, placed_title)  # the region of a page that names no body
        if division is not None and not _title_names_as_its_own(placed_title, division, text):
            division = own_place_above(division, text)
    if division is None:
        division = own_place_division(placed, placed_title)
    subject = find_subject(text, title)
    named_generic = generic_body(text) if bureau is None else None
    if named_generic:
        # 记者从市交通运输局获悉 with no place: the page is that body's, whatever words it uses most
        subject = generic_body_kind(text) or subject
    inferred = None
    if bureau is None and not (named_generic and division is not None
                               and not _of_place_kind(division, _place_kind_of(*named_generic))):
        # (a 省 body's page about a city it names is not that city's)
        inferred = subject_bureau(subject, division, year)
        if inferred is None and division is None:
            inferred = national_body(text)
    table = regions()
    meta = {"title": title, "date": date, "year": year, "genre": find_genre(title, text), "bureau": bureau or inferred,
            "region": region_as_written(division, text) if division else None,
            "region_code": division.code if division else None, "subject": subject, "scope": page_scope(placed)}
    if inferred and division is None:
        meta["region"] = NATIONAL_REGION
    meta["provenance"] = text_provenance(meta)
    if inferred and division is not None:
        meta["provenance"]["bureau"] = "subject"  # not named by the page: the kind of work it reports
    if year_basis == "date":
        meta["provenance"]["year"] = "date"  # the year it was published, not one the page states
    if year_basis in ("last_year", "year_end"):
        # the page speaks from its publication: its 去年 is the year it covers, its 今年 the next
        # (the figures' periods are read from the year it was published in, not the year it covers)
        meta[SPEAKING_YEAR] = int(date[:4])
    return meta


# a key of read_metadata's answer that is no field of a Document: the year a page's own 今年 and 去年
# are counted from, where it is not the year the page covers
SPEAKING_YEAR = "_speaking_year"


NATIONAL_REGION = "全国"


# ---- a user's manifest: what the text does not say, or says wrong ---------------------------
MANIFEST_FIELDS = ("path", "bureau", "region", "year", "date", "url", "title")
# dates in page addresses: /202303/t20230321_78642252.html, /2021/0412/337.html, /2021-02/05/, /2018-10-16/,
# and path segments without padding, /art/2023/1/17/
URL_DATE = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?:[-/_]?)(?P<m>0[1-9]|1[0-2])(?:[-/_]?)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
                         r"|/(?P<y>(?:19|20)\d{2})/(?P<m>1[0-2]|[1-9])/(?P<d>3[01]|[12]\d|[1-9])/"
                         # a year's folder, then one whose name ends with the month and day: /2021/news_0705/
                         r"|/(?P<y>(?:19|20)\d{2})/[A-Za-z]+_(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])/")
# a year or a year and month as a folder of the address (/202011/, /2023/, /2010_6_24_x): the year,
# where nothing gives the day
URL_YEAR = regex.compile(r"/(?P<y>(?:19|20)\d{2})(?:0[1-9]|1[0-2])?(?=[/_])")
GOVERNMENT_HOST = ".gov.cn"


class ManifestError(ValueError):
    """A manifest that cannot be used as it is: the message names the file and line."""


def load_manifest(path, input_files) -> dict:
    """Rows of a manifest CSV (path, then any of bureau, region, year, date, url, title), keyed by the
    resolved path of the input file each names. Paths are relative to the manifest's folder or
    absolute. Every row must name one of the input files; nothing is dropped silently."""
    import csv
    from pathlib import Path

    manifest_path = Path(path)
    known = {str(Path(f).resolve()): str(f) for f in input_files}
    rows = {}
    try:
        handle = open(manifest_path, encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ManifestError(f"{manifest_path}: cannot read the manifest ({exc.strerror or exc})")
    with handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        unknown = [name for name in header if name not in MANIFEST_FIELDS]
        if "path" not in header or unknown:
            raise ManifestError(f"{manifest_path}:1: the header must have a path column and only "
                                f"{', '.join(MANIFEST_FIELDS)}" + (f" (unknown: {', '.join(unknown)})" if unknown else ""))
        for row in reader:
            line = reader.line_num
            if None in row or any(value is None for value in row.values()):
                raise ManifestError(f"{manifest_path}:{line}: {len(header)} columns expected")
            named = (row.get("path") or "").strip()
            if not named:
                raise ManifestError(f"{manifest_path}:{line}: no path")
            target = Path(named) if Path(named).is_absolute() else manifest_path.parent / named
            resolved = str(target.resolve())
            if resolved not in known:
                raise ManifestError(f"{manifest_path}:{line}: {named} names no file among the inputs")
            year = (row.get("year") or "").strip()
            if year and not regex.fullmatch(r"(?:19|20)\d{2}", year):
                raise ManifestError(f"{manifest_path}:{line}: year {year!r} is not a year")
            date = (row.get("date") or "").strip()
            if date and not regex.fullmatch(r"(?:19|20)\d{2}-\d{2}-\d{2}", date):
                raise ManifestError(f"{manifest_path}:{line}: date {date!r} is not YYYY-MM-DD")
            if resolved in rows:
                raise ManifestError(f"{manifest_path}:{line}: {named} is already on line {rows[resolved]['line']}")
            rows[resolved] = {**{k: (v or "").strip() for k, v in row.items()}, "line": line}
    return rows


def apply_manifest(document: dict, manifest: dict) -> dict:
    """A document (JSON form) with its manifest row's fields over what the text said; the
    provenance of every field names its source. A URL gives the date (and year) where the text
    has none; a title the body, region and year it names, where the text has none."""
    from pathlib import Path

    provenance = dict(document.get("provenance") or {})
    row = manifest.get(str(Path(document.get("path") or "").resolve())) if document.get("path") else None
    if not row:
        return document
    document = dict(document)
    if provenance.get("bureau") == "subject":
        # a body guessed from the page's subject gives way to one the title, the address or the
        # manifest names, and is guessed again once the region is settled
        document["bureau"] = None
        del provenance["bureau"]
    if row.get("title"):
        # the page's title as a crawler recorded it: the title, and the body, region and year it
        # names where the text named none (黑龙江省今年前九个月安全生产形势稳定)
        title = row["title"]
        document["title"] = title
        if not document.get("bureau"):
            name, division = find_bureau(title, title)
            if name:
                document["bureau"], provenance["bureau"] = name, "title"
                if division is not None and not document.get("region"):
                    _set_region(document, provenance, division, "title")
        if not document.get("region"):
            division = _division_named(title, title)
            if division is not None:
                _set_region(document, provenance, division, "title")
        years = headline_years(title)
        # a year the title names outranks one read from the publication date (a January page on
        # last year's figures)
        if years and (not document.get("year") or provenance.get("year") == "date"):
            document["year"], provenance["year"] = years[0], "title"
    # after the title: the year a title names is the year its figures describe, not the year of
    # the address
    if row.get("url"):
        document["url"] = row["url"]
        _read_host(document, provenance, row["url"])
        found = URL_DATE.search(row["url"])
        if found and not document.get("date"):
            document["date"] = f"{int(found['y']):04d}-{int(found['m']):02d}-{int(found['d']):02d}"
            provenance["date"] = "url"
            if not document.get("year"):
                document["year"] = int(found["y"])
                provenance["year"] = "url"
        folder_year = URL_YEAR.search(_url_path(row["url"]))
        if folder_year and not document.get("year"):
            document["year"], provenance["year"] = int(folder_year["y"]), "url"
    if row.get("region"):
        division = regions().resolve([row["region"]], row.get("bureau") or "")
        document["region"] = regions().full_name(division) if division else row["region"]
        document["region_code"] = division.code if division else None
        provenance["region"] = "manifest"
    if row.get("bureau"):
        document["bureau"] = row["bureau"]
        provenance["bureau"] = "manifest"
        if not row.get("region"):
            name, division = find_bureau(row["bureau"], None)
            if division is not None:
                _set_region(document, provenance, division, "manifest")
    for field in ("year", "date"):
        if row.get(field):
            document[field] = int(row[field]) if field == "year" else row[field]
            provenance[field] = "manifest"
    if not document.get("bureau") and document.get("region_code") in regions().by_code:
        # the region is known only now (from the title or the address): the body of the kind of
        # work the page reports
        inferred = subject_bureau(document.get("subject"), regions().by_code[document["region_code"]],
                                  document.get("year"))
        if inferred:
            document["bureau"], provenance["bureau"] = inferred, "subject"
    document["provenance"] = provenance
    return document


def _url_path(url: str) -> str:
    """The path of an address (its host may hold digits of a year: 2023.example.cn)."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(url.strip()).path
    except ValueError:
        return ""


def _set_region(document: dict, provenance: dict, division, source: str) -> None:
    """A document's region and its code from a division, with where it came from."""
    document["region"], document["region_code"] = regions().full_name(division), division.code
    provenance["region"] = source


def host_reading(url: str, context: str = "", own_kind: Optional[str] = None) -> tuple:
    """(bureau name or None, division or None) that a government site's host name spells:
    yjj.xuancheng.gov.cn -> (宣城市应急管理局, 宣城市), mianchi.gov.cn -> (None, 渑池县). Only
    .gov.cn hosts are read: elsewhere a host name is a company's or a portal's. Labels that are
    not a body's abbreviation (lexicons/documents.yaml host_bureaus) are read as places
    (Regions.spelled_by, the context settling ambiguous initials); places of several labels must
    nest (zrzy.jiangsu), the innermost is the page's. own_kind: the kind of place the page speaks
    of as its own (own_place_kind), settling a label that spells several (sx on a page of 全市:
    绍兴市, not 山西 or 陕西; wuhua on a page of 全县: 五华县, not 五华区)."""
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None, None
    if not host.endswith(GOVERNMENT_HOST):
        return None, None
    bodies, table = document_cues()["host_bureaus"], regions()
    body, places = None, []
    labels = host[:-len(GOVERNMENT_HOST)].split(".")
    for position, label in enumerate(labels):
        if label in bodies:
            body = bodies[label]
            continue
        division = table.spelled_by(label, context) if len(label) >= 2 else None
        if division is None and position == len(labels) - 1 and len(label) >= 2:
            # a province's or a city's own domain is often its initials (gd.gov.cn, jyg.gov.cn):
            # read when no other province or city has the same (hn: 湖南, 河南 and 海南 have)
            division = table.above_county_by_initials(label)
        if division is None and own_kind and len(label) >= 2:
            of_kind = [d for d in table.spelled_candidates(label) if _of_place_kind(d, own_kind)]
            division = of_kind[0] if len(of_kind) == 1 else None
        if division is not None:
            places.append(division)
    places.sort(key=lambda d: len(table.ancestors(d)))
    if not places or any(outer not in table.ancestors(inner) + [inner] for outer, inner in zip(places, places[1:])):
        return None, None
    division = places[-1]
    if body is None:
        return None, division
    return division.name + (body[1] if division.body_level == "province" else body[0]), division


def address_place(url: str, context: str = "") -> Optional[object]:
    """The division the words of any page address spell in full pinyin, in its host or its path
    (lincang.yunnan.cn, 71584.cn/yuanling/c108871/): a news portal's channel of a place. Only whole
    words of ADDRESS_WORD_MIN letters or more; places found must nest (yunnan then lincang), the
    innermost is the page's; None if they do not or none is found."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    table = regions()
    words = regex.findall(r"[A-Za-z]+", (parts.hostname or "").lower()) + regex.findall(r"[A-Za-z]+", parts.path.lower())
    places = []
    for word in words:
        if len(word) >= ADDRESS_WORD_MIN and word not in document_cues()["address_words"]:
            division = table.spelled_in_full(word, context)
            if division is not None and division not in places:
                places.append(division)
    places.sort(key=lambda d: len(table.ancestors(d)))
    if not places or any(outer not in table.ancestors(inner) + [inner] for outer, inner in zip(places, places[1:])):
        return None
    return places[-1]


ADDRESS_WORD_MIN = 5  # shorter words spell too many things besides places (xian, anqi)


def _read_host(document: dict, provenance: dict, url: str) -> None:
    """The bureau and region a government host name spells, where the text named none."""
    if document.get("bureau") and document.get("region"):
        return
    # what the page names settles initials (ms: 眉山 on a page about 眉山)
    context = "\n".join([document.get("title") or "", document.get("bureau") or ""]
                        + [metric.get("context") or metric.get("text") or "" for metric in document.get("metrics") or []])
    bureau, division = host_reading(url, context, document.get("scope") or page_scope(context))
    if division is None:
        division = address_place(url, context)
    if division is not None and not document.get("region"):
        _set_region(document, provenance, division, "url")
    if bureau is not None and not document.get("bureau"):
        document["bureau"], provenance["bureau"] = bureau, "url"


def text_provenance(meta: dict) -> dict:
    """Where each field read from the page came from: its title, or its text."""
    title = meta.get("title") or ""
    provenance = {}
    for field in ("bureau", "region", "year", "date"):
        value = meta.get(field)
        if value in (None, ""):
            continue
        shown = str(value)
        if field == "region":
            shown = shown[-3:]
        provenance[field] = "title" if shown and shown in title else "text"
    return provenance
