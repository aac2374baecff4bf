"""The stage order: decode -> normalize -> extract -> map offsets -> metadata -> repeats.

Every input yields a Document: with metrics, or with `error` set and a clear message. Nothing
is skipped silently and one bad file never stops a batch.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .decode import decode_bytes
from .errors import ReportmineError
from .extract_model import load_model_extractor
from .rules import RuleExtractor
from .indicators import IndicatorMapper
from .lexicons import Lexicons, load_lexicons
from .metadata import read_metadata
from .normalize import HTML_SUFFIXES, normalize
from .records import Document, Evidence, Metric, Warning_

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# numbers that look like figures but cannot be trusted: rejected, and said so in a warning
REJECTED_NUMBERS = {
    "absurd_value": "is larger than any report figure (over 10^20): not read as a metric",
    "malformed_number": "is not a well-formed number (separators in the wrong places, or exponent notation): not read as a metric",
}
TEXT_SUFFIXES = {".txt", ".text", ".md"} | HTML_SUFFIXES


EXTRACTORS = ("rules", "combined", "model")
# the best measured (the rules' figures, with objects and actions from whichever reader is likelier
# right: better than either alone in the k-fold over corpus/ and the real sets; see README); it falls
# back to the rules, saying so once, without the model extra
DEFAULT_EXTRACTOR = "combined"


class Pipeline:
    """Holds the loaded lexicons and extractors; reuse one instance for many documents.

    extractor: "combined" (default: the rules' figures; where the rules and the shipped figure
    tagger disagree on an object or action, the reading likelier to be right, each record with a
    measured confidence; see extract_model.COMBINE_POLICY), "rules", or "model" (the tagger alone).
    model_dir: a model folder written by `reportmine train` (default: the shipped one).
    Without the `model` extra installed, "combined" falls back to the rules with one
    ModelUnavailableWarning; "model" raises ModelUnavailable. `self.extractor` says which ran."""

    def __init__(self, lexicons: Optional[Lexicons] = None, max_bytes: int = DEFAULT_MAX_BYTES,
                 extractor: str = DEFAULT_EXTRACTOR, model_dir: Optional[os.PathLike] = None):
        if extractor not in EXTRACTORS:
            raise ValueError(f"extractor must be one of {', '.join(EXTRACTORS)}, not {extractor!r}")
        self.lexicons = lexicons or load_lexicons()
        self.rules = RuleExtractor(self.lexicons)
        self.model = None if extractor == "rules" else load_model_extractor(
            self.lexicons, path=model_dir, required=(extractor == "model"))
        self.extractor = extractor if self.model is not None else "rules"
        self.indicators = IndicatorMapper(self.lexicons.indicators)
        self.max_bytes = max_bytes

    # ---- public entry points -------------------------------------------------------
    def extract_text(self, text: str, doc: str = "text", is_html: Optional[bool] = None,
                     encoding: Optional[str] = None, path: Optional[str] = None,
                     sha256: Optional[str] = None, warnings: Iterable[Warning_] = ()) -> Document:
        document = Document(doc=doc, path=path, encoding=encoding, n_chars=len(text),
                            sha256=sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
                            warnings=list(warnings))
        # lone surrogates (only reachable through this API, never from decoded bytes) cannot be
        # encoded by OpenCC or JSON: read U+FFFD in their place, one for one, so offsets still hold
        surrogates = len(LONE_SURROGATE.findall(text))
        if surrogates:
            document.warnings.append(Warning_(code="lone_surrogates",
                                              message=f"{surrogates} lone surrogate code point(s) read as U+FFFD"))
        normalized = normalize(LONE_SURROGATE.sub("\ufffd", text) if surrogates else text, self.lexicons, is_html=is_html)
        document.script = normalized.script
        document.warnings.extend(normalized.warnings)
        meta = read_metadata(normalized, self.lexicons)
        for field_name, value in meta.items():
            setattr(document, field_name, value)
        if self.extractor == "model":
            result = self.model.extract(normalized.text, normalized.corrupt, doc_year=document.year)
        else:
            result = self.rules.extract(normalized.text, normalized.corrupt, doc_year=document.year)
            if self.extractor == "combined":
                result = self.model.combine(normalized.text, result, normalized.corrupt, doc_year=document.year)
        first_seen: dict = {}
        for raw in result.metrics:
            start, end = normalized.to_original(raw.start, raw.end)
            metric = Metric(doc=doc, start=start, end=end, text=text[start:end], value=raw.value,
                            value_max=raw.value_max, unit=raw.unit, kind=raw.kind, qualifier=raw.qualifier,
                            object=raw.object, action=raw.action, change=raw.change, period=raw.period,
                            extractor=raw.extractor, confidence=raw.confidence,
                            sentence=raw.sentence, breakdown=raw.breakdown,
                            evidence={name: Evidence(rule=found.rule, start=span[0], end=span[1])
                                      for name, found in raw.evidence.items()
                                      for span in (normalized.to_original(found.start, found.end),)},
                            indicator=self.indicators.assign(raw.kind, raw.unit, raw.object, raw.action, raw.change,
                                                             raw.context))
            # a repeated passage repeats its metrics: same sentence, same place in it, same figure
            key = (raw.sentence, raw.start - raw.sentence_start, metric.text)
            if len(raw.sentence) >= 8 and key in first_seen:
                metric.repeat_of = first_seen[key]
            else:
                first_seen.setdefault(key, start)
            document.metrics.append(metric)
        for dropped in result.dropped:
            if dropped.reason in REJECTED_NUMBERS:
                start, end = normalized.to_original(dropped.start, dropped.end)
                document.warnings.append(Warning_(code=dropped.reason, start=start, end=end,
                                                  message=f"{text[start:end]!r} {REJECTED_NUMBERS[dropped.reason]}"))
        repeats = sum(1 for m in document.metrics if m.repeat_of is not None)
        if repeats:
            document.warnings.append(Warning_(code="repeated_passages",
                                              message=f"{repeats} metric mention(s) repeat an earlier passage; see repeat_of"))
        return document

    def extract_bytes(self, data: bytes, doc: str, path: Optional[str] = None) -> Document:
        sha = hashlib.sha256(data).hexdigest()
        try:
            decoded = decode_bytes(data)
        except ReportmineError as exc:
            return Document(doc=doc, path=path, sha256=sha, error=str(exc))
        is_html = True if path and Path(path).suffix.lower() in HTML_SUFFIXES else None
        try:
            return self.extract_text(decoded.text, doc=doc, is_html=is_html, encoding=decoded.encoding,
                                     path=path, sha256=sha, warnings=decoded.warnings)
        except ReportmineError as exc:
            return Document(doc=doc, path=path, sha256=sha, encoding=decoded.encoding, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug on one document must not end a batch of thousands
            return Document(doc=doc, path=path, sha256=sha, encoding=decoded.encoding, error=(
                f"internal error while extracting ({type(exc).__name__}: {exc}); the other documents are "
                f"unaffected - please report this file"))

    def extract_file(self, path: os.PathLike) -> Document:
        path = Path(path)
        name = path.name
        try:
            status = path.stat()
            if not stat.S_ISREG(status.st_mode):
                # a FIFO or device would block or never end: only regular files are read
                return Document(doc=name, path=str(path), error="not a regular file (a pipe, device or socket)")
            size = status.st_size
            if size > self.max_bytes:
                return Document(doc=name, path=str(path), error=(
                    f"file too large: {size:,} bytes > limit {self.max_bytes:,} (raise it with --max-bytes)"))
            data = path.read_bytes()
        except OSError as exc:
            return Document(doc=name, path=str(path), error=f"cannot read file: {exc.strerror or exc}")
        return self.extract_bytes(data, doc=name, path=str(path))


def iter_input_files(paths: Iterable[os.PathLike]) -> Iterator[Path]:
    """Files named directly, and the files under named folders (recursive, sorted, symlink loops
    skipped). A folder yields only text-like files (.txt, .html ...); a file named directly is
    always read."""
    for given in paths:
        given = Path(given)
        if given.is_dir():
            seen_dirs = set()
            for root, dirs, files in os.walk(given, followlinks=True):
                real = os.path.realpath(root)
                if real in seen_dirs:
                    dirs[:] = []
                    continue
                seen_dirs.add(real)
                dirs.sort()
                for name in sorted(files):
                    if Path(name).suffix.lower() in TEXT_SUFFIXES and not name.startswith("."):
                        yield Path(root) / name
        else:
            yield given


_default: Optional[Pipeline] = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default


def extract_text(text: str, doc: str = "text", **kwargs) -> Document:
    """Extract metrics from a string (the decoded original text)."""
    return default_pipeline().extract_text(text, doc=doc, **kwargs)


def extract_file(path: os.PathLike) -> Document:
    """Extract metrics from one file (any supported encoding, plain text or HTML)."""
    return default_pipeline().extract_file(path)


def extract_paths(paths: Iterable[os.PathLike]) -> Iterator[Document]:
    """One Document per input file under the given files and folders, in a stable order."""
    pipeline = default_pipeline()
    for path in iter_input_files(paths):
        yield pipeline.extract_file(path)
