"""Executing requests: an engine, ``concurrency`` requests in flight, a budget, a clean stop.

The executor knows nothing of catalogs or of any one engine: it sends :class:`Request`\\ s and hands each
answer to the caller as it arrives (in the caller's thread), so the caller can save as it goes. What it
does with a failure is said by the failure's :class:`~i18n.mt.engine.FailureKind`:

- a request too large for the engine (``TOO_LARGE``, a 413) is split in two and sent again; a single text
  that is still too large is handed to the caller's ``skip`` and the rest goes on;
- any other failure (after the engine's own retries), the budget, or a stop (:meth:`Executor.stop`, which
  SIGINT and SIGTERM call inside :meth:`Executor.signals`) stops it: nothing more is sent, the answers of
  the requests already in flight are still received for up to ``grace`` seconds (a second signal stops
  waiting), and every request not answered is returned to the caller as left.

An engine that stops part-way through a batch (it makes several calls per batch) answers for what it
received; the rest of the batch is left for a later run. Requests run in daemon threads, so a request whose
answer never comes cannot keep the process alive.

The budget is in the units of :attr:`Request.weight`: characters for DeepL, money for a chat model with
prices (an estimate before sending, settled to the answer's cost when it arrives).
"""

from __future__ import annotations

import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import count
from queue import Empty, SimpleQueue
from types import FrameType
from typing import cast

from ..secret import clean, environment_secrets, holds_secret, scrub
from .engine import Answer, Context, Engine, EngineError, FailureKind, Translated

STOP_GRACE = 5.0  # seconds the answers in flight are waited for after a stop
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True)
class Request:
    """One engine call: ``texts`` (XML) into ``language``; ``tag`` is the caller's own reference, ``refs``
    (if given) one reference per text; ``context`` what the engine is told about every text (not
    translated, not billed); ``contexts`` each text's surroundings (or none); ``weight`` what it is
    expected to spend of the budget (None: its characters). Per-text fields follow the texts when a
    request is split."""

    language: str
    texts: tuple[str, ...]
    ignore_tags: tuple[str, ...]
    tag: object = None
    refs: tuple[object, ...] = ()
    context: str = ""
    contexts: tuple[Context, ...] = ()
    weight: float | None = None

    @property
    def characters(self) -> int:
        return sum(len(text) for text in self.texts)

    @property
    def expected(self) -> float:
        return float(self.characters) if self.weight is None else self.weight

    def split(self) -> tuple[Request, Request]:
        """Two requests of half the texts each (a request of at least two texts)."""
        half = len(self.texts) // 2

        def part(piece: slice, share: float) -> Request:
            return replace(
                self,
                texts=self.texts[piece],
                refs=self.refs[piece],
                contexts=self.contexts[piece],
                weight=None if self.weight is None else self.weight * share,
            )

        share = half / len(self.texts)
        return part(slice(None, half), share), part(slice(half, None), 1 - share)


Receive = Callable[[Request, Answer], None]
Skip = Callable[[Request, EngineError], None]  # a single text the engine refuses as too large
_WAKE = object()  # put on the answer queue to wake the waiting loop (a stop)
_Answer = tuple[int, Answer | None, BaseException | None]


def spent_by(request: Request, answer: Answer) -> float:
    """What ``answer`` spent of the budget: its cost when the request is weighed in money, else the
    characters sent."""
    if request.weight is not None and answer.cost is not None:
        return answer.cost
    return request.expected


class Executor:
    """Sends requests through one engine, made on first need (a run with nothing to send needs no key)."""

    def __init__(
        self,
        engine: Callable[[], Engine],
        source_language: str,
        *,
        concurrency: int,
        budget: float | None = None,
        grace: float = STOP_GRACE,
    ) -> None:
        self._make = engine
        self._engine: Engine | None = None
        self.source_language = source_language
        self.concurrency = concurrency
        self.budget = budget
        self.grace = grace
        self.spent = 0.0  # of the budget: settled answers plus what is in flight
        self.stopped: EngineError | None = None  # why it stopped (the first reason)
        self.budget_reached = False
        self.signal: int | None = None  # the signal that stopped it
        self.abandoned: list[Request] = []  # in flight when the grace ran out: answers never received
        self.skipped: list[Request] = []  # single texts the engine refused as too large
        self._answers: SimpleQueue[_Answer | object] = SimpleQueue()  # put() is safe in a signal handler
        self._ids = count()
        self._hurry = False  # a second signal: stop waiting for answers in flight

    @property
    def name(self) -> str | None:
        """The engine's name, once made."""
        return self._engine.name if self._engine is not None else None

    @property
    def halted(self) -> bool:
        return self.stopped is not None or self.budget_reached

    @property
    def interrupted(self) -> bool:
        return self.stopped is not None and self.stopped.kind is FailureKind.INTERRUPTED

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._make()
        return self._engine

    def stop(self, reason: EngineError) -> None:
        """Send nothing more; answers in flight are still received (for ``grace`` seconds). Safe to call
        from another thread or a signal handler; the first reason is kept."""
        if self.stopped is None:
            self.stopped = reason
        self._answers.put(_WAKE)

    @contextmanager
    def signals(self) -> Iterator[None]:
        """Within this block SIGINT and SIGTERM stop the executor (:meth:`stop`) instead of ending the
        process, so what was paid for is kept; a second signal stops waiting for answers in flight, a
        third raises ``KeyboardInterrupt``. Handlers can only be set in the main thread: elsewhere this
        does nothing."""
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        received = 0

        def handle(signum: int, frame: FrameType | None) -> None:
            nonlocal received
            received += 1
            if received == 1:
                self.signal = signum
                name = signal.Signals(signum).name
                self.stop(EngineError(FailureKind.INTERRUPTED, f"interrupted by {name}"))
            elif received == 2:
                self._hurry = True
                self._answers.put(_WAKE)
            else:
                raise KeyboardInterrupt

        previous = {number: signal.signal(number, handle) for number in _SIGNALS}
        try:
            yield
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def run(self, requests: Sequence[Request], receive: Receive, skip: Skip | None = None) -> list[Request]:
        """Send ``requests`` (in order); returns those left unanswered (after a stop)."""
        todo = deque(requests)
        if not todo or self.halted:
            return list(todo)
        engine = self.engine()
        running: dict[int, Request] = {}
        deadline: float | None = None
        while todo or running:
            while todo and len(running) < self.concurrency and not self.halted:
                request = todo[0]
                if self.budget is not None and self.spent + request.expected > self.budget:
                    self.budget_reached = True
                    break
                todo.popleft()
                self.spent += request.expected
                ident = next(self._ids)
                running[ident] = request
                worker = threading.Thread(target=self._send, args=(engine, ident, request), daemon=True)
                worker.start()
            if not running:
                break
            if self.halted and deadline is None:
                deadline = time.monotonic() + self.grace
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                item = self._answers.get(timeout=0.0 if self._hurry else timeout)
            except Empty:  # the grace is over: what is still in flight is given up
                self.abandoned.extend(running.values())
                todo.extendleft(reversed(running.values()))
                break
            if not isinstance(item, tuple):  # a wake-up
                continue
            ident, answers, error = cast(_Answer, item)
            found = running.pop(ident, None)
            if found is None:  # given up by an earlier run
                continue
            request = found
            if error is None:
                assert answers is not None
                self.spent += spent_by(request, answers) - request.expected
                if answers.stopped is not None:
                    self.stop(answers.stopped)
                receive(request, answers)
                continue
            if not isinstance(error, EngineError):
                raise error  # a bug, not an engine failure: as if it happened here
            self.spent -= request.expected
            if not error.kind.stops:
                if len(request.texts) > 1:
                    todo.extendleft(reversed(request.split()))
                else:
                    self.skipped.append(request)
                    if skip is not None:
                        skip(request, error)
                continue
            self.stop(error)
            todo.appendleft(request)
        return list(todo)

    def _send(self, engine: Engine, ident: int, request: Request) -> None:
        """In a worker thread: one engine call, its answer (or failure) put on the queue, without any
        key the server may have put in it (:func:`without_secrets`)."""
        context = {"context": request.context} if request.context else {}
        try:
            answers = engine.translate(
                list(request.texts),
                self.source_language,
                request.language,
                ignore_tags=list(request.ignore_tags),
                contexts=list(request.contexts),
                stopping=lambda: self.halted,
                **context,
            )
        except EngineError as error:
            self._answers.put((ident, None, _scrubbed_error(error, secrets_of(engine))))
            return
        except BaseException as error:  # handed to the caller's thread, which decides
            self._answers.put((ident, None, error))
            return
        self._answers.put((ident, without_secrets(answers, secrets_of(engine)), None))


KEY_IN_ANSWER = "the answer contains the API key (a hostile or broken server): not used"


def secrets_of(engine: Engine) -> tuple[str, ...]:
    """The forms of every key the engine may hold: its own (``engine.secrets``, or the private
    ``_secrets`` of an engine that does not publish them) and those in the environment."""
    own = getattr(engine, "secrets", None) or getattr(engine, "_secrets", None) or ()
    return tuple(sorted({*own, *environment_secrets()}, key=len, reverse=True))


def without_secrets(answer: Answer, secrets: tuple[str, ...]) -> Answer:
    """``answer`` with no key in any value a server returned: a text or candidate that holds one (as is,
    escaped, encoded, or behind character references) is rejected, its text scrubbed; a stop's message
    is scrubbed. Nothing a server says can then reach a catalog, a page, an archive or the output."""
    if not secrets:
        return answer
    texts: list[Translated | None] = []
    changed = False
    for item in answer.texts:
        if item is None or not (
            holds_secret(item.text, secrets) or any(holds_secret(a, secrets) for a in item.alternatives)
        ):
            texts.append(item)
            continue
        changed = True
        reason = KEY_IN_ANSWER if item.rejected is None else scrub(item.rejected, secrets)
        texts.append(Translated(clean(item.text, secrets), item.billed, reason, ()))
    stopped = answer.stopped
    if stopped is not None and holds_secret(stopped.message, secrets):
        stopped, changed = _scrubbed_error(stopped, secrets), True
    return replace(answer, texts=tuple(texts), stopped=stopped) if changed else answer


def _scrubbed_error(error: EngineError, secrets: tuple[str, ...]) -> EngineError:
    if not holds_secret(error.message, secrets):
        return error
    return EngineError(error.kind, clean(error.message, secrets), path=error.path, line=error.line)
