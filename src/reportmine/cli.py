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
                                  help="combined (rules + the HanLP tagger; without the model extra: rules), rules, or model."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse files larger than this."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV of path, bureau, region, year, date, url "
                                                                     "(any but path optional) over what the text says."),
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
        if extractor == "model":
            from .extract_model import load_model_extractor

            load_model_extractor(load_lexicons(lexicon_dir), required=True)  # fail here, not in every worker
    except (ValueError, ReportmineError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]error:[/red] no such file or folder: {', '.join(missing)}")
        raise typer.Exit(2)
    rows = None
    if manifest is not None:
        from .metadata import ManifestError, load_manifest
        from .pipeline import iter_input_files

        try:
            rows = load_manifest(manifest, iter_input_files(paths))
        except ManifestError as exc:  # checked before any extraction: nothing half done
            err.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2)
    with _progress(enabled=not quiet and err.is_terminal) as report:
        try:
            summary = run_batch(paths, output, documents, workers=workers or None, resume=resume,
                                lexicon_dirs=lexicon_dir, max_bytes=max_bytes, progress=report,
                                engine=engine, scheduler=scheduler, extractor=extractor, manifest=rows)
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
):
    """Extract the gold-annotated documents and print precision, recall, F1 and attribute accuracy."""
    import json

    from .evaluate import evaluate_folder, format_report
    from .pipeline import Pipeline

    try:
        result = evaluate_folder(docs_dir, gold_dir, Pipeline(extractor=extractor))
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


@app.command("train", add_help_option=False,
             context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []})
def train_command(ctx: typer.Context):
    """Train the HanLP taggers from gold (--help for options); --kfold measures rules / model / combined."""
    from .extract_model import train_main

    raise typer.Exit(train_main(list(ctx.args)))


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
    form: str = typer.Option("wide", "--form", help="wide (a row per bureau, year and period) or long (a row per cell, with its source)."),
    period: List[str] = typer.Option([], "--period", help="Keep only these periods (year, H1, H2, Q1..Q4, YTD-10 ...); repeatable."),
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
):
    """Bureau x period x indicator table: one cell per (bureau, region_code, year, period, indicator)."""
    from .aggregate import panel

    try:
        check_format(output)
        frame = read_rows(results)
        table = panel(frame, load_lexicons(lexicon_dir).taxonomy, form=form, periods=period or None)
    except (OSError, ValueError, ReportmineError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
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
            rows += read_rows(path).to_dict("records")
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
