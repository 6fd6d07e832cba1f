"""Synthetic exports of the real guide in every input format, made by the benchmark generator
(`benchmarks/generate.py`), for tests that need many submissions."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def generate_exports(out: Path, n: int, impacts: int = 3, recs: int = 2) -> dict[str, Path]:
    """Write N submissions in every format into out: format -> path."""
    name = "bench_generate"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "generate.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module.generate(out, n, impacts=impacts, recs=recs)
