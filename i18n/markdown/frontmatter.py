"""Frontmatter: find it, extract translatable fields with exact offsets, write values back in place.

Three formats, detected and read through python-frontmatter's handlers (``YAMLHandler`` for ``---``,
``JSONHandler`` for a ``{`` … ``}`` object, and two of ours on its ``BaseHandler``: TOML ``+++`` read with
the standard library's ``tomllib``, and JSON between ``;;;`` lines). The handlers say which format a page
has and what its data is; the offsets of the values come from the format's own parser (YAML nodes, a JSON
scan, a TOML line scan checked against ``tomllib``), so that a translation replaces exactly a value's
bytes. Values are written back in their format: YAML in the source's quoting style when it can hold the
value, TOML as a literal or basic string, JSON as a JSON string.

Which formats a page may have is the site generator's choice: each flavour names the ones its generator
reads (``Flavour.frontmatter``); a block in another format is the page's body there.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from json import JSONDecodeError
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from ..errors import PageError
from .lines import count_newlines

_LEAD = re.compile(r"\ufeff?(?:[ \t]*(?:\r\n?|\n))*")
_EOL = r"[ \t]*(?:\r\n?|\n)"
# A closing fence starts a line: after any line ending markdown-it knows (\n, \r\n, a lone \r).
_LINE_START = r"(?<=[\r\n])"
_END = r"[ \t]*(?:\r\n?|\n|\Z)"


def _lines_of(text: str) -> str:
    """``text`` with its line endings as ``\n`` (the handlers' detection knows no lone ``\r``)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_STR_TAG = "tag:yaml.org,2002:str"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
_TOML_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


class TOMLHandler(BaseHandler):
    """python-frontmatter's TOML handler needs the old ``toml`` package: this one reads with tomllib."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


class SemicolonJSONHandler(JSONHandler):
    """JSON frontmatter between ``;;;`` lines."""

    FM_BOUNDARY = re.compile(r"^;;;\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = ";;;"

    def split(self, text: str) -> tuple[str, str]:
        _, fm, content = self.FM_BOUNDARY.split(text, 2)
        return fm, content


@dataclass(frozen=True)
class Field:
    """A translatable frontmatter value: ``text[start:end]`` of the page holds it as written."""

    key: str
    value: str
    start: int
    end: int
    line: int  # 1-based line of the value in the page
    style: str  # how it is written: YAML "" plain, "'", '"', "|", ">"; 'toml"', "toml'", ...; "json"


@dataclass(frozen=True)
class FrontMatter:
    """The frontmatter block ``text[0:end]`` (leading blank lines and both fences included)."""

    end: int
    fields: tuple[Field, ...]
    data_start: int
    data_end: int
    format: str = "yaml"  # "yaml", "toml" or "json"

    def data(self, text: str) -> object:
        """The parsed data of this block in ``text`` (through the format's python-frontmatter handler)."""
        return _FORMATS[self.format].handler.load(text[self.data_start : self.data_end])


@dataclass(frozen=True)
class _Format:
    handler: BaseHandler
    opening: re.Pattern[str]  # the opening fence (after leading blank lines)
    closing: re.Pattern[str] | None  # the closing fence (None: the data's own end, JSON objects)
    locate: Callable[[str, int, int, Sequence[str]], list[tuple[str, str, int, int, str]]]


def find_frontmatter(
    text: str, keys: Sequence[str], formats: Collection[str] | None = None
) -> FrontMatter | None:
    """Locate the frontmatter and the string values of ``keys``; ``None`` when the page has none.

    ``formats``: the frontmatter formats the site generator reads (of :data:`FORMATS`: ``yaml``,
    ``toml``, ``json``, ``json;``; default: all of them); a block in any other format is not frontmatter
    there (in MDX a leading ``{`` is an expression), so it is left to the page's body.

    Raises ``PageError`` (with the line) when the block does not parse or is not a mapping.
    """
    lead = _LEAD.match(text)
    at = lead.end() if lead else 0
    for name, found in _FORMATS.items():
        if formats is not None and name not in formats:
            continue
        if not found.handler.detect(_lines_of(text[at : at + 256])):
            continue
        opening = found.opening.match(text, at)
        if opening is None:
            continue
        if found.closing is not None:
            closing = found.closing.search(text, opening.end())
            if closing is None:
                return None
            data_start, data_end, end = opening.end(), closing.start(), closing.end()
        else:  # a JSON object: it ends where the decoder says, then the rest of its line
            data_start = opening.start() + opening.group().index("{")
            data_end = _json_end(text, data_start)
            rest = re.compile(r"[ \t]*(?:\r\n?|\n|$)").match(text, data_end)
            if rest is None:
                return None
            end = rest.end()
        first_line = count_newlines(text[:data_start])
        fields = found.locate(text, data_start, data_end, keys)
        return FrontMatter(
            end,
            tuple(
                Field(key, value, start, stop, first_line + count_newlines(text[data_start:start]) + 1, style)
                for key, value, start, stop, style in fields
            ),
            data_start,
            data_end,
            name,
        )
    return None


# -- YAML -------------------------------------------------------------------------------------------------


def _yaml_fields(
    text: str, start: int, end: int, keys: Sequence[str]
) -> list[tuple[str, str, int, int, str]]:
    yaml_text = text[start:end]
    first_line = count_newlines(text[:start])
    try:
        root = yaml.compose(yaml_text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line + 1 if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PageError(f"unparseable frontmatter: {problem}", line=line) from None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise PageError("frontmatter is not a YAML mapping", line=first_line + 1)
    wanted = set(keys)
    fields: list[tuple[str, str, int, int, str]] = []
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value not in wanted:
            continue
        if not isinstance(value_node, yaml.ScalarNode) or value_node.tag != _STR_TAG:
            continue
        value_start = start + value_node.start_mark.index
        value_end = _trim_trailing_newlines(text, value_start, start + value_node.end_mark.index)
        fields.append((key_node.value, value_node.value, value_start, value_end, value_node.style or ""))
    return fields


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


# Characters a YAML stream may not hold as they are (not "printable") or reads as line breaks: escaped.
_NOT_YAML_PRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def yaml_scalar(value: str, style: str) -> str:
    """One-line YAML for ``value``, in the source's quoting style when that style can hold it."""
    if "\n" not in value and "\r" not in value:
        if style == "" and "\t" not in value and _loads_back(value, value):
            return value
        if style == "'":
            quoted = "'" + value.replace("'", "''") + "'"
            if _loads_back(quoted, value):
                return quoted
    quoted = _NOT_YAML_PRINTABLE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
    )
    if not _loads_back(quoted, value):  # pragma: no cover - JSON strings are YAML double-quoted strings
        raise PageError(f"cannot write frontmatter value {value!r} as YAML")
    return quoted


# -- TOML -------------------------------------------------------------------------------------------------

_TOML_KEY = re.compile(
    r"""^[ \t]*(?:(?P<bare>[A-Za-z0-9_-]+)|"(?P<basic>[^"\\\n]*)"|'(?P<literal>[^'\n]*)')[ \t]*=[ \t]*""",
    re.MULTILINE,
)
_TOML_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)
_TOML_STRINGS = (  # (style, pattern) of a string value, longest delimiters first
    ('toml"""', re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""(?!")', re.DOTALL)),
    ("toml'''", re.compile(r"'''(?:[^']|'(?!''))*'''(?!')", re.DOTALL)),
    ('toml"', re.compile(r'"(?:[^"\\\n]|\\.)*"')),
    ("toml'", re.compile(r"'[^'\n]*'")),
)


def _toml_fields(
    text: str, start: int, end: int, keys: Sequence[str]
) -> list[tuple[str, str, int, int, str]]:
    """Top-level string values of ``keys`` (before the first table), each checked against tomllib."""
    source = text[start:end]
    try:
        data = tomllib.loads(source.replace("\r\n", "\n"))
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_WHERE.search(str(exc))
        line = count_newlines(text[:start]) + (int(where[1]) if where else 1)
        raise PageError(f"unparseable frontmatter: {_TOML_WHERE.sub('', str(exc))}", line=line) from None
    table = _TOML_TABLE.search(source)
    limit = table.start() if table else len(source)
    wanted = set(keys)
    fields: list[tuple[str, str, int, int, str]] = []
    for match in _TOML_KEY.finditer(source, 0, limit):
        key = match.group("bare") or match.group("basic") or match.group("literal")
        value = data.get(key)
        if key not in wanted or not isinstance(value, str):
            continue
        for style, pattern in _TOML_STRINGS:
            written = pattern.match(source, match.end())
            if written is not None and _toml_value(written.group()) == value:
                fields.append((key, value, start + written.start(), start + written.end(), style))
                break
    return fields


def _toml_value(written: str) -> object:
    try:
        return tomllib.loads(f"k = {written}".replace("\r\n", "\n")).get("k")
    except tomllib.TOMLDecodeError:
        return None


def toml_string(value: str, style: str) -> str:
    """``value`` as a one-line TOML string: literal (``'…'``) when the source's was and can hold it, else
    basic (``"…"``)."""
    if style.startswith("toml'") and "'" not in value and not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", value):
        return f"'{value}'"
    quoted = json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if _toml_value(quoted) != value:  # pragma: no cover - JSON strings are TOML basic strings
        raise PageError(f"cannot write frontmatter value {value!r} as TOML")
    return quoted


# -- JSON -------------------------------------------------------------------------------------------------


def _json_end(text: str, start: int) -> int:
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except JSONDecodeError as exc:
        raise PageError(f"unparseable frontmatter: {exc.msg}", line=exc.lineno) from None
    return end


_WS = re.compile(r"[ \t\n\r]*")


def _json_fields(
    text: str, start: int, end: int, keys: Sequence[str]
) -> list[tuple[str, str, int, int, str]]:
    """Top-level string values of ``keys`` in the JSON object ``text[start:end]``."""
    decoder = json.JSONDecoder()
    start = _WS.match(text, start).end()  # type: ignore[union-attr]
    try:
        data = decoder.raw_decode(text[:end], start)[0]
    except JSONDecodeError as exc:
        raise PageError(f"unparseable frontmatter: {exc.msg}", line=exc.lineno) from None
    if not isinstance(data, dict):
        raise PageError("frontmatter is not a JSON object", line=count_newlines(text[:start]) + 1)
    wanted = set(keys)
    fields: list[tuple[str, str, int, int, str]] = []
    pos = _WS.match(text, start + 1).end()  # type: ignore[union-attr]
    while pos < end and text[pos] == '"':
        key, pos = scanstring(text, pos + 1)
        pos = _WS.match(text, pos).end() + 1  # type: ignore[union-attr]  # past the colon
        pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
        value, value_end = decoder.raw_decode(text, pos)
        if key in wanted and isinstance(value, str):
            fields.append((key, value, pos, value_end, "json"))
        pos = _WS.match(text, value_end).end()  # type: ignore[union-attr]
        if pos < end and text[pos] == ",":
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    return fields


def json_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


_FORMATS: dict[str, _Format] = {
    "yaml": _Format(
        YAMLHandler(),
        re.compile(rf"---{_EOL}"),
        re.compile(rf"{_LINE_START}(?:---|\.\.\.){_END}"),
        _yaml_fields,
    ),
    "toml": _Format(
        TOMLHandler(),
        re.compile(rf"\+\+\+{_EOL}"),
        re.compile(rf"{_LINE_START}\+\+\+{_END}"),
        _toml_fields,
    ),
    "json": _Format(JSONHandler(), re.compile(rf"\{{{_EOL}"), None, _json_fields),
    "json;": _Format(
        SemicolonJSONHandler(),
        re.compile(rf";;;{_EOL}"),
        re.compile(rf"{_LINE_START};;;{_END}"),
        _json_fields,
    ),
}


FORMATS: tuple[str, ...] = tuple(_FORMATS)  # every format this module reads


def write_value(value: str, style: str) -> str:
    """A translated value written where the source's stood, in its format."""
    if style.startswith("toml"):
        return toml_string(value, style)
    if style == "json":
        return json_string(value)
    return yaml_scalar(value, style)
