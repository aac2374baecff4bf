"""Command line: thin wrappers over the library (pipeline, evaluate, aggregate)."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .aggregate import check_format, write_rows
from .errors import ReportmineError
from .lexicons import load_lexicons
from .batch import DEFAULT_DOC_MEMORY, DEFAULT_DOC_TIMEOUT
from .pipeline import DEFAULT_EXTRACTOR, DEFAULT_MAX_BYTES, EXTRACTORS

EXIT_STATUS_HELP = ("Exit status: 0 done; 1 an internal error (a bug: please report it); 2 a user error (the "
                    "message says what to do, or no file was found); 3 some documents failed or were skipped "
                    "(their rows say why; the outputs are still written); 4 none of the files found could be read.")
app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Turn Chinese bureau reports into metrics: extract, panel, show, report, evaluate, schema.",
                  epilog=EXIT_STATUS_HELP)
err = Console(stderr=True)
EXIT_SOME_FAILED = 3
EXIT_NOTHING_READ = 4
EXIT_USER_ERROR = 2


def _fail(message: str) -> typer.Exit:
    """A user error: one sentence saying what is wrong and what to do, then exit status 2.
    Printed as plain text, one line: rich markup would eat [model] in 'pip install "reportmine[model]"'
    and rich would wrap it at the terminal's width."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_USER_ERROR)


def _version(value: bool):
    if value:
        typer.echo(f"reportmine {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                              help="Print the version and exit.")):
    pass


class _logging:
    """Log records of the "reportmine" loggers to stderr (warnings; -v info, -vv debug; --quiet
    errors only) and, with --log-file, everything to that file. Only the command line does this:
    the library never configures logging."""

    def __init__(self, verbose: int, log_file: Optional[Path], quiet: bool):
        self.verbose, self.log_file, self.quiet = verbose, log_file, quiet
        self.handlers = []

    def __enter__(self):
        import logging

        logger = logging.getLogger("reportmine")
        self.level = logger.level
        logger.setLevel(logging.DEBUG)
        if err.is_terminal:
            from rich.logging import RichHandler

            console = RichHandler(console=err, show_time=False, show_path=False, markup=False)
        else:
            console = logging.StreamHandler(sys.stderr)
            console.setFormatter(logging.Formatter("reportmine: %(levelname)s: %(message)s"))
        levels = [logging.WARNING, logging.INFO, logging.DEBUG]
        console.setLevel(logging.ERROR if self.quiet else levels[min(self.verbose, 2)])
        self.handlers.append(console)
        if self.log_file:
            try:
                to_file = logging.FileHandler(self.log_file, encoding="utf-8")
            except OSError as exc:
                raise _fail(f"cannot write the log file {self.log_file} ({exc.strerror or exc}); "
                            f"name a file in a folder you can write")
            to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            to_file.setLevel(logging.DEBUG)
            self.handlers.append(to_file)
        for handler in self.handlers:
            logger.addHandler(handler)
        return self

    def __exit__(self, *exc):
        import logging

        logger = logging.getLogger("reportmine")
        for handler in self.handlers:
            logger.removeHandler(handler)
            handler.close()
        logger.setLevel(self.level)
        return False


@app.command(epilog=EXIT_STATUS_HELP)
def extract(
    paths: List[Path] = typer.Argument(..., help="Files or folders (searched recursively: text, HTML, PDF, Word, spreadsheets; each file one row)."),
    output: Path = typer.Option(..., "-o", "--output", help="Metrics file: .jsonl, .csv or .parquet."),
    documents: Optional[Path] = typer.Option(None, "--documents", help="Also write one row per document here."),
    workers: int = typer.Option(0, "--workers", "-w", help="Worker processes (0 = all cores; a few small files "
                                                            "are extracted in this process)."),
    resume: bool = typer.Option(False, "--resume", help="Keep the documents of an interrupted run whose file is "
                                                        "unchanged; extract the others."),
    engine: Optional[str] = typer.Option(None, "--engine", help="local (worker processes; the default) or dask "
                                                                "(a dask.distributed cluster; implied by --scheduler)."),
    extractor: str = typer.Option(DEFAULT_EXTRACTOR, "--extractor",
                                  help="combined (rules + the figure tagger; without the model extra: rules), rules, or model."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model folder written by reportmine train (default: the shipped model)."),
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse files larger than this."),
    doc_timeout: float = typer.Option(DEFAULT_DOC_TIMEOUT, "--doc-timeout",
                                      help="Seconds one document may take; past them it is stopped and becomes an "
                                           "error row (0 = no limit)."),
    doc_memory: float = typer.Option(DEFAULT_DOC_MEMORY, "--doc-memory",
                                     help="MB of memory a worker may use on one document; past them the document "
                                          "is stopped and becomes an error row (0 = no limit)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress, summary or warnings; errors only."),
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="Log more: -v each document's warnings, "
                                                                        "-vv every document."),
    log_file: Optional[Path] = typer.Option(None, "--log-file", help="Also write the full log (debug level) here."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV of path, bureau, region, year, date, url "
                                                                     "(any but path optional) over what the text says."),
):
    """Extract metrics from documents; every input file yields one document row (ok, error or skipped)."""
    from .batch import BatchError, NoInputFiles, journal_documents, journal_path, run_batch

    if engine is None:
        engine = "dask" if scheduler else "local"  # a scheduler address means a Dask cluster
    if engine not in ("local", "dask"):
        raise _fail(f"--engine must be local or dask, not {engine!r}")
    if scheduler and engine != "dask":
        raise _fail("--scheduler is a Dask scheduler's address: use it with --engine dask (or leave --engine out)")
    if extractor not in EXTRACTORS:
        raise _fail(f"--extractor must be one of {', '.join(EXTRACTORS)}, not {extractor!r}")
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:
        raise _fail(f"no such file or folder: {', '.join(missing)}; check the path")
    try:
        check_format(output)
        if documents:
            check_format(documents)
        lexicons = load_lexicons(lexicon_dir)
    except (ValueError, ReportmineError) as exc:
        raise _fail(str(exc))
    if extractor == "model" or model is not None and extractor == "combined":
        _require_model(lexicons, model)  # a model asked for by name must load: fail here, not in every worker
    rows = None
    if manifest is not None:
        from .metadata import ManifestError, load_manifest
        from .pipeline import iter_input_files

        try:
            rows = load_manifest(manifest, iter_input_files(paths))
        except ManifestError as exc:  # checked before any extraction: nothing half done
            raise _fail(str(exc))
    with _logging(verbose, log_file, quiet), _progress(enabled=not quiet and err.is_terminal) as report:
        try:
            summary = run_batch(paths, output, documents, workers=workers or None, resume=resume,
                                lexicon_dirs=lexicon_dir, max_bytes=max_bytes, progress=report,
                                engine=engine, scheduler=scheduler, extractor=extractor,
                                doc_timeout=doc_timeout or None, doc_memory=doc_memory or None, manifest=rows,
                                model_dir=model)
        except (BatchError, NoInputFiles) as exc:
            raise _fail(str(exc))
        except ImportError as exc:
            raise _fail(f"{exc}; for --engine dask install the dask extra: pip install \"reportmine[dask]\"")
        except OSError as exc:
            raise _fail(f"cannot write {exc.filename or output}: {exc.strerror or exc}; "
                        f"check the folder exists and you may write there")
    if not quiet:
        _summary(journal_documents(journal_path(output)), summary, output)
    if summary.documents and not summary.read and not summary.kept:
        err.print(f"[red]error:[/red] none of the {summary.documents} file(s) could be read "
                  f"({_reasons(summary)}); see --documents for each file's reason")
        raise typer.Exit(EXIT_NOTHING_READ)
    if summary.any_failed or summary.not_read:
        raise typer.Exit(EXIT_SOME_FAILED)


def _require_model(lexicons, model=None) -> None:
    """--extractor model, or a --model folder: fail here, once, in one sentence, not in every worker."""
    from .extract_model import ModelUnavailable, load_model_extractor, model_status

    reason = model_status(model, load=False)
    if reason is None:
        try:
            load_model_extractor(lexicons, path=model, required=True)
            return
        except ModelUnavailable as exc:
            reason = str(exc)
    # model_status speaks for the fallback of the default extractor ("...; extraction uses the
    # rules only"), which --extractor model does not have
    reason = reason.split("; extraction uses the rules only")[0]
    raise _fail(f"--extractor model cannot run: {reason}; or choose --extractor rules")


class _progress:
    """A rich progress bar with documents/s and ETA on a terminal; nothing otherwise."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]:.1f} docs/s"), TimeRemainingColumn(), console=err)
        self.bar.start()
        self.task = self.bar.add_task("extract", total=None, rate=0.0)
        return self.update

    def update(self, done, total, summary):
        rate = done / summary.seconds if summary.seconds else 0.0
        self.bar.update(self.task, completed=done, total=total, rate=rate)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


def _summary(documents, summary, output):
    from rich.text import Text

    console = Console()
    table = Table(title=Text(f"reportmine -> {output}"))
    for column in ("document", "bureau", "year", "metrics", "status"):
        table.add_column(column)
    shown = 0
    for document in documents:
        if shown == 30:
            table.add_row("...", "", "", "", "")
            break
        # Text, not str: a file name is not rich markup
        table.add_row(Text(document.doc), Text(document.bureau or ""), str(document.year or ""),
                      str(len(document.metrics)), document.status)
        shown += 1
    console.print(table)
    where = "in this process" if summary.in_process else (f"{summary.workers} workers" if summary.workers else "")
    console.print(f"documents ok: {summary.read}   failed: {summary.failed}   not read (skipped): {summary.not_read}   "
                  f"kept from the journal: {summary.kept} ({summary.kept_failed} failed)   metrics: {summary.metrics}   "
                  f"{summary.chars_per_second:,.0f} chars/s   extractor: {summary.extractor}"
                  + (f"   {where}" if where else ""), markup=False, highlight=False)
    if summary.reasons:
        console.print(f"why: {_reasons(summary)}", markup=False, highlight=False)
    for problem in summary.journal_problems[:5]:
        console.print(f"journal: {problem}", markup=False, highlight=False)
    for doc, error in summary.first_errors:
        console.print(Text.assemble(("failed", "red"), f" {doc}: {error}"))


def _reasons(summary) -> str:
    """Failed and skipped files counted by reason, most frequent first: failed: empty file 2;
    skipped: image 3, scanned PDF 1."""
    parts = []
    for status, label in (("error", "failed"), ("skipped", "skipped")):
        counts = [f"{reason} {count}" for (kind, reason), count in summary.reasons.most_common() if kind == status]
        if counts:
            parts.append(f"{label}: {', '.join(counts)}")
    return "; ".join(parts)


@app.command(epilog=EXIT_STATUS_HELP)
def evaluate(
    docs_dir: Path = typer.Argument(..., help="Folder of documents."),
    gold_dir: Path = typer.Argument(..., help="Folder of gold JSONL files named after the documents."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List misses, extras and attribute errors."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the scores as JSON."),
    extractor: str = typer.Option(DEFAULT_EXTRACTOR, "--extractor", help="combined, rules or model."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model folder written by reportmine train (default: the shipped model)."),
):
    """Extract the gold-annotated documents and print precision, recall, F1 and attribute accuracy."""
    import json

    from .evaluate import evaluate_folder, format_report
    from .extract_model import load_model_extractor
    from .pipeline import Pipeline

    try:
        if model is not None and extractor != "rules":
            load_model_extractor(load_lexicons(), path=model, required=True)  # a model named must load
        result = evaluate_folder(docs_dir, gold_dir, Pipeline(extractor=extractor, model_dir=model))
    except (OSError, ValueError, ReportmineError) as exc:
        raise _fail(str(exc))
    typer.echo(format_report(result, verbose=verbose))
    if json_out:
        json_out.write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")


@app.command(epilog=EXIT_STATUS_HELP)
def show(
    file: Path = typer.Argument(..., help="One document (.txt, .html ...)."),
    original: bool = typer.Option(False, "--original", help="Show the decoded original text (the one offsets index), not the normalized one."),
    no_text: bool = typer.Option(False, "--no-text", help="Only the table of metrics and the warnings."),
    pager: bool = typer.Option(False, "--pager", help="Page the output (colours kept)."),
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
):
    """A quick look: the document's text with each metric highlighted and numbered, then its records and warnings."""
    from contextlib import nullcontext

    from .pipeline import Pipeline
    from .report import show_document

    if not file.is_file():
        raise _fail(f"no such file: {file}; show takes one document")
    try:
        pipeline = Pipeline(load_lexicons(lexicon_dir))
    except ReportmineError as exc:
        raise _fail(str(exc))
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=160)  # a file or a pipe: do not squeeze the table into 80 columns
    with console.pager(styles=True) if pager else nullcontext():
        document = show_document(file, console, original=original, text=not no_text, pipeline=pipeline)
    if document.error or document.skipped:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command(epilog=EXIT_STATUS_HELP)
def report(
    paths: List[Path] = typer.Argument(..., help="Folders or files of documents, or results of reportmine extract "
                                                 "(.jsonl/.csv/.parquet, or its .journal.jsonl)."),
    output: Path = typer.Option(..., "-o", "--output", help="The index page to write (report.html: the document pages go "
                                                           "to report_files/ beside it), or a folder (FOLDER/index.html, FOLDER/docs/)."),
    source: List[Path] = typer.Option([], "--source", help="Folder holding the documents a results file names (searched recursively)."),
    title: Optional[str] = typer.Option(None, "--title", help="The page's title."),
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
):
    """An HTML audit: an index page and one page per document, with every metric highlighted at its offsets.

    A document's page shows its text (an HTML page as the text read from it, not its markup), every
    metric highlighted at its offsets with its fields and evidence, and its warnings. Self-contained
    pages: open the index in a browser, or copy the index and its folder anywhere.

    Exit status 3 (pages still written) when a document's text is missing or offsets do not hold their metric's text."""
    from .pipeline import Pipeline
    from .report import load_audit, report_layout, write_report

    try:
        index, pages = report_layout(output)
    except ValueError as exc:
        raise _fail(str(exc))
    missing = [str(p) for p in list(paths) + list(source) if not p.exists()]
    if missing:
        raise _fail(f"no such file or folder: {', '.join(missing)}; check the path")
    try:
        lexicons = load_lexicons(lexicon_dir)
        audits = load_audit(paths, source, pipeline=Pipeline(lexicons))
        write_report(audits, output, title=title, lexicons=lexicons)
    except (OSError, ValueError, ReportmineError) as exc:
        raise _fail(str(exc))
    unreadable = [a for a in audits if a.original is None]
    flagged = sum(len(a.mismatched) for a in audits)
    typer.echo(f"report: {len(audits)} documents, {sum(len(a.document.metrics) for a in audits)} metrics, "
               f"{sum(len(a.document.warnings) for a in audits)} warnings -> {index} (pages in {pages})"
               + (f"; {len(unreadable)} without their text" if unreadable else "")
               + (f"; {flagged} metrics whose offsets do not hold their text" if flagged else ""))
    for audit in unreadable[:5]:
        err.print(f"{audit.document.doc}: {'; '.join(audit.problems)}", markup=False, highlight=False)
    if len(unreadable) > 5:
        err.print(f"... and {len(unreadable) - 5} more documents without their text", highlight=False)
    if unreadable or flagged:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command("train")
def train_command(
    out: Path = typer.Option(Path("models") / "metric_tagger", "-o", "--out",
                             help="Model folder to write (default: models/metric_tagger in the working folder; "
                                  "use it with --model)."),
    docs: Optional[Path] = typer.Option(None, "--docs", help="Documents with gold (default: corpus/docs)."),
    gold: Optional[Path] = typer.Option(None, "--gold", help="Their gold JSONL files (default: corpus/gold)."),
    real_set: Optional[List[str]] = typer.Option(None, "--real-set",
                                                 help="Real report sets to train on where their texts are cached "
                                                      "(repeat it; default: every set but the holdouts, train.REAL_SETS)."),
    no_real: bool = typer.Option(False, "--no-real", help="Train on --docs/--gold only."),
    folds: int = typer.Option(5, "--folds", help="k of the document-level k-fold that measures the confidence."),
    seed: int = typer.Option(20240606, "--seed", help="Random seed (the same seed gives the same files)."),
    epochs: Optional[int] = typer.Option(None, "--epochs", help="At most this many epochs (default 14)."),
    kfold_only: bool = typer.Option(False, "--kfold-only", help="Print the k-fold table of rules, model and merges; save nothing."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the k-fold table as JSON."),
):
    """Train the figure tagger on gold: a k-fold (which measures the confidence), then the model on every document.

    Writes config.json, weights.safetensors, calibration.json and TRAINING.json into --out; the shipped model is
    only replaced when --out names it."""
    import importlib.util

    from .extract_model import CALIBRATION_FILE, TRAINING_FILE
    from .tagger import CONFIG_FILE, WEIGHTS_FILE
    from .train import INSTALL_HINT, NEEDED

    missing = [str(p) for p in (docs, gold) if p is not None and not p.is_dir()]
    if missing:
        err.print(f"[red]error:[/red] no such folder: {', '.join(missing)}")
        raise typer.Exit(2)
    if folds < 2:
        err.print("[red]error:[/red] --folds must be 2 or more (the confidence is measured out of fold)")
        raise typer.Exit(2)
    model_files = {CONFIG_FILE, WEIGHTS_FILE, CALIBRATION_FILE, TRAINING_FILE}
    if not kfold_only and out.exists() and (not out.is_dir() or set(p.name for p in out.iterdir()) - model_files):
        err.print(f"[red]error:[/red] {out} exists and is not a model folder: name a new or a model folder")
        raise typer.Exit(2)
    not_installed = [name for name in NEEDED if importlib.util.find_spec(name) is None]
    if not_installed:
        raise _fail(f"training needs the train extra ({', '.join(not_installed)} missing): {INSTALL_HINT}")
    from dataclasses import replace

    from .train import REAL_SETS, Hyper, format_table, kfold, train, training_sources

    hyper = Hyper() if epochs is None else replace(Hyper(), epochs=epochs)
    try:
        chosen = () if no_real else tuple(real_set) if real_set else REAL_SETS
        sources, not_found = training_sources(docs, gold, real_sets=chosen, log=typer.echo)
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    if kfold_only:
        report = kfold(sources, folds=folds, seed=seed, hyper=hyper, log=typer.echo)
        typer.echo(format_table(report))
    else:
        report = train(out, sources, folds=folds, seed=seed, hyper=hyper, missing=tuple(not_found), log=typer.echo)
    if json_out:
        import json

        json_out.write_text(json.dumps(report["table"], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@app.command("panel", epilog=EXIT_STATUS_HELP)
def panel_command(
    results: Path = typer.Argument(..., help="Metrics written by reportmine extract (.jsonl, .csv, .parquet)."),
    output: Path = typer.Option(..., "-o", "--output", help="Panel file: .jsonl, .csv or .parquet."),
    conflicts: Optional[Path] = typer.Option(None, "--conflicts", help="Also write the cells whose figures disagree."),
    form: str = typer.Option("wide", "--form", help="wide (a row per bureau, year and period) or long (a row per cell, with its source)."),
    period: List[str] = typer.Option([], "--period", help="Keep only these periods (year, H1, H2, Q1..Q4, YTD-10 ...); repeatable."),
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
):
    """Bureau x period x indicator table: one cell per (bureau, region_code, year, period, indicator)."""
    from .aggregate import panel, read_table

    if not results.is_file():
        raise _fail(f"no such file: {results}; pass the metrics file that reportmine extract wrote (-o)")
    try:
        check_format(output)
        frame = read_table(results)
        table = panel(frame, load_lexicons(lexicon_dir).taxonomy, form=form, periods=period or None)
    except (OSError, ValueError, ReportmineError) as exc:
        raise _fail(str(exc))
    rows = table.astype(object).where(table.notna(), None).to_dict("records")
    write_rows(rows, output, columns=list(table.columns))
    found = table.attrs["conflicts"]
    if conflicts:
        write_rows(found, conflicts, columns=["bureau", "region_code", "year", "period", "indicator", "chosen", "values",
                                              "sources"])
    shape = (f"{len(table)} bureau-periods x {len(table.columns) - 4} indicators" if form == "wide"
             else f"{len(table)} cells")
    typer.echo(f"panel: {shape} -> {output}; "
               f"{len(found)} conflicting cells{' -> ' + str(conflicts) if conflicts else ''}")


@app.command(epilog=EXIT_STATUS_HELP)
def schema(
    table: str = typer.Argument("metrics", help="metrics (the -o file of extract) or documents (its --documents file)."),
):
    """Print the JSON Schema of one row of a file written by extract (JSONL; CSV and Parquet have the same columns)."""
    import json

    from .aggregate import row_schema

    if table not in ("metrics", "documents"):
        raise _fail(f"schema takes metrics or documents, not {table!r}")
    typer.echo(json.dumps(row_schema(table), ensure_ascii=False, indent=2))


indicators_app = typer.Typer(no_args_is_help=True, help="The indicator taxonomy: what it leaves uncovered.")
app.add_typer(indicators_app, name="indicators")


@indicators_app.command("suggest")
def indicators_suggest(
    paths: List[Path] = typer.Argument(..., help="Folders or files of documents, or results of reportmine extract."),
    min_documents: int = typer.Option(2, "--min-docs", help="Only signatures found in at least this many documents."),
    top: int = typer.Option(30, "--top", help="How many to list."),
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
):
    """Frequent figures no indicator covers (their signatures), with examples and a YAML entry to
    start from: put it in DIR/indicators.yaml and pass --lexicon-dir DIR."""
    from .aggregate import read_table
    from .indicators import suggest, suggestion_yaml
    from .pipeline import Pipeline, iter_input_files

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]error:[/red] no such file or folder: {', '.join(missing)}")
        raise typer.Exit(2)
    try:
        rows = []
        results = [p for p in paths if p.is_file() and p.suffix.lower() in (".jsonl", ".csv", ".parquet")]
        for path in results:
            rows += read_table(path).to_dict("records")
        documents = [p for p in paths if p not in results]
        if documents:
            pipeline = Pipeline(load_lexicons(lexicon_dir), extractor="rules")
            for file in iter_input_files(documents):
                rows += [m.model_dump(mode="json") for m in pipeline.extract_file(file).metrics]
    except (OSError, ValueError, ReportmineError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    found = suggest(rows, min_documents=min_documents)[:top]
    if not found:
        typer.echo(f"no signature recurs in {min_documents} or more documents")
        return
    for entry in found:
        typer.echo(f"{entry['signature']}  {entry['documents']} documents, {entry['figures']} figures, unit {entry['unit']}")
        for example in entry["examples"]:
            typer.echo(f"    {example}")
        typer.echo(suggestion_yaml(entry))


def main():
    app(prog_name="reportmine")


if __name__ == "__main__":
    sys.exit(main())
