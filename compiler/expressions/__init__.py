"""The guide's expression language: one syntax tree, rendered to every target.

`parse` turns text into a tree (`ast`); `typecheck` checks it against the guide; each target
is a generator class with one method per node: `xpath` (ODK), `excel` (workbooks),
`python_code` (the scoring evaluator) and `words` (plain language for print).
"""

from .ast import Node
from .parser import ExpressionError, parse

__all__ = ["ExpressionError", "Node", "parse"]
