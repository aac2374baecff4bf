"""Reading PDFs and spreadsheets, against extracting their text in the same run.

    python benchmarks/bench_readers.py [--pages 100] [--runs 3] [--libraries]

Writes a PDF of about --pages pages from the corpus's texts (fpdf2 with the CJK font mplfonts
ships: wrapped lines, running header, page numbers; tables ruled), and, where LibreOffice is
installed, the same texts as a DOCX exported to PDF by it (a Word-like producer). For each it
times reportmine's reader (readers.read_source) and the extraction of the text it returns
(Pipeline.extract_text, rules and, with the model extra, the default combined extractor); the
issue's target is reading faster than extracting (a ratio below 1).

--libraries also times the candidate PDF readers on the same files (PDFium's plain text,
pdfplumber, pdfminer.six, where installed) and compares the characters they return with the
source text, and the candidate sheet readers (python-calamine, openpyxl, xlrd) on a sheet of
20,000 rows: the measurements behind the choice of pypdfium2 and python-calamine.
"""
import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import docmaker  # noqa: E402  (tests/docmaker.py: the test documents' writers)

from reportmine.decode import decode_bytes  # noqa: E402
from reportmine.readers import read_source  # noqa: E402
from timing import best_of  # noqa: E402


def corpus_text(characters: int) -> str:
    """Corpus texts (UTF-8 ones, whole documents) until about `characters`, the first line a title."""
    parts, total = ["2024年度统计与工作报告汇编"], 0
    while total < characters:
        for path in sorted((ROOT / "corpus" / "docs").glob("*.txt")):
            text = decode_bytes(path.read_bytes()).text
            # characters the test font lacks (emoji) would be dropped by the PDF and skew the comparison
            text = "".join(ch for ch in text if ch <= "\uffff" and ch not in "\ufffd©•▶✅")
            parts.append(text)
            total += len(text)
            if total >= characters:
                break
    return "\n".join(parts)


def libreoffice_pdf(text: str, folder: Path):
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    source = folder / "report.docx"
    source.write_bytes(docmaker.docx_bytes(text))
    subprocess.run([soffice, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)], capture_output=True, timeout=600)
    pdf = folder / "report.pdf"
    return pdf.read_bytes() if pdf.exists() else None


def pdf_libraries(name: str, data: bytes, text: str, runs: int) -> None:
    """Seconds and fidelity (share of the source's lines found whole, whitespace aside) per library."""
    space = re.compile(r"[\s\u3000]+")
    lines = [space.sub("", line) for line in text.splitlines() if len(space.sub("", line)) >= 4]
    candidates = {}
    try:
        import pypdfium2

        def pdfium():
            document = pypdfium2.PdfDocument(data)
            return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))

        candidates["pypdfium2 (PDFium, plain text)"] = pdfium
        candidates["reportmine reader (pypdfium2 + layout)"] = lambda: read_source(data, "x.pdf").text
    except ImportError:
        pass
    try:
        import pdfplumber

        def plumber():
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                return "\n".join(page.extract_text() or "" for page in pdf.pages)

        candidates["pdfplumber"] = plumber
    except ImportError:
        pass
    try:
        from pdfminer.high_level import extract_text

        candidates["pdfminer.six"] = lambda: extract_text(io.BytesIO(data))
    except ImportError:
        pass
    for label, function in candidates.items():
        seconds, out = best_of(runs if "pdfium" in label or "reportmine" in label else 1, function)
        flat = space.sub("", out)
        found = sum(1 for line in lines if line in flat)
        print(f"  {name}: {label:40s} {seconds:7.3f} s   source lines found whole {found}/{len(lines)}")


def sheet_libraries(folder: Path, runs: int) -> None:
    import random

    try:
        import openpyxl
        import python_calamine
        import xlrd
        import xlwt
    except ImportError as exc:
        print(f"  sheets: {exc.name} not installed, skipped")
        return
    rng = random.Random(1)
    rows = [["指标", "单位", "2022年", "2023年", "增长率"]] + [
        [f"指标{i}", "万元", round(rng.random() * 1e4, 2), round(rng.random() * 1e4, 2), rng.random()] for i in range(20000)]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(folder / "s.xlsx")
    old = xlwt.Workbook()
    sheet = old.add_sheet("s")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    old.save(str(folder / "s.xls"))

    def calamine(path):
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        return [book.get_sheet_by_name(name).to_python() for name in book.sheet_names]

    def with_openpyxl():
        book = openpyxl.load_workbook(folder / "s.xlsx", read_only=True, data_only=True)
        values = [[(cell.value, cell.number_format) for cell in row] for row in book.active.iter_rows()]
        book.close()
        return values

    def with_xlrd():
        sheet = xlrd.open_workbook(str(folder / "s.xls")).sheet_by_index(0)
        return [sheet.row_values(i) for i in range(sheet.nrows)]

    for label, function, n in (("python-calamine .xlsx", lambda: calamine(folder / "s.xlsx"), runs),
                               ("openpyxl .xlsx (read-only)", with_openpyxl, 1),
                               ("python-calamine .xls", lambda: calamine(folder / "s.xls"), runs),
                               ("xlrd .xls", with_xlrd, runs)):
        seconds, _ = best_of(n, function)
        print(f"  sheet of 20,001 rows x 5: {label:28s} {seconds:7.3f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="about how many pages the PDFs have")
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the best is kept")
    parser.add_argument("--libraries", action="store_true", help="also time the candidate PDF and sheet libraries")
    args = parser.parse_args()

    from reportmine import Pipeline

    text = corpus_text(args.pages * 1300)  # about 1,300 characters a page at 12 pt on A4
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        files = {"fpdf2 PDF": docmaker.pdf_bytes(text)}
        exported = libreoffice_pdf(text, folder)
        if exported:
            files["LibreOffice PDF"] = exported
        pipelines = {"rules": Pipeline(extractor="rules")}
        default = Pipeline()
        if default.extractor != "rules":
            pipelines[default.extractor] = default
        for name, data in files.items():
            read_seconds, source = best_of(args.runs, lambda: read_source(data, "report.pdf"))
            print(f"{name}: {len(source.page_starts)} pages, {len(data):,} bytes, {len(source.text):,} characters; "
                  f"read in {read_seconds:.3f} s")
            for label, pipeline in pipelines.items():
                extract_seconds, _ = best_of(args.runs, lambda: pipeline.extract_text(source.text))
                print(f"  extracting its text ({label}): {extract_seconds:.3f} s; "
                      f"reading / extracting = {read_seconds / extract_seconds:.2f}")
            if args.libraries:
                pdf_libraries(name, data, text, args.runs)
        if args.libraries:
            sheet_libraries(folder, args.runs)


if __name__ == "__main__":
    main()
