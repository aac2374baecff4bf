"""The model extractor: data preparation (no torch needed), the clear fallback when the model
extra or the model is missing, and (with the `model` extra) a tiny tagger trained in a temporary
folder and loaded through the same hanlp.load path as the shipped one."""
import hashlib
import shutil
import sys
import warnings

import pytest

from conftest import CORPUS

from reportmine import extract_model
from reportmine.extract_model import (MARK_CLOSE, MARK_OPEN, ModelUnavailable, ModelUnavailableWarning,
                                      load_model_extractor, load_tagger, marked_window, model_chars, model_status,
                                      sentence_spans, window_to_text)
from reportmine.train import (GoldMetric, TrainingDocument, _nearest, attribute_samples, detect_samples,
                              training_documents)

TEXT = "今年以来，全县共检查企业128家次，发现安全隐患242项。过火面积6.3公顷。\n落实“四个意识”，处罚金额489余万元。"


def spans_of(chars, tags):
    text, found, current = "".join(chars), [], None
    for i, tag in enumerate(tags):
        if tag.startswith("B-"):
            current = [tag[2:], i, i + 1]
            found.append(current)
        elif tag.startswith("I-") and current:
            current[2] = i + 1
        else:
            current = None
    return [(label, text[a:b]) for label, a, b in found]


def toy_document():
    metrics = []
    for text, obj, act in (("128家次", "企业", "检查"), ("242项", "安全隐患", "发现"), ("6.3公顷", "过火面积", "过火"),
                           ("489余万元", "行政处罚金额", "处罚")):
        start = TEXT.index(text)
        metrics.append(GoldMetric(start, start + len(text), obj, act))
    return TrainingDocument("toy.txt", TEXT, metrics)


# ---- no torch needed --------------------------------------------------------------------------
def test_model_chars_keep_length_and_hide_digits_and_whitespace():
    chars = model_chars("检查 128家\t次")
    assert len(chars) == len("检查 128家\t次")
    assert "".join(chars) == "检查␣000家␣次"


def test_sentence_spans_cover_the_text_and_cut_long_sentences_at_clauses():
    text = "，".join(["检查企业128家次"] * 30) + "。短句。"
    spans = sentence_spans(text, max_len=60)
    assert all(end - start <= 60 for start, end in spans)
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(text[e - 1] in "，。" for s, e in spans)


def test_marked_window_positions_map_back_to_the_text():
    start = TEXT.index("242项")
    span = (start, start + len("242项"))
    chars, w_start = marked_window(TEXT, (0, TEXT.index("。") + 1), span)
    assert chars.count(MARK_OPEN) == chars.count(MARK_CLOSE) == 1
    for position, ch in enumerate(chars):
        back = window_to_text(position, w_start, span)
        if ch in (MARK_OPEN, MARK_CLOSE):
            assert back is None
        else:
            assert model_chars(TEXT[back])[0] == ch


def test_detect_samples_tag_each_gold_span_once():
    samples = detect_samples(toy_document())
    tagged = [spans_of(chars, tags) for chars, tags in samples]
    assert tagged[0] == [("M", "000家次"), ("M", "000项")]
    assert tagged[1] == [("M", "0.0公顷")]
    assert tagged[2] == [("M", "000余万元")]  # 四个意识 stays O: the tagger learns slogans are not metrics


def test_attribute_samples_tag_object_and_action_nearest_their_metric():
    samples = [spans_of(chars, tags) for chars, tags in attribute_samples(toy_document())]
    assert dict((l, t) for l, t in samples[0]) == {"ACT": "检查", "OBJ": "企业"}
    assert dict((l, t) for l, t in samples[1]) == {"ACT": "发现", "OBJ": "安全隐患"}
    # the action inside the object: the object keeps the rest (the scorer accepts containment)
    assert dict((l, t) for l, t in samples[2]) == {"ACT": "过火", "OBJ": "面积"}
    # a paraphrased object (行政处罚金额) is tagged by its longest piece found in the text
    assert dict((l, t) for l, t in samples[3]) == {"ACT": "处罚", "OBJ": "处罚金额"} or \
        dict((l, t) for l, t in samples[3])["OBJ"] in ("处罚金额", "金额")


def test_nearest_piece_prefers_long_and_close_and_never_the_metric_itself():
    window = "检查企业，检查企业100家"
    assert _nearest(window, "检查", (11, 15)) == (5, 7)
    assert _nearest(window, "重点企业", (11, 15)) == (7, 9)
    assert _nearest(window, "100家", (11, 15)) is None or _nearest(window, "100家", (11, 15))[1] <= 11


def test_training_documents_locate_every_gold_span_in_normalized_text():
    documents = training_documents(CORPUS / "docs", CORPUS / "gold", names=["a06_fujian_dongshan_2020_trad.txt",
                                                                            "c04_guiyang_em_2020_pinyin.txt"])
    assert [d.name for d in documents] == ["a06_fujian_dongshan_2020_trad.txt", "c04_guiyang_em_2020_pinyin.txt"]
    gold_lines = sum(1 for d in ("a06_fujian_dongshan_2020_trad", "c04_guiyang_em_2020_pinyin")
                     for line in (CORPUS / "gold" / f"{d}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())
    assert sum(len(d.metrics) for d in documents) == gold_lines
    for document in documents:
        for metric in document.metrics:
            assert any(ch.isdigit() or ch in "一二两三四五六七八九十百千万" for ch in document.text[metric.start:metric.end])


def test_missing_model_directory_is_reported_and_falls_back(tmp_path):
    reason = model_status(tmp_path / "nothing")
    assert reason is not None and "rules only" in reason
    with pytest.warns(ModelUnavailableWarning, match="rules only"):
        assert load_model_extractor(None, path=tmp_path / "nothing-here") is None
    with pytest.raises(ModelUnavailable):
        load_model_extractor(None, path=tmp_path / "nothing-here", required=True)


def test_missing_extra_is_reported_with_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "hanlp", None)  # import hanlp -> ImportError
    reason = model_status(tmp_path)
    assert "not installed" in reason and 'reportmine[model]' in reason
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert load_model_extractor(None, path=tmp_path) is None
    assert any(issubclass(w.category, ModelUnavailableWarning) and "reportmine[model]" in str(w.message) for w in caught)


def test_load_tagger_never_passes_a_name_to_hanlp(tmp_path):
    with pytest.raises(ModelUnavailable, match="no trained tagger"):
        load_tagger("CTB9_POS_ELECTRA_SMALL")  # a pretrained id: refused before hanlp sees it
    with pytest.raises(ModelUnavailable):
        load_tagger(tmp_path)  # a folder without config.json


# ---- with the model extra ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    pytest.importorskip("torch")
    pytest.importorskip("hanlp")
    from reportmine.train import train_main

    root = tmp_path_factory.mktemp("tiny")
    docs, gold = root / "docs", root / "gold"
    docs.mkdir()
    gold.mkdir()
    for name in ("a01_hunan_longhui_2022", "b01_deqing_scjg_2023"):
        shutil.copy(CORPUS / "docs" / f"{name}.txt", docs)
        shutil.copy(CORPUS / "gold" / f"{name}.jsonl", gold)
    out = root / "model"
    assert train_main(["--docs", str(docs), "--gold", str(gold), "--out", str(out), "--epochs", "2"]) == 0
    return out


def test_tiny_model_is_saved_small_and_loads_with_hanlp_load(tiny_model):
    import hanlp

    for part in ("detect", "attribute"):
        files = sorted(p.name for p in (tiny_model / part).iterdir())
        assert files == ["config.json", "model.pt", "vocabs.json"]
        assert sum(p.stat().st_size for p in (tiny_model / part).iterdir()) < 1_000_000
        tagger = hanlp.load(str(tiny_model / part), devices=-1, verbose=False)
        assert type(tagger).__name__ == "BatchFirstCRFTagger"
        assert tagger.model.crf.batch_first  # the hanlp 2.1.5 CRF defect is fixed on reload too
    assert model_status(tiny_model) is None


def test_training_is_reproducible(tiny_model, tmp_path):
    from reportmine.train import train_main

    again = tmp_path / "again"
    docs = tiny_model.parent / "docs"
    gold = tiny_model.parent / "gold"
    assert train_main(["--docs", str(docs), "--gold", str(gold), "--out", str(again), "--epochs", "2"]) == 0
    for part in ("detect", "attribute"):
        for name in ("config.json", "vocabs.json", "model.pt"):
            first = hashlib.sha256((tiny_model / part / name).read_bytes()).hexdigest()
            second = hashlib.sha256((again / part / name).read_bytes()).hexdigest()
            assert first == second, f"{part}/{name} differs between two runs with the same seed"


def test_model_output_is_aligned_to_quantities_and_combine_keeps_rule_metrics(tiny_model, lexicons):
    from reportmine.rules import RuleExtractor
    from reportmine.normalize import normalize

    extractor = load_model_extractor(lexicons, path=tiny_model, required=True)
    normalized = normalize(TEXT, lexicons)
    found = extractor.extract(normalized.text, normalized.corrupt)
    quantities = {(q.start, q.end) for q in extractor.scanner.scan(normalized.text)}
    for metric in found.metrics:
        assert (metric.start, metric.end) in quantities  # snapped to what the numeral grammar reads
        start, end = normalized.to_original(metric.start, metric.end)
        assert TEXT[start:end] == normalized.text[metric.start:metric.end]
    rules = RuleExtractor(lexicons).extract(normalized.text, normalized.corrupt)
    before = [(m.start, m.end, m.value, m.unit) for m in rules.metrics]
    combined = extractor.combine(normalized.text, rules, normalized.corrupt,
                                 policy={"veto": False, "add": False, "object": "fill", "action": "fill"})
    assert [(m.start, m.end, m.value, m.unit) for m in combined.metrics] == before
    as_list = extractor.combine(normalized.text, list(rules.metrics), normalized.corrupt)
    assert isinstance(as_list, list)


# ---- the shipped model --------------------------------------------------------------------------
def test_shipped_model_loads_and_reads_a_report(lexicons):
    pytest.importorskip("torch")
    pytest.importorskip("hanlp")
    from reportmine.normalize import normalize

    assert model_status() is None, model_status()
    extractor = load_model_extractor(lexicons, required=True)
    normalized = normalize(TEXT, lexicons)
    metrics = extractor.extract(normalized.text, normalized.corrupt).metrics
    texts = [normalized.text[m.start:m.end] for m in metrics]
    assert "128家次" in texts and "242项" in texts
    first = next(m for m in metrics if normalized.text[m.start:m.end] == "128家次")
    assert "企业" in first.object and first.action == "检查"


def test_combined_batch_with_two_workers_finishes_and_matches_one_worker(tmp_path):
    """torch in a forked worker can deadlock: with the model loaded, workers are spawned."""
    pytest.importorskip("hanlp", reason="install the model extra: pip install -e '.[model]'")
    from reportmine.batch import run_batch

    from conftest import CORPUS

    docs = tmp_path / "docs"
    docs.mkdir()
    for source in sorted((CORPUS / "docs").glob("a0*.txt"))[:3]:
        (docs / source.name).write_bytes(source.read_bytes())
    # worker processes, not this process (where three small files would go by default)
    run_batch([docs], tmp_path / "one.jsonl", workers=1, extractor="combined", in_process=False)
    run_batch([docs], tmp_path / "two.jsonl", workers=2, extractor="combined", in_process=False)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert b'"extractor":"rules+model"' in (tmp_path / "one.jsonl").read_bytes()


def test_default_pipeline_is_the_combined_extractor_when_the_model_is_installed():
    pytest.importorskip("hanlp", reason="install the model extra: pip install -e '.[model]'")
    from reportmine.pipeline import DEFAULT_EXTRACTOR, Pipeline

    assert DEFAULT_EXTRACTOR == "combined"
    pipeline = Pipeline()
    assert pipeline.extractor == "combined"
    document = pipeline.extract_text(TEXT)
    rules_only = Pipeline(extractor="rules").extract_text(TEXT)
    # the same metrics; the tagger only fills fields the rules left empty, never replaces one
    assert [(m.start, m.end, m.value) for m in document.metrics] == [(m.start, m.end, m.value) for m in rules_only.metrics]
    for combined, rules in zip(document.metrics, rules_only.metrics):
        for field in ("object", "action"):
            if getattr(rules, field):
                assert getattr(combined, field) == getattr(rules, field)


def test_fill_policy_runs_the_tagger_only_on_metrics_with_an_empty_field(lexicons):
    from reportmine.extract_model import Attribution, ModelExtractor
    from reportmine.extraction import Figure

    class CountingExtractor(ModelExtractor):
        def __init__(self):
            self.policy = {"veto": False, "add": False, "object": "fill", "action": "fill"}
            self.asked = []

        def attribute(self, text, spans):
            self.asked.extend(spans)
            return [Attribution(object="企业", action="检查", object_span=(0, 2), action_span=(2, 4)) for _ in spans]

    full = Figure(start=0, end=4, value=1, value_max=None, unit="家", kind="count", qualifier="exact", object="单位", action="督查")
    empty = Figure(start=5, end=9, value=2, value_max=None, unit="家", kind="count", qualifier="exact", object="", action="督查")
    extractor = CountingExtractor()
    out = extractor.combine("x" * 10, [full, empty])
    assert extractor.asked == [(5, 9)]
    assert (out[0].object, out[1].object, out[1].action) == ("单位", "企业", "督查")
    assert out[1].evidence["object"].rule == "tagger"  # the filled field names who decided it


def test_batch_without_the_model_extra_says_so_once_and_uses_the_rules(monkeypatch, tmp_path):
    import importlib.util

    from reportmine.batch import run_batch

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "hanlp" else real_find_spec(name, *a))
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    with pytest.warns(ModelUnavailableWarning, match=r"reportmine\[model\]"):
        summary = run_batch([tmp_path / "a.txt"], tmp_path / "out.jsonl", workers=1)
    assert summary.extractor == "rules" and summary.metrics > 0
