"""The checks' registry: every check is one small function ``(source, translation, context) -> problems``
and one entry saying which segment kinds it applies to and whether it is for machine translations only
(as Babel's ``checkers``). :func:`i18n.checks.check_translation` runs the entries for a segment's kind;
``i18n check``, ``build``'s gate, ``status`` and the translate and import jobs all go through it.

A new check is a module with its function and one :func:`register` call (``tests/example_check.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..segments import INLINE_MARKDOWN_KINDS, SegmentKind
from . import machine, markdown, message, spacing
from .base import CheckFunction, Problem


@dataclass(frozen=True)
class Check:
    name: str
    function: CheckFunction
    kinds: frozenset[SegmentKind]  # the segment kinds it applies to
    machine: bool = False  # only for machine translations (an engine's chatter)
    codes: tuple[str, ...] = ()  # the problem codes it reports that are not a Problem (listed after them)


_CHECKS: dict[str, Check] = {}
_listeners: list[Callable[[], None]] = []  # told when the registry changes (caches of checked texts)


def register(check: Check) -> Check:
    """Add a check (a name already registered is replaced)."""
    _CHECKS[check.name] = check
    _changed()
    return check


def unregister(name: str) -> None:
    _CHECKS.pop(name, None)
    _changed()


def on_change(listener: Callable[[], None]) -> None:
    _listeners.append(listener)


def _changed() -> None:
    for listener in _listeners:
        listener()


def checks_for(kind: SegmentKind, *, machine: bool) -> tuple[Check, ...]:
    """The checks a translation of a segment of ``kind`` gets, in registration order."""
    return tuple(c for c in _CHECKS.values() if kind in c.kinds and (machine or not c.machine))


def check_names() -> tuple[str, ...]:
    return tuple(_CHECKS)


def changed_checks() -> tuple[str, ...]:
    """The checks added or replaced besides the built-in ones, and the built-in ones removed (``-name``):
    what a cache of check results depends on besides the package's version (empty: none)."""
    built_in = {check.name: check for check in _BUILT_IN}
    changed = [name for name, check in _CHECKS.items() if built_in.get(name) != check]
    return (*changed, *(f"-{name}" for name in built_in if name not in _CHECKS))


def order() -> dict[str, int]:
    """The order problems are reported in: :class:`Problem`'s, then added checks' codes."""
    codes: list[str] = [*Problem]
    for check in _CHECKS.values():
        codes += [code for code in check.codes if code not in codes]
    return {code: index for index, code in enumerate(codes)}


def _kinds(*kinds: SegmentKind | Iterable[SegmentKind]) -> frozenset[SegmentKind]:
    found: set[SegmentKind] = set()
    for kind in kinds:
        found.update((kind,) if isinstance(kind, SegmentKind) else kind)
    return frozenset(found)


K = SegmentKind
EVERY = frozenset(SegmentKind)
MARKDOWN = EVERY - {K.MESSAGE}  # every kind of a markdown page
_BUILT_IN = (
    Check("inline-markup", markdown.inline_markup, _kinds(INLINE_MARKDOWN_KINDS)),
    Check("html-tags", markdown.html_tags, _kinds(K.HTML)),
    Check("message-tags", message.message_tags, _kinds(K.MESSAGE)),
    Check("new-blocks", markdown.new_blocks, EVERY - {K.FRONTMATTER, K.MESSAGE, K.ATTRIBUTE}),
    Check("placeholders", markdown.placeholders, MARKDOWN - {K.HEADING}),
    Check("heading-placeholders", markdown.heading_placeholders, _kinds(K.HEADING)),
    Check("message-variables", message.message_variables, _kinds(K.MESSAGE)),
    Check("line-breaks", spacing.line_breaks, EVERY),
    Check("whitespace", spacing.whitespace, EVERY - {K.HTML}),
    Check("html-whitespace", spacing.html_whitespace, _kinds(K.HTML)),
    Check("hard-breaks", spacing.hard_breaks, _kinds(K.PARAGRAPH, K.HTML)),
    Check("doubled-words", spacing.doubled_words, EVERY),
    Check("length", machine.length, EVERY, machine=True),
    Check("preamble", machine.preamble, EVERY, machine=True),
)
STRUCTURE = frozenset({"inline-markup", "html-tags", "message-tags", "new-blocks"})  # need markdown-it
for _check in _BUILT_IN:
    register(_check)
