"""Executing requests: an engine, ``concurrency`` requests in flight, a budget, a clean stop.

The executor knows nothing of catalogs: it sends :class:`Request`\\ s and hands each answer to the caller
as it arrives (in the caller's thread), so the caller can save as it goes. An engine failure (after the
engine's own retries) or the budget stops it: what is in flight is still received, nothing more is sent,
and every later request is returned unsent. An engine that stops part-way through a batch (it makes
several calls per batch) answers for what it received; the rest of the batch is left for a later run.

The budget is in the units of :attr:`Request.weight`: characters for DeepL, money for a chat model with
prices (an estimate before sending, settled to the answer's cost when it arrives).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from .engine import Answer, Context, Engine, EngineError


@dataclass(frozen=True)
class Request:
    """One engine call: ``texts`` (XML) into ``language``; ``tag`` is the caller's own reference;
    ``context`` what the engine is told about every text (not translated, not billed); ``contexts`` each
    text's surroundings (or none); ``weight`` what it is expected to spend of the budget (None: its
    characters)."""

    language: str
    texts: tuple[str, ...]
    ignore_tags: tuple[str, ...]
    tag: object = None
    context: str = ""
    contexts: tuple[Context, ...] = ()
    weight: float | None = None

    @property
    def characters(self) -> int:
        return sum(len(text) for text in self.texts)

    @property
    def expected(self) -> float:
        return float(self.characters) if self.weight is None else self.weight


Receive = Callable[[Request, Answer], None]


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
    ) -> None:
        self._make = engine
        self._engine: Engine | None = None
        self.source_language = source_language
        self.concurrency = concurrency
        self.budget = budget
        self.spent = 0.0  # of the budget: settled answers plus what is in flight
        self.stopped: EngineError | None = None
        self.budget_reached = False

    @property
    def name(self) -> str | None:
        """The engine's name, once made."""
        return self._engine.name if self._engine is not None else None

    @property
    def halted(self) -> bool:
        return self.stopped is not None or self.budget_reached

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._make()
        return self._engine

    def run(self, requests: Sequence[Request], receive: Receive) -> list[Request]:
        """Send ``requests`` (in order); returns those left unsent (after a stop)."""
        todo = list(requests)
        if not todo or self.halted:
            return todo
        engine = self.engine()
        running: dict[Future[Answer], Request] = {}
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            while todo or running:
                while todo and len(running) < self.concurrency and not self.halted:
                    request = todo[0]
                    if self.budget is not None and self.spent + request.expected > self.budget:
                        self.budget_reached = True
                        break
                    todo.pop(0)
                    self.spent += request.expected
                    context = {"context": request.context} if request.context else {}
                    future = pool.submit(
                        engine.translate,
                        list(request.texts),
                        self.source_language,
                        request.language,
                        ignore_tags=list(request.ignore_tags),
                        contexts=list(request.contexts),
                        stopping=lambda: self.halted,
                        **context,
                    )
                    running[future] = request
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    request = running.pop(future)
                    try:
                        answer = future.result()
                    except EngineError as error:
                        self.stopped = self.stopped or error
                        self.spent -= request.expected
                        todo.insert(0, request)
                        continue
                    self.spent += spent_by(request, answer) - request.expected
                    if answer.stopped is not None:
                        self.stopped = self.stopped or answer.stopped
                    receive(request, answer)
        return todo
