"""Run the benchmarks and print a table: each measurement in its own Python process, so its
peak memory (resource.getrusage) is its own.

    .venv/bin/python benchmarks/generate.py --n 10000 --out benchmarks/data
    .venv/bin/python benchmarks/run.py --data benchmarks/data [--build]

Measured per input format: reading and scoring as `rightguide score` does (`score_inputs`:
every score, relevance, constraint and issue of every record), against
pandas merely reading the same file (skipped with a message when pandas is not installed);
scoring alone on ready submissions (the batch evaluator `Scorer.score_many`, and the reference
evaluator one submission at a time), compiled before the clock starts;
with --build, `rightguide build` from scratch and with nothing changed.

The consultation's exports (`generate.py --consultations C`) are measured with
`--formats consultation-kobo-xlsx,...`: "import+score+count" is `score_guide_inputs` (the
input routed to its form, scored, and counted per measure); `--cli FORMAT,...` adds the whole
`rightguide score` command (every file written) on those inputs, in a process of its own.

With `--before TREE` (another checkout of the project, e.g. a `git worktree` of the commit
before a change), every import row is measured twice in the same run, one right after the
other: by TREE's code ("before:") and by this tree's ("after:"), on the same files, against
the same pandas figure; so the two can be compared on a machine whose load moves.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = {"kobo-xlsx": "kobo.xlsx", "kobo-csv": "kobo.csv", "central": "central.zip",
         "collect": "collect.zip"}  # fmt: skip
CONSULTATION = "consultation-"  # the consultation form's exports: FILES' names with this prefix
FILES |= {CONSULTATION + fmt: CONSULTATION + name for fmt, name in FILES.items()}
CONSULTATION_FORM = "right_guide_consultation"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_import(path: Path) -> dict:
    """`score_inputs`, what `rightguide score` runs before writing its files: the input read
    and scored in chunks of records; scored = submissions the run scored."""
    sys.path.insert(0, str(ROOT))
    from compiler.analysis.pipeline import score_inputs
    from compiler.loader import load_checked_guide

    guide = load_checked_guide(ROOT / "guide_source")[0]
    start = time.perf_counter()
    run = score_inputs(guide, [path])
    total = time.perf_counter() - start
    return {"seconds": total, "scored": len(run.submissions), "rejected": len(run.rejected),
            "peak_mb": _peak_mb()}  # fmt: skip


def measure_guide_import(path: Path) -> dict:
    """`score_guide_inputs`, what `rightguide score` runs before writing its files: the input
    routed to the form it holds, read and scored in chunks, its consultations counted per
    measure; scored = that form's submissions, measures = measures counted."""
    sys.path.insert(0, str(ROOT))
    from compiler.analysis.guide_run import score_guide_inputs
    from compiler.loader import load_checked_guide

    guide = load_checked_guide(ROOT / "guide_source")[0]
    start = time.perf_counter()
    run = score_guide_inputs(guide, [path])
    total = time.perf_counter() - start
    form_run = run.others.get(CONSULTATION_FORM, run.main)
    return {"seconds": total, "scored": len(form_run.submissions),
            "rejected": len(form_run.rejected), "form": form_run.form_id,
            "measures": len(run.tallies.get(CONSULTATION_FORM, {})), "peak_mb": _peak_mb()}  # fmt: skip


def measure_cli(path: Path) -> dict:
    """The whole `rightguide score PATH --out DIR` (every file written) in a process of its
    own; its peak RSS is the largest of this process's children (it is the only one).
    written = the rows of the consultations' scores.csv and counts.csv it wrote."""
    exe = Path(sys.executable).parent / "rightguide"
    out = Path(tempfile.mkdtemp(prefix="rg-bench-score-"))
    try:
        start = time.perf_counter()
        proc = subprocess.run([str(exe), "score", str(path), "--out", str(out / "results")],
                              cwd=ROOT, capture_output=True, text=True)  # fmt: skip
        seconds = time.perf_counter() - start
        if proc.returncode not in (0, 3):  # 3: some records rejected, the rest written
            raise SystemExit(f"rightguide score {path} exited {proc.returncode}:\n{proc.stderr}")
        folder = out / "results" / "consultations"
        scores = folder / CONSULTATION_FORM / "scores.csv"

        def rows(csv: Path) -> int:  # data rows (no record spans lines in these files)
            return sum(1 for _ in csv.open("rb")) - 1 if csv.exists() else 0

        return {"seconds": seconds, "scored": rows(scores), "counts": rows(folder / "counts.csv"),
                "exit": proc.returncode,
                "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}  # fmt: skip
    finally:
        shutil.rmtree(out, ignore_errors=True)


def measure_pandas(path: Path, fmt: str) -> dict:
    """pandas merely reading the file: every sheet of the XLSX, the main CSV table."""
    import pandas as pd

    start = time.perf_counter()
    if fmt == "kobo-xlsx":
        frames = pd.read_excel(path, sheet_name=None, dtype=str)
        rows = len(next(iter(frames.values())))
    elif fmt == "kobo-csv":
        rows = len(pd.read_csv(path, sep=";", dtype=str))
    else:
        with zipfile.ZipFile(path) as archive:
            main = next(n for n in archive.namelist() if "-" not in Path(n).stem)
            with archive.open(main) as handle:
                rows = len(pd.read_csv(handle, dtype=str))
    return {"seconds": time.perf_counter() - start, "scored": rows, "peak_mb": _peak_mb()}


def measure_scoring(path: Path, how: str) -> dict:
    """Scoring alone on the submissions of a Kobo XLSX export (read beforehand): `batch` is
    `Scorer.score_many` in the pipeline's chunks, `reference` the tree-walking specification
    one submission at a time (on a tenth of them: it is slow)."""
    sys.path.insert(0, str(ROOT))
    from compiler.analysis.pipeline import CHUNK, submission_from
    from compiler.importer import FormFields, read_inputs
    from compiler.loader import load_checked_guide
    from compiler.scoring.scores import Scorer

    guide = load_checked_guide(ROOT / "guide_source")[0]
    records = read_inputs([path], FormFields.from_guide(guide))[0]
    subs = [submission_from(r) for r in records]
    scorer = Scorer(guide)
    reference = scorer.batch.reference
    if how == "reference":
        subs = subs[: max(1, len(subs) // 10)]

    def score(chunk: list) -> list:
        if how == "batch":
            return scorer.score_many(chunk)
        return [scorer.score_filled(reference.fill(s)) for s in chunk]

    # compile once, outside the timing (the first batch compiles the column functions):
    # what is measured is scoring, as the issue asks, not compiling
    compiled = time.perf_counter()
    score(subs[:10])
    compile_s = time.perf_counter() - compiled
    start = time.perf_counter()
    # in the pipeline's chunks: one huge batch would be slower
    scored = sum(1 for at in range(0, len(subs), CHUNK) for s in score(subs[at : at + CHUNK])
                 if s.scores)  # fmt: skip
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "scored": scored, "per_second": scored / seconds,
            "compile": compile_s, "peak_mb": _peak_mb()}  # fmt: skip


SCORING = {"batch": "batch evaluator (score_many)", "reference": "reference evaluator"}


def _child(args: list[str], tree: Path | None = None) -> dict:
    """One measurement in a process of its own, by this tree's code or by `tree`'s."""
    root = tree or ROOT
    env = {**os.environ, "PYTHONPATH": str(root)} if tree is not None else None
    proc = subprocess.run([sys.executable, str(root / "benchmarks" / "run.py"), "--child", *args],
                          capture_output=True, text=True, cwd=root, env=env)  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"benchmark {args} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _has_pandas() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


def measure_build() -> dict:
    """`rightguide build` of the real guide into a fresh folder, then again unchanged."""
    exe = Path(sys.executable).parent / "rightguide"
    out = Path(tempfile.mkdtemp(prefix="rg-bench-build-"))
    try:
        times = []
        for _ in range(2):
            start = time.perf_counter()
            subprocess.run([str(exe), "build", "--source", "guide_source", "--out", str(out)],
                           cwd=ROOT, check=True, capture_output=True)  # fmt: skip
            times.append(time.perf_counter() - start)
        return {"fresh": times[0], "unchanged": times[1]}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run(
    data: Path, formats: list[str], build: bool = False, cli: list[str] = (),
    before: Path | None = None,
) -> list[dict]:  # fmt: skip
    """Every measurement; prints the table and returns its rows. A consultation format
    (`consultation-...`) is measured through `score_guide_inputs` (read, score and count);
    each format of cli also by the whole `rightguide score` command; with `before` (another
    checkout), each import row by its code too, just before this tree's."""
    rows: list[dict] = []
    pandas = _has_pandas()
    if not pandas:
        print("pandas is not installed: pandas baselines skipped "
              "(`.venv/bin/pip install pandas` to compare; never a dependency)")  # fmt: skip
    trees = [("before: ", before), ("after:  ", None)] if before is not None else [("", None)]
    for fmt in formats:
        path = data / FILES[fmt]
        consultation = fmt.startswith(CONSULTATION)
        found = []
        for label, tree in trees:
            if consultation:
                mine = _child(["guide-import", str(path)], tree)
                what = f"import+score+count consultation {fmt[len(CONSULTATION) :]}"
            else:
                mine = _child(["import", str(path)], tree)
                what = f"import+score {fmt}"
            found.append({"what": label + what, **mine})
        if pandas and not fmt.endswith("collect"):
            theirs = _child(["pandas", str(path), fmt.removeprefix(CONSULTATION)])
            for row in found:
                row["pandas"] = theirs["seconds"]
                row["ratio"] = row["seconds"] / theirs["seconds"]
        rows += found
    for fmt in cli:
        result = _child(["cli", str(data / FILES[fmt])])
        rows.append({"what": f"rightguide score {FILES[fmt]}", **result})
    if any(not fmt.startswith(CONSULTATION) for fmt in formats):  # on the assessment's XLSX
        xlsx = data / FILES["kobo-xlsx"]
        for how, name in SCORING.items():
            for label, tree in trees:
                result = _child(["scoring", str(xlsx), how], tree)
                rows.append({"what": f"{label}scoring alone, {name}", **result})
    if build:
        result = measure_build()
        rows.append({"what": "rightguide build, fresh", "seconds": result["fresh"]})
        rows.append({"what": "rightguide build, unchanged", "seconds": result["unchanged"]})
    print_table(rows)
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"{'measurement':42} {'scored':>8} {'seconds':>8} {'per s':>8} {'peak MB':>8} "
          f"{'pandas s':>9} {'ratio':>6}")  # fmt: skip

    def f(value: object, spec: str) -> str:
        return format(value, spec) if isinstance(value, int | float) else "-"

    for r in rows:
        per = r.get("per_second") or (r["scored"] / r["seconds"] if r.get("scored") else None)
        print(f"{r['what']:42} {f(r.get('scored'), '8d'):>8} {f(r['seconds'], '8.2f'):>8} "
              f"{f(per, '8.0f'):>8} {f(r.get('peak_mb'), '8.0f'):>8} "
              f"{f(r.get('pandas'), '9.2f'):>9} {f(r.get('ratio'), '6.2f'):>6}")  # fmt: skip


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, path, *rest = sys.argv[2:]
        if kind == "import":
            result = measure_import(Path(path))
        elif kind == "guide-import":
            result = measure_guide_import(Path(path))
        elif kind == "cli":
            result = measure_cli(Path(path))
        elif kind == "pandas":
            result = measure_pandas(Path(path), rest[0])
        else:
            result = measure_scoring(Path(path), rest[0])
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data")
    parser.add_argument(
        "--formats",
        default=",".join(f for f in FILES if not f.startswith(CONSULTATION)),
        help=f"comma-separated formats, of {', '.join(FILES)}",
    )
    parser.add_argument(
        "--cli", default="", help="formats also measured by the whole `rightguide score`"
    )
    parser.add_argument("--build", action="store_true", help="time rightguide build too")
    parser.add_argument("--before", type=Path, default=None,
                        help="another checkout whose code is measured too, row by row")  # fmt: skip
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}; "
          f"load {os.getloadavg()[0]:.1f}")  # fmt: skip
    before = args.before.resolve() if args.before is not None else None
    # absolute: the other tree's measurements run in its own folder
    run(args.data.resolve(), args.formats.split(","), args.build,
        [f for f in args.cli.split(",") if f], before)  # fmt: skip


if __name__ == "__main__":
    main()
