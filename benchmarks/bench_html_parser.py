"""The HTML tokenizer of normalize.py against the standard library's html.parser (and selectolax).

    python benchmarks/bench_html_parser.py [--runs 20]

normalize._tokens cuts a page into tags, entities and dropped spans with their source offsets;
everything after it (the element tree, chrome, the flattened text and its offset map) reads only
those tokens. This swaps in a tokenizer built on html.parser.HTMLParser (positions from getpos(),
the same dropped-element rule) and compares, on every HTML page of corpus/docs:
- fidelity: the tokens, the flattened text, and the metrics the rule extractor reads (offsets,
  text, value, unit, object, action) must be equal;
- speed: best of --runs over all the pages, each tokenizer alone;
- the hostile shapes: 8,000 unclosed '<a ' (tags that never end), '<![<![' and the deep broken
  page of tests/hostile_shapes.py.
selectolax (lexbor) is timed too when importable (put it on PYTHONPATH): it gives no source offsets,
so it could only be compared on text, and its time is a parse plus the body's text.
"""
import argparse
import bisect
import html.parser
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from reportmine import normalize as nz  # noqa: E402
from reportmine.decode import decode_bytes  # noqa: E402
from timing import best_of  # noqa: E402


class _Collector(html.parser.HTMLParser):
    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        self.raw = []

    def _at(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        start = self._at()
        text = self.get_starttag_text()
        name_end = start + 1 + len(tag)
        self.raw.append(nz._Token(start, start + len(text), "tag", tag, False, self.source[name_end:start + len(text) - 1]))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        start = self._at()
        end = self.source.find(">", start)
        self.raw.append(nz._Token(start, end + 1 if end >= 0 else len(self.source), "tag", tag, True))

    def _entity(self, name):
        start = self._at()
        end = start + 1 + len(name)
        end += self.source.startswith(";", end)
        self.raw.append(nz._Token(start, end, "entity"))

    def handle_entityref(self, name):
        self._entity(name)

    def handle_charref(self, name):
        self._entity("#" + name)

    def _other(self, closer):
        start = self._at()
        end = self.source.find(closer, start)
        self.raw.append(nz._Token(start, end + len(closer) if end >= 0 else len(self.source), "other"))

    def handle_comment(self, data):
        self._other("-->")

    def handle_decl(self, decl):
        self._other(">")

    def handle_pi(self, data):
        self._other(">")

    def unknown_decl(self, data):
        self._other(">")


def parser_tokens(source: str) -> list:
    """normalize._tokens by html.parser: the same tokens, the same rule for dropped elements."""
    collector = _Collector(source)
    collector.feed(source)
    collector.close()
    raw, tokens, index = collector.raw, [], 0
    while index < len(raw):
        token = raw[index]
        if token.kind == "tag" and not token.closing and token.name in nz.DROPPED_TAGS:
            closer = next((k for k in range(index + 1, len(raw)) if raw[k].kind == "tag" and raw[k].closing
                           and raw[k].name == token.name), None)
            if closer is not None:
                tokens.append(nz._Token(token.start, raw[closer].end, "dropped", token.name))
                index = closer + 1
                continue
            if token.name in nz.RAW_TEXT_TAGS:
                tokens.append(nz._Token(token.start, len(source), "unclosed", token.name))
                break
        tokens.append(token)
        index += 1
    return tokens


def metrics(pipeline, path):
    return [(m.start, m.end, m.text, str(m.value), m.unit, m.object, m.action)
            for m in pipeline.extract_file(path).metrics]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from reportmine import Pipeline

    paths = sorted(p for p in (ROOT / "corpus" / "docs").iterdir() if p.suffix == ".html")
    pages = [decode_bytes(p.read_bytes()).text for p in paths]
    chars = sum(len(p) for p in pages)
    print(f"{len(pages)} HTML pages in corpus/docs, {chars:,} characters")

    same_tokens = same_text = 0
    for path, page in zip(paths, pages):
        ours, theirs = nz._tokens(page), parser_tokens(page)
        same_tokens += ours == theirs
        original = nz._tokens
        try:
            nz._tokens = parser_tokens
            text = nz.html_to_text(page).text
        finally:
            nz._tokens = original
        same_text += text == nz.html_to_text(page).text
        if ours != theirs:
            first = next((a, b) for a, b in zip(ours + [None] * len(theirs), theirs + [None] * len(ours)) if a != b)
            print(f"  {path.name}: tokens differ first at {first}")
    pipeline = Pipeline(extractor="rules")
    reference = [metrics(pipeline, p) for p in paths]
    original = nz._tokens
    try:
        nz._tokens = parser_tokens
        swapped = [metrics(pipeline, p) for p in paths]
    finally:
        nz._tokens = original
    same_metrics = sum(a == b for a, b in zip(reference, swapped))
    print(f"fidelity: tokens equal on {same_tokens}/{len(pages)} pages, flattened text on {same_text}/{len(pages)}, "
          f"metrics on {same_metrics}/{len(pages)} ({sum(map(len, reference))} metrics)")

    ours, _ = best_of(args.runs, lambda: [nz._tokens(p) for p in pages])
    theirs, _ = best_of(args.runs, lambda: [parser_tokens(p) for p in pages])
    whole, _ = best_of(args.runs, lambda: [nz.html_to_text(p) for p in pages])
    print(f"speed (best of {args.runs}): regex tokenizer {ours * 1000:.1f} ms ({chars / ours / 1e6:.1f} M chars/s), "
          f"html.parser tokenizer {theirs * 1000:.1f} ms ({theirs / ours:.1f}x); whole html_to_text {whole * 1000:.1f} ms")
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError:
        print("selectolax: not importable (pip install selectolax, then put it on PYTHONPATH)")
    else:
        lexbor, _ = best_of(args.runs, lambda: [LexborHTMLParser(p).body.text(separator="\n") for p in pages])
        print(f"selectolax (lexbor) parse + body text: {lexbor * 1000:.1f} ms ({lexbor / ours:.2f}x the regex "
              f"tokenizer; no source offsets, so no metric offsets: not a replacement)")

    from hostile_shapes import build

    for name, page in (("8,000 unclosed '<a ', no '>' after them", "<html><body><p>检查企业12家</p>" + "<a " * 8000),
                       ("'<![<!['", "<html><body><p>检查企业12家</p><![<![</body></html>"),
                       ("deep broken HTML, 24,000 chars", build("deep_html", 24000)[0])):
        ours, _ = best_of(3, lambda: nz._tokens(page))
        started = time.perf_counter()
        try:
            parser_tokens(page)
            result = f"{time.perf_counter() - started:.3f} s"
        except Exception as exc:  # noqa: BLE001 - what the standard parser does with it is the finding
            result = f"raises {type(exc).__name__}: {str(exc)[:60]}"
        print(f"{name}: regex tokenizer {ours:.4f} s, html.parser {result}")


if __name__ == "__main__":
    sys.exit(main())
