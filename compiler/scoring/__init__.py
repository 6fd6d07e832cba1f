"""Scoring: evaluate a guide's skip rules, constraints, calculations and scores over one submission."""

from .evaluator import FilledForm, FormEvaluator

__all__ = ["FilledForm", "FormEvaluator"]
