"""Documents: what the pipeline translates. A document kind turns a source file into segments and writes
translations back into it; everything else (catalogs, engines, checks, builds) sees only segments.

A markdown page is one kind (:class:`i18n.markdown.kind.MarkdownKind`); a message file is another. The
jobs in :mod:`i18n.jobs` work on :class:`Document`\\ s through these two protocols only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from .segments import Segment


class Document(Protocol):
    """A parsed source file: its translatable segments, and the file with translations written back."""

    @property
    def source(self) -> str:
        """The file's text, exactly as read."""
        ...

    @property
    def segments(self) -> Sequence[Segment]: ...

    def render(self, translations: Mapping[str, str]) -> str:
        """The file with ``translations`` (segment id → text) in place; everything else byte for byte.
        Raises ``RenderError`` naming the segment when a translation would break the file."""
        ...

    def snapshot(self) -> Mapping[str, object]:
        """What :meth:`DocumentKind.restore` needs besides the source to rebuild this document without
        parsing (JSON-serialisable)."""
        ...


class DocumentKind(Protocol):
    """How files of one kind become documents."""

    @property
    def name(self) -> str:
        """``markdown`` or ``messages``: recorded in caches, so that a change of kind or settings is a new
        parse."""
        ...

    @property
    def settings(self) -> str:
        """Everything that changes what ``parse`` returns, as a string (part of cache keys)."""
        ...

    @property
    def verbatim(self) -> bool:
        """Whether a document rendered without translations is its source, byte for byte (a build may
        then copy a file with nothing to translate without parsing it)."""
        ...

    def parse(self, text: str, location: str) -> Document:
        """Parse a file's text; raises ``PageError`` naming ``location`` (and the line) on bad input."""
        ...

    def restore(self, text: str, snapshot: Mapping[str, object], location: str) -> Document | None:
        """The document ``parse(text, location)`` gives, from its snapshot; None if unusable."""
        ...
