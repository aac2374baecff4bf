"""Train the figure tagger (tagger.py) from gold, and measure it with a document-level k-fold.

    reportmine train -o DIR            # k-fold (calibration), then the model on every document
    reportmine train --kfold-only      # the k-fold table of rules / model / merges, nothing saved

Training documents: corpus/ (documents and gold) and the real report sets em, econ and resources
(gold in realsets/<set>/gold, texts in the local cache, each checked against its index's sha256).
The holdout set is never read. A set whose texts are not cached (CI, a fresh clone) is skipped and
named: the model is trained on what is present, and TRAINING.json lists what that was.

One example per figure the numeral grammar proposes (the candidates the model reads at run time):
a figure that matches a gold metric (overlapping span, equal value and unit, as the scorer matches)
is a metric, its gold object and action located in its window; any other is not a metric.
A gold object that the text paraphrases (行政处罚79家 -> 行政处罚企业) is located by its longest
piece (two characters or more) found there: the scorer counts an object right when one contains
the other. Object and action are located apart and may overlap (过火面积 / 过火).

The k-fold: folds interleave the documents of each source (never splitting a document); each fold's
model is trained on the other folds only. Its out-of-fold readings give the k-fold table, the
per-rule accuracies, the calibration of the model's probabilities and the confidence weights that
are saved next to the model (calibration.json): measured, not assumed.

Training is deterministic: a fixed seed, one torch thread (REPORTMINE_TRAIN_THREADS), batches
and the dev split chosen by checksums of document names, no time in the saved files.

Training needs torch (the `train` extra); the trained network is then read in NumPy
(tagger.FigureNetwork), as extraction reads it: the k-fold's readings are the ones the saved model
gives at run time.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
import random
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .evaluate import GoldDocument, canonical_unit, contains_either_way, locate, score, values_agree
from .extract_model import NEEDED as MODEL_NEEDED
from .extract_model import (CALIBRATION_FILE, COMBINE_POLICY, MODEL_NAME, POLICIES, TRAINING_FILE, Calibration,
                            FigureReader, confidence_features, fit_confidence, merge, model_only, readings_agree,
                            rule_key, span_text)
from .normalize import HTML_SUFFIXES
from .tagger import (MAX_SPAN, N_DISTANCES, N_ROLES, ROLE_FIGURE, FigureNetwork, FigureTagger, Sizes,
                     Vocab, encode)

ROOT = Path(__file__).resolve().parents[2]
SEED = 20240606
TRAIN_THREADS = int(os.environ.get("REPORTMINE_TRAIN_THREADS", "1"))
REAL_SETS = ("em", "econ", "resources", "mix", "mix2", "mix3", "mix4")
# scored once at the end of a piece of work, by hand: never trained on
NEVER_READ = frozenset(("holdout", "holdout2"))
DEFAULT_OUT = Path("models") / MODEL_NAME  # in the working folder, never inside the package
NEEDED = ("torch",) + MODEL_NEEDED  # the network is trained in torch, and read as extraction reads it
INSTALL_HINT = 'pip install "reportmine[train]"'


@dataclass(frozen=True)
class Hyper:
    lr: float = 0.002
    batch_size: int = 32
    epochs: int = 14
    patience: int = 3
    min_char_count: int = 2  # characters seen once are read as unknown: the network learns that too


# ---- gold documents --------------------------------------------------------------------------
@dataclass
class Source:
    name: str  # corpus, em, econ, resources
    documents: list  # GoldDocument, doc named "<source>/<file>"


def corpus_dir() -> Path:
    """corpus/ in the working folder, else the repository's (an editable install)."""
    here = Path("corpus")
    return here if (here / "docs").is_dir() else ROOT / "corpus"


def realsets_dir() -> Path:
    here = Path("realsets")
    return here if here.is_dir() else ROOT / "realsets"


def real_cache() -> Path:
    return Path(os.environ.get("REPORTMINE_REAL_CACHE", Path.home() / ".cache" / "reportmine" / "realsets"))


def _gold_items(gold_path: Path, text: str) -> list:
    items = []
    for number, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        start = locate(text, item["text"], int(item.get("occurrence", 1)))
        if start < 0:
            raise ValueError(f"{gold_path}:{number}: {item['text']!r} not in its document")
        item["start"], item["end"] = start, start + len(item["text"])
        items.append(item)
    return items


def corpus_source(docs_dir: Optional[Path] = None, gold_dir: Optional[Path] = None, name: str = "corpus") -> Source:
    from .decode import decode_bytes

    docs_dir = Path(docs_dir or corpus_dir() / "docs")
    gold_dir = Path(gold_dir or corpus_dir() / "gold")
    files = {p.stem: p for p in docs_dir.iterdir() if p.is_file()}
    documents = []
    for gold_path in sorted(gold_dir.glob("*.jsonl")):
        path = files.get(gold_path.stem)
        if path is None:
            raise FileNotFoundError(f"gold {gold_path.name}: no document {gold_path.stem}.* in {docs_dir}")
        text = decode_bytes(path.read_bytes()).text
        documents.append(GoldDocument(f"{name}/{path.name}", text, _gold_items(gold_path, text)))
    return Source(name, documents)


def real_source(name: str, sets_dir: Optional[Path] = None, cache: Optional[Path] = None) -> tuple[Source, list]:
    """The excerpts of one real set whose cached text matches the index; and what was missing."""
    if name in NEVER_READ:
        raise ValueError(f"the {name} set is never trained on")
    sets_dir, cache = Path(sets_dir or realsets_dir()), Path(cache or real_cache())
    index = sets_dir / name / "index.jsonl"
    if not index.is_file():
        return Source(name, []), [f"{name}: no index at {index}"]
    documents, missing = [], []
    for line in index.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        path = cache / name / entry["doc"]
        if not path.is_file():
            missing.append(entry["doc"])
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            missing.append(f"{entry['doc']} (differs from its index)")
            continue
        text = data.decode("utf-8")
        gold_path = sets_dir / name / "gold" / (Path(entry["doc"]).stem + ".jsonl")
        documents.append(GoldDocument(f"{name}/{entry['doc']}", text, _gold_items(gold_path, text)))
    problems = [f"{name}: {len(missing)} of {len(missing) + len(documents)} excerpts not in the cache "
                f"({cache / name})"] if missing else []
    return Source(name, documents), problems


def training_sources(docs_dir=None, gold_dir=None, real_sets=REAL_SETS, log=print) -> tuple[list, list]:
    """(sources, what was missing): corpus/ (or the given folders) and the real sets present."""
    sources, missing = [corpus_source(docs_dir, gold_dir)], []
    for name in real_sets:
        source, problems = real_source(name)
        for problem in problems:
            log(f"note: {problem}; training on what is present")
        missing += problems
        if source.documents:
            sources.append(source)
    return sources, missing


# ---- documents read: rules, candidates, windows ------------------------------------------------
@dataclass
class ReadDocument:
    """One gold document as both readers see it (normalized text coordinates)."""

    gold: GoldDocument
    normalized: object  # normalize.Normalized
    rule_figures: list
    candidates: list  # Quantity
    windows: list  # Window, one per candidate
    labels: list = field(default_factory=list)  # per candidate: (is metric, object span, action span)

    @property
    def name(self) -> str:
        return self.gold.doc


def read_documents(sources: list, reader: FigureReader) -> list[ReadDocument]:
    """Normalize each document, run the rules, propose the candidates and label them from gold."""
    from .normalize import normalize

    out = []
    for source in sources:
        for gold in source.documents:
            is_html = True if Path(gold.doc).suffix.lower() in HTML_SUFFIXES else None
            normalized = normalize(gold.text, reader.lexicons, is_html=is_html)
            rules = reader.rules.extract(normalized.text, normalized.corrupt)
            candidates, windows, _rejected, _extra = reader.candidates(normalized.text, normalized.corrupt)
            document = ReadDocument(gold, normalized, rules.metrics, candidates, windows)
            document.labels = _labels(document)
            out.append(document)
    return out


def _labels(document: ReadDocument) -> list:
    """Each candidate: the gold metric it matches (first come, in reading order, as the scorer
    matches), and that metric's object and action located in the candidate's window."""
    to_original = document.normalized.to_original
    spans = [to_original(q.start, q.end) for q in document.candidates]
    taken: dict = {}
    for item in document.gold.items:
        for index, (q, (start, end)) in enumerate(zip(document.candidates, spans)):
            if index in taken or not (start < item["end"] and item["start"] < end):
                continue
            if values_agree(item["value"], float(q.value)) and canonical_unit(item["unit"]) == canonical_unit(q.unit):
                taken[index] = item
                break
    text = document.normalized.text
    labels = []
    for index, window in enumerate(document.windows):
        item = taken.get(index)
        if item is None:
            labels.append((False, None, None))
            continue
        window_text = text[window.start:window.end]
        target = (window.figure_start - window.start, window.figure_end - window.start)
        # object and action are pointed at apart, so they may share words (过火面积 / 过火, and
        # 死亡 for the object 死亡人数 and the act 死亡)
        action = nearest(window_text, item.get("action") or "", target)
        obj = nearest(window_text, item.get("object") or "", target)
        labels.append((True, _located(item.get("object"), obj, window.start, target),
                       _located(item.get("action"), action, window.start, target)))
    return labels


def _located(gold_value: Optional[str], span, offset: int, target: tuple):
    """The label of one field: its span in text offsets; None when the gold has none (the model
    learns "none"); NOT_LOCATED when the gold names one that the window does not hold (nothing
    to learn from: "none" would be wrong)."""
    if not gold_value:
        return None
    if span is None:
        return NOT_LOCATED
    return _clip(span, offset, before=span[1] <= target[0])


NOT_LOCATED = "not located"


def _clip(span, offset: int, before: bool):
    """A window span -> text offsets, at most MAX_SPAN long: a name before its figure keeps its
    end (the head noun), one after it keeps its start."""
    if span is None:
        return None
    start, end = span
    if end - start > MAX_SPAN:
        start, end = (end - MAX_SPAN, end) if before else (start, start + MAX_SPAN)
    return (offset + start, offset + end)


def _occurrences(window: str, needle: str):
    start = window.find(needle)
    while start >= 0:
        yield start, start + len(needle)
        start = window.find(needle, start + 1)


def nearest(window: str, needle: str, target: tuple) -> Optional[tuple]:
    """The occurrence of needle (or, failing that, of its longest piece of 2+ characters) nearest
    the target span, not overlapping it."""
    if not needle:
        return None
    lengths = range(len(needle), 1, -1) if len(needle) > 1 else (1,)
    for length in lengths:
        best = None
        pieces = {needle[i:i + length] for i in range(len(needle) - length + 1)}
        for piece in sorted(pieces):
            for start, end in _occurrences(window, piece):
                if start < target[1] and target[0] < end:
                    continue
                distance = target[0] - end if end <= target[0] else start - target[1]
                if best is None or (distance, start) < best[0]:
                    best = ((distance, start), (start, end))
        if best is not None:
            return best[1]
    return None


# ---- training ---------------------------------------------------------------------------------
def _is_dev(name: str, share: int = 8) -> bool:
    return zlib.crc32(name.encode()) % share == 0


def _targets(window, label) -> tuple:
    """(metric, object start, object end, action start, action end): pointer index 0 is "none";
    -100 (ignored) for the pointers of a figure that is not a metric."""
    is_metric, obj, act = label
    if not is_metric:
        return (0.0, -100, -100, -100, -100)
    out = [1.0]
    for span in (obj, act):
        if span == NOT_LOCATED:
            out += [-100, -100]
        else:
            out += [0, 0] if span is None else [span[0] - window.start + 1, span[1] - 1 - window.start + 1]
    return tuple(out)


def fit(documents: list, seed: int = SEED, hyper: Hyper = Hyper(), sizes: Sizes = Sizes(), log=None) -> tuple:
    """Train the network in torch on the documents' examples; the best epoch on the dev documents
    (one in eight, by checksum) is kept. Returns (tagger, report), the tagger reading the trained
    weights in NumPy."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(TRAIN_THREADS)  # a fixed summation order: the same weights on every run
    started = time.perf_counter()
    try:
        torch.manual_seed(seed)
        examples = [(w, _targets(w, label), d.name) for d in documents for w, label in zip(d.windows, d.labels)]
        dev_names = {d.name for d in documents if _is_dev(d.name)}
        if len(dev_names) == len(documents):
            dev_names = set()
        train = [(w, t) for w, t, name in examples if name not in dev_names]
        dev = [(w, t) for w, t, name in examples if name in dev_names]
        chars = Vocab.build((w.chars for w, _ in train), min_count=hyper.min_char_count)
        tags = Vocab.build((w.tags for w, _ in train), min_count=hyper.min_char_count)
        network = build_network(sizes, len(chars.items), len(tags.items))
        optimizer = torch.optim.Adam(network.parameters(), lr=hyper.lr)
        rng = random.Random(seed)
        best, best_loss, stale, epochs_run = None, math.inf, 0, 0
        for epoch in range(hyper.epochs):
            network.train()
            for indices in _batches(train, hyper.batch_size, rng):
                batch = [train[i] for i in indices]
                loss = _loss(network, batch, chars, tags)
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(network.parameters(), 5.0)
                optimizer.step()
            epochs_run = epoch + 1
            if not dev:
                continue
            network.eval()
            with torch.no_grad():
                by_length = sorted(dev, key=lambda example: len(example[0].chars))
                dev_loss = sum(float(_loss(network, by_length[i:i + 128], chars, tags)) * len(by_length[i:i + 128])
                               for i in range(0, len(dev), 128)) / len(dev)
            if log:
                log(f"    epoch {epoch + 1}: dev loss {dev_loss:.4f}")
            if dev_loss < best_loss - 1e-4:
                best_loss, stale = dev_loss, 0
                best = {k: v.detach().clone() for k, v in network.state_dict().items()}
            else:
                stale += 1
                if stale >= hyper.patience:
                    break
        if best is not None:
            network.load_state_dict(best)
        network.eval()
    finally:
        torch.set_num_threads(threads)
    report = {"examples": {"train": len(train), "dev": len(dev)},
              "metrics": {"train": sum(1 for _, t in train if t[0]), "dev": sum(1 for _, t in dev if t[0])},
              "epochs": epochs_run, "dev_loss": None if best_loss == math.inf else round(best_loss, 4),
              "seconds": round(time.perf_counter() - started, 1)}
    weights = {name: tensor.detach().numpy().copy() for name, tensor in network.state_dict().items()}
    return FigureTagger(FigureNetwork(weights, sizes), chars, tags, sizes), report


def build_network(sizes: Sizes, n_chars: int, n_tags: int):
    """The torch module that is trained (torch is imported here, not at module import: it is the
    `train` extra). Its parameters are the tensors tagger.weight_shapes names, which
    tagger.FigureNetwork reads: the two forward passes must stay the same."""
    import torch
    from torch import nn

    class TorchFigureNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.chars = nn.Embedding(n_chars, sizes.embed, padding_idx=0)
            self.tags = nn.Embedding(n_tags, sizes.tag_embed, padding_idx=0)
            self.distances = nn.Embedding(N_DISTANCES, sizes.distance_embed, padding_idx=0)
            self.roles = nn.Embedding(N_ROLES, sizes.role_embed, padding_idx=0)
            width = sizes.embed + sizes.tag_embed + sizes.distance_embed + sizes.role_embed
            self.dropout = nn.Dropout(sizes.dropout)
            # two one-way LSTMs instead of a packed bidirectional one: each reads its sequences
            # padded at their end, where padding cannot reach the characters (packing costs
            # more than the reading itself on a CPU)
            self.forward_lstm = nn.LSTM(width, sizes.hidden, num_layers=sizes.layers, batch_first=True)
            self.backward_lstm = nn.LSTM(width, sizes.hidden, num_layers=sizes.layers, batch_first=True)
            states = 2 * sizes.hidden
            # the figure's summary: the mean of its own states and the max over the window
            self.metric = nn.Sequential(nn.Linear(2 * states, sizes.hidden), nn.Tanh(), nn.Linear(sizes.hidden, 1))
            self.pointers = nn.Linear(states, 4)  # object start, object end, action start, action end
            self.none = nn.Linear(2 * states, 4)  # the same four for "no object" / "no action"

        def forward(self, chars, tags, distances, roles):
            mask = chars != 0
            x = self.dropout(torch.cat([self.chars(chars), self.tags(tags), self.distances(distances),
                                        self.roles(roles)], dim=-1))
            # each row reversed within its length (padding stays at the end): the backward reading
            lengths = mask.sum(1, keepdim=True)
            positions = torch.arange(chars.shape[1]).unsqueeze(0)
            reverse = torch.where(positions < lengths, lengths - 1 - positions, positions)
            index = reverse.unsqueeze(-1).expand(-1, -1, x.shape[-1])
            ahead, _ = self.forward_lstm(x)
            back, _ = self.backward_lstm(x.gather(1, index))
            back = back.gather(1, reverse.unsqueeze(-1).expand(-1, -1, back.shape[-1]))
            h = torch.cat([ahead, back], dim=-1)
            h = self.dropout(h)
            figure = (roles == ROLE_FIGURE).unsqueeze(-1)
            figure_mean = (h * figure).sum(1) / figure.sum(1).clamp(min=1)
            window_max = h.masked_fill(~mask.unsqueeze(-1), -1e4).max(1).values
            summary = torch.cat([figure_mean, window_max], dim=-1)
            metric = self.metric(summary).squeeze(-1)
            # pointers never land on padding or on the figure itself
            pointers = self.pointers(h).masked_fill((~mask | figure.squeeze(-1)).unsqueeze(-1), -1e4)
            # position 0 of each pointer distribution is "none"
            pointers = torch.cat([self.none(summary).unsqueeze(1), pointers], dim=1)
            return metric, pointers

    return TorchFigureNetwork()


def _batches(examples: list, size: int, rng: random.Random) -> list:
    """Shuffled batches of similar lengths (little padding): the shuffled examples are sorted by
    length in chunks of sixteen batches, cut, and the batches shuffled."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    batches = []
    for first in range(0, len(order), size * 16):
        chunk = sorted(order[first:first + size * 16], key=lambda i: len(examples[i][0].chars))
        batches += [chunk[i:i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def _loss(network, batch, chars, tags):
    import torch
    import torch.nn.functional as F

    windows = [w for w, _ in batch]
    targets = torch.tensor([t for _, t in batch], dtype=torch.float)
    metric, pointers = network(*(torch.from_numpy(ids) for ids in encode(windows, chars, tags)))
    loss = F.binary_cross_entropy_with_logits(metric, targets[:, 0])
    pointer_targets = targets[:, 1:].long()
    for k in range(4):
        if (pointer_targets[:, k] >= 0).any():
            loss = loss + F.cross_entropy(pointers[:, :, k], pointer_targets[:, k], ignore_index=-100) / 2
    return loss


# ---- out-of-fold readings and what is measured from them ---------------------------------------
@dataclass
class FoldReading:
    """One test document of a fold: its rule figures and the fold model's readings."""

    document: ReadDocument
    readings: list
    fold: int


def fold_of(names: list, folds: int) -> dict:
    """Document -> fold: each source's documents, sorted, dealt round the folds in turn."""
    by_source: dict = {}
    for name in sorted(names):
        by_source.setdefault(name.split("/")[0], []).append(name)
    out, turn = {}, 0
    for source in sorted(by_source):
        for name in by_source[source]:
            out[name] = turn % folds
            turn += 1
    return out


def predictions(readings: list, mode: str, calibration: Optional[Calibration], policy: Optional[dict] = None) -> dict:
    """Document name -> metric dicts with original offsets, for one mode (rules, model, a merge)."""
    out = {}
    for r in readings:
        text = r.document.normalized.text
        if mode == "rules":
            figures = r.document.rule_figures
        elif mode == "model":
            figures = model_only(text, r.document.candidates, r.readings, calibration)
        else:
            figures = merge(text, r.document.rule_figures, r.document.candidates, r.readings, calibration,
                            policy or COMBINE_POLICY)
        rows = []
        for f in figures:
            start, end = r.document.normalized.to_original(f.start, f.end)
            rows.append({"start": start, "end": end, "value": float(f.value), "unit": f.unit, "kind": f.kind,
                         "qualifier": f.qualifier, "object": f.object, "action": f.action, "change": f.change,
                         "confidence": f.confidence, "figure": f})
        out[r.document.name] = rows
    return out


def measure_calibration(readings: list) -> Calibration:
    """Per-rule accuracies, the model's probabilities against how often they were right, and the
    confidence weights, all from out-of-fold readings."""
    rule_counts: dict = {}
    model_bins: dict = {}
    rules_disagreeing: dict = {}
    model_disagreeing: dict = {}
    for r in readings:
        gold = {r.document.name: r.document.gold}
        text = r.document.normalized.text
        by_span = {(q.start, q.end): reading for q, reading in zip(r.document.candidates, r.readings)}
        # the rules' fields, scored on the rule figures that match gold; where the model read the
        # field otherwise, both readers' fields are counted apart as well
        matched = _matched_pairs(gold, r.document, r.document.rule_figures)
        for item, figure in matched:
            reading = by_span.get((figure.start, figure.end))
            for name in ("object", "action"):
                key = f"{name}:{rule_key(figure, name)}"
                right = contains_either_way(item.get(name), getattr(figure, name))
                counts = rule_counts.setdefault(key, [0, 0])
                counts[0] += right
                counts[1] += 1
                if reading is None:
                    continue
                span = getattr(reading, f"{name}_span")
                model_value = span_text(text, span)
                if readings_agree(getattr(figure, name), model_value):
                    continue
                counts = rules_disagreeing.setdefault(key, [0, 0])
                counts[0] += right
                counts[1] += 1
                _bin(model_disagreeing, name if span else f"{name}/none", getattr(reading, f"p_{name}"),
                     contains_either_way(item.get(name), model_value))
        # the model's readings of every candidate
        figures = model_only(r.document.normalized.text, r.document.candidates, r.readings, None, threshold=0.0)
        matched = {id(f): item for item, f in _matched_pairs(gold, r.document, figures)}
        for figure, reading in zip(figures, r.readings):
            item = matched.get(id(figure))
            _bin(model_bins, "metric", reading.p_metric, item is not None)
            if item is not None:
                for name in ("object", "action"):
                    key = name if getattr(reading, f"{name}_span") else f"{name}/none"
                    _bin(model_bins, key, getattr(reading, f"p_{name}"),
                         contains_either_way(item.get(name), getattr(figure, name)))
    calibration = Calibration(rules=rule_counts, model=model_bins, rules_disagreeing=rules_disagreeing,
                              model_disagreeing=model_disagreeing)
    calibration.weights = fit_confidence({mode: _confidence_rows(readings, mode, calibration)
                                          for mode in ("model", "combined")})
    return calibration


BINS = 10


def _bin(table: dict, name: str, p: float, right: bool) -> None:
    rows = table.setdefault(name, [[0, 0] for _ in range(BINS)])
    index = min(BINS - 1, int(p * BINS))
    rows[index][0] += right
    rows[index][1] += 1


def _matched_pairs(gold: dict, document: ReadDocument, figures: list) -> list:
    """(gold item, figure) for the figures the scorer matches."""
    rows = []
    for f in figures:
        start, end = document.normalized.to_original(f.start, f.end)
        rows.append({"start": start, "end": end, "value": float(f.value), "unit": f.unit, "figure": f})
    result = score(gold, {document.name: rows})
    return [(item, p["figure"]) for _name, item, p in result.pairs]


def _confidence_rows(readings: list, mode: str, calibration: Calibration) -> list:
    """(features, right) of every record the mode outputs: right when it matches gold with a right
    object and action (what an analyst filtering on confidence wants to keep)."""
    rows = []
    for r in readings:
        text = r.document.normalized.text
        if mode == "model":
            pairs = model_only(text, r.document.candidates, r.readings, calibration, with_confidence=False, signals=True)
        else:
            pairs = merge(text, r.document.rule_figures, r.document.candidates, r.readings, calibration,
                          COMBINE_POLICY, with_confidence=False, signals=True)
        pairs = [(f, s) for f, s in pairs if s is not None]
        figures = [f for f, _ in pairs]
        matched = {id(f): item for item, f in _matched_pairs({r.document.name: r.document.gold}, r.document, figures)}
        for f, found in pairs:
            item = matched.get(id(f))
            right = item is not None and all(contains_either_way(item.get(n), getattr(f, n)) for n in ("object", "action"))
            rows.append((confidence_features(found, mode), right, r.fold))
    return rows


def kfold(sources: list, folds: int = 5, seed: int = SEED, hyper: Hyper = Hyper(), sizes: Sizes = Sizes(),
          lexicons=None, log=print) -> dict:
    """Document-level k-fold over every source. Returns the out-of-fold readings, the measured
    calibration and the table of modes (pooled, per source, per fold)."""
    from .lexicons import load_lexicons

    started = time.perf_counter()
    lexicons = lexicons or load_lexicons()
    documents = read_documents(sources, FigureReader(lexicons))
    assignment = fold_of([d.name for d in documents], folds)
    readings = []
    for fold in range(folds):
        test = [d for d in documents if assignment[d.name] == fold]
        train = [d for d in documents if assignment[d.name] != fold]
        log(f"fold {fold + 1}/{folds}: training on {len(train)} documents, testing on {len(test)}")
        tagger, report = fit(train, seed=seed, hyper=hyper, sizes=sizes)
        log(f"  {report['examples']['train']} examples, {report['epochs']} epochs, {report['seconds']} s")
        for d in test:
            readings.append(FoldReading(d, tagger.read(d.windows), fold))
    # cross-fitted: what is measured on the other folds is applied to each fold, so no table is
    # scored on the readings it was measured from
    table = score_modes(readings, folds)
    calibration = measure_calibration(readings)
    return {"readings": readings, "calibration": calibration, "table": table, "k": folds, "seed": seed,
            "seconds": round(time.perf_counter() - started, 1),
            "documents": {s.name: len(s.documents) for s in sources}}


def score_modes(readings: list, folds: int, policies: Optional[dict] = None) -> dict:
    """Pooled, per-source and per-fold scores of rules, model and each merge policy; the merges and
    the model's confidence use a calibration measured on the other folds only."""
    policies = policies or POLICIES
    calibrations = {fold: measure_calibration([r for r in readings if r.fold != fold]) for fold in range(folds)}
    pooled: dict = {}
    for mode in ["rules", "model"] + list(policies):
        pooled[mode] = {}
        for fold in range(folds):
            part = [r for r in readings if r.fold == fold]
            pooled[mode].update(predictions(part, "combined" if mode in policies else mode, calibrations[fold],
                                            policies.get(mode)))
    gold = {r.document.name: r.document.gold for r in readings}
    table = {"pooled": {}, "sources": {}, "folds": {}, "confidence": {}}
    sources = sorted({name.split("/")[0] for name in gold})
    for mode, predicted in pooled.items():
        table["pooled"][mode] = summary(score(gold, predicted))
        table["sources"][mode] = {s: summary(score({n: g for n, g in gold.items() if n.startswith(s + "/")},
                                                   {n: p for n, p in predicted.items() if n.startswith(s + "/")}))
                                  for s in sources}
        table["folds"][mode] = [summary(score({r.document.name: r.document.gold for r in readings if r.fold == fold},
                                              {r.document.name: predicted[r.document.name] for r in readings if r.fold == fold}))
                                for fold in range(folds)]
        if mode != "rules":
            table["confidence"][mode] = reliability(gold, predicted)
    return table


def reliability(gold: dict, predicted: dict) -> list:
    """Records by confidence bin: how many, their mean confidence, and the share right (matched,
    with a right object and action)."""
    result = score(gold, predicted)
    right = {id(p) for _n, item, p in result.pairs
             if all(contains_either_way(item.get(f), p.get(f)) for f in ("object", "action"))}
    bins = [[0, 0.0, 0] for _ in range(BINS)]
    for rows in predicted.values():
        for p in rows:
            index = min(BINS - 1, int(p["confidence"] * BINS))
            bins[index][0] += 1
            bins[index][1] += p["confidence"]
            bins[index][2] += id(p) in right
    return [{"bin": f"{i / BINS:.1f}-{(i + 1) / BINS:.1f}", "records": n,
             "mean_confidence": round(total / n, 4) if n else None, "accuracy": round(hits / n, 4) if n else None}
            for i, (n, total, hits) in enumerate(bins)]


def summary(result) -> dict:
    return {"gold": result.gold, "pred": result.predicted, "tp": result.matched,
            "precision": round(result.precision, 4), "recall": round(result.recall, 4), "f1": round(result.f1, 4),
            "object": round(result.accuracy("object"), 4), "action": round(result.accuracy("action"), 4)}


def format_table(report: dict) -> str:
    table = report["table"]
    modes = list(table["pooled"])
    lines = [f"document-level {report['k']}-fold (seed {report['seed']}, {report['seconds']} s; documents: "
             + ", ".join(f"{k} {v}" for k, v in report["documents"].items()) + ")", "",
             f"{'mode':26} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'object':>7} {'action':>7}"]
    for mode in modes:
        r = table["pooled"][mode]
        lines.append(f"{mode:26} {r['gold']:5} {r['pred']:5} {r['precision']:6.3f} {r['recall']:6.3f} "
                     f"{r['f1']:6.3f} {r['object']:7.3f} {r['action']:7.3f}")
    sources = list(next(iter(table["sources"].values())))
    lines += ["", "per source, F1 / object / action:", f"{'mode':26} " + " ".join(f"{s:>22}" for s in sources)]
    for mode in modes:
        cells = [f"{r['f1']:.3f}/{r['object']:.3f}/{r['action']:.3f}" for r in table["sources"][mode].values()]
        lines.append(f"{mode:26} " + " ".join(f"{c:>22}" for c in cells))
    lines += ["", "per fold, F1 / object / action:"]
    for mode in modes:
        cells = [f"{r['f1']:.3f}/{r['object']:.3f}/{r['action']:.3f}" for r in table["folds"][mode]]
        lines.append(f"{mode:26} " + " ".join(cells))
    lines += ["", "confidence (out of fold): records / mean confidence / accuracy per bin"]
    for mode, bins in table["confidence"].items():
        cells = [f"{b['records']}/{b['mean_confidence']:.2f}/{b['accuracy']:.2f}" for b in bins if b["records"]]
        lines.append(f"{mode:26} " + " ".join(cells))
    return "\n".join(lines)


def default_merge_name() -> str:
    return next(name for name, policy in POLICIES.items() if policy == COMBINE_POLICY)


# ---- the whole job ---------------------------------------------------------------------------
def train(out_dir: os.PathLike, sources: list, folds: int = 5, seed: int = SEED, hyper: Hyper = Hyper(),
          sizes: Sizes = Sizes(), missing: tuple = (), log=print) -> dict:
    """The k-fold (measuring the calibration saved with the model), then the model trained on every
    document, into out_dir: config.json, weights.safetensors, calibration.json, TRAINING.json."""
    from .lexicons import load_lexicons

    if folds < 2:
        raise ValueError("the confidence is measured out of fold: --folds must be 2 or more")
    lexicons = load_lexicons()
    report = kfold(sources, folds=folds, seed=seed, hyper=hyper, sizes=sizes, lexicons=lexicons, log=log)
    log(format_table(report))
    log(f"training on all {sum(len(s.documents) for s in sources)} documents")
    documents = read_documents(sources, FigureReader(lexicons))
    tagger, fitted = fit(documents, seed=seed, hyper=hyper, sizes=sizes)
    out_dir = Path(out_dir)
    tagger.save(out_dir)
    report["calibration"].save(out_dir / CALIBRATION_FILE)
    training = {"seed": seed, "hyper": hyper.__dict__, "sizes": sizes.__dict__, "folds": folds,
                "sources": {s.name: [d.doc.split("/", 1)[1] for d in s.documents] for s in sources},
                "missing": list(missing), "examples": fitted["examples"], "metrics": fitted["metrics"],
                "epochs": fitted["epochs"], "kfold": report["table"]["pooled"], "default_merge": default_merge_name(),
                "kfold_sources": report["table"]["sources"], "reliability": report["table"]["confidence"]}
    (out_dir / TRAINING_FILE).write_text(json.dumps(training, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                         encoding="utf-8")
    log(f"saved: {out_dir}")
    return report
