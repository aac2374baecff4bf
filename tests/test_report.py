"""Audit views: `reportmine report` (an index page and a page per document, checked in headless
Chromium) and `reportmine show`."""
import base64
import hashlib
import html
import io
import json
import shutil
import subprocess
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportmine.cli import app
from reportmine.decode import decode_bytes
from reportmine.normalize import normalize
from reportmine.report import (DOCUMENT_SCRIPT, INDEX_SCRIPT, PAGES_MARK, highlight_segments, load_audit,
                               normalized_span, render_document, render_index, show_document,
                               write_report)

from conftest import CORPUS

runner = CliRunner()
CHROMIUM = Path("/usr/bin/chromium")
DOCS = CORPUS / "docs"
DOCS_LIST = sorted(DOCS.iterdir())


# ---- documents that stress the offsets: CR LF, a leading newline, astral characters, markup-like
# text in a .txt, entities in an .html, UTF-16 and GB18030 bytes
TRICKY = {
    "crlf.txt": "\r\n2021年工作总结\r\n检查企业128家次，发现隐患242项。\r\n整改率95.6%。\r\n".encode("utf-8"),
    "leading.txt": "\n应急管理局2021年检查企业12家次。\n".encode("utf-8"),
    "astral.txt": "𠀀𠀁测试𝟘：2022年全县检查企业56家次，罚款12.5万元。<b>&amp;</b> 培训300人次。".encode("utf-8"),
    "entities.html": ("<html><head><title>某县应急管理局</title></head><body><div class=\"article\">"
                      "<p>2023年&nbsp;某县应急管理局检查企业<strong>1,024家</strong>，约&nbsp;9500个充电端口，"
                      "罚款&lt;不含&gt;36.5万元。</p></div></body></html>").encode("utf-8"),
    "utf16.txt": "\ufeff应急管理局2020年发现隐患1,200项，整改1,150项，整改率95.8%。".encode("utf-16-le"),
    "gbk.txt": "鞍山市应急管理局2022年开展演练560场次，培训3.4万人次。".encode("gb18030"),
}


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tricky")
    for name, data in TRICKY.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def audits(tricky):
    found = load_audit([DOCS, tricky])
    assert len(found) == len(list(DOCS.iterdir())) + len(TRICKY)
    return found


def flat(output: str) -> str:
    """Command output with rich's line wrapping undone."""
    return " ".join(output.split())


def original_of(path: Path) -> str:
    return decode_bytes(path.read_bytes()).text


# ---- the segments ------------------------------------------------------------------------
def test_highlight_segments_cut_at_every_edge_and_keep_overlaps():
    segments = highlight_segments(10, [(2, 5), (4, 7), (8, 8), (9, 12), (None, 3)])
    assert segments == [(0, 2, []), (2, 4, [0]), (4, 5, [0, 1]), (5, 7, [1]), (7, 10, [])]
    assert highlight_segments(0, [(0, 1)]) == []


# ---- the page, read by Python's HTML parser -------------------------------------------------
class PageReader(HTMLParser):
    """Each <section class="doc">: the text of its <pre class="src"> and, per metric id, the
    (offset, text) pieces of the marks that carry it; offsets count code points, like Python."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.docs = []
        self.in_pre = False
        self.marks = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "doc" in (attrs.get("class") or "").split():
            self.docs.append({"doc": attrs["data-doc"], "text": "", "pieces": {}, "warnings": {}})
        elif tag == "pre" and "src" in (attrs.get("class") or "").split():
            self.in_pre = True
            self.first = True
            self.docs[-1]["rendered"] = "rendered" in attrs["class"].split()
        elif tag == "mark" and self.in_pre:
            self.marks.append(attrs)

    def handle_endtag(self, tag):
        if tag == "pre":
            self.in_pre = False
        elif tag == "mark" and self.in_pre:
            self.marks.pop()

    def handle_data(self, data):
        if not self.in_pre:
            return
        if self.first:  # an HTML parser drops the newline right after <pre>
            data = data[1:] if data.startswith("\n") else data
            self.first = False
        current = self.docs[-1]
        for mark in self.marks:
            for key, store in (("data-m", "pieces"), ("data-w", "warnings")):
                for index in (mark.get(key) or "").split():
                    current[store].setdefault(int(index), []).append((len(current["text"]), data))
        current["text"] += data


def joined(pieces):
    """[(offset, text)] of one highlight -> (start, end, text); the pieces must touch."""
    start = pieces[0][0]
    position = start
    for offset, text in pieces:
        assert offset == position, pieces
        position += len(text)
    return start, position, "".join(text for _, text in pieces)


def check_page(docs, audits):
    """Each page shows its document's text (a text file's decoded original exactly, an HTML page's
    text as read, without markup) with every metric highlighted where its offsets land."""
    by_name = {a.document.doc: a for a in audits}
    assert sorted(d["doc"] for d in docs) == sorted(by_name)
    checked = 0
    for page in docs:
        audit = by_name[page["doc"]]
        source = original_of(Path(audit.document.path))
        shown = audit.shown()
        assert page["text"] == shown.text, page["doc"]
        assert page.get("rendered", shown.rendered) == shown.rendered == audit.is_html, page["doc"]
        if not audit.is_html:
            assert page["text"] == source, page["doc"]
        assert set(page["pieces"]) == set(range(len(audit.document.metrics))), page["doc"]
        for index, metric in enumerate(audit.document.metrics):
            assert source[metric.start:metric.end] == metric.text
            start, end = shown.span(metric.start, metric.end)
            assert joined(page["pieces"][index]) == (start, end, shown.text[start:end]), (page["doc"], metric.text)
            if not audit.is_html:
                assert (start, end) == (metric.start, metric.end)
            else:  # the figure as read: the metric's source text without its markup
                assert shown.text[start:end] == html_text(metric.text), (page["doc"], metric.text)
            checked += 1
        spans = [w for w in audit.document.warnings if w.start is not None]
        for index, warning in enumerate(spans):
            where = shown.span(warning.start, warning.end)
            if where is None:
                assert index not in page["warnings"]  # inside dropped markup: listed, not highlighted
                continue
            start, end, _ = joined(page["warnings"][index])
            assert (start, end) == where
    return checked


def html_text(fragment: str) -> str:
    """A fragment of an HTML page's source as read: tags dropped, entities decoded (&nbsp; a space)."""
    import html as html_module
    import re

    return html_module.unescape(re.sub(r"<[^>]*>", "", fragment)).replace("\xa0", " ")


def document_pages(audits):
    return [render_document(audit, number, len(audits)) for number, audit in enumerate(audits)]


def read_pages(pages):
    reader = PageReader()
    for page in pages:
        reader.feed(page)
    return reader.docs


def read_report(index: Path):
    """The documents of a written report: (index page, [parsed document pages in order])."""
    index_page, folder = report_layout_of(index)
    pages = sorted((p for p in folder.glob("*.html")), key=lambda p: int(p.stem))
    return index_page.read_text(encoding="utf-8"), read_pages(p.read_text(encoding="utf-8") for p in pages)


def report_layout_of(index: Path):
    return index, index.with_name(index.stem + "_files") if index.name != "index.html" else index.parent / "docs"


def test_every_metric_is_highlighted_at_its_offsets(audits):
    docs = read_pages(document_pages(audits))
    assert check_page(docs, audits) == sum(len(a.document.metrics) for a in audits) > 900


def test_pages_are_self_contained_and_run_only_their_own_script(audits):
    for page, script in ((render_index(audits), INDEX_SCRIPT), (render_document(audits[0], 0, 3), DOCUMENT_SCRIPT)):
        assert "<script src" not in page and "<link" not in page and "@import" not in page and "url(" not in page
        head = page.split("<body>")[0]
        assert "http://" not in head and "https://" not in head
        assert page.count("<script>") == 1 and f"<script>{script}</script>" in page
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"script-src 'sha256-{digest}'" in head and "default-src 'none'" in head


def test_mojibake_warnings_are_highlighted_and_listed(audits):
    audit = next(a for a in audits if a.document.doc.startswith("c05_"))
    page = render_document(audit)
    corrupt = [w for w in audit.document.warnings if w.code == "corrupt_text"]
    assert len(corrupt) >= 3
    assert page.count('class="w"') + page.count(" w\"") >= len(corrupt)
    assert "corrupt_text" in page and "锟斤拷" in page


# ---- the index and the pages -------------------------------------------------------------------
def test_index_grows_by_a_small_bounded_amount_per_document_and_holds_no_text(audits):
    # the one page of before was 22.6 MB for 500 documents (every text in it); the index holds a
    # row per document, the texts are in the documents' pages
    small, large = render_index(audits), render_index(audits * 8)
    per_document = (len(large.encode()) - len(small.encode())) / (len(audits) * 7)
    assert per_document < 700, per_document
    assert len(large.encode()) < 2_000_000 * len(audits) * 8 / 500 / 2  # 500 documents: well under 2 MB
    checked = 0
    for audit in audits:
        shown = audit.shown()
        if shown is None or len(shown.text) < 300:
            continue  # a one-line note is its own title
        metric = audit.document.metrics[len(audit.document.metrics) // 2]
        start, end = shown.span(metric.start, metric.end)
        sentence = shown.text[max(0, start - 12):end + 12]  # a figure in its words: document text
        assert html.escape(sentence, quote=False) not in large and sentence not in large, audit.document.doc
        checked += 1
    assert checked == len(DOCS_LIST)
    assert 'href="docs/1.html"' in small and f'href="docs/{len(audits)}.html"' in small


def test_report_cli_writes_an_index_and_a_page_per_document(tmp_path, tricky):
    index = tmp_path / "out" / "report.html"
    result = runner.invoke(app, ["report", str(DOCS), str(tricky), "-o", str(index)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "report_files"
    names = sorted(p.name for p in folder.glob("*.html"))
    audits = load_audit([DOCS, tricky])
    assert names == sorted(f"{n}.html" for n in range(1, len(audits) + 1))
    page_text, docs = read_report(index)
    assert [d["doc"] for d in docs] == [a.document.doc for a in audits]
    assert check_page(docs, audits) == sum(len(a.document.metrics) for a in audits)
    assert page_text.count('<a href="report_files/') == len(audits)
    first = (folder / "1.html").read_text(encoding="utf-8")
    assert 'href="../report.html"' in first and 'href="2.html"' in first and "previous" not in first
    # every figure highlighted, with its tooltip naming the rules that decided its fields
    assert first.count("<mark ") >= len(audits[0].document.metrics) and "rule words-" in first
    # a second, smaller report replaces the pages whole: no page of the first is left
    result = runner.invoke(app, ["report", str(tricky), "-o", str(index)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.glob("*.html")) == sorted(f"{n}.html" for n in range(1, len(TRICKY) + 1))
    assert (folder / PAGES_MARK).is_file() and not list(tmp_path.glob("out/*.partial")) and not list(tmp_path.glob("out/*.old"))
    # a folder: FOLDER/index.html and FOLDER/docs/
    result = runner.invoke(app, ["report", str(tricky), "-o", str(tmp_path / "audit")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "audit" / "index.html").is_file() and (tmp_path / "audit" / "docs" / "1.html").is_file()
    assert 'href="../index.html"' in (tmp_path / "audit" / "docs" / "1.html").read_text(encoding="utf-8")
    # a folder reportmine did not write is never replaced
    (tmp_path / "mine_files").mkdir()
    (tmp_path / "mine_files" / "notes.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["report", str(tricky), "-o", str(tmp_path / "mine.html")])
    assert result.exit_code == 2 and "not written by reportmine" in flat(result.output)
    assert (tmp_path / "mine_files" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_an_html_page_is_shown_as_its_text_without_markup(audits):
    for audit in audits:
        if not audit.is_html:
            continue
        page = read_pages([render_document(audit)])[0]
        assert page["rendered"], audit.document.doc
        for tag in ("<p", "<div", "<strong", "<span", "<td", "<br", "<script", "<html", "<head", "&nbsp;", "&lt;"):
            assert tag not in page["text"], (audit.document.doc, tag)
        assert len(page["text"]) < 0.8 * len(audit.original)
    entities = next(a for a in audits if a.document.doc == "entities.html")
    page = read_pages([render_document(entities)])[0]
    assert "罚款<不含>36.5万元" in page["text"] and "检查企业1,024家" in page["text"]
    figures = {entities.shown().text[slice(*entities.shown().span(m.start, m.end))] for m in entities.document.metrics}
    assert "1,024家" in figures and any(f.endswith("36.5万元") for f in figures), figures
    # a tag inside a figure is dropped from it, and the table says what the source held
    c01 = next(a for a in audits if a.document.doc.startswith("c01_"))
    rendered = render_document(c01)
    assert "386.5万元" in read_pages([rendered])[0]["text"] and "source: <code>386.5&lt;/strong&gt;万元</code>" in rendered


HOSTILE = {
    "x.txt": '<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>检查企业12家。',
    "y.html": ('<html><head><title>"><script>alert(4)</script></title></head><body><p>'
               '&lt;script&gt;alert(5)&lt;/script&gt;&lt;img src=x onerror=alert(6)&gt;检查企业7家，'
               '<img src="x" onerror="alert(7)">罚款3万元。<a href="javascript:alert(8)">链接</a></p>'
               '<script>alert(9)</script></body></html>'),
    '<img src=x onerror=alert(10)>"\'.txt': "检查企业5家。",
}


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.in_script = tag == "script"
        if self.in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts[-1] += data


def test_no_page_runs_or_loads_what_a_document_holds(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in HOSTILE.items():
        (docs / name).write_text(text, encoding="utf-8")
    index = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(docs), "-o", str(index), "--title", "</title><script>alert(11)</script>"])
    assert result.exit_code == 0, result.output
    pages = [index] + sorted((tmp_path / "r_files").glob("*.html"))
    assert len(pages) == 4
    for page in pages:
        collector = TagCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        assert collector.scripts in ([INDEX_SCRIPT], [DOCUMENT_SCRIPT]), page.name
        assert not {tag for tag, _ in collector.tags} & {"img", "svg", "iframe", "object", "embed", "base", "form"}
        for tag, attrs in collector.tags:
            assert not any(name.startswith("on") for name in attrs), (page.name, tag, attrs)
            assert not any("javascript:" in (value or "") for value in attrs.values()), (page.name, tag, attrs)
    shown = read_pages([p.read_text(encoding="utf-8") for p in pages[1:]])
    texts = {d["doc"]: d["text"] for d in shown}
    assert texts["x.txt"] == HOSTILE["x.txt"]  # markup in a text file is text, shown as written
    assert "<script>alert(5)</script>" in texts["y.html"] and "alert(9)" not in texts["y.html"]


# ---- headless Chromium --------------------------------------------------------------------
PROBE = """
<script>
(function(){
  var out = [];
  document.querySelectorAll('section.doc').forEach(function(section){
    var pre = section.querySelector('pre.src');
    var doc = {doc: section.dataset.doc, text: '', pieces: {}, warnings: {}};
    if (pre) {
      var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT), node, position = 0;
      while ((node = walker.nextNode())) {
        var length = Array.from(node.data).length;   // code points, as Python counts
        for (var el = node.parentElement; el && el !== pre; el = el.parentElement) {
          if (el.tagName !== 'MARK') continue;
          [['m', 'pieces'], ['w', 'warnings']].forEach(function(kind){
            (el.dataset[kind[0]] || '').split(' ').filter(Boolean).forEach(function(id){
              (doc[kind[1]][id] = doc[kind[1]][id] || []).push([position, node.data]);
            });
          });
        }
        doc.text += node.data;
        position += length;
      }
    }
    out.push(doc);
  });
  var result = document.createElement('div');
  result.id = 'probe-result';
  result.setAttribute('data-json', encodeURIComponent(JSON.stringify(out)));
  document.body.appendChild(result);
})();
</script>
"""


class ProbeReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.result = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "probe-result":
            self.result = json.loads(urllib.parse.unquote(attrs["data-json"]))


def chromium_dom(page: Path, profile: Path) -> str:
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--dump-dom", page.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


NEEDS_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(), reason="headless Chromium not installed at "
                                    "/usr/bin/chromium (apt-get install -y chromium chromium-driver)")


@NEEDS_CHROMIUM
def test_highlights_sit_at_the_offsets_in_headless_chromium(audits, tmp_path):
    index = write_report(audits, tmp_path / "report.html")
    # one browser run for all the pages: their <main> parts, byte for byte, in one page with the probe
    # (and without the pages' Content-Security-Policy, which would stop the probe)
    pages = [(tmp_path / "report_files" / f"{n}.html").read_text(encoding="utf-8") for n in range(1, len(audits) + 1)]
    mains = [page[page.index("<main>"):page.index("</main>") + len("</main>")] for page in pages]
    assert all(page.count("</body>") == 1 for page in pages)
    head = pages[0][:pages[0].index("<body>")]
    head = "\n".join(line for line in head.split("\n") if "Content-Security-Policy" not in line)
    probed = tmp_path / "probed.html"
    probed.write_text(f"{head}<body>{''.join(mains)}{PROBE}</body></html>", encoding="utf-8")
    reader = ProbeReader()
    reader.feed(chromium_dom(probed, tmp_path / "profile"))
    assert reader.result is not None, "the probe did not run in Chromium"
    docs = [{"doc": d["doc"], "text": d["text"],
             "pieces": {int(k): [tuple(p) for p in v] for k, v in d["pieces"].items()},
             "warnings": {int(k): [tuple(p) for p in v] for k, v in d["warnings"].items()}} for d in reader.result]
    # the rendered DOM holds each text exactly (a text file's original: CR, leading newline, astral
    # characters, markup in plain text; an HTML page's text as read) and every metric's highlight is
    # where its offsets land
    assert check_page(docs, audits) == sum(len(a.document.metrics) for a in audits)
    assert any("\r" in d["text"] for d in docs) and any("𠀀" in d["text"] for d in docs)
    assert index.is_file()


@NEEDS_CHROMIUM
def test_pages_own_scripts_run_under_their_policy_in_headless_chromium(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in HOSTILE.items():
        (docs / name).write_text(text, encoding="utf-8")
    shutil.copy(DOCS / "c01_yichang_fire_q1.html", docs)
    index = tmp_path / "r.html"
    assert runner.invoke(app, ["report", str(docs), "-o", str(index)]).exit_code == 0
    for page in sorted((tmp_path / "r_files").glob("*.html")):
        dom = chromium_dom(page, tmp_path / "profile")
        collector = TagCollector()
        collector.feed(dom)
        marks = [attrs for tag, attrs in collector.tags if tag == "mark"]
        # the page's script ran (its Content-Security-Policy allows it by hash): each highlight's
        # tooltip moved from title to data-tip; nothing of the documents became an element
        assert marks and all("data-tip" in m and "title" not in m for m in marks), page.name
        assert not {tag for tag, _ in collector.tags} & {"img", "svg", "iframe"}, page.name
        assert len(collector.scripts) == 1, page.name
    fire = next(p for p in (tmp_path / "r_files").glob("*.html") if "c01_yichang" in p.read_text(encoding="utf-8"))
    assert "rule " in chromium_dom(fire, tmp_path / "profile")  # the evidence in the tooltips


# ---- results files --------------------------------------------------------------------------
def test_report_from_results_equals_report_from_folder(tmp_path, tricky):
    out = tmp_path / "results.jsonl"
    assert runner.invoke(app, ["extract", str(tricky), "-o", str(out), "--quiet"]).exit_code == 0
    folder = load_audit([tricky])
    from_folder = [render_index(folder)] + document_pages(folder)
    # the journal next to the results holds whole documents: same pages as extracting again
    results = load_audit([out])
    assert [render_index(results)] + document_pages(results) == from_folder
    # without the journal, the metrics file and the source folder give the same highlights and warnings
    Path(str(out) + ".journal.jsonl").unlink()
    again = load_audit([out], sources=[tricky])
    reference = {a.document.doc: a for a in load_audit([tricky])}
    assert [a.document.doc for a in again] == list(reference)
    for audit in again:
        expected = reference[audit.document.doc]
        assert audit.original == expected.original
        assert [m.model_dump() for m in audit.document.metrics] == [m.model_dump() for m in expected.document.metrics]
        assert audit.document.warnings == expected.document.warnings
        assert not audit.problems and not audit.mismatched


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_report_cli_reads_csv_and_parquet_results_with_source(tmp_path, suffix):
    import shutil

    moved = tmp_path / "moved"
    moved.mkdir()
    for name in ("c05_yingzhou_market_2023h1_mojibake.txt", "c03_taishan_env_2021h1.txt"):
        shutil.copy(DOCS / name, tmp_path / name)
    out = tmp_path / f"results{suffix}"
    assert runner.invoke(app, ["extract", str(tmp_path / "c05_yingzhou_market_2023h1_mojibake.txt"),
                               str(tmp_path / "c03_taishan_env_2021h1.txt"), "-o", str(out), "--quiet"]).exit_code == 0
    Path(str(out) + ".journal.jsonl").unlink()
    html_out = tmp_path / "report.html"
    found = runner.invoke(app, ["report", str(out), "-o", str(html_out)])
    assert found.exit_code == 0, found.output  # the rows' doc_path leads to the texts
    for name in ("c05_yingzhou_market_2023h1_mojibake.txt", "c03_taishan_env_2021h1.txt"):
        (tmp_path / name).rename(moved / name)
    missing = runner.invoke(app, ["report", str(out), "-o", str(html_out)])
    assert missing.exit_code == 3 and "--source" in flat(missing.output)  # written, but the texts were not found
    result = runner.invoke(app, ["report", str(out), "-o", str(html_out), "--source", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.output
    _, docs = read_report(html_out)
    audits = load_audit([out], sources=[CORPUS])
    assert check_page(docs, audits) == sum(len(a.document.metrics) for a in audits) > 60


def test_report_flags_a_source_that_changed_after_extraction(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    doc = docs / "a.txt"
    doc.write_text("2021年工作总结\n检查企业128家次，发现隐患242项。", encoding="utf-8")
    out = tmp_path / "m.jsonl"
    assert runner.invoke(app, ["extract", str(docs), "-o", str(out), "--quiet"]).exit_code == 0
    doc.write_text("前言。2021年工作总结\n检查企业128家次，发现隐患242项。", encoding="utf-8")
    html_out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(out), "-o", str(html_out)])
    assert result.exit_code == 3 and "offsets do not hold" in flat(result.output)
    page = (tmp_path / "r_files" / "1.html").read_text(encoding="utf-8")
    assert "changed after the extraction" in page and 'class="bad"' in page
    assert ">check</td>" in html_out.read_text(encoding="utf-8")  # the index says which page to check


def test_report_cli_arguments(tmp_path):
    assert runner.invoke(app, ["report", str(DOCS), "-o", str(tmp_path / "r.txt")]).exit_code == 2
    assert runner.invoke(app, ["report", str(tmp_path / "nope"), "-o", str(tmp_path / "r.html")]).exit_code == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["report", str(bad), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2 and "not a metrics file" in flat(result.output)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "x.txt").write_bytes(b"")
    result = runner.invoke(app, ["report", str(empty), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 3 and (tmp_path / "r.html").exists()


# ---- the terminal view ----------------------------------------------------------------------
def test_show_prints_the_text_with_numbered_metrics_and_the_table():
    path = DOCS / "a06_fujian_dongshan_2020_trad.txt"
    result = runner.invoke(app, ["show", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    document = load_audit([path])[0].document
    assert f"[{len(document.metrics)}]" in result.output and "metrics" in result.output
    normalized = normalize(original_of(path), __import__("reportmine").load_lexicons())
    first = document.metrics[0]
    span = normalized_span(normalized, first.start, first.end)
    assert f"{normalized.text[span[0]:span[1]]}[1]" in result.output
    original = runner.invoke(app, ["show", str(path), "--original", "--no-text"], env={"COLUMNS": "200"})
    assert original.exit_code == 0 and "[1]" not in original.output and first.text in original.output


def test_show_maps_every_metric_into_the_normalized_text_and_back():
    from reportmine.pipeline import default_pipeline

    pipeline = default_pipeline()
    for path in sorted(DOCS.iterdir()):
        document = pipeline.extract_file(path)
        normalized = normalize(original_of(path), pipeline.lexicons,
                               is_html=True if path.suffix == ".html" else None)
        for metric in document.metrics:
            span = normalized_span(normalized, metric.start, metric.end)
            assert span is not None and normalized.to_original(*span) == (metric.start, metric.end), (path.name, metric.text)


def test_show_highlights_corruption_and_fails_on_unreadable(tmp_path):
    from rich.console import Console

    console = Console(record=True, width=160, force_terminal=True, color_system="truecolor", file=io.StringIO())
    document = show_document(DOCS / "c05_yingzhou_market_2023h1_mojibake.txt", console)
    text = console.export_text(styles=False, clear=False)
    assert "corrupt_text" in text and len(document.metrics) > 20
    styled = console.export_text(styles=True)
    assert "锟斤拷" in text and "\x1b[1;37;41m锟斤拷" in styled  # corrupted text: bold white on red
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["show", str(empty)])
    assert result.exit_code == 3 and "error" in result.output
    assert runner.invoke(app, ["show", str(tmp_path / "missing.txt")]).exit_code == 2


# ---- the CJK font the notebooks use ----------------------------------------------------------
def test_cjk_font_is_shipped_and_covers_chinese():
    pytest.importorskip("matplotlib", reason='matplotlib not installed (pip install -e ".[notebooks]")')
    pytest.importorskip("mplfonts", reason='mplfonts not installed (pip install -e ".[notebooks]")')
    from matplotlib.ft2font import FT2Font

    from reportmine.report import cjk_font_path, use_cjk_font

    family = use_cjk_font()
    assert "CJK" in family
    font = FT2Font(str(cjk_font_path()))
    assert all(font.get_char_index(ord(c)) for c in "隆回县应急管理局检查企业隐患整改率罚款（万元）")
