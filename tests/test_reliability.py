"""Bad input and faults: every file yields exactly one row, no exception escapes but the
documented DecodeError, offsets always slice the original, values are finite and sane."""
import json
import os
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from typer.testing import CliRunner

from reportmine.cli import app
from reportmine.decode import decode_bytes
from reportmine.errors import DecodeError
from reportmine.numbers import MAX_VALUE

BADFILES = Path(__file__).with_name("badfiles")
def fuzz(examples: int):
    return settings(max_examples=examples, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


def check_document(document, original: str):
    for metric in document.metrics:
        assert 0 <= metric.start < metric.end <= len(original)
        assert original[metric.start:metric.end] == metric.text
        assert metric.value.is_finite() and abs(metric.value) <= MAX_VALUE
        assert metric.value_max is None or (metric.value_max.is_finite() and metric.value_max >= metric.value)
    for warning in document.warnings:
        if warning.start is not None:
            assert 0 <= warning.start <= warning.end <= len(original)
    document.model_dump_json()  # always serialisable


# ---- the bad-file corpus ------------------------------------------------------------------
def build_bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "bad"
    shutil.copytree(BADFILES, folder, ignore=shutil.ignore_patterns("README.md"))
    with open(folder / "huge_50mb.txt", "wb") as handle:  # sparse: no 50 MB of real writes
        handle.truncate(50 * 1024 * 1024)
    (folder / "loop").mkdir()
    os.symlink(folder, folder / "loop" / "back_to_top")  # a symlink loop
    os.mkfifo(folder / "pipe.txt")
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    unreadable = folder / "unreadable.txt"
    unreadable.write_text("检查企业12家", encoding="utf-8")
    unreadable.chmod(0)
    return folder


def test_a_batch_over_bad_files_gives_one_row_each_and_says_what_failed(tmp_path):
    folder = build_bad_folder(tmp_path)
    out, documents = tmp_path / "m.jsonl", tmp_path / "d.jsonl"
    result = CliRunner().invoke(app, ["extract", str(folder), "-o", str(out), "--documents", str(documents),
                                      "--max-bytes", str(20 * 1024 * 1024), "--workers", "2", "--quiet"])
    assert result.exit_code == 3, result.output  # 3: some documents failed
    rows = {row["doc"]: row for row in map(json.loads, documents.read_text(encoding="utf-8").splitlines())}
    expected = {p.name for p in BADFILES.iterdir() if p.name != "README.md"} | {
        "huge_50mb.txt", "pipe.txt", "dangling.txt", "unreadable.txt"}
    assert set(rows) == expected and len(rows) == len(expected)
    errors = {name: row["error"] for name, row in rows.items() if row["error"]}
    assert "empty" in errors["empty.txt"]
    assert "binary" in errors["binary.txt"]
    # formats are found from the bytes: a PNG named .txt is an image, skipped with that reason
    assert rows["png_named_txt.txt"]["status"] == "skipped" and rows["png_named_txt.txt"]["skipped"].startswith("image")
    assert "too large" in errors["huge_50mb.txt"] and "--max-bytes" in errors["huge_50mb.txt"]
    assert "not a regular file" in errors["pipe.txt"]
    assert "cannot read" in errors["dangling.txt"]
    if os.geteuid() != 0:  # root reads any file: the permission case only exists for other users
        assert "cannot read" in errors["unreadable.txt"]
    for ok in ("whitespace.txt", "html_no_body.html", "utf16_no_bom.txt"):
        assert rows[ok]["error"] is None, ok
    assert rows["truncated_utf8.txt"]["encoding"] == "utf-8"
    assert any(w["code"] == "undecodable_bytes" for w in rows["truncated_utf8.txt"]["warnings"])
    assert rows["big5_stray_bytes.txt"]["encoding"] == "big5"
    assert rows["gb18030_stray_bytes.txt"]["encoding"] == "gb18030"
    metrics = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {m["doc"] for m in metrics} >= {"big5_stray_bytes.txt", "gb18030_stray_bytes.txt", "utf16_no_bom.txt"}


# ---- fuzzing: 10,000+ generated inputs through decode, normalize and extract ---------------
@fuzz(3000)
@given(st.binary(max_size=400))
def test_random_bytes(pipeline, data):
    try:
        decoded = decode_bytes(data)
    except DecodeError:
        return
    check_document(pipeline.extract_bytes(data, doc="fuzz.txt"), decoded.text)


@fuzz(3000)
@given(st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=()), max_size=200))
def test_random_unicode_including_lone_surrogates_and_nuls(pipeline, text):
    check_document(pipeline.extract_text(text), text)


PIECES = st.sampled_from([
    "检查企业", "发现隐患", "整改率", "处罚金额", "约", "近", "超过", "余", "多", "以上", "左右", "不足",
    "128", "1,234.5", "1,23,4", "95.6", "0", "00", "1e400", "9" * 30, ".", ",", "-", "至", "~",
    "十四", "两", "三五", "二十万亿", "九千九百九十九亿亿", "万万亿", "壹佰贰拾", "百分之", "分之", "成", "个百分点",
    "家次", "项", "万元", "亿元", "%", "‰", "人次", "公里", "小时", "个", "批次", "/日",
    "區(qū)", "應(yīng)", "(试行)", "“", "”", "《", "》", "四个意识", "第", "每月", "之一", "一是",
    "<div>", "</div>", "<p>", "&nbsp;", "&#x4e00;", "<script>", "</script>", "\n", "\r\n", "\t", " ", "\u3000",
    "１２８", "％", "\ufffd", "锟斤拷", "?", "鐢熶骇", "\x00", "\ud800",
])


@fuzz(4000)
@given(st.lists(PIECES, max_size=40), st.booleans())
def test_report_like_text(pipeline, pieces, as_html):
    text = "".join(pieces)
    if as_html:
        text = "<html><body>" + text + "</body></html>"
    check_document(pipeline.extract_text(text, is_html=as_html), text)


def test_deep_html_nesting_and_very_long_lines(pipeline):
    deep = "<div>" * 5000 + "检查企业128家次" + "</div>" * 5000
    document = pipeline.extract_text(deep, is_html=True)
    check_document(document, deep)
    assert [m.text for m in document.metrics] == ["128家次"]
    long_line = ("检查企业128家次," * 20000) + "九千九百九十九亿亿亿元"
    document = pipeline.extract_text(long_line)
    check_document(document, long_line)
    assert len(document.metrics) == 20000
    assert any(w.code == "absurd_value" for w in document.warnings)


@pytest.mark.parametrize("text,warning", [
    ("罚款九千九百九十九亿亿亿元", "absurd_value"),
    ("投资99999999999999999999999元", "absurd_value"),
    ("检查1,23,4家企业", "malformed_number"),
    ("罚款1e400元", "malformed_number"),
])
def test_adversarial_numbers_are_rejected_with_a_warning(pipeline, text, warning):
    document = pipeline.extract_text(text)
    assert document.metrics == []
    assert [w.code for w in document.warnings] == [warning]


def test_big_but_plausible_numbers_are_kept(pipeline):
    [metric] = pipeline.extract_text("全国GDP达到一百二十六万亿元").metrics
    assert metric.value == Decimal("126000000000000")
    [metric] = pipeline.extract_text("检查企业12,345家").metrics
    assert metric.value == 12345
