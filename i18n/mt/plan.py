"""Planning, pure: which catalog entries need the engine, as unique texts in request batches.

For one language and a chunk of pages: an entry that needs a translation (missing or stale) takes a
reviewed translation of the same text from the memory (no engine call), or the result of a text already
translated earlier in this run; every other text becomes one :class:`Job` (however many entries wait for
it), and jobs are grouped into batches within the engine's request limits. A text with context for the
engine (a UI message's instructions) is a job of its own per context, and a batch holds one context.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, replace

from ..catalog.model import Catalog, Message, State
from ..catalog.update import apply_machine, context_of
from ..segments import source_hash
from .memory import Memory
from .xmlmarkup import Encoded

NEEDS = (State.MISSING, State.STALE)


@dataclass(frozen=True)
class Outcome:
    """What became of one text: the translation, why it was rejected (None: it passed the checks), and
    the glossary terms it missed."""

    text: str
    rejected: str | None
    missed: tuple[str, ...]
    suggestion: str | None = None


@dataclass(frozen=True)
class Job:
    """One unique source text to translate into one language, and the entries waiting for it."""

    msgid: str
    encoded: Encoded
    entries: tuple[tuple[str, int], ...]  # (page ref, message index)
    suggestion: str | None = None  # closest reviewed translation from memory, for the translator
    context: str = ""  # what the engine is told about the text (a message's instructions), not billed

    @property
    def characters(self) -> int:
        return len(self.encoded.xml)


@dataclass(frozen=True)
class Plan:
    """What translating a chunk of pages into ``language`` takes: memory reuse, and engine jobs in
    request batches (indexes into ``jobs``)."""

    language: str
    reused: int
    jobs: tuple[Job, ...]
    batches: tuple[tuple[int, ...], ...]

    @property
    def characters(self) -> int:
        return sum(job.characters for job in self.jobs)


def plan(
    language: str,
    catalogs: Mapping[str, Catalog],
    memory: Memory,
    earlier: Mapping[str, Outcome],
    planned: Set[str],
    encode: Callable[[Message], Encoded],
    batches: Callable[[Sequence[str], str], list[tuple[int, ...]]],
    origin: str,
    *,
    redo_pseudo: bool = True,
) -> tuple[Plan, dict[str, Catalog]]:
    """The plan for ``catalogs`` (page ref → catalog), and the catalogs that changed (memory reuse and
    ``earlier`` outcomes applied). Keys of ``earlier`` and ``planned`` are source hashes: a text planned
    earlier in the run whose outcome is not known (a dry run) is not planned again. ``encode`` gives an
    entry's XML (by its kind's rule); ``batches`` groups texts of one context within the limits.
    Pseudo-localised entries are planned (they are missing) unless ``redo_pseudo`` is false (the pseudo
    engine's run)."""
    reused = 0
    waiting: dict[tuple[str, Encoded, str], list[tuple[str, int]]] = {}
    changed: dict[str, Catalog] = {}
    for ref, catalog in catalogs.items():
        messages = list(catalog.messages)
        touched = False
        for index, message in enumerate(messages):
            if message.obsolete or message.state not in NEEDS or (message.pseudo and not redo_pseudo):
                continue
            reviewed = memory.exact(message.msgid)
            outcome = earlier.get(source_hash(message.msgid)) if reviewed is None else None
            if reviewed is not None:
                messages[index] = apply_machine(message, reviewed, "memory", None, ())
                reused += 1
            elif outcome is not None:  # translated for an earlier chunk of this run: not billed again
                messages[index] = apply_machine(
                    message, outcome.text, origin, outcome.rejected, outcome.missed, outcome.suggestion
                )
            elif source_hash(message.msgid) not in planned:
                key = (message.msgid, encode(message), "\n".join(context_of(message)))
                waiting.setdefault(key, []).append((ref, index))
                continue
            else:
                continue
            touched = True
        if touched:
            changed[ref] = replace(catalog, messages=tuple(messages))
    jobs = tuple(
        Job(msgid, encoded, tuple(entries), memory.suggestion(msgid), context)
        for (msgid, encoded, context), entries in waiting.items()
    )
    by_context: dict[str, list[int]] = {}
    for number, job in enumerate(jobs):
        by_context.setdefault(job.context, []).append(number)
    grouped = [
        tuple(indexes[k] for k in batch)
        for context, indexes in by_context.items()
        for batch in batches([jobs[i].encoded.xml for i in indexes], context)
    ]
    return Plan(language, reused, jobs, tuple(grouped)), changed


def make_batches(
    texts: Sequence[str], *, overhead: int, cost: Callable[[str], int], max_texts: int, max_bytes: int
) -> list[tuple[int, ...]]:
    """Consecutive groups of text indexes within both limits (a single oversized text goes alone):
    a request of ``texts`` weighs ``overhead`` plus the ``cost`` of each."""
    result: list[tuple[int, ...]] = []
    current: list[int] = []
    size = overhead
    for index, text in enumerate(texts):
        weight = cost(text)
        if current and (len(current) >= max_texts or size + weight > max_bytes):
            result.append(tuple(current))
            current, size = [], overhead
        current.append(index)
        size += weight
    if current:
        result.append(tuple(current))
    return result
