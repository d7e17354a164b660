"""Machine translation of catalog entries: memory first, then the engine in checked, resumable batches.

Data flow per language: catalogs → entries that need a translation (missing or stale) → exact reuse of a
reviewed translation of the same text (no engine call) → unique texts encoded as DeepL XML → batches
(≤ ``batch_max_texts`` texts, ≤ ``batch_max_bytes`` of JSON) → engine → decode + checks → catalogs,
each written atomically once, as soon as every text it waits for is back. A failure (or an interrupt)
stops the run with every received translation saved, so a re-run continues where it stopped and nothing
is billed twice.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz, process

from .catalog import Catalog, Message, State
from .checks import check_translation
from .config import Config
from .engines import Engine, EngineError, Translated, deepl_language
from .glossary import Glossary, check_terms
from .po import read_catalog
from .project import (
    SEGMENT_DIGEST,
    Clock,
    Summaries,
    catalog_counts,
    catalog_path,
    list_pages,
    utc_now,
    write_catalog,
)
from .segments import SegmentKind, source_hash
from .update import kind_of
from .xmlmarkup import Encoded, MarkupError, decode, encode

_NEEDS = (State.MISSING, State.STALE)
CHUNK_PAGES = 200  # pages planned and translated at a time
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Job:
    """One unique source text to translate into one language, and the entries waiting for it."""

    msgid: str
    encoded: Encoded
    entries: tuple[tuple[str, int], ...]  # (page ref, message index)
    suggestion: str | None = None  # closest reviewed translation from memory, for the translator

    @property
    def characters(self) -> int:
        return len(self.encoded.xml)


@dataclass(frozen=True)
class Plan:
    """What translating ``language`` takes: memory reuse, and engine jobs in request batches."""

    language: str
    reused: int
    jobs: tuple[Job, ...]
    batches: tuple[tuple[int, ...], ...]

    @property
    def characters(self) -> int:
        return sum(job.characters for job in self.jobs)


@dataclass
class LanguageReport:
    language: str
    reused: int = 0
    translated: int = 0  # entries that received an engine translation
    rejected: int = 0
    glossary: int = 0  # translations that missed a glossary term
    billed: int = 0
    requests: int = 0
    remaining_texts: int = 0
    remaining_characters: int = 0


@dataclass
class TranslateReport:
    languages: dict[str, LanguageReport] = field(default_factory=dict)
    stopped: EngineError | None = None
    budget_stop: bool = False


def request_bytes(texts: Sequence[str], target: str) -> int:
    """Size of the JSON body the DeepL client sends for ``texts`` (non-ASCII escaped, as measured)."""
    body = {
        "text": list(texts),
        "target_lang": deepl_language(target, target=True),
        "source_lang": "EN",
        "tag_handling": "xml",
        "ignore_tags": ["x"],
        "non_splitting_tags": ["a", "img", "em", "strong", "s", "span", "br", "x"],
        "outline_detection": False,
        "split_sentences": "nonewlines",
        "preserve_formatting": True,
        "glossary_id": "0" * 36,
        "show_billed_characters": True,
    }
    return len(json.dumps(body).encode("ascii"))


def make_batches(
    texts: Sequence[str], target: str, *, max_texts: int, max_bytes: int
) -> list[tuple[int, ...]]:
    """Consecutive groups of text indexes within both limits (a single oversized text goes alone)."""
    overhead = request_bytes([], target)
    batches: list[tuple[int, ...]] = []
    current: list[int] = []
    size = overhead
    for index, text in enumerate(texts):
        cost = len(json.dumps(text).encode("ascii")) + 2  # the string and a separator
        if current and (len(current) >= max_texts or size + cost > max_bytes):
            batches.append(tuple(current))
            current, size = [], overhead
        current.append(index)
        size += cost
    if current:
        batches.append(tuple(current))
    return batches


class Translation:
    """A translation run over one project: plans per language, then executes them."""

    def __init__(self, config: Config, glossary: Glossary, *, clock: Clock = utc_now) -> None:
        self.config = config
        self.glossary = glossary
        self.clock = clock
        self.pages = {page.ref: page for page in list_pages(config)}
        self.catalogs: dict[tuple[str, str], Catalog] = {}
        self.originals: dict[tuple[str, str], Catalog] = {}
        self.dirty: set[tuple[str, str]] = set()
        self.waiting: Counter[tuple[str, str]] = Counter()  # catalog -> entries still waiting for the engine
        self.touched: dict[str, dict[str, tuple[int, int]]] = {}  # written: page ref -> language -> counts
        self.summaries = Summaries(config)
        self.shared: dict[str, set[int]] = {}  # short hashes of texts needed by several entries
        self.sent: dict[str, set[str]] = {}  # of those, the source hashes sent (or planned) in this run
        self.results: dict[str, dict[str, tuple[str, str | None, tuple[str, ...], str | None]]] = {}
        self.origin = "engine"

    # -- planning ------------------------------------------------------------------------------------
    def plans(self, language: str, *, chunk: int | None = None) -> Iterator[Plan]:
        """The work for ``language``, in plans of at most ``chunk`` pages, so memory stays flat.

        A first pass reads every catalog with reviewed entries once, for the translation memory, and
        finds the pages with work (a catalog the state file summarises, unchanged since, with no reviewed
        entry is not parsed); a text needed on several pages is sent once per run, and later plans take
        its result.
        """
        memory: dict[str, tuple[str, str]] = {}  # source hash -> (msgid, msgstr) of reviewed entries
        pending: Counter[int] = Counter()  # short source hash -> entries (an upper bound)
        busy: list[str] = []
        for ref in self.pages:
            summary = self.summaries.get(ref, language)
            if summary is not None and not summary.reviewed:
                if summary.needing:
                    busy.append(ref)
                    pending.update(int(digest, 16) for digest in summary.segments)
                continue
            catalog = self._read(language, ref)
            needs = False
            for message in catalog.active:
                state = message.state
                if state is State.REVIEWED:
                    memory.setdefault(source_hash(message.msgid), (message.msgid, message.msgstr))
                elif state in _NEEDS:
                    pending[_short(source_hash(message.msgid))] += 1
                    needs = True
            if needs:
                busy.append(ref)
        self.shared[language] = {digest for digest, count in pending.items() if count > 1}
        del pending
        self.results[language] = {}
        self.sent[language] = set()
        choices = [msgid for msgid, _ in memory.values()]
        translations = [msgstr for _, msgstr in memory.values()]
        size = chunk or CHUNK_PAGES
        for start in range(0, len(busy), size):
            yield self._plan(language, busy[start : start + size], memory, (choices, translations))
        for table in (self.sent, self.shared, self.results):  # this language is done: free its tables
            table.pop(language, None)

    def plan(self, language: str) -> Plan:
        """All the work for ``language`` as one plan (small sites, tests)."""
        plans = list(self.plans(language, chunk=max(1, len(self.pages))))
        return plans[0] if plans else Plan(language, 0, (), ())

    def _plan(
        self,
        language: str,
        refs: Sequence[str],
        memory: dict[str, tuple[str, str]],
        suggest: tuple[list[str], list[str]],
    ) -> Plan:
        reused = 0
        waiting: dict[str, list[tuple[str, int]]] = {}
        sent, results, shared = self.sent[language], self.results[language], self.shared[language]
        for ref in refs:
            catalog = self._catalog(language, ref)
            messages = list(catalog.messages)
            changed = False
            for index, message in enumerate(messages):
                if message.obsolete or message.state not in _NEEDS:
                    continue
                digest = source_hash(message.msgid)
                if digest in memory:
                    messages[index] = apply_machine(message, memory[digest][1], "memory", None, ())
                    reused += 1
                    changed = True
                elif digest in results:  # sent for an earlier plan of this run: not billed again
                    text, rejected, missed, suggestion = results[digest]
                    messages[index] = apply_machine(message, text, self.origin, rejected, missed, suggestion)
                    changed = True
                elif digest not in sent:
                    waiting.setdefault(message.msgid, []).append((ref, index))
            if changed:
                self.catalogs[(language, ref)] = replace(catalog, messages=tuple(messages))
                self.dirty.add((language, ref))
        choices, translations = suggest
        keep = self.glossary.keep
        jobs = []
        for msgid, entries in waiting.items():
            digest = source_hash(msgid)
            if _short(digest) in shared:  # a text needed once is never looked up again
                sent.add(digest)
            for ref, _ in entries:
                self.waiting[(language, ref)] += 1
            suggestion = None
            if choices:
                best = process.extractOne(
                    msgid, choices, scorer=fuzz.ratio, score_cutoff=self.config.memory_threshold
                )
                if best is not None:
                    suggestion = f"memory {best[1]:.0f}%: {translations[best[2]]}"
            jobs.append(Job(msgid, encode(msgid, keep=keep), tuple(entries), suggestion))
        batches = make_batches(
            [job.encoded.xml for job in jobs],
            language,
            max_texts=self.config.batch_max_texts,
            max_bytes=self.config.batch_max_bytes,
        )
        return Plan(language, reused, tuple(jobs), tuple(batches))

    def _read(self, language: str, ref: str) -> Catalog:
        return read_catalog(catalog_path(self.config, language, ref), ref, language)

    def _catalog(self, language: str, ref: str) -> Catalog:
        key = (language, ref)
        if key not in self.catalogs:
            catalog = self._read(language, ref)
            self.catalogs[key] = self.originals[key] = catalog
        return self.catalogs[key]

    # -- execution ---------------------------------------------------------------------------------------
    def run(
        self,
        engine: Callable[[], Engine],
        plans: Iterable[Plan],
        *,
        max_characters: int | None = None,
        progress: Callable[[str, int, int], None] | None = None,
    ) -> TranslateReport:
        """Translate every plan's jobs; stop at the first engine failure or at the character budget.

        ``engine`` is called once, when the first text needs it (a run with only memory reuse needs no
        key). Plans may be produced lazily: each language's catalogs are released once it is done.
        """
        report = TranslateReport()
        spent = 0
        ready: list[Engine] = []
        try:
            for plan in plans:
                lang = report.languages.setdefault(plan.language, LanguageReport(plan.language))
                lang.reused += plan.reused
                self.save(plan.language)  # memory reuse is kept even if the engine fails below
                todo = list(plan.batches)
                if todo and report.stopped is None and not report.budget_stop:
                    if not ready:
                        ready.append(engine())
                        self.origin = ready[0].name
                    spent = self._run_language(
                        ready[0], plan, todo, lang, report, spent, max_characters, progress
                    )
                lang.remaining_texts += sum(len(batch) for batch in todo)
                lang.remaining_characters += sum(plan.jobs[i].characters for batch in todo for i in batch)
                self.release(plan.language)
        finally:  # an interrupt or an unexpected error: what was received is still written
            for language in sorted({key[0] for key in self.dirty}):
                self.save(language)
        return report

    def release(self, language: str, *, save: bool = True) -> None:
        """Forget a language's catalogs (saved first, unless ``save`` is false): memory stays flat."""
        if save:
            self.save(language)
        for key in [key for key in self.catalogs if key[0] == language]:
            del self.catalogs[key]
            self.originals.pop(key, None)
            self.dirty.discard(key)
            self.waiting.pop(key, None)

    def _run_language(
        self,
        engine: Engine,
        plan: Plan,
        todo: list[tuple[int, ...]],
        lang: LanguageReport,
        report: TranslateReport,
        spent: int,
        max_characters: int | None,
        progress: Callable[[str, int, int], None] | None,
    ) -> int:
        ignore = sorted({tag for job in plan.jobs for tag in job.encoded.ignore_tags})
        running: dict[Future[list[Translated]], tuple[int, ...]] = {}
        done_batches = 0
        with ThreadPoolExecutor(max_workers=self.config.concurrency) as pool:
            while todo or running:
                while todo and len(running) < self.config.concurrency and report.stopped is None:
                    batch = todo[0]
                    cost = sum(plan.jobs[i].characters for i in batch)
                    if max_characters is not None and spent + cost > max_characters:
                        report.budget_stop = True
                        break
                    todo.pop(0)
                    spent += cost
                    texts = [plan.jobs[i].encoded.xml for i in batch]
                    future = pool.submit(
                        engine.translate,
                        texts,
                        self.config.source_language,
                        plan.language,
                        ignore_tags=ignore,
                    )
                    running[future] = batch
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    batch = running.pop(future)
                    try:
                        results = future.result()
                    except EngineError as error:
                        report.stopped = report.stopped or error
                        todo.insert(0, batch)
                        continue
                    lang.requests += 1
                    complete = self._receive(plan, batch, results, lang)
                    self.save(plan.language, complete)  # each catalog is written once it is complete
                    done_batches += 1
                    if progress is not None:
                        progress(plan.language, done_batches, len(plan.batches))
        return spent

    def _receive(
        self, plan: Plan, batch: tuple[int, ...], results: list[Translated], lang: LanguageReport
    ) -> set[tuple[str, str]]:
        """Apply a batch's results; returns the catalogs that wait for nothing more."""
        updates: dict[tuple[str, str], dict[int, Message]] = {}
        for index, result in zip(batch, results, strict=True):
            job = plan.jobs[index]
            lang.billed += result.billed
            try:
                text = decode(job.encoded, result.text)
                problems = [
                    str(v) for v in check_translation(job.msgid, text, self._kind(plan, job), machine=True)
                ]
            except MarkupError as error:
                text, problems = _strip_tags(result.text), [f"markup: {error.message}"]
            missed = check_terms(self.glossary, job.msgid, text, plan.language) if not problems else ()
            digest = source_hash(job.msgid)
            rejected = "; ".join(problems) or None
            if _short(digest) in self.shared.get(plan.language, ()):  # later plans take it from here
                self.results[plan.language][digest] = (text, rejected, missed, job.suggestion)
            for ref, position in job.entries:
                key = (plan.language, ref)
                messages = updates.setdefault(key, {})
                old = messages.get(position) or self.catalogs[key].messages[position]
                messages[position] = apply_machine(old, text, self.origin, rejected, missed, job.suggestion)
                self.waiting[key] -= 1
                lang.translated += 1
                lang.rejected += bool(problems)
                lang.glossary += bool(missed)
        for key, changed in updates.items():
            catalog = self.catalogs[key]
            merged = [changed.get(i, message) for i, message in enumerate(catalog.messages)]
            self.catalogs[key] = replace(catalog, messages=tuple(merged))
            self.dirty.add(key)
        complete = {key for key in updates if self.waiting[key] <= 0}
        for key in complete:
            del self.waiting[key]
        return complete

    def _kind(self, plan: Plan, job: Job) -> SegmentKind:
        ref, position = job.entries[0]
        return kind_of(self.catalogs[(plan.language, ref)].messages[position])

    def save(self, language: str, only: set[tuple[str, str]] | None = None) -> list[Path]:
        """Write the catalogs of ``language`` (of them, those in ``only``) changed since read or saved."""
        written = []
        for key in sorted(k for k in self.dirty if k[0] == language and (only is None or k in only)):
            self.dirty.discard(key)
            catalog, ref = self.catalogs[key], key[1]
            path = catalog_path(self.config, language, ref)
            if write_catalog(
                self.config, catalog, self.pages[ref], path, self.originals[key], self.clock, False
            ):
                written.append(path)
                self.touched.setdefault(ref, {})[language] = catalog_counts(catalog)
            self.originals[key] = catalog
        return written


def _short(digest: str) -> int:
    """A source hash shortened as the state file keeps it, as an int (compact in large sets)."""
    return int(digest[:SEGMENT_DIGEST], 16)


def apply_machine(
    message: Message,
    text: str,
    origin: str,
    rejected: str | None,
    missed: Sequence[str],
    suggestion: str | None = None,
) -> Message:
    """A machine (or memory) translation for ``message``: unreviewed, never replacing a human's words.

    A stale message's old translation becomes a suggestion for the translator.
    """
    suggestions = list(message.suggestions)
    if message.msgstr and message.state is State.STALE and message.msgstr not in suggestions:
        suggestions.insert(0, message.msgstr)
    if suggestion and suggestion not in suggestions:
        suggestions.append(suggestion)
    return replace(
        message,
        msgstr=text,
        fuzzy=True,
        previous=None,
        source_hash=source_hash(message.msgid),
        origin=origin,
        rejected=rejected,
        glossary=tuple(missed),
        suggestions=tuple(suggestions),
    )


def _strip_tags(xml: str) -> str:
    return _TAG.sub("", xml)
