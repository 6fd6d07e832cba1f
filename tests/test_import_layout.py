"""The layout shows the way data flows (readers -> records -> batch scoring -> analysis ->
outputs): no module of `compiler.scoring` or `compiler.analysis` imports, directly or through
others, a module that imports it back. Imports are read from the source (ast), those inside
functions included, so a deferred import cannot hide a circle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "compiler"
WATCHED = ("compiler.scoring", "compiler.analysis")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of the package that module name imports (anywhere in its source)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:
                    found.add(sub)  # `from . import module`
                elif base in known:
                    found.add(base)
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_no_import_circle_in_scoring_or_analysis() -> None:
    edges = graph()
    watched = [c for c in cycles(edges) if any(m.startswith(WATCHED) for m in c)]
    assert watched == [], f"modules importing each other: {watched}"


def test_the_walk_sees_imports_and_circles() -> None:
    """The walk itself: it finds the imports the scoring modules make, deferred ones
    included, and it reports a circle when there is one."""
    edges = graph()
    assert "compiler.scoring.evaluator" in edges["compiler.scoring.batch"]
    assert "compiler.scoring.batch" in edges["compiler.analysis.batch"]
    assert "compiler.analysis.pipeline" in edges["compiler.cli_score"]  # inside a function
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_data_flows_one_way() -> None:
    """Scoring never reads analysis; the analyser never reads the run that drives it."""
    edges = graph()
    for name, targets in edges.items():
        if name.startswith("compiler.scoring"):
            assert not any(t.startswith("compiler.analysis") for t in targets), name
    assert "compiler.analysis.pipeline" not in edges["compiler.analysis.batch"]
