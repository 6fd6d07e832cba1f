"""The XPath and Python targets, node by node."""

from __future__ import annotations

import math

import pytest

from compiler.expressions import parse
from compiler.expressions import xpath_runtime as rt
from compiler.expressions.python_code import PythonGenerator, compile_expression
from compiler.expressions.xpath import XPathGenerator, quote

PATHS = {"impacts": "/data/step5/impacts"}
FIELDS = {("impacts", "severity"): "severity", ("impacts", "right"): "right"}


def xpath(text: str) -> str:
    gen = XPathGenerator(PATHS.__getitem__, lambda r, f: FIELDS.get((r, f), ""))
    return gen.render(parse(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a + b * 2", "${a} + ${b} * 2"),
        ("(a + b) * 2", "(${a} + ${b}) * 2"),
        ("a - (b - c)", "${a} - (${b} - ${c})"),
        ("a / 2", "${a} div 2"),
        ("a = 'x' and not(b != 'y')", "${a} = 'x' and not(${b} != 'y')"),
        ("(a or b) and c", "(${a} or ${b}) and ${c}"),
        ("(a < b) = true", "${a} < ${b} = true()"),
        ("selected(q, 'x')", "selected(${q}, 'x')"),
        ("count_selected(q)", "count-selected(${q})"),
        ("answered(q)", "(string-length(${q}) > 0)"),
        ("coalesce(q, 0)", "coalesce(${q}, 0)"),
        ("count_equal('r', a, b)", "(if(${a} = 'r', 1, 0) + if(${b} = 'r', 1, 0))"),
        ("count_equal('r')", "0"),
        ("round(a, 2)", "round(${a}, 2)"),
        ("if(a > 1, 'x', 'y')", "if(${a} > 1, 'x', 'y')"),
        ("-a", "-(${a})"),
        (". >= 0", ". >= 0"),
        ("true", "true()"),
        ("count(impacts where right = 'liberty')", "count(/data/step5/impacts[right = 'liberty'])"),
        (
            "max(severity from impacts)",
            "max(/data/step5/impacts[number(severity) = number(severity)]/severity)",
        ),
        (
            "mean(severity from impacts where right = outer)",
            "(sum(/data/step5/impacts[(right = ${outer}) and (number(severity) = number(severity))]/severity)"
            " div count(/data/step5/impacts[(right = ${outer}) and (number(severity) = number(severity))]"
            "/severity))",
        ),
    ],
)
def test_xpath_rendering(text: str, expected: str) -> None:
    assert xpath(text) == expected


def test_quote_handles_both_quote_kinds() -> None:
    assert quote("it's") == '"it\'s"'
    assert quote("a'b\"c") == "concat('a', \"'\", 'b\"c')"


def evaluate(text: str, values: dict, record: dict | None = None, current: object = None) -> object:
    repeat_of = {"severity": "impacts", "right": "impacts"}.get
    gen = PythonGenerator(repeat_of, "impacts" if record is not None else None)
    return compile_expression(gen.render(parse(text)))(values, record, current)


def test_python_follows_xpath_semantics() -> None:
    v = {"a": 3.0, "b": "", "t": "2", "s": "dk"}
    assert evaluate("a + 1", v) == 4.0
    assert math.isnan(evaluate("a + b", v))
    assert evaluate("b < 3", v) is False
    assert evaluate("b != 3", v) is True
    assert evaluate("t = 2", v) is True  # text compared with a number compares numbers
    assert evaluate("a = '3'", v) is True
    assert math.isnan(evaluate("s * 2", v))
    assert evaluate("coalesce(b, 5)", v) == 5.0
    assert evaluate("if(b, 1, 0)", v) == 0.0
    assert evaluate("count_answered(a, b, t)", v) == 2.0


def test_python_aggregates_skip_non_numbers() -> None:
    records = [
        {"severity": "4.5", "right": "liberty"},
        {"severity": "", "right": "liberty"},
        {"severity": "dk", "right": "health"},
        {"severity": "2", "right": "health"},
    ]
    v = {"impacts": records}
    assert evaluate("max(severity from impacts)", v) == 4.5
    assert evaluate("sum(severity from impacts where right = 'health')", v) == 2.0
    assert evaluate("count(impacts where right = 'liberty')", v) == 2.0
    assert evaluate("mean(severity from impacts)", v) == 3.25
    assert math.isnan(evaluate("max(severity from impacts where right = 'none')", v))
    assert evaluate("sum(severity from impacts where right = 'none')", v) == 0.0


@pytest.mark.parametrize(
    ("value", "text"),
    [(3.0, "3"), (2.5, "2.5"), (1 / 3, "0.3333333333333333"), (3.0000000001, "3"), (-0.0, "0"),
     (0.00001, "1.0E-5"), (12345678.5, "1.23456785E7"), (1e20, "1.0E20"),
     (12345678000.0, "12345678000"), (float("nan"), "NaN")],
)
def test_numbers_are_written_as_javarosa_writes_them(value: float, text: str) -> None:
    assert rt.string(value) == text


def test_stored_results_blank_for_missing_and_infinite() -> None:
    assert rt.stored(float("nan")) == ""
    assert rt.stored(float("inf")) == ""
    assert rt.xround(2.345, 2) == 2.35
    assert rt.xround(-2.5, 0) == -2.0
