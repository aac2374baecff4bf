"""The rule package as a whole: evidence on every decided field, re-entrant extraction, the
lexicon schema, and no import cycles."""
import ast
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from reportmine.rules.passes import PASS_RULES as PASSES

from conftest import CORPUS

SRC = Path(__file__).resolve().parents[1] / "src" / "reportmine"
PASS_RULES = set(PASSES) | {"tagger"}


def known_rule(name: str) -> bool:
    from reportmine.rules.attribution import RULES

    return name.split("/")[0] in RULES or name in PASS_RULES or name in {
        "share-of-figure-before", "rate-words-after", "rate-subject", "list-goes-on", "breakdown-goes-on",
        "rate-measures-work-done", "period-phrase", "comparison-base"}


@pytest.fixture(scope="module")
def corpus_documents(rules_pipeline):
    return [rules_pipeline.extract_file(path) for path in sorted((CORPUS / "docs").iterdir())]


def test_every_decided_field_names_a_known_rule_and_a_span_of_the_original(corpus_documents):
    from reportmine.decode import decode_bytes

    checked = 0
    for document in corpus_documents:
        original = decode_bytes(Path(document.path).read_bytes()).text
        for metric in document.metrics:
            if metric.object:
                assert "object" in metric.evidence, (document.doc, metric.text)
            if metric.action:
                assert "action" in metric.evidence, (document.doc, metric.text)
            if metric.breakdown:
                assert "scope" in metric.evidence, (document.doc, metric.text)
            for name, found in metric.evidence.items():
                assert known_rule(found.rule), found.rule
                assert 0 <= found.start <= found.end <= len(original)
                checked += 1
    assert checked > 5000


def test_evidence_points_at_the_words_it_read(rules_pipeline):
    document = rules_pipeline.extract_text("今年以来，全县检查企业128家次，发现隐患242项。")
    first = document.metrics[0]
    text = "今年以来，全县检查企业128家次，发现隐患242项。"
    assert (first.object, first.action) == ("企业", "检查")
    assert text[first.evidence["object"].start:first.evidence["object"].end] == "企业"
    assert text[first.evidence["action"].start:first.evidence["action"].end] == "检查"
    assert first.evidence["object"].rule.startswith("words-before-figure")


def test_evidence_is_written_to_every_output_format(tmp_path):
    import pandas as pd

    from reportmine.batch import run_batch

    source = tmp_path / "a.txt"
    source.write_text("全县检查企业128家次，发现隐患242项。", encoding="utf-8")
    run_batch([source], tmp_path / "m.jsonl", workers=1, extractor="rules")
    run_batch([source], tmp_path / "m.csv", workers=1, extractor="rules")
    row = json.loads((tmp_path / "m.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert row["evidence"]["object"]["rule"].startswith("words-before-figure")
    cell = pd.read_csv(tmp_path / "m.csv")["evidence"].iloc[0]
    assert json.loads(cell)["action"]["start"] == row["evidence"]["action"]["start"]


def test_one_extractor_serves_several_threads_with_the_same_results(rules_pipeline):
    from reportmine.decode import decode_bytes

    texts = [decode_bytes(path.read_bytes()).text for path in sorted((CORPUS / "docs").iterdir())[:12]]
    alone = [[(m.start, m.object, m.action) for m in rules_pipeline.extract_text(t).metrics] for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda t: [(m.start, m.object, m.action) for m in rules_pipeline.extract_text(t).metrics],
                                 texts * 2))
    assert together == alone * 2


def test_a_lexicon_key_that_nothing_reads_is_an_error(tmp_path):
    from reportmine.errors import LexiconError
    from reportmine.lexicons import load_lexicons

    (tmp_path / "attribution.yaml").write_text("light_verb: [开展]\n", encoding="utf-8")  # misspelt light_verbs
    with pytest.raises(LexiconError, match="light_verb.*not read by anything"):
        load_lexicons([tmp_path])


def test_a_rule_sets_only_the_fields_it_declares():
    from reportmine.rules.attribution import STAGES

    for stage in STAGES:
        for rule in stage.rules:
            assert rule.fields and set(rule.fields) <= {"object", "action", "change", "period", "scope", "confidence"}
            assert rule.apply.__doc__, f"rule {rule.name} has no example"


def _imports(module: Path) -> set:
    """The reportmine modules a module imports, at top level or inside functions."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    package = module.relative_to(SRC.parent).with_suffix("").parts
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:-node.level] if module.name != "__init__.py" else package[:len(package) - node.level + 1]
            target = ".".join(base + tuple(filter(None, (node.module or "").split("."))))
            found.add(target)
            for alias in node.names:
                found.add(f"{target}.{alias.name}")
    return found


def test_no_import_cycles():
    modules = {".".join(p.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__"): p
               for p in SRC.rglob("*.py")}
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}

    def cycle_from(start):
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    return trail + [start]
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, trail + [nxt]))
        return None

    cycles = [cycle for name in graph if (cycle := cycle_from(name)) and not name.endswith("__init__")]
    assert not cycles, " ; ".join(" -> ".join(c) for c in cycles[:5])


def _dense_shapes(scale: int):
    """Texts where every few characters is a figure, in the shapes that made attribution
    quadratic: no punctuation, one sentence of thousands of clauses, % runs, wide and long tables."""
    yield "no punctuation", "".join(f"检查企业{i % 97 + 1}家发现隐患{i % 89 + 1}项" for i in range(300 * scale))
    yield "one long sentence", "，".join(f"检查企业{i % 97 + 1}家" for i in range(300 * scale)) + "。"
    yield "percent run", "".join(f"{i % 97 + 1}%" for i in range(300 * scale))
    yield "wide row", "\t".join(f"{i % 97 + 1}家" for i in range(300 * scale)) + "\n"
    yield "long table", "指标\t数量\n" + "".join(f"项目{i}\t{i % 97 + 1}家\n" for i in range(300 * scale))


@pytest.mark.parametrize("name", ["no punctuation", "one long sentence", "percent run", "wide row", "long table"])
def test_attribution_work_grows_linearly_with_the_text(rules_pipeline, monkeypatch, name):
    """Attribution's work is segmenting clauses and handling their words: the characters handed
    to jieba and the words sliced for each figure grow linearly with the text, however its figures
    and clauses are laid out (each clause is segmented once, each figure reads the words between
    its neighbours and a bounded window)."""
    from reportmine.segment import Segmenter

    work = []
    tag, split_at = Segmenter._tag, Segmenter.split_at
    monkeypatch.setattr(Segmenter, "_tag", lambda self, text: work.append(len(text)) or tag(self, text))
    monkeypatch.setattr(Segmenter, "split_at", lambda self, tokens, cuts: work.append(len(tokens)) or split_at(self, tokens, cuts))
    rules = rules_pipeline.rules
    per_char = []
    for scale in (1, 4):
        text = dict(_dense_shapes(scale))[name]
        rules.grammar.segmenter._cache.clear()
        work.clear()
        figures = rules.extract(text).metrics
        assert len(figures) >= 250 * scale  # the figures are read, not dropped
        per_char.append(sum(work) / len(text))
    assert per_char[1] <= 4, per_char  # a few times each character at most
    assert per_char[1] <= per_char[0] * 1.5 + 0.5, per_char  # and no more per character in a text four times longer


def test_no_record_on_corpus_breaks_the_types_of_object_and_action(pipeline):
    """An object names a thing, an action is an act, where the rules set them: never a change word,
    framing word, measure word, number or function words alone as an object; never a word without a
    verb reading as an action, but for the acts the lexicon names by nouns. The tagger's fields are
    kept as the merge took them (it learned acts jieba tags as nouns: 资助, 惠及, 参训)."""
    from reportmine.segment import get_segmenter

    lexicons = pipeline.lexicons
    segmenter = get_segmenter(str(lexicons.domain_dict))
    change = set(lexicons.change_up) | set(lexicons.change_down)
    named_acts = set(lexicons.act_nouns) | set(lexicons.stock_predicates) | set(lexicons.casualty_acts) \
        | set(lexicons.state_verbs) | change | set(lexicons.change_level_markers) | set(lexicons.comparison_adjectives)
    function_flags = {"d", "ad", "m", "q", "x", "c", "p", "u", "uj", "ul", "f", "r"}
    broken = []
    for path in sorted((CORPUS / "docs").iterdir()):
        for metric in pipeline.extract_file(path).metrics:
            by_rules = {name: metric.evidence[name].rule != "tagger" for name in ("object", "action") if name in metric.evidence}
            obj = metric.object if by_rules.get("object", True) else ""
            act = metric.action if by_rules.get("action", True) else ""
            if obj and (obj in change or obj in lexicons.object_trim or obj in lexicons.units or obj.isdigit()
                        or all(t.flag in function_flags for t in segmenter.tag(obj))):
                broken.append(("object", obj, metric.text))
            if act and act not in named_acts and not any(t.flag.startswith("v") for t in segmenter.tag(act)):
                broken.append(("action", act, metric.text))
    assert not broken, broken[:10]


def test_ordinals_listed_before_a_name_share_its_head(rules_pipeline):
    metrics = rules_pipeline.extract_text("第二、第三产业占地区生产总值的比重分别回落2.16和1.66个百分点。").metrics
    assert [m.object for m in metrics] == ["第二产业占地区生产总值的比重", "第三产业占地区生产总值的比重"]
    metrics = rules_pipeline.extract_text("新生儿、婴儿和5岁以下儿童死亡率分别为0.93‰、1.62‰、1.93‰。").metrics
    assert [m.object for m in metrics][:2] == ["新生儿", "婴儿"]  # names, not ordinals: nothing shared
