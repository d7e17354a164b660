"""Documents: what the pipeline translates. A document kind turns a source file into segments and writes
translations back into it; everything else (catalogs, engines, checks, builds) sees only segments.

A markdown page is one kind (:class:`i18n.markdown.kind.MarkdownKind`); a message file is another. The
jobs in :mod:`i18n.jobs` work on :class:`Document`\\ s through these two protocols only, and find a
source's kind in the registry below (:func:`kind_entry`, by the name a source carries; a file given on
the command line by its suffix, :func:`kind_for_path`). The built-in entries are registered where their
settings are read from the project (:mod:`i18n.jobs.documents`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, NamedTuple, Protocol

from .segments import Segment

if TYPE_CHECKING:
    from .config import Config, MessageSpec


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


class KindEntry(NamedTuple):
    """A document kind in the registry: its ``name`` (what a source records as its kind), ``what`` one of
    its files is in an error (``a markdown page``), the ``suffixes`` that make a file given on the command
    line one of its files, and ``make(config, spec)``: the kind with the project's settings (``config``
    None: outside a project) and a configured file's own (``spec``, for message files; else None)."""

    name: str
    what: str
    suffixes: tuple[str, ...]
    make: Callable[[Config | None, MessageSpec | None], DocumentKind]


_KINDS: dict[str, KindEntry] = {}


def register_kind(entry: KindEntry) -> KindEntry:
    """Add a document kind (a name already registered is replaced)."""
    _KINDS[entry.name] = entry
    return entry


def unregister_kind(name: str) -> None:
    _KINDS.pop(name, None)


def kind_entry(name: str) -> KindEntry:
    return _KINDS[name]


def kind_names() -> tuple[str, ...]:
    return tuple(_KINDS)


def kind_for_path(path: PurePath, default: str) -> KindEntry:
    """The kind whose suffixes name ``path`` (the last registered wins), else the kind ``default``."""
    suffix = path.suffix.lower()
    found = [entry for entry in _KINDS.values() if suffix in entry.suffixes]
    return found[-1] if found else _KINDS[default]
