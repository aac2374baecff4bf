"""The extractor must not get worse: corpus/ and the seeds are scored, and each figure must stay
at or above the level recorded in regression_baseline.json. After a real improvement, record the
new levels with: REPORTMINE_UPDATE_BASELINE=1 pytest tests/test_regression.py"""
import json
import os
from pathlib import Path

import pytest

from reportmine.evaluate import evaluate_folder

from conftest import CORPUS, SEED_GOLD, SEEDS, need_seeds

BASELINE = Path(__file__).with_name("regression_baseline.json")
FIGURES = ("f1", "precision", "recall", "kind_accuracy", "qualifier_accuracy", "object_accuracy",
           "action_accuracy", "change_accuracy", "indicator_coverage", "indicator_precision")


def check(name, docs, gold, pipeline):
    scores = evaluate_folder(docs, gold, pipeline).as_dict()
    baseline = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    if os.environ.get("REPORTMINE_UPDATE_BASELINE"):
        baseline[name] = {figure: round(scores[figure], 4) for figure in FIGURES if scores[figure] is not None}
        baseline[name]["gold"] = scores["gold"]
        BASELINE.write_text(json.dumps(baseline, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    recorded = baseline.get(name)
    assert recorded, f"no baseline for {name}; run with REPORTMINE_UPDATE_BASELINE=1"
    assert scores["gold"] >= recorded["gold"], "gold annotations were removed: re-record the baseline on purpose"
    worse = {f: (scores[f], recorded[f]) for f in FIGURES
             if f in recorded and (scores[f] is None or round(scores[f], 4) < recorded[f])}
    assert not worse, f"{name} got worse (now, recorded): {worse}"


def test_corpus_does_not_regress(rules_pipeline):
    check("corpus", CORPUS / "docs", CORPUS / "gold", rules_pipeline)


def test_seeds_do_not_regress(rules_pipeline):
    need_seeds()
    check("seeds", SEEDS, SEED_GOLD, rules_pipeline)


def test_default_extractor_finds_and_names_at_least_as_well_as_the_rules_on_the_seeds(pipeline, rules_pipeline):
    """The seeds were never used to train the tagger. Their actions are not compared: the rules were
    tuned on the seeds, whose annotators name the most specific act (帮助, 邀请) where the real sets'
    name the clause's verb (完成, 实现); the default takes the tagger's act where the k-fold measured
    it likelier right (see the next test), and loses actions here (README, Extractors)."""
    need_seeds()
    default = evaluate_folder(SEEDS, SEED_GOLD, pipeline).as_dict()
    rules = evaluate_folder(SEEDS, SEED_GOLD, rules_pipeline).as_dict()
    for figure in ("f1", "object_accuracy"):
        assert default[figure] >= rules[figure], (figure, default[figure], rules[figure])


# The k-fold scores the rules on documents they were tuned on: per source a merge may fall a little
# below them there and still read unseen text better (extract_model.COMBINE_POLICY), but not more.
KFOLD_SOURCE_TOLERANCE = 0.02


def test_default_merge_was_at_least_as_good_as_the_rules_in_the_shipped_models_kfold():
    """The k-fold that `reportmine train` ran for the shipped model (every document scored by a model
    that never saw it, on corpus/ and each real set): the default merge must not lose to the rules
    pooled, in F1, object or action, nor by more than KFOLD_SOURCE_TOLERANCE on any source. A
    retrained model that does fails here."""
    from reportmine.extract_model import DEFAULT_MODEL_DIR, TRAINING_FILE

    training = json.loads((DEFAULT_MODEL_DIR / TRAINING_FILE).read_text(encoding="utf-8"))
    by_source = training["kfold_sources"]
    default, rules = by_source[training["default_merge"]], by_source["rules"]
    assert set(default) >= {"corpus"}
    for source in default:
        for figure in ("f1", "object", "action"):
            assert default[source][figure] >= rules[source][figure] - KFOLD_SOURCE_TOLERANCE, (source, figure)
    pooled = training["kfold"]
    for figure in ("f1", "object", "action"):
        assert pooled[training["default_merge"]][figure] >= pooled["rules"][figure], figure
