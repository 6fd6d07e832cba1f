"""The expression parser: trees for valid text, a column for every syntax error."""

from __future__ import annotations

import pytest

from compiler.expressions import ExpressionError, parse
from compiler.expressions.ast import Aggregate, Binary, Call, Current, Number, Ref, String, Unary


def test_precedence_and_associativity() -> None:
    tree = parse("a + b * 2 - c")
    assert tree == Binary("-", Binary("+", Ref("a"), Binary("*", Ref("b"), Number(2.0))), Ref("c"))
    assert parse("not a = 'x' or b") == Binary("or", Unary("not", Binary("=", Ref("a"), String("x"))), Ref("b"))


def test_dollar_references_and_current() -> None:
    assert parse("${q} >= .") == Binary(">=", Ref("q"), Current())


def test_functions_and_aggregates() -> None:
    assert parse("selected(q, 'x')") == Call("selected", (Ref("q"), String("x")))
    agg = parse("max(severity from impacts where right = 'liberty')")
    assert agg == Aggregate("max", "impacts", "severity", Binary("=", Ref("right"), String("liberty")))
    assert parse("count(impacts)") == Aggregate("count", "impacts", None, None)
    assert parse("count_equal('ratified', a, b,)") == Call("count_equal", (String("ratified"), Ref("a"), Ref("b")))


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("a +", 4, "expected a value"),
        ("a = 'x", 5, "not closed"),
        ("foo(1)", 1, "unknown function"),
        ("a = b = c", 7, "cannot be chained"),
        ("max(impacts)", 1, "needs a field"),
        ("count(x from impacts)", 1, "counts records"),
        ("selected(q)", 1, "takes 2"),
        ("a # b", 3, "unexpected character"),
        ("", 1, "empty"),
        ("(a", 3, "expected ')'"),
    ],
)
def test_errors_point_at_the_column(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert info.value.column == column
    assert fragment in info.value.message
