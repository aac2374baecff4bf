"""The model extractor: its inputs and labels, the merge and the confidence, safe loading, the
clear fallback when the model extra or the model is missing, and (with the `train` extra: torch) a
tiny model trained by `reportmine train` in a temporary folder."""
import hashlib
import json
import os
import pickle
import shutil
import sys
import warnings
from decimal import Decimal

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import CORPUS

from reportmine.cli import app
from reportmine.evaluate import GoldDocument
from reportmine.extract_model import (DEFAULT_MODEL_DIR, POLICIES, Calibration, FigureReader, ModelUnavailable,
                                      ModelUnavailableWarning, fit_confidence, load_model_extractor, load_tagger,
                                      merge, model_status, rule_key)
from reportmine.extraction import Figure
from reportmine.numbers import Quantity
from reportmine.tagger import (MAX_SPAN, ROLE_FIGURE, ROLE_OTHER_FIGURE, Reading, Window, WindowBuilder, best_spans,
                               distance_bucket, model_chars, sentence_spans)
from reportmine.train import NOT_LOCATED, Source, fold_of, nearest, read_documents, real_source

TEXT = "今年以来，全县共检查企业128家次，发现安全隐患242项。过火面积6.3公顷。\n落实“四个意识”，处罚金额489余万元。"
runner = CliRunner()


def toy_gold(extra_item=None):
    items = []
    for text, obj, act in (("128家次", "企业", "检查"), ("242项", "安全隐患", "发现"), ("6.3公顷", "过火面积", "过火"),
                           ("489余万元", "行政处罚金额", "处罚")):
        start = TEXT.index(text)
        value = {"128家次": 128, "242项": 242, "6.3公顷": 6.3, "489余万元": 4890000}[text]
        unit = {"128家次": "家次", "242项": "项", "6.3公顷": "公顷", "489余万元": "元"}[text]
        items.append({"text": text, "start": start, "end": start + len(text), "value": value, "unit": unit,
                      "object": obj, "action": act})
    return GoldDocument("toy/toy.txt", TEXT, items)


@pytest.fixture(scope="module")
def reader():
    from reportmine import load_lexicons

    return FigureReader(load_lexicons())


@pytest.fixture(scope="module")
def toy(reader):
    return read_documents([Source("toy", [toy_gold()])], reader)[0]


# ---- inputs and labels --------------------------------------------------------------------
def test_model_chars_keep_length_and_hide_digits_and_whitespace():
    assert "".join(model_chars("检查 128家\t次")) == "检查␣000家␣次"


def test_sentence_spans_cover_the_text():
    spans = sentence_spans(TEXT)
    covered = [sum(1 for s, e in spans if s <= i < e) for i in range(len(TEXT))]
    assert all(n == 1 for i, n in enumerate(covered) if not TEXT[i].isspace())
    assert all(TEXT[e - 1] in "。\n" or e == len(TEXT) for s, e in spans)


def test_distance_buckets_tell_left_from_right_and_near_from_far():
    inside = distance_bucket(5, 5, 8)
    assert distance_bucket(7, 5, 8) == inside
    left1, right1 = distance_bucket(4, 5, 8), distance_bucket(8, 5, 8)
    assert len({inside, left1, right1}) == 3
    assert distance_bucket(3, 5, 8) != left1 and distance_bucket(9, 5, 8) != right1
    assert distance_bucket(0, 200, 203) == distance_bucket(10, 200, 203)  # far away: one bucket


def test_each_figure_reads_its_own_window(toy):
    first, second = toy.windows[0], toy.windows[1]
    text = toy.normalized.text
    assert text[first.figure_start:first.figure_end] == "128家次"
    for w in toy.windows:
        assert len(w.chars) == len(w.tags) == len(w.distances) == len(w.roles) == w.end - w.start
        assert "".join(w.chars) == "".join(model_chars(text[w.start:w.end]))
        assert [r == ROLE_FIGURE for r in w.roles] == [w.figure_start <= p < w.figure_end for p in range(w.start, w.end)]
    # the same sentence, read twice: each window marks its own figure, and the other one as another
    assert first.start == second.start and first.roles != second.roles
    assert ROLE_OTHER_FIGURE in first.roles and ROLE_OTHER_FIGURE in second.roles
    # no window crosses its sentence
    assert "。" not in text[toy.windows[2].start:toy.windows[2].end - 1]


def test_word_tags_come_from_the_segmenter(reader):
    builder = WindowBuilder(reader.segmenter, "检查企业128家次。")
    w = builder.window(4, 10)
    assert w.tags[:2] == ["B-v", "E-v"] or w.tags[0].startswith("B-")
    assert all(t[0] in "BMES" for t in w.tags)


def test_labels_point_at_each_figures_object_and_action(toy):
    text = toy.normalized.text
    spans = {text[w.figure_start:w.figure_end]: label for w, label in zip(toy.windows, toy.labels)}
    named = {figure: (label[0], label[1] and text[label[1][0]:label[1][1]], label[2] and text[label[2][0]:label[2][1]])
             for figure, label in spans.items()}
    assert named["128家次"] == (True, "企业", "检查")
    assert named["242项"] == (True, "安全隐患", "发现")
    assert named["6.3公顷"] == (True, "过火面积", "过火")  # pointed at apart: object and act may share words
    assert named["489余万元"][1] in ("处罚金额", "金额")  # a paraphrased object: its longest piece in the text


def test_a_candidate_without_gold_is_no_metric_and_an_absent_object_is_not_taught_as_none(reader):
    gold = toy_gold()
    gold.items = [dict(gold.items[0], object="生产经营单位"), dict(gold.items[1], object="")]
    document = read_documents([Source("toy", [gold])], reader)[0]
    text = document.normalized.text
    labels = {text[w.figure_start:w.figure_end]: label for w, label in zip(document.windows, document.labels)}
    assert labels["128家次"][1] == NOT_LOCATED  # the window has no piece of it: nothing to learn
    assert labels["242项"][1] is None  # the gold has none: the model learns "none"
    assert labels["6.3公顷"] == (False, None, None)


def test_nearest_piece_prefers_long_and_close_and_never_the_figure():
    window = "检查企业，检查企业100家"
    assert nearest(window, "检查", (9, 13)) == (5, 7)
    assert nearest(window, "重点企业", (9, 13)) == (7, 9)
    assert nearest(window, "100家", (9, 13)) is None


def test_folds_never_split_a_document_and_deal_each_source_round():
    names = [f"corpus/{i}.txt" for i in range(7)] + [f"em/{i}.txt" for i in range(4)]
    folds = fold_of(names, 3)
    assert set(folds) == set(names)
    for source in ("corpus", "em"):
        counts = [sum(1 for n, f in folds.items() if n.startswith(source) and f == k) for k in range(3)]
        assert max(counts) - min(counts) <= 1


@pytest.mark.parametrize("name", ["holdout", "holdout2"])
def test_the_holdout_sets_are_never_read(tmp_path, name):
    with pytest.raises(ValueError, match="never"):
        real_source(name, sets_dir=tmp_path, cache=tmp_path)


def test_a_real_set_without_its_cache_is_skipped_and_named(tmp_path):
    (tmp_path / "sets" / "em" / "gold").mkdir(parents=True)
    (tmp_path / "sets" / "em" / "index.jsonl").write_text(json.dumps({"doc": "em_001.txt", "sha256": "0" * 64}) + "\n")
    source, problems = real_source("em", sets_dir=tmp_path / "sets", cache=tmp_path / "cache")
    assert source.documents == [] and len(problems) == 1 and "1 of 1 excerpts not in the cache" in problems[0]


# ---- span choice, merge and confidence -------------------------------------------------------
def log_softmax(logits) -> np.ndarray:
    logits = np.asarray(logits, dtype=np.float32)
    return logits - np.log(np.exp(logits - logits.max()).sum()) - logits.max()


def test_best_span_is_normalized_over_none_and_never_covers_the_figure():
    w = Window(start=10, end=20, figure_start=14, figure_end=16, chars=list("abcdefghij"), tags=["S-n"] * 10,
               distances=[1] * 10, roles=[1] * 10)
    short = Window(start=0, end=3, figure_start=2, figure_end=3, chars=list("abc"), tags=["S-n"] * 3,
                   distances=[1] * 3, roles=[1] * 3)
    # pointers: index 0 is "none"; start strongly at position 3, end at 5 (which would cover the figure)
    start = log_softmax([0.0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0])
    end = log_softmax([0.0, 0, 0, 0, 2, 0, 6, 0, 0, 0, 0])
    # a second window of three characters, padded: its spans never reach the padding
    start2 = log_softmax([0.0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 9])
    end2 = log_softmax([0.0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 9])
    (span, p), (span2, p2) = best_spans(np.stack([start, start2]), np.stack([end, end2]), [w, short])
    assert span == (13, 14) and 0 < p < 1  # 3..3: the span that would reach the figure is not allowed
    assert span2 == (0, 2) and 0 < p2 < 1
    none = log_softmax([9.0] + [0.0] * 10)[None]
    (span, p), = best_spans(none, none, [w])
    assert span is None and p > 0.5
    assert MAX_SPAN >= 8


def figure(start, end, obj, act, rule="words-before-figure"):
    f = Figure(start=start, end=end, value=Decimal(1), value_max=None, unit="家", kind="count", qualifier="exact")
    f.decide("object", obj, rule, (0, 1))
    f.decide("action", act, rule, (0, 1))
    return f


def quantity(start, end):
    return Quantity(start=start, end=end, value=Decimal(1), unit="家", kind="count")


def calibration_for_tests():
    # the rule is right half the time on objects and 90% on actions; the model's high bin 95%
    return Calibration(rules={"object:words-before-figure": [50, 100], "action:words-before-figure": [90, 100]},
                       model={"object": [[0, 10]] * 9 + [[95, 100]], "action": [[0, 10]] * 9 + [[95, 100]],
                              "metric": [[0, 10]] * 9 + [[95, 100]]},
                       weights={"combined": [0.0] * 11, "model": [0.0] * 4})


TEXT2 = "检查企业128家次，发现隐患242项"


def test_merge_keeps_agreeing_fields_and_takes_the_likelier_reading_where_they_disagree():
    rule = figure(4, 9, "企业", "检查")
    # the model reads the object 检查企业 (agrees: one contains the other) and the act 发现 (disagrees)
    reading = Reading(0.99, (0, 4), 0.97, (10, 12), 0.97)
    out = merge(TEXT2, [rule], [quantity(4, 9)], [reading], calibration_for_tests(), POLICIES["choose"])
    assert out[0].object == "企业"  # agreement: the rules' own words stay
    # the act: 0.95 (the model's bin, shrunk) against the rule's 0.9: the model's reading wins
    assert out[0].action == "发现" and out[0].evidence["action"].rule == "tagger"
    assert out[0].extractor == "rules+model" and rule.action == "检查"  # the rule figure itself is not changed
    margin = dict(POLICIES["choose"], margin=0.1)
    assert merge(TEXT2, [rule], [quantity(4, 9)], [reading], calibration_for_tests(), margin)[0].action == "检查"
    # fill: only an empty field is filled
    fill = merge(TEXT2, [figure(4, 9, "", "检查")], [quantity(4, 9)], [reading], calibration_for_tests(), POLICIES["fill"])
    assert (fill[0].object, fill[0].action) == ("检查企业", "检查")


def test_choosing_where_the_readers_disagree_compares_what_was_measured_there():
    # overall the rule is right on 90% of its acts, the model's high bin on 95%; where the two read
    # differently the rule was right on 80 of 100 and the model's high bin on only 30 of 100
    calibration = calibration_for_tests()
    calibration.rules_disagreeing = {"action:words-before-figure": [80, 100], "object:words-before-figure": [10, 100]}
    calibration.model_disagreeing = {"action": [[0, 10]] * 9 + [[30, 100]], "object": [[0, 10]] * 9 + [[70, 100]]}
    rule = figure(4, 9, "企业", "检查")
    reading = Reading(0.99, (12, 14), 0.97, (10, 12), 0.97)  # object 隐患 and act 发现: both disagree
    overall = merge(TEXT2, [rule], [quantity(4, 9)], [reading], calibration, POLICIES["choose"])[0]
    assert (overall.object, overall.action) == ("隐患", "发现")  # 0.95 beats 0.5 and 0.9
    where = merge(TEXT2, [rule], [quantity(4, 9)], [reading], calibration, POLICIES["choose-where-disagreeing"])[0]
    assert (where.object, where.action) == ("隐患", "检查")  # object 0.70 > 0.10; act 0.30 < 0.80
    # both measures must say so: a rule right on 99% of its acts keeps them, however poorly it did
    # where the readers disagreed; asked alone, the disagreement measure takes the model's act
    calibration.rules["action:words-before-figure"] = [99, 100]
    calibration.rules_disagreeing["action:words-before-figure"] = [10, 100]
    both = merge(TEXT2, [rule], [quantity(4, 9)], [reading], calibration, POLICIES["choose-where-disagreeing"])[0]
    alone = merge(TEXT2, [rule], [quantity(4, 9)], [reading], calibration, POLICIES["choose-only-disagreeing"])[0]
    assert (both.action, alone.action) == ("检查", "发现")
    # agreeing fields never consult the disagreement tables
    agreeing = Reading(0.99, (2, 4), 0.97, (0, 2), 0.97)
    kept = merge(TEXT2, [rule], [quantity(4, 9)], [agreeing], calibration, POLICIES["choose-where-disagreeing"])[0]
    assert (kept.object, kept.action, kept.extractor) == ("企业", "检查", "rules")


def test_calibration_keeps_its_disagreement_tables_through_a_file(tmp_path):
    calibration = calibration_for_tests()
    calibration.rules_disagreeing = {"action:words-before-figure": [3, 4]}
    calibration.model_disagreeing = {"action": [[1, 2]] * 10}
    calibration.save(tmp_path / "calibration.json")
    again = Calibration.load(tmp_path / "calibration.json")
    assert again.rules_disagreeing == calibration.rules_disagreeing
    assert again.model_disagreeing == calibration.model_disagreeing
    # a file written before the tables existed reads as having none (the overall tables serve)
    assert Calibration(rules={"action:x": [1, 1]}).rule_accuracy("action", "x", disagreeing=True) == 0.5


def test_merge_veto_and_add_follow_the_metric_probability():
    rules = [figure(4, 9, "企业", "检查")]
    candidates = [quantity(4, 9), quantity(14, 18)]
    readings = [Reading(0.01, (2, 4), 0.9, (0, 2), 0.9), Reading(0.97, (12, 14), 0.9, (10, 12), 0.9)]
    vetoed = merge(TEXT2, rules, candidates, readings, calibration_for_tests(), dict(POLICIES["choose"], veto=0.05))
    assert [(f.start, f.extractor) for f in vetoed] == []
    added = merge(TEXT2, rules, candidates, readings, calibration_for_tests(), dict(POLICIES["choose"], add=0.9))
    assert [(f.start, f.extractor) for f in added] == [(4, "rules"), (14, "model")]
    assert added[1].object == "隐患" and added[1].action == "发现"


def test_rule_keys_name_the_deciding_rule_and_an_empty_field():
    f = figure(0, 3, "", "检查", rule="governed-phrase")
    assert rule_key(f, "object") == "governed-phrase/empty" and rule_key(f, "action") == "governed-phrase"
    bare = Figure(start=0, end=1, value=Decimal(1), value_max=None, unit="家", kind="count", qualifier="exact")
    assert rule_key(bare, "object") == "-/empty"


def test_calibration_shrinks_rare_rules_and_round_trips(tmp_path):
    c = Calibration(rules={"object:a": [9, 10], "object:b": [1, 1], "object:c": [10, 89]},
                    model={"object": [[1, 100]] * 9 + [[90, 100]]})
    overall = 20 / 100
    assert c.rule_accuracy("object", "b") == pytest.approx((1 + 2 * overall) / 3)  # one case says little
    assert c.rule_accuracy("object", "never-seen") == pytest.approx(overall)
    assert c.model_accuracy("object", 0.97) == pytest.approx((90 + 2 * 0.95) / 102)
    c.save(tmp_path / "c.json")
    assert Calibration.load(tmp_path / "c.json") == c


def test_fit_confidence_is_a_measured_probability():
    import random

    rng = random.Random(1)
    rows = []
    for _ in range(4000):
        x = rng.uniform(-3, 3)
        rows.append(([1.0, x], rng.random() < 1 / (1 + pow(2.718281828, -(0.5 + 1.5 * x))), 0))
    w = fit_confidence({"model": rows})["model"]
    assert w[0] == pytest.approx(0.5, abs=0.2) and w[1] == pytest.approx(1.5, abs=0.2)


# ---- loading: weights only -------------------------------------------------------------------
class Payload:
    """A pickle that would write a file when unpickled."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_crafted_pickle_in_a_model_folder_is_refused_and_never_run(tmp_path):
    pytest.importorskip("safetensors")
    folder, marker = tmp_path / "model", tmp_path / "ran"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"format": "reportmine-figure-tagger/1", "sizes": {},
                                                   "chars": ["<pad>", "<unk>"], "tags": ["<pad>", "<unk>"]}))
    (folder / "weights.safetensors").write_bytes(pickle.dumps(Payload(str(marker))))
    with pytest.raises(ModelUnavailable, match="not a safetensors file"):
        load_tagger(folder)
    assert not marker.exists()
    # a pickled torch checkpoint beside a HanLP-style config (the old layout) is not even opened
    shutil.rmtree(folder)
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"classpath": "reportmine_evil.Loader"}))
    (folder / "model.pt").write_bytes(pickle.dumps(Payload(str(marker))))
    with pytest.raises(ModelUnavailable):
        load_tagger(folder)
    assert not marker.exists()


def test_a_config_naming_a_class_imports_nothing(tmp_path, monkeypatch):
    """hanlp.load imported and built the class a config.json named; the loader reads data only."""
    pytest.importorskip("safetensors")
    modules, marker = tmp_path / "modules", tmp_path / "imported"
    modules.mkdir()
    (modules / "reportmine_evil.py").write_text(f"open({str(marker)!r}, 'w').close()\nclass Loader:\n    pass\n")
    monkeypatch.syspath_prepend(str(modules))
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"classpath": "reportmine_evil.Loader", "format": "x"}))
    (folder / "weights.safetensors").write_bytes(b"")
    with pytest.raises(ModelUnavailable):
        load_tagger(folder)
    assert not marker.exists() and "reportmine_evil" not in sys.modules


def test_missing_model_folder_is_reported_and_falls_back(tmp_path):
    reason = model_status(tmp_path / "nothing")
    assert reason is not None and "rules only" in reason
    with pytest.warns(ModelUnavailableWarning, match="rules only"):
        assert load_model_extractor(None, path=tmp_path / "nothing-here") is None
    with pytest.raises(ModelUnavailable):
        load_model_extractor(None, path=tmp_path / "nothing-here", required=True)


def test_missing_extra_is_reported_with_the_install_command(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "safetensors", None)  # import safetensors -> ImportError
    reason = model_status(tmp_path)
    assert "not installed" in reason and 'reportmine[model]' in reason
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert load_model_extractor(None, path=tmp_path) is None
    assert any(issubclass(w.category, ModelUnavailableWarning) and "reportmine[model]" in str(w.message) for w in caught)


# ---- reportmine train, --model ------------------------------------------------------------------
def test_train_is_a_command_of_the_cli_with_an_output_folder():
    import typer

    command = typer.main.get_command(app).commands["train"]
    names = {name for param in command.params for name in param.opts}
    assert {"--out", "--folds", "--seed", "--docs", "--gold"} <= names
    for name in ("extract", "evaluate"):
        assert "--model" in {o for p in typer.main.get_command(app).commands[name].params for o in p.opts}


def test_train_refuses_an_output_folder_that_is_no_model(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["train", "-o", str(tmp_path), "--no-real"])
    assert result.exit_code == 2 and "not a model folder" in result.output
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_train_without_torch_names_the_train_extra(tmp_path, monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real_find_spec(name, *a))
    result = runner.invoke(app, ["train", "-o", str(tmp_path / "model"), "--no-real"])
    assert result.exit_code == 2
    assert "torch missing" in result.output and 'pip install "reportmine[train]"' in result.output
    assert not (tmp_path / "model").exists()


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """`reportmine train` run in an empty working folder without -o: two corpus documents, two
    folds, one epoch."""
    pytest.importorskip("torch", reason="training needs the train extra: pip install -e '.[train]'")
    pytest.importorskip("safetensors")
    root = tmp_path_factory.mktemp("tiny")
    docs, gold = root / "docs", root / "gold"
    docs.mkdir()
    gold.mkdir()
    for name in ("a01_hunan_longhui_2022", "b01_deqing_scjg_2023", "c02_shouguang_market_2022"):
        shutil.copy(CORPUS / "docs" / f"{name}.txt", docs)
        shutil.copy(CORPUS / "gold" / f"{name}.jsonl", gold)
    shipped = _digest(DEFAULT_MODEL_DIR)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = runner.invoke(app, ["train", "--docs", str(docs), "--gold", str(gold), "--no-real",
                                     "--folds", "2", "--epochs", "1"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert _digest(DEFAULT_MODEL_DIR) == shipped  # the shipped model is not overwritten
    return root / "models" / "metric_tagger"


def test_train_writes_a_small_model_folder_where_it_is_told(tiny_model):
    assert sorted(p.name for p in tiny_model.iterdir()) == ["TRAINING.json", "calibration.json", "config.json",
                                                            "weights.safetensors"]
    assert sum(p.stat().st_size for p in tiny_model.iterdir()) < 3_000_000
    training = json.loads((tiny_model / "TRAINING.json").read_text(encoding="utf-8"))
    assert training["sources"] == {"corpus": ["a01_hunan_longhui_2022.txt", "b01_deqing_scjg_2023.txt",
                                              "c02_shouguang_market_2022.txt"]}
    assert training["seed"] == 20240606 and training["folds"] == 2
    calibration = json.loads((tiny_model / "calibration.json").read_text(encoding="utf-8"))
    assert set(calibration["weights"]) == {"model", "combined"} and calibration["rules"]
    assert model_status(tiny_model) is None


def test_training_is_reproducible(tiny_model, tmp_path):
    root = tiny_model.parent.parent
    result = runner.invoke(app, ["train", "--docs", str(root / "docs"), "--gold", str(root / "gold"), "--no-real",
                                 "--folds", "2", "--epochs", "1", "-o", str(tmp_path / "again")])
    assert result.exit_code == 0, result.output
    assert _digest(tmp_path / "again") == _digest(tiny_model)


def test_extract_and_evaluate_use_the_model_named_by_model(tiny_model, tmp_path):
    from reportmine.pipeline import Pipeline

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "m.jsonl"
    result = runner.invoke(app, ["extract", str(docs), "-o", str(out), "--extractor", "model", "--model", str(tiny_model),
                                 "--workers", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = Pipeline(extractor="model", model_dir=tiny_model).extract_text(TEXT, doc="a.txt").metrics
    assert [(r["start"], r["object"], r["confidence"]) for r in rows] == [(m.start, m.object, m.confidence) for m in expected]
    missing = runner.invoke(app, ["extract", str(docs), "-o", str(out), "--model", str(tmp_path / "none"), "--quiet"])
    assert missing.exit_code == 2 and "no trained model" in missing.output
    scored = runner.invoke(app, ["evaluate", str(CORPUS / "docs"), str(tiny_model.parent.parent / "gold"),
                                 "--model", str(tiny_model), "--extractor", "model"])
    assert scored.exit_code == 0, scored.output
    assert "F1" in scored.output
    missing = runner.invoke(app, ["evaluate", str(CORPUS / "docs"), str(CORPUS / "gold"), "--model", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no trained model" in missing.output


# ---- the shipped model --------------------------------------------------------------------------
def test_shipped_model_reads_a_report_with_measured_confidence(lexicons):
    pytest.importorskip("safetensors", reason="install the model extra: pip install -e '.[model]'")
    from reportmine.normalize import normalize

    assert model_status() is None, model_status()
    extractor = load_model_extractor(lexicons, required=True)
    assert extractor.calibration is not None and extractor.calibration.weights["model"]
    normalized = normalize(TEXT, lexicons)
    metrics = extractor.extract(normalized.text, normalized.corrupt).metrics
    texts = [normalized.text[m.start:m.end] for m in metrics]
    assert "128家次" in texts and "242项" in texts
    first = metrics[texts.index("128家次")]
    assert "企业" in first.object and first.action == "检查"
    assert all(0 < m.confidence < 1 for m in metrics)


def test_shipped_model_folder_holds_only_data():
    assert sorted(p.name for p in DEFAULT_MODEL_DIR.iterdir()) == ["TRAINING.json", "calibration.json", "config.json",
                                                                   "weights.safetensors"]
    training = json.loads((DEFAULT_MODEL_DIR / "TRAINING.json").read_text(encoding="utf-8"))
    assert "holdout" not in training["sources"] and training["sources"]["corpus"]


def test_combined_batch_with_two_workers_finishes_and_matches_one_worker(tmp_path):
    """With the model extractor, workers are spawned (see batch._pool_context); their output is the same."""
    pytest.importorskip("safetensors", reason="install the model extra: pip install -e '.[model]'")
    from reportmine.batch import run_batch

    docs = tmp_path / "docs"
    docs.mkdir()
    for source in sorted((CORPUS / "docs").glob("a0*.txt"))[:3]:
        (docs / source.name).write_bytes(source.read_bytes())
    # worker processes, not this process (where three small files would go by default)
    run_batch([docs], tmp_path / "one.jsonl", workers=1, extractor="combined", in_process=False)
    run_batch([docs], tmp_path / "two.jsonl", workers=2, extractor="combined", in_process=False)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_default_pipeline_merges_the_rules_figures_with_a_confidence_each():
    pytest.importorskip("safetensors", reason="install the model extra: pip install -e '.[model]'")
    from reportmine.pipeline import DEFAULT_EXTRACTOR, Pipeline

    assert DEFAULT_EXTRACTOR == "combined"
    pipeline = Pipeline()
    assert pipeline.extractor == "combined"
    document = pipeline.extract_text(TEXT)
    rules_only = Pipeline(extractor="rules").extract_text(TEXT)
    # the same figures as the rules (the default neither vetoes nor adds); a field the model
    # changed names the tagger as its evidence
    assert [(m.start, m.end, m.value) for m in document.metrics] == [(m.start, m.end, m.value) for m in rules_only.metrics]
    for combined, rules in zip(document.metrics, rules_only.metrics):
        for name in ("object", "action"):
            if getattr(combined, name) != getattr(rules, name):
                assert combined.evidence[name].rule == "tagger"
    assert all(0 < m.confidence < 1 for m in document.metrics)


def test_batch_without_the_model_extra_says_so_once_and_uses_the_rules(monkeypatch, tmp_path):
    import importlib.util

    from reportmine.batch import run_batch

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "safetensors" else real_find_spec(name, *a))
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    with pytest.warns(ModelUnavailableWarning, match=r"reportmine\[model\]"):
        summary = run_batch([tmp_path / "a.txt"], tmp_path / "out.jsonl", workers=1)
    assert summary.extractor == "rules" and summary.metrics > 0


def test_readings_agree_as_the_scorer_counts_a_field_right():
    from reportmine.evaluate import contains_either_way
    from reportmine.extract_model import readings_agree

    for first, second in [("", ""), ("企业", ""), ("", "企业"), ("企业", "检查企业"), ("检查企业", "企业"), ("企业", "单位"),
                          (" 企业", "企业 ")]:
        assert readings_agree(first, second) == contains_either_way(first, second), (first, second)


def test_the_pipeline_keeps_the_fields_the_merge_took_from_the_tagger(monkeypatch):
    """The merge chose the tagger's field on out-of-fold accuracies measured without a type check,
    and the tagger learned acts that jieba tags as nouns (资助 n): the pipeline must not clear them."""
    pytest.importorskip("safetensors", reason="install the model extra: pip install -e '.[model]'")
    from reportmine.pipeline import Pipeline

    pipeline = Pipeline()
    merged = pipeline.model.combine

    def tagger_reads_a_noun_tagged_act(text, result, *args, **kwargs):
        result = merged(text, result, *args, **kwargs)
        for figure in result.metrics:
            figure.decide("action", "资助", "tagger", (figure.start, figure.end))
        return result

    monkeypatch.setattr(pipeline.model, "combine", tagger_reads_a_noun_tagged_act)
    document = pipeline.extract_text("全年资助困难学生138人。")
    assert [(m.action, m.evidence["action"].rule) for m in document.metrics] == [("资助", "tagger")]
