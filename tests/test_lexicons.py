import shutil

import pytest

from reportmine.errors import LexiconError
from reportmine.lexicons import load_lexicons, shipped_lexicon_dir


def test_shipped_lexicons_load(lexicons):
    assert lexicons.units["家次"].kind == "count"
    assert lexicons.units["万元"].canonical if "万元" in lexicons.units else True
    assert lexicons.units["千米"].canonical == "公里"
    assert "四个意识" in lexicons.slogans
    assert lexicons.qualifier_prefix["约"] == "approx"


def copy_lexicons(tmp_path):
    target = tmp_path / "lex"
    shutil.copytree(shipped_lexicon_dir(), target)
    return target


def test_duplicate_entry_fails_with_file_and_line(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "formulas.yaml").write_text("slogans:\n  - 五个必须\n  - 六个坚持\n  - 五个必须\n", encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicons([extra])
    assert f"{extra / 'formulas.yaml'}:4:" in str(caught.value)
    assert "duplicate" in str(caught.value)


def test_duplicate_mapping_key_fails(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "qualifiers.yaml").write_text("prefix:\n  约: approx\n  约: at_least\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"qualifiers.yaml:3: duplicate key"):
        load_lexicons([extra])


def test_bad_regex_and_bad_yaml_fail_clearly(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "chrome.yaml").write_text("line_patterns:\n  - '(unclosed'\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="bad regular expression"):
        load_lexicons([extra])
    (extra / "chrome.yaml").write_text("line_patterns: [a, b\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid YAML"):
        load_lexicons([extra])


def test_unknown_qualifier_value_is_rejected(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "qualifiers.yaml").write_text("suffix:\n  开外: roughly\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="unknown qualifier"):
        load_lexicons([extra])


def test_user_slogans_extend_the_shipped_list(tmp_path):
    from reportmine import Pipeline

    text = "深入推进三个专项行动,检查企业12家。"
    plain = Pipeline().extract_text(text)
    assert [m.text for m in plain.metrics] == ["三个", "12家"]
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "formulas.yaml").write_text("slogans:\n  - 三个专项行动\n", encoding="utf-8")
    extended = Pipeline(load_lexicons([extra])).extract_text(text)
    assert [m.text for m in extended.metrics] == ["12家"]


def test_domain_dictionary_duplicates_fail(tmp_path):
    from reportmine.lexicons import _check_domain_dict

    path = tmp_path / "dict.txt"
    path.write_text("检查 10 v\n排查 10 v\n检查 5 v\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"dict.txt:3: duplicate word"):
        _check_domain_dict(path)
    path.write_text("检查 many v\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"dict.txt:1: expected"):
        _check_domain_dict(path)


def test_every_match_of_a_formula_holds_a_word_it_requires():
    """formulas.yaml `requires`: a text without any of the words is not searched, so every match
    the pattern finds anywhere must hold one, or look ahead to one (达到85%的年度目标: the
    pattern's look-ahead reads 目标), on corpus/ and the hostile shapes."""
    import sys
    from pathlib import Path

    from reportmine.decode import decode_bytes
    from reportmine.normalize import normalize

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "tests"))
    from hostile_shapes import SHAPES, build

    lexicons = load_lexicons()
    gated = [named for named in lexicons.formula_patterns if named.requires]
    assert any(named.name == "one_of_n" for named in gated)
    texts = [normalize(decode_bytes(p.read_bytes()).text, lexicons).text for p in sorted((root / "corpus" / "docs").glob("*"))]
    texts += [build(name, 4000, seed)[0] for name in SHAPES for seed in range(2)]
    texts += ["全省十大案例之一", "19时30分接警", "精选3篇", "3个docx格式的文档", "建党100周年", "三级响应", "二期工程",
              "达到85%的年度目标", "5%的控制标准", "十届三次全会", "8条硬措施，",
              "拨打110报警", "12319热线受理", "50吨以上储罐", "3米以内的通道", "付出120%的热情", "连续4个月",
              "近3年", "两年来", "三类隐患"]
    matched = 0
    for text in texts:
        for named in gated:
            for match in named.pattern.finditer(text):
                matched += 1
                read = text[match.start():match.end() + 60]
                assert any(word in read for word in named.requires), (named.name, match.group(0))
    assert matched > 20


def test_a_formula_pattern_with_an_unknown_key_fails(tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "formulas.yaml").write_text("patterns:\n  - name: x\n    regex: 'a'\n    require: [a]\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="unknown keys"):
        load_lexicons([extra])
