"""YAML that remembers line numbers and refuses duplicate keys.

Staff edit the rule files by hand; a mistake must be reported as "file:line: reason",
and PyYAML by itself forgets where a value came from and silently keeps the last of two
identical keys (a keyword typed twice with different weights).
"""

from __future__ import annotations

from typing import Any

import yaml


class LineDict(dict):
    """A mapping that also knows the line of itself and of each key (1-based)."""

    line: int = 0
    lines: dict[Any, int]


class LineList(list):
    """A sequence that also knows the line of itself and of each item (1-based)."""

    line: int = 0
    lines: list[int]


class DuplicateKeyError(yaml.MarkedYAMLError):
    """Two identical keys in one mapping."""


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:
        out = LineDict()
        out.line, out.lines = node.start_mark.line + 1, {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in out:
                raise DuplicateKeyError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            out[key] = self.construct_object(value_node, deep=True)
            out.lines[key] = key_node.start_mark.line + 1
        return out

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:
        out = LineList(self.construct_object(child, deep=True) for child in node.value)
        out.line, out.lines = node.start_mark.line + 1, [c.start_mark.line + 1 for c in node.value]
        return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Loader.construct_sequence)


def load(text: str) -> Any:
    """Parse one YAML document; raises ``yaml.YAMLError`` with a mark on bad input."""
    return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects


def line_of(container: Any, key: Any, default: int = 0) -> int:
    """Line of ``key`` in a LineDict, or of item ``key`` in a LineList."""
    lines = getattr(container, "lines", None)
    if isinstance(lines, dict):
        return lines.get(key, getattr(container, "line", default))
    if isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
        return lines[key]
    return getattr(container, "line", default)
