"""Analysis of collected data: records -> scored submissions -> summary -> output files."""

from .pipeline import Issue, ScoredRecord, ScoreRun, analyse, submission_from

__all__ = ["Issue", "ScoreRun", "ScoredRecord", "analyse", "submission_from"]
