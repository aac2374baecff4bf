"""Command line: thin wrappers over the library (pipeline, evaluate, aggregate)."""
from __future__ import annotations

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
from .pipeline import DEFAULT_EXTRACTOR, DEFAULT_MAX_BYTES, EXTRACTORS

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Turn Chinese bureau reports into metrics: extract, panel, show, report, evaluate.")
err = Console(stderr=True)
EXIT_SOME_FAILED = 3


def _version(value: bool):
    if value:
        typer.echo(f"reportmine {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                              help="Print the version and exit.")):
    pass


@app.command()
def extract(
    paths: List[Path] = typer.Argument(..., help="Files or folders (searched recursively for .txt/.html)."),
    output: Path = typer.Option(..., "-o", "--output", help="Metrics file: .jsonl, .csv or .parquet."),
    documents: Optional[Path] = typer.Option(None, "--documents", help="Also write one row per document here."),
    workers: int = typer.Option(0, "--workers", "-w", help="Worker processes (0 = all cores)."),
    resume: bool = typer.Option(False, "--resume", help="Skip documents already done in an interrupted run."),
    engine: str = typer.Option("local", "--engine", help="local (worker processes) or dask (a dask.distributed cluster)."),
    extractor: str = typer.Option(DEFAULT_EXTRACTOR, "--extractor",
                                  help="combined (rules + the figure tagger; without the model extra: rules), rules, or model."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model folder written by reportmine train (default: the shipped model)."),
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse files larger than this."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary."),
):
    """Extract metrics from documents; every input file yields one document row (ok or error)."""
    from .batch import journal_documents, journal_path, run_batch

    try:
        check_format(output)
        if documents:
            check_format(documents)
        load_lexicons(lexicon_dir)
        if extractor not in EXTRACTORS:
            raise ValueError(f"--extractor must be one of {', '.join(EXTRACTORS)}, not {extractor!r}")
        if extractor == "model" or model is not None and extractor == "combined":
            from .extract_model import load_model_extractor

            # fail here, not in every worker: a model asked for by name must load
            load_model_extractor(load_lexicons(lexicon_dir), path=model, required=True)
    except (ValueError, ReportmineError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]error:[/red] no such file or folder: {', '.join(missing)}")
        raise typer.Exit(2)
    with _progress(enabled=not quiet and err.is_terminal) as report:
        try:
            summary = run_batch(paths, output, documents, workers=workers or None, resume=resume,
                                lexicon_dirs=lexicon_dir, max_bytes=max_bytes, progress=report,
                                engine=engine, scheduler=scheduler, extractor=extractor, model_dir=model)
        except (ValueError, ImportError, OSError, ReportmineError) as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2)
    if not quiet:
        _summary(journal_documents(journal_path(output)), summary, output)
    if summary.failed:
        raise typer.Exit(EXIT_SOME_FAILED)


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
    console = Console()
    table = Table(title=f"reportmine -> {output}")
    for column in ("document", "bureau", "year", "metrics", "status"):
        table.add_column(column)
    shown = 0
    for document in documents:
        if shown == 30:
            table.add_row("...", "", "", "", "")
            break
        table.add_row(document.doc, document.bureau or "", str(document.year or ""), str(len(document.metrics)),
                      "error" if document.error else "ok")
        shown += 1
    console.print(table)
    console.print(f"documents ok: {summary.documents - summary.failed}   failed: {summary.failed}   "
                  f"skipped (already done): {summary.skipped}   metrics: {summary.metrics}   "
                  f"{summary.chars_per_second:,.0f} chars/s   extractor: {summary.extractor}")
    for doc, error in summary.first_errors:
        console.print(f"[red]failed[/red] {doc}: {error}")


@app.command()
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
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    typer.echo(format_report(result, verbose=verbose))
    if json_out:
        json_out.write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")


@app.command()
def show(
    file: Path = typer.Argument(..., help="One document (.txt, .html ...)."),
    original: bool = typer.Option(False, "--original", help="Show the decoded original text (the one offsets index), not the normalized one."),
    no_text: bool = typer.Option(False, "--no-text", help="Only the table of metrics and the warnings."),
    pager: bool = typer.Option(False, "--pager", help="Page the output (colours kept)."),
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
):
    """A quick look: the document's text with each metric highlighted and numbered, then its records and warnings."""
    import os
    from contextlib import nullcontext

    from .pipeline import Pipeline
    from .report import show_document

    if not file.is_file():
        err.print(f"[red]error:[/red] no such file: {file}")
        raise typer.Exit(2)
    try:
        pipeline = Pipeline(load_lexicons(lexicon_dir))
    except ReportmineError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=160)  # a file or a pipe: do not squeeze the table into 80 columns
    with console.pager(styles=True) if pager else nullcontext():
        document = show_document(file, console, original=original, text=not no_text, pipeline=pipeline)
    if document.error:
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command()
def report(
    paths: List[Path] = typer.Argument(..., help="Folders or files of documents, or results of reportmine extract "
                                                 "(.jsonl/.csv/.parquet, or its .journal.jsonl)."),
    output: Path = typer.Option(..., "-o", "--output", help="The HTML page to write (.html)."),
    source: List[Path] = typer.Option([], "--source", help="Folder holding the documents a results file names (searched recursively)."),
    title: Optional[str] = typer.Option(None, "--title", help="The page's title."),
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
):
    """A self-contained HTML page: each document's original text with every metric highlighted at its offsets.

    Exit status 3 (page still written) when a document's text is missing or offsets do not hold their metric's text."""
    from .pipeline import Pipeline
    from .report import load_audit, write_report

    if output.suffix.lower() not in (".html", ".htm"):
        err.print(f"[red]error:[/red] {output}: the report is an HTML page; name it .html")
        raise typer.Exit(2)
    missing = [str(p) for p in list(paths) + list(source) if not p.exists()]
    if missing:
        err.print(f"[red]error:[/red] no such file or folder: {', '.join(missing)}")
        raise typer.Exit(2)
    try:
        lexicons = load_lexicons(lexicon_dir)
        audits = load_audit(paths, source, pipeline=Pipeline(lexicons))
        write_report(audits, output, title=title, lexicons=lexicons)
    except (OSError, ValueError, ReportmineError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    unreadable = [a for a in audits if a.original is None]
    flagged = sum(len(a.mismatched) for a in audits)
    typer.echo(f"report: {len(audits)} documents, {sum(len(a.document.metrics) for a in audits)} metrics, "
               f"{sum(len(a.document.warnings) for a in audits)} warnings -> {output}"
               + (f"; {len(unreadable)} without their text" if unreadable else "")
               + (f"; {flagged} metrics whose offsets do not hold their text" if flagged else ""))
    for audit in unreadable[:5]:
        err.print(f"[yellow]{audit.document.doc}:[/yellow] {'; '.join(audit.problems)}", highlight=False)
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
    real_set: List[str] = typer.Option(["em", "econ", "resources"], "--real-set",
                                       help="Real report sets to train on where their texts are cached (repeat it)."),
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
    from .extract_model import CALIBRATION_FILE, INSTALL_HINT, TRAINING_FILE, model_status
    from .tagger import CONFIG_FILE, WEIGHTS_FILE

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
    reason = model_status(out, load=True)
    if reason and "not installed" in reason:
        err.print(f"[red]error:[/red] training needs the model extra: {INSTALL_HINT}")
        raise typer.Exit(2)
    from dataclasses import replace

    from .train import Hyper, format_table, kfold, train, training_sources

    hyper = Hyper() if epochs is None else replace(Hyper(), epochs=epochs)
    try:
        sources, not_found = training_sources(docs, gold, real_sets=() if no_real else tuple(real_set), log=typer.echo)
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


def read_rows(path: Path):
    import pandas as pd

    suffix = check_format(path)
    if suffix == ".jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    if suffix == ".csv":
        return pd.read_csv(path, dtype={"region_code": str, "doc_region_code": str})
    return pd.read_parquet(path)


@app.command("panel")
def panel_command(
    results: Path = typer.Argument(..., help="Metrics written by reportmine extract (.jsonl, .csv, .parquet)."),
    output: Path = typer.Option(..., "-o", "--output", help="Panel file: .jsonl, .csv or .parquet."),
    conflicts: Optional[Path] = typer.Option(None, "--conflicts", help="Also write the cells whose figures disagree."),
):
    """Bureau x year x indicator table: one row per (bureau, region_code, year), one column per indicator."""
    from .aggregate import panel

    try:
        check_format(output)
        frame = read_rows(results)
        table = panel(frame, load_lexicons().indicators)
    except (OSError, ValueError, ReportmineError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    rows = table.astype(object).where(table.notna(), None).to_dict("records")
    write_rows(rows, output, columns=list(table.columns))
    found = table.attrs["conflicts"]
    if conflicts:
        write_rows(found, conflicts, columns=["bureau", "region_code", "year", "indicator", "chosen", "values", "sources"])
    typer.echo(f"panel: {len(table)} bureau-years x {len(table.columns) - 3} indicators -> {output}; "
               f"{len(found)} conflicting cells{' -> ' + str(conflicts) if conflicts else ''}")


def main():
    app(prog_name="reportmine")


if __name__ == "__main__":
    sys.exit(main())
