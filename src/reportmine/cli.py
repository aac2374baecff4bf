"""Command line: thin wrappers over the library (pipeline, evaluate, aggregate)."""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import __version__
from .aggregate import check_format, metric_rows, write_rows, METRIC_COLUMNS
from .errors import ReportmineError
from .lexicons import load_lexicons
from .pipeline import DEFAULT_MAX_BYTES, Pipeline, iter_input_files

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Turn Chinese bureau reports into metrics: extract, evaluate.")
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
    lexicon_dir: List[Path] = typer.Option([], "--lexicon-dir", help="Extra lexicon folder merged over the shipped one."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Refuse files larger than this."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary."),
):
    """Extract metrics from documents; every input file yields one document row (ok or error)."""
    try:
        check_format(output)
        if documents:
            check_format(documents)
        pipeline = Pipeline(load_lexicons(lexicon_dir), max_bytes=max_bytes)
    except (ValueError, ReportmineError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]error:[/red] no such file or folder: {', '.join(missing)}")
        raise typer.Exit(2)
    files = list(iter_input_files(paths))
    started = time.perf_counter()
    metrics, document_rows, failures = [], [], []
    n_chars = 0
    show_progress = not quiet and err.is_terminal
    for index, path in enumerate(files, 1):
        document = pipeline.extract_file(path)
        metrics.extend(metric_rows(document))
        document_rows.append(document.summary_row())
        n_chars += document.n_chars
        if document.error:
            failures.append((document.doc, document.error))
        if show_progress:
            elapsed = time.perf_counter() - started
            rate = index / elapsed if elapsed else 0.0
            eta = (len(files) - index) / rate if rate else 0.0
            err.print(f"\r{index}/{len(files)} documents  {rate:.1f} docs/s  ETA {eta:.0f}s", end="")
    if show_progress:
        err.print()
    write_rows(metrics, output, columns=METRIC_COLUMNS)
    if documents:
        write_rows(document_rows, documents)
    elapsed = time.perf_counter() - started
    if not quiet:
        _summary(document_rows, metrics, failures, n_chars, elapsed, output)
    if failures:
        raise typer.Exit(EXIT_SOME_FAILED)


def _summary(document_rows, metrics, failures, n_chars, elapsed, output):
    console = Console()
    table = Table(title=f"reportmine: {len(document_rows)} documents -> {output}")
    for column in ("document", "bureau", "year", "metrics", "status"):
        table.add_column(column)
    per_doc = Counter(m["doc"] for m in metrics)
    for row in document_rows[:50]:
        table.add_row(row["doc"], row.get("bureau") or "", str(row.get("year") or ""),
                      str(per_doc.get(row["doc"], 0)), "error" if row.get("error") else "ok")
    if len(document_rows) > 50:
        table.add_row("...", "", "", "", f"{len(document_rows) - 50} more")
    console.print(table)
    kinds = Counter(m["kind"] for m in metrics)
    console.print(f"documents ok: {len(document_rows) - len(failures)}   failed: {len(failures)}   "
                  f"metrics: {len(metrics)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})   "
                  f"{n_chars / elapsed if elapsed else 0:,.0f} chars/s")
    for doc, error in failures[:5]:
        console.print(f"[red]failed[/red] {doc}: {error}")


@app.command()
def evaluate(
    docs_dir: Path = typer.Argument(..., help="Folder of documents."),
    gold_dir: Path = typer.Argument(..., help="Folder of gold JSONL files named after the documents."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List misses, extras and attribute errors."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the scores as JSON."),
):
    """Extract the gold-annotated documents and print precision, recall, F1 and attribute accuracy."""
    import json

    from .evaluate import evaluate_folder, format_report

    try:
        result = evaluate_folder(docs_dir, gold_dir)
    except (OSError, ValueError, ReportmineError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    typer.echo(format_report(result, verbose=verbose))
    if json_out:
        json_out.write_text(json.dumps(result.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")


def main():
    app(prog_name="reportmine")


if __name__ == "__main__":
    sys.exit(main())
