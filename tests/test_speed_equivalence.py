"""The speed work's indexes and caches give the answers of what they replaced (no timings here:
speed is benchmarks/bench_hostile.py --check)."""
import random
from pathlib import Path

import regex

from reportmine.decode import decode_bytes

ROOT = Path(__file__).resolve().parents[1]


def corpus_texts(count=12):
    paths = sorted((ROOT / "corpus" / "docs").glob("*.txt"))[:count]
    return [decode_bytes(path.read_bytes()).text for path in paths]


def test_division_names_are_found_as_the_alternation_of_all_names_finds_them():
    from reportmine.regions import regions

    table = regions()
    names = sorted(set(table.by_name) | set(table.short), key=len, reverse=True)
    alternation = regex.compile("|".join(map(regex.escape, names)))
    rng = random.Random(5)
    pool = names[:400] + names[-400:] + list("的是在了市县区省，。a1")
    texts = corpus_texts() + ["".join(rng.choice(pool) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    for text in texts:
        assert table.find_names(text) == alternation.findall(text)


def test_status_breaks_and_headings_by_bisection_equal_the_scans():
    from reportmine.status import CLAUSE_BREAK, SENTENCE_BREAK, TextBreaks, _heading_above, _last_break

    rng = random.Random(3)
    pieces = ["一、总体情况\n", "（二）安全生产\n", "二、2024年工作计划\n", "\n", "检查企业12家，", "。", "a" * 50, "三、"]
    texts = corpus_texts(6) + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 300))) for _ in range(40)]
    for text in texts:
        breaks = TextBreaks(text)
        for position in range(0, len(text) + 1, max(1, len(text) // 400)):
            assert breaks.last_break(breaks.clause_breaks, position) == _last_break(CLAUSE_BREAK, text, position)
            assert breaks.last_break(breaks.sentence_breaks, position) == _last_break(SENTENCE_BREAK, text, position)
            assert breaks.heading_above(position) == _heading_above(text, position)


def test_numbered_headings_by_bisection_equal_the_scan():
    from reportmine.indicators import NumberedHeadings, sentence_topic

    rng = random.Random(4)
    pieces = ["(一) 公路客货运输生产\n", "二、农业\n", "检查企业12家。", "\n", "x" * 40, "（三）消防 工作\n"]
    texts = corpus_texts(6) + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 300))) for _ in range(40)]
    for text in texts:
        headings = NumberedHeadings(text)
        for position in range(0, len(text) + 1, max(1, len(text) // 400)):
            start = max(0, position - rng.randint(0, 40))
            assert sentence_topic(text, start, position, headings) == sentence_topic(text, start, position)


def test_distance_buckets_by_table_equal_the_bisection():
    from reportmine.tagger import distance_bucket, distance_buckets

    rng = random.Random(1)
    for _ in range(3000):
        start = rng.randint(0, 400)
        end = start + rng.randint(1, 20)
        w_start, w_end = rng.randint(max(0, start - 300), start), rng.randint(end, end + 300)
        assert distance_buckets(w_start, w_end, start, end) == [distance_bucket(p, start, end) for p in range(w_start, w_end)]


def test_cached_lexicon_data_and_segmenter_equal_a_fresh_build(tmp_path, monkeypatch):
    from reportmine.lexicon_files import _parse_yaml, load_yaml, shipped_lexicon_dir
    from reportmine.segment import Segmenter

    monkeypatch.setenv("REPORTMINE_CACHE_DIR", str(tmp_path))
    for path in sorted(shipped_lexicon_dir().glob("*.yaml")):
        fresh = _parse_yaml(path, path.read_text(encoding="utf-8"))
        assert load_yaml(path) == fresh  # parsed, then stored
        assert load_yaml(path) == fresh  # from the cache
    assert len(list(tmp_path.glob("yaml-*.marshal"))) >= 5
    domain = shipped_lexicon_dir() / "domain_dict.txt"
    built, restored = Segmenter(domain), Segmenter(domain)  # the first builds and stores, the second reads
    assert list(tmp_path.glob("jieba-*.marshal"))
    assert restored.tokenizer.FREQ == built.tokenizer.FREQ and restored.tokenizer.total == built.tokenizer.total
    assert restored.tags == built.tags and restored.tokenizer.user_word_tag_tab == built.tokenizer.user_word_tag_tab
    text = "县应急管理局检查企业128家次，共出动执法人员300余人次"
    assert restored.tag(text) == built.tag(text)
    monkeypatch.setenv("REPORTMINE_CACHE_DIR", "off")
    assert load_yaml(shipped_lexicon_dir() / "units.yaml") == _parse_yaml(
        shipped_lexicon_dir() / "units.yaml", (shipped_lexicon_dir() / "units.yaml").read_text(encoding="utf-8"))


def test_longest_readable_prefix_is_the_longest_prefix_that_parses():
    """Trimming a numeral finds its longest readable prefix in a pass or two; it is the prefix
    that trying each one finds."""
    import itertools

    from reportmine.numbers import _chinese_integer, _longest_readable_prefix

    def tried_one_by_one(text):
        return next((cut for cut in range(len(text), 0, -1) if _chinese_integer(text[:cut]) is not None), 0)

    rng = random.Random(21)
    texts = ["".join(chars) for length in range(1, 5) for chars in itertools.product("零○一两九十百千万亿兆", repeat=length)]
    texts += ["".join(rng.choice("零〇○一二两三五九十百千万亿兆拾佰壹") for _ in range(rng.randint(5, 40))) for _ in range(20000)]
    for text in texts:
        assert _longest_readable_prefix(text) == tried_one_by_one(text), text


def test_word_lookups_of_the_text_index_equal_the_searches():
    """TextIndex.holds_any and last_inside answer as searching the window for each word does."""
    from reportmine.rules.grammar import TextIndex

    rng = random.Random(8)
    words = ("有", "共有", "有有", "（", "(", "不到位")
    pieces = ["有", "共", "有有", "（", "(", "）", "不到", "位", "企业", "12家", "。"]
    texts = corpus_texts(4) + ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 200))) for _ in range(60)]
    for text in texts:
        index = TextIndex(text)
        for _ in range(300):
            lo = rng.randint(0, len(text))
            hi = rng.randint(max(0, lo - 3), len(text))
            assert index.holds_any(words, lo, hi) == any(text.find(word, lo, hi) >= 0 for word in words)
            assert index.last_inside(words, lo, hi) == max(text.rfind(word, lo, hi) for word in words)


def test_a_window_marks_the_other_figures_a_loop_over_all_of_them_marks():
    from reportmine.segment import Segmenter
    from reportmine.lexicons import load_lexicons
    from reportmine.tagger import ROLE_FIGURE, ROLE_OTHER, ROLE_OTHER_FIGURE, WindowBuilder

    rng = random.Random(11)
    text = "。".join(corpus_texts(3))
    builder = WindowBuilder(Segmenter(load_lexicons().domain_dict), text)
    spans, at = [], 0
    while at < len(text) - 40:  # figures of 1 to 30 characters, some overlapping, in no order
        start = at + rng.randint(0, 12)
        spans.append((start, start + rng.randint(1, 30)))
        at = start + rng.randint(1, 20)
    rng.shuffle(spans)
    for start, end in spans[:300]:
        window = builder.window(start, end, spans)
        expected = [ROLE_OTHER] * (window.end - window.start)
        for o_start, o_end in spans:
            for p in range(max(o_start, window.start), min(o_end, window.end)):
                expected[p - window.start] = ROLE_OTHER_FIGURE
        for p in range(start, end):
            expected[p - window.start] = ROLE_FIGURE
        assert list(window.roles) == expected


def test_a_figures_line_start_is_where_a_search_back_for_the_newline_finds_it():
    from reportmine.indicators import NumberedHeadings

    for text in corpus_texts() + ["", "无换行的一行文字", "\n\n开头两个换行\n"]:
        headings = NumberedHeadings(text)
        for position in range(len(text) + 1):
            assert headings.line_start(position) == text.rfind("\n", 0, position) + 1


def test_jieba_rs_cuts_every_clause_as_jieba_does():
    """segment._Fast (jieba-rs with the domain dictionary's frequencies, the totals matched and
    Latin/digit runs cut again by jieba) gives jieba's words on every clause of corpus/ and the
    seeds; on the hostile shapes' text the two differ only where two paths of the same words score
    the same (零零零: 零零|零 or 零|零零), which either library may take."""
    import re

    from hostile_shapes import SHAPES, build
    from reportmine.lexicons import load_lexicons
    from reportmine.segment import get_segmenter

    segmenter = get_segmenter(str(load_lexicons().domain_dict))
    assert segmenter.fast is not None, "rjieba is a dependency: the fast path must be in use"

    def clauses(texts):
        return [c for text in texts for c in re.split(r"[，。；：！？\n、,;:]", text) if c.strip()]

    def both(clause):
        return segmenter.fast.cut(clause), segmenter.tokenizer.lcut(clause, HMM=True)

    seeds = ROOT.parent / "shared" / "seeds"
    real = clauses(corpus_texts(count=1000) + [decode_bytes(p.read_bytes()).text for p in sorted(seeds.glob("*"))]
                   + ["2024-06-18 09:30 www.gov.cn 里程25.59km 共出动执法人员687人次 PM2.5浓度 t20230609_1183402.html"])
    assert len(real) > 5000
    assert [c for c in real if both(c)[0] != both(c)[1]] == []
    hostile = clauses(build(name, 3000, seed)[0] for name in SHAPES for seed in range(3))
    cuts = [both(c) for c in hostile]
    assert any(fast != slow for fast, slow in cuts)  # (the ties exist: this test would see them go)
    assert all(sorted(fast) == sorted(slow) for fast, slow in cuts)


def test_comparator_at_end_from_the_tail_finds_what_the_whole_search_finds():
    from reportmine.lexicons import load_lexicons
    from reportmine.pattern_shape import reach_without_spaces as _reach_without_spaces
    from reportmine.rules.grammar import Grammar, _tail_start

    g = Grammar(load_lexicons())
    assert g.comparator_reach is not None  # the shipped comparators are bounded
    assert _reach_without_spaces(r"a\s*b{2,3}") == 4 and _reach_without_spaces(r"a.*") is None
    rng = random.Random(7)
    pieces = ["同比", "比上年", "同期", "较前五年均值", " ", "\n", "\u3000", "比", "与", "前", "3", "年", "均值",
              "（不含税）", "相比", "按可比价格计算", "比1 — 9月份", "排查单位", "，", "分别", "\t" * 30, "继2019年之后"]
    texts = [text[:cut] for text in corpus_texts(3) for cut in range(0, len(text), 37)]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))) for _ in range(20000)]
    windowed = 0
    for text in texts:
        start = _tail_start(text, g.comparator_reach)
        windowed += start > 0
        whole, tail = g.comparator_at_end.search(text), g.comparator_at_end.search(text, start)
        assert (whole and whole.span()) == (tail and tail.span()), text
    assert windowed > 1000


def test_every_field_label_holds_the_word_sentence_topic_looks_for_first():
    from reportmine.indicators import FIELD_LABEL, FIELD_WORD, NumberedHeadings, sentence_topic

    texts = corpus_texts() + ["；道路交通领域，事故12起", "在消防领域：火灾3起", "。危化品领域,检查企业9家"]
    found = 0
    for text in texts:
        for match in FIELD_LABEL.finditer(text):
            found += 1
            assert FIELD_WORD in match.group(0)
    assert found >= 3
    text = "总体平稳；道路交通领域，事故12起，死亡3人"
    assert sentence_topic(text, 0, text.index("12")) == "道路交通领域"
    rng = random.Random(11)
    for text in texts + ["领域" * 5, "领", ""]:
        headings = NumberedHeadings(text)
        for _ in range(300):
            start = rng.randint(0, len(text))
            end = rng.randint(start, len(text))
            assert headings.holds_field_word(start, end) == (text.find(FIELD_WORD, start, end) >= 0)


def test_a_span_without_the_cues_first_characters_holds_no_cue():
    from reportmine.lexicons import load_lexicons
    from reportmine.status import StatusReader, TextBreaks, first_characters

    reader = StatusReader(load_lexicons().status)
    assert reader.clause_cue_starts and reader.sentence_cue_starts
    assert first_characters([("", regex.compile(r"(?<!不)要求|计划(?!生育)"))]) == "要计"
    assert first_characters([("", regex.compile(r"(?:力争)?确保"))]) is None
    assert first_characters([("", regex.compile(r"(?i)plan"))]) is None
    rng = random.Random(13)
    pieces = ["计划", "目标为", "不低于", "要求", "检查企业", "12家", "，", "。", "达到要求", "预计", "a", "\n", "有望"]
    texts = corpus_texts(6) + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 200))) for _ in range(40)]
    for text in texts:
        breaks = TextBreaks(text)
        for position in range(0, len(text), max(1, len(text) // 300)):
            end = min(len(text), position + rng.randint(0, 120))
            assert breaks.holds_any(reader.clause_cue_starts, position, end) == \
                any(char in reader.clause_cue_starts for char in text[position:end])
            if not breaks.holds_any(reader.clause_cue_starts, position, end):
                assert all(not pattern.search(text[position:end]) for _, pattern in reader.cues.clause)
            if not breaks.holds_any(reader.sentence_cue_starts, position, end):
                assert all(not pattern.search(text[position:end]) for _, pattern in reader.cues.sentence)
            # the reader's answer with the index (and the look-up) is the one without
            assert reader.read(text, end, end, breaks) == reader.read(text, end, end)


def test_the_last_figure_digit_read_back_stretch_by_stretch_is_the_one_the_whole_mask_leaves():
    from reportmine.indicators import DIGITS_OF_A_NAME, LAST_DIGIT, _last_figure_digit_end

    def masked_whole(context):
        last = LAST_DIGIT.search(DIGITS_OF_A_NAME.sub(lambda found: "#" * len(found.group()), context))
        return last.end() if last else None

    rng = random.Random(11)
    pieces = ["第", "90", "百分位数", "PM", "2.5", "O", "3", "8", "小时", "2019", "年", "20xx", " ", "。", "，",
              "浓度", "12", "家", "x", "、", "1", "0"]
    texts = [text[:cut] for text in corpus_texts(3) for cut in range(0, len(text), 41)]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(20000)]
    found = 0
    for text in texts:
        expected = masked_whole(text)
        assert _last_figure_digit_end(text) == expected, text
        found += expected is not None
    assert found > 1000
