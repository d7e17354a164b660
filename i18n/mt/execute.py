"""Executing requests: an engine, ``concurrency`` requests in flight, a character budget, a clean stop.

The executor knows nothing of catalogs: it sends :class:`Request`\\ s and hands each answer to the caller
as it arrives (in the caller's thread), so the caller can save as it goes. An engine failure (after the
engine's own retries) or the budget stops it: what is in flight is still received, nothing more is sent,
and every later request is returned unsent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from .engine import Engine, EngineError, Translated


@dataclass(frozen=True)
class Request:
    """One engine call: ``texts`` (XML) into ``language``; ``tag`` is the caller's own reference;
    ``context`` what the engine is told about every text (not translated, not billed)."""

    language: str
    texts: tuple[str, ...]
    ignore_tags: tuple[str, ...]
    tag: object = None
    context: str = ""

    @property
    def characters(self) -> int:
        return sum(len(text) for text in self.texts)


Receive = Callable[[Request, list[Translated]], None]


class Executor:
    """Sends requests through one engine, made on first need (a run with nothing to send needs no key)."""

    def __init__(
        self,
        engine: Callable[[], Engine],
        source_language: str,
        *,
        concurrency: int,
        budget: int | None = None,
    ) -> None:
        self._make = engine
        self._engine: Engine | None = None
        self.source_language = source_language
        self.concurrency = concurrency
        self.budget = budget
        self.spent = 0  # characters sent
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
        running: dict[Future[list[Translated]], Request] = {}
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            while todo or running:
                while todo and len(running) < self.concurrency and not self.halted:
                    request = todo[0]
                    if self.budget is not None and self.spent + request.characters > self.budget:
                        self.budget_reached = True
                        break
                    todo.pop(0)
                    self.spent += request.characters
                    context = {"context": request.context} if request.context else {}
                    future = pool.submit(
                        engine.translate,
                        list(request.texts),
                        self.source_language,
                        request.language,
                        ignore_tags=list(request.ignore_tags),
                        **context,
                    )
                    running[future] = request
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    request = running.pop(future)
                    try:
                        answers = future.result()
                    except EngineError as error:
                        self.stopped = self.stopped or error
                        self.spent -= request.characters
                        todo.insert(0, request)
                        continue
                    receive(request, answers)
        return todo
