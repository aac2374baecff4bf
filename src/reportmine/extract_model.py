"""The model extractor: the figure tagger (tagger.py) as a second reader beside the rules, and the
merge of the two by agreement and measured confidence.

Optional: needs the `model` extra (``pip install "reportmine[model]"``: safetensors, NumPy and
threadpoolctl; the network is read in NumPy, torch is needed only to train it).
Without it, or without a trained model folder, everything here says so clearly and the caller falls
back to the rules (`load_model_extractor` returns None and warns once).

A model folder holds config.json and weights.safetensors (the network, read as JSON and tensors
only), calibration.json (what the k-fold measured: per-rule accuracy of the rules' fields, how
often the model's probabilities were right, the confidence weights) and TRAINING.json (what it
was trained on). Nothing in it is unpickled or executed.

Both readers read the same candidates, the figures the numeral grammar proposes (numbers.py with
the listed and table readings of rules/): the rules decide with their named rules, the model with
its probabilities. `merge` keeps the rules' figures and, field by field, keeps the rules' object
and action when the two readers agree (one contains the other, as the scorer counts), and where
they disagree takes the reading more likely to be right: how often the model's probability was
right where the readers disagreed, out of fold, against how often the rule that decided the field
was right there. Each record's
`confidence` is a probability fitted out of fold on the same signals: that the record is a gold
metric with the right object and action.
"""
from __future__ import annotations

import importlib.util
import json
import math
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from .errors import ReportmineError
from .extraction import Dropped, ExtractionResult, Figure
from .rules.grammar import CLAUSE_REACH, TextIndex
from .tagger import CONFIG_FILE, WEIGHTS_FILE, Reading, SpanIndex, UnsafeModel, WindowBuilder, logit

MODEL_NAME = "metric_tagger"
MODELS_DIR = Path(__file__).parent / "models"
DEFAULT_MODEL_DIR = MODELS_DIR / MODEL_NAME
CALIBRATION_FILE = "calibration.json"
TRAINING_FILE = "TRAINING.json"
INSTALL_HINT = 'pip install "reportmine[model]"'
TAGGER_RULE = "tagger"  # the evidence of a field the model decided
NEEDED = ("safetensors", "numpy", "threadpoolctl")
FIELDS = ("object", "action")

# How rule and model readings are merged (`reportmine train` prints the k-fold table of these):
#   object / action: "rules" keeps the rules' field; "fill" takes the model's where the rules'
#     is empty; "choose" takes the model's where the readers disagree and the model's calibrated
#     probability exceeds the deciding rule's measured accuracy by more than `margin` (or
#     `object_margin`, `action_margin` for one field);
#     "model" always takes the model's.
#   measured: "disagreeing" takes the model's reading only where the two accuracies measured where
#     the readers disagree (Calibration.rules_disagreeing, model_disagreeing) say so as well as those
#     over every figure; "only-disagreeing" asks the disagreement measures alone.
#   veto: drop a rule figure whose p(metric) is below this; add: add a model figure (one no rule
#     figure overlaps) whose p(metric) is at least this.
POLICIES = {
    "fill-object": {"object": "fill", "action": "rules"},
    "fill": {"object": "fill", "action": "fill"},
    "choose": {"object": "choose", "action": "choose", "margin": 0.0},
    "choose-margin-0.1": {"object": "choose", "action": "choose", "margin": 0.1},
    "choose-margin-0.2": {"object": "choose", "action": "choose", "margin": 0.2},
    "choose-margins-0.1-0.2": {"object": "choose", "action": "choose", "object_margin": 0.1, "action_margin": 0.2},
    "choose-object": {"object": "choose", "action": "rules", "margin": 0.0},
    "model-fields": {"object": "model", "action": "model"},
    "choose+veto": {"object": "choose", "action": "choose", "margin": 0.0, "veto": 0.05},
    "choose+add": {"object": "choose", "action": "choose", "margin": 0.0, "add": 0.9},
    "choose-favour-model": {"object": "choose", "action": "choose", "object_margin": -0.05, "action_margin": -0.15},
    "choose-where-disagreeing": {"object": "choose", "action": "choose", "margin": 0.0, "measured": "disagreeing"},
    "choose-only-disagreeing": {"object": "choose", "action": "choose", "margin": 0.0, "measured": "only-disagreeing"},
}
# The default: "choose-where-disagreeing", the model's object or action where the readers disagree,
# the model's calibrated probability beats the deciding rule's accuracy over every figure ("choose"),
# and it also beat it where the two readers disagreed, measured out of fold. The figures the readers
# agree on are the easy ones: a rule right on 90% of its figures may be right on half of those the
# model reads otherwise, and the model's reading may be right less often there too. Measured twice in
# the sixth round (k-fold, object / action, pooled): with the fifth round's rules (305 documents,
# 8,230 gold metrics) rules 0.893 / 0.835, model 0.873 / 0.851, "choose" 0.908 / 0.850, this 0.909 /
# 0.853; with the sixth round's (307 documents, 8,562 gold) rules 0.908 / 0.853, model 0.880 / 0.847,
# "choose" 0.917 / 0.863, this 0.919 / 0.868. Comparing the disagreement measures alone
# ("choose-only-disagreeing") reads about the same in the k-fold (0.918 / 0.866) but takes the
# model's low readings on the seeds, whose acts fell from 0.887 to 0.819 and 0.831 with the round's
# earlier models, so both measures must agree.
# (An earlier round chose "choose" over margins of 0.1 and 0.2 on four real sets scored before either
# reader had seen them: the rules, tuned on the documents the k-fold scores, look better there than on
# unseen text, so no margin in their favour is taken.)
COMBINE_POLICY = POLICIES["choose-where-disagreeing"]
# the model alone keeps a figure whose p(metric) is at least this: of 0.2 to 0.5, the best F1 in
# the k-fold (0.978 against 0.975 at 0.5)
MODEL_THRESHOLD = 0.2


class ModelUnavailable(ReportmineError):
    """The model extra (safetensors, numpy, threadpoolctl) is not installed, or no trained model folder exists."""


class ModelUnavailableWarning(UserWarning):
    """Emitted once when the model was asked for but cannot be used: extraction uses the rules."""


# ---- what the k-fold measured ----------------------------------------------------------------
def rule_key(figure: Figure, name: str) -> str:
    """The rule that decided a field of a rule figure ("-" when none did), and whether it left the
    field empty: the accuracy of each is measured apart."""
    evidence = figure.evidence.get(name)
    return f"{evidence.rule if evidence else '-'}{'' if getattr(figure, name) else '/empty'}"


@dataclass
class Calibration:
    """rules: "field:rule key" -> [right, total] on matched gold; model: "metric", "object",
    "action" (a span read) and "object/none", "action/none" (none read) -> per probability bin
    [right, total]; weights: mode -> confidence weights (fit_confidence).
    rules_disagreeing, model_disagreeing: the same two tables counted only where the two readers
    disagree, the one place the merge chooses: a rule that is right on 90% of its figures may be right
    on far fewer of those the model reads otherwise (the easy figures are the agreeing ones)."""

    rules: dict = field(default_factory=dict)
    model: dict = field(default_factory=dict)
    weights: dict = field(default_factory=dict)
    rules_disagreeing: dict = field(default_factory=dict)
    model_disagreeing: dict = field(default_factory=dict)

    def rule_accuracy(self, name: str, key: str, disagreeing: bool = False) -> float:
        """The share of right fields among those the rule decided (where the model read otherwise,
        with disagreeing), shrunk towards the field's overall share when the rule decided few (two
        pseudo-counts)."""
        table = self.rules_disagreeing if disagreeing else self.rules
        right, total = table.get(f"{name}:{key}", (0, 0))
        return (right + 2 * self._overall(name, disagreeing)) / (total + 2)

    def _overall(self, name: str, disagreeing: bool = False) -> float:
        cache = self.__dict__.setdefault("_overall_cache", {})
        if (name, disagreeing) not in cache:
            table = self.rules_disagreeing if disagreeing else self.rules
            right, total = (sum(c[i] for k, c in table.items() if k.startswith(name + ":")) for i in (0, 1))
            cache[name, disagreeing] = right / total if total else 0.5
        return cache[name, disagreeing]

    def model_accuracy(self, name: str, p: float, none: bool = False, disagreeing: bool = False) -> float:
        """How often a model probability like p was right, out of fold (its bin, shrunk towards
        the bin's middle); none: of a reading of no object (or action), measured apart;
        disagreeing: only where the rules read otherwise."""
        bins = (self.model_disagreeing if disagreeing else self.model).get(f"{name}/none" if none else name)
        if not bins:
            return p
        index = min(len(bins) - 1, int(p * len(bins)))
        right, total = bins[index]
        middle = (index + 0.5) / len(bins)
        return (right + 2 * middle) / (total + 2)

    def save(self, path: os.PathLike) -> None:
        Path(path).write_text(json.dumps({"rules": self.rules, "model": self.model, "weights": self.weights,
                                          "rules_disagreeing": self.rules_disagreeing,
                                          "model_disagreeing": self.model_disagreeing},
                                         ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: os.PathLike) -> "Calibration":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(rules=data.get("rules", {}), model=data.get("model", {}), weights=data.get("weights", {}),
                   rules_disagreeing=data.get("rules_disagreeing", {}),
                   model_disagreeing=data.get("model_disagreeing", {}))


# ---- the signals behind a record's confidence -------------------------------------------------
@dataclass
class FieldSignal:
    rule_accuracy: Optional[float]  # None: no rule reading (a figure the model added)
    model_accuracy: float  # the model's reading, its probability calibrated
    agree: bool  # the two readings agree (one contains the other)
    took_model: bool


@dataclass
class Signals:
    from_rules: bool
    p_metric: float
    fields: dict  # field -> FieldSignal


def confidence_features(signals: Signals, mode: str) -> list[float]:
    """The inputs of the confidence's logistic fit, per mode (model alone, or the merge)."""
    if mode == "model":
        return [1.0, logit(signals.p_metric)] + [logit(signals.fields[n].model_accuracy) for n in FIELDS]
    row = [1.0, float(signals.from_rules), logit(signals.p_metric)]
    for name in FIELDS:
        s = signals.fields[name]
        row += [logit(s.rule_accuracy) if s.rule_accuracy is not None else 0.0, logit(s.model_accuracy),
                float(s.agree), float(s.took_model)]
    return row


def fit_confidence(rows_by_mode: dict, l2: float = 1.0, iterations: int = 50) -> dict:
    """Logistic regression (Newton's method, a small L2 penalty) of "right" on the features, per
    mode: rows are (features, right, fold)."""
    import numpy as np

    weights = {}
    for mode, rows in rows_by_mode.items():
        if not rows:
            continue
        x = np.array([r[0] for r in rows], dtype=float)
        y = np.array([float(r[1]) for r in rows])
        w = np.zeros(x.shape[1])
        penalty = np.full(x.shape[1], l2)
        penalty[0] = 0.0  # the intercept is not shrunk
        for _ in range(iterations):
            p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
            gradient = x.T @ (p - y) + penalty * w
            hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
            step = np.linalg.solve(hessian, gradient)
            w -= step
            if np.abs(step).max() < 1e-8:
                break
        weights[mode] = [round(float(v), 6) for v in w]
    return weights


def confidence(signals: Signals, mode: str, calibration: Optional[Calibration]) -> float:
    weights = (calibration.weights if calibration else {}).get(mode)
    if not weights:
        return 0.0  # nothing measured: no confidence claimed
    z = sum(w * x for w, x in zip(weights, confidence_features(signals, mode)))
    return round(1 / (1 + math.exp(-max(-30.0, min(30.0, z)))), 4)


# ---- the candidates both readers read -------------------------------------------------------
class FigureReader:
    """Candidates (the numeral grammar's figures, with the listed and table readings of the
    rules) and their windows."""

    def __init__(self, lexicons, rules=None):
        from .rules import RuleExtractor

        self.lexicons = lexicons
        self.rules = rules or RuleExtractor(lexicons)
        self.segmenter = self.rules.grammar.segmenter
        self.change_words = sorted([(w, "up") for w in lexicons.change_up] + [(w, "down") for w in lexicons.change_down],
                                   key=lambda item: len(item[0]), reverse=True)

    def candidates(self, text: str, corrupt_spans=(), also: Sequence[tuple] = ()):
        """(quantities, windows, rejected, extra): every figure the numeral grammar proposes (those
        touching corrupted text left out, as the rules leave them out), with its window; then the
        spans of `also` that are no candidate (extra), whose windows follow."""
        from .rules.tables import TableLines

        rules = self.rules
        quantities = rules.scanner.scan(text)
        rejected = list(rules.scanner.rejected)
        quantities = rules.listed.sharing_unit(text, quantities)
        if "\t" in text:
            quantities = sorted(quantities + rules.tables.bare_numbers(text, TableLines(text), quantities),
                                key=lambda q: q.start)
        near_corruption = _near_corruption(corrupt_spans)
        quantities = [q for q in quantities if not near_corruption(q)]
        spans = [(q.start, q.end) for q in quantities]
        known = set(spans)
        extra = [span for span in also if span not in known]
        builder = WindowBuilder(self.segmenter, text)
        windows = [builder.window(start, end, spans) for start, end in spans + extra]
        return quantities, windows, rejected, extra

    def change(self, action: str) -> Optional[str]:
        for word, direction in self.change_words:
            if action.endswith(word):
                return direction
        return None


def _near_corruption(corrupt_spans):
    """A test of whether a figure lies within two characters of a corrupted span (its digits may be
    lost), each figure's neighbours looked up in the spans sorted once (a document with thousands
    of corrupted spans and figures is not scanned once per figure)."""
    corrupt = SpanIndex(corrupt_spans)

    def near(q) -> bool:
        lo, hi = q.start - 2, q.end + 2
        return any(s < hi and lo < e for s, e in corrupt.near(lo, hi))
    return near


# ---- loading ---------------------------------------------------------------------------------
def model_status(path: Optional[os.PathLike] = None, load: bool = True) -> Optional[str]:
    """None when the model can be used; else why not, in one sentence with the fix.
    load=False only looks for the packages, without importing them."""
    if load:
        try:
            import numpy  # noqa: F401
            import safetensors.numpy  # noqa: F401
            import threadpoolctl  # noqa: F401
        except ImportError as exc:
            return (f"the model extra is not installed ({exc.name or exc} missing): {INSTALL_HINT}; "
                    f"extraction uses the rules only")
    else:
        missing = [name for name in NEEDED if importlib.util.find_spec(name) is None]
        if missing:
            return (f"the model extra is not installed ({', '.join(missing)} missing): {INSTALL_HINT}; "
                    f"extraction uses the rules only")
    path = Path(path) if path is not None else DEFAULT_MODEL_DIR
    for name in (CONFIG_FILE, WEIGHTS_FILE):
        if not (path / name).is_file():
            return (f"no trained model at {path} ({name} missing; train one with `reportmine train`); "
                    f"extraction uses the rules only")
    return None


def load_tagger(directory: os.PathLike):
    """The FigureTagger saved in directory: JSON and safetensors only (tagger.FigureTagger.load)."""
    directory = Path(directory)
    if not (directory.is_dir() and (directory / CONFIG_FILE).is_file() and (directory / WEIGHTS_FILE).is_file()):
        raise ModelUnavailable(f"no trained model at {directory} ({CONFIG_FILE} and {WEIGHTS_FILE} needed)")
    try:
        import numpy  # noqa: F401
        import safetensors.numpy  # noqa: F401
        import threadpoolctl  # noqa: F401
    except ImportError as exc:
        raise ModelUnavailable(f"the model extra is not installed ({exc.name or exc}): {INSTALL_HINT}") from None
    from .tagger import FigureTagger

    try:
        return FigureTagger.load(directory)
    except (UnsafeModel, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ModelUnavailable(f"cannot load the model at {directory}: {exc}") from None


# ---- the extractor ---------------------------------------------------------------------------
class ModelExtractor:
    """The tagger with the same extract() signature as RuleExtractor, and the merge with the rules."""

    name = "model"

    def __init__(self, lexicons, path: Optional[os.PathLike] = None, policy: Optional[dict] = None, rules=None):
        self.path = Path(path) if path is not None else DEFAULT_MODEL_DIR
        self.lexicons = lexicons
        self.reader = FigureReader(lexicons, rules)
        self.tagger = load_tagger(self.path)
        calibration_path = self.path / CALIBRATION_FILE
        self.calibration = Calibration.load(calibration_path) if calibration_path.is_file() else None
        self.policy = dict(COMBINE_POLICY, **(policy or {}))

    def read(self, text: str, corrupt_spans=(), also: Sequence[tuple] = ()):
        """(candidates, readings, rejected, extra): the model's reading of every candidate, then of
        each span of `also` that is no candidate (extra)."""
        candidates, windows, rejected, extra = self.reader.candidates(text, corrupt_spans, also)
        readings = self.tagger.read(windows)
        return candidates, readings, rejected, extra

    def extract(self, text: str, corrupt_spans=(), doc_year: Optional[int] = None) -> ExtractionResult:
        """The model alone over normalized text: the candidates it reads as metrics."""
        candidates, readings, rejected, _extra = self.read(text, corrupt_spans)
        metrics = model_only(text, candidates, readings, self.calibration, change=self.reader.change)
        return ExtractionResult(metrics=metrics, dropped=[Dropped(s, e, reason) for s, e, reason in rejected])

    def combine(self, text: str, rule_result, corrupt_spans=(), doc_year: Optional[int] = None,
                policy: Optional[dict] = None):
        """Merge the rule extractor's output (an ExtractionResult or a list of Figure, normalized
        text coordinates) with the model's readings by the policy. Returns the same type it was
        given; figures whose fields the model changed say extractor "rules+model", those it added
        "model"."""
        policy = dict(self.policy, **(policy or {}))
        figures = list(rule_result.metrics if isinstance(rule_result, ExtractionResult) else rule_result)
        # a rule figure that is no candidate (none on corpus/ or the real sets) is read all the same
        candidates, readings, _rejected, extra = self.read(text, corrupt_spans, also=[(f.start, f.end) for f in figures])
        dropped = list(rule_result.dropped) if isinstance(rule_result, ExtractionResult) else []
        merged = merge(text, figures, candidates, readings, self.calibration, policy, extra=extra, dropped=dropped,
                       change=self.reader.change)
        if isinstance(rule_result, ExtractionResult):
            return ExtractionResult(metrics=merged, dropped=dropped)
        return merged


def readings_agree(first: str, second: str) -> bool:
    """Two readings of a field agree when both are empty or one contains the other: the scorer's
    rule for a right object or action, so agreeing readings are right or wrong together."""
    first, second = first.strip(), second.strip()
    return first == second or bool(first) and bool(second) and (first in second or second in first)


def span_text(text: str, span) -> str:
    return text[span[0]:span[1]].strip() if span else ""


def _model_figure(text: str, q, reading: Reading, change, index: TextIndex) -> Figure:
    figure = Figure(start=q.start, end=q.end, value=q.value, value_max=q.value_max, unit=q.unit, kind=q.kind,
                    qualifier=q.qualifier, extractor="model")
    for name in FIELDS:
        span = getattr(reading, f"{name}_span")
        if span:
            figure.decide(name, span_text(text, span), TAGGER_RULE, span)
    direction = change(figure.action) if change and figure.action else None
    if direction:
        figure.decide("change", direction, TAGGER_RULE, reading.action_span)
    _place_in_sentence(text, figure, index)
    return figure


def _model_signals(reading: Reading, calibration: Optional[Calibration]) -> Signals:
    fields = {}
    for name in FIELDS:
        p, none = getattr(reading, f"p_{name}"), getattr(reading, f"{name}_span") is None
        fields[name] = FieldSignal(None, calibration.model_accuracy(name, p, none) if calibration else p, False, True)
    return Signals(False, reading.p_metric, fields)


def model_only(text: str, candidates: list, readings: list, calibration: Optional[Calibration],
               threshold: float = MODEL_THRESHOLD, with_confidence: bool = True, change=None, signals: bool = False):
    """The model alone: a figure for each candidate read as a metric, with the model's object and
    action and, with a calibration, its confidence. signals=True returns (figure, Signals) pairs."""
    out = []
    index = TextIndex(text)
    for q, reading in zip(candidates, readings):
        if reading.p_metric < threshold:
            continue
        figure = _model_figure(text, q, reading, change, index)
        found = _model_signals(reading, calibration)
        if with_confidence:
            figure.confidence = confidence(found, "model", calibration)
        out.append((figure, found) if signals else figure)
    return out


def merge(text: str, rule_figures: list, candidates: list, readings: list, calibration: Optional[Calibration],
          policy: dict, with_confidence: bool = True, extra: Sequence[tuple] = (), dropped: Optional[list] = None,
          change=None, signals: bool = False):
    """Rule figures merged with the model's readings of the same figures (see the module's
    docstring and POLICIES). signals=True returns (figure, Signals) pairs."""
    by_span = {(q.start, q.end): r for q, r in zip(candidates, readings)}
    by_span.update({span: r for span, r in zip(extra, readings[len(candidates):])})
    out = []
    for rule_figure in rule_figures:
        reading = by_span.get((rule_figure.start, rule_figure.end))
        if reading is None:  # no reading at all: the rules' figure as it is
            out.append((rule_figure, None))
            continue
        if policy.get("veto") is not None and reading.p_metric < policy["veto"]:
            if dropped is not None:
                dropped.append(Dropped(rule_figure.start, rule_figure.end, "model_veto"))
            continue
        figure = rule_figure
        fields = {}
        for name in FIELDS:
            rule_value = getattr(figure, name)
            span = getattr(reading, f"{name}_span")
            model_value = span_text(text, span)
            rule_accuracy = calibration.rule_accuracy(name, rule_key(figure, name)) if calibration else 0.5
            p = getattr(reading, f"p_{name}")
            model_accuracy = calibration.model_accuracy(name, p, span is None) if calibration else p
            agree = readings_agree(rule_value, model_value)
            choice = policy.get(name, "rules")
            margin = policy.get(f"{name}_margin", policy.get("margin", 0.0))
            measured = policy.get("measured")
            take = not agree and (choice == "model" or choice == "fill" and not rule_value and bool(model_value)
                                  or choice == "choose" and (measured == "only-disagreeing"
                                                             or model_accuracy > rule_accuracy + margin))
            if take and choice == "choose" and measured in ("disagreeing", "only-disagreeing") and calibration:
                # compared again as measured where the readers disagree, which is where this choice is made
                take = calibration.model_accuracy(name, p, span is None, disagreeing=True) > \
                    calibration.rule_accuracy(name, rule_key(figure, name), disagreeing=True) + margin
            if take:
                if figure is rule_figure:
                    figure = _copy(rule_figure)
                # a reading of "none" points at the figure it read
                figure.decide(name, model_value, TAGGER_RULE, span or (figure.start, figure.end))
                figure.extractor = "rules+model"
            fields[name] = FieldSignal(rule_accuracy, model_accuracy, agree, take)
        out.append((figure, Signals(True, reading.p_metric, fields)))
    if policy.get("add") is not None:
        taken = [(f.start, f.end) for f in rule_figures]
        index = TextIndex(text)
        for q, reading in zip(candidates, readings):
            if reading.p_metric >= policy["add"] and not any(s < q.end and q.start < e for s, e in taken):
                out.append((_model_figure(text, q, reading, change, index), _model_signals(reading, calibration)))
        out.sort(key=lambda pair: pair[0].start)
    if with_confidence:
        for figure, found in out:
            if found is not None:
                figure.confidence = confidence(found, "combined", calibration)
    if signals:
        return out
    return [figure for figure, _ in out]


def _copy(figure: Figure) -> Figure:
    from dataclasses import replace

    return replace(figure, evidence=dict(figure.evidence))


def _place_in_sentence(text: str, figure: Figure, index: TextIndex) -> None:
    """The sentence and clause context the pipeline reads (repeats, indicators), found by bisection
    in the text's index (built once per text by the caller)."""
    figure.sentence_start, figure.sentence_end = index.sentence_bounds(figure.start)
    clause_start = index.clause_start(figure.start)
    figure.context = text[max(figure.sentence_start, clause_start, figure.start - CLAUSE_REACH):figure.start]


_warned = set()


def load_model_extractor(lexicons, path: Optional[os.PathLike] = None, required: bool = False,
                         policy: Optional[dict] = None) -> Optional[ModelExtractor]:
    """The model extractor, or None (with one ModelUnavailableWarning per reason) when the
    model extra is not installed or no model is trained; required=True raises instead."""
    reason = model_status(path)
    if reason is None:
        try:
            return ModelExtractor(lexicons, path=path, policy=policy)
        except ModelUnavailable as exc:
            reason = str(exc)
    if required:
        raise ModelUnavailable(reason)
    if reason not in _warned:
        _warned.add(reason)
        warnings.warn(f"reportmine: {reason}", ModelUnavailableWarning, stacklevel=2)
    return None
