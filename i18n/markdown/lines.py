"""Line bookkeeping shared by parsing and splicing.

markdown-it normalises ``\\r\\n`` and ``\\r`` to ``\\n``; token maps count lines that way. These helpers split
the *original* text on the same boundaries so that a token's line range maps onto exact source offsets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import overload

_NEWLINE = re.compile(r"\r\n?|\n")
# Container markers that may precede a line's content (blockquote ``>``, list markers) and spacing: what
# precedes a table row's first pipe.
CONTAINER_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*")


@dataclass(frozen=True)
class Line:
    """One source line: ``text[start:body_end]`` is the body, ``text[body_end:end]`` its line ending."""

    start: int
    body_end: int
    end: int


class Lines(Sequence[Line]):
    """The lines of a text, split the way markdown-it counts them; offsets shifted by ``offset``.

    Built lazily from the start offsets (one C-level split), since a walk touches few lines.
    """

    def __init__(self, text: str, offset: int = 0) -> None:
        self._end = offset + len(text)
        self._explicit: tuple[Line, ...] | None = None
        if "\r" in text:
            self._explicit = _split_regex(text, offset)
            self._count = len(self._explicit)
            self._starts: list[int] = []
            return
        self._starts = list(accumulate((len(part) + 1 for part in text.split("\n")), initial=offset))
        self._count = len(self._starts) - 1 - (1 if not text or text.endswith("\n") else 0)

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Line: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Line]: ...
    def __getitem__(self, index: int | slice) -> Line | Sequence[Line]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        if self._explicit is not None:
            return self._explicit[index]
        start, following = self._starts[index], self._starts[index + 1]
        if following > self._end:  # the last line, without a line ending
            return Line(start, self._end, self._end)
        return Line(start, following - 1, following)


def split_lines(text: str, offset: int = 0) -> Lines:
    """Split ``text`` into lines the way markdown-it counts them; offsets are shifted by ``offset``."""
    return Lines(text, offset)


def _split_regex(text: str, offset: int) -> tuple[Line, ...]:
    lines: list[Line] = []
    pos = 0
    for match in _NEWLINE.finditer(text):
        lines.append(Line(offset + pos, offset + match.start(), offset + match.end()))
        pos = match.end()
    if pos < len(text):
        lines.append(Line(offset + pos, offset + len(text), offset + len(text)))
    return tuple(lines)


def normalise_newlines(text: str) -> str:
    """The text markdown-it actually parses: newlines normalised, NUL replaced."""
    if "\r" not in text and "\0" not in text:
        return text
    return _NEWLINE.sub("\n", text).replace("\0", "\ufffd")


def dominant_newline(text: str) -> str:
    """The most common line ending in ``text`` (``\\n`` when there is none; ties go to ``\\n``)."""
    crlf = text.count("\r\n")
    counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
    return max(counts, key=lambda k: counts[k])


def count_newlines(text: str) -> int:
    """How many line endings ``text`` holds (``\\r\\n`` counts once)."""
    return sum(1 for _ in _NEWLINE.finditer(text))
