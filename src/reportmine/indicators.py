"""Canonical indicators (lexicons/indicators.yaml) and the rule that maps a metric to one.

A metric maps to an indicator when its kind matches, its unit is one the indicator accepts, its
change status agrees (a 同比下降 figure is not a level), its object contains one of the
indicator's object words and its action one of its action words (where the indicator lists
them), and none of the excluded words. When several indicators fit, the one whose evidence
matched the longest words wins; a tie between different indicators maps to nothing: null is
better than wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from .errors import LexiconError

KINDS = ("count", "money", "rate", "measure")


@dataclass(frozen=True)
class Indicator:
    id: str
    zh: str
    en: str
    kind: str
    unit: str
    units: tuple
    objects: tuple
    actions: tuple
    not_objects: tuple = ()
    not_actions: tuple = ()
    change: bool = False

    def evidence(self, kind: str, unit: str, obj: str, action: str, change: Optional[str]) -> int:
        """How strongly a metric fits (length of the matched words), 0 when it does not fit."""
        if kind != self.kind or unit not in self.units or bool(change) != self.change:
            return 0
        if any(word in obj for word in self.not_objects) or any(word in action for word in self.not_actions):
            return 0
        score = 1
        if self.objects:
            matched = [word for word in self.objects if word in obj]
            if not matched:
                return 0
            score += 2 * max(map(len, matched))
        if self.actions:
            matched = [word for word in self.actions if word in action or word in obj]
            if not matched:
                return 0
            score += max(map(len, matched))
        return score


def parse_indicators(path: Path, data) -> list[Indicator]:
    if not isinstance(data, list):
        raise LexiconError(path, 1, "expected a list of indicators")
    item_lines = _item_lines(path, len(data))
    seen, indicators = {}, []
    for entry, where in zip(data, item_lines):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise LexiconError(path, where, "each indicator needs an id")
        if entry["id"] in seen:
            raise LexiconError(path, where, f"duplicate indicator id {entry['id']!r} (first on line {seen[entry['id']]})")
        seen[entry["id"]] = where
        if entry.get("kind") not in KINDS:
            raise LexiconError(path, where, f"{entry['id']}: kind must be one of {', '.join(KINDS)}")
        for key in ("units", "objects", "actions", "not_objects", "not_actions"):
            value = entry.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise LexiconError(path, where, f"{entry['id']}: {key} must be a list of non-empty strings")
        if not entry.get("objects") and not entry.get("actions"):
            raise LexiconError(path, where, f"{entry['id']}: needs objects or actions as evidence")
        unit = entry.get("unit")
        units = tuple(entry.get("units") or ([unit] if unit else []))
        if not unit or unit not in units:
            raise LexiconError(path, where, f"{entry['id']}: unit must be set and listed in units")
        indicators.append(Indicator(
            id=entry["id"], zh=str(entry.get("zh", "")), en=str(entry.get("en", "")), kind=entry["kind"],
            unit=unit, units=units, objects=tuple(entry.get("objects") or ()), actions=tuple(entry.get("actions") or ()),
            not_objects=tuple(entry.get("not_objects") or ()), not_actions=tuple(entry.get("not_actions") or ()),
            change=bool(entry.get("change", False))))
    return indicators


def _item_lines(path: Path, count: int) -> list:
    """The line each list item starts on (0 where the file cannot be read back)."""
    import yaml

    from .lexicon_files import SAFE_LOADER

    try:
        root = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
        lines = [node.start_mark.line + 1 for node in root.value]
    except (OSError, AttributeError, yaml.YAMLError):
        lines = []
    return lines + [0] * (count - len(lines))


class IndicatorMapper:
    MEMORY = 50_000

    def __init__(self, indicators: Iterable[Indicator]):
        self.indicators = list(indicators)
        self._judged: dict = {}
        # only indicators of a metric's kind and unit can fit it: index them once
        self.candidates: dict = {}
        for indicator in self.indicators:
            for unit in indicator.units:
                self.candidates.setdefault((indicator.kind, unit), []).append(indicator)

    def assign(self, kind: str, unit: str, obj: str, action: str, change: Optional[str],
               context: str = "") -> Optional[str]:
        """The indicator for a metric, judged on its object and action; when nothing fits them,
        on the clause before the number (罚款金额236万元 whose object came out as 金额)."""
        chosen = self._best(kind, unit, obj or "", action or "", change)
        if chosen is None and context:
            chosen = self._best(kind, unit, (obj or "") + context, (action or "") + context, change)
        return chosen

    def _best(self, kind, unit, obj, action, change) -> Optional[str]:
        # objects and actions recur across a batch (企业, 隐患, 检查): each combination is judged once
        key = (kind, unit, obj, action, bool(change))
        if key not in self._judged:
            if len(self._judged) >= self.MEMORY:
                self._judged.clear()
            self._judged[key] = self._judge(self.candidates.get((kind, unit), ()), kind, unit, obj, action, change)
        return self._judged[key]

    @staticmethod
    def _judge(candidates, kind, unit, obj, action, change) -> Optional[str]:
        scored = sorted(((ind.evidence(kind, unit, obj, action, change), ind.id) for ind in candidates), reverse=True)
        if not scored or scored[0][0] == 0:
            return None
        if len(scored) > 1 and scored[1][0] == scored[0][0]:
            return None  # two indicators fit equally well: do not guess
        return scored[0][1]
