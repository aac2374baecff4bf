"""The stage order: read (readers: PDF, Word, sheets, text and HTML by content) -> normalize ->
extract -> map offsets -> metadata -> repeats.

Every input yields a Document: with metrics, or with `error` or `skipped` set and a clear
reason. Nothing is skipped silently and one bad file never stops a batch.
"""
from __future__ import annotations

import gc
import hashlib
import os
import re
import stat
import threading
from bisect import bisect_right
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, Union

from .errors import ReportmineError
from .extract_model import load_model_extractor
from .rules import RuleExtractor
from .rules.period import BASELINE_RULE, ComparisonBases, figure_year, is_part_of_year
from .indicators import IndicatorMapper, NumberedHeadings, sentence_topic
from .lexicons import Lexicons, load_lexicons
from .metadata import SPEAKING_YEAR, read_metadata
from .normalize import normalize
from .readers import Skipped, read_source
from .records import Document, Evidence, Metric, Warning_
from .status import StatusReader, TextBreaks

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# numbers that look like figures but cannot be trusted: rejected, and said so in a warning
REJECTED_NUMBERS = {
    "absurd_value": "is larger than any report figure (over 10^20): not read as a metric",
    "malformed_number": "is not a well-formed number (separators in the wrong places, or exponent notation): not read as a metric",
}
# characters of original text kept on each side of a figure in Metric.context: enough to read the
# clause it sits in, while a row stays bounded however long its sentence is
CONTEXT_CHARS = 100


EXTRACTORS = ("rules", "combined", "model")
# the best measured (the rules' figures, with objects and actions from whichever reader is likelier
# right: better than either alone in the k-fold over corpus/ and the real sets; see README); it falls
# back to the rules, saying so once, without the model extra
DEFAULT_EXTRACTOR = "combined"


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def cyclic_gc_paused():
    """Python's cyclic garbage collector off while a document is extracted. A document's objects
    (words, figures, records) are freed by their reference counts: extraction leaves no cycles (none
    found after the corpus or a 1.3 MB report). But the collector walks every live object each time
    they grow by a quarter, so a large document paid for its own size again and again: a 1.3 MB
    report spent 1.5 of 6.6 s in it, none of which a 20 KB one does. Re-entrant and thread-safe:
    the collector is on again when the last extraction ends, if it was on before the first."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


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
        self.indicators = IndicatorMapper(self.lexicons.taxonomy)
        self.status = StatusReader(self.lexicons.status)
        self.bases = ComparisonBases(self.lexicons)
        self.max_bytes = max_bytes

    # ---- public entry points -------------------------------------------------------
    def extract_text(self, text: str, doc: str = "text", is_html: Optional[bool] = None,
                     encoding: Optional[str] = None, path: Optional[str] = None,
                     sha256: Optional[str] = None, warnings: Iterable[Warning_] = (),
                     reading_text: Optional[str] = None) -> Document:
        """reading_text: the same text with table cells marked by tabs (readers.texttables), same
        length; the extractor reads it, offsets and metric texts index `text`."""
        with cyclic_gc_paused():
            return self._extract_text(text, doc, is_html, encoding, path, sha256, warnings, reading_text)

    def _extract_text(self, text, doc, is_html, encoding, path, sha256, warnings, reading_text) -> Document:
        document = Document(doc=doc, path=path, encoding=encoding, n_chars=len(text),
                            sha256=sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
                            warnings=list(warnings))
        # lone surrogates (only reachable through this API, never from decoded bytes) cannot be
        # encoded by OpenCC or JSON: read U+FFFD in their place, one for one, so offsets still hold
        surrogates = len(LONE_SURROGATE.findall(text))
        if surrogates:
            document.warnings.append(Warning_(code="lone_surrogates",
                                              message=f"{surrogates} lone surrogate code point(s) read as U+FFFD"))
        readable = LONE_SURROGATE.sub("\ufffd", text) if surrogates else text
        # the reader's text with table cells marked by tabs, when it gives one of the same length
        read = readable if reading_text is None or len(reading_text) != len(text) else \
            (LONE_SURROGATE.sub("\ufffd", reading_text) if surrogates else reading_text)
        normalized = normalize(read, self.lexicons, is_html=is_html)
        document.script = normalized.script
        document.warnings.extend(normalized.warnings)
        meta = read_metadata(normalized, self.lexicons)
        # the year the figures' 今年 and 去年 are counted from: the page's, unless it speaks from a
        # later year than the one it covers (a January news item on last year's work)
        speaking_year = meta.pop(SPEAKING_YEAR, None)
        for field_name, value in meta.items():
            setattr(document, field_name, value)
        if self.extractor == "model":
            result = self.model.extract(normalized.text, normalized.corrupt, doc_year=document.year)
        else:
            result = self.rules.extract(normalized.text, normalized.corrupt, doc_year=document.year,
                                        speaking_year=speaking_year)
            if self.extractor == "combined":
                # the tagger's fields are not type-checked again: the merge took them on accuracies
                # measured out of fold without that check, and the tagger learned acts from gold
                # that jieba tags as nouns (资助 n, 惠及 ns, 新开工 nz): the check cleared 23 right
                # actions for 4 wrong on mix3 (extract_model.py, README Extractors)
                result = self.model.combine(normalized.text, result, normalized.corrupt, doc_year=document.year)
        first_seen: dict = {}
        sentences: dict = {}  # (start, end) -> the sentence's text, cut once however many figures it holds
        sentence_ids, contexts = [], []
        # the text's breaks and headings, found once for all its figures
        breaks = TextBreaks(normalized.text) if result.metrics else None
        headings = NumberedHeadings(normalized.text) if result.metrics else None
        for raw in result.metrics:
            sentence_ids.append(raw.sentence_start)
            contexts.append(raw.context)
            bounds = (raw.sentence_start, raw.sentence_end)
            sentence = sentences.get(bounds)
            if sentence is None:
                sentence = sentences[bounds] = normalized.text[bounds[0]:bounds[1]].strip()
            start, end = normalized.to_original(raw.start, raw.end)
            context_start, context_end = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
            status, _ = self.status.read(normalized.text, raw.start, raw.end, breaks)
            metric = Metric(doc=doc, start=start, end=end, text=text[start:end], value=raw.value,
                            value_max=raw.value_max, unit=raw.unit, kind=raw.kind, qualifier=raw.qualifier,
                            object=raw.object, action=raw.action, change=raw.change, period=raw.period,
                            extractor=raw.extractor, confidence=raw.confidence,
                            context=readable[context_start:context_end], context_start=context_start,
                            breakdown=raw.breakdown, status=status,
                            evidence={name: Evidence(rule=found.rule, start=span[0], end=span[1])
                                      for name, found in raw.evidence.items()
                                      for span in (normalized.to_original(found.start, found.end),)})
            if raw.change:
                base = self.bases.find(normalized.text, raw.sentence_start, raw.start, figure_year(raw.period, document.year),
                                       is_part_of_year(raw.period))
                if base is not None:
                    base_start, base_end = normalized.to_original(base[1], base[2])
                    metric.baseline = text[base_start:base_end]
                    metric.evidence["baseline"] = Evidence(rule=BASELINE_RULE, start=base_start, end=base_end)
            metric.indicator, metric.indicator_source = self.indicators.assign(
                raw.kind, raw.unit, raw.object, raw.action, raw.change, raw.context,
                topic=sentence_topic(normalized.text, raw.sentence_start, raw.start, headings))
            # a repeated passage repeats its metrics: same sentence, same place in it, same figure
            key = (sentence, raw.start - raw.sentence_start, metric.text)
            if len(sentence) >= 8 and key in first_seen:
                metric.repeat_of = first_seen[key]
            else:
                first_seen.setdefault(key, start)
            document.metrics.append(metric)
        self.indicators.assign_document(document.metrics, sentence_ids, contexts)
        for metric in document.metrics:
            if metric.baseline is not None:  # paired with its level above, but in no year-on-year column
                metric.indicator = metric.indicator_source = None
        for dropped in result.dropped:
            if dropped.reason in REJECTED_NUMBERS:
                start, end = normalized.to_original(dropped.start, dropped.end)
                document.warnings.append(Warning_(code=dropped.reason, start=start, end=end,
                                                  message=f"{text[start:end]!r} {REJECTED_NUMBERS[dropped.reason]}"))
        for metric in document.metrics:
            if "?" in metric.text:
                # a unit whose μ was lost to a single-byte encoding (55?g/m3): read, but said
                document.warnings.append(Warning_(code="mojibake_unit", start=metric.start, end=metric.end,
                                                  message=f"{metric.text!r}: a character of the unit was lost "
                                                          f"(?); read as {metric.unit}"))
        repeats = sum(1 for m in document.metrics if m.repeat_of is not None)
        if repeats:
            document.warnings.append(Warning_(code="repeated_passages",
                                              message=f"{repeats} metric mention(s) repeat an earlier passage; see repeat_of"))
        return document

    def extract_bytes(self, data: bytes, doc: str, path: Optional[str] = None) -> Document:
        """Any file's bytes: its format is found from them (readers.sniff), its text read, its
        metrics extracted. A file that is not read is a document all the same: `skipped` (with
        the reason and the fix) or `error`."""
        sha = hashlib.sha256(data).hexdigest()
        try:
            source = read_source(data, path or doc)
        except Skipped as exc:
            return Document(doc=doc, path=path, sha256=sha, format=exc.format, skipped=str(exc))
        except ReportmineError as exc:
            return Document(doc=doc, path=path, sha256=sha, format=getattr(exc, "format", None), error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a reader's bug on one file must not end a batch
            return Document(doc=doc, path=path, sha256=sha, error=(
                f"internal error while reading ({type(exc).__name__}: {exc}); the other documents are "
                f"unaffected - please report this file"))
        try:
            document = self.extract_text(source.text, doc=doc, is_html=source.is_html, encoding=source.encoding,
                                         path=path, sha256=sha, warnings=source.warnings,
                                         reading_text=source.reading_text)
        except ReportmineError as exc:
            return Document(doc=doc, path=path, sha256=sha, encoding=source.encoding, format=source.format, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug on one document must not end a batch of thousands
            return Document(doc=doc, path=path, sha256=sha, encoding=source.encoding, format=source.format, error=(
                f"internal error while extracting ({type(exc).__name__}: {exc}); the other documents are "
                f"unaffected - please report this file"))
        document.format = source.format
        if source.page_starts:
            for metric in document.metrics:
                metric.page = bisect_right(source.page_starts, metric.start) or 1
        return document

    def extract_file(self, path: Union[str, os.PathLike], doc: Optional[str] = None) -> Document:
        """Extract one file. doc is its id in the outputs (default: the file's name); the Document's
        path is the absolute path. A file that cannot be read gives a Document with an error."""
        path = Path(path)
        location = display_path(os.path.abspath(path))
        doc = doc if doc is not None else display_path(path.name)
        document = self._read_and_extract(path, doc, location)
        if LONE_SURROGATE.search(os.fspath(path)):
            # Python keeps the bytes of a name that is not UTF-8 as lone surrogates
            # (surrogateescape); no output format can hold those, so the name is shown escaped
            document.warnings.insert(0, Warning_(code="file_name_not_utf8", message=(
                "the file's name is not valid UTF-8: its undecodable bytes are shown as \\xNN")))
        return document

    def _read_and_extract(self, path: Path, doc: str, location: str) -> Document:
        try:
            status = path.stat()
            if not stat.S_ISREG(status.st_mode):
                # a FIFO or device would block or never end: only regular files are read
                return Document(doc=doc, path=location, error="not a regular file (a pipe, device or socket)")
            size = status.st_size
            if size > self.max_bytes:
                return Document(doc=doc, path=location, error=(
                    f"file too large: {size:,} bytes > limit {self.max_bytes:,} (raise it with --max-bytes)"))
            data = path.read_bytes()
        except OSError as exc:
            return Document(doc=doc, path=location, error=f"cannot read file: {exc.strerror or exc}")
        return self.extract_bytes(data, doc=doc, path=location)

    def extract(self, source: PathsLike) -> Iterator[Document]:
        """One Document per input file under source (see input_files), in a stable order."""
        for item in input_files(source):
            yield self.extract_file(item.path, doc=item.doc)


PathsLike = Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]]


def display_path(path: Union[str, os.PathLike]) -> str:
    """A path as text any file format can hold: the bytes of a name that are not UTF-8 (which
    Python keeps as lone surrogates) are shown as \\xNN, as Python writes bytes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


_ESCAPED_BYTE = re.compile(rb"\\x([0-9a-f]{2})")


def os_path(shown: str) -> str:
    """The path that display_path showed, for opening the file again."""
    return os.fsdecode(_ESCAPED_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), shown.encode("utf-8")))


@dataclass(frozen=True)
class InputFile:
    """One file to extract: where the system finds it, and the id its Document gets."""

    path: str  # absolute, as the OS names it (bytes that are not UTF-8 kept as surrogates)
    doc: str   # relative to the folder given (or the name of a file given directly), shown escaped


def input_files(source: PathsLike) -> list[InputFile]:
    """The files under source (one path or many, str or PathLike), each once, in a stable order.

    A document's id is its path relative to the folder given, so two 2023年工作总结.txt in two
    bureaus' folders under one given folder stay apart (bureau_a/2023年工作总结.txt); a file
    given directly keeps its name. When two given folders hold the same relative path, those ids
    are spelled from the folder as given (reports_a/2023.txt, reports_b/2023.txt)."""
    if isinstance(source, (str, bytes, os.PathLike)):
        source = [source]  # a str is one path, not a list of one-character paths
    found, seen = [], set()
    for given in source:
        given = Path(os.fsdecode(given))
        folder = given.is_dir()
        for path in iter_input_files([given]):
            absolute = os.path.abspath(path)
            if absolute in seen:  # named twice (a folder and a file in it): one Document
                continue
            seen.add(absolute)
            relative = Path(os.path.relpath(path, given)).as_posix() if folder else path.name
            found.append((absolute, relative, (given / relative).as_posix() if folder else given.as_posix()))
    counts = Counter(relative for _, relative, _ in found)
    return [InputFile(absolute, display_path(relative if counts[relative] == 1 else spelled))
            for absolute, relative, spelled in found]


def iter_input_files(paths: Iterable[os.PathLike]) -> Iterator[Path]:
    """Files named directly, and every file under named folders (recursive, sorted, symlink loops
    skipped): each becomes one document row, read, skipped with its reason, or failed. Hidden
    files and folders (names starting with a dot: .git, .DS_Store) are not listed."""
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
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
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


def extract_file(path: Union[str, os.PathLike]) -> Document:
    """Extract metrics from one file (any supported encoding, plain text or HTML)."""
    return default_pipeline().extract_file(path)


def extract(source: PathsLike) -> Iterator[Document]:
    """One Document per file under source: a file or folder, as str or Path, or a list of them.

    Folders are searched recursively for .txt, .html ... files; ids are paths relative to the
    folder given (see input_files). Lazy: one document in memory at a time.

    >>> for document in reportmine.extract("corpus/docs"):
    ...     print(document.doc, document.bureau, len(document.metrics))
    """
    return default_pipeline().extract(source)


extract_paths = extract  # the name of earlier releases
