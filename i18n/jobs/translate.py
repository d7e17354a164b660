"""``translate``: machine-translate the entries that need it, checked, saved as the answers arrive.

Data flow: a first pass over every catalog (the state file's summaries spare reading most) builds each
language's translation memory from reviewed entries and finds the pages with work. Then pages are taken
in chunks (about :data:`CHUNK_ENTRIES` entries open at a time, over all languages), so memory stays flat:
each chunk's texts are encoded as XML once for all languages, planned per language
(:func:`i18n.mt.plan.plan`: memory reuse, one job per unique text, batches), and sent through one
:class:`~i18n.mt.execute.Executor`. Every answer is decoded and checked before it is stored; a catalog is
written once, as soon as every text it waits for is back. A failure (or an interrupt) stops the run with
every received translation saved, so a re-run continues where it stopped and nothing is billed twice. A
text needed on several pages is sent once per run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from typing import NamedTuple

from ..catalog.model import PSEUDO, Catalog, Message, State
from ..catalog.update import kind_of
from ..checks import check_language, check_numbers, check_translation
from ..clock import Clock, utc_now
from ..config import Config
from ..files import file_digest
from ..mt import Planning
from ..mt.engine import Answer, Engine, EngineError, Translated
from ..mt.execute import STOP_GRACE, Executor, Request
from ..mt.glossary import Glossary, check_terms, terms_in
from ..mt.memory import Memory
from ..mt.plan import MACHINE_STATES, NEEDS, Job, Outcome, Plan, make_batches, plan
from ..mt.plan import Engine as PlanEngine
from ..mt.registry import COST
from ..mt.xmlmarkup import Encoded, MarkupError, decode, encode, encode_message
from ..segments import SegmentKind, source_hash
from . import shard
from .catalogs import read_catalog, write_catalog
from .gate import Gate
from .layout import Source, catalog_path, list_sources
from .progress import Tally
from .state import SEGMENT_DIGEST, SiteState, summarise

CHUNK_ENTRIES = 8000  # entries open at a time over all languages (a page larger than this is a chunk)
_ENTRIES_GUESS = 40  # a page's entries when the state file does not know them
_TAG = re.compile(r"<[^>]+>")
Progress = Callable[[Tally], None]  # the run so far, after each chunk is planned and each answer


@dataclass
class LanguageReport:
    language: str
    texts: int = 0  # unique texts planned for the engine
    characters: int = 0  # their characters (what the engine bills)
    batches: int = 0  # requests planned
    max_requests: int = 0  # the most requests they can make (asking again for what failed included)
    reused: int = 0
    translated: int = 0  # entries that received an engine translation
    rejected: int = 0
    glossary: int = 0  # translations that missed a glossary term
    billed: int = 0
    requests: int = 0
    remaining_texts: int = 0
    remaining_characters: int = 0
    prompt_tokens: int = 0  # what the server reported (chat engines)
    completion_tokens: int = 0
    cost: float | None = None  # when prices are known
    estimated_prompt_tokens: int = 0  # what the plan expects (dry runs, chat engines)
    estimated_completion_tokens: int = 0
    estimated_cost: float | None = None


class TooLarge(NamedTuple):
    """A text that cannot fit one request: where it is, and how large its request would be."""

    language: str
    location: str  # the page, from the project root
    line: int
    size: int  # bytes of the request that would carry it alone (0: refused by the engine)
    limit: int

    def __str__(self) -> str:
        size = f"{self.size} bytes, over the {self.limit}-byte request limit" if self.size else "refused"
        return (
            f"{self.location}:{self.line}: [{self.language}] text too large for one request ({size}): skipped"
        )


@dataclass
class TranslateReport:
    languages: dict[str, LanguageReport] = field(default_factory=dict)
    stopped: EngineError | None = None
    budget_stop: bool = False
    engine: str | None = None  # the engine's name, if one was used
    model: str | None = None  # the chat model, for chat engines
    counting: str | None = None  # how tokens were estimated (chat engines)
    signal: int | None = None  # the signal that interrupted the run
    abandoned: int = 0  # requests in flight when the wait after an interrupt ended: answers lost
    too_large: list[TooLarge] = field(default_factory=list)
    gate: Gate | None = None  # the run's spend gate (i18n.jobs.gate)
    probes: int = 0  # requests a run may spend besides its batches' (see Planning.probes)

    @property
    def max_requests(self) -> int:
        """The most requests the run can make: what a dry run promises, and a run never exceeds."""
        return sum(row.max_requests for row in self.languages.values()) + self.probes

    @property
    def complete(self) -> bool:
        return self.stopped is None and not self.budget_stop

    @property
    def planned_characters(self) -> int:
        """The characters the plan sends (what a characters-billing engine bills), every language."""
        return sum(row.characters for row in self.languages.values())

    @property
    def planned_requests(self) -> int:
        return sum(row.batches for row in self.languages.values())

    @property
    def estimated_prompt_tokens(self) -> int:
        return sum(row.estimated_prompt_tokens for row in self.languages.values())

    @property
    def estimated_completion_tokens(self) -> int:
        return sum(row.estimated_completion_tokens for row in self.languages.values())

    @property
    def estimated_cost(self) -> float | None:
        """The plan's estimated cost, every language; None when no language's cost is known."""
        costs = [row.estimated_cost for row in self.languages.values() if row.estimated_cost is not None]
        return sum(costs) if costs else None

    @property
    def left(self) -> list[LanguageReport]:
        """The languages with texts left untranslated by a run that stopped early."""
        return [row for row in self.languages.values() if row.remaining_texts]


def translate(
    config: Config,
    glossary: Glossary,
    languages: Sequence[str],
    engine: Callable[[], Engine],
    planning: Planning,
    *,
    dry_run: bool = False,
    max_characters: int | None = None,
    max_cost: float | None = None,
    retranslate: bool = False,
    retry_rejected: bool = False,
    clock: Clock = utc_now,
    progress: Progress | None = None,
    engine_name: str | None = None,
    record: Callable[[TranslateReport], object] | None = None,
    grace: float = STOP_GRACE,
    gate: Gate | None = None,
) -> TranslateReport:
    """Translate (or, with ``dry_run``, plan and count without sending or writing) every missing and
    stale entry of ``languages`` (with ``retranslate`` also machine translations whose recorded request
    differs from the engine's now; with ``retry_rejected`` also rejected ones, machine or imported).
    ``engine`` is called when the first text needs it; ``planning`` says
    how the engine measures and batches requests. The budget is ``max_cost`` (money, for a chat engine
    with prices) or ``max_characters``. Pseudo-localised entries count as missing, except for the pseudo
    engine itself: it does not redo them.

    SIGINT and SIGTERM stop the run cleanly (see :meth:`Executor.signals`): nothing more is sent, answers
    in flight are received for up to ``grace`` seconds and saved, and the report says what is left.
    ``record`` is given the report at the end, also when an error ends the run (billing). ``gate``, when
    given, is the budget instead (its limit may come from the account's usage once the engine is made)."""
    budget = max_cost if max_cost is not None else max_characters
    weigh_cost = max_cost is not None
    if gate is not None:
        budget, weigh_cost = gate.limit, gate.unit == COST
    job = _Translation(
        config, glossary, languages, planning, clock, dry_run, retranslate, weigh_cost,
        redo_pseudo=planning.name != PSEUDO, retry=retry_rejected,
    )  # fmt: skip

    def make() -> Engine:
        made = engine()
        if gate is not None:  # a quota gate knows its limit now
            executor.budget = gate.limit
        return made

    executor = Executor(
        make, config.source_language, concurrency=config.concurrency, budget=budget, grace=grace
    )
    report = job.report
    report.gate = gate
    try:
        with nullcontext() if dry_run else executor.signals():
            chunks = list(job.chunks(job.first_pass(), CHUNK_ENTRIES))
            for number, refs in enumerate(chunks, start=1):
                job.planned_all = number == len(chunks)
                job.chunk(refs, executor, progress)
    finally:  # an unexpected error: what was received is still written, and what was billed recorded
        job.save_all()
        if not dry_run:
            job.state.save()
        report.stopped, report.budget_stop, report.engine = (
            executor.stopped,
            executor.budget_reached,
            executor.name or engine_name,
        )
        report.signal, report.abandoned = executor.signal, len(executor.abandoned)
        report.model = planning.model
        report.probes = planning.probes
        if record is not None:
            record(report)
    if planning.counting is not None and dry_run:
        report.counting = planning.counting()
    return report


@dataclass
class _Open:
    """A catalog being translated: as read, as it is now, and how many entries still wait."""

    source: Source
    original: Catalog
    current: Catalog
    waiting: int = 0
    dirty: bool = False


class _Translation:
    def __init__(
        self,
        config: Config,
        glossary: Glossary,
        languages: Sequence[str],
        planning: Planning,
        clock: Clock,
        dry_run: bool,
        retranslate: bool,
        weigh_cost: bool,
        *,
        redo_pseudo: bool = True,
        retry: bool = False,
    ) -> None:
        self.redo_pseudo, self.retry = redo_pseudo, retry
        self.config, self.glossary, self.languages = config, glossary, tuple(languages)
        self.planning, self.clock, self.dry_run = planning, clock, dry_run
        self.retranslate, self.weigh_cost = retranslate, weigh_cost
        self.sources = {source.ref: source for source in list_sources(config)}
        self.state = SiteState(config)
        self.report = TranslateReport({lang: LanguageReport(lang) for lang in self.languages})
        self.memories = {lang: Memory(config.memory_threshold) for lang in self.languages}
        self.needs: dict[str, set[str]] = {lang: set() for lang in self.languages}  # language -> refs
        self.shared: dict[str, set[int]] = {}  # short hashes of texts needed by several entries
        self.earlier: dict[str, dict[str, Outcome]] = {lang: {} for lang in self.languages}
        self.planned: dict[str, set[str]] = {lang: set() for lang in self.languages}  # shared texts sent
        self.open: dict[tuple[str, str], _Open] = {}
        self.expected = 0  # unique texts the first pass expects to plan (an upper bound)
        self.planned_all = False  # the chunk being worked on is the last
        self.answered = 0  # texts answered

    def tally(self) -> Tally:
        """The run so far, for progress."""
        rows = self.report.languages.values()
        planned = sum(row.texts for row in rows)
        costs = [row.cost for row in rows if row.cost is not None]
        return Tally(
            self.answered,
            planned if self.planned_all else max(planned, self.expected),
            sum(row.requests for row in rows),
            sum(row.billed for row in rows),
            sum(row.prompt_tokens for row in rows),
            sum(row.completion_tokens for row in rows),
            sum(costs) if costs else None,
            tokens=self.planning.model is not None,
        )

    # -- the first pass: memory and the pages with work --------------------------------------------------
    def first_pass(self) -> list[str]:
        """Fill each language's memory and find the pages with work (in page order). A catalog the state
        file summarises, unchanged since, with no reviewed entry is not parsed."""
        for language in self.languages:
            pending: Counter[int] = Counter()  # short source hash -> entries (an upper bound)
            for ref in self.sources:
                path = catalog_path(self.config, language, ref)
                summary = self.state.summary(ref, language, file_digest(path))
                record = self.state.page(ref)
                if summary is not None and record is not None and not summary.count(State.REVIEWED):
                    redo = self.redo_pseudo
                    needing = summary.needing - (0 if redo else summary.pseudo)
                    again = MACHINE_STATES if self.retranslate else (State.REJECTED,) if self.retry else ()
                    if needing or any(map(summary.count, again)):
                        self.needs[language].add(ref)
                        hashes = record.segments
                        aligned = len(hashes) == len(summary.states)
                        work = NEEDS + again
                        pending.update(
                            int(digest, 16)
                            for i, digest in enumerate(hashes)
                            if not aligned
                            or (summary.state(i) in work and (redo or not summary.is_pseudo(i)))
                        )
                    continue
                if not path.exists():
                    continue
                for message in read_catalog(path, ref, language).active:
                    state = message.state
                    if state is State.REVIEWED:
                        self.memories[language].add(message.msgid, message.msgstr)
                    elif (
                        (state in NEEDS and (self.redo_pseudo or not message.pseudo))
                        or (self.retranslate and state in MACHINE_STATES)
                        or (self.retry and state is State.REJECTED)
                    ):
                        pending[_short(message.msgid)] += 1
                        self.needs[language].add(ref)
            self.shared[language] = {digest for digest, count in pending.items() if count > 1}
            self.expected += len(pending)
        needed = [ref for ref in self.sources if any(ref in self.needs[lang] for lang in self.languages)]
        return shard.select_refs(self.config, needed)  # --shard K/N: its own pages (memory from all)

    def chunks(self, refs: Sequence[str], entries: int) -> Iterator[list[str]]:
        """``refs`` in page order, in runs of about ``entries`` entries over the languages that need
        each page (the state file's segment counts): what one chunk holds in memory, whatever the pages'
        sizes. Every run has at least one page."""
        run: list[str] = []
        size = 0
        for ref in refs:
            record = self.state.page(ref)
            segments = len(record.segments) if record is not None else _ENTRIES_GUESS
            weight = max(1, segments) * sum(ref in self.needs[lang] for lang in self.languages)
            if run and size + weight > entries:
                yield run
                run, size = [], 0
            run.append(ref)
            size += weight
        if run:
            yield run

    # -- one chunk of pages --------------------------------------------------------------------------
    def chunk(self, refs: Sequence[str], executor: Executor, progress: Progress | None) -> None:
        encoded: dict[tuple[bool, str], Encoded] = {}  # language-independent: once per text and rule

        def encoding(message: Message) -> Encoded:
            plain = kind_of(message) is SegmentKind.MESSAGE  # a UI message is not markdown
            key = (plain, message.msgid)
            if key not in encoded:
                rule = encode_message if plain else encode
                encoded[key] = rule(message.msgid, keep=self.glossary.keep)
            return encoded[key]

        requests: list[Request] = []
        for language in self.languages:
            catalogs = {}
            for ref in refs:
                if ref in self.needs[language]:
                    catalog = read_catalog(catalog_path(self.config, language, ref), ref, language)
                    self.open[(language, ref)] = _Open(self.sources[ref], catalog, catalog)
                    catalogs[ref] = catalog
            batches = partial(self._batches, language=language)
            memory, earlier, planned = self.memories[language], self.earlier[language], self.planned[language]
            chunk_plan, changed = plan(
                language, catalogs, memory, earlier, planned, encoding, batches, self._engine(language)
            )
            shared = self.shared[language]
            planned.update(source_hash(job.msgid) for job in chunk_plan.jobs if _short(job.msgid) in shared)
            for ref, catalog in changed.items():
                opened = self.open[(language, ref)]
                opened.current, opened.dirty = catalog, True
            for job in chunk_plan.jobs:
                for ref, _ in job.entries:
                    self.open[(language, ref)].waiting += 1
            row = self.report.languages[language]
            row.reused += chunk_plan.reused
            row.texts += len(chunk_plan.jobs)
            row.characters += chunk_plan.characters
            row.batches += len(chunk_plan.batches)
            most = self.planning.max_requests or (lambda count: 1)
            row.max_requests += sum(most(len(batch)) for batch in chunk_plan.batches)
            ignore = tuple(sorted({tag for job in chunk_plan.jobs for tag in job.encoded.ignore_tags}))
            for batch in chunk_plan.batches:
                if len(batch) == 1 and (size := self._alone(chunk_plan.jobs[batch[0]], language)):
                    self._too_large(chunk_plan, batch[0], size)  # cannot fit any request: not sent
                    continue
                texts = tuple(chunk_plan.jobs[i].encoded.xml for i in batch)
                context = chunk_plan.jobs[batch[0]].context  # one per batch
                around = chunk_plan.contexts(batch)
                request = Request(language, texts, ignore, chunk_plan, batch, context, around)
                requests.append(self._estimated(request, row))
        if not self.dry_run:
            self.save_all()  # memory reuse is kept even if the engine fails below
            if progress is not None:
                progress(self.tally())

            def receive(request: Request, answer: Answer) -> None:
                chunk_plan: Plan = request.tag  # type: ignore[assignment]
                batch: tuple[int, ...] = request.refs  # type: ignore[assignment]
                self._receive(chunk_plan, batch, answer, executor.name or self.planning.name)
                self.answered += sum(text is not None for text in answer.texts)
                if progress is not None:
                    progress(self.tally())

            def skip(request: Request, error: EngineError) -> None:
                chunk_plan: Plan = request.tag  # type: ignore[assignment]
                (index,) = request.refs
                self._too_large(chunk_plan, index, 0)  # type: ignore[arg-type]

            unsent = executor.run(requests, receive, skip)
        else:
            unsent = requests  # counted below as what a run would send
        for request in unsent if not self.dry_run else ():
            row = self.report.languages[request.language]
            row.remaining_texts += len(request.texts)
            row.remaining_characters += request.characters
        self.save_all()
        self.open.clear()

    def _alone(self, job: Job, language: str) -> int:
        """The size of the request ``job``'s text needs alone, if that is over the limit (else 0)."""
        size = self.planning.size(
            [job.encoded.xml], self.config.source_language, language, context=job.context
        )
        return size if size > self.planning.max_size else 0

    def _too_large(self, chunk_plan: Plan, index: int, size: int) -> None:
        """A text no request can carry: reported at each entry waiting for it, which stays as it is."""
        language, job = chunk_plan.language, chunk_plan.jobs[index]
        row = self.report.languages[language]
        row.texts -= 1
        row.characters -= job.characters
        row.batches -= bool(size)  # (a request refused by the engine was sent)
        for ref, position in job.entries:
            opened = self.open[(language, ref)]
            opened.waiting -= 1
            message = opened.current.messages[position]
            line = message.locations[0][1] if message.locations else message.line
            limit = self.planning.max_size
            self.report.too_large.append(TooLarge(language, opened.source.location, line, size, limit))
            if opened.waiting <= 0:
                self._save(language, ref)

    def _engine(self, language: str) -> PlanEngine:
        """The engine as planning into ``language`` sees it."""
        key, model = self.planning.key, self.planning.model

        def request(text: str) -> str | None:
            return None if key is None else f"{key(text, language)} {model}"

        def terms(text: str) -> tuple[tuple[str, str], ...]:
            return terms_in(self.glossary, text, language)

        context, retranslate = self.planning.context, self.retranslate
        return PlanEngine(self.planning.name, request, context, retranslate, retry=self.retry, terms=terms)

    def _estimated(self, request: Request, row: LanguageReport) -> Request:
        """``request`` weighed in money when the budget is a cost; a dry run's estimates counted."""
        estimate = self.planning.estimate
        if estimate is None or not (self.dry_run or self.weigh_cost):
            return request
        expected = estimate(request)
        if self.dry_run:
            row.estimated_prompt_tokens += expected.prompt_tokens
            row.estimated_completion_tokens += expected.completion_tokens
            if expected.cost is not None:
                row.estimated_cost = (row.estimated_cost or 0.0) + expected.cost
        if self.weigh_cost:
            return replace(request, weight=expected.cost or 0.0)
        return request

    def _batches(self, texts: Sequence[str], context: str, *, language: str) -> list[tuple[int, ...]]:
        source, size = self.config.source_language, self.planning.size
        overhead = size([], source, language, context=context)
        return make_batches(
            texts,
            overhead=overhead,
            cost=lambda text: size([text], source, language, context=context) - overhead + 2,  # a separator
            max_texts=self.planning.max_texts,
            max_bytes=self.planning.max_size,
        )

    def _receive(self, chunk_plan: Plan, batch: tuple[int, ...], answer: Answer, origin: str) -> None:
        """Apply a batch's answers; write the catalogs that wait for nothing more. A text without an
        answer (the engine stopped part-way) is left as it was, counted as remaining."""
        language = chunk_plan.language
        row = self.report.languages[language]
        row.requests += answer.calls
        row.prompt_tokens += answer.prompt_tokens
        row.completion_tokens += answer.completion_tokens
        if answer.cost is not None:
            row.cost = (row.cost or 0.0) + answer.cost
        updates: dict[str, dict[int, Message]] = {}
        for index, translated in zip(batch, answer.texts, strict=True):
            job = chunk_plan.jobs[index]
            if translated is None:
                row.remaining_texts += 1
                row.remaining_characters += job.characters
                continue
            row.billed += translated.billed
            outcome = self._outcome(job, translated, language)
            if _short(job.msgid) in self.shared[language]:  # later chunks take it from here
                self.earlier[language][source_hash(job.msgid)] = outcome
            for ref, position in job.entries:
                opened = self.open[(language, ref)]
                changes = updates.setdefault(ref, {})
                old = changes.get(position) or opened.current.messages[position]
                changes[position] = outcome.apply(old, origin)
                opened.waiting -= 1
                row.translated += 1
                row.rejected += outcome.rejected is not None
                row.glossary += bool(outcome.missed)
        for ref, changes in updates.items():
            opened = self.open[(language, ref)]
            merged = tuple(changes.get(i, m) for i, m in enumerate(opened.current.messages))
            opened.current, opened.dirty = replace(opened.current, messages=merged), True
            if opened.waiting <= 0:
                self._save(language, ref)

    def _outcome(self, job: Job, answer: Translated, language: str) -> Outcome:
        ref, position = job.entries[0]
        kind = kind_of(self.open[(language, ref)].current.messages[position])
        return judge(job, answer, kind, self.glossary, language)

    # -- saving ------------------------------------------------------------------------------------------
    def _save(self, language: str, ref: str) -> None:
        opened = self.open[(language, ref)]
        if not opened.dirty or self.dry_run:
            return
        opened.dirty = False
        written = write_catalog(self.config, opened.current, opened.source, opened.original, self.clock)
        opened.original = opened.current = written.catalog  # with a translator's edits since, if any
        summary = summarise(written.catalog.messages)
        self.state.record_catalog(ref, language, written.catalog.digest, summary)

    def save_all(self) -> None:
        for language, ref in sorted(self.open):
            self._save(language, ref)


def judge(job: Job, answer: Translated, kind: SegmentKind, glossary: Glossary, language: str) -> Outcome:
    """Decode and check an engine's answer for ``job``: a translation that fails is kept as *rejected*,
    never used. Of several candidates (a review pass) the first that passes is kept, the others become
    suggestions."""
    if answer.rejected is not None:  # the engine found no usable answer
        text = _TAG.sub("", answer.text).strip()
        return Outcome(text, answer.rejected, (), job.suggestion, request=job.request)
    checked = [_check(job, xml, kind, language) for xml in (answer.text, *answer.alternatives)]
    best = next((c for c in checked if not c[1]), checked[0])
    text, problems = best
    others = tuple(dict.fromkeys(c[0] for c in checked if c is not best and c[0] != text and c[0]))
    missed = check_terms(glossary, job.msgid, text, language) if not problems else ()
    return Outcome(text, "; ".join(problems) or None, missed, job.suggestion, others, job.request)


def _check(job: Job, xml: str, kind: SegmentKind, language: str) -> tuple[str, list[str]]:
    try:
        text = decode(job.encoded, xml)
        problems = [str(v) for v in check_translation(job.msgid, text, kind, machine=True)]
        if not problems:  # a changed number or a wrong language is never built
            found = (check_numbers(job.msgid, text), check_language(job.msgid, text, language))
            problems = [str(v) for v in found if v is not None]
    except MarkupError as error:
        text, problems = _TAG.sub("", xml), [f"markup: {error.message}"]
    return text, problems


def _short(msgid: str) -> int:
    """A text's source hash shortened as the state file keeps it, as an int (compact in large sets)."""
    return int(source_hash(msgid)[:SEGMENT_DIGEST], 16)
