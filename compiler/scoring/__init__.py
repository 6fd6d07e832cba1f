"""Scoring: evaluate a guide's skip rules, constraints, calculations and scores.

Data flows one way: `evaluator` (the reference, the specification) <- `batch` (columns, the
production path) <- `scores` (typed scores per submission) <- `explain` (one submission,
in words)."""

from .evaluator import FilledForm, ReferenceEvaluator

__all__ = ["FilledForm", "ReferenceEvaluator"]
