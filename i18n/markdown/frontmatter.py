"""YAML frontmatter: find it, extract translatable fields with exact offsets, write values back in place."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from ..errors import PageError
from .lines import count_newlines

_OPEN = re.compile(r"\ufeff?(?:[ \t]*(?:\r\n?|\n))*---[ \t]*(?:\r\n?|\n)")
# The closing fence starts a line: after any line ending markdown-it knows (\n, \r\n, a lone \r).
_CLOSE = re.compile(r"(?<=[\r\n])(?:---|\.\.\.)[ \t]*(?:\r\n?|\n|\Z)")
_STR_TAG = "tag:yaml.org,2002:str"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


@dataclass(frozen=True)
class Field:
    """A translatable frontmatter value: ``text[start:end]`` of the page holds its YAML scalar."""

    key: str
    value: str
    start: int
    end: int
    line: int  # 1-based line of the value in the page
    style: str  # "" plain, "'" single-quoted, '"' double-quoted, "|" / ">" block


@dataclass(frozen=True)
class FrontMatter:
    """The frontmatter block ``text[0:end]`` (leading blank lines and both fences included)."""

    end: int
    fields: tuple[Field, ...]
    yaml_start: int
    yaml_end: int

    def data(self, text: str) -> object:
        """The parsed YAML of this block in ``text``."""
        return yaml.load(text[self.yaml_start : self.yaml_end], Loader=_LOADER)  # a safe loader


def find_frontmatter(text: str, keys: Sequence[str]) -> FrontMatter | None:
    """Locate the frontmatter and the scalar values of ``keys``; ``None`` when the page has none.

    Raises ``PageError`` (with the line) when the block is not a YAML mapping.
    """
    opening = _OPEN.match(text)
    if opening is None:
        return None
    closing = _CLOSE.search(text, opening.end())
    if closing is None:
        return None
    yaml_text = text[opening.end() : closing.start()]
    first_line = count_newlines(text[: opening.end()])  # 0-based index of the first YAML line
    try:
        root = yaml.compose(yaml_text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line + 1 if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PageError(f"unparseable frontmatter: {problem}", line=line) from None
    if root is None:
        return FrontMatter(closing.end(), (), opening.end(), closing.start())
    if not isinstance(root, yaml.MappingNode):
        raise PageError("frontmatter is not a YAML mapping", line=first_line + 1)
    wanted = set(keys)
    fields: list[Field] = []
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value not in wanted:
            continue
        if not isinstance(value_node, yaml.ScalarNode) or value_node.tag != _STR_TAG:
            continue
        start = opening.end() + value_node.start_mark.index
        end = opening.end() + value_node.end_mark.index
        fields.append(
            Field(
                key=key_node.value,
                value=value_node.value,
                start=start,
                end=_trim_trailing_newlines(text, start, end),
                line=first_line + value_node.start_mark.line + 1,
                style=value_node.style or "",
            )
        )
    return FrontMatter(closing.end(), tuple(fields), opening.end(), closing.start())


def _trim_trailing_newlines(text: str, start: int, end: int) -> int:
    """Block scalars' spans swallow the line ending; keep that outside the replaced span."""
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    return end


def _loads_back(candidate: str, value: str) -> bool:
    try:
        return bool(yaml.load(f"k: {candidate}\n", Loader=_LOADER) == {"k": value})
    except yaml.YAMLError:
        return False


def yaml_scalar(value: str, style: str) -> str:
    """One-line YAML for ``value``, in the source's quoting style when that style can hold it."""
    if "\n" not in value and "\r" not in value:
        if style == "" and _loads_back(value, value):
            return value
        if style == "'":
            quoted = "'" + value.replace("'", "''") + "'"
            if _loads_back(quoted, value):
                return quoted
    quoted = json.dumps(value, ensure_ascii=False)
    if not _loads_back(quoted, value):  # pragma: no cover - JSON strings are YAML double-quoted strings
        raise PageError(f"cannot write frontmatter value {value!r} as YAML")
    return quoted
