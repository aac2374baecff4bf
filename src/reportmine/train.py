"""Train the model extractor's taggers from the project's gold, and measure them with k-fold.

    reportmine train [--docs corpus/docs] [--gold corpus/gold] [--out src/reportmine/models/metric_tagger]
    reportmine train --kfold [--folds 5]        # document-level k-fold: rules / model / combined

Training data (see extract_model.py for the two taggers and their input):
- detect: every sentence of a document's normalized text that holds a numeral character, with
  BIO tags M over each gold metric span (the gold span located in the original text, mapped to
  normalized text character by character).
- attribute: one sequence per gold metric: its sentence window with the metric between 〖 〗,
  BIO tags ACT over the gold action and OBJ over the gold object, each at the occurrence
  nearest the metric. A gold object that the text paraphrases (行政处罚79家 -> 行政处罚企业) is
  tagged by its longest piece (two characters or more) found there; the scorer counts an
  object right when one contains the other, so a piece of it is what the tagger should learn.
  Where the action lies inside the object (过火面积 / 过火) the object keeps the rest.

Training is deterministic: a fixed seed (hanlp's set_seed: python, numpy, torch), one torch
thread, a dev split chosen by a checksum of document name and sentence number, no time in the
saved files. The saved directories are what ``hanlp.load`` reads.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import zlib
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from .normalize import HTML_SUFFIXES
from .extract_model import (ATTRIBUTE, COMBINE_POLICY, DEFAULT_MODEL_DIR, DETECT, INSTALL_HINT, MODEL_NAME,
                            marked_window, model_chars, sentence_spans, _crf_tagger_class, _prepare_environment)

ROOT = Path(__file__).resolve().parents[2]


def _corpus() -> Path:
    """corpus/ in the working folder, else the repository's (an editable install)."""
    here = Path("corpus")
    return here if (here / "docs").is_dir() else ROOT / "corpus"

SEED = 20240606
TRAIN_THREADS = int(os.environ.get("REPORTMINE_TRAIN_THREADS", "1"))
NUMERAL = "0123456789零〇○一二两三四五六七八九十百千万亿半壹贰叁肆伍陆柒捌玖拾佰仟"


@dataclass(frozen=True)
class Hyper:
    embed: int = 64
    hidden: int = 64
    drop: float = 0.3
    lr: float = 0.005
    batch_size: int = 32
    epochs: int = 20
    patience: int = 4
    crf: bool = True


# chosen on fold 1's training documents (their dev split), not on any test fold
DEFAULT_HYPER = {DETECT: Hyper(epochs=12, patience=3), ATTRIBUTE: Hyper(epochs=25, patience=5)}


# ---- gold -> tagged sequences ---------------------------------------------------------------
@dataclass
class GoldMetric:
    start: int  # normalized text
    end: int
    object: str
    action: str


@dataclass
class TrainingDocument:
    name: str
    text: str  # normalized
    metrics: list = field(default_factory=list)


def training_documents(docs_dir: os.PathLike, gold_dir: os.PathLike, names: Optional[Iterable[str]] = None,
                       lexicons=None) -> list[TrainingDocument]:
    """Gold documents with their gold spans in normalized-text coordinates (sorted by name)."""
    from .evaluate import load_gold
    from .lexicons import load_lexicons
    from .normalize import normalize

    lexicons = lexicons or load_lexicons()
    gold = load_gold(Path(gold_dir), Path(docs_dir))
    wanted = set(names) if names is not None else None
    out = []
    for name in sorted(gold):
        if wanted is not None and name not in wanted:
            continue
        g = gold[name]
        is_html = True if Path(name).suffix.lower() in HTML_SUFFIXES else None
        normalized = normalize(g.text, lexicons, is_html=is_html)
        text = normalized.text
        starts, ends = [], []
        for i in range(len(text)):
            s, e = normalized.to_original(i, i + 1)
            starts.append(s)
            ends.append(e)
        document = TrainingDocument(name, text)
        for item in g.items:
            first = bisect_right(starts, item["start"] - 1)  # first char starting at or after the span
            inside = [i for i in range(first, min(len(text), first + 4 * len(item["text"]) + 8))
                      if starts[i] >= item["start"] and ends[i] <= item["end"]]
            if not inside:
                continue  # not in the normalized text (a dropped chrome line): nothing to learn
            document.metrics.append(GoldMetric(inside[0], inside[-1] + 1, item.get("object") or "",
                                               item.get("action") or ""))
        document.metrics.sort(key=lambda m: m.start)
        out.append(document)
    return out


def _bio(length: int, spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * length
    for start, end, label in spans:
        if start < 0 or end > length or end <= start or any(t != "O" for t in tags[start:end]):
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end):
            tags[i] = f"I-{label}"
    return tags


def detect_samples(document: TrainingDocument) -> list[tuple[list[str], list[str]]]:
    samples = []
    for s, e in sentence_spans(document.text):
        chunk = document.text[s:e]
        if not any(ch in NUMERAL for ch in chunk):
            continue
        spans = [(m.start - s, m.end - s, "M") for m in document.metrics if s <= m.start and m.end <= e]
        samples.append((model_chars(chunk), _bio(len(chunk), spans)))
    return samples


def _occurrences(window: str, needle: str):
    start = window.find(needle)
    while start >= 0:
        yield start, start + len(needle)
        start = window.find(needle, start + 1)


def _nearest(window: str, needle: str, target: tuple[int, int], avoid=()) -> Optional[tuple[int, int]]:
    """The occurrence of needle (or, failing that, of its longest piece of 2+ characters) nearest
    the target span, overlapping neither the target nor the avoided spans."""
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
                if any(start < a_end and a_start < end for a_start, a_end in avoid):
                    continue
                distance = target[0] - end if end <= target[0] else start - target[1]
                if best is None or (distance, start) < best[0]:
                    best = ((distance, start), (start, end))
        if best is not None:
            return best[1]
    return None


def attribute_samples(document: TrainingDocument) -> list[tuple[list[str], list[str]]]:
    samples = []
    sentences = sentence_spans(document.text, max_len=10 ** 9)
    starts = [s for s, _ in sentences]
    for metric in document.metrics:
        index = max(0, bisect_right(starts, metric.start) - 1)
        sentence = sentences[index] if sentences else (0, len(document.text))
        sentence = (min(sentence[0], metric.start), max(sentence[1], metric.end))
        span = (metric.start, metric.end)
        chars, w_start = marked_window(document.text, sentence, span)
        w_end = w_start + len(chars) - 2
        window = document.text[w_start:w_end]
        target = (metric.start - w_start, metric.end - w_start)
        action = _nearest(window, metric.action, target)
        obj = _nearest(window, metric.object, target)
        if obj and action and obj[0] < action[1] and action[0] < obj[1]:
            # the action inside the object (过火面积 / 过火): the object keeps its longer rest
            left, right = (obj[0], action[0]), (action[1], obj[1])
            rest = max(left, right, key=lambda piece: piece[1] - piece[0])
            obj = rest if rest[1] - rest[0] >= 2 else _nearest(window, metric.object, target, avoid=[action])
        spans = []
        for piece, label in ((action, "ACT"), (obj, "OBJ")):
            if piece is None:
                continue
            start, end = piece
            # window positions -> model positions (the marks shift what follows them)
            shift = lambda p: p if p < target[0] else (p + 1 if p < target[1] else p + 2)  # noqa: E731
            spans.append((shift(start), shift(end - 1) + 1, label))
        samples.append((chars, _bio(len(chars), spans)))
    return samples


def _is_dev(name: str, index: int, share: int = 8) -> bool:
    return zlib.crc32(f"{name}#{index}".encode()) % share == 0


def split_samples(documents, builder):
    train, dev = [], []
    for document in documents:
        for index, sample in enumerate(builder(document)):
            (dev if _is_dev(document.name, index) else train).append(sample)
    return train, dev


def write_tsv(samples, path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for chars, tags in samples:
            for ch, tag in zip(chars, tags):
                out.write(f"{ch}\t{tag}\n")
            out.write("\n")


# ---- training -------------------------------------------------------------------------------
def train_tagger(train, dev, save_dir: os.PathLike, hyper: Hyper = Hyper(), seed: int = SEED,
                 verbose: bool = False) -> dict:
    """Train one BiLSTM-CRF character tagger into save_dir (which is replaced)."""
    _prepare_environment()
    import torch

    save_dir = Path(save_dir)
    if save_dir.exists():
        shutil.rmtree(save_dir)
    save_dir.mkdir(parents=True)
    threads = torch.get_num_threads()
    torch.set_num_threads(TRAIN_THREADS)  # a fixed summation order: the same weights on every run
    started = time.perf_counter()
    logger = logging.getLogger("reportmine.train.hanlp")
    logger.propagate = False
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    try:
        with tempfile.TemporaryDirectory(prefix="reportmine-train-") as work:
            trn_path, dev_path = Path(work) / "train.tsv", Path(work) / "dev.tsv"
            write_tsv(train, trn_path)
            write_tsv(dev or train[:50], dev_path)
            tagger = _crf_tagger_class()()
            with _quiet(not verbose):
                tagger.fit(str(trn_path), str(dev_path), str(save_dir), batch_size=hyper.batch_size,
                           epochs=hyper.epochs, embed=hyper.embed, rnn_hidden=hyper.hidden, drop=hyper.drop,
                           lr=hyper.lr, patience=hyper.patience, crf=hyper.crf, tagging_scheme="BIO",
                           token_delimiter="", anneal_factor=0.5, anneal_patience=2, devices=-1,
                           logger=logger, seed=seed, verbose=verbose)
    finally:
        torch.set_num_threads(threads)
    _tidy(save_dir)
    return {"seconds": round(time.perf_counter() - started, 1), "train": len(train), "dev": len(dev)}


@contextlib.contextmanager
def _quiet(enabled: bool):
    """hanlp draws progress bars on the terminal, some of them straight to the file descriptors:
    send descriptors 1 and 2 to /dev/null while it trains (nothing when not enabled)."""
    if not enabled:
        yield
        return
    from hanlp.utils import log_util

    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    printer_out = log_util._printer.out
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        log_util._printer.out = io.StringIO()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved + [devnull]:
            os.close(fd)
        log_util._printer.out = printer_out
        log_util._printer._last_print_width = 0


def _tidy(save_dir: Path) -> None:
    """Keep what hanlp.load reads (config.json, vocabs.json, model.pt); drop logs and paths."""
    for path in save_dir.iterdir():
        if path.name not in ("config.json", "vocabs.json", "model.pt"):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
    config_path = save_dir / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    for key in ("trn_data", "dev_data", "save_dir", "load_path", "logger", "devices"):
        config.pop(key, None)
    config_path.write_text(json.dumps(config, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def train_models(documents: list, out_dir: os.PathLike, seed: int = SEED, hyper: Optional[dict] = None,
                 verbose: bool = False, log=None) -> dict:
    """Train both taggers on documents into out_dir/detect and out_dir/attribute."""
    hyper = dict(DEFAULT_HYPER, **(hyper or {}))
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = {}
    for part, builder in ((DETECT, detect_samples), (ATTRIBUTE, attribute_samples)):
        train, dev = split_samples(documents, builder)
        report[part] = train_tagger(train, dev, out_dir / part, hyper[part], seed=seed, verbose=verbose)
        if log:
            log(f"  {part}: {report[part]['train']} train / {report[part]['dev']} dev sequences, "
                f"{report[part]['seconds']} s")
    return report


# ---- k-fold evaluation -----------------------------------------------------------------------


def predict(pipeline, extractor, gold, mode: str, policy: Optional[dict] = None) -> dict:
    """Predictions (document name -> metric dicts with original offsets) for one mode."""
    from .normalize import normalize

    predictions = {}
    for name, g in gold.items():
        is_html = True if Path(name).suffix.lower() in HTML_SUFFIXES else None
        normalized = normalize(g.text, pipeline.lexicons, is_html=is_html)
        rules = pipeline.rules.extract(normalized.text, normalized.corrupt)
        if mode == "rules":
            raw = rules.metrics
        elif mode == "model":
            raw = extractor.extract(normalized.text, normalized.corrupt).metrics
        else:
            raw = extractor.combine(normalized.text, rules, normalized.corrupt, policy=policy).metrics
        rows = []
        for metric in raw:
            start, end = normalized.to_original(metric.start, metric.end)
            indicator, source = pipeline.indicators.assign(metric.kind, metric.unit, metric.object, metric.action,
                                                           metric.change, metric.context)
            rows.append({"start": start, "end": end, "value": float(metric.value), "unit": metric.unit,
                         "kind": metric.kind, "qualifier": metric.qualifier, "object": metric.object,
                         "action": metric.action, "change": metric.change,
                         "indicator": indicator if source == "taxonomy" else None})
        predictions[name] = rows
    return predictions


# the combiners compared by `reportmine train --kfold --all-policies` (COMBINE_POLICY is one of them)
POLICIES = {
    "fill-object": {"veto": False, "add": False, "object": "fill", "action": "rules"},
    "fill": {"veto": False, "add": False, "object": "fill", "action": "fill"},
    "fill+veto": {"veto": True, "add": False, "object": "fill", "action": "fill"},
    "fill+add": {"veto": False, "add": True, "object": "fill", "action": "fill"},
    "replace-action": {"veto": False, "add": False, "object": "fill", "action": "model"},
    "replace-both": {"veto": False, "add": False, "object": "model", "action": "model"},
    "replace-action-keep-change": {"veto": False, "add": False, "object": "fill", "action": "model",
                                   "keep_change_verb": True},
}


def kfold(docs_dir, gold_dir, folds: int = 5, seed: int = SEED, hyper: Optional[dict] = None,
          policies: Optional[dict] = None, log=print, work_dir: Optional[os.PathLike] = None) -> dict:
    """Document-level k-fold: fold i tests on the documents i, i+k, i+2k ... of the sorted gold
    names and trains on the others only. Returns the pooled and per-fold scores per mode."""
    from .evaluate import load_gold, score
    from .extract_model import ModelExtractor
    from .lexicons import load_lexicons
    from .pipeline import Pipeline

    lexicons = load_lexicons()
    pipeline = Pipeline(lexicons)
    gold = load_gold(Path(gold_dir), Path(docs_dir))
    names = sorted(gold)
    documents = {d.name: d for d in training_documents(docs_dir, gold_dir, lexicons=lexicons)}
    policies = policies or {"combined": COMBINE_POLICY}
    modes = ["rules", "model"] + list(policies)
    pooled = {mode: {} for mode in modes}
    per_fold = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reportmine-kfold-", dir=work_dir) as work:
        for fold in range(folds):
            test = names[fold::folds]
            train_docs = [documents[n] for n in names if n not in test]
            model_dir = Path(work) / f"fold{fold}"
            log(f"fold {fold + 1}/{folds}: training on {len(train_docs)} documents, testing on {len(test)}")
            train_models(train_docs, model_dir, seed=seed, hyper=hyper, log=log)
            extractor = ModelExtractor(lexicons, path=model_dir)
            fold_gold = {n: gold[n] for n in test}
            row = {"fold": fold + 1, "test": test}
            for mode in modes:
                base = "rules" if mode == "rules" else "model" if mode == "model" else "combined"
                predictions = predict(pipeline, extractor, fold_gold, base, policy=policies.get(mode))
                pooled[mode].update(predictions)
                result = score(fold_gold, predictions)
                row[mode] = _summary(result)
            per_fold.append(row)
    table = {mode: _summary(score(gold, pooled[mode])) for mode in modes}
    return {"folds": per_fold, "pooled": table, "seconds": round(time.perf_counter() - started, 1),
            "seed": seed, "k": folds}


def _summary(result) -> dict:
    return {"gold": result.gold, "pred": result.predicted, "tp": result.matched,
            "precision": round(result.precision, 4), "recall": round(result.recall, 4), "f1": round(result.f1, 4),
            "object": round(result.accuracy("object"), 4), "action": round(result.accuracy("action"), 4),
            "indicator_coverage": round(result.indicator_coverage or 0.0, 4),
            "indicator_precision": round(result.indicator_precision or 0.0, 4)}


def format_kfold(report: dict) -> str:
    modes = list(report["pooled"])
    lines = [f"document-level {report['k']}-fold on corpus/ (seed {report['seed']}, {report['seconds']} s)", "",
             f"{'mode':26} {'gold':>5} {'pred':>5} {'tp':>5} {'P':>6} {'R':>6} {'F1':>6} {'object':>7} {'action':>7} {'ind.cov':>7} {'ind.P':>6}"]
    for mode in modes:
        r = report["pooled"][mode]
        lines.append(f"{mode:26} {r['gold']:5} {r['pred']:5} {r['tp']:5} {r['precision']:6.3f} {r['recall']:6.3f} "
                     f"{r['f1']:6.3f} {r['object']:7.3f} {r['action']:7.3f} {r['indicator_coverage']:7.3f} "
                     f"{r['indicator_precision']:6.3f}")
    lines += ["", "per fold F1 (object / action):",
              f"{'fold':5} " + " ".join(f"{mode[:22]:>22}" for mode in modes)]
    for row in report["folds"]:
        cells = [f"{row[m]['f1']:.3f} ({row[m]['object']:.3f}/{row[m]['action']:.3f})" for m in modes]
        lines.append(f"{row['fold']:<5} " + " ".join(f"{c:>22}" for c in cells))
    combined = [m for m in modes if m not in ("rules", "model")]
    if combined:
        lines += ["", "largest F1 drop against rules on one fold (the bar: 0.01):"]
        for mode in combined:
            drop = max(row["rules"]["f1"] - row[mode]["f1"] for row in report["folds"])
            lines.append(f"  {mode:26} {max(0.0, drop):.4f}")
    return "\n".join(lines)


# ---- command line --------------------------------------------------------------------------
def _parser(kfold_default: bool) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportmine train",
        description="Train the model extractor's taggers from gold (or, with --kfold, measure them).")
    parser.add_argument("--docs", type=Path, default=_corpus() / "docs", help="Folder of documents (default: corpus/docs).")
    parser.add_argument("--gold", type=Path, default=_corpus() / "gold", help="Folder of gold JSONL files (default: corpus/gold).")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR,
                        help=f"Model directory to write (default: the package's models/{MODEL_NAME}).")
    parser.add_argument("--seed", type=int, default=SEED, help="Random seed (default %(default)s).")
    parser.add_argument("--epochs", type=int, default=None, help="Override the number of epochs (both taggers).")
    parser.add_argument("--kfold", action="store_true", default=kfold_default,
                        help="Document-level k-fold evaluation instead of training the shipped model.")
    parser.add_argument("--folds", type=int, default=5, help="k for --kfold (default 5).")
    parser.add_argument("--all-policies", action="store_true", help="With --kfold: also score the other combiners.")
    parser.add_argument("--json", type=Path, default=None, help="With --kfold: also write the scores as JSON.")
    parser.add_argument("--verbose", "-v", action="store_true", help="Show hanlp's training log.")
    return parser


def _hyper(args) -> Optional[dict]:
    if args.epochs is None:
        return None
    return {part: Hyper(**{**DEFAULT_HYPER[part].__dict__, "epochs": args.epochs}) for part in DEFAULT_HYPER}


def _check(args) -> Optional[str]:
    for path in (args.docs, args.gold):
        if not path.is_dir():
            return f"no such folder: {path}"
    try:
        import hanlp  # noqa: F401
        import torch  # noqa: F401
    except ImportError as exc:
        return f"training needs the model extra ({exc.name or exc} is missing): {INSTALL_HINT}"
    return None


def train_main(argv: Optional[list] = None) -> int:
    args = _parser(False).parse_args(argv)
    if args.kfold:
        return _run_kfold(args)
    problem = _check(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    documents = training_documents(args.docs, args.gold)
    print(f"training {MODEL_NAME} on {len(documents)} documents "
          f"({sum(len(d.metrics) for d in documents)} gold metrics), seed {args.seed} -> {args.out}")
    report = train_models(documents, args.out, seed=args.seed, hyper=_hyper(args), verbose=args.verbose, log=print)
    (Path(args.out) / "TRAINING.json").write_text(json.dumps({
        "documents": [d.name for d in documents], "seed": args.seed,
        "hyper": {part: (_hyper(args) or DEFAULT_HYPER)[part].__dict__ for part in DEFAULT_HYPER},
        "sequences": {part: {"train": r["train"], "dev": r["dev"]} for part, r in report.items()},
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"saved: {args.out}")
    return 0


def _run_kfold(args) -> int:
    problem = _check(args)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    policies = dict(POLICIES) if args.all_policies else {"combined": COMBINE_POLICY}
    report = kfold(args.docs, args.gold, folds=args.folds, seed=args.seed, hyper=_hyper(args), policies=policies)
    print(format_kfold(report))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


def kfold_main(argv: Optional[list] = None) -> int:
    return train_main(["--kfold", *(argv or [])])


if __name__ == "__main__":
    sys.exit(train_main(sys.argv[1:]))
