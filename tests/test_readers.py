"""Every format a bureau folder holds gives the figures its text gives as .txt; tables give
those of the same figures written as sentences; nothing found is passed over without a row."""
from collections import Counter
from pathlib import Path

import pytest

import docmaker
from conftest import CORPUS
from reportmine.decode import decode_bytes
from reportmine.readers import Skipped, UnreadableDocument, read_source, reason_key, sniff
from table_texts import TABLE_A, TABLE_B, TABLE_C, TEXT_A, TEXT_B, TEXT_C

# a multi-page statistics report, a performance report with a table, a work summary
CORPUS_TEXTS = ["k02_guangdong_zhaoqing_xiaofang_2024_tongji.txt", "j02_henan_xuchang_scjg_2023_jixiao.txt",
                "a01_hunan_longhui_2022.txt"]
MAKERS = {
    "pdf": lambda text: docmaker.pdf_bytes(text),
    "docx": docmaker.docx_bytes,
    "xlsx": docmaker.xlsx_bytes,
    "xls": docmaker.xls_bytes,
    "ods": docmaker.ods_bytes,
    "html": docmaker.html_bytes,
    "pipe.txt": lambda text: docmaker.pipe_text(text).encode("utf-8"),
    "aligned.txt": lambda text: docmaker.aligned_text(text).encode("utf-8"),
}


def corpus_text(name: str) -> str:
    return decode_bytes((CORPUS / "docs" / name).read_bytes()).text


def figures(document) -> Counter:
    return Counter((m.value.normalize(), m.unit, m.kind) for m in document.metrics)


def read_as(rules_pipeline, tmp_path, data: bytes, suffix: str):
    path = tmp_path / f"document.{suffix}"
    path.write_bytes(data)
    return rules_pipeline.extract_file(path)


@pytest.mark.parametrize("name", CORPUS_TEXTS)
@pytest.mark.parametrize("suffix", ["pdf", "docx", "xlsx", "xls", "ods"])
def test_each_format_gives_the_figures_of_its_text(rules_pipeline, tmp_path, name, suffix):
    text = corpus_text(name)
    reference = rules_pipeline.extract_text(text)
    document = read_as(rules_pipeline, tmp_path, MAKERS[suffix](text), suffix)
    assert document.status == "ok", document.error or document.skipped
    assert document.format == suffix
    assert figures(document) == figures(reference)
    source = read_source((tmp_path / f"document.{suffix}").read_bytes(), f"document.{suffix}")
    for metric in document.metrics:
        assert source.text[metric.start:metric.end] == metric.text  # offsets index the text the report shows


@pytest.mark.parametrize("table, text", [(TABLE_A, TEXT_A), (TABLE_B, TEXT_B)], ids=["units in cells", "units in headers"])
@pytest.mark.parametrize("form", sorted(MAKERS))
def test_tables_give_the_figures_their_sentences_give(rules_pipeline, tmp_path, table, text, form):
    expected = figures(rules_pipeline.extract_text(text))
    document = read_as(rules_pipeline, tmp_path, MAKERS[form](table), form)
    found = figures(document)
    recall = sum((found & expected).values()) / sum(expected.values())
    assert recall >= 0.95, (form, recall, expected - found)
    assert not found - expected, "a table cell read as a figure the text does not hold"


@pytest.mark.parametrize("kind", ["txt", "xlsx"])
def test_unit_column_tables_take_each_rows_unit_from_its_column(rules_pipeline, tmp_path, kind):
    """统计公报 tables give each row's unit in a column of its own (指标 | 单位 | 2023年 |
    比上年增长（%）): a bare number takes its row's unit from that column, and the row's label
    names it, as in the sentences that state the same figures."""
    expected = figures(rules_pipeline.extract_text(TEXT_C))
    if kind == "txt":
        document = rules_pipeline.extract_text(TABLE_C)
    else:
        document = read_as(rules_pipeline, tmp_path, docmaker.xlsx_bytes(TABLE_C), "xlsx")
    found = figures(document)
    assert sum(expected.values()) == 10 and sum((found & expected).values()) == 10
    assert [m.object for m in document.metrics][:2] == ["地区生产总值", "地区生产总值"]


# ---- PDF ---------------------------------------------------------------------------------------
def test_pdf_joins_wrapped_lines_and_figures_and_drops_headers_and_page_numbers(rules_pipeline, tmp_path):
    text = corpus_text(CORPUS_TEXTS[0])
    data = docmaker.pdf_bytes(text)
    source = read_source(data, "report.pdf")
    title = text.strip().splitlines()[0]
    assert len(source.page_starts) >= 2
    # the running title is kept once (the document's first line), never again at a page top
    assert source.text.count(title) == text.count(title)
    assert "- 1 -" not in source.text and "- 2 -" not in source.text
    for paragraph in (line.strip() for line in text.splitlines() if len(line.strip()) > 60):
        assert paragraph in source.text  # every wrapped paragraph whole again, figures unbroken
    document = rules_pipeline.extract_file(_write(tmp_path / "report.pdf", data))
    pages = {m.page for m in document.metrics}
    assert pages == set(range(1, len(source.page_starts) + 1))
    for metric in document.metrics:
        assert source.page_starts[metric.page - 1] <= metric.start
        assert metric.page == len(source.page_starts) or metric.start < source.page_starts[metric.page]


def test_scanned_pdf_is_a_skipped_row_saying_so(pipeline, tmp_path):
    document = pipeline.extract_file(_write(tmp_path / "scan.pdf", docmaker.scanned_pdf_bytes()))
    assert document.status == "skipped" and document.format == "pdf"
    assert reason_key(document.skipped) == "scanned PDF" and "OCR" in document.skipped


def test_a_pdf_partly_scanned_names_its_pages_without_text(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    import io

    from PIL import Image

    pdf = fpdf.FPDF()
    pdf.add_font("hei", fname=str(docmaker.cjk_font()))
    pdf.set_font("hei", size=12)
    pdf.add_page()
    pdf.cell(0, 10, "全年检查企业128家次。")
    pdf.add_page()
    picture = io.BytesIO()
    Image.new("L", (100, 50), 255).save(picture, format="PNG")
    pdf.image(picture, x=10, y=10, w=50)
    source = read_source(bytes(pdf.output()), "mixed.pdf")
    assert "128家次" in source.text
    assert [w.code for w in source.warnings] == ["pdf_pages_without_text"] and "page(s) 2" in source.warnings[0].message


def test_a_password_protected_pdf_is_an_error_saying_so(pipeline, tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_font("hei", fname=str(docmaker.cjk_font()))
    pdf.set_font("hei", size=12)
    pdf.add_page()
    pdf.cell(0, 10, "全年检查企业128家次。")
    pdf.set_encryption(owner_password="owner", user_password="user")
    document = pipeline.extract_file(_write(tmp_path / "locked.pdf", bytes(pdf.output())))
    assert document.status == "error" and "password" in document.error


def test_a_libreoffice_pdf_gives_the_figures_of_its_text(rules_pipeline, tmp_path):
    """A PDF as office programs write them: justified CJK lines, Latin spaced from Han, curly
    quotes drawn from a fallback font (PDFium lists those out of place), a ruled table."""
    import subprocess

    from reportmine.readers.legacy import soffice

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    for name in CORPUS_TEXTS[1:]:
        text = corpus_text(name)
        source = _write(tmp_path / f"{name}.docx", docmaker.docx_bytes(text))
        subprocess.run([soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)], check=True,
                       capture_output=True, timeout=180)
        document = rules_pipeline.extract_file(tmp_path / f"{name}.pdf")
        assert figures(document) == figures(rules_pipeline.extract_text(text)), name


@pytest.mark.parametrize("suffix, data", [
    ("pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer garbage"),
    ("docx", b"PK\x03\x04" + b"\x00" * 200),
    ("xlsx", b"PK\x03\x04" + b"\x00" * 200),
])
def test_malformed_files_are_error_rows(pipeline, tmp_path, suffix, data):
    document = pipeline.extract_file(_write(tmp_path / f"broken.{suffix}", data))
    assert document.status == "error" and document.error.startswith("malformed")


def test_a_truncated_docx_and_xlsx_are_error_rows(pipeline, tmp_path):
    text = corpus_text(CORPUS_TEXTS[1])
    for suffix, data in (("docx", docmaker.docx_bytes(text)), ("xlsx", docmaker.xlsx_bytes(text)),
                         ("pdf", docmaker.pdf_bytes(text))):
        document = pipeline.extract_file(_write(tmp_path / f"cut.{suffix}", data[: len(data) // 2]))
        assert document.status == "error", (suffix, document)


def test_a_missing_reader_is_a_skipped_row_naming_the_extra(pipeline, tmp_path, monkeypatch):
    import importlib

    text = corpus_text(CORPUS_TEXTS[1])
    files = {suffix: _write(tmp_path / f"d.{suffix}", MAKERS[suffix](text)) for suffix in ("pdf", "docx", "xlsx")}
    real = importlib.import_module

    def without_readers(name, *args):
        if name in ("pypdfium2", "docx", "python_calamine"):
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_readers)
    for suffix, extra in (("pdf", "pdf"), ("docx", "office"), ("xlsx", "office")):
        document = pipeline.extract_file(files[suffix])
        assert document.status == "skipped" and reason_key(document.skipped) == f"install reportmine[{extra}]"


# ---- web pages and other files by content -------------------------------------------------------
@pytest.mark.parametrize("name", ["article.jsp", "article.aspx", "article.php", "article.shtml", "article"])
def test_saved_pages_are_read_by_content_whatever_their_name(pipeline, tmp_path, name):
    page = docmaker.html_bytes("某县应急管理局\n全年检查企业128家次，发现隐患242项。")
    document = pipeline.extract_file(_write(tmp_path / name, page))
    assert document.format == "html" and [m.text for m in document.metrics] == ["128家次", "242项"]


def test_a_pdf_behind_a_page_name_is_read_as_pdf(pipeline, tmp_path):
    text = corpus_text(CORPUS_TEXTS[1])
    document = pipeline.extract_file(_write(tmp_path / "download.jsp", docmaker.pdf_bytes(text)))
    assert document.format == "pdf" and figures(document) == figures(pipeline.extract_text(text))


def test_plain_text_without_extension_is_text(pipeline, tmp_path):
    document = pipeline.extract_file(_write(tmp_path / "README", "全年检查企业128家次。".encode("gb18030")))
    assert document.format == "text" and document.encoding == "gb18030" and len(document.metrics) == 1


@pytest.mark.parametrize("data, name, reason", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.png", "image"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "scan.jpg", "image"),
    (b"Rar!\x1a\x07\x00" + b"\x00" * 64, "files.rar", "archive"),
    (b"body { color: red }", "style.css", "stylesheet"),
    (b"var n = 12345;", "app.js", "script"),
])
def test_files_that_are_not_documents_are_skipped_with_a_reason(pipeline, tmp_path, data, name, reason):
    document = pipeline.extract_file(_write(tmp_path / name, data))
    assert document.status == "skipped" and reason_key(document.skipped) == reason


def test_a_macro_enabled_docm_is_read_as_its_document(pipeline, tmp_path):
    import io
    import zipfile

    plain = zipfile.ZipFile(io.BytesIO(docmaker.docx_bytes("全年检查企业128家次。")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as macro:
        for name in plain.namelist():
            data = plain.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"PLACEHOLDER").replace(
                    b"application/vnd.openxmlformats-officedocument.PLACEHOLDER",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml")
            macro.writestr(name, data)
    document = pipeline.extract_file(_write(tmp_path / "report.docm", out.getvalue()))
    assert document.status == "ok" and [m.text for m in document.metrics] == ["128家次"]


def test_hidden_sheets_are_named_not_read():
    openpyxl = pytest.importorskip("openpyxl")
    import io

    book = openpyxl.Workbook()
    book.active.append(["检查企业数（家）", 58])
    hidden = book.create_sheet("草稿")
    hidden.sheet_state = "hidden"
    hidden.append(["检查企业数（家）", 99])
    out = io.BytesIO()
    book.save(out)
    source = read_source(out.getvalue(), "book.xlsx")
    assert "58" in source.text and "99" not in source.text
    assert [w.message for w in source.warnings] == ["hidden sheet(s) not read: 草稿"]


def test_a_zip_archive_is_skipped_but_office_zips_are_read():
    import io
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("a.txt", "检查企业12家")
    assert sniff(archive.getvalue(), ".zip").skip.startswith("archive")
    assert sniff(docmaker.docx_bytes("检查企业12家。"), "").format == "docx"
    assert sniff(docmaker.xlsx_bytes("检查企业12家。"), "").format == "xlsx"
    assert sniff(docmaker.ods_bytes("检查企业12家。"), "").format == "ods"
    assert sniff(docmaker.xls_bytes("检查企业12家。"), "").format == "xls"


# ---- legacy Word -----------------------------------------------------------------------------------
def _doc_bytes(tmp_path, text: str) -> bytes:
    from reportmine.readers.legacy import soffice

    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    import subprocess

    source = _write(tmp_path / "source.docx", docmaker.docx_bytes(text))
    subprocess.run([soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "doc"), str(source)],
                   check=True, capture_output=True, timeout=180)
    return (tmp_path / "doc" / "source.doc").read_bytes()


def test_legacy_doc_and_wps_are_converted_by_libreoffice(rules_pipeline, tmp_path):
    text = corpus_text(CORPUS_TEXTS[1])
    data = _doc_bytes(tmp_path, text)
    for name, format in (("report.doc", "doc"), ("report.wps", "wps")):
        document = rules_pipeline.extract_file(_write(tmp_path / name, data))
        assert document.status == "ok" and document.format == format
        assert figures(document) == figures(rules_pipeline.extract_text(text))


def test_legacy_doc_without_libreoffice_is_skipped_with_the_command(pipeline, tmp_path, monkeypatch):
    import reportmine.readers.legacy as legacy

    monkeypatch.setattr(legacy, "soffice", lambda: None)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00\x00" + b"\x00" * 512
    document = pipeline.extract_file(_write(tmp_path / "old.doc", data))
    assert document.status == "skipped" and reason_key(document.skipped) == "needs LibreOffice"
    assert "soffice --headless --convert-to docx" in document.skipped


# ---- reading helpers --------------------------------------------------------------------------
def test_reason_keys():
    assert reason_key("empty file (0 bytes)") == "empty file"
    assert reason_key("file too large: 70,000,000 bytes > limit") == "file too large"
    assert reason_key("internal error while extracting (KeyError: 'x'); please report") == "internal error while extracting"


def test_text_tables_keep_the_length_and_leave_menus_alone():
    from reportmine.readers.texttables import mark_text_tables

    menu = "首页 | 机构概况 | 新闻中心 | 政务公开\n全年检查企业128家次。\n"
    assert mark_text_tables(menu) is None
    byline = "发布时间：2023-08-16 17:32    来源：汉中市气象局    作者：杜思远\n正文。\n"
    assert mark_text_tables(byline) is None
    typed = docmaker.pipe_text(TABLE_B)
    marked = mark_text_tables(typed)
    assert len(marked) == len(typed) and "\t" in marked


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---- a whole folder --------------------------------------------------------------------------------
def bureau_folder(folder: Path) -> Path:
    """What a folder downloaded from bureau sites holds: reports in several formats, pages saved
    under server names, a saved page's resources, a picture, a scan, an empty and a broken file."""
    text = corpus_text(CORPUS_TEXTS[1])
    (folder / "page_files").mkdir(parents=True)
    (folder / ".git").mkdir()
    files = {
        "report.pdf": docmaker.pdf_bytes(text), "report.docx": docmaker.docx_bytes(text),
        "table.xlsx": docmaker.xlsx_bytes(TABLE_B), "notice.jsp": docmaker.html_bytes(TEXT_B),
        "article": docmaker.html_bytes(TEXT_A), "summary.txt": TEXT_A.encode("gb18030"),
        "page_files/style.css": b"p { margin: 0 }", "logo.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "scan.pdf": docmaker.scanned_pdf_bytes(), "empty.txt": b"", "broken.xlsx": b"PK\x03\x04 cut off",
        ".git/HEAD": b"ref: refs/heads/main", ".DS_Store": b"\x00\x00\x00\x01Bud1",
    }
    for name, data in files.items():
        _write(folder / name, data)
    return folder


def test_every_file_in_a_folder_is_one_row_and_the_summary_counts_reasons(tmp_path):
    import json

    from reportmine.batch import run_batch

    folder = bureau_folder(tmp_path / "downloads")
    summary = run_batch([folder], tmp_path / "m.jsonl", tmp_path / "d.jsonl", workers=1, extractor="rules")
    rows = {row["doc"]: row for row in map(json.loads, (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines())}
    assert set(rows) == {"report.pdf", "report.docx", "table.xlsx", "notice.jsp", "article", "summary.txt", "page_files/style.css",
                         "logo.png", "scan.pdf", "empty.txt", "broken.xlsx"}  # hidden files and folders aside
    assert {name for name, row in rows.items() if row["status"] == "ok"} == {
        "report.pdf", "report.docx", "table.xlsx", "notice.jsp", "article", "summary.txt"}
    assert all(rows[name]["n_metrics"] > 0 for name in ("report.pdf", "report.docx", "table.xlsx", "notice.jsp", "article"))
    assert {rows[n]["format"] for n in ("notice.jsp", "article")} == {"html"} and rows["report.pdf"]["format"] == "pdf"
    assert (summary.documents, summary.read, summary.failed, summary.not_read) == (11, 6, 2, 3)
    assert summary.reasons == {("error", "empty file"): 1, ("error", "malformed XLSX file"): 1,
                               ("skipped", "stylesheet"): 1, ("skipped", "image"): 1, ("skipped", "scanned PDF"): 1}
    for row in rows.values():
        assert (row["status"] == "ok") == (row["error"] is None and row["skipped"] is None)


def test_exit_status_says_whether_everything_something_or_nothing_was_read(tmp_path):
    from typer.testing import CliRunner

    from reportmine.cli import app

    runner = CliRunner()
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["extract", str(tmp_path / "empty"), "-o", str(tmp_path / "e.jsonl"), "--quiet"])
    assert result.exit_code == 2 and "no files found" in result.output
    pictures = tmp_path / "pictures"
    pictures.mkdir()
    _write(pictures / "a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    _write(pictures / "b.txt", b"")
    result = runner.invoke(app, ["extract", str(pictures), "-o", str(tmp_path / "p.jsonl"), "--quiet", "--workers", "1",
                                 "--extractor", "rules"])
    said = " ".join(result.output.split())  # the console wraps long lines
    assert result.exit_code == 4 and "none of the 2 file(s) could be read" in said
    assert "failed: empty file 1; skipped: image 1" in said
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    _write(mixed / "a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    _write(mixed / "b.txt", "检查企业12家。".encode("utf-8"))
    result = runner.invoke(app, ["extract", str(mixed), "-o", str(tmp_path / "m.jsonl"), "--workers", "1",
                                 "--extractor", "rules"])
    said = " ".join(result.output.split())
    assert result.exit_code == 3 and "not read (skipped): 1" in said and "skipped: image 1" in said


# ---- units real reports use --------------------------------------------------------------------
@pytest.mark.parametrize("sentence, text, value, unit, kind", [
    ("全年完成旅客周转量12.5亿人公里。", "12.5亿人公里", 1250000000, "人公里", "measure"),
    ("货物周转量86.3亿吨公里。", "86.3亿吨公里", 8630000000, "吨公里", "measure"),
    ("春运期间发送旅客356.2万人次。", "356.2万人次", 3562000, "人次", "count"),
    ("生猪存栏45.6万头，家禽存栏1,200万只。", "45.6万头", 456000, "头", "count"),
    ("开行列车1,204列次。", "1,204列次", 1204, "列次", "count"),
    ("保障航班起降2,310架次。", "2,310架次", 2310, "架次", "count"),
    ("全社会用电量286.4亿千瓦时。", "286.4亿千瓦时", 28640000000, "千瓦时", "measure"),
    ("能源消费总量1,235万吨标准煤。", "1,235万吨标准煤", 12350000, "吨标准煤", "measure"),
    ("化学需氧量平均浓度12.6mg/L。", "12.6mg/L", 12.6, "毫克/升", "measure"),
    ("PM2.5平均浓度32微克/立方米。", "32微克/立方米", 32, "微克/立方米", "measure"),
    ("臭氧浓度38µg/m³。", "38µg/m³", 38, "微克/立方米", "measure"),
    ("细颗粒物平均浓度为34.4微克每立方米，同比上升11.3%。", "34.4微克每立方米", 34.4, "微克/立方米", "measure"),
    ("一氧化碳浓度1.1毫克每立方米。", "1.1毫克每立方米", 1.1, "毫克/立方米", "measure"),
    ("接种狂犬疫苗8.9万剂次，乙肝疫苗17.8万人份。", "8.9万剂次", 89000, "剂次", "count"),
    ("接种狂犬疫苗8.9万剂次，乙肝疫苗17.8万人份。", "17.8万人份", 178000, "人份", "count"),
    ("家禽出栏1086.5万羽，繁育苗种29亿尾。", "29亿尾", 2900000000, "尾", "count"),
    ("地面火箭作业358点次。", "358点次", 358, "点次", "count"),
    ("房地产开发投资增长2.9倍。", "2.9倍", 2.9, "倍", "rate"),
    ("昼间平均等效声级为52.4dB(A)。", "52.4dB(A)", 52.4, "dB(A)", "measure"),
    ("淘汰燃煤小锅炉983蒸吨。", "983蒸吨", 983, "蒸吨", "measure"),
    ("粮食单产958.2斤/亩，居全省第一位。", "958.2斤/亩", 958.2, "斤/亩", "measure"),
    ("在各类媒体刊发宣传报道100篇次。", "100篇次", 100, "篇次", "count"),
    ("全体市领导带队督导4轮次以上。", "4轮次以上", 4, "轮次", "count"),
    ("年平均气温18.6℃，最高气温39.2摄氏度。", "39.2摄氏度", 39.2, "℃", "measure"),
    ("完成造林1.2万公顷，种植水稻8.6万亩。", "8.6万亩", 86000, "亩", "measure"),
])
def test_units_of_real_reports(rules_pipeline, sentence, text, value, unit, kind):
    found = {m.text: m for m in rules_pipeline.extract_text(sentence).metrics}
    assert text in found, found
    metric = found[text]
    assert (float(metric.value), metric.unit, metric.kind) == (pytest.approx(value), unit, kind)


def test_a_mojibake_unit_is_read_with_a_warning(rules_pipeline):
    document = rules_pipeline.extract_text("PM10平均浓度55?g/m3，同比下降3.5%。")
    metric = document.metrics[0]
    assert (metric.text, metric.unit) == ("55?g/m3", "微克/立方米")
    assert [w.code for w in document.warnings] == ["mojibake_unit"]


def test_ranges_and_lists_keep_their_units(rules_pipeline):
    metrics = rules_pipeline.extract_text("氨氮浓度为0.5-1.2mg/L，降水量分别为12、15和18毫米。").metrics
    assert [(m.text, float(m.value), m.value_max and float(m.value_max), m.unit) for m in metrics] == [
        ("0.5-1.2mg/L", 0.5, 1.2, "毫克/升"), ("12", 12, None, "毫米"), ("15", 15, None, "毫米"), ("18毫米", 18, None, "毫米")]


def test_percent_formatted_cells_read_as_shown(rules_pipeline, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目名称", "执行数（万元）", "执行率"])
    sheet.append(["食品安全抽检监测经费", 842.36, 0.9795])
    sheet.append(["特种设备安全监察经费", 405.18, 0.9636])
    sheet["C2"].number_format = "0.00%"
    sheet["C3"].number_format = "0%"
    book.save(tmp_path / "rates.xlsx")
    source = read_source((tmp_path / "rates.xlsx").read_bytes(), "rates.xlsx")
    assert "\t97.95%" in source.text and "\t96%" in source.text
    rates = [m for m in rules_pipeline.extract_file(tmp_path / "rates.xlsx").metrics if m.unit == "%"]
    assert [(m.text, float(m.value)) for m in rates] == [("97.95%", 97.95), ("96%", 96)]
