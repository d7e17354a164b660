"""Planning, pure: which catalog entries need the engine, as unique texts in request batches.

For one language and a chunk of pages: an entry that needs a translation (missing or stale, or with
``retranslate`` a machine translation whose recorded request differs from what the engine would ask now)
takes a reviewed translation of the same text from the memory (no engine call), or the result of a text
already translated earlier in this run; every other text becomes one :class:`Job` (however many entries
wait for it), with the surroundings of its first entry when the engine uses them, and jobs are grouped
into batches within the engine's request limits. A text with context for the engine (a UI message's
instructions) is a job of its own per context, and a batch holds one context.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, replace

from ..catalog.model import PSEUDO, Catalog, Message, State
from ..catalog.update import apply_machine, context_of, kind_of
from ..segments import SegmentKind, source_hash
from .engine import Context
from .memory import Memory
from .xmlmarkup import Encoded

NEEDS = (State.MISSING, State.STALE)
MACHINE_STATES = (State.MACHINE, State.REJECTED)
CONTEXT_CHARACTERS = 400  # a neighbouring segment is shown up to this length


@dataclass(frozen=True)
class Outcome:
    """What became of one text: the translation, why it was rejected (None: it passed the checks), the
    glossary terms it missed, suggestions for the translator and the request recorded."""

    text: str
    rejected: str | None
    missed: tuple[str, ...]
    suggestion: str | None = None
    suggestions: tuple[str, ...] = ()
    request: str | None = None

    def apply(self, message: Message, origin: str) -> Message:
        return apply_machine(
            message,
            self.text,
            origin,
            self.rejected,
            self.missed,
            self.suggestion,
            suggestions=self.suggestions,
            request=self.request,
        )


@dataclass(frozen=True)
class Job:
    """One unique source text to translate into one language, and the entries waiting for it."""

    msgid: str
    encoded: Encoded
    entries: tuple[tuple[str, int], ...]  # (page ref, message index)
    suggestion: str | None = None  # closest reviewed translation from memory, for the translator
    context: str = ""  # what the engine is told about the text (a message's instructions), not billed
    around: Context | None = None  # the text's surroundings, for engines that use them
    request: str | None = None  # what the translation will record as asked ("<key> <model>")

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

    def contexts(self, batch: Sequence[int]) -> tuple[Context, ...]:
        """The contexts of a batch's texts, without neighbours that are themselves in the batch."""
        jobs = [self.jobs[i] for i in batch]
        if all(job.around is None for job in jobs):
            return ()
        inside = {job.msgid for job in jobs}
        result = []
        for job in jobs:
            context = job.around or Context()
            before = None if context.before in inside else _shorten(context.before)
            after = None if context.after in inside else _shorten(context.after)
            result.append(replace(context, before=before, after=after))
        return tuple(result)


def _shorten(text: str | None) -> str | None:
    if text is None or len(text) <= CONTEXT_CHARACTERS:
        return text
    return text[: CONTEXT_CHARACTERS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Engine:
    """What the plan records of the engine: its name (a translation's origin), the request a text would
    record (None: the engine records none), and whether texts travel with their context."""

    name: str
    request: Callable[[str], str | None] = lambda text: None
    context: bool = False
    retranslate: bool = False  # also machine translations whose recorded request differs
    retry: bool = False  # also rejected translations (machine or imported), whatever made them
    terms: Callable[[str], tuple[tuple[str, str], ...]] = lambda text: ()  # glossary terms in a text


def wanted(message: Message, engine: Engine) -> bool:
    """Whether ``message`` needs the engine: missing or stale, or (``retranslate``) a machine translation
    that an engine made with another request than ``engine`` would make now, or (``retry``) a rejected
    translation, machine or imported. Reviewed translations never qualify; memory reuse and imports
    only when rejected and ``retry``."""
    if message.obsolete or (message.pseudo and engine.name == PSEUDO):  # pseudo text is not redone
        return False
    state = message.state
    if state in NEEDS or (engine.retry and state is State.REJECTED):
        return True
    if not engine.retranslate or state not in MACHINE_STATES or not message.origin:
        return False
    if message.origin == "memory" or message.origin.startswith("import:"):
        return False
    return message.origin != engine.name or message.request != engine.request(message.msgid)


def contexts_of(messages: Sequence[Message]) -> list[Context]:
    """Each active message's context in its page: the page title (the first frontmatter value, else the
    first heading), its section heading, the texts before and after it, its ``#.`` notes."""
    active = [(i, m) for i, m in enumerate(messages) if not m.obsolete]
    kinds = [kind_of(m) for _, m in active]
    pairs = [(m, k) for (_, m), k in zip(active, kinds, strict=True)]
    title = next((m.msgid for m, k in pairs if k is SegmentKind.FRONTMATTER), None)
    title = title or next((m.msgid for m, k in pairs if k is SegmentKind.HEADING), None)
    result = [Context()] * len(messages)
    section: str | None = None
    for n, ((index, message), kind) in enumerate(zip(active, kinds, strict=True)):
        if kind is SegmentKind.HEADING:
            section = message.msgid
        result[index] = Context(
            page=title,
            section=None if kind in (SegmentKind.HEADING, SegmentKind.FRONTMATTER) else section,
            before=active[n - 1][1].msgid if n > 0 else None,
            after=active[n + 1][1].msgid if n + 1 < len(active) else None,
            notes=message.notes,
        )
    return result


def plan(
    language: str,
    catalogs: Mapping[str, Catalog],
    memory: Memory,
    earlier: Mapping[str, Outcome],
    planned: Set[str],
    encode: Callable[[Message], Encoded],
    batches: Callable[[Sequence[str], str], list[tuple[int, ...]]],
    engine: Engine,
) -> tuple[Plan, dict[str, Catalog]]:
    """The plan for ``catalogs`` (page ref → catalog), and the catalogs that changed (memory reuse and
    ``earlier`` outcomes applied). Keys of ``earlier`` and ``planned`` are source hashes: a text planned
    earlier in the run whose outcome is not known (a dry run) is not planned again. ``encode`` gives an
    entry's XML (by its kind's rule); ``batches`` groups texts of one context within the limits.
    Pseudo-localised entries are planned (they are missing), except by the pseudo engine itself."""
    reused = 0
    waiting: dict[tuple[str, Encoded, str], list[tuple[str, int]]] = {}
    contexts: dict[tuple[str, Encoded, str], Context] = {}
    changed: dict[str, Catalog] = {}
    for ref, catalog in catalogs.items():
        messages = list(catalog.messages)
        touched = False
        page_contexts: list[Context] | None = None
        for index, message in enumerate(messages):
            if not wanted(message, engine):
                continue
            reviewed = memory.exact(message.msgid)
            outcome = earlier.get(source_hash(message.msgid)) if reviewed is None else None
            if reviewed is not None:
                messages[index] = apply_machine(message, reviewed, "memory", None, ())
                reused += 1
            elif outcome is not None:  # translated for an earlier chunk of this run: not billed again
                messages[index] = outcome.apply(message, engine.name)
            elif source_hash(message.msgid) not in planned:
                key = (message.msgid, encode(message), "\n".join(context_of(message)))
                waiting.setdefault(key, []).append((ref, index))
                if engine.context and key not in contexts:
                    page_contexts = page_contexts or contexts_of(catalog.messages)
                    found = engine.terms(message.msgid)
                    contexts[key] = replace(page_contexts[index], terms=found)
                continue
            else:
                continue
            touched = True
        if touched:
            changed[ref] = replace(catalog, messages=tuple(messages))
    jobs = tuple(
        Job(
            msgid,
            encoded,
            tuple(entries),
            memory.suggestion(msgid),
            context,
            contexts.get((msgid, encoded, context)),
            engine.request(msgid),
        )
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
