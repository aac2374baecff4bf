"""Hostile document shapes (issue #21): inputs built to find superlinear passes. Shared by
tests/test_hostile.py (bounded work) and benchmarks/bench_hostile.py (time against jieba.lcut).

Each builder takes a size in characters and returns (text, is_html); the same size and seed give
the same text. The shapes are what reports and scraped pages really hold, pushed to the extreme:
long runs of digits or numeral characters, tables, clauses without punctuation, pinyin or Latin
noise, lists of thousands of items, rows of percentages and deeply nested or broken HTML."""
from __future__ import annotations

import random

HAN = "检查企业发现隐患整改落实安全生产监管执法处罚金额事故死亡受伤人员培训演练宣传活动排查治理"
NUMERAL_CHARS = "零一二三四五六七八九十百千万亿两"
UNITS = ("家", "人", "项", "起", "次", "元", "万元", "个", "处", "%")


def _fill(pieces, size: int) -> str:
    """Join pieces drawn from a generator until the text reaches size characters."""
    out, length = [], 0
    for piece in pieces:
        out.append(piece)
        length += len(piece)
        if length >= size:
            break
    return "".join(out)[:size]


def _forever(make):
    while True:
        yield make()


def digit_run(size, rng):
    return "".join(rng.choice("0123456789") for _ in range(size)), False


def digit_groups(size, rng):
    # thousands groups, wrong groups, dotted dates and spaced digits, with no words between
    return _fill(_forever(lambda: str(rng.randint(0, 9999)) + rng.choice([",", ",", ".", " ", "，"])), size), False


def numeral_run(size, rng):
    return "".join(rng.choice(NUMERAL_CHARS) for _ in range(size)), False


def numeral_units(size, rng):
    # runs of 1-40 numeral characters, each closed by a unit: every position of a run is a start
    return _fill(_forever(lambda: "".join(rng.choice(NUMERAL_CHARS) for _ in range(rng.randint(1, 40)))
                          + rng.choice(UNITS)), size), False


def pipe_table(size, rng):
    header = "| 单位 | 检查企业数 | 发现隐患数（项） | 整改率 | 罚款金额(万元) |\n"
    rows = _forever(lambda: "| " + " | ".join([rng.choice(HAN) + rng.choice(HAN) + "县", f"{rng.randint(1, 999)}家",
                                               str(rng.randint(1, 9999)), f"{rng.randint(50, 100)}%",
                                               f"{rng.randint(1, 999)}.{rng.randint(0, 9)}"]) + " |\n")
    return header + _fill(rows, size - len(header)), False


def tab_table(size, rng):
    # an HTML table as normalize leaves it: a row per line, cells after tabs, bare numbers in cells
    header = "\t单位\t检查企业数\t发现隐患数（项）\t罚款金额(万元)\n"
    rows = _forever(lambda: "\t" + rng.choice(HAN) + rng.choice(HAN) + "县\t" + "\t".join(
        str(rng.randint(1, 9999)) for _ in range(3)) + "\n")
    return header + _fill(rows, size - len(header)), False


def no_punctuation(size, rng):
    # one clause the length of the document: figures between words, no comma or full stop
    return _fill(_forever(lambda: rng.choice(HAN) + rng.choice(HAN) + (
        f"{rng.randint(1, 999)}{rng.choice(UNITS)}" if rng.random() < 0.3 else "")), size), False


def latin_noise(size, rng):
    # pinyin brackets that never close, Latin words, identifiers: what PDF and web scrapes leave
    return _fill(_forever(lambda: rng.choice(["区(", "（", "qu", "aeiou" * rng.randint(1, 20), "ICP",
                                              "xyz ", "H7N9", "应(yīng", "http://a.b/", "www.", ")"])), size), False


def long_list(size, rng):
    # one sentence listing figures (a statistical annex pasted as prose): 3,000 items at 24,000 characters
    items = "、".join(f"{rng.choice(HAN)}{rng.choice(HAN)}企业{rng.randint(1, 999)}家" for _ in range(max(1, size // 8)))
    return "全县共检查" + items + "。", False


def percent_run(size, rng):
    return _fill(_forever(lambda: rng.choice(["12%", "%", "3.5%", "百分之", "%%", "同比下降", "、", "8.9个百分点"])), size), False


def deep_html(size, rng):
    # nesting as deep as the size allows, unclosed tags, an attribute soup and a script that never
    # ends inside a comment that never ends
    depth = size // 40
    opening = "".join(rng.choice(["<div class=\"a\">", "<span>", "<p>", "<li>", "<td>", "<font color=red>"])
                      for _ in range(depth))
    body = "检查企业128家，发现隐患56项。"
    return ("<html><body>" + opening + body + "</div>" * (depth // 2) + "<p>整改率98%" + "<b>" * depth
            + "<!-- <script>var a = 1;"), True


SHAPES = {
    "digit_run": digit_run,
    "digit_groups": digit_groups,
    "numeral_run": numeral_run,
    "numeral_units": numeral_units,
    "pipe_table": pipe_table,
    "tab_table": tab_table,
    "no_punctuation": no_punctuation,
    "latin_noise": latin_noise,
    "long_list": long_list,
    "percent_run": percent_run,
    "deep_html": deep_html,
}


def build(name: str, size: int, seed: int = 21) -> tuple[str, bool]:
    return SHAPES[name](size, random.Random(seed))
