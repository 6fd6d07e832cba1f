"""Tests of the JavaRosa harness (tests/support/javarosa.py) against the real ODK jar.

They also pin the JavaRosa semantics listed in the harness docstring, so a jar
upgrade that changes them fails here first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyxform.xls2xform import convert
from support.javarosa import JavaRosa, JavaRosaError

# pyxform's markdown XLSForm: '|' separates cells, so expressions avoid it.
FORM_MD = """
| survey |
|        | type                | name       | label | relevant          | constraint | calculation                 |
|        | begin group         | g          | G     |                   |            |                             |
|        | integer             | a          | A     |                   | . < 100    |                             |
|        | integer             | e          | E     |                   |            |                             |
|        | select_one yn       | yn         | YN    |                   |            |                             |
|        | select_multiple col | cols       | Cols  |                   |            |                             |
|        | date                | d          | D     |                   |            |                             |
|        | decimal             | dq         | DQ    |                   |            |                             |
|        | calculate           | dbl        |       |                   |            | ${a} * 2                    |
|        | text                | why        | Why   | ${yn} = 'yes'     |            |                             |
|        | text                | early      | Early | ${later} != 'hide' |           |                             |
|        | text                | later      | Later |                   |            |                             |
|        | calculate           | early_seen |       |                   |            | concat('v:', ${early})      |
|        | end group           |            |       |                   |            |                             |
|        | begin repeat        | r          | R     |                   |            |                             |
|        | text                | r_name     | Name  |                   |            |                             |
|        | decimal             | r_val      | Val   |                   |            |                             |
|        | calculate           | r_dbl      |       |                   |            | ${r_val} * 2                |
|        | end repeat          |            |       |                   |            |                             |
|        | calculate           | total      |       |                   |            | sum(${r_val})               |
|        | calculate           | n          |       |                   |            | count(${r})                 |
|        | calculate           | r_max      |       |                   |            | max(${r_val})               |
|        | calculate           | s_empty    |       |                   |            | ${e} + 1                    |
|        | calculate           | s_div0     |       |                   |            | 1 div 0                     |
|        | calculate           | s_0div0    |       |                   |            | 0 div 0                     |
|        | calculate           | s_bool     |       |                   |            | ${a} > 2                    |
|        | calculate           | s_bool_if  |       |                   |            | if(${s_bool}, 'y', 'n')     |
|        | calculate           | s_bool_str |       |                   |            | string(${a} > 2)            |
|        | calculate           | s_num_lt   |       |                   |            | number('') < 3              |
|        | calculate           | s_str_lt   |       |                   |            | '' < 3                      |
|        | calculate           | s_e_eq     |       |                   |            | ${e} = ''                   |
|        | calculate           | s_nan_cat  |       |                   |            | concat('x', number(''))     |
|        | calculate           | s_round    |       |                   |            | round(2.5)                  |
|        | calculate           | s_round_n  |       |                   |            | round(-2.5)                 |
|        | calculate           | s_round_2  |       |                   |            | round(2.345, 2)             |
|        | calculate           | s_2_5      |       |                   |            | 2.5                         |
|        | calculate           | s_3_0      |       |                   |            | 3.0                         |
|        | calculate           | s_third    |       |                   |            | 1 div 3                     |
|        | calculate           | s_tiny     |       |                   |            | 0.00001 * 1                 |
|        | calculate           | s_large    |       |                   |            | 12345678.5 * 1              |
|        | calculate           | s_long     |       |                   |            | 12345678 * 1000             |
|        | calculate           | s_near_int |       |                   |            | 3.0000000001 * 1            |
|        | calculate           | s_dq       |       |                   |            | ${dq}                       |
|        | calculate           | s_date     |       |                   |            | ${d}                        |
|        | calculate           | s_date_num |       |                   |            | ${d} + 1                    |
| choices |
|         | list_name | name | label |
|         | yn        | yes  | Yes   |
|         | yn        | no   | No    |
|         | col       | red  | Red   |
|         | col       | blue | Blue  |
"""


@pytest.fixture(scope="module")
def xform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = convert(xlsform=FORM_MD, file_type=".md", validate=True, form_name="data")
    path = tmp_path_factory.mktemp("javarosa") / "harness.xml"
    path.write_text(result.xform, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def jr(xform: Path) -> Iterator[JavaRosa]:
    with JavaRosa(xform) as evaluator:
        yield evaluator


def _ok(result: dict[str, Any]) -> dict[str, Any]:
    assert "fatal" not in result, result.get("fatal")
    return result


def test_answers_calculates_and_relevance(jr: JavaRosa) -> None:
    out = _ok(
        jr.evaluate(
            {"g": {"a": "3", "yn": "yes", "cols": "red blue", "d": "2024-02-28", "why": "because"}}
        )
    )
    values, relevant = out["values"], out["relevant"]
    assert values["/data/g/a"] == "3"
    assert values["/data/g/yn"] == "yes"
    assert values["/data/g/cols"] == "red blue"
    assert values["/data/g/d"] == "2024-02-28"
    assert values["/data/g/dbl"] == "6"
    assert values["/data/g/why"] == "because"
    assert relevant["/data/g/why"] is True
    assert values["/data"] == "" and relevant["/data/g"] is True
    assert out["errors"] == [] and out["unused"] == []

    out = _ok(jr.evaluate({"g": {"a": "3", "yn": "no", "why": "ignored"}}))
    assert out["relevant"]["/data/g/why"] is False
    assert out["values"]["/data/g/why"] == ""
    assert out["unused"] == ["/data/g/why"]  # Collect never shows a non-relevant question


def test_value_kept_but_read_as_blank_once_non_relevant(jr: JavaRosa) -> None:
    out = _ok(jr.evaluate({"g": {"early": "hello", "later": "hide"}}))
    assert out["relevant"]["/data/g/early"] is False
    assert out["values"]["/data/g/early"] == "hello"
    assert out["values"]["/data/g/early_seen"] == "v:"


def test_constraint(jr: JavaRosa) -> None:
    outs = jr.evaluate_many([{"g": {"a": "150"}}, {"g": {"a": "5"}}, {}])
    assert [_ok(o)["constraint"] for o in outs] == [
        {"/data/g/a": False},
        {"/data/g/a": True},
        {"/data/g/a": True},
    ]
    assert outs[0]["values"]["/data/g/a"] == "150"  # stored anyway, then reported


def test_repeats(jr: JavaRosa) -> None:
    out = _ok(jr.evaluate({"r": [{"r_name": "x", "r_val": "2.5"}, {"r_val": "3"}]}))
    values = out["values"]
    assert values["/data/r[1]/r_name"] == "x"
    assert values["/data/r[1]/r_dbl"] == "5"
    assert values["/data/r[2]/r_name"] == ""
    assert values["/data/r[2]/r_val"] == "3.0"
    assert "/data/r[3]" not in values
    assert (values["/data/total"], values["/data/n"], values["/data/r_max"]) == ("5.5", "2", "3")

    empty = _ok(jr.evaluate({"r": []}))["values"]
    assert not any(path.startswith("/data/r[") for path in empty)
    assert (empty["/data/n"], empty["/data/total"], empty["/data/r_max"]) == ("0", "0", "")

    default = _ok(jr.evaluate({}))["values"]  # pyxform's initial instance stays
    assert default["/data/n"] == "1" and default["/data/r[1]/r_val"] == ""


def test_invalid_answers_are_reported_and_skipped(jr: JavaRosa) -> None:
    out = _ok(jr.evaluate({"g": {"a": "abc", "yn": "maybe", "d": "2024-02-31", "cols": "red"}}))
    assert len(out["errors"]) == 3
    assert out["values"]["/data/g/a"] == ""
    assert out["values"]["/data/g/cols"] == "red"


def test_bad_case_is_fatal_and_jvm_survives(jr: JavaRosa) -> None:
    outs = jr.evaluate_many([["not", "an", "object"], {"g": {"a": "4"}}])  # type: ignore[list-item]
    assert "fatal" in outs[0]
    assert _ok(outs[1])["values"]["/data/g/dbl"] == "8"


def test_javarosa_semantics(jr: JavaRosa) -> None:
    v = _ok(jr.evaluate({"g": {"a": "3", "d": "2024-02-28", "dq": "3"}, "r": []}))["values"]
    expected = {
        "s_empty": "",  # NaN from arithmetic on a blank is stored as blank
        "s_div0": "Infinity",
        "s_0div0": "",
        "s_bool": "1",  # a boolean calculate is serialised 1/0 ...
        "s_bool_if": "y",  # ... but read back as a boolean
        "s_bool_str": "true",
        "s_num_lt": "0",
        "s_str_lt": "0",
        "s_e_eq": "1",
        "s_nan_cat": "xNaN",
        "s_round": "3",
        "s_round_n": "-2",
        "s_round_2": "2.35",
        "s_2_5": "2.5",
        "s_3_0": "3",
        "s_third": "0.3333333333333333",
        "s_tiny": "1.0E-5",
        "s_large": "1.23456785E7",
        "s_long": "12345678000",
        "s_near_int": "3",
        "s_dq": "3",
        "s_date": "2024-02-28T00:00:00.000Z",
        "s_date_num": "19782",
        "total": "0",
        "r_max": "",
    }
    assert {k: v[f"/data/{k}"] for k in expected} == expected
    assert v["/data/g/dq"] == "3.0"  # a decimal answer keeps Java's Double.toString


NESTED_MD = """
| survey |
|        | type         | name  | label | relevant | calculation          | repeat_count |
|        | integer      | n     | N     |          |                      |              |
|        | begin group  | g     | G     |          |                      |              |
|        | begin repeat | outer | O     |          |                      |              |
|        | text         | name  | Name  |          |                      |              |
|        | begin repeat | inner | I     |          |                      |              |
|        | integer      | val   | V     |          |                      |              |
|        | end repeat   |       |       |          |                      |              |
|        | calculate    | sub   |       |          | sum(../inner/val)    |              |
|        | end repeat   |       |       |          |                      |              |
|        | end group    |       |       |          |                      |              |
|        | begin repeat | cr    | CR    |          |                      | ${n}         |
|        | text         | t     | T     |          |                      |              |
|        | end repeat   |       |       |          |                      |              |
|        | begin repeat | hid   | H     | ${n} > 5 |                      |              |
|        | text         | h     | H     |          |                      |              |
|        | end repeat   |       |       |          |                      |              |
|        | calculate    | total |       |          | sum(${val})          |              |
"""


def test_nested_and_counted_repeats(tmp_path: Path) -> None:
    path = tmp_path / "nested.xml"
    path.write_text(convert(xlsform=NESTED_MD, file_type=".md", form_name="data").xform)
    case = {
        "n": "2",
        "g": {"outer": [{"name": "A", "inner": [{"val": "1"}, {"val": "2"}]}, {"name": "B"}]},
        "cr": [{"t": "x"}, {"t": "y"}, {"t": "z"}],
        "hid": [{"h": "q"}],
    }
    with JavaRosa(path) as evaluator:
        out = _ok(evaluator.evaluate(case))
    values = out["values"]
    assert values["/data/g/outer[1]/inner[2]/val"] == "2"
    assert values["/data/g/outer[1]/sub"] == "3"
    assert values["/data/g/outer[2]/sub"] == "0"  # its initial inner instance is blank
    assert values["/data/total"] == "3"
    assert [values.get(f"/data/cr[{i}]/t") for i in (1, 2, 3)] == ["x", "y", None]  # jr:count = 2
    assert out["relevant"]["/data/hid[1]"] is False  # initial instance, repeat not relevant
    assert out["unused"] == ["/data/cr[3]/t", "/data/hid[1]/h", "/data/cr[3]"]


def test_load_failure_is_reported(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<h:html xmlns:h='http://www.w3.org/1999/xhtml'><nope/>", encoding="utf-8")
    with pytest.raises(JavaRosaError, match="could not load"):
        JavaRosa(broken)


def test_missing_java_is_reported(xform: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(JavaRosaError, match="not found on PATH"):
        JavaRosa(xform)


def test_dead_jvm_is_reported(xform: Path) -> None:
    evaluator = JavaRosa(xform)
    try:
        assert evaluator._proc is not None
        evaluator._proc.kill()
        evaluator._proc.wait()
        with pytest.raises(JavaRosaError, match="stderr"):
            evaluator.evaluate({})
    finally:
        evaluator.close()


def test_throughput(jr: JavaRosa) -> None:
    rng = random.Random(7)
    cases = [
        {
            "g": {
                "a": str(rng.randint(0, 150)),
                "yn": rng.choice(["yes", "no", None]),
                "cols": rng.choice(["red", "red blue", ""]),
                "d": f"2024-01-{rng.randint(1, 28):02d}",
            },
            "r": [{"r_val": str(rng.randint(0, 9))} for _ in range(rng.randint(0, 3))],
        }
        for _ in range(1000)
    ]
    start = time.perf_counter()
    outs = jr.evaluate_many(cases)
    rate = len(cases) / (time.perf_counter() - start)
    for case, out in zip(cases, outs, strict=True):
        values = _ok(out)["values"]
        assert values["/data/g/dbl"] == str(int(case["g"]["a"]) * 2)
        assert values["/data/n"] == str(len(case["r"]))
    assert rate > 100, f"{rate:.0f} cases/s"
