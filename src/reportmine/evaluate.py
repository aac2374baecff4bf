"""Score extracted metrics against gold annotations (../shared/gold/GUIDELINES.md).

Same matching as the project's yardstick: a prediction matches a gold line when their spans
overlap, their values agree within 1e-6 relative and their canonical units are equal; each
gold line matches at most one prediction, first come first served in reading order. Kind,
qualifier, object, action and change are then scored on the matched pairs (object and action
count as right when one contains the other).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from .decode import decode_bytes
from .records import Document

UNIT_ALIASES = {"％": "%", "km": "公里", "人民币": "元", "块": "元", "百分点": "个百分点"}
ATTRIBUTES = ("kind", "qualifier", "object", "action", "change")


def canonical_unit(unit: Optional[str]) -> str:
    unit = UNIT_ALIASES.get((unit or "").strip(), (unit or "").strip())
    # the classifier 个 does not change a unit: 个小时 = 小时, 个百分点 = 百分点
    return unit[1:] if len(unit) > 1 and unit.startswith("个") else unit


def values_agree(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= max(1e-9, 1e-6 * max(abs(a), abs(b)))


def contains_either_way(gold: Optional[str], predicted: Optional[str]) -> bool:
    gold, predicted = (gold or "").strip(), (predicted or "").strip()
    if not gold and not predicted:
        return True
    return bool(gold) and bool(predicted) and (gold in predicted or predicted in gold)


def locate(text: str, needle: str, occurrence: int) -> int:
    index = -1
    for _ in range(occurrence):
        index = text.find(needle, index + 1)
        if index < 0:
            return -1
    return index


@dataclass
class GoldDocument:
    doc: str
    text: str
    items: list


def load_gold(gold_dir: Path, docs_dir: Path) -> dict:
    """Gold lines per document, each with start/end located in the decoded document."""
    gold = {}
    documents = {p.stem: p for p in Path(docs_dir).iterdir() if p.is_file()}
    for gold_file in sorted(Path(gold_dir).glob("*.jsonl")):
        source = documents.get(gold_file.stem)
        if source is None:
            raise FileNotFoundError(f"gold {gold_file.name}: no document {gold_file.stem}.* in {docs_dir}")
        text = decode_bytes(source.read_bytes()).text
        items = []
        for number, line in enumerate(gold_file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            item = json.loads(line)
            start = locate(text, item["text"], int(item.get("occurrence", 1)))
            if start < 0:
                raise ValueError(f"{gold_file}:{number}: {item['text']!r} occurrence {item.get('occurrence', 1)} not in {source.name}")
            item["start"], item["end"] = start, start + len(item["text"])
            items.append(item)
        gold[source.name] = GoldDocument(source.name, text, items)
    return gold


@dataclass
class Score:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    attribute_right: dict = field(default_factory=lambda: defaultdict(int))
    per_document: dict = field(default_factory=dict)
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)
    pairs: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, attribute: str) -> float:
        return self.attribute_right[attribute] / self.matched if self.matched else 0.0

    @property
    def indicator_coverage(self) -> Optional[float]:
        """Share of the gold metrics that have an indicator to which we assign one."""
        gold = self.attribute_right["indicator_gold"]
        return self.attribute_right["indicator_covered"] / gold if gold else None

    @property
    def indicator_precision(self) -> Optional[float]:
        """Share of our assigned indicators that equal gold's (gold null counts as wrong)."""
        ours = self.attribute_right["indicator_ours"]
        return self.attribute_right["indicator_right"] / ours if ours else None

    def as_dict(self) -> dict:
        out = {"gold": self.gold, "pred": self.predicted, "tp": self.matched, "precision": self.precision,
               "recall": self.recall, "f1": self.f1, "docs": self.per_document}
        out.update({f"{a}_accuracy": self.accuracy(a) for a in ATTRIBUTES})
        out.update(indicator_coverage=self.indicator_coverage, indicator_precision=self.indicator_precision)
        return out


def score(gold: dict, predictions: dict) -> Score:
    """predictions: document name -> list of metric dicts (start, end, value, unit, ...)."""
    result = Score()
    for name, gold_doc in gold.items():
        predicted = sorted(predictions.get(name, []), key=lambda p: (p["start"], p["end"]))
        taken = set()
        matched = 0
        for item in gold_doc.items:
            hit = None
            for j, p in enumerate(predicted):
                if j in taken or not (p["start"] < item["end"] and item["start"] < p["end"]):
                    continue
                if values_agree(item["value"], p.get("value")) and canonical_unit(item["unit"]) == canonical_unit(p.get("unit")):
                    hit = j
                    break
            if hit is None:
                result.misses.append((name, item))
                continue
            taken.add(hit)
            matched += 1
            p = predicted[hit]
            result.pairs.append((name, item, p))
            right = result.attribute_right
            right["kind"] += item.get("kind") == p.get("kind")
            right["qualifier"] += (item.get("qualifier") or "exact") == (p.get("qualifier") or "exact")
            right["object"] += contains_either_way(item.get("object"), p.get("object"))
            right["action"] += contains_either_way(item.get("action"), p.get("action"))
            right["change"] += (item.get("change") or "") == (p.get("change") or "")
            if "indicator" in item:
                # indicator mapping: coverage of gold's indicators, precision of ours
                # gold holds taxonomy ids only: a signature (a column named by the figure's own
                # words) is no claim that the figure is a taxonomy indicator
                gold_id = item.get("indicator")
                ours = p.get("indicator") if p.get("indicator_source", "taxonomy") == "taxonomy" else None
                right["indicator_gold"] += gold_id is not None
                right["indicator_ours"] += ours is not None
                right["indicator_covered"] += gold_id is not None and ours is not None
                right["indicator_right"] += ours is not None and ours == gold_id
        result.extras += [(name, p) for j, p in enumerate(predicted) if j not in taken]
        result.gold += len(gold_doc.items)
        result.predicted += len(predicted)
        result.matched += matched
        p_doc = matched / len(predicted) if predicted else 0.0
        r_doc = matched / len(gold_doc.items) if gold_doc.items else 0.0
        result.per_document[name] = {"gold": len(gold_doc.items), "pred": len(predicted), "tp": matched,
                                     "precision": p_doc, "recall": r_doc,
                                     "f1": 2 * p_doc * r_doc / (p_doc + r_doc) if p_doc + r_doc else 0.0}
    return result


def predictions_from_documents(documents: Iterable[Document]) -> dict:
    out = defaultdict(list)
    for document in documents:
        for metric in document.metrics:
            out[document.doc].append(metric.model_dump(mode="json"))
    return out


def evaluate_folder(docs_dir, gold_dir, pipeline=None) -> Score:
    """Extract every gold-annotated document in docs_dir and score it."""
    from .pipeline import default_pipeline

    pipeline = pipeline or default_pipeline()
    gold = load_gold(Path(gold_dir), Path(docs_dir))
    documents = [pipeline.extract_file(Path(docs_dir) / name) for name in gold]
    return score(gold, predictions_from_documents(documents))


def format_report(result: Score, verbose: bool = False, gold: Optional[dict] = None) -> str:
    lines = [f"{'document':44} {'gold':>5} {'pred':>5} {'tp':>5} {'P':>6} {'R':>6} {'F1':>6}"]
    for name, row in result.per_document.items():
        lines.append(f"{name[:44]:44} {row['gold']:5} {row['pred']:5} {row['tp']:5} "
                     f"{row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}")
    lines.append(f"{'ALL':44} {result.gold:5} {result.predicted:5} {result.matched:5} "
                 f"{result.precision:6.3f} {result.recall:6.3f} {result.f1:6.3f}")
    for attribute in ATTRIBUTES:
        lines.append(f"{attribute} accuracy on matched: {result.accuracy(attribute):.3f}")
    if result.indicator_coverage is not None:
        lines.append(f"indicator coverage (gold indicators we assign): {result.indicator_coverage:.3f}")
        lines.append(f"indicator precision (our indicators that are gold's): "
                     + (f"{result.indicator_precision:.3f}" if result.indicator_precision is not None else "n/a"))
    if verbose:
        for name, item in result.misses:
            lines.append(f"MISS  {name}: {item['text']!r} value={item['value']} unit={item['unit']} object={item.get('object')}")
        for name, p in result.extras:
            lines.append(f"EXTRA {name}: {p.get('text')!r} value={p.get('value')} unit={p.get('unit')} object={p.get('object')}")
        for name, item, p in result.pairs:
            wrong = [a for a in ("object", "action") if not contains_either_way(item.get(a), p.get(a))]
            if "indicator" in item and p.get("indicator") is not None and p.get("indicator") != item.get("indicator"):
                lines.append(f"INDIC {name}: {item['text']!r} gold={item.get('indicator')} pred={p.get('indicator')} "
                             f"object={p.get('object')!r} action={p.get('action')!r}")
            if wrong:
                lines.append(f"ATTR  {name}: {item['text']!r} " + " ".join(
                    f"{a}: gold={item.get(a)!r} pred={p.get(a)!r}" for a in wrong))
    lines.append(f"F1 {result.f1:.3f}")
    return "\n".join(lines)
