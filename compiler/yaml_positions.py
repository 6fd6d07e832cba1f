"""Read YAML into plain Python values while remembering where each value stands.

Positions let every diagnostic name a line and column. Aliases are expanded only up to a
limit, so a 'billion laughs' file is refused rather than exhausting memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    MappingEndEvent,
    MappingStartEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from .diagnostics import Location, UserError

MAX_NODES = 200_000
# The real guide nests 7 levels; the YAML composer recurses once per level, so a file nested
# past Python's recursion limit would fail inside it: depth is checked first, on the events.
MAX_DEPTH = 100
VALUE = "@value"  # path suffix under which a mapping value's own position is kept

PathKey = tuple[str | int, ...]


@dataclass
class PositionedYaml:
    """A YAML document as plain values plus a map from document path to (line, column)."""

    file: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def value_location(self, path: PathKey, offset: int = 0) -> Location:
        """Where the scalar value at path starts (offset columns further in, past any quote)."""
        pos = self.positions.get(tuple(path) + (VALUE,))
        if pos is None:
            return self.location(path)
        line, col = pos
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if col - 1 < len(text) and text[col - 1] in "'\"":
            col += 1
        return Location(self.file, line, col + offset, _dotted(path))

    def location(self, path: PathKey, dotted: str | None = None) -> Location:
        """The location of the deepest known prefix of path."""
        probe = tuple(path)
        while probe and probe not in self.positions:
            probe = probe[:-1]
        line, col = self.positions.get(probe, (1, 1))
        return Location(self.file, line, col, dotted if dotted is not None else _dotted(path))


def _dotted(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_yaml(path: Path, display: str | None = None) -> PositionedYaml:
    """Load one YAML file; raise UserError with file:line:column on a syntax error."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{name}: file not found") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UserError(
            f"{name}:{line}:{column}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None
    yaml = YAML(typ="rt")
    try:
        _check_depth(yaml, text, name)
        doc = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "YAML syntax error"
        raise UserError(f"{name}:{line}:{col}: YAML syntax error: {problem}") from None
    except YAMLError as exc:
        raise UserError(f"{name}: YAML error: {exc}") from None
    result = PositionedYaml(name, None, lines=text.splitlines())
    counter = [0]
    result.data = _plain(doc, (), result.positions, counter, name)
    return result


def _check_depth(yaml: YAML, text: str, name: str) -> None:
    """Refuse a document nested past MAX_DEPTH, at the place it gets too deep (the event
    parser does not recurse, so this is safe at any depth)."""
    depth = 0
    for event in yaml.parse(text):
        if isinstance(event, MappingStartEvent | SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise UserError(
                    f"{name}:{mark.line + 1}:{mark.column + 1}: lists and mappings nested more "
                    f"than {MAX_DEPTH} deep; refusing to load (is a bracket left open?)"
                )
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            depth -= 1


def _plain(node: Any, path: PathKey, positions: dict, counter: list[int], name: str) -> Any:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise UserError(f"{name}: more than {MAX_NODES} values (alias expansion?); refusing to load")
    if isinstance(node, CommentedMap):
        out = {}
        for key in node:
            try:
                line, col = node.lc.key(key)
                positions[path + (str(key),)] = (line + 1, col + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            try:
                vline, vcol = node.lc.value(key)
                positions[path + (str(key), VALUE)] = (vline + 1, vcol + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            out[str(key)] = _plain(node[key], path + (str(key),), positions, counter, name)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for index, value in enumerate(node):
            try:
                line, col = node.lc.item(index)
                positions[path + (index,)] = (line + 1, col + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            out_list.append(_plain(value, path + (index,), positions, counter, name))
        return out_list
    if node is None or isinstance(node, bool | int | float):
        return node
    return str(node)
