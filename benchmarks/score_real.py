"""Re-score the real report sets (realsets/<set>/: index + gold) where their texts are cached.

The excerpts are not the project's to copy: the repository keeps each set's index (url, title,
query, sha256, chars) and gold, and the texts sit in a local cache folder
($REPORTMINE_REAL_CACHE/<set>/<doc>, default ~/.cache/reportmine/realsets/<set>/<doc>). This script
checks every cached text against its index (a changed text is not scored), says which are missing,
extracts the present ones through the command line (as a user would) and scores them with the
shared scorers (../shared/eval: score.py, score_meta.py, score_indicators.py, score_panel.py).
Metadata is scored twice: from the text alone, and with each page's address and title laid over it
as a --manifest of url and title would (metadata_manifest).

    python benchmarks/score_real.py                      # every set, the default extractor
    python benchmarks/score_real.py em econ --extractor rules --verbose
    python benchmarks/score_real.py --check              # validate index, cache and gold only
    python benchmarks/score_real.py --json scores.json   # figures per set, for the README

The holdout sets (holdout, holdout2) are skipped unless named (`score_real.py holdout2`): each is scored once, at the end of
a piece of work, never while tuning.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = ROOT / "realsets"
SHARED = Path(os.environ.get("REPORTMINE_SHARED", ROOT.parent / "shared"))
CACHE = Path(os.environ.get("REPORTMINE_REAL_CACHE", Path.home() / ".cache" / "reportmine" / "realsets"))
NEVER_BY_DEFAULT = {"holdout", "holdout2"}
KINDS = {"count", "money", "rate", "measure"}
QUALIFIERS = {"exact", "approx", "at_least", "at_most"}
KEY = re.compile(r"[a-z][a-z0-9_]*")
INDEX_FIELDS = ("doc", "url", "title", "query", "sha256", "chars")


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{number}: not JSON ({exc})")
    return rows


def nth_find(text: str, sub: str, n: int) -> int:
    position = -1
    for _ in range(n):
        position = text.find(sub, position + 1)
        if position < 0:
            return -1
    return position


def cached_texts(name: str) -> tuple[dict, list[str]]:
    """{doc: text} of the excerpts present and unchanged in the cache, and the problems found."""
    present, problems = {}, []
    for entry in read_jsonl(SETS / name / "index.jsonl"):
        missing = [f for f in INDEX_FIELDS if f not in entry]
        if missing:
            problems.append(f"{name}/index.jsonl {entry.get('doc')}: fields missing: {', '.join(missing)}")
            continue
        path = CACHE / name / entry["doc"]
        if not path.exists():
            problems.append(f"{name}: {entry['doc']} not in the cache ({path})")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            problems.append(f"{name}: {entry['doc']} differs from its index (sha256): not scored")
            continue
        text = data.decode("utf-8")
        if len(text) != entry["chars"]:
            problems.append(f"{name}: {entry['doc']} has {len(text)} characters, the index says {entry['chars']}")
        present[entry["doc"]] = text
    return present, problems


def check_gold(name: str, texts: dict) -> list[str]:
    """Every gold line well formed and found in its text; every index entry has gold and metadata."""
    problems = []
    folder = SETS / name
    index_docs = {entry["doc"] for entry in read_jsonl(folder / "index.jsonl")}
    meta_docs = {row.get("doc") for row in read_jsonl(folder / "meta.jsonl")} if (folder / "meta.jsonl").exists() else set()
    for doc in sorted(index_docs - meta_docs):
        problems.append(f"{name}: {doc} has no line in meta.jsonl")
    for doc in sorted(index_docs):
        gold_path = folder / "gold" / (Path(doc).stem + ".jsonl")
        if not gold_path.exists():
            problems.append(f"{name}: {doc} has no gold file")
            continue
        text = texts.get(doc)
        for number, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{gold_path.relative_to(ROOT)}:{number}"
            try:
                g = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not JSON ({exc})")
                continue
            for field in ("text", "value", "unit", "kind", "qualifier", "object", "action"):
                if field not in g:
                    problems.append(f"{where}: no {field}")
            if g.get("kind") not in KINDS:
                problems.append(f"{where}: kind {g.get('kind')!r}")
            if g.get("qualifier", "exact") not in QUALIFIERS:
                problems.append(f"{where}: qualifier {g.get('qualifier')!r}")
            if g.get("change") not in (None, "up", "down"):
                problems.append(f"{where}: change {g.get('change')!r}")
            if not isinstance(g.get("value"), (int, float)) or isinstance(g.get("value"), bool):
                problems.append(f"{where}: value {g.get('value')!r} is not a JSON number")
            if "key" not in g:
                problems.append(f"{where}: no key (null when not compared across bureaus)")
            elif g["key"] is not None and not KEY.fullmatch(g["key"]):
                problems.append(f"{where}: key {g['key']!r} is not snake_case")
            if text is not None and nth_find(text, g.get("text", "\0"), int(g.get("occurrence", 1))) < 0:
                problems.append(f"{where}: text {g.get('text')!r} occurrence {g.get('occurrence', 1)} not in {doc}")
    return problems


def last_line(output: str, prefix: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith(prefix)]
    return lines[-1] if lines else ""


def run(command: list, **kwargs) -> str:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def score_set(name: str, texts: dict, extractor: str, verbose: bool, keep: Path | None) -> dict:
    folder = SETS / name
    work = Path(tempfile.mkdtemp(prefix=f"real-{name}-"))
    docs, gold = work / "docs", work / "gold"
    docs.mkdir()
    gold.mkdir()
    for doc, text in texts.items():
        (docs / doc).write_text(text, encoding="utf-8")
        shutil.copy(folder / "gold" / (Path(doc).stem + ".jsonl"), gold)
    meta = work / "meta.jsonl"
    meta.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in read_jsonl(folder / "meta.jsonl")
                            if row["doc"] in texts), encoding="utf-8")
    metrics, documents = work / "metrics.jsonl", work / "documents.jsonl"
    run([sys.executable, "-m", "reportmine", "extract", str(docs), "-o", str(metrics), "--documents", str(documents),
         "--extractor", extractor, "--workers", "1", "--quiet"])
    evaluation = SHARED / "eval"
    scored = run([sys.executable, str(evaluation / "score.py"), "--docs", str(docs), "--gold", str(gold),
                  "--pred", str(metrics), "--json", str(work / "score.json")] + (["--verbose"] if verbose else []))
    result = json.loads((work / "score.json").read_text(encoding="utf-8"))
    if verbose:
        print(scored)
    meta_out = run([sys.executable, str(evaluation / "score_meta.py"), "--gold", str(meta), "--pred", str(documents)]
                   + (["--verbose"] if verbose else []))
    if verbose:
        print(meta_out)
    # what a crawler also knows of each page: its address and title, given as a --manifest would
    # give them (the manifest's layer, applied to the same documents)
    try:
        from reportmine.metadata import apply_manifest
    except ImportError:  # a version of the code without manifests (a "before" run)
        apply_manifest = None
    index = {row["doc"]: row for row in read_jsonl(folder / "index.jsonl")}
    with_manifest = work / "documents_manifest.jsonl"
    rows = []
    for document in read_jsonl(documents) if apply_manifest else ():
        entry = index[Path(document["doc"]).name]
        manifest = {str(Path(document["path"]).resolve()): {"url": entry["url"], "title": entry.get("title", "")}}
        rows.append(apply_manifest(document, manifest))
    with_manifest.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    manifest_out = run([sys.executable, str(evaluation / "score_meta.py"), "--gold", str(meta), "--pred", str(with_manifest)]
                       + (["--verbose"] if verbose else [])) if apply_manifest else ""
    if verbose:
        print(manifest_out)
    figures = {"docs": len(texts), "gold": result["gold"], "precision": result["precision"], "recall": result["recall"],
               "f1": result["f1"], **{f: result[f + "_accuracy"] for f in ("kind", "qualifier", "object", "action", "change")},
               "metadata": float(last_line(meta_out, "accuracy").split()[-1]),
               "metadata_manifest": float(last_line(manifest_out, "accuracy").split()[-1]) if manifest_out else None}
    indicators = subprocess.run([sys.executable, str(evaluation / "score_indicators.py"), str(docs), str(gold), str(metrics)],
                                capture_output=True, text=True)
    line = last_line(indicators.stdout, "indicators coverage")
    if line:
        parts = line.split()
        figures.update(indicator_coverage=float(parts[2]), indicator_b3_precision=float(parts[4]),
                       indicator_b3_recall=float(parts[6]), indicator_b3_f1=float(parts[8]))
    panel = subprocess.run([sys.executable, str(evaluation / "score_panel.py"), str(docs), str(gold), str(metrics), str(meta)],
                           capture_output=True, text=True, env={**os.environ, "PANEL_VERBOSE": "-v" if verbose else ""})
    line = last_line(panel.stdout, "panel accuracy")
    if line:
        figures["panel_accuracy"] = float(line.split()[-1])
        figures["panel_cells"] = int(next(l for l in panel.stdout.splitlines() if "headline cells" in l).split()[0])
    if verbose:
        print(indicators.stdout + indicators.stderr[-1500:] + panel.stdout + panel.stderr[-1500:])
    if keep is not None:
        shutil.copytree(work, keep / name, dirs_exist_ok=True)
    shutil.rmtree(work)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help="set names (default: every set but holdout)")
    parser.add_argument("--extractor", default="combined", choices=("combined", "rules", "model"))
    parser.add_argument("--check", action="store_true", help="validate index, cache and gold; extract nothing")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", help="write the figures per set to this file")
    parser.add_argument("--keep", help="keep each set's extracted metrics and documents under this folder")
    args = parser.parse_args()
    available = sorted(p.name for p in SETS.iterdir() if (p / "index.jsonl").exists())
    names = args.sets or [name for name in available if name not in NEVER_BY_DEFAULT]
    unknown = [name for name in names if name not in available]
    if unknown:
        parser.error(f"no such set: {', '.join(unknown)} (sets: {', '.join(available)})")
    figures, failed = {}, False
    for name in names:
        texts, problems = cached_texts(name)
        problems += check_gold(name, texts)
        for problem in problems:
            print(problem, file=sys.stderr)
        failed |= any("not in the cache" not in p for p in problems)
        total = len(read_jsonl(SETS / name / "index.jsonl"))
        print(f"{name}: {len(texts)} of {total} excerpts cached" + (f", {len(problems)} problem(s)" if problems else ""))
        if args.check or not texts:
            continue
        figures[name] = score_set(name, texts, args.extractor, args.verbose, Path(args.keep) if args.keep else None)
    if figures:
        columns = ["docs", "gold", "precision", "recall", "f1", "object", "action", "change", "metadata", "metadata_manifest",
                   "indicator_coverage", "indicator_b3_f1", "panel_accuracy"]
        print("\n| set | " + " | ".join(columns) + " |\n|---|" + "---:|" * len(columns))
        for name, row in figures.items():
            cells = [f"{row[c]:.3f}" if isinstance(row.get(c), float) else str(row.get(c, "-")) for c in columns]
            print(f"| {name} | " + " | ".join(cells) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps({"extractor": args.extractor, "sets": figures}, indent=2), encoding="utf-8")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
