"""What every check shares: the problems it reports, the context it is given and the text helpers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from ..markdown.markup import same_markup
from ..segments import INLINE_MARKDOWN_KINDS, SegmentKind


class Problem(StrEnum):
    """What is wrong with a translation; the value is the stable code used in PO comments and JSON. A
    check added later reports its own code (a string), listed after these."""

    EMPTY = "empty"
    LINK_TARGETS = "link-targets"
    CODE = "code"
    HTML = "html"
    PLACEHOLDERS = "placeholders"
    MARKUP = "markup"
    NEW_BLOCK = "new-block"
    ANCHOR = "anchor"
    LENGTH = "length"
    PREAMBLE = "preamble"
    LINE_BREAK = "line-break"
    HARD_BREAK = "hard-break"
    WHITESPACE = "whitespace"
    DOUBLED_WORD = "doubled-word"
    NUMBERS = "numbers"
    LANGUAGE = "language"


@dataclass(frozen=True)
class Violation:
    problem: str  # a Problem, or the code of a check added later
    detail: str

    def __str__(self) -> str:
        return f"{self.problem}: {self.detail}"


SINGLE_LINE_KINDS = frozenset(
    {
        SegmentKind.HEADING,
        SegmentKind.TABLE_CELL,
        SegmentKind.IMAGE_ALT,
        SegmentKind.TITLE,
        SegmentKind.TERM,
        SegmentKind.ATTRIBUTE,
    }
)


def prepare(text: str, kind: SegmentKind) -> str:
    """The text as it will be written: trimmed, continuation lines unindented, one line where it must be."""
    lines = [line.strip(" \t") for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")]
    if kind in SINGLE_LINE_KINDS or kind is SegmentKind.FRONTMATTER:
        return " ".join(line for line in lines if line)
    return "\n".join(lines)


class Context:
    """What a check is told besides the two texts: the segment's ``kind``, both texts as they will be
    written (``src``, ``dst``: :func:`prepare`) and, for inline markdown, whether the translation is proven
    to keep its source's markup (``markup_kept``: the parse-based checks may skip it)."""

    def __init__(self, source: str, translation: str, kind: SegmentKind) -> None:
        self.kind = kind
        self.src, self.dst = prepare(source, kind), prepare(translation, kind)

    @cached_property
    def markup_kept(self) -> bool:
        return self.kind in INLINE_MARKDOWN_KINDS and same_markup(self.src, self.dst)


Found = Iterable[tuple[str, str]]  # (problem code, detail); an empty detail is no problem
CheckFunction = Callable[[str, str, Context], Found]  # (source, translation, context) -> problems


def difference(noun: str, source: Counter[str], translation: Counter[str]) -> str:
    """``"link target '/people' missing; '/mensen' added"``, or ``""`` when the multisets are equal."""
    missing, added = source - translation, translation - source
    parts: list[str] = []
    if missing:
        parts.append(f"{items(missing)} missing")
    if added:
        parts.append(f"{items(added)} added")
    if not parts:
        return ""
    plural = "s" if sum((missing or added).values()) > 1 else ""
    return f"{noun}{plural} " + "; ".join(parts)


def items(found: Counter[str]) -> str:
    return ", ".join(f"'{_shorten(item)}'" for item in found.elements())


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
