"""`rightguide score`: read what came back from the field and write scored assessments.

Exit codes: 0 every record scored; 3 some records rejected (the rest written); 2 nothing usable
or a bad input (nothing written, one line saying why).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .diagnostics import GuideInvalid, UserError, one_line

if TYPE_CHECKING:
    from .analysis.outputs.publish import ResultsFolder
    from .model import Guide

EXIT_REJECTED = 3
EXIT_UNUSABLE = 2
MAX_DOSSIERS = 50  # report.MAX_DOSSIERS (a test holds them equal): importing the report takes 0.25 s


def _stop(message: str, code: int) -> None:
    click.echo(f"error: {one_line(message)}", err=True)
    sys.exit(code)


@contextmanager
def _progress() -> Iterator[Callable[[int], None] | None]:
    """A running count on stderr (records are read and scored in chunks, so their number is
    not known beforehand) when stderr is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        click.echo(f"\rscoring: {done} record(s) read and scored", nl=False, err=True)

    try:
        yield step
    finally:
        if done:
            click.echo(err=True)


def make_outputs(
    guide, doc: dict, folder: Path, lang: str, answers: dict[str, dict] | None = None,
    quote_evidence: bool = False, form_docs: dict[str, dict] | None = None,
    max_dossiers: int | None = MAX_DOSSIERS,
) -> list[Path]:  # fmt: skip
    """Write scores.json, the CSVs, scores.xlsx, the dossiers, the report and the
    consultations folder into folder; answers (each submission's answers by instance id) feed
    the dossiers' detailed views; form_docs are the other forms' scored records by form id."""
    from .analysis.outputs.consultation_out import write_consultations
    from .analysis.outputs.csv_out import write_csvs
    from .analysis.outputs.json_out import write_json
    from .analysis.outputs.xlsx_out import write_xlsx
    from .report import write_report

    return [
        write_json(doc, folder),
        *write_csvs(guide, doc, folder),
        write_xlsx(guide, doc, folder, lang),
        *write_report(guide, doc, folder, lang, answers, quote_evidence, max_dossiers),
        write_consultations(guide, doc, form_docs or {}, folder, lang),
    ]


def _dossier_limit(value: str) -> int | None:
    """--dossiers: a whole number of 0 or more, or 'all' (None); anything else one line, exit 2."""
    if value.strip().lower() == "all":
        return None
    if not value.strip().isdigit():
        _stop(f"--dossiers {value!r} is neither a whole number nor 'all'", EXIT_UNUSABLE)
    return int(value)


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out",
    default=None,
    type=click.Path(path_type=Path),
    help="Folder for the results (required unless --explain).",
)
@click.option("--format", "fmt", default=None, help="Input format (detected when not given): "
              "kobo-xlsx, kobo-csv, central, collect, workbook.")  # fmt: skip
@click.option(
    "--lang", "lang", default=None, help="Language of labels and messages (default: the guide's)."
)
@click.option(
    "--source", "source", default="guide_source", show_default=True, type=click.Path(path_type=Path)
)
@click.option(
    "--explain",
    "explain",
    default=None,
    metavar="ID",
    help="Print how the scores of the submission with this instance id were reached (each "
    "score, its rule in words, the values it read) instead of writing results.",
)
@click.option("--quote-evidence", "quote_evidence", is_flag=True, default=False,
              help="Quote free-text evidence in the dossiers (each quote cut and marked); "
              "answers marked sensitive are never quoted.")  # fmt: skip
@click.option("--dossiers", "max_dossiers", default=str(MAX_DOSSIERS), show_default=True,
              metavar="N|all",
              help="Write dossiers for the first N assessments, or for all of them.")  # fmt: skip
def score(
    inputs: tuple[Path, ...], out: Path | None, fmt: str | None, lang: str | None, source: Path,
    explain: str | None, quote_evidence: bool, max_dossiers: str,
) -> None:  # fmt: skip
    """Score what came back (Kobo and ODK Central exports, ODK Collect instances, filled
    workbooks) for every form of the guide: scored assessments, their dossiers, and the
    consultations counted per measure."""
    if explain is not None:
        _explain(inputs, explain, fmt, lang, source)
        return
    score_files(inputs, out, fmt, lang, source, quote_evidence, _dossier_limit(max_dossiers))


def score_files(
    inputs: tuple[Path, ...], out: Path | None, fmt: str | None, lang: str | None, source: Path,
    quote_evidence: bool = False, max_dossiers: int | None = MAX_DOSSIERS,
) -> None:  # fmt: skip
    """What `rightguide score` does (messages, results in out, exit code); `pull` uses it too."""
    from .analysis.outputs.publish import ResultsFolder

    if out is None:
        _stop("--out is required: the folder for the results (or --explain ID)", EXIT_UNUSABLE)
        return
    with ResultsFolder(out) as results:
        _score(inputs, results, fmt, lang, source, quote_evidence, max_dossiers)


@contextmanager
def unusable_exits(failed: str = "cannot be read") -> Iterator[None]:
    """Reading the guide and the inputs: a bad guide prints each of its problems, any other
    failure one line (`failed`: what an OSError means here); both exit 2."""
    try:
        yield
    except GuideInvalid as exc:
        for diag in exc.diagnostics.sorted():
            click.echo(str(diag), err=True)
        sys.exit(EXIT_UNUSABLE)
    except UserError as exc:
        _stop(str(exc), EXIT_UNUSABLE)
    except OSError as exc:
        _stop(f"{exc.filename or 'input'}: {failed} ({exc.strerror or exc})", EXIT_UNUSABLE)


def _check_format(fmt: str | None) -> None:
    from .importer import FORMATS

    if fmt is not None and fmt not in FORMATS:
        raise UserError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")


def guide_and_language(source: Path, lang: str | None) -> tuple[Guide, str]:
    """The checked guide and the run's language (one clear line for an unknown one)."""
    from .loader import load_checked_guide

    guide = load_checked_guide(source)[0]
    lang = lang or guide.default_language
    guide.language(lang)
    return guide, lang


def _explain(
    inputs: tuple[Path, ...], instance_id: str, fmt: str | None, lang: str | None, source: Path
) -> None:
    """`--explain ID`: every score of one submission, its rule in words and the values it read,
    on stdout; nothing is written."""
    from .analysis.guide_run import find_guide_records
    from .analysis.pipeline import submission_from
    from .scoring.explain import Explainer, explanation_lines

    with unusable_exits():
        _check_format(fmt)
        guide, lang = guide_and_language(source, lang)
        records, read = find_guide_records(guide, inputs, instance_id, fmt)
    if not records:
        names = ", ".join(str(p) for p in inputs)
        _stop(f"{names}: no submission with instance id '{instance_id}' among the {read} "
              "record(s) read; the ids are in the instance_id column of scores.csv (of "
              "consultations/<form id>/scores.csv for another form's records)",
              EXIT_UNUSABLE)  # fmt: skip
        return
    explainers: dict[str, Explainer] = {}
    for number, (form, record) in enumerate(records):
        if form.form_id not in explainers:
            explainers[form.form_id] = Explainer(form, lang)
        explainer = explainers[form.form_id]
        if number:
            click.echo()
        where = ", ".join(p for p in (record.source.file, record.source.sheet,
                                      f"row {record.source.row}" if record.source.row else None)
                          if p)  # fmt: skip
        click.echo(f"{instance_id} ({where})")
        if not record.repeats_available:
            click.echo("  this input carries no repeat records: scores that need them are the "
                       "values the export carried, or empty")  # fmt: skip
        available = record.repeats_available
        explained = explainer.explain(
            submission_from(record, available), available, record.carried_scores
        )
        for line in explanation_lines(explained, form, lang):
            click.echo(line)


def _score(
    inputs: tuple[Path, ...], results: ResultsFolder, fmt: str | None, lang: str | None,
    source: Path, quote_evidence: bool = False, max_dossiers: int | None = MAX_DOSSIERS,
) -> None:  # fmt: skip
    from .analysis.document import form_document, guide_document
    from .analysis.guide_run import score_guide_inputs
    from .analysis.outputs.publish import Stopped
    from .report import answer_names

    out = results.path
    with unusable_exits():
        _check_format(fmt)
        results.check()  # a wrong --out, or a run already writing there: said at once
        guide, lang = guide_and_language(source, lang)
        with _progress() as step:
            # only the answers the report reads are kept (memory: see benchmarks)
            run = score_guide_inputs(guide, inputs, fmt, lang, step, answer_names(guide))
    if not run.submissions:
        if not run.rejected:
            names = ", ".join(str(p) for p in inputs)
            _stop(f"{names}: no record to score (a header without rows?); nothing written",
                  EXIT_UNUSABLE)  # fmt: skip
            return
        rejected = run.all_rejected()
        _stop(f"no usable record in the input(s): {len(rejected)} rejected; first: "
              f"{rejected[0]}; nothing written", EXIT_UNUSABLE)  # fmt: skip
        return
    doc = guide_document(guide, run, lang)
    form_docs = {i: form_document(guide.form(i), r, lang) for i, r in run.others.items()}
    answers = run.main.answers
    try:
        written = results.publish(lambda folder: make_outputs(
            guide, doc, folder, lang, answers, quote_evidence, form_docs, max_dossiers))
    except Stopped as stop:
        kept = "the new results are in place" if stop.published else "the previous results are kept"
        _stop(f"{out}: stopped (SIGTERM) while writing; {kept}", 128 + 15)
        return
    except UserError as exc:
        _stop(str(exc), EXIT_UNUSABLE)
        return
    except OSError as exc:
        _stop(f"{out}: cannot write the results ({exc.strerror or exc})", EXIT_UNUSABLE)
        return
    for note in doc["notes"]:
        click.echo(f"note: {one_line(note)}", err=True)
    for path in written:
        click.echo(f"wrote {path}")
    for form_run in run.runs():
        if form_run is not run.main and not form_run.submissions and not form_run.rejected:
            continue
        with_issues = sum(1 for s in form_run.submissions if s.issues)
        of_form = f" of form {form_run.form_id}" if run.others else ""
        click.echo(f"{len(form_run.submissions)} submission(s){of_form} scored ({with_issues} "
                   f"with issues), {len(form_run.rejected)} rejected", err=True)  # fmt: skip
    rejected = run.all_rejected()
    if rejected:
        for rej in rejected[:20]:
            click.echo(f"rejected: {rej}", err=True)
        if len(rejected) > 20:
            click.echo(f"... and {len(rejected) - 20} more: see {out / 'rejected.csv'}", err=True)
        sys.exit(EXIT_REJECTED)
