"""`rightguide compare OLD NEW`: what changed between two assessments of the same measure.

Each side is a scores.json written by `rightguide score`, or any input `score` reads (an
export, instance files, a filled workbook), scored here. The comparison is the one a dossier
shows in its section "since the previous assessment" (`report.reassessment`), printed in
words; `--json FILE` writes it as JSON too. Exit 0, or 2 with one line when an input cannot
be used.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .diagnostics import UserError


def _scores_side(guide: Any, path: Path, fmt: str | None, lang: str) -> tuple[dict[str, Any], dict | None]:
    """A side as (scores document, answers): scores.json read as it is, any other input scored."""
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UserError(f"{path}: is not a scores.json written by 'rightguide score' ({exc})") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("submissions"), list):
            raise UserError(f"{path}: is not a scores.json written by 'rightguide score' "
                            "(no list of submissions)")  # fmt: skip
        return doc, None
    from .analysis.document import scores_document
    from .analysis.pipeline import score_inputs
    from .report import answer_names

    run = score_inputs(guide, [path], fmt, lang, keep_answers=answer_names(guide))
    if not run.submissions:
        raise UserError(f"{path}: holds no assessment that could be scored"
                        + (f" ({len(run.rejected)} record(s) rejected)" if run.rejected else ""))  # fmt: skip
    return scores_document(guide, run, lang), run.answers


def pick_side(doc: dict[str, Any], answers: dict | None, measure: str | None, path: Path) -> Any:
    """The assessment of one side: the latest one (of `measure` when given)."""
    from .report.assessments import find_assessments
    from .report.reassessment import side_of

    subs = doc["submissions"]
    found = find_assessments(subs, answers)
    if measure is not None:
        found = [a for a in found if a.measure and a.measure.casefold() == measure.casefold()]
    if not found:
        what = f"no assessment of measure '{measure}'" if measure else "no assessment"
        raise UserError(f"{path}: holds {what}")
    chosen = max(found, key=lambda a: (a.date or "", a.index))
    return side_of(subs[chosen.index], answers, chosen)


def comparison_lines(guide: Any, comparison: dict[str, Any], lang: str) -> list[str]:
    """The comparison in words, as the dossier says it: one line per paragraph or table row."""
    from .report.dossier_data import comparison_blocks
    from .report.report_data import _Builder

    builder = _Builder(guide, {"submissions": []}, lang, None)
    measure = comparison.get("measure") or ""
    lines = [f"{builder.w['compare_title']}: {measure}".rstrip(": ")]
    for block in comparison_blocks(builder, comparison):
        if block["kind"] == "text":
            lines += ["", block["text"]]
        elif block["kind"] == "table":
            lines += ["", block["caption"], " | ".join(block["header"])]
            lines += [" | ".join(row) for row in block["rows"]]
    return lines


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--measure", default=None, help="The measure code to compare, when an input holds "
              "several measures (default: each side's latest assessment).")  # fmt: skip
@click.option("--lang", "lang", default=None, help="Language of the words (default: the guide's).")
@click.option("--format", "fmt", default=None, help="Input format of OLD and NEW when they are not "
              "scores.json (detected when not given).")  # fmt: skip
@click.option("--json", "json_out", default=None, type=click.Path(path_type=Path),
              help="Also write the comparison as JSON to this file.")  # fmt: skip
@click.option(
    "--source", "source", default="guide_source", show_default=True, type=click.Path(path_type=Path)
)
def compare(old: Path, new: Path, measure: str | None, lang: str | None, fmt: str | None,
            json_out: Path | None, source: Path) -> None:  # fmt: skip
    """Compare two assessments of the same measure: what got better, worse, or is new."""
    from .cli_score import guide_and_language, unusable_exits
    from .output_place import check_out_file
    from .report.reassessment import compare_assessments
    from .xlsx_files import write_atomic

    with unusable_exits("cannot be read or written"):
        if json_out is not None:
            check_out_file(json_out)
        guide, lang = guide_and_language(source, lang)
        sides = []
        for path in (old, new):
            doc, answers = _scores_side(guide, path, fmt, lang)
            sides.append(pick_side(doc, answers, measure, path))
        before, after = sides
        if before.measure and after.measure and before.measure.casefold() != after.measure.casefold():
            raise UserError(f"{old} assesses measure '{before.measure}' and {new} measure "
                            f"'{after.measure}': compare two assessments of the same measure "
                            "(--measure picks one)")  # fmt: skip
        comparison = compare_assessments(guide, before, after)
        if json_out is not None:
            text = json.dumps(comparison, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            write_atomic(json_out, text.encode("utf-8"))
    for line in comparison_lines(guide, comparison, lang):
        click.echo(line)
