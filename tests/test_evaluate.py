import json
import subprocess
import sys

import pytest

from reportmine.evaluate import canonical_unit, contains_either_way, evaluate_folder, score, load_gold

from conftest import SEED_GOLD, SEEDS, SHARED, need_seeds


def test_unit_and_text_comparisons():
    assert canonical_unit("个小时") == canonical_unit("小时") == "小时"
    assert canonical_unit("百分点") == canonical_unit("个百分点")
    assert contains_either_way("行政处罚企业", "行政处罚")
    assert contains_either_way("", "")
    assert not contains_either_way("企业", "")


def test_scores_agree_with_the_reference_scorer(tmp_path, pipeline):
    need_seeds()
    reference = SHARED / "eval" / "score.py"
    if not reference.exists():
        pytest.skip(f"{reference} not found")
    from reportmine.cli import app
    from typer.testing import CliRunner

    out = tmp_path / "m.jsonl"
    CliRunner().invoke(app, ["extract", str(SEEDS), "-o", str(out), "--quiet"])
    completed = subprocess.run([sys.executable, str(reference), "--docs", str(SEEDS), "--gold", str(SEED_GOLD),
                                "--pred", str(out), "--json", str(tmp_path / "ref.json")], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    theirs = json.loads((tmp_path / "ref.json").read_text(encoding="utf-8"))
    ours = evaluate_folder(SEEDS, SEED_GOLD, pipeline).as_dict()
    for figure in ("f1", "precision", "recall", "object_accuracy", "action_accuracy", "qualifier_accuracy"):
        assert ours[figure] == pytest.approx(theirs[figure]), figure


def test_a_missing_prediction_costs_recall(tmp_path):
    docs, gold = tmp_path / "docs", tmp_path / "gold"
    docs.mkdir(), gold.mkdir()
    (docs / "x.txt").write_text("检查企业12家,发现隐患5处。", encoding="utf-8")
    (gold / "x.jsonl").write_text(
        '{"text": "12家", "value": 12, "unit": "家", "kind": "count", "object": "企业", "action": "检查"}\n'
        '{"text": "5处", "value": 5, "unit": "处", "kind": "count", "object": "隐患", "action": "发现"}\n', encoding="utf-8")
    loaded = load_gold(gold, docs)
    result = score(loaded, {"x.txt": [{"start": 4, "end": 7, "value": 12, "unit": "家", "kind": "count",
                                       "object": "企业", "action": "检查"}]})
    assert (result.matched, result.recall, result.precision) == (1, 0.5, 1.0)
