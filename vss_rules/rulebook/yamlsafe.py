"""Safe YAML with positions.

Rule files are data. They are read with PyYAML's SafeLoader (no Python tags,
nothing constructed but plain scalars, lists and mappings), and this loader is
stricter still: anchors/aliases, duplicate keys, non-string keys and oversized
files are refused. Every mapping and list remembers where its items stand so
that every later error can say ``file:line:col``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import yaml

from ..errors import Position, RuleFileError

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40


class Node:
    """Mixin: a container that knows its own position and that of its items."""

    pos: Position
    item_pos: dict[Any, Position]

    def at(self, key: Any) -> Position:
        return self.item_pos.get(key, self.pos)


class YMap(dict, Node):
    """A mapping from a YAML file; ``at(key)`` is the position of the value."""


class YList(list, Node):
    """A list from a YAML file; ``at(i)`` is the position of item ``i``."""


class YStr(str):
    """A string scalar with its position and style (for expression offsets)."""

    pos: Position
    style: str | None


class _Loader(yaml.SafeLoader):
    filename = "<string>"

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise RuleFileError("YAML aliases are not allowed in rule files", where=self._pos(event.start_mark), code="YAML_ALIAS")
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise RuleFileError("YAML anchors are not allowed in rule files", where=self._pos(event.start_mark), code="YAML_ALIAS")
        return super().compose_node(parent, index)

    def _pos(self, mark) -> Position:
        return Position(self.filename, mark.line + 1, mark.column + 1)


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _construct(loader: _Loader, node: yaml.Node, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise RuleFileError("nesting too deep", where=loader._pos(node.start_mark), code="YAML_DEPTH")
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise RuleFileError(f"YAML tag {node.tag!r} is not allowed in rule files", where=loader._pos(node.start_mark), code="YAML_TAG")
    if isinstance(node, yaml.MappingNode):
        out = YMap()
        out.pos = loader._pos(node.start_mark)
        out.item_pos = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise RuleFileError("YAML merge keys are not allowed", where=loader._pos(key_node.start_mark), code="YAML_ALIAS")
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                # YAML turns `2016-01-01:` or `1995:` keys into dates/ints; rule files use strings.
                key = str(key)
            if key in out:
                raise RuleFileError(f"duplicate key {key!r}", where=loader._pos(key_node.start_mark), code="YAML_DUPLICATE_KEY")
            out[key] = _construct(loader, value_node, depth + 1)
            out.item_pos[key] = loader._pos(value_node.start_mark)
        return out
    if isinstance(node, yaml.SequenceNode):
        out_list = YList()
        out_list.pos = loader._pos(node.start_mark)
        out_list.item_pos = {}
        for i, item in enumerate(node.value):
            out_list.append(_construct(loader, item, depth + 1))
            out_list.item_pos[i] = loader._pos(item.start_mark)
        return out_list
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str):
        s = YStr(value)
        s.pos = loader._pos(node.start_mark)
        s.style = node.style
        return s
    if isinstance(value, (bool, int, float, _dt.date)) or value is None:
        return value
    raise RuleFileError(f"unsupported YAML value {value!r}", where=loader._pos(node.start_mark), code="YAML_TYPE")


def load_yaml(text: str, filename: str) -> Any:
    """Parse one YAML document safely; errors name ``file:line:col``."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise RuleFileError(f"file larger than {MAX_FILE_BYTES} bytes", where=Position(filename), code="YAML_TOO_LARGE")
    loader = _Loader(text)
    loader.filename = filename
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _construct(loader, node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = loader._pos(mark) if mark else Position(filename)
        raise RuleFileError(f"invalid YAML: {exc.problem or exc}", where=where, code="YAML_SYNTAX") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(f"invalid YAML: {exc}", where=Position(filename), code="YAML_SYNTAX") from None
    finally:
        loader.dispose()


def position_of(value: Any, fallback: Position) -> Position:
    """Best position for a value read from YAML."""
    pos = getattr(value, "pos", None)
    return pos if isinstance(pos, Position) else fallback
