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


def test_default_extractor_is_at_least_as_good_as_the_rules_on_the_seeds(pipeline, rules_pipeline):
    """The seeds were never used to train the tagger, so they can judge the default honestly."""
    need_seeds()
    default = evaluate_folder(SEEDS, SEED_GOLD, pipeline).as_dict()
    rules = evaluate_folder(SEEDS, SEED_GOLD, rules_pipeline).as_dict()
    for figure in ("f1", "object_accuracy", "action_accuracy"):
        assert default[figure] >= rules[figure], (figure, default[figure], rules[figure])
