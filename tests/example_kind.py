"""An example document kind for the document kinds' registry tests (not shipped): one module, one entry.

A plain-text file (``.txt``): each paragraph (lines between blank lines) is an attribute-like segment
``p1``, ``p2``, …; translations are spliced in place of the paragraphs, everything else kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from i18n.config import Config, MessageSpec
from i18n.document import Document, DocumentKind, KindEntry
from i18n.segments import Segment, SegmentKind

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")


@dataclass(frozen=True)
class TextFile:
    source: str
    spans: tuple[tuple[int, int], ...]

    @property
    def segments(self) -> Sequence[Segment]:
        return tuple(
            Segment(f"p{n}", SegmentKind.ATTRIBUTE, self.source[a:b], self.source.count("\n", 0, a) + 1)
            for n, (a, b) in enumerate(self.spans, start=1)
        )

    def render(self, translations: Mapping[str, str]) -> str:
        out, end = [], 0
        for n, (a, b) in enumerate(self.spans, start=1):
            out += [self.source[end:a], translations.get(f"p{n}", self.source[a:b])]
            end = b
        return "".join([*out, self.source[end:]])

    def snapshot(self) -> Mapping[str, object]:
        return {"spans": [list(span) for span in self.spans]}


class TextKind:
    name = "text"
    settings = "text-1"
    verbatim = True

    def parse(self, text: str, location: str) -> Document:
        return TextFile(text, tuple(m.span() for m in _PARAGRAPH.finditer(text)))

    def restore(self, text: str, snapshot: Mapping[str, object], location: str) -> Document | None:
        return None


def make(config: Config | None, spec: MessageSpec | None) -> DocumentKind:
    return TextKind()


ENTRY = KindEntry("text", "a text file", (".txt",), make)
