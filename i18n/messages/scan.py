"""A JSON reader that keeps positions: every value's exact span, every key's offset and line.

``json`` checks the syntax first (its error names the line and column); the scan then walks the same
text once more and records where each value sits, so a message file can be written back by splicing
translated strings into the source, byte for byte around them. Duplicate keys, which ``json`` silently
collapses (the last one wins), are an error naming the line of the second.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from ..errors import PageError

_SPACE = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")
BOM = "\ufeff"
# json's own string decoder (escapes, strictness): (text, offset after the quote) -> (string, end)
scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Member:
    """``"key": value`` in an object: the key (decoded) and where its opening quote is."""

    key: str
    key_start: int
    value: Value


@dataclass(frozen=True, slots=True)
class Value:
    """A JSON value at ``text[start:end]``: ``kind`` is ``object``, ``array``, ``string``, ``number``,
    ``boolean`` or ``null``; a string's decoded ``text``; an object's ``members``; an array's ``items``."""

    kind: str
    start: int
    end: int
    text: str = ""
    members: tuple[Member, ...] = ()
    items: tuple[Value, ...] = ()


class Lines:
    """1-based line numbers of offsets in a text (as ``json`` counts them: by ``\\n``)."""

    def __init__(self, text: str) -> None:
        self._starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def __call__(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def scan(text: str, location: str) -> Value:
    """The JSON value of ``text`` with positions (offsets into ``text``, a leading BOM included); a
    ``PageError`` naming ``location`` and the line for invalid JSON or a duplicate key."""
    start = 1 if text.startswith(BOM) else 0
    try:
        json.loads(text[start:], parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        message = f"invalid JSON: {error.msg} (column {error.colno})"
        raise PageError(message, path=location, line=error.lineno) from None
    except ValueError as error:  # NaN, Infinity
        raise PageError(f"invalid JSON: {error}", path=location) from None
    except RecursionError:
        raise PageError("invalid JSON: nested too deeply", path=location) from None
    try:
        return _Scanner(text, location).document(start)
    except RecursionError:
        raise PageError("invalid JSON: nested too deeply", path=location) from None


class _Scanner:
    def __init__(self, text: str, location: str) -> None:
        self.text, self.location = text, location
        self.lines = Lines(text)

    def _skip(self, at: int) -> int:
        match = _SPACE.match(self.text, at)
        return match.end() if match else at

    def document(self, at: int) -> Value:
        return self.value(self._skip(at))

    def value(self, at: int) -> Value:
        char = self.text[at]
        if char == "{":
            return self.object(at)
        if char == "[":
            return self.array(at)
        if char == '"':
            decoded, end = scanstring(self.text, at + 1, True)
            return Value("string", at, end, decoded)
        match = _SCALAR.match(self.text, at)
        assert match is not None  # json accepted the text
        raw = match.group()
        kind = "null" if raw == "null" else "boolean" if raw in ("true", "false") else "number"
        return Value(kind, at, match.end(), raw)

    def object(self, at: int) -> Value:
        members: list[Member] = []
        seen: dict[str, int] = {}
        cursor = self._skip(at + 1)
        if self.text[cursor] == "}":
            return Value("object", at, cursor + 1)
        while True:
            key, after = scanstring(self.text, cursor + 1, True)
            if key in seen:
                first = self.lines(seen[key])
                raise PageError(
                    f"duplicate key {key!r} (first at line {first})",
                    path=self.location,
                    line=self.lines(cursor),
                )
            seen[key] = cursor
            colon = self._skip(after)  # at ':'
            value = self.value(self._skip(colon + 1))
            members.append(Member(key, cursor, value))
            cursor = self._skip(value.end)
            if self.text[cursor] == "}":
                return Value("object", at, cursor + 1, members=tuple(members))
            cursor = self._skip(cursor + 1)  # past ','

    def array(self, at: int) -> Value:
        items: list[Value] = []
        cursor = self._skip(at + 1)
        if self.text[cursor] == "]":
            return Value("array", at, cursor + 1)
        while True:
            item = self.value(cursor)
            items.append(item)
            cursor = self._skip(item.end)
            if self.text[cursor] == "]":
                return Value("array", at, cursor + 1, items=tuple(items))
            cursor = self._skip(cursor + 1)
