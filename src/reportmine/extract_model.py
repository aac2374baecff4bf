"""Model-based extraction: two small HanLP character taggers trained on this project's gold.

Optional: needs the `model` extra (``pip install "reportmine[model]"``: torch and hanlp). Without
it, or without a trained model directory, everything here says so clearly and the caller falls
back to the rules (`load_model_extractor` returns None and warns once).

The two taggers (hanlp.components.ner.rnn_ner.RNNNamedEntityRecognizer, a BiLSTM-CRF over
characters with randomly initialised embeddings, loaded with ``hanlp.load(directory)``):

- ``detect``: one sequence per sentence of normalized text, BIO tags ``M`` over each metric
  mention (number, qualifier and unit: ``6,400余家次``). The tagger decides what is a metric;
  the span's value, unit, kind and qualifier are then read by the project's numeral grammar
  (numbers.QuantityScanner), and a tagged span that no quantity overlaps is dropped.
- ``attribute``: one sequence per metric, the sentence window around it with the metric
  wrapped in 〖 〗; BIO tags ``OBJ`` and ``ACT`` over the counted object and the verb of THAT
  metric. Their characters map back to the sentence (markers removed) exactly.

Both see the text with every ASCII digit as 0 and whitespace as ␣ (lengths unchanged), so
character offsets in model space are offsets in normalized text; the pipeline then maps them
to the original with Normalized.to_original, as it does for the rules.

The combiner (`ModelExtractor.combine`) merges rule and model output by a policy that was
chosen with the document-level k-fold evaluation in train.py (see COMBINE_POLICY).
"""
from __future__ import annotations

import importlib.util
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import regex

from .errors import ReportmineError
from .extraction import Dropped, ExtractionResult, Figure
from .rules.grammar import CLAUSE_BREAK, SENTENCE_BREAK

MODEL_NAME = "metric_tagger"
MODELS_DIR = Path(__file__).parent / "models"
DEFAULT_MODEL_DIR = MODELS_DIR / MODEL_NAME
DETECT, ATTRIBUTE = "detect", "attribute"
MAX_SENTENCE = 150  # longer sentences are cut at clause breaks for the detector
WINDOW_LEFT, WINDOW_RIGHT = 60, 40  # the attribute tagger's view around its metric
MARK_OPEN, MARK_CLOSE = "〖", "〗"
DIGIT = regex.compile(r"[0-9]")
SPACE = regex.compile(r"\s")
INSTALL_HINT = 'pip install "reportmine[model]"'

# How rule and model output are merged, chosen by measurement (`reportmine train --kfold
# --all-policies`, train.py, for corpus/; and on real report text the tagger never saw):
#   veto:   drop a rule metric that the detector does not tag (no overlapping M span)
#   add:    add model metrics that no rule metric overlaps
#   object: "rules" keep, "fill" only where rules left it empty, "model" wherever the model has one
#   action: same choices
#   keep_change_verb: keep the rules' action where they read a change (同比下降 -> 下降)
# The model's choices win on corpus/ (document-level 5-fold, README), because it learns the corpus
# annotators' habits; on real reports, gold written by other hands, they lose. Object / action on
# the 5 seed documents, the 37 and 39 real excerpts used to tune the rules, and the 31 of a second
# set (README, Real report text), taggers trained on 62 documents:
#                       seeds         em            other         second
#   rules               0.919 0.919   0.917 0.891   0.877 0.810   0.891 0.731
#   fill both           0.919 0.919   0.932 0.864   0.884 0.817   0.893 0.718
#   fill object only    0.919 0.919   0.932 0.891   0.884 0.810   0.893 0.731   (this policy)
#   action from model   0.919 0.812   0.932 0.840   0.884 0.751   0.893 0.718
#   both from model     0.869 0.812   0.864 0.840   0.830 0.751   0.886 0.718
# Filling the object only is the one merge that is at least as good as the rules on every set,
# and better on the object (F1 is the rules' everywhere: no veto, no additions).
COMBINE_POLICY = {"veto": False, "add": False, "object": "fill", "action": "rules"}


class ModelUnavailable(ReportmineError):
    """The model extra (torch, hanlp) is not installed, or no trained model directory exists."""


class ModelUnavailableWarning(UserWarning):
    """Emitted once when the model was asked for but cannot be used: extraction uses the rules."""


# ---- model input ---------------------------------------------------------------------------
def model_chars(text: str) -> list[str]:
    """The characters the taggers see: digits as 0, whitespace as ␣ (one char per char)."""
    text = DIGIT.sub("0", text)
    text = SPACE.sub("␣", text)
    return list(text)


def sentence_spans(text: str, max_len: int = MAX_SENTENCE) -> list[tuple[int, int]]:
    """Half-open sentence spans of text (a break char ends its sentence); a sentence longer than
    max_len is cut after clause breaks, and hard-cut if it has none. Blank spans are skipped."""
    spans = []
    start = 0
    for match in SENTENCE_BREAK.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for start, end in spans:
        if not text[start:end].strip():
            continue
        while end - start > max_len:
            cut = None
            for match in CLAUSE_BREAK.finditer(text, start, start + max_len):
                if match.end() - start >= 20:
                    cut = match.end()
            cut = cut or start + max_len
            out.append((start, cut))
            start = cut
        if text[start:end].strip():
            out.append((start, end))
    return out


def marked_window(text: str, sentence: tuple[int, int], span: tuple[int, int]):
    """The attribute tagger's input for the metric at span inside sentence: (chars, window_start).
    Model position p maps back to text position window_start + p (before the open mark),
    window_start + p - 1 (inside) or window_start + p - 2 (after the close mark)."""
    s_start, s_end = sentence
    start, end = span
    w_start = max(s_start, start - WINDOW_LEFT)
    w_end = min(s_end, end + WINDOW_RIGHT)
    chars = model_chars(text[w_start:start]) + [MARK_OPEN] + model_chars(text[start:end]) + [MARK_CLOSE] \
        + model_chars(text[end:w_end])
    return chars, w_start


def window_to_text(position: int, w_start: int, span: tuple[int, int]) -> Optional[int]:
    """A model position of marked_window -> a text position; None for the marks themselves."""
    left = span[0] - w_start
    inner = span[1] - span[0]
    if position < left:
        return w_start + position
    if position == left or position == left + inner + 1:
        return None
    if position <= left + inner:
        return w_start + position - 1
    return w_start + position - 2


# ---- loading -------------------------------------------------------------------------------
def _prepare_environment() -> None:
    """hanlp must never reach a file server: a private HANLP_HOME and an offline hub."""
    os.environ.setdefault("HANLP_HOME", str(Path.home() / ".cache" / "reportmine" / "hanlp"))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HANLP_VERBOSE", "0")


def model_status(path: Optional[os.PathLike] = None, load: bool = True) -> Optional[str]:
    """None when the model can be used; else why not, in one sentence with the fix.
    load=False only looks for the packages without importing them (torch takes seconds to import,
    and a process that has imported it can no longer fork workers safely)."""
    if load:
        try:
            import torch  # noqa: F401
            import hanlp  # noqa: F401
        except ImportError as exc:
            return (f"the model extra is not installed ({exc.name or exc} missing): {INSTALL_HINT}; "
                    f"extraction uses the rules only")
    else:
        missing = [name for name in ("torch", "hanlp") if importlib.util.find_spec(name) is None]
        if missing:
            return (f"the model extra is not installed ({', '.join(missing)} missing): {INSTALL_HINT}; "
                    f"extraction uses the rules only")
    path = Path(path) if path is not None else DEFAULT_MODEL_DIR
    for part in (DETECT, ATTRIBUTE):
        if not (path / part / "config.json").is_file():
            return (f"no trained model at {path / part} (train one with `reportmine train`); "
                    f"extraction uses the rules only")
    return None


def load_tagger(directory: os.PathLike):
    """Load one saved tagger with hanlp.load. Only an existing directory is ever passed to
    hanlp: a name would make it look for a pretrained model on a file server."""
    directory = Path(directory)
    if not (directory.is_dir() and (directory / "config.json").is_file()):
        raise ModelUnavailable(f"no trained tagger at {directory} (config.json missing)")
    _prepare_environment()
    try:
        import hanlp
        import torch  # noqa: F401
    except ImportError as exc:
        raise ModelUnavailable(f"the model extra is not installed ({exc.name or exc}): {INSTALL_HINT}") from None
    return hanlp.load(str(directory.resolve()), devices=-1, verbose=False)


_CRF_CLASS = None


def _crf_tagger_class():
    """RNNNamedEntityRecognizer whose CRF is batch-first. hanlp 2.1.5 builds its CRF without
    batch_first while feeding it batch-first emissions, so the CRF learns nothing; this fixes
    that. Made on first use so that this module imports without hanlp; saved models name it as
    reportmine.extract_model.BatchFirstCRFTagger, which module __getattr__ resolves."""
    global _CRF_CLASS
    if _CRF_CLASS is None:
        _prepare_environment()
        from hanlp.components.ner.rnn_ner import RNNNamedEntityRecognizer

        class BatchFirstCRFTagger(RNNNamedEntityRecognizer):
            def build_model(self, *args, **kwargs):
                model = super().build_model(*args, **kwargs)
                if getattr(model, "crf", None) is not None:
                    model.crf.batch_first = True
                return model

        BatchFirstCRFTagger.__module__ = __name__
        BatchFirstCRFTagger.__qualname__ = "BatchFirstCRFTagger"
        _CRF_CLASS = BatchFirstCRFTagger
    return _CRF_CLASS


def __getattr__(name):
    if name == "BatchFirstCRFTagger":
        return _crf_tagger_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class one_torch_thread:
    """Run torch on one thread inside the block: on these small LSTMs two threads are ten times
    slower (and give other sums); the caller's setting is restored after."""

    def __enter__(self):
        import torch

        self.threads = torch.get_num_threads()
        if self.threads != 1:
            torch.set_num_threads(1)
        return self

    def __exit__(self, *exc):
        import torch

        if self.threads != 1:
            torch.set_num_threads(self.threads)
        return False


# ---- the extractor -------------------------------------------------------------------------
TAGGER_RULE = "tagger"  # the evidence of a field the attribute tagger decided


@dataclass
class Attribution:
    object: str = ""
    action: str = ""
    object_span: tuple = (0, 0)  # where the tagger found them (normalized offsets)
    action_span: tuple = (0, 0)


class ModelExtractor:
    """The two taggers, with the same extract() signature as RuleExtractor, and the combiner."""

    name = "model"

    def __init__(self, lexicons, path: Optional[os.PathLike] = None, policy: Optional[dict] = None,
                 batch_size: int = 64):
        from .numbers import QuantityScanner

        self.path = Path(path) if path is not None else DEFAULT_MODEL_DIR
        self.lexicons = lexicons
        self.scanner = QuantityScanner(lexicons)
        self.detector = load_tagger(self.path / DETECT)
        self.attributor = load_tagger(self.path / ATTRIBUTE)
        self.policy = dict(COMBINE_POLICY, **(policy or {}))
        self.batch_size = batch_size
        self.change_words = sorted([(w, "up") for w in lexicons.change_up] + [(w, "down") for w in lexicons.change_down],
                                   key=lambda item: len(item[0]), reverse=True)

    # ---- taggers ---------------------------------------------------------------------
    def _tag(self, tagger, sequences: list[list[str]]) -> list[list[tuple[str, int, int]]]:
        """(label, start, end) entities per sequence, in model positions."""
        if not sequences:
            return []
        with one_torch_thread():
            outputs = tagger(sequences, batch_size=self.batch_size)
        return [[(label, begin, end) for _text, label, begin, end in entities] for entities in outputs]

    def detect(self, text: str) -> list[tuple[int, int]]:
        """Metric spans the detector tags, in text positions."""
        sentences = sentence_spans(text)
        keep = [(s, e) for s, e in sentences if regex.search(r"[0-9零〇○一二两三四五六七八九十百千万亿半壹贰叁肆伍陆柒捌玖拾佰仟]", text[s:e])]
        tagged = self._tag(self.detector, [model_chars(text[s:e]) for s, e in keep])
        spans = []
        for (s, _e), entities in zip(keep, tagged):
            spans += [(s + b, s + e) for label, b, e in entities if label == "M"]
        return spans

    def attribute(self, text: str, spans: Sequence[tuple[int, int]]) -> list[Attribution]:
        """Object and action of each metric span (text positions), from the attribute tagger."""
        if not spans:
            return []
        sentences = sentence_spans(text, max_len=10 ** 9)
        starts = [s for s, _ in sentences]
        from bisect import bisect_right

        inputs, windows = [], []
        for span in spans:
            index = max(0, bisect_right(starts, span[0]) - 1)
            sentence = sentences[index] if sentences else (0, len(text))
            sentence = (min(sentence[0], span[0]), max(sentence[1], span[1]))
            chars, w_start = marked_window(text, sentence, span)
            inputs.append(chars)
            windows.append(w_start)
        out = []
        for span, w_start, entities in zip(spans, windows, self._tag(self.attributor, inputs)):
            found = {}
            for label, b, e in entities:
                start, end = window_to_text(b, w_start, span), window_to_text(e - 1, w_start, span)
                if start is None or end is None or label not in ("OBJ", "ACT"):
                    continue
                end += 1
                if start < span[1] and span[0] < end:
                    continue  # never the metric's own characters
                distance = span[0] - end if end <= span[0] else start - span[1]
                if label not in found or distance < found[label][0]:
                    found[label] = (distance, text[start:end].strip(), (start, end))
            none = (0, "", (0, 0))
            out.append(Attribution(object=found.get("OBJ", none)[1], action=found.get("ACT", none)[1],
                                   object_span=found.get("OBJ", none)[2], action_span=found.get("ACT", none)[2]))
        return out

    # ---- model only ------------------------------------------------------------------
    def extract(self, text: str, corrupt_spans=(), doc_year: Optional[int] = None) -> ExtractionResult:
        """Model-only extraction over normalized text: the detector's spans, each snapped to the
        quantity the numeral grammar reads there (a span no quantity overlaps is dropped, as is
        one that touches corrupted text), with the attribute tagger's object and action."""
        result = ExtractionResult()
        quantities = self.scanner.scan(text)
        taken = set()
        chosen = []
        for start, end in self.detect(text):
            best, overlap = None, 0
            for index, q in enumerate(quantities):
                if q.start >= end:
                    break
                shared = min(end, q.end) - max(start, q.start)
                if shared > overlap:
                    best, overlap = index, shared
            if best is None:
                result.dropped.append(Dropped(start, end, "model_span_not_a_quantity"))
                continue
            q = quantities[best]
            if any(s < q.end + 2 and q.start - 2 < e for s, e in corrupt_spans):
                result.dropped.append(Dropped(q.start, q.end, "corrupt_text"))
                continue
            if best not in taken:
                taken.add(best)
                chosen.append(q)
        chosen.sort(key=lambda q: q.start)
        for q, attribution in zip(chosen, self.attribute(text, [(q.start, q.end) for q in chosen])):
            metric = Figure(start=q.start, end=q.end, value=q.value, value_max=q.value_max, unit=q.unit,
                            kind=q.kind, qualifier=q.qualifier, confidence=0.8)
            for field in ("object", "action"):
                if getattr(attribution, field):
                    metric.decide(field, getattr(attribution, field), TAGGER_RULE, getattr(attribution, field + "_span"))
            change = self._change(attribution.action)
            if change:
                metric.decide("change", change, TAGGER_RULE, attribution.action_span)
            self._sentence(text, metric)
            metric.extractor = self.name
            result.metrics.append(metric)
        return result

    def _change(self, action: str) -> Optional[str]:
        for word, direction in self.change_words:
            if action.endswith(word):
                return direction
        return None

    @staticmethod
    def _sentence(text: str, metric: Figure) -> None:
        start = 0
        for match in SENTENCE_BREAK.finditer(text, 0, metric.start):
            start = match.end()
        end_match = SENTENCE_BREAK.search(text, metric.end)
        end = end_match.end() if end_match else len(text)
        metric.sentence_start, metric.sentence_end = start, end
        clause_start = 0
        for match in CLAUSE_BREAK.finditer(text, start, metric.start):
            clause_start = match.end()
        metric.context = text[max(start, clause_start):metric.start]

    # ---- rules + model ---------------------------------------------------------------
    def combine(self, text: str, rule_result, corrupt_spans=(), doc_year: Optional[int] = None,
                policy: Optional[dict] = None):
        """Merge the rule extractor's output (a ExtractionResult or a list of Figure, normalized
        text coordinates) with the model's, by COMBINE_POLICY (or the given policy). Returns the
        same type it was given; metrics it changed or added carry extractor = "rules+model" or
        "model" (attribute `extractor` on the Figure), the others keep the rules' name."""
        policy = dict(self.policy, **(policy or {}))
        metrics = list(rule_result.metrics if isinstance(rule_result, ExtractionResult) else rule_result)
        dropped = list(rule_result.dropped) if isinstance(rule_result, ExtractionResult) else []
        out = []
        if policy.get("veto") or policy.get("add"):
            model_result = self.extract(text, corrupt_spans, doc_year)
            detected = [(m.start, m.end) for m in model_result.metrics]
        else:
            model_result, detected = None, []
        for metric in metrics:
            if policy.get("veto") and not any(s < metric.end and metric.start < e for s, e in detected):
                dropped.append(Dropped(metric.start, metric.end, "model_veto"))
                continue
            out.append(metric)
        wants = {field: policy.get(field, "rules") for field in ("object", "action")}
        # "fill" only reads the tagger where the rules left a field empty; "model" everywhere
        needs_tagger = [m for m in out if any(
            choice == "model" or choice == "fill" and not getattr(m, field) for field, choice in wants.items())]
        if needs_tagger:
            for metric, attribution in zip(needs_tagger, self.attribute(text, [(m.start, m.end) for m in needs_tagger])):
                changed = False
                for field, choice in wants.items():
                    if field == "action" and metric.change and policy.get("keep_change_verb"):
                        continue  # the rules read a change verb (同比下降): keep it
                    predicted = getattr(attribution, field)
                    current = getattr(metric, field)
                    if predicted and (choice == "model" or choice == "fill" and not current):
                        if predicted != current:
                            changed = True
                        metric.decide(field, predicted, TAGGER_RULE, getattr(attribution, field + "_span"))
                if changed:
                    metric.extractor = "rules+model"
        if policy.get("add") and model_result is not None:
            for extra in model_result.metrics:
                if not any(m.start < extra.end and extra.start < m.end for m in metrics):
                    out.append(extra)
            out.sort(key=lambda m: m.start)
        if isinstance(rule_result, ExtractionResult):
            return ExtractionResult(metrics=out, dropped=dropped)
        return out


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


_default_extractors: dict = {}


def combine(text: str, rule_result, corrupt_spans=(), doc_year: Optional[int] = None, lexicons=None,
            path: Optional[os.PathLike] = None):
    """Rules + the shipped model (ModelExtractor.combine with COMBINE_POLICY) on normalized
    text; when the model cannot be used, rule_result comes back unchanged (after one warning)."""
    key = (id(lexicons), str(path))
    if key not in _default_extractors:
        if lexicons is None:
            from .lexicons import load_lexicons

            lexicons = load_lexicons()
        _default_extractors[key] = load_model_extractor(lexicons, path=path)
    extractor = _default_extractors[key]
    if extractor is None:
        return rule_result
    return extractor.combine(text, rule_result, corrupt_spans, doc_year)
