"""The message file formats, as a registry, and the settings the configuration names (kept light:
``config`` imports it).

A format is one :class:`MessageFormat` entry: its name (the ``format`` setting of a
``[[tool.i18n.messages]]`` table), whether messages nest (objects of objects, keys as dotted paths) and
how a file in it is recognised when no format is configured. The built-in ones are registered below; a
new one is one :func:`register` call (``tests/example_message_format.py``, a narrower format: asked
first): the configuration's choices and detection come from the entries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .scan import Value


@dataclass(frozen=True, eq=False)
class MessageFormat:
    """How a message file is laid out."""

    name: str
    help: str
    nested: bool = False  # objects of objects: a message's key is its dotted path (i18next, vue-i18n)
    # Whether a file's top-level object is in this format (None: the fallback, when no other says so).
    # Entries are asked in the order they were registered, the fallback last.
    detect: Callable[[Value], bool] | None = None

    def __str__(self) -> str:
        return self.name

    def __reduce__(self) -> tuple[Callable[[str], MessageFormat], tuple[str]]:
        return message_format, (self.name,)  # pickles by name: the same entry in a worker process


_FORMATS: dict[str, MessageFormat] = {}


def register(entry: MessageFormat, *, first: bool = False) -> MessageFormat:
    """Add ``entry`` (or replace the one of its name); returns it. Detection asks the entries in this
    order: ``first`` puts it ahead of every registered one (a format narrower than those, recognised by a
    marker of its own, is asked before the broad built-in rules)."""
    _FORMATS.pop(entry.name, None)
    if first:
        entries = [entry, *_FORMATS.values()]
        _FORMATS.clear()
        _FORMATS.update((e.name, e) for e in entries)
    else:
        _FORMATS[entry.name] = entry
    return entry


def unregister(name: str) -> None:
    _FORMATS.pop(name, None)


def format_names() -> tuple[str, ...]:
    return tuple(_FORMATS)


def registered_formats() -> tuple[MessageFormat, ...]:
    return tuple(_FORMATS.values())


def message_format(name: str) -> MessageFormat:
    """The registered format ``name``; ``KeyError`` if there is none."""
    return _FORMATS[name]


def detect_format(root: Value) -> MessageFormat:
    """The first registered format whose ``detect`` accepts the file's top-level object; else the fallback."""
    fallback = None
    for entry in _FORMATS.values():
        if entry.detect is None:
            fallback = fallback or entry
        elif entry.detect(root):
            return entry
    if fallback is None:
        raise LookupError("no fallback message format is registered")
    return fallback


def _inlang(root: Value) -> bool:
    schema = next((m.value for m in root.members if m.key == "$schema"), None)
    return schema is not None and schema.kind == "string" and "inlang" in schema.text


def _nested(root: Value) -> bool:
    return any(m.value.kind in ("object", "array") for m in root.members if not m.key.startswith("$"))


INLANG = register(
    MessageFormat(
        "inlang", 'inlang message format (paraglide): flat, "$schema" first, {name} variables', detect=_inlang
    )
)
I18NEXT = register(
    MessageFormat(
        "i18next", "i18next / vue-i18n: objects of objects, keys as dotted paths, {{name}}", True, _nested
    )
)
FLAT = register(MessageFormat("flat", "a flat object of strings"))


class Instructions(StrEnum):
    """What a build does with instruction keys (``<key>__instructions``)."""

    COPY = "copy"  # kept in every language's file, unchanged
    DROP = "drop"  # left out of the built files


INSTRUCTION_SUFFIX = "__instructions"
