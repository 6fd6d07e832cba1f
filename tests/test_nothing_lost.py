"""Nothing lost, proven: random valid and mutated exports of the test guide in every format
(Collect XML zip, Kobo XLSX, Kobo CSV, Central zip), their answers holding control characters,
separators and formula triggers and cells past every length limit -> no uncaught exception (a
UserError for a whole-file problem is fine), every input record either scored or rejected,
every output written and readable, and the same inputs give byte-identical outputs."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hostile import builders as b
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import html
from openpyxl import load_workbook

from compiler.analysis.document import scores_document
from compiler.analysis.outputs.csv_out import csv_bytes
from compiler.analysis.outputs.json_out import json_bytes
from compiler.analysis.pipeline import analyse, score_inputs
from compiler.cli_score import make_outputs
from compiler.diagnostics import UserError
from compiler.importer import FormFields, read_inputs
from compiler.loader import load_checked_guide
from compiler.report import answer_names

GUIDE = load_checked_guide(Path(__file__).parent / "guides" / "full")[0]
FIELDS = FormFields.from_guide(GUIDE)
GARBAGE = st.sampled_from(["", " ", "=1+1", "-3", "1e9", "nan", "Zoë", "x;y", '"q"', "\t", "2026-13-45",
                           "x;=1+1;", "a,@SUM(1)", "a\t+2", "1_000", "line\x0bbreak", "\x1b[2J",
                           "_x0041_", "\x0c"])  # fmt: skip
# cells past the csv module's default limit (131,072) and Excel's (32,767), with separators and
# control characters in them
HUGE = st.sampled_from([";=1\x0b" * 33_000, "x" * 140_000])
# any text but NUL (a CSV holding NUL is refused whole, as binary) and lone surrogates (UTF-8,
# so no export, can hold one); control characters are written as each format's producer does
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8)
VALUES = {
    "measure_name": TEXT | GARBAGE | HUGE,
    "has_measure": st.sampled_from(["yes", "no", "dont_know"]) | GARBAGE,
    "signs": st.sampled_from(["raids", "raids testing", "detention"]) | GARBAGE,
    "people": st.integers(-5, 300000).map(str) | GARBAGE,
    "status_iccpr": st.sampled_from(["ratified", "signed"]) | GARBAGE,
}
IMPACT = st.fixed_dictionaries({}, optional={
    "right": st.sampled_from(["liberty", "health"]) | GARBAGE,
    "direction": st.sampled_from(["negative", "positive"]) | GARBAGE,
    "scale": st.sampled_from(["1", "3", "5", "dk"]) | GARBAGE,
})  # fmt: skip
SUBMISSION = st.fixed_dictionaries({
    "id": st.sampled_from([f"uuid:{n}" for n in range(6)]) | st.just(""),
    "values": st.fixed_dictionaries({}, optional=VALUES),
    "impacts": st.lists(IMPACT, max_size=3),
})  # fmt: skip


def _table_mutations(data: bytes, draw: Any) -> bytes:
    """Drop / shuffle columns, blank cells, duplicate rows of one CSV table; maybe truncate."""
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    width = len(rows[0])
    order = draw(st.permutations(range(width)))
    dropped = set(draw(st.sets(st.integers(0, width - 1), max_size=2)))
    keep = [i for i in order if i not in dropped or rows[0][i] in ("KEY", "PARENT_KEY")]
    out = [[row[i] if i < len(row) else "" for i in keep] for row in rows]
    for row in out[1:]:
        for i in draw(st.sets(st.integers(0, len(keep) - 1), max_size=2)):
            row[i] = ""
    if len(out) > 1 and draw(st.booleans()):
        out.append(list(out[draw(st.integers(1, len(out) - 1))]))
    return b.csv_bytes(out)


def _count_rows(data: bytes) -> int:
    return sum(1 for row in list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))[1:]
               if any(c.strip() for c in row))  # fmt: skip


@st.composite
def export(draw: Any, fmt: str) -> tuple[str, bytes, int, int]:
    """(file name, bytes, main rows or instance files, repeat rows)."""
    subs = draw(st.lists(SUBMISSION, min_size=1, max_size=5))
    orphans = draw(st.integers(0, 2))
    if fmt == "collect":
        members = [(f"i{n}/i{n}.xml", b.collect_xml(s)) for n, s in enumerate(subs)]
        return "instances.zip", b.zip_bytes(members), len(members), 0
    if fmt == "kobo-csv":
        data = _table_mutations(b.kobo_csv(subs).replace(b";", b","), draw)
        return "kobo.csv", data, _count_rows(data), 0
    if fmt == "central":
        main, child = b.central_tables(subs, orphans)
        main, child = _table_mutations(main, draw), _table_mutations(child, draw)
        members = [(f"{b.FORM_ID}.csv", main), (f"{b.FORM_ID}-impacts.csv", child)]
        return "submissions.csv.zip", b.zip_bytes(members), _count_rows(main), _count_rows(child)
    data = b.kobo_xlsx(subs, orphans)
    return "kobo.xlsx", data, len(subs), orphans + sum(len(s["impacts"]) for s in subs)


def run(path: Path, streamed: bool = False) -> tuple[int, int, int, bytes]:
    """(scored, rejected main rows, rejected repeat rows, output bytes) for one input, read
    whole then scored, or read and scored in chunks (`score_inputs`, as `rightguide score`)."""
    if streamed:
        scored = score_inputs(GUIDE, [path])
    else:
        records, rejected, notes = read_inputs([path], FIELDS)
        scored = analyse(GUIDE, records, rejected, notes)
    doc = scores_document(GUIDE, scored, "en")
    repeat_rows = sum(1 for r in scored.rejected if r.source.sheet in ("impacts", f"{b.FORM_ID}-impacts.csv"))
    rows = [[s["instance_id"], json.dumps(s["scores"])] for s in doc["submissions"]]
    main_rejected = len(scored.rejected) - repeat_rows
    return len(scored.submissions), main_rejected, repeat_rows, json_bytes(doc) + csv_bytes(rows)


# a formula trigger where a spreadsheet could start a cell: the text's start, or after a
# separator or line break in it (safe_cells.csv_text puts a ' before each)
LIVE_FORMULA = re.compile(r"(?:^|[;,\t\r\n])[=+\-@]")


def _is_number(cell: str) -> bool:
    """A number written as a number ("-2", a score), which a spreadsheet reads as one."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _write_every_output(path: Path, out: Path) -> None:
    """Every output `rightguide score` writes (JSON, CSVs, XLSX, report HTML and PDF), made
    from the input, each readable by its reader and no CSV cell a live formula."""
    run_ = score_inputs(GUIDE, [path], keep_answers=answer_names(GUIDE))
    out.mkdir(parents=True, exist_ok=True)
    written = make_outputs(GUIDE, scores_document(GUIDE, run_, "en"), out, "en", run_.answers)
    files = {p.name: p for p in written}
    json.loads(files["scores.json"].read_text("utf-8"))
    for name in ("scores.csv", "issues.csv", "rejected.csv"):
        data = files[name].read_bytes().decode("utf-8-sig")
        for row in csv.reader(io.StringIO(data, newline="")):
            assert all(not LIVE_FORMULA.search(cell) or _is_number(cell) for cell in row), (name, row)
    load_workbook(files["scores.xlsx"], read_only=True).close()
    html.fromstring(files["report.html"].read_bytes())
    assert files["report.pdf"].read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("fmt", ["collect", "kobo-csv", "kobo-xlsx", "central"])
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_record_scored_or_rejected(fmt: str, data: Any, tmp_path: Path) -> None:
    name, content, main_rows, repeat_rows = data.draw(export(fmt))
    truncate = data.draw(st.booleans() if fmt != "collect" else st.just(False))
    if truncate:
        content = content[: data.draw(st.integers(0, len(content)))]
    path = tmp_path / name
    path.write_bytes(content)
    try:
        first = run(path)
    except UserError as exc:
        assert "\n" not in str(exc)
        with pytest.raises(UserError) as streamed:
            run(path, streamed=True)
        assert str(streamed.value) == str(exc)
        event("refused as a whole file")
        return
    event("read and scored")
    _write_every_output(path, tmp_path / "out")
    scored, rejected, rejected_repeats, _output = first
    if not truncate:
        assert scored + rejected == main_rows  # every submission scored or rejected
        assert rejected_repeats <= repeat_rows
    assert run(path) == first  # byte-identical on a second run
    assert run(path, streamed=True) == first  # and the same when read and scored in chunks
