"""The one validator of a segment's translation, shared by human and machine translations.

``check_translation(source, translation, kind)`` runs the checks registered for the segment's kind
(:mod:`.registry`): what a translation must keep of its source (link and image targets, code spans, inline
HTML tags, Svelte ``{expressions}``, the generator syntax every flavour shares, emphasis: :mod:`.markdown`;
a UI message's tags and variables: :mod:`.message`), spacing (:mod:`.spacing`) and no new blocks or
heading anchors; ``machine=True`` adds the checks for an engine's chatter (:mod:`.machine`). A blank
translation is only reported as blank. Each check is a function ``(source, translation, context) ->
problems``; a new one is a module and a registry entry.
"""

from __future__ import annotations

from ..caches import run_cache
from ..catalog.model import Message, State
from ..catalog.msgfmt import format_problems
from ..catalog.update import kind_of
from ..language import wrong_language
from ..numbers import describe
from ..segments import SegmentKind
from . import registry
from .base import Context, Problem, Violation, prepare
from .machine import PREAMBLE
from .registry import Check, changed_checks, check_names, register, unregister

__all__ = [
    "PREAMBLE",
    "Check",
    "Context",
    "Problem",
    "Violation",
    "changed_checks",
    "check_language",
    "check_names",
    "check_numbers",
    "check_translation",
    "effective_state",
    "prepare",
    "register",
    "structure_problems",
    "unregister",
]


def check_translation(
    source: str, translation: str, kind: SegmentKind, *, machine: bool = False
) -> tuple[Violation, ...]:
    """Everything wrong with ``translation`` of the segment text ``source`` of ``kind`` (empty if fine).
    ``machine``: also the checks for an engine's chatter (length, preamble)."""
    return tuple(
        Violation(problem, detail) for problem, detail in _problems(source, translation, kind, machine)
    )


def check_numbers(source: str, translation: str) -> Violation | None:
    """The numbers check (:mod:`i18n.numbers`): a number of the source missing from the translation in
    every formatting. A machine translation that fails it is rejected; a human one is warned about."""
    detail = describe(source, translation) if translation.strip() else None
    return Violation(Problem.NUMBERS, detail) if detail else None


def check_language(source: str, translation: str, language: str) -> Violation | None:
    """The language check (:mod:`i18n.language`), for machine translations: an answer still in English
    (or another language than ``language``), or the source itself."""
    detail = wrong_language(translation, language, source=source) if translation.strip() else None
    return Violation(Problem.LANGUAGE, detail) if detail else None


@run_cache(16384)  # translate, build, status and check in one process check a translation once
def _problems(source: str, translation: str, kind: SegmentKind, machine: bool) -> tuple[tuple[str, str], ...]:
    """(problem, detail) pairs from the registered checks, in the registry's order of problems."""
    if not translation.strip():
        return ((Problem.EMPTY, "translation is blank"),)
    context = Context(source, translation, kind)
    found: dict[str, str] = {}
    for check in registry.checks_for(kind, machine=machine):
        for problem, detail in check.function(source, translation, context):
            if detail:
                found[problem] = f"{found[problem]}; {detail}" if problem in found else detail
    rank = registry.order()
    return tuple(sorted(found.items(), key=lambda item: rank.get(item[0], len(rank))))


registry.on_change(_problems.cache_clear)


def effective_state(message: Message) -> State:
    """The message's state, with a failing check making a usable translation *rejected* (and the numbers
    check a machine translation)."""
    state = message.state
    if state in (State.REVIEWED, State.MACHINE) and (
        check_translation(message.msgid, message.msgstr, kind_of(message)) or format_problems(message)
    ):
        return State.REJECTED
    if state is State.MACHINE and check_numbers(message.msgid, message.msgstr):
        return State.REJECTED  # a machine translation that changed a number is never built
    return state


def structure_problems(src: str, dst: str, kind: SegmentKind) -> dict[str, str]:
    """The checks that need markdown-it (links, code, HTML, markup balance, blocks) on texts as written,
    without the proof that lets them be skipped."""
    context = Context(src, dst, kind)
    context.markup_kept = False
    found: dict[str, str] = {}
    for check in registry.checks_for(kind, machine=False):
        if check.name in registry.STRUCTURE:
            found.update((problem, detail) for problem, detail in check.function(src, dst, context) if detail)
    return found
