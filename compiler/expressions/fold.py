"""Constant folding: a subexpression that reads no answer is replaced by its value, so every
target (XPath, Excel, Python, words) sees the same simpler tree.

Templates make such constants: `count_equal('no', {regional_instruments:member_}) = 0` for an
instrument of no regional system expands to `count_equal('no') = 0`, which is always true. A
condition that folds to true is no condition (nothing to emit, nothing to print); one that
folds to false can never hold, which the checker reports (`fold_guide`).

Only what all targets agree on is folded: literals, `count_equal`/`count_answered` of no
question, comparisons and arithmetic of numbers, `and`/`or`/`not` of booleans, `if` with a
known condition. Anything that reads an answer is left alone.
"""

from __future__ import annotations

from dataclasses import replace

from .ast import COMPARISONS, Binary, Boolean, Call, Node, Number, String, Unary

_COMPARE = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def fold(node: Node) -> Node:
    """The node with every constant subexpression replaced by its value."""
    if isinstance(node, Unary):
        operand = fold(node.operand)
        if node.op == "not" and isinstance(operand, Boolean):
            return Boolean(not operand.value, column=node.column)
        if node.op == "-" and isinstance(operand, Number):
            return Number(-operand.value, column=node.column)
        return replace(node, operand=operand)
    if isinstance(node, Binary):
        return _binary(node, fold(node.left), fold(node.right))
    if isinstance(node, Call):
        args = tuple(fold(a) for a in node.args)
        if node.func == "count_equal" and len(args) == 1:  # no question to count
            return Number(0, column=node.column)
        if node.func == "count_answered" and not args:
            return Number(0, column=node.column)
        if node.func == "if" and isinstance(args[0], Boolean):
            return args[1] if args[0].value else args[2]
        return replace(node, args=args)
    return node


def _binary(node: Binary, left: Node, right: Node) -> Node:
    op = node.op
    if op in ("and", "or"):
        for known, other in ((left, right), (right, left)):
            if isinstance(known, Boolean):
                # true and x = x; false and x = false; true or x = true; false or x = x
                if known.value == (op == "and"):
                    return other
                return Boolean(known.value, column=node.column)
        return replace(node, left=left, right=right)
    if op in COMPARISONS:
        if isinstance(left, Number) and isinstance(right, Number):
            return Boolean(_COMPARE[op](left.value, right.value), column=node.column)
        if isinstance(left, String) and isinstance(right, String) and op in ("=", "!="):
            return Boolean(_COMPARE[op](left.value, right.value), column=node.column)
        return replace(node, left=left, right=right)
    if isinstance(left, Number) and isinstance(right, Number) and op in ("+", "-", "*"):
        value = {"+": left.value + right.value, "-": left.value - right.value,
                 "*": left.value * right.value}[op]  # fmt: skip
        return Number(value, column=node.column)
    return replace(node, left=left, right=right)
